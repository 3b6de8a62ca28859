//! `MessageView::new` on arbitrary bytes, then every accessor and the TLV walk, each TLV
//! decoded with `Tlv::parse`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_wire::{MessageView, Tlv};

fuzz_target!(|data: &[u8]| {
    let Ok(v) = MessageView::new(data) else {
        return;
    };
    assert!(v.as_bytes().len() <= data.len());
    assert_eq!(usize::from(v.message_length()), v.as_bytes().len());
    assert!(v.as_bytes().len() >= v.message_type().fixed_len());
    assert_eq!(v.version_ptp(), 2);
    let _ = (v.message_type(), v.major_sdo_id(), v.minor_version_ptp(), v.domain_number(), v.minor_sdo_id());
    let _ = (v.flag_field(), v.correction_field(), v.source_port_identity(), v.sequence_id());
    let _ = (v.control_field(), v.log_message_interval(), v.timestamp(), v.port_identity_field());
    if let Some(a) = v.announce() {
        let _ = (a.current_utc_offset(), a.grandmaster_priority1(), a.grandmaster_clock_quality());
        let _ = (a.grandmaster_priority2(), a.grandmaster_identity(), a.steps_removed(), a.time_source());
    }
    let mut end = v.message_type().fixed_len();
    for raw in v.tlvs() {
        let Ok(raw) = raw else {
            break;
        };
        assert_eq!(raw.offset, end, "TLVs must follow each other");
        end = raw.offset + 4 + raw.value.len();
        assert!(end <= v.as_bytes().len(), "TLV runs past messageLength");
        let _ = Tlv::parse(raw.tlv_type, raw.value);
    }
});
