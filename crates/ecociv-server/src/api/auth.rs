//! Login, logout, the current user, and the pre-login CSRF token. The login's checks and the session are
//! [`crate::service::sessions`]' ([`authenticate`], [`start_session`]), shared with the HTML login form.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ecociv_store::User;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{
    AuthUser, CSRF_COOKIE, ClientAddr, Principal, SESSION_COOKIE, SESSION_SECONDS, random_token, set_cookie,
};
use crate::error::{ApiError, ApiResult};
use crate::service::sessions::{authenticate, start_session};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// A user as the API shows it (never the hash).
pub fn user_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "is_admin": user.is_admin,
        "disabled": user.disabled,
        "created_at": user.created_at,
    })
}

fn principal_json(principal: &Principal) -> Value {
    json!({
        "user": user_json(&principal.user),
        "memberships": principal.memberships.iter().map(|m| json!({
            "zone": m.zone_code, "role": m.role.code(), "department": m.department_id,
        })).collect::<Vec<_>>(),
        "unit_roles": principal.unit_roles.iter().map(|g| json!({"unit": g.unit_code, "role": g.role.code()})).collect::<Vec<_>>(),
        "csrf_token": principal.session.csrf_token,
    })
}

fn with_cookie(mut response: Response, cookie: &str) -> ApiResult<Response> {
    let value = HeaderValue::from_str(cookie).map_err(ApiError::internal)?;
    response.headers_mut().append(header::SET_COOKIE, value);
    Ok(response)
}

/// `GET /api/v1/auth/csrf`: a fresh token for the login request, also set as the `ecociv_csrf` cookie. A
/// token cookie the client sends is never adopted: one planted by another site (cookie tossing from a
/// sibling domain) would otherwise become a token the attacker knows.
pub async fn csrf(State(state): State<AppState>) -> ApiResult<Response> {
    let token = random_token()?;
    let response = Json(json!({ "csrf_token": token })).into_response();
    with_cookie(
        response,
        &set_cookie(CSRF_COOKIE, &token, SESSION_SECONDS, state.config.secure_cookies),
    )
}

/// `POST /api/v1/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    Json(login): Json<Login>,
) -> ApiResult<Response> {
    let user = authenticate(&state, &login.username, &login.password, address).await?;
    let (cookie, csrf) = start_session(&state, &user).await?;
    let memberships = state.store.memberships(&user.id).await?;
    let body = json!({
        "user": user_json(&user),
        "memberships": memberships.iter().map(|m| json!({"zone": m.zone_code, "role": m.role.code(), "department": m.department_id})).collect::<Vec<_>>(),
        "csrf_token": csrf,
    });
    with_cookie(Json(body).into_response(), &cookie)
}

/// `POST /api/v1/auth/logout`.
pub async fn logout(State(state): State<AppState>, AuthUser(principal): AuthUser) -> ApiResult<Response> {
    state.store.delete_session(&principal.session.token_hash).await?;
    let response = Json(json!({ "logged_out": true })).into_response();
    with_cookie(
        response,
        &set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    )
}

/// `GET /api/v1/me`.
pub async fn me(AuthUser(principal): AuthUser) -> Json<Value> {
    Json(principal_json(&principal))
}
