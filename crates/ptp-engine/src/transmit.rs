//! What the engine asks the driver to do: send a message, adjust the clock.

use ptp_wire::{MessageType, PortAddress};

use crate::event::PortNumber;

/// Where a message goes (the driver maps it to an address of the port's transport).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Destination {
    /// The PTP primary multicast group (224.0.1.129, FF0x::181, 01-1B-19-00-00-00).
    Multicast,
    /// The peer delay multicast group (224.0.0.107, FF02::6B, 01-80-C2-00-00-0E).
    PeerMulticast,
    /// One node: an address the driver reported with a received message
    /// ([`crate::clock::Clock::handle_receive_from`]), e.g. the parent for `hybrid_e2e`.
    Unicast(PortAddress),
}

/// Identifies one sent event message whose transmit timestamp the engine needs. It cannot be
/// cloned: the driver answers each send exactly once, with
/// [`crate::clock::Clock::handle_tx_timestamp`] or
/// [`crate::clock::Clock::handle_tx_timestamp_missing`].
#[derive(PartialEq, Eq, Debug)]
pub struct TxToken {
    pub(crate) port: PortNumber,
    pub(crate) message_type: MessageType,
    pub(crate) sequence_id: u16,
}

impl TxToken {
    pub fn port(&self) -> PortNumber {
        self.port
    }
    pub fn message_type(&self) -> MessageType {
        self.message_type
    }
    pub fn sequence_id(&self) -> u16 {
        self.sequence_id
    }
}

/// One message to send.
#[derive(Debug)]
pub struct Transmit {
    /// The port to send on; [`crate::clock::UDS_PORT`] (0) means the UDS management
    /// socket's last read-write client (forwarded management messages).
    pub port: PortNumber,
    pub destination: Destination,
    /// Event message: send on the event port (UDP 319) and timestamp it.
    pub event: bool,
    pub bytes: Vec<u8>,
    /// Present when the engine needs the transmit timestamp.
    pub tx_token: Option<TxToken>,
    /// A one-step event message, sent without `tx_token`; the hardware (and a simulator in
    /// its place) completes it as it leaves. Sync: the NIC writes the transmit time into
    /// originTimestamp; no Follow_Up is sent. Pdelay_Resp (`time_stamping p2p1step`): the NIC
    /// adds the transmit time (scaled ns) to the correctionField, from which it took the
    /// Pdelay_Req's receive time, so the field carries the turnaround time; no
    /// Pdelay_Resp_Follow_Up is sent.
    pub one_step: bool,
}

/// A change to the disciplined clock.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum ClockAction {
    /// Set the clock's frequency offset to `ppb` (absolute; positive runs faster), as
    /// `clock_adjtime(ADJ_FREQUENCY)`.
    SetFrequency { ppb: f64 },
    /// Step the clock by `offset_ns` (positive moves it forward).
    Step { offset_ns: i64 },
    /// Arm the kernel's leap second for the coming UTC midnight of the system clock: `+1`
    /// inserts one (23:59:60, `adjtimex` status `STA_INS`), `-1` deletes one (23:59:59 is
    /// skipped, `STA_DEL`), `0` clears both. Only a disciplined UTC-timescale clock (software
    /// or legacy timestamping, not free_running) with `kernel_leap 1` asks for it: once with
    /// 0 at start, then whenever the leap second announced in timePropertiesDS (leap61 /
    /// leap59, IEEE 1588-2019 8.2.4.3-4) becomes due or has passed (see [`crate::utc`]).
    SetLeap { leap: i8 },
    /// Set the kernel's TAI-UTC offset (`adjtimex` `ADJ_TAI`, what `CLOCK_TAI` adds to the
    /// system clock) to `seconds`: sent by a disciplined UTC-timescale clock when the parent's
    /// currentUtcOffset is valid and traceable (IEEE 1588-2019 7.2.3, 8.2.4.2) and differs
    /// from the value last set.
    SetTaiOffset { seconds: i32 },
    /// `boundary_clock_jbod`: port `port` entered UNCALIBRATED, so from now on the clock to
    /// discipline is the one that time stamps that port's messages (its own PHC when the
    /// ports are "just a bunch of devices"; linuxptp `clock_switch_phc`). The driver opens
    /// it and answers with [`crate::clock::Clock::phc_switched`], or, when it cannot, with
    /// [`crate::clock::Clock::fault`] and [`crate::state::FaultType::SwitchPhc`]. A driver
    /// whose disciplined clock is no PHC (software timestamping, `free_running`) has nothing
    /// to switch and ignores it.
    SwitchPhc { port: PortNumber },
}
