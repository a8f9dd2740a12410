//! Values and their workflow: list, history, save, submit, approve, return, reopen. The writes are
//! [`crate::service::values`]'s; these handlers read the request and shape the JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use ecociv_store::Revision;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::service::{self, member_zone, values::StepBody};
use crate::validate::Entry;
use crate::workflow::Step;

/// A revision as the API shows it.
pub fn revision_json(revision: &Revision) -> Value {
    let observation = &revision.observation;
    json!({
        "row": observation.row,
        "year": observation.year,
        "revision": revision.revision_no,
        "action": revision.action.code(),
        "status": revision.status.code(),
        "status_zh": revision.status.zh(),
        "value": ecociv_report::json::value(Some(&observation.value)),
        "assigned": observation.assigned.as_ref().map(|assigned| match assigned {
            ecociv_core::Assigned::Value(number) => json!(number),
            ecociv_core::Assigned::Verdict(done) => json!(ecociv_core::Assigned::verdict_zh(*done)),
        }),
        "recorded": observation.recorded.as_ref().map(|recorded| if recorded.met { "达标" } else { "不达标" }),
        "source": ecociv_report::json::source(Some(&observation.source)),
        "unit": revision.unit,
        "evidence": revision.evidence,
        "author": { "id": revision.author_id, "name": revision.author_name },
        "at": revision.created_at,
        "reason": revision.reason,
        "batch": revision.batch_id,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    #[serde(default)]
    pub year: Option<i32>,
}

/// `GET /api/v1/zones/{code}/values[?year=]`: the current revision of every value the caller may read.
pub async fn list(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<YearQuery>,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let leads = state.store.leads(&code).await?;
    let revisions = state.store.current_revisions(&code, query.year).await?;
    let no_leads = Vec::new();
    let visible: Vec<Value> = revisions
        .iter()
        .filter(|revision| policy::can_read_row(Some(&role), leads.get(&revision.observation.row).unwrap_or(&no_leads)))
        .map(revision_json)
        .collect();
    Ok(Json(json!({ "zone": code, "values": visible })))
}

/// `GET /api/v1/zones/{code}/values/{row}/{year}/history`: every revision, oldest first, each with the
/// value before it.
pub async fn history(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, row_id, year)): Path<(String, String, i32)>,
) -> ApiResult<Json<Value>> {
    service::values::value_target(&state, &principal, &code, &row_id, year, policy::can_read_row).await?;
    let revisions = state.store.history(&code, &row_id, year).await?;
    let mut entries = Vec::new();
    let mut before: Option<Value> = None;
    for revision in &revisions {
        let mut entry = revision_json(revision);
        entry["before"] = before.clone().unwrap_or(Value::Null);
        before = Some(entry["value"].clone());
        entries.push(entry);
    }
    Ok(Json(
        json!({ "zone": code, "row": row_id, "year": year, "revisions": entries }),
    ))
}

/// `PUT /api/v1/zones/{code}/values/{row}/{year}`: saves a value as draft, after validation
/// ([`service::values::save`]). A large change against last year is reported in `warnings`, not refused.
pub async fn save(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, row_id, year)): Path<(String, String, i32)>,
    Json(entry): Json<Entry>,
) -> ApiResult<Json<Value>> {
    let saved = service::values::save(&state, &principal, &code, &row_id, year, entry).await?;
    let mut body = json!({ "revision": saved.revision.as_ref().map(revision_json), "warnings": saved.warnings });
    body["before"] = saved
        .before
        .as_ref()
        .map(|r| ecociv_report::json::value(Some(&r.observation.value)))
        .unwrap_or(Value::Null);
    Ok(Json(body))
}

/// A workflow step's route: the optional JSON body ([`StepBody`]; empty is none), then
/// [`service::values::step`].
async fn step(
    state: AppState,
    principal: AuthUser,
    (code, row_id, year): (String, String, i32),
    body: axum::body::Bytes,
    step: Step,
) -> ApiResult<Json<Value>> {
    let body: StepBody = if body.iter().all(u8::is_ascii_whitespace) {
        StepBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|error| ApiError::bad_request(format!("请求体不是有效的 JSON (invalid JSON body): {error}")))?
    };
    let stored = service::values::step(&state, &principal, &code, &row_id, year, step, body).await?;
    Ok(Json(json!({ "revision": stored.as_ref().map(revision_json) })))
}

type ValuePath = Path<(String, String, i32)>;

/// `POST …/submit`.
pub async fn submit(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Submit).await
}

/// `POST …/approve`.
pub async fn approve(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Approve).await
}

/// `POST …/return`.
pub async fn return_(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Return).await
}

/// `POST …/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Reopen).await
}
