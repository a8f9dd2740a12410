//! Zones created from files, roles granted at a city or province, and the roll-up (issue 15).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ecociv_store::Role;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::service::{maps, member_zone, rollup, zones};

/// The body of `POST /api/v1/zones`: a zone directory's files as texts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewZone {
    zone_toml: String,
    #[serde(default)]
    values_csv: Option<String>,
    #[serde(default)]
    projects_csv: Option<String>,
    #[serde(default)]
    public: bool,
}

/// `POST /api/v1/zones` (admins): creates a zone from its files, all or nothing.
pub async fn create(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Json(body): Json<NewZone>,
) -> ApiResult<Response> {
    if !policy::can_administer(Some(&principal)) {
        return Err(ApiError::forbidden());
    }
    let files = zones::ZoneFiles {
        zone_toml: body.zone_toml,
        values_csv: body.values_csv,
        projects_csv: body.projects_csv,
    };
    let options = zones::ImportOptions {
        disclosed: body.public,
        ..Default::default()
    };
    let (code, values) = zones::import(
        &state.store,
        &principal.user.id,
        "upload",
        &files,
        &options,
        zones::today(),
    )
    .await?;
    let record = state
        .store
        .zone(&code)
        .await?
        .ok_or_else(|| ApiError::internal("zone missing after create"))?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(json!({"zone": crate::api::zones::profile_json(&record), "values": values})),
    )
        .into_response())
}

/// The query of `POST /api/v1/units/{code}/boundaries`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundaryQuery {
    /// The file's name, for the messages and the record (`boundaries.geojson` by default).
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    dry_run: bool,
    /// The property holding the unit code (default: `adcode`, `code`, `gb`, …).
    #[serde(default)]
    code_property: Option<String>,
}

/// `POST /api/v1/units/{code}/boundaries?file=NAME[&dry_run=true][&code_property=P]` (administrators; reviewers
/// granted at the unit or above, issue 15): the body is a GeoJSON file, spooled to disk as it arrives; the
/// boundaries of the units within `{code}` (`all`: every unit, administrators) are stored, all or nothing —
/// the file's features outside the unit are counted and left out.
pub async fn import_boundaries(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Query(query): Query<BoundaryQuery>,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    // Who may import is decided before the body is read.
    let scope = zones::import_scope(&principal, &code)?;
    let file = crate::service::monitoring::check_file_name(query.file.as_deref().unwrap_or("boundaries.geojson"))?;
    let spooled = crate::spool::spool_body(body, maps::MAX_BOUNDARY_BYTES, None).await?;
    let bytes = zones::spooled_bytes(&spooled).await?;
    let report = maps::import_bytes(
        &state.store,
        bytes,
        &file,
        scope.as_deref(),
        query.code_property.as_deref(),
        query.dry_run,
    )
    .await?;
    Ok(Json(report.json(&file, scope.as_deref(), query.dry_run)))
}

/// The query of `POST /api/v1/units/{code}/zones`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTemplateQuery {
    /// The file's name, for the messages and the values' source (`规划模板.xlsx` by default).
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

/// `POST /api/v1/units/{code}/zones?file=NAME[&dry_run=true]` (administrators; reviewers granted at the unit
/// or above, issue 15): the body is the plan's Table 2-1 filled into the Excel plan template
/// (`ecociv zone template`); the zone it names must lie within `{code}`. Checked as a zone directory is, all
/// or nothing, each problem named by its sheet and cell. The zone is created not public.
pub async fn import_plan(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Query(query): Query<PlanTemplateQuery>,
    body: axum::body::Body,
) -> ApiResult<Response> {
    let scope = zones::import_scope(&principal, &code)?;
    let file = crate::service::monitoring::check_file_name(query.file.as_deref().unwrap_or("规划模板.xlsx"))?;
    let spooled = crate::spool::spool_body(body, crate::api::MAX_IMPORT_BYTES as u64, None).await?;
    let bytes = zones::spooled_bytes(&spooled).await?;
    let options = zones::ImportOptions {
        disclosed: false,
        dry_run: query.dry_run,
        within: scope,
    };
    let (zone, values) = zones::import_plan(
        &state.store,
        &principal.user.id,
        &file,
        &bytes,
        &options,
        zones::today(),
    )
    .await?;
    if query.dry_run {
        return Ok(
            Json(json!({"dry_run": true, "file": file, "zone": {"code": zone}, "values": values})).into_response(),
        );
    }
    let record = state
        .store
        .zone(&zone)
        .await?
        .ok_or_else(|| ApiError::internal("zone missing after create"))?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(
            json!({"dry_run": false, "file": file, "zone": crate::api::zones::profile_json(&record), "values": values}),
        ),
    )
        .into_response())
}

