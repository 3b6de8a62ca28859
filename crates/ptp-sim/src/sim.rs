//! The discrete-event loop: virtual time, the network's frames in flight, each node's engine
//! timers and the scenario's events, processed in (time, sequence) order with no wall clock.
//!
//! Each node's engine is driven exactly as the Linux runtime drives it: frames in with
//! [`Clock::handle_receive_from`] and a receive timestamp, transmit timestamps answered with
//! [`Clock::handle_tx_timestamp`] right after [`Clock::poll_transmit`], timers through
//! [`Clock::handle_timeout`] at [`Clock::poll_timeout`], link changes through
//! [`Clock::handle_link`], and every [`ClockAction`] applied to the node's disciplined clock.
//! With hardware timestamping each port's frames are stamped by that port's own PHC, and
//! [`ClockAction::SwitchPhc`] (`boundary_clock_jbod`) changes which PHC is disciplined; what
//! the driver logs itself (`Switched to /dev/ptpN as PTP clock`, ...) is kept beside the
//! engine's events ([`crate::report::DriverEvent`]).
//!
//! Timescales: a PHC keeps PTP time (TAI) and the system clock UTC, [`TAI_UTC_OFFSET_S`]
//! behind (see [`crate::clock`]). A node's offset is measured in its reference's timescale: a
//! node disciplining its system clock (UTC) against a reference on a PHC (TAI) is right when
//! it is that many seconds behind (plus the leap seconds its kernel applied), which is what
//! ptp4l's UTC correction aims for; otherwise clocks are compared as they read (a PHC slave of
//! a software grandmaster follows the grandmaster's UTC, as ptp4l does).

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};
use std::rc::Rc;

use ptp_config::Config;
use ptp_engine::clock::{Clock, ClockError};
use ptp_engine::event::{Event, PortNumber};
use ptp_engine::state::{FaultType, PortState};
use ptp_engine::time::{ClockTime, Instant};
use ptp_engine::transmit::{ClockAction, Transmit};
use ptp_wire::ClockIdentity;

use crate::clock::{AdjustStats, Reading, VirtualClock, TAI_UTC_OFFSET_S};
use crate::network::{Delivery, Network};
use crate::report::{DriverEvent, DriverRecord, NodeOutcome, Outcome, Samples};
use crate::rng::Rng;
use crate::scenario::{Action, NodeSpec, Scenario};

/// Shortest interval between samples (a scenario built in code may ask for less).
const MIN_SAMPLE_INTERVAL_NS: i64 = 1_000;

/// Most frames one engine may send in answer to one input before the driver stops asking
/// (a guard against an engine that never stops talking; never reached in practice).
const MAX_TRANSMITS_PER_INPUT: usize = 10_000;

/// Why a simulation could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("node {node}: {reason}")]
    Engine { node: String, reason: String },
}

/// The clock identity of node `index` (0-based): from the MAC 02:00:00:00:hh:ll with
/// hhll = index + 1, so `020000.fffe.000001` for the first node.
pub fn node_identity(index: usize) -> ClockIdentity {
    let n = u16::try_from(index + 1).unwrap_or(u16::MAX).to_be_bytes();
    ClockIdentity::from_mac([0x02, 0, 0, 0, n[0], n[1]])
}

/// Build a node's engine from its ptp4l configuration, as `Clock::from_config` does, with the
/// servo limited by the disciplined clock's largest adjustment (a PHC reports its own; the
/// kernel clock allows 500 ppm), as the Linux driver must do too.
pub fn build_engine(
    cfg: &Config,
    identity: ClockIdentity,
    max_adj_ppb: f64,
    now: Instant,
) -> Result<Clock, ClockError> {
    Clock::from_config_with(cfg, identity, max_adj_i32(max_adj_ppb), 0.0, now)
}

/// A clock's largest adjustment as the servo is told it (whole ppb, as a PHC reports it).
fn max_adj_i32(max_adj_ppb: f64) -> i32 {
    max_adj_ppb.round().clamp(0.0, f64::from(i32::MAX)) as i32
}

