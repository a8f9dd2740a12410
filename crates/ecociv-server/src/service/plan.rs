//! Running the plan's writes (issue 12): progress reports through their workflow with their files
//! ([`report_step`]), the supervision board's manual items, responses and 销号 ([`board_action`]), and the
//! project ledger's import ([`import_ledger`]) — called alike by the JSON API ([`crate::api::plan`]) and the
//! pages ([`crate::web::plan`]). The plan's workflow is `ecociv_plan`'s (`ReportBook`, `Board`), checked
//! again by the store inside the write's transaction.

use ecociv_plan::WanYuan;
use ecociv_plan::model::FundingSource;
use ecociv_plan::report::{ReportRevision, ReviewState, Subject, WorkStatus};
use ecociv_store::plan::{NewPlanEvidence, PlanEvidence};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::{AuthUser, ZoneRole};
use crate::error::{ApiError, ApiResult, Code};
use crate::plan::{PlanData, author, parse_period, parse_subject, works_or_404};
use crate::policy;
use crate::service::member_zone;

/// Loads the plan for a member of the zone.
pub async fn member_plan(state: &AppState, principal: &AuthUser, code: &str) -> ApiResult<(PlanData, ZoneRole)> {
    let (_, role) = member_zone(state, principal, code).await?;
    Ok((PlanData::load(state, code).await?, role))
}

/// A funding source and amount of a report's spend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendBody {
    pub source: String,
    /// 万元 as text with at most two decimals (`"12.34"`).
    pub wan_yuan: String,
}

/// The body of a submission.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// `not_started`, `in_progress`, `done`, `stalled` (or 未启动, 推进中, 已完成, 滞后).
    pub status: String,
    pub percent: u8,
    #[serde(default)]
    pub spend: Vec<SpendBody>,
    pub narrative: String,
    /// Ids of files uploaded to this report (`…/evidence?name=`).
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A step of a report's workflow.
#[derive(Debug, Clone)]
pub enum ReportStep {
    Submit(ReportBody),
    Approve,
    Return(String),
}

