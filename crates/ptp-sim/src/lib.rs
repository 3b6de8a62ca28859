//! ptp-sim: a deterministic simulator of clocks and networks that drives the real ptp-engine.
//!
//! Virtual clocks ([`clock`]) with an initial offset, a frequency error and a frequency
//! wander, steered by the engine within the limits of a real clock; hardware-like or
//! software-like timestamps ([`timestamp`]), and what a NIC does itself in the one-step modes
//! ([`nic`]); a virtual network of subnets with delay, jitter,
//! asymmetry, loss and link changes ([`network`]); a discrete-event loop ([`sim`]) that drives
//! each node's [`ptp_engine::clock::Clock`] through the same calls the Linux runtime makes,
//! in virtual time, from one seed; scenario files ([`scenario`]); and the results ([`report`],
//! [`plot`]): each node's log in ptp4l's format, a CSV of the true offsets, a summary per node
//! and an SVG plot.
//!
//! # Running a scenario
//! ```
//! use ptp_sim::{Scenario, Simulation};
//!
//! let mut scenario = Scenario::default_scenario();
//! scenario.duration_ns = 60_000_000_000; // one simulated minute
//! let outcome = Simulation::new(&scenario, scenario.seed).unwrap().run();
//! print!("{}", outcome.summary_table());
//! let slave = outcome.node_index("slave1").unwrap();
//! let w = outcome.window(slave, 40_000_000_000, outcome.duration_ns, 1_000.0);
//! assert!(w.max_offset_ns < 1_000.0);
//! let _svg = ptp_sim::plot::svg(&outcome).unwrap();
//! let _log = outcome.nodes[slave].log(); // "ptp4l[12.345]: master offset ..."
//! ```

#![forbid(unsafe_code)]

pub mod clock;
pub mod network;
pub mod nic;
pub mod plot;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod timestamp;

pub use report::{NodeSummary, Outcome, WindowStats};
pub use scenario::{Scenario, ScenarioError};
pub use sim::{SimError, Simulation};

/// Load a scenario file and run it with `seed` (the file's own seed if `None`) for
/// `duration_ns` (the file's duration if `None`).
pub fn run_file(path: &std::path::Path, seed: Option<u64>, duration_ns: Option<i64>) -> Result<Outcome, RunError> {
    let mut s = Scenario::load(path)?;
    if let Some(d) = duration_ns {
        s.duration_ns = d;
    }
    let seed = seed.unwrap_or(s.seed);
    Ok(Simulation::new(&s, seed)?.run())
}

/// Why [`run_file`] failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Sim(#[from] SimError),
}
