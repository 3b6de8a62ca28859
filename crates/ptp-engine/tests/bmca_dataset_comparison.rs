//! The data set comparison (IEEE 1588-2019 9.3.4, Figures 34 and 35) and the G.8275.x
//! alternate (linuxptp `dscmp`, `dscmp2`, `telecom_dscmp`): one case per branch, then
//! properties over random data sets.

use proptest::prelude::*;
use ptp_engine::bmca::{Comparator, ComparisonDataset, ComparisonResult};
use ptp_engine::datasets::DefaultDs;
use ptp_wire::{Announce, ClockAccuracy, ClockIdentity, ClockQuality, Header, MessageType, PortIdentity};

use ComparisonResult::{ABetter, ABetterByTopology, BBetter, BBetterByTopology, Equal, Error1, Error2};

const IEEE: Comparator = Comparator::Ieee1588;
const G8275: Comparator = Comparator::G8275x;

fn cid(n: u8) -> ClockIdentity {
    ClockIdentity([0x00, 0x1b, 0x21, 0xff, 0xfe, 0x00, 0x00, n])
}

fn pid(n: u8, port: u16) -> PortIdentity {
    PortIdentity { clock_identity: cid(n), port_number: port }
}

/// A data set for grandmaster `gm`, received on port 1 of clock 0x50 from clock `gm`.
fn ds(gm: u8) -> ComparisonDataset {
    ComparisonDataset {
        grandmaster_priority1: 128,
        grandmaster_identity: cid(gm),
        grandmaster_clock_quality: ClockQuality {
            clock_class: 248,
            clock_accuracy: ClockAccuracy::UNKNOWN,
            offset_scaled_log_variance: 0xffff,
        },
        grandmaster_priority2: 128,
        local_priority: 128,
        steps_removed: 0,
        sender: pid(gm, 1),
        receiver: pid(0x50, 1),
    }
}

/// Check `cmp(a, b) == expected` and the mirror `cmp(b, a) == expected.reverse()`.
#[track_caller]
fn check(cmp: Comparator, a: &ComparisonDataset, b: &ComparisonDataset, expected: ComparisonResult) {
    assert_eq!(cmp.compare(a, b), expected, "compare(a, b)");
    assert_eq!(cmp.compare(b, a), expected.reverse(), "compare(b, a)");
}

// ---- building data sets ----

#[test]
fn from_announce_takes_the_grandmaster_fields_and_both_identities() {
    let mut h = Header::new(MessageType::Announce);
    h.source_port_identity = pid(7, 3);
    let a = Announce {
        grandmaster_priority1: 1,
        grandmaster_clock_quality: ClockQuality {
            clock_class: 6,
            clock_accuracy: ClockAccuracy::NS_100,
            offset_scaled_log_variance: 0x4e5d,
        },
        grandmaster_priority2: 2,
        grandmaster_identity: cid(9),
        steps_removed: 4,
        ..Announce::default()
    };
    let d = ComparisonDataset::from_announce(&h, &a, pid(0x50, 2), 77);
    assert_eq!(d.grandmaster_priority1, 1);
    assert_eq!(d.grandmaster_clock_quality, a.grandmaster_clock_quality);
    assert_eq!(d.grandmaster_priority2, 2);
    assert_eq!(d.grandmaster_identity, cid(9));
    assert_eq!(d.steps_removed, 4);
    assert_eq!(d.sender, pid(7, 3));
    assert_eq!(d.receiver, pid(0x50, 2));
    assert_eq!(d.local_priority, 77);
}

#[test]
fn d0_from_default_ds() {
    let dds = DefaultDs {
        priority1: 100,
        priority2: 101,
        clock_identity: cid(0x50),
        clock_quality: ClockQuality {
            clock_class: 6,
            clock_accuracy: ClockAccuracy::NS_25,
            offset_scaled_log_variance: 1,
        },
        local_priority: 9,
        ..DefaultDs::default()
    };
    let d0 = ComparisonDataset::from_default_ds(&dds);
    assert_eq!(d0.grandmaster_identity, cid(0x50));
    assert_eq!((d0.grandmaster_priority1, d0.grandmaster_priority2, d0.local_priority), (100, 101, 9));
    assert_eq!(d0.grandmaster_clock_quality, dds.clock_quality);
    assert_eq!((d0.sender, d0.receiver, d0.steps_removed), (pid(0x50, 0), pid(0x50, 0), 0));
}

