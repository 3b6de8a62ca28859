//! The clock's side of the BMCA (linuxptp `handle_state_decision_event`,
//! `clock_update_slave`, `clock_update_grandmaster` in clock.c): the foreign master records of
//! every port, Ebest, whether the best master changed, and one recommendation per port.
//!
//! [`ClockBmca`] holds no port state machines and no datasets: the clock passes each port's state
//! in and applies the [`BmcaDecision`] it gets back (dispatch the events, update parentDS,
//! currentDS and timePropertiesDS, reset the servo path when the best master changed).

use ptp_config::enums::Bmca as BmcaMode;
use ptp_wire::PortIdentity;

use super::dataset_comparison::{Comparator, ComparisonDataset};
use super::foreign_master::{
    AnnounceOutcome, ForeignMasterRecord, ForeignMasterSettings, ForeignMasters, ReceivedAnnounce,
};
use super::state_decision::{select_ebest, state_decision, BestMaster, StateDecision, StateDecisionInput};
use crate::datasets::{DefaultDs, ParentDs, TimePropertiesDs};
use crate::event::{Event, PortNumber};
use crate::state::PortState;
use crate::time::Instant;

/// What the state decision needs to know of a port besides its records.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PortStatus {
    pub state: PortState,
    /// The port's `BMCA` setting.
    pub bmca: BmcaMode,
}

/// The parent the clock takes from Ebest when a port is recommended SLAVE (linuxptp
/// `clock_update_slave`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SlaveParent {
    /// parentDS.parentPortIdentity: Ebest's sender.
    pub parent_port_identity: PortIdentity,
    /// The grandmaster fields of Ebest's newest Announce.
    pub grandmaster_identity: ptp_wire::ClockIdentity,
    pub grandmaster_clock_quality: ptp_wire::ClockQuality,
    pub grandmaster_priority1: u8,
    pub grandmaster_priority2: u8,
    /// currentDS.stepsRemoved: one more than Ebest's.
    pub steps_removed: u16,
    /// timePropertiesDS from the newest Announce (currentUtcOffset, the flag octet, timeSource).
    pub time_properties: TimePropertiesDs,
}

impl SlaveParent {
    fn from_record(record: &ForeignMasterRecord, dataset: &ComparisonDataset) -> Option<Self> {
        let m = record.latest()?;
        let a = &m.announce;
        Some(SlaveParent {
            parent_port_identity: dataset.sender,
            grandmaster_identity: a.grandmaster_identity,
            grandmaster_clock_quality: a.grandmaster_clock_quality,
            grandmaster_priority1: a.grandmaster_priority1,
            grandmaster_priority2: a.grandmaster_priority2,
            steps_removed: dataset.steps_removed.saturating_add(1),
            time_properties: m.time_properties(),
        })
    }

    /// `parent` with the fields linuxptp's `clock_update_slave` sets replaced (the observed
    /// parent statistics are kept).
    pub fn parent_ds(&self, parent: &ParentDs) -> ParentDs {
        ParentDs {
            parent_port_identity: self.parent_port_identity,
            grandmaster_identity: self.grandmaster_identity,
            grandmaster_clock_quality: self.grandmaster_clock_quality,
            grandmaster_priority1: self.grandmaster_priority1,
            grandmaster_priority2: self.grandmaster_priority2,
            ..*parent
        }
    }
}

/// How the clock's parentDS, currentDS and timePropertiesDS change after a decision.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParentUpdate {
    /// No port was recommended GRAND_MASTER or SLAVE (all LISTENING, PASSIVE or MASTER):
    /// linuxptp leaves the datasets as they are.
    Unchanged,
    /// A port was recommended GRAND_MASTER (M1, M2): the clock is its own parent (linuxptp
    /// `clock_update_grandmaster`: parent = own identity, port 0; currentDS zeroed; time
    /// properties from the configuration).
    Grandmaster,
    /// The Ebest port was recommended SLAVE (S1).
    Slave(SlaveParent),
}

/// The outcome of one state decision event.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BmcaDecision {
    /// The best master now.
    pub best: BestMaster,
    /// linuxptp's `fresh_best`: the clock resets its frequency estimator and delay
    /// measurement, logs the selection ([`BmcaDecision::selected_event`]) and passes "new master"
    /// (`mdiff`) to every port's state machine.
    pub best_changed: bool,
    /// One recommendation per port, in port order. Dispatch `decision.event` to each port
    /// (nothing for [`FsmEvent::None`](crate::state::FsmEvent::None)),
    /// with `best_changed` as the new-master flag.
    pub recommendations: Vec<(PortNumber, StateDecision)>,
    /// The dataset update that goes with the recommendations.
    pub parent: ParentUpdate,
}

impl BmcaDecision {
    /// `selected local clock %s as best master` or `selected best master clock %s`, when the
    /// best master changed.
    pub fn selected_event(&self, local: ptp_wire::ClockIdentity) -> Option<Event> {
        if !self.best_changed {
            return None;
        }
        let identity = self.best.identity;
        Some(if self.best.is_local(local) {
            Event::SelectedLocalClock { identity }
        } else {
            Event::SelectedBestMaster { identity }
        })
    }
}

