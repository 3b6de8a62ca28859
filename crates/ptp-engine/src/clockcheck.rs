//! Clock sanity check (linuxptp `clockcheck.c`, key `sanity_freq_limit`).
//!
//! The synchronised clock is compared with the monotonic clock: between two checks at least
//! a second apart on both, the clock's frequency offset to the monotonic clock, with the
//! servo's own adjustments taken out, must stay within ±`sanity_freq_limit` ppb. Because the
//! adjustment may have changed between the checks, the offset is computed for the smallest
//! and the largest adjustment set in between, and only a bound beyond the limit on both counts.
//! When the synchronised clock is the system clock itself, the measured offset is just its
//! current adjustment.
//!
//! A second check ([`ClockCheck::check_freq`]) compares the adjustment read back from the
//! clock with the one last set, to catch another process steering the same clock.
//!
//! linuxptp reads CLOCK_MONOTONIC inside the check; here the driver passes it in. A clock
//! check failure makes ptp4l and phc2sys reset the servo. `sanity_freq_limit 0` disables the
//! check (the caller then creates none).

use crate::time::{ClockTime, Instant};

/// Checks closer together than this (ns), on either clock, are skipped.
pub const CHECK_MIN_INTERVAL_NS: i64 = 1_000_000_000;
/// Adjustments are within ±this (ppb); the extremes start outside it.
const CHECK_MAX_FREQ: i32 = 900_000_000;

/// What the check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClockCheckFault {
    /// The clock advanced faster than the limit allows.
    JumpedForward,
    /// The clock advanced slower than the limit allows (or went back).
    JumpedBackward,
    /// The clock's adjustment is not the one last set.
    FrequencyChanged,
}

impl ClockCheckFault {
    /// linuxptp's WARNING text.
    pub const fn message(self) -> &'static str {
        match self {
            ClockCheckFault::JumpedForward => "clockcheck: clock jumped forward or running faster than expected!",
            ClockCheckFault::JumpedBackward => "clockcheck: clock jumped backward or running slower than expected!",
            ClockCheckFault::FrequencyChanged => "clockcheck: clock frequency changed unexpectedly!",
        }
    }
}

impl core::fmt::Display for ClockCheckFault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.message())
    }
}

/// The sanity check of one clock (linuxptp `struct clockcheck`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockCheck {
    /// `sanity_freq_limit`, ppb.
    freq_limit: i32,
    /// An adjustment has been set since creation or reset.
    freq_known: bool,
    current_freq: i32,
    /// Extremes of the adjustment since the last check.
    max_freq: i32,
    min_freq: i32,
    /// Clock and monotonic time of the last check (clock 0: none).
    last_ts: u64,
    last_mono_ts: u64,
}

impl ClockCheck {
    /// A check with `sanity_freq_limit` ppb (linuxptp `clockcheck_create()`).
    pub fn new(freq_limit: i32) -> Self {
        let mut cc = ClockCheck {
            freq_limit,
            freq_known: false,
            current_freq: 0,
            max_freq: 0,
            min_freq: 0,
            last_ts: 0,
            last_mono_ts: 0,
        };
        cc.reset();
        cc
    }

    /// Starts over, e.g. after switching to another clock or master (linuxptp
    /// `clockcheck_reset()`): nothing is checked until an adjustment is set again.
    pub fn reset(&mut self) {
        self.freq_known = false;
        self.max_freq = -CHECK_MAX_FREQ;
        self.min_freq = CHECK_MAX_FREQ;
        self.last_ts = 0;
    }

