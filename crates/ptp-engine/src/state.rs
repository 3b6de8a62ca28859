//! Port states and state machine events with the names linuxptp prints (log-lines.md §2).

use core::fmt;

/// Port state (IEEE 1588-2019 9.2.5, Table 27), plus linuxptp's GRAND_MASTER (a MASTER port
/// of the grandmaster; reported as MASTER in management).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum PortState {
    #[default]
    Initializing,
    Faulty,
    Disabled,
    Listening,
    PreMaster,
    Master,
    Passive,
    Uncalibrated,
    Slave,
    GrandMaster,
}

impl PortState {
    /// linuxptp's `ps_str[]` name.
    pub const fn name(self) -> &'static str {
        match self {
            PortState::Initializing => "INITIALIZING",
            PortState::Faulty => "FAULTY",
            PortState::Disabled => "DISABLED",
            PortState::Listening => "LISTENING",
            PortState::PreMaster => "PRE_MASTER",
            PortState::Master => "MASTER",
            PortState::Passive => "PASSIVE",
            PortState::Uncalibrated => "UNCALIBRATED",
            PortState::Slave => "SLAVE",
            PortState::GrandMaster => "GRAND_MASTER",
        }
    }

    /// The portState value of PORT_DATA_SET (GRAND_MASTER reported as MASTER).
    pub const fn wire_value(self) -> u8 {
        match self {
            PortState::Initializing => 1,
            PortState::Faulty => 2,
            PortState::Disabled => 3,
            PortState::Listening => 4,
            PortState::PreMaster => 5,
            PortState::Master | PortState::GrandMaster => 6,
            PortState::Passive => 7,
            PortState::Uncalibrated => 8,
            PortState::Slave => 9,
        }
    }

    /// MASTER or GRAND_MASTER: the port sends Announce and Sync.
    pub const fn is_master(self) -> bool {
        matches!(self, PortState::Master | PortState::GrandMaster)
    }

    /// UNCALIBRATED or SLAVE: the port synchronises to a master.
    pub const fn is_slave(self) -> bool {
        matches!(self, PortState::Uncalibrated | PortState::Slave)
    }
}

impl fmt::Display for PortState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// State machine events (linuxptp `enum fsm_event`, names of `ev_str[]`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FsmEvent {
    None,
    Powerup,
    Initialize,
    DesignatedEnabled,
    DesignatedDisabled,
    FaultCleared,
    FaultDetected,
    StateDecisionEvent,
    QualificationTimeoutExpires,
    AnnounceReceiptTimeoutExpires,
    SynchronizationFault,
    MasterClockSelected,
    InitComplete,
    RsMaster,
    RsGrandMaster,
    RsSlave,
    RsPassive,
}

impl FsmEvent {
    pub const fn name(self) -> &'static str {
        match self {
            FsmEvent::None => "NONE",
            FsmEvent::Powerup => "POWERUP",
            FsmEvent::Initialize => "INITIALIZE",
            FsmEvent::DesignatedEnabled => "DESIGNATED_ENABLED",
            FsmEvent::DesignatedDisabled => "DESIGNATED_DISABLED",
            FsmEvent::FaultCleared => "FAULT_CLEARED",
            FsmEvent::FaultDetected => "FAULT_DETECTED",
            FsmEvent::StateDecisionEvent => "STATE_DECISION_EVENT",
            FsmEvent::QualificationTimeoutExpires => "QUALIFICATION_TIMEOUT_EXPIRES",
            FsmEvent::AnnounceReceiptTimeoutExpires => "ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES",
            FsmEvent::SynchronizationFault => "SYNCHRONIZATION_FAULT",
            FsmEvent::MasterClockSelected => "MASTER_CLOCK_SELECTED",
            FsmEvent::InitComplete => "INIT_COMPLETE",
            FsmEvent::RsMaster => "RS_MASTER",
            FsmEvent::RsGrandMaster => "RS_GRAND_MASTER",
            FsmEvent::RsSlave => "RS_SLAVE",
            FsmEvent::RsPassive => "RS_PASSIVE",
        }
    }
}

impl fmt::Display for FsmEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Fault types (linuxptp `ft_str`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum FaultType {
    #[default]
    Unspecified,
    BadPeerNetwork,
    SwitchPhc,
}

impl FaultType {
    pub const fn name(self) -> &'static str {
        match self {
            FaultType::Unspecified => "FT_UNSPECIFIED",
            FaultType::BadPeerNetwork => "FT_BAD_PEER_NETWORK",
            FaultType::SwitchPhc => "FT_SWITCH_PHC",
        }
    }
}

/// Servo state (linuxptp `enum servo_state`, printed as `s%d`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum ServoState {
    /// s0: collecting samples, no adjustment yet.
    #[default]
    Unlocked,
    /// s1: the clock was stepped.
    Jump,
    /// s2: tracking.
    Locked,
    /// s3: tracking, offset below servo_offset_threshold for servo_num_offset_values samples.
    LockedStable,
}

impl ServoState {
    /// The digit linuxptp prints after `s`.
    pub const fn number(self) -> u8 {
        match self {
            ServoState::Unlocked => 0,
            ServoState::Jump => 1,
            ServoState::Locked => 2,
            ServoState::LockedStable => 3,
        }
    }
}
