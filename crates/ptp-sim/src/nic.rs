//! What a NIC does to PTP frames by itself in the one-step modes, which the simulator does in
//! its place, on the frame's bytes as the hardware does:
//!
//! - one-step Sync (`time_stamping onestep` or `p2p1step`, HWTSTAMP_TX_ONESTEP_SYNC): the
//!   transmit time is written into originTimestamp as the frame leaves;
//! - one-step Pdelay_Resp (`time_stamping p2p1step`, HWTSTAMP_TX_ONESTEP_P2P, in the manner
//!   of TI's PHYTER, which linuxptp's design follows): a received Pdelay_Req has its receive
//!   time t2 taken off its correctionField, ptp4l copies that correction into the
//!   Pdelay_Resp, and the transmit time t3 is added to it as the response leaves, so the
//!   response carries the turnaround t3 - t2. Both times go in as scaled nanoseconds
//!   (ns * 2^16) modulo 2^64, as a 64-bit field wraps; the sum comes out exact.

use std::borrow::Cow;

use ptp_config::enums::TimeStamping;
use ptp_config::Config;
use ptp_engine::time::ClockTime;
use ptp_wire::header::field;
use ptp_wire::{MessageType, HEADER_LEN};

/// Byte range of a Sync's originTimestamp (IEEE 1588-2019 Table 44): 48-bit seconds, then
/// 32-bit nanoseconds.
const ORIGIN_SECONDS: std::ops::Range<usize> = HEADER_LEN..HEADER_LEN + 6;
const ORIGIN_NANOSECONDS: std::ops::Range<usize> = HEADER_LEN + 6..HEADER_LEN + 10;

fn message_type(bytes: &[u8]) -> Option<MessageType> {
    bytes.first().and_then(|b| MessageType::from_nibble(*b))
}

/// `t` in scaled nanoseconds, modulo 2^64.
fn scaled(t: ClockTime) -> i64 {
    (t.as_nanos() << 16) as i64
}

fn add_to_correction(bytes: &mut [u8], delta: i64) {
    if let Some(c) = bytes.get_mut(field::CORRECTION_FIELD) {
        let mut v = [0u8; 8];
        v.copy_from_slice(c);
        c.copy_from_slice(&i64::from_be_bytes(v).wrapping_add(delta).to_be_bytes());
    }
}

/// A one-step event message (the engine's `Transmit::one_step`) leaves at NIC time `t`.
pub fn one_step_transmit(bytes: &mut [u8], t: ClockTime) {
    match message_type(bytes) {
        Some(MessageType::Sync) => {
            // A time before the epoch cannot be written; the frame leaves as it is.
            let Some(ts) = t.to_timestamp() else { return };
            if bytes.len() >= ORIGIN_NANOSECONDS.end {
                bytes[ORIGIN_SECONDS].copy_from_slice(&ts.seconds.to_be_bytes()[2..]);
                bytes[ORIGIN_NANOSECONDS].copy_from_slice(&ts.nanoseconds.to_be_bytes());
            }
        }
        Some(MessageType::PdelayResp) => add_to_correction(bytes, scaled(t)),
        _ => {}
    }
}

/// A frame arrives at NIC time `t` at a node configured with `config`: with
/// `time_stamping p2p1step`, a Pdelay_Req has `t` taken off its correctionField.
pub fn receive<'a>(config: &Config, bytes: &'a [u8], t: ClockTime) -> Cow<'a, [u8]> {
    if message_type(bytes) != Some(MessageType::PdelayReq)
        || bytes.len() < HEADER_LEN
        || config.global_enum::<TimeStamping>() != TimeStamping::P2p1Step
    {
        return Cow::Borrowed(bytes);
    }
    let mut b = bytes.to_vec();
    add_to_correction(&mut b, scaled(t).wrapping_neg());
    Cow::Owned(b)
}

#[cfg(test)]
mod tests {
    use ptp_wire::{Header, Message, MessageBody, PdelayReq, PdelayResp, Sync, TimeInterval, Timestamp};

    use super::*;

    fn cfg(mode: &str) -> Config {
        Config::parse(&format!("[global]\ntime_stamping {mode}\n[eth0]\n"), "t.cfg").unwrap()
    }

    fn bytes(t: MessageType, correction: i64) -> Vec<u8> {
        let mut header = Header::new(t);
        header.correction_field = TimeInterval(correction);
        let body = match t {
            MessageType::Sync => MessageBody::Sync(Sync { origin_timestamp: Timestamp::default() }),
            MessageType::PdelayReq => MessageBody::PdelayReq(PdelayReq { origin_timestamp: Timestamp::default() }),
            _ => MessageBody::PdelayResp(PdelayResp {
                request_receipt_timestamp: Timestamp::default(),
                requesting_port_identity: Default::default(),
            }),
        };
        Message { header, body, tlvs: Vec::new() }.to_bytes().unwrap()
    }

    fn correction(b: &[u8]) -> i64 {
        Message::parse(b).unwrap().header.correction_field.0
    }

    #[test]
    fn turnaround_time_in_the_correction() {
        // 1.7e9 s: far beyond what a correctionField holds; the wrapping sum is still exact.
        let t2 = ClockTime(1_700_000_000_123_456_789);
        let t3 = ClockTime(t2.0 + 25_000);
        let req = bytes(MessageType::PdelayReq, 3 << 16);
        let rx = receive(&cfg("p2p1step"), &req, t2);
        assert_ne!(correction(&rx), 3 << 16);
        // ptp4l copies the request's correction into its one-step response ...
        let mut resp = bytes(MessageType::PdelayResp, correction(&rx));
        one_step_transmit(&mut resp, t3);
        // ... which leaves with the sender's 3 ns plus the turnaround.
        assert_eq!(correction(&resp), (3 + 25_000) << 16);
    }

    #[test]
    fn other_modes_and_messages_pass_unchanged() {
        let t = ClockTime(1_700_000_000_000_000_000);
        let req = bytes(MessageType::PdelayReq, 5);
        for mode in ["hardware", "onestep", "software"] {
            assert!(matches!(receive(&cfg(mode), &req, t), Cow::Borrowed(_)), "{mode}");
        }
        let sync = bytes(MessageType::Sync, 5);
        assert!(matches!(receive(&cfg("p2p1step"), &sync, t), Cow::Borrowed(_)));
        assert!(matches!(receive(&cfg("p2p1step"), &[0x02, 0x12], t), Cow::Borrowed(_)));
    }

    #[test]
    fn one_step_sync_gets_the_transmit_time() {
        let mut sync = bytes(MessageType::Sync, 5);
        one_step_transmit(&mut sync, ClockTime(1_700_000_000_123_456_789));
        let m = Message::parse(&sync).unwrap();
        let MessageBody::Sync(s) = m.body else { unreachable!() };
        assert_eq!(s.origin_timestamp, Timestamp::new(1_700_000_000, 123_456_789));
        assert_eq!(m.header.correction_field, TimeInterval(5));
        // Before the epoch: nothing to write.
        let before = bytes(MessageType::Sync, 5);
        let mut b = before.clone();
        one_step_transmit(&mut b, ClockTime(-1));
        assert_eq!(b, before);
    }
}
