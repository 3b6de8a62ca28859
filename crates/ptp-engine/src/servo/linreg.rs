//! The linear regression servo (linuxptp `linreg.c`).
//!
//! The servo keeps the last 64 points (uncorrected local time, reference time): the local
//! time of each sample with the servo's own frequency corrections taken out, against that
//! local time minus the offset. At every sample it fits a weighted least-squares line over the
//! newest 4, 8, 16, 32 and 64 points, tracks for each size an average of how well the previous
//! fit predicted the new point (the first 10 predictions averaged, then exponentially with
//! factor 0.02) and uses the largest size whose prediction error is within 5 % of the best.
//!
//! The frequency is set to the slope of that line, plus the intercept (the predicted offset)
//! spread over one update interval (sizes 4 and 16 points and below), 2 (32 points) or 3
//! (64 points), clamped to ±max_frequency. With fewer than 4 points the servo is UNLOCKED and
//! keeps the frequency. When the intercept calls for a step (`first_step_threshold` on the
//! first update, `step_threshold` always) the state is JUMP and the points are moved as if
//! the clock had been stepped by the offset.
//!
//! The servo also estimates the reference's frequency relative to the local clock
//! ([`Servo::rate_ratio`]) and shifts its points when a leap second has been applied.
//!
//! Time values are kept as wrapping 64-bit integers, as linuxptp keeps them, so that
//! differences stay exact however long the servo runs.

use ptp_config::enums::ClockServo;

use super::{usable_interval, Servo, ServoCommon, ServoConfig};
use crate::state::ServoState;

/// Sizes of the fits, as powers of two: 4 .. 64 points.
const MIN_SIZE: u32 = 2;
const MAX_SIZE: u32 = 6;
const MAX_POINTS: usize = 1 << MAX_SIZE;
const NUM_SIZES: usize = (MAX_SIZE - MIN_SIZE + 1) as usize;
/// Smoothing factor of the long-term prediction error.
const ERR_SMOOTH: f64 = 0.02;
/// Predictions averaged plainly before the smoothing starts.
const ERR_INITIAL_UPDATES: u32 = 10;
/// Two prediction errors within this ratio count as equal (the larger size wins).
const ERR_EQUALS: f64 = 1.05;

/// The fit the linreg servo used in its last sample (for the DEBUG line `linreg: points %d
/// slope %.9f intercept %.0f err %.0f`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinregStatus {
    /// Points in the fit (4 .. 64).
    pub points: u32,
    /// Reference time per uncorrected local time.
    pub slope: f64,
    /// Predicted reference-minus-local time now, ns.
    pub intercept: f64,
    /// Average prediction error of this size, ns.
    pub err: f64,
}

/// Uncorrected local time (x) against reference time (y), with the sample's weight.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Point {
    x: u64,
    y: u64,
    w: f64,
}

/// The latest fit of one size and its prediction error.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Fit {
    slope: f64,
    intercept: f64,
    err: f64,
    err_updates: u32,
}

/// The linear regression servo.
#[derive(Clone, Debug)]
pub struct LinregServo {
    common: ServoCommon,
    /// Circular buffer of points; `last_point` is the newest.
    points: [Point; MAX_POINTS],
    /// "Now" in x and y; point coordinates are taken relative to it.
    reference: Point,
    num_points: usize,
    last_point: usize,
    /// Fractional part left over when moving `reference.x`.
    x_remainder: f64,
    /// Local time of the last sample (0: none).
    last_update: u64,
    /// Fits of 4, 8, 16, 32, 64 points.
    fits: [Fit; NUM_SIZES],
    /// Size (log2 of points) in use; 0 before there are enough points.
    size: u32,
    /// The frequency correction applied to the clock, ppb (the negated answer).
    clock_freq: f64,
    /// Seconds between samples.
    update_interval: f64,
    frequency_ratio: f64,
    leap: i32,
    status: Option<LinregStatus>,
}

impl LinregServo {
    /// A linreg servo (linuxptp `servo_create()` with `linreg_servo_create()`).
    ///
    /// The update interval is 1 s until [`Servo::sync_interval`] is called (linuxptp leaves it
    /// 0 and relies on the caller setting it before the first sample).
    pub fn new(cfg: &ServoConfig, initial_freq_ppb: f64, max_freq_ppb: i32) -> Self {
        LinregServo {
            common: ServoCommon::new(cfg, max_freq_ppb),
            points: [Point::default(); MAX_POINTS],
            reference: Point::default(),
            num_points: 0,
            last_point: 0,
            x_remainder: 0.0,
            last_update: 0,
            fits: [Fit::default(); NUM_SIZES],
            size: 0,
            clock_freq: if initial_freq_ppb.is_finite() { -initial_freq_ppb } else { 0.0 },
            update_interval: 1.0,
            frequency_ratio: 1.0,
            leap: 0,
            status: None,
        }
    }

