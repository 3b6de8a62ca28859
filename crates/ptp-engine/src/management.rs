//! Management requests received on the UDS port or a network port (IEEE 1588-2019
//! clause 15; linuxptp `clock_manage` / `port_manage`), GET only for now.
//!
//! Conventions copied from ptp4l (uds-management-v4.4.pcap):
//! - a response copies sequenceId, has targetPortIdentity = the requester's
//!   sourcePortIdentity, startingBoundaryHops = boundaryHops = request's
//!   startingBoundaryHops - boundaryHops, logMessageInterval 0x7f, flags 0;
//! - clock-scope IDs are answered once with sourcePortIdentity `<clock>-0` (the UDS port);
//! - port-scope IDs (NULL_MANAGEMENT included) are answered by every port whose number
//!   matches targetPortIdentity.portNumber (0xffff = all) with the port's own identity;
//! - errors: NOT_SUPPORTED for known but unsupported IDs and, for now, for every SET and
//!   COMMAND; NO_SUCH_ID (from the first addressed port) for unknown IDs; WRONG_VALUE (from
//!   port 0) when no port matches.

use ptp_wire::management::*;
use ptp_wire::{
    ClockIdentity, Header, Management, ManagementAction, ManagementData, ManagementErrorId, ManagementErrorStatus,
    ManagementId, ManagementTlv, Message, MessageBody, MessageType, PortIdentity, PortStateValue, PtpText, Tlv,
};

use crate::clock::Clock;
use crate::port::Port;
use crate::state::PortState;
use crate::time::Instant;

const ALL_PORTS: u16 = 0xffff;

/// Clock-scope IDs this implementation answers.
fn clock_get(c: &Clock, id: ManagementId) -> Option<ManagementData> {
    let d = c.default_ds();
    let cur = c.current_ds();
    let p = c.parent_ds();
    let tp = c.time_properties_ds();
    Some(match id {
        ManagementId::USER_DESCRIPTION => UserDescription { user_description: PtpText::default() }.into(),
        ManagementId::DEFAULT_DATA_SET => DefaultDataSet {
            flags: u8::from(d.two_step_flag) | u8::from(d.slave_only) << 1,
            number_ports: d.number_ports,
            priority1: d.priority1,
            clock_quality: d.clock_quality,
            priority2: d.priority2,
            clock_identity: d.clock_identity,
            domain_number: d.domain_number,
        }
        .into(),
        ManagementId::CURRENT_DATA_SET => CurrentDataSet {
            steps_removed: cur.steps_removed,
            offset_from_master: cur.offset_from_master.to_interval(),
            mean_path_delay: cur.mean_path_delay.to_interval(),
        }
        .into(),
        ManagementId::PARENT_DATA_SET => ParentDataSet {
            parent_port_identity: p.parent_port_identity,
            parent_stats: u8::from(p.parent_stats),
            observed_parent_offset_scaled_log_variance: p.observed_parent_offset_scaled_log_variance,
            observed_parent_clock_phase_change_rate: p.observed_parent_clock_phase_change_rate,
            grandmaster_priority1: p.grandmaster_priority1,
            grandmaster_clock_quality: p.grandmaster_clock_quality,
            grandmaster_priority2: p.grandmaster_priority2,
            grandmaster_identity: p.grandmaster_identity,
        }
        .into(),
        ManagementId::TIME_PROPERTIES_DATA_SET => TimePropertiesDataSet {
            current_utc_offset: tp.current_utc_offset,
            flags: tp.flags(),
            time_source: tp.time_source,
        }
        .into(),
        ManagementId::PRIORITY1 => Priority1 { priority1: d.priority1 }.into(),
        ManagementId::PRIORITY2 => Priority2 { priority2: d.priority2 }.into(),
        ManagementId::DOMAIN => Domain { domain_number: d.domain_number }.into(),
        ManagementId::SLAVE_ONLY => SlaveOnly { flags: u8::from(d.slave_only) }.into(),
        ManagementId::CLOCK_ACCURACY => {
            ManagementData::ClockAccuracy(ClockAccuracySetting { clock_accuracy: d.clock_quality.clock_accuracy })
        }
        ManagementId::TRACEABILITY_PROPERTIES => TraceabilityProperties { flags: tp.flags() & 0x30 }.into(),
        ManagementId::TIMESCALE_PROPERTIES => {
            TimescaleProperties { flags: tp.flags() & 0x08, time_source: ptp_wire::TimeSource(0) }.into()
        }
        ManagementId::TIME_STATUS_NP => {
            let gm_present = p.grandmaster_identity != d.clock_identity;
            TimeStatusNp {
                master_offset: cur.offset_from_master.as_i64(),
                ingress_time: c.last_sync_ingress().map_or(0, |t| t.nanos_i64()),
                cumulative_scaled_rate_offset: 0,
                scaled_last_gm_phase_change: 0,
                gm_time_base_indicator: 0,
                last_gm_phase_change: ptp_wire::datatypes::ScaledNs::default(),
                gm_present: i32::from(gm_present),
                gm_identity: p.grandmaster_identity,
            }
            .into()
        }
        _ => return None,
    })
}

