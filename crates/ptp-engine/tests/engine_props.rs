//! Property tests of the whole engine: a running clock (a slave with a qualified master, or a
//! master) fed random bytes, random valid messages of all ten types with random header fields
//! and TLVs, protocol-shaped exchanges with random timestamps (including none and extreme
//! ones), random transmit timestamps, random time jumps (also backwards), link changes and
//! faults. It must never panic, every message it sends must decode, every clock action must be
//! a finite number, every event must format, its timers must settle after `handle_timeout`, and
//! (as long as no fault was injected) it must always have a next deadline.

mod common;

use common::script::{one_port_clock, FakePeer};
use proptest::collection::vec;
use proptest::prelude::*;

use ptp_engine::clock::Clock;
use ptp_engine::log::{format, Dialect, PortNames};
use ptp_engine::state::{FaultType, PortState};
use ptp_engine::time::{ClockTime, Instant};
use ptp_engine::transmit::{ClockAction, TxToken};
use ptp_wire::tlv::{OrganizationExtension, PathTrace};
use ptp_wire::{
    Announce, ClockAccuracy, ClockIdentity, ClockQuality, DelayReq, DelayResp, FlagField, FollowUp, Header, Management,
    ManagementAction, Message, MessageBody, MessageType, PdelayReq, PdelayResp, PdelayRespFollowUp, PortIdentity,
    Signaling, Sync, TimeInterval, TimeSource, Timestamp, Tlv, TlvType,
};

const S: i64 = 1_000_000_000;
const T0: i128 = 1_700_000_000_000_000_000;

// ---------------------------------------------------------------------------------------------
// Strategies

/// Who a random message claims to come from.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// The qualified master (so Sync, Follow_Up and Delay_Resp pass the parent check).
    Master,
    /// Another port of the clock under test (dropped as its own).
    Own(u16),
    Other(PortIdentity),
}

fn source() -> BoxedStrategy<Source> {
    prop_oneof![
        5 => Just(Source::Master),
        1 => any::<u16>().prop_map(Source::Own),
        3 => (any::<[u8; 8]>(), any::<u16>())
            .prop_map(|(c, n)| Source::Other(PortIdentity { clock_identity: ClockIdentity(c), port_number: n })),
    ]
    .boxed()
}

fn timestamp() -> BoxedStrategy<Timestamp> {
    prop_oneof![
        4 => (0i128..1_000_000_000_000_000).prop_map(|d| Timestamp::from_total_nanos(T0 + d).unwrap()),
        1 => Just(Timestamp::default()),
        1 => Just(Timestamp::new(Timestamp::MAX_SECONDS, 999_999_999)),
        1 => Just(Timestamp::new(Timestamp::MAX_SECONDS, u32::MAX)),
        2 => (0..=Timestamp::MAX_SECONDS, any::<u32>()).prop_map(|(s, ns)| Timestamp::new(s, ns)),
    ]
    .boxed()
}

fn correction() -> BoxedStrategy<TimeInterval> {
    prop_oneof![
        4 => (-1_000_000i64..1_000_000).prop_map(TimeInterval),
        2 => (-100_000i64..100_000).prop_map(TimeInterval::from_nanos),
        1 => Just(TimeInterval(i64::MAX)),
        1 => Just(TimeInterval(i64::MIN)),
        1 => any::<i64>().prop_map(TimeInterval),
    ]
    .boxed()
}

/// A receive or transmit timestamp as a driver might report it, sane or not.
fn clock_time() -> BoxedStrategy<ClockTime> {
    prop_oneof![
        6 => (0i128..1_000_000_000_000_000).prop_map(|d| ClockTime(T0 + d)),
        1 => Just(ClockTime(0)),
        1 => Just(ClockTime(-1)),
        1 => Just(ClockTime(i128::MAX)),
        1 => Just(ClockTime(i128::MIN)),
        1 => Just(ClockTime(i128::from(Timestamp::MAX_SECONDS + 1) * 1_000_000_000)),
        1 => any::<i64>().prop_map(|n| ClockTime(i128::from(n))),
        1 => any::<i128>().prop_map(ClockTime),
    ]
    .boxed()
}

fn rx() -> BoxedStrategy<Option<ClockTime>> {
    prop_oneof![4 => clock_time().prop_map(Some), 1 => Just(None)].boxed()
}

