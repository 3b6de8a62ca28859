//! Golden lines: every [`Event`] variant rendered as linuxptp prints it. The expected strings
//! are log-lines.md's examples and log-templates.tsv's templates filled in by hand.

use ptp_engine::event::{DropReason, Event, LeapChange, TimerKind};
use ptp_engine::log::{self, format, Dialect, Level, LogLine, PortNames, Printer, Stream};
use ptp_engine::state::{FaultType, FsmEvent, PortState, ServoState};
use ptp_engine::time::Instant;
use ptp_wire::{ClockIdentity, MessageType, ParseError, PortIdentity, TlvType};

fn names() -> PortNames {
    PortNames::new(Dialect::Linuxptp4).with(0, "/var/run/ptp/ptp4l").with(1, "eth0").with(2, "vB")
}

fn one(event: Event) -> LogLine {
    let lines = format(&event, &names());
    assert_eq!(lines.len(), 1, "{event:?} gave {lines:?}");
    lines.into_iter().next().unwrap()
}

fn check(event: Event, level: Level, text: &str) {
    assert_eq!(one(event), LogLine::new(level, text));
}

const CLOCK: ClockIdentity = ClockIdentity([0x52, 0x97, 0x52, 0xff, 0xfe, 0x2c, 0x83, 0xfa]);

// ---------------------------------------------------------------------------------------------
// Port names

#[test]
fn port_names_4x() {
    let n = names();
    assert_eq!(n.name(1), "port 1 (eth0)");
    assert_eq!(n.name(0), "port 0 (/var/run/ptp/ptp4l)");
    assert_eq!(n.name(7), "port 7 ()");
    assert_eq!(n.name(65535), "port 65535 ()");
}

#[test]
fn port_names_311() {
    let n = PortNames::new(Dialect::Linuxptp3).with(1, "eth0");
    assert_eq!(n.name(1), "port 1");
    assert_eq!(n.name(0), "port 0");
}

// ---------------------------------------------------------------------------------------------
// One test per Event variant

#[test]
fn port_state_change() {
    let ev = |from, to, event| Event::PortStateChange { port: 2, from, to, event, fault: None };
    check(
        ev(PortState::Initializing, PortState::Listening, FsmEvent::InitComplete),
        Level::Notice,
        "port 2 (vB): INITIALIZING to LISTENING on INIT_COMPLETE",
    );
    check(
        ev(PortState::Listening, PortState::Master, FsmEvent::AnnounceReceiptTimeoutExpires),
        Level::Notice,
        "port 2 (vB): LISTENING to MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES",
    );
    check(
        ev(PortState::Listening, PortState::Uncalibrated, FsmEvent::RsSlave),
        Level::Notice,
        "port 2 (vB): LISTENING to UNCALIBRATED on RS_SLAVE",
    );
    check(
        ev(PortState::Uncalibrated, PortState::Slave, FsmEvent::MasterClockSelected),
        Level::Notice,
        "port 2 (vB): UNCALIBRATED to SLAVE on MASTER_CLOCK_SELECTED",
    );
    check(
        ev(PortState::Master, PortState::GrandMaster, FsmEvent::RsGrandMaster),
        Level::Notice,
        "port 2 (vB): MASTER to GRAND_MASTER on RS_GRAND_MASTER",
    );
    check(
        ev(PortState::Initializing, PortState::Listening, FsmEvent::InitComplete),
        Level::Notice,
        "port 2 (vB): INITIALIZING to LISTENING on INIT_COMPLETE",
    );
}