/// IDs linuxptp knows but answers NOT_SUPPORTED (for GET), and the ones not done here yet.
fn known_unsupported(id: ManagementId) -> bool {
    matches!(
        id,
        ManagementId::SAVE_IN_NON_VOLATILE_STORAGE
            | ManagementId::RESET_NON_VOLATILE_STORAGE
            | ManagementId::INITIALIZE
            | ManagementId::FAULT_LOG
            | ManagementId::FAULT_LOG_RESET
            | ManagementId::TIME
            | ManagementId::UTC_PROPERTIES
            | ManagementId::UNICAST_NEGOTIATION_ENABLE
            | ManagementId::PATH_TRACE_LIST
            | ManagementId::PATH_TRACE_ENABLE
            | ManagementId::GRANDMASTER_CLUSTER_TABLE
            | ManagementId::UNICAST_MASTER_TABLE
            | ManagementId::UNICAST_MASTER_MAX_TABLE_SIZE
            | ManagementId::ACCEPTABLE_MASTER_TABLE
            | ManagementId::ACCEPTABLE_MASTER_TABLE_ENABLED
            | ManagementId::ACCEPTABLE_MASTER_MAX_TABLE_SIZE
            | ManagementId::ALTERNATE_MASTER
            | ManagementId::ALTERNATE_TIME_OFFSET_MAX_KEY
            | ManagementId::TRANSPARENT_CLOCK_DEFAULT_DATA_SET
            | ManagementId::TRANSPARENT_CLOCK_PORT_DATA_SET
            | ManagementId::PRIMARY_DOMAIN
            // Not implemented by ptp-rs yet (linuxptp answers these).
            | ManagementId::CLOCK_DESCRIPTION
            | ManagementId::ALTERNATE_TIME_OFFSET_ENABLE
            | ManagementId::ALTERNATE_TIME_OFFSET_NAME
            | ManagementId::ALTERNATE_TIME_OFFSET_PROPERTIES
            | ManagementId::GRANDMASTER_SETTINGS_NP
            | ManagementId::SUBSCRIBE_EVENTS_NP
            | ManagementId::SYNCHRONIZATION_UNCERTAIN_NP
            | ManagementId::PORT_SERVICE_STATS_NP
            | ManagementId::UNICAST_MASTER_TABLE_NP
            | ManagementId::PORT_HWCLOCK_NP
            | ManagementId::POWER_PROFILE_SETTINGS_NP
            | ManagementId::CMLDS_INFO_NP
            | ManagementId::PORT_CORRECTIONS_NP
            | ManagementId::EXTERNAL_GRANDMASTER_PROPERTIES_NP
    )
}

/// The state as management reports it: GRAND_MASTER as MASTER.
fn wire_state(s: PortState) -> PortStateValue {
    let s = if s == PortState::GrandMaster { PortState::Master } else { s };
    PortStateValue(s.wire_value())
}

