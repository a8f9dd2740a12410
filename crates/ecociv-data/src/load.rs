//! Loading a zone: from a directory (`zone.toml`, optional `values.csv`, `projects.csv`,
//! `framework.toml`, `monitoring/`) or from a bundled example by its code.

use std::path::{Path, PathBuf};

use ecociv_core::{Framework, Observation, Zone};

use crate::bundled;
use crate::error::{DataError, utf8};
use crate::framework::parse_framework;
use crate::values::{parse_ledger, parse_values};
use crate::zone::{framework_of, parse_projects, parse_zone};

/// A zone with its framework, ready to assess.
pub struct LoadedZone {
    pub framework: Framework,
    pub zone: Zone,
    /// The zone's directory, when it was loaded from one (monitoring data may sit under it).
    pub dir: Option<PathBuf>,
}

/// Loads a zone given as a directory, or as the code of a bundled example zone.
pub fn load_zone(spec: &str) -> Result<LoadedZone, DataError> {
    let path = Path::new(spec);
    if path.is_dir() {
        return load_dir(path);
    }
    if let Some(bundled) = bundled::zone(spec) {
        let label = format!("<内置区域 {}>", bundled.code);
        let framework_id = framework_of(&format!("{label}/zone.toml"), bundled.zone_toml)?;
        let framework = bundled::framework(&framework_id)?;
        return assemble(
            framework,
            &format!("data/zones/{}", bundled.code),
            bundled.zone_toml,
            Some(bundled.values_csv),
            Some(bundled.projects_csv),
            None,
        );
    }
    let known: Vec<&str> = bundled::ZONES.iter().map(|zone| zone.code).collect();
    Err(DataError::one(
        spec,
        None,
        None,
        format!(
            "既不是区域目录，也不是内置区域代码（内置：{}） (neither a zone directory nor a bundled zone code)",
            known.join("、")
        ),
    ))
}

fn read(path: &Path) -> Result<String, DataError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|error| DataError::one(&name, None, None, format!("无法读取 (cannot read): {error}")))?;
    utf8(&name, bytes)
}

fn read_optional(path: &Path) -> Result<Option<String>, DataError> {
    if path.exists() { read(path).map(Some) } else { Ok(None) }
}

fn load_dir(dir: &Path) -> Result<LoadedZone, DataError> {
    let zone_path = dir.join("zone.toml");
    let zone_text = read(&zone_path)?;
    let zone_name = zone_path.display().to_string();
    let framework = match read_optional(&dir.join("framework.toml"))? {
        Some(text) => parse_framework(&dir.join("framework.toml").display().to_string(), &text)?,
        None => bundled::framework(&framework_of(&zone_name, &zone_text)?)?,
    };
    let values = read_optional(&dir.join("values.csv"))?;
    let projects = read_optional(&dir.join("projects.csv"))?;
    assemble(
        framework,
        &dir.display().to_string(),
        &zone_text,
        values.as_deref(),
        projects.as_deref(),
        Some(dir.to_path_buf()),
    )
}

fn assemble(
    framework: Framework,
    base: &str,
    zone_text: &str,
    values: Option<&str>,
    projects: Option<&str>,
    dir: Option<PathBuf>,
) -> Result<LoadedZone, DataError> {
    let content = parse_zone(&format!("{base}/zone.toml"), zone_text, &framework)?;
    let observations = match values {
        // The zone's own values are its ledger: a later line revises an earlier one.
        Some(text) => parse_ledger(&format!("{base}/values.csv"), text, &framework)?,
        None => Vec::new(),
    };
    let mut plan = content.plan;
    if let Some(text) = projects {
        plan.projects = parse_projects(&format!("{base}/projects.csv"), text)?;
    }
    Ok(LoadedZone {
        zone: Zone {
            profile: content.profile,
            plan,
            observations,
        },
        framework,
        dir,
    })
}

/// Reads a values file from disk against a framework.
pub fn load_values_file(path: &Path, framework: &Framework) -> Result<Vec<Observation>, DataError> {
    let text = read(path)?;
    parse_values(&path.display().to_string(), &text, framework)
}
