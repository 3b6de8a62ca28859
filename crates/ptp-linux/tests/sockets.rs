//! Transport tests: on loopback, and (as root) between two network namespaces joined by a veth
//! pair that each test creates with unique names and always removes. Traffic stays on loopback
//! or in the test's own namespaces; no test touches a clock.

use std::ffi::CString;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::process::Command;
use std::time::{Duration, Instant};

use ptp_linux::timer::realtime_now;
use ptp_linux::{Channel, Destination, PeerAddress, Poller, TimestampMode, Transport, TransportKind, TransportOptions};
use ptp_linux::{Timespec, VlanTag};

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A PTP message of `len` bytes: messageType `ty`, version 2.1, the given sequenceId.
fn ptp_message(ty: u8, len: usize, seq: u16) -> Vec<u8> {
    let mut m = vec![0u8; len];
    m[0] = ty;
    m[1] = 0x12;
    m[2..4].copy_from_slice(&(len as u16).to_be_bytes());
    m[20..28].copy_from_slice(&[0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55]);
    m[28..30].copy_from_slice(&1u16.to_be_bytes());
    m[30..32].copy_from_slice(&seq.to_be_bytes());
    for (i, b) in m.iter_mut().enumerate().skip(34) {
        *b = i as u8;
    }
    m
}

const SYNC: u8 = 0x0;
const DELAY_REQ: u8 = 0x1;
const PDELAY_REQ: u8 = 0x2;
const FOLLOW_UP: u8 = 0x8;
const ANNOUNCE: u8 = 0xb;

#[derive(Debug)]
struct Got {
    payload: Vec<u8>,
    timestamp: Option<Timespec>,
    sw_timestamp: Option<Timespec>,
    source: Option<PeerAddress>,
    vlan: Option<VlanTag>,
}

/// Wait (poll) up to 2 s for a PTP message on `channel`, skipping frames not for us.
fn wait_recv(t: &Transport, channel: Channel) -> Got {
    let mut poller = Poller::new();
    let idx = poller.add(t.raw_fd(channel), libc::POLLIN);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut buf = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "nothing received on {channel:?} of {}", t.interface());
        if poller.poll(Some(left)).unwrap() == 0 || !poller.readiness(idx).readable() {
            continue;
        }
        match t.recv_nonblocking(channel, &mut buf) {
            Ok(Some(r)) => {
                return Got {
                    payload: r.payload.to_vec(),
                    timestamp: r.timestamp,
                    sw_timestamp: r.sw_timestamp,
                    source: r.source,
                    vlan: r.vlan,
                }
            }
            Ok(None) => continue,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => panic!("recv failed: {e}"),
        }
    }
}

/// Nothing (for us) waits on `channel`.
fn assert_nothing(t: &Transport, channel: Channel) {
    let mut buf = [0u8; 2048];
    loop {
        match t.recv_nonblocking(channel, &mut buf) {
            Ok(None) => continue,
            Ok(Some(r)) => panic!("unexpected message on {channel:?}: {:?}", r.payload),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) => panic!("recv failed: {e}"),
        }
    }
}

fn assert_close_to_now(ts: Timespec) {
    let now = realtime_now().unwrap().as_nanos();
    let diff = (now - ts.as_nanos()).abs();
    assert!(diff < 5_000_000_000, "timestamp {ts:?} is {diff} ns away from CLOCK_REALTIME");
}

