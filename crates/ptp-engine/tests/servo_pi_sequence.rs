//! The PI servo checked step by step against recorded (offset, local time) sequences, each
//! expected value worked out by hand from linuxptp's algorithm (`pi.c`, `servo.c`).
//!
//! Unless a test says otherwise: hardware timestamping, sync interval 1 s, so kp = 0.7 and
//! ki = 0.3; the frequency is estimated once two samples are 0.016 / 0.3 = 53 ms apart.

use ptp_config::enums::ClockServo;
use ptp_engine::servo::{self, PiGains, Servo, ServoConfig};
use ptp_engine::state::ServoState::{self, Jump, Locked, LockedStable, Unlocked};

const S: u64 = 1_000_000_000;

/// One recorded sample: offset (ns), local time (ns), weight, then the expected answer.
type Row = (i64, u64, f64, f64, ServoState);

fn run(servo: &mut dyn Servo, rows: &[Row]) {
    for (i, &(offset, local, weight, ppb, state)) in rows.iter().enumerate() {
        let (got_ppb, got_state) = servo.sample(offset, local, weight);
        assert_eq!(got_state, state, "sample {i}: offset {offset}");
        assert!((got_ppb - ppb).abs() < 1e-6, "sample {i}: offset {offset}: ppb {got_ppb}, expected {ppb}");
    }
}

fn pi(cfg: &ServoConfig, initial_ppb: f64) -> Box<dyn Servo> {
    let mut s = servo::create(ClockServo::Pi, cfg, initial_ppb, 100_000_000, false).unwrap();
    s.sync_interval(1.0);
    s
}

fn no_first_step() -> ServoConfig {
    ServoConfig { first_step_threshold: 0.0, ..ServoConfig::default() }
}

#[test]
fn estimate_then_pi() {
    run(
        pi(&ServoConfig::default(), 0.0).as_mut(),
        &[
            // First sample kept; the answer is the initial frequency.
            (1000, S, 1.0, 0.0, Unlocked),
            // drift = 0 + (1e9 - 0) * (1500 - 1000) / 1e9 = 500; 1500 < 20 us: no step.
            (1500, 2 * S, 1.0, 500.0, Locked),
            // 0.7 * 100 + 500 + 0.3 * 100 = 600; drift 530.
            (100, 3 * S, 1.0, 600.0, Locked),
            // 0.7 * -50 + 530 + 0.3 * -50 = 480; drift 515.
            (-50, 4 * S, 1.0, 480.0, Locked),
            (0, 5 * S, 1.0, 515.0, Locked),
            // Weighted: 0.7 * 10 * 0.5 + 515 + 0.3 * 10 * 0.5 = 520; drift 516.5.
            (10, 6 * S, 0.5, 520.0, Locked),
            (0, 7 * S, 1.0, 516.5, Locked),
        ],
    );
}

#[test]
fn first_step_threshold_jumps_once() {
    run(
        pi(&ServoConfig::default(), 2000.0).as_mut(),
        &[
            (0, 10 * S, 1.0, 2000.0, Unlocked),
            // drift = 2000 + (1e9 - 2000) * 30000 / 1e9 = 31999.94; 30 us > 20 us on the
            // first update: JUMP.
            (30_000, 11 * S, 1.0, 31_999.94, Jump),
            // 0.7 * 40 + 31999.94 + 0.3 * 40 = 32039.94; drift 32011.94.
            (40, 12 * S, 1.0, 32_039.94, Locked),
            // Not the first update any more: 25 us is slewed.
            // 17500 + 32011.94 + 7500 = 57011.94; drift 39511.94.
            (25_000, 13 * S, 1.0, 57_011.94, Locked),
        ],
    );
}

#[test]
fn first_step_only_on_the_first_update() {
    let mut s = pi(&ServoConfig::default(), 0.0);
    run(
        s.as_mut(),
        &[
            (0, S, 1.0, 0.0, Unlocked),
            // 10 us: no step on the first update, which is now over.
            (10_000, 2 * S, 1.0, 10_000.0, Locked),
        ],
    );
    // After a reset the frequency is estimated again, but first_step_threshold no longer
    // applies (linuxptp keeps first_update cleared).
    s.reset();
    run(
        s.as_mut(),
        &[
            // The answer while unlocked is the last one.
            (0, 3 * S, 1.0, 10_000.0, Unlocked),
            // drift = 10000 + (1e9 - 10000) * 50000 / 1e9 = 59999.5; 50 us is not stepped.
            (50_000, 4 * S, 1.0, 59_999.5, Locked),
        ],
    );
}

#[test]
fn step_threshold_restarts_and_steps() {
    let cfg = ServoConfig { step_threshold: 0.001, ..no_first_step() };
    run(
        pi(&cfg, 0.0).as_mut(),
        &[
            (0, S, 1.0, 0.0, Unlocked),
            (2000, 2 * S, 1.0, 2000.0, Locked),
            // 1.5 ms > 1 ms: back to the first step, answering the last frequency.
            (1_500_000, 3 * S, 1.0, 2000.0, Unlocked),
            (1_600_000, 4 * S, 1.0, 2000.0, Unlocked),
            // drift = 2000 + (1e9 - 2000) * 100000 / 1e9 = 101999.8; 1.7 ms > 1 ms: JUMP.
            (1_700_000, 5 * S, 1.0, 101_999.8, Jump),
            // -21 + 101999.8 - 9 = 101969.8; drift 101990.8.
            (-30, 6 * S, 1.0, 101_969.8, Locked),
            // Exactly the threshold is not above it.
            // 700000 + 101990.8 + 300000 = 1101990.8; drift 401990.8.
            (1_000_000, 7 * S, 1.0, 1_101_990.8, Locked),
        ],
    );
}