/// Port-scope IDs; `None` if the port does not know the ID.
fn port_get(p: &Port, id: ManagementId, from_uds_rw: bool) -> Option<Result<ManagementData, ManagementErrorId>> {
    let ds = p.port_ds();
    Some(Ok(match id {
        ManagementId::NULL_MANAGEMENT | ManagementId::ENABLE_PORT | ManagementId::DISABLE_PORT => ManagementData::Empty,
        ManagementId::PORT_DATA_SET => PortDataSet {
            port_identity: ds.port_identity,
            port_state: wire_state(ds.port_state),
            log_min_delay_req_interval: ds.log_min_delay_req_interval,
            peer_mean_path_delay: ds.peer_mean_path_delay.to_interval(),
            log_announce_interval: ds.log_announce_interval,
            announce_receipt_timeout: ds.announce_receipt_timeout,
            log_sync_interval: ds.log_sync_interval,
            delay_mechanism: ds.delay_mechanism,
            log_min_pdelay_req_interval: ds.log_min_pdelay_req_interval,
            version_number: ds.version_number,
        }
        .into(),
        ManagementId::LOG_ANNOUNCE_INTERVAL => {
            LogAnnounceInterval { log_announce_interval: ds.log_announce_interval }.into()
        }
        ManagementId::ANNOUNCE_RECEIPT_TIMEOUT => {
            AnnounceReceiptTimeout { announce_receipt_timeout: ds.announce_receipt_timeout }.into()
        }
        ManagementId::LOG_SYNC_INTERVAL => LogSyncInterval { log_sync_interval: ds.log_sync_interval }.into(),
        ManagementId::VERSION_NUMBER => VersionNumber { version_number: ds.version_number }.into(),
        ManagementId::DELAY_MECHANISM => {
            ManagementData::DelayMechanism(DelayMechanismSetting { delay_mechanism: ds.delay_mechanism })
        }
        ManagementId::LOG_MIN_PDELAY_REQ_INTERVAL => {
            LogMinPdelayReqInterval { log_min_pdelay_req_interval: ds.log_min_pdelay_req_interval }.into()
        }
        ManagementId::MASTER_ONLY => MasterOnly { flags: u8::from(p.cfg.master_only) }.into(),
        ManagementId::PORT_STATS_NP => {
            let c = p.counters();
            PortStatsNp { port_identity: ds.port_identity, rx_msg_type: c.rx, tx_msg_type: c.tx }.into()
        }
        ManagementId::PORT_PROPERTIES_NP if !from_uds_rw => return Some(Err(ManagementErrorId::NOT_SUPPORTED)),
        ManagementId::PORT_PROPERTIES_NP => PortPropertiesNp {
            port_identity: ds.port_identity,
            port_state: wire_state(ds.port_state),
            // linuxptp's enum timestamp_type has the time_stamping key's values.
            timestamping: TimestampType(
                u8::try_from(ptp_config::enums::ConfigEnum::value(p.cfg.time_stamping)).unwrap_or(0),
            ),
            interface: PtpText::new(p.name()),
        }
        .into(),
        _ => return None,
    }))
}

/// Where a management request came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Origin {
    /// The UDS port (port 0); `read_write` for the read-write socket.
    Uds { read_write: bool },
    /// A network port: linuxptp answers GETs there too, refuses SET and
    /// PORT_PROPERTIES_NP with NOT_SUPPORTED, and clock-scope answers carry the
    /// ingress port's identity.
    Port(u16),
}

