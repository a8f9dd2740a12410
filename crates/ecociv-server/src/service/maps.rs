//! Maps (issue 15): units' boundaries imported from a GeoJSON file (`ecociv map import`) and the prepared
//! layer of a scope's county-level units for the roll-up pages.
//!
//! The import is all or nothing: the file is read by `ecociv_map::geojson::read` (every problem with the
//! feature and the field), each code is checked against the administrative hierarchy, and the boundaries
//! are stored in one transaction. With a scope (`--within 450000`) a national file can be imported for one
//! province: features outside the scope are counted and left out; inside it, an unknown code is an error.
//!
//! The layer (projected, simplified path data — `ecociv_map::svg::Layer`) is computed once per scope and
//! boundary version ([`MapCache`]); the pages colour it per request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use ecociv_core::division::{Day, Hierarchy, Level};
use ecociv_data::Problem as Located;
use ecociv_map::svg::{Layer, TOLERANCE, WIDTH};
use ecociv_store::{NewBoundary, Store};
use serde_json::json;

use crate::error::{ApiError, ApiResult, Code, located_json};
use crate::service::zones::{ensure_units, hierarchy};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Units whose boundary was stored.
    pub stored: usize,
    /// Features outside the scope, left out.
    pub outside: usize,
    /// Line features without a code (drawn borders), left out.
    pub lines: usize,
    /// Positions stored.
    pub points: usize,
    /// Units the file names otherwise than the hierarchy: (code, the file's name, the hierarchy's name).
    pub renamed: Vec<(String, String, String)>,
}

/// The code prefix a unit's code starts with under a scope (GB/T 2260's structure: two digits for the
/// province, four for the city), for features whose unit the hierarchy does not know.
fn prefix(scope: &str) -> &str {
    if scope.ends_with("0000") {
        &scope[..2]
    } else if scope.ends_with("00") {
        &scope[..4]
    } else {
        scope
    }
}

/// The refusal of a boundary file: every problem (at most [`ecociv_map::geojson::MAX_PROBLEMS`], then how
/// many more) as `error::located_json`, nothing imported.
fn refused(source: &str, problems: Vec<Located>, scoped: bool) -> ApiError {
    let total = problems.len();
    let unknown = problems
        .iter()
        .filter(|problem| problem.message.contains("不在本系统的行政区划中"))
        .count();
    let mut problems: Vec<Located> = problems
        .into_iter()
        .take(ecociv_map::geojson::MAX_PROBLEMS)
        .map(|problem| problem.in_file(source))
        .collect();
    if total > ecociv_map::geojson::MAX_PROBLEMS {
        problems.push(Located::new(
            source,
            format!("另有 {} 处错误未列出", total - ecociv_map::geojson::MAX_PROBLEMS),
        ));
    }
    // Without a scope, a file of the whole country names units this deployment does not hold.
    let hint = if unknown > 0 && !scoped {
        "；文件含本系统行政区划以外的单位时，可指定只导入的范围（如广西 450000），范围外的要素略过"
    } else {
        ""
    };
    ApiError::new(
        Code::InvalidValue,
        format!("边界文件 {source} 有 {total} 处错误，未导入任何边界{hint} (nothing was imported)"),
    )
    .with_details(json!(problems.iter().map(located_json).collect::<Vec<_>>()))
}

/// The largest boundary file the API and the admin page take (spooled to disk as it arrives, then read
/// whole: the GeoJSON is parsed as one document). A province's county boundaries are a few MiB; the
/// nation's districts at full detail some hundred.
pub const MAX_BOUNDARY_BYTES: u64 = 256 << 20;

