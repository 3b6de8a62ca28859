//! The management TLV dataFields of IEEE 1588-2019 clause 15.5.3, with the layouts linuxptp
//! sends (and, for the IDs linuxptp does not implement, the standard's layouts).
//!
//! Clause numbers: the IDs for every node type are in 15.5.3.1 (CLOCK_DESCRIPTION 15.5.3.1.2);
//! the dataset IDs are grouped by dataset (defaultDS 15.5.3.3, currentDS 15.5.3.4, parentDS
//! 15.5.3.5, timePropertiesDS 15.5.3.6, portDS 15.5.3.7), the optional features' after them.

use super::{count_i16, count_u16, count_u8};
use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{
    ClockAccuracy, ClockIdentity, ClockQuality, DelayMechanism, PortAddress, PortIdentity, PortStateValue, PtpText,
    TimeInterval, TimeSource, Timestamp,
};

/// Flag accessors on a body's `flags` octet: `fn name(&self) -> bool` for each named bit.
macro_rules! flag_bits {
    ($name:ident { $( $(#[$m:meta])* $bit:literal => $getter:ident, )* }) => {
        impl $name {
            $(
                $(#[$m])*
                pub const fn $getter(&self) -> bool {
                    self.flags & (1 << $bit) != 0
                }
            )*
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Applicable to all node types (15.5.3.1)

/// CLOCK_DESCRIPTION body (IEEE 1588-2019 15.5.3.1.2): what kind of clock answers, over which
/// protocol and address. linuxptp sends physicalLayerProtocol "IEEE 802.3" for UDPv4, UDPv6
/// and L2 ports, the MAC as physicalAddress, and a profileIdentity chosen per profile.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClockDescription {
    /// clockType bits, see the `CLOCK_TYPE_*` constants.
    pub clock_type: u16,
    pub physical_layer_protocol: PtpText,
    /// physicalAddress; its length is sent as physicalAddressLength (UInteger16).
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
    pub physical_address: Vec<u8>,
    pub protocol_address: PortAddress,
    /// manufacturerIdentity: an OUI (followed on the wire by one reserved octet).
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
    pub manufacturer_identity: [u8; 3],
    pub product_description: PtpText,
    pub revision_data: PtpText,
    pub user_description: PtpText,
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
    pub profile_identity: [u8; 6],
}

impl ClockDescription {
    pub const CLOCK_TYPE_ORDINARY: u16 = 0x8000;
    pub const CLOCK_TYPE_BOUNDARY: u16 = 0x4000;
    pub const CLOCK_TYPE_P2P_TRANSPARENT: u16 = 0x2000;
    pub const CLOCK_TYPE_E2E_TRANSPARENT: u16 = 0x1000;
    pub const CLOCK_TYPE_MANAGEMENT: u16 = 0x0800;
}

impl WireFormat for ClockDescription {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let clock_type = r.u16()?;
        let physical_layer_protocol = PtpText::parse(r)?;
        let n = r.u16()?;
        let physical_address = r.take(usize::from(n))?.to_vec();
        let protocol_address = PortAddress::parse(r)?;
        let manufacturer_identity = r.array()?;
        let _reserved = r.u8()?;
        Some(ClockDescription {
            clock_type,
            physical_layer_protocol,
            physical_address,
            protocol_address,
            manufacturer_identity,
            product_description: PtpText::parse(r)?,
            revision_data: PtpText::parse(r)?,
            user_description: PtpText::parse(r)?,
            profile_identity: r.array()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.clock_type);
        self.physical_layer_protocol.emit(w);
        w.u16(count_u16(self.physical_address.len()));
        w.bytes(&self.physical_address);
        self.protocol_address.emit(w);
        w.bytes(&self.manufacturer_identity);
        w.u8(0);
        self.product_description.emit(w);
        self.revision_data.emit(w);
        self.user_description.emit(w);
        w.bytes(&self.profile_identity);
    }
    fn wire_len(&self) -> usize {
        2 + self.physical_layer_protocol.wire_len()
            + 2
            + self.physical_address.len()
            + self.protocol_address.wire_len()
            + 4
            + self.product_description.wire_len()
            + self.revision_data.wire_len()
            + self.user_description.wire_len()
            + 6
    }
}

/// USER_DESCRIPTION body (IEEE 1588-2019 15.5.3.1): defaultDS.userDescription (odd length
/// is padded by the framing).
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UserDescription {
    pub user_description: PtpText,
}

impl WireFormat for UserDescription {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(UserDescription { user_description: PtpText::parse(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.user_description.emit(w);
    }
    fn wire_len(&self) -> usize {
        self.user_description.wire_len()
    }
}

/// INITIALIZE body (IEEE 1588-2019 15.5.3.1): initializationKey (0 = INITIALIZE_EVENT).
/// linuxptp answers NOT_SUPPORTED.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Initialize {
    pub initialization_key: u16,
}

impl Initialize {
    /// initializationKey 0: the INITIALIZE event.
    pub const INITIALIZE_EVENT: u16 = 0x0000;
}

impl WireFormat for Initialize {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(Initialize { initialization_key: r.u16()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.initialization_key);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

/// FaultRecord (IEEE 1588-2019 5.3.10). faultRecordLength (the octets after that field) is
/// not stored: it is computed by [`FaultRecord::fault_record_length`], and a received record
/// must fill it exactly.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaultRecord {
    pub fault_time: Timestamp,
    /// severityCode (Table 10: 0 emergency .. 7 debug).
    pub severity_code: u8,
    pub fault_name: PtpText,
    pub fault_value: PtpText,
    pub fault_description: PtpText,
}

impl FaultRecord {
    /// faultRecordLength as sent: every octet of the record after the length field.
    pub fn fault_record_length(&self) -> u16 {
        count_u16(self.wire_len() - 2)
    }
}

impl WireFormat for FaultRecord {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.u16()?;
        let mut s = r.sub(usize::from(n))?;
        let v = FaultRecord {
            fault_time: Timestamp::parse(&mut s)?,
            severity_code: s.u8()?,
            fault_name: PtpText::parse(&mut s)?,
            fault_value: PtpText::parse(&mut s)?,
            fault_description: PtpText::parse(&mut s)?,
        };
        s.is_empty().then_some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.fault_record_length());
        self.fault_time.emit(w);
        w.u8(self.severity_code);
        self.fault_name.emit(w);
        self.fault_value.emit(w);
        self.fault_description.emit(w);
    }
    fn wire_len(&self) -> usize {
        2 + 10 + 1 + self.fault_name.wire_len() + self.fault_value.wire_len() + self.fault_description.wire_len()
    }
}

/// FAULT_LOG body (IEEE 1588-2019 15.5.3.1): numberOfFaultRecords and the records. The
/// count is the length of `fault_records`. linuxptp answers NOT_SUPPORTED.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaultLog {
    pub fault_records: Vec<FaultRecord>,
}

impl WireFormat for FaultLog {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.u16()?;
        let mut fault_records = Vec::new();
        for _ in 0..n {
            fault_records.push(FaultRecord::parse(r)?);
        }
        Some(FaultLog { fault_records })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(count_u16(self.fault_records.len()));
        for f in &self.fault_records {
            f.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        2 + self.fault_records.iter().map(WireFormat::wire_len).sum::<usize>()
    }
}

// ---------------------------------------------------------------------------------------------
// defaultDS (15.5.3.3)

/// DEFAULT_DATA_SET body (IEEE 1588-2019 15.5.3.3.1): the defaultDS members.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DefaultDataSet {
    /// Bit 0 TSC (twoStepFlag), bit 1 SO (slaveOnly).
    pub flags: u8,
    pub number_ports: u16,
    pub priority1: u8,
    pub clock_quality: ClockQuality,
    pub priority2: u8,
    pub clock_identity: ClockIdentity,
    pub domain_number: u8,
}

flag_bits!(DefaultDataSet {
    /// TSC: defaultDS.twoStepFlag.
    0 => two_step,
    /// SO: defaultDS.slaveOnly.
    1 => slave_only,
});

impl WireFormat for DefaultDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let flags = r.u8()?;
        let _reserved = r.u8()?;
        let v = DefaultDataSet {
            flags,
            number_ports: r.u16()?,
            priority1: r.u8()?,
            clock_quality: ClockQuality::parse(r)?,
            priority2: r.u8()?,
            clock_identity: ClockIdentity::parse(r)?,
            domain_number: r.u8()?,
        };
        let _reserved = r.u8()?;
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.flags);
        w.u8(0);
        w.u16(self.number_ports);
        w.u8(self.priority1);
        self.clock_quality.emit(w);
        w.u8(self.priority2);
        self.clock_identity.emit(w);
        w.u8(self.domain_number);
        w.u8(0);
    }
    fn wire_len(&self) -> usize {
        20
    }
}

octet_body! {
    /// PRIORITY1 body (IEEE 1588-2019 15.5.3.3): defaultDS.priority1.
    pub struct Priority1 {
        pub priority1: u8,
    }
}

octet_body! {
    /// PRIORITY2 body (IEEE 1588-2019 15.5.3.3): defaultDS.priority2.
    pub struct Priority2 {
        pub priority2: u8,
    }
}

octet_body! {
    /// DOMAIN body (IEEE 1588-2019 15.5.3.3): defaultDS.domainNumber.
    pub struct Domain {
        pub domain_number: u8,
    }
}

octet_body! {
    /// SLAVE_ONLY body (IEEE 1588-2019 15.5.3.3): bit 0 SO (defaultDS.slaveOnly).
    ///
    /// linuxptp 4.4 sends 0 or 1; linuxptp 3.1.1 sent its defaultDS flags masked with its own
    /// slave-only bit, i.e. 0 or 2 (captured as `02 00`). The octet is kept whole.
    pub struct SlaveOnly {
        pub flags: u8,
    }
}

impl SlaveOnly {
    /// True if slave-only, in either dialect (bit 0 as the standard, bit 1 as linuxptp 3.1.1).
    pub const fn slave_only(&self) -> bool {
        self.flags & 0x03 != 0
    }
}

octet_body! {
    /// CLOCK_ACCURACY body (IEEE 1588-2019 15.5.3.3): defaultDS.clockQuality.clockAccuracy.
    pub struct ClockAccuracySetting {
        pub clock_accuracy: ClockAccuracy,
    }
}

/// TIME body (IEEE 1588-2019 15.5.3): currentTime, the time of the clock. linuxptp answers
/// NOT_SUPPORTED.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Time {
    pub current_time: Timestamp,
}

