//! Which time stamping an interface offers: `ETHTOOL_GET_TS_INFO` (linux/ethtool.h,
//! Documentation/networking/timestamping.rst) against the `time_stamping` mode ptp4l was asked
//! for.
//!
//! linuxptp checks every port's interface when it creates the clock and refuses to start with
//! `interface '<name>' does not support requested timestamping mode` when a required
//! SOF_TIMESTAMPING_* capability is missing. When the ioctl itself fails (a driver without
//! ethtool time stamping information, or a kernel without the ioctl) linuxptp marks the
//! information invalid and skips the check; [`interface_supports`] does the same.
//!
//! The required capabilities per mode, as linuxptp's clock.c has them:
//!
//! | `time_stamping`                  | required `so_timestamping` bits                  |
//! |----------------------------------|--------------------------------------------------|
//! | `software`                       | TX_SOFTWARE, RX_SOFTWARE, SOFTWARE               |
//! | `legacy`                         | TX_HARDWARE, RX_HARDWARE, SYS_HARDWARE           |
//! | `hardware`, `onestep`, `p2p1step`| TX_HARDWARE, RX_HARDWARE, RAW_HARDWARE           |

use std::io;

use ptp_config::enums::TimeStamping;

pub use crate::transport::TsInfo;

/// The SOF_TIMESTAMPING_* capabilities an interface must report for `mode` (the flags the
/// transport sets for it, [`crate::transport::TimestampMode::so_timestamping_flags`]).
pub fn required_so_timestamping(mode: TimeStamping) -> u32 {
    crate::transport::TimestampMode::from_config(mode).so_timestamping_flags()
}

/// Whether capabilities `info` cover `mode` (every required bit set).
pub fn supports(info: &TsInfo, mode: TimeStamping) -> bool {
    let required = required_so_timestamping(mode);
    info.so_timestamping & required == required
}

/// `ETHTOOL_GET_TS_INFO` on `iface`, through a throwaway AF_INET datagram socket as linuxptp's
/// `sk_get_ts_info`. An error from the ioctl means "no valid information" to linuxptp (it logs
/// `ioctl SIOCETHTOOL failed: <error>` and carries on).
pub fn interface_ts_info(iface: &str) -> io::Result<TsInfo> {
    crate::transport::ts_info(iface)
}

/// Whether `iface` supports `mode`, as linuxptp decides at clock creation: `Ok(false)` only when
/// the interface reports its capabilities and a required one is missing; when
/// ETHTOOL_GET_TS_INFO fails the check is skipped (`Ok(true)`). `Err` only when not even the
/// socket for the ioctl could be opened.
pub fn interface_supports(iface: &str, mode: TimeStamping) -> io::Result<bool> {
    Ok(match interface_ts_info(iface) {
        Ok(info) => supports(&info, mode),
        Err(_) => true,
    })
}

