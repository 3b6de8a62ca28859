//! The peer delay mechanism (IEEE 1588-2019 11.4): Pdelay_Req out and the responses in
//! (two-step or one-step), and answers to the neighbour's Pdelay_Req (two-step, or one-step
//! with `time_stamping p2p1step`), on every P2P port in every working state.

use ptp_config::enums::DelayMechanism;
use ptp_wire::{Message, MessageBody, MessageType, PortIdentity, TimeInterval};

use super::msg;
use super::timers::PortTimer;
use super::{ClockView, Outputs, Port, Sample};
use crate::event::{DropReason, Event};
use crate::time::{log_interval, ClockTime, Instant, Nanos};
use crate::transmit::Destination;

/// One completed peer delay exchange: t1 (Pdelay_Req sent), t2 (received by the peer), t3
/// (Pdelay_Resp sent by the peer), t4 (Pdelay_Resp received), and the correction fields of
/// Pdelay_Resp and Pdelay_Resp_Follow_Up.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct PeerDelay {
    pub t1: ClockTime,
    pub t2: ClockTime,
    pub t3: ClockTime,
    pub t4: ClockTime,
    pub correction: Nanos,
    pub responder: PortIdentity,
    /// The neighbour rate ratio measured so far (applied to the turnaround time).
    pub neighbor_rate_ratio: f64,
}

impl PeerDelay {
    /// The raw mean link delay ((t4 - t1) - (t3 - t2) - corrections) / 2, with the neighbour
    /// rate ratio applied to the responder's turnaround (IEEE 1588-2019 11.4.2).
    pub fn raw_delay(&self, neighbor_rate_ratio: f64) -> Nanos {
        let round_trip = (self.t4 - self.t1).0;
        let turnaround = (self.t3 - self.t2).0 as f64 * neighbor_rate_ratio;
        Nanos(((round_trip as f64 - turnaround) as i128 - self.correction.0) / 2)
    }
}

#[derive(Clone, Copy, Debug)]
struct Outstanding {
    seq: u16,
    t1: Option<ClockTime>,
    resp: Option<(PortIdentity, ClockTime, ClockTime, Nanos)>,
}

#[derive(Clone, Copy, Debug)]
struct Answering {
    seq: u16,
    requesting: PortIdentity,
    correction: TimeInterval,
}

/// Peer delay state of a port.
#[derive(Debug, Default)]
pub(crate) struct PeerDelaySide {
    outstanding: Option<Outstanding>,
    answering: Option<Answering>,
    /// The filtered meanLinkDelay once measured.
    pub(crate) mean_link_delay: Option<Nanos>,
    /// Consecutive requests that got no complete answer.
    pub(crate) lost_responses: u32,
    /// First (t3 + corrections, t4) of the current neighbour: the reference for the
    /// neighbour rate ratio.
    nrr_reference: Option<(PortIdentity, ClockTime, ClockTime)>,
    nrr_count: u32,
    nrr: Option<f64>,
}

impl PeerDelaySide {
    pub(crate) fn reset(&mut self) {
        *self = PeerDelaySide::default();
    }

    /// neighborRateRatio (IEEE 802.1AS-2020 11.2.19.3.3): the neighbour's time
    /// elapsed over ours between two Pdelay_Resp; 1.0 until two responses were seen.
    pub(crate) fn neighbor_rate_ratio(&self) -> f64 {
        self.nrr.unwrap_or(1.0)
    }

    /// Update the ratio from a completed exchange (t3c: responder's send time with its
    /// corrections, t4: our receive time). As linuxptp's `port_nrate_calculate`, the ratio is
    /// measured over windows of `window` exchanges and the reference restarts after each, so
    /// a step of either clock spoils one estimate at most.
    fn update_nrr(&mut self, responder: PortIdentity, t3c: ClockTime, t4: ClockTime, window: u32) {
        match self.nrr_reference {
            Some((r, t3_0, t4_0)) if r == responder => {
                self.nrr_count += 1;
                if self.nrr_count < window {
                    return;
                }
                let local = (t4 - t4_0).0 as f64;
                let remote = (t3c - t3_0).0 as f64;
                if local > 0.0 && remote > 0.0 {
                    self.nrr = Some(remote / local);
                }
                self.nrr_reference = Some((responder, t3c, t4));
                self.nrr_count = 0;
            }
            _ => {
                self.nrr_reference = Some((responder, t3c, t4));
                self.nrr_count = 0;
                self.nrr = None;
            }
        }
    }

