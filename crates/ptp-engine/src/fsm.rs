//! Port state machines as pure functions of (state, event) (IEEE 1588-2019 9.2.5, Figure 30;
//! linuxptp fsm.c and designated_fsm.c), and the choice between them ([`PortFsm`]).
//!
//! - [`ptp_fsm`]: ordinary and boundary clock ports (linuxptp `ptp_fsm`).
//! - [`ptp_slave_fsm`]: ports of a slave-only clock (`clientOnly 1`; linuxptp
//!   `ptp_slave_fsm`): every master or passive recommendation sends the port to LISTENING.
//! - [`designated_master_fsm`] and [`designated_slave_fsm`]: `BMCA noop`, static roles from
//!   `serverOnly` and `clientOnly` (linuxptp designated_fsm.c).
//!
//! Each takes `new_master`, linuxptp's `mdiff` flag: the clock's best master changed in the
//! state decision that produced the event. Only SLAVE with RS_SLAVE reads it (back to
//! UNCALIBRATED for a new master).
//!
//! INITIALIZE and POWERUP lead to INITIALIZING from every state; events a state does not
//! handle leave it unchanged. [`PortFsm::update`] adds what linuxptp's `port_state_update` does
//! around the machine: clearing a fault at once when `fault_reset_interval` is ASAP, and
//! initializing the port on the way through INITIALIZING.

use ptp_config::enums::Bmca;

use crate::state::{FsmEvent, PortState};

/// Transitions both the ordinary and the slave-only machine share: INITIALIZE and POWERUP from
/// anywhere, and everything that starts in INITIALIZING, FAULTY or DISABLED.
fn not_running_transition(state: PortState, event: FsmEvent) -> Option<PortState> {
    use FsmEvent as E;
    use PortState as S;

    if matches!(event, E::Initialize | E::Powerup) {
        return Some(S::Initializing);
    }
    Some(match (state, event) {
        (S::Initializing, E::FaultDetected) => S::Faulty,
        (S::Initializing, E::InitComplete) => S::Listening,
        (S::Initializing, _) => S::Initializing,

        (S::Faulty, E::DesignatedDisabled) => S::Disabled,
        (S::Faulty, E::FaultCleared) => S::Initializing,
        (S::Faulty, _) => S::Faulty,

        (S::Disabled, E::DesignatedEnabled) => S::Initializing,
        (S::Disabled, _) => S::Disabled,
        _ => return None,
    })
}

/// The state machine of ordinary and boundary clock ports (linuxptp `ptp_fsm`).
pub fn ptp_fsm(state: PortState, event: FsmEvent, new_master: bool) -> PortState {
    use FsmEvent as E;
    use PortState as S;

    if let Some(next) = not_running_transition(state, event) {
        return next;
    }
    match (state, event) {
        // Handled by not_running_transition above.
        (S::Initializing | S::Faulty | S::Disabled, _) => state,
        // Every enabled state: disabling and faults.
        (_, E::DesignatedDisabled) => S::Disabled,
        (_, E::FaultDetected) => S::Faulty,

        (S::Listening, E::AnnounceReceiptTimeoutExpires) => S::Master,
        (S::Listening, E::RsMaster) => S::PreMaster,
        (S::Listening, E::RsGrandMaster) => S::GrandMaster,
        (S::Listening, E::RsSlave) => S::Uncalibrated,
        (S::Listening, E::RsPassive) => S::Passive,
        (S::Listening, _) => S::Listening,

        (S::PreMaster, E::QualificationTimeoutExpires) => S::Master,
        (S::PreMaster, E::RsSlave) => S::Uncalibrated,
        (S::PreMaster, E::RsPassive) => S::Passive,
        (S::PreMaster, _) => S::PreMaster,

        // MASTER and GRAND_MASTER share one case in linuxptp: RS_MASTER and RS_GRAND_MASTER
        // leave either unchanged.
        (S::Master | S::GrandMaster, E::RsSlave) => S::Uncalibrated,
        (S::Master | S::GrandMaster, E::RsPassive) => S::Passive,
        (S::Master | S::GrandMaster, _) => state,

        (S::Passive, E::AnnounceReceiptTimeoutExpires) => S::Master,
        (S::Passive, E::RsMaster) => S::PreMaster,
        (S::Passive, E::RsGrandMaster) => S::GrandMaster,
        (S::Passive, E::RsSlave) => S::Uncalibrated,
        (S::Passive, _) => S::Passive,

        (S::Uncalibrated, E::AnnounceReceiptTimeoutExpires) => S::Master,
        (S::Uncalibrated, E::MasterClockSelected) => S::Slave,
        (S::Uncalibrated, E::RsMaster) => S::PreMaster,
        (S::Uncalibrated, E::RsGrandMaster) => S::GrandMaster,
        (S::Uncalibrated, E::RsSlave) => S::Uncalibrated,
        (S::Uncalibrated, E::RsPassive) => S::Passive,
        (S::Uncalibrated, _) => S::Uncalibrated,

        (S::Slave, E::AnnounceReceiptTimeoutExpires) => S::Master,
        (S::Slave, E::SynchronizationFault) => S::Uncalibrated,
        (S::Slave, E::RsMaster) => S::PreMaster,
        (S::Slave, E::RsGrandMaster) => S::GrandMaster,
        (S::Slave, E::RsSlave) if new_master => S::Uncalibrated,
        (S::Slave, E::RsPassive) => S::Passive,
        (S::Slave, _) => S::Slave,
    }
}

