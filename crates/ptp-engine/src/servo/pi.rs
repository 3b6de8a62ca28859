//! The PI (proportional-integral) servo, linuxptp's default (`pi.c`).
//!
//! Behaviour, as linuxptp's:
//! - The first sample is remembered (UNLOCKED).
//! - The second sample, once it is at least `0.016 / ki` seconds after the first (at most
//!   1000 s, measured with a 0.1 % margin), estimates the frequency error from the two
//!   offsets: `drift += (1e9 - drift) * (offset2 - offset1) / (local2 - local1)`, clamped to
//!   ±max_frequency, and answers that drift as the adjustment. The state is JUMP when the
//!   offset calls for a step (`first_step_threshold` on the first update, `step_threshold`
//!   always), LOCKED otherwise. A second sample not newer than the first starts over; one too
//!   soon is UNLOCKED and waits for a later one.
//! - From then on, `ppb = kp * offset * w + drift + ki * offset * w`; the integral
//!   (`drift += ki * offset * w`) is only taken when `ppb` is within ±max_frequency, otherwise
//!   `ppb` is clamped and the drift kept (anti-windup). An offset above `step_threshold`
//!   resets the servo to the first step (UNLOCKED), so the frequency is estimated again and
//!   the next estimate answers JUMP.
//!
//! The constants (linuxptp `pi_sync_interval()`): `kp = kp_scale * interval^kp_exponent`,
//! at most `kp_norm_max / interval`; likewise `ki`. With both `pi_proportional_const` and
//! `pi_integral_const` non-zero they are used as the scales with exponent 0 and norm_max 1.0
//! and 2.0; otherwise, when either scale is 0, both scales take the defaults 0.7 / 0.3 with
//! hardware timestamping or 0.1 / 0.001 with software timestamping.

use ptp_config::enums::ClockServo;

use super::{sanitize_weight, usable_interval, Servo, ServoCommon, ServoConfig};
use crate::state::ServoState;

const HWTS_KP_SCALE: f64 = 0.7;
const HWTS_KI_SCALE: f64 = 0.3;
const SWTS_KP_SCALE: f64 = 0.1;
const SWTS_KI_SCALE: f64 = 0.001;
/// norm_max used with fixed constants: the largest values that keep the loop stable.
const MAX_KP_NORM_MAX: f64 = 1.0;
const MAX_KI_NORM_MAX: f64 = 2.0;
/// The interval between the first two samples is stretched by this fraction before being
/// compared with the frequency estimation interval, so timestamp jitter does not delay it by
/// one sample.
const FREQ_EST_MARGIN: f64 = 0.001;
/// The frequency estimation interval is this many "ki seconds" ...
const FREQ_EST_KI: f64 = 0.016;
/// ... but at most this long (s).
const FREQ_EST_MAX: f64 = 1000.0;

/// The PI constants chosen for a sync interval (for `PI servo: sync interval %.3f kp %.3f ki
/// %.6f`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PiGains {
    /// Seconds between samples.
    pub sync_interval: f64,
    /// Proportional constant.
    pub kp: f64,
    /// Integral constant.
    pub ki: f64,
}

/// Where the servo is in its start-up sequence (linuxptp's `count` 0, 1, 2).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    /// No sample yet.
    Empty,
    /// One sample kept, waiting for a later one to estimate the frequency.
    HaveFirst { offset: i64, local: u64 },
    /// Frequency estimated; PI control.
    Running,
}

/// The PI servo.
#[derive(Clone, Debug)]
pub struct PiServo {
    common: ServoCommon,
    phase: Phase,
    drift: f64,
    kp: f64,
    ki: f64,
    last_freq: f64,
    sync_interval: Option<f64>,
    kp_scale: f64,
    kp_exponent: f64,
    kp_norm_max: f64,
    ki_scale: f64,
    ki_exponent: f64,
    ki_norm_max: f64,
}

