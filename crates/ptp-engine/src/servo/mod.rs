//! Clock servos: turn offset samples into frequency adjustments (linuxptp `servo.h`,
//! `servo_private.h`, `servo.c`).
//!
//! A servo is fed one sample per synchronisation: the offset of the local clock from its
//! reference (ns, positive when the local clock is ahead), the local time of the measurement
//! (ns) and a weight in (0, 1]. It answers with a frequency adjustment in ppb and a
//! [`ServoState`]. As in linuxptp, the adjustment is the amount to *slow the clock down* by:
//! the caller applies `-ppb` to the clock (linuxptp `clockadj_set_freq(clkid, -ppb)`), and on
//! [`ServoState::Jump`] first steps the clock by `-offset`.
//!
//! The order of calls, as ptp4l and phc2sys make them:
//! 1. [`create`] with the clock's current frequency (negated, as linuxptp passes `-fadj`) and
//!    its maximum adjustment;
//! 2. [`Servo::sync_interval`] whenever the sync interval changes (and once before sampling);
//! 3. [`Servo::sample`] per offset measurement;
//! 4. [`Servo::reset`] after a clock check failure or a change of master;
//! 5. [`Servo::leap`] around leap seconds.
//!
//! What every servo shares lives in [`ServoCommon`] (linuxptp `struct servo` and
//! `servo_sample()`): the step thresholds, the `max_frequency` clamp, the first-update flag
//! and the `servo_offset_threshold` / `servo_num_offset_values` counter that promotes
//! [`ServoState::Locked`] to [`ServoState::LockedStable`]. The algorithms are [`pi`], [`linreg`]
//! and [`nullf`]. `ntpshm` and `refclock_sock` feed a daemon over shared memory or a socket,
//! which is driver work: [`create`] refuses them with [`ServoError::DriverSide`].
//!
//! Servos compute in `f64` internally; at the boundary offsets and timestamps are integer
//! nanoseconds and the adjustment is ppb as `f64` (DESIGN.md, "Time").

use core::fmt;

use ptp_config::enums::ClockServo;
use ptp_config::Config;

use crate::state::ServoState;

pub mod linreg;
pub mod nullf;
pub mod pi;

pub use linreg::{LinregServo, LinregStatus};
pub use nullf::NullfServo;
pub use pi::{PiGains, PiServo};

const NSEC_PER_SEC: f64 = 1e9;

/// A clock servo (linuxptp `struct servo` and its operations).
pub trait Servo: fmt::Debug + Send {
    /// Which servo this is.
    fn kind(&self) -> ClockServo;

    /// Feeds one sample (linuxptp `servo_sample()`): `offset_ns` of the local clock from the
    /// reference, `local_ts_ns` the local time of the measurement, `weight` in (0, 1] (1.0 when
    /// unweighted). Returns the frequency adjustment in ppb (apply `-ppb` to the clock) and the
    /// state; on [`ServoState::Jump`] step the clock by `-offset_ns` first.
    fn sample(&mut self, offset_ns: i64, local_ts_ns: u64, weight: f64) -> (f64, ServoState);

    /// Sets the interval between samples in seconds (linuxptp `servo_sync_interval()`). Values
    /// that are not finite and positive are ignored (linuxptp never passes them).
    fn sync_interval(&mut self, interval_s: f64);

    /// Forgets the samples so far and starts over (linuxptp `servo_reset()`). The first-update
    /// flag is not re-armed, as in linuxptp: `first_step_threshold` applies only once per servo.
    fn reset(&mut self);

    /// Ratio of the reference's frequency to the local clock's (linuxptp `servo_rate_ratio()`):
    /// 1.0 unless the servo estimates it (linreg).
    fn rate_ratio(&self) -> f64 {
        1.0
    }

    /// Tells the servo about a pending leap second: +1 insert, -1 delete, 0 none or done
    /// (linuxptp `servo_leap()`). Only linreg uses it.
    fn leap(&mut self, _leap: i32) {}

    /// `servo_offset_threshold` in ns, 0 when LOCKED_STABLE is disabled (linuxptp
    /// `servo_offset_threshold()`).
    fn offset_threshold(&self) -> i32;

    /// The frequency adjustment limit in ppb this servo clamps to.
    fn max_frequency(&self) -> f64;

