//! MANAGEMENT TLV dataField bodies: one hand-written fixture per managementId of
//! `shared/reference/management-ids.tsv` (parse -> typed value, emit -> same bytes), the
//! table itself checked against the fixtures, property tests (emit -> parse for every typed
//! body, arbitrary bytes under any ID never panic) and malformed bodies.
//!
//! Fixture bytes marked "captured" are copied from the linuxptp captures in `shared/pcaps`.

mod strategies;

use std::path::PathBuf;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};

use ptp_wire::codec::Writer;
use ptp_wire::management::*;
use ptp_wire::{
    ClockAccuracy, ClockIdentity, ClockQuality, DelayMechanism, ManagementData, ManagementId, ManagementTlv,
    MessageType, NetworkProtocol, ParseError, PortAddress, PortIdentity, PortStateValue, ScaledNs, TimeInterval,
    TimeSource, Timestamp,
};

use strategies::{
    clock_accuracy, clock_identity, clock_quality, current_data_set, parent_data_set, port_address, port_identity,
    port_state, ptp_text, scaled_ns, time_interval, time_properties_data_set, time_source, timestamp,
};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Bytes from hex, ignoring whitespace.
fn h(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(s.len() % 2 == 0, "odd hex: {s}");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn cid(s: &str) -> ClockIdentity {
    s.parse().unwrap()
}

fn pid(s: &str, port_number: u16) -> PortIdentity {
    PortIdentity { clock_identity: cid(s), port_number }
}

fn id(name: &str) -> ManagementId {
    ManagementId::from_name(name).unwrap_or_else(|| panic!("unknown management ID {name}"))
}

fn udp4(a: [u8; 4]) -> PortAddress {
    PortAddress { network_protocol: NetworkProtocol::UDP_IPV4, address: a.to_vec() }
}

/// Emit a whole MANAGEMENT TLV value (managementId + dataField + pad) into a buffer pre-filled
/// with junk, so that reserved and pad octets must be written, not left alone.
fn emit_value(t: &ManagementTlv) -> Vec<u8> {
    let mut buf = vec![0xa5u8; t.value_len()];
    let mut w = Writer::new(&mut buf);
    t.emit_value(&mut w);
    assert!(!w.overflowed(), "{t:?}");
    assert_eq!(w.position(), buf.len(), "{t:?}");
    buf
}

fn with_id(id: ManagementId, data: &[u8]) -> Vec<u8> {
    let mut v = id.0.to_be_bytes().to_vec();
    v.extend_from_slice(data);
    v
}

// ---------------------------------------------------------------------------------------------
// Fixtures: one per managementId of management-ids.tsv

#[derive(Debug)]
struct Fixture {
    name: &'static str,
    /// The dataField as sent, pad octet included.
    bytes: Vec<u8>,
    data: ManagementData,
}

fn fx(name: &'static str, bytes: &str, data: impl Into<ManagementData>) -> Fixture {
    Fixture { name, bytes: h(bytes), data: data.into() }
}

fn fixtures() -> Vec<Fixture> {
    let master = "020000.fffe.000101";
    let slave = "020000.fffe.000102";
    vec![
        fx("NULL_MANAGEMENT", "", ManagementData::Empty),
        // captured (management-udpv6-v4.4.pcap): an OC over UDPv6
        fx(
            "CLOCK_DESCRIPTION",
            "8000 0a 49454545203830322e33 0006 020000000301
             0002 0010 20010db8000000000000000000000011 000000 00
             02 3b3b 02 3b3b 00 001b19000100",
            ClockDescription {
                clock_type: ClockDescription::CLOCK_TYPE_ORDINARY,
                physical_layer_protocol: "IEEE 802.3".into(),
                physical_address: vec![2, 0, 0, 0, 3, 1],
                protocol_address: PortAddress {
                    network_protocol: NetworkProtocol::UDP_IPV6,
                    address: h("20010db8000000000000000000000011"),
                },
                manufacturer_identity: [0, 0, 0],
                product_description: ";;".into(),
                revision_data: ";;".into(),
                user_description: "".into(),
                profile_identity: [0x00, 0x1b, 0x19, 0x00, 0x01, 0x00],
            },
        ),
        // odd body (5 octets) + pad
        fx("USER_DESCRIPTION", "04 676d2d31 00", UserDescription { user_description: "gm-1".into() }),
        fx("SAVE_IN_NON_VOLATILE_STORAGE", "", ManagementData::Empty),
        fx("RESET_NON_VOLATILE_STORAGE", "", ManagementData::Empty),
        fx("INITIALIZE", "0000", Initialize { initialization_key: Initialize::INITIALIZE_EVENT }),
        // one 39-octet record: body 43 octets + pad
        fx(
            "FAULT_LOG",
            "0001 0027 00006553f100 1dcd6500 03 04 6c696e6b 04 646f776e
             11 65746830206361727269657220 6c6f7374 00",
            FaultLog {
                fault_records: vec![FaultRecord {
                    fault_time: Timestamp::new(1_700_000_000, 500_000_000),
                    severity_code: 3,
                    fault_name: "link".into(),
                    fault_value: "down".into(),
                    fault_description: "eth0 carrier lost".into(),
                }],
            },
        ),
        fx("FAULT_LOG_RESET", "", ManagementData::Empty),
        // captured (management-udpv6-v4.4.pcap)
        fx(
            "DEFAULT_DATA_SET",
            "01 00 0001 64 f8 fe ffff 80 020000fffe000301 00 00",
            DefaultDataSet {
                flags: 0x01,
                number_ports: 1,
                priority1: 100,
                clock_quality: ClockQuality {
                    clock_class: 248,
                    clock_accuracy: ClockAccuracy::UNKNOWN,
                    offset_scaled_log_variance: 0xffff,
                },
                priority2: 128,
                clock_identity: cid("020000.fffe.000301"),
                domain_number: 0,
            },
        ),
        // captured (management-udpv6-v4.4.pcap)
        fx(
            "CURRENT_DATA_SET",
            "0001 00000000067a0000 000000003dc50000",
            CurrentDataSet {
                steps_removed: 1,
                offset_from_master: TimeInterval::from_nanos(1658),
                mean_path_delay: TimeInterval::from_nanos(15813),
            },
        ),
        // captured (uds-management-v3.1.1.pcap): the slave's parent is the master's port 1
        fx(
            "PARENT_DATA_SET",
            "020000fffe000101 0001 00 00 ffff 7fffffff 64 f8 fe ffff 80 020000fffe000101",
            ParentDataSet {
                parent_port_identity: pid(master, 1),
                parent_stats: 0,
                observed_parent_offset_scaled_log_variance: 0xffff,
                observed_parent_clock_phase_change_rate: 0x7fff_ffff,
                grandmaster_priority1: 100,
                grandmaster_clock_quality: ClockQuality {
                    clock_class: 248,
                    clock_accuracy: ClockAccuracy::UNKNOWN,
                    offset_scaled_log_variance: 0xffff,
                },
                grandmaster_priority2: 128,
                grandmaster_identity: cid(master),
            },
        ),
        fx(
            "TIME_PROPERTIES_DATA_SET",
            "0025 3c 20",
            TimePropertiesDataSet { current_utc_offset: 37, flags: 0x3c, time_source: TimeSource::GNSS },
        ),
        // captured (uds-management-v3.1.1.pcap)
        fx(
            "PORT_DATA_SET",
            "020000fffe000102 0001 09 fd 0000000000000000 fe 03 fd 01 fd 02",
            PortDataSet {
                port_identity: pid(slave, 1),
                port_state: PortStateValue::SLAVE,
                log_min_delay_req_interval: -3,
                peer_mean_path_delay: TimeInterval(0),
                log_announce_interval: -2,
                announce_receipt_timeout: 3,
                log_sync_interval: -3,
                delay_mechanism: DelayMechanism::E2E,
                log_min_pdelay_req_interval: -3,
                version_number: 2,
            },
        ),
        fx("PRIORITY1", "64 00", Priority1 { priority1: 100 }),
        fx("PRIORITY2", "82 00", Priority2 { priority2: 130 }),
        fx("DOMAIN", "18 00", Domain { domain_number: 24 }),
        fx("SLAVE_ONLY", "01 00", SlaveOnly { flags: 1 }),
        fx("LOG_ANNOUNCE_INTERVAL", "fe 00", LogAnnounceInterval { log_announce_interval: -2 }),
        fx("ANNOUNCE_RECEIPT_TIMEOUT", "03 00", AnnounceReceiptTimeout { announce_receipt_timeout: 3 }),
        fx("LOG_SYNC_INTERVAL", "fd 00", LogSyncInterval { log_sync_interval: -3 }),
        fx("VERSION_NUMBER", "02 00", VersionNumber { version_number: 2 }),
        fx("ENABLE_PORT", "", ManagementData::Empty),
        fx("DISABLE_PORT", "", ManagementData::Empty),
        fx("TIME", "00006553f100 1dcd6500", Time { current_time: Timestamp::new(1_700_000_000, 500_000_000) }),
        fx("CLOCK_ACCURACY", "21 00", ClockAccuracySetting { clock_accuracy: ClockAccuracy::NS_100 }),
        fx("UTC_PROPERTIES", "0025 04 00", UtcProperties { current_utc_offset: 37, flags: 0x04 }),
        fx("TRACEABILITY_PROPERTIES", "30 00", TraceabilityProperties { flags: 0x30 }),
        fx("TIMESCALE_PROPERTIES", "08 00", TimescaleProperties { flags: 0x08, time_source: TimeSource(0) }),
        fx("UNICAST_NEGOTIATION_ENABLE", "01 00", UnicastNegotiationEnable { flags: 1 }),
        fx(
            "PATH_TRACE_LIST",
            "020000fffe000101 020000fffe000201",
            PathTraceList { path_sequence: vec![cid(master), cid("020000.fffe.000201")] },
        ),
        fx("PATH_TRACE_ENABLE", "01 00", PathTraceEnable { flags: 1 }),
        fx(
            "GRANDMASTER_CLUSTER_TABLE",
            "ff 02 0001 0004 c0000201 0001 0004 c0000202",
            GrandmasterClusterTable {
                log_query_interval: -1,
                port_addresses: vec![udp4([192, 0, 2, 1]), udp4([192, 0, 2, 2])],
            },
        ),
        // body 23 octets + pad
        fx(
            "UNICAST_MASTER_TABLE",
            "01 0001 0002 0010 20010db8000000000000000000000001 00",
            UnicastMasterTable {
                log_query_interval: 1,
                port_addresses: vec![PortAddress {
                    network_protocol: NetworkProtocol::UDP_IPV6,
                    address: h("20010db8000000000000000000000001"),
                }],
            },
        ),
        fx("UNICAST_MASTER_MAX_TABLE_SIZE", "0010", UnicastMasterMaxTableSize { max_table_size: 16 }),
        // body 13 octets + pad
        fx(
            "ACCEPTABLE_MASTER_TABLE",
            "0001 020000fffe000101 0001 80 00",
            AcceptableMasterTable {
                entries: vec![AcceptableMaster { acceptable_port_identity: pid(master, 1), alternate_priority1: 128 }],
            },
        ),
        fx("ACCEPTABLE_MASTER_TABLE_ENABLED", "01 00", AcceptableMasterTableEnabled { flags: 1 }),
        fx("ACCEPTABLE_MASTER_MAX_TABLE_SIZE", "0008", AcceptableMasterMaxTableSize { max_table_size: 8 }),
        fx(
            "ALTERNATE_MASTER",
            "01 fd 02 00",
            AlternateMaster { flags: 1, log_alternate_multicast_sync_interval: -3, number_of_alternate_masters: 2 },
        ),
        // captured (management-udpv6-v4.4.pcap)
        fx("ALTERNATE_TIME_OFFSET_ENABLE", "00 01", AlternateTimeOffsetEnable { key_field: 0, flags: 1 }),
        // alt-time-offset.pcap's key 1 name; body 7 octets + pad
        fx(
            "ALTERNATE_TIME_OFFSET_NAME",
            "01 05 4345542d31 00",
            AlternateTimeOffsetName { key_field: 1, display_name: "CET-1".into() },
        ),
        fx("ALTERNATE_TIME_OFFSET_MAX_KEY", "03 00", AlternateTimeOffsetMaxKey { max_key: 3 }),
        // captured (management-udpv6-v4.4.pcap): body 15 octets + pad
        fx(
            "ALTERNATE_TIME_OFFSET_PROPERTIES",
            "00 ffffb9b0 00000e10 00006b49d200 00",
            AlternateTimeOffsetProperties {
                key_field: 0,
                current_offset: -18000,
                jump_seconds: 3600,
                time_of_next_jump: 1_800_000_000,
            },
        ),
        fx("EXTERNAL_PORT_CONFIGURATION_ENABLED", "01 00", ExternalPortConfigurationEnabled { flags: 1 }),
        fx("MASTER_ONLY", "01 00", MasterOnly { flags: 1 }),
        fx("HOLDOVER_UPGRADE_ENABLE", "01 00", HoldoverUpgradeEnable { flags: 1 }),
        fx(
            "EXT_PORT_CONFIG_PORT_DATA_SET",
            "00 06",
            ExtPortConfigPortDataSet { flags: 0, desired_state: PortStateValue::MASTER },
        ),
        // no defined layout: kept raw
        fx("SLAVE_EVENT_MONITORING", "0001 0203", ManagementData::Raw(vec![0, 1, 2, 3])),
        fx(
            "TRANSPARENT_CLOCK_DEFAULT_DATA_SET",
            "020000fffe000201 0004 02 00",
            TransparentClockDefaultDataSet {
                clock_identity: cid("020000.fffe.000201"),
                number_ports: 4,
                delay_mechanism: DelayMechanism::P2P,
                primary_domain: 0,
            },
        ),
        fx(
            "TRANSPARENT_CLOCK_PORT_DATA_SET",
            "020000fffe000201 0003 01 00 0000000000a08000",
            TransparentClockPortDataSet {
                port_identity: pid("020000.fffe.000201", 3),
                flags: 1,
                log_min_pdelay_req_interval: 0,
                peer_mean_path_delay: TimeInterval((160 << 16) + 0x8000),
            },
        ),
        fx("PRIMARY_DOMAIN", "04 00", PrimaryDomain { primary_domain: 4 }),
        fx("DELAY_MECHANISM", "02 00", DelayMechanismSetting { delay_mechanism: DelayMechanism::P2P }),
        fx("LOG_MIN_PDELAY_REQ_INTERVAL", "fd 00", LogMinPdelayReqInterval { log_min_pdelay_req_interval: -3 }),
        // captured (management-udpv6-v4.4.pcap)
        fx(
            "TIME_STATUS_NP",
            "ffffffffffffda68 18eae7d868151a67 00000000 00000000 0000
             0000 0000000000000000 0000 00000001 020000fffe000301",
            TimeStatusNp {
                master_offset: -9624,
                ingress_time: 0x18ea_e7d8_6815_1a67,
                cumulative_scaled_rate_offset: 0,
                scaled_last_gm_phase_change: 0,
                gm_time_base_indicator: 0,
                last_gm_phase_change: ScaledNs::default(),
                gm_present: 1,
                gm_identity: cid("020000.fffe.000301"),
            },
        ),
        // captured (management-udpv6-v4.4.pcap): a SET
        fx(
            "GRANDMASTER_SETTINGS_NP",
            "f8 fe ffff 0025 0c a0",
            GrandmasterSettingsNp {
                clock_quality: ClockQuality {
                    clock_class: 248,
                    clock_accuracy: ClockAccuracy::UNKNOWN,
                    offset_scaled_log_variance: 0xffff,
                },
                utc_offset: 37,
                time_flags: 0x0c,
                time_source: TimeSource::INTERNAL_OSCILLATOR,
            },
        ),
        // captured (management-udpv6-v4.4.pcap)
        fx(
            "PORT_DATA_SET_NP",
            "01312d00 00000001",
            PortDataSetNp { neighbor_prop_delay_thresh: 20_000_000, as_capable: 1 },
        ),
        // captured (management-udpv6-v4.4.pcap): a SET for port state, time sync, parent DS, CMLDS
        fx(
            "SUBSCRIBE_EVENTS_NP",
            "003c 0f 000000000000000000000000000000 00000000000000000000000000000000
             00000000000000000000000000000000 00000000000000000000000000000000",
            {
                let mut s = SubscribeEventsNp { duration: 60, ..Default::default() };
                s.bitmask[0] = 0x0f;
                s
            },
        ),
        // body 17 octets + pad
        fx(
            "PORT_PROPERTIES_NP",
            "020000fffe000102 0001 09 01 04 65746830 00",
            PortPropertiesNp {
                port_identity: pid(slave, 1),
                port_state: PortStateValue::SLAVE,
                timestamping: TimestampType::HARDWARE,
                interface: "eth0".into(),
            },
        ),
        // captured (management-udpv4-v4.4.pcap); little-endian counters
        fx(
            "PORT_STATS_NP",
            "020000fffe000102 0001
             2000000000000000 0000000000000000 0000000000000000 0000000000000000
             0000000000000000 0000000000000000 0000000000000000 0000000000000000
             2000000000000000 2100000000000000 0000000000000000 1100000000000000
             0000000000000000 0000000000000000 0000000000000000 0000000000000000
             0000000000000000 2100000000000000 0000000000000000 0000000000000000
             0000000000000000 0000000000000000 0000000000000000 0000000000000000
             0000000000000000 0000000000000000 0000000000000000 0000000000000000
             0000000000000000 0000000000000000 0000000000000000 0000000000000000",
            {
                let mut s = PortStatsNp { port_identity: pid(slave, 1), ..Default::default() };
                s.rx_msg_type[0] = 0x20;
                s.rx_msg_type[8] = 0x20;
                s.rx_msg_type[9] = 0x21;
                s.rx_msg_type[11] = 0x11;
                s.tx_msg_type[1] = 0x21;
                s
            },
        ),
        fx(
            "SYNCHRONIZATION_UNCERTAIN_NP",
            "ff 00",
            SynchronizationUncertainNp { val: SynchronizationUncertainNp::DONT_CARE, reserved: 0 },
        ),
        // captured (uds-management-v4.4.pcap); little-endian counters
        fx(
            "PORT_SERVICE_STATS_NP",
            "020000fffe000102 0001
             0100000000000000 0000000000000000 2100000000000000 0000000000000000 0000000000000000
             0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000",
            PortServiceStatsNp {
                port_identity: pid(slave, 1),
                announce_timeout: 1,
                delay_timeout: 33,
                ..Default::default()
            },
        ),
        fx(
            "UNICAST_MASTER_TABLE_NP",
            "0002
             020000fffe000101 0001 06 21 4e5d 01 03 80 80 0001 0004 c0000201
             020000fffe000201 0001 f8 fe ffff 00 00 80 80 0003 0006 020000000201",
            UnicastMasterTableNp {
                entries: vec![
                    UnicastMasterEntry {
                        port_identity: pid(master, 1),
                        clock_quality: ClockQuality {
                            clock_class: 6,
                            clock_accuracy: ClockAccuracy::NS_100,
                            offset_scaled_log_variance: 0x4e5d,
                        },
                        selected: 1,
                        port_state: UnicastMasterState::HAVE_SYDY,
                        priority1: 128,
                        priority2: 128,
                        address: udp4([192, 0, 2, 1]),
                    },
                    UnicastMasterEntry {
                        port_identity: pid("020000.fffe.000201", 1),
                        clock_quality: ClockQuality {
                            clock_class: 248,
                            clock_accuracy: ClockAccuracy::UNKNOWN,
                            offset_scaled_log_variance: 0xffff,
                        },
                        selected: 0,
                        port_state: UnicastMasterState::WAIT,
                        priority1: 128,
                        priority2: 128,
                        address: PortAddress {
                            network_protocol: NetworkProtocol::IEEE_802_3,
                            address: vec![2, 0, 0, 0, 2, 1],
                        },
                    },
                ],
            },
        ),
        fx(
            "PORT_HWCLOCK_NP",
            "020000fffe000102 0001 00000002 01 00",
            PortHwclockNp { port_identity: pid(slave, 1), phc_index: 2, flags: 1 },
        ),
        // captured (management-udpv6-v4.4.pcap): a SET
        fx(
            "POWER_PROFILE_SETTINGS_NP",
            "0001 1234 00000064 000000c8 0000012c",
            PowerProfileSettingsNp {
                version: PowerProfileSettingsNp::VERSION_2011,
                grandmaster_id: 0x1234,
                grandmaster_time_inaccuracy: 100,
                network_time_inaccuracy: 200,
                total_time_inaccuracy: 300,
            },
        ),
        fx(
            "CMLDS_INFO_NP",
            "0000000000a00000 00000400 00000001",
            CmldsInfoNp {
                mean_link_delay: TimeInterval::from_nanos(160),
                scaled_neighbor_rate_ratio: 0x400,
                as_capable: 1,
            },
        ),
        // captured (management-udpv6-v4.4.pcap): a SET; little-endian (host order) values
        fx(
            "PORT_CORRECTIONS_NP",
            "0000640000000000 0000c80000000000 0000000000000000",
            PortCorrectionsNp {
                egress_latency: TimeInterval::from_nanos(100),
                ingress_latency: TimeInterval::from_nanos(200),
                delay_asymmetry: TimeInterval(0),
            },
        ),
        // captured (management-udpv6-v4.4.pcap): a SET
        fx(
            "EXTERNAL_GRANDMASTER_PROPERTIES_NP",
            "020000fffe0000aa 0001",
            ExternalGrandmasterPropertiesNp { gm_identity: cid("020000.fffe.0000aa"), steps_removed: 1 },
        ),
    ]
}

#[test]
fn every_fixture_parses_to_its_value_and_emits_its_bytes() {
    for f in fixtures() {
        let id = id(f.name);
        assert_eq!(f.bytes.len() % 2, 0, "{}: a dataField is always even", f.name);
        // bytes -> value
        assert_eq!(ManagementData::parse(id, &f.bytes).as_ref(), Some(&f.data), "{}", f.name);
        // value -> bytes
        assert_eq!(f.data.padded_len(), f.bytes.len(), "{}", f.name);
        assert_eq!(f.data.to_padded_vec(), f.bytes, "{}", f.name);
        // A typed body knows its ID.
        if !matches!(f.data, ManagementData::Empty | ManagementData::Raw(_)) {
            assert_eq!(f.data.management_id(), Some(id), "{}", f.name);
            assert!(ManagementData::has_typed_body(id), "{}", f.name);
        }
        // The same through the TLV framing, emitted into a junk-filled buffer.
        let value = with_id(id, &f.bytes);
        let tlv = ManagementTlv::parse_value(&value).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        assert_eq!(tlv, ManagementTlv { management_id: id, data: f.data.clone() }, "{}", f.name);
        assert_eq!(emit_value(&tlv), value, "{}", f.name);
        // Every ID, typed or not, also takes an empty dataField (pmc -z, error replies).
        assert_eq!(ManagementData::parse(id, &[]), Some(ManagementData::Empty), "{}", f.name);
    }
}

#[test]
fn fixture_fields_read_as_expected() {
    let f = fixtures();
    let get = |name: &str| f.iter().find(|x| x.name == name).map(|x| x.data.clone()).unwrap();

    let ManagementData::DefaultDataSet(d) = get("DEFAULT_DATA_SET") else { panic!() };
    assert!(d.two_step() && !d.slave_only());
    let ManagementData::TimePropertiesDataSet(t) = get("TIME_PROPERTIES_DATA_SET") else { panic!() };
    assert!(t.current_utc_offset_valid() && t.ptp_timescale() && t.time_traceable() && t.frequency_traceable());
    assert!(!t.leap61() && !t.leap59() && !t.synchronization_uncertain());
    let ManagementData::PortStatsNp(s) = get("PORT_STATS_NP") else { panic!() };
    assert_eq!((s.rx(MessageType::Sync), s.rx(MessageType::Announce), s.tx(MessageType::DelayReq)), (32, 17, 33));
    let ManagementData::SubscribeEventsNp(s) = get("SUBSCRIBE_EVENTS_NP") else { panic!() };
    assert!((0..4).all(|e| s.has_event(e)) && !s.has_event(4) && !s.has_event(10_000));
    let ManagementData::PortCorrectionsNp(c) = get("PORT_CORRECTIONS_NP") else { panic!() };
    assert_eq!((c.egress_latency.nanos(), c.ingress_latency.nanos()), (100, 200));
    let ManagementData::PortHwclockNp(p) = get("PORT_HWCLOCK_NP") else { panic!() };
    assert!(p.virtual_clock());
    let ManagementData::FaultLog(l) = get("FAULT_LOG") else { panic!() };
    assert_eq!(l.fault_records[0].fault_record_length(), 39);
    let ManagementData::TransparentClockPortDataSet(t) = get("TRANSPARENT_CLOCK_PORT_DATA_SET") else { panic!() };
    assert!(t.faulty());
    assert_eq!(t.peer_mean_path_delay.to_string(), "160.500");
}

#[test]
fn subscribe_events_bits() {
    let mut s = SubscribeEventsNp::default();
    s.set_event(SubscribeEventsNp::NOTIFY_PARENT_DATA_SET, true);
    s.set_event(9, true);
    s.set_event(512, true); // beyond the bitmask: ignored
    assert_eq!(&s.bitmask[..2], &[0x04, 0x02]);
    s.set_event(9, false);
    assert_eq!(&s.bitmask[..2], &[0x04, 0x00]);
}

// ---------------------------------------------------------------------------------------------
// Real-traffic quirks

/// linuxptp 3.1.1's slave-only value and pmc 3.1.1's uninitialised reserved octet.
#[test]
fn linuxptp_3_1_1_dialect() {
    // captured (management-l2-v3.1.1.pcap): SLAVE_ONLY answered with its defaultDS bit 1
    let s = ManagementData::parse(id("SLAVE_ONLY"), &h("0200")).unwrap();
    assert_eq!(s, ManagementData::SlaveOnly(SlaveOnly { flags: 2 }));
    let ManagementData::SlaveOnly(s) = s else { unreachable!() };
    assert!(s.slave_only());
    // captured (uds-management-v3.1.1.pcap): a SET with a garbage reserved octet, kept
    let v = h("00b8");
    let d = ManagementData::parse(id("SYNCHRONIZATION_UNCERTAIN_NP"), &v).unwrap();
    assert_eq!(d, ManagementData::SynchronizationUncertainNp(SynchronizationUncertainNp { val: 0, reserved: 0xb8 }));
    assert_eq!(d.to_padded_vec(), v);
    // captured (uds-management-v3.1.1.pcap): PORT_PROPERTIES_NP with an odd-length name, even body
    let v = h("020000fffe000102 0001 08 00 05 7063762d73");
    let d = ManagementData::parse(id("PORT_PROPERTIES_NP"), &v).unwrap();
    let ManagementData::PortPropertiesNp(p) = &d else { panic!("{d:?}") };
    assert_eq!(
        (p.port_state, p.timestamping, p.interface.to_string()),
        (PortStateValue::UNCALIBRATED, TimestampType::SOFTWARE, "pcv-s".into())
    );
    assert_eq!(d.to_padded_vec(), v);
}

/// pmc sends GETs with a zero-filled dataField of its own length for each ID; every one of
/// them must parse (the captures' GETs) and re-encode unchanged.
#[test]
fn pmc_zero_filled_gets_parse() {
    let text = std::fs::read_to_string(tsv_path()).unwrap();
    let rows = tsv(&text);
    for r in &rows {
        let Ok(n) = r.get("pmc_get_datalen").parse::<usize>() else { continue };
        if n == 0 {
            continue;
        }
        let id = id(r.get("name"));
        let zeros = vec![0u8; n];
        let d = ManagementData::parse(id, &zeros).unwrap_or_else(|| panic!("{id}: {n} zero octets"));
        assert_eq!(d.management_id(), Some(id));
        assert_eq!(d.to_padded_vec(), zeros, "{id}");
    }
}

// ---------------------------------------------------------------------------------------------
// management-ids.tsv against the fixtures

fn shared_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("PTP_RS_SHARED") {
        return PathBuf::from(d);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn tsv_path() -> PathBuf {
    shared_dir().join("reference/management-ids.tsv")
}

struct Row<'a> {
    header: &'a [&'a str],
    cols: Vec<&'a str>,
}

