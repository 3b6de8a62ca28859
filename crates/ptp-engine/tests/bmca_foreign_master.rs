//! Foreign master records (IEEE 1588-2019 9.3.2.4, 9.3.2.5) with linuxptp's counting,
//! pruning and Erbest choice (port.c `add_foreign_master`, `fc_prune`, `port_compute_best`).

use proptest::prelude::*;
use ptp_engine::bmca::{
    AnnounceIgnored, AnnounceOutcome, Comparator, ForeignMasterSettings, ForeignMasters, ReceivedAnnounce,
    FOREIGN_MASTER_THRESHOLD, MAX_FOREIGN_MASTERS,
};
use ptp_engine::state::PortState;
use ptp_engine::time::Instant;
use ptp_wire::{Announce, ClockIdentity, Header, Message, MessageBody, MessageType, PortIdentity, Sync};

const IEEE: Comparator = Comparator::Ieee1588;

fn cid(n: u8) -> ClockIdentity {
    ClockIdentity([0x00, 0x1b, 0x21, 0xff, 0xfe, 0x00, 0x00, n])
}

fn pid(n: u8) -> PortIdentity {
    PortIdentity { clock_identity: cid(n), port_number: 1 }
}

fn ms(t: i64) -> Instant {
    Instant::from_nanos(t * 1_000_000)
}

const ME: u8 = 0x50;

fn table() -> ForeignMasters {
    ForeignMasters::new(ForeignMasterSettings::new(PortIdentity { clock_identity: cid(ME), port_number: 1 }))
}

/// An Announce from clock `from` (its own grandmaster, priority1 `p1`), sent every
/// 2^`log` s, received at `at_ms`.
fn announce_full(from: u8, p1: u8, steps: u16, log: i8, at_ms: i64) -> ReceivedAnnounce {
    let mut h = Header::new(MessageType::Announce);
    h.source_port_identity = pid(from);
    h.log_message_interval = log;
    let a = Announce {
        grandmaster_priority1: p1,
        grandmaster_identity: cid(from),
        grandmaster_priority2: 128,
        steps_removed: steps,
        ..Announce::default()
    };
    ReceivedAnnounce::new(h, a, ms(at_ms))
}

/// logAnnounceInterval 0 (1 s): the window is 4 s.
fn announce(from: u8, at_ms: i64) -> ReceivedAnnounce {
    announce_full(from, 128, 0, 0, at_ms)
}

fn recorded(crossed_threshold: bool) -> AnnounceOutcome {
    AnnounceOutcome::Recorded { crossed_threshold, content_changed: false }
}

fn best_sender(fm: &mut ForeignMasters, now_ms: i64) -> Option<PortIdentity> {
    fm.compute_best(ms(now_ms), IEEE).map(|r| r.sender())
}

// ---- qualification ----

#[test]
fn first_announce_makes_a_record_and_is_not_counted() {
    let mut fm = table();
    let out = fm.add(announce(1, 0));
    assert_eq!(out, AnnounceOutcome::NewForeignMaster);
    assert!(out.is_new_foreign_master());
    assert!(!out.state_decision_event());
    let r = fm.record(&pid(1)).expect("record");
    assert_eq!(r.message_count(), 0);
    assert!(r.latest().is_none());
    assert_eq!(best_sender(&mut fm, 0), None);
}

#[test]
fn one_counted_announce_does_not_qualify() {
    let mut fm = table();
    fm.add(announce(1, 0));
    assert_eq!(fm.add(announce(1, 1000)), recorded(false));
    assert!(!fm.any_qualified(ms(1000)));
    assert_eq!(best_sender(&mut fm, 1000), None);
}

#[test]
fn two_counted_announces_within_the_window_qualify() {
    let mut fm = table();
    fm.add(announce(1, 0));
    fm.add(announce(1, 1000));
    let out = fm.add(announce(1, 2000));
    assert_eq!(out, recorded(true));
    assert!(out.state_decision_event());
    assert!(fm.any_qualified(ms(2000)));
    assert_eq!(best_sender(&mut fm, 2000), Some(pid(1)));
    assert_eq!(fm.best().map(|r| r.message_count()), Some(FOREIGN_MASTER_THRESHOLD));
    // Further Announces with the same content ask for no decision.
    assert_eq!(fm.add(announce(1, 3000)), recorded(false));
}

