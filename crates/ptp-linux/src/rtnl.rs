//! rtnetlink link monitoring, as linuxptp's rtnl.c: a NETLINK_ROUTE socket bound to the
//! RTMGRP_LINK multicast group, in the daemon's poll set. Each RTM_NEWLINK message reports an
//! interface's flags; a port's link is up while IFF_RUNNING is set.
//!
//! The kernel reports only changes to the group, so at start-up linuxptp asks for each port's
//! current state (`rtnl_link_query` from `port_initialize`): [`Rtnl::request_link`] sends that
//! RTM_GETLINK, and the kernel's RTM_NEWLINK answer arrives on the same socket, read by
//! [`Rtnl::read`] like any report. A port whose link is already down thus logs `link down` and
//! goes from LISTENING to FAULTY on FAULT_DETECTED right after start, as linuxptp's does.
//!
//! Opened with plain `socket`/`bind` through [`crate::sys`]; where netlink sockets do not exist
//! (the clknetsim simulator, restricted sandboxes) [`Rtnl::open`] fails and the daemon runs on
//! without link monitoring, as linuxptp does.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};

use crate::sys;

const NLMSG_HDRLEN: usize = 16;
const IFINFOMSG_LEN: usize = 16;
const NLMSG_DONE: u16 = 3;
const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;
const NLM_F_REQUEST: u16 = 1;
/// Length of an RTM_GETLINK request: header and one `struct ifinfomsg`.
pub const LINK_REQUEST_LEN: usize = NLMSG_HDRLEN + IFINFOMSG_LEN;
/// `RTMGRP_LINK`.
pub const RTMGRP_LINK: u32 = 1;

/// One link report: interface index and whether it is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkStatus {
    pub ifindex: i32,
    pub up: bool,
    /// The raw `ifi_flags`.
    pub flags: u32,
}

/// The link-monitoring socket.
#[derive(Debug)]
pub struct Rtnl {
    fd: OwnedFd,
    buf: Vec<u8>,
}

impl Rtnl {
    /// `socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)`, bound to RTMGRP_LINK (reads use MSG_DONTWAIT).
    pub fn open() -> io::Result<Rtnl> {
        let fd = sys::socket(libc::AF_NETLINK, libc::SOCK_RAW, libc::NETLINK_ROUTE)?;
        sys::bind_netlink(fd_ref(&fd), RTMGRP_LINK)?;
        Ok(Rtnl { fd, buf: vec![0; 16384] })
    }

