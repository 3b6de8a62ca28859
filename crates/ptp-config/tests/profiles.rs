//! Every linuxptp profile in `shared/configs/` parses, and yields exactly the values its lines
//! set: global values, per-port values, interface order and unicast master tables. The files
//! are read a second time here with a deliberately simple reader of our own, independent of
//! the crate's parser, and the two are compared key by key.

mod common;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use ptp_config::table::{self, Kind};
use ptp_config::{Config, Program, UnicastAddress, Value};

/// The SA file is not a main config file (it is read through `sa_file`, config-format.md §6).
const NOT_A_MAIN_CONFIG: &[&str] = &["sa.cfg"];

#[derive(Debug, Default)]
struct ExpectedTable {
    id: i32,
    lqi: i8,
    peer: Option<String>,
    entries: Vec<UnicastAddress>,
}

#[derive(Debug, Default)]
struct Expected {
    /// (section, key) -> value text; section "" = [global].
    settings: BTreeMap<(String, String), String>,
    ports: Vec<String>,
    tables: Vec<ExpectedTable>,
}

fn mac(s: &str) -> [u8; 6] {
    let v: Vec<u8> = s.split(':').map(|p| u8::from_str_radix(p, 16).unwrap()).collect();
    v.try_into().unwrap()
}

fn read_expected(text: &str) -> Expected {
    let mut exp = Expected::default();
    let mut section: Option<String> = None;
    let mut in_table = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.eq_ignore_ascii_case("[global]") {
            section = Some(String::new());
            in_table = false;
            continue;
        }
        if line.eq_ignore_ascii_case("[unicast_master_table]") {
            in_table = true;
            continue;
        }
        if let Some(name) = line.strip_prefix('[') {
            let name = name.trim_end_matches(']').trim().to_owned();
            if !exp.ports.contains(&name) {
                exp.ports.push(name.clone());
            }
            section = Some(name);
            in_table = false;
            continue;
        }
        let (key, value) = line.split_once(|c: char| c.is_whitespace()).expect("key value");
        let value = value.trim();
        if in_table {
            match key {
                "table_id" => exp.tables.push(ExpectedTable { id: value.parse().unwrap(), ..Default::default() }),
                "logQueryInterval" => exp.tables.last_mut().unwrap().lqi = value.parse().unwrap(),
                "peer_address" => exp.tables.last_mut().unwrap().peer = Some(value.to_owned()),
                "UDPv4" => exp
                    .tables
                    .last_mut()
                    .unwrap()
                    .entries
                    .push(UnicastAddress::UdpV4(value.parse::<Ipv4Addr>().unwrap())),
                "UDPv6" => exp
                    .tables
                    .last_mut()
                    .unwrap()
                    .entries
                    .push(UnicastAddress::UdpV6(value.parse::<Ipv6Addr>().unwrap())),
                "L2" => exp.tables.last_mut().unwrap().entries.push(UnicastAddress::L2(mac(value))),
                other => panic!("unexpected table line {other}"),
            }
            continue;
        }
        let section = section.clone().expect("setting outside a section");
        exp.settings.insert((section, key.to_owned()), value.to_owned());
    }
    exp
}

fn expected_value(key: &str, text: &str) -> Value {
    let def = table::option(key).unwrap_or_else(|| panic!("{key} not in the table"));
    match def.kind {
        Kind::Int { .. } => Value::Int(i32::try_from(common::c_int(text)).unwrap()),
        Kind::Uint { .. } => Value::Uint(u32::try_from(common::c_int(text)).unwrap()),
        Kind::Double { .. } => Value::Double(text.parse().unwrap()),
        Kind::Enum { words, .. } => {
            Value::Enum(words.iter().find(|(w, _)| w.eq_ignore_ascii_case(text)).unwrap_or_else(|| panic!("{text}")).1)
        }
        Kind::String { .. } => Value::Str(Some(text.to_owned())),
    }
}

fn check_profile(name: &str, text: &str) -> Config {
    let cfg = Config::parse(text, name).unwrap_or_else(|e| panic!("{name}: {}", e.stderr_text(Program::Ptp4l)));
    let exp = read_expected(text);

    let ports: Vec<&str> = cfg.interfaces().iter().map(|i| i.name()).collect();
    assert_eq!(ports, exp.ports, "{name}: interfaces");

    for ((section, key), text) in &exp.settings {
        let key = table::deprecated_rename(key).unwrap_or(key);
        let want = expected_value(key, text);
        let got = if section.is_empty() { cfg.value(None, key) } else { cfg.interface(section).unwrap().get(key) };
        assert_eq!(got, Some(&want), "{name}: [{section}] {key} {text}");
    }
    // Nothing else changed: every global key not in the file is at its default, and each port
    // holds exactly the keys its sections set.
    for def in table::OPTIONS {
        if !exp.settings.contains_key(&(String::new(), def.name.to_owned())) {
            assert_eq!(cfg.value(None, def.name), Some(&def.default_value()), "{name}: {} changed", def.name);
        }
    }
    for iface in cfg.interfaces() {
        let keys: Vec<&str> = iface.settings().map(|(d, _)| d.name).collect();
        let mut want: Vec<&str> =
            exp.settings.keys().filter(|(s, _)| s == iface.name()).map(|(_, k)| k.as_str()).collect();
        want.sort_by_key(|k| table::OPTIONS.iter().position(|d| d.name == *k));
        assert_eq!(keys, want, "{name}: keys of [{}]", iface.name());
    }

    assert_eq!(cfg.unicast_master_tables().len(), exp.tables.len(), "{name}: tables");
    for (got, want) in cfg.unicast_master_tables().iter().zip(&exp.tables) {
        assert_eq!(got.table_id, want.id, "{name}");
        assert_eq!(got.log_query_interval, want.lqi, "{name}");
        assert_eq!(got.peer_address, want.peer, "{name}");
        assert_eq!(got.entries, want.entries, "{name}");
    }
    assert!(cfg.warnings().is_empty(), "{name}: {:?}", cfg.warnings());
    cfg
}

