//! ptp-engine: the sans-IO PTP protocol engine of ptp-rs.
//!
//! The clock (datasets, BMCA), ports (state machine, announce, sync, delay request/response,
//! peer delay), servos and management handling, driven by events in and actions out, with no
//! OS access (DESIGN.md, "The engine boundary"). The same engine runs under `ptp-linux` and
//! `ptp-sim`.
//!
//! Status: not built yet (issue 4). This crate holds no protocol logic so far.

#![forbid(unsafe_code)]