impl WireFormat for Time {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(Time { current_time: Timestamp::parse(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.current_time.emit(w);
    }
    fn wire_len(&self) -> usize {
        10
    }
}

// ---------------------------------------------------------------------------------------------
// currentDS, parentDS, timePropertiesDS (15.5.3.4 - 15.5.3.6)

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

flag_bits!(TimePropertiesDataSet {
    0 => leap61,
    1 => leap59,
    2 => current_utc_offset_valid,
    3 => ptp_timescale,
    4 => time_traceable,
    5 => frequency_traceable,
    6 => synchronization_uncertain,
});

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

/// UTC_PROPERTIES body (IEEE 1588-2019 15.5.3.6): currentUtcOffset and the leap flags,
/// then one reserved octet. linuxptp answers NOT_SUPPORTED.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UtcProperties {
    pub current_utc_offset: i16,
    /// Bit 0 LI-61 (leap61), bit 1 LI-59 (leap59), bit 2 UTCV (currentUtcOffsetValid).
    pub flags: u8,
}

flag_bits!(UtcProperties {
    0 => leap61,
    1 => leap59,
    2 => current_utc_offset_valid,
});

impl WireFormat for UtcProperties {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let v = UtcProperties { current_utc_offset: r.i16()?, flags: r.u8()? };
        let _reserved = r.u8()?;
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i16(self.current_utc_offset);
        w.u8(self.flags);
        w.u8(0);
    }
    fn wire_len(&self) -> usize {
        4
    }
}

