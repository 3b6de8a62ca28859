//! linuxptp's implementation-specific management TLVs (managementId 0xC000 and up, the `_NP`
//! ones of linuxptp's `tlv.h`).
//!
//! Each layout mirrors linuxptp 4.4 (git master v4.4-60) and, where the ID existed then, the
//! identical layout of linuxptp 3.1.1. linuxptp's byte-order quirks are matched byte for byte
//! and marked where they occur: the PORT_STATS_NP and PORT_SERVICE_STATS_NP counters and the
//! PORT_CORRECTIONS_NP values are little-endian on the wire.

use super::count_u16;
use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{ClockIdentity, ClockQuality, PortAddress, PortIdentity, PortStateValue, PtpText, ScaledNs};
use crate::datatypes::{TimeInterval, TimeSource};
use crate::header::MessageType;
use crate::wire_enum::wire_enum;

/// TIME_STATUS_NP body (linuxptp tlv.h `struct time_status_np`; linuxptp 4.4, identical in
/// 3.1.1): the servo's view of the grandmaster. Also the body of the NOTIFY_TIME_SYNC event.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TimeStatusNp {
    /// master_offset, nanoseconds.
    pub master_offset: i64,
    /// ingress_time, nanoseconds.
    pub ingress_time: i64,
    /// cumulativeScaledRateOffset: (rateRatio - 1) * 2^41.
    pub cumulative_scaled_rate_offset: i32,
    pub scaled_last_gm_phase_change: i32,
    pub gm_time_base_indicator: u16,
    pub last_gm_phase_change: ScaledNs,
    /// gmPresent: nonzero when a grandmaster other than this clock is selected.
    pub gm_present: i32,
    pub gm_identity: ClockIdentity,
}

impl WireFormat for TimeStatusNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(TimeStatusNp {
            master_offset: r.i64()?,
            ingress_time: r.i64()?,
            cumulative_scaled_rate_offset: r.i32()?,
            scaled_last_gm_phase_change: r.i32()?,
            gm_time_base_indicator: r.u16()?,
            last_gm_phase_change: ScaledNs::parse(r)?,
            gm_present: r.i32()?,
            gm_identity: ClockIdentity::parse(r)?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i64(self.master_offset);
        w.i64(self.ingress_time);
        w.i32(self.cumulative_scaled_rate_offset);
        w.i32(self.scaled_last_gm_phase_change);
        w.u16(self.gm_time_base_indicator);
        self.last_gm_phase_change.emit(w);
        w.i32(self.gm_present);
        self.gm_identity.emit(w);
    }
    fn wire_len(&self) -> usize {
        50
    }
}

/// GRANDMASTER_SETTINGS_NP body (linuxptp tlv.h `struct grandmaster_settings_np`; linuxptp
/// 4.4, identical in 3.1.1): the values this clock announces when it is grandmaster.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GrandmasterSettingsNp {
    pub clock_quality: ClockQuality,
    pub utc_offset: i16,
    /// time_flags: the bits of TIME_PROPERTIES_DATA_SET's flags (leap61 bit 0 .. frequency
    /// traceable bit 5).
    pub time_flags: u8,
    pub time_source: TimeSource,
}

impl WireFormat for GrandmasterSettingsNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(GrandmasterSettingsNp {
            clock_quality: ClockQuality::parse(r)?,
            utc_offset: r.i16()?,
            time_flags: r.u8()?,
            time_source: TimeSource(r.u8()?),
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.clock_quality.emit(w);
        w.i16(self.utc_offset);
        w.u8(self.time_flags);
        w.u8(self.time_source.0);
    }
    fn wire_len(&self) -> usize {
        8
    }
}

/// PORT_DATA_SET_NP body (linuxptp tlv.h `struct port_ds_np`; linuxptp 4.4, identical in
/// 3.1.1). A SET applies only neighborPropDelayThresh.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortDataSetNp {
    /// neighborPropDelayThresh, nanoseconds.
    pub neighbor_prop_delay_thresh: u32,
    pub as_capable: i32,
}

