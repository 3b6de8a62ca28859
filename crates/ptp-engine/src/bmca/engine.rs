//! [`ClockBmca`] wired to the engine's [`Clock`](crate::clock::Clock): it takes the ports'
//! received Announce messages from [`Outputs::announces`], reports `new foreign master` and
//! state decision events through [`Outputs`], and turns each state decision into the events and
//! dataset updates the clock applies ([`Decision`]).
//!
//! What the clock has to do around it (linuxptp clock.c and port.c):
//! - run [`Bmca::decide`] whenever [`Outputs::state_decision`] is set;
//! - dispatch each recommendation's event with [`Decision::best_changed`] as the state
//!   machine's new-master flag ([`crate::fsm::PortFsm::next`]);
//! - call [`Bmca::port_disabled`] when a port enters FAULTY or DISABLED or is initialized
//!   again (linuxptp `port_disable` frees the foreign masters); [`Bmca::decide`] also clears
//!   the records of ports it finds in those states.

use ptp_wire::{Message, PortIdentity};

use super::clock_bmca::{ClockBmca, ParentUpdate, PortStatus};
use super::dataset_comparison::Comparator;
use super::foreign_master::{AnnounceOutcome, ForeignMasterSettings, ReceivedAnnounce};
use crate::config::ClockConfig;
use crate::datasets::{DefaultDs, ParentDs, TimePropertiesDs};
use crate::event::{Event, PortNumber};
use crate::port::{Outputs, Port};
use crate::state::{FsmEvent, PortState};
use crate::time::Instant;

/// The datasets of a clock whose parent is a foreign master (linuxptp `clock_update_slave`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Parent {
    pub parent_ds: ParentDs,
    /// currentDS.stepsRemoved.
    pub steps_removed: u16,
    pub time_properties: TimePropertiesDs,
}

/// One state decision event, ready for the clock.
#[derive(Clone, PartialEq, Debug)]
pub struct Decision {
    /// `selected local clock %s as best master` / `selected best master clock %s`, when the
    /// best master changed.
    pub selected: Option<Event>,
    /// The best master changed (linuxptp `fresh_best`): reset the synchronization and pass
    /// "new master" to the state machines.
    pub best_changed: bool,
    /// The clock's parent after the decision: `Some` when it follows a foreign master, `None`
    /// when it is its own grandmaster (linuxptp `clock_update_grandmaster`). When no port was
    /// recommended SLAVE or GRAND_MASTER, linuxptp leaves the datasets alone; this then
    /// repeats the parent the clock already has.
    pub parent: Option<Parent>,
    /// Per port, the event to dispatch (`None` for a port that stays LISTENING).
    pub recommendations: Vec<(PortNumber, Option<FsmEvent>)>,
    /// Warnings to log: `master state recommended in slave only mode`, `foreign master not
    /// using PTP timescale`, `running in a temporal vortex`.
    pub warnings: Vec<Event>,
}

/// The clock's BMCA (see the module documentation).
#[derive(Clone, Debug)]
pub struct Bmca {
    core: ClockBmca,
    /// `utc_offset` of the configuration, for the temporal vortex warning.
    utc_offset: i16,
    /// The parent the clock was last given (`None`: its own grandmaster).
    current: Option<Parent>,
}

impl Bmca {
    /// The BMCA of a clock with these ports (port n at index n - 1).
    ///
    /// `G.8275.portDS.localPriority` and `clock_class_threshold` are not in the engine's
    /// configuration yet; linuxptp's defaults (128, 248) are used.
    pub fn new(cfg: &ClockConfig, ports: &[Port]) -> Self {
        let settings = ports.iter().map(|p| ForeignMasterSettings {
            master_only: p.cfg.master_only,
            max_steps_removed: cfg.max_steps_removed,
            ..ForeignMasterSettings::new(p.identity())
        });
        Bmca {
            core: ClockBmca::new(Comparator::from(cfg.dataset_comparison), settings),
            utc_offset: cfg.utc_offset,
            current: None,
        }
    }

    /// The algorithm underneath: records, best master.
    pub fn core(&self) -> &ClockBmca {
        &self.core
    }

    /// An Announce received on `port` at `at` (linuxptp `process_announce`).
    pub fn handle_announce(
        &mut self,
        port: PortNumber,
        m: &Message,
        at: Instant,
        _default_ds: &DefaultDs,
        ports: &mut [Port],
        out: &mut Outputs,
    ) {
        let Some(p) = ports.get_mut(usize::from(port).wrapping_sub(1)) else { return };
        let Some(m) = ReceivedAnnounce::from_message(m, at) else { return };
        let state = p.state();
        let Some(outcome) = self.core.handle_announce(port, state, m) else { return };
        match outcome {
            AnnounceOutcome::NewForeignMaster => {
                out.events.push_back(Event::NewForeignMaster { port, identity: m.sender() });
            }
            AnnounceOutcome::FromCurrentMaster { .. } => {
                p.restart_announce_receipt(at);
                // linuxptp takes the time properties from every Announce of the parent
                // (`clock_update_time_properties`) unless the port is PASSIVE. The clock
                // applies them with the next decision, so ask for one when they change.
                if state != PortState::Passive {
                    if let Some(current) = &mut self.current {
                        let tp = m.time_properties();
                        if current.time_properties != tp {
                            current.time_properties = tp;
                            out.state_decision = true;
                        }
                    }
                }
            }
            AnnounceOutcome::Ignored(_) | AnnounceOutcome::Recorded { .. } => {}
        }
        if outcome.state_decision_event() {
            out.state_decision = true;
        }
    }