octet_body! {
    /// TRACEABILITY_PROPERTIES body (IEEE 1588-2019 15.5.3.6): bit 4 TTRA (timeTraceable),
    /// bit 5 FTRA (frequencyTraceable); linuxptp keeps only these two bits.
    pub struct TraceabilityProperties {
        pub flags: u8,
    }
}

flag_bits!(TraceabilityProperties {
    4 => time_traceable,
    5 => frequency_traceable,
});

/// TIMESCALE_PROPERTIES body (IEEE 1588-2019 15.5.3.6): bit 3 PTP (ptpTimescale) and
/// timeSource. linuxptp sends only the flag octet and zero in place of timeSource; the octet
/// is kept as the standard's timeSource so that other implementations' replies survive.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TimescaleProperties {
    pub flags: u8,
    pub time_source: TimeSource,
}

flag_bits!(TimescaleProperties {
    3 => ptp_timescale,
});

impl WireFormat for TimescaleProperties {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(TimescaleProperties { flags: r.u8()?, time_source: TimeSource(r.u8()?) })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.flags);
        w.u8(self.time_source.0);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

// ---------------------------------------------------------------------------------------------
// portDS (15.5.3.7)

/// PORT_DATA_SET body (IEEE 1588-2019 15.5.3.7.1): the portDS members. linuxptp reports
/// GRAND_MASTER as MASTER and an automatic delay mechanism as E2E.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortDataSet {
    pub port_identity: PortIdentity,
    pub port_state: PortStateValue,
    pub log_min_delay_req_interval: i8,
    pub peer_mean_path_delay: TimeInterval,
    pub log_announce_interval: i8,
    pub announce_receipt_timeout: u8,
    pub log_sync_interval: i8,
    pub delay_mechanism: DelayMechanism,
    pub log_min_pdelay_req_interval: i8,
    /// versionNumber in the low nibble (2), the high nibble reserved (minorVersionNumber in
    /// IEEE 1588-2019 portDS); kept whole.
    pub version_number: u8,
}

