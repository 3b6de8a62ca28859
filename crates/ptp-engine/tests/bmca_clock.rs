//! The clock's side of the BMCA ([`ClockBmca`], linuxptp `handle_state_decision_event`,
//! `clock_update_slave`, `clock_update_grandmaster`): several ports, the best master and the
//! dataset updates that go with a decision.

use ptp_config::enums::Bmca;
use ptp_engine::bmca::{
    AnnounceOutcome, ClockBmca, Comparator, DecisionCode, ForeignMasterSettings, ParentUpdate, PortStatus,
    ReceivedAnnounce,
};
use ptp_engine::datasets::{DefaultDs, ParentDs};
use ptp_engine::event::Event;
use ptp_engine::fsm::PortFsm;
use ptp_engine::state::{FsmEvent, PortState};
use ptp_engine::time::Instant;
use ptp_wire::{
    Announce, ClockAccuracy, ClockIdentity, ClockQuality, FlagField, Header, MessageType, PortIdentity, TimeSource,
};

const ME: u8 = 0x50;

fn cid(n: u8) -> ClockIdentity {
    ClockIdentity([0x00, 0x1b, 0x21, 0xff, 0xfe, 0x00, 0x00, n])
}

fn pid(n: u8, port: u16) -> PortIdentity {
    PortIdentity { clock_identity: cid(n), port_number: port }
}

fn quality(class: u8) -> ClockQuality {
    ClockQuality { clock_class: class, clock_accuracy: ClockAccuracy::UNKNOWN, offset_scaled_log_variance: 0xffff }
}

fn default_ds() -> DefaultDs {
    DefaultDs {
        priority1: 128,
        priority2: 128,
        clock_identity: cid(ME),
        clock_quality: quality(248),
        local_priority: 128,
        number_ports: 2,
        ..DefaultDs::default()
    }
}

fn bmca(ports: u16) -> ClockBmca {
    ClockBmca::new(Comparator::Ieee1588, (1..=ports).map(|n| ForeignMasterSettings::new(pid(ME, n))))
}

/// An Announce from grandmaster `gm` (priority1 `p1`) sent by `sender`, at `at_s` seconds,
/// with ptpTimescale, currentUtcOffsetValid and currentUtcOffset 37.
fn announce(gm: u8, p1: u8, sender: PortIdentity, steps: u16, at_s: i64) -> ReceivedAnnounce {
    let mut h = Header::new(MessageType::Announce);
    h.source_port_identity = sender;
    h.log_message_interval = 1;
    h.flag_field = FlagField(0x0c);
    let a = Announce {
        current_utc_offset: 37,
        grandmaster_priority1: p1,
        grandmaster_identity: cid(gm),
        grandmaster_clock_quality: ClockQuality {
            clock_class: 6,
            clock_accuracy: ClockAccuracy::NS_100,
            offset_scaled_log_variance: 0x4e5d,
        },
        grandmaster_priority2: 128,
        steps_removed: steps,
        time_source: TimeSource::GNSS,
        ..Announce::default()
    };
    ReceivedAnnounce::new(h, a, Instant::from_secs(at_s))
}

fn statuses(states: &[PortState]) -> Vec<PortStatus> {
    states.iter().map(|&state| PortStatus { state, bmca: Bmca::Ptp }).collect()
}

#[test]
fn first_decision_selects_the_local_clock() {
    let mut b = bmca(2);
    let dds = default_ds();
    // All ports LISTENING with nothing heard: no recommendation, but the best master is new.
    let d = b.decide(&dds, &statuses(&[PortState::Listening, PortState::Listening]), Instant::ZERO);
    assert!(d.best_changed);
    assert_eq!(d.selected_event(cid(ME)), Some(Event::SelectedLocalClock { identity: cid(ME) }));
    assert_eq!(d.parent, ParentUpdate::Unchanged);
    assert!(d.recommendations.iter().all(|(_, rs)| rs.event == FsmEvent::None));
    // The same again is not new.
    let d = b.decide(&dds, &statuses(&[PortState::Listening, PortState::Listening]), Instant::ZERO);
    assert!(!d.best_changed);
    assert_eq!(d.selected_event(cid(ME)), None);
}

