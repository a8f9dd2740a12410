//! Progress of a whole zone toward its plan's 2025 or 2030 targets (创建规划目标进展): every row of the
//! framework measured, forecast and flagged, then aggregated to indicators, tasks and domains.
//!
//! This is the bridge from the core's types (framework rows with their explicit direction and range,
//! the plan's targets, the observations on record) to the method's own inputs ([`SeriesInput`]).
//! Pure: the caller loads the zone; nothing here reads a file or the clock.
//!
//! How a row is treated (each choice is stated in the row's `treatment` text):
//! - a numeric row whose target for the year is a figure (`62`, `≥22`, `100`), or a state that stands for
//!   a figure (无劣V类水体 = 0 %): method 2 with that target; states standing for a figure join the numeric
//!   series as that figure once the row has at least one figure on record;
//! - a numeric row whose target is 不低于现状值: method 1 (no quantitative target), and the forecasts
//!   are compared with the base-year value as the floor the target sets;
//! - a numeric row whose target restates the standard (完成上级规定的考核任务, 保持稳定或持续改善, …),
//!   describes work, or is missing: method 1 (trend only, no forecast target);
//! - a row with state texts only, or without any numeric value: qualitative — achieved / not achieved /
//!   no data, from the latest state against the target state (a "持续…" target is met by any state
//!   that meets the standard; another target state must be on record itself: 建立 does not meet 完善),
//!   or else the core's judgement of the latest value against the standard.
//! - forecasts are capped to the row's admissible range (a share cannot be forecast above 100 %).
//!
//! The natural limit of method 1 is the better end of the row's admissible range (100 for a share that
//! should rise; the lower end for a row that should fall).

use std::collections::BTreeMap;

use ecociv_core::format::trimmed;
use ecociv_core::framework::{Direction as CoreDirection, Row};
use ecociv_core::judge::{Evidence, judge};
use ecociv_core::value::Value;
use ecociv_core::zone::TargetKind;
use ecociv_core::{Framework, Zone};
use serde::Serialize;

use crate::aggregate::{Aggregand, Aggregate, aggregate, status_from_score};
use crate::forecast::{self, Forecast};
use crate::statcan::{self, SeriesProgress};
use crate::types::{Direction, Observation, SeriesInput, Status};
use crate::warning::{EarlyWarning, QualitativeStatus, early_warning};

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// How a row was assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowMethod {
    Method1NoTarget,
    Method2Target,
    Qualitative,
}

impl RowMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            RowMethod::Method1NoTarget => "method1_no_target",
            RowMethod::Method2Target => "method2_target",
            RowMethod::Qualitative => "qualitative",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RowMethod::Method1NoTarget => "方法1（趋势）",
            RowMethod::Method2Target => "方法2（目标）",
            RowMethod::Qualitative => "定性",
        }
    }
}

