//! The state decision algorithm (IEEE 1588-2019 9.3.3, Figure 33; linuxptp
//! `bmc_state_decision` and `handle_state_decision_event`): every branch, Ebest selection,
//! slaveOnly and serverOnly, `BMCA noop`, and properties over random inputs.

use proptest::prelude::*;
use ptp_config::enums::Bmca;
use ptp_engine::bmca::{
    event_for_recommendation, select_ebest, state_decision, BestMaster, Comparator, ComparisonDataset, DecisionCode,
    ForeignMasterSettings, ForeignMasters, ReceivedAnnounce, StateDecision, StateDecisionInput,
};
use ptp_engine::datasets::DefaultDs;
use ptp_engine::fsm::{ptp_fsm, ptp_slave_fsm, PortFsm};
use ptp_engine::state::{FsmEvent, PortState};
use ptp_engine::time::Instant;
use ptp_wire::{Announce, ClockAccuracy, ClockIdentity, ClockQuality, Header, MessageType, PortIdentity};

const IEEE: Comparator = Comparator::Ieee1588;
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

fn d0(class: u8, priority1: u8) -> ComparisonDataset {
    ComparisonDataset::from_default_ds(&DefaultDs {
        priority1,
        priority2: 128,
        clock_identity: cid(ME),
        clock_quality: quality(class),
        local_priority: 128,
        ..DefaultDs::default()
    })
}

/// Grandmaster `gm` (priority1 `p1`) heard on our port `port` from `sender`, `steps` away.
fn heard(gm: u8, p1: u8, steps: u16, sender: PortIdentity, port: u16) -> ComparisonDataset {
    ComparisonDataset {
        grandmaster_priority1: p1,
        grandmaster_identity: cid(gm),
        grandmaster_clock_quality: quality(248),
        grandmaster_priority2: 128,
        local_priority: 128,
        steps_removed: steps,
        sender,
        receiver: pid(ME, port),
    }
}

fn input<'a>(
    d0: &'a ComparisonDataset,
    ebest: Option<&'a ComparisonDataset>,
    ebest_on_this_port: bool,
    erbest: Option<&'a ComparisonDataset>,
    state: PortState,
) -> StateDecisionInput<'a> {
    StateDecisionInput {
        d0,
        ebest,
        ebest_on_this_port,
        erbest,
        state,
        bmca: Bmca::Ptp,
        slave_only: false,
        master_only: false,
    }
}

fn decide(i: &StateDecisionInput<'_>) -> StateDecision {
    state_decision(IEEE, i)
}

#[track_caller]
fn expect(d: StateDecision, state: PortState, code: Option<DecisionCode>, event: FsmEvent) {
    assert_eq!((d.state, d.code, d.event), (state, code, event));
}

// ---- no Erbest ----

#[test]
fn listening_without_erbest_stays_listening() {
    let me = d0(248, 128);
    let better = heard(1, 1, 0, pid(1, 1), 2);
    // Even when another port has a better Ebest.
    let d = decide(&input(&me, Some(&better), false, None, PortState::Listening));
    expect(d, PortState::Listening, None, FsmEvent::None);
}

#[test]
fn m2_without_any_foreign_master() {
    let me = d0(248, 128);
    for state in [PortState::Master, PortState::PreMaster, PortState::Slave, PortState::Passive] {
        let d = decide(&input(&me, None, false, None, state));
        expect(d, PortState::GrandMaster, Some(DecisionCode::M2), FsmEvent::RsGrandMaster);
        assert!(d.is_grandmaster());
    }
}

// ---- clockClass 1..127 ----

#[test]
fn m1_class_127_or_lower_and_d0_better_than_erbest() {
    let me = d0(6, 128);
    let worse = heard(1, 128, 0, pid(1, 1), 1);
    for class in [1, 6, 127] {
        let me = d0(class, 128);
        let d = decide(&input(&me, Some(&worse), true, Some(&worse), PortState::Listening));
        expect(d, PortState::GrandMaster, Some(DecisionCode::M1), FsmEvent::RsGrandMaster);
    }
    // No Erbest outside LISTENING: M1 too.
    let d = decide(&input(&me, None, false, None, PortState::Master));
    expect(d, PortState::GrandMaster, Some(DecisionCode::M1), FsmEvent::RsGrandMaster);
}