    /// The shared servo settings.
    pub fn common(&self) -> &ServoCommon {
        &self.common
    }

    /// Moves "now" by (x, y) and re-expresses every fit's intercept relative to it.
    fn move_reference(&mut self, x: i64, y: i64) {
        self.reference.x = self.reference.x.wrapping_add(x as u64);
        self.reference.y = self.reference.y.wrapping_add(y as u64);
        for fit in &mut self.fits {
            fit.intercept += x as f64 * fit.slope - y as f64;
        }
    }

    /// Advances "now" to `local_ts`, taking the servo's own frequency correction out of x.
    fn update_reference(&mut self, local_ts: u64) {
        if self.last_update != 0 {
            let y_interval = local_ts.wrapping_sub(self.last_update) as i64;
            let mut x_interval = y_interval as f64 / (1.0 + self.clock_freq / 1e9);
            x_interval += self.x_remainder;
            let whole = x_interval as i64;
            self.x_remainder = x_interval - whole as f64;
            if !self.x_remainder.is_finite() {
                self.x_remainder = 0.0;
            }
            self.move_reference(whole, y_interval);
        }
        self.last_update = local_ts;
    }

    fn add_sample(&mut self, offset: i64, weight: f64) {
        self.last_point = (self.last_point + 1) % MAX_POINTS;
        let point = Point { x: self.reference.x, y: self.reference.y.wrapping_sub(offset as u64), w: weight };
        if let Some(p) = self.points.get_mut(self.last_point) {
            *p = point;
        }
        if self.num_points < MAX_POINTS {
            self.num_points += 1;
        }
    }

    /// Point `age` samples old (0: newest), relative to "now".
    fn relative_point(&self, age: usize) -> (f64, f64, f64) {
        let idx = (MAX_POINTS + self.last_point - age % MAX_POINTS) % MAX_POINTS;
        let p = self.points.get(idx).copied().unwrap_or_default();
        let x = p.x.wrapping_sub(self.reference.x) as i64 as f64;
        let y = p.y.wrapping_sub(self.reference.y) as i64 as f64;
        (x, y, p.w)
    }

    /// Updates each size's prediction error with the newest point, then fits every size there
    /// are enough points for. The sums grow from the newest point outwards, so each size reuses
    /// the smaller one's.
    fn regress(&mut self) {
        let (mut x_sum, mut y_sum, mut xy_sum, mut x2_sum, mut w_sum) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let (_, y0, _) = self.relative_point(0);
        let mut i = 0;
        for size in MIN_SIZE..=MAX_SIZE {
            let n = 1usize << size;
            if n > self.num_points {
                break;
            }
            while i < n {
                let (x, y, w) = self.relative_point(i);
                x_sum += x * w;
                y_sum += y * w;
                xy_sum += x * y * w;
                x2_sum += x * x * w;
                w_sum += w;
                i += 1;
            }
            let Some(fit) = self.fits.get_mut((size - MIN_SIZE) as usize) else { break };
            if fit.slope != 0.0 {
                let e = (fit.intercept - y0).abs();
                if fit.err_updates < ERR_INITIAL_UPDATES {
                    fit.err *= f64::from(fit.err_updates);
                    fit.err += e;
                    fit.err_updates += 1;
                    fit.err /= f64::from(fit.err_updates);
                } else {
                    fit.err += ERR_SMOOTH * (e - fit.err);
                }
            }
            let slope = (xy_sum - x_sum * y_sum / w_sum) / (x2_sum - x_sum * x_sum / w_sum);
            let intercept = (y_sum - slope * x_sum) / w_sum;
            if slope.is_finite() && intercept.is_finite() {
                fit.slope = slope;
                fit.intercept = intercept;
            } else {
                // Degenerate points (all at one local time, or all of weight 0), which linuxptp
                // never feeds: this size has no fit until the points allow one.
                *fit = Fit::default();
            }
        }
    }

