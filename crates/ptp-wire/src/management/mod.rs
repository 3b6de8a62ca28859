//! Management TLVs (IEEE 1588-2019 clause 15) and linuxptp's `_NP` extensions.
//!
//! A MANAGEMENT TLV (IEEE 1588-2019 15.5.2, Table 77) carries a managementId and a dataField.
//! [`ManagementTlv`] decodes the dataField into a typed [`ManagementData`] body; a dataField
//! whose length is odd is followed by one pad octet (sent as zero) so the TLV stays even.
//! An empty dataField (a GET sent by `pmc -z`, or a reply with no body) is
//! [`ManagementData::Empty`]; the dataField of an ID this codec does not know is kept as
//! [`ManagementData::Raw`] and emitted unchanged.

mod bodies;
mod ids;

pub use bodies::*;
pub use ids::{ManagementErrorId, ManagementId};

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::PtpText;
use crate::error::ParseError;
use crate::tlv::TlvType;

/// A MANAGEMENT TLV's value: managementId and the decoded dataField.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ManagementTlv {
    pub management_id: ManagementId,
    pub data: ManagementData,
}

impl ManagementTlv {
    /// Parse the TLV value (managementId and dataField, without tlvType and lengthField).
    pub fn parse_value(value: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new(value);
        let management_id = ManagementId(r.u16().ok_or(ParseError::BadTlvBody { tlv_type: TlvType::MANAGEMENT })?);
        let data = ManagementData::parse(management_id, r.rest())
            .ok_or(ParseError::BadManagementBody { id: management_id })?;
        Ok(ManagementTlv { management_id, data })
    }

    /// Length of the value: managementId, dataField and pad.
    pub fn value_len(&self) -> usize {
        2 + self.data.padded_len()
    }

    pub fn emit_value(&self, w: &mut Writer<'_>) {
        w.u16(self.management_id.0);
        self.data.emit_padded(w);
    }
}

/// MANAGEMENT_ERROR_STATUS TLV value (IEEE 1588-2019 15.5.4, Table 107). linuxptp sends no
/// displayData (value length 8); a displayData that is present is kept, padded to even.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ManagementErrorStatus {
    pub management_error_id: ManagementErrorId,
    pub management_id: ManagementId,
    pub display_data: Option<PtpText>,
}

impl WireFormat for ManagementErrorStatus {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let management_error_id = ManagementErrorId(r.u16()?);
        let management_id = ManagementId(r.u16()?);
        r.take(4)?;
        let display_data = if r.is_empty() {
            None
        } else {
            let t = PtpText::parse(r)?;
            if t.wire_len() % 2 == 1 {
                r.u8()?;
            }
            Some(t)
        };
        Some(ManagementErrorStatus { management_error_id, management_id, display_data })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.management_error_id.0);
        w.u16(self.management_id.0);
        w.zeros(4);
        if let Some(t) = &self.display_data {
            t.emit(w);
            if t.wire_len() % 2 == 1 {
                w.u8(0);
            }
        }
    }
    fn wire_len(&self) -> usize {
        8 + self.display_data.as_ref().map_or(0, |t| t.wire_len() + t.wire_len() % 2)
    }
}
