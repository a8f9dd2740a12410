//! A zone's `zone.toml` (profile and plan) and `projects.csv` (Table 4-1).

use std::collections::BTreeMap;

use ecociv_core::framework::normalize_text;
use ecociv_core::zone::{ParentUnit, Target, TargetKind};
use ecociv_core::{Framework, Plan, Project, ZoneProfile};
use serde::Deserialize;

use crate::error::{DataError, Problem, csv_reader, next_record, toml_problem};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneFile {
    code: String,
    name: String,
    #[serde(default)]
    name_en: String,
    framework: String,
    #[serde(default)]
    parents: Vec<ParentFile>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    plan: PlanFile,
    #[serde(default)]
    rows: BTreeMap<String, RowPlanFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParentFile {
    code: String,
    name: String,
    level: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    title: String,
    base_year: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowPlanFile {
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    targets: BTreeMap<String, TargetFile>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TargetFile {
    Text(String),
    Marked { text: String, kind: String },
}

/// The parts of `zone.toml`: the profile, the framework id, and the plan without projects.
pub struct ZoneFileContent {
    pub profile: ZoneProfile,
    pub framework: String,
    pub plan: Plan,
}

/// Reads the framework id a zone file names, before the framework itself is known.
pub fn framework_of(file: &str, text: &str) -> Result<String, DataError> {
    #[derive(Deserialize)]
    struct Head {
        framework: String,
    }
    toml::from_str::<Head>(text)
        .map(|head| head.framework)
        .map_err(|error| toml_problem(file, text, &error))
}

/// Parses `zone.toml` against its framework (targets are read in the light of each row's vocabulary).
pub fn parse_zone(file: &str, text: &str, framework: &Framework) -> Result<ZoneFileContent, DataError> {
    let parsed: ZoneFile = toml::from_str(text).map_err(|error| toml_problem(file, text, &error))?;
    let mut problems = Vec::new();
    let mut problem = |field: String, message: String| {
        problems.push(Problem {
            file: file.to_string(),
            line: None,
            column: None,
            field: Some(field),
            message,
            ..Default::default()
        });
    };
    if parsed.framework != framework.id {
        problem(
            "framework".into(),
            format!(
                "zone names framework {} but {} was given",
                parsed.framework, framework.id
            ),
        );
    }
    if parsed.code.is_empty() || !parsed.code.chars().all(|c| c.is_ascii_digit()) {
        problem(
            "code".into(),
            format!("“{}”不是行政区划代码（数字） (not a division code)", parsed.code),
        );
    }
    let mut targets = BTreeMap::new();
    let mut lead_departments = BTreeMap::new();
    for (id, row_plan) in parsed.rows {
        let Some((_, row)) = framework.row(&id) else {
            problem(format!("rows.{id}"), format!("未知指标编号“{id}” (unknown row id)"));
            continue;
        };
        lead_departments.insert(id.clone(), row_plan.lead);
        let mut by_year = BTreeMap::new();
        for (year_text, target) in row_plan.targets {
            let Ok(year) = year_text.parse::<i32>() else {
                problem(
                    format!("rows.{id}.targets"),
                    format!("“{year_text}”不是年份 (not a year)"),
                );
                continue;
            };
            let (text, marked) = match target {
                TargetFile::Text(text) => (text, None),
                TargetFile::Marked { text, kind } => (text, Some(kind)),
            };
            let kind = match marked.as_deref() {
                Some("describes") => Ok(TargetKind::Describes),
                Some("restates") => Ok(TargetKind::RestatesStandard),
                Some(other) => Err(format!("kind “{other}” must be describes or restates")),
                None => classify_target(framework, row, &text),
            };
            match kind {
                Ok(kind) => {
                    by_year.insert(year, Target { text, kind });
                }
                Err(message) => problem(format!("rows.{id}.targets.{year}"), message),
            }
        }
        targets.insert(id, by_year);
    }
    if !problems.is_empty() {
        return Err(DataError { problems });
    }
    Ok(ZoneFileContent {
        profile: ZoneProfile {
            code: parsed.code,
            name: parsed.name,
            name_en: parsed.name_en,
            parents: parsed
                .parents
                .into_iter()
                .map(|parent| ParentUnit {
                    code: parent.code,
                    name: parent.name,
                    level: parent.level,
                })
                .collect(),
            attributes: parsed.attributes,
        },
        framework: parsed.framework,
        plan: Plan {
            title: parsed.plan.title,
            framework: framework.id.clone(),
            base_year: parsed.plan.base_year,
            targets,
            lead_departments,
            projects: Vec::new(),
        },
    })
}

/// Reads a target text: a figure (`62`, `≥ 22`), a state of the row, 不低于现状值, or a phrase that
/// restates a standard. Anything else is an error (mark descriptions of work with `kind = "describes"`).
fn classify_target(framework: &Framework, row: &ecociv_core::Row, text: &str) -> Result<TargetKind, String> {
    let normalized = normalize_text(text);
    if let Some(state) = row.state(text) {
        return Ok(TargetKind::State(state.text.clone()));
    }
    let figure = normalized
        .trim_start_matches(['≥', '≤', '>', '<', '='])
        .trim_end_matches('%');
    if let Ok(value) = figure.parse::<f64>() {
        return Ok(TargetKind::Value(value));
    }
    if normalized == "不低于现状值" {
        return Ok(TargetKind::NotBelowBase);
    }
    if framework
        .restating_phrases
        .iter()
        .any(|phrase| normalize_text(phrase) == normalized)
    {
        return Ok(TargetKind::RestatesStandard);
    }
    Err(format!(
        "目标“{text}”无法识别：应为数字、本指标的状态、不低于现状值或标准表述；工作描述请写 {{ text = \"…\", kind = \"describes\" }} (unrecognised target)"
    ))
}

/// Parses Table 4-1: `number,category,content,count,investment_wan_yuan`.
pub fn parse_projects(file: &str, text: &str) -> Result<Vec<Project>, DataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv_reader(&mut csv::ReaderBuilder::new(), text);
    let mut projects = Vec::new();
    let mut problems = Vec::new();
    let expected = ["number", "category", "content", "count", "investment_wan_yuan"];
    match reader.headers() {
        Ok(headers) if headers.iter().map(str::trim).eq(expected) => {}
        _ => {
            return Err(DataError::one(
                file,
                Some(1),
                None,
                format!("表头应为 {} (wrong header)", expected.join(",")),
            ));
        }
    }
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_record(file, &mut reader, &mut record, |found| problems.push(found)) {
        let get = |index: usize| record.get(index).unwrap_or("").trim();
        let number = get(0).parse::<u32>();
        let count = get(3).parse::<u32>();
        let investment = get(4).parse::<f64>();
        match (number, count, investment) {
            (Ok(number), Ok(count), Ok(investment)) if investment.is_finite() && investment >= 0.0 => {
                projects.push(Project {
                    number,
                    category: get(1).to_string(),
                    content: get(2).to_string(),
                    count,
                    investment_wan_yuan: investment,
                });
            }
            (Err(_), _, _) => problems.push(Problem {
                file: file.into(),
                line,
                column: None,
                field: Some("number".into()),
                message: "不是整数 (not an integer)".into(),
                ..Default::default()
            }),
            (_, Err(_), _) => problems.push(Problem {
                file: file.into(),
                line,
                column: None,
                field: Some("count".into()),
                message: "不是整数 (not an integer)".into(),
                ..Default::default()
            }),
            _ => problems.push(Problem {
                file: file.into(),
                line,
                column: None,
                field: Some("investment_wan_yuan".into()),
                message: "不是非负数 (not a non-negative number)".into(),
                ..Default::default()
            }),
        }
    }
    if problems.is_empty() {
        Ok(projects)
    } else {
        Err(DataError { problems })
    }
}
