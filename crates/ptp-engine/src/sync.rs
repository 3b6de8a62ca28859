//! Synchronisation: turns the slave port's timing samples into offset and delay (timestamp
//! processing per port), runs the servo, and produces clock actions and log events (linuxptp
//! `port_synchronize`, `port_peer_delay`, `clock_synchronize`, `clock_no_adjust`).

use std::collections::BTreeMap;

use ptp_config::enums::{ClockServo, DelayFilter, TsprocMode};
use ptp_config::Config;

use crate::clockcheck::ClockCheck;
use crate::config::ClockConfig;
use crate::datasets::TimePropertiesDs;
use crate::event::{Event, PortNumber};
use crate::port::{PeerDelay, SyncTiming};
use crate::servo::{self, Servo, ServoConfig};
use crate::state::{FsmEvent, ServoState};
use crate::stats::OffsetSummary;
use crate::time::{log_interval, ClockTime, Instant, Nanos};
use crate::transmit::ClockAction;
use crate::tsproc::Tsproc;
use crate::utc::{UtcCorrection, UtcVerdict};

/// Largest frequency adjustment assumed when the driver does not say (linuxptp's fallback
/// for CLOCK_REALTIME is 500 ppm; a PHC reports its own via PTP_CLOCK_GETCAPS).
pub const DEFAULT_MAX_FREQUENCY_PPB: i32 = 500_000;

/// What one timing sample produced.
#[derive(Debug, Default)]
pub struct SyncResult {
    /// offsetFromMaster, when a Sync produced one.
    pub offset: Option<Nanos>,
    pub mean_path_delay: Nanos,
    pub events: Vec<Event>,
    pub actions: Vec<ClockAction>,
    /// MASTER_CLOCK_SELECTED when the servo locked, SYNCHRONIZATION_FAULT after a step.
    pub fsm: Option<FsmEvent>,
}

/// Settings of the timestamp processing and delay filter of every port.
#[derive(Clone, Copy, Debug)]
pub struct TsprocSettings {
    pub mode: TsprocMode,
    pub filter: DelayFilter,
    pub filter_length: i32,
}

/// The clock's synchronisation state.
#[derive(Debug)]
pub struct Synchronization {
    servo: Box<dyn Servo>,
    /// How the servo was made (kind, constants, software timestamping), to make a new one
    /// for another clock (`boundary_clock_jbod`); absent for a servo built by the caller.
    servo_recipe: Option<(ClockServo, ServoConfig, bool)>,
    tsproc: BTreeMap<PortNumber, Tsproc>,
    settings: TsprocSettings,
    summary: OffsetSummary,
    free_running: bool,
    /// Start (t1c, t2) of the free-running frequency estimate window.
    freq_base: Option<(ClockTime, ClockTime)>,
    /// Syncs since `freq_base`.
    freq_count: u32,
    /// freq_est_interval (log2 s): the free-running estimate's window.
    freq_est_interval: i32,
    log_sync_interval: Option<i8>,
    mean_path_delay: Nanos,
    servo_state: ServoState,
    /// sanity_freq_limit: compares the clock's progress with the monotonic timer clock.
    clock_check: Option<ClockCheck>,
    /// The local clock's timescale and leap second state.
    utc: UtcCorrection,
}

impl Synchronization {
    /// From a linuxptp configuration (clock_servo and its constants, tsproc_mode,
    /// delay_filter, delay_filter_length, summary_interval, free_running).
    pub fn from_config(cfg: &Config, clock: &ClockConfig) -> Result<Self, String> {
        Self::from_config_with(cfg, clock, DEFAULT_MAX_FREQUENCY_PPB, 0.0)
    }