impl WireFormat for PortDataSetNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(PortDataSetNp { neighbor_prop_delay_thresh: r.u32()?, as_capable: r.i32()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u32(self.neighbor_prop_delay_thresh);
        w.i32(self.as_capable);
    }
    fn wire_len(&self) -> usize {
        8
    }
}

/// SUBSCRIBE_EVENTS_NP body (linuxptp tlv.h `struct subscribe_events_np`; linuxptp 4.4,
/// identical in 3.1.1): how long the subscription lasts and which events it wants. Event `n`
/// is bit `n % 8` of bitmask octet `n / 8`; an all-zero bitmask cancels the subscription.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SubscribeEventsNp {
    /// duration, seconds.
    pub duration: u16,
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
    pub bitmask: [u8; SubscribeEventsNp::BITMASK_LEN],
}

impl SubscribeEventsNp {
    pub const BITMASK_LEN: usize = 64;
    /// Port state changes (sent as PORT_DATA_SET).
    pub const NOTIFY_PORT_STATE: usize = 0;
    /// Servo updates (sent as TIME_STATUS_NP).
    pub const NOTIFY_TIME_SYNC: usize = 1;
    /// Parent dataset changes (sent as PARENT_DATA_SET).
    pub const NOTIFY_PARENT_DATA_SET: usize = 2;
    /// CMLDS updates (sent as CMLDS_INFO_NP).
    pub const NOTIFY_CMLDS: usize = 3;
    /// duration value that linuxptp (master) treats as "never expires".
    pub const DURATION_FOREVER: u16 = 0xffff;

    /// True if `event` is set in the bitmask (false for events beyond the bitmask).
    pub fn has_event(&self, event: usize) -> bool {
        self.bitmask.get(event / 8).is_some_and(|b| b & (1 << (event % 8)) != 0)
    }

    /// Set or clear `event`; events beyond the bitmask are ignored.
    pub fn set_event(&mut self, event: usize, on: bool) {
        if let Some(b) = self.bitmask.get_mut(event / 8) {
            let bit = 1u8 << (event % 8);
            if on {
                *b |= bit;
            } else {
                *b &= !bit;
            }
        }
    }
}

impl Default for SubscribeEventsNp {
    fn default() -> Self {
        SubscribeEventsNp { duration: 0, bitmask: [0; SubscribeEventsNp::BITMASK_LEN] }
    }
}

impl WireFormat for SubscribeEventsNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(SubscribeEventsNp { duration: r.u16()?, bitmask: r.array()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.duration);
        w.bytes(&self.bitmask);
    }
    fn wire_len(&self) -> usize {
        2 + SubscribeEventsNp::BITMASK_LEN
    }
}

wire_enum! {
    /// linuxptp's `enum timestamp_type`, as PORT_PROPERTIES_NP carries it.
    pub struct TimestampType(u8) {
        SOFTWARE = 0 => "SOFTWARE",
        HARDWARE = 1 => "HARDWARE",
        LEGACY_HW = 2 => "LEGACY_HW",
        ONESTEP = 3 => "ONESTEP",
        P2P1STEP = 4 => "P2P1STEP",
    }
}

/// PORT_PROPERTIES_NP body (linuxptp tlv.h `struct port_properties_np`; linuxptp 4.4,
/// identical in 3.1.1): 13 octets plus the interface name, padded to even by the framing.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortPropertiesNp {
    pub port_identity: PortIdentity,
    /// port_state (linuxptp reports GRAND_MASTER as MASTER).
    pub port_state: PortStateValue,
    pub timestamping: TimestampType,
    /// interface: the port's interface name (or timestamping label).
    pub interface: PtpText,
}

impl WireFormat for PortPropertiesNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(PortPropertiesNp {
            port_identity: PortIdentity::parse(r)?,
            port_state: PortStateValue(r.u8()?),
            timestamping: TimestampType(r.u8()?),
            interface: PtpText::parse(r)?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.port_identity.emit(w);
        w.u8(self.port_state.0);
        w.u8(self.timestamping.0);
        self.interface.emit(w);
    }
    fn wire_len(&self) -> usize {
        12 + self.interface.wire_len()
    }
}

