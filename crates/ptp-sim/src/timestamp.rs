//! Timestamping models: where a node's transmit and receive timestamps come from.
//!
//! A timestamp is the reading of the node's disciplined clock at some true instant, plus
//! noise. Hardware timestamping reads the clock at the moment the frame crosses the wire,
//! with a few ns of noise. Software timestamping reads it in the kernel: a transmit stamp is
//! taken before the frame reaches the wire and a receive stamp after it arrived, each off by
//! a random latency (exponential, so skewed: mostly small, sometimes large) of tens of µs.

use crate::rng::Rng;

/// Hardware-like or software-like timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampKind {
    Hardware,
    Software,
}

/// A node's timestamping.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimestampModel {
    pub kind: TimestampKind,
    /// Standard deviation of the normal noise added to every timestamp (ns).
    pub noise_ns: f64,
    /// Mean of the exponential latency between the wire and the timestamp (ns): a transmit
    /// frame leaves this long after it was stamped, a received frame is stamped (and handed
    /// to ptp4l) this long after it arrived.
    pub latency_ns: f64,
}

impl TimestampModel {
    /// A NIC's timestamps: 4 ns of noise, no latency.
    pub const HARDWARE: TimestampModel =
        TimestampModel { kind: TimestampKind::Hardware, noise_ns: 4.0, latency_ns: 0.0 };
    /// Kernel timestamps: 20 µs mean exponential latency each way, 1 µs of noise.
    pub const SOFTWARE: TimestampModel =
        TimestampModel { kind: TimestampKind::Software, noise_ns: 1_000.0, latency_ns: 20_000.0 };

    /// The defaults of `kind`.
    pub fn of(kind: TimestampKind) -> Self {
        match kind {
            TimestampKind::Hardware => Self::HARDWARE,
            TimestampKind::Software => Self::SOFTWARE,
        }
    }

    /// Noise to add to one timestamp (whole ns).
    pub fn noise(&self, rng: &mut Rng) -> i64 {
        if self.noise_ns > 0.0 {
            (rng.normal() * self.noise_ns).round() as i64
        } else {
            0
        }
    }

    /// The latency between the wire and one timestamp (whole ns, never negative).
    pub fn latency(&self, rng: &mut Rng) -> i64 {
        rng.exponential(self.latency_ns).round() as i64
    }
}
