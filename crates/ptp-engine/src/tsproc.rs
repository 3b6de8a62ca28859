//! Timestamp processing (linuxptp `tsproc.c`): path delay and offset from the four
//! timestamps of a sync/delay exchange.
//!
//! - Down direction (master to slave): t1 sent by the master, t2 received locally
//!   ([`Tsproc::down_ts`]).
//! - Up direction (slave to master): t3 sent locally, t4 received by the master
//!   ([`Tsproc::up_ts`]).
//!
//! The raw delay is `((t2 - t3) * rr + (t4 - t1)) / 2`, where rr is the ratio of the master's
//! clock frequency to the local one (1.0 unless set), the product truncated to whole
//! nanoseconds and the halving truncated towards zero, as linuxptp computes it. Each delay
//! measurement also goes through the delay filter. The offset is `t2 - t1 - delay`.
//!
//! `tsproc_mode` picks which delay the offset uses and whether samples are weighted:
//! - `filter`: the filtered delay; weight 1.
//! - `raw`: the raw delay of the current timestamps; weight 1.
//! - `filter_weight`: the filtered delay; weight `filtered / raw` (at most 1) when both are
//!   positive.
//! - `raw_weight`: the raw delay; weight as `filter_weight`.
//!
//! A timestamp of zero counts as missing, as in linuxptp (a reset clears all four).

use ptp_config::enums::{DelayFilter, TsprocMode};

use crate::filter::{self, Filter, FilterError};
use crate::time::{ClockTime, Nanos};

/// A raw delay measurement and its parts, for linuxptp's DEBUG lines. When negative, linuxptp
/// logs `negative delay %10ld`, `delay = (t2 - t3) * rr + (t4 - t1)`, `t2 - t3 = %+10ld`,
/// `t4 - t1 = %+10ld`, `rr = %.9f`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RawDelay {
    /// The delay, ns.
    pub delay: Nanos,
    /// `(t2 - t3) * rr`, ns.
    pub t23: Nanos,
    /// `t4 - t1`, ns.
    pub t41: Nanos,
    /// The clock rate ratio used.
    pub rr: f64,
}

impl RawDelay {
    /// Whether linuxptp would log it as a negative delay.
    pub fn is_negative(&self) -> bool {
        self.delay.0 < 0
    }
}

/// The result of [`Tsproc::update_delay`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DelayUpdate {
    /// The delay to use, per `tsproc_mode` (filtered or raw).
    pub delay: Nanos,
    /// The filter's output (DEBUG `delay   filtered %10ld   raw %10ld`).
    pub filtered: Nanos,
    /// The raw measurement.
    pub raw: RawDelay,
}

/// The result of [`Tsproc::update_offset`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OffsetUpdate {
    /// `t2 - t1 - delay`, ns.
    pub offset: Nanos,
    /// The sample's weight for the servo, in (0, 1].
    pub weight: f64,
    /// The raw delay, when the mode computed one (raw and weighted modes); report it if
    /// negative.
    pub raw: Option<RawDelay>,
}

/// Timestamp processor (linuxptp `struct tsproc`).
#[derive(Debug)]
pub struct Tsproc {
    mode: TsprocMode,
    clock_rate_ratio: f64,
    t1: ClockTime,
    t2: ClockTime,
    t3: ClockTime,
    t4: ClockTime,
    filtered_delay: Nanos,
    filtered_delay_valid: bool,
    delay_filter: Box<dyn Filter>,
}

fn is_zero(t: ClockTime) -> bool {
    t.0 == 0
}

impl Tsproc {
    /// A processor for `mode` with the delay filter `delay_filter` of `filter_length` samples
    /// (linuxptp `tsproc_create()`).
    pub fn new(mode: TsprocMode, delay_filter: DelayFilter, filter_length: i32) -> Result<Self, FilterError> {
        Ok(Tsproc {
            mode,
            clock_rate_ratio: 1.0,
            t1: ClockTime::default(),
            t2: ClockTime::default(),
            t3: ClockTime::default(),
            t4: ClockTime::default(),
            filtered_delay: Nanos::ZERO,
            filtered_delay_valid: false,
            delay_filter: filter::create(delay_filter, filter_length)?,
        })
    }

    /// The mode.
    pub fn mode(&self) -> TsprocMode {
        self.mode
    }

