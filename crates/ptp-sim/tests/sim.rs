//! The simulator end to end: determinism, the scenario events (link down and up, priority
//! change, master step, late start), unicast delivery, one-step Syncs, packet loss and the
//! logs in ptp4l's format.

use ptp_engine::event::Event;
use ptp_engine::state::PortState;
use ptp_sim::{Outcome, Scenario, Simulation};

const S: i64 = 1_000_000_000;

/// A grandmaster and two slaves on one subnet, with extra lines for every node's
/// configuration, the slaves' and extra TOML appended.
fn trio(common: &str, slave: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"
        name = "trio"
        duration_s = 120
        [defaults]
        config = """
        {common}
        """
        clock = {{ offset_s = 0.1, frequency_ppm = 100 }}
        [[subnets]]
        name = "lan"
        [[nodes]]
        name = "gm"
        ports = ["lan"]
        config = "priority1 100"
        clock = {{ offset_s = 0, frequency_ppm = 0 }}
        [[nodes]]
        name = "s1"
        ports = ["lan"]
        config = """
        clientOnly 1
        {slave}
        """
        [[nodes]]
        name = "s2"
        ports = ["lan"]
        config = """
        priority1 110
        {slave}
        """
        clock = {{ offset_s = -0.2, frequency_ppm = -60 }}
        {extra}
        "#
    );
    Scenario::parse(&text, "trio.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Scenario) -> Outcome {
    Simulation::new(s, s.seed).unwrap().run()
}

fn idx(o: &Outcome, name: &str) -> usize {
    o.node_index(name).unwrap()
}

fn max_offset(o: &Outcome, name: &str, from_s: i64, to_s: i64) -> f64 {
    o.window(idx(o, name), from_s * S, to_s * S, f64::INFINITY).max_offset_ns
}

#[test]
fn same_seed_same_run_other_seed_other_run() {
    let mut s = Scenario::default_scenario();
    s.duration_ns = 60 * S;
    let a = Simulation::new(&s, 11).unwrap().run();
    let b = Simulation::new(&s, 11).unwrap().run();
    let c = Simulation::new(&s, 12).unwrap().run();
    assert_eq!(a.csv(), b.csv());
    assert_eq!(a.summary_table(), b.summary_table());
    for (x, y) in a.nodes.iter().zip(&b.nodes) {
        assert_eq!(x.log(), y.log());
    }
    assert_ne!(a.csv(), c.csv());
    assert_eq!(a.csv().lines().count(), 62, "a header and one row a second, 0 ..= 60 s");
}

#[test]
fn logs_are_ptp4l_lines() {
    let s = trio("logSyncInterval 0", "", "");
    let o = run(&s);
    let log = o.nodes[idx(&o, "s1")].log();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[0], "ptp4l[0.000]: port 1 (eth0): INITIALIZING to LISTENING on INIT_COMPLETE");
    assert!(lines.iter().all(|l| l.starts_with("ptp4l[") && l.contains("]: ")), "{log}");
    assert!(lines.iter().any(|l| l.ends_with("port 1 (eth0): UNCALIBRATED to SLAVE on MASTER_CLOCK_SELECTED")));
    assert!(lines
        .iter()
        .any(|l| l.contains("]: master offset ") && l.contains(" s2 freq ") && l.contains(" path delay ")));
    // DEBUG lines only with logging_level 7; message_tag goes after the prefix.
    assert!(!log.contains("delay   filtered"));
    let s = trio("logSyncInterval 0\nlogging_level 7\nmessage_tag [{level}]", "", "");
    let log = run(&s).nodes[1].log();
    assert!(log.contains("]: [7] delay   filtered "), "{log}");
}

#[test]
fn link_down_faults_the_port_and_link_up_recovers() {
    let s = trio(
        "logSyncInterval 0",
        "",
        r#"
        [[events]]
        at_s = 50
        node = "s1"
        action = "link_down"
        port = "eth0"
        [[events]]
        at_s = 60
        node = "s1"
        action = "link_up"
        port = 1
        "#,
    );
    let o = run(&s);
    let log = o.nodes[idx(&o, "s1")].log();
    assert!(log.contains("ptp4l[50.000]: port 1 (eth0): link down\n"), "{log}");
    assert!(log.contains("ptp4l[50.000]: port 1 (eth0): SLAVE to FAULTY on FAULT_DETECTED"), "{log}");
    assert!(log.contains("ptp4l[60.000]: port 1 (eth0): link up\n"), "{log}");
    // While down, s1 ran free on its last frequency (no master offset lines) ...
    let during: Vec<i64> = o.nodes[idx(&o, "s1")]
        .event_times(|e| matches!(e, Event::MasterOffset { .. }))
        .into_iter()
        .filter(|t| (50 * S..60 * S).contains(t))
        .collect();
    assert!(during.is_empty(), "{during:?}");
    // ... and is back in sync before the end.
    assert_eq!(o.nodes[idx(&o, "s1")].port_states, vec![PortState::Slave]);
    assert!(max_offset(&o, "s1", 100, 120) < 1_000.0);
    // The other slave never noticed.
    assert!(max_offset(&o, "s2", 40, 120) < 1_000.0);
}

