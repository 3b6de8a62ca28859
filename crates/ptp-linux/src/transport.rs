//! PTP transports over Linux sockets: UDP/IPv4, UDP/IPv6 and IEEE 802.3 (AF_PACKET), each as
//! an event and a general socket, with SO_TIMESTAMPING receive timestamps and transmit
//! timestamps read from the error queue right after each event send (as ptp4l does).

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use crate::sys::{self, SockAddr, SockFilter, Timespec};

/// linuxptp's `network_transport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// UDPv4.
    UdpIpv4,
    /// UDPv6.
    UdpIpv6,
    /// L2: IEEE 802.3 with ethertype 0x88F7.
    L2,
}

/// linuxptp's `time_stamping`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampMode {
    /// `-S`: SOF_TIMESTAMPING_{TX,RX}_SOFTWARE | SOFTWARE, timestamps in slot 0.
    Software,
    /// `-H`: SIOCSHWTSTAMP (HWTSTAMP_TX_ON) and SOF_TIMESTAMPING_{TX,RX}_HARDWARE |
    /// RAW_HARDWARE, slot 2.
    Hardware,
    /// `-L`: hardware timestamps converted to system time by the driver
    /// (SOF_TIMESTAMPING_SYS_HARDWARE, slot 1; deprecated by the kernel).
    Legacy,
    /// `onestep`: as hardware, with HWTSTAMP_TX_ONESTEP_SYNC: the NIC writes the Sync's
    /// originTimestamp as it sends it.
    OneStep,
    /// `p2p1step`: as onestep, plus HWTSTAMP_TX_ONESTEP_P2P for Pdelay_Resp.
    P2pOneStep,
}

impl TimestampMode {
    /// The mode for linuxptp's `time_stamping` setting.
    pub fn from_config(t: ptp_config::enums::TimeStamping) -> TimestampMode {
        use ptp_config::enums::TimeStamping;
        match t {
            TimeStamping::Software => TimestampMode::Software,
            TimeStamping::Hardware => TimestampMode::Hardware,
            TimeStamping::Legacy => TimestampMode::Legacy,
            TimeStamping::OneStep => TimestampMode::OneStep,
            TimeStamping::P2p1Step => TimestampMode::P2pOneStep,
        }
    }

    /// The SO_TIMESTAMPING flags for this mode (and the capabilities ETHTOOL_GET_TS_INFO must
    /// report for it).
    pub fn so_timestamping_flags(self) -> u32 {
        match self {
            TimestampMode::Software => {
                sys::SOF_TIMESTAMPING_TX_SOFTWARE | sys::SOF_TIMESTAMPING_RX_SOFTWARE | sys::SOF_TIMESTAMPING_SOFTWARE
            }
            TimestampMode::Hardware | TimestampMode::OneStep | TimestampMode::P2pOneStep => {
                sys::SOF_TIMESTAMPING_TX_HARDWARE
                    | sys::SOF_TIMESTAMPING_RX_HARDWARE
                    | sys::SOF_TIMESTAMPING_RAW_HARDWARE
            }
            TimestampMode::Legacy => {
                sys::SOF_TIMESTAMPING_TX_HARDWARE
                    | sys::SOF_TIMESTAMPING_RX_HARDWARE
                    | sys::SOF_TIMESTAMPING_SYS_HARDWARE
            }
        }
    }

    /// The HWTSTAMP tx_type SIOCSHWTSTAMP asks for; `None` for software timestamping.
    pub fn hwtstamp_tx_type(self) -> Option<libc::c_int> {
        match self {
            TimestampMode::Software => None,
            TimestampMode::Hardware | TimestampMode::Legacy => Some(sys::HWTSTAMP_TX_ON),
            TimestampMode::OneStep => Some(sys::HWTSTAMP_TX_ONESTEP_SYNC),
            TimestampMode::P2pOneStep => Some(sys::HWTSTAMP_TX_ONESTEP_P2P),
        }
    }

    /// Which of the three SO_TIMESTAMPING slots (software, legacy system, raw hardware)
    /// carries this mode's timestamps.
    fn slot(self) -> usize {
        match self {
            TimestampMode::Software => 0,
            TimestampMode::Legacy => 1,
            TimestampMode::Hardware | TimestampMode::OneStep | TimestampMode::P2pOneStep => 2,
        }
    }
}

/// Per-port options, with linuxptp's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportOptions {
    pub timestamping: TimestampMode,
    /// `tx_timestamp_timeout` in milliseconds (linuxptp default 10).
    pub tx_timestamp_timeout_ms: u32,
    /// `udp_ttl` (IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS).
    pub udp_ttl: u8,
    /// `dscp_event` / `dscp_general` (IP_TOS / IPV6_TCLASS = dscp << 2).
    pub dscp_event: u8,
    pub dscp_general: u8,
    /// `udp6_scope`: the x of FF0x::181.
    pub udp6_scope: u8,
    /// `ptp_dst_mac` and `p2p_dst_mac`.
    pub ptp_dst_mac: [u8; 6],
    pub p2p_dst_mac: [u8; 6],
    /// `socket_priority` (SO_PRIORITY when > 0).
    pub socket_priority: i32,
    /// UDP ports; 319/320 in production, other values only for tests.
    pub event_port: u16,
    pub general_port: u16,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            timestamping: TimestampMode::Hardware,
            tx_timestamp_timeout_ms: 10,
            udp_ttl: 1,
            dscp_event: 0,
            dscp_general: 0,
            udp6_scope: 0x0E,
            ptp_dst_mac: PTP_DST_MAC,
            p2p_dst_mac: P2P_DST_MAC,
            socket_priority: 0,
            event_port: PTP_EVENT_PORT,
            general_port: PTP_GENERAL_PORT,
        }
    }
}