#[test]
fn announce_receipt_timeout_makes_the_clock_grandmaster() {
    let mut b = bmca(1);
    let dds = default_ds();
    // Port 1 timed out in LISTENING and went to MASTER.
    let d = b.decide(&dds, &statuses(&[PortState::Master]), Instant::from_secs(6));
    let (port, rs) = d.recommendations.first().copied().expect("one port");
    assert_eq!((port, rs.code, rs.event), (1, Some(DecisionCode::M2), FsmEvent::RsGrandMaster));
    assert_eq!(d.parent, ParentUpdate::Grandmaster);
    assert!(b.parent_port().is_none());
}

#[test]
fn slave_parent_from_ebest() {
    let mut b = bmca(2);
    let dds = default_ds();
    let gm = pid(1, 1);
    let mut sde = false;
    for t in [0, 2, 4] {
        let out = b.handle_announce(2, PortState::Listening, announce(1, 100, gm, 2, t)).expect("port");
        sde |= out.state_decision_event();
        if t == 0 {
            assert_eq!(out, AnnounceOutcome::NewForeignMaster);
        }
    }
    assert!(sde);
    assert!(b.handle_announce(3, PortState::Listening, announce(1, 100, gm, 2, 0)).is_none(), "no port 3");

    let d = b.decide(&dds, &statuses(&[PortState::Listening, PortState::Listening]), Instant::from_secs(4));
    assert!(d.best_changed);
    assert_eq!(d.best.ebest, Some((2, gm)));
    assert_eq!(d.selected_event(cid(ME)), Some(Event::SelectedBestMaster { identity: cid(1) }));
    assert_eq!(b.parent_port(), Some(2));
    let codes: Vec<_> = d.recommendations.iter().map(|(n, rs)| (*n, rs.code, rs.event)).collect();
    assert_eq!(codes, [(1, None, FsmEvent::None), (2, Some(DecisionCode::S1), FsmEvent::RsSlave)]);

    let ParentUpdate::Slave(parent) = d.parent else { panic!("expected a slave update, got {:?}", d.parent) };
    assert_eq!(parent.parent_port_identity, gm);
    assert_eq!(parent.grandmaster_identity, cid(1));
    assert_eq!(parent.grandmaster_priority1, 100);
    assert_eq!(parent.grandmaster_clock_quality.clock_class, 6);
    assert_eq!(parent.steps_removed, 3);
    assert_eq!(parent.time_properties.current_utc_offset, 37);
    assert!(parent.time_properties.ptp_timescale && parent.time_properties.current_utc_offset_valid);
    assert!(!parent.time_properties.leap61 && !parent.time_properties.time_traceable);
    assert_eq!(parent.time_properties.time_source, TimeSource::GNSS);
    // The observed parent statistics are kept.
    let base = ParentDs { observed_parent_offset_scaled_log_variance: 0xffff, ..ParentDs::default() };
    let pds = parent.parent_ds(&base);
    assert_eq!(pds.parent_port_identity, gm);
    assert_eq!(pds.observed_parent_offset_scaled_log_variance, 0xffff);
    assert_eq!(b.ebest().map(|r| r.sender()), Some(gm));
}

#[test]
fn losing_the_master_returns_to_grandmaster() {
    let mut b = bmca(1);
    let dds = default_ds();
    for t in [0, 2, 4] {
        b.handle_announce(1, PortState::Listening, announce(1, 100, pid(1, 1), 0, t));
    }
    let d = b.decide(&dds, &statuses(&[PortState::Listening]), Instant::from_secs(4));
    assert!(matches!(d.parent, ParentUpdate::Slave(_)));
    // Announces from the parent while SLAVE keep it current.
    let out = b.handle_announce(1, PortState::Slave, announce(1, 100, pid(1, 1), 0, 6));
    assert_eq!(out, Some(AnnounceOutcome::FromCurrentMaster { content_changed: false }));
    // The announce receipt timer expires: Erbest's messages go, the port goes to MASTER.
    b.announce_receipt_timeout(1);
    let fsm = PortFsm::Ptp;
    let state = fsm.next(PortState::Slave, FsmEvent::AnnounceReceiptTimeoutExpires, false);
    assert_eq!(state, PortState::Master);
    let d = b.decide(&dds, &statuses(&[state]), Instant::from_secs(12));
    assert!(d.best_changed);
    assert_eq!(d.selected_event(cid(ME)), Some(Event::SelectedLocalClock { identity: cid(ME) }));
    assert_eq!(d.parent, ParentUpdate::Grandmaster);
    let rs = d.recommendations.first().map(|(_, rs)| *rs).expect("port 1");
    assert_eq!(rs.event, FsmEvent::RsGrandMaster);
    // MASTER does not move to GRAND_MASTER in linuxptp's machine.
    assert_eq!(fsm.next(state, rs.event, d.best_changed), PortState::Master);
}

