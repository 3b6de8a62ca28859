//! Typed engine events (DESIGN.md, "Observability"). The engine never formats log text: the
//! driver turns each [`Event`] into linuxptp's exact line with [`crate::log`], and the same
//! values feed counters, metrics and machine-readable output.

use ptp_wire::{ClockIdentity, MessageType, ParseError, PortIdentity};

use crate::state::{FaultType, FsmEvent, PortState, ServoState};

/// A port, as events name it: the port number (1-based; 0 for the UDS management ports).
/// The driver maps it to linuxptp's log name (`port 1 (eth0)`).
pub type PortNumber = u16;

/// Why a received message was dropped (counted per port and per reason).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DropReason {
    /// The bytes did not parse.
    Malformed(ParseError),
    /// domainNumber differs from ours.
    WrongDomain,
    /// majorSdoId (transportSpecific) differs from ours.
    WrongSdoId,
    /// Sent by this clock (looped back).
    OwnMessage,
    /// The message type is not handled in the port's current state or delay mechanism.
    Unexpected(MessageType),
    /// An event message arrived without a receive timestamp.
    NoTimestamp(MessageType),
    /// A response for another port or an old sequence.
    NotForUs(MessageType),
    /// From a foreign master other than the parent.
    NotFromParent(MessageType),
}

/// The kind of a port timer, for `%s: %s timeout` debug lines.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimerKind {
    /// `announce timeout`
    AnnounceReceipt,
    /// `rx sync timeout`
    SyncReceipt,
    /// `delay timeout`
    DelayRequest,
    /// `qualification timeout`
    Qualification,
    /// `master tx announce timeout`
    MasterAnnounce,
    /// `master sync timeout`
    MasterSync,
}

/// Leap second announcement for `updating time properties to %s leap second`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LeapChange {
    Insert,
    Delete,
    None,
}

/// Everything the engine reports.
#[derive(Clone, PartialEq, Debug)]
pub enum Event {
    /// `%s: %s to %s on %s` (and ` (%s)` with the fault type for FAULT_DETECTED).
    PortStateChange { port: PortNumber, from: PortState, to: PortState, event: FsmEvent, fault: Option<FaultType> },
    /// `selected local clock %s as best master`
    SelectedLocalClock { identity: ClockIdentity },
    /// `selected best master clock %s`
    SelectedBestMaster { identity: ClockIdentity },
    /// `%s: assuming the grand master role`
    AssumingGrandMaster { port: PortNumber },
    /// `%s: new foreign master %s`
    NewForeignMaster { port: PortNumber, identity: PortIdentity },
    /// `%s: master state recommended in slave only mode` then
    /// `%s: defaultDS.priority1 probably misconfigured`
    MasterRecommendedInSlaveOnly { port: PortNumber },
    /// `foreign master not using PTP timescale`
    ForeignMasterNotPtpTimescale,
    /// `running in a temporal vortex`
    TemporalVortex,
    /// `updating time properties to %s leap second`
    UpdatingLeap(LeapChange),
    /// `updating UTC offset to %d`
    UpdatingUtcOffset(i32),
    /// `clock update suspended due to leap second`: an offset sample taken in the last
    /// second of a UTC day while a leap second is pending was dropped (a UTC-timescale
    /// clock; see [`crate::utc`]).
    ClockUpdateSuspendedLeapSecond,
    /// `%s: link up` / `%s: link down`
    Link { port: PortNumber, up: bool },
    /// `%s: pdelay_req on E2E port`
    PdelayReqOnE2ePort { port: PortNumber },
    /// `%s: delay request on P2P port`
    DelayReqOnP2pPort { port: PortNumber },
    /// `%s: peer detected, switch to P2P`
    PeerDetectedSwitchToP2p { port: PortNumber },
    /// `%s: minimum delay request interval 2^%d`
    MinDelayReqInterval { port: PortNumber, log_interval: i8 },
    /// `%s: multiple peer responses`
    MultiplePeerResponses { port: PortNumber },
    /// `%s: rogue peer delay response`
    RoguePeerDelayResponse { port: PortNumber },
    /// `%s: delay response timeout`
    DelayResponseTimeout { port: PortNumber },
    /// DEBUG `%s: %s timeout`
    Timeout { port: PortNumber, timer: TimerKind },
    /// DEBUG `waiting 2^{%d} seconds to clear fault on %s`
    FaultWait { port: PortNumber, log_seconds: i8 },
    /// DEBUG `clearing fault on %s`
    ClearingFault { port: PortNumber },
    /// `%s: clearing fault immediately`
    ClearingFaultImmediately { port: PortNumber },
    /// `master offset %10ld s%d freq %+7.0f path delay %9ld`
    MasterOffset { offset_ns: i64, state: ServoState, freq_ppb: f64, path_delay_ns: i64 },
    /// `rms %4.0f max %4.0f freq %+6.0f +/- %3.0f[ delay %5.0f +/- %3.0f]`
    Summary { offset_rms: f64, offset_max: f64, freq_mean: f64, freq_sd: f64, delay: Option<(f64, f64)> },
    /// DEBUG `delay   filtered %10ld   raw %10ld`
    DelayMeasured { filtered_ns: i64, raw_ns: i64 },
    /// DEBUG `PI servo: sync interval %.3f kp %.3f ki %.6f`
    PiServoConstants { sync_interval: f64, kp: f64, ki: f64 },
    /// `clockcheck: clock jumped forward or running faster than expected!` (and the backward
    /// and frequency variants): the sanity check saw the clock misbehave; the servo is reset.
    ClockCheck(crate::clockcheck::ClockCheckFault),
    /// `%s: send sync failed`, `%s: send delay request failed`, ...: a message was not sent
    /// or its transmit timestamp never came (the port then goes FAULTY).
    SendFailed { port: PortNumber, message_type: MessageType },
    /// A received message was dropped (counted; DEBUG `%s: ignoring message` / ERR `%s: bad
    /// message` for malformed ones).
    Dropped { port: PortNumber, reason: DropReason },
}