#[test]
fn counted_announces_further_apart_than_the_window_do_not_qualify() {
    let mut fm = table();
    fm.add(announce(1, 0));
    fm.add(announce(1, 1000));
    // 4 s after the first counted one: it is pruned before this one is counted.
    assert_eq!(fm.add(announce(1, 5000)), recorded(false));
    assert_eq!(fm.record(&pid(1)).map(|r| r.message_count()), Some(1));
    assert_eq!(best_sender(&mut fm, 5000), None);
    // Just inside the window.
    assert_eq!(fm.add(announce(1, 8999)), recorded(true));
    assert_eq!(best_sender(&mut fm, 8999), Some(pid(1)));
}

#[test]
fn qualified_record_expires_four_intervals_after_its_older_message() {
    let mut fm = table();
    for t in [0, 1000, 2000] {
        fm.add(announce(1, t));
    }
    assert_eq!(best_sender(&mut fm, 4999), Some(pid(1)));
    // The message of 1000 ms is 4 s old at 5000 ms: gone, the record no longer qualifies.
    assert_eq!(best_sender(&mut fm, 5000), None);
    assert_eq!(fm.record(&pid(1)).map(|r| r.message_count()), Some(1));
    assert_eq!(best_sender(&mut fm, 6000), None);
    assert_eq!(fm.record(&pid(1)).map(|r| r.message_count()), Some(0));
    // The record stays: the next Announce is counted, not "new".
    assert_eq!(fm.add(announce(1, 10_000)), recorded(false));
    assert_eq!(fm.add(announce(1, 11_000)), recorded(true));
    assert_eq!(best_sender(&mut fm, 11_000), Some(pid(1)));
}

#[test]
fn window_follows_each_messages_own_interval() {
    // logMessageInterval -3: 125 ms interval, 500 ms window.
    let mut fm = table();
    fm.add(announce_full(1, 128, 0, -3, 0));
    fm.add(announce_full(1, 128, 0, -3, 125));
    fm.add(announce_full(1, 128, 0, -3, 250));
    assert_eq!(best_sender(&mut fm, 624), Some(pid(1)));
    assert_eq!(best_sender(&mut fm, 625), None);
    // logMessageInterval 3: 8 s interval, 32 s window.
    let mut fm = table();
    fm.add(announce_full(1, 128, 0, 3, 0));
    fm.add(announce_full(1, 128, 0, 3, 8000));
    fm.add(announce_full(1, 128, 0, 3, 16_000));
    assert_eq!(best_sender(&mut fm, 39_999), Some(pid(1)));
    assert_eq!(best_sender(&mut fm, 40_000), None);
}

#[test]
fn a_record_keeps_at_most_the_threshold_after_pruning() {
    let mut fm = table();
    for t in 0..10 {
        fm.add(announce(1, t * 100));
        let held = fm.record(&pid(1)).map_or(0, |r| r.message_count());
        assert!(held <= FOREIGN_MASTER_THRESHOLD + 1);
    }
    fm.compute_best(ms(1000), IEEE);
    let r = fm.record(&pid(1)).expect("record");
    assert_eq!(r.message_count(), FOREIGN_MASTER_THRESHOLD);
    // Newest first.
    let times: Vec<i64> = r.messages().map(|m| m.received.as_nanos() / 1_000_000).collect();
    assert_eq!(times, [900, 800]);
    assert_eq!(r.latest().map(|m| m.received), Some(ms(900)));
}

#[test]
fn changed_content_asks_for_a_state_decision() {
    let mut fm = table();
    fm.add(announce(1, 0));
    fm.add(announce(1, 1000));
    fm.add(announce(1, 2000));
    // stepsRemoved changes.
    let out = fm.add(announce_full(1, 128, 1, 0, 3000));
    assert_eq!(out, AnnounceOutcome::Recorded { crossed_threshold: false, content_changed: true });
    assert!(out.state_decision_event());
    // priority1 changes.
    let out = fm.add(announce_full(1, 100, 1, 0, 4000));
    assert!(out.state_decision_event());
    // Only fields outside the comparison change (currentUtcOffset, timeSource): no decision.
    let mut m = announce_full(1, 100, 1, 0, 5000);
    m.announce.current_utc_offset = 99;
    m.announce.time_source = ptp_wire::TimeSource::GNSS;
    assert_eq!(fm.add(m), recorded(false));
}

// ---- process_announce: filters and port states ----