/// The query of `GET /api/v1/units/{code}/zones/template.xlsx`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuery {
    /// The county-level unit the template is for (within `{code}`).
    zone: String,
    /// The edition (`national-2021` by default).
    #[serde(default)]
    framework: Option<String>,
}

/// `GET /api/v1/units/{code}/zones/template.xlsx?zone=CODE[&framework=ID]` (administrators; reviewers granted
/// at the unit or above, issue 15): the blank Excel plan template of a unit within `{code}` — what
/// `POST /api/v1/units/{code}/zones` takes back filled.
pub async fn plan_template(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Query(query): Query<TemplateQuery>,
) -> ApiResult<Response> {
    let scope = zones::import_scope(&principal, &code)?;
    if let Some(scope) = &scope
        && !zones::hierarchy().is_within(&query.zone, scope)
    {
        return Err(ApiError::forbidden());
    }
    let framework = query.framework.as_deref().unwrap_or("national-2021");
    let (file_name, bytes) = zones::plan_template(&state.store, &query.zone, framework).await?;
    Ok(file(rollup::ExportFile {
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name,
        bytes,
    }))
}

/// `GET /api/v1/zones/{code}/export` (members): the zone's files (approved values) as texts.
pub async fn export(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let files = zones::export(&state.store, &code, &zones::today().to_string()).await?;
    let files: serde_json::Map<String, Value> = files
        .into_iter()
        .map(|(name, text)| (name.to_string(), Value::String(text)))
        .collect();
    Ok(Json(json!({ "zone": code, "files": files })))
}

/// A zone's editions as the API shows them: each period with its edition, and the adoptions' records.
pub async fn editions_json(state: &AppState, code: &str) -> ApiResult<Value> {
    let record = state
        .store
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    let mut periods = Vec::new();
    for (id, from, to) in record.editions.periods() {
        let framework = state.store.framework(id).await?;
        periods.push(json!({
            "framework": id,
            "name": framework.name,
            "edition": framework.edition,
            "from_year": from,
            "to_year": to,
        }));
    }
    let adoptions: Vec<Value> = state
        .store
        .edition_adoptions(code)
        .await?
        .into_iter()
        .map(|a| {
            json!({
                "from_year": a.from_year,
                "framework": a.framework_id,
                "previous_framework": a.previous_framework_id,
                "reason": a.reason,
                "adopted_by": a.adopted_by_name,
                "adopted_at": a.adopted_at,
            })
        })
        .collect();
    Ok(json!({ "zone": code, "current": record.editions.current, "periods": periods, "adoptions": adoptions }))
}

/// `GET /api/v1/zones/{code}/editions` (members, issue 15): the editions the zone is judged under by year,
/// and each adoption (who, when, why).
pub async fn editions(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    Ok(Json(editions_json(&state, &code).await?))
}

/// `POST /api/v1/zones/{code}/editions` (admins, issue 15): adopt a newer edition from a year on; the
/// years before stay judged under the edition then in force.
pub async fn adopt(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Json(body): Json<zones::Adoption>,
) -> ApiResult<Json<Value>> {
    if !policy::can_administer(Some(&principal)) {
        return Err(ApiError::forbidden());
    }
    zones::adopt(&state.store, &principal.user.id, &code, &body).await?;
    Ok(Json(editions_json(&state, &code).await?))
}

/// The body of `PUT /api/v1/units/{code}/roles/{user_id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRoleBody {
    role: String,
}

/// `PUT /api/v1/units/{code}/roles/{user_id}` (admins): grants `reviewer` or `viewer` at a unit, or removes
/// the grant (`none`).
pub async fn grant(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path((code, user_id)): Path<(String, String)>,
    Json(body): Json<UnitRoleBody>,
) -> ApiResult<Json<Value>> {
    if !policy::can_administer(Some(&principal)) {
        return Err(ApiError::forbidden());
    }
    if state.store.user_by_id(&user_id).await?.is_none() {
        return Err(ApiError::not_found(format!("用户 (user) {user_id}")));
    }
    zones::ensure_units(&state.store).await?;
    match body.role.as_str() {
        "none" => state.store.remove_unit_role(&code, &user_id).await?,
        "reviewer" | "viewer" => {
            let role = Role::parse(&body.role).ok_or_else(|| ApiError::bad_request("role"))?;
            state.store.set_unit_role(&code, &user_id, role).await?;
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "角色应为 reviewer、viewer 或 none，而不是“{}” (role must be reviewer, viewer or none)",
                crate::error::truncate(other, 40)
            )));
        }
    }
    Ok(Json(json!({"unit": code, "user": user_id, "role": body.role})))
}