/// The state machine of a slave-only clock's ports (linuxptp `ptp_slave_fsm`). PRE_MASTER,
/// MASTER, GRAND_MASTER and PASSIVE are never entered; a port found in one stays there until
/// INITIALIZE or POWERUP.
pub fn ptp_slave_fsm(state: PortState, event: FsmEvent, new_master: bool) -> PortState {
    use FsmEvent as E;
    use PortState as S;

    if let Some(next) = not_running_transition(state, event) {
        return next;
    }
    match (state, event) {
        // Handled by not_running_transition above.
        (S::Initializing | S::Faulty | S::Disabled, _) => state,
        (S::PreMaster | S::Master | S::GrandMaster | S::Passive, _) => state,

        (_, E::DesignatedDisabled) => S::Disabled,
        (_, E::FaultDetected) => S::Faulty,
        (_, E::AnnounceReceiptTimeoutExpires | E::RsMaster | E::RsGrandMaster | E::RsPassive) => S::Listening,

        (S::Listening, E::RsSlave) => S::Uncalibrated,
        (S::Listening, _) => S::Listening,

        (S::Uncalibrated, E::MasterClockSelected) => S::Slave,
        (S::Uncalibrated, _) => S::Uncalibrated,

        (S::Slave, E::SynchronizationFault) => S::Uncalibrated,
        (S::Slave, E::RsSlave) if new_master => S::Uncalibrated,
        (S::Slave, _) => S::Slave,
    }
}

/// `BMCA noop` with `serverOnly 1`: the port is MASTER once initialized and leaves it only
/// for FAULTY (linuxptp `designated_master_fsm`).
pub fn designated_master_fsm(state: PortState, event: FsmEvent, _new_master: bool) -> PortState {
    use FsmEvent as E;
    use PortState as S;

    if matches!(event, E::Initialize | E::Powerup) {
        return S::Initializing;
    }
    match (state, event) {
        (S::Initializing, E::FaultDetected) => S::Faulty,
        (S::Initializing, E::InitComplete) => S::Master,
        (S::Faulty, E::FaultCleared) => S::Initializing,
        (S::Master, E::FaultDetected) => S::Faulty,
        _ => state,
    }
}

/// `BMCA noop` with `clientOnly 1`: the port is SLAVE once initialized and leaves it only for
/// FAULTY (linuxptp `designated_slave_fsm`).
pub fn designated_slave_fsm(state: PortState, event: FsmEvent, _new_master: bool) -> PortState {
    use FsmEvent as E;
    use PortState as S;

    if matches!(event, E::Initialize | E::Powerup) {
        return S::Initializing;
    }
    match (state, event) {
        (S::Initializing, E::FaultDetected) => S::Faulty,
        (S::Initializing, E::InitComplete) => S::Slave,
        (S::Faulty, E::FaultCleared) => S::Initializing,
        (S::Slave, E::FaultDetected) => S::Faulty,
        _ => state,
    }
}

/// Which state machine a port runs (linuxptp `port_open` sets `p->state_machine`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PortFsm {
    /// [`ptp_fsm`].
    Ptp,
    /// [`ptp_slave_fsm`].
    SlaveOnly,
    /// [`designated_master_fsm`].
    DesignatedMaster,
    /// [`designated_slave_fsm`].
    DesignatedSlave,
}

/// `BMCA noop` on a port that is neither serverOnly nor on a clientOnly clock; ptp4l prints
/// the message and fails to open the port.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
#[error("Please enable at least one of serverOnly or clientOnly when BMCA == noop.")]
pub struct NoopWithoutRole;

/// The result of [`PortFsm::update`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Transition {
    /// The state the port ends in.
    pub next: PortState,
    /// The event to print in `%s: %s to %s on %s`: the one given, or INIT_COMPLETE /
    /// FAULT_DETECTED when the port went through INITIALIZING.
    pub event: FsmEvent,
    /// The port went through INITIALIZING: linuxptp disables it (if enabled) and initializes
    /// it again (`port_disable`, `port_initialize`), dropping its foreign masters.
    pub reinitialized: bool,
    /// The fault was cleared at once (`fault_reset_interval ASAP`): linuxptp logs
    /// `%s: clearing fault immediately`.
    pub fault_cleared_immediately: bool,
}