    fn weighting(&self) -> bool {
        matches!(self.mode, TsprocMode::FilterWeight | TsprocMode::RawWeight)
    }

    fn raw_mode(&self) -> bool {
        matches!(self.mode, TsprocMode::Raw | TsprocMode::RawWeight)
    }

    /// Records a down measurement: `remote` (t1) sent by the master, `local` (t2) received
    /// here (linuxptp `tsproc_down_ts()`).
    pub fn down_ts(&mut self, remote: ClockTime, local: ClockTime) {
        self.t1 = remote;
        self.t2 = local;
    }

    /// Records an up measurement: `local` (t3) sent here, `remote` (t4) received by the master
    /// (linuxptp `tsproc_up_ts()`).
    pub fn up_ts(&mut self, local: ClockTime, remote: ClockTime) {
        self.t3 = local;
        self.t4 = remote;
    }

    /// Sets the ratio of the master's clock frequency to the local one (linuxptp
    /// `tsproc_set_clock_rate_ratio()`).
    pub fn set_clock_rate_ratio(&mut self, ratio: f64) {
        self.clock_rate_ratio = ratio;
    }

    /// The clock rate ratio in use.
    pub fn clock_rate_ratio(&self) -> f64 {
        self.clock_rate_ratio
    }

    /// Sets the filtered delay directly, e.g. the peer delay measured elsewhere (linuxptp
    /// `tsproc_set_delay()`).
    pub fn set_delay(&mut self, delay: Nanos) {
        self.filtered_delay = delay;
        self.filtered_delay_valid = true;
    }

    /// The current filtered delay, if any.
    pub fn filtered_delay(&self) -> Option<Nanos> {
        self.filtered_delay_valid.then_some(self.filtered_delay)
    }

    /// linuxptp `get_raw_delay()`.
    fn raw_delay(&self) -> RawDelay {
        let rr = self.clock_rate_ratio;
        let mut t23 = self.t2 - self.t3;
        if rr != 1.0 {
            // Truncated to whole ns, as linuxptp's conversion from double.
            t23 = Nanos(i128::from((t23.0 as f64 * rr) as i64));
        }
        let t41 = self.t4 - self.t1;
        RawDelay { delay: Nanos((t23 + t41).0 / 2), t23, t41, rr }
    }

    /// Measures the delay from the current timestamps and feeds it to the filter (linuxptp
    /// `tsproc_update_delay()`); `None` while t2 or t3 is missing.
    pub fn update_delay(&mut self) -> Option<DelayUpdate> {
        if is_zero(self.t2) || is_zero(self.t3) {
            return None;
        }
        let raw = self.raw_delay();
        self.filtered_delay = Nanos(i128::from(self.delay_filter.sample(raw.delay.as_i64())));
        self.filtered_delay_valid = true;
        let delay = if self.raw_mode() { raw.delay } else { self.filtered_delay };
        Some(DelayUpdate { delay, filtered: self.filtered_delay, raw })
    }

    /// The offset from the current timestamps and the weight of the sample (linuxptp
    /// `tsproc_update_offset()`); `None` while t1 or t2 is missing, or the delay it needs is
    /// not known yet (t3 missing in the raw and weighted modes, no filtered delay in the
    /// filter modes).
    pub fn update_offset(&mut self) -> Option<OffsetUpdate> {
        if is_zero(self.t1) || is_zero(self.t2) {
            return None;
        }
        let (delay, raw) = match self.mode {
            TsprocMode::Filter => (self.filtered_delay()?, None),
            TsprocMode::Raw | TsprocMode::RawWeight => {
                if is_zero(self.t3) {
                    return None;
                }
                let raw = self.raw_delay();
                (raw.delay, Some(raw))
            }
            TsprocMode::FilterWeight => {
                if is_zero(self.t3) {
                    return None;
                }
                let filtered = self.filtered_delay()?;
                (filtered, Some(self.raw_delay()))
            }
        };
        let offset = self.t2 - self.t1 - delay;
        let raw_delay = raw.map_or(0, |r| r.delay.0);
        let weight = if self.weighting() && self.filtered_delay.0 > 0 && raw_delay > 0 {
            (self.filtered_delay.0 as f64 / raw_delay as f64).min(1.0)
        } else {
            1.0
        };
        Some(OffsetUpdate { offset, weight, raw })
    }