impl Row<'_> {
    fn get(&self, col: &str) -> &str {
        let i = self.header.iter().position(|h| *h == col).unwrap_or_else(|| panic!("no column {col}"));
        self.cols.get(i).copied().unwrap_or("")
    }
}

/// The `id` rows of management-ids.tsv.
fn tsv(text: &str) -> Vec<Row<'_>> {
    let mut lines = text.lines();
    let header: &[&str] = Box::leak(lines.next().unwrap().split('\t').collect::<Vec<_>>().into_boxed_slice());
    lines
        .filter(|l| !l.is_empty())
        .map(|l| Row { header, cols: l.split('\t').collect() })
        .filter(|r| r.get("kind") == "id")
        .collect()
}

#[test]
fn every_management_id_in_the_reference_table_has_a_fixture() {
    let text = std::fs::read_to_string(tsv_path())
        .unwrap_or_else(|e| panic!("{}: {e} (set PTP_RS_SHARED)", tsv_path().display()));
    let rows = tsv(&text);
    assert_eq!(rows.len(), 66, "management-ids.tsv id rows");
    let fixtures = fixtures();
    for r in &rows {
        let name = r.get("name");
        let id = id(name);
        assert_eq!(format!("0x{:04X}", id.0), r.get("id_hex"), "{name}");
        let f = fixtures.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no fixture for {name}"));
        if let Ok(n) = r.get("data_len").parse::<usize>() {
            if n > 0 {
                let tlv = ManagementTlv { management_id: id, data: f.data.clone() };
                assert_eq!(tlv.value_len() - 2, n, "{name}: dataField length vs data_len");
                assert_eq!(emit_value(&tlv).len() - 2, n, "{name}");
            }
        }
    }
    // And no fixture without a row.
    for f in &fixtures {
        assert!(rows.iter().any(|r| r.get("name") == f.name), "fixture {} not in the table", f.name);
    }
    assert_eq!(fixtures.len(), rows.len());
}

