//! Accounts, memberships and departments (admins only). Every change goes through the store's audited
//! operations ([`ecociv_store::audit`]): who, when, before and after are recorded with it.

use axum::Json;
use axum::extract::{Path, Query, State};
use ecociv_store::Role;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::auth::user_json;
use crate::auth::{AuthUser, check_password_strength, hash_password};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;

fn admin(principal: &AuthUser) -> ApiResult<()> {
    if policy::can_administer(Some(&principal.0)) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// `GET /api/v1/users`.
pub async fn list(State(state): State<AppState>, principal: AuthUser) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    let users = state.store.users().await?;
    Ok(Json(
        json!({ "users": users.iter().map(user_json).collect::<Vec<_>>() }),
    ))
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
pub async fn create(
    State(state): State<AppState>,
    principal: AuthUser,
    Json(new): Json<NewUser>,
) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    let username = crate::validate::username(&new.username)
        .map_err(|problem| ApiError::bad_request(problem.message).with_details(json!({"field": "username"})))?;
    let skeleton = crate::validate::username_skeleton(&username);
    if let Some(taken) = state
        .store
        .users()
        .await?
        .into_iter()
        .find(|user| crate::validate::username_skeleton(&user.username) == skeleton)
    {
        return Err(ApiError::new(
            Code::Conflict,
            format!(
                "用户名与已有的“{}”相同或易混淆 (username taken or confusable with an existing one)",
                taken.username
            ),
        )
        .with_details(json!({"field": "username"})));
    }
    check_password_strength(&new.password)?;
    let password = new.password.clone();
    let hash = crate::work::password(move || hash_password(&password)).await??;
    let user = state
        .store
        .create_user_by(&principal.0.user.id, &username, &new.display_name, &hash, new.is_admin)
        .await?;
    Ok(Json(user_json(&user)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// reviewer, editor or viewer; `none` removes the user's role in the zone.
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
    let role = match member.role.as_str() {
        "none" => None,
        code => Some(Role::parse(code).ok_or_else(|| {
            ApiError::bad_request(format!(
                "角色应为 reviewer、editor、viewer 或 none，而不是“{}” (unknown role)",
                member.role
            ))
        })?),
    };
    state
        .store
        .zone(&code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    state
        .store
        .user_by_id(&user_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("用户 (user) {user_id}")))?;
    if let Some(department) = &member.department
        && !state
            .store
            .departments(&code)
            .await?
            .iter()
            .any(|d| &d.id == department)
    {
        return Err(ApiError::not_found(format!("部门 (department) {department}")));
    }
    state
        .store
        .set_membership_by(
            &principal.0.user.id,
            &code,
            &user_id,
            role,
            member.department.as_deref(),
        )
        .await?;
    Ok(Json(
        json!({ "zone": code, "user": user_id, "role": role.map(Role::code), "department": member.department }),
    ))
}

/// A change of an account.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    #[serde(default)]
    pub display_name: Option<String>,
    /// `true` disables the account (it cannot log in; its sessions end), `false` enables it again.
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// `PUT /api/v1/users/{id}`: changes the display name or disables / enables an account. An administrator
/// cannot disable their own account.
pub async fn update(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(user_id): Path<String>,
    Json(change): Json<UserChange>,
) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    if change.disabled == Some(true) && user_id == principal.0.user.id {
        return Err(ApiError::bad_request(
            "不能停用自己的账号 (you cannot disable your own account)",
        ));
    }
    let user = state
        .store
        .update_user_by(
            &principal.0.user.id,
            &user_id,
            change.display_name.as_deref(),
            change.disabled,
        )
        .await?;
    Ok(Json(user_json(&user)))
}

/// A new password set by an administrator.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    pub password: String,
}

/// `PUT /api/v1/users/{id}/password`: an administrator sets a new password (at least as long as the
/// CLI requires); the account's sessions end and its login failures are cleared.
pub async fn set_password(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(user_id): Path<String>,
    Json(new): Json<NewPassword>,
) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    check_password_strength(&new.password)?;
    state
        .store
        .user_by_id(&user_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("用户 (user) {user_id}")))?;
    let password = new.password;
    let hash = crate::work::password(move || hash_password(&password)).await??;
    state
        .store
        .set_password_by(&principal.0.user.id, &user_id, &hash)
        .await?;
    Ok(Json(json!({ "user": user_id, "password": "reset" })))
}

/// A department's name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentName {
    pub name: String,
}

/// `POST /api/v1/zones/{code}/departments`: creates a department.
pub async fn create_department(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Json(body): Json<DepartmentName>,
) -> ApiResult<Json<Value>> {
    admin(&principal)?;
    state
        .store
        .zone(&code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    let department = state
        .store
        .create_department_by(&principal.0.user.id, &code, &body.name)
        .await?;
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
    admin(&principal)?;
    let department = state
        .store
        .rename_department_by(&principal.0.user.id, &code, &id, &body.name)
        .await?;
    Ok(Json(
        json!({ "zone": code, "id": department.id, "name": department.name }),
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
    /// `user` or `department`, with `target_id`.
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