    pub(crate) fn request_sent(&mut self, seq: u16, t1: ClockTime) {
        if let Some(o) = self.outstanding.as_mut().filter(|o| o.seq == seq) {
            o.t1 = Some(t1);
        }
    }
}

impl Port {
    pub(super) fn send_pdelay_req(&mut self, now: Instant, clock: &ClockView<'_>, out: &mut Outputs) {
        if !self.runs_peer_delay() {
            return;
        }
        if self.peer.outstanding.is_some() {
            self.peer.lost_responses = self.peer.lost_responses.saturating_add(1);
        }
        let tpl = self.template(clock);
        let m = msg::pdelay_req(&tpl, self.seq_pdelay_req);
        self.peer.outstanding = Some(Outstanding { seq: self.seq_pdelay_req, t1: None, resp: None });
        self.seq_pdelay_req = self.seq_pdelay_req.wrapping_add(1);
        self.send(out, &m, Destination::PeerMulticast, true);
        self.timers.set(PortTimer::PdelayRequest, now + log_interval(self.cfg.log_min_pdelay_req_interval));
    }

    pub(super) fn handle_pdelay_req(
        &mut self,
        m: &Message,
        t2: ClockTime,
        now: Instant,
        clock: &ClockView<'_>,
        out: &mut Outputs,
    ) {
        match self.cfg.delay_mechanism {
            DelayMechanism::E2E => {
                out.events.push_back(Event::PdelayReqOnE2ePort { port: self.number });
                self.drop_message(out, DropReason::Unexpected(MessageType::PdelayReq));
                return;
            }
            DelayMechanism::Auto if self.delay_mechanism == DelayMechanism::E2E => {
                out.events.push_back(Event::PeerDetectedSwitchToP2p { port: self.number });
                self.delay_mechanism = DelayMechanism::P2P;
                self.timers.stop(PortTimer::DelayRequest);
                let at = self.random_deadline(now, 0, 2, self.cfg.log_min_pdelay_req_interval);
                self.timers.set(PortTimer::PdelayRequest, at);
            }
            _ => {}
        }
        let tpl = self.template(clock);
        if self.cfg.p2p_one_step() {
            // One-step (linuxptp TS_P2P1STEP): the NIC took t2 off the request's correction
            // on receipt and adds t3 to the response's as it leaves, so the request's
            // correction plus the port's latencies becomes the turnaround time. The latencies
            // go in as scaled ns (linuxptp keeps them shifted by 16 since it read them).
            // Wrapping: on the way the field holds -t2 modulo 2^64.
            let latencies = (self.cfg.egress_latency + self.cfg.ingress_latency) << 16;
            let correction = TimeInterval(m.header.correction_field.0.wrapping_add(latencies));
            let resp = msg::pdelay_resp_one_step(&tpl, &m.header, correction);
            self.send_with(out, &resp, Destination::PeerMulticast, false, true);
            return;
        }
        let Some(t2) = t2.to_timestamp() else { return };
        let resp = msg::pdelay_resp(&tpl, &m.header, t2);
        self.peer.answering = Some(Answering {
            seq: m.header.sequence_id,
            requesting: m.header.source_port_identity,
            correction: m.header.correction_field,
        });
        self.send(out, &resp, Destination::PeerMulticast, true);
    }

    /// Our Pdelay_Resp left at `t3`: send the Pdelay_Resp_Follow_Up.
    pub(super) fn pdelay_resp_sent(&mut self, seq: u16, t3: ClockTime, clock: &ClockView<'_>, out: &mut Outputs) {
        let Some(a) = self.peer.answering.take().filter(|a| a.seq == seq) else { return };
        let Some(t3) = t3.to_timestamp() else { return };
        let tpl = self.template(clock);
        let m = msg::pdelay_resp_follow_up(&tpl, a.seq, a.requesting, a.correction, t3);
        self.send(out, &m, Destination::PeerMulticast, false);
    }