// ---- Figure 34: different grandmasters ----

#[test]
fn priority1_first() {
    let mut a = ds(2);
    let b = ds(1);
    a.grandmaster_priority1 = 127;
    // Everything after priority1 favours B.
    a.grandmaster_clock_quality.clock_class = 255;
    a.grandmaster_priority2 = 255;
    check(IEEE, &a, &b, ABetter);
}

#[test]
fn clock_class_after_priority1() {
    let mut a = ds(2);
    let b = ds(1);
    a.grandmaster_clock_quality.clock_class = 6;
    a.grandmaster_clock_quality.clock_accuracy = ClockAccuracy(0xfe);
    check(IEEE, &a, &b, ABetter);
    a.grandmaster_clock_quality.clock_class = 249;
    check(IEEE, &a, &b, BBetter);
}

#[test]
fn clock_accuracy_after_class() {
    let mut a = ds(2);
    let b = ds(1);
    a.grandmaster_clock_quality.clock_accuracy = ClockAccuracy::NS_100;
    a.grandmaster_clock_quality.offset_scaled_log_variance = 0xffff;
    check(IEEE, &a, &b, ABetter);
}

#[test]
fn variance_after_accuracy() {
    let mut a = ds(2);
    let b = ds(1);
    a.grandmaster_clock_quality.offset_scaled_log_variance = 0x4000;
    a.grandmaster_priority2 = 200;
    check(IEEE, &a, &b, ABetter);
}

#[test]
fn priority2_after_quality() {
    let mut a = ds(2);
    let b = ds(1);
    a.grandmaster_priority2 = 127;
    check(IEEE, &a, &b, ABetter);
}

#[test]
fn identity_breaks_the_tie() {
    // All attributes equal: the lower grandmaster identity wins, plainly (not by topology),
    // whatever the steps and identities of sender and receiver.
    let mut a = ds(1);
    let b = ds(2);
    a.steps_removed = 10;
    check(IEEE, &a, &b, ABetter);
}

#[test]
fn ieee1588_ignores_local_priority() {
    let mut a = ds(2);
    let b = ds(1);
    a.local_priority = 1;
    check(IEEE, &a, &b, BBetter);
}

// ---- Figure 35: the same grandmaster ----

#[test]
fn steps_removed_differ_by_more_than_one() {
    let mut a = ds(1);
    let mut b = ds(1);
    a.steps_removed = 1;
    b.steps_removed = 3;
    a.sender = pid(9, 1);
    b.sender = pid(2, 1);
    check(IEEE, &a, &b, ABetter);
    // u16 extremes do not overflow.
    a.steps_removed = u16::MAX;
    b.steps_removed = 0;
    check(IEEE, &a, &b, BBetter);
}

#[test]
fn steps_removed_differ_by_one_receiver_below_sender() {
    // B has one step more; B's receiver identity < B's sender identity: A better.
    let a = ComparisonDataset { steps_removed: 1, sender: pid(8, 1), receiver: pid(0x50, 1), ..ds(1) };
    let b = ComparisonDataset { steps_removed: 2, sender: pid(0x60, 1), receiver: pid(0x50, 2), ..ds(1) };
    check(IEEE, &a, &b, ABetter);
}

#[test]
fn steps_removed_differ_by_one_receiver_above_sender() {
    // B's receiver identity > B's sender identity: A better by topology.
    let a = ComparisonDataset { steps_removed: 1, sender: pid(8, 1), receiver: pid(0x50, 1), ..ds(1) };
    let b = ComparisonDataset { steps_removed: 2, sender: pid(0x40, 1), receiver: pid(0x50, 2), ..ds(1) };
    check(IEEE, &a, &b, ABetterByTopology);
}

