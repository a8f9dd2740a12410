//! A framework edition from its TOML file (format described at the top of
//! `data/frameworks/national-2021.toml`).

use std::collections::BTreeMap;

use ecociv_core::framework::{DesignationRule, Domain, StateDef, Task, Variant};
use ecociv_core::{Attribute, Criterion, Direction, Framework, Indicator, Row, StateVerdict};
use serde::Deserialize;

use crate::error::{DataError, toml_problem};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkFile {
    id: String,
    name: String,
    name_en: String,
    edition: String,
    source: String,
    #[serde(default)]
    restating_phrases: Vec<String>,
    designation: DesignationFile,
    /// Issue 15: a scored edition's rules.
    #[serde(default)]
    scoring: Option<ScoringFile>,
    domains: Vec<DomainFile>,
    tasks: Vec<TaskFile>,
    indicators: Vec<IndicatorFile>,
}

/// `[scoring]`: `pass_score`, `note`, and `[[scoring.items]]` with `row`, `points`, `partial` (`none` or
/// `linear` with `zero_at` and `full_at`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoringFile {
    pass_score: f64,
    note: String,
    items: Vec<ScoreItemFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreItemFile {
    row: String,
    points: f64,
    #[serde(default)]
    partial: Option<String>,
    #[serde(default)]
    zero_at: Option<f64>,
    #[serde(default)]
    full_at: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignationFile {
    all_binding_met: bool,
    reference_min_share: f64,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainFile {
    id: String,
    name: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFile {
    id: String,
    domain: String,
    name: String,
    name_en: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

/// An indicator: either its own row fields, or `rows`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    id: String,
    task: String,
    name: String,
    name_en: String,
    attribute: String,
    #[serde(default)]
    rows: Vec<RowFile>,
    unit: Option<String>,
    precision: Option<u8>,
    direction: Option<String>,
    range: Option<[f64; 2]>,
    #[serde(default)]
    spatial: bool,
    standard: Option<String>,
    criterion: Option<CriterionFile>,
    #[serde(default)]
    states: StatesFile,
    #[serde(default)]
    variants: Vec<VariantFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFile {
    id: String,
    name: String,
    name_en: String,
    unit: String,
    precision: Option<u8>,
    direction: String,
    range: Option<[f64; 2]>,
    #[serde(default)]
    spatial: bool,
    standard: Option<String>,
    criterion: Option<CriterionFile>,
    #[serde(default)]
    states: StatesFile,
    #[serde(default)]
    variants: Vec<VariantFile>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StatesFile {
    #[serde(default)]
    meets: Vec<String>,
    #[serde(default)]
    fails: Vec<String>,
    #[serde(default)]
    describes: Vec<String>,
    /// The figure a state stands for, e.g. { "无劣V类水体" = 0 }.
    #[serde(default)]
    values: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantFile {
    #[serde(default)]
    when: BTreeMap<String, String>,
    standard: String,
    criterion: CriterionFile,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum CriterionFile {
    States,
    StableOrImproving,
    Spatial,
    AtLeast(f64),
    AtMost(f64),
    Reach(f64),
    AssignedTask(String),
    RiseAtLeast(f64),
    AllOf(Vec<CriterionFile>),
    Conditional(Box<ConditionalFile>),
    Unknown(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionalFile {
    threshold: f64,
    at_or_below: CriterionFile,
    above: CriterionFile,
}

fn criterion(file: CriterionFile) -> Criterion {
    match file {
        CriterionFile::States => Criterion::States,
        CriterionFile::StableOrImproving => Criterion::StableOrImproving,
        CriterionFile::Spatial => Criterion::Spatial,
        CriterionFile::AtLeast(value) => Criterion::AtLeast(value),
        CriterionFile::AtMost(value) => Criterion::AtMost(value),
        CriterionFile::Reach(value) => Criterion::Reach(value),
        CriterionFile::AssignedTask(wording) => Criterion::AssignedTask { wording },
        CriterionFile::RiseAtLeast(value) => Criterion::RiseAtLeast(value),
        CriterionFile::AllOf(parts) => Criterion::AllOf(parts.into_iter().map(criterion).collect()),
        CriterionFile::Conditional(conditional) => {
            let ConditionalFile {
                threshold,
                at_or_below,
                above,
            } = *conditional;
            Criterion::Conditional {
                threshold,
                at_or_below: Box::new(criterion(at_or_below)),
                above: Box::new(criterion(above)),
            }
        }
        CriterionFile::Unknown(reason) => Criterion::Unknown { reason },
    }
}

/// The pieces of a row that a plain indicator and a sub-indicator share.
struct RowParts {
    id: String,
    name: String,
    name_en: String,
    unit: String,
    precision: Option<u8>,
    direction: String,
    range: Option<[f64; 2]>,
    spatial: bool,
    standard: Option<String>,
    criterion: Option<CriterionFile>,
    states: StatesFile,
    variants: Vec<VariantFile>,
}

fn row(parts: RowParts, problems: &mut Vec<String>) -> Row {
    let direction = match parts.direction.as_str() {
        "higher" => Direction::HigherIsBetter,
        "lower" => Direction::LowerIsBetter,
        "none" => Direction::NotApplicable,
        other => {
            problems.push(format!(
                "row {}: direction \"{other}\" must be higher, lower or none",
                parts.id
            ));
            Direction::NotApplicable
        }
    };
    let mut variants: Vec<Variant> = parts
        .variants
        .into_iter()
        .map(|variant| Variant {
            when: variant.when,
            standard: variant.standard,
            criterion: criterion(variant.criterion),
            note: variant.note,
        })
        .collect();
    match (parts.standard, parts.criterion) {
        (Some(standard), Some(file)) => {
            if !variants.is_empty() {
                problems.push(format!(
                    "row {}: give either standard+criterion or variants, not both",
                    parts.id
                ));
            }
            variants.push(Variant {
                when: BTreeMap::new(),
                standard,
                criterion: criterion(file),
                note: String::new(),
            });
        }
        (None, None) => {}
        _ => problems.push(format!("row {}: standard and criterion go together", parts.id)),
    }
    let mut states = Vec::new();
    let values = parts.states.values;
    for text in values.keys() {
        let declared = [&parts.states.meets, &parts.states.fails, &parts.states.describes]
            .iter()
            .any(|list| list.contains(text));
        if !declared {
            problems.push(format!(
                "row {}: states.values names “{text}”, which is not a listed state",
                parts.id
            ));
        }
    }
    for (texts, verdict) in [
        (parts.states.meets, StateVerdict::Meets),
        (parts.states.fails, StateVerdict::Fails),
        (parts.states.describes, StateVerdict::Describes),
    ] {
        states.extend(texts.into_iter().map(|text| {
            let equals = values.get(&text).copied();
            StateDef {
                text,
                aliases: Vec::new(),
                verdict,
                equals,
            }
        }));
    }
    Row {
        id: parts.id,
        name: parts.name,
        name_en: parts.name_en,
        unit: parts.unit,
        precision: parts.precision,
        direction,
        range: parts.range.map(|[low, high]| (low, high)),
        states,
        spatial: parts.spatial,
        variants,
    }
}

/// Reads a framework from its TOML text; `file` names it in errors.
pub fn parse_framework(file: &str, text: &str) -> Result<Framework, DataError> {
    let parsed: FrameworkFile = toml::from_str(text).map_err(|error| toml_problem(file, text, &error))?;
    let mut problems = Vec::new();
    let mut indicators = Vec::new();
    for indicator in parsed.indicators {
        let attribute = match indicator.attribute.as_str() {
            "binding" => Attribute::Binding,
            "reference" => Attribute::Reference,
            other => {
                problems.push(format!(
                    "indicator {}: attribute \"{other}\" must be binding or reference",
                    indicator.id
                ));
                Attribute::Reference
            }
        };
        let rows = if indicator.rows.is_empty() {
            let Some(unit) = indicator.unit else {
                problems.push(format!("indicator {}: has neither rows nor a unit", indicator.id));
                continue;
            };
            let Some(direction) = indicator.direction else {
                problems.push(format!(
                    "indicator {}: direction must be given explicitly",
                    indicator.id
                ));
                continue;
            };
            vec![row(
                RowParts {
                    id: indicator.id.clone(),
                    name: indicator.name.clone(),
                    name_en: indicator.name_en.clone(),
                    unit,
                    precision: indicator.precision,
                    direction,
                    range: indicator.range,
                    spatial: indicator.spatial,
                    standard: indicator.standard,
                    criterion: indicator.criterion,
                    states: indicator.states,
                    variants: indicator.variants,
                },
                &mut problems,
            )]
        } else {
            if indicator.unit.is_some() || indicator.criterion.is_some() || !indicator.variants.is_empty() {
                problems.push(format!(
                    "indicator {}: with rows, the row fields go on the rows",
                    indicator.id
                ));
            }
            indicator
                .rows
                .into_iter()
                .map(|file| {
                    row(
                        RowParts {
                            id: file.id,
                            name: file.name,
                            name_en: file.name_en,
                            unit: file.unit,
                            precision: file.precision,
                            direction: file.direction,
                            range: file.range,
                            spatial: file.spatial,
                            standard: file.standard,
                            criterion: file.criterion,
                            states: file.states,
                            variants: file.variants,
                        },
                        &mut problems,
                    )
                })
                .collect()
        };
        indicators.push(Indicator {
            id: indicator.id,
            task: indicator.task,
            name: indicator.name,
            name_en: indicator.name_en,
            attribute,
            rows,
        });
    }
    let framework = Framework {
        id: parsed.id,
        name: parsed.name,
        name_en: parsed.name_en,
        edition: parsed.edition,
        source: parsed.source,
        domains: parsed
            .domains
            .into_iter()
            .map(|domain| Domain {
                id: domain.id,
                name: domain.name,
                name_en: domain.name_en,
            })
            .collect(),
        tasks: parsed
            .tasks
            .into_iter()
            .map(|task| Task {
                id: task.id,
                domain: task.domain,
                name: task.name,
                name_en: task.name_en,
            })
            .collect(),
        indicators,
        designation: DesignationRule {
            all_binding_met: parsed.designation.all_binding_met,
            reference_min_share: parsed.designation.reference_min_share,
            note: parsed.designation.note,
        },
        restating_phrases: parsed.restating_phrases,
        scoring: None,
    };
    let mut framework = framework;
    if let Some(scoring) = parsed.scoring {
        let mut items = Vec::new();
        for (index, item) in scoring.items.iter().enumerate() {
            let at = format!("scoring.items[{index}] (row {})", item.row);
            if framework.row(&item.row).is_none() {
                problems.push(format!("{at}: 未知指标编号 (unknown row)"));
            }
            if !(item.points.is_finite() && item.points > 0.0) {
                problems.push(format!("{at}: points 应为正数 (points must be positive)"));
            }
            let partial = match (item.partial.as_deref(), item.zero_at, item.full_at) {
                (None | Some("none"), None, None) => ecociv_core::score::Partial::AllOrNothing,
                (Some("linear"), Some(zero_at), Some(full_at))
                    if zero_at.is_finite() && full_at.is_finite() && zero_at != full_at =>
                {
                    ecociv_core::score::Partial::Linear { zero_at, full_at }
                }
                _ => {
                    problems.push(format!(
                        "{at}: partial 应为 none，或 linear 并给出不相等的 zero_at、full_at (partial credit rule)"
                    ));
                    continue;
                }
            };
            items.push(ecociv_core::score::ScoreItem {
                row: item.row.clone(),
                points: item.points,
                partial,
            });
        }
        let max: f64 = scoring.items.iter().map(|item| item.points).sum();
        if !(scoring.pass_score.is_finite() && scoring.pass_score > 0.0 && scoring.pass_score <= max) {
            problems.push(format!(
                "scoring.pass_score {} 应在 0 与总分 {max} 之间 (pass score)",
                scoring.pass_score
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for item in &scoring.items {
            if !seen.insert(item.row.as_str()) {
                problems.push(format!("scoring.items: 指标 {} 重复 (a row scored twice)", item.row));
            }
        }
        framework.scoring = Some(ecociv_core::score::Scoring {
            pass_score: scoring.pass_score,
            items,
            note: scoring.note,
        });
    }
    problems.extend(framework.check());
    if problems.is_empty() {
        Ok(framework)
    } else {
        Err(DataError {
            problems: problems
                .into_iter()
                .map(|message| crate::error::Problem {
                    file: file.to_string(),
                    line: None,
                    column: None,
                    field: None,
                    message,
                    ..Default::default()
                })
                .collect(),
        })
    }
}
