//! Property tests: parse(emit(x)) == x for every message and every typed TLV, and no input
//! (random bytes, random bytes behind a plausible header, mutated valid messages, short output
//! buffers) makes the codec panic.

mod strategies;

use proptest::collection::vec;
use proptest::prelude::*;

use ptp_wire::codec::Writer;
use ptp_wire::header::field;
use ptp_wire::tlv::TLV_HEADER_LEN;
use ptp_wire::{EmitError, ManagementTlv, Message, MessageType, MessageView, ParseError, Tlv, TlvType, HEADER_LEN};

/// Read every accessor of a view and walk its TLVs, decoding each one.
fn exercise_view(v: &MessageView<'_>) {
    let _ = (v.message_type(), v.major_sdo_id(), v.version_ptp(), v.minor_version_ptp(), v.message_length());
    let _ = (v.domain_number(), v.minor_sdo_id(), v.flag_field(), v.correction_field());
    let _ = (v.source_port_identity(), v.sequence_id(), v.control_field(), v.log_message_interval());
    let _ = (v.timestamp(), v.port_identity_field(), v.as_bytes().len());
    if let Some(a) = v.announce() {
        let _ = (a.current_utc_offset(), a.grandmaster_priority1(), a.grandmaster_clock_quality());
        let _ = (a.grandmaster_priority2(), a.grandmaster_identity(), a.steps_removed(), a.time_source());
    }
    for raw in v.tlvs() {
        match raw {
            Ok(raw) => {
                let _ = Tlv::parse(raw.tlv_type, raw.value);
            }
            Err(e) => assert!(matches!(e, ParseError::BadTlvLength { .. }), "{e:?}"),
        }
    }
}

/// If `bytes` parse, re-emitting and re-parsing gives the same message.
fn parse_is_stable(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(v) = MessageView::new(bytes) {
        exercise_view(&v);
    }
    if let Ok(m) = Message::parse(bytes) {
        let again = m.to_bytes().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(Message::parse(&again), Ok(m));
    }
    Ok(())
}

/// Bytes that pass the header checks (version 2, known type, messageLength = buffer length)
/// and then hold random data, so that body and TLV parsing is reached.
fn plausible_message() -> impl Strategy<Value = Vec<u8>> {
    (proptest::sample::select(MessageType::ALL.to_vec()), vec(any::<u8>(), HEADER_LEN..200)).prop_map(|(t, mut b)| {
        b[field::SDO_TYPE] = (b[field::SDO_TYPE] & 0xf0) | t as u8;
        b[field::VERSION] = (b[field::VERSION] & 0xf0) | 2;
        let len = b.len().max(t.fixed_len());
        b.resize(len, 0);
        b[2..4].copy_from_slice(&(len as u16).to_be_bytes());
        b
    })
}

