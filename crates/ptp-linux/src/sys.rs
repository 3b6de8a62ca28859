//! The one thin OS layer of ptp-rs: every `unsafe` block of the project lives here.
//!
//! Each function calls the plain libc wrapper linuxptp calls, in the same form (DESIGN.md,
//! "Running under a libc-interposing simulator"): `socket` without SOCK_CLOEXEC/SOCK_NONBLOCK
//! (use [`set_nonblocking`] afterwards, which is `fcntl`), `timerfd_create(CLOCK_MONOTONIC, 0)`,
//! `poll`, `recvmsg` with a large control buffer, `ioctl(SIOCGIFINDEX)` rather than
//! `if_nametoindex`, `open` rather than `open64`. Nothing here uses raw `syscall()`.
//!
//! Kernel UAPI constants and structures that the `libc` crate lacks are defined below, each with
//! the header it comes from.

use std::io;
use std::mem::{size_of, size_of_val};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

// The cmsg and ioctl layouts below assume a 64-bit time_t (x86_64, aarch64, riscv64, ...), where
// SO_TIMESTAMPING/SO_TIMESTAMPNS are the "_OLD" option numbers and a timespec is 16 bytes.
const _: () = assert!(size_of::<libc::timespec>() == 16);

// ---------------------------------------------------------------------------------------------
// UAPI constants
// ---------------------------------------------------------------------------------------------

/// asm-generic/socket.h: SO_TIMESTAMPNS_OLD (= SCM_TIMESTAMPNS on 64-bit).
pub const SO_TIMESTAMPNS: libc::c_int = 35;
/// asm-generic/socket.h: SO_TIMESTAMPING_OLD (= SCM_TIMESTAMPING on 64-bit).
pub const SO_TIMESTAMPING: libc::c_int = 37;
/// asm-generic/socket.h: error-queue readiness reported as POLLPRI.
pub const SO_SELECT_ERR_QUEUE: libc::c_int = 45;
/// asm-generic/socket.h.
pub const SO_ATTACH_FILTER: libc::c_int = 26;

/// linux/net_tstamp.h: SOF_TIMESTAMPING_* flags.
pub const SOF_TIMESTAMPING_TX_HARDWARE: u32 = 1 << 0;
pub const SOF_TIMESTAMPING_TX_SOFTWARE: u32 = 1 << 1;
pub const SOF_TIMESTAMPING_RX_HARDWARE: u32 = 1 << 2;
pub const SOF_TIMESTAMPING_RX_SOFTWARE: u32 = 1 << 3;
pub const SOF_TIMESTAMPING_SOFTWARE: u32 = 1 << 4;
pub const SOF_TIMESTAMPING_SYS_HARDWARE: u32 = 1 << 5;
pub const SOF_TIMESTAMPING_RAW_HARDWARE: u32 = 1 << 6;

/// linux/net_tstamp.h: enum hwtstamp_tx_types.
pub const HWTSTAMP_TX_OFF: libc::c_int = 0;
pub const HWTSTAMP_TX_ON: libc::c_int = 1;
pub const HWTSTAMP_TX_ONESTEP_SYNC: libc::c_int = 2;
pub const HWTSTAMP_TX_ONESTEP_P2P: libc::c_int = 3;

/// linux/net_tstamp.h: enum hwtstamp_rx_filters (the ones ptp4l uses).
pub const HWTSTAMP_FILTER_NONE: libc::c_int = 0;
pub const HWTSTAMP_FILTER_ALL: libc::c_int = 1;
pub const HWTSTAMP_FILTER_PTP_V2_L4_EVENT: libc::c_int = 6;
pub const HWTSTAMP_FILTER_PTP_V2_L2_EVENT: libc::c_int = 9;
pub const HWTSTAMP_FILTER_PTP_V2_EVENT: libc::c_int = 12;

/// linux/sockios.h.
pub const SIOCGIFINDEX: libc::c_ulong = 0x8933;
pub const SIOCGIFHWADDR: libc::c_ulong = 0x8927;
pub const SIOCETHTOOL: libc::c_ulong = 0x8946;
pub const SIOCSHWTSTAMP: libc::c_ulong = 0x89b0;
pub const SIOCGHWTSTAMP: libc::c_ulong = 0x89b1;

/// linux/ethtool.h: get time stamping and PHC info.
pub const ETHTOOL_GET_TS_INFO: u32 = 0x41;

/// linux/if_packet.h.
pub const PACKET_ADD_MEMBERSHIP: libc::c_int = 1;
pub const PACKET_DROP_MEMBERSHIP: libc::c_int = 2;
pub const PACKET_AUXDATA: libc::c_int = 8;
pub const PACKET_TX_TIMESTAMP: libc::c_int = 16;
pub const PACKET_MR_MULTICAST: libc::c_ushort = 0;
pub const PACKET_MR_PROMISC: libc::c_ushort = 1;
pub const PACKET_MR_ALLMULTI: libc::c_ushort = 2;
pub const PACKET_OUTGOING: u8 = 4;
pub const TP_STATUS_VLAN_VALID: u32 = 1 << 4;
pub const TP_STATUS_VLAN_TPID_VALID: u32 = 1 << 6;

/// linux/errqueue.h.
pub const SO_EE_ORIGIN_TIMESTAMPING: u8 = 4;

/// linux/if_ether.h.
pub const ETH_P_ALL: u16 = 0x0003;
pub const ETH_P_8021Q: u16 = 0x8100;
pub const ETH_P_8021AD: u16 = 0x88A8;
pub const ETH_P_1588: u16 = 0x88F7;

/// linux/if.h.
pub const IFNAMSIZ: usize = 16;

pub use libc::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLPRI};

// ---------------------------------------------------------------------------------------------
// UAPI structures
// ---------------------------------------------------------------------------------------------

/// linux/net_tstamp.h: struct hwtstamp_config.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HwtstampConfig {
    pub flags: libc::c_int,
    pub tx_type: libc::c_int,
    pub rx_filter: libc::c_int,
}

/// linux/ethtool.h: struct ethtool_ts_info.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EthtoolTsInfo {
    pub cmd: u32,
    pub so_timestamping: u32,
    pub phc_index: i32,
    pub tx_types: u32,
    pub tx_reserved: [u32; 3],
    pub rx_filters: u32,
    pub rx_reserved: [u32; 3],
}

/// linux/if_packet.h: struct tpacket_auxdata.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
struct TpacketAuxdata {
    tp_status: u32,
    tp_len: u32,
    tp_snaplen: u32,
    tp_mac: u16,
    tp_net: u16,
    tp_vlan_tci: u16,
    tp_vlan_tpid: u16,
}

/// linux/errqueue.h: struct sock_extended_err.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
struct SockExtendedErr {
    ee_errno: u32,
    ee_origin: u8,
    ee_type: u8,
    ee_code: u8,
    ee_pad: u8,
    ee_info: u32,
    ee_data: u32,
}

/// linux/filter.h: struct sock_filter (one classic BPF instruction).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SockFilter {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// linux/filter.h: struct sock_fprog.
#[repr(C)]
struct SockFprog {
    len: libc::c_ushort,
    filter: *const SockFilter,
}

/// linux/if_packet.h: struct packet_mreq.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct PacketMreq {
    pub mr_ifindex: libc::c_int,
    pub mr_type: libc::c_ushort,
    pub mr_alen: libc::c_ushort,
    pub mr_address: [u8; 8],
}

