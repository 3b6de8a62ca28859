//! ORGANIZATION_EXTENSION TLVs (IEEE 1588-2019 14.3, Table 53) and the organisation bodies
//! linuxptp knows: IEEE 802.1AS Follow_Up information and message interval request, ITU-T
//! G.8275.2 interface rate, IEEE C37.238 power profile. Any other organisation or subtype is
//! kept as raw data.

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::ScaledNs;

/// IEEE 802.1 OUI.
pub const OUI_IEEE_802_1: [u8; 3] = [0x00, 0x80, 0xc2];
/// ITU-T OUI.
pub const OUI_ITU_T: [u8; 3] = [0x00, 0x19, 0xa7];
/// IEEE C37.238 (power profile) OUI.
pub const OUI_IEEE_C37_238: [u8; 3] = [0x1c, 0x12, 0x9d];

const SUB_1: [u8; 3] = [0, 0, 1];
const SUB_2: [u8; 3] = [0, 0, 2];

/// The value of an ORGANIZATION_EXTENSION (or _PROPAGATE / _DO_NOT_PROPAGATE) TLV:
/// organizationId, organizationSubType and the organisation's data.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum OrganizationExtension {
    /// 00-80-C2 / 000001.
    FollowUpInformation(FollowUpInformation),
    /// 00-80-C2 / 000002.
    MessageIntervalRequest(MessageIntervalRequest),
    /// 00-19-A7 / 000002.
    InterfaceRate(InterfaceRate),
    /// 1C-12-9D / 000001.
    PowerProfile2011(PowerProfile2011),
    /// 1C-12-9D / 000002.
    PowerProfile2017(PowerProfile2017),
    /// Any other organisation or subtype.
    Other {
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
        organization_id: [u8; 3],
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
        organization_sub_type: [u8; 3],
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
        data: Vec<u8>,
    },
}

impl OrganizationExtension {
    /// (organizationId, organizationSubType) sent for this body.
    pub fn ids(&self) -> ([u8; 3], [u8; 3]) {
        match self {
            OrganizationExtension::FollowUpInformation(_) => (OUI_IEEE_802_1, SUB_1),
            OrganizationExtension::MessageIntervalRequest(_) => (OUI_IEEE_802_1, SUB_2),
            OrganizationExtension::InterfaceRate(_) => (OUI_ITU_T, SUB_2),
            OrganizationExtension::PowerProfile2011(_) => (OUI_IEEE_C37_238, SUB_1),
            OrganizationExtension::PowerProfile2017(_) => (OUI_IEEE_C37_238, SUB_2),
            OrganizationExtension::Other { organization_id, organization_sub_type, .. } => {
                (*organization_id, *organization_sub_type)
            }
        }
    }

    /// True if (organizationId, organizationSubType) selects a typed body.
    pub fn is_known(organization_id: [u8; 3], organization_sub_type: [u8; 3]) -> bool {
        matches!(
            (organization_id, organization_sub_type),
            (OUI_IEEE_802_1, SUB_1 | SUB_2) | (OUI_ITU_T, SUB_2) | (OUI_IEEE_C37_238, SUB_1 | SUB_2)
        )
    }
}

impl WireFormat for OrganizationExtension {
    /// Reads to the end of the reader: a known body must fill the value exactly.
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let organization_id: [u8; 3] = r.array()?;
        let organization_sub_type: [u8; 3] = r.array()?;
        let rest = r.take(r.remaining())?;
        Some(match (organization_id, organization_sub_type) {
            (OUI_IEEE_802_1, SUB_1) => OrganizationExtension::FollowUpInformation(WireFormat::from_bytes(rest)?),
            (OUI_IEEE_802_1, SUB_2) => OrganizationExtension::MessageIntervalRequest(WireFormat::from_bytes(rest)?),
            (OUI_ITU_T, SUB_2) => OrganizationExtension::InterfaceRate(WireFormat::from_bytes(rest)?),
            (OUI_IEEE_C37_238, SUB_1) => OrganizationExtension::PowerProfile2011(WireFormat::from_bytes(rest)?),
            (OUI_IEEE_C37_238, SUB_2) => OrganizationExtension::PowerProfile2017(WireFormat::from_bytes(rest)?),
            _ => OrganizationExtension::Other { organization_id, organization_sub_type, data: rest.to_vec() },
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        let (oui, sub) = self.ids();
        w.bytes(&oui);
        w.bytes(&sub);
        match self {
            OrganizationExtension::FollowUpInformation(b) => b.emit(w),
            OrganizationExtension::MessageIntervalRequest(b) => b.emit(w),
            OrganizationExtension::InterfaceRate(b) => b.emit(w),
            OrganizationExtension::PowerProfile2011(b) => b.emit(w),
            OrganizationExtension::PowerProfile2017(b) => b.emit(w),
            OrganizationExtension::Other { data, .. } => w.bytes(data),
        }
    }
    fn wire_len(&self) -> usize {
        6 + match self {
            OrganizationExtension::FollowUpInformation(b) => b.wire_len(),
            OrganizationExtension::MessageIntervalRequest(b) => b.wire_len(),
            OrganizationExtension::InterfaceRate(b) => b.wire_len(),
            OrganizationExtension::PowerProfile2011(b) => b.wire_len(),
            OrganizationExtension::PowerProfile2017(b) => b.wire_len(),
            OrganizationExtension::Other { data, .. } => data.len(),
        }
    }
}

/// Follow_Up information TLV body (IEEE 802.1AS-2020 11.4.4.3, Table 11-11).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FollowUpInformation {
    /// (rateRatio - 1) * 2^41.
    pub cumulative_scaled_rate_offset: i32,
    pub gm_time_base_indicator: u16,
    pub last_gm_phase_change: ScaledNs,
    /// scaledLastGmFreqChange (linuxptp calls it scaledLastGmPhaseChange).
    pub scaled_last_gm_freq_change: i32,
}

