//! `ptp-dump`: one line per PTP message of a capture, as text for a person or as JSON.
//!
//! Text (one line per PTP packet, then a summary):
//! ```text
//! 1 1700000000.123456789 192.0.2.1 -> 224.0.1.129 UDPv4 SYNC seq 12 domain 0 from 020000.fffe.000101-1 corr 0.000 ts 1700000000.123000000
//! 7 1700000000.223456789 192.0.2.2 -> 192.0.2.1 UDPv4 MANAGEMENT seq 3 domain 0 from 020000.fffe.000102-1 corr 0.000 to ffffff.ffff.ffffff-65535 [MANAGEMENT(GET CURRENT_DATA_SET)]
//! frame 9: undecodable: unknown messageType 0x5 (1700000000.323456789 192.0.2.1 -> 192.0.2.2 UDPv4, 44 bytes)
//! --- 8 PTP packets: SYNC 4, MANAGEMENT 4; 1 undecodable, 0 not PTP
//! ```
//! JSON (`--json`): one object per line, `{"frame", "time", "transport", "source",
//! "destination", "vlan", "message"}` with the whole decoded [`Message`], `"error"` instead of
//! `"message"` for an undecodable PTP packet, and last `{"summary": {...}}`.
//!
//! Frames that are not PTP (another ethertype or UDP port) are only counted; a frame that does
//! not decode as a network packet at all, or has a link type this tool does not read, gets a
//! `frame N: not PTP: <reason>` line so that nothing disappears silently.
//!
//! Everything here returns strings or writes to a caller's writer, so that the binary stays
//! thin and the formatting is unit-tested.

use std::fmt::Write as _;
use std::io;
use std::time::Duration;

use ptp_wire::tlv::OrganizationExtension;
use ptp_wire::{Message, MessageBody, MessageType, ParseError, Tlv};

use crate::capture::{self, CaptureError, NotPtp, PtpPayload, Record, Transport};

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// What one record of a capture holds.
#[derive(Debug, Clone)]
pub enum Frame<'a> {
    /// A PTP message that decoded.
    Ptp { payload: PtpPayload<'a>, message: Message },
    /// PTP by its transport (UDP 319/320, ethertype 0x88F7, USER0) but the message is bad.
    Undecodable { payload: PtpPayload<'a>, error: ParseError },
    /// Not a PTP message.
    NotPtp(NotPtp),
}

/// Strip the layers of a record and decode its PTP message.
pub fn decode(record: &Record) -> Frame<'_> {
    match capture::ptp_payload(record.link_type, &record.data) {
        Err(reason) => Frame::NotPtp(reason),
        Ok(payload) => match Message::parse(payload.bytes) {
            Ok(message) => Frame::Ptp { payload, message },
            Err(error) => Frame::Undecodable { payload, error },
        },
    }
}

/// Capture time as seconds since the Unix epoch with nine decimals.
pub fn format_time(t: Duration) -> String {
    format!("{}.{:09}", t.as_secs(), t.subsec_nanos())
}

/// Where a packet went: `SRC -> DST TRANSPORT [vlan N]`, or `raw` for a bare PTP record.
pub fn format_route(p: &PtpPayload<'_>) -> String {
    let mut s = String::new();
    if p.source.is_some() || p.destination.is_some() {
        let src = p.source.as_deref().unwrap_or("?");
        let dst = p.destination.as_deref().unwrap_or("?");
        let _ = write!(s, "{src} -> {dst} ");
    }
    let _ = write!(s, "{}", p.transport);
    if let Some(v) = p.vlan {
        let _ = write!(s, " vlan {v}");
    }
    s
}

/// A unicast negotiation TLV's message type: its name, or the nibble in hex.
fn negotiated_type(nibble: u8, known: Option<MessageType>) -> String {
    known.map_or_else(|| format!("0x{nibble:x}"), |t| t.name().to_owned())
}