#[test]
fn a_new_best_master_sends_the_slave_back_to_uncalibrated() {
    let mut b = bmca(1);
    let dds = default_ds();
    for t in [0, 2, 4] {
        b.handle_announce(1, PortState::Listening, announce(1, 100, pid(1, 1), 0, t));
    }
    b.decide(&dds, &statuses(&[PortState::Listening]), Instant::from_secs(4));
    // A better grandmaster appears on the same port.
    let mut sde = false;
    for t in [5, 6, 7] {
        sde |= b
            .handle_announce(1, PortState::Slave, announce(2, 50, pid(2, 1), 0, t))
            .is_some_and(|o| o.state_decision_event());
    }
    assert!(sde);
    let d = b.decide(&dds, &statuses(&[PortState::Slave]), Instant::from_secs(7));
    assert!(d.best_changed);
    assert_eq!(d.best.identity, cid(2));
    let rs = d.recommendations.first().map(|(_, rs)| *rs).expect("port 1");
    assert_eq!(rs.event, FsmEvent::RsSlave);
    assert_eq!(PortFsm::Ptp.next(PortState::Slave, rs.event, d.best_changed), PortState::Uncalibrated);
}

#[test]
fn port_disabled_forgets_its_records() {
    let mut b = bmca(1);
    let dds = default_ds();
    for t in [0, 2, 4] {
        b.handle_announce(1, PortState::Listening, announce(1, 100, pid(1, 1), 0, t));
    }
    b.port_disabled(1);
    assert_eq!(b.port(1).map(|p| p.records().count()), Some(0));
    let d = b.decide(&dds, &statuses(&[PortState::Listening]), Instant::from_secs(4));
    assert!(d.best.ebest.is_none());
    assert!(b.port(2).is_none());
}

#[test]
fn grandmaster_class_clock_stays_passive_and_keeps_its_datasets() {
    let mut b = bmca(1);
    let dds = DefaultDs { clock_quality: quality(6), priority1: 200, ..default_ds() };
    for t in [0, 2, 4] {
        b.handle_announce(1, PortState::Listening, announce(1, 100, pid(1, 1), 0, t));
    }
    let d = b.decide(&dds, &statuses(&[PortState::Listening]), Instant::from_secs(4));
    let rs = d.recommendations.first().map(|(_, rs)| *rs).expect("port 1");
    assert_eq!((rs.code, rs.event), (Some(DecisionCode::P1), FsmEvent::RsPassive));
    // P1 changes neither parentDS nor timePropertiesDS in linuxptp.
    assert_eq!(d.parent, ParentUpdate::Unchanged);
    // But the best master is the foreign one.
    assert_eq!(d.best.identity, cid(1));
}

#[test]
fn slave_only_clock_warns_and_stays_listening() {
    let mut b = bmca(1);
    let dds = DefaultDs { slave_only: true, priority1: 255, clock_quality: quality(255), ..default_ds() };
    let d = b.decide(&dds, &statuses(&[PortState::Uncalibrated]), Instant::ZERO);
    let rs = d.recommendations.first().map(|(_, rs)| *rs).expect("port 1");
    assert_eq!(rs.event, FsmEvent::RsGrandMaster);
    assert!(rs.warn_master_in_slave_only);
    assert_eq!(PortFsm::SlaveOnly.next(PortState::Uncalibrated, rs.event, d.best_changed), PortState::Listening);
}