pub const PTP_EVENT_PORT: u16 = 319;
pub const PTP_GENERAL_PORT: u16 = 320;
/// 224.0.1.129: all PTP messages except peer delay.
pub const PTP_PRIMARY_MCAST_IPV4: Ipv4Addr = Ipv4Addr::new(224, 0, 1, 129);
/// 224.0.0.107: peer delay messages.
pub const PTP_PDELAY_MCAST_IPV4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 107);
/// FF02::6B: peer delay messages.
pub const PTP_PDELAY_MCAST_IPV6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x6b);
/// 01:1B:19:00:00:00.
pub const PTP_DST_MAC: [u8; 6] = [0x01, 0x1b, 0x19, 0x00, 0x00, 0x00];
/// 01:80:C2:00:00:0E.
pub const P2P_DST_MAC: [u8; 6] = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e];

/// FF0x::181 for `udp6_scope` x.
pub fn ptp_primary_mcast_ipv6(scope: u8) -> Ipv6Addr {
    Ipv6Addr::new(0xff00 | u16::from(scope & 0x0f), 0, 0, 0, 0, 0, 0, 0x181)
}

/// Which of the two sockets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Event,
    General,
}

/// A peer's address in the transport's own family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerAddress {
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
    Mac([u8; 6]),
}

/// Where to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// The primary multicast group (224.0.1.129, FF0x::181, `ptp_dst_mac`).
    Primary,
    /// The peer delay group (224.0.0.107, FF02::6B, `p2p_dst_mac`).
    PeerDelay,
    /// Unicast to a peer.
    Unicast(PeerAddress),
}

/// An 802.1Q tag a received frame carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VlanTag {
    pub id: u16,
    pub pcp: u8,
    pub dei: bool,
}

impl VlanTag {
    pub fn from_tci(tci: u16) -> VlanTag {
        VlanTag { id: tci & 0x0fff, pcp: (tci >> 13) as u8, dei: tci & 0x1000 != 0 }
    }
}

/// A received PTP message.
#[derive(Debug, PartialEq, Eq)]
pub struct Received<'a> {
    /// The PTP message (for L2: without the Ethernet header and any VLAN tag).
    pub payload: &'a [u8],
    /// The receive timestamp of the transport's mode (software: SCM_TIMESTAMPING slot 0,
    /// hardware: slot 2); `None` if the kernel gave none.
    pub timestamp: Option<Timespec>,
    /// SCM_TIMESTAMPNS software time (general socket, or the SO_TIMESTAMPNS fallback).
    pub sw_timestamp: Option<Timespec>,
    pub source: Option<PeerAddress>,
    /// For L2: the 802.1Q tag, whether it was in the frame or in PACKET_AUXDATA.
    pub vlan: Option<VlanTag>,
}

/// Capabilities reported by ETHTOOL_GET_TS_INFO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TsInfo {
    pub so_timestamping: u32,
    /// PHC index, or -1.
    pub phc_index: i32,
    pub tx_types: u32,
    pub rx_filters: u32,
}

/// ETHTOOL_GET_TS_INFO on `interface` (through a throwaway AF_INET/SOCK_DGRAM socket, as
/// linuxptp does).
pub fn ts_info(interface: &str) -> io::Result<TsInfo> {
    let fd = sys::socket(libc::AF_INET, libc::SOCK_DGRAM, 0)?;
    let info = sys::ethtool_ts_info(fd.as_fd(), interface)?;
    Ok(TsInfo {
        so_timestamping: info.so_timestamping,
        phc_index: info.phc_index,
        tx_types: info.tx_types,
        rx_filters: info.rx_filters,
    })
}

/// Check that `interface` supports `mode`. Like linuxptp, a failing ETHTOOL_GET_TS_INFO is not
/// an error (returns `Ok(None)`); missing capabilities are.
pub fn check_timestamping_support(interface: &str, mode: TimestampMode) -> io::Result<Option<TsInfo>> {
    let info = match ts_info(interface) {
        Ok(info) => info,
        Err(_) => return Ok(None),
    };
    let required = mode.so_timestamping_flags();
    if info.so_timestamping & required != required {
        return Err(io::Error::new(io::ErrorKind::Unsupported, crate::tsinfo::unsupported_mode_message(interface)));
    }
    Ok(Some(info))
}