impl PiServo {
    /// A PI servo (linuxptp `servo_create()` with `pi_servo_create()`); `initial_freq_ppb` is
    /// where the drift starts and what is answered until the frequency is estimated.
    /// kp and ki are 0 until [`Servo::sync_interval`] is called. A non-finite initial
    /// frequency is taken as 0.
    pub fn new(cfg: &ServoConfig, initial_freq_ppb: f64, max_freq_ppb: i32, software_timestamping: bool) -> Self {
        let (kp_scale, kp_exponent, kp_norm_max, ki_scale, ki_exponent, ki_norm_max) =
            if cfg.pi_proportional_const != 0.0 && cfg.pi_integral_const != 0.0 {
                (cfg.pi_proportional_const, 0.0, MAX_KP_NORM_MAX, cfg.pi_integral_const, 0.0, MAX_KI_NORM_MAX)
            } else {
                let (kp_scale, ki_scale) = if cfg.pi_proportional_scale == 0.0 || cfg.pi_integral_scale == 0.0 {
                    if software_timestamping {
                        (SWTS_KP_SCALE, SWTS_KI_SCALE)
                    } else {
                        (HWTS_KP_SCALE, HWTS_KI_SCALE)
                    }
                } else {
                    (cfg.pi_proportional_scale, cfg.pi_integral_scale)
                };
                (
                    kp_scale,
                    cfg.pi_proportional_exponent,
                    cfg.pi_proportional_norm_max,
                    ki_scale,
                    cfg.pi_integral_exponent,
                    cfg.pi_integral_norm_max,
                )
            };
        let initial_freq_ppb = if initial_freq_ppb.is_finite() { initial_freq_ppb } else { 0.0 };
        PiServo {
            common: ServoCommon::new(cfg, max_freq_ppb),
            phase: Phase::Empty,
            drift: initial_freq_ppb,
            kp: 0.0,
            ki: 0.0,
            last_freq: initial_freq_ppb,
            sync_interval: None,
            kp_scale,
            kp_exponent,
            kp_norm_max,
            ki_scale,
            ki_exponent,
            ki_norm_max,
        }
    }

    /// Proportional constant in use.
    pub fn kp(&self) -> f64 {
        self.kp
    }

    /// Integral constant in use.
    pub fn ki(&self) -> f64 {
        self.ki
    }

    /// The integral term: the estimated frequency error, ppb.
    pub fn drift(&self) -> f64 {
        self.drift
    }

    /// The shared servo settings.
    pub fn common(&self) -> &ServoCommon {
        &self.common
    }

    fn pi_sample(&mut self, offset: i64, local_ts: u64, weight: f64) -> (f64, ServoState) {
        let max = self.common.max_frequency();
        let abs_offset = (offset as f64).abs();
        let mut ppb = self.last_freq;
        let state = match self.phase {
            Phase::Empty => {
                self.phase = Phase::HaveFirst { offset, local: local_ts };
                ServoState::Unlocked
            }
            Phase::HaveFirst { offset: offset0, local: local0 } => {
                if local0 >= local_ts {
                    // The first sample must be the older one: start over.
                    self.phase = Phase::Empty;
                    ServoState::Unlocked
                } else {
                    let elapsed = (local_ts - local0) as f64;
                    let mut localdiff = elapsed / 1e9;
                    localdiff += localdiff * FREQ_EST_MARGIN;
                    let mut freq_est_interval = FREQ_EST_KI / self.ki;
                    if freq_est_interval > FREQ_EST_MAX {
                        freq_est_interval = FREQ_EST_MAX;
                    }
                    if localdiff < freq_est_interval {
                        // Too soon to estimate; keep the first sample.
                        ServoState::Unlocked
                    } else {
                        let offset_change = (i128::from(offset) - i128::from(offset0)) as f64;
                        self.drift += (1e9 - self.drift) * offset_change / elapsed;
                        if self.drift < -max {
                            self.drift = -max;
                        } else if self.drift > max {
                            self.drift = max;
                        } else if self.drift.is_nan() {
                            self.drift = 0.0;
                        }
                        ppb = self.drift;
                        self.phase = Phase::Running;
                        if self.common.wants_step(abs_offset) {
                            ServoState::Jump
                        } else {
                            ServoState::Locked
                        }
                    }
                }
            }
            Phase::Running => {
                if self.common.exceeds_step_threshold(abs_offset) {
                    // Start over: the frequency is estimated again and the clock stepped then.
                    self.phase = Phase::Empty;
                    ServoState::Unlocked
                } else {
                    let ki_term = self.ki * offset as f64 * weight;
                    let candidate = self.kp * offset as f64 * weight + self.drift + ki_term;
                    if candidate < -max {
                        ppb = -max;
                    } else if candidate > max {
                        ppb = max;
                    } else if !candidate.is_nan() {
                        ppb = candidate;
                        self.drift += ki_term;
                    }
                    ServoState::Locked
                }
            }
        };
        self.last_freq = ppb;
        (ppb, state)
    }
}

