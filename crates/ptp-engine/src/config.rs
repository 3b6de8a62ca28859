//! The engine's typed view of a linuxptp configuration: the values the clock and its ports
//! use, read once from a [`ptp_config::Config`] (so engine logic never looks keys up by
//! name, and tests can build a configuration directly).

use ptp_config::enums::{Bmca, DatasetComparison, DelayMechanism, TimeStamping};
use ptp_config::Config;
use ptp_wire::{ClockAccuracy, ClockIdentity, ClockQuality, TimeSource};

/// Clock-wide settings (linuxptp `[global]` keys).
#[derive(Clone, Debug, PartialEq)]
pub struct ClockConfig {
    pub clock_identity: ClockIdentity,
    pub domain_number: u8,
    pub priority1: u8,
    pub priority2: u8,
    pub clock_quality: ClockQuality,
    pub two_step: bool,
    /// clientOnly (slaveOnly).
    pub slave_only: bool,
    pub free_running: bool,
    pub utc_offset: i16,
    /// kernel_leap: a disciplined system clock (software or legacy timestamping) gets leap
    /// seconds from the kernel ([`crate::transmit::ClockAction::SetLeap`]); when false the
    /// servo absorbs them ([`crate::servo::Servo::leap`]).
    pub kernel_leap: bool,
    pub time_source: TimeSource,
    pub max_steps_removed: u8,
    pub dataset_comparison: DatasetComparison,
    pub local_priority: u8,
    pub summary_interval: i8,
    pub time_stamping: TimeStamping,
    /// versionPTP byte's high nibble sent (ptp_minor_version).
    pub ptp_minor_version: u8,
    /// Accept messages whatever their majorSdoId (the expected value, transportSpecific, is
    /// per port: [`PortConfig::transport_specific`]).
    pub ignore_transport_specific: bool,
}

/// Per-port settings (linuxptp interface sections falling back to `[global]`).
#[derive(Clone, Debug, PartialEq)]
pub struct PortConfig {
    /// Interface name (for log lines).
    pub name: String,
    pub log_announce_interval: i8,
    pub log_sync_interval: i8,
    pub log_min_delay_req_interval: i8,
    pub log_min_pdelay_req_interval: i8,
    pub announce_receipt_timeout: u8,
    pub sync_receipt_timeout: u8,
    pub delay_mechanism: DelayMechanism,
    /// delayAsymmetry, ns.
    pub delay_asymmetry: i64,
    /// serverOnly (masterOnly).
    pub master_only: bool,
    pub bmca: Bmca,
    /// fault_reset_interval as a log2 seconds value; `None` = ASAP.
    pub fault_reset_interval: Option<i8>,
    pub delay_filter_length: usize,
    pub neighbor_prop_delay_thresh: u32,
    pub min_neighbor_prop_delay: i32,
    pub hybrid_e2e: bool,
    pub transport_specific: u8,
    /// freq_est_interval (log2 s): the window of the neighbour rate ratio estimate.
    pub freq_est_interval: i32,
    /// boundary_clock_jbod: the port may time stamp with its own PHC; entering UNCALIBRATED
    /// it makes that PHC the disciplined clock ([`crate::transmit::ClockAction::SwitchPhc`]).
    pub jbod: bool,
    /// ingressLatency, ns: subtracted from every receive timestamp (linuxptp's
    /// `rx_timestamp_offset`).
    pub ingress_latency: i64,
    /// egressLatency, ns: added to every transmit timestamp (`tx_timestamp_offset`).
    pub egress_latency: i64,
    /// time_stamping (a global key, after ptp4l's twoStepFlag harmonisation), as
    /// PORT_PROPERTIES_NP reports it.
    pub time_stamping: TimeStamping,
}

/// Every configuration key whose behaviour the engine implements. A program that runs the
/// engine adds the keys its driver honours and refuses any other key set to a non-default
/// value ([`unsupported_settings`]), so a setting is never silently ignored.
pub const ENGINE_KEYS: &[&str] = &[
    // defaultDS and clock
    "domainNumber",
    "priority1",
    "priority2",
    "clockClass",
    "clockAccuracy",
    "offsetScaledLogVariance",
    "twoStepFlag",
    "clientOnly",
    "slaveOnly",
    "free_running",
    "utc_offset",
    "kernel_leap",
    "timeSource",
    "maxStepsRemoved",
    "dataset_comparison",
    "G.8275.defaultDS.localPriority",
    "summary_interval",
    "ptp_minor_version",
    "clock_type",
    // ports
    "transportSpecific",
    "ignore_transport_specific",
    "logAnnounceInterval",
    "logSyncInterval",
    "logMinDelayReqInterval",
    "logMinPdelayReqInterval",
    "announceReceiptTimeout",
    "syncReceiptTimeout",
    "delay_mechanism",
    "delayAsymmetry",
    "serverOnly",
    "masterOnly",
    "BMCA",
    "fault_reset_interval",
    "hybrid_e2e",
    "freq_est_interval",
    "boundary_clock_jbod",
    "ingressLatency",
    "egressLatency",
    // timestamp processing and servo
    "tsproc_mode",
    "delay_filter",
    "delay_filter_length",
    "clock_servo",
    "first_step_threshold",
    "step_threshold",
    "max_frequency",
    "pi_proportional_const",
    "pi_integral_const",
    "pi_proportional_scale",
    "pi_proportional_exponent",
    "pi_proportional_norm_max",
    "pi_integral_scale",
    "pi_integral_exponent",
    "pi_integral_norm_max",
    "servo_offset_threshold",
    "servo_num_offset_values",
    "sanity_freq_limit",
];