    /// The PI servo's constants after the last [`Servo::sync_interval`], for the DEBUG line
    /// `PI servo: sync interval %.3f kp %.3f ki %.6f`; `None` for other servos.
    fn pi_gains(&self) -> Option<PiGains> {
        None
    }

    /// The regression the linreg servo used in the last sample, for the DEBUG line
    /// `linreg: points %d slope %.9f intercept %.0f err %.0f`; `None` for other servos and when
    /// the last sample had too few points.
    fn linreg_status(&self) -> Option<LinregStatus> {
        None
    }
}

/// The servo keys of the configuration (all global in linuxptp).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServoConfig {
    /// `first_step_threshold` (s): on the first update, step when |offset| exceeds it; 0 off.
    pub first_step_threshold: f64,
    /// `step_threshold` (s): step whenever |offset| exceeds it; 0 never.
    pub step_threshold: f64,
    /// `max_frequency` (ppb): upper bound on the adjustment; 0 leaves the clock's own limit.
    pub max_frequency: i32,
    /// `pi_proportional_const`: fixed kp (with `pi_integral_const`); 0 derives it.
    pub pi_proportional_const: f64,
    /// `pi_integral_const`: fixed ki (with `pi_proportional_const`); 0 derives it.
    pub pi_integral_const: f64,
    /// `pi_proportional_scale`: 0 picks 0.7 (hardware) or 0.1 (software timestamping).
    pub pi_proportional_scale: f64,
    /// `pi_proportional_exponent`.
    pub pi_proportional_exponent: f64,
    /// `pi_proportional_norm_max`.
    pub pi_proportional_norm_max: f64,
    /// `pi_integral_scale`: 0 picks 0.3 (hardware) or 0.001 (software timestamping).
    pub pi_integral_scale: f64,
    /// `pi_integral_exponent`.
    pub pi_integral_exponent: f64,
    /// `pi_integral_norm_max`.
    pub pi_integral_norm_max: f64,
    /// `servo_offset_threshold` (ns): LOCKED_STABLE below it; 0 disables LOCKED_STABLE.
    pub servo_offset_threshold: i32,
    /// `servo_num_offset_values`: consecutive samples below the threshold for LOCKED_STABLE.
    pub servo_num_offset_values: i32,
}

impl Default for ServoConfig {
    /// linuxptp's defaults (config-keys.tsv).
    fn default() -> Self {
        ServoConfig {
            first_step_threshold: 0.00002,
            step_threshold: 0.0,
            max_frequency: 900_000_000,
            pi_proportional_const: 0.0,
            pi_integral_const: 0.0,
            pi_proportional_scale: 0.0,
            pi_proportional_exponent: -0.3,
            pi_proportional_norm_max: 0.7,
            pi_integral_scale: 0.0,
            pi_integral_exponent: 0.4,
            pi_integral_norm_max: 0.3,
            servo_offset_threshold: 0,
            servo_num_offset_values: 10,
        }
    }
}

impl ServoConfig {
    /// Reads the servo keys from the global section, as linuxptp's `servo_create()` and
    /// `pi_servo_create()` do. (`step_window` is applied by the clock, not the servo.)
    pub fn from_config(cfg: &Config) -> Self {
        ServoConfig {
            first_step_threshold: cfg.global_double("first_step_threshold"),
            step_threshold: cfg.global_double("step_threshold"),
            max_frequency: cfg.global_int("max_frequency"),
            pi_proportional_const: cfg.global_double("pi_proportional_const"),
            pi_integral_const: cfg.global_double("pi_integral_const"),
            pi_proportional_scale: cfg.global_double("pi_proportional_scale"),
            pi_proportional_exponent: cfg.global_double("pi_proportional_exponent"),
            pi_proportional_norm_max: cfg.global_double("pi_proportional_norm_max"),
            pi_integral_scale: cfg.global_double("pi_integral_scale"),
            pi_integral_exponent: cfg.global_double("pi_integral_exponent"),
            pi_integral_norm_max: cfg.global_double("pi_integral_norm_max"),
            servo_offset_threshold: cfg.global_int("servo_offset_threshold"),
            servo_num_offset_values: cfg.global_int("servo_num_offset_values"),
        }
    }
}

