//! The workflow forms: a department's data entry (save draft / submit) and the bureau's review (approve /
//! return with a comment). Both call the service layer the JSON API calls ([`crate::service::values`]), so
//! a value entered by form goes through exactly the checks, transitions and audit trail of one sent to the
//! API.
//!
//! Data entry is all or nothing: every field is checked first (the core's `parse_value`, then the service's
//! checks and workflow through [`values::prepare_save`] / [`values::prepare_step`], then the evidence
//! files), and the whole form — values, submissions and files — is written by one store transaction
//! ([`ecociv_store::Store::append_with_evidence`]). When anything is refused, nothing is saved and the
//! form comes back with the message next to each refused field.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_store::{NewEvidence, NewRevision, Revision, Status as Workflow};
use ecociv_web::i18n::{t, tf};
use ecociv_web::layout::{Flash, FlashKind, urls};
use ecociv_web::pages::entry::{
    EntryState, EntryView, EvidenceLink, FieldError, assigned_field, revision_field, value_field,
};
use ecociv_web::pages::review::{ReviewItem, ReviewView, Submission};
use ecociv_web::pages::{entry as entry_page, review as review_page};

use super::{Web, WebError, WebResult, context, html, visible_zone, years};
use crate::AppState;
use crate::api::evidence;
use crate::auth::{AuthUser, Principal, ZoneRole};
use crate::error::Code;
use crate::multipart::{self, FormData, Upload};
use crate::policy;
use crate::service::values::{self, StepBody};
use crate::validate::Entry;
use crate::workflow::Step;
use sha2::{Digest, Sha256};

type Q = Query<BTreeMap<String, String>>;

fn entry_state(status: Workflow) -> EntryState {
    match status {
        Workflow::Draft => EntryState::Draft,
        Workflow::Submitted => EntryState::Submitted,
        Workflow::Approved => EntryState::Approved,
        Workflow::Returned => EntryState::Returned,
    }
}

/// The entry form of the visitor's department for a year, with what the store holds, and the current
/// revision of each value of the year.
type Loaded = (
    ecociv_store::ZoneRecord,
    std::sync::Arc<ecociv_core::Framework>,
    EntryView,
    String,
    BTreeMap<String, Revision>,
);

async fn entry_view(state: &AppState, web: &Web, principal: &Principal, code: &str, year: i32) -> WebResult<Loaded> {
    let Some(ZoneRole::Editor { department }) = principal.zone_role(code) else {
        return Err(WebError::Forbidden(web.lang));
    };
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
    let by_row: BTreeMap<String, Revision> = revisions
        .into_iter()
        .map(|revision| (revision.observation.row.clone(), revision))
        .collect();
    let states: BTreeMap<String, (EntryState, Option<String>)> = by_row
        .iter()
        .map(|(row, revision)| {
            let comment =
                (revision.status == Workflow::Returned && !revision.reason.is_empty()).then(|| revision.reason.clone());
            (row.clone(), (entry_state(revision.status), comment))
        })
        .collect();
    let mut view = EntryView::build(
        &framework,
        &zone,
        &department,
        year,
        years(&zone, record.base_year),
        &states,
    );
    view.evidence_upload = true;
    let mut files = evidence_links(state, code, Some(year)).await?;
    for row in &mut view.rows {
        if let Some(revision) = by_row.get(row.id.as_str()) {
            row.value = revision.observation.value.display();
            row.assigned = ecociv_report::template::assigned_text(revision.observation.assigned.as_ref());
            row.revision = revision.revision_no;
        }
        row.evidence = files.remove(&(row.id.clone(), year)).unwrap_or_default();
    }
    Ok((record, framework, view, department, by_row))
}

/// The evidence files of a zone's values (of one year, when given) with their download links, by (row, year).
async fn evidence_links(
    state: &AppState,
    code: &str,
    year: Option<i32>,
) -> WebResult<BTreeMap<(String, i32), Vec<EvidenceLink>>> {
    let mut links: BTreeMap<(String, i32), Vec<EvidenceLink>> = BTreeMap::new();
    for file in state.store.zone_evidence(code, year).await? {
        links
            .entry((file.row_id.clone(), file.year))
            .or_default()
            .push(EvidenceLink {
                href: urls::evidence(code, &file.id),
                bytes: u64::try_from(file.size_bytes).unwrap_or(0),
                name: file.file.file_name,
            });
    }
    Ok(links)
}