/// PORT_STATS_NP body (linuxptp tlv.h `struct port_stats_np`; linuxptp 4.4, identical in
/// 3.1.1): messages received and sent, indexed by messageType 0..15.
///
/// linuxptp quirk, matched byte for byte: the 32 counters are sent LITTLE-endian (linuxptp
/// copies its host-order counters without conversion), unlike every other PTP field.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortStatsNp {
    pub port_identity: PortIdentity,
    pub rx_msg_type: [u64; 16],
    pub tx_msg_type: [u64; 16],
}

impl PortStatsNp {
    /// Messages of type `t` received.
    pub fn rx(&self, t: MessageType) -> u64 {
        self.rx_msg_type.get(t as usize).copied().unwrap_or(0)
    }

    /// Messages of type `t` sent.
    pub fn tx(&self, t: MessageType) -> u64 {
        self.tx_msg_type.get(t as usize).copied().unwrap_or(0)
    }
}

impl WireFormat for PortStatsNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let port_identity = PortIdentity::parse(r)?;
        let mut v = PortStatsNp { port_identity, ..PortStatsNp::default() };
        // Little-endian counters: linuxptp quirk.
        for c in v.rx_msg_type.iter_mut().chain(v.tx_msg_type.iter_mut()) {
            *c = r.u64_le()?;
        }
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.port_identity.emit(w);
        // Little-endian counters: linuxptp quirk.
        for c in self.rx_msg_type.iter().chain(self.tx_msg_type.iter()) {
            w.u64_le(*c);
        }
    }
    fn wire_len(&self) -> usize {
        10 + 2 * 16 * 8
    }
}

/// SYNCHRONIZATION_UNCERTAIN_NP body (linuxptp tlv.h `struct management_tlv_datum` under
/// this ID; linuxptp 4.4, identical in 3.1.1): 0 false, 1 true, 0xFF don't care.
///
/// Unlike every other body, the reserved octet is kept: pmc 3.1.1 leaves it uninitialised in
/// a SET (captured as `00 b8` in uds-management-v3.1.1.pcap), and keeping it is what lets
/// such a message re-encode byte for byte. It is zero in everything linuxptp 4.4 sends.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SynchronizationUncertainNp {
    pub val: u8,
    pub reserved: u8,
}

impl SynchronizationUncertainNp {
    pub const FALSE: u8 = 0;
    pub const TRUE: u8 = 1;
    pub const DONT_CARE: u8 = 0xff;
}

impl WireFormat for SynchronizationUncertainNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(SynchronizationUncertainNp { val: r.u8()?, reserved: r.u8()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.val);
        w.u8(self.reserved);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

/// PORT_SERVICE_STATS_NP body (linuxptp tlv.h `struct port_service_stats_np`; linuxptp 4.4,
/// new in 4.0): how often each timeout fired and each mismatch occurred.
///
/// linuxptp quirk, matched byte for byte: the ten counters are sent LITTLE-endian.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortServiceStatsNp {
    pub port_identity: PortIdentity,
    pub announce_timeout: u64,
    pub sync_timeout: u64,
    pub delay_timeout: u64,
    pub unicast_service_timeout: u64,
    pub unicast_request_timeout: u64,
    pub master_announce_timeout: u64,
    pub master_sync_timeout: u64,
    pub qualification_timeout: u64,
    pub sync_mismatch: u64,
    pub followup_mismatch: u64,
}

impl WireFormat for PortServiceStatsNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        // Little-endian counters: linuxptp quirk.
        Some(PortServiceStatsNp {
            port_identity: PortIdentity::parse(r)?,
            announce_timeout: r.u64_le()?,
            sync_timeout: r.u64_le()?,
            delay_timeout: r.u64_le()?,
            unicast_service_timeout: r.u64_le()?,
            unicast_request_timeout: r.u64_le()?,
            master_announce_timeout: r.u64_le()?,
            master_sync_timeout: r.u64_le()?,
            qualification_timeout: r.u64_le()?,
            sync_mismatch: r.u64_le()?,
            followup_mismatch: r.u64_le()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.port_identity.emit(w);
        // Little-endian counters: linuxptp quirk.
        for c in [
            self.announce_timeout,
            self.sync_timeout,
            self.delay_timeout,
            self.unicast_service_timeout,
            self.unicast_request_timeout,
            self.master_announce_timeout,
            self.master_sync_timeout,
            self.qualification_timeout,
            self.sync_mismatch,
            self.followup_mismatch,
        ] {
            w.u64_le(c);
        }
    }
    fn wire_len(&self) -> usize {
        10 + 10 * 8
    }
}