#[test]
fn port_state_change_fault() {
    check(
        Event::PortStateChange {
            port: 1,
            from: PortState::Slave,
            to: PortState::Faulty,
            event: FsmEvent::FaultDetected,
            fault: Some(FaultType::BadPeerNetwork),
        },
        Level::Notice,
        "port 1 (eth0): SLAVE to FAULTY on FAULT_DETECTED (FT_BAD_PEER_NETWORK)",
    );
    // FAULT_DETECTED always carries the fault type (FT_UNSPECIFIED when none was recorded)...
    check(
        Event::PortStateChange {
            port: 1,
            from: PortState::Listening,
            to: PortState::Faulty,
            event: FsmEvent::FaultDetected,
            fault: None,
        },
        Level::Notice,
        "port 1 (eth0): LISTENING to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)",
    );
    // ... and other events never do.
    check(
        Event::PortStateChange {
            port: 1,
            from: PortState::Faulty,
            to: PortState::Listening,
            event: FsmEvent::FaultCleared,
            fault: Some(FaultType::SwitchPhc),
        },
        Level::Notice,
        "port 1 (eth0): FAULTY to LISTENING on FAULT_CLEARED",
    );
}

#[test]
fn uds_port_state_change() {
    check(
        Event::PortStateChange {
            port: 0,
            from: PortState::Initializing,
            to: PortState::Listening,
            event: FsmEvent::InitComplete,
            fault: None,
        },
        Level::Notice,
        "port 0 (/var/run/ptp/ptp4l): INITIALIZING to LISTENING on INIT_COMPLETE",
    );
}

#[test]
fn selected_local_clock() {
    check(
        Event::SelectedLocalClock { identity: CLOCK },
        Level::Notice,
        "selected local clock 529752.fffe.2c83fa as best master",
    );
}

#[test]
fn selected_best_master() {
    check(
        Event::SelectedBestMaster { identity: CLOCK },
        Level::Notice,
        "selected best master clock 529752.fffe.2c83fa",
    );
}

#[test]
fn assuming_grand_master() {
    check(Event::AssumingGrandMaster { port: 1 }, Level::Notice, "port 1 (eth0): assuming the grand master role");
}

#[test]
fn new_foreign_master() {
    check(
        Event::NewForeignMaster { port: 1, identity: PortIdentity { clock_identity: CLOCK, port_number: 1 } },
        Level::Notice,
        "port 1 (eth0): new foreign master 529752.fffe.2c83fa-1",
    );
}

#[test]
fn master_recommended_in_slave_only() {
    assert_eq!(
        format(&Event::MasterRecommendedInSlaveOnly { port: 1 }, &names()),
        vec![
            LogLine::new(Level::Warning, "port 1 (eth0): master state recommended in slave only mode"),
            LogLine::new(Level::Warning, "port 1 (eth0): defaultDS.priority1 probably misconfigured"),
        ]
    );
}

#[test]
fn foreign_master_not_ptp_timescale() {
    check(Event::ForeignMasterNotPtpTimescale, Level::Warning, "foreign master not using PTP timescale");
}

#[test]
fn temporal_vortex() {
    check(Event::TemporalVortex, Level::Warning, "running in a temporal vortex");
}

#[test]
fn updating_leap() {
    check(Event::UpdatingLeap(LeapChange::Insert), Level::Info, "updating time properties to insert leap second");
    check(Event::UpdatingLeap(LeapChange::Delete), Level::Info, "updating time properties to delete leap second");
    check(Event::UpdatingLeap(LeapChange::None), Level::Info, "updating time properties to no leap second");
}

#[test]
fn updating_utc_offset() {
    check(Event::UpdatingUtcOffset(37), Level::Info, "updating UTC offset to 37");
    check(Event::UpdatingUtcOffset(-1), Level::Info, "updating UTC offset to -1");
    check(Event::ClockUpdateSuspendedLeapSecond, Level::Info, "clock update suspended due to leap second");
}

#[test]
fn link() {
    check(Event::Link { port: 1, up: true }, Level::Notice, "port 1 (eth0): link up");
    check(Event::Link { port: 1, up: false }, Level::Notice, "port 1 (eth0): link down");
}

#[test]
fn pdelay_req_on_e2e_port() {
    check(Event::PdelayReqOnE2ePort { port: 1 }, Level::Warning, "port 1 (eth0): pdelay_req on E2E port");
}

#[test]
fn delay_req_on_p2p_port() {
    check(Event::DelayReqOnP2pPort { port: 1 }, Level::Warning, "port 1 (eth0): delay request on P2P port");
}