/// The name of an organisation extension body.
pub fn format_org_extension(o: &OrganizationExtension) -> String {
    match o {
        OrganizationExtension::FollowUpInformation(_) => "FollowUpInformation".into(),
        OrganizationExtension::MessageIntervalRequest(_) => "MessageIntervalRequest".into(),
        OrganizationExtension::InterfaceRate(_) => "InterfaceRate".into(),
        OrganizationExtension::PowerProfile2011(_) => "PowerProfile2011".into(),
        OrganizationExtension::PowerProfile2017(_) => "PowerProfile2017".into(),
        OrganizationExtension::Other { organization_id: [a, b, c], organization_sub_type: [x, y, z], .. } => {
            format!("{a:02x}{b:02x}{c:02x}/{x:02x}{y:02x}{z:02x}")
        }
    }
}

/// A TLV by its type name, with the few details that say what it is about: the action and
/// management ID of a MANAGEMENT TLV (`MANAGEMENT(GET CURRENT_DATA_SET)`), the organisation
/// body of an ORGANIZATION_EXTENSION, the message type of a unicast negotiation TLV, ...
pub fn format_tlv(tlv: &Tlv, body: &MessageBody) -> String {
    let name = tlv.tlv_type().to_string();
    let detail = match tlv {
        Tlv::Management(m) => match body {
            MessageBody::Management(b) => Some(format!("{} {}", b.action, m.management_id)),
            _ => Some(m.management_id.to_string()),
        },
        Tlv::ManagementErrorStatus(e) => Some(format!("{} {}", e.management_error_id, e.management_id)),
        Tlv::OrganizationExtension(o)
        | Tlv::OrganizationExtensionPropagate(o)
        | Tlv::OrganizationExtensionDoNotPropagate(o) => Some(format_org_extension(o)),
        Tlv::RequestUnicastTransmission(r) => Some(format!(
            "{} int {} dur {}",
            negotiated_type(r.message_type, r.requested_message_type()),
            r.log_inter_message_period,
            r.duration_field
        )),
        Tlv::GrantUnicastTransmission(g) => Some(format!(
            "{} int {} dur {}{}",
            negotiated_type(g.message_type, g.requested_message_type()),
            g.log_inter_message_period,
            g.duration_field,
            if g.renewal_invited { " renew" } else { "" }
        )),
        Tlv::CancelUnicastTransmission(c) => Some(negotiated_type(c.message_type, c.requested_message_type())),
        Tlv::AcknowledgeCancelUnicastTransmission(c) => {
            Some(negotiated_type(c.message_type, c.requested_message_type()))
        }
        Tlv::AlternateTimeOffsetIndicator(a) => Some(format!("key {} {}", a.key_field, a.display_name)),
        Tlv::Authentication(a) => Some(format!("spp {} key {}", a.spp, a.key_id)),
        Tlv::PathTrace(p) => Some(p.path_sequence.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")),
        _ => None,
    };
    match detail {
        Some(d) => format!("{name}({d})"),
        None => name,
    }
}

/// The PTP part of a text line: type, sequenceId, domain, sourcePortIdentity,
/// correctionField (ns), the body's timestamp and fields, and the TLVs.
pub fn format_message(m: &Message) -> String {
    let h = &m.header;
    let mut s = format!(
        "{} seq {} domain {} from {} corr {}",
        m.message_type(),
        h.sequence_id,
        h.domain_number,
        h.source_port_identity,
        h.correction_field
    );
    let _ = match &m.body {
        MessageBody::Sync(b) => write!(s, " ts {}", b.origin_timestamp),
        MessageBody::DelayReq(b) => write!(s, " ts {}", b.origin_timestamp),
        MessageBody::PdelayReq(b) => write!(s, " ts {}", b.origin_timestamp),
        MessageBody::FollowUp(b) => write!(s, " ts {}", b.precise_origin_timestamp),
        MessageBody::DelayResp(b) => write!(s, " ts {} req {}", b.receive_timestamp, b.requesting_port_identity),
        MessageBody::PdelayResp(b) => {
            write!(s, " ts {} req {}", b.request_receipt_timestamp, b.requesting_port_identity)
        }
        MessageBody::PdelayRespFollowUp(b) => {
            write!(s, " ts {} req {}", b.response_origin_timestamp, b.requesting_port_identity)
        }
        MessageBody::Announce(b) => write!(
            s,
            " ts {} gm {} p1 {} class {} acc {} var 0x{:04x} p2 {} steps {} utc {} src {}",
            b.origin_timestamp,
            b.grandmaster_identity,
            b.grandmaster_priority1,
            b.grandmaster_clock_quality.clock_class,
            b.grandmaster_clock_quality.clock_accuracy,
            b.grandmaster_clock_quality.offset_scaled_log_variance,
            b.grandmaster_priority2,
            b.steps_removed,
            b.current_utc_offset,
            b.time_source
        ),
        MessageBody::Signaling(b) => write!(s, " to {}", b.target_port_identity),
        MessageBody::Management(b) => write!(s, " to {}", b.target_port_identity),
    };
    if !m.tlvs.is_empty() {
        let tlvs: Vec<String> = m.tlvs.iter().map(|t| format_tlv(t, &m.body)).collect();
        let _ = write!(s, " [{}]", tlvs.join(", "));
    }
    s
}

/// The text line for a record, or `None` for a frame that is silently not PTP.
pub fn text_line(record: &Record, frame: &Frame<'_>) -> Option<String> {
    let n = record.number;
    let time = format_time(record.time);
    match frame {
        Frame::Ptp { payload, message } => {
            Some(format!("{n} {time} {} {}", format_route(payload), format_message(message)))
        }
        Frame::Undecodable { payload, error } => Some(format!(
            "frame {n}: undecodable: {error} ({time} {}, {} bytes)",
            format_route(payload),
            payload.bytes.len()
        )),
        Frame::NotPtp(reason) => shown_not_ptp(reason).then(|| format!("frame {n}: not PTP: {reason}")),
    }
}

/// Not-PTP frames worth a line: those that could not be looked into at all.
fn shown_not_ptp(reason: &NotPtp) -> bool {
    matches!(reason, NotPtp::Malformed(_) | NotPtp::LinkType(_))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[derive(serde::Serialize)]
struct JsonPacket<'a> {
    frame: usize,
    time: String,
    transport: Transport,
    source: Option<&'a str>,
    destination: Option<&'a str>,
    vlan: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a Message>,
    /// For an undecodable packet: the reason, its length and its bytes in hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<String>,
}

#[derive(serde::Serialize)]
struct JsonNotPtp {
    frame: usize,
    time: String,
    not_ptp: String,
}

/// The JSON line for a record, or `None` for a frame that is silently not PTP.
pub fn json_line(record: &Record, frame: &Frame<'_>) -> Option<String> {
    let time = format_time(record.time);
    let packet = |payload: &'_ PtpPayload<'_>| JsonPacket {
        frame: record.number,
        time: time.clone(),
        transport: payload.transport,
        source: None,
        destination: None,
        vlan: payload.vlan,
        message: None,
        error: None,
        length: None,
        bytes: None,
    };
    let result = match frame {
        Frame::Ptp { payload, message } => serde_json::to_string(&JsonPacket {
            source: payload.source.as_deref(),
            destination: payload.destination.as_deref(),
            message: Some(message),
            ..packet(payload)
        }),
        Frame::Undecodable { payload, error } => serde_json::to_string(&JsonPacket {
            source: payload.source.as_deref(),
            destination: payload.destination.as_deref(),
            error: Some(error.to_string()),
            length: Some(payload.bytes.len()),
            bytes: Some(hex(payload.bytes)),
            ..packet(payload)
        }),
        Frame::NotPtp(reason) if shown_not_ptp(reason) => {
            serde_json::to_string(&JsonNotPtp { frame: record.number, time: time.clone(), not_ptp: reason.to_string() })
        }
        Frame::NotPtp(_) => return None,
    };
    // Serialising plain structs into a string cannot fail; should it ever, say so in-line.
    Some(result.unwrap_or_else(|e| {
        let e = serde_json::to_string(&e.to_string()).unwrap_or_else(|_| "\"?\"".into());
        format!("{{\"frame\":{},\"error\":{e}}}", record.number)
    }))
}

/// Counts over a capture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records read.
    pub frames: usize,
    /// Decoded PTP messages per type, indexed like [`MessageType::ALL`].
    pub counts: [usize; 10],
    /// PTP packets whose message did not decode.
    pub undecodable: usize,
    /// Frames that are not PTP.
    pub not_ptp: usize,
}

