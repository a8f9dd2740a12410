//! The assessment of a zone for a year (年度达标评估) and its readiness for designation (创建条件).

use crate::format::RowFormat;
use crate::framework::{Attribute, Framework, Row};
use crate::judge::{Basis, Evidence, Judgement, Status, Text, judge, status_label};
use crate::value::{Observation, Source, Value};
use crate::zone::Zone;

/// The assessment of every row of the framework for one zone and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub zone_code: String,
    pub zone_name: String,
    pub year: i32,
    pub framework_id: String,
    pub framework_name: String,
    pub framework_edition: String,
    /// One entry per indicator and per sub-indicator, in table order (an indicator with sub-indicators
    /// comes first, then its sub-rows).
    pub rows: Vec<RowAssessment>,
    pub readiness: Readiness,
    /// The score, for an edition that carries scoring rules (issue 15).
    pub score: Option<crate::score::ScoreReport>,
}

/// The judgement of one indicator or sub-indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct RowAssessment {
    pub id: String,
    /// The indicator this row belongs to (equal to `id` for an indicator).
    pub indicator: String,
    /// True for an indicator's own entry, false for a sub-indicator.
    pub is_indicator: bool,
    pub name: String,
    pub name_en: String,
    pub domain: String,
    pub task: String,
    pub attribute: Attribute,
    pub unit: String,
    /// How this row's figures are written (unit, precision, bounds): use it for every figure shown.
    pub format: RowFormat,
    /// The standard value that applies to this zone, as printed.
    pub standard: String,
    /// The note on the standard's variant (source, doubt).
    pub standard_note: String,
    pub value: Option<Value>,
    pub source: Option<Source>,
    pub status: Status,
    pub basis: Basis,
    pub explanation: Text,
    pub warnings: Vec<Text>,
    /// Met on only some parts of a several-part criterion: the names of the parts judged (see
    /// [`crate::judge::Judgement::partial`]).
    pub partial: Option<Text>,
    pub lead_departments: Vec<String>,
}

impl RowAssessment {
    /// The status as a person should read it: `达标（仅判定：保持稳定或持续改善）` when met on only some
    /// parts, else the plain status.
    pub fn label(&self) -> Text {
        status_label(self.status, self.partial.as_ref())
    }

    /// The value as written for people (unit and precision of the row; a state without a unit), or
    /// `None` when there is none.
    pub fn value_text(&self) -> Option<String> {
        self.value.as_ref().map(|value| self.format.value(value))
    }
}

/// Readiness for designation under the framework's designation rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    pub ready: bool,
    /// Binding indicators judged not met.
    pub binding_not_met: Vec<String>,
    /// Binding indicators without data (they also block designation).
    pub binding_no_data: Vec<String>,
    pub reference_met: usize,
    pub reference_total: usize,
    /// Met reference indicators over all reference indicators (no data counts as not met), 0–1.
    pub reference_met_share: f64,
    pub reference_required_share: f64,
    pub explanation: Text,
}

/// Met / not met / no data among some indicators or rows (计数). Which of the two it counts is part of
/// the type that holds it ([`Counts::indicators`], [`Counts::rows`]), and every text names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub met: usize,
    pub not_met: usize,
    pub no_data: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Met => self.met += 1,
            Status::NotMet => self.not_met += 1,
            Status::NoData => self.no_data += 1,
        }
    }

    /// True when nothing counted has data: such a count says nothing (never "no row fails").
    pub fn empty(&self) -> bool {
        self.no_data == self.total
    }
}

/// The counts of an assessment, from one function for every output (CLI, Excel, Word, pages): the
/// indicators (指标, 35 in the 2021 set; an indicator with sub-indicators is met only when all are) and
/// the rows (行: an indicator without sub-indicators, or a sub-indicator; 44), by attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub indicators: Tally,
    pub binding: Tally,
    pub reference: Tally,
    pub rows: Tally,
}

