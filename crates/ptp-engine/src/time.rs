//! Engine time types (in the style of smoltcp's `time.rs`): the driver owns every clock and
//! passes time in, so the simulator can create any instant it likes.
//!
//! Two kinds of time meet in the engine:
//! - [`Instant`]: the driver's monotonic timer clock (CLOCK_MONOTONIC on Linux, virtual time in
//!   the simulator), used only for timeouts;
//! - [`ClockTime`]: a reading of the clock being disciplined (PHC or CLOCK_REALTIME), in
//!   nanoseconds since the PTP epoch, as carried by receive and transmit timestamps. It is an
//!   `i128` so that sums of any wire values (48-bit seconds, scaled correction fields) cannot
//!   overflow.

use core::fmt;
use core::ops::{Add, AddAssign, Sub};
use core::time::Duration;

use ptp_wire::{TimeInterval, Timestamp};

/// A point on the driver's monotonic timeline, in nanoseconds from an arbitrary origin.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(i64);

impl Instant {
    pub const ZERO: Instant = Instant(0);

    pub const fn from_nanos(ns: i64) -> Self {
        Instant(ns)
    }
    pub const fn from_secs(s: i64) -> Self {
        Instant(s.saturating_mul(1_000_000_000))
    }
    pub const fn as_nanos(self) -> i64 {
        self.0
    }
    /// Seconds and milliseconds, as linuxptp prints its log prefix (`[%lld.%03ld]`).
    pub const fn secs_millis(self) -> (i64, i64) {
        (self.0.div_euclid(1_000_000_000), self.0.rem_euclid(1_000_000_000) / 1_000_000)
    }
    /// Time from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)))
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, ms) = self.secs_millis();
        write!(f, "Instant({s}.{ms:03})")
    }
}

/// A reading of the disciplined clock, nanoseconds since the PTP epoch (may be negative in
/// intermediate arithmetic).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ClockTime(pub i128);

impl ClockTime {
    pub const fn from_nanos(ns: i128) -> Self {
        ClockTime(ns)
    }
    pub const fn as_nanos(self) -> i128 {
        self.0
    }
    /// Whole nanoseconds of a wire Timestamp.
    pub const fn from_timestamp(t: Timestamp) -> Self {
        ClockTime(t.total_nanos())
    }
    /// The wire Timestamp for this time; `None` outside 0 ..= 2^48 s.
    pub fn to_timestamp(self) -> Option<Timestamp> {
        Timestamp::from_total_nanos(self.0)
    }
    /// Nanoseconds as i64, saturating (for log lines and servo inputs).
    pub fn nanos_i64(self) -> i64 {
        i64::try_from(self.0).unwrap_or(if self.0 < 0 { i64::MIN } else { i64::MAX })
    }
}

impl Add<Nanos> for ClockTime {
    type Output = ClockTime;
    fn add(self, d: Nanos) -> ClockTime {
        ClockTime(self.0.saturating_add(d.0))
    }
}

impl Sub<Nanos> for ClockTime {
    type Output = ClockTime;
    fn sub(self, d: Nanos) -> ClockTime {
        ClockTime(self.0.saturating_sub(d.0))
    }
}

impl Sub for ClockTime {
    type Output = Nanos;
    fn sub(self, o: ClockTime) -> Nanos {
        Nanos(self.0.saturating_sub(o.0))
    }
}

impl fmt::Debug for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClockTime({}.{:09})", self.0.div_euclid(1_000_000_000), self.0.rem_euclid(1_000_000_000))
    }
}

/// A signed interval between clock readings, nanoseconds (linuxptp's `tmv_t`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct Nanos(pub i128);

impl Nanos {
    pub const ZERO: Nanos = Nanos(0);

    /// Whole nanoseconds of a correctionField-style TimeInterval (rounded towards negative
    /// infinity, as linuxptp's `>> 16`).
    pub const fn from_interval(t: TimeInterval) -> Self {
        Nanos(t.nanos() as i128)
    }
    pub fn to_interval(self) -> TimeInterval {
        TimeInterval::from_nanos(self.as_i64())
    }
    /// Saturating conversion to i64 ns.
    pub fn as_i64(self) -> i64 {
        i64::try_from(self.0).unwrap_or(if self.0 < 0 { i64::MIN } else { i64::MAX })
    }
    pub fn abs(self) -> Nanos {
        Nanos(self.0.saturating_abs())
    }
}

impl Add for Nanos {
    type Output = Nanos;
    fn add(self, o: Nanos) -> Nanos {
        Nanos(self.0.saturating_add(o.0))
    }
}

impl Sub for Nanos {
    type Output = Nanos;
    fn sub(self, o: Nanos) -> Nanos {
        Nanos(self.0.saturating_sub(o.0))
    }
}

/// 2^`log` seconds as a Duration (PTP message intervals); `log` is clamped to -30..=30.
pub fn log_interval(log: i8) -> Duration {
    let l = i32::from(log).clamp(-30, 30);
    if l >= 0 {
        Duration::from_secs(1u64 << l)
    } else {
        Duration::from_nanos(1_000_000_000u64 >> (-l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_intervals() {
        assert_eq!(log_interval(0), Duration::from_secs(1));
        assert_eq!(log_interval(-3), Duration::from_millis(125));
        assert_eq!(log_interval(4), Duration::from_secs(16));
        assert_eq!(log_interval(127), Duration::from_secs(1 << 30));
    }

    #[test]
    fn instant_prefix() {
        assert_eq!(Instant::from_nanos(887_593_999_999).secs_millis(), (887, 593));
    }

    #[test]
    fn clock_time_round_trip() {
        let t = Timestamp::new(1_700_000_000, 123);
        assert_eq!(ClockTime::from_timestamp(t).to_timestamp(), Some(t));
        assert_eq!((ClockTime(10) - ClockTime(25)).0, -15);
    }
}
