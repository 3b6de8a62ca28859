//! The clock: owns the ports, the datasets, the BMCA and the servo, and is the engine's one
//! entry point for a driver (DESIGN.md, "The engine boundary").
//!
//! # Driving a clock
//! Feed it:
//! - [`Clock::handle_receive`] for every received PTP message, with its receive timestamp;
//! - [`Clock::handle_tx_timestamp`] (or [`Clock::handle_tx_timestamp_missing`]) for every
//!   [`Transmit`] that carried a [`TxToken`];
//! - [`Clock::handle_timeout`] when the time from [`Clock::poll_timeout`] has come;
//! - [`Clock::handle_link`] when a link goes down or up.
//!
//! After each call drain, in any order: [`Clock::poll_transmit`] (send these),
//! [`Clock::poll_action`] (apply these to the disciplined clock) and [`Clock::poll_event`] (log
//! or count these), then ask [`Clock::poll_timeout`] for the next deadline. The clock never
//! reads a clock itself: `now` is the driver's monotonic time and every timestamp is a
//! reading of the disciplined clock.

use std::collections::VecDeque;

use ptp_wire::{ClockIdentity, Message, MessageBody, MessageType, PortAddress, PortIdentity};

use crate::bmca::Bmca;
use crate::config::{ClockConfig, PortConfig};
use crate::datasets::{CurrentDs, DefaultDs, ParentDs, TimePropertiesDs};
use crate::event::{DropReason, Event, PortNumber};
use crate::fsm::PortFsm;
use crate::port::{ClockView, Outputs, Port, Sample};
use crate::state::{FaultType, FsmEvent, PortState};
use crate::sync::Synchronization;
use crate::time::{ClockTime, Instant};
use crate::transmit::{ClockAction, Transmit, TxToken};

/// Port number 0: the UDS management port (linuxptp numbers it so). A [`Transmit`] on it
/// goes to the last client of the read-write UDS socket.
pub const UDS_PORT: PortNumber = 0;

/// Why a clock could not be built.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ClockError {
    #[error("no ports configured")]
    NoPorts,
    #[error("{0}")]
    Servo(String),
    /// linuxptp's text for `BMCA noop` without serverOnly or clientOnly.
    #[error("{0}")]
    Fsm(crate::fsm::NoopWithoutRole),
}

/// A PTP ordinary or boundary clock.
#[derive(Debug)]
pub struct Clock {
    cfg: ClockConfig,
    default_ds: DefaultDs,
    current_ds: CurrentDs,
    parent_ds: ParentDs,
    time_properties_ds: TimePropertiesDs,
    ports: Vec<Port>,
    bmca: Bmca,
    sync: Synchronization,
    out: Outputs,
    actions: VecDeque<ClockAction>,
    /// Receive time of the last Sync from the parent fed to the servo (TIME_STATUS_NP
    /// ingress_time).
    last_sync_ingress: Option<ClockTime>,
}

impl Clock {
    /// Build a clock from a linuxptp configuration: one port per interface, in order.
    pub fn from_config(
        cfg: &ptp_config::Config,
        clock_identity: ClockIdentity,
        now: Instant,
    ) -> Result<Self, ClockError> {
        Self::from_config_with(cfg, clock_identity, crate::sync::DEFAULT_MAX_FREQUENCY_PPB, 0.0, now)
    }

    /// As [`Clock::from_config`] for a disciplined clock with its own adjustment limit and
    /// current frequency (see [`Synchronization::from_config_with`]).
    pub fn from_config_with(
        cfg: &ptp_config::Config,
        clock_identity: ClockIdentity,
        max_freq_ppb: i32,
        initial_freq_ppb: f64,
        now: Instant,
    ) -> Result<Self, ClockError> {
        let clock = ClockConfig::from_config(cfg, clock_identity);
        let ports = cfg.interfaces().iter().map(|i| PortConfig::from_config(cfg, i.name())).collect();
        let sync = Synchronization::from_config_with(cfg, &clock, max_freq_ppb, initial_freq_ppb)
            .map_err(ClockError::Servo)?;
        Self::new(clock, ports, sync, now)
    }