    fn outstanding_for(&mut self, m: &Message, requesting: PortIdentity) -> bool {
        requesting == self.identity && self.peer.outstanding.is_some_and(|o| o.seq == m.header.sequence_id)
    }

    pub(super) fn handle_pdelay_resp(&mut self, m: &Message, t4: ClockTime, out: &mut Outputs) {
        let MessageBody::PdelayResp(body) = &m.body else { return };
        if !self.outstanding_for(m, body.requesting_port_identity) {
            self.drop_message(out, DropReason::NotForUs(MessageType::PdelayResp));
            return;
        }
        let Some(o) = self.peer.outstanding.as_mut() else { return };
        if o.resp.is_some() {
            out.events.push_back(Event::MultiplePeerResponses { port: self.number });
            self.peer.outstanding = None;
            return;
        }
        let t2 = ClockTime::from_timestamp(body.request_receipt_timestamp);
        let responder = m.header.source_port_identity;
        o.resp = Some((responder, t2, t4, Nanos::from_interval(m.header.correction_field)));
        if !m.header.flag_field.two_step() {
            // One-step responder: requestReceiptTimestamp is zero and the turnaround time is in
            // the correction field; only t3 - t2 matters, so both are taken as t1.
            if let Some(r) = o.resp.as_mut() {
                r.1 = o.t1.unwrap_or_default();
            }
            let t = o.t1.unwrap_or_default();
            self.complete_peer_delay(t, Nanos::ZERO, responder, true, out);
        }
    }

    pub(super) fn handle_pdelay_resp_follow_up(&mut self, m: &Message, out: &mut Outputs) {
        let MessageBody::PdelayRespFollowUp(body) = &m.body else { return };
        if !self.outstanding_for(m, body.requesting_port_identity) {
            self.drop_message(out, DropReason::NotForUs(MessageType::PdelayRespFollowUp));
            return;
        }
        let responder = m.header.source_port_identity;
        if self.peer.outstanding.and_then(|o| o.resp).is_none_or(|r| r.0 != responder) {
            out.events.push_back(Event::RoguePeerDelayResponse { port: self.number });
            return;
        }
        let t3 = ClockTime::from_timestamp(body.response_origin_timestamp);
        self.complete_peer_delay(t3, Nanos::from_interval(m.header.correction_field), responder, false, out);
    }

    fn complete_peer_delay(
        &mut self,
        t3: ClockTime,
        fup_correction: Nanos,
        responder: PortIdentity,
        one_step: bool,
        out: &mut Outputs,
    ) {
        let Some(o) = self.peer.outstanding.take() else { return };
        let (Some(t1), Some((_, t2, t4, resp_correction))) = (o.t1, o.resp) else {
            self.drop_message(out, DropReason::NoTimestamp(MessageType::PdelayReq));
            return;
        };
        self.peer.lost_responses = 0;
        let correction = resp_correction + fup_correction;
        // Window: 2^(freq_est_interval - logMinPdelayReqInterval) exchanges, at least one.
        // A one-step responder sends no responseOriginTimestamp: no rate ratio from it.
        if !one_step {
            let shift = (self.cfg.freq_est_interval - i32::from(self.cfg.log_min_pdelay_req_interval)).clamp(0, 20);
            self.peer.update_nrr(responder, t3 + correction, t4, 1 << shift);
        }
        let pd =
            PeerDelay { t1, t2, t3, t4, correction, responder, neighbor_rate_ratio: self.peer.neighbor_rate_ratio() };
        out.samples.push_back((self.number, Sample::PeerDelay(pd)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_peer_delay() {
        let pd = PeerDelay {
            t1: ClockTime(1_000),
            t2: ClockTime(5_600),
            t3: ClockTime(6_600),
            t4: ClockTime(2_400),
            correction: Nanos(0),
            responder: PortIdentity::default(),
            neighbor_rate_ratio: 1.0,
        };
        // round trip 1400, turnaround 1000 -> 200 ns each way.
        assert_eq!(pd.raw_delay(1.0), Nanos(200));
    }
}
