//! ptp4l's command line (options.md "ptp4l"; config-format.md §4).
//!
//! ```
//! use ptp_config::ptp4l::{parse_args, Ptp4lAction};
//! use ptp_config::enums::{DelayMechanism, NetworkTransport};
//!
//! let args = parse_args(["ptp4l", "-2", "-P", "-i", "eth0", "--logSyncInterval=-3", "-m"]).unwrap();
//! assert_eq!(args.action, Ptp4lAction::Run);
//! let mut cfg = args.to_config();
//! // The file is read after the command line; its [global] lines cannot undo -2.
//! cfg.read_str("[global]\nnetwork_transport UDPv4\nlogSyncInterval 0\n", "ptp4l.cfg").unwrap();
//! assert_eq!(cfg.port_enum::<NetworkTransport>("eth0"), NetworkTransport::L2);
//! assert_eq!(cfg.port_enum::<DelayMechanism>("eth0"), DelayMechanism::P2P);
//! assert_eq!(cfg.port_int("eth0", "logSyncInterval"), -3);
//! assert_eq!(cfg.global_int("verbose"), 1);
//! ```

use std::fmt;

use crate::cmdline::{arg_int, Arg, Getopt};
use crate::config::{Config, Warning};
use crate::enums::{ConfigEnum, DelayMechanism, NetworkTransport, TimeStamping};
use crate::error::{ArgValueError, GetoptError, OptionError};
use crate::table::{deprecated_rename, long_options};
use crate::value::Value;

/// ptp4l's getopt option string (the same in 3.1.1 and master).
pub const OPTSTRING: &str = "AEP246HSLf:i:p:sl:mqvh";

/// Smallest `-l` level (`PRINT_LEVEL_MIN`, LOG_EMERG).
pub const PRINT_LEVEL_MIN: i32 = 0;
/// Largest `-l` level (`PRINT_LEVEL_MAX`, LOG_DEBUG).
pub const PRINT_LEVEL_MAX: i32 = 7;

/// What ptp4l does after reading its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ptp4lAction {
    /// Read the config file (if any) and run.
    Run,
    /// `-v`: print the version to stdout and exit 0. Options after it were not looked at.
    Version,
    /// `-h`: print the usage to stderr and exit 0. Options after it were not looked at.
    Help,
}

/// Where a command-line value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideSource {
    /// `--KEY=VALUE` / `--KEY VALUE` (or a unique prefix of KEY).
    Long,
    /// A short option that maps to a key (`-2`, `-S`, `-s`, `-l N`, `-m`, `-q`, ...).
    Short(char),
}

/// A value set on the command line. It locks the key's global value: `[global]` lines of the
/// file cannot change it, interface sections still override it for their port.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The key, after deprecated-name renaming (`--masterOnly` sets `serverOnly`).
    pub key: &'static str,
    /// The parsed value.
    pub value: Value,
    /// Which option set it.
    pub source: OverrideSource,
}

/// ptp4l's command line, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Ptp4lArgs {
    /// Run, or print the version or usage.
    pub action: Ptp4lAction,
    /// `-f FILE` (the last one given); `-` means standard input.
    pub config_file: Option<String>,
    /// `-i DEV` in order (duplicates kept here; [`Ptp4lArgs::apply`] merges them as linuxptp).
    pub interfaces: Vec<String>,
    /// `-p DEV`: the PHC device (deprecated option, ignored with software/legacy stamping).
    pub phc_device: Option<String>,
    /// Every value set by an option, in command-line order (later ones win).
    pub overrides: Vec<Override>,
    /// Non-option arguments (ptp4l ignores them).
    pub operands: Vec<String>,
    /// `option %s is deprecated, please use %s instead` lines ptp4l printed while parsing
    /// (`--masterOnly`, `--slaveOnly`); print them before anything else.
    pub warnings: Vec<Warning>,
}

impl Ptp4lArgs {
    /// Applies the command line to `cfg` as ptp4l does before reading the file: every override
    /// set and locked, in order, and the `-i` interfaces created in order.
    pub fn apply(&self, cfg: &mut Config) {
        for o in &self.overrides {
            // Values were checked against the table while parsing; this cannot fail.
            let _ = cfg.set_global_from_command_line(o.key, o.value.clone());
        }
        for name in &self.interfaces {
            cfg.add_interface(name);
        }
    }

    /// A fresh configuration with the command line applied; read the file into it next.
    pub fn to_config(&self) -> Config {
        let mut cfg = Config::new();
        self.apply(&mut cfg);
        cfg
    }

    /// The last value the command line gave `key`.
    pub fn override_of(&self, key: &str) -> Option<&Value> {
        self.overrides.iter().rev().find(|o| o.key == key).map(|o| &o.value)
    }
}

