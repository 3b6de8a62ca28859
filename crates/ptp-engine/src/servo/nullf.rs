//! The null servo (linuxptp `nullf.c`): never adjusts the frequency, only steps.
//!
//! Every sample answers 0 ppb. A zero offset is LOCKED; otherwise the state is JUMP when the
//! offset calls for a step (`first_step_threshold` on the first update, `step_threshold`
//! always) and UNLOCKED when it does not.

use ptp_config::enums::ClockServo;

use super::{Servo, ServoCommon, ServoConfig};
use crate::state::ServoState;

/// The null servo.
#[derive(Clone, Debug)]
pub struct NullfServo {
    common: ServoCommon,
}

impl NullfServo {
    /// A null servo (linuxptp `servo_create()` with `nullf_servo_create()`).
    pub fn new(cfg: &ServoConfig, max_freq_ppb: i32) -> Self {
        NullfServo { common: ServoCommon::new(cfg, max_freq_ppb) }
    }
}

impl Servo for NullfServo {
    fn kind(&self) -> ClockServo {
        ClockServo::Nullf
    }

    fn sample(&mut self, offset_ns: i64, _local_ts_ns: u64, _weight: f64) -> (f64, ServoState) {
        let state = if offset_ns == 0 {
            ServoState::Locked
        } else if self.common.wants_step((offset_ns as f64).abs()) {
            ServoState::Jump
        } else {
            ServoState::Unlocked
        };
        (0.0, self.common.after_sample(offset_ns, state))
    }

    fn sync_interval(&mut self, _interval_s: f64) {}

    fn reset(&mut self) {}

    fn offset_threshold(&self) -> i32 {
        self.common.offset_threshold()
    }

    fn max_frequency(&self) -> f64 {
        self.common.max_frequency()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_by_thresholds_never_adjusts() {
        let cfg = ServoConfig { first_step_threshold: 0.00002, step_threshold: 0.001, ..ServoConfig::default() };
        let mut s = NullfServo::new(&cfg, 1000);
        s.sync_interval(1.0);
        assert_eq!(s.sample(5_000, 1, 1.0), (0.0, ServoState::Unlocked));
        // First update: above first_step_threshold.
        assert_eq!(s.sample(-30_000, 2, 1.0), (0.0, ServoState::Jump));
        // No longer the first update: only step_threshold counts.
        assert_eq!(s.sample(30_000, 3, 1.0), (0.0, ServoState::Unlocked));
        assert_eq!(s.sample(1_000_001, 4, 1.0), (0.0, ServoState::Jump));
        assert_eq!(s.sample(0, 5, 1.0), (0.0, ServoState::Locked));
        s.reset();
        assert_eq!(s.sample(30_000, 6, 1.0), (0.0, ServoState::Unlocked));
        assert_eq!(s.rate_ratio(), 1.0);
    }

    #[test]
    fn zero_offset_can_become_stable() {
        let cfg = ServoConfig { servo_offset_threshold: 10, servo_num_offset_values: 2, ..ServoConfig::default() };
        let mut s = NullfServo::new(&cfg, 1000);
        assert_eq!(s.sample(0, 1, 1.0).1, ServoState::Locked);
        assert_eq!(s.sample(0, 2, 1.0).1, ServoState::LockedStable);
        assert_eq!(s.sample(3, 3, 1.0).1, ServoState::Unlocked);
        assert_eq!(s.sample(0, 4, 1.0).1, ServoState::Locked);
    }
}