/// linux/in.h: struct ip_mreqn (addresses in network byte order, as octets).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct IpMreqn {
    pub imr_multiaddr: [u8; 4],
    pub imr_address: [u8; 4],
    pub imr_ifindex: libc::c_int,
}

/// linux/in6.h: struct ipv6_mreq.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Ipv6Mreq {
    pub ipv6mr_multiaddr: [u8; 16],
    pub ipv6mr_interface: libc::c_int,
}

/// linux/if.h: struct ifreq, with the union members ptp-rs uses.
#[repr(C)]
#[derive(Clone, Copy)]
struct IfReq {
    ifr_name: [libc::c_char; IFNAMSIZ],
    ifr_ifru: IfReqUnion,
}

#[repr(C)]
#[derive(Clone, Copy)]
union IfReqUnion {
    ifindex: libc::c_int,
    hwaddr: libc::sockaddr,
    data: *mut libc::c_void,
    // struct ifmap, the largest member, is 24 bytes on 64-bit.
    pad: [u8; 24],
}

impl IfReq {
    fn new(name: &str) -> io::Result<IfReq> {
        let bytes = name.as_bytes();
        if bytes.is_empty() || bytes.len() >= IFNAMSIZ || bytes.contains(&0) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("invalid interface name '{name}'")));
        }
        let mut req = IfReq { ifr_name: [0; IFNAMSIZ], ifr_ifru: IfReqUnion { pad: [0; 24] } };
        for (dst, src) in req.ifr_name.iter_mut().zip(bytes) {
            *dst = *src as libc::c_char;
        }
        Ok(req)
    }
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

/// A `struct timespec` as the kernel reports it (normalised: 0 <= nsec < 1e9).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: u32,
}

impl Timespec {
    pub const fn new(sec: i64, nsec: u32) -> Timespec {
        Timespec { sec, nsec }
    }

    /// Nanoseconds since the clock's epoch.
    pub fn as_nanos(&self) -> i128 {
        i128::from(self.sec) * 1_000_000_000 + i128::from(self.nsec)
    }

    /// From nanoseconds since the epoch (saturating at the i64 seconds range).
    pub fn from_nanos(ns: i128) -> Timespec {
        let sec = ns.div_euclid(1_000_000_000);
        let nsec = ns.rem_euclid(1_000_000_000) as u32;
        Timespec { sec: sec.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64, nsec }
    }

    /// The kernel fills unused timestamp slots with zero.
    pub fn is_zero(&self) -> bool {
        self.sec == 0 && self.nsec == 0
    }

    fn from_raw(ts: &libc::timespec) -> Timespec {
        Timespec::from_nanos(i128::from(ts.tv_sec) * 1_000_000_000 + i128::from(ts.tv_nsec))
    }

    fn to_raw(self) -> libc::timespec {
        libc::timespec { tv_sec: self.sec as libc::time_t, tv_nsec: self.nsec as libc::c_long }
    }
}

/// The clocks ptp-rs reads through `clock_gettime` (DESIGN.md: not CLOCK_TAI or CLOCK_BOOTTIME).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockId {
    Realtime,
    Monotonic,
    /// A dynamic clockid, e.g. a PHC's (derived from its fd).
    Dynamic(libc::clockid_t),
}

impl ClockId {
    fn raw(self) -> libc::clockid_t {
        match self {
            ClockId::Realtime => libc::CLOCK_REALTIME,
            ClockId::Monotonic => libc::CLOCK_MONOTONIC,
            ClockId::Dynamic(id) => id,
        }
    }
}

/// `clock_gettime`.
pub fn clock_gettime(clock: ClockId) -> io::Result<Timespec> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(clock.raw(), &mut ts) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(Timespec::from_raw(&ts))
}

// ---------------------------------------------------------------------------------------------
// File descriptors
// ---------------------------------------------------------------------------------------------

fn cvt(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

fn cvt_size(rc: libc::ssize_t) -> io::Result<usize> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc as usize)
    }
}

fn owned(fd: libc::c_int) -> io::Result<OwnedFd> {
    let fd = cvt(fd)?;
    // SAFETY: `fd` was just returned by the kernel as a new descriptor that nothing else owns;
    // OwnedFd closes it (libc `close`) exactly once on drop.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `open(path, flags)` through libc's `open` (not `open64`, see DESIGN.md).
pub fn open(path: &str, flags: libc::c_int) -> io::Result<OwnedFd> {
    let c = std::ffi::CString::new(path).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `c` is a valid NUL-terminated string alive for the call.
    owned(unsafe { libc::open(c.as_ptr(), flags) })
}

/// Move the calling thread into the network namespace `ns` (as `ip netns exec` names it, under
/// /var/run/netns): `setns(CLONE_NEWNET)` affects only this thread, and sockets it opens stay
/// in that namespace. Used by tests that run socket code inside their own namespaces.
pub fn enter_netns(ns: &str) -> io::Result<()> {
    let fd = open(&format!("/var/run/netns/{ns}"), libc::O_RDONLY)?;
    // SAFETY: fd is an open namespace file; setns takes no pointer argument.
    cvt(unsafe { libc::setns(fd.as_raw_fd(), libc::CLONE_NEWNET) }).map(|_| ())
}

/// `fcntl(F_GETFL)` then `fcntl(F_SETFL, flags | O_NONBLOCK)`.
pub fn set_nonblocking(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: fcntl F_GETFL takes no pointer argument; fd is a valid open descriptor.
    let flags = cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })?;
    if flags & libc::O_NONBLOCK != 0 {
        return Ok(());
    }
    // SAFETY: fcntl F_SETFL takes an int argument; fd is a valid open descriptor.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK) })?;
    Ok(())
}

/// `read` into `buf`.
pub fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the duration of the call.
    cvt_size(unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) })
}

// ---------------------------------------------------------------------------------------------
// Sockets
// ---------------------------------------------------------------------------------------------

/// `socket(domain, ty, protocol)`, with no SOCK_CLOEXEC/SOCK_NONBLOCK flags in `ty`.
pub fn socket(domain: libc::c_int, ty: libc::c_int, protocol: libc::c_int) -> io::Result<OwnedFd> {
    // SAFETY: socket takes no pointers.
    owned(unsafe { libc::socket(domain, ty, protocol) })
}

/// A socket address of the families ptp-rs uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SockAddr {
    V4 {
        ip: Ipv4Addr,
        port: u16,
    },
    V6 {
        ip: Ipv6Addr,
        port: u16,
        scope_id: u32,
    },
    /// `struct sockaddr_ll`; `protocol` in host order.
    Packet {
        ifindex: i32,
        protocol: u16,
        pkttype: u8,
        addr: [u8; 6],
    },
}

