//! TLV entities (IEEE 1588-2019 clause 14 and 16, linuxptp extensions).
//!
//! A TLV is tlvType (2 octets), lengthField (2 octets) and lengthField octets of value.
//! [`TlvIter`] walks the TLV area of a message and checks each lengthField against the end of
//! the message; [`Tlv::parse`] decodes a value into the typed body for its type. A TLV type
//! without a typed body here is kept as [`Tlv::Other`] and emitted unchanged.

mod alt_time_offset;
mod auth;
mod monitoring;
mod org;
mod path_trace;
mod ptpmon;
mod standard;
mod unicast;

pub use alt_time_offset::AlternateTimeOffsetIndicator;
pub use auth::Authentication;
pub use monitoring::{
    SlaveDelayTimingDataNp, SlaveDelayTimingRecord, SlaveRxSyncComputedData, SlaveRxSyncComputedRecord,
    SlaveRxSyncTimingData, SlaveRxSyncTimingRecord, SlaveTxEventTimestamps, SlaveTxEventTimestampsRecord,
};
pub use org::{
    FollowUpInformation, InterfaceRate, MessageIntervalRequest, OrganizationExtension, PowerProfile2011,
    PowerProfile2017, OUI_IEEE_802_1, OUI_IEEE_C37_238, OUI_ITU_T,
};
pub use path_trace::PathTrace;
pub use ptpmon::PtpMonResp;
pub use standard::{
    CumulativeRateRatio, EnhancedAccuracyMetrics, L1Sync, L1SyncExtended, PortCommunicationAvailability,
};
pub use unicast::{
    AcknowledgeCancelUnicastTransmission, CancelUnicastTransmission, GrantUnicastTransmission,
    RequestUnicastTransmission,
};

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::PortAddress;
use crate::error::{EmitError, ParseError};
use crate::management::{ManagementErrorStatus, ManagementTlv};
use crate::wire_enum::wire_enum;

/// Length of tlvType plus lengthField.
pub const TLV_HEADER_LEN: usize = 4;

wire_enum! {
    /// tlvType (IEEE 1588-2019 14.1.1, Table 52; linuxptp's tlv.h).
    pub struct TlvType(u16) {
        MANAGEMENT = 0x0001 => "MANAGEMENT",
        MANAGEMENT_ERROR_STATUS = 0x0002 => "MANAGEMENT_ERROR_STATUS",
        ORGANIZATION_EXTENSION = 0x0003 => "ORGANIZATION_EXTENSION",
        REQUEST_UNICAST_TRANSMISSION = 0x0004 => "REQUEST_UNICAST_TRANSMISSION",
        GRANT_UNICAST_TRANSMISSION = 0x0005 => "GRANT_UNICAST_TRANSMISSION",
        CANCEL_UNICAST_TRANSMISSION = 0x0006 => "CANCEL_UNICAST_TRANSMISSION",
        ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION = 0x0007 => "ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION",
        PATH_TRACE = 0x0008 => "PATH_TRACE",
        ALTERNATE_TIME_OFFSET_INDICATOR = 0x0009 => "ALTERNATE_TIME_OFFSET_INDICATOR",
        AUTHENTICATION_2008 = 0x2000 => "AUTHENTICATION_2008",
        AUTHENTICATION_CHALLENGE = 0x2001 => "AUTHENTICATION_CHALLENGE",
        SECURITY_ASSOCIATION_UPDATE = 0x2002 => "SECURITY_ASSOCIATION_UPDATE",
        CUM_FREQ_SCALE_FACTOR_OFFSET = 0x2003 => "CUM_FREQ_SCALE_FACTOR_OFFSET",
        PTPMON_REQ = 0x21fe => "PTPMON_REQ",
        PTPMON_RESP = 0x21ff => "PTPMON_RESP",
        ORGANIZATION_EXTENSION_PROPAGATE = 0x4000 => "ORGANIZATION_EXTENSION_PROPAGATE",
        ENHANCED_ACCURACY_METRICS = 0x4001 => "ENHANCED_ACCURACY_METRICS",
        ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE = 0x8000 => "ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE",
        L1_SYNC = 0x8001 => "L1_SYNC",
        PORT_COMMUNICATION_AVAILABILITY = 0x8002 => "PORT_COMMUNICATION_AVAILABILITY",
        PROTOCOL_ADDRESS = 0x8003 => "PROTOCOL_ADDRESS",
        SLAVE_RX_SYNC_TIMING_DATA = 0x8004 => "SLAVE_RX_SYNC_TIMING_DATA",
        SLAVE_RX_SYNC_COMPUTED_DATA = 0x8005 => "SLAVE_RX_SYNC_COMPUTED_DATA",
        SLAVE_TX_EVENT_TIMESTAMPS = 0x8006 => "SLAVE_TX_EVENT_TIMESTAMPS",
        SLAVE_DELAY_TIMING_DATA_NP = 0x7f00 => "SLAVE_DELAY_TIMING_DATA_NP",
        CUMULATIVE_RATE_RATIO = 0x8007 => "CUMULATIVE_RATE_RATIO",
        PAD = 0x8008 => "PAD",
        AUTHENTICATION = 0x8009 => "AUTHENTICATION",
    }
}

