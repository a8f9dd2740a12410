//! A zone (示范区创建地区): a county-level unit with its profile, its plan and its values on record.

use std::collections::BTreeMap;

use crate::framework::Framework;
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

impl Plan {
    /// The years the plan sets targets for (e.g. 2025, 2030), ascending, each once — the one answer every
    /// reader of "the plan's target years" takes (reports, progress, the early warning, the command line).
    pub fn target_years(&self) -> Vec<i32> {
        let years: std::collections::BTreeSet<i32> = self
            .targets
            .values()
            .flat_map(|by_year| by_year.keys().copied())
            .collect();
        years.into_iter().collect()
    }
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

/// The framework editions a zone is judged under (指标体系版本沿革, issue 15): the edition chosen at creation
/// and each newer one it adopted later, each from a year on. Years before an adoption stay judged under the
/// edition then in force; a later year under the newer one. The history only grows ([`Editions::adopt`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Editions {
    /// The edition in force for the latest years (new data, templates, the plan).
    pub current: String,
    /// The earlier editions, oldest first, each with the first year it no longer applies to (the year the
    /// next edition was adopted from); the years strictly increase.
    pub earlier: Vec<(String, i32)>,
}

/// Why an adoption is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdoptionProblem {
    /// The zone is already under that edition.
    SameEdition(String),
    /// The year is not after the year the current edition was adopted from.
    NotAfter { from_year: i32, current_since: i32 },
    /// The edition is older than the current one (by its edition year, [`Framework::edition_year`]).
    Older { edition: String, current_edition: String },
    /// An edition whose year cannot be read, so its order cannot be judged.
    Unordered { edition: String },
}

impl AdoptionProblem {
    /// The problem in Chinese, then English.
    pub fn message(&self) -> String {
        match self {
            AdoptionProblem::SameEdition(id) => {
                format!("区域已采用指标体系版本“{id}”，无需再次采用 (the zone is already under edition {id})")
            }
            AdoptionProblem::NotAfter {
                from_year,
                current_since,
            } => format!(
                "启用年份 {from_year} 年须晚于现行版本的启用年份 {current_since} 年，已有的年份不会改判 \
                 (the year adopted from must be after {current_since}, the year the current edition applies from)"
            ),
            AdoptionProblem::Older {
                edition,
                current_edition,
            } => format!(
                "所选版本（{edition}）早于现行版本（{current_edition}），只能采用同年或更新的版本 \
                 (edition {edition} is older than the current edition {current_edition})"
            ),
            AdoptionProblem::Unordered { edition } => format!(
                "版本“{edition}”不以年份开头，无法判断新旧，未采用 \
                 (the edition {edition} does not begin with a year, so its order cannot be judged)"
            ),
        }
    }
}

/// Whether `new` may replace `current` by edition order (newer, 新版): its edition year
/// ([`Framework::edition_year`]) is not before the current one's. Two sets of the same year (the national
/// set and a province's scored set built on it) are both allowed; an older edition is refused, and so is an
/// edition whose year cannot be read. The sameness of the two is [`Editions::adopt`]'s rule.
pub fn check_edition_order(current: &Framework, new: &Framework) -> Result<(), AdoptionProblem> {
    let (Some(current_year), Some(new_year)) = (current.edition_year(), new.edition_year()) else {
        let unreadable = if new.edition_year().is_none() { new } else { current };
        return Err(AdoptionProblem::Unordered {
            edition: unreadable.edition.clone(),
        });
    };
    if new_year < current_year {
        return Err(AdoptionProblem::Older {
            edition: new.edition.clone(),
            current_edition: current.edition.clone(),
        });
    }
    Ok(())
}

impl Editions {
    /// A zone under one edition since its creation.
    pub fn new(current: impl Into<String>) -> Editions {
        Editions {
            current: current.into(),
            earlier: Vec::new(),
        }
    }

    /// The edition a year is judged under.
    pub fn for_year(&self, year: i32) -> &str {
        self.earlier
            .iter()
            .find(|(_, until)| year < *until)
            .map_or(self.current.as_str(), |(id, _)| id.as_str())
    }

    /// The first year the current edition applies to (`None`: every year, never adopted).
    pub fn current_since(&self) -> Option<i32> {
        self.earlier.last().map(|(_, until)| *until)
    }