/// The variable-length rows: the lengths the table gives as formulas.
#[test]
fn variable_lengths_follow_the_reference_formulas() {
    let user = |s: &str| ManagementData::from(UserDescription { user_description: s.into() });
    assert_eq!(user("").padded_len(), 2);
    assert_eq!(user("ab").padded_len(), 4); // 1 + len = 3, padded even
    let name = |s: &str| ManagementData::from(AlternateTimeOffsetName { key_field: 0, display_name: s.into() });
    assert_eq!(name("EST").padded_len(), 6); // 2 + len = 5, padded
    assert_eq!(name("PCTZ").padded_len(), 6);
    let props =
        |s: &str| ManagementData::from(PortPropertiesNp { interface: s.into(), ..Default::default() }).padded_len();
    assert_eq!((props(""), props("eth0"), props("pcv-s")), (14, 18, 18)); // 13 + len, padded
    let entry = |n: usize| UnicastMasterEntry {
        address: PortAddress { network_protocol: NetworkProtocol::UDP_IPV4, address: vec![0; n] },
        ..Default::default()
    };
    let umt = ManagementData::from(UnicastMasterTableNp { entries: vec![entry(4), entry(16)] });
    assert_eq!(umt.body_len(), 2 + (22 + 4) + (22 + 16));
    let umt = ManagementData::from(UnicastMasterTableNp { entries: vec![entry(3)] });
    assert_eq!((umt.body_len(), umt.padded_len()), (27, 28));
}

