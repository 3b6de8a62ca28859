//! ptp-config: linuxptp configuration for ptp-rs.
//!
//! linuxptp's programs (ptp4l, phc2sys, ts2phc, pmc, nsm, tz2alt) share one option table and
//! one config file parser; this crate is that part, so that ptp-rs takes the same files and
//! command lines and prints the same errors (`../shared/reference/config-format.md`,
//! `config-keys.tsv`, `options.md`).
//!
//! - [`table`]: every key with scope, type, default and range ([`table::OPTIONS`]), plus the
//!   deprecated names ([`table::DEPRECATED`]).
//! - [`Config`]: the values. Built from defaults, then the command line, then the file
//!   ([`Config::read_bytes`]); read with typed getters ([`Config::port_int`],
//!   [`Config::global_enum`], ...).
//! - [`ptp4l::parse_args`]: ptp4l's command line; [`cmdline::Getopt`] for the other programs.
//! - [`error`]: every error with linuxptp's exact text, and the exit status that goes with it.
//! - [`Config::unsupported_settings`]: the settings a daemon must refuse because ptp-rs has not
//!   built their feature yet.
//!
//! How ptp4l puts it together:
//!
//! ```
//! use ptp_config::{ptp4l, Config, Program};
//! use ptp_config::enums::DelayMechanism;
//!
//! let args = match ptp4l::parse_args(["ptp4l", "-f", "ptp4l.cfg", "-i", "eth0", "-s"]) {
//!     Ok(args) => args,
//!     Err(e) => {
//!         eprintln!("{e}");
//!         std::process::exit(e.exit_code().into());
//!     }
//! };
//! for w in &args.warnings {
//!     eprintln!("{w}");
//! }
//! let mut cfg = args.to_config();
//! // ptp4l reads args.config_file here (standard input when it is "-").
//! let file = "[global]\nclientOnly 0\n[eth0]\ndelay_mechanism P2P\n";
//! if let Err(e) = cfg.read_str(file, "ptp4l.cfg") {
//!     eprint!("{}", e.stderr_text(Program::Ptp4l));
//!     std::process::exit(e.exit_code(Program::Ptp4l).into());
//! }
//! assert_eq!(cfg.global_int("clientOnly"), 1); // -s wins over the file's [global]
//! assert_eq!(cfg.port_enum::<DelayMechanism>("eth0"), DelayMechanism::P2P);
//!
//! // Refuse what is not built yet, naming the key.
//! let refused = cfg.unsupported_settings_for(Program::Ptp4l, &["clientOnly", "delay_mechanism"]);
//! assert!(refused.is_empty());
//! ```
//!
//! Nothing here panics on input: files and command lines of any bytes give values or errors.
//! Only a program asking for a key that does not exist (or with the wrong type) panics, with
//! linuxptp's `bug: config option %s missing!` text.

#![forbid(unsafe_code)]
// Config files and command lines are untrusted input: no unwrap, no indexing. The only panics
// are the typed getters' reports of caller bugs (unknown key, wrong type), allowed locally.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod cmdline;
mod config;
mod cparse;
pub mod enums;
pub mod error;
mod file;
pub mod ptp4l;
pub mod table;
mod unicast;
mod value;

pub use config::{Config, Interface, KeyError, OneStepError, SetBy, UnsupportedSetting, Warning, MAX_IFNAME_SIZE};
pub use error::{AddressError, ArgValueError, GetoptError, OptionError, ParseError, ReadError};
pub use table::{Kind, OptionDef, Program, Scope};
pub use unicast::{UnicastAddress, UnicastMasterTable, MAX_ADDRESS_LEN};
pub use value::{asap_value, parse_value, Value, ValueError};