/// One row's progress toward its target for the target year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowReport {
    pub id: String,
    pub indicator: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
    pub domain: String,
    pub task: String,
    /// `binding` / `reference`.
    pub attribute: &'static str,
    pub lead_departments: Vec<String>,
    /// `higher` / `lower` / `none`, from the framework.
    pub direction: &'static str,
    pub method: RowMethod,
    pub target_year: i32,
    /// The target as the plan prints it.
    pub target_text: Option<String>,
    /// The quantitative target used by the forecasts (a figure, or the base value for 不低于现状值).
    pub target: Option<f64>,
    /// How the target text was turned into a method, in words.
    pub treatment: Bilingual,
    /// One of the method's six statuses. A qualitative row has no band: `target_achieved` when its
    /// requirement is met, otherwise `not_available` — read `qualitative_status` and `at_risk` for it.
    pub status: Status,
    /// Score in [−5, 5] (quantitative rows only).
    pub score: Option<f64>,
    /// For qualitative rows: achieved / not achieved / no data.
    pub qualitative_status: Option<QualitativeStatus>,
    /// The primary forecast of the target-year value: the UNSD extrapolation, else the weighted
    /// linear fit.
    pub forecast: Option<f64>,
    /// `unsd_extrapolation` or `weighted_linear_fit`.
    pub forecast_method: Option<&'static str>,
    /// The forecast reaches further ahead than the data reach back (years from the latest figure to the
    /// target year > years the series covers): indicative only, said so wherever it is shown — the
    /// explanation (progress, early warning), the Word report's outlook, the indicator page's chart.
    pub forecast_beyond_data: bool,
    /// `forecast − target` (signed, in the row's unit); `None` without a forecast or a target.
    pub gap_to_target: Option<f64>,
    pub required_yearly_change: Option<f64>,
    /// E.g. 每年需提高 3 个百分点.
    pub required_change_text: Option<Bilingual>,
    pub latest_year: Option<i32>,
    pub latest_value: Option<String>,
    /// Years of the series whose values are synthetic (shown as such).
    pub synthetic_years: Vec<i32>,
    pub at_risk: bool,
    pub warning: EarlyWarning,
    /// Every intermediate quantity of the method (quantitative rows).
    pub progress: Option<SeriesProgress>,
    /// Both forecasts in full (quantitative rows).
    pub forecast_detail: Option<Forecast>,
    pub explanation: Bilingual,
}

/// An aggregate over indicators, tasks, domains or the whole zone (mean of scores).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupReport {
    pub id: String,
    pub name: String,
    /// Status of the group: `target_achieved` when every assessable child (qualitative rows
    /// included) achieved its target, else the band of the mean score.
    pub status: Status,
    pub target_achieved: bool,
    /// At least one child could be assessed.
    pub assessable: bool,
    /// The method's own aggregate (mean of the children's scores).
    pub aggregate: Aggregate,
}

/// The progress of a zone toward the targets of one target year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneProgress {
    pub zone: String,
    pub zone_name: String,
    pub framework: String,
    pub framework_edition: String,
    pub base_year: i32,
    pub target_year: i32,
    /// The method edition (Statistics Canada / Open SDG measure) that produced every status.
    pub method_edition: &'static str,
    pub rows: Vec<RowReport>,
    pub indicators: Vec<GroupReport>,
    pub tasks: Vec<GroupReport>,
    pub domains: Vec<GroupReport>,
    pub overall: GroupReport,
    /// Ids of the rows at risk, in table order.
    pub at_risk: Vec<String>,
}

fn direction_of(row: &Row) -> Option<Direction> {
    match row.direction {
        CoreDirection::HigherIsBetter => Some(Direction::HigherIsBetter),
        CoreDirection::LowerIsBetter => Some(Direction::LowerIsBetter),
        CoreDirection::NotApplicable => None,
    }
}

/// The better end of the admissible range: the natural limit of method 1.
fn natural_limit(row: &Row, direction: Direction) -> Option<f64> {
    row.range.map(|(low, high)| match direction {
        Direction::HigherIsBetter => high,
        Direction::LowerIsBetter => low,
    })
}

/// The observations in force per row and year (a later entry overrides an earlier one for the same
/// row and year, as `Zone::observation` does), built once per zone.
type InForce<'a> = BTreeMap<&'a str, BTreeMap<i32, &'a ecociv_core::Observation>>;

fn in_force(zone: &Zone) -> InForce<'_> {
    let mut index: InForce<'_> = BTreeMap::new();
    for obs in &zone.observations {
        index.entry(obs.row.as_str()).or_default().insert(obs.year, obs);
    }
    index
}

/// The numeric series of a row: one value a year (the one in force), a state that stands for a figure
/// (无劣V类水体 = 0 %) counting as that figure; with the years whose value is synthetic, and whether any
/// value is a number proper (a row whose values are all states is assessed as a qualitative row).
fn numeric_series(
    row: &Row,
    by_year: Option<&BTreeMap<i32, &ecociv_core::Observation>>,
) -> (Vec<Observation>, Vec<i32>, bool) {
    let mut points = Vec::new();
    let mut synthetic = Vec::new();
    let mut has_number = false;
    for (&year, obs) in by_year.into_iter().flatten() {
        if let Some(number) = row.numeric(&obs.value) {
            has_number |= matches!(obs.value, Value::Number(_));
            points.push(Observation::new(year, number));
            if obs.source.is_synthetic() {
                synthetic.push(year);
            }
        }
    }
    (points, synthetic, has_number)
}

