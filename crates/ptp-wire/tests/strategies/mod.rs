//! proptest strategies for every ptp-wire value: the base datatypes, the header, the ten
//! message bodies, every non-management TLV, simple MANAGEMENT TLVs and whole messages.
//!
//! Every value a strategy yields survives `emit` then `parse` unchanged: fields that the codec
//! narrows on the wire (4-bit nibbles, 48-bit seconds, reserved octets) are generated in range.
//! Use it from a test file with `mod strategies;`. The base datatype strategies are meant to be
//! reused by the management body strategies.

#![allow(dead_code)]

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use ptp_wire::management::{CurrentDataSet, ParentDataSet, TimePropertiesDataSet};
use ptp_wire::tlv::{
    AcknowledgeCancelUnicastTransmission, AlternateTimeOffsetIndicator, Authentication, CancelUnicastTransmission,
    CumulativeRateRatio, EnhancedAccuracyMetrics, FollowUpInformation, GrantUnicastTransmission, InterfaceRate, L1Sync,
    L1SyncExtended, MessageIntervalRequest, OrganizationExtension, PathTrace, PortCommunicationAvailability,
    PowerProfile2011, PowerProfile2017, PtpMonResp, RequestUnicastTransmission, SlaveDelayTimingDataNp,
    SlaveDelayTimingRecord, SlaveRxSyncComputedData, SlaveRxSyncComputedRecord, SlaveRxSyncTimingData,
    SlaveRxSyncTimingRecord, SlaveTxEventTimestamps, SlaveTxEventTimestampsRecord,
};
use ptp_wire::{
    Announce, ClockAccuracy, ClockIdentity, ClockQuality, DelayReq, DelayResp, FlagField, FollowUp, Header, Management,
    ManagementAction, ManagementData, ManagementErrorId, ManagementErrorStatus, ManagementId, ManagementTlv, Message,
    MessageBody, MessageType, NetworkProtocol, PdelayReq, PdelayResp, PdelayRespFollowUp, PortAddress, PortIdentity,
    PortStateValue, PtpText, ScaledNs, Signaling, Sync, TimeInterval, TimeSource, Timestamp, Tlv, TlvType,
};

/// A managementId that is not in the known set, so its dataField stays [`ManagementData::Raw`].
pub const UNKNOWN_MANAGEMENT_ID: ManagementId = ManagementId(0x7777);

/// TLV types for which `Tlv::parse` builds a typed body (everything else is `Tlv::Other`).
pub const TYPED_TLV_TYPES: &[TlvType] = &[
    TlvType::MANAGEMENT,
    TlvType::MANAGEMENT_ERROR_STATUS,
    TlvType::ORGANIZATION_EXTENSION,
    TlvType::REQUEST_UNICAST_TRANSMISSION,
    TlvType::GRANT_UNICAST_TRANSMISSION,
    TlvType::CANCEL_UNICAST_TRANSMISSION,
    TlvType::ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION,
    TlvType::PATH_TRACE,
    TlvType::ALTERNATE_TIME_OFFSET_INDICATOR,
    TlvType::PTPMON_REQ,
    TlvType::PTPMON_RESP,
    TlvType::ORGANIZATION_EXTENSION_PROPAGATE,
    TlvType::ENHANCED_ACCURACY_METRICS,
    TlvType::ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE,
    TlvType::L1_SYNC,
    TlvType::PORT_COMMUNICATION_AVAILABILITY,
    TlvType::PROTOCOL_ADDRESS,
    TlvType::SLAVE_RX_SYNC_TIMING_DATA,
    TlvType::SLAVE_RX_SYNC_COMPUTED_DATA,
    TlvType::SLAVE_TX_EVENT_TIMESTAMPS,
    TlvType::SLAVE_DELAY_TIMING_DATA_NP,
    TlvType::CUMULATIVE_RATE_RATIO,
    TlvType::PAD,
    TlvType::AUTHENTICATION,
];

/// True if `Tlv::parse` decodes this type into a typed variant.
pub fn has_typed_body(t: TlvType) -> bool {
    TYPED_TLV_TYPES.contains(&t)
}

// ---------------------------------------------------------------------------------------------
// Base datatypes (IEEE 1588-2019 5.3)

pub fn clock_identity() -> impl Strategy<Value = ClockIdentity> {
    any::<[u8; 8]>().prop_map(ClockIdentity)
}

