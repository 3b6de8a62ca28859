//! Unicast negotiation TLVs (IEEE 1588-2019 16.1.4).
//!
//! The messageType octet carries the granted message's type in its upper nibble; the lower
//! nibble is reserved (REQUEST, GRANT) or holds flags (CANCEL, ACKNOWLEDGE_CANCEL).

use crate::codec::{Reader, WireFormat, Writer};
use crate::header::MessageType;

/// REQUEST_UNICAST_TRANSMISSION (IEEE 1588-2019 16.1.4.1, Table 111).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RequestUnicastTransmission {
    /// messageType requested (4 bits; Announce, Sync, Delay_Resp or Pdelay_Resp).
    pub message_type: u8,
    pub log_inter_message_period: i8,
    /// durationField, seconds.
    pub duration_field: u32,
}

/// GRANT_UNICAST_TRANSMISSION (IEEE 1588-2019 16.1.4.2, Table 112).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GrantUnicastTransmission {
    pub message_type: u8,
    pub log_inter_message_period: i8,
    pub duration_field: u32,
    /// Bit 0: R (renewalInvited).
    pub renewal_invited: bool,
}

/// CANCEL_UNICAST_TRANSMISSION (IEEE 1588-2019 16.1.4.3, Table 113).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CancelUnicastTransmission {
    pub message_type: u8,
    /// Low nibble of the messageType octet: bit 0 maintainRequest, bit 1 maintainGrant.
    pub flags: u8,
}

/// ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION (IEEE 1588-2019 16.1.4.4, Table 114).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AcknowledgeCancelUnicastTransmission {
    pub message_type: u8,
    /// Low nibble of the messageType octet: bit 0 maintainRequest, bit 1 maintainGrant.
    pub flags: u8,
}

macro_rules! requested_type {
    ($($t:ty),*) => {$(
        impl $t {
            /// The message type this TLV is about, if it is a defined one.
            pub fn requested_message_type(&self) -> Option<MessageType> {
                MessageType::from_nibble(self.message_type)
            }
        }
    )*};
}
requested_type!(
    RequestUnicastTransmission,
    GrantUnicastTransmission,
    CancelUnicastTransmission,
    AcknowledgeCancelUnicastTransmission
);

impl WireFormat for RequestUnicastTransmission {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(RequestUnicastTransmission {
            message_type: r.u8()? >> 4,
            log_inter_message_period: r.i8()?,
            duration_field: r.u32()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.message_type << 4);
        w.i8(self.log_inter_message_period);
        w.u32(self.duration_field);
    }
    fn wire_len(&self) -> usize {
        6
    }
}

impl WireFormat for GrantUnicastTransmission {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let message_type = r.u8()? >> 4;
        let log_inter_message_period = r.i8()?;
        let duration_field = r.u32()?;
        let _reserved = r.u8()?;
        let flags = r.u8()?;
        Some(GrantUnicastTransmission {
            message_type,
            log_inter_message_period,
            duration_field,
            renewal_invited: flags & 1 != 0,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.message_type << 4);
        w.i8(self.log_inter_message_period);
        w.u32(self.duration_field);
        w.u8(0);
        w.u8(u8::from(self.renewal_invited));
    }
    fn wire_len(&self) -> usize {
        8
    }
}

macro_rules! cancel_like {
    ($t:ident) => {
        impl WireFormat for $t {
            fn parse(r: &mut Reader<'_>) -> Option<Self> {
                let b = r.u8()?;
                let _reserved = r.u8()?;
                Some($t { message_type: b >> 4, flags: b & 0x0f })
            }
            fn emit(&self, w: &mut Writer<'_>) {
                w.u8((self.message_type << 4) | (self.flags & 0x0f));
                w.u8(0);
            }
            fn wire_len(&self) -> usize {
                2
            }
        }
    };
}
cancel_like!(CancelUnicastTransmission);
cancel_like!(AcknowledgeCancelUnicastTransmission);
