//! Zones created by users (issue 15): a zone directory's files (`zone.toml`, optional `values.csv`,
//! `projects.csv`) checked all together — the framework edition the zone names must be a stored or bundled
//! edition, every file's problems with file, line and field, the code and parents against the
//! administrative hierarchy — and then stored with its values in one transaction, or nothing. The export
//! writes the files back (`ecociv_data::export`), which the import reads. Called by `ecociv zone import`,
//! the API (`POST /api/v1/zones`, `GET /api/v1/zones/{code}/export`) and the admin page.

use ecociv_core::division::{Day, Hierarchy};
use ecociv_store::values::Batch;
use ecociv_store::{Action, NewRevision, Selection, Status, Store};
use serde_json::json;

use crate::error::{ApiError, ApiResult, Code};

/// The files of a zone directory, as texts.
#[derive(Debug, Clone, Default)]
pub struct ZoneFiles {
    pub zone_toml: String,
    pub values_csv: Option<String>,
    pub projects_csv: Option<String>,
}

/// The administrative hierarchy the server checks zones against: the bundled units
/// (`ecociv_data::bundled::divisions`).
pub fn hierarchy() -> &'static Hierarchy {
    static HIERARCHY: std::sync::OnceLock<Hierarchy> = std::sync::OnceLock::new();
    HIERARCHY.get_or_init(|| ecociv_data::bundled::divisions().unwrap_or_default())
}

/// Records the bundled administrative units in the store (so roles can be granted at a city or province
/// before any of its zones exists). Idempotent.
pub async fn ensure_units(store: &Store) -> ApiResult<()> {
    let mut units: Vec<&ecociv_core::division::Unit> = hierarchy().units().collect();
    units.sort_by_key(|unit| (unit.level, unit.code.clone()));
    let rows: Vec<ecociv_store::AdminUnit> = units
        .into_iter()
        .map(|unit| {
            (
                unit.code.clone(),
                unit.name.clone(),
                unit.level.zh().to_string(),
                unit.parent.clone(),
            )
        })
        .collect();
    store.ensure_admin_units(&rows).await?;
    Ok(())
}

fn refused(problems: &[ecociv_data::Problem]) -> ApiError {
    ApiError::new(
        Code::InvalidValue,
        format!("区域文件有 {} 处错误，未创建区域 (nothing was created)", problems.len()),
    )
    .with_details(json!(
        problems.iter().map(crate::error::located_json).collect::<Vec<_>>()
    ))
}

/// A framework edition by id: the stored one, else the bundled one (then stored), else `None`.
pub async fn edition(store: &Store, framework_id: &str) -> ApiResult<Option<ecociv_core::Framework>> {
    match store.framework(framework_id).await {
        Ok(framework) => Ok(Some((*framework).clone())),
        Err(ecociv_store::StoreError::NotFound(_)) => {
            match ecociv_data::bundled::FRAMEWORKS
                .iter()
                .find(|(id, _)| *id == framework_id)
            {
                Some((_, text)) => Ok(Some((*store.put_framework(text).await?).clone())),
                None => Ok(None),
            }
        }
        Err(other) => Err(other.into()),
    }
}

/// A framework edition by id, stored or bundled, without storing a bundled one (for reading: a template).
async fn known_edition(store: &Store, framework_id: &str) -> ApiResult<Option<ecociv_core::Framework>> {
    match store.framework(framework_id).await {
        Ok(framework) => Ok(Some((*framework).clone())),
        Err(ecociv_store::StoreError::NotFound(_)) => Ok(ecociv_data::bundled::framework(framework_id).ok()),
        Err(other) => Err(other.into()),
    }
}

/// A county-level unit's name as a plan names its zone: its city's name before its own (柳州市柳北区).
pub fn plan_zone_name(unit: &ecociv_core::division::Unit) -> String {
    hierarchy()
        .ancestors(&unit.code)
        .iter()
        .find(|u| u.level == ecociv_core::division::Level::Prefecture)
        .map_or_else(|| unit.name.clone(), |city| format!("{}{}", city.name, unit.name))
}

