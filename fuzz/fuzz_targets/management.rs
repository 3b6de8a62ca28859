//! `ManagementTlv::parse_value` on the value of a MANAGEMENT TLV (managementId and dataField);
//! whatever parses must emit and parse back to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_wire::{ManagementTlv, Tlv};

fuzz_target!(|data: &[u8]| {
    let Ok(m) = ManagementTlv::parse_value(data) else {
        return;
    };
    let tlv = Tlv::Management(m.clone());
    let Ok(bytes) = tlv.to_bytes() else {
        assert!(data.len() > usize::from(u16::MAX));
        return;
    };
    assert_eq!(bytes.len(), 4 + m.value_len());
    assert_eq!(ManagementTlv::parse_value(&bytes[4..]), Ok(m), "parse(emit(x)) != x");
});