/// Imports a GeoJSON file's boundaries, all or nothing. `within`: a unit code; features outside it are
/// left out. `code_property`: the property holding the code (default: `adcode`, `code`, `gb`, …).
/// `dry_run`: every check, nothing stored (the report says what would be).
pub async fn import(
    store: &Store,
    text: &str,
    source: &str,
    within: Option<&str>,
    code_property: Option<&str>,
    dry_run: bool,
) -> ApiResult<ImportReport> {
    let hierarchy = hierarchy();
    if let Some(scope) = within
        && hierarchy.unit(scope).is_none()
    {
        return Err(ApiError::new(
            Code::InvalidValue,
            format!("范围 {scope} 不是已知的行政区划代码 (unknown unit)"),
        ));
    }
    let collection = ecociv_map::geojson::read(text, code_property)
        .map_err(|problems| refused(source, problems, within.is_some()))?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut report = ImportReport {
        stored: 0,
        outside: 0,
        lines: collection.lines.len(),
        points: 0,
        renamed: Vec::new(),
    };
    for boundary in collection.boundaries {
        let unit = hierarchy.unit(&boundary.code);
        let inside = match (within, unit) {
            (None, _) => true,
            (Some(scope), Some(_)) => hierarchy.is_within(&boundary.code, scope),
            (Some(scope), None) => boundary.code.starts_with(prefix(scope)),
        };
        if !inside {
            report.outside += 1;
            continue;
        }
        let Some(unit) = unit else {
            problems.push(ecociv_map::geojson::feature_problem(
                boundary.feature,
                format!("properties.{}", boundary.code_property),
                format!(
                    "代码 {} 不在本系统的行政区划中（{}）",
                    boundary.code,
                    boundary.name.as_deref().unwrap_or("无名称")
                ),
            ));
            continue;
        };
        if let Some(name) = &boundary.name
            && *name != unit.name
        {
            report
                .renamed
                .push((unit.code.clone(), name.clone(), unit.name.clone()));
        }
        let points = boundary.points();
        report.points += points;
        rows.push(NewBoundary {
            unit_code: unit.code.clone(),
            name: unit.name.clone(),
            geometry: ecociv_map::geojson::encode(&boundary.polygons),
            points: i64::try_from(points).unwrap_or(i64::MAX),
        });
    }
    if !problems.is_empty() {
        return Err(refused(source, problems, within.is_some()));
    }
    if rows.is_empty() {
        return Err(ApiError::new(
            Code::InvalidValue,
            format!(
                "边界文件 {source} 在所选范围内没有任何单位的边界（范围外 {} 个），未导入 (nothing was imported)",
                report.outside
            ),
        ));
    }
    if dry_run {
        report.stored = rows.len();
        return Ok(report);
    }
    ensure_units(store).await?;
    report.stored = store.put_boundaries(&rows, source).await?;
    Ok(report)
}

/// [`import`] of a file's bytes (the command line's file, an upload): refused whole, naming the file, when
/// it is not UTF-8 text.
pub async fn import_bytes(
    store: &Store,
    bytes: Vec<u8>,
    source: &str,
    within: Option<&str>,
    code_property: Option<&str>,
    dry_run: bool,
) -> ApiResult<ImportReport> {
    let text = String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        ApiError::new(
            Code::InvalidValue,
            format!("边界文件 {source} 第 {line} 行不是 UTF-8 编码的文本，未导入任何边界 (not UTF-8 text; nothing was imported)"),
        )
        .with_details(json!([located_json(
            &Located::new(source, "不是 UTF-8 编码的文本 (not UTF-8 text)").at_line(line as u64)
        )]))
    })?;
    import(store, &text, source, within, code_property, dry_run).await
}

impl ImportReport {
    /// The report as the API answers it.
    pub fn json(&self, file: &str, scope: Option<&str>, dry_run: bool) -> serde_json::Value {
        json!({
            "dry_run": dry_run,
            "file": file,
            "scope": scope.unwrap_or(crate::service::rollup::NATION),
            "stored": self.stored,
            "outside": self.outside,
            "lines": self.lines,
            "points": self.points,
            "renamed": self.renamed.iter().map(|(code, in_file, name)| json!({
                "code": code, "name_in_file": in_file, "name": name,
            })).collect::<Vec<_>>(),
        })
    }
}

/// A county-level unit of a map's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapUnit {
    pub code: String,
    pub name: String,
    /// Its city's name (empty for a unit directly under a province).
    pub city: String,
    /// Whether a boundary is stored for it.
    pub drawn: bool,
}

