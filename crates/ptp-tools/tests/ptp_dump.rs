//! The `ptp-dump` binary against the golden captures (../shared/pcaps) and against broken
//! input: every capture's per-type counts equal counts.tsv in text and JSON mode, known packets
//! print as expected, pcapng gives the same output as pcap, and truncated, garbage, empty and
//! missing files end with a clear message and a non-zero exit, never a panic.

mod common;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapParser, PcapWriter};
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{InterfaceDescriptionBlock, InterfaceDescriptionOption};
use pcap_file::pcapng::{PcapNgBlock, PcapNgWriter};
use pcap_file::DataLink;
use ptp_tools::dump::{self, Format};
use serde_json::Value;

fn ptp_dump(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ptp-dump")).args(args).output().expect("run ptp-dump")
}

fn run(file: &Path, json: bool) -> Output {
    if json {
        ptp_dump(&["--json".as_ref(), file.as_os_str()])
    } else {
        ptp_dump(&[file.as_os_str()])
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn pcap(name: &str) -> PathBuf {
    common::pcaps_dir().join(name)
}

/// A scratch file under Cargo's per-target temporary directory.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ptp_dump");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Parse the text summary line `--- N PTP packets: A 1, B 2; U undecodable, M not PTP`.
fn parse_text_summary(line: &str) -> (usize, BTreeMap<String, usize>, usize, usize) {
    let rest = line.strip_prefix("--- ").unwrap_or_else(|| panic!("not a summary line: {line}"));
    let (head, tail) = rest.split_once("; ").unwrap();
    let (total, types) = match head.split_once(": ") {
        Some((t, types)) => (t, types),
        None => (head, ""),
    };
    let total: usize = total.split(' ').next().unwrap().parse().unwrap();
    let mut counts = BTreeMap::new();
    for item in types.split(", ").filter(|s| !s.is_empty()) {
        let (name, n) = item.split_once(' ').unwrap();
        counts.insert(name.to_owned(), n.parse().unwrap());
    }
    let (undecodable, not_ptp) = tail.split_once(", ").unwrap();
    let undecodable = undecodable.strip_suffix(" undecodable").unwrap().parse().unwrap();
    let not_ptp = not_ptp.strip_suffix(" not PTP").unwrap().parse().unwrap();
    (total, counts, undecodable, not_ptp)
}

/// The JSON lines of a run: (packet objects, the summary object).
fn json_lines(out: &str) -> (Vec<Value>, Value) {
    let mut values: Vec<Value> =
        out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}"))).collect();
    let summary = values.pop().expect("a summary line");
    assert!(summary.get("summary").is_some(), "last line is not the summary: {summary}");
    (values, summary)
}

const TYPE_NAMES: [&str; 10] = [
    "SYNC",
    "DELAY_REQ",
    "PDELAY_REQ",
    "PDELAY_RESP",
    "FOLLOW_UP",
    "DELAY_RESP",
    "PDELAY_RESP_FOLLOW_UP",
    "ANNOUNCE",
    "SIGNALING",
    "MANAGEMENT",
];

/// Per-type counts of a summary object (the upper-case keys).
fn summary_counts(summary: &Value) -> BTreeMap<String, usize> {
    let obj = summary["summary"].as_object().unwrap();
    let counts: BTreeMap<String, usize> = obj
        .iter()
        .filter(|(k, _)| k.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap() as usize))
        .collect();
    for k in counts.keys() {
        assert!(TYPE_NAMES.contains(&k.as_str()), "unknown type {k} in summary");
    }
    counts
}

#[test]
fn every_capture_in_json_matches_counts_tsv() {
    let expected = common::expected_counts();
    let files = common::capture_files();
    assert!(files.len() >= 40, "expected the shipped captures, found {}", files.len());
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let o = run(path, true);
        assert!(o.status.success(), "{name}: exit {:?}, stderr {}", o.status, stderr(&o));
        assert!(o.stderr.is_empty(), "{name}: {}", stderr(&o));
        let (packets, summary) = json_lines(&stdout(&o));
        let mut counted: BTreeMap<String, usize> = BTreeMap::new();
        for (i, p) in packets.iter().enumerate() {
            assert!(p.get("error").is_none(), "{name}: undecodable packet {p}");
            assert_eq!(p["frame"], i + 1, "{name}: frames in order, none skipped");
            for key in ["time", "transport", "source", "destination", "vlan", "message"] {
                assert!(p.get(key).is_some(), "{name}: no {key} in {p}");
            }
            let t = p["message"]["header"]["message_type"].as_str().unwrap().to_owned();
            *counted.entry(t).or_default() += 1;
        }
        let want = expected.get(&name).unwrap_or_else(|| panic!("{name} not in counts.tsv"));
        assert_eq!(&counted, want, "{name}: counted from the packet lines");
        assert_eq!(&summary_counts(&summary), want, "{name}: summary object");
        let s = &summary["summary"];
        assert_eq!(s["undecodable"], 0, "{name}");
        assert_eq!(s["not_ptp"], 0, "{name}");
        assert_eq!(s["ptp_packets"], packets.len(), "{name}");
        assert_eq!(s["frames"], packets.len(), "{name}");
        assert!(s.get("error").is_none(), "{name}");
    }
}