/// One TLV as it sits in the message: type and value bytes, not yet decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawTlv<'a> {
    pub tlv_type: TlvType,
    /// Offset of the TLV's tlvType field from the start of the message.
    pub offset: usize,
    pub value: &'a [u8],
}

/// Walks the TLVs from `start` to the end of a message buffer (which ends at messageLength).
#[derive(Clone, Debug)]
pub struct TlvIter<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

impl<'a> TlvIter<'a> {
    pub fn new(message: &'a [u8], start: usize) -> Self {
        TlvIter { buf: message, pos: start, failed: false }
    }
}

impl<'a> Iterator for TlvIter<'a> {
    type Item = Result<RawTlv<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let offset = self.pos;
        let mut r = Reader::new(self.buf.get(offset..).unwrap_or(&[]));
        let item = match (r.u16(), r.u16()) {
            (Some(t), Some(length)) => match r.take(usize::from(length)) {
                Some(value) => {
                    self.pos = offset + TLV_HEADER_LEN + usize::from(length);
                    Ok(RawTlv { tlv_type: TlvType(t), offset, value })
                }
                None => Err(ParseError::BadTlvLength { tlv_type: TlvType(t), offset, length }),
            },
            // One to three octets left: not even a TLV header.
            (t, _) => Err(ParseError::BadTlvLength { tlv_type: TlvType(t.unwrap_or(0)), offset, length: 0 }),
        };
        self.failed = item.is_err();
        Some(item)
    }
}

