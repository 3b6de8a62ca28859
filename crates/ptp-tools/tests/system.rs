//! ptp4l as a system service, next to Debian's linuxptp 3.1.1: what it writes to syslog, the
//! default UDS paths with their compatibility links, and a link that is already down at
//! start-up.
//!
//! Root only (network namespaces, mount namespaces); each test skips with a message otherwise.
//! The host's /dev, /run and /var/run are never touched: every daemon runs inside
//! `ip netns exec <ns> unshare -m --propagation private sh -c '...'`, which mounts a tmpfs over
//! /dev (with /dev/log a symlink to a datagram socket the test reads) or over /run in that
//! private mount namespace only. Namespaces and temp dirs have unique names (the pid) and are
//! removed afterwards; processes are ended by PID. Software time stamping, `free_running 1`.

mod common;

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::lab::{ip, Lab, LINUXPTP, OURS};

const PMC: &str = "/usr/sbin/pmc";

/// Whether the mount-namespace tools are there (util-linux); prints the skip message when not.
fn have_unshare(test: &str) -> bool {
    if Command::new("unshare").arg("--version").output().is_err() {
        eprintln!("skipping {test}: `unshare` not installed (apt-get install util-linux)");
        return false;
    }
    true
}

/// The lab's namespaces plus the mount-namespace tools, or `None` after a skip message.
fn lab(test: &str, tag: &str) -> Option<Lab> {
    let lab = Lab::new(test, tag, true)?;
    have_unshare(test).then_some(lab)
}

/// `sh -c script` in a private mount namespace inside network namespace `ns`. The shell
/// `exec`s the daemon at its end, so the child's PID is the daemon's.
fn spawn_in(ns: &str, script: &str, log: &Path) -> Child {
    let out = std::fs::File::create(log).expect("create log");
    let err = out.try_clone().expect("dup log");
    Command::new("ip")
        .args(["netns", "exec", ns, "unshare", "-m", "--propagation", "private", "sh", "-c", script])
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("spawn ip netns exec unshare")
}

/// A script that mounts a tmpfs over /dev, makes /dev/log a symlink to `socket` and runs
/// `program` with `args`.
fn with_dev_log(socket: &Path, program: &str, args: &[&str]) -> String {
    format!("mount -t tmpfs tmpfs /dev && ln -s {} /dev/log && exec {program} {}", socket.display(), args.join(" "))
}

/// Stop `child` with SIGTERM (by PID) and reap it, or kill it after 2 s.
fn terminate(child: &mut Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill takes no pointers; `pid` is our own child, not yet reaped.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// CLOCK_MONOTONIC seconds, the time base of linuxptp's log prefix.
fn monotonic_secs() -> i64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec
}

/// A datagram socket the daemons' glibc `syslog()` writes to, and what arrived on it.
struct LogSink {
    sock: UnixDatagram,
    lines: Vec<String>,
}

impl LogSink {
    fn bind(path: &Path) -> LogSink {
        let sock = UnixDatagram::bind(path).expect("bind the /dev/log stand-in");
        sock.set_nonblocking(true).expect("non-blocking");
        LogSink { sock, lines: Vec::new() }
    }

    fn drain(&mut self) {
        let mut buf = vec![0u8; 4096];
        while let Ok(n) = self.sock.recv(&mut buf) {
            self.lines.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    }

    fn has(&self, needle: &str) -> bool {
        self.lines.iter().any(|l| l.contains(needle))
    }
}

/// One message as glibc's `syslog()` sends it without `openlog` (RFC 3164 header, no pid) and
/// linuxptp's print.c fills it in: `<PRI>Mmm dd hh:mm:ss ptp4l: [<s>.<ms>] <tag ><body>`.
#[derive(Debug, PartialEq, Eq)]
struct Syslog {
    pri: u32,
    ident: String,
    secs: i64,
    millis: String,
    /// The tag and the body.
    text: String,
}

fn parse_syslog(line: &str) -> Option<Syslog> {
    let rest = line.strip_prefix('<')?;
    let (pri, rest) = rest.split_once('>')?;
    let pri: u32 = pri.parse().ok()?;
    // "Nov 24 11:41:16 ": month, space-padded day, time.
    let (stamp, rest) = (rest.get(..16)?, rest.get(16..)?);
    let b = stamp.as_bytes();
    let month_ok = b[..3].iter().all(u8::is_ascii_alphabetic) && b[3] == b' ';
    let day_ok = (b[4] == b' ' || b[4].is_ascii_digit()) && b[5].is_ascii_digit() && b[6] == b' ';
    let time_ok = b[7..15].iter().enumerate().all(|(i, c)| if i % 3 == 2 { *c == b':' } else { c.is_ascii_digit() });
    if !(month_ok && day_ok && time_ok && b[15] == b' ') {
        return None;
    }
    let (ident, rest) = rest.split_once(": [")?;
    let (time, text) = rest.split_once("] ")?;
    let (secs, millis) = time.split_once('.')?;
    if millis.len() != 3 || !millis.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Syslog {
        pri,
        ident: ident.to_owned(),
        secs: secs.parse().ok()?,
        millis: millis.to_owned(),
        text: text.to_owned(),
    })
}