/// Why a servo could not be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ServoError {
    /// `ntpshm` and `refclock_sock` hand the offsets to another daemon (NTP shared memory, a
    /// chronyd socket); that is OS work, done by the driver, not by an engine servo.
    #[error("clock_servo {0} hands samples to another daemon and is provided by the driver, not by ptp-engine")]
    DriverSide(ClockServo),
}

/// Creates a servo (linuxptp `servo_create()`).
///
/// `initial_freq_ppb` is the clock's current adjustment as the servo sees it (linuxptp passes
/// `-fadj`, the negated `clockadj_get_freq()`), `max_freq_ppb` the clock's maximum adjustment;
/// `max_frequency` lowers it when set and smaller. `software_timestamping` picks the PI
/// servo's software defaults.
pub fn create(
    kind: ClockServo,
    cfg: &ServoConfig,
    initial_freq_ppb: f64,
    max_freq_ppb: i32,
    software_timestamping: bool,
) -> Result<Box<dyn Servo>, ServoError> {
    match kind {
        ClockServo::Pi => Ok(Box::new(PiServo::new(cfg, initial_freq_ppb, max_freq_ppb, software_timestamping))),
        ClockServo::Linreg => Ok(Box::new(LinregServo::new(cfg, initial_freq_ppb, max_freq_ppb))),
        ClockServo::Nullf => Ok(Box::new(NullfServo::new(cfg, max_freq_ppb))),
        ClockServo::Ntpshm | ClockServo::RefclockSock => Err(ServoError::DriverSide(kind)),
    }
}

/// What every servo shares (linuxptp `struct servo` plus the bookkeeping of `servo_sample()`).
#[derive(Clone, Debug, PartialEq)]
pub struct ServoCommon {
    /// Adjustment limit, ppb (never negative).
    max_frequency: f64,
    /// `step_threshold` in ns, 0 when off.
    step_threshold: f64,
    /// `first_step_threshold` in ns, 0 when off.
    first_step_threshold: f64,
    /// No sample has left UNLOCKED yet (cleared on the first JUMP or LOCKED).
    first_update: bool,
    offset_threshold: i32,
    num_offset_values: i32,
    curr_offset_values: i32,
}

impl ServoCommon {
    /// The shared part of a new servo (the tail of linuxptp `servo_create()`). A negative
    /// limit is taken as 0.
    pub fn new(cfg: &ServoConfig, max_freq_ppb: i32) -> Self {
        let seconds_to_ns = |s: f64| if s > 0.0 { s * NSEC_PER_SEC } else { 0.0 };
        let mut max_frequency = max_freq_ppb;
        if cfg.max_frequency != 0 && max_frequency > cfg.max_frequency {
            max_frequency = cfg.max_frequency;
        }
        ServoCommon {
            max_frequency: f64::from(max_frequency.max(0)),
            step_threshold: seconds_to_ns(cfg.step_threshold),
            first_step_threshold: seconds_to_ns(cfg.first_step_threshold),
            first_update: true,
            offset_threshold: cfg.servo_offset_threshold,
            num_offset_values: cfg.servo_num_offset_values,
            curr_offset_values: cfg.servo_num_offset_values,
        }
    }

    /// Adjustment limit, ppb.
    pub fn max_frequency(&self) -> f64 {
        self.max_frequency
    }

    /// `step_threshold` in ns, 0 when off.
    pub fn step_threshold(&self) -> f64 {
        self.step_threshold
    }

    /// `first_step_threshold` in ns, 0 when off.
    pub fn first_step_threshold(&self) -> f64 {
        self.first_step_threshold
    }

    /// Whether no sample has left UNLOCKED yet.
    pub fn first_update(&self) -> bool {
        self.first_update
    }

    /// Whether an offset of this magnitude (ns) calls for a step: above `first_step_threshold`
    /// on the first update, or above `step_threshold` at any time (the test every linuxptp
    /// servo makes before answering JUMP).
    pub fn wants_step(&self, abs_offset_ns: f64) -> bool {
        (self.first_update && self.first_step_threshold != 0.0 && self.first_step_threshold < abs_offset_ns)
            || self.exceeds_step_threshold(abs_offset_ns)
    }

    /// Whether `step_threshold` is set and exceeded.
    pub fn exceeds_step_threshold(&self, abs_offset_ns: f64) -> bool {
        self.step_threshold != 0.0 && self.step_threshold < abs_offset_ns
    }

