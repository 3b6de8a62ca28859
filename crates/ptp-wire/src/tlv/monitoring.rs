//! Slave event monitoring TLVs (IEEE 1588-2019 16.11) and linuxptp's
//! SLAVE_DELAY_TIMING_DATA_NP, which ptp4l sends in Signaling to its `slave_event_monitor`
//! socket.

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{PortIdentity, TimeInterval, Timestamp};

/// Parse records until the reader is empty; a partial record fails.
fn records<T: WireFormat>(r: &mut Reader<'_>) -> Option<Vec<T>> {
    let mut v = Vec::new();
    while !r.is_empty() {
        v.push(T::parse(r)?);
    }
    Some(v)
}

macro_rules! record {
    ($(#[$m:meta])* $name:ident, $len:expr, { $($(#[$fm:meta])* $f:ident : $t:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name {
            $( $(#[$fm])* pub $f: $t, )*
        }
        impl WireFormat for $name {
            fn parse(r: &mut Reader<'_>) -> Option<Self> {
                Some($name { $( $f: WireFormat::parse(r)?, )* })
            }
            fn emit(&self, w: &mut Writer<'_>) {
                $( self.$f.emit(w); )*
            }
            fn wire_len(&self) -> usize {
                $len
            }
        }
    };
}

// Plain integers take part in the record macro through these impls.
macro_rules! int_wire {
    ($($t:ty => $get:ident),*) => {$(
        impl WireFormat for $t {
            fn parse(r: &mut Reader<'_>) -> Option<Self> { r.$get() }
            fn emit(&self, w: &mut Writer<'_>) { w.$get(*self) }
            fn wire_len(&self) -> usize { core::mem::size_of::<$t>() }
        }
    )*};
}
int_wire!(u16 => u16, i32 => i32);

record!(
    /// One Sync seen by the slave (IEEE 1588-2019 Table 136).
    SlaveRxSyncTimingRecord, 34, {
        sequence_id: u16,
        sync_origin_timestamp: Timestamp,
        total_correction_field: TimeInterval,
        scaled_cumulative_rate_offset: i32,
        sync_event_ingress_timestamp: Timestamp,
    }
);

record!(
    /// One computed result (IEEE 1588-2019 Table 138).
    SlaveRxSyncComputedRecord, 22, {
        sequence_id: u16,
        offset_from_master: TimeInterval,
        mean_path_delay: TimeInterval,
        scaled_neighbor_rate_ratio: i32,
    }
);

record!(
    /// One transmitted event message (IEEE 1588-2019 Table 140).
    SlaveTxEventTimestampsRecord, 12, {
        sequence_id: u16,
        event_egress_timestamp: Timestamp,
    }
);

record!(
    /// One Delay_Req/Delay_Resp exchange (linuxptp `struct slave_delay_timing_record`).
    SlaveDelayTimingRecord, 30, {
        sequence_id: u16,
        delay_origin_timestamp: Timestamp,
        total_correction_field: TimeInterval,
        delay_response_timestamp: Timestamp,
    }
);

/// SLAVE_RX_SYNC_TIMING_DATA (IEEE 1588-2019 16.11.4.1, Table 135).
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SlaveRxSyncTimingData {
    pub sync_source_port_identity: PortIdentity,
    pub records: Vec<SlaveRxSyncTimingRecord>,
}

impl WireFormat for SlaveRxSyncTimingData {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(SlaveRxSyncTimingData { sync_source_port_identity: PortIdentity::parse(r)?, records: records(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.sync_source_port_identity.emit(w);
        self.records.iter().for_each(|x| x.emit(w));
    }
    fn wire_len(&self) -> usize {
        10 + 34 * self.records.len()
    }
}

/// SLAVE_RX_SYNC_COMPUTED_DATA (IEEE 1588-2019 16.11.4.2, Table 137).
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SlaveRxSyncComputedData {
    pub source_port_identity: PortIdentity,
    /// Bit 0 scaledNeighborRateRatioValid, bit 1 meanPathDelayValid, bit 2
    /// offsetFromMasterValid.
    pub computed_flags: u8,
    pub records: Vec<SlaveRxSyncComputedRecord>,
}

impl WireFormat for SlaveRxSyncComputedData {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let source_port_identity = PortIdentity::parse(r)?;
        let computed_flags = r.u8()?;
        let _reserved = r.u8()?;
        Some(SlaveRxSyncComputedData { source_port_identity, computed_flags, records: records(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.source_port_identity.emit(w);
        w.u8(self.computed_flags);
        w.u8(0);
        self.records.iter().for_each(|x| x.emit(w));
    }
    fn wire_len(&self) -> usize {
        12 + 22 * self.records.len()
    }
}

/// SLAVE_TX_EVENT_TIMESTAMPS (IEEE 1588-2019 16.11.5.1, Table 139).
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SlaveTxEventTimestamps {
    pub source_port_identity: PortIdentity,
    /// eventMessageType (low nibble; the high nibble is reserved).
    pub event_message_type: u8,
    pub records: Vec<SlaveTxEventTimestampsRecord>,
}

impl WireFormat for SlaveTxEventTimestamps {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let source_port_identity = PortIdentity::parse(r)?;
        let event_message_type = r.u8()? & 0x0f;
        let _reserved = r.u8()?;
        Some(SlaveTxEventTimestamps { source_port_identity, event_message_type, records: records(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.source_port_identity.emit(w);
        w.u8(self.event_message_type & 0x0f);
        w.u8(0);
        self.records.iter().for_each(|x| x.emit(w));
    }
    fn wire_len(&self) -> usize {
        12 + 12 * self.records.len()
    }
}

/// SLAVE_DELAY_TIMING_DATA_NP (linuxptp tlv.h, type 0x7F00).
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SlaveDelayTimingDataNp {
    pub source_port_identity: PortIdentity,
    pub records: Vec<SlaveDelayTimingRecord>,
}

impl WireFormat for SlaveDelayTimingDataNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(SlaveDelayTimingDataNp { source_port_identity: PortIdentity::parse(r)?, records: records(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.source_port_identity.emit(w);
        self.records.iter().for_each(|x| x.emit(w));
    }
    fn wire_len(&self) -> usize {
        10 + 30 * self.records.len()
    }
}
