//! The UTC timescale of a clock that disciplines the system clock (software or legacy
//! timestamping) and leap seconds (linuxptp `clock_utc_correct`): offsets from a master on
//! the PTP timescale are corrected by the UTC offset, leap seconds are armed in the kernel
//! (or given to the servo) and samples in the last second of the day are suspended.
//!
//! Most tests script one slave by hand (tests/common `script`): the master's Sync and
//! Follow_Up carry TAI-based times, the slave's receive timestamps are its UTC clock, and a
//! tiny "kernel" inserts the leap second the slave armed when its clock reaches midnight.
//! The last test runs two engines on virtual time.

mod common;

use std::sync::{Arc, Mutex};

use common::script::{corr, one_port_clock, one_port_config, ts, Driver, FakePeer};
use common::{Net, SimClock};
use ptp_engine::clock::Clock;
use ptp_engine::config::{ClockConfig, PortConfig};
use ptp_engine::event::Event;
use ptp_engine::servo::{self, Servo, ServoConfig};
use ptp_engine::state::ServoState;
use ptp_engine::sync::{Synchronization, TsprocSettings};
use ptp_engine::time::{ClockTime, Instant, Nanos};
use ptp_engine::transmit::ClockAction;
use ptp_wire::{ClockIdentity, FlagField, Message, MessageBody, MessageType, TimeInterval};

const S: i128 = 1_000_000_000;
const PATH: i128 = 5_000;
/// 2017-01-01 00:00:00 UTC, ns since 1970 (a leap second was inserted just before it).
const MIDNIGHT: i128 = 17_167 * 86_400 * S;
/// How far the slave's UTC clock is from the master's UTC (ns): what offsets should show.
const SMALL: i128 = 1_000;
const TAI: u16 = FlagField::PTP_TIMESCALE;
const VALID: u16 = FlagField::CURRENT_UTC_OFFSET_VALID;
const TRACEABLE: u16 = FlagField::TIME_TRACEABLE;
const LEAP61: u16 = FlagField::LEAP_61;
const LEAP59: u16 = FlagField::LEAP_59;

/// What one scripted second produced.
#[derive(Debug, Default)]
struct Step {
    /// The slave's receive time of the Sync (its clock, UTC for a software slave).
    t2: i128,
    offsets: Vec<i64>,
    suspended: usize,
    actions: Vec<ClockAction>,
}

/// A slave driven by hand against a master whose Announce flags and currentUtcOffset the test
/// sets; one Sync (two-step) a second, one Delay_Req exchange after the first.
struct Script {
    d: Driver,
    master: FakePeer,
    flags: u16,
    utc_offset: i16,
    ann_seq: u16,
    seq: u16,
    /// Master (PTP) time of the next Sync's originTimestamp.
    t1: i128,
    /// Slave clock minus master clock (ns).
    ahead: i128,
    delay_known: bool,
    /// The leap second armed in the slave's "kernel" by SetLeap and its midnight.
    armed: Option<(i8, i128)>,
    kernel_leaps: i32,
    /// The actions the clock asked for when it was created.
    start_actions: Vec<ClockAction>,
}

impl Script {
    fn new(extra: &str, flags: u16, utc_offset: i16, t1: i128, ahead: i128) -> Self {
        Self::with_clock(one_port_clock(&slave_config(extra), 2, Instant::ZERO), flags, utc_offset, t1, ahead)
    }

    fn with_clock(clock: Clock, flags: u16, utc_offset: i16, t1: i128, ahead: i128) -> Self {
        let d = Driver::new(clock, Instant::ZERO);
        let mut s = Script {
            d,
            master: FakePeer::new(0xaa),
            flags,
            utc_offset,
            ann_seq: 0,
            seq: 0,
            t1,
            ahead,
            delay_known: false,
            armed: None,
            kernel_leaps: 0,
            start_actions: Vec::new(),
        };
        let start = std::mem::take(&mut s.d.actions);
        s.kernel(&start);
        s.start_actions = start;
        for i in 1..=3 {
            s.d.set_now(Instant::from_secs(i));
            s.announce();
        }
        assert_eq!(s.d.clock.parent_ds().parent_port_identity, s.master.identity, "{:#?}", s.d.events);
        s
    }

