//! PTP hardware clocks: the /dev/ptpN character devices of the kernel's PTP clock class
//! (linux/ptp_clock.h, Documentation/driver-api/ptp.rst).
//!
//! A PHC is read and steered like any POSIX clock once it is open: `clock_gettime` and
//! `clock_adjtime` on the dynamic clockid derived from its file descriptor (FD_TO_CLOCKID,
//! clock_gettime(2)), so the descriptor stays open as long as the clock is used. The
//! device-specific parts are ioctls on that descriptor: PTP_CLOCK_GETCAPS and the three ways
//! of comparing the PHC with the system clock (PTP_SYS_OFFSET_PRECISE, PTP_SYS_OFFSET_EXTENDED,
//! PTP_SYS_OFFSET).
//!
//! As linuxptp's `phc_open`, [`Phc::open`] opens the device with `open(path, O_RDWR)` (libc's
//! `open`, which clknetsim interposes) and accepts it only if `clock_gettime` and a read-only
//! `clock_adjtime` succeed on its clockid. Which PHC belongs to a network interface is the
//! `phc_index` of ETHTOOL_GET_TS_INFO ([`interface_phc_index`]).
//!
//! Nothing here adjusts a clock; see [`crate::clockadj`] for that.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use crate::sys::{self, ClockId, PtpClockCaps, SysOffsetSample, Timespec, Timex};
use crate::tsinfo;

/// An open PTP hardware clock. The device stays open (and [`Phc::clock_id`] valid) until this
/// value is dropped.
#[derive(Debug)]
pub struct Phc {
    fd: OwnedFd,
    path: String,
    clock: ClockId,
}

impl Phc {
    /// Open `path` (such as /dev/ptp0) read-write and check that it is a working POSIX clock, as
    /// linuxptp's `phc_open`. Errors are the OS errors of `open`, `clock_gettime` or
    /// `clock_adjtime` (linuxptp reports them as `Failed to open <path>: <error>`).
    pub fn open(path: &str) -> io::Result<Phc> {
        let fd = sys::open(path, libc::O_RDWR)?;
        let clock = ClockId::from_fd(fd.as_fd());
        sys::clock_gettime(clock)?;
        let mut tx = Timex::default();
        sys::clock_adjtime(clock, &mut tx)?;
        Ok(Phc { fd, path: path.to_string(), clock })
    }

    /// The path it was opened by.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The N of a `/dev/ptpN` path (see [`parse_phc_device`]).
    pub fn index(&self) -> Option<i32> {
        parse_phc_device(&self.path).filter(|i| *i >= 0)
    }

    /// The dynamic clockid, valid while `self` lives.
    pub fn clock_id(&self) -> ClockId {
        self.clock
    }

    /// The open device, for further ioctls.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// The current time of the PHC.
    pub fn now(&self) -> io::Result<Timespec> {
        sys::clock_gettime(self.clock)
    }

    /// PTP_CLOCK_GETCAPS.
    pub fn caps(&self) -> io::Result<PtpClockCaps> {
        sys::ptp_clock_getcaps(self.fd())
    }

    /// The largest frequency adjustment the driver accepts, in ppb (`caps.max_adj`), as
    /// linuxptp's `phc_max_adj`. Zero means the clock cannot be adjusted (ptp4l and phc2sys
    /// then stop with `clock is not adjustable`); linuxptp also treats a failing ioctl as zero.
    /// (linuxptp clamps to 32767999 where `long` is 32 bits; ptp-rs needs a 64-bit `long`.)
    pub fn max_adj_ppb(&self) -> io::Result<i32> {
        Ok(self.caps()?.max_adj)
    }