/// "每年需提高 x 个百分点" and its English, in the row's precision and unit (the core's formatter).
pub fn required_change_text(change: f64, row: &Row) -> Bilingual {
    if change == 0.0 {
        return Bilingual::new("已达到目标值，保持即可", "target already met: hold the level");
    }
    let text = row.format().per_year(change);
    Bilingual::new(text.zh, text.en)
}

struct RowContext<'a> {
    framework: &'a Framework,
    zone: &'a Zone,
    target_year: i32,
    in_force: InForce<'a>,
}

impl RowContext<'_> {
    fn quantitative(
        &self,
        row: &Row,
        direction: Direction,
        points: Vec<Observation>,
        target_kind: Option<&TargetKind>,
    ) -> (RowMethod, Option<f64>, Bilingual, SeriesProgress, Forecast) {
        let base_year = self.zone.plan.base_year;
        let base_value = points.iter().find(|p| p.year == base_year).map(|p| p.value);
        let (method_target, forecast_target, treatment) = match target_kind {
            Some(TargetKind::State(text)) if row.state(text).and_then(|state| state.equals).is_some() => {
                let v = row.state(text).and_then(|state| state.equals).unwrap_or_default();
                (
                    Some(v),
                    Some(v),
                    Bilingual::new(
                        format!(
                            "目标状态“{text}”即 {}：按方法2（实际增速与所需增速之比 R）评估",
                            row.format().with_unit(v)
                        ),
                        format!(
                            "the target state '{text}' stands for {}: method 2 (observed over required growth, R)",
                            row.format().with_unit(v)
                        ),
                    ),
                )
            }
            Some(TargetKind::Value(v)) => (
                Some(*v),
                Some(*v),
                Bilingual::new(
                    format!(
                        "目标值 {} 为量化目标：按方法2（实际增速与所需增速之比 R）评估",
                        row.format().with_unit(*v)
                    ),
                    format!(
                        "quantitative target {}: method 2 (observed over required growth, R)",
                        row.format().with_unit(*v)
                    ),
                ),
            ),
            Some(TargetKind::NotBelowBase) => (
                None,
                base_value,
                Bilingual::new(
                    match base_value {
                        Some(b) => format!(
                            "目标为“不低于现状值”，无量化目标值：按方法1（趋势）评估；预测值与{base_year}年现状值 {} 比较",
                            row.format().with_unit(b)
                        ),
                        None => format!("目标为“不低于现状值”，但{base_year}年无现状值：按方法1（趋势）评估"),
                    },
                    "target 'not below the base value': method 1 (trend); forecasts compared with the base-year value",
                ),
            ),
            Some(TargetKind::RestatesStandard) => (
                None,
                None,
                Bilingual::new(
                    "目标重述标准（如“完成上级规定的考核任务”“保持稳定或持续改善”），无量化目标值：按方法1（趋势）评估",
                    "the target restates the standard (no figure): method 1 (trend only)",
                ),
            ),
            Some(TargetKind::Describes) => (
                None,
                None,
                Bilingual::new(
                    "目标为工作内容描述，无量化目标值：按方法1（趋势）评估",
                    "the target describes work (no figure): method 1 (trend only)",
                ),
            ),
            Some(TargetKind::State(text)) => (
                None,
                None,
                Bilingual::new(
                    format!("目标为状态“{text}”，数值按方法1（趋势）评估"),
                    format!("the target is the state '{text}': the figures are assessed by method 1 (trend)"),
                ),
            ),
            None => (
                None,
                None,
                Bilingual::new(
                    format!("规划未给出{}年目标：按方法1（趋势）评估", self.target_year),
                    format!("no target for {} in the plan: method 1 (trend)", self.target_year),
                ),
            ),
        };
        let input = SeriesInput {
            points: points.clone(),
            direction,
            base_year,
            target_year: self.target_year,
            target: method_target,
            natural_limit: if method_target.is_none() {
                natural_limit(row, direction)
            } else {
                None
            },
        };
        // The series comes from validated observations (one a year, finite) and the plan's years; an
        // error here can only be a plan whose target year is not after its base year.
        let progress = match statcan::measure(&input) {
            Ok(progress) => progress,
            Err(error) => refused_progress(&input, &error.to_string()),
        };
        let mut sorted = points;
        sorted.sort_by_key(|p| p.year);
        let mut forecast = forecast::forecast(&progress, &sorted, forecast_target);
        if let Some((low, high)) = row.range {
            forecast::cap_to_range(&mut forecast, low, high, direction);
        }
        forecast::mark_beyond_data(&mut forecast, &sorted);
        let method = if method_target.is_some() {
            RowMethod::Method2Target
        } else {
            RowMethod::Method1NoTarget
        };
        (method, forecast_target, treatment, progress, forecast)
    }

    fn qualitative(&self, row: &Row, target_kind: Option<&TargetKind>) -> (QualitativeStatus, Bilingual, Bilingual) {
        let zone = self.zone;
        let by_year = self.in_force.get(row.id.as_str());
        let Some((&latest_year, &latest)) = by_year.and_then(|m| m.iter().next_back()) else {
            return (
                QualitativeStatus::NoData,
                Bilingual::new(
                    "定性指标：按最新状态与目标对照",
                    "qualitative row: latest state against the target",
                ),
                Bilingual::new("无任何年份的数据", "no data for any year"),
            );
        };
        if let (Some(TargetKind::State(target)), Value::State(current)) = (target_kind, &latest.value) {
            let canonical = |text: &str| {
                row.state(text)
                    .map(|s| s.text.clone())
                    .unwrap_or_else(|| text.to_string())
            };
            // A target of continuing (持续实施, 持续推进, 持续开展) is met by a current state that meets
            // the standard; any other target state must be on record as such (建立 does not meet 完善).
            let continuing = target.starts_with("持续")
                && row
                    .state(current)
                    .is_some_and(|s| s.verdict == ecociv_core::StateVerdict::Meets);
            let met = canonical(current) == canonical(target) || continuing;
            let status = QualitativeStatus::from_met(Some(met));
            return (
                status,
                Bilingual::new(
                    format!("定性指标：{latest_year}年状态与目标状态“{target}”对照"),
                    format!("qualitative row: the {latest_year} state against the target state '{target}'"),
                ),
                Bilingual::new(
                    format!("{latest_year}年为“{current}”，目标为“{target}”：{}", status.label_zh()),
                    format!(
                        "{latest_year}: '{current}', target '{target}': {}",
                        if met { "achieved" } else { "not achieved" }
                    ),
                ),
            );
        }
        // Otherwise: the core's judgement of the latest value against the standard.
        let Some(variant) = row.variant_for(&zone.profile.attributes) else {
            return (
                QualitativeStatus::NoData,
                Bilingual::new(
                    "定性指标：本区域适用的标准未知",
                    "qualitative row: the standard for this zone is unknown",
                ),
                Bilingual::new("无法判断", "cannot judge"),
            );
        };
        // The latest earlier value of the same kind (number with number, spatial record with spatial
        // record), as `ecociv_core::assess::earlier_for` finds it.
        let earlier = by_year.and_then(|m| {
            m.range(..latest_year).rev().map(|(_, obs)| *obs).find(|obs| {
                matches!(
                    (&obs.value, &latest.value),
                    (Value::Number(_), Value::Number(_)) | (Value::Spatial(_), Value::Spatial(_))
                )
            })
        });
        let judgement = judge(
            row,
            &variant.criterion,
            &variant.standard,
            &Evidence {
                year: latest_year,
                current: Some(latest),
                earlier,
            },
        );
        let met = match judgement.status {
            ecociv_core::Status::Met => Some(true),
            ecociv_core::Status::NotMet => Some(false),
            ecociv_core::Status::NoData => None,
        };
        (
            QualitativeStatus::from_met(met),
            Bilingual::new(
                format!("定性指标：以{latest_year}年按标准“{}”的判定为准", variant.standard),
                format!(
                    "qualitative row: the {latest_year} judgement against the standard '{}'",
                    variant.standard
                ),
            ),
            Bilingual::new(judgement.explanation.zh, judgement.explanation.en),
        )
    }

    fn row(&self, indicator: &ecociv_core::Indicator, row: &Row) -> RowReport {
        let framework = self.framework;
        let zone = self.zone;
        let target = zone
            .plan
            .targets
            .get(&row.id)
            .and_then(|by_year| by_year.get(&self.target_year));
        let target_kind = target.map(|t| &t.kind);
        let by_year = self.in_force.get(row.id.as_str());
        let (points, synthetic_years, has_number) = numeric_series(row, by_year);
        let latest_obs = by_year.and_then(|m| m.iter().next_back());
        let latest = latest_obs.map(|(&year, _)| year);
        let latest_value = latest_obs.map(|(_, obs)| row.format().value(&obs.value));
        let task = framework
            .task(&indicator.task)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let domain = framework
            .domain_of(indicator)
            .map(|d| d.name.clone())
            .unwrap_or_default();
        let mut report = RowReport {
            id: row.id.clone(),
            indicator: indicator.id.clone(),
            name: row.name.clone(),
            name_en: row.name_en.clone(),
            unit: row.unit.clone(),
            domain,
            task,
            attribute: indicator.attribute.code(),
            lead_departments: zone.plan.lead_departments.get(&row.id).cloned().unwrap_or_default(),
            direction: row.direction.code(),
            method: RowMethod::Qualitative,
            target_year: self.target_year,
            target_text: target.map(|t| t.text.clone()),
            target: None,
            treatment: Bilingual::new("", ""),
            status: Status::NotAvailable,
            score: None,
            qualitative_status: None,
            forecast: None,
            forecast_method: None,
            forecast_beyond_data: false,
            gap_to_target: None,
            required_yearly_change: None,
            required_change_text: None,
            latest_year: latest,
            latest_value,
            synthetic_years,
            at_risk: false,
            warning: EarlyWarning {
                at_risk: false,
                assessable: false,
                reasons: Vec::new(),
            },
            progress: None,
            forecast_detail: None,
            explanation: Bilingual::new("", ""),
        };
        match direction_of(row) {
            Some(direction) if has_number => {
                let latest_number = points.last().map(|point| point.value);
                let (method, forecast_target, treatment, progress, forecast) =
                    self.quantitative(row, direction, points, target_kind);
                let mut warning = early_warning(&progress, &forecast);
                crate::warning::flag_below_target_without_trend(
                    &mut warning,
                    latest_number,
                    forecast_target,
                    direction,
                );
                report.method = method;
                report.target = forecast_target;
                report.treatment = treatment;
                report.status = progress.status;
                report.score = progress.score;
                let (value, which) = match (&forecast.unsd, &forecast.weighted_linear) {
                    (Some(u), _) => (Some(u.expected_value), Some("unsd_extrapolation")),
                    (None, Some(l)) => (Some(l.expected_value), Some("weighted_linear_fit")),
                    (None, None) => (None, None),
                };
                report.forecast = value;
                report.forecast_method = which;
                report.forecast_beyond_data = value.is_some() && forecast.beyond_data;
                report.gap_to_target = value.zip(forecast_target).map(|(f, t)| f - t);
                report.required_yearly_change = forecast.required_yearly_change;
                report.required_change_text = forecast.required_yearly_change.map(|c| required_change_text(c, row));
                report.explanation = explain_quantitative(&progress, &forecast, row);
                report.at_risk = warning.at_risk;
                report.warning = warning;
                report.progress = Some(progress);
                report.forecast_detail = Some(forecast);
            }
            _ => {
                let (status, treatment, explanation) = self.qualitative(row, target_kind);
                let warning = status.early_warning();
                report.qualitative_status = Some(status);
                report.status = if status == QualitativeStatus::Achieved {
                    Status::TargetAchieved
                } else {
                    Status::NotAvailable
                };
                report.treatment = treatment;
                report.explanation = explanation;
                report.at_risk = warning.at_risk;
                report.warning = warning;
            }
        }
        report
    }
}