fn log_interval() -> BoxedStrategy<i8> {
    prop_oneof![4 => -4i8..=4, 1 => Just(0x7f), 1 => any::<i8>()].boxed()
}

fn tlv() -> BoxedStrategy<Tlv> {
    prop_oneof![
        vec(any::<[u8; 8]>(), 0..4)
            .prop_map(|v| Tlv::PathTrace(PathTrace { path_sequence: v.into_iter().map(ClockIdentity).collect() })),
        vec(any::<u8>(), 0..8).prop_map(Tlv::Pad),
        (any::<u16>(), vec(any::<u8>(), 0..16)).prop_map(|(t, value)| Tlv::Other { tlv_type: TlvType(t), value }),
        (any::<[u8; 3]>(), any::<[u8; 3]>(), vec(any::<u8>(), 0..12)).prop_map(|(id, sub, data)| {
            Tlv::OrganizationExtension(OrganizationExtension::Other {
                organization_id: id,
                organization_sub_type: sub,
                data,
            })
        }),
    ]
    .boxed()
}

/// A random header: mostly our domain and SDO, every other field anything.
#[derive(Clone, Debug)]
struct HeaderBits {
    domain: u8,
    sdo: u8,
    minor_version: u8,
    flags: u16,
    correction: TimeInterval,
    seq: u16,
    log: i8,
    control: u8,
    source: Source,
}

fn header_bits() -> BoxedStrategy<HeaderBits> {
    (
        prop_oneof![6 => Just(0u8), 1 => any::<u8>()],
        prop_oneof![6 => Just(0u8), 1 => 0u8..16],
        prop_oneof![Just(1u8), Just(0u8), 0u8..16],
        prop_oneof![Just(0u16), Just(FlagField::TWO_STEP), any::<u16>()],
        correction(),
        prop_oneof![0u16..4, any::<u16>()],
        log_interval(),
        any::<u8>(),
        source(),
    )
        .prop_map(|(domain, sdo, minor_version, flags, correction, seq, log, control, source)| HeaderBits {
            domain,
            sdo,
            minor_version,
            flags,
            correction,
            seq,
            log,
            control,
            source,
        })
        .boxed()
}

fn port_identity() -> BoxedStrategy<Option<PortIdentity>> {
    // `None`: the clock's own port 1 (filled in when the message is built).
    prop_oneof![
        2 => Just(None),
        1 => (any::<[u8; 8]>(), any::<u16>())
            .prop_map(|(c, n)| Some(PortIdentity { clock_identity: ClockIdentity(c), port_number: n })),
    ]
    .boxed()
}

/// A message body of any of the ten types; `None` identities mean "ours".
#[derive(Clone, Debug)]
enum Body {
    Sync(Timestamp),
    DelayReq(Timestamp),
    PdelayReq(Timestamp),
    PdelayResp(Timestamp, Option<PortIdentity>),
    FollowUp(Timestamp),
    DelayResp(Timestamp, Option<PortIdentity>),
    PdelayRespFollowUp(Timestamp, Option<PortIdentity>),
    Announce(Announce),
    Signaling(Option<PortIdentity>),
    Management(Option<PortIdentity>, u8, u8, u8),
}

fn announce_body() -> BoxedStrategy<Announce> {
    (
        (timestamp(), any::<i16>(), prop_oneof![Just(128u8), any::<u8>()], any::<u8>()),
        (any::<u8>(), any::<u16>(), prop_oneof![Just(128u8), any::<u8>()], any::<[u8; 8]>()),
        (prop_oneof![Just(0u16), any::<u16>()], any::<u8>()),
    )
        .prop_map(|((origin, utc, p1, class), (acc, var, p2, gm), (steps, source))| Announce {
            origin_timestamp: origin,
            current_utc_offset: utc,
            grandmaster_priority1: p1,
            grandmaster_clock_quality: ClockQuality {
                clock_class: class,
                clock_accuracy: ClockAccuracy(acc),
                offset_scaled_log_variance: var,
            },
            grandmaster_priority2: p2,
            grandmaster_identity: ClockIdentity(gm),
            steps_removed: steps,
            time_source: TimeSource(source),
        })
        .boxed()
}

