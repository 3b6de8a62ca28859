//! Results of a run: the sampled true offsets, the summary per node, the CSV and each node's
//! log in ptp4l's exact format.

use std::fmt::Write as _;

use ptp_engine::event::{Event, PortNumber};
use ptp_engine::log::{format, Dialect, Level, LogLine, PortNames, Printer};
use ptp_engine::state::PortState;
use ptp_engine::time::Instant;
use ptp_wire::ClockIdentity;

use crate::clock::AdjustStats;
use crate::network::NetStats;
use crate::scenario::ScenarioEvent;

/// The true state of every node's disciplined clock, sampled at a fixed interval.
///
/// Offsets and frequency errors are against the reference grandmaster's clock at the same
/// true instant (`reference`); NaN where the node was not running (or no reference existed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    pub times_ns: Vec<i64>,
    /// Node index of the reference at each sample.
    pub reference: Vec<Option<usize>>,
    /// `[node][sample]`: node clock minus reference clock (ns).
    pub offset_ns: Vec<Vec<f64>>,
    /// `[node][sample]`: node frequency minus reference frequency (ppb).
    pub freq_ppb: Vec<Vec<f64>>,
    /// `[node][sample]`: the engine's currentDS.meanPathDelay while a port is SLAVE (ns).
    pub path_delay_ns: Vec<Vec<f64>>,
}

impl Samples {
    pub fn new(nodes: usize) -> Self {
        Samples {
            times_ns: Vec::new(),
            reference: Vec::new(),
            offset_ns: vec![Vec::new(); nodes],
            freq_ppb: vec![Vec::new(); nodes],
            path_delay_ns: vec![Vec::new(); nodes],
        }
    }
}

/// A node at the end of the run.
#[derive(Clone, Debug)]
pub struct NodeOutcome {
    pub name: String,
    pub identity: ClockIdentity,
    /// Interface name of each port.
    pub interfaces: Vec<String>,
    /// The node's `logging_level` and `message_tag`, which shape its log.
    pub logging_level: i32,
    pub message_tag: Option<String>,
    /// Engine events with their true times (ns).
    pub events: Vec<(i64, Event)>,
    /// What the node is at the end: grandmaster, boundary clock, slave, stopped, ...
    pub role: String,
    pub running: bool,
    pub started_at_ns: Option<i64>,
    pub stopped_at_ns: Option<i64>,
    /// Steps and clamped frequency requests of the disciplined clock.
    pub adjust: AdjustStats,
    pub port_states: Vec<PortState>,
    /// parentDS.grandmasterIdentity and currentDS.stepsRemoved at the end.
    pub grandmaster: Option<ClockIdentity>,
    pub steps_removed: u16,
    pub stuck_timers: u64,
    /// What the driver (ptp4l outside the engine) did and logged, in order.
    pub driver_events: Vec<DriverRecord>,
}

/// Something ptp4l's driver code did that its log shows: the simulator's counterpart of the
/// lines the Linux runtime logs itself.
#[derive(Clone, Debug, PartialEq)]
pub enum DriverEvent {
    /// WARNING `port N (ifname): just a bunch of devices`: at start, a `boundary_clock_jbod`
    /// port time stamps with another PHC than the clock's (linuxptp `port_open`).
    JustABunchOfDevices { port: PortNumber },
    /// INFO `Switched to /dev/ptpN as PTP clock`: on [`ptp_engine::transmit::ClockAction::SwitchPhc`]
    /// for `port`, the node disciplines PHC `phc` from now on (linuxptp `clock_switch_phc`).
    SwitchedPhc { port: PortNumber, phc: usize },
    /// ERR `Switching PHC, failed to create clock servo`: the engine refused the switch, and
    /// the port was faulted (FT_SWITCH_PHC).
    SwitchFailed { port: PortNumber },
}

impl DriverEvent {
    /// The line ptp4l logs.
    pub fn log_line(&self, names: &PortNames) -> LogLine {
        match self {
            DriverEvent::JustABunchOfDevices { port } => {
                LogLine::new(Level::Warning, format!("{}: just a bunch of devices", names.name(*port)))
            }
            DriverEvent::SwitchedPhc { phc, .. } => {
                LogLine::new(Level::Info, format!("Switched to /dev/ptp{phc} as PTP clock"))
            }
            DriverEvent::SwitchFailed { .. } => LogLine::new(Level::Err, "Switching PHC, failed to create clock servo"),
        }
    }
}