/// Software receive timestamps are switched on for the whole kernel by a deferred static key
/// (net_enable_timestamp schedules a work item), so the first packets after the first socket
/// asked for them may arrive without one: ptp4l logs "received SYNC without timestamp" then.
/// Send Syncs from `from` until `to` gets one with its timestamp (at most 20 tries).
fn warm_up(from: &Transport, to: &Transport, dest: Destination) {
    for seq in 1000..1020u16 {
        let sync = ptp_message(SYNC, 44, seq);
        from.send(Channel::Event, dest, &sync, true).unwrap();
        let got = wait_recv(to, Channel::Event);
        assert_eq!(got.payload, sync);
        if got.timestamp.is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no software rx timestamp after 20 messages");
}

fn sw_opts() -> TransportOptions {
    TransportOptions { timestamping: TimestampMode::Software, tx_timestamp_timeout_ms: 100, ..Default::default() }
}

/// Ports for the loopback tests: high (no root needed, no clash with a ptp4l on this host).
fn loopback_opts(offset: u16) -> TransportOptions {
    let base = 20000 + (std::process::id() % 10000) as u16 * 4 + offset;
    TransportOptions { event_port: base, general_port: base + 1, ..sw_opts() }
}

/// Send an event message to ourselves over loopback and check both timestamps.
fn loopback_roundtrip(kind: TransportKind, dest: PeerAddress, offset: u16) {
    let t = match Transport::open(kind, "lo", &loopback_opts(offset)) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            eprintln!("skipping {kind:?} loopback test: {e}");
            return;
        }
        Err(e) => panic!("open {kind:?} on lo: {e}"),
    };
    warm_up(&t, &t, Destination::Unicast(dest));
    let sync = ptp_message(SYNC, 44, 7);
    let tx = t.send(Channel::Event, Destination::Unicast(dest), &sync, true).unwrap().expect("tx timestamp");
    assert_close_to_now(tx);
    let got = wait_recv(&t, Channel::Event);
    assert_eq!(got.payload, sync);
    let rx = got.timestamp.expect("rx timestamp");
    assert!(rx >= tx, "rx {rx:?} before tx {tx:?}");
    assert_close_to_now(rx);
    assert_eq!(got.source, Some(dest));

    let fup = ptp_message(FOLLOW_UP, 44, 7);
    assert_eq!(t.send(Channel::General, Destination::Unicast(dest), &fup, false).unwrap(), None);
    let got = wait_recv(&t, Channel::General);
    assert_eq!(got.payload, fup);
    assert_close_to_now(got.sw_timestamp.expect("SO_TIMESTAMPNS on the general socket"));
    assert_nothing(&t, Channel::Event);
    assert_eq!(t.drain_error_queue(Channel::Event), 0);
}

#[test]
fn udpv4_loopback() {
    loopback_roundtrip(TransportKind::UdpIpv4, PeerAddress::Ipv4(Ipv4Addr::LOCALHOST), 0);
}

#[test]
fn udpv6_loopback() {
    if !std::path::Path::new("/proc/sys/net/ipv6").exists() {
        eprintln!("skipping udpv6_loopback: no IPv6");
        return;
    }
    loopback_roundtrip(TransportKind::UdpIpv6, PeerAddress::Ipv6(Ipv6Addr::LOCALHOST), 2);
}

#[test]
fn bad_interface_is_an_error() {
    let err = Transport::open(TransportKind::UdpIpv4, "ptprs-nosuch0", &loopback_opts(0)).unwrap_err();
    assert!(err.to_string().contains("ptprs-nosuch0"), "{err}");
}

#[test]
fn hardware_timestamping_on_loopback_is_refused() {
    // lo has software timestamping only; linuxptp refuses -H there with this message.
    let opts = TransportOptions { timestamping: TimestampMode::Hardware, ..loopback_opts(0) };
    let err = Transport::open(TransportKind::UdpIpv4, "lo", &opts).unwrap_err();
    assert_eq!(err.to_string(), "interface 'lo' does not support requested timestamping mode");
}

