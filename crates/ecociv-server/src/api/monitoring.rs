//! Monitoring data (监测数据) on the server: import of the CSV files the CLI reads (air hourly, water
//! sections, drinking-water sources, black-odorous register and survey, EI), the figures the air and
//! water pages show, and "compute from monitoring": the annual figures of the rows the CLI feeds (7.1,
//! 7.2, 8.x, 9, 23) saved as values through the normal workflow.
//!
//! Import: the upload is validated by the standards crate's own reader (through
//! `ecociv_monitoring::kind::parse`, so an error names file, line and field exactly as `ecociv assess`
//! would), then stored as one batch in one transaction — every reading or none; a batch repeating a
//! (station, parameter, time) already stored is refused whole. `dry_run=true` reports what would be
//! stored — or that it would be refused, by the same checks — and stores nothing. Reviewers and admins only.
//!
//! Computation: the stored cells are rebuilt into the kind's CSV and read by the same readers and
//! engines as the CLI (`ecociv_monitoring::kind::{air_figures, water_inputs}`), and turned into
//! observations by the CLI's feeds (`ecociv_monitoring::feed`), so the server and `ecociv assess` give
//! the same figures with the same provenance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, Query, State};
use ecociv_air::hj663::DayRecord;
use ecociv_air::zone::ZoneYear;
use ecociv_core::{Framework, Observation};
use ecociv_monitoring::kind::{self, Cell, Kind, Problem};
use ecociv_store::monitoring::NewReading;
use ecociv_store::values::Batch;
use ecociv_store::{Action, NewRevision, Status, Store};
use ecociv_water::ingest::ZoneInputs;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::zones::member_zone;
use crate::auth::{AuthUser, ZoneRole};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::workflow::{self, Step};

/// The largest monitoring upload (a year of hourly data of a few dozen stations).
pub const MAX_MONITORING_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    #[serde(default)]
    pub dry_run: bool,
    /// The file's name (provenance; a name containing `SYNTHETIC` marks the data synthetic).
    #[serde(default)]
    pub file: Option<String>,
}

/// The JSON of a refused upload: every problem with file, line, column and field.
pub fn problem_json(problem: &Problem) -> Value {
    json!({
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "field": problem.field,
        "message": problem.message,
        "text": problem.to_string(),
    })
}

fn refused(problem: &Problem) -> ApiError {
    ApiError::new(
        Code::InvalidValue,
        format!("监测数据有误，未导入任何数据 (nothing was imported): {problem}"),
    )
    .with_details(json!([problem_json(problem)]))
}

/// Checks a file name given with an upload.
pub fn check_file_name(name: &str) -> ApiResult<String> {
    crate::validate::file_name(name)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::bad_request("文件名无效 (invalid file name)"))
}