/// A [`DriverEvent`] with its true time (ns) and its place in the node's log: it comes after
/// the first `after_events` engine events.
#[derive(Clone, Debug, PartialEq)]
pub struct DriverRecord {
    pub at_ns: i64,
    pub after_events: usize,
    pub event: DriverEvent,
}

/// The PHC switches among `records`: (true time in ns, port, PHC index), in order.
pub fn phc_switches(records: &[DriverRecord]) -> Vec<(i64, PortNumber, usize)> {
    records
        .iter()
        .filter_map(|d| match d.event {
            DriverEvent::SwitchedPhc { port, phc } => Some((d.at_ns, port, phc)),
            _ => None,
        })
        .collect()
}

impl NodeOutcome {
    /// The port names ptp4l 4.x logs (`port 1 (eth0)`).
    pub fn port_names(&self) -> PortNames {
        let mut names = PortNames::new(Dialect::Linuxptp4);
        for (i, n) in self.interfaces.iter().enumerate() {
            names.insert(u16::try_from(i + 1).unwrap_or(u16::MAX), n.clone());
        }
        names
    }

    /// The node's log as ptp4l prints it with `-m`: `ptp4l[<s>.<ms>]: <line>` per line, for the
    /// levels its `logging_level` enables. The time in brackets is the node's monotonic clock,
    /// which in the simulator is the true time since the start of the run.
    pub fn log(&self) -> String {
        let names = self.port_names();
        let printer = Printer::new("ptp4l").tag(self.message_tag.as_deref());
        let mut out = String::new();
        let mut emit = |t: i64, line: LogLine| {
            if line.level.is_enabled(self.logging_level) {
                out.push_str(&printer.stdio_line(Instant::from_nanos(t), &line));
            }
        };
        let mut driver = self.driver_events.iter().peekable();
        for (k, (t, e)) in self.events.iter().enumerate() {
            while let Some(d) = driver.next_if(|d| d.after_events <= k) {
                emit(d.at_ns, d.event.log_line(&names));
            }
            for line in format(e, &names) {
                emit(*t, line);
            }
        }
        for d in driver {
            emit(d.at_ns, d.event.log_line(&names));
        }
        out
    }

    /// Every PHC switch of the node: (true time in ns, port, PHC index), in order.
    pub fn phc_switches(&self) -> Vec<(i64, PortNumber, usize)> {
        phc_switches(&self.driver_events)
    }

    /// Times (ns) of the events that match `pred`.
    pub fn event_times(&self, pred: impl Fn(&Event) -> bool) -> Vec<i64> {
        self.events.iter().filter(|(_, e)| pred(e)).map(|(t, _)| *t).collect()
    }
}

/// Figures of one node over a window of samples.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WindowStats {
    /// Samples in the window while the node ran.
    pub samples: usize,
    /// The first sample time after which |offset| stayed below the bound to the end of the
    /// window (ns); `None` if the last sample was not below it.
    pub converged_at_ns: Option<i64>,
    /// Over the samples from convergence on (all samples in the window if never converged):
    pub rms_offset_ns: f64,
    pub max_offset_ns: f64,
    pub rms_freq_ppb: f64,
    pub max_freq_ppb: f64,
    /// Mean of the path delay the engine measured (ns), if it measured one.
    pub mean_path_delay_ns: Option<f64>,
}

/// The summary row of one node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSummary {
    pub name: String,
    pub role: String,
    /// The node was the reference grandmaster at the last sample it ran.
    pub is_reference: bool,
    pub stats: WindowStats,
    pub steps: u32,
    pub clamped: u32,
}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub scenario: String,
    pub description: String,
    pub seed: u64,
    /// Simulated time (ns).
    pub duration_ns: i64,
    pub converge_bound_ns: f64,
    pub nodes: Vec<NodeOutcome>,
    pub samples: Samples,
    pub net: NetStats,
    pub events: Vec<ScenarioEvent>,
}