wire_enum! {
    /// linuxptp's unicast master state (`enum unicast_state`), as UNICAST_MASTER_TABLE_NP
    /// carries it.
    pub struct UnicastMasterState(u8) {
        WAIT = 0 => "WAIT",
        HAVE_ANN = 1 => "HAVE_ANN",
        NEED_SYDY = 2 => "NEED_SYDY",
        HAVE_SYDY = 3 => "HAVE_SYDY",
    }
}

/// One entry of UNICAST_MASTER_TABLE_NP (linuxptp tlv.h `struct unicast_master_entry`;
/// linuxptp 4.4): 22 octets plus the address.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnicastMasterEntry {
    pub port_identity: PortIdentity,
    pub clock_quality: ClockQuality,
    /// selected: nonzero for the master the port follows.
    pub selected: u8,
    pub port_state: UnicastMasterState,
    pub priority1: u8,
    pub priority2: u8,
    pub address: PortAddress,
}

impl WireFormat for UnicastMasterEntry {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(UnicastMasterEntry {
            port_identity: PortIdentity::parse(r)?,
            clock_quality: ClockQuality::parse(r)?,
            selected: r.u8()?,
            port_state: UnicastMasterState(r.u8()?),
            priority1: r.u8()?,
            priority2: r.u8()?,
            address: PortAddress::parse(r)?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.port_identity.emit(w);
        self.clock_quality.emit(w);
        w.u8(self.selected);
        w.u8(self.port_state.0);
        w.u8(self.priority1);
        w.u8(self.priority2);
        self.address.emit(w);
    }
    fn wire_len(&self) -> usize {
        18 + self.address.wire_len()
    }
}

/// UNICAST_MASTER_TABLE_NP body (linuxptp tlv.h `struct unicast_master_table_np`; linuxptp
/// 4.4, new in 4.0): actual_table_size (the length of `entries`) and the entries; size 0 when
/// the port has no unicast master table.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnicastMasterTableNp {
    pub entries: Vec<UnicastMasterEntry>,
}

impl WireFormat for UnicastMasterTableNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.u16()?;
        let mut entries = Vec::new();
        for _ in 0..n {
            entries.push(UnicastMasterEntry::parse(r)?);
        }
        Some(UnicastMasterTableNp { entries })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(count_u16(self.entries.len()));
        for e in &self.entries {
            e.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        2 + self.entries.iter().map(WireFormat::wire_len).sum::<usize>()
    }
}

/// PORT_HWCLOCK_NP body (linuxptp tlv.h `struct port_hwclock_np`; linuxptp 4.4, new in 4.0):
/// the PHC a port uses; phc_index -1 when it has none. One reserved octet ends the body.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortHwclockNp {
    pub port_identity: PortIdentity,
    pub phc_index: i32,
    /// Bit 0: the PHC is a virtual clock.
    pub flags: u8,
}

impl PortHwclockNp {
    /// flags bit 0: the PHC is a virtual clock.
    pub const fn virtual_clock(&self) -> bool {
        self.flags & 0x01 != 0
    }
}

impl WireFormat for PortHwclockNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let v = PortHwclockNp { port_identity: PortIdentity::parse(r)?, phc_index: r.i32()?, flags: r.u8()? };
        let _reserved = r.u8()?;
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.port_identity.emit(w);
        w.i32(self.phc_index);
        w.u8(self.flags);
        w.u8(0);
    }
    fn wire_len(&self) -> usize {
        16
    }
}

