//! Live decoding for `ptp-dump -i IFACE`: an AF_PACKET socket (ETH_P_ALL, promiscuous, VLAN
//! tags from PACKET_AUXDATA put back into the frame, SO_TIMESTAMPNS receive times) opened
//! through ptp-linux's `sys` layer; every frame becomes a [`Record`] of link type Ethernet and
//! is printed exactly as a record of a capture file.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use ptp_linux::sys::{self, ClockId, SockAddr};

use crate::capture::{Record, LINKTYPE_ETHERNET};
use crate::dump::{self, Format, Frame, Summary};

/// A capture socket bound to one interface.
#[derive(Debug)]
pub struct LiveCapture {
    fd: OwnedFd,
    buf: Vec<u8>,
    number: usize,
}

impl LiveCapture {
    pub fn open(interface: &str) -> io::Result<LiveCapture> {
        let ctx = |what: &'static str| move |e: io::Error| io::Error::new(e.kind(), format!("{what}: {e}"));
        let fd = sys::socket(libc::AF_PACKET, libc::SOCK_RAW, libc::c_int::from(sys::ETH_P_ALL.to_be()))
            .map_err(ctx("socket"))?;
        let ifindex = sys::if_index(fd.as_fd(), interface).map_err(ctx("SIOCGIFINDEX"))?;
        let addr = SockAddr::Packet { ifindex, protocol: sys::ETH_P_ALL, pkttype: 0, addr: [0; 6] };
        sys::bind(fd.as_fd(), &addr).map_err(ctx("bind"))?;
        let mreq = sys::PacketMreq { mr_ifindex: ifindex, mr_type: sys::PACKET_MR_PROMISC, ..Default::default() };
        sys::setsockopt(fd.as_fd(), libc::SOL_PACKET, sys::PACKET_ADD_MEMBERSHIP, &mreq)
            .map_err(ctx("PACKET_ADD_MEMBERSHIP"))?;
        sys::setsockopt(fd.as_fd(), libc::SOL_PACKET, sys::PACKET_AUXDATA, &1 as &libc::c_int)
            .map_err(ctx("PACKET_AUXDATA"))?;
        // Receive times; without them the time of reading is used.
        let _ = sys::setsockopt(fd.as_fd(), libc::SOL_SOCKET, sys::SO_TIMESTAMPNS, &1 as &libc::c_int);
        Ok(LiveCapture { fd, buf: vec![0; 65536], number: 0 })
    }

    /// Wait up to `timeout` for a frame; `Ok(None)` when none came (or a signal interrupted).
    pub fn next(&mut self, timeout: Duration) -> io::Result<Option<Record>> {
        use std::os::fd::AsRawFd;
        let mut fds = [sys::pollfd(self.fd.as_raw_fd(), sys::POLLIN)];
        let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
        match sys::poll(&mut fds, ms) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(None),
            Err(e) => return Err(e),
        }
        let meta = match sys::recvmsg(self.fd.as_fd(), &mut self.buf, libc::MSG_DONTWAIT) {
            Ok(m) => m,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) => return Ok(None),
            Err(e) => return Err(e),
        };
        let len = meta.len.min(self.buf.len());
        let mut data = self.buf[..len].to_vec();
        if let Some(v) = meta.vlan {
            // The kernel took the tag out of the frame: put it back after the MAC addresses.
            if data.len() >= 12 {
                let tpid = v.tpid.unwrap_or(0x8100);
                let mut tag = tpid.to_be_bytes().to_vec();
                tag.extend_from_slice(&v.tci.to_be_bytes());
                data.splice(12..12, tag);
            }
        }
        let ts = match meta.timestampns {
            Some(ts) if !ts.is_zero() => ts,
            _ => sys::clock_gettime(ClockId::Realtime)?,
        };
        let ns = u64::try_from(ts.as_nanos()).unwrap_or(0);
        self.number += 1;
        Ok(Some(Record { number: self.number, time: Duration::from_nanos(ns), link_type: LINKTYPE_ETHERNET, data }))
    }
}

/// Decode frames from `interface` until `count` PTP packets (decoded or undecodable) were
/// printed, or `stop()` says so (checked at least every 200 ms); then print the summary.
pub fn run(
    interface: &str,
    format: Format,
    count: Option<usize>,
    stop: &dyn Fn() -> bool,
    out: &mut dyn io::Write,
) -> io::Result<Summary> {
    let mut cap = LiveCapture::open(interface)?;
    let mut summary = Summary::default();
    while !stop() && count.is_none_or(|c| summary.ptp_packets() + summary.undecodable < c) {
        let Some(record) = cap.next(Duration::from_millis(200))? else { continue };
        let frame = dump::decode(&record);
        summary.add(&frame);
        if matches!(frame, Frame::NotPtp(_)) {
            // Other traffic on the interface (ARP, IGMP, ...) is counted, not printed.
            continue;
        }
        let line = match format {
            Format::Text => dump::text_line(&record, &frame),
            Format::Json => dump::json_line(&record, &frame),
        };
        if let Some(line) = line {
            writeln!(out, "{line}")?;
            out.flush()?;
        }
    }
    match format {
        Format::Text => writeln!(out, "{}", summary.text_line())?,
        Format::Json => writeln!(out, "{}", summary.json_line(None))?,
    }
    out.flush()?;
    Ok(summary)
}
