//! AUTHENTICATION TLV (IEEE 1588-2019 16.14.3, Table 132).

use crate::codec::{Reader, WireFormat, Writer};

/// The authentication TLV that closes a secured message.
///
/// The lengths of the optional disclosedKey, sequenceNo and RES fields and of the ICV depend on
/// the security association, which the codec does not know; everything after keyID is
/// therefore kept together in `icv` as received. With secParamIndicator 0 (all linuxptp sends)
/// `icv` is exactly the integrity check value.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Authentication {
    /// spp: security parameter pointer.
    pub spp: u8,
    /// secParamIndicator: bit 0 disclosedKey, bit 1 sequenceNo, bit 2 RES present.
    pub sec_param_indicator: u8,
    pub key_id: u32,
    /// Optional fields (when secParamIndicator says so) followed by the ICV.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
    pub icv: Vec<u8>,
}

impl WireFormat for Authentication {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(Authentication {
            spp: r.u8()?,
            sec_param_indicator: r.u8()?,
            key_id: r.u32()?,
            icv: r.take(r.remaining())?.to_vec(),
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.spp);
        w.u8(self.sec_param_indicator);
        w.u32(self.key_id);
        w.bytes(&self.icv);
    }
    fn wire_len(&self) -> usize {
        6 + self.icv.len()
    }
}