#[test]
fn peer_detected_switch_to_p2p() {
    check(Event::PeerDetectedSwitchToP2p { port: 1 }, Level::Info, "port 1 (eth0): peer detected, switch to P2P");
}

#[test]
fn min_delay_req_interval() {
    check(
        Event::MinDelayReqInterval { port: 1, log_interval: -3 },
        Level::Notice,
        "port 1 (eth0): minimum delay request interval 2^-3",
    );
    check(
        Event::MinDelayReqInterval { port: 1, log_interval: 0 },
        Level::Notice,
        "port 1 (eth0): minimum delay request interval 2^0",
    );
}

#[test]
fn multiple_peer_responses() {
    check(Event::MultiplePeerResponses { port: 1 }, Level::Err, "port 1 (eth0): multiple peer responses");
}

#[test]
fn rogue_peer_delay_response() {
    check(Event::RoguePeerDelayResponse { port: 1 }, Level::Err, "port 1 (eth0): rogue peer delay response");
}

#[test]
fn delay_response_timeout() {
    check(Event::DelayResponseTimeout { port: 1 }, Level::Err, "port 1 (eth0): delay response timeout");
}

#[test]
fn timeouts() {
    let t = |timer| Event::Timeout { port: 1, timer };
    check(t(TimerKind::AnnounceReceipt), Level::Debug, "port 1 (eth0): announce timeout");
    check(t(TimerKind::SyncReceipt), Level::Debug, "port 1 (eth0): rx sync timeout");
    check(t(TimerKind::DelayRequest), Level::Debug, "port 1 (eth0): delay timeout");
    check(t(TimerKind::Qualification), Level::Debug, "port 1 (eth0): qualification timeout");
    check(t(TimerKind::MasterAnnounce), Level::Debug, "port 1 (eth0): master tx announce timeout");
    check(t(TimerKind::MasterSync), Level::Debug, "port 1 (eth0): master sync timeout");
}

#[test]
fn fault_wait() {
    check(
        Event::FaultWait { port: 1, log_seconds: 4 },
        Level::Debug,
        "waiting 2^{4} seconds to clear fault on port 1 (eth0)",
    );
    check(
        Event::FaultWait { port: 1, log_seconds: -128 },
        Level::Debug,
        "waiting 2^{-128} seconds to clear fault on port 1 (eth0)",
    );
}

#[test]
fn clearing_fault() {
    check(Event::ClearingFault { port: 1 }, Level::Debug, "clearing fault on port 1 (eth0)");
}

#[test]
fn clearing_fault_immediately() {
    check(Event::ClearingFaultImmediately { port: 1 }, Level::Notice, "port 1 (eth0): clearing fault immediately");
}

#[test]
fn master_offset() {
    let ev =
        |offset_ns, state, freq_ppb, path_delay_ns| Event::MasterOffset { offset_ns, state, freq_ppb, path_delay_ns };
    check(
        ev(-12, ServoState::Locked, 1234.0, 560),
        Level::Info,
        "master offset        -12 s2 freq   +1234 path delay       560",
    );
    check(
        ev(1_000_000_000_000, ServoState::Jump, -98765.49, 0),
        Level::Info,
        "master offset 1000000000000 s1 freq  -98765 path delay         0",
    );
    // %+7.0f: round half to even, negative zero keeps its sign.
    check(
        ev(0, ServoState::Unlocked, 2.5, 1),
        Level::Info,
        "master offset          0 s0 freq      +2 path delay         1",
    );
    check(
        ev(3, ServoState::LockedStable, -0.4, 1),
        Level::Info,
        "master offset          3 s3 freq      -0 path delay         1",
    );
    check(
        ev(i64::MIN, ServoState::Locked, 100_000_000.0, i64::MAX),
        Level::Info,
        "master offset -9223372036854775808 s2 freq +100000000 path delay 9223372036854775807",
    );
}