/// A decoded TLV.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "tlv_type", content = "value"))]
pub enum Tlv {
    #[cfg_attr(feature = "serde", serde(rename = "MANAGEMENT"))]
    Management(ManagementTlv),
    #[cfg_attr(feature = "serde", serde(rename = "MANAGEMENT_ERROR_STATUS"))]
    ManagementErrorStatus(ManagementErrorStatus),
    #[cfg_attr(feature = "serde", serde(rename = "ORGANIZATION_EXTENSION"))]
    OrganizationExtension(OrganizationExtension),
    #[cfg_attr(feature = "serde", serde(rename = "REQUEST_UNICAST_TRANSMISSION"))]
    RequestUnicastTransmission(RequestUnicastTransmission),
    #[cfg_attr(feature = "serde", serde(rename = "GRANT_UNICAST_TRANSMISSION"))]
    GrantUnicastTransmission(GrantUnicastTransmission),
    #[cfg_attr(feature = "serde", serde(rename = "CANCEL_UNICAST_TRANSMISSION"))]
    CancelUnicastTransmission(CancelUnicastTransmission),
    #[cfg_attr(feature = "serde", serde(rename = "ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION"))]
    AcknowledgeCancelUnicastTransmission(AcknowledgeCancelUnicastTransmission),
    #[cfg_attr(feature = "serde", serde(rename = "PATH_TRACE"))]
    PathTrace(PathTrace),
    #[cfg_attr(feature = "serde", serde(rename = "ALTERNATE_TIME_OFFSET_INDICATOR"))]
    AlternateTimeOffsetIndicator(AlternateTimeOffsetIndicator),
    /// PTPMON_REQ (linuxptp NetSync Monitor request): no value.
    #[cfg_attr(feature = "serde", serde(rename = "PTPMON_REQ"))]
    PtpMonReq,
    #[cfg_attr(feature = "serde", serde(rename = "PTPMON_RESP"))]
    PtpMonResp(PtpMonResp),
    #[cfg_attr(feature = "serde", serde(rename = "ORGANIZATION_EXTENSION_PROPAGATE"))]
    OrganizationExtensionPropagate(OrganizationExtension),
    #[cfg_attr(feature = "serde", serde(rename = "ENHANCED_ACCURACY_METRICS"))]
    EnhancedAccuracyMetrics(EnhancedAccuracyMetrics),
    #[cfg_attr(feature = "serde", serde(rename = "ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE"))]
    OrganizationExtensionDoNotPropagate(OrganizationExtension),
    #[cfg_attr(feature = "serde", serde(rename = "L1_SYNC"))]
    L1Sync(L1Sync),
    #[cfg_attr(feature = "serde", serde(rename = "PORT_COMMUNICATION_AVAILABILITY"))]
    PortCommunicationAvailability(PortCommunicationAvailability),
    /// PROTOCOL_ADDRESS (IEEE 1588-2019 16.3.3): portProtocolAddress, padded to even.
    #[cfg_attr(feature = "serde", serde(rename = "PROTOCOL_ADDRESS"))]
    ProtocolAddress(PortAddress),
    #[cfg_attr(feature = "serde", serde(rename = "SLAVE_RX_SYNC_TIMING_DATA"))]
    SlaveRxSyncTimingData(SlaveRxSyncTimingData),
    #[cfg_attr(feature = "serde", serde(rename = "SLAVE_RX_SYNC_COMPUTED_DATA"))]
    SlaveRxSyncComputedData(SlaveRxSyncComputedData),
    #[cfg_attr(feature = "serde", serde(rename = "SLAVE_TX_EVENT_TIMESTAMPS"))]
    SlaveTxEventTimestamps(SlaveTxEventTimestamps),
    #[cfg_attr(feature = "serde", serde(rename = "CUMULATIVE_RATE_RATIO"))]
    CumulativeRateRatio(CumulativeRateRatio),
    /// PAD (IEEE 1588-2019 14.4): the pad octets, kept as received.
    #[cfg_attr(feature = "serde", serde(rename = "PAD"))]
    Pad(#[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))] Vec<u8>),
    #[cfg_attr(feature = "serde", serde(rename = "AUTHENTICATION"))]
    Authentication(Authentication),
    #[cfg_attr(feature = "serde", serde(rename = "SLAVE_DELAY_TIMING_DATA_NP"))]
    SlaveDelayTimingDataNp(SlaveDelayTimingDataNp),
    /// Any other type: the experimental 1588-2008 Annex K/L types that no implementation uses
    /// (AUTHENTICATION_2008, AUTHENTICATION_CHALLENGE, SECURITY_ASSOCIATION_UPDATE,
    /// CUM_FREQ_SCALE_FACTOR_OFFSET) and types unknown to this codec; value kept as received.
    #[cfg_attr(feature = "serde", serde(rename = "OTHER"))]
    Other {
        tlv_type: TlvType,
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
        value: Vec<u8>,
    },
}

/// Parse a typed body that must use every octet of the value.
fn whole<T: WireFormat>(tlv_type: TlvType, value: &[u8]) -> Result<T, ParseError> {
    T::from_bytes(value).ok_or(ParseError::BadTlvBody { tlv_type })
}

impl Tlv {
    /// Decode the value of a TLV of type `tlv_type`.
    pub fn parse(tlv_type: TlvType, value: &[u8]) -> Result<Tlv, ParseError> {
        Ok(match tlv_type {
            TlvType::MANAGEMENT => Tlv::Management(ManagementTlv::parse_value(value)?),
            TlvType::MANAGEMENT_ERROR_STATUS => Tlv::ManagementErrorStatus(whole(tlv_type, value)?),
            TlvType::ORGANIZATION_EXTENSION => Tlv::OrganizationExtension(whole(tlv_type, value)?),
            TlvType::REQUEST_UNICAST_TRANSMISSION => Tlv::RequestUnicastTransmission(whole(tlv_type, value)?),
            TlvType::GRANT_UNICAST_TRANSMISSION => Tlv::GrantUnicastTransmission(whole(tlv_type, value)?),
            TlvType::CANCEL_UNICAST_TRANSMISSION => Tlv::CancelUnicastTransmission(whole(tlv_type, value)?),
            TlvType::ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION => {
                Tlv::AcknowledgeCancelUnicastTransmission(whole(tlv_type, value)?)
            }
            TlvType::PATH_TRACE => Tlv::PathTrace(whole(tlv_type, value)?),
            TlvType::ALTERNATE_TIME_OFFSET_INDICATOR => Tlv::AlternateTimeOffsetIndicator(whole(tlv_type, value)?),
            TlvType::PTPMON_REQ if value.is_empty() => Tlv::PtpMonReq,
            TlvType::PTPMON_REQ => return Err(ParseError::BadTlvBody { tlv_type }),
            TlvType::PTPMON_RESP => Tlv::PtpMonResp(whole(tlv_type, value)?),
            TlvType::ORGANIZATION_EXTENSION_PROPAGATE => Tlv::OrganizationExtensionPropagate(whole(tlv_type, value)?),
            TlvType::ENHANCED_ACCURACY_METRICS => Tlv::EnhancedAccuracyMetrics(whole(tlv_type, value)?),
            TlvType::ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE => {
                Tlv::OrganizationExtensionDoNotPropagate(whole(tlv_type, value)?)
            }
            TlvType::L1_SYNC => Tlv::L1Sync(whole(tlv_type, value)?),
            TlvType::PORT_COMMUNICATION_AVAILABILITY => Tlv::PortCommunicationAvailability(whole(tlv_type, value)?),
            TlvType::PROTOCOL_ADDRESS => {
                let mut r = Reader::new(value);
                let a = PortAddress::parse(&mut r).ok_or(ParseError::BadTlvBody { tlv_type })?;
                let pad = a.wire_len() % 2;
                if r.take(pad).is_none() || !r.is_empty() {
                    return Err(ParseError::BadTlvBody { tlv_type });
                }
                Tlv::ProtocolAddress(a)
            }
            TlvType::SLAVE_RX_SYNC_TIMING_DATA => Tlv::SlaveRxSyncTimingData(whole(tlv_type, value)?),
            TlvType::SLAVE_RX_SYNC_COMPUTED_DATA => Tlv::SlaveRxSyncComputedData(whole(tlv_type, value)?),
            TlvType::SLAVE_TX_EVENT_TIMESTAMPS => Tlv::SlaveTxEventTimestamps(whole(tlv_type, value)?),
            TlvType::CUMULATIVE_RATE_RATIO => Tlv::CumulativeRateRatio(whole(tlv_type, value)?),
            TlvType::PAD => Tlv::Pad(value.to_vec()),
            TlvType::AUTHENTICATION => Tlv::Authentication(whole(tlv_type, value)?),
            TlvType::SLAVE_DELAY_TIMING_DATA_NP => Tlv::SlaveDelayTimingDataNp(whole(tlv_type, value)?),
            _ => Tlv::Other { tlv_type, value: value.to_vec() },
        })
    }