/// The BMCA of one clock: every port's foreign master records and the best master.
#[derive(Clone, Debug)]
pub struct ClockBmca {
    comparator: Comparator,
    /// Port n at index n - 1.
    ports: Vec<ForeignMasters>,
    best: BestMaster,
}

impl ClockBmca {
    /// A BMCA for ports 1, 2, ... with these settings.
    pub fn new(comparator: Comparator, ports: impl IntoIterator<Item = ForeignMasterSettings>) -> Self {
        ClockBmca {
            comparator,
            ports: ports.into_iter().map(ForeignMasters::new).collect(),
            // linuxptp starts with a zeroed best_id, so the first decision is always "new".
            best: BestMaster { ebest: None, identity: ptp_wire::ClockIdentity::default() },
        }
    }

    pub fn comparator(&self) -> Comparator {
        self.comparator
    }

    /// The foreign master records of port `port`.
    pub fn port(&self, port: PortNumber) -> Option<&ForeignMasters> {
        self.ports.get(usize::from(port).wrapping_sub(1))
    }

    fn port_mut(&mut self, port: PortNumber) -> Option<&mut ForeignMasters> {
        self.ports.get_mut(usize::from(port).wrapping_sub(1))
    }

    /// An Announce received on `port` in state `state` (linuxptp `process_announce`); `None`
    /// for an unknown port. When [`AnnounceOutcome::state_decision_event`] is true the clock
    /// runs [`ClockBmca::decide`] (linuxptp sets `c->sde`).
    pub fn handle_announce(
        &mut self,
        port: PortNumber,
        state: PortState,
        m: ReceivedAnnounce,
    ) -> Option<AnnounceOutcome> {
        Some(self.port_mut(port)?.process_announce(state, m))
    }

    /// The announce (or sync) receipt timer of `port` expired: forget its Erbest's messages
    /// (linuxptp `bc_event`, `fc_clear(p->best)`). The clock then runs a state decision.
    pub fn announce_receipt_timeout(&mut self, port: PortNumber) {
        if let Some(p) = self.port_mut(port) {
            p.clear_best();
        }
    }

    /// `port` was disabled or re-initialized: forget its records (linuxptp `port_disable`).
    pub fn port_disabled(&mut self, port: PortNumber) {
        if let Some(p) = self.port_mut(port) {
            p.clear();
        }
    }

    /// The best master as of the last decision.
    pub fn best(&self) -> &BestMaster {
        &self.best
    }

    /// The port Ebest was received on (linuxptp `clock_best_port`), if the clock has a
    /// foreign best master.
    pub fn parent_port(&self) -> Option<PortNumber> {
        self.best.ebest.map(|(port, _)| port)
    }

    /// Ebest's record (its newest Announce feeds parentDS and timePropertiesDS).
    pub fn ebest(&self) -> Option<&ForeignMasterRecord> {
        let (port, sender) = self.best.ebest?;
        self.port(port)?.record(&sender)
    }

    /// A state decision event (linuxptp `handle_state_decision_event`) at `now`: Erbest of
    /// every port, Ebest, and the state decision for each port whose status is given
    /// (`ports[i]` is port i + 1).
    pub fn decide(&mut self, default_ds: &DefaultDs, ports: &[PortStatus], now: Instant) -> BmcaDecision {
        let comparator = self.comparator;
        let erbests: Vec<Option<ComparisonDataset>> =
            self.ports.iter_mut().map(|p| p.compute_best(now, comparator).and_then(|r| r.dataset()).copied()).collect();
        let numbered = erbests.iter().enumerate().filter_map(|(i, ds)| Some((u16::try_from(i + 1).ok()?, ds.as_ref())));
        let ebest = select_ebest(comparator, numbered);

        let best = BestMaster::new(ebest, default_ds.clock_identity);
        let best_changed = best.changed_from(&self.best);
        self.best = best;

        let d0 = ComparisonDataset::from_default_ds(default_ds);
        let mut recommendations = Vec::with_capacity(ports.len());
        let mut parent = ParentUpdate::Unchanged;
        for (i, (status, records)) in ports.iter().zip(&self.ports).enumerate() {
            let Ok(number) = u16::try_from(i + 1) else { break };
            let decision = state_decision(
                comparator,
                &StateDecisionInput {
                    d0: &d0,
                    ebest: ebest.map(|(_, ds)| ds),
                    ebest_on_this_port: ebest.is_some_and(|(p, _)| p == number),
                    erbest: erbests.get(i).and_then(Option::as_ref),
                    state: status.state,
                    bmca: status.bmca,
                    slave_only: default_ds.slave_only,
                    master_only: records.settings().master_only,
                },
            );
            if decision.is_grandmaster() {
                parent = ParentUpdate::Grandmaster;
            } else if decision.is_slave() {
                if let Some(slave) = self.ebest_parent(ebest.map(|(_, ds)| ds)) {
                    parent = ParentUpdate::Slave(slave);
                }
            }
            recommendations.push((number, decision));
        }
        BmcaDecision { best, best_changed, recommendations, parent }
    }

    fn ebest_parent(&self, dataset: Option<&ComparisonDataset>) -> Option<SlaveParent> {
        SlaveParent::from_record(self.ebest()?, dataset?)
    }
}