#[test]
fn p1_class_127_or_lower_and_erbest_better() {
    let me = d0(6, 128);
    let better = heard(1, 100, 0, pid(1, 1), 1);
    // Even when it is Ebest on this port: a class 6 clock never becomes slave.
    let d = decide(&input(&me, Some(&better), true, Some(&better), PortState::Listening));
    expect(d, PortState::Passive, Some(DecisionCode::P1), FsmEvent::RsPassive);
}

#[test]
fn class_128_is_not_grandmaster_class() {
    let me = d0(128, 128);
    let better = heard(1, 100, 0, pid(1, 1), 1);
    let d = decide(&input(&me, Some(&better), true, Some(&better), PortState::Listening));
    expect(d, PortState::Slave, Some(DecisionCode::S1), FsmEvent::RsSlave);
}

// ---- clockClass above 127 ----

#[test]
fn m2_d0_better_than_ebest() {
    let me = d0(248, 100);
    let worse = heard(1, 128, 0, pid(1, 1), 1);
    let d = decide(&input(&me, Some(&worse), true, Some(&worse), PortState::Slave));
    expect(d, PortState::GrandMaster, Some(DecisionCode::M2), FsmEvent::RsGrandMaster);
}

#[test]
fn s1_ebest_on_this_port() {
    let me = d0(248, 128);
    let better = heard(1, 100, 0, pid(1, 1), 1);
    let d = decide(&input(&me, Some(&better), true, Some(&better), PortState::Listening));
    expect(d, PortState::Slave, Some(DecisionCode::S1), FsmEvent::RsSlave);
    assert!(d.is_slave());
}

#[test]
fn m3_ebest_elsewhere_plainly_better() {
    let me = d0(248, 128);
    let ebest = heard(1, 100, 0, pid(1, 1), 1);
    // A worse grandmaster on this port.
    let erbest = heard(2, 110, 0, pid(2, 1), 2);
    let d = decide(&input(&me, Some(&ebest), false, Some(&erbest), PortState::Listening));
    expect(d, PortState::Master, Some(DecisionCode::M3), FsmEvent::RsMaster);
    // Nothing heard on this port (and not LISTENING).
    let d = decide(&input(&me, Some(&ebest), false, None, PortState::Master));
    expect(d, PortState::Master, Some(DecisionCode::M3), FsmEvent::RsMaster);
    // The same grandmaster, but this port's path is two steps longer: plainly better.
    let far = heard(1, 100, 2, pid(3, 1), 2);
    let d = decide(&input(&me, Some(&ebest), false, Some(&far), PortState::Passive));
    expect(d, PortState::Master, Some(DecisionCode::M3), FsmEvent::RsMaster);
}

#[test]
fn p2_ebest_better_by_topology() {
    let me = d0(248, 128);
    // The same grandmaster through the same number of steps, from a higher sender on port 2.
    let ebest = heard(1, 100, 1, pid(3, 1), 1);
    let erbest = heard(1, 100, 1, pid(4, 1), 2);
    let d = decide(&input(&me, Some(&ebest), false, Some(&erbest), PortState::Listening));
    expect(d, PortState::Passive, Some(DecisionCode::P2), FsmEvent::RsPassive);
    // The same Announce on two ports of this clock (a shared segment): the higher port is
    // passive.
    let ebest = heard(1, 100, 1, pid(3, 1), 1);
    let erbest = heard(1, 100, 1, pid(3, 1), 2);
    let d = decide(&input(&me, Some(&ebest), false, Some(&erbest), PortState::Master));
    expect(d, PortState::Passive, Some(DecisionCode::P2), FsmEvent::RsPassive);
}