impl SockAddr {
    fn to_raw(self) -> (libc::sockaddr_storage, libc::socklen_t) {
        // SAFETY: sockaddr_storage is plain old data for which all-zero bytes are valid.
        let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let len = match self {
            SockAddr::V4 { ip, port } => {
                let sin = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: port.to_be(),
                    sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(ip.octets()) },
                    sin_zero: [0; 8],
                };
                // SAFETY: sockaddr_storage is larger than and suitably aligned for sockaddr_in.
                unsafe { std::ptr::write((&mut storage as *mut libc::sockaddr_storage).cast(), sin) };
                size_of::<libc::sockaddr_in>()
            }
            SockAddr::V6 { ip, port, scope_id } => {
                let sin6 = libc::sockaddr_in6 {
                    sin6_family: libc::AF_INET6 as libc::sa_family_t,
                    sin6_port: port.to_be(),
                    sin6_flowinfo: 0,
                    sin6_addr: libc::in6_addr { s6_addr: ip.octets() },
                    sin6_scope_id: scope_id,
                };
                // SAFETY: sockaddr_storage is larger than and suitably aligned for sockaddr_in6.
                unsafe { std::ptr::write((&mut storage as *mut libc::sockaddr_storage).cast(), sin6) };
                size_of::<libc::sockaddr_in6>()
            }
            SockAddr::Packet { ifindex, protocol, pkttype, addr } => {
                let mut sll_addr = [0u8; 8];
                sll_addr[..6].copy_from_slice(&addr);
                let sll = libc::sockaddr_ll {
                    sll_family: libc::AF_PACKET as libc::c_ushort,
                    sll_protocol: protocol.to_be(),
                    sll_ifindex: ifindex,
                    sll_hatype: 0,
                    sll_pkttype: pkttype,
                    sll_halen: 6,
                    sll_addr,
                };
                // SAFETY: sockaddr_storage is larger than and suitably aligned for sockaddr_ll.
                unsafe { std::ptr::write((&mut storage as *mut libc::sockaddr_storage).cast(), sll) };
                size_of::<libc::sockaddr_ll>()
            }
        };
        (storage, len as libc::socklen_t)
    }

    fn from_raw(storage: &libc::sockaddr_storage, len: libc::socklen_t) -> Option<SockAddr> {
        let len = len as usize;
        let ptr = storage as *const libc::sockaddr_storage;
        match i32::from(storage.ss_family) {
            libc::AF_INET if len >= size_of::<libc::sockaddr_in>() => {
                // SAFETY: the kernel wrote a sockaddr_in (family AF_INET, length checked) into
                // storage, which is suitably aligned for it.
                let sin: libc::sockaddr_in = unsafe { std::ptr::read(ptr.cast()) };
                Some(SockAddr::V4 {
                    ip: Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes()),
                    port: u16::from_be(sin.sin_port),
                })
            }
            libc::AF_INET6 if len >= size_of::<libc::sockaddr_in6>() => {
                // SAFETY: as above, for sockaddr_in6.
                let sin6: libc::sockaddr_in6 = unsafe { std::ptr::read(ptr.cast()) };
                Some(SockAddr::V6 {
                    ip: Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                    port: u16::from_be(sin6.sin6_port),
                    scope_id: sin6.sin6_scope_id,
                })
            }
            libc::AF_PACKET if len >= 12 => {
                // SAFETY: as above, for sockaddr_ll; storage is zero-initialised beyond `len`.
                let sll: libc::sockaddr_ll = unsafe { std::ptr::read(ptr.cast()) };
                let mut addr = [0u8; 6];
                addr.copy_from_slice(&sll.sll_addr[..6]);
                Some(SockAddr::Packet {
                    ifindex: sll.sll_ifindex,
                    protocol: u16::from_be(sll.sll_protocol),
                    pkttype: sll.sll_pkttype,
                    addr,
                })
            }
            _ => None,
        }
    }
}

/// `bind`.
pub fn bind(fd: BorrowedFd<'_>, addr: &SockAddr) -> io::Result<()> {
    let (storage, len) = addr.to_raw();
    // SAFETY: `storage` holds a valid socket address of `len` bytes for the duration of the call.
    cvt(unsafe { libc::bind(fd.as_raw_fd(), (&storage as *const libc::sockaddr_storage).cast(), len) })?;
    Ok(())
}

/// `setsockopt` with a plain-data value (int, struct ip_mreqn, ...).
pub fn setsockopt<T: Copy>(fd: BorrowedFd<'_>, level: libc::c_int, name: libc::c_int, value: &T) -> io::Result<()> {
    // SAFETY: `value` points to `size_of::<T>()` readable bytes for the duration of the call.
    cvt(unsafe {
        libc::setsockopt(fd.as_raw_fd(), level, name, (value as *const T).cast(), size_of::<T>() as libc::socklen_t)
    })?;
    Ok(())
}

/// `setsockopt` with a byte string value (SO_BINDTODEVICE).
pub fn setsockopt_bytes(fd: BorrowedFd<'_>, level: libc::c_int, name: libc::c_int, value: &[u8]) -> io::Result<()> {
    // SAFETY: `value` points to `value.len()` readable bytes for the duration of the call.
    cvt(unsafe {
        libc::setsockopt(fd.as_raw_fd(), level, name, value.as_ptr().cast(), value.len() as libc::socklen_t)
    })?;
    Ok(())
}

/// `getsockopt` of an int option.
pub fn getsockopt_int(fd: BorrowedFd<'_>, level: libc::c_int, name: libc::c_int) -> io::Result<libc::c_int> {
    let mut value: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid and writable; `len` holds the size of `value`.
    cvt(unsafe { libc::getsockopt(fd.as_raw_fd(), level, name, (&mut value as *mut libc::c_int).cast(), &mut len) })?;
    Ok(value)
}

/// Attach a classic BPF program (SO_ATTACH_FILTER).
pub fn attach_filter(fd: BorrowedFd<'_>, program: &[SockFilter]) -> io::Result<()> {
    let prog = SockFprog { len: program.len() as libc::c_ushort, filter: program.as_ptr() };
    // SAFETY: `prog` points to `program`, which outlives the call; the kernel copies it.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            SO_ATTACH_FILTER,
            (&prog as *const SockFprog).cast(),
            size_of::<SockFprog>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// `sendto(fd, buf, flags, addr)`; with `addr == None` this is `send` on a bound socket.
pub fn sendto(fd: BorrowedFd<'_>, buf: &[u8], flags: libc::c_int, addr: Option<&SockAddr>) -> io::Result<usize> {
    let rc = match addr {
        Some(addr) => {
            let (storage, len) = addr.to_raw();
            // SAFETY: `buf` is readable for its length and `storage` holds a valid address of
            // `len` bytes, both for the duration of the call.
            unsafe {
                libc::sendto(
                    fd.as_raw_fd(),
                    buf.as_ptr().cast(),
                    buf.len(),
                    flags,
                    (&storage as *const libc::sockaddr_storage).cast(),
                    len,
                )
            }
        }
        // SAFETY: `buf` is readable for its length; a null address with length 0 is allowed.
        None => unsafe { libc::sendto(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len(), flags, std::ptr::null(), 0) },
    };
    cvt_size(rc)
}

/// `sendmsg` of one buffer to an optional address, without control messages.
pub fn sendmsg(fd: BorrowedFd<'_>, buf: &[u8], flags: libc::c_int, addr: Option<&SockAddr>) -> io::Result<usize> {
    let raw_addr = addr.map(|a| a.to_raw());
    let mut iov = libc::iovec { iov_base: buf.as_ptr() as *mut libc::c_void, iov_len: buf.len() };
    // SAFETY: msghdr is plain old data for which all-zero bytes are valid.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    if let Some((storage, len)) = raw_addr.as_ref() {
        msg.msg_name = (storage as *const libc::sockaddr_storage) as *mut libc::c_void;
        msg.msg_namelen = *len;
    }
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    // SAFETY: every pointer in `msg` (iov -> buf, name -> raw_addr) is valid for the call, and
    // the kernel only reads through them for sendmsg.
    cvt_size(unsafe { libc::sendmsg(fd.as_raw_fd(), &msg, flags) })
}

/// An 802.1Q tag reported in PACKET_AUXDATA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuxVlan {
    pub tci: u16,
    /// The tag protocol identifier, when the kernel reports it.
    pub tpid: Option<u16>,
}

