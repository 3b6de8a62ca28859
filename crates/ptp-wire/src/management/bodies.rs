//! Typed dataField bodies, one per managementId. (Skeleton: filled in by the management work.)

use crate::codec::{Reader, Writer};
use crate::management::ManagementId;

/// The decoded dataField of a MANAGEMENT TLV.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ManagementData {
    /// No dataField at all (TLV lengthField 2).
    Empty,
    /// The dataField of an ID without a typed body, kept as received.
    Raw(#[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))] Vec<u8>),
}

impl ManagementData {
    /// Decode `data` (the dataField including any pad octet) for `id`; `None` if it does not
    /// match the layout of that ID.
    pub fn parse(_id: ManagementId, data: &[u8]) -> Option<Self> {
        if data.is_empty() {
            return Some(ManagementData::Empty);
        }
        let _ = Reader::new(data);
        Some(ManagementData::Raw(data.to_vec()))
    }

    /// Length of the dataField without pad.
    pub fn body_len(&self) -> usize {
        match self {
            ManagementData::Empty => 0,
            ManagementData::Raw(b) => b.len(),
        }
    }

    /// Length of the dataField including the pad octet that makes it even.
    pub fn padded_len(&self) -> usize {
        match self {
            // Raw bytes are sent exactly as received.
            ManagementData::Raw(b) => b.len(),
            _ => self.body_len() + self.body_len() % 2,
        }
    }

    pub fn emit_padded(&self, w: &mut Writer<'_>) {
        match self {
            ManagementData::Empty => {}
            ManagementData::Raw(b) => w.bytes(b),
        }
    }
}

use crate::codec::WireFormat;
use crate::datatypes::{ClockIdentity, ClockQuality, PortIdentity, TimeInterval, TimeSource};

/// CURRENT_DATA_SET body (IEEE 1588-2019 15.5.3.4.1, Table 86).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CurrentDataSet {
    pub steps_removed: u16,
    pub offset_from_master: TimeInterval,
    pub mean_path_delay: TimeInterval,
}

impl WireFormat for CurrentDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(CurrentDataSet {
            steps_removed: r.u16()?,
            offset_from_master: TimeInterval::parse(r)?,
            mean_path_delay: TimeInterval::parse(r)?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.steps_removed);
        self.offset_from_master.emit(w);
        self.mean_path_delay.emit(w);
    }
    fn wire_len(&self) -> usize {
        18
    }
}

/// PARENT_DATA_SET body (IEEE 1588-2019 15.5.3.5.1, Table 87).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ParentDataSet {
    pub parent_port_identity: PortIdentity,
    /// PS flag (bit 0): parentStats.
    pub parent_stats: u8,
    pub observed_parent_offset_scaled_log_variance: u16,
    pub observed_parent_clock_phase_change_rate: i32,
    pub grandmaster_priority1: u8,
    pub grandmaster_clock_quality: ClockQuality,
    pub grandmaster_priority2: u8,
    pub grandmaster_identity: ClockIdentity,
}

impl WireFormat for ParentDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let parent_port_identity = PortIdentity::parse(r)?;
        let parent_stats = r.u8()?;
        let _reserved = r.u8()?;
        Some(ParentDataSet {
            parent_port_identity,
            parent_stats,
            observed_parent_offset_scaled_log_variance: r.u16()?,
            observed_parent_clock_phase_change_rate: r.i32()?,
            grandmaster_priority1: r.u8()?,
            grandmaster_clock_quality: ClockQuality::parse(r)?,
            grandmaster_priority2: r.u8()?,
            grandmaster_identity: ClockIdentity::parse(r)?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.parent_port_identity.emit(w);
        w.u8(self.parent_stats);
        w.u8(0);
        w.u16(self.observed_parent_offset_scaled_log_variance);
        w.i32(self.observed_parent_clock_phase_change_rate);
        w.u8(self.grandmaster_priority1);
        self.grandmaster_clock_quality.emit(w);
        w.u8(self.grandmaster_priority2);
        self.grandmaster_identity.emit(w);
    }
    fn wire_len(&self) -> usize {
        32
    }
}

/// TIME_PROPERTIES_DATA_SET body (IEEE 1588-2019 15.5.3.6.1, Table 88).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TimePropertiesDataSet {
    pub current_utc_offset: i16,
    /// Bit 0 leap61, 1 leap59, 2 currentUtcOffsetValid, 3 ptpTimescale, 4 timeTraceable,
    /// 5 frequencyTraceable, 6 synchronizationUncertain (the same bits as octet 1 of the
    /// header's flagField).
    pub flags: u8,
    pub time_source: TimeSource,
}

impl WireFormat for TimePropertiesDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(TimePropertiesDataSet { current_utc_offset: r.i16()?, flags: r.u8()?, time_source: TimeSource(r.u8()?) })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i16(self.current_utc_offset);
        w.u8(self.flags);
        w.u8(self.time_source.0);
    }
    fn wire_len(&self) -> usize {
        4
    }
}
