//! Every (state, event) pair of the port state machines against tables written out from
//! linuxptp's fsm.c (`ptp_fsm`, `ptp_slave_fsm`) and designated_fsm.c
//! (`designated_master_fsm`, `designated_slave_fsm`).
//!
//! Rows are the current state, columns the event, cells the next state; `.` means the state
//! does not change. The `new_master` flag (linuxptp `mdiff`) matters in one cell only, SLAVE
//! with RS_SLAVE, checked separately.

use ptp_config::enums::Bmca;
use ptp_engine::fsm::{designated_master_fsm, designated_slave_fsm, ptp_fsm, ptp_slave_fsm, PortFsm};
use ptp_engine::state::{FsmEvent, PortState};

const EVENTS: [FsmEvent; 17] = [
    FsmEvent::None,
    FsmEvent::Powerup,
    FsmEvent::Initialize,
    FsmEvent::DesignatedEnabled,
    FsmEvent::DesignatedDisabled,
    FsmEvent::FaultCleared,
    FsmEvent::FaultDetected,
    FsmEvent::StateDecisionEvent,
    FsmEvent::QualificationTimeoutExpires,
    FsmEvent::AnnounceReceiptTimeoutExpires,
    FsmEvent::SynchronizationFault,
    FsmEvent::MasterClockSelected,
    FsmEvent::InitComplete,
    FsmEvent::RsMaster,
    FsmEvent::RsGrandMaster,
    FsmEvent::RsSlave,
    FsmEvent::RsPassive,
];

/// Column heads, in the order of [`EVENTS`].
const HEAD: &str = "NONE PWR INIT DEN DDIS FCLR FDET SDE QTO ARTO SYNF MCS INITC RSM RSGM RSS RSP";

fn state(abbrev: &str) -> PortState {
    match abbrev {
        "IN" => PortState::Initializing,
        "FA" => PortState::Faulty,
        "DI" => PortState::Disabled,
        "LI" => PortState::Listening,
        "PM" => PortState::PreMaster,
        "MA" => PortState::Master,
        "GM" => PortState::GrandMaster,
        "PA" => PortState::Passive,
        "UN" => PortState::Uncalibrated,
        "SL" => PortState::Slave,
        other => panic!("unknown state {other:?}"),
    }
}

/// linuxptp `ptp_fsm`, `mdiff` = 0.
const PTP_FSM: &str = "
    NONE PWR INIT DEN DDIS FCLR FDET SDE QTO ARTO SYNF MCS INITC RSM RSGM RSS RSP
IN:  .    IN  IN   .   .    .    FA   .   .   .    .    .   LI    .   .    .   .
FA:  .    IN  IN   .   DI   IN   .    .   .   .    .    .   .     .   .    .   .
DI:  .    IN  IN   IN  .    .    .    .   .   .    .    .   .     .   .    .   .
LI:  .    IN  IN   .   DI   .    FA   .   .   MA   .    .   .     PM  GM   UN  PA
PM:  .    IN  IN   .   DI   .    FA   .   MA  .    .    .   .     .   .    UN  PA
MA:  .    IN  IN   .   DI   .    FA   .   .   .    .    .   .     .   .    UN  PA
GM:  .    IN  IN   .   DI   .    FA   .   .   .    .    .   .     .   .    UN  PA
PA:  .    IN  IN   .   DI   .    FA   .   .   MA   .    .   .     PM  GM   UN  .
UN:  .    IN  IN   .   DI   .    FA   .   .   MA   .    SL  .     PM  GM   UN  PA
SL:  .    IN  IN   .   DI   .    FA   .   .   MA   UN   .   .     PM  GM   .   PA
";

/// linuxptp `ptp_slave_fsm`, `mdiff` = 0.
const PTP_SLAVE_FSM: &str = "
    NONE PWR INIT DEN DDIS FCLR FDET SDE QTO ARTO SYNF MCS INITC RSM RSGM RSS RSP
IN:  .    IN  IN   .   .    .    FA   .   .   .    .    .   LI    .   .    .   .
FA:  .    IN  IN   .   DI   IN   .    .   .   .    .    .   .     .   .    .   .
DI:  .    IN  IN   IN  .    .    .    .   .   .    .    .   .     .   .    .   .
LI:  .    IN  IN   .   DI   .    FA   .   .   .    .    .   .     .   .    UN  .
PM:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
MA:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
GM:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
PA:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
UN:  .    IN  IN   .   DI   .    FA   .   .   LI   .    SL  .     LI  LI   .   LI
SL:  .    IN  IN   .   DI   .    FA   .   .   LI   UN   .   .     LI  LI   .   LI
";

