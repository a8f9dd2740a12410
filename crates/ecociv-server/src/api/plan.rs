//! Running the plan (规划实施调度) in the JSON API: the measures (任务分解), the key projects with their
//! ledger (项目台账), progress reports with their workflow and files (进展报送: submit → return →
//! resubmit → approve), the supervision board (督查督办) and the department scorecards (部门考核).
//!
//! Every write goes through the service layer ([`crate::service::plan`]: `report_step`, `board_action`,
//! `import_ledger`), which the pages call too: one set of checks, one workflow (`ecociv_plan::report::ReportBook`,
//! `ecociv_plan::supervision::Board`, checked again by the store inside the write's transaction).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use ecociv_plan::WanYuan;
use ecociv_plan::report::{ReportRevision, Subject};
use ecociv_plan::supervision::{FollowUp, FollowUpState};
use ecociv_store::plan::{NewPlanEvidence, PlanEvidence};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::{ApiError, ApiResult};
use crate::plan::{PlanData, parse_period, parse_subject, period_key, subject_key, works_or_404};
use crate::policy;
use crate::service::member_zone;
use crate::service::plan::{
    BoardAction, ReportBody, ReportStep, board_action, import_ledger, member_plan, report_step,
};

/// The largest file of a progress report.
pub const MAX_PLAN_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;
/// The largest ledger workbook.
pub const MAX_LEDGER_BYTES: usize = 10 * 1024 * 1024;

async fn visible(state: &AppState, principal: &MaybeAuthUser, code: &str) -> ApiResult<()> {
    let role = policy::role(principal.0.as_deref(), code);
    match state.store.zone_state(code).await? {
        Some((_, disclosed)) if policy::can_see_zone(role.as_ref(), disclosed) => Ok(()),
        _ => Err(ApiError::not_found(format!("区域 (zone) {code}"))),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureQuery {
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub row: Option<String>,
}

/// `GET /api/v1/zones/{code}/plan/measures[?department=&row=]`: chapter 3's measures (任务分解), each with
/// its seed location, rows, lead and co-operating units and deadline, and its latest approved report.
pub async fn measures(
    State(state): State<AppState>,
    principal: MaybeAuthUser,
    Path(code): Path<String>,
    Query(query): Query<MeasureQuery>,
) -> ApiResult<Json<Value>> {
    visible(&state, &principal, &code).await?;
    let works = works_or_404(&code)?;
    let reports = state.store.report_book(&code).await?;
    let list: Vec<Value> = works
        .0
        .measures
        .iter()
        .filter(|m| query.department.as_deref().is_none_or(|d| m.involves(d)))
        .filter(|m| query.row.as_deref().is_none_or(|r| m.rows.iter().any(|x| x == r)))
        .map(|m| {
            let mut v = serde_json::to_value(m).unwrap_or(Value::Null);
            v["deadline_label"] = json!(m.deadline_label());
            v["latest_approved"] = reports
                .latest_approved(&Subject::Measure(m.id.clone()))
                .map_or(Value::Null, |r| revision_json(r, None));
            v
        })
        .collect();
    Ok(Json(
        json!({ "zone": code, "source": works.0.source, "measures": list }),
    ))
}

/// `GET /api/v1/zones/{code}/plan/projects`: Table 4-1 as a ledger — categories with the seed's counts and
/// totals, each project with its ledger entry (what users entered), approved spend by year, and the
/// seed's data-quality notes.
pub async fn projects(
    State(state): State<AppState>,
    principal: MaybeAuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    visible(&state, &principal, &code).await?;
    let works = works_or_404(&code)?;
    let (revision, ledger) = crate::plan::ledger(&state, &code, &works.1).await?;
    let reports = state.store.report_book(&code).await?;
    Ok(Json(projects_json(&works.1, &ledger, &reports, revision)))
}

/// The project ledger's JSON.
pub fn projects_json(
    projects: &ecociv_plan::model::KeyProjects,
    ledger: &[ecociv_plan::model::LedgerEntry],
    reports: &ecociv_plan::report::ReportBook,
    revision: Option<i64>,
) -> Value {
    let categories: Vec<Value> = projects
        .categories
        .iter()
        .map(|c| {
            let list: Vec<Value> = c
                .projects
                .iter()
                .map(|p| {
                    let entry = ledger.iter().find(|e| e.project == p.id);
                    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
                    v["ledger"] = entry.map_or(Value::Null, |e| serde_json::to_value(e).unwrap_or(Value::Null));
                    v["approved_spend_wan_yuan"] = json!(reports.approved_spend_through(&p.id, 9999).to_string());
                    if let Some(e) = entry {
                        let years: Vec<Value> = (e.start_year..=e.end_year)
                            .map(|y| {
                                json!({
                                    "year": y,
                                    "planned_through": e.planned_through(y).to_string(),
                                    "approved_spend_through": reports.approved_spend_through(&p.id, y).to_string(),
                                })
                            })
                            .collect();
                        v["by_year"] = json!(years);
                    }
                    v
                })
                .collect();
            json!({
                "number": c.number, "name": c.name, "content": c.content, "seed_line": c.seed_line,
                "count": c.count, "investment_wan_yuan": c.investment.to_string(),
                "entered_estimate_wan_yuan": WanYuan::sum(
                    ledger.iter().filter(|e| c.projects.iter().any(|p| p.id == e.project)).map(|e| &e.estimated)
                ).to_string(),
                "projects": list,
            })
        })
        .collect();
    json!({
        "zone": projects.zone,
        "source": projects.source,
        "total_count": projects.total_count,
        "total_investment_wan_yuan": projects.total_investment.to_string(),
        "ledger_revision": revision,
        "categories": categories,
        "quality": projects.quality,
    })
}

/// A report revision as the API shows it; `data` resolves evidence ids to files.
pub fn revision_json(r: &ReportRevision, data: Option<&PlanData>) -> Value {
    json!({
        "subject": subject_key(&r.subject),
        "period": period_key(r.period),
        "period_label": r.period.to_string(),
        "department": r.department,
        "state": r.state,
        "status": r.status.as_str(),
        "status_zh": r.status.label(),
        "percent": r.percent,
        "spend": r.spend.iter().map(|(s, a)| json!({"source": s.0, "wan_yuan": a.to_string()})).collect::<Vec<_>>(),
        "narrative": r.narrative,
        "evidence": r.evidence.iter().map(|id| match data.and_then(|d| d.evidence.iter().find(|e| &e.id == id)) {
            Some(e) => evidence_json(&d_code(data), e),
            None => json!({ "file_name": id }),
        }).collect::<Vec<_>>(),
        "on": r.on,
        "by": r.by,
        "reason": r.reason,
    })
}

fn d_code(data: Option<&PlanData>) -> String {
    data.map(|d| d.record.profile.code.clone()).unwrap_or_default()
}

fn evidence_json(code: &str, e: &PlanEvidence) -> Value {
    json!({
        "id": e.id,
        "file_name": e.file_name,
        "media_type": e.media_type,
        "size_bytes": e.size_bytes,
        "sha256": e.sha256,
        "at": e.created_at,
        "download": format!("/api/v1/zones/{code}/plan/evidence/{}", e.id),
    })
}

/// `GET /api/v1/zones/{code}/plan/reports`: every report's history (members).
pub async fn reports(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let (data, _) = member_plan(&state, &principal, &code).await?;
    let list: Vec<Value> = data
        .reports
        .revisions()
        .iter()
        .map(|r| revision_json(r, Some(&data)))
        .collect();
    Ok(Json(json!({ "zone": code, "today": data.today, "revisions": list })))
}

/// The body of a review step.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// Required to return.
    #[serde(default)]
    pub comment: Option<String>,
}

type ReportPath = Path<(String, String, String)>;

fn step_json(code: &str, revision: &ReportRevision, files: &[PlanEvidence]) -> Json<Value> {
    let mut v = revision_json(revision, None);
    v["evidence"] = json!(files.iter().map(|e| evidence_json(code, e)).collect::<Vec<_>>());
    v["evidence_ids"] = json!(revision.evidence);
    Json(json!({ "revision": v }))
}

/// `POST …/plan/reports/{subject}/{period}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, subject, period)): ReportPath,
    Json(body): Json<ReportBody>,
) -> ApiResult<Json<Value>> {
    let (r, files) = report_step(
        &state,
        &principal,
        &code,
        &subject,
        &period,
        ReportStep::Submit(body),
        Vec::new(),
    )
    .await?;
    Ok(step_json(&code, &r, &files))
}