#[test]
fn priority_change_hands_over_the_grandmaster_role() {
    let s = trio(
        "logSyncInterval 0",
        "",
        r#"
        [[events]]
        at_s = 60
        node = "s2"
        action = "priority1"
        value = 50
        "#,
    );
    let o = run(&s);
    assert_eq!(o.nodes[idx(&o, "s2")].role, "grandmaster");
    assert_eq!(o.nodes[idx(&o, "gm")].role, "slave");
    assert_eq!(o.nodes[idx(&o, "s1")].grandmaster, Some(o.nodes[idx(&o, "s2")].identity));
    // The new grandmaster was in sync with the old one: everyone stays within a few us.
    assert!(max_offset(&o, "s1", 90, 120) < 1_000.0);
    assert!(max_offset(&o, "gm", 90, 120) < 1_000.0);
}

#[test]
fn a_step_of_the_master_is_followed() {
    let s = trio(
        "logSyncInterval 0\nstep_threshold 0.001",
        "",
        r#"
        [[events]]
        at_s = 60
        node = "gm"
        action = "step"
        offset_ns = 5000000
        "#,
    );
    let o = run(&s);
    // The slaves see a 5 ms offset, step again (step_threshold 1 ms) and settle.
    for slave in ["s1", "s2"] {
        let n = &o.nodes[idx(&o, slave)];
        assert_eq!(n.adjust.steps, 2, "{slave}");
        assert!(max_offset(&o, slave, 80, 120) < 1_000.0, "{slave}");
        let w = o.window(idx(&o, slave), 60 * S, 61 * S, f64::INFINITY);
        assert!(w.max_offset_ns > 4_000_000.0, "{slave} saw the step: {}", w.max_offset_ns);
    }
}

#[test]
fn a_late_node_starts_and_synchronises() {
    let mut s = trio("logSyncInterval 0", "", "");
    s.nodes[2].start_ns = 40 * S;
    let o = run(&s);
    let n = &o.nodes[idx(&o, "s2")];
    assert_eq!(n.started_at_ns, Some(40 * S));
    assert!(n.log().starts_with("ptp4l[40.000]: port 1 (eth0): INITIALIZING to LISTENING"));
    // Not running before 40 s: no samples.
    assert_eq!(o.window(idx(&o, "s2"), 0, 39 * S, f64::INFINITY).samples, 0);
    assert!(max_offset(&o, "s2", 90, 120) < 1_000.0);
}

#[test]
fn hybrid_e2e_delay_requests_go_by_unicast() {
    // s1 sends its Delay_Req to the master's address only; s2 (E2E multicast) is a bystander.
    let s = trio("logSyncInterval 0", "", "");
    let mut s = s;
    s.set_node_option("s1", "hybrid_e2e", "1").unwrap();
    s.set_node_option("s2", "clientOnly", "1").unwrap();
    let mut sim = Simulation::new(&s, 1).unwrap();
    sim.run_until(120 * S);
    let rx_delay_req = |n: &str| sim.node(n).unwrap().engine().unwrap().port(1).unwrap().counters().rx[1];
    let gm_rx = rx_delay_req("gm");
    let s2_rx = rx_delay_req("s2");
    let s1_rx = rx_delay_req("s1");
    // The master hears both slaves' requests; s1 hears s2's multicast ones, s2 none of s1's.
    assert!(gm_rx > 150, "{gm_rx}");
    assert!(s1_rx > 50, "{s1_rx}");
    assert_eq!(s2_rx, 0);
    let o = sim.finish();
    assert!(max_offset(&o, "s1", 60, 120) < 1_000.0);
}

#[test]
fn one_step_syncs_carry_the_transmit_time() {
    let s = trio("logSyncInterval 0", "", "");
    let mut s = s;
    s.set_node_option("gm", "twoStepFlag", "0").unwrap();
    let mut sim = Simulation::new(&s, 1).unwrap();
    sim.run_until(120 * S);
    let gm = sim.node("gm").unwrap().engine().unwrap().port(1).unwrap().counters();
    assert!(gm.tx[0] > 100, "Syncs sent");
    assert_eq!(gm.tx[8], 0, "no Follow_Up");
    let o = sim.finish();
    for slave in ["s1", "s2"] {
        assert!(max_offset(&o, slave, 60, 120) < 1_000.0, "{slave}");
    }
}

#[test]
fn packet_loss_is_survived() {
    // One frame in twenty lost: Follow_Ups and Delay_Resps go missing, the delay filter
    // sees fewer samples. (At 20 % three Announces in a row go missing now and then, the
    // slaves time out and start over, as ptp4l does.)
    let mut s = trio("logSyncInterval 0", "", "");
    s.subnets[0].loss = 0.05;
    let mut sim = Simulation::new(&s, 3).unwrap();
    sim.run_until(120 * S);
    let st = sim.network().stats();
    assert!(st.lost as f64 > 0.03 * (st.lost + st.deliveries) as f64, "{st:?}");
    let o = sim.finish();
    for slave in ["s1", "s2"] {
        let m = max_offset(&o, slave, 60, 120);
        assert!(m < 2_000.0, "{slave}: {m}");
    }
}

