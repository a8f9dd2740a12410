//! Values and their workflow: list, history, save, submit, approve, return, reopen.

use axum::Json;
use axum::extract::{Path, Query, State};
use ecociv_core::Framework;
use ecociv_store::{Action, NewRevision, Revision};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::zones::member_zone;
use crate::auth::{AuthUser, ZoneRole};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::validate::{self, Entry};
use crate::workflow::{self, Step};

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

/// Resolves (zone, row, year) for a value route and checks the caller's right with `allowed`.
async fn value_target(
    state: &AppState,
    principal: &AuthUser,
    code: &str,
    row_id: &str,
    year: i32,
    allowed: fn(Option<&ZoneRole>, &[String]) -> bool,
) -> ApiResult<(std::sync::Arc<Framework>, ZoneRole)> {
    let (record, role) = member_zone(state, principal, code).await?;
    let framework = state.store.framework(&record.framework_id).await?;
    validate::row(&framework, row_id).map_err(|problem| ApiError::not_found(problem.message))?;
    validate::check_year(year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let leads = state.store.row_leads(code, row_id).await?;
    if !allowed(Some(&role), &leads) {
        return Err(ApiError::forbidden());
    }
    Ok((framework, role))
}

/// `GET /api/v1/zones/{code}/values/{row}/{year}/history`: every revision, oldest first, each with the
/// value before it.
pub async fn history(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, row_id, year)): Path<(String, String, i32)>,
) -> ApiResult<Json<Value>> {
    value_target(&state, &principal, &code, &row_id, year, policy::can_read_row).await?;
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

fn is_reviewer(role: &ZoneRole) -> bool {
    policy::can_review(Some(role))
}

/// `PUT /api/v1/zones/{code}/values/{row}/{year}`: saves a value as draft, after validation. A large
/// change against last year is reported in `warnings`, not refused.
pub async fn save(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, row_id, year)): Path<(String, String, i32)>,
    Json(entry): Json<Entry>,
) -> ApiResult<Json<Value>> {
    let current = state.store.current(&code, &row_id, year).await?;
    let (new, warnings) = prepare_save(&state, &principal, &code, &row_id, year, entry, current.as_ref()).await?;
    let stored = state
        .store
        .append_revisions(&code, &principal.0.user.id, None, vec![new])
        .await?;
    let mut body = json!({ "revision": stored.first().map(revision_json), "warnings": warnings });
    body["before"] = current
        .as_ref()
        .map(|r| ecociv_report::json::value(Some(&r.observation.value)))
        .unwrap_or(Value::Null);
    Ok(Json(body))
}

/// Checks a save of (zone, row, year) by `principal` following `current` (the value's current revision,
/// or the one a form plans before it) and makes the revision to append, with the jump warnings — every
/// check of [`save`], nothing written. A form checks all its rows with this, then appends them together.
pub async fn prepare_save(
    state: &AppState,
    principal: &AuthUser,
    code: &str,
    row_id: &str,
    year: i32,
    entry: Entry,
    current: Option<&Revision>,
) -> ApiResult<(NewRevision, Vec<String>)> {
    let (framework, role) = value_target(state, principal, code, row_id, year, policy::can_edit_row).await?;
    let row = validate::row(&framework, row_id).map_err(|problem| ApiError::not_found(problem.message))?;
    let default_source = format!("{}（{}）录入", principal.0.user.display_name, principal.0.user.username);
    let observation = validate::observation(row, year, &entry, &default_source).map_err(|problems| {
        ApiError::new(Code::InvalidValue, "数值未通过校验 (the value was refused)")
            .with_details(json!(problems.iter().map(validate::Problem::json).collect::<Vec<_>>()))
    })?;
    let status = workflow::next(current.map(|r| r.status), Step::Save, is_reviewer(&role))?;
    let after = current.map_or(0, |r| r.revision_no);
    if let Some(expected) = entry.after
        && expected != after
    {
        return Err(ApiError::new(
            Code::Conflict,
            "数值已被他人修改，请刷新后重试 (the value changed meanwhile)",
        ));
    }
    let previous = state.store.current(code, row_id, year - 1).await?;
    let warnings: Vec<String> =
        validate::jump_warning(row, previous.as_ref().map(|r| &r.observation.value), &observation.value)
            .into_iter()
            .collect();
    let new = NewRevision {
        after,
        action: Action::Save,
        status,
        observation,
        unit: row.unit.clone(),
        evidence: entry.evidence.unwrap_or_default(),
        reason: entry.reason.unwrap_or_default(),
    };
    Ok((new, warnings))
}

