//! Scenario files: TOML that gives the topology, the clocks, the network, each node's ptp4l
//! configuration as linuxptp config text, start times and timed events.
//!
//! The format is described in `scenarios/README.md`; every file in `scenarios/` is an example.
//! Parsing checks everything a run needs, so a bad file gives one error naming the field
//! (`nodes[2].ports[0].subnet: no subnet called "lan9"`), never a panic.

use std::fmt;
use std::path::Path;

use ptp_config::enums::TimeStamping;
use ptp_config::Config;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::clock::{ClockParams, DEFAULT_MAX_ADJ_PPB};
use crate::network::{JitterKind, Subnet};
use crate::timestamp::{TimestampKind, TimestampModel};

/// Configuration keys that ptp4l reads, that the engine does not implement, and that the
/// simulator honours or that mean nothing in it (the transport, socket, logging and
/// management-description options: there is no socket and no management client). Any other
/// unsupported key set to a non-default value is refused by name. linuxptp's `default.cfg`
/// sets `userDescription` and the `cmlds.*_address` paths, so these are here too.
pub const SIM_DRIVER_KEYS: &[&str] = &[
    "time_stamping",
    "network_transport",
    "logging_level",
    "verbose",
    "use_syslog",
    "message_tag",
    "uds_address",
    "uds_ro_address",
    "uds_file_mode",
    "uds_ro_file_mode",
    "cmlds.client_address",
    "cmlds.server_address",
    "userDescription",
    "productDescription",
    "revisionData",
    "manufacturerIdentity",
    "tx_timestamp_timeout",
    "ptp_dst_mac",
    "p2p_dst_mac",
    "udp_ttl",
    "udp6_scope",
    "dscp_event",
    "dscp_general",
    "socket_priority",
];

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: {reason}")]
    Read { file: String, reason: String },
    /// Not TOML, or a field of the wrong type or name (the message names it, with the line).
    #[error("{file}: {message}")]
    Toml { file: String, message: String },
    /// A field whose value cannot be used.
    #[error("{file}: {field}: {reason}")]
    Invalid { file: String, field: String, reason: String },
}

/// A validated scenario, ready to run.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// Simulated time to run (ns).
    pub duration_ns: i64,
    pub seed: u64,
    pub report: ReportSettings,
    pub subnets: Vec<Subnet>,
    pub nodes: Vec<NodeSpec>,
    /// Timed events, in time order (ties in file order).
    pub events: Vec<ScenarioEvent>,
    /// Where the scenario came from (file name or `built-in default`), for messages.
    pub origin: String,
}

/// What the summary measures.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportSettings {
    /// A node has converged from the first sample after which |offset| stays below this (ns).
    pub converge_bound_ns: f64,
    /// Interval between samples of the true offsets (ns).
    pub sample_interval_ns: i64,
    /// The node whose clock offsets are measured against; `None`: the grandmaster that most
    /// running nodes follow at each sample.
    pub reference: Option<usize>,
}

/// One node: a ptp4l instance with its clocks and ports.
#[derive(Clone, Debug)]
pub struct NodeSpec {
    pub name: String,
    /// The parsed ptp4l configuration (interfaces in port order).
    pub config: Config,
    /// One entry per engine port, in the order of `config.interfaces()`.
    pub ports: Vec<PortSpec>,
    /// The PTP hardware clock, /dev/ptp0 (disciplined with hardware timestamping, unless the
    /// first port is on another PHC).
    pub phc: ClockParams,
    /// The node's other PHCs, /dev/ptp1, /dev/ptp2, ... (`phcs` in the scenario): ports on
    /// them time stamp with them (`boundary_clock_jbod`).
    pub other_phcs: Vec<ClockParams>,
    /// The system clock (disciplined with `time_stamping software`).
    pub system_clock: ClockParams,
    pub timestamping: TimestampModel,
    /// True time at which ptp4l starts (ns).
    pub start_ns: i64,
}

impl NodeSpec {
    /// Whether ptp4l disciplines the system clock (software or legacy timestamping) rather
    /// than the PHC.
    pub fn disciplines_system_clock(&self) -> bool {
        ptp_engine::utc::is_utc_timescale(self.config.global_enum::<TimeStamping>())
    }

    /// How many PHCs the node has (at least one).
    pub fn phc_count(&self) -> usize {
        1 + self.other_phcs.len()
    }

    /// The parameters of PHC `index` (/dev/ptp`index`).
    pub fn phc_params(&self, index: usize) -> Option<&ClockParams> {
        match index {
            0 => Some(&self.phc),
            i => self.other_phcs.get(i - 1),
        }
    }

    /// The PHC ptp4l disciplines when it starts with hardware timestamping: the first port's
    /// (linuxptp takes the first interface's).
    pub fn clock_phc(&self) -> usize {
        self.ports.first().map_or(0, |p| p.phc)
    }
}

/// A node port's attachment.
#[derive(Clone, Debug, PartialEq)]
pub struct PortSpec {
    pub interface: String,
    pub subnet: usize,
    pub delay_ns: i64,
    pub asymmetry_ns: i64,
    /// The PHC that time stamps the port's frames (index into the node's PHCs, /dev/ptpN).
    pub phc: usize,
}

/// A timed event.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioEvent {
    pub at_ns: i64,
    pub node: usize,
    pub action: Action,
}