fn review_body(body: &Bytes) -> ApiResult<ReviewBody> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ReviewBody::default());
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::bad_request(format!("请求体不是有效的 JSON (invalid JSON body): {error}")))
}

/// `POST …/plan/reports/{subject}/{period}/approve`.
pub async fn approve(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, subject, period)): ReportPath,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    review_body(&body)?;
    let (r, files) = report_step(
        &state,
        &principal,
        &code,
        &subject,
        &period,
        ReportStep::Approve,
        Vec::new(),
    )
    .await?;
    Ok(step_json(&code, &r, &files))
}

/// `POST …/plan/reports/{subject}/{period}/return` (a comment is required).
pub async fn return_(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, subject, period)): ReportPath,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let comment = review_body(&body)?.comment.unwrap_or_default();
    let (r, files) = report_step(
        &state,
        &principal,
        &code,
        &subject,
        &period,
        ReportStep::Return(comment),
        Vec::new(),
    )
    .await?;
    Ok(step_json(&code, &r, &files))
}

/// The upload's query: the value evidence's, one type for both uploads.
pub use super::evidence::UploadQuery;

/// `POST …/plan/reports/{subject}/{period}/evidence?name=FILE`: the body is the file. Stored with the
/// report; the submission lists its id in `evidence`.
pub async fn upload(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, subject, period)): ReportPath,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let (data, role) = member_plan(&state, &principal, &code).await?;
    let subject = parse_subject(&subject)?;
    let owners = data.owners(&subject)?;
    let period = parse_period(&period, &data.rules)?;
    if !policy::can_act_for_unit(Some(&role), data.department_name(&role).as_deref(), &owners) {
        return Err(ApiError::forbidden());
    }
    let name = crate::validate::file_name(&query.name)
        .ok_or_else(|| ApiError::bad_request("文件名无效 (invalid file name)"))?;
    if body.is_empty() {
        return Err(ApiError::bad_request("文件为空 (empty file)"));
    }
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let stored = state
        .store
        .add_plan_evidence(
            &code,
            &subject,
            period,
            NewPlanEvidence {
                file_name: name.to_string(),
                media_type: media_type.chars().take(100).collect(),
                sha256: Sha256::digest(&body).iter().map(|b| format!("{b:02x}")).collect(),
                content: body.to_vec(),
                uploaded_by: principal.0.user.id.clone(),
            },
        )
        .await?;
    Ok(Json(evidence_json(&code, &stored)))
}

