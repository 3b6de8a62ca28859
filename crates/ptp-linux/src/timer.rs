//! timerfd timers and the `poll()` set of the daemon loop.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::time::Duration;

use crate::sys::{self, ClockId, Timespec};

/// A CLOCK_MONOTONIC timerfd, created as linuxptp does (`timerfd_create(CLOCK_MONOTONIC, 0)`,
/// blocking: read it only after `poll()` marked it readable, or use [`Timer::try_read`]).
#[derive(Debug)]
pub struct Timer {
    fd: OwnedFd,
}

impl Timer {
    pub fn new() -> io::Result<Timer> {
        Ok(Timer { fd: sys::timerfd_create()? })
    }

    /// Arm to fire once at the absolute CLOCK_MONOTONIC time `at` (TFD_TIMER_ABSTIME).
    /// A time in the past fires at once.
    pub fn arm_at(&self, at: Timespec) -> io::Result<()> {
        // A zero it_value would disarm; the monotonic clock never reads zero, so nudge it.
        let at = if at.is_zero() { Timespec::new(0, 1) } else { at };
        sys::timerfd_settime(self.fd.as_fd(), true, at, Timespec::default())
    }

    /// Arm to fire once `after` from now (relative, as linuxptp's port timers do).
    pub fn arm_after(&self, after: Duration) -> io::Result<()> {
        let mut value = Timespec::new(after.as_secs() as i64, after.subsec_nanos());
        if value.is_zero() {
            value = Timespec::new(0, 1);
        }
        sys::timerfd_settime(self.fd.as_fd(), false, value, Timespec::default())
    }

    /// Disarm; a pending expiration that was not read yet stays readable.
    pub fn disarm(&self) -> io::Result<()> {
        sys::timerfd_settime(self.fd.as_fd(), false, Timespec::default(), Timespec::default())
    }

    /// Read the expiration count (blocks if the timer has not fired).
    pub fn read(&self) -> io::Result<u64> {
        sys::timerfd_read(self.fd.as_fd())
    }

    /// Read the expiration count if the timer has fired, else 0 (a `poll()` with timeout 0
    /// first, so the fd stays in blocking mode like linuxptp's).
    pub fn try_read(&self) -> io::Result<u64> {
        let mut fds = [sys::pollfd(self.fd.as_raw_fd(), sys::POLLIN)];
        if sys::poll(&mut fds, 0)? == 0 || fds[0].revents & sys::POLLIN == 0 {
            return Ok(0);
        }
        self.read()
    }
}

impl AsFd for Timer {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Timer {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// The current CLOCK_MONOTONIC time.
pub fn monotonic_now() -> io::Result<Timespec> {
    sys::clock_gettime(ClockId::Monotonic)
}

/// The current CLOCK_REALTIME time.
pub fn realtime_now() -> io::Result<Timespec> {
    sys::clock_gettime(ClockId::Realtime)
}

/// Readiness of one poll-set entry after [`Poller::poll`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Readiness(pub i16);

impl Readiness {
    pub fn readable(self) -> bool {
        self.0 & sys::POLLIN != 0
    }
    /// POLLPRI: with SO_SELECT_ERR_QUEUE, an error-queue message (tx timestamp) is waiting.
    pub fn priority(self) -> bool {
        self.0 & sys::POLLPRI != 0
    }
    pub fn error(self) -> bool {
        self.0 & (sys::POLLERR | sys::POLLHUP | sys::POLLNVAL) != 0
    }
    pub fn any(self) -> bool {
        self.0 != 0
    }
}

/// A `poll()` set over raw fds (sockets and timerfds only, see DESIGN.md). The caller keeps
/// the fds open while they are in the set.
#[derive(Debug, Default)]
pub struct Poller {
    fds: Vec<sys::PollFd>,
}

/// Index of an entry in a [`Poller`].
pub type PollIndex = usize;

impl Poller {
    pub fn new() -> Poller {
        Poller::default()
    }

    /// Add `fd` waiting for `events` (e.g. `POLLIN | POLLPRI`); returns its index.
    pub fn add(&mut self, fd: RawFd, events: i16) -> PollIndex {
        self.fds.push(sys::pollfd(fd, events));
        self.fds.len() - 1
    }

    /// Add `fd` for input (POLLIN | POLLPRI), as linuxptp's clock poll set does.
    pub fn add_input(&mut self, fd: &impl AsRawFd) -> PollIndex {
        self.add(fd.as_raw_fd(), sys::POLLIN | sys::POLLPRI)
    }

    /// Change the fd of an entry (-1 makes poll ignore it, e.g. for a faulty port).
    pub fn set_fd(&mut self, index: PollIndex, fd: RawFd) {
        self.fds[index].fd = fd;
        self.fds[index].revents = 0;
    }

    pub fn len(&self) -> usize {
        self.fds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fds.is_empty()
    }

    /// Wait until an entry is ready or `timeout` passes (`None`: wait forever). Returns the
    /// number of ready entries; an interrupted poll (a signal) returns Ok(0), so the caller
    /// checks its signal flag after each call, as DESIGN.md asks.
    pub fn poll(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        for fd in &mut self.fds {
            fd.revents = 0;
        }
        let ms = match timeout {
            None => -1,
            Some(d) => {
                // Round up so a short timeout does not become a busy loop.
                let ms = d.as_nanos().div_ceil(1_000_000);
                ms.min(i32::MAX as u128) as i32
            }
        };
        match sys::poll(&mut self.fds, ms) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Readiness of entry `index` after the last [`Poller::poll`].
    pub fn readiness(&self, index: PollIndex) -> Readiness {
        Readiness(self.fds[index].revents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_fires_and_disarms() {
        let t = Timer::new().unwrap();
        let mut p = Poller::new();
        let i = p.add_input(&t);
        assert_eq!(t.try_read().unwrap(), 0);
        t.arm_after(Duration::from_millis(5)).unwrap();
        assert_eq!(p.poll(Some(Duration::from_secs(5))).unwrap(), 1);
        assert!(p.readiness(i).readable());
        assert_eq!(t.read().unwrap(), 1);

        let now = monotonic_now().unwrap();
        t.arm_at(Timespec::from_nanos(now.as_nanos() + 2_000_000)).unwrap();
        assert_eq!(p.poll(Some(Duration::from_secs(5))).unwrap(), 1);
        assert!(monotonic_now().unwrap().as_nanos() >= now.as_nanos() + 2_000_000);
        assert_eq!(t.try_read().unwrap(), 1);

        t.arm_after(Duration::from_millis(20)).unwrap();
        t.disarm().unwrap();
        assert_eq!(p.poll(Some(Duration::from_millis(40))).unwrap(), 0);
        assert!(!p.readiness(i).any());
        assert_eq!(t.try_read().unwrap(), 0);
    }

    #[test]
    fn past_absolute_time_fires_at_once() {
        let t = Timer::new().unwrap();
        t.arm_at(Timespec::new(1, 0)).unwrap();
        let mut p = Poller::new();
        p.add_input(&t);
        assert_eq!(p.poll(Some(Duration::from_secs(1))).unwrap(), 1);
        assert_eq!(t.read().unwrap(), 1);
    }
}
