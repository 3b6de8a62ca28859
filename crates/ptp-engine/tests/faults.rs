//! Faults: link down and up, fault_reset_interval, missing transmit timestamps, and a
//! grandmaster that dies with another candidate on the segment.

mod common;

use common::script::one_port_clock;
use common::{Net, SimClock};
use ptp_engine::event::Event;
use ptp_engine::log::{format, Dialect, PortNames};
use ptp_engine::state::PortState;
use ptp_engine::time::Instant;

const S: i64 = 1_000_000_000;

fn log_lines(events: &[(i64, Event)]) -> Vec<(i64, String)> {
    let names = PortNames::new(Dialect::Linuxptp4).with(1, "eth0");
    events.iter().flat_map(|(t, e)| format(e, &names).into_iter().map(move |l| (*t, l.text))).collect()
}

fn texts(net: &Net, node: usize) -> Vec<String> {
    log_lines(&net.nodes[node].events).into_iter().map(|(_, l)| l).collect()
}

/// A grandmaster and a clientOnly slave on a 2 us link; the slave has `slave_extra`.
fn pair(slave_extra: &str) -> Net {
    let mut net = Net::new();
    let m = net.add(one_port_clock("priority1 100\nlogSyncInterval -2", 1, Instant::ZERO), SimClock::new(0.0, 0.0));
    let s = net.add(
        one_port_clock(&format!("clientOnly 1\nlogSyncInterval -2\n{slave_extra}"), 2, Instant::ZERO),
        SimClock::new(30_000.0, 20_000.0),
    );
    net.link(vec![(m, 1), (s, 1)], 2_000);
    net
}

fn in_sync(net: &Net) -> bool {
    (net.nodes[1].osc.error(net.now) - net.nodes[0].osc.error(net.now)).abs() < 50.0
}

fn link(net: &mut Net, node: usize, up: bool) {
    let now = Instant::from_nanos(net.now);
    net.nodes[node].clock.handle_link(1, up, now);
    // Drain what it produced now (run_until drains every node first).
    let t = net.now;
    net.run_until(t);
}

/// A synchronised pair whose slave link went down at the returned time.
fn slave_link_down(slave_extra: &str) -> (Net, i64) {
    let mut net = pair(slave_extra);
    net.run_until(40 * S);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert!(in_sync(&net));
    net.nodes[1].events.clear();
    let down_at = net.now;
    link(&mut net, 1, false);
    (net, down_at)
}

#[test]
fn link_down_faults_the_port_until_fault_reset_interval() {
    let (mut net, down_at) = slave_link_down("");
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Faulty);
    let lines = texts(&net, 1);
    assert_eq!(
        lines[..3],
        [
            "port 1 (eth0): link down",
            "port 1 (eth0): SLAVE to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)",
            "waiting 2^{4} seconds to clear fault on port 1 (eth0)",
        ],
        "{lines:#?}"
    );
    // No timer of a FAULTY port runs but the fault timer: nothing is sent.
    let sent_before = net.nodes[1].clock.port(1).unwrap().counters().tx;
    net.run_until(down_at + 16 * S - 1);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Faulty);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().counters().tx, sent_before);
    net.run_until(down_at + 16 * S + 1);
    let lines = log_lines(&net.nodes[1].events);
    let cleared = lines.iter().find(|(_, l)| l == "clearing fault on port 1 (eth0)").expect("clearing fault");
    assert_eq!(cleared.0, down_at + 16 * S);
}

#[test]
fn fault_timer_waits_for_the_link_then_the_port_resynchronises() {
    let (mut net, down_at) = slave_link_down("");
    // The fault timer expires on a link that is still down: linuxptp logs the clearing but
    // keeps the port FAULTY until the link comes back.
    net.run_until(down_at + 30 * S);
    let lines = log_lines(&net.nodes[1].events);
    assert!(lines.iter().any(|(t, l)| *t == down_at + 16 * S && l == "clearing fault on port 1 (eth0)"), "{lines:#?}");
    assert!(!lines.iter().any(|(_, l)| l.contains("FAULTY to")), "{lines:#?}");
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Faulty);

    // The link comes back: the port leaves FAULTY at once (through INITIALIZING, reported as
    // INIT_COMPLETE, linuxptp port_state_update), qualifies the master again and
    // re-synchronises.
    link(&mut net, 1, true);
    let lines = texts(&net, 1);
    assert!(lines.contains(&"port 1 (eth0): FAULTY to LISTENING on INIT_COMPLETE".to_owned()), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("INITIALIZING")), "{lines:#?}");
    net.run_until(down_at + 75 * S);
    let lines = texts(&net, 1);
    assert!(lines.contains(&"port 1 (eth0): link up".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"port 1 (eth0): LISTENING to UNCALIBRATED on RS_SLAVE".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"port 1 (eth0): UNCALIBRATED to SLAVE on MASTER_CLOCK_SELECTED".to_owned()), "{lines:#?}");
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert!(in_sync(&net));
}

