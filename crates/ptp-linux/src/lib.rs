//! ptp-linux: the operating-system side of ptp-rs.
//!
//! SO_TIMESTAMPING sockets (UDPv4, UDPv6, AF_PACKET L2 with VLAN tags), hardware timestamping
//! setup, timerfd timers and the single-threaded `poll()` set. Every `unsafe` block of ptp-rs
//! lives in [`sys`], one thin layer that calls libc the way linuxptp does (DESIGN.md).
//!
//! Modules: [`transport`] (sockets and timestamps), [`tsinfo`] (what an interface offers),
//! [`clockadj`] and [`phc`] (the clocks ptp4l steers: CLOCK_REALTIME with the kernel tick, a
//! PHC), [`timer`] (timerfd and the poll set), [`uds`] (management sockets and linuxptp's
//! compatibility links), [`rtnl`] (link monitoring) and [`daemon`] (the ptp4l loop around
//! ptp-engine).
//!
//! Status: software, hardware, legacy, one-step and p2p1step time stamping; the hardware and
//! PHC paths are written to linuxptp's behaviour but were only unit-tested (no PTP hardware
//! where ptp-rs is developed); `boundary_clock_jbod` switches the disciplined PHC as linuxptp does.
//! Not yet: virtual clocks (`phc_index`), `write_phase_mode`.
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
