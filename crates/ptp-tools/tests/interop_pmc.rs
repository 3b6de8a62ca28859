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

/// The clockIdentity values of every DEFAULT_DATA_SET response in pmc's output.
fn identities(out: &str) -> Vec<String> {
    let mut ids: Vec<String> = out
        .lines()
        .filter_map(|l| {
            let mut t = l.split_whitespace();
            (t.next() == Some("clockIdentity")).then(|| t.next().map(str::to_owned)).flatten()
        })
        .collect();
    ids.sort();
    ids
}

/// linuxptp's `pmc -4` (management over UDP/IPv4 multicast, from the other namespace) reads
/// our datasets: management on the network ports.
#[test]
fn pmc_over_udp_reads_our_datasets() {
    let test = "pmc_over_udp_reads_our_datasets";
    if !Path::new(PMC).exists() {
        eprintln!("skipping {test}: {PMC} not installed");
        return;
    }
    let Some(mut lab) = Lab::new(test, "pmu", true) else { return };
    lab.start_ours("gm", 0, "priority1 90\n", &[]);
    assert!(
        lab.wait_for_log("gm", "assuming the grand master role", std::time::Duration::from_secs(20)),
        "{}",
        lab.all_logs()
    );
    let out = Command::new("ip")
        .args(["netns", "exec", &lab.ns[1], PMC, "-4", "-i", &lab.ifs[1], "-b", "0"])
        .args(["GET DEFAULT_DATA_SET", "GET PORT_DATA_SET", "SET PRIORITY1 5"])
        .output()
        .expect("run pmc");
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("pmc output:\n{out}");
    assert_eq!(field(&out, "priority1"), Some("90"), "{out}");
    assert_eq!(identities(&out).len(), 1, "{out}");
    assert!(lab.log("gm").contains(&identities(&out)[0]), "{out}\n{}", lab.all_logs());
    assert_eq!(field(&out, "portState"), Some("MASTER"), "{out}");
    // SET is for the UDS only: NOT_SUPPORTED over the network, and nothing changes.
    assert!(out.contains("RESPONSE MANAGEMENT_ERROR_STATUS"), "{out}");
    let again = Command::new("ip")
        .args(["netns", "exec", &lab.ns[1], PMC, "-4", "-i", &lab.ifs[1], "-b", "0"])
        .arg("GET PRIORITY1")
        .output()
        .expect("run pmc");
    let again = String::from_utf8_lossy(&again.stdout).into_owned();
    assert_eq!(field(&again, "priority1"), Some("90"), "{again}");
}

/// `pmc -u -b 1` on our UDS: the request goes out of our port to the neighbour (linuxptp's
/// ptp4l), whose answer comes back through our port to pmc, next to our own.
#[test]
fn pmc_with_boundary_hops_reaches_the_neighbour_through_us() {
    let test = "pmc_with_boundary_hops_reaches_the_neighbour_through_us";
    if !Path::new(PMC).exists() {
        eprintln!("skipping {test}: {PMC} not installed");
        return;
    }
    let Some(mut lab) = Lab::new(test, "pmh", true) else { return };
    lab.start_ours("gm", 0, "priority1 90\n", &[]);
    lab.start_linuxptp("neighbour", 1, "", &["-s"]);
    assert!(
        lab.wait_for_log("neighbour", "to UNCALIBRATED on RS_SLAVE", std::time::Duration::from_secs(20)),
        "{}",
        lab.all_logs()
    );
    let uds = lab.dir.join("gm.sock");
    let client = lab.dir.join("pmc.sock");
    let query = |hops: &str| {
        let out = Command::new("ip")
            .args(["netns", "exec", &lab.ns[0], PMC, "-u", "-b", hops, "-s"])
            .arg(&uds)
            .arg("-i")
            .arg(&client)
            .arg("GET DEFAULT_DATA_SET")
            .output()
            .expect("run pmc");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let local = query("0");
    assert_eq!(identities(&local).len(), 1, "{local}");
    let both = query("1");
    eprintln!("pmc -b 1 output:\n{both}");
    let ids = identities(&both);
    assert_eq!(ids.len(), 2, "ours and the neighbour's: {both}\n{}", lab.all_logs());
    assert!(ids.contains(&identities(&local)[0]), "{both}");
    let neighbour = ids.iter().find(|id| **id != identities(&local)[0]).expect("the neighbour's identity");
    assert!(lab.log("neighbour").contains(neighbour.as_str()) || lab.log("gm").contains(neighbour.as_str()), "{both}");
}
