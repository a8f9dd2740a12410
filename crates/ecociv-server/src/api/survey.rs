//! The survey API (issue 14): the zone's surveys, one survey's responses and estimates (rows 34/35 with
//! their 95 % intervals, per-stratum counts), and saving the rows from the estimate. The pages
//! ([`crate::web::survey`]) and these call the same service ([`crate::service::survey`]).

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::service::member_zone;
use crate::service::survey as service;

/// `GET /api/v1/zones/{code}/surveys`.
pub async fn list(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let mut surveys = Vec::new();
    for survey in state.store.surveys(&code).await? {
        let responses = state.store.survey_response_count(&code, &survey.survey_id).await?;
        surveys.push(json!({
            "id": survey.survey_id,
            "year": survey.year,
            "title": survey.title,
            "access": survey.access.as_str(),
            "state": survey.state.as_str(),
            "synthetic": survey.synthetic,
            "responses": responses,
            "created_at": survey.created_at,
        }));
    }
    Ok(Json(json!({ "surveys": surveys })))
}

/// `GET /api/v1/zones/{code}/surveys/{survey}`: counts and estimates.
pub async fn show(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, survey_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let survey = service::load(&state, &code, &survey_id).await?;
    let stored = state.store.survey_responses(&code, &survey_id).await?;
    let estimates: Vec<Value> = service::estimates(&survey, &stored)
        .into_iter()
        .map(|(row, result)| match result {
            Ok(e) => json!({
                "row": row,
                "share": e.share,
                "percent": e.percent_value(),
                "standard_error": e.standard_error,
                "ci95": [e.low, e.high],
                "effective_n": e.effective_n,
                "responses": e.responses,
                "valid": e.valid,
                "response_rate": e.response_rate(),
                "strata": e.strata.iter().map(|s| json!({
                    "id": s.id, "name": s.name, "population": s.population, "quota": s.quota,
                    "responses": s.responses, "valid": s.valid, "counted": s.counted,
                })).collect::<Vec<_>>(),
                "method_edition": ecociv_survey::METHOD_EDITION,
                "questionnaire": {"id": e.questionnaire_id, "edition": e.questionnaire_edition},
                "doubt": e.doubt,
                "explanation": {"zh": e.explain().0, "en": e.explain().1},
            }),
            Err(error) => json!({ "row": row, "refused": {"zh": error.zh(), "en": error.en()} }),
        })
        .collect();
    let channels = service::by_channel(&stored);
    let (issued, used) = state.store.survey_code_counts(&code, &survey_id).await?;
    Ok(Json(json!({
        "id": survey.record.survey_id,
        "year": survey.record.year,
        "title": survey.record.title,
        "access": survey.record.access.as_str(),
        "state": survey.record.state.as_str(),
        "synthetic": survey.record.synthetic,
        "responses": stored.len(),
        "by_channel": channels,
        "codes": {"issued": issued, "used": used},
        "estimates": estimates,
    })))
}

/// `POST /api/v1/zones/{code}/surveys/{survey}/compute`: rows 34/35 saved from the estimate (draft).
pub async fn compute(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, survey_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let survey = service::load(&state, &code, &survey_id).await?;
    let rows = service::compute(&state, &principal, Some(&role), &code, &survey).await?;
    Ok(Json(json!({ "saved": rows, "year": survey.record.year })))
}
