//! Judging the plan's own targets (目标值) against the standard: a target that would not meet the
//! standard is flagged.
//!
//! A target is judged the way a value is: a figure or a state is judged as if it were that year's value,
//! with the base-year value as the earlier value on record; 不低于现状值 is judged as the base-year value;
//! a target that restates the standard's wording meets it by construction; a description of work to do
//! cannot be compared and is reported as such.

use crate::framework::Framework;
use crate::judge::{Evidence, Status, Text, judge};
use crate::value::{Observation, Source, Value};
use crate::zone::{TargetKind, Zone};

/// The check of one target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetCheck {
    pub row: String,
    pub name: String,
    pub target_year: i32,
    pub text: String,
    pub standard: String,
    /// Met: the target meets the standard. Not met: it would not (flagged). No data: not comparable.
    pub status: Status,
    pub explanation: Text,
}

impl TargetCheck {
    /// A target that would not meet the standard.
    pub fn flagged(&self) -> bool {
        self.status == Status::NotMet
    }
}

/// Checks every target of the zone's plan for `target_year`, in table order.
pub fn check_targets(framework: &Framework, zone: &Zone, target_year: i32) -> Vec<TargetCheck> {
    let base_year = zone.plan.base_year;
    let mut checks = Vec::new();
    for (_, row) in framework.rows() {
        let Some(target) = zone
            .plan
            .targets
            .get(&row.id)
            .and_then(|by_year| by_year.get(&target_year))
        else {
            continue;
        };
        let Some(variant) = row.variant_for(&zone.profile.attributes) else {
            checks.push(TargetCheck {
                row: row.id.clone(),
                name: row.name.clone(),
                target_year,
                text: target.text.clone(),
                standard: "未知".into(),
                status: Status::NoData,
                explanation: Text::new("本区域适用的标准值未知", "the standard for this zone is unknown"),
            });
            continue;
        };
        let base = zone.observation(&row.id, base_year);
        let as_value = match &target.kind {
            TargetKind::Value(number) => Some(Value::Number(*number)),
            TargetKind::State(text) => Some(Value::State(text.clone())),
            TargetKind::NotBelowBase => base.map(|obs| obs.value.clone()),
            TargetKind::RestatesStandard | TargetKind::Describes => None,
        };
        let (status, explanation) = match (&target.kind, as_value) {
            (TargetKind::RestatesStandard, _) => (
                Status::Met,
                Text::new(
                    format!("目标“{}”与标准“{}”表述一致", target.text, variant.standard),
                    format!("the target restates the standard \"{}\"", variant.standard),
                ),
            ),
            (TargetKind::Describes, _) => (
                Status::NoData,
                Text::new(
                    format!("目标“{}”为工作内容描述，不能与标准值比较", target.text),
                    "the target describes work to do and cannot be compared with the standard",
                ),
            ),
            (TargetKind::NotBelowBase, None) => (
                Status::NoData,
                Text::new(
                    format!("目标为不低于现状值，但{base_year}年无现状值"),
                    format!("target is the base value, but {base_year} has none"),
                ),
            ),
            (_, Some(value)) => {
                let observation = Observation {
                    row: row.id.clone(),
                    year: target_year,
                    value,
                    assigned: None,
                    recorded: None,
                    source: Source::Document {
                        citation: format!("规划{target_year}年目标值“{}”", target.text),
                    },
                };
                let earlier =
                    base.filter(|obs| matches!((&obs.value, &observation.value), (Value::Number(_), Value::Number(_))));
                let evidence = Evidence {
                    year: target_year,
                    current: Some(&observation),
                    earlier,
                };
                let judgement = judge(row, &variant.criterion, &variant.standard, &evidence);
                (judgement.status, judgement.explanation)
            }
            (_, None) => (Status::NoData, Text::new("无法判定", "cannot be judged")),
        };
        checks.push(TargetCheck {
            row: row.id.clone(),
            name: row.name.clone(),
            target_year,
            text: target.text.clone(),
            standard: variant.standard.clone(),
            status,
            explanation,
        });
    }
    checks
}
