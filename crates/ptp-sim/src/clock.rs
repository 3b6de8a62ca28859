//! Virtual clocks: a true timeline (integer ns since the start of the run) from which each
//! clock departs by an initial offset, a natural frequency error, a frequency wander (a random
//! walk of the frequency) and the adjustments the engine asks for, clamped to the clock's
//! largest frequency adjustment as a real PHC or the kernel clock clamps them.
//!
//! A reading is kept as an exact integer part plus an `f64` fraction of a nanosecond: an `f64`
//! alone would resolve only 256 ns at the 1.7e18 ns of a real date.
//!
//! True time is TAI-based PTP time. A PHC keeps PTP time; the system clock keeps UTC, which is
//! [`TAI_UTC_OFFSET_S`] seconds behind ([`VirtualClock::new_utc`]), and can have a leap second
//! armed that it applies at its next UTC midnight, as the kernel does
//! ([`VirtualClock::set_leap`]).

use ptp_engine::time::ClockTime;

use crate::rng::Rng;

/// The reading of every clock at true time 0 before its own offset: 2023-11-14 (1.7e9 s
/// since the PTP epoch), so timestamps look real.
pub const EPOCH_NS: i128 = 1_700_000_000_000_000_000;

/// TAI - UTC during the simulated run (seconds): a UTC clock reads this much less than a PHC
/// that keeps PTP time (TAI) when both are right.
pub const TAI_UTC_OFFSET_S: i32 = 37;

/// Nanoseconds in one UTC day.
const NS_PER_DAY: i128 = 86_400_000_000_000;
const NS_PER_SEC: i128 = 1_000_000_000;

/// The wander (random walk of frequency) is applied on a grid of this period, true time.
pub const WANDER_STEP_NS: i64 = 1_000_000_000;

/// How a clock departs from true time.
#[derive(Clone, Debug, PartialEq)]
pub struct ClockParams {
    /// Reading minus true time at the start of the run (ns, positive = ahead).
    pub offset_ns: i64,
    /// Natural frequency error (ppb, positive = runs fast).
    pub frequency_ppb: f64,
    /// Random walk of the frequency: standard deviation of the change of fractional frequency
    /// over one second (dimensionless per sqrt(s); 1e-9 = 1 ppb/sqrt(s)).
    pub wander: f64,
    /// Largest frequency adjustment the clock accepts (ppb); larger requests are clamped.
    pub max_adj_ppb: f64,
}

impl Default for ClockParams {
    fn default() -> Self {
        ClockParams { offset_ns: 0, frequency_ppb: 0.0, wander: 1e-9, max_adj_ppb: DEFAULT_MAX_ADJ_PPB }
    }
}

/// Largest frequency adjustment of a clock unless the scenario says otherwise: 500 ppm, the
/// kernel clock's limit and linuxptp's fallback (`max_frequency` may lower it further).
pub const DEFAULT_MAX_ADJ_PPB: f64 = 500_000.0;

/// A clock reading: `int` whole nanoseconds (since the PTP epoch) plus `frac` in [0, 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    pub int: i128,
    pub frac: f64,
}

impl Reading {
    /// `self - other` in ns (exact in the integer part).
    pub fn minus(self, other: Reading) -> f64 {
        (self.int - other.int) as f64 + (self.frac - other.frac)
    }
    /// The whole-nanosecond reading the engine sees.
    pub fn clock_time(self) -> ClockTime {
        ClockTime(self.int)
    }
}

/// What happened to a clock's adjustments (for the summary).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AdjustStats {
    /// Steps applied.
    pub steps: u32,
    /// Frequency requests beyond ±max_adj that were clamped.
    pub clamped: u32,
    /// Largest |frequency| requested (ppb).
    pub max_requested_ppb: f64,
    /// Leap seconds applied at a UTC midnight: +1 per inserted second, -1 per deleted one.
    pub leap_seconds: i32,
    /// Frequency settings and steps applied, and the true times (ns) of the first and the
    /// last of them.
    pub adjustments: u32,
    pub first_adjusted_ns: Option<i64>,
    pub last_adjusted_ns: Option<i64>,
}

impl AdjustStats {
    fn adjusted(&mut self, t: i64) {
        self.adjustments += 1;
        self.first_adjusted_ns.get_or_insert(t);
        self.last_adjusted_ns = Some(t);
    }

