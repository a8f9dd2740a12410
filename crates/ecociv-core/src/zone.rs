//! A zone (示范区创建地区): a county-level unit with its profile, its plan and its values on record.

use std::collections::BTreeMap;

use crate::value::{Observation, Value};

/// A zone's profile: who it is and what kind of place it is. The attributes (`level`, `climate`,
/// `terrain`) select the regional variants of the framework.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneProfile {
    /// The administrative division code (行政区划代码), e.g. `450202`.
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// The parent units, outermost first: province, city.
    pub parents: Vec<ParentUnit>,
    /// `level` (县级 / 市级), `climate` (湿润 …), `terrain` (丘陵 …).
    pub attributes: BTreeMap<String, String>,
}

/// A parent administrative unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ParentUnit {
    pub code: String,
    pub name: String,
    pub level: String,
}

/// A zone's plan (规划): the framework it is judged by, its base year, its targets and who leads each row.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub title: String,
    pub framework: String,
    pub base_year: i32,
    /// Targets (目标值) by row id, then by target year.
    pub targets: BTreeMap<String, BTreeMap<i32, Target>>,
    /// Lead departments (牵头部门) by row id.
    pub lead_departments: BTreeMap<String, Vec<String>>,
    /// Key projects (重点工程), Table 4-1.
    pub projects: Vec<Project>,
}

/// A plan target as the table states it, with its meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The text as printed, e.g. `≥ 22`, `62`, `持续实施`, `不低于现状值`.
    pub text: String,
    pub kind: TargetKind,
}

/// What a target text means.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetKind {
    /// A figure to reach in the row's direction (`62`, `≥ 22`, `100`).
    Value(f64),
    /// A state from the row's vocabulary (`持续实施`, `完善`, `无劣V类水体`).
    State(String),
    /// Not below the base-year value (不低于现状值).
    NotBelowBase,
    /// The same wording as the standard's criterion (完成上级规定的考核任务, 保持稳定或持续改善, …): the
    /// target restates the standard.
    RestatesStandard,
    /// A description of work to do, not comparable with the standard.
    Describes,
}

/// A key project category of Table 4-1 (重点工程项目投资估算).
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub number: u32,
    /// The category (生态制度, 生态安全, …).
    pub category: String,
    pub content: String,
    pub count: u32,
    /// Investment in 万元 (10⁴ yuan).
    pub investment_wan_yuan: f64,
}

/// A zone with everything on record.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub profile: ZoneProfile,
    pub plan: Plan,
    pub observations: Vec<Observation>,
}

impl Zone {
    /// The observation of a row in a year, if any. Later entries override earlier ones, so callers can
    /// append overrides (a values file, computed figures) to the list.
    pub fn observation(&self, row: &str, year: i32) -> Option<&Observation> {
        self.observations
            .iter()
            .rev()
            .find(|obs| obs.row == row && obs.year == year)
    }

    /// The latest observation of a row strictly before `year` whose value `accept`s, among the values in
    /// force for their year.
    pub fn latest_earlier(&self, row: &str, year: i32, accept: impl Fn(&Value) -> bool) -> Option<&Observation> {
        let mut best: Option<&Observation> = None;
        for obs in self.observations.iter().rev() {
            if obs.row != row || obs.year >= year || !accept(&obs.value) {
                continue;
            }
            if !self
                .observation(row, obs.year)
                .is_some_and(|current| std::ptr::eq(current, obs))
            {
                continue;
            }
            if best.is_none_or(|current| obs.year > current.year) {
                best = Some(obs);
            }
        }
        best
    }

    /// Appends observations that override what is on record for the same (row, year).
    pub fn override_with(&mut self, observations: impl IntoIterator<Item = Observation>) {
        self.observations.extend(observations);
    }

    /// The years that have at least one observation.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.observations.iter().map(|obs| obs.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }
}

/// The attributes that make zones of the same kind (同类区域, issue 15): level, climate and terrain — the
/// attributes the framework's regional variants are chosen by.
pub const KIND_ATTRIBUTES: [&str; 3] = ["level", "climate", "terrain"];

/// The zone's kind: its values of [`KIND_ATTRIBUTES`] in that order (absent ones left out).
pub fn kind(attributes: &BTreeMap<String, String>) -> Vec<(&'static str, &str)> {
    KIND_ATTRIBUTES
        .iter()
        .filter_map(|key| attributes.get(*key).map(|value| (*key, value.as_str())))
        .collect()
}

/// Whether two zones are of the same kind: equal on each of [`KIND_ATTRIBUTES`] (an attribute one has and
/// the other lacks differs). A zone without any of them is of no kind and has no peers.
pub fn same_kind(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> bool {
    let kind_a = kind(a);
    !kind_a.is_empty() && kind_a == kind(b)
}

#[cfg(test)]
mod kind_tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn same_kind_compares_level_climate_and_terrain_only() {
        let a = attrs(&[
            ("level", "县级"),
            ("climate", "湿润"),
            ("terrain", "丘陵"),
            ("other", "x"),
        ]);
        assert!(same_kind(
            &a,
            &attrs(&[("level", "县级"), ("climate", "湿润"), ("terrain", "丘陵")])
        ));
        assert!(!same_kind(
            &a,
            &attrs(&[("level", "县级"), ("climate", "湿润"), ("terrain", "平原")])
        ));
        assert!(
            !same_kind(&a, &attrs(&[("level", "县级"), ("climate", "湿润")])),
            "a missing attribute differs"
        );
        assert!(!same_kind(&attrs(&[]), &attrs(&[])), "no kind, no peers");
    }
}