    fn announce(&mut self) {
        let mut m = self.master.announce(self.ann_seq);
        self.ann_seq = self.ann_seq.wrapping_add(1);
        m.header.flag_field = FlagField(self.flags);
        if let MessageBody::Announce(a) = &mut m.body {
            a.current_utc_offset = self.utc_offset;
        }
        self.d.receive(&m, None);
    }

    /// The slave's "kernel": remember what SetLeap armed.
    fn kernel(&mut self, actions: &[ClockAction]) {
        for a in actions {
            if let ClockAction::SetLeap { leap } = *a {
                self.armed = None;
                if leap != 0 {
                    let now = self.t1 + self.ahead;
                    let midnight = (now.div_euclid(86_400 * S) + 1) * 86_400 * S;
                    self.armed = Some((leap, if leap > 0 { midnight } else { midnight - S }));
                }
            }
        }
    }

    /// One second: an Announce, a Sync and its Follow_Up (and the first time a delay
    /// measurement).
    fn second(&mut self) -> Step {
        self.d.set_now(self.d.now + std::time::Duration::from_secs(1));
        self.announce();
        let mut t2 = self.t1 + PATH + self.ahead;
        if let Some((leap, at)) = self.armed {
            if t2 >= at {
                // The kernel applies the armed leap second: 23:59:59 again, or skipped.
                self.ahead -= i128::from(leap) * S;
                self.kernel_leaps += i32::from(leap);
                self.armed = None;
                t2 = self.t1 + PATH + self.ahead;
            }
        }
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        self.d.receive(&self.master.sync(seq, true, ts(0), corr(0, 0)), Some(ClockTime(t2)));
        self.d.receive(&self.master.follow_up(seq, ts(self.t1), corr(0, 0)), None);
        if !self.delay_known {
            self.delay_exchange(t2);
            self.delay_known = true;
        }
        self.t1 += S;
        let actions = std::mem::take(&mut self.d.actions);
        self.kernel(&actions);
        let events = self.d.take_events();
        Step {
            t2,
            offsets: events
                .iter()
                .filter_map(|e| match e {
                    Event::MasterOffset { offset_ns, .. } => Some(*offset_ns),
                    _ => None,
                })
                .collect(),
            suspended: events.iter().filter(|e| **e == Event::ClockUpdateSuspendedLeapSecond).count(),
            actions,
        }
    }

    fn delay_exchange(&mut self, t2: i128) {
        let limit = self.d.now + std::time::Duration::from_secs(4);
        let tx = self.d.run_until_sent(MessageType::DelayReq, limit).expect("a Delay_Req");
        let req = Message::parse(&tx.bytes).unwrap();
        let t3 = t2 + 100_000_000;
        let t4 = t3 - self.ahead + PATH;
        self.d.clock.handle_tx_timestamp(tx.tx_token.unwrap(), ClockTime(t3), self.d.now);
        self.d.drain();
        let me = self.d.clock.port(1).unwrap().identity();
        let c = TimeInterval(req.header.correction_field.0);
        self.d.receive(&self.master.delay_resp(req.header.sequence_id, ts(t4), me, c, 0), None);
    }
}

fn slave_config(extra: &str) -> String {
    format!("clientOnly 1\nsummary_interval -4\nfirst_step_threshold 0\nstep_threshold 0\nsanity_freq_limit 0\n{extra}")
}

/// A servo that records what [`Servo::leap`] was told and otherwise is the configured one.
#[derive(Debug)]
struct LeapRecorder {
    inner: Box<dyn Servo>,
    leaps: Arc<Mutex<Vec<i32>>>,
}

