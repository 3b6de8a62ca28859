//! The state decision algorithm (IEEE 1588-2019 9.3.3, Figure 33) as linuxptp runs it
//! (`bmc_state_decision` in bmc.c, `handle_state_decision_event` in clock.c): the choice of
//! Ebest across the ports, whether the best master changed, and for each port the recommended
//! state with the state machine event linuxptp dispatches for it.
//!
//! linuxptp's differences from Figure 33, followed here:
//! - M1 and M2 (this clock is the grandmaster) recommend GRAND_MASTER, reported with
//!   RS_GRAND_MASTER; only M3 recommends MASTER (RS_MASTER).
//! - A port without Erbest in LISTENING stays LISTENING (no event).
//! - With `BMCA noop`, a port without Erbest keeps its current state (static roles).
//! - slaveOnly does not change the decision: the slave-only state machine turns any master
//!   recommendation into LISTENING, and an RS_GRAND_MASTER for a slave-only clock is logged as
//!   a probable priority1 misconfiguration ([`StateDecision::warn_master_in_slave_only`]).
//! - serverOnly ports never have Erbest, so they are never S1 and never SLAVE.

use ptp_config::enums::Bmca;
use ptp_wire::{ClockIdentity, PortIdentity};

use super::dataset_comparison::{Comparator, ComparisonDataset, ComparisonResult};
use crate::event::PortNumber;
use crate::state::{FsmEvent, PortState};

/// The branch of Figure 33 that produced a recommendation (the state decision code of IEEE
/// 1588-2019 Table 30 and following).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DecisionCode {
    /// clockClass 1..127 and D0 better than Erbest: grandmaster.
    M1,
    /// D0 better than Ebest: grandmaster.
    M2,
    /// Ebest is better, but not received on this port, and Ebest is not better by topology
    /// than Erbest: master.
    M3,
    /// clockClass 1..127 and D0 not better than Erbest: passive.
    P1,
    /// Ebest is better by topology than Erbest: passive.
    P2,
    /// Ebest was received on this port: slave.
    S1,
}

/// What the state decision algorithm recommends for one port.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct StateDecision {
    /// The recommended state (linuxptp's return value of `bmc_state_decision`).
    pub state: PortState,
    /// The branch of Figure 33; `None` when no decision was made (LISTENING without Erbest,
    /// or `BMCA noop` without Erbest).
    pub code: Option<DecisionCode>,
    /// The event linuxptp dispatches to the port for it ([`event_for_recommendation`]).
    pub event: FsmEvent,
    /// The port logs `%s: master state recommended in slave only mode` and
    /// `%s: defaultDS.priority1 probably misconfigured` (linuxptp `bc_dispatch`).
    pub warn_master_in_slave_only: bool,
}

impl StateDecision {
    /// M1 or M2: the port logs `%s: assuming the grand master role` and the clock takes its
    /// parentDS from its own defaultDS (linuxptp `clock_update_grandmaster`).
    pub fn is_grandmaster(&self) -> bool {
        matches!(self.code, Some(DecisionCode::M1 | DecisionCode::M2))
    }

    /// S1: the clock takes parentDS, currentDS and timePropertiesDS from Ebest (linuxptp
    /// `clock_update_slave`).
    pub fn is_slave(&self) -> bool {
        self.code == Some(DecisionCode::S1)
    }
}

/// The inputs of the state decision for one port.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct StateDecisionInput<'a> {
    /// D0, this clock's defaultDS as a comparison data set; its clockClass is the one tested
    /// against 127.
    pub d0: &'a ComparisonDataset,
    /// Ebest, the best Erbest of all ports (see [`select_ebest`]).
    pub ebest: Option<&'a ComparisonDataset>,
    /// Ebest was received on this port (linuxptp `clock_best_port(c) == r`).
    pub ebest_on_this_port: bool,
    /// Erbest of this port.
    pub erbest: Option<&'a ComparisonDataset>,
    /// The port's current state.
    pub state: PortState,
    /// The port's `BMCA` setting.
    pub bmca: Bmca,
    /// `clientOnly` (slaveOnly) of the clock.
    pub slave_only: bool,
    /// `serverOnly` (masterOnly) of the port: treated as having no Erbest.
    pub master_only: bool,
}

/// The state decision algorithm for one port (IEEE 1588-2019 Figure 33; linuxptp
/// `bmc_state_decision`), with the event linuxptp dispatches for the result.
pub fn state_decision(comparator: Comparator, input: &StateDecisionInput<'_>) -> StateDecision {
    let (state, code) = recommend(comparator, input);
    let event = event_for_recommendation(state);
    StateDecision {
        state,
        code,
        event,
        warn_master_in_slave_only: input.slave_only && event == FsmEvent::RsGrandMaster,
    }
}