#[test]
fn summary() {
    check(
        Event::Summary {
            offset_rms: 2.236,
            offset_max: 3.0,
            freq_mean: 101.0,
            freq_sd: 2.236,
            delay: Some((1001.0, 1.0)),
        },
        Level::Info,
        "rms    2 max    3 freq   +101 +/-   2 delay  1001 +/-   1",
    );
    check(
        Event::Summary { offset_rms: 12345.6, offset_max: 99999.0, freq_mean: -4321.5, freq_sd: 1234.5, delay: None },
        Level::Info,
        "rms 12346 max 99999 freq  -4322 +/- 1234",
    );
}

#[test]
fn delay_measured() {
    check(
        Event::DelayMeasured { filtered_ns: 560, raw_ns: -12 },
        Level::Debug,
        "delay   filtered        560   raw        -12",
    );
}

#[test]
fn pi_servo_constants() {
    check(
        Event::PiServoConstants { sync_interval: 0.125, kp: 0.7, ki: 0.3 },
        Level::Debug,
        "PI servo: sync interval 0.125 kp 0.700 ki 0.300000",
    );
    check(
        // 5e-7 is just below its decimal value in binary (glibc: 0.000000); 1.5e-6 just above.
        Event::PiServoConstants { sync_interval: 1.0, kp: 0.0000005, ki: 0.0000015 },
        Level::Debug,
        "PI servo: sync interval 1.000 kp 0.000 ki 0.000002",
    );
}

