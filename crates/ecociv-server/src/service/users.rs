//! Accounts, memberships and departments (admins only). Every change goes through the store's audited
//! operations ([`ecociv_store::audit`]): who, when, before and after are recorded with it. The API's
//! user and department routes and the administration pages call these.

use ecociv_store::{Department, Role, User};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{Principal, check_password_strength, hash_password};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;

/// Refuses anyone but an administrator.
pub fn admin(principal: &Principal) -> ApiResult<()> {
    if policy::can_administer(Some(principal)) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
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

/// Creates an account: the username normalised and refused when it is confusable with an existing one,
/// the password's strength checked, then hashed off the request threads.
pub async fn create(state: &AppState, principal: &Principal, new: NewUser) -> ApiResult<User> {
    admin(principal)?;
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
    Ok(state
        .store
        .create_user_by(&principal.user.id, &username, &new.display_name, &hash, new.is_admin)
        .await?)
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

/// Sets (or, with `none`, removes) a user's role in a zone: the role the user now has.
pub async fn set_member(
    state: &AppState,
    principal: &Principal,
    code: &str,
    user_id: &str,
    member: &Member,
) -> ApiResult<Option<Role>> {
    admin(principal)?;
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
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("用户 (user) {user_id}")))?;
    if let Some(department) = &member.department
        && !state.store.departments(code).await?.iter().any(|d| &d.id == department)
    {
        return Err(ApiError::not_found(format!("部门 (department) {department}")));
    }
    state
        .store
        .set_membership_by(&principal.user.id, code, user_id, role, member.department.as_deref())
        .await?;
    Ok(role)
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

/// Changes the display name or disables / enables an account. An administrator cannot disable their own
/// account.
pub async fn update(state: &AppState, principal: &Principal, user_id: &str, change: UserChange) -> ApiResult<User> {
    admin(principal)?;
    if change.disabled == Some(true) && user_id == principal.user.id {
        return Err(ApiError::bad_request(
            "不能停用自己的账号 (you cannot disable your own account)",
        ));
    }
    Ok(state
        .store
        .update_user_by(
            &principal.user.id,
            user_id,
            change.display_name.as_deref(),
            change.disabled,
        )
        .await?)
}

/// A new password set by an administrator.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    pub password: String,
}

/// An administrator sets a new password (as strong as for new accounts); the account's sessions end and
/// its login failures are cleared.
pub async fn set_password(state: &AppState, principal: &Principal, user_id: &str, new: NewPassword) -> ApiResult<()> {
    admin(principal)?;
    check_password_strength(&new.password)?;
    state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("用户 (user) {user_id}")))?;
    let password = new.password;
    let hash = crate::work::password(move || hash_password(&password)).await??;
    state.store.set_password_by(&principal.user.id, user_id, &hash).await?;
    Ok(())
}

/// A department's name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentName {
    pub name: String,
}

/// Creates a department in a zone.
pub async fn create_department(
    state: &AppState,
    principal: &Principal,
    code: &str,
    name: &DepartmentName,
) -> ApiResult<Department> {
    admin(principal)?;
    state
        .store
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    Ok(state
        .store
        .create_department_by(&principal.user.id, code, &name.name)
        .await?)
}

/// Renames a department (its rows and users stay with it).
pub async fn rename_department(
    state: &AppState,
    principal: &Principal,
    code: &str,
    id: &str,
    name: &DepartmentName,
) -> ApiResult<Department> {
    admin(principal)?;
    Ok(state
        .store
        .rename_department_by(&principal.user.id, code, id, &name.name)
        .await?)
}

/// The zone's public switch (issue 14).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicSwitch {
    /// Whether the zone's approved standing, survey results, disclosure list and open data are public.
    pub public: bool,
}

/// Sets whether the zone is public (admins; audited as `zone.public`). Returns whether it changed.
pub async fn set_public(state: &AppState, principal: &Principal, code: &str, switch: &PublicSwitch) -> ApiResult<bool> {
    admin(principal)?;
    Ok(state
        .store
        .set_disclosed_by(&principal.user.id, code, switch.public)
        .await?)
}

/// The licence of the zone's open data (issue 14).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceChoice {
    /// One of `ecociv_report::portal::LICENCES`' ids (`CC-BY-4.0`, `CC0-1.0`, `CC-BY-SA-4.0`).
    pub licence: String,
}

/// Sets the licence of the zone's open data (admins; audited as `zone.licence`); an unknown licence is
/// refused with the ones allowed. Returns whether it changed.
pub async fn set_licence(
    state: &AppState,
    principal: &Principal,
    code: &str,
    choice: &LicenceChoice,
) -> ApiResult<bool> {
    admin(principal)?;
    if ecociv_report::portal::licence(&choice.licence).is_none() {
        let allowed: Vec<&str> = ecociv_report::portal::LICENCES.iter().map(|l| l.id).collect();
        return Err(ApiError::new(
            Code::InvalidValue,
            format!(
                "未知的许可协议“{}”，可选：{} (unknown licence)",
                choice.licence.chars().take(40).collect::<String>(),
                allowed.join("、")
            ),
        ));
    }
    Ok(state
        .store
        .set_open_licence_by(&principal.user.id, code, &choice.licence)
        .await?)
}
