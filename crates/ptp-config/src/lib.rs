//! ptp-config: linuxptp configuration for ptp-rs.
//!
//! The option table (every key of linuxptp's config.c with scope, default and range), the
//! config file parser (`[global]`, interface sections, unicast master tables) and the
//! command-line overrides, with linuxptp's exact error messages.
//!
//! Status: not built yet (issue 4).

#![forbid(unsafe_code)]