// ---------------------------------------------------------------------------------------------
// Namespaces
// ---------------------------------------------------------------------------------------------

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip").args(args).output().map_err(|e| format!("ip {args:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Two namespaces joined by a veth pair; removed on drop.
struct NetnsPair {
    ns_a: String,
    ns_b: String,
    if_a: String,
    if_b: String,
}

impl NetnsPair {
    /// `None` (after a skip message) when not root.
    fn new(test: &str, tag: char) -> Option<NetnsPair> {
        if !is_root() {
            eprintln!("skipping {test}: needs root for network namespaces");
            return None;
        }
        let pid = std::process::id();
        let pair = NetnsPair {
            ns_a: format!("ptprs{pid}{tag}a"),
            ns_b: format!("ptprs{pid}{tag}b"),
            if_a: format!("pr{pid}{tag}a"),
            if_b: format!("pr{pid}{tag}b"),
        };
        if let Err(e) = pair.setup() {
            panic!("{test}: namespace setup failed: {e}");
        }
        Some(pair)
    }

    fn setup(&self) -> Result<(), String> {
        ip(&["netns", "add", &self.ns_a])?;
        ip(&["netns", "add", &self.ns_b])?;
        ip(&["link", "add", &self.if_a, "type", "veth", "peer", "name", &self.if_b])?;
        ip(&["link", "set", &self.if_a, "netns", &self.ns_a])?;
        ip(&["link", "set", &self.if_b, "netns", &self.ns_b])?;
        for (ns, ifname, n) in [(&self.ns_a, &self.if_a, 1), (&self.ns_b, &self.if_b, 2)] {
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
            ip(&["-n", ns, "addr", "add", &format!("10.77.0.{n}/24"), "dev", ifname])?;
            ip(&["-n", ns, "-6", "addr", "add", &format!("fd77::{n}/64"), "dev", ifname, "nodad"])?;
            ip(&["-n", ns, "link", "set", ifname, "up"])?;
        }
        Ok(())
    }
}

impl Drop for NetnsPair {
    fn drop(&mut self) {
        // Deleting a namespace destroys its veth end and with it the peer; the link delete
        // covers a failure between creating the pair and moving it.
        let _ = ip(&["netns", "del", &self.ns_a]);
        let _ = ip(&["netns", "del", &self.ns_b]);
        let _ = ip(&["link", "del", &self.if_a]);
        let _ = ip(&["link", "del", &self.if_b]);
    }
}

/// Run `f` in a thread that joined network namespace `ns` (setns affects only that thread);
/// sockets it opens stay in that namespace wherever they are used afterwards.
fn in_netns<T: Send + 'static>(ns: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let ns = ns.to_owned();
    std::thread::spawn(move || {
        ptp_linux::sys::enter_netns(&ns).unwrap_or_else(|e| panic!("setns {ns}: {e}"));
        f()
    })
    .join()
    .expect("namespace thread panicked")
}

fn open_in(ns: &str, kind: TransportKind, ifname: &str, opts: TransportOptions) -> Transport {
    let ifname = ifname.to_string();
    in_netns(ns, move || Transport::open(kind, &ifname, &opts)).unwrap_or_else(|e| panic!("open {kind:?}: {e}"))
}

/// Sync (event, primary group), Follow_Up (general), Pdelay_Req (event, peer delay group) from
/// A to B, and a unicast Delay_Req back from B to A.
fn exchange(kind: TransportKind, pair: &NetnsPair, a_addr: PeerAddress, b_addr: PeerAddress) {
    let a = open_in(&pair.ns_a, kind, &pair.if_a, sw_opts());
    let b = open_in(&pair.ns_b, kind, &pair.if_b, sw_opts());
    warm_up(&a, &b, Destination::Primary);
    warm_up(&b, &a, Destination::Unicast(a_addr));

    for seq in 0..3u16 {
        let sync = ptp_message(SYNC, 44, seq);
        let tx = a.send(Channel::Event, Destination::Primary, &sync, true).unwrap().expect("tx timestamp");
        assert_close_to_now(tx);
        let got = wait_recv(&b, Channel::Event);
        assert_eq!(got.payload, sync);
        let rx = got.timestamp.expect("rx timestamp");
        assert!(rx >= tx, "rx {rx:?} before tx {tx:?}");
        assert_close_to_now(rx);
        assert_eq!(got.source, Some(a_addr));
        assert_eq!(got.vlan, None);

        let fup = ptp_message(FOLLOW_UP, 44, seq);
        assert_eq!(a.send(Channel::General, Destination::Primary, &fup, false).unwrap(), None);
        let got = wait_recv(&b, Channel::General);
        assert_eq!(got.payload, fup);
        assert_eq!(got.source, Some(a_addr));
    }

    let announce = ptp_message(ANNOUNCE, 64, 1);
    a.send(Channel::General, Destination::Primary, &announce, false).unwrap();
    assert_eq!(wait_recv(&b, Channel::General).payload, announce);

    let pdelay = ptp_message(PDELAY_REQ, 54, 9);
    let tx = a.send(Channel::Event, Destination::PeerDelay, &pdelay, true).unwrap().expect("tx timestamp");
    let got = wait_recv(&b, Channel::Event);
    assert_eq!(got.payload, pdelay);
    assert!(got.timestamp.expect("rx timestamp") >= tx);

    let dreq = ptp_message(DELAY_REQ, 44, 3);
    let tx = b.send(Channel::Event, Destination::Unicast(a_addr), &dreq, true).unwrap().expect("tx timestamp");
    let got = wait_recv(&a, Channel::Event);
    assert_eq!(got.payload, dreq);
    assert!(got.timestamp.expect("rx timestamp") >= tx);
    assert_eq!(got.source, Some(b_addr));

    // Every message went to the socket of its kind and nothing else is left.
    for t in [&a, &b] {
        assert_nothing(t, Channel::Event);
        assert_nothing(t, Channel::General);
        assert_eq!(t.drain_error_queue(Channel::Event), 0);
    }
}