/// Why ptp4l stopped while reading its options. It exits 255 in every case.
#[derive(Debug, Clone, PartialEq)]
pub enum Ptp4lError {
    /// getopt's own message; ptp4l then prints its usage.
    Getopt(GetoptError),
    /// A long option's value was refused (no usage).
    Option(OptionError),
    /// `-l` was malformed or out of range (no usage).
    ArgValue(ArgValueError),
}

impl Ptp4lError {
    /// Whether ptp4l prints its usage after the message.
    pub fn prints_usage(&self) -> bool {
        matches!(self, Ptp4lError::Getopt(_))
    }

    /// ptp4l's exit status (`return -1` from main).
    pub fn exit_code(&self) -> u8 {
        255
    }
}

impl fmt::Display for Ptp4lError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ptp4lError::Getopt(e) => e.fmt(f),
            Ptp4lError::Option(e) => e.fmt(f),
            Ptp4lError::ArgValue(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Ptp4lError {}

fn enum_value<T: ConfigEnum>(v: T) -> (&'static str, Value) {
    (T::KEY, Value::Enum(v.value()))
}

/// The key and value a flag-like short option sets (options.md, ptp4l table).
fn short_flag(opt: char) -> Option<(&'static str, Value)> {
    Some(match opt {
        'A' => enum_value(DelayMechanism::Auto),
        'E' => enum_value(DelayMechanism::E2E),
        'P' => enum_value(DelayMechanism::P2P),
        '2' => enum_value(NetworkTransport::L2),
        '4' => enum_value(NetworkTransport::UdpV4),
        '6' => enum_value(NetworkTransport::UdpV6),
        'H' => enum_value(TimeStamping::Hardware),
        'S' => enum_value(TimeStamping::Software),
        'L' => enum_value(TimeStamping::Legacy),
        's' => ("clientOnly", Value::Int(1)),
        'm' => ("verbose", Value::Int(1)),
        'q' => ("use_syslog", Value::Int(0)),
        _ => return None,
    })
}

/// Parses ptp4l's command line (`argv` including the program name) left to right, stopping at
/// the first error or at `-v`/`-h`, as ptp4l does.
///
/// Long option values are checked exactly as linuxptp's `config_parse_option` does (same
/// messages); `-l` as `get_arg_val_i` does. Nothing is read from disk.
pub fn parse_args<I, S>(argv: I) -> Result<Ptp4lArgs, Ptp4lError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let argv: Vec<String> = argv.into_iter().map(Into::into).collect();
    let names = long_options();
    let mut args = Ptp4lArgs {
        action: Ptp4lAction::Run,
        config_file: None,
        interfaces: Vec::new(),
        phc_device: None,
        overrides: Vec::new(),
        operands: Vec::new(),
        warnings: Vec::new(),
    };
    // A scratch configuration checks long values with the file parser's own code path.
    let mut scratch = Config::new();

    for item in Getopt::new(argv, OPTSTRING, &names) {
        match item.map_err(Ptp4lError::Getopt)? {
            Arg::Long { index, value } => {
                let Some(name) = names.get(index).copied() else { continue };
                scratch.apply_option(name, &value).map_err(Ptp4lError::Option)?;
                args.warnings.extend(scratch.take_warnings());
                let key = deprecated_rename(name).unwrap_or(name);
                if let Some(v) = scratch.value(None, key) {
                    args.overrides.push(Override { key, value: v.clone(), source: OverrideSource::Long });
                }
            }
            Arg::Short { opt, arg } => {
                let arg = arg.unwrap_or_default();
                match opt {
                    'f' => args.config_file = Some(arg),
                    'i' => args.interfaces.push(arg),
                    'p' => args.phc_device = Some(arg),
                    'l' => {
                        let level =
                            arg_int('l', &arg, PRINT_LEVEL_MIN, PRINT_LEVEL_MAX).map_err(Ptp4lError::ArgValue)?;
                        args.overrides.push(Override {
                            key: "logging_level",
                            value: Value::Int(level),
                            source: OverrideSource::Short('l'),
                        });
                    }
                    'v' => {
                        args.action = Ptp4lAction::Version;
                        return Ok(args);
                    }
                    'h' => {
                        args.action = Ptp4lAction::Help;
                        return Ok(args);
                    }
                    _ => {
                        if let Some((key, value)) = short_flag(opt) {
                            args.overrides.push(Override { key, value, source: OverrideSource::Short(opt) });
                        }
                    }
                }
            }
            Arg::Operand(s) => args.operands.push(s),
        }
    }
    Ok(args)
}