/// Checks and stores one step of a report's workflow, with the files a submission brings (all or
/// nothing): the caller's right (a submission by the subject's units' editors, reviewers or admins; a
/// review by reviewers or admins), the content, then the workflow (no second submission, no review of
/// one's own report, a return with its reason) in the store's transaction.
pub async fn report_step(
    state: &AppState,
    principal: &AuthUser,
    code: &str,
    subject: &str,
    period: &str,
    step: ReportStep,
    files: Vec<(String, String, Vec<u8>)>,
) -> ApiResult<(ReportRevision, Vec<PlanEvidence>)> {
    let (data, role) = member_plan(state, principal, code).await?;
    let subject = parse_subject(subject)?;
    let owners = data.owners(&subject)?;
    let period = parse_period(period, &data.rules)?;
    let department_name = data.department_name(&role);
    let allowed = match step {
        ReportStep::Submit(_) => policy::can_act_for_unit(Some(&role), department_name.as_deref(), &owners),
        _ => policy::can_review(Some(&role)),
    };
    if !allowed {
        return Err(ApiError::forbidden());
    }
    let current = data.reports.current(&subject, period).cloned();
    let by = author(&principal.0);
    let revision = match step {
        ReportStep::Submit(body) => {
            let status = WorkStatus::parse(&body.status).map_err(ApiError::bad_request)?;
            if body.percent > 100 {
                return Err(ApiError::bad_request("完成比例应为 0–100 (percent 0–100)"));
            }
            let mut spend = Vec::new();
            for s in &body.spend {
                let amount = WanYuan::parse(&s.wan_yuan).map_err(|e| {
                    ApiError::new(Code::InvalidValue, format!("资金 {e}")).with_details(json!({"field": "spend"}))
                })?;
                if s.source.trim().is_empty() {
                    return Err(ApiError::bad_request("资金来源不能为空 (funding source required)"));
                }
                spend.push((FundingSource(s.source.trim().to_string()), amount));
            }
            if body.narrative.trim().is_empty() {
                return Err(ApiError::bad_request("进展情况不能为空 (narrative required)"));
            }
            if matches!(subject, Subject::Measure(_)) && !spend.is_empty() {
                return Err(ApiError::bad_request(
                    "措施的报告不填资金，资金按项目报送 (spend is reported on projects)",
                ));
            }
            for id in &body.evidence {
                if !data.files_of(&subject, period).any(|e| &e.id == id) {
                    return Err(ApiError::bad_request(format!(
                        "佐证材料 {id} 不属于该报告 (unknown evidence id)"
                    )));
                }
            }
            let department = match &department_name {
                Some(name) => name.clone(),
                None => owners.first().cloned().unwrap_or_else(|| data.office.clone()),
            };
            ReportRevision {
                subject: subject.clone(),
                period,
                department,
                status,
                percent: body.percent,
                spend,
                narrative: body.narrative.trim().to_string(),
                evidence: body.evidence,
                state: ReviewState::Submitted,
                on: data.today,
                by,
                reason: None,
            }
        }
        ReportStep::Approve | ReportStep::Return(_) => {
            let Some(mut revision) = current.clone() else {
                return Err(ApiError::new(
                    Code::InvalidTransition,
                    "该期尚未报送 (nothing submitted)",
                ));
            };
            if revision.state != ReviewState::Submitted {
                return Err(ApiError::new(
                    Code::InvalidTransition,
                    "只能审核已报送待审的报告 (only a submitted report can be reviewed)",
                ));
            }
            if revision.by == by {
                return Err(ApiError::new(Code::OwnValue, "不能审核自己报送的报告 (no self-review)"));
            }
            revision.on = data.today;
            revision.by = by;
            match step {
                ReportStep::Return(reason) => {
                    if reason.trim().is_empty() {
                        return Err(ApiError::bad_request("退回须写明原因 (a return needs a reason)"));
                    }
                    revision.state = ReviewState::Returned;
                    revision.reason = Some(reason.trim().to_string());
                }
                _ => {
                    revision.state = ReviewState::Approved;
                    revision.reason = None;
                }
            }
            revision
        }
    };
    if !files.is_empty() && revision.state != ReviewState::Submitted {
        return Err(ApiError::bad_request(
            "只有报送时可以附佐证材料 (files come with a submission)",
        ));
    }
    let mut new_files = Vec::new();
    for (name, media_type, content) in files {
        let name =
            crate::validate::file_name(&name).ok_or_else(|| ApiError::bad_request("文件名无效 (invalid file name)"))?;
        if content.is_empty() {
            return Err(ApiError::bad_request(format!("文件 {name} 为空 (empty file)")));
        }
        new_files.push(NewPlanEvidence {
            file_name: name.to_string(),
            media_type: media_type.chars().take(100).collect(),
            sha256: Sha256::digest(&content).iter().map(|b| format!("{b:02x}")).collect(),
            content,
            uploaded_by: principal.0.user.id.clone(),
        });
    }
    let (_, stored) = state
        .store
        .append_report_revision_with_files(code, &revision, new_files)
        .await
        .map_err(|e| match e {
            ecociv_store::StoreError::Invalid(message) => ApiError::new(Code::InvalidTransition, message),
            other => other.into(),
        })?;
    let mut revision = revision;
    revision.evidence.extend(stored.iter().map(|e| e.id.clone()));
    Ok((revision, stored))
}

/// The office's or an owner's act on the board.
#[derive(Debug, Clone)]
pub enum BoardAction {
    /// A manual item (e.g. a joint meeting's decision).
    Add {
        subject: String,
        owner: String,
        reason: String,
        due: String,
    },
    Respond {
        item: String,
        text: String,
    },
    Close {
        item: String,
        basis: String,
    },
}