    /// As [`Synchronization::from_config`] for a clock whose largest frequency adjustment is
    /// `max_freq_ppb` (PTP_CLOCK_GETCAPS for a PHC) and whose current adjustment is
    /// `initial_freq_ppb` (the servo starts from it, as linuxptp passes `-fadj`).
    pub fn from_config_with(
        cfg: &Config,
        clock: &ClockConfig,
        max_freq_ppb: i32,
        initial_freq_ppb: f64,
    ) -> Result<Self, String> {
        let kind: ClockServo = cfg.global_enum();
        let servo_cfg = ServoConfig::from_config(cfg);
        let sw = clock.time_stamping == ptp_config::enums::TimeStamping::Software;
        let servo = servo::create(kind, &servo_cfg, -initial_freq_ppb, max_freq_ppb, sw).map_err(|e| e.to_string())?;
        let settings = TsprocSettings {
            mode: cfg.global_enum(),
            filter: cfg.global_enum(),
            filter_length: cfg.global_int("delay_filter_length"),
        };
        let mut sync = Self::new(servo, settings, i32::from(clock.summary_interval), clock.free_running)?;
        sync.servo_recipe = Some((kind, servo_cfg, sw));
        sync.set_utc_correction(UtcCorrection::new(clock));
        sync.set_sanity_freq_limit(cfg.global_int("sanity_freq_limit"));
        sync.set_freq_est_interval(cfg.global_int("freq_est_interval"));
        Ok(sync)
    }

    /// freq_est_interval: with free_running, the clock's frequency is estimated (and a sample
    /// logged) once every 2^(freq_est_interval - logSyncInterval) Syncs, as linuxptp does.
    pub fn set_freq_est_interval(&mut self, log_seconds: i32) {
        self.freq_est_interval = log_seconds;
        if self.free_running {
            let log_sync = self.log_sync_interval.unwrap_or(0);
            self.summary = OffsetSummary::new_free_running(self.summary.summary_interval(), log_seconds, log_sync);
        }
    }

    /// Set the local clock's timescale handling (a clock built with [`Synchronization::new`]
    /// has none: it is taken to be on the PTP timescale). [`crate::clock::Clock::new`] sets
    /// it from the clock's configuration.
    pub fn set_utc_correction(&mut self, utc: UtcCorrection) {
        self.utc = utc;
    }

    /// The local clock's timescale and leap second state.
    pub fn utc_correction(&self) -> &UtcCorrection {
        &self.utc
    }

    /// Enable the clock sanity check with `limit_ppb` (0 disables it, as linuxptp).
    pub fn set_sanity_freq_limit(&mut self, limit_ppb: i32) {
        self.clock_check = (limit_ppb > 0).then(|| ClockCheck::new(limit_ppb));
    }

    pub fn new(
        servo: Box<dyn Servo>,
        settings: TsprocSettings,
        summary_interval: i32,
        free_running: bool,
    ) -> Result<Self, String> {
        // Fail early, as linuxptp does ("Failed to create time stamp processor").
        Tsproc::new(settings.mode, settings.filter, settings.filter_length).map_err(|e| e.to_string())?;
        Ok(Synchronization {
            servo,
            servo_recipe: None,
            tsproc: BTreeMap::new(),
            settings,
            summary: OffsetSummary::new(summary_interval, 0),
            free_running,
            freq_base: None,
            freq_count: 0,
            freq_est_interval: 1,
            log_sync_interval: None,
            mean_path_delay: Nanos::ZERO,
            servo_state: ServoState::Unlocked,
            clock_check: None,
            utc: UtcCorrection::disabled(),
        })
    }

    pub fn servo_state(&self) -> ServoState {
        self.servo_state
    }
    pub fn mean_path_delay(&self) -> Nanos {
        self.mean_path_delay
    }
    pub fn servo(&self) -> &dyn Servo {
        self.servo.as_ref()
    }

    fn tsproc(&mut self, port: PortNumber) -> Option<&mut Tsproc> {
        if !self.tsproc.contains_key(&port) {
            let s = self.settings;
            let t = Tsproc::new(s.mode, s.filter, s.filter_length).ok()?;
            self.tsproc.insert(port, t);
        }
        self.tsproc.get_mut(&port)
    }

    /// A port (re)enters a slave state: forget its E2E timing (its peer delay stays).
    pub fn reset_port(&mut self, port: PortNumber) {
        if let Some(t) = self.tsproc.get_mut(&port) {
            t.reset(false);
        }
        self.freq_base = None;
    }

