//! Hand-made malformed packets: each is rejected with the ParseError variant that names its
//! fault (a port counts drops by that reason), and bytes after messageLength are ignored.

use ptp_wire::{
    DelayReq, ManagementId, Message, MessageBody, MessageType, MessageView, ParseError, Signaling, Sync, Tlv, TlvType,
    HEADER_LEN,
};

/// A valid message of type `t` with no TLVs and default fields.
fn fixed_part(t: MessageType) -> Vec<u8> {
    let body = match t {
        MessageType::Sync => MessageBody::Sync(Sync::default()),
        MessageType::DelayReq => MessageBody::DelayReq(DelayReq::default()),
        MessageType::PdelayReq => MessageBody::PdelayReq(Default::default()),
        MessageType::PdelayResp => MessageBody::PdelayResp(Default::default()),
        MessageType::FollowUp => MessageBody::FollowUp(Default::default()),
        MessageType::DelayResp => MessageBody::DelayResp(Default::default()),
        MessageType::PdelayRespFollowUp => MessageBody::PdelayRespFollowUp(Default::default()),
        MessageType::Announce => MessageBody::Announce(Default::default()),
        MessageType::Signaling => MessageBody::Signaling(Signaling::default()),
        MessageType::Management => MessageBody::Management(Default::default()),
    };
    let b = Message::new(body).to_bytes().unwrap();
    assert_eq!(b.len(), t.fixed_len());
    b
}

fn set_length(b: &mut [u8], len: usize) {
    b[2..4].copy_from_slice(&(len as u16).to_be_bytes());
}

/// A message of type `t` followed by `tail` (TLV bytes, good or bad), messageLength covering
/// all of it.
fn with_tail(t: MessageType, tail: &[u8]) -> Vec<u8> {
    let mut b = fixed_part(t);
    b.extend_from_slice(tail);
    let n = b.len();
    set_length(&mut b, n);
    b
}

/// tlvType, lengthField (= value length) and value.
fn tlv(t: TlvType, value: &[u8]) -> Vec<u8> {
    let mut v = t.0.to_be_bytes().to_vec();
    v.extend_from_slice(&(value.len() as u16).to_be_bytes());
    v.extend_from_slice(value);
    v
}

/// Message::parse gives `expected`; MessageView::new agrees when the fault is in the fixed part.
fn rejects(bytes: &[u8], expected: ParseError) {
    assert_eq!(Message::parse(bytes), Err(expected), "{bytes:02x?}");
    match expected {
        ParseError::TooShort { .. }
        | ParseError::BadMessageLength { .. }
        | ParseError::UnknownMessageType(_)
        | ParseError::UnsupportedVersion(_) => {
            assert_eq!(MessageView::new(bytes).err(), Some(expected), "view: {bytes:02x?}");
        }
        _ => {
            // The fixed part is fine: the view accepts it and meets the fault in tlvs().
            let v = MessageView::new(bytes).unwrap();
            let first_error = v.tlvs().find_map(|r| match r {
                Err(e) => Some(e),
                Ok(raw) => Tlv::parse(raw.tlv_type, raw.value).err(),
            });
            assert_eq!(first_error, Some(expected), "view tlvs: {bytes:02x?}");
        }
    }
}

/// Tlv::parse of the value alone, and the same TLV inside a Signaling message.
fn rejects_tlv(t: TlvType, value: &[u8], expected: ParseError) {
    assert_eq!(Tlv::parse(t, value), Err(expected), "{t} {value:02x?}");
    rejects(&with_tail(MessageType::Signaling, &tlv(t, value)), expected);
}

// ---------------------------------------------------------------------------------------------
// The header

#[test]
fn shorter_than_the_header() {
    let good = fixed_part(MessageType::Sync);
    for n in 0..HEADER_LEN {
        rejects(&good[..n], ParseError::TooShort { needed: HEADER_LEN, available: n });
    }
    // Length is checked before anything else: a short buffer with a bad version is still short.
    let mut bad = good[..20].to_vec();
    bad[1] = 0x01;
    rejects(&bad, ParseError::TooShort { needed: HEADER_LEN, available: 20 });
}

