//! boundary_clock_jbod: a boundary clock whose ports time stamp with different PHCs. A jbod
//! port that enters UNCALIBRATED asks the driver to discipline its PHC
//! ([`ClockAction::SwitchPhc`], linuxptp `bc_dispatch` / `clock_switch_phc`); the driver
//! answers with [`Clock::phc_switched`] (a new servo from the PHC's frequency) or with a
//! FT_SWITCH_PHC fault.
//!
//! The clock is driven by hand (tests/common `script`): two fake masters on its two ports send
//! Announce, Sync and Follow_Up once a second and answer its Delay_Req, with timestamps the
//! test chooses. The driver does not apply the servo's adjustments, so every offset the clock
//! measures is the one scripted: a constant offset means no frequency error, and the servo
//! locks at exactly the frequency it started from.

mod common;

use common::script::{ts, Driver, FakePeer};
use ptp_config::Config;
use ptp_engine::clock::Clock;
use ptp_engine::event::Event;
use ptp_engine::log::{format, Dialect, Level, PortNames};
use ptp_engine::state::{FaultType, FsmEvent, PortState, ServoState};
use ptp_engine::time::{ClockTime, Instant};
use ptp_engine::transmit::ClockAction;
use ptp_wire::{ClockIdentity, Message, MessageType, TimeInterval};

const S: i64 = 1_000_000_000;
/// Clock readings start near 2023-11 (1.7e9 s).
const T0: i128 = 1_700_000_000_000_000_000;
/// One-way path delay on both links (ns).
const PATH: i128 = 3_000;
/// The PHC's adjustment limit the driver reports.
const MAX_ADJ: i32 = 500_000;

fn at(ns: i64) -> Instant {
    Instant::from_nanos(ns)
}

/// A fake master on one port of the clock under test. The clock's PHC on that port reads
/// `ahead` ns more than the master's clock.
struct Master {
    port: u16,
    peer: FakePeer,
    ahead: i128,
    seq: u16,
    alive: bool,
}

impl Master {
    fn new(port: u16, mac_last: u8, priority1: u8, ahead: i128) -> Self {
        let mut peer = FakePeer::new(mac_last);
        peer.priority1 = priority1;
        Master { port, peer, ahead, seq: 0, alive: true }
    }
}

/// The boundary clock under test and the masters around it.
struct Bench {
    d: Driver,
    masters: Vec<Master>,
}

impl Bench {
    /// A two-port clock (eth0, eth1) with `global` settings and `eth0` / `eth1` per-port
    /// settings; priority1 128, so any master with a smaller priority1 is better.
    fn new(global: &str, eth0: &str, eth1: &str) -> Self {
        let text =
            format!("[global]\nlogSyncInterval 0\nsummary_interval -4\n{global}\n[eth0]\n{eth0}\n[eth1]\n{eth1}\n");
        let cfg = Config::parse(&text, "bc.cfg").unwrap();
        let clock = Clock::from_config(&cfg, ClockIdentity::from_mac([2, 0, 0, 0, 1, 0x10]), at(0)).unwrap();
        Bench { d: Driver::new(clock, at(0)), masters: Vec::new() }
    }

    fn receive(&mut self, port: u16, m: &Message, rx: Option<ClockTime>) {
        let now = self.d.now;
        self.d.clock.handle_receive(port, &m.to_bytes().unwrap(), rx, now);
        self.d.drain();
    }

    /// One second of traffic at true time `t`: the clock's timers up to `t`, then from every
    /// live master an Announce and a two-step Sync, then an answer to every Delay_Req the clock
    /// sent. Everything else the clock sends is dropped.
    fn second(&mut self, t: i64) {
        self.d.run_until(at(t));
        for i in 0..self.masters.len() {
            if !self.masters[i].alive {
                continue;
            }
            let (port, peer, ahead, seq) = {
                let m = &mut self.masters[i];
                m.seq = m.seq.wrapping_add(1);
                (m.port, m.peer, m.ahead, m.seq)
            };
            self.receive(port, &peer.announce(seq), None);
            let t1 = T0 + i128::from(t);
            let t2 = t1 + PATH + ahead;
            self.d.set_now(at(t + 1_000));
            self.receive(port, &peer.sync(seq, true, ts(0), TimeInterval(0)), Some(ClockTime(t2)));
            self.receive(port, &peer.follow_up(seq, ts(t1), TimeInterval(0)), None);
        }
        self.answer_delay_requests();
        self.d.sent.clear();
    }

