//! The `ptp-sim` binary as a new user runs it: with no argument it runs the built-in default
//! scenario, prints the summary and writes `ptp-sim.svg`; with a scenario file and options it
//! writes the CSV and the logs; a bad file ends with a message naming the problem and exit
//! status 1, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ptp_sim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ptp-sim")).current_dir(dir).args(args).output().expect("run ptp-sim")
}

/// A fresh empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ptp-sim-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn scenario(file: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "scenarios", file].iter().collect();
    p.display().to_string()
}

#[test]
fn no_argument_runs_the_default_scenario_and_writes_the_plot() {
    let dir = scratch("default");
    let o = ptp_sim(&dir, &[]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}{}", text(&o.stderr));
    assert!(out.starts_with("ptp-sim: scenario default ("), "{out}");
    assert!(out.contains("x real time)"), "{out}");
    for row in ["gm      grandmaster", "bc      boundary clock", "slave1  slave", "slave2  slave"] {
        assert!(out.contains(row), "{row}:\n{out}");
    }
    assert!(out.contains("plot written to ") && out.trim_end().ends_with("ptp-sim.svg"), "{out}");
    let svg = std::fs::read_to_string(dir.join("ptp-sim.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for label in ["time (s)", "|offset|", "slave1", "slave2", "bc", "1 us", "100 ms"] {
        assert!(svg.contains(&format!("\n{label}\n</text>")), "no text {label} in the plot");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn scenario_seed_duration_csv_and_logs() {
    let dir = scratch("options");
    let o = ptp_sim(
        &dir,
        &[
            &scenario("01-e2e.toml"),
            "--seed",
            "9",
            "--duration",
            "30",
            "--csv",
            "o.csv",
            "--logs",
            "logs",
            "--log",
            "slave1",
        ],
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}{}", text(&o.stderr));
    assert!(
        out.starts_with("--- slave1 ---\nptp4l[0.000]: port 1 (eth0): INITIALIZING to LISTENING on INIT_COMPLETE\n")
    );
    assert!(out.contains("ptp-sim: scenario 01-e2e (one master, two slaves, E2E), seed 9: 30 s simulated"), "{out}");
    assert!(!out.contains("plot written"), "no plot unless asked for");
    let csv = std::fs::read_to_string(dir.join("o.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("time_s,reference,gm_offset_ns,gm_freq_error_ppb,slave1_offset_ns,slave1_freq_error_ppb,slave2_offset_ns,slave2_freq_error_ppb")
    );
    assert_eq!(lines.count(), 31);
    for node in ["gm", "slave1", "slave2"] {
        let log = std::fs::read_to_string(dir.join("logs").join(format!("{node}.log"))).unwrap();
        assert!(log.lines().all(|l| l.starts_with("ptp4l[")), "{log}");
    }
    // The same seed gives the same CSV.
    let again = ptp_sim(&dir, &[&scenario("01-e2e.toml"), "--seed", "9", "--duration", "30", "--csv", "p.csv"]);
    assert!(again.status.success());
    assert_eq!(std::fs::read_to_string(dir.join("p.csv")).unwrap(), csv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_is_a_message_and_exit_1() {
    let dir = scratch("bad");
    let o = ptp_sim(&dir, &["missing.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stderr), "ptp-sim: missing.toml: No such file or directory\n");

    std::fs::write(dir.join("bad.toml"), "[[subnets]]\nname = \"lan\"\n[[nodes]]\nname = \"a\"\nports = [\"wan\"]\n")
        .unwrap();
    let o = ptp_sim(&dir, &["bad.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stderr), "ptp-sim: bad.toml: nodes[0].ports[0].subnet: no subnet called \"wan\"\n");

    std::fs::write(dir.join("bad2.toml"), "duration_s = 10\nsubnet = []\n").unwrap();
    let o = ptp_sim(&dir, &["bad2.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("unknown field `subnet`"), "{err}");
    assert!(!err.contains("panicked"));

    let o = ptp_sim(&dir, &["--log", "nobody", &scenario("01-e2e.toml")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--log nobody: no such node (nodes: gm, slave1, slave2)"));
    let _ = std::fs::remove_dir_all(&dir);
}
