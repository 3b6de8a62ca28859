//! `Tlv::parse`: the first two bytes are the tlvType, the rest is the value. Whatever parses
//! must emit and parse back to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_wire::{Tlv, TlvType};

fuzz_target!(|data: &[u8]| {
    let [a, b, value @ ..] = data else {
        return;
    };
    let tlv_type = TlvType(u16::from_be_bytes([*a, *b]));
    let Ok(tlv) = Tlv::parse(tlv_type, value) else {
        return;
    };
    assert_eq!(tlv.tlv_type(), tlv_type);
    let Ok(bytes) = tlv.to_bytes() else {
        // Only a value longer than a 16-bit lengthField may fail to emit.
        assert!(value.len() > usize::from(u16::MAX));
        return;
    };
    assert_eq!(bytes.len(), tlv.buffer_len());
    assert_eq!(&bytes[..2], &tlv_type.0.to_be_bytes());
    assert_eq!(usize::from(u16::from_be_bytes([bytes[2], bytes[3]])), bytes.len() - 4);
    assert_eq!(Tlv::parse(tlv_type, &bytes[4..]), Ok(tlv), "parse(emit(x)) != x");
});