#[test]
fn unsupported_versions() {
    let good = fixed_part(MessageType::Sync);
    for (octet, version) in [(0x01u8, 1u8), (0x03, 3), (0x11, 1), (0x13, 3), (0x00, 0), (0x0f, 15), (0x20, 0)] {
        let mut b = good.clone();
        b[1] = octet;
        rejects(&b, ParseError::UnsupportedVersion(version));
    }
    // minorVersionPTP (high nibble) does not matter.
    for minor in 0..16u8 {
        let mut b = good.clone();
        b[1] = (minor << 4) | 2;
        assert!(Message::parse(&b).is_ok(), "minorVersionPTP {minor}");
    }
}

#[test]
fn undefined_message_types() {
    let good = fixed_part(MessageType::Announce);
    for nibble in [4u8, 5, 6, 7, 0xe, 0xf] {
        for major_sdo_id in [0u8, 1, 0xf] {
            let mut b = good.clone();
            b[0] = (major_sdo_id << 4) | nibble;
            rejects(&b, ParseError::UnknownMessageType(nibble));
        }
    }
}

#[test]
fn version_is_checked_before_message_type() {
    let mut b = fixed_part(MessageType::Sync);
    b[0] = 0x05;
    b[1] = 0x01;
    rejects(&b, ParseError::UnsupportedVersion(1));
}

// ---------------------------------------------------------------------------------------------
// messageLength

#[test]
fn message_length_larger_than_the_buffer() {
    for t in MessageType::ALL {
        let mut b = fixed_part(t);
        let n = b.len();
        for len in [n + 1, n + 4, 0xffff] {
            set_length(&mut b, len);
            rejects(
                &b,
                ParseError::BadMessageLength { message_length: len as u16, available: n, minimum: t.fixed_len() },
            );
        }
        // A buffer cut inside the fixed body, messageLength still saying the full length.
        let cut = &fixed_part(t)[..n - 1];
        rejects(
            cut,
            ParseError::BadMessageLength { message_length: n as u16, available: n - 1, minimum: t.fixed_len() },
        );
    }
}

#[test]
fn message_length_smaller_than_the_fixed_body() {
    for t in MessageType::ALL {
        let mut b = fixed_part(t);
        let n = b.len();
        for len in [0, 1, HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + 1, t.fixed_len() - 1] {
            set_length(&mut b, len);
            rejects(
                &b,
                ParseError::BadMessageLength { message_length: len as u16, available: n, minimum: t.fixed_len() },
            );
        }
    }
}

