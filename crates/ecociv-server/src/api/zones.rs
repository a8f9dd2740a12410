//! Zones, their plan, departments, frameworks and the assessment.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ecociv_core::zone::TargetKind;
use ecociv_store::{Selection, ZoneRecord};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{AuthUser, MaybeAuthUser, ZoneRole};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::service::member_zone;

/// Looks a zone up and checks the caller may see it. An unknown zone and a zone the caller may not see
/// answer alike (404), so the existence of undisclosed zones does not leak.
async fn visible_zone(
    state: &AppState,
    principal: &MaybeAuthUser,
    code: &str,
) -> ApiResult<(ZoneRecord, Option<ZoneRole>)> {
    let role = policy::role(principal.0.as_deref(), code);
    match state.store.zone(code).await? {
        Some(record) if policy::can_see_zone(role.as_ref(), record.disclosed) => Ok((record, role)),
        _ => Err(ApiError::not_found(format!("区域 (zone) {code}"))),
    }
}

pub fn profile_json(record: &ZoneRecord) -> Value {
    json!({
        "code": record.profile.code,
        "name": record.profile.name,
        "name_en": record.profile.name_en,
        "parents": record.profile.parents.iter().map(|p| json!({"code": p.code, "name": p.name, "level": p.level})).collect::<Vec<_>>(),
        "attributes": record.profile.attributes,
        "framework": record.framework_id,
        "plan_title": record.plan_title,
        "base_year": record.base_year,
        "disclosed": record.disclosed,
    })
}

/// `GET /api/v1/zones`: disclosed zones, plus the caller's own (all for admins).
pub async fn list(State(state): State<AppState>, principal: MaybeAuthUser) -> ApiResult<Json<Value>> {
    let zones = state.store.zone_summaries().await?;
    let visible: Vec<Value> = zones
        .into_iter()
        .filter(|(code, _, _, disclosed)| policy::can_see_zone(policy::role(principal.0.as_deref(), code).as_ref(), *disclosed))
        .map(|(code, name, name_en, disclosed)| json!({"code": code, "name": name, "name_en": name_en, "disclosed": disclosed}))
        .collect();
    Ok(Json(json!({ "zones": visible })))
}

/// `GET /api/v1/zones/{code}`.
pub async fn profile(
    State(state): State<AppState>,
    principal: MaybeAuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let (record, _) = visible_zone(&state, &principal, &code).await?;
    Ok(Json(profile_json(&record)))
}

fn target_kind(kind: &TargetKind) -> Value {
    match kind {
        TargetKind::Value(figure) => json!({"kind": "value", "figure": figure}),
        TargetKind::State(state) => json!({"kind": "state", "state": state}),
        TargetKind::NotBelowBase => json!({"kind": "not_below_base"}),
        TargetKind::RestatesStandard => json!({"kind": "restates"}),
        TargetKind::Describes => json!({"kind": "describes"}),
    }
}