impl WireFormat for PortDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(PortDataSet {
            port_identity: PortIdentity::parse(r)?,
            port_state: PortStateValue(r.u8()?),
            log_min_delay_req_interval: r.i8()?,
            peer_mean_path_delay: TimeInterval::parse(r)?,
            log_announce_interval: r.i8()?,
            announce_receipt_timeout: r.u8()?,
            log_sync_interval: r.i8()?,
            delay_mechanism: DelayMechanism(r.u8()?),
            log_min_pdelay_req_interval: r.i8()?,
            version_number: r.u8()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.port_identity.emit(w);
        w.u8(self.port_state.0);
        w.i8(self.log_min_delay_req_interval);
        self.peer_mean_path_delay.emit(w);
        w.i8(self.log_announce_interval);
        w.u8(self.announce_receipt_timeout);
        w.i8(self.log_sync_interval);
        w.u8(self.delay_mechanism.0);
        w.i8(self.log_min_pdelay_req_interval);
        w.u8(self.version_number);
    }
    fn wire_len(&self) -> usize {
        26
    }
}

octet_body! {
    /// LOG_ANNOUNCE_INTERVAL body (IEEE 1588-2019 15.5.3.7): portDS.logAnnounceInterval.
    pub struct LogAnnounceInterval {
        pub log_announce_interval: i8,
    }
}

octet_body! {
    /// ANNOUNCE_RECEIPT_TIMEOUT body (IEEE 1588-2019 15.5.3.7): portDS.announceReceiptTimeout.
    pub struct AnnounceReceiptTimeout {
        pub announce_receipt_timeout: u8,
    }
}