/// Enable hardware timestamping with SIOCSHWTSTAMP: HWTSTAMP_TX_ON with the rx filters ptp4l
/// tries (PTP_V2_EVENT, then the L4 or L2 specific one), then FILTER_ALL; filters that
/// ETHTOOL_GET_TS_INFO says the NIC lacks are skipped. Returns the applied configuration.
pub fn enable_hw_timestamping(
    fd: BorrowedFd<'_>,
    interface: &str,
    kind: TransportKind,
    tx_type: libc::c_int,
    info: Option<&TsInfo>,
) -> io::Result<sys::HwtstampConfig> {
    let specific = match kind {
        TransportKind::UdpIpv4 | TransportKind::UdpIpv6 => sys::HWTSTAMP_FILTER_PTP_V2_L4_EVENT,
        TransportKind::L2 => sys::HWTSTAMP_FILTER_PTP_V2_L2_EVENT,
    };
    let candidates = [sys::HWTSTAMP_FILTER_PTP_V2_EVENT, specific, sys::HWTSTAMP_FILTER_ALL];
    let mut last_err = io::Error::new(io::ErrorKind::Unsupported, crate::tsinfo::unsupported_mode_message(interface));
    for filter in candidates {
        if let Some(info) = info {
            if info.rx_filters != 0 && info.rx_filters & (1u32 << filter) == 0 {
                continue;
            }
        }
        let req = sys::HwtstampConfig { flags: 0, tx_type, rx_filter: filter };
        match sys::hwtstamp_set(fd, interface, req) {
            Ok(got) => {
                // A driver may widen the filter; accept what still timestamps every PTP event
                // message (the same rule as linuxptp, plus the exact filter asked for).
                let ok = got.tx_type == tx_type
                    && (got.rx_filter == filter
                        || got.rx_filter == sys::HWTSTAMP_FILTER_ALL
                        || got.rx_filter == sys::HWTSTAMP_FILTER_PTP_V2_EVENT);
                if ok {
                    return Ok(got);
                }
                last_err = io::Error::other(format!(
                    "driver changed our HWTSTAMP options on '{interface}': tx_type {} not {}, rx_filter {} not {}",
                    got.tx_type, req.tx_type, got.rx_filter, req.rx_filter
                ));
            }
            Err(e) => last_err = io::Error::new(e.kind(), format!("ioctl SIOCSHWTSTAMP failed on '{interface}': {e}")),
        }
    }
    Err(last_err)
}

fn ctx<'a>(what: &'a str, interface: &'a str) -> impl FnOnce(io::Error) -> io::Error + 'a {
    move |e| io::Error::new(e.kind(), format!("{what} failed on '{interface}': {e}"))
}

/// Set SO_TIMESTAMPING on an event socket, and SO_SELECT_ERR_QUEUE so that a waiting transmit
/// timestamp shows as POLLPRI (returns whether that worked; if not, wait for POLLERR).
fn init_event_timestamping(fd: BorrowedFd<'_>, mode: TimestampMode) -> io::Result<bool> {
    let flags = mode.so_timestamping_flags() as libc::c_int;
    sys::setsockopt(fd, libc::SOL_SOCKET, sys::SO_TIMESTAMPING, &flags)?;
    let on: libc::c_int = 1;
    Ok(sys::setsockopt(fd, libc::SOL_SOCKET, sys::SO_SELECT_ERR_QUEUE, &on).is_ok())
}

/// SO_TIMESTAMPNS on the general socket (linuxptp's sk_general_init).
fn init_general_timestamping(fd: BorrowedFd<'_>) -> io::Result<()> {
    let on: libc::c_int = 1;
    sys::setsockopt(fd, libc::SOL_SOCKET, sys::SO_TIMESTAMPNS, &on)
}

/// The classic BPF program for the L2 sockets: accept ethertype 0x88F7, directly or behind one
/// 802.1Q tag, and only event (`event == true`) or only general messages (bit 3 of
/// messageType). The event/general split keeps each socket from seeing the other's traffic.
pub fn l2_filter(event: bool) -> [SockFilter; 12] {
    // linux/filter.h: BPF_LD|BPF_H|BPF_ABS, BPF_LD|BPF_B|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K,
    // BPF_JMP|BPF_JA, BPF_ALU|BPF_AND|BPF_K, BPF_RET|BPF_K.
    const LDH: u16 = 0x28;
    const LDB: u16 = 0x30;
    const JEQ: u16 = 0x15;
    const JA: u16 = 0x05;
    const AND: u16 = 0x54;
    const RET: u16 = 0x06;
    const ETH_HLEN: u32 = 14;
    const VLAN_HLEN: u32 = 4;
    let i = |code, jt, jf, k| SockFilter { code, jt, jf, k };
    let (ev_t, ev_f) = if event { (0, 1) } else { (1, 0) };
    [
        /* 0 */ i(LDH, 0, 0, 12), // ethertype
        /* 1 */ i(JEQ, 0, 4, u32::from(sys::ETH_P_8021Q)), // tagged? else -> 6
        /* 2 */ i(LDH, 0, 0, 16), // inner ethertype
        /* 3 */ i(JEQ, 0, 7, u32::from(sys::ETH_P_1588)), // else -> 11 reject
        /* 4 */ i(LDB, 0, 0, ETH_HLEN + VLAN_HLEN), // messageType byte
        /* 5 */ i(JA, 0, 0, 2), // -> 8
        /* 6 */ i(JEQ, 0, 4, u32::from(sys::ETH_P_1588)), // else -> 11 reject
        /* 7 */ i(LDB, 0, 0, ETH_HLEN), // messageType byte
        /* 8 */ i(AND, 0, 0, 0x08), // general bit
        /* 9 */ i(JEQ, ev_t, ev_f, 0), // event: 0 -> 10; general: nonzero -> 10
        /* 10 */ i(RET, 0, 0, 0xffff), // accept
        /* 11 */ i(RET, 0, 0, 0), // reject
    ]
}