#[test]
fn steps_removed_differ_by_one_port_numbers_of_one_clock() {
    // Receiver and sender on the same clock: the port numbers decide, as numbers.
    let a = ComparisonDataset { steps_removed: 1, ..ds(1) };
    let b = ComparisonDataset { steps_removed: 2, sender: pid(0x50, 0x0100), receiver: pid(0x50, 0x0002), ..ds(1) };
    check(IEEE, &a, &b, ABetter);
    let b = ComparisonDataset { steps_removed: 2, sender: pid(0x50, 0x0002), receiver: pid(0x50, 0x0100), ..ds(1) };
    check(IEEE, &a, &b, ABetterByTopology);
}

#[test]
fn error_1_receiver_equals_sender() {
    let a = ComparisonDataset { steps_removed: 1, ..ds(1) };
    let b = ComparisonDataset { steps_removed: 2, sender: pid(0x50, 1), receiver: pid(0x50, 1), ..ds(1) };
    check(IEEE, &a, &b, Error1);
    assert_eq!(Error1.linuxptp_value(), 0);
}

#[test]
fn equal_steps_lower_sender_better_by_topology() {
    let a = ComparisonDataset { steps_removed: 1, sender: pid(3, 1), receiver: pid(0x50, 2), ..ds(1) };
    let b = ComparisonDataset { steps_removed: 1, sender: pid(4, 1), receiver: pid(0x50, 1), ..ds(1) };
    check(IEEE, &a, &b, ABetterByTopology);
    // The sender's port number counts after its clock identity.
    let a = ComparisonDataset { sender: pid(3, 0x0100), ..a };
    let b = ComparisonDataset { sender: pid(3, 0x0002), ..b };
    check(IEEE, &a, &b, BBetterByTopology);
}

#[test]
fn equal_steps_same_sender_lower_receiver_port_better_by_topology() {
    // The same Announce received on two ports of this clock.
    let a = ComparisonDataset { steps_removed: 1, sender: pid(3, 1), receiver: pid(0x50, 1), ..ds(1) };
    let b = ComparisonDataset { receiver: pid(0x50, 2), ..a };
    check(IEEE, &a, &b, ABetterByTopology);
}

#[test]
fn error_2_same_sender_same_receiver_port() {
    let a = ComparisonDataset { steps_removed: 1, sender: pid(3, 1), receiver: pid(0x50, 1), ..ds(1) };
    check(IEEE, &a, &a, Error2);
    // Only the receiver's port number is compared, not its clock identity.
    let b = ComparisonDataset { receiver: pid(0x51, 1), ..a };
    check(IEEE, &a, &b, Error2);
}

#[test]
fn d0_against_an_announce_of_itself() {
    // D0 (stepsRemoved 0) against our own grandmaster seen through a loop one step away:
    // B's receiver is our port, its sender another clock.
    let d0 = ComparisonDataset { sender: pid(1, 0), receiver: pid(1, 0), ..ds(1) };
    let looped = ComparisonDataset { steps_removed: 1, sender: pid(2, 1), receiver: pid(1, 1), ..ds(1) };
    check(IEEE, &d0, &looped, ABetter);
}

// ---- optional data sets (linuxptp accepts NULL) ----

#[test]
fn something_beats_nothing() {
    let a = ds(1);
    assert_eq!(IEEE.compare_optional(Some(&a), None), ABetter);
    assert_eq!(IEEE.compare_optional(None, Some(&a)), BBetter);
    assert_eq!(IEEE.compare_optional(None, None), Equal);
    assert_eq!(G8275.compare_optional(Some(&a), None), ABetter);
}

// ---- G.8275.x ----

#[test]
fn g8275_ignores_priority1() {
    let mut a = ds(2);
    let b = ds(1);
    a.grandmaster_priority1 = 0;
    check(G8275, &a, &b, BBetter);
    check(IEEE, &a, &b, ABetter);
}