octet_body! {
    /// LOG_SYNC_INTERVAL body (IEEE 1588-2019 15.5.3.7): portDS.logSyncInterval.
    pub struct LogSyncInterval {
        pub log_sync_interval: i8,
    }
}

octet_body! {
    /// VERSION_NUMBER body (IEEE 1588-2019 15.5.3.7): portDS.versionNumber in the low
    /// nibble (2), kept whole.
    pub struct VersionNumber {
        pub version_number: u8,
    }
}

octet_body! {
    /// DELAY_MECHANISM body (IEEE 1588-2019 15.5.3.7): portDS.delayMechanism (linuxptp
    /// reports an automatic mechanism as E2E).
    pub struct DelayMechanismSetting {
        pub delay_mechanism: DelayMechanism,
    }
}

octet_body! {
    /// LOG_MIN_PDELAY_REQ_INTERVAL body (IEEE 1588-2019 15.5.3.7):
    /// portDS.logMinPdelayReqInterval.
    pub struct LogMinPdelayReqInterval {
        pub log_min_pdelay_req_interval: i8,
    }
}

octet_body! {
    /// MASTER_ONLY body (IEEE 1588-2019 15.5.3.7, portDS.masterOnly): bit 0 MO. linuxptp
    /// sends the value of its serverOnly (masterOnly) setting, 0 or 1.
    pub struct MasterOnly {
        pub flags: u8,
    }
}

flag_bits!(MasterOnly {
    0 => master_only,
});

// ---------------------------------------------------------------------------------------------
// Optional features (IEEE 1588-2019 clause 16 and 17 datasets); linuxptp answers
// NOT_SUPPORTED or NO_SUCH_ID for all of these.

octet_body! {
    /// UNICAST_NEGOTIATION_ENABLE body (IEEE 1588-2019 15.5.3, unicastNegotiationPortDS):
    /// bit 0 EN.
    pub struct UnicastNegotiationEnable {
        pub flags: u8,
    }
}

flag_bits!(UnicastNegotiationEnable {
    0 => enable,
});

/// PATH_TRACE_LIST body (IEEE 1588-2019 15.5.3, pathTraceDS.list): the ClockIdentity list
/// fills the dataField; there is no count. An empty list is an empty dataField, which parses
/// as [`super::ManagementData::Empty`] like every empty dataField.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PathTraceList {
    pub path_sequence: Vec<ClockIdentity>,
}

impl WireFormat for PathTraceList {
    /// Reads whole ClockIdentities to the end of the reader; leftover octets are left for the
    /// caller to reject.
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let mut path_sequence = Vec::new();
        while r.remaining() >= 8 {
            path_sequence.push(ClockIdentity::parse(r)?);
        }
        Some(PathTraceList { path_sequence })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        for c in &self.path_sequence {
            c.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        8 * self.path_sequence.len()
    }
}

octet_body! {
    /// PATH_TRACE_ENABLE body (IEEE 1588-2019 15.5.3, pathTraceDS.enable): bit 0 EN.
    pub struct PathTraceEnable {
        pub flags: u8,
    }
}

flag_bits!(PathTraceEnable {
    0 => enable,
});

/// GRANDMASTER_CLUSTER_TABLE body (IEEE 1588-2019 15.5.3, grandmaster cluster table):
/// logQueryInterval, actualTableSize (UInteger8, the length of `port_addresses`) and the
/// PortAddress list.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GrandmasterClusterTable {
    pub log_query_interval: i8,
    /// At most 255 entries can be sent.
    pub port_addresses: Vec<PortAddress>,
}

impl WireFormat for GrandmasterClusterTable {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let log_query_interval = r.i8()?;
        let n = r.u8()?;
        let mut port_addresses = Vec::new();
        for _ in 0..n {
            port_addresses.push(PortAddress::parse(r)?);
        }
        Some(GrandmasterClusterTable { log_query_interval, port_addresses })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i8(self.log_query_interval);
        w.u8(count_u8(self.port_addresses.len()));
        for a in &self.port_addresses {
            a.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        2 + self.port_addresses.iter().map(WireFormat::wire_len).sum::<usize>()
    }
}