fn body() -> BoxedStrategy<Body> {
    prop_oneof![
        timestamp().prop_map(Body::Sync),
        timestamp().prop_map(Body::DelayReq),
        timestamp().prop_map(Body::PdelayReq),
        (timestamp(), port_identity()).prop_map(|(t, p)| Body::PdelayResp(t, p)),
        timestamp().prop_map(Body::FollowUp),
        (timestamp(), port_identity()).prop_map(|(t, p)| Body::DelayResp(t, p)),
        (timestamp(), port_identity()).prop_map(|(t, p)| Body::PdelayRespFollowUp(t, p)),
        announce_body().prop_map(Body::Announce),
        port_identity().prop_map(Body::Signaling),
        (port_identity(), any::<u8>(), any::<u8>(), 0u8..16).prop_map(|(p, a, b, c)| Body::Management(p, a, b, c)),
    ]
    .boxed()
}

#[derive(Clone, Debug)]
struct RandomMessage {
    header: HeaderBits,
    body: Body,
    tlvs: Vec<Tlv>,
}

fn random_message() -> BoxedStrategy<RandomMessage> {
    (header_bits(), body(), prop_oneof![3 => Just(Vec::new()), 1 => vec(tlv(), 0..3)])
        .prop_map(|(header, body, tlvs)| RandomMessage { header, body, tlvs })
        .boxed()
}

/// One thing that happens to the clock.
#[derive(Clone, Debug)]
enum Op {
    /// Any bytes at all.
    Bytes(Vec<u8>, Option<ClockTime>),
    /// A random message, perhaps with some bytes overwritten or cut short.
    Msg(RandomMessage, Vec<(usize, u8)>, Option<usize>, Option<ClockTime>),
    /// Sync (and Follow_Up) from the master with random timestamps and corrections.
    SyncPair {
        two_step: bool,
        fup_first: bool,
        seq: u16,
        t1: Timestamp,
        t2: ClockTime,
        c1: TimeInterval,
        c2: TimeInterval,
    },
    /// A Delay_Resp from the master to the last Delay_Req sent.
    DelayResp {
        t4: Timestamp,
        c: TimeInterval,
        log: i8,
    },
    /// Pdelay_Resp (and Pdelay_Resp_Follow_Up) to the last Pdelay_Req sent.
    PdelayResp {
        two_step: bool,
        t2: Timestamp,
        t3: Timestamp,
        t4: Option<ClockTime>,
        c1: TimeInterval,
        c2: TimeInterval,
    },
    /// Answer the last Delay_Req's transmit timestamp with `t3`, then a Delay_Resp to it.
    DelayExchange {
        t3: ClockTime,
        t4: Timestamp,
        c: TimeInterval,
    },
    /// Answer the last Pdelay_Req's transmit timestamp with `t1`, then the two-step response.
    PdelayExchange {
        t1: ClockTime,
        t2: Timestamp,
        t3: Timestamp,
        t4: ClockTime,
        c1: TimeInterval,
        c2: TimeInterval,
    },
    /// Move to the next deadline and run the timers.
    ToDeadline,
    /// Another Announce from the master (keeps it qualified).
    Announce,
    /// Answer one outstanding transmit timestamp.
    TxTimestamp(usize, ClockTime),
    /// Let the driver's clock move (ns; negative when time goes backwards).
    Advance(i64),
    /// Run the timers that are due.
    Timeout,
    /// Faults, only in the fault-injecting properties.
    TxMissing(usize),
    Link(bool),
    Fault,
    Priority1(u8),
}

