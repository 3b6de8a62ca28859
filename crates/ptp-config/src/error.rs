//! Errors with linuxptp's exact texts (config-format.md §3.2, §3.3, §4, §5; options.md).
//!
//! Every `Display` is the line linuxptp prints, without the trailing newline. Where linuxptp
//! prints more than one line for one failure (a parse error followed by
//! `failed to parse configuration file %s`), a `stderr_text` method gives the whole text.

use std::fmt;

use crate::table::Program;

/// A config-file parse error: the first line linuxptp prints (config-format.md §3.2, §5).
/// Parsing stops at the first error. Each variant names the line (counted from 1, every line
/// read, including blank and comment lines).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// An unknown key, or a global-only key in an interface section. `key` is the name after
    /// deprecated-name renaming; `section` is `global` or the interface name.
    #[error("unknown option {key} at line {line} in {section} section")]
    UnknownOption {
        /// The key as looked up.
        key: String,
        /// Line number.
        line: u32,
        /// `global` or the interface name.
        section: String,
    },
    /// An enum word that is not one of the key's words.
    #[error("{value} is a bad value for option {key} at line {line}")]
    BadValue {
        /// The value as written.
        value: String,
        /// The key.
        key: String,
        /// Line number.
        line: u32,
    },
    /// A number that does not parse, or has trailing characters.
    #[error("{value} is a malformed value for option {key} at line {line}")]
    MalformedValue {
        /// The value as written.
        value: String,
        /// The key.
        key: String,
        /// Line number.
        line: u32,
    },
    /// A number outside the key's range.
    #[error("{value} is an out of range value for option {key} at line {line}")]
    OutOfRange {
        /// The value as written.
        value: String,
        /// The key.
        key: String,
        /// Line number.
        line: u32,
    },
    /// A setting line with a single word.
    #[error("could not parse line {line} in {section} section")]
    CouldNotParseLine {
        /// Line number.
        line: u32,
        /// `global` or the interface name.
        section: String,
    },
    /// A `[...]` line with no name in it.
    #[error("could not parse port name on line {line}")]
    CouldNotParsePortName {
        /// Line number.
        line: u32,
    },
    /// A setting before the first section header.
    #[error("line {line} is not in a section")]
    NotInSection {
        /// Line number.
        line: u32,
    },
    /// `table_id` below 1.
    #[error("line {line}: table_id {table_id} is out of range. Must be in the range 1 to 2147483647")]
    TableIdOutOfRange {
        /// Line number.
        line: u32,
        /// The id as converted by `%d`.
        table_id: i32,
    },
    /// A `table_id` used twice.
    #[error("line {line}: table_id {table_id} already taken")]
    TableIdTaken {
        /// Line number.
        line: u32,
        /// The id.
        table_id: i32,
    },
    /// An entry, `peer_address` or `logQueryInterval` before the table's `table_id`.
    #[error("line {line}: missing table_id")]
    MissingTableId {
        /// Line number.
        line: u32,
    },
    /// `logQueryInterval` outside -128..=127.
    #[error("line {line}: logQueryInterval {value} out of range")]
    LogQueryIntervalOutOfRange {
        /// Line number.
        line: u32,
        /// The interval as converted by `%d`.
        value: i32,
    },
    /// A unicast master table line that is not two words.
    #[error("bad master table at line {line}")]
    BadMasterTable {
        /// Line number.
        line: u32,
    },
    /// A unicast master table entry whose address does not convert. linuxptp first logs
    /// `reason` (at ERR level, through its logger), then prints this line.
    #[error("line {line}: bad address")]
    BadAddress {
        /// Line number.
        line: u32,
        /// What the address conversion logged.
        reason: AddressError,
    },
}

impl ParseError {
    /// The line the error is about.
    pub fn line(&self) -> u32 {
        match self {
            ParseError::UnknownOption { line, .. }
            | ParseError::BadValue { line, .. }
            | ParseError::MalformedValue { line, .. }
            | ParseError::OutOfRange { line, .. }
            | ParseError::CouldNotParseLine { line, .. }
            | ParseError::CouldNotParsePortName { line }
            | ParseError::NotInSection { line }
            | ParseError::TableIdOutOfRange { line, .. }
            | ParseError::TableIdTaken { line, .. }
            | ParseError::MissingTableId { line }
            | ParseError::LogQueryIntervalOutOfRange { line, .. }
            | ParseError::BadMasterTable { line }
            | ParseError::BadAddress { line, .. } => *line,
        }
    }
}

