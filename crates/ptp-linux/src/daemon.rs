//! The ptp4l daemon loop: one [`Transport`] per interface, a CLOCK_MONOTONIC timerfd armed at
//! the engine's next deadline, and a single-threaded `poll()` over the sockets and the timerfd
//! (DESIGN.md, "Running on Linux" and "Running under a libc-interposing simulator").
//!
//! The clock it steers follows linuxptp's `clock_create`: none with `free_running 1`, the
//! PHC of the interfaces (or `-p`) with hardware time stamping, CLOCK_REALTIME with software
//! or legacy time stamping; the engine's [`ClockAction`]s become `clock_adjtime` calls through
//! [`AdjClock`]. Management is answered on the UDS sockets ([`crate::uds`]) and the network
//! ports; link monitoring uses [`crate::rtnl`] when a netlink socket opens.

use std::io::{self, Write};
use std::time::Duration;

use ptp_config::enums::{NetworkTransport, TimeStamping};
use ptp_config::Config;
use ptp_engine::clock::{Clock, ClockError};
use ptp_engine::event::PortNumber;
use ptp_engine::log::{Dialect, Level, LogLine, PortNames, Printer, Stream};
use ptp_engine::state::FaultType;
use ptp_engine::time::{ClockTime, Instant};
use ptp_engine::transmit::{ClockAction, Destination as EngineDestination, Transmit};
use ptp_wire::{ClockIdentity, NetworkProtocol, PortAddress};

use crate::clockadj::AdjClock;
use crate::phc::Phc;
use crate::sys::{self, ClockId, Timespec};
use crate::timer::{PollIndex, Poller, Timer};
use crate::transport::{Channel, Destination, PeerAddress, TimestampMode, Transport, TransportKind, TransportOptions};

/// The configuration keys this driver honours (on top of the engine's
/// [`ptp_engine::config::ENGINE_KEYS`]). Keys of features not built yet (`phc_index`,
/// `write_phase_mode`, ...) are deliberately absent, so that
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
    /// The clock could not be created; the reason was logged first, as linuxptp does
    /// before `failed to create a clock`.
    ClockCreate,
    /// An OS call failed.
    Io(String),
}

impl std::fmt::Display for DaemonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DaemonError::Unsupported(lines) => f.write_str(&lines.join("\n")),
            DaemonError::Config(s) | DaemonError::Io(s) => f.write_str(s),
            DaemonError::Clock(e) => write!(f, "failed to create a clock: {e}"),
            DaemonError::ClockCreate => f.write_str("failed to create a clock"),
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
    Ok(())
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
        timestamping: TimestampMode::from_config(cfg.global_enum::<TimeStamping>()),
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

/// What ptp4l takes from its command line beyond configuration keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// `-p`: the PHC device (deprecated in linuxptp; ignored for software and legacy time
    /// stamping).
    pub phc_device: Option<String>,
}

/// The PHC index the clock uses, as linuxptp's `clock_create` picks it: none (-1) for software
/// and legacy time stamping, else the `-p` device's (-1 for a path that is not `/dev/ptpN`:
/// [`open_steering`] then opens that path itself), else the first interface's PHC. `Err` when
/// it cannot be determined, with the message linuxptp logs.
pub fn select_phc_index(
    mode: TimeStamping,
    phc_device: Option<&str>,
    first_interface: Option<&crate::transport::TsInfo>,
) -> Result<i32, String> {
    match mode {
        TimeStamping::Software | TimeStamping::Legacy => Ok(-1),
        _ => match (phc_device, first_interface) {
            (Some(dev), _) => Ok(crate::phc::parse_phc_device(dev).unwrap_or(-1)),
            (None, Some(info)) => Ok(info.phc_index),
            (None, None) => Err("PTP device not specified and automatic determination is not supported. \
                 Please specify PTP device."
                .into()),
        },
    }
}

/// The clock the daemon steers and the servo's limits: `None` with `free_running`.
struct Steering {
    clock: Option<AdjClock>,
    max_freq_ppb: i32,
    initial_freq_ppb: f64,
}