/// What a timed event does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// ptp4l stops: the node is no longer driven and receives nothing (its clocks run on).
    Stop,
    /// ptp4l (re)starts with its configuration.
    Start,
    /// The link of a port (1-based) goes down / up.
    LinkDown(u16),
    LinkUp(u16),
    /// Management SET PRIORITY1 / PRIORITY2, or a new clockClass (e.g. a lost reference).
    Priority1(u8),
    Priority2(u8),
    ClockClass(u8),
    /// The node's disciplined clock is stepped (e.g. `phc_ctl set` on the grandmaster).
    Step(i64),
}

// ---------------------------------------------------------------------------------------------
// The TOML form

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Option<String>,
    description: Option<String>,
    duration_s: Option<f64>,
    seed: Option<u64>,
    report: Option<RawReport>,
    defaults: Option<RawDefaults>,
    #[serde(default)]
    subnets: Vec<RawSubnet>,
    #[serde(default)]
    nodes: Vec<RawNode>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReport {
    converge_bound_ns: Option<f64>,
    sample_interval_s: Option<f64>,
    reference: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    config: Option<String>,
    config_file: Option<String>,
    clock: Option<RawClock>,
    system_clock: Option<RawClock>,
    timestamping: Option<RawTimestamping>,
    subnet: Option<RawSubnetParams>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawClock {
    offset_s: Option<f64>,
    frequency_ppm: Option<f64>,
    wander: Option<f64>,
    max_adj_ppm: Option<f64>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawTsKind {
    Hardware,
    Software,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawTimestamping {
    kind: Option<RawTsKind>,
    noise_ns: Option<f64>,
    latency_ns: Option<f64>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawJitter {
    Exponential,
    Normal,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawSubnetParams {
    delay_ns: Option<f64>,
    jitter_ns: Option<f64>,
    jitter: Option<RawJitter>,
    loss: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubnet {
    name: String,
    delay_ns: Option<f64>,
    jitter_ns: Option<f64>,
    jitter: Option<RawJitter>,
    loss: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    name: String,
    ports: Vec<RawPort>,
    config: Option<String>,
    config_file: Option<String>,
    start_s: Option<f64>,
    clock: Option<RawClock>,
    /// Several PHCs, /dev/ptp0 first, each over `clock`.
    phcs: Option<Vec<RawClock>>,
    system_clock: Option<RawClock>,
    timestamping: Option<RawTimestamping>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPortTable {
    subnet: String,
    interface: Option<String>,
    delay_ns: Option<f64>,
    asymmetry_ns: Option<f64>,
    phc: Option<i64>,
}

/// A port: a subnet name, or a table with the subnet and the port's own settings.
struct RawPort(RawPortTable);

impl<'de> Deserialize<'de> for RawPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPort;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a subnet name or a table { subnet = \"...\", interface, delay_ns, asymmetry_ns, phc }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPort, E> {
                Ok(RawPort(RawPortTable { subnet: v.to_owned(), ..RawPortTable::default() }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPort, A::Error> {
                RawPortTable::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawPort)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
enum RawAction {
    Stop,
    Start,
    LinkDown,
    LinkUp,
    Priority1,
    Priority2,
    ClockClass,
    Step,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawPortRef {
    Number(i64),
    Name(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    at_s: f64,
    node: String,
    action: RawAction,
    port: Option<RawPortRef>,
    value: Option<i64>,
    offset_ns: Option<i64>,
    offset_s: Option<f64>,
}

// ---------------------------------------------------------------------------------------------
// Validation

/// Builds field errors for one file.
struct Ctx<'a> {
    file: &'a str,
    dir: Option<&'a Path>,
}

impl Ctx<'_> {
    fn err(&self, field: impl Into<String>, reason: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid { file: self.file.to_owned(), field: field.into(), reason: reason.into() }
    }

    fn seconds_to_ns(&self, field: &str, s: f64, min: f64, max: f64) -> Result<i64, ScenarioError> {
        if !s.is_finite() || s < min || s > max {
            return Err(self.err(field, format!("{s} is out of range ({min} ..= {max} s)")));
        }
        Ok((s * 1e9).round() as i64)
    }

    fn number(&self, field: &str, v: f64, min: f64, max: f64) -> Result<f64, ScenarioError> {
        if !v.is_finite() || v < min || v > max {
            return Err(self.err(field, format!("{v} is out of range ({min} ..= {max})")));
        }
        Ok(v)
    }

    fn read_text(&self, field: &str, path: &str) -> Result<String, ScenarioError> {
        let full = match self.dir {
            Some(d) if Path::new(path).is_relative() => d.join(path),
            _ => Path::new(path).to_path_buf(),
        };
        std::fs::read_to_string(&full).map_err(|e| {
            self.err(field, format!("cannot read {}: {}", full.display(), ptp_config::error::strerror(&e)))
        })
    }
}

/// Longest run (s) and most samples a scenario may ask for.
const MAX_DURATION_S: f64 = 1e7;
const MAX_SAMPLES: f64 = 1e7;

impl Scenario {
    /// Read and check the scenario file at `path` (relative `config_file`s are read from its
    /// folder).
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::Read { file: file.clone(), reason: ptp_config::error::strerror(&e) })?;
        Self::parse_in(&text, &file, path.parent())
    }

    /// Check a scenario given as text; `file` names it in messages. `config_file` paths are
    /// taken as given.
    pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
        Self::parse_in(text, file, None)
    }

    /// The built-in default scenario (`scenarios/default.toml`): a grandmaster, a boundary
    /// clock and two slaves.
    pub fn default_scenario() -> Scenario {
        match Self::parse(DEFAULT_SCENARIO, "built-in default scenario") {
            Ok(s) => s,
            // The text is fixed and checked by a test; this arm cannot be reached.
            Err(e) => unreachable!("{e}"),
        }
    }

    fn parse_in(text: &str, file: &str, dir: Option<&Path>) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario =
            toml::from_str(text).map_err(|e| ScenarioError::Toml { file: file.to_owned(), message: e.to_string() })?;
        let cx = Ctx { file, dir };
        build(raw, &cx)
    }

    /// The node called `name`.
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// Set a ptp4l option of one node as `ptp4l --KEY=VALUE` would (after its config file,
    /// then twoStepFlag and time_stamping harmonised as ptp4l does); tests use it to vary a
    /// scenario, e.g. to move the best clock.
    pub fn set_node_option(&mut self, node: &str, key: &str, value: &str) -> Result<(), ScenarioError> {
        let origin = self.origin.clone();
        let Some(n) = self.nodes.iter_mut().find(|n| n.name == node) else {
            return Err(ScenarioError::Invalid {
                file: origin,
                field: "nodes".into(),
                reason: format!("no node called {node:?}"),
            });
        };
        n.config.apply_option(key, value).map_err(|e| ScenarioError::Invalid {
            file: origin.clone(),
            field: format!("node {node:?} option {key}"),
            reason: e.to_string(),
        })?;
        check_supported(&n.config).map_err(|reason| ScenarioError::Invalid {
            file: origin.clone(),
            field: format!("node {node:?} option {key}"),
            reason,
        })?;
        n.config.harmonize_onestep().map(|_| ()).map_err(|e| ScenarioError::Invalid {
            file: origin,
            field: format!("node {node:?} option {key}"),
            reason: e.to_string(),
        })
    }
}

/// The text of `scenarios/default.toml`.
pub const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/default.toml");

fn build(raw: RawScenario, cx: &Ctx<'_>) -> Result<Scenario, ScenarioError> {
    let name = raw.name.unwrap_or_else(|| {
        Path::new(cx.file).file_stem().map_or_else(|| "scenario".to_owned(), |s| s.to_string_lossy().into_owned())
    });
    let duration_ns = cx.seconds_to_ns("duration_s", raw.duration_s.unwrap_or(300.0), 1e-3, MAX_DURATION_S)?;
    let report_raw = raw.report.unwrap_or_default();
    let converge_bound_ns =
        cx.number("report.converge_bound_ns", report_raw.converge_bound_ns.unwrap_or(1_000.0), 1e-3, 1e15)?;
    let sample_interval_ns = cx.seconds_to_ns(
        "report.sample_interval_s",
        report_raw.sample_interval_s.unwrap_or(1.0),
        1e-3,
        MAX_DURATION_S,
    )?;
    if duration_ns as f64 / sample_interval_ns as f64 > MAX_SAMPLES {
        return Err(cx.err("report.sample_interval_s", "too many samples for the duration (at most 10 million)"));
    }
    let defaults = raw.defaults.unwrap_or_default();

    // Subnets.
    if raw.subnets.is_empty() {
        return Err(cx.err("subnets", "at least one [[subnets]] entry is needed"));
    }
    if raw.subnets.len() > 255 {
        return Err(cx.err("subnets", "at most 255 subnets"));
    }
    let sd = defaults.subnet.clone().unwrap_or_default();
    let mut subnets: Vec<Subnet> = Vec::new();
    for (i, s) in raw.subnets.iter().enumerate() {
        let f = |k: &str| format!("subnets[{i}].{k}");
        if s.name.is_empty() {
            return Err(cx.err(f("name"), "must not be empty"));
        }
        if subnets.iter().any(|o| o.name == s.name) {
            return Err(cx.err(f("name"), format!("a second subnet called {:?}", s.name)));
        }
        let base = Subnet::new(s.name.clone());
        let delay = cx.number(&f("delay_ns"), s.delay_ns.or(sd.delay_ns).unwrap_or(base.delay_ns as f64), 0.0, 1e12)?;
        let jitter_ns =
            cx.number(&f("jitter_ns"), s.jitter_ns.or(sd.jitter_ns).unwrap_or(base.jitter_ns), 0.0, 1e12)?;
        let loss = cx.number(&f("loss"), s.loss.or(sd.loss).unwrap_or(0.0), 0.0, 1.0)?;
        let jitter = match s.jitter.or(sd.jitter) {
            None | Some(RawJitter::Exponential) => JitterKind::Exponential,
            Some(RawJitter::Normal) => JitterKind::Normal,
        };
        subnets.push(Subnet { name: s.name.clone(), delay_ns: delay.round() as i64, jitter_ns, jitter, loss });
    }
    if let Some(d) = &defaults.subnet {
        // Check the defaults even when every subnet overrides them.
        cx.number("defaults.subnet.delay_ns", d.delay_ns.unwrap_or(0.0), 0.0, 1e12)?;
        cx.number("defaults.subnet.jitter_ns", d.jitter_ns.unwrap_or(0.0), 0.0, 1e12)?;
        cx.number("defaults.subnet.loss", d.loss.unwrap_or(0.0), 0.0, 1.0)?;
    }

    // Shared configuration text.
    let mut shared: Vec<(String, String)> = Vec::new();
    if let Some(p) = &defaults.config_file {
        shared.push(("defaults.config_file".into(), cx.read_text("defaults.config_file", p)?));
    }
    if let Some(t) = &defaults.config {
        shared.push(("defaults.config".into(), t.clone()));
    }

    // Nodes.
    if raw.nodes.is_empty() {
        return Err(cx.err("nodes", "at least one [[nodes]] entry is needed"));
    }
    if raw.nodes.len() > 254 {
        return Err(cx.err("nodes", "at most 254 nodes"));
    }
    let mut nodes: Vec<NodeSpec> = Vec::new();
    for (i, n) in raw.nodes.iter().enumerate() {
        let f = |k: &str| format!("nodes[{i}].{k}");
        if n.name.is_empty() || n.name.contains(|c: char| c.is_whitespace() || c == ',' || c == '/') {
            return Err(cx.err(
                f("name"),
                format!("{:?}: a node name needs at least one character and no spaces, commas or slashes", n.name),
            ));
        }
        if nodes.iter().any(|o| o.name == n.name) {
            return Err(cx.err(f("name"), format!("a second node called {:?}", n.name)));
        }
        if n.ports.is_empty() {
            return Err(cx.err(f("ports"), "a node needs at least one port"));
        }
        if n.ports.len() > 255 {
            return Err(cx.err(f("ports"), "at most 255 ports"));
        }
        let phc_count = n.phcs.as_ref().map_or(1, Vec::len);
        if phc_count == 0 {
            return Err(cx.err(f("phcs"), "a node needs at least one PHC"));
        }
        let mut ports = Vec::new();
        for (j, p) in n.ports.iter().enumerate() {
            let p = &p.0;
            let pf = |k: &str| format!("nodes[{i}].ports[{j}].{k}");
            let subnet = subnets
                .iter()
                .position(|s| s.name == p.subnet)
                .ok_or_else(|| cx.err(pf("subnet"), format!("no subnet called {:?}", p.subnet)))?;
            let interface = p.interface.clone().unwrap_or_else(|| format!("eth{j}"));
            if interface.is_empty() || interface.contains(|c: char| c.is_whitespace() || c == '[' || c == ']') {
                return Err(cx.err(pf("interface"), format!("{interface:?} is not an interface name")));
            }
            if ports.iter().any(|q: &PortSpec| q.interface == interface) {
                return Err(cx.err(pf("interface"), format!("a second port called {interface:?}")));
            }
            let delay_ns = cx.number(&pf("delay_ns"), p.delay_ns.unwrap_or(0.0), 0.0, 1e12)?.round() as i64;
            let asymmetry_ns =
                cx.number(&pf("asymmetry_ns"), p.asymmetry_ns.unwrap_or(0.0), -1e12, 1e12)?.round() as i64;
            let phc = match p.phc {
                None => 0,
                Some(k) => usize::try_from(k).ok().filter(|k| *k < phc_count).ok_or_else(|| {
                    cx.err(pf("phc"), format!("{k}: node {:?} has PHCs 0 ..= {} (phcs)", n.name, phc_count - 1))
                })?,
            };
            ports.push(PortSpec { interface, subnet, delay_ns, asymmetry_ns, phc });
        }

        // The ptp4l configuration: interfaces as `-i` gives them, then the texts in order.
        let mut config = Config::new();
        for p in &ports {
            config.add_interface(&p.interface);
        }
        let mut texts = shared.clone();
        if let Some(p) = &n.config_file {
            texts.push((f("config_file"), cx.read_text(&f("config_file"), p)?));
        }
        if let Some(t) = &n.config {
            texts.push((f("config"), t.clone()));
        }
        for (field, text) in &texts {
            read_config(&mut config, text, field).map_err(|reason| cx.err(field.clone(), reason))?;
        }
        if config.interfaces().len() != ports.len() {
            let extra: Vec<&str> =
                config.interfaces().iter().skip(ports.len()).map(ptp_config::Interface::name).collect();
            return Err(cx.err(
                f("ports"),
                format!("the configuration has interface sections {extra:?} with no entry in ports"),
            ));
        }
        check_supported(&config).map_err(|reason| cx.err(f("config"), reason))?;
        config.harmonize_onestep().map_err(|e| cx.err(f("config"), e.to_string()))?;

        let mut phc = clock_params(cx, &f("clock"), defaults.clock.as_ref(), n.clock.as_ref())?;
        let mut other_phcs = Vec::new();
        if let Some(list) = &n.phcs {
            let base = overlay(defaults.clock.as_ref(), n.clock.as_ref());
            let mut all = Vec::with_capacity(list.len());
            for (k, c) in list.iter().enumerate() {
                all.push(clock_params(cx, &f(&format!("phcs[{k}]")), Some(&base), Some(c))?);
            }
            phc = all.remove(0);
            other_phcs = all;
        }
        // ptp4l (`port_open`) stops when a port time stamps with another PHC than the clock's
        // (the first port's), unless the port is `boundary_clock_jbod`; with software
        // timestamping no PHC is involved.
        // free_running: the clock has no PHC either (linuxptp checks nothing then).
        if !ptp_engine::utc::is_utc_timescale(config.global_enum::<TimeStamping>())
            && config.global_int("free_running") == 0
        {
            let clock_phc = ports.first().map_or(0, |p: &PortSpec| p.phc);
            for (j, p) in ports.iter().enumerate() {
                if p.phc != clock_phc && config.port_int(&p.interface, "boundary_clock_jbod") == 0 {
                    return Err(cx.err(
                        format!("nodes[{i}].ports[{j}].phc"),
                        format!(
                            "port {} ({}) time stamps with /dev/ptp{}, the clock is /dev/ptp{clock_phc}: ptp4l stops \
                             with \"PHC device mismatch\" unless the port has boundary_clock_jbod 1",
                            j + 1,
                            p.interface,
                            p.phc
                        ),
                    ));
                }
            }
        }
        let system_clock =
            clock_params(cx, &f("system_clock"), defaults.system_clock.as_ref(), n.system_clock.as_ref())?;
        let sw_config = config.global_enum::<TimeStamping>() == TimeStamping::Software;
        let timestamping = timestamp_model(
            cx,
            &f("timestamping"),
            defaults.timestamping.as_ref(),
            n.timestamping.as_ref(),
            sw_config,
        )?;
        let start_ns = cx.seconds_to_ns(&f("start_s"), n.start_s.unwrap_or(0.0), 0.0, MAX_DURATION_S)?;
        nodes.push(NodeSpec {
            name: n.name.clone(),
            config,
            ports,
            phc,
            other_phcs,
            system_clock,
            timestamping,
            start_ns,
        });
    }

    let reference = match &report_raw.reference {
        None => None,
        Some(r) => Some(
            nodes
                .iter()
                .position(|n| &n.name == r)
                .ok_or_else(|| cx.err("report.reference", format!("no node called {r:?}")))?,
        ),
    };

    // Events.
    let mut events = Vec::new();
    for (i, e) in raw.events.iter().enumerate() {
        let f = |k: &str| format!("events[{i}].{k}");
        let at_ns = cx.seconds_to_ns(&f("at_s"), e.at_s, 0.0, MAX_DURATION_S)?;
        let node = nodes
            .iter()
            .position(|n| n.name == e.node)
            .ok_or_else(|| cx.err(f("node"), format!("no node called {:?}", e.node)))?;
        let spec = &nodes[node];
        let byte = |what: &str| -> Result<u8, ScenarioError> {
            let v = e.value.ok_or_else(|| cx.err(f("value"), format!("action {what} needs a value (0..=255)")))?;
            u8::try_from(v).map_err(|_| cx.err(f("value"), format!("{v} is out of range (0..=255)")))
        };
        let port = || -> Result<u16, ScenarioError> {
            let Some(p) = &e.port else {
                return Err(cx.err(f("port"), "link events need a port (interface name or number)"));
            };
            let idx = match p {
                RawPortRef::Number(n) => usize::try_from(*n).ok().filter(|n| (1..=spec.ports.len()).contains(n)),
                RawPortRef::Name(s) => spec.ports.iter().position(|q| &q.interface == s).map(|i| i + 1),
            };
            let idx = idx.ok_or_else(|| cx.err(f("port"), format!("node {:?} has no such port", spec.name)))?;
            u16::try_from(idx).map_err(|_| cx.err(f("port"), "port number out of range"))
        };
        let action = match e.action {
            RawAction::Stop => Action::Stop,
            RawAction::Start => Action::Start,
            RawAction::LinkDown => Action::LinkDown(port()?),
            RawAction::LinkUp => Action::LinkUp(port()?),
            RawAction::Priority1 => Action::Priority1(byte("priority1")?),
            RawAction::Priority2 => Action::Priority2(byte("priority2")?),
            RawAction::ClockClass => Action::ClockClass(byte("clock_class")?),
            RawAction::Step => match (e.offset_ns, e.offset_s) {
                (Some(ns), None) => Action::Step(ns),
                (None, Some(s)) => Action::Step(cx.seconds_to_ns(&f("offset_s"), s, -1e9, 1e9)?),
                _ => return Err(cx.err(f("offset_ns"), "a step needs exactly one of offset_ns and offset_s")),
            },
        };
        events.push(ScenarioEvent { at_ns, node, action });
    }
    events.sort_by_key(|e| e.at_ns);

    Ok(Scenario {
        name,
        description: raw.description.unwrap_or_default(),
        duration_ns,
        seed: raw.seed.unwrap_or(1),
        report: ReportSettings { converge_bound_ns, sample_interval_ns, reference },
        subnets,
        nodes,
        events,
        origin: cx.file.to_owned(),
    })
}

/// Read one configuration text into `config`. Lines before the first section belong to
/// `[global]` (so a text may leave the header out); the line numbers in messages are the
/// text's own.
fn read_config(config: &mut Config, text: &str, field: &str) -> Result<(), String> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'));
    let needs_header = first.is_some_and(|l| !l.starts_with('['));
    let full = if needs_header { format!("[global]\n{text}") } else { text.to_owned() };
    config.read_str(&full, field).map_err(|e| match e.parse_error() {
        Some(p) => {
            let msg = p.to_string();
            if needs_header {
                let line = p.line();
                msg.replacen(&format!("line {line}"), &format!("line {}", line.saturating_sub(1)), 1)
            } else {
                msg
            }
        }
        None => e.to_string(),
    })
}

/// Refuse settings neither the engine nor the simulator implements, naming each.
fn check_supported(config: &Config) -> Result<(), String> {
    let bad = ptp_engine::config::unsupported_settings(config, SIM_DRIVER_KEYS);
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
    }
}

fn clock_params(
    cx: &Ctx<'_>,
    field: &str,
    defaults: Option<&RawClock>,
    own: Option<&RawClock>,
) -> Result<ClockParams, ScenarioError> {
    let d = defaults.cloned().unwrap_or_default();
    let o = own.cloned().unwrap_or_default();
    let f = |k: &str| format!("{field}.{k}");
    let base = ClockParams::default();
    let offset_s = o.offset_s.or(d.offset_s).unwrap_or(0.0);
    let offset_ns = cx.seconds_to_ns(&f("offset_s"), offset_s, -1e9, 1e9)?;
    let frequency_ppm =
        cx.number(&f("frequency_ppm"), o.frequency_ppm.or(d.frequency_ppm).unwrap_or(0.0), -1e5, 1e5)?;
    let wander = cx.number(&f("wander"), o.wander.or(d.wander).unwrap_or(base.wander), 0.0, 1e-3)?;
    let max_adj_ppm =
        cx.number(&f("max_adj_ppm"), o.max_adj_ppm.or(d.max_adj_ppm).unwrap_or(DEFAULT_MAX_ADJ_PPB / 1e3), 1e-3, 1e6)?;
    Ok(ClockParams { offset_ns, frequency_ppb: frequency_ppm * 1e3, wander, max_adj_ppb: max_adj_ppm * 1e3 })
}

/// The fields of `top` over those of `base`.
fn overlay(base: Option<&RawClock>, top: Option<&RawClock>) -> RawClock {
    let b = base.cloned().unwrap_or_default();
    let Some(t) = top else { return b };
    RawClock {
        offset_s: t.offset_s.or(b.offset_s),
        frequency_ppm: t.frequency_ppm.or(b.frequency_ppm),
        wander: t.wander.or(b.wander),
        max_adj_ppm: t.max_adj_ppm.or(b.max_adj_ppm),
    }
}

fn timestamp_model(
    cx: &Ctx<'_>,
    field: &str,
    defaults: Option<&RawTimestamping>,
    own: Option<&RawTimestamping>,
    software_config: bool,
) -> Result<TimestampModel, ScenarioError> {
    let d = defaults.cloned().unwrap_or_default();
    let o = own.cloned().unwrap_or_default();
    let kind = match o.kind.or(d.kind) {
        Some(RawTsKind::Hardware) => TimestampKind::Hardware,
        Some(RawTsKind::Software) => TimestampKind::Software,
        None if software_config => TimestampKind::Software,
        None => TimestampKind::Hardware,
    };
    let base = TimestampModel::of(kind);
    // Noise and latency given for the other kind in [defaults] do not carry over.
    let same_kind_default = |v: Option<f64>| if d.kind.is_none() || d.kind == o.kind.or(d.kind) { v } else { None };
    let noise_ns = cx.number(
        &format!("{field}.noise_ns"),
        o.noise_ns.or(same_kind_default(d.noise_ns)).unwrap_or(base.noise_ns),
        0.0,
        1e9,
    )?;
    let latency_ns = cx.number(
        &format!("{field}.latency_ns"),
        o.latency_ns.or(same_kind_default(d.latency_ns)).unwrap_or(base.latency_ns),
        0.0,
        1e9,
    )?;
    Ok(TimestampModel { kind, noise_ns, latency_ns })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        [[subnets]]
        name = "lan"
        [[nodes]]
        name = "gm"
        ports = ["lan"]
        config = "priority1 100"
        [[nodes]]
        name = "slave"
        ports = [{ subnet = "lan", interface = "enp1s0", asymmetry_ns = 20 }]
        config = """
        [global]
        clientOnly 1
        [enp1s0]
        delayAsymmetry 20
        """
        clock = { offset_s = 0.1, frequency_ppm = 100 }
    "#;

    fn err(text: &str) -> String {
        match Scenario::parse(text, "t.toml") {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn minimal_scenario_with_defaults() {
        let s = Scenario::parse(MINIMAL, "t.toml").unwrap();
        assert_eq!(s.name, "t");
        assert_eq!(s.duration_ns, 300_000_000_000);
        assert_eq!(s.seed, 1);
        assert_eq!(s.subnets[0], Subnet::new("lan"));
        let gm = &s.nodes[0];
        assert_eq!(gm.config.global_int("priority1"), 100);
        assert_eq!(gm.ports[0].interface, "eth0");
        assert_eq!(gm.config.interfaces()[0].name(), "eth0");
        assert_eq!(gm.timestamping, TimestampModel::HARDWARE);
        let sl = &s.nodes[1];
        assert_eq!(sl.config.global_int("clientOnly"), 1);
        assert_eq!(sl.config.port_int("enp1s0", "delayAsymmetry"), 20);
        assert_eq!(sl.ports[0].asymmetry_ns, 20);
        assert_eq!(sl.phc.offset_ns, 100_000_000);
        assert_eq!(sl.phc.frequency_ppb, 100_000.0);
        assert_eq!(sl.phc.max_adj_ppb, 500_000.0);
        assert_eq!(s.report.converge_bound_ns, 1_000.0);
        assert!(!sl.disciplines_system_clock());
    }

    #[test]
    fn the_default_scenario_parses() {
        let s = Scenario::default_scenario();
        assert_eq!(s.nodes.len(), 4);
        assert!(s.nodes.iter().any(|n| n.ports.len() == 2), "a boundary clock");
    }

    #[test]
    fn software_timestamping_follows_the_config() {
        let text = MINIMAL.replace("priority1 100", "priority1 100\\ntime_stamping software");
        let s = Scenario::parse(&text, "t.toml").unwrap();
        assert_eq!(s.nodes[0].timestamping, TimestampModel::SOFTWARE);
        assert!(s.nodes[0].disciplines_system_clock());
        assert_eq!(s.nodes[1].timestamping, TimestampModel::HARDWARE);
    }

    #[test]
    fn one_step_settings_are_harmonised_like_ptp4l() {
        let text = MINIMAL.replace("priority1 100", "priority1 100\\ntime_stamping p2p1step");
        let mut s = Scenario::parse(&text, "t.toml").unwrap();
        assert_eq!(s.nodes[0].config.global_int("twoStepFlag"), 0);
        assert_eq!(s.nodes[0].timestamping, TimestampModel::HARDWARE);
        assert_eq!(s.nodes[1].config.global_int("twoStepFlag"), 1);
        let name = s.nodes[1].name.clone();
        s.set_node_option(&name, "twoStepFlag", "0").unwrap();
        assert_eq!(s.nodes[1].config.global_enum::<TimeStamping>(), TimeStamping::OneStep);
        let e = err(&MINIMAL.replace("priority1 100", "priority1 100\\ntime_stamping software\\ntwoStepFlag 0"));
        assert!(e.contains("one step is only possible with hardware time stamping"), "{e}");
    }

    #[test]
    fn bad_toml_names_the_field() {
        let e = err("duration_s = \"long\"\n");
        assert!(e.contains("duration_s") && e.starts_with("t.toml: "), "{e}");
        let e = err(&format!("{MINIMAL}\n[report]\nconverge_bound = 5\n"));
        assert!(e.contains("unknown field `converge_bound`"), "{e}");
        let e = err(&MINIMAL.replace("ports = [\"lan\"]", "ports = [\"lan9\"]"));
        assert_eq!(e, "t.toml: nodes[0].ports[0].subnet: no subnet called \"lan9\"");
        let e = err(&MINIMAL.replace("ports = [\"lan\"]", "ports = [{ subnet = \"lan\", speed = 1 }]"));
        assert!(e.contains("unknown field `speed`"), "{e}");
        let e = err(&MINIMAL.replace("frequency_ppm = 100", "frequency_ppm = 1e9"));
        assert!(e.contains("nodes[1].clock.frequency_ppm: 1000000000 is out of range"), "{e}");
        let e = err(&MINIMAL.replace("name = \"slave\"", "name = \"gm\""));
        assert!(e.contains("nodes[1].name: a second node called \"gm\""), "{e}");
        let e = err(&format!("{MINIMAL}\n[[events]]\nat_s = 5\nnode = \"gm\"\naction = \"explode\"\n"));
        assert!(e.contains("unknown variant `explode`"), "{e}");
        let e = err(&format!("{MINIMAL}\n[[events]]\nat_s = 5\nnode = \"gm\"\naction = \"priority1\"\n"));
        assert!(e.contains("events[0].value: action priority1 needs a value"), "{e}");
        let e = err(&format!("{MINIMAL}\n[[events]]\nat_s = 5\nnode = \"gm\"\naction = \"link_down\"\nport = 2\n"));
        assert!(e.contains("events[0].port: node \"gm\" has no such port"), "{e}");
        let e = err("[[nodes]]\nname = \"a\"\nports = [\"x\"]\n");
        assert!(e.contains("subnets: at least one"), "{e}");
        let e = err("this is not toml");
        assert!(e.starts_with("t.toml: TOML parse error"), "{e}");
    }

    #[test]
    fn bad_ptp4l_config_names_the_node_key_and_line() {
        let e = err(&MINIMAL.replace("config = \"priority1 100\"", "config = \"priority1 100\\nbogus_key 1\""));
        assert_eq!(e, "t.toml: nodes[0].config: unknown option bogus_key at line 2 in global section");
        let e = err(&MINIMAL.replace("config = \"priority1 100\"", "config = \"priority1 999\""));
        assert!(e.contains("nodes[0].config: 999 is an out of range value for option priority1 at line 1"), "{e}");
        // A feature the engine does not have is refused by name.
        let e = err(&MINIMAL.replace("config = \"priority1 100\"", "config = \"unicast_listen 1\""));
        assert!(e.contains("option unicast_listen is set to 1"), "{e}");
        // An interface section without a port.
        let e = err(&MINIMAL.replace("[enp1s0]", "[eth7]"));
        assert!(e.contains("nodes[1].ports: the configuration has interface sections [\"eth7\"]"), "{e}");
    }

    #[test]
    fn events_are_sorted_and_typed() {
        let text = format!(
            "{MINIMAL}\n[[events]]\nat_s = 50\nnode = \"slave\"\naction = \"link_down\"\nport = \"enp1s0\"\n\
             [[events]]\nat_s = 10\nnode = \"gm\"\naction = \"step\"\noffset_s = -0.5\n"
        );
        let s = Scenario::parse(&text, "t.toml").unwrap();
        assert_eq!(s.events[0], ScenarioEvent { at_ns: 10_000_000_000, node: 0, action: Action::Step(-500_000_000) });
        assert_eq!(s.events[1], ScenarioEvent { at_ns: 50_000_000_000, node: 1, action: Action::LinkDown(1) });
    }

    #[test]
    fn set_node_option_overrides_like_the_command_line() {
        let mut s = Scenario::parse(MINIMAL, "t.toml").unwrap();
        s.set_node_option("slave", "clockClass", "6").unwrap();
        assert_eq!(s.nodes[1].config.global_int("clockClass"), 6);
        assert!(s.set_node_option("nobody", "clockClass", "6").is_err());
        assert!(s.set_node_option("gm", "clockClass", "600").is_err());
    }

    const JBOD: &str = r#"
        [defaults]
        clock = { offset_s = 0.5, wander = 0 }
        [[subnets]]
        name = "a"
        [[subnets]]
        name = "b"
        [[nodes]]
        name = "bc"
        ports = [{ subnet = "a" }, { subnet = "b", phc = 1 }]
        config = "boundary_clock_jbod 1"
        clock = { frequency_ppm = 10 }
        phcs = [{}, { offset_s = -0.25, frequency_ppm = -20, max_adj_ppm = 100 }]
    "#;

    #[test]
    fn ports_on_several_phcs() {
        let s = Scenario::parse(JBOD, "t.toml").unwrap();
        let bc = &s.nodes[0];
        assert_eq!(bc.phc_count(), 2);
        assert_eq!((bc.ports[0].phc, bc.ports[1].phc, bc.clock_phc()), (0, 1, 0));
        // Each PHC: [defaults] clock, then the node's clock, then its own entry.
        let p0 = bc.phc_params(0).unwrap();
        assert_eq!(
            (p0.offset_ns, p0.frequency_ppb, p0.wander, p0.max_adj_ppb),
            (500_000_000, 10_000.0, 0.0, 500_000.0)
        );
        let p1 = bc.phc_params(1).unwrap();
        assert_eq!(
            (p1.offset_ns, p1.frequency_ppb, p1.wander, p1.max_adj_ppb),
            (-250_000_000, -20_000.0, 0.0, 100_000.0)
        );
        assert!(bc.phc_params(2).is_none());
        // Without phcs a node has the one PHC of `clock`, and every port is on it.
        let m = Scenario::parse(MINIMAL, "t.toml").unwrap();
        assert_eq!((m.nodes[1].phc_count(), m.nodes[1].ports[0].phc), (1, 0));
        // The clock is the first port's PHC.
        let first_on_1 =
            JBOD.replace("[{ subnet = \"a\" }, { subnet = \"b\", phc = 1 }]", "[{ subnet = \"a\", phc = 1 }, \"b\"]");
        assert_eq!(Scenario::parse(&first_on_1, "t.toml").unwrap().nodes[0].clock_phc(), 1);
    }

    #[test]
    fn bad_phcs_are_refused_by_name() {
        let e = err(&JBOD.replace("phc = 1", "phc = 2"));
        assert_eq!(e, "t.toml: nodes[0].ports[1].phc: 2: node \"bc\" has PHCs 0 ..= 1 (phcs)");
        let e = err(&JBOD.replace("phc = 1", "phc = -1"));
        assert!(e.contains("nodes[0].ports[1].phc: -1: "), "{e}");
        let e = err(&JBOD.replace("phcs = [{}, {", "phcs = [{ frequency_ppm = 1e9 }, {"));
        assert!(e.contains("nodes[0].phcs[0].frequency_ppm: 1000000000 is out of range"), "{e}");
        let e = err(
            &JBOD.replace("phcs = [{}, { offset_s = -0.25, frequency_ppm = -20, max_adj_ppm = 100 }]", "phcs = []")
        );
        assert_eq!(e, "t.toml: nodes[0].phcs: a node needs at least one PHC");
        let e = err(&JBOD.replace("{}, {", "{ speed = 1 }, {"));
        assert!(e.contains("unknown field `speed`"), "{e}");
        // Ports on two PHCs without jbod: ptp4l would stop.
        let e = err(&JBOD.replace("config = \"boundary_clock_jbod 1\"", "config = \"priority1 100\""));
        assert_eq!(
            e,
            "t.toml: nodes[0].ports[1].phc: port 2 (eth1) time stamps with /dev/ptp1, the clock is /dev/ptp0: \
             ptp4l stops with \"PHC device mismatch\" unless the port has boundary_clock_jbod 1"
        );
        // jbod on that port is enough; software timestamping involves no PHC.
        Scenario::parse(
            &JBOD.replace("config = \"boundary_clock_jbod 1\"", "config = \"[eth1]\\nboundary_clock_jbod 1\""),
            "t.toml",
        )
        .unwrap();
        Scenario::parse(
            &JBOD.replace("config = \"boundary_clock_jbod 1\"", "config = \"time_stamping software\""),
            "t.toml",
        )
        .unwrap();
    }
}
