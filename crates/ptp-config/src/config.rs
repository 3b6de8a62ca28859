//! The configuration store: global values, interfaces with their own values, unicast master
//! tables; typed access for the engine; command-line overrides.

use std::collections::BTreeMap;
use std::fmt;

use crate::enums::ConfigEnum;
use crate::error::OptionError;
use crate::table::{self, option_index, Kind, OptionDef, Program, Scope, OPTIONS};
use crate::unicast::UnicastMasterTable;
use crate::value::{asap_value, parse_value, Value, ValueError};

/// linuxptp's `MAX_IFNAME_SIZE`: interface names are stored truncated to this many bytes
/// (config-format.md §2).
pub const MAX_IFNAME_SIZE: usize = 108;

/// Who last set a global value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetBy {
    /// Nobody: the table default.
    Default,
    /// A `[global]` line of a config file.
    File,
    /// A command-line option (long `--KEY` or a short option that maps to a key).
    CommandLine,
    /// The program itself (`Config::set_global`, e.g. the one-step harmonisation).
    Program,
}

#[derive(Debug, Clone, PartialEq)]
struct GlobalItem {
    value: Value,
    /// linuxptp's `CFG_ITEM_LOCKED`: set from the command line, so `[global]` lines of the file
    /// no longer change it (config-format.md §4).
    locked: bool,
    set_by: SetBy,
}

/// A port (interface) created by `-i NAME` or by a `[NAME]` section, with the values its
/// section set. Anything it does not set comes from the global value.
#[derive(Debug, Clone, PartialEq)]
pub struct Interface {
    name: String,
    settings: BTreeMap<usize, Value>,
}

impl Interface {
    /// The interface name (truncated to [`MAX_IFNAME_SIZE`] bytes, as linuxptp stores it).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value this interface's sections set for `key`, if any (no fallback to global).
    pub fn get(&self, key: &str) -> Option<&Value> {
        let idx = option_index(key.as_bytes())?;
        self.settings.get(&idx)
    }

    /// Every key this interface's sections set, in table order.
    pub fn settings(&self) -> impl Iterator<Item = (&'static OptionDef, &Value)> + '_ {
        self.settings.iter().filter_map(|(idx, v)| OPTIONS.get(*idx).map(|d| (d, v)))
    }
}

/// A non-fatal message linuxptp prints on stderr while reading options or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warning {
    /// A deprecated key was renamed: `option %s is deprecated, please use %s instead`.
    Deprecated {
        /// The name as written.
        old: &'static str,
        /// The name it was renamed to.
        new: &'static str,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Deprecated { old, new } => write!(f, "option {old} is deprecated, please use {new} instead"),
        }
    }
}

/// Misuse of the typed API by the program (not a user error). The texts are linuxptp's
/// `bug: ...` log lines.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// No such key in the table.
    #[error("bug: config option {0} missing!")]
    Missing(String),
    /// The key has another type than the call expects.
    #[error("bug: config option {0} type mismatch!")]
    TypeMismatch(String),
    /// A number that is not one of the enum key's words.
    #[error("bug: config option {0} missing or invalid!")]
    InvalidEnumValue(String),
}

/// A program asked for a key that does not exist, or with the wrong type: a bug in the
/// program, not a user error, reported with linuxptp's `bug: ...` text.
#[allow(clippy::panic)]
#[track_caller]
fn bug(e: KeyError) -> ! {
    panic!("{e}")
}

/// ptp4l's one-step harmonisation refused the combination (config-format.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OneStepError {
    /// `twoStepFlag 0` with `software` or `legacy` time stamping (logged at ERR).
    #[error("one step is only possible with hardware time stamping")]
    NeedsHardware,
}

/// A setting whose feature ptp-rs has not built, set to a value other than its default (see
/// [`Config::unsupported_settings`]). The daemon refuses to start with this message rather than
/// ignore the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedSetting {
    /// The key.
    pub key: &'static str,
    /// The interface whose section set it, or `None` for the global value.
    pub port: Option<String>,
    /// The value, as a user would write it.
    pub value: String,
    /// The default, as a user would write it.
    pub default: String,
    /// Where the global value came from (`SetBy::File` for interface values).
    pub set_by: SetBy,
}

