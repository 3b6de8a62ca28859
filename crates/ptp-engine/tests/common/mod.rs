//! A tiny virtual-time network for engine tests: clocks with a frequency error, point-to-point
//! or shared links with a fixed delay per direction, perfect timestamps, and the engine driven
//! exactly as a driver would (receive, tx timestamps, timeouts, actions). Bounded: `run_until`
//! stops at the deadline whatever happens (quinn's `Pair` style).

#![allow(dead_code)]

use std::collections::BTreeMap;

use ptp_engine::clock::Clock;
use ptp_engine::event::Event;
use ptp_engine::time::{ClockTime, Instant};
use ptp_engine::transmit::{ClockAction, Destination};
use ptp_wire::{NetworkProtocol, PortAddress};

/// The simulated "address" of a node's port (for unicast delivery).
pub fn address(node: usize, port: u16) -> PortAddress {
    PortAddress { network_protocol: NetworkProtocol::UDS, address: vec![node as u8, port as u8] }
}

/// Local clocks start near 2023-11 (1.7e9 s) so timestamps look real.
const EPOCH_NS: i128 = 1_700_000_000_000_000_000;

/// A free-running oscillator disciplined by the engine's actions. Time is kept as an integer
/// base plus an f64 offset from it, so nanoseconds stay exact (an f64 alone has a 256 ns
/// resolution at 1.7e18 ns).
#[derive(Debug, Clone)]
pub struct SimClock {
    /// Local time at `base_true`, ns.
    base_local: i128,
    base_frac: f64,
    base_true: i64,
    /// Natural frequency error (ppb) plus the last adjustment the engine set.
    pub freq_error_ppb: f64,
    pub adj_ppb: f64,
}

impl SimClock {
    pub fn new(offset_ns: f64, freq_error_ppb: f64) -> Self {
        SimClock { base_local: EPOCH_NS, base_frac: offset_ns, base_true: 0, freq_error_ppb, adj_ppb: 0.0 }
    }
    fn rate(&self) -> f64 {
        1.0 + (self.freq_error_ppb + self.adj_ppb) * 1e-9
    }
    /// Local time minus EPOCH_NS, in ns with fraction.
    fn local_rel(&self, true_ns: i64) -> f64 {
        self.base_frac + (self.base_local - EPOCH_NS) as f64 + (true_ns - self.base_true) as f64 * self.rate()
    }
    /// The local clock reading at true time `true_ns`, whole ns.
    pub fn local_ns(&self, true_ns: i64) -> i128 {
        EPOCH_NS + self.local_rel(true_ns).floor() as i128
    }
    fn rebase(&mut self, true_ns: i64) {
        let rel = self.local_rel(true_ns);
        self.base_local = EPOCH_NS + rel.floor() as i128;
        self.base_frac = rel - rel.floor();
        self.base_true = true_ns;
    }
    pub fn apply(&mut self, a: ClockAction, true_ns: i64) {
        self.rebase(true_ns);
        match a {
            ClockAction::SetFrequency { ppb } => self.adj_ppb = ppb,
            ClockAction::Step { offset_ns } => self.base_local += i128::from(offset_ns),
        }
    }
    /// Local minus true time (the clock's error against a perfect reference at `true_ns`).
    pub fn error(&self, true_ns: i64) -> f64 {
        self.local_rel(true_ns) - true_ns as f64
    }
}

pub struct Node {
    pub clock: Clock,
    pub osc: SimClock,
    pub events: Vec<(i64, Event)>,
    /// When false the node's engine stops (a crashed grandmaster).
    pub alive: bool,
}

/// (node, port) pairs joined by a link with a one-way delay per direction.
pub struct Link {
    pub ends: Vec<(usize, u16)>,
    pub delay_ns: i64,
}

/// A frame on the wire: (to node, to port, (from node, from port), bytes).
type InFlight = (usize, u16, (usize, u16), Vec<u8>);