#[test]
fn every_capture_in_text_matches_counts_tsv() {
    let expected = common::expected_counts();
    for path in common::capture_files() {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let o = run(&path, false);
        assert!(o.status.success(), "{name}: exit {:?}, stderr {}", o.status, stderr(&o));
        let out = stdout(&o);
        let lines: Vec<&str> = out.lines().collect();
        let (total, counts, undecodable, not_ptp) = parse_text_summary(lines.last().unwrap());
        assert_eq!(&counts, expected.get(&name).unwrap(), "{name}: summary line");
        assert_eq!((undecodable, not_ptp), (0, 0), "{name}");
        assert_eq!(total, lines.len() - 1, "{name}: one line per packet");
        // Types in messageType order.
        let order: Vec<usize> =
            counts.keys().map(|k| TYPE_NAMES.iter().position(|t| t == k).unwrap()).collect::<Vec<_>>();
        let in_line: Vec<usize> = lines
            .last()
            .unwrap()
            .split([':', ';', ','])
            .filter_map(|w| TYPE_NAMES.iter().position(|t| w.trim().split(' ').next() == Some(*t)))
            .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(in_line, sorted, "{name}: summary types in messageType order");
        // Every packet line is numbered and names its type after the route.
        for (i, l) in lines[..lines.len() - 1].iter().enumerate() {
            assert!(l.starts_with(&format!("{} ", i + 1)), "{name}: {l}");
            assert!(TYPE_NAMES.iter().any(|t| l.contains(&format!(" {t} seq "))), "{name}: {l}");
        }
    }
}

#[test]
fn known_packets_print_as_expected() {
    let o = run(&pcap("udpv4-e2e.pcap"), false);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "1 1795502005.302438000 192.0.2.1 -> 224.0.1.129 UDPv4 ANNOUNCE seq 0 domain 0 from 020000.fffe.000101-1 \
         corr 0.000 ts 0.000000000 gm 020000.fffe.000101 p1 100 class 248 acc unknown var 0xffff p2 128 steps 0 \
         utc 37 src INTERNAL_OSCILLATOR"
    );
    assert_eq!(
        lines[1],
        "2 1795502005.426408000 192.0.2.1 -> 224.0.1.129 UDPv4 SYNC seq 0 domain 0 from 020000.fffe.000101-1 \
         corr 0.000 ts 0.000000000"
    );
    assert_eq!(
        lines[2],
        "3 1795502005.426494000 192.0.2.1 -> 224.0.1.129 UDPv4 FOLLOW_UP seq 0 domain 0 from 020000.fffe.000101-1 \
         corr 0.000 ts 1795502005.426406837"
    );
    assert_eq!(
        lines[170],
        "171 1795502010.483024000 192.0.2.1 -> 224.0.1.129 UDPv4 DELAY_RESP seq 33 domain 0 \
         from 020000.fffe.000101-1 corr 0.000 ts 1795502010.482994806 req 020000.fffe.000102-1"
    );
    assert_eq!(
        lines[171],
        "--- 171 PTP packets: SYNC 41, DELAY_REQ 34, FOLLOW_UP 41, DELAY_RESP 34, ANNOUNCE 21; 0 undecodable, 0 not PTP"
    );

    // The same packets in JSON.
    let (packets, _) = json_lines(&stdout(&run(&pcap("udpv4-e2e.pcap"), true)));
    let first = &packets[0];
    assert_eq!(first["frame"], 1);
    assert_eq!(first["time"], "1795502005.302438000");
    assert_eq!(first["transport"], "UDPv4");
    assert_eq!(first["source"], "192.0.2.1");
    assert_eq!(first["destination"], "224.0.1.129");
    assert_eq!(first["vlan"], Value::Null);
    let h = &first["message"]["header"];
    assert_eq!(h["message_type"], "ANNOUNCE");
    assert_eq!(h["sequence_id"], 0);
    assert_eq!(h["domain_number"], 0);
    assert_eq!(h["source_port_identity"]["clock_identity"], "020000.fffe.000101");
    assert_eq!(h["source_port_identity"]["port_number"], 1);
    assert_eq!(h["log_message_interval"], -2);
    let b = &first["message"]["body"];
    assert_eq!(b["grandmaster_priority1"], 100);
    assert_eq!(b["current_utc_offset"], 37);
    assert_eq!(b["time_source"], "INTERNAL_OSCILLATOR");
    let fup = &packets[2]["message"];
    assert_eq!(fup["header"]["message_type"], "FOLLOW_UP");
    assert_eq!(fup["body"]["precise_origin_timestamp"]["seconds"], 1_795_502_005u64);
    assert_eq!(fup["body"]["precise_origin_timestamp"]["nanoseconds"], 426_406_837u64);
    assert_eq!(packets[1]["message"]["header"]["flag_field"]["set"][0], "twoStep");
}

