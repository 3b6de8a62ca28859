//! The ptp4l daemon loop: one [`Transport`] per interface, a CLOCK_MONOTONIC timerfd armed at
//! the engine's next deadline, and a single-threaded `poll()` over the sockets and the timerfd
//! (DESIGN.md, "Running on Linux" and "Running under a libc-interposing simulator").
//!
//! Status: software time stamping over UDPv4, UDPv6 and L2, with `free_running 1` only (no
//! clock adjustment yet: neither CLOCK_REALTIME nor a PHC is steered). Hardware time stamping
//! is not built; the settings that need it are refused at start-up by [`check_config`].
//! Management GETs are answered on the UDS sockets ([`crate::uds`]); link monitoring uses
//! [`crate::rtnl`] when a netlink socket opens.

use std::io::{self, Write};
use std::time::Duration;

use ptp_config::enums::{NetworkTransport, TimeStamping};
use ptp_config::Config;
use ptp_engine::clock::{Clock, ClockError};
use ptp_engine::log::{Dialect, Level, LogLine, PortNames, Printer, Stream};
use ptp_engine::state::FaultType;
use ptp_engine::time::{ClockTime, Instant};
use ptp_engine::transmit::{Destination as EngineDestination, Transmit};
use ptp_wire::{ClockIdentity, NetworkProtocol, PortAddress};

use crate::sys::{self, ClockId, Timespec};
use crate::timer::{PollIndex, Poller, Timer};
use crate::transport::{Channel, Destination, PeerAddress, TimestampMode, Transport, TransportKind, TransportOptions};

/// The configuration keys this driver honours (on top of the engine's
/// [`ptp_engine::config::ENGINE_KEYS`]). Keys of features not built yet (`uds_address`,
/// `uds_ro_address`, hardware time stamping, ...) are deliberately absent, so that
/// [`ptp_engine::config::unsupported_settings`] refuses them when they differ from the default.
pub const DRIVER_KEYS: &[&str] = &[
    "network_transport",
    "time_stamping",
    "logging_level",
    "verbose",
    "use_syslog",
    "message_tag",
    "clockIdentity",
    "tx_timestamp_timeout",
    "udp_ttl",
    "dscp_event",
    "dscp_general",
    "udp6_scope",
    "ptp_dst_mac",
    "p2p_dst_mac",
    "socket_priority",
    "uds_address",
    "uds_ro_address",
    "uds_file_mode",
    "uds_ro_file_mode",
];

/// Why the daemon did not start (or stopped).
#[derive(Debug)]
pub enum DaemonError {
    /// Settings whose features are not built yet; each line names the key.
    Unsupported(Vec<String>),
    /// A configuration the driver cannot run, with the reason.
    Config(String),
    /// The engine refused the configuration.
    Clock(ClockError),
    /// An OS call failed.
    Io(String),
}

impl std::fmt::Display for DaemonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DaemonError::Unsupported(lines) => f.write_str(&lines.join("\n")),
            DaemonError::Config(s) | DaemonError::Io(s) => f.write_str(s),
            DaemonError::Clock(e) => write!(f, "failed to create a clock: {e}"),
        }
    }
}

impl std::error::Error for DaemonError {}

/// Check that `cfg` asks only for what ptp-rs runs today; the messages name the key.
pub fn check_config(cfg: &Config) -> Result<(), DaemonError> {
    let refused = ptp_engine::config::unsupported_settings(cfg, DRIVER_KEYS);
    if !refused.is_empty() {
        return Err(DaemonError::Unsupported(refused.iter().map(ToString::to_string).collect()));
    }
    if cfg.interfaces().is_empty() {
        return Err(DaemonError::Config("no interface specified".into()));
    }
    match cfg.global_enum::<TimeStamping>() {
        TimeStamping::Software => {}
        other => {
            return Err(DaemonError::Config(format!(
                "time_stamping {} is not supported yet by ptp-rs; use software time stamping (-S)",
                enum_word(other)
            )))
        }
    }
    if cfg.global_int("free_running") == 0 {
        return Err(DaemonError::Config(
            "clock adjustment not supported yet, use free_running 1 (--free_running=1)".into(),
        ));
    }
    Ok(())
}

