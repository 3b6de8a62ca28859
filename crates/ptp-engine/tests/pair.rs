//! Two and more engines on virtual time: the whole protocol end to end (BMCA, E2E and P2P
//! delay, servo), checked against the true clock errors of the simulated oscillators.

mod common;

use common::{Net, SimClock};
use ptp_config::Config;
use ptp_engine::clock::Clock;
use ptp_engine::event::Event;
use ptp_engine::log::{format, Dialect, PortNames};
use ptp_engine::state::PortState;
use ptp_engine::time::Instant;
use ptp_wire::ClockIdentity;

const S: i64 = 1_000_000_000;

fn config(lines: &str) -> Config {
    Config::parse(&format!("[global]\n{lines}\n[eth0]\n"), "test.cfg").unwrap()
}

fn clock(lines: &str, id: u8) -> Clock {
    let cfg = config(lines);
    Clock::from_config(&cfg, ClockIdentity::from_mac([2, 0, 0, 0, 1, id]), Instant::ZERO).unwrap()
}

fn log(net: &Net, node: usize) -> Vec<String> {
    let names = PortNames::new(Dialect::Linuxptp4).with(1, "eth0");
    net.nodes[node].events.iter().flat_map(|(_, e)| format(e, &names)).map(|l| l.text).collect()
}

fn offsets_after(net: &Net, node: usize, from_ns: i64) -> Vec<i64> {
    net.nodes[node]
        .events
        .iter()
        .filter(|(t, _)| *t >= from_ns)
        .filter_map(|(_, e)| match e {
            Event::MasterOffset { offset_ns, .. } => Some(*offset_ns),
            _ => None,
        })
        .collect()
}

fn pair(master: &str, slave: &str, slave_freq_ppb: f64, delay_ns: i64) -> Net {
    let mut net = Net::new();
    let m = net.add(clock(master, 1), SimClock::new(0.0, 0.0));
    let s = net.add(clock(slave, 2), SimClock::new(100_000_000.0, slave_freq_ppb));
    net.link(vec![(m, 1), (s, 1)], delay_ns);
    net
}

#[test]
fn e2e_master_and_slave_converge_with_linuxptp_log_lines() {
    let mut net = pair(
        "priority1 100\nlogSyncInterval -2",
        "clientOnly 1\nlogSyncInterval -2\nsummary_interval -2",
        100_000.0,
        5_000,
    );
    net.run_until(60 * S);
    let mlog = log(&net, 0);
    let slog = log(&net, 1);
    assert_eq!(mlog[0], "port 1 (eth0): INITIALIZING to LISTENING on INIT_COMPLETE");
    assert!(
        mlog.contains(&"port 1 (eth0): LISTENING to MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES".to_owned()),
        "{mlog:#?}"
    );
    assert!(mlog.iter().any(|l| l == "selected local clock 020000.fffe.000101 as best master"), "{mlog:#?}");
    assert!(mlog.contains(&"port 1 (eth0): assuming the grand master role".to_owned()));
    assert!(slog.contains(&"port 1 (eth0): new foreign master 020000.fffe.000101-1".to_owned()), "{slog:#?}");
    assert!(slog.contains(&"selected best master clock 020000.fffe.000101".to_owned()));
    assert!(slog.contains(&"port 1 (eth0): LISTENING to UNCALIBRATED on RS_SLAVE".to_owned()), "{slog:#?}");
    assert!(slog.contains(&"port 1 (eth0): UNCALIBRATED to SLAVE on MASTER_CLOCK_SELECTED".to_owned()), "{slog:#?}");
    assert!(slog.iter().any(|l| l.starts_with("master offset ") && l.contains(" s2 freq ")), "{slog:#?}");
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert_eq!(net.nodes[0].clock.port(1).unwrap().state(), PortState::Master);
    // Perfect timestamps and a symmetric link: the slave tracks the master within a few ns.
    let err = net.nodes[1].osc.error(net.now) - net.nodes[0].osc.error(net.now);
    assert!(err.abs() < 20.0, "true offset {err} ns");
    let late = offsets_after(&net, 1, 40 * S);
    assert!(!late.is_empty());
    assert!(late.iter().all(|o| o.abs() < 20), "{late:?}");
    // The slave measured the 5 us path delay.
    let d = net.nodes[1].clock.current_ds().mean_path_delay.0;
    assert!((d - 5_000).abs() < 5, "delay {d}");
}