impl Servo for LeapRecorder {
    fn kind(&self) -> ptp_config::enums::ClockServo {
        self.inner.kind()
    }
    fn sample(&mut self, offset_ns: i64, local_ts_ns: u64, weight: f64) -> (f64, ServoState) {
        self.inner.sample(offset_ns, local_ts_ns, weight)
    }
    fn sync_interval(&mut self, interval_s: f64) {
        self.inner.sync_interval(interval_s);
    }
    fn reset(&mut self) {
        self.inner.reset();
    }
    fn leap(&mut self, leap: i32) {
        self.leaps.lock().unwrap().push(leap);
        self.inner.leap(leap);
    }
    fn offset_threshold(&self) -> i32 {
        self.inner.offset_threshold()
    }
    fn max_frequency(&self) -> f64 {
        self.inner.max_frequency()
    }
}

/// A slave clock built from `extra` whose servo records its leap calls.
fn clock_with_leap_recorder(extra: &str) -> (Clock, Arc<Mutex<Vec<i32>>>) {
    let cfg = one_port_config(&slave_config(extra));
    let clock_cfg = ClockConfig::from_config(&cfg, ClockIdentity::from_mac([2, 0, 0, 0, 1, 2]));
    let inner = servo::create(cfg.global_enum(), &ServoConfig::from_config(&cfg), 0.0, 500_000, true).unwrap();
    let leaps = Arc::new(Mutex::new(Vec::new()));
    let servo = Box::new(LeapRecorder { inner, leaps: Arc::clone(&leaps) });
    let settings = TsprocSettings {
        mode: cfg.global_enum(),
        filter: cfg.global_enum(),
        filter_length: cfg.global_int("delay_filter_length"),
    };
    let sync = Synchronization::new(servo, settings, i32::from(clock_cfg.summary_interval), false).unwrap();
    let ports = vec![PortConfig::from_config(&cfg, "eth0")];
    (Clock::new(clock_cfg, ports, sync, Instant::ZERO).unwrap(), leaps)
}

fn kernel_actions(steps: &[Step]) -> Vec<ClockAction> {
    steps
        .iter()
        .flat_map(|s| s.actions.iter().copied())
        .filter(|a| matches!(a, ClockAction::SetLeap { .. } | ClockAction::SetTaiOffset { .. }))
        .collect()
}

fn offsets(steps: &[Step]) -> Vec<i64> {
    steps.iter().flat_map(|s| s.offsets.iter().copied()).collect()
}

fn software(extra: &str) -> String {
    format!("time_stamping software\n{extra}")
}

// ---- The UTC offset -------------------------------------------------------------------------

#[test]
fn software_slave_of_a_tai_master_is_corrected_by_the_utc_offset() {
    // The slave's clock keeps UTC: 37 s behind the master's PTP time (plus SMALL).
    let t1 = MIDNIGHT - 12 * 3_600 * S;
    let mut s = Script::new(&software(""), TAI | VALID | TRACEABLE, 37, t1, -37 * S + SMALL);
    assert_eq!(s.start_actions, [ClockAction::SetLeap { leap: 0 }]);
    let steps: Vec<Step> = (0..10).map(|_| s.second()).collect();
    let offs = offsets(&steps);
    assert!(offs.len() >= 8, "{offs:?}");
    assert!(offs.iter().all(|o| i128::from(*o) == SMALL), "{offs:?}");
    assert_eq!(s.d.clock.current_ds().offset_from_master, Nanos(SMALL));
    // The TAI offset goes to the kernel once; no leap second.
    assert_eq!(kernel_actions(&steps), [ClockAction::SetTaiOffset { seconds: 37 }]);
    assert!(steps.iter().all(|st| st.suspended == 0));
}

