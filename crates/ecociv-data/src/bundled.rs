//! The data compiled into the binary: framework editions and example zones. They come from `data/` at the
//! repository root, so the files people read and edit are the files the program runs.

use ecociv_core::Framework;

use crate::error::DataError;
use crate::framework::parse_framework;

/// Framework editions: (id, TOML text).
pub const FRAMEWORKS: &[(&str, &str)] = &[
    (
        "national-2021",
        include_str!("../../../data/frameworks/national-2021.toml"),
    ),
    // Issue 15: an EXAMPLE scored edition (invented points, labelled as such; not the provincial rules).
    (
        "example-scored-2021",
        include_str!("../../../data/frameworks/example-scored-2021.toml"),
    ),
];

/// An example zone's files.
pub struct BundledZone {
    pub code: &'static str,
    pub zone_toml: &'static str,
    pub values_csv: &'static str,
    pub projects_csv: &'static str,
}

/// Example zones. Each holds only what its source document states (see its README).
pub const ZONES: &[BundledZone] = &[BundledZone {
    code: "450202",
    zone_toml: include_str!("../../../data/zones/450202/zone.toml"),
    values_csv: include_str!("../../../data/zones/450202/values.csv"),
    projects_csv: include_str!("../../../data/zones/450202/projects.csv"),
}];

/// A bundled framework edition by id.
pub fn framework(id: &str) -> Result<Framework, DataError> {
    let Some((_, text)) = FRAMEWORKS.iter().find(|(known, _)| *known == id) else {
        let known: Vec<&str> = FRAMEWORKS.iter().map(|(known, _)| *known).collect();
        return Err(DataError::one(
            format!("<bundled framework {id}>"),
            None,
            None,
            format!("未知指标体系“{id}”；内置：{} (unknown framework)", known.join("、")),
        ));
    };
    parse_framework(&format!("data/frameworks/{id}.toml"), text)
}

/// The administrative units compiled in (`data/divisions/guangxi.csv`: 广西 450000, its cities and county-level
/// units, sources and doubts in that folder's README).
pub const DIVISIONS: (&str, &str) = (
    "data/divisions/guangxi.csv",
    include_str!("../../../data/divisions/guangxi.csv"),
);

/// The bundled administrative hierarchy.
pub fn divisions() -> Result<ecociv_core::division::Hierarchy, DataError> {
    crate::division::parse_hierarchy(DIVISIONS.0, DIVISIONS.1)
}

/// A bundled zone by its division code.
pub fn zone(code: &str) -> Option<&'static BundledZone> {
    ZONES.iter().find(|zone| zone.code == code)
}