/// The blank Excel plan template (`ecociv_report::zone_plan::template`) of a unit under an edition (stored or
/// bundled): its file name and bytes, for `ecociv zone template`'s users without the command line (the API
/// and the import page). The unit must be one of the hierarchy's.
pub async fn plan_template(store: &Store, code: &str, framework_id: &str) -> ApiResult<(String, Vec<u8>)> {
    let field = |field: &str, message: String| {
        ApiError::new(Code::InvalidValue, message).with_details(json!({ "field": field }))
    };
    let Some(unit) = hierarchy().unit(code) else {
        return Err(field(
            "zone",
            format!("行政区划代码 {code} 不在本系统的行政区划中 (unknown division code)"),
        ));
    };
    let Some(framework) = known_edition(store, framework_id).await? else {
        return Err(field(
            "framework",
            format!(
                "未知指标体系版本“{framework_id}”；可选：{} (unknown framework edition)",
                edition_ids(store).await?.join("、")
            ),
        ));
    };
    let (code, name) = (unit.code.clone(), plan_zone_name(unit));
    let file_name = format!("zone-plan-{code}.xlsx");
    let bytes = crate::work::cpu(move || ecociv_report::zone_plan::template(&framework, &code, &name, None))
        .await?
        .map_err(ApiError::internal)?;
    Ok((file_name, bytes))
}

/// Every edition a zone may be created under or adopt: the stored and the bundled ones, by id.
pub async fn edition_ids(store: &Store) -> ApiResult<Vec<String>> {
    Ok(store
        .framework_ids()
        .await?
        .into_iter()
        .chain(ecociv_data::bundled::FRAMEWORKS.iter().map(|(id, _)| id.to_string()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect())
}

/// A request to adopt a newer framework edition (采用新版指标体系, issue 15).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    /// The edition's id (`national-2021`, …), stored or bundled.
    pub framework: String,
    /// The first year judged under it; the years before keep the edition then in force.
    pub from_year: i32,
    /// Why (the document that requires it): kept with the adoption.
    pub reason: String,
}

/// Adopts a newer edition for a zone from a year on (administrators; the caller checks): the edition
/// must be known and not older than the current one (`ecociv_core::zone::check_edition_order`), every row the zone's plan names (targets, lead departments) must be in it, the year
/// after the year the current edition applies from, and a reason given. Years before keep their edition
/// and their stored assessments; later years are judged again under the new one. Nothing changes on a
/// refusal. Returns the zone's editions after.
pub async fn adopt(
    store: &Store,
    actor_id: &str,
    code: &str,
    adoption: &Adoption,
) -> ApiResult<ecociv_core::zone::Editions> {
    let field = |field: &str, message: String| {
        ApiError::new(Code::InvalidValue, message).with_details(json!({ "field": field }))
    };
    let record = store
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    if !ecociv_core::value::YEARS.contains(&adoption.from_year) {
        return Err(field(
            "from_year",
            format!(
                "启用年份 {} 不在 {}–{} 年之间 (year out of range)",
                adoption.from_year,
                ecociv_core::value::YEARS.start(),
                ecociv_core::value::YEARS.end()
            ),
        ));
    }
    let reason = adoption.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(field(
            "reason",
            "请填写采用新版本的依据（文件名称、文号），不超过 500 字 (give the reason, at most 500 characters)".into(),
        ));
    }
    let Some(framework) = edition(store, &adoption.framework).await? else {
        return Err(field(
            "framework",
            format!(
                "未知指标体系版本“{}”；可选：{} (unknown framework edition)",
                adoption.framework,
                edition_ids(store).await?.join("、")
            ),
        ));
    };
    // Newer by edition order (an older edition is refused), not merely another one.
    let current = store.framework(&record.editions.current).await?;
    ecociv_core::zone::check_edition_order(&current, &framework)
        .map_err(|problem| field("framework", problem.message()))?;
    let plan = store.plan(&record).await?;
    let missing: std::collections::BTreeSet<&str> = plan
        .targets
        .keys()
        .chain(plan.lead_departments.keys())
        .map(String::as_str)
        .filter(|row| framework.row(row).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(field(
            "framework",
            format!(
                "规划中的指标 {} 不在“{}”中，未采用 (rows of the plan are not in that edition)",
                missing.into_iter().collect::<Vec<_>>().join("、"),
                framework.name
            ),
        ));
    }
    store
        .adopt_edition_by(actor_id, code, &framework.id, adoption.from_year, reason)
        .await
        .map_err(|error| match error {
            ecociv_store::StoreError::Invalid(message) => field("from_year", message),
            other => other.into(),
        })
}