impl Counts {
    /// True when the year has no value at all (尚未填报): no count may then read as good news.
    pub fn no_data(&self) -> bool {
        self.rows.empty()
    }

    /// `不达标指标 3 项（涉及 4 行）` / `3 indicators not met (4 rows)`; `尚无数据（尚未填报）` for a year
    /// without data; `全部有数据的指标均达标` only when some have data and none fails.
    pub fn not_met_text(&self) -> Text {
        if self.no_data() {
            return Text::new("尚无数据（尚未填报）", "no data yet (nothing entered)");
        }
        if self.indicators.not_met == 0 {
            return Text::new(
                format!("无不达标指标（{} 项指标无数据）", self.indicators.no_data),
                format!(
                    "no indicator not met ({} indicators without data)",
                    self.indicators.no_data
                ),
            );
        }
        Text::new(
            format!(
                "不达标指标 {} 项（涉及 {} 行）",
                self.indicators.not_met, self.rows.not_met
            ),
            format!(
                "{} indicators not met ({} rows)",
                self.indicators.not_met, self.rows.not_met
            ),
        )
    }

    /// The summary line: `约束性指标达标 17/19 项；参考性指标达标 12/16 项（75.0%）；不达标指标 3 项（涉及 4
    /// 行）；无数据指标 2 项`, or the no-data text.
    pub fn summary(&self) -> Text {
        if self.no_data() {
            return Text::new(
                "本年度尚无数据（尚未填报），无法评估",
                "no data for this year yet (nothing entered): cannot assess",
            );
        }
        let mut zh = vec![
            format!("约束性指标达标 {}/{} 项", self.binding.met, self.binding.total),
            format!(
                "参考性指标达标 {} 项",
                crate::format::part_of(self.reference.met, self.reference.total)
            ),
            self.not_met_text().zh,
        ];
        let mut en = vec![
            format!("binding indicators met {}/{}", self.binding.met, self.binding.total),
            format!(
                "reference indicators met {}",
                crate::format::part_of(self.reference.met, self.reference.total)
                    .replace('（', " (")
                    .replace('）', ")")
            ),
            self.not_met_text().en,
        ];
        if self.indicators.no_data > 0 && self.indicators.not_met > 0 {
            zh.push(format!("无数据指标 {} 项", self.indicators.no_data));
            en.push(format!("{} indicators without data", self.indicators.no_data));
        }
        Text::new(zh.join("；"), en.join("; "))
    }
}

impl Assessment {
    /// The counts of this assessment (indicators and rows, by attribute): the one place counts come from.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for entry in &self.rows {
            if entry.is_indicator {
                counts.indicators.add(entry.status);
                match entry.attribute {
                    Attribute::Binding => counts.binding.add(entry.status),
                    Attribute::Reference => counts.reference.add(entry.status),
                }
            }
            if entry.is_leaf(self) {
                counts.rows.add(entry.status);
            }
        }
        counts
    }

    /// The indicators' entries (an indicator's own entry, not its sub-rows), in table order.
    pub fn indicators(&self) -> impl Iterator<Item = &RowAssessment> {
        self.rows.iter().filter(|entry| entry.is_indicator)
    }

    /// The rows that carry values (an indicator without sub-indicators, or a sub-indicator).
    pub fn leaves(&self) -> impl Iterator<Item = &RowAssessment> {
        self.rows.iter().filter(|entry| entry.is_leaf(self))
    }
}

impl RowAssessment {
    /// True for a row that carries a value: a sub-indicator, or an indicator without sub-indicators.
    pub fn is_leaf(&self, assessment: &Assessment) -> bool {
        !self.is_indicator
            || !assessment
                .rows
                .iter()
                .any(|other| !other.is_indicator && other.indicator == self.id)
    }
}

