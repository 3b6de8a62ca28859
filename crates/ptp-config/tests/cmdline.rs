//! ptp4l's command line and its precedence over the file (options.md "ptp4l",
//! config-format.md §4).

use ptp_config::enums::*;
use ptp_config::ptp4l::{parse_args, OverrideSource, Ptp4lAction, Ptp4lArgs, Ptp4lError};
use ptp_config::{Config, SetBy, Value, Warning};

fn args(argv: &[&str]) -> Ptp4lArgs {
    parse_args(argv.iter().copied()).unwrap_or_else(|e| panic!("{argv:?}: {e}"))
}

fn err(argv: &[&str]) -> Ptp4lError {
    parse_args(argv.iter().copied()).expect_err("should fail")
}

fn run(argv: &[&str], file: &str) -> Config {
    let a = args(argv);
    let mut cfg = a.to_config();
    cfg.read_str(file, "ptp4l.cfg").unwrap();
    cfg
}

#[test]
fn structure() {
    let a = args(&["ptp4l", "-f", "/etc/ptp4l.conf", "-i", "eth1", "-ieth0", "-p", "/dev/ptp1", "extra", "-m"]);
    assert_eq!(a.action, Ptp4lAction::Run);
    assert_eq!(a.config_file.as_deref(), Some("/etc/ptp4l.conf"));
    assert_eq!(a.interfaces, ["eth1", "eth0"]);
    assert_eq!(a.phc_device.as_deref(), Some("/dev/ptp1"));
    assert_eq!(a.operands, ["extra"]);
    assert_eq!(a.overrides.len(), 1);
    assert_eq!(a.overrides[0].source, OverrideSource::Short('m'));
    assert_eq!(args(&["ptp4l", "-f", "-"]).config_file.as_deref(), Some("-"));
    assert_eq!(args(&["ptp4l", "-f", "a", "-f", "b"]).config_file.as_deref(), Some("b"));
}

#[test]
fn short_options_map_to_keys() {
    let cases: &[(&str, &str, Value)] = &[
        ("-A", "delay_mechanism", Value::Enum(DelayMechanism::Auto.value())),
        ("-E", "delay_mechanism", Value::Enum(DelayMechanism::E2E.value())),
        ("-P", "delay_mechanism", Value::Enum(DelayMechanism::P2P.value())),
        ("-2", "network_transport", Value::Enum(NetworkTransport::L2.value())),
        ("-4", "network_transport", Value::Enum(NetworkTransport::UdpV4.value())),
        ("-6", "network_transport", Value::Enum(NetworkTransport::UdpV6.value())),
        ("-H", "time_stamping", Value::Enum(TimeStamping::Hardware.value())),
        ("-S", "time_stamping", Value::Enum(TimeStamping::Software.value())),
        ("-L", "time_stamping", Value::Enum(TimeStamping::Legacy.value())),
        ("-s", "clientOnly", Value::Int(1)),
        ("-m", "verbose", Value::Int(1)),
        ("-q", "use_syslog", Value::Int(0)),
        ("-l7", "logging_level", Value::Int(7)),
        ("-l0x3", "logging_level", Value::Int(3)),
    ];
    for (opt, key, value) in cases {
        let a = args(&["ptp4l", opt]);
        assert_eq!(a.override_of(key), Some(value), "{opt}");
        let cfg = a.to_config();
        assert_eq!(cfg.value(None, key), Some(value), "{opt}");
        assert!(cfg.is_locked(key), "{opt}");
        assert_eq!(cfg.set_by(key), Some(SetBy::CommandLine));
    }
    // Later options win; clusters work.
    let cfg = args(&["ptp4l", "-2S46P", "-E"]).to_config();
    assert_eq!(cfg.global_enum::<NetworkTransport>(), NetworkTransport::UdpV6);
    assert_eq!(cfg.global_enum::<DelayMechanism>(), DelayMechanism::E2E);
    assert_eq!(cfg.global_enum::<TimeStamping>(), TimeStamping::Software);
}

#[test]
fn every_key_is_a_long_option() {
    for def in ptp_config::table::OPTIONS {
        let value = match def.kind {
            ptp_config::Kind::Enum { words, .. } => words[words.len() - 1].0.to_owned(),
            ptp_config::Kind::String { .. } => "some text".to_owned(),
            // The minimum: some defaults are sentinels outside the range.
            ptp_config::Kind::Int { min, .. } => min.to_string(),
            ptp_config::Kind::Uint { min, .. } => min.to_string(),
            ptp_config::Kind::Double { default, .. } => default.to_string(),
        };
        for argv in [
            vec!["ptp4l".to_owned(), format!("--{}={value}", def.name)],
            vec!["ptp4l".to_owned(), format!("--{}", def.name), value.clone()],
        ] {
            let a = parse_args(argv.clone()).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
            let key = ptp_config::table::deprecated_rename(def.name).unwrap_or(def.name);
            assert_eq!(a.overrides.len(), 1, "{argv:?}");
            assert_eq!(a.overrides[0].key, key);
            let cfg = a.to_config();
            assert!(cfg.is_locked(key), "{argv:?}");
            if def.kind.type_name() == "string" {
                assert_eq!(cfg.global_str(key), Some("some text"));
            }
        }
    }
}

