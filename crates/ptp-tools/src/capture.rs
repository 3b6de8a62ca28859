//! Reading PTP messages out of packet captures (pcap and pcapng).
//!
//! A frame is Ethernet (optionally with one or two 802.1Q/802.1ad tags) carrying either PTP
//! over UDP (IPv4 or IPv6, port 319 or 320) or PTP directly (ethertype 0x88F7); a record of
//! link type USER0 (147) is a raw PTP message, as in the UDS captures. Linux cooked captures
//! (SLL, SLL2: `tcpdump -i any`) and raw IP records are understood too. [`ptp_payload`] strips
//! the layers and returns the PTP bytes; anything else is reported as not PTP.
//!
//! [`read_capture_partial`] keeps the records before a truncation or damage, so that a tool
//! can show them and then report the error.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use etherparse::{EtherType, LinkSlice, NetSlice, SlicedPacket, TransportSlice, VlanSlice};
use pcap_file::pcap::PcapParser;
use pcap_file::pcapng::blocks::interface_description::{InterfaceDescriptionBlock, InterfaceDescriptionOption};
use pcap_file::pcapng::{Block, PcapNgParser};
use pcap_file::{DataLink, Endianness, PcapError};

/// Ethertype of PTP over IEEE 802.3 (IEEE 1588-2019 Annex E).
pub const PTP_ETHERTYPE: u16 = 0x88f7;
/// UDP port of PTP event messages.
pub const PTP_EVENT_PORT: u16 = 319;
/// UDP port of PTP general messages.
pub const PTP_GENERAL_PORT: u16 = 320;
/// pcap link type USER0, used for raw PTP messages (linuxptp UDS captures).
pub const LINKTYPE_USER0: u32 = 147;
/// pcap link type Ethernet.
pub const LINKTYPE_ETHERNET: u32 = 1;
/// pcap link type raw IP (IPv4 or IPv6 by the version nibble).
pub const LINKTYPE_RAW: u32 = 101;
/// pcap link type Linux cooked capture v1 (`tcpdump -i any`, older libpcap).
pub const LINKTYPE_LINUX_SLL: u32 = 113;
/// pcap link type raw IPv4.
pub const LINKTYPE_IPV4: u32 = 228;
/// pcap link type raw IPv6.
pub const LINKTYPE_IPV6: u32 = 229;
/// pcap link type Linux cooked capture v2 (`tcpdump -i any`, libpcap 1.10 and later).
pub const LINKTYPE_LINUX_SLL2: u32 = 276;

/// Why a capture file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("empty file, not a pcap or pcapng capture")]
    Empty,
    #[error("not a pcap or pcapng file (magic {0:02x?})")]
    BadMagic([u8; 4]),
    #[error("file too short to be a capture ({0} bytes)")]
    TooShort(usize),
    /// The magic number is right but the file header (pcap global header, pcapng section
    /// header) is cut short or invalid.
    #[error("bad capture file header: {0}")]
    BadHeader(String),
    /// The file ends inside a record: `records` complete records came before it.
    #[error("file is truncated: record {} needs {needed} bytes, only {available} left", records + 1)]
    Truncated { records: usize, needed: usize, available: usize },
    #[error("capture is damaged after {records} records: {reason}")]
    Damaged { records: usize, reason: String },
}

impl CaptureError {
    /// True for errors found after the file header was read: the records before the damage
    /// are good and can be shown.
    pub fn is_partial(&self) -> bool {
        matches!(self, CaptureError::Truncated { .. } | CaptureError::Damaged { .. })
    }
}

/// One record of a capture.
#[derive(Debug, Clone)]
pub struct Record {
    /// Position in the file, from 1 (as tshark numbers frames).
    pub number: usize,
    /// Capture time since the Unix epoch.
    pub time: Duration,
    /// pcap link type (1 Ethernet, 147 USER0, ...).
    pub link_type: u32,
    pub data: Vec<u8>,
}

/// Read every record of a pcap or pcapng file held in memory.
pub fn read_capture(bytes: &[u8]) -> Result<Vec<Record>, CaptureError> {
    match read_capture_partial(bytes)? {
        (records, None) => Ok(records),
        (_, Some(e)) => Err(e),
    }
}