fn refused_progress(input: &SeriesInput, message: &str) -> SeriesProgress {
    let method = if input.target.is_some() {
        crate::types::Method::Method2Target
    } else {
        crate::types::Method::Method1NoTarget
    };
    let mut out = statcan::blank(input, method);
    out.refusal = Some(crate::types::Note::new(
        "input_error",
        message.to_string(),
        message.to_string(),
    ));
    out
}

fn pct(x: f64) -> String {
    ecociv_core::format::percent(x)
}

fn explain_quantitative(p: &SeriesProgress, f: &Forecast, row: &Row) -> Bilingual {
    let fmt = row.format();
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if let (Some(by), Some(bv), Some(cy), Some(cv)) = (p.base_year, p.base_value, p.current_year, p.current_value) {
        zh.push(format!(
            "基准{by}年 {} → 最新{cy}年 {}",
            fmt.with_unit(bv),
            fmt.with_unit(cv)
        ));
        en.push(format!(
            "base {by}: {} → latest {cy}: {}",
            fmt.with_unit(bv),
            fmt.with_unit(cv)
        ));
    }
    if let Some(c) = p.cagr_observed {
        zh.push(format!("实际年均增速 {}", pct(c)));
        en.push(format!("observed CAGR {}", pct(c)));
    }
    if let Some(c) = p.cagr_required {
        zh.push(format!("所需年均增速 {}", pct(c)));
        en.push(format!("required CAGR {}", pct(c)));
    }
    if let Some(v) = p.progress_value {
        let name = if p.target.is_some() { "R" } else { "P" };
        zh.push(format!("{name} = {}", trimmed(v, 2)));
        en.push(format!("{name} = {}", trimmed(v, 2)));
    }
    if let Some(c) = p.limit_coefficient {
        zh.push(format!("自然极限系数 C = {}", trimmed(c, 2)));
        en.push(format!("natural-limit coefficient C = {}", trimmed(c, 2)));
    }
    zh.push(format!("结论：{}", p.status.label_zh()));
    en.push(format!("result: {}", p.status.label_en()));
    if let Some(r) = &p.refusal {
        zh.push(r.message_zh.clone());
        en.push(r.message_en.clone());
    }
    for w in &p.warnings {
        zh.push(format!("注意：{}", w.message_zh));
        en.push(format!("note: {}", w.message_en));
    }
    if let Some(u) = &f.unsd {
        zh.push(format!(
            "按年均增速外推{}年 {}",
            f.target_year,
            fmt.with_unit(u.expected_value)
        ));
        en.push(format!(
            "UNSD extrapolation {}: {}",
            f.target_year,
            fmt.with_unit(u.expected_value)
        ));
    }
    if let Some(l) = &f.weighted_linear {
        zh.push(format!(
            "按加权线性趋势外推{}年 {}（直线外推，仅供参考）",
            f.target_year,
            fmt.with_unit(l.expected_value)
        ));
        en.push(format!(
            "weighted linear trend {}: {} (a straight-line extrapolation, indicative only)",
            f.target_year,
            fmt.with_unit(l.expected_value)
        ));
    }
    if let Some(c) = f.required_yearly_change {
        let t = required_change_text(c, row);
        zh.push(t.zh);
        en.push(t.en);
    }
    for n in &f.notes {
        zh.push(n.message_zh.clone());
        en.push(n.message_en.clone());
    }
    Bilingual {
        zh: zh.join("；"),
        en: en.join("; "),
    }
}

