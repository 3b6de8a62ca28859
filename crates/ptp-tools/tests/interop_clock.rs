//! The clock-steering path of ptp4l over real kernel networking, without ever changing this
//! machine's clock: the slaves (ours and linuxptp's) run with `free_running 0` but without
//! CAP_SYS_TIME (`setpriv --bounding-set=-sys_time`, checked before each test), so every
//! `clock_adjtime` write they make is refused with EPERM and logged, while their servo still
//! runs: the same log lines from both, and both lock (s2, SLAVE). Also: hardware time stamping
//! on a veth, which has none, fails the way linuxptp's does. Root only.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::lab::{message_texts, Lab, FAST, LINUXPTP, OURS};

/// CAP_SYS_TIME's bit in the capability sets of /proc/<pid>/status.
const CAP_SYS_TIME: u64 = 1 << 25;

const DROP_SYS_TIME: &[&str] = &["setpriv", "--bounding-set=-sys_time"];

/// Whether `setpriv --bounding-set=-sys_time` really leaves a process without CAP_SYS_TIME
/// (effective and permitted sets); a test that cannot be sure of this must not run.
fn sys_time_dropped() -> Result<(), String> {
    let out = Command::new(DROP_SYS_TIME[0])
        .args(&DROP_SYS_TIME[1..])
        .args(["cat", "/proc/self/status"])
        .output()
        .map_err(|e| format!("setpriv: {e}"))?;
    if !out.status.success() {
        return Err(format!("setpriv failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let status = String::from_utf8_lossy(&out.stdout);
    for set in ["CapEff:", "CapPrm:", "CapBnd:"] {
        let hex =
            status.lines().find_map(|l| l.strip_prefix(set)).ok_or_else(|| format!("no {set} in /proc/self/status"))?;
        let caps = u64::from_str_radix(hex.trim(), 16).map_err(|e| format!("{set} {hex}: {e}"))?;
        if caps & CAP_SYS_TIME != 0 {
            return Err(format!("{set} {hex} still has CAP_SYS_TIME"));
        }
    }
    Ok(())
}

/// A disciplined (free_running 0) slave's configuration: FAST's rates, PI constants that let
/// the servo estimate the frequency after ~2 s instead of linuxptp's ~37 s for software
/// time stamping at 8 Hz, and its own UDS paths.
fn disciplined_cfg(lab: &Lab, name: &str) -> String {
    let fast = FAST.replace("free_running 1\n", "free_running 0\n");
    let uds = lab.dir.join(format!("{name}.sock"));
    let ro = lab.dir.join(format!("{name}.rosock"));
    let ro_line =
        if name.starts_with("linuxptp") { String::new() } else { format!("uds_ro_address {}\n", ro.display()) };
    format!("{fast}pi_proportional_const 0.1\npi_integral_const 0.01\nuds_address {}\n{ro_line}", uds.display())
}

fn servo_states(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| {
            let rest = &l[l.find("master offset")? + "master offset".len()..];
            rest.split_whitespace().nth(1).map(str::to_owned)
        })
        .collect()
}

/// `slave_program` disciplines (tries to) CLOCK_REALTIME against a free-running master.
fn disciplined_slave(test: &str, tag: &str, master_ours: bool, slave_program: &str) {
    let Some(mut lab) = Lab::new(test, tag, true) else { return };
    if let Err(e) = sys_time_dropped() {
        eprintln!("skipping {test}: cannot run a slave without CAP_SYS_TIME: {e}");
        return;
    }
    if master_ours {
        lab.start_ours("master", 0, "priority1 100\n", &[]);
    } else {
        lab.start_linuxptp("master", 0, "priority1 100\n", &[]);
    }
    let name = if slave_program == OURS { "ours-slave" } else { "linuxptp-slave" };
    let cfg = disciplined_cfg(&lab, name);
    lab.start_with(name, 1, DROP_SYS_TIME, slave_program, &cfg, &["-S", "-s"]);
    let locked = lab.wait_for_log(name, "to SLAVE on MASTER_CLOCK_SELECTED", Duration::from_secs(40));
    let log = lab.log(name);
    assert!(locked, "{test}: the slave never locked:\n{}", lab.all_logs());
    // Every write to the clock was refused, and said so in linuxptp's words.
    assert!(log.contains("failed to adjust the clock: Operation not permitted"), "{test}:\n{log}");
    assert!(!log.contains("failed to step clock"), "{test}: offsets are far below first_step_threshold:\n{log}");
    // The servo went through s0 to s2 (s1 only when it steps, which it must not here).
    let states = servo_states(&log);
    assert_eq!(states.first().map(String::as_str), Some("s0"), "{test}: {states:?}");
    assert!(states.iter().any(|s| s == "s2"), "{test}: never s2: {states:?}");
    let order = ["s0", "s2"];
    let mut seen = 0;
    for s in &states {
        let i = order.iter().position(|o| o == s).unwrap_or_else(|| panic!("{test}: unexpected state {s}: {log}"));
        assert!(i >= seen, "{test}: back from {} to {s}: {states:?}", order[seen]);
        seen = i;
    }
    // Offsets stay small: the slave and the master share CLOCK_REALTIME.
    let offsets: Vec<i64> = common::lab::samples(&log).iter().skip(2).map(|s| s.offset.abs()).collect();
    assert!(offsets.len() >= 5, "{test}: too few samples:\n{log}");
    assert!(offsets.iter().all(|o| *o < common::lab::MAX_OFFSET_NS), "{test}: {offsets:?}");
}

#[test]
fn ours_disciplines_the_system_clock_against_linuxptp() {
    disciplined_slave("ours_disciplines_the_system_clock_against_linuxptp", "dso", false, OURS);
}

#[test]
fn linuxptp_disciplines_the_system_clock_against_ours() {
    disciplined_slave("linuxptp_disciplines_the_system_clock_against_ours", "dsl", true, LINUXPTP);
}

/// The start-up of a disciplined software-timestamping clock writes the same things as
/// linuxptp's: the kernel leap status cleared and the frequency written back, refused here.
#[test]
fn startup_clock_writes_match_linuxptp() {
    let test = "startup_clock_writes_match_linuxptp";
    let Some(mut lab) = Lab::new(test, "dsw", true) else { return };
    if let Err(e) = sys_time_dropped() {
        eprintln!("skipping {test}: {e}");
        return;
    }
    for (name, side, program) in [("ours", 0, OURS), ("linuxptp", 1, LINUXPTP)] {
        let cfg = disciplined_cfg(&lab, name);
        lab.start_with(name, side, DROP_SYS_TIME, program, &cfg, &["-S"]);
    }
    for name in ["ours", "linuxptp"] {
        assert!(lab.wait_for_log(name, "INITIALIZING to LISTENING", Duration::from_secs(10)), "{}", lab.all_logs());
    }
    let errors = |name: &str| -> Vec<String> {
        let log = lab.log(name);
        let first_port = log.find("INITIALIZING to LISTENING").unwrap_or(log.len());
        log[..first_port]
            .lines()
            .filter_map(|l| l.split_once("]: ").map(|(_, t)| t.to_owned()))
            .filter(|t| t.starts_with("failed"))
            .collect()
    };
    let theirs = errors("linuxptp");
    assert_eq!(
        theirs,
        [
            "failed to set the clock status: Operation not permitted",
            "failed to adjust the clock: Operation not permitted"
        ],
        "linuxptp 3.1.1's start-up changed?"
    );
    assert_eq!(errors("ours"), theirs, "{}", lab.all_logs());
}

/// `ptp4l -i <veth>` asks for hardware time stamping by default: both refuse to start with
/// the same log line, stderr text and exit code; as with `-L`, `onestep` and `p2p1step`.
#[test]
fn hardware_timestamping_on_a_veth_fails_like_linuxptp() {
    let test = "hardware_timestamping_on_a_veth_fails_like_linuxptp";
    let Some(lab) = Lab::new(test, "hwv", true) else { return };
    let run = |program: &str, extra: &[&str]| {
        let uds = lab.dir.join(format!("{}.sock", Path::new(program).file_name().unwrap().to_string_lossy()));
        let out = Command::new("ip")
            .args(["netns", "exec", &lab.ns[0], program, "-i", &lab.ifs[0], "-m", "-q"])
            .arg(format!("--uds_address={}", uds.display()))
            .args(extra)
            .output()
            .expect("run ptp4l");
        (out.status.code(), message_texts(&out.stdout), message_texts(&out.stderr))
    };
    let ro = lab.dir.join("ours.rosock");
    let ours = run(OURS, &[&format!("--uds_ro_address={}", ro.display())]);
    let theirs = run(LINUXPTP, &[]);
    assert_eq!(theirs.0, Some(255));
    // print.c: levels above NOTICE go to stderr.
    let line = format!("interface '{}' does not support requested timestamping mode", lab.ifs[0]);
    assert!(theirs.1.is_empty(), "{theirs:?}");
    assert_eq!(theirs.2, vec![line, "failed to create a clock".to_owned()]);
    assert_eq!(ours, theirs, "ours (left) and linuxptp (right) differ");
    // Legacy hardware time stamping needs capabilities a veth lacks too.
    let legacy = run(OURS, &[&format!("--uds_ro_address={}", ro.display()), "-L"]);
    assert_eq!(legacy, theirs);
    // So do the one-step modes, whose twoStepFlag ptp4l clears first (a debug line, not shown).
    for mode in ["onestep", "p2p1step"] {
        let mode = format!("--time_stamping={mode}");
        let theirs_mode = run(LINUXPTP, &[&mode]);
        assert_eq!(theirs_mode, theirs, "linuxptp with {mode}");
        let ours_mode = run(OURS, &[&format!("--uds_ro_address={}", ro.display()), &mode]);
        assert_eq!(ours_mode, theirs_mode, "{mode}: ours (left) and linuxptp (right) differ");
    }
}

/// `twoStepFlag 0` needs hardware time stamping (linuxptp's config_harmonize_onestep): with
/// `-S` both refuse to start with the same first line and exit code. (3.1.1 then adds its
/// `failed to create a clock`, which master, whose check runs before the clock, does not.)
#[test]
fn one_step_with_software_time_stamping_is_refused_like_linuxptp() {
    let test = "one_step_with_software_time_stamping_is_refused_like_linuxptp";
    let Some(lab) = Lab::new(test, "osw", true) else { return };
    let run = |program: &str, name: &str| {
        let uds = lab.dir.join(name);
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &lab.ns[0], program, "-i", &lab.ifs[0], "-S", "-m", "-q", "--twoStepFlag=0"])
            .arg(format!("--uds_address={}", uds.display()));
        // 3.1.1 has no uds_ro_address key.
        if program == OURS {
            cmd.arg(format!("--uds_ro_address={}.ro", uds.display()));
        }
        let out = cmd.output().expect("run ptp4l");
        (out.status.code(), message_texts(&out.stderr))
    };
    let theirs = run(LINUXPTP, "theirs");
    let ours = run(OURS, "ours");
    assert_eq!(theirs.0, Some(255));
    assert_eq!(theirs.1.first().map(String::as_str), Some("one step is only possible with hardware time stamping"));
    assert_eq!(ours.0, theirs.0);
    assert_eq!(ours.1, theirs.1[..1], "{ours:?} vs {theirs:?}");
}