/// The timestamp-related error-queue report (struct sock_extended_err).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtendedErr {
    pub errno: u32,
    pub origin: u8,
    pub ee_type: u8,
    pub code: u8,
    pub info: u32,
    pub data: u32,
}

/// What `recvmsg` returned besides the payload bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecvMeta {
    /// Bytes stored in the buffer.
    pub len: usize,
    /// MSG_TRUNC: the datagram was longer than the buffer.
    pub truncated: bool,
    /// Source address (msg_name).
    pub addr: Option<SockAddr>,
    /// SCM_TIMESTAMPING: [software, legacy hardware-transformed, raw hardware].
    pub timestamping: Option<[Timespec; 3]>,
    /// SCM_TIMESTAMPNS: software receive time (SO_TIMESTAMPNS fallback).
    pub timestampns: Option<Timespec>,
    /// PACKET_AUXDATA VLAN tag, when the kernel took it out of the frame.
    pub vlan: Option<AuxVlan>,
    /// IP_RECVERR / IPV6_RECVERR / PACKET_TX_TIMESTAMP on the error queue.
    pub ext_err: Option<ExtendedErr>,
}

fn read_cmsg<T: Copy + Default>(cmsg: *const libc::cmsghdr) -> Option<T> {
    // SAFETY: `cmsg` was returned by CMSG_FIRSTHDR/CMSG_NXTHDR for a live msghdr, so its header
    // is readable; the data is read only when cmsg_len covers size_of::<T>() bytes, and with an
    // unaligned read because CMSG_DATA need not be aligned for T.
    unsafe {
        // cmsg_len is size_t on glibc but socklen_t on musl.
        #[allow(clippy::unnecessary_cast)]
        let len = (*cmsg).cmsg_len as usize;
        let header = libc::CMSG_LEN(0) as usize;
        if len < header + size_of::<T>() {
            return None;
        }
        Some(std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<T>()))
    }
}

/// `recvmsg` into `buf` with a control buffer large enough for every control message ptp-rs
/// enables; parses SCM_TIMESTAMPING, SCM_TIMESTAMPNS, PACKET_AUXDATA and the error-queue report.
pub fn recvmsg(fd: BorrowedFd<'_>, buf: &mut [u8], flags: libc::c_int) -> io::Result<RecvMeta> {
    // 512 bytes, u64-aligned as cmsghdr requires; linuxptp uses 256.
    let mut control = [0u64; 64];
    // SAFETY: sockaddr_storage and msghdr are plain old data for which all-zero bytes are valid.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    let mut iov = libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: buf.len() };
    msg.msg_name = (&mut storage as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = size_of_val(&control) as _;

    // SAFETY: every pointer in `msg` refers to a live local (buf via iov, storage, control) with
    // the lengths given; the kernel writes at most those lengths.
    let n = cvt_size(unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, flags) })?;

    let mut meta = RecvMeta {
        len: n.min(buf.len()),
        truncated: msg.msg_flags & libc::MSG_TRUNC != 0,
        addr: if msg.msg_namelen > 0 { SockAddr::from_raw(&storage, msg.msg_namelen) } else { None },
        ..RecvMeta::default()
    };

    // SAFETY: `msg` was filled by recvmsg; msg_control/msg_controllen describe `control`.
    let mut cmsg = unsafe { libc::CMSG_FIRSTHDR(&msg) };
    while !cmsg.is_null() {
        // SAFETY: non-null cmsg pointers from CMSG_FIRSTHDR/NXTHDR point into `control`.
        let (level, ty) = unsafe { ((*cmsg).cmsg_level, (*cmsg).cmsg_type) };
        match (level, ty) {
            (libc::SOL_SOCKET, SO_TIMESTAMPING) => {
                if let Some(ts) = read_cmsg::<[libc::timespec; 3]>(cmsg) {
                    meta.timestamping =
                        Some([Timespec::from_raw(&ts[0]), Timespec::from_raw(&ts[1]), Timespec::from_raw(&ts[2])]);
                }
            }
            (libc::SOL_SOCKET, SO_TIMESTAMPNS) => {
                meta.timestampns = read_cmsg::<libc::timespec>(cmsg).map(|ts| Timespec::from_raw(&ts));
            }
            (libc::SOL_PACKET, PACKET_AUXDATA) => {
                if let Some(aux) = read_cmsg::<TpacketAuxdata>(cmsg) {
                    if aux.tp_status & TP_STATUS_VLAN_VALID != 0 {
                        let tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID != 0).then_some(aux.tp_vlan_tpid);
                        meta.vlan = Some(AuxVlan { tci: aux.tp_vlan_tci, tpid });
                    }
                }
            }
            (libc::SOL_IP, libc::IP_RECVERR)
            | (libc::SOL_IPV6, libc::IPV6_RECVERR)
            | (libc::SOL_PACKET, PACKET_TX_TIMESTAMP) => {
                meta.ext_err = read_cmsg::<SockExtendedErr>(cmsg).map(|e| ExtendedErr {
                    errno: e.ee_errno,
                    origin: e.ee_origin,
                    ee_type: e.ee_type,
                    code: e.ee_code,
                    info: e.ee_info,
                    data: e.ee_data,
                });
            }
            _ => {}
        }
        // SAFETY: `cmsg` is a valid header within `msg`'s control buffer.
        cmsg = unsafe { libc::CMSG_NXTHDR(&msg, cmsg) };
    }
    Ok(meta)
}

// ---------------------------------------------------------------------------------------------
// Interface ioctls
// ---------------------------------------------------------------------------------------------

fn ioctl_ifreq(fd: BorrowedFd<'_>, request: libc::c_ulong, req: &mut IfReq) -> io::Result<()> {
    // SAFETY: `req` is a valid, writable struct ifreq for the duration of the call, and every
    // request passed here takes a struct ifreq (whose ifr_data, if used, points to a live
    // struct of the type the request expects).
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), request as _, req as *mut IfReq) })?;
    Ok(())
}

/// `ioctl(SIOCGIFINDEX)`: the interface index.
pub fn if_index(fd: BorrowedFd<'_>, name: &str) -> io::Result<i32> {
    let mut req = IfReq::new(name)?;
    ioctl_ifreq(fd, SIOCGIFINDEX, &mut req)?;
    // SAFETY: SIOCGIFINDEX filled the ifindex member of the union.
    Ok(unsafe { req.ifr_ifru.ifindex })
}

/// `ioctl(SIOCGIFHWADDR)`: the interface MAC address.
pub fn if_hwaddr(fd: BorrowedFd<'_>, name: &str) -> io::Result<[u8; 6]> {
    let mut req = IfReq::new(name)?;
    ioctl_ifreq(fd, SIOCGIFHWADDR, &mut req)?;
    // SAFETY: SIOCGIFHWADDR filled the hwaddr member of the union.
    let sa = unsafe { req.ifr_ifru.hwaddr };
    let mut mac = [0u8; 6];
    for (dst, src) in mac.iter_mut().zip(sa.sa_data.iter()) {
        *dst = *src as u8;
    }
    Ok(mac)
}

/// `ioctl(SIOCSHWTSTAMP)`: returns the configuration the driver actually applied.
pub fn hwtstamp_set(fd: BorrowedFd<'_>, name: &str, config: HwtstampConfig) -> io::Result<HwtstampConfig> {
    let mut cfg = config;
    let mut req = IfReq::new(name)?;
    req.ifr_ifru.data = (&mut cfg as *mut HwtstampConfig).cast();
    ioctl_ifreq(fd, SIOCSHWTSTAMP, &mut req)?;
    Ok(cfg)
}