#[test]
fn p2_versus_m3_one_step_apart() {
    let me = d0(248, 128);
    let ebest = heard(1, 100, 1, pid(3, 1), 1);
    // One step more on port 2, and our port identity above its sender: better by topology.
    let erbest = heard(1, 100, 2, pid(0x40, 1), 2);
    let d = decide(&input(&me, Some(&ebest), false, Some(&erbest), PortState::Listening));
    expect(d, PortState::Passive, Some(DecisionCode::P2), FsmEvent::RsPassive);
    // Our port identity below the sender: plainly better, so master.
    let erbest = heard(1, 100, 2, pid(0x60, 1), 2);
    let d = decide(&input(&me, Some(&ebest), false, Some(&erbest), PortState::Listening));
    expect(d, PortState::Master, Some(DecisionCode::M3), FsmEvent::RsMaster);
}

// ---- slaveOnly, serverOnly, BMCA noop ----

#[test]
fn slave_only_warns_on_grand_master_recommendation() {
    let me = d0(255, 255);
    let mut i = input(&me, None, false, None, PortState::Listening);
    i.slave_only = true;
    // LISTENING without Erbest: no decision, no warning.
    assert!(!decide(&i).warn_master_in_slave_only);
    i.state = PortState::Uncalibrated;
    let d = decide(&i);
    expect(d, PortState::GrandMaster, Some(DecisionCode::M2), FsmEvent::RsGrandMaster);
    assert!(d.warn_master_in_slave_only);
    // The slave-only state machine does not follow it.
    assert_eq!(ptp_slave_fsm(PortState::Uncalibrated, d.event, false), PortState::Listening);
    assert!(PortFsm::warns_master_in_slave_only(true, FsmEvent::RsGrandMaster));
    assert!(!PortFsm::warns_master_in_slave_only(true, FsmEvent::RsMaster));
    assert!(!PortFsm::warns_master_in_slave_only(false, FsmEvent::RsGrandMaster));
}

#[test]
fn server_only_port_is_never_slave() {
    let me = d0(248, 128);
    let better = heard(1, 100, 0, pid(1, 1), 1);
    let mut i = input(&me, Some(&better), true, Some(&better), PortState::Listening);
    i.master_only = true;
    // Treated as no Erbest: LISTENING stays, otherwise M3.
    expect(decide(&i), PortState::Listening, None, FsmEvent::None);
    i.state = PortState::Master;
    expect(decide(&i), PortState::Master, Some(DecisionCode::M3), FsmEvent::RsMaster);
}

#[test]
fn bmca_noop_without_erbest_keeps_the_state() {
    let me = d0(248, 128);
    let better = heard(1, 100, 0, pid(1, 1), 2);
    let mut i = input(&me, Some(&better), false, None, PortState::Slave);
    i.bmca = Bmca::Noop;
    expect(decide(&i), PortState::Slave, None, FsmEvent::RsSlave);
    i.state = PortState::Master;
    expect(decide(&i), PortState::Master, None, FsmEvent::RsMaster);
    i.state = PortState::Faulty;
    expect(decide(&i), PortState::Faulty, None, FsmEvent::FaultDetected);
    // With an Erbest the algorithm runs as usual.
    i.state = PortState::Slave;
    i.erbest = Some(&better);
    i.ebest_on_this_port = true;
    expect(decide(&i), PortState::Slave, Some(DecisionCode::S1), FsmEvent::RsSlave);
}

#[test]
fn events_for_recommendations() {
    use FsmEvent as E;
    use PortState as S;
    let table = [
        (S::Listening, E::None),
        (S::GrandMaster, E::RsGrandMaster),
        (S::Master, E::RsMaster),
        (S::Passive, E::RsPassive),
        (S::Slave, E::RsSlave),
        (S::Initializing, E::FaultDetected),
        (S::Faulty, E::FaultDetected),
        (S::Disabled, E::FaultDetected),
        (S::PreMaster, E::FaultDetected),
        (S::Uncalibrated, E::FaultDetected),
    ];
    for (state, event) in table {
        assert_eq!(event_for_recommendation(state), event, "{state}");
    }
}

// ---- Ebest and the best master ----

