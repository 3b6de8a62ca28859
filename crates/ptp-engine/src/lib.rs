//! ptp-engine: the sans-IO PTP protocol engine of ptp-rs.
//!
//! The clock (datasets, BMCA), ports (state machine, announce, sync, delay request/response,
//! peer delay), servos, delay filters, timestamp processing and management handling, driven by
//! events in and actions out, with no OS access (DESIGN.md, "The engine boundary"). The same
//! engine runs under `ptp-linux` and `ptp-sim`.
//!
//! Nothing here reads a clock, sleeps or touches a socket: the driver passes the current time
//! ([`time::Instant`]) and every timestamp ([`time::ClockTime`]) in, and drains transmissions,
//! clock actions and [`event::Event`]s out.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod bmca;
pub mod clock;
pub mod clockcheck;
pub mod config;
pub mod counters;
pub mod datasets;
pub mod event;
pub mod filter;
pub mod fsm;
pub mod log;
pub mod management;
pub mod port;
mod rng;
pub mod servo;
pub mod state;
pub mod stats;
pub mod sync;
pub mod time;
pub mod transmit;
pub mod tsproc;
pub mod utc;