    /// Picks the largest size with the smallest prediction error.
    fn update_size(&mut self) {
        let mut best_size = 0;
        let mut best_err = 0.0;
        for (size, fit) in (MIN_SIZE..=MAX_SIZE).zip(self.fits.iter()) {
            if (best_size == 0 && fit.slope != 0.0)
                || (best_err * ERR_EQUALS > fit.err && fit.err_updates >= ERR_INITIAL_UPDATES)
            {
                best_size = size;
                best_err = fit.err;
            }
        }
        self.size = best_size;
    }

    fn current_fit(&self) -> Option<Fit> {
        self.size.checked_sub(MIN_SIZE).and_then(|i| self.fits.get(i as usize)).copied()
    }
}

impl Servo for LinregServo {
    fn kind(&self) -> ClockServo {
        ClockServo::Linreg
    }

    fn sample(&mut self, offset_ns: i64, local_ts_ns: u64, weight: f64) -> (f64, ServoState) {
        // The time of the sample stands for the time the new frequency takes effect; with
        // differences much smaller than the update interval the loop copes with that.
        self.update_reference(local_ts_ns);
        self.add_sample(offset_ns, super::sanitize_weight(weight));
        self.regress();
        self.update_size();

        let Some(fit) = self.current_fit() else {
            // Not enough points yet.
            self.status = None;
            return (-self.clock_freq, self.common.after_sample(offset_ns, ServoState::Unlocked));
        };
        self.status =
            Some(LinregStatus { points: 1 << self.size, slope: fit.slope, intercept: fit.intercept, err: fit.err });

        let state = if self.common.wants_step(fit.intercept.abs()) {
            // The clock will be stepped by the offset.
            self.move_reference(0, offset_ns.wrapping_neg());
            self.last_update = self.last_update.wrapping_sub(offset_ns as u64);
            ServoState::Jump
        } else {
            ServoState::Locked
        };
        // Moving the reference changed the intercept.
        let fit = self.current_fit().unwrap_or(fit);

        // Frequency from the slope, plus the predicted offset corrected over one or more
        // update intervals (longer with more points, for a smaller frequency error).
        let corr_interval = if self.size <= 4 { 1 } else { self.size / 2 };
        let freq = 1e9 * (fit.slope - 1.0) + fit.intercept / self.update_interval / f64::from(corr_interval);
        self.clock_freq = self.common.clamp(freq);
        let ratio = fit.slope / (1.0 + self.clock_freq / 1e9);
        // Not finite only for a correction of -100 %; keep the last ratio then.
        if ratio.is_finite() {
            self.frequency_ratio = ratio;
        }

        (-self.clock_freq, self.common.after_sample(offset_ns, state))
    }

    fn sync_interval(&mut self, interval_s: f64) {
        if usable_interval(interval_s) {
            self.update_interval = interval_s;
        }
    }

    fn reset(&mut self) {
        self.num_points = 0;
        self.last_update = 0;
        self.size = 0;
        self.frequency_ratio = 1.0;
        self.status = None;
        for fit in &mut self.fits {
            fit.slope = 0.0;
            fit.err_updates = 0;
        }
    }

    fn rate_ratio(&self) -> f64 {
        self.frequency_ratio
    }

    fn leap(&mut self, leap: i32) {
        // Once the leap second has been applied to the reference time, move the points as if
        // the clock had been stepped the other way.
        if self.leap != 0 && leap == 0 {
            self.move_reference(0, i64::from(self.leap) * 1_000_000_000);
        }
        self.leap = leap;
    }

    fn offset_threshold(&self) -> i32 {
        self.common.offset_threshold()
    }

    fn max_frequency(&self) -> f64 {
        self.common.max_frequency()
    }