    /// Checks the clock reading `ts` against the monotonic time `now` (linuxptp
    /// `clockcheck_sample()`). Does nothing before an adjustment was set or within
    /// [`CHECK_MIN_INTERVAL_NS`] of the last check; the first check only records the times.
    pub fn sample(&mut self, ts: ClockTime, now: Instant) -> Option<ClockCheckFault> {
        if !self.freq_known {
            return None;
        }
        // The clock reading as linuxptp holds it: 64-bit, differences wrap.
        let ts = ts.nanos_i64() as u64;
        let interval = ts.wrapping_sub(self.last_ts) as i64;
        if (0..CHECK_MIN_INTERVAL_NS).contains(&interval) {
            return None;
        }
        let mono_ts = now.as_nanos() as u64;
        let mono_interval = mono_ts.wrapping_sub(self.last_mono_ts) as i64;
        if mono_interval < CHECK_MIN_INTERVAL_NS {
            return None;
        }

        let mut fault = None;
        if self.last_ts != 0 && self.max_freq <= CHECK_MAX_FREQ {
            let foffset =
                |freq: i32| 1e9 * (interval as f64 / (1.0 + f64::from(freq) / 1e9) / mono_interval as f64 - 1.0);
            let max_foffset = foffset(self.min_freq);
            let min_foffset = foffset(self.max_freq);
            let limit = f64::from(self.freq_limit);
            if min_foffset > limit {
                fault = Some(ClockCheckFault::JumpedForward);
            } else if max_foffset < -limit {
                fault = Some(ClockCheckFault::JumpedBackward);
            }
        }

        self.last_mono_ts = mono_ts;
        self.last_ts = ts;
        self.max_freq = self.current_freq;
        self.min_freq = self.current_freq;
        fault
    }

    /// Records the adjustment (ppb, as applied to the clock) just set (linuxptp
    /// `clockcheck_set_freq()`; like its `int` parameter, the value is truncated).
    pub fn set_freq(&mut self, freq_ppb: f64) {
        let freq = freq_ppb as i32;
        self.max_freq = self.max_freq.max(freq);
        self.min_freq = self.min_freq.min(freq);
        self.current_freq = freq;
        self.freq_known = true;
    }

    /// Compares the adjustment read back from the clock (ppb) with the one last set (linuxptp
    /// `clockcheck_freq()`): a difference over 1 ppb (allowed for rounding) means something
    /// else changed it.
    pub fn check_freq(&self, freq_ppb: f64) -> Option<ClockCheckFault> {
        let freq = freq_ppb as i32;
        (self.freq_known && (i64::from(self.current_freq) - i64::from(freq)).abs() > 1)
            .then_some(ClockCheckFault::FrequencyChanged)
    }

    /// Records that the clock was stepped by `step_ns` (linuxptp `clockcheck_step()`), so the
    /// step does not count as a jump.
    pub fn step(&mut self, step_ns: i64) {
        if self.last_ts != 0 {
            self.last_ts = self.last_ts.wrapping_add(step_ns as u64);
        }
    }

