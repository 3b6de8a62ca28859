//! Interop: linuxptp's `pmc -u` against ptp-rs's UDS management socket (issue 6, point 3). The lab
//! harness is tests/common/lab.rs (root only; skips otherwise).

mod common;

use std::path::Path;
use std::process::Command;

use common::lab::*;

const PMC: &str = "/usr/sbin/pmc";

/// The value after `key` in pmc's output.
fn field<'a>(out: &'a str, key: &str) -> Option<&'a str> {
    out.lines().find_map(|l| {
        let mut t = l.split_whitespace();
        (t.next() == Some(key)).then(|| t.next()).flatten()
    })
}

#[test]
fn pmc_reads_current_port_and_time_status() {
    let test = "pmc_reads_current_port_and_time_status";
    if !Path::new(PMC).exists() {
        eprintln!("skipping {test}: {PMC} not installed");
        return;
    }
    let Some(mut lab) = Lab::new(test, "pmc", true) else { return };
    lab.start_linuxptp("master", 0, "", &["--priority1=100"]);
    lab.start_ours("slave", 1, "", &["-s"]);
    check_slave(&mut lab, "slave");
    let uds = lab.dir.join("slave.sock");
    let client = lab.dir.join("pmc.sock");
    let out = Command::new("ip")
        .args(["netns", "exec", &lab.ns[1], PMC, "-u", "-b", "0", "-s"])
        .arg(&uds)
        .arg("-i")
        .arg(&client)
        .args(["GET CURRENT_DATA_SET", "GET PORT_DATA_SET", "GET TIME_STATUS_NP"])
        .output()
        .expect("run pmc");
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("pmc output:\n{out}");
    assert_eq!(field(&out, "stepsRemoved"), Some("1"), "{out}");
    let off: f64 = field(&out, "offsetFromMaster").and_then(|v| v.parse().ok()).expect("offsetFromMaster");
    assert!(off.abs() <= 100_000.0, "{out}");
    let delay: f64 = field(&out, "meanPathDelay").and_then(|v| v.parse().ok()).expect("meanPathDelay");
    assert!((0.0..=1_000_000.0).contains(&delay), "{out}");
    assert_eq!(field(&out, "portState"), Some("UNCALIBRATED"), "{out}");
    assert_eq!(field(&out, "gmPresent"), Some("true"), "{out}");
    let master_log = lab.log("master");
    let gm = field(&out, "gmIdentity").expect("gmIdentity");
    assert!(master_log.contains(gm), "gmIdentity {gm} not in master's log:\n{master_log}");
    let mo: i64 = field(&out, "master_offset").and_then(|v| v.parse().ok()).expect("master_offset");
    assert!(mo.abs() <= 100_000, "{out}");
}
