//! UTC on a clock that keeps UTC, and leap seconds (linuxptp's `clock_utc_correct`,
//! `leap_second_status` and `is_utc_ambiguous`, written from their documented behaviour).
//!
//! # Timescales
//! A grandmaster with ptpTimescale set distributes PTP time, whose seconds are TAI's; UTC is
//! PTP time minus currentUtcOffset (IEEE 1588-2019 7.2.3 on timescales, 8.2.4.2 and 8.2.4.6
//! for the timePropertiesDS members). A PTP hardware clock keeps PTP time as received. The
//! Linux system clock, which ptp4l disciplines with `time_stamping software` or `legacy`,
//! keeps UTC: such a clock is *UTC-timescale* ([`is_utc_timescale`]), and each of its offset
//! samples from a master on the PTP timescale is moved by the current UTC offset
//! ([`UtcCorrection::correct`]), so that it converges on UTC rather than on a clock 37 s off.
//!
//! # Leap seconds
//! leap61 / leap59 in timePropertiesDS (IEEE 1588-2019 8.2.4.3, 8.2.4.4; 9.4 and Annex B on
//! leap seconds) announce that the last minute of the current UTC day has 61 or 59 seconds.
//! The kernel applies a leap second to the system clock at midnight when it is armed
//! ([`crate::transmit::ClockAction::SetLeap`]); with `kernel_leap 0` the servo absorbs it
//! instead ([`crate::servo::Servo::leap`]). A grandmaster sets the flag at most 12 hours
//! before midnight and clears it soon after, but its timing is loose, so the flags are read
//! against the local UTC time of day ([`leap_second_status`]): an announcement is only taken
//! in the 18 hours before midnight, and whatever is set is dropped in the 6 hours after it.
//! While the last second of a day may be repeated, samples are not used at all
//! ([`is_utc_ambiguous`]).
//!
//! Only a clock that is actually disciplined (not `free_running`) arms leap seconds and sets
//! the kernel's TAI offset; a free-running UTC-timescale clock still corrects its offsets.

use ptp_config::enums::TimeStamping;

use crate::config::ClockConfig;
use crate::datasets::TimePropertiesDs;
use crate::servo::Servo;
use crate::time::{ClockTime, Nanos};
use crate::transmit::ClockAction;

/// Nanoseconds in one second.
pub const NS_PER_SEC: i128 = 1_000_000_000;
/// Nanoseconds in one hour.
pub const NS_PER_HOUR: i128 = 3_600 * NS_PER_SEC;
/// Nanoseconds in one UTC day without a leap second.
pub const NS_PER_DAY: i128 = 24 * NS_PER_HOUR;

/// Whether a clock disciplined with this timestamping keeps UTC: software and legacy
/// timestamping steer the system clock (CLOCK_REALTIME), the others a PHC on the PTP
/// timescale.
pub fn is_utc_timescale(time_stamping: TimeStamping) -> bool {
    matches!(time_stamping, TimeStamping::Software | TimeStamping::Legacy)
}

/// Whether UTC time `utc_ns` (ns since 1970-01-01 UTC, leap seconds not counted) lies in the
/// last second of a UTC day, from 23:59:59 up to midnight. A kernel inserting a leap second
/// plays that second twice (it steps back at midnight), so a time stamp there may be before
/// or after the leap second. Any input is accepted (times before 1970 count back).
pub fn is_utc_ambiguous(utc_ns: i128) -> bool {
    NS_PER_DAY - utc_ns.rem_euclid(NS_PER_DAY) <= NS_PER_SEC
}