fn done_flash(web: &Web, query: &BTreeMap<String, String>, prefix: &str) -> Option<Flash> {
    let done = query.get("done")?;
    matches!(
        done.as_str(),
        "saved" | "submitted" | "approved" | "approved_batch" | "returned" | "reopened"
    )
    .then(|| Flash {
        kind: FlashKind::Success,
        text: t(web.lang, &format!("{prefix}.done.{done}")).into_owned(),
    })
}

/// `GET /z/{code}/entry?year=`.
pub async fn entry_page(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let base_year = {
        let Some(record) = state.store.zone(&code).await? else {
            return Err(WebError::NotFound(web.lang));
        };
        record.base_year
    };
    let year = query
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| ecociv_core::value::YEARS.contains(y))
        .unwrap_or(base_year + 1);
    let (record, framework, view, department, by_row) = entry_view(&state, &web, &user, &code, year).await?;
    let mut flash = done_flash(&web, &query, "entry");
    // Rows saved with a jump against last year: named, so the editor checks them.
    let jumps: Vec<&str> = query
        .get("warn")
        .map(|rows| {
            rows.split(',')
                .filter(|row| view.rows.iter().any(|r| r.id == *row))
                .collect()
        })
        .unwrap_or_default();
    if let Some(flash) = &mut flash
        && !jumps.is_empty()
    {
        // Each row named, with last year's and this year's figures in its unit and the change.
        let mut lines = Vec::new();
        for id in &jumps {
            let (Some((_, row)), Some(now)) = (framework.row(id), by_row.get(*id)) else {
                continue;
            };
            let format = ecociv_core::format::RowFormat::for_row(row);
            let Some(before) = state.store.current(&code, id, year - 1).await? else {
                continue;
            };
            let change = match (before.observation.value.as_number(), now.observation.value.as_number()) {
                (Some(before), Some(after)) => {
                    let change = format.change_with_relative(after - before, before);
                    web.lang.pick(&change.zh, &change.en).to_string()
                }
                _ => "—".to_string(),
            };
            let name = web.lang.pick(&row.name, &row.name_en).to_string();
            lines.push(tf(
                web.lang,
                "entry.jump_row",
                &[
                    ("row", id),
                    ("name", &name),
                    ("last_year", &(year - 1)),
                    ("before", &format.value(&before.observation.value)),
                    ("year", &year),
                    ("after", &format.value(&now.observation.value)),
                    ("change", &change),
                ],
            ));
        }
        flash.kind = FlashKind::Info;
        flash.text = format!(
            "{}{}",
            flash.text,
            tf(web.lang, "entry.jump_warning", &[("rows", &lines.join("；"))])
        );
    }
    let ctx = context(&web, Some(&record), Some(department), flash);
    Ok(html(StatusCode::OK, entry_page::render_entry(&ctx, &view)))
}

/// A revision as it will be once `new` is appended (what a following step of the same form builds on).
fn planned(code: &str, author: &str, new: &NewRevision) -> Revision {
    Revision {
        id: String::new(),
        zone_code: code.to_string(),
        revision_no: new.after + 1,
        action: new.action,
        status: new.status,
        observation: new.observation.clone(),
        unit: new.unit.clone(),
        evidence: new.evidence.clone(),
        author_id: author.to_string(),
        author_name: String::new(),
        created_at: String::new(),
        reason: new.reason.clone(),
        batch_id: None,
    }
}

/// An API refusal of a row, as the message next to its field.
fn field_error(lang: ecociv_web::Lang, error: &crate::error::ApiError, current: Option<&Revision>) -> FieldError {
    match error.code {
        Code::Conflict | Code::ValueLocked | Code::InvalidTransition => {
            let status = current.map_or(EntryState::Empty, |revision| entry_state(revision.status));
            FieldError::new(
                "entry.error.changed",
                &[("status", t(lang, &format!("workflow.{}", status.code())).into_owned())],
            )
        }
        _ => FieldError::new("entry.error.refused", &[("reason", error.message.clone())]),
    }
}

/// The form's fields and files, from an urlencoded or a `multipart/form-data` body.
pub(crate) async fn form_input(web: &Web, headers: &HeaderMap, body: Bytes) -> WebResult<FormData> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if multipart::is_multipart(Some(content_type)) {
        multipart::parse(content_type, body, crate::csrf::MAX_MULTIPART_BYTES, None)
            .await
            .map_err(|_| WebError::BadRequest(web.lang))
    } else {
        Ok(FormData {
            fields: form_urlencoded::parse(&body).into_owned().collect(),
            files: Vec::new(),
        })
    }
}