pub fn port_identity() -> impl Strategy<Value = PortIdentity> {
    (clock_identity(), any::<u16>())
        .prop_map(|(clock_identity, port_number)| PortIdentity { clock_identity, port_number })
}

/// Any clockAccuracy octet: the defined values most of the time, any octet otherwise.
pub fn clock_accuracy() -> impl Strategy<Value = ClockAccuracy> {
    prop_oneof![
        3 => proptest::sample::select(ClockAccuracy::KNOWN),
        1 => any::<u8>().prop_map(ClockAccuracy),
    ]
}

pub fn clock_quality() -> impl Strategy<Value = ClockQuality> {
    (any::<u8>(), clock_accuracy(), any::<u16>()).prop_map(
        |(clock_class, clock_accuracy, offset_scaled_log_variance)| ClockQuality {
            clock_class,
            clock_accuracy,
            offset_scaled_log_variance,
        },
    )
}

pub fn time_source() -> impl Strategy<Value = TimeSource> {
    prop_oneof![
        3 => proptest::sample::select(TimeSource::KNOWN),
        1 => any::<u8>().prop_map(TimeSource),
    ]
}

/// A Timestamp whose seconds fit in 48 bits; nanoseconds may be any u32 (the codec keeps
/// out-of-range nanoseconds as received).
pub fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0..=Timestamp::MAX_SECONDS, any::<u32>()).prop_map(|(s, ns)| Timestamp::new(s, ns))
}

pub fn time_interval() -> impl Strategy<Value = TimeInterval> {
    any::<i64>().prop_map(TimeInterval)
}

/// PTPText of 0 to 255 octets, not necessarily UTF-8.
pub fn ptp_text() -> impl Strategy<Value = PtpText> {
    prop_oneof![
        "[ -~]{0,40}".prop_map(|s| PtpText::new(s.as_bytes())),
        vec(any::<u8>(), 0..=255).prop_map(PtpText::new),
    ]
}

pub fn network_protocol() -> impl Strategy<Value = NetworkProtocol> {
    prop_oneof![
        3 => proptest::sample::select(NetworkProtocol::KNOWN),
        1 => any::<u16>().prop_map(NetworkProtocol),
    ]
}

/// A PortAddress with an address of 0 to 20 octets (any length, odd or even).
pub fn port_address() -> impl Strategy<Value = PortAddress> {
    (network_protocol(), vec(any::<u8>(), 0..=20))
        .prop_map(|(network_protocol, address)| PortAddress { network_protocol, address })
}

pub fn scaled_ns() -> impl Strategy<Value = ScaledNs> {
    (any::<u16>(), any::<u64>(), any::<u16>()).prop_map(|(nanoseconds_msb, nanoseconds_lsb, fractional_nanoseconds)| {
        ScaledNs { nanoseconds_msb, nanoseconds_lsb, fractional_nanoseconds }
    })
}

pub fn port_state() -> impl Strategy<Value = PortStateValue> {
    prop_oneof![
        3 => proptest::sample::select(PortStateValue::KNOWN),
        1 => any::<u8>().prop_map(PortStateValue),
    ]
}

/// A 4-bit field.
pub fn nibble() -> impl Strategy<Value = u8> {
    0u8..16
}

// ---------------------------------------------------------------------------------------------
// Header and message bodies (IEEE 1588-2019 clause 13)

/// A header of `message_type`: 4-bit fields in range, versionPTP 2, everything else any value.
pub fn header(message_type: MessageType) -> impl Strategy<Value = Header> {
    (
        (nibble(), nibble(), any::<u8>(), any::<u8>(), any::<u16>(), time_interval()),
        (any::<[u8; 4]>(), port_identity(), any::<u16>(), any::<u8>(), any::<i8>()),
    )
        .prop_map(
            move |(
                (major_sdo_id, minor_version_ptp, domain_number, minor_sdo_id, flags, correction_field),
                (message_type_specific, source_port_identity, sequence_id, control_field, log_message_interval),
            )| Header {
                major_sdo_id,
                message_type,
                minor_version_ptp,
                version_ptp: 2,
                domain_number,
                minor_sdo_id,
                flag_field: FlagField(flags),
                correction_field,
                message_type_specific,
                source_port_identity,
                sequence_id,
                control_field,
                log_message_interval,
            },
        )
}