/// One child of a zone-level group: its score (quantitative rows), whether it achieved its target,
/// and whether it could be assessed at all.
#[derive(Debug, Clone, Copy)]
struct Child {
    score: Option<f64>,
    achieved: bool,
    assessable: bool,
}

impl Child {
    fn of_row(r: &RowReport) -> Self {
        // A row flagged at risk (e.g. below its target with too few years to forecast) counts as
        // assessed and not achieved: a group must not read "target achieved" over it.
        let assessable = r.score.is_some()
            || r.at_risk
            || matches!(
                r.qualitative_status,
                Some(QualitativeStatus::Achieved | QualitativeStatus::NotAchieved)
            );
        Child {
            score: r.score,
            achieved: r.status == Status::TargetAchieved,
            assessable,
        }
    }

    fn of_group(g: &GroupReport) -> Self {
        Child {
            score: g.aggregate.score,
            achieved: g.target_achieved,
            assessable: g.assessable,
        }
    }
}

/// The method's aggregate (mean of scores; unscored children left out), then the zone rule for
/// "target achieved": every assessable child — qualitative rows included — achieved. The method
/// itself ignores unscored (binary) series in that test; a district must not read "target achieved"
/// for a task whose plan (a qualitative row) is still 正在制定.
fn group(id: &str, name: &str, children: &[Child]) -> GroupReport {
    let aggregands: Vec<Aggregand> = children
        .iter()
        .map(|c| Aggregand {
            score: c.score,
            target_achieved: c.achieved,
        })
        .collect();
    let method = aggregate(&aggregands);
    let assessable: Vec<&Child> = children.iter().filter(|c| c.assessable).collect();
    let target_achieved = !assessable.is_empty() && assessable.iter().all(|c| c.achieved);
    GroupReport {
        id: id.to_string(),
        name: name.to_string(),
        status: status_from_score(method.score, target_achieved),
        target_achieved,
        assessable: !assessable.is_empty(),
        aggregate: method,
    }
}

