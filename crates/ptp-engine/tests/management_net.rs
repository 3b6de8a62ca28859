//! Management over the network ports and forwarding by a boundary clock (IEEE 1588-2019
//! 15.3; linuxptp `clock_manage` / `clock_forward_mgmt_msg`).

use ptp_engine::clock::{Clock, UDS_PORT};
use ptp_engine::state::PortState;
use ptp_engine::time::Instant;
use ptp_engine::transmit::{Destination, Transmit};
use ptp_wire::{
    ClockIdentity, Header, Management, ManagementAction, ManagementData, ManagementErrorId, ManagementId,
    ManagementTlv, Message, MessageBody, MessageType, PortIdentity, Tlv,
};

const ME: ClockIdentity = ClockIdentity([2, 0, 0, 0xff, 0xfe, 0, 0, 1]);
const PMC: PortIdentity =
    PortIdentity { clock_identity: ClockIdentity([2, 0, 0, 0xff, 0xfe, 0, 0, 9]), port_number: 1 };

/// A two-port boundary clock with both ports in MASTER (nobody else on the segments).
fn bc() -> (Clock, Instant) {
    let cfg = ptp_config::Config::parse("[global]\n[eth0]\n[eth1]\n", "bc.cfg").unwrap();
    let mut now = Instant::ZERO;
    let mut c = Clock::from_config(&cfg, ME, now).unwrap();
    for _ in 0..100 {
        while c.poll_transmit().is_some() {}
        if c.ports().iter().all(|p| p.state() == PortState::Master) {
            return (c, now);
        }
        now = c.poll_timeout().unwrap();
        c.handle_timeout(now);
    }
    panic!("ports never reached MASTER: {:?}", c.ports().iter().map(|p| p.state()).collect::<Vec<_>>());
}

fn request(action: ManagementAction, id: ManagementId, target_port: u16, hops: u8) -> Message {
    let mut h = Header::new(MessageType::Management);
    h.source_port_identity = PMC;
    h.sequence_id = 77;
    h.log_message_interval = 0x7f;
    Message {
        header: h,
        body: MessageBody::Management(Management {
            target_port_identity: PortIdentity { clock_identity: ClockIdentity([0xff; 8]), port_number: target_port },
            starting_boundary_hops: hops,
            boundary_hops: hops,
            action,
        }),
        tlvs: vec![Tlv::Management(ManagementTlv { management_id: id, data: ManagementData::Empty })],
    }
}

fn drain(c: &mut Clock) -> Vec<Transmit> {
    std::iter::from_fn(|| c.poll_transmit()).collect()
}

fn parsed(t: &Transmit) -> Message {
    Message::parse(&t.bytes).unwrap()
}

fn hops(m: &Message) -> u8 {
    match &m.body {
        MessageBody::Management(b) => b.boundary_hops,
        _ => panic!("not management"),
    }
}

fn error_id(m: &Message) -> Option<ManagementErrorId> {
    match m.tlvs.first() {
        Some(Tlv::ManagementErrorStatus(e)) => Some(e.management_error_id),
        _ => None,
    }
}