// ---------------------------------------------------------------------------------------------
// Malformed bodies

fn assert_bad(name: &str, data: &[u8]) {
    let id = id(name);
    assert_eq!(ManagementData::parse(id, data), None, "{name}: {data:02x?}");
    assert_eq!(ManagementTlv::parse_value(&with_id(id, data)), Err(ParseError::BadManagementBody { id }), "{name}");
}

#[test]
fn truncated_bodies_are_rejected() {
    for f in fixtures() {
        if !ManagementData::has_typed_body(id(f.name)) {
            continue;
        }
        for n in 1..f.bytes.len() {
            let prefix = &f.bytes[..n];
            // A path trace list of whole identities is itself a valid (shorter) list.
            if f.name == "PATH_TRACE_LIST" && n % 8 == 0 {
                continue;
            }
            assert_bad(f.name, prefix);
        }
    }
}

#[test]
fn odd_bodies_need_their_pad_and_nothing_more() {
    // Odd bodies without the pad octet.
    assert_bad("USER_DESCRIPTION", &h("04 676d2d31"));
    assert_bad("ALTERNATE_TIME_OFFSET_PROPERTIES", &h("00 ffffb9b0 00000e10 00006b49d200"));
    assert_bad("PORT_PROPERTIES_NP", &h("020000fffe000102 0001 09 01 04 65746830"));
    assert_bad("ALTERNATE_TIME_OFFSET_NAME", &h("01 05 4345542d31"));
    assert_bad("ACCEPTABLE_MASTER_TABLE", &h("0001 020000fffe000101 0001 80"));
    // Trailing octets beyond the pad, or a pad after an even body.
    assert_bad("USER_DESCRIPTION", &h("04 676d2d31 00 00"));
    assert_bad("PRIORITY1", &h("64 00 00"));
    assert_bad("PRIORITY1", &h("64 00 00 00"));
    assert_bad("DEFAULT_DATA_SET", &h("01 00 0001 64 f8 fe ffff 80 020000fffe000301 00 00 00 00"));
    assert_bad("PATH_TRACE_LIST", &h("020000fffe000101 0203"));
    // The pad octet's value is not checked; it is emitted as zero.
    let d = ManagementData::parse(id("USER_DESCRIPTION"), &h("04 676d2d31 ff")).unwrap();
    assert_eq!(d.to_padded_vec(), h("04 676d2d31 00"));
}

