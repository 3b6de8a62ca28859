//! The slave side of a port: Sync and Follow_Up from the parent, and the Delay_Req /
//! Delay_Resp exchange (IEEE 1588-2019 9.5.4, 11.3), producing timing samples for the clock.

use ptp_wire::{Message, MessageBody, MessageType, PortAddress, PortIdentity, TimeInterval};

use super::msg;
use super::timers::PortTimer;
use super::{ClockView, Outputs, Port, Sample};
use crate::event::{DropReason, Event};
use crate::time::{log_interval, ClockTime, Instant, Nanos};
use crate::transmit::Destination;

/// Announce senders whose address a port remembers.
const MAX_ADDRESSES: usize = 16;

/// One Sync from the parent with everything needed for the offset: t1 corrected by the Sync
/// and Follow_Up correction fields and delayAsymmetry (t1c), and the receive time t2.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SyncTiming {
    pub sequence_id: u16,
    pub t1c: ClockTime,
    pub t2: ClockTime,
    /// logMessageInterval of the Sync.
    pub log_interval: i8,
}

/// A two-step Sync waiting for its Follow_Up (or a Follow_Up that came first).
#[derive(Clone, Copy, Debug)]
struct PendingSync {
    seq: u16,
    t2: ClockTime,
    correction: TimeInterval,
    log_interval: i8,
}

#[derive(Clone, Copy, Debug)]
struct PendingFollowUp {
    seq: u16,
    t1: ClockTime,
    correction: TimeInterval,
}

#[derive(Clone, Copy, Debug)]
struct PendingDelayReq {
    seq: u16,
    t3: Option<ClockTime>,
}

/// Slave-side state of a port.
#[derive(Debug, Default)]
pub(crate) struct SlaveSide {
    /// Where recent Announce senders' messages come from (for hybrid_e2e unicast Delay_Req
    /// to the parent, as linuxptp takes the address of the best master's Announce).
    addresses: Vec<(PortIdentity, PortAddress)>,
    sync: Option<PendingSync>,
    follow_up: Option<PendingFollowUp>,
    delay_req: Option<PendingDelayReq>,
}

impl SlaveSide {
    pub(crate) fn reset(&mut self) {
        *self = SlaveSide { addresses: std::mem::take(&mut self.addresses), ..SlaveSide::default() };
    }

    /// Remember where `sender`'s Announce came from (at most [`MAX_ADDRESSES`] senders).
    pub(crate) fn note_address(&mut self, sender: PortIdentity, a: &PortAddress) {
        self.addresses.retain(|(p, _)| *p != sender);
        if self.addresses.len() >= MAX_ADDRESSES {
            self.addresses.remove(0);
        }
        self.addresses.push((sender, a.clone()));
    }

    fn address_of(&self, sender: PortIdentity) -> Option<&PortAddress> {
        self.addresses.iter().find(|(p, _)| *p == sender).map(|(_, a)| a)
    }

    pub(crate) fn delay_req_sent(&mut self, seq: u16, t3: ClockTime) {
        if let Some(p) = self.delay_req.as_mut().filter(|p| p.seq == seq) {
            p.t3 = Some(t3);
        }
    }
}

fn nanos(t: TimeInterval) -> Nanos {
    Nanos::from_interval(t)
}

impl Port {
    pub(super) fn handle_announce(&mut self, m: &Message, now: Instant, _clock: &ClockView<'_>, out: &mut Outputs) {
        out.announces.push_back((self.number, m.clone(), now));
    }

    fn accept_from_parent(&mut self, m: &Message, clock: &ClockView<'_>, out: &mut Outputs) -> bool {
        let t = m.message_type();
        if !self.state.is_slave() {
            self.drop_message(out, DropReason::Unexpected(t));
            return false;
        }
        if m.header.source_port_identity != clock.parent_ds.parent_port_identity {
            self.drop_message(out, DropReason::NotFromParent(t));
            return false;
        }
        true
    }

    pub(super) fn handle_sync(
        &mut self,
        m: &Message,
        t2: ClockTime,
        now: Instant,
        clock: &ClockView<'_>,
        out: &mut Outputs,
    ) {
        if !self.accept_from_parent(m, clock, out) {
            return;
        }
        let MessageBody::Sync(body) = &m.body else { return };
        if self.timers.get(PortTimer::SyncReceipt).is_some() {
            self.timers.set(
                PortTimer::SyncReceipt,
                now + log_interval(self.cfg.log_sync_interval) * u32::from(self.cfg.sync_receipt_timeout),
            );
        }
        let h = &m.header;
        if !h.flag_field.two_step() {
            let t1c = ClockTime::from_timestamp(body.origin_timestamp) + nanos(h.correction_field) + self.asymmetry();
            self.slave.sync = None;
            let timing = SyncTiming { sequence_id: h.sequence_id, t1c, t2, log_interval: h.log_message_interval };
            out.samples.push_back((self.number, Sample::Sync(timing)));
            return;
        }
        let pending = PendingSync {
            seq: h.sequence_id,
            t2,
            correction: h.correction_field,
            log_interval: h.log_message_interval,
        };
        match self.slave.follow_up.take() {
            Some(f) if f.seq == pending.seq => self.complete_sync(pending, f, out),
            _ => self.slave.sync = Some(pending),
        }
    }

