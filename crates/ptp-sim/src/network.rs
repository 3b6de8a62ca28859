//! The virtual network: subnets (broadcast domains) that node ports attach to.
//!
//! A frame sent on a port reaches every other up port of its subnet (multicast and peer
//! multicast alike; a peer-to-peer subnet simply has two ports), or the one port whose address
//! it is sent to (unicast). Each frame to each receiver takes the subnet's base delay, plus
//! each port's own extra delay and asymmetry, plus random delay (exponential or normal), and may
//! be lost. A path between two ports is FIFO, as a switch queue is: a frame never overtakes the
//! one sent before it.

use std::collections::BTreeMap;

use ptp_engine::transmit::Destination;
use ptp_wire::{NetworkProtocol, PortAddress};

use crate::rng::Rng;

/// The distribution of a subnet's random delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitterKind {
    /// Exponential with mean `jitter_ns` (queueing: mostly small, a long tail).
    Exponential,
    /// Normal with standard deviation `jitter_ns`, cut at zero total delay.
    Normal,
}

/// A broadcast domain.
#[derive(Clone, Debug, PartialEq)]
pub struct Subnet {
    pub name: String,
    /// Base one-way delay (ns).
    pub delay_ns: i64,
    /// Random delay: mean (exponential) or standard deviation (normal), ns.
    pub jitter_ns: f64,
    pub jitter: JitterKind,
    /// Probability that one frame to one receiver is lost.
    pub loss: f64,
}

impl Subnet {
    /// A subnet with the defaults: 100 ns base delay plus 100 ns exponential jitter, no loss.
    pub fn new(name: impl Into<String>) -> Self {
        Subnet { name: name.into(), delay_ns: 100, jitter_ns: 100.0, jitter: JitterKind::Exponential, loss: 0.0 }
    }
}

/// One node port on a subnet.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    pub node: usize,
    /// The engine's port number (1-based).
    pub port: u16,
    pub subnet: usize,
    /// Extra delay of this port's cable, both directions (ns).
    pub delay_ns: i64,
    /// Frames into this port take `asymmetry_ns` longer and frames out of it that much less
    /// (IEEE 1588 delayAsymmetry as seen from this port: t_in = mean + A, t_out = mean - A).
    pub asymmetry_ns: i64,
    pub up: bool,
}

/// A frame on its way to one receiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// Receiving attachment.
    pub to: usize,
    /// True time it arrives at the receiver's port (ns).
    pub arrival: i64,
}

/// Per-network counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetStats {
    pub frames_sent: u64,
    pub deliveries: u64,
    pub lost: u64,
    pub dropped_link_down: u64,
}

/// Subnets, attachments and the delivery rules.
#[derive(Clone, Debug)]
pub struct Network {
    subnets: Vec<Subnet>,
    attachments: Vec<Attachment>,
    /// Attachments of each subnet, in attachment order.
    members: Vec<Vec<usize>>,
    /// Attachment index of (node, port).
    by_port: BTreeMap<(usize, u16), usize>,
    /// Last arrival on each directed path (FIFO).
    last_arrival: BTreeMap<(usize, usize), i64>,
    rng: Rng,
    stats: NetStats,
}

impl Network {
    pub fn new(subnets: Vec<Subnet>, rng: Rng) -> Self {
        let members = vec![Vec::new(); subnets.len()];
        Network {
            subnets,
            attachments: Vec::new(),
            members,
            by_port: BTreeMap::new(),
            last_arrival: BTreeMap::new(),
            rng,
            stats: NetStats::default(),
        }
    }

    /// Attach `node`'s port `port` to subnet `subnet`; returns the attachment index. A subnet
    /// index out of range is ignored (the scenario parser has checked it).
    pub fn attach(&mut self, node: usize, port: u16, subnet: usize, delay_ns: i64, asymmetry_ns: i64) -> usize {
        let idx = self.attachments.len();
        self.attachments.push(Attachment { node, port, subnet, delay_ns, asymmetry_ns, up: true });
        if let Some(m) = self.members.get_mut(subnet) {
            m.push(idx);
        }
        self.by_port.insert((node, port), idx);
        idx
    }