#[test]
fn lengths_and_counts_running_past_the_data_are_rejected() {
    // PTPText whose length runs past the end.
    assert_bad("USER_DESCRIPTION", &h("0a 676d2d31 00"));
    assert_bad("ALTERNATE_TIME_OFFSET_NAME", &h("01 ff 4345542d31 00"));
    assert_bad("PORT_PROPERTIES_NP", &h("020000fffe000102 0001 09 01 20 65746830 00"));
    assert_bad("CLOCK_DESCRIPTION", &h("8000 40 49454545203830322e33 0006 020000000301"));
    // Address lengths running past the end.
    assert_bad("CLOCK_DESCRIPTION", &h("8000 00 00ff 020000000301 0001 0004 c0000201 000000 00 00 00 00 001b19000100"));
    assert_bad("GRANDMASTER_CLUSTER_TABLE", &h("ff 01 0001 0010 c0000201"));
    // Table counts larger than the data.
    assert_bad("UNICAST_MASTER_TABLE_NP", &h("0002 020000fffe000101 0001 06 21 4e5d 01 03 80 80 0001 0004 c0000201"));
    assert_bad("UNICAST_MASTER_TABLE_NP", &h("ffff"));
    assert_bad("GRANDMASTER_CLUSTER_TABLE", &h("ff 03 0001 0004 c0000201 0001 0004 c0000202"));
    assert_bad("UNICAST_MASTER_TABLE", &h("01 0002 0001 0004 c0000201 00"));
    assert_bad("ACCEPTABLE_MASTER_TABLE", &h("0002 020000fffe000101 0001 80 00"));
    assert_bad("FAULT_LOG", &h("0005 0000"));
    // Table counts smaller than the data leave octets over.
    assert_bad("GRANDMASTER_CLUSTER_TABLE", &h("ff 01 0001 0004 c0000201 0001 0004 c0000202"));
    // A negative actualTableSize.
    assert_bad("ACCEPTABLE_MASTER_TABLE", &h("ffff 020000fffe000101 0001 80 00"));
    // A faultRecordLength that does not match its record, either way.
    assert_bad("FAULT_LOG", &h("0001 0010 00006553f100 1dcd6500 03 00 00 00 00 0000 00"));
    assert_bad("FAULT_LOG", &h("0001 000d 00006553f100 1dcd6500 03 00 00 00 00"));
    assert!(ManagementData::parse(id("FAULT_LOG"), &h("0001 000e 00006553f100 1dcd6500 03 00 00 00")).is_some());
}

