//! The alternate data set comparison of the ITU-T telecom profiles (G.8275.1 6.3 and
//! G.8275.2 6.7, Figure 4 of G.8275.1), as linuxptp runs it (`telecom_dscmp`), selected by
//! `dataset_comparison G.8275.x`.
//!
//! Differences from IEEE 1588-2019 9.3.4: priority1 is not compared (the profiles fix it at
//! 128); localPriority (`G.8275.defaultDS.localPriority` for D0,
//! `G.8275.portDS.localPriority` of the receiving port for an Announce) comes after priority2;
//! and when the grandmasters are equal up to localPriority and their clockClass is 127 or
//! lower (a grandmaster-capable, locked class), the topology decides and the grandmaster
//! identity is never compared.

use core::cmp::Ordering;

use super::dataset_comparison::{
    compare_clock_quality, compare_topology, lower_is_better, ComparisonDataset, ComparisonResult,
};

/// The G.8275.x comparison of data set A with data set B.
pub fn compare_g8275(a: &ComparisonDataset, b: &ComparisonDataset) -> ComparisonResult {
    let attributes = compare_clock_quality(&a.grandmaster_clock_quality, &b.grandmaster_clock_quality)
        .or_else(|| lower_is_better(a.grandmaster_priority2, b.grandmaster_priority2))
        .or_else(|| lower_is_better(a.local_priority, b.local_priority));
    if let Some(result) = attributes {
        return result;
    }
    // Equal clockClass from here on, so the test is the same for A and B.
    if a.grandmaster_clock_quality.clock_class <= 127 {
        return compare_topology(a, b);
    }
    match a.grandmaster_identity.cmp(&b.grandmaster_identity) {
        Ordering::Less => ComparisonResult::ABetter,
        Ordering::Greater => ComparisonResult::BBetter,
        Ordering::Equal => compare_topology(a, b),
    }
}