    /// The tlvType this TLV is sent with.
    pub fn tlv_type(&self) -> TlvType {
        match self {
            Tlv::Management(_) => TlvType::MANAGEMENT,
            Tlv::ManagementErrorStatus(_) => TlvType::MANAGEMENT_ERROR_STATUS,
            Tlv::OrganizationExtension(_) => TlvType::ORGANIZATION_EXTENSION,
            Tlv::RequestUnicastTransmission(_) => TlvType::REQUEST_UNICAST_TRANSMISSION,
            Tlv::GrantUnicastTransmission(_) => TlvType::GRANT_UNICAST_TRANSMISSION,
            Tlv::CancelUnicastTransmission(_) => TlvType::CANCEL_UNICAST_TRANSMISSION,
            Tlv::AcknowledgeCancelUnicastTransmission(_) => TlvType::ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION,
            Tlv::PathTrace(_) => TlvType::PATH_TRACE,
            Tlv::AlternateTimeOffsetIndicator(_) => TlvType::ALTERNATE_TIME_OFFSET_INDICATOR,
            Tlv::PtpMonReq => TlvType::PTPMON_REQ,
            Tlv::PtpMonResp(_) => TlvType::PTPMON_RESP,
            Tlv::OrganizationExtensionPropagate(_) => TlvType::ORGANIZATION_EXTENSION_PROPAGATE,
            Tlv::EnhancedAccuracyMetrics(_) => TlvType::ENHANCED_ACCURACY_METRICS,
            Tlv::OrganizationExtensionDoNotPropagate(_) => TlvType::ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE,
            Tlv::L1Sync(_) => TlvType::L1_SYNC,
            Tlv::PortCommunicationAvailability(_) => TlvType::PORT_COMMUNICATION_AVAILABILITY,
            Tlv::ProtocolAddress(_) => TlvType::PROTOCOL_ADDRESS,
            Tlv::SlaveRxSyncTimingData(_) => TlvType::SLAVE_RX_SYNC_TIMING_DATA,
            Tlv::SlaveRxSyncComputedData(_) => TlvType::SLAVE_RX_SYNC_COMPUTED_DATA,
            Tlv::SlaveTxEventTimestamps(_) => TlvType::SLAVE_TX_EVENT_TIMESTAMPS,
            Tlv::CumulativeRateRatio(_) => TlvType::CUMULATIVE_RATE_RATIO,
            Tlv::Pad(_) => TlvType::PAD,
            Tlv::Authentication(_) => TlvType::AUTHENTICATION,
            Tlv::SlaveDelayTimingDataNp(_) => TlvType::SLAVE_DELAY_TIMING_DATA_NP,
            Tlv::Other { tlv_type, .. } => *tlv_type,
        }
    }