#[test]
fn vlan_captures_show_the_vlan_id() {
    let out = stdout(&run(&pcap("udpv4-vlan.pcap"), false));
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("1 1795503019.892604000 192.0.2.1 -> 224.0.1.129 UDPv4 vlan 200 ANNOUNCE seq 0 "),
        "{first}"
    );
    let out = stdout(&run(&pcap("l2-vlan-p2p.pcap"), false));
    assert!(out.lines().all(|l| l.starts_with("---") || l.contains(" L2 vlan 100 ")), "{out}");
    let (packets, _) = json_lines(&stdout(&run(&pcap("l2-vlan-p2p.pcap"), true)));
    assert!(packets.iter().all(|p| p["vlan"] == 100 && p["transport"] == "L2"));
}

#[test]
fn management_captures_name_the_management_id() {
    let out = stdout(&run(&pcap("management-udpv4-v4.4.pcap"), false));
    let get = out.lines().find(|l| l.contains("[MANAGEMENT(GET CURRENT_DATA_SET)]")).expect("a GET CURRENT_DATA_SET");
    assert!(get.contains(" UDPv4 MANAGEMENT seq "), "{get}");
    assert!(get.contains(" to ffffff.ffff.ffffff-65535 "), "{get}");
    assert!(out.contains("[MANAGEMENT(RESPONSE CURRENT_DATA_SET)]"));
    // MANAGEMENT_ERROR_STATUS and AUTHENTICATION details.
    let out = stdout(&run(&pcap("auth-l2-e2e-mgmt-spp0-key2.pcap"), false));
    assert!(out.contains("[MANAGEMENT_ERROR_STATUS(NOT_SUPPORTED PRIORITY1), AUTHENTICATION(spp 0 key 2)]"), "{out}");
    // UDS captures: raw PTP, no addresses.
    let out = stdout(&run(&pcap("uds-management-v4.4.pcap"), false));
    let first = out.lines().next().unwrap();
    assert!(first.contains(" raw MANAGEMENT seq "), "{first}");
    // JSON names the management ID in the TLV.
    let (packets, _) = json_lines(&stdout(&run(&pcap("management-udpv4-v4.4.pcap"), true)));
    assert!(packets.iter().any(|p| {
        p["message"]["tlvs"][0]["tlv_type"] == "MANAGEMENT"
            && p["message"]["tlvs"][0]["value"]["management_id"] == "CURRENT_DATA_SET"
    }));
}

#[test]
fn l2_and_tlv_captures() {
    let out = stdout(&run(&pcap("l2-e2e.pcap"), false));
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("1 1795502050.800989000 02:00:00:00:01:01 -> 01:1b:19:00:00:00 L2 ANNOUNCE seq 0 "),
        "{first}"
    );
    let out = stdout(&run(&pcap("gptp.pcap"), false));
    assert!(out
        .lines()
        .any(|l| l.contains(" FOLLOW_UP seq ") && l.ends_with("[ORGANIZATION_EXTENSION(FollowUpInformation)]")));
    assert!(out.contains(" -> 01:80:c2:00:00:0e L2 PDELAY_REQ seq "));
    let out = stdout(&run(&pcap("unicast-udpv4.pcap"), false));
    assert!(out.contains("[REQUEST_UNICAST_TRANSMISSION(ANNOUNCE int -2 dur 10)]"), "{out}");
    assert!(out.contains("[GRANT_UNICAST_TRANSMISSION(ANNOUNCE int -2 dur 10 renew)]"), "{out}");
    let out = stdout(&run(&pcap("alt-time-offset.pcap"), false));
    assert!(out.contains("[ALTERNATE_TIME_OFFSET_INDICATOR(key 0 EST), ALTERNATE_TIME_OFFSET_INDICATOR(key 1 CET-1)]"));
    let out = stdout(&run(&pcap("udpv6-e2e.pcap"), false));
    assert!(out.contains(" 2001:db8::1 -> ff0e::181 UDPv6 SYNC seq "), "{out}");
}

