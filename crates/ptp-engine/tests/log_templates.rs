//! Every [`Event`] variant is printed with a template that linuxptp really has: each template
//! [`log::templates`] names is a row of log-templates.tsv for ptp4l, with the same level, and
//! [`log::format`] renders exactly those templates.

use std::path::PathBuf;

use ptp_engine::event::{DropReason, Event, LeapChange, TimerKind};
use ptp_engine::log::{self, Dialect, Level, PortNames};
use ptp_engine::state::{FaultType, FsmEvent, PortState, ServoState};
use ptp_wire::{ClockIdentity, MessageType, ParseError, PortIdentity};

fn shared_dir() -> PathBuf {
    match std::env::var_os("PTP_RS_SHARED") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// (level, template) of the log rows of `file` whose programs column lists `program` (all
/// rows when the file has no programs column).
fn rows(file: &str, program: Option<&str>) -> Vec<(String, String)> {
    let path = shared_dir().join("reference").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (programs, rest) = match program {
            Some(_) => (cols[0], &cols[1..]),
            None => ("", &cols[..]),
        };
        // rest: file, line, kind, call, level_or_stream, template
        if rest[2] != "log" {
            continue;
        }
        if let Some(p) = program {
            if !programs.split(',').any(|x| x == p) {
                continue;
            }
        }
        out.push((rest[4].to_owned(), rest[5].to_owned()));
    }
    out
}

const CLOCK: ClockIdentity = ClockIdentity([0x00, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55]);

/// One or more sample events of every variant. The match without a wildcard makes a new
/// variant fail to compile here until it has samples (and so a checked template).
fn samples() -> Vec<Event> {
    let all = vec![
        Event::PortStateChange {
            port: 1,
            from: PortState::Listening,
            to: PortState::Master,
            event: FsmEvent::AnnounceReceiptTimeoutExpires,
            fault: None,
        },
        Event::PortStateChange {
            port: 1,
            from: PortState::Slave,
            to: PortState::Faulty,
            event: FsmEvent::FaultDetected,
            fault: Some(FaultType::Unspecified),
        },
        Event::SelectedLocalClock { identity: CLOCK },
        Event::SelectedBestMaster { identity: CLOCK },
        Event::AssumingGrandMaster { port: 1 },
        Event::NewForeignMaster { port: 1, identity: PortIdentity { clock_identity: CLOCK, port_number: 2 } },
        Event::MasterRecommendedInSlaveOnly { port: 1 },
        Event::ForeignMasterNotPtpTimescale,
        Event::TemporalVortex,
        Event::UpdatingLeap(LeapChange::Insert),
        Event::UpdatingUtcOffset(37),
        Event::ClockUpdateSuspendedLeapSecond,
        Event::Link { port: 1, up: true },
        Event::PdelayReqOnE2ePort { port: 1 },
        Event::DelayReqOnP2pPort { port: 1 },
        Event::PeerDetectedSwitchToP2p { port: 1 },
        Event::MinDelayReqInterval { port: 1, log_interval: 0 },
        Event::MultiplePeerResponses { port: 1 },
        Event::RoguePeerDelayResponse { port: 1 },
        Event::DelayResponseTimeout { port: 1 },
        Event::Timeout { port: 1, timer: TimerKind::AnnounceReceipt },
        Event::Timeout { port: 1, timer: TimerKind::SyncReceipt },
        Event::Timeout { port: 1, timer: TimerKind::DelayRequest },
        Event::Timeout { port: 1, timer: TimerKind::Qualification },
        Event::Timeout { port: 1, timer: TimerKind::MasterAnnounce },
        Event::Timeout { port: 1, timer: TimerKind::MasterSync },
        Event::FaultWait { port: 1, log_seconds: 4 },
        Event::ClearingFault { port: 1 },
        Event::ClearingFaultImmediately { port: 1 },
        Event::ClockCheck(ptp_engine::clockcheck::ClockCheckFault::JumpedForward),
        Event::ClockCheck(ptp_engine::clockcheck::ClockCheckFault::JumpedBackward),
        Event::ClockCheck(ptp_engine::clockcheck::ClockCheckFault::FrequencyChanged),
        Event::SendFailed { port: 1, message_type: MessageType::Sync },
        Event::SendFailed { port: 1, message_type: MessageType::FollowUp },
        Event::SendFailed { port: 1, message_type: MessageType::Announce },
        Event::SendFailed { port: 1, message_type: MessageType::DelayReq },
        Event::SendFailed { port: 1, message_type: MessageType::DelayResp },
        Event::SendFailed { port: 1, message_type: MessageType::PdelayReq },
        Event::SendFailed { port: 1, message_type: MessageType::PdelayResp },
        Event::SendFailed { port: 1, message_type: MessageType::PdelayRespFollowUp },
        Event::SendFailed { port: 1, message_type: MessageType::Signaling },
        Event::MasterOffset { offset_ns: 1, state: ServoState::Locked, freq_ppb: 1.0, path_delay_ns: 1 },
        Event::Summary { offset_rms: 1.0, offset_max: 1.0, freq_mean: 1.0, freq_sd: 1.0, delay: Some((1.0, 1.0)) },
        Event::Summary { offset_rms: 1.0, offset_max: 1.0, freq_mean: 1.0, freq_sd: 1.0, delay: None },
        Event::DelayMeasured { filtered_ns: 1, raw_ns: 1 },
        Event::PiServoConstants { sync_interval: 1.0, kp: 0.7, ki: 0.3 },
        Event::Dropped { port: 1, reason: DropReason::Malformed(ParseError::UnknownMessageType(5)) },
        Event::Dropped { port: 1, reason: DropReason::Malformed(ParseError::UnsupportedVersion(1)) },
        Event::Dropped { port: 1, reason: DropReason::NoTimestamp(MessageType::Sync) },
        Event::Dropped { port: 1, reason: DropReason::WrongDomain },
    ];
    for e in &all {
        // Exhaustive on purpose: see the doc comment.
        match e {
            Event::PortStateChange { .. }
            | Event::SelectedLocalClock { .. }
            | Event::SelectedBestMaster { .. }
            | Event::AssumingGrandMaster { .. }
            | Event::NewForeignMaster { .. }
            | Event::MasterRecommendedInSlaveOnly { .. }
            | Event::ForeignMasterNotPtpTimescale
            | Event::TemporalVortex
            | Event::UpdatingLeap(_)
            | Event::UpdatingUtcOffset(_)
            | Event::ClockUpdateSuspendedLeapSecond
            | Event::Link { .. }
            | Event::PdelayReqOnE2ePort { .. }
            | Event::DelayReqOnP2pPort { .. }
            | Event::PeerDetectedSwitchToP2p { .. }
            | Event::MinDelayReqInterval { .. }
            | Event::MultiplePeerResponses { .. }
            | Event::RoguePeerDelayResponse { .. }
            | Event::DelayResponseTimeout { .. }
            | Event::Timeout { .. }
            | Event::FaultWait { .. }
            | Event::ClearingFault { .. }
            | Event::ClearingFaultImmediately { .. }
            | Event::SendFailed { .. }
            | Event::ClockCheck(_)
            | Event::MasterOffset { .. }
            | Event::Summary { .. }
            | Event::DelayMeasured { .. }
            | Event::PiServoConstants { .. }
            | Event::Dropped { .. } => {}
        }
    }
    all
}

