//! ptp-linux: the operating-system side of ptp-rs.
//!
//! SO_TIMESTAMPING sockets (UDPv4, UDPv6, AF_PACKET L2 with VLAN tags), hardware timestamping
//! setup, timerfd timers and the single-threaded `poll()` set. Every `unsafe` block of ptp-rs
//! lives in [`sys`], one thin layer that calls libc the way linuxptp does (DESIGN.md).
//!
//! Status (issue 6, first part): `sys`, `transport`, `timer`. Still to come: PHC clocks
//! (clock_adjtime, PTP_SYS_OFFSET*), the UDS management endpoints, rtnetlink link monitoring
//! and the daemon loop around ptp-engine.
#![deny(unsafe_code)]

#[allow(unsafe_code)]
pub mod sys;
pub mod timer;
pub mod transport;

pub use sys::{ClockId, Timespec};
pub use timer::{Poller, Readiness, Timer};
pub use transport::{
    Channel, Destination, PeerAddress, Received, TimestampMode, Transport, TransportKind, TransportOptions, VlanTag,
};