    /// A new best master: start the servo and the estimates over (linuxptp resets the servo
    /// and the frequency estimate when the best master changes).
    pub fn reset_all(&mut self) {
        for t in self.tsproc.values_mut() {
            t.reset(false);
        }
        self.freq_base = None;
        self.servo.reset();
        self.servo_state = ServoState::Unlocked;
    }

    /// The disciplined clock changed (`boundary_clock_jbod`, linuxptp `clock_switch_phc`): a
    /// new servo of the same kind for a clock with adjustment limit `max_freq_ppb` now running
    /// at `current_freq_ppb`, unlocked, told the sync interval already seen. The time stamp
    /// processing and the path delay carry on: only the clock changed.
    pub fn replace_servo(&mut self, max_freq_ppb: i32, current_freq_ppb: f64) -> Result<(), String> {
        let Some((kind, cfg, sw)) = &self.servo_recipe else {
            return Err("the servo was not built from a configuration".into());
        };
        let mut servo = servo::create(*kind, cfg, -current_freq_ppb, max_freq_ppb, *sw).map_err(|e| e.to_string())?;
        if let Some(log) = self.log_sync_interval {
            servo.sync_interval(log_interval(log).as_secs_f64());
        }
        self.servo = servo;
        self.servo_state = ServoState::Unlocked;
        self.freq_base = None;
        Ok(())
    }

    /// A Delay_Req/Delay_Resp exchange completed on the parent port.
    pub fn delay_sample(&mut self, port: PortNumber, t3: ClockTime, t4c: ClockTime) -> SyncResult {
        let mut r = SyncResult::default();
        let Some(tp) = self.tsproc(port) else { return r };
        tp.up_ts(t3, t4c);
        let Some(u) = tp.update_delay() else { return r };
        r.events.push(Event::DelayMeasured { filtered_ns: u.filtered.as_i64(), raw_ns: u.raw.delay.as_i64() });
        self.mean_path_delay = u.delay;
        self.summary.add_delay(u.delay.as_i64());
        r.mean_path_delay = u.delay;
        r
    }

    /// A peer delay exchange completed on `port` (any state): returns the port's filtered
    /// meanLinkDelay (linuxptp `port_peer_delay`).
    pub fn peer_delay_sample(&mut self, port: PortNumber, pd: PeerDelay) -> Option<(Nanos, Event)> {
        let tp = self.tsproc(port)?;
        // The peer exchange in tsproc's terms: our Pdelay_Req is the "up" direction (t1 local
        // send, t2 remote receive), the response the "down" one (t3 + corrections remote
        // send, t4 local receive).
        tp.up_ts(pd.t1, pd.t2);
        tp.down_ts(pd.t3 + pd.correction, pd.t4);
        // The neighbour rate ratio is measured (Port::neighbor_rate_ratio) but, as in
        // linuxptp without follow_up_info (802.1AS, not built yet), not applied: the round
        // trip is taken on our time base.
        let u = tp.update_delay()?;
        Some((u.delay, Event::DelayMeasured { filtered_ns: u.filtered.as_i64(), raw_ns: u.raw.delay.as_i64() }))
    }

