//! The example zone's plan files, compiled in (they come from `data/zones/<code>/` at the repository root).

use crate::format::{FileError, parse_key_projects, parse_measures};
use crate::model::{KeyProjects, Measures};

/// (zone code, measures.toml, key_projects.toml).
pub const ZONES: &[(&str, &str, &str)] = &[(
    "450202",
    include_str!("../../../data/zones/450202/measures.toml"),
    include_str!("../../../data/zones/450202/key_projects.toml"),
)];

/// The bundled zone's measures and projects, if the zone is bundled.
pub fn zone(code: &str) -> Option<Result<(Measures, KeyProjects), FileError>> {
    let (_, measures, projects) = ZONES.iter().find(|(c, _, _)| *c == code)?;
    Some(load(code, measures, projects))
}

/// Reads a zone's two files from text (`dir` names them in errors).
pub fn load(dir: &str, measures: &str, projects: &str) -> Result<(Measures, KeyProjects), FileError> {
    let m = parse_measures(&format!("{dir}/measures.toml"), measures, None)?;
    let p = parse_key_projects(&format!("{dir}/key_projects.toml"), projects, Some(&m))?;
    Ok((m, p))
}
