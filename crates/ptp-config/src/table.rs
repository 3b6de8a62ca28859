//! The option table: every key linuxptp's `config.c` knows, in linuxptp's table order.
//!
//! One row per key with its scope, type, default and range, exactly as
//! `../shared/reference/config-keys.tsv` lists them (the test `tests/reference_table.rs` checks
//! every row against that file). Keys whose feature ptp-rs has not built yet are in the table
//! too: the parser must accept every file linuxptp accepts, and
//! [`Config::unsupported_settings`](crate::Config::unsupported_settings) lets a daemon refuse the
//! ones it cannot honour.
//!
//! The order of the rows is linuxptp's `config_tab` order, which matters for one thing users see:
//! the list of candidates glibc prints for an ambiguous long-option prefix.

use std::fmt;

/// Where a key may appear (config-format.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Only in `[global]` (and as a command-line option). In an interface section such a key is
    /// refused with the generic `unknown option` message.
    Global,
    /// In `[global]` (the default for every port) and in interface sections (that port only).
    Port,
}

/// Type, default and range of a key (config-format.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// C `int`, parsed with `strtol(value, &end, 0)` and checked against `[min, max]`.
    ///
    /// A default outside `[min, max]` is a sentinel that cannot be set from a file
    /// (e.g. `ts2phc.pulsewidth -1`).
    Int {
        /// Value when the key is not set.
        default: i32,
        /// Smallest accepted value.
        min: i32,
        /// Largest accepted value.
        max: i32,
    },
    /// C `unsigned int`, parsed with `strtoul(value, &end, 0)` (so `-1` wraps and is out of
    /// range).
    Uint {
        /// Value when the key is not set.
        default: u32,
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
    },
    /// C `double`, parsed with `strtod`; a NaN passes the range check as in linuxptp.
    Double {
        /// Value when the key is not set.
        default: f64,
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
    },
    /// One of a fixed set of words (ASCII case-insensitive), stored as its number.
    Enum {
        /// Number of the default word.
        default: i32,
        /// `(word, number)` pairs in linuxptp's order.
        words: &'static [(&'static str, i32)],
    },
    /// Free text: the rest of the line, verbatim. `None` is linuxptp's NULL default (unset).
    String {
        /// Value when the key is not set (`None` = unset, `Some("")` = empty string).
        default: Option<&'static str>,
    },
}

impl Kind {
    /// The type name as config-keys.tsv writes it (`int`, `uint`, `double`, `enum`, `string`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Int { .. } => "int",
            Kind::Uint { .. } => "uint",
            Kind::Double { .. } => "double",
            Kind::Enum { .. } => "enum",
            Kind::String { .. } => "string",
        }
    }
}

/// A linuxptp program that reads the shared configuration (config-keys.tsv `used_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Program {
    /// The PTP daemon.
    Ptp4l,
    /// The clock synchronisation daemon.
    Phc2sys,
    /// The management client.
    Pmc,
    /// The PPS/ToD synchronisation daemon.
    Ts2phc,
    /// The NetSync Monitor client.
    Nsm,
    /// The time-zone to alternate-time-offset tool.
    Tz2alt,
}

impl Program {
    /// Every program, in the order used by config-keys.tsv.
    pub const ALL: [Program; 6] =
        [Program::Ptp4l, Program::Phc2sys, Program::Pmc, Program::Ts2phc, Program::Nsm, Program::Tz2alt];