    /// A Sync (with its Follow_Up) from the parent: compute the offset, correct it for the
    /// local clock's timescale and leap seconds (`tds`, the clock's timePropertiesDS; see
    /// [`crate::utc`]) and run the servo.
    pub fn sync_sample(
        &mut self,
        port: PortNumber,
        s: SyncTiming,
        mean_path_delay: Nanos,
        tds: &TimePropertiesDs,
        now: Instant,
    ) -> SyncResult {
        let mut r = SyncResult { mean_path_delay, ..SyncResult::default() };
        // linuxptp `clock_synchronize`: a clock that jumped or drifts beyond
        // sanity_freq_limit against the monotonic clock resets the servo.
        if let Some(fault) = self.clock_check.as_mut().and_then(|c| c.sample(s.t2, now)) {
            r.events.push(Event::ClockCheck(fault));
            self.servo.reset();
            self.servo_state = ServoState::Unlocked;
        }
        self.note_sync_interval(s.log_interval, &mut r);
        let Some(tp) = self.tsproc(port) else { return r };
        tp.down_ts(s.t1c, s.t2);
        let Some(u) = tp.update_offset() else { return r };
        // linuxptp `clock_utc_correct`: before the sample is used or logged.
        let unlocked = self.servo_state == ServoState::Unlocked;
        let offset = match self.utc.correct(tds, s.t2, u.offset, unlocked, self.servo.as_mut(), &mut r.actions) {
            UtcVerdict::Use(offset) => offset,
            UtcVerdict::Suspend => {
                r.events.push(Event::ClockUpdateSuspendedLeapSecond);
                return r;
            }
        };
        r.offset = Some(offset);
        let delay_ns = mean_path_delay.as_i64();
        if self.free_running {
            self.servo_state = ServoState::Unlocked;
            if let Some(freq) = self.free_running_estimate(s.t1c, s.t2, s.log_interval) {
                r.events.extend(self.summary.sample(offset.as_i64(), ServoState::Unlocked, freq, delay_ns));
            }
            return r;
        }
        let t2 = u64::try_from(s.t2.as_nanos()).unwrap_or(0);
        let (adj, state) = self.servo.sample(offset.as_i64(), t2, u.weight);
        self.servo_state = state;
        match state {
            ServoState::Unlocked => {}
            ServoState::Jump => {
                r.actions.push(ClockAction::SetFrequency { ppb: -adj });
                r.actions.push(ClockAction::Step { offset_ns: offset.as_i64().saturating_neg() });
                if let Some(c) = self.clock_check.as_mut() {
                    c.set_freq(-adj);
                    c.step(offset.as_i64().saturating_neg());
                }
                r.fsm = Some(FsmEvent::SynchronizationFault);
                if let Some(tp) = self.tsproc.get_mut(&port) {
                    tp.reset(false);
                }
                self.freq_base = None;
            }
            ServoState::Locked | ServoState::LockedStable => {
                r.actions.push(ClockAction::SetFrequency { ppb: -adj });
                if let Some(c) = self.clock_check.as_mut() {
                    c.set_freq(-adj);
                }
                r.fsm = Some(FsmEvent::MasterClockSelected);
            }
        }
        r.events.extend(self.summary.sample(offset.as_i64(), state, adj, delay_ns));
        r
    }

    /// Tell the servo and the summary about a new Sync interval (linuxptp
    /// `clock_sync_interval`), logging the PI constants as linuxptp does.
    fn note_sync_interval(&mut self, log: i8, r: &mut SyncResult) {
        if self.log_sync_interval == Some(log) || !(-10..=22).contains(&log) {
            return;
        }
        self.log_sync_interval = Some(log);
        self.servo.sync_interval(log_interval(log).as_secs_f64());
        if let Some(g) = self.servo.pi_gains() {
            r.events.push(Event::PiServoConstants { sync_interval: g.sync_interval, kp: g.kp, ki: g.ki });
        }
        self.summary.set_sync_interval(log);
    }

    /// free_running: no adjustment; the frequency offset is estimated over windows of
    /// 2^(freq_est_interval - logSyncInterval) Syncs (master time elapsed over local time
    /// elapsed), and only then is a sample produced, as linuxptp's `clock_no_adjust` does: the
    /// first Sync only starts the window.
    fn free_running_estimate(&mut self, t1c: ClockTime, t2: ClockTime, log_sync: i8) -> Option<f64> {
        let Some((b1, b2)) = self.freq_base else {
            self.freq_base = Some((t1c, t2));
            self.freq_count = 0;
            return None;
        };
        self.freq_count += 1;
        let shift = (self.freq_est_interval - i32::from(log_sync)).clamp(0, 30);
        if self.freq_count < 1 << shift {
            return None;
        }
        let local = (t2 - b2).0 as f64;
        let master = (t1c - b1).0 as f64;
        self.freq_base = Some((t1c, t2));
        self.freq_count = 0;
        (local > 0.0).then(|| (1.0 - master / local) * 1e9)
    }
}