/// Validates and (unless `dry_run`) stores one file of monitoring data: the summary as JSON.
pub async fn store_file(
    store: &Store,
    code: &str,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> ApiResult<Value> {
    if bytes.is_empty() {
        return Err(refused(&Problem {
            file: file.to_owned(),
            line: 1,
            column: None,
            field: None,
            message: "文件为空 (empty file)".into(),
        }));
    }
    // Reading the file grows with its size: off the request threads ([`crate::work`]).
    let (name, body) = (file.to_owned(), bytes.to_vec());
    let (parsed, readings) = crate::work::cpu(move || {
        let parsed = kind::parse(kind, &name, &body)?;
        let readings: Vec<NewReading> = parsed
            .cells
            .iter()
            .map(|cell| NewReading {
                station: cell.station.clone(),
                parameter: cell.parameter.clone(),
                unit: kind.unit(&cell.parameter).to_owned(),
                observed_at: cell.time.clone(),
                value: cell.value,
                flag: cell.flag.clone(),
            })
            .collect();
        Ok::<_, Problem>((parsed, readings))
    })
    .await?
    .map_err(|problem| refused(&problem))?;
    // A dry run makes the store's own checks (zone, units, readings already stored) without writing.
    let stored = if dry_run {
        store.check_monitoring_batch(code, kind.domain(), &readings).await?;
        0
    } else {
        store
            .append_monitoring_batch(code, kind.domain(), file, &readings)
            .await?
    };
    Ok(json!({
        "dry_run": dry_run,
        "kind": kind.code(),
        "file": file,
        "rows": parsed.rows,
        "readings": readings.len(),
        "stations": parsed.stations,
        "from": parsed.span.as_ref().map(|(from, _)| from),
        "to": parsed.span.as_ref().map(|(_, to)| to),
        "stored": stored,
        "synthetic": file.contains("SYNTHETIC"),
    }))
}

/// `POST /api/v1/zones/{code}/monitoring/{kind}?file=NAME&dry_run=true`: the body is the CSV file.
pub async fn import(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, kind)): Path<(String, String)>,
    Query(query): Query<ImportQuery>,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    // Who may import is decided before the body is read: a caller without the right makes the server
    // buffer nothing.
    let (_, role) = member_zone(&state, &principal, &code).await?;
    if !policy::can_review(Some(&role)) {
        return Err(ApiError::forbidden());
    }
    let kind =
        Kind::parse(&kind).ok_or_else(|| ApiError::not_found(format!("监测数据类型 (monitoring kind) {kind}")))?;
    let file = check_file_name(query.file.as_deref().unwrap_or(&format!("{}.csv", kind.code())))?;
    let body = axum::body::to_bytes(body, MAX_MONITORING_BYTES).await.map_err(|_| {
        ApiError::bad_request(format!(
            "文件超过 {} MiB (the file is larger than {} MiB)",
            MAX_MONITORING_BYTES >> 20,
            MAX_MONITORING_BYTES >> 20
        ))
    })?;
    Ok(Json(
        import_file(&state, &code, kind, &file, &body, query.dry_run).await?,
    ))
}

fn cells(stored: Vec<ecociv_store::monitoring::Cell>) -> Vec<Cell> {
    stored
        .into_iter()
        .map(|c| Cell {
            station: c.station,
            time: c.reading.observed_at,
            parameter: c.parameter,
            value: c.reading.value,
            flag: c.reading.flag,
        })
        .collect()
}

fn stored_problem(problem: &Problem) -> ApiError {
    ApiError::internal(format!(
        "已存监测数据无法读取 (stored monitoring data unreadable): {problem}"
    ))
}

/// A zone's air year from its stored hourly data.
#[derive(Debug, Clone)]
pub struct AirData {
    /// The zone's year (点位平均法), when any day was computed.
    pub year: Option<ZoneYear>,
    /// The zone's daily records of the year.
    pub days: Vec<DayRecord>,
    /// The files imported (provenance).
    pub files: Vec<String>,
    /// Years with stored air data.
    pub years: Vec<i32>,
}

/// The air figures of a year from the stored hourly data, computed as `ecociv assess` computes them.
pub async fn air_data(store: &Store, code: &str, year: i32) -> ApiResult<AirData> {
    let files = store.monitoring_files(code, Kind::Air.domain()).await?;
    air_data_with(store, code, year, files).await
}

async fn air_data_with(store: &Store, code: &str, year: i32, files: Vec<String>) -> ApiResult<AirData> {
    let domain = Kind::Air.domain();
    let stored = store
        .monitoring_cells(code, domain, &format!("{year}"), &format!("{}", year + 1))
        .await?;
    let years = store.monitoring_years(code, domain).await?;
    if stored.is_empty() {
        return Ok(AirData {
            year: None,
            days: Vec::new(),
            files,
            years,
        });
    }
    let zone = code.to_owned();
    let (mut zone_years, days) = crate::work::cpu(move || {
        let csv = kind::rebuild(Kind::Air, &cells(stored));
        kind::air_figures(&zone, Some(year), "air", &csv)
    })
    .await?
    .map_err(|p| stored_problem(&p))?;
    Ok(AirData {
        year: zone_years.pop(),
        days,
        files,
        years,
    })
}

/// A zone's water data: the inputs of every water kind stored, and the sections' CSV (for the monthly
/// classes).
#[derive(Debug, Clone, Default)]
pub struct WaterData {
    pub inputs: ZoneInputs,
    /// The rebuilt `sections` CSV, when sections are stored.
    pub sections_csv: Option<String>,
    pub files: Vec<String>,
}