fn enum_word(t: TimeStamping) -> &'static str {
    match t {
        TimeStamping::Software => "software",
        TimeStamping::Hardware => "hardware",
        TimeStamping::Legacy => "legacy",
        TimeStamping::OneStep => "onestep",
        TimeStamping::P2p1Step => "p2p1step",
    }
}

/// Where log lines go: print.c's `verbose`, `use_syslog`, `logging_level` and `message_tag`.
#[derive(Debug, Clone)]
pub struct Logger {
    printer: Printer,
    verbose: bool,
    syslog: bool,
    level: i32,
}

impl Logger {
    pub fn from_config(program: &str, cfg: &Config) -> Logger {
        Logger {
            printer: Printer::new(program).tag(cfg.global_str("message_tag")).dialect(Dialect::Linuxptp4),
            verbose: cfg.global_int("verbose") != 0,
            syslog: cfg.global_int("use_syslog") != 0,
            level: cfg.global_int("logging_level"),
        }
    }

    /// Emit one line (if its level is enabled) to stdout/stderr and/or syslog.
    pub fn log(&self, now: Instant, line: &LogLine) {
        if !line.level.is_enabled(self.level) {
            return;
        }
        if self.verbose {
            let text = self.printer.stdio_line(now, line);
            let _ = match line.level.stream() {
                Stream::Stdout => {
                    let mut out = io::stdout().lock();
                    out.write_all(text.as_bytes()).and_then(|()| out.flush())
                }
                Stream::Stderr => {
                    let mut err = io::stderr().lock();
                    err.write_all(text.as_bytes()).and_then(|()| err.flush())
                }
            };
        }
        if self.syslog {
            sys::syslog(libc::c_int::from(line.level.number()), &self.printer.syslog_message(now, line));
        }
    }

    /// Emit a driver message of `level`.
    pub fn say(&self, now: Instant, level: Level, text: impl Into<String>) {
        self.log(now, &LogLine::new(level, text));
    }
}

/// The current CLOCK_MONOTONIC time as an engine [`Instant`].
pub fn monotonic() -> Instant {
    let ts = sys::clock_gettime(ClockId::Monotonic).unwrap_or_default();
    Instant::from_nanos(i64::try_from(ts.as_nanos()).unwrap_or(i64::MAX))
}

/// A timestamp of the disciplined clock. Software time stamps are CLOCK_REALTIME readings; as
/// in linuxptp, no TAI-UTC offset is applied to them.
fn clock_time(ts: Timespec) -> ClockTime {
    ClockTime::from_nanos(ts.as_nanos())
}

fn port_address(a: PeerAddress) -> PortAddress {
    match a {
        PeerAddress::Ipv4(ip) => {
            PortAddress { network_protocol: NetworkProtocol::UDP_IPV4, address: ip.octets().to_vec() }
        }
        PeerAddress::Ipv6(ip) => {
            PortAddress { network_protocol: NetworkProtocol::UDP_IPV6, address: ip.octets().to_vec() }
        }
        PeerAddress::Mac(mac) => PortAddress { network_protocol: NetworkProtocol::IEEE_802_3, address: mac.to_vec() },
    }
}

fn peer_address(a: &PortAddress) -> Option<PeerAddress> {
    let bytes = a.address.as_slice();
    match a.network_protocol {
        NetworkProtocol::UDP_IPV4 => <[u8; 4]>::try_from(bytes).ok().map(|b| PeerAddress::Ipv4(b.into())),
        NetworkProtocol::UDP_IPV6 => <[u8; 16]>::try_from(bytes).ok().map(|b| PeerAddress::Ipv6(b.into())),
        NetworkProtocol::IEEE_802_3 => <[u8; 6]>::try_from(bytes).ok().map(PeerAddress::Mac),
        _ => None,
    }
}

/// Parse linuxptp's `xx:xx:xx:xx:xx:xx` MAC strings.
pub fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut parts = s.split(':');
    for b in &mut mac {
        *b = u8::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(mac)
}

