//! The engine driven through scripted exchanges with timestamps chosen by the test: the
//! offset and path delay it computes are checked to the nanosecond against the IEEE 1588
//! formulas (E2E and P2P, two-step and one-step, correction fields, delayAsymmetry), the
//! messages a master sends are decoded field by field, and every kind of dropped message is
//! counted.

mod common;

use common::script::{corr, one_port_clock, ts, Driver, FakePeer};
use ptp_engine::event::{DropReason, Event};
use ptp_engine::state::{FsmEvent, PortState};
use ptp_engine::time::{ClockTime, Instant, Nanos};
use ptp_wire::{Message, MessageBody, MessageType, ParseError, PortIdentity, TimeInterval};

const S: i64 = 1_000_000_000;
/// Clock readings start near 2023-11 (1.7e9 s).
const T0: i128 = 1_700_000_000_000_000_000;

fn at(ns: i64) -> Instant {
    Instant::from_nanos(ns)
}

/// A slave-only clock that logs every sample, with `extra` settings, already UNCALIBRATED
/// towards `master` (three Announces 1 s apart). The timestamps are scripted, so the servo's
/// actions (which the Driver does not apply) cannot change the computed offsets; the
/// thresholds keep it from stepping. (free_running would log only one sample per
/// freq_est_interval, as linuxptp.)
fn qualified_slave(extra: &str) -> (Driver, FakePeer) {
    let cfg = format!("clientOnly 1\nsummary_interval -4\nfirst_step_threshold 0\nstep_threshold 0\n{extra}");
    let mut d = Driver::new(one_port_clock(&cfg, 2, Instant::ZERO), Instant::ZERO);
    let master = FakePeer::new(0xaa);
    for seq in 0..3u16 {
        d.set_now(at(i64::from(seq + 1) * S));
        d.receive(&master.announce(seq), None);
    }
    assert_eq!(
        d.state_changes(),
        [(PortState::Initializing, PortState::Listening), (PortState::Listening, PortState::Uncalibrated)],
        "{:#?}",
        d.events
    );
    assert_eq!(d.clock.parent_ds().parent_port_identity, master.identity);
    d.take_events();
    (d, master)
}

fn our_port(d: &Driver) -> PortIdentity {
    d.clock.port(1).unwrap().identity()
}

fn delay_measured(events: &[Event]) -> Vec<(i64, i64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::DelayMeasured { filtered_ns, raw_ns } => Some((*filtered_ns, *raw_ns)),
            _ => None,
        })
        .collect()
}

fn master_offsets(events: &[Event]) -> Vec<(i64, i64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::MasterOffset { offset_ns, path_delay_ns, .. } => Some((*offset_ns, *path_delay_ns)),
            _ => None,
        })
        .collect()
}

/// IEEE 1588 mean path delay, halved with truncation toward zero (linuxptp tsproc).
fn e2e_delay(t1: i128, t2: i128, t3: i128, t4: i128, corrections: i128) -> i128 {
    ((t2 - t3) + (t4 - t1) - corrections) / 2
}

/// Run the Delay_Req timer, answer the Delay_Req's token with `t3` and feed a Delay_Resp
/// (receiveTimestamp `t4`, correction the request's own plus `c_resp`, as a master that copies
/// it and a transparent clock that adds its residence time).
fn delay_exchange(d: &mut Driver, master: &FakePeer, t3: i128, t4: i128, c_resp: TimeInterval) {
    let limit = d.now + std::time::Duration::from_secs(4);
    let tx = d.run_until_sent(MessageType::DelayReq, limit).expect("a Delay_Req");
    let req = Message::parse(&tx.bytes).unwrap();
    assert!(tx.event);
    assert_eq!(req.header.log_message_interval, 0x7f);
    assert_eq!(req.header.source_port_identity, our_port(d));
    assert_eq!(req.header.domain_number, 0);
    let token = tx.tx_token.expect("Delay_Req wants its transmit timestamp");
    assert_eq!(token.message_type(), MessageType::DelayReq);
    assert_eq!(token.sequence_id(), req.header.sequence_id);
    d.clock.handle_tx_timestamp(token, ClockTime(t3), d.now);
    d.drain();
    let c = TimeInterval(req.header.correction_field.0 + c_resp.0);
    d.set_now(d.now + std::time::Duration::from_millis(1));
    d.receive(&master.delay_resp(req.header.sequence_id, ts(t4), our_port(d), c, 0), None);
}