#[test]
fn ebest_is_the_best_erbest_and_ties_keep_the_first_port() {
    let a = heard(2, 128, 0, pid(2, 1), 1);
    let b = heard(1, 128, 0, pid(1, 1), 2);
    let c = heard(1, 128, 0, pid(1, 1), 3);
    let best = select_ebest(IEEE, [(1u16, Some(&a)), (2, None), (3, Some(&b)), (4, Some(&c))]);
    // b and c: the same Announce on ports 3 and 4; the lower receiving port is better by
    // topology, so port 3 stays.
    assert_eq!(best.map(|(p, _)| p), Some(3));
    // Exact ties (error-2) keep the first.
    let best = select_ebest(IEEE, [(7u16, Some(&b)), (8, Some(&b))]);
    assert_eq!(best.map(|(p, _)| p), Some(7));
    assert!(select_ebest(IEEE, [(1u16, None), (2, None)]).is_none());
    assert!(select_ebest::<u16>(IEEE, []).is_none());
}

#[test]
fn best_master_change_detection() {
    let ds = heard(1, 128, 0, pid(1, 1), 1);
    let local = BestMaster::new(None, cid(ME));
    assert!(local.is_local(cid(ME)));
    assert_eq!(local.identity, cid(ME));
    let remote = BestMaster::new(Some((1, &ds)), cid(ME));
    assert!(!remote.is_local(cid(ME)));
    assert_eq!(remote.identity, cid(1));
    assert!(remote.changed_from(&local));
    assert!(!remote.changed_from(&BestMaster::new(Some((1, &ds)), cid(ME))));
    // The same grandmaster through another port or sender is a new best master.
    assert!(remote.changed_from(&BestMaster::new(Some((2, &ds)), cid(ME))));
    let other_sender = ComparisonDataset { sender: pid(7, 1), ..ds };
    assert!(remote.changed_from(&BestMaster::new(Some((1, &other_sender)), cid(ME))));
}

// ---- a boundary clock end to end ----

fn announce(gm: u8, sender: PortIdentity, steps: u16, at_s: i64) -> ReceivedAnnounce {
    let mut h = Header::new(MessageType::Announce);
    h.source_port_identity = sender;
    h.log_message_interval = 1;
    let a = Announce {
        grandmaster_priority1: 128,
        grandmaster_identity: cid(gm),
        grandmaster_clock_quality: quality(6),
        grandmaster_priority2: 128,
        steps_removed: steps,
        ..Announce::default()
    };
    ReceivedAnnounce::new(h, a, Instant::from_secs(at_s))
}

#[test]
fn boundary_clock_with_two_ports() {
    let me = d0(248, 128);
    let mut ports: Vec<ForeignMasters> =
        (1..=3).map(|n| ForeignMasters::new(ForeignMasterSettings::new(pid(ME, n)))).collect();
    let mut states = [PortState::Listening; 3];
    // Port 1 hears the grandmaster directly; port 2 hears it through another boundary clock
    // (one step more, sender 0x60 above our identity 0x50); port 3 hears nothing.
    for t in [0, 2, 4] {
        if let Some(p) = ports.get_mut(0) {
            p.process_announce(states[0], announce(1, pid(1, 1), 0, t));
        }
        if let Some(p) = ports.get_mut(1) {
            p.process_announce(states[1], announce(1, pid(0x60, 3), 1, t));
        }
    }
    let now = Instant::from_secs(4);
    let erbests: Vec<Option<ComparisonDataset>> =
        ports.iter_mut().map(|p| p.compute_best(now, IEEE).and_then(|r| r.dataset()).copied()).collect();
    let ebest = select_ebest(IEEE, (1u16..).zip(erbests.iter().map(Option::as_ref)));
    assert_eq!(ebest.map(|(p, ds)| (p, ds.grandmaster_identity)), Some((1, cid(1))));
    assert!(BestMaster::new(ebest, cid(ME)).changed_from(&BestMaster::new(None, cid(ME))));

    let mut decisions = Vec::new();
    for (i, n) in (1u16..=3).enumerate() {
        let d = decide(&StateDecisionInput {
            d0: &me,
            ebest: ebest.map(|(_, ds)| ds),
            ebest_on_this_port: ebest.is_some_and(|(p, _)| p == n),
            erbest: erbests.get(i).and_then(Option::as_ref),
            state: states[i],
            bmca: Bmca::Ptp,
            slave_only: false,
            master_only: false,
        });
        decisions.push((d.code, d.event));
        states[i] = ptp_fsm(states[i], d.event, true);
    }
    assert_eq!(
        decisions,
        [
            (Some(DecisionCode::S1), FsmEvent::RsSlave),
            // Port 2: B's receiver (us, 0x50) is below its sender (0x60): Ebest is plainly
            // better, so M3.
            (Some(DecisionCode::M3), FsmEvent::RsMaster),
            (None, FsmEvent::None),
        ]
    );
    assert_eq!(states, [PortState::Uncalibrated, PortState::PreMaster, PortState::Listening]);
}

