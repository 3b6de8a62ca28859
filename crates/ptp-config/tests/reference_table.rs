//! Every row of `shared/reference/config-keys.tsv` against the option table: same keys in the
//! same order, same scope, type, default, range, enum words and numbers, `since`, `used_by`,
//! and every alias accepted.

mod common;

use ptp_config::table::{self, Kind, Scope, DEPRECATED, OPTIONS};
use ptp_config::{Config, Program, Value, Warning};

struct Row {
    key: String,
    scope: String,
    ty: String,
    default: String,
    min: String,
    max: String,
    enum_values: String,
    alias: String,
    since: String,
    used_by: String,
}

fn rows() -> Vec<Row> {
    let text = common::read_shared("reference/config-keys.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(
        header[..11],
        [
            "key",
            "scope",
            "type",
            "default",
            "min",
            "max",
            "enum_values",
            "alias",
            "since",
            "changed_vs_3.1.1",
            "used_by"
        ]
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 11, "short row: {l}");
            Row {
                key: f[0].into(),
                scope: f[1].into(),
                ty: f[2].into(),
                default: f[3].into(),
                min: f[4].into(),
                max: f[5].into(),
                enum_values: f[6].into(),
                alias: f[7].into(),
                since: f[8].into(),
                used_by: f[10].into(),
            }
        })
        .collect()
}

fn f64_of(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("bad double {s}"))
}

#[test]
fn same_keys_in_the_same_order() {
    let rows = rows();
    let tsv: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    let ours: Vec<&str> = OPTIONS.iter().map(|d| d.name).collect();
    for k in &tsv {
        assert!(ours.contains(k), "key {k} of config-keys.tsv missing from the table");
    }
    for k in &ours {
        assert!(tsv.contains(k), "key {k} of the table not in config-keys.tsv");
    }
    assert_eq!(ours, tsv, "table order differs from config_tab order");
    assert_eq!(OPTIONS.len(), 152);
}

#[test]
fn every_row_matches() {
    for row in rows() {
        let key = row.key.as_str();
        let def = table::option(key).unwrap_or_else(|| panic!("{key} missing"));
        let scope = match row.scope.as_str() {
            "global" => Scope::Global,
            "port" => Scope::Port,
            s => panic!("{key}: unknown scope {s}"),
        };
        assert_eq!(def.scope, scope, "{key}: scope");
        assert_eq!(def.kind.type_name(), row.ty, "{key}: type");
        assert_eq!(def.since, row.since, "{key}: since");
        match def.kind {
            Kind::Int { default, min, max } => {
                assert_eq!(i64::from(default), row.default.parse::<i64>().unwrap(), "{key}: default");
                assert_eq!(i64::from(min), row.min.parse::<i64>().unwrap(), "{key}: min");
                assert_eq!(i64::from(max), row.max.parse::<i64>().unwrap(), "{key}: max");
            }
            Kind::Uint { default, min, max } => {
                assert_eq!(u64::from(default), row.default.parse::<u64>().unwrap(), "{key}: default");
                assert_eq!(u64::from(min), row.min.parse::<u64>().unwrap(), "{key}: min");
                assert_eq!(u64::from(max), row.max.parse::<u64>().unwrap(), "{key}: max");
            }
            Kind::Double { default, min, max } => {
                assert_eq!(default.to_bits(), f64_of(&row.default).to_bits(), "{key}: default");
                assert_eq!(min.to_bits(), f64_of(&row.min).to_bits(), "{key}: min");
                assert_eq!(max.to_bits(), f64_of(&row.max).to_bits(), "{key}: max");
            }
            Kind::Enum { default, words } => {
                let expected: Vec<(String, i32)> = row
                    .enum_values
                    .split(',')
                    .map(|p| {
                        let (w, v) = p.split_once('=').unwrap();
                        (w.to_owned(), v.parse().unwrap())
                    })
                    .collect();
                let ours: Vec<(String, i32)> = words.iter().map(|(w, v)| ((*w).to_owned(), *v)).collect();
                assert_eq!(ours, expected, "{key}: enum words");
                let default_word = def.enum_word(default).unwrap();
                assert_eq!(default_word, row.default, "{key}: default");
                assert!(row.min.is_empty() && row.max.is_empty());
            }
            Kind::String { default } => {
                let expected = match row.default.as_str() {
                    "<unset>" => None,
                    "<empty>" => Some(""),
                    s => Some(s),
                };
                assert_eq!(default, expected, "{key}: default");
                assert!(row.min.is_empty() && row.max.is_empty());
            }
        }
        if def.kind.type_name() != "enum" {
            assert!(row.enum_values.is_empty(), "{key}: enum_values on a non-enum");
        }
        // used_by: the program names the cell mentions.
        let words: Vec<&str> = row.used_by.split([',', ' ', '(', ')']).filter(|w| !w.is_empty()).collect();
        for p in Program::ALL {
            assert_eq!(def.used_by(p), words.contains(&p.name()), "{key}: used_by {p}");
        }
        // The default value of a fresh Config is the table default.
        let cfg = Config::new();
        assert_eq!(cfg.value(None, key), Some(&def.default_value()), "{key}: Config default");
    }
}

#[test]
fn every_alias_is_known_and_accepted() {
    let mut seen = Vec::new();
    for row in rows().iter().filter(|r| !r.alias.is_empty()) {
        let key = row.key.as_str();
        let (old, new, in_table) = if let Some(old) = row.alias.strip_prefix("replaces ") {
            (old.to_owned(), key.to_owned(), true)
        } else if let Some(new) = row.alias.strip_prefix("deprecated alias of ") {
            (key.to_owned(), new.to_owned(), true)
        } else if let Some(old) = row.alias.strip_prefix("old name accepted in config files: ") {
            (old.to_owned(), key.to_owned(), false)
        } else {
            panic!("{key}: alias text not understood: {}", row.alias);
        };
        let d = DEPRECATED.iter().find(|d| d.old == old).unwrap_or_else(|| panic!("rename {old} missing"));
        assert_eq!((d.new, d.in_table), (new.as_str(), in_table), "{old}");
        assert_eq!(table::option(&old).is_some(), in_table, "{old}: in table");
        seen.push(old.clone());

        // Accepted in a file, stored under the new name, with the warning.
        let def = table::option(&new).unwrap();
        let (text, expected) = match def.kind {
            Kind::Int { .. } => ("1", Value::Int(1)),
            Kind::Double { .. } => ("0.5", Value::Double(0.5)),
            k => panic!("unexpected kind {k:?}"),
        };
        let section = if def.scope == Scope::Port { "[eth0]" } else { "[global]" };
        let cfg = Config::parse(&format!("{section}\n{old} {text}\n"), "alias.cfg").unwrap();
        let port = (def.scope == Scope::Port).then_some("eth0");
        assert_eq!(cfg.value(port, &new), Some(&expected), "{old} -> {new}");
        let old_static = d.old;
        assert_eq!(cfg.warnings(), &[Warning::Deprecated { old: old_static, new: d.new }]);
        assert_eq!(cfg.warnings()[0].to_string(), format!("option {old} is deprecated, please use {new} instead"));
    }
    seen.sort();
    seen.dedup();
    let mut all: Vec<&str> = DEPRECATED.iter().map(|d| d.old).collect();
    all.sort();
    assert_eq!(seen, all, "every rename is documented in config-keys.tsv");
}
