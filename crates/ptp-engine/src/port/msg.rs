//! Building outgoing messages with linuxptp 4.x header conventions (IEEE 1588-2019 13.3).

use ptp_wire::{
    Announce, DelayReq, DelayResp, FlagField, FollowUp, Header, Message, MessageBody, MessageType, PdelayReq,
    PdelayResp, PdelayRespFollowUp, PortIdentity, Sync, TimeInterval, Timestamp,
};

use crate::datasets::{CurrentDs, DefaultDs, ParentDs, TimePropertiesDs};

/// logMessageInterval for messages without a meaningful interval (IEEE 1588-2019 Table 42).
pub const LOG_INTERVAL_NONE: i8 = 0x7f;

/// What every header of one port shares.
#[derive(Clone, Copy, Debug)]
pub struct HeaderTemplate {
    pub major_sdo_id: u8,
    pub minor_version_ptp: u8,
    pub domain_number: u8,
    pub source_port_identity: PortIdentity,
}

impl HeaderTemplate {
    pub fn header(&self, t: MessageType, sequence_id: u16, log_message_interval: i8) -> Header {
        let mut h = Header::new(t);
        h.major_sdo_id = self.major_sdo_id;
        h.minor_version_ptp = self.minor_version_ptp;
        h.domain_number = self.domain_number;
        h.source_port_identity = self.source_port_identity;
        h.sequence_id = sequence_id;
        h.log_message_interval = log_message_interval;
        // linuxptp 4.x (minorVersionPTP 1) sends controlField 0; 1588-2008 senders use the
        // legacy values.
        h.control_field = if self.minor_version_ptp == 0 { t.legacy_control_field() } else { 0 };
        h
    }
}

fn message(header: Header, body: MessageBody) -> Message {
    Message { header, body, tlvs: Vec::new() }
}

/// Announce (IEEE 1588-2019 13.5) from the clock's datasets.
pub fn announce(
    tpl: &HeaderTemplate,
    seq: u16,
    log_interval: i8,
    parent: &ParentDs,
    current: &CurrentDs,
    tp: &TimePropertiesDs,
) -> Message {
    let mut h = tpl.header(MessageType::Announce, seq, log_interval);
    h.flag_field = FlagField(u16::from(tp.flags()));
    let body = Announce {
        origin_timestamp: Timestamp::default(),
        current_utc_offset: tp.current_utc_offset,
        grandmaster_priority1: parent.grandmaster_priority1,
        grandmaster_clock_quality: parent.grandmaster_clock_quality,
        grandmaster_priority2: parent.grandmaster_priority2,
        grandmaster_identity: parent.grandmaster_identity,
        steps_removed: current.steps_removed,
        time_source: tp.time_source,
    };
    message(h, MessageBody::Announce(body))
}

/// Sync (IEEE 1588-2019 13.6); two-step: originTimestamp zero and twoStepFlag set.
pub fn sync(tpl: &HeaderTemplate, seq: u16, log_interval: i8, two_step: bool) -> Message {
    let mut h = tpl.header(MessageType::Sync, seq, log_interval);
    h.flag_field.set_two_step(two_step);
    message(h, MessageBody::Sync(Sync { origin_timestamp: Timestamp::default() }))
}

/// Follow_Up (IEEE 1588-2019 13.7) for the Sync `seq`.
pub fn follow_up(tpl: &HeaderTemplate, seq: u16, log_interval: i8, t1: Timestamp) -> Message {
    let h = tpl.header(MessageType::FollowUp, seq, log_interval);
    message(h, MessageBody::FollowUp(FollowUp { precise_origin_timestamp: t1 }))
}

/// Delay_Req (IEEE 1588-2019 13.6).
pub fn delay_req(tpl: &HeaderTemplate, seq: u16) -> Message {
    let h = tpl.header(MessageType::DelayReq, seq, LOG_INTERVAL_NONE);
    message(h, MessageBody::DelayReq(DelayReq { origin_timestamp: Timestamp::default() }))
}

