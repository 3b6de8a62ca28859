//! Codec timings on real linuxptp packets (hex copied from ../shared/pcaps): `Message::parse`
//! and `Message::emit` for Sync, Follow_Up, Announce, Delay_Resp and a management GET
//! response, and the zero-copy `MessageView` for Sync and Announce.
//!
//! `cargo bench -p ptp-wire --bench codec` prints the time per operation. Each benchmark
//! measures for about two seconds, so the whole run takes well under a minute.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ptp_wire::{Message, MessageView};

/// udpv4-e2e.pcap frame 2: a two-step Sync from ptp4l 4.4.
const SYNC: &str = "0012002c00000200000000000000000000000000020000fffe0001010001000000fd00000000000000000000";
/// gptp.pcap frame 105: a Follow_Up with the 802.1AS Follow_Up information TLV.
const FOLLOW_UP: &str = "1812004c00000000000000000000000000000000020000fffe0001010001000900fd00006b0530453a59b2ad\
     0003001c0080c200000100000000000000000000000000000000000000000000";
/// udpv4-e2e.pcap frame 1: an Announce.
const ANNOUNCE: &str = "0b12004000000000000000000000000000000000020000fffe0001010001000000fe000000000000000000\
     0000250064f8feffff80020000fffe0001010000a0";
/// udpv4-e2e.pcap frame 13: a Delay_Resp.
const DELAY_RESP: &str = "0912003600000000000000000000000000000000020000fffe0001010001000000fd00006b052fb5371049\
     13020000fffe0001020001";
/// management-udpv4-v4.4.pcap frame 26: the RESPONSE to `pmc GET DEFAULT_DATA_SET`.
const MANAGEMENT_RESPONSE: &str =
    "0d12004a00000000000000000000000000000000020000fffe00030100010001007f020000fffe000303\
     0001010102000001001620000100000164f8feffff80020000fffe0003010000";

fn hex(s: &str) -> Vec<u8> {
    let s: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    s.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

const PACKETS: [(&str, &str); 5] = [
    ("sync", SYNC),
    ("follow_up_802_1as", FOLLOW_UP),
    ("announce", ANNOUNCE),
    ("delay_resp", DELAY_RESP),
    ("management_response_default_data_set", MANAGEMENT_RESPONSE),
];

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, h) in PACKETS {
        let bytes = hex(h);
        assert_eq!(Message::parse(&bytes).unwrap().to_bytes().unwrap(), bytes, "{name}");
        g.bench_function(name, |b| b.iter(|| Message::parse(black_box(&bytes))));
    }
    g.finish();
}

fn emit(c: &mut Criterion) {
    let mut g = c.benchmark_group("emit");
    for (name, h) in PACKETS {
        let msg = Message::parse(&hex(h)).unwrap();
        let mut buf = [0u8; 256];
        g.bench_function(name, |b| b.iter(|| black_box(&msg).emit(black_box(&mut buf[..]))));
    }
    g.finish();
}

fn view(c: &mut Criterion) {
    let mut g = c.benchmark_group("view");
    let sync = hex(SYNC);
    g.bench_function("sync", |b| {
        b.iter(|| {
            let v = MessageView::new(black_box(&sync)).unwrap();
            (v.message_type(), v.sequence_id(), v.source_port_identity(), v.correction_field(), v.timestamp())
        })
    });
    let announce = hex(ANNOUNCE);
    g.bench_function("announce", |b| {
        b.iter(|| {
            let v = MessageView::new(black_box(&announce)).unwrap();
            let a = v.announce().unwrap();
            (
                v.sequence_id(),
                v.flag_field(),
                a.grandmaster_priority1(),
                a.grandmaster_clock_quality(),
                a.grandmaster_priority2(),
                a.grandmaster_identity(),
                a.steps_removed(),
            )
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = parse, emit, view
}
criterion_main!(benches);