#[test]
fn g8275_quality_then_priority2_then_local_priority() {
    let b = ds(1);
    let a = ComparisonDataset {
        grandmaster_clock_quality: ClockQuality { clock_class: 6, ..b.grandmaster_clock_quality },
        local_priority: 255,
        ..ds(2)
    };
    check(G8275, &a, &b, ABetter);
    let a = ComparisonDataset {
        grandmaster_clock_quality: ClockQuality {
            clock_accuracy: ClockAccuracy::NS_100,
            ..b.grandmaster_clock_quality
        },
        ..ds(2)
    };
    check(G8275, &a, &b, ABetter);
    let a = ComparisonDataset {
        grandmaster_clock_quality: ClockQuality { offset_scaled_log_variance: 0x100, ..b.grandmaster_clock_quality },
        ..ds(2)
    };
    check(G8275, &a, &b, ABetter);
    let a = ComparisonDataset { grandmaster_priority2: 1, local_priority: 255, ..ds(2) };
    check(G8275, &a, &b, ABetter);
}

#[test]
fn g8275_local_priority_before_identity() {
    let b = ds(1);
    let a = ComparisonDataset { local_priority: 127, ..ds(2) };
    check(G8275, &a, &b, ABetter);
    let a = ComparisonDataset { local_priority: 129, ..ds(0) };
    check(G8275, &a, &b, BBetter);
}

#[test]
fn g8275_class_above_127_identity_then_topology() {
    // Equal attributes, class 248: the lower identity wins.
    check(G8275, &ds(1), &ds(2), ABetter);
    // Same grandmaster: topology.
    let a = ComparisonDataset { steps_removed: 1, ..ds(1) };
    let b = ComparisonDataset { steps_removed: 3, ..ds(1) };
    check(G8275, &a, &b, ABetter);
}

#[test]
fn g8275_class_127_or_lower_topology_without_identity() {
    let locked = |gm: u8, steps: u16, sender: PortIdentity| ComparisonDataset {
        grandmaster_clock_quality: ClockQuality { clock_class: 6, ..ds(gm).grandmaster_clock_quality },
        steps_removed: steps,
        sender,
        ..ds(gm)
    };
    // Two different grandmasters of class 6: fewer steps wins even with the higher identity.
    let a = locked(9, 1, pid(9, 1));
    let b = locked(1, 3, pid(1, 1));
    check(G8275, &a, &b, ABetter);
    check(IEEE, &a, &b, BBetter);
    // Equal steps: the lower sender wins by topology.
    let a = locked(9, 1, pid(4, 1));
    let b = locked(1, 1, pid(5, 1));
    check(G8275, &a, &b, ABetterByTopology);
    // Class 127 is still "locked"; class 128 is not.
    let at = |class: u8| ComparisonDataset {
        grandmaster_clock_quality: ClockQuality { clock_class: class, ..ds(9).grandmaster_clock_quality },
        steps_removed: 1,
        ..ds(9)
    };
    let bt = |class: u8| ComparisonDataset {
        grandmaster_clock_quality: ClockQuality { clock_class: class, ..ds(1).grandmaster_clock_quality },
        steps_removed: 3,
        ..ds(1)
    };
    check(G8275, &at(127), &bt(127), ABetter);
    check(G8275, &at(128), &bt(128), BBetter);
}

#[test]
fn comparator_from_config() {
    use ptp_config::enums::DatasetComparison;
    assert_eq!(Comparator::from(DatasetComparison::Ieee1588), Comparator::Ieee1588);
    assert_eq!(Comparator::from(DatasetComparison::G8275x), Comparator::G8275x);
    assert_eq!(Comparator::default(), Comparator::Ieee1588);
}

// ---- properties ----

fn arb_port_identity() -> impl Strategy<Value = PortIdentity> {
    // Few distinct values so that ties and equal identities are common.
    (0u8..4, 0u16..3).prop_map(|(c, p)| pid(c, p))
}

