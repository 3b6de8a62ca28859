//! Steering the clock ptp4l or phc2sys disciplines: CLOCK_REALTIME or a PHC, through
//! `clock_adjtime` (adjtimex(2); Documentation/driver-api/ptp.rst for PHCs), with the
//! semantics of linuxptp's clockadj.c.
//!
//! - Frequency: `timex.freq` holds ppm scaled by 2^16, so ppb × 65.536 (truncated toward zero,
//!   as linuxptp converts). The kernel clamps CLOCK_REALTIME's `freq` to ±500 ppm. To reach
//!   further, linuxptp also sets the tick length of the system clock (ADJ_TICK, in µs per
//!   USER_HZ tick, which the kernel accepts within ±10 % of nominal): the whole ticks of the
//!   request go into `tick`, the rest into `freq`, and reading the frequency adds the tick
//!   deviation back. One µs of tick is 1000 × USER_HZ ppb (100 ppm at USER_HZ 100).
//!   A PHC takes `freq` alone, within its driver's `max_adj`.
//! - Step: ADJ_SETOFFSET | ADJ_NANO, the offset as a timeval whose fraction (ns) is never
//!   negative.
//! - Phase: ADJ_OFFSET | ADJ_NANO (`write_phase_mode`, PHC adjphase).
//! - Maximum frequency: for CLOCK_REALTIME the kernel's `tolerance` (500 ppm), widened to the
//!   whole tick range when tick and freq together cover it continuously (USER_HZ ≤ 1000),
//!   as linuxptp's `sysclk_max_freq`; for a PHC the driver's `max_adj`.
//! - Leap seconds and TAI offset, CLOCK_REALTIME only: ADJ_STATUS with exactly STA_INS, STA_DEL
//!   or nothing (linuxptp replaces the writable status bits, it does not merge them), and
//!   ADJ_TAI with `constant`. After each locked frequency update ptp4l also clears STA_UNSYNC
//!   and resets `maxerror` ([`AdjClock::mark_synchronized`]).
//!
//! The arithmetic lives in small pure functions with unit tests; the OS calls are thin. Tests
//! only ever read the system clock (DESIGN.md; `sys::clock_adjtime` refuses anything else in a
//! test build).

use std::cell::Cell;
use std::io;

use crate::phc::Phc;
use crate::sys::{self, ClockId, Timespec, Timex};

/// The kernel's limit on CLOCK_REALTIME's `timex.freq`: 500 ppm in scaled ppm (MAXFREQ_SCALED).
pub const MAXFREQ_SCALED: i64 = 500 << 16;

/// linuxptp's maximum frequency when the kernel reports no tolerance: 500 ppm, in ppb.
pub const DEFAULT_MAX_FREQUENCY_PPB: i32 = 500_000;

/// ppb → `timex.freq` (scaled ppm), truncated toward zero as linuxptp's `(long)(ppb * 65.536)`.
pub fn scaled_ppm_from_ppb(ppb: f64) -> i64 {
    (ppb * 65.536) as i64
}

/// `timex.freq` (scaled ppm) → ppb.
pub fn ppb_from_scaled_ppm(freq: i64) -> f64 {
    freq as f64 / 65.536
}

/// The system clock's tick: USER_HZ (`sysconf(_SC_CLK_TCK)`) and the nominal tick length in µs
/// that goes with it (the kernel's TICK_USEC, `(1_000_000 + hz / 2) / hz`, 10000 at 100 Hz).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TickModel {
    pub hz: i64,
    pub nominal_tick: i64,
}

impl TickModel {
    /// The model for USER_HZ `hz`; `None` unless `hz > 0` (linuxptp then leaves the tick alone).
    pub fn from_hz(hz: i64) -> Option<TickModel> {
        (hz > 0).then(|| TickModel { hz, nominal_tick: (1_000_000 + hz / 2) / hz })
    }

    /// This machine's: `sysconf(_SC_CLK_TCK)`.
    pub fn system() -> Option<TickModel> {
        sys::clock_ticks_per_second().and_then(TickModel::from_hz)
    }

    /// The smallest tick adjtimex accepts: 900000 / USER_HZ (nominal − 10 %).
    pub fn min_tick(&self) -> i64 {
        900_000 / self.hz
    }