    /// Length of the value (the lengthField sent).
    pub fn value_len(&self) -> usize {
        match self {
            Tlv::Management(m) => m.value_len(),
            Tlv::ManagementErrorStatus(b) => b.wire_len(),
            Tlv::OrganizationExtension(b)
            | Tlv::OrganizationExtensionPropagate(b)
            | Tlv::OrganizationExtensionDoNotPropagate(b) => b.wire_len(),
            Tlv::RequestUnicastTransmission(b) => b.wire_len(),
            Tlv::GrantUnicastTransmission(b) => b.wire_len(),
            Tlv::CancelUnicastTransmission(b) => b.wire_len(),
            Tlv::AcknowledgeCancelUnicastTransmission(b) => b.wire_len(),
            Tlv::PathTrace(b) => b.wire_len(),
            Tlv::AlternateTimeOffsetIndicator(b) => b.wire_len(),
            Tlv::PtpMonReq => 0,
            Tlv::PtpMonResp(b) => b.wire_len(),
            Tlv::EnhancedAccuracyMetrics(b) => b.wire_len(),
            Tlv::L1Sync(b) => b.wire_len(),
            Tlv::PortCommunicationAvailability(b) => b.wire_len(),
            Tlv::ProtocolAddress(a) => a.wire_len() + a.wire_len() % 2,
            Tlv::SlaveRxSyncTimingData(b) => b.wire_len(),
            Tlv::SlaveRxSyncComputedData(b) => b.wire_len(),
            Tlv::SlaveTxEventTimestamps(b) => b.wire_len(),
            Tlv::CumulativeRateRatio(b) => b.wire_len(),
            Tlv::Pad(v) | Tlv::Other { value: v, .. } => v.len(),
            Tlv::Authentication(b) => b.wire_len(),
            Tlv::SlaveDelayTimingDataNp(b) => b.wire_len(),
        }
    }

    /// Length of the whole TLV: header and value.
    pub fn buffer_len(&self) -> usize {
        TLV_HEADER_LEN + self.value_len()
    }

    /// Write tlvType, lengthField and value.
    pub fn emit(&self, w: &mut Writer<'_>) -> Result<(), EmitError> {
        let len = self.value_len();
        let length = u16::try_from(len).map_err(|_| EmitError::TooLong(len))?;
        w.u16(self.tlv_type().0);
        w.u16(length);
        match self {
            Tlv::Management(m) => m.emit_value(w),
            Tlv::ManagementErrorStatus(b) => b.emit(w),
            Tlv::OrganizationExtension(b)
            | Tlv::OrganizationExtensionPropagate(b)
            | Tlv::OrganizationExtensionDoNotPropagate(b) => b.emit(w),
            Tlv::RequestUnicastTransmission(b) => b.emit(w),
            Tlv::GrantUnicastTransmission(b) => b.emit(w),
            Tlv::CancelUnicastTransmission(b) => b.emit(w),
            Tlv::AcknowledgeCancelUnicastTransmission(b) => b.emit(w),
            Tlv::PathTrace(b) => b.emit(w),
            Tlv::AlternateTimeOffsetIndicator(b) => b.emit(w),
            Tlv::PtpMonReq => {}
            Tlv::PtpMonResp(b) => b.emit(w),
            Tlv::EnhancedAccuracyMetrics(b) => b.emit(w),
            Tlv::L1Sync(b) => b.emit(w),
            Tlv::PortCommunicationAvailability(b) => b.emit(w),
            Tlv::ProtocolAddress(a) => {
                a.emit(w);
                w.zeros(a.wire_len() % 2);
            }
            Tlv::SlaveRxSyncTimingData(b) => b.emit(w),
            Tlv::SlaveRxSyncComputedData(b) => b.emit(w),
            Tlv::SlaveTxEventTimestamps(b) => b.emit(w),
            Tlv::CumulativeRateRatio(b) => b.emit(w),
            Tlv::Pad(v) | Tlv::Other { value: v, .. } => w.bytes(v),
            Tlv::Authentication(b) => b.emit(w),
            Tlv::SlaveDelayTimingDataNp(b) => b.emit(w),
        }
        Ok(())
    }

    /// Emit into a new vector (tlvType, lengthField, value).
    pub fn to_bytes(&self) -> Result<Vec<u8>, EmitError> {
        let mut v = vec![0u8; self.buffer_len()];
        let mut w = Writer::new(&mut v);
        self.emit(&mut w)?;
        Ok(v)
    }
}
