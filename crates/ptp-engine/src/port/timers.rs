//! A port's named timers in one small table; the clock asks only for the next deadline
//! (in the style of quinn-proto's `timer.rs`).

use crate::time::Instant;

/// The timers of a port (linuxptp's per-port timerfds).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PortTimer {
    /// Announce receipt timeout (LISTENING, PASSIVE, UNCALIBRATED, SLAVE).
    AnnounceReceipt,
    /// Sync receipt timeout (syncReceiptTimeout, slave states).
    SyncReceipt,
    /// Next Delay_Req (E2E slave).
    DelayRequest,
    /// PRE_MASTER qualification timeout.
    Qualification,
    /// Next Announce (MASTER).
    MasterAnnounce,
    /// Next Sync (MASTER).
    MasterSync,
    /// Next Pdelay_Req (P2P).
    PdelayRequest,
    /// fault_reset_interval (FAULTY).
    FaultReset,
}

impl PortTimer {
    pub const ALL: [PortTimer; 8] = [
        PortTimer::AnnounceReceipt,
        PortTimer::SyncReceipt,
        PortTimer::DelayRequest,
        PortTimer::Qualification,
        PortTimer::MasterAnnounce,
        PortTimer::MasterSync,
        PortTimer::PdelayRequest,
        PortTimer::FaultReset,
    ];

    const fn index(self) -> usize {
        self as usize
    }
}

/// Deadlines of the armed timers.
#[derive(Clone, Debug, Default)]
pub struct Timers {
    deadline: [Option<Instant>; 8],
}

impl Timers {
    pub fn set(&mut self, t: PortTimer, at: Instant) {
        if let Some(d) = self.deadline.get_mut(t.index()) {
            *d = Some(at);
        }
    }

    pub fn stop(&mut self, t: PortTimer) {
        if let Some(d) = self.deadline.get_mut(t.index()) {
            *d = None;
        }
    }

    pub fn stop_all(&mut self) {
        self.deadline = [None; 8];
    }

    pub fn get(&self, t: PortTimer) -> Option<Instant> {
        self.deadline.get(t.index()).copied().flatten()
    }

    /// The earliest armed deadline.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadline.iter().flatten().min().copied()
    }

    /// The first timer (in declaration order) whose deadline is at or before `now`; it is
    /// disarmed.
    pub fn take_expired(&mut self, now: Instant) -> Option<PortTimer> {
        let t = PortTimer::ALL.into_iter().find(|t| self.get(*t).is_some_and(|d| d <= now))?;
        self.stop(t);
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_in_order_and_disarmed() {
        let mut t = Timers::default();
        t.set(PortTimer::MasterSync, Instant::from_nanos(5));
        t.set(PortTimer::AnnounceReceipt, Instant::from_nanos(3));
        assert_eq!(t.next_deadline(), Some(Instant::from_nanos(3)));
        assert_eq!(t.take_expired(Instant::from_nanos(2)), None);
        assert_eq!(t.take_expired(Instant::from_nanos(10)), Some(PortTimer::AnnounceReceipt));
        assert_eq!(t.take_expired(Instant::from_nanos(10)), Some(PortTimer::MasterSync));
        assert_eq!(t.take_expired(Instant::from_nanos(10)), None);
        assert_eq!(t.next_deadline(), None);
    }
}