fn common_op(backwards: bool) -> BoxedStrategy<Op> {
    let advance = if backwards {
        prop_oneof![
            3 => (0i64..2 * S).boxed(),
            1 => (-20 * S..0).boxed(),
            1 => (-1_000_000 * S..1_000_000 * S).boxed(),
        ]
        .boxed()
    } else {
        prop_oneof![4 => (0i64..2 * S).boxed(), 1 => (0i64..100 * S).boxed(), 1 => (0i64..1_000_000 * S).boxed()]
            .boxed()
    };
    prop_oneof![
        2 => (vec(any::<u8>(), 0..120), rx()).prop_map(|(b, r)| Op::Bytes(b, r)),
        6 => (random_message(), vec((0usize..200, any::<u8>()), 0..3), proptest::option::weighted(0.1, 0usize..100), rx())
            .prop_map(|(m, edits, cut, r)| Op::Msg(m, edits, cut, r)),
        4 => (any::<bool>(), prop::bool::weighted(0.2), 0u16..8, timestamp(), clock_time(), correction(), correction())
            .prop_map(|(two_step, fup_first, seq, t1, t2, c1, c2)| Op::SyncPair { two_step, fup_first, seq, t1, t2, c1, c2 }),
        3 => (timestamp(), correction(), log_interval()).prop_map(|(t4, c, log)| Op::DelayResp { t4, c, log }),
        3 => (prop::bool::weighted(0.8), timestamp(), timestamp(), rx(), correction(), correction())
            .prop_map(|(two_step, t2, t3, t4, c1, c2)| Op::PdelayResp { two_step, t2, t3, t4, c1, c2 }),
        3 => (clock_time(), timestamp(), correction()).prop_map(|(t3, t4, c)| Op::DelayExchange { t3, t4, c }),
        3 => (clock_time(), timestamp(), timestamp(), clock_time(), correction(), correction())
            .prop_map(|(t1, t2, t3, t4, c1, c2)| Op::PdelayExchange { t1, t2, t3, t4, c1, c2 }),
        6 => Just(Op::ToDeadline),
        3 => Just(Op::Announce),
        4 => (any::<usize>(), clock_time()).prop_map(|(i, t)| Op::TxTimestamp(i, t)),
        6 => advance.prop_map(Op::Advance),
        6 => Just(Op::Timeout),
    ].boxed()
}

fn fault_op() -> BoxedStrategy<Op> {
    prop_oneof![
        any::<usize>().prop_map(Op::TxMissing),
        any::<bool>().prop_map(Op::Link),
        Just(Op::Fault),
        any::<u8>().prop_map(Op::Priority1),
    ]
    .boxed()
}

fn ops(backwards: bool, faults: bool) -> BoxedStrategy<Vec<Op>> {
    if faults {
        vec(prop_oneof![8 => common_op(backwards), 1 => fault_op()], 1..80).boxed()
    } else {
        vec(common_op(backwards), 1..80).boxed()
    }
}

/// The clock under test.
#[derive(Clone, Debug)]
struct Setup {
    master_role: bool,
    mechanism: &'static str,
    tsproc: &'static str,
    servo: &'static str,
    free_running: bool,
    two_step: bool,
}

