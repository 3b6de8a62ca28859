//! The C library conversions linuxptp's config parser relies on, reproduced on byte slices with
//! glibc's semantics in the "C" locale: `isspace`, `strtol`, `strtoul`, `strtod`, the few
//! `sscanf` patterns of the unicast master table, `inet_aton` and the MAC parser.
//!
//! Nothing here can panic: every index is checked with `get`.

/// C `isspace` in the "C" locale: space, `\t`, `\n`, `\v`, `\f`, `\r`. (Rust's
/// `u8::is_ascii_whitespace` leaves out `\v`.)
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Drops leading C whitespace.
pub(crate) fn trim_start(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_space(*first) {
            break;
        }
        s = rest;
    }
    s
}

/// Drops trailing C whitespace.
pub(crate) fn trim_end(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., last] = s {
        if !is_space(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// A C string stops at its first NUL byte.
pub(crate) fn until_nul(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(n) => s.get(..n).unwrap_or(s),
        None => s,
    }
}

fn digit_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 10),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        _ => None,
    }
}

fn is_hex_digit(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_hexdigit())
}

/// What the `strto*` family found at the start of a string.
struct RawInt {
    negative: bool,
    magnitude: u64,
    /// The magnitude did not fit in 64 bits.
    overflow: bool,
    /// Bytes consumed (endptr - str).
    end: usize,
}

/// Skip leading whitespace and one optional sign, as `strtol` and `strtod` do: returns the index
/// of the first byte after them and whether the sign was `-`.
fn skip_space_and_sign(s: &[u8]) -> (usize, bool) {
    let mut i = 0;
    while s.get(i).is_some_and(|&b| is_space(b)) {
        i += 1;
    }
    match s.get(i) {
        Some(b'-') => (i + 1, true),
        Some(b'+') => (i + 1, false),
        _ => (i, false),
    }
}