/// Strip the Ethernet header (and one 802.1Q/802.1ad tag if present) from a received frame:
/// returns (payload offset, inline VLAN tag), or None if the frame is not PTP.
pub fn parse_l2_frame(frame: &[u8]) -> Option<(usize, Option<VlanTag>)> {
    if frame.len() < 14 {
        return None;
    }
    let ethertype = u16::from_be_bytes([frame[12], frame[13]]);
    if ethertype == sys::ETH_P_1588 {
        return Some((14, None));
    }
    if (ethertype == sys::ETH_P_8021Q || ethertype == sys::ETH_P_8021AD) && frame.len() >= 18 {
        let tci = u16::from_be_bytes([frame[14], frame[15]]);
        let inner = u16::from_be_bytes([frame[16], frame[17]]);
        if inner == sys::ETH_P_1588 {
            return Some((18, Some(VlanTag::from_tci(tci))));
        }
    }
    None
}

/// Does an error-queue packet (the looped-back copy of what we sent, with whatever headers the
/// kernel kept) carry our message? Compares the PTP common header (34 bytes: messageType,
/// sequenceId, ...), so Ethernet padding and IP/UDP headers do not matter.
fn errqueue_matches(looped: &[u8], payload: &[u8]) -> bool {
    let key = &payload[..payload.len().min(34)];
    if key.is_empty() {
        return true;
    }
    looped.windows(key.len()).any(|w| w == key)
}

/// An open transport: the event and the general socket of one port.
#[derive(Debug)]
pub struct Transport {
    kind: TransportKind,
    interface: String,
    ifindex: i32,
    mac: [u8; 6],
    opts: TransportOptions,
    event: OwnedFd,
    general: OwnedFd,
    /// POLLPRI signals the error queue (SO_SELECT_ERR_QUEUE); otherwise POLLERR.
    errqueue_event: i16,
    hw_config: Option<sys::HwtstampConfig>,
    ts_info: Option<TsInfo>,
}

impl Transport {
    /// Open the event and general sockets of `kind` on `interface` and set up timestamping,
    /// after checking with ETHTOOL_GET_TS_INFO that the interface supports it.
    pub fn open(kind: TransportKind, interface: &str, opts: &TransportOptions) -> io::Result<Transport> {
        let ts_info = check_timestamping_support(interface, opts.timestamping)?;
        Self::open_checked(kind, interface, opts, ts_info)
    }

    /// As [`Transport::open`] for a caller that already read the interface's capabilities
    /// (`None`: ETHTOOL_GET_TS_INFO did not answer) and checked them against the mode, as
    /// ptp4l's clock creation does for every interface before it opens any port.
    pub fn open_checked(
        kind: TransportKind,
        interface: &str,
        opts: &TransportOptions,
        ts_info: Option<TsInfo>,
    ) -> io::Result<Transport> {
        let (event, general, ifindex, mac) = match kind {
            TransportKind::UdpIpv4 | TransportKind::UdpIpv6 => {
                let event = open_udp(kind, interface, opts, opts.event_port, opts.dscp_event)?;
                let general = open_udp(kind, interface, opts, opts.general_port, opts.dscp_general)?;
                let ifindex = sys::if_index(event.as_fd(), interface).map_err(ctx("ioctl SIOCGIFINDEX", interface))?;
                let mac = sys::if_hwaddr(event.as_fd(), interface).map_err(ctx("ioctl SIOCGIFHWADDR", interface))?;
                (event, general, ifindex, mac)
            }
            TransportKind::L2 => {
                let probe = sys::socket(libc::AF_INET, libc::SOCK_DGRAM, libc::IPPROTO_UDP)?;
                let mac = sys::if_hwaddr(probe.as_fd(), interface).map_err(ctx("ioctl SIOCGIFHWADDR", interface))?;
                drop(probe);
                let (event, ifindex) = open_l2(interface, opts, true)?;
                let (general, _) = open_l2(interface, opts, false)?;
                (event, general, ifindex, mac)
            }
        };
        let hw_config = match opts.timestamping.hwtstamp_tx_type() {
            Some(tx_type) => Some(enable_hw_timestamping(event.as_fd(), interface, kind, tx_type, ts_info.as_ref())?),
            None => None,
        };
        let select_err_queue = init_event_timestamping(event.as_fd(), opts.timestamping)
            .map_err(ctx("setsockopt SO_TIMESTAMPING", interface))?;
        init_general_timestamping(general.as_fd()).map_err(ctx("setsockopt SO_TIMESTAMPNS", interface))?;
        Ok(Transport {
            kind,
            interface: interface.to_string(),
            ifindex,
            mac,
            opts: opts.clone(),
            event,
            general,
            errqueue_event: if select_err_queue { sys::POLLPRI } else { 0 },
            hw_config,
            ts_info,
        })
    }