#[test]
fn hardware_slave_gets_no_correction() {
    // The same timestamps on a PHC slave: the PHC keeps PTP time, so 37 s off is 37 s off.
    let t1 = MIDNIGHT - 12 * 3_600 * S;
    let mut s = Script::new("", TAI | VALID | TRACEABLE | LEAP61, 37, t1, -37 * S + SMALL);
    assert!(s.start_actions.is_empty());
    let steps: Vec<Step> = (0..10).map(|_| s.second()).collect();
    let offs = offsets(&steps);
    assert!(offs.len() >= 8);
    assert!(offs.iter().all(|o| i128::from(*o) == -37 * S + SMALL), "{offs:?}");
    assert!(kernel_actions(&steps).is_empty());
}

#[test]
fn legacy_timestamping_keeps_utc_too() {
    let t1 = MIDNIGHT - 12 * 3_600 * S;
    let mut s = Script::new("time_stamping legacy", TAI | VALID | TRACEABLE, 37, t1, -37 * S + SMALL);
    let steps: Vec<Step> = (0..6).map(|_| s.second()).collect();
    assert!(offsets(&steps).iter().all(|o| i128::from(*o) == SMALL));
    // ptp4l announces a UTC clock as not on the PTP timescale when it is grandmaster.
    assert_eq!(s.start_actions, [ClockAction::SetLeap { leap: 0 }]);
}

#[test]
fn untraceable_offset_is_not_given_to_the_kernel_and_the_larger_offset_wins() {
    // Valid but not traceable: no SetTaiOffset; the configured 37 is used...
    let t1 = MIDNIGHT - 12 * 3_600 * S;
    let mut s = Script::new(&software(""), TAI | VALID, 37, t1, -37 * S + SMALL);
    let steps: Vec<Step> = (0..6).map(|_| s.second()).collect();
    assert!(offsets(&steps).iter().all(|o| i128::from(*o) == SMALL));
    assert!(kernel_actions(&steps).is_empty());
    // ...unless the master announces a larger one (a leap second the configuration missed).
    let mut s = Script::new(&software(""), TAI, 38, t1, -38 * S + SMALL);
    let steps: Vec<Step> = (0..6).map(|_| s.second()).collect();
    assert!(offsets(&steps).iter().all(|o| i128::from(*o) == SMALL), "{:?}", offsets(&steps));
    // A smaller untraceable one is ignored: the configured utc_offset counts.
    let mut s = Script::new(&software("utc_offset 36"), TAI, 35, t1, -36 * S + SMALL);
    let steps: Vec<Step> = (0..6).map(|_| s.second()).collect();
    assert!(offsets(&steps).iter().all(|o| i128::from(*o) == SMALL), "{:?}", offsets(&steps));
}

#[test]
fn master_not_on_the_ptp_timescale_is_taken_as_is() {
    // An ARB (or UTC) master: no correction, but a valid traceable offset still goes to the
    // kernel.
    let t1 = MIDNIGHT - 12 * 3_600 * S;
    let mut s = Script::new(&software(""), VALID | TRACEABLE, 37, t1, SMALL);
    let steps: Vec<Step> = (0..6).map(|_| s.second()).collect();
    assert!(offsets(&steps).iter().all(|o| i128::from(*o) == SMALL));
    assert_eq!(kernel_actions(&steps), [ClockAction::SetTaiOffset { seconds: 37 }]);
}

// ---- Leap seconds ---------------------------------------------------------------------------

/// A master announcing leap61 (currentUtcOffset 37) to a software slave whose clock reads
/// 23:59:20 UTC at the first Sync; the master clears the flag late, 4 s after midnight, and
/// then announces 38.
fn leap61_run(extra: &str) -> (Script, Vec<Step>) {
    leap61_run_with(one_port_clock(&slave_config(&software(extra)), 2, Instant::ZERO))
}