/// Byte offsets where each record of a pcap file starts, and the file's length.
fn record_offsets(bytes: &[u8]) -> Vec<usize> {
    let (mut rest, parser) = PcapParser::new(bytes).unwrap();
    let mut offsets = Vec::new();
    while !rest.is_empty() {
        offsets.push(bytes.len() - rest.len());
        rest = parser.next_packet(rest).unwrap().0;
    }
    offsets
}

#[test]
fn truncated_capture_prints_what_came_before_and_fails() {
    let bytes = std::fs::read(pcap("udpv4-e2e.pcap")).unwrap();
    let offsets = record_offsets(&bytes);
    // Cut in the middle of the data of record 11 (after its 16-byte record header).
    let cut = offsets[10] + 16 + 20;
    let path = scratch("truncated.pcap", &bytes[..cut]);
    let o = run(&path, false);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 11, "{out}");
    assert!(lines[9].starts_with("10 "), "{out}");
    assert_eq!(lines[10], "--- 10 PTP packets: SYNC 4, FOLLOW_UP 4, ANNOUNCE 2; 0 undecodable, 0 not PTP");
    let err = stderr(&o);
    let record_11_len = offsets[11] - offsets[10];
    assert_eq!(
        err.trim_end(),
        format!("ptp-dump: {}: file is truncated: record 11 needs {record_11_len} bytes, only 36 left", path.display())
    );

    // JSON: the same packets, the error in the summary too.
    let o = run(&path, true);
    assert_eq!(o.status.code(), Some(1));
    let (packets, summary) = json_lines(&stdout(&o));
    assert_eq!(packets.len(), 10);
    assert_eq!(summary["summary"]["ptp_packets"], 10);
    assert!(summary["summary"]["error"].as_str().unwrap().starts_with("file is truncated: record 11"));
    assert!(stderr(&o).contains("file is truncated"));

    // Cut inside a record header.
    let path = scratch("truncated-header.pcap", &bytes[..offsets[5] + 7]);
    let o = run(&path, false);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).lines().count(), 6);
    assert!(stderr(&o).contains("file is truncated: record 6 needs 16 bytes, only 7 left"), "{}", stderr(&o));

    // Cut inside the file header: not a capture, nothing printed.
    let path = scratch("truncated-file-header.pcap", &bytes[..10]);
    let o = run(&path, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o).trim_end(),
        format!("ptp-dump: {}: bad capture file header: pcap file header is truncated", path.display())
    );
}

#[test]
fn garbage_empty_and_missing_files_fail_clearly() {
    let path = scratch("garbage.pcap", b"this is not a capture file at all, just text\n");
    let o = run(&path, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(err.starts_with(&format!("ptp-dump: {}: not a pcap or pcapng file", path.display())), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let path = scratch("empty.pcap", b"");
    let o = run(&path, true);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o).trim_end(),
        format!("ptp-dump: {}: empty file, not a pcap or pcapng capture", path.display())
    );

    let path = scratch("short.pcap", b"\xd4\xc3");
    let o = run(&path, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("file too short to be a capture (2 bytes)"));

    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ptp_dump/no-such-file.pcap");
    let o = run(&missing, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(stderr(&o).trim_end(), format!("ptp-dump: {}: No such file or directory", missing.display()));

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let o = run(&dir, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with(&format!("ptp-dump: {}: ", dir.display())));
    assert!(!stderr(&o).contains("panicked"));
}

/// Ethernet + IPv4 + UDP frame from 192.0.2.1 to 192.0.2.2 with the given ports and payload.
fn udp_frame(src_port: u16, dst_port: u16, payload: &[u8]) -> Vec<u8> {
    let builder = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 1, 1], [2, 0, 0, 0, 1, 2])
        .ipv4([192, 0, 2, 1], [192, 0, 2, 2], 64)
        .udp(src_port, dst_port);
    let mut frame = Vec::with_capacity(builder.size(payload.len()));
    builder.write(&mut frame, payload).unwrap();
    frame
}