    /// Every period: (edition, first year or `None` for "from the start", last year or `None` for "on").
    pub fn periods(&self) -> Vec<(&str, Option<i32>, Option<i32>)> {
        let mut out = Vec::with_capacity(self.earlier.len() + 1);
        let mut from = None;
        for (id, until) in &self.earlier {
            out.push((id.as_str(), from, Some(until - 1)));
            from = Some(*until);
        }
        out.push((self.current.as_str(), from, None));
        out
    }

    /// The history after adopting `framework_id` from `from_year` on: the years before keep their
    /// edition. Refused for the edition already current and for a year not after the current edition's.
    pub fn adopt(&self, framework_id: &str, from_year: i32) -> Result<Editions, AdoptionProblem> {
        if framework_id == self.current {
            return Err(AdoptionProblem::SameEdition(framework_id.to_string()));
        }
        if let Some(current_since) = self.current_since()
            && from_year <= current_since
        {
            return Err(AdoptionProblem::NotAfter {
                from_year,
                current_since,
            });
        }
        let mut earlier = self.earlier.clone();
        earlier.push((self.current.clone(), from_year));
        Ok(Editions {
            current: framework_id.to_string(),
            earlier,
        })
    }
}

#[cfg(test)]
mod edition_tests {
    use super::*;

    fn edition(edition: &str) -> Framework {
        Framework {
            id: format!("set-{edition}"),
            name: String::new(),
            name_en: String::new(),
            edition: edition.into(),
            source: String::new(),
            domains: Vec::new(),
            tasks: Vec::new(),
            indicators: Vec::new(),
            designation: crate::framework::DesignationRule {
                all_binding_met: true,
                reference_min_share: 0.8,
                note: String::new(),
            },
            restating_phrases: Vec::new(),
            scoring: None,
        }
    }

    #[test]
    fn an_edition_is_adopted_only_if_it_is_not_older() {
        let (e2021, e2024) = (edition("2021"), edition("2024"));
        assert_eq!(check_edition_order(&e2021, &e2024), Ok(()));
        // The same year's other set (a province's scored set on the national one) may be adopted.
        assert_eq!(check_edition_order(&e2021, &edition("2021-示例评分")), Ok(()));
        let older = check_edition_order(&e2024, &e2021).unwrap_err();
        assert!(matches!(older, AdoptionProblem::Older { .. }));
        assert!(older.message().starts_with("所选版本（2021）早于现行版本（2024）"));
        assert!(matches!(
            check_edition_order(&e2021, &edition("修订版")),
            Err(AdoptionProblem::Unordered { .. })
        ));
        // Five digits are not a year.
        assert_eq!(edition("20215").edition_year(), None);
        assert_eq!(edition("2024年修订").edition_year(), Some(2024));
    }

    #[test]
    fn years_before_an_adoption_keep_their_edition() {
        let editions = Editions::new("national-2021");
        assert_eq!(editions.for_year(2020), "national-2021");
        let adopted = editions.adopt("scored", 2025).unwrap();
        assert_eq!(adopted.for_year(2024), "national-2021");
        assert_eq!(adopted.for_year(2025), "scored");
        assert_eq!(adopted.for_year(2030), "scored");
        let again = adopted.adopt("national-2024", 2027).unwrap();
        assert_eq!(again.for_year(2024), "national-2021");
        assert_eq!(again.for_year(2026), "scored");
        assert_eq!(again.for_year(2027), "national-2024");
        assert_eq!(
            again.periods(),
            vec![
                ("national-2021", None, Some(2024)),
                ("scored", Some(2025), Some(2026)),
                ("national-2024", Some(2027), None)
            ]
        );
    }

    #[test]
    fn an_adoption_never_rewrites_an_earlier_period() {
        let adopted = Editions::new("a").adopt("b", 2025).unwrap();
        assert_eq!(
            adopted.adopt("c", 2025),
            Err(AdoptionProblem::NotAfter {
                from_year: 2025,
                current_since: 2025
            })
        );
        assert!(adopted.adopt("c", 2023).unwrap_err().message().contains("2025"));
        assert_eq!(adopted.adopt("b", 2026), Err(AdoptionProblem::SameEdition("b".into())));
    }
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
