//! Values of keys and their parsing from text (config-format.md §3.1).

use crate::cparse::{strtod, strtol, strtoul, until_nul, whole};
use crate::table::{Kind, OptionDef, ASAP_KEYS};

/// The value of one key. Enum keys hold the number of their word (linuxptp stores enums as
/// `int`); use [`OptionDef::display_value`] to print the word.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An `int` key.
    Int(i32),
    /// A `uint` key.
    Uint(u32),
    /// A `double` key.
    Double(f64),
    /// An `enum` key: the number of its word.
    Enum(i32),
    /// A `string` key; `None` is linuxptp's NULL (unset).
    Str(Option<String>),
}

impl Value {
    /// The integer of an `Int` or `Enum` value.
    pub fn as_int(&self) -> Option<i32> {
        match self {
            Value::Int(v) | Value::Enum(v) => Some(*v),
            _ => None,
        }
    }

    /// The number of a `Uint` value.
    pub fn as_uint(&self) -> Option<u32> {
        match self {
            Value::Uint(v) => Some(*v),
            _ => None,
        }
    }

    /// The number of a `Double` value.
    pub fn as_double(&self) -> Option<f64> {
        match self {
            Value::Double(v) => Some(*v),
            _ => None,
        }
    }

    /// The text of a `Str` value (`None` if unset or not a string).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => s.as_deref(),
            _ => None,
        }
    }

    /// Whether this value has the variant `kind` expects.
    pub(crate) fn fits(&self, kind: &Kind) -> bool {
        matches!(
            (self, kind),
            (Value::Int(_), Kind::Int { .. })
                | (Value::Uint(_), Kind::Uint { .. })
                | (Value::Double(_), Kind::Double { .. })
                | (Value::Enum(_), Kind::Enum { .. })
                | (Value::Str(_), Kind::String { .. })
        )
    }
}

/// Why a value was refused; the three non-OK results of linuxptp's `parse_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueError {
    /// Not one of the enum's words: `%s is a bad value for option %s`.
    BadValue,
    /// Not a number, or trailing characters: `%s is a malformed value for option %s`.
    Malformed,
    /// A number outside `[min, max]` (or overflowing): `%s is an out of range value for option %s`.
    OutOfRange,
}

/// Parses `raw` as a value of `def`, with linuxptp's rules (config-format.md §3.1):
/// `strtol`/`strtoul` with base 0 (decimal, `0x` hex, leading-`0` octal), `strtod`, enum words
/// compared ASCII case-insensitively, strings verbatim. The whole value must be consumed. Like a
/// C string, the value ends at a NUL byte. Non-UTF-8 bytes in strings are replaced by U+FFFD.
///
/// The special word `ASAP` is not handled here; see [`asap_value`].
pub fn parse_value(def: &OptionDef, raw: &[u8]) -> Result<Value, ValueError> {
    let raw = until_nul(raw);
    match def.kind {
        Kind::Int { min, max, .. } => {
            let conv = whole(strtol(raw, 0), raw.len()).ok_or(ValueError::Malformed)?;
            if conv.erange || conv.value < i64::from(min) || conv.value > i64::from(max) {
                return Err(ValueError::OutOfRange);
            }
            // In range of two i32 bounds, so the conversion cannot fail.
            i32::try_from(conv.value).map(Value::Int).map_err(|_| ValueError::OutOfRange)
        }
        Kind::Uint { min, max, .. } => {
            let conv = whole(strtoul(raw, 0), raw.len()).ok_or(ValueError::Malformed)?;
            if conv.erange || conv.value < u64::from(min) || conv.value > u64::from(max) {
                return Err(ValueError::OutOfRange);
            }
            u32::try_from(conv.value).map(Value::Uint).map_err(|_| ValueError::OutOfRange)
        }
        Kind::Double { min, max, .. } => {
            let conv = whole(strtod(raw), raw.len()).ok_or(ValueError::Malformed)?;
            // Written as in C: a NaN compares false both ways and passes.
            if conv.erange || conv.value < min || conv.value > max {
                return Err(ValueError::OutOfRange);
            }
            Ok(Value::Double(conv.value))
        }
        Kind::Enum { words, .. } => words
            .iter()
            .find(|(w, _)| w.as_bytes().eq_ignore_ascii_case(raw))
            .map(|(_, v)| Value::Enum(*v))
            .ok_or(ValueError::BadValue),
        Kind::String { .. } => Ok(Value::Str(Some(String::from_utf8_lossy(raw).into_owned()))),
    }
}