/// Read the records of a pcap or pcapng file held in memory, keeping those that come before
/// any damage.
///
/// `Err` means the bytes are not a capture at all (bad magic, bad file header); `Ok` holds the
/// good records and, if the file is truncated or damaged further on, the error that stopped
/// the reading (see [`CaptureError::is_partial`]).
pub fn read_capture_partial(bytes: &[u8]) -> Result<(Vec<Record>, Option<CaptureError>), CaptureError> {
    if bytes.is_empty() {
        return Err(CaptureError::Empty);
    }
    let magic: [u8; 4] = bytes.get(..4).and_then(|m| m.try_into().ok()).ok_or(CaptureError::TooShort(bytes.len()))?;
    match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4] | [0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d] => {
            read_pcap(bytes)
        }
        [0x0a, 0x0d, 0x0d, 0x0a] => read_pcapng(bytes),
        m => Err(CaptureError::BadMagic(m)),
    }
}

/// A pcap-file error with its source, if any.
fn describe(e: &PcapError) -> String {
    match std::error::Error::source(e) {
        Some(src) => format!("{e}: {src}"),
        None => e.to_string(),
    }
}

fn bad_header(kind: &str, e: &PcapError) -> CaptureError {
    match e {
        PcapError::IncompleteBuffer => CaptureError::BadHeader(format!("{kind} file header is truncated")),
        e => CaptureError::BadHeader(describe(e)),
    }
}

fn u32_at(bytes: &[u8], at: usize, big_endian: bool) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
}

fn read_pcap(bytes: &[u8]) -> Result<(Vec<Record>, Option<CaptureError>), CaptureError> {
    const RECORD_HEADER_LEN: usize = 16;
    let (mut rest, parser) = PcapParser::new(bytes).map_err(|e| bad_header("pcap", &e))?;
    let header = parser.header();
    let link_type = datalink_number(header.datalink);
    let big_endian = matches!(header.endianness, Endianness::Big);
    let mut out = Vec::new();
    while !rest.is_empty() {
        match parser.next_packet(rest) {
            Ok((rem, p)) => {
                out.push(Record { number: out.len() + 1, time: p.timestamp, link_type, data: p.data.into_owned() });
                rest = rem;
            }
            Err(PcapError::IncompleteBuffer) => {
                // The record header (16 bytes) or its incl_len bytes of data run past the end.
                let needed = u32_at(rest, 8, big_endian)
                    .map_or(RECORD_HEADER_LEN, |incl| RECORD_HEADER_LEN.saturating_add(incl as usize));
                let e = CaptureError::Truncated { records: out.len(), needed, available: rest.len() };
                return Ok((out, Some(e)));
            }
            Err(e) => {
                let records = out.len();
                return Ok((out, Some(CaptureError::Damaged { records, reason: describe(&e) })));
            }
        }
    }
    Ok((out, None))
}
fn read_pcapng(bytes: &[u8]) -> Result<(Vec<Record>, Option<CaptureError>), CaptureError> {
    const BLOCK_HEADER_LEN: usize = 8;
    let (mut rest, mut parser) = PcapNgParser::new(bytes).map_err(|e| bad_header("pcapng", &e))?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let block = match parser.next_block(rest) {
            Ok((rem, block)) => {
                rest = rem;
                block
            }
            Err(PcapError::IncompleteBuffer) => {
                // A block header (type, total length) or its body runs past the end. The
                // length is read in the current section's byte order (only for the message).
                let big_endian = matches!(parser.section().endianness, Endianness::Big);
                let needed = u32_at(rest, 4, big_endian).map_or(BLOCK_HEADER_LEN, |l| l as usize);
                let e = CaptureError::Truncated { records: out.len(), needed, available: rest.len() };
                return Ok((out, Some(e)));
            }
            Err(e) => {
                let records = out.len();
                return Ok((out, Some(CaptureError::Damaged { records, reason: describe(&e) })));
            }
        };
        let (interface, raw_time, data) = match block {
            Block::EnhancedPacket(p) => {
                // pcap-file hands the raw 64-bit timestamp over as nanoseconds; its real unit is
                // the interface's if_tsresol (microseconds by default).
                let raw = u64::try_from(p.timestamp.as_nanos()).unwrap_or(u64::MAX);
                (p.interface_id, Some(raw), p.data.into_owned())
            }
            Block::SimplePacket(p) => (0, None, p.data.into_owned()),
            Block::Packet(p) => (u32::from(p.interface_id), Some(p.timestamp), p.data.into_owned()),
            _ => continue,
        };
        let Some(idb) = parser.interfaces().get(interface as usize) else {
            let records = out.len();
            let reason = format!("packet names unknown interface {interface}");
            return Ok((out, Some(CaptureError::Damaged { records, reason })));
        };
        let time = raw_time.map_or(Duration::ZERO, |raw| pcapng_time(raw, idb));
        out.push(Record { number: out.len() + 1, time, link_type: datalink_number(idb.linktype), data });
    }
    Ok((out, None))
}