/// Why a unicast master table address did not convert (linuxptp's `str2addr` log lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// The transport word was not `L2`, `UDPv4` or `UDPv6` (linuxptp then treats it as UDS).
    #[error("sorry, cannot convert addresses for this transport")]
    UnsupportedTransport,
    /// `inet_aton` refused the address.
    #[error("bad IPv4 address")]
    BadIpv4,
    /// `inet_pton(AF_INET6)` refused the address.
    #[error("bad IPv6 address")]
    BadIpv6,
    /// Not six `%hhx` fields separated by colons.
    #[error("bad Layer-2 address")]
    BadL2,
}

/// Reading a config file failed (linuxptp's `config_read` returning -1 or -2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened: `failed to open configuration file %s: %m`.
    #[error("failed to open configuration file {file}: {reason}")]
    Open {
        /// The name as given with `-f`.
        file: String,
        /// `strerror(errno)` text, e.g. `No such file or directory`.
        reason: String,
        /// The error kind, for programs that want to branch on it.
        kind: std::io::ErrorKind,
    },
    /// A line did not parse. `Display` is the second line linuxptp prints,
    /// `failed to parse configuration file %s`; the first is `error`'s.
    #[error("failed to parse configuration file {file}")]
    Parse {
        /// The name as given with `-f` (`-` for standard input).
        file: String,
        /// What was wrong, and where.
        #[source]
        error: ParseError,
    },
}

impl ReadError {
    /// Builds the open error from an I/O error, with the `%m` text as glibc's `strerror` gives
    /// it (Rust's `" (os error N)"` suffix removed).
    pub fn open(file: &str, err: &std::io::Error) -> Self {
        ReadError::Open { file: file.to_owned(), reason: strerror(err), kind: err.kind() }
    }

    /// What `config_read` returns: -1 when the file cannot be opened, -2 on a parse error.
    pub fn return_code(&self) -> i32 {
        match self {
            ReadError::Open { .. } => -1,
            ReadError::Parse { .. } => -2,
        }
    }

    /// The exit status of `program` after this error (config-format.md §3.3): ptp4l, phc2sys,
    /// nsm and tz2alt exit 255 for an open failure and 254 for a parse error; pmc and ts2phc
    /// exit 255 for both.
    pub fn exit_code(&self, program: Program) -> u8 {
        match (self, program) {
            (ReadError::Open { .. }, _) => 255,
            (ReadError::Parse { .. }, Program::Pmc | Program::Ts2phc) => 255,
            (ReadError::Parse { .. }, _) => 254,
        }
    }

    /// Everything linuxptp writes to stderr for this error, newline-terminated: for a parse
    /// error the error line then `failed to parse configuration file %s`; ts2phc adds
    /// `failed to read config`.
    pub fn stderr_text(&self, program: Program) -> String {
        let mut text = match self {
            ReadError::Open { .. } => format!("{self}\n"),
            ReadError::Parse { error, .. } => format!("{error}\n{self}\n"),
        };
        if program == Program::Ts2phc {
            text.push_str("failed to read config\n");
        }
        text
    }

    /// The parse error, if this is one.
    pub fn parse_error(&self) -> Option<&ParseError> {
        match self {
            ReadError::Parse { error, .. } => Some(error),
            ReadError::Open { .. } => None,
        }
    }
}

/// glibc's `strerror` text for an I/O error: Rust's message without the `" (os error N)"`
/// suffix.
pub fn strerror(err: &std::io::Error) -> String {
    let text = err.to_string();
    match (err.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(at)) => text.get(..at).unwrap_or(&text).to_owned(),
        _ => text,
    }
}

/// A `--KEY VALUE` option (or a program's call of `config_parse_option`) was refused
/// (config-format.md §4). The program exits 255.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    /// Not a key (after deprecated-name renaming).
    #[error("unknown option {key}")]
    Unknown {
        /// The key.
        key: String,
    },
    /// Not one of the enum's words.
    #[error("{value} is a bad value for option {key}")]
    BadValue {
        /// The value as given.
        value: String,
        /// The key.
        key: String,
    },
    /// Not a number, or trailing characters.
    #[error("{value} is a malformed value for option {key}")]
    Malformed {
        /// The value as given.
        value: String,
        /// The key.
        key: String,
    },
    /// A number outside the key's range.
    #[error("{value} is an out of range value for option {key}")]
    OutOfRange {
        /// The value as given.
        value: String,
        /// The key.
        key: String,
    },
}

