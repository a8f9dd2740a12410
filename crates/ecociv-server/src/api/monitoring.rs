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
//! The body is spooled to a temporary file and read as a stream ([`crate::spool`], issue 19): a file of
//! any size up to [`crate::Config::max_monitoring_upload_bytes`] in bounded memory; the summary route
//! lists the imports running with their progress.
//!
//! Computation ([`crate::monitoring_results`]): the stored cells are rebuilt into the kind's CSV and
//! read by the same readers and engines as the CLI (`ecociv_monitoring::kind::{AirFigures,
//! water_inputs}`), and turned into observations by the CLI's feeds (`ecociv_monitoring::feed`), so the
//! server and `ecociv assess` give the same figures with the same provenance; they are materialized per
//! (zone, page, year) when a file is imported, and the pages read only those.

use axum::Json;
use axum::extract::{Path, Query, State};
use ecociv_monitoring::kind::{Kind, Problem};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::service;
use crate::service::member_zone;
use crate::spool;

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
        // 0 when the reader could not tell the line, as this JSON has always said.
        "line": problem.line.unwrap_or(0),
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
    // The body goes to a temporary file as it arrives, then is read from there as a stream
    // ([`crate::spool`]): memory does not grow with the file.
    let guard = state.imports.start(&code, kind.code(), &file, query.dry_run);
    let spooled = spool::spool_body(body, state.config.max_monitoring_upload_bytes, Some(&guard.import)).await?;
    Ok(Json(
        service::monitoring::store_spooled(
            &state.store,
            Some(guard.import.clone()),
            &code,
            kind,
            &file,
            &spooled,
            query.dry_run,
        )
        .await?,
    ))
}

/// `POST /api/v1/zones/{code}/monitoring/compute?year=YYYY[&status=draft|submitted][&dry_run=true]`.
pub async fn compute(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<service::computed::ComputeQuery>,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let request = service::computed::request(&principal, &role, &code, &query)?;
    Ok(Json(service::monitoring::compute_and_save(&state, request).await?))
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
    // The imports running into the zone, with their progress (nothing of them is stored until each ends).
    let importing: Vec<Value> = state
        .imports
        .of_zone(&code)
        .iter()
        .map(|import| import.json())
        .collect();
    Ok(Json(json!({ "zone": code, "kinds": kinds, "importing": importing })))
}