proptest! {
    #[test]
    fn message_round_trips(msg in strategies::message()) {
        let bytes = msg.to_bytes().unwrap();
        prop_assert_eq!(bytes.len(), msg.buffer_len());
        prop_assert_eq!(usize::from(u16::from_be_bytes([bytes[2], bytes[3]])), bytes.len());
        prop_assert_eq!(Message::parse(&bytes), Ok(msg.clone()));
        let v = MessageView::new(&bytes).unwrap();
        prop_assert_eq!(v.message_type(), msg.message_type());
        prop_assert_eq!(v.sequence_id(), msg.header.sequence_id);
        prop_assert_eq!(v.flag_field(), msg.header.flag_field);
        prop_assert_eq!(v.correction_field(), msg.header.correction_field);
        prop_assert_eq!(v.source_port_identity(), msg.header.source_port_identity);
        prop_assert_eq!(v.tlvs().count(), msg.tlvs.len());
        exercise_view(&v);
    }

    #[test]
    fn message_emit_ignores_buffer_contents_and_padding(msg in strategies::message(), junk in any::<u8>(), pad in 0usize..64) {
        let n = msg.buffer_len();
        let mut buf = vec![junk; n + pad];
        prop_assert_eq!(msg.emit(&mut buf), Ok(n));
        prop_assert_eq!(&buf[..n], &msg.to_bytes().unwrap()[..]);
        prop_assert!(buf[n..].iter().all(|b| *b == junk));
        // Ethernet padding after messageLength is ignored.
        prop_assert_eq!(Message::parse(&buf), Ok(msg));
    }

    #[test]
    fn typed_tlv_round_trips(tlv in strategies::non_management_tlv()) {
        let bytes = tlv.to_bytes().unwrap();
        prop_assert_eq!(bytes.len(), tlv.buffer_len());
        let t = TlvType(u16::from_be_bytes([bytes[0], bytes[1]]));
        let len = usize::from(u16::from_be_bytes([bytes[2], bytes[3]]));
        prop_assert_eq!(t, tlv.tlv_type());
        prop_assert_eq!(len, tlv.value_len());
        prop_assert_eq!(len + TLV_HEADER_LEN, bytes.len());
        prop_assert_eq!(Tlv::parse(t, &bytes[TLV_HEADER_LEN..]), Ok(tlv));
    }

    #[test]
    fn simple_management_tlv_round_trips(m in strategies::simple_management_tlv()) {
        let tlv = Tlv::Management(m.clone());
        let bytes = tlv.to_bytes().unwrap();
        prop_assert_eq!(ManagementTlv::parse_value(&bytes[TLV_HEADER_LEN..]), Ok(m));
        prop_assert_eq!(Tlv::parse(TlvType::MANAGEMENT, &bytes[TLV_HEADER_LEN..]), Ok(tlv));
    }

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..300)) {
        parse_is_stable(&bytes)?;
    }

    #[test]
    fn plausible_bytes_never_panic(bytes in plausible_message()) {
        parse_is_stable(&bytes)?;
    }

    #[test]
    fn tlv_parse_of_random_value_never_panics(t in any::<u16>(), value in vec(any::<u8>(), 0..200)) {
        if let Ok(tlv) = Tlv::parse(TlvType(t), &value) {
            // Whatever parsed must emit and parse back to itself.
            let bytes = tlv.to_bytes().unwrap();
            prop_assert_eq!(Tlv::parse(tlv.tlv_type(), &bytes[TLV_HEADER_LEN..]), Ok(tlv));
        }
        let _ = ManagementTlv::parse_value(&value);
    }

    #[test]
    fn typed_tlv_value_of_random_bytes_never_panics(
        t in proptest::sample::select(strategies::TYPED_TLV_TYPES),
        value in vec(any::<u8>(), 0..120),
    ) {
        if let Ok(tlv) = Tlv::parse(t, &value) {
            let bytes = tlv.to_bytes().unwrap();
            prop_assert_eq!(Tlv::parse(t, &bytes[TLV_HEADER_LEN..]), Ok(tlv));
        }
    }

    #[test]
    fn mutated_messages_never_panic(
        msg in strategies::message(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = msg.to_bytes().unwrap();
        for (i, v) in edits {
            let i = i.index(bytes.len());
            bytes[i] = v;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        parse_is_stable(&bytes)?;
    }

    #[test]
    fn emit_into_a_short_buffer_fails_cleanly(msg in strategies::message(), short in any::<prop::sample::Index>()) {
        let n = msg.buffer_len();
        let have = short.index(n);
        let mut buf = vec![0x55u8; have];
        prop_assert_eq!(msg.emit(&mut buf), Err(EmitError::BufferTooSmall { needed: n, available: have }));
    }

    #[test]
    fn tlv_emit_into_a_short_writer_does_not_panic(tlv in strategies::tlv(), short in any::<prop::sample::Index>()) {
        let n = tlv.buffer_len();
        let mut buf = vec![0u8; short.index(n)];
        let mut w = Writer::new(&mut buf);
        prop_assert!(tlv.emit(&mut w).is_ok());
        prop_assert!(w.overflowed());
    }
}
