//! Seed corpora for the fuzz targets in `fuzz/`, made from the real captures.
//!
//! ```text
//! cargo run -p ptp-tools --example fuzz_seeds [PCAP_DIR [CORPUS_DIR]]
//! ```
//!
//! PCAP_DIR defaults to `../shared/pcaps` and CORPUS_DIR to `fuzz/corpus`, both relative to the
//! current directory (run it from the checkout's root). For every PTP message of every
//! capture it writes:
//! - the message, cut at messageLength, to `message/` and `view/`;
//! - each TLV as tlvType followed by the value to `tlv/`;
//! - each MANAGEMENT TLV's value (managementId and dataField) to `management/`.
//!
//! Files are named by a hash of their content, so identical seeds are written once and
//! running the tool again adds nothing new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ptp_tools::capture::{ptp_payload, read_capture};
use ptp_wire::{MessageView, TlvType};

/// FNV-1a, 64 bits: a stable name for a seed.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}

struct Corpus {
    root: PathBuf,
    written: BTreeMap<&'static str, usize>,
}

impl Corpus {
    fn add(&mut self, target: &'static str, seed: &[u8]) -> Result<(), String> {
        let dir = self.root.join(target);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{:016x}", fnv1a(seed)));
        if !path.exists() {
            std::fs::write(&path, seed).map_err(|e| format!("{}: {e}", path.display()))?;
            *self.written.entry(target).or_default() += 1;
        }
        Ok(())
    }
}

fn seed_capture(path: &Path, corpus: &mut Corpus) -> Result<usize, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let records = read_capture(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut messages = 0;
    for rec in &records {
        let Ok(payload) = ptp_payload(rec.link_type, &rec.data) else {
            continue;
        };
        // Seeds that the parser rejects are useful too, but a capture of real traffic should
        // have none; keep the raw payload in that case.
        let message = MessageView::new(payload.bytes).map(|v| v.as_bytes()).unwrap_or(payload.bytes);
        corpus.add("message", message)?;
        corpus.add("view", message)?;
        messages += 1;
        let Ok(view) = MessageView::new(message) else {
            continue;
        };
        for raw in view.tlvs().flatten() {
            let mut tlv = raw.tlv_type.0.to_be_bytes().to_vec();
            tlv.extend_from_slice(raw.value);
            corpus.add("tlv", &tlv)?;
            if raw.tlv_type == TlvType::MANAGEMENT {
                corpus.add("management", raw.value)?;
            }
        }
    }
    Ok(messages)
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let pcaps = args.next().map_or_else(|| PathBuf::from("../shared/pcaps"), PathBuf::from);
    let root = args.next().map_or_else(|| PathBuf::from("fuzz/corpus"), PathBuf::from);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&pcaps) {
        Ok(dir) => dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
            .collect(),
        Err(e) => {
            eprintln!("fuzz_seeds: {}: {e}", pcaps.display());
            return ExitCode::FAILURE;
        }
    };
    files.sort();
    if files.is_empty() {
        eprintln!("fuzz_seeds: no captures in {}", pcaps.display());
        return ExitCode::FAILURE;
    }
    let mut corpus = Corpus { root, written: BTreeMap::new() };
    let mut total = 0;
    for f in &files {
        match seed_capture(f, &mut corpus) {
            Ok(n) => total += n,
            Err(e) => {
                eprintln!("fuzz_seeds: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{} captures, {total} PTP messages -> {}", files.len(), corpus.root.display());
    for (target, n) in &corpus.written {
        println!("  {target}: {n} new seeds");
    }
    ExitCode::SUCCESS
}
