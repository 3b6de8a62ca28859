//! rtnetlink link monitoring, as linuxptp's rtnl.c: a NETLINK_ROUTE socket bound to the
//! RTMGRP_LINK multicast group, in the daemon's poll set. Each RTM_NEWLINK message reports an
//! interface's flags; a port's link is up while IFF_RUNNING is set.
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
    fn opens_or_fails_cleanly() {
        // Where netlink exists this gives a socket with nothing to read yet (or a report).
        if let Ok(mut r) = Rtnl::open() {
            let _ = r.read();
        }
    }
}
