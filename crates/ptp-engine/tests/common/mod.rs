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
    /// The kernel requests (SetLeap, SetTaiOffset) the engine made, in order: recorded only.
    pub kernel: Vec<ClockAction>,
}

impl SimClock {
    pub fn new(offset_ns: f64, freq_error_ppb: f64) -> Self {
        SimClock {
            base_local: EPOCH_NS,
            base_frac: offset_ns,
            base_true: 0,
            freq_error_ppb,
            adj_ppb: 0.0,
            kernel: Vec::new(),
        }
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
            ClockAction::SetLeap { .. } | ClockAction::SetTaiOffset { .. } | ClockAction::SwitchPhc { .. } => {
                self.kernel.push(a)
            }
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

// ---------------------------------------------------------------------------------------------
// Scripted driving of one clock: the test plays the network and the other clocks by hand, with
// timestamps it chooses (tests/scripted.rs, tests/faults.rs, tests/engine_props.rs).

pub mod script {
    use ptp_engine::clock::Clock;
    use ptp_engine::event::Event;
    use ptp_engine::time::{ClockTime, Instant};
    use ptp_engine::transmit::{ClockAction, Transmit};
    use ptp_wire::{
        Announce, ClockAccuracy, ClockIdentity, ClockQuality, DelayReq, DelayResp, FlagField, FollowUp, Header,
        Message, MessageBody, MessageType, PdelayReq, PdelayResp, PdelayRespFollowUp, PortIdentity, Sync, TimeInterval,
        TimeSource, Timestamp,
    };

    /// A one-port linuxptp configuration (`[global]` with `lines`, then `[eth0]`).
    pub fn one_port_config(lines: &str) -> ptp_config::Config {
        ptp_config::Config::parse(&format!("[global]\n{lines}\n[eth0]\n"), "test.cfg").unwrap()
    }

    /// A one-port clock with identity 02:00:00:ff:fe:00:01:`id`, built at `now`.
    pub fn one_port_clock(lines: &str, id: u8, now: Instant) -> Clock {
        Clock::from_config(&one_port_config(lines), ClockIdentity::from_mac([2, 0, 0, 0, 1, id]), now).unwrap()
    }

    /// A wire Timestamp of `ns` nanoseconds since the PTP epoch.
    pub fn ts(ns: i128) -> Timestamp {
        Timestamp::from_total_nanos(ns).unwrap()
    }

    /// A correctionField of `ns` nanoseconds plus `frac` 2^-16 ns.
    pub fn corr(ns: i64, frac: i64) -> TimeInterval {
        TimeInterval(ns * 65536 + frac)
    }

    /// One clock driven by hand: every output is drained into `events`, `sent` and `actions`.
    #[derive(Debug)]
    pub struct Driver {
        pub clock: Clock,
        pub now: Instant,
        pub events: Vec<Event>,
        pub sent: Vec<Transmit>,
        pub actions: Vec<ClockAction>,
    }

    impl Driver {
        pub fn new(clock: Clock, now: Instant) -> Self {
            let mut d = Driver { clock, now, events: Vec::new(), sent: Vec::new(), actions: Vec::new() };
            d.drain();
            d
        }

        pub fn drain(&mut self) {
            while let Some(e) = self.clock.poll_event() {
                self.events.push(e);
            }
            while let Some(t) = self.clock.poll_transmit() {
                self.sent.push(t);
            }
            while let Some(a) = self.clock.poll_action() {
                self.actions.push(a);
            }
        }

        /// Move the driver's clock to `now` without running timers.
        pub fn set_now(&mut self, now: Instant) {
            self.now = now;
        }

        pub fn receive_bytes(&mut self, bytes: &[u8], rx: Option<ClockTime>) {
            self.clock.handle_receive(1, bytes, rx, self.now);
            self.drain();
        }

        pub fn receive(&mut self, m: &Message, rx: Option<ClockTime>) {
            self.receive_bytes(&m.to_bytes().unwrap(), rx);
        }

        /// Run every timer that expires up to `until`, each at its own deadline; `now` ends at
        /// `until`.
        pub fn run_until(&mut self, until: Instant) {
            for _ in 0..100_000 {
                match self.clock.poll_timeout() {
                    Some(t) if t <= until => {
                        self.now = t.max(self.now);
                        self.clock.handle_timeout(self.now);
                        self.drain();
                    }
                    _ => break,
                }
            }
            self.now = until.max(self.now);
        }

        /// Run timers (up to `limit`) until the clock has sent a message of type `t`; take it.
        pub fn run_until_sent(&mut self, t: MessageType, limit: Instant) -> Option<Transmit> {
            for _ in 0..100_000 {
                if let Some(tx) = self.take_sent(t) {
                    return Some(tx);
                }
                match self.clock.poll_timeout() {
                    Some(d) if d <= limit => {
                        self.now = d.max(self.now);
                        self.clock.handle_timeout(self.now);
                        self.drain();
                    }
                    _ => return None,
                }
            }
            None
        }

        /// Take the first sent message of type `t`.
        pub fn take_sent(&mut self, t: MessageType) -> Option<Transmit> {
            let i = self.sent.iter().position(|tx| Message::parse(&tx.bytes).unwrap().message_type() == t)?;
            Some(self.sent.remove(i))
        }

        pub fn take_events(&mut self) -> Vec<Event> {
            std::mem::take(&mut self.events)
        }

        /// The port state changes seen so far, (from, to).
        pub fn state_changes(&self) -> Vec<(ptp_engine::state::PortState, ptp_engine::state::PortState)> {
            self.events
                .iter()
                .filter_map(|e| match e {
                    Event::PortStateChange { from, to, .. } => Some((*from, *to)),
                    _ => None,
                })
                .collect()
        }
    }

    /// A fake remote port: builds the messages another clock would send, by hand.
    #[derive(Clone, Copy, Debug)]
    pub struct FakePeer {
        pub identity: PortIdentity,
        pub domain: u8,
        /// grandmasterPriority1 of its Announce.
        pub priority1: u8,
        pub log_announce_interval: i8,
        pub log_sync_interval: i8,
    }

    impl FakePeer {
        pub fn new(mac_last: u8) -> Self {
            FakePeer {
                identity: PortIdentity {
                    clock_identity: ClockIdentity::from_mac([2, 0, 0, 0, 9, mac_last]),
                    port_number: 1,
                },
                domain: 0,
                priority1: 128,
                log_announce_interval: 1,
                log_sync_interval: 0,
            }
        }

        pub fn header(&self, t: MessageType, seq: u16, log: i8) -> Header {
            let mut h = Header::new(t);
            h.domain_number = self.domain;
            h.source_port_identity = self.identity;
            h.sequence_id = seq;
            h.log_message_interval = log;
            h
        }

        fn msg(header: Header, body: MessageBody) -> Message {
            Message { header, body, tlvs: Vec::new() }
        }

        pub fn announce(&self, seq: u16) -> Message {
            let mut h = self.header(MessageType::Announce, seq, self.log_announce_interval);
            h.flag_field = FlagField(FlagField::PTP_TIMESCALE | FlagField::CURRENT_UTC_OFFSET_VALID);
            let body = Announce {
                origin_timestamp: Timestamp::default(),
                current_utc_offset: 37,
                grandmaster_priority1: self.priority1,
                grandmaster_clock_quality: ClockQuality {
                    clock_class: 6,
                    clock_accuracy: ClockAccuracy::NS_100,
                    offset_scaled_log_variance: 0x4e5d,
                },
                grandmaster_priority2: 128,
                grandmaster_identity: self.identity.clock_identity,
                steps_removed: 0,
                time_source: TimeSource::GNSS,
            };
            Self::msg(h, MessageBody::Announce(body))
        }

        /// A Sync; two-step (origin zero) or one-step (origin `t1`).
        pub fn sync(&self, seq: u16, two_step: bool, t1: Timestamp, correction: TimeInterval) -> Message {
            let mut h = self.header(MessageType::Sync, seq, self.log_sync_interval);
            h.flag_field.set_two_step(two_step);
            h.correction_field = correction;
            let origin = if two_step { Timestamp::default() } else { t1 };
            Self::msg(h, MessageBody::Sync(Sync { origin_timestamp: origin }))
        }

        pub fn follow_up(&self, seq: u16, t1: Timestamp, correction: TimeInterval) -> Message {
            let mut h = self.header(MessageType::FollowUp, seq, self.log_sync_interval);
            h.correction_field = correction;
            Self::msg(h, MessageBody::FollowUp(FollowUp { precise_origin_timestamp: t1 }))
        }

        pub fn delay_req(&self, seq: u16, correction: TimeInterval) -> Message {
            let mut h = self.header(MessageType::DelayReq, seq, 0x7f);
            h.correction_field = correction;
            Self::msg(h, MessageBody::DelayReq(DelayReq { origin_timestamp: Timestamp::default() }))
        }

        pub fn delay_resp(
            &self,
            seq: u16,
            t4: Timestamp,
            requesting: PortIdentity,
            correction: TimeInterval,
            log: i8,
        ) -> Message {
            let mut h = self.header(MessageType::DelayResp, seq, log);
            h.correction_field = correction;
            Self::msg(
                h,
                MessageBody::DelayResp(DelayResp { receive_timestamp: t4, requesting_port_identity: requesting }),
            )
        }

        pub fn pdelay_req(&self, seq: u16, correction: TimeInterval) -> Message {
            let mut h = self.header(MessageType::PdelayReq, seq, 0x7f);
            h.correction_field = correction;
            Self::msg(h, MessageBody::PdelayReq(PdelayReq { origin_timestamp: Timestamp::default() }))
        }

        pub fn pdelay_resp(
            &self,
            seq: u16,
            two_step: bool,
            t2: Timestamp,
            requesting: PortIdentity,
            correction: TimeInterval,
        ) -> Message {
            let mut h = self.header(MessageType::PdelayResp, seq, 0x7f);
            h.flag_field.set_two_step(two_step);
            h.correction_field = correction;
            Self::msg(
                h,
                MessageBody::PdelayResp(PdelayResp {
                    request_receipt_timestamp: t2,
                    requesting_port_identity: requesting,
                }),
            )
        }

        pub fn pdelay_resp_follow_up(
            &self,
            seq: u16,
            t3: Timestamp,
            requesting: PortIdentity,
            correction: TimeInterval,
        ) -> Message {
            let mut h = self.header(MessageType::PdelayRespFollowUp, seq, 0x7f);
            h.correction_field = correction;
            Self::msg(
                h,
                MessageBody::PdelayRespFollowUp(PdelayRespFollowUp {
                    response_origin_timestamp: t3,
                    requesting_port_identity: requesting,
                }),
            )
        }
    }
}