/// Delay_Resp (IEEE 1588-2019 13.8) to a Delay_Req received at `t4`.
pub fn delay_resp(tpl: &HeaderTemplate, req: &Header, t4: Timestamp, log_min_delay_req_interval: i8) -> Message {
    let mut h = tpl.header(MessageType::DelayResp, req.sequence_id, log_min_delay_req_interval);
    h.correction_field = req.correction_field;
    h.flag_field.set_unicast(req.flag_field.unicast());
    message(
        h,
        MessageBody::DelayResp(DelayResp { receive_timestamp: t4, requesting_port_identity: req.source_port_identity }),
    )
}

/// Pdelay_Req (IEEE 1588-2019 13.9).
pub fn pdelay_req(tpl: &HeaderTemplate, seq: u16) -> Message {
    let h = tpl.header(MessageType::PdelayReq, seq, LOG_INTERVAL_NONE);
    message(h, MessageBody::PdelayReq(PdelayReq { origin_timestamp: Timestamp::default() }))
}

/// Pdelay_Resp (IEEE 1588-2019 13.10), two-step: requestReceiptTimestamp is t2 (as linuxptp
/// sends it) and the correction is zero; t3 follows in Pdelay_Resp_Follow_Up.
pub fn pdelay_resp(tpl: &HeaderTemplate, req: &Header, t2: Timestamp) -> Message {
    let mut h = tpl.header(MessageType::PdelayResp, req.sequence_id, LOG_INTERVAL_NONE);
    h.flag_field.set_two_step(true);
    message(
        h,
        MessageBody::PdelayResp(PdelayResp {
            request_receipt_timestamp: t2,
            requesting_port_identity: req.source_port_identity,
        }),
    )
}

/// Pdelay_Resp (IEEE 1588-2019 13.10), one-step (`time_stamping p2p1step`): twoStepFlag clear,
/// requestReceiptTimestamp zero and `correction` in the correctionField, to which the NIC
/// adds the transmit time; no Pdelay_Resp_Follow_Up follows.
pub fn pdelay_resp_one_step(tpl: &HeaderTemplate, req: &Header, correction: TimeInterval) -> Message {
    let mut h = tpl.header(MessageType::PdelayResp, req.sequence_id, LOG_INTERVAL_NONE);
    h.correction_field = correction;
    message(
        h,
        MessageBody::PdelayResp(PdelayResp {
            request_receipt_timestamp: Timestamp::default(),
            requesting_port_identity: req.source_port_identity,
        }),
    )
}

/// Pdelay_Resp_Follow_Up (IEEE 1588-2019 13.11) with t3 and the request's correction.
pub fn pdelay_resp_follow_up(
    tpl: &HeaderTemplate,
    req_seq: u16,
    requesting: PortIdentity,
    req_correction: TimeInterval,
    t3: Timestamp,
) -> Message {
    let mut h = tpl.header(MessageType::PdelayRespFollowUp, req_seq, LOG_INTERVAL_NONE);
    h.correction_field = req_correction;
    message(
        h,
        MessageBody::PdelayRespFollowUp(PdelayRespFollowUp {
            response_origin_timestamp: t3,
            requesting_port_identity: requesting,
        }),
    )
}

/// The defaultDS-based values a grandmaster announces (IEEE 1588-2019 9.3.5, Table 30).
pub fn grandmaster_parent(d: &DefaultDs, port_identity_zero: PortIdentity) -> ParentDs {
    ParentDs {
        parent_port_identity: port_identity_zero,
        parent_stats: false,
        observed_parent_offset_scaled_log_variance: 0xffff,
        observed_parent_clock_phase_change_rate: 0x7fff_ffff,
        grandmaster_identity: d.clock_identity,
        grandmaster_clock_quality: d.clock_quality,
        grandmaster_priority1: d.priority1,
        grandmaster_priority2: d.priority2,
    }
}