/// `ioctl(SIOCGHWTSTAMP)`: the current hardware timestamping configuration.
pub fn hwtstamp_get(fd: BorrowedFd<'_>, name: &str) -> io::Result<HwtstampConfig> {
    let mut cfg = HwtstampConfig::default();
    let mut req = IfReq::new(name)?;
    req.ifr_ifru.data = (&mut cfg as *mut HwtstampConfig).cast();
    ioctl_ifreq(fd, SIOCGHWTSTAMP, &mut req)?;
    Ok(cfg)
}

/// `ioctl(SIOCETHTOOL, ETHTOOL_GET_TS_INFO)`.
pub fn ethtool_ts_info(fd: BorrowedFd<'_>, name: &str) -> io::Result<EthtoolTsInfo> {
    let mut info = EthtoolTsInfo { cmd: ETHTOOL_GET_TS_INFO, ..EthtoolTsInfo::default() };
    let mut req = IfReq::new(name)?;
    req.ifr_ifru.data = (&mut info as *mut EthtoolTsInfo).cast();
    ioctl_ifreq(fd, SIOCETHTOOL, &mut req)?;
    Ok(info)
}

// ---------------------------------------------------------------------------------------------
// poll and timerfd
// ---------------------------------------------------------------------------------------------

/// One entry of a `poll()` set (`struct pollfd`).
pub type PollFd = libc::pollfd;

/// Build a pollfd entry.
pub fn pollfd(fd: RawFd, events: libc::c_short) -> PollFd {
    libc::pollfd { fd, events, revents: 0 }
}

/// `poll(fds, timeout_ms)`; EINTR is returned as an error of kind Interrupted.
pub fn poll(fds: &mut [PollFd], timeout_ms: libc::c_int) -> io::Result<usize> {
    // SAFETY: `fds` is a valid, writable array of `fds.len()` pollfd entries.
    let n = cvt(unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) })?;
    Ok(n as usize)
}

/// `timerfd_create(CLOCK_MONOTONIC, 0)`.
pub fn timerfd_create() -> io::Result<OwnedFd> {
    // SAFETY: timerfd_create takes no pointers.
    owned(unsafe { libc::timerfd_create(libc::CLOCK_MONOTONIC, 0) })
}

/// `timerfd_settime`; `absolute` sets TFD_TIMER_ABSTIME. A zero `value` disarms.
pub fn timerfd_settime(fd: BorrowedFd<'_>, absolute: bool, value: Timespec, interval: Timespec) -> io::Result<()> {
    let spec = libc::itimerspec { it_interval: interval.to_raw(), it_value: value.to_raw() };
    let flags = if absolute { libc::TFD_TIMER_ABSTIME } else { 0 };
    // SAFETY: `spec` is a valid itimerspec; a null old_value is allowed.
    cvt(unsafe { libc::timerfd_settime(fd.as_raw_fd(), flags, &spec, std::ptr::null_mut()) })?;
    Ok(())
}

/// Read a timerfd's 8-byte expiration counter.
pub fn timerfd_read(fd: BorrowedFd<'_>) -> io::Result<u64> {
    let mut buf = [0u8; 8];
    let n = read(fd, &mut buf)?;
    if n != 8 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short timerfd read"));
    }
    Ok(u64::from_ne_bytes(buf))
}

// ---------------------------------------------------------------------------------------------
// Termination signals and syslog

static TERMINATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_termination_signal(_signal: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    TERMINATE.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Install a handler for SIGINT, SIGTERM, SIGQUIT and SIGHUP (as linuxptp's
/// `handle_term_signals`) that only sets a flag; read it with [`termination_requested`] after
/// each `poll()`. No SA_RESTART: a signal interrupts the poll with EINTR.
pub fn catch_termination_signals() -> io::Result<()> {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGQUIT, libc::SIGHUP] {
        // SAFETY: an all-zero sigaction is a valid value to fill in.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = on_termination_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = 0;
        // SAFETY: `action.sa_mask` is a valid sigset_t to initialise.
        cvt(unsafe { libc::sigemptyset(&mut action.sa_mask) })?;
        // SAFETY: `action` is a fully initialised sigaction whose handler only stores to an
        // atomic; a null old action is allowed.
        cvt(unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) })?;
    }
    Ok(())
}

/// Whether a termination signal arrived since [`catch_termination_signals`].
pub fn termination_requested() -> bool {
    TERMINATE.load(std::sync::atomic::Ordering::SeqCst)
}

/// `syslog(priority, "%s", message)` through libc (no openlog, as linuxptp's print.c; glibc
/// then uses the program name as the ident). NUL bytes in `message` are dropped.
pub fn syslog(priority: libc::c_int, message: &str) {
    let bytes: Vec<u8> = message.bytes().filter(|b| *b != 0).collect();
    let Ok(text) = std::ffi::CString::new(bytes) else { return };
    // SAFETY: both pointers are valid NUL-terminated strings; "%s" consumes exactly one
    // string argument.
    unsafe { libc::syslog(priority, c"%s".as_ptr(), text.as_ptr()) };
}

// ---------------------------------------------------------------------------------------------
// Netlink (rtnetlink link monitoring)
// ---------------------------------------------------------------------------------------------

/// `bind` a netlink socket to the multicast `groups` (e.g. RTMGRP_LINK), as linuxptp's
/// `rtnl_open`: `struct sockaddr_nl` with nl_pid 0 (the kernel assigns one).
pub fn bind_netlink(fd: BorrowedFd<'_>, groups: u32) -> io::Result<()> {
    // SAFETY: sockaddr_nl is plain old data for which all-zero bytes are valid.
    let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    sa.nl_groups = groups;
    // SAFETY: `sa` is a valid sockaddr_nl of the length given, live for the call.
    cvt(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&sa as *const libc::sockaddr_nl).cast(),
            size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// `recv(fd, buf, len, flags)`; the number of bytes stored (or, with MSG_TRUNC, the datagram's
/// full length).
pub fn recv(fd: BorrowedFd<'_>, buf: &mut [u8], flags: libc::c_int) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the duration of the call.
    cvt_size(unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), flags) })
}

/// A `struct sockaddr_un` for `path` (the raw sun_path bytes; no terminating NUL needed).
fn unix_addr(path: &[u8]) -> io::Result<(libc::sockaddr_un, libc::socklen_t)> {
    // SAFETY: sockaddr_un is plain old data for which all-zero bytes are valid.
    let mut sa: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    if path.is_empty() || path.len() >= sa.sun_path.len() {
        return Err(io::Error::from_raw_os_error(libc::ENAMETOOLONG));
    }
    sa.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (d, s) in sa.sun_path.iter_mut().zip(path) {
        *d = *s as libc::c_char;
    }
    let len = std::mem::offset_of!(libc::sockaddr_un, sun_path) + path.len() + 1;
    Ok((sa, len as libc::socklen_t))
}

/// `bind` of an AF_UNIX socket to a filesystem path.
pub fn bind_unix(fd: BorrowedFd<'_>, path: &[u8]) -> io::Result<()> {
    let (sa, len) = unix_addr(path)?;
    // SAFETY: `sa` is a valid sockaddr_un of at least `len` bytes for the duration of the call.
    cvt(unsafe { libc::bind(fd.as_raw_fd(), (&sa as *const libc::sockaddr_un).cast(), len) })?;
    Ok(())
}

