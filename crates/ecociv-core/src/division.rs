//! The administrative hierarchy (行政区划): units keyed by their GB/T 2260 codes (行政区划代码), province →
//! city → county, with names and validity dates, because codes change (横县 450127 became 横州市 450181).
//!
//! Pure: the units are handed in (`ecociv_data::division` reads them from `data/divisions/`), and every
//! question — "is X under Y", a unit's parents, its children, the units in force on a day — is answered from
//! them. Roles granted at a city or province (`ecociv-server`'s policy) and the roll-up of zones
//! (`ecociv_progress::rollup`) ask this module.

use std::collections::BTreeMap;
use std::fmt;

/// A unit's level (级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 省级: province, autonomous region, municipality.
    Province,
    /// 地级: prefecture-level city, prefecture, league.
    Prefecture,
    /// 县级: county, district, county-level city, banner — the level of a demonstration zone.
    County,
}

impl Level {
    /// The Chinese name as the data files write it.
    pub fn zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::Prefecture => "地级",
            Level::County => "县级",
        }
    }

    /// Reads a level's Chinese name (also the `地级市` some zone files write).
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim() {
            "省级" => Some(Level::Province),
            "地级" | "地级市" | "市级" => Some(Level::Prefecture),
            "县级" => Some(Level::County),
            _ => None,
        }
    }
}

/// A calendar day, for validity dates. Ordered; checked by whoever builds it (the data reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An administrative unit (行政区划单位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The six-digit code (GB/T 2260).
    pub code: String,
    pub name: String,
    pub level: Level,
    /// The unit it belongs to; `None` for a province.
    pub parent: Option<String>,
    /// In force from this day; `None`: in force in every source.
    pub valid_from: Option<Day>,
    /// No longer in force on this day; `None`: still in force.
    pub valid_to: Option<Day>,
    /// What the sources do not establish (Chinese), if anything.
    pub doubt: Option<String>,
}

impl Unit {
    /// Whether the unit is in force on a day (`valid_from ≤ day < valid_to`).
    pub fn in_force_on(&self, day: Day) -> bool {
        self.valid_from.is_none_or(|from| from <= day) && self.valid_to.is_none_or(|to| day < to)
    }
}

/// Why a set of units is not a hierarchy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HierarchyProblem {
    /// The code is not six digits.
    BadCode { code: String },
    /// Two units with one code.
    Duplicate { code: String },
    /// A parent code that names no unit.
    UnknownParent { code: String, parent: String },
    /// A parent that is not a level above (a county under a county, a province with a parent…).
    LevelOrder { code: String, parent: Option<String> },
    /// `valid_to` not after `valid_from`.
    EmptyValidity { code: String },
}

impl fmt::Display for HierarchyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HierarchyProblem::BadCode { code } => {
                write!(f, "代码“{code}”不是六位数字 (a division code is six digits)")
            }
            HierarchyProblem::Duplicate { code } => write!(f, "代码 {code} 重复 (duplicate code)"),
            HierarchyProblem::UnknownParent { code, parent } => {
                write!(f, "{code} 的上级 {parent} 不存在 (unknown parent)")
            }
            HierarchyProblem::LevelOrder { code, parent } => match parent {
                Some(parent) => write!(
                    f,
                    "{code} 的上级 {parent} 不是更高一级 (the parent must be one level up the hierarchy)"
                ),
                None => write!(f, "{code} 不是省级却没有上级 (only a province has no parent)"),
            },
            HierarchyProblem::EmptyValidity { code } => {
                write!(f, "{code} 的 valid_to 不晚于 valid_from (empty validity)")
            }
        }
    }
}

/// The hierarchy: units by code, checked (six-digit codes, one unit per code, each parent a known unit one
/// level or more above, non-empty validity).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hierarchy {
    units: BTreeMap<String, Unit>,
    children: BTreeMap<String, Vec<String>>,
}

/// Whether a text is a six-digit division code.
pub fn is_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|byte| byte.is_ascii_digit())
}

impl Hierarchy {
    /// Builds the hierarchy; every problem found is returned, the units in input order.
    pub fn new(units: impl IntoIterator<Item = Unit>) -> Result<Hierarchy, Vec<HierarchyProblem>> {
        let mut problems = Vec::new();
        let mut map: BTreeMap<String, Unit> = BTreeMap::new();
        let mut order = Vec::new();
        for unit in units {
            if !is_code(&unit.code) {
                problems.push(HierarchyProblem::BadCode { code: unit.code });
                continue;
            }
            if let (Some(from), Some(to)) = (unit.valid_from, unit.valid_to)
                && to <= from
            {
                problems.push(HierarchyProblem::EmptyValidity {
                    code: unit.code.clone(),
                });
            }
            if map.contains_key(&unit.code) {
                problems.push(HierarchyProblem::Duplicate { code: unit.code });
                continue;
            }
            order.push(unit.code.clone());
            map.insert(unit.code.clone(), unit);
        }
        let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for code in &order {
            let unit = &map[code];
            match &unit.parent {
                None if unit.level != Level::Province => problems.push(HierarchyProblem::LevelOrder {
                    code: code.clone(),
                    parent: None,
                }),
                None => {}
                Some(parent) => match map.get(parent) {
                    None => problems.push(HierarchyProblem::UnknownParent {
                        code: code.clone(),
                        parent: parent.clone(),
                    }),
                    Some(up) if up.level >= unit.level => problems.push(HierarchyProblem::LevelOrder {
                        code: code.clone(),
                        parent: Some(parent.clone()),
                    }),
                    Some(_) => children.entry(parent.clone()).or_default().push(code.clone()),
                },
            }
        }
        if problems.is_empty() {
            Ok(Hierarchy { units: map, children })
        } else {
            Err(problems)
        }
    }