#[test]
fn a_stopped_node_receives_nothing_and_its_clock_runs_free() {
    let s = trio(
        "logSyncInterval 0",
        "",
        r#"
        [[events]]
        at_s = 60
        node = "s1"
        action = "stop"
        "#,
    );
    let mut sim = Simulation::new(&s, 1).unwrap();
    sim.run_until(60 * S);
    let rx_at_stop = sim.node("s1").unwrap().engine().unwrap().port(1).unwrap().counters().rx;
    sim.run_until(120 * S);
    let n = sim.node("s1").unwrap();
    assert!(!n.is_running());
    assert_eq!(n.engine().unwrap().port(1).unwrap().counters().rx, rx_at_stop);
    assert!(n.events().iter().all(|(t, _)| *t <= 60 * S));
    let o = sim.finish();
    assert_eq!(o.nodes[1].role, "stopped at 60 s");
    assert_eq!(o.window(1, 61 * S, 120 * S, f64::INFINITY).samples, 0);
}

#[test]
fn a_node_that_cannot_be_built_is_an_error() {
    let mut s = trio("logSyncInterval 0", "", "");
    s.set_node_option("s1", "clock_servo", "ntpshm").unwrap();
    let e = Simulation::new(&s, 1).unwrap_err().to_string();
    assert!(e.starts_with("node s1: clock_servo ntpshm"), "{e}");
}

#[test]
fn every_scenario_file_parses_and_runs() {
    let dir: std::path::PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "scenarios"].iter().collect();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "{files:?}");
    for f in files {
        let mut s = Scenario::load(&f).unwrap_or_else(|e| panic!("{e}"));
        s.duration_ns = 20 * S;
        let o = run(&s);
        assert_eq!(o.samples.times_ns.len(), 21, "{}", f.display());
    }
    // The built-in default is scenarios/default.toml.
    let text = std::fs::read_to_string(dir.join("default.toml")).unwrap();
    assert_eq!(text, ptp_sim::scenario::DEFAULT_SCENARIO);
}

#[test]
fn linuxptps_default_profile_runs_as_is() {
    // The same profiles apply: a node reads shared/configs/default.cfg (ptp4l's shipped
    // default.cfg) and ptp-sim runs it.
    let shared = match std::env::var_os("PTP_RS_SHARED") {
        Some(d) => std::path::PathBuf::from(d),
        None => [env!("CARGO_MANIFEST_DIR"), "..", "..", "..", "shared"].iter().collect(),
    };
    let cfg = shared.join("configs").join("default.cfg");
    let text = format!(
        "duration_s = 60\n[defaults]\nconfig_file = {:?}\n[[subnets]]\nname = \"lan\"\n\
         [[nodes]]\nname = \"gm\"\nports = [\"lan\"]\nconfig = \"priority1 100\"\n\
         [[nodes]]\nname = \"s\"\nports = [\"lan\"]\nclock = {{ offset_s = 0.1, frequency_ppm = 100 }}\n",
        cfg.display().to_string()
    );
    let s = Scenario::parse(&text, "profile.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.nodes[1].config.global_int("summary_interval"), 0);
    let o = run(&s);
    assert!(max_offset(&o, "s", 40, 60) < 1_000.0);
}

#[test]
fn jbod_with_no_phc_to_discipline_switches_nothing() {
    // Scenario 10's jbod boundary clock, disciplining the system clock (software
    // timestamping) or nothing (free_running): the engine still asks for a switch when port 2
    // becomes B's slave, and the driver does nothing, nor faults the port (linuxptp does).
    let path: std::path::PathBuf =
        [env!("CARGO_MANIFEST_DIR"), "..", "..", "scenarios", "10-jbod.toml"].iter().collect();
    for (key, value) in [("time_stamping", "software"), ("free_running", "1")] {
        let mut s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        s.set_node_option("bc", key, value).unwrap();
        let mut sim = Simulation::new(&s, s.seed).unwrap();
        sim.run_until(sim.end());
        let bc = sim.node("bc").unwrap();
        assert!(bc.phc_switches().is_empty(), "{key}: {:?}", bc.phc_switches());
        assert_eq!(bc.current_phc(), 0);
        assert_eq!(bc.phcs()[1].stats().adjustments, 0, "{key}");
        let o = sim.finish();
        let log = o.node("bc").unwrap().log();
        assert!(log.contains("]: port 2 (eth1): MASTER to UNCALIBRATED on RS_SLAVE\n"), "{key}:\n{log}");
        assert!(!log.contains("FAULTY") && !log.contains("Switch"), "{key}:\n{log}");
        // The clock has no PHC in either case (linuxptp's phc_index -1), so no port is on
        // "another" PHC.
        assert!(!log.contains("just a bunch of devices"), "{key}:\n{log}");
    }
}
