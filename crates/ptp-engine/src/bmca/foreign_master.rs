//! Foreign master records of one port (foreignMasterDS, IEEE 1588-2019 9.3.2.4 and 9.3.2.5),
//! kept and qualified as linuxptp does (`add_foreign_master`, `update_current_master`,
//! `fc_prune`, `fc_clear`, `port_compute_best`, `process_announce` in port.c).
//!
//! # Qualification, as linuxptp implements it
//! - The first Announce from a sender the port has no record of creates the record and is not
//!   counted (9.3.2.5 b, "new foreign master"); the port logs `new foreign master %s`.
//! - Each later Announce is counted. Before counting, the record is pruned: only the newest
//!   [`FOREIGN_MASTER_THRESHOLD`] messages are kept, then the oldest ones are dropped while they
//!   are older than [`FOREIGN_MASTER_TIME_WINDOW`] of *their own* announce intervals
//!   (logMessageInterval of each message, not the port's setting).
//! - A record is qualified when, pruned at the time of the state decision, it still holds
//!   [`FOREIGN_MASTER_THRESHOLD`] messages. So a new sender needs three Announces, the last two
//!   within four of its announce intervals of the state decision.
//! - The Announce that brings a record to the threshold, and any Announce whose BMCA fields
//!   (grandmaster priority1, clockQuality, priority2, identity, stepsRemoved) differ from the
//!   sender's previous one, asks for a state decision event.
//! - While choosing Erbest ([`ForeignMasters::compute_best`]), a qualified record that does not
//!   beat the best one found so far loses all its messages and must qualify again (linuxptp's
//!   `fc_clear` in `port_compute_best`); records are visited newest-created first.
//! - Records are never removed while the port runs; they age out by losing their messages.
//!   All records go when the port is disabled ([`ForeignMasters::clear`]).
//!
//! One departure: linuxptp allocates a record for every new sender without limit; here the
//! table holds at most [`MAX_FOREIGN_MASTERS`] records, reusing empty ones, so a flood of forged
//! senders cannot grow memory without bound.

use std::collections::VecDeque;

use ptp_wire::{Announce, Header, Message, MessageBody, PortIdentity};

use super::dataset_comparison::{Comparator, ComparisonDataset};
use crate::datasets::TimePropertiesDs;
use crate::state::PortState;
use crate::time::Instant;

/// FOREIGN_MASTER_THRESHOLD (IEEE 1588-2019 9.3.2.4.4): Announce messages a record must hold
/// to be qualified.
pub const FOREIGN_MASTER_THRESHOLD: usize = 2;

/// FOREIGN_MASTER_TIME_WINDOW (IEEE 1588-2019 9.3.2.4.4), in announce intervals of the
/// message (linuxptp `msg_current`: 4 * 2^logMessageInterval seconds).
pub const FOREIGN_MASTER_TIME_WINDOW: i64 = 4;

/// Records one port keeps at most (a ptp-rs bound; linuxptp has none).
pub const MAX_FOREIGN_MASTERS: usize = 128;

/// One received Announce: header, body and the driver's monotonic receive time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ReceivedAnnounce {
    pub header: Header,
    pub announce: Announce,
    /// When the port received it (the driver's `now` at reception; linuxptp `ts.host`).
    pub received: Instant,
}

impl ReceivedAnnounce {
    pub fn new(header: Header, announce: Announce, received: Instant) -> Self {
        ReceivedAnnounce { header, announce, received }
    }

    /// The Announce in `m`, or `None` when `m` is another message type.
    pub fn from_message(m: &Message, received: Instant) -> Option<Self> {
        match &m.body {
            MessageBody::Announce(a) => Some(ReceivedAnnounce::new(m.header, *a, received)),
            _ => None,
        }
    }

    /// sourcePortIdentity of the sender.
    pub fn sender(&self) -> PortIdentity {
        self.header.source_port_identity
    }

    /// Still inside FOREIGN_MASTER_TIME_WINDOW at `now` (linuxptp `msg_current`): younger than
    /// four of the message's own announce intervals.
    pub fn is_current(&self, now: Instant) -> bool {
        let age = now.as_nanos().saturating_sub(self.received.as_nanos());
        age < qualification_window_nanos(self.header.log_message_interval)
    }

