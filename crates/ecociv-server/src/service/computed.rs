//! Figures computed from stored data saved as values — the one write path of "compute from monitoring"
//! ([`super::monitoring::compute_and_save`]) and "compute from registers"
//! ([`super::ledger::compute_and_save`], [`super::ledger::save_derived`]): the request read alike
//! ([`ComputeQuery`], [`request`]); each figure compared with the value in force (an equal one at the
//! status asked or further along is left alone), its transition asked of [`crate::workflow`], and every
//! change appended in one batch, all or nothing — one value approved (locked) or awaiting review refuses
//! the whole action, naming each such row. What differs between the sources (the step taken, the reason
//! written in the history, the JSON of a saved value) is said by the figure ([`Figure`]).

use ecociv_core::{Framework, Observation};
use ecociv_store::values::Batch;
use ecociv_store::{Action, NewRevision, Revision, Status, Store};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{Principal, ZoneRole};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::workflow::{self, Step};

/// The query of a compute request (`POST …/monitoring/compute`, `POST …/ledgers/compute`).
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

/// The API's compute request by `principal` in `role` for zone `code`, its status and year checked: an
/// unknown status or a year out of range is a bad request.
pub fn request<'a>(
    principal: &'a Principal,
    role: &'a ZoneRole,
    code: &'a str,
    query: &ComputeQuery,
) -> ApiResult<Request<'a>> {
    let status = compute_status(query.status.as_deref())?;
    crate::validate::check_year(query.year).map_err(|problem| ApiError::bad_request(problem.message))?;
    Ok(Request {
        principal,
        role,
        code,
        year: query.year,
        status,
        dry_run: query.dry_run,
    })
}

/// A page form's compute request (fields `year` and `status`; it saves, never only checks): `None` — the
/// form's bad request — when the year is missing, not a number or out of range, or the status unknown.
pub fn form_request<'a>(
    principal: &'a Principal,
    role: &'a ZoneRole,
    code: &'a str,
    year: Option<&str>,
    status: Option<&str>,
) -> Option<Request<'a>> {
    let year = year
        .and_then(|year| year.parse::<i32>().ok())
        .filter(|year| ecociv_core::value::YEARS.contains(year))?;
    let status = compute_status(status).ok()?;
    Some(Request {
        principal,
        role,
        code,
        year,
        status,
        dry_run: false,
    })
}

/// Parses the `status` of a compute request (the API's query, a page's form).
pub fn compute_status(status: Option<&str>) -> ApiResult<Status> {
    match status.unwrap_or("submitted") {
        "draft" => Ok(Status::Draft),
        "submitted" => Ok(Status::Submitted),
        other => Err(ApiError::bad_request(format!(
            "status 应为 draft 或 submitted，而不是“{other}” (status must be draft or submitted)"
        ))),
    }
}

/// A compute request of a signed-in member: who asks, in what role, for which zone and year, the status the
/// values take, and whether it only checks (`dry_run`).
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub principal: &'a Principal,
    pub role: &'a ZoneRole,
    pub code: &'a str,
    pub year: i32,
    pub status: Status,
    pub dry_run: bool,
}

impl<'a> Request<'a> {
    /// Reviewers and admins compute; anyone else is refused (403).
    pub fn authorise(&self) -> ApiResult<()> {
        if policy::can_review(Some(self.role)) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The save of this request's figures, by its principal, in a batch of format `batch`.
    pub fn save(&self, batch: &'a str) -> Save<'a> {
        Save {
            code: self.code,
            year: self.year,
            status: self.status,
            author_id: &self.principal.user.id,
            batch,
            dry_run: self.dry_run,
        }
    }
}

/// A computed figure to save as a value: its observation, and what its source says of the change.
pub trait Figure {
    /// The observation the value takes.
    fn observation(&self) -> Observation;
    /// The workflow step that saves it over the value in force (`current`) at `status`, and the reason
    /// written in the history.
    fn step(&self, observation: &Observation, current: Option<&Revision>, status: Status) -> (Step, String);
    /// The JSON of the value in the answer: it takes `next`, over `current`.
    fn json(&self, observation: &Observation, next: Status, current: Option<&Revision>) -> Value;
}

/// Where and how the figures are saved.
#[derive(Debug, Clone, Copy)]
pub struct Save<'a> {
    pub code: &'a str,
    pub year: i32,
    /// The status asked for (draft or submitted).
    pub status: Status,
    pub author_id: &'a str,
    /// The batch's format (`monitoring`, `ledger`).
    pub batch: &'a str,
    /// Check every transition, save nothing.
    pub dry_run: bool,
}

/// What a save did: how many values were appended (0 on a dry run), how many were left as they were, and
/// the JSON of each value saved (or that would be).
#[derive(Debug)]
pub struct Saved {
    pub saved: usize,
    pub unchanged: usize,
    pub values: Vec<Value>,
}

/// Saves `figures` as values of `save.year` (see the module's text); `framework` gives each row's unit.
pub async fn save<F: Figure>(
    store: &Store,
    framework: &Framework,
    save: Save<'_>,
    figures: Vec<F>,
) -> ApiResult<Saved> {
    let Save {
        code,
        year,
        status,
        author_id,
        batch,
        dry_run,
    } = save;
    let mut changes = Vec::new();
    let mut values = Vec::new();
    let mut problems = Vec::new();
    let mut unchanged = 0usize;
    for figure in figures {
        let observation = figure.observation();
        let current = store.current(code, &observation.row, year).await?;
        // The same figure already in force, at the status asked or further along (awaiting review,
        // approved), is left as it is.
        if let Some(current) = &current
            && current.observation == observation
            && (current.status == status || matches!(current.status, Status::Submitted | Status::Approved))
        {
            unchanged += 1;
            continue;
        }
        let (step, reason) = figure.step(&observation, current.as_ref(), status);
        match workflow::next(current.as_ref().map(|r| r.status), step, true) {
            Ok(next) => {
                let unit = framework
                    .row(&observation.row)
                    .map(|(_, row)| row.unit.clone())
                    .unwrap_or_default();
                values.push(figure.json(&observation, next, current.as_ref()));
                changes.push(NewRevision {
                    after: current.as_ref().map_or(0, |r| r.revision_no),
                    action: Action::Import,
                    status: next,
                    unit,
                    evidence: String::new(),
                    reason,
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
        store
            .append_revisions(code, author_id, Some(Batch { format: batch.into() }), changes)
            .await?
            .len()
    };
    Ok(Saved {
        saved,
        unchanged,
        values,
    })
}
