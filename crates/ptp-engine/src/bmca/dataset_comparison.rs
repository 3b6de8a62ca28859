//! The data set comparison algorithm (IEEE 1588-2019 9.3.4, Figures 34 and 35), as linuxptp
//! runs it (`dscmp`, `dscmp2`), and the choice between it and the G.8275.x alternate
//! comparison ([`Comparator`], from the `dataset_comparison` key).
//!
//! A comparison looks at two [`ComparisonDataset`]s, called A and B as in the standard, and
//! answers with a [`ComparisonResult`]. Part 1 (Figure 34) compares the grandmasters; when both
//! name the same grandmaster, part 2 (Figure 35) compares the paths to it ("topology").
//!
//! Nothing here can panic: every input is a plain value and every branch returns.

use core::cmp::Ordering;

use ptp_wire::{Announce, ClockIdentity, ClockQuality, Header, PortIdentity};

use crate::datasets::DefaultDs;

/// The values the data set comparison looks at (IEEE 1588-2019 9.3.4; linuxptp
/// `struct dataset`), built from a received Announce
/// ([`ComparisonDataset::from_announce`]) or from this clock's defaultDS
/// ([`ComparisonDataset::from_default_ds`], D0 in 9.3.3).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct ComparisonDataset {
    /// grandmasterPriority1 of the Announce (priority1 for D0).
    pub grandmaster_priority1: u8,
    /// grandmasterIdentity (clockIdentity for D0).
    pub grandmaster_identity: ClockIdentity,
    /// grandmasterClockQuality (clockQuality for D0).
    pub grandmaster_clock_quality: ClockQuality,
    /// grandmasterPriority2 (priority2 for D0).
    pub grandmaster_priority2: u8,
    /// G.8275.x localPriority: `G.8275.portDS.localPriority` of the receiving port for an
    /// Announce, `G.8275.defaultDS.localPriority` for D0. Only the G.8275.x comparison reads
    /// it.
    pub local_priority: u8,
    /// stepsRemoved of the Announce (0 for D0).
    pub steps_removed: u16,
    /// "Identity of sender": the Announce's sourcePortIdentity (clockIdentity and port 0 for
    /// D0).
    pub sender: PortIdentity,
    /// "Identity of receiver": the portIdentity of the port that received the Announce
    /// (clockIdentity and port 0 for D0).
    pub receiver: PortIdentity,
}

impl ComparisonDataset {
    /// The data set of an Announce received on the port `receiver` (linuxptp
    /// `announce_to_dataset`).
    pub fn from_announce(header: &Header, announce: &Announce, receiver: PortIdentity, local_priority: u8) -> Self {
        ComparisonDataset {
            grandmaster_priority1: announce.grandmaster_priority1,
            grandmaster_identity: announce.grandmaster_identity,
            grandmaster_clock_quality: announce.grandmaster_clock_quality,
            grandmaster_priority2: announce.grandmaster_priority2,
            local_priority,
            steps_removed: announce.steps_removed,
            sender: header.source_port_identity,
            receiver,
        }
    }

    /// D0, this clock's own data set (IEEE 1588-2019 9.3.3; linuxptp `clock_default_ds`):
    /// stepsRemoved 0, sender and receiver both the clock identity with port number 0.
    pub fn from_default_ds(ds: &DefaultDs) -> Self {
        let own = PortIdentity { clock_identity: ds.clock_identity, port_number: 0 };
        ComparisonDataset {
            grandmaster_priority1: ds.priority1,
            grandmaster_identity: ds.clock_identity,
            grandmaster_clock_quality: ds.clock_quality,
            grandmaster_priority2: ds.priority2,
            local_priority: ds.local_priority,
            steps_removed: 0,
            sender: own,
            receiver: own,
        }
    }
}

/// The outcome of comparing data set A with data set B (IEEE 1588-2019 Figures 34 and 35).
///
/// linuxptp encodes these as integers (`A_BETTER_TOPO` 2, `A_BETTER` 1, 0, `B_BETTER` -1,
/// `B_BETTER_TOPO` -2); [`ComparisonResult::linuxptp_value`] gives that number. Callers that
/// ask "is A better" mean either kind of better, as linuxptp's `> 0` does.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ComparisonResult {
    /// A is better than B.
    ABetter,
    /// A is better by topology than B: same grandmaster, better path.
    ABetterByTopology,
    /// B is better than A.
    BBetter,
    /// B is better by topology than A.
    BBetterByTopology,
    /// error-1 of Figure 35: the stepsRemoved differ by one and the Announce with more steps
    /// was sent by the port that received it (the message came back to its sender). linuxptp
    /// ignores it ("there is nothing we can do about it") and answers 0.
    Error1,
    /// error-2 of Figure 35: same grandmaster, same stepsRemoved, same sender and same
    /// receiving port number, i.e. the same Announce twice. linuxptp answers 0.
    Error2,
    /// Neither data set exists (linuxptp's `a == b` with both absent).
    Equal,
}