    /// Build a clock from typed settings (tests and the simulator).
    pub fn new(
        cfg: ClockConfig,
        ports: Vec<PortConfig>,
        sync: Synchronization,
        now: Instant,
    ) -> Result<Self, ClockError> {
        if ports.is_empty() {
            return Err(ClockError::NoPorts);
        }
        let number_ports = u16::try_from(ports.len()).unwrap_or(u16::MAX);
        // A slave-only clock announces clockClass 255 whatever is configured (IEEE 1588-2019
        // 7.6.2.5; linuxptp `clock_create`).
        let mut cfg = cfg;
        if cfg.slave_only {
            cfg.clock_quality.clock_class = 255;
        }
        let default_ds = DefaultDs {
            two_step_flag: cfg.two_step,
            slave_only: cfg.slave_only,
            number_ports,
            priority1: cfg.priority1,
            clock_quality: cfg.clock_quality,
            priority2: cfg.priority2,
            clock_identity: cfg.clock_identity,
            domain_number: cfg.domain_number,
            local_priority: cfg.local_priority,
        };
        let seed = u64::from_be_bytes(cfg.clock_identity.0);
        let mut built = Vec::with_capacity(ports.len());
        for (i, pc) in ports.into_iter().enumerate() {
            let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
            let identity = PortIdentity { clock_identity: cfg.clock_identity, port_number: number };
            let fsm = PortFsm::select(pc.bmca, pc.master_only, cfg.slave_only).map_err(ClockError::Fsm)?;
            built.push(Port::new(number, pc, identity, fsm, seed));
        }
        let ports = built;
        let bmca = Bmca::new(&cfg, &ports);
        // The local clock's timescale follows the configuration; a disciplined system clock
        // starts with no leap second armed in the kernel (linuxptp `clock_create`).
        let mut sync = sync;
        let utc = crate::utc::UtcCorrection::new(&cfg);
        let actions: VecDeque<ClockAction> = utc.start_action().into_iter().collect();
        sync.set_utc_correction(utc);
        let mut clock = Clock {
            parent_ds: crate::port::msg::grandmaster_parent(
                &default_ds,
                PortIdentity { clock_identity: cfg.clock_identity, port_number: 0 },
            ),
            time_properties_ds: local_time_properties(&cfg),
            current_ds: CurrentDs::default(),
            default_ds,
            cfg,
            ports,
            bmca,
            sync,
            out: Outputs::default(),
            actions,
            last_sync_ingress: None,
        };
        for i in 0..clock.ports.len() {
            let n = u16::try_from(i + 1).unwrap_or(u16::MAX);
            clock.out.fsm.push_back((n, FsmEvent::InitComplete));
        }
        clock.process(now);
        Ok(clock)
    }

    pub fn default_ds(&self) -> &DefaultDs {
        &self.default_ds
    }
    pub fn current_ds(&self) -> &CurrentDs {
        &self.current_ds
    }
    pub fn parent_ds(&self) -> &ParentDs {
        &self.parent_ds
    }
    pub fn time_properties_ds(&self) -> &TimePropertiesDs {
        &self.time_properties_ds
    }
    pub fn ports(&self) -> &[Port] {
        &self.ports
    }
    pub fn port(&self, n: PortNumber) -> Option<&Port> {
        self.ports.get(usize::from(n).wrapping_sub(1))
    }
    pub fn config(&self) -> &ClockConfig {
        &self.cfg
    }
    pub fn synchronization(&self) -> &Synchronization {
        &self.sync
    }
    /// Receive time of the last Sync from the parent that reached the servo.
    pub fn last_sync_ingress(&self) -> Option<ClockTime> {
        self.last_sync_ingress
    }

    /// Answer a management request (GET; SET and COMMAND are refused for now) received on the
    /// UDS port; `from_uds_rw` says it came from the read-write socket. Returns the responses
    /// to send back to the requester (see [`crate::management`]).
    ///
    /// A request from the read-write socket with boundaryHops above zero is also forwarded
    /// out of every network port in a forwarding state (IEEE 1588-2019 15.3.3; linuxptp
    /// `clock_forward_mgmt_msg`; the read-only socket never forwards): the copies come out of
    /// [`Clock::poll_transmit`], and the answers of other clocks come back through
    /// [`Clock::handle_receive`] and are forwarded to the UDS client as transmits on port 0.
    pub fn handle_management(&mut self, request: &Message, from_uds_rw: bool, now: Instant) -> Vec<Message> {
        if from_uds_rw {
            self.forward_management(UDS_PORT, request);
        }
        let origin = crate::management::Origin::Uds { read_write: from_uds_rw };
        let responses = crate::management::respond(self, request, origin, now);
        self.process(now);
        responses
    }