    /// The largest tick adjtimex accepts: 1100000 / USER_HZ (nominal + 10 %).
    pub fn max_tick(&self) -> i64 {
        1_100_000 / self.hz
    }

    /// ppb per µs of tick deviation: 1000 × USER_HZ.
    fn ppb_per_tick(&self) -> f64 {
        1e3 * self.hz as f64
    }
}

/// `(tick, freq)` for a system clock frequency of `ppb`: as linuxptp's `clockadj_set_freq`, the
/// whole ticks of `ppb` (rounded to nearest) go into `tick` and the rest into `freq` (scaled
/// ppm). Where linuxptp would hand the kernel a tick outside ±10 % (which it rejects with
/// EINVAL), the tick is clamped to that range and `freq` to ±500 ppm, so the clock saturates at
/// the largest frequency it can run instead.
pub fn tick_and_freq_for(ppb: f64, model: TickModel) -> (i64, i64) {
    let ticks = (ppb / model.ppb_per_tick()).round() as i64;
    let tick = ticks.saturating_add(model.nominal_tick).clamp(model.min_tick(), model.max_tick());
    let rest = ppb - model.ppb_per_tick() * (tick - model.nominal_tick) as f64;
    (tick, scaled_ppm_from_ppb(rest).clamp(-MAXFREQ_SCALED, MAXFREQ_SCALED))
}

/// The frequency in ppb a clock runs at from what `clock_adjtime` reports, as linuxptp's
/// `clockadj_get_freq`: `freq` plus, for the system clock (`model` given) with a non-zero
/// `tick`, the tick's deviation from nominal.
pub fn ppb_from(freq: i64, tick: i64, model: Option<TickModel>) -> f64 {
    let mut ppb = ppb_from_scaled_ppm(freq);
    if let Some(m) = model {
        if tick != 0 {
            ppb += m.ppb_per_tick() * (tick - m.nominal_tick) as f64;
        }
    }
    ppb
}

/// The `timex.time` of an ADJ_SETOFFSET | ADJ_NANO step by `offset_ns`: whole seconds rounded
/// toward minus infinity and a non-negative ns fraction, the form the kernel requires
/// (-1 ns is `(-1, 999_999_999)`).
pub fn setoffset_timeval(offset_ns: i64) -> (i64, i64) {
    (offset_ns.div_euclid(1_000_000_000), offset_ns.rem_euclid(1_000_000_000))
}

/// The maximum frequency offset in ppb from the kernel's `tolerance` (scaled ppm), as
/// linuxptp's `clockadj_max_freq`: tolerance in ppb, 500 ppm if the kernel reports none; for
/// the system clock (`model` given) the tick range (±10 %, `nominal_tick / 10` µs) instead
/// when tick and freq together can set every frequency up to it, i.e. when 2 × tolerance
/// spans one µs of tick (USER_HZ ≤ 1000).
pub fn max_frequency_ppb_from(tolerance: i64, model: Option<TickModel>) -> i32 {
    let mut max = (tolerance as f64 / 65.536) as i64;
    if max == 0 {
        max = i64::from(DEFAULT_MAX_FREQUENCY_PPB);
    }
    if let Some(m) = model {
        if 2 * max >= 1000 * m.hz {
            max = m.nominal_tick / 10 * 1000 * m.hz;
        }
    }
    max.clamp(0, i64::from(i32::MAX)) as i32
}

/// linuxptp's NOTICE when the kernel is told to insert a leap second.
pub const LEAP_INSERT_MESSAGE: &str = "clock set to insert leap second at midnight (UTC)";
/// linuxptp's NOTICE when the kernel is told to delete a leap second.
pub const LEAP_DELETE_MESSAGE: &str = "clock set to delete leap second at midnight (UTC)";

/// The `timex.status` for a pending leap of `leap` (+1 insert, -1 delete, anything else none)
/// and the message linuxptp logs at NOTICE level once the kernel accepted it.
pub fn leap_status(leap: i8) -> (i32, Option<&'static str>) {
    match leap {
        1 => (sys::STA_INS, Some(LEAP_INSERT_MESSAGE)),
        -1 => (sys::STA_DEL, Some(LEAP_DELETE_MESSAGE)),
        _ => (0, None),
    }
}