fn leap61_run_with(clock: Clock) -> (Script, Vec<Step>) {
    let t1 = MIDNIGHT - 40 * S + 37 * S;
    let mut s = Script::with_clock(clock, TAI | VALID | TRACEABLE | LEAP61, 37, t1, -37 * S + SMALL);
    let mut steps = Vec::new();
    for _ in 0..60 {
        if s.t1 - 37 * S >= MIDNIGHT + 4 * S {
            s.flags = TAI | VALID | TRACEABLE;
            s.utc_offset = 38;
        }
        steps.push(s.second());
    }
    (s, steps)
}

#[test]
fn leap61_is_armed_in_the_kernel_and_updates_are_suspended_around_midnight() {
    let (s, steps) = leap61_run("");
    assert_eq!(s.start_actions, [ClockAction::SetLeap { leap: 0 }]);
    assert!(s.d.clock.time_properties_ds().ptp_timescale);
    // Armed once at the first sample, cleared once after midnight; the kernel's TAI offset
    // follows the leap second.
    assert_eq!(
        kernel_actions(&steps),
        [
            ClockAction::SetLeap { leap: 1 },
            ClockAction::SetTaiOffset { seconds: 37 },
            ClockAction::SetLeap { leap: 0 },
            ClockAction::SetTaiOffset { seconds: 38 },
        ]
    );
    assert_eq!(s.kernel_leaps, 1);
    let first_clear = steps.iter().position(|st| st.actions.contains(&ClockAction::SetLeap { leap: 0 })).unwrap();
    assert!(steps[first_clear].t2 >= MIDNIGHT && steps[first_clear].t2 < MIDNIGHT + S, "{}", steps[first_clear].t2);
    // The last second before midnight came twice (the kernel repeated it): both Syncs there
    // were suspended: the event, no offset, no servo action.
    let day = 86_400 * S;
    for st in &steps {
        let last_second = st.t2.rem_euclid(day) >= day - S;
        assert_eq!(st.suspended, usize::from(last_second), "{st:?}");
        if last_second {
            assert!(st.offsets.is_empty(), "{st:?}");
            assert!(st.actions.is_empty(), "{st:?}");
        }
    }
    assert_eq!(steps.iter().map(|st| st.suspended).sum::<usize>(), 2);
    // Every other sample: the slave is SMALL ahead of UTC, before midnight (TAI - 37) and
    // after it (TAI - 38; the master's late flag counts as already applied).
    let offs = offsets(&steps);
    assert!(offs.len() >= 50, "{}", offs.len());
    assert!(offs.iter().all(|o| i128::from(*o) == SMALL), "{offs:?}");
    assert_eq!(s.d.clock.synchronization().utc_correction().leap_set(), 0);
    assert_eq!(s.d.clock.synchronization().utc_correction().utc_offset_set(), 38);
}

#[test]
fn leap61_with_kernel_leap_0_goes_to_the_servo() {
    let (clock, leaps) = clock_with_leap_recorder("time_stamping software\nkernel_leap 0\nclock_servo linreg");
    let (s, steps) = leap61_run_with(clock);
    // The servo was told: insert at the first sample, done after midnight.
    assert_eq!(*leaps.lock().unwrap(), [1, 0]);
    // Only the start's SetLeap 0 (linuxptp clears the kernel flag at start whatever
    // kernel_leap says); the leap second itself is the servo's business.
    assert_eq!(s.start_actions, [ClockAction::SetLeap { leap: 0 }]);
    assert!(kernel_actions(&steps).iter().all(|a| matches!(a, ClockAction::SetTaiOffset { .. })));
    assert_eq!(s.kernel_leaps, 0);
    // The clock's leap state still went 1 then 0: the servo was told.
    let utc = s.d.clock.synchronization().utc_correction();
    assert_eq!(utc.leap_set(), 0);
    // Without the kernel's repeat only one Sync fell into the last second.
    assert_eq!(steps.iter().map(|st| st.suspended).sum::<usize>(), 1);
}