fn rms(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        (v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64).sqrt()
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

impl Outcome {
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The node called `name`.
    pub fn node(&self, name: &str) -> Option<&NodeOutcome> {
        self.nodes.iter().find(|n| n.name == name)
    }

    /// Figures of node `node` over the samples at `from_ns ..= to_ns`, with convergence
    /// judged against `bound_ns`.
    pub fn window(&self, node: usize, from_ns: i64, to_ns: i64, bound_ns: f64) -> WindowStats {
        let s = &self.samples;
        let (Some(off), Some(freq), Some(delay)) =
            (s.offset_ns.get(node), s.freq_ppb.get(node), s.path_delay_ns.get(node))
        else {
            return WindowStats::default();
        };
        let idx: Vec<usize> = s
            .times_ns
            .iter()
            .enumerate()
            .filter(|(i, t)| (from_ns..=to_ns).contains(*t) && off.get(*i).is_some_and(|o| !o.is_nan()))
            .map(|(i, _)| i)
            .collect();
        let mut out = WindowStats { samples: idx.len(), ..WindowStats::default() };
        let Some(&last) = idx.last() else { return out };
        let last_bad = idx.iter().rposition(|&i| off[i].abs() >= bound_ns);
        let from = match last_bad {
            None => Some(0),
            Some(k) if idx[k] == last => None,
            Some(k) => Some(k + 1),
        };
        out.converged_at_ns = from.map(|k| s.times_ns[idx[k]]);
        let tail = &idx[from.unwrap_or(0)..];
        let o: Vec<f64> = tail.iter().map(|&i| off[i]).collect();
        let f: Vec<f64> = tail.iter().map(|&i| freq[i]).filter(|x| !x.is_nan()).collect();
        let d: Vec<f64> = tail.iter().map(|&i| delay[i]).filter(|x| !x.is_nan()).collect();
        out.rms_offset_ns = rms(&o);
        out.max_offset_ns = max_abs(&o);
        out.rms_freq_ppb = rms(&f);
        out.max_freq_ppb = max_abs(&f);
        out.mean_path_delay_ns = (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64);
        out
    }

    /// The summary row of every node, over the whole run.
    pub fn summary(&self) -> Vec<NodeSummary> {
        let s = &self.samples;
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeSummary {
                name: n.name.clone(),
                role: n.role.clone(),
                is_reference: s
                    .offset_ns
                    .get(i)
                    .and_then(|o| o.iter().rposition(|x| !x.is_nan()))
                    .and_then(|k| s.reference.get(k).copied().flatten())
                    == Some(i),
                stats: self.window(i, 0, self.duration_ns, self.converge_bound_ns),
                steps: n.adjust.steps,
                clamped: n.adjust.clamped,
            })
            .collect()
    }

    /// The summary as a table for a terminal.
    pub fn summary_table(&self) -> String {
        let mut rows: Vec<[String; 9]> = vec![[
            "node".into(),
            "role".into(),
            "converged".into(),
            "offset rms".into(),
            "offset max".into(),
            "freq rms".into(),
            "freq max".into(),
            "path delay".into(),
            "steps".into(),
        ]];
        for s in self.summary() {
            let st = &s.stats;
            let mut row = [
                s.name.clone(),
                s.role.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                st.mean_path_delay_ns.map_or_else(|| "-".into(), fmt_ns),
                s.steps.to_string(),
            ];
            if s.is_reference {
                row[2] = "reference".into();
                for c in &mut row[3..7] {
                    *c = "-".into();
                }
            } else {
                row[2] = match st.converged_at_ns {
                    Some(t) => format!("{:.1} s", t as f64 * 1e-9),
                    None if st.samples == 0 => "-".into(),
                    None => "no".into(),
                };
                row[3] = fmt_ns(st.rms_offset_ns);
                row[4] = fmt_ns(st.max_offset_ns);
                row[5] = fmt_ppb(st.rms_freq_ppb);
                row[6] = fmt_ppb(st.max_freq_ppb);
            }
            if s.clamped > 0 {
                row[8] = format!("{} ({} freq clamped)", s.steps, s.clamped);
            }
            rows.push(row);
        }
        let widths: Vec<usize> = (0..9).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
        let mut out = String::new();
        for (k, r) in rows.iter().enumerate() {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate() {
                let w = widths[c];
                if c < 2 {
                    let _ = write!(line, "{cell:<w$}  ");
                } else {
                    let _ = write!(line, "{cell:>w$}  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if k == 0 {
                out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * 8));
                out.push('\n');
            }
        }
        let _ = writeln!(
            out,
            "converged: first time after which |offset| from the grandmaster stays below {}; figures after that",
            fmt_ns(self.converge_bound_ns)
        );
        out
    }

    /// One row per sample: time, the reference grandmaster, then each node's true offset from
    /// it (ns) and frequency error against it (ppb); empty cells while a node was not running.
    pub fn csv(&self) -> String {
        let s = &self.samples;
        let mut out = String::from("time_s,reference");
        for n in &self.nodes {
            let _ = write!(out, ",{0}_offset_ns,{0}_freq_error_ppb", n.name);
        }
        out.push('\n');
        for (k, t) in s.times_ns.iter().enumerate() {
            let r =
                s.reference.get(k).copied().flatten().and_then(|r| self.nodes.get(r)).map_or("", |n| n.name.as_str());
            let _ = write!(out, "{:.3},{r}", *t as f64 * 1e-9);
            for i in 0..self.nodes.len() {
                for series in [&s.offset_ns, &s.freq_ppb] {
                    let v = series.get(i).and_then(|v| v.get(k)).copied().unwrap_or(f64::NAN);
                    if v.is_nan() {
                        out.push(',');
                    } else {
                        let _ = write!(out, ",{v:.3}");
                    }
                }
            }
            out.push('\n');
        }
        out
    }
}