/// linuxptp's error text for an interface that lacks the requested mode.
pub fn unsupported_mode_message(iface: &str) -> String {
    format!("interface '{iface}' does not support requested timestamping mode")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys;
    use ptp_config::enums::ConfigEnum;
    use std::process::Command;

    fn info(so_timestamping: u32) -> TsInfo {
        TsInfo { so_timestamping, phc_index: -1, tx_types: 0, rx_filters: 0 }
    }

    #[test]
    fn required_capabilities_per_mode() {
        assert_eq!(required_so_timestamping(TimeStamping::Software), 0x02 | 0x08 | 0x10);
        assert_eq!(required_so_timestamping(TimeStamping::Legacy), 0x01 | 0x04 | 0x20);
        for mode in [TimeStamping::Hardware, TimeStamping::OneStep, TimeStamping::P2p1Step] {
            assert_eq!(required_so_timestamping(mode), 0x01 | 0x04 | 0x40, "{mode}");
        }
        // Every mode the config knows has a non-empty requirement.
        for mode in TimeStamping::ALL {
            assert_ne!(required_so_timestamping(*mode), 0);
        }
    }

    #[test]
    fn supports_needs_every_required_bit() {
        let sw = info(0x1a);
        assert!(supports(&sw, TimeStamping::Software));
        assert!(!supports(&sw, TimeStamping::Hardware));
        assert!(!supports(&sw, TimeStamping::Legacy));
        // A typical PHC NIC: software and raw hardware, no SYS_HARDWARE.
        let nic = info(0x1a | 0x01 | 0x04 | 0x40);
        assert!(supports(&nic, TimeStamping::Software));
        assert!(supports(&nic, TimeStamping::Hardware));
        assert!(supports(&nic, TimeStamping::OneStep));
        assert!(!supports(&nic, TimeStamping::Legacy));
        // Receive-only software time stamping (older kernels' default for drivers without
        // get_ts_info) is not enough for -S.
        assert!(!supports(&info(0x08 | 0x10), TimeStamping::Software));
        assert!(!supports(&info(0), TimeStamping::Software));
    }

    #[test]
    fn loopback_offers_software_only() {
        let lo = interface_ts_info("lo").expect("ETHTOOL_GET_TS_INFO on lo");
        assert_eq!(lo.phc_index, -1);
        assert!(interface_supports("lo", TimeStamping::Software).unwrap());
        assert!(!interface_supports("lo", TimeStamping::Hardware).unwrap());
    }

    #[test]
    fn failing_ioctl_skips_the_check() {
        // No such interface: the ioctl fails (ENODEV), so linuxptp would not judge the mode.
        let name = format!("nx{}", std::process::id());
        assert!(interface_ts_info(&name).is_err());
        assert!(interface_supports(&name, TimeStamping::Hardware).unwrap());
        assert_eq!(unsupported_mode_message("eth0"), "interface 'eth0' does not support requested timestamping mode");
    }

    /// Effective uid 0, from /proc/self/status (`Uid: real effective saved fs`).
    fn is_root() -> bool {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
            .unwrap_or(false)
    }

    fn ip(args: &[&str]) -> Result<(), String> {
        let out = Command::new("ip").args(args).output().map_err(|e| format!("ip {args:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("ip {args:?}: {}", String::from_utf8_lossy(&out.stderr).trim()))
        }
    }

    /// A network namespace of this test's own, deleted (with everything in it) on drop.
    struct Netns(String);

    impl Drop for Netns {
        fn drop(&mut self) {
            let _ = ip(&["netns", "del", &self.0]);
        }
    }

    #[test]
    fn veth_supports_software_not_hardware() {
        if !is_root() {
            eprintln!("skipping veth_supports_software_not_hardware: needs root for a network namespace");
            return;
        }
        let pid = std::process::id();
        let ns = Netns(format!("ptprs{pid}tsi"));
        ip(&["netns", "add", &ns.0]).unwrap();
        let (a, b) = (format!("pr{pid}ta"), format!("pr{pid}tb"));
        ip(&["-n", &ns.0, "link", "add", &a, "type", "veth", "peer", "name", &b]).unwrap();
        let name = ns.0.clone();
        let (info, sw, hw, legacy) = std::thread::spawn(move || {
            sys::enter_netns(&name).unwrap();
            (
                interface_ts_info(&a),
                interface_supports(&a, TimeStamping::Software),
                interface_supports(&a, TimeStamping::Hardware),
                interface_supports(&a, TimeStamping::Legacy),
            )
        })
        .join()
        .unwrap();
        let info = info.expect("ETHTOOL_GET_TS_INFO on veth");
        assert_eq!(info.phc_index, -1);
        assert!(sw.unwrap(), "veth: software time stamping (so_timestamping {:#x})", info.so_timestamping);
        assert!(!hw.unwrap(), "veth: no hardware time stamping");
        assert!(!legacy.unwrap());
    }
}
