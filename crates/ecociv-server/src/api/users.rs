//! Accounts, memberships and departments (admins only). Every change goes through the store's audited
//! operations ([`ecociv_store::audit`]): who, when, before and after are recorded with it. The writes are
//! [`crate::service::users`]'s.

use axum::Json;
use axum::extract::{Path, Query, State};
use ecociv_store::Role;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::auth::user_json;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::service::users::{
    self, DepartmentName, LicenceChoice, Member, NewPassword, NewUser, PublicSwitch, UserChange, admin,
};

/// `GET /api/v1/users`.
pub async fn list(State(state): State<AppState>, principal: AuthUser) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    let users = state.store.users().await?;
    Ok(Json(
        json!({ "users": users.iter().map(user_json).collect::<Vec<_>>() }),
    ))
}

/// `POST /api/v1/users`.
pub async fn create(
    State(state): State<AppState>,
    principal: AuthUser,
    Json(new): Json<NewUser>,
) -> ApiResult<Json<Value>> {
    let user = users::create(&state, &principal, new).await?;
    Ok(Json(user_json(&user)))
}

/// `PUT /api/v1/zones/{code}/members/{user_id}`.
pub async fn set_member(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, user_id)): Path<(String, String)>,
    Json(member): Json<Member>,
) -> ApiResult<Json<Value>> {
    let role = users::set_member(&state, &principal, &code, &user_id, &member).await?;
    Ok(Json(
        json!({ "zone": code, "user": user_id, "role": role.map(Role::code), "department": member.department }),
    ))
}

/// `PUT /api/v1/users/{id}`: changes the display name or disables / enables an account. An administrator
/// cannot disable their own account.
pub async fn update(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(user_id): Path<String>,
    Json(change): Json<UserChange>,
) -> ApiResult<Json<Value>> {
    let user = users::update(&state, &principal, &user_id, change).await?;
    Ok(Json(user_json(&user)))
}

/// `PUT /api/v1/users/{id}/password`: an administrator sets a new password (at least as long as the
/// CLI requires); the account's sessions end and its login failures are cleared.
pub async fn set_password(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(user_id): Path<String>,
    Json(new): Json<NewPassword>,
) -> ApiResult<Json<Value>> {
    users::set_password(&state, &principal, &user_id, new).await?;
    Ok(Json(json!({ "user": user_id, "password": "reset" })))
}

/// `POST /api/v1/zones/{code}/departments`: creates a department.
pub async fn create_department(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Json(body): Json<DepartmentName>,
) -> ApiResult<Json<Value>> {
    let department = users::create_department(&state, &principal, &code, &body).await?;
    Ok(Json(
        json!({ "zone": code, "id": department.id, "name": department.name }),
    ))
}

/// `PUT /api/v1/zones/{code}/departments/{id}`: renames a department (its rows and users stay with it).
pub async fn rename_department(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, id)): Path<(String, String)>,
    Json(body): Json<DepartmentName>,
) -> ApiResult<Json<Value>> {
    let department = users::rename_department(&state, &principal, &code, &id, &body).await?;
    Ok(Json(
        json!({ "zone": code, "id": department.id, "name": department.name }),
    ))
}

/// `PUT /api/v1/zones/{code}/public` (issue 14): the zone's public switch, audited.
pub async fn set_public(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Json(body): Json<PublicSwitch>,
) -> ApiResult<Json<Value>> {
    let changed = users::set_public(&state, &principal, &code, &body).await?;
    Ok(Json(json!({ "zone": code, "public": body.public, "changed": changed })))
}

/// `PUT /api/v1/zones/{code}/licence` (issue 14): the licence of the zone's open data, audited.
pub async fn set_licence(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Json(body): Json<LicenceChoice>,
) -> ApiResult<Json<Value>> {
    let changed = users::set_licence(&state, &principal, &code, &body).await?;
    Ok(Json(
        json!({ "zone": code, "licence": body.licence, "changed": changed }),
    ))
}

/// An audit record as the API shows it.
pub fn audit_json(event: &ecociv_store::AuditEvent) -> Value {
    json!({
        "id": event.id,
        "at": event.at,
        "actor": { "id": event.actor_id, "name": event.actor_name },
        "action": event.action,
        "target": { "kind": event.target_kind, "id": event.target_id },
        "zone": event.zone_code,
        "before": event.before,
        "after": event.after,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// `user`, `department` or `zone`, with `target_id`.
    #[serde(default)]
    pub target_kind: Option<String>,
    #[serde(default)]
    pub target_id: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// `GET /api/v1/audit[?target_kind=&target_id=&limit=]`: the administration's changes, newest first.
pub async fn audit(
    State(state): State<AppState>,
    principal: AuthUser,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    let target = match (&query.target_kind, &query.target_id) {
        (Some(kind), Some(id)) => Some((kind.as_str(), id.as_str())),
        (None, None) => None,
        _ => {
            return Err(ApiError::bad_request(
                "target_kind 与 target_id 须同时给出 (give both target_kind and target_id)",
            ));
        }
    };
    let events = state
        .store
        .audit_log(target, query.limit.unwrap_or(200).clamp(1, 1000))
        .await?;
    Ok(Json(
        json!({ "events": events.iter().map(audit_json).collect::<Vec<_>>() }),
    ))
}