/// The transport settings of port `iface` from the configuration.
pub fn transport_options(cfg: &Config, iface: &str) -> Result<TransportOptions, DaemonError> {
    let mac = |key: &str| {
        let s = cfg.port_str(iface, key).unwrap_or("");
        parse_mac(s).ok_or_else(|| DaemonError::Config(format!("{key} '{s}' is not a MAC address")))
    };
    let clamp_u8 = |v: i32| u8::try_from(v.max(0)).unwrap_or(u8::MAX);
    Ok(TransportOptions {
        timestamping: TimestampMode::Software,
        tx_timestamp_timeout_ms: u32::try_from(cfg.global_int("tx_timestamp_timeout")).unwrap_or(10),
        udp_ttl: clamp_u8(cfg.port_int(iface, "udp_ttl")),
        dscp_event: clamp_u8(cfg.global_int("dscp_event")),
        dscp_general: clamp_u8(cfg.global_int("dscp_general")),
        udp6_scope: clamp_u8(cfg.port_int(iface, "udp6_scope")),
        ptp_dst_mac: mac("ptp_dst_mac")?,
        p2p_dst_mac: mac("p2p_dst_mac")?,
        socket_priority: cfg.global_int("socket_priority"),
        ..TransportOptions::default()
    })
}

struct PortIo {
    transport: Transport,
    event: PollIndex,
    general: PollIndex,
}

/// A running ptp4l: the engine clock and its sockets.
pub struct Daemon {
    clock: Clock,
    ports: Vec<PortIo>,
    timer: Timer,
    timer_index: PollIndex,
    /// Link monitoring; `None` where the netlink socket cannot be opened.
    rtnl: Option<(crate::rtnl::Rtnl, PollIndex)>,
    poller: Poller,
    names: PortNames,
    logger: Logger,
    armed: Option<Instant>,
    /// Management sockets (read-write, read-only) with their poll slots.
    uds: Vec<(crate::uds::UdsSocket, PollIndex)>,
}

impl std::fmt::Debug for Daemon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Daemon").field("ports", &self.ports.len()).field("armed", &self.armed).finish()
    }
}