/// One row's progress toward the plan's targets of `target_year`: exactly the row of
/// [`zone_progress`] for that year (same series, target treatment, natural limit, forecast and early
/// warning), without measuring the other rows. `None` when the framework has no row `row_id`.
pub fn row_progress(framework: &Framework, zone: &Zone, row_id: &str, target_year: i32) -> Option<RowReport> {
    let (indicator, row) = framework.row(row_id)?;
    let ctx = RowContext {
        framework,
        zone,
        target_year,
        in_force: in_force(zone),
    };
    Some(ctx.row(indicator, row))
}

/// The forecast a chart draws for a row: from the row's latest figure on record (the series the
/// method measures, a state that stands for a figure included) to the forecast for the plan's first
/// target year of the row after that figure — the very `RowReport::forecast` that [`zone_progress`]
/// and its early warning give for that target year. Empty when the row has no figure, no later target
/// year, or no finite forecast (a qualitative row, too short a series).
pub fn forecast_path(framework: &Framework, zone: &Zone, row_id: &str) -> Vec<(i32, f64)> {
    let Some((indicator, row)) = framework.row(row_id) else {
        return Vec::new();
    };
    let index = in_force(zone);
    let (points, _, _) = numeric_series(row, index.get(row_id));
    let Some(last) = points.iter().max_by_key(|point| point.year).copied() else {
        return Vec::new();
    };
    let Some(target_year) = zone
        .plan
        .targets
        .get(row_id)
        .and_then(|by_year| by_year.keys().copied().find(|year| *year > last.year))
    else {
        return Vec::new();
    };
    let ctx = RowContext {
        framework,
        zone,
        target_year,
        in_force: index,
    };
    match ctx.row(indicator, row).forecast {
        Some(value) if value.is_finite() => vec![(last.year, last.value), (target_year, value)],
        _ => Vec::new(),
    }
}