    /// A management message that arrived on network port `port`: forward it (boundary
    /// clock), then apply it here and send the answers back out of the same port
    /// (linuxptp `clock_manage`).
    fn manage_from_port(&mut self, port: PortNumber, m: &Message, now: Instant) {
        self.forward_management(port, m);
        let origin = crate::management::Origin::Port(port);
        for rsp in crate::management::respond(self, m, origin, now) {
            let Ok(bytes) = rsp.to_bytes() else { continue };
            if let Some(p) = self.ports.get_mut(usize::from(port).wrapping_sub(1)) {
                p.send_general_bytes(&mut self.out, MessageType::Management, bytes);
            }
        }
    }

    /// Forward management message `m`, received on `ingress` ([`UDS_PORT`] for the UDS),
    /// with boundaryHops decremented, out of every other port in a forwarding state and to
    /// the UDS client (linuxptp `clock_forward_mgmt_msg`; IEEE 1588-2019 15.3.3).
    fn forward_management(&mut self, ingress: PortNumber, m: &Message) {
        let MessageBody::Management(mgmt) = &m.body else { return };
        let forwarding = |s: PortState| {
            matches!(
                s,
                PortState::Master
                    | PortState::GrandMaster
                    | PortState::Slave
                    | PortState::Uncalibrated
                    | PortState::PreMaster
            )
        };
        let ingress_forwards = ingress == UDS_PORT || self.port(ingress).is_some_and(|p| forwarding(p.state()));
        if !ingress_forwards || mgmt.boundary_hops == 0 {
            return;
        }
        let mut copy = m.clone();
        if let MessageBody::Management(c) = &mut copy.body {
            c.boundary_hops -= 1;
        }
        let Ok(bytes) = copy.to_bytes() else { return };
        for p in &mut self.ports {
            if p.number() != ingress && forwarding(p.state()) {
                p.send_general_bytes(&mut self.out, MessageType::Management, bytes.clone());
            }
        }
        if ingress != UDS_PORT {
            self.out.transmits.push_back(Transmit {
                port: UDS_PORT,
                destination: crate::transmit::Destination::Multicast,
                event: false,
                bytes,
                tx_token: None,
                one_step: false,
            });
        }
    }

    fn port_mut(&mut self, n: PortNumber) -> Option<&mut Port> {
        self.ports.get_mut(usize::from(n).wrapping_sub(1))
    }

    /// A received message on port `port` with its receive timestamp (`None` when the driver
    /// has none; event messages without one are dropped).
    pub fn handle_receive(&mut self, port: PortNumber, bytes: &[u8], rx: Option<ClockTime>, now: Instant) {
        self.handle_receive_from(port, bytes, rx, None, now);
    }

    /// As [`Clock::handle_receive`], with the sender's address, which the clock uses for
    /// unicast replies and `hybrid_e2e` ([`crate::transmit::Destination::Unicast`]).
    pub fn handle_receive_from(
        &mut self,
        port: PortNumber,
        bytes: &[u8],
        rx: Option<ClockTime>,
        from: Option<PortAddress>,
        now: Instant,
    ) {
        let Some(idx) = usize::from(port).checked_sub(1).filter(|i| *i < self.ports.len()) else { return };
        let m = match Message::parse(bytes) {
            Ok(m) => m,
            Err(e) => {
                self.drop_on(idx, DropReason::Malformed(e));
                return;
            }
        };
        let h = &m.header;
        if h.domain_number != self.default_ds.domain_number {
            self.drop_on(idx, DropReason::WrongDomain);
            return;
        }
        let sdo = self.ports.get(idx).map_or(0, |p| p.cfg.transport_specific);
        if !self.cfg.ignore_transport_specific && h.major_sdo_id != sdo {
            self.drop_on(idx, DropReason::WrongSdoId);
            return;
        }
        if h.source_port_identity.clock_identity == self.default_ds.clock_identity {
            self.drop_on(idx, DropReason::OwnMessage);
            return;
        }
        let view = view(&self.default_ds, &self.current_ds, &self.parent_ds, &self.time_properties_ds, &self.cfg);
        if let Some(p) = self.ports.get_mut(idx) {
            p.handle_message(&m, rx, from.as_ref(), now, &view, &mut self.out);
        }
        self.process(now);
    }

