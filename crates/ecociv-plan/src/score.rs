//! Department scorecards (部门考核): a yearly score per department or street from rules kept as data,
//! explained line by line so that [`Scorecard::recompute`] — which reads only the explanation — gives
//! the same score.
//!
//! Arithmetic is in integers: points are hundredths, every share is a fraction (numerator / denominator)
//! rounded half up once, at the item.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::format::{Collector, FileError, from_toml};
use crate::model::{LedgerEntry, Measures};
use crate::report::{ReportBook, ReviewState, Subject, WorkStatus};
use crate::supervision::{Board, SupervisionRules};

/// What a score item counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemMeasure {
    ReportsOnTime,
    ReportsFirstTime,
    MeasuresDone,
    ProjectSpend,
    RowsMetOrOnTrack,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreItem {
    pub id: String,
    pub name: String,
    pub weight: u32,
    pub measure: ItemMeasure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deduction {
    pub id: String,
    pub name: String,
    pub points_each: u32,
    pub cap: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRules {
    pub items: Vec<ScoreItem>,
    pub deductions: Vec<Deduction>,
}

pub const DEFAULT_SCORE_RULES: &str = include_str!("../data/scorecard.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScore {
    #[serde(default)]
    item: Vec<RawItem>,
    #[serde(default)]
    deduction: Vec<RawDeduction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    name: String,
    weight: u32,
    measure: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeduction {
    id: String,
    name: String,
    points_each: u32,
    cap: u32,
    measure: String,
}

impl ScoreRules {
    pub fn parse(file: &str, text: &str) -> Result<ScoreRules, FileError> {
        let raw: RawScore = from_toml(file, text)?;
        let mut c = Collector::new(file, text);
        let mut items = Vec::new();
        let mut ids = BTreeSet::new();
        for i in raw.item {
            let line = c.line_of("id", &i.id);
            if !ids.insert(i.id.clone()) {
                c.push(line, "id", format!("评分项“{}”重复 (duplicate id)", i.id));
            }
            let measure = match i.measure.as_str() {
                "reports_on_time" => ItemMeasure::ReportsOnTime,
                "reports_first_time" => ItemMeasure::ReportsFirstTime,
                "measures_done" => ItemMeasure::MeasuresDone,
                "project_spend" => ItemMeasure::ProjectSpend,
                "rows_met_or_on_track" => ItemMeasure::RowsMetOrOnTrack,
                other => {
                    c.push(line, "measure", format!("未知计分方法“{other}” (unknown measure)"));
                    continue;
                }
            };
            if i.weight == 0 || i.weight > 100 {
                c.push(line, "weight", "应为 1–100 (must be 1–100)");
            }
            items.push(ScoreItem {
                id: i.id,
                name: i.name,
                weight: i.weight,
                measure,
            });
        }
        let mut deductions = Vec::new();
        for d in raw.deduction {
            let line = c.line_of("id", &d.id);
            if d.measure != "overdue_follow_ups" {
                c.push(
                    line,
                    "measure",
                    format!("未知扣分方法“{}” (unknown measure)", d.measure),
                );
                continue;
            }
            deductions.push(Deduction {
                id: d.id,
                name: d.name,
                points_each: d.points_each,
                cap: d.cap,
            });
        }
        c.finish(ScoreRules { items, deductions })
    }

    pub fn default_rules() -> ScoreRules {
        ScoreRules::parse("ecociv-plan/data/scorecard.toml", DEFAULT_SCORE_RULES).expect("the bundled rules parse")
    }
}

/// A row's judgement as scoring reads it (an input: the assessment and the early warning give it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    Met,
    OnTrack,
    AtRisk,
    NotMet,
    NoData,
}

pub struct ScoreInput<'a> {
    pub department: &'a str,
    pub year: i32,
    pub today: Date,
    pub measures: &'a Measures,
    pub ledger: &'a [LedgerEntry],
    pub reports: &'a ReportBook,
    pub supervision: &'a SupervisionRules,
    pub board: &'a Board,
    pub row_leads: &'a [(String, Vec<String>)],
    pub rows: &'a [(String, RowState)],
}

/// One line of the explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreLine {
    pub id: String,
    pub measure: ItemMeasure,
    pub name: String,
    pub weight: u32,
    pub numerator: i64,
    pub denominator: i64,
    /// Points earned, in hundredths: round_half_up(weight × 100 × numerator / denominator); 0 when not
    /// applicable.
    pub points_x100: i64,
    pub applicable: bool,
    /// What was counted, item by item (ids, dates, amounts).
    pub detail: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeductionLine {
    pub id: String,
    pub name: String,
    pub count: u32,
    pub points_each: u32,
    pub cap: u32,
    /// min(count × points_each, cap) × 100.
    pub points_x100: i64,
    pub detail: Vec<String>,
}

/// A unit's yearly score (考核得分) with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub department: String,
    pub year: i32,
    pub lines: Vec<ScoreLine>,
    pub deductions: Vec<DeductionLine>,
    /// Out of 100, in hundredths.
    pub score_x100: i64,
    pub explanation: Vec<String>,
}