/// Checks a zone's files without writing: the zone as it would be created, or every problem.
pub async fn check(store: &Store, base: &str, files: &ZoneFiles, today: Day) -> ApiResult<ecociv_data::LoadedZone> {
    let zone_file = format!("{base}/zone.toml");
    let framework_id =
        ecociv_data::zone::framework_of(&zone_file, &files.zone_toml).map_err(|error| refused(&error.problems))?;
    // The edition the zone names: stored, or bundled (then stored first).
    let Some(framework) = edition(store, &framework_id).await? else {
        return Err(refused(&[ecociv_data::Problem {
            file: zone_file,
            line: None,
            column: None,
            field: Some("framework".into()),
            message: format!(
                "未知指标体系版本“{framework_id}”；可选：{} (unknown framework edition)",
                edition_ids(store).await?.join("、")
            ),
            ..Default::default()
        }]));
    };
    let loaded = ecociv_data::load::from_texts(
        base,
        framework,
        &files.zone_toml,
        files.values_csv.as_deref(),
        files.projects_csv.as_deref(),
    )
    .map_err(|error| refused(&error.problems))?;
    let problems = ecociv_data::load::check_hierarchy(&zone_file, &loaded.zone.profile, hierarchy(), today);
    if !problems.is_empty() {
        return Err(refused(&problems));
    }
    if store.zone(&loaded.zone.profile.code).await?.is_some() {
        return Err(ApiError::new(
            Code::Conflict,
            format!("区域 {} 已存在 (the zone exists already)", loaded.zone.profile.code),
        ));
    }
    Ok(loaded)
}

/// The unit an import acts for, from a path's `{code}` (`all`: the nation), if the principal may import for
/// it ([`crate::auth::Principal::can_import_for`]): decided before a file is read. `None`: the nation
/// (administrators only). A unit the hierarchy does not know is not found.
pub fn import_scope(principal: &crate::auth::Principal, code: &str) -> ApiResult<Option<String>> {
    let scope = (code != crate::service::rollup::NATION).then_some(code);
    if !principal.can_import_for(scope, hierarchy()) {
        return Err(ApiError::forbidden());
    }
    match scope {
        Some(code) if hierarchy().unit(code).is_none() => {
            Err(ApiError::not_found(format!("行政区划 (administrative unit) {code}")))
        }
        scope => Ok(scope.map(str::to_string)),
    }
}

/// Reads a spooled upload whole (off the request threads): for the formats read as one document (a
/// workbook, a GeoJSON file).
pub async fn spooled_bytes(spooled: &crate::spool::Spooled) -> ApiResult<Vec<u8>> {
    let spooled = spooled.clone();
    crate::work::cpu(move || spooled.bytes())
        .await?
        .map_err(|error| ApiError::bad_request(format!("上传未完成 (the upload did not complete): {error}")))
}

/// How a zone is imported.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The zone is public from the start (administrators only; the caller checks).
    pub disclosed: bool,
    /// Check everything and store nothing (试导入).
    pub dry_run: bool,
    /// The unit the importer acts for: the zone must lie within it (a city's reviewer imports for its own
    /// city only). `None`: anywhere (administrators, the command line).
    pub within: Option<String>,
}

/// The refusal of a zone outside the unit the importer acts for (`location`: where the file names the
/// zone's code).
fn outside(code: &str, scope: &str, location: &str) -> ApiError {
    let name = |code: &str| {
        hierarchy()
            .unit(code)
            .map_or_else(|| code.to_string(), |unit| unit.name.clone())
    };
    ApiError::new(
        Code::Forbidden,
        format!(
            "{location}的区域 {code}（{}）不在{}（{scope}）范围内，只能为本级及以下单位导入，未导入 \
             (the zone is outside the unit you import for)",
            name(code),
            name(scope)
        ),
    )
}