/// The query of `GET /api/v1/rollup/{code}` and its exports.
#[derive(Debug, Deserialize)]
pub struct RollupQuery {
    year: i32,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    table: Option<String>,
    #[serde(default)]
    framework: Option<String>,
}

fn rollup_year(query: &RollupQuery) -> ApiResult<i32> {
    ecociv_core::value::parse_year(&query.year.to_string()).map_err(|e| ApiError::bad_request(format!("year: {e}")))
}

fn file(exported: rollup::ExportFile) -> Response {
    (
        [
            (header::CONTENT_TYPE, exported.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", exported.file_name),
            ),
        ],
        exported.bytes,
    )
        .into_response()
}

/// `GET /api/v1/rollup/{code}?year=YYYY[&format=csv[&table=…]]`: the roll-up of a unit (or `all`, the nation);
/// `format=csv` one of its tables (`table=zones` by default: the comparison, one line per zone).
pub async fn get_rollup(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Query(query): Query<RollupQuery>,
) -> ApiResult<Response> {
    let year = rollup_year(&query)?;
    let part = match query.table.as_deref() {
        None => ecociv_report::rollup::Part::Zones,
        Some(id) => ecociv_report::rollup::Part::parse(id).ok_or_else(|| {
            ApiError::bad_request(format!(
                "table 应为 summary、standings、failures、rows、missing 或 zones，而不是“{}”",
                crate::error::truncate(id, 20)
            ))
        })?,
    };
    let view = rollup::compute(&state, &principal, &code, year, query.framework.as_deref()).await?;
    match query.format.as_deref() {
        Some("csv") => Ok(file(
            rollup::export(&state, &view, &code, rollup::Export::Csv(part)).await?,
        )),
        None | Some("json") => Ok(Json(json!({
            "scope": view.rollup.scope,
            "scope_name": view.scope_name,
            "year": year,
            "rollup": view.rollup,
            "stale": view.stale,
        }))
        .into_response()),
        Some(other) => Err(ApiError::bad_request(format!(
            "format 应为 json 或 csv，而不是“{}”",
            crate::error::truncate(other, 20)
        ))),
    }
}

async fn export_file(
    state: &AppState,
    principal: &crate::auth::Principal,
    code: &str,
    query: &RollupQuery,
    what: rollup::Export,
) -> ApiResult<Response> {
    let year = rollup_year(query)?;
    let view = rollup::compute(state, principal, code, year, query.framework.as_deref()).await?;
    Ok(file(rollup::export(state, &view, code, what).await?))
}

/// `GET /api/v1/rollup/{code}/rollup.xlsx?year=YYYY`: every table of the roll-up as a workbook.
pub async fn rollup_xlsx(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Query(query): Query<RollupQuery>,
) -> ApiResult<Response> {
    export_file(&state, &principal, &code, &query, rollup::Export::Xlsx).await
}

/// `GET /api/v1/rollup/{code}/summary.docx?year=YYYY`: the Word summary of a city's or province's roll-up.
pub async fn rollup_docx(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Query(query): Query<RollupQuery>,
) -> ApiResult<Response> {
    export_file(&state, &principal, &code, &query, rollup::Export::Docx).await
}

/// The query of `GET /api/v1/zones/{code}/peers`.
#[derive(Debug, Deserialize)]
pub struct PeersQuery {
    year: i32,
}

/// `GET /api/v1/zones/{code}/peers?year=YYYY`: the zone and the zones of the same kind (level, climate,
/// terrain) the caller may see, row by row.
pub async fn peers(
    State(state): State<AppState>,
    principal: crate::auth::MaybeAuthUser,
    Path(code): Path<String>,
    Query(query): Query<PeersQuery>,
) -> ApiResult<Json<Value>> {
    let year = ecociv_core::value::parse_year(&query.year.to_string())
        .map_err(|e| ApiError::bad_request(format!("year: {e}")))?;
    let view = rollup::peers(&state, principal.0.as_deref(), &code, year).await?;
    let zones: Vec<Value> = view
        .peers
        .order
        .iter()
        .map(|code| {
            let name = view.zones.iter().find(|z| &z.code == code).map(|z| z.name.clone());
            json!({"code": code, "name": name})
        })
        .collect();
    Ok(Json(json!({
        "zone": code,
        "year": year,
        "framework_id": view.peers.rollup.framework_id,
        "framework_edition": view.peers.rollup.framework_edition,
        "kind": view.peers.kind.iter().map(|(k, v)| json!({"attribute": k, "value": v})).collect::<Vec<_>>(),
        "zones": zones,
        "rows": view.peers.rows,
        "standings": view.peers.rollup.standings,
        "stale": view.stale,
    })))
}
