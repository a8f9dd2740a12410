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
    Assessment {
        zone_code: zone.profile.code.clone(),
        zone_name: zone.profile.name.clone(),
        year,
        framework_id: framework.id.clone(),
        framework_name: framework.name.clone(),
        framework_edition: framework.edition.clone(),
        rows,
        readiness,
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
    zh.push(format!(
        "参考性指标达标 {reference_met}/{reference_total}（{:.1}%），要求不低于 {:.1}%（{}）",
        share * 100.0,
        rule.reference_min_share * 100.0,
        rule.note
    ));
    en.push(format!(
        "reference indicators met {reference_met}/{reference_total} ({:.1}%), required at least {:.1}%",
        share * 100.0,
        rule.reference_min_share * 100.0
    ));
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
