//! linuxptp's NetSync Monitor TLVs: PTPMON_REQ (empty, see [`crate::Tlv::PtpMonReq`]) and
//! PTPMON_RESP, which ptp4l appends to the unicast Delay_Resp when `net_sync_monitor` is on.

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{PortAddress, PortStateValue, Timestamp};
use crate::management::{CurrentDataSet, ParentDataSet, TimePropertiesDataSet};

/// PTPMON_RESP (linuxptp tlv.h `struct ptpmon_resp`, type 0x21FF).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PtpMonResp {
    pub port_state: PortStateValue,
    pub parent_address: PortAddress,
    pub parent_data_set: ParentDataSet,
    pub current_data_set: CurrentDataSet,
    pub time_properties_data_set: TimePropertiesDataSet,
    pub last_sync_timestamp: Timestamp,
}

impl WireFormat for PtpMonResp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let port_state = PortStateValue(r.u8()?);
        let _reserved = r.u8()?;
        Some(PtpMonResp {
            port_state,
            parent_address: PortAddress::parse(r)?,
            parent_data_set: ParentDataSet::parse(r)?,
            current_data_set: CurrentDataSet::parse(r)?,
            time_properties_data_set: TimePropertiesDataSet::parse(r)?,
            last_sync_timestamp: Timestamp::parse(r)?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.port_state.0);
        w.u8(0);
        self.parent_address.emit(w);
        self.parent_data_set.emit(w);
        self.current_data_set.emit(w);
        self.time_properties_data_set.emit(w);
        self.last_sync_timestamp.emit(w);
    }
    fn wire_len(&self) -> usize {
        2 + self.parent_address.wire_len() + 32 + 18 + 4 + 10
    }
}
