//! Property tests: servos, delay filters and timestamp processing take any input without
//! panicking, and the servos' answers stay finite and within ±max_frequency. (The clock
//! check's property test is in `clockcheck.rs`.)

use proptest::prelude::*;
use ptp_config::enums::{ClockServo, DelayFilter, TsprocMode};
use ptp_engine::filter;
use ptp_engine::servo::{self, ServoConfig};
use ptp_engine::time::{ClockTime, Nanos};
use ptp_engine::tsproc::Tsproc;

#[derive(Debug, Clone)]
enum Op {
    Sample { offset: i64, advance: i64, weight: f64 },
    SyncInterval(f64),
    Reset,
    Leap(i32),
}

fn offset() -> impl Strategy<Value = i64> {
    prop_oneof![any::<i64>(), -2_000_000i64..2_000_000, -100i64..100, Just(0)]
}

fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![Just(1.0), 0.0f64..=1.0, any::<f64>()]
}

fn interval() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-7i32..=7).prop_map(|l| 2f64.powi(l)),
        Just(0.0),
        Just(-1.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        1e-9f64..1e6
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        20 => (offset(), prop_oneof![Just(1_000_000_000i64), 0i64..4_000_000_000, any::<i64>()], weight())
            .prop_map(|(offset, advance, weight)| Op::Sample { offset, advance, weight }),
        2 => interval().prop_map(Op::SyncInterval),
        1 => Just(Op::Reset),
        1 => (-1i32..=1).prop_map(Op::Leap),
    ]
}

fn config() -> impl Strategy<Value = ServoConfig> {
    (
        prop_oneof![Just(0.0), Just(0.00002), 0.0f64..10.0, Just(f64::INFINITY)],
        prop_oneof![Just(0.0), 0.0f64..10.0],
        prop_oneof![Just(0), Just(900_000_000), 0i32..1_000_000, any::<i32>()],
        (prop_oneof![Just(0.0), 0.0f64..5.0], prop_oneof![Just(0.0), 0.0f64..5.0]),
        (prop_oneof![Just(0.0), 0.0f64..5.0], -3.0f64..3.0, 1e-6f64..=1.0),
        (prop_oneof![Just(0.0), 0.0f64..5.0], -3.0f64..3.0, 1e-6f64..=2.0),
        (prop_oneof![Just(0), 0i32..1000], 0i32..20),
    )
        .prop_map(|(fst, st, maxf, (kp, ki), (kps, kpe, kpn), (kis, kie, kin), (ot, nov))| ServoConfig {
            first_step_threshold: fst,
            step_threshold: st,
            max_frequency: maxf,
            pi_proportional_const: kp,
            pi_integral_const: ki,
            pi_proportional_scale: kps,
            pi_proportional_exponent: kpe,
            pi_proportional_norm_max: kpn,
            pi_integral_scale: kis,
            pi_integral_exponent: kie,
            pi_integral_norm_max: kin,
            servo_offset_threshold: ot,
            servo_num_offset_values: nov,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn servos_stay_finite_and_bounded(
        kind in prop_oneof![Just(ClockServo::Pi), Just(ClockServo::Linreg), Just(ClockServo::Nullf)],
        cfg in config(),
        max_ppb in prop_oneof![Just(62_499_999), Just(32_768_000), 1i32..1_000_000, any::<i32>()],
        initial_fraction in -1.0f64..=1.0,
        sw in any::<bool>(),
        start in any::<u64>(),
        ops in proptest::collection::vec(op(), 0..200),
    ) {
        let limit = if cfg.max_frequency != 0 && max_ppb > cfg.max_frequency { cfg.max_frequency } else { max_ppb };
        let limit = f64::from(limit.max(0));
        let initial = initial_fraction * limit;
        let mut s = servo::create(kind, &cfg, initial, max_ppb, sw).unwrap();
        prop_assert_eq!(s.max_frequency(), limit);
        let mut local = start;
        for op in ops {
            match op {
                Op::Sample { offset, advance, weight } => {
                    local = local.wrapping_add_signed(advance);
                    let (ppb, _state) = s.sample(offset, local, weight);
                    prop_assert!(ppb.is_finite(), "{ppb}");
                    prop_assert!(ppb.abs() <= limit, "{ppb} beyond {limit}");
                    prop_assert!(s.rate_ratio().is_finite());
                    if let Some(st) = s.linreg_status() {
                        prop_assert!((4..=64).contains(&st.points));
                    }
                }
                Op::SyncInterval(i) => {
                    s.sync_interval(i);
                    if let Some(g) = s.pi_gains() {
                        prop_assert!(g.kp.is_finite() && g.ki.is_finite());
                    }
                }
                Op::Reset => s.reset(),
                Op::Leap(l) => s.leap(l),
            }
        }
    }

    #[test]
    fn filters_take_any_values(
        kind in prop_oneof![Just(DelayFilter::MovingAverage), Just(DelayFilter::MovingMedian)],
        len in 1i32..40,
        values in proptest::collection::vec(any::<i64>(), 0..200),
    ) {
        let mut f = filter::create(kind, len).unwrap();
        let mut window: Vec<i64> = Vec::new();
        for v in values {
            window.push(v);
            if window.len() > len as usize {
                window.remove(0);
            }
            let out = f.sample(v);
            let (lo, hi) = (window.iter().min().copied().unwrap(), window.iter().max().copied().unwrap());
            prop_assert!(lo <= out && out <= hi, "{out} outside [{lo}, {hi}]");
        }
    }

    #[test]
    fn tsproc_takes_any_timestamps(
        mode in prop_oneof![
            Just(TsprocMode::Filter), Just(TsprocMode::Raw),
            Just(TsprocMode::FilterWeight), Just(TsprocMode::RawWeight)
        ],
        kind in prop_oneof![Just(DelayFilter::MovingAverage), Just(DelayFilter::MovingMedian)],
        len in 1i32..20,
        rr in prop_oneof![Just(1.0), 0.9f64..1.1, any::<f64>()],
        steps in proptest::collection::vec(
            (0u8..6, any::<i64>(), any::<i64>(), prop_oneof![Just(0i64), -1_000_000i64..1_000_000, any::<i64>()]),
            0..100,
        ),
    ) {
        let mut tsp = Tsproc::new(mode, kind, len).unwrap();
        tsp.set_clock_rate_ratio(rr);
        for (what, a, b, d) in steps {
            let (a, b) = (ClockTime(i128::from(a)), ClockTime(i128::from(b)));
            match what {
                0 => tsp.down_ts(a, b),
                1 => tsp.up_ts(a, b),
                2 => {
                    if let Some(u) = tsp.update_delay() {
                        prop_assert!(u.delay == u.filtered || u.delay == u.raw.delay);
                    }
                }
                3 => {
                    if let Some(u) = tsp.update_offset() {
                        prop_assert!(u.weight > 0.0 && u.weight <= 1.0, "{}", u.weight);
                    }
                }
                4 => tsp.set_delay(Nanos(i128::from(d))),
                _ => tsp.reset(d % 2 == 0),
            }
        }
    }
}