/// The common part of `strtol`/`strtoul`: leading whitespace, sign, base prefix, digits.
/// `base` is 0 (auto: `0x` hex, leading `0` octal, else decimal), 10 or 16.
/// Returns `None` when no digits were found (endptr == str).
fn scan_raw_int(s: &[u8], base: u32) -> Option<RawInt> {
    let (mut i, negative) = skip_space_and_sign(s);
    let mut base = base;
    let has_hex_prefix =
        s.get(i) == Some(&b'0') && matches!(s.get(i + 1), Some(b'x' | b'X')) && is_hex_digit(s.get(i + 2));
    if (base == 0 || base == 16) && has_hex_prefix {
        base = 16;
        i += 2;
    } else if base == 0 {
        base = if s.get(i) == Some(&b'0') { 8 } else { 10 };
    }
    let start = i;
    let mut magnitude: u64 = 0;
    let mut overflow = false;
    while let Some(d) = s.get(i).and_then(|&b| digit_value(b)).filter(|&d| d < base) {
        match magnitude.checked_mul(u64::from(base)).and_then(|m| m.checked_add(u64::from(d))) {
            Some(m) => magnitude = m,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    Some(RawInt { negative, magnitude, overflow, end: i })
}

/// Result of a `strto*` conversion: the value, the bytes consumed, and whether `errno` would be
/// `ERANGE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Conv<T> {
    pub value: T,
    pub end: usize,
    pub erange: bool,
}

/// glibc `strtol(s, &end, base)` with a 64-bit `long`. `None` = nothing converted.
pub(crate) fn strtol(s: &[u8], base: u32) -> Option<Conv<i64>> {
    let raw = scan_raw_int(s, base)?;
    let limit = if raw.negative { i64::MIN.unsigned_abs() } else { i64::MAX as u64 };
    let (value, erange) = if raw.overflow || raw.magnitude > limit {
        (if raw.negative { i64::MIN } else { i64::MAX }, true)
    } else if raw.negative {
        // magnitude <= 2^63 here, so the wrapping negation is exact (2^63 -> i64::MIN).
        ((raw.magnitude as i64).wrapping_neg(), false)
    } else {
        (raw.magnitude as i64, false)
    };
    Some(Conv { value, end: raw.end, erange })
}

/// glibc `strtoul(s, &end, base)` with a 64-bit `unsigned long`: a minus sign negates in
/// unsigned arithmetic (`-1` is `ULONG_MAX`, without `ERANGE`).
pub(crate) fn strtoul(s: &[u8], base: u32) -> Option<Conv<u64>> {
    let raw = scan_raw_int(s, base)?;
    let (value, erange) = if raw.overflow {
        (u64::MAX, true)
    } else if raw.negative {
        (raw.magnitude.wrapping_neg(), false)
    } else {
        (raw.magnitude, false)
    };
    Some(Conv { value, end: raw.end, erange })
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// glibc `strtod(s, &end)` in the "C" locale: decimal with optional exponent, `inf`,
/// `infinity`, `nan`, `nan(chars)`, hexadecimal floats (`0x1.8p3`). `ERANGE` on overflow and
/// on underflow (a non-zero number that becomes zero or subnormal).
pub(crate) fn strtod(s: &[u8]) -> Option<Conv<f64>> {
    let (i, negative) = skip_space_and_sign(s);
    let rest = s.get(i..).unwrap_or_default();
    let sign = |v: f64| if negative { -v } else { v };

    if starts_with_ignore_case(rest, b"inf") {
        let len = if starts_with_ignore_case(rest, b"infinity") { 8 } else { 3 };
        return Some(Conv { value: sign(f64::INFINITY), end: i + len, erange: false });
    }
    if starts_with_ignore_case(rest, b"nan") {
        let mut end = i + 3;
        if s.get(end) == Some(&b'(') {
            let mut j = end + 1;
            while s.get(j).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                j += 1;
            }
            if s.get(j) == Some(&b')') {
                end = j + 1;
            }
        }
        return Some(Conv { value: sign(f64::NAN), end, erange: false });
    }
    let hex_prefix = rest.first() == Some(&b'0') && matches!(rest.get(1), Some(b'x' | b'X'));
    if hex_prefix && (is_hex_digit(rest.get(2)) || (rest.get(2) == Some(&b'.') && is_hex_digit(rest.get(3)))) {
        let (magnitude, len, erange) = hex_float(rest.get(2..).unwrap_or_default());
        return Some(Conv { value: sign(magnitude), end: i + 2 + len, erange });
    }

    // Decimal: digits [. digits] [e [sign] digits], at least one mantissa digit.
    let mut j = 0;
    let mut mantissa_digits = 0;
    let mut nonzero = false;
    while let Some(b) = rest.get(j).filter(|b| b.is_ascii_digit()) {
        nonzero |= *b != b'0';
        mantissa_digits += 1;
        j += 1;
    }
    if rest.get(j) == Some(&b'.') {
        j += 1;
        while let Some(b) = rest.get(j).filter(|b| b.is_ascii_digit()) {
            nonzero |= *b != b'0';
            mantissa_digits += 1;
            j += 1;
        }
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(rest.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(rest.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if rest.get(k).is_some_and(u8::is_ascii_digit) {
            while rest.get(k).is_some_and(u8::is_ascii_digit) {
                k += 1;
            }
            j = k;
        }
    }
    let text = std::str::from_utf8(rest.get(..j).unwrap_or_default()).ok()?;
    let magnitude: f64 = text.parse().ok()?;
    let erange = magnitude.is_infinite() || (nonzero && (magnitude == 0.0 || magnitude.is_subnormal()));
    Some(Conv { value: sign(magnitude), end: i + j, erange })
}

/// Hexadecimal float after the `0x` prefix: hex digits, optional `.` and hex digits, optional
/// `p[sign]digits`. Returns (magnitude, bytes consumed, erange).
fn hex_float(s: &[u8]) -> (f64, usize, bool) {
    const LIMIT: u64 = 1 << 59;
    let mut mantissa: u64 = 0;
    let mut exp2: i64 = 0;
    let mut sticky = false;
    let mut i = 0;
    let mut push = |d: u32, fraction: bool, mantissa: &mut u64, exp2: &mut i64| {
        if *mantissa < LIMIT {
            *mantissa = *mantissa * 16 + u64::from(d);
            if fraction {
                *exp2 -= 4;
            }
        } else {
            sticky |= d != 0;
            if !fraction {
                *exp2 += 4;
            }
        }
    };
    while let Some(d) = s.get(i).filter(|b| b.is_ascii_hexdigit()).and_then(|&b| digit_value(b)) {
        push(d, false, &mut mantissa, &mut exp2);
        i += 1;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d) = s.get(i).filter(|b| b.is_ascii_hexdigit()).and_then(|&b| digit_value(b)) {
            push(d, true, &mut mantissa, &mut exp2);
            i += 1;
        }
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut k = i + 1;
        let mut negative = false;
        match s.get(k) {
            Some(b'-') => {
                negative = true;
                k += 1;
            }
            Some(b'+') => k += 1,
            _ => {}
        }
        if s.get(k).is_some_and(u8::is_ascii_digit) {
            let mut e: i64 = 0;
            while let Some(b) = s.get(k).filter(|b| b.is_ascii_digit()) {
                e = (e * 10 + i64::from(b - b'0')).min(1 << 20);
                k += 1;
            }
            exp2 += if negative { -e } else { e };
            i = k;
        }
    }
    if sticky {
        mantissa |= 1;
    }
    let nonzero = mantissa != 0;
    let value = ldexp(mantissa as f64, exp2);
    let erange = value.is_infinite() || (nonzero && (value == 0.0 || value.is_subnormal()));
    (value, i, erange)
}

/// `x * 2^e` in steps that keep every factor a normal number.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    while e > 1000 {
        x *= pow2(1000);
        e -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1000 {
        x *= pow2(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * pow2(e)
}

/// A conversion that must consume the whole string, as linuxptp's `get_ranged_*` helpers check
/// (`*endptr != '\0' || endptr == str` is MALFORMED).
pub(crate) fn whole<T>(conv: Option<Conv<T>>, len: usize) -> Option<Conv<T>> {
    conv.filter(|c| c.end == len)
}

// ---------------------------------------------------------------------------------------------
// sscanf patterns

/// `%Ns` after whitespace skipping: up to `width` non-space bytes. Returns the token and the
/// rest, or `None` at end of input.
pub(crate) fn scan_token(s: &[u8], width: usize) -> Option<(&[u8], &[u8])> {
    let s = trim_start(s);
    let len = s.iter().take(width).take_while(|&&b| !is_space(b)).count();
    if len == 0 {
        return None;
    }
    Some((s.get(..len)?, s.get(len..)?))
}

/// `%d` of glibc's scanf: whitespace, optional sign, decimal digits; converted with `strtol`
/// (saturating at the 64-bit limits) and then truncated to `int`.
fn scan_int(s: &[u8]) -> Option<i32> {
    let s = trim_start(s);
    // scanf reads a sign only when a digit follows; strtol with base 10 does the rest.
    let conv = strtol(s, 10)?;
    Some(conv.value as i32)
}

/// `sscanf(line, " KEYWORD %d", &n) == 1`: the keyword must match exactly (case-sensitive),
/// the whitespace after it is optional, anything after the number is ignored.
pub(crate) fn scan_keyword_int(line: &[u8], keyword: &[u8]) -> Option<i32> {
    let rest = trim_start(line).strip_prefix(keyword)?;
    scan_int(rest)
}

/// `sscanf(line, " KEYWORD %Ns", buf) == 1`.
pub(crate) fn scan_keyword_token<'a>(line: &'a [u8], keyword: &[u8], width: usize) -> Option<&'a [u8]> {
    let rest = trim_start(line).strip_prefix(keyword)?;
    scan_token(rest, width).map(|(t, _)| t)
}

/// `sscanf(line, " %Ms %Ns", a, b) == 2`. A first word longer than `w1` continues into the
/// second conversion, as in C.
pub(crate) fn scan_two_tokens(line: &[u8], w1: usize, w2: usize) -> Option<(&[u8], &[u8])> {
    let (a, rest) = scan_token(line, w1)?;
    let (b, _) = scan_token(rest, w2)?;
    Some((a, b))
}

/// `%hhx`: whitespace, optional sign, optional `0x`, hex digits; value truncated to 8 bits.
fn scan_hhx(s: &[u8]) -> Option<(u8, &[u8])> {
    let s = trim_start(s);
    let conv = strtoul(s, 16)?;
    Some((conv.value as u8, s.get(conv.end..)?))
}

/// linuxptp's `str2mac`: `sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx")` must convert six fields.
/// Text after the sixth field is not looked at.
pub(crate) fn parse_mac(s: &[u8]) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut rest = s;
    for (n, byte) in mac.iter_mut().enumerate() {
        if n > 0 {
            rest = rest.strip_prefix(b":")?;
        }
        let (v, r) = scan_hhx(rest)?;
        *byte = v;
        rest = r;
    }
    Some(mac)
}

