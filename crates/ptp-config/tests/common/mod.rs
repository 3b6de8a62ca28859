//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared reference directory: `$PTP_RS_SHARED`, else `CARGO_MANIFEST_DIR/../../../shared`.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("PTP_RS_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

pub fn read_shared(rel: &str) -> String {
    let path = shared_dir().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every `*.cfg` in `shared/configs`, sorted by name.
pub fn profiles() -> Vec<(String, String)> {
    let dir = shared_dir().join("configs");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "cfg"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// An integer as a C `strtol(s, &end, 0)` reads a well-formed config value: written separately
/// from the crate's parser so the tests do not check the parser against itself.
pub fn c_int(s: &str) -> i64 {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).unwrap()
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).unwrap()
    } else {
        body.parse::<i64>().unwrap()
    };
    if neg {
        -v
    } else {
        v
    }
}