    /// `ppb` clamped to ±`max_frequency` (a NaN becomes 0).
    pub fn clamp(&self, ppb: f64) -> f64 {
        if ppb > self.max_frequency {
            self.max_frequency
        } else if ppb < -self.max_frequency {
            -self.max_frequency
        } else if ppb.is_nan() {
            0.0
        } else {
            ppb
        }
    }

    /// The bookkeeping linuxptp's `servo_sample()` does after the algorithm answered: counts
    /// offsets below `servo_offset_threshold` to promote LOCKED to LOCKED_STABLE, and clears
    /// the first-update flag once the servo left UNLOCKED. Returns the state to report.
    pub fn after_sample(&mut self, offset_ns: i64, state: ServoState) -> ServoState {
        match state {
            ServoState::Unlocked => {
                self.curr_offset_values = self.num_offset_values;
                state
            }
            ServoState::Jump => {
                self.curr_offset_values = self.num_offset_values;
                self.first_update = false;
                state
            }
            ServoState::Locked => {
                self.first_update = false;
                if self.offset_is_stable(offset_ns) {
                    ServoState::LockedStable
                } else {
                    state
                }
            }
            // Algorithms never answer LOCKED_STABLE; only this function sets it.
            ServoState::LockedStable => state,
        }
    }

    /// linuxptp `check_offset_threshold()`: with a threshold set, counts down consecutive
    /// offsets below it and restarts the count on one at or above it; stable once the count is
    /// exhausted. (With `servo_num_offset_values 0` every LOCKED sample is stable, as there.)
    fn offset_is_stable(&mut self, offset_ns: i64) -> bool {
        if self.offset_threshold == 0 {
            return false;
        }
        if i128::from(offset_ns).abs() < i128::from(self.offset_threshold) {
            if self.curr_offset_values > 0 {
                self.curr_offset_values -= 1;
            }
        } else {
            self.curr_offset_values = self.num_offset_values;
        }
        self.curr_offset_values == 0
    }

    /// `servo_offset_threshold` in ns.
    pub fn offset_threshold(&self) -> i32 {
        self.offset_threshold
    }
}

/// A weight as the algorithms expect it: in [0, 1], NaN taken as 1.0 (unweighted). linuxptp's
/// callers only pass such values; this keeps a bad caller from poisoning the servo state.
pub(crate) fn sanitize_weight(weight: f64) -> f64 {
    if weight.is_nan() {
        1.0
    } else {
        weight.clamp(0.0, 1.0)
    }
}

