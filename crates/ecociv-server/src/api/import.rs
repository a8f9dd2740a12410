//! Bulk import of values (批量导入), CSV or JSON: validated in full first, then written in one transaction
//! — every value or none. `dry_run=true` reports what would change and writes nothing.
//!
//! CSV: the values-file format of `ecociv-data` (`indicator,year,value,assigned[,recorded,source]`).
//! JSON: `{"values": [{"indicator", "year", "value", "assigned"?, "recorded"?, "source"?, "evidence"?}]}`.

use std::collections::BTreeSet;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use ecociv_core::{Framework, Observation};
use ecociv_store::values::Batch;
use ecociv_store::{Action, NewRevision, Status};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::service::member_zone;
use crate::validate::{self, Entry};
use crate::workflow::{self, Step};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    #[serde(default)]
    pub dry_run: bool,
    /// The status the imported values take: draft (default), submitted, or approved (reviewers).
    #[serde(default)]
    pub status: Option<String>,
    /// `csv` or `json`; by default from the Content-Type.
    #[serde(default)]
    pub format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonImport {
    values: Vec<JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonValue {
    indicator: String,
    year: i32,
    value: String,
    #[serde(default)]
    assigned: Option<String>,
    #[serde(default)]
    recorded: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
}

fn refused(problems: Vec<Value>) -> ApiError {
    ApiError::new(
        Code::InvalidValue,
        format!(
            "导入数据有 {} 处错误，未导入任何数值 (nothing was imported)",
            problems.len()
        ),
    )
    .with_details(json!(problems))
}

/// Parses and validates the whole body: the observations with their evidence, or every problem.
fn parse(
    framework: &Framework,
    format: &str,
    body: &[u8],
    default_source: &str,
) -> ApiResult<Vec<(Observation, String)>> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("导入文件须为 UTF-8 编码 (the file must be UTF-8)"))?;
    match format {
        "csv" => ecociv_data::values::parse_values("import.csv", text, framework)
            .map(|observations| observations.into_iter().map(|obs| (obs, String::new())).collect())
            .map_err(|error| {
                refused(
                    error
                        .problems
                        .iter()
                        .map(|p| json!({"line": p.line, "field": p.field, "message": p.message}))
                        .collect(),
                )
            }),
        "json" => {
            let parsed: JsonImport = serde_json::from_str(text).map_err(|error| {
                refused(vec![
                    json!({"line": error.line(), "column": error.column(), "message": error.to_string()}),
                ])
            })?;
            let mut problems = Vec::new();
            let mut observations = Vec::new();
            let mut seen = BTreeSet::new();
            for (index, item) in parsed.values.into_iter().enumerate() {
                let row = match validate::row(framework, &item.indicator) {
                    Ok(row) => row,
                    Err(problem) => {
                        problems.push(json!({"item": index, "field": problem.field, "message": problem.message}));
                        continue;
                    }
                };
                if !seen.insert((row.id.clone(), item.year)) {
                    problems.push(json!({"item": index, "field": "indicator", "message": format!("指标 {} 的 {} 年数值重复 (duplicate)", row.id, item.year)}));
                    continue;
                }
                let entry = Entry {
                    value: item.value,
                    assigned: item.assigned,
                    recorded: item.recorded,
                    source: item.source,
                    ..Entry::default()
                };
                match validate::observation(row, item.year, &entry, default_source) {
                    Ok(observation) => observations.push((observation, item.evidence.unwrap_or_default())),
                    Err(found) => problems.extend(
                        found
                            .iter()
                            .map(|p| json!({"item": index, "field": p.field, "message": p.message})),
                    ),
                }
            }
            if problems.is_empty() {
                Ok(observations)
            } else {
                Err(refused(problems))
            }
        }
        other => Err(ApiError::bad_request(format!(
            "不支持的格式“{other}”：应为 csv 或 json (unsupported format)"
        ))),
    }
}