/// `recvfrom` on an AF_UNIX datagram socket: the length and the sender's sun_path (empty for
/// an unbound sender).
pub fn recvfrom_unix(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<(usize, Vec<u8>)> {
    // SAFETY: sockaddr_un is plain old data for which all-zero bytes are valid.
    let mut sa: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_un>() as libc::socklen_t;
    // SAFETY: `buf` is writable for its length, `sa` for `len` bytes, during the call.
    let n = cvt_size(unsafe {
        libc::recvfrom(
            fd.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            0,
            (&mut sa as *mut libc::sockaddr_un).cast(),
            &mut len,
        )
    })?;
    let off = std::mem::offset_of!(libc::sockaddr_un, sun_path);
    let plen = (len as usize).saturating_sub(off).min(sa.sun_path.len());
    let path: Vec<u8> =
        sa.sun_path.get(..plen).unwrap_or(&[]).iter().map(|c| *c as u8).take_while(|c| *c != 0).collect();
    Ok((n, path))
}

/// `sendto` on an AF_UNIX datagram socket to a filesystem path.
pub fn sendto_unix(fd: BorrowedFd<'_>, buf: &[u8], path: &[u8]) -> io::Result<usize> {
    let (sa, len) = unix_addr(path)?;
    // SAFETY: `buf` is readable for its length and `sa` is a valid address of `len` bytes.
    cvt_size(unsafe {
        libc::sendto(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len(), 0, (&sa as *const libc::sockaddr_un).cast(), len)
    })
}

// ---------------------------------------------------------------------------------------------
// Clock adjustment: clock_adjtime (adjtimex(2)) and sysconf(_SC_CLK_TCK)
// ---------------------------------------------------------------------------------------------

/// linux/timex.h: `struct timex` mode bits (which fields `clock_adjtime` applies).
pub const ADJ_OFFSET: u32 = libc::ADJ_OFFSET;
pub const ADJ_FREQUENCY: u32 = libc::ADJ_FREQUENCY;
pub const ADJ_MAXERROR: u32 = libc::ADJ_MAXERROR;
pub const ADJ_ESTERROR: u32 = libc::ADJ_ESTERROR;
pub const ADJ_STATUS: u32 = libc::ADJ_STATUS;
pub const ADJ_TIMECONST: u32 = libc::ADJ_TIMECONST;
pub const ADJ_TAI: u32 = libc::ADJ_TAI;
pub const ADJ_SETOFFSET: u32 = libc::ADJ_SETOFFSET;
pub const ADJ_MICRO: u32 = libc::ADJ_MICRO;
pub const ADJ_NANO: u32 = libc::ADJ_NANO;
pub const ADJ_TICK: u32 = libc::ADJ_TICK;

/// linux/timex.h: `struct timex` status bits.
pub const STA_PLL: i32 = libc::STA_PLL;
pub const STA_INS: i32 = libc::STA_INS;
pub const STA_DEL: i32 = libc::STA_DEL;
pub const STA_UNSYNC: i32 = libc::STA_UNSYNC;
pub const STA_NANO: i32 = libc::STA_NANO;
/// The status bits the kernel keeps for itself; ADJ_STATUS cannot change them.
pub const STA_RONLY: i32 = libc::STA_RONLY;

/// linux/timex.h: the clock state `clock_adjtime` returns.
pub const TIME_OK: i32 = libc::TIME_OK;
pub const TIME_INS: i32 = libc::TIME_INS;
pub const TIME_DEL: i32 = libc::TIME_DEL;
pub const TIME_OOP: i32 = libc::TIME_OOP;
pub const TIME_WAIT: i32 = libc::TIME_WAIT;
pub const TIME_ERROR: i32 = libc::TIME_ERROR;

/// The fields of `struct timex` (linux/timex.h, adjtimex(2)) that ptp-rs sets or reads, as plain
/// integers; the kernel structure has padding and PPS fields nothing here uses. Passed in and
/// filled back by [`clock_adjtime`]. A zero value with `modes == 0` only reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timex {
    /// ADJ_* bits: which of the fields below the call applies.
    pub modes: u32,
    /// ADJ_OFFSET: phase offset for the kernel PLL (or the PHC's adjphase), ns with ADJ_NANO.
    pub offset: i64,
    /// ADJ_FREQUENCY: frequency offset in ppm scaled by 2^16 ("scaled ppm").
    pub freq: i64,
    /// ADJ_MAXERROR: maximum error in µs.
    pub maxerror: i64,
    /// ADJ_ESTERROR: estimated error in µs.
    pub esterror: i64,
    /// ADJ_STATUS: STA_* bits.
    pub status: i32,
    /// ADJ_TIMECONST: PLL time constant; ADJ_TAI: the TAI-UTC offset in seconds.
    pub constant: i64,
    /// Clock precision in µs (read only).
    pub precision: i64,
    /// Maximum frequency offset the kernel accepts, scaled ppm (read only; 0 for a PHC).
    pub tolerance: i64,
    /// ADJ_SETOFFSET: whole seconds of the step (`time.tv_sec`).
    pub time_sec: i64,
    /// ADJ_SETOFFSET: the step's fraction (`time.tv_usec`), ns with ADJ_NANO, never negative.
    pub time_frac: i64,
    /// ADJ_TICK: µs added to the clock per tick (CLOCK_REALTIME only).
    pub tick: i64,
    /// The TAI-UTC offset in seconds (read only; set through ADJ_TAI and `constant`).
    pub tai: i32,
}

/// `clock_adjtime(clock, &timex)`: applies the fields `tx.modes` selects, then fills `tx` with
/// the clock's current values. Returns the clock state (TIME_OK ... TIME_ERROR; TIME_ERROR is
/// not a failure, it reports STA_UNSYNC and friends). `modes == 0` only reads.
///
/// Unit tests of this crate may only read CLOCK_REALTIME and CLOCK_MONOTONIC: this machine's
/// clock is shared, so a test build panics before it would adjust them.
pub fn clock_adjtime(clock: ClockId, tx: &mut Timex) -> io::Result<i32> {
    if cfg!(test) && adjusts_a_shared_clock(clock, tx.modes) {
        panic!("a test tried to adjust {clock:?} (modes {:#x}); tests may only read it", tx.modes);
    }
    // SAFETY: struct timex is plain old data for which all-zero bytes are valid.
    let mut raw: libc::timex = unsafe { std::mem::zeroed() };
    raw.modes = tx.modes;
    raw.offset = tx.offset as libc::c_long;
    raw.freq = tx.freq as libc::c_long;
    raw.maxerror = tx.maxerror as libc::c_long;
    raw.esterror = tx.esterror as libc::c_long;
    raw.status = tx.status;
    raw.constant = tx.constant as libc::c_long;
    raw.time = libc::timeval { tv_sec: tx.time_sec as libc::time_t, tv_usec: tx.time_frac as libc::suseconds_t };
    raw.tick = tx.tick as libc::c_long;
    // SAFETY: `raw` is a valid, writable struct timex for the duration of the call.
    let state = unsafe { libc::clock_adjtime(clock.raw(), &mut raw) };
    if state < 0 {
        return Err(io::Error::last_os_error());
    }
    *tx = Timex {
        modes: raw.modes,
        offset: raw.offset as i64,
        freq: raw.freq as i64,
        maxerror: raw.maxerror as i64,
        esterror: raw.esterror as i64,
        status: raw.status,
        constant: raw.constant as i64,
        precision: raw.precision as i64,
        tolerance: raw.tolerance as i64,
        time_sec: raw.time.tv_sec as i64,
        time_frac: raw.time.tv_usec as i64,
        tick: raw.tick as i64,
        tai: raw.tai,
    };
    Ok(state)
}

