//! The interop lab shared by the interop tests: network namespaces joined by a veth pair or a
//! bridge (unique names with the pid), daemons started inside with `ip netns exec`, their `-m` logs in a
//! temp dir, every process ended by PID and everything removed on drop. Root only.

#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const LINUXPTP: &str = "/usr/sbin/ptp4l";
pub const OURS: &str = env!("CARGO_BIN_EXE_ptp4l");

/// Message rates that make a test take seconds. `summary_interval -3` gives a `master offset`
/// line per sample; a free-running slave (linuxptp's or ours) samples once per
/// `freq_est_interval` (2^0 s, the smallest value 3.1.1 accepts).
pub const FAST: &str = "[global]\n\
free_running 1\n\
logAnnounceInterval -2\n\
logSyncInterval -3\n\
logMinDelayReqInterval -3\n\
logMinPdelayReqInterval -3\n\
announceReceiptTimeout 3\n\
summary_interval -3\n\
freq_est_interval 0\n";

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

pub fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip").args(args).output().map_err(|e| format!("ip {args:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Network namespaces, one per node, each with one interface (MAC 02:79:<tag>:00:00:<k+1>),
/// joined by a veth pair (two nodes) or through a bridge in a further hub namespace (more);
/// a temp dir; and the daemons started in them. All removed (processes killed by PID) on drop.
pub struct Lab {
    pub test: String,
    /// The nodes' namespaces, then the hub's (if any).
    pub ns: Vec<String>,
    /// The interface each node's daemons run on.
    pub ifs: Vec<String>,
    pub macs: Vec<[u8; 6]>,
    /// The veth ends created in this namespace (removed on drop should setup fail midway).
    veths: Vec<String>,
    pub dir: PathBuf,
    pub children: Vec<(String, Child)>,
}

impl Lab {
    /// Two nodes on a veth pair; `None` (after a skip message) without root or linuxptp.
    pub fn new(test: &str, tag: &str, needs_linuxptp: bool) -> Option<Lab> {
        Self::with_nodes(test, tag, needs_linuxptp, 2)
    }

    /// `n` nodes: a veth pair for two, a bridge (multicast snooping off) for more.
    pub fn with_nodes(test: &str, tag: &str, needs_linuxptp: bool, n: usize) -> Option<Lab> {
        if !is_root() {
            eprintln!("skipping interop test {test}: needs root for network namespaces");
            return None;
        }
        if needs_linuxptp && !Path::new(LINUXPTP).exists() {
            eprintln!("skipping interop test {test}: {LINUXPTP} not installed (apt-get install linuxptp)");
            return None;
        }
        if Command::new("ip").arg("-V").output().is_err() {
            eprintln!("skipping interop test {test}: `ip` not installed (apt-get install iproute2)");
            return None;
        }
        let pid = std::process::id();
        let dir = std::env::temp_dir().join(format!("ptprs-interop-{pid}-{tag}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let mut ns: Vec<String> = (0..n).map(|k| format!("ptpi{pid}{tag}{k}")).collect();
        if n > 2 {
            ns.push(format!("ptpi{pid}{tag}h"));
        }
        let tag_byte = tag.bytes().fold(0u8, |h, b| h.wrapping_mul(31).wrapping_add(b));
        let ifs: Vec<String> = (0..n).map(|k| format!("pi{pid}{tag}{k}")).collect();
        let mut veths = ifs.clone();
        if n > 2 {
            veths.extend(ifs.iter().map(|i| format!("{i}h")));
        }
        let lab = Lab {
            test: test.to_owned(),
            ns,
            macs: (0..n).map(|k| [0x02, 0x79, tag_byte, 0, 0, k as u8 + 1]).collect(),
            ifs,
            veths,
            dir,
            children: Vec::new(),
        };
        if let Err(e) = lab.setup() {
            panic!("{test}: namespace setup failed: {e}");
        }
        Some(lab)
    }

    pub fn setup(&self) -> Result<(), String> {
        for ns in &self.ns {
            ip(&["netns", "add", ns])?;
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
            // No duplicate address detection: IPv6 addresses are usable at once.
            let out = Command::new("ip")
                .args(["netns", "exec", ns, "sh", "-c"])
                .arg("echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad")
                .output()
                .map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!("sysctl accept_dad: {}", String::from_utf8_lossy(&out.stderr)));
            }
        }
        let n = self.ifs.len();
        if n == 2 {
            ip(&["link", "add", &self.ifs[0], "type", "veth", "peer", "name", &self.ifs[1]])?;
        } else {
            let hub = &self.ns[n];
            ip(&["-n", hub, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"])?;
            ip(&["-n", hub, "link", "set", "br0", "up"])?;
            for ifname in &self.ifs {
                let hub_if = format!("{ifname}h");
                ip(&["link", "add", ifname, "type", "veth", "peer", "name", &hub_if])?;
                ip(&["link", "set", &hub_if, "netns", hub])?;
                ip(&["-n", hub, "link", "set", &hub_if, "master", "br0"])?;
                ip(&["-n", hub, "link", "set", &hub_if, "up"])?;
            }
        }
        for (k, ifname) in self.ifs.iter().enumerate() {
            let ns = &self.ns[k];
            ip(&["link", "set", ifname, "netns", ns])?;
            ip(&["-n", ns, "link", "set", ifname, "address", &mac_text(&self.macs[k])])?;
            ip(&["-n", ns, "addr", "add", &format!("10.79.0.{}/24", k + 1), "dev", ifname])?;
            ip(&["-n", ns, "-6", "addr", "add", &format!("fd79::{}/64", k + 1), "dev", ifname, "nodad"])?;
            ip(&["-n", ns, "link", "set", ifname, "up"])?;
        }
        Ok(())
    }

    /// Put an 802.1Q VLAN interface `vl<id>` on each side's veth and run the daemons on it
    /// from now on (their frames then carry the tag on the veth). An error where the kernel
    /// has no 802.1Q support (the 8021q module): callers skip.
    pub fn use_vlan(&mut self, id: u16) -> Result<(), String> {
        let name = format!("vl{id}");
        for (ns, ifname) in self.ns.iter().zip(&self.ifs) {
            ip(&["-n", ns, "link", "add", "link", ifname, "name", &name, "type", "vlan", "id", &id.to_string()])?;
            ip(&["-n", ns, "link", "set", &name, "up"])?;
        }
        self.ifs = vec![name; self.ifs.len()];
        Ok(())
    }

    /// Start `program` in namespace `side` (0 or 1) on that side's interface, with a config
    /// file `cfg` and `args`; stdout and stderr go to `<dir>/<name>.log`.
    pub fn start(&mut self, name: &str, side: usize, program: &str, cfg: &str, args: &[&str]) {
        self.start_with(name, side, &[], program, cfg, args);
    }

    /// As [`Lab::start`], with `program` run through `wrapper` (e.g. `setpriv ...`).
    pub fn start_with(&mut self, name: &str, side: usize, wrapper: &[&str], program: &str, cfg: &str, args: &[&str]) {
        let cfg_path = self.dir.join(format!("{name}.cfg"));
        std::fs::write(&cfg_path, cfg).expect("write config");
        let log = File::create(self.log_path(name)).expect("create log");
        let err = log.try_clone().expect("dup log");
        let child = Command::new("ip")
            .args(["netns", "exec", &self.ns[side]])
            .args(wrapper)
            .arg(program)
            .args(["-f", cfg_path.to_str().unwrap(), "-i", &self.ifs[side], "-m", "-q"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("{}: start {program}: {e}", self.test));
        self.children.push((name.to_owned(), child));
    }

    /// Start linuxptp's ptp4l with its own UDS path in the temp dir.
    pub fn start_linuxptp(&mut self, name: &str, side: usize, extra_cfg: &str, args: &[&str]) {
        let uds = self.dir.join(format!("{name}.sock"));
        let cfg = format!("{FAST}uds_address {}\n{extra_cfg}", uds.display());
        let mut all = vec!["-S"];
        all.extend_from_slice(args);
        self.start(name, side, LINUXPTP, &cfg, &all);
    }

    /// Start ptp-rs's ptp4l with its own UDS paths in the temp dir.
    pub fn start_ours(&mut self, name: &str, side: usize, extra_cfg: &str, args: &[&str]) {
        let uds = self.dir.join(format!("{name}.sock"));
        let ro = self.dir.join(format!("{name}.rosock"));
        let cfg = format!("{FAST}uds_address {}\nuds_ro_address {}\n{extra_cfg}", uds.display(), ro.display());
        let mut all = vec!["-S"];
        all.extend_from_slice(args);
        self.start(name, side, OURS, &cfg, &all);
    }

    pub fn log_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.log"))
    }

    pub fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.log_path(name)).unwrap_or_default()
    }

    /// Wait until `name`'s log contains `what` (a state change, say), or `timeout`.
    pub fn wait_for_log(&self, name: &str, what: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.log(name).contains(what) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    }

    pub fn all_logs(&self) -> String {
        let mut s = String::new();
        for (name, _) in &self.children {
            s.push_str(&format!("----- {name} -----\n{}\n", self.log(name)));
        }
        s
    }

    /// Wait until `name`'s log has `n` offset samples (or `timeout`), and return them.
    pub fn wait_samples(&mut self, name: &str, n: usize, timeout: Duration) -> Vec<Sample> {
        let start = Instant::now();
        loop {
            let samples = samples(&self.log(name));
            if samples.len() >= n || start.elapsed() >= timeout {
                return samples;
            }
            let exited = self.children.iter_mut().find_map(|(who, c)| match c.try_wait() {
                Ok(Some(st)) => Some(format!("{who} exited early ({st})")),
                _ => None,
            });
            if let Some(what) = exited {
                panic!("{}: {what}:\n{}", self.test, self.all_logs());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Panic (with all logs) if a daemon other than `except` has exited.
    pub fn check_alive(&mut self, except: &[&str]) {
        let exited = self.children.iter_mut().find_map(|(who, c)| match c.try_wait() {
            Ok(Some(st)) if !except.contains(&who.as_str()) => Some(format!("{who} exited early ({st})")),
            _ => None,
        });
        if let Some(what) = exited {
            panic!("{}: {what}:\n{}", self.test, self.all_logs());
        }
    }

    /// Wait up to `timeout` for `cond` (checked every 50 ms), panicking if a daemon other than
    /// `except` exits meanwhile; whether it came true.
    pub fn wait_for(&mut self, timeout: Duration, except: &[&str], mut cond: impl FnMut(&Lab) -> bool) -> bool {
        let start = Instant::now();
        loop {
            if cond(self) {
                return true;
            }
            if start.elapsed() >= timeout {
                return false;
            }
            self.check_alive(except);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kill `name` with SIGKILL (by PID) and reap it.
    pub fn kill(&mut self, name: &str) {
        let (_, child) = self.children.iter_mut().find(|(n, _)| n == name).expect("no such daemon");
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Send SIGTERM to `name` (by PID) and wait up to `within` for it to exit.
    pub fn terminate(&mut self, name: &str, within: Duration) -> Option<ExitStatus> {
        let (_, child) = self.children.iter_mut().find(|(n, _)| n == name)?;
        let pid = libc::pid_t::try_from(child.id()).ok()?;
        // SAFETY: kill takes no pointers; `pid` is our own child, not yet reaped.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let start = Instant::now();
        while start.elapsed() < within {
            if let Ok(Some(st)) = child.try_wait() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for (_, c) in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        for ns in &self.ns {
            let _ = ip(&["netns", "del", ns]);
        }
        for i in &self.veths {
            let _ = ip(&["link", "del", i]);
        }
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            eprintln!("{}: logs kept in {}", self.test, self.dir.display());
        }
    }
}

pub fn mac_text(mac: &[u8; 6]) -> String {
    mac.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// The lines of a daemon's output without their `ptp4l[<time>]: ` prefix (lines without one
/// as they are).
pub fn message_texts(output: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(output).lines().map(|l| l.split_once("]: ").map_or(l, |(_, t)| t).to_owned()).collect()
}

/// One `master offset %10ld s%d freq %+7.0f path delay %9ld` line.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub offset: i64,
    pub delay: i64,
}

pub fn samples(log: &str) -> Vec<Sample> {
    log.lines()
        .filter_map(|l| {
            let rest = &l[l.find("master offset")? + "master offset".len()..];
            let t: Vec<&str> = rest.split_whitespace().collect();
            // [offset, sN, freq, F, path, delay, D]
            if t.len() < 7 || t[2] != "freq" || t[4] != "path" || t[5] != "delay" {
                return None;
            }
            Some(Sample { offset: t[0].parse().ok()?, delay: t[6].parse().ok()? })
        })
        .collect()
}

/// Samples ignored at the start, and samples checked after them.
pub const WARM_UP: usize = 2;
pub const CHECKED: usize = 10;
pub const MAX_OFFSET_NS: i64 = 100_000;
pub const MAX_DELAY_NS: i64 = 1_000_000;

/// Check the slave's log: it went to UNCALIBRATED on RS_SLAVE and (after a few samples) its
/// offsets are within 100 µs and its path delays within 0..1 ms.
pub fn check_slave(lab: &mut Lab, slave: &str) {
    let want = WARM_UP + CHECKED;
    let got = lab.wait_samples(slave, want, Duration::from_secs(40));
    let log = lab.log(slave);
    assert!(
        log.contains("to UNCALIBRATED on RS_SLAVE"),
        "{}: no RS_SLAVE in {slave}'s log:\n{}",
        lab.test,
        lab.all_logs()
    );
    assert!(got.len() >= want, "{}: only {} offset lines from {slave}:\n{}", lab.test, got.len(), lab.all_logs());
    let settled = &got[WARM_UP..];
    let max_off = settled.iter().map(|s| s.offset.abs()).max().unwrap_or(0);
    let mean_off = settled.iter().map(|s| s.offset).sum::<i64>() / settled.len() as i64;
    let (min_d, max_d) = settled.iter().fold((i64::MAX, i64::MIN), |(lo, hi), s| (lo.min(s.delay), hi.max(s.delay)));
    eprintln!(
        "{}: {} samples from {slave}: |offset| max {max_off} ns, mean {mean_off} ns; path delay {min_d}..{max_d} ns",
        lab.test,
        settled.len()
    );
    let bad: Vec<&Sample> =
        settled.iter().filter(|s| s.offset.abs() >= MAX_OFFSET_NS || s.delay < 0 || s.delay >= MAX_DELAY_NS).collect();
    assert!(bad.is_empty(), "{}: samples out of bounds {bad:?}:\n{}", lab.test, lab.all_logs());
}
