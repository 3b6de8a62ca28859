//! Typed dataField bodies, one per managementId (IEEE 1588-2019 15.5.3 and linuxptp's `_NP`
//! extensions).
//!
//! [`ManagementData::parse`] decodes a dataField for its managementId:
//! - an empty dataField is [`ManagementData::Empty`] for every ID (pmc sends GETs without a
//!   dataField with `-z`, error replies and ENABLE_PORT/DISABLE_PORT have none);
//! - an ID with a layout gets its typed variant; the body must use every octet, and a body of
//!   odd length must be followed by exactly one pad octet (linuxptp pads odd bodies to even;
//!   the pad is emitted as zero and accepted with any value). A dataField that does not match
//!   the layout is `None`, which the framing turns into
//!   [`crate::ParseError::BadManagementBody`];
//! - IDs whose body is empty by definition (NULL_MANAGEMENT, SAVE_IN_NON_VOLATILE_STORAGE,
//!   RESET_NON_VOLATILE_STORAGE, FAULT_LOG_RESET, ENABLE_PORT, DISABLE_PORT), IDs without a
//!   defined layout (SLAVE_EVENT_MONITORING) and unknown IDs keep a non-empty dataField as
//!   [`ManagementData::Raw`], emitted unchanged, so nothing is lost.
//!
//! Reserved octets are not stored and are emitted as zero (one exception, kept because real
//! traffic needs it: [`SynchronizationUncertainNp::reserved`]). Flag octets are stored whole so
//! that bits this codec does not name survive a round trip.
//!
//! Nothing here can panic on any input: every read goes through the bounds-checked
//! [`Reader`], every write through the checked [`Writer`], and table counts never size an
//! allocation before the entries have actually been read.

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{ClockAccuracy, DelayMechanism, PortStateValue, TimeSource};
use crate::management::ManagementId;

/// A single-octet value as carried in a management body.
trait Octet: Copy {
    fn from_octet(b: u8) -> Self;
    fn to_octet(self) -> u8;
}

impl Octet for u8 {
    fn from_octet(b: u8) -> Self {
        b
    }
    fn to_octet(self) -> u8 {
        self
    }
}

impl Octet for i8 {
    fn from_octet(b: u8) -> Self {
        b as i8
    }
    fn to_octet(self) -> u8 {
        self as u8
    }
}

macro_rules! octet_newtype {
    ($($t:ty),*) => {$(
        impl Octet for $t {
            fn from_octet(b: u8) -> Self {
                Self(b)
            }
            fn to_octet(self) -> u8 {
                self.0
            }
        }
    )*};
}
octet_newtype!(ClockAccuracy, DelayMechanism, TimeSource, PortStateValue);

