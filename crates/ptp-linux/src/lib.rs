//! ptp-linux: the operating-system side of ptp-rs.
//!
//! SO_TIMESTAMPING sockets (UDPv4, UDPv6, AF_PACKET L2 with VLAN tags), hardware timestamping
//! setup, timerfd timers and the single-threaded `poll()` set. Every `unsafe` block of ptp-rs
//! lives in [`sys`], one thin layer that calls libc the way linuxptp does (DESIGN.md).
//!
//! Status: `sys`, `transport`, `timer`, and the ptp4l loop around ptp-engine ([`daemon`]), which
//! runs software time stamping with `free_running 1` only. Still to come: PHC and system clock
//! adjustment (clock_adjtime, PTP_SYS_OFFSET*), hardware time stamping in the loop, the UDS
//! management endpoints and rtnetlink link monitoring.
#![deny(unsafe_code)]

pub mod clockadj;
pub mod daemon;
pub mod phc;
pub mod rtnl;
#[allow(unsafe_code)]
pub mod sys;
pub mod timer;
pub mod transport;
pub mod tsinfo;
pub mod uds;

pub use sys::{ClockId, Timespec};
pub use timer::{Poller, Readiness, Timer};
pub use transport::{
    Channel, Destination, PeerAddress, Received, TimestampMode, Transport, TransportKind, TransportOptions, VlanTag,
};