/// linuxptp `designated_master_fsm` (`BMCA noop`, serverOnly).
const DESIGNATED_MASTER_FSM: &str = "
    NONE PWR INIT DEN DDIS FCLR FDET SDE QTO ARTO SYNF MCS INITC RSM RSGM RSS RSP
IN:  .    IN  IN   .   .    .    FA   .   .   .    .    .   MA    .   .    .   .
FA:  .    IN  IN   .   .    IN   .    .   .   .    .    .   .     .   .    .   .
DI:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
LI:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
PM:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
MA:  .    IN  IN   .   .    .    FA   .   .   .    .    .   .     .   .    .   .
GM:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
PA:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
UN:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
SL:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
";

/// linuxptp `designated_slave_fsm` (`BMCA noop`, clientOnly).
const DESIGNATED_SLAVE_FSM: &str = "
    NONE PWR INIT DEN DDIS FCLR FDET SDE QTO ARTO SYNF MCS INITC RSM RSGM RSS RSP
IN:  .    IN  IN   .   .    .    FA   .   .   .    .    .   SL    .   .    .   .
FA:  .    IN  IN   .   .    IN   .    .   .   .    .    .   .     .   .    .   .
DI:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
LI:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
PM:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
MA:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
GM:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
PA:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
UN:  .    IN  IN   .   .    .    .    .   .   .    .    .   .     .   .    .   .
SL:  .    IN  IN   .   .    .    FA   .   .   .    .    .   .     .   .    .   .
";

/// Parse a table into (state, event, next) for all 170 pairs.
fn parse(table: &str) -> Vec<(PortState, FsmEvent, PortState)> {
    let mut lines = table.lines().map(str::trim).filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some(HEAD));
    let mut out = Vec::new();
    let mut rows = 0;
    for line in lines {
        let (from, cells) = line.split_once(':').expect("row label");
        let from = state(from);
        let cells: Vec<&str> = cells.split_whitespace().collect();
        assert_eq!(cells.len(), EVENTS.len(), "row {from}");
        for (event, cell) in EVENTS.iter().zip(cells) {
            let next = if cell == "." { from } else { state(cell) };
            out.push((from, *event, next));
        }
        rows += 1;
    }
    assert_eq!(rows, 10, "one row per state");
    out
}

type Machine = fn(PortState, FsmEvent, bool) -> PortState;