/// `GET /api/v1/zones/{code}/plan`.
pub async fn plan(
    State(state): State<AppState>,
    principal: MaybeAuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let (record, _) = visible_zone(&state, &principal, &code).await?;
    let plan = state.store.plan(&record).await?;
    let framework = state.store.framework(&record.framework_id).await?;
    let rows: Vec<Value> = framework
        .rows()
        .map(|(_, row)| {
            let targets: serde_json::Map<String, Value> = plan
                .targets
                .get(&row.id)
                .map(|by_year| {
                    by_year
                        .iter()
                        .map(|(year, target)| {
                            let mut value = target_kind(&target.kind);
                            value["text"] = json!(target.text);
                            (year.to_string(), value)
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "row": row.id,
                "name": row.name,
                "unit": row.unit,
                "lead_departments": plan.lead_departments.get(&row.id).cloned().unwrap_or_default(),
                "targets": targets,
            })
        })
        .collect();
    Ok(Json(json!({
        "zone": record.profile.code,
        "title": plan.title,
        "framework": plan.framework,
        "base_year": plan.base_year,
        "rows": rows,
        "projects": plan.projects.iter().map(|p| json!({
            "number": p.number, "category": p.category, "content": p.content, "count": p.count,
            "investment_wan_yuan": p.investment_wan_yuan,
        })).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/zones/{code}/departments` (members).
pub async fn departments(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let departments = state.store.departments(&code).await?;
    let leads = state.store.leads(&code).await?;
    Ok(Json(json!({
        "departments": departments.iter().map(|d| json!({
            "id": d.id,
            "name": d.name,
            "rows": leads.iter().filter(|(_, ids)| ids.contains(&d.id)).map(|(row, _)| row.clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/frameworks/{id}`: the rows of a framework edition.
pub async fn framework(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let framework = state.store.framework(&id).await?;
    let indicators: Vec<Value> = framework
        .indicators
        .iter()
        .map(|indicator| {
            json!({
                "id": indicator.id,
                "name": indicator.name,
                "name_en": indicator.name_en,
                "attribute": indicator.attribute.code(),
                "task": indicator.task,
                "rows": indicator.rows.iter().map(|row| json!({
                    "id": row.id,
                    "name": row.name,
                    "name_en": row.name_en,
                    "unit": row.unit,
                    "direction": row.direction.code(),
                    "range": row.range.map(|(low, high)| json!([low, high])),
                    "states": row.states.iter().map(|state| state.text.clone()).collect::<Vec<_>>(),
                    "standards": row.variants.iter().map(|variant| json!({"when": variant.when, "standard": variant.standard, "note": variant.note})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "id": framework.id,
        "name": framework.name,
        "name_en": framework.name_en,
        "edition": framework.edition,
        "source": framework.source,
        "indicators": indicators,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentQuery {
    pub year: i32,
    /// `submitted`: also use submitted (not yet approved) values. Members only.
    #[serde(default)]
    pub include: Option<String>,
}

/// `GET /api/v1/zones/{code}/assessment?year=YYYY[&include=submitted]`: exactly the JSON of
/// `ecociv assess --format json`, gzip-compressed on the wire when the client accepts it (the bytes kept
/// by [`crate::assessments`]), decompressed otherwise.
pub async fn assessment(
    State(state): State<AppState>,
    principal: MaybeAuthUser,
    Path(code): Path<String>,
    Query(query): Query<AssessmentQuery>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    crate::validate::check_year(query.year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let role = policy::role(principal.0.as_deref(), &code);
    let head = match state.store.zone_head_cached(&code).await? {
        Some(head) if policy::can_see_zone(role.as_ref(), head.disclosed) => head,
        _ => return Err(ApiError::not_found(format!("区域 (zone) {code}"))),
    };
    let selection = match query.include.as_deref() {
        None | Some("approved") => Selection::Approved,
        Some("submitted") if policy::can_read_internal(role.as_ref()) => Selection::SubmittedOrApproved,
        Some("submitted") if principal.0.is_none() => return Err(ApiError::unauthenticated()),
        Some("submitted") => return Err(ApiError::forbidden()),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "include 应为 approved 或 submitted，而不是“{other}”"
            )));
        }
    };
    let gzip = crate::assessments::assessment_gzip(
        &state,
        &code,
        head.editions.for_year(query.year),
        query.year,
        selection,
        head.data_version,
    )
    .await?;
    if crate::assessments::accepts_gzip(headers.get(header::ACCEPT_ENCODING)) {
        return Ok((
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CONTENT_ENCODING, "gzip"),
                (header::VARY, "accept-encoding"),
            ],
            gzip,
        )
            .into_response());
    }
    let json = crate::assessments::gunzip(&gzip)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::VARY, "accept-encoding"),
        ],
        json,
    )
        .into_response())
}

/// The query of the progress endpoint.
#[derive(Deserialize)]
pub struct ProgressQuery {
    pub target_year: i32,
}

/// `GET /api/v1/zones/{code}/progress?target_year=YYYY`: progress toward the plan's targets for that year
/// and the early warning, from the approved values — the JSON of `ecociv progress --format json`.
pub async fn progress(
    State(state): State<AppState>,
    principal: MaybeAuthUser,
    Path(code): Path<String>,
    Query(query): Query<ProgressQuery>,
) -> ApiResult<Response> {
    crate::validate::check_year(query.target_year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let role = policy::role(principal.0.as_deref(), &code);
    match state.store.zone_state(&code).await? {
        Some(found) if policy::can_see_zone(role.as_ref(), found.1) => {}
        _ => return Err(ApiError::not_found(format!("区域 (zone) {code}"))),
    }
    let (record, zone) = state.store.load_zone(&code, Selection::Approved).await?;
    let has_targets = zone
        .plan
        .targets
        .values()
        .any(|by_year| by_year.contains_key(&query.target_year));
    if !has_targets {
        return Err(ApiError::bad_request(format!(
            "规划中没有 {} 年的目标值 (no targets for that year)",
            query.target_year
        )));
    }
    let framework = state.store.framework(&record.framework_id).await?;
    let progress = ecociv_progress::zone::zone_progress(&framework, &zone, query.target_year);
    let json = serde_json::to_vec(&progress).map_err(|error| ApiError::internal(error.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}