/// UNICAST_MASTER_TABLE body (IEEE 1588-2019 15.5.3, unicastDiscoveryPortDS):
/// logQueryInterval, actualTableSize (UInteger16, the length of `port_addresses`) and the
/// PortAddress list.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnicastMasterTable {
    pub log_query_interval: i8,
    pub port_addresses: Vec<PortAddress>,
}

impl WireFormat for UnicastMasterTable {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let log_query_interval = r.i8()?;
        let n = r.u16()?;
        let mut port_addresses = Vec::new();
        for _ in 0..n {
            port_addresses.push(PortAddress::parse(r)?);
        }
        Some(UnicastMasterTable { log_query_interval, port_addresses })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i8(self.log_query_interval);
        w.u16(count_u16(self.port_addresses.len()));
        for a in &self.port_addresses {
            a.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        3 + self.port_addresses.iter().map(WireFormat::wire_len).sum::<usize>()
    }
}

/// UNICAST_MASTER_MAX_TABLE_SIZE body (IEEE 1588-2019 15.5.3, unicastDiscoveryPortDS
/// .maxTableSize).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnicastMasterMaxTableSize {
    pub max_table_size: u16,
}

impl WireFormat for UnicastMasterMaxTableSize {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(UnicastMasterMaxTableSize { max_table_size: r.u16()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.max_table_size);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

/// AcceptableMaster (IEEE 1588-2019 17.6.3): acceptablePortIdentity and alternatePriority1.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AcceptableMaster {
    pub acceptable_port_identity: PortIdentity,
    pub alternate_priority1: u8,
}

impl WireFormat for AcceptableMaster {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(AcceptableMaster { acceptable_port_identity: PortIdentity::parse(r)?, alternate_priority1: r.u8()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.acceptable_port_identity.emit(w);
        w.u8(self.alternate_priority1);
    }
    fn wire_len(&self) -> usize {
        11
    }
}

/// ACCEPTABLE_MASTER_TABLE body (IEEE 1588-2019 15.5.3, acceptableMasterTableDS):
/// actualTableSize (Integer16, the length of `entries`; negative is malformed) and the
/// records. An odd number of 11-octet records makes the body odd, so it is padded.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AcceptableMasterTable {
    /// At most 32767 entries can be sent.
    pub entries: Vec<AcceptableMaster>,
}

impl WireFormat for AcceptableMasterTable {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let n = u16::try_from(r.i16()?).ok()?;
        let mut entries = Vec::new();
        for _ in 0..n {
            entries.push(AcceptableMaster::parse(r)?);
        }
        Some(AcceptableMasterTable { entries })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i16(count_i16(self.entries.len()));
        for e in &self.entries {
            e.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        2 + 11 * self.entries.len()
    }
}

octet_body! {
    /// ACCEPTABLE_MASTER_TABLE_ENABLED body (IEEE 1588-2019 15.5.3,
    /// acceptableMasterPortDS.enable): bit 0 EN.
    pub struct AcceptableMasterTableEnabled {
        pub flags: u8,
    }
}

flag_bits!(AcceptableMasterTableEnabled {
    0 => enable,
});

/// ACCEPTABLE_MASTER_MAX_TABLE_SIZE body (IEEE 1588-2019 15.5.3,
/// acceptableMasterTableDS.maxTableSize).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AcceptableMasterMaxTableSize {
    pub max_table_size: u16,
}

