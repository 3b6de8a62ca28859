//! Interop tests: ptp-rs's ptp4l against Debian's linuxptp (3.1.1) and against itself, over a
//! veth pair between two network namespaces that each test creates (unique names with the pid)
//! and always removes. Software time stamping, every slave `free_running 1`: no clock of this
//! machine is ever adjusted. The daemons' stdout (`-m`) goes to files in a temp dir; every
//! process is ended by its PID. They need root (namespaces) and /usr/sbin/ptp4l, and skip with
//! a message otherwise.

mod common;

use std::time::Duration;

use common::lab::*;

/// Our daemon exits (status 0) within a second of SIGTERM.
fn check_terminates(lab: &mut Lab, name: &str) {
    let st = lab.terminate(name, Duration::from_secs(1));
    assert!(st.is_some_and(|s| s.success()), "{}: {name} did not exit cleanly within 1 s of SIGTERM: {st:?}", lab.test);
}

fn linuxptp_master_ours_slave(test: &str, tag: &str, transport: &[&str]) {
    let Some(mut lab) = Lab::new(test, tag, true) else { return };
    let mut master = vec!["--priority1=100"];
    master.extend_from_slice(transport);
    lab.start_linuxptp("master", 0, "", &master);
    let mut slave = vec!["-s"];
    slave.extend_from_slice(transport);
    lab.start_ours("slave", 1, "", &slave);
    check_slave(&mut lab, "slave");
    check_terminates(&mut lab, "slave");
}

fn ours_master_linuxptp_slave(test: &str, tag: &str, transport: &[&str]) {
    let Some(mut lab) = Lab::new(test, tag, true) else { return };
    let mut master = vec!["--priority1=100"];
    master.extend_from_slice(transport);
    lab.start_ours("master", 0, "", &master);
    let mut slave = vec!["-s"];
    slave.extend_from_slice(transport);
    lab.start_linuxptp("slave", 1, "", &slave);
    check_slave(&mut lab, "slave");
    check_terminates(&mut lab, "master");
}

#[test]
fn linuxptp_master_ptp_rs_slave_udpv4_e2e() {
    linuxptp_master_ours_slave("linuxptp_master_ptp_rs_slave_udpv4_e2e", "a", &["-4", "-E"]);
}

#[test]
fn ptp_rs_master_linuxptp_slave_udpv4_e2e() {
    ours_master_linuxptp_slave("ptp_rs_master_linuxptp_slave_udpv4_e2e", "b", &["-4", "-E"]);
}

#[test]
fn linuxptp_master_ptp_rs_slave_l2_e2e() {
    linuxptp_master_ours_slave("linuxptp_master_ptp_rs_slave_l2_e2e", "c", &["-2", "-E"]);
}

#[test]
fn ptp_rs_master_linuxptp_slave_l2_e2e() {
    ours_master_linuxptp_slave("ptp_rs_master_linuxptp_slave_l2_e2e", "d", &["-2", "-E"]);
}

#[test]
fn linuxptp_master_ptp_rs_slave_udpv6_e2e() {
    linuxptp_master_ours_slave("linuxptp_master_ptp_rs_slave_udpv6_e2e", "e", &["-6", "-E"]);
}

#[test]
fn ptp_rs_master_linuxptp_slave_udpv6_e2e() {
    ours_master_linuxptp_slave("ptp_rs_master_linuxptp_slave_udpv6_e2e", "f", &["-6", "-E"]);
}

#[test]
fn linuxptp_master_ptp_rs_slave_udpv4_p2p() {
    linuxptp_master_ours_slave("linuxptp_master_ptp_rs_slave_udpv4_p2p", "g", &["-4", "-P"]);
}

#[test]
fn ptp_rs_master_linuxptp_slave_l2_p2p() {
    ours_master_linuxptp_slave("ptp_rs_master_linuxptp_slave_l2_p2p", "h", &["-2", "-P"]);
}

#[test]
fn ptp_rs_pair_udpv4_e2e() {
    let test = "ptp_rs_pair_udpv4_e2e";
    let Some(mut lab) = Lab::new(test, "i", false) else { return };
    lab.start_ours("master", 0, "", &["--priority1=100"]);
    lab.start_ours("slave", 1, "", &["-s"]);
    check_slave(&mut lab, "slave");
    check_terminates(&mut lab, "slave");
    check_terminates(&mut lab, "master");
}

#[test]
fn ptp_rs_pair_l2_p2p() {
    let test = "ptp_rs_pair_l2_p2p";
    let Some(mut lab) = Lab::new(test, "j", false) else { return };
    lab.start_ours("master", 0, "", &["--priority1=100", "-2", "-P"]);
    lab.start_ours("slave", 1, "", &["-s", "-2", "-P"]);
    check_slave(&mut lab, "slave");
}

/// `boundary_clock_jbod 1` with software time stamping: every port time stamps with the
/// system clock, so there is no PHC to switch to and the slave runs as without jbod. (Debian's
/// linuxptp 3.1.1, and linuxptp master, try to open `/dev/ptp-1` on UNCALIBRATED and fault the
/// port, FT_SWITCH_PHC, again after every fault reset; ptp-rs deliberately does not.)
#[test]
fn jbod_with_software_time_stamping_is_accepted_and_switches_nothing() {
    let test = "jbod_with_software_time_stamping_is_accepted_and_switches_nothing";
    let Some(mut lab) = Lab::new(test, "jb", true) else { return };
    lab.start_linuxptp("master", 0, "", &["--priority1=100", "-2"]);
    lab.start_ours("slave", 1, "boundary_clock_jbod 1\n", &["-s", "-2", "-l", "7"]);
    check_slave(&mut lab, "slave");
    let log = lab.log("slave");
    // The engine asked for the switch (a debug line: free_running steers nothing).
    assert!(log.contains("SwitchPhc { port: 1 }"), "{test}: no switch request:\n{log}");
    assert!(
        !log.contains("FAULTY") && !log.contains("Switched to") && !log.contains("Switching PHC"),
        "{test}: the slave faulted or switched:\n{log}"
    );
    check_terminates(&mut lab, "slave");
}

/// L2 over a VLAN interface (`eth0.100`-style, 802.1Q tagged on the veth), both ways. Skips
/// where the kernel has no 802.1Q support.
fn l2_over_vlan(test: &str, tag: &str, master_ours: bool) {
    let Some(mut lab) = Lab::new(test, tag, true) else { return };
    if let Err(e) = lab.use_vlan(100) {
        eprintln!("skipping interop test {test}: no 802.1Q VLAN interfaces in this kernel ({e})");
        return;
    }
    if master_ours {
        lab.start_ours("master", 0, "", &["--priority1=100", "-2"]);
        lab.start_linuxptp("slave", 1, "", &["-s", "-2"]);
    } else {
        lab.start_linuxptp("master", 0, "", &["--priority1=100", "-2"]);
        lab.start_ours("slave", 1, "", &["-s", "-2"]);
    }
    check_slave(&mut lab, "slave");
}

#[test]
fn linuxptp_master_ptp_rs_slave_l2_over_vlan() {
    l2_over_vlan("linuxptp_master_ptp_rs_slave_l2_over_vlan", "va", false);
}

#[test]
fn ptp_rs_master_linuxptp_slave_l2_over_vlan() {
    l2_over_vlan("ptp_rs_master_linuxptp_slave_l2_over_vlan", "vb", true);
}