pub fn sync() -> impl Strategy<Value = Sync> {
    timestamp().prop_map(|origin_timestamp| Sync { origin_timestamp })
}

pub fn delay_req() -> impl Strategy<Value = DelayReq> {
    timestamp().prop_map(|origin_timestamp| DelayReq { origin_timestamp })
}

pub fn pdelay_req() -> impl Strategy<Value = PdelayReq> {
    timestamp().prop_map(|origin_timestamp| PdelayReq { origin_timestamp })
}

pub fn pdelay_resp() -> impl Strategy<Value = PdelayResp> {
    (timestamp(), port_identity()).prop_map(|(request_receipt_timestamp, requesting_port_identity)| PdelayResp {
        request_receipt_timestamp,
        requesting_port_identity,
    })
}

pub fn follow_up() -> impl Strategy<Value = FollowUp> {
    timestamp().prop_map(|precise_origin_timestamp| FollowUp { precise_origin_timestamp })
}

pub fn delay_resp() -> impl Strategy<Value = DelayResp> {
    (timestamp(), port_identity()).prop_map(|(receive_timestamp, requesting_port_identity)| DelayResp {
        receive_timestamp,
        requesting_port_identity,
    })
}

pub fn pdelay_resp_follow_up() -> impl Strategy<Value = PdelayRespFollowUp> {
    (timestamp(), port_identity()).prop_map(|(response_origin_timestamp, requesting_port_identity)| {
        PdelayRespFollowUp { response_origin_timestamp, requesting_port_identity }
    })
}

pub fn announce() -> impl Strategy<Value = Announce> {
    (
        (timestamp(), any::<i16>(), any::<u8>(), clock_quality()),
        (any::<u8>(), clock_identity(), any::<u16>(), time_source()),
    )
        .prop_map(
            |(
                (origin_timestamp, current_utc_offset, grandmaster_priority1, grandmaster_clock_quality),
                (grandmaster_priority2, grandmaster_identity, steps_removed, time_source),
            )| Announce {
                origin_timestamp,
                current_utc_offset,
                grandmaster_priority1,
                grandmaster_clock_quality,
                grandmaster_priority2,
                grandmaster_identity,
                steps_removed,
                time_source,
            },
        )
}

pub fn signaling() -> impl Strategy<Value = Signaling> {
    port_identity().prop_map(|target_port_identity| Signaling { target_port_identity })
}

/// actionField is a nibble; the defined actions are 0..=4, but any nibble survives.
pub fn management_action() -> impl Strategy<Value = ManagementAction> {
    prop_oneof![
        3 => proptest::sample::select(ManagementAction::KNOWN),
        1 => nibble().prop_map(ManagementAction),
    ]
}

pub fn management_body() -> impl Strategy<Value = Management> {
    (port_identity(), any::<u8>(), any::<u8>(), management_action()).prop_map(
        |(target_port_identity, starting_boundary_hops, boundary_hops, action)| Management {
            target_port_identity,
            starting_boundary_hops,
            boundary_hops,
            action,
        },
    )
}

/// Any of the ten message bodies.
pub fn message_body() -> impl Strategy<Value = MessageBody> {
    prop_oneof![
        sync().prop_map(MessageBody::Sync),
        delay_req().prop_map(MessageBody::DelayReq),
        pdelay_req().prop_map(MessageBody::PdelayReq),
        pdelay_resp().prop_map(MessageBody::PdelayResp),
        follow_up().prop_map(MessageBody::FollowUp),
        delay_resp().prop_map(MessageBody::DelayResp),
        pdelay_resp_follow_up().prop_map(MessageBody::PdelayRespFollowUp),
        announce().prop_map(MessageBody::Announce),
        signaling().prop_map(MessageBody::Signaling),
        management_body().prop_map(MessageBody::Management),
    ]
}

// ---------------------------------------------------------------------------------------------
// Datasets carried in PTPMON_RESP (also MANAGEMENT bodies)