/// Whether a sync interval can be used (finite and positive).
pub(crate) fn usable_interval(interval_s: f64) -> bool {
    interval_s.is_finite() && interval_s > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_match_linuxptp_table() {
        assert_eq!(ServoConfig::from_config(&Config::new()), ServoConfig::default());
    }

    #[test]
    fn config_values_are_read() {
        let mut cfg = Config::new();
        cfg.read_str(
            "[global]\nfirst_step_threshold 0.5\nstep_threshold 1.5\nmax_frequency 1000\n\
             pi_proportional_const 0.2\npi_integral_const 0.01\nservo_offset_threshold 50\n\
             servo_num_offset_values 3\n",
            "t.cfg",
        )
        .unwrap();
        let c = ServoConfig::from_config(&cfg);
        assert_eq!(c.first_step_threshold, 0.5);
        assert_eq!(c.step_threshold, 1.5);
        assert_eq!(c.max_frequency, 1000);
        assert_eq!(c.pi_proportional_const, 0.2);
        assert_eq!(c.pi_integral_const, 0.01);
        assert_eq!(c.servo_offset_threshold, 50);
        assert_eq!(c.servo_num_offset_values, 3);
    }

    #[test]
    fn create_each_kind() {
        let cfg = ServoConfig::default();
        assert_eq!(create(ClockServo::Pi, &cfg, 0.0, 1000, false).unwrap().kind(), ClockServo::Pi);
        assert_eq!(create(ClockServo::Linreg, &cfg, 0.0, 1000, false).unwrap().kind(), ClockServo::Linreg);
        assert_eq!(create(ClockServo::Nullf, &cfg, 0.0, 1000, false).unwrap().kind(), ClockServo::Nullf);
        for kind in [ClockServo::Ntpshm, ClockServo::RefclockSock] {
            let e = create(kind, &cfg, 0.0, 1000, false).unwrap_err();
            assert_eq!(e, ServoError::DriverSide(kind));
            assert!(e.to_string().contains(&format!("clock_servo {kind} ")), "{e}");
        }
    }

    #[test]
    fn max_frequency_takes_the_smaller_limit() {
        let mut cfg = ServoConfig { max_frequency: 500_000, ..ServoConfig::default() };
        assert_eq!(ServoCommon::new(&cfg, 62_499_999).max_frequency(), 500_000.0);
        assert_eq!(ServoCommon::new(&cfg, 100_000).max_frequency(), 100_000.0);
        cfg.max_frequency = 0;
        assert_eq!(ServoCommon::new(&cfg, 62_499_999).max_frequency(), 62_499_999.0);
    }

    #[test]
    fn thresholds_in_ns_and_negative_means_off() {
        let cfg = ServoConfig { first_step_threshold: 0.00002, step_threshold: -1.0, ..ServoConfig::default() };
        let c = ServoCommon::new(&cfg, 1000);
        assert_eq!(c.first_step_threshold(), 20_000.0);
        assert_eq!(c.step_threshold(), 0.0);
        assert!(c.wants_step(20_001.0));
        assert!(!c.wants_step(20_000.0));
        assert!(!c.exceeds_step_threshold(1e18));
    }

    #[test]
    fn locked_stable_after_consecutive_small_offsets() {
        let cfg = ServoConfig { servo_offset_threshold: 100, servo_num_offset_values: 3, ..ServoConfig::default() };
        let mut c = ServoCommon::new(&cfg, 1000);
        assert_eq!(c.after_sample(5, ServoState::Locked), ServoState::Locked); // 3 -> 2
        assert_eq!(c.after_sample(-99, ServoState::Locked), ServoState::Locked); // 2 -> 1
        assert_eq!(c.after_sample(100, ServoState::Locked), ServoState::Locked); // not below: 3
        assert_eq!(c.after_sample(1, ServoState::Locked), ServoState::Locked); // 2
        assert_eq!(c.after_sample(1, ServoState::Locked), ServoState::Locked); // 1
        assert_eq!(c.after_sample(1, ServoState::Locked), ServoState::LockedStable); // 0
        assert_eq!(c.after_sample(1, ServoState::Locked), ServoState::LockedStable);
        // UNLOCKED and JUMP restart the count.
        assert_eq!(c.after_sample(1, ServoState::Unlocked), ServoState::Unlocked);
        assert_eq!(c.after_sample(1, ServoState::Locked), ServoState::Locked);
        assert_eq!(c.after_sample(1, ServoState::Jump), ServoState::Jump);
        assert_eq!(c.after_sample(1, ServoState::Locked), ServoState::Locked);
    }

    #[test]
    fn zero_offset_values_means_stable_at_once() {
        let cfg = ServoConfig { servo_offset_threshold: 100, servo_num_offset_values: 0, ..ServoConfig::default() };
        let mut c = ServoCommon::new(&cfg, 1000);
        assert_eq!(c.after_sample(5000, ServoState::Locked), ServoState::LockedStable);
        let off = ServoConfig::default();
        let mut c = ServoCommon::new(&off, 1000);
        for _ in 0..20 {
            assert_eq!(c.after_sample(0, ServoState::Locked), ServoState::Locked);
        }
    }

    #[test]
    fn first_update_cleared_by_jump_or_lock_only() {
        let mut c = ServoCommon::new(&ServoConfig::default(), 1000);
        c.after_sample(0, ServoState::Unlocked);
        assert!(c.first_update());
        c.after_sample(0, ServoState::Jump);
        assert!(!c.first_update());
        let mut c = ServoCommon::new(&ServoConfig::default(), 1000);
        c.after_sample(0, ServoState::Locked);
        assert!(!c.first_update());
        assert_eq!(ServoCommon::new(&ServoConfig::default(), -5).max_frequency(), 0.0);
        assert_eq!(c.clamp(f64::NAN), 0.0);
        assert_eq!(c.clamp(-2000.0), -1000.0);
    }

    #[test]
    fn weights_sanitized() {
        assert_eq!(sanitize_weight(f64::NAN), 1.0);
        assert_eq!(sanitize_weight(2.0), 1.0);
        assert_eq!(sanitize_weight(-1.0), 0.0);
        assert_eq!(sanitize_weight(0.25), 0.25);
    }
}