/// A clock that ptp4l or phc2sys steers: CLOCK_REALTIME or an open PHC.
#[derive(Debug)]
pub struct AdjClock {
    source: Source,
    /// The status the last [`AdjClock::set_leap`] left (linuxptp's `realtime_leap_bit`),
    /// written back by [`AdjClock::mark_synchronized`].
    leap_status: Cell<i32>,
}

#[derive(Debug)]
enum Source {
    System { tick: Option<TickModel> },
    Phc(Phc),
}

fn realtime_only(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, format!("{what} applies to CLOCK_REALTIME only"))
}

impl AdjClock {
    /// CLOCK_REALTIME, with the tick model from `sysconf(_SC_CLK_TCK)` (linuxptp's
    /// `clockadj_init`).
    pub fn realtime() -> AdjClock {
        AdjClock { source: Source::System { tick: TickModel::system() }, leap_status: Cell::new(0) }
    }

    /// An open PHC; the clock keeps it (and so its clockid) open.
    pub fn phc(phc: Phc) -> AdjClock {
        AdjClock { source: Source::Phc(phc), leap_status: Cell::new(0) }
    }

    /// The clockid to read and steer.
    pub fn id(&self) -> ClockId {
        match &self.source {
            Source::System { .. } => ClockId::Realtime,
            Source::Phc(phc) => phc.clock_id(),
        }
    }

    /// Whether this is CLOCK_REALTIME.
    pub fn is_realtime(&self) -> bool {
        matches!(self.source, Source::System { .. })
    }

    /// The PHC, if this is one.
    pub fn as_phc(&self) -> Option<&Phc> {
        match &self.source {
            Source::System { .. } => None,
            Source::Phc(phc) => Some(phc),
        }
    }

    /// The tick model of CLOCK_REALTIME (`None` for a PHC, or if USER_HZ is unknown).
    pub fn tick_model(&self) -> Option<TickModel> {
        match self.source {
            Source::System { tick } => tick,
            Source::Phc(_) => None,
        }
    }

    /// `clock_gettime`.
    pub fn now(&self) -> io::Result<Timespec> {
        sys::clock_gettime(self.id())
    }

    fn adjtime(&self, tx: &mut Timex) -> io::Result<i32> {
        sys::clock_adjtime(self.id(), tx)
    }

    fn read(&self) -> io::Result<Timex> {
        let mut tx = Timex::default();
        self.adjtime(&mut tx)?;
        Ok(tx)
    }

    /// The current frequency offset in ppb (a read-only `clock_adjtime`), tick included for
    /// CLOCK_REALTIME. linuxptp exits when this read fails; the caller decides here.
    pub fn frequency_ppb(&self) -> io::Result<f64> {
        let tx = self.read()?;
        Ok(ppb_from(tx.freq, tx.tick, self.tick_model()))
    }

    /// Set the frequency offset to `ppb`: ADJ_FREQUENCY, plus ADJ_TICK for CLOCK_REALTIME
    /// ([`tick_and_freq_for`]). linuxptp logs a failure as `failed to adjust the clock: <error>`.
    pub fn set_frequency_ppb(&self, ppb: f64) -> io::Result<()> {
        let mut tx = Timex { modes: sys::ADJ_FREQUENCY, ..Timex::default() };
        match self.tick_model() {
            Some(model) => {
                let (tick, freq) = tick_and_freq_for(ppb, model);
                tx.modes |= sys::ADJ_TICK;
                tx.tick = tick;
                tx.freq = freq;
            }
            None => tx.freq = scaled_ppm_from_ppb(ppb),
        }
        self.adjtime(&mut tx).map(drop)
    }

    /// Step the clock by `offset_ns` (ADJ_SETOFFSET | ADJ_NANO). linuxptp logs a failure as
    /// `failed to step clock: <error>`.
    pub fn step(&self, offset_ns: i64) -> io::Result<()> {
        let (sec, nsec) = setoffset_timeval(offset_ns);
        let mut tx =
            Timex { modes: sys::ADJ_SETOFFSET | sys::ADJ_NANO, time_sec: sec, time_frac: nsec, ..Timex::default() };
        self.adjtime(&mut tx).map(drop)
    }

