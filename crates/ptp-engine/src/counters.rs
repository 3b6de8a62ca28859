//! Per-port message counters (they feed PORT_STATS_NP: rx and tx per messageType) and drop
//! counters per reason.

use ptp_wire::MessageType;

use crate::event::DropReason;

/// linuxptp's `struct stats` of a port: rx and tx counts indexed by messageType (0..15).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortCounters {
    pub rx: [u64; 16],
    pub tx: [u64; 16],
    pub dropped_malformed: u64,
    pub dropped_wrong_domain: u64,
    pub dropped_wrong_sdo: u64,
    pub dropped_own: u64,
    pub dropped_unexpected: u64,
    pub dropped_no_timestamp: u64,
    pub dropped_not_for_us: u64,
    pub dropped_not_from_parent: u64,
}

impl PortCounters {
    pub fn count_rx(&mut self, t: MessageType) {
        if let Some(c) = self.rx.get_mut(usize::from(t as u8)) {
            *c += 1;
        }
    }

    pub fn count_tx(&mut self, t: MessageType) {
        if let Some(c) = self.tx.get_mut(usize::from(t as u8)) {
            *c += 1;
        }
    }

    pub fn count_drop(&mut self, r: &DropReason) {
        let c = match r {
            DropReason::Malformed(_) => &mut self.dropped_malformed,
            DropReason::WrongDomain => &mut self.dropped_wrong_domain,
            DropReason::WrongSdoId => &mut self.dropped_wrong_sdo,
            DropReason::OwnMessage => &mut self.dropped_own,
            DropReason::Unexpected(_) => &mut self.dropped_unexpected,
            DropReason::NoTimestamp(_) => &mut self.dropped_no_timestamp,
            DropReason::NotForUs(_) => &mut self.dropped_not_for_us,
            DropReason::NotFromParent(_) => &mut self.dropped_not_from_parent,
        };
        *c += 1;
    }

    /// All drops.
    pub fn dropped(&self) -> u64 {
        self.dropped_malformed
            + self.dropped_wrong_domain
            + self.dropped_wrong_sdo
            + self.dropped_own
            + self.dropped_unexpected
            + self.dropped_no_timestamp
            + self.dropped_not_for_us
            + self.dropped_not_from_parent
    }
}