pub fn parent_data_set() -> impl Strategy<Value = ParentDataSet> {
    (
        (port_identity(), any::<u8>(), any::<u16>(), any::<i32>()),
        (any::<u8>(), clock_quality(), any::<u8>(), clock_identity()),
    )
        .prop_map(
            |(
                (
                    parent_port_identity,
                    parent_stats,
                    observed_parent_offset_scaled_log_variance,
                    observed_parent_clock_phase_change_rate,
                ),
                (grandmaster_priority1, grandmaster_clock_quality, grandmaster_priority2, grandmaster_identity),
            )| ParentDataSet {
                parent_port_identity,
                parent_stats,
                observed_parent_offset_scaled_log_variance,
                observed_parent_clock_phase_change_rate,
                grandmaster_priority1,
                grandmaster_clock_quality,
                grandmaster_priority2,
                grandmaster_identity,
            },
        )
}

pub fn current_data_set() -> impl Strategy<Value = CurrentDataSet> {
    (any::<u16>(), time_interval(), time_interval()).prop_map(|(steps_removed, offset_from_master, mean_path_delay)| {
        CurrentDataSet { steps_removed, offset_from_master, mean_path_delay }
    })
}

pub fn time_properties_data_set() -> impl Strategy<Value = TimePropertiesDataSet> {
    (any::<i16>(), any::<u8>(), time_source()).prop_map(|(current_utc_offset, flags, time_source)| {
        TimePropertiesDataSet { current_utc_offset, flags, time_source }
    })
}

// ---------------------------------------------------------------------------------------------
// TLV bodies (IEEE 1588-2019 clauses 14 and 16, linuxptp tlv.h)

pub fn management_error_status() -> impl Strategy<Value = ManagementErrorStatus> {
    (any::<u16>(), any::<u16>(), option::of(ptp_text())).prop_map(|(e, id, display_data)| ManagementErrorStatus {
        management_error_id: ManagementErrorId(e),
        management_id: ManagementId(id),
        display_data,
    })
}

pub fn follow_up_information() -> impl Strategy<Value = FollowUpInformation> {
    (any::<i32>(), any::<u16>(), scaled_ns(), any::<i32>()).prop_map(
        |(cumulative_scaled_rate_offset, gm_time_base_indicator, last_gm_phase_change, scaled_last_gm_freq_change)| {
            FollowUpInformation {
                cumulative_scaled_rate_offset,
                gm_time_base_indicator,
                last_gm_phase_change,
                scaled_last_gm_freq_change,
            }
        },
    )
}

pub fn message_interval_request() -> impl Strategy<Value = MessageIntervalRequest> {
    (any::<i8>(), any::<i8>(), any::<i8>(), any::<u8>()).prop_map(
        |(link_delay_interval, time_sync_interval, announce_interval, flags)| MessageIntervalRequest {
            link_delay_interval,
            time_sync_interval,
            announce_interval,
            flags,
        },
    )
}

pub fn interface_rate() -> impl Strategy<Value = InterfaceRate> {
    (any::<u64>(), any::<u16>(), any::<u16>()).prop_map(
        |(interface_bit_period, number_of_bits_before_timestamp, number_of_bits_after_timestamp)| InterfaceRate {
            interface_bit_period,
            number_of_bits_before_timestamp,
            number_of_bits_after_timestamp,
        },
    )
}

pub fn power_profile_2011() -> impl Strategy<Value = PowerProfile2011> {
    (any::<u16>(), any::<u32>(), any::<u32>()).prop_map(
        |(grandmaster_id, grandmaster_time_inaccuracy, network_time_inaccuracy)| PowerProfile2011 {
            grandmaster_id,
            grandmaster_time_inaccuracy,
            network_time_inaccuracy,
        },
    )
}

pub fn power_profile_2017() -> impl Strategy<Value = PowerProfile2017> {
    (any::<u16>(), any::<u32>())
        .prop_map(|(grandmaster_id, total_time_inaccuracy)| PowerProfile2017 { grandmaster_id, total_time_inaccuracy })
}

/// An organisation body that no typed variant claims.
pub fn organization_other() -> impl Strategy<Value = OrganizationExtension> {
    (any::<[u8; 3]>(), any::<[u8; 3]>(), vec(any::<u8>(), 0..=24))
        .prop_filter("known OUI/subtype", |(oui, sub, _)| !OrganizationExtension::is_known(*oui, *sub))
        .prop_map(|(organization_id, organization_sub_type, data)| OrganizationExtension::Other {
            organization_id,
            organization_sub_type,
            data,
        })
}