    pub fn kind(&self) -> TransportKind {
        self.kind
    }
    pub fn interface(&self) -> &str {
        &self.interface
    }
    pub fn ifindex(&self) -> i32 {
        self.ifindex
    }
    /// The interface MAC (SIOCGIFHWADDR), e.g. for the clock identity.
    pub fn mac(&self) -> [u8; 6] {
        self.mac
    }
    pub fn options(&self) -> &TransportOptions {
        &self.opts
    }
    /// The SIOCSHWTSTAMP configuration applied in hardware mode.
    pub fn hw_config(&self) -> Option<sys::HwtstampConfig> {
        self.hw_config
    }
    /// ETHTOOL_GET_TS_INFO, if the driver answered (phc_index gives /dev/ptpN).
    pub fn ts_info(&self) -> Option<TsInfo> {
        self.ts_info
    }

    pub fn fd(&self, channel: Channel) -> BorrowedFd<'_> {
        match channel {
            Channel::Event => self.event.as_fd(),
            Channel::General => self.general.as_fd(),
        }
    }

    pub fn raw_fd(&self, channel: Channel) -> RawFd {
        self.fd(channel).as_raw_fd()
    }

    fn dest_addr(&self, channel: Channel, dest: Destination) -> io::Result<SockAddr> {
        let port = match channel {
            Channel::Event => self.opts.event_port,
            Channel::General => self.opts.general_port,
        };
        let wrong =
            || io::Error::new(io::ErrorKind::InvalidInput, "destination address family does not match transport");
        Ok(match (self.kind, dest) {
            (TransportKind::UdpIpv4, Destination::Primary) => SockAddr::V4 { ip: PTP_PRIMARY_MCAST_IPV4, port },
            (TransportKind::UdpIpv4, Destination::PeerDelay) => SockAddr::V4 { ip: PTP_PDELAY_MCAST_IPV4, port },
            (TransportKind::UdpIpv4, Destination::Unicast(PeerAddress::Ipv4(ip))) => SockAddr::V4 { ip, port },
            (TransportKind::UdpIpv6, Destination::Primary) => {
                SockAddr::V6 { ip: ptp_primary_mcast_ipv6(self.opts.udp6_scope), port, scope_id: self.ifindex as u32 }
            }
            (TransportKind::UdpIpv6, Destination::PeerDelay) => {
                SockAddr::V6 { ip: PTP_PDELAY_MCAST_IPV6, port, scope_id: self.ifindex as u32 }
            }
            (TransportKind::UdpIpv6, Destination::Unicast(PeerAddress::Ipv6(ip))) => {
                SockAddr::V6 { ip, port, scope_id: self.ifindex as u32 }
            }
            (TransportKind::L2, Destination::Primary) => self.l2_addr(self.opts.ptp_dst_mac),
            (TransportKind::L2, Destination::PeerDelay) => self.l2_addr(self.opts.p2p_dst_mac),
            (TransportKind::L2, Destination::Unicast(PeerAddress::Mac(mac))) => self.l2_addr(mac),
            _ => return Err(wrong()),
        })
    }

    fn l2_addr(&self, mac: [u8; 6]) -> SockAddr {
        SockAddr::Packet { ifindex: self.ifindex, protocol: sys::ETH_P_1588, pkttype: 0, addr: mac }
    }

    /// Send `payload` on `channel` to `dest`. With `want_tx_timestamp` (event messages), the
    /// transmit timestamp is read from the error queue right away, waiting up to
    /// `tx_timestamp_timeout`; not getting one is an error of kind TimedOut.
    pub fn send(
        &self,
        channel: Channel,
        dest: Destination,
        payload: &[u8],
        want_tx_timestamp: bool,
    ) -> io::Result<Option<Timespec>> {
        let fd = self.fd(channel);
        let addr = self.dest_addr(channel, dest)?;
        match self.kind {
            TransportKind::UdpIpv4 | TransportKind::UdpIpv6 => {
                sys::sendto(fd, payload, 0, Some(&addr))?;
            }
            TransportKind::L2 => {
                let SockAddr::Packet { addr: dst, .. } = addr else { unreachable!("L2 destinations are MACs") };
                let mut frame = [0u8; 1600];
                let len = 14 + payload.len();
                if len > frame.len() {
                    return Err(io::Error::new(io::ErrorKind::InvalidInput, "PTP message too long"));
                }
                frame[..6].copy_from_slice(&dst);
                frame[6..12].copy_from_slice(&self.mac);
                frame[12..14].copy_from_slice(&sys::ETH_P_1588.to_be_bytes());
                frame[14..len].copy_from_slice(payload);
                // The sockets are bound to the interface: a plain send, as linuxptp does.
                sys::sendto(fd, &frame[..len], 0, None)?;
            }
        }
        if want_tx_timestamp {
            self.tx_timestamp(channel, payload).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Wait up to `tx_timestamp_timeout` for the transmit timestamp of `payload` on the error
    /// queue (poll for POLLPRI, or POLLERR without SO_SELECT_ERR_QUEUE, then
    /// recvmsg(MSG_ERRQUEUE)). Stale reports for other messages are skipped.
    pub fn tx_timestamp(&self, channel: Channel, payload: &[u8]) -> io::Result<Timespec> {
        let fd = self.fd(channel);
        let timeout = Duration::from_millis(u64::from(self.opts.tx_timestamp_timeout_ms));
        let start = Instant::now();
        let mut buf = [0u8; 1600];
        loop {
            let left = timeout.saturating_sub(start.elapsed());
            let ms = left.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32;
            let mut fds = [sys::pollfd(fd.as_raw_fd(), self.errqueue_event)];
            let n = match sys::poll(&mut fds, ms) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io::Error::new(e.kind(), format!("poll for tx timestamp failed: {e}"))),
            };
            if n == 0 {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "timed out while polling for tx timestamp"));
            }
            let want = if self.errqueue_event == 0 { sys::POLLERR } else { self.errqueue_event };
            if fds[0].revents & want == 0 {
                return Err(io::Error::other("poll for tx timestamp woke up on non ERR event"));
            }
            let meta = sys::recvmsg(fd, &mut buf, libc::MSG_ERRQUEUE)
                .map_err(|e| io::Error::new(e.kind(), format!("recvmsg tx timestamp failed: {e}")))?;
            let from_timestamping = meta.ext_err.is_none_or(|e| e.origin == sys::SO_EE_ORIGIN_TIMESTAMPING);
            if from_timestamping && errqueue_matches(&buf[..meta.len], payload) {
                if let Some(ts) = self.pick(meta.timestamping) {
                    return Ok(ts);
                }
            }
            if start.elapsed() >= timeout {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "timed out while polling for tx timestamp"));
            }
        }
    }

    /// Discard whatever waits on `channel`'s error queue (late timestamps); returns the count.
    pub fn drain_error_queue(&self, channel: Channel) -> usize {
        let fd = self.fd(channel);
        let mut buf = [0u8; 1600];
        let mut n = 0;
        while sys::recvmsg(fd, &mut buf, libc::MSG_ERRQUEUE | libc::MSG_DONTWAIT).is_ok() {
            n += 1;
        }
        n
    }

    fn pick(&self, ts: Option<[Timespec; 3]>) -> Option<Timespec> {
        let ts = ts?;
        let t = ts.get(self.opts.timestamping.slot()).copied().unwrap_or_default();
        (!t.is_zero()).then_some(t)
    }

    /// Receive one message from `channel` (call after poll marked it readable; the sockets are
    /// O_NONBLOCK, so an empty queue gives an error of kind WouldBlock).
    /// `Ok(None)`: a frame that is not for us (our own outgoing L2 frame, not PTP).
    pub fn recv<'a>(&self, channel: Channel, buf: &'a mut [u8]) -> io::Result<Option<Received<'a>>> {
        self.recv_flags(channel, buf, 0)
    }

    /// As [`Transport::recv`] with MSG_DONTWAIT (as linuxptp's L2 receive).
    pub fn recv_nonblocking<'a>(&self, channel: Channel, buf: &'a mut [u8]) -> io::Result<Option<Received<'a>>> {
        self.recv_flags(channel, buf, libc::MSG_DONTWAIT)
    }

    fn recv_flags<'a>(&self, channel: Channel, buf: &'a mut [u8], flags: i32) -> io::Result<Option<Received<'a>>> {
        let meta = sys::recvmsg(self.fd(channel), buf, flags)?;
        let timestamp = self.pick(meta.timestamping);
        let sw_timestamp = meta.timestampns;
        let data = &buf[..meta.len];
        match self.kind {
            TransportKind::UdpIpv4 | TransportKind::UdpIpv6 => {
                let source = match meta.addr {
                    Some(SockAddr::V4 { ip, .. }) => Some(PeerAddress::Ipv4(ip)),
                    Some(SockAddr::V6 { ip, .. }) => Some(PeerAddress::Ipv6(ip)),
                    _ => None,
                };
                Ok(Some(Received { payload: data, timestamp, sw_timestamp, source, vlan: None }))
            }
            TransportKind::L2 => {
                if let Some(SockAddr::Packet { pkttype, .. }) = meta.addr {
                    if pkttype == sys::PACKET_OUTGOING {
                        return Ok(None);
                    }
                }
                let Some((offset, inline_tag)) = parse_l2_frame(data) else { return Ok(None) };
                let vlan = inline_tag.or(meta.vlan.map(|v| VlanTag::from_tci(v.tci)));
                let source = Some(PeerAddress::Mac([data[6], data[7], data[8], data[9], data[10], data[11]]));
                Ok(Some(Received { payload: &data[offset..], timestamp, sw_timestamp, source, vlan }))
            }
        }
    }
}