    /// `sanity_freq_limit`, ppb.
    pub fn freq_limit(&self) -> i32 {
        self.freq_limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const S: i64 = 1_000_000_000;
    const T0: i128 = 1_700_000_000 * 1_000_000_000;

    fn at(clock_ns: i128, mono_ns: i64) -> (ClockTime, Instant) {
        (ClockTime(T0 + clock_ns), Instant::from_nanos(mono_ns))
    }

    fn check(cc: &mut ClockCheck, clock_ns: i128, mono_ns: i64) -> Option<ClockCheckFault> {
        let (ts, now) = at(clock_ns, mono_ns);
        cc.sample(ts, now)
    }

    #[test]
    fn nothing_before_a_frequency_is_set() {
        let mut cc = ClockCheck::new(200_000_000);
        assert_eq!(check(&mut cc, 0, 10 * S), None);
        assert_eq!(check(&mut cc, 100 * i128::from(S), 11 * S), None);
        assert_eq!(cc.check_freq(12345.0), None);
    }

    #[test]
    fn normal_running_passes() {
        let mut cc = ClockCheck::new(200_000_000);
        cc.set_freq(-50_000.0);
        // The first check only records.
        assert_eq!(check(&mut cc, 0, 10 * S), None);
        // 50 ppm fast against monotonic while slowed by 50 ppm: 100 ppm uncorrected.
        assert_eq!(check(&mut cc, i128::from(S) + 50_000, 11 * S), None);
        assert_eq!(check(&mut cc, 2 * i128::from(S) + 100_000, 12 * S), None);
    }

    #[test]
    fn jump_forward_and_backward() {
        let mut cc = ClockCheck::new(200_000_000);
        cc.set_freq(0.0);
        assert_eq!(check(&mut cc, 0, 10 * S), None);
        // 2.6 s of clock in 2 s: +300000000 ppb > 200000000.
        assert_eq!(check(&mut cc, 2_600_000_000, 12 * S), Some(ClockCheckFault::JumpedForward));
        // 1.4 s of clock in 2 s from there: -300000000 ppb.
        assert_eq!(check(&mut cc, 4_000_000_000, 14 * S), Some(ClockCheckFault::JumpedBackward));
        // Going back is never skipped as "too soon".
        assert_eq!(check(&mut cc, 3_999_999_999, 15 * S), Some(ClockCheckFault::JumpedBackward));
        // 1.9 s in 2 s: -50000000 ppb, within the limit.
        assert_eq!(check(&mut cc, 5_899_999_999, 17 * S), None);
    }

    #[test]
    fn within_limit_after_adjustment_range() {
        // 250 ppm fast against monotonic, but the servo applied between +100 and +300 ppm:
        // the uncorrected offset lies in [-50, +150] ppm, so a 100 ppm limit passes.
        let mut cc = ClockCheck::new(100_000);
        cc.set_freq(300_000.0);
        assert_eq!(check(&mut cc, 0, 10 * S), None);
        cc.set_freq(100_000.0);
        assert_eq!(check(&mut cc, i128::from(S) + 250_000, 11 * S), None);
        // Only +100 ppm applied since: 250 - 100 = 150 ppm > 100 ppm.
        assert_eq!(check(&mut cc, 2 * i128::from(S) + 500_000, 12 * S), Some(ClockCheckFault::JumpedForward));
    }

    #[test]
    fn too_soon_is_skipped() {
        let mut cc = ClockCheck::new(200_000_000);
        cc.set_freq(0.0);
        assert_eq!(check(&mut cc, 0, 10 * S), None);
        // Clock interval under a second: skipped without recording.
        assert_eq!(check(&mut cc, 999_999_999, 20 * S), None);
        // Monotonic interval under a second: skipped.
        assert_eq!(check(&mut cc, 5 * i128::from(S), 10 * S + 999_999_999), None);
        // Now compared with the first check: 6 s of clock in 10 s.
        assert_eq!(check(&mut cc, 6 * i128::from(S), 20 * S), Some(ClockCheckFault::JumpedBackward));
    }

    #[test]
    fn step_is_not_a_jump() {
        let mut cc = ClockCheck::new(200_000_000);
        cc.set_freq(0.0);
        assert_eq!(check(&mut cc, 0, 10 * S), None);
        cc.step(5 * S);
        assert_eq!(check(&mut cc, 6 * i128::from(S), 11 * S), None);
    }

    #[test]
    fn reset_forgets() {
        let mut cc = ClockCheck::new(200_000_000);
        cc.set_freq(0.0);
        assert_eq!(check(&mut cc, 0, 10 * S), None);
        cc.reset();
        assert_eq!(check(&mut cc, 100 * i128::from(S), 11 * S), None);
        cc.set_freq(0.0);
        // First check after the reset only records.
        assert_eq!(check(&mut cc, 200 * i128::from(S), 12 * S), None);
        assert_eq!(check(&mut cc, 201 * i128::from(S), 13 * S), None);
    }

    #[test]
    fn frequency_read_back() {
        let mut cc = ClockCheck::new(200_000_000);
        cc.set_freq(-12_345.9); // truncated to -12345
        assert_eq!(cc.check_freq(-12_345.0), None);
        assert_eq!(cc.check_freq(-12_346.0), None);
        assert_eq!(cc.check_freq(-12_344.0), None);
        assert_eq!(cc.check_freq(-12_347.0), Some(ClockCheckFault::FrequencyChanged));
        assert_eq!(cc.check_freq(0.0), Some(ClockCheckFault::FrequencyChanged));
        assert_eq!(ClockCheckFault::FrequencyChanged.to_string(), "clockcheck: clock frequency changed unexpectedly!");
    }

    proptest! {
        #[test]
        fn takes_anything(
            limit in any::<i32>(),
            steps in proptest::collection::vec((0u8..5, any::<i64>(), any::<i64>(), any::<f64>()), 0..100),
        ) {
            let mut cc = ClockCheck::new(limit);
            for (what, ts, mono, freq) in steps {
                match what {
                    0 => {
                        cc.sample(ClockTime(i128::from(ts)), Instant::from_nanos(mono));
                    }
                    1 => cc.set_freq(freq),
                    2 => {
                        cc.check_freq(freq);
                    }
                    3 => cc.step(ts),
                    _ => cc.reset(),
                }
            }
        }
    }
}
