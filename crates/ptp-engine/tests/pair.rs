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