    pub fn subnets(&self) -> &[Subnet] {
        &self.subnets
    }
    pub fn attachments(&self) -> &[Attachment] {
        &self.attachments
    }
    pub fn attachment(&self, idx: usize) -> Option<&Attachment> {
        self.attachments.get(idx)
    }
    pub fn stats(&self) -> NetStats {
        self.stats
    }

    /// The attachment of (node, port).
    pub fn find(&self, node: usize, port: u16) -> Option<usize> {
        self.by_port.get(&(node, port)).copied()
    }

    /// The address the receiver of a frame from attachment `idx` sees (an IPv4 address
    /// 10.subnet.node.port, unique per attachment).
    pub fn address(&self, idx: usize) -> PortAddress {
        let (s, n, p) = self.attachments.get(idx).map_or((0, 0, 0), |a| (a.subnet, a.node + 1, a.port));
        let b = |v: usize| u8::try_from(v).unwrap_or(u8::MAX);
        PortAddress {
            network_protocol: NetworkProtocol::UDP_IPV4,
            address: vec![10, b(s), b(n), u8::try_from(p).unwrap_or(u8::MAX)],
        }
    }

    pub fn set_link(&mut self, idx: usize, up: bool) {
        if let Some(a) = self.attachments.get_mut(idx) {
            a.up = up;
        }
    }

    pub fn is_up(&self, idx: usize) -> bool {
        self.attachments.get(idx).is_some_and(|a| a.up)
    }

