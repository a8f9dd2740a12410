//! Values and their workflow (数据审核流程): save, submit, approve, return, reopen — the checks
//! (the caller's right to the row, the value's validation, the transition, four eyes, the revision the
//! caller saw) and the write. The API's value routes and the entry, review and reopen forms call these.

use std::sync::Arc;

use ecociv_core::Framework;
use ecociv_store::{Action, NewRevision, Revision};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{Principal, ZoneRole};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::validate::{self, Entry};
use crate::workflow::{self, Step};

/// Resolves (zone, row, year) for a value action and checks the caller's right with `allowed`.
pub async fn value_target(
    state: &AppState,
    principal: &Principal,
    code: &str,
    row_id: &str,
    year: i32,
    allowed: fn(Option<&ZoneRole>, &[String]) -> bool,
) -> ApiResult<(Arc<Framework>, ZoneRole)> {
    let (record, role) = super::member_zone(state, principal, code).await?;
    let framework = state.store.framework(&record.framework_id).await?;
    validate::row(&framework, row_id).map_err(|problem| ApiError::not_found(problem.message))?;
    validate::check_year(year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let leads = state.store.row_leads(code, row_id).await?;
    if !allowed(Some(&role), &leads) {
        return Err(ApiError::forbidden());
    }
    Ok((framework, role))
}

fn is_reviewer(role: &ZoneRole) -> bool {
    policy::can_review(Some(role))
}

fn changed_meanwhile() -> ApiError {
    ApiError::new(
        Code::Conflict,
        "数值已被他人修改，请刷新后重试 (the value changed meanwhile)",
    )
}

/// A saved value: the revision written, the one it follows, and the jump warnings against last year.
#[derive(Debug)]
pub struct Saved {
    pub revision: Option<Revision>,
    pub before: Option<Revision>,
    pub warnings: Vec<String>,
}

/// Saves a value of (zone, row, year) as a draft, after every check of [`prepare_save`]. A large change
/// against last year is reported in `warnings`, not refused.
pub async fn save(
    state: &AppState,
    principal: &Principal,
    code: &str,
    row_id: &str,
    year: i32,
    entry: Entry,
) -> ApiResult<Saved> {
    let before = state.store.current(code, row_id, year).await?;
    let (new, warnings) = prepare_save(state, principal, code, row_id, year, entry, before.as_ref()).await?;
    let stored = state
        .store
        .append_revisions(code, &principal.user.id, None, vec![new])
        .await?;
    Ok(Saved {
        revision: stored.into_iter().next(),
        before,
        warnings,
    })
}

/// Checks a save of (zone, row, year) by `principal` following `current` (the value's current revision,
/// or the one a form plans before it) and makes the revision to append, with the jump warnings — every
/// check of [`save`], nothing written. A form checks all its rows with this, then appends them together.
pub async fn prepare_save(
    state: &AppState,
    principal: &Principal,
    code: &str,
    row_id: &str,
    year: i32,
    entry: Entry,
    current: Option<&Revision>,
) -> ApiResult<(NewRevision, Vec<String>)> {
    let (framework, role) = value_target(state, principal, code, row_id, year, policy::can_edit_row).await?;
    let row = validate::row(&framework, row_id).map_err(|problem| ApiError::not_found(problem.message))?;
    let default_source = format!("{}（{}）录入", principal.user.display_name, principal.user.username);
    let observation = validate::observation(row, year, &entry, &default_source).map_err(|problems| {
        ApiError::new(Code::InvalidValue, "数值未通过校验 (the value was refused)")
            .with_details(json!(problems.iter().map(validate::Problem::json).collect::<Vec<_>>()))
    })?;
    let status = workflow::next(current.map(|r| r.status), Step::Save, is_reviewer(&role))?;
    let after = current.map_or(0, |r| r.revision_no);
    if let Some(expected) = entry.after
        && expected != after
    {
        return Err(changed_meanwhile());
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

/// What comes with a workflow step.
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

/// Takes a workflow step (submit, approve, return, reopen) of (zone, row, year), after every check of
/// [`prepare_step`]: the revision written.
pub async fn step(
    state: &AppState,
    principal: &Principal,
    code: &str,
    row_id: &str,
    year: i32,
    step: Step,
    body: StepBody,
) -> ApiResult<Option<Revision>> {
    let current = state.store.current(code, row_id, year).await?;
    let new = prepare_step(state, principal, code, row_id, year, step, body, current.as_ref()).await?;
    let stored = state
        .store
        .append_revisions(code, &principal.user.id, None, vec![new])
        .await?;
    Ok(stored.into_iter().next())
}

/// Checks a workflow step (submit, approve, return, reopen) of (zone, row, year) by `principal` following
/// `current` and makes the revision to append — every check of [`step`], nothing written.
#[allow(clippy::too_many_arguments)]
pub async fn prepare_step(
    state: &AppState,
    principal: &Principal,
    code: &str,
    row_id: &str,
    year: i32,
    step: Step,
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
        && workflow::wrote_value(&principal.user.id, &state.store.history(code, row_id, year).await?)
    {
        return Err(workflow::own_value_refused());
    }
    if let Some(expected) = body.after
        && expected != current.revision_no
    {
        return Err(changed_meanwhile());
    }
    Ok(NewRevision {
        after: current.revision_no,
        action: workflow::action(step),
        status,
        observation: current.observation.clone(),
        unit: current.unit.clone(),
        evidence: current.evidence.clone(),
        reason: comment,
    })
}