    fn answer_delay_requests(&mut self) {
        while let Some(tx) = self.d.take_sent(MessageType::DelayReq) {
            let Some(m) = self.masters.iter().find(|m| m.port == tx.port && m.alive) else { continue };
            let (peer, ahead) = (m.peer, m.ahead);
            let req = Message::parse(&tx.bytes).unwrap();
            // Sent now on the port's PHC; received by the master PATH later on its clock.
            let t3 = T0 + i128::from(self.d.now.as_nanos()) + ahead;
            let t4 = t3 - ahead + PATH;
            let now = self.d.now;
            self.d.clock.handle_tx_timestamp(tx.tx_token.unwrap(), ClockTime(t3), now);
            self.d.drain();
            let us = self.d.clock.port(tx.port).unwrap().identity();
            let resp = peer.delay_resp(req.header.sequence_id, ts(t4), us, req.header.correction_field, 0);
            self.receive(tx.port, &resp, None);
        }
    }

    /// Run whole seconds `from ..= to` (true time, s).
    fn seconds(&mut self, from: i64, to: i64) {
        for s in from..=to {
            self.second(s * S);
        }
    }

    fn state(&self, port: u16) -> PortState {
        self.d.clock.port(port).unwrap().state()
    }

    /// The ports of the SwitchPhc requests queued so far (and forget them and every other
    /// action).
    fn take_switches(&mut self) -> Vec<u16> {
        std::mem::take(&mut self.d.actions)
            .into_iter()
            .filter_map(|a| match a {
                ClockAction::SwitchPhc { port } => Some(port),
                _ => None,
            })
            .collect()
    }

    /// The frequencies (ppb) the clock was asked to run at so far.
    fn frequencies(&self) -> Vec<f64> {
        self.d
            .actions
            .iter()
            .filter_map(|a| match a {
                ClockAction::SetFrequency { ppb } => Some(*ppb),
                _ => None,
            })
            .collect()
    }

    /// The log lines of the events so far, as ptp4l prints them.
    fn lines(&self) -> Vec<(Level, String)> {
        let names = PortNames::new(Dialect::Linuxptp4).with(1, "eth0").with(2, "eth1");
        self.d.events.iter().flat_map(|e| format(e, &names)).map(|l| (l.level, l.text)).collect()
    }

    /// The servo part of every offset sample so far: (offset, state, freq).
    fn offsets(&self) -> Vec<(i64, ServoState, f64)> {
        self.d
            .events
            .iter()
            .filter_map(|e| match e {
                Event::MasterOffset { offset_ns, state, freq_ppb, .. } => Some((*offset_ns, *state, *freq_ppb)),
                _ => None,
            })
            .collect()
    }
}

/// A jbod boundary clock whose port 1 synchronised to master A (priority1 100, the PHC on
/// port 1 1.5 us ahead of it); the driver answered the switch to port 1's PHC, which runs at
/// +2500 ppb. Events and actions are cleared.
fn synchronised_to_a(global: &str) -> Bench {
    let mut b = Bench::new(global, "", "");
    b.masters.push(Master::new(1, 0xa1, 100, 1_500));
    b.seconds(1, 3);
    assert_eq!(b.state(1), PortState::Uncalibrated, "{:#?}", b.lines());
    assert_eq!(b.take_switches(), [1]);
    b.d.clock.phc_switched(MAX_ADJ, 2_500.0).unwrap();
    b.seconds(4, 12);
    assert_eq!(b.state(1), PortState::Slave, "{:#?}", b.lines());
    assert!(b.state(2).is_master(), "{:?}", b.state(2));
    b.d.events.clear();
    b.d.actions.clear();
    b
}

// ---------------------------------------------------------------------------------------------
// When the switch is asked for

#[test]
fn a_jbod_port_entering_uncalibrated_asks_for_its_phc_once() {
    let mut b = Bench::new("boundary_clock_jbod 1", "", "");
    b.masters.push(Master::new(1, 0xa1, 100, 1_500));
    b.seconds(1, 2);
    assert_eq!(b.state(1), PortState::Listening);
    assert!(b.take_switches().is_empty());
    b.second(3 * S);
    // The foreign master qualifies (its first Announce is not counted, IEEE 1588-2019
    // 9.3.2.4.4): LISTENING to UNCALIBRATED.
    assert_eq!(b.state(1), PortState::Uncalibrated, "{:#?}", b.lines());
    assert_eq!(b.take_switches(), [1]);
    // More Announces confirm the same master (RS_SLAVE in UNCALIBRATED): no new entry, no
    // new request; nor when the servo locks and the port becomes SLAVE.
    b.seconds(4, 12);
    assert_eq!(b.state(1), PortState::Slave, "{:#?}", b.lines());
    assert!(b.take_switches().is_empty());
}