fn write_pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let header = PcapHeader { datalink: DataLink::ETHERNET, ..Default::default() };
    let mut w = PcapWriter::with_header(Vec::new(), header).unwrap();
    for (i, f) in frames.iter().enumerate() {
        let t = Duration::new(1_700_000_000 + i as u64, 500_000);
        w.write_packet(&PcapPacket::new(t, f.len() as u32, f)).unwrap();
    }
    w.into_writer()
}

#[test]
fn undecodable_packets_are_reported_and_counted() {
    // A real Sync from udpv4-e2e (frame 2), as a UDP payload.
    let real = std::fs::read(pcap("udpv4-e2e.pcap")).unwrap();
    let records = ptp_tools::capture::read_capture(&real).unwrap();
    let sync = ptp_tools::capture::ptp_payload(records[1].link_type, &records[1].data).unwrap().bytes.to_vec();
    let mut bad_type = sync.clone();
    bad_type[0] = 0x05; // messageType 5 is not defined
    let mut bad_version = sync.clone();
    bad_version[1] = 0x01;
    let frames = vec![
        udp_frame(319, 319, &sync),
        udp_frame(319, 319, &bad_type),
        udp_frame(320, 320, &[0xde, 0xad, 0xbe, 0xef]),
        udp_frame(53, 53, b"not PTP"),
        udp_frame(319, 319, &bad_version),
        vec![0u8; 8], // too short to be an Ethernet frame
    ];
    let path = scratch("undecodable.pcap", &write_pcap(&frames));
    let o = run(&path, false);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("1 1700000000.000500000 192.0.2.1 -> 192.0.2.2 UDPv4 SYNC seq 0 "), "{out}");
    assert_eq!(
        lines[1],
        "frame 2: undecodable: unknown messageType 0x5 (1700000001.000500000 192.0.2.1 -> 192.0.2.2 UDPv4, 44 bytes)"
    );
    assert!(lines[2].starts_with("frame 3: undecodable: message too short"), "{out}");
    assert!(lines[3].starts_with("frame 5: undecodable: unsupported versionPTP 1"), "{out}");
    assert!(lines[4].starts_with("frame 6: not PTP: frame does not decode"), "{out}");
    assert_eq!(lines[5], "--- 1 PTP packet: SYNC 1; 3 undecodable, 2 not PTP");
    assert_eq!(lines.len(), 6);

    let o = run(&path, true);
    assert!(o.status.success());
    let (packets, summary) = json_lines(&stdout(&o));
    assert_eq!(packets.len(), 5);
    assert_eq!(packets[1]["frame"], 2);
    assert_eq!(packets[1]["error"], "unknown messageType 0x5");
    assert_eq!(packets[1]["length"], 44);
    assert_eq!(packets[1]["source"], "192.0.2.1");
    assert!(packets[1]["bytes"].as_str().unwrap().starts_with("0512002c"));
    assert!(packets[1].get("message").is_none());
    assert_eq!(packets[4]["frame"], 6);
    assert!(packets[4]["not_ptp"].as_str().unwrap().starts_with("frame does not decode"));
    let s = &summary["summary"];
    assert_eq!((s["frames"].as_u64(), s["ptp_packets"].as_u64()), (Some(6), Some(1)));
    assert_eq!((s["undecodable"].as_u64(), s["not_ptp"].as_u64()), (Some(3), Some(2)));
    assert_eq!(s["SYNC"], 1);
}

/// Re-write a pcap file as pcapng: section header, one interface with the pcap's link type,
/// one enhanced packet block per record. `nanosecond_resolution` writes if_tsresol=9;
/// without it the timestamps are in the default unit, microseconds.
fn to_pcapng(pcap_bytes: &[u8], nanosecond_resolution: bool) -> Vec<u8> {
    let (mut rest, parser) = PcapParser::new(pcap_bytes).unwrap();
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    let options = if nanosecond_resolution { vec![InterfaceDescriptionOption::IfTsResol(9)] } else { vec![] };
    let idb = InterfaceDescriptionBlock { linktype: parser.header().datalink, snaplen: 0xffff, options };
    w.write_block(&idb.into_block()).unwrap();
    while !rest.is_empty() {
        let (rem, p) = parser.next_packet(rest).unwrap();
        rest = rem;
        // pcap-file writes the Duration's nanoseconds as the raw 64-bit timestamp.
        let timestamp =
            if nanosecond_resolution { p.timestamp } else { Duration::from_nanos(p.timestamp.as_micros() as u64) };
        let epb = EnhancedPacketBlock {
            interface_id: 0,
            timestamp,
            original_len: p.orig_len,
            data: Cow::Borrowed(&p.data),
            options: vec![],
        };
        w.write_block(&epb.into_block()).unwrap();
    }
    w.into_inner()
}