/// The figures computed from stored monitoring data, kept in memory per zone (and year for air) and
/// **version**: the number of files imported into the domain(s). Imports only ever add a file record
/// (readings are never changed or deleted), so the count, read from the store on every request (one small
/// query), changes exactly when the data do — correct across server instances sharing a database.
/// Reading and recomputing a year of hourly data takes most of a second in a debug build; a page served
/// from here takes milliseconds. At most [`MonitoringCache::MAX_ENTRIES`] entries per medium (then cleared).
#[derive(Debug, Default)]
pub struct MonitoringCache {
    air: Mutex<HashMap<(String, i32), Versioned<AirData>>>,
    water: Mutex<HashMap<String, Versioned<WaterData>>>,
    /// The years with readings per (zone, domain): scanning the readings costs tens of milliseconds.
    years: Mutex<HashMap<ZoneDomain, Versioned<Vec<i32>>>>,
    /// One computation from stored readings at a time (per medium): concurrent visitors of a page not yet
    /// in the cache wait for the one computation instead of each loading the year's readings again.
    air_compute: tokio::sync::Mutex<()>,
    water_compute: tokio::sync::Mutex<()>,
}

/// (zone code, monitoring domain).
type ZoneDomain = (String, String);

/// A cached figure set and the version (files imported) it was computed at.
type Versioned<T> = (usize, Arc<T>);

impl MonitoringCache {
    pub const MAX_ENTRIES: usize = 4096;
}

fn put<K: std::hash::Hash + Eq, V>(map: &Mutex<HashMap<K, V>>, key: K, value: V) {
    let mut map = map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if map.len() >= MonitoringCache::MAX_ENTRIES {
        map.clear();
    }
    map.insert(key, value);
}

/// The years with readings in a domain ([`ecociv_store::Store::monitoring_years`]) through the state's
/// [`MonitoringCache`], valid while the domain's imported files are unchanged.
pub async fn stored_years(state: &AppState, code: &str, domain: &str) -> ApiResult<Arc<Vec<i32>>> {
    let version = state.store.monitoring_files(code, domain).await?.len();
    let key = (code.to_owned(), domain.to_owned());
    let hit = state
        .monitoring
        .years
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .cloned();
    if let Some((cached, years)) = hit
        && cached == version
    {
        return Ok(years);
    }
    let years = Arc::new(state.store.monitoring_years(code, domain).await?);
    put(&state.monitoring.years, key, (version, years.clone()));
    Ok(years)
}

/// [`air_data`] through the state's [`MonitoringCache`].
pub async fn air_year(state: &AppState, code: &str, year: i32) -> ApiResult<Arc<AirData>> {
    let files = state.store.monitoring_files(code, Kind::Air.domain()).await?;
    let key = (code.to_owned(), year);
    let hit = state
        .monitoring
        .air
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .cloned();
    if let Some((version, data)) = hit
        && version == files.len()
    {
        return Ok(data);
    }
    let version = files.len();
    let _computing = state.monitoring.air_compute.lock().await;
    let hit = state
        .monitoring
        .air
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .cloned();
    if let Some((cached, data)) = hit
        && cached == version
    {
        return Ok(data);
    }
    let data = Arc::new(air_data_with(&state.store, code, year, files).await?);
    put(&state.monitoring.air, key, (version, data.clone()));
    Ok(data)
}

/// [`water_data`] through the state's [`MonitoringCache`].
pub async fn water(state: &AppState, code: &str) -> ApiResult<Arc<WaterData>> {
    let mut version = 0;
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Air) {
        version += state.store.monitoring_files(code, kind.domain()).await?.len();
    }
    let hit = state
        .monitoring
        .water
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(code)
        .cloned();
    if let Some((cached, data)) = hit
        && cached == version
    {
        return Ok(data);
    }
    let _computing = state.monitoring.water_compute.lock().await;
    let hit = state
        .monitoring
        .water
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(code)
        .cloned();
    if let Some((cached, data)) = hit
        && cached == version
    {
        return Ok(data);
    }
    let data = Arc::new(water_data(&state.store, code).await?);
    put(&state.monitoring.water, code.to_owned(), (version, data.clone()));
    Ok(data)
}

