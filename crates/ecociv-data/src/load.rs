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

/// A zone from the texts of its files (an upload, an import), against a framework already chosen. Unlike
/// [`load_zone`], the problems of every file are collected before refusing: all or nothing.
pub fn from_texts(
    base: &str,
    framework: Framework,
    zone_toml: &str,
    values: Option<&str>,
    projects: Option<&str>,
) -> Result<LoadedZone, DataError> {
    let mut problems = Vec::new();
    let content = parse_zone(&format!("{base}/zone.toml"), zone_toml, &framework)
        .map_err(|error| problems.extend(error.problems))
        .ok();
    let observations = match values {
        Some(text) => parse_ledger(&format!("{base}/values.csv"), text, &framework)
            .map_err(|error| problems.extend(error.problems))
            .ok(),
        None => Some(Vec::new()),
    };
    let projects = match projects {
        Some(text) => parse_projects(&format!("{base}/projects.csv"), text)
            .map_err(|error| problems.extend(error.problems))
            .ok(),
        None => Some(Vec::new()),
    };
    match (content, observations, projects) {
        (Some(content), Some(observations), Some(projects)) if problems.is_empty() => {
            let mut plan = content.plan;
            plan.projects = projects;
            Ok(LoadedZone {
                zone: Zone {
                    profile: content.profile,
                    plan,
                    observations,
                },
                framework,
                dir: None,
            })
        }
        _ => Err(DataError { problems }),
    }
}

/// Checks a zone's code and parents against the administrative hierarchy: where the hierarchy holds the
/// zone's province, the code must be a county-level unit in force on `day` and the parents must be its
/// city and province as the hierarchy names them. A province the hierarchy does not hold is not checked
/// (the deployment has not loaded its units).
pub fn check_hierarchy(
    file: &str,
    profile: &ecociv_core::ZoneProfile,
    hierarchy: &ecociv_core::division::Hierarchy,
    day: ecociv_core::division::Day,
) -> Vec<crate::Problem> {
    use ecociv_core::division::Level;
    let problem = |field: &str, message: String| crate::Problem {
        file: file.to_string(),
        line: None,
        column: None,
        field: Some(field.to_string()),
        message,
        ..Default::default()
    };
    let code = &profile.code;
    if !ecociv_core::division::is_code(code) {
        return vec![problem(
            "code",
            format!("“{code}”不是六位行政区划代码 (not a six-digit division code)"),
        )];
    }
    let province = format!("{}0000", &code[..2]);
    if hierarchy.unit(&province).is_none() {
        return Vec::new();
    }
    let Some(unit) = hierarchy.unit(code) else {
        return vec![problem(
            "code",
            format!("行政区划代码 {code} 不在已载入的区划中 (unknown division code)"),
        )];
    };
    let mut problems = Vec::new();
    if unit.level != Level::County {
        problems.push(problem(
            "code",
            format!("{code} {} 不是县级行政区 (a zone is a county-level unit)", unit.name),
        ));
    }
    if !unit.in_force_on(day) {
        problems.push(problem(
            "code",
            format!("{code} {} 在 {day} 不是现行区划 (not in force)", unit.name),
        ));
    }
    let mut expected: Vec<(String, String)> = hierarchy
        .ancestors(code)
        .iter()
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    expected.reverse();
    let given: Vec<(String, String)> = profile
        .parents
        .iter()
        .map(|p| (p.code.clone(), p.name.clone()))
        .collect();
    if given != expected {
        let show = |list: &[(String, String)]| {
            list.iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect::<Vec<_>>()
                .join(" → ")
        };
        problems.push(problem(
            "parents",
            format!(
                "上级区划应为 {}，文件写的是 {} (parents differ from the hierarchy)",
                show(&expected),
                if given.is_empty() {
                    "（无）".to_string()
                } else {
                    show(&given)
                }
            ),
        ));
    }
    problems
}