/// Creates a zone from its files, with its values as approved imports, in one transaction (administrators
/// and reviewers granted at a unit above it; the caller checks the role, `options.within` the place).
/// Returns the zone's code and the number of values stored (with `dry_run`, that would be stored).
///
/// A new zone's values are its files' observations, each stored approved with its row's unit:
/// [`approved_revisions`].
pub async fn import(
    store: &Store,
    author_id: &str,
    base: &str,
    files: &ZoneFiles,
    options: &ImportOptions,
    today: Day,
) -> ApiResult<(String, usize)> {
    if !options.dry_run {
        ensure_units(store).await?;
    }
    let loaded = check(store, base, files, today).await?;
    let code = loaded.zone.profile.code.clone();
    if let Some(scope) = &options.within
        && !hierarchy().is_within(&code, scope)
    {
        return Err(outside(&code, scope, &format!("{base}/zone.toml ")));
    }
    if options.dry_run {
        return Ok((code, loaded.zone.observations.len()));
    }
    let revisions = approved_revisions(
        &loaded,
        &format!("随区域文件导入（{base}） (imported with the zone's files)"),
    );
    let stored = store
        .create_zone_with_values(
            &loaded.zone.profile,
            &loaded.zone.plan,
            options.disclosed,
            author_id,
            Some(Batch { format: "zone".into() }),
            revisions,
        )
        .await?;
    Ok((loaded.zone.profile.code.clone(), stored.len()))
}

/// The zone's files as they stand (approved values), for `ecociv zone export` and the API.
pub async fn export(store: &Store, code: &str, exported_at: &str) -> ApiResult<Vec<(&'static str, String)>> {
    let (_, zone) = store.load_zone(code, Selection::Approved).await?;
    Ok(ecociv_data::export::zone_files(&zone, exported_at))
}

/// Today in China (UTC+8) as a [`Day`]: [`ecociv_store::clock::today`].
pub use ecociv_store::clock::today;