impl WireFormat for AcceptableMasterMaxTableSize {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(AcceptableMasterMaxTableSize { max_table_size: r.u16()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.max_table_size);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

/// ALTERNATE_MASTER body (IEEE 1588-2019 15.5.3, alternateMasterPortDS): flags (bit 0 S,
/// transmitAlternateMulticastSync), logAlternateMulticastSyncInterval,
/// numberOfAlternateMasters, one reserved octet.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlternateMaster {
    pub flags: u8,
    pub log_alternate_multicast_sync_interval: i8,
    pub number_of_alternate_masters: u8,
}

flag_bits!(AlternateMaster {
    0 => transmit_alternate_multicast_sync,
});

impl WireFormat for AlternateMaster {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let v = AlternateMaster {
            flags: r.u8()?,
            log_alternate_multicast_sync_interval: r.i8()?,
            number_of_alternate_masters: r.u8()?,
        };
        let _reserved = r.u8()?;
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.flags);
        w.i8(self.log_alternate_multicast_sync_interval);
        w.u8(self.number_of_alternate_masters);
        w.u8(0);
    }
    fn wire_len(&self) -> usize {
        4
    }
}

/// ALTERNATE_TIME_OFFSET_ENABLE body (IEEE 1588-2019 15.5.3,
/// `alternateTimescaleOffsetsDS.list[keyField].enable`): keyField and flags (bit 0 EN).
/// linuxptp 4.x takes the GET key from this body; keyField 0xFF in a SET means every key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlternateTimeOffsetEnable {
    pub key_field: u8,
    pub flags: u8,
}

flag_bits!(AlternateTimeOffsetEnable {
    0 => enable,
});

impl AlternateTimeOffsetEnable {
    /// keyField value that addresses every key in a linuxptp SET.
    pub const ALL_KEYS: u8 = 0xff;
}

impl WireFormat for AlternateTimeOffsetEnable {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(AlternateTimeOffsetEnable { key_field: r.u8()?, flags: r.u8()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.key_field);
        w.u8(self.flags);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

/// ALTERNATE_TIME_OFFSET_NAME body (IEEE 1588-2019 15.5.3,
/// `alternateTimescaleOffsetsDS.list[keyField].displayName`): keyField and displayName (odd
/// length is padded by the framing). linuxptp stores at most 10 symbols.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlternateTimeOffsetName {
    pub key_field: u8,
    pub display_name: PtpText,
}

impl WireFormat for AlternateTimeOffsetName {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(AlternateTimeOffsetName { key_field: r.u8()?, display_name: PtpText::parse(r)? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.key_field);
        self.display_name.emit(w);
    }
    fn wire_len(&self) -> usize {
        1 + self.display_name.wire_len()
    }
}

octet_body! {
    /// ALTERNATE_TIME_OFFSET_MAX_KEY body (IEEE 1588-2019 15.5.3,
    /// alternateTimescaleOffsetsDS.maxKey). linuxptp keeps keys 0..3 but answers
    /// NOT_SUPPORTED for this ID.
    pub struct AlternateTimeOffsetMaxKey {
        pub max_key: u8,
    }
}

/// ALTERNATE_TIME_OFFSET_PROPERTIES body (IEEE 1588-2019 15.5.3,
/// `alternateTimescaleOffsetsDS.list[keyField]`): keyField, currentOffset, jumpSeconds and
/// timeOfNextJump (UInteger48), unaligned: 15 octets, padded to 16 by the framing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlternateTimeOffsetProperties {
    pub key_field: u8,
    /// currentOffset, seconds.
    pub current_offset: i32,
    /// jumpSeconds.
    pub jump_seconds: i32,
    /// timeOfNextJump, seconds (only the low 48 bits are sent).
    pub time_of_next_jump: u64,
}

impl WireFormat for AlternateTimeOffsetProperties {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(AlternateTimeOffsetProperties {
            key_field: r.u8()?,
            current_offset: r.i32()?,
            jump_seconds: r.i32()?,
            time_of_next_jump: r.u48()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.key_field);
        w.i32(self.current_offset);
        w.i32(self.jump_seconds);
        w.u48(self.time_of_next_jump);
    }
    fn wire_len(&self) -> usize {
        15
    }
}