/// After an import: computes (and caches) the page data of the years the file covers, in the background,
/// so the first visitor of the page does not wait for it.
fn warm(state: &AppState, code: &str, kind: Kind, summary: &Value) {
    let (state, code) = (state.clone(), code.to_owned());
    let years = |key: &str| {
        summary[key]
            .as_str()
            .and_then(|t| t.get(..4))
            .and_then(|y| y.parse::<i32>().ok())
    };
    let (from, to) = (years("from"), years("to"));
    tokio::spawn(async move {
        if kind == Kind::Air {
            if let (Some(from), Some(to)) = (from, to) {
                for year in from..=to.min(from + 10) {
                    let _ = air_year(&state, &code, year).await;
                }
            }
        } else {
            let _ = water(&state, &code).await;
        }
    });
}

/// Computes (and caches) in the background the page data of every year with stored air data and the
/// zone's water data (e.g. at the start of `ecociv serve --demo`).
pub fn warm_zone(state: &AppState, code: &str) {
    let (state, code) = (state.clone(), code.to_owned());
    tokio::spawn(async move {
        if let Ok(years) = state.store.monitoring_years(&code, Kind::Air.domain()).await {
            for year in years {
                let _ = air_year(&state, &code, year).await;
            }
        }
        let _ = water(&state, &code).await;
    });
}

/// Stores one file (see [`store_file`]) and, when stored, warms the pages' cache.
pub async fn import_file(
    state: &AppState,
    code: &str,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> ApiResult<Value> {
    let summary = store_file(&state.store, code, kind, file, bytes, dry_run).await?;
    if !dry_run {
        warm(state, code, kind, &summary);
    }
    Ok(summary)
}

/// The water inputs from the stored data of every water kind.
pub async fn water_data(store: &Store, code: &str) -> ApiResult<WaterData> {
    let mut sources = Vec::new();
    let mut files = Vec::new();
    let mut sections_csv = None;
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Air) {
        let stored = store.monitoring_cells(code, kind.domain(), "", "~").await?;
        let names = store.monitoring_files(code, kind.domain()).await?;
        if stored.is_empty() {
            continue;
        }
        let csv = crate::work::cpu(move || kind::rebuild(kind, &cells(stored))).await?;
        if kind == Kind::Sections {
            sections_csv = Some(csv.clone());
        }
        // The name shown in provenance: the files imported, joined; SYNTHETIC if any was.
        sources.push((kind, names.join("+"), csv));
        files.extend(names);
    }
    if sources.is_empty() {
        return Ok(WaterData::default());
    }
    let inputs = crate::work::cpu(move || kind::water_inputs(&sources))
        .await?
        .map_err(|p| stored_problem(&p))?;
    Ok(WaterData {
        inputs,
        sections_csv,
        files,
    })
}