impl WireFormat for FollowUpInformation {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(FollowUpInformation {
            cumulative_scaled_rate_offset: r.i32()?,
            gm_time_base_indicator: r.u16()?,
            last_gm_phase_change: ScaledNs::parse(r)?,
            scaled_last_gm_freq_change: r.i32()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i32(self.cumulative_scaled_rate_offset);
        w.u16(self.gm_time_base_indicator);
        self.last_gm_phase_change.emit(w);
        w.i32(self.scaled_last_gm_freq_change);
    }
    fn wire_len(&self) -> usize {
        22
    }
}

/// Message interval request TLV body (IEEE 802.1AS-2020 10.6.4.3, Table 10-20).
/// Interval value 126 means "set to initial", 127 "stop sending", -128 "no change".
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MessageIntervalRequest {
    pub link_delay_interval: i8,
    pub time_sync_interval: i8,
    pub announce_interval: i8,
    /// Bit 0 computeNeighborRateRatio, bit 1 computeMeanLinkDelay, bit 2 oneStepReceiveCapable.
    pub flags: u8,
}

impl WireFormat for MessageIntervalRequest {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let v = MessageIntervalRequest {
            link_delay_interval: r.i8()?,
            time_sync_interval: r.i8()?,
            announce_interval: r.i8()?,
            flags: r.u8()?,
        };
        r.take(2)?;
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i8(self.link_delay_interval);
        w.i8(self.time_sync_interval);
        w.i8(self.announce_interval);
        w.u8(self.flags);
        w.zeros(2);
    }
    fn wire_len(&self) -> usize {
        6
    }
}

/// Interface rate TLV body (ITU-T G.8275.2 Annex D).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct InterfaceRate {
    /// interfaceBitPeriod, attoseconds.
    pub interface_bit_period: u64,
    pub number_of_bits_before_timestamp: u16,
    pub number_of_bits_after_timestamp: u16,
}

impl WireFormat for InterfaceRate {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(InterfaceRate {
            interface_bit_period: r.u64()?,
            number_of_bits_before_timestamp: r.u16()?,
            number_of_bits_after_timestamp: r.u16()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u64(self.interface_bit_period);
        w.u16(self.number_of_bits_before_timestamp);
        w.u16(self.number_of_bits_after_timestamp);
    }
    fn wire_len(&self) -> usize {
        12
    }
}

/// IEEE C37.238-2011 power profile TLV body (sent in Announce), with two pad octets.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PowerProfile2011 {
    pub grandmaster_id: u16,
    /// grandmasterTimeInaccuracy, ns.
    pub grandmaster_time_inaccuracy: u32,
    /// networkTimeInaccuracy, ns.
    pub network_time_inaccuracy: u32,
}

impl WireFormat for PowerProfile2011 {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let v = PowerProfile2011 {
            grandmaster_id: r.u16()?,
            grandmaster_time_inaccuracy: r.u32()?,
            network_time_inaccuracy: r.u32()?,
        };
        r.take(2)?;
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.grandmaster_id);
        w.u32(self.grandmaster_time_inaccuracy);
        w.u32(self.network_time_inaccuracy);
        w.zeros(2);
    }
    fn wire_len(&self) -> usize {
        12
    }
}

/// IEEE C37.238-2017 power profile TLV body, with a reserved word and two pad octets.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PowerProfile2017 {
    pub grandmaster_id: u16,
    /// totalTimeInaccuracy, ns.
    pub total_time_inaccuracy: u32,
}

impl WireFormat for PowerProfile2017 {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let grandmaster_id = r.u16()?;
        r.take(4)?;
        let total_time_inaccuracy = r.u32()?;
        r.take(2)?;
        Some(PowerProfile2017 { grandmaster_id, total_time_inaccuracy })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.grandmaster_id);
        w.zeros(4);
        w.u32(self.total_time_inaccuracy);
        w.zeros(2);
    }
    fn wire_len(&self) -> usize {
        12
    }
}