/// A zone from the Excel plan template (`ecociv_report::zone_plan`): the cells read and checked (every
/// problem with its sheet and cell), made into the zone's files and created through [`import`] — the same
/// checks as a zone directory, all or nothing; a target the zone's checks refuse is named by its cell.
pub async fn import_plan(
    store: &Store,
    author_id: &str,
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
    today: Day,
) -> ApiResult<(String, usize)> {
    use ecociv_report::zone_plan;
    let cells_refused = |error: ecociv_report::template::ImportError| {
        ApiError::new(
            Code::InvalidValue,
            format!(
                "规划模板 {file} 有 {} 处错误，未创建区域 (nothing was created)",
                error.problems.len()
            ),
        )
        .with_details(json!(
            error
                .problems
                .iter()
                .map(crate::error::located_json)
                .collect::<Vec<_>>()
        ))
    };
    let framework_id = zone_plan::framework_id(bytes, file).map_err(cells_refused)?;
    let framework = known_edition(store, &framework_id).await?.ok_or_else(|| {
        ApiError::new(
            Code::InvalidValue,
            format!("规划模板 {file} 的指标体系版本“{framework_id}”未知，未创建区域 (unknown edition)"),
        )
    })?;
    let cells = zone_plan::read(&framework, bytes, file).map_err(cells_refused)?;
    if let Some(scope) = &options.within
        && !hierarchy().is_within(&cells.code, scope)
    {
        let cell = zone_plan::info_cell("code").unwrap_or_default();
        return Err(outside(
            &cells.code,
            scope,
            &format!("{file}（{}!{cell}）", zone_plan::INFO_SHEET),
        ));
    }
    let mut parents: Vec<ecociv_core::zone::ParentUnit> = hierarchy()
        .ancestors(&cells.code)
        .iter()
        .map(|u| ecociv_core::zone::ParentUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            level: u.level.zh().to_string(),
        })
        .collect();
    parents.reverse();
    let mut targets = std::collections::BTreeMap::new();
    let mut lead_departments = std::collections::BTreeMap::new();
    let mut observations = Vec::new();
    for row in &cells.rows {
        if !row.targets.is_empty() {
            // The text as filled; its meaning is read again by the zone file's own checks.
            let by_year = row
                .targets
                .iter()
                .map(|(year, cell)| {
                    let (text, describes) = zone_plan::target_text(cell);
                    let kind = if describes {
                        ecociv_core::zone::TargetKind::Describes
                    } else {
                        ecociv_core::zone::TargetKind::Value(0.0)
                    };
                    (
                        *year,
                        ecociv_core::zone::Target {
                            text: text.to_string(),
                            kind,
                        },
                    )
                })
                .collect();
            targets.insert(row.row.clone(), by_year);
        }
        if !row.lead.is_empty() {
            lead_departments.insert(row.row.clone(), row.lead.clone());
        }
        if let Some(value) = &row.base_value {
            observations.push(ecociv_core::Observation {
                row: row.row.clone(),
                year: cells.base_year,
                value: value.clone(),
                assigned: None,
                recorded: None,
                source: ecociv_core::Source::Document {
                    citation: format!("{file}：{} 第 {} 行", zone_plan::PLAN_SHEET, row.line),
                },
            });
        }
    }
    let zone = ecociv_core::Zone {
        profile: ecociv_core::ZoneProfile {
            code: cells.code.clone(),
            name: cells.name.clone(),
            name_en: String::new(),
            parents,
            attributes: cells.attributes.iter().cloned().collect(),
        },
        plan: ecociv_core::Plan {
            title: cells.title.clone(),
            framework: framework.id.clone(),
            base_year: cells.base_year,
            targets,
            lead_departments,
            projects: Vec::new(),
        },
        observations,
    };
    let texts = ecociv_data::export::zone_files(&zone, &today.to_string());
    let text = |name: &str| texts.iter().find(|(n, _)| *n == name).map(|(_, t)| t.clone());
    let files = ZoneFiles {
        zone_toml: text("zone.toml").unwrap_or_default(),
        values_csv: text("values.csv"),
        projects_csv: None,
    };
    import(store, author_id, file, &files, options, today)
        .await
        .map_err(|mut error| {
            // A problem of the made zone file is named by the template's cell where there is one.
            if let Some(details) = error.details.as_mut().and_then(|d| d.as_array_mut()) {
                for detail in details {
                    let field = detail
                        .get("field")
                        .and_then(|f| f.as_str())
                        .unwrap_or_default()
                        .to_string();
                    let cell = match field.split('.').collect::<Vec<_>>().as_slice() {
                        ["rows", .., "targets", year] => {
                            let row = field
                                .trim_start_matches("rows.")
                                .rsplit_once(".targets.")
                                .map(|(row, _)| row.trim_matches('"').to_string())
                                .unwrap_or_default();
                            year.parse()
                                .ok()
                                .and_then(|y| zone_plan::target_cell(&framework, &row, y))
                                .map(|cell| (zone_plan::PLAN_SHEET, cell))
                        }
                        ["code"] | ["parents", ..] => zone_plan::info_cell("code").map(|c| (zone_plan::INFO_SHEET, c)),
                        ["title"] | ["plan", "title"] => {
                            zone_plan::info_cell("title").map(|c| (zone_plan::INFO_SHEET, c))
                        }
                        _ => None,
                    };
                    if let Some((sheet, cell)) = cell {
                        let message = detail.get("message").and_then(|m| m.as_str()).unwrap_or_default();
                        let mut located = crate::error::located_json(&ecociv_data::Problem::in_sheet(
                            file,
                            sheet,
                            Some(cell),
                            message,
                        ));
                        // The zone file's field stays beside the cell (not in the text: it is internal).
                        located["field"] = json!(field);
                        *detail = located;
                    }
                }
            }
            error
        })
}

/// A loaded zone's observations as the first, approved revisions of its values, each with its row's unit
/// and `reason` (a zone created from its files, the demo zone).
pub fn approved_revisions(loaded: &ecociv_data::LoadedZone, reason: &str) -> Vec<NewRevision> {
    loaded
        .zone
        .observations
        .iter()
        .map(|observation| NewRevision {
            after: 0,
            action: Action::Import,
            status: Status::Approved,
            unit: loaded
                .framework
                .row(&observation.row)
                .map(|(_, row)| row.unit.clone())
                .unwrap_or_default(),
            evidence: String::new(),
            reason: reason.to_string(),
            observation: observation.clone(),
        })
        .collect()
}