pub fn organization_extension() -> impl Strategy<Value = OrganizationExtension> {
    prop_oneof![
        follow_up_information().prop_map(OrganizationExtension::FollowUpInformation),
        message_interval_request().prop_map(OrganizationExtension::MessageIntervalRequest),
        interface_rate().prop_map(OrganizationExtension::InterfaceRate),
        power_profile_2011().prop_map(OrganizationExtension::PowerProfile2011),
        power_profile_2017().prop_map(OrganizationExtension::PowerProfile2017),
        organization_other(),
    ]
}

pub fn request_unicast() -> impl Strategy<Value = RequestUnicastTransmission> {
    (nibble(), any::<i8>(), any::<u32>()).prop_map(|(message_type, log_inter_message_period, duration_field)| {
        RequestUnicastTransmission { message_type, log_inter_message_period, duration_field }
    })
}

pub fn grant_unicast() -> impl Strategy<Value = GrantUnicastTransmission> {
    (nibble(), any::<i8>(), any::<u32>(), any::<bool>()).prop_map(
        |(message_type, log_inter_message_period, duration_field, renewal_invited)| GrantUnicastTransmission {
            message_type,
            log_inter_message_period,
            duration_field,
            renewal_invited,
        },
    )
}

pub fn cancel_unicast() -> impl Strategy<Value = CancelUnicastTransmission> {
    (nibble(), nibble()).prop_map(|(message_type, flags)| CancelUnicastTransmission { message_type, flags })
}

pub fn ack_cancel_unicast() -> impl Strategy<Value = AcknowledgeCancelUnicastTransmission> {
    (nibble(), nibble()).prop_map(|(message_type, flags)| AcknowledgeCancelUnicastTransmission { message_type, flags })
}

pub fn path_trace() -> impl Strategy<Value = PathTrace> {
    vec(clock_identity(), 0..=4).prop_map(|path_sequence| PathTrace { path_sequence })
}

pub fn alternate_time_offset_indicator() -> impl Strategy<Value = AlternateTimeOffsetIndicator> {
    (any::<u8>(), any::<i32>(), any::<i32>(), 0..=Timestamp::MAX_SECONDS, ptp_text()).prop_map(
        |(key_field, current_offset, jump_seconds, time_of_next_jump, display_name)| AlternateTimeOffsetIndicator {
            key_field,
            current_offset,
            jump_seconds,
            time_of_next_jump,
            display_name,
        },
    )
}

pub fn ptpmon_resp() -> impl Strategy<Value = PtpMonResp> {
    (port_state(), port_address(), parent_data_set(), current_data_set(), time_properties_data_set(), timestamp())
        .prop_map(
            |(
                port_state,
                parent_address,
                parent_data_set,
                current_data_set,
                time_properties_data_set,
                last_sync_timestamp,
            )| PtpMonResp {
                port_state,
                parent_address,
                parent_data_set,
                current_data_set,
                time_properties_data_set,
                last_sync_timestamp,
            },
        )
}

pub fn enhanced_accuracy_metrics() -> impl Strategy<Value = EnhancedAccuracyMetrics> {
    (
        (any::<u8>(), any::<u8>(), time_interval(), any::<u64>(), time_interval(), any::<u64>()),
        (time_interval(), any::<u64>(), time_interval(), any::<u64>(), time_interval(), any::<u64>()),
    )
        .prop_map(|((bc, tc, m1, v1, m2, v2), (m3, v3, m4, v4, m5, v5))| EnhancedAccuracyMetrics {
            bc_hop_count: bc,
            tc_hop_count: tc,
            max_gm_inaccuracy: m1,
            var_gm_inaccuracy_bits: v1,
            max_transient_inaccuracy: m2,
            var_transient_inaccuracy_bits: v2,
            max_dynamic_inaccuracy: m3,
            var_dynamic_inaccuracy_bits: v3,
            max_static_instance_inaccuracy: m4,
            var_static_instance_inaccuracy_bits: v4,
            max_static_medium_inaccuracy: m5,
            var_static_medium_inaccuracy_bits: v5,
        })
}

pub fn l1_sync_extended() -> impl Strategy<Value = L1SyncExtended> {
    (any::<u8>(), time_interval(), timestamp(), time_interval(), timestamp()).prop_map(
        |(flags3, phase_offset_tx, phase_offset_tx_timestamp, freq_offset_tx, freq_offset_tx_timestamp)| {
            L1SyncExtended {
                flags3,
                phase_offset_tx,
                phase_offset_tx_timestamp,
                freq_offset_tx,
                freq_offset_tx_timestamp,
            }
        },
    )
}