pub struct Net {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    pub now: i64,
    /// (deliver at, seq) -> (node, port, bytes, rx local time is computed at delivery)
    queue: BTreeMap<(i64, u64), InFlight>,
    seq: u64,
}

impl Net {
    pub fn new() -> Self {
        Net { nodes: Vec::new(), links: Vec::new(), now: 0, queue: BTreeMap::new(), seq: 0 }
    }

    pub fn add(&mut self, clock: Clock, osc: SimClock) -> usize {
        self.nodes.push(Node { clock, osc, events: Vec::new(), alive: true });
        self.nodes.len() - 1
    }

    pub fn link(&mut self, ends: Vec<(usize, u16)>, delay_ns: i64) {
        self.links.push(Link { ends, delay_ns });
    }

    fn drain(&mut self, n: usize) {
        let now = self.now;
        loop {
            let node = &mut self.nodes[n];
            let mut progressed = false;
            while let Some(a) = node.clock.poll_action() {
                node.osc.apply(a, now);
                progressed = true;
            }
            while let Some(e) = node.clock.poll_event() {
                node.events.push((now, e));
                progressed = true;
            }
            if let Some(t) = node.clock.poll_transmit() {
                progressed = true;
                let local = node.osc.local_ns(now);
                let mut bytes = t.bytes.clone();
                if t.one_step {
                    // The "hardware" writes the transmit time into originTimestamp.
                    if let Some(ts) = ClockTime(local).to_timestamp() {
                        let mut m = ptp_wire::Message::parse(&bytes).unwrap();
                        if let ptp_wire::MessageBody::Sync(s) = &mut m.body {
                            s.origin_timestamp = ts;
                        }
                        bytes = m.to_bytes().unwrap();
                    }
                }
                for l in &self.links {
                    if !l.ends.contains(&(n, t.port)) {
                        continue;
                    }
                    for &(peer, port) in &l.ends {
                        if (peer, port) == (n, t.port) {
                            continue;
                        }
                        if let Destination::Unicast(a) = &t.destination {
                            if *a != address(peer, port) {
                                continue;
                            }
                        }
                        self.seq += 1;
                        self.queue.insert((now + l.delay_ns, self.seq), (peer, port, (n, t.port), bytes.clone()));
                    }
                }
                if let Some(tok) = t.tx_token {
                    self.nodes[n].clock.handle_tx_timestamp(tok, ClockTime(local), Instant::from_nanos(now));
                }
            }
            if !progressed {
                break;
            }
        }
    }

    /// Run until true time `until_ns`.
    pub fn run_until(&mut self, until_ns: i64) {
        for n in 0..self.nodes.len() {
            self.drain(n);
        }
        loop {
            let next_rx = self.queue.keys().next().map(|k| k.0);
            let next_timer = self
                .nodes
                .iter()
                .filter(|n| n.alive)
                .filter_map(|n| n.clock.poll_timeout())
                .map(|i| i.as_nanos())
                .min();
            let next = match (next_rx, next_timer) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            if next > until_ns {
                break;
            }
            self.now = next.max(self.now);
            let now = self.now;
            if next_rx == Some(next) {
                let key = *self.queue.keys().next().unwrap();
                let (n, port, (src, src_port), bytes) = self.queue.remove(&key).unwrap();
                if self.nodes[n].alive {
                    let rx = ClockTime(self.nodes[n].osc.local_ns(now));
                    let from = Some(address(src, src_port));
                    self.nodes[n].clock.handle_receive_from(port, &bytes, Some(rx), from, Instant::from_nanos(now));
                    self.drain(n);
                }
            } else {
                for n in 0..self.nodes.len() {
                    if self.nodes[n].alive && self.nodes[n].clock.poll_timeout().is_some_and(|t| t.as_nanos() <= now) {
                        self.nodes[n].clock.handle_timeout(Instant::from_nanos(now));
                        self.drain(n);
                    }
                }
            }
        }
        self.now = until_ns;
    }
}