    pub(super) fn handle_follow_up(&mut self, m: &Message, clock: &ClockView<'_>, out: &mut Outputs) {
        if !self.accept_from_parent(m, clock, out) {
            return;
        }
        let MessageBody::FollowUp(body) = &m.body else { return };
        let f = PendingFollowUp {
            seq: m.header.sequence_id,
            t1: ClockTime::from_timestamp(body.precise_origin_timestamp),
            correction: m.header.correction_field,
        };
        match self.slave.sync.take() {
            Some(s) if s.seq == f.seq => self.complete_sync(s, f, out),
            // The Follow_Up came before its Sync (or the Sync was lost): keep it.
            other => {
                self.slave.sync = other;
                self.slave.follow_up = Some(f);
            }
        }
    }

    fn asymmetry(&self) -> Nanos {
        Nanos(i128::from(self.cfg.delay_asymmetry))
    }

    fn complete_sync(&mut self, s: PendingSync, f: PendingFollowUp, out: &mut Outputs) {
        let t1c = f.t1 + nanos(s.correction) + nanos(f.correction) + self.asymmetry();
        let timing = SyncTiming { sequence_id: s.seq, t1c, t2: s.t2, log_interval: s.log_interval };
        out.samples.push_back((self.number, Sample::Sync(timing)));
    }

    pub(super) fn send_delay_req(&mut self, now: Instant, clock: &ClockView<'_>, out: &mut Outputs) {
        if !self.state.is_slave() || self.delay_mechanism != ptp_config::enums::DelayMechanism::E2E {
            return;
        }
        let tpl = self.template(clock);
        let mut m = msg::delay_req(&tpl, self.seq_delay_req);
        // IEEE 1588-2019 16.8: the Delay_Req path subtracts delayAsymmetry in its correction,
        // which the master copies into Delay_Resp (linuxptp sends it the same way).
        m.header.correction_field = TimeInterval::from_nanos(self.cfg.delay_asymmetry.saturating_neg());
        self.slave.delay_req = Some(PendingDelayReq { seq: self.seq_delay_req, t3: None });
        self.seq_delay_req = self.seq_delay_req.wrapping_add(1);
        // hybrid_e2e: Delay_Req by unicast to the parent (linuxptp `port_delay_request`).
        let parent = self.slave.address_of(clock.parent_ds.parent_port_identity);
        let destination = match (parent, self.cfg.hybrid_e2e) {
            (Some(a), true) => {
                m.header.flag_field.set_unicast(true);
                Destination::Unicast(a.clone())
            }
            _ => Destination::Multicast,
        };
        self.send(out, &m, destination, true);
        let at = self.random_deadline(now, 0, 2, self.log_min_delay_req_interval);
        self.timers.set(PortTimer::DelayRequest, at);
    }

    pub(super) fn handle_delay_resp(&mut self, m: &Message, clock: &ClockView<'_>, out: &mut Outputs) {
        if !self.accept_from_parent(m, clock, out) {
            return;
        }
        let MessageBody::DelayResp(body) = &m.body else { return };
        let matches = body.requesting_port_identity == self.identity
            && self.slave.delay_req.is_some_and(|p| p.seq == m.header.sequence_id);
        if !matches {
            self.drop_message(out, DropReason::NotForUs(MessageType::DelayResp));
            return;
        }
        let Some(t3) = self.slave.delay_req.take().and_then(|p| p.t3) else {
            self.drop_message(out, DropReason::NoTimestamp(MessageType::DelayReq));
            return;
        };
        // The Delay_Resp correction carries the -delayAsymmetry our Delay_Req sent, so the
        // asymmetry is already in it.
        let t4c = ClockTime::from_timestamp(body.receive_timestamp) - nanos(m.header.correction_field);
        out.samples.push_back((self.number, Sample::Delay { t3, t4c }));
        // Adopt the master's minimum Delay_Req interval (linuxptp port_process_delay_resp).
        let log = m.header.log_message_interval;
        if log != self.log_min_delay_req_interval && (-10..=22).contains(&log) {
            self.log_min_delay_req_interval = log;
            out.events.push_back(Event::MinDelayReqInterval { port: self.number, log_interval: log });
        }
    }
}