#[test]
fn link_up_before_the_fault_timer_clears_the_fault_at_once() {
    // linuxptp port_link_status: link up dispatches FAULT_CLEARED.
    let (mut net, down_at) = slave_link_down("");
    net.run_until(down_at + 3 * S);
    net.nodes[1].events.clear();
    link(&mut net, 1, true);
    let lines = texts(&net, 1);
    assert_eq!(
        lines[..2],
        ["port 1 (eth0): link up", "port 1 (eth0): FAULTY to LISTENING on INIT_COMPLETE"],
        "{lines:#?}"
    );
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Listening);
    net.run_until(net.now + 40 * S);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert!(in_sync(&net));
}

#[test]
fn fault_reset_interval_asap_clears_immediately() {
    let (net, _) = slave_link_down("fault_reset_interval ASAP");
    // linuxptp port_state_update: FAULTY with clear_fault_asap is cleared in the same step:
    // `clearing fault immediately`, then SLAVE to LISTENING on INIT_COMPLETE. The port never
    // reports FAULTY.
    let lines = texts(&net, 1);
    let pos = |want: &str| lines.iter().position(|l| l == want).unwrap_or_else(|| panic!("{want}: {lines:#?}"));
    let a = pos("port 1 (eth0): link down");
    let b = pos("port 1 (eth0): clearing fault immediately");
    let c = pos("port 1 (eth0): SLAVE to LISTENING on INIT_COMPLETE");
    assert!(a < b && b < c, "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("FAULTY") || l.contains("INITIALIZING")), "{lines:#?}");
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Listening);
}

#[test]
fn missing_tx_timestamp_faults_the_port() {
    use common::script::{Driver, FakePeer};
    use ptp_wire::MessageType;
    let mut d = Driver::new(one_port_clock("clientOnly 1\nfree_running 1", 2, Instant::ZERO), Instant::ZERO);
    let master = FakePeer::new(0xaa);
    for seq in 0..3u16 {
        d.set_now(Instant::from_nanos(i64::from(seq + 1) * S));
        d.receive(&master.announce(seq), None);
    }
    assert_eq!(d.clock.port(1).unwrap().state(), PortState::Uncalibrated);
    let tx = d.run_until_sent(MessageType::DelayReq, Instant::from_nanos(10 * S)).unwrap();
    d.events.clear();
    d.clock.handle_tx_timestamp_missing(tx.tx_token.unwrap(), d.now);
    d.drain();
    assert_eq!(d.clock.port(1).unwrap().state(), PortState::Faulty);
    let names = PortNames::new(Dialect::Linuxptp4).with(1, "eth0");
    let lines: Vec<String> = d.events.iter().flat_map(|e| format(e, &names)).map(|l| l.text).collect();
    assert!(
        lines.contains(&"port 1 (eth0): UNCALIBRATED to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)".to_owned()),
        "{lines:#?}"
    );
    // The fault timer is armed for 2^4 s.
    assert!(d.events.contains(&Event::FaultWait { port: 1, log_seconds: 4 }), "{:#?}", d.events);
}

#[test]
fn dead_grandmaster_is_replaced_by_the_next_best_clock() {
    // Three clocks on one segment: GM (priority1 100), a candidate (priority1 110) and a
    // clientOnly slave. The candidate is a slave of GM until GM dies; then both time out,
    // the candidate becomes master and the slave follows it.
    let mut net = Net::new();
    let gm = net.add(one_port_clock("priority1 100\nlogSyncInterval -2", 1, Instant::ZERO), SimClock::new(0.0, 0.0));
    let cand = net
        .add(one_port_clock("priority1 110\nlogSyncInterval -2", 2, Instant::ZERO), SimClock::new(5_000.0, -15_000.0));
    let sl = net
        .add(one_port_clock("clientOnly 1\nlogSyncInterval -2", 3, Instant::ZERO), SimClock::new(-40_000.0, 25_000.0));
    net.link(vec![(gm, 1), (cand, 1), (sl, 1)], 1_500);
    net.run_until(60 * S);
    let gm_id = net.nodes[gm].clock.default_ds().clock_identity;
    let cand_id = net.nodes[cand].clock.default_ds().clock_identity;
    assert_eq!(net.nodes[gm].clock.port(1).unwrap().state(), PortState::Master);
    assert_eq!(net.nodes[cand].clock.port(1).unwrap().state(), PortState::Slave);
    assert_eq!(net.nodes[sl].clock.port(1).unwrap().state(), PortState::Slave);
    assert_eq!(net.nodes[sl].clock.parent_ds().grandmaster_identity, gm_id);

    let died = net.now;
    net.nodes[gm].alive = false;
    net.run_until(died + 60 * S);
    let sl_log = log_lines(&net.nodes[sl].events);
    let cand_log = log_lines(&net.nodes[cand].events);
    let timeout = |log: &[(i64, String)], line: &str| log.iter().find(|(t, l)| *t > died && l == line).map(|(t, _)| *t);
    // announceReceiptTimeout 3 x 2 s plus up to one interval.
    let t_sl = timeout(&sl_log, "port 1 (eth0): SLAVE to LISTENING on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES")
        .expect("slave timeout");
    assert!((6 * S..=8 * S).contains(&(t_sl - died)), "{}", t_sl - died);
    let t_c = timeout(&cand_log, "port 1 (eth0): SLAVE to MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES")
        .expect("candidate timeout");
    assert!((6 * S..=8 * S).contains(&(t_c - died)), "{}", t_c - died);
    assert!(
        sl_log.iter().any(|(t, l)| *t > died && l == "selected best master clock 020000.fffe.000102"),
        "{sl_log:#?}"
    );
    assert_eq!(net.nodes[cand].clock.port(1).unwrap().state(), PortState::Master);
    assert_eq!(net.nodes[sl].clock.port(1).unwrap().state(), PortState::Slave);
    assert_eq!(net.nodes[sl].clock.parent_ds().grandmaster_identity, cand_id);
    let err = net.nodes[sl].osc.error(net.now) - net.nodes[cand].osc.error(net.now);
    assert!(err.abs() < 50.0, "slave vs new grandmaster {err} ns");
}

/// A clientOnly clock that qualified a master at 1..3 s and then hears nothing more.
fn abandoned_slave() -> common::script::Driver {
    use common::script::{Driver, FakePeer};
    let mut d = Driver::new(one_port_clock("clientOnly 1", 2, Instant::ZERO), Instant::ZERO);
    let master = FakePeer::new(0xaa);
    for seq in 0..3u16 {
        d.set_now(Instant::from_nanos(i64::from(seq + 1) * S));
        d.receive(&master.announce(seq), None);
    }
    assert_eq!(d.clock.port(1).unwrap().state(), PortState::Uncalibrated);
    d
}

fn announce_timeouts(events: &[Event]) -> usize {
    use ptp_engine::event::TimerKind;
    events.iter().filter(|e| matches!(e, Event::Timeout { port: 1, timer: TimerKind::AnnounceReceipt })).count()
}

#[test]
fn slave_that_lost_its_master_listens_and_takes_it_back() {
    use common::script::FakePeer;
    let mut d = abandoned_slave();
    d.run_until(Instant::from_nanos(15 * S));
    // announceReceiptTimeout: 3 x 2^1 s plus up to one interval after the last Announce (3 s).
    let lines: Vec<String> = d
        .events
        .iter()
        .flat_map(|e| format(e, &PortNames::new(Dialect::Linuxptp4).with(1, "eth0")))
        .map(|l| l.text)
        .collect();
    assert!(
        lines.contains(&"port 1 (eth0): UNCALIBRATED to LISTENING on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES".to_owned()),
        "{lines:#?}"
    );
    assert!(lines.contains(&"selected local clock 020000.fffe.000102 as best master".to_owned()), "{lines:#?}");
    assert_eq!(d.clock.port(1).unwrap().state(), PortState::Listening);
    // The master comes back: two more Announces qualify it again (its record still exists).
    let master = FakePeer::new(0xaa);
    d.events.clear();
    for seq in 10..12u16 {
        d.set_now(Instant::from_nanos(i64::from(seq + 6) * S));
        d.receive(&master.announce(seq), None);
    }
    assert_eq!(d.clock.port(1).unwrap().state(), PortState::Uncalibrated, "{:#?}", d.events);
    assert_eq!(d.clock.parent_ds().parent_port_identity, master.identity);
}

#[test]
fn listening_slave_keeps_its_announce_receipt_timer() {
    // linuxptp port_event(FD_ANNOUNCE_TIMER) re-arms the timer (port_set_announce_tmo) every
    // time it fires, whatever the state machine does with ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES;
    // ptp_slave_fsm keeps LISTENING on it, so the timer fires every 6 to 8 s.
    let mut d = abandoned_slave();
    for s in 4..=60 {
        d.run_until(Instant::from_nanos(s * S));
        assert!(d.clock.poll_timeout().is_some(), "no deadline at {s} s in {:?}", d.clock.port(1).unwrap().state());
    }
    // One timeout in UNCALIBRATED, then one every 6..8 s in LISTENING.
    assert!(announce_timeouts(&d.events) >= 7, "{}", announce_timeouts(&d.events));
}

#[test]
fn missing_tx_timestamp_logs_the_failed_send() {
    // linuxptp: a transmit timestamp that never comes makes transport_send() fail, and
    // port_delay_request() logs `port 1 (eth0): send delay request failed` (ERR) before the
    // port goes FAULTY (`timed out while polling for tx timestamp` is the driver's, sk.c).
    let mut d = abandoned_slave();
    let tx = d.run_until_sent(ptp_wire::MessageType::DelayReq, Instant::from_nanos(10 * S)).unwrap();
    d.events.clear();
    d.clock.handle_tx_timestamp_missing(tx.tx_token.unwrap(), d.now);
    d.drain();
    let names = PortNames::new(Dialect::Linuxptp4).with(1, "eth0");
    let lines: Vec<String> = d.events.iter().flat_map(|e| format(e, &names)).map(|l| l.text).collect();
    assert_eq!(
        lines[..2],
        [
            "port 1 (eth0): send delay request failed",
            "port 1 (eth0): UNCALIBRATED to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)",
        ],
        "{lines:#?}"
    );
}