/// The value the special word `ASAP` (any case) stores for `key`, if `key` accepts it and `raw`
/// is that word: `fault_badpeernet_interval` → 0, `fault_reset_interval` → -128 (`FRI_ASAP`).
pub fn asap_value(key: &str, raw: &[u8]) -> Option<i32> {
    if !until_nul(raw).eq_ignore_ascii_case(b"ASAP") {
        return None;
    }
    ASAP_KEYS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::option;

    fn p(key: &str, raw: &str) -> Result<Value, ValueError> {
        parse_value(option(key).unwrap(), raw.as_bytes())
    }

    #[test]
    fn ints() {
        assert_eq!(p("priority1", "0xFE"), Ok(Value::Int(254)));
        assert_eq!(p("uds_file_mode", "0660"), Ok(Value::Int(432)));
        assert_eq!(p("priority1", "256"), Err(ValueError::OutOfRange));
        assert_eq!(p("priority1", "-1"), Err(ValueError::OutOfRange));
        assert_eq!(p("priority1", "12 # x"), Err(ValueError::Malformed));
        assert_eq!(p("priority1", ""), Err(ValueError::Malformed));
        assert_eq!(p("priority1", "099"), Err(ValueError::Malformed));
        assert_eq!(p("delayAsymmetry", "-2147483648"), Ok(Value::Int(i32::MIN)));
        assert_eq!(p("delayAsymmetry", "2147483648"), Err(ValueError::OutOfRange));
        assert_eq!(p("delayAsymmetry", "99999999999999999999"), Err(ValueError::OutOfRange));
        assert_eq!(p("priority1", "1\0junk"), Ok(Value::Int(1)));
    }

    #[test]
    fn uints() {
        assert_eq!(p("active_key_id", "4294967295"), Ok(Value::Uint(u32::MAX)));
        assert_eq!(p("active_key_id", "4294967296"), Err(ValueError::OutOfRange));
        assert_eq!(p("active_key_id", "-1"), Err(ValueError::OutOfRange));
        assert_eq!(p("active_key_id", "-0"), Ok(Value::Uint(0)));
    }

    #[test]
    fn doubles() {
        assert_eq!(p("step_threshold", "1"), Ok(Value::Double(1.0)));
        assert_eq!(p("step_threshold", "-1"), Err(ValueError::OutOfRange));
        assert_eq!(p("step_threshold", "inf"), Err(ValueError::OutOfRange));
        assert_eq!(p("step_threshold", "1e999"), Err(ValueError::OutOfRange));
        assert_eq!(p("step_threshold", "1.0s"), Err(ValueError::Malformed));
        assert!(matches!(p("step_threshold", "nan"), Ok(Value::Double(v)) if v.is_nan()));
        assert_eq!(p("pi_integral_norm_max", "0"), Err(ValueError::OutOfRange));
    }

    #[test]
    fn enums_and_strings() {
        assert_eq!(p("delay_mechanism", "p2p"), Ok(Value::Enum(2)));
        assert_eq!(p("delay_mechanism", "common_p2p"), Ok(Value::Enum(3)));
        assert_eq!(p("delay_mechanism", "P2P "), Err(ValueError::BadValue));
        assert_eq!(p("dataset_comparison", "g.8275.X"), Ok(Value::Enum(1)));
        assert_eq!(p("userDescription", "a b  c"), Ok(Value::Str(Some("a b  c".into()))));
    }

    #[test]
    fn asap() {
        assert_eq!(asap_value("fault_reset_interval", b"asap"), Some(-128));
        assert_eq!(asap_value("fault_badpeernet_interval", b"ASAP"), Some(0));
        assert_eq!(asap_value("logSyncInterval", b"ASAP"), None);
        assert_eq!(asap_value("fault_reset_interval", b"ASAP2"), None);
    }
}