impl ComparisonResult {
    /// A is better, plainly or by topology (linuxptp `> 0`).
    pub const fn is_a_better(self) -> bool {
        matches!(self, ComparisonResult::ABetter | ComparisonResult::ABetterByTopology)
    }

    /// B is better, plainly or by topology (linuxptp `< 0`).
    pub const fn is_b_better(self) -> bool {
        matches!(self, ComparisonResult::BBetter | ComparisonResult::BBetterByTopology)
    }

    /// The same comparison with A and B swapped: compare(b, a) is always
    /// `compare(a, b).reverse()`.
    pub const fn reverse(self) -> Self {
        match self {
            ComparisonResult::ABetter => ComparisonResult::BBetter,
            ComparisonResult::ABetterByTopology => ComparisonResult::BBetterByTopology,
            ComparisonResult::BBetter => ComparisonResult::ABetter,
            ComparisonResult::BBetterByTopology => ComparisonResult::ABetterByTopology,
            other => other,
        }
    }

    /// linuxptp's integer for this result (`A_BETTER_TOPO` 2, `A_BETTER` 1, errors and equal
    /// 0, `B_BETTER` -1, `B_BETTER_TOPO` -2).
    pub const fn linuxptp_value(self) -> i32 {
        match self {
            ComparisonResult::ABetterByTopology => 2,
            ComparisonResult::ABetter => 1,
            ComparisonResult::Error1 | ComparisonResult::Error2 | ComparisonResult::Equal => 0,
            ComparisonResult::BBetter => -1,
            ComparisonResult::BBetterByTopology => -2,
        }
    }
}

/// "A smaller value is better" as a comparison result: `Some` when the values differ.
pub(crate) fn lower_is_better<T: Ord>(a: T, b: T) -> Option<ComparisonResult> {
    match a.cmp(&b) {
        Ordering::Less => Some(ComparisonResult::ABetter),
        Ordering::Greater => Some(ComparisonResult::BBetter),
        Ordering::Equal => None,
    }
}

/// Compare the clockQuality attributes in the standard's order: clockClass, clockAccuracy,
/// offsetScaledLogVariance (each lower is better).
pub(crate) fn compare_clock_quality(a: &ClockQuality, b: &ClockQuality) -> Option<ComparisonResult> {
    lower_is_better(a.clock_class, b.clock_class)
        .or_else(|| lower_is_better(a.clock_accuracy.0, b.clock_accuracy.0))
        .or_else(|| lower_is_better(a.offset_scaled_log_variance, b.offset_scaled_log_variance))
}

/// Order two PortIdentities as linuxptp's `portid_cmp` does: clockIdentity octets first,
/// then the port number as a number.
fn port_identity_order(a: &PortIdentity, b: &PortIdentity) -> Ordering {
    a.clock_identity.cmp(&b.clock_identity).then(a.port_number.cmp(&b.port_number))
}

/// Part 1 of the data set comparison (IEEE 1588-2019 Figure 34; linuxptp `dscmp`): compare
/// the grandmasters, or the topology (part 2) when both name the same grandmaster.
pub fn compare_ieee1588(a: &ComparisonDataset, b: &ComparisonDataset) -> ComparisonResult {
    let identity = a.grandmaster_identity.cmp(&b.grandmaster_identity);
    if identity == Ordering::Equal {
        return compare_topology(a, b);
    }
    lower_is_better(a.grandmaster_priority1, b.grandmaster_priority1)
        .or_else(|| compare_clock_quality(&a.grandmaster_clock_quality, &b.grandmaster_clock_quality))
        .or_else(|| lower_is_better(a.grandmaster_priority2, b.grandmaster_priority2))
        // The tie-breaker: the lower grandmaster identity wins (they differ here).
        .unwrap_or(if identity == Ordering::Less { ComparisonResult::ABetter } else { ComparisonResult::BBetter })
}

/// Part 2 of the data set comparison (IEEE 1588-2019 Figure 35; linuxptp `dscmp2`): A and B
/// name the same grandmaster; compare the paths by stepsRemoved, then by the identities of
/// senders and receivers.
pub fn compare_topology(a: &ComparisonDataset, b: &ComparisonDataset) -> ComparisonResult {
    let steps_a = u32::from(a.steps_removed);
    let steps_b = u32::from(b.steps_removed);

    // stepsRemoved differ by more than one: the shorter path is plainly better.
    if steps_a + 1 < steps_b {
        return ComparisonResult::ABetter;
    }
    if steps_b + 1 < steps_a {
        return ComparisonResult::BBetter;
    }

    // Within one step: look at the data set with more steps. If its receiver identity is
    // lower than its sender identity, the other one is better; if higher, the other one is
    // better by topology; if the same, the Announce came back to its sender (error-1).
    if steps_a < steps_b {
        return match port_identity_order(&b.receiver, &b.sender) {
            Ordering::Less => ComparisonResult::ABetter,
            Ordering::Greater => ComparisonResult::ABetterByTopology,
            Ordering::Equal => ComparisonResult::Error1,
        };
    }
    if steps_a > steps_b {
        return match port_identity_order(&a.receiver, &a.sender) {
            Ordering::Less => ComparisonResult::BBetter,
            Ordering::Greater => ComparisonResult::BBetterByTopology,
            Ordering::Equal => ComparisonResult::Error1,
        };
    }

    // Same number of steps: the lower sender identity, then the lower receiving port number,
    // is better by topology; if both are the same, it is the same Announce twice (error-2).
    match port_identity_order(&a.sender, &b.sender) {
        Ordering::Less => ComparisonResult::ABetterByTopology,
        Ordering::Greater => ComparisonResult::BBetterByTopology,
        Ordering::Equal => match a.receiver.port_number.cmp(&b.receiver.port_number) {
            Ordering::Less => ComparisonResult::ABetterByTopology,
            Ordering::Greater => ComparisonResult::BBetterByTopology,
            Ordering::Equal => ComparisonResult::Error2,
        },
    }
}