fn open_udp(kind: TransportKind, interface: &str, opts: &TransportOptions, port: u16, dscp: u8) -> io::Result<OwnedFd> {
    let c = |what: &'static str| ctx(what, interface);
    let domain = if kind == TransportKind::UdpIpv4 { libc::AF_INET } else { libc::AF_INET6 };
    let fd = sys::socket(domain, libc::SOCK_DGRAM, libc::IPPROTO_UDP).map_err(c("socket"))?;
    let s = fd.as_fd();
    let on: libc::c_int = 1;
    let off: libc::c_int = 0;
    sys::setsockopt(s, libc::SOL_SOCKET, libc::SO_REUSEADDR, &on).map_err(c("setsockopt SO_REUSEADDR"))?;
    let bind_addr = match kind {
        TransportKind::UdpIpv4 => SockAddr::V4 { ip: Ipv4Addr::UNSPECIFIED, port },
        _ => SockAddr::V6 { ip: Ipv6Addr::UNSPECIFIED, port, scope_id: 0 },
    };
    sys::bind(s, &bind_addr).map_err(c("bind"))?;
    sys::setsockopt_bytes(s, libc::SOL_SOCKET, libc::SO_BINDTODEVICE, interface.as_bytes())
        .map_err(c("setsockopt SO_BINDTODEVICE"))?;
    if opts.socket_priority > 0 {
        sys::setsockopt(s, libc::SOL_SOCKET, libc::SO_PRIORITY, &opts.socket_priority)
            .map_err(c("setsockopt SO_PRIORITY"))?;
    }
    let ifindex = sys::if_index(s, interface).map_err(c("ioctl SIOCGIFINDEX"))?;
    let ttl = libc::c_int::from(opts.udp_ttl);
    let tos = libc::c_int::from(dscp) << 2;
    match kind {
        TransportKind::UdpIpv4 => {
            let mut req = sys::IpMreqn { imr_ifindex: ifindex, ..Default::default() };
            sys::setsockopt(s, libc::IPPROTO_IP, libc::IP_MULTICAST_IF, &req)
                .map_err(c("setsockopt IP_MULTICAST_IF"))?;
            for group in [PTP_PRIMARY_MCAST_IPV4, PTP_PDELAY_MCAST_IPV4] {
                req.imr_multiaddr = group.octets();
                sys::setsockopt(s, libc::IPPROTO_IP, libc::IP_ADD_MEMBERSHIP, &req)
                    .map_err(c("setsockopt IP_ADD_MEMBERSHIP"))?;
            }
            sys::setsockopt(s, libc::IPPROTO_IP, libc::IP_MULTICAST_LOOP, &off)
                .map_err(c("setsockopt IP_MULTICAST_LOOP"))?;
            sys::setsockopt(s, libc::IPPROTO_IP, libc::IP_MULTICAST_TTL, &ttl)
                .map_err(c("setsockopt IP_MULTICAST_TTL"))?;
            if tos != 0 {
                sys::setsockopt(s, libc::IPPROTO_IP, libc::IP_TOS, &tos).map_err(c("setsockopt IP_TOS"))?;
            }
        }
        _ => {
            sys::setsockopt(s, libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_IF, &ifindex)
                .map_err(c("setsockopt IPV6_MULTICAST_IF"))?;
            for group in [ptp_primary_mcast_ipv6(opts.udp6_scope), PTP_PDELAY_MCAST_IPV6] {
                let req = sys::Ipv6Mreq { ipv6mr_multiaddr: group.octets(), ipv6mr_interface: ifindex };
                sys::setsockopt(s, libc::IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP, &req)
                    .map_err(c("setsockopt IPV6_ADD_MEMBERSHIP"))?;
            }
            sys::setsockopt(s, libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP, &off)
                .map_err(c("setsockopt IPV6_MULTICAST_LOOP"))?;
            sys::setsockopt(s, libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_HOPS, &ttl)
                .map_err(c("setsockopt IPV6_MULTICAST_HOPS"))?;
            if tos != 0 {
                sys::setsockopt(s, libc::IPPROTO_IPV6, libc::IPV6_TCLASS, &tos).map_err(c("setsockopt IPV6_TCLASS"))?;
            }
        }
    }
    sys::set_nonblocking(s).map_err(c("fcntl O_NONBLOCK"))?;
    Ok(fd)
}