#[test]
fn command_line_wins_over_global_but_not_over_port_sections() {
    let file = "[global]\npriority1 2\nlogSyncInterval 1\nnetwork_transport UDPv6\ndomainNumber 7\n\
                [eth0]\nlogSyncInterval 2\nnetwork_transport UDPv4\n";
    let cfg = run(&["ptp4l", "-i", "eth1", "--priority1=1", "--logSyncInterval", "-3", "-2"], file);
    assert_eq!(cfg.global_int("priority1"), 1);
    assert_eq!(cfg.global_int("domainNumber"), 7, "keys not on the command line come from the file");
    assert_eq!(cfg.port_int("eth1", "logSyncInterval"), -3);
    assert_eq!(cfg.port_int("eth0", "logSyncInterval"), 2, "a port section still overrides");
    assert_eq!(cfg.port_enum::<NetworkTransport>("eth1"), NetworkTransport::L2);
    assert_eq!(cfg.port_enum::<NetworkTransport>("eth0"), NetworkTransport::UdpV4);
    let names: Vec<&str> = cfg.interfaces().iter().map(|i| i.name()).collect();
    assert_eq!(names, ["eth1", "eth0"], "-i interfaces first, then file sections");
    // -s wins over clientOnly 0 in the file.
    let cfg = run(&["ptp4l", "-s"], "[global]\nclientOnly 0\nslaveOnly 0\n");
    assert_eq!(cfg.global_int("clientOnly"), 1);
    // The same port from -i and a section is one port.
    let cfg = run(&["ptp4l", "-i", "eth0"], "[eth0]\nlogSyncInterval 2\n");
    assert_eq!(cfg.interfaces().len(), 1);
    // Repeated command-line values: the last one wins.
    let cfg = run(&["ptp4l", "--priority1=5", "--priority1=6"], "");
    assert_eq!(cfg.global_int("priority1"), 6);
    // The file sets what the command line did not.
    let cfg = run(&["ptp4l"], "[global]\npriority1 2\n");
    assert_eq!(cfg.global_int("priority1"), 2);
    assert_eq!(cfg.set_by("priority1"), Some(SetBy::File));
}

#[test]
fn long_option_forms() {
    let cfg =
        args(&["ptp4l", "--clientO", "1", "--message_tag=", "--userDescription=a b", "--fault_reset_interval=asap"])
            .to_config();
    assert_eq!(cfg.global_int("clientOnly"), 1, "unique prefix");
    assert_eq!(cfg.global_str("message_tag"), Some(""));
    assert_eq!(cfg.global_str("userDescription"), Some("a b"));
    assert_eq!(cfg.global_int("fault_reset_interval"), -128);
    // An exact name wins over longer names it prefixes.
    let a = args(&["ptp4l", "--delay_filter", "moving_average"]);
    assert_eq!(a.overrides[0].key, "delay_filter");
    // After --, everything is an operand.
    let a = args(&["ptp4l", "--", "-m"]);
    assert!(a.overrides.is_empty());
    assert_eq!(a.operands, ["-m"]);
}

#[test]
fn version_and_help_stop_parsing() {
    assert_eq!(args(&["ptp4l", "-v", "--priority1=999", "-x"]).action, Ptp4lAction::Version);
    assert_eq!(args(&["ptp4l", "-mh", "-x"]).action, Ptp4lAction::Help);
    assert_eq!(
        err(&["ptp4l", "--priority1=999", "-v"]).to_string(),
        "999 is an out of range value for option priority1"
    );
}