    /// Forgets the timestamps; with `full` also the rate ratio, the filter and the filtered
    /// delay (linuxptp `tsproc_reset()`).
    pub fn reset(&mut self, full: bool) {
        self.t1 = ClockTime::default();
        self.t2 = ClockTime::default();
        self.t3 = ClockTime::default();
        self.t4 = ClockTime::default();
        if full {
            self.clock_rate_ratio = 1.0;
            self.delay_filter.reset();
            self.filtered_delay_valid = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i128 = 1_000_000_000;

    fn t(ns: i128) -> ClockTime {
        ClockTime(ns)
    }

    /// A master 500 ns behind the slave clock (offset +500), 1000 ns each way.
    fn exchange(tsp: &mut Tsproc, at: i128, extra_up: i128) {
        tsp.down_ts(t(at), t(at + 1000 + 500));
        tsp.up_ts(t(at + S / 2), t(at + S / 2 - 500 + 1000 + extra_up));
    }

    #[test]
    fn filter_mode() {
        let mut tsp = Tsproc::new(TsprocMode::Filter, DelayFilter::MovingMedian, 3).unwrap();
        assert_eq!(tsp.update_delay(), None);
        assert_eq!(tsp.update_offset(), None);
        exchange(&mut tsp, 10 * S, 0);
        let d = tsp.update_delay().unwrap();
        assert_eq!(d.raw.delay, Nanos(1000));
        assert_eq!(d.raw.t23, Nanos(500 - S / 2 + 1000));
        assert_eq!(d.raw.t41, Nanos(S / 2 + 500));
        assert_eq!((d.delay, d.filtered), (Nanos(1000), Nanos(1000)));
        let o = tsp.update_offset().unwrap();
        assert_eq!(o, OffsetUpdate { offset: Nanos(500), weight: 1.0, raw: None });
        // A slow up path: raw delay 1000 + 3000 / 2; median of [1000, 2500] = 1750.
        exchange(&mut tsp, 11 * S, 3000);
        let d = tsp.update_delay().unwrap();
        assert_eq!((d.delay, d.filtered, d.raw.delay), (Nanos(1750), Nanos(1750), Nanos(2500)));
        assert_eq!(tsp.update_offset().unwrap().offset, Nanos(1500 - 1750));
    }

    #[test]
    fn filter_mode_needs_filtered_delay_not_t3() {
        let mut tsp = Tsproc::new(TsprocMode::Filter, DelayFilter::MovingAverage, 4).unwrap();
        tsp.down_ts(t(100 * S), t(100 * S + 700));
        assert_eq!(tsp.update_offset(), None);
        tsp.set_delay(Nanos(200));
        assert_eq!(tsp.update_offset().unwrap().offset, Nanos(500));
    }

    #[test]
    fn raw_mode() {
        let mut tsp = Tsproc::new(TsprocMode::Raw, DelayFilter::MovingMedian, 3).unwrap();
        exchange(&mut tsp, 10 * S, 0);
        tsp.update_delay().unwrap();
        exchange(&mut tsp, 11 * S, 3000);
        let d = tsp.update_delay().unwrap();
        assert_eq!((d.delay, d.filtered), (Nanos(2500), Nanos(1750)));
        let o = tsp.update_offset().unwrap();
        assert_eq!(o.offset, Nanos(1500 - 2500));
        assert_eq!(o.weight, 1.0);
        assert_eq!(o.raw.map(|r| r.delay), Some(Nanos(2500)));
        // Raw mode needs t3 but no filtered delay.
        let mut tsp = Tsproc::new(TsprocMode::Raw, DelayFilter::MovingMedian, 3).unwrap();
        tsp.down_ts(t(5 * S), t(5 * S + 1500));
        assert_eq!(tsp.update_offset(), None);
        tsp.up_ts(t(5 * S + 10_000), t(5 * S + 10_500));
        // delay = ((1500 - 10000) + 10500) / 2 = 1000
        assert_eq!(tsp.update_offset().unwrap().offset, Nanos(500));
    }

    #[test]
    fn weighted_modes() {
        for mode in [TsprocMode::FilterWeight, TsprocMode::RawWeight] {
            let mut tsp = Tsproc::new(mode, DelayFilter::MovingMedian, 3).unwrap();
            exchange(&mut tsp, 10 * S, 0);
            tsp.update_delay().unwrap();
            let o = tsp.update_offset().unwrap();
            assert_eq!((o.offset, o.weight), (Nanos(500), 1.0), "{mode:?}");
            exchange(&mut tsp, 11 * S, 3000);
            tsp.update_delay().unwrap();
            let o = tsp.update_offset().unwrap();
            // filtered 1750 / raw 2500.
            assert_eq!(o.weight, 0.7, "{mode:?}");
            let expect = if mode == TsprocMode::FilterWeight { 1500 - 1750 } else { 1500 - 2500 };
            assert_eq!(o.offset, Nanos(expect), "{mode:?}");
            // Raw delay below the filtered one: weight capped at 1.
            exchange(&mut tsp, 12 * S, -1000);
            tsp.update_delay().unwrap();
            assert_eq!(tsp.update_offset().unwrap().weight, 1.0, "{mode:?}");
        }
    }

    #[test]
    fn filter_weight_needs_t3_and_filtered_delay() {
        let mut tsp = Tsproc::new(TsprocMode::FilterWeight, DelayFilter::MovingMedian, 3).unwrap();
        tsp.set_delay(Nanos(10));
        tsp.down_ts(t(S), t(S + 100));
        assert_eq!(tsp.update_offset(), None);
        tsp.up_ts(t(S + 200), t(S + 300));
        let o = tsp.update_offset().unwrap();
        // raw = ((100 - 200) + (300 - 0)) / 2 = 100 (t1 = S, t4 = S + 300); weight 10/100.
        assert_eq!(o.offset, Nanos(90));
        assert_eq!(o.weight, 0.1);
    }

    #[test]
    fn rate_ratio_scales_t23_truncated() {
        let mut tsp = Tsproc::new(TsprocMode::Raw, DelayFilter::MovingMedian, 1).unwrap();
        tsp.set_clock_rate_ratio(1.000_001);
        tsp.down_ts(t(S), t(S + 1_000_001)); // t2 - t1 = 1000001
        tsp.up_ts(t(S + 3_000_000), t(S + 1_000_000)); // t2 - t3 = -1999999; t4 - t1 = 1000000
        let d = tsp.update_delay().unwrap();
        // -1999999 * 1.000001 = -2000000.999999 -> -2000000 (towards zero)
        assert_eq!(d.raw.t23, Nanos(-2_000_000));
        assert_eq!(d.raw.t41, Nanos(1_000_000));
        // (-2000000 + 1000000) / 2 = -500000: negative, reported.
        assert_eq!(d.raw.delay, Nanos(-500_000));
        assert!(d.raw.is_negative());
        assert_eq!(d.raw.rr, 1.000_001);
    }

    #[test]
    fn odd_sum_truncates_towards_zero() {
        let mut tsp = Tsproc::new(TsprocMode::Raw, DelayFilter::MovingMedian, 1).unwrap();
        tsp.down_ts(t(S), t(S + 2));
        tsp.up_ts(t(S + 10), t(S + 5));
        // (2 - 10) + 5 = -3 -> -1
        assert_eq!(tsp.update_delay().unwrap().raw.delay, Nanos(-1));
        tsp.up_ts(t(S + 10), t(S + 11));
        // (2 - 10) + 11 = 3 -> 1
        assert_eq!(tsp.update_delay().unwrap().raw.delay, Nanos(1));
    }

    #[test]
    fn reset() {
        let mut tsp = Tsproc::new(TsprocMode::Filter, DelayFilter::MovingAverage, 5).unwrap();
        exchange(&mut tsp, 10 * S, 0);
        tsp.update_delay().unwrap();
        tsp.set_clock_rate_ratio(2.0);
        tsp.reset(false);
        assert_eq!(tsp.update_offset(), None);
        assert_eq!(tsp.filtered_delay(), Some(Nanos(1000)));
        assert_eq!(tsp.clock_rate_ratio(), 2.0);
        tsp.reset(true);
        assert_eq!(tsp.filtered_delay(), None);
        assert_eq!(tsp.clock_rate_ratio(), 1.0);
        // The filter starts afresh.
        tsp.down_ts(t(S), t(S + 10));
        tsp.up_ts(t(S + 20), t(S + 30));
        assert_eq!(tsp.update_delay().unwrap().filtered, Nanos(10));
    }

    #[test]
    fn bad_filter_length() {
        assert!(Tsproc::new(TsprocMode::Filter, DelayFilter::MovingMedian, 0).is_err());
    }
}