#[test]
fn dropped() {
    let drop = |reason| format(&Event::Dropped { port: 1, reason }, &names());
    let too_short = ParseError::TooShort { needed: 44, available: 10 };
    assert_eq!(drop(DropReason::Malformed(too_short)), vec![LogLine::new(Level::Err, "port 1 (eth0): bad message")]);
    assert_eq!(
        drop(DropReason::Malformed(ParseError::BadTlvBody { tlv_type: TlvType::from(3) })),
        vec![LogLine::new(Level::Err, "port 1 (eth0): bad message")]
    );
    assert_eq!(
        drop(DropReason::Malformed(ParseError::UnsupportedVersion(1))),
        vec![LogLine::new(Level::Debug, "port 1 (eth0): ignoring message")]
    );
    assert_eq!(
        drop(DropReason::NoTimestamp(MessageType::Sync)),
        vec![LogLine::new(Level::Err, "port 1 (eth0): received SYNC without timestamp")]
    );
    assert_eq!(
        drop(DropReason::NoTimestamp(MessageType::PdelayResp)),
        vec![LogLine::new(Level::Err, "port 1 (eth0): received PDELAY_RESP without timestamp")]
    );
    for silent in [
        DropReason::WrongDomain,
        DropReason::WrongSdoId,
        DropReason::OwnMessage,
        DropReason::Unexpected(MessageType::DelayReq),
        DropReason::NotForUs(MessageType::DelayResp),
        DropReason::NotFromParent(MessageType::Sync),
    ] {
        assert_eq!(drop(silent), vec![], "{silent:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// linuxptp 3.1.1 names

#[test]
fn dialect_311() {
    let n = PortNames::new(Dialect::Linuxptp3).with(1, "eth0");
    let f = |ev: Event| format(&ev, &n).into_iter().map(|l| l.text).collect::<Vec<_>>();
    assert_eq!(
        f(Event::PortStateChange {
            port: 1,
            from: PortState::Listening,
            to: PortState::Master,
            event: FsmEvent::AnnounceReceiptTimeoutExpires,
            fault: None,
        }),
        ["port 1: LISTENING to MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES"]
    );
    assert_eq!(f(Event::Link { port: 1, up: false }), ["port 1: link down"]);
    assert_eq!(f(Event::ClearingFault { port: 1 }), ["clearing fault on port 1"]);
    assert_eq!(f(Event::FaultWait { port: 1, log_seconds: 4 }), ["waiting 2^{4} seconds to clear fault on port 1"]);
    assert_eq!(
        f(Event::Dropped { port: 0, reason: DropReason::NoTimestamp(MessageType::DelayReq) }),
        ["port 0: received DELAY_REQ without timestamp"]
    );
}

// ---------------------------------------------------------------------------------------------
// Prefix, tag, streams, truncation

#[test]
fn levels() {
    for (n, level) in Level::ALL.iter().enumerate() {
        assert_eq!(usize::from(level.number()), n);
        assert_eq!(Level::from_number(level.number()), Some(*level));
    }
    assert_eq!(Level::from_number(8), None);
    assert_eq!(Level::Notice.stream(), Stream::Stdout);
    assert_eq!(Level::Info.stream(), Stream::Stdout);
    assert_eq!(Level::Debug.stream(), Stream::Stdout);
    assert_eq!(Level::Warning.stream(), Stream::Stderr);
    assert_eq!(Level::Emerg.stream(), Stream::Stderr);
    assert!(Level::Info.is_enabled(6));
    assert!(!Level::Debug.is_enabled(6));
    assert!(Level::Debug.is_enabled(7));
    assert!(!Level::Emerg.is_enabled(-1));
}

#[test]
fn prefixes() {
    let now = Instant::from_nanos(887_593_999_999);
    assert_eq!(log::prefix("ptp4l", now, None, Level::Notice), "ptp4l[887.593]: ");
    assert_eq!(
        log::prefix("ptp4l", Instant::from_nanos(861_064_000_000), Some("tag{level}"), Level::Notice),
        "ptp4l[861.064]: tag5 "
    );
    assert_eq!(log::prefix("phc2sys", Instant::from_secs(5), Some("[eth0]"), Level::Info), "phc2sys[5.000]: [eth0] ");
    assert_eq!(log::prefix("", now, None, Level::Err), "[887.593]: ");
    assert_eq!(log::syslog_prefix(now, None, Level::Info), "[887.593] ");
    assert_eq!(log::syslog_prefix(now, Some("t{level}x"), Level::Debug), "[887.593] t7x ");
}

#[test]
fn printer_lines() {
    let p = Printer::new("ptp4l");
    let now = Instant::from_nanos(887_593_000_000);
    let line = LogLine::new(Level::Notice, "port 1 (vB): INITIALIZING to LISTENING on INIT_COMPLETE");
    assert_eq!(p.stdio_line(now, &line), "ptp4l[887.593]: port 1 (vB): INITIALIZING to LISTENING on INIT_COMPLETE\n");
    assert_eq!(p.syslog_message(now, &line), "[887.593] port 1 (vB): INITIALIZING to LISTENING on INIT_COMPLETE");

    let tagged = Printer::new("ptp4l").tag(Some("tag{level}"));
    assert_eq!(
        tagged.stdio_line(now, &line),
        "ptp4l[887.593]: tag5 port 1 (vB): INITIALIZING to LISTENING on INIT_COMPLETE\n"
    );
    let old = Printer::new("ptp4l").tag(Some("tag{level}")).dialect(Dialect::Linuxptp3);
    assert_eq!(
        old.stdio_line(now, &line),
        "ptp4l[887.593]: tag{level} port 1 (vB): INITIALIZING to LISTENING on INIT_COMPLETE\n"
    );
}

#[test]
fn body_truncated_to_1023_bytes() {
    let p = Printer::new("ptp4l");
    let long = LogLine::new(Level::Info, "x".repeat(5000));
    let out = p.stdio_line(Instant::ZERO, &long);
    assert_eq!(out, format!("ptp4l[0.000]: {}\n", "x".repeat(1023)));
    assert_eq!(log::truncate_body(&"y".repeat(1023)).len(), 1023);
    // Never inside a character.
    let multi = "é".repeat(600);
    assert_eq!(log::truncate_body(&multi).len(), 1022);
}

#[test]
fn tag_limited_to_127_bytes() {
    let tag = "t".repeat(300);
    let prefix = log::prefix("ptp4l", Instant::ZERO, Some(&tag), Level::Info);
    assert_eq!(prefix, format!("ptp4l[0.000]: {}", "t".repeat(127)));
}
