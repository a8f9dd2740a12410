//! A zone written back as a zone directory (`zone.toml`, `values.csv`, `projects.csv`) that
//! [`crate::load`] reads back (issue 15: `ecociv zone export`, the API's export). The texts are returned;
//! callers write them.
//!
//! What the files cannot carry is said in `zone.toml`'s header: values computed from monitoring data, a
//! register or a survey are written as values with their source described in words (`source` column), so
//! on import they read as a document's figures.

use std::fmt::Write as _;

use ecociv_core::zone::TargetKind;
use ecociv_core::{Source, Value, Zone};

/// The files of a zone directory: (file name, text).
pub fn zone_files(zone: &Zone, exported_at: &str) -> Vec<(&'static str, String)> {
    vec![
        ("zone.toml", zone_toml(zone, exported_at)),
        ("values.csv", values_csv(zone)),
        ("projects.csv", projects_csv(zone)),
    ]
}

fn quoted(text: &str) -> String {
    // A TOML basic string.
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `zone.toml`: profile, framework edition, plan, and per row the leads and targets.
pub fn zone_toml(zone: &Zone, exported_at: &str) -> String {
    let profile = &zone.profile;
    let plan = &zone.plan;
    let mut out = String::new();
    let _ = writeln!(out, "# {} — exported by ecociv {exported_at}.", profile.name);
    out.push_str(
        "# Values computed from monitoring data, registers or surveys are written to values.csv as figures with\n\
         # their source in words; imported again they read as a document's figures.\n\n",
    );
    let _ = writeln!(out, "code = {}", quoted(&profile.code));
    let _ = writeln!(out, "name = {}", quoted(&profile.name));
    let _ = writeln!(out, "name_en = {}", quoted(&profile.name_en));
    let _ = writeln!(out, "framework = {}", quoted(&plan.framework));
    for parent in &profile.parents {
        out.push_str("\n[[parents]]\n");
        let _ = writeln!(out, "code = {}", quoted(&parent.code));
        let _ = writeln!(out, "name = {}", quoted(&parent.name));
        let _ = writeln!(out, "level = {}", quoted(&parent.level));
    }
    out.push_str("\n[attributes]\n");
    for (key, value) in &profile.attributes {
        let _ = writeln!(out, "{} = {}", quoted(key), quoted(value));
    }
    out.push_str("\n[plan]\n");
    let _ = writeln!(out, "title = {}", quoted(&plan.title));
    let _ = writeln!(out, "base_year = {}", plan.base_year);
    let mut ids: Vec<&String> = plan.targets.keys().chain(plan.lead_departments.keys()).collect();
    ids.sort_by_key(|id| row_order(id));
    ids.dedup();
    for id in ids {
        let _ = writeln!(out, "\n[rows.{}]", quoted(id));
        if let Some(leads) = plan.lead_departments.get(id) {
            let leads: Vec<String> = leads.iter().map(|lead| quoted(lead)).collect();
            let _ = writeln!(out, "lead = [{}]", leads.join(", "));
        }
        if let Some(targets) = plan.targets.get(id) {
            let items: Vec<String> = targets
                .iter()
                .map(|(year, target)| {
                    let text = quoted(&target.text);
                    match target.kind {
                        TargetKind::Describes => format!("{year} = {{ text = {text}, kind = \"describes\" }}"),
                        TargetKind::RestatesStandard => format!("{year} = {{ text = {text}, kind = \"restates\" }}"),
                        _ => format!("{year} = {text}"),
                    }
                })
                .collect();
            let _ = writeln!(out, "targets = {{ {} }}", items.join(", "));
        }
    }
    out
}

/// Row ids in table order (`7.2` before `10`).
fn row_order(id: &str) -> Vec<u32> {
    id.split('.').map(|part| part.parse().unwrap_or(u32::MAX)).collect()
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The text a values file holds for a value: a number in its shortest exact decimal, a state as is.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Number(number) => number.to_string(),
        Value::State(_) | Value::Spatial(_) => value.display(),
    }
}

/// The `source` column for an observation: a document's citation as is, synthetic data marked
/// `synthetic:`, anything else described in words.
fn source_text(source: &Source) -> String {
    match source {
        Source::Document { citation } => citation.clone(),
        Source::Synthetic { note, .. } => format!("synthetic:{note}"),
        other => other.describe(),
    }
}

/// `values.csv`: every observation in force, one line each, by row and year.
pub fn values_csv(zone: &Zone) -> String {
    let mut out = String::from("indicator,year,value,assigned,recorded,source\n");
    let mut keys: Vec<(Vec<u32>, i32, &str)> = zone
        .observations
        .iter()
        .map(|obs| (row_order(&obs.row), obs.year, obs.row.as_str()))
        .collect();
    keys.sort();
    keys.dedup();
    for (_, year, row) in keys {
        let Some(obs) = zone.observation(row, year) else {
            continue;
        };
        let recorded = obs
            .recorded
            .as_ref()
            .map(|r| if r.met { "达标" } else { "不达标" })
            .unwrap_or("");
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_field(row),
            year,
            csv_field(&value_text(&obs.value)),
            csv_field(&obs.assigned.as_ref().map(ToString::to_string).unwrap_or_default()),
            recorded,
            csv_field(&source_text(&obs.source)),
        );
    }
    out
}

/// `projects.csv`: Table 4-1.
pub fn projects_csv(zone: &Zone) -> String {
    let mut out = String::from("number,category,content,count,investment_wan_yuan\n");
    for project in &zone.plan.projects {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            project.number,
            csv_field(&project.category),
            csv_field(&project.content),
            project.count,
            project.investment_wan_yuan
        );
    }
    out
}