    /// Hand a phase offset of `offset_ns` to the clock (ADJ_OFFSET | ADJ_NANO), as linuxptp's
    /// `clockadj_set_phase` in `write_phase_mode` (a PHC whose caps have `adjust_phase`).
    pub fn adjust_phase(&self, offset_ns: i64) -> io::Result<()> {
        let mut tx = Timex { modes: sys::ADJ_OFFSET | sys::ADJ_NANO, offset: offset_ns, ..Timex::default() };
        self.adjtime(&mut tx).map(drop)
    }

    /// The largest frequency offset in ppb the servo may ask for: [`max_frequency_ppb_from`]
    /// for CLOCK_REALTIME (linuxptp's `sysclk_max_freq`), the driver's `max_adj` for a PHC
    /// (linuxptp's `phc_max_adj`; 0 means not adjustable). When the read fails linuxptp logs it
    /// and uses `max_frequency_ppb_from(0, tick_model)` for the system clock, 0 for a PHC.
    pub fn max_frequency_ppb(&self) -> io::Result<i32> {
        match &self.source {
            Source::System { tick } => Ok(max_frequency_ppb_from(self.read()?.tolerance, *tick)),
            Source::Phc(phc) => phc.max_adj_ppb(),
        }
    }

    /// linuxptp's generic `clockadj_max_freq`, from the kernel's `tolerance` (500 ppm when it
    /// reports none, as a PHC does); ptp4l uses it for a `-p` device that is not `/dev/ptpN`.
    pub fn tolerance_max_frequency_ppb(&self) -> io::Result<i32> {
        Ok(max_frequency_ppb_from(self.read()?.tolerance, self.tick_model()))
    }

    /// Arm (`leap` +1 or -1) or clear (0) a leap second at the next UTC midnight: ADJ_STATUS
    /// with exactly STA_INS, STA_DEL or no bits, as linuxptp's `sysclk_set_leap`. Returns the
    /// message linuxptp then logs at NOTICE (`None` when clearing). CLOCK_REALTIME only.
    pub fn set_leap(&self, leap: i8) -> io::Result<Option<&'static str>> {
        if !self.is_realtime() {
            return Err(realtime_only("a leap second"));
        }
        let (status, message) = leap_status(leap);
        let mut tx = Timex { modes: sys::ADJ_STATUS, status, ..Timex::default() };
        let result = self.adjtime(&mut tx);
        // On success the kernel returned its whole status; on failure `tx` is as sent. Either
        // way linuxptp keeps it for the later status writes.
        self.leap_status.set(tx.status);
        result.map(|_| message)
    }

    /// Set the kernel's TAI-UTC offset to `seconds` (ADJ_TAI), as linuxptp's
    /// `sysclk_set_tai_offset`. CLOCK_REALTIME only.
    pub fn set_tai_offset(&self, seconds: i32) -> io::Result<()> {
        if !self.is_realtime() {
            return Err(realtime_only("the TAI offset"));
        }
        let mut tx = Timex { modes: sys::ADJ_TAI, constant: i64::from(seconds), ..Timex::default() };
        self.adjtime(&mut tx).map(drop)
    }

    /// Tell the kernel the clock is synchronized, as linuxptp's `sysclk_set_sync` after each
    /// locked frequency update: ADJ_STATUS | ADJ_MAXERROR with the status of the last
    /// [`AdjClock::set_leap`] (which clears STA_UNSYNC) and `maxerror` 0 (the kernel grows it by
    /// 500 ppm and sets STA_UNSYNC again past 16 s). CLOCK_REALTIME only.
    pub fn mark_synchronized(&self) -> io::Result<()> {
        if !self.is_realtime() {
            return Err(realtime_only("the synchronized status"));
        }
        let mut tx = Timex {
            modes: sys::ADJ_STATUS | sys::ADJ_MAXERROR,
            status: self.leap_status.get(),
            maxerror: 0,
            ..Timex::default()
        };
        self.adjtime(&mut tx).map(drop)
    }
}

/// One comparison of two clocks read with `clock_gettime`, in ns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClockComparison {
    /// The system clock minus the other clock, at the midpoint of the system readings.
    pub offset: i64,
    /// The second system reading.
    pub ts: i64,
    /// Time between the two system readings.
    pub delay: i64,
}