/// The figures computed from a zone's stored monitoring data for `year`, as observations of the
/// framework's rows, and the notes on what could not be computed.
pub async fn computed(
    state: &AppState,
    framework: &Framework,
    code: &str,
    year: i32,
) -> ApiResult<ecociv_monitoring::feed::Computed> {
    let air = air_year(state, code, year).await?;
    let mut out = match &air.year {
        Some(zone_year) => ecociv_monitoring::feed::air(std::slice::from_ref(zone_year), &air.files),
        None => ecociv_monitoring::feed::Computed::default(),
    };
    let water = water(state, code).await?;
    out.observations.extend(
        ecociv_monitoring::feed::water(framework, &water.inputs)
            .into_iter()
            .filter(|observation| observation.year == year),
    );
    out.observations
        .retain(|observation| framework.row(&observation.row).is_some());
    Ok(out)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputeQuery {
    pub year: i32,
    /// The status the computed values take: `draft` or `submitted` (default).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub dry_run: bool,
}

/// Computes the year's figures and saves them as values (one batch, all or nothing) with `status`,
/// by `principal` in `role`. Values already equal are left as they are; a value approved (locked) or
/// awaiting review refuses the whole action.
pub async fn compute_and_save(
    state: &AppState,
    principal: &AuthUser,
    role: &ZoneRole,
    code: &str,
    year: i32,
    status: Status,
    dry_run: bool,
) -> ApiResult<Value> {
    if !policy::can_review(Some(role)) {
        return Err(ApiError::forbidden());
    }
    let record = state
        .store
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    let framework = state.store.framework(&record.framework_id).await?;
    let computed = computed(state, &framework, code, year).await?;
    let mut changes = Vec::new();
    let mut report = Vec::new();
    let mut problems = Vec::new();
    let mut unchanged = 0usize;
    for observation in computed.observations {
        let current = state.store.current(code, &observation.row, year).await?;
        // The same figure already in force, at the status asked or further along (awaiting review,
        // approved), is left as it is.
        if let Some(current) = &current
            && current.observation == observation
            && (current.status == status || matches!(current.status, Status::Submitted | Status::Approved))
        {
            unchanged += 1;
            continue;
        }
        match workflow::next(current.as_ref().map(|r| r.status), Step::Import(status), true) {
            Ok(next) => {
                let unit = framework
                    .row(&observation.row)
                    .map(|(_, row)| row.unit.clone())
                    .unwrap_or_default();
                report.push(value_json(&observation, next, current.as_ref()));
                changes.push(NewRevision {
                    after: current.as_ref().map_or(0, |r| r.revision_no),
                    action: Action::Import,
                    status: next,
                    unit,
                    evidence: String::new(),
                    reason: "由监测数据计算 (computed from monitoring data)".into(),
                    observation,
                });
            }
            Err(error) => problems.push(
                json!({"row": observation.row, "year": year, "code": error.code.as_str(), "message": error.message}),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::new(
            Code::ValueLocked,
            format!(
                "{} 个数值已审核锁定或待审，未保存任何计算结果 (nothing was saved)",
                problems.len()
            ),
        )
        .with_details(json!(problems)));
    }
    let saved = if dry_run || changes.is_empty() {
        0
    } else {
        state
            .store
            .append_revisions(
                code,
                &principal.0.user.id,
                Some(Batch {
                    format: "monitoring".into(),
                }),
                changes,
            )
            .await?
            .len()
    };
    Ok(json!({
        "dry_run": dry_run,
        "year": year,
        "saved": saved,
        "unchanged": unchanged,
        "values": report,
        "notes": computed.notes,
    }))
}

fn value_json(observation: &Observation, status: Status, before: Option<&ecociv_store::Revision>) -> Value {
    json!({
        "row": observation.row,
        "year": observation.year,
        "value": ecociv_report::json::value(Some(&observation.value)),
        "before": before.map(|r| ecociv_report::json::value(Some(&r.observation.value))),
        "status": status.code(),
        "source": ecociv_report::json::source(Some(&observation.source)),
    })
}

/// Parses the `status` of a compute request.
pub fn compute_status(status: Option<&str>) -> ApiResult<Status> {
    match status.unwrap_or("submitted") {
        "draft" => Ok(Status::Draft),
        "submitted" => Ok(Status::Submitted),
        other => Err(ApiError::bad_request(format!(
            "status 应为 draft 或 submitted，而不是“{other}” (status must be draft or submitted)"
        ))),
    }
}

/// `POST /api/v1/zones/{code}/monitoring/compute?year=YYYY[&status=draft|submitted][&dry_run=true]`.
pub async fn compute(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<ComputeQuery>,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let status = compute_status(query.status.as_deref())?;
    crate::validate::check_year(query.year).map_err(|problem| ApiError::bad_request(problem.message))?;
    Ok(Json(
        compute_and_save(&state, &principal, &role, &code, query.year, status, query.dry_run).await?,
    ))
}

/// `GET /api/v1/zones/{code}/monitoring`: what is stored — per kind, the files imported and the years.
pub async fn summary(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let mut kinds = Vec::new();
    for kind in Kind::ALL {
        let files = state.store.monitoring_files(&code, kind.domain()).await?;
        let years = state.store.monitoring_years(&code, kind.domain()).await?;
        kinds.push(json!({ "kind": kind.code(), "files": files, "years": years }));
    }
    Ok(Json(json!({ "zone": code, "kinds": kinds })))
}