#[test]
fn max_steps_removed_filters() {
    let mut settings = ForeignMasterSettings::new(PortIdentity { clock_identity: cid(ME), port_number: 1 });
    settings.max_steps_removed = 4;
    let mut fm = ForeignMasters::new(settings);
    assert_eq!(
        fm.process_announce(PortState::Listening, announce_full(1, 128, 4, 0, 0)),
        AnnounceOutcome::Ignored(AnnounceIgnored::StepsRemoved)
    );
    assert_eq!(
        fm.process_announce(PortState::Listening, announce_full(1, 128, 3, 0, 0)),
        AnnounceOutcome::NewForeignMaster
    );
    // Default 255: stepsRemoved 255 and above are dropped.
    let mut fm = table();
    assert_eq!(
        fm.process_announce(PortState::Listening, announce_full(1, 128, 255, 0, 0)),
        AnnounceOutcome::Ignored(AnnounceIgnored::StepsRemoved)
    );
    assert_eq!(
        fm.process_announce(PortState::Listening, announce_full(1, 128, 254, 0, 0)),
        AnnounceOutcome::NewForeignMaster
    );
}

#[test]
fn clock_class_threshold_filters() {
    let mut fm = table();
    let mut m = announce(1, 0);
    m.announce.grandmaster_clock_quality.clock_class = 249;
    assert_eq!(
        fm.process_announce(PortState::Listening, m),
        AnnounceOutcome::Ignored(AnnounceIgnored::ClockClassAboveThreshold)
    );
    m.announce.grandmaster_clock_quality.clock_class = 248;
    assert_eq!(fm.process_announce(PortState::Listening, m), AnnounceOutcome::NewForeignMaster);
}

#[test]
fn disabled_states_ignore_announces() {
    for state in [PortState::Initializing, PortState::Faulty, PortState::Disabled] {
        let mut fm = table();
        assert_eq!(
            fm.process_announce(state, announce(1, 0)),
            AnnounceOutcome::Ignored(AnnounceIgnored::PortState(state))
        );
        assert_eq!(fm.records().count(), 0);
    }
}

#[test]
fn every_running_state_records_announces() {
    for state in [
        PortState::Listening,
        PortState::PreMaster,
        PortState::Master,
        PortState::GrandMaster,
        PortState::Passive,
        PortState::Uncalibrated,
        PortState::Slave,
    ] {
        let mut fm = table();
        assert_eq!(fm.process_announce(state, announce(1, 0)), AnnounceOutcome::NewForeignMaster, "{state}");
        assert_eq!(fm.process_announce(state, announce(1, 1000)), recorded(false), "{state}");
        assert_eq!(fm.process_announce(state, announce(1, 2000)), recorded(true), "{state}");
    }
}

#[test]
fn announces_from_erbest_update_the_current_master() {
    let mut fm = table();
    for t in [0, 1000, 2000] {
        fm.process_announce(PortState::Listening, announce(1, t));
    }
    assert_eq!(best_sender(&mut fm, 2000), Some(pid(1)));
    for state in [PortState::Passive, PortState::Uncalibrated, PortState::Slave] {
        let out = fm.process_announce(state, announce(1, 3000));
        assert_eq!(out, AnnounceOutcome::FromCurrentMaster { content_changed: false });
        assert!(!out.state_decision_event());
    }
    let out = fm.process_announce(PortState::Slave, announce_full(1, 128, 1, 0, 4000));
    assert_eq!(out, AnnounceOutcome::FromCurrentMaster { content_changed: true });
    assert!(out.state_decision_event());
    // Another sender in SLAVE goes through the normal path.
    assert_eq!(fm.process_announce(PortState::Slave, announce(2, 4000)), AnnounceOutcome::NewForeignMaster);
    // In MASTER the current master's Announces are plain records again.
    assert_eq!(fm.process_announce(PortState::Master, announce_full(1, 128, 1, 0, 5000)), recorded(false));
}

#[test]
fn from_message() {
    let mut h = Header::new(MessageType::Announce);
    h.source_port_identity = pid(3);
    let m = Message { header: h, body: MessageBody::Announce(Announce::default()), tlvs: Vec::new() };
    let r = ReceivedAnnounce::from_message(&m, ms(5)).expect("announce");
    assert_eq!((r.sender(), r.received), (pid(3), ms(5)));
    let s =
        Message { header: Header::new(MessageType::Sync), body: MessageBody::Sync(Sync::default()), tlvs: Vec::new() };
    assert!(ReceivedAnnounce::from_message(&s, ms(5)).is_none());
}