    /// A unit by code.
    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.units.get(code)
    }

    /// Every unit, by code.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    /// The number of units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether the hierarchy holds no unit.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The unit a unit belongs to.
    pub fn parent(&self, code: &str) -> Option<&Unit> {
        self.units.get(code)?.parent.as_deref().and_then(|p| self.units.get(p))
    }

    /// The units above a unit, nearest first (a county: its city, then its province). Empty for an unknown
    /// code.
    pub fn ancestors(&self, code: &str) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut current = self.parent(code);
        while let Some(unit) = current {
            out.push(unit);
            current = self.parent(&unit.code);
        }
        out
    }

    /// The units directly under a unit, by code (whatever their validity).
    pub fn children(&self, code: &str) -> Vec<&Unit> {
        self.children
            .get(code)
            .map(|codes| codes.iter().filter_map(|c| self.units.get(c)).collect())
            .unwrap_or_default()
    }

    /// Every unit below a unit (children, their children …), ordered by code.
    pub fn descendants(&self, code: &str) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut stack: Vec<&str> = vec![code];
        while let Some(current) = stack.pop() {
            for unit in self.children(current) {
                out.push(unit);
                stack.push(&unit.code);
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }

    /// Whether `code` is strictly below `above` (a county under its city and its province). A unit is not
    /// under itself; unknown codes are under nothing.
    pub fn is_under(&self, code: &str, above: &str) -> bool {
        self.ancestors(code).iter().any(|unit| unit.code == above)
    }

    /// Whether `code` is `scope` itself or below it: what a role granted at `scope` reaches.
    pub fn is_within(&self, code: &str, scope: &str) -> bool {
        (code == scope && self.units.contains_key(code)) || self.is_under(code, scope)
    }

    /// The county-level units below (or at) a scope that are in force on a day: the zones a city or province
    /// is responsible for.
    pub fn counties_within(&self, scope: &str, day: Day) -> Vec<&Unit> {
        let mut out: Vec<&Unit> = self
            .unit(scope)
            .into_iter()
            .chain(self.descendants(scope))
            .filter(|unit| unit.level == Level::County && unit.in_force_on(day))
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, level: Level, parent: Option<&str>) -> Unit {
        Unit {
            code: code.into(),
            name: format!("U{code}"),
            level,
            parent: parent.map(str::to_string),
            valid_from: None,
            valid_to: None,
            doubt: None,
        }
    }

    #[test]
    fn levels_order_and_refusals_are_all_reported() {
        let problems = Hierarchy::new([
            unit("450000", Level::Province, None),
            unit("450200", Level::Prefecture, Some("450000")),
            unit("450202", Level::County, Some("450202x")),
            unit("45020", Level::County, Some("450200")),
            unit("450203", Level::County, Some("450204")),
            unit("450204", Level::County, Some("450200")),
            unit("450200", Level::Prefecture, Some("450000")),
            unit("450300", Level::Prefecture, None),
        ])
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                HierarchyProblem::BadCode { code: "45020".into() },
                HierarchyProblem::Duplicate { code: "450200".into() },
                HierarchyProblem::UnknownParent {
                    code: "450202".into(),
                    parent: "450202x".into()
                },
                HierarchyProblem::LevelOrder {
                    code: "450203".into(),
                    parent: Some("450204".into())
                },
                HierarchyProblem::LevelOrder {
                    code: "450300".into(),
                    parent: None
                },
            ]
        );
    }

    #[test]
    fn under_within_and_validity() {
        let mut old = unit("450127", Level::County, Some("450100"));
        old.valid_to = Some(Day {
            year: 2023,
            month: 6,
            day: 30,
        });
        let h = Hierarchy::new([
            unit("450000", Level::Province, None),
            unit("450100", Level::Prefecture, Some("450000")),
            unit("450200", Level::Prefecture, Some("450000")),
            unit("450202", Level::County, Some("450200")),
            old,
        ])
        .unwrap();
        assert!(h.is_under("450202", "450200") && h.is_under("450202", "450000"));
        assert!(!h.is_under("450202", "450100") && !h.is_under("450202", "450202"));
        assert!(h.is_within("450202", "450202") && !h.is_within("999999", "999999"));
        let before = Day {
            year: 2022,
            month: 1,
            day: 1,
        };
        let after = Day {
            year: 2023,
            month: 6,
            day: 30,
        };
        let codes = |day| -> Vec<String> {
            h.counties_within("450000", day)
                .iter()
                .map(|u| u.code.clone())
                .collect()
        };
        assert_eq!(codes(before), vec!["450127", "450202"]);
        assert_eq!(codes(after), vec!["450202"]);
        assert_eq!(
            h.descendants("450000")
                .iter()
                .map(|u| u.code.as_str())
                .collect::<Vec<_>>(),
            vec!["450100", "450127", "450200", "450202"]
        );
    }
}