/// Wait (reading the sinks) until `done`, or panic after `timeout` with what arrived.
fn wait_sinks(sinks: &mut [&mut LogSink], timeout: Duration, what: &str, done: impl Fn(&[&mut LogSink]) -> bool) {
    let start = Instant::now();
    loop {
        for s in sinks.iter_mut() {
            s.drain();
        }
        if done(sinks) {
            return;
        }
        if start.elapsed() > timeout {
            let got: Vec<&Vec<String>> = sinks.iter().map(|s| &s.lines).collect();
            panic!("timed out waiting for {what}; syslog got {got:#?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn syslog_lines_have_linuxptp_shape() {
    let test = "syslog_lines_have_linuxptp_shape";
    let Some(mut lab) = lab(test, "sl") else { return };
    let started = Instant::now();
    let dir = lab.dir.clone();
    let cfg = |name: &str, extra: &str| {
        let path = dir.join(format!("{name}.cfg"));
        let uds = dir.join(format!("{name}.sock"));
        let ro = dir.join(format!("{name}.rosock"));
        std::fs::write(&path, format!("[global]\nfree_running 1\nuds_address {}\n{extra}", uds.display())).unwrap();
        // linuxptp 3.1.1 does not know uds_ro_address: only ours gets it, on the command line.
        (path.display().to_string(), format!("--uds_ro_address={}", ro.display()))
    };
    let (ns, ifs) = (lab.ns.clone(), lab.ifs.clone());

    // Ours and Debian's, each with a message_tag, side by side.
    let mut ours = LogSink::bind(&lab.dir.join("ours.log.sock"));
    let mut theirs = LogSink::bind(&lab.dir.join("theirs.log.sock"));
    let (c, ro) = cfg("ours", "message_tag tag{level}\n");
    let script = with_dev_log(&lab.dir.join("ours.log.sock"), OURS, &["-f", &c, "-i", &ifs[0], "-S", &ro]);
    let a = spawn_in(&ns[0], &script, &lab.dir.join("ours.out"));
    lab.children.push(("ours".into(), a));
    let (c, _) = cfg("theirs", "message_tag tag{level}\n");
    let script = with_dev_log(&lab.dir.join("theirs.log.sock"), LINUXPTP, &["-f", &c, "-i", &ifs[1], "-S"]);
    let b = spawn_in(&ns[1], &script, &lab.dir.join("theirs.out"));
    lab.children.push(("theirs".into(), b));
    let transition = "INITIALIZING to LISTENING on INIT_COMPLETE";
    wait_sinks(&mut [&mut ours, &mut theirs], Duration::from_secs(10), "both INITIALIZING lines", |s| {
        s.iter().all(|s| s.lines.iter().any(|l| l.contains("port 1") && l.contains(transition)))
    });
    std::thread::sleep(Duration::from_millis(300));
    for (_, c) in &mut lab.children {
        terminate(c);
    }
    ours.drain();
    theirs.drain();
    eprintln!("ours:\n{}\ntheirs:\n{}", ours.lines.join("\n"), theirs.lines.join("\n"));

    let now = monotonic_secs();
    for (who, sink) in [("ours", &ours), ("linuxptp", &theirs)] {
        for l in &sink.lines {
            let m = parse_syslog(l).unwrap_or_else(|| panic!("{who}: not a glibc syslog line: {l:?}"));
            assert_eq!(m.ident, "ptp4l", "{who}: {l:?}");
            // LOG_USER (8) and a level from ERR to DEBUG.
            assert!((11..=15).contains(&m.pri), "{who}: priority {} in {l:?}", m.pri);
            assert!((now - 60..=now).contains(&m.secs), "{who}: not CLOCK_MONOTONIC seconds ({now}): {l:?}");
        }
    }
    let find = |sink: &LogSink, body: &str| {
        sink.lines
            .iter()
            .filter_map(|l| parse_syslog(l))
            .find(|m| m.text.ends_with(body))
            .unwrap_or_else(|| panic!("no {body:?} in {:#?}", sink.lines))
    };
    let o = find(&ours, &format!("port 1 ({}): {transition}", ifs[0]));
    let t = find(&theirs, &format!("port 1: {transition}"));
    // Same priority (LOG_USER | LOG_NOTICE), same prefix; the tag as each version puts it:
    // master replaces `{level}` with the level digit, 3.1.1 keeps it verbatim.
    assert_eq!((o.pri, t.pri), (13, 13));
    assert_eq!(o.text, format!("tag5 port 1 ({}): {transition}", ifs[0]));
    assert_eq!(t.text, format!("tag{{level}} port 1: {transition}"));

    // Ours without a tag, and ours with -q (and -m, to see it ran): nothing in syslog.
    lab.children.clear();
    let mut plain = LogSink::bind(&lab.dir.join("plain.log.sock"));
    let mut quiet = LogSink::bind(&lab.dir.join("quiet.log.sock"));
    let (c, ro) = cfg("plain", "");
    let script = with_dev_log(&lab.dir.join("plain.log.sock"), OURS, &["-f", &c, "-i", &ifs[0], "-S", &ro]);
    let p = spawn_in(&ns[0], &script, &lab.dir.join("plain.out"));
    lab.children.push(("plain".into(), p));
    let (c, ro) = cfg("quiet", "");
    let script = with_dev_log(&lab.dir.join("quiet.log.sock"), OURS, &["-f", &c, "-i", &ifs[1], "-S", "-q", "-m", &ro]);
    let q = spawn_in(&ns[1], &script, &lab.dir.join("quiet.out"));
    lab.children.push(("quiet".into(), q));
    wait_sinks(&mut [&mut plain, &mut quiet], Duration::from_secs(10), "the untagged line", |s| s[0].has(transition));
    let stdout_line = format!("port 1 ({}): {transition}", ifs[1]);
    let start = Instant::now();
    while !std::fs::read_to_string(lab.dir.join("quiet.out")).unwrap_or_default().contains(&stdout_line) {
        assert!(start.elapsed() < Duration::from_secs(10), "-q -m printed no {stdout_line:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    for (_, c) in &mut lab.children {
        terminate(c);
    }
    plain.drain();
    quiet.drain();
    let m = find(&plain, &format!("port 1 ({}): {transition}", ifs[0]));
    assert_eq!(m.text, format!("port 1 ({}): {transition}", ifs[0]), "no tag, no extra space");
    assert!(quiet.lines.is_empty(), "-q still wrote to syslog: {:#?}", quiet.lines);
    let printed = std::fs::read_to_string(lab.dir.join("quiet.out")).unwrap_or_default();
    assert!(printed.lines().any(|l| l.starts_with("ptp4l[") && l.ends_with(&stdout_line)), "{printed}");
    eprintln!("{test}: {:.1} s", started.elapsed().as_secs_f64());
}

/// The sections of the default-paths script's output, by `== name` marker.
fn sections(out: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for l in out.lines() {
        if let Some(name) = l.strip_prefix("== ") {
            v.push((name.to_owned(), String::new()));
        } else if let Some((_, body)) = v.last_mut() {
            body.push_str(l);
            body.push('\n');
        }
    }
    v
}

#[test]
fn default_uds_paths_and_compat_links() {
    let test = "default_uds_paths_and_compat_links";
    if !Path::new(PMC).exists() {
        eprintln!("skipping {test}: {PMC} not installed (apt-get install linuxptp)");
        return;
    }
    let Some(lab) = lab(test, "ud") else { return };
    let started = Instant::now();
    let cfg = lab.dir.join("ours.cfg");
    std::fs::write(&cfg, "[global]\nfree_running 1\nuds_file_mode 0640\n").unwrap();
    let log = lab.dir.join("ours.log");
    let run = format!("{OURS} -f {} -i {} -S -m -q", cfg.display(), lab.ifs[0]);
    // A tmpfs on /run (and on /var/run should it not be a link to /run) in the private mount
    // namespace: the host's /var/run/ptp* are never touched. ptp4l runs in the background;
    // pmc (3.1.1: default server /var/run/ptp4l) runs against it; ptp4l is stopped by its PID.
    let script = format!(
        r#"set -u
umask 022
mount -t tmpfs tmpfs /run || exit 1
[ -L /var/run ] || mount -t tmpfs tmpfs /var/run || exit 1
wait_for() {{ i=0; while [ ! -S "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; }}
show() {{ for f in "$@"; do if [ -e "$f" ] || [ -L "$f" ]; then stat -c '%n|%F|%a' "$f"; else echo "$f|absent"; fi; done; }}
{run} > {log} 2>&1 &
pid=$!
wait_for /var/run/ptp/ptp4lro
echo "== running"
show /var/run/ptp /var/run/ptp/ptp4l /var/run/ptp/ptp4lro /var/run/ptp4l /var/run/ptp4lro
echo "== links"
readlink /var/run/ptp4l /var/run/ptp4lro
echo "== pmc"
{PMC} -u -b 0 'GET CURRENT_DATA_SET'
echo "== ro"
{PMC} -u -b 0 -s /var/run/ptp4lro 'GET DEFAULT_DATA_SET'
kill -TERM $pid; wait $pid; echo "== exit $?"
echo "== stopped"
show /var/run/ptp /var/run/ptp/ptp4l /var/run/ptp/ptp4lro /var/run/ptp4l /var/run/ptp4lro
rm /var/run/ptp4lro; echo stale > /var/run/ptp4lro
{run} > {log}.2 2>&1 &
pid=$!
wait_for /var/run/ptp/ptp4lro
echo "== restarted"
show /var/run/ptp4l /var/run/ptp4lro
kill -TERM $pid; wait $pid
echo "== log2"
cat {log}.2
"#,
        log = log.display()
    );
    let mut child = Command::new("ip")
        .args(["netns", "exec", &lab.ns[0], "unshare", "-m", "--propagation", "private", "sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the script");
    let deadline = Instant::now() + Duration::from_secs(40);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("script output");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let first_log = std::fs::read_to_string(&log).unwrap_or_default();
    eprintln!("{text}\nstderr: {}\nptp4l log:\n{first_log}", String::from_utf8_lossy(&out.stderr));
    let s = sections(&text);
    let get = |name: &str| s.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_str()).unwrap_or_default();
    let lines = |name: &str| get(name).lines().map(str::to_owned).collect::<Vec<_>>();

    // Sockets under /var/run/ptp with the configured modes; the directory as mkdir(0755) makes
    // it; relative links at the 3.1.1 paths.
    assert_eq!(
        lines("running"),
        [
            "/var/run/ptp|directory|755",
            "/var/run/ptp/ptp4l|socket|640",
            "/var/run/ptp/ptp4lro|socket|666",
            "/var/run/ptp4l|symbolic link|777",
            "/var/run/ptp4lro|symbolic link|777",
        ],
        "{text}"
    );
    assert_eq!(lines("links"), ["ptp/ptp4l", "ptp/ptp4lro"], "{text}");
    // pmc 3.1.1 reaches us through the link, on both sockets.
    for (section, id) in [("pmc", "CURRENT_DATA_SET"), ("ro", "DEFAULT_DATA_SET")] {
        let body = get(section);
        assert!(body.contains(&format!("RESPONSE MANAGEMENT {id}")), "{section}: {body}");
    }
    assert!(get("pmc").contains("stepsRemoved"), "{text}");
    assert!(s.iter().any(|(n, _)| n == "exit 0"), "ptp4l did not exit 0 on SIGTERM:\n{text}");
    // As linuxptp: the sockets go on exit, the directory and the (now dangling) links stay.
    assert_eq!(
        lines("stopped"),
        [
            "/var/run/ptp|directory|755",
            "/var/run/ptp/ptp4l|absent",
            "/var/run/ptp/ptp4lro|absent",
            "/var/run/ptp4l|symbolic link|777",
            "/var/run/ptp4lro|symbolic link|777",
        ],
        "{text}"
    );
    assert!(!first_log.contains("symlink"), "{first_log}");
    // A second start keeps the existing link silently, and leaves a non-link (a stale 3.1.1
    // socket, say) in place with linuxptp's warning.
    assert_eq!(lines("restarted"), ["/var/run/ptp4l|symbolic link|777", "/var/run/ptp4lro|regular file|644"], "{text}");
    let log2 = get("log2");
    let warning = "failed to create symlink /var/run/ptp4lro->ptp/ptp4lro: File exists";
    assert!(log2.lines().any(|l| l.starts_with("ptp4l[") && l.ends_with(warning)), "{log2}");
    assert!(!log2.contains("/var/run/ptp4l->"), "{log2}");
    eprintln!("{test}: {:.1} s", started.elapsed().as_secs_f64());
}

/// The port 1 lines that tell its link and state story, without the port name (`port 1: ` in
/// 3.1.1, `port 1 (<if>): ` in master), up to and including `until`.
fn port1_story(log: &str, until: &str) -> Vec<String> {
    let mut v = Vec::new();
    for l in log.lines() {
        let Some(i) = l.find("]: port 1") else { continue };
        let rest = &l[i + "]: port 1".len()..];
        let Some((_, text)) = rest.split_once(": ") else { continue };
        if text.starts_with("link ") || (text.contains(" to ") && text.contains(" on ")) {
            v.push(text.to_owned());
            if text == until {
                break;
            }
        }
    }
    v
}

/// Start ours and linuxptp's ptp4l, each on a veth end whose peer is down, keep the peer down
/// for `hold`, bring it up, and check that both tell the same story on port 1: the link is
/// reported down at start, the port goes FAULTY, stays there while the link is down (even when
/// the fault timer, 2^`fault_reset_interval` s, expires meanwhile), and returns to LISTENING
/// when the link comes up.
fn link_down_story(test: &str, tags: [&str; 2], fault_reset_interval: i32, hold: Duration) {
    let Some(mut ours) = Lab::new(test, tags[0], true) else { return };
    let Some(mut theirs) = Lab::new(test, tags[1], true) else { return };
    let started = Instant::now();
    // The peer end is down: our end is up but has no carrier (IFF_RUNNING clear).
    for lab in [&ours, &theirs] {
        ip(&["-n", &lab.ns[1], "link", "set", &lab.ifs[1], "down"]).unwrap();
    }
    // Announce timeouts too slow to matter before the link comes up.
    let extra = format!("fault_reset_interval {fault_reset_interval}\nlogAnnounceInterval 1\n");
    ours.start_ours("ours", 0, &extra, &[]);
    theirs.start_linuxptp("theirs", 0, &extra, &[]);
    let fault = "LISTENING to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)";
    let wait = |lab: &Lab, name: &str, needle: &str| {
        let start = Instant::now();
        while !lab.log(name).contains(needle) {
            assert!(start.elapsed() < Duration::from_secs(10), "{test}: no {needle:?} from {name}:\n{}", lab.log(name));
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait(&ours, "ours", fault);
    wait(&theirs, "theirs", fault);
    std::thread::sleep(hold.saturating_sub(started.elapsed()));
    for (lab, name) in [(&ours, "ours"), (&theirs, "theirs")] {
        assert!(
            !lab.log(name).contains("FAULTY to"),
            "{test}: {name} left FAULTY with the link down:\n{}",
            lab.log(name)
        );
    }
    for lab in [&ours, &theirs] {
        ip(&["-n", &lab.ns[1], "link", "set", &lab.ifs[1], "up"]).unwrap();
    }
    let back = "FAULTY to LISTENING on INIT_COMPLETE";
    wait(&ours, "ours", back);
    wait(&theirs, "theirs", back);
    let (o, t) = (port1_story(&ours.log("ours"), back), port1_story(&theirs.log("theirs"), back));
    eprintln!("ours:\n{}\nlinuxptp:\n{}", ours.log("ours"), theirs.log("theirs"));
    let want = ["INITIALIZING to LISTENING on INIT_COMPLETE", "link down", fault, "link up", back];
    assert_eq!(t, want, "linuxptp's story changed?\n{}", theirs.log("theirs"));
    assert_eq!(o, want, "{}", ours.log("ours"));
    for (lab, name) in [(&mut ours, "ours"), (&mut theirs, "theirs")] {
        assert!(lab.terminate(name, Duration::from_secs(2)).is_some(), "{test}: {name} did not stop");
    }
    eprintln!("{test}: {:.1} s", started.elapsed().as_secs_f64());
}

/// The link state is queried at start-up: a link already down is reported and faults the port.
/// The default fault_reset_interval (2^4 s) does not expire before the link comes up.
#[test]
fn link_down_at_start_faults_then_recovers() {
    link_down_story("link_down_at_start_faults_then_recovers", ["lo", "lt"], 4, Duration::from_secs(1));
}

/// linuxptp's clock_poll clears a fault when the fault timer expires only if the link is up.
#[test]
fn fault_timer_keeps_a_down_link_faulty() {
    link_down_story("fault_timer_keeps_a_down_link_faulty", ["fo", "ft"], 1, Duration::from_secs(3));
}