/// L1_SYNC in the basic (2 octets) or extended (40 octets) format.
pub fn l1_sync() -> impl Strategy<Value = L1Sync> {
    (any::<u8>(), any::<u8>(), option::of(l1_sync_extended())).prop_map(|(flags1, flags2, extended)| L1Sync {
        flags1,
        flags2,
        extended,
    })
}

pub fn port_communication_availability() -> impl Strategy<Value = PortCommunicationAvailability> {
    (any::<u8>(), any::<u8>()).prop_map(|(sync_message_availability, delay_resp_message_availability)| {
        PortCommunicationAvailability { sync_message_availability, delay_resp_message_availability }
    })
}

pub fn slave_rx_sync_timing_record() -> impl Strategy<Value = SlaveRxSyncTimingRecord> {
    (any::<u16>(), timestamp(), time_interval(), any::<i32>(), timestamp()).prop_map(
        |(
            sequence_id,
            sync_origin_timestamp,
            total_correction_field,
            scaled_cumulative_rate_offset,
            sync_event_ingress_timestamp,
        )| SlaveRxSyncTimingRecord {
            sequence_id,
            sync_origin_timestamp,
            total_correction_field,
            scaled_cumulative_rate_offset,
            sync_event_ingress_timestamp,
        },
    )
}

pub fn slave_rx_sync_timing_data() -> impl Strategy<Value = SlaveRxSyncTimingData> {
    (port_identity(), vec(slave_rx_sync_timing_record(), 0..=3))
        .prop_map(|(sync_source_port_identity, records)| SlaveRxSyncTimingData { sync_source_port_identity, records })
}

pub fn slave_rx_sync_computed_record() -> impl Strategy<Value = SlaveRxSyncComputedRecord> {
    (any::<u16>(), time_interval(), time_interval(), any::<i32>()).prop_map(
        |(sequence_id, offset_from_master, mean_path_delay, scaled_neighbor_rate_ratio)| SlaveRxSyncComputedRecord {
            sequence_id,
            offset_from_master,
            mean_path_delay,
            scaled_neighbor_rate_ratio,
        },
    )
}

pub fn slave_rx_sync_computed_data() -> impl Strategy<Value = SlaveRxSyncComputedData> {
    (port_identity(), any::<u8>(), vec(slave_rx_sync_computed_record(), 0..=3)).prop_map(
        |(source_port_identity, computed_flags, records)| SlaveRxSyncComputedData {
            source_port_identity,
            computed_flags,
            records,
        },
    )
}

pub fn slave_tx_event_timestamps() -> impl Strategy<Value = SlaveTxEventTimestamps> {
    let record = (any::<u16>(), timestamp()).prop_map(|(sequence_id, event_egress_timestamp)| {
        SlaveTxEventTimestampsRecord { sequence_id, event_egress_timestamp }
    });
    (port_identity(), nibble(), vec(record, 0..=3)).prop_map(|(source_port_identity, event_message_type, records)| {
        SlaveTxEventTimestamps { source_port_identity, event_message_type, records }
    })
}

pub fn slave_delay_timing_data_np() -> impl Strategy<Value = SlaveDelayTimingDataNp> {
    let record = (any::<u16>(), timestamp(), time_interval(), timestamp()).prop_map(
        |(sequence_id, delay_origin_timestamp, total_correction_field, delay_response_timestamp)| {
            SlaveDelayTimingRecord {
                sequence_id,
                delay_origin_timestamp,
                total_correction_field,
                delay_response_timestamp,
            }
        },
    );
    (port_identity(), vec(record, 0..=3))
        .prop_map(|(source_port_identity, records)| SlaveDelayTimingDataNp { source_port_identity, records })
}

pub fn cumulative_rate_ratio() -> impl Strategy<Value = CumulativeRateRatio> {
    any::<i32>().prop_map(|scaled_cumulative_rate_ratio| CumulativeRateRatio { scaled_cumulative_rate_ratio })
}

pub fn authentication() -> impl Strategy<Value = Authentication> {
    (any::<u8>(), any::<u8>(), any::<u32>(), vec(any::<u8>(), 0..=40))
        .prop_map(|(spp, sec_param_indicator, key_id, icv)| Authentication { spp, sec_param_indicator, key_id, icv })
}