#[test]
fn every_template_is_a_ptp4l_template() {
    let table = rows("log-templates.tsv", Some("ptp4l"));
    assert!(table.len() > 300, "log-templates.tsv looks truncated");
    let mut checked = 0;
    for event in samples() {
        for (level, template) in log::templates(&event) {
            assert!(
                table.iter().any(|(l, t)| l == level.name() && t == template),
                "{event:?}: `{template}` ({level}) is not a ptp4l template in log-templates.tsv"
            );
            checked += 1;
        }
    }
    assert!(checked >= 35);
}

/// Each event variant except the silent drops uses at least one template.
#[test]
fn only_silent_drops_print_nothing() {
    for event in samples() {
        let silent = matches!(event, Event::Dropped { reason: DropReason::WrongDomain, .. });
        assert_eq!(log::templates(&event).is_empty(), silent, "{event:?}");
        assert_eq!(log::format(&event, &PortNames::default()).len(), log::templates(&event).len());
    }
}

/// The rendered text keeps the template's literal text: replacing every conversion of the
/// template by `.*` matches the line (a cheap check that `format` uses `templates`).
#[test]
fn format_follows_templates() {
    let names = PortNames::default().with(1, "eth9");
    for event in samples() {
        let lines = log::format(&event, &names);
        for ((level, template), line) in log::templates(&event).into_iter().zip(lines) {
            assert_eq!(line.level, level);
            let literal: Vec<&str> = split_literals(template);
            let mut rest = line.text.as_str();
            for (i, piece) in literal.iter().enumerate() {
                match rest.find(piece) {
                    Some(at) if i > 0 || at == 0 => rest = &rest[at + piece.len()..],
                    _ => panic!("{event:?}: `{}` does not follow `{template}`", line.text),
                }
            }
        }
    }
}

/// The literal pieces of a printf template between its conversions.
fn split_literals(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(p) = rest.find('%') {
        out.push(&rest[..p]);
        let spec = &rest[p + 1..];
        let end = spec.find(|c: char| c.is_ascii_alphabetic() && !"hlqjzt".contains(c)).map_or(spec.len(), |e| e + 1);
        rest = &spec[end..];
    }
    out.push(rest);
    out
}

/// In linuxptp 3.1.1 the same lines start with `port %hu` (or `port %d`) instead of the log
/// name: the 3.1.1 dialect prints them like that, and 3.1.1 has them at the same level.
/// Templates that are new since 3.1.1 are listed.
#[test]
fn templates_match_linuxptp_311() {
    const NEW_SINCE_311: &[&str] = &[
        "%s: delay response timeout",
        "updating time properties to %s leap second",
        "clockcheck: clock frequency changed unexpectedly!",
    ];
    let table = rows("log-templates-v3.1.1.tsv", None);
    for event in samples() {
        for (level, template) in log::templates(&event) {
            if NEW_SINCE_311.contains(&template) {
                let old = template.replacen("%s:", "port %hu:", 1);
                assert!(!table.iter().any(|(_, t)| *t == old || t == template), "{template} is in 3.1.1");
                continue;
            }
            let candidates = [
                template.replacen("%s:", "port %hu:", 1),
                template.replacen("%s:", "port %d:", 1),
                template.replace("on %s", "on port %d"),
                template.to_owned(),
            ];
            assert!(
                table.iter().any(|(l, t)| l == level.name() && candidates.contains(t)),
                "{event:?}: `{template}` ({level}) has no 3.1.1 counterpart"
            );
        }
    }
    // And the 3.1.1 dialect prints `port N` where 4.x prints `port N (ifname)`.
    let old = PortNames::new(Dialect::Linuxptp3).with(1, "eth9");
    let line = &log::format(&Event::AssumingGrandMaster { port: 1 }, &old)[0];
    assert_eq!((line.level, line.text.as_str()), (Level::Notice, "port 1: assuming the grand master role"));
}