    /// After the ports' timers ran: a port whose announce (or sync) receipt timer expired
    /// forgets its Erbest's messages (linuxptp `bc_event`, `fc_clear(p->best)`).
    pub fn handle_timeout(&mut self, _now: Instant, out: &mut Outputs) {
        for (port, event) in &out.fsm {
            if *event == FsmEvent::AnnounceReceiptTimeoutExpires {
                self.core.announce_receipt_timeout(*port);
            }
        }
    }

    /// The BMCA has no timers of its own.
    pub fn next_deadline(&self) -> Option<Instant> {
        None
    }

    /// The port the clock's parent is on.
    pub fn parent_port(&self) -> Option<PortNumber> {
        self.core.parent_port()
    }

    /// `port` was disabled, became faulty or is initialized again: forget its records.
    pub fn port_disabled(&mut self, port: PortNumber) {
        self.core.port_disabled(port);
    }

    /// A state decision event (linuxptp `handle_state_decision_event`).
    pub fn decide(&mut self, default_ds: &DefaultDs, ports: &[Port], now: Instant) -> Decision {
        for p in ports {
            if matches!(p.state(), PortState::Initializing | PortState::Faulty | PortState::Disabled) {
                self.core.port_disabled(p.number());
            }
        }
        let statuses: Vec<PortStatus> =
            ports.iter().map(|p| PortStatus { state: p.state(), bmca: p.cfg.bmca }).collect();
        let d = self.core.decide(default_ds, &statuses, now);

        let mut warnings = Vec::new();
        for (port, rs) in &d.recommendations {
            if rs.warn_master_in_slave_only {
                warnings.push(Event::MasterRecommendedInSlaveOnly { port: *port });
            }
        }
        let parent = match d.parent {
            ParentUpdate::Unchanged => self.current,
            ParentUpdate::Grandmaster => None,
            ParentUpdate::Slave(sp) => {
                if !sp.time_properties.ptp_timescale {
                    warnings.push(Event::ForeignMasterNotPtpTimescale);
                }
                if sp.time_properties.current_utc_offset < self.utc_offset {
                    warnings.push(Event::TemporalVortex);
                }
                let own = PortIdentity { clock_identity: default_ds.clock_identity, port_number: 0 };
                let base = crate::port::msg::grandmaster_parent(default_ds, own);
                Some(Parent {
                    parent_ds: sp.parent_ds(&base),
                    steps_removed: sp.steps_removed,
                    time_properties: sp.time_properties,
                })
            }
        };
        self.current = parent;

        Decision {
            selected: d.selected_event(default_ds.clock_identity),
            best_changed: d.best_changed,
            parent,
            recommendations: d
                .recommendations
                .iter()
                .map(|(port, rs)| (*port, (rs.event != FsmEvent::None).then_some(rs.event)))
                .collect(),
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ptp_config::Config;
    use ptp_wire::{Announce, ClockAccuracy, ClockIdentity, ClockQuality, FlagField, Header, MessageBody, MessageType};

    use crate::config::PortConfig;

    fn cid(n: u8) -> ClockIdentity {
        ClockIdentity([0x00, 0x1b, 0x21, 0xff, 0xfe, 0x00, 0x00, n])
    }

    fn setup() -> (ClockConfig, Vec<Port>, DefaultDs) {
        let mut cfg = Config::new();
        cfg.add_interface("eth0");
        let clock = ClockConfig::from_config(&cfg, cid(0x50));
        let identity = PortIdentity { clock_identity: cid(0x50), port_number: 1 };
        let mut port = Port::new(1, PortConfig::from_config(&cfg, "eth0"), identity, crate::fsm::PortFsm::Ptp, 1);
        port.set_state(PortState::Listening, FsmEvent::InitComplete, Instant::ZERO, &mut Outputs::default());
        let dds = DefaultDs {
            priority1: clock.priority1,
            priority2: clock.priority2,
            clock_quality: clock.clock_quality,
            clock_identity: clock.clock_identity,
            local_priority: clock.local_priority,
            number_ports: 1,
            ..DefaultDs::default()
        };
        (clock, vec![port], dds)
    }

    fn announce(utc_offset: i16, flags: u16) -> Message {
        let mut h = Header::new(MessageType::Announce);
        h.source_port_identity = PortIdentity { clock_identity: cid(1), port_number: 1 };
        h.log_message_interval = 1;
        h.flag_field = FlagField(flags);
        let body = Announce {
            current_utc_offset: utc_offset,
            grandmaster_priority1: 128,
            grandmaster_identity: cid(1),
            grandmaster_clock_quality: ClockQuality {
                clock_class: 6,
                clock_accuracy: ClockAccuracy::NS_100,
                offset_scaled_log_variance: 0x4e5d,
            },
            grandmaster_priority2: 128,
            ..Announce::default()
        };
        Message { header: h, body: MessageBody::Announce(body), tlvs: Vec::new() }
    }

    #[test]
    fn announces_qualify_and_the_clock_follows_the_foreign_master() {
        let (cfg, mut ports, dds) = setup();
        let mut bmca = Bmca::new(&cfg, &ports);
        let mut out = Outputs::default();
        assert_eq!(bmca.next_deadline(), None);

        bmca.handle_announce(1, &announce(37, 0x0c), Instant::from_secs(0), &dds, &mut ports, &mut out);
        let sender = PortIdentity { clock_identity: cid(1), port_number: 1 };
        assert_eq!(out.events.pop_front(), Some(Event::NewForeignMaster { port: 1, identity: sender }));
        assert!(!out.state_decision);
        bmca.handle_announce(1, &announce(37, 0x0c), Instant::from_secs(2), &dds, &mut ports, &mut out);
        assert!(!out.state_decision);
        bmca.handle_announce(1, &announce(37, 0x0c), Instant::from_secs(4), &dds, &mut ports, &mut out);
        assert!(out.state_decision);
        out.state_decision = false;

        let d = bmca.decide(&dds, &ports, Instant::from_secs(4));
        assert_eq!(d.selected, Some(Event::SelectedBestMaster { identity: cid(1) }));
        assert!(d.best_changed);
        assert_eq!(d.recommendations, [(1, Some(FsmEvent::RsSlave))]);
        assert!(d.warnings.is_empty());
        let parent = d.parent.expect("slave parent");
        assert_eq!(parent.parent_ds.parent_port_identity, sender);
        assert_eq!(parent.parent_ds.observed_parent_offset_scaled_log_variance, 0xffff);
        assert_eq!(parent.steps_removed, 1);
        assert_eq!(parent.time_properties.current_utc_offset, 37);
        assert_eq!(bmca.parent_port(), Some(1));

        // SLAVE: the parent's Announces restart the receipt timer; a change of the time
        // properties asks for a decision that carries them.
        ports[0].set_state(PortState::Uncalibrated, FsmEvent::RsSlave, Instant::from_secs(4), &mut out);
        bmca.handle_announce(1, &announce(37, 0x0c), Instant::from_secs(6), &dds, &mut ports, &mut out);
        assert!(!out.state_decision);
        bmca.handle_announce(1, &announce(37, 0x0d), Instant::from_secs(8), &dds, &mut ports, &mut out);
        assert!(out.state_decision);
        let d = bmca.decide(&dds, &ports, Instant::from_secs(8));
        assert!(!d.best_changed && d.selected.is_none());
        assert!(d.parent.is_some_and(|p| p.time_properties.leap61));
    }

    #[test]
    fn warnings_of_a_slave_update() {
        let (cfg, mut ports, dds) = setup();
        let mut bmca = Bmca::new(&cfg, &ports);
        let mut out = Outputs::default();
        // No ptpTimescale flag and a UTC offset below the configured one.
        for t in [0, 2, 4] {
            bmca.handle_announce(1, &announce(10, 0), Instant::from_secs(t), &dds, &mut ports, &mut out);
        }
        let d = bmca.decide(&dds, &ports, Instant::from_secs(4));
        assert_eq!(d.warnings, [Event::ForeignMasterNotPtpTimescale, Event::TemporalVortex]);
    }

    #[test]
    fn timeouts_and_faults_clear_records() {
        let (cfg, mut ports, dds) = setup();
        let mut bmca = Bmca::new(&cfg, &ports);
        let mut out = Outputs::default();
        for t in [0, 2, 4] {
            bmca.handle_announce(1, &announce(37, 0x0c), Instant::from_secs(t), &dds, &mut ports, &mut out);
        }
        bmca.decide(&dds, &ports, Instant::from_secs(4));
        out.fsm.push_back((1, FsmEvent::AnnounceReceiptTimeoutExpires));
        bmca.handle_timeout(Instant::from_secs(10), &mut out);
        assert_eq!(out.fsm.len(), 1, "the queue is left for the clock");
        assert!(bmca.core().ebest().is_some_and(|r| r.message_count() == 0));

        ports[0].set_state(PortState::Faulty, FsmEvent::FaultDetected, Instant::from_secs(10), &mut out);
        let d = bmca.decide(&dds, &ports, Instant::from_secs(10));
        assert!(bmca.core().port(1).is_some_and(|p| p.records().count() == 0));
        // As in linuxptp, a FAULTY port without Erbest gets M2 (its state machine ignores it).
        assert_eq!(d.recommendations, [(1, Some(FsmEvent::RsGrandMaster))]);
        assert_eq!(d.selected, Some(Event::SelectedLocalClock { identity: cid(0x50) }));
        assert!(d.parent.is_none());
    }
}
