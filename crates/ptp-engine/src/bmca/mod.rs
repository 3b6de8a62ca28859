//! The best master clock algorithm (IEEE 1588-2019 9.3), in the pieces the standard names and
//! with linuxptp's behaviour (bmc.c, telecom.c, and the foreign master handling of port.c and
//! clock.c):
//!
//! - [`dataset_comparison`]: the data set comparison (9.3.4, Figures 34 and 35) and the
//!   [`Comparator`] chosen by `dataset_comparison`; [`telecom`]: the G.8275.x alternate.
//! - [`foreign_master`]: each port's foreign master records (9.3.2.4, 9.3.2.5), their
//!   qualification and the port's best record, Erbest.
//! - [`state_decision`](mod@state_decision): Ebest across the ports and the state decision algorithm (9.3.3,
//!   Figure 33) with the event linuxptp dispatches for each recommendation.
//! - [`clock_bmca`]: [`ClockBmca`], the clock's side put together (linuxptp
//!   `handle_state_decision_event`): the records of all ports, the best master, and one
//!   [`BmcaDecision`] per state decision event.
//! - [`engine`]: [`Bmca`], [`ClockBmca`] wired to the engine's [`crate::clock::Clock`],
//!   [`crate::port::Port`] and [`crate::port::Outputs`].
//!
//! The port state machines that take those events are in [`crate::fsm`].
//!
//! # One state decision, as linuxptp's clock runs it
//! ```
//! use ptp_engine::bmca::{select_ebest, state_decision, BestMaster, Comparator, ComparisonDataset,
//!     ForeignMasterSettings, ForeignMasters, ReceivedAnnounce, StateDecisionInput};
//! use ptp_engine::datasets::DefaultDs;
//! use ptp_engine::state::{FsmEvent, PortState};
//! use ptp_engine::time::Instant;
//! use ptp_wire::{Announce, ClockAccuracy, ClockIdentity, ClockQuality, Header, MessageType, PortIdentity};
//!
//! let me = ClockIdentity([1; 8]);
//! let port = PortIdentity { clock_identity: me, port_number: 1 };
//! let mut records = ForeignMasters::new(ForeignMasterSettings::new(port));
//!
//! // A better grandmaster announces every second.
//! let gm = PortIdentity { clock_identity: ClockIdentity([0; 8]), port_number: 1 };
//! let mut header = Header::new(MessageType::Announce);
//! header.source_port_identity = gm;
//! header.log_message_interval = 0;
//! let body = Announce { grandmaster_identity: gm.clock_identity, grandmaster_priority1: 128, ..Announce::default() };
//! let mut decide = false;
//! for s in 0..3 {
//!     let m = ReceivedAnnounce::new(header, body, Instant::from_secs(s));
//!     decide |= records.process_announce(PortState::Listening, m).state_decision_event();
//! }
//! assert!(decide); // the third Announce qualified the record
//!
//! // The clock: Erbest of each port, then Ebest, then one decision per port.
//! let now = Instant::from_secs(2);
//! let cmp = Comparator::Ieee1588;
//! let erbest = records.compute_best(now, cmp).and_then(|r| r.dataset()).copied();
//! let ebest = select_ebest(cmp, [(1u16, erbest.as_ref())]);
//! let best = BestMaster::new(ebest, me);
//! let quality = ClockQuality { clock_class: 248, clock_accuracy: ClockAccuracy::UNKNOWN, offset_scaled_log_variance: 0xffff };
//! let dds = DefaultDs { clock_identity: me, priority1: 128, priority2: 128, clock_quality: quality, ..DefaultDs::default() };
//! let d0 = ComparisonDataset::from_default_ds(&dds);
//! let decision = state_decision(cmp, &StateDecisionInput {
//!     d0: &d0,
//!     ebest: ebest.map(|(_, ds)| ds),
//!     ebest_on_this_port: ebest.is_some_and(|(p, _)| p == 1),
//!     erbest: erbest.as_ref(),
//!     state: PortState::Listening,
//!     bmca: ptp_config::enums::Bmca::Ptp,
//!     slave_only: false,
//!     master_only: false,
//! });
//! assert!(!best.is_local(me));
//! assert_eq!((decision.state, decision.event), (PortState::Slave, FsmEvent::RsSlave));
//! ```

pub mod clock_bmca;
pub mod dataset_comparison;
pub mod engine;
pub mod foreign_master;
pub mod state_decision;
pub mod telecom;

pub use clock_bmca::{BmcaDecision, ClockBmca, ParentUpdate, PortStatus, SlaveParent};
pub use dataset_comparison::{compare_ieee1588, compare_topology, Comparator, ComparisonDataset, ComparisonResult};
pub use engine::{Bmca, Decision, Parent};
pub use foreign_master::{
    qualification_window_nanos, AnnounceIgnored, AnnounceOutcome, ForeignMasterRecord, ForeignMasterSettings,
    ForeignMasters, ReceivedAnnounce, FOREIGN_MASTER_THRESHOLD, FOREIGN_MASTER_TIME_WINDOW, MAX_FOREIGN_MASTERS,
};
pub use state_decision::{
    event_for_recommendation, select_ebest, state_decision, BestMaster, DecisionCode, StateDecision, StateDecisionInput,
};
pub use telecom::compare_g8275;