#[test]
fn p2p_master_and_slave_converge() {
    let cfg = "delay_mechanism P2P\nlogSyncInterval -2\nlogMinPdelayReqInterval -2";
    let mut net = pair(&format!("priority1 100\n{cfg}"), &format!("clientOnly 1\n{cfg}"), -50_000.0, 3_000);
    net.run_until(60 * S);
    let slog = log(&net, 1);
    assert!(slog.contains(&"port 1 (eth0): UNCALIBRATED to SLAVE on MASTER_CLOCK_SELECTED".to_owned()), "{slog:#?}");
    let err = net.nodes[1].osc.error(net.now) - net.nodes[0].osc.error(net.now);
    assert!(err.abs() < 20.0, "true offset {err} ns");
    let pd = net.nodes[1].clock.port(1).unwrap().peer_mean_path_delay().unwrap().0;
    assert!((pd - 3_000).abs() < 5, "peer delay {pd}");
    // The master measures the link too (P2P runs in every state).
    let pd = net.nodes[0].clock.port(1).unwrap().peer_mean_path_delay().unwrap().0;
    assert!((pd - 3_000).abs() < 5, "peer delay {pd}");
}

#[test]
fn free_running_slave_stays_uncalibrated_and_logs_s0() {
    let mut net = pair(
        "priority1 100\nlogSyncInterval -2",
        "clientOnly 1\nfree_running 1\nlogSyncInterval -2\nsummary_interval -2",
        20_000.0,
        1_000,
    );
    net.run_until(20 * S);
    let slog = log(&net, 1);
    assert!(slog.contains(&"port 1 (eth0): LISTENING to UNCALIBRATED on RS_SLAVE".to_owned()));
    assert!(!slog.iter().any(|l| l.contains("to SLAVE")), "{slog:#?}");
    assert!(slog.iter().any(|l| l.starts_with("master offset") && l.contains(" s0 freq ")), "{slog:#?}");
    // No clock adjustment at all.
    assert_eq!(net.nodes[1].osc.adj_ppb, 0.0);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Uncalibrated);
}

#[test]
fn better_clock_wins_regardless_of_start_order() {
    // Two clocks that could both be master: the one with priority1 90 becomes grandmaster.
    let mut net = pair("priority1 90", "priority1 110", 10_000.0, 1_000);
    net.run_until(30 * S);
    assert_eq!(net.nodes[0].clock.port(1).unwrap().state(), PortState::Master);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert_eq!(net.nodes[1].clock.parent_ds().grandmaster_identity, ClockIdentity::from_mac([2, 0, 0, 0, 1, 1]));
}

#[test]
fn summary_lines_when_summary_interval_exceeds_sync_interval() {
    // Default summary_interval 0 with 4 Syncs a second: one `rms` line per second once the
    // slave is synchronising (the master needs ~7 s of announce timeout, qualification ~4 s).
    let mut net = pair("priority1 100\nlogSyncInterval -2", "clientOnly 1\nlogSyncInterval -2", 100_000.0, 5_000);
    net.run_until(40 * S);
    let slog = log(&net, 1);
    let rms: Vec<&String> = slog.iter().filter(|l| l.starts_with("rms ")).collect();
    assert!(rms.len() >= 20, "{slog:#?}");
    assert!(!slog.iter().any(|l| l.starts_with("master offset")));
    let last = rms.last().unwrap();
    assert!(last.starts_with("rms    0 max ") || last.starts_with("rms    1 max "), "{last}");
    assert!(last.contains("freq +100000 +/-"), "{last}");
}

fn true_offset(net: &Net, a: usize, b: usize) -> f64 {
    net.nodes[a].osc.error(net.now) - net.nodes[b].osc.error(net.now)
}

#[test]
fn one_step_master_sends_no_follow_up_and_slave_converges() {
    let mut net =
        pair("priority1 100\ntwoStepFlag 0\nlogSyncInterval -2", "clientOnly 1\nlogSyncInterval -2", 80_000.0, 2_000);
    net.run_until(60 * S);
    let m = net.nodes[0].clock.port(1).unwrap().counters();
    assert!(m.tx[0] > 100, "syncs {}", m.tx[0]);
    assert_eq!(m.tx[8], 0, "one-step sends no Follow_Up");
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert!(true_offset(&net, 1, 0).abs() < 20.0, "{}", true_offset(&net, 1, 0));
}

