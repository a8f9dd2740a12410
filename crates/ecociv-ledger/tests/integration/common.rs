use ecociv_core::{Assessment, Framework, Observation, Zone};
use ecociv_ledger::{Derivation, Kind, Ledger, Role, read_csv};

pub fn framework() -> Framework {
    ecociv_data::bundled::framework("national-2021").expect("bundled framework")
}

pub fn kind(framework: &Framework, id: &str) -> Kind {
    ecociv_ledger::bundled::kinds(framework)
        .expect("bundled kinds")
        .into_iter()
        .find(|k| k.id == id)
        .unwrap_or_else(|| panic!("no bundled kind {id}"))
}

pub fn ledger(kind: &Kind, csv: &str) -> Ledger {
    let revisions = read_csv("test.csv", csv.as_bytes(), kind).unwrap_or_else(|e| panic!("{e}"));
    Ledger::build(kind, revisions).unwrap_or_else(|e| panic!("{e}"))
}

/// The derivation of `row` (its first feed of `role`) for `year`.
pub fn derived(framework: &Framework, kind: &Kind, ledger: &Ledger, row: &str, year: i32) -> Derivation {
    let feed = kind
        .feeds
        .iter()
        .find(|f| f.row == row)
        .unwrap_or_else(|| panic!("{} has no feed of row {row}", kind.id));
    ecociv_ledger::derive(framework, kind, feed, ledger, year).unwrap_or_else(|n| panic!("{}", n.reason_zh))
}

/// The example zone with the plan's values plus the given observations, assessed for `year`.
pub fn assess_with(framework: &Framework, observations: Vec<Observation>, year: i32) -> Assessment {
    let loaded = ecociv_data::load_zone("450202").expect("bundled zone");
    let mut zone: Zone = loaded.zone;
    zone.observations.extend(observations);
    ecociv_core::assess(framework, &zone, year)
}

pub fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "derived {actual}, worked by hand {expected}"
    );
}

pub fn value_feed(d: &Derivation) -> Observation {
    assert_eq!(d.role, Role::Value, "row {} is fed as a value", d.row);
    d.observation()
}