#[test]
fn every_profile_parses_and_yields_its_values() {
    let profiles = common::profiles();
    assert!(profiles.len() >= 20, "expected the linuxptp profiles, found {}", profiles.len());
    let mut checked = 0;
    for (name, text) in &profiles {
        if NOT_A_MAIN_CONFIG.contains(&name.as_str()) {
            continue;
        }
        check_profile(name, text);
        checked += 1;
    }
    assert_eq!(checked, profiles.len() - NOT_A_MAIN_CONFIG.len());
}

#[test]
fn profiles_also_parse_from_disk() {
    for (name, _) in common::profiles() {
        if NOT_A_MAIN_CONFIG.contains(&name.as_str()) {
            continue;
        }
        let path = common::shared_dir().join("configs").join(&name);
        let mut cfg = Config::new();
        cfg.read_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn spot_checks() {
    let get = |name: &str| {
        let (_, text) = common::profiles().into_iter().find(|(n, _)| n == name).unwrap();
        Config::parse(&text, name).unwrap()
    };
    use ptp_config::enums::*;

    let cfg = get("default.cfg");
    assert_eq!(cfg.global_int("clockAccuracy"), 0xFE);
    assert_eq!(cfg.global_int("offsetScaledLogVariance"), 0xFFFF);
    assert_eq!(cfg.global_int("uds_file_mode"), 0o660);
    assert_eq!(cfg.global_int("timeSource"), 0xA0);
    assert_eq!(cfg.global_str("userDescription"), Some(";"));
    assert_eq!(cfg.global_str("cmlds.client_address"), Some("/var/run/ptp/cmlds_client"));
    assert_eq!(cfg.global_double("first_step_threshold"), 0.00002);
    assert_eq!(cfg.global_enum::<ClockType>(), ClockType::OrdinaryClock);
    assert_eq!(cfg.global_int("power_profile.2011.grandmasterTimeInaccuracy"), -1);

    let cfg = get("automotive-slave.cfg");
    assert_eq!(cfg.global_int("transportSpecific"), 1);
    assert_eq!(cfg.port_enum::<AsCapable>("any"), AsCapable::True);
    assert_eq!(cfg.port_enum::<Bmca>("any"), Bmca::Noop);
    assert_eq!(cfg.global_double("step_threshold"), 1.0);

    let cfg = get("G.8275.1.cfg");
    assert_eq!(cfg.global_enum::<DatasetComparison>(), DatasetComparison::G8275x);
    assert_eq!(cfg.port_int("eth0", "logSyncInterval"), -4);
    assert_eq!(cfg.global_double("delay_request_variability"), 0.3);

    let cfg = get("CMLDS_client.cfg");
    assert_eq!(cfg.port_enum::<DelayMechanism>("eth1"), DelayMechanism::CommonP2P);
    assert_eq!(cfg.global_enum::<DelayMechanism>(), DelayMechanism::E2E);

    let cfg = get("authentication.cfg");
    assert_eq!(cfg.port_int("eth1", "spp"), 1);
    assert_eq!(cfg.port_uint("eth0", "active_key_id"), 3);
    assert_eq!(cfg.port_int("eth3", "spp"), 0, "eth3 keeps the global spp");
    assert_eq!(cfg.port_uint("eth3", "active_key_id"), 1);
    assert_eq!(cfg.global_str("sa_file"), Some("configs/sa.cfg"));
    let names: Vec<&str> = cfg.interfaces().iter().map(|i| i.name()).collect();
    assert_eq!(names, ["eth1", "eth0", "eth3"]);

    let cfg = get("UNICAST-SLAVE.cfg");
    assert_eq!(cfg.port_int("eth1", "unicast_master_table"), 2);
    assert_eq!(cfg.port_enum::<NetworkTransport>("eth1"), NetworkTransport::L2);
    assert_eq!(cfg.port_enum::<NetworkTransport>("eth0"), NetworkTransport::UdpV4);
    let t = cfg.unicast_master_table(3).unwrap();
    assert_eq!(t.peer_address.as_deref(), Some("192.168.4.44"));
    assert_eq!(t.log_query_interval, 2);
    assert_eq!(cfg.unicast_master_table(2).unwrap().entries, [UnicastAddress::L2([0, 0x11, 0x22, 0x33, 0x44, 0x55])]);

    let cfg = get("ts2phc-TC.cfg");
    assert_eq!(cfg.port_enum::<ExttsPolarity>("eth3"), ExttsPolarity::Both);
    assert_eq!(cfg.port_enum::<ExttsPolarity>("eth6"), ExttsPolarity::Rising);
    assert_eq!(cfg.port_int("eth6", "ts2phc.master"), 1);
    assert_eq!(cfg.global_int("ts2phc.pulsewidth"), 500_000_000);
}

/// sa.cfg is a security-association file; read as a main config, its `[security_association]`
/// header is an interface section and `allow_mutable` is not a key (config-format.md §2).
#[test]
fn sa_file_is_not_a_main_config() {
    let text = common::read_shared("configs/sa.cfg");
    let err = Config::parse(&text, "sa.cfg").unwrap_err();
    assert_eq!(
        err.parse_error().unwrap().to_string(),
        "unknown option allow_mutable at line 16 in security_association section"
    );
}