/// Everything on record for a row in a year: this year's value, and the earlier value it is compared
/// with — a figure (or a state standing for one) for a figure, a spatial record for a spatial record.
/// Every page and report that judges one row uses this, so they judge as the assessment does.
pub fn evidence_for<'a>(zone: &'a Zone, row: &Row, year: i32) -> Evidence<'a> {
    let current = zone.observation(&row.id, year);
    let earlier = current.and_then(|obs| earlier_for(zone, row, year, &obs.value));
    Evidence { year, current, earlier }
}

/// The latest value on record before `year` that a value of `year` is compared with (also for a value
/// not yet on record, such as a submission under review).
pub fn earlier_for<'a>(zone: &'a Zone, row: &Row, year: i32, value: &Value) -> Option<&'a Observation> {
    match value {
        Value::Spatial(_) => zone.latest_earlier(&row.id, year, |value| matches!(value, Value::Spatial(_))),
        value if row.numeric(value).is_some() => {
            zone.latest_earlier(&row.id, year, |value| row.numeric(value).is_some())
        }
        _ => None,
    }
}

/// The assessment of each of `years`, in that order (a year's assessment reads only values up to it). For
/// renderers that show several years: they take these results, never assess themselves.
pub fn assess_years(framework: &Framework, zone: &Zone, years: &[i32]) -> Vec<Assessment> {
    years.iter().map(|year| assess(framework, zone, *year)).collect()
}

/// Assesses a zone for a year: every row judged, indicators with sub-indicators met only when all their
/// rows are met, and readiness for designation.
pub fn assess(framework: &Framework, zone: &Zone, year: i32) -> Assessment {
    let mut rows = Vec::new();
    let mut indicator_statuses = Vec::new();
    for indicator in &framework.indicators {
        let task = framework
            .task(&indicator.task)
            .map(|task| task.name.clone())
            .unwrap_or_default();
        let domain = framework
            .domain_of(indicator)
            .map(|domain| domain.name.clone())
            .unwrap_or_default();
        let mut leaves = Vec::new();
        for row in &indicator.rows {
            let evidence = evidence_for(zone, row, year);
            let current = evidence.current;
            let variant = row.variant_for(&zone.profile.attributes);
            let (standard, note, judgement) = match variant {
                Some(variant) => (
                    variant.standard.clone(),
                    variant.note.clone(),
                    judge(row, &variant.criterion, &variant.standard, &evidence),
                ),
                None => {
                    let kind = zone_kind(&zone.profile.attributes);
                    let reason = Text::new(
                        format!("本框架未给出适用于{}的标准值。结论：无数据", kind.zh),
                        format!("the framework gives no standard for {}. Result: no data", kind.en),
                    );
                    (
                        String::from("未知"),
                        String::new(),
                        Judgement {
                            status: Status::NoData,
                            basis: Basis::Nothing,
                            explanation: reason,
                            warnings: Vec::new(),
                            partial: None,
                        },
                    )
                }
            };
            leaves.push(RowAssessment {
                id: row.id.clone(),
                indicator: indicator.id.clone(),
                is_indicator: !indicator.has_sub_rows(),
                name: row.name.clone(),
                name_en: row.name_en.clone(),
                domain: domain.clone(),
                task: task.clone(),
                attribute: indicator.attribute,
                unit: row.unit.clone(),
                format: row.format(),
                standard,
                standard_note: note,
                value: current.map(|obs| obs.value.clone()),
                source: current.map(|obs| obs.source.clone()),
                status: judgement.status,
                basis: judgement.basis,
                explanation: judgement.explanation,
                warnings: judgement.warnings,
                partial: judgement.partial,
                lead_departments: zone.plan.lead_departments.get(&row.id).cloned().unwrap_or_default(),
            });
        }
        if indicator.has_sub_rows() {
            let status = Status::all(leaves.iter().map(|leaf| leaf.status));
            let parts: Vec<String> = leaves
                .iter()
                .map(|leaf| format!("{} {}", leaf.id, leaf.status.zh()))
                .collect();
            let parts_en: Vec<String> = leaves
                .iter()
                .map(|leaf| format!("{} {}", leaf.id, leaf.status.en()))
                .collect();
            let lead = indicator
                .rows
                .iter()
                .filter_map(|row| zone.plan.lead_departments.get(&row.id))
                .flatten()
                .fold(Vec::<String>::new(), |mut acc, dept| {
                    if !acc.contains(dept) {
                        acc.push(dept.clone());
                    }
                    acc
                });
            let standards: Vec<String> = leaves.iter().map(|leaf| leaf.standard.clone()).collect();
            let mut standard = standards.first().cloned().unwrap_or_default();
            if standards.iter().any(|s| *s != standard) {
                standard = standards.join(" / ");
            }
            rows.push(RowAssessment {
                id: indicator.id.clone(),
                indicator: indicator.id.clone(),
                is_indicator: true,
                name: indicator.name.clone(),
                name_en: indicator.name_en.clone(),
                domain: domain.clone(),
                task: task.clone(),
                attribute: indicator.attribute,
                unit: String::new(),
                format: RowFormat::default(),
                standard,
                standard_note: String::new(),
                value: None,
                source: None,
                status,
                basis: if status == Status::NoData {
                    Basis::Nothing
                } else {
                    Basis::Rule
                },
                explanation: Text::new(
                    format!(
                        "子指标：{}；全部子指标达标方为达标。结论：{}",
                        parts.join("，"),
                        status.zh()
                    ),
                    format!(
                        "sub-indicators: {}; met only when all are met. Result: {}",
                        parts_en.join(", "),
                        status.en()
                    ),
                ),
                warnings: Vec::new(),
                partial: None,
                lead_departments: lead,
            });
            indicator_statuses.push((indicator.id.clone(), indicator.attribute, status));
        } else if let Some(leaf) = leaves.first() {
            indicator_statuses.push((indicator.id.clone(), indicator.attribute, leaf.status));
        }
        rows.extend(leaves);
    }
    let readiness = readiness(framework, &indicator_statuses);
    let score = framework
        .scoring
        .as_ref()
        .map(|scoring| crate::score::score(scoring, &rows));
    Assessment {
        zone_code: zone.profile.code.clone(),
        zone_name: zone.profile.name.clone(),
        year,
        framework_id: framework.id.clone(),
        framework_name: framework.name.clone(),
        framework_edition: framework.edition.clone(),
        rows,
        readiness,
        score,
    }
}