#[test]
fn ids_without_a_layout_keep_their_bytes() {
    for name in [
        "NULL_MANAGEMENT",
        "SAVE_IN_NON_VOLATILE_STORAGE",
        "RESET_NON_VOLATILE_STORAGE",
        "FAULT_LOG_RESET",
        "ENABLE_PORT",
        "DISABLE_PORT",
        "SLAVE_EVENT_MONITORING",
    ] {
        let d = ManagementData::parse(id(name), &[0xde, 0xad, 0xbe]).unwrap();
        assert_eq!(d, ManagementData::Raw(vec![0xde, 0xad, 0xbe]), "{name}");
        // Raw bytes are sent as received, without pad.
        assert_eq!(d.padded_len(), 3);
        assert_eq!(d.to_padded_vec(), [0xde, 0xad, 0xbe]);
    }
    assert_eq!(ManagementData::parse(ManagementId(0xbeef), &[1, 2]), Some(ManagementData::Raw(vec![1, 2])));
}

// ---------------------------------------------------------------------------------------------
// Property tests

fn u48() -> impl Strategy<Value = u64> {
    0..=Timestamp::MAX_SECONDS
}

fn fault_record() -> impl Strategy<Value = FaultRecord> {
    (timestamp(), any::<u8>(), ptp_text(), ptp_text(), ptp_text()).prop_map(
        |(fault_time, severity_code, fault_name, fault_value, fault_description)| FaultRecord {
            fault_time,
            severity_code,
            fault_name,
            fault_value,
            fault_description,
        },
    )
}

fn delay_mechanism() -> impl Strategy<Value = DelayMechanism> {
    any::<u8>().prop_map(DelayMechanism)
}

fn unicast_master_entry() -> impl Strategy<Value = UnicastMasterEntry> {
    (port_identity(), clock_quality(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), port_address()).prop_map(
        |(port_identity, clock_quality, selected, state, priority1, priority2, address)| UnicastMasterEntry {
            port_identity,
            clock_quality,
            selected,
            port_state: UnicastMasterState(state),
            priority1,
            priority2,
            address,
        },
    )
}

fn u64x16() -> impl Strategy<Value = [u64; 16]> {
    proptest::array::uniform16(any::<u64>())
}