#[test]
fn a_new_best_master_on_the_other_port_switches_to_its_phc() {
    let mut b = synchronised_to_a("boundary_clock_jbod 1");
    // Master B, better than A, appears on port 2; port 2's PHC is 40 us behind B.
    b.masters.push(Master::new(2, 0xb2, 50, -40_000));
    b.seconds(13, 16);
    assert_eq!(b.state(2), PortState::Uncalibrated, "{:#?}", b.lines());
    assert!(matches!(b.state(1), PortState::PreMaster | PortState::Master | PortState::Passive), "{:?}", b.state(1));
    assert_eq!(b.take_switches(), [2]);
    let lines = b.lines();
    assert!(lines.iter().any(|(_, l)| l == "port 2 (eth1): MASTER to UNCALIBRATED on RS_SLAVE"), "{lines:#?}");
    b.seconds(17, 30);
    assert_eq!(b.state(2), PortState::Slave);
    assert!(b.take_switches().is_empty());
}

#[test]
fn a_slave_port_that_gets_a_new_master_asks_again() {
    let mut b = synchronised_to_a("boundary_clock_jbod 1");
    // Master C, better than A, on the same segment as A: SLAVE to UNCALIBRATED on RS_SLAVE.
    b.masters.push(Master::new(1, 0xc3, 60, 1_500));
    b.seconds(13, 16);
    let lines = b.lines();
    assert!(lines.iter().any(|(_, l)| l == "port 1 (eth0): SLAVE to UNCALIBRATED on RS_SLAVE"), "{lines:#?}");
    assert!(lines.iter().any(|(_, l)| l == "selected best master clock 020000.fffe.0009c3"), "{lines:#?}");
    assert_eq!(b.take_switches(), [1]);
}

#[test]
fn a_port_without_jbod_never_asks() {
    // Neither port.
    let mut b = Bench::new("", "", "");
    b.masters.push(Master::new(1, 0xa1, 100, 1_500));
    b.seconds(1, 12);
    assert_eq!(b.state(1), PortState::Slave);
    b.masters.push(Master::new(2, 0xb2, 50, -40_000));
    b.seconds(13, 30);
    assert_eq!(b.state(2), PortState::Slave);
    let states: Vec<String> = b.lines().into_iter().map(|(_, l)| l).filter(|l| l.contains("UNCALIBRATED")).collect();
    assert!(states.len() >= 2, "{states:#?}");
    assert!(b.take_switches().is_empty());

    // The key is per port: jbod on eth1 only.
    let mut b = Bench::new("", "", "boundary_clock_jbod 1");
    b.masters.push(Master::new(1, 0xa1, 100, 1_500));
    b.seconds(1, 12);
    assert_eq!(b.state(1), PortState::Slave);
    assert!(b.take_switches().is_empty(), "eth0 is not jbod");
    b.masters.push(Master::new(2, 0xb2, 50, -40_000));
    b.seconds(13, 16);
    assert_eq!(b.state(2), PortState::Uncalibrated);
    assert_eq!(b.take_switches(), [2]);
}

// ---------------------------------------------------------------------------------------------
// The driver switched: a new servo

#[test]
fn the_servo_starts_over_from_the_frequency_of_the_new_phc() {
    let mut b = Bench::new("boundary_clock_jbod 1", "", "");
    b.masters.push(Master::new(1, 0xa1, 100, 1_500));
    b.seconds(1, 3);
    assert_eq!(b.take_switches(), [1]);
    b.d.clock.phc_switched(MAX_ADJ, 2_500.0).unwrap();
    b.seconds(4, 12);
    // The first sample is s0 and answers the servo's start frequency, the negated PHC
    // frequency (linuxptp servo_create with -fadj); the offset never changes, so the second
    // sample estimates no frequency error and the clock is told to keep its 2500 ppb.
    let o = b.offsets();
    assert!(o.len() >= 3, "{:#?}", b.lines());
    assert_eq!(o[0], (1_500, ServoState::Unlocked, -2_500.0));
    assert_eq!(o[1].1, ServoState::Locked, "{o:?}");
    assert_eq!(b.frequencies()[0], 2_500.0);
    assert!(b.lines().iter().any(|(_, l)| l.starts_with("master offset       1500 s0 freq   -2500 path delay")));

    // Master B on port 2: the driver switches to port 2's PHC, which runs at -7000 ppb.
    b.d.events.clear();
    b.d.actions.clear();
    b.masters.push(Master::new(2, 0xb2, 50, -40_000));
    b.seconds(13, 15);
    assert_eq!(b.take_switches(), [2]);
    b.d.clock.phc_switched(MAX_ADJ, -7_000.0).unwrap();
    assert_eq!(b.d.clock.synchronization().servo_state(), ServoState::Unlocked);
    b.d.events.clear();
    b.d.actions.clear();
    b.seconds(16, 30);
    assert_eq!(b.state(2), PortState::Slave);
    let o = b.offsets();
    assert_eq!(o[0], (-40_000, ServoState::Unlocked, 7_000.0), "{o:?}");
    // 40 us is beyond first_step_threshold (20 us): the new servo steps its clock once.
    assert_eq!(o[1].1, ServoState::Jump, "{o:?}");
    assert!(o[2..].iter().all(|s| s.1 == ServoState::Locked), "{o:?}");
    assert_eq!(b.frequencies()[0], -7_000.0);
    assert!(b.d.actions.contains(&ClockAction::Step { offset_ns: 40_000 }), "{:?}", b.d.actions);
}