/// The settings of `cfg` that ptp4l reads, that neither the engine nor `driver_keys` implement,
/// and that differ from linuxptp's default: a daemon must refuse to start with these, naming
/// each (their Display says which key, value and section).
pub fn unsupported_settings(cfg: &Config, driver_keys: &[&str]) -> Vec<ptp_config::UnsupportedSetting> {
    let supported: Vec<&str> = ENGINE_KEYS.iter().chain(driver_keys).copied().collect();
    cfg.unsupported_settings_for(ptp_config::Program::Ptp4l, &supported)
}

fn clamp_i8(v: i32) -> i8 {
    i8::try_from(v).unwrap_or(if v < 0 { i8::MIN } else { i8::MAX })
}

fn clamp_u8(v: i32) -> u8 {
    u8::try_from(v.max(0)).unwrap_or(u8::MAX)
}

impl ClockConfig {
    /// Read the clock-wide values; `clock_identity` comes from the driver (MAC-derived or the
    /// `clockIdentity` key).
    pub fn from_config(cfg: &Config, clock_identity: ClockIdentity) -> Self {
        ClockConfig {
            clock_identity,
            domain_number: clamp_u8(cfg.global_int("domainNumber")),
            priority1: clamp_u8(cfg.global_int("priority1")),
            priority2: clamp_u8(cfg.global_int("priority2")),
            clock_quality: ClockQuality {
                clock_class: clamp_u8(cfg.global_int("clockClass")),
                clock_accuracy: ClockAccuracy(clamp_u8(cfg.global_int("clockAccuracy"))),
                offset_scaled_log_variance: u16::try_from(cfg.global_int("offsetScaledLogVariance")).unwrap_or(0xffff),
            },
            two_step: cfg.global_int("twoStepFlag") != 0,
            slave_only: cfg.global_int("clientOnly") != 0,
            free_running: cfg.global_int("free_running") != 0,
            utc_offset: i16::try_from(cfg.global_int("utc_offset")).unwrap_or(37),
            kernel_leap: cfg.global_int("kernel_leap") != 0,
            time_source: TimeSource(clamp_u8(cfg.global_int("timeSource"))),
            max_steps_removed: clamp_u8(cfg.global_int("maxStepsRemoved")),
            dataset_comparison: cfg.global_enum(),
            local_priority: clamp_u8(cfg.global_int("G.8275.defaultDS.localPriority")),
            summary_interval: clamp_i8(cfg.global_int("summary_interval")),
            time_stamping: cfg.global_enum(),
            ptp_minor_version: clamp_u8(cfg.global_int("ptp_minor_version")),
            ignore_transport_specific: cfg.global_int("ignore_transport_specific") != 0,
        }
    }
}

impl PortConfig {
    /// `time_stamping p2p1step` (a global key): Pdelay_Req is answered with a one-step
    /// Pdelay_Resp, whose turnaround time the NIC computes in the correctionField (see
    /// [`crate::transmit::Transmit::one_step`]), and a Pdelay_Req without receive timestamp
    /// is accepted.
    pub fn p2p_one_step(&self) -> bool {
        self.time_stamping == TimeStamping::P2p1Step
    }