/// The leap second the local clock should have armed at UTC time `utc_ns`: +1 (insert at the
/// coming midnight), -1 (delete) or 0 (none, or it has passed), given `leap_set`, what is
/// armed now, and `leap`, what the master announces (+1 leap61, -1 leap59, 0 neither).
///
/// The announcement is honoured only more than 6 hours after midnight (an armed leap second
/// stays armed until midnight even if the flag goes early); within 6 hours after midnight
/// nothing is armed (a flag still set is late). When the flag and the result disagree, the
/// grandmaster updated early or late, and `leap` and `utc_offset` (its currentUtcOffset) are
/// brought to what they should be at `utc_ns`: a flag cleared early with currentUtcOffset
/// already moved gets the offset moved back and the flag restored; a flag still set after
/// midnight gets the offset moved on and the flag cleared.
pub fn leap_second_status(utc_ns: i128, leap_set: i8, leap: &mut i8, utc_offset: &mut i32) -> i8 {
    let status = if utc_ns.rem_euclid(NS_PER_DAY) > 6 * NS_PER_HOUR {
        if leap_set == 0 {
            *leap
        } else {
            leap_set
        }
    } else {
        0
    };
    if *leap == 0 && status != 0 {
        *utc_offset = utc_offset.saturating_sub(i32::from(status));
        *leap = status;
    } else if *leap != 0 && status == 0 {
        *utc_offset = utc_offset.saturating_add(i32::from(*leap));
        *leap = 0;
    }
    status
}

/// The UTC offset a UTC-timescale clock applies (linuxptp `clock_current_utc_offset`): the
/// parent's currentUtcOffset when it is valid and traceable, or when it is larger than the
/// configured `utc_offset` (a newer leap second than the configuration knows); the configured
/// value otherwise.
pub fn current_utc_offset(tds: &TimePropertiesDs, configured: i32) -> i32 {
    let announced = i32::from(tds.current_utc_offset);
    if (tds.current_utc_offset_valid && tds.time_traceable) || announced > configured {
        announced
    } else {
        configured
    }
}

/// The leap second timePropertiesDS announces: +1 for leap61, -1 for leap59, else 0.
pub fn announced_leap(tds: &TimePropertiesDs) -> i8 {
    if tds.leap61 {
        1
    } else if tds.leap59 {
        -1
    } else {
        0
    }
}

/// What [`UtcCorrection::correct`] decided about one offset sample.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UtcVerdict {
    /// Use this offset (corrected for the timescale where needed).
    Use(Nanos),
    /// Drop the sample: it was taken in the last second before a UTC midnight while a leap
    /// second is pending or just applied (log `clock update suspended due to leap second`).
    Suspend,
}

/// The UTC-timescale state of a clock: whether it keeps UTC, whether it is disciplined, and
/// the leap second and TAI offset it last gave the kernel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UtcCorrection {
    utc_timescale: bool,
    disciplined: bool,
    kernel_leap: bool,
    configured_offset: i32,
    leap_set: i8,
    utc_offset_set: i32,
}

impl UtcCorrection {
    /// From the clock's settings: time_stamping, free_running, kernel_leap and utc_offset.
    pub fn new(cfg: &ClockConfig) -> Self {
        UtcCorrection {
            utc_timescale: is_utc_timescale(cfg.time_stamping),
            disciplined: !cfg.free_running,
            kernel_leap: cfg.kernel_leap,
            configured_offset: i32::from(cfg.utc_offset),
            leap_set: 0,
            utc_offset_set: 0,
        }
    }

    /// A clock on the PTP timescale (a PHC): no correction at all.
    pub fn disabled() -> Self {
        UtcCorrection {
            utc_timescale: false,
            disciplined: false,
            kernel_leap: true,
            configured_offset: 37,
            leap_set: 0,
            utc_offset_set: 0,
        }
    }

    /// Whether the local clock keeps UTC.
    pub fn is_utc_timescale(&self) -> bool {
        self.utc_timescale
    }

    /// Whether the local clock keeps UTC and is disciplined, so leap seconds and the TAI
    /// offset are handed to the kernel.
    pub fn steers_kernel(&self) -> bool {
        self.utc_timescale && self.disciplined
    }