/// The kind of zone in words, from its attributes: `湿润地区、丘陵地区的县级区域` / `a county-level zone
/// (humid, hilly)`. Attribute values are the framework's own Chinese words; other keys are named in
/// Chinese too, never as `key=value`.
pub fn zone_kind(attributes: &std::collections::BTreeMap<String, String>) -> Text {
    let mut regions = Vec::new();
    let mut level = None;
    let mut others = Vec::new();
    for (key, value) in attributes {
        match key.as_str() {
            "climate" | "terrain" => regions.push(format!("{value}地区")),
            "level" => level = Some(value.clone()),
            _ => others.push(value.clone()),
        }
    }
    regions.extend(others);
    let level_zh = level.map_or_else(|| "区域".to_string(), |level| format!("{level}区域"));
    let zh = if regions.is_empty() {
        format!("本类{level_zh}")
    } else {
        format!("{}的{level_zh}", regions.join("、"))
    };
    let en_parts: Vec<String> = attributes.values().cloned().collect();
    let en = format!("this kind of zone ({})", en_parts.join(", "));
    Text::new(zh, en)
}

fn readiness(framework: &Framework, statuses: &[(String, Attribute, Status)]) -> Readiness {
    let rule = &framework.designation;
    let binding_not_met: Vec<String> = statuses
        .iter()
        .filter(|(_, attribute, status)| *attribute == Attribute::Binding && *status == Status::NotMet)
        .map(|(id, _, _)| id.clone())
        .collect();
    let binding_no_data: Vec<String> = statuses
        .iter()
        .filter(|(_, attribute, status)| *attribute == Attribute::Binding && *status == Status::NoData)
        .map(|(id, _, _)| id.clone())
        .collect();
    let reference: Vec<&(String, Attribute, Status)> = statuses
        .iter()
        .filter(|(_, attribute, _)| *attribute == Attribute::Reference)
        .collect();
    let reference_met = reference.iter().filter(|(_, _, status)| *status == Status::Met).count();
    let reference_total = reference.len();
    let share = if reference_total == 0 {
        1.0
    } else {
        reference_met as f64 / reference_total as f64
    };
    if statuses.iter().all(|(_, _, status)| *status == Status::NoData) {
        let reference_total = statuses
            .iter()
            .filter(|(_, attribute, _)| *attribute == Attribute::Reference)
            .count();
        return Readiness {
            ready: false,
            binding_not_met: Vec::new(),
            binding_no_data,
            reference_met: 0,
            reference_total,
            reference_met_share: 0.0,
            reference_required_share: rule.reference_min_share,
            explanation: Text::new(
                "本年度尚无数据（尚未填报），无法判断申报条件",
                "no data for this year yet (nothing entered): readiness cannot be judged",
            ),
        };
    }
    let binding_ok = !rule.all_binding_met || (binding_not_met.is_empty() && binding_no_data.is_empty());
    let reference_ok = share + 1e-12 >= rule.reference_min_share;
    let ready = binding_ok && reference_ok;
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if !binding_not_met.is_empty() {
        zh.push(format!("约束性指标未达标：{}", binding_not_met.join("、")));
        en.push(format!("binding indicators not met: {}", binding_not_met.join(", ")));
    }
    if !binding_no_data.is_empty() {
        zh.push(format!("约束性指标无数据：{}", binding_no_data.join("、")));
        en.push(format!(
            "binding indicators without data: {}",
            binding_no_data.join(", ")
        ));
    }
    // Reference indicators without data are not failures: a share over none judged is not written
    // ("0/16（0.0%）" for a year half reported read as bad news nobody measured).
    let reference_no_data = reference
        .iter()
        .filter(|(_, _, status)| *status == Status::NoData)
        .count();
    if reference_no_data == reference_total && reference_total > 0 {
        zh.push(format!(
            "参考性指标 {reference_total} 项均无数据，尚未判定；要求达标比例不低于 {}（{}）",
            crate::format::percent(rule.reference_min_share),
            rule.note
        ));
        en.push(format!(
            "none of the {reference_total} reference indicators has data yet; at least {} required",
            crate::format::percent(rule.reference_min_share)
        ));
    } else {
        let (no_data_zh, no_data_en) = if reference_no_data > 0 {
            (
                format!("，另有 {reference_no_data} 项无数据"),
                format!(", {reference_no_data} without data"),
            )
        } else {
            (String::new(), String::new())
        };
        zh.push(format!(
            "参考性指标达标 {reference_met}/{reference_total} 项（{}）{no_data_zh}，要求不低于 {}（{}）",
            crate::format::percent(share),
            crate::format::percent(rule.reference_min_share),
            rule.note
        ));
        en.push(format!(
            "reference indicators met {reference_met}/{reference_total} ({}){no_data_en}, required at least {}",
            crate::format::percent(share),
            crate::format::percent(rule.reference_min_share)
        ));
    }
    zh.push(if ready {
        "具备申报条件".to_string()
    } else {
        "尚不具备申报条件".to_string()
    });
    en.push(if ready {
        "ready for designation".to_string()
    } else {
        "not yet ready for designation".to_string()
    });
    Readiness {
        ready,
        binding_not_met,
        binding_no_data,
        reference_met,
        reference_total,
        reference_met_share: share,
        reference_required_share: rule.reference_min_share,
        explanation: Text::new(zh.join("；"), en.join("; ")),
    }
}