fn round_div(num: i128, den: i128) -> i64 {
    ((2 * num + den) / (2 * den)) as i64
}

impl Scorecard {
    /// The score from the explanation's lines alone: Σ points of applicable lines scaled by 100 / Σ their
    /// weights (rounded half up), minus deductions, not below 0.
    pub fn recompute(lines: &[ScoreLine], deductions: &[DeductionLine]) -> i64 {
        let weights: i64 = lines.iter().filter(|l| l.applicable).map(|l| i64::from(l.weight)).sum();
        let earned: i64 = lines
            .iter()
            .filter(|l| l.applicable)
            .map(|l| {
                round_div(
                    i128::from(l.weight) * 100 * i128::from(l.numerator),
                    i128::from(l.denominator),
                )
            })
            .sum();
        let base = if weights == 0 {
            0
        } else {
            round_div(i128::from(earned) * 100, i128::from(weights))
        };
        let minus: i64 = deductions
            .iter()
            .map(|d| i64::from((d.count * d.points_each).min(d.cap)) * 100)
            .sum();
        (base - minus).max(0)
    }
}

fn pct(x100: i64) -> String {
    format!("{}.{:02}", x100 / 100, x100 % 100)
}

/// Scores one department (or street) for a year.
pub fn score(rules: &ScoreRules, input: &ScoreInput<'_>) -> Scorecard {
    let dept = input.department;
    // The year's periods count once their reports are due, also after the year ends (a Q4 report is due
    // in January); everything is read as it stands on `today`.
    let cutoff = input.today;
    let led: Vec<_> = input
        .measures
        .measures
        .iter()
        .filter(|m| m.lead.first().is_some_and(|l| l == dept))
        .collect();
    let projects: Vec<&LedgerEntry> = input.ledger.iter().filter(|l| l.responsible == dept).collect();
    let mut subjects: Vec<(Subject, i32, i32)> = led
        .iter()
        .map(|m| (Subject::Measure(m.id.clone()), 2022, m.deadline))
        .collect();
    subjects.extend(
        projects
            .iter()
            .map(|l| (Subject::Project(l.project.clone()), l.start_year, l.end_year)),
    );
    let mut lines = Vec::new();
    for item in &rules.items {
        let (mut num, mut den, mut detail) = (0_i64, 0_i64, Vec::new());
        match item.measure {
            ItemMeasure::ReportsOnTime => {
                for (s, from, to) in &subjects {
                    for p in input
                        .supervision
                        .due_periods(*from, *to, cutoff)
                        .into_iter()
                        .filter(|p| p.year == input.year)
                    {
                        let due = input.supervision.report_due(p);
                        if due > cutoff {
                            continue;
                        }
                        den += 1;
                        match input.reports.first_filed(s, p) {
                            Some(d) if d <= due => num += 1,
                            Some(d) => detail.push(format!("{s} {p}：{d} 报送，晚于 {due}")),
                            None => detail.push(format!("{s} {p}：应于 {due} 前报送，未报送")),
                        }
                    }
                }
            }
            ItemMeasure::ReportsFirstTime => {
                let mut seen = BTreeSet::new();
                for r in input.reports.revisions() {
                    if r.state == ReviewState::Approved
                        && r.period.year == input.year
                        && r.on <= cutoff
                        && subjects.iter().any(|(s, _, _)| s == &r.subject)
                        && seen.insert((r.subject.clone(), r.period))
                    {
                        den += 1;
                        if input.reports.was_returned(&r.subject, r.period) {
                            detail.push(format!("{} {}：曾被退回", r.subject, r.period));
                        } else {
                            num += 1;
                        }
                    }
                }
            }
            ItemMeasure::MeasuresDone => {
                for m in led.iter().filter(|m| m.deadline <= input.year) {
                    den += 1;
                    let done = input
                        .reports
                        .latest_approved(&Subject::Measure(m.id.clone()))
                        .is_some_and(|r| r.status == WorkStatus::Done && r.on <= cutoff);
                    if done {
                        num += 1;
                    } else {
                        detail.push(format!("措施 {}（时限 {}）未完成", m.id, m.deadline));
                    }
                }
            }
            ItemMeasure::ProjectSpend => {
                for l in &projects {
                    let plan = l.planned_through(input.year).0;
                    if plan <= 0 {
                        continue;
                    }
                    let actual = input.reports.approved_spend_through(&l.project, input.year).0;
                    den += plan;
                    num += actual.min(plan);
                    detail.push(format!(
                        "项目 {}：计划 {} 万元，审核通过的支出 {} 万元",
                        l.project,
                        crate::money::WanYuan(plan),
                        crate::money::WanYuan(actual)
                    ));
                }
            }
            ItemMeasure::RowsMetOrOnTrack => {
                for (row, leads) in input.row_leads {
                    if !leads.iter().any(|l| l == dept) {
                        continue;
                    }
                    let state = input
                        .rows
                        .iter()
                        .find(|(r, _)| r == row)
                        .map(|(_, s)| *s)
                        .unwrap_or(RowState::NoData);
                    if state == RowState::NoData {
                        detail.push(format!("指标 {row}：无数据，不计"));
                        continue;
                    }
                    den += 1;
                    if matches!(state, RowState::Met | RowState::OnTrack) {
                        num += 1;
                    } else {
                        detail.push(format!(
                            "指标 {row}：{}",
                            if state == RowState::AtRisk {
                                "进展预警"
                            } else {
                                "未达标"
                            }
                        ));
                    }
                }
            }
        }
        let applicable = den > 0;
        let points_x100 = if applicable {
            round_div(i128::from(item.weight) * 100 * i128::from(num), i128::from(den))
        } else {
            0
        };
        lines.push(ScoreLine {
            id: item.id.clone(),
            measure: item.measure,
            name: item.name.clone(),
            weight: item.weight,
            numerator: num,
            denominator: den,
            points_x100,
            applicable,
            detail,
        });
    }
    let mut deductions = Vec::new();
    for d in &rules.deductions {
        let overdue: Vec<_> = input
            .board
            .items
            .iter()
            .filter(|i| i.owner == dept && i.overdue(cutoff))
            .collect();
        let count = overdue.len() as u32;
        deductions.push(DeductionLine {
            id: d.id.clone(),
            name: d.name.clone(),
            count,
            points_each: d.points_each,
            cap: d.cap,
            points_x100: i64::from((count * d.points_each).min(d.cap)) * 100,
            detail: overdue
                .iter()
                .map(|i| format!("{}（应于 {} 办结）", i.id, i.due))
                .collect(),
        });
    }
    let score_x100 = Scorecard::recompute(&lines, &deductions);
    let weights: u32 = lines.iter().filter(|l| l.applicable).map(|l| l.weight).sum();
    let mut explanation = Vec::new();
    for l in &lines {
        if l.applicable {
            let (n, d) = if l.measure == ItemMeasure::ProjectSpend {
                (
                    crate::money::WanYuan(l.numerator).to_string(),
                    format!("{} 万元", crate::money::WanYuan(l.denominator)),
                )
            } else {
                (l.numerator.to_string(), l.denominator.to_string())
            };
            explanation.push(format!(
                "{}：{n}/{d}，权重 {}，得 {} 分",
                l.name,
                l.weight,
                pct(l.points_x100)
            ));
        } else {
            explanation.push(format!("{}：无可计项，不适用（权重 {} 不计入）", l.name, l.weight));
        }
    }
    explanation.push(format!("适用权重合计 {weights}，得分折算为百分制"));
    for d in &deductions {
        explanation.push(format!(
            "{}：{} 项 × {} 分（上限 {}），扣 {} 分",
            d.name,
            d.count,
            d.points_each,
            d.cap,
            pct(d.points_x100)
        ));
    }
    explanation.push(format!("总分 {}", pct(score_x100)));
    Scorecard {
        department: dept.to_string(),
        year: input.year,
        lines,
        deductions,
        score_x100,
        explanation,
    }
}