// ---- Erbest ----

fn qualify(fm: &mut ForeignMasters, from: u8, p1: u8, start_ms: i64) {
    for k in 0..3 {
        fm.add(announce_full(from, p1, 0, 0, start_ms + k * 100));
    }
}

#[test]
fn erbest_is_the_best_qualified_record() {
    let mut fm = table();
    qualify(&mut fm, 3, 128, 0);
    qualify(&mut fm, 2, 100, 0);
    qualify(&mut fm, 1, 128, 0);
    // Unqualified but better: not a candidate.
    fm.add(announce_full(4, 1, 0, 0, 0));
    fm.add(announce_full(4, 1, 0, 0, 100));
    let best = fm.compute_best(ms(300), IEEE).expect("best");
    assert_eq!(best.sender(), pid(2));
    let ds = fm.best_dataset().copied().expect("dataset");
    assert_eq!(ds.grandmaster_priority1, 100);
    assert_eq!(ds.sender, pid(2));
    assert_eq!(ds.receiver, PortIdentity { clock_identity: cid(ME), port_number: 1 });
    assert_eq!(ds.local_priority, 128);
}

#[test]
fn records_that_lose_to_an_earlier_best_are_cleared() {
    // Records are visited newest-created first. Created 1 (worse), then 2 (better): 2 is seen
    // first and stays best, 1 loses and is cleared.
    let mut fm = table();
    qualify(&mut fm, 1, 200, 0);
    qualify(&mut fm, 2, 100, 0);
    assert_eq!(best_sender(&mut fm, 300), Some(pid(2)));
    assert_eq!(fm.record(&pid(1)).map(|r| r.message_count()), Some(0));
    assert_eq!(fm.record(&pid(2)).map(|r| r.message_count()), Some(2));

    // Created 2 (better), then 1 (worse): 1 is seen first and replaced, so it keeps its
    // messages.
    let mut fm = table();
    qualify(&mut fm, 2, 100, 0);
    qualify(&mut fm, 1, 200, 0);
    assert_eq!(best_sender(&mut fm, 300), Some(pid(2)));
    assert_eq!(fm.record(&pid(1)).map(|r| r.message_count()), Some(2));
}

#[test]
fn g8275_local_priority_of_the_port_goes_into_the_datasets() {
    let mut settings = ForeignMasterSettings::new(PortIdentity { clock_identity: cid(ME), port_number: 2 });
    settings.local_priority = 7;
    let mut fm = ForeignMasters::new(settings);
    qualify(&mut fm, 1, 128, 0);
    fm.compute_best(ms(300), Comparator::G8275x);
    let ds = fm.best_dataset().copied().expect("dataset");
    assert_eq!(ds.local_priority, 7);
    assert_eq!(ds.receiver.port_number, 2);
}

#[test]
fn server_only_port_has_no_erbest() {
    let mut settings = ForeignMasterSettings::new(PortIdentity { clock_identity: cid(ME), port_number: 1 });
    settings.master_only = true;
    let mut fm = ForeignMasters::new(settings);
    qualify(&mut fm, 1, 128, 0);
    assert!(fm.any_qualified(ms(300)));
    assert!(fm.compute_best(ms(300), IEEE).is_none());
    assert!(fm.best_dataset().is_none());
}

#[test]
fn clear_best_on_announce_timeout() {
    let mut fm = table();
    qualify(&mut fm, 1, 128, 0);
    qualify(&mut fm, 2, 200, 1000);
    assert_eq!(best_sender(&mut fm, 1200), Some(pid(1)));
    fm.clear_best();
    // Still Erbest until the next decision, but empty.
    assert_eq!(fm.best().map(|r| (r.sender(), r.message_count())), Some((pid(1), 0)));
    // The next decision falls back to the other record (it was visited first and replaced,
    // so it kept its messages).
    assert_eq!(best_sender(&mut fm, 1300), Some(pid(2)));
    fm.clear_best();
    assert_eq!(best_sender(&mut fm, 1300), None);
    // The records stay; two more Announces qualify again.
    fm.add(announce_full(2, 200, 0, 0, 2000));
    assert_eq!(best_sender(&mut fm, 2000), None);
    fm.add(announce_full(2, 200, 0, 0, 2100));
    assert_eq!(best_sender(&mut fm, 2100), Some(pid(2)));
}