    /// The figures of several clocks together (the PHCs of one node).
    pub fn combined(all: impl IntoIterator<Item = AdjustStats>) -> AdjustStats {
        all.into_iter().fold(AdjustStats::default(), |a, b| AdjustStats {
            steps: a.steps + b.steps,
            clamped: a.clamped + b.clamped,
            max_requested_ppb: a.max_requested_ppb.max(b.max_requested_ppb),
            leap_seconds: a.leap_seconds + b.leap_seconds,
            adjustments: a.adjustments + b.adjustments,
            first_adjusted_ns: match (a.first_adjusted_ns, b.first_adjusted_ns) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            },
            last_adjusted_ns: a.last_adjusted_ns.max(b.last_adjusted_ns),
        })
    }
}

/// A free-running oscillator that the engine may steer.
#[derive(Clone, Debug)]
pub struct VirtualClock {
    params: ClockParams,
    /// Reading at `base_true`: `base_int + base_frac`.
    base_int: i128,
    base_frac: f64,
    base_true: i64,
    /// Current random-walk part of the frequency error (ppb).
    wander_ppb: f64,
    /// The adjustment last set by the engine (ppb, already clamped).
    adj_ppb: f64,
    next_wander: i64,
    rng: Rng,
    stats: AdjustStats,
    /// The armed leap second (+1 insert, -1 delete) and the reading at which it applies.
    leap: Option<(i8, i128)>,
}

impl VirtualClock {
    /// A clock created at true time `start` (its wander grid starts there), with its own random
    /// stream.
    pub fn new(params: ClockParams, start: i64, rng: Rng) -> Self {
        Self::with_epoch(params, start, rng, EPOCH_NS)
    }

    /// As [`VirtualClock::new`] for a clock that keeps UTC (the system clock): it reads
    /// [`TAI_UTC_OFFSET_S`] seconds less than a PHC with the same parameters.
    pub fn new_utc(params: ClockParams, start: i64, rng: Rng) -> Self {
        Self::with_epoch(params, start, rng, EPOCH_NS - i128::from(TAI_UTC_OFFSET_S) * NS_PER_SEC)
    }

    fn with_epoch(params: ClockParams, start: i64, rng: Rng, epoch: i128) -> Self {
        let base_int = epoch + i128::from(start) + i128::from(params.offset_ns);
        VirtualClock {
            params,
            base_int,
            base_frac: 0.0,
            base_true: start,
            wander_ppb: 0.0,
            adj_ppb: 0.0,
            next_wander: start.saturating_add(WANDER_STEP_NS),
            rng,
            stats: AdjustStats::default(),
            leap: None,
        }
    }

    pub fn params(&self) -> &ClockParams {
        &self.params
    }
    pub fn stats(&self) -> AdjustStats {
        self.stats
    }
    /// The adjustment in force (ppb).
    pub fn adjustment_ppb(&self) -> f64 {
        self.adj_ppb
    }

    /// The clock's total frequency error against true time (ppb): natural + wander + adjustment.
    pub fn frequency_error_ppb(&self) -> f64 {
        self.params.frequency_ppb + self.wander_ppb + self.adj_ppb
    }

    fn at(&self, t: i64) -> Reading {
        let dt = t - self.base_true;
        let corr = self.base_frac + dt as f64 * self.frequency_error_ppb() * 1e-9;
        let whole = corr.floor();
        Reading { int: self.base_int + i128::from(dt) + whole as i128, frac: corr - whole }
    }

    fn rebase(&mut self, t: i64) {
        let r = self.at(t);
        self.base_int = r.int;
        self.base_frac = r.frac;
        self.base_true = t;
    }

    /// Apply the wander of every grid point up to `t`. Calls must come with non-decreasing
    /// `t` (the event loop's order); the draws depend only on the grid, not on the calls.
    pub fn advance(&mut self, t: i64) {
        if self.params.wander <= 0.0 {
            return;
        }
        let sigma_ppb = self.params.wander * (WANDER_STEP_NS as f64 * 1e-9).sqrt() * 1e9;
        while self.next_wander <= t {
            let g = self.next_wander;
            self.rebase(g);
            self.wander_ppb += sigma_ppb * self.rng.normal();
            self.next_wander = g.saturating_add(WANDER_STEP_NS);
        }
    }