    /// The timePropertiesDS this Announce carries: currentUtcOffset, the flags of flagField
    /// octet 1 and timeSource (linuxptp `clock_update_slave`, `update_current_master`).
    pub fn time_properties(&self) -> TimePropertiesDs {
        let mut tp = TimePropertiesDs {
            current_utc_offset: self.announce.current_utc_offset,
            time_source: self.announce.time_source,
            ..TimePropertiesDs::default()
        };
        // flagField octet 1 (leap61 ... frequencyTraceable) is the low byte.
        let [_, octet1] = self.header.flag_field.0.to_be_bytes();
        tp.set_flags(octet1);
        tp
    }

    /// The fields the BMCA compares are the same in both messages (linuxptp
    /// `announce_compare`): grandmaster priority1, clockQuality, priority2, identity and
    /// stepsRemoved.
    pub fn same_bmca_fields(&self, other: &ReceivedAnnounce) -> bool {
        let (a, b) = (&self.announce, &other.announce);
        a.grandmaster_priority1 == b.grandmaster_priority1
            && a.grandmaster_clock_quality == b.grandmaster_clock_quality
            && a.grandmaster_priority2 == b.grandmaster_priority2
            && a.grandmaster_identity == b.grandmaster_identity
            && a.steps_removed == b.steps_removed
    }
}

/// FOREIGN_MASTER_TIME_WINDOW for a message with this logMessageInterval, in nanoseconds:
/// 0 for intervals of 2^-31 s and below, unbounded for 2^31 s and above (linuxptp
/// `msg_current`).
pub fn qualification_window_nanos(log_message_interval: i8) -> i64 {
    const NS: i64 = 1_000_000_000;
    let log = i32::from(log_message_interval);
    if log <= -31 {
        0
    } else if log >= 31 {
        i64::MAX
    } else if log < 0 {
        FOREIGN_MASTER_TIME_WINDOW * NS / (1i64 << -log)
    } else {
        FOREIGN_MASTER_TIME_WINDOW.saturating_mul(1i64 << log).saturating_mul(NS)
    }
}

/// The foreign master record of one sender (foreignMasterDS entry; linuxptp
/// `struct foreign_clock`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ForeignMasterRecord {
    sender: PortIdentity,
    /// Newest first.
    messages: VecDeque<ReceivedAnnounce>,
    /// The data set of the newest message when Erbest was last computed.
    dataset: Option<ComparisonDataset>,
}

impl ForeignMasterRecord {
    fn new(sender: PortIdentity) -> Self {
        ForeignMasterRecord { sender, messages: VecDeque::with_capacity(FOREIGN_MASTER_THRESHOLD + 1), dataset: None }
    }

    /// foreignMasterPortIdentity.
    pub fn sender(&self) -> PortIdentity {
        self.sender
    }

    /// The newest Announce held (linuxptp `TAILQ_FIRST(&fc->messages)`): the clock takes
    /// parentDS and timePropertiesDS from it when this record is Ebest.
    pub fn latest(&self) -> Option<&ReceivedAnnounce> {
        self.messages.front()
    }

    /// The Announce messages held, newest first.
    pub fn messages(&self) -> impl Iterator<Item = &ReceivedAnnounce> + '_ {
        self.messages.iter()
    }

    /// foreignMasterAnnounceMessages: how many Announce messages the record holds.
    pub fn message_count(&self) -> usize {
        self.messages.len()
    }

    /// The comparison data set as of the last [`ForeignMasters::compute_best`] (linuxptp
    /// `fc->dataset`); `None` before the record was first looked at.
    pub fn dataset(&self) -> Option<&ComparisonDataset> {
        self.dataset.as_ref()
    }

    /// Whether the record would be qualified if Erbest were computed at `now` (the count
    /// after the pruning [`ForeignMasters::compute_best`] does).
    pub fn is_qualified(&self, now: Instant) -> bool {
        let kept = self.messages.len().min(FOREIGN_MASTER_THRESHOLD);
        // Pruning drops from the oldest end while the oldest is not current.
        let current = self.messages.iter().take(kept).rev().skip_while(|m| !m.is_current(now)).count();
        current >= FOREIGN_MASTER_THRESHOLD
    }

    /// linuxptp `fc_prune`: keep at most the newest FOREIGN_MASTER_THRESHOLD messages, then
    /// drop the oldest while they are outside the time window.
    fn prune(&mut self, now: Instant) {
        self.messages.truncate(FOREIGN_MASTER_THRESHOLD);
        while self.messages.back().is_some_and(|m| !m.is_current(now)) {
            self.messages.pop_back();
        }
    }

    /// linuxptp `fc_clear`: forget every message (the record stays).
    fn clear(&mut self) {
        self.messages.clear();
    }

    /// Count `m` (newest); report whether its BMCA fields differ from the previous message.
    fn push(&mut self, m: ReceivedAnnounce) -> bool {
        self.messages.push_front(m);
        self.messages.get(1).is_some_and(|prev| !m.same_bmca_fields(prev))
    }
}