#[test]
fn switching_keeps_the_path_delay_and_unlocks_the_servo() {
    let mut b = synchronised_to_a("boundary_clock_jbod 1");
    assert_eq!(b.d.clock.synchronization().servo_state(), ServoState::Locked);
    let delay = b.d.clock.current_ds().mean_path_delay;
    assert_eq!(delay.0, PATH);
    // The driver switches while the port is SLAVE: the servo is new and unlocked, the time
    // stamp processing and its path delay carry on.
    b.d.clock.phc_switched(MAX_ADJ, 900.0).unwrap();
    assert_eq!(b.d.clock.synchronization().servo_state(), ServoState::Unlocked);
    assert_eq!(b.d.clock.current_ds().mean_path_delay, delay);
    // The very next Sync gives a sample (no new Delay_Req round needed): s0, then locked.
    b.second(13 * S);
    let o = b.offsets();
    assert_eq!(o.first(), Some(&(1_500, ServoState::Unlocked, -900.0)), "{o:?}");
    b.second(14 * S);
    let o = b.offsets();
    assert_eq!(o.get(1).map(|s| s.1), Some(ServoState::Locked), "{o:?}");
    assert_eq!(b.frequencies().first(), Some(&900.0));
    assert_eq!(b.state(1), PortState::Slave, "the port stays SLAVE");
}

// ---------------------------------------------------------------------------------------------
// The driver could not switch: FT_SWITCH_PHC

#[test]
fn a_failed_switch_faults_the_port_with_ft_switch_phc() {
    let mut b = Bench::new("boundary_clock_jbod 1", "", "");
    b.masters.push(Master::new(1, 0xa1, 100, 1_500));
    b.seconds(1, 3);
    assert_eq!(b.take_switches(), [1]);
    b.d.events.clear();
    let now = b.d.now;
    b.d.clock.fault(1, FaultType::SwitchPhc, now);
    b.d.drain();
    assert_eq!(b.state(1), PortState::Faulty);
    assert!(
        b.d.events.contains(&Event::PortStateChange {
            port: 1,
            from: PortState::Uncalibrated,
            to: PortState::Faulty,
            event: FsmEvent::FaultDetected,
            fault: Some(FaultType::SwitchPhc),
        }),
        "{:#?}",
        b.d.events
    );
    let lines = b.lines();
    assert_eq!(
        lines[0],
        (Level::Notice, "port 1 (eth0): UNCALIBRATED to FAULTY on FAULT_DETECTED (FT_SWITCH_PHC)".to_owned()),
        "{lines:#?}"
    );
    assert!(lines.iter().any(|(_, l)| l == "waiting 2^{4} seconds to clear fault on port 1 (eth0)"), "{lines:#?}");
    // No sample reaches the servo meanwhile, and nothing is asked of the driver.
    b.seconds(4, 10);
    assert_eq!(b.state(1), PortState::Faulty);
    assert!(b.offsets().is_empty());
    assert!(b.take_switches().is_empty());
    // After fault_reset_interval (16 s) the port listens again, requalifies A and asks again:
    // one request per entry into UNCALIBRATED.
    b.seconds(11, 24);
    let lines = b.lines();
    assert!(lines.iter().any(|(_, l)| l == "port 1 (eth0): FAULTY to LISTENING on INIT_COMPLETE"), "{lines:#?}");
    assert_eq!(b.state(1), PortState::Uncalibrated, "{lines:#?}");
    assert_eq!(b.take_switches(), [1]);
}