#[test]
fn clear_forgets_everything() {
    let mut fm = table();
    qualify(&mut fm, 1, 128, 0);
    fm.compute_best(ms(300), IEEE);
    fm.clear();
    assert!(fm.best().is_none());
    assert_eq!(fm.records().count(), 0);
    assert_eq!(fm.add(announce(1, 400)), AnnounceOutcome::NewForeignMaster);
}

#[test]
fn full_table_reuses_empty_records() {
    let mut fm = table();
    for n in 0..MAX_FOREIGN_MASTERS {
        let mut m = announce(1, 0);
        m.header.source_port_identity.port_number = u16::try_from(n).unwrap_or(u16::MAX);
        assert_eq!(fm.add(m), AnnounceOutcome::NewForeignMaster);
    }
    assert_eq!(fm.records().count(), MAX_FOREIGN_MASTERS);
    // Every record is empty: the oldest (port 0) makes room.
    assert_eq!(fm.add(announce(2, 0)), AnnounceOutcome::NewForeignMaster);
    assert_eq!(fm.records().count(), MAX_FOREIGN_MASTERS);
    assert!(fm.record(&PortIdentity { clock_identity: cid(1), port_number: 0 }).is_none());
    assert!(fm.record(&pid(2)).is_some());
}

// ---- properties ----

#[derive(Clone, Debug)]
enum Op {
    Announce { state: u8, from: u8, p1: u8, steps: u16, log: i8, dt_ms: i64 },
    ComputeBest { dt_ms: i64, g8275: bool },
    ClearBest,
    Clear,
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0u8..10, 0u8..5, prop_oneof![Just(128u8), any::<u8>()], prop_oneof![0u16..3, any::<u16>()],
              prop_oneof![-3i8..3, any::<i8>()], 0i64..3000)
            .prop_map(|(state, from, p1, steps, log, dt_ms)| Op::Announce { state, from, p1, steps, log, dt_ms }),
        3 => (0i64..5000, any::<bool>()).prop_map(|(dt_ms, g8275)| Op::ComputeBest { dt_ms, g8275 }),
        1 => Just(Op::ClearBest),
        1 => Just(Op::Clear),
    ]
}

const STATES: [PortState; 10] = [
    PortState::Initializing,
    PortState::Faulty,
    PortState::Disabled,
    PortState::Listening,
    PortState::PreMaster,
    PortState::Master,
    PortState::GrandMaster,
    PortState::Passive,
    PortState::Uncalibrated,
    PortState::Slave,
];

proptest! {
    #[test]
    fn random_sequences_never_panic_and_keep_the_invariants(ops in proptest::collection::vec(arb_op(), 1..200)) {
        let mut fm = table();
        let mut now = 0i64;
        for op in ops {
            match op {
                Op::Announce { state, from, p1, steps, log, dt_ms } => {
                    now += dt_ms;
                    let state = STATES.get(usize::from(state)).copied().unwrap_or(PortState::Listening);
                    let out = fm.process_announce(state, announce_full(from, p1, steps, log, now));
                    if out.is_new_foreign_master() {
                        prop_assert_eq!(fm.record(&pid(from)).map(|r| r.message_count()), Some(0));
                    }
                }
                Op::ComputeBest { dt_ms, g8275 } => {
                    now += dt_ms;
                    let cmp = if g8275 { Comparator::G8275x } else { IEEE };
                    let qualified_before: Vec<PortIdentity> =
                        fm.records().filter(|r| r.is_qualified(ms(now))).map(|r| r.sender()).collect();
                    let best = fm.compute_best(ms(now), cmp).map(|r| r.sender());
                    prop_assert_eq!(best.is_some(), !qualified_before.is_empty());
                    if let Some(b) = best {
                        prop_assert!(qualified_before.contains(&b));
                        prop_assert!(fm.best_dataset().is_some());
                    }
                    for r in fm.records() {
                        prop_assert!(r.message_count() <= FOREIGN_MASTER_THRESHOLD);
                    }
                }
                Op::ClearBest => fm.clear_best(),
                Op::Clear => fm.clear(),
            }
            prop_assert!(fm.records().count() <= MAX_FOREIGN_MASTERS);
            for r in fm.records() {
                prop_assert!(r.message_count() <= FOREIGN_MASTER_THRESHOLD + 1);
            }
        }
    }
}