    /// The frames a transmission from attachment `from`, leaving the port at true time
    /// `depart`, turns into: one delivery per receiver that is up and did not lose it.
    pub fn route(&mut self, from: usize, destination: &Destination, depart: i64, out: &mut Vec<Delivery>) {
        let Some(src) = self.attachments.get(from) else { return };
        self.stats.frames_sent += 1;
        if !src.up {
            self.stats.dropped_link_down += 1;
            return;
        }
        let (src_delay, src_asym, subnet_idx) = (src.delay_ns, src.asymmetry_ns, src.subnet);
        let Some(subnet) = self.subnets.get(subnet_idx) else { return };
        let Some(members) = self.members.get(subnet_idx) else { return };
        for &to in members {
            if to == from {
                continue;
            }
            let Some(dst) = self.attachments.get(to) else { continue };
            if let Destination::Unicast(addr) = destination {
                if *addr != self.address(to) {
                    continue;
                }
            }
            if !dst.up {
                self.stats.dropped_link_down += 1;
                continue;
            }
            if self.rng.chance(subnet.loss) {
                self.stats.lost += 1;
                continue;
            }
            let jitter = match subnet.jitter {
                JitterKind::Exponential => self.rng.exponential(subnet.jitter_ns),
                JitterKind::Normal => self.rng.normal() * subnet.jitter_ns,
            };
            let base = subnet.delay_ns + src_delay + dst.delay_ns - src_asym + dst.asymmetry_ns;
            let delay = (base as f64 + jitter).round().max(0.0) as i64;
            let mut arrival = depart.saturating_add(delay);
            let last = self.last_arrival.entry((from, to)).or_insert(i64::MIN);
            arrival = arrival.max(*last);
            *last = arrival;
            self.stats.deliveries += 1;
            out.push(Delivery { to, arrival });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(subnet: Subnet) -> Network {
        let other = Subnet { name: "other".into(), ..subnet.clone() };
        let mut n = Network::new(vec![subnet, other], Rng::new(5));
        n.attach(0, 1, 0, 0, 0);
        n.attach(1, 1, 0, 0, 0);
        n.attach(2, 1, 0, 0, 0);
        n.attach(2, 2, 1, 0, 0);
        n.attach(3, 1, 1, 0, 0);
        n
    }

    fn fixed(delay_ns: i64) -> Subnet {
        Subnet { delay_ns, jitter_ns: 0.0, ..Subnet::new("lan") }
    }

    #[test]
    fn multicast_reaches_every_other_port_of_the_subnet_only() {
        let mut n = net(fixed(500));
        let mut out = Vec::new();
        n.route(0, &Destination::Multicast, 1_000, &mut out);
        assert_eq!(out, vec![Delivery { to: 1, arrival: 1_500 }, Delivery { to: 2, arrival: 1_500 }]);
        out.clear();
        n.route(3, &Destination::PeerMulticast, 0, &mut out);
        assert_eq!(out, vec![Delivery { to: 4, arrival: 500 }]);
    }

    #[test]
    fn unicast_reaches_the_addressed_port_only() {
        let mut n = net(fixed(500));
        let mut out = Vec::new();
        let to = n.address(2);
        assert_eq!(to.to_string(), "10.0.3.1");
        n.route(0, &Destination::Unicast(to), 0, &mut out);
        assert_eq!(out, vec![Delivery { to: 2, arrival: 500 }]);
    }

    #[test]
    fn asymmetry_and_port_delay_shape_each_direction() {
        let mut n = Network::new(vec![fixed(1_000)], Rng::new(1));
        let m = n.attach(0, 1, 0, 0, 0);
        let s = n.attach(1, 1, 0, 50, 200);
        let mut out = Vec::new();
        n.route(m, &Destination::Multicast, 0, &mut out);
        n.route(s, &Destination::Multicast, 0, &mut out);
        // master -> slave: 1000 + 50 + 200; slave -> master: 1000 + 50 - 200.
        assert_eq!(out, vec![Delivery { to: s, arrival: 1_250 }, Delivery { to: m, arrival: 850 }]);
    }

    #[test]
    fn link_down_loss_and_fifo() {
        let mut n = net(fixed(100));
        let mut out = Vec::new();
        n.set_link(1, false);
        n.route(0, &Destination::Multicast, 0, &mut out);
        assert_eq!(out, vec![Delivery { to: 2, arrival: 100 }]);
        out.clear();
        n.route(1, &Destination::Multicast, 0, &mut out);
        assert!(out.is_empty());
        assert_eq!(n.stats().dropped_link_down, 2);

        let mut lossy = net(Subnet { loss: 0.25, ..fixed(100) });
        let mut got = 0;
        for i in 0..4000 {
            out.clear();
            lossy.route(0, &Destination::Multicast, i, &mut out);
            got += out.len();
        }
        assert!((5_700..6_300).contains(&got), "{got}");
        assert_eq!(lossy.stats().lost + got as u64, 8_000);

        // Large jitter never reorders a path.
        let mut j = net(Subnet { jitter_ns: 10_000.0, ..fixed(100) });
        let mut last = i64::MIN;
        for i in 0..1000 {
            out.clear();
            j.route(0, &Destination::Multicast, i * 10, &mut out);
            assert!(out[0].arrival >= last && out[0].arrival >= i * 10 + 100);
            last = out[0].arrival;
        }
    }

    #[test]
    fn normal_jitter_is_centred_on_the_base_delay() {
        let mut n = net(Subnet { jitter: JitterKind::Normal, jitter_ns: 50.0, ..fixed(10_000) });
        let mut out = Vec::new();
        for i in 0..2000 {
            n.route(0, &Destination::Multicast, i * 1_000_000, &mut out);
        }
        let to1: Vec<i64> = out.iter().filter(|d| d.to == 1).map(|d| d.arrival % 1_000_000).collect();
        let mean = to1.iter().sum::<i64>() as f64 / to1.len() as f64;
        assert!((mean - 10_000.0).abs() < 5.0, "{mean}");
    }
}