impl Daemon {
    /// Open the transports and build the engine clock. Call [`check_config`] first.
    pub fn new(cfg: &Config, logger: Logger) -> Result<Daemon, DaemonError> {
        check_config(cfg)?;
        let mut ports = Vec::new();
        let mut poller = Poller::new();
        let mut names = PortNames::new(Dialect::Linuxptp4);
        for (i, iface) in cfg.interfaces().iter().enumerate() {
            let name = iface.name();
            let kind = match cfg.port_enum::<NetworkTransport>(name) {
                NetworkTransport::UdpV4 => TransportKind::UdpIpv4,
                NetworkTransport::UdpV6 => TransportKind::UdpIpv6,
                NetworkTransport::L2 => TransportKind::L2,
            };
            let opts = transport_options(cfg, name)?;
            let transport = Transport::open(kind, name, &opts)
                .map_err(|e| DaemonError::Io(format!("failed to open the {kind:?} transport on {name}: {e}")))?;
            let event = poller.add_input(&transport.fd(Channel::Event));
            let general = poller.add_input(&transport.fd(Channel::General));
            names.insert(u16::try_from(i + 1).unwrap_or(u16::MAX), name);
            ports.push(PortIo { transport, event, general });
        }
        let identity = match cfg.global_str("clockIdentity") {
            Some(s) if s != "000000.0000.000000" => {
                s.parse::<ClockIdentity>().map_err(|()| DaemonError::Config(format!("bad clockIdentity {s}")))?
            }
            _ => ClockIdentity::from_mac(ports.first().map(|p| p.transport.mac()).unwrap_or_default()),
        };
        let timer = Timer::new().map_err(|e| DaemonError::Io(format!("timerfd_create failed: {e}")))?;
        let timer_index = poller.add_input(&timer);
        let clock = Clock::from_config(cfg, identity, monotonic()).map_err(DaemonError::Clock)?;
        // As linuxptp: without a netlink socket, run on without link monitoring.
        let rtnl = crate::rtnl::Rtnl::open().ok().map(|r| {
            let index = poller.add_input(&r);
            (r, index)
        });
        let uds = crate::uds::open(cfg)
            .map_err(|e| DaemonError::Io(format!("failed to open the management sockets: {e}")))?
            .into_iter()
            .map(|u| {
                let index = poller.add_input(&u);
                (u, index)
            })
            .collect();
        let mut daemon = Daemon { clock, ports, timer, timer_index, rtnl, poller, names, logger, armed: None, uds };
        daemon.drain(monotonic());
        Ok(daemon)
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Run until SIGINT/SIGTERM/SIGQUIT/SIGHUP (install the handler with
    /// [`sys::catch_termination_signals`] first) or a fatal poll error.
    pub fn run(&mut self) -> Result<(), DaemonError> {
        let mut buf = vec![0u8; 2048];
        while !sys::termination_requested() {
            self.arm_timer()?;
            match self.poller.poll(None) {
                Ok(_) => {}
                Err(e) => return Err(DaemonError::Io(format!("poll failed: {e}"))),
            }
            if sys::termination_requested() {
                break;
            }
            for i in 0..self.ports.len() {
                for channel in [Channel::Event, Channel::General] {
                    self.service_socket(i, channel, &mut buf);
                }
            }
            if self.poller.readiness(self.timer_index).readable() {
                let _ = self.timer.try_read();
                self.armed = None;
            }
            self.service_rtnl();
            self.service_uds(&mut buf);
            let now = monotonic();
            if self.clock.poll_timeout().is_some_and(|d| d <= now) {
                self.clock.handle_timeout(now);
            }
            self.drain(now);
        }
        Ok(())
    }

    /// Answer one management message on each readable UDS socket.
    fn service_uds(&mut self, buf: &mut [u8]) {
        for (sock, index) in &self.uds {
            if !self.poller.readiness(*index).readable() {
                continue;
            }
            let Ok((n, from)) = sock.recv(buf) else { continue };
            let Some(Ok(req)) = buf.get(..n).map(ptp_wire::Message::parse) else { continue };
            for rsp in self.clock.handle_management(&req, sock.read_write, monotonic()) {
                if let Ok(bytes) = rsp.to_bytes() {
                    let _ = sock.send_to(&bytes, &from);
                }
            }
        }
    }

    fn arm_timer(&mut self) -> Result<(), DaemonError> {
        let next = self.clock.poll_timeout();
        if next == self.armed {
            return Ok(());
        }
        let r = match next {
            Some(at) => self.timer.arm_at(Timespec::from_nanos(i128::from(at.as_nanos()))),
            None => self.timer.disarm(),
        };
        r.map_err(|e| DaemonError::Io(format!("timerfd_settime failed: {e}")))?;
        self.armed = next;
        Ok(())
    }

    /// Link reports for our interfaces: IFF_RUNNING changes move the port to FAULTY and back.
    fn service_rtnl(&mut self) {
        let Some((rtnl, index)) = self.rtnl.as_mut() else { return };
        if !self.poller.readiness(*index).readable() {
            return;
        }
        let reports = rtnl.read();
        let now = monotonic();
        for report in reports {
            for (i, p) in self.ports.iter().enumerate() {
                if p.transport.ifindex() == report.ifindex {
                    self.clock.handle_link(u16::try_from(i + 1).unwrap_or(u16::MAX), report.up, now);
                }
            }
        }
        self.drain(now);
    }

    /// Read one message from a socket that poll marked (linuxptp reads one per wake-up).
    fn service_socket(&mut self, i: usize, channel: Channel, buf: &mut [u8]) {
        let Some(p) = self.ports.get(i) else { return };
        let index = if channel == Channel::Event { p.event } else { p.general };
        let r = self.poller.readiness(index);
        let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
        if !r.readable() {
            if r.priority() || r.error() {
                // A transmit timestamp that came after tx_timestamp_timeout: discard it.
                p.transport.drain_error_queue(channel);
            }
            return;
        }
        let now = monotonic();
        match p.transport.recv_nonblocking(channel, buf) {
            Ok(Some(m)) => {
                let rx = m.timestamp.map(clock_time);
                let from = m.source.map(port_address);
                let payload = m.payload.to_vec();
                self.clock.handle_receive_from(number, &payload, rx, from, now);
            }
            Ok(None) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                self.logger.say(now, Level::Err, format!("{}: recvmsg failed: {e}", self.names.name(number)));
                self.clock.fault(number, FaultType::Unspecified, now);
            }
        }
        self.drain(now);
    }

    /// Send everything the engine queued, feed back transmit timestamps, and log events.
    fn drain(&mut self, now: Instant) {
        loop {
            let mut worked = false;
            while let Some(t) = self.clock.poll_transmit() {
                worked = true;
                self.transmit(t, now);
            }
            while let Some(ev) = self.clock.poll_event() {
                worked = true;
                for line in ptp_engine::log::format(&ev, &self.names) {
                    self.logger.log(now, &line);
                }
            }
            while let Some(action) = self.clock.poll_action() {
                // check_config requires free_running 1, under which the engine asks for none.
                worked = true;
                self.logger.say(now, Level::Debug, format!("ignoring clock action {action:?} (free_running)"));
            }
            if !worked {
                break;
            }
        }
    }

    fn transmit(&mut self, t: Transmit, now: Instant) {
        let number = t.port;
        let Some(p) = self.ports.get(usize::from(number).wrapping_sub(1)) else { return };
        let dest = match &t.destination {
            EngineDestination::Multicast => Some(Destination::Primary),
            EngineDestination::PeerMulticast => Some(Destination::PeerDelay),
            EngineDestination::Unicast(a) => peer_address(a).map(Destination::Unicast),
        };
        let channel = if t.event { Channel::Event } else { Channel::General };
        let result = match dest {
            Some(d) => p.transport.send(channel, d, &t.bytes, t.tx_token.is_some()),
            None => Err(io::Error::new(io::ErrorKind::InvalidInput, "unicast address of another transport")),
        };
        match (result, t.tx_token) {
            (Ok(Some(ts)), Some(token)) => self.clock.handle_tx_timestamp(token, clock_time(ts), now),
            (Ok(_), None) => {}
            (Ok(None), Some(token)) => self.clock.handle_tx_timestamp_missing(token, now),
            (Err(e), token) => {
                self.logger.say(now, Level::Err, format!("{}: {e}", self.names.name(number)));
                match token {
                    Some(token) => self.clock.handle_tx_timestamp_missing(token, now),
                    None => self.clock.fault(number, FaultType::Unspecified, now),
                }
            }
        }
    }
}

/// Build and run a daemon until a termination signal: the whole of ptp4l after option parsing.
pub fn run(cfg: &Config, program: &str) -> Result<(), DaemonError> {
    check_config(cfg)?;
    sys::catch_termination_signals().map_err(|e| DaemonError::Io(format!("sigaction failed: {e}")))?;
    let logger = Logger::from_config(program, cfg);
    let mut daemon = Daemon::new(cfg, logger)?;
    daemon.run()
}

/// How long the loop may take to notice a termination signal (poll returns EINTR at once).
pub const EXIT_LATENCY: Duration = Duration::from_secs(1);

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Config {
        let mut c = Config::new();
        c.add_interface("lo");
        c.read_str(text, "t.cfg").unwrap();
        c
    }

