//! Bad config files give linuxptp's exact messages (config-format.md §3.2, §5), the right
//! line numbers, and the right exit status per program (§3.3).

use ptp_config::{AddressError, Config, ParseError, Program, ReadError};

/// (file contents, the first message linuxptp prints)
const CASES: &[(&str, &str)] = &[
    // Sections and line shapes.
    ("priority1 1\n", "line 1 is not in a section"),
    ("# comment\n\n   \t\npriority1 1\n", "line 4 is not in a section"),
    ("   # indented comment\npriority1\n", "line 2 is not in a section"),
    ("[global]\npriority1\n", "could not parse line 2 in global section"),
    ("[eth0]\npriority1\n", "could not parse line 2 in eth0 section"),
    ("[ eth0 ] junk\nfoo\n", "could not parse line 2 in eth0 section"),
    ("[]\n", "could not parse port name on line 1"),
    ("[global]\n[ ]\n", "could not parse port name on line 2"),
    ("[global]\n[[]]\n", "could not parse port name on line 2"),
    // Keys.
    ("[global]\nnosuch 1\n", "unknown option nosuch at line 2 in global section"),
    ("[global]\nPriority1 1\n", "unknown option Priority1 at line 2 in global section"),
    ("[eth0]\npriority1 1\n", "unknown option priority1 at line 2 in eth0 section"),
    ("[eth0]\nslaveOnly 1\n", "unknown option clientOnly at line 2 in eth0 section"),
    ("[ global ]\npriority1 1\n", "unknown option priority1 at line 2 in global section"),
    ("[global] x\npriority1 1\n", "unknown option priority1 at line 2 in global section"),
    (
        "[security_association]\nspp 1\nallow_mutable 1\n",
        "unknown option allow_mutable at line 3 in security_association section",
    ),
    // The value is checked before the section: a global-only key with a bad value in a port
    // section reports the value.
    ("[eth0]\npriority1 300\n", "300 is an out of range value for option priority1 at line 2"),
    // Ints.
    ("[global]\npriority1 256\n", "256 is an out of range value for option priority1 at line 2"),
    ("[global]\npriority1 -1\n", "-1 is an out of range value for option priority1 at line 2"),
    (
        "[global]\npriority1 128 # no inline comments\n",
        "128 # no inline comments is a malformed value for option priority1 at line 2",
    ),
    ("[global]\npriority1 0x\n", "0x is a malformed value for option priority1 at line 2"),
    ("[global]\npriority1 08\n", "08 is a malformed value for option priority1 at line 2"),
    ("[global]\npriority1 1.0\n", "1.0 is a malformed value for option priority1 at line 2"),
    (
        "[global]\ndelayAsymmetry 2147483648\n",
        "2147483648 is an out of range value for option delayAsymmetry at line 2",
    ),
    (
        "[global]\ndelayAsymmetry 99999999999999999999\n",
        "99999999999999999999 is an out of range value for option delayAsymmetry at line 2",
    ),
    ("[global]\nts2phc.pulsewidth -1\n", "-1 is an out of range value for option ts2phc.pulsewidth at line 2"),
    ("[global]\nlogSyncInterval ASAP\n", "ASAP is a malformed value for option logSyncInterval at line 2"),
    ("[global]\nfault_reset_interval ASAPx\n", "ASAPx is a malformed value for option fault_reset_interval at line 2"),
    // Uint.
    ("[global]\nactive_key_id -1\n", "-1 is an out of range value for option active_key_id at line 2"),
    ("[global]\nactive_key_id 4294967296\n", "4294967296 is an out of range value for option active_key_id at line 2"),
    // Doubles.
    ("[global]\nstep_threshold -1\n", "-1 is an out of range value for option step_threshold at line 2"),
    ("[global]\nstep_threshold 1e\n", "1e is a malformed value for option step_threshold at line 2"),
    ("[global]\nstep_threshold inf\n", "inf is an out of range value for option step_threshold at line 2"),
    ("[global]\nstep_threshold 1e999\n", "1e999 is an out of range value for option step_threshold at line 2"),
    ("[global]\npi_integral_norm_max 0\n", "0 is an out of range value for option pi_integral_norm_max at line 2"),
    (
        "[global]\ndelay_request_variability 1.5\n",
        "1.5 is an out of range value for option delay_request_variability at line 2",
    ),
    // Enums.
    ("[global]\ndelay_mechanism P2Q\n", "P2Q is a bad value for option delay_mechanism at line 2"),
    ("[global]\ntime_stamping hw\n", "hw is a bad value for option time_stamping at line 2"),
    ("[eth1]\nnetwork_transport UDPv4 # x\n", "UDPv4 # x is a bad value for option network_transport at line 2"),
    // Deprecated names report the new name.
    ("[global]\nslaveOnly 2\n", "2 is an out of range value for option clientOnly at line 2"),
    ("[global]\npi_offset_const x\n", "x is a malformed value for option step_threshold at line 2"),
    // Unicast master tables.
    ("[unicast_master_table]\nUDPv4 1.2.3.4\n", "line 2: missing table_id"),
    ("[unicast_master_table]\nlogQueryInterval 1\n", "line 2: missing table_id"),
    ("[unicast_master_table]\npeer_address 1.2.3.4\n", "line 2: missing table_id"),
    (
        "[unicast_master_table]\ntable_id 0\n",
        "line 2: table_id 0 is out of range. Must be in the range 1 to 2147483647",
    ),
    (
        "[unicast_master_table]\ntable_id -5\n",
        "line 2: table_id -5 is out of range. Must be in the range 1 to 2147483647",
    ),
    (
        "[unicast_master_table]\ntable_id 0x10\n",
        "line 2: table_id 0 is out of range. Must be in the range 1 to 2147483647",
    ),
    ("[unicast_master_table]\ntable_id 1\n[unicast_master_table]\ntable_id 1\n", "line 4: table_id 1 already taken"),
    ("[unicast_master_table]\ntable_id 1\n[unicast_master_table]\nUDPv4 1.2.3.4\n", "line 4: missing table_id"),
    ("[unicast_master_table]\ntable_id 1\nlogQueryInterval 128\n", "line 3: logQueryInterval 128 out of range"),
    ("[unicast_master_table]\ntable_id 1\nlogQueryInterval -129\n", "line 3: logQueryInterval -129 out of range"),
    ("[unicast_master_table]\ntable_id 1\nUDPv4\n", "bad master table at line 3"),
    ("[unicast_master_table]\ntable_id 1\nUDPv4 1.2.3.256\n", "line 3: bad address"),
    ("[unicast_master_table]\ntable_id 1\nUDPv6 zz::1\n", "line 3: bad address"),
    ("[unicast_master_table]\ntable_id 1\nL2 00:11:22\n", "line 3: bad address"),
    ("[unicast_master_table]\ntable_id 1\nUDS /tmp/x\n", "line 3: bad address"),
    ("[unicast_master_table]\ntable_id 1\nTABLE_ID 2\n", "line 3: bad address"),
    // An over-long physical line continues as a new line (1024-byte fgets buffer).
    ("[global]\nuserDescription LONG\n", "could not parse line 3 in global section"),
];

