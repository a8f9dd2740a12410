//! The workflow forms: a department's data entry (save draft / submit) and the bureau's review (approve /
//! return with a comment). Both call the JSON API's own handlers ([`crate::api::values`]), so a value
//! entered by form goes through exactly the checks, transitions and audit trail of one sent to the API.
//!
//! Data entry checks every field first (the core's `parse_value`, as the API does): when any field is
//! refused, the form comes back with the message next to that field and nothing is saved.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_core::Assigned;
use ecociv_store::{Revision, Status as Workflow};
use ecociv_web::i18n::{fmt_number, t, tf};
use ecociv_web::layout::{Flash, FlashKind, urls};
use ecociv_web::pages::entry::{EntryState, EntryView, assigned_field, value_field};
use ecociv_web::pages::review::{ReviewItem, ReviewView, Submission};
use ecociv_web::pages::{entry as entry_page, review as review_page};

use super::{Web, WebError, WebResult, context, html, visible_zone, years};
use crate::AppState;
use crate::api::values;
use crate::auth::{AuthUser, ZoneRole};
use crate::policy;
use crate::validate::Entry;

type Q = Query<BTreeMap<String, String>>;

fn entry_state(status: Workflow) -> EntryState {
    match status {
        Workflow::Draft => EntryState::Draft,
        Workflow::Submitted => EntryState::Submitted,
        Workflow::Approved => EntryState::Approved,
        Workflow::Returned => EntryState::Returned,
    }
}

fn assigned_text(assigned: Option<&Assigned>) -> String {
    match assigned {
        Some(Assigned::Value(number)) => fmt_number(*number),
        Some(Assigned::Verdict(true)) => "完成".to_string(),
        Some(Assigned::Verdict(false)) => "未完成".to_string(),
        None => String::new(),
    }
}

/// The entry form of the visitor's department for a year, with what the store holds.
async fn entry_view(state: &AppState, web: &Web, code: &str, year: i32) -> WebResult<(ecociv_store::ZoneRecord, std::sync::Arc<ecociv_core::Framework>, EntryView, String)> {
    let Some(principal) = &web.principal else { return Err(WebError::Login { next: web.path.clone() }) };
    let Some(ZoneRole::Editor { department }) = principal.zone_role(code) else { return Err(WebError::Forbidden(web.lang)) };
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let department = state
        .store
        .departments(code)
        .await?
        .into_iter()
        .find(|d| d.id == department)
        .map(|d| d.name)
        .ok_or(WebError::Forbidden(web.lang))?;
    let revisions: Vec<Revision> = state.store.current_revisions(code, Some(year)).await?;
    let by_row: BTreeMap<&str, &Revision> = revisions.iter().map(|revision| (revision.observation.row.as_str(), revision)).collect();
    let states: BTreeMap<String, (EntryState, Option<String>)> = by_row
        .iter()
        .map(|(row, revision)| {
            let comment = (revision.status == Workflow::Returned && !revision.reason.is_empty()).then(|| revision.reason.clone());
            (row.to_string(), (entry_state(revision.status), comment))
        })
        .collect();
    let mut view = EntryView::build(&framework, &zone, &department, year, years(&zone, record.base_year), &states);
    for row in &mut view.rows {
        if let Some(revision) = by_row.get(row.id.as_str()) {
            row.value = revision.observation.value.display();
            row.assigned = assigned_text(revision.observation.assigned.as_ref());
        }
    }
    Ok((record, framework, view, department))
}

fn done_flash(web: &Web, query: &BTreeMap<String, String>, prefix: &str) -> Option<Flash> {
    let done = query.get("done")?;
    matches!(done.as_str(), "saved" | "submitted" | "approved" | "returned")
        .then(|| Flash { kind: FlashKind::Success, text: t(web.lang, &format!("{prefix}.done.{done}")).into_owned() })
}

/// `GET /z/{code}/entry?year=`.
pub async fn entry_page(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let base_year = {
        let Some(record) = state.store.zone(&code).await? else { return Err(WebError::NotFound(web.lang)) };
        record.base_year
    };
    let year = query.get("year").and_then(|y| y.parse::<i32>().ok()).filter(|y| (1949..=2100).contains(y)).unwrap_or(base_year + 1);
    let (record, _, view, department) = entry_view(&state, &web, &code, year).await?;
    let ctx = context(&web, Some(&record), Some(department), done_flash(&web, &query, "entry"));
    Ok(html(StatusCode::OK, entry_page::render_entry(&ctx, &view)))
}