#[test]
fn get_on_a_network_port_is_answered_there_and_forwarded() {
    let (mut c, now) = bc();
    let req = request(ManagementAction::GET, ManagementId::CURRENT_DATA_SET, 0xffff, 1);
    c.handle_receive(1, &req.to_bytes().unwrap(), None, now);
    let out = drain(&mut c);
    // Forwarded copy out of port 2 with boundaryHops 0, and to the UDS client.
    let fwd: Vec<_> = out.iter().filter(|t| parsed(t).header.source_port_identity == PMC).collect();
    assert_eq!(fwd.iter().map(|t| t.port).collect::<Vec<_>>(), vec![2, UDS_PORT]);
    for t in &fwd {
        assert_eq!(hops(&parsed(t)), 0);
        assert!(!t.event);
        assert_eq!(t.destination, Destination::Multicast);
    }
    // The answer goes back out of port 1, from port 1's identity, to the requester.
    let rsp: Vec<_> = out.iter().filter(|t| parsed(t).header.source_port_identity != PMC).collect();
    assert_eq!(rsp.len(), 1);
    assert_eq!(rsp[0].port, 1);
    let m = parsed(rsp[0]);
    assert_eq!(m.header.source_port_identity, PortIdentity { clock_identity: ME, port_number: 1 });
    assert_eq!(m.header.sequence_id, 77);
    let MessageBody::Management(b) = &m.body else { panic!() };
    assert_eq!(b.action, ManagementAction::RESPONSE);
    assert_eq!(b.target_port_identity, PMC);
    assert!(matches!(
        m.tlvs.first(),
        Some(Tlv::Management(ManagementTlv { management_id: ManagementId::CURRENT_DATA_SET, .. }))
    ));
    // Counted as received and sent management messages on the ports.
    let rx1 = c.port(1).unwrap().counters().rx[MessageType::Management as usize];
    let tx1 = c.port(1).unwrap().counters().tx[MessageType::Management as usize];
    let tx2 = c.port(2).unwrap().counters().tx[MessageType::Management as usize];
    assert_eq!((rx1, tx1, tx2), (1, 1, 1));
}

#[test]
fn port_scope_get_answers_every_port_through_the_ingress_port() {
    let (mut c, now) = bc();
    let req = request(ManagementAction::GET, ManagementId::PORT_DATA_SET, 0xffff, 0);
    c.handle_receive(2, &req.to_bytes().unwrap(), None, now);
    let out = drain(&mut c);
    // boundaryHops 0: nothing forwarded; two answers (ports 1 and 2), both sent on port 2.
    assert_eq!(out.len(), 2);
    assert!(out.iter().all(|t| t.port == 2));
    let sources: Vec<u16> = out.iter().map(|t| parsed(t).header.source_port_identity.port_number).collect();
    assert_eq!(sources, vec![1, 2]);
}

#[test]
fn set_and_port_properties_are_refused_on_network_ports() {
    let (mut c, now) = bc();
    let mut set = request(ManagementAction::SET, ManagementId::PRIORITY1, 0xffff, 0);
    set.tlvs = vec![Tlv::Management(ManagementTlv {
        management_id: ManagementId::PRIORITY1,
        data: ptp_wire::management::Priority1 { priority1: 1 }.into(),
    })];
    c.handle_receive(1, &set.to_bytes().unwrap(), None, now);
    let out = drain(&mut c);
    assert_eq!(out.len(), 1);
    assert_eq!(error_id(&parsed(&out[0])), Some(ManagementErrorId::NOT_SUPPORTED));
    assert_eq!(c.default_ds().priority1, 128, "a SET from the network must not apply");

    let req = request(ManagementAction::GET, ManagementId::PORT_PROPERTIES_NP, 1, 0);
    c.handle_receive(1, &req.to_bytes().unwrap(), None, now);
    let out = drain(&mut c);
    assert_eq!(out.len(), 1);
    assert_eq!(error_id(&parsed(&out[0])), Some(ManagementErrorId::NOT_SUPPORTED));
}

#[test]
fn requests_for_another_clock_are_forwarded_not_answered() {
    let (mut c, now) = bc();
    let mut req = request(ManagementAction::GET, ManagementId::DEFAULT_DATA_SET, 0xffff, 3);
    if let MessageBody::Management(b) = &mut req.body {
        b.target_port_identity.clock_identity = ClockIdentity([1; 8]);
    }
    c.handle_receive(1, &req.to_bytes().unwrap(), None, now);
    let out = drain(&mut c);
    assert_eq!(out.iter().map(|t| t.port).collect::<Vec<_>>(), vec![2, UDS_PORT]);
    assert!(out.iter().all(|t| hops(&parsed(t)) == 2));
}

