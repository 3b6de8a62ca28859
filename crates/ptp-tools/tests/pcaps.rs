//! Golden test against real linuxptp traffic (../shared/pcaps): every PTP packet of every
//! capture decodes, re-encodes to the identical bytes, and the per-type and per-TLV counts
//! equal the tshark-made tables counts.tsv and tlvs.tsv.

mod common;

use std::collections::BTreeMap;

use ptp_tools::capture::{ptp_payload, read_capture};
use ptp_wire::{Message, MessageView, Tlv};

/// tlvs.tsv writes TLV types as `NAME(0xHHHH)`.
fn tlv_label(t: &Tlv) -> String {
    let ty = t.tlv_type();
    format!("{}(0x{:04X})", ty, ty.0)
}

#[test]
fn every_capture_round_trips_and_matches_the_counts() {
    let expected = common::expected_counts();
    let mut expected_tlvs: BTreeMap<String, BTreeMap<(String, String), usize>> = BTreeMap::new();
    for r in common::tsv_rows("tlvs.tsv") {
        expected_tlvs.entry(r[0].clone()).or_default().insert((r[1].clone(), r[2].clone()), r[3].parse().unwrap());
    }
    let totals: BTreeMap<String, usize> =
        common::tsv_rows("totals.tsv").into_iter().map(|r| (r[0].clone(), r[3].parse().unwrap())).collect();

    let files = common::capture_files();
    assert!(files.len() >= 40, "expected the shipped captures, found {}", files.len());
    let mut seen = Vec::new();
    let mut total_packets = 0usize;
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let bytes = std::fs::read(path).unwrap();
        let records = read_capture(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut tlvs: BTreeMap<(String, String), usize> = BTreeMap::new();
        for rec in &records {
            let p = ptp_payload(rec.link_type, &rec.data).unwrap_or_else(|e| panic!("{name} #{}: {e}", rec.number));
            let msg = Message::parse(p.bytes).unwrap_or_else(|e| panic!("{name} #{}: {e}", rec.number));
            let len = MessageView::new(p.bytes).unwrap().message_length() as usize;
            let original = &p.bytes[..len];
            let emitted = msg.to_bytes().unwrap();
            assert_eq!(emitted, original, "{name} #{}: re-encoded bytes differ\n{msg:#?}", rec.number);
            assert_eq!(Message::parse(&emitted).unwrap(), msg, "{name} #{}", rec.number);
            let t = msg.message_type().name().to_owned();
            for tlv in &msg.tlvs {
                *tlvs.entry((t.clone(), tlv_label(tlv))).or_default() += 1;
            }
            *counts.entry(t).or_default() += 1;
        }
        total_packets += records.len();
        assert_eq!(Some(&records.len()), totals.get(&name), "{name}: PTP packet total");
        assert_eq!(Some(&counts), expected.get(&name), "{name}: per-type counts differ from counts.tsv");
        assert_eq!(&tlvs, expected_tlvs.get(&name).unwrap_or(&BTreeMap::new()), "{name}: TLV counts differ");
        seen.push(name);
    }
    // No capture may be skipped: every file named in counts.tsv was read, and vice versa.
    let listed: Vec<String> = expected.keys().cloned().collect();
    seen.sort();
    assert_eq!(seen, listed);
    println!("{} captures, {} PTP packets round-tripped byte for byte", seen.len(), total_packets);
}
