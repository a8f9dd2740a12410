//! A zone's points on its map (issue 15): `GET /api/v1/zones/{code}/sites` (who may see the zone) lists
//! them with each point's state in a year; `POST …/sites` (admins) imports a GeoJSON file of them, all or
//! nothing, through [`crate::service::sites::import`].

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::service::sites;

async fn visible(state: &AppState, principal: &MaybeAuthUser, code: &str) -> ApiResult<()> {
    let role = policy::role(principal.0.as_deref(), code);
    match state.store.zone(code).await? {
        Some(record) if policy::can_see_zone(role.as_ref(), record.disclosed) => Ok(()),
        _ => Err(ApiError::not_found(format!("区域 (zone) {code}"))),
    }
}

/// `GET /api/v1/zones/{code}/sites?year=`: the zone's points, each with its state in the year (default:
/// the latest year of the zone's monitoring figures).
pub async fn list(
    State(state): State<AppState>,
    principal: MaybeAuthUser,
    Path(code): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> ApiResult<Json<Value>> {
    visible(&state, &principal, &code).await?;
    let year = match query.get("year") {
        Some(text) => {
            Some(ecociv_core::value::parse_year(text).map_err(|e| ApiError::bad_request(format!("year: {e}")))?)
        }
        None => sites::default_year(&state.store, &code).await?,
    };
    let stored = state.store.sites(&code).await?;
    let mut out = sites::sites_json(&stored);
    if let Some(year) = year {
        let states = sites::states(&state.store, &code, year, &stored).await?;
        for (item, site) in out.as_array_mut().into_iter().flatten().zip(&stored) {
            let text = sites::kind_of(site).and_then(|kind| states.get(&(kind, site.site_id.clone())));
            item["state"] = json!(text);
        }
    }
    Ok(Json(json!({ "zone": code, "year": year, "sites": out })))
}

/// `POST /api/v1/zones/{code}/sites?source=` (admins): the body is a GeoJSON `FeatureCollection` of points;
/// they replace the zone's points, all or nothing.
pub async fn import(
    State(state): State<AppState>,
    AuthUser(principal): AuthUser,
    Path(code): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if !policy::can_administer(Some(&principal)) {
        return Err(ApiError::forbidden());
    }
    let source = query
        .get("source")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .unwrap_or("upload");
    let Ok(text) = std::str::from_utf8(&body) else {
        return Err(ApiError::new(
            Code::InvalidValue,
            format!("点位文件 {source} 不是 UTF-8 编码的文本，未导入 (not UTF-8 text)"),
        ));
    };
    let report = sites::import(&state.store, &principal.user.id, &code, text, source).await?;
    Ok(Json(json!({
        "zone": code,
        "stored": report.stored,
        "by_kind": report.by_kind,
        "illustrative": report.illustrative,
        "source": source,
    })))
}