/// A numeric short-option argument was refused (linuxptp util.c `get_arg_val_i/ui/d`,
/// options.md "Numeric short-option arguments").
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArgValueError {
    /// `-%c: %s is a malformed value`
    #[error("-{opt}: {value} is a malformed value")]
    Malformed {
        /// The option letter.
        opt: char,
        /// The argument as given.
        value: String,
    },
    /// `-%c: %s is out of range. Must be in the range %d to %d`
    #[error("-{opt}: {value} is out of range. Must be in the range {min} to {max}")]
    OutOfRangeInt {
        /// The option letter.
        opt: char,
        /// The argument as given.
        value: String,
        /// Smallest accepted value.
        min: i32,
        /// Largest accepted value.
        max: i32,
    },
    /// `-%c: %s is out of range. Must be in the range %u to %u`
    #[error("-{opt}: {value} is out of range. Must be in the range {min} to {max}")]
    OutOfRangeUint {
        /// The option letter.
        opt: char,
        /// The argument as given.
        value: String,
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
    },
    /// `-%c: %s is out of range. Must be in the range %e to %e`
    #[error(
        "-{opt}: {value} is out of range. Must be in the range {} to {}",
        crate::cparse::format_c_e(*min),
        crate::cparse::format_c_e(*max)
    )]
    OutOfRangeDouble {
        /// The option letter.
        opt: char,
        /// The argument as given.
        value: String,
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
    },
}

/// A command-line error reported by glibc's `getopt_long` itself (options.md "General
/// conventions"). `prog` is `argv[0]` as given. The program then prints its usage and exits 255.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GetoptError {
    /// `%s: invalid option -- '%c'`
    InvalidOption {
        /// `argv[0]`.
        prog: String,
        /// The unknown letter.
        opt: char,
    },
    /// `%s: option requires an argument -- '%c'`
    MissingArgument {
        /// `argv[0]`.
        prog: String,
        /// The letter.
        opt: char,
    },
    /// `%s: unrecognized option '--%s'` (the text after `--`, including any `=value`).
    Unrecognized {
        /// `argv[0]`.
        prog: String,
        /// Text after `--`.
        text: String,
    },
    /// `%s: option '--%s' requires an argument` (the full option name).
    LongMissingArgument {
        /// `argv[0]`.
        prog: String,
        /// The option's full name.
        name: String,
    },
    /// `%s: option '--%s' is ambiguous; possibilities: '--a' '--b' ...`
    Ambiguous {
        /// `argv[0]`.
        prog: String,
        /// Text after `--`, including any `=value`.
        text: String,
        /// Every option the prefix matches, in table order.
        candidates: Vec<String>,
    },
}

impl fmt::Display for GetoptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetoptError::InvalidOption { prog, opt } => write!(f, "{prog}: invalid option -- '{opt}'"),
            GetoptError::MissingArgument { prog, opt } => {
                write!(f, "{prog}: option requires an argument -- '{opt}'")
            }
            GetoptError::Unrecognized { prog, text } => write!(f, "{prog}: unrecognized option '--{text}'"),
            GetoptError::LongMissingArgument { prog, name } => {
                write!(f, "{prog}: option '--{name}' requires an argument")
            }
            GetoptError::Ambiguous { prog, text, candidates } => {
                write!(f, "{prog}: option '--{text}' is ambiguous; possibilities:")?;
                for c in candidates {
                    write!(f, " '--{c}'")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for GetoptError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_strips_os_error() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(strerror(&e), "No such file or directory");
        let e = std::io::Error::other("custom");
        assert_eq!(strerror(&e), "custom");
    }

    #[test]
    fn double_range_text() {
        let e = ArgValueError::OutOfRangeDouble { opt: 'R', value: "0".into(), min: 1e-9, max: f64::MAX };
        assert_eq!(e.to_string(), "-R: 0 is out of range. Must be in the range 1.000000e-09 to 1.797693e+308");
    }
}