#[test]
fn e2e_two_step_with_correction_fields() {
    let (mut d, master) = qualified_slave("");
    // True path delay 5000 ns plus transparent clock residence in the correction fields; the
    // slave's clock is 1234 ns ahead of the master's.
    let (path, ahead) = (5_000i128, 1_234i128);
    let (c_sync, c_fup, c_resp) = (corr(700, 0), corr(55, 0), corr(321, 0));
    let t1 = T0 + 3 * S as i128;
    let t2 = t1 + path + 700 + 55 + ahead;
    d.set_now(at(3 * S + 10_000_000));
    d.receive(&master.sync(0, true, ts(0), c_sync), Some(ClockTime(t2)));
    assert!(master_offsets(&d.events).is_empty(), "{:#?}", d.events);
    d.receive(&master.follow_up(0, ts(t1), c_fup), None);
    // No delay known yet: no offset.
    assert!(master_offsets(&d.take_events()).is_empty());

    let t3 = t2 + 400_000_000;
    let t4 = t3 - ahead + path + 321;
    delay_exchange(&mut d, &master, t3, t4, c_resp);
    let want_delay = e2e_delay(t1, t2, t3, t4, 700 + 55 + 321);
    assert_eq!(want_delay, path);
    let ev = d.take_events();
    assert_eq!(delay_measured(&ev), [(path as i64, path as i64)], "{ev:#?}");
    assert_eq!(d.clock.current_ds().mean_path_delay, Nanos(path));

    // The next Sync gives the offset.
    let t1b = t1 + S as i128;
    let t2b = t1b + path + 700 + 55 + ahead;
    d.set_now(d.now + std::time::Duration::from_millis(500));
    d.receive(&master.sync(1, true, ts(0), c_sync), Some(ClockTime(t2b)));
    d.receive(&master.follow_up(1, ts(t1b), c_fup), None);
    let want_offset = t2b - t1b - 700 - 55 - want_delay;
    assert_eq!(want_offset, ahead);
    let ev = d.take_events();
    assert_eq!(master_offsets(&ev), [(ahead as i64, path as i64)], "{ev:#?}");
    assert_eq!(d.clock.current_ds().offset_from_master, Nanos(ahead));
}

#[test]
fn e2e_two_step_follow_up_before_sync_and_fractional_corrections() {
    let (mut d, master) = qualified_slave("");
    // Corrections with fractions of a nanosecond: each field is floored on its own, as
    // linuxptp's `correction_to_tmv` (c >> 16): 700.5 -> 700, -4.5 -> -5, 321.75 -> 321.
    let (c_sync, c_fup, c_resp) = (corr(700, 0x8000), corr(-5, 0x8000), corr(321, 0xc000));
    let t1 = T0 + 7 * S as i128 + 123;
    let t2 = t1 + 9_876;
    d.set_now(at(3 * S + 10_000_000));
    // Follow_Up first, then its Sync.
    d.receive(&master.follow_up(0, ts(t1), c_fup), None);
    d.receive(&master.sync(0, true, ts(0), c_sync), Some(ClockTime(t2)));
    let t3 = t2 + 250_000_001;
    let t4 = t3 + 4_321;
    delay_exchange(&mut d, &master, t3, t4, c_resp);
    let want_delay = e2e_delay(t1, t2, t3, t4, 700 - 5 + 321);
    let ev = d.take_events();
    assert_eq!(delay_measured(&ev), [(want_delay as i64, want_delay as i64)], "{ev:#?}");

    let t1b = t1 + S as i128;
    let t2b = t1b + 9_999;
    d.receive(&master.sync(1, true, ts(0), c_sync), Some(ClockTime(t2b)));
    // A Follow_Up of another sequence does not complete it.
    d.receive(&master.follow_up(0, ts(t1b - 5), c_fup), None);
    assert!(master_offsets(&d.events).is_empty(), "{:#?}", d.events);
    d.receive(&master.follow_up(1, ts(t1b), c_fup), None);
    let want_offset = t2b - t1b - (700 - 5) - want_delay;
    assert_eq!(master_offsets(&d.take_events()), [(want_offset as i64, want_delay as i64)]);
    assert_eq!(d.clock.current_ds().offset_from_master, Nanos(want_offset));
}

#[test]
fn e2e_delay_is_halved_toward_zero() {
    let (mut d, master) = qualified_slave("");
    // (t2 - t3) + (t4 - t1) - corrections = -7: linuxptp's tmv_div gives -3, not -4.
    let t1 = T0 + 5 * S as i128;
    let t2 = t1 + 1_000;
    d.set_now(at(3 * S + 10_000_000));
    d.receive(&master.sync(0, true, ts(0), corr(2, 0)), Some(ClockTime(t2)));
    d.receive(&master.follow_up(0, ts(t1), corr(0, 0)), None);
    let t3 = t2 + 100_000_000;
    // (t2 - t3) + (t4 - t1) - 2 - 1 = -100_000_000 + (t4 - t1) - 3 = -7
    let t4 = t1 + 99_999_996;
    delay_exchange(&mut d, &master, t3, t4, corr(1, 0));
    assert_eq!(e2e_delay(t1, t2, t3, t4, 3), -3);
    assert_eq!(delay_measured(&d.take_events()), [(-3, -3)]);
    assert_eq!(d.clock.current_ds().mean_path_delay, Nanos(-3));
}