impl PortFsm {
    /// The machine for a port (linuxptp `port_open`): `BMCA noop` needs serverOnly (designated
    /// master, checked first) or a clientOnly clock (designated slave); otherwise a clientOnly
    /// clock runs the slave-only machine and every other clock the full one.
    pub fn select(bmca: Bmca, master_only: bool, slave_only: bool) -> Result<Self, NoopWithoutRole> {
        match bmca {
            Bmca::Noop if master_only => Ok(PortFsm::DesignatedMaster),
            Bmca::Noop if slave_only => Ok(PortFsm::DesignatedSlave),
            Bmca::Noop => Err(NoopWithoutRole),
            Bmca::Ptp if slave_only => Ok(PortFsm::SlaveOnly),
            Bmca::Ptp => Ok(PortFsm::Ptp),
        }
    }

    /// One step of the machine.
    pub fn next(self, state: PortState, event: FsmEvent, new_master: bool) -> PortState {
        match self {
            PortFsm::Ptp => ptp_fsm(state, event, new_master),
            PortFsm::SlaveOnly => ptp_slave_fsm(state, event, new_master),
            PortFsm::DesignatedMaster => designated_master_fsm(state, event, new_master),
            PortFsm::DesignatedSlave => designated_slave_fsm(state, event, new_master),
        }
    }

    /// linuxptp's `port_state_update` around one step: a step into FAULTY is followed by
    /// FAULT_CLEARED when `clear_fault_asap`; a step into INITIALIZING is followed by
    /// INIT_COMPLETE (or FAULT_DETECTED when `initialize_ok` is false, port_initialize
    /// failed). The port changed state when `next` differs from `state`.
    pub fn update(
        self,
        state: PortState,
        event: FsmEvent,
        new_master: bool,
        clear_fault_asap: bool,
        initialize_ok: bool,
    ) -> Transition {
        let mut event = event;
        let mut next = self.next(state, event, new_master);
        let mut fault_cleared_immediately = false;
        if next == PortState::Faulty && clear_fault_asap {
            fault_cleared_immediately = true;
            next = self.next(next, FsmEvent::FaultCleared, false);
        }
        let reinitialized = next == PortState::Initializing;
        if reinitialized {
            event = if initialize_ok { FsmEvent::InitComplete } else { FsmEvent::FaultDetected };
            next = self.next(next, event, false);
        }
        Transition { next, event, reinitialized, fault_cleared_immediately }
    }

    /// The port logs `master state recommended in slave only mode` for this event (linuxptp
    /// `bc_dispatch`: RS_GRAND_MASTER on a clientOnly clock).
    pub fn warns_master_in_slave_only(slave_only: bool, event: FsmEvent) -> bool {
        slave_only && event == FsmEvent::RsGrandMaster
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_to_listening() {
        let t = PortFsm::Ptp.update(PortState::Initializing, FsmEvent::Initialize, false, false, true);
        assert_eq!(
            t,
            Transition {
                next: PortState::Listening,
                event: FsmEvent::InitComplete,
                reinitialized: true,
                fault_cleared_immediately: false
            }
        );
    }

    #[test]
    fn fault_cleared_asap_goes_back_to_listening() {
        let t = PortFsm::Ptp.update(PortState::Slave, FsmEvent::FaultDetected, false, true, true);
        assert_eq!(t.next, PortState::Listening);
        assert_eq!(t.event, FsmEvent::InitComplete);
        assert!(t.fault_cleared_immediately && t.reinitialized);
        let t = PortFsm::Ptp.update(PortState::Slave, FsmEvent::FaultDetected, false, false, true);
        assert_eq!(t.next, PortState::Faulty);
        assert_eq!(t.event, FsmEvent::FaultDetected);
    }

    #[test]
    fn failed_initialization_is_a_fault() {
        let t = PortFsm::Ptp.update(PortState::Faulty, FsmEvent::FaultCleared, false, false, false);
        assert_eq!((t.next, t.event), (PortState::Faulty, FsmEvent::FaultDetected));
    }

    #[test]
    fn select() {
        assert_eq!(PortFsm::select(Bmca::Ptp, false, false), Ok(PortFsm::Ptp));
        assert_eq!(PortFsm::select(Bmca::Ptp, true, false), Ok(PortFsm::Ptp));
        assert_eq!(PortFsm::select(Bmca::Ptp, false, true), Ok(PortFsm::SlaveOnly));
        assert_eq!(PortFsm::select(Bmca::Noop, true, true), Ok(PortFsm::DesignatedMaster));
        assert_eq!(PortFsm::select(Bmca::Noop, false, true), Ok(PortFsm::DesignatedSlave));
        assert_eq!(PortFsm::select(Bmca::Noop, false, false), Err(NoopWithoutRole));
    }
}