    pub fn from_config(cfg: &Config, port: &str) -> Self {
        let fri = cfg.port_int(port, "fault_reset_interval");
        PortConfig {
            name: port.to_owned(),
            log_announce_interval: clamp_i8(cfg.port_int(port, "logAnnounceInterval")),
            log_sync_interval: clamp_i8(cfg.port_int(port, "logSyncInterval")),
            log_min_delay_req_interval: clamp_i8(cfg.port_int(port, "logMinDelayReqInterval")),
            log_min_pdelay_req_interval: clamp_i8(cfg.port_int(port, "logMinPdelayReqInterval")),
            announce_receipt_timeout: clamp_u8(cfg.port_int(port, "announceReceiptTimeout")),
            sync_receipt_timeout: clamp_u8(cfg.port_int(port, "syncReceiptTimeout")),
            delay_mechanism: cfg.port_enum(port),
            delay_asymmetry: i64::from(cfg.port_int(port, "delayAsymmetry")),
            master_only: cfg.port_int(port, "serverOnly") != 0,
            bmca: cfg.port_enum(port),
            fault_reset_interval: (fri != ptp_config::table::FRI_ASAP).then(|| clamp_i8(fri)),
            delay_filter_length: usize::try_from(cfg.port_int(port, "delay_filter_length")).unwrap_or(10).max(1),
            neighbor_prop_delay_thresh: u32::try_from(cfg.port_int(port, "neighborPropDelayThresh")).unwrap_or(0),
            min_neighbor_prop_delay: cfg.port_int(port, "min_neighbor_prop_delay"),
            hybrid_e2e: cfg.port_int(port, "hybrid_e2e") != 0,
            transport_specific: clamp_u8(cfg.port_int(port, "transportSpecific")),
            freq_est_interval: cfg.global_int("freq_est_interval"),
            jbod: cfg.port_int(port, "boundary_clock_jbod") != 0,
            ingress_latency: i64::from(cfg.port_int(port, "ingressLatency")),
            egress_latency: i64::from(cfg.port_int(port, "egressLatency")),
            time_stamping: cfg.global_enum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_key_exists_in_linuxptps_table() {
        for k in ENGINE_KEYS {
            assert!(ptp_config::table::option(k).is_some() || *k == "slaveOnly" || *k == "masterOnly", "{k}");
        }
    }

    #[test]
    fn a_feature_not_built_yet_is_refused_by_name() {
        let cfg =
            Config::parse("[global]\npriority1 100\nunicast_listen 1\n[eth0]\nfollow_up_info 1\n", "t.cfg").unwrap();
        let bad = unsupported_settings(&cfg, &[]);
        let keys: Vec<&str> = bad.iter().map(|u| u.key).collect();
        assert!(keys.contains(&"unicast_listen") && keys.contains(&"follow_up_info"), "{keys:?}");
        assert!(!keys.contains(&"priority1"));
        let text = bad.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        assert!(text.contains("option unicast_listen is set to 1 in section [global]"), "{text}");
        assert!(text.contains("option follow_up_info is set to 1 in section [eth0]"), "{text}");
        // Defaults are never refused.
        let mut plain = Config::new();
        plain.add_interface("eth0");
        assert!(unsupported_settings(&plain, &[]).is_empty());
    }

    #[test]
    fn defaults_match_linuxptp() {
        let mut cfg = Config::new();
        cfg.add_interface("eth0");
        let c = ClockConfig::from_config(&cfg, ClockIdentity::default());
        assert_eq!((c.priority1, c.priority2, c.domain_number), (128, 128, 0));
        assert_eq!(c.clock_quality.clock_class, 248);
        assert_eq!(c.clock_quality.clock_accuracy, ClockAccuracy::UNKNOWN);
        assert_eq!(c.clock_quality.offset_scaled_log_variance, 0xffff);
        assert!(c.two_step && !c.slave_only && !c.free_running);
        assert!(c.kernel_leap);
        assert_eq!(c.utc_offset, 37);
        let p = PortConfig::from_config(&cfg, "eth0");
        assert_eq!((p.log_announce_interval, p.log_sync_interval, p.log_min_delay_req_interval), (1, 0, 0));
        assert_eq!(p.announce_receipt_timeout, 3);
        assert_eq!(p.delay_mechanism, DelayMechanism::E2E);
        assert_eq!(p.fault_reset_interval, Some(4));
        assert_eq!((p.ingress_latency, p.egress_latency, p.p2p_one_step()), (0, 0, false));
    }

    #[test]
    fn latencies_are_per_port_and_p2p1step_is_global() {
        let cfg = Config::parse(
            "[global]\ntime_stamping p2p1step\negressLatency 7\n[eth0]\ningressLatency -3\n[eth1]\n",
            "t.cfg",
        )
        .unwrap();
        let p = PortConfig::from_config(&cfg, "eth0");
        assert_eq!((p.ingress_latency, p.egress_latency, p.p2p_one_step()), (-3, 7, true));
        let p = PortConfig::from_config(&cfg, "eth1");
        assert_eq!((p.ingress_latency, p.egress_latency, p.p2p_one_step()), (0, 7, true));
        assert!(unsupported_settings(&cfg, &["time_stamping"]).is_empty());
    }
}