    /// Compare the PHC with CLOCK_REALTIME by `method` (`n_samples` readings, 1..=25, for the
    /// extended and basic methods), as linuxptp's `sysoff_measure`.
    pub fn sys_offset(&self, method: SysOffsetMethod, n_samples: usize) -> io::Result<SysOffset> {
        match method {
            SysOffsetMethod::Precise => {
                let p = sys::ptp_sys_offset_precise(self.fd())?;
                let ts = clamp_i64(p.sys_realtime.as_nanos());
                Ok(SysOffset { offset: clamp_i64(p.sys_realtime.as_nanos() - p.device.as_nanos()), ts, delay: 0 })
            }
            SysOffsetMethod::Extended => {
                let samples = sys::ptp_sys_offset_extended(self.fd(), ClockId::Realtime, n_samples)?;
                estimate_sys_offset(&samples).ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))
            }
            SysOffsetMethod::Basic => {
                let samples = sys::ptp_sys_offset(self.fd(), n_samples)?;
                estimate_sys_offset(&samples).ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))
            }
        }
    }

    /// The first method that works, trying PRECISE, EXTENDED, then basic, each up to three
    /// times while the driver answers EBUSY, as linuxptp's `sysoff_probe`. `None` when none
    /// works or `n_samples` exceeds the kernel's 25 (phc2sys then falls back to reading both
    /// clocks with `clock_gettime`).
    pub fn probe_sys_offset(&self, n_samples: usize) -> Option<SysOffsetMethod> {
        if n_samples > sys::PTP_MAX_SAMPLES {
            return None;
        }
        for method in [SysOffsetMethod::Precise, SysOffsetMethod::Extended, SysOffsetMethod::Basic] {
            for _ in 0..3 {
                match self.sys_offset(method, n_samples) {
                    Ok(_) => return Some(method),
                    Err(e) if e.raw_os_error() == Some(libc::EBUSY) => continue,
                    Err(_) => break,
                }
            }
        }
        None
    }
}

/// How to compare a PHC with the system clock, best first (linuxptp's SYSOFF_* methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SysOffsetMethod {
    /// PTP_SYS_OFFSET_PRECISE: a cross timestamp taken by the hardware.
    Precise,
    /// PTP_SYS_OFFSET_EXTENDED: system time read by the driver right around the PHC read.
    Extended,
    /// PTP_SYS_OFFSET: system time read by the PTP core around the driver's gettime.
    Basic,
}

/// One comparison of a PHC with the system clock, in ns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SysOffset {
    /// System time minus PHC time.
    pub offset: i64,
    /// The system time of the comparison.
    pub ts: i64,
    /// How long the chosen reading took (0 for PRECISE).
    pub delay: i64,
}

fn clamp_i64(v: i128) -> i64 {
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The reading with the shortest system-clock interval, as linuxptp's `sysoff_estimate`: its
/// offset is the midpoint of the two system times minus the PHC time (the first of equally
/// short readings wins). `None` for no readings.
pub fn estimate_sys_offset(samples: &[SysOffsetSample]) -> Option<SysOffset> {
    let mut best: Option<SysOffset> = None;
    for s in samples {
        let t1 = s.sys_before.as_nanos();
        let t2 = s.sys_after.as_nanos();
        let interval = clamp_i64(t2 - t1);
        let mid = (t1 + t2) / 2;
        let candidate = SysOffset { offset: clamp_i64(mid - s.phc.as_nanos()), ts: clamp_i64(mid), delay: interval };
        if best.is_none_or(|b| interval < b.delay) {
            best = Some(candidate);
        }
    }
    best
}

/// The device path of PHC index `index`: `/dev/ptp<index>`.
pub fn phc_device_for_index(index: i32) -> String {
    format!("/dev/ptp{index}")
}

/// The index in a `/dev/ptpN` device name, read the way linuxptp reads ptp4l's `-p` argument
/// (`sscanf(device, "/dev/ptp%d", ...)`): the literal prefix, optional white space and sign,
/// then decimal digits; anything after the digits is ignored. `None` when that does not match
/// (ptp4l then opens the given path as it is). A negative number is returned as such; ptp4l
/// treats it as "no index".
pub fn parse_phc_device(device: &str) -> Option<i32> {
    let rest = device.strip_prefix("/dev/ptp")?;
    let rest = rest.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match rest.as_bytes().first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    let end = digits.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(digits.len());
    if end == 0 {
        return None;
    }
    let magnitude: i64 = digits[..end].parse().ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).ok()
}