octet_body! {
    /// EXTERNAL_PORT_CONFIGURATION_ENABLED body (IEEE 1588-2019 15.5.3,
    /// defaultDS.externalPortConfigurationEnabled): bit 0 EPC. linuxptp only defines the ID.
    pub struct ExternalPortConfigurationEnabled {
        pub flags: u8,
    }
}

flag_bits!(ExternalPortConfigurationEnabled {
    0 => external_port_configuration_enabled,
});

octet_body! {
    /// HOLDOVER_UPGRADE_ENABLE body (IEEE 1588-2019 15.5.3, holdoverUpgradeDS.enable): bit 0
    /// EN. linuxptp only defines the ID.
    pub struct HoldoverUpgradeEnable {
        pub flags: u8,
    }
}

flag_bits!(HoldoverUpgradeEnable {
    0 => enable,
});

/// EXT_PORT_CONFIG_PORT_DATA_SET body (IEEE 1588-2019 15.5.3,
/// externalPortConfigurationPortDS): two octets. The standard's table opens with a flags
/// octet (its bit 0 named after acceptableMasterPortDS.enable, apparently copied from
/// another table) followed by desiredState; both octets are kept, so the body is lossless
/// whichever reading a peer uses. linuxptp only defines the ID.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExtPortConfigPortDataSet {
    pub flags: u8,
    pub desired_state: PortStateValue,
}

impl WireFormat for ExtPortConfigPortDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(ExtPortConfigPortDataSet { flags: r.u8()?, desired_state: PortStateValue(r.u8()?) })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.flags);
        w.u8(self.desired_state.0);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

// ---------------------------------------------------------------------------------------------
// Transparent clocks (IEEE 1588-2019 15.5.3, transparentClockDefaultDS and
// transparentClockPortDS, optional in 2019)

/// TRANSPARENT_CLOCK_DEFAULT_DATA_SET body (IEEE 1588-2019 15.5.3,
/// transparentClockDefaultDS): clockIdentity, numberPorts, delayMechanism, primaryDomain.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TransparentClockDefaultDataSet {
    pub clock_identity: ClockIdentity,
    pub number_ports: u16,
    pub delay_mechanism: DelayMechanism,
    pub primary_domain: u8,
}

impl WireFormat for TransparentClockDefaultDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(TransparentClockDefaultDataSet {
            clock_identity: ClockIdentity::parse(r)?,
            number_ports: r.u16()?,
            delay_mechanism: DelayMechanism(r.u8()?),
            primary_domain: r.u8()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.clock_identity.emit(w);
        w.u16(self.number_ports);
        w.u8(self.delay_mechanism.0);
        w.u8(self.primary_domain);
    }
    fn wire_len(&self) -> usize {
        12
    }
}

/// TRANSPARENT_CLOCK_PORT_DATA_SET body (IEEE 1588-2019 15.5.3, transparentClockPortDS):
/// portIdentity, flags (bit 0 FLT, faultyFlag), logMinPdelayReqInterval, peerMeanPathDelay.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TransparentClockPortDataSet {
    pub port_identity: PortIdentity,
    pub flags: u8,
    pub log_min_pdelay_req_interval: i8,
    pub peer_mean_path_delay: TimeInterval,
}

flag_bits!(TransparentClockPortDataSet {
    0 => faulty,
});

impl WireFormat for TransparentClockPortDataSet {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(TransparentClockPortDataSet {
            port_identity: PortIdentity::parse(r)?,
            flags: r.u8()?,
            log_min_pdelay_req_interval: r.i8()?,
            peer_mean_path_delay: TimeInterval::parse(r)?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.port_identity.emit(w);
        w.u8(self.flags);
        w.i8(self.log_min_pdelay_req_interval);
        self.peer_mean_path_delay.emit(w);
    }
    fn wire_len(&self) -> usize {
        20
    }
}

octet_body! {
    /// PRIMARY_DOMAIN body (IEEE 1588-2019 15.5.3, transparentClockDefaultDS.primaryDomain).
    pub struct PrimaryDomain {
        pub primary_domain: u8,
    }
}