/// Checks an evidence file of a form against the API's rules (name, size, not empty); `None` when no file
/// was chosen.
fn check_file(upload: &Upload) -> Option<Result<NewEvidence, FieldError>> {
    let name = upload.file_name.trim();
    if name.is_empty() && upload.content.is_empty() {
        return None;
    }
    Some(if crate::validate::file_name(name).is_none() {
        Err(FieldError::new("entry.error.file_name", &[]))
    } else if upload.content.is_empty() {
        Err(FieldError::new("entry.error.file_empty", &[]))
    } else if upload.content.len() > evidence::MAX_EVIDENCE_BYTES {
        Err(FieldError::new(
            "entry.error.file_too_large",
            &[("max", format!("{} MB", evidence::MAX_EVIDENCE_BYTES / 1024 / 1024))],
        ))
    } else {
        Ok(NewEvidence {
            row_id: String::new(),
            year: 0,
            file_name: name.to_string(),
            media_type: upload.media_type.chars().take(100).collect(),
            sha256: Sha256::digest(&upload.content)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            content: upload.content.to_vec(),
        })
    })
}

/// `POST /z/{code}/entry`: `year`, `action` (`save` | `submit`), `v:<row>`, `a:<row>`, `r:<row>` and, as
/// `multipart/form-data`, files `e:<row>`. The whole form is checked first — every field by the core's
/// `parse_value`, every row by the service's checks and workflow (the API's), every file — and then written in one
/// transaction with its files: when anything is refused, nothing is saved and the form comes back with the
/// message next to each refused field.
pub async fn entry_post(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let FormData { fields: input, files } = form_input(&web, &headers, body).await?;
    let year = input
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| ecociv_core::value::YEARS.contains(y))
        .ok_or(WebError::NotFound(web.lang))?;
    let submit = input.get("action").is_some_and(|action| action == "submit");
    let (record, framework, mut view, department, current) = entry_view(&state, &web, &user, &code, year).await?;
    let stored: Vec<(String, String, String, EntryState)> = view
        .rows
        .iter()
        .map(|row| (row.id.clone(), row.value.clone(), row.assigned.clone(), row.state))
        .collect();
    let mut refused = view.apply_input(&framework, &input);
    let mut conflict = false;
    // A value changed by someone else since the form was shown refuses the form (optimistic concurrency).
    for row in &mut view.rows {
        let shown = input
            .get(&revision_field(&row.id))
            .and_then(|text| text.parse::<i64>().ok());
        let now = current.get(&row.id);
        if let Some(shown) = shown
            && shown != now.map_or(0, |revision| revision.revision_no)
        {
            if let Some(value) = input.get(&value_field(&row.id)) {
                row.value = value.clone();
            }
            row.error = Some(field_error(
                web.lang,
                &crate::error::ApiError::new(Code::Conflict, ""),
                now,
            ));
            conflict = true;
        }
    }
    // Files: only for rows the department may still change.
    let mut attachments: Vec<NewEvidence> = Vec::new();
    for upload in &files {
        let Some(checked) = check_file(upload) else { continue };
        let Some(row) = upload
            .field
            .strip_prefix("e:")
            .and_then(|id| view.rows.iter_mut().find(|row| row.id == id))
        else {
            return Err(WebError::BadRequest(web.lang));
        };
        match checked {
            Ok(_) if !row.state.editable() => {
                row.evidence_error = Some(FieldError::new("entry.error.file_locked", &[]));
            }
            Ok(mut file) => {
                file.row_id = row.id.clone();
                file.year = year;
                attachments.push(file);
            }
            Err(error) => row.evidence_error = Some(error),
        }
    }
    refused += view.rows.iter().filter(|row| row.evidence_error.is_some()).count();
    // Every row through the service's checks and workflow, nothing written yet.
    let mut revisions: Vec<NewRevision> = Vec::new();
    // Rows whose figure jumps against last year's: saved, with a warning (a plausibility hint, never a refusal).
    let mut jumps: Vec<String> = Vec::new();
    if refused == 0 && !conflict {
        for (row_id, old_value, old_assigned, state_before) in stored {
            if !state_before.editable() {
                continue;
            }
            let value = input
                .get(&value_field(&row_id))
                .map(|text| text.trim().to_string())
                .unwrap_or_default();
            let assigned = input
                .get(&assigned_field(&row_id))
                .map(|text| text.trim().to_string())
                .unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            let mut base = current.get(&row_id).cloned();
            let changed = value != old_value || assigned != old_assigned || state_before == EntryState::Empty;
            let mut planned_steps = Vec::new();
            let mut outcome = Ok(());
            if changed {
                let entry = Entry {
                    value: value.clone(),
                    assigned: Some(assigned.clone()).filter(|a| !a.is_empty()),
                    ..Entry::default()
                };
                match values::prepare_save(&state, &user, &code, &row_id, year, entry, base.as_ref()).await {
                    Ok((new, warnings)) => {
                        if !warnings.is_empty() {
                            jumps.push(row_id.clone());
                        }
                        base = Some(planned(&code, &user.user.id, &new));
                        planned_steps.push(new);
                    }
                    Err(error) => outcome = Err(error),
                }
            }
            if submit && outcome.is_ok() {
                match values::prepare_step(
                    &state,
                    &user,
                    &code,
                    &row_id,
                    year,
                    Step::Submit,
                    StepBody::default(),
                    base.as_ref(),
                )
                .await
                {
                    Ok(new) => planned_steps.push(new),
                    Err(error) => outcome = Err(error),
                }
            }
            match outcome {
                Ok(()) => revisions.extend(planned_steps),
                Err(error)
                    if matches!(
                        error.code,
                        Code::Forbidden | Code::Unauthenticated | Code::NotFound | Code::Internal
                    ) =>
                {
                    return Err(WebError::from_api(&web, error));
                }
                Err(error) => {
                    if let Some(row) = view.rows.iter_mut().find(|row| row.id == row_id) {
                        row.error = Some(field_error(web.lang, &error, current.get(&row_id)));
                    }
                    refused += 1;
                }
            }
        }
    }
    if refused > 0 || conflict {
        // The browser forgets chosen files when the form comes back: say so only if a file was chosen.
        let chose_file = files
            .iter()
            .any(|upload| !upload.file_name.trim().is_empty() || !upload.content.is_empty());
        let flash = chose_file.then(|| Flash {
            kind: FlashKind::Error,
            text: t(web.lang, "entry.error.files_again").into_owned(),
        });
        let ctx = context(&web, Some(&record), Some(department), flash);
        let status = if conflict {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return Ok(html(status, entry_page::render_entry(&ctx, &view)));
    }
    // One transaction: every revision and every file of the form, or nothing.
    match state
        .store
        .append_with_evidence(&code, &user.user.id, None, revisions, attachments)
        .await
    {
        Ok(_) => {}
        Err(ecociv_store::StoreError::Conflict(_)) => {
            let (record, _, view, department, _) = entry_view(&state, &web, &user, &code, year).await?;
            let flash = Flash {
                kind: FlashKind::Error,
                text: t(web.lang, "entry.conflict").into_owned(),
            };
            let ctx = context(&web, Some(&record), Some(department), Some(flash));
            return Ok(html(StatusCode::CONFLICT, entry_page::render_entry(&ctx, &view)));
        }
        Err(error) => return Err(error.into()),
    }
    let done = if submit { "submitted" } else { "saved" };
    let warn = if jumps.is_empty() {
        String::new()
    } else {
        format!("&warn={}", urls::encode(&jumps.join(",")))
    };
    Ok(Redirect::to(&format!("{}?year={year}&done={done}{warn}", urls::entry(&code))).into_response())
}