/// Why an Announce did not reach the foreign master records.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AnnounceIgnored {
    /// stepsRemoved >= maxStepsRemoved.
    StepsRemoved,
    /// grandmasterClockQuality.clockClass > clock_class_threshold; linuxptp logs (at most
    /// once a minute) `%s: Master clock quality received is greater than configured,
    /// ignoring master!`.
    ClockClassAboveThreshold,
    /// The port is INITIALIZING, FAULTY or DISABLED.
    PortState(PortState),
    /// A new sender while the table is full of live records ([`MAX_FOREIGN_MASTERS`]).
    TableFull,
}

/// What an Announce did to the records.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AnnounceOutcome {
    /// Dropped; see the reason.
    Ignored(AnnounceIgnored),
    /// First Announce from this sender: a record was made and the message is not counted. The
    /// port logs `%s: new foreign master %s` with the sender.
    NewForeignMaster,
    /// Counted in the sender's record.
    Recorded {
        /// This message brought the record to FOREIGN_MASTER_THRESHOLD.
        crossed_threshold: bool,
        /// Its BMCA fields differ from the sender's previous Announce.
        content_changed: bool,
    },
    /// From the port's current Erbest, received in PASSIVE, UNCALIBRATED or SLAVE (linuxptp
    /// `update_current_master`): counted, and the port restarts its announce receipt timer and
    /// (unless PASSIVE) takes the time properties from it.
    FromCurrentMaster {
        /// Its BMCA fields differ from the previous Announce.
        content_changed: bool,
    },
}

impl AnnounceOutcome {
    /// The port reports EV_STATE_DECISION_EVENT (linuxptp: `process_announce` returned
    /// non-zero).
    pub fn state_decision_event(self) -> bool {
        match self {
            AnnounceOutcome::Recorded { crossed_threshold, content_changed } => crossed_threshold || content_changed,
            AnnounceOutcome::FromCurrentMaster { content_changed } => content_changed,
            AnnounceOutcome::Ignored(_) | AnnounceOutcome::NewForeignMaster => false,
        }
    }

    /// The port logs `new foreign master`.
    pub fn is_new_foreign_master(self) -> bool {
        self == AnnounceOutcome::NewForeignMaster
    }
}

/// The settings the records of one port depend on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ForeignMasterSettings {
    /// portIdentity of the port (the receiver in every comparison data set).
    pub receiver: PortIdentity,
    /// `G.8275.portDS.localPriority` of the port.
    pub local_priority: u8,
    /// `serverOnly` (masterOnly): the port never has an Erbest.
    pub master_only: bool,
    /// `maxStepsRemoved` (global).
    pub max_steps_removed: u8,
    /// `clock_class_threshold` (global).
    pub clock_class_threshold: u8,
}

impl ForeignMasterSettings {
    /// linuxptp's defaults for the port `receiver`: localPriority 128, not serverOnly,
    /// maxStepsRemoved 255, clock_class_threshold 248.
    pub fn new(receiver: PortIdentity) -> Self {
        ForeignMasterSettings {
            receiver,
            local_priority: 128,
            master_only: false,
            max_steps_removed: 255,
            clock_class_threshold: 248,
        }
    }
}

/// The foreign master records of one port and its Erbest.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ForeignMasters {
    settings: ForeignMasterSettings,
    /// Newest-created first (linuxptp inserts at the list head).
    records: Vec<ForeignMasterRecord>,
    /// Sender of Erbest as of the last [`ForeignMasters::compute_best`] (linuxptp `p->best`).
    best: Option<PortIdentity>,
}

impl ForeignMasters {
    pub fn new(settings: ForeignMasterSettings) -> Self {
        ForeignMasters { settings, records: Vec::new(), best: None }
    }

    pub fn settings(&self) -> &ForeignMasterSettings {
        &self.settings
    }