impl Summary {
    pub fn add(&mut self, frame: &Frame<'_>) {
        self.frames += 1;
        match frame {
            Frame::Ptp { message, .. } => {
                let t = message.message_type();
                if let Some(i) = MessageType::ALL.iter().position(|x| *x == t) {
                    if let Some(c) = self.counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
            Frame::Undecodable { .. } => self.undecodable += 1,
            Frame::NotPtp(_) => self.not_ptp += 1,
        }
    }

    /// Decoded messages of type `t`.
    pub fn count(&self, t: MessageType) -> usize {
        MessageType::ALL.iter().position(|x| *x == t).and_then(|i| self.counts.get(i)).copied().unwrap_or(0)
    }

    /// Decoded PTP messages of all types.
    pub fn ptp_packets(&self) -> usize {
        self.counts.iter().sum()
    }

    /// (type, count) for the types seen, in messageType order.
    pub fn seen(&self) -> impl Iterator<Item = (MessageType, usize)> + '_ {
        MessageType::ALL.iter().zip(self.counts.iter()).filter(|(_, c)| **c > 0).map(|(t, c)| (*t, *c))
    }

    /// `--- 171 PTP packets: SYNC 36, ..., ANNOUNCE 21; 0 undecodable, 0 not PTP`
    pub fn text_line(&self) -> String {
        let n = self.ptp_packets();
        let mut s = format!("--- {n} PTP packet{}", if n == 1 { "" } else { "s" });
        let types: Vec<String> = self.seen().map(|(t, c)| format!("{t} {c}")).collect();
        if !types.is_empty() {
            let _ = write!(s, ": {}", types.join(", "));
        }
        let _ = write!(s, "; {} undecodable, {} not PTP", self.undecodable, self.not_ptp);
        s
    }

    /// `{"summary":{"frames":N,"ptp_packets":N,"SYNC":N,...,"undecodable":N,"not_ptp":N}}`,
    /// types in messageType order, only those seen; `"error"` when the capture was cut short.
    pub fn json_line(&self, error: Option<&CaptureError>) -> String {
        let mut s = format!("{{\"summary\":{{\"frames\":{},\"ptp_packets\":{}", self.frames, self.ptp_packets());
        for (t, c) in self.seen() {
            let _ = write!(s, ",\"{t}\":{c}");
        }
        let _ = write!(s, ",\"undecodable\":{},\"not_ptp\":{}", self.undecodable, self.not_ptp);
        if let Some(e) = error {
            let text = serde_json::to_string(&e.to_string()).unwrap_or_else(|_| "\"?\"".into());
            let _ = write!(s, ",\"error\":{text}");
        }
        s.push_str("}}");
        s
    }
}

/// Why a dump stopped.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// The input is not a capture (nothing was written).
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// Writing the output failed (a closed pipe, a full disk).
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
}