/// POWER_PROFILE_SETTINGS_NP body (linuxptp tlv.h `struct ieee_c37_238_settings_np`;
/// linuxptp 4.4, new in 4.0): the IEEE C37.238 power profile values the port announces.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PowerProfileSettingsNp {
    /// version: 0 none, 1 C37.238-2011, 2 C37.238-2017.
    pub version: u16,
    pub grandmaster_id: u16,
    pub grandmaster_time_inaccuracy: u32,
    pub network_time_inaccuracy: u32,
    pub total_time_inaccuracy: u32,
}

impl PowerProfileSettingsNp {
    pub const VERSION_NONE: u16 = 0;
    pub const VERSION_2011: u16 = 1;
    pub const VERSION_2017: u16 = 2;
}

impl WireFormat for PowerProfileSettingsNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(PowerProfileSettingsNp {
            version: r.u16()?,
            grandmaster_id: r.u16()?,
            grandmaster_time_inaccuracy: r.u32()?,
            network_time_inaccuracy: r.u32()?,
            total_time_inaccuracy: r.u32()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.version);
        w.u16(self.grandmaster_id);
        w.u32(self.grandmaster_time_inaccuracy);
        w.u32(self.network_time_inaccuracy);
        w.u32(self.total_time_inaccuracy);
    }
    fn wire_len(&self) -> usize {
        16
    }
}

/// CMLDS_INFO_NP body (linuxptp tlv.h `struct cmlds_info_np`; linuxptp 4.4, new in 4.3):
/// the common mean link delay service's view of the link. Also the body of the NOTIFY_CMLDS
/// event.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CmldsInfoNp {
    pub mean_link_delay: TimeInterval,
    /// scaledNeighborRateRatio: (neighborRateRatio - 1) * 2^41.
    pub scaled_neighbor_rate_ratio: i32,
    pub as_capable: u32,
}

impl WireFormat for CmldsInfoNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(CmldsInfoNp {
            mean_link_delay: TimeInterval::parse(r)?,
            scaled_neighbor_rate_ratio: r.i32()?,
            as_capable: r.u32()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.mean_link_delay.emit(w);
        w.i32(self.scaled_neighbor_rate_ratio);
        w.u32(self.as_capable);
    }
    fn wire_len(&self) -> usize {
        16
    }
}

/// PORT_CORRECTIONS_NP body (linuxptp tlv.h `struct port_corrections_np`; linuxptp master
/// after 4.4): the port's latency and asymmetry corrections, as TimeInterval (ns * 2^16).
///
/// linuxptp quirk, matched byte for byte: the three values are sent in host order, i.e.
/// LITTLE-endian from x86 (linuxptp discards the result of its byte-order conversion).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortCorrectionsNp {
    pub egress_latency: TimeInterval,
    pub ingress_latency: TimeInterval,
    pub delay_asymmetry: TimeInterval,
}

impl WireFormat for PortCorrectionsNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        // Little-endian values: linuxptp quirk.
        Some(PortCorrectionsNp {
            egress_latency: TimeInterval(r.i64_le()?),
            ingress_latency: TimeInterval(r.i64_le()?),
            delay_asymmetry: TimeInterval(r.i64_le()?),
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        // Little-endian values: linuxptp quirk.
        w.i64_le(self.egress_latency.0);
        w.i64_le(self.ingress_latency.0);
        w.i64_le(self.delay_asymmetry.0);
    }
    fn wire_len(&self) -> usize {
        24
    }
}

/// EXTERNAL_GRANDMASTER_PROPERTIES_NP body (linuxptp tlv.h
/// `struct external_grandmaster_properties_np`; linuxptp master after 4.4): the grandmaster
/// identity and stepsRemoved that a clock fed by an external grandmaster announces.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExternalGrandmasterPropertiesNp {
    pub gm_identity: ClockIdentity,
    pub steps_removed: u16,
}

impl WireFormat for ExternalGrandmasterPropertiesNp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(ExternalGrandmasterPropertiesNp { gm_identity: ClockIdentity::parse(r)?, steps_removed: r.u16()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.gm_identity.emit(w);
        w.u16(self.steps_removed);
    }
    fn wire_len(&self) -> usize {
        10
    }
}