// ---- properties ----

fn arb_dataset() -> impl Strategy<Value = ComparisonDataset> {
    (
        0u8..4,
        prop_oneof![Just(128u8), any::<u8>()],
        prop_oneof![Just(6u8), Just(248u8), any::<u8>()],
        0u16..4,
        0u8..4,
        0u16..3,
        0u16..4,
    )
        .prop_map(|(gm, p1, class, steps, s, sp, rp)| ComparisonDataset {
            grandmaster_priority1: p1,
            grandmaster_identity: cid(gm),
            grandmaster_clock_quality: quality(class),
            grandmaster_priority2: 128,
            local_priority: 128,
            steps_removed: steps,
            sender: pid(s, sp),
            receiver: pid(ME, rp),
        })
}

fn arb_state() -> impl Strategy<Value = PortState> {
    prop_oneof![
        Just(PortState::Initializing),
        Just(PortState::Faulty),
        Just(PortState::Disabled),
        Just(PortState::Listening),
        Just(PortState::PreMaster),
        Just(PortState::Master),
        Just(PortState::GrandMaster),
        Just(PortState::Passive),
        Just(PortState::Uncalibrated),
        Just(PortState::Slave),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn decisions_are_consistent(
        g8275 in any::<bool>(),
        own in arb_dataset(),
        ebest in proptest::option::of(arb_dataset()),
        erbest in proptest::option::of(arb_dataset()),
        on_this_port in any::<bool>(),
        state in arb_state(),
        noop in any::<bool>(),
        slave_only in any::<bool>(),
        master_only in any::<bool>(),
    ) {
        let cmp = if g8275 { Comparator::G8275x } else { IEEE };
        let d0 = ComparisonDataset { sender: pid(ME, 0), receiver: pid(ME, 0), steps_removed: 0, ..own };
        let i = StateDecisionInput {
            d0: &d0,
            ebest: ebest.as_ref(),
            ebest_on_this_port: on_this_port,
            erbest: erbest.as_ref(),
            state,
            bmca: if noop { Bmca::Noop } else { Bmca::Ptp },
            slave_only,
            master_only,
        };
        let d = state_decision(cmp, &i);
        prop_assert_eq!(d.event, event_for_recommendation(d.state));
        prop_assert_eq!(d.warn_master_in_slave_only, slave_only && d.event == FsmEvent::RsGrandMaster);
        // serverOnly: never S1 (with BMCA noop a port keeps whatever state it is in).
        if master_only {
            prop_assert_ne!(d.code, Some(DecisionCode::S1));
            if !noop {
                prop_assert_ne!(d.state, PortState::Slave);
            }
        }
        if d.state == PortState::Slave && d.code.is_some() {
            prop_assert!(on_this_port && erbest.is_some() && !master_only);
        }
        match d.code {
            Some(DecisionCode::M1 | DecisionCode::P1) => prop_assert!(d0.grandmaster_clock_quality.clock_class <= 127),
            Some(_) => prop_assert!(d0.grandmaster_clock_quality.clock_class > 127),
            None => prop_assert!(erbest.is_none() || master_only),
        }
        // A slave-only clock's port never ends up in a master or passive state.
        if slave_only && !noop {
            for from in [PortState::Listening, PortState::Uncalibrated, PortState::Slave] {
                let next = ptp_slave_fsm(from, d.event, true);
                prop_assert!(matches!(next, PortState::Listening | PortState::Uncalibrated | PortState::Slave | PortState::Faulty));
            }
        }
    }
}