async fn review_view(
    state: &AppState,
    web: &Web,
    principal: &Principal,
    code: &str,
) -> WebResult<(ecociv_store::ZoneRecord, ReviewView)> {
    if !policy::can_review(policy::role(Some(principal), code).as_ref()) {
        return Err(WebError::Forbidden(web.lang));
    }
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let revisions = state.store.current_revisions(code, None).await?;
    let mut files = evidence_links(state, code, None).await?;
    // Whose values are these: a reviewer does not approve what they entered or computed.
    let user_id = &principal.user.id;
    let mut own = std::collections::BTreeSet::new();
    for revision in revisions
        .iter()
        .filter(|revision| revision.status == Workflow::Submitted)
    {
        let observation = &revision.observation;
        let history = state.store.history(code, &observation.row, observation.year).await?;
        if crate::workflow::wrote_value(user_id, &history) {
            own.insert((observation.row.clone(), observation.year));
        }
    }
    // Row order of the framework (1, 2, …, 5, 12, 23), then year.
    let order: BTreeMap<&str, usize> = framework
        .rows()
        .enumerate()
        .map(|(n, (_, row))| (row.id.as_str(), n))
        .collect();
    let mut submitted: Vec<&Revision> = revisions
        .iter()
        .filter(|revision| revision.status == Workflow::Submitted)
        .collect();
    submitted.sort_by_key(|revision| {
        (
            order
                .get(revision.observation.row.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            revision.observation.year,
        )
    });
    let items = submitted
        .into_iter()
        .filter_map(|revision| {
            let submission = Submission {
                id: format!("{}@{}", revision.observation.row, revision.observation.year),
                row: revision.observation.row.clone(),
                year: revision.observation.year,
                value: revision.observation.value.clone(),
                department: zone
                    .plan
                    .lead_departments
                    .get(&revision.observation.row)
                    .map(|leads| leads.join("、"))
                    .unwrap_or_default(),
                submitted_by: revision.author_name.clone(),
                submitted_at: revision.created_at.clone(),
                evidence: usize::from(!revision.evidence.trim().is_empty()),
            };
            let mut item = ReviewItem::build(&framework, &zone, &submission)?;
            item.evidence_files = files
                .remove(&(revision.observation.row.clone(), revision.observation.year))
                .unwrap_or_default();
            item.evidence += item.evidence_files.len();
            item.own = own.contains(&(revision.observation.row.clone(), revision.observation.year));
            item.revision = revision.revision_no;
            Some(item)
        })
        .collect();
    Ok((
        record,
        ReviewView {
            zone_code: code.to_string(),
            items,
        },
    ))
}

/// `GET /z/{code}/review`.
pub async fn review_page(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let (record, view) = review_view(&state, &web, &user, &code).await?;
    let ctx = context(&web, Some(&record), None, done_flash(&web, &query, "review"));
    Ok(html(StatusCode::OK, review_page::render_review(&ctx, &view)))
}

/// `POST /z/{code}/review/{row@year}`: `decision` (`approve` | `return`), `comment`.
pub async fn review_post(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path((code, submission)): Path<(String, String)>,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let (row, year) = submission
        .rsplit_once('@')
        .and_then(|(row, year)| Some((row.to_string(), year.parse::<i32>().ok()?)))
        .ok_or(WebError::NotFound(web.lang))?;
    let comment = input
        .get("comment")
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let (step, done) = match input.get("decision").map(String::as_str) {
        Some("approve") => (Step::Approve, "approved"),
        Some("return") => (Step::Return, "returned"),
        _ => return Err(WebError::NotFound(web.lang)),
    };
    let body = StepBody { comment, after: None };
    let result = values::step(&state, &user, &code, &row, year, step, body).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{}?done={done}", urls::review(&code))).into_response()),
        Err(error) if is_own_value(&error) => {
            let (record, view) = review_view(&state, &web, &user, &code).await?;
            let flash = Flash {
                kind: FlashKind::Error,
                text: t(web.lang, "review.own_value").into_owned(),
            };
            let ctx = context(&web, Some(&record), None, Some(flash));
            Ok(html(StatusCode::FORBIDDEN, review_page::render_review(&ctx, &view)))
        }
        Err(error) if matches!(error.code, Code::Forbidden | Code::Unauthenticated | Code::NotFound) => {
            Err(WebError::from_api(&web, error))
        }
        Err(error) => {
            let (record, view) = review_view(&state, &web, &user, &code).await?;
            let flash = Flash {
                kind: FlashKind::Error,
                text: tf(web.lang, "review.step_failed", &[("reason", &error.message)]),
            };
            let ctx = context(&web, Some(&record), None, Some(flash));
            Ok(html(StatusCode::CONFLICT, review_page::render_review(&ctx, &view)))
        }
    }
}