/// `12 ns`, `1.23 us`, `4.5 ms`, `1000 s`.
pub fn fmt_ns(v: f64) -> String {
    let a = v.abs();
    if a < 1e3 {
        format!("{v:.0} ns")
    } else if a < 1e6 {
        format!("{:.2} us", v / 1e3)
    } else if a < 1e9 {
        format!("{:.2} ms", v / 1e6)
    } else {
        format!("{:.3} s", v / 1e9)
    }
}

/// `0.12 ppb`, `3.4 ppm`.
pub fn fmt_ppb(v: f64) -> String {
    if v.abs() < 1e3 {
        format!("{v:.2} ppb")
    } else {
        format!("{:.2} ppm", v / 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(offsets: &[f64]) -> Outcome {
        let n = offsets.len();
        let samples = Samples {
            times_ns: (0..n as i64).map(|k| k * 1_000_000_000).collect(),
            reference: vec![Some(0); n],
            offset_ns: vec![vec![0.0; n], offsets.to_vec()],
            freq_ppb: vec![vec![0.0; n], vec![1.0; n]],
            path_delay_ns: vec![vec![f64::NAN; n], vec![100.0; n]],
        };
        let node = |name: &str| NodeOutcome {
            name: name.into(),
            identity: ClockIdentity::default(),
            interfaces: vec!["eth0".into()],
            logging_level: 6,
            message_tag: None,
            events: Vec::new(),
            role: String::new(),
            running: true,
            started_at_ns: Some(0),
            stopped_at_ns: None,
            adjust: AdjustStats::default(),
            port_states: Vec::new(),
            grandmaster: None,
            steps_removed: 0,
            stuck_timers: 0,
            driver_events: Vec::new(),
        };
        Outcome {
            scenario: "t".into(),
            description: String::new(),
            seed: 1,
            duration_ns: (n as i64 - 1) * 1_000_000_000,
            converge_bound_ns: 1_000.0,
            nodes: vec![node("gm"), node("s")],
            samples,
            net: NetStats::default(),
            events: Vec::new(),
        }
    }

    #[test]
    fn convergence_is_the_first_time_after_which_the_offset_stays_below_the_bound() {
        let o = outcome(&[1e8, 5e3, 500.0, 2e3, 300.0, -400.0, 100.0]);
        let w = o.window(1, 0, o.duration_ns, 1_000.0);
        assert_eq!(w.converged_at_ns, Some(4_000_000_000));
        assert_eq!(w.max_offset_ns, 400.0);
        assert!(
            (w.rms_offset_ns - ((300.0f64.powi(2) + 400.0f64.powi(2) + 100.0f64.powi(2)) / 3.0).sqrt()).abs() < 1e-9
        );
        assert_eq!(w.mean_path_delay_ns, Some(100.0));
        assert_eq!(w.rms_freq_ppb, 1.0);
        // Not converged when the last sample is out of bounds.
        let o = outcome(&[1e8, 5e3, 500.0, 2e3]);
        assert_eq!(o.window(1, 0, o.duration_ns, 1_000.0).converged_at_ns, None);
        let table = outcome(&[1e8, 10.0]).summary_table();
        assert!(table.contains("reference"), "{table}");
        assert!(table.contains("1.0 s"), "{table}");
    }

    #[test]
    fn csv_has_a_column_pair_per_node() {
        let o = outcome(&[1e8, 10.0]);
        let csv = o.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "time_s,reference,gm_offset_ns,gm_freq_error_ppb,s_offset_ns,s_freq_error_ppb");
        assert_eq!(lines[2], "1.000,gm,0.000,0.000,10.000,1.000");
    }

    #[test]
    fn units() {
        assert_eq!(fmt_ns(12.4), "12 ns");
        assert_eq!(fmt_ns(1_234.0), "1.23 us");
        assert_eq!(fmt_ns(100_000_000.0), "100.00 ms");
        assert_eq!(fmt_ppb(0.5), "0.50 ppb");
        assert_eq!(fmt_ppb(-100_000.0), "-100.00 ppm");
    }
}