#[test]
fn hybrid_e2e_sends_unicast_delay_requests() {
    let mut net =
        pair("priority1 100\nlogSyncInterval -2", "clientOnly 1\nhybrid_e2e 1\nlogSyncInterval -2", 80_000.0, 2_000);
    // A third clock on the same segment must not see the unicast Delay_Req.
    let c = net.add(clock("clientOnly 1", 3), SimClock::new(0.0, 0.0));
    net.links[0].ends.push((c, 1));
    net.run_until(60 * S);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert!(true_offset(&net, 1, 0).abs() < 20.0);
    let master_rx_delay_req = net.nodes[0].clock.port(1).unwrap().counters().rx[1];
    let bystander_rx_delay_req = net.nodes[c].clock.port(1).unwrap().counters().rx[1];
    assert!(master_rx_delay_req > 20, "{master_rx_delay_req}");
    // The bystander sees only its own clientOnly peer's multicast requests: none here, since
    // node 1 sends by unicast and the bystander itself sends to multicast (not to itself).
    assert_eq!(bystander_rx_delay_req, 0);
}

#[test]
fn boundary_clock_passes_time_on_with_steps_removed() {
    let mut net = Net::new();
    let gm = net.add(clock("priority1 100\nlogSyncInterval -2", 1), SimClock::new(0.0, 0.0));
    let bc_cfg = Config::parse("[global]\npriority1 120\nlogSyncInterval -2\n[eth0]\n[eth1]\n", "bc.cfg").unwrap();
    let bc_clock = Clock::from_config(&bc_cfg, ClockIdentity::from_mac([2, 0, 0, 0, 1, 2]), Instant::ZERO).unwrap();
    let bc = net.add(bc_clock, SimClock::new(-50_000_000.0, 60_000.0));
    // The slave may lock to the BC before the BC has stepped to the grandmaster's time; with
    // linuxptp's default step_threshold 0 it would then slew 50 ms at 500 ppm for ~100 s, so
    // it is given a step threshold, as a deployment would.
    let sl = net.add(
        clock("clientOnly 1\nlogSyncInterval -2\nstep_threshold 0.001", 3),
        SimClock::new(200_000_000.0, -70_000.0),
    );
    net.link(vec![(gm, 1), (bc, 1)], 1_500);
    net.link(vec![(bc, 2), (sl, 1)], 2_500);
    net.run_until(120 * S);
    let bcc = &net.nodes[bc].clock;
    assert_eq!(bcc.port(1).unwrap().state(), PortState::Slave);
    assert!(bcc.port(2).unwrap().state().is_master(), "{:?}", bcc.port(2).unwrap().state());
    assert_eq!(bcc.current_ds().steps_removed, 1);
    let s = &net.nodes[sl].clock;
    assert_eq!(s.port(1).unwrap().state(), PortState::Slave);
    assert_eq!(s.parent_ds().grandmaster_identity, ClockIdentity::from_mac([2, 0, 0, 0, 1, 1]));
    assert_eq!(s.parent_ds().parent_port_identity.clock_identity, ClockIdentity::from_mac([2, 0, 0, 0, 1, 2]));
    assert_eq!(s.current_ds().steps_removed, 2);
    assert!(true_offset(&net, bc, gm).abs() < 20.0, "bc {}", true_offset(&net, bc, gm));
    assert!(true_offset(&net, sl, gm).abs() < 40.0, "slave {}", true_offset(&net, sl, gm));
    let names = PortNames::new(Dialect::Linuxptp4).with(1, "eth0").with(2, "eth1");
    let bclog: Vec<String> = net.nodes[bc].events.iter().flat_map(|(_, e)| format(e, &names)).map(|l| l.text).collect();
    // Port 1 may time out to MASTER before the grandmaster's Announce qualifies.
    assert!(
        bclog.iter().any(|l| l.starts_with("port 1 (eth0): ") && l.ends_with(" to UNCALIBRATED on RS_SLAVE")),
        "{bclog:#?}"
    );
    assert!(bclog.iter().any(|l| l.starts_with("port 2 (eth1): ") && l.contains(" to MASTER on ")), "{bclog:#?}");
}

#[test]
fn auto_delay_mechanism_switches_to_p2p_when_a_peer_asks() {
    let p2p = "delay_mechanism P2P\nlogSyncInterval -2\nlogMinPdelayReqInterval -2";
    let mut net = pair(
        "priority1 100\ndelay_mechanism Auto\nlogSyncInterval -2",
        &format!("clientOnly 1\n{p2p}"),
        30_000.0,
        2_000,
    );
    net.run_until(40 * S);
    let mlog = log(&net, 0);
    assert!(mlog.contains(&"port 1 (eth0): peer detected, switch to P2P".to_owned()), "{mlog:#?}");
    assert_eq!(net.nodes[0].clock.port(1).unwrap().delay_mechanism(), ptp_config::enums::DelayMechanism::P2P);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    assert!(true_offset(&net, 1, 0).abs() < 20.0);
}

