//! The common message header (IEEE 1588-2019 13.3, Table 35) and its flagField (Table 37).

use core::fmt;

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{PortIdentity, TimeInterval};
use crate::error::ParseError;

/// Length of the common header.
pub const HEADER_LEN: usize = 34;

/// Byte offsets of the header fields (IEEE 1588-2019 Table 35).
pub mod field {
    use core::ops::Range;
    /// majorSdoId (high nibble) | messageType (low nibble).
    pub const SDO_TYPE: usize = 0;
    /// minorVersionPTP (high nibble) | versionPTP (low nibble).
    pub const VERSION: usize = 1;
    pub const MESSAGE_LENGTH: Range<usize> = 2..4;
    pub const DOMAIN_NUMBER: usize = 4;
    pub const MINOR_SDO_ID: usize = 5;
    pub const FLAG_FIELD: Range<usize> = 6..8;
    pub const CORRECTION_FIELD: Range<usize> = 8..16;
    pub const MESSAGE_TYPE_SPECIFIC: Range<usize> = 16..20;
    pub const SOURCE_PORT_IDENTITY: Range<usize> = 20..30;
    pub const SEQUENCE_ID: Range<usize> = 30..32;
    pub const CONTROL_FIELD: usize = 32;
    pub const LOG_MESSAGE_INTERVAL: usize = 33;
}

/// messageType (IEEE 1588-2019 13.3.2.3, Table 36). Event messages are 0x0-0x3.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum MessageType {
    Sync = 0x0,
    DelayReq = 0x1,
    PdelayReq = 0x2,
    PdelayResp = 0x3,
    FollowUp = 0x8,
    DelayResp = 0x9,
    PdelayRespFollowUp = 0xa,
    Announce = 0xb,
    Signaling = 0xc,
    Management = 0xd,
}

impl MessageType {
    /// All ten message types, in value order.
    pub const ALL: [MessageType; 10] = [
        MessageType::Sync,
        MessageType::DelayReq,
        MessageType::PdelayReq,
        MessageType::PdelayResp,
        MessageType::FollowUp,
        MessageType::DelayResp,
        MessageType::PdelayRespFollowUp,
        MessageType::Announce,
        MessageType::Signaling,
        MessageType::Management,
    ];

    /// From the low nibble of the first header octet.
    pub const fn from_nibble(v: u8) -> Option<Self> {
        Some(match v & 0x0f {
            0x0 => MessageType::Sync,
            0x1 => MessageType::DelayReq,
            0x2 => MessageType::PdelayReq,
            0x3 => MessageType::PdelayResp,
            0x8 => MessageType::FollowUp,
            0x9 => MessageType::DelayResp,
            0xa => MessageType::PdelayRespFollowUp,
            0xb => MessageType::Announce,
            0xc => MessageType::Signaling,
            0xd => MessageType::Management,
            _ => return None,
        })
    }