/// Any typed body, each variant equally likely.
fn typed_body() -> BoxedStrategy<ManagementData> {
    use ManagementData as D;
    let octet = || any::<u8>();
    let s: Vec<BoxedStrategy<ManagementData>> = vec![
        (
            any::<u16>(),
            (ptp_text(), vec(octet(), 0..=20), port_address(), any::<[u8; 3]>()),
            (ptp_text(), ptp_text(), ptp_text(), any::<[u8; 6]>()),
        )
            .prop_map(|(clock_type, (p, pa, a, m), (pd, rd, ud, pi))| {
                D::from(ClockDescription {
                    clock_type,
                    physical_layer_protocol: p,
                    physical_address: pa,
                    protocol_address: a,
                    manufacturer_identity: m,
                    product_description: pd,
                    revision_data: rd,
                    user_description: ud,
                    profile_identity: pi,
                })
            })
            .boxed(),
        ptp_text().prop_map(|t| D::from(UserDescription { user_description: t })).boxed(),
        any::<u16>().prop_map(|k| D::from(Initialize { initialization_key: k })).boxed(),
        vec(fault_record(), 0..4).prop_map(|v| D::from(FaultLog { fault_records: v })).boxed(),
        (octet(), any::<u16>(), octet(), clock_quality(), octet(), clock_identity(), octet())
            .prop_map(|(flags, number_ports, priority1, clock_quality, priority2, clock_identity, domain_number)| {
                D::from(DefaultDataSet {
                    flags,
                    number_ports,
                    priority1,
                    clock_quality,
                    priority2,
                    clock_identity,
                    domain_number,
                })
            })
            .boxed(),
        current_data_set().prop_map(D::from).boxed(),
        parent_data_set().prop_map(D::from).boxed(),
        time_properties_data_set().prop_map(D::from).boxed(),
        (
            (port_identity(), port_state(), any::<i8>(), time_interval(), any::<i8>()),
            (octet(), any::<i8>(), delay_mechanism(), any::<i8>(), octet()),
        )
            .prop_map(|((pi, ps, lmdr, pmpd, lai), (art, lsi, dm, lmpr, vn))| {
                D::from(PortDataSet {
                    port_identity: pi,
                    port_state: ps,
                    log_min_delay_req_interval: lmdr,
                    peer_mean_path_delay: pmpd,
                    log_announce_interval: lai,
                    announce_receipt_timeout: art,
                    log_sync_interval: lsi,
                    delay_mechanism: dm,
                    log_min_pdelay_req_interval: lmpr,
                    version_number: vn,
                })
            })
            .boxed(),
        octet().prop_map(|v| D::from(Priority1 { priority1: v })).boxed(),
        octet().prop_map(|v| D::from(Priority2 { priority2: v })).boxed(),
        octet().prop_map(|v| D::from(Domain { domain_number: v })).boxed(),
        octet().prop_map(|v| D::from(SlaveOnly { flags: v })).boxed(),
        any::<i8>().prop_map(|v| D::from(LogAnnounceInterval { log_announce_interval: v })).boxed(),
        octet().prop_map(|v| D::from(AnnounceReceiptTimeout { announce_receipt_timeout: v })).boxed(),
        any::<i8>().prop_map(|v| D::from(LogSyncInterval { log_sync_interval: v })).boxed(),
        octet().prop_map(|v| D::from(VersionNumber { version_number: v })).boxed(),
        timestamp().prop_map(|t| D::from(Time { current_time: t })).boxed(),
        clock_accuracy().prop_map(|v| D::from(ClockAccuracySetting { clock_accuracy: v })).boxed(),
        (any::<i16>(), octet()).prop_map(|(o, f)| D::from(UtcProperties { current_utc_offset: o, flags: f })).boxed(),
        octet().prop_map(|v| D::from(TraceabilityProperties { flags: v })).boxed(),
        (octet(), time_source()).prop_map(|(f, t)| D::from(TimescaleProperties { flags: f, time_source: t })).boxed(),
        octet().prop_map(|v| D::from(UnicastNegotiationEnable { flags: v })).boxed(),
        // An empty list is an empty dataField, which parses as ManagementData::Empty.
        vec(clock_identity(), 1..6).prop_map(|v| D::from(PathTraceList { path_sequence: v })).boxed(),
        octet().prop_map(|v| D::from(PathTraceEnable { flags: v })).boxed(),
        (any::<i8>(), vec(port_address(), 0..6))
            .prop_map(|(q, a)| D::from(GrandmasterClusterTable { log_query_interval: q, port_addresses: a }))
            .boxed(),
        (any::<i8>(), vec(port_address(), 0..6))
            .prop_map(|(q, a)| D::from(UnicastMasterTable { log_query_interval: q, port_addresses: a }))
            .boxed(),
        any::<u16>().prop_map(|v| D::from(UnicastMasterMaxTableSize { max_table_size: v })).boxed(),
        vec((port_identity(), octet()), 0..6)
            .prop_map(|v| {
                D::from(AcceptableMasterTable {
                    entries: v
                        .into_iter()
                        .map(|(p, a)| AcceptableMaster { acceptable_port_identity: p, alternate_priority1: a })
                        .collect(),
                })
            })
            .boxed(),
        octet().prop_map(|v| D::from(AcceptableMasterTableEnabled { flags: v })).boxed(),
        any::<u16>().prop_map(|v| D::from(AcceptableMasterMaxTableSize { max_table_size: v })).boxed(),
        (octet(), any::<i8>(), octet())
            .prop_map(|(f, l, n)| {
                D::from(AlternateMaster {
                    flags: f,
                    log_alternate_multicast_sync_interval: l,
                    number_of_alternate_masters: n,
                })
            })
            .boxed(),
        (octet(), octet()).prop_map(|(k, f)| D::from(AlternateTimeOffsetEnable { key_field: k, flags: f })).boxed(),
        (octet(), ptp_text())
            .prop_map(|(k, n)| D::from(AlternateTimeOffsetName { key_field: k, display_name: n }))
            .boxed(),
        octet().prop_map(|v| D::from(AlternateTimeOffsetMaxKey { max_key: v })).boxed(),
        (octet(), any::<i32>(), any::<i32>(), u48())
            .prop_map(|(k, c, j, t)| {
                D::from(AlternateTimeOffsetProperties {
                    key_field: k,
                    current_offset: c,
                    jump_seconds: j,
                    time_of_next_jump: t,
                })
            })
            .boxed(),
        octet().prop_map(|v| D::from(ExternalPortConfigurationEnabled { flags: v })).boxed(),
        octet().prop_map(|v| D::from(MasterOnly { flags: v })).boxed(),
        octet().prop_map(|v| D::from(HoldoverUpgradeEnable { flags: v })).boxed(),
        (octet(), port_state())
            .prop_map(|(f, s)| D::from(ExtPortConfigPortDataSet { flags: f, desired_state: s }))
            .boxed(),
        (clock_identity(), any::<u16>(), delay_mechanism(), octet())
            .prop_map(|(c, n, d, p)| {
                D::from(TransparentClockDefaultDataSet {
                    clock_identity: c,
                    number_ports: n,
                    delay_mechanism: d,
                    primary_domain: p,
                })
            })
            .boxed(),
        (port_identity(), octet(), any::<i8>(), time_interval())
            .prop_map(|(p, f, l, d)| {
                D::from(TransparentClockPortDataSet {
                    port_identity: p,
                    flags: f,
                    log_min_pdelay_req_interval: l,
                    peer_mean_path_delay: d,
                })
            })
            .boxed(),
        octet().prop_map(|v| D::from(PrimaryDomain { primary_domain: v })).boxed(),
        delay_mechanism().prop_map(|v| D::from(DelayMechanismSetting { delay_mechanism: v })).boxed(),
        any::<i8>().prop_map(|v| D::from(LogMinPdelayReqInterval { log_min_pdelay_req_interval: v })).boxed(),
        (
            (any::<i64>(), any::<i64>(), any::<i32>(), any::<i32>()),
            (any::<u16>(), scaled_ns(), any::<i32>(), clock_identity()),
        )
            .prop_map(|((mo, it, csro, slgpc), (gtbi, lgpc, gp, gi))| {
                D::from(TimeStatusNp {
                    master_offset: mo,
                    ingress_time: it,
                    cumulative_scaled_rate_offset: csro,
                    scaled_last_gm_phase_change: slgpc,
                    gm_time_base_indicator: gtbi,
                    last_gm_phase_change: lgpc,
                    gm_present: gp,
                    gm_identity: gi,
                })
            })
            .boxed(),
        (clock_quality(), any::<i16>(), octet(), time_source())
            .prop_map(|(q, u, f, s)| {
                D::from(GrandmasterSettingsNp { clock_quality: q, utc_offset: u, time_flags: f, time_source: s })
            })
            .boxed(),
        (any::<u32>(), any::<i32>())
            .prop_map(|(t, a)| D::from(PortDataSetNp { neighbor_prop_delay_thresh: t, as_capable: a }))
            .boxed(),
        (any::<u16>(), vec(octet(), SubscribeEventsNp::BITMASK_LEN))
            .prop_map(|(d, b)| D::from(SubscribeEventsNp { duration: d, bitmask: b.try_into().unwrap() }))
            .boxed(),
        (port_identity(), port_state(), octet(), ptp_text())
            .prop_map(|(p, s, t, i)| {
                D::from(PortPropertiesNp {
                    port_identity: p,
                    port_state: s,
                    timestamping: TimestampType(t),
                    interface: i,
                })
            })
            .boxed(),
        (port_identity(), u64x16(), u64x16())
            .prop_map(|(p, rx, tx)| D::from(PortStatsNp { port_identity: p, rx_msg_type: rx, tx_msg_type: tx }))
            .boxed(),
        (octet(), octet()).prop_map(|(v, r)| D::from(SynchronizationUncertainNp { val: v, reserved: r })).boxed(),
        (port_identity(), proptest::array::uniform10(any::<u64>()))
            .prop_map(|(p, c)| {
                D::from(PortServiceStatsNp {
                    port_identity: p,
                    announce_timeout: c[0],
                    sync_timeout: c[1],
                    delay_timeout: c[2],
                    unicast_service_timeout: c[3],
                    unicast_request_timeout: c[4],
                    master_announce_timeout: c[5],
                    master_sync_timeout: c[6],
                    qualification_timeout: c[7],
                    sync_mismatch: c[8],
                    followup_mismatch: c[9],
                })
            })
            .boxed(),
        vec(unicast_master_entry(), 0..5).prop_map(|e| D::from(UnicastMasterTableNp { entries: e })).boxed(),
        (port_identity(), any::<i32>(), octet())
            .prop_map(|(p, i, f)| D::from(PortHwclockNp { port_identity: p, phc_index: i, flags: f }))
            .boxed(),
        (any::<u16>(), any::<u16>(), any::<u32>(), any::<u32>(), any::<u32>())
            .prop_map(|(v, g, gi, ni, ti)| {
                D::from(PowerProfileSettingsNp {
                    version: v,
                    grandmaster_id: g,
                    grandmaster_time_inaccuracy: gi,
                    network_time_inaccuracy: ni,
                    total_time_inaccuracy: ti,
                })
            })
            .boxed(),
        (time_interval(), any::<i32>(), any::<u32>())
            .prop_map(|(d, r, a)| {
                D::from(CmldsInfoNp { mean_link_delay: d, scaled_neighbor_rate_ratio: r, as_capable: a })
            })
            .boxed(),
        (time_interval(), time_interval(), time_interval())
            .prop_map(|(e, i, a)| {
                D::from(PortCorrectionsNp { egress_latency: e, ingress_latency: i, delay_asymmetry: a })
            })
            .boxed(),
        (clock_identity(), any::<u16>())
            .prop_map(|(g, s)| D::from(ExternalGrandmasterPropertiesNp { gm_identity: g, steps_removed: s }))
            .boxed(),
    ];
    assert_eq!(s.len(), TYPED_MANAGEMENT_IDS.len(), "one strategy per typed body");
    Union::new(s).boxed()
}