/// A pcapng timestamp in units of the interface's if_tsresol (default 10^-6 s), plus its
/// if_tsoffset seconds, as time since the Unix epoch.
fn pcapng_time(raw: u64, idb: &InterfaceDescriptionBlock<'_>) -> Duration {
    let mut resolution = 6u8;
    let mut offset = 0u64;
    for option in &idb.options {
        match option {
            InterfaceDescriptionOption::IfTsResol(r) => resolution = *r,
            InterfaceDescriptionOption::IfTsOffset(o) => offset = *o,
            _ => {}
        }
    }
    let exponent = u32::from(resolution & 0x7f);
    // Units per second: 10^n, or 2^n when the high bit is set (clamped where u128 ends; such
    // units are far below a nanosecond anyway).
    let per_second: u128 = if resolution & 0x80 == 0 {
        10u128.checked_pow(exponent).unwrap_or(u128::MAX)
    } else {
        1u128.checked_shl(exponent).unwrap_or(u128::MAX)
    };
    let raw = u128::from(raw);
    let seconds = u64::try_from(raw / per_second).unwrap_or(u64::MAX);
    let nanos = u32::try_from((raw % per_second) * 1_000_000_000 / per_second).unwrap_or(0);
    Duration::new(seconds.saturating_add(offset), nanos)
}

fn datalink_number(d: DataLink) -> u32 {
    u32::from(d)
}

/// How a PTP message travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Transport {
    #[serde(rename = "UDPv4")]
    UdpIpv4,
    #[serde(rename = "UDPv6")]
    UdpIpv6,
    /// IEEE 802.3, ethertype 0x88F7.
    L2,
    /// A raw PTP message with no link layer (USER0 records).
    #[serde(rename = "raw")]
    Raw,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::UdpIpv4 => "UDPv4",
            Transport::UdpIpv6 => "UDPv6",
            Transport::L2 => "L2",
            Transport::Raw => "raw",
        })
    }
}

/// The PTP bytes of a frame and where they came from.
#[derive(Debug, Clone)]
pub struct PtpPayload<'a> {
    pub transport: Transport,
    /// Source address: IP address, or MAC for L2; `None` for raw records.
    pub source: Option<String>,
    pub destination: Option<String>,
    /// VLAN ID of the outermost 802.1Q tag, if any.
    pub vlan: Option<u16>,
    /// The PTP message (for L2 it may carry Ethernet padding after messageLength).
    pub bytes: &'a [u8],
}

/// Why a frame holds no PTP message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotPtp {
    #[error("link type {0} is not supported")]
    LinkType(u32),
    #[error("frame does not decode: {0}")]
    Malformed(String),
    #[error("not PTP (ethertype 0x{0:04x})")]
    EtherType(u16),
    #[error("not PTP (no UDP port 319/320)")]
    NotPtpPort,
}

fn mac(m: [u8; 6]) -> String {
    let [a, b, c, d, e, f] = m;
    format!("{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{f:02x}")
}

/// Length of a Linux "cooked" v2 header (LINKTYPE_LINUX_SLL2).
const SLL2_HEADER_LEN: usize = 20;

/// The link-layer addresses a frame names: (source, destination).
type LinkAddresses = (Option<String>, Option<String>);

/// Slice a record of `link_type` into its layers.
fn slice_frame(link_type: u32, frame: &[u8]) -> Result<(SlicedPacket<'_>, LinkAddresses), NotPtp> {
    let malformed = |e: etherparse::err::packet::SliceError| NotPtp::Malformed(e.to_string());
    match link_type {
        LINKTYPE_ETHERNET => {
            let sliced = SlicedPacket::from_ethernet(frame).map_err(malformed)?;
            let addresses = match &sliced.link {
                Some(LinkSlice::Ethernet2(e)) => (Some(mac(e.source())), Some(mac(e.destination()))),
                _ => (None, None),
            };
            Ok((sliced, addresses))
        }
        LINKTYPE_LINUX_SLL => {
            let sliced = SlicedPacket::from_linux_sll(frame).map_err(malformed)?;
            let source = match &sliced.link {
                Some(LinkSlice::LinuxSll(l)) => link_address(l.sender_address()),
                _ => None,
            };
            Ok((sliced, (source, None)))
        }
        LINKTYPE_LINUX_SLL2 => {
            // protocol (2), reserved (2), ifindex (4), hatype (2), pkttype (1), halen (1),
            // address (8), then the payload.
            let header = frame
                .get(..SLL2_HEADER_LEN)
                .ok_or_else(|| NotPtp::Malformed(format!("SLL2 header needs {SLL2_HEADER_LEN} bytes")))?;
            let protocol = u16::from_be_bytes([header[0], header[1]]);
            let address_len = usize::from(header[11]).min(8);
            let source = link_address(&header[12..12 + address_len]);
            let payload = &frame[SLL2_HEADER_LEN..];
            let sliced = SlicedPacket::from_ether_type(EtherType(protocol), payload).map_err(malformed)?;
            Ok((sliced, (source, None)))
        }
        LINKTYPE_RAW | LINKTYPE_IPV4 | LINKTYPE_IPV6 => {
            Ok((SlicedPacket::from_ip(frame).map_err(malformed)?, (None, None)))
        }
        other => Err(NotPtp::LinkType(other)),
    }
}