    fn drop_on(&mut self, idx: usize, reason: DropReason) {
        if let Some(p) = self.ports.get_mut(idx) {
            p.counters.count_drop(&reason);
            self.out.events.push_back(Event::Dropped { port: p.number(), reason });
        }
    }

    /// The transmit timestamp of a message sent with a [`TxToken`].
    pub fn handle_tx_timestamp(&mut self, token: TxToken, ts: ClockTime, now: Instant) {
        let view = view(&self.default_ds, &self.current_ds, &self.parent_ds, &self.time_properties_ds, &self.cfg);
        let n = token.port();
        if let Some(p) = self.ports.get_mut(usize::from(n).wrapping_sub(1)) {
            p.handle_tx_timestamp(token, ts, &view, &mut self.out);
        }
        self.process(now);
    }

    /// The driver got no transmit timestamp for a message (`tx_timestamp_timeout`): the port
    /// goes FAULTY, as in linuxptp.
    pub fn handle_tx_timestamp_missing(&mut self, token: TxToken, now: Instant) {
        self.out.events.push_back(Event::SendFailed { port: token.port(), message_type: token.message_type() });
        self.fault(token.port(), FaultType::Unspecified, now);
    }

    /// A port fault reported by the driver (send failure, socket error).
    pub fn fault(&mut self, port: PortNumber, fault: FaultType, now: Instant) {
        if let Some(p) = self.port_mut(port) {
            p.set_fault(fault);
            self.out.fsm.push_back((port, FsmEvent::FaultDetected));
        }
        self.process(now);
    }

    /// The driver switched the disciplined clock as [`ClockAction::SwitchPhc`] asked: the
    /// new clock's adjustment limit and current frequency. The servo starts over on it
    /// (linuxptp `clock_switch_phc`). Fails only for a clock whose servo was not built from a
    /// configuration; the driver then faults the port as for a PHC it could not open.
    pub fn phc_switched(&mut self, max_freq_ppb: i32, current_freq_ppb: f64) -> Result<(), String> {
        self.sync.replace_servo(max_freq_ppb, current_freq_ppb)
    }

    /// Link monitoring: down moves the port to FAULTY, up re-initialises it (linuxptp
    /// `port_link_status`).
    pub fn handle_link(&mut self, port: PortNumber, up: bool, now: Instant) {
        let Some(p) = self.port_mut(port) else { return };
        if p.link_up() == up {
            return;
        }
        p.set_link(up);
        self.out.events.push_back(Event::Link { port, up });
        let ev = if up { FsmEvent::FaultCleared } else { FsmEvent::FaultDetected };
        if !up {
            if let Some(p) = self.port_mut(port) {
                p.set_fault(FaultType::Unspecified);
            }
        }
        self.out.fsm.push_back((port, ev));
        self.out.state_decision = true;
        self.process(now);
    }

