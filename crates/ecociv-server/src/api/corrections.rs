//! Corrections of monitoring data (issue 19) on the API: a correction file applied (reviewers), the
//! batches, a reading's history and the rows whose monitoring inputs changed (members). The rules are
//! [`crate::service::corrections`]'s.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use ecociv_monitoring::kind::Kind;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::service::member_zone;
use crate::service::{self, corrections};

fn kind_of(code: &str) -> ApiResult<Kind> {
    Kind::parse(code).ok_or_else(|| ApiError::not_found(format!("监测数据类型 (monitoring kind) {code}")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectQuery {
    #[serde(default)]
    pub dry_run: bool,
    /// The file's name (kept with the batch).
    #[serde(default)]
    pub file: Option<String>,
    /// The batch's reason, for lines without their own.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/zones/{code}/monitoring/corrections/{kind}?file=NAME&reason=…&dry_run=true`: the body is
/// the correction file.
pub async fn correct(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, kind)): Path<(String, String)>,
    Query(query): Query<CorrectQuery>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let kind = kind_of(&kind)?;
    let file = service::monitoring::check_file_name(query.file.as_deref().unwrap_or("corrections.csv"))?;
    Ok(Json(
        corrections::correct(
            &state,
            &principal,
            &role,
            &code,
            kind,
            &file,
            body.to_vec(),
            query.reason.as_deref(),
            query.dry_run,
        )
        .await?,
    ))
}

/// `GET /api/v1/zones/{code}/monitoring/corrections`: the correction batches, newest first.
pub async fn batches(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let batches = corrections::batches_json(&state.store, &code, &Kind::ALL).await?;
    Ok(Json(json!({ "zone": code, "batches": batches })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    pub station: String,
    pub parameter: String,
    pub time: String,
}

/// `GET /api/v1/zones/{code}/monitoring/history/{kind}?station=&parameter=&time=`: a reading's history.
pub async fn history(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, kind)): Path<(String, String)>,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let kind = kind_of(&kind)?;
    let history =
        corrections::history(&state.store, &code, kind, &query.station, &query.parameter, &query.time).await?;
    Ok(Json(corrections::history_json(kind, &history)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaleQuery {
    pub year: i32,
}

/// `GET /api/v1/zones/{code}/monitoring/stale?year=YYYY`: the rows computed from monitoring whose
/// readings now give another figure (to recompute through the workflow).
pub async fn stale(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<StaleQuery>,
) -> ApiResult<Json<Value>> {
    let (record, _) = member_zone(&state, &principal, &code).await?;
    crate::validate::check_year(query.year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let framework = state.store.framework(&record.framework_id).await?;
    let values = state.store.current_revisions(&code, Some(query.year)).await?;
    let rows = corrections::stale_rows(&state.store, &framework, &code, query.year, &values).await?;
    Ok(Json(json!({
        "zone": code,
        "year": query.year,
        "stale": rows.iter().map(corrections::StaleRow::json).collect::<Vec<_>>(),
    })))
}