#[test]
fn errors_have_linuxptp_texts() {
    let cases: &[(&[&str], &str, bool)] = &[
        (&["ptp4l", "-x"], "ptp4l: invalid option -- 'x'", true),
        (&["/usr/sbin/ptp4l", "-f"], "/usr/sbin/ptp4l: option requires an argument -- 'f'", true),
        (&["ptp4l", "-i"], "ptp4l: option requires an argument -- 'i'", true),
        (&["ptp4l", "--nosuch=1"], "ptp4l: unrecognized option '--nosuch=1'", true),
        (&["ptp4l", "--pi_offset_const=1"], "ptp4l: unrecognized option '--pi_offset_const=1'", true),
        (&["ptp4l", "--priority1"], "ptp4l: option '--priority1' requires an argument", true),
        (
            &["ptp4l", "--prio=1"],
            "ptp4l: option '--prio=1' is ambiguous; possibilities: '--priority1' '--priority2'",
            true,
        ),
        (&["ptp4l", "--priority1=256"], "256 is an out of range value for option priority1", false),
        (&["ptp4l", "--priority1", "x"], "x is a malformed value for option priority1", false),
        (&["ptp4l", "--priority1="], " is a malformed value for option priority1", false),
        (&["ptp4l", "--delay_mechanism=P3P"], "P3P is a bad value for option delay_mechanism", false),
        (&["ptp4l", "--slaveOnly=2"], "2 is an out of range value for option clientOnly", false),
        (&["ptp4l", "-l", "8"], "-l: 8 is out of range. Must be in the range 0 to 7", false),
        (&["ptp4l", "-l", "x"], "-l: x is a malformed value", false),
    ];
    for (argv, text, usage) in cases {
        let e = err(argv);
        assert_eq!(e.to_string(), *text, "{argv:?}");
        assert_eq!(e.prints_usage(), *usage, "{argv:?}");
        assert_eq!(e.exit_code(), 255);
    }
}

#[test]
fn deprecated_long_options_warn_and_work() {
    let a = args(&["ptp4l", "--masterOnly", "1", "--slaveOnly=1"]);
    assert_eq!(
        a.warnings,
        [
            Warning::Deprecated { old: "masterOnly", new: "serverOnly" },
            Warning::Deprecated { old: "slaveOnly", new: "clientOnly" }
        ]
    );
    assert_eq!(a.warnings[0].to_string(), "option masterOnly is deprecated, please use serverOnly instead");
    let mut cfg = a.to_config();
    cfg.read_str("[global]\nserverOnly 0\nclientOnly 0\n[eth0]\nmasterOnly 0\n", "f").unwrap();
    assert_eq!(cfg.port_int("eth1", "serverOnly"), 1);
    assert_eq!(cfg.port_int("eth0", "serverOnly"), 0, "port section overrides the command line");
    assert_eq!(cfg.global_int("clientOnly"), 1);
    assert_eq!(cfg.global_int("masterOnly"), 0, "the old key itself is never set");
    assert_eq!(cfg.warnings(), [Warning::Deprecated { old: "masterOnly", new: "serverOnly" }]);
}

#[test]
fn deprecated_file_names_warn_in_order() {
    let cfg = Config::parse(
        "[global]\npi_offset_const 0.5\npi_f_offset_const 0.1\npi_max_frequency 1000\nslaveOnly 1\n[eth0]\nmasterOnly 1\n",
        "f",
    )
    .unwrap();
    let texts: Vec<String> = cfg.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "option pi_offset_const is deprecated, please use step_threshold instead",
            "option pi_f_offset_const is deprecated, please use first_step_threshold instead",
            "option pi_max_frequency is deprecated, please use max_frequency instead",
            "option slaveOnly is deprecated, please use clientOnly instead",
            "option masterOnly is deprecated, please use serverOnly instead",
        ]
    );
    assert_eq!(cfg.global_double("step_threshold"), 0.5);
    assert_eq!(cfg.global_double("first_step_threshold"), 0.1);
    assert_eq!(cfg.global_int("max_frequency"), 1000);
    assert_eq!(cfg.global_int("clientOnly"), 1);
    assert_eq!(cfg.port_int("eth0", "serverOnly"), 1);
}

#[test]
fn unsupported_settings_name_the_key() {
    let cfg = run(
        &["ptp4l", "-i", "eth0", "--power_profile.version=2011"],
        "[global]\npriority1 128\nclockClass 6\n[eth1]\nspp 1\n[eth0]\nspp -1\nts2phc.channel 3\n",
    );
    let supported = ["priority1", "clockClass"];
    let found = cfg.unsupported_settings(&supported);
    let found: Vec<(&str, Option<&str>, &str)> =
        found.iter().map(|u| (u.key, u.port.as_deref(), u.value.as_str())).collect();
    assert_eq!(
        found,
        [("power_profile.version", None, "2011"), ("spp", Some("eth1"), "1"), ("ts2phc.channel", Some("eth0"), "3")]
    );
    let for_ptp4l = cfg.unsupported_settings_for(ptp_config::Program::Ptp4l, &supported);
    let texts: Vec<String> = for_ptp4l.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "option power_profile.version is set to 2011 on the command line, but ptp-rs does not support it yet \
             (only the default none is accepted)",
            "option spp is set to 1 in section [eth1], but ptp-rs does not support it yet (only the default -1 is accepted)",
        ]
    );
    assert!(cfg
        .unsupported_settings_for(
            ptp_config::Program::Ptp4l,
            &["priority1", "clockClass", "power_profile.version", "spp"]
        )
        .is_empty());
}