    /// The reading at true time `t`.
    pub fn read(&mut self, t: i64) -> Reading {
        self.advance(t);
        self.apply_leap(t);
        self.at(t)
    }

    /// Arm a leap second at `t` (`adjtimex` STA_INS / STA_DEL): +1 inserts one at the next
    /// UTC midnight of this clock's reading (the reading steps back 1 s when it reaches
    /// midnight, so 23:59:59 is played twice), -1 deletes one (the reading steps forward
    /// 1 s when it reaches 23:59:59), 0 disarms. Readings are UTC ns since 1970.
    pub fn set_leap(&mut self, leap: i8, t: i64) {
        self.advance(t);
        self.apply_leap(t);
        let now = self.at(t).int;
        let midnight = (now.div_euclid(NS_PER_DAY) + 1) * NS_PER_DAY;
        self.leap = match leap.signum() {
            1 => Some((1, midnight)),
            -1 => Some((-1, midnight - NS_PER_SEC)),
            _ => None,
        };
    }

    /// The armed leap second, if any (+1 or -1).
    pub fn armed_leap(&self) -> Option<i8> {
        self.leap.map(|(l, _)| l)
    }

    /// Apply the armed leap second if the reading has reached its time by `t`. The step is a
    /// constant shift, so applying it at the first look after the instant gives the same
    /// readings as applying it at the instant.
    fn apply_leap(&mut self, t: i64) {
        let Some((leap, at)) = self.leap else { return };
        if self.at(t).int < at {
            return;
        }
        self.rebase(t);
        self.base_int -= i128::from(leap) * NS_PER_SEC;
        self.stats.leap_seconds += i32::from(leap);
        self.leap = None;
    }

    /// Set the adjustment to `ppb` (absolute, positive = faster) at `t`, clamped to ±max_adj.
    pub fn set_frequency(&mut self, ppb: f64, t: i64) {
        self.advance(t);
        self.apply_leap(t);
        self.rebase(t);
        let max = self.params.max_adj_ppb;
        let ppb = if ppb.is_finite() { ppb } else { 0.0 };
        self.stats.max_requested_ppb = self.stats.max_requested_ppb.max(ppb.abs());
        if ppb.abs() > max {
            self.stats.clamped += 1;
        }
        self.adj_ppb = ppb.clamp(-max, max);
        self.stats.adjusted(t);
    }

