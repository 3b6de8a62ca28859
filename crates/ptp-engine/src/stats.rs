//! linuxptp's running statistics (stats.c) and ptp4l's `summary_interval` logic (clock.c).
//!
//! With `summary_interval` larger than the sync interval, ptp4l does not print a `master
//! offset` line per sync: it collects the servo samples and prints one
//! `rms %4.0f max %4.0f freq %+6.0f +/- %3.0f[ delay %5.0f +/- %3.0f]` line every
//! 2^(summary_interval - logSyncInterval) samples. [`OffsetSummary`] is that logic; the clock
//! calls [`OffsetSummary::sample`] once per servo sample and [`OffsetSummary::add_delay`] once
//! per path delay measurement, and logs the [`Event`] it returns.

use crate::event::Event;
use crate::state::ServoState;

/// Running count, min, max, mean, sum of squares and sum of squared deviations (Welford), in
/// f64, exactly as linuxptp's `struct stats` accumulates them.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Stats {
    num: u32,
    min: f64,
    max: f64,
    mean: f64,
    sum_sqr: f64,
    sum_diff_sqr: f64,
}

/// What [`Stats::result`] reports (linuxptp `struct stats_result`).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct StatsResult {
    pub min: f64,
    pub max: f64,
    /// The larger of `max` and `-min`.
    pub max_abs: f64,
    pub mean: f64,
    /// sqrt(sum of squares / n).
    pub rms: f64,
    /// Population standard deviation: sqrt(sum of squared deviations / n).
    pub stddev: f64,
}

impl Stats {
    pub const fn new() -> Self {
        Stats { num: 0, min: 0.0, max: 0.0, mean: 0.0, sum_sqr: 0.0, sum_diff_sqr: 0.0 }
    }

    /// Add one value (`stats_add_value`). The count is a C `unsigned int` and wraps likewise.
    pub fn add(&mut self, value: f64) {
        let old_mean = self.mean;
        if self.num == 0 || self.max < value {
            self.max = value;
        }
        if self.num == 0 || self.min > value {
            self.min = value;
        }
        self.num = self.num.wrapping_add(1);
        self.mean = old_mean + (value - old_mean) / f64::from(self.num);
        self.sum_sqr += value * value;
        self.sum_diff_sqr += (value - old_mean) * (value - self.mean);
    }

    /// Number of values added since the last reset.
    pub fn count(&self) -> u32 {
        self.num
    }

    /// The statistics of the values so far; `None` when there are none.
    pub fn result(&self) -> Option<StatsResult> {
        if self.num == 0 {
            return None;
        }
        let n = f64::from(self.num);
        Some(StatsResult {
            min: self.min,
            max: self.max,
            max_abs: if self.max > -self.min { self.max } else { -self.min },
            mean: self.mean,
            rms: (self.sum_sqr / n).sqrt(),
            stddev: (self.sum_diff_sqr / n).sqrt(),
        })
    }

    pub fn reset(&mut self) {
        *self = Stats::new();
    }
}

/// Bits of a C `int`: shifts at or above this are clamped (and linuxptp warns).
const INT_BITS: i64 = 32;

/// ptp4l's per-sample log output: a `master offset` line per sample, or a summary of every
/// 2^(summary_interval - logSyncInterval) samples (clock.c `clock_stats_update`).
///
/// Feed it in the clock's order: [`OffsetSummary::add_delay`] whenever a path delay
/// measurement completes (E2E or P2P), [`OffsetSummary::sample`] once per servo sample (or
/// frequency estimate in free_running mode), [`OffsetSummary::set_sync_interval`] whenever the
/// master's logSyncInterval changes. Delay values accumulate even while per-sample lines are
/// printed, and are cleared only by a summary, as in linuxptp.
#[derive(Clone, PartialEq, Debug)]
pub struct OffsetSummary {
    summary_interval: i32,
    /// `Some(freq_est_interval)` when free_running: stats then accumulate once per frequency
    /// estimate, i.e. every 2^(freq_est_interval - logSyncInterval) syncs.
    freq_est_interval: Option<i32>,
    max_count: u32,
    too_long: bool,
    offset: Stats,
    freq: Stats,
    delay: Stats,
}

impl OffsetSummary {
    /// `summary_interval` (config key, log2 seconds) and the current logSyncInterval.
    pub fn new(summary_interval: i32, log_sync_interval: i8) -> Self {
        Self::build(summary_interval, None, log_sync_interval)
    }

    /// As [`OffsetSummary::new`], for a free_running clock whose samples come from the
    /// frequency estimator (one per 2^(freq_est_interval - logSyncInterval) syncs).
    pub fn new_free_running(summary_interval: i32, freq_est_interval: i32, log_sync_interval: i8) -> Self {
        Self::build(summary_interval, Some(freq_est_interval), log_sync_interval)
    }

    fn build(summary_interval: i32, freq_est_interval: Option<i32>, log_sync_interval: i8) -> Self {
        let mut s = OffsetSummary {
            summary_interval,
            freq_est_interval,
            max_count: 1,
            too_long: false,
            offset: Stats::new(),
            freq: Stats::new(),
            delay: Stats::new(),
        };
        s.set_sync_interval(log_sync_interval);
        s
    }

