//! Servos in a closed loop with a simulated clock: a local clock with a frequency error,
//! synchronised once per sync interval to a perfect reference, the servo's answer applied as
//! linuxptp applies it (step by -offset on JUMP, frequency -ppb).

use ptp_config::enums::ClockServo;
use ptp_engine::servo::{self, Servo, ServoConfig};
use ptp_engine::state::ServoState;

/// Small deterministic noise source (xorshift), uniform in [-amp, amp] ns.
struct Noise(u64);

impl Noise {
    fn next(&mut self, amp: f64) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * amp
    }
}

#[derive(Debug, Clone, Copy)]
struct Step {
    /// True offset of the local clock from the reference at the sample, ns.
    offset: f64,
    /// Measured offset fed to the servo.
    measured: i64,
    state: ServoState,
    /// Frequency applied to the clock after the sample, ppb.
    applied: f64,
}

/// Runs `samples` synchronisations `interval` s apart. The local clock runs `error_ppb` fast
/// and starts `initial_offset` ns ahead; measurements carry uniform noise of `noise` ns.
fn simulate(
    servo: &mut dyn Servo,
    error_ppb: f64,
    interval: f64,
    initial_offset: f64,
    noise: f64,
    samples: usize,
) -> Vec<Step> {
    let mut rng = Noise(0x9e37_79b9_7f4a_7c15);
    servo.sync_interval(interval);
    let mut offset = initial_offset;
    // Local clock reading: a realistic epoch plus the time elapsed (kept apart so the f64
    // keeps sub-ns precision).
    const EPOCH: u64 = 1_700_000_000_000_000_000;
    let mut local: f64 = 0.0;
    let mut applied = 0.0;
    let mut out = Vec::new();
    for _ in 0..samples {
        let measured = (offset + rng.next(noise)).round() as i64;
        let (ppb, state) = servo.sample(measured, EPOCH.wrapping_add_signed(local.round() as i64), 1.0);
        let true_offset = offset;
        if state == ServoState::Jump {
            offset -= measured as f64;
            local -= measured as f64;
        }
        if state != ServoState::Unlocked {
            applied = -ppb;
        }
        out.push(Step { offset: true_offset, measured, state, applied });
        // One interval of reference time: the local clock gains error + applied.
        let gain = interval * (error_ppb + applied);
        offset += gain;
        local += interval * 1e9 + gain;
    }
    out
}

fn pi(cfg: &ServoConfig, sw: bool) -> Box<dyn Servo> {
    servo::create(ClockServo::Pi, cfg, 0.0, 100_000_000, sw).unwrap()
}

fn linreg(cfg: &ServoConfig) -> Box<dyn Servo> {
    servo::create(ClockServo::Linreg, cfg, 0.0, 100_000_000, false).unwrap()
}

fn stats(steps: &[Step]) -> (f64, f64, f64, f64) {
    let n = steps.len() as f64;
    let rms = (steps.iter().map(|s| s.offset * s.offset).sum::<f64>() / n).sqrt();
    let max = steps.iter().map(|s| s.offset.abs()).fold(0.0, f64::max);
    let freq_mean = steps.iter().map(|s| s.applied).sum::<f64>() / n;
    let freq_dev = steps.iter().map(|s| (s.applied - freq_mean).abs()).fold(0.0, f64::max);
    (rms, max, freq_mean, freq_dev)
}

/// From sample `from` to the end: |offset| < `max_offset` ns and the applied frequency within
/// `max_freq_err` ppb of `target`.
fn assert_converged(steps: &[Step], from: usize, max_offset: f64, target: f64, max_freq_err: f64) {
    for (i, s) in steps.iter().enumerate().skip(from) {
        assert!(s.offset.abs() < max_offset, "sample {i}: {s:?}");
        assert!((s.applied - target).abs() < max_freq_err, "sample {i}: {s:?}");
        assert!(matches!(s.state, ServoState::Locked | ServoState::LockedStable), "sample {i}: {s:?}");
    }
}

fn states(steps: &[Step]) -> Vec<u8> {
    steps.iter().map(|s| s.state.number()).collect()
}

// ---- PI, hardware timestamping constants (kp 0.7, ki 0.3 at 1 s)

#[test]
fn pi_steps_then_converges() {
    // +100 ppm, 1 ms off: the second sample estimates the frequency and steps.
    let steps = simulate(pi(&ServoConfig::default(), false).as_mut(), 100_000.0, 1.0, 1_000_000.0, 0.0, 60);
    assert_eq!(states(&steps[..3]), [0, 1, 2]);
    // The estimate is measured on the fast clock: 1e5 ns in 1.0001 s.
    assert!((steps[1].applied + 1e14 / 1.0001e9).abs() < 1e-6, "{:?}", steps[1]);
    assert_converged(&steps, 10, 10.0, -100_000.0, 100.0);
}

#[test]
fn pi_converges_without_step() {
    // Below first_step_threshold at the estimate: the offset is slewed away.
    let steps = simulate(pi(&ServoConfig::default(), false).as_mut(), 100_000.0, 1.0, -90_000.0, 0.0, 60);
    assert!(steps.iter().all(|s| s.state != ServoState::Jump));
    assert_converged(&steps, 30, 10.0, -100_000.0, 100.0);
}