impl Servo for PiServo {
    fn kind(&self) -> ClockServo {
        ClockServo::Pi
    }

    fn sample(&mut self, offset_ns: i64, local_ts_ns: u64, weight: f64) -> (f64, ServoState) {
        let (ppb, state) = self.pi_sample(offset_ns, local_ts_ns, sanitize_weight(weight));
        (ppb, self.common.after_sample(offset_ns, state))
    }

    fn sync_interval(&mut self, interval_s: f64) {
        if !usable_interval(interval_s) {
            return;
        }
        let gain = |scale: f64, exponent: f64, norm_max: f64| {
            let g = scale * interval_s.powf(exponent);
            let limit = norm_max / interval_s;
            let g = if g > limit { limit } else { g };
            if g.is_finite() {
                g
            } else {
                0.0
            }
        };
        self.kp = gain(self.kp_scale, self.kp_exponent, self.kp_norm_max);
        self.ki = gain(self.ki_scale, self.ki_exponent, self.ki_norm_max);
        self.sync_interval = Some(interval_s);
    }

    fn reset(&mut self) {
        self.phase = Phase::Empty;
    }

    fn offset_threshold(&self) -> i32 {
        self.common.offset_threshold()
    }

    fn max_frequency(&self) -> f64 {
        self.common.max_frequency()
    }