    /// Step the clock by `offset_ns` at `t` (positive = forward).
    pub fn step(&mut self, offset_ns: i64, t: i64) {
        self.advance(t);
        self.apply_leap(t);
        self.rebase(t);
        self.base_int += i128::from(offset_ns);
        self.stats.steps += 1;
        self.stats.adjusted(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    fn clock(offset_ns: i64, frequency_ppb: f64) -> VirtualClock {
        let p = ClockParams { offset_ns, frequency_ppb, wander: 0.0, max_adj_ppb: 500_000.0 };
        VirtualClock::new(p, 0, Rng::new(1))
    }

    #[test]
    fn offset_and_frequency_error_accumulate_exactly() {
        let mut c = clock(100, 100_000.0);
        let r0 = c.read(0);
        assert_eq!(r0.int, EPOCH_NS + 100);
        // 100 ppm over 10 s = 1 ms.
        let r = c.read(10 * S);
        assert_eq!(r.int - EPOCH_NS, 10 * i128::from(S) + 100 + 1_000_000);
        // Sub-ns precision survives a real date: 1 ppb over 1.5 s = 1.5 ns.
        let mut c = clock(0, 1.0);
        let r = c.read(3 * S / 2);
        assert_eq!(r.int - EPOCH_NS, i128::from(3 * S / 2) + 1);
        assert!((r.frac - 0.5).abs() < 1e-6, "{}", r.frac);
    }

    #[test]
    fn adjustments_are_clamped_and_steps_are_exact() {
        let mut c = clock(0, 600_000.0);
        c.set_frequency(-600_000.0, S);
        assert_eq!(c.adjustment_ppb(), -500_000.0);
        assert_eq!(c.stats().clamped, 1);
        assert!((c.frequency_error_ppb() - 100_000.0).abs() < 1e-9);
        let before = c.read(2 * S);
        c.step(-1_000_000_000_000, 2 * S);
        let after = c.read(2 * S);
        assert!((after.minus(before) + 1e12).abs() < 1e-6);
        assert_eq!(c.stats().steps, 1);
        c.set_frequency(f64::NAN, 3 * S);
        assert_eq!(c.adjustment_ppb(), 0.0);
        let st = c.stats();
        assert_eq!((st.adjustments, st.first_adjusted_ns, st.last_adjusted_ns), (3, Some(S), Some(3 * S)));
        let both = AdjustStats::combined([st, clock(0, 0.0).stats()]);
        assert_eq!((both.adjustments, both.first_adjusted_ns, both.steps), (3, Some(S), 1));
    }

    #[test]
    fn a_utc_clock_reads_tai_minus_the_utc_offset() {
        let p = ClockParams { offset_ns: 5, frequency_ppb: 0.0, wander: 0.0, max_adj_ppb: 500_000.0 };
        let mut tai = VirtualClock::new(p.clone(), 0, Rng::new(1));
        let mut utc = VirtualClock::new_utc(p, 0, Rng::new(1));
        assert_eq!(tai.read(S).int - utc.read(S).int, 37 * i128::from(S));
    }

    #[test]
    fn leap_seconds_apply_at_the_next_utc_midnight() {
        let day = i128::from(86_400 * S);
        // A clock at 23:59:30 UTC.
        let mut c = clock(0, 0.0);
        let r0 = c.read(0).int;
        let to_midnight = day - r0.rem_euclid(day);
        c.step(i64::try_from(to_midnight).unwrap() - 30 * S, 0);
        let start = c.read(0).int;
        assert_eq!(start.rem_euclid(day), day - 30 * i128::from(S));
        // Inserted: 23:59:59 is played twice; the clock reads 1 s less from midnight on.
        c.set_leap(1, S);
        assert_eq!(c.armed_leap(), Some(1));
        assert_eq!(c.read(29 * S).int - start, 29 * i128::from(S));
        assert_eq!(c.read(30 * S - 1).int - start, 30 * i128::from(S) - 1);
        assert_eq!(c.read(30 * S).int - start, 29 * i128::from(S));
        assert_eq!(c.read(40 * S).int - start, 39 * i128::from(S));
        assert_eq!(c.armed_leap(), None);
        assert_eq!(c.stats().leap_seconds, 1);
        // Applied lazily, the result is the same as at the instant: read first 10 s later.
        let mut d = clock(0, 0.0);
        d.step(i64::try_from(to_midnight).unwrap() - 30 * S, 0);
        d.set_leap(1, S);
        assert_eq!(d.read(40 * S).int - start, 39 * i128::from(S));

        // Deleted: the reading jumps from 23:59:59 to midnight.
        let mut c = clock(0, 0.0);
        c.step(i64::try_from(to_midnight).unwrap() - 30 * S, 0);
        c.set_leap(-1, S);
        assert_eq!(c.read(29 * S - 1).int - start, 29 * i128::from(S) - 1);
        assert_eq!(c.read(29 * S).int - start, 30 * i128::from(S));
        assert_eq!(c.stats().leap_seconds, -1);
        // Disarmed: nothing happens.
        let mut c = clock(0, 0.0);
        c.step(i64::try_from(to_midnight).unwrap() - 30 * S, 0);
        c.set_leap(1, S);
        c.set_leap(0, 2 * S);
        assert_eq!(c.read(40 * S).int - start, 40 * i128::from(S));
        assert_eq!(c.stats().leap_seconds, 0);
    }

    #[test]
    fn wander_is_a_random_walk_of_the_given_size() {
        // 1e-9/sqrt(s): after 400 s the frequency has moved by ~20 ppb (one sigma), across
        // many clocks.
        let p = ClockParams { wander: 1e-9, ..ClockParams::default() };
        let mut sq = 0.0;
        let n = 200;
        for i in 0..n {
            let mut c = VirtualClock::new(p.clone(), 0, Rng::stream(3, "w", i));
            c.read(400 * S);
            sq += c.frequency_error_ppb().powi(2);
        }
        let sd = (sq / n as f64).sqrt();
        assert!((15.0..25.0).contains(&sd), "{sd}");
        // The draws depend on the grid only, not on how often the clock is read.
        let mut a = VirtualClock::new(p.clone(), 0, Rng::new(9));
        let mut b = VirtualClock::new(p, 0, Rng::new(9));
        for k in 0..1000 {
            a.read(k * S / 10);
        }
        assert_eq!(a.read(100 * S), b.read(100 * S));
    }
}
