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

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use ecociv_air::hj663::DayRecord;
use ecociv_air::zone::ZoneYear;
use ecociv_core::Framework;
use ecociv_monitoring::kind::{self, Cell, Kind, Problem};
use ecociv_store::Store;
use ecociv_water::ingest::ZoneInputs;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::cache::Versioned;
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::service;
use crate::service::member_zone;

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
    let file = service::monitoring::check_file_name(query.file.as_deref().unwrap_or(&format!("{}.csv", kind.code())))?;
    let body = axum::body::to_bytes(body, MAX_MONITORING_BYTES).await.map_err(|_| {
        ApiError::bad_request(format!(
            "文件超过 {} MiB (the file is larger than {} MiB)",
            MAX_MONITORING_BYTES >> 20,
            MAX_MONITORING_BYTES >> 20
        ))
    })?;
    Ok(Json(
        service::monitoring::import_file(&state, &code, kind, &file, &body, query.dry_run).await?,
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
#[derive(Default)]
pub struct MonitoringCache {
    air: Versioned<(String, i32), AirData, { MonitoringCache::MAX_ENTRIES }>,
    water: Versioned<String, WaterData, { MonitoringCache::MAX_ENTRIES }>,
    /// The years with readings per (zone, domain): scanning the readings costs tens of milliseconds.
    years: Versioned<ZoneDomain, Vec<i32>, { MonitoringCache::MAX_ENTRIES }>,
    /// One computation from stored readings at a time (per medium): concurrent visitors of a page not yet
    /// in the cache wait for the one computation instead of each loading the year's readings again.
    air_compute: tokio::sync::Mutex<()>,
    water_compute: tokio::sync::Mutex<()>,
}

/// (zone code, monitoring domain).
type ZoneDomain = (String, String);

impl MonitoringCache {
    pub const MAX_ENTRIES: usize = 4096;
}

/// The version of monitoring figures: the number of files imported.
fn files_version(files: usize) -> i64 {
    i64::try_from(files).unwrap_or(i64::MAX)
}

/// The years with readings in a domain ([`ecociv_store::Store::monitoring_years`]) through the state's
/// [`MonitoringCache`], valid while the domain's imported files are unchanged.
pub async fn stored_years(state: &AppState, code: &str, domain: &str) -> ApiResult<Arc<Vec<i32>>> {
    let version = files_version(state.store.monitoring_files(code, domain).await?.len());
    let key = (code.to_owned(), domain.to_owned());
    if let Some(years) = state.monitoring.years.get(&key, version) {
        return Ok(years);
    }
    let years = Arc::new(state.store.monitoring_years(code, domain).await?);
    state.monitoring.years.put(key, version, years.clone());
    Ok(years)
}

/// [`air_data`] through the state's [`MonitoringCache`].
pub async fn air_year(state: &AppState, code: &str, year: i32) -> ApiResult<Arc<AirData>> {
    let files = state.store.monitoring_files(code, Kind::Air.domain()).await?;
    let key = (code.to_owned(), year);
    let version = files_version(files.len());
    if let Some(data) = state.monitoring.air.get(&key, version) {
        return Ok(data);
    }
    let _computing = state.monitoring.air_compute.lock().await;
    if let Some(data) = state.monitoring.air.get(&key, version) {
        return Ok(data);
    }
    let data = Arc::new(air_data_with(&state.store, code, year, files).await?);
    state.monitoring.air.put(key, version, data.clone());
    Ok(data)
}

/// [`water_data`] through the state's [`MonitoringCache`].
pub async fn water(state: &AppState, code: &str) -> ApiResult<Arc<WaterData>> {
    let mut files = 0;
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Air) {
        files += state.store.monitoring_files(code, kind.domain()).await?.len();
    }
    let version = files_version(files);
    if let Some(data) = state.monitoring.water.get(code, version) {
        return Ok(data);
    }
    let _computing = state.monitoring.water_compute.lock().await;
    if let Some(data) = state.monitoring.water.get(code, version) {
        return Ok(data);
    }
    let data = Arc::new(water_data(&state.store, code).await?);
    state.monitoring.water.put(code.to_owned(), version, data.clone());
    Ok(data)
}

/// After an import: computes (and caches) the page data of the years the file covers, in the background,
/// so the first visitor of the page does not wait for it.
pub(crate) fn warm(state: &AppState, code: &str, kind: Kind, summary: &Value) {
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

/// `POST /api/v1/zones/{code}/monitoring/compute?year=YYYY[&status=draft|submitted][&dry_run=true]`.
pub async fn compute(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<ComputeQuery>,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let status = service::monitoring::compute_status(query.status.as_deref())?;
    crate::validate::check_year(query.year).map_err(|problem| ApiError::bad_request(problem.message))?;
    Ok(Json(
        service::monitoring::compute_and_save(&state, &principal, &role, &code, query.year, status, query.dry_run)
            .await?,
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