    /// The standard's name in upper case, as tshark and linuxptp's counters use it
    /// (`SYNC`, `DELAY_REQ`, ..., `MANAGEMENT`).
    pub const fn name(self) -> &'static str {
        match self {
            MessageType::Sync => "SYNC",
            MessageType::DelayReq => "DELAY_REQ",
            MessageType::PdelayReq => "PDELAY_REQ",
            MessageType::PdelayResp => "PDELAY_RESP",
            MessageType::FollowUp => "FOLLOW_UP",
            MessageType::DelayResp => "DELAY_RESP",
            MessageType::PdelayRespFollowUp => "PDELAY_RESP_FOLLOW_UP",
            MessageType::Announce => "ANNOUNCE",
            MessageType::Signaling => "SIGNALING",
            MessageType::Management => "MANAGEMENT",
        }
    }

    /// Event messages are timestamped and sent to UDP port 319.
    pub const fn is_event(self) -> bool {
        (self as u8) < 0x8
    }

    /// Length of the fixed part: header plus the fixed body (IEEE 1588-2019 clause 13).
    pub const fn fixed_len(self) -> usize {
        HEADER_LEN
            + match self {
                MessageType::Sync | MessageType::DelayReq | MessageType::FollowUp => 10,
                MessageType::PdelayReq
                | MessageType::PdelayResp
                | MessageType::DelayResp
                | MessageType::PdelayRespFollowUp => 20,
                MessageType::Announce => 30,
                MessageType::Signaling => 10,
                MessageType::Management => 14,
            }
    }

    /// The controlField value of IEEE 1588-2008 Table 23 that 1588-2019 senders still use for
    /// compatibility (13.3.2.13).
    pub const fn legacy_control_field(self) -> u8 {
        match self {
            MessageType::Sync => 0,
            MessageType::DelayReq => 1,
            MessageType::FollowUp => 2,
            MessageType::DelayResp => 3,
            MessageType::Management => 4,
            _ => 5,
        }
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MessageType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// flagField (IEEE 1588-2019 13.3.2.8, Table 37), kept as the 16-bit value sent on the wire
/// (octet 0 is the high byte), so that reserved bits survive a parse/emit round trip.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FlagField(pub u16);

macro_rules! flag_bits {
    ($($(#[$m:meta])* $konst:ident = $bit:expr, $get:ident, $set:ident, $text:literal;)*) => {
        impl FlagField {
            $( $(#[$m])* pub const $konst: u16 = $bit; )*
            $(
                $(#[$m])*
                pub const fn $get(self) -> bool { self.0 & $bit != 0 }
                pub fn $set(&mut self, on: bool) {
                    if on { self.0 |= $bit } else { self.0 &= !$bit }
                }
            )*
            /// (bit, name) for every defined flag, in wire order.
            pub const NAMES: &'static [(u16, &'static str)] = &[$(($bit, $text)),*];
        }
    };
}

flag_bits! {
    /// Octet 0 bit 0: alternateMasterFlag.
    ALTERNATE_MASTER = 1 << 8, alternate_master, set_alternate_master, "alternateMaster";
    /// Octet 0 bit 1: twoStepFlag.
    TWO_STEP = 1 << 9, two_step, set_two_step, "twoStep";
    /// Octet 0 bit 2: unicastFlag.
    UNICAST = 1 << 10, unicast, set_unicast, "unicast";
    /// Octet 0 bit 5: PTP profile Specific 1.
    PROFILE_SPECIFIC_1 = 1 << 13, profile_specific_1, set_profile_specific_1, "profileSpecific1";
    /// Octet 0 bit 6: PTP profile Specific 2.
    PROFILE_SPECIFIC_2 = 1 << 14, profile_specific_2, set_profile_specific_2, "profileSpecific2";
    /// Octet 1 bit 0: leap61.
    LEAP_61 = 1 << 0, leap61, set_leap61, "leap61";
    /// Octet 1 bit 1: leap59.
    LEAP_59 = 1 << 1, leap59, set_leap59, "leap59";
    /// Octet 1 bit 2: currentUtcOffsetValid.
    CURRENT_UTC_OFFSET_VALID = 1 << 2, current_utc_offset_valid, set_current_utc_offset_valid, "currentUtcOffsetValid";
    /// Octet 1 bit 3: ptpTimescale.
    PTP_TIMESCALE = 1 << 3, ptp_timescale, set_ptp_timescale, "ptpTimescale";
    /// Octet 1 bit 4: timeTraceable.
    TIME_TRACEABLE = 1 << 4, time_traceable, set_time_traceable, "timeTraceable";
    /// Octet 1 bit 5: frequencyTraceable.
    FREQUENCY_TRACEABLE = 1 << 5, frequency_traceable, set_frequency_traceable, "frequencyTraceable";
    /// Octet 1 bit 6: synchronizationUncertain.
    SYNCHRONIZATION_UNCERTAIN = 1 << 6, synchronization_uncertain, set_synchronization_uncertain, "synchronizationUncertain";
}

impl FlagField {
    /// Names of the flags that are set, in wire order.
    pub fn set_names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES.iter().filter(move |(bit, _)| self.0 & bit != 0).map(|(_, n)| *n)
    }
}

impl fmt::Debug for FlagField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FlagField(0x{:04x}", self.0)?;
        for n in self.set_names() {
            write!(f, " {n}")?;
        }
        f.write_str(")")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for FlagField {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("FlagField", 2)?;
        st.serialize_field("value", &self.0)?;
        st.serialize_field("set", &self.set_names().collect::<Vec<_>>())?;
        st.end()
    }
}

/// The common header (IEEE 1588-2019 13.3, Table 35).
///
/// messageLength is not stored: it is checked on parse and computed on emit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Header {
    /// majorSdoId (4 bits); transportSpecific in IEEE 1588-2008 and 802.1AS (1 for gPTP).
    pub major_sdo_id: u8,
    pub message_type: MessageType,
    /// minorVersionPTP (4 bits): 1 for 1588-2019 (linuxptp 4.x), 0 for 1588-2008 senders.
    pub minor_version_ptp: u8,
    /// versionPTP (4 bits): always 2 after a successful parse.
    pub version_ptp: u8,
    pub domain_number: u8,
    /// minorSdoId (octet 5; reserved in 1588-2008).
    pub minor_sdo_id: u8,
    pub flag_field: FlagField,
    /// correctionField, nanoseconds scaled by 2^16.
    pub correction_field: TimeInterval,
    /// messageTypeSpecific (octets 16-19; reserved in 1588-2008).
    pub message_type_specific: [u8; 4],
    pub source_port_identity: PortIdentity,
    pub sequence_id: u16,
    /// controlField (deprecated in 1588-2019, still sent as in 1588-2008 Table 23).
    pub control_field: u8,
    pub log_message_interval: i8,
}

impl Header {
    /// A header with linuxptp 4.x defaults for `message_type`: versionPTP 2, minorVersionPTP 1,
    /// controlField 0 (as linuxptp 4.x sends with minorVersionPTP 1; a 1588-2008 sender uses
    /// [`MessageType::legacy_control_field`]), logMessageInterval 0x7f, everything else zero.
    pub fn new(message_type: MessageType) -> Self {
        Header {
            major_sdo_id: 0,
            message_type,
            minor_version_ptp: 1,
            version_ptp: 2,
            domain_number: 0,
            minor_sdo_id: 0,
            flag_field: FlagField::default(),
            correction_field: TimeInterval::default(),
            message_type_specific: [0; 4],
            source_port_identity: PortIdentity::default(),
            sequence_id: 0,
            control_field: 0,
            log_message_interval: 0x7f,
        }
    }

    /// Parse the 34 header octets. The caller has checked the length and version; this only
    /// fails on a short buffer or an unknown messageType.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, ParseError> {
        let available = r.remaining();
        let short = ParseError::TooShort { needed: HEADER_LEN, available };
        let b0 = r.u8().ok_or(short)?;
        let message_type = MessageType::from_nibble(b0).ok_or(ParseError::UnknownMessageType(b0 & 0x0f))?;
        let b1 = r.u8().ok_or(short)?;
        let _message_length = r.u16().ok_or(short)?;
        Ok(Header {
            major_sdo_id: b0 >> 4,
            message_type,
            minor_version_ptp: b1 >> 4,
            version_ptp: b1 & 0x0f,
            domain_number: r.u8().ok_or(short)?,
            minor_sdo_id: r.u8().ok_or(short)?,
            flag_field: FlagField(r.u16().ok_or(short)?),
            correction_field: TimeInterval(r.i64().ok_or(short)?),
            message_type_specific: r.array().ok_or(short)?,
            source_port_identity: PortIdentity::parse(r).ok_or(short)?,
            sequence_id: r.u16().ok_or(short)?,
            control_field: r.u8().ok_or(short)?,
            log_message_interval: r.i8().ok_or(short)?,
        })
    }

    pub(crate) fn emit(&self, w: &mut Writer<'_>, message_length: u16) {
        w.u8((self.major_sdo_id << 4) | self.message_type as u8);
        w.u8((self.minor_version_ptp << 4) | (self.version_ptp & 0x0f));
        w.u16(message_length);
        w.u8(self.domain_number);
        w.u8(self.minor_sdo_id);
        w.u16(self.flag_field.0);
        w.i64(self.correction_field.0);
        w.bytes(&self.message_type_specific);
        self.source_port_identity.emit(w);
        w.u16(self.sequence_id);
        w.u8(self.control_field);
        w.i8(self.log_message_interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_type_nibbles() {
        for t in MessageType::ALL {
            assert_eq!(MessageType::from_nibble(t as u8), Some(t));
        }
        for v in [4u8, 5, 6, 7, 0xe, 0xf] {
            assert_eq!(MessageType::from_nibble(v), None);
        }
        assert!(MessageType::PdelayResp.is_event());
        assert!(!MessageType::FollowUp.is_event());
        assert_eq!(MessageType::Announce.fixed_len(), 64);
        assert_eq!(MessageType::Management.fixed_len(), 48);
    }

    #[test]
    fn flag_bits_are_where_table_37_puts_them() {
        // twoStep|unicast in octet 0, ptpTimescale|currentUtcOffsetValid in octet 1.
        let f = FlagField(u16::from_be_bytes([0x06, 0x0c]));
        assert!(f.two_step() && f.unicast() && f.ptp_timescale() && f.current_utc_offset_valid());
        assert!(!f.alternate_master() && !f.leap61() && !f.leap59());
        let mut g = FlagField::default();
        g.set_two_step(true);
        g.set_synchronization_uncertain(true);
        assert_eq!(g.0.to_be_bytes(), [0x02, 0x40]);
        assert_eq!(g.set_names().collect::<Vec<_>>(), ["twoStep", "synchronizationUncertain"]);
    }
}