#[test]
fn e2e_one_step_sync() {
    let (mut d, master) = qualified_slave("");
    let (path, ahead) = (3_333i128, -98_765i128);
    let c_sync = corr(1_500, 0);
    let t1 = T0 + 11 * S as i128 + 999_999_999;
    let t2 = t1 + path + 1_500 + ahead;
    d.set_now(at(3 * S + 10_000_000));
    d.receive(&master.sync(0, false, ts(t1), c_sync), Some(ClockTime(t2)));
    assert!(master_offsets(&d.take_events()).is_empty());
    let t3 = t2 + 600_000_000;
    let t4 = t3 - ahead + path + 77;
    delay_exchange(&mut d, &master, t3, t4, corr(77, 0));
    let want_delay = e2e_delay(t1, t2, t3, t4, 1_500 + 77);
    assert_eq!(want_delay, path);
    assert_eq!(delay_measured(&d.take_events()), [(path as i64, path as i64)]);

    let t1b = t1 + S as i128;
    let t2b = t1b + path + 1_500 + ahead;
    d.receive(&master.sync(1, false, ts(t1b), c_sync), Some(ClockTime(t2b)));
    let want_offset = t2b - t1b - 1_500 - want_delay;
    assert_eq!(want_offset, ahead);
    assert_eq!(master_offsets(&d.take_events()), [(ahead as i64, path as i64)]);
    assert_eq!(d.clock.current_ds().offset_from_master, Nanos(ahead));
    assert_eq!(d.clock.current_ds().mean_path_delay, Nanos(path));
}

#[test]
fn e2e_delay_asymmetry_shifts_the_offset_not_the_delay() {
    // delayAsymmetry A = 100 ns: master-to-slave takes mean + A, slave-to-master mean - A
    // (IEEE 1588-2019 16.8). The engine recovers the true offset; the same timestamps without
    // the setting read an offset A larger.
    let asym = 100i128;
    let (path, ahead) = (5_000i128, 2_000i128);
    let run = |extra: &str| {
        let (mut d, master) = qualified_slave(extra);
        let t1 = T0 + 20 * S as i128;
        let t2 = t1 + path + asym + 10 + 20 + ahead;
        d.set_now(at(3 * S + 10_000_000));
        d.receive(&master.sync(0, true, ts(0), corr(10, 0)), Some(ClockTime(t2)));
        d.receive(&master.follow_up(0, ts(t1), corr(20, 0)), None);
        let t3 = t2 + 300_000_000;
        let t4 = t3 - ahead + path - asym + 40;
        delay_exchange(&mut d, &master, t3, t4, corr(40, 0));
        let delays = delay_measured(&d.take_events());
        let t1b = t1 + S as i128;
        let t2b = t1b + path + asym + 10 + 20 + ahead;
        d.receive(&master.sync(1, true, ts(0), corr(10, 0)), Some(ClockTime(t2b)));
        d.receive(&master.follow_up(1, ts(t1b), corr(20, 0)), None);
        (delays, master_offsets(&d.take_events()), *d.clock.current_ds())
    };
    let (delays, offsets, cur) = run("delayAsymmetry 100");
    assert_eq!(delays, [(path as i64, path as i64)]);
    assert_eq!(offsets, [(ahead as i64, path as i64)]);
    assert_eq!(cur.offset_from_master, Nanos(ahead));
    assert_eq!(cur.mean_path_delay, Nanos(path));
    let (delays, offsets, _) = run("");
    assert_eq!(delays, [(path as i64, path as i64)]);
    assert_eq!(offsets, [((ahead + asym) as i64, path as i64)]);
}

#[test]
fn delay_req_carries_minus_delay_asymmetry() {
    // linuxptp port_delay_request(): msg->header.correction = -p->asymmetry (scaled ns), and
    // the master copies it into the Delay_Resp; ptp-rs adds the asymmetry to t4 locally
    // instead, which computes the same delay but sends different bytes.
    let (mut d, _master) = qualified_slave("delayAsymmetry 100");
    let tx = d.run_until_sent(MessageType::DelayReq, at(10 * S)).unwrap();
    let req = Message::parse(&tx.bytes).unwrap();
    assert_eq!(req.header.correction_field, TimeInterval::from_nanos(-100));
}

/// One two-step peer delay exchange on `d`'s port: the Pdelay_Req it sends leaves at `t1`, the
/// neighbour receives it at `t2`, answers at `t3` (corrections `c1` in Pdelay_Resp, `c2` in
/// Pdelay_Resp_Follow_Up) and the response arrives at `t4`.
#[allow(clippy::too_many_arguments)]
fn peer_exchange(
    d: &mut Driver,
    neighbour: &FakePeer,
    t1: i128,
    t2: i128,
    t3: i128,
    t4: i128,
    c1: TimeInterval,
    c2: TimeInterval,
) {
    let limit = d.now + std::time::Duration::from_secs(4);
    let tx = d.run_until_sent(MessageType::PdelayReq, limit).expect("a Pdelay_Req");
    assert_eq!(tx.destination, ptp_engine::transmit::Destination::PeerMulticast);
    assert!(tx.event);
    let req = Message::parse(&tx.bytes).unwrap();
    assert_eq!(req.header.log_message_interval, 0x7f);
    assert_eq!(req.header.source_port_identity, our_port(d));
    let seq = req.header.sequence_id;
    let token = tx.tx_token.expect("Pdelay_Req wants its transmit timestamp");
    assert_eq!((token.message_type(), token.sequence_id()), (MessageType::PdelayReq, seq));
    d.clock.handle_tx_timestamp(token, ClockTime(t1), d.now);
    d.drain();
    let me = our_port(d);
    d.receive(&neighbour.pdelay_resp(seq, true, ts(t2), me, c1), Some(ClockTime(t4)));
    d.receive(&neighbour.pdelay_resp_follow_up(seq, ts(t3), me, c2), None);
}

