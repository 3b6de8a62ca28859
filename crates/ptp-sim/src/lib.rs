//! ptp-sim: a deterministic simulator of clocks and networks that drives the real ptp-engine.
//!
//! Virtual clocks with frequency error and wander, virtual networks with delay, jitter, loss
//! and asymmetry, a discrete-event loop and scenario files.
//!
//! Status: not built yet (issue 5).

#![forbid(unsafe_code)]
