//! linuxptp's log text for engine [`Event`]s (DESIGN.md, "Observability"; log-lines.md).
//!
//! Log parsers in the field read linuxptp's lines, so ours are byte-identical:
//! - [`format()`] turns an [`Event`] into the lines linuxptp prints for it: the level and the body
//!   text, rendered from the exact linuxptp printf template with [`sprintf`], which follows C
//!   printf (glibc) semantics for the conversions linuxptp uses;
//! - [`PortNames`] gives a port's log name, `port 1 (eth0)` (linuxptp 4.x and master) or
//!   `port 1` (3.1.1);
//! - [`Printer`] (and [`prefix`]) adds the line prefix of print.c: `ptp4l[887.593]: ` plus the
//!   `message_tag`, for stdout/stderr and for syslog, and truncates the body as print.c does.
//!
//! The engine never writes a line itself: the driver decides with [`Level::is_enabled`]
//! (`logging_level`), `verbose` ([`Level::stream`]) and `use_syslog` where each line goes.
//!
//! Nothing here panics: a template and its arguments that do not match print what they can.

use core::fmt;
use std::collections::BTreeMap;

use ptp_wire::{MessageType, ParseError};

use crate::event::{DropReason, Event, LeapChange, PortNumber, TimerKind};
use crate::state::FsmEvent;
use crate::time::Instant;

// ---------------------------------------------------------------------------------------------
// Levels and lines

/// Syslog level of a line (`<syslog.h>`: LOG_EMERG 0 .. LOG_DEBUG 7).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum Level {
    Emerg = 0,
    Alert = 1,
    Crit = 2,
    Err = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}

impl Level {
    /// All levels, most severe first.
    pub const ALL: [Level; 8] =
        [Level::Emerg, Level::Alert, Level::Crit, Level::Err, Level::Warning, Level::Notice, Level::Info, Level::Debug];

    /// The syslog priority number (the digit `{level}` in `message_tag` expands to).
    pub const fn number(self) -> u8 {
        self as u8
    }

    /// The level with syslog number `n` (0..=7).
    pub const fn from_number(n: u8) -> Option<Level> {
        Some(match n {
            0 => Level::Emerg,
            1 => Level::Alert,
            2 => Level::Crit,
            3 => Level::Err,
            4 => Level::Warning,
            5 => Level::Notice,
            6 => Level::Info,
            7 => Level::Debug,
            _ => return None,
        })
    }

    /// The name log-lines.md uses (`ERR`, `WARNING`, ...), as in log-templates.tsv.
    pub const fn name(self) -> &'static str {
        match self {
            Level::Emerg => "EMERG",
            Level::Alert => "ALERT",
            Level::Crit => "CRIT",
            Level::Err => "ERR",
            Level::Warning => "WARNING",
            Level::Notice => "NOTICE",
            Level::Info => "INFO",
            Level::Debug => "DEBUG",
        }
    }

    /// Whether print.c emits a line of this level under `logging_level` (`level <=
    /// logging_level`; the default 6 hides DEBUG).
    pub fn is_enabled(self, logging_level: i32) -> bool {
        i32::from(self.number()) <= logging_level
    }

    /// Where a verbose (`-m`) line goes: NOTICE, INFO and DEBUG to stdout, EMERG..WARNING to
    /// stderr (print.c: `level >= LOG_NOTICE ? stdout : stderr`).
    pub const fn stream(self) -> Stream {
        if self.number() >= Level::Notice.number() {
            Stream::Stdout
        } else {
            Stream::Stderr
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The standard stream a verbose line is written to (each line is flushed).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One log line: its level and its body (without prefix, tag or newline).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct LogLine {
    pub level: Level,
    pub text: String,
}

impl LogLine {
    pub fn new(level: Level, text: impl Into<String>) -> Self {
        LogLine { level, text: text.into() }
    }
}

// ---------------------------------------------------------------------------------------------
// Port log names

/// Which linuxptp's log text to reproduce.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Dialect {
    /// linuxptp 4.x and master (the reference): `port 1 (eth0)`, `{level}` in `message_tag`.
    #[default]
    Linuxptp4,
    /// linuxptp 3.1.1 (Debian's): `port 1`, `message_tag` printed verbatim.
    Linuxptp3,
}

/// Maps port numbers to linuxptp's port log names (log-lines.md §3).
///
/// 4.x: `port %d (%s)` with the interface name, or for the UDS management port (number 0) the
/// socket path: `port 0 (/var/run/ptp/ptp4l)`. 3.1.1: `port %hu`. A port without a registered
/// interface prints with an empty name (`port 3 ()`).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct PortNames {
    dialect: Dialect,
    interfaces: BTreeMap<PortNumber, String>,
}