fn p2p_delay(t1: i128, t2: i128, t3: i128, t4: i128, corrections: i128) -> i128 {
    ((t4 - t1) - (t3 - t2) - corrections) / 2
}

#[test]
fn p2p_two_step_peer_delay_and_offset() {
    let (mut d, master) = qualified_slave("delay_mechanism P2P");
    let (path, ahead) = (2_345i128, 50_001i128);
    let t1 = T0 + 100 * S as i128 + 17;
    let t2 = t1 - ahead + path;
    // The neighbour turns the request round in 40 us; 35 ns of it is in the corrections.
    let t3 = t2 + 40_000 - 35;
    let t4 = t3 + ahead + 35 + path;
    peer_exchange(&mut d, &master, t1, t2, t3, t4, corr(25, 0), corr(10, 0));
    let want = p2p_delay(t1, t2, t3, t4, 35);
    assert_eq!(want, path);
    let ev = d.take_events();
    assert_eq!(delay_measured(&ev), [(path as i64, path as i64)], "{ev:#?}");
    assert_eq!(d.clock.port(1).unwrap().peer_mean_path_delay(), Some(Nanos(path)));
    assert_eq!(d.clock.port(1).unwrap().port_ds().peer_mean_path_delay, Nanos(path));

    // A Sync/Follow_Up now gives offset = t2 - t1 - corrections - peer delay.
    let ts1 = T0 + 101 * S as i128;
    let ts2 = ts1 + path + 300 + 4 + ahead;
    d.receive(&master.sync(0, true, ts(0), corr(300, 0)), Some(ClockTime(ts2)));
    d.receive(&master.follow_up(0, ts(ts1), corr(4, 0)), None);
    let want_offset = ts2 - ts1 - 304 - want;
    assert_eq!(want_offset, ahead);
    assert_eq!(master_offsets(&d.take_events()), [(ahead as i64, path as i64)]);
    assert_eq!(d.clock.current_ds().offset_from_master, Nanos(ahead));
    // No Delay_Req on a P2P port.
    assert!(d.take_sent(MessageType::DelayReq).is_none());
}

#[test]
fn p2p_odd_round_trip_truncates() {
    let (mut d, master) = qualified_slave("delay_mechanism P2P");
    let t1 = T0 + 200 * S as i128;
    let (t2, t3) = (t1 + 1_000, t1 + 31_000);
    // (t4 - t1) - (t3 - t2) - c = 2001 - 0 -> 1000 (the .5 dropped).
    let t4 = t1 + 30_000 + 2_001 + 7;
    peer_exchange(&mut d, &master, t1, t2, t3, t4, corr(7, 0), corr(0, 0));
    assert_eq!(p2p_delay(t1, t2, t3, t4, 7), 1_000);
    assert_eq!(d.clock.port(1).unwrap().peer_mean_path_delay(), Some(Nanos(1_000)));
}

#[test]
fn p2p_peer_delay_ignores_neighbour_rate_without_follow_up_info() {
    // linuxptp port_peer_delay() calls port_nrate_calculate() only when follow_up_info is set
    // (802.1AS); otherwise nrate.ratio stays 1.0 and the delay is exactly
    // ((t4 - t1) - (t3 - t2) - c) / 2. Here the neighbour runs 100 ppm fast and takes 10 ms
    // (its time) to answer.
    let (mut d, master) = qualified_slave("delay_mechanism P2P");
    let path = 1_000i128;
    let mut got = Vec::new();
    let mut want = Vec::new();
    for k in 0..5i128 {
        let t1 = T0 + 300 * S as i128 + k * S as i128;
        // Neighbour time = ours * (1 + 1e-4) around T0.
        let nb = |ours: i128| ours + (ours - T0) / 10_000;
        let t2 = nb(t1 + path);
        let t3 = t2 + 10_000_000;
        let t4 = t1 + path + 9_999_000 + path;
        peer_exchange(&mut d, &master, t1, t2, t3, t4, corr(0, 0), corr(0, 0));
        want.push(p2p_delay(t1, t2, t3, t4, 0) as i64);
        got.extend(delay_measured(&d.take_events()).into_iter().map(|(_, raw)| raw));
    }
    assert_eq!(got, want);
}

