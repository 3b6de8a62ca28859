//! Shared helpers for the golden tests: where ../shared is and how to read its tables.

#![allow(dead_code)]

pub mod lab;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The project's `shared/` folder (beside the checkout), or `$PTP_RS_SHARED`.
pub fn shared_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("PTP_RS_SHARED") {
        return PathBuf::from(d);
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidate = here.join("../../../shared");
    assert!(candidate.join("pcaps").is_dir(), "shared/pcaps not found at {} (set PTP_RS_SHARED)", candidate.display());
    candidate
}

pub fn pcaps_dir() -> PathBuf {
    shared_dir().join("pcaps")
}

/// Rows of a TSV file with a header line, as vectors of columns.
pub fn tsv_rows(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(pcaps_dir().join(name)).unwrap();
    text.lines().skip(1).filter(|l| !l.is_empty()).map(|l| l.split('\t').map(str::to_owned).collect()).collect()
}

/// counts.tsv as file -> (messageType name -> count).
pub fn expected_counts() -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut m: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for r in tsv_rows("counts.tsv") {
        m.entry(r[0].clone()).or_default().insert(r[1].clone(), r[2].parse().unwrap());
    }
    m
}

/// Every capture file in shared/pcaps, sorted.
pub fn capture_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(pcaps_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("pcap" | "pcapng")))
        .collect();
    v.sort();
    v
}