#[test]
fn udpv4_between_namespaces() {
    let Some(pair) = NetnsPair::new("udpv4_between_namespaces", '4') else { return };
    let a = PeerAddress::Ipv4(Ipv4Addr::new(10, 77, 0, 1));
    let b = PeerAddress::Ipv4(Ipv4Addr::new(10, 77, 0, 2));
    exchange(TransportKind::UdpIpv4, &pair, a, b);
}

#[test]
fn udpv6_between_namespaces() {
    let Some(pair) = NetnsPair::new("udpv6_between_namespaces", '6') else { return };
    let a = PeerAddress::Ipv6("fd77::1".parse().unwrap());
    let b = PeerAddress::Ipv6("fd77::2".parse().unwrap());
    exchange(TransportKind::UdpIpv6, &pair, a, b);
}

#[test]
fn l2_between_namespaces() {
    let Some(pair) = NetnsPair::new("l2_between_namespaces", 'l') else { return };
    let mac_a = mac_in(&pair.ns_a, &pair.if_a);
    let mac_b = mac_in(&pair.ns_b, &pair.if_b);
    exchange(TransportKind::L2, &pair, PeerAddress::Mac(mac_a), PeerAddress::Mac(mac_b));
}

fn mac_in(ns: &str, ifname: &str) -> [u8; 6] {
    open_in(ns, TransportKind::L2, ifname, sw_opts()).mac()
}

/// Send one raw frame on `ifname` from namespace `ns` (an AF_PACKET socket of the test's own).
fn send_raw_frame(ns: &str, ifname: &str, frame: Vec<u8>) {
    let ifname = CString::new(ifname).unwrap();
    in_netns(ns, move || {
        // SAFETY: if_nametoindex reads a valid C string (test code, not the daemon path).
        let ifindex = unsafe { libc::if_nametoindex(ifname.as_ptr()) };
        assert!(ifindex > 0);
        // SAFETY: socket takes no pointers.
        let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW, 0) };
        assert!(fd >= 0, "socket: {}", io::Error::last_os_error());
        // SAFETY: all-zero is a valid sockaddr_ll.
        let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        sll.sll_family = libc::AF_PACKET as u16;
        sll.sll_ifindex = ifindex as i32;
        sll.sll_halen = 6;
        sll.sll_addr[..6].copy_from_slice(&frame[..6]);
        // SAFETY: frame and sll are valid for the lengths given.
        let rc = unsafe {
            libc::sendto(
                fd,
                frame.as_ptr().cast(),
                frame.len(),
                0,
                (&sll as *const libc::sockaddr_ll).cast(),
                size_of::<libc::sockaddr_ll>() as u32,
            )
        };
        let err = io::Error::last_os_error();
        // SAFETY: fd is ours and closed once.
        unsafe { libc::close(fd) };
        assert_eq!(rc, frame.len() as isize, "sendto: {err}");
    });
}