#[test]
fn p2p_one_step_responder() {
    // A one-step responder puts its turnaround time in the Pdelay_Resp correctionField and
    // sends no follow-up; requestReceiptTimestamp is zero (linuxptp TS_P2P1STEP). linuxptp:
    // t2 = t3 = 0, c2 = 0, delay = ((t4 - t1) - c1) / 2. The turnaround varies a little from
    // one exchange to the next, as it does in hardware.
    let (mut d, master) = qualified_slave("delay_mechanism P2P");
    let path = 800i128;
    let mut got = Vec::new();
    let mut want = Vec::new();
    for k in 0..6i128 {
        let limit = d.now + std::time::Duration::from_secs(4);
        let tx = d.run_until_sent(MessageType::PdelayReq, limit).expect("a Pdelay_Req");
        let seq = Message::parse(&tx.bytes).unwrap().header.sequence_id;
        let t1 = T0 + 400 * S as i128 + k * S as i128;
        d.clock.handle_tx_timestamp(tx.tx_token.unwrap(), ClockTime(t1), d.now);
        let turnaround = 20_000 + 10 * k;
        let t4 = t1 + 2 * path + turnaround;
        let me = our_port(&d);
        d.receive(&master.pdelay_resp(seq, false, ts(0), me, corr(turnaround as i64, 0)), Some(ClockTime(t4)));
        want.push(((t4 - t1 - turnaround) / 2) as i64);
        got.extend(delay_measured(&d.take_events()).into_iter().map(|(_, raw)| raw));
    }
    assert_eq!(want, [800; 6]);
    assert_eq!(got, want);
}

/// A clock that becomes grandmaster on its own: LISTENING times out to MASTER.
fn grandmaster(extra: &str) -> Driver {
    let cfg = format!("priority1 1\ndomainNumber 5\nlogAnnounceInterval 0\nlogSyncInterval -1\n{extra}");
    let mut d = Driver::new(one_port_clock(&cfg, 1, Instant::ZERO), Instant::ZERO);
    d.run_until(at(5 * S));
    assert!(d.clock.port(1).unwrap().state().is_master(), "{:#?}", d.events);
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::PortStateChange {
            from: PortState::Listening,
            to: PortState::Master,
            event: FsmEvent::AnnounceReceiptTimeoutExpires,
            ..
        }
    )));
    d
}

fn check_header(m: &Message, d: &Driver, t: MessageType, log: i8) {
    let h = &m.header;
    assert_eq!(m.message_type(), t);
    assert_eq!(h.version_ptp, 2, "{t}");
    assert_eq!(h.minor_version_ptp, 1, "{t}");
    assert_eq!(h.major_sdo_id, 0, "{t}");
    assert_eq!(h.domain_number, 5, "{t}");
    assert_eq!(h.source_port_identity, our_port(d), "{t}");
    assert_eq!(h.log_message_interval, log, "{t}");
}

