//! Fixed message bodies, each named after its table in IEEE 1588-2019 clause 13.

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{ClockIdentity, ClockQuality, PortIdentity, TimeSource, Timestamp};
use crate::wire_enum::wire_enum;

macro_rules! timestamp_body {
    ($(#[$m:meta])* $name:ident, $field:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name {
            pub $field: Timestamp,
        }

        impl WireFormat for $name {
            fn parse(r: &mut Reader<'_>) -> Option<Self> {
                Some($name { $field: Timestamp::parse(r)? })
            }
            fn emit(&self, w: &mut Writer<'_>) {
                self.$field.emit(w);
            }
            fn wire_len(&self) -> usize {
                10
            }
        }
    };
}

macro_rules! timestamp_port_body {
    ($(#[$m:meta])* $name:ident, $ts:ident, $port:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name {
            pub $ts: Timestamp,
            pub $port: PortIdentity,
        }

        impl WireFormat for $name {
            fn parse(r: &mut Reader<'_>) -> Option<Self> {
                Some($name { $ts: Timestamp::parse(r)?, $port: PortIdentity::parse(r)? })
            }
            fn emit(&self, w: &mut Writer<'_>) {
                self.$ts.emit(w);
                self.$port.emit(w);
            }
            fn wire_len(&self) -> usize {
                20
            }
        }
    };
}

timestamp_body!(
    /// Sync message body (IEEE 1588-2019 13.6, Table 44).
    Sync,
    origin_timestamp
);
timestamp_body!(
    /// Delay_Req message body (IEEE 1588-2019 13.6, Table 44).
    DelayReq,
    origin_timestamp
);
timestamp_body!(
    /// Follow_Up message body (IEEE 1588-2019 13.7, Table 45).
    FollowUp,
    precise_origin_timestamp
);
timestamp_port_body!(
    /// Delay_Resp message body (IEEE 1588-2019 13.8, Table 46).
    DelayResp,
    receive_timestamp,
    requesting_port_identity
);
timestamp_port_body!(
    /// Pdelay_Resp message body (IEEE 1588-2019 13.10, Table 48).
    PdelayResp,
    request_receipt_timestamp,
    requesting_port_identity
);
timestamp_port_body!(
    /// Pdelay_Resp_Follow_Up message body (IEEE 1588-2019 13.11, Table 49).
    PdelayRespFollowUp,
    response_origin_timestamp,
    requesting_port_identity
);

/// Pdelay_Req message body (IEEE 1588-2019 13.9, Table 47): originTimestamp and ten reserved
/// octets (sent as zero).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PdelayReq {
    pub origin_timestamp: Timestamp,
}

impl WireFormat for PdelayReq {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let origin_timestamp = Timestamp::parse(r)?;
        r.take(10)?;
        Some(PdelayReq { origin_timestamp })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.origin_timestamp.emit(w);
        w.zeros(10);
    }
    fn wire_len(&self) -> usize {
        20
    }
}

/// Announce message body (IEEE 1588-2019 13.5, Table 43).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Announce {
    pub origin_timestamp: Timestamp,
    pub current_utc_offset: i16,
    pub grandmaster_priority1: u8,
    pub grandmaster_clock_quality: ClockQuality,
    pub grandmaster_priority2: u8,
    pub grandmaster_identity: ClockIdentity,
    pub steps_removed: u16,
    pub time_source: TimeSource,
}

impl WireFormat for Announce {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let origin_timestamp = Timestamp::parse(r)?;
        let current_utc_offset = r.i16()?;
        let _reserved = r.u8()?;
        Some(Announce {
            origin_timestamp,
            current_utc_offset,
            grandmaster_priority1: r.u8()?,
            grandmaster_clock_quality: ClockQuality::parse(r)?,
            grandmaster_priority2: r.u8()?,
            grandmaster_identity: ClockIdentity::parse(r)?,
            steps_removed: r.u16()?,
            time_source: TimeSource(r.u8()?),
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.origin_timestamp.emit(w);
        w.i16(self.current_utc_offset);
        w.u8(0);
        w.u8(self.grandmaster_priority1);
        self.grandmaster_clock_quality.emit(w);
        w.u8(self.grandmaster_priority2);
        self.grandmaster_identity.emit(w);
        w.u16(self.steps_removed);
        w.u8(self.time_source.0);
    }
    fn wire_len(&self) -> usize {
        30
    }
}

/// Signaling message body (IEEE 1588-2019 13.12, Table 51); the TLVs follow in
/// [`crate::Message::tlvs`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Signaling {
    pub target_port_identity: PortIdentity,
}

impl WireFormat for Signaling {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(Signaling { target_port_identity: PortIdentity::parse(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.target_port_identity.emit(w);
    }
    fn wire_len(&self) -> usize {
        10
    }
}

wire_enum! {
    /// actionField of a Management message (IEEE 1588-2019 15.4.1.6, Table 77).
    pub struct ManagementAction(u8) {
        GET = 0 => "GET",
        SET = 1 => "SET",
        RESPONSE = 2 => "RESPONSE",
        COMMAND = 3 => "COMMAND",
        ACKNOWLEDGE = 4 => "ACKNOWLEDGE",
    }
}

/// Management message body (IEEE 1588-2019 15.4.1, Table 76); the MANAGEMENT TLV follows in
/// [`crate::Message::tlvs`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Management {
    pub target_port_identity: PortIdentity,
    pub starting_boundary_hops: u8,
    pub boundary_hops: u8,
    /// actionField: the low nibble of octet 46; the high nibble is reserved (sent as zero).
    pub action: ManagementAction,
}

impl WireFormat for Management {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let target_port_identity = PortIdentity::parse(r)?;
        let starting_boundary_hops = r.u8()?;
        let boundary_hops = r.u8()?;
        let action = ManagementAction(r.u8()? & 0x0f);
        let _reserved = r.u8()?;
        Some(Management { target_port_identity, starting_boundary_hops, boundary_hops, action })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.target_port_identity.emit(w);
        w.u8(self.starting_boundary_hops);
        w.u8(self.boundary_hops);
        w.u8(self.action.0 & 0x0f);
        w.u8(0);
    }
    fn wire_len(&self) -> usize {
        14
    }
}
