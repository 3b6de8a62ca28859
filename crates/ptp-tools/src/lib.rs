//! ptp-tools: the command-line programs of ptp-rs.
//!
//! Today: `ptp-dump`, a decoder for PTP captures. The linuxptp programs (ptp4l, phc2sys, pmc,
//! phc_ctl, hwstamp_ctl, ...) arrive with later issues.

pub mod capture;
pub mod dump;
pub mod live;