    /// The program's name as installed (`ptp4l`, `phc2sys`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Program::Ptp4l => "ptp4l",
            Program::Phc2sys => "phc2sys",
            Program::Pmc => "pmc",
            Program::Ts2phc => "ts2phc",
            Program::Nsm => "nsm",
            Program::Tz2alt => "tz2alt",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Program::Ptp4l => PTP4L,
            Program::Phc2sys => PHC2SYS,
            Program::Pmc => PMC,
            Program::Ts2phc => TS2PHC,
            Program::Nsm => NSM,
            Program::Tz2alt => TZ2ALT,
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One key of the table (linuxptp's `struct config_item` in `config_tab`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionDef {
    /// The key, case-sensitive, exactly as linuxptp spells it.
    pub name: &'static str,
    /// Global-only or port key.
    pub scope: Scope,
    /// Type, default and range.
    pub kind: Kind,
    /// linuxptp release that introduced the key (`3.1` = present in 3.1.1, `master` = after 4.4).
    pub since: &'static str,
    used_by: u8,
}

impl OptionDef {
    /// Whether `program` reads this key (config-keys.tsv `used_by`). The deprecated aliases
    /// `masterOnly` and `slaveOnly` are read by no program: they are renamed at parse time.
    pub fn used_by(&self, program: Program) -> bool {
        self.used_by & program.bit() != 0
    }

    /// Whether the key may appear in an interface section.
    pub fn is_port(&self) -> bool {
        self.scope == Scope::Port
    }

    /// The default as a [`Value`](crate::Value).
    pub fn default_value(&self) -> crate::Value {
        use crate::Value;
        match self.kind {
            Kind::Int { default, .. } => Value::Int(default),
            Kind::Uint { default, .. } => Value::Uint(default),
            Kind::Double { default, .. } => Value::Double(default),
            Kind::Enum { default, .. } => Value::Enum(default),
            Kind::String { default } => Value::Str(default.map(str::to_owned)),
        }
    }

    /// The word of an enum value (first match in table order), if this is an enum key and
    /// `value` is one of its numbers.
    pub fn enum_word(&self, value: i32) -> Option<&'static str> {
        match self.kind {
            Kind::Enum { words, .. } => words.iter().find(|(_, v)| *v == value).map(|(w, _)| *w),
            _ => None,
        }
    }

    /// Renders a value of this key the way a user writes it in a config file
    /// (enum numbers as their word, unset strings as `(unset)`).
    pub fn display_value(&self, value: &crate::Value) -> String {
        use crate::Value;
        match value {
            Value::Int(v) | Value::Enum(v) => match self.enum_word(*v) {
                Some(w) => w.to_owned(),
                None => v.to_string(),
            },
            Value::Uint(v) => v.to_string(),
            Value::Double(v) => v.to_string(),
            Value::Str(Some(s)) => s.clone(),
            Value::Str(None) => "(unset)".to_owned(),
        }
    }
}

/// A renamed key (config-format.md §3, "Deprecated names").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecated {
    /// The old name.
    pub old: &'static str,
    /// The key it is renamed to before lookup.
    pub new: &'static str,
    /// Whether the old name is still a row of the table (and therefore a long option).
    /// The `pi_*` names are not: they work only in config files.
    pub in_table: bool,
}

/// The deprecated names linuxptp renames before lookup, printing
/// `option %s is deprecated, please use %s instead` on stderr (config-format.md §3).
pub const DEPRECATED: &[Deprecated] = &[
    Deprecated { old: "pi_offset_const", new: "step_threshold", in_table: false },
    Deprecated { old: "pi_f_offset_const", new: "first_step_threshold", in_table: false },
    Deprecated { old: "pi_max_frequency", new: "max_frequency", in_table: false },
    Deprecated { old: "masterOnly", new: "serverOnly", in_table: true },
    Deprecated { old: "slaveOnly", new: "clientOnly", in_table: true },
];

/// The new name of a deprecated key, if `name` is one (exact, case-sensitive match).
pub fn deprecated_rename(name: &str) -> Option<&'static str> {
    DEPRECATED.iter().find(|d| d.old == name).map(|d| d.new)
}

/// Looks a key up by its exact, case-sensitive name (no renaming).
pub fn option(name: &str) -> Option<&'static OptionDef> {
    OPTIONS.iter().find(|d| d.name == name)
}