/// The end of a dump that read the file.
#[derive(Debug)]
pub struct Outcome {
    pub summary: Summary,
    /// Set when the capture is truncated or damaged after some records: the records before
    /// were printed, and so was the summary.
    pub error: Option<CaptureError>,
}

/// Print every record of the capture in `bytes` and the summary to `out`.
pub fn dump(bytes: &[u8], format: Format, out: &mut dyn io::Write) -> Result<Outcome, DumpError> {
    let (records, error) = capture::read_capture_partial(bytes)?;
    let mut summary = Summary::default();
    for record in &records {
        let frame = decode(record);
        summary.add(&frame);
        let line = match format {
            Format::Text => text_line(record, &frame),
            Format::Json => json_line(record, &frame),
        };
        if let Some(line) = line {
            writeln!(out, "{line}")?;
        }
    }
    match format {
        Format::Text => writeln!(out, "{}", summary.text_line())?,
        Format::Json => writeln!(out, "{}", summary.json_line(error.as_ref()))?,
    }
    out.flush()?;
    Ok(Outcome { summary, error })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ptp_wire::management::{ManagementData, ManagementId, ManagementTlv};
    use ptp_wire::tlv::{Authentication, FollowUpInformation, GrantUnicastTransmission, RequestUnicastTransmission};
    use ptp_wire::{
        Announce, ClockIdentity, DelayResp, Management, ManagementAction, PortIdentity, Signaling, Sync, TimeInterval,
        Timestamp,
    };

    fn port(last: u8, n: u16) -> PortIdentity {
        PortIdentity { clock_identity: ClockIdentity([0x02, 0, 0, 0xff, 0xfe, 0, 0x01, last]), port_number: n }
    }

    fn udp4(bytes: &[u8]) -> PtpPayload<'_> {
        PtpPayload {
            transport: Transport::UdpIpv4,
            source: Some("192.0.2.1".into()),
            destination: Some("224.0.1.129".into()),
            vlan: None,
            bytes,
        }
    }

    fn record(number: usize, data: Vec<u8>) -> Record {
        Record { number, time: Duration::new(1_700_000_000, 123_456_789), link_type: 147, data }
    }

    fn sync() -> Message {
        let mut m =
            Message::new(MessageBody::Sync(Sync { origin_timestamp: Timestamp::new(1_700_000_000, 123_000_000) }));
        m.header.sequence_id = 12;
        m.header.source_port_identity = port(1, 1);
        m
    }

    #[test]
    fn time_has_nine_decimals() {
        assert_eq!(format_time(Duration::new(1_700_000_000, 5)), "1700000000.000000005");
        assert_eq!(format_time(Duration::ZERO), "0.000000000");
    }

    #[test]
    fn routes() {
        let mut p = udp4(&[]);
        assert_eq!(format_route(&p), "192.0.2.1 -> 224.0.1.129 UDPv4");
        p.vlan = Some(10);
        assert_eq!(format_route(&p), "192.0.2.1 -> 224.0.1.129 UDPv4 vlan 10");
        let l2 = PtpPayload {
            transport: Transport::L2,
            source: Some("02:00:00:00:01:01".into()),
            destination: None,
            vlan: None,
            bytes: &[],
        };
        assert_eq!(format_route(&l2), "02:00:00:00:01:01 -> ? L2");
        let raw = PtpPayload { transport: Transport::Raw, source: None, destination: None, vlan: None, bytes: &[] };
        assert_eq!(format_route(&raw), "raw");
    }

    #[test]
    fn sync_line() {
        let m = sync();
        let bytes = m.to_bytes().unwrap();
        let rec = record(1, bytes.clone());
        let frame = Frame::Ptp { payload: udp4(&bytes), message: m };
        assert_eq!(
            text_line(&rec, &frame).unwrap(),
            "1 1700000000.123456789 192.0.2.1 -> 224.0.1.129 UDPv4 SYNC seq 12 domain 0 \
             from 020000.fffe.000101-1 corr 0.000 ts 1700000000.123000000"
        );
    }

    #[test]
    fn correction_and_requesting_port() {
        let mut m = Message::new(MessageBody::DelayResp(DelayResp {
            receive_timestamp: Timestamp::new(5, 6),
            requesting_port_identity: port(2, 1),
        }));
        m.header.correction_field = TimeInterval(3 << 16 | 1 << 15);
        m.header.domain_number = 24;
        assert_eq!(
            format_message(&m),
            "DELAY_RESP seq 0 domain 24 from 000000.0000.000000-0 corr 3.500 ts 5.000000006 req 020000.fffe.000102-1"
        );
    }

    #[test]
    fn announce_fields() {
        let mut a = Announce { grandmaster_identity: port(1, 0).clock_identity, ..Default::default() };
        a.grandmaster_priority1 = 100;
        a.grandmaster_priority2 = 128;
        a.grandmaster_clock_quality.clock_class = 248;
        a.grandmaster_clock_quality.clock_accuracy = ptp_wire::ClockAccuracy(0xfe);
        a.grandmaster_clock_quality.offset_scaled_log_variance = 0xffff;
        a.current_utc_offset = 37;
        a.time_source = ptp_wire::TimeSource(0xa0);
        let m = Message::new(MessageBody::Announce(a));
        assert!(format_message(&m).ends_with(
            "ts 0.000000000 gm 020000.fffe.000101 p1 100 class 248 acc unknown var 0xffff p2 128 steps 0 utc 37 \
             src INTERNAL_OSCILLATOR"
        ));
    }

    #[test]
    fn management_tlv_names_action_and_id() {
        let mut m = Message::new(MessageBody::Management(Management {
            target_port_identity: PortIdentity { clock_identity: ClockIdentity([0xff; 8]), port_number: 0xffff },
            starting_boundary_hops: 0,
            boundary_hops: 0,
            action: ManagementAction::GET,
        }));
        m.tlvs.push(Tlv::Management(ManagementTlv {
            management_id: ManagementId::CURRENT_DATA_SET,
            data: ManagementData::Empty,
        }));
        let line = format_message(&m);
        assert!(line.ends_with("to ffffff.ffff.ffffff-65535 [MANAGEMENT(GET CURRENT_DATA_SET)]"), "{line}");
    }

    #[test]
    fn tlv_details() {
        let body = MessageBody::Signaling(Signaling::default());
        let req = Tlv::RequestUnicastTransmission(RequestUnicastTransmission {
            message_type: 0xb,
            log_inter_message_period: -2,
            duration_field: 60,
        });
        assert_eq!(format_tlv(&req, &body), "REQUEST_UNICAST_TRANSMISSION(ANNOUNCE int -2 dur 60)");
        let grant = Tlv::GrantUnicastTransmission(GrantUnicastTransmission {
            message_type: 0x0,
            log_inter_message_period: -3,
            duration_field: 60,
            renewal_invited: true,
        });
        assert_eq!(format_tlv(&grant, &body), "GRANT_UNICAST_TRANSMISSION(SYNC int -3 dur 60 renew)");
        let fup =
            Tlv::OrganizationExtension(OrganizationExtension::FollowUpInformation(FollowUpInformation::default()));
        assert_eq!(format_tlv(&fup, &body), "ORGANIZATION_EXTENSION(FollowUpInformation)");
        let other = Tlv::OrganizationExtension(OrganizationExtension::Other {
            organization_id: [0x00, 0x80, 0xc2],
            organization_sub_type: [0, 0, 9],
            data: vec![],
        });
        assert_eq!(format_tlv(&other, &body), "ORGANIZATION_EXTENSION(0080c2/000009)");
        let auth = Tlv::Authentication(Authentication { spp: 1, sec_param_indicator: 0, key_id: 3, icv: vec![0; 32] });
        assert_eq!(format_tlv(&auth, &body), "AUTHENTICATION(spp 1 key 3)");
        assert_eq!(format_tlv(&Tlv::PtpMonReq, &body), "PTPMON_REQ");
        let unknown = Tlv::Other { tlv_type: ptp_wire::TlvType(0x7777), value: vec![] };
        assert_eq!(format_tlv(&unknown, &body), "0x7777");
    }

    #[test]
    fn several_tlvs_in_brackets() {
        let mut m = Message::new(MessageBody::Signaling(Signaling { target_port_identity: port(2, 1) }));
        for t in [0xb, 0x0] {
            m.tlvs.push(Tlv::CancelUnicastTransmission(ptp_wire::tlv::CancelUnicastTransmission {
                message_type: t,
                flags: 0,
            }));
        }
        assert!(format_message(&m).ends_with(
            "to 020000.fffe.000102-1 [CANCEL_UNICAST_TRANSMISSION(ANNOUNCE), CANCEL_UNICAST_TRANSMISSION(SYNC)]"
        ));
    }

    #[test]
    fn undecodable_line_and_json() {
        let mut bytes = vec![0u8; 44];
        bytes[..4].copy_from_slice(&[0x05, 0x02, 0, 44]);
        let rec = record(9, bytes);
        let frame = decode(&rec);
        let Frame::Undecodable { error, .. } = &frame else { panic!("{frame:?}") };
        assert_eq!(*error, ParseError::UnknownMessageType(5));
        assert_eq!(
            text_line(&rec, &frame).unwrap(),
            "frame 9: undecodable: unknown messageType 0x5 (1700000000.123456789 raw, 44 bytes)"
        );
        let v: serde_json::Value = serde_json::from_str(&json_line(&rec, &frame).unwrap()).unwrap();
        assert_eq!(v["frame"], 9);
        assert_eq!(v["error"], "unknown messageType 0x5");
        assert_eq!(v["length"], 44);
        assert!(v["bytes"].as_str().unwrap().starts_with("0502002c0000"));
        assert_eq!(v["transport"], "raw");
        assert!(v.get("message").is_none());
    }

    #[test]
    fn not_ptp_frames() {
        let rec = Record { number: 3, time: Duration::ZERO, link_type: 1, data: vec![0; 10] };
        let frame = decode(&rec);
        assert!(matches!(frame, Frame::NotPtp(NotPtp::Malformed(_))));
        assert!(text_line(&rec, &frame).unwrap().starts_with("frame 3: not PTP: frame does not decode"));
        let quiet = Frame::NotPtp(NotPtp::EtherType(0x0806));
        assert_eq!(text_line(&rec, &quiet), None);
        assert_eq!(json_line(&rec, &quiet), None);
    }

    #[test]
    fn json_packet_line() {
        let m = sync();
        let bytes = m.to_bytes().unwrap();
        let rec = record(1, bytes.clone());
        let mut payload = udp4(&bytes);
        payload.vlan = Some(7);
        let frame = Frame::Ptp { payload, message: m };
        let v: serde_json::Value = serde_json::from_str(&json_line(&rec, &frame).unwrap()).unwrap();
        assert_eq!(v["frame"], 1);
        assert_eq!(v["time"], "1700000000.123456789");
        assert_eq!(v["transport"], "UDPv4");
        assert_eq!(v["source"], "192.0.2.1");
        assert_eq!(v["destination"], "224.0.1.129");
        assert_eq!(v["vlan"], 7);
        assert_eq!(v["message"]["header"]["message_type"], "SYNC");
        assert_eq!(v["message"]["header"]["sequence_id"], 12);
        assert_eq!(v["message"]["body"]["origin_timestamp"]["seconds"], 1_700_000_000u64);
        assert!(v.get("error").is_none());
    }

    #[test]
    fn summary_lines() {
        let mut s = Summary::default();
        assert_eq!(s.text_line(), "--- 0 PTP packets; 0 undecodable, 0 not PTP");
        let bytes = sync().to_bytes().unwrap();
        s.add(&Frame::Ptp { payload: udp4(&bytes), message: sync() });
        assert_eq!(s.text_line(), "--- 1 PTP packet: SYNC 1; 0 undecodable, 0 not PTP");
        let ann = Message::new(MessageBody::Announce(Announce::default()));
        s.add(&Frame::Ptp { payload: udp4(&bytes), message: ann });
        s.add(&Frame::Ptp { payload: udp4(&bytes), message: sync() });
        s.add(&Frame::Undecodable { payload: udp4(&bytes), error: ParseError::UnsupportedVersion(1) });
        s.add(&Frame::NotPtp(NotPtp::NotPtpPort));
        assert_eq!(s.count(MessageType::Sync), 2);
        assert_eq!(s.text_line(), "--- 3 PTP packets: SYNC 2, ANNOUNCE 1; 1 undecodable, 1 not PTP");
        assert_eq!(
            s.json_line(None),
            r#"{"summary":{"frames":5,"ptp_packets":3,"SYNC":2,"ANNOUNCE":1,"undecodable":1,"not_ptp":1}}"#
        );
        let e = CaptureError::Truncated { records: 5, needed: 60, available: 7 };
        let v: serde_json::Value = serde_json::from_str(&s.json_line(Some(&e))).unwrap();
        assert_eq!(v["summary"]["error"], "file is truncated: record 6 needs 60 bytes, only 7 left");
    }

    #[test]
    fn dump_rejects_non_captures_without_output() {
        let mut out = Vec::new();
        assert!(matches!(dump(b"", Format::Text, &mut out), Err(DumpError::Capture(CaptureError::Empty))));
        assert!(matches!(
            dump(b"hello, world", Format::Json, &mut out),
            Err(DumpError::Capture(CaptureError::BadMagic(_)))
        ));
        assert!(out.is_empty());
    }
}
