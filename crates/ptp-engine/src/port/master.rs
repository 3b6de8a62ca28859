//! The master side of a port: Announce and Sync (two-step: Follow_Up once the transmit
//! timestamp is known), and Delay_Resp to the slaves' Delay_Req (IEEE 1588-2019 9.5, 11.3).

use ptp_wire::{Message, MessageType, PortAddress};

use super::msg;
use super::timers::PortTimer;
use super::{ClockView, Outputs, Port};
use crate::event::DropReason;
use crate::state::PortState;
use crate::time::{log_interval, ClockTime, Instant};
use crate::transmit::Destination;

/// Master-side state: the two-step Sync waiting for its transmit timestamp.
#[derive(Debug, Default)]
pub(crate) struct MasterSide {
    pending_sync: Option<u16>,
}

impl Port {
    pub(super) fn send_announce(&mut self, now: Instant, clock: &ClockView<'_>, out: &mut Outputs) {
        if !self.state.is_master() {
            return;
        }
        let tpl = self.template(clock);
        let m = msg::announce(
            &tpl,
            self.seq_announce,
            self.cfg.log_announce_interval,
            clock.parent_ds,
            clock.current_ds,
            clock.time_properties_ds,
        );
        self.seq_announce = self.seq_announce.wrapping_add(1);
        self.send(out, &m, Destination::Multicast, false);
        self.timers.set(PortTimer::MasterAnnounce, now + log_interval(self.cfg.log_announce_interval));
    }

    pub(super) fn send_sync(&mut self, now: Instant, clock: &ClockView<'_>, out: &mut Outputs) {
        if !self.state.is_master() {
            return;
        }
        let tpl = self.template(clock);
        let two_step = clock.default_ds.two_step_flag;
        let m = msg::sync(&tpl, self.seq_sync, self.cfg.log_sync_interval, two_step);
        self.master.pending_sync = two_step.then_some(self.seq_sync);
        self.seq_sync = self.seq_sync.wrapping_add(1);
        // Two-step: timestamp it and send a Follow_Up; one-step: the hardware inserts it.
        self.send_with(out, &m, Destination::Multicast, two_step, !two_step);
        self.timers.set(PortTimer::MasterSync, now + log_interval(self.cfg.log_sync_interval));
    }

    /// The Sync `seq` left at `t1`: send its Follow_Up.
    pub(super) fn sync_sent(&mut self, seq: u16, t1: ClockTime, clock: &ClockView<'_>, out: &mut Outputs) {
        if self.master.pending_sync != Some(seq) || !self.state.is_master() {
            return;
        }
        self.master.pending_sync = None;
        let Some(t1) = t1.to_timestamp() else { return };
        let tpl = self.template(clock);
        let m = msg::follow_up(&tpl, seq, self.cfg.log_sync_interval, t1);
        self.send(out, &m, Destination::Multicast, false);
    }

    /// Answer a Delay_Req received at `t4` (MASTER only, E2E ports).
    /// A Delay_Req with the unicast flag (hybrid_e2e clients) is answered by unicast to its
    /// sender, as linuxptp does.
    pub(super) fn handle_delay_req(
        &mut self,
        m: &Message,
        t4: ClockTime,
        from: Option<&PortAddress>,
        clock: &ClockView<'_>,
        out: &mut Outputs,
    ) {
        if self.delay_mechanism == ptp_config::enums::DelayMechanism::P2P {
            out.events.push_back(crate::event::Event::DelayReqOnP2pPort { port: self.number });
            self.drop_message(out, DropReason::Unexpected(MessageType::DelayReq));
            return;
        }
        if !matches!(self.state, PortState::Master | PortState::GrandMaster) {
            self.drop_message(out, DropReason::Unexpected(MessageType::DelayReq));
            return;
        }
        let Some(t4) = t4.to_timestamp() else { return };
        let tpl = self.template(clock);
        let resp = msg::delay_resp(&tpl, &m.header, t4, self.log_min_delay_req_interval);
        let destination = match from {
            Some(a) if m.header.flag_field.unicast() => Destination::Unicast(a.clone()),
            _ => Destination::Multicast,
        };
        self.send(out, &resp, destination, false);
    }
}