fn arb_dataset() -> impl Strategy<Value = ComparisonDataset> {
    (
        (prop_oneof![Just(128u8), any::<u8>()], 0u8..4, prop_oneof![Just(6u8), Just(248u8), any::<u8>()]),
        (prop_oneof![Just(0xfeu8), any::<u8>()], prop_oneof![Just(0xffffu16), any::<u16>()]),
        (prop_oneof![Just(128u8), any::<u8>()], prop_oneof![Just(128u8), any::<u8>()]),
        prop_oneof![0u16..4, any::<u16>()],
        arb_port_identity(),
        arb_port_identity(),
    )
        .prop_map(|((p1, gm, class), (acc, var), (p2, lp), steps, sender, receiver)| ComparisonDataset {
            grandmaster_priority1: p1,
            grandmaster_identity: cid(gm),
            grandmaster_clock_quality: ClockQuality {
                clock_class: class,
                clock_accuracy: ClockAccuracy(acc),
                offset_scaled_log_variance: var,
            },
            grandmaster_priority2: p2,
            local_priority: lp,
            steps_removed: steps,
            sender,
            receiver,
        })
}

fn arb_comparator() -> impl Strategy<Value = Comparator> {
    prop_oneof![Just(IEEE), Just(G8275)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn comparison_is_antisymmetric(cmp in arb_comparator(), a in arb_dataset(), b in arb_dataset()) {
        prop_assert_eq!(cmp.compare(&b, &a), cmp.compare(&a, &b).reverse());
        prop_assert_eq!(cmp.compare(&a, &b).linuxptp_value(), -cmp.compare(&b, &a).linuxptp_value());
    }

    #[test]
    fn a_dataset_is_never_better_than_itself(cmp in arb_comparator(), a in arb_dataset()) {
        prop_assert_eq!(cmp.compare(&a, &a), Error2);
    }

    #[test]
    fn topology_results_only_for_the_same_grandmaster_or_locked_g8275(
        cmp in arb_comparator(), a in arb_dataset(), b in arb_dataset()
    ) {
        let r = cmp.compare(&a, &b);
        if matches!(r, ABetterByTopology | BBetterByTopology | Error1 | Error2) {
            let same_gm = a.grandmaster_identity == b.grandmaster_identity;
            let locked = cmp == G8275 && a.grandmaster_clock_quality.clock_class <= 127;
            prop_assert!(same_gm || locked);
        }
    }

    #[test]
    fn optional_comparison_never_panics(
        cmp in arb_comparator(), a in proptest::option::of(arb_dataset()), b in proptest::option::of(arb_dataset())
    ) {
        let r = cmp.compare_optional(a.as_ref(), b.as_ref());
        prop_assert_eq!(cmp.compare_optional(b.as_ref(), a.as_ref()), r.reverse());
    }

    #[test]
    fn different_grandmasters_are_totally_ordered(
        cmp in arb_comparator(), a in arb_dataset(), b in arb_dataset(), c in arb_dataset(), gms in Just([1u8, 2, 3]).prop_shuffle()
    ) {
        // With different grandmasters part 1 is a lexicographic order ending in the identity:
        // never a tie, and transitive. (G.8275.x with a locked class goes by topology, so
        // take it above 127 there.)
        let [ga, gb, gc] = gms;
        let unlock = |mut d: ComparisonDataset, gm: u8| {
            d.grandmaster_identity = cid(gm);
            if cmp == G8275 {
                d.grandmaster_clock_quality.clock_class = d.grandmaster_clock_quality.clock_class.max(128);
            }
            d
        };
        let (a, b, c) = (unlock(a, ga), unlock(b, gb), unlock(c, gc));
        for (x, y) in [(&a, &b), (&b, &c), (&a, &c)] {
            prop_assert!(matches!(cmp.compare(x, y), ABetter | BBetter));
        }
        if cmp.compare(&a, &b) == ABetter && cmp.compare(&b, &c) == ABetter {
            prop_assert_eq!(cmp.compare(&a, &c), ABetter);
        }
    }
}