#[test]
fn buffer_holding_only_part_of_the_fixed_body() {
    // messageLength agrees with the buffer, but both stop inside the fixed body.
    for t in MessageType::ALL {
        let mut b = fixed_part(t);
        b.truncate(t.fixed_len() - 2);
        set_length(&mut b, t.fixed_len() - 2);
        rejects(
            &b,
            ParseError::BadMessageLength {
                message_length: (t.fixed_len() - 2) as u16,
                available: t.fixed_len() - 2,
                minimum: t.fixed_len(),
            },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// TLV framing

#[test]
fn tlv_length_runs_past_message_length() {
    // REQUEST_UNICAST_TRANSMISSION claims 7 octets but 6 follow.
    let mut tail = tlv(TlvType::REQUEST_UNICAST_TRANSMISSION, &[0xb0, 1, 0, 0, 0, 60]);
    tail[3] = 7;
    let b = with_tail(MessageType::Signaling, &tail);
    rejects(&b, ParseError::BadTlvLength { tlv_type: TlvType::REQUEST_UNICAST_TRANSMISSION, offset: 44, length: 7 });

    // lengthField 0xffff.
    tail[2..4].copy_from_slice(&[0xff, 0xff]);
    let b = with_tail(MessageType::Signaling, &tail);
    rejects(
        &b,
        ParseError::BadTlvLength { tlv_type: TlvType::REQUEST_UNICAST_TRANSMISSION, offset: 44, length: 0xffff },
    );

    // A second TLV overruns after a good first one: the offset names the second.
    let mut tail = tlv(TlvType::PAD, &[0, 0]);
    tail.extend_from_slice(&[0x80, 0x08, 0x00, 0x04, 0, 0]);
    let b = with_tail(MessageType::Announce, &tail);
    rejects(&b, ParseError::BadTlvLength { tlv_type: TlvType::PAD, offset: 64 + 6, length: 4 });
}

#[test]
fn tlv_may_not_reach_into_the_bytes_after_message_length() {
    // The buffer holds the whole TLV, but messageLength stops two octets early: the TLV must
    // not be read from the padding.
    let mut b = with_tail(MessageType::Signaling, &tlv(TlvType::GRANT_UNICAST_TRANSMISSION, &[0; 8]));
    let n = b.len();
    set_length(&mut b, n - 2);
    rejects(&b, ParseError::BadTlvLength { tlv_type: TlvType::GRANT_UNICAST_TRANSMISSION, offset: 44, length: 8 });
}

#[test]
fn stray_bytes_after_the_last_tlv() {
    let good = tlv(TlvType::PTPMON_REQ, &[]);
    for stray in [&[0xab][..], &[0xab, 0xcd], &[0xab, 0xcd, 0xef]] {
        // One octet is not even a tlvType: it is reported as type 0.
        let tlv_type = if stray.len() >= 2 { TlvType(0xabcd) } else { TlvType(0) };
        let mut tail = good.clone();
        tail.extend_from_slice(stray);
        let b = with_tail(MessageType::DelayReq, &tail);
        rejects(&b, ParseError::BadTlvLength { tlv_type, offset: 44 + 4, length: 0 });

        // Straight after the fixed body, with no TLV before.
        let b = with_tail(MessageType::Sync, stray);
        rejects(&b, ParseError::BadTlvLength { tlv_type, offset: 44, length: 0 });
    }
}

#[test]
fn view_tlv_iteration_stops_after_an_error() {
    let mut tail = tlv(TlvType::PAD, &[0; 2]);
    tail.extend_from_slice(&[0x80, 0x08, 0x00, 0x10]);
    tail.extend_from_slice(&tlv(TlvType::PAD, &[0; 2]));
    let b = with_tail(MessageType::Sync, &tail);
    let items: Vec<_> = MessageView::new(&b).unwrap().tlvs().collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(items[1], Err(ParseError::BadTlvLength { tlv_type: TlvType::PAD, offset: 50, length: 0x10 }));
}

// ---------------------------------------------------------------------------------------------
// TLV bodies that do not match their type

fn bad_body(t: TlvType) -> ParseError {
    ParseError::BadTlvBody { tlv_type: t }
}

#[test]
fn truncated_unicast_negotiation_tlvs() {
    let t = TlvType::GRANT_UNICAST_TRANSMISSION;
    rejects_tlv(t, &[0x00, 0xfd, 0, 0, 0, 10], bad_body(t));
    rejects_tlv(t, &[0x00, 0xfd, 0, 0, 0, 10, 0, 1, 0], bad_body(t));
    let t = TlvType::REQUEST_UNICAST_TRANSMISSION;
    rejects_tlv(t, &[0xb0, 1, 0, 0, 0], bad_body(t));
    rejects_tlv(t, &[0xb0, 1, 0, 0, 0, 60, 0], bad_body(t));
    for t in [TlvType::CANCEL_UNICAST_TRANSMISSION, TlvType::ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION] {
        rejects_tlv(t, &[], bad_body(t));
        rejects_tlv(t, &[0xb0], bad_body(t));
        rejects_tlv(t, &[0xb0, 0, 0], bad_body(t));
    }
}

#[test]
fn path_trace_not_a_multiple_of_eight() {
    let t = TlvType::PATH_TRACE;
    for n in [1, 7, 9, 12, 15, 17] {
        rejects_tlv(t, &vec![0x02; n], bad_body(t));
    }
    assert!(Tlv::parse(t, &[0x02; 16]).is_ok());
}

#[test]
fn follow_up_information_of_the_wrong_length() {
    // ORGANIZATION_EXTENSION 00-80-C2/000001 must be exactly 28 octets (linuxptp: bad message).
    let t = TlvType::ORGANIZATION_EXTENSION;
    let mut value = vec![0x00, 0x80, 0xc2, 0x00, 0x00, 0x01];
    value.extend_from_slice(&[0; 22]);
    assert!(Tlv::parse(t, &value).is_ok());
    for n in [26, 27, 29, 30, 6] {
        let mut v = value.clone();
        v.resize(n, 0);
        rejects(&with_tail(MessageType::FollowUp, &tlv(t, &v)), bad_body(t));
        assert_eq!(Tlv::parse(t, &v), Err(bad_body(t)));
    }
    // The same body under the _PROPAGATE and _DO_NOT_PROPAGATE types.
    for t in [TlvType::ORGANIZATION_EXTENSION_PROPAGATE, TlvType::ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE] {
        rejects_tlv(t, &value[..26], bad_body(t));
    }
}

#[test]
fn other_known_organisation_bodies_of_the_wrong_length() {
    let t = TlvType::ORGANIZATION_EXTENSION;
    for (oui, sub, good_len) in [
        ([0x00, 0x80, 0xc2], [0, 0, 2], 12),
        ([0x00, 0x19, 0xa7], [0, 0, 2], 18),
        ([0x1c, 0x12, 0x9d], [0, 0, 1], 18),
        ([0x1c, 0x12, 0x9d], [0, 0, 2], 18),
    ] {
        let mut v = oui.to_vec();
        v.extend_from_slice(&sub);
        v.resize(good_len, 0);
        assert!(Tlv::parse(t, &v).is_ok(), "{oui:02x?}/{sub:02x?}");
        rejects_tlv(t, &v[..good_len - 1], bad_body(t));
        v.push(0);
        rejects_tlv(t, &v, bad_body(t));
    }
    // Shorter than organizationId + organizationSubType.
    for n in 0..6 {
        rejects_tlv(t, &[0x00, 0x80, 0xc2, 0x00, 0x00, 0x09][..n], bad_body(t));
    }
}

#[test]
fn management_tlv_without_a_management_id() {
    let t = TlvType::MANAGEMENT;
    rejects_tlv(t, &[0x20], bad_body(t));
    rejects_tlv(t, &[], bad_body(t));
    rejects(&with_tail(MessageType::Management, &tlv(t, &[0x20])), bad_body(t));
    // Two octets are a managementId with an empty dataField.
    assert!(Tlv::parse(t, &ManagementId::DEFAULT_DATA_SET.0.to_be_bytes()).is_ok());
}

#[test]
fn management_error_status_of_the_wrong_length() {
    let t = TlvType::MANAGEMENT_ERROR_STATUS;
    for v in [&[0u8; 7][..], &[0; 4], &[0; 0]] {
        rejects_tlv(t, v, bad_body(t));
    }
    // displayData whose length octet runs past the value, or is missing its pad octet.
    rejects_tlv(t, &[0, 6, 0x20, 0x05, 0, 0, 0, 0, 5, b'a', b'b'], bad_body(t));
    rejects_tlv(t, &[0, 6, 0x20, 0x05, 0, 0, 0, 0, 2, b'o', b'k'], bad_body(t));
}

#[test]
fn alternate_time_offset_indicator_malformed() {
    let t = TlvType::ALTERNATE_TIME_OFFSET_INDICATOR;
    let mut good = vec![0u8; 15];
    good.extend_from_slice(&[3, b'E', b'S', b'T', 0]);
    assert!(Tlv::parse(t, &good).is_ok());
    rejects_tlv(t, &good[..19], bad_body(t)); // pad octet missing
    rejects_tlv(t, &good[..17], bad_body(t)); // displayName cut
    rejects_tlv(t, &good[..15], bad_body(t)); // no displayName at all
    let mut extra = good.clone();
    extra.extend_from_slice(&[0, 0]);
    rejects_tlv(t, &extra, bad_body(t));
}

#[test]
fn protocol_address_malformed() {
    let t = TlvType::PROTOCOL_ADDRESS;
    rejects_tlv(t, &[0, 1, 0, 4, 192, 0, 2], bad_body(t)); // address cut
    rejects_tlv(t, &[0, 1, 0, 3, 192, 0, 2], bad_body(t)); // odd address without its pad
    rejects_tlv(t, &[0, 1, 0, 4, 192, 0, 2, 1, 0, 0], bad_body(t)); // octets after the address
    rejects_tlv(t, &[0, 1, 0], bad_body(t));
    assert!(Tlv::parse(t, &[0, 1, 0, 3, 192, 0, 2, 0]).is_ok());
}

#[test]
fn fixed_size_tlvs_of_the_wrong_length() {
    for (t, good) in [
        (TlvType::PTPMON_REQ, 0usize),
        (TlvType::ENHANCED_ACCURACY_METRICS, 84),
        (TlvType::PORT_COMMUNICATION_AVAILABILITY, 2),
        (TlvType::CUMULATIVE_RATE_RATIO, 4),
        (TlvType::PTPMON_RESP, 70),
    ] {
        assert!(Tlv::parse(t, &vec![0; good]).is_ok(), "{t}");
        rejects_tlv(t, &vec![0; good + 1], bad_body(t));
        rejects_tlv(t, &vec![0; good + 2], bad_body(t));
        if good > 0 {
            rejects_tlv(t, &vec![0; good - 1], bad_body(t));
        }
    }
}

#[test]
fn l1_sync_neither_basic_nor_extended() {
    let t = TlvType::L1_SYNC;
    assert!(Tlv::parse(t, &[0; 2]).is_ok());
    assert!(Tlv::parse(t, &[0; 40]).is_ok());
    for n in [0, 1, 3, 4, 39, 41, 42] {
        rejects_tlv(t, &vec![0; n], bad_body(t));
    }
}

#[test]
fn record_lists_with_a_partial_record() {
    for (t, head, record) in [
        (TlvType::SLAVE_RX_SYNC_TIMING_DATA, 10, 34),
        (TlvType::SLAVE_RX_SYNC_COMPUTED_DATA, 12, 22),
        (TlvType::SLAVE_TX_EVENT_TIMESTAMPS, 12, 12),
        (TlvType::SLAVE_DELAY_TIMING_DATA_NP, 10, 30),
    ] {
        assert!(Tlv::parse(t, &vec![0; head]).is_ok(), "{t}");
        assert!(Tlv::parse(t, &vec![0; head + 2 * record]).is_ok(), "{t}");
        rejects_tlv(t, &vec![0; head - 1], bad_body(t));
        rejects_tlv(t, &vec![0; head + 1], bad_body(t));
        rejects_tlv(t, &vec![0; head + record - 1], bad_body(t));
        rejects_tlv(t, &vec![0; head + record + 1], bad_body(t));
    }
}

#[test]
fn authentication_shorter_than_its_fixed_fields() {
    let t = TlvType::AUTHENTICATION;
    for n in 0..6 {
        rejects_tlv(t, &vec![0; n], bad_body(t));
    }
    assert!(Tlv::parse(t, &[0; 6]).is_ok());
}

#[test]
fn types_without_a_body_accept_any_length() {
    for t in [TlvType::PAD, TlvType::AUTHENTICATION_2008, TlvType(0x1234), TlvType(0xffff)] {
        for n in [0, 1, 3, 8] {
            let b = with_tail(MessageType::Sync, &tlv(t, &vec![0x5a; n]));
            assert!(Message::parse(&b).is_ok(), "{t} {n}");
        }
    }
}

#[test]
fn first_fault_wins() {
    // A bad body followed by a bad length: the body is reported, as it comes first.
    let mut tail = tlv(TlvType::PATH_TRACE, &[0; 4]);
    tail.extend_from_slice(&[0x00, 0x08, 0x00, 0x40]);
    let b = with_tail(MessageType::Announce, &tail);
    assert_eq!(Message::parse(&b), Err(bad_body(TlvType::PATH_TRACE)));
}

// ---------------------------------------------------------------------------------------------
// Bytes after messageLength

#[test]
fn trailing_bytes_after_message_length_are_ignored() {
    for t in MessageType::ALL {
        let good = fixed_part(t);
        let msg = Message::parse(&good).unwrap();
        for pad in [1usize, 2, 3, 16] {
            for fill in [0x00, 0xff] {
                let mut b = good.clone();
                b.resize(good.len() + pad, fill);
                assert_eq!(Message::parse(&b).as_ref(), Ok(&msg), "{t} + {pad}");
                let v = MessageView::new(&b).unwrap();
                assert_eq!(v.as_bytes(), &good[..]);
                assert_eq!(usize::from(v.message_length()), good.len());
                assert_eq!(v.tlvs().count(), 0);
            }
        }
    }
}

#[test]
fn ethernet_padding_after_a_short_l2_message() {
    // A 44-octet Delay_Req in a minimum Ethernet frame: 46 octets of payload, 2 of padding.
    let mut b = fixed_part(MessageType::DelayReq);
    b.extend_from_slice(&[0, 0]);
    assert_eq!(Message::parse(&b).unwrap().tlvs, vec![]);

    // With a TLV, the padding after messageLength is not taken for another TLV.
    let mut b = with_tail(MessageType::Signaling, &tlv(TlvType::CANCEL_UNICAST_TRANSMISSION, &[0xb0, 0]));
    b.extend_from_slice(&[0x00, 0x04, 0x00]);
    let m = Message::parse(&b).unwrap();
    assert_eq!(m.tlvs.len(), 1);
    assert_eq!(m.to_bytes().unwrap(), &b[..b.len() - 3]);
}