fn open_l2(interface: &str, opts: &TransportOptions, event: bool) -> io::Result<(OwnedFd, i32)> {
    let c = |what: &'static str| ctx(what, interface);
    let fd =
        sys::socket(libc::AF_PACKET, libc::SOCK_RAW, libc::c_int::from(sys::ETH_P_ALL.to_be())).map_err(c("socket"))?;
    let s = fd.as_fd();
    let ifindex = sys::if_index(s, interface).map_err(c("ioctl SIOCGIFINDEX"))?;
    // Bound to ETH_P_ALL, as linuxptp does, so frames whose tag the kernel left inline (ethertype
    // 0x8100) reach the filter too.
    sys::bind(s, &SockAddr::Packet { ifindex, protocol: sys::ETH_P_ALL, pkttype: 0, addr: [0; 6] })
        .map_err(c("bind"))?;
    sys::setsockopt_bytes(s, libc::SOL_SOCKET, libc::SO_BINDTODEVICE, interface.as_bytes())
        .map_err(c("setsockopt SO_BINDTODEVICE"))?;
    if opts.socket_priority > 0 {
        sys::setsockopt(s, libc::SOL_SOCKET, libc::SO_PRIORITY, &opts.socket_priority)
            .map_err(c("setsockopt SO_PRIORITY"))?;
    }
    sys::attach_filter(s, &l2_filter(event)).map_err(c("setsockopt SO_ATTACH_FILTER"))?;
    // Membership of both groups; fall back to all-multicast, then promiscuous (as linuxptp).
    let mut joined = true;
    for mac in [opts.ptp_dst_mac, opts.p2p_dst_mac] {
        let mut mreq =
            sys::PacketMreq { mr_ifindex: ifindex, mr_type: sys::PACKET_MR_MULTICAST, mr_alen: 6, mr_address: [0; 8] };
        mreq.mr_address[..6].copy_from_slice(&mac);
        joined &= sys::setsockopt(s, libc::SOL_PACKET, sys::PACKET_ADD_MEMBERSHIP, &mreq).is_ok();
    }
    if !joined {
        let all = sys::PacketMreq { mr_ifindex: ifindex, mr_type: sys::PACKET_MR_ALLMULTI, ..Default::default() };
        if sys::setsockopt(s, libc::SOL_PACKET, sys::PACKET_ADD_MEMBERSHIP, &all).is_err() {
            let promisc =
                sys::PacketMreq { mr_ifindex: ifindex, mr_type: sys::PACKET_MR_PROMISC, ..Default::default() };
            sys::setsockopt(s, libc::SOL_PACKET, sys::PACKET_ADD_MEMBERSHIP, &promisc)
                .map_err(c("setsockopt PACKET_ADD_MEMBERSHIP"))?;
        }
    }
    // VLAN tags the kernel moved out of the frame come back in PACKET_AUXDATA.
    let on: libc::c_int = 1;
    sys::setsockopt(s, libc::SOL_PACKET, sys::PACKET_AUXDATA, &on).map_err(c("setsockopt PACKET_AUXDATA"))?;
    sys::set_nonblocking(s).map_err(c("fcntl O_NONBLOCK"))?;
    Ok((fd, ifindex))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run the classic BPF program over `pkt` (a tiny interpreter for the opcodes we use).
    fn run_bpf(prog: &[SockFilter], pkt: &[u8]) -> u32 {
        let mut a: u32 = 0;
        let mut pc = 0usize;
        loop {
            let ins = prog[pc];
            pc += 1;
            match ins.code {
                0x28 => {
                    let k = ins.k as usize;
                    if k + 2 > pkt.len() {
                        return 0;
                    }
                    a = u32::from(u16::from_be_bytes([pkt[k], pkt[k + 1]]));
                }
                0x30 => {
                    let k = ins.k as usize;
                    if k >= pkt.len() {
                        return 0;
                    }
                    a = u32::from(pkt[k]);
                }
                0x15 => pc += if a == ins.k { ins.jt as usize } else { ins.jf as usize },
                0x05 => pc += ins.k as usize,
                0x54 => a &= ins.k,
                0x06 => return ins.k,
                c => panic!("unexpected opcode {c:#x}"),
            }
        }
    }

    fn frame(tag: Option<u16>, ethertype: u16, msg_type: u8) -> Vec<u8> {
        let mut f = vec![0x01, 0x1b, 0x19, 0, 0, 0, 2, 0, 0, 0, 0, 1];
        if let Some(tci) = tag {
            f.extend_from_slice(&0x8100u16.to_be_bytes());
            f.extend_from_slice(&tci.to_be_bytes());
        }
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.push(msg_type);
        f.push(2);
        f.extend_from_slice(&[0; 42]);
        f
    }

    #[test]
    fn l2_filter_splits_event_and_general() {
        let ev = l2_filter(true);
        let gen = l2_filter(false);
        for tag in [None, Some(100)] {
            // Sync (0), Pdelay_Req (2): event. Follow_Up (8), Announce (0xB): general.
            for (t, is_event) in [(0u8, true), (2, true), (8, false), (0xb, false), (0x10, true), (0x1b, false)] {
                let f = frame(tag, 0x88f7, t);
                assert_eq!(run_bpf(&ev, &f) != 0, is_event, "event filter, type {t:#x}, tag {tag:?}");
                assert_eq!(run_bpf(&gen, &f) != 0, !is_event, "general filter, type {t:#x}, tag {tag:?}");
            }
            let ip = frame(tag, 0x0800, 0);
            assert_eq!(run_bpf(&ev, &ip), 0);
            assert_eq!(run_bpf(&gen, &ip), 0);
        }
    }

    #[test]
    fn l2_frames_are_parsed_with_and_without_tag() {
        let f = frame(None, 0x88f7, 0);
        assert_eq!(parse_l2_frame(&f), Some((14, None)));
        let f = frame(Some(0xa064), 0x88f7, 0);
        assert_eq!(parse_l2_frame(&f), Some((18, Some(VlanTag { id: 100, pcp: 5, dei: false }))));
        assert_eq!(parse_l2_frame(&frame(None, 0x0800, 0)), None);
        assert_eq!(parse_l2_frame(&frame(Some(5), 0x0800, 0)), None);
        assert_eq!(parse_l2_frame(&[0; 13]), None);
    }

    #[test]
    fn ipv6_scope_selects_the_group() {
        assert_eq!(ptp_primary_mcast_ipv6(0x0e), "ff0e::181".parse::<Ipv6Addr>().unwrap());
        assert_eq!(ptp_primary_mcast_ipv6(0x02), "ff02::181".parse::<Ipv6Addr>().unwrap());
        assert_eq!(ptp_primary_mcast_ipv6(0x05), "ff05::181".parse::<Ipv6Addr>().unwrap());
    }

    #[test]
    fn errqueue_matching_ignores_headers_and_padding() {
        let payload: Vec<u8> = (0..44).collect();
        let mut looped = vec![0u8; 42];
        looped.extend_from_slice(&payload);
        assert!(errqueue_matches(&looped, &payload));
        let mut padded = vec![0u8; 14];
        padded.extend_from_slice(&payload[..40]);
        assert!(errqueue_matches(&padded, &payload));
        let other: Vec<u8> = (100..144).collect();
        assert!(!errqueue_matches(&looped, &other));
    }
}