#[test]
fn leap_state_is_armed_before_midnight_with_kernel_leap_0() {
    let t1 = MIDNIGHT - 40 * S + 37 * S;
    let mut s = Script::new(&software("kernel_leap 0"), TAI | VALID | TRACEABLE | LEAP61, 37, t1, -37 * S + SMALL);
    for _ in 0..5 {
        s.second();
    }
    assert_eq!(s.d.clock.synchronization().utc_correction().leap_set(), 1);
}

#[test]
fn leap59_deletes_a_second() {
    let t1 = MIDNIGHT - 40 * S + 37 * S;
    let mut s = Script::new(&software(""), TAI | VALID | TRACEABLE | LEAP59, 37, t1, -37 * S + SMALL);
    let mut steps = Vec::new();
    for _ in 0..60 {
        if s.t1 - 37 * S >= MIDNIGHT + 4 * S {
            s.flags = TAI | VALID | TRACEABLE;
            s.utc_offset = 36;
        }
        steps.push(s.second());
    }
    assert_eq!(
        kernel_actions(&steps),
        [
            ClockAction::SetLeap { leap: -1 },
            ClockAction::SetTaiOffset { seconds: 37 },
            ClockAction::SetLeap { leap: 0 },
            ClockAction::SetTaiOffset { seconds: 36 },
        ]
    );
    assert_eq!(s.kernel_leaps, -1);
    // 23:59:59 never came (the kernel skipped it): nothing was suspended.
    assert_eq!(steps.iter().map(|st| st.suspended).sum::<usize>(), 0);
    assert!(offsets(&steps).iter().all(|o| i128::from(*o) == SMALL), "{:?}", offsets(&steps));
}

#[test]
fn a_leap_flag_announced_too_early_waits_for_6_hours_after_midnight() {
    // At 03:00 UTC a leap61 flag is still the last one's (late): not armed, and the offset
    // counts as already moved (38).
    let t1 = MIDNIGHT + 3 * 3_600 * S + 37 * S;
    let mut s = Script::new(&software(""), TAI | VALID | TRACEABLE | LEAP61, 37, t1, -38 * S + SMALL);
    let steps: Vec<Step> = (0..6).map(|_| s.second()).collect();
    assert_eq!(kernel_actions(&steps), [ClockAction::SetTaiOffset { seconds: 38 }]);
    assert!(offsets(&steps).iter().all(|o| i128::from(*o) == SMALL), "{:?}", offsets(&steps));
    // At 07:00 it is the coming midnight's: armed.
    let t1 = MIDNIGHT + 7 * 3_600 * S + 37 * S;
    let mut s = Script::new(&software(""), TAI | VALID | TRACEABLE | LEAP61, 37, t1, -37 * S + SMALL);
    let steps: Vec<Step> = (0..6).map(|_| s.second()).collect();
    assert_eq!(kernel_actions(&steps), [ClockAction::SetLeap { leap: 1 }, ClockAction::SetTaiOffset { seconds: 37 }]);
}

#[test]
fn free_running_clock_corrects_offsets_but_never_touches_the_kernel() {
    let t1 = MIDNIGHT - 40 * S + 37 * S;
    let mut s = Script::new(&software("free_running 1"), TAI | VALID | TRACEABLE | LEAP61, 37, t1, -37 * S + SMALL);
    assert!(s.start_actions.is_empty());
    let mut steps = Vec::new();
    for _ in 0..30 {
        steps.push(s.second());
    }
    assert!(steps.iter().flat_map(|st| st.actions.iter()).all(|a| !matches!(
        a,
        ClockAction::SetLeap { .. } | ClockAction::SetTaiOffset { .. } | ClockAction::Step { .. }
    )));
    // No leap second handling at all: nothing is suspended in the last second.
    assert_eq!(steps.iter().map(|st| st.suspended).sum::<usize>(), 0);
    assert_eq!(s.d.clock.current_ds().offset_from_master, Nanos(SMALL));
    assert!(!offsets(&steps).is_empty() && offsets(&steps).iter().all(|o| i128::from(*o) == SMALL));
}