#[test]
fn responses_from_the_network_reach_the_uds_client() {
    let (mut c, now) = bc();
    let mut rsp = request(ManagementAction::RESPONSE, ManagementId::DEFAULT_DATA_SET, 1, 1);
    rsp.header.source_port_identity = PortIdentity { clock_identity: ClockIdentity([1; 8]), port_number: 1 };
    c.handle_receive(1, &rsp.to_bytes().unwrap(), None, now);
    let out = drain(&mut c);
    // Forwarded only (a RESPONSE is never answered).
    assert_eq!(out.iter().map(|t| t.port).collect::<Vec<_>>(), vec![2, UDS_PORT]);
}

#[test]
fn uds_requests_with_hops_go_out_of_the_ports_but_not_from_the_read_only_socket() {
    let (mut c, now) = bc();
    let req = request(ManagementAction::GET, ManagementId::DEFAULT_DATA_SET, 0xffff, 1);
    let answers = c.handle_management(&req, true, now);
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].header.source_port_identity.port_number, 0);
    let out = drain(&mut c);
    assert_eq!(out.iter().map(|t| t.port).collect::<Vec<_>>(), vec![1, 2]);
    assert!(out.iter().all(|t| hops(&parsed(t)) == 0));

    let answers = c.handle_management(&req, false, now);
    assert_eq!(answers.len(), 1);
    assert!(drain(&mut c).is_empty(), "the read-only socket never forwards");
}

#[test]
fn listening_ports_neither_forward_nor_take_forwarded_messages() {
    // A fresh clock: ports LISTENING, which linuxptp does not count as forwarding.
    let cfg = ptp_config::Config::parse("[global]\n[eth0]\n[eth1]\n", "bc.cfg").unwrap();
    let mut c = Clock::from_config(&cfg, ME, Instant::ZERO).unwrap();
    drain(&mut c);
    assert!(c.ports().iter().all(|p| p.state() == PortState::Listening));
    let req = request(ManagementAction::GET, ManagementId::DEFAULT_DATA_SET, 0xffff, 1);
    c.handle_receive(1, &req.to_bytes().unwrap(), None, Instant::ZERO);
    let out = drain(&mut c);
    // Only the answer, on port 1.
    assert_eq!(out.iter().map(|t| t.port).collect::<Vec<_>>(), vec![1]);
    let answers = c.handle_management(&req, true, Instant::ZERO);
    assert_eq!(answers.len(), 1);
    assert!(drain(&mut c).is_empty());
}

/// PORT_PROPERTIES_NP (UDS read-write only) reports the port's time stamping as linuxptp's
/// `enum timestamp_type`, not always SOFTWARE.
#[test]
fn port_properties_report_the_time_stamping_mode() {
    for (mode, want) in [
        ("software", ptp_wire::management::TimestampType::SOFTWARE),
        ("hardware", ptp_wire::management::TimestampType::HARDWARE),
        ("legacy", ptp_wire::management::TimestampType::LEGACY_HW),
        ("onestep", ptp_wire::management::TimestampType::ONESTEP),
        ("p2p1step", ptp_wire::management::TimestampType::P2P1STEP),
    ] {
        let text = format!("[global]\ntime_stamping {mode}\n[eth0]\n");
        let cfg = ptp_config::Config::parse(&text, "t.cfg").unwrap();
        let mut c = Clock::from_config(&cfg, ME, Instant::ZERO).unwrap();
        let req = request(ManagementAction::GET, ManagementId::PORT_PROPERTIES_NP, 1, 0);
        let out = c.handle_management(&req, true, Instant::ZERO);
        let Some(Tlv::Management(ManagementTlv { data: ManagementData::PortPropertiesNp(p), .. })) =
            out.first().and_then(|m| m.tlvs.first())
        else {
            panic!("{mode}: no PORT_PROPERTIES_NP in {out:?}");
        };
        assert_eq!(p.timestamping, want, "{mode}");
        assert_eq!(p.interface, ptp_wire::PtpText::new("eth0"));
    }
}
