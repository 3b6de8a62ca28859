//! A PTP port (IEEE 1588-2019 clause 9): its state, timers, the messages it sends and the
//! handling of the messages it receives. The [`crate::clock::Clock`] owns the ports and decides
//! across them (BMCA, servo); a port holds the per-link state, like quinn's connection beside
//! its endpoint.

pub mod msg;
pub mod timers;

mod master;
mod peer_delay;
mod slave;

use std::collections::VecDeque;

use ptp_config::enums::DelayMechanism;
use ptp_wire::{Message, MessageType, PortAddress, PortIdentity};

use crate::config::PortConfig;
use crate::counters::PortCounters;
use crate::datasets::{CurrentDs, DefaultDs, ParentDs, PortDs, TimePropertiesDs};
use crate::event::{DropReason, Event, PortNumber, TimerKind};
use crate::fsm::PortFsm;
use crate::rng::Rng;
use crate::state::{FaultType, FsmEvent, PortState};
use crate::time::{log_interval, ClockTime, Instant, Nanos};
use crate::transmit::{Destination, Transmit, TxToken};

pub use peer_delay::PeerDelay;
pub use slave::SyncTiming;
use timers::{PortTimer, Timers};

/// What a port hands to the clock besides transmissions and events.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Sample {
    /// A Sync (with its Follow_Up) from the parent: t1 corrected by the correction fields and
    /// delayAsymmetry, and the receive time t2.
    Sync(SyncTiming),
    /// A Delay_Req/Delay_Resp exchange: transmit time t3 and t4 corrected by the Delay_Resp
    /// correction (and delayAsymmetry).
    Delay { t3: ClockTime, t4c: ClockTime },
    /// A completed peer delay measurement.
    PeerDelay(PeerDelay),
}

/// Queues the ports fill while handling input; the clock drains them.
#[derive(Debug, Default)]
pub struct Outputs {
    pub transmits: VecDeque<Transmit>,
    pub events: VecDeque<Event>,
    pub samples: VecDeque<(PortNumber, Sample)>,
    /// Announce messages received, for the clock's foreign master records (BMCA).
    pub announces: VecDeque<(PortNumber, Message, Instant)>,
    /// Something changed that needs the state decision algorithm to run.
    pub state_decision: bool,
    /// Port state changes the clock has to act on.
    pub fsm: VecDeque<(PortNumber, FsmEvent)>,
    /// Management messages received on a port, for the clock to answer and forward
    /// (IEEE 1588-2019 15.3; linuxptp `clock_manage`).
    pub management: VecDeque<(PortNumber, Message)>,
}

/// The clock-wide values a port reads while it works.
#[derive(Clone, Copy, Debug)]
pub struct ClockView<'a> {
    pub default_ds: &'a DefaultDs,
    pub current_ds: &'a CurrentDs,
    pub parent_ds: &'a ParentDs,
    pub time_properties_ds: &'a TimePropertiesDs,
    pub minor_version_ptp: u8,
}

/// One port of the clock.
#[derive(Debug)]
pub struct Port {
    number: PortNumber,
    pub(crate) cfg: PortConfig,
    identity: PortIdentity,
    state: PortState,
    /// The delay mechanism in use (Auto starts as E2E and may switch to P2P).
    delay_mechanism: DelayMechanism,
    log_min_delay_req_interval: i8,
    timers: Timers,
    rng: Rng,
    seq_announce: u16,
    seq_sync: u16,
    seq_delay_req: u16,
    seq_pdelay_req: u16,
    pub(crate) slave: slave::SlaveSide,
    pub(crate) peer: peer_delay::PeerDelaySide,
    master: master::MasterSide,
    pub(crate) counters: PortCounters,
    fsm: PortFsm,
    fault: Option<FaultType>,
    link_up: bool,
}

impl Port {
    pub fn new(number: PortNumber, cfg: PortConfig, identity: PortIdentity, fsm: PortFsm, seed: u64) -> Self {
        let delay_mechanism = match cfg.delay_mechanism {
            DelayMechanism::Auto => DelayMechanism::E2E,
            m => m,
        };
        Port {
            number,
            log_min_delay_req_interval: cfg.log_min_delay_req_interval,
            cfg,
            identity,
            state: PortState::Initializing,
            delay_mechanism,
            timers: Timers::default(),
            rng: Rng::new(seed ^ u64::from(number)),
            seq_announce: 0,
            seq_sync: 0,
            seq_delay_req: 0,
            seq_pdelay_req: 0,
            slave: slave::SlaveSide::default(),
            peer: peer_delay::PeerDelaySide::default(),
            master: master::MasterSide::default(),
            counters: PortCounters::default(),
            fsm,
            fault: None,
            link_up: true,
        }
    }