#[test]
fn second_port_on_the_grandmasters_segment_goes_passive() {
    // A boundary clock with both ports on the grandmaster's segment: one port is SLAVE, the
    // other PASSIVE (IEEE 1588-2019 9.3.3, P2), so no loop forms.
    let mut net = Net::new();
    let gm = net.add(clock("priority1 100", 1), SimClock::new(0.0, 0.0));
    let bc_cfg = Config::parse("[global]\npriority1 120\n[eth0]\n[eth1]\n", "bc.cfg").unwrap();
    let bc_clock = Clock::from_config(&bc_cfg, ClockIdentity::from_mac([2, 0, 0, 0, 1, 2]), Instant::ZERO).unwrap();
    let bc = net.add(bc_clock, SimClock::new(1_000.0, 5_000.0));
    net.link(vec![(gm, 1), (bc, 1), (bc, 2)], 1_000);
    net.run_until(60 * S);
    let states: Vec<PortState> = (1..=2).map(|n| net.nodes[bc].clock.port(n).unwrap().state()).collect();
    assert!(states.contains(&PortState::Passive), "{states:?}");
    assert!(states.iter().any(|s| s.is_slave()), "{states:?}");
}

#[test]
fn raising_a_slaves_priority_makes_it_grandmaster() {
    let mut net = pair("priority1 100", "priority1 110", 10_000.0, 1_000);
    net.run_until(30 * S);
    assert_eq!(net.nodes[1].clock.port(1).unwrap().state(), PortState::Slave);
    net.nodes[1].clock.set_priority1(50, Instant::from_nanos(net.now));
    net.run_until(60 * S);
    assert!(net.nodes[1].clock.port(1).unwrap().state().is_master());
    assert_eq!(net.nodes[0].clock.port(1).unwrap().state(), PortState::Slave);
    assert_eq!(net.nodes[0].clock.parent_ds().grandmaster_priority1, 50);
}

fn clock_check_warnings(net: &Net, node: usize) -> usize {
    net.nodes[node].events.iter().filter(|(_, e)| matches!(e, Event::ClockCheck(_))).count()
}

#[test]
fn sanity_freq_limit_flags_a_clock_beyond_it() {
    // The monotonic timer clock is true time here. With sanity_freq_limit 200 ppm a 400 ppm
    // oscillator, which needs -400 ppm of correction, is reported as linuxptp would.
    let lines = "clientOnly 1\nlogSyncInterval -2\nsanity_freq_limit 200000";
    let mut net = pair("priority1 100\nlogSyncInterval -2", lines, 400_000.0, 1_000);
    net.run_until(30 * S);
    assert!(clock_check_warnings(&net, 1) > 0);
    let slog = log(&net, 1);
    assert!(slog.iter().any(|l| l.starts_with("clockcheck: ")), "{slog:#?}");

    let mut net = pair("priority1 100\nlogSyncInterval -2", lines, 100_000.0, 1_000);
    net.run_until(30 * S);
    assert_eq!(clock_check_warnings(&net, 1), 0);

    // The default limit (200000000 ppb) only catches gross faults.
    let mut net = pair("priority1 100\nlogSyncInterval -2", "clientOnly 1\nlogSyncInterval -2", 400_000.0, 1_000);
    net.run_until(30 * S);
    assert_eq!(clock_check_warnings(&net, 1), 0);
    assert!(true_offset(&net, 1, 0).abs() < 50.0, "{}", true_offset(&net, 1, 0));
}

#[test]
fn free_running_samples_once_per_frequency_estimate_window() {
    // logSyncInterval -3 and freq_est_interval 1: one sample every 2^(1 - -3) = 16 Syncs (2 s),
    // as linuxptp's free-running estimator logs them, with the oscillator's +20 ppm error.
    let mut net = pair(
        "priority1 100\nlogSyncInterval -3",
        "clientOnly 1\nfree_running 1\nlogSyncInterval -3\nsummary_interval -3\nfreq_est_interval 1",
        20_000.0,
        1_000,
    );
    net.run_until(60 * S);
    let samples: Vec<(i64, f64)> = net.nodes[1]
        .events
        .iter()
        .filter_map(|(t, e)| match e {
            Event::MasterOffset { freq_ppb, .. } => Some((*t, *freq_ppb)),
            _ => None,
        })
        .collect();
    assert!(samples.len() >= 15 && samples.len() <= 26, "{} samples", samples.len());
    for w in samples.windows(2) {
        let gap = w[1].0 - w[0].0;
        assert!((2 * S - 10_000_000..=2 * S + 10_000_000).contains(&gap), "gap {gap}");
    }
    let (_, last_freq) = samples.last().unwrap();
    assert!((last_freq - 20_000.0).abs() < 100.0, "estimate {last_freq} ppb");
}