/// A tlvType without a typed body: the 1588-2008 experimental types 0x2000..=0x2003, or any
/// other value the codec does not decode.
pub fn other_tlv_type() -> impl Strategy<Value = TlvType> {
    prop_oneof![
        (0x2000u16..=0x2003).prop_map(TlvType),
        Just(TlvType(0x1234)),
        any::<u16>().prop_map(TlvType).prop_filter("typed TLV type", |t| !has_typed_body(*t)),
    ]
}

/// Every TLV variant except MANAGEMENT.
pub fn non_management_tlv() -> impl Strategy<Value = Tlv> {
    prop_oneof![
        management_error_status().prop_map(Tlv::ManagementErrorStatus),
        organization_extension().prop_map(Tlv::OrganizationExtension),
        request_unicast().prop_map(Tlv::RequestUnicastTransmission),
        grant_unicast().prop_map(Tlv::GrantUnicastTransmission),
        cancel_unicast().prop_map(Tlv::CancelUnicastTransmission),
        ack_cancel_unicast().prop_map(Tlv::AcknowledgeCancelUnicastTransmission),
        path_trace().prop_map(Tlv::PathTrace),
        alternate_time_offset_indicator().prop_map(Tlv::AlternateTimeOffsetIndicator),
        Just(Tlv::PtpMonReq),
        ptpmon_resp().prop_map(Tlv::PtpMonResp),
        organization_extension().prop_map(Tlv::OrganizationExtensionPropagate),
        enhanced_accuracy_metrics().prop_map(Tlv::EnhancedAccuracyMetrics),
        organization_extension().prop_map(Tlv::OrganizationExtensionDoNotPropagate),
        l1_sync().prop_map(Tlv::L1Sync),
        port_communication_availability().prop_map(Tlv::PortCommunicationAvailability),
        port_address().prop_map(Tlv::ProtocolAddress),
        slave_rx_sync_timing_data().prop_map(Tlv::SlaveRxSyncTimingData),
        slave_rx_sync_computed_data().prop_map(Tlv::SlaveRxSyncComputedData),
        slave_tx_event_timestamps().prop_map(Tlv::SlaveTxEventTimestamps),
        slave_delay_timing_data_np().prop_map(Tlv::SlaveDelayTimingDataNp),
        cumulative_rate_ratio().prop_map(Tlv::CumulativeRateRatio),
        vec(any::<u8>(), 0..=16).prop_map(Tlv::Pad),
        authentication().prop_map(Tlv::Authentication),
        (other_tlv_type(), vec(any::<u8>(), 0..=24)).prop_map(|(tlv_type, value)| Tlv::Other { tlv_type, value }),
    ]
}

/// A MANAGEMENT TLV that the management bodies cannot reinterpret: no dataField, or a raw
/// even-length dataField under a managementId outside the known set.
pub fn simple_management_tlv() -> impl Strategy<Value = ManagementTlv> {
    prop_oneof![
        any::<u16>().prop_map(|id| ManagementTlv { management_id: ManagementId(id), data: ManagementData::Empty }),
        vec(any::<u8>(), 1..=16).prop_map(|mut b| {
            if b.len() % 2 == 1 {
                b.push(0);
            }
            ManagementTlv { management_id: UNKNOWN_MANAGEMENT_ID, data: ManagementData::Raw(b) }
        }),
    ]
}

/// Any TLV: mostly non-management ones, sometimes a simple MANAGEMENT TLV.
pub fn tlv() -> impl Strategy<Value = Tlv> {
    prop_oneof![
        8 => non_management_tlv(),
        1 => simple_management_tlv().prop_map(Tlv::Management),
    ]
}

/// A whole message: any body, a matching header and 0 to 4 TLVs (well under 65535 octets).
pub fn message() -> impl Strategy<Value = Message> {
    message_body().prop_flat_map(|body| {
        (header(body.message_type()), vec(tlv(), 0..=4)).prop_map(move |(header, tlvs)| Message {
            header,
            body: body.clone(),
            tlvs,
        })
    })
}

/// A message without TLVs of every type, for fixed-part properties.
pub fn message_without_tlvs() -> impl Strategy<Value = Message> {
    message_body().prop_flat_map(|body| {
        header(body.message_type()).prop_map(move |header| Message { header, body: body.clone(), tlvs: Vec::new() })
    })
}