/// The early warning of a zone in a year (预警): the rows at risk of missing the plan's **next** target
/// year (the first target year not before `year`), measured on the values on record up to `year`. The
/// one count of warnings: the dashboard, `ecociv progress` and the Word report all show this list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarlyWarnings {
    /// The year the warning is for (the values on record up to it are used).
    pub year: i32,
    /// The plan's next target year; `None` when the plan has no target year from `year` on.
    pub target_year: Option<i32>,
    /// The rows at risk, in table order.
    pub rows: Vec<RowReport>,
    /// Rows that could not be assessed (too few years, no target): not warnings, counted apart.
    pub not_assessable: usize,
}

impl EarlyWarnings {
    /// The number of warnings (rows at risk).
    pub fn count(&self) -> usize {
        self.rows.len()
    }
}

/// Computes [`EarlyWarnings`] for a zone in a year.
pub fn early_warnings(framework: &Framework, zone: &Zone, year: i32) -> EarlyWarnings {
    let target_year = zone
        .plan
        .target_years()
        .into_iter()
        .find(|target_year| *target_year >= year && *target_year > zone.plan.base_year);
    let Some(target_year) = target_year else {
        return EarlyWarnings {
            year,
            target_year: None,
            rows: Vec::new(),
            not_assessable: 0,
        };
    };
    let mut upto = zone.clone();
    upto.observations.retain(|observation| observation.year <= year);
    let progress = zone_progress(framework, &upto, target_year);
    let not_assessable = progress.rows.iter().filter(|row| !row.warning.assessable).count();
    EarlyWarnings {
        year,
        target_year: Some(target_year),
        rows: progress.rows.into_iter().filter(|row| row.at_risk).collect(),
        not_assessable,
    }
}

