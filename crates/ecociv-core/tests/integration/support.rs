//! Builders for small frameworks and zones, so each test states only what it is about.

use std::collections::BTreeMap;

use ecociv_core::framework::{DesignationRule, Domain, StateDef, Task, Variant};
use ecociv_core::value::SpatialRecord;
use ecociv_core::zone::{Plan, Target, TargetKind};
use ecociv_core::{
    Assigned, Attribute, Criterion, Direction, Framework, Indicator, Observation, Recorded, Row, Source, StateVerdict,
    Value, Zone, ZoneProfile,
};

pub fn row(id: &str, direction: Direction, range: Option<(f64, f64)>, criterion: Criterion) -> Row {
    Row {
        id: id.to_string(),
        name: format!("指标{id}"),
        name_en: format!("row {id}"),
        unit: if range == Some((0.0, 100.0)) {
            "%".into()
        } else {
            "-".into()
        },
        precision: None,
        direction,
        range,
        states: Vec::new(),
        spatial: false,
        variants: vec![Variant {
            when: BTreeMap::new(),
            standard: "标准".into(),
            criterion,
            note: String::new(),
        }],
    }
}

pub fn share(id: &str, criterion: Criterion) -> Row {
    row(id, Direction::HigherIsBetter, Some((0.0, 100.0)), criterion)
}

pub fn with_states(mut row: Row, meets: &[&str], fails: &[&str], describes: &[&str]) -> Row {
    for (texts, verdict) in [
        (meets, StateVerdict::Meets),
        (fails, StateVerdict::Fails),
        (describes, StateVerdict::Describes),
    ] {
        for text in texts {
            row.states.push(StateDef {
                text: text.to_string(),
                aliases: Vec::new(),
                verdict,
                equals: None,
            });
        }
    }
    row
}

/// A framework of one indicator per row, all binding unless listed in `reference`.
pub fn framework(rows: Vec<Row>, reference: &[&str]) -> Framework {
    let indicators = rows
        .into_iter()
        .map(|row| Indicator {
            id: row.id.clone(),
            task: "1".into(),
            name: row.name.clone(),
            name_en: row.name_en.clone(),
            attribute: if reference.contains(&row.id.as_str()) {
                Attribute::Reference
            } else {
                Attribute::Binding
            },
            rows: vec![row],
        })
        .collect();
    Framework {
        id: "test".into(),
        name: "测试指标体系".into(),
        name_en: "test".into(),
        edition: "T".into(),
        source: "tests".into(),
        domains: vec![Domain {
            id: "d".into(),
            name: "领域".into(),
            name_en: "domain".into(),
        }],
        tasks: vec![Task {
            id: "1".into(),
            domain: "d".into(),
            name: "任务".into(),
            name_en: "task".into(),
        }],
        indicators,
        designation: DesignationRule {
            all_binding_met: true,
            reference_min_share: 0.8,
            note: "test".into(),
        },
        restating_phrases: vec!["完成上级规定的考核任务".into()],
        scoring: None,
    }
}

pub fn zone(observations: Vec<Observation>) -> Zone {
    Zone {
        profile: ZoneProfile {
            code: "999999".into(),
            name: "测试区".into(),
            name_en: "Test".into(),
            parents: Vec::new(),
            attributes: BTreeMap::from([("level".to_string(), "县级".to_string())]),
        },
        plan: Plan {
            title: "测试规划".into(),
            framework: "test".into(),
            base_year: 2021,
            targets: BTreeMap::new(),
            lead_departments: BTreeMap::new(),
            projects: Vec::new(),
        },
        observations,
    }
}

pub fn target(text: &str, kind: TargetKind) -> Target {
    Target {
        text: text.to_string(),
        kind,
    }
}

pub fn obs(row: &str, year: i32, value: Value) -> Observation {
    Observation {
        row: row.into(),
        year,
        value,
        assigned: None,
        recorded: None,
        source: Source::Document {
            citation: "测试".into(),
        },
    }
}

pub fn num(row: &str, year: i32, value: f64) -> Observation {
    obs(row, year, Value::Number(value))
}

pub fn state(row: &str, year: i32, text: &str) -> Observation {
    obs(row, year, Value::State(text.into()))
}

pub fn spatial(row: &str, year: i32, area: Option<f64>, nature: Option<bool>, function: Option<bool>) -> Observation {
    obs(
        row,
        year,
        Value::Spatial(SpatialRecord {
            area_km2: area,
            nature_unchanged: nature,
            function_kept: function,
        }),
    )
}

pub fn assigned(mut observation: Observation, assigned: Assigned) -> Observation {
    observation.assigned = Some(assigned);
    observation
}

pub fn recorded(mut observation: Observation, met: bool) -> Observation {
    observation.recorded = Some(Recorded {
        met,
        source: "规划表2-1".into(),
    });
    observation
}