/// glibc `inet_aton`: one to four parts separated by dots, each decimal, octal (leading `0`) or
/// hex (`0x`); the last part fills the remaining bytes. Trailing whitespace (and anything after
/// it) is accepted.
pub(crate) fn inet_aton(s: &[u8]) -> Option<std::net::Ipv4Addr> {
    let mut parts: Vec<u32> = Vec::with_capacity(4);
    let mut i = 0;
    let value = loop {
        if !s.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut base = 10;
        let mut digit = false;
        if s.get(i) == Some(&b'0') {
            i += 1;
            if matches!(s.get(i), Some(b'x' | b'X')) {
                base = 16;
                i += 1;
            } else {
                base = 8;
                digit = true;
            }
        }
        let mut val: u64 = 0;
        while let Some(&c) = s.get(i) {
            if c.is_ascii_digit() {
                if base == 8 && (c == b'8' || c == b'9') {
                    return None;
                }
                val = val * base + u64::from(c - b'0');
            } else if base == 16 && c.is_ascii_hexdigit() {
                val = val * 16 + u64::from(digit_value(c)?);
            } else {
                break;
            }
            if val > u64::from(u32::MAX) {
                return None;
            }
            digit = true;
            i += 1;
        }
        if !digit {
            return None;
        }
        if s.get(i) == Some(&b'.') {
            if parts.len() >= 3 || val > 0xff {
                return None;
            }
            parts.push(val as u32);
            i += 1;
        } else {
            break val as u32;
        }
    };
    if let Some(&c) = s.get(i) {
        if !is_space(c) {
            return None;
        }
    }
    let max_last: u32 = match parts.len() {
        0 => u32::MAX,
        1 => 0x00ff_ffff,
        2 => 0xffff,
        _ => 0xff,
    };
    if value > max_last {
        return None;
    }
    let mut addr: u32 = value;
    for (n, p) in (0u32..).zip(parts.iter()) {
        addr |= p << (24 - 8 * n);
    }
    Some(std::net::Ipv4Addr::from(addr))
}