/// A node in the simulation: its engine, its clocks and what it logged.
#[derive(Debug)]
pub struct SimNode {
    spec: NodeSpec,
    identity: ClockIdentity,
    engine: Option<Clock>,
    running: bool,
    uses_system_clock: bool,
    /// The PHCs, /dev/ptp0 first; each port time stamps with `phcs[port_phc[port - 1]]`
    /// under hardware timestamping.
    phcs: Vec<VirtualClock>,
    port_phc: Vec<usize>,
    /// The PHC ptp4l disciplines (with hardware timestamping): the first port's at start,
    /// then the one it switched to (`boundary_clock_jbod`).
    current_phc: usize,
    system: VirtualClock,
    ts_rng: Rng,
    /// The engine's next deadline (true ns), while running.
    deadline: Option<i64>,
    events: Vec<(i64, Event)>,
    /// Network attachment of each port (index = port number - 1).
    attachments: Vec<usize>,
    started_at: Option<i64>,
    stopped_at: Option<i64>,
    /// Times the engine asked for a deadline that had already passed right after its
    /// timeout was handled (a livelock guard moved it on by 1 ns).
    stuck_timers: u64,
    /// Leap seconds the engine armed or cleared (true time, +1 / -1 / 0), in order.
    leap_requests: Vec<(i64, i8)>,
    /// The kernel's TAI offset as the engine last set it (recorded only: the error metric
    /// uses the true TAI - UTC).
    tai_offset: Option<i32>,
    /// What the driver did and logged besides the engine's events.
    driver_events: Vec<DriverRecord>,
}

impl SimNode {
    pub fn spec(&self) -> &NodeSpec {
        &self.spec
    }
    pub fn name(&self) -> &str {
        &self.spec.name
    }
    pub fn identity(&self) -> ClockIdentity {
        self.identity
    }
    /// The engine (after the node started; kept after it stopped).
    pub fn engine(&self) -> Option<&Clock> {
        self.engine.as_ref()
    }
    pub fn is_running(&self) -> bool {
        self.running
    }
    /// The engine events so far with their true times (ns).
    pub fn events(&self) -> &[(i64, Event)] {
        &self.events
    }
    /// The clock ptp4l disciplines: the system clock with software timestamping, else the
    /// current PHC ([`SimNode::phc`]).
    pub fn disciplined_clock(&self) -> &VirtualClock {
        if self.uses_system_clock {
            &self.system
        } else {
            &self.phcs[self.current_phc]
        }
    }
    fn disciplined(&mut self) -> &mut VirtualClock {
        if self.uses_system_clock {
            &mut self.system
        } else {
            &mut self.phcs[self.current_phc]
        }
    }
    /// The clock that time stamps the frames of `port`: the system clock with software
    /// timestamping, else the port's own PHC.
    fn stamp_clock(&mut self, port: PortNumber) -> &mut VirtualClock {
        if self.uses_system_clock {
            return &mut self.system;
        }
        let i = self.port_phc.get(usize::from(port).wrapping_sub(1)).copied().unwrap_or(self.current_phc);
        &mut self.phcs[i]
    }
    /// The PHC ptp4l disciplines with hardware timestamping (the only one of a node with one
    /// PHC); see [`SimNode::current_phc`].
    pub fn phc(&self) -> &VirtualClock {
        &self.phcs[self.current_phc]
    }
    /// Every PHC of the node, /dev/ptp0 first.
    pub fn phcs(&self) -> &[VirtualClock] {
        &self.phcs
    }
    /// Index of the PHC ptp4l disciplines (the first port's at start, then the last one it
    /// switched to).
    pub fn current_phc(&self) -> usize {
        self.current_phc
    }
    /// Every PHC switch (`boundary_clock_jbod`): (true time in ns, port, PHC index), in order.
    pub fn phc_switches(&self) -> Vec<(i64, PortNumber, usize)> {
        crate::report::phc_switches(&self.driver_events)
    }
    /// What the driver did and logged besides the engine's events.
    pub fn driver_events(&self) -> &[DriverRecord] {
        &self.driver_events
    }
    pub fn system_clock(&self) -> &VirtualClock {
        &self.system
    }
    /// Whether the disciplined clock keeps UTC (the system clock) rather than PTP time.
    pub fn keeps_utc(&self) -> bool {
        self.uses_system_clock
    }
    /// Every leap second the engine armed (+1, -1) or cleared (0), with its true time (ns).
    pub fn leap_requests(&self) -> &[(i64, i8)] {
        &self.leap_requests
    }
    /// The TAI - UTC offset (s) the engine last gave the kernel, if it did.
    pub fn tai_offset(&self) -> Option<i32> {
        self.tai_offset
    }