/// The PHC index of network interface `iface` from ETHTOOL_GET_TS_INFO: -1 when the interface
/// has no PHC (software-only devices such as lo and veth report -1). An error when the ioctl
/// fails, which linuxptp treats as "automatic determination is not supported" (ptp4l then
/// needs `-p`); a missing interface fails with ENODEV.
pub fn interface_phc_index(iface: &str) -> io::Result<i32> {
    Ok(tsinfo::interface_ts_info(iface)?.phc_index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(ns: i128) -> Timespec {
        Timespec::from_nanos(ns)
    }

    fn sample(before: i128, phc: i128, after: i128) -> SysOffsetSample {
        SysOffsetSample { sys_before: ts(before), phc: ts(phc), sys_after: ts(after) }
    }

    #[test]
    fn device_paths() {
        assert_eq!(phc_device_for_index(0), "/dev/ptp0");
        assert_eq!(phc_device_for_index(12), "/dev/ptp12");
        assert_eq!(parse_phc_device("/dev/ptp0"), Some(0));
        assert_eq!(parse_phc_device("/dev/ptp12"), Some(12));
        for i in [0, 1, 7, 99, 1234] {
            assert_eq!(parse_phc_device(&phc_device_for_index(i)), Some(i));
        }
        // sscanf("%d") semantics: leading white space and a sign are taken, a tail is ignored.
        assert_eq!(parse_phc_device("/dev/ptp 3"), Some(3));
        assert_eq!(parse_phc_device("/dev/ptp+4"), Some(4));
        assert_eq!(parse_phc_device("/dev/ptp-1"), Some(-1));
        assert_eq!(parse_phc_device("/dev/ptp5x"), Some(5));
        // No number: ptp4l opens the path as given.
        assert_eq!(parse_phc_device("/dev/ptp"), None);
        assert_eq!(parse_phc_device("/dev/ptp_hyperv"), None);
        assert_eq!(parse_phc_device("/dev/pps0"), None);
        assert_eq!(parse_phc_device("ptp0"), None);
        assert_eq!(parse_phc_device("/dev/ptp99999999999"), None);
    }

    #[test]
    fn opening_a_missing_phc_fails_cleanly() {
        let err = Phc::open("/dev/ptp99").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
        assert!(Phc::open("/dev/pt\0p0").is_err());
    }

    #[test]
    fn reads_a_phc_when_there_is_one() {
        // Read only: open, caps, time. Skips on machines without /dev/ptp0.
        if !std::path::Path::new("/dev/ptp0").exists() {
            eprintln!("skipping reads_a_phc_when_there_is_one: no /dev/ptp0");
            return;
        }
        let phc = Phc::open("/dev/ptp0").unwrap();
        assert_eq!(phc.index(), Some(0));
        assert!(matches!(phc.clock_id(), ClockId::Dynamic(id) if id < 0));
        assert!(phc.caps().unwrap().max_adj >= 0);
        phc.now().unwrap();
    }

    #[test]
    fn loopback_has_no_phc() {
        assert_eq!(interface_phc_index("lo").unwrap(), -1);
        let missing = interface_phc_index(&format!("nx{}", std::process::id())).unwrap_err();
        assert_eq!(missing.raw_os_error(), Some(libc::ENODEV));
    }

    #[test]
    fn sys_offset_takes_the_shortest_reading() {
        assert_eq!(estimate_sys_offset(&[]), None);
        let samples = [
            sample(1_000, 1_400, 1_100), // interval 100, mid 1050
            sample(2_000, 1_990, 2_040), // interval 40, mid 2020: offset 30
            sample(3_000, 3_100, 3_040), // interval 40 again: the first one stays
            sample(4_000, 4_000, 4_090),
        ];
        assert_eq!(estimate_sys_offset(&samples), Some(SysOffset { offset: 30, ts: 2_020, delay: 40 }));
        // PHC ahead of the system clock: negative offset; across a second boundary.
        let one = [sample(1_999_999_990, 2_000_000_500, 2_000_000_010)];
        assert_eq!(estimate_sys_offset(&one), Some(SysOffset { offset: -500, ts: 2_000_000_000, delay: 20 }));
    }
}