    /// Run every timer that expired up to `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let view = view(&self.default_ds, &self.current_ds, &self.parent_ds, &self.time_properties_ds, &self.cfg);
        for p in &mut self.ports {
            p.handle_timeout(now, &view, &mut self.out);
        }
        self.bmca.handle_timeout(now, &mut self.out);
        self.process(now);
    }

    /// Change defaultDS.priority1 (management SET PRIORITY1): re-runs the state decision, as
    /// linuxptp does.
    pub fn set_priority1(&mut self, priority1: u8, now: Instant) {
        self.default_ds.priority1 = priority1;
        self.defaults_changed(now);
    }

    /// Change defaultDS.priority2 (management SET PRIORITY2).
    pub fn set_priority2(&mut self, priority2: u8, now: Instant) {
        self.default_ds.priority2 = priority2;
        self.defaults_changed(now);
    }

    /// Change defaultDS.clockQuality (GRANDMASTER_SETTINGS_NP, or a simulated reference loss).
    pub fn set_clock_quality(&mut self, q: ptp_wire::ClockQuality, now: Instant) {
        self.default_ds.clock_quality = q;
        self.defaults_changed(now);
    }

    fn defaults_changed(&mut self, now: Instant) {
        if self.bmca.parent_port().is_none() {
            self.parent_ds = crate::port::msg::grandmaster_parent(
                &self.default_ds,
                PortIdentity { clock_identity: self.default_ds.clock_identity, port_number: 0 },
            );
        }
        self.out.state_decision = true;
        self.process(now);
    }

    /// The next time [`Clock::handle_timeout`] must be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let ports = self.ports.iter().filter_map(Port::next_deadline);
        ports.chain(self.bmca.next_deadline()).min()
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.out.transmits.pop_front()
    }

    pub fn poll_action(&mut self) -> Option<ClockAction> {
        self.actions.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.out.events.pop_front()
    }

    /// Work through what the ports produced until nothing is left: foreign master records,
    /// state decisions, state machine events and timing samples.
    fn process(&mut self, now: Instant) {
        for _ in 0..64 {
            if let Some((port, m, at)) = self.out.announces.pop_front() {
                self.bmca.handle_announce(port, &m, at, &self.default_ds, &mut self.ports, &mut self.out);
                continue;
            }
            if let Some((port, ev)) = self.out.fsm.pop_front() {
                self.dispatch(port, ev, false, now);
                continue;
            }
            if std::mem::take(&mut self.out.state_decision) {
                self.state_decision(now);
                continue;
            }
            if let Some((port, s)) = self.out.samples.pop_front() {
                self.handle_sample(port, s, now);
                continue;
            }
            if let Some((port, m)) = self.out.management.pop_front() {
                self.manage_from_port(port, &m, now);
                continue;
            }
            break;
        }
    }

    /// Feed one event to a port's state machine (linuxptp `port_dispatch`); `new_master`
    /// says the best master just changed (a SLAVE port then recalibrates).
    fn dispatch(&mut self, port: PortNumber, ev: FsmEvent, new_master: bool, now: Instant) {
        let Some(p) = self.ports.get_mut(usize::from(port).wrapping_sub(1)) else { return };
        let prev = p.state();
        let asap = p.cfg.fault_reset_interval.is_none();
        // linuxptp `port_state_update`: a step into INITIALIZING goes on to LISTENING on
        // INIT_COMPLETE, and FAULTY with `fault_reset_interval ASAP` clears at once.
        let t = p.fsm().update(prev, ev, new_master, asap, true);
        if t.fault_cleared_immediately {
            self.out.events.push_back(Event::ClearingFaultImmediately { port });
        }
        p.set_state(t.next, t.event, now, &mut self.out);
        let next = t.next;
        if t.reinitialized || matches!(next, PortState::Faulty | PortState::Disabled) {
            self.bmca.port_disabled(port);
        }
        if prev != next {
            if next.is_slave() && !prev.is_slave() {
                self.sync.reset_port(port);
            }
            // linuxptp `bc_dispatch`: a jbod port that starts calibrating brings its PHC.
            if next == PortState::Uncalibrated && p.cfg.jbod {
                self.actions.push_back(ClockAction::SwitchPhc { port });
            }
            if matches!(next, PortState::Listening | PortState::Faulty | PortState::Disabled)
                && self.bmca.parent_port() == Some(port)
            {
                self.out.state_decision = true;
            }
        }
    }

    /// The state decision algorithm across all ports (IEEE 1588-2019 9.3.3; linuxptp
    /// `handle_state_decision_event`): choose Ebest, update the datasets, and recommend a
    /// state to every port.
    fn state_decision(&mut self, now: Instant) {
        let decision = self.bmca.decide(&self.default_ds, &self.ports, now);
        if let Some(ev) = decision.selected {
            self.out.events.push_back(ev);
        }
        if decision.best_changed {
            self.sync.reset_all();
        }
        match decision.parent {
            Some(parent) => {
                self.parent_ds = parent.parent_ds;
                self.current_ds.steps_removed = parent.steps_removed;
                self.update_time_properties(parent.time_properties);
            }
            None => {
                self.parent_ds = crate::port::msg::grandmaster_parent(
                    &self.default_ds,
                    PortIdentity { clock_identity: self.default_ds.clock_identity, port_number: 0 },
                );
                self.current_ds = CurrentDs::default();
                self.time_properties_ds = local_time_properties(&self.cfg);
            }
        }
        for ev in decision.warnings {
            self.out.events.push_back(ev);
        }
        for (port, rs) in decision.recommendations {
            if let Some(ev) = rs {
                if ev == FsmEvent::RsGrandMaster {
                    self.out.events.push_back(Event::AssumingGrandMaster { port });
                }
                self.dispatch(port, ev, decision.best_changed, now);
            }
        }
    }

    fn update_time_properties(&mut self, tp: TimePropertiesDs) {
        use crate::event::LeapChange;
        let old = self.time_properties_ds;
        if (old.leap61, old.leap59) != (tp.leap61, tp.leap59) {
            let change = if tp.leap61 {
                LeapChange::Insert
            } else if tp.leap59 {
                LeapChange::Delete
            } else {
                LeapChange::None
            };
            self.out.events.push_back(Event::UpdatingLeap(change));
        }
        if old.current_utc_offset != tp.current_utc_offset {
            self.out.events.push_back(Event::UpdatingUtcOffset(i32::from(tp.current_utc_offset)));
        }
        self.time_properties_ds = tp;
    }

    fn handle_sample(&mut self, port: PortNumber, s: Sample, now: Instant) {
        let is_parent_port = self.bmca.parent_port() == Some(port);
        let result = match s {
            Sample::Sync(t) if is_parent_port => {
                self.last_sync_ingress = Some(t.t2);
                let delay = match self.port(port).and_then(Port::peer_mean_path_delay) {
                    Some(peer) => peer,
                    None => self.sync.mean_path_delay(),
                };
                self.sync.sync_sample(port, t, delay, &self.time_properties_ds, now)
            }
            Sample::Delay { t3, t4c } if is_parent_port => self.sync.delay_sample(port, t3, t4c),
            Sample::PeerDelay(pd) => {
                if let Some((d, ev)) = self.sync.peer_delay_sample(port, pd) {
                    self.out.events.push_back(ev);
                    if let Some(p) = self.port_mut(port) {
                        p.peer.mean_link_delay = Some(d);
                    }
                }
                return;
            }
            _ => return,
        };
        if let Some(offset) = result.offset {
            self.current_ds.offset_from_master = offset;
        }
        self.current_ds.mean_path_delay = result.mean_path_delay;
        self.out.events.extend(result.events);
        self.actions.extend(result.actions);
        if let Some(ev) = result.fsm {
            self.out.fsm.push_back((port, ev));
        }
        self.process(now);
    }
}

fn view<'a>(
    default_ds: &'a DefaultDs,
    current_ds: &'a CurrentDs,
    parent_ds: &'a ParentDs,
    time_properties_ds: &'a TimePropertiesDs,
    cfg: &ClockConfig,
) -> ClockView<'a> {
    ClockView { default_ds, current_ds, parent_ds, time_properties_ds, minor_version_ptp: cfg.ptp_minor_version }
}

/// timePropertiesDS of a clock that is its own grandmaster (linuxptp `clock_update_grandmaster`
/// with the configured utc_offset and timeSource). ptpTimescale is set for a PHC and clear for
/// the system clock (software or legacy timestamping: a UTC-timescale clock,
/// [`crate::utc::is_utc_timescale`]), as linuxptp announces it.
fn local_time_properties(cfg: &ClockConfig) -> TimePropertiesDs {
    TimePropertiesDs {
        current_utc_offset: cfg.utc_offset,
        ptp_timescale: !crate::utc::is_utc_timescale(cfg.time_stamping),
        time_source: cfg.time_source,
        ..TimePropertiesDs::default()
    }
}