/// The long option names of every program that uses `getopt_long` (ptp4l, phc2sys, pmc,
/// ts2phc, nsm, tz2alt): every key of the table, in table order (config-format.md §4). The
/// deprecated `pi_*` names are not among them.
pub fn long_options() -> Vec<&'static str> {
    OPTIONS.iter().map(|d| d.name).collect()
}

/// Index of a key in [`OPTIONS`].
pub(crate) fn option_index(name: &[u8]) -> Option<usize> {
    OPTIONS.iter().position(|d| d.name.as_bytes() == name)
}

/// Value of linuxptp's `FRI_ASAP`: what `fault_reset_interval ASAP` stores.
pub const FRI_ASAP: i32 = -128;

/// The keys that accept the special word `ASAP` (any case), and what it stores
/// (config-format.md §3).
pub const ASAP_KEYS: &[(&str, i32)] = &[("fault_badpeernet_interval", 0), ("fault_reset_interval", FRI_ASAP)];

const PTP4L: u8 = 1;
const PHC2SYS: u8 = 2;
const PMC: u8 = 4;
const TS2PHC: u8 = 8;
const NSM: u8 = 16;
const TZ2ALT: u8 = 32;
const NONE: u8 = 0;

use Scope::Global as G;
use Scope::Port as P;

const fn int(
    scope: Scope,
    name: &'static str,
    default: i32,
    min: i32,
    max: i32,
    since: &'static str,
    used_by: u8,
) -> OptionDef {
    OptionDef { name, scope, kind: Kind::Int { default, min, max }, since, used_by }
}

const fn uint(
    scope: Scope,
    name: &'static str,
    default: u32,
    min: u32,
    max: u32,
    since: &'static str,
    used_by: u8,
) -> OptionDef {
    OptionDef { name, scope, kind: Kind::Uint { default, min, max }, since, used_by }
}

const fn double(
    scope: Scope,
    name: &'static str,
    default: f64,
    min: f64,
    max: f64,
    since: &'static str,
    used_by: u8,
) -> OptionDef {
    OptionDef { name, scope, kind: Kind::Double { default, min, max }, since, used_by }
}

const fn enumeration(
    scope: Scope,
    name: &'static str,
    default: i32,
    words: &'static [(&'static str, i32)],
    since: &'static str,
    used_by: u8,
) -> OptionDef {
    OptionDef { name, scope, kind: Kind::Enum { default, words }, since, used_by }
}

const fn string(
    scope: Scope,
    name: &'static str,
    default: Option<&'static str>,
    since: &'static str,
    used_by: u8,
) -> OptionDef {
    OptionDef { name, scope, kind: Kind::String { default }, since, used_by }
}

// Enum words and numbers (config-keys.tsv `enum_values`; numbers are linuxptp's constants).
const ASCAPABLE_WORDS: &[(&str, i32)] = &[("true", 0), ("auto", 1)];
const BMCA_WORDS: &[(&str, i32)] = &[("ptp", 0), ("noop", 1)];
const CLOCK_SERVO_WORDS: &[(&str, i32)] =
    &[("pi", 0), ("linreg", 1), ("ntpshm", 2), ("nullf", 3), ("refclock_sock", 4)];
const CLOCK_TYPE_WORDS: &[(&str, i32)] = &[("OC", 0x8000), ("BC", 0x4000), ("P2P_TC", 0x2000), ("E2E_TC", 0x1000)];
const DATASET_COMPARISON_WORDS: &[(&str, i32)] = &[("ieee1588", 0), ("G.8275.x", 1)];
const DELAY_FILTER_WORDS: &[(&str, i32)] = &[("moving_average", 0), ("moving_median", 1)];
const DELAY_MECHANISM_WORDS: &[(&str, i32)] = &[("Auto", 0), ("COMMON_P2P", 3), ("E2E", 1), ("P2P", 2), ("NONE", 254)];
const HWTS_FILTER_WORDS: &[(&str, i32)] = &[("normal", 0), ("check", 1), ("full", 2)];
const NETWORK_TRANSPORT_WORDS: &[(&str, i32)] = &[("L2", 3), ("UDPv4", 1), ("UDPv6", 2)];
const POWER_PROFILE_VERSION_WORDS: &[(&str, i32)] = &[("none", 0), ("2011", 1), ("2017", 2)];
const TIME_STAMPING_WORDS: &[(&str, i32)] =
    &[("hardware", 1), ("software", 0), ("legacy", 2), ("onestep", 3), ("p2p1step", 4)];
