//! ptp-sim: run the real ptp-engine against virtual clocks and a virtual network, thousands of
//! times faster than real time, from a seed that makes every run repeatable.
//!
//! With no scenario it runs the built-in default (a grandmaster, a boundary clock and two
//! slaves), prints the summary and writes the plot to `ptp-sim.svg`. Exit status: 0 after a
//! run, 1 when the scenario cannot be read or run or an output cannot be written, 2 for bad
//! usage.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use ptp_sim::{plot, Scenario, Simulation};

/// Simulate PTP clocks and networks with the real ptp-engine (the code ptp4l runs), in
/// virtual time, from a seed.
///
/// Prints a summary per node: time to converge (the first time after which |offset| from the
/// grandmaster stays under the scenario's bound), RMS and max |offset| and |frequency error|
/// after that, the path delay the node measured, and its clock steps. The offsets are true
/// ones: each clock is compared with the grandmaster's at the same instant.
#[derive(Debug, Parser)]
#[command(name = "ptp-sim", version, about, long_about)]
struct Args {
    /// Scenario file (TOML; see scenarios/README.md). Without one, the built-in default:
    /// a grandmaster, a boundary clock and two slaves.
    scenario: Option<PathBuf>,
    /// Seed of the run (default: the scenario's). The same seed gives the same run.
    #[arg(long)]
    seed: Option<u64>,
    /// Simulated time to run, in seconds (default: the scenario's).
    #[arg(long, value_name = "S")]
    duration: Option<f64>,
    /// Write the true offset and frequency error of every clock over time as CSV to F.
    #[arg(long, value_name = "F")]
    csv: Option<PathBuf>,
    /// Write an SVG plot of |offset| over time per node to F (default with no scenario:
    /// ptp-sim.svg).
    #[arg(long, value_name = "F")]
    plot: Option<PathBuf>,
    /// Write each node's ptp4l log (NODE.log, ptp4l's exact lines) into directory DIR.
    #[arg(long, value_name = "DIR")]
    logs: Option<PathBuf>,
    /// Print the ptp4l log of node NODE before the summary (may be repeated).
    #[arg(long, value_name = "NODE")]
    log: Vec<String>,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("ptp-sim: {msg}");
    ExitCode::FAILURE
}

/// Print to standard output; a closed pipe (`ptp-sim | head`) ends the program quietly.
fn out(text: &str) -> Result<(), ExitCode> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => Err(fail(format!("cannot write to standard output: {e}"))),
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

fn run(args: Args) -> Result<(), ExitCode> {
    let (mut scenario, default_plot) = match &args.scenario {
        Some(p) => match Scenario::load(p) {
            Ok(s) => (s, None),
            Err(e) => return Err(fail(e)),
        },
        None => (Scenario::default_scenario(), Some(PathBuf::from("ptp-sim.svg"))),
    };
    if let Some(d) = args.duration {
        if !(d.is_finite() && d > 0.0 && d <= 1e7) {
            return Err(fail(format!("--duration {d}: give seconds, more than 0 and at most 1e7")));
        }
        scenario.duration_ns = (d * 1e9).round() as i64;
    }
    for name in &args.log {
        if scenario.node_index(name).is_none() {
            let names: Vec<&str> = scenario.nodes.iter().map(|n| n.name.as_str()).collect();
            return Err(fail(format!("--log {name}: no such node (nodes: {})", names.join(", "))));
        }
    }
    let seed = args.seed.unwrap_or(scenario.seed);
    let sim = match Simulation::new(&scenario, seed) {
        Ok(s) => s,
        Err(e) => return Err(fail(format!("{}: {e}", scenario.origin))),
    };
    let wall = Instant::now();
    let outcome = sim.run();
    let elapsed = wall.elapsed().as_secs_f64();

    for name in &args.log {
        if let Some(n) = outcome.node(name) {
            out(&format!("--- {name} ---\n{}", n.log()))?;
        }
    }
    let simulated = outcome.duration_ns as f64 * 1e-9;
    let what = if scenario.description.is_empty() { String::new() } else { format!(" ({})", scenario.description) };
    out(&format!(
        "ptp-sim: scenario {}{what}, seed {seed}: {simulated:.0} s simulated in {elapsed:.3} s ({:.0}x real time)\n\n{}",
        scenario.name,
        simulated / elapsed.max(1e-9),
        outcome.summary_table(),
    ))?;

    if let Some(p) = &args.csv {
        write(p, &outcome.csv()).map_err(fail)?;
        out(&format!("CSV written to {}\n", p.display()))?;
    }
    if let Some(dir) = &args.logs {
        std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        for n in &outcome.nodes {
            write(&dir.join(format!("{}.log", n.name)), &n.log()).map_err(fail)?;
        }
        out(&format!("logs written to {}/NODE.log\n", dir.display()))?;
    }
    if let Some(p) = args.plot.or(default_plot) {
        let svg = plot::svg(&outcome).map_err(fail)?;
        write(&p, &svg).map_err(fail)?;
        let shown = std::fs::canonicalize(&p).unwrap_or(p);
        out(&format!("plot written to {}\n", shown.display()))?;
    }
    Ok(())
}