/// `GET /api/v1/zones/{code}/plan/evidence/{id}`: a report's file, always as a download (members).
pub async fn download(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    member_zone(&state, &principal, &code).await?;
    let (evidence, content) = state.store.plan_evidence(&code, &id).await?;
    super::evidence::attachment(&evidence.file_name, content)
}

/// A follow-up item as the API shows it, with the rule that flagged it.
pub fn follow_up_json(data: &PlanData, item: &FollowUp) -> Value {
    let rule = item
        .rule
        .as_ref()
        .and_then(|id| data.rules.rules.iter().find(|r| &r.id == id));
    json!({
        "id": item.id,
        "rule": rule.map(|r| json!({"id": r.id, "kind": r.kind, "name": r.name, "response_days": r.response_days, "grace_days": r.grace_days, "threshold_percent": r.threshold_percent})),
        "subject": item.subject,
        "owner": item.owner,
        "opened": item.opened,
        "due": item.due,
        "state": item.state(),
        "overdue": item.overdue(data.today),
        "events": item.events,
    })
}

/// `GET /api/v1/zones/{code}/plan/supervision`: the board reconciled for today (members).
pub async fn supervision(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let (data, _) = member_plan(&state, &principal, &code).await?;
    let items: Vec<Value> = data.board.items.iter().map(|i| follow_up_json(&data, i)).collect();
    let open = data
        .board
        .items
        .iter()
        .filter(|i| i.state() != FollowUpState::Closed)
        .count();
    let overdue = data.board.items.iter().filter(|i| i.overdue(data.today)).count();
    Ok(Json(json!({
        "zone": code,
        "today": data.today,
        "rules": data.rules,
        "open": open,
        "overdue": overdue,
        "items": items,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewItemBody {
    pub subject: String,
    pub owner: String,
    pub reason: String,
    /// YYYY-MM-DD.
    pub due: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasisBody {
    pub basis: String,
}

/// `POST /api/v1/zones/{code}/plan/supervision`: a manual item.
pub async fn add_item(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Json(body): Json<NewItemBody>,
) -> ApiResult<Json<Value>> {
    let action = BoardAction::Add {
        subject: body.subject,
        owner: body.owner,
        reason: body.reason,
        due: body.due,
    };
    Ok(Json(board_action(&state, &principal, &code, action).await?))
}

/// `POST …/plan/supervision/{item}/respond`.
pub async fn respond(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, item)): Path<(String, String)>,
    Json(body): Json<TextBody>,
) -> ApiResult<Json<Value>> {
    let action = BoardAction::Respond { item, text: body.text };
    Ok(Json(board_action(&state, &principal, &code, action).await?))
}

/// `POST …/plan/supervision/{item}/close` (销号).
pub async fn close(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, item)): Path<(String, String)>,
    Json(body): Json<BasisBody>,
) -> ApiResult<Json<Value>> {
    let action = BoardAction::Close {
        item,
        basis: body.basis,
    };
    Ok(Json(board_action(&state, &principal, &code, action).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreQuery {
    #[serde(default)]
    pub year: Option<i32>,
}

/// `GET /api/v1/zones/{code}/plan/scores[?year=]`: every unit's scorecard with its explanation (members).
pub async fn scores(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<ScoreQuery>,
) -> ApiResult<Json<Value>> {
    let (data, _) = member_plan(&state, &principal, &code).await?;
    let year = query.year.unwrap_or(data.today.year);
    crate::validate::check_year(year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let cards: Vec<Value> = data
        .units()
        .iter()
        .map(|u| serde_json::to_value(data.scorecard(u, year)).unwrap_or(Value::Null))
        .collect();
    Ok(Json(
        json!({ "zone": code, "year": year, "today": data.today, "scorecards": cards }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerQuery {
    #[serde(default)]
    pub file: Option<String>,
}

/// `POST /api/v1/zones/{code}/plan/ledger?file=NAME`: the body is the filled ledger workbook (xlsx).
pub async fn ledger(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<LedgerQuery>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let name = query.file.unwrap_or_else(|| "ledger.xlsx".into());
    let n = import_ledger(&state, &principal, &code, &name, body.to_vec()).await?;
    Ok(Json(json!({ "zone": code, "projects": n })))
}