    pub fn number(&self) -> PortNumber {
        self.number
    }
    pub fn name(&self) -> &str {
        &self.cfg.name
    }
    pub fn identity(&self) -> PortIdentity {
        self.identity
    }
    pub fn state(&self) -> PortState {
        self.state
    }
    pub fn counters(&self) -> &PortCounters {
        &self.counters
    }
    /// The state machine this port runs.
    pub fn fsm(&self) -> PortFsm {
        self.fsm
    }
    pub fn delay_mechanism(&self) -> DelayMechanism {
        self.delay_mechanism
    }
    /// The measured peer mean path delay (P2P), if any.
    pub fn peer_mean_path_delay(&self) -> Option<Nanos> {
        self.peer.mean_link_delay
    }
    /// The neighbour rate ratio measured by the peer delay mechanism (1.0 until known).
    pub fn neighbor_rate_ratio(&self) -> f64 {
        self.peer.neighbor_rate_ratio()
    }
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }

    /// portDS (IEEE 1588-2019 8.2.15) of this port.
    pub fn port_ds(&self) -> PortDs {
        PortDs {
            port_identity: self.identity,
            port_state: self.state,
            log_min_delay_req_interval: self.log_min_delay_req_interval,
            peer_mean_path_delay: self.peer.mean_link_delay.unwrap_or_default(),
            log_announce_interval: self.cfg.log_announce_interval,
            announce_receipt_timeout: self.cfg.announce_receipt_timeout,
            log_sync_interval: self.cfg.log_sync_interval,
            delay_mechanism: ptp_wire::DelayMechanism(match self.delay_mechanism {
                DelayMechanism::P2P => 2,
                DelayMechanism::CommonP2P => 3,
                DelayMechanism::NoMechanism => 0xfe,
                _ => 1,
            }),
            log_min_pdelay_req_interval: self.cfg.log_min_pdelay_req_interval,
            version_number: 2,
        }
    }

    fn template(&self, clock: &ClockView<'_>) -> msg::HeaderTemplate {
        msg::HeaderTemplate {
            major_sdo_id: self.cfg.transport_specific,
            minor_version_ptp: clock.minor_version_ptp,
            domain_number: clock.default_ds.domain_number,
            source_port_identity: self.identity,
        }
    }

    /// Send an already encoded general message (a management response or a forwarded
    /// management message) to the primary multicast group, counting it.
    pub(crate) fn send_general_bytes(&mut self, out: &mut Outputs, t: MessageType, bytes: Vec<u8>) {
        self.counters.count_tx(t);
        out.transmits.push_back(Transmit {
            port: self.number,
            destination: Destination::Multicast,
            event: false,
            bytes,
            tx_token: None,
            one_step: false,
        });
    }

    fn send(&mut self, out: &mut Outputs, m: &Message, destination: Destination, want_ts: bool) {
        self.send_with(out, m, destination, want_ts, false);
    }

    fn send_with(&mut self, out: &mut Outputs, m: &Message, destination: Destination, want_ts: bool, one_step: bool) {
        let t = m.message_type();
        let Ok(bytes) = m.to_bytes() else { return };
        self.counters.count_tx(t);
        let tx_token =
            want_ts.then_some(TxToken { port: self.number, message_type: t, sequence_id: m.header.sequence_id });
        out.transmits.push_back(Transmit {
            port: self.number,
            destination,
            event: t.is_event(),
            bytes,
            tx_token,
            one_step,
        });
    }

    fn drop_message(&mut self, out: &mut Outputs, reason: DropReason) {
        self.counters.count_drop(&reason);
        out.events.push_back(Event::Dropped { port: self.number, reason });
    }

    /// Random deadline in `base + [0, span) * 2^log` seconds from `now` (linuxptp
    /// `set_tmo_random`).
    fn random_deadline(&mut self, now: Instant, base: u32, span: u32, log: i8) -> Instant {
        let unit = log_interval(log);
        let extra = unit.mul_f64(f64::from(span) * self.rng.unit());
        now + unit * base + extra
    }

    /// Enter `next` after `event`: log the change and arm the timers of the new state
    /// (linuxptp `port_dispatch` and `port_initialize`).
    pub(crate) fn set_state(&mut self, next: PortState, event: FsmEvent, now: Instant, out: &mut Outputs) {
        if next == self.state {
            // Still FAULTY (the link is down when the fault timer cleared it): wait again.
            if next == PortState::Faulty && self.timers.get(PortTimer::FaultReset).is_none() {
                if let Some(log) = self.cfg.fault_reset_interval {
                    self.timers.set(PortTimer::FaultReset, now + log_interval(log));
                }
            }
            return;
        }
        let fault = (event == FsmEvent::FaultDetected).then(|| self.fault.unwrap_or_default());
        out.events.push_back(Event::PortStateChange { port: self.number, from: self.state, to: next, event, fault });
        let prev = self.state;
        self.state = next;
        self.enter_state(prev, now, out);
    }

    fn enter_state(&mut self, prev: PortState, now: Instant, out: &mut Outputs) {
        self.timers.stop_all();
        if !self.state.is_slave() {
            self.slave.reset();
        }
        match self.state {
            PortState::Initializing | PortState::Disabled => {
                self.peer.reset();
            }
            PortState::Faulty => {
                self.peer.reset();
                // (`fault_reset_interval ASAP` never reaches FAULTY: the clock clears it.)
                if let Some(log) = self.cfg.fault_reset_interval {
                    out.events.push_back(Event::FaultWait { port: self.number, log_seconds: log });
                    self.timers.set(PortTimer::FaultReset, now + log_interval(log));
                }
            }
            PortState::Listening | PortState::Passive => self.arm_announce_receipt(now),
            PortState::PreMaster => {
                // Qualification timeout: (stepsRemoved + 1) announce intervals; linuxptp
                // uses one interval for a clock that is its own grandmaster.
                self.timers.set(PortTimer::Qualification, now + log_interval(self.cfg.log_announce_interval));
            }
            PortState::Master | PortState::GrandMaster => {
                if !prev.is_master() {
                    self.master = master::MasterSide::default();
                }
                // linuxptp announces almost at once (2^-10 s) after becoming master.
                self.timers.set(PortTimer::MasterAnnounce, now + log_interval(-10));
                self.timers.set(PortTimer::MasterSync, now + log_interval(self.cfg.log_sync_interval));
            }
            PortState::Uncalibrated | PortState::Slave => {
                self.arm_announce_receipt(now);
                if self.cfg.sync_receipt_timeout > 0 {
                    self.timers.set(
                        PortTimer::SyncReceipt,
                        now + log_interval(self.cfg.log_sync_interval) * u32::from(self.cfg.sync_receipt_timeout),
                    );
                }
                if self.delay_mechanism == DelayMechanism::E2E {
                    let at = self.random_deadline(now, 0, 2, self.log_min_delay_req_interval);
                    self.timers.set(PortTimer::DelayRequest, at);
                }
            }
        }
        if self.runs_peer_delay() && self.timers.get(PortTimer::PdelayRequest).is_none() {
            let at = self.random_deadline(now, 0, 2, self.cfg.log_min_pdelay_req_interval);
            self.timers.set(PortTimer::PdelayRequest, at);
        }
    }

    /// The link is up (a port whose link is down stays FAULTY).
    pub(crate) fn link_up(&self) -> bool {
        self.link_up
    }

    /// P2P ports measure the link in every state but INITIALIZING, FAULTY and DISABLED.
    fn runs_peer_delay(&self) -> bool {
        self.delay_mechanism == DelayMechanism::P2P
            && !matches!(self.state, PortState::Initializing | PortState::Faulty | PortState::Disabled)
    }

    /// Announce receipt timeout: announceReceiptTimeout intervals plus a random part of one
    /// (linuxptp `port_set_announce_tmo`).
    fn arm_announce_receipt(&mut self, now: Instant) {
        let at =
            self.random_deadline(now, u32::from(self.cfg.announce_receipt_timeout), 1, self.cfg.log_announce_interval);
        self.timers.set(PortTimer::AnnounceReceipt, at);
    }

    /// Restart the announce receipt timer (a qualified Announce from the parent arrived).
    pub(crate) fn restart_announce_receipt(&mut self, now: Instant) {
        if self.timers.get(PortTimer::AnnounceReceipt).is_some() {
            self.arm_announce_receipt(now);
        }
    }

    /// Record a fault (link down, send failure, missing tx timestamp).
    pub(crate) fn set_fault(&mut self, fault: FaultType) {
        self.fault = Some(fault);
    }

    pub(crate) fn set_link(&mut self, up: bool) {
        self.link_up = up;
    }

    /// Handle expired timers up to `now`.
    pub(crate) fn handle_timeout(&mut self, now: Instant, clock: &ClockView<'_>, out: &mut Outputs) {
        while let Some(t) = self.timers.take_expired(now) {
            match t {
                PortTimer::AnnounceReceipt => {
                    out.events.push_back(Event::Timeout { port: self.number, timer: TimerKind::AnnounceReceipt });
                    // Re-armed at once, as linuxptp does: a slave-only port stays LISTENING
                    // and must keep timing out (a state change re-arms its own timers).
                    self.arm_announce_receipt(now);
                    out.state_decision = true;
                    out.fsm.push_back((self.number, FsmEvent::AnnounceReceiptTimeoutExpires));
                }
                PortTimer::SyncReceipt => {
                    out.events.push_back(Event::Timeout { port: self.number, timer: TimerKind::SyncReceipt });
                    out.fsm.push_back((self.number, FsmEvent::AnnounceReceiptTimeoutExpires));
                }
                PortTimer::Qualification => {
                    out.events.push_back(Event::Timeout { port: self.number, timer: TimerKind::Qualification });
                    out.fsm.push_back((self.number, FsmEvent::QualificationTimeoutExpires));
                }
                PortTimer::DelayRequest => {
                    out.events.push_back(Event::Timeout { port: self.number, timer: TimerKind::DelayRequest });
                    self.send_delay_req(now, clock, out);
                }
                PortTimer::MasterAnnounce => {
                    self.send_announce(now, clock, out);
                }
                PortTimer::MasterSync => {
                    self.send_sync(now, clock, out);
                }
                PortTimer::PdelayRequest => {
                    self.send_pdelay_req(now, clock, out);
                }
                PortTimer::FaultReset => {
                    out.events.push_back(Event::ClearingFault { port: self.number });
                    // linuxptp clears the fault only on a link that is up; a port whose link
                    // is still down stays FAULTY until the link-up report.
                    if self.link_up {
                        self.fault = None;
                        out.fsm.push_back((self.number, FsmEvent::FaultCleared));
                    }
                }
            }
        }
    }

    /// Handle one received message (already checked for domain and SDO by the clock).
    pub(crate) fn handle_message(
        &mut self,
        m: &Message,
        rx: Option<ClockTime>,
        from: Option<&PortAddress>,
        now: Instant,
        clock: &ClockView<'_>,
        out: &mut Outputs,
    ) {
        if let Some(a) = from {
            if m.message_type() == MessageType::Announce {
                self.slave.note_address(m.header.source_port_identity, a);
            }
        }
        let t = m.message_type();
        self.counters.count_rx(t);
        if matches!(self.state, PortState::Initializing | PortState::Faulty | PortState::Disabled) {
            self.drop_message(out, DropReason::Unexpected(t));
            return;
        }
        // With p2p1step the NIC, not ptp4l, needs the Pdelay_Req's receive time (it takes it
        // off the correctionField), so a Pdelay_Req may come without one.
        if t.is_event() && rx.is_none() && !(t == MessageType::PdelayReq && self.cfg.p2p_one_step()) {
            self.drop_message(out, DropReason::NoTimestamp(t));
            return;
        }
        let rx = rx.map_or_else(ClockTime::default, |r| r - Nanos(i128::from(self.cfg.ingress_latency)));
        match t {
            MessageType::Announce => self.handle_announce(m, now, clock, out),
            MessageType::Sync => self.handle_sync(m, rx, now, clock, out),
            MessageType::FollowUp => self.handle_follow_up(m, clock, out),
            MessageType::DelayReq => self.handle_delay_req(m, rx, from, clock, out),
            MessageType::DelayResp => self.handle_delay_resp(m, clock, out),
            MessageType::PdelayReq => self.handle_pdelay_req(m, rx, now, clock, out),
            MessageType::PdelayResp => self.handle_pdelay_resp(m, rx, out),
            MessageType::PdelayRespFollowUp => self.handle_pdelay_resp_follow_up(m, out),
            MessageType::Management => out.management.push_back((self.number, m.clone())),
            // Signaling (unicast negotiation, interval requests) is not built yet.
            MessageType::Signaling => {
                self.drop_message(out, DropReason::Unexpected(t));
            }
        }
    }

    /// A transmit timestamp for a message this port sent.
    pub(crate) fn handle_tx_timestamp(
        &mut self,
        token: TxToken,
        ts: ClockTime,
        clock: &ClockView<'_>,
        out: &mut Outputs,
    ) {
        let ts = ts + Nanos(i128::from(self.cfg.egress_latency));
        match token.message_type {
            MessageType::Sync => self.sync_sent(token.sequence_id, ts, clock, out),
            MessageType::DelayReq => self.slave.delay_req_sent(token.sequence_id, ts),
            MessageType::PdelayReq => self.peer.request_sent(token.sequence_id, ts),
            MessageType::PdelayResp => self.pdelay_resp_sent(token.sequence_id, ts, clock, out),
            _ => {}
        }
    }
}