/// A managementId: mostly the known ones, sometimes any value.
fn any_management_id() -> impl Strategy<Value = ManagementId> {
    prop_oneof![
        4 => proptest::sample::select(ManagementId::KNOWN),
        1 => any::<u16>().prop_map(ManagementId),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn typed_bodies_round_trip_through_the_tlv(data in typed_body()) {
        let management_id = data.management_id().unwrap();
        let tlv = ManagementTlv { management_id, data };
        let bytes = emit_value(&tlv);
        prop_assert_eq!(bytes.len() % 2, 0);
        prop_assert_eq!(bytes.len(), 2 + tlv.data.padded_len());
        prop_assert_eq!(tlv.data.padded_len() - tlv.data.body_len(), tlv.data.body_len() % 2);
        prop_assert_eq!(ManagementTlv::parse_value(&bytes), Ok(tlv.clone()));
        prop_assert_eq!(ManagementData::parse(management_id, &bytes[2..]), Some(tlv.data));
    }

    #[test]
    fn arbitrary_bytes_under_any_id_never_panic(id in any_management_id(), data in vec(any::<u8>(), 0..400)) {
        let value = with_id(id, &data);
        if let Ok(tlv) = ManagementTlv::parse_value(&value) {
            // Whatever parses uses every octet, and re-encodes to a value that parses the same.
            prop_assert_eq!(tlv.value_len(), value.len());
            let again = emit_value(&tlv);
            prop_assert_eq!(ManagementTlv::parse_value(&again), Ok(tlv));
        }
    }

    #[test]
    fn mutated_bodies_never_panic(data in typed_body(), cut in any::<prop::sample::Index>(),
                                  flips in vec((any::<prop::sample::Index>(), any::<u8>()), 0..4)) {
        let id = data.management_id().unwrap();
        let mut bytes = data.to_padded_vec();
        for (i, x) in flips {
            if !bytes.is_empty() {
                let i = i.index(bytes.len());
                bytes[i] ^= x;
            }
        }
        let keep = if bytes.is_empty() { 0 } else { cut.index(bytes.len() + 1) };
        bytes.truncate(keep);
        if let Some(d) = ManagementData::parse(id, &bytes) {
            prop_assert_eq!(d.padded_len(), bytes.len());
            prop_assert_eq!(ManagementData::parse(id, &d.to_padded_vec()), Some(d));
        }
    }
}