/// `POST /z/{code}/entry`: `year`, `action` (`save` | `submit`), `v:<row>`, `a:<row>`.
pub async fn entry_post(State(state): State<AppState>, web: Web, Path(code): Path<String>, Form(input): Form<BTreeMap<String, String>>) -> WebResult<Response> {
    let year = input.get("year").and_then(|y| y.parse::<i32>().ok()).filter(|y| (1949..=2100).contains(y)).ok_or(WebError::NotFound(web.lang))?;
    let submit = input.get("action").is_some_and(|action| action == "submit");
    let (record, framework, mut view, department) = entry_view(&state, &web, &code, year).await?;
    let stored: Vec<(String, String, String, EntryState)> =
        view.rows.iter().map(|row| (row.id.clone(), row.value.clone(), row.assigned.clone(), row.state)).collect();
    let refused = view.apply_input(&framework, &input);
    if refused > 0 {
        let ctx = context(&web, Some(&record), Some(department), None);
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, entry_page::render_entry(&ctx, &view)));
    }
    let Some(principal) = web.principal.clone() else { return Err(WebError::Login { next: web.path.clone() }) };
    let mut problems: Vec<String> = Vec::new();
    for (row_id, old_value, old_assigned, state_before) in stored {
        if !state_before.editable() {
            continue;
        }
        let value = input.get(&value_field(&row_id)).map(|text| text.trim().to_string()).unwrap_or_default();
        let assigned = input.get(&assigned_field(&row_id)).map(|text| text.trim().to_string()).unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        let changed = value != old_value || assigned != old_assigned || state_before == EntryState::Empty;
        if changed {
            let entry = Entry { value: value.clone(), assigned: Some(assigned.clone()).filter(|a| !a.is_empty()), ..Entry::default() };
            if let Err(error) = values::save(State(state.clone()), AuthUser(principal.clone()), Path((code.clone(), row_id.clone(), year)), Json(entry)).await {
                problems.push(format!("{row_id}: {}", error.message));
                continue;
            }
        }
        if submit
            && let Err(error) = values::submit(State(state.clone()), AuthUser(principal.clone()), Path((code.clone(), row_id.clone(), year)), Bytes::new()).await
        {
            problems.push(format!("{row_id}: {}", error.message));
        }
    }
    if !problems.is_empty() {
        let (record, _, view, department) = entry_view(&state, &web, &code, year).await?;
        let flash = Flash { kind: FlashKind::Error, text: format!("{}{}", t(web.lang, "entry.step_failed"), problems.join("；")) };
        let ctx = context(&web, Some(&record), Some(department), Some(flash));
        return Ok(html(StatusCode::CONFLICT, entry_page::render_entry(&ctx, &view)));
    }
    let done = if submit { "submitted" } else { "saved" };
    Ok(Redirect::to(&format!("{}?year={year}&done={done}", urls::entry(&code))).into_response())
}

async fn review_view(state: &AppState, web: &Web, code: &str) -> WebResult<(ecociv_store::ZoneRecord, ReviewView)> {
    if web.principal.is_none() {
        return Err(WebError::Login { next: web.path.clone() });
    }
    if !policy::can_review(policy::role(web.principal.as_deref(), code).as_ref()) {
        return Err(WebError::Forbidden(web.lang));
    }
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let revisions = state.store.current_revisions(code, None).await?;
    let items = revisions
        .iter()
        .filter(|revision| revision.status == Workflow::Submitted)
        .filter_map(|revision| {
            let submission = Submission {
                id: format!("{}@{}", revision.observation.row, revision.observation.year),
                row: revision.observation.row.clone(),
                year: revision.observation.year,
                value: revision.observation.value.clone(),
                department: zone.plan.lead_departments.get(&revision.observation.row).map(|leads| leads.join("、")).unwrap_or_default(),
                submitted_by: revision.author_name.clone(),
                submitted_at: revision.created_at.clone(),
                evidence: usize::from(!revision.evidence.trim().is_empty()),
            };
            ReviewItem::build(&framework, &zone, &submission)
        })
        .collect();
    Ok((record, ReviewView { zone_code: code.to_string(), items }))
}

/// `GET /z/{code}/review`.
pub async fn review_page(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, view) = review_view(&state, &web, &code).await?;
    let ctx = context(&web, Some(&record), None, done_flash(&web, &query, "review"));
    Ok(html(StatusCode::OK, review_page::render_review(&ctx, &view)))
}

/// `POST /z/{code}/review/{row@year}`: `decision` (`approve` | `return`), `comment`.
pub async fn review_post(
    State(state): State<AppState>,
    web: Web,
    Path((code, submission)): Path<(String, String)>,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let Some(principal) = web.principal.clone() else { return Err(WebError::Login { next: web.path.clone() }) };
    let (row, year) = submission
        .rsplit_once('@')
        .and_then(|(row, year)| Some((row.to_string(), year.parse::<i32>().ok()?)))
        .ok_or(WebError::NotFound(web.lang))?;
    let comment = input.get("comment").map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    let body = serde_json::to_vec(&serde_json::json!({ "comment": comment })).map_err(|e| WebError::Internal(web.lang, e.to_string()))?;
    let path = Path((code.clone(), row, year));
    let (result, done) = match input.get("decision").map(String::as_str) {
        Some("approve") => (values::approve(State(state.clone()), AuthUser(principal), path, Bytes::from(body)).await, "approved"),
        Some("return") => (values::return_(State(state.clone()), AuthUser(principal), path, Bytes::from(body)).await, "returned"),
        _ => return Err(WebError::NotFound(web.lang)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{}?done={done}", urls::review(&code))).into_response()),
        Err(error) if matches!(error.code, crate::error::Code::Forbidden | crate::error::Code::Unauthenticated | crate::error::Code::NotFound) => {
            Err(WebError::from_api(&web, error))
        }
        Err(error) => {
            let (record, view) = review_view(&state, &web, &code).await?;
            let flash = Flash { kind: FlashKind::Error, text: tf(web.lang, "review.step_failed", &[("reason", &error.message)]) };
            let ctx = context(&web, Some(&record), None, Some(flash));
            Ok(html(StatusCode::CONFLICT, review_page::render_review(&ctx, &view)))
        }
    }
}