/// Checks and stores an act on the board: adding an item and 销号 by reviewers/admins, a response by the
/// item's owner unit's editors, reviewers and admins.
pub async fn board_action(state: &AppState, principal: &AuthUser, code: &str, action: BoardAction) -> ApiResult<Value> {
    let (data, role) = member_plan(state, principal, code).await?;
    let by = author(&principal.0);
    let before = data.board.clone();
    let mut board = data.board.clone();
    let id = match &action {
        BoardAction::Add {
            subject,
            owner,
            reason,
            due,
        } => {
            if !policy::can_review(Some(&role)) {
                return Err(ApiError::forbidden());
            }
            let due = ecociv_plan::Date::parse(due).map_err(ApiError::bad_request)?;
            if subject.trim().is_empty() || owner.trim().is_empty() || reason.trim().is_empty() {
                return Err(ApiError::bad_request(
                    "事项、责任单位和事由都要填写 (subject, owner and reason required)",
                ));
            }
            if due < data.today {
                return Err(ApiError::bad_request("办结期限不能早于今天 (due date in the past)"));
            }
            board.add_manual(subject.trim(), owner.trim(), reason.trim(), data.today, due, &by)
        }
        BoardAction::Respond { item, text } => {
            let found = board
                .get(item)
                .ok_or_else(|| ApiError::not_found(format!("督办事项 (follow-up) {item}")))?;
            let units = vec![found.owner.clone()];
            if !policy::can_act_for_unit(Some(&role), data.department_name(&role).as_deref(), &units) {
                return Err(ApiError::forbidden());
            }
            board
                .respond(item, data.today, &by, text)
                .map_err(ApiError::bad_request)?;
            item.clone()
        }
        BoardAction::Close { item, basis } => {
            if !policy::can_review(Some(&role)) {
                return Err(ApiError::forbidden());
            }
            if board.get(item).is_none() {
                return Err(ApiError::not_found(format!("督办事项 (follow-up) {item}")));
            }
            board
                .close(item, data.today, &by, basis)
                .map_err(|e| ApiError::new(Code::InvalidTransition, e))?;
            item.clone()
        }
    };
    state.store.append_board(code, &before, &board).await?;
    let item = board
        .get(&id)
        .map(|i| crate::api::plan::follow_up_json(&data, i))
        .unwrap_or(Value::Null);
    Ok(json!({ "item": item }))
}

/// Reads a filled ledger workbook and stores it as the ledger's next revision, all or nothing; a refusal
/// lists every problem with its sheet and cell.
pub async fn import_ledger(
    state: &AppState,
    principal: &AuthUser,
    code: &str,
    name: &str,
    bytes: Vec<u8>,
) -> ApiResult<usize> {
    let (_, role) = member_zone(state, principal, code).await?;
    if !policy::can_review(Some(&role)) {
        return Err(ApiError::forbidden());
    }
    let works = works_or_404(code)?;
    let (code2, name2, works2) = (code.to_string(), name.to_string(), works.clone());
    let entries = crate::work::cpu(move || ecociv_report::plan::import_ledger(&bytes, &name2, &code2, &works2.1))
        .await?
        .map_err(|problems| {
            ApiError::new(
                Code::InvalidValue,
                "项目台账未导入：有错误，全部未导入 (the ledger was refused)",
            )
            .with_details(json!(
                problems
                    .problems
                    .iter()
                    .map(|p| {
                        // `reason`: this route's name for the message since issue 9.
                        let mut detail = crate::error::located_json(p);
                        detail["reason"] = json!(p.message);
                        detail
                    })
                    .collect::<Vec<_>>()
            ))
        })?;
    let text = ecociv_plan::format::ledger_to_toml(&entries);
    ecociv_plan::format::parse_ledger("project_ledger.toml", &text, &works.1).map_err(ApiError::internal)?;
    state.store.append_ledger(code, &text, &principal.0.user.id).await?;
    Ok(entries.len())
}