/// Declares a body of one value octet followed by one reserved octet (the layout of most
/// single-member management TLVs), with its [`WireFormat`].
macro_rules! octet_body {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $(#[$fm:meta])*
            pub $field:ident: $ty:ty,
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name {
            $(#[$fm])*
            pub $field: $ty,
        }

        impl WireFormat for $name {
            fn parse(r: &mut Reader<'_>) -> Option<Self> {
                let v = r.u8()?;
                let _reserved = r.u8()?;
                Some($name { $field: <$ty as super::Octet>::from_octet(v) })
            }
            fn emit(&self, w: &mut Writer<'_>) {
                w.u8(super::Octet::to_octet(self.$field));
                w.u8(0);
            }
            fn wire_len(&self) -> usize {
                2
            }
        }
    };
}

mod linuxptp_np;
mod standard;

pub use linuxptp_np::*;
pub use standard::*;

/// Declares [`ManagementData`] with one variant per managementId that has a typed body, and
/// the dispatch between managementId and variant.
macro_rules! management_data {
    ($( $(#[$vm:meta])* $id:ident => $variant:ident($ty:ty), )*) => {
        /// The decoded dataField of a MANAGEMENT TLV: one variant per managementId with a
        /// layout, named after the dataset or member it carries.
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub enum ManagementData {
            /// No dataField at all (TLV lengthField 2).
            Empty,
            /// The dataField of an ID without a typed body (unknown IDs, SLAVE_EVENT_MONITORING,
            /// or a non-empty dataField for an ID whose body is empty by definition), kept as
            /// received.
            Raw(#[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))] Vec<u8>),
            $( $(#[$vm])* $variant($ty), )*
        }

        /// Every managementId that has a typed body, in managementId order.
        pub const TYPED_MANAGEMENT_IDS: &[ManagementId] = &[$(ManagementId::$id),*];

        impl ManagementData {
            /// The typed body for `id` read from `r`: outer `None` if `id` has no typed
            /// layout, inner `None` if the bytes do not match it.
            fn parse_typed(id: ManagementId, r: &mut Reader<'_>) -> Option<Option<Self>> {
                Some(match id {
                    $( ManagementId::$id => <$ty as WireFormat>::parse(r).map(ManagementData::$variant), )*
                    _ => return None,
                })
            }

            /// The managementId whose layout this body has; `None` for `Empty` and `Raw`.
            pub fn management_id(&self) -> Option<ManagementId> {
                match self {
                    ManagementData::Empty | ManagementData::Raw(_) => None,
                    $( ManagementData::$variant(_) => Some(ManagementId::$id), )*
                }
            }

            /// Length of the dataField without pad.
            pub fn body_len(&self) -> usize {
                match self {
                    ManagementData::Empty => 0,
                    ManagementData::Raw(b) => b.len(),
                    $( ManagementData::$variant(v) => v.wire_len(), )*
                }
            }

            fn emit_body(&self, w: &mut Writer<'_>) {
                match self {
                    ManagementData::Empty => {}
                    ManagementData::Raw(b) => w.bytes(b),
                    $( ManagementData::$variant(v) => v.emit(w), )*
                }
            }
        }

        $(
            impl From<$ty> for ManagementData {
                fn from(v: $ty) -> Self {
                    ManagementData::$variant(v)
                }
            }
        )*
    };
}

// The four bodies of 50 octets or more are boxed so that a `ManagementData` (and so every
// `Tlv`) stays small: PORT_STATS_NP alone holds 256 octets of counters.
management_data! {
    CLOCK_DESCRIPTION => ClockDescription(ClockDescription),
    USER_DESCRIPTION => UserDescription(UserDescription),
    INITIALIZE => Initialize(Initialize),
    FAULT_LOG => FaultLog(FaultLog),
    DEFAULT_DATA_SET => DefaultDataSet(DefaultDataSet),
    CURRENT_DATA_SET => CurrentDataSet(CurrentDataSet),
    PARENT_DATA_SET => ParentDataSet(ParentDataSet),
    TIME_PROPERTIES_DATA_SET => TimePropertiesDataSet(TimePropertiesDataSet),
    PORT_DATA_SET => PortDataSet(PortDataSet),
    PRIORITY1 => Priority1(Priority1),
    PRIORITY2 => Priority2(Priority2),
    DOMAIN => Domain(Domain),
    SLAVE_ONLY => SlaveOnly(SlaveOnly),
    LOG_ANNOUNCE_INTERVAL => LogAnnounceInterval(LogAnnounceInterval),
    ANNOUNCE_RECEIPT_TIMEOUT => AnnounceReceiptTimeout(AnnounceReceiptTimeout),
    LOG_SYNC_INTERVAL => LogSyncInterval(LogSyncInterval),
    VERSION_NUMBER => VersionNumber(VersionNumber),
    TIME => Time(Time),
    /// The struct is named `ClockAccuracySetting` because [`ClockAccuracy`] is the datatype.
    CLOCK_ACCURACY => ClockAccuracy(ClockAccuracySetting),
    UTC_PROPERTIES => UtcProperties(UtcProperties),
    TRACEABILITY_PROPERTIES => TraceabilityProperties(TraceabilityProperties),
    TIMESCALE_PROPERTIES => TimescaleProperties(TimescaleProperties),
    UNICAST_NEGOTIATION_ENABLE => UnicastNegotiationEnable(UnicastNegotiationEnable),
    PATH_TRACE_LIST => PathTraceList(PathTraceList),
    PATH_TRACE_ENABLE => PathTraceEnable(PathTraceEnable),
    GRANDMASTER_CLUSTER_TABLE => GrandmasterClusterTable(GrandmasterClusterTable),
    UNICAST_MASTER_TABLE => UnicastMasterTable(UnicastMasterTable),
    UNICAST_MASTER_MAX_TABLE_SIZE => UnicastMasterMaxTableSize(UnicastMasterMaxTableSize),
    ACCEPTABLE_MASTER_TABLE => AcceptableMasterTable(AcceptableMasterTable),
    ACCEPTABLE_MASTER_TABLE_ENABLED => AcceptableMasterTableEnabled(AcceptableMasterTableEnabled),
    ACCEPTABLE_MASTER_MAX_TABLE_SIZE => AcceptableMasterMaxTableSize(AcceptableMasterMaxTableSize),
    ALTERNATE_MASTER => AlternateMaster(AlternateMaster),
    ALTERNATE_TIME_OFFSET_ENABLE => AlternateTimeOffsetEnable(AlternateTimeOffsetEnable),
    ALTERNATE_TIME_OFFSET_NAME => AlternateTimeOffsetName(AlternateTimeOffsetName),
    ALTERNATE_TIME_OFFSET_MAX_KEY => AlternateTimeOffsetMaxKey(AlternateTimeOffsetMaxKey),
    ALTERNATE_TIME_OFFSET_PROPERTIES => AlternateTimeOffsetProperties(AlternateTimeOffsetProperties),
    EXTERNAL_PORT_CONFIGURATION_ENABLED => ExternalPortConfigurationEnabled(ExternalPortConfigurationEnabled),
    MASTER_ONLY => MasterOnly(MasterOnly),
    HOLDOVER_UPGRADE_ENABLE => HoldoverUpgradeEnable(HoldoverUpgradeEnable),
    EXT_PORT_CONFIG_PORT_DATA_SET => ExtPortConfigPortDataSet(ExtPortConfigPortDataSet),
    TRANSPARENT_CLOCK_DEFAULT_DATA_SET => TransparentClockDefaultDataSet(TransparentClockDefaultDataSet),
    TRANSPARENT_CLOCK_PORT_DATA_SET => TransparentClockPortDataSet(TransparentClockPortDataSet),
    PRIMARY_DOMAIN => PrimaryDomain(PrimaryDomain),
    /// The struct is named `DelayMechanismSetting` because [`DelayMechanism`] is the datatype.
    DELAY_MECHANISM => DelayMechanism(DelayMechanismSetting),
    LOG_MIN_PDELAY_REQ_INTERVAL => LogMinPdelayReqInterval(LogMinPdelayReqInterval),
    TIME_STATUS_NP => TimeStatusNp(Box<TimeStatusNp>),
    GRANDMASTER_SETTINGS_NP => GrandmasterSettingsNp(GrandmasterSettingsNp),
    PORT_DATA_SET_NP => PortDataSetNp(PortDataSetNp),
    SUBSCRIBE_EVENTS_NP => SubscribeEventsNp(Box<SubscribeEventsNp>),
    PORT_PROPERTIES_NP => PortPropertiesNp(PortPropertiesNp),
    PORT_STATS_NP => PortStatsNp(Box<PortStatsNp>),
    SYNCHRONIZATION_UNCERTAIN_NP => SynchronizationUncertainNp(SynchronizationUncertainNp),
    PORT_SERVICE_STATS_NP => PortServiceStatsNp(Box<PortServiceStatsNp>),
    UNICAST_MASTER_TABLE_NP => UnicastMasterTableNp(UnicastMasterTableNp),
    PORT_HWCLOCK_NP => PortHwclockNp(PortHwclockNp),
    POWER_PROFILE_SETTINGS_NP => PowerProfileSettingsNp(PowerProfileSettingsNp),
    CMLDS_INFO_NP => CmldsInfoNp(CmldsInfoNp),
    PORT_CORRECTIONS_NP => PortCorrectionsNp(PortCorrectionsNp),
    EXTERNAL_GRANDMASTER_PROPERTIES_NP => ExternalGrandmasterPropertiesNp(ExternalGrandmasterPropertiesNp),
}

macro_rules! from_unboxed {
    ($($t:ident),*) => {$(
        impl From<$t> for ManagementData {
            fn from(v: $t) -> Self {
                ManagementData::$t(Box::new(v))
            }
        }
    )*};
}
from_unboxed!(TimeStatusNp, SubscribeEventsNp, PortStatsNp, PortServiceStatsNp);

impl ManagementData {
    /// Decode `data` (the dataField including any pad octet) for `id`; `None` if it does not
    /// match the layout of that ID.
    pub fn parse(id: ManagementId, data: &[u8]) -> Option<Self> {
        if data.is_empty() {
            return Some(ManagementData::Empty);
        }
        let mut r = Reader::new(data);
        let Some(typed) = Self::parse_typed(id, &mut r) else {
            return Some(ManagementData::Raw(data.to_vec()));
        };
        let typed = typed?;
        // Every octet is used; an odd body is followed by exactly one pad octet (of any value).
        (r.remaining() == typed.body_len() % 2).then_some(typed)
    }

    /// True if `id` has a typed body (a non-empty dataField parses into its own variant).
    pub fn has_typed_body(id: ManagementId) -> bool {
        TYPED_MANAGEMENT_IDS.contains(&id)
    }

    /// Length of the dataField including the pad octet that makes it even.
    pub fn padded_len(&self) -> usize {
        match self {
            // Raw bytes are sent exactly as received.
            ManagementData::Raw(b) => b.len(),
            _ => self.body_len() + self.body_len() % 2,
        }
    }

    /// Write the dataField and, after a typed body of odd length, one zero pad octet.
    pub fn emit_padded(&self, w: &mut Writer<'_>) {
        self.emit_body(w);
        if !matches!(self, ManagementData::Raw(_)) && self.body_len() % 2 == 1 {
            w.u8(0);
        }
    }

    /// The padded dataField as a new vector.
    pub fn to_padded_vec(&self) -> Vec<u8> {
        let mut v = vec![0u8; self.padded_len()];
        let mut w = Writer::new(&mut v);
        self.emit_padded(&mut w);
        v
    }
}

/// A count field's value for a table of `n` entries. It saturates: a table longer than its
/// count field can express has no valid encoding (what is emitted is rejected by `parse`,
/// which finds entries left over), but emitting it must not panic.
fn count_u8(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

fn count_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn count_i16(n: usize) -> i16 {
    i16::try_from(n).unwrap_or(i16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_typed_id_is_known_and_unique() {
        for (i, id) in TYPED_MANAGEMENT_IDS.iter().enumerate() {
            assert!(id.name().is_some(), "{id}");
            assert!(!TYPED_MANAGEMENT_IDS[..i].contains(id), "{id} twice");
        }
        // 66 IDs: 6 empty by definition, SLAVE_EVENT_MONITORING raw, the rest typed.
        assert_eq!(TYPED_MANAGEMENT_IDS.len(), ManagementId::KNOWN.len() - 7);
    }

    #[test]
    fn empty_by_definition_ids_keep_a_body_raw() {
        for id in [
            ManagementId::NULL_MANAGEMENT,
            ManagementId::SAVE_IN_NON_VOLATILE_STORAGE,
            ManagementId::RESET_NON_VOLATILE_STORAGE,
            ManagementId::FAULT_LOG_RESET,
            ManagementId::ENABLE_PORT,
            ManagementId::DISABLE_PORT,
            ManagementId::SLAVE_EVENT_MONITORING,
            ManagementId(0x7777),
        ] {
            assert!(!ManagementData::has_typed_body(id));
            assert_eq!(ManagementData::parse(id, &[]), Some(ManagementData::Empty));
            assert_eq!(ManagementData::parse(id, &[1, 2, 3]), Some(ManagementData::Raw(vec![1, 2, 3])));
        }
    }

    #[test]
    fn odd_body_needs_exactly_one_pad_octet() {
        let id = ManagementId::USER_DESCRIPTION;
        let body = ManagementData::UserDescription(UserDescription { user_description: "ab".into() });
        assert_eq!(ManagementData::parse(id, &[2, b'a', b'b', 0]), Some(body.clone()));
        assert_eq!(ManagementData::parse(id, &[2, b'a', b'b', 0x55]), Some(body.clone()));
        assert_eq!(body.to_padded_vec(), [2, b'a', b'b', 0]);
        assert_eq!(ManagementData::parse(id, &[2, b'a', b'b']), None);
        assert_eq!(ManagementData::parse(id, &[2, b'a', b'b', 0, 0]), None);
        // An even body takes no pad.
        assert_eq!(ManagementData::parse(ManagementId::PRIORITY1, &[1, 0, 0]), None);
    }
}