    /// Note what the driver did at `at_ns`, after the engine events so far.
    fn record(&mut self, at_ns: i64, event: DriverEvent) {
        self.driver_events.push(DriverRecord { at_ns, after_events: self.events.len(), event });
    }

    /// [`ClockAction::SwitchPhc`]: discipline the PHC of `port` from now on, as linuxptp's
    /// `clock_switch_phc` does (a new servo from that PHC's adjustment limit and current
    /// frequency, which linuxptp reads as an int). With software or legacy timestamping (the
    /// system clock) or `free_running` (nothing) no PHC is disciplined and nothing happens:
    /// linuxptp tries to open `/dev/ptp-1` there and faults the port (FT_SWITCH_PHC) at every
    /// entry into UNCALIBRATED, a defect ptp-rs does not copy (nor does its Linux driver).
    fn switch_phc(&mut self, port: PortNumber, now: i64) {
        if self.uses_system_clock || self.spec.config.global_int("free_running") != 0 {
            return;
        }
        let Some(&phc) = self.port_phc.get(usize::from(port).wrapping_sub(1)) else { return };
        let Some(engine) = self.engine.as_mut() else { return };
        let target = &self.phcs[phc];
        let max = max_adj_i32(target.params().max_adj_ppb);
        match engine.phc_switched(max, target.adjustment_ppb().trunc()) {
            Ok(()) => {
                self.current_phc = phc;
                self.record(now, DriverEvent::SwitchedPhc { port, phc });
            }
            Err(_) => {
                // Only an engine whose servo was not built from a configuration refuses.
                self.record(now, DriverEvent::SwitchFailed { port });
                if let Some(engine) = self.engine.as_mut() {
                    engine.fault(port, FaultType::SwitchPhc, Instant::from_nanos(now));
                }
            }
        }
    }
}

#[derive(Debug)]
enum What {
    Deliver { to: usize, from: usize, bytes: Rc<[u8]> },
    Start(usize),
    Scenario(usize),
    Sample,
}

#[derive(Debug)]
struct Queued {
    at: i64,
    seq: u64,
    what: What,
}

impl PartialEq for Queued {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Queued {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

/// A running scenario.
#[derive(Debug)]
pub struct Simulation {
    scenario: Scenario,
    seed: u64,
    now: i64,
    end: i64,
    nodes: Vec<SimNode>,
    net: Network,
    queue: BinaryHeap<Reverse<Queued>>,
    seq: u64,
    samples: Samples,
    scratch: Vec<Delivery>,
}

impl Simulation {
    /// Set up `scenario` with `seed` (the scenario's own seed unless overridden).
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Self, SimError> {
        let scenario = scenario.clone();
        let mut net = Network::new(scenario.subnets.clone(), Rng::stream(seed, "network", 0));
        let mut nodes = Vec::with_capacity(scenario.nodes.len());
        for (i, spec) in scenario.nodes.iter().enumerate() {
            let idx = i as u64;
            let identity = node_identity(i);
            let uses_system_clock = spec.disciplines_system_clock();
            // PHC 0 keeps the random stream of a node's only PHC, so a node with one PHC runs
            // as before PHCs could be several.
            let phcs: Vec<VirtualClock> = (0..spec.phc_count())
                .filter_map(|k| {
                    let label = if k == 0 { "phc".to_owned() } else { format!("phc{k}") };
                    Some(VirtualClock::new(spec.phc_params(k)?.clone(), 0, Rng::stream(seed, &label, idx)))
                })
                .collect();
            if let Some(p) = spec.ports.iter().find(|p| p.phc >= spec.phc_count()) {
                let reason =
                    format!("port {} is on /dev/ptp{}; the node has {} PHCs", p.interface, p.phc, spec.phc_count());
                return Err(SimError::Engine { node: spec.name.clone(), reason });
            }
            let current_phc = spec.clock_phc();
            let system = VirtualClock::new_utc(spec.system_clock.clone(), 0, Rng::stream(seed, "system clock", idx));
            // Fail now rather than at the start time if the engine cannot be built.
            let max_adj =
                if uses_system_clock { spec.system_clock.max_adj_ppb } else { phcs[current_phc].params().max_adj_ppb };
            build_engine(&spec.config, identity, max_adj, Instant::from_nanos(spec.start_ns))
                .map_err(|e| SimError::Engine { node: spec.name.clone(), reason: e.to_string() })?;
            let attachments = spec
                .ports
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    let port = u16::try_from(j + 1).unwrap_or(u16::MAX);
                    net.attach(i, port, p.subnet, p.delay_ns, p.asymmetry_ns)
                })
                .collect();
            nodes.push(SimNode {
                spec: spec.clone(),
                identity,
                engine: None,
                running: false,
                uses_system_clock,
                port_phc: spec.ports.iter().map(|p| p.phc).collect(),
                phcs,
                current_phc,
                system,
                ts_rng: Rng::stream(seed, "timestamps", idx),
                deadline: None,
                events: Vec::new(),
                attachments,
                started_at: None,
                stopped_at: None,
                stuck_timers: 0,
                leap_requests: Vec::new(),
                tai_offset: None,
                driver_events: Vec::new(),
            });
        }
        let mut sim = Simulation {
            end: scenario.duration_ns,
            samples: Samples::new(nodes.len()),
            scenario,
            seed,
            now: 0,
            nodes,
            net,
            queue: BinaryHeap::new(),
            seq: 0,
            scratch: Vec::new(),
        };
        for i in 0..sim.nodes.len() {
            let at = sim.nodes[i].spec.start_ns;
            sim.push(at, What::Start(i));
        }
        for i in 0..sim.scenario.events.len() {
            let at = sim.scenario.events[i].at_ns;
            sim.push(at, What::Scenario(i));
        }
        sim.push(0, What::Sample);
        Ok(sim)
    }

