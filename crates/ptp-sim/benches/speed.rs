//! How much faster than real time the simulator runs: `scenarios/01-e2e.toml` (a grandmaster
//! and two slaves, logSyncInterval 0, E2E, hardware timestamps) for 1000 simulated seconds.
//!
//! `cargo bench -p ptp-sim --bench speed` prints the speed-up factor (simulated seconds per
//! wall-clock second, median of 15 runs), then criterion's timing of one run. The goal is
//! 10,000x: a 1000 s run in under 0.1 s.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use ptp_sim::{Scenario, Simulation};

const SIMULATED_S: i64 = 1000;

fn scenario() -> Scenario {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "scenarios", "01-e2e.toml"].iter().collect();
    let mut s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    s.duration_ns = SIMULATED_S * 1_000_000_000;
    s
}

fn run(s: &Scenario) -> ptp_sim::Outcome {
    Simulation::new(s, s.seed).unwrap_or_else(|e| panic!("{e}")).run()
}

/// Median wall time of `runs` runs and the speed-up it gives.
fn speed_up(runs: usize) {
    let s = scenario();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(run(&s));
            t.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "ptp-sim speed: {} nodes, {SIMULATED_S} s simulated (logSyncInterval 0) in {:.2} ms (median of {runs}): \
         {:.0}x real time",
        s.nodes.len(),
        median.as_secs_f64() * 1e3,
        SIMULATED_S as f64 / median.as_secs_f64()
    );
}

fn bench(c: &mut Criterion) {
    let s = scenario();
    c.bench_function("e2e_3_nodes_1000s", |b| b.iter(|| black_box(run(&s))));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3));
    targets = bench
}

fn main() {
    // `cargo test` runs benches once, in test mode (no --bench argument): one timed run.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    speed_up(if benchmarking { 15 } else { 1 });
    benches();
    Criterion::default().configure_from_args().final_summary();
}