/// Open the clock to steer (linuxptp `clock_create`): a PHC for hardware time stamping,
/// CLOCK_REALTIME for software and legacy; read its frequency and limit.
fn open_steering(
    cfg: &Config,
    phc_index: i32,
    phc_device: Option<&str>,
    logger: &Logger,
) -> Result<Steering, DaemonError> {
    let now = monotonic();
    let err = |text: String| {
        logger.say(now, Level::Err, text);
        DaemonError::ClockCreate
    };
    if cfg.global_int("free_running") != 0 {
        return Ok(Steering {
            clock: None,
            max_freq_ppb: ptp_engine::sync::DEFAULT_MAX_FREQUENCY_PPB,
            initial_freq_ppb: 0.0,
        });
    }
    let (clock, max_freq_ppb) = if phc_index >= 0 {
        let path = crate::phc::phc_device_for_index(phc_index);
        let phc = Phc::open(&path).map_err(|e| err(format!("Failed to open {path}: {}", errno_text(&e))))?;
        let max = phc.max_adj_ppb().unwrap_or(0);
        if max == 0 {
            return Err(err("clock is not adjustable".into()));
        }
        (AdjClock::phc(phc), max)
    } else if let Some(dev) =
        phc_device.filter(|_| !ptp_engine::utc::is_utc_timescale(cfg.global_enum::<TimeStamping>()))
    {
        // `-p` with a path that is not /dev/ptpN (a udev name, say): opened as given, its
        // limit from the kernel's tolerance (linuxptp's clockadj_max_freq).
        let phc = Phc::open(dev).map_err(|e| err(format!("Failed to open {dev}: {}", errno_text(&e))))?;
        let clock = AdjClock::phc(phc);
        let max = clock.tolerance_max_frequency_ppb().unwrap_or_else(|e| {
            logger.say(now, Level::Err, format!("failed to read out the clock maximum adjustment: {}", errno_text(&e)));
            crate::clockadj::max_frequency_ppb_from(0, None)
        });
        (clock, max)
    } else {
        let clock = AdjClock::realtime();
        let max = clock.max_frequency_ppb().unwrap_or_else(|e| {
            logger.say(now, Level::Err, format!("failed to read out the clock maximum adjustment: {}", errno_text(&e)));
            crate::clockadj::max_frequency_ppb_from(0, clock.tick_model())
        });
        (clock, max)
    };
    let initial_freq_ppb = clock.frequency_ppb().unwrap_or_else(|e| {
        logger.say(now, Level::Err, format!("failed to read out the clock frequency adjustment: {}", errno_text(&e)));
        0.0
    });
    // linuxptp truncates the reading to an int (and writes it back, after clearing the leap
    // status: [`Daemon::with_options`]).
    let initial_freq_ppb = initial_freq_ppb.trunc();
    Ok(Steering { clock: Some(clock), max_freq_ppb, initial_freq_ppb })
}

/// linuxptp's `port_open` verdict on one port's PHC.
#[derive(Debug, PartialEq)]
struct PortPhc {
    /// The PHC that time stamps the port (-1 without one); `None`: the port cannot open.
    phc_index: Option<i32>,
    /// What to log, in order.
    messages: Vec<(Level, String)>,
}