/// Measures every row of the framework for a zone toward the plan's targets of `target_year`, and
/// aggregates the scores: sub-indicators into their indicator, indicators into tasks, tasks into
/// domains, domains into the zone — each level a mean, so every child weighs equally.
pub fn zone_progress(framework: &Framework, zone: &Zone, target_year: i32) -> ZoneProgress {
    let ctx = RowContext {
        framework,
        zone,
        target_year,
        in_force: in_force(zone),
    };
    let mut rows = Vec::new();
    let mut indicators = Vec::new();
    let mut by_task: BTreeMap<String, Vec<Child>> = BTreeMap::new();
    for indicator in &framework.indicators {
        let reports: Vec<RowReport> = indicator.rows.iter().map(|row| ctx.row(indicator, row)).collect();
        let children: Vec<Child> = reports.iter().map(Child::of_row).collect();
        let g = group(&indicator.id, &indicator.name, &children);
        by_task
            .entry(indicator.task.clone())
            .or_default()
            .push(Child::of_group(&g));
        indicators.push(g);
        rows.extend(reports);
    }
    let mut tasks = Vec::new();
    let mut by_domain: BTreeMap<String, Vec<Child>> = BTreeMap::new();
    for task in &framework.tasks {
        let children = by_task.get(&task.id).cloned().unwrap_or_default();
        let g = group(&task.id, &task.name, &children);
        by_domain
            .entry(task.domain.clone())
            .or_default()
            .push(Child::of_group(&g));
        tasks.push(g);
    }
    let mut domains = Vec::new();
    for domain in &framework.domains {
        let children = by_domain.get(&domain.id).cloned().unwrap_or_default();
        domains.push(group(&domain.id, &domain.name, &children));
    }
    let domain_children: Vec<Child> = domains.iter().map(Child::of_group).collect();
    let overall = group(&zone.profile.code, &zone.profile.name, &domain_children);
    let at_risk = rows.iter().filter(|r| r.at_risk).map(|r| r.id.clone()).collect();
    ZoneProgress {
        zone: zone.profile.code.clone(),
        zone_name: zone.profile.name.clone(),
        framework: framework.id.clone(),
        framework_edition: framework.edition.clone(),
        base_year: zone.plan.base_year,
        target_year,
        method_edition: statcan::EDITION,
        rows,
        indicators,
        tasks,
        domains,
        overall,
        at_risk,
    }
}