/// The review page again, with why the reviewer's request was refused.
async fn review_refused(
    state: &AppState,
    web: &Web,
    principal: &Principal,
    code: &str,
    text: String,
) -> WebResult<Response> {
    let (record, view) = review_view(state, web, principal, code).await?;
    let flash = Flash {
        kind: FlashKind::Error,
        text,
    };
    let ctx = context(web, Some(&record), None, Some(flash));
    Ok(html(StatusCode::CONFLICT, review_page::render_review(&ctx, &view)))
}

fn is_own_value(error: &crate::error::ApiError) -> bool {
    error.code == Code::OwnValue
}

/// `POST /z/{code}/review`: batch approval of the chosen submissions (`s` = `<row>@<year>:<revision>`,
/// repeated). Every one goes through the service's checks and workflow ([`values::prepare_step`]: the
/// reviewer's right, the status, the revision shown, four eyes); then all are written in one transaction —
/// or, when any is refused, none, and the page names the refused one.
pub async fn review_batch_post(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(code): Path<String>,
    body: Bytes,
) -> WebResult<Response> {
    if !policy::can_review(policy::role(Some(&user), &code).as_ref()) {
        return Err(WebError::Forbidden(web.lang));
    }
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    if fields
        .iter()
        .any(|(name, value)| name == "decision" && value != "approve")
    {
        return Err(WebError::BadRequest(web.lang));
    }
    let mut chosen: Vec<(String, i32, Option<i64>)> = Vec::new();
    for (_, value) in fields.iter().filter(|(name, _)| name == review_page::BATCH_FIELD) {
        let (submission, revision) = match value.rsplit_once(':') {
            Some((submission, revision)) => (submission, revision.parse::<i64>().ok().filter(|r| *r > 0)),
            None => (value.as_str(), None),
        };
        let (row, year) = submission
            .rsplit_once('@')
            .and_then(|(row, year)| Some((row.to_string(), year.parse::<i32>().ok()?)))
            .ok_or(WebError::BadRequest(web.lang))?;
        if !chosen.iter().any(|(r, y, _)| *r == row && *y == year) {
            chosen.push((row, year, revision));
        }
    }
    if chosen.is_empty() {
        return review_refused(
            &state,
            &web,
            &user,
            &code,
            t(web.lang, "review.none_selected").into_owned(),
        )
        .await;
    }
    let mut revisions = Vec::new();
    for (row, year, after) in &chosen {
        let current = state.store.current(&code, row, *year).await?;
        let body = StepBody {
            comment: None,
            after: *after,
        };
        match values::prepare_step(&state, &user, &code, row, *year, Step::Approve, body, current.as_ref()).await {
            Ok(new) => revisions.push(new),
            Err(error) if matches!(error.code, Code::Unauthenticated | Code::Internal) => {
                return Err(WebError::from_api(&web, error));
            }
            Err(error) => {
                let reason = if is_own_value(&error) {
                    t(web.lang, "review.own_value").into_owned()
                } else {
                    error.message
                };
                let text = tf(
                    web.lang,
                    "review.batch_failed",
                    &[("row", &format!("{row}（{year}）")), ("reason", &reason)],
                );
                return review_refused(&state, &web, &user, &code, text).await;
            }
        }
    }
    match state
        .store
        .append_revisions(&code, &user.user.id, None, revisions)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}?done=approved_batch", urls::review(&code))).into_response()),
        Err(ecociv_store::StoreError::Conflict(message)) => {
            let text = tf(web.lang, "review.step_failed", &[("reason", &message)]);
            review_refused(&state, &web, &user, &code, text).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /z/{code}/indicators/{row}/reopen`: `year`, `after` (the approved revision shown), `reason`
/// (required). A reviewer reopens an approved value through the service the API uses
/// ([`values::step`]): the value goes back to draft, and the reason is the revision's comment in the
/// history. Back to the indicator page with the outcome.
pub async fn reopen_post(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path((code, row)): Path<(String, String)>,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let year = input
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| ecociv_core::value::YEARS.contains(y))
        .ok_or(WebError::NotFound(web.lang))?;
    let page = urls::indicator(&code, &row, year);
    let reason = input.get("reason").map(|r| r.trim().to_string()).unwrap_or_default();
    if reason.is_empty() {
        if !policy::can_review(policy::role(Some(&user), &code).as_ref()) {
            return Err(WebError::Forbidden(web.lang));
        }
        return Ok(Redirect::to(&format!("{page}&error=reopen_reason_required")).into_response());
    }
    let after = input.get("after").and_then(|a| a.parse::<i64>().ok());
    let body = StepBody {
        comment: Some(reason),
        after,
    };
    match values::step(&state, &user, &code, &row, year, Step::Reopen, body).await {
        Ok(_) => Ok(Redirect::to(&format!("{page}&done=reopened")).into_response()),
        Err(error) if matches!(error.code, Code::Conflict | Code::ValueLocked | Code::InvalidTransition) => {
            Ok(Redirect::to(&format!("{page}&error=reopen_failed")).into_response())
        }
        Err(error) => Err(WebError::from_api(&web, error)),
    }
}