const TS2PHC_EXTTS_POLARITY_WORDS: &[(&str, i32)] = &[("rising", 2), ("falling", 4), ("both", 6)];
const TSPROC_MODE_WORDS: &[(&str, i32)] = &[("filter", 0), ("raw", 1), ("filter_weight", 2), ("raw_weight", 3)];

/// Every key, in linuxptp's `config_tab` order (config-keys.tsv row order).
#[rustfmt::skip]
pub const OPTIONS: &[OptionDef] = &[
    uint(P, "active_key_id", 0, 0, u32::MAX, "4.3", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(P, "allow_unauth", 0, 0, 2, "4.3", PMC),
    int(P, "allowedLostResponses", 3, 1, 255, "4.2", PTP4L),
    int(P, "announceReceiptTimeout", 3, 2, 255, "3.1", PTP4L),
    enumeration(P, "asCapable", 1, ASCAPABLE_WORDS, "3.1", PTP4L),
    int(G, "assume_two_step", 0, 0, 1, "3.1", PTP4L),
    int(P, "boundary_clock_jbod", 0, 0, 1, "3.1", PTP4L),
    enumeration(P, "BMCA", 0, BMCA_WORDS, "3.1", PTP4L),
    int(G, "check_fup_sync", 0, 0, 1, "3.1", PTP4L),
    int(G, "clientOnly", 0, 0, 1, "4.0", PTP4L),
    int(G, "clockAccuracy", 254, 0, 255, "3.1", PTP4L),
    int(G, "clockClass", 248, 0, 255, "3.1", PTP4L),
    string(G, "clockIdentity", Some("000000.0000.000000"), "3.1", PTP4L),
    int(G, "clock_class_threshold", 248, 6, 248, "4.0", PTP4L),
    enumeration(G, "clock_servo", 0, CLOCK_SERVO_WORDS, "3.1", PTP4L | PHC2SYS | TS2PHC),
    enumeration(G, "clock_type", 0x8000, CLOCK_TYPE_WORDS, "3.1", PTP4L),
    string(P, "cmlds.client_address", Some("/var/run/cmlds_client"), "4.3", PTP4L),
    int(P, "cmlds.domainNumber", 0, 0, 255, "4.3", PTP4L),
    int(P, "cmlds.majorSdoId", 2, 0, 15, "4.3", PTP4L),
    int(P, "cmlds.port", 0, 0, 65535, "4.3", PTP4L),
    string(P, "cmlds.server_address", Some("/var/run/cmlds_server"), "4.3", PTP4L),
    enumeration(G, "dataset_comparison", 0, DATASET_COMPARISON_WORDS, "3.1", PTP4L),
    int(P, "delayAsymmetry", 0, i32::MIN, i32::MAX, "3.1", PTP4L | NSM),
    enumeration(P, "delay_filter", 1, DELAY_FILTER_WORDS, "3.1", PTP4L),
    int(P, "delay_filter_length", 10, 1, i32::MAX, "3.1", PTP4L),
    double(P, "delay_request_variability", 1.0, 0.0, 1.0, "master", PTP4L),
    enumeration(P, "delay_mechanism", 1, DELAY_MECHANISM_WORDS, "3.1", PTP4L),
    int(P, "delay_response_timeout", 0, 0, 255, "4.0", PTP4L),
    int(G, "dscp_event", 0, 0, 63, "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(G, "dscp_general", 0, 0, 63, "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(G, "domainNumber", 0, 0, 255, "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(P, "egressLatency", 0, i32::MIN, i32::MAX, "3.1", PTP4L),
    int(P, "fault_badpeernet_interval", 16, i32::MIN, i32::MAX, "3.1", PTP4L),
    int(P, "fault_reset_interval", 4, -128, 127, "3.1", PTP4L),
    double(G, "first_step_threshold", 0.00002, 0.0, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    int(P, "follow_up_info", 0, 0, 1, "3.1", PTP4L),
    int(G, "free_running", 0, 0, 1, "3.1", PTP4L | PHC2SYS | TS2PHC),
    int(P, "freq_est_interval", 1, i32::MIN, i32::MAX, "3.1", PTP4L),
    int(G, "G.8275.defaultDS.localPriority", 128, 1, 255, "3.1", PTP4L),
    int(P, "G.8275.portDS.localPriority", 128, 1, 255, "3.1", PTP4L),
    int(G, "gmCapable", 1, 0, 1, "3.1", PTP4L),
    enumeration(G, "hwts_filter", 0, HWTS_FILTER_WORDS, "3.1", PTP4L),
    int(P, "hybrid_e2e", 0, 0, 1, "3.1", PTP4L),
    int(P, "ignore_source_id", 0, 0, 1, "3.1", PTP4L),
    int(P, "ignore_transport_specific", 0, 0, 1, "3.1", PTP4L),
    int(P, "ingressLatency", 0, i32::MIN, i32::MAX, "3.1", PTP4L),
    int(P, "inhibit_announce", 0, 0, 1, "3.1", PTP4L),
    int(P, "inhibit_delay_req", 0, 0, 1, "3.1", PTP4L),
    int(P, "inhibit_multicast_service", 0, 0, 1, "3.1", PTP4L),
    int(G, "initial_delay", 0, 0, i32::MAX, "3.1", PTP4L),
    int(P, "interface_rate_tlv", 0, 0, 1, "4.0", PTP4L),
    int(G, "kernel_leap", 1, 0, 1, "3.1", PTP4L | PHC2SYS),
    string(G, "leapfile", None, "3.1", TS2PHC | TZ2ALT),
    int(P, "logAnnounceInterval", 1, -128, 127, "3.1", PTP4L),
    int(P, "logMinDelayReqInterval", 0, -128, 127, "3.1", PTP4L),
    int(P, "logMinPdelayReqInterval", 0, -128, 127, "3.1", PTP4L),
    int(P, "logSyncInterval", 0, -128, 127, "3.1", PTP4L),
    int(G, "logging_level", 6, 0, 7, "3.1", PTP4L | PHC2SYS | TS2PHC | NSM | TZ2ALT),
    int(P, "masterOnly", 0, 0, 1, "3.1", NONE),
    int(G, "maxStepsRemoved", 255, 2, 255, "3.1", PTP4L),
    string(G, "message_tag", None, "3.1", PTP4L | PHC2SYS | TS2PHC | NSM | TZ2ALT),
    string(G, "manufacturerIdentity", Some("00:00:00"), "3.1", PTP4L),
    int(G, "max_frequency", 900000000, 0, i32::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    int(P, "min_neighbor_prop_delay", -20000000, i32::MIN, -1, "3.1", PTP4L),
    int(P, "msg_interval_request", 0, 0, 1, "3.1", PTP4L),
    int(P, "neighborPropDelayThresh", 20000000, 0, i32::MAX, "3.1", PTP4L),
    int(P, "net_sync_monitor", 0, 0, 1, "3.1", PTP4L),
    enumeration(P, "network_transport", 1, NETWORK_TRANSPORT_WORDS, "3.1", PTP4L | PMC | NSM),
    int(G, "ntpshm_segment", 0, i32::MIN, i32::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    int(G, "offsetScaledLogVariance", 65535, 0, 65535, "3.1", PTP4L),
    int(P, "operLogPdelayReqInterval", 0, -128, 127, "3.1", PTP4L),
    int(P, "operLogSyncInterval", 0, -128, 127, "3.1", PTP4L),
    string(P, "p2p_dst_ipv4", Some("224.0.0.107"), "4.3", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    string(P, "p2p_dst_ipv6", Some("FF02:0:0:0:0:0:0:6B"), "4.3", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    string(P, "p2p_dst_mac", Some("01:80:C2:00:00:0E"), "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(P, "path_trace_enabled", 0, 0, 1, "3.1", PTP4L),
    int(P, "phc_index", -1, -1, i32::MAX, "4.0", PTP4L),
    double(G, "pi_integral_const", 0.0, 0.0, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    double(G, "pi_integral_exponent", 0.4, -f64::MAX, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    double(G, "pi_integral_norm_max", 0.3, f64::MIN_POSITIVE, 2.0, "3.1", PTP4L | PHC2SYS | TS2PHC),
    double(G, "pi_integral_scale", 0.0, 0.0, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    double(G, "pi_proportional_const", 0.0, 0.0, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    double(G, "pi_proportional_exponent", -0.3, -f64::MAX, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    double(G, "pi_proportional_norm_max", 0.7, f64::MIN_POSITIVE, 1.0, "3.1", PTP4L | PHC2SYS | TS2PHC),
    double(G, "pi_proportional_scale", 0.0, 0.0, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    enumeration(P, "power_profile.version", 0, POWER_PROFILE_VERSION_WORDS, "4.0", PTP4L),
    int(P, "power_profile.2011.grandmasterTimeInaccuracy", -1, -1, i32::MAX, "4.0", PTP4L),
    int(P, "power_profile.2011.networkTimeInaccuracy", -1, -1, i32::MAX, "4.0", PTP4L),
    int(P, "power_profile.2017.totalTimeInaccuracy", -1, -1, i32::MAX, "4.0", PTP4L),
    int(P, "power_profile.grandmasterID", 0, 0, 65535, "4.0", PTP4L),
    int(G, "priority1", 128, 0, 255, "3.1", PTP4L),
    int(G, "priority2", 128, 0, 255, "3.1", PTP4L),
    string(G, "productDescription", Some(";;"), "3.1", PTP4L),
    string(P, "profileIdentity", Some("00:00:00:00:00:00"), "master", PTP4L),
    string(P, "ptp_dst_ipv4", Some("224.0.1.129"), "4.3", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    string(P, "ptp_dst_ipv6", Some("FF0E:0:0:0:0:0:0:181"), "4.3", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    string(P, "ptp_dst_mac", Some("01:1B:19:00:00:00"), "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(G, "ptp_minor_version", 1, 0, 1, "4.2", PTP4L),
    string(G, "refclock_sock_address", Some("/var/run/refclock.ptp.sock"), "4.0", PTP4L | PHC2SYS | TS2PHC),
    string(G, "revisionData", Some(";;"), "3.1", PTP4L),
    string(G, "sa_file", None, "4.3", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(G, "sanity_freq_limit", 200000000, 0, i32::MAX, "3.1", PTP4L | PHC2SYS),
    int(P, "serverOnly", 0, 0, 1, "4.0", PTP4L),
    int(G, "servo_num_offset_values", 10, 0, i32::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    int(G, "servo_offset_threshold", 0, 0, i32::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    string(G, "slave_event_monitor", Some(""), "3.1", PTP4L),
    int(G, "slaveOnly", 0, 0, 1, "3.1", NONE),
    int(G, "socket_priority", 0, 0, 15, "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(P, "spp", -1, -1, 255, "4.3", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    double(G, "step_threshold", 0.0, 0.0, f64::MAX, "3.1", PTP4L | PHC2SYS | TS2PHC),
    int(G, "step_window", 0, 0, i32::MAX, "4.0", PTP4L),
    int(G, "summary_interval", 0, i32::MIN, i32::MAX, "3.1", PTP4L),
    int(P, "syncReceiptTimeout", 0, 0, 255, "3.1", PTP4L),
    int(G, "tc_spanning_tree", 0, 0, 1, "3.1", PTP4L),
    int(G, "timeSource", 160, 16, 254, "3.1", PTP4L),
    enumeration(G, "time_stamping", 1, TIME_STAMPING_WORDS, "3.1", PTP4L | NSM),
    int(P, "transportSpecific", 0, 0, 15, "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(P, "ts2phc.channel", 0, 0, i32::MAX, "3.1", TS2PHC),
    int(G, "ts2phc.external_pps", 0, 0, 1, "master", TS2PHC),
    int(P, "ts2phc.extts_correction", 0, i32::MIN, i32::MAX, "3.1", TS2PHC),
    enumeration(P, "ts2phc.extts_polarity", 2, TS2PHC_EXTTS_POLARITY_WORDS, "3.1", TS2PHC),
    int(P, "ts2phc.holdover", 0, 0, i32::MAX, "4.4", TS2PHC),
    int(P, "ts2phc.master", 0, 0, 1, "3.1", TS2PHC),
    int(P, "ts2phc.nmea_baudrate", 9600, 300, i32::MAX, "4.0", TS2PHC),
    int(P, "ts2phc.nmea_delay", 0, i32::MIN, i32::MAX, "4.4", TS2PHC),
    string(G, "ts2phc.nmea_remote_host", Some(""), "3.1", TS2PHC),
    string(G, "ts2phc.nmea_remote_port", Some(""), "3.1", TS2PHC),
    string(G, "ts2phc.nmea_serialport", Some("/dev/ttyS0"), "3.1", TS2PHC),
    int(P, "ts2phc.perout_phase", -1, 0, 999999999, "4.0", TS2PHC),
    int(P, "ts2phc.pin_index", 0, 0, i32::MAX, "3.1", TS2PHC),
    string(P, "ts2phc.pin_name", Some(""), "master", TS2PHC),
    int(G, "ts2phc.pulserate", 1, 1, 128, "master", TS2PHC),
    int(G, "ts2phc.pulsewidth", -1, 1000000, 999000000, "3.1", TS2PHC),
    string(G, "ts2phc.tod_source", Some("generic"), "4.0", TS2PHC),
    enumeration(P, "tsproc_mode", 0, TSPROC_MODE_WORDS, "3.1", PTP4L),
    int(G, "twoStepFlag", 1, 0, 1, "3.1", PTP4L),
    int(G, "tx_timestamp_timeout", 10, 1, i32::MAX, "3.1", PTP4L),
    int(P, "udp_ttl", 1, 1, 255, "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(P, "udp6_scope", 14, 0, 15, "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    string(G, "uds_address", Some("/var/run/ptp/ptp4l"), "3.1", PTP4L | PHC2SYS | PMC | TS2PHC | TZ2ALT),
    int(P, "uds_file_mode", 432, 0, 511, "4.0", PTP4L),
    string(G, "uds_ro_address", Some("/var/run/ptp/ptp4lro"), "4.0", PTP4L | PHC2SYS | PMC | TS2PHC | NSM | TZ2ALT),
    int(P, "uds_ro_file_mode", 438, 0, 511, "4.0", PTP4L),
    int(P, "unicast_listen", 0, 0, 1, "3.1", PTP4L),
    int(P, "unicast_master_table", 0, 0, i32::MAX, "3.1", PTP4L),
    int(P, "unicast_req_duration", 3600, 10, i32::MAX, "3.1", PTP4L),
    int(G, "use_syslog", 1, 0, 1, "3.1", PTP4L | PHC2SYS | TS2PHC),
    string(G, "user", Some(""), "master", PTP4L),
    string(G, "userDescription", Some(""), "3.1", PTP4L),
    int(G, "utc_offset", 37, 0, i32::MAX, "3.1", PTP4L),
    int(G, "verbose", 0, 0, 1, "3.1", PTP4L | PHC2SYS | TS2PHC),
    int(G, "write_phase_mode", 0, 0, 1, "3.1", PTP4L),
];