/// Decide which PHC time stamps a port (linuxptp `port_open`): the clock's (`clock_phc`,
/// -1 without one) unless the interface's own (`attached`, from ETHTOOL_GET_TS_INFO) differs,
/// where `boundary_clock_jbod` takes the attached one, `-p` keeps the clock's with a warning,
/// and anything else is a mismatch that stops ptp4l.
fn decide_port_phc(
    log_name: &str,
    clock_phc: i32,
    attached: Option<i32>,
    jbod: bool,
    phc_device: Option<&str>,
) -> PortPhc {
    let Some(attached) = attached else {
        let text = format!("{log_name}: get_ts_info not supported");
        return PortPhc { phc_index: Some(clock_phc), messages: vec![(Level::Warning, text)] };
    };
    if clock_phc < 0 || attached == clock_phc {
        return PortPhc { phc_index: Some(clock_phc), messages: Vec::new() };
    }
    if jbod {
        let text = format!("{log_name}: just a bunch of devices");
        return PortPhc { phc_index: Some(attached), messages: vec![(Level::Warning, text)] };
    }
    if let Some(dev) = phc_device {
        let text = format!("{log_name}: taking {dev} from the command line, not the attached ptp{attached}");
        return PortPhc { phc_index: Some(clock_phc), messages: vec![(Level::Warning, text)] };
    }
    PortPhc {
        phc_index: None,
        messages: vec![
            (Level::Err, format!("{log_name}: PHC device mismatch")),
            (Level::Err, format!("{log_name}: /dev/ptp{clock_phc} requested, ptp{attached} attached")),
        ],
    }
}

/// Open `/dev/ptp<index>` to discipline it instead of the current clock: the clock, its
/// adjustment limit and its current frequency (ppb, truncated as linuxptp reads it), or the
/// error line linuxptp's `clock_switch_phc` logs.
fn open_switch_target(index: i32) -> Result<(AdjClock, i32, f64), String> {
    let path = crate::phc::phc_device_for_index(index);
    let phc = Phc::open(&path).map_err(|e| format!("Switching PHC, failed to open {path}: {}", errno_text(&e)))?;
    let max = phc.max_adj_ppb().unwrap_or(0);
    if max == 0 {
        return Err("Switching PHC, clock is not adjustable".into());
    }
    let clock = AdjClock::phc(phc);
    // linuxptp's clockadj_get_freq logs its own failure and goes on with 0.
    let freq = clock.frequency_ppb().unwrap_or(0.0).trunc();
    Ok((clock, max, freq))
}

fn port_number(i: usize) -> PortNumber {
    u16::try_from(i + 1).unwrap_or(u16::MAX)
}

/// `%m`: glibc's text for an OS error.
fn errno_text(e: &io::Error) -> String {
    ptp_config::error::strerror(e)
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
    /// The address of the read-write UDS socket's last client: forwarded management
    /// messages go there (linuxptp's UDS port remembers its last peer the same way).
    uds_client: Option<Vec<u8>>,
    /// The clock the servo steers; `None` with `free_running`.
    steered: Option<AdjClock>,
    /// The PHC index that time stamps each port (index = port number - 1); -1 without one.
    port_phc: Vec<i32>,
}

impl std::fmt::Debug for Daemon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Daemon").field("ports", &self.ports.len()).field("armed", &self.armed).finish()
    }
}

impl Daemon {
    /// Open the transports and build the engine clock. Call [`check_config`] first.
    pub fn new(cfg: &Config, logger: Logger) -> Result<Daemon, DaemonError> {
        Self::with_options(cfg, logger, &RunOptions::default())
    }