impl PortNames {
    pub fn new(dialect: Dialect) -> Self {
        PortNames { dialect, interfaces: BTreeMap::new() }
    }

    /// Register (or replace) the interface name or UDS path of `port`.
    pub fn insert(&mut self, port: PortNumber, interface: impl Into<String>) {
        self.interfaces.insert(port, interface.into());
    }

    /// Builder form of [`PortNames::insert`].
    pub fn with(mut self, port: PortNumber, interface: impl Into<String>) -> Self {
        self.insert(port, interface);
        self
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The interface name (or UDS path) registered for `port`.
    pub fn interface(&self, port: PortNumber) -> Option<&str> {
        self.interfaces.get(&port).map(String::as_str)
    }

    /// linuxptp's log name of `port`.
    pub fn name(&self, port: PortNumber) -> String {
        match self.dialect {
            Dialect::Linuxptp4 => format!("port {} ({})", port, self.interface(port).unwrap_or("")),
            Dialect::Linuxptp3 => format!("port {port}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Templates (exact linuxptp printf formats, from log-templates.tsv)

const T_STATE_CHANGE: &str = "%s: %s to %s on %s";
const T_STATE_CHANGE_FAULT: &str = "%s: %s to %s on %s (%s)";
const T_SELECTED_LOCAL: &str = "selected local clock %s as best master";
const T_SELECTED_BEST: &str = "selected best master clock %s";
const T_ASSUMING_GM: &str = "%s: assuming the grand master role";
const T_NEW_FOREIGN: &str = "%s: new foreign master %s";
const T_MASTER_IN_SLAVE_ONLY: &str = "%s: master state recommended in slave only mode";
const T_PRIORITY1: &str = "%s: defaultDS.priority1 probably misconfigured";
const T_NOT_PTP_TIMESCALE: &str = "foreign master not using PTP timescale";
const T_TEMPORAL_VORTEX: &str = "running in a temporal vortex";
const T_UPDATING_LEAP: &str = "updating time properties to %s leap second";
const T_UPDATING_UTC: &str = "updating UTC offset to %d";
const T_LEAP_SUSPEND: &str = "clock update suspended due to leap second";
const T_LINK: &str = "%s: link %s";
const T_PDELAY_REQ_ON_E2E: &str = "%s: pdelay_req on E2E port";
const T_DELAY_REQ_ON_P2P: &str = "%s: delay request on P2P port";
const T_PEER_DETECTED: &str = "%s: peer detected, switch to P2P";
const T_MIN_DELAY_REQ: &str = "%s: minimum delay request interval 2^%d";
const T_MULTIPLE_PEER: &str = "%s: multiple peer responses";
const T_ROGUE_PEER: &str = "%s: rogue peer delay response";
const T_DELAY_RESP_TIMEOUT: &str = "%s: delay response timeout";
const T_RX_TIMEOUT: &str = "%s: %s timeout";
const T_DELAY_TIMEOUT: &str = "%s: delay timeout";
const T_QUALIFICATION_TIMEOUT: &str = "%s: qualification timeout";
const T_MASTER_ANNOUNCE_TIMEOUT: &str = "%s: master tx announce timeout";
const T_MASTER_SYNC_TIMEOUT: &str = "%s: master sync timeout";
const T_FAULT_WAIT: &str = "waiting 2^{%d} seconds to clear fault on %s";
const T_CLEARING_FAULT: &str = "clearing fault on %s";
const T_CLEARING_FAULT_NOW: &str = "%s: clearing fault immediately";
const T_SEND_SYNC_FAILED: &str = "%s: send sync failed";
const T_SEND_FOLLOW_UP_FAILED: &str = "%s: send follow up failed";
const T_SEND_ANNOUNCE_FAILED: &str = "%s: send announce failed";
const T_SEND_DELAY_REQ_FAILED: &str = "%s: send delay request failed";
const T_SEND_DELAY_RESP_FAILED: &str = "%s: send delay response failed";
const T_SEND_PDELAY_REQ_FAILED: &str = "%s: send peer delay request failed";
const T_SEND_PDELAY_RESP_FAILED: &str = "%s: send peer delay response failed";
const T_SEND_PDELAY_RESP_FUP_FAILED: &str = "%s: send pdelay_resp_fup failed";
const T_SEND_SIGNALING_FAILED: &str = "%s: send signaling failed";
const T_MASTER_OFFSET: &str = "master offset %10ld s%d freq %+7.0f path delay %9ld";
const T_SUMMARY_DELAY: &str = "rms %4.0f max %4.0f freq %+6.0f +/- %3.0f delay %5.0f +/- %3.0f";
const T_SUMMARY: &str = "rms %4.0f max %4.0f freq %+6.0f +/- %3.0f";
const T_DELAY_MEASURED: &str = "delay   filtered %10ld   raw %10ld";
const T_PI_SERVO: &str = "PI servo: sync interval %.3f kp %.3f ki %.6f";
const T_BAD_MESSAGE: &str = "%s: bad message";
const T_IGNORING_MESSAGE: &str = "%s: ignoring message";
const T_NO_TIMESTAMP: &str = "%s: received %s without timestamp";

/// An argument value of a planned line (owned, so that port names can be computed).
#[derive(Clone, Debug)]
enum Value {
    Str(String),
    Static(&'static str),
    Int(i64),
    Float(f64),
}

impl Value {
    fn as_arg(&self) -> Arg<'_> {
        match self {
            Value::Str(s) => Arg::Str(s),
            Value::Static(s) => Arg::Str(s),
            Value::Int(v) => Arg::Int(*v),
            Value::Float(v) => Arg::Float(*v),
        }
    }
}

/// One line as linuxptp prints it: level, template, arguments.
#[derive(Clone, Debug)]
struct Planned {
    level: Level,
    template: &'static str,
    args: Vec<Value>,
}

impl Planned {
    fn render(&self) -> LogLine {
        let args: Vec<Arg<'_>> = self.args.iter().map(Value::as_arg).collect();
        LogLine { level: self.level, text: sprintf(self.template, &args) }
    }
}

fn line(level: Level, template: &'static str, args: Vec<Value>) -> Vec<Planned> {
    vec![Planned { level, template, args }]
}

/// The linuxptp lines of `event`: level, template and arguments.
fn plan(event: &Event, names: &PortNames) -> Vec<Planned> {
    use Level::{Debug, Err, Info, Notice, Warning};
    let port = |p: &PortNumber| Value::Str(names.name(*p));
    match event {
        Event::PortStateChange { port: p, from, to, event: ev, fault } => {
            // port.c prints the last fault type whenever the event is FAULT_DETECTED.
            if *ev == FsmEvent::FaultDetected {
                let ft = fault.unwrap_or_default();
                line(
                    Notice,
                    T_STATE_CHANGE_FAULT,
                    vec![
                        port(p),
                        Value::Static(from.name()),
                        Value::Static(to.name()),
                        Value::Static(ev.name()),
                        Value::Static(ft.name()),
                    ],
                )
            } else {
                line(
                    Notice,
                    T_STATE_CHANGE,
                    vec![port(p), Value::Static(from.name()), Value::Static(to.name()), Value::Static(ev.name())],
                )
            }
        }
        Event::SelectedLocalClock { identity } => {
            line(Notice, T_SELECTED_LOCAL, vec![Value::Str(identity.to_string())])
        }
        Event::SelectedBestMaster { identity } => line(Notice, T_SELECTED_BEST, vec![Value::Str(identity.to_string())]),
        Event::AssumingGrandMaster { port: p } => line(Notice, T_ASSUMING_GM, vec![port(p)]),
        Event::NewForeignMaster { port: p, identity } => {
            line(Notice, T_NEW_FOREIGN, vec![port(p), Value::Str(identity.to_string())])
        }
        Event::MasterRecommendedInSlaveOnly { port: p } => vec![
            Planned { level: Warning, template: T_MASTER_IN_SLAVE_ONLY, args: vec![port(p)] },
            Planned { level: Warning, template: T_PRIORITY1, args: vec![port(p)] },
        ],
        Event::ForeignMasterNotPtpTimescale => line(Warning, T_NOT_PTP_TIMESCALE, vec![]),
        Event::TemporalVortex => line(Warning, T_TEMPORAL_VORTEX, vec![]),
        Event::UpdatingLeap(change) => {
            let word = match change {
                LeapChange::Insert => "insert",
                LeapChange::Delete => "delete",
                LeapChange::None => "no",
            };
            line(Info, T_UPDATING_LEAP, vec![Value::Static(word)])
        }
        Event::UpdatingUtcOffset(offset) => line(Info, T_UPDATING_UTC, vec![Value::Int(i64::from(*offset))]),
        Event::ClockUpdateSuspendedLeapSecond => line(Info, T_LEAP_SUSPEND, vec![]),
        Event::Link { port: p, up } => {
            line(Notice, T_LINK, vec![port(p), Value::Static(if *up { "up" } else { "down" })])
        }
        Event::PdelayReqOnE2ePort { port: p } => line(Warning, T_PDELAY_REQ_ON_E2E, vec![port(p)]),
        Event::DelayReqOnP2pPort { port: p } => line(Warning, T_DELAY_REQ_ON_P2P, vec![port(p)]),
        Event::PeerDetectedSwitchToP2p { port: p } => line(Info, T_PEER_DETECTED, vec![port(p)]),
        Event::MinDelayReqInterval { port: p, log_interval } => {
            line(Notice, T_MIN_DELAY_REQ, vec![port(p), Value::Int(i64::from(*log_interval))])
        }
        Event::MultiplePeerResponses { port: p } => line(Err, T_MULTIPLE_PEER, vec![port(p)]),
        Event::RoguePeerDelayResponse { port: p } => line(Err, T_ROGUE_PEER, vec![port(p)]),
        Event::DelayResponseTimeout { port: p } => line(Err, T_DELAY_RESP_TIMEOUT, vec![port(p)]),
        Event::Timeout { port: p, timer } => match timer {
            TimerKind::AnnounceReceipt => line(Debug, T_RX_TIMEOUT, vec![port(p), Value::Static("announce")]),
            TimerKind::SyncReceipt => line(Debug, T_RX_TIMEOUT, vec![port(p), Value::Static("rx sync")]),
            TimerKind::DelayRequest => line(Debug, T_DELAY_TIMEOUT, vec![port(p)]),
            TimerKind::Qualification => line(Debug, T_QUALIFICATION_TIMEOUT, vec![port(p)]),
            TimerKind::MasterAnnounce => line(Debug, T_MASTER_ANNOUNCE_TIMEOUT, vec![port(p)]),
            TimerKind::MasterSync => line(Debug, T_MASTER_SYNC_TIMEOUT, vec![port(p)]),
        },
        Event::FaultWait { port: p, log_seconds } => {
            line(Debug, T_FAULT_WAIT, vec![Value::Int(i64::from(*log_seconds)), port(p)])
        }
        Event::ClearingFault { port: p } => line(Debug, T_CLEARING_FAULT, vec![port(p)]),
        Event::ClearingFaultImmediately { port: p } => line(Notice, T_CLEARING_FAULT_NOW, vec![port(p)]),
        Event::ClockCheck(fault) => line(Warning, fault.message(), vec![]),
        Event::SendFailed { port: p, message_type } => {
            let template = match message_type {
                MessageType::Sync => T_SEND_SYNC_FAILED,
                MessageType::FollowUp => T_SEND_FOLLOW_UP_FAILED,
                MessageType::Announce => T_SEND_ANNOUNCE_FAILED,
                MessageType::DelayReq => T_SEND_DELAY_REQ_FAILED,
                MessageType::DelayResp => T_SEND_DELAY_RESP_FAILED,
                MessageType::PdelayReq => T_SEND_PDELAY_REQ_FAILED,
                MessageType::PdelayResp => T_SEND_PDELAY_RESP_FAILED,
                MessageType::PdelayRespFollowUp => T_SEND_PDELAY_RESP_FUP_FAILED,
                MessageType::Signaling | MessageType::Management => T_SEND_SIGNALING_FAILED,
            };
            line(Err, template, vec![port(p)])
        }
        Event::MasterOffset { offset_ns, state, freq_ppb, path_delay_ns } => line(
            Info,
            T_MASTER_OFFSET,
            vec![
                Value::Int(*offset_ns),
                Value::Int(i64::from(state.number())),
                Value::Float(*freq_ppb),
                Value::Int(*path_delay_ns),
            ],
        ),
        Event::Summary { offset_rms, offset_max, freq_mean, freq_sd, delay } => {
            let mut args = vec![
                Value::Float(*offset_rms),
                Value::Float(*offset_max),
                Value::Float(*freq_mean),
                Value::Float(*freq_sd),
            ];
            match delay {
                Some((mean, sd)) => {
                    args.push(Value::Float(*mean));
                    args.push(Value::Float(*sd));
                    line(Info, T_SUMMARY_DELAY, args)
                }
                None => line(Info, T_SUMMARY, args),
            }
        }
        Event::DelayMeasured { filtered_ns, raw_ns } => {
            line(Debug, T_DELAY_MEASURED, vec![Value::Int(*filtered_ns), Value::Int(*raw_ns)])
        }
        Event::PiServoConstants { sync_interval, kp, ki } => {
            line(Debug, T_PI_SERVO, vec![Value::Float(*sync_interval), Value::Float(*kp), Value::Float(*ki)])
        }
        Event::Dropped { port: p, reason } => match reason {
            // msg_post_recv: -EPROTO (versionPTP is not 2) is a DEBUG line, every other parse
            // failure is -EBADMSG, an ERR line.
            DropReason::Malformed(ParseError::UnsupportedVersion(_)) => line(Debug, T_IGNORING_MESSAGE, vec![port(p)]),
            DropReason::Malformed(_) => line(Err, T_BAD_MESSAGE, vec![port(p)]),
            DropReason::NoTimestamp(mt) => line(Err, T_NO_TIMESTAMP, vec![port(p), Value::Static(mt.name())]),
            // port_ignore() and the per-message handlers drop these silently.
            DropReason::WrongDomain
            | DropReason::WrongSdoId
            | DropReason::OwnMessage
            | DropReason::Unexpected(_)
            | DropReason::NotForUs(_)
            | DropReason::NotFromParent(_) => vec![],
        },
    }
}

/// The lines linuxptp prints for `event`, in order: level and body text, without prefix.
///
/// Empty for events linuxptp does not log (most [`Event::Dropped`] reasons). Two lines for
/// [`Event::MasterRecommendedInSlaveOnly`]; one for every other event.
pub fn format(event: &Event, names: &PortNames) -> Vec<LogLine> {
    plan(event, names).iter().map(Planned::render).collect()
}

/// The linuxptp printf templates (with their levels) that [`format()`] renders `event` with, in
/// order; each is a row of log-templates.tsv.
pub fn templates(event: &Event) -> Vec<(Level, &'static str)> {
    plan(event, &PortNames::default()).iter().map(|p| (p.level, p.template)).collect()
}

// ---------------------------------------------------------------------------------------------
// Line prefix (print.c)

/// print.c formats the body into a 1024-byte buffer: at most 1023 bytes are printed.
pub const BODY_MAX: usize = 1023;

/// linuxptp master builds the expanded tag (with its trailing space) in a 128-byte buffer.
pub const TAG_MAX: usize = 127;

/// `s` cut to at most `max` bytes (at a character boundary at or below `max`).
fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// The body as print.c emits it: truncated to [`BODY_MAX`] bytes.
pub fn truncate_body(text: &str) -> &str {
    truncate_bytes(text, BODY_MAX)
}

/// The tag text print.c inserts after the timestamp: empty without `message_tag`, else the
/// tag and one space. linuxptp 4.x replaces the first `{level}` with the level digit and keeps
/// at most [`TAG_MAX`] bytes; 3.1.1 prints the tag verbatim.
pub fn tag_text(dialect: Dialect, tag: Option<&str>, level: Level) -> String {
    let Some(tag) = tag else {
        return String::new();
    };
    match dialect {
        Dialect::Linuxptp3 => format!("{tag} "),
        Dialect::Linuxptp4 => {
            const PLACEHOLDER: &str = "{level}";
            let mut text = match tag.split_once(PLACEHOLDER) {
                Some((before, after)) => format!("{before}{}{after}", level.number()),
                None => tag.to_owned(),
            };
            text.push(' ');
            let keep = truncate_bytes(&text, TAG_MAX).len();
            text.truncate(keep);
            text
        }
    }
}

/// The stdout/stderr prefix of linuxptp 4.x: `ptp4l[887.593]: ` and the tag (see
/// [`tag_text`]). `now` is the driver's CLOCK_MONOTONIC time.
pub fn prefix(program: &str, now: Instant, tag: Option<&str>, level: Level) -> String {
    Printer::new(program).tag(tag).prefix(now, level)
}

/// The syslog message prefix of linuxptp 4.x: `[887.593] ` and the tag.
pub fn syslog_prefix(now: Instant, tag: Option<&str>, level: Level) -> String {
    Printer::new("").tag(tag).syslog_prefix(now, level)
}

/// A program's print.c settings that shape its lines: program name, `message_tag`, dialect.
///
/// The program name is empty before linuxptp sets it (early errors print `[%ld.%03ld]: ...`).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Printer {
    pub program: String,
    pub tag: Option<String>,
    pub dialect: Dialect,
}

impl Printer {
    pub fn new(program: impl Into<String>) -> Self {
        Printer { program: program.into(), tag: None, dialect: Dialect::default() }
    }

    /// Set `message_tag` (None: unset).
    pub fn tag(mut self, tag: Option<&str>) -> Self {
        self.tag = tag.map(str::to_owned);
        self
    }

    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    fn tag_text(&self, level: Level) -> String {
        tag_text(self.dialect, self.tag.as_deref(), level)
    }

    /// `%s[%ld.%03ld]: ` and the tag: everything before the body of a verbose line.
    pub fn prefix(&self, now: Instant, level: Level) -> String {
        let (s, ms) = now.secs_millis();
        format!("{}[{}.{:03}]: {}", self.program, s, ms, self.tag_text(level))
    }

    /// `[%ld.%03ld] ` and the tag: everything before the body of a syslog message.
    pub fn syslog_prefix(&self, now: Instant, level: Level) -> String {
        let (s, ms) = now.secs_millis();
        format!("[{}.{:03}] {}", s, ms, self.tag_text(level))
    }

    /// The full verbose line, newline included, as written to [`Level::stream`].
    pub fn stdio_line(&self, now: Instant, line: &LogLine) -> String {
        let mut out = self.prefix(now, line.level);
        out.push_str(truncate_body(&line.text));
        out.push('\n');
        out
    }

    /// The syslog message text (priority = `line.level`).
    pub fn syslog_message(&self, now: Instant, line: &LogLine) -> String {
        let mut out = self.syslog_prefix(now, line.level);
        out.push_str(truncate_body(&line.text));
        out
    }
}

// ---------------------------------------------------------------------------------------------
// C printf

/// An argument of [`sprintf`].
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Arg<'a> {
    Str(&'a str),
    Int(i64),
    Uint(u64),
    Float(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

macro_rules! arg_from_int {
    ($($t:ty => $v:ident),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(x: $t) -> Self {
                Arg::$v(x.into())
            }
        }
    )*};
}
arg_from_int!(i8 => Int, i16 => Int, i32 => Int, i64 => Int, u8 => Uint, u16 => Uint, u32 => Uint, u64 => Uint);

impl From<f64> for Arg<'_> {
    fn from(x: f64) -> Self {
        Arg::Float(x)
    }
}

impl Arg<'_> {
    fn as_i64(self) -> i64 {
        match self {
            Arg::Int(v) => v,
            Arg::Uint(v) => v as i64,
            Arg::Float(v) => v as i64,
            Arg::Str(_) => 0,
        }
    }
    fn as_u64(self) -> u64 {
        match self {
            Arg::Int(v) => v as u64,
            Arg::Uint(v) => v,
            Arg::Float(v) => v as u64,
            Arg::Str(_) => 0,
        }
    }
    fn as_f64(self) -> f64 {
        match self {
            Arg::Int(v) => v as f64,
            Arg::Uint(v) => v as f64,
            Arg::Float(v) => v,
            Arg::Str(_) => 0.0,
        }
    }
}

/// Largest width or precision honoured (larger ones are clamped, to bound memory).
const MAX_FIELD: usize = 1 << 16;
/// Beyond this many fractional digits every digit of an f64 is zero.
const MAX_EXACT_FRACTION: usize = 1100;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Length {
    /// `hh`: char
    Char,
    /// `h`: short
    Short,
    /// none: int
    Int,
    /// `l`, `ll`, `j`, `z`, `t`, `q`, `L`: 64 bits on x86-64
    Long,
}

#[derive(Clone, Copy, Debug, Default)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

/// Format `template` with `args` as glibc's `snprintf` does, for the conversions linuxptp's
/// log templates use: `d i u x X o c s f F %` with flags `- + space # 0`, width and precision
/// (`*` reads an [`Arg::Int`]), and length modifiers `hh h l ll j z t q L` (C `int` is 32 bits,
/// `long` 64 bits, as on x86-64: `%d` of an out-of-range value wraps like the C cast).
///
/// Floats: the exact binary value rounded half-to-even at the precision, `-0` kept, `nan`,
/// `-nan`, `inf`, `-inf` (upper case for `%F`), the `0` flag ignored for those.
///
/// `%m` takes an [`Arg::Str`] (there is no errno here). The other C conversions (`e E g G a A
/// p n`) take their argument and are copied to the output verbatim, as are unknown ones
/// (which take none); a missing argument prints as an empty field. Widths and
/// precisions above 65536 are clamped.
pub fn sprintf(template: &str, args: &[Arg<'_>]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut args = args.iter().copied();
    let mut rest = template;
    while let Some(pos) = rest.find('%') {
        let (text, spec_and_rest) = rest.split_at_checked(pos).unwrap_or((rest, ""));
        out.push_str(text);
        let after = spec_and_rest.get(1..).unwrap_or("");
        let consumed = convert(&mut out, after, &mut args);
        rest = after.get(consumed..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Parse and perform one conversion; `s` starts after the `%`. Returns the bytes consumed.
fn convert<'a>(out: &mut String, s: &str, args: &mut impl Iterator<Item = Arg<'a>>) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut spec = Spec::default();
    while let Some(&b) = bytes.get(i) {
        match b {
            b'-' => spec.minus = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            b'0' => spec.zero = true,
            _ => break,
        }
        i += 1;
    }
    if bytes.get(i) == Some(&b'*') {
        i += 1;
        let w = args.next().map_or(0, Arg::as_i64) as i32;
        if w < 0 {
            spec.minus = true;
        }
        spec.width = usize::try_from(w.unsigned_abs()).unwrap_or(MAX_FIELD);
    } else {
        spec.width = read_number(bytes, &mut i);
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if bytes.get(i) == Some(&b'*') {
            i += 1;
            let p = args.next().map_or(0, Arg::as_i64) as i32;
            spec.precision = usize::try_from(p).ok();
        } else {
            spec.precision = Some(read_number(bytes, &mut i));
        }
    }
    spec.width = spec.width.min(MAX_FIELD);
    spec.precision = spec.precision.map(|p| p.min(MAX_FIELD));
    let mut length = Length::Int;
    while let Some(&b) = bytes.get(i) {
        length = match (b, length) {
            (b'h', Length::Short) => Length::Char,
            (b'h', _) => Length::Short,
            (b'l' | b'j' | b'z' | b't' | b'q' | b'L', _) => Length::Long,
            _ => break,
        };
        i += 1;
    }
    let Some(&conv) = bytes.get(i) else {
        // An incomplete specification at the end of the template: print it as it is.
        out.push('%');
        out.push_str(s);
        return s.len();
    };
    i += 1;
    match conv {
        b'%' => out.push('%'),
        b'd' | b'i' => {
            let v = args.next().map(|a| signed(a.as_i64(), length));
            if let Some(v) = v {
                let digits = int_digits(v.unsigned_abs(), 10, false, spec.precision);
                let sign = sign_prefix(v < 0, &spec);
                pad_number(out, &spec, sign, &digits, spec.precision.is_none());
            }
        }
        b'u' | b'x' | b'X' | b'o' => {
            if let Some(v) = args.next().map(|a| unsigned(a.as_u64(), length)) {
                let (radix, upper) = match conv {
                    b'x' => (16, false),
                    b'X' => (16, true),
                    b'o' => (8, false),
                    _ => (10, false),
                };
                let mut digits = int_digits(v, radix, upper, spec.precision);
                let mut prefix = "";
                if spec.alt {
                    match conv {
                        b'x' if v != 0 => prefix = "0x",
                        b'X' if v != 0 => prefix = "0X",
                        b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
                        _ => {}
                    }
                }
                pad_number(out, &spec, prefix, &digits, spec.precision.is_none());
            }
        }
        b'f' | b'F' => {
            if let Some(v) = args.next().map(Arg::as_f64) {
                float(out, &spec, v, conv == b'F');
            }
        }
        b's' | b'm' => {
            if let Some(a) = args.next() {
                let text = match a {
                    Arg::Str(s) => s,
                    _ => "",
                };
                let text = match spec.precision {
                    Some(p) => truncate_bytes(text, p),
                    None => text,
                };
                pad(out, &spec, text);
            }
        }
        b'c' => {
            if let Some(a) = args.next() {
                let c = char::from(a.as_u64() as u8);
                pad(out, &spec, c.encode_utf8(&mut [0; 4]));
            }
        }
        b'e' | b'E' | b'g' | b'G' | b'a' | b'A' | b'p' | b'n' => {
            // C conversions not supported here: they take their argument; the specification
            // is copied verbatim.
            let _ = args.next();
            out.push('%');
            out.push_str(s.get(..i).unwrap_or(""));
        }
        _ => {
            // Not a C conversion: copy the specification verbatim.
            out.push('%');
            out.push_str(s.get(..i).unwrap_or(""));
        }
    }
    i
}

fn read_number(bytes: &[u8], i: &mut usize) -> usize {
    let mut n: usize = 0;
    while let Some(d) = bytes.get(*i).filter(|b| b.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
        *i += 1;
    }
    n
}

fn signed(v: i64, length: Length) -> i64 {
    match length {
        Length::Char => i64::from(v as i8),
        Length::Short => i64::from(v as i16),
        Length::Int => i64::from(v as i32),
        Length::Long => v,
    }
}

fn unsigned(v: u64, length: Length) -> u64 {
    match length {
        Length::Char => u64::from(v as u8),
        Length::Short => u64::from(v as u16),
        Length::Int => u64::from(v as u32),
        Length::Long => v,
    }
}

/// Digits of `v` with at least `precision` digits (C: precision 0 and value 0 print nothing).
fn int_digits(v: u64, radix: u32, upper: bool, precision: Option<usize>) -> String {
    let mut digits = match (radix, upper) {
        (16, false) => format!("{v:x}"),
        (16, true) => format!("{v:X}"),
        (8, _) => format!("{v:o}"),
        _ => format!("{v}"),
    };
    match precision {
        Some(0) if v == 0 => digits.clear(),
        Some(p) if p > digits.len() => {
            let zeros = "0".repeat(p - digits.len());
            digits.insert_str(0, &zeros);
        }
        _ => {}
    }
    digits
}

/// Write `sign` + `digits` padded to the width: left-justified with `-`, zero-filled after the
/// sign with `0` (when `zero_ok`), else right-justified with spaces.
fn pad_number(out: &mut String, spec: &Spec, sign: &str, digits: &str, zero_ok: bool) {
    let len = sign.len() + digits.len();
    let fill = spec.width.saturating_sub(len);
    if spec.minus {
        out.push_str(sign);
        out.push_str(digits);
        push_n(out, ' ', fill);
    } else if spec.zero && zero_ok {
        out.push_str(sign);
        push_n(out, '0', fill);
        out.push_str(digits);
    } else {
        push_n(out, ' ', fill);
        out.push_str(sign);
        out.push_str(digits);
    }
}

fn pad(out: &mut String, spec: &Spec, text: &str) {
    let fill = spec.width.saturating_sub(text.len());
    if spec.minus {
        out.push_str(text);
        push_n(out, ' ', fill);
    } else {
        push_n(out, ' ', fill);
        out.push_str(text);
    }
}

fn push_n(out: &mut String, c: char, n: usize) {
    out.extend(core::iter::repeat_n(c, n));
}

/// The sign printf puts before a number: `-`, or `+` / space with those flags, or nothing.
fn sign_prefix(negative: bool, spec: &Spec) -> &'static str {
    if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

/// `%f` / `%F` as glibc prints them.
fn float(out: &mut String, spec: &Spec, v: f64, upper: bool) {
    let sign = sign_prefix(v.is_sign_negative(), spec);
    if !v.is_finite() {
        let word = match (v.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        pad_number(out, spec, sign, word, false);
        return;
    }
    let precision = spec.precision.unwrap_or(6);
    // Rust prints the exact binary value rounded half-to-even, as glibc does; past
    // MAX_EXACT_FRACTION digits every digit of an f64 is zero.
    let exact = precision.min(MAX_EXACT_FRACTION);
    let mut digits = format!("{:.*}", exact, v.abs());
    push_n(&mut digits, '0', precision - exact);
    if spec.alt && precision == 0 {
        digits.push('.');
    }
    pad_number(out, spec, sign, &digits, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_basics() {
        assert_eq!(
            sprintf("%10ld|%-4d|%04d|%+d|% d", &[1.into(), 2.into(), (-3).into(), 4.into(), 5.into()]),
            "         1|2   |-003|+4| 5"
        );
        assert_eq!(
            sprintf("%hu %hhd %d %u", &[Arg::Int(-1), Arg::Int(200), Arg::Int(1 << 32), Arg::Int(-1)]),
            "65535 -56 0 4294967295"
        );
        assert_eq!(
            sprintf("%.3d|%.0d|%#x|%#o|%X", &[7.into(), 0.into(), 255.into(), 8.into(), 255.into()]),
            "007||0xff|010|FF"
        );
        assert_eq!(sprintf("%5.2s|%-3s|%%|%c", &["abc".into(), "x".into(), Arg::Int(65)]), "   ab|x  |%|A");
        assert_eq!(
            sprintf("%*d|%-*d|%.*f", &[4.into(), 1.into(), 3.into(), 2.into(), 1.into(), 0.25.into()]),
            "   1|2  |0.2"
        );
    }

    #[test]
    fn printf_floats() {
        let f = |fmt: &str, v: f64| sprintf(fmt, &[Arg::Float(v)]);
        assert_eq!(f("%+7.0f", 0.5), "     +0");
        assert_eq!(f("%+7.0f", 1.5), "     +2");
        assert_eq!(f("%+7.0f", 2.5), "     +2");
        assert_eq!(f("%+7.0f", -0.5), "     -0");
        assert_eq!(f("%+7.0f", -0.4), "     -0");
        assert_eq!(f("%+7.0f", f64::NAN), "   +nan");
        assert_eq!(f("%+7.0f", -f64::NAN), "   -nan");
        assert_eq!(f("%07.0f", f64::INFINITY), "    inf");
        assert_eq!(f("%07.1f", -2.25), "-0002.2");
        assert_eq!(f("%#.0f", 3.0), "3.");
        assert_eq!(f("%F", f64::NEG_INFINITY), "-INF");
        assert_eq!(f("%f", 1.0), "1.000000");
    }

    #[test]
    fn printf_odd_templates() {
        assert_eq!(sprintf("100%", &[]), "100%");
        assert_eq!(sprintf("%5", &[]), "%5");
        assert_eq!(sprintf("%e|%d", &[Arg::Float(1.0)]), "%e|");
        assert_eq!(sprintf("%s and %s", &["one".into()]), "one and ");
        assert_eq!(sprintf("%99999999999999999999999d", &[1.into()]).len(), MAX_FIELD);
        assert_eq!(sprintf("é%sü", &["ß".into()]), "éßü");
    }

    #[test]
    fn tags() {
        assert_eq!(tag_text(Dialect::Linuxptp4, Some("tag{level}"), Level::Notice), "tag5 ");
        assert_eq!(tag_text(Dialect::Linuxptp4, Some("{level}{level}"), Level::Err), "3{level} ");
        assert_eq!(tag_text(Dialect::Linuxptp3, Some("tag{level}"), Level::Notice), "tag{level} ");
        assert_eq!(tag_text(Dialect::Linuxptp4, None, Level::Notice), "");
        assert_eq!(tag_text(Dialect::Linuxptp4, Some(&"x".repeat(200)), Level::Info).len(), TAG_MAX);
    }
}