/// Whether `clock_adjtime(clock, modes)` would change a clock this whole machine shares: any
/// static clockid (CLOCK_REALTIME, ...; dynamic, fd-based clockids are negative).
fn adjusts_a_shared_clock(clock: ClockId, modes: u32) -> bool {
    modes != 0 && clock.raw() >= 0
}

/// `sysconf(_SC_CLK_TCK)`: USER_HZ, the unit of `timex.tick`; `None` if unavailable.
pub fn clock_ticks_per_second() -> Option<i64> {
    // SAFETY: sysconf takes no pointers.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (hz > 0).then_some(hz as i64)
}

/// linux/posix-timers.h: CLOCKFD, the low bits of a dynamic (file descriptor) clockid.
pub const CLOCKFD: libc::clockid_t = 3;

/// The dynamic clockid of an open POSIX clock character device such as /dev/ptpN: the
/// kernel's (and linuxptp's) FD_TO_CLOCKID, `((~fd) << 3) | CLOCKFD` in unsigned arithmetic.
pub const fn fd_to_clockid(fd: RawFd) -> libc::clockid_t {
    ((!(fd as u32) << 3) | CLOCKFD as u32) as libc::clockid_t
}

/// The inverse, CLOCKID_TO_FD: `~(clockid >> 3)` with an arithmetic shift.
pub const fn clockid_to_fd(id: libc::clockid_t) -> RawFd {
    !(id >> 3)
}

impl ClockId {
    /// The clock of an open PHC (or other POSIX clock device) descriptor. The id is valid only
    /// while that descriptor stays open.
    pub fn from_fd(fd: BorrowedFd<'_>) -> ClockId {
        ClockId::Dynamic(fd_to_clockid(fd.as_raw_fd()))
    }

    /// The raw `clockid_t`, as the kernel and clknetsim see it.
    pub fn as_raw(self) -> libc::clockid_t {
        self.raw()
    }
}

// ---------------------------------------------------------------------------------------------
// PHC ioctls (linux/ptp_clock.h, Documentation/driver-api/ptp.rst)
// ---------------------------------------------------------------------------------------------

/// linux/ptp_clock.h: `_IOR('=', 1, struct ptp_clock_caps)` with the 80-byte structure.
pub const PTP_CLOCK_GETCAPS: libc::c_ulong = 0x8050_3d01;
/// linux/ptp_clock.h: `_IOW('=', 5, struct ptp_sys_offset)`.
pub const PTP_SYS_OFFSET: libc::c_ulong = 0x4340_3d05;
/// linux/ptp_clock.h: `_IOWR('=', 8, struct ptp_sys_offset_precise)`.
pub const PTP_SYS_OFFSET_PRECISE: libc::c_ulong = 0xc040_3d08;
/// linux/ptp_clock.h: `_IOWR('=', 9, struct ptp_sys_offset_extended)`.
pub const PTP_SYS_OFFSET_EXTENDED: libc::c_ulong = 0xc4c0_3d09;
/// linux/ptp_clock.h: the most samples PTP_SYS_OFFSET and _EXTENDED take.
pub const PTP_MAX_SAMPLES: usize = 25;

const _: () = assert!(size_of::<libc::ptp_clock_caps>() == 80);
const _: () = assert!(size_of::<libc::ptp_sys_offset>() == 832);
const _: () = assert!(size_of::<libc::ptp_sys_offset_precise>() == 64);
const _: () = assert!(size_of::<libc::ptp_sys_offset_extended>() == 1216);

/// linux/ptp_clock.h: `struct ptp_clock_caps` (without its reserved words).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PtpClockCaps {
    /// Maximum frequency adjustment in ppb; 0 for a clock that cannot be adjusted.
    pub max_adj: i32,
    pub n_alarm: i32,
    pub n_ext_ts: i32,
    pub n_per_out: i32,
    pub pps: i32,
    pub n_pins: i32,
    /// Whether PTP_SYS_OFFSET_PRECISE works.
    pub cross_timestamping: i32,
    /// Whether ADJ_OFFSET (adjphase) works.
    pub adjust_phase: i32,
    /// Maximum ADJ_OFFSET in ns (kernels since 6.2; 0 before).
    pub max_phase_adj: i32,
}

/// `ioctl(fd, PTP_CLOCK_GETCAPS, &caps)` on an open /dev/ptpN.
pub fn ptp_clock_getcaps(fd: BorrowedFd<'_>) -> io::Result<PtpClockCaps> {
    // SAFETY: struct ptp_clock_caps is plain old data for which all-zero bytes are valid.
    let mut caps: libc::ptp_clock_caps = unsafe { std::mem::zeroed() };
    // SAFETY: PTP_CLOCK_GETCAPS writes one struct ptp_clock_caps (80 bytes, checked above) to
    // the pointer, which refers to a live local of that type.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), PTP_CLOCK_GETCAPS as _, &mut caps as *mut libc::ptp_clock_caps) })?;
    Ok(PtpClockCaps {
        max_adj: caps.max_adj,
        n_alarm: caps.n_alarm,
        n_ext_ts: caps.n_ext_ts,
        n_per_out: caps.n_per_out,
        pps: caps.pps,
        n_pins: caps.n_pins,
        cross_timestamping: caps.cross_timestamping,
        adjust_phase: caps.adjust_phase,
        max_phase_adj: caps.max_phase_adj,
    })
}

fn from_ptp_clock_time(t: &libc::ptp_clock_time) -> Timespec {
    Timespec::from_nanos(i128::from(t.sec) * 1_000_000_000 + i128::from(t.nsec))
}

/// One reading of PTP_SYS_OFFSET or PTP_SYS_OFFSET_EXTENDED: the system clock just before and
/// just after the PHC was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SysOffsetSample {
    pub sys_before: Timespec,
    pub phc: Timespec,
    pub sys_after: Timespec,
}