#[test]
fn master_announce_sync_and_follow_up() {
    let mut d = grandmaster("");
    // Every message until now, decoded: Announces (log 0) and two-step Syncs (log -1) with
    // consecutive sequence numbers, all to the primary multicast group.
    d.run_until(d.now + std::time::Duration::from_millis(2_600));
    let mut seq_announce = 0u16;
    let mut seq_sync = 0u16;
    let sent = std::mem::take(&mut d.sent);
    assert!(!sent.is_empty());
    for tx in sent {
        let m = Message::parse(&tx.bytes).unwrap();
        assert_eq!(tx.destination, ptp_engine::transmit::Destination::Multicast);
        match &m.body {
            MessageBody::Announce(a) => {
                check_header(&m, &d, MessageType::Announce, 0);
                assert_eq!(m.header.sequence_id, seq_announce);
                seq_announce += 1;
                assert!(!tx.event && tx.tx_token.is_none());
                assert_eq!(a.grandmaster_identity, d.clock.default_ds().clock_identity);
                assert_eq!(a.grandmaster_priority1, 1);
                assert_eq!(a.grandmaster_priority2, 128);
                assert_eq!(a.grandmaster_clock_quality.clock_class, 248);
                assert_eq!(a.steps_removed, 0);
                assert_eq!(a.current_utc_offset, 37);
                assert!(m.header.flag_field.ptp_timescale());
            }
            MessageBody::Sync(s) => {
                check_header(&m, &d, MessageType::Sync, -1);
                assert_eq!(m.header.sequence_id, seq_sync);
                seq_sync += 1;
                assert!(m.header.flag_field.two_step());
                assert_eq!(s.origin_timestamp, ts(0));
                assert_eq!(m.header.correction_field, TimeInterval(0));
                assert!(tx.event && !tx.one_step);
                let token = tx.tx_token.expect("two-step Sync wants its transmit timestamp");
                assert_eq!((token.message_type(), token.sequence_id()), (MessageType::Sync, m.header.sequence_id));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(seq_announce >= 3 && seq_sync >= 5, "{seq_announce} {seq_sync}");

    // The next Sync, answered with its transmit timestamp, gets a Follow_Up carrying it.
    let tx = d.run_until_sent(MessageType::Sync, d.now + std::time::Duration::from_secs(1)).unwrap();
    let sync = Message::parse(&tx.bytes).unwrap();
    let t1 = T0 + 42 * S as i128 + 987_654_321;
    d.clock.handle_tx_timestamp(tx.tx_token.unwrap(), ClockTime(t1), d.now);
    d.drain();
    let fup_tx = d.take_sent(MessageType::FollowUp).expect("Follow_Up");
    assert!(!fup_tx.event && fup_tx.tx_token.is_none());
    assert_eq!(fup_tx.destination, ptp_engine::transmit::Destination::Multicast);
    let fup = Message::parse(&fup_tx.bytes).unwrap();
    check_header(&fup, &d, MessageType::FollowUp, -1);
    assert_eq!(fup.header.sequence_id, sync.header.sequence_id);
    assert_eq!(fup.header.correction_field, TimeInterval(0));
    let MessageBody::FollowUp(f) = fup.body else { unreachable!() };
    assert_eq!(f.precise_origin_timestamp, ts(t1));
    assert!(d.sent.is_empty());
}

#[test]
fn master_answers_delay_req() {
    let mut d = grandmaster("logMinDelayReqInterval -2");
    d.sent.clear();
    let mut slave = FakePeer::new(0x51);
    slave.domain = 5;
    let c = corr(1_234, 0x4321);
    let t4 = T0 + 77 * S as i128 + 5;
    d.receive(&slave.delay_req(4_242, c), Some(ClockTime(t4)));
    let tx = d.take_sent(MessageType::DelayResp).expect("Delay_Resp");
    assert!(!tx.event && tx.tx_token.is_none());
    assert_eq!(tx.destination, ptp_engine::transmit::Destination::Multicast);
    let m = Message::parse(&tx.bytes).unwrap();
    check_header(&m, &d, MessageType::DelayResp, -2);
    assert_eq!(m.header.sequence_id, 4_242);
    assert_eq!(m.header.correction_field, c);
    assert!(!m.header.flag_field.unicast());
    let MessageBody::DelayResp(r) = m.body else { unreachable!() };
    assert_eq!(r.receive_timestamp, ts(t4));
    assert_eq!(r.requesting_port_identity, slave.identity);
    assert_eq!(d.clock.port(1).unwrap().counters().rx[MessageType::DelayReq as usize], 1);
    assert_eq!(d.clock.port(1).unwrap().counters().tx[MessageType::DelayResp as usize], 1);
}

#[test]
fn p2p_port_answers_pdelay_req_in_two_steps() {
    let mut d = grandmaster("delay_mechanism P2P");
    d.sent.clear();
    let mut peer = FakePeer::new(0x52);
    peer.domain = 5;
    let c = corr(-3, 0x0001);
    let t2 = T0 + 88 * S as i128 + 1;
    d.receive(&peer.pdelay_req(9, c), Some(ClockTime(t2)));
    let tx = d.take_sent(MessageType::PdelayResp).expect("Pdelay_Resp");
    assert!(tx.event);
    assert_eq!(tx.destination, ptp_engine::transmit::Destination::PeerMulticast);
    let resp = Message::parse(&tx.bytes).unwrap();
    check_header(&resp, &d, MessageType::PdelayResp, 0x7f);
    assert_eq!(resp.header.sequence_id, 9);
    assert!(resp.header.flag_field.two_step());
    assert_eq!(resp.header.correction_field, TimeInterval(0));
    let MessageBody::PdelayResp(r) = resp.body else { unreachable!() };
    assert_eq!(r.request_receipt_timestamp, ts(t2));
    assert_eq!(r.requesting_port_identity, peer.identity);
    let token = tx.tx_token.expect("Pdelay_Resp wants its transmit timestamp");
    assert_eq!((token.message_type(), token.sequence_id()), (MessageType::PdelayResp, 9));
    // Nothing more until the transmit timestamp is known.
    assert!(d.take_sent(MessageType::PdelayRespFollowUp).is_none());

    let t3 = t2 + 31_337;
    d.clock.handle_tx_timestamp(token, ClockTime(t3), d.now);
    d.drain();
    let tx = d.take_sent(MessageType::PdelayRespFollowUp).expect("Pdelay_Resp_Follow_Up");
    assert!(!tx.event && tx.tx_token.is_none());
    assert_eq!(tx.destination, ptp_engine::transmit::Destination::PeerMulticast);
    let fup = Message::parse(&tx.bytes).unwrap();
    check_header(&fup, &d, MessageType::PdelayRespFollowUp, 0x7f);
    assert_eq!(fup.header.sequence_id, 9);
    assert_eq!(fup.header.correction_field, c);
    let MessageBody::PdelayRespFollowUp(f) = fup.body else { unreachable!() };
    assert_eq!(f.response_origin_timestamp, ts(t3));
    assert_eq!(f.requesting_port_identity, peer.identity);
}

#[test]
fn p2p1step_port_answers_pdelay_req_in_one_step() {
    // linuxptp TS_P2P1STEP: twoStepFlag clear, requestReceiptTimestamp zero, the request's
    // correction plus egressLatency + ingressLatency (scaled ns: linuxptp shifts the latencies
    // by 16 when it reads them) in the correctionField, to which the NIC adds its transmit
    // time; no transmit timestamp is awaited and no Pdelay_Resp_Follow_Up follows.
    let mut d = grandmaster("delay_mechanism P2P\ntime_stamping p2p1step\negressLatency 7\ningressLatency 5");
    d.sent.clear();
    let mut peer = FakePeer::new(0x52);
    peer.domain = 5;
    // What the NIC left in the request's correction: the sender's 3.5 ns less its receive
    // time t2 (modulo 2^64, as the 64-bit field wraps).
    let t2 = T0 + 88 * S as i128 + 1;
    let c = TimeInterval(corr(3, 0x8000).0.wrapping_sub((t2 << 16) as i64));
    let answer = |d: &mut Driver, seq: u16, rx: Option<ClockTime>| {
        d.receive(&peer.pdelay_req(seq, c), rx);
        let tx = d.take_sent(MessageType::PdelayResp).expect("Pdelay_Resp");
        assert!(tx.event && tx.one_step && tx.tx_token.is_none());
        assert_eq!(tx.destination, ptp_engine::transmit::Destination::PeerMulticast);
        let resp = Message::parse(&tx.bytes).unwrap();
        check_header(&resp, d, MessageType::PdelayResp, 0x7f);
        assert_eq!(resp.header.sequence_id, seq);
        assert!(!resp.header.flag_field.two_step());
        assert_eq!(resp.header.correction_field, TimeInterval(c.0.wrapping_add(12 << 16)));
        let MessageBody::PdelayResp(r) = resp.body else { unreachable!() };
        assert_eq!(r.request_receipt_timestamp, ts(0));
        assert_eq!(r.requesting_port_identity, peer.identity);
    };
    answer(&mut d, 9, Some(ClockTime(t2)));
    // A Pdelay_Req without receive timestamp is answered just the same.
    answer(&mut d, 10, None);
    d.run_until(d.now + std::time::Duration::from_secs(3));
    assert!(d.take_sent(MessageType::PdelayRespFollowUp).is_none());
    assert!(dropped(&d.take_events()).is_empty());
    let counters = d.clock.port(1).unwrap().counters();
    assert_eq!((counters.rx[MessageType::PdelayReq as usize], counters.tx[MessageType::PdelayResp as usize]), (2, 2));
    assert_eq!(counters.dropped_no_timestamp, 0);
}

#[test]
fn two_step_port_drops_pdelay_req_without_timestamp_and_applies_latencies() {
    // Without p2p1step a Pdelay_Req needs its receive timestamp ("received PDELAY_REQ without
    // timestamp"); with one, ingressLatency comes off t2 and egressLatency is added to t3.
    let mut d = grandmaster("delay_mechanism P2P\negressLatency 7\ningressLatency 5");
    d.sent.clear();
    let mut peer = FakePeer::new(0x52);
    peer.domain = 5;
    d.receive(&peer.pdelay_req(1, corr(0, 0)), None);
    assert_eq!(dropped(&d.take_events()), [DropReason::NoTimestamp(MessageType::PdelayReq)]);
    assert!(d.take_sent(MessageType::PdelayResp).is_none());

    let t2 = T0 + 88 * S as i128 + 1;
    d.receive(&peer.pdelay_req(2, corr(0, 0)), Some(ClockTime(t2)));
    let tx = d.take_sent(MessageType::PdelayResp).expect("Pdelay_Resp");
    assert!(!tx.one_step);
    let resp = Message::parse(&tx.bytes).unwrap();
    assert!(resp.header.flag_field.two_step());
    assert_eq!(resp.header.correction_field, TimeInterval(0));
    let MessageBody::PdelayResp(r) = resp.body else { unreachable!() };
    assert_eq!(r.request_receipt_timestamp, ts(t2 - 5));
    let t3 = t2 + 31_337;
    d.clock.handle_tx_timestamp(tx.tx_token.expect("a token"), ClockTime(t3), d.now);
    d.drain();
    let fup = Message::parse(&d.take_sent(MessageType::PdelayRespFollowUp).expect("follow-up").bytes).unwrap();
    let MessageBody::PdelayRespFollowUp(f) = fup.body else { unreachable!() };
    assert_eq!(f.response_origin_timestamp, ts(t3 + 7));
}

#[test]
fn one_step_master_sends_sync_without_token_or_follow_up() {
    let mut d = grandmaster("twoStepFlag 0");
    let tx = d.run_until_sent(MessageType::Sync, d.now + std::time::Duration::from_secs(1)).unwrap();
    assert!(tx.one_step && tx.event && tx.tx_token.is_none());
    let m = Message::parse(&tx.bytes).unwrap();
    assert!(!m.header.flag_field.two_step());
    check_header(&m, &d, MessageType::Sync, -1);
    d.run_until(d.now + std::time::Duration::from_secs(3));
    assert!(d.take_sent(MessageType::FollowUp).is_none());
}

fn dropped(events: &[Event]) -> Vec<DropReason> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Dropped { port: 1, reason } => Some(*reason),
            _ => None,
        })
        .collect()
}