fn expand(text: &str) -> String {
    text.replace("LONG", &"x".repeat(1100))
}

#[test]
fn bad_lines_give_linuxptp_messages() {
    for (text, want) in CASES {
        let text = expand(text);
        let err = Config::parse(&text, "bad.cfg").expect_err(want);
        let ReadError::Parse { file, error } = &err else { panic!("{want}: {err:?}") };
        assert_eq!(file, "bad.cfg");
        assert_eq!(error.to_string(), *want, "input {text:?}");
        assert_eq!(err.to_string(), "failed to parse configuration file bad.cfg");
        assert_eq!(err.stderr_text(Program::Ptp4l), format!("{want}\nfailed to parse configuration file bad.cfg\n"));
        assert_eq!(err.return_code(), -2);
    }
}

#[test]
fn bad_address_reasons() {
    let reason = |line: &str| {
        let text = format!("[unicast_master_table]\ntable_id 1\n{line}\n");
        match Config::parse(&text, "t").unwrap_err().parse_error() {
            Some(ParseError::BadAddress { reason, line: 3 }) => *reason,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(reason("UDPv4 1.2.3.256"), AddressError::BadIpv4);
    assert_eq!(reason("UDPv6 zz::1"), AddressError::BadIpv6);
    assert_eq!(reason("L2 00:11:22"), AddressError::BadL2);
    assert_eq!(reason("UDS /tmp/x"), AddressError::UnsupportedTransport);
    assert_eq!(AddressError::UnsupportedTransport.to_string(), "sorry, cannot convert addresses for this transport");
    assert_eq!(AddressError::BadL2.to_string(), "bad Layer-2 address");
}

#[test]
fn exit_codes() {
    let err = Config::parse("[global]\nnosuch 1\n", "x.cfg").unwrap_err();
    assert_eq!(err.exit_code(Program::Ptp4l), 254);
    assert_eq!(err.exit_code(Program::Phc2sys), 254);
    assert_eq!(err.exit_code(Program::Nsm), 254);
    assert_eq!(err.exit_code(Program::Tz2alt), 254);
    assert_eq!(err.exit_code(Program::Pmc), 255);
    assert_eq!(err.exit_code(Program::Ts2phc), 255);
    assert_eq!(
        err.stderr_text(Program::Ts2phc),
        "unknown option nosuch at line 2 in global section\nfailed to parse configuration file x.cfg\nfailed to read config\n"
    );

    let mut cfg = Config::new();
    let err = cfg.read_file(std::path::Path::new("/nonexistent/ptp4l.cfg")).unwrap_err();
    assert_eq!(err.to_string(), "failed to open configuration file /nonexistent/ptp4l.cfg: No such file or directory");
    assert_eq!(err.return_code(), -1);
    for p in Program::ALL {
        assert_eq!(err.exit_code(p), 255);
    }
}

#[test]
fn parsing_stops_at_the_first_error() {
    let mut cfg = Config::new();
    let err = cfg.read_str("[global]\npriority1 1\npriority2 x\npriority1 3\n", "f").unwrap_err();
    assert_eq!(err.parse_error().unwrap().line(), 3);
    assert_eq!(cfg.global_int("priority1"), 1);
    assert_eq!(cfg.global_int("priority2"), 128);
}

#[test]
fn accepted_oddities() {
    // Whitespace of every C kind, CRLF line ends, missing final newline.
    let cfg = Config::parse("\t[global]\r\n\x0bpriority1\t\x0c 0x10\r\n  priority2 010", "f").unwrap();
    assert_eq!(cfg.global_int("priority1"), 16);
    assert_eq!(cfg.global_int("priority2"), 8);
    // Section names are case-insensitive; keys are not; enum words are not.
    let cfg = Config::parse("[GLOBAL]\ndelay_mechanism p2p\ntime_stamping SOFTWARE\n", "f").unwrap();
    assert_eq!(cfg.global_int("delay_mechanism"), 2);
    assert_eq!(cfg.global_int("time_stamping"), 0);
    // Strings keep inner spaces and '#'; the last setting wins.
    let cfg = Config::parse("[global]\nuserDescription a  b # c\nproductDescription x\nproductDescription ;y;\n", "f")
        .unwrap();
    assert_eq!(cfg.global_str("userDescription"), Some("a  b # c"));
    assert_eq!(cfg.global_str("productDescription"), Some(";y;"));
    // ASAP in any case for the two fault intervals.
    let cfg = Config::parse("[eth0]\nfault_reset_interval asap\nfault_badpeernet_interval Asap\n", "f").unwrap();
    assert_eq!(cfg.port_int("eth0", "fault_reset_interval"), -128);
    assert_eq!(cfg.port_int("eth0", "fault_badpeernet_interval"), 0);
    // Doubles: exponents, hex floats, NaN passes the range check as in C.
    let cfg = Config::parse("[global]\nstep_threshold 1e-3\nfirst_step_threshold 0x1p-4\n", "f").unwrap();
    assert_eq!(cfg.global_double("step_threshold"), 0.001);
    assert_eq!(cfg.global_double("first_step_threshold"), 0.0625);
    let cfg = Config::parse("[global]\nstep_threshold nan\n", "f").unwrap();
    assert!(cfg.global_double("step_threshold").is_nan());
    // A port section merges with an earlier one of the same name; an empty one creates a port.
    let cfg = Config::parse("[eth0]\nlogSyncInterval 1\n[eth1]\n[eth0]\nlogSyncInterval 2\n", "f").unwrap();
    let names: Vec<&str> = cfg.interfaces().iter().map(|i| i.name()).collect();
    assert_eq!(names, ["eth0", "eth1"]);
    assert_eq!(cfg.port_int("eth0", "logSyncInterval"), 2);
    // A port key in [global] is the default of every port; a port section overrides it.
    let cfg = Config::parse("[global]\nlogSyncInterval -3\n[eth0]\nlogSyncInterval 1\n[eth1]\n", "f").unwrap();
    assert_eq!(cfg.port_int("eth0", "logSyncInterval"), 1);
    assert_eq!(cfg.port_int("eth1", "logSyncInterval"), -3);
    // Unicast master table lines as sscanf reads them.
    let cfg = Config::parse(
        "[unicast_master_table]\ntable_id5 trailing\nlogQueryInterval -3x\nudpv4 10.1\nl2 0:1:2:3:4:5\nUDPV6 fe80::1\n\
         peer_address fe80::2\npeer_address 10.0.0.9\n[global]\npriority1 1\n",
        "f",
    )
    .unwrap();
    let t = cfg.unicast_master_table(5).unwrap();
    assert_eq!(t.log_query_interval, -3);
    assert_eq!(t.peer_address.as_deref(), Some("10.0.0.9"));
    assert_eq!(t.entries.len(), 3);
    assert_eq!(t.entries[0], ptp_config::UnicastAddress::UdpV4([10, 0, 0, 1].into()));
    assert_eq!(cfg.global_int("priority1"), 1);
    // A NUL byte ends the line as in C.
    let mut cfg = Config::new();
    cfg.read_bytes(b"[global]\npriority1 5\0junk\n", "f").unwrap();
    assert_eq!(cfg.global_int("priority1"), 5);
}

/// `ASAP` for a fault interval in [global] goes through linuxptp's `config_set_section_int`,
/// which locks the global value like a command-line option: a later [global] line for the same
/// key is ignored.
#[test]
fn asap_in_global_locks_like_linuxptp() {
    let cfg = Config::parse("[global]\nfault_reset_interval ASAP\nfault_reset_interval 3\n", "f").unwrap();
    assert_eq!(cfg.global_int("fault_reset_interval"), -128);
    assert!(cfg.is_locked("fault_reset_interval"));
}