/// The data set comparison in use, chosen by the `dataset_comparison` key (linuxptp stores the
/// function in `c->dscmp`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Comparator {
    /// `ieee1588`: IEEE 1588-2019 9.3.4 ([`compare_ieee1588`]).
    #[default]
    Ieee1588,
    /// `G.8275.x`: the telecom profiles' alternate BMCA
    /// ([`super::telecom::compare_g8275`]).
    G8275x,
}

impl From<ptp_config::enums::DatasetComparison> for Comparator {
    fn from(c: ptp_config::enums::DatasetComparison) -> Self {
        match c {
            ptp_config::enums::DatasetComparison::Ieee1588 => Comparator::Ieee1588,
            ptp_config::enums::DatasetComparison::G8275x => Comparator::G8275x,
        }
    }
}

impl Comparator {
    /// Compare data set A with data set B.
    pub fn compare(self, a: &ComparisonDataset, b: &ComparisonDataset) -> ComparisonResult {
        match self {
            Comparator::Ieee1588 => compare_ieee1588(a, b),
            Comparator::G8275x => super::telecom::compare_g8275(a, b),
        }
    }

    /// Compare where either side may be missing, as linuxptp's comparators accept NULL: a
    /// data set is better than none ([`ComparisonResult::ABetter`] /
    /// [`ComparisonResult::BBetter`]); two missing ones are [`ComparisonResult::Equal`].
    pub fn compare_optional(self, a: Option<&ComparisonDataset>, b: Option<&ComparisonDataset>) -> ComparisonResult {
        match (a, b) {
            (Some(a), Some(b)) => self.compare(a, b),
            (Some(_), None) => ComparisonResult::ABetter,
            (None, Some(_)) => ComparisonResult::BBetter,
            (None, None) => ComparisonResult::Equal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ptp_wire::ClockAccuracy;

    fn cid(last: u8) -> ClockIdentity {
        ClockIdentity([0, 0x1b, 0x21, 0xff, 0xfe, 0, 0, last])
    }

    fn pid(last: u8, port: u16) -> PortIdentity {
        PortIdentity { clock_identity: cid(last), port_number: port }
    }

    fn ds() -> ComparisonDataset {
        ComparisonDataset {
            grandmaster_priority1: 128,
            grandmaster_identity: cid(1),
            grandmaster_clock_quality: ClockQuality {
                clock_class: 248,
                clock_accuracy: ClockAccuracy::UNKNOWN,
                offset_scaled_log_variance: 0xffff,
            },
            grandmaster_priority2: 128,
            local_priority: 128,
            steps_removed: 0,
            sender: pid(1, 1),
            receiver: pid(9, 1),
        }
    }

    #[test]
    fn d0_uses_port_zero() {
        let dds = DefaultDs {
            clock_identity: cid(7),
            priority1: 10,
            priority2: 20,
            local_priority: 5,
            ..DefaultDs::default()
        };
        let d0 = ComparisonDataset::from_default_ds(&dds);
        assert_eq!(d0.sender, pid(7, 0));
        assert_eq!(d0.receiver, pid(7, 0));
        assert_eq!((d0.grandmaster_priority1, d0.grandmaster_priority2, d0.local_priority), (10, 20, 5));
        assert_eq!(d0.steps_removed, 0);
    }

    #[test]
    fn priority1_decides_before_quality() {
        let mut a = ds();
        let mut b = ds();
        b.grandmaster_identity = cid(2);
        a.grandmaster_priority1 = 127;
        a.grandmaster_clock_quality.clock_class = 255;
        assert_eq!(compare_ieee1588(&a, &b), ComparisonResult::ABetter);
        assert_eq!(compare_ieee1588(&b, &a), ComparisonResult::BBetter);
    }

    #[test]
    fn identical_datasets_are_error_2() {
        assert_eq!(compare_ieee1588(&ds(), &ds()), ComparisonResult::Error2);
    }

    #[test]
    fn linuxptp_values() {
        assert_eq!(ComparisonResult::ABetterByTopology.linuxptp_value(), 2);
        assert_eq!(ComparisonResult::BBetterByTopology.linuxptp_value(), -2);
        assert_eq!(ComparisonResult::Error1.reverse(), ComparisonResult::Error1);
    }
}