#[test]
fn drops_are_reported_and_counted() {
    let (mut d, master) = qualified_slave("");
    let me = our_port(&d);
    let t = T0 + 500 * S as i128;
    let rx = Some(ClockTime(t));

    // A Sync from a foreign master that is not the parent.
    let other = FakePeer::new(0xbb);
    d.receive(&other.sync(0, true, ts(0), corr(0, 0)), rx);
    assert_eq!(dropped(&d.take_events()), [DropReason::NotFromParent(MessageType::Sync)]);
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_not_from_parent, 1);

    // A Delay_Resp from the parent for another port (and one for us with no request out).
    let someone = PortIdentity { port_number: 2, ..me };
    d.receive(&master.delay_resp(0, ts(t), someone, corr(0, 0), 0), None);
    d.receive(&master.delay_resp(0, ts(t), me, corr(0, 0), 0), None);
    assert_eq!(
        dropped(&d.take_events()),
        [DropReason::NotForUs(MessageType::DelayResp), DropReason::NotForUs(MessageType::DelayResp)]
    );
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_not_for_us, 2);

    // The parent in another domain.
    let mut elsewhere = master;
    elsewhere.domain = 3;
    d.receive(&elsewhere.sync(1, true, ts(0), corr(0, 0)), rx);
    assert_eq!(dropped(&d.take_events()), [DropReason::WrongDomain]);
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_wrong_domain, 1);

    // Our own message looped back (any port of this clock).
    let mut echo = master;
    echo.identity = PortIdentity { port_number: 7, ..me };
    d.receive(&echo.announce(0), None);
    assert_eq!(dropped(&d.take_events()), [DropReason::OwnMessage]);
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_own, 1);

    // A malformed packet: a Sync cut short.
    let bytes = master.sync(2, true, ts(0), corr(0, 0)).to_bytes().unwrap();
    let short = &bytes[..40];
    let err = Message::parse(short).unwrap_err();
    d.receive_bytes(short, rx);
    assert_eq!(dropped(&d.take_events()), [DropReason::Malformed(err)]);
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_malformed, 1);
    // Garbage too short for a header, and a bad version.
    d.receive_bytes(&[0xff; 3], rx);
    let mut v1 = bytes.clone();
    v1[1] = 0x11;
    d.receive_bytes(&v1, rx);
    let ev = d.take_events();
    assert!(
        matches!(
            dropped(&ev)[..],
            [DropReason::Malformed(_), DropReason::Malformed(ParseError::UnsupportedVersion(_))]
        ),
        "{ev:#?}"
    );
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_malformed, 3);

    // An event message without a receive timestamp.
    d.receive(&master.sync(3, true, ts(0), corr(0, 0)), None);
    assert_eq!(dropped(&d.take_events()), [DropReason::NoTimestamp(MessageType::Sync)]);
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_no_timestamp, 1);

    // A Delay_Req to a slave port.
    d.receive(&master.delay_req(0, corr(0, 0)), rx);
    assert_eq!(dropped(&d.take_events()), [DropReason::Unexpected(MessageType::DelayReq)]);
    assert_eq!(d.clock.port(1).unwrap().counters().dropped_unexpected, 1);

    let c = d.clock.port(1).unwrap().counters();
    assert_eq!(c.dropped(), 10);
    // None of it produced a sample, a transmission or a state change.
    assert!(master_offsets(&d.events).is_empty() && delay_measured(&d.events).is_empty());
    assert!(d.state_changes().is_empty());
    assert_eq!(d.clock.port(1).unwrap().state(), PortState::Uncalibrated);
}

#[test]
fn sync_before_the_port_is_a_slave_is_unexpected() {
    let mut d = Driver::new(one_port_clock("clientOnly 1", 2, Instant::ZERO), Instant::ZERO);
    let master = FakePeer::new(0xaa);
    d.receive(&master.sync(0, true, ts(0), corr(0, 0)), Some(ClockTime(T0)));
    d.receive(&master.follow_up(0, ts(T0), corr(0, 0)), None);
    assert_eq!(
        dropped(&d.take_events()),
        [DropReason::Unexpected(MessageType::Sync), DropReason::Unexpected(MessageType::FollowUp)]
    );
    let c = d.clock.port(1).unwrap().counters();
    assert_eq!((c.dropped_unexpected, c.rx[0], c.rx[8]), (2, 1, 1));
}