    /// Handle a received Announce as linuxptp's `process_announce` does: drop it for
    /// maxStepsRemoved, clock_class_threshold or the port state; in PASSIVE, UNCALIBRATED and
    /// SLAVE, messages from Erbest update it directly; everything else goes to
    /// [`ForeignMasters::add`].
    pub fn process_announce(&mut self, state: PortState, m: ReceivedAnnounce) -> AnnounceOutcome {
        if m.announce.steps_removed >= u16::from(self.settings.max_steps_removed) {
            return AnnounceOutcome::Ignored(AnnounceIgnored::StepsRemoved);
        }
        if m.announce.grandmaster_clock_quality.clock_class > self.settings.clock_class_threshold {
            return AnnounceOutcome::Ignored(AnnounceIgnored::ClockClassAboveThreshold);
        }
        match state {
            PortState::Initializing | PortState::Faulty | PortState::Disabled => {
                AnnounceOutcome::Ignored(AnnounceIgnored::PortState(state))
            }
            PortState::Listening | PortState::PreMaster | PortState::Master | PortState::GrandMaster => self.add(m),
            PortState::Passive | PortState::Uncalibrated | PortState::Slave => self.update_current_master(m),
        }
    }

    /// Count an Announce in its sender's record, making the record on the sender's first
    /// message (linuxptp `add_foreign_master`). `m.received` is the current time.
    pub fn add(&mut self, m: ReceivedAnnounce) -> AnnounceOutcome {
        let sender = m.sender();
        let Some(record) = self.records.iter_mut().find(|r| r.sender == sender) else {
            if self.records.len() >= MAX_FOREIGN_MASTERS && !self.evict_one() {
                return AnnounceOutcome::Ignored(AnnounceIgnored::TableFull);
            }
            self.records.insert(0, ForeignMasterRecord::new(sender));
            return AnnounceOutcome::NewForeignMaster;
        };
        record.prune(m.received);
        let crossed_threshold = record.messages.len() == FOREIGN_MASTER_THRESHOLD - 1;
        let content_changed = record.push(m);
        AnnounceOutcome::Recorded { crossed_threshold, content_changed }
    }

    /// An Announce received in PASSIVE, UNCALIBRATED or SLAVE (linuxptp
    /// `update_current_master`): from Erbest it is counted straight away; from anyone else it
    /// goes to [`ForeignMasters::add`].
    pub fn update_current_master(&mut self, m: ReceivedAnnounce) -> AnnounceOutcome {
        let sender = m.sender();
        if self.best != Some(sender) {
            return self.add(m);
        }
        let Some(record) = self.records.iter_mut().find(|r| r.sender == sender) else {
            return self.add(m);
        };
        record.prune(m.received);
        let content_changed = record.push(m);
        AnnounceOutcome::FromCurrentMaster { content_changed }
    }

    /// Choose Erbest, the best qualified record of the port (IEEE 1588-2019 9.3.2.3; linuxptp
    /// `port_compute_best`), at `now`. Every record is pruned; a qualified record that does not
    /// beat the best found before it is cleared. A serverOnly port has no Erbest.
    pub fn compute_best(&mut self, now: Instant, comparator: Comparator) -> Option<&ForeignMasterRecord> {
        self.best = None;
        if self.settings.master_only {
            return None;
        }
        let (receiver, local_priority) = (self.settings.receiver, self.settings.local_priority);
        let mut best: Option<(PortIdentity, ComparisonDataset)> = None;
        for record in &mut self.records {
            let Some(newest) = record.messages.front() else { continue };
            let dataset = ComparisonDataset::from_announce(&newest.header, &newest.announce, receiver, local_priority);
            record.dataset = Some(dataset);
            record.prune(now);
            if record.messages.len() < FOREIGN_MASTER_THRESHOLD {
                continue;
            }
            match &best {
                Some((_, best_dataset)) if !comparator.compare(&dataset, best_dataset).is_a_better() => record.clear(),
                _ => best = Some((record.sender, dataset)),
            }
        }
        self.best = best.map(|(sender, _)| sender);
        self.best()
    }

    /// Erbest as of the last [`ForeignMasters::compute_best`] (linuxptp `p->best`).
    pub fn best(&self) -> Option<&ForeignMasterRecord> {
        let sender = self.best?;
        self.records.iter().find(|r| r.sender == sender)
    }

    /// Erbest's comparison data set (linuxptp `port_best_foreign`).
    pub fn best_dataset(&self) -> Option<&ComparisonDataset> {
        self.best().and_then(ForeignMasterRecord::dataset)
    }