/// Formats a double like C's `printf("%e")`: six decimals, exponent with sign and at least two
/// digits (`1.000000e+00`).
pub(crate) fn format_c_e(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    let s = format!("{v:.6e}");
    match s.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtol_bases_and_junk() {
        let c = |s: &str| strtol(s.as_bytes(), 0).map(|c| (c.value, c.end, c.erange));
        assert_eq!(c("42"), Some((42, 2, false)));
        assert_eq!(c("-0x10"), Some((-16, 5, false)));
        assert_eq!(c("0X1f"), Some((31, 4, false)));
        assert_eq!(c("0660"), Some((432, 4, false)));
        assert_eq!(c("08"), Some((0, 1, false)));
        assert_eq!(c("0x"), Some((0, 1, false)));
        assert_eq!(c("0xg"), Some((0, 1, false)));
        assert_eq!(c(" +7"), Some((7, 3, false)));
        assert_eq!(c(""), None);
        assert_eq!(c("-"), None);
        assert_eq!(c("x1"), None);
        assert_eq!(c("9223372036854775807"), Some((i64::MAX, 19, false)));
        assert_eq!(c("9223372036854775808"), Some((i64::MAX, 19, true)));
        assert_eq!(c("-9223372036854775808"), Some((i64::MIN, 20, false)));
        assert_eq!(c("-9223372036854775809"), Some((i64::MIN, 20, true)));
        assert_eq!(c("99999999999999999999999"), Some((i64::MAX, 23, true)));
    }

    #[test]
    fn strtoul_wraps_negative() {
        let c = |s: &str| strtoul(s.as_bytes(), 0).map(|c| (c.value, c.erange));
        assert_eq!(c("-1"), Some((u64::MAX, false)));
        assert_eq!(c("-0"), Some((0, false)));
        assert_eq!(c("4294967295"), Some((4_294_967_295, false)));
        assert_eq!(c("18446744073709551616"), Some((u64::MAX, true)));
        assert_eq!(c("-18446744073709551616"), Some((u64::MAX, true)));
    }

    #[test]
    fn strtod_forms() {
        let c = |s: &str| strtod(s.as_bytes()).map(|c| (c.value, c.end, c.erange));
        assert_eq!(c("0.00002"), Some((0.00002, 7, false)));
        assert_eq!(c("1e3"), Some((1000.0, 3, false)));
        assert_eq!(c("1e"), Some((1.0, 1, false)));
        assert_eq!(c("1e+"), Some((1.0, 1, false)));
        assert_eq!(c(".5"), Some((0.5, 2, false)));
        assert_eq!(c("5."), Some((5.0, 2, false)));
        assert_eq!(c("."), None);
        assert_eq!(c("-inf"), Some((f64::NEG_INFINITY, 4, false)));
        assert_eq!(c("INFINITY"), Some((f64::INFINITY, 8, false)));
        assert_eq!(c("infin"), Some((f64::INFINITY, 3, false)));
        assert_eq!(c("0x1.8p1"), Some((3.0, 7, false)));
        assert_eq!(c("0x.8"), Some((0.5, 4, false)));
        assert_eq!(c("0x10"), Some((16.0, 4, false)));
        assert_eq!(c("0x"), Some((0.0, 1, false)));
        assert_eq!(c("0x1p"), Some((1.0, 3, false)));
        assert_eq!(c("1e400"), Some((f64::INFINITY, 5, true)));
        assert_eq!(c("1e-400"), Some((0.0, 6, true)));
        assert_eq!(c("0e-400"), Some((0.0, 6, false)));
        let nan = strtod(b"nan(abc)").map(|c| (c.value.is_nan(), c.end));
        assert_eq!(nan, Some((true, 8)));
        let nan = strtod(b"NaN(").map(|c| (c.value.is_nan(), c.end));
        assert_eq!(nan, Some((true, 3)));
    }

    #[test]
    fn scanf_patterns() {
        assert_eq!(scan_keyword_int(b"table_id 1", b"table_id"), Some(1));
        assert_eq!(scan_keyword_int(b"table_id5", b"table_id"), Some(5));
        assert_eq!(scan_keyword_int(b"table_id 3 junk", b"table_id"), Some(3));
        assert_eq!(scan_keyword_int(b"table_id 0x10", b"table_id"), Some(0));
        assert_eq!(scan_keyword_int(b"table_id 4294967297", b"table_id"), Some(1));
        assert_eq!(scan_keyword_int(b"table_id", b"table_id"), None);
        assert_eq!(scan_keyword_int(b"table_id -", b"table_id"), None);
        assert_eq!(scan_keyword_int(b"TABLE_ID 1", b"table_id"), None);
        assert_eq!(
            scan_two_tokens(b"ABCDEFGHIJKLMNOPQRST 1.2.3.4", 16, 64),
            Some((&b"ABCDEFGHIJKLMNOP"[..], &b"QRST"[..]))
        );
        assert_eq!(scan_two_tokens(b"UDPv4", 16, 64), None);
    }

    #[test]
    fn addresses() {
        let a = |s: &str| inet_aton(s.as_bytes()).map(|a| a.to_string());
        assert_eq!(a("192.168.1.11").as_deref(), Some("192.168.1.11"));
        assert_eq!(a("10.1").as_deref(), Some("10.0.0.1"));
        assert_eq!(a("0x7f.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(a("010.0.0.1").as_deref(), Some("8.0.0.1"));
        assert_eq!(a("3232235777").as_deref(), Some("192.168.1.1"));
        assert_eq!(a("1.2.3.4.5"), None);
        assert_eq!(a("1.2.3.256"), None);
        assert_eq!(a("09.1.1.1"), None);
        assert_eq!(a("1.2.3.4x"), None);
        assert_eq!(a(""), None);
        assert_eq!(parse_mac(b"00:11:22:33:44:55"), Some([0, 0x11, 0x22, 0x33, 0x44, 0x55]));
        assert_eq!(parse_mac(b"0:1:2:3:4:ff"), Some([0, 1, 2, 3, 4, 0xff]));
        assert_eq!(parse_mac(b"00:11:22:33:44"), None);
        assert_eq!(parse_mac(b"00-11-22-33-44-55"), None);
    }

    #[test]
    fn c_e_format() {
        assert_eq!(format_c_e(0.0), "0.000000e+00");
        assert_eq!(format_c_e(f64::MAX), "1.797693e+308");
        assert_eq!(format_c_e(1e-9), "1.000000e-09");
    }
}