fn recommend(comparator: Comparator, input: &StateDecisionInput<'_>) -> (PortState, Option<DecisionCode>) {
    // A serverOnly port computes no Erbest (linuxptp `port_compute_best`), so Ebest cannot
    // have come from it either.
    let erbest = if input.master_only { None } else { input.erbest };
    let ebest_on_this_port = input.ebest_on_this_port && erbest.is_some();

    if erbest.is_none() && input.bmca == Bmca::Noop {
        return (input.state, None);
    }
    if erbest.is_none() && input.state == PortState::Listening {
        return (PortState::Listening, None);
    }

    let d0 = Some(input.d0);
    if input.d0.grandmaster_clock_quality.clock_class <= 127 {
        return if comparator.compare_optional(d0, erbest).is_a_better() {
            (PortState::GrandMaster, Some(DecisionCode::M1))
        } else {
            (PortState::Passive, Some(DecisionCode::P1))
        };
    }
    if comparator.compare_optional(d0, input.ebest).is_a_better() {
        return (PortState::GrandMaster, Some(DecisionCode::M2));
    }
    if ebest_on_this_port {
        return (PortState::Slave, Some(DecisionCode::S1));
    }
    if comparator.compare_optional(input.ebest, erbest) == ComparisonResult::ABetterByTopology {
        (PortState::Passive, Some(DecisionCode::P2))
    } else {
        (PortState::Master, Some(DecisionCode::M3))
    }
}

/// The event linuxptp's `handle_state_decision_event` dispatches for a recommended state:
/// LISTENING none, GRAND_MASTER RS_GRAND_MASTER, MASTER RS_MASTER, PASSIVE RS_PASSIVE, SLAVE
/// RS_SLAVE, and FAULT_DETECTED for anything else (which only `BMCA noop` can return, with the
/// port's own state).
pub const fn event_for_recommendation(state: PortState) -> FsmEvent {
    match state {
        PortState::Listening => FsmEvent::None,
        PortState::GrandMaster => FsmEvent::RsGrandMaster,
        PortState::Master => FsmEvent::RsMaster,
        PortState::Passive => FsmEvent::RsPassive,
        PortState::Slave => FsmEvent::RsSlave,
        PortState::Initializing
        | PortState::Faulty
        | PortState::Disabled
        | PortState::PreMaster
        | PortState::Uncalibrated => FsmEvent::FaultDetected,
    }
}

/// Choose Ebest from the ports' Erbest (IEEE 1588-2019 9.3.2.2; linuxptp
/// `handle_state_decision_event`): ports are visited in order and a later one replaces the
/// best only if it is better (plainly or by topology), so ties keep the first.
pub fn select_ebest<'a, K>(
    comparator: Comparator,
    erbests: impl IntoIterator<Item = (K, Option<&'a ComparisonDataset>)>,
) -> Option<(K, &'a ComparisonDataset)> {
    let mut best: Option<(K, &'a ComparisonDataset)> = None;
    for (key, erbest) in erbests {
        let Some(candidate) = erbest else { continue };
        let replace = match &best {
            None => true,
            Some((_, current)) => comparator.compare(candidate, current).is_a_better(),
        };
        if replace {
            best = Some((key, candidate));
        }
    }
    best
}

/// The clock's best master: the port and sender of Ebest (linuxptp `c->best`, a foreign
/// master record), and the grandmaster identity it names, or this clock's identity when there
/// is no Ebest (linuxptp `c->best_id`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct BestMaster {
    /// Port number and sender of Ebest; `None` when this clock is the best.
    pub ebest: Option<(PortNumber, PortIdentity)>,
    /// Ebest's grandmasterIdentity, or this clock's identity.
    pub identity: ClockIdentity,
}

impl BestMaster {
    /// The best master for Ebest `ebest` (its port and data set) on a clock `local`.
    pub fn new(ebest: Option<(PortNumber, &ComparisonDataset)>, local: ClockIdentity) -> Self {
        match ebest {
            Some((port, ds)) => BestMaster { ebest: Some((port, ds.sender)), identity: ds.grandmaster_identity },
            None => BestMaster { ebest: None, identity: local },
        }
    }

    /// This clock is its own best master: linuxptp logs `selected local clock %s as best
    /// master`, otherwise `selected best master clock %s`.
    pub fn is_local(&self, local: ClockIdentity) -> bool {
        self.identity == local
    }

    /// linuxptp's `fresh_best`: the best master changed (another grandmaster, or the same one
    /// through another port or sender). The clock then resets its frequency estimator, time
    /// stamp processor and path delay, logs the selection, and passes "new master" to every
    /// port's state machine.
    pub fn changed_from(&self, previous: &BestMaster) -> bool {
        self != previous
    }
}
