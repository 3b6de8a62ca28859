//! Property tests: no input makes the parsers panic, and accepted values read back.

use proptest::prelude::*;

use ptp_config::table::{Kind, OPTIONS};
use ptp_config::{parse_value, ptp4l, Config, Program, Value};

/// Pieces that reach the interesting branches more often than random bytes do.
fn word() -> impl Strategy<Value = String> {
    let keys: Vec<String> = OPTIONS.iter().map(|d| d.name.to_owned()).collect();
    prop_oneof![
        proptest::sample::select(keys),
        proptest::sample::select(vec![
            "[global]".to_owned(),
            "[unicast_master_table]".to_owned(),
            "[eth0]".to_owned(),
            "[".to_owned(),
            "]".to_owned(),
            "table_id".to_owned(),
            "logQueryInterval".to_owned(),
            "peer_address".to_owned(),
            "UDPv4".to_owned(),
            "UDPv6".to_owned(),
            "L2".to_owned(),
            "ASAP".to_owned(),
            "#".to_owned(),
            "0x".to_owned(),
            "-".to_owned(),
            "nan(".to_owned(),
            "1e".to_owned(),
            "pi_offset_const".to_owned(),
            "slaveOnly".to_owned(),
            "masterOnly".to_owned(),
            "::".to_owned(),
            "1.2.3.4".to_owned(),
            "00:11:22:33:44:55".to_owned(),
        ]),
        "-?(0x)?[0-9a-fA-F]{0,24}",
        "[ -~]{0,12}",
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| v.to_string()),
    ]
}

fn line() -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 0..4).prop_map(|w| w.join(" "))
}

fn touch_everything(cfg: &Config) {
    for def in OPTIONS {
        let _ = cfg.value(None, def.name);
        for iface in cfg.interfaces() {
            let _ = cfg.value(Some(iface.name()), def.name);
        }
    }
    let _ = cfg.unsupported_settings(&[]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let mut cfg = Config::new();
        match cfg.read_bytes(&data, "fuzz.cfg") {
            Ok(()) => touch_everything(&cfg),
            Err(e) => {
                let _ = e.stderr_text(Program::Ptp4l);
                let _ = e.exit_code(Program::Ptp4l);
            }
        }
    }

    #[test]
    fn random_lines_never_panic(lines in proptest::collection::vec(line(), 0..40)) {
        let text = lines.join("\n");
        let mut cfg = Config::new();
        match cfg.read_str(&text, "fuzz.cfg") {
            Ok(()) => touch_everything(&cfg),
            Err(e) => {
                let err = e.parse_error().expect("parse error");
                // The reported line exists.
                prop_assert!(err.line() >= 1 && err.line() as usize <= lines.len().max(1));
                let _ = e.to_string();
            }
        }
        let _ = cfg.harmonize_onestep();
        let _ = cfg.apply_servo_constraints(Program::Phc2sys);
    }

    #[test]
    fn random_command_lines_never_panic(argv in proptest::collection::vec(
        prop_oneof![
            word(),
            word().prop_map(|w| format!("--{w}")),
            word().prop_map(|w| format!("-{w}")),
            (word(), word()).prop_map(|(k, v)| format!("--{k}={v}")),
            proptest::sample::select(vec!["-f".to_owned(), "-i".to_owned(), "-l".to_owned(), "--".to_owned(), "-v".to_owned()]),
        ],
        0..12,
    )) {
        let mut full = vec!["ptp4l".to_owned()];
        full.extend(argv);
        if let Ok(args) = ptp4l::parse_args(full) {
            let cfg = args.to_config();
            touch_everything(&cfg);
        }
    }

    #[test]
    fn random_values_never_panic(idx in 0..OPTIONS.len(), raw in proptest::collection::vec(any::<u8>(), 0..40)) {
        let _ = parse_value(&OPTIONS[idx], &raw);
        let mut cfg = Config::new();
        let _ = cfg.apply_option(OPTIONS[idx].name, &String::from_utf8_lossy(&raw));
    }

    /// Any in-range int, written in decimal, hex or octal, parses back to itself.
    #[test]
    fn ints_round_trip(idx in 0..OPTIONS.len(), frac in 0.0f64..=1.0, form in 0..3u8) {
        let def = &OPTIONS[idx];
        if let Kind::Int { min, max, .. } = def.kind {
            let v = (f64::from(min) + (f64::from(max) - f64::from(min)) * frac).round() as i64;
            let text = match form {
                0 => v.to_string(),
                1 => if v < 0 { format!("-0x{:x}", -v) } else { format!("0x{v:X}") },
                _ => if v < 0 { format!("-0{:o}", -v) } else { format!("0{v:o}") },
            };
            prop_assert_eq!(parse_value(def, text.as_bytes()), Ok(Value::Int(v as i32)), "{}", text);
        }
    }

    /// Any finite double in range, written with Rust's shortest round-trip form, reads back.
    #[test]
    fn doubles_round_trip(idx in 0..OPTIONS.len(), v in any::<f64>()) {
        let def = &OPTIONS[idx];
        if let Kind::Double { min, max, .. } = def.kind {
            if v.is_finite() && v >= min && v <= max && (v == 0.0 || v.abs() >= f64::MIN_POSITIVE) {
                for text in [format!("{v}"), format!("{v:e}")] {
                    prop_assert_eq!(parse_value(def, text.as_bytes()), Ok(Value::Double(v)), "{}", text);
                }
            }
        }
    }
}