    /// `None` until the first [`Servo::sync_interval`].
    fn pi_gains(&self) -> Option<PiGains> {
        self.sync_interval.map(|sync_interval| PiGains { sync_interval, kp: self.kp, ki: self.ki })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gains(cfg: &ServoConfig, sw: bool, interval: f64) -> PiGains {
        let mut s = PiServo::new(cfg, 0.0, 1_000_000, sw);
        assert_eq!(s.pi_gains(), None);
        s.sync_interval(interval);
        s.pi_gains().unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn hardware_defaults() {
        let g = gains(&ServoConfig::default(), false, 1.0);
        assert_eq!((g.kp, g.ki), (0.7, 0.3));
        // 2^-3 s: kp = 0.7 * 0.125^-0.3, ki = 0.3 * 0.125^0.4, both below norm_max / interval.
        let g = gains(&ServoConfig::default(), false, 0.125);
        assert!(close(g.kp, 0.7 * 0.125f64.powf(-0.3)), "{g:?}");
        assert!(close(g.ki, 0.3 * 0.125f64.powf(0.4)), "{g:?}");
        assert_eq!(format!("{:.3} {:.3} {:.6}", g.sync_interval, g.kp, g.ki), "0.125 1.306 0.130583");
        // 16 s: both limited by norm_max / interval.
        let g = gains(&ServoConfig::default(), false, 16.0);
        assert_eq!((g.kp, g.ki), (0.7 / 16.0, 0.3 / 16.0));
    }

    #[test]
    fn software_defaults() {
        let g = gains(&ServoConfig::default(), true, 1.0);
        assert_eq!((g.kp, g.ki), (0.1, 0.001));
        let g = gains(&ServoConfig::default(), true, 4.0);
        assert!(close(g.kp, 0.1 * 4f64.powf(-0.3)));
        assert!(close(g.ki, 0.001 * 4f64.powf(0.4)));
    }

    #[test]
    fn fixed_constants_only_limited_for_stability() {
        let cfg = ServoConfig { pi_proportional_const: 0.5, pi_integral_const: 0.1, ..ServoConfig::default() };
        let g = gains(&cfg, true, 1.0);
        assert_eq!((g.kp, g.ki), (0.5, 0.1));
        let g = gains(&cfg, false, 0.125);
        assert_eq!((g.kp, g.ki), (0.5, 0.1));
        let g = gains(&cfg, false, 4.0);
        assert_eq!((g.kp, g.ki), (0.25, 0.1));
        let g = gains(&cfg, false, 64.0);
        assert_eq!((g.kp, g.ki), (1.0 / 64.0, 2.0 / 64.0));
    }

    #[test]
    fn one_constant_alone_is_ignored() {
        let cfg = ServoConfig { pi_proportional_const: 0.5, ..ServoConfig::default() };
        let g = gains(&cfg, false, 1.0);
        assert_eq!((g.kp, g.ki), (0.7, 0.3));
    }

    #[test]
    fn scales_used_only_when_both_set() {
        let cfg = ServoConfig { pi_proportional_scale: 0.5, pi_integral_scale: 0.2, ..ServoConfig::default() };
        assert_eq!(
            {
                let g = gains(&cfg, true, 1.0);
                (g.kp, g.ki)
            },
            (0.5, 0.2)
        );
        let cfg = ServoConfig { pi_proportional_scale: 0.5, ..ServoConfig::default() };
        assert_eq!(
            {
                let g = gains(&cfg, true, 1.0);
                (g.kp, g.ki)
            },
            (0.1, 0.001)
        );
    }

    #[test]
    fn bad_intervals_ignored() {
        let mut s = PiServo::new(&ServoConfig::default(), 0.0, 1_000_000, false);
        s.sync_interval(1.0);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            s.sync_interval(bad);
            assert_eq!(s.pi_gains().unwrap(), PiGains { sync_interval: 1.0, kp: 0.7, ki: 0.3 });
        }
    }

    #[test]
    fn second_sample_too_soon_keeps_first() {
        // ki = 0.001 (software): estimation interval 16 s.
        let cfg = ServoConfig { first_step_threshold: 0.0, ..ServoConfig::default() };
        let mut s = PiServo::new(&cfg, 0.0, 1_000_000, true);
        s.sync_interval(1.0);
        assert_eq!(s.sample(0, 1_000_000_000, 1.0), (0.0, ServoState::Unlocked));
        // 15.984 s later, with the margin 15.999984 s < 16 s: still waiting.
        assert_eq!(s.sample(100, 16_984_000_000, 1.0), (0.0, ServoState::Unlocked));
        // 15.985 s later: 16.000985 s >= 16 s, estimated against the first sample.
        let (ppb, st) = s.sample(1_598_500, 16_985_000_000, 1.0);
        assert_eq!(st, ServoState::Locked);
        assert!(close(ppb, 1e9 * 1_598_500.0 / 15_985_000_000.0), "{ppb}");
    }

    #[test]
    fn older_second_sample_starts_over() {
        let mut s = PiServo::new(&ServoConfig::default(), 7.0, 1_000_000, false);
        s.sync_interval(1.0);
        assert_eq!(s.sample(10, 5_000_000_000, 1.0), (7.0, ServoState::Unlocked));
        assert_eq!(s.sample(10, 5_000_000_000, 1.0), (7.0, ServoState::Unlocked));
        // That reset the servo: this is a first sample again.
        assert_eq!(s.sample(10, 6_000_000_000, 1.0), (7.0, ServoState::Unlocked));
        let (_, st) = s.sample(20, 7_000_000_000, 1.0);
        assert_eq!(st, ServoState::Locked);
    }
}