/// `POST /api/v1/zones/{code}/import`.
pub async fn import(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let (record, role) = member_zone(&state, &principal, &code).await?;
    let framework = state.store.framework(&record.framework_id).await?;
    let status = match query.status.as_deref().unwrap_or("draft") {
        "draft" => Status::Draft,
        "submitted" => Status::Submitted,
        "approved" => Status::Approved,
        other => {
            return Err(ApiError::bad_request(format!(
                "status 应为 draft、submitted 或 approved，而不是“{other}”"
            )));
        }
    };
    if status == Status::Approved && !policy::can_review(Some(&role)) {
        return Err(ApiError::new(
            Code::Forbidden,
            "只有审核员可以导入为已审核 (only reviewers import as approved)",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = match query.format.as_deref() {
        Some(format) => format.to_string(),
        None if content_type.contains("json") => "json".to_string(),
        None => "csv".to_string(),
    };
    let default_source = format!(
        "{}（{}）批量导入",
        principal.0.user.display_name, principal.0.user.username
    );
    // Reading the file grows with its size: off the request threads ([`crate::work`]).
    let entries = {
        let (framework, format) = (framework.clone(), format.clone());
        crate::work::cpu(move || parse(&framework, &format, &body, &default_source)).await??
    };
    let leads = state.store.leads(&code).await?;
    let no_leads = Vec::new();
    let forbidden: BTreeSet<String> = entries
        .iter()
        .map(|(obs, _)| obs.row.clone())
        .filter(|row| !policy::can_edit_row(Some(&role), leads.get(row).unwrap_or(&no_leads)))
        .collect();
    if !forbidden.is_empty() {
        return Err(ApiError::forbidden().with_details(json!({ "rows": forbidden })));
    }
    let reviewer = policy::can_review(Some(&role));
    let current = state.store.current_revisions(&code, None).await?;
    let current: std::collections::HashMap<(String, i32), &ecociv_store::Revision> = current
        .iter()
        .map(|r| ((r.observation.row.clone(), r.observation.year), r))
        .collect();
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    let mut report = Vec::new();
    let mut warnings = Vec::new();
    let mut unchanged = 0usize;
    for (observation, evidence) in entries {
        let key = (observation.row.clone(), observation.year);
        let before = current.get(&key);
        if let Some(before) = before
            && before.observation == observation
            && before.status == status
        {
            unchanged += 1;
            continue;
        }
        match workflow::next(before.map(|r| r.status), Step::Import(status), reviewer) {
            Ok(next) => {
                let Some((_, row)) = framework.row(&observation.row) else {
                    continue;
                };
                let previous = current
                    .get(&(observation.row.clone(), observation.year - 1))
                    .map(|r| &r.observation.value);
                warnings.extend(validate::jump_warning(row, previous, &observation.value));
                report.push(json!({
                    "row": observation.row,
                    "year": observation.year,
                    "before": before.map(|r| ecociv_report::json::value(Some(&r.observation.value))),
                    "before_status": before.map(|r| r.status.code()),
                    "after": ecociv_report::json::value(Some(&observation.value)),
                    "status": next.code(),
                }));
                changes.push(NewRevision {
                    after: before.map_or(0, |r| r.revision_no),
                    action: Action::Import,
                    status: next,
                    unit: row.unit.clone(),
                    evidence,
                    reason: String::new(),
                    observation,
                });
            }
            Err(error) => problems
                .push(json!({"row": key.0, "year": key.1, "code": error.code.as_str(), "message": error.message})),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::new(
            Code::ValueLocked,
            format!(
                "{} 个数值处于锁定或待审状态，未导入任何数值 (nothing was imported)",
                problems.len()
            ),
        )
        .with_details(json!(problems)));
    }
    let batch = if query.dry_run || changes.is_empty() {
        None
    } else {
        let count = changes.len();
        let stored = state
            .store
            .append_revisions(
                &code,
                &principal.0.user.id,
                Some(Batch { format: format.clone() }),
                changes,
            )
            .await?;
        debug_assert_eq!(stored.len(), count);
        stored.first().and_then(|r| r.batch_id.clone())
    };
    Ok(Json(json!({
        "dry_run": query.dry_run,
        "batch": batch,
        "changed": report.len(),
        "unchanged": unchanged,
        "changes": report,
        "warnings": warnings,
    })))
}