/// The body of a workflow step.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// The reviewer's comment (required to return or reopen) or the submitter's note.
    #[serde(default)]
    pub comment: Option<String>,
    /// The revision this step follows (optimistic concurrency).
    #[serde(default)]
    pub after: Option<i64>,
}

async fn step(
    state: AppState,
    principal: AuthUser,
    (code, row_id, year): (String, String, i32),
    body: axum::body::Bytes,
    step: Step,
    action: Action,
) -> ApiResult<Json<Value>> {
    let body: StepBody = if body.iter().all(u8::is_ascii_whitespace) {
        StepBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|error| ApiError::bad_request(format!("请求体不是有效的 JSON (invalid JSON body): {error}")))?
    };
    let current = state.store.current(&code, &row_id, year).await?;
    let new = prepare_step(
        &state,
        &principal,
        &code,
        &row_id,
        year,
        step,
        action,
        body,
        current.as_ref(),
    )
    .await?;
    let stored = state
        .store
        .append_revisions(&code, &principal.0.user.id, None, vec![new])
        .await?;
    Ok(Json(json!({ "revision": stored.first().map(revision_json) })))
}

/// Checks a workflow step (submit, approve, return, reopen) of (zone, row, year) by `principal` following
/// `current` and makes the revision to append — every check of the step's route, nothing written.
#[allow(clippy::too_many_arguments)]
pub async fn prepare_step(
    state: &AppState,
    principal: &AuthUser,
    code: &str,
    row_id: &str,
    year: i32,
    step: Step,
    action: Action,
    body: StepBody,
    current: Option<&Revision>,
) -> ApiResult<NewRevision> {
    let allowed: fn(Option<&ZoneRole>, &[String]) -> bool = match step {
        Step::Submit => policy::can_edit_row,
        _ => |role, _| policy::can_review(role),
    };
    let (_, role) = value_target(state, principal, code, row_id, year, allowed).await?;
    let comment = body.comment.unwrap_or_default().trim().to_string();
    if workflow::needs_comment(step) && comment.is_empty() {
        return Err(ApiError::bad_request(
            "退回或重新打开须填写意见 (a comment is required)",
        ));
    }
    let status = workflow::next(current.map(|r| r.status), step, is_reviewer(&role))?;
    let Some(current) = current else {
        return Err(ApiError::new(Code::InvalidTransition, "尚无数值 (no value yet)"));
    };
    // Four eyes: whoever entered or computed the value does not approve it.
    if step == Step::Approve
        && workflow::wrote_value(&principal.0.user.id, &state.store.history(code, row_id, year).await?)
    {
        return Err(workflow::own_value_refused());
    }
    if let Some(expected) = body.after
        && expected != current.revision_no
    {
        return Err(ApiError::new(
            Code::Conflict,
            "数值已被他人修改，请刷新后重试 (the value changed meanwhile)",
        ));
    }
    Ok(NewRevision {
        after: current.revision_no,
        action,
        status,
        observation: current.observation.clone(),
        unit: current.unit.clone(),
        evidence: current.evidence.clone(),
        reason: comment,
    })
}

type ValuePath = Path<(String, String, i32)>;

/// `POST …/submit`.
pub async fn submit(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Submit, Action::Submit).await
}

/// `POST …/approve`.
pub async fn approve(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Approve, Action::Approve).await
}

/// `POST …/return`.
pub async fn return_(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Return, Action::Return).await
}

/// `POST …/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(path): ValuePath,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    step(state, principal, path, body, Step::Reopen, Action::Reopen).await
}
