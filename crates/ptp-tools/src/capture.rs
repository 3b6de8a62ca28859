//! Reading PTP messages out of packet captures (pcap and pcapng).
//!
//! A frame is Ethernet (optionally with one or two 802.1Q/802.1ad tags) carrying either PTP
//! over UDP (IPv4 or IPv6, port 319 or 320) or PTP directly (ethertype 0x88F7); a record of
//! link type USER0 (147) is a raw PTP message, as in the UDS captures. [`ptp_payload`] strips
//! the layers and returns the PTP bytes; anything else is reported as not PTP.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use etherparse::{EtherType, LinkSlice, NetSlice, SlicedPacket, TransportSlice, VlanSlice};
use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::DataLink;

/// Ethertype of PTP over IEEE 802.3 (IEEE 1588-2019 Annex E).
pub const PTP_ETHERTYPE: u16 = 0x88f7;
/// UDP port of PTP event messages.
pub const PTP_EVENT_PORT: u16 = 319;
/// UDP port of PTP general messages.
pub const PTP_GENERAL_PORT: u16 = 320;
/// pcap link type USER0, used for raw PTP messages (linuxptp UDS captures).
pub const LINKTYPE_USER0: u32 = 147;

/// Why a capture file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("not a pcap or pcapng file (magic {0:02x?})")]
    BadMagic([u8; 4]),
    #[error("file too short to be a capture ({0} bytes)")]
    TooShort(usize),
    #[error("capture is damaged after {records} records: {reason}")]
    Damaged { records: usize, reason: String },
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
    let magic: [u8; 4] = bytes.get(..4).and_then(|m| m.try_into().ok()).ok_or(CaptureError::TooShort(bytes.len()))?;
    match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4] | [0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d] => {
            read_pcap(bytes)
        }
        [0x0a, 0x0d, 0x0d, 0x0a] => read_pcapng(bytes),
        m => Err(CaptureError::BadMagic(m)),
    }
}

fn damaged(records: usize, e: impl fmt::Display) -> CaptureError {
    CaptureError::Damaged { records, reason: e.to_string() }
}

fn read_pcap(bytes: &[u8]) -> Result<Vec<Record>, CaptureError> {
    let mut reader = PcapReader::new(bytes).map_err(|e| damaged(0, e))?;
    let link_type = datalink_number(reader.header().datalink);
    let mut out = Vec::new();
    while let Some(p) = reader.next_packet() {
        let p = p.map_err(|e| damaged(out.len(), e))?;
        out.push(Record { number: out.len() + 1, time: p.timestamp, link_type, data: p.data.into_owned() });
    }
    Ok(out)
}

fn read_pcapng(bytes: &[u8]) -> Result<Vec<Record>, CaptureError> {
    let mut reader = PcapNgReader::new(bytes).map_err(|e| damaged(0, e))?;
    let mut out = Vec::new();
    while let Some(block) = reader.next_block() {
        let block = block.map_err(|e| damaged(out.len(), e))?;
        let (interface, time, data) = match block {
            Block::EnhancedPacket(p) => (p.interface_id, p.timestamp, p.data.into_owned()),
            Block::SimplePacket(p) => (0, Duration::ZERO, p.data.into_owned()),
            Block::Packet(p) => (u32::from(p.interface_id), Duration::from_nanos(p.timestamp), p.data.into_owned()),
            _ => continue,
        };
        let link_type = reader
            .interfaces()
            .get(interface as usize)
            .map(|i| datalink_number(i.linktype))
            .ok_or_else(|| damaged(out.len(), format!("packet names unknown interface {interface}")))?;
        out.push(Record { number: out.len() + 1, time, link_type, data });
    }
    Ok(out)
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

/// Strip link, VLAN, IP and UDP layers from a record and return the PTP message bytes.
pub fn ptp_payload(link_type: u32, frame: &[u8]) -> Result<PtpPayload<'_>, NotPtp> {
    match link_type {
        LINKTYPE_USER0 => {
            return Ok(PtpPayload {
                transport: Transport::Raw,
                source: None,
                destination: None,
                vlan: None,
                bytes: frame,
            })
        }
        1 => {}
        other => return Err(NotPtp::LinkType(other)),
    }
    let sliced = SlicedPacket::from_ethernet(frame).map_err(|e| NotPtp::Malformed(e.to_string()))?;
    let vlan = match &sliced.vlan {
        Some(VlanSlice::SingleVlan(v)) => Some(v.vlan_identifier().value()),
        Some(VlanSlice::DoubleVlan(v)) => Some(v.outer().vlan_identifier().value()),
        None => None,
    };
    let (eth_src, eth_dst) = match &sliced.link {
        Some(LinkSlice::Ethernet2(e)) => (Some(mac(e.source())), Some(mac(e.destination()))),
        _ => (None, None),
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
    Ok(PtpPayload { transport: Transport::L2, source: eth_src, destination: eth_dst, vlan, bytes: payload.payload })
}
