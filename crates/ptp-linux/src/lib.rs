//! ptp-linux: the operating-system side of ptp-rs.
//!
//! SO_TIMESTAMPING sockets (UDPv4, UDPv6, AF_PACKET L2 with VLAN tags), hardware timestamping
//! setup, PHC and system clocks, the management UDS, rtnetlink link monitoring and the
//! single-threaded `poll()` loop. Every `unsafe` block of ptp-rs lives here, in one `sys`
//! layer that calls libc the way linuxptp does (DESIGN.md).
//!
//! Status: not built yet (issue 6).