/// `ioctl(PTP_SYS_OFFSET)` with `n_samples` (1..=25) readings against CLOCK_REALTIME. The
/// kernel returns 2n+1 timestamps (system, PHC, system, ..., system); reading i is entries
/// 2i, 2i+1 and 2i+2.
pub fn ptp_sys_offset(fd: BorrowedFd<'_>, n_samples: usize) -> io::Result<Vec<SysOffsetSample>> {
    if n_samples == 0 || n_samples > PTP_MAX_SAMPLES {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    // SAFETY: struct ptp_sys_offset is plain old data for which all-zero bytes are valid.
    let mut req: libc::ptp_sys_offset = unsafe { std::mem::zeroed() };
    req.n_samples = n_samples as libc::c_uint;
    // SAFETY: PTP_SYS_OFFSET reads and writes one struct ptp_sys_offset at the pointer, a live
    // local of that type.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), PTP_SYS_OFFSET as _, &mut req as *mut libc::ptp_sys_offset) })?;
    let n = (req.n_samples as usize).min(n_samples);
    Ok((0..n)
        .map(|i| SysOffsetSample {
            sys_before: from_ptp_clock_time(&req.ts[2 * i]),
            phc: from_ptp_clock_time(&req.ts[2 * i + 1]),
            sys_after: from_ptp_clock_time(&req.ts[2 * i + 2]),
        })
        .collect())
}

/// `ioctl(PTP_SYS_OFFSET_EXTENDED)` with `n_samples` (1..=25) readings against `sys_clock`
/// (CLOCK_REALTIME; newer kernels also take CLOCK_MONOTONIC and CLOCK_MONOTONIC_RAW).
pub fn ptp_sys_offset_extended(
    fd: BorrowedFd<'_>,
    sys_clock: ClockId,
    n_samples: usize,
) -> io::Result<Vec<SysOffsetSample>> {
    if n_samples == 0 || n_samples > PTP_MAX_SAMPLES {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    // SAFETY: struct ptp_sys_offset_extended is plain old data; all-zero bytes are valid.
    let mut req: libc::ptp_sys_offset_extended = unsafe { std::mem::zeroed() };
    req.n_samples = n_samples as libc::c_uint;
    req.clockid = sys_clock.raw();
    // SAFETY: PTP_SYS_OFFSET_EXTENDED reads and writes one struct ptp_sys_offset_extended at
    // the pointer, a live local of that type.
    cvt(unsafe {
        libc::ioctl(fd.as_raw_fd(), PTP_SYS_OFFSET_EXTENDED as _, &mut req as *mut libc::ptp_sys_offset_extended)
    })?;
    let n = (req.n_samples as usize).min(n_samples);
    Ok(req.ts[..n]
        .iter()
        .map(|t| SysOffsetSample {
            sys_before: from_ptp_clock_time(&t[0]),
            phc: from_ptp_clock_time(&t[1]),
            sys_after: from_ptp_clock_time(&t[2]),
        })
        .collect())
}

/// The result of PTP_SYS_OFFSET_PRECISE: one cross timestamp taken by the hardware.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SysOffsetPrecise {
    pub device: Timespec,
    pub sys_realtime: Timespec,
    pub sys_monoraw: Timespec,
}

/// `ioctl(PTP_SYS_OFFSET_PRECISE)` (EOPNOTSUPP where the driver has no cross timestamping).
pub fn ptp_sys_offset_precise(fd: BorrowedFd<'_>) -> io::Result<SysOffsetPrecise> {
    // SAFETY: struct ptp_sys_offset_precise is plain old data; all-zero bytes are valid.
    let mut req: libc::ptp_sys_offset_precise = unsafe { std::mem::zeroed() };
    // SAFETY: PTP_SYS_OFFSET_PRECISE reads and writes one struct ptp_sys_offset_precise at the
    // pointer, a live local of that type.
    cvt(unsafe {
        libc::ioctl(fd.as_raw_fd(), PTP_SYS_OFFSET_PRECISE as _, &mut req as *mut libc::ptp_sys_offset_precise)
    })?;
    Ok(SysOffsetPrecise {
        device: from_ptp_clock_time(&req.device),
        sys_realtime: from_ptp_clock_time(&req.sys_realtime),
        sys_monoraw: from_ptp_clock_time(&req.sys_monoraw),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_sizes_match_the_uapi() {
        assert_eq!(size_of::<IfReq>(), 40);
        assert_eq!(size_of::<HwtstampConfig>(), 12);
        assert_eq!(size_of::<EthtoolTsInfo>(), 44);
        assert_eq!(size_of::<TpacketAuxdata>(), 20);
        assert_eq!(size_of::<SockExtendedErr>(), 16);
        assert_eq!(size_of::<SockFilter>(), 8);
        assert_eq!(size_of::<PacketMreq>(), 16);
        assert_eq!(size_of::<IpMreqn>(), 12);
        assert_eq!(size_of::<Ipv6Mreq>(), 20);
    }

    #[test]
    fn timespec_nanos_round_trip() {
        for ns in [0i128, 1, 999_999_999, 1_000_000_000, -1, -1_000_000_001, 1_700_000_000_123_456_789] {
            assert_eq!(Timespec::from_nanos(ns).as_nanos(), ns);
        }
        assert_eq!(Timespec::from_nanos(-1), Timespec::new(-1, 999_999_999));
    }

    #[test]
    fn sockaddr_round_trip() {
        for addr in [
            SockAddr::V4 { ip: Ipv4Addr::new(224, 0, 1, 129), port: 319 },
            SockAddr::V6 { ip: "ff0e::181".parse().unwrap(), port: 320, scope_id: 7 },
            SockAddr::Packet { ifindex: 3, protocol: ETH_P_1588, pkttype: 0, addr: [1, 0x1b, 0x19, 0, 0, 0] },
        ] {
            let (storage, len) = addr.to_raw();
            assert_eq!(SockAddr::from_raw(&storage, len), Some(addr));
        }
    }

    #[test]
    fn interface_name_is_checked() {
        assert!(IfReq::new("").is_err());
        assert!(IfReq::new("0123456789abcdef").is_err());
        assert!(IfReq::new("eth0").is_ok());
    }

    #[test]
    fn clocks_read() {
        let a = clock_gettime(ClockId::Monotonic).unwrap();
        let b = clock_gettime(ClockId::Monotonic).unwrap();
        assert!(b >= a);
        assert!(clock_gettime(ClockId::Realtime).unwrap().sec > 1_500_000_000);
    }

    #[test]
    fn ptp_ioctl_numbers_match_the_uapi() {
        assert_eq!(PTP_CLOCK_GETCAPS, libc::PTP_CLOCK_GETCAPS as libc::c_ulong);
        assert_eq!(PTP_SYS_OFFSET, libc::PTP_SYS_OFFSET as libc::c_ulong);
        assert_eq!(PTP_SYS_OFFSET_PRECISE, libc::PTP_SYS_OFFSET_PRECISE as libc::c_ulong);
        assert_eq!(PTP_SYS_OFFSET_EXTENDED, libc::PTP_SYS_OFFSET_EXTENDED as libc::c_ulong);
        assert_eq!(PTP_MAX_SAMPLES, libc::PTP_MAX_SAMPLES as usize);
    }

    #[test]
    fn dynamic_clockids_follow_fd_to_clockid() {
        // fd 3 -> ~3 << 3 | 3 = 0xffffffe3.
        assert_eq!(fd_to_clockid(3), 0xffff_ffe3_u32 as libc::clockid_t);
        // clknetsim's reference clock: fd 1000.
        assert_eq!(fd_to_clockid(1000), ((!1000u32) << 3 | 3) as libc::clockid_t);
        for fd in [0, 1, 3, 17, 1000, 1001, 65535, i32::MAX >> 3] {
            let id = fd_to_clockid(fd);
            assert!(id < 0, "dynamic clockids are negative");
            assert_eq!(id & 7, CLOCKFD);
            assert_eq!(clockid_to_fd(id), fd);
        }
    }

    #[test]
    fn clock_adjtime_reads_the_system_clock() {
        // modes 0: read only.
        let mut tx = Timex::default();
        let state = clock_adjtime(ClockId::Realtime, &mut tx).unwrap();
        assert!((TIME_OK..=TIME_ERROR).contains(&state));
        assert!(tx.tolerance > 0);
        assert!(tx.tick > 0);
        assert!(clock_ticks_per_second().unwrap() > 0);
    }

    #[test]
    fn tests_cannot_adjust_the_system_clocks() {
        // Checked on the guard itself: calling clock_adjtime here would risk the real clock.
        assert!(!adjusts_a_shared_clock(ClockId::Realtime, 0));
        assert!(adjusts_a_shared_clock(ClockId::Realtime, ADJ_STATUS));
        assert!(adjusts_a_shared_clock(ClockId::Monotonic, ADJ_FREQUENCY));
        assert!(adjusts_a_shared_clock(ClockId::Dynamic(libc::CLOCK_REALTIME), ADJ_TICK));
        assert!(!adjusts_a_shared_clock(ClockId::Dynamic(fd_to_clockid(3)), ADJ_FREQUENCY));
    }
}