    fn linreg_status(&self) -> Option<LinregStatus> {
        self.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: u64 = 1_000_000_000;

    fn servo() -> LinregServo {
        let mut s = LinregServo::new(&ServoConfig::default(), 0.0, 1_000_000);
        s.sync_interval(1.0);
        s
    }

    #[test]
    fn unlocked_until_four_points() {
        let mut s = LinregServo::new(&ServoConfig::default(), 250.0, 1_000_000);
        s.sync_interval(1.0);
        for i in 1..=3 {
            assert_eq!(s.sample(100, i * SEC, 1.0), (250.0, ServoState::Unlocked));
            assert_eq!(s.linreg_status(), None);
        }
        let (_, st) = s.sample(100, 4 * SEC, 1.0);
        assert_eq!(st, ServoState::Locked);
        assert_eq!(s.linreg_status().map(|st| st.points), Some(4));
    }

    #[test]
    fn constant_offset_hand_computed() {
        // Offsets 100 ns at 1, 2, 3, 4 s with no correction applied: every point is
        // (t, t - 100) relative to now, so slope 1, intercept -100, and the answer is
        // -(1e9 * 0 + -100 / 1 / 1) = +100 ppb (slow the clock down by 100 ppb).
        let mut s = servo();
        for i in 1..=3 {
            s.sample(100, i * SEC, 1.0);
        }
        let (ppb, st) = s.sample(100, 4 * SEC, 1.0);
        assert_eq!(st, ServoState::Locked);
        let status = s.linreg_status().unwrap();
        assert_eq!(status.slope, 1.0);
        assert_eq!(status.intercept, -100.0);
        assert_eq!(status.err, 0.0);
        assert_eq!(ppb, 100.0);
        // The reference runs at the corrected clock's rate: 1 / (1 - 100e-9).
        assert_eq!(s.rate_ratio(), 1.0 / (1.0 - 100e-9));
    }

    #[test]
    fn frequency_error_hand_computed() {
        // The local clock gains 1000 ns per second: offsets 1000, 2000, 3000, 4000.
        // y = x - offset: slope (1e9 - 1000) / 1e9, intercept -4000 at now.
        let mut s = servo();
        for i in 1..=3 {
            s.sample(1000 * i as i64, i * SEC, 1.0);
        }
        let (ppb, _) = s.sample(4000, 4 * SEC, 1.0);
        let status = s.linreg_status().unwrap();
        assert!((status.slope - (1.0 - 1e-6)).abs() < 1e-15, "{status:?}");
        assert!((status.intercept + 4000.0).abs() < 1e-6, "{status:?}");
        // clock_freq = 1e9 * (slope - 1) + intercept = -1000 - 4000.
        assert!((ppb - 5000.0).abs() < 1e-6, "{ppb}");
    }

    #[test]
    fn first_step_moves_points() {
        let cfg = ServoConfig { first_step_threshold: 0.00002, ..ServoConfig::default() };
        let mut s = LinregServo::new(&cfg, 0.0, 1_000_000);
        s.sync_interval(1.0);
        for i in 1..=3 {
            s.sample(50_000, i * SEC, 1.0);
        }
        let (ppb, st) = s.sample(50_000, 4 * SEC, 1.0);
        assert_eq!(st, ServoState::Jump);
        // After the step the predicted offset is 0 and the slope 1: no correction.
        assert!(ppb.abs() < 1e-6, "{ppb}");
        // The clock was stepped: offsets are now 0, nothing left to do.
        let (ppb, st) = s.sample(0, 5 * SEC - 50_000, 1.0);
        assert_eq!(st, ServoState::Locked);
        assert!(ppb.abs() < 1e-3, "{ppb}");
        // first_step_threshold no longer applies.
        let (_, st) = s.sample(50_000, 6 * SEC - 50_000, 1.0);
        assert_eq!(st, ServoState::Locked);
    }

    #[test]
    fn clamped_to_max_frequency() {
        let mut s = LinregServo::new(&ServoConfig::default(), 0.0, 500);
        s.sync_interval(1.0);
        for i in 1..=4 {
            s.sample(1_000_000 * i as i64, i * SEC, 1.0);
        }
        let (ppb, _) = s.sample(5_000_000, 5 * SEC, 1.0);
        assert_eq!(ppb, 500.0);
    }

    #[test]
    fn reset_forgets_points() {
        let mut s = servo();
        for i in 1..=5 {
            s.sample(10, i * SEC, 1.0);
        }
        s.reset();
        assert_eq!(s.rate_ratio(), 1.0);
        let (_, st) = s.sample(10, 6 * SEC, 1.0);
        assert_eq!(st, ServoState::Unlocked);
    }

    #[test]
    fn leap_moves_reference_when_applied() {
        let mut s = servo();
        for i in 1..=4 {
            s.sample(0, i * SEC, 1.0);
        }
        s.leap(1);
        let before = s.fits;
        s.leap(0);
        for (b, a) in before.iter().zip(s.fits.iter()) {
            assert_eq!(a.intercept, b.intercept - 1e9);
        }
    }

    #[test]
    fn repeated_timestamps_do_not_poison() {
        let mut s = servo();
        for _ in 0..10 {
            let (ppb, _) = s.sample(100, 5 * SEC, 1.0);
            assert!(ppb.is_finite());
        }
        for i in 6..20 {
            let (ppb, _) = s.sample(100, i * SEC, 0.0);
            assert!(ppb.is_finite());
        }
    }
}