#[test]
fn l2_tagged_frames_are_decoded() {
    let Some(pair) = NetnsPair::new("l2_tagged_frames_are_decoded", 'v') else { return };
    let b = open_in(&pair.ns_b, TransportKind::L2, &pair.if_b, sw_opts());
    let a = open_in(&pair.ns_a, TransportKind::L2, &pair.if_a, sw_opts());
    warm_up(&a, &b, Destination::Primary);
    let sync = ptp_message(SYNC, 44, 42);
    let mut frame = vec![0x01, 0x1b, 0x19, 0, 0, 0, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee];
    frame.extend_from_slice(&0x8100u16.to_be_bytes());
    frame.extend_from_slice(&((3u16 << 13) | 100).to_be_bytes());
    frame.extend_from_slice(&0x88f7u16.to_be_bytes());
    frame.extend_from_slice(&sync);
    send_raw_frame(&pair.ns_a, &pair.if_a, frame);
    let got = wait_recv(&b, Channel::Event);
    assert_eq!(got.payload, sync);
    assert_eq!(got.vlan, Some(VlanTag { id: 100, pcp: 3, dei: false }));
    assert_eq!(got.source, Some(PeerAddress::Mac([0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])));
    assert_close_to_now(got.timestamp.expect("rx timestamp"));
    assert_nothing(&b, Channel::General);

    // A tagged general message goes to the general socket only.
    let fup = ptp_message(FOLLOW_UP, 44, 42);
    let mut frame = vec![0x01, 0x1b, 0x19, 0, 0, 0, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee];
    frame.extend_from_slice(&0x8100u16.to_be_bytes());
    frame.extend_from_slice(&7u16.to_be_bytes());
    frame.extend_from_slice(&0x88f7u16.to_be_bytes());
    frame.extend_from_slice(&fup);
    send_raw_frame(&pair.ns_a, &pair.if_a, frame);
    let got = wait_recv(&b, Channel::General);
    assert_eq!(got.payload, fup);
    assert_eq!(got.vlan, Some(VlanTag { id: 7, pcp: 0, dei: false }));
    assert_nothing(&b, Channel::Event);
}

#[test]
fn l2_over_a_vlan_interface() {
    let Some(pair) = NetnsPair::new("l2_over_a_vlan_interface", 'q') else { return };
    let vlan_if = format!("{}.100", pair.if_a);
    if let Err(e) =
        ip(&["-n", &pair.ns_a, "link", "add", "link", &pair.if_a, "name", &vlan_if, "type", "vlan", "id", "100"])
    {
        eprintln!("skipping l2_over_a_vlan_interface: no 802.1Q support in this kernel ({e})");
        return;
    }
    ip(&["-n", &pair.ns_a, "link", "set", &vlan_if, "up"]).unwrap();
    let a = open_in(&pair.ns_a, TransportKind::L2, &vlan_if, sw_opts());
    let b = open_in(&pair.ns_b, TransportKind::L2, &pair.if_b, sw_opts());
    warm_up(&a, &b, Destination::Primary);
    let sync = ptp_message(SYNC, 44, 5);
    let tx = a.send(Channel::Event, Destination::Primary, &sync, true).unwrap().expect("tx timestamp");
    let got = wait_recv(&b, Channel::Event);
    assert_eq!(got.payload, sync);
    assert_eq!(got.vlan.map(|v| v.id), Some(100));
    assert!(got.timestamp.expect("rx timestamp") >= tx);
}

#[test]
fn l2_loopback() {
    if !is_root() {
        eprintln!("skipping l2_loopback: AF_PACKET needs root");
        return;
    }
    let Some(pair) = NetnsPair::new("l2_loopback", 'o') else { return };
    // In the test's own namespace, not on this host's lo.
    let t = open_in(&pair.ns_a, TransportKind::L2, "lo", sw_opts());
    warm_up(&t, &t, Destination::Primary);
    let sync = ptp_message(SYNC, 44, 1);
    let tx = t.send(Channel::Event, Destination::Primary, &sync, true).unwrap().expect("tx timestamp");
    let got = wait_recv(&t, Channel::Event);
    assert_eq!(got.payload, sync);
    assert!(got.timestamp.expect("rx timestamp") >= tx);
}