    /// The leap second armed now (+1, -1 or 0).
    pub fn leap_set(&self) -> i8 {
        self.leap_set
    }

    /// The TAI offset last set with [`ClockAction::SetTaiOffset`] (0 before the first).
    pub fn utc_offset_set(&self) -> i32 {
        self.utc_offset_set
    }

    /// The action for the start of a disciplined UTC-timescale clock: clear whatever leap
    /// second the kernel may have armed (`SetLeap { leap: 0 }`).
    pub fn start_action(&self) -> Option<ClockAction> {
        self.steers_kernel().then_some(ClockAction::SetLeap { leap: 0 })
    }

    /// Correct one offset sample (`master_offset`, local minus master, of a Sync received at
    /// local time `ingress`) for the local clock's timescale, and arm or clear leap seconds.
    ///
    /// Nothing changes on a clock that does not keep UTC. On one that does:
    /// - a disciplined clock with a leap second announced or armed first works out the UTC
    ///   time of the sample (the target time when the servo is unlocked and may step): in
    ///   the last second of a day the sample is suspended; otherwise the leap second is armed
    ///   or cleared through `actions` (kernel_leap) or `servo`;
    /// - a disciplined clock whose parent has a valid, traceable UTC offset gives it to the
    ///   kernel when it changed;
    /// - when the master is on the PTP timescale, the offset grows by the UTC offset: the
    ///   local clock is UTC, the master's time TAI-based.
    pub fn correct(
        &mut self,
        tds: &TimePropertiesDs,
        ingress: ClockTime,
        master_offset: Nanos,
        servo_unlocked: bool,
        servo: &mut dyn Servo,
        actions: &mut Vec<ClockAction>,
    ) -> UtcVerdict {
        if !self.utc_timescale {
            return UtcVerdict::Use(master_offset);
        }
        let mut utc_offset = current_utc_offset(tds, self.configured_offset);
        let mut leap = announced_leap(tds);
        if self.disciplined && (leap != 0 || self.leap_set != 0) {
            let utc_ns = if servo_unlocked {
                let target = (ingress - master_offset).as_nanos();
                if tds.ptp_timescale {
                    target.saturating_sub(i128::from(utc_offset) * NS_PER_SEC)
                } else {
                    target
                }
            } else {
                ingress.as_nanos()
            };
            if is_utc_ambiguous(utc_ns) {
                return UtcVerdict::Suspend;
            }
            let clock_leap = leap_second_status(utc_ns, self.leap_set, &mut leap, &mut utc_offset);
            if clock_leap != self.leap_set {
                if self.kernel_leap {
                    actions.push(ClockAction::SetLeap { leap: clock_leap });
                } else {
                    servo.leap(i32::from(clock_leap));
                }
                self.leap_set = clock_leap;
            }
        }
        if self.disciplined && tds.current_utc_offset_valid && tds.time_traceable && utc_offset != self.utc_offset_set {
            actions.push(ClockAction::SetTaiOffset { seconds: utc_offset });
            self.utc_offset_set = utc_offset;
        }
        if tds.ptp_timescale {
            UtcVerdict::Use(master_offset + Nanos(i128::from(utc_offset) * NS_PER_SEC))
        } else {
            UtcVerdict::Use(master_offset)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i128 = NS_PER_SEC;
    /// 2016-12-31 00:00:00 UTC, a day that ended with a leap second.
    const DAY: i128 = 17_166 * NS_PER_DAY;

    fn hms(h: i128, m: i128, s: i128) -> i128 {
        DAY + h * NS_PER_HOUR + m * 60 * S + s * S
    }

    #[test]
    fn ambiguous_is_exactly_the_last_second_of_the_day() {
        let cases = [
            (hms(23, 59, 58), false),
            (hms(23, 59, 59) - 1, false),
            (hms(23, 59, 59), true),
            (hms(23, 59, 59) + 999_999_999, true),
            (hms(24, 0, 0), false),
            (hms(24, 0, 0) + 1, false),
            (hms(12, 0, 0), false),
            (0, false),
            (-1, true),
            (-S - 1, false),
            (i128::MIN, i128::MIN.rem_euclid(NS_PER_DAY) >= NS_PER_DAY - S),
        ];
        for (t, want) in cases {
            assert_eq!(is_utc_ambiguous(t), want, "{t}");
        }
    }

    #[test]
    fn leap_second_status_table() {
        // (time, leap_set, announced leap, announced offset) -> (status, leap, offset)
        let cases: [(i128, i8, i8, i32, i8, i8, i32); 16] = [
            // Insert announced at 12:00: armed, nothing to fix.
            (hms(12, 0, 0), 0, 1, 36, 1, 1, 36),
            // Delete announced: armed.
            (hms(12, 0, 0), 0, -1, 37, -1, -1, 37),
            // Announced too early (before 6:00): ignored, and a late flag fixes the offset.
            (hms(5, 0, 0), 0, 1, 36, 0, 0, 37),
            (hms(6, 0, 0), 0, 1, 36, 0, 0, 37),
            (hms(6, 0, 0) + 1, 0, 1, 36, 1, 1, 36),
            // Armed, flag still set at 23:59:58: stays.
            (hms(23, 59, 58), 1, 1, 36, 1, 1, 36),
            // Armed, the master cleared the flag early and already moved its offset: the leap
            // second stays armed and the offset is taken back.
            (hms(23, 0, 0), 1, 0, 37, 1, 1, 36),
            (hms(23, 0, 0), -1, 0, 36, -1, -1, 37),
            // After midnight: disarmed; a flag still set (late) moves the offset on.
            (hms(24, 0, 1), 1, 1, 36, 0, 0, 37),
            (hms(24, 0, 1), -1, -1, 37, 0, 0, 36),
            (hms(24, 5, 0), 1, 0, 37, 0, 0, 37),
            // At 6:00 after midnight the flag still counts as late; just after, as new.
            (hms(30, 0, 0), 0, 1, 36, 0, 0, 37),
            (hms(30, 0, 0) + 1, 0, 1, 36, 1, 1, 36),
            // Nothing announced, nothing armed.
            (hms(12, 0, 0), 0, 0, 37, 0, 0, 37),
            (hms(1, 0, 0), 0, 0, 37, 0, 0, 37),
            // Armed insert while a delete is announced: the armed one is kept (and the flag
            // left as announced).
            (hms(20, 0, 0), 1, -1, 37, 1, -1, 37),
        ];
        for (t, leap_set, leap_in, off_in, want, want_leap, want_off) in cases {
            let (mut leap, mut off) = (leap_in, off_in);
            let got = leap_second_status(t, leap_set, &mut leap, &mut off);
            assert_eq!(
                (got, leap, off),
                (want, want_leap, want_off),
                "t {t} set {leap_set} leap {leap_in} off {off_in}"
            );
        }
    }

    #[test]
    fn utc_offset_choice() {
        let mut tds = TimePropertiesDs { current_utc_offset: 36, ..TimePropertiesDs::default() };
        assert_eq!(current_utc_offset(&tds, 37), 37);
        tds.current_utc_offset = 38;
        assert_eq!(current_utc_offset(&tds, 37), 38);
        tds.current_utc_offset = 30;
        tds.current_utc_offset_valid = true;
        assert_eq!(current_utc_offset(&tds, 37), 37);
        tds.time_traceable = true;
        assert_eq!(current_utc_offset(&tds, 37), 30);
    }

    #[test]
    fn timescales() {
        assert!(is_utc_timescale(TimeStamping::Software));
        assert!(is_utc_timescale(TimeStamping::Legacy));
        assert!(!is_utc_timescale(TimeStamping::Hardware));
        assert!(!is_utc_timescale(TimeStamping::OneStep));
        assert!(!is_utc_timescale(TimeStamping::P2p1Step));
    }
}