/// Answer one management request; see the module documentation.
pub fn respond(c: &Clock, req: &Message, origin: Origin, _now: Instant) -> Vec<Message> {
    let from_uds_rw = origin == Origin::Uds { read_write: true };
    let MessageBody::Management(mgmt) = &req.body else { return Vec::new() };
    let Some(tlv) = req.management_tlv() else { return Vec::new() };
    let action = mgmt.action;
    if !matches!(action, ManagementAction::GET | ManagementAction::SET | ManagementAction::COMMAND) {
        return Vec::new();
    }
    let me = c.default_ds().clock_identity;
    let target = mgmt.target_port_identity;
    if target.clock_identity != me && target.clock_identity != ClockIdentity([0xff; 8]) {
        return Vec::new();
    }
    let id = tlv.management_id;
    // Clock-scope answers come from the ingress port (port 0 for the UDS).
    let uds = PortIdentity {
        clock_identity: me,
        port_number: match origin {
            Origin::Uds { .. } => 0,
            Origin::Port(n) => n,
        },
    };
    let reply = |source: PortIdentity, tlv: Tlv| response(c, req, mgmt, source, tlv);
    let error = |source: PortIdentity, e: ManagementErrorId| {
        reply(
            source,
            Tlv::ManagementErrorStatus(ManagementErrorStatus {
                management_error_id: e,
                management_id: id,
                display_data: None,
            }),
        )
    };
    if action != ManagementAction::GET {
        return vec![error(uds, ManagementErrorId::NOT_SUPPORTED)];
    }
    if let Some(data) = clock_get(c, id) {
        return vec![reply(uds, Tlv::Management(ManagementTlv { management_id: id, data }))];
    }
    if known_unsupported(id) {
        return vec![error(uds, ManagementErrorId::NOT_SUPPORTED)];
    }
    let mut out = Vec::new();
    for p in c.ports() {
        if target.port_number != ALL_PORTS && target.port_number != p.number() {
            continue;
        }
        match port_get(p, id, from_uds_rw) {
            Some(Ok(data)) => {
                out.push(reply(p.identity(), Tlv::Management(ManagementTlv { management_id: id, data })));
            }
            Some(Err(e)) => out.push(error(p.identity(), e)),
            None => {
                out.push(error(p.identity(), ManagementErrorId::NO_SUCH_ID));
                return out;
            }
        }
    }
    if out.is_empty() {
        out.push(error(uds, ManagementErrorId::WRONG_VALUE));
    }
    out
}