#[track_caller]
fn check_table(name: &str, machine: Machine, table: &str) {
    let cells = parse(table);
    assert_eq!(cells.len(), 170);
    let mut wrong = Vec::new();
    for (from, event, expected) in cells {
        let got = machine(from, event, false);
        if got != expected {
            wrong.push(format!("{name}({from}, {event}) = {got}, expected {expected}"));
        }
        // new_master only matters for SLAVE with RS_SLAVE.
        let with_new_master = machine(from, event, true);
        let special = from == PortState::Slave && event == FsmEvent::RsSlave;
        if !special && with_new_master != expected {
            wrong.push(format!("{name}({from}, {event}, new master) = {with_new_master}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn ptp_fsm_table() {
    check_table("ptp_fsm", ptp_fsm, PTP_FSM);
}

#[test]
fn ptp_slave_fsm_table() {
    check_table("ptp_slave_fsm", ptp_slave_fsm, PTP_SLAVE_FSM);
}

#[test]
fn designated_master_fsm_table() {
    check_table("designated_master_fsm", designated_master_fsm, DESIGNATED_MASTER_FSM);
}

#[test]
fn designated_slave_fsm_table() {
    check_table("designated_slave_fsm", designated_slave_fsm, DESIGNATED_SLAVE_FSM);
}

#[test]
fn a_new_master_sends_a_slave_back_to_uncalibrated() {
    assert_eq!(ptp_fsm(PortState::Slave, FsmEvent::RsSlave, false), PortState::Slave);
    assert_eq!(ptp_fsm(PortState::Slave, FsmEvent::RsSlave, true), PortState::Uncalibrated);
    assert_eq!(ptp_slave_fsm(PortState::Slave, FsmEvent::RsSlave, false), PortState::Slave);
    assert_eq!(ptp_slave_fsm(PortState::Slave, FsmEvent::RsSlave, true), PortState::Uncalibrated);
    assert_eq!(designated_slave_fsm(PortState::Slave, FsmEvent::RsSlave, true), PortState::Slave);
    // UNCALIBRATED stays UNCALIBRATED either way.
    assert_eq!(ptp_fsm(PortState::Uncalibrated, FsmEvent::RsSlave, true), PortState::Uncalibrated);
}

#[test]
fn port_fsm_dispatches_to_the_machines() {
    let machines: [(PortFsm, Machine); 4] = [
        (PortFsm::Ptp, ptp_fsm),
        (PortFsm::SlaveOnly, ptp_slave_fsm),
        (PortFsm::DesignatedMaster, designated_master_fsm),
        (PortFsm::DesignatedSlave, designated_slave_fsm),
    ];
    for (fsm, machine) in machines {
        for (from, event, _) in parse(PTP_FSM) {
            for new_master in [false, true] {
                assert_eq!(fsm.next(from, event, new_master), machine(from, event, new_master));
            }
        }
    }
}

#[test]
fn slave_only_machine_never_enters_a_master_state() {
    // From any state a slave-only port can reach, no event leads to PRE_MASTER, MASTER,
    // GRAND_MASTER or PASSIVE.
    let reachable = [
        PortState::Initializing,
        PortState::Faulty,
        PortState::Disabled,
        PortState::Listening,
        PortState::Uncalibrated,
        PortState::Slave,
    ];
    for from in reachable {
        for event in EVENTS {
            for new_master in [false, true] {
                let next = ptp_slave_fsm(from, event, new_master);
                assert!(reachable.contains(&next), "ptp_slave_fsm({from}, {event}) = {next}");
            }
        }
    }
}

#[test]
fn machine_selection_as_port_open() {
    assert_eq!(PortFsm::select(Bmca::Ptp, false, false), Ok(PortFsm::Ptp));
    // serverOnly does not change the machine with the normal BMCA: the port just never has
    // an Erbest.
    assert_eq!(PortFsm::select(Bmca::Ptp, true, false), Ok(PortFsm::Ptp));
    assert_eq!(PortFsm::select(Bmca::Ptp, false, true), Ok(PortFsm::SlaveOnly));
    assert_eq!(PortFsm::select(Bmca::Noop, true, false), Ok(PortFsm::DesignatedMaster));
    assert_eq!(PortFsm::select(Bmca::Noop, true, true), Ok(PortFsm::DesignatedMaster));
    assert_eq!(PortFsm::select(Bmca::Noop, false, true), Ok(PortFsm::DesignatedSlave));
    let err = PortFsm::select(Bmca::Noop, false, false).expect_err("no role");
    assert_eq!(err.to_string(), "Please enable at least one of serverOnly or clientOnly when BMCA == noop.");
}

// ---- port_state_update around the machine ----

#[test]
fn update_initializes_through_initializing() {
    let t = PortFsm::Ptp.update(PortState::Initializing, FsmEvent::Initialize, false, false, true);
    assert_eq!((t.next, t.event, t.reinitialized), (PortState::Listening, FsmEvent::InitComplete, true));
    let t = PortFsm::DesignatedMaster.update(PortState::Initializing, FsmEvent::Initialize, false, false, true);
    assert_eq!((t.next, t.event), (PortState::Master, FsmEvent::InitComplete));
    let t = PortFsm::DesignatedSlave.update(PortState::Faulty, FsmEvent::FaultCleared, false, false, true);
    assert_eq!((t.next, t.event), (PortState::Slave, FsmEvent::InitComplete));
    let t = PortFsm::Ptp.update(PortState::Disabled, FsmEvent::DesignatedEnabled, false, false, true);
    assert_eq!((t.next, t.event, t.reinitialized), (PortState::Listening, FsmEvent::InitComplete, true));
}

#[test]
fn update_clears_faults_at_once_when_asked() {
    let t = PortFsm::Ptp.update(PortState::Master, FsmEvent::FaultDetected, false, true, true);
    assert!(t.fault_cleared_immediately && t.reinitialized);
    assert_eq!((t.next, t.event), (PortState::Listening, FsmEvent::InitComplete));
    let t = PortFsm::Ptp.update(PortState::Master, FsmEvent::FaultDetected, false, false, true);
    assert!(!t.fault_cleared_immediately && !t.reinitialized);
    assert_eq!((t.next, t.event), (PortState::Faulty, FsmEvent::FaultDetected));
}

#[test]
fn update_reports_failed_initialization_as_a_fault() {
    let t = PortFsm::Ptp.update(PortState::Faulty, FsmEvent::FaultCleared, false, false, false);
    assert_eq!((t.next, t.event, t.reinitialized), (PortState::Faulty, FsmEvent::FaultDetected, true));
}

#[test]
fn update_passes_other_events_through() {
    let t = PortFsm::Ptp.update(PortState::Slave, FsmEvent::RsSlave, true, false, true);
    assert_eq!(t.next, PortState::Uncalibrated);
    assert_eq!(t.event, FsmEvent::RsSlave);
    assert!(!t.reinitialized && !t.fault_cleared_immediately);
    let t = PortFsm::Ptp.update(PortState::Master, FsmEvent::RsMaster, false, false, true);
    assert_eq!((t.next, t.event), (PortState::Master, FsmEvent::RsMaster));
}