fn clamp_i64(v: i128) -> i64 {
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// From readings `(sys_before, clock, sys_after)`, the one with the shortest system interval
/// (the first of equals), as linuxptp's `clockadj_compare`: offset = sys_before − clock +
/// interval / 2. `None` for no readings.
pub fn best_reading(readings: &[(Timespec, Timespec, Timespec)]) -> Option<ClockComparison> {
    let mut best: Option<ClockComparison> = None;
    for (before, clock, after) in readings {
        let interval = clamp_i64(after.as_nanos() - before.as_nanos());
        if best.is_none_or(|b| interval < b.delay) {
            best = Some(ClockComparison {
                offset: clamp_i64(before.as_nanos() - clock.as_nanos() + i128::from(interval / 2)),
                ts: clamp_i64(after.as_nanos()),
                delay: interval,
            });
        }
    }
    best
}

/// Compare `clock` with `sys_clock` by reading sys, clock, sys `readings` times with
/// `clock_gettime` and keeping the quickest ([`best_reading`]); phc2sys's fallback when no
/// PTP_SYS_OFFSET method works.
pub fn compare_clocks(clock: ClockId, sys_clock: ClockId, readings: usize) -> io::Result<ClockComparison> {
    let mut samples = Vec::with_capacity(readings);
    for _ in 0..readings {
        let before = sys::clock_gettime(sys_clock)?;
        let at = sys::clock_gettime(clock)?;
        let after = sys::clock_gettime(sys_clock)?;
        samples.push((before, at, after));
    }
    best_reading(&samples).ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HZ100: TickModel = TickModel { hz: 100, nominal_tick: 10_000 };

    #[test]
    fn tick_model() {
        assert_eq!(TickModel::from_hz(100), Some(HZ100));
        assert_eq!(TickModel::from_hz(0), None);
        assert_eq!(TickModel::from_hz(-1), None);
        // TICK_USEC rounds: 1024 Hz (alpha) -> 977 µs; 250 Hz -> 4000 µs.
        assert_eq!(TickModel::from_hz(1024).unwrap().nominal_tick, 977);
        assert_eq!(TickModel::from_hz(250).unwrap().nominal_tick, 4_000);
        assert_eq!((HZ100.min_tick(), HZ100.max_tick()), (9_000, 11_000));
    }

    #[test]
    fn scaled_ppm_conversions() {
        assert_eq!(scaled_ppm_from_ppb(1_000.0), 65_536);
        assert_eq!(scaled_ppm_from_ppb(-1_000.0), -65_536);
        assert_eq!(scaled_ppm_from_ppb(500_000.0), MAXFREQ_SCALED);
        // Truncation toward zero, both signs.
        assert_eq!(scaled_ppm_from_ppb(0.02), 1);
        assert_eq!(scaled_ppm_from_ppb(-0.02), -1);
        assert_eq!(scaled_ppm_from_ppb(0.01), 0);
        assert_eq!(ppb_from_scaled_ppm(65_536), 1_000.0);
        assert_eq!(ppb_from_scaled_ppm(-MAXFREQ_SCALED), -500_000.0);
    }

    #[test]
    fn within_one_tick_step_the_tick_stays_nominal() {
        for ppb in [0.0, 1.0, -1.0, 12_345.6, -49_999.0, 49_999.0] {
            let (tick, freq) = tick_and_freq_for(ppb, HZ100);
            assert_eq!(tick, 10_000, "{ppb}");
            assert_eq!(freq, scaled_ppm_from_ppb(ppb), "{ppb}");
        }
    }

    #[test]
    fn whole_ticks_go_into_the_tick() {
        // One µs of tick at 100 Hz is 100 ppm = 100000 ppb; round to nearest.
        assert_eq!(tick_and_freq_for(50_000.0, HZ100), (10_001, scaled_ppm_from_ppb(-50_000.0)));
        assert_eq!(tick_and_freq_for(-50_000.0, HZ100), (9_999, scaled_ppm_from_ppb(50_000.0)));
        assert_eq!(tick_and_freq_for(123_456.0, HZ100), (10_001, scaled_ppm_from_ppb(23_456.0)));
        assert_eq!(tick_and_freq_for(-160_000.0, HZ100), (9_998, scaled_ppm_from_ppb(40_000.0)));
    }

    #[test]
    fn the_500_ppm_boundary_and_beyond() {
        // Exactly the kernel's freq limit: all of it in ticks, freq 0.
        assert_eq!(tick_and_freq_for(500_000.0, HZ100), (10_005, 0));
        assert_eq!(tick_and_freq_for(-500_000.0, HZ100), (9_995, 0));
        // Just past it.
        assert_eq!(tick_and_freq_for(500_001.0, HZ100), (10_005, scaled_ppm_from_ppb(1.0)));
        // 600 ppm, beyond what freq alone can do.
        assert_eq!(tick_and_freq_for(600_000.0, HZ100), (10_006, 0));
        assert_eq!(tick_and_freq_for(-612_345.0, HZ100), (9_994, scaled_ppm_from_ppb(-12_345.0)));
        // -3 %.
        assert_eq!(tick_and_freq_for(-30_000_000.0, HZ100), (9_700, 0));
        // The residue never exceeds half a tick step, well inside ±500 ppm.
        let mut ppb = -10_000_000.0;
        while ppb <= 10_000_000.0 {
            let (_, freq) = tick_and_freq_for(ppb, HZ100);
            assert!(freq.abs() <= scaled_ppm_from_ppb(50_000.0), "{ppb}");
            ppb += 7_919.3;
        }
    }

    #[test]
    fn the_tick_is_clamped_to_its_range() {
        // ±10 % is the limit: exactly there is fine.
        assert_eq!(tick_and_freq_for(100_000_000.0, HZ100), (11_000, 0));
        assert_eq!(tick_and_freq_for(-100_000_000.0, HZ100), (9_000, 0));
        // Beyond it the tick saturates and freq takes what the kernel allows.
        assert_eq!(tick_and_freq_for(150_000_000.0, HZ100), (11_000, MAXFREQ_SCALED));
        assert_eq!(tick_and_freq_for(-150_000_000.0, HZ100), (9_000, -MAXFREQ_SCALED));
        assert_eq!(tick_and_freq_for(100_600_000.0, HZ100), (11_000, MAXFREQ_SCALED));
        assert_eq!(tick_and_freq_for(100_200_000.0, HZ100), (11_000, scaled_ppm_from_ppb(200_000.0)));
        assert_eq!(tick_and_freq_for(f64::INFINITY, HZ100), (11_000, MAXFREQ_SCALED));
        assert_eq!(tick_and_freq_for(f64::NEG_INFINITY, HZ100), (9_000, -MAXFREQ_SCALED));
    }

    #[test]
    fn set_then_read_round_trips() {
        // What set_frequency_ppb writes, read back as frequency_ppb computes it: equal up to
        // the truncation of one scaled-ppm unit (1/65.536 ppb).
        for ppb in [0.0, 0.5, -0.5, 1_234.567, -98_765.4, 499_999.9, -500_000.0, 600_000.0, -612_345.0, -30_000_000.0] {
            let (tick, freq) = tick_and_freq_for(ppb, HZ100);
            let back = ppb_from(freq, tick, Some(HZ100));
            assert!((back - ppb).abs() < 1.0 / 65.536, "{ppb} -> {back}");
        }
        // A PHC: freq only.
        for ppb in [0.0, 12.5, -62_500_000.0] {
            let back = ppb_from(scaled_ppm_from_ppb(ppb), 0, None);
            assert!((back - ppb).abs() < 1.0 / 65.536, "{ppb} -> {back}");
        }
    }

    #[test]
    fn reading_ignores_a_zero_tick() {
        // A kernel (or simulator) that reports no tick: freq alone, as linuxptp.
        assert_eq!(ppb_from(65_536, 0, Some(HZ100)), 1_000.0);
        assert_eq!(ppb_from(65_536, 10_002, Some(HZ100)), 201_000.0);
        assert_eq!(ppb_from(65_536, 10_002, None), 1_000.0);
    }

    #[test]
    fn step_timevals() {
        assert_eq!(setoffset_timeval(0), (0, 0));
        assert_eq!(setoffset_timeval(1), (0, 1));
        assert_eq!(setoffset_timeval(1_500_000_000), (1, 500_000_000));
        assert_eq!(setoffset_timeval(-1), (-1, 999_999_999));
        assert_eq!(setoffset_timeval(-999_999_999), (-1, 1));
        assert_eq!(setoffset_timeval(-1_000_000_000), (-1, 0));
        assert_eq!(setoffset_timeval(-1_500_000_000), (-2, 500_000_000));
        assert_eq!(setoffset_timeval(i64::MIN), (-9_223_372_037, 145_224_192));
        for ns in [-3_000_000_001i64, -7, 42, 86_400_000_000_123] {
            let (s, f) = setoffset_timeval(ns);
            assert!((0..1_000_000_000).contains(&f));
            assert_eq!(s * 1_000_000_000 + f, ns);
        }
    }

    #[test]
    fn maximum_frequency() {
        let tolerance = 500 << 16; // what Linux reports
                                   // System clock at 100 Hz: the whole ±10 % tick range.
        assert_eq!(max_frequency_ppb_from(tolerance, Some(HZ100)), 100_000_000);
        // Without a tick model (or for a PHC's tolerance path): the tolerance itself.
        assert_eq!(max_frequency_ppb_from(tolerance, None), 500_000);
        // No tolerance reported: 500 ppm.
        assert_eq!(max_frequency_ppb_from(0, None), DEFAULT_MAX_FREQUENCY_PPB);
        // A tick step wider than tick and freq can bridge (hz > 1000): no tick range.
        let coarse = TickModel::from_hz(2_000).unwrap();
        assert_eq!(max_frequency_ppb_from(tolerance, Some(coarse)), 500_000);
        // 1000 Hz is just continuous.
        let khz = TickModel::from_hz(1_000).unwrap();
        assert_eq!(max_frequency_ppb_from(tolerance, Some(khz)), 100_000_000);
        // 1024 Hz: 977 µs / 10 = 97 µs (integer), 97 * 1000 * 1024.
        let alpha = TickModel::from_hz(1_024).unwrap();
        assert_eq!(max_frequency_ppb_from(1024 << 16, Some(alpha)), 97 * 1_000 * 1_024);
    }

    #[test]
    fn leap_requests() {
        assert_eq!(leap_status(1), (sys::STA_INS, Some("clock set to insert leap second at midnight (UTC)")));
        assert_eq!(leap_status(-1), (sys::STA_DEL, Some("clock set to delete leap second at midnight (UTC)")));
        assert_eq!(leap_status(0), (0, None));
        assert_eq!(leap_status(2), (0, None));
    }

    #[test]
    fn comparison_takes_the_quickest_reading() {
        let t = Timespec::from_nanos;
        assert_eq!(best_reading(&[]), None);
        let readings = [
            (t(1_000), t(600), t(1_200)),   // 200 ns
            (t(2_000), t(1_500), t(2_050)), // 50 ns: offset 500 + 25
            (t(3_000), t(2_000), t(3_050)), // 50 ns again: the first stays
        ];
        assert_eq!(best_reading(&readings), Some(ClockComparison { offset: 525, ts: 2_050, delay: 50 }));
    }

    // Read-only checks on this machine's clock.

    #[test]
    fn system_clock_reads() {
        let clock = AdjClock::realtime();
        assert!(clock.is_realtime());
        assert_eq!(clock.id(), ClockId::Realtime);
        assert!(clock.as_phc().is_none());
        assert!(clock.now().unwrap().sec > 1_500_000_000);
        let model = clock.tick_model().expect("USER_HZ");
        assert!(model.hz > 0);
        let ppb = clock.frequency_ppb().unwrap();
        assert!(ppb.is_finite() && ppb.abs() <= 100_000_000.0, "{ppb}");
        let max = clock.max_frequency_ppb().unwrap();
        assert!(max >= 500_000, "{max}");
        assert_eq!(clock.tolerance_max_frequency_ppb().unwrap(), max);
    }

    #[test]
    fn comparing_the_system_clocks() {
        let c = compare_clocks(ClockId::Monotonic, ClockId::Realtime, 5).unwrap();
        assert!(c.delay >= 0);
        assert!(c.ts > 1_500_000_000 * 1_000_000_000);
        assert!(c.offset > 0, "realtime is far ahead of monotonic");
    }
}