fn response(c: &Clock, req: &Message, mgmt: &Management, source: PortIdentity, tlv: Tlv) -> Message {
    let mut h = Header::new(MessageType::Management);
    h.major_sdo_id = req.header.major_sdo_id;
    h.minor_version_ptp = c.config().ptp_minor_version;
    h.domain_number = c.default_ds().domain_number;
    h.source_port_identity = source;
    h.sequence_id = req.header.sequence_id;
    h.control_field = if h.minor_version_ptp == 0 { MessageType::Management.legacy_control_field() } else { 0 };
    h.log_message_interval = 0x7f;
    let hops = mgmt.starting_boundary_hops.wrapping_sub(mgmt.boundary_hops);
    let action = if mgmt.action == ManagementAction::COMMAND {
        ManagementAction::ACKNOWLEDGE
    } else {
        ManagementAction::RESPONSE
    };
    let body = Management {
        target_port_identity: req.header.source_port_identity,
        starting_boundary_hops: hops,
        boundary_hops: hops,
        action,
    };
    Message { header: h, body: MessageBody::Management(body), tlvs: vec![tlv] }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PCAP: &str = "/work/shared/pcaps/uds-management-v4.4.pcap";

    /// The PTP payloads of a classic pcap with raw (UDS) records.
    fn records() -> Option<Vec<Vec<u8>>> {
        let d = std::fs::read(PCAP).ok()?;
        let mut off = 24;
        let mut v = Vec::new();
        while off + 16 <= d.len() {
            let cl = u32::from_le_bytes(d[off + 8..off + 12].try_into().unwrap()) as usize;
            off += 16;
            v.push(d[off..off + cl].to_vec());
            off += cl;
        }
        Some(v)
    }

    fn clock() -> Clock {
        let cfg = ptp_config::Config::parse("[global]\n[eth0]\n", "t.cfg").unwrap();
        Clock::from_config(&cfg, ClockIdentity([2, 0, 0, 0xff, 0xfe, 0, 1, 3]), Instant::ZERO).unwrap()
    }

    /// Request/response pair in the capture for `id`.
    fn pair(recs: &[Vec<u8>], id: ManagementId) -> (Message, Vec<u8>) {
        for w in recs.windows(2) {
            let q = Message::parse(&w[0]).unwrap();
            let MessageBody::Management(m) = &q.body else { continue };
            if m.action == ManagementAction::GET && q.management_tlv().is_some_and(|t| t.management_id == id) {
                return (q, w[1].clone());
            }
        }
        panic!("no GET {id:?} in capture");
    }

    #[test]
    fn responses_have_ptp4l_structure() {
        let Some(recs) = records() else { return };
        let mut c = clock();
        for id in [
            ManagementId::DEFAULT_DATA_SET,
            ManagementId::CURRENT_DATA_SET,
            ManagementId::PARENT_DATA_SET,
            ManagementId::TIME_PROPERTIES_DATA_SET,
            ManagementId::PRIORITY1,
            ManagementId::DOMAIN,
            ManagementId::TIME_STATUS_NP,
            ManagementId::NULL_MANAGEMENT,
            ManagementId::PORT_DATA_SET,
            ManagementId::LOG_SYNC_INTERVAL,
            ManagementId::PORT_STATS_NP,
            ManagementId::PORT_PROPERTIES_NP,
        ] {
            let (req, real) = pair(&recs, id);
            let ours = c.handle_management(&req, true, Instant::ZERO);
            assert_eq!(ours.len(), 1, "{id:?}");
            let bytes = ours[0].to_bytes().unwrap();
            let real_m = Message::parse(&real).unwrap();
            let ours_m = Message::parse(&bytes).unwrap();
            // Header: everything but the clock identity of the source equal.
            let (mut a, b) = (ours_m.header, real_m.header);
            assert_eq!(a.source_port_identity.port_number, b.source_port_identity.port_number, "{id:?}");
            a.source_port_identity.clock_identity = b.source_port_identity.clock_identity;
            assert_eq!(a, b, "{id:?}");
            assert_eq!(ours_m.body, real_m.body, "{id:?}");
            let (Some(x), Some(y)) = (ours_m.management_tlv(), real_m.management_tlv()) else { panic!() };
            assert_eq!(x.management_id, y.management_id);
            assert_eq!(x.data.management_id(), y.data.management_id(), "{id:?}");
            if id != ManagementId::PORT_PROPERTIES_NP {
                assert_eq!(bytes.len(), real.len(), "{id:?}");
            }
        }
    }

    #[test]
    fn errors() {
        let Some(recs) = records() else { return };
        let mut c = clock();
        let err = |m: &Message| match m.tlvs.first() {
            Some(Tlv::ManagementErrorStatus(e)) => (e.management_error_id, m.header.source_port_identity.port_number),
            _ => panic!("not an error: {m:?}"),
        };
        let (mut req, _) = pair(&recs, ManagementId::PRIORITY1);
        let r = c.handle_management(&req, true, Instant::ZERO);
        assert!(matches!(r[0].tlvs[0], Tlv::Management(_)));
        if let MessageBody::Management(m) = &mut req.body {
            m.action = ManagementAction::SET;
        }
        assert_eq!(err(&c.handle_management(&req, true, Instant::ZERO)[0]), (ManagementErrorId::NOT_SUPPORTED, 0));
        let (mut req, _) = pair(&recs, ManagementId::PORT_DATA_SET);
        if let MessageBody::Management(m) = &mut req.body {
            m.target_port_identity.port_number = 7;
        }
        assert_eq!(err(&c.handle_management(&req, true, Instant::ZERO)[0]), (ManagementErrorId::WRONG_VALUE, 0));
        if let MessageBody::Management(m) = &mut req.body {
            m.target_port_identity.port_number = 1;
        }
        req.tlvs =
            vec![Tlv::Management(ManagementTlv { management_id: ManagementId(0x7777), data: ManagementData::Empty })];
        assert_eq!(err(&c.handle_management(&req, true, Instant::ZERO)[0]), (ManagementErrorId::NO_SUCH_ID, 1));
        let (req, _) = pair(&recs, ManagementId::PORT_PROPERTIES_NP);
        assert_eq!(err(&c.handle_management(&req, false, Instant::ZERO)[0]), (ManagementErrorId::NOT_SUPPORTED, 1));
    }
}