/// A scope's map: its county-level units in force and the prepared layer of those with a boundary.
#[derive(Debug)]
pub struct ScopeMap {
    pub units: Vec<MapUnit>,
    /// `None` when no unit of the scope has a boundary.
    pub layer: Option<Layer>,
    /// The files the boundaries came from, and the latest import time.
    pub sources: Vec<String>,
    pub imported_at: Option<String>,
}

/// Prepared layers per (scope, boundary version). Bounded: cleared when it holds too many scopes.
#[derive(Default)]
pub struct MapCache {
    entries: Mutex<HashMap<String, (ecociv_store::boundary::BoundaryVersion, Arc<ScopeMap>)>>,
}

/// How many scopes' layers are kept (a province and its cities are 15).
const CACHED_SCOPES: usize = 64;

fn units_of(hierarchy: &Hierarchy, scope: Option<&str>, day: Day) -> Vec<MapUnit> {
    let counties: Vec<&ecociv_core::division::Unit> = match scope {
        Some(scope) => hierarchy.counties_within(scope, day),
        None => {
            let mut all: Vec<_> = hierarchy
                .units()
                .filter(|u| u.level == Level::County && u.in_force_on(day))
                .collect();
            all.sort_by(|a, b| a.code.cmp(&b.code));
            all
        }
    };
    counties
        .into_iter()
        .map(|unit| MapUnit {
            code: unit.code.clone(),
            name: unit.name.clone(),
            city: hierarchy
                .parent(&unit.code)
                .filter(|p| p.level == Level::Prefecture)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            drawn: false,
        })
        .collect()
}

/// The map of a scope (a unit's code, or `None` for the nation) on a day.
pub async fn scope_map(store: &Store, cache: &MapCache, scope: Option<&str>, day: Day) -> ApiResult<Arc<ScopeMap>> {
    let version = store.boundary_version().await?;
    let key = format!("{}|{day}", scope.unwrap_or(""));
    if let Some((at, map)) = cache.entries.lock().unwrap_or_else(PoisonError::into_inner).get(&key)
        && *at == version
    {
        return Ok(map.clone());
    }
    let mut units = units_of(hierarchy(), scope, day);
    let codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
    let stored = if version.0 == 0 {
        Vec::new()
    } else {
        store.boundaries(&codes).await?
    };
    let mut shapes = Vec::with_capacity(stored.len());
    let mut sources = std::collections::BTreeSet::new();
    let mut imported_at: Option<String> = None;
    for boundary in &stored {
        // Stored by the import after the same checks; a row that does not read back is left out (and said
        // in the log), not a failed page.
        match ecociv_map::geojson::decode(&boundary.geometry) {
            Ok(polygons) => shapes.push((boundary.unit_code.clone(), polygons)),
            Err(error) => tracing::warn!(unit = %boundary.unit_code, %error, "stored boundary unreadable"),
        }
        sources.insert(boundary.source.clone());
        if imported_at.as_ref().is_none_or(|at| *at < boundary.imported_at) {
            imported_at = Some(boundary.imported_at.clone());
        }
    }
    for unit in &mut units {
        unit.drawn = shapes.iter().any(|(code, _)| *code == unit.code);
    }
    let layer = if shapes.is_empty() {
        None
    } else {
        crate::work::cpu(move || Layer::prepare(&shapes, WIDTH, TOLERANCE)).await?
    };
    let map = Arc::new(ScopeMap {
        units,
        layer,
        sources: sources.into_iter().collect(),
        imported_at,
    });
    let mut entries = cache.entries.lock().unwrap_or_else(PoisonError::into_inner);
    if entries.len() >= CACHED_SCOPES {
        entries.clear();
    }
    entries.insert(key, (version, map.clone()));
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::prefix;

    #[test]
    fn prefixes_follow_the_code_structure() {
        assert_eq!(prefix("450000"), "45");
        assert_eq!(prefix("450200"), "4502");
        assert_eq!(prefix("450202"), "450202");
    }
}