#[test]
fn max_frequency_clamps_without_windup() {
    let cfg = ServoConfig { max_frequency: 1000, ..ServoConfig::default() };
    run(
        pi(&cfg, 0.0).as_mut(),
        &[
            (0, S, 1.0, 0.0, Unlocked),
            // drift 5000, clamped to 1000.
            (5000, 2 * S, 1.0, 1000.0, Locked),
            // 70 + 1000 + 30 = 1100 > 1000: clamped, drift stays 1000.
            (100, 3 * S, 1.0, 1000.0, Locked),
            // -140 + 1000 - 60 = 800; drift 940.
            (-200, 4 * S, 1.0, 800.0, Locked),
            // -3500 + 940 - 1500 = -4060 < -1000: clamped, drift stays 940.
            (-5000, 5 * S, 1.0, -1000.0, Locked),
            (0, 6 * S, 1.0, 940.0, Locked),
        ],
    );
}

#[test]
fn clock_limit_below_max_frequency() {
    // The clock's own limit (create's max_freq_ppb) wins when lower than max_frequency.
    let mut s = servo::create(ClockServo::Pi, &ServoConfig::default(), 0.0, 300, false).unwrap();
    s.sync_interval(1.0);
    assert_eq!(s.max_frequency(), 300.0);
    run(s.as_mut(), &[(0, S, 1.0, 0.0, Unlocked), (5000, 2 * S, 1.0, 300.0, Locked)]);
}

#[test]
fn locked_stable() {
    let cfg = ServoConfig { servo_offset_threshold: 50, servo_num_offset_values: 2, ..ServoConfig::default() };
    run(
        pi(&cfg, 0.0).as_mut(),
        &[
            (0, S, 1.0, 0.0, Unlocked),
            // drift 10; below 50: one of two.
            (10, 2 * S, 1.0, 10.0, Locked),
            // 3.5 + 10 + 1.5 = 15; drift 11.5; two of two: LOCKED_STABLE.
            (5, 3 * S, 1.0, 15.0, LockedStable),
            // 60 is not below 50: count restarts. 42 + 11.5 + 18 = 71.5; drift 29.5.
            (60, 4 * S, 1.0, 71.5, Locked),
            // -0.7 + 29.5 - 0.3 = 28.5; drift 29.2.
            (-1, 5 * S, 1.0, 28.5, Locked),
            // 1.4 + 29.2 + 0.6 = 31.2; drift 29.8.
            (2, 6 * S, 1.0, 31.2, LockedStable),
        ],
    );
}

#[test]
fn initial_frequency_and_estimate_timing() {
    // Software timestamping at 1 s: kp 0.1, ki 0.001; estimation after 16 s.
    let mut s = servo::create(ClockServo::Pi, &no_first_step(), -5000.0, 100_000_000, true).unwrap();
    s.sync_interval(1.0);
    assert_eq!(s.pi_gains(), Some(PiGains { sync_interval: 1.0, kp: 0.1, ki: 0.001 }));
    let mut rows: Vec<Row> = (0..16).map(|i| (100 * i as i64, (10 + i) * S, 1.0, -5000.0, Unlocked)).collect();
    // At 16 s (16.016 s with the margin): drift = -5000 + (1e9 + 5000) * 1600 / 16e9
    // = -5000 + 100.0005 = -4899.9995.
    rows.push((1600, 26 * S, 1.0, -4_899.999_5, Locked));
    // 0.1 * 100 - 4899.9995 + 0.001 * 100 = -4889.8995.
    rows.push((100, 27 * S, 1.0, -4_889.899_5, Locked));
    run(s.as_mut(), &rows);
}

#[test]
fn gains_for_sync_intervals() {
    let mut s = servo::create(ClockServo::Pi, &ServoConfig::default(), 0.0, 100_000_000, false).unwrap();
    // 2^-2 s: kp = 0.7 * 4^0.3 = 1.061, ki = 0.3 * 4^-0.4 = 0.172305.
    s.sync_interval(0.25);
    let g = s.pi_gains().unwrap();
    assert_eq!(
        format!("PI servo: sync interval {:.3} kp {:.3} ki {:.6}", g.sync_interval, g.kp, g.ki),
        "PI servo: sync interval 0.250 kp 1.061 ki 0.172305"
    );
    // 2^2 s: kp = 0.7 * 4^-0.3 = 0.462 and ki = 0.3 * 4^0.4 = 0.522, both above their
    // limits 0.7 / 4 and 0.3 / 4.
    s.sync_interval(4.0);
    let g = s.pi_gains().unwrap();
    assert_eq!(format!("{:.3} {:.3} {:.6}", g.sync_interval, g.kp, g.ki), "4.000 0.175 0.075000");
}