impl fmt::Display for UnsupportedSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match (&self.port, self.set_by) {
            (Some(port), _) => format!("in section [{port}]"),
            (None, SetBy::CommandLine) => "on the command line".to_owned(),
            (None, SetBy::Program) => "by the program".to_owned(),
            (None, _) => "in section [global]".to_owned(),
        };
        write!(
            f,
            "option {} is set to {} {place}, but ptp-rs does not support it yet \
             (only the default {} is accepted)",
            self.key, self.value, self.default
        )
    }
}

/// Why linuxptp's `parse_item` did not store a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemError {
    /// NOT_PARSED: unknown key, or a global-only key in an interface section.
    NotParsed,
    /// BAD_VALUE / MALFORMED / OUT_OF_RANGE.
    Value(ValueError),
}

/// The whole configuration of one program run: linuxptp's `struct config`.
///
/// Build it in linuxptp's order: [`Config::new`] (all defaults), then the command line
/// ([`Config::apply_option`], [`Config::add_interface`], or
/// [`Ptp4lArgs::apply`](crate::ptp4l::Ptp4lArgs::apply)), then the file
/// ([`Config::read_bytes`] / [`Config::read_file`]). Command-line values lock their key, so the
/// file's `[global]` lines cannot change them, while interface sections still override them for
/// their port (config-format.md §4).
///
/// Typed getters take linuxptp's key names. A port getter looks at the port's own value, then the
/// global value, which starts as the default. Asking for a key that does not exist, or with the
/// wrong type, is a bug in the program and panics with linuxptp's `bug: ...` text; use
/// [`Config::value`] for a non-panicking lookup.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    globals: Vec<GlobalItem>,
    pub(crate) interfaces: Vec<Interface>,
    pub(crate) unicast_tables: Vec<UnicastMasterTable>,
    warnings: Vec<Warning>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// Every key at its default, no interfaces, no unicast master tables.
    pub fn new() -> Self {
        let globals = OPTIONS
            .iter()
            .map(|d| GlobalItem { value: d.default_value(), locked: false, set_by: SetBy::Default })
            .collect();
        Config { globals, interfaces: Vec::new(), unicast_tables: Vec::new(), warnings: Vec::new() }
    }

    // -----------------------------------------------------------------------------------------
    // Interfaces, tables, warnings

    /// Adds an interface as `-i NAME` or a `[NAME]` section does, unless one with the same name
    /// (first [`MAX_IFNAME_SIZE`] bytes) exists; returns its index in [`Config::interfaces`].
    pub fn add_interface(&mut self, name: &str) -> usize {
        self.add_interface_bytes(name.as_bytes())
    }

    pub(crate) fn add_interface_bytes(&mut self, name: &[u8]) -> usize {
        let name = name.get(..MAX_IFNAME_SIZE).unwrap_or(name);
        let name = String::from_utf8_lossy(name).into_owned();
        if let Some(idx) = self.interfaces.iter().position(|i| i.name == name) {
            return idx;
        }
        self.interfaces.push(Interface { name, settings: BTreeMap::new() });
        self.interfaces.len() - 1
    }

    /// The interfaces in the order they were created (command line first, then file sections).
    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    /// The interface called `name`.
    pub fn interface(&self, name: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.name == name)
    }

    /// Every `[unicast_master_table]` in file order.
    pub fn unicast_master_tables(&self) -> &[UnicastMasterTable] {
        &self.unicast_tables
    }

    /// The table with `table_id == id` (a port's `unicast_master_table` value; 0 = none).
    pub fn unicast_master_table(&self, id: i32) -> Option<&UnicastMasterTable> {
        self.unicast_tables.iter().find(|t| t.table_id == id)
    }

    /// The warnings printed so far (deprecated names), in order.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Removes and returns the warnings, so a program can print them as they come.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// Renames a deprecated key (recording the warning), as linuxptp's `check_deprecated_options`.
    pub(crate) fn rename_deprecated<'a>(&mut self, key: &'a [u8]) -> &'a [u8] {
        for d in table::DEPRECATED {
            if d.old.as_bytes() == key {
                self.warnings.push(Warning::Deprecated { old: d.old, new: d.new });
                return d.new.as_bytes();
            }
        }
        key
    }

    // -----------------------------------------------------------------------------------------
    // Setting values

    /// linuxptp's `parse_item`: the `ASAP` word, then the key lookup, then the value, then the
    /// section check.
    ///
    /// The order matters for the messages: a global-only key in an interface section with a
    /// bad value reports the bad value, with a good value `unknown option`. `ASAP` for a fault
    /// interval in `[global]` (file or command line) sets and locks the global value, as
    /// linuxptp does through `config_set_section_int`; the key lookup and the lock check are
    /// skipped for it.
    pub(crate) fn parse_item(
        &mut self,
        commandline: bool,
        port: Option<usize>,
        key: &[u8],
        raw: &[u8],
    ) -> Result<(), ItemError> {
        let idx = option_index(key).ok_or(ItemError::NotParsed)?;
        let def = OPTIONS.get(idx).ok_or(ItemError::NotParsed)?;
        let set_by = if commandline { SetBy::CommandLine } else { SetBy::File };

        if let Some(v) = asap_value(def.name, raw) {
            match port.and_then(|p| self.interfaces.get_mut(p)) {
                Some(iface) => {
                    iface.settings.insert(idx, Value::Int(v));
                }
                None => self.set_global_item(idx, Value::Int(v), true, set_by),
            }
            return Ok(());
        }

        let value = parse_value(def, raw).map_err(ItemError::Value)?;
        match port {
            Some(p) => {
                if def.scope != Scope::Port {
                    return Err(ItemError::NotParsed);
                }
                if let Some(iface) = self.interfaces.get_mut(p) {
                    iface.settings.insert(idx, value);
                }
            }
            None => {
                let locked = self.globals.get(idx).is_some_and(|g| g.locked);
                if !commandline && locked {
                    // Set on the command line: the file's [global] line is silently ignored.
                    return Ok(());
                }
                self.set_global_item(idx, value, commandline, set_by);
            }
        }
        Ok(())
    }

    fn set_global_item(&mut self, idx: usize, value: Value, lock: bool, set_by: SetBy) {
        if let Some(g) = self.globals.get_mut(idx) {
            g.value = value;
            g.locked |= lock;
            g.set_by = set_by;
        }
    }

    /// Applies one `--KEY=VALUE` command-line option, as linuxptp's `config_parse_option`:
    /// deprecated names are renamed (with a warning), the value is parsed and range-checked,
    /// stored as the global value and locked against `[global]` lines of the file.
    pub fn apply_option(&mut self, key: &str, value: &str) -> Result<(), OptionError> {
        let key = self.rename_deprecated(key.as_bytes());
        let key_text = String::from_utf8_lossy(key).into_owned();
        self.parse_item(true, None, key, value.as_bytes()).map_err(|e| match e {
            ItemError::NotParsed => OptionError::Unknown { key: key_text },
            ItemError::Value(ValueError::BadValue) => OptionError::BadValue { value: value.to_owned(), key: key_text },
            ItemError::Value(ValueError::Malformed) => {
                OptionError::Malformed { value: value.to_owned(), key: key_text }
            }
            ItemError::Value(ValueError::OutOfRange) => {
                OptionError::OutOfRange { value: value.to_owned(), key: key_text }
            }
        })
    }

    fn checked(&self, key: &str, value: &Value) -> Result<usize, KeyError> {
        let idx = option_index(key.as_bytes()).ok_or_else(|| KeyError::Missing(key.to_owned()))?;
        let def = OPTIONS.get(idx).ok_or_else(|| KeyError::Missing(key.to_owned()))?;
        if !value.fits(&def.kind) {
            return Err(KeyError::TypeMismatch(key.to_owned()));
        }
        if let (Value::Enum(v), Kind::Enum { words, .. }) = (value, def.kind) {
            if !words.iter().any(|(_, n)| n == v) {
                return Err(KeyError::InvalidEnumValue(key.to_owned()));
            }
        }
        Ok(idx)
    }

    /// Sets and locks a global value from the program, as linuxptp's `config_set_int` /
    /// `config_set_double` / `config_set_string` (no range check; enum numbers must be one of
    /// the key's words). ptp4l's short options use this.
    pub fn set_global(&mut self, key: &str, value: Value) -> Result<(), KeyError> {
        let idx = self.checked(key, &value)?;
        self.set_global_item(idx, value, true, SetBy::Program);
        Ok(())
    }

    /// linuxptp's `config_set_int` for an `int` or `enum` key: sets and locks the global value.
    pub fn set_global_int(&mut self, key: &str, value: i32) -> Result<(), KeyError> {
        let def = table::option(key).ok_or_else(|| KeyError::Missing(key.to_owned()))?;
        let value = match def.kind {
            Kind::Enum { .. } => Value::Enum(value),
            _ => Value::Int(value),
        };
        self.set_global(key, value)
    }

    pub(crate) fn set_global_from_command_line(&mut self, key: &str, value: Value) -> Result<(), KeyError> {
        let idx = self.checked(key, &value)?;
        self.set_global_item(idx, value, true, SetBy::CommandLine);
        Ok(())
    }

    /// Sets a port's own value, as linuxptp's `config_set_section_int` (creates the interface if
    /// needed).
    pub fn set_port(&mut self, port: &str, key: &str, value: Value) -> Result<(), KeyError> {
        let idx = self.checked(key, &value)?;
        let p = self.add_interface(port);
        if let Some(iface) = self.interfaces.get_mut(p) {
            iface.settings.insert(idx, value);
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Reading values

    /// The effective value of `key` for `port` (its own, else global), or the global value when
    /// `port` is `None` or unknown. `None` only if `key` is not in the table.
    pub fn value(&self, port: Option<&str>, key: &str) -> Option<&Value> {
        let idx = option_index(key.as_bytes())?;
        if let Some(v) = port.and_then(|p| self.interface(p)).and_then(|i| i.settings.get(&idx)) {
            return Some(v);
        }
        self.globals.get(idx).map(|g| &g.value)
    }

    /// Whether the global value of `key` was locked by the command line.
    pub fn is_locked(&self, key: &str) -> bool {
        option_index(key.as_bytes()).and_then(|i| self.globals.get(i)).is_some_and(|g| g.locked)
    }

    /// Who last set the global value of `key` (`None` if no such key).
    pub fn set_by(&self, key: &str) -> Option<SetBy> {
        option_index(key.as_bytes()).and_then(|i| self.globals.get(i)).map(|g| g.set_by)
    }

    #[track_caller]
    fn expect_value(&self, port: Option<&str>, key: &str) -> &Value {
        match self.value(port, key) {
            Some(v) => v,
            None => bug(KeyError::Missing(key.to_owned())),
        }
    }

    #[track_caller]
    fn expect_int(&self, port: Option<&str>, key: &str) -> i32 {
        match self.expect_value(port, key).as_int() {
            Some(v) => v,
            None => bug(KeyError::TypeMismatch(key.to_owned())),
        }
    }

    #[track_caller]
    fn expect_uint(&self, port: Option<&str>, key: &str) -> u32 {
        match self.expect_value(port, key).as_uint() {
            Some(v) => v,
            None => bug(KeyError::TypeMismatch(key.to_owned())),
        }
    }

    #[track_caller]
    fn expect_double(&self, port: Option<&str>, key: &str) -> f64 {
        match self.expect_value(port, key).as_double() {
            Some(v) => v,
            None => bug(KeyError::TypeMismatch(key.to_owned())),
        }
    }

    #[track_caller]
    fn expect_str(&self, port: Option<&str>, key: &str) -> Option<&str> {
        match self.expect_value(port, key) {
            Value::Str(s) => s.as_deref(),
            _ => bug(KeyError::TypeMismatch(key.to_owned())),
        }
    }

    /// Global value of an `int` or `enum` key (linuxptp `config_get_int(cfg, NULL, key)`).
    ///
    /// # Panics
    /// If `key` is not in the table or is not an `int`/`enum` key (a bug in the caller).
    #[track_caller]
    pub fn global_int(&self, key: &str) -> i32 {
        self.expect_int(None, key)
    }

    /// Global value of a `uint` key.
    ///
    /// # Panics
    /// If `key` is not in the table or is not a `uint` key.
    #[track_caller]
    pub fn global_uint(&self, key: &str) -> u32 {
        self.expect_uint(None, key)
    }

    /// Global value of a `double` key.
    ///
    /// # Panics
    /// If `key` is not in the table or is not a `double` key.
    #[track_caller]
    pub fn global_double(&self, key: &str) -> f64 {
        self.expect_double(None, key)
    }

    /// Global value of a `string` key; `None` when unset (linuxptp NULL).
    ///
    /// # Panics
    /// If `key` is not in the table or is not a `string` key.
    #[track_caller]
    pub fn global_str(&self, key: &str) -> Option<&str> {
        self.expect_str(None, key)
    }

    /// Value of an `int`/`enum` key for `port`: the port's own, else the global one
    /// (linuxptp `config_get_int(cfg, port, key)`).
    ///
    /// # Panics
    /// As [`Config::global_int`].
    #[track_caller]
    pub fn port_int(&self, port: &str, key: &str) -> i32 {
        self.expect_int(Some(port), key)
    }

    /// Value of a `uint` key for `port`.
    ///
    /// # Panics
    /// As [`Config::global_uint`].
    #[track_caller]
    pub fn port_uint(&self, port: &str, key: &str) -> u32 {
        self.expect_uint(Some(port), key)
    }

    /// Value of a `double` key for `port`.
    ///
    /// # Panics
    /// As [`Config::global_double`].
    #[track_caller]
    pub fn port_double(&self, port: &str, key: &str) -> f64 {
        self.expect_double(Some(port), key)
    }

    /// Value of a `string` key for `port`.
    ///
    /// # Panics
    /// As [`Config::global_str`].
    #[track_caller]
    pub fn port_str(&self, port: &str, key: &str) -> Option<&str> {
        self.expect_str(Some(port), key)
    }

    /// Global value of an enum key as its Rust type, e.g. `cfg.global_enum::<TimeStamping>()`.
    pub fn global_enum<T: ConfigEnum>(&self) -> T {
        self.value(None, T::KEY).and_then(Value::as_int).and_then(T::from_value).unwrap_or(T::DEFAULT)
    }

    /// Value of an enum key for `port` as its Rust type, e.g.
    /// `cfg.port_enum::<DelayMechanism>("eth0")`.
    pub fn port_enum<T: ConfigEnum>(&self, port: &str) -> T {
        self.value(Some(port), T::KEY).and_then(Value::as_int).and_then(T::from_value).unwrap_or(T::DEFAULT)
    }

    // -----------------------------------------------------------------------------------------
    // Program-level adjustments

    /// ptp4l's harmonisation of `twoStepFlag` and `time_stamping` after reading options and file
    /// (config-format.md §4, linuxptp `config_harmonize_onestep`). On success returns the debug
    /// line linuxptp logs when it changed something.
    pub fn harmonize_onestep(&mut self) -> Result<Option<&'static str>, OneStepError> {
        use crate::enums::TimeStamping;
        let two_step = self.global_int("twoStepFlag") != 0;
        match self.global_enum::<TimeStamping>() {
            TimeStamping::Software | TimeStamping::Legacy if !two_step => Err(OneStepError::NeedsHardware),
            TimeStamping::Hardware if !two_step => {
                self.set_global_item_by_name("time_stamping", Value::Enum(TimeStamping::OneStep.value()));
                Ok(Some("upgrading to one step time stamping in order to match the twoStepFlag"))
            }
            TimeStamping::OneStep | TimeStamping::P2p1Step if two_step => {
                self.set_global_item_by_name("twoStepFlag", Value::Int(0));
                Ok(Some("one step mode implies twoStepFlag=0, clearing twoStepFlag to match"))
            }
            _ => Ok(None),
        }
    }

    /// The servo constraints ptp4l and phc2sys apply after reading the configuration
    /// (config-format.md §4): `clock_servo ntpshm` forces `kernel_leap 0` and
    /// `sanity_freq_limit 0`; phc2sys does the same for `free_running 1`. Returns whether it
    /// changed anything.
    pub fn apply_servo_constraints(&mut self, program: Program) -> bool {
        use crate::enums::ClockServo;
        let ntpshm = self.global_enum::<ClockServo>() == ClockServo::Ntpshm;
        let free_running = program == Program::Phc2sys && self.global_int("free_running") != 0;
        if ntpshm || free_running {
            self.set_global_item_by_name("kernel_leap", Value::Int(0));
            self.set_global_item_by_name("sanity_freq_limit", Value::Int(0));
            true
        } else {
            false
        }
    }

    fn set_global_item_by_name(&mut self, key: &str, value: Value) {
        if let Some(idx) = option_index(key.as_bytes()) {
            self.set_global_item(idx, value, true, SetBy::Program);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Features not built yet

    /// Every setting of a key not in `supported` whose value differs from the key's default:
    /// the global value, then each interface's own values. A daemon calls this at start-up and
    /// refuses to run if the list is not empty, naming each key, so that a setting whose
    /// feature is not built yet is never silently ignored.
    ///
    /// Keys the program does not read at all (for ptp4l, `ts2phc.*` in a shared file) should be
    /// in `supported`, or use [`Config::unsupported_settings_for`].
    pub fn unsupported_settings(&self, supported: &[&str]) -> Vec<UnsupportedSetting> {
        self.unsupported_where(|d| !supported.contains(&d.name))
    }

    /// As [`Config::unsupported_settings`], looking only at keys `program` reads
    /// (config-keys.tsv `used_by`).
    pub fn unsupported_settings_for(&self, program: Program, supported: &[&str]) -> Vec<UnsupportedSetting> {
        self.unsupported_where(|d| d.used_by(program) && !supported.contains(&d.name))
    }

    fn unsupported_where(&self, check: impl Fn(&OptionDef) -> bool) -> Vec<UnsupportedSetting> {
        let mut out = Vec::new();
        for (idx, (def, global)) in OPTIONS.iter().zip(&self.globals).enumerate() {
            if !check(def) {
                continue;
            }
            let default = def.default_value();
            let entry = |port: Option<String>, value: &Value, set_by: SetBy| UnsupportedSetting {
                key: def.name,
                port,
                value: def.display_value(value),
                default: def.display_value(&default),
                set_by,
            };
            if global.value != default {
                out.push(entry(None, &global.value, global.set_by));
            }
            for iface in &self.interfaces {
                if let Some(v) = iface.settings.get(&idx).filter(|v| **v != default) {
                    out.push(entry(Some(iface.name.clone()), v, SetBy::File));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{DelayMechanism, TimeStamping};

    #[test]
    fn defaults() {
        let cfg = Config::new();
        assert_eq!(cfg.global_int("priority1"), 128);
        assert_eq!(cfg.global_uint("active_key_id"), 0);
        assert_eq!(cfg.global_double("first_step_threshold"), 0.00002);
        assert_eq!(cfg.global_str("uds_address"), Some("/var/run/ptp/ptp4l"));
        assert_eq!(cfg.global_str("message_tag"), None);
        assert_eq!(cfg.global_str("userDescription"), Some(""));
        assert_eq!(cfg.port_int("eth9", "logSyncInterval"), 0);
        assert_eq!(cfg.global_enum::<TimeStamping>(), TimeStamping::Hardware);
        assert_eq!(cfg.port_enum::<DelayMechanism>("eth0"), DelayMechanism::E2E);
        assert!(cfg.unsupported_settings(&[]).is_empty());
    }

    #[test]
    #[should_panic(expected = "bug: config option nosuchkey missing!")]
    fn unknown_key_is_a_bug() {
        Config::new().global_int("nosuchkey");
    }

    #[test]
    #[should_panic(expected = "bug: config option uds_address type mismatch!")]
    fn wrong_type_is_a_bug() {
        Config::new().global_int("uds_address");
    }

    #[test]
    fn set_global_checks_type_and_enum() {
        let mut cfg = Config::new();
        assert_eq!(cfg.set_global("nosuch", Value::Int(1)), Err(KeyError::Missing("nosuch".into())));
        assert_eq!(cfg.set_global("priority1", Value::Double(1.0)), Err(KeyError::TypeMismatch("priority1".into())));
        assert_eq!(
            cfg.set_global("delay_mechanism", Value::Enum(9)),
            Err(KeyError::InvalidEnumValue("delay_mechanism".into()))
        );
        cfg.set_global("delay_mechanism", Value::Enum(2)).unwrap();
        cfg.set_global_int("priority1", 7).unwrap();
        assert_eq!(cfg.global_int("priority1"), 7);
        assert_eq!(cfg.set_global_int("uds_address", 7), Err(KeyError::TypeMismatch("uds_address".into())));
        cfg.set_global_int("time_stamping", 0).unwrap();
        assert_eq!(cfg.global_enum::<TimeStamping>(), TimeStamping::Software);
        assert_eq!(cfg.global_enum::<DelayMechanism>(), DelayMechanism::P2P);
        assert!(cfg.is_locked("delay_mechanism"));
        assert_eq!(cfg.set_by("delay_mechanism"), Some(SetBy::Program));
    }

    #[test]
    fn harmonize() {
        let mut cfg = Config::new();
        assert_eq!(cfg.harmonize_onestep(), Ok(None));
        cfg.apply_option("twoStepFlag", "0").unwrap();
        assert!(cfg.harmonize_onestep().unwrap().is_some());
        assert_eq!(cfg.global_enum::<TimeStamping>(), TimeStamping::OneStep);

        let mut cfg = Config::new();
        cfg.apply_option("time_stamping", "p2p1step").unwrap();
        assert!(cfg.harmonize_onestep().unwrap().is_some());
        assert_eq!(cfg.global_int("twoStepFlag"), 0);

        let mut cfg = Config::new();
        cfg.apply_option("time_stamping", "software").unwrap();
        cfg.apply_option("twoStepFlag", "0").unwrap();
        assert_eq!(cfg.harmonize_onestep(), Err(OneStepError::NeedsHardware));
        assert_eq!(OneStepError::NeedsHardware.to_string(), "one step is only possible with hardware time stamping");
    }

    #[test]
    fn servo_constraints() {
        let mut cfg = Config::new();
        assert!(!cfg.apply_servo_constraints(Program::Ptp4l));
        cfg.apply_option("free_running", "1").unwrap();
        assert!(!cfg.apply_servo_constraints(Program::Ptp4l));
        assert!(cfg.apply_servo_constraints(Program::Phc2sys));
        assert_eq!(cfg.global_int("kernel_leap"), 0);
        let mut cfg = Config::new();
        cfg.apply_option("clock_servo", "ntpshm").unwrap();
        assert!(cfg.apply_servo_constraints(Program::Ptp4l));
        assert_eq!(cfg.global_int("sanity_freq_limit"), 0);
    }

    #[test]
    fn interface_names_truncate_and_merge() {
        let mut cfg = Config::new();
        let long = "x".repeat(200);
        let a = cfg.add_interface(&long);
        let b = cfg.add_interface(&"x".repeat(108));
        assert_eq!(a, b);
        assert_eq!(cfg.interfaces()[0].name().len(), MAX_IFNAME_SIZE);
        assert_eq!(cfg.add_interface("eth0"), 1);
        assert_eq!(cfg.add_interface("eth0"), 1);
    }
}