#[test]
fn pcapng_gives_the_same_output_as_pcap() {
    let expected = common::expected_counts();
    for name in ["udpv4-e2e.pcap", "l2-vlan-p2p.pcap", "uds-management-v4.4.pcap", "unicast-udpv6.pcap"] {
        let original = std::fs::read(pcap(name)).unwrap();
        let from_pcap = run(&pcap(name), false);
        for ns in [true, false] {
            let ng = to_pcapng(&original, ns);
            assert_eq!(&ng[..4], &[0x0a, 0x0d, 0x0d, 0x0a]);
            let path = scratch(&format!("{name}-{ns}.pcapng"), &ng);
            let o = run(&path, false);
            assert!(o.status.success(), "{name}: {}", stderr(&o));
            // Same lines, same times (the shipped captures have microsecond timestamps).
            assert_eq!(stdout(&o), stdout(&from_pcap), "{name} as pcapng (ns resolution: {ns})");
            let o = run(&path, true);
            let (_, summary) = json_lines(&stdout(&o));
            assert_eq!(&summary_counts(&summary), expected.get(name).unwrap(), "{name} as pcapng");
        }
    }

    // A pcapng cut short: what came before, then the error.
    let ng = to_pcapng(&std::fs::read(pcap("udpv4-e2e.pcap")).unwrap(), true);
    let path = scratch("truncated.pcapng", &ng[..ng.len() - 30]);
    let o = run(&path, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("--- 170 PTP packets"), "{}", stdout(&o));
    assert!(stderr(&o).contains("file is truncated: record 171 needs"), "{}", stderr(&o));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let bytes = std::fs::read(pcap("udpv4-e2e.pcap")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ptp-dump"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &bytes));
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(o.status.success());
    assert!(stdout(&o).ends_with("ANNOUNCE 21; 0 undecodable, 0 not PTP\n"));
}

#[test]
fn closed_stdout_is_not_a_panic() {
    // tc-p2p prints well over a pipe buffer; read one line and hang up, as `| head -1` does.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ptp-dump"))
        .arg(pcap("tc-p2p.pcap"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("1 "));
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "exit {:?}", o.status);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn usage_help_and_version() {
    let o = ptp_dump(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Usage: ptp-dump"));
    let o = ptp_dump(&["--no-such-option".as_ref(), "x.pcap".as_ref()]);
    assert_eq!(o.status.code(), Some(2));
    let o = ptp_dump(&["--help".as_ref()]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("--json"));
    let o = ptp_dump(&["-V".as_ref()]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim_end(), format!("ptp-dump {}", env!("CARGO_PKG_VERSION")));
}

/// Tiny deterministic generator for the damage test (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// In-process: no input makes the dump panic. Every cut of the first records of a pcap and
/// a pcapng, and random byte damage all over them, end in output or an error.
#[test]
fn damaged_input_never_panics() {
    let pcap_bytes = std::fs::read(pcap("auth-l2-e2e-mgmt-spp0-key2.pcap")).unwrap();
    let ng_bytes = to_pcapng(&pcap_bytes, false);
    let mut rng = Lcg(0x5eed);
    for original in [&pcap_bytes, &ng_bytes] {
        for cut in 0..original.len().min(1500) {
            for format in [Format::Text, Format::Json] {
                let mut out = Vec::new();
                let _ = dump::dump(&original[..cut], format, &mut out);
            }
        }
        for _ in 0..400 {
            let mut damaged = original.clone();
            for _ in 0..1 + rng.next() % 8 {
                let at = (rng.next() as usize) % damaged.len();
                damaged[at] = rng.next() as u8;
            }
            let mut out = Vec::new();
            let _ = dump::dump(&damaged, Format::Json, &mut out);
            let _ = dump::dump(&damaged, Format::Text, &mut out);
        }
    }
}