#[test]
fn hardware_free_running_clock_has_no_correction() {
    let t1 = MIDNIGHT - 12 * 3_600 * S;
    let mut s = Script::new("free_running 1", TAI | VALID | TRACEABLE, 37, t1, -37 * S + SMALL);
    for _ in 0..6 {
        s.second();
    }
    assert_eq!(s.d.clock.current_ds().offset_from_master, Nanos(-37 * S + SMALL));
}

// ---- Two engines on virtual time ------------------------------------------------------------

fn clock(lines: &str, id: u8) -> Clock {
    let cfg = ptp_config::Config::parse(&format!("[global]\n{lines}\n[eth0]\n"), "test.cfg").unwrap();
    Clock::from_config(&cfg, ClockIdentity::from_mac([2, 0, 0, 0, 1, id]), Instant::ZERO).unwrap()
}

fn net_offsets(net: &Net, node: usize) -> Vec<(i64, i64)> {
    net.nodes[node]
        .events
        .iter()
        .filter_map(|(t, e)| match e {
            Event::MasterOffset { offset_ns, .. } => Some((*t, *offset_ns)),
            _ => None,
        })
        .collect()
}

/// A hardware grandmaster (PTP timescale, announcing currentUtcOffset 37 from its
/// configuration) and a slave whose clock starts 37 s behind it plus `extra_ns`.
fn utc_pair(slave_cfg: &str, extra_ns: f64) -> Net {
    let mut net = Net::new();
    let m = net.add(clock("priority1 100\nlogSyncInterval -2", 1), SimClock::new(0.0, 0.0));
    let s = net.add(
        clock(&format!("clientOnly 1\nlogSyncInterval -2\nsummary_interval -2\n{slave_cfg}"), 2),
        SimClock::new(-37e9 + extra_ns, 2_000.0),
    );
    net.link(vec![(m, 1), (s, 1)], 5_000);
    net
}

#[test]
fn software_slave_of_a_hardware_grandmaster_keeps_utc() {
    let mut net = utc_pair("time_stamping software", 10_000.0);
    net.run_until(200 * S as i64);
    let offs = net_offsets(&net, 1);
    assert!(offs.len() > 500, "{}", offs.len());
    // Never saw the 37 s: offsets start near the 10 us the clock is off UTC.
    assert!(offs.iter().all(|(_, o)| o.abs() < 1_000_000), "{:?}", &offs[..10]);
    let late: Vec<i64> = offs.iter().filter(|(t, _)| *t >= 150 * S as i64).map(|(_, o)| *o).collect();
    assert!(late.iter().all(|o| o.abs() < 1_000), "{late:?}");
    // True error: the slave's clock is 37 s behind the grandmaster's PTP time (it keeps UTC).
    let err = net.nodes[1].osc.error(net.now) - net.nodes[0].osc.error(net.now);
    assert!((err + 37e9).abs() < 1_000.0, "{err}");
    // The kernel was cleared at start; the master's offset is not valid: no TAI offset.
    assert_eq!(net.nodes[1].osc.kernel, [ClockAction::SetLeap { leap: 0 }]);
    assert!(net.nodes[0].osc.kernel.is_empty());
}

#[test]
fn hardware_slave_of_a_hardware_grandmaster_sees_the_37_seconds() {
    // Without the UTC correction (a PHC slave), the same clocks are 37 s apart: the servo
    // steps the slave onto the grandmaster's PTP time.
    let mut net = utc_pair("", 10_000.0);
    net.run_until(60 * S as i64);
    let offs = net_offsets(&net, 1);
    let first = offs.first().map(|(_, o)| *o).unwrap();
    assert!((first as f64 + 37e9).abs() < 1e6, "{first}");
    let err = net.nodes[1].osc.error(net.now) - net.nodes[0].osc.error(net.now);
    assert!(err.abs() < 1_000.0, "{err}");
    assert!(net.nodes[1].osc.kernel.is_empty());
}