    /// As [`Daemon::new`], with ptp4l's command-line-only options.
    pub fn with_options(cfg: &Config, logger: Logger, opts: &RunOptions) -> Result<Daemon, DaemonError> {
        check_config(cfg)?;
        let mode = cfg.global_enum::<TimeStamping>();
        // linuxptp's clock_create: every interface must offer the time stamping asked for
        // (checked only where ETHTOOL_GET_TS_INFO answers).
        let mut infos = Vec::new();
        for iface in cfg.interfaces() {
            let info = crate::transport::ts_info(iface.name()).ok();
            if info.as_ref().is_some_and(|i| !crate::tsinfo::supports(i, mode)) {
                logger.say(monotonic(), Level::Err, crate::tsinfo::unsupported_mode_message(iface.name()));
                return Err(DaemonError::ClockCreate);
            }
            infos.push(info);
        }
        let phc_index = select_phc_index(mode, opts.phc_device.as_deref(), infos.first().and_then(Option::as_ref))
            .map_err(|text| {
                logger.say(monotonic(), Level::Err, text);
                DaemonError::ClockCreate
            })?;
        if phc_index >= 0 {
            logger.say(monotonic(), Level::Info, format!("selected /dev/ptp{phc_index} as PTP clock"));
        }
        // linuxptp's port_open: which PHC time stamps each port.
        let mut port_phc = Vec::with_capacity(infos.len());
        for (i, (iface, info)) in cfg.interfaces().iter().zip(&infos).enumerate() {
            let name = iface.name();
            let log_name = PortNames::new(Dialect::Linuxptp4).with(port_number(i), name).name(port_number(i));
            let jbod = cfg.port_int(name, "boundary_clock_jbod") != 0;
            let attached = info.as_ref().map(|i| i.phc_index);
            let decision = decide_port_phc(&log_name, phc_index, attached, jbod, opts.phc_device.as_deref());
            for (level, text) in decision.messages {
                logger.say(monotonic(), level, text);
            }
            let Some(index) = decision.phc_index else {
                logger.say(monotonic(), Level::Err, format!("failed to open port {name}"));
                return Err(DaemonError::ClockCreate);
            };
            port_phc.push(index);
        }
        let steering = open_steering(cfg, phc_index, opts.phc_device.as_deref(), &logger)?;
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
            // The capabilities were read and checked above: no second ETHTOOL_GET_TS_INFO.
            let transport = Transport::open_checked(kind, name, &opts, infos.get(i).copied().flatten())
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
        let clock =
            Clock::from_config_with(cfg, identity, steering.max_freq_ppb, steering.initial_freq_ppb, monotonic())
                .map_err(DaemonError::Clock)?;
        // As linuxptp: without a netlink socket, run on without link monitoring.
        let rtnl = crate::rtnl::Rtnl::open().ok().map(|r| {
            let index = poller.add_input(&r);
            (r, index)
        });
        // Each port's link state now, not only its next change (linuxptp's rtnl_link_query).
        if let Some((r, _)) = &rtnl {
            for p in &ports {
                if let Err(e) = r.request_link(p.transport.ifindex()) {
                    logger.say(monotonic(), Level::Err, format!("rtnl: sendmsg: {}", ptp_config::error::strerror(&e)));
                }
            }
        }
        // uds::open logs linuxptp's reasons (`uds: bind failed: %m`, `failed to open the
        // UDS-RW port`); ptp4l then says `failed to create a clock`.
        let uds = crate::uds::open(cfg, |level, text| logger.say(monotonic(), level, text))
            .map_err(|_| DaemonError::ClockCreate)?
            .into_iter()
            .map(|u| {
                let index = poller.add_input(&u);
                (u, index)
            })
            .collect();
        let mut daemon = Daemon {
            clock,
            ports,
            timer,
            timer_index,
            rtnl,
            poller,
            names,
            logger,
            armed: None,
            uds,
            uds_client: None,
            steered: steering.clock,
            port_phc,
        };
        // As linuxptp's clock_create: the engine's start-up actions (the kernel leap status
        // cleared), then the frequency read at start written back (linuxptp works around
        // kernels whose read silently fails that way), then the ports.
        while let Some(action) = daemon.clock.poll_action() {
            daemon.apply(action, monotonic());
        }
        if let Some(clock) = &daemon.steered {
            if let Err(e) = clock.set_frequency_ppb(steering.initial_freq_ppb) {
                daemon.logger.say(monotonic(), Level::Err, format!("failed to adjust the clock: {}", errno_text(&e)));
            }
        }
        daemon.drain(monotonic());
        // The UDS ports are port 0 to linuxptp, initialised after the network ports.
        for (sock, _) in &daemon.uds {
            let text = format!("port 0 ({}): INITIALIZING to LISTENING on INIT_COMPLETE", sock.path().display());
            daemon.logger.say(monotonic(), Level::Notice, text);
        }
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
            if sock.read_write {
                self.uds_client = Some(from.clone());
            }
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
                worked = true;
                self.apply(action, now);
            }
            if !worked {
                break;
            }
        }
    }

    /// Carry out one clock action on the steered clock, logging failures with linuxptp's
    /// clockadj.c texts (the daemon runs on, as linuxptp does).
    fn apply(&mut self, action: ClockAction, now: Instant) {
        let Some(clock) = &self.steered else {
            self.logger.say(now, Level::Debug, format!("ignoring clock action {action:?} (free_running)"));
            return;
        };
        let failed = |what: &str, e: io::Error| (Level::Err, format!("{what}: {}", errno_text(&e)));
        let result = match action {
            ClockAction::SetFrequency { ppb } => match clock.set_frequency_ppb(ppb) {
                Err(e) => Some(failed("failed to adjust the clock", e)),
                // linuxptp's sysclk_set_sync after each locked update of the system clock.
                Ok(())
                    if clock.is_realtime()
                        && matches!(
                            self.clock.synchronization().servo_state(),
                            ptp_engine::state::ServoState::Locked | ptp_engine::state::ServoState::LockedStable
                        ) =>
                {
                    clock.mark_synchronized().err().map(|e| failed("failed to set clock status and maximum error", e))
                }
                Ok(()) => None,
            },
            ClockAction::Step { offset_ns } => clock.step(offset_ns).err().map(|e| failed("failed to step clock", e)),
            ClockAction::SetLeap { leap } => match clock.set_leap(leap) {
                Ok(message) => message.map(|m| (Level::Notice, m.to_string())),
                Err(e) => Some(failed("failed to set the clock status", e)),
            },
            ClockAction::SetTaiOffset { seconds } => {
                clock.set_tai_offset(seconds).err().map(|e| failed("failed to set TAI offset", e))
            }
            ClockAction::SwitchPhc { port } => {
                self.switch_phc(port, now);
                None
            }
        };
        if let Some((level, text)) = result {
            self.logger.say(now, level, text);
        }
    }

    /// boundary_clock_jbod: discipline the PHC of `port` from now on (linuxptp
    /// `clock_switch_phc`), or fault the port with FT_SWITCH_PHC when that PHC cannot be used.
    ///
    /// A clock that steers no PHC (software or legacy timestamping: CLOCK_REALTIME;
    /// `free_running`: nothing) has nothing to switch to and carries on. linuxptp tries to
    /// open `/dev/ptp-1` there and faults the port for ever, which makes jbod unusable with
    /// `-S`; ptp-rs does not copy that.
    fn switch_phc(&mut self, port: PortNumber, now: Instant) {
        if self.steered.as_ref().is_none_or(AdjClock::is_realtime) {
            self.logger.say(now, Level::Debug, format!("port {port}: no PHC to switch to"));
            return;
        }
        let Some(&index) = self.port_phc.get(usize::from(port).wrapping_sub(1)) else { return };
        match open_switch_target(index) {
            Ok((clock, max_freq_ppb, freq_ppb)) => {
                if let Err(e) = self.clock.phc_switched(max_freq_ppb, freq_ppb) {
                    self.logger.say(now, Level::Debug, format!("servo: {e}"));
                    self.logger.say(now, Level::Err, String::from("Switching PHC, failed to create clock servo"));
                    self.clock.fault(port, FaultType::SwitchPhc, now);
                    return;
                }
                self.steered = Some(clock);
                self.logger.say(now, Level::Info, format!("Switched to /dev/ptp{index} as PTP clock"));
            }
            Err(text) => {
                self.logger.say(now, Level::Err, text);
                self.clock.fault(port, FaultType::SwitchPhc, now);
            }
        }
    }

    fn transmit(&mut self, t: Transmit, now: Instant) {
        let number = t.port;
        if number == ptp_engine::clock::UDS_PORT {
            // A forwarded management message for the UDS client.
            let rw = self.uds.iter().find(|(u, _)| u.read_write);
            if let (Some((sock, _)), Some(to)) = (rw, &self.uds_client) {
                if let Err(e) = sock.send_to(&t.bytes, to) {
                    self.logger.say(now, Level::Debug, format!("uds port: management forward failed: {e}"));
                }
            }
            return;
        }
        let Some(p) = self.ports.get(usize::from(number).wrapping_sub(1)) else { return };
        let dest = match &t.destination {
            EngineDestination::Multicast => Some(Destination::Primary),
            EngineDestination::PeerMulticast => Some(Destination::PeerDelay),
            EngineDestination::Unicast(a) => peer_address(a).map(Destination::Unicast),
        };
        let channel = if t.event { Channel::Event } else { Channel::General };
        let bytes = onestep_udp_payload(p.transport.kind(), &t);
        let result = match dest {
            Some(d) => p.transport.send(channel, d, &bytes, t.tx_token.is_some()),
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

/// The datagram for `t`: a one-step Sync over UDPv4 carries two zero bytes after the message,
/// room for the hardware to correct the UDP checksum once it wrote the origin time (linuxptp's
/// `udp_send` pads TRANS_ONESTEP sends so; messageLength stays 44). Everything else as is.
fn onestep_udp_payload(kind: TransportKind, t: &Transmit) -> std::borrow::Cow<'_, [u8]> {
    let is_sync = t.bytes.first().is_some_and(|b| b & 0x0f == 0);
    if kind == TransportKind::UdpIpv4 && t.one_step && is_sync {
        let mut padded = t.bytes.clone();
        padded.extend_from_slice(&[0, 0]);
        std::borrow::Cow::Owned(padded)
    } else {
        std::borrow::Cow::Borrowed(&t.bytes)
    }
}

/// Build and run a daemon until a termination signal: the whole of ptp4l after option parsing.
pub fn run(cfg: &Config, program: &str, opts: &RunOptions) -> Result<(), DaemonError> {
    check_config(cfg)?;
    sys::catch_termination_signals().map_err(|e| DaemonError::Io(format!("sigaction failed: {e}")))?;
    let logger = Logger::from_config(program, cfg);
    let mut daemon = Daemon::with_options(cfg, logger, opts)?;
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
        let e = check_config(&cfg("[global]\nwrite_phase_mode 1\n")).unwrap_err().to_string();
        assert!(e.contains("write_phase_mode"), "{e}");
        for ok in [
            "[global]\nfree_running 1\ntime_stamping software\nuds_address /tmp/x\nuds_ro_address /tmp/y\n",
            "[global]\nfree_running 1\ntime_stamping software\nnetwork_transport L2\n",
            "[global]\ntime_stamping software\n",
            "[global]\ntime_stamping hardware\nkernel_leap 0\n",
            "[global]\ntime_stamping onestep\n",
            "[global]\ntime_stamping p2p1step\ndelay_mechanism P2P\negressLatency 10\ningressLatency 20\n",
            "[global]\ntime_stamping legacy\n",
            "[global]\nboundary_clock_jbod 1\ntime_stamping hardware\n",
        ] {
            check_config(&cfg(ok)).unwrap();
        }
    }

    #[test]
    fn phc_selection_follows_linuxptp() {
        let info =
            |phc_index| crate::transport::TsInfo { so_timestamping: 0x5f, phc_index, tx_types: 0, rx_filters: 0 };
        // Software and legacy time stamping steer CLOCK_REALTIME, whatever -p says.
        assert_eq!(select_phc_index(TimeStamping::Software, Some("/dev/ptp3"), Some(&info(1))), Ok(-1));
        assert_eq!(select_phc_index(TimeStamping::Legacy, None, None), Ok(-1));
        // -p wins over the interface; else the first interface's PHC.
        assert_eq!(select_phc_index(TimeStamping::Hardware, Some("/dev/ptp3"), Some(&info(1))), Ok(3));
        assert_eq!(select_phc_index(TimeStamping::OneStep, None, Some(&info(2))), Ok(2));
        // Without ETHTOOL_GET_TS_INFO and without -p linuxptp gives up.
        let e = select_phc_index(TimeStamping::Hardware, None, None).unwrap_err();
        assert!(e.starts_with("PTP device not specified and automatic determination is not supported."), "{e}");
        // Any other path: no index; the path itself is opened.
        assert_eq!(select_phc_index(TimeStamping::Hardware, Some("/dev/ptp_ocp0"), None), Ok(-1));
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

    #[test]
    fn port_phc_follows_linuxptp_port_open() {
        let name = "port 2 (eth1)";
        let warn = |t: &str| vec![(Level::Warning, format!("{name}: {t}"))];
        // Same PHC, or no PHC steered at all (software, free_running): nothing to say.
        assert_eq!(decide_port_phc(name, 0, Some(0), false, None), PortPhc { phc_index: Some(0), messages: vec![] });
        assert_eq!(decide_port_phc(name, -1, Some(3), false, None), PortPhc { phc_index: Some(-1), messages: vec![] });
        // jbod: the port keeps its own PHC.
        assert_eq!(
            decide_port_phc(name, 0, Some(1), true, None),
            PortPhc { phc_index: Some(1), messages: warn("just a bunch of devices") }
        );
        // -p: the command line wins over the attached PHC.
        assert_eq!(
            decide_port_phc(name, 0, Some(1), false, Some("/dev/ptp0")),
            PortPhc {
                phc_index: Some(0),
                messages: warn("taking /dev/ptp0 from the command line, not the attached ptp1")
            }
        );
        // jbod is checked before -p, as in linuxptp.
        assert_eq!(decide_port_phc(name, 0, Some(1), true, Some("/dev/ptp0")).phc_index, Some(1));
        // Otherwise a mismatch stops ptp4l.
        let d = decide_port_phc(name, 0, Some(1), false, None);
        assert_eq!(d.phc_index, None);
        assert_eq!(
            d.messages,
            vec![
                (Level::Err, format!("{name}: PHC device mismatch")),
                (Level::Err, format!("{name}: /dev/ptp0 requested, ptp1 attached")),
            ]
        );
        // No ETHTOOL_GET_TS_INFO answer: the clock's PHC, with linuxptp's warning.
        assert_eq!(
            decide_port_phc(name, 0, None, true, None),
            PortPhc { phc_index: Some(0), messages: warn("get_ts_info not supported") }
        );
    }

    #[test]
    fn switching_to_a_missing_phc_fails_with_linuxptp_text() {
        // No PHC has this index on any machine that runs the tests.
        let Err(text) = open_switch_target(4093) else { panic!("/dev/ptp4093 opened") };
        assert_eq!(text, "Switching PHC, failed to open /dev/ptp4093: No such file or directory");
    }

    #[test]
    fn one_step_sync_over_udpv4_is_padded_like_linuxptp() {
        let t = |bytes: Vec<u8>, one_step: bool| Transmit {
            port: 1,
            destination: EngineDestination::Multicast,
            event: true,
            bytes,
            tx_token: None,
            one_step,
        };
        let sync = vec![0x00; 44];
        let resp = vec![0x03; 54]; // Pdelay_Resp (one-step with p2p1step): not padded
        assert_eq!(onestep_udp_payload(TransportKind::UdpIpv4, &t(sync.clone(), true)).len(), 46);
        assert_eq!(&onestep_udp_payload(TransportKind::UdpIpv4, &t(sync.clone(), true))[44..], &[0, 0]);
        assert_eq!(onestep_udp_payload(TransportKind::UdpIpv4, &t(sync.clone(), false)).len(), 44);
        assert_eq!(onestep_udp_payload(TransportKind::UdpIpv6, &t(sync.clone(), true)).len(), 44);
        assert_eq!(onestep_udp_payload(TransportKind::L2, &t(sync, true)).len(), 44);
        assert_eq!(onestep_udp_payload(TransportKind::UdpIpv4, &t(resp, true)).len(), 54);
    }
}