#[test]
fn pi_negative_error_converges() {
    let steps = simulate(pi(&ServoConfig::default(), false).as_mut(), -250_000.0, 1.0, 3_000.0, 0.0, 60);
    assert_converged(&steps, 30, 10.0, 250_000.0, 100.0);
}

#[test]
fn pi_eight_per_second() {
    let steps = simulate(pi(&ServoConfig::default(), false).as_mut(), 100_000.0, 0.125, 1_000_000.0, 0.0, 200);
    assert_converged(&steps, 40, 10.0, -100_000.0, 100.0);
}

#[test]
fn pi_with_measurement_noise() {
    // Uniform ±20 ns timestamp noise.
    let steps = simulate(pi(&ServoConfig::default(), false).as_mut(), 100_000.0, 1.0, 1_000_000.0, 20.0, 300);
    let (rms, max, freq_mean, freq_dev) = stats(&steps[10..]);
    assert!(rms < 20.0 && max < 50.0, "rms {rms} max {max}");
    assert!((freq_mean + 100_000.0).abs() < 5.0 && freq_dev < 60.0, "freq {freq_mean} +/- {freq_dev}");
}

#[test]
fn pi_reaches_locked_stable() {
    let cfg = ServoConfig { servo_offset_threshold: 10, servo_num_offset_values: 5, ..ServoConfig::default() };
    let steps = simulate(pi(&cfg, false).as_mut(), 100_000.0, 1.0, 1_000_000.0, 0.0, 60);
    let first_stable = steps.iter().position(|s| s.state == ServoState::LockedStable).unwrap();
    // s2 from sample 2; the measured offsets 10, 10, 7, 4, 2, 1, 0 from there: the fifth
    // below 10 ns is at sample 8.
    assert_eq!(first_stable, 8, "{:?}", states(&steps));
    assert!(steps[first_stable..].iter().all(|s| s.state == ServoState::LockedStable));
}

// ---- PI, software timestamping constants (kp 0.1, ki 0.001 at 1 s)

#[test]
fn pi_software_constants() {
    let steps = simulate(pi(&ServoConfig::default(), true).as_mut(), 100_000.0, 1.0, 1_000_000.0, 0.0, 600);
    // The frequency is estimated only after 0.016 / ki = 16 s.
    assert!(steps[..16].iter().all(|s| s.state == ServoState::Unlocked));
    assert_eq!(steps[16].state, ServoState::Jump);
    assert_converged(&steps, 300, 10.0, -100_000.0, 100.0);
}

// ---- linreg

#[test]
fn linreg_steps_then_converges() {
    let mut servo = linreg(&ServoConfig::default());
    let steps = simulate(servo.as_mut(), 100_000.0, 1.0, 1_000_000.0, 0.0, 60);
    // Four points for the first fit; that one steps.
    assert_eq!(states(&steps[..5]), [0, 0, 0, 1, 2]);
    assert_converged(&steps, 10, 10.0, -100_000.0, 100.0);
    assert!((servo.rate_ratio() - 1.0).abs() < 1e-6, "{}", servo.rate_ratio());
    // 60 points: the largest fit is of 32.
    let status = servo.linreg_status().unwrap();
    assert_eq!(status.points, 32);
}

#[test]
fn linreg_eight_per_second() {
    let steps = simulate(linreg(&ServoConfig::default()).as_mut(), 100_000.0, 0.125, 1_000_000.0, 0.0, 200);
    assert_converged(&steps, 10, 10.0, -100_000.0, 100.0);
}

#[test]
fn linreg_with_measurement_noise() {
    let steps = simulate(linreg(&ServoConfig::default()).as_mut(), 100_000.0, 1.0, 1_000_000.0, 20.0, 400);
    // Once the fit spans many points the noise is averaged out.
    let (rms, max, freq_mean, freq_dev) = stats(&steps[100..]);
    assert!(rms < 5.0 && max < 15.0, "rms {rms} max {max}");
    assert!((freq_mean + 100_000.0).abs() < 5.0 && freq_dev < 5.0, "freq {freq_mean} +/- {freq_dev}");
}

// ---- nullf

#[test]
fn nullf_only_steps() {
    let cfg = ServoConfig { step_threshold: 0.0001, ..ServoConfig::default() };
    let mut servo = servo::create(ClockServo::Nullf, &cfg, 0.0, 100_000_000, false).unwrap();
    let steps = simulate(servo.as_mut(), 10_000.0, 1.0, 0.0, 0.0, 40);
    // Drifts 10 us per second; stepped whenever past 100 us.
    assert!(steps.iter().all(|s| s.applied == 0.0));
    for s in &steps {
        assert!(s.offset <= 110_000.0, "{s:?}");
        let expect = if s.measured == 0 {
            2
        } else if s.measured > 100_000 {
            1
        } else {
            0
        };
        assert_eq!(s.state.number(), expect, "{s:?}");
    }
    assert!(steps.iter().any(|s| s.state == ServoState::Jump));
}