    pub fn fd(&self) -> BorrowedFd<'_> {
        fd_ref(&self.fd)
    }

    /// Ask the kernel for interface `ifindex`'s current link state (linuxptp's
    /// `rtnl_link_query`); the answer comes back through [`Rtnl::read`]. One `sendmsg` to the
    /// kernel (netlink port 0, the default destination of an unconnected netlink socket).
    pub fn request_link(&self, ifindex: i32) -> io::Result<()> {
        sys::sendmsg(fd_ref(&self.fd), &link_request(ifindex), 0, None).map(|_| ())
    }

    /// Read every message waiting (the socket is non-blocking) and return the link reports in
    /// order. Errors other than "nothing more" end the read; ENOBUFS (the kernel dropped
    /// reports) is not fatal either: the next report carries the current flags.
    pub fn read(&mut self) -> Vec<LinkStatus> {
        let mut out = Vec::new();
        loop {
            match sys::recv(fd_ref(&self.fd), &mut self.buf, libc::MSG_DONTWAIT) {
                Ok(0) => break,
                Ok(n) => out.extend(parse(&self.buf[..n.min(self.buf.len())])),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        out
    }
}

impl AsRawFd for Rtnl {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

fn fd_ref(fd: &OwnedFd) -> BorrowedFd<'_> {
    use std::os::fd::AsFd;
    fd.as_fd()
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// An RTM_GETLINK request for one interface, as linuxptp builds it: NLM_F_REQUEST, sequence
/// number 1, port id 0 (the kernel fills it in), family AF_UNSPEC, `ifi_change` all ones;
/// host byte order.
pub fn link_request(ifindex: i32) -> [u8; LINK_REQUEST_LEN] {
    let mut m = [0u8; LINK_REQUEST_LEN];
    m[0..4].copy_from_slice(&(LINK_REQUEST_LEN as u32).to_ne_bytes());
    m[4..6].copy_from_slice(&RTM_GETLINK.to_ne_bytes());
    m[6..8].copy_from_slice(&NLM_F_REQUEST.to_ne_bytes());
    m[8..12].copy_from_slice(&1u32.to_ne_bytes()); // nlmsg_seq
                                                   // nlmsg_pid 0; ifi_family AF_UNSPEC, pad, ifi_type 0.
    m[20..24].copy_from_slice(&ifindex.to_ne_bytes());
    // ifi_flags 0.
    m[28..32].copy_from_slice(&u32::MAX.to_ne_bytes());
    m
}

/// The RTM_NEWLINK reports in one netlink datagram (host byte order); anything malformed ends
/// the walk.
pub fn parse(mut b: &[u8]) -> Vec<LinkStatus> {
    let mut out = Vec::new();
    while b.len() >= NLMSG_HDRLEN {
        let Some(len) = u32_at(b, 0).map(|l| l as usize) else { break };
        let Some(ty) = u16_at(b, 4) else { break };
        if len < NLMSG_HDRLEN || len > b.len() || ty == NLMSG_DONE {
            break;
        }
        if ty == RTM_NEWLINK && len >= NLMSG_HDRLEN + IFINFOMSG_LEN {
            let body = &b[NLMSG_HDRLEN..len];
            if let (Some(index), Some(flags)) = (u32_at(body, 4), u32_at(body, 8)) {
                let up = flags & libc::IFF_RUNNING as u32 != 0;
                out.push(LinkStatus { ifindex: index as i32, up, flags });
            }
        }
        let aligned = (len + 3) & !3;
        if aligned >= b.len() {
            break;
        }
        b = &b[aligned..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newlink(index: i32, flags: u32, attrs: usize) -> Vec<u8> {
        let len = NLMSG_HDRLEN + IFINFOMSG_LEN + attrs;
        let mut m = Vec::new();
        m.extend_from_slice(&(len as u32).to_ne_bytes());
        m.extend_from_slice(&RTM_NEWLINK.to_ne_bytes());
        m.extend_from_slice(&0u16.to_ne_bytes());
        m.extend_from_slice(&[0; 8]);
        m.extend_from_slice(&[0, 0, 1, 0]); // family, pad, type
        m.extend_from_slice(&index.to_ne_bytes());
        m.extend_from_slice(&flags.to_ne_bytes());
        m.extend_from_slice(&0xffff_ffffu32.to_ne_bytes());
        m.resize(len, 0);
        m.resize((len + 3) & !3, 0);
        m
    }

    #[test]
    fn parses_newlink_reports() {
        let running = (libc::IFF_UP | libc::IFF_RUNNING) as u32;
        let mut d = newlink(3, running, 5);
        d.extend(newlink(4, libc::IFF_UP as u32, 0));
        let got = parse(&d);
        assert_eq!(
            got,
            vec![
                LinkStatus { ifindex: 3, up: true, flags: running },
                LinkStatus { ifindex: 4, up: false, flags: libc::IFF_UP as u32 }
            ]
        );
    }

    #[test]
    fn malformed_input_is_ignored() {
        assert!(parse(&[]).is_empty());
        assert!(parse(&[0; 15]).is_empty());
        let mut m = newlink(3, 0, 0);
        m[0] = 200; // claims more than there is
        assert!(parse(&m).is_empty());
        let mut m = newlink(3, 0, 0);
        m[0] = 4; // shorter than a header
        assert!(parse(&m).is_empty());
    }

    #[test]
    fn link_request_layout() {
        let m = link_request(7);
        assert_eq!(u32_at(&m, 0), Some(32)); // nlmsg_len
        assert_eq!(u16_at(&m, 4), Some(RTM_GETLINK));
        assert_eq!(u16_at(&m, 6), Some(NLM_F_REQUEST));
        assert_eq!(u32_at(&m, 8), Some(1)); // nlmsg_seq
        assert_eq!(u32_at(&m, 12), Some(0)); // nlmsg_pid
        assert_eq!(&m[16..20], &[libc::AF_UNSPEC as u8, 0, 0, 0]);
        assert_eq!(u32_at(&m, 20), Some(7)); // ifi_index
        assert_eq!(u32_at(&m, 24), Some(0)); // ifi_flags
        assert_eq!(u32_at(&m, 28), Some(u32::MAX)); // ifi_change
                                                    // Not a report itself.
        assert!(parse(&m).is_empty());
    }

    #[test]
    fn loopback_query_is_answered() {
        // Where netlink exists, asking for `lo` (index 1 in every namespace) gives one report
        // for it, up (IFF_RUNNING) or not depending on the namespace.
        let Ok(mut r) = Rtnl::open() else { return };
        r.request_link(1).unwrap();
        let mut fds = [sys::pollfd(r.as_raw_fd(), libc::POLLIN)];
        let mut got = Vec::new();
        for _ in 0..20 {
            let _ = sys::poll(&mut fds, 100);
            got.extend(r.read().into_iter().filter(|s| s.ifindex == 1));
            if !got.is_empty() {
                break;
            }
        }
        assert_eq!(got.len(), 1, "{got:?}");
        assert_ne!(got[0].flags & libc::IFF_LOOPBACK as u32, 0, "{got:?}");
    }

    #[test]
    fn opens_or_fails_cleanly() {
        // Where netlink exists this gives a socket with nothing to read yet (or a report).
        if let Ok(mut r) = Rtnl::open() {
            let _ = r.read();
        }
    }
}