    #[test]
    fn refuses_what_is_not_built() {
        let e = check_config(&cfg("[global]\ntime_stamping software\n")).unwrap_err().to_string();
        assert!(e.contains("free_running 1"), "{e}");
        let e = check_config(&cfg("[global]\nfree_running 1\n")).unwrap_err().to_string();
        assert!(e.contains("time_stamping hardware is not supported yet"), "{e}");
        check_config(&cfg(
            "[global]\nfree_running 1\ntime_stamping software\nuds_address /tmp/x\nuds_ro_address /tmp/y\n",
        ))
        .unwrap();
        check_config(&cfg("[global]\nfree_running 1\ntime_stamping software\nnetwork_transport L2\n")).unwrap();
    }

    #[test]
    fn addresses_convert_both_ways() {
        for a in [
            PeerAddress::Ipv4([10, 0, 0, 1].into()),
            PeerAddress::Ipv6("fd77::1".parse().unwrap()),
            PeerAddress::Mac([2, 0, 0, 0, 0, 1]),
        ] {
            assert_eq!(peer_address(&port_address(a)), Some(a));
        }
        assert_eq!(parse_mac("01:1B:19:00:00:00"), Some([1, 0x1b, 0x19, 0, 0, 0]));
        assert_eq!(parse_mac("01:1B:19:00:00"), None);
        assert_eq!(parse_mac("01:1B:19:00:00:00:00"), None);
    }
}