/// A link-layer address as text: a MAC for six octets, hex otherwise; `None` when empty.
fn link_address(a: &[u8]) -> Option<String> {
    match <[u8; 6]>::try_from(a) {
        Ok(m) => Some(mac(m)),
        Err(_) if a.is_empty() => None,
        Err(_) => Some(a.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")),
    }
}

/// Strip link, VLAN, IP and UDP layers from a record and return the PTP message bytes.
///
/// Link types: Ethernet (1), USER0 (147, a raw PTP message), Linux cooked captures SLL (113)
/// and SLL2 (276, what `tcpdump -i any` writes) and raw IP (101, 228, 229).
pub fn ptp_payload(link_type: u32, frame: &[u8]) -> Result<PtpPayload<'_>, NotPtp> {
    if link_type == LINKTYPE_USER0 {
        return Ok(PtpPayload { transport: Transport::Raw, source: None, destination: None, vlan: None, bytes: frame });
    }
    let (sliced, (link_src, link_dst)) = slice_frame(link_type, frame)?;
    let vlan = match &sliced.vlan {
        Some(VlanSlice::SingleVlan(v)) => Some(v.vlan_identifier().value()),
        Some(VlanSlice::DoubleVlan(v)) => Some(v.outer().vlan_identifier().value()),
        None => None,
    };
    if let Some(TransportSlice::Udp(udp)) = &sliced.transport {
        let ports = [udp.source_port(), udp.destination_port()];
        if !ports.iter().any(|p| *p == PTP_EVENT_PORT || *p == PTP_GENERAL_PORT) {
            return Err(NotPtp::NotPtpPort);
        }
        let (transport, src, dst): (Transport, IpAddr, IpAddr) = match &sliced.net {
            Some(NetSlice::Ipv4(ip)) => {
                (Transport::UdpIpv4, ip.header().source_addr().into(), ip.header().destination_addr().into())
            }
            Some(NetSlice::Ipv6(ip)) => {
                (Transport::UdpIpv6, ip.header().source_addr().into(), ip.header().destination_addr().into())
            }
            None => return Err(NotPtp::Malformed("UDP without IP".into())),
        };
        return Ok(PtpPayload {
            transport,
            source: Some(src.to_string()),
            destination: Some(dst.to_string()),
            vlan,
            bytes: udp.payload(),
        });
    }
    if sliced.net.is_some() {
        return Err(NotPtp::NotPtpPort);
    }
    let payload = sliced.ether_payload().ok_or_else(|| NotPtp::Malformed("no Ethernet payload".into()))?;
    if payload.ether_type != EtherType(PTP_ETHERTYPE) {
        return Err(NotPtp::EtherType(payload.ether_type.0));
    }
    Ok(PtpPayload { transport: Transport::L2, source: link_src, destination: link_dst, vlan, bytes: payload.payload })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idb(options: Vec<InterfaceDescriptionOption<'static>>) -> InterfaceDescriptionBlock<'static> {
        InterfaceDescriptionBlock { linktype: DataLink::ETHERNET, snaplen: 0, options }
    }

    #[test]
    fn pcapng_timestamp_units() {
        // Default: microseconds.
        assert_eq!(pcapng_time(1_700_000_000_123_456, &idb(vec![])), Duration::new(1_700_000_000, 123_456_000));
        let ns = idb(vec![InterfaceDescriptionOption::IfTsResol(9)]);
        assert_eq!(pcapng_time(1_700_000_000_123_456_789, &ns), Duration::new(1_700_000_000, 123_456_789));
        // 2^-10 s units, and an offset of 100 s.
        let bin =
            idb(vec![InterfaceDescriptionOption::IfTsResol(0x80 | 10), InterfaceDescriptionOption::IfTsOffset(100)]);
        assert_eq!(pcapng_time(3 * 1024 + 512, &bin), Duration::new(103, 500_000_000));
        // Absurd resolutions do not overflow.
        let _ = pcapng_time(u64::MAX, &idb(vec![InterfaceDescriptionOption::IfTsResol(0x7f)]));
        let _ = pcapng_time(u64::MAX, &idb(vec![InterfaceDescriptionOption::IfTsResol(0xff)]));
        let _ = pcapng_time(u64::MAX, &idb(vec![InterfaceDescriptionOption::IfTsResol(0)]));
    }

    const PTP: [u8; 4] = [0x00, 0x12, 0x00, 0x2c];

    #[test]
    fn linux_cooked_captures() {
        // SLL: packet type, ARPHRD_ETHER, address length 6, address (8), protocol.
        let mut sll = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 1, 1, 0, 0, 0x88, 0xf7];
        sll.extend_from_slice(&PTP);
        let p = ptp_payload(LINKTYPE_LINUX_SLL, &sll).unwrap();
        assert_eq!(p.transport, Transport::L2);
        assert_eq!(p.source.as_deref(), Some("02:00:00:00:01:01"));
        assert_eq!(p.destination, None);
        assert_eq!(p.bytes, PTP);
        // SLL2: protocol, reserved, ifindex, ARPHRD_ETHER, packet type, address length 6,
        // address (8).
        let mut sll2 = vec![0x88, 0xf7, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 1, 2, 0, 0];
        sll2.extend_from_slice(&PTP);
        let p = ptp_payload(LINKTYPE_LINUX_SLL2, &sll2).unwrap();
        assert_eq!(p.transport, Transport::L2);
        assert_eq!(p.source.as_deref(), Some("02:00:00:00:01:02"));
        assert_eq!(p.bytes, PTP);
        assert!(matches!(ptp_payload(LINKTYPE_LINUX_SLL2, &sll2[..10]), Err(NotPtp::Malformed(_))));
    }

    #[test]
    fn raw_ip_link_types() {
        let builder = etherparse::PacketBuilder::ipv4([192, 0, 2, 1], [224, 0, 1, 129], 1).udp(320, 320);
        let mut frame = Vec::new();
        builder.write(&mut frame, &PTP).unwrap();
        for lt in [LINKTYPE_RAW, LINKTYPE_IPV4] {
            let p = ptp_payload(lt, &frame).unwrap();
            assert_eq!(p.transport, Transport::UdpIpv4);
            assert_eq!(p.source.as_deref(), Some("192.0.2.1"));
            assert_eq!(p.destination.as_deref(), Some("224.0.1.129"));
            assert_eq!(p.bytes, PTP);
        }
        assert_eq!(ptp_payload(105, &frame).unwrap_err(), NotPtp::LinkType(105));
    }

    /// A little-endian pcap header (microseconds, snaplen 65535, Ethernet) and records.
    fn pcap_file(records: &[(u32, &[u8])]) -> Vec<u8> {
        let mut v = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
        for (incl_len, data) in records {
            v.extend_from_slice(&[0; 8]);
            v.extend_from_slice(&incl_len.to_le_bytes());
            v.extend_from_slice(&incl_len.to_le_bytes());
            v.extend_from_slice(data);
        }
        v
    }

    #[test]
    fn partial_reads_keep_the_good_records() {
        let good = pcap_file(&[(4, &[1, 2, 3, 4]), (2, &[5, 6])]);
        let (records, error) = read_capture_partial(&good).unwrap();
        assert_eq!(records.len(), 2);
        assert!(error.is_none());
        assert_eq!(records[1].number, 2);
        assert_eq!(records[1].data, [5, 6]);

        let (records, error) = read_capture_partial(&good[..good.len() - 1]).unwrap();
        assert_eq!(records.len(), 1);
        let error = error.unwrap();
        assert!(error.is_partial());
        assert_eq!(error.to_string(), "file is truncated: record 2 needs 18 bytes, only 17 left");
        assert!(read_capture(&good[..good.len() - 1]).is_err());

        // A record longer than the snapshot length is damage, not truncation.
        let damaged = pcap_file(&[(4, &[1, 2, 3, 4]), (70_000, &[0; 70_000])]);
        let (records, error) = read_capture_partial(&damaged).unwrap();
        assert_eq!(records.len(), 1);
        let text = error.unwrap().to_string();
        assert!(text.starts_with("capture is damaged after 1 records: "), "{text}");

        assert!(matches!(read_capture_partial(&good[..20]), Err(CaptureError::BadHeader(_))));
        assert!(matches!(read_capture_partial(&[]), Err(CaptureError::Empty)));
        assert!(matches!(read_capture_partial(b"GIF89a"), Err(CaptureError::BadMagic(_))));
    }
}
