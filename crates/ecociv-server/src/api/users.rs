//! Accounts and memberships (admins only).

use axum::Json;
use axum::extract::{Path, State};
use ecociv_store::Role;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::auth::user_json;
use crate::auth::{AuthUser, check_password_strength, hash_password};
use crate::error::{ApiError, ApiResult};
use crate::policy;

fn admin(principal: &AuthUser) -> ApiResult<()> {
    if policy::can_administer(Some(&principal.0)) { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// `GET /api/v1/users`.
pub async fn list(State(state): State<AppState>, principal: AuthUser) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    let users = state.store.users().await?;
    Ok(Json(json!({ "users": users.iter().map(user_json).collect::<Vec<_>>() })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    #[serde(default)]
    pub is_admin: bool,
}

/// `POST /api/v1/users`.
pub async fn create(State(state): State<AppState>, principal: AuthUser, Json(new): Json<NewUser>) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    check_password_strength(&new.password)?;
    let password = new.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(ApiError::internal)??;
    let user = state.store.create_user(&new.username, &new.display_name, &hash, new.is_admin).await?;
    Ok(Json(user_json(&user)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// reviewer, editor or viewer.
    pub role: String,
    /// The department's id (editors only).
    #[serde(default)]
    pub department: Option<String>,
}

/// `PUT /api/v1/zones/{code}/members/{user_id}`.
pub async fn set_member(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, user_id)): Path<(String, String)>,
    Json(member): Json<Member>,
) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    let role = Role::parse(&member.role)
        .ok_or_else(|| ApiError::bad_request(format!("角色应为 reviewer、editor 或 viewer，而不是“{}”", member.role)))?;
    state.store.zone(&code).await?.ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    state.store.user_by_id(&user_id).await?.ok_or_else(|| ApiError::not_found(format!("用户 (user) {user_id}")))?;
    if let Some(department) = &member.department
        && !state.store.departments(&code).await?.iter().any(|d| &d.id == department)
    {
        return Err(ApiError::not_found(format!("部门 (department) {department}")));
    }
    state.store.set_membership(&code, &user_id, role, member.department.as_deref()).await?;
    Ok(Json(json!({ "zone": code, "user": user_id, "role": role.code(), "department": member.department })))
}