fn setup() -> BoxedStrategy<Setup> {
    (
        any::<bool>(),
        prop::sample::select(vec!["E2E", "P2P", "Auto"]),
        prop::sample::select(vec!["filter", "raw", "filter_weight", "raw_weight"]),
        prop::sample::select(vec!["pi", "linreg"]),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(master_role, mechanism, tsproc, servo, free_running, two_step)| Setup {
            master_role,
            mechanism,
            tsproc,
            servo,
            free_running,
            two_step,
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// The harness

struct Harness {
    clock: Clock,
    now: Instant,
    master: FakePeer,
    me: PortIdentity,
    tokens: Vec<TxToken>,
    last_delay_req: Option<u16>,
    last_pdelay_req: Option<u16>,
    names: PortNames,
    faults_injected: bool,
    /// The link was last reported down: a FAULTY port then waits for the link-up report
    /// (the fault timer does not clear a fault on a down link, as in linuxptp).
    link_down: bool,
    slave_only: bool,
}

impl Harness {
    fn new(s: &Setup) -> Result<Self, TestCaseError> {
        let role = if s.master_role { "priority1 1" } else { "clientOnly 1" };
        let cfg = format!(
            "{role}\nlogSyncInterval -2\ndelay_mechanism {}\ntsproc_mode {}\nclock_servo {}\nfree_running {}\n\
             twoStepFlag {}\nsummary_interval -4\nstep_threshold 0.001",
            s.mechanism,
            s.tsproc,
            s.servo,
            u8::from(s.free_running),
            u8::from(s.two_step)
        );
        let clock = one_port_clock(&cfg, 2, Instant::ZERO);
        let me = clock.port(1).unwrap().identity();
        let mut h = Harness {
            clock,
            now: Instant::ZERO,
            master: FakePeer::new(0xaa),
            me,
            tokens: Vec::new(),
            last_delay_req: None,
            last_pdelay_req: None,
            names: PortNames::new(Dialect::Linuxptp4).with(1, "eth0"),
            faults_injected: false,
            link_down: false,
            slave_only: !s.master_role,
        };
        h.check()?;
        if s.master_role {
            // LISTENING times out to MASTER within 3 to 4 announce intervals.
            h.advance(10 * S)?;
            h.timeout()?;
            prop_assert!(h.clock.port(1).unwrap().state().is_master(), "{:?}", h.clock.port(1).unwrap().state());
        } else {
            for seq in 0..3u16 {
                h.advance(S)?;
                let m = h.master.announce(seq);
                h.receive(&m.to_bytes().unwrap(), None)?;
            }
            prop_assert_eq!(h.clock.port(1).unwrap().state(), PortState::Uncalibrated);
        }
        Ok(h)
    }

    fn receive(&mut self, bytes: &[u8], rx: Option<ClockTime>) -> Result<(), TestCaseError> {
        self.clock.handle_receive(1, bytes, rx, self.now);
        self.check()
    }

    fn advance(&mut self, ns: i64) -> Result<(), TestCaseError> {
        // Keep the driver's monotonic clock far from saturation.
        let next = self.now.as_nanos().saturating_add(ns).clamp(0, 1 << 60);
        self.now = Instant::from_nanos(next);
        Ok(())
    }

    /// Run due timers; they must settle (nothing left due at `now`) within a few rounds.
    fn timeout(&mut self) -> Result<(), TestCaseError> {
        for _ in 0..16 {
            match self.clock.poll_timeout() {
                Some(t) if t <= self.now => {
                    self.clock.handle_timeout(self.now);
                    self.check()?;
                }
                _ => return Ok(()),
            }
        }
        prop_assert!(false, "timers still due at {:?} after 16 rounds: {:?}", self.now, self.clock.poll_timeout());
        Ok(())
    }

    /// Drain and check every output.
    fn check(&mut self) -> Result<(), TestCaseError> {
        while let Some(tx) = self.clock.poll_transmit() {
            let m = Message::parse(&tx.bytes);
            prop_assert!(m.is_ok(), "engine sent bytes that do not parse: {:?} {:02x?}", m, tx.bytes);
            let m = m.unwrap();
            let t = m.message_type();
            if t == MessageType::Management && tx.port == ptp_engine::clock::UDS_PORT {
                // A management message forwarded to the UDS client keeps its sender's header.
                prop_assert!(!tx.event);
                continue;
            }
            prop_assert_eq!(tx.port, 1);
            prop_assert_eq!(tx.event, t.is_event());
            prop_assert_eq!(m.header.version_ptp, 2);
            prop_assert_eq!(m.header.domain_number, 0);
            prop_assert_eq!(m.header.source_port_identity, self.me);
            match t {
                MessageType::DelayReq => self.last_delay_req = Some(m.header.sequence_id),
                MessageType::PdelayReq => self.last_pdelay_req = Some(m.header.sequence_id),
                MessageType::Announce | MessageType::Sync | MessageType::FollowUp => {
                    prop_assert!(!self.slave_only, "a clientOnly clock sent {t}");
                }
                _ => {}
            }
            if let Some(tok) = tx.tx_token {
                prop_assert!(t.is_event(), "token for {t}");
                prop_assert_eq!(tok.message_type(), t);
                prop_assert_eq!(tok.sequence_id(), m.header.sequence_id);
                prop_assert_eq!(tok.port(), 1);
                self.tokens.push(tok);
            }
        }
        while let Some(a) = self.clock.poll_action() {
            if let ClockAction::SetFrequency { ppb } = a {
                prop_assert!(ppb.is_finite(), "{a:?}");
            }
        }
        while let Some(e) = self.clock.poll_event() {
            let _ = format(&e, &self.names);
        }
        let state = self.clock.port(1).unwrap().state();
        if self.slave_only {
            prop_assert!(
                !matches!(
                    state,
                    PortState::Master | PortState::GrandMaster | PortState::PreMaster | PortState::Passive
                ),
                "clientOnly port in {state}"
            );
        }
        match self.clock.poll_timeout() {
            Some(t) => {
                // Finite: no interval in these configurations (nor any logMessageInterval a
                // Delay_Resp can impose, 2^22 s at most, twice for the random Delay_Req
                // timer) is anywhere near saturating the monotonic clock.
                prop_assert!(t.as_nanos() < i64::MAX / 2, "deadline {t:?} at {:?}", self.now);
            }
            None => prop_assert!(
                self.faults_injected || (self.link_down && state == PortState::Faulty),
                "no deadline in {state} (no fault was injected, link down {})",
                self.link_down
            ),
        }
        Ok(())
    }

    fn build(&self, r: &RandomMessage) -> Message {
        let hb = &r.header;
        let src = match hb.source {
            Source::Master => self.master.identity,
            Source::Own(n) => PortIdentity { port_number: n, ..self.me },
            Source::Other(p) => p,
        };
        let mut h = Header::new(MessageType::Sync);
        h.domain_number = hb.domain;
        h.major_sdo_id = hb.sdo;
        h.minor_version_ptp = hb.minor_version;
        h.flag_field = FlagField(hb.flags);
        h.correction_field = hb.correction;
        h.sequence_id = hb.seq;
        h.log_message_interval = hb.log;
        h.control_field = hb.control;
        h.source_port_identity = src;
        let me = |p: Option<PortIdentity>| p.unwrap_or(self.me);
        let body = match r.body {
            Body::Sync(t) => MessageBody::Sync(Sync { origin_timestamp: t }),
            Body::DelayReq(t) => MessageBody::DelayReq(DelayReq { origin_timestamp: t }),
            Body::PdelayReq(t) => MessageBody::PdelayReq(PdelayReq { origin_timestamp: t }),
            Body::PdelayResp(t, p) => {
                MessageBody::PdelayResp(PdelayResp { request_receipt_timestamp: t, requesting_port_identity: me(p) })
            }
            Body::FollowUp(t) => MessageBody::FollowUp(FollowUp { precise_origin_timestamp: t }),
            Body::DelayResp(t, p) => {
                MessageBody::DelayResp(DelayResp { receive_timestamp: t, requesting_port_identity: me(p) })
            }
            Body::PdelayRespFollowUp(t, p) => MessageBody::PdelayRespFollowUp(PdelayRespFollowUp {
                response_origin_timestamp: t,
                requesting_port_identity: me(p),
            }),
            Body::Announce(a) => MessageBody::Announce(a),
            Body::Signaling(p) => MessageBody::Signaling(Signaling { target_port_identity: me(p) }),
            Body::Management(p, a, b, c) => MessageBody::Management(Management {
                target_port_identity: me(p),
                starting_boundary_hops: a,
                boundary_hops: b,
                action: ManagementAction(c),
            }),
        };
        h.message_type = body.message_type();
        Message { header: h, body, tlvs: r.tlvs.clone() }
    }

    /// Answer the outstanding token of the last message of type `t` (sequence `seq`).
    fn answer_last(&mut self, t: MessageType, seq: Option<u16>, ts: ClockTime) -> Result<(), TestCaseError> {
        let found = self.tokens.iter().position(|k| k.message_type() == t && Some(k.sequence_id()) == seq);
        if let Some(i) = found {
            let tok = self.tokens.remove(i);
            self.clock.handle_tx_timestamp(tok, ts, self.now);
            self.check()?;
        }
        Ok(())
    }

    fn apply(&mut self, op: Op) -> Result<(), TestCaseError> {
        match op {
            Op::Bytes(b, r) => self.receive(&b, r)?,
            Op::Msg(m, edits, cut, r) => {
                let m = self.build(&m);
                let Ok(mut bytes) = m.to_bytes() else { return Ok(()) };
                for (i, v) in edits {
                    if let Some(b) = bytes.get_mut(i) {
                        *b = v;
                    }
                }
                if let Some(n) = cut {
                    bytes.truncate(n);
                }
                self.receive(&bytes, r)?;
            }
            Op::SyncPair { two_step, fup_first, seq, t1, t2, c1, c2 } => {
                let sync = self.master.sync(seq, two_step, t1, c1).to_bytes().unwrap();
                let fup = self.master.follow_up(seq, t1, c2).to_bytes().unwrap();
                if two_step && fup_first {
                    self.receive(&fup, None)?;
                }
                self.receive(&sync, Some(t2))?;
                if two_step && !fup_first {
                    self.receive(&fup, None)?;
                }
            }
            Op::DelayResp { t4, c, log } => {
                let seq = self.last_delay_req.unwrap_or(0);
                let m = self.master.delay_resp(seq, t4, self.me, c, log);
                self.receive(&m.to_bytes().unwrap(), None)?;
            }
            Op::PdelayResp { two_step, t2, t3, t4, c1, c2 } => {
                let seq = self.last_pdelay_req.unwrap_or(0);
                let resp = self.master.pdelay_resp(seq, two_step, t2, self.me, c1);
                self.receive(&resp.to_bytes().unwrap(), t4)?;
                if two_step {
                    let fup = self.master.pdelay_resp_follow_up(seq, t3, self.me, c2);
                    self.receive(&fup.to_bytes().unwrap(), None)?;
                }
            }
            Op::DelayExchange { t3, t4, c } => {
                self.answer_last(MessageType::DelayReq, self.last_delay_req, t3)?;
                self.apply(Op::DelayResp { t4, c, log: 0 })?;
            }
            Op::PdelayExchange { t1, t2, t3, t4, c1, c2 } => {
                self.answer_last(MessageType::PdelayReq, self.last_pdelay_req, t1)?;
                self.apply(Op::PdelayResp { two_step: true, t2, t3, t4: Some(t4), c1, c2 })?;
            }
            Op::ToDeadline => {
                if let Some(t) = self.clock.poll_timeout() {
                    self.now = self.now.max(t);
                }
                self.timeout()?;
            }
            Op::Announce => {
                let m = self.master.announce(self.now.as_nanos() as u16);
                self.receive(&m.to_bytes().unwrap(), None)?;
            }
            Op::TxTimestamp(i, t) => {
                if !self.tokens.is_empty() {
                    let tok = self.tokens.remove(i % self.tokens.len());
                    self.clock.handle_tx_timestamp(tok, t, self.now);
                    self.check()?;
                }
            }
            Op::Advance(ns) => self.advance(ns)?,
            Op::Timeout => self.timeout()?,
            Op::TxMissing(i) => {
                if !self.tokens.is_empty() {
                    self.faults_injected = true;
                    let tok = self.tokens.remove(i % self.tokens.len());
                    self.clock.handle_tx_timestamp_missing(tok, self.now);
                    self.check()?;
                }
            }
            Op::Link(up) => {
                self.faults_injected = true;
                self.link_down = !up;
                self.clock.handle_link(1, up, self.now);
                self.check()?;
            }
            Op::Fault => {
                self.faults_injected = true;
                self.clock.fault(1, FaultType::Unspecified, self.now);
                self.check()?;
            }
            Op::Priority1(p) => {
                // A clientOnly clock stays clientOnly whatever its priority.
                self.clock.set_priority1(p, self.now);
                self.check()?;
            }
        }
        Ok(())
    }
}

fn run(s: &Setup, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut h = Harness::new(s)?;
    for op in ops {
        h.apply(op)?;
    }
    // Whatever happened, the clock keeps working: a long quiet time runs every timer.
    for _ in 0..8 {
        h.advance(20 * S)?;
        h.timeout()?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Time only moves forward; no faults: the clock always has a deadline.
    #[test]
    fn running_clock_survives_random_input(s in setup(), ops in ops(false, false)) {
        run(&s, ops)?;
    }

    /// The driver's clock jumps backwards now and then (a driver bug, or a VM migration).
    #[test]
    fn running_clock_survives_time_going_backwards(s in setup(), ops in ops(true, false)) {
        run(&s, ops)?;
    }

    /// Link changes, faults, missing transmit timestamps and priority changes mixed in: no
    /// panic, valid output (a port may lose every timer here, see the ignored property below).
    #[test]
    fn running_clock_survives_faults(s in setup(), ops in ops(true, true)) {
        run(&s, ops)?;
    }
}

/// A clock must always have a next deadline, whatever happened: a port that was faulty comes
/// back (fault_reset_interval, link up) and a clientOnly port that lost its master keeps
/// timing out (linuxptp re-arms the announce timer every time it fires).
/// `master_only`: only clocks that start as masters.
fn always_has_a_deadline(faults: bool, master_only: bool) {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 256, ..ProptestConfig::default() });
    let setups = setup().prop_map(move |s| Setup { master_role: s.master_role || master_only, ..s });
    runner
        .run(&(setups, ops(true, faults)), |(s, ops)| {
            let mut h = Harness::new(&s)?;
            for op in ops {
                h.apply(op)?;
                h.faults_injected = false;
                h.check()?;
            }
            for _ in 0..8 {
                h.advance(20 * S)?;
                h.timeout()?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn clock_always_has_a_deadline() {
    always_has_a_deadline(false, false);
}

#[test]
fn faulted_clock_always_has_a_deadline() {
    always_has_a_deadline(true, true);
}