    /// Recompute the number of samples per summary for a new logSyncInterval (clock.c
    /// `clock_sync_interval`); collected samples are kept. Returns true when the shift had to
    /// be clamped to 31, where linuxptp warns `summary_interval is too long`.
    pub fn set_sync_interval(&mut self, log_sync_interval: i8) -> bool {
        let n = i64::from(log_sync_interval);
        let mut shift = i64::from(self.summary_interval) - n;
        if let Some(fest) = self.freq_est_interval {
            // The frequency estimator's own shift, clamped as linuxptp clamps it.
            let fest_shift = (i64::from(fest) - n).clamp(0, INT_BITS - 1);
            shift -= fest_shift;
        }
        self.too_long = shift >= INT_BITS;
        let shift = shift.clamp(0, INT_BITS - 1);
        self.max_count = 1u32 << shift;
        self.too_long
    }

    /// The configured summary_interval.
    pub fn summary_interval(&self) -> i32 {
        self.summary_interval
    }

    /// Samples per summary (1: a `master offset` line per sample).
    pub fn max_count(&self) -> u32 {
        self.max_count
    }

    /// Whether samples are summarised (`max_count > 1`) rather than printed one by one.
    pub fn summarising(&self) -> bool {
        self.max_count > 1
    }

    /// Whether the last interval computation clamped the shift (`summary_interval is too long`).
    pub fn interval_too_long(&self) -> bool {
        self.too_long
    }

    /// Record one path delay measurement (mean path delay or peer delay, ns).
    pub fn add_delay(&mut self, delay_ns: i64) {
        self.delay.add(delay_ns as f64);
    }

    /// One servo sample: offset from master (ns), servo state, frequency adjustment (ppb) and
    /// the current mean path delay (ns, printed in the per-sample line only).
    ///
    /// Returns [`Event::MasterOffset`] per sample when not summarising; when summarising,
    /// [`Event::Summary`] on every `max_count`-th sample (then all statistics are reset) and
    /// `None` otherwise.
    pub fn sample(&mut self, offset_ns: i64, state: ServoState, freq_ppb: f64, path_delay_ns: i64) -> Option<Event> {
        if !self.summarising() {
            return Some(Event::MasterOffset { offset_ns, state, freq_ppb, path_delay_ns });
        }
        self.offset.add(offset_ns as f64);
        self.freq.add(freq_ppb);
        if self.offset.count() < self.max_count {
            return None;
        }
        self.flush()
    }

    /// Summarise and reset now, if any sample was collected (linuxptp does so when
    /// SYNCHRONIZATION_UNCERTAIN_NP changes).
    pub fn flush(&mut self) -> Option<Event> {
        let offset = self.offset.result()?;
        let freq = self.freq.result()?;
        let delay = self.delay.result().map(|d| (d.mean, d.stddev));
        self.offset.reset();
        self.freq.reset();
        self.delay.reset();
        Some(Event::Summary {
            offset_rms: offset.rms,
            offset_max: offset.max_abs,
            freq_mean: freq.mean,
            freq_sd: freq.stddev,
            delay,
        })
    }

    /// Samples collected towards the next summary.
    pub fn pending(&self) -> u32 {
        self.offset.count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_nothing() {
        assert_eq!(Stats::new().result(), None);
    }

    #[test]
    fn stats_values() {
        let mut s = Stats::new();
        for v in [1.0, -1.0, 3.0, -3.0] {
            s.add(v);
        }
        let r = s.result().unwrap();
        assert_eq!(r.mean, 0.0);
        assert_eq!(r.rms, 5f64.sqrt());
        assert_eq!(r.stddev, 5f64.sqrt());
        assert_eq!((r.min, r.max, r.max_abs), (-3.0, 3.0, 3.0));
        s.reset();
        assert_eq!(s.count(), 0);
    }

    #[test]
    fn max_abs_prefers_max_on_tie() {
        let mut s = Stats::new();
        s.add(-2.0);
        s.add(2.0);
        assert_eq!(s.result().unwrap().max_abs, 2.0);
    }

    #[test]
    fn intervals() {
        assert_eq!(OffsetSummary::new(0, 0).max_count(), 1);
        assert_eq!(OffsetSummary::new(0, 1).max_count(), 1);
        assert_eq!(OffsetSummary::new(0, -3).max_count(), 8);
        assert_eq!(OffsetSummary::new(4, 0).max_count(), 16);
        let s = OffsetSummary::new(40, -1);
        assert!(s.interval_too_long());
        assert_eq!(s.max_count(), 1 << 31);
        let s = OffsetSummary::new(i32::MIN, i8::MAX);
        assert_eq!(s.max_count(), 1);
        // free running: freq_est_interval 1, sync 2^-3 -> estimate every 16 syncs; summary
        // every 2^(4+3-4) = 8 estimates.
        assert_eq!(OffsetSummary::new_free_running(4, 1, -3).max_count(), 8);
    }
}