    fn push(&mut self, at: i64, what: What) {
        self.seq += 1;
        self.queue.push(Reverse(Queued { at, seq: self.seq, what }));
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Current true time (ns).
    pub fn now(&self) -> i64 {
        self.now
    }
    /// The scenario's end (ns).
    pub fn end(&self) -> i64 {
        self.end
    }
    pub fn nodes(&self) -> &[SimNode] {
        &self.nodes
    }
    pub fn node(&self, name: &str) -> Option<&SimNode> {
        self.nodes.iter().find(|n| n.spec.name == name)
    }
    pub fn network(&self) -> &Network {
        &self.net
    }
    pub fn samples(&self) -> &Samples {
        &self.samples
    }

    /// Run to the end of the scenario and gather the results.
    pub fn run(mut self) -> Outcome {
        self.run_until(self.end);
        self.finish()
    }

    /// Process everything due up to and including true time `until` (ns), then stand there.
    pub fn run_until(&mut self, until: i64) {
        loop {
            let queued = self.queue.peek().map(|Reverse(q)| q.at);
            let timer = self.next_timer();
            let take_timer = match (timer, queued) {
                (Some((t, _)), Some(q)) => t <= q,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_timer { timer.map_or(i64::MAX, |t| t.0) } else { queued.unwrap_or(i64::MAX) };
            if next > until {
                break;
            }
            self.now = self.now.max(next);
            if take_timer {
                if let Some((_, n)) = timer {
                    self.timeout(n);
                }
            } else if let Some(Reverse(q)) = self.queue.pop() {
                self.handle(q.what);
            }
        }
        self.now = self.now.max(until);
    }

    fn next_timer(&self) -> Option<(i64, usize)> {
        let mut best: Option<(i64, usize)> = None;
        for (i, n) in self.nodes.iter().enumerate() {
            if let (true, Some(d)) = (n.running, n.deadline) {
                if best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, i));
                }
            }
        }
        best
    }

    fn timeout(&mut self, n: usize) {
        let now = self.now;
        let node = &mut self.nodes[n];
        if let Some(e) = node.engine.as_mut() {
            e.handle_timeout(Instant::from_nanos(now));
        }
        self.drain(n);
        let node = &mut self.nodes[n];
        if node.deadline.is_some_and(|d| d <= now) {
            node.stuck_timers += 1;
            node.deadline = Some(now + 1);
        }
    }

    fn handle(&mut self, what: What) {
        match what {
            What::Deliver { to, from, bytes } => self.deliver(to, from, &bytes),
            What::Start(n) => self.start(n),
            What::Scenario(i) => self.scenario_event(i),
            What::Sample => {
                self.sample();
                let next = self.now.saturating_add(self.scenario.report.sample_interval_ns.max(MIN_SAMPLE_INTERVAL_NS));
                if next <= self.end {
                    self.push(next, What::Sample);
                }
            }
        }
    }

    fn start(&mut self, n: usize) {
        let now = self.now;
        let node = &mut self.nodes[n];
        if node.running {
            return;
        }
        // ptp4l disciplines the first interface's PHC when it starts.
        node.current_phc = node.spec.clock_phc();
        let max_adj = node.disciplined().params().max_adj_ppb;
        let Ok(mut engine) = build_engine(&node.spec.config, node.identity, max_adj, Instant::from_nanos(now)) else {
            // The same configuration was built when the simulation was set up.
            return;
        };
        // A port whose link is down when ptp4l starts.
        for (j, &a) in node.attachments.iter().enumerate() {
            if !self.net.is_up(a) {
                engine.handle_link(u16::try_from(j + 1).unwrap_or(u16::MAX), false, Instant::from_nanos(now));
            }
        }
        // linuxptp `port_open`: a jbod port on another PHC than the clock's. With software
        // timestamping or free_running the clock has no PHC (phc_index -1): no warning.
        if !node.uses_system_clock && node.spec.config.global_int("free_running") == 0 {
            for j in 0..node.port_phc.len() {
                if node.port_phc[j] != node.current_phc {
                    let port = u16::try_from(j + 1).unwrap_or(u16::MAX);
                    node.record(now, DriverEvent::JustABunchOfDevices { port });
                }
            }
        }
        node.engine = Some(engine);
        node.running = true;
        node.started_at.get_or_insert(now);
        node.stopped_at = None;
        self.drain(n);
    }

    fn scenario_event(&mut self, i: usize) {
        let Some(ev) = self.scenario.events.get(i).cloned() else { return };
        let now = self.now;
        let at = Instant::from_nanos(now);
        let n = ev.node;
        match ev.action {
            Action::Start => self.start(n),
            Action::Stop => {
                let node = &mut self.nodes[n];
                node.running = false;
                node.deadline = None;
                node.stopped_at = Some(now);
            }
            Action::LinkDown(port) | Action::LinkUp(port) => {
                let up = matches!(ev.action, Action::LinkUp(_));
                if let Some(&a) = self.nodes[n].attachments.get(usize::from(port).wrapping_sub(1)) {
                    self.net.set_link(a, up);
                }
                let node = &mut self.nodes[n];
                if let (true, Some(e)) = (node.running, node.engine.as_mut()) {
                    e.handle_link(port, up, at);
                    self.drain(n);
                }
            }
            Action::Priority1(_) | Action::Priority2(_) | Action::ClockClass(_) => {
                let node = &mut self.nodes[n];
                if let (true, Some(e)) = (node.running, node.engine.as_mut()) {
                    match ev.action {
                        Action::Priority1(p) => e.set_priority1(p, at),
                        Action::Priority2(p) => e.set_priority2(p, at),
                        Action::ClockClass(c) => {
                            let q = ptp_wire::ClockQuality { clock_class: c, ..e.default_ds().clock_quality };
                            e.set_clock_quality(q, at);
                        }
                        _ => {}
                    }
                    self.drain(n);
                }
            }
            Action::Step(offset) => self.nodes[n].disciplined().step(offset, now),
        }
    }

    fn deliver(&mut self, to: usize, from: usize, bytes: &[u8]) {
        let now = self.now;
        let Some(a) = self.net.attachment(to) else { return };
        let (n, port) = (a.node, a.port);
        if !a.up {
            return;
        }
        let from_addr = self.net.address(from);
        let node = &mut self.nodes[n];
        if !node.running {
            return;
        }
        let noise = node.spec.timestamping.noise(&mut node.ts_rng);
        let rx = node.stamp_clock(port).read(now).int + i128::from(noise);
        let bytes = crate::nic::receive(&node.spec.config, bytes, ClockTime(rx));
        if let Some(e) = node.engine.as_mut() {
            e.handle_receive_from(port, &bytes, Some(ClockTime(rx)), Some(from_addr), Instant::from_nanos(now));
        }
        self.drain(n);
    }

    /// Apply the engine's clock actions, keep its events and send its frames until it has
    /// nothing more to say; then note its next deadline.
    fn drain(&mut self, n: usize) {
        let now = self.now;
        for _ in 0..MAX_TRANSMITS_PER_INPUT {
            let node = &mut self.nodes[n];
            let Some(engine) = node.engine.as_mut() else { return };
            let clock = if node.uses_system_clock { &mut node.system } else { &mut node.phcs[node.current_phc] };
            let mut switches: Vec<PortNumber> = Vec::new();
            while let Some(a) = engine.poll_action() {
                match a {
                    ClockAction::SetFrequency { ppb } => clock.set_frequency(ppb, now),
                    ClockAction::Step { offset_ns } => clock.step(offset_ns, now),
                    ClockAction::SetLeap { leap } => {
                        clock.set_leap(leap, now);
                        node.leap_requests.push((now, leap));
                    }
                    ClockAction::SetTaiOffset { seconds } => node.tai_offset = Some(seconds),
                    // boundary_clock_jbod: switched below, once the events of this batch are
                    // in the log, as ptp4l logs the port's state change before `Switched to`.
                    // The actions polled with it came from the old servo, for the old clock.
                    ClockAction::SwitchPhc { port } => switches.push(port),
                }
            }
            while let Some(e) = engine.poll_event() {
                node.events.push((now, e));
            }
            if !switches.is_empty() {
                for port in switches {
                    node.switch_phc(port, now);
                }
                // A switch that failed faulted the port: drain what that produced.
                continue;
            }
            match engine.poll_transmit() {
                Some(t) => self.transmit(n, t),
                None => break,
            }
        }
        let node = &mut self.nodes[n];
        node.deadline = node.engine.as_ref().and_then(Clock::poll_timeout).map(Instant::as_nanos);
    }

    fn transmit(&mut self, n: usize, t: Transmit) {
        let now = self.now;
        let node = &mut self.nodes[n];
        let model = node.spec.timestamping;
        let latency = model.latency(&mut node.ts_rng);
        let noise = model.noise(&mut node.ts_rng);
        let stamp = node.stamp_clock(t.port).read(now).int + i128::from(noise);
        let mut bytes = t.bytes;
        if t.one_step {
            crate::nic::one_step_transmit(&mut bytes, ClockTime(stamp));
        }
        let from = node.attachments.get(usize::from(t.port).wrapping_sub(1)).copied();
        if let Some(from) = from {
            let bytes: Rc<[u8]> = bytes.into();
            let mut out = std::mem::take(&mut self.scratch);
            out.clear();
            self.net.route(from, &t.destination, now.saturating_add(latency), &mut out);
            for d in &out {
                let rx_node = self.net.attachment(d.to).map_or(n, |a| a.node);
                let rn = &mut self.nodes[rx_node];
                let rx_latency = rn.spec.timestamping.latency(&mut rn.ts_rng);
                self.push(
                    d.arrival.saturating_add(rx_latency),
                    What::Deliver { to: d.to, from, bytes: Rc::clone(&bytes) },
                );
            }
            self.scratch = out;
        }
        if let Some(token) = t.tx_token {
            if let Some(e) = self.nodes[n].engine.as_mut() {
                e.handle_tx_timestamp(token, ClockTime(stamp), Instant::from_nanos(now));
            }
        }
    }

    /// The grandmaster the offsets are measured against now: the scenario's reference, or the
    /// grandmaster most running nodes follow (ties: the lowest node index). A node follows
    /// parentDS.grandmasterIdentity while a port of it is UNCALIBRATED or SLAVE (that
    /// grandmaster may have stopped: its clock runs on and the node is in holdover on it), and
    /// itself while it is grandmaster with a MASTER port. A listening node follows no one
    /// (its parentDS may still name its last grandmaster, as linuxptp's does). `None` when
    /// nobody follows anyone.
    fn reference(&self) -> Option<usize> {
        if let Some(r) = self.scenario.report.reference {
            return Some(r);
        }
        let mut votes: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let (true, Some(e)) = (node.running, node.engine.as_ref()) else { continue };
            let gm_id = e.parent_ds().grandmaster_identity;
            let follows = if gm_id == node.identity {
                e.ports().iter().any(|p| p.state().is_master())
            } else {
                e.ports().iter().any(|p| p.state().is_slave())
            };
            let Some(gm) = self.nodes.iter().position(|n| n.identity == gm_id) else { continue };
            if follows {
                votes.entry(gm).or_insert((0, i)).0 += 1;
            }
        }
        votes.iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0))).map(|(gm, _)| *gm)
    }

    fn sample(&mut self) {
        let now = self.now;
        let reference = self.reference();
        let r: Option<(Reading, f64, bool)> = reference.map(|r| {
            let utc = self.nodes[r].uses_system_clock;
            let c = self.nodes[r].disciplined();
            let reading = c.read(now);
            (reading, c.frequency_error_ppb(), utc)
        });
        self.samples.times_ns.push(now);
        self.samples.reference.push(reference);
        for (i, node) in self.nodes.iter_mut().enumerate() {
            let (mut off, mut freq, mut delay) = (f64::NAN, f64::NAN, f64::NAN);
            if let (true, Some((rr, rf, ref_utc))) = (node.running, r) {
                let utc = node.uses_system_clock;
                let c = node.disciplined();
                let mut reading = c.read(now);
                if utc && !ref_utc {
                    // UTC to TAI: the offset at the start plus the leap seconds applied since.
                    let tai_utc = i128::from(TAI_UTC_OFFSET_S) + i128::from(c.stats().leap_seconds);
                    reading.int += tai_utc * 1_000_000_000;
                }
                off = reading.minus(rr);
                freq = c.frequency_error_ppb() - rf;
                if let Some(e) = node.engine.as_ref() {
                    if e.ports().iter().any(|p| p.state() == PortState::Slave) {
                        delay = e.current_ds().mean_path_delay.0 as f64;
                    }
                }
            }
            self.samples.offset_ns[i].push(off);
            self.samples.freq_ppb[i].push(freq);
            self.samples.path_delay_ns[i].push(delay);
        }
    }

    /// Gather the results (the simulation may have been run only part of the way).
    pub fn finish(self) -> Outcome {
        let nodes = self
            .nodes
            .into_iter()
            .map(|n| {
                let role = role(&n);
                let interfaces = n.spec.ports.iter().map(|p| p.interface.clone()).collect();
                // Every clock ptp4l disciplined: the system clock, or each PHC it switched to.
                let adjust = if n.uses_system_clock {
                    n.system.stats()
                } else {
                    AdjustStats::combined(n.phcs.iter().map(VirtualClock::stats))
                };
                let port_states =
                    n.engine.as_ref().map(|e| e.ports().iter().map(|p| p.state()).collect()).unwrap_or_default();
                NodeOutcome {
                    name: n.spec.name.clone(),
                    identity: n.identity,
                    interfaces,
                    logging_level: n.spec.config.global_int("logging_level"),
                    message_tag: n.spec.config.global_str("message_tag").map(str::to_owned),
                    events: n.events,
                    role,
                    running: n.running,
                    started_at_ns: n.started_at,
                    stopped_at_ns: n.stopped_at,
                    adjust,
                    port_states,
                    grandmaster: n.engine.as_ref().map(|e| e.parent_ds().grandmaster_identity),
                    steps_removed: n.engine.as_ref().map_or(0, |e| e.current_ds().steps_removed),
                    stuck_timers: n.stuck_timers,
                    driver_events: n.driver_events,
                }
            })
            .collect();
        Outcome {
            scenario: self.scenario.name.clone(),
            description: self.scenario.description.clone(),
            seed: self.seed,
            duration_ns: self.now,
            converge_bound_ns: self.scenario.report.converge_bound_ns,
            nodes,
            samples: self.samples,
            net: self.net.stats(),
            events: self.scenario.events.clone(),
        }
    }
}

/// What a node is at the end of the run, in words.
fn role(n: &SimNode) -> String {
    let Some(e) = n.engine.as_ref() else { return "not started".to_owned() };
    if let (false, Some(t)) = (n.running, n.stopped_at) {
        return format!("stopped at {:.0} s", t as f64 * 1e-9);
    }
    let states: Vec<PortState> = e.ports().iter().map(|p| p.state()).collect();
    if e.parent_ds().grandmaster_identity == n.identity {
        if states.iter().any(|s| s.is_master()) {
            return "grandmaster".to_owned();
        }
    } else if states.len() > 1 && states.iter().any(|s| s.is_slave()) {
        return "boundary clock".to_owned();
    } else if states.contains(&PortState::Slave) {
        return "slave".to_owned();
    }
    states.first().map_or_else(String::new, |s| s.name().to_lowercase())
}
