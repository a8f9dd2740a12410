//! The ledger kinds of the example zone, compiled in from `data/ledgers/` (their provenance and doubts are
//! in that folder's README and in each file).

use ecociv_core::Framework;
use ecociv_data::DataError;

use crate::kind::{Kind, parse_kind};

/// (file name, text) of every bundled kind.
pub const KINDS: &[(&str, &str)] = &[
    ("agri_waste.toml", include_str!("../../../data/ledgers/agri_waste.toml")),
    (
        "cadre_training.toml",
        include_str!("../../../data/ledgers/cadre_training.toml"),
    ),
    (
        "contaminated_land.toml",
        include_str!("../../../data/ledgers/contaminated_land.toml"),
    ),
    (
        "disclosure_register.toml",
        include_str!("../../../data/ledgers/disclosure_register.toml"),
    ),
    ("eia.toml", include_str!("../../../data/ledgers/eia.toml")),
    (
        "emergency_drill.toml",
        include_str!("../../../data/ledgers/emergency_drill.toml"),
    ),
    ("enterprise.toml", include_str!("../../../data/ledgers/enterprise.toml")),
    (
        "fertiliser_pesticide_trial.toml",
        include_str!("../../../data/ledgers/fertiliser_pesticide_trial.toml"),
    ),
    (
        "green_building.toml",
        include_str!("../../../data/ledgers/green_building.toml"),
    ),
    (
        "green_procurement.toml",
        include_str!("../../../data/ledgers/green_procurement.toml"),
    ),
    (
        "hazardous_waste.toml",
        include_str!("../../../data/ledgers/hazardous_waste.toml"),
    ),
    (
        "industrial_solid_waste.toml",
        include_str!("../../../data/ledgers/industrial_solid_waste.toml"),
    ),
    ("red_line.toml", include_str!("../../../data/ledgers/red_line.toml")),
    (
        "refuse_sorting.toml",
        include_str!("../../../data/ledgers/refuse_sorting.toml"),
    ),
    (
        "resource_statistics.toml",
        include_str!("../../../data/ledgers/resource_statistics.toml"),
    ),
    (
        "risk_hazard.toml",
        include_str!("../../../data/ledgers/risk_hazard.toml"),
    ),
    (
        "river_patrol.toml",
        include_str!("../../../data/ledgers/river_patrol.toml"),
    ),
    (
        "rural_refuse.toml",
        include_str!("../../../data/ledgers/rural_refuse.toml"),
    ),
    (
        "rural_sewage.toml",
        include_str!("../../../data/ledgers/rural_sewage.toml"),
    ),
    (
        "rural_toilet.toml",
        include_str!("../../../data/ledgers/rural_toilet.toml"),
    ),
    ("sewage.toml", include_str!("../../../data/ledgers/sewage.toml")),
    ("shoreline.toml", include_str!("../../../data/ledgers/shoreline.toml")),
    (
        "urban_refuse.toml",
        include_str!("../../../data/ledgers/urban_refuse.toml"),
    ),
    (
        "village_water.toml",
        include_str!("../../../data/ledgers/village_water.toml"),
    ),
];

/// Every bundled kind, parsed and checked against the framework; all problems of all files together.
pub fn kinds(framework: &Framework) -> Result<Vec<Kind>, DataError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (file, text) in KINDS {
        match parse_kind(&format!("data/ledgers/{file}"), text, framework) {
            Ok(kind) => out.push(kind),
            Err(error) => problems.extend(error.problems),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(DataError { problems })
    }
}

/// The bundled kinds and `extra` kind files (file name, text): a file's kind replaces a bundled one of the
/// same id (and an earlier file's); all problems of all the files together. The one rule of which kinds a
/// server's configuration or a command line's folder adds.
pub fn kinds_with<N: AsRef<str>, T: AsRef<str>>(
    framework: &Framework,
    extra: impl IntoIterator<Item = (N, T)>,
) -> Result<Vec<Kind>, DataError> {
    let mut kinds = kinds(framework)?;
    let mut problems = Vec::new();
    for (file, text) in extra {
        match parse_kind(file.as_ref(), text.as_ref(), framework) {
            Ok(kind) => {
                kinds.retain(|k| k.id != kind.id);
                kinds.push(kind);
            }
            Err(error) => problems.extend(error.problems),
        }
    }
    if problems.is_empty() {
        Ok(kinds)
    } else {
        Err(DataError { problems })
    }
}