    /// Forget Erbest's messages, keeping it as Erbest until the next state decision
    /// (linuxptp: `fc_clear(p->best)` when the announce or sync receipt timer expires).
    pub fn clear_best(&mut self) {
        if let Some(sender) = self.best {
            if let Some(r) = self.records.iter_mut().find(|r| r.sender == sender) {
                r.clear();
            }
        }
    }

    /// Forget every record and Erbest (linuxptp `port_disable`: `p->best = NULL;
    /// free_foreign_masters(p)`).
    pub fn clear(&mut self) {
        self.records.clear();
        self.best = None;
    }

    /// The record of `sender`, if any.
    pub fn record(&self, sender: &PortIdentity) -> Option<&ForeignMasterRecord> {
        self.records.iter().find(|r| r.sender == *sender)
    }

    /// All records, newest-created first.
    pub fn records(&self) -> impl Iterator<Item = &ForeignMasterRecord> + '_ {
        self.records.iter()
    }

    /// Whether any record holds FOREIGN_MASTER_THRESHOLD current messages at `now`.
    pub fn any_qualified(&self, now: Instant) -> bool {
        self.records.iter().any(|r| r.is_qualified(now))
    }

    /// Make room for a new record by dropping the oldest-created empty one that is not
    /// Erbest; false if there is none.
    fn evict_one(&mut self) -> bool {
        let best = self.best;
        match self.records.iter().rposition(|r| r.messages.is_empty() && Some(r.sender) != best) {
            Some(i) => {
                self.records.remove(i);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ptp_wire::{ClockIdentity, MessageType};

    fn sender(n: u8) -> PortIdentity {
        PortIdentity { clock_identity: ClockIdentity([n; 8]), port_number: 1 }
    }

    fn announce(from: PortIdentity, at_ms: i64) -> ReceivedAnnounce {
        let mut h = Header::new(MessageType::Announce);
        h.source_port_identity = from;
        h.log_message_interval = 0;
        let a =
            Announce { grandmaster_identity: from.clock_identity, grandmaster_priority1: 128, ..Announce::default() };
        ReceivedAnnounce::new(h, a, Instant::from_nanos(at_ms * 1_000_000))
    }

    #[test]
    fn windows() {
        assert_eq!(qualification_window_nanos(0), 4_000_000_000);
        assert_eq!(qualification_window_nanos(1), 8_000_000_000);
        assert_eq!(qualification_window_nanos(-3), 500_000_000);
        assert_eq!(qualification_window_nanos(-31), 0);
        assert_eq!(qualification_window_nanos(-128), 0);
        assert_eq!(qualification_window_nanos(31), i64::MAX);
        assert_eq!(qualification_window_nanos(30), 4 * (1 << 30) * 1_000_000_000);
    }

    #[test]
    fn is_qualified_matches_compute_best() {
        let mut fm = ForeignMasters::new(ForeignMasterSettings::new(sender(9)));
        fm.add(announce(sender(1), 0));
        fm.add(announce(sender(1), 1000));
        fm.add(announce(sender(1), 2000));
        for now_ms in [2000, 4999, 5000, 5999, 6000, 7000] {
            let now = Instant::from_nanos(now_ms * 1_000_000);
            let mut copy = fm.clone();
            let predicted = copy.records().next().is_some_and(|r| r.is_qualified(now));
            assert_eq!(copy.compute_best(now, Comparator::Ieee1588).is_some(), predicted, "at {now_ms} ms");
        }
    }

    #[test]
    fn eviction_keeps_live_records() {
        let mut fm = ForeignMasters::new(ForeignMasterSettings::new(sender(0)));
        for n in 0..MAX_FOREIGN_MASTERS {
            let id = PortIdentity { clock_identity: ClockIdentity([1; 8]), port_number: u16::try_from(n).unwrap_or(0) };
            assert_eq!(fm.add(announce(id, 0)), AnnounceOutcome::NewForeignMaster);
            fm.add(announce(id, 1));
        }
        let extra = PortIdentity { clock_identity: ClockIdentity([2; 8]), port_number: 1 };
        assert_eq!(fm.add(announce(extra, 2)), AnnounceOutcome::Ignored(AnnounceIgnored::TableFull));
        fm.clear();
        assert_eq!(fm.add(announce(extra, 3)), AnnounceOutcome::NewForeignMaster);
    }
}
