//! The request guard, in front of every route: resolves the session cookie into the request's
//! [`Principal`], and refuses every state-changing request (POST, PUT, PATCH, DELETE) that does not carry
//! the right CSRF token — the session's token for a logged-in user, or, before login, the value of the
//! `ecociv_csrf` cookie (double submit). The token travels in the `X-CSRF-Token` header, or, for HTML
//! forms (`application/x-www-form-urlencoded`, or `multipart/form-data` for forms with files), in the
//! `csrf_token` field. A plain form's body is read once, up to a size limit; of a session's form with
//! files only the start, up to the token (which comes before the files; `crate::multipart::token`), the
//! handler reading the rest as it arrives within its route's limit. Either is checked before any handler
//! runs — so a file of a form without the right token is never stored; a request that cannot carry a valid
//! token (no session, no pre-login cookie) is refused before its body is read, and before login a body is
//! read only up to a plain form's size.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::{CSRF_COOKIE, Principal, SESSION_COOKIE, cookie, token_hash};
use crate::error::{ApiError, Code};

/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";
/// The largest urlencoded form body the guard reads to find the token.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// The largest `multipart/form-data` body of the forms read into memory (a data-entry form with its evidence
/// files; their routes' limit).
pub const MAX_MULTIPART_BYTES: usize = 64 * 1024 * 1024;

/// Resolves the session of a request, if any.
pub async fn principal(state: &AppState, headers: &HeaderMap) -> Result<Option<Arc<Principal>>, ApiError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some((session, user)) = state.store.session(&token_hash(&token)).await? else {
        return Ok(None);
    };
    let memberships = state.store.memberships(&user.id).await?;
    let unit_roles = state.store.unit_roles(&user.id).await?;
    let unit_zones = crate::auth::unit_zones(&state.store, &unit_roles).await?;
    Ok(Some(Arc::new(Principal {
        user,
        session,
        memberships,
        unit_roles,
        unit_zones,
    })))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The middleware: see the module documentation.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match check(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

async fn check(state: &AppState, mut request: Request) -> Result<Request, ApiError> {
    let principal = principal(state, request.headers()).await?;
    if !is_safe(request.method()) {
        let expected = match &principal {
            Some(principal) => Some(principal.session.csrf_token.clone()),
            None => cookie(request.headers(), CSRF_COOKIE).filter(|token| token.len() >= 32),
        };
        let mut supplied = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let is_form = content_type
            .as_deref()
            .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
        let is_multipart = crate::multipart::is_multipart(content_type.as_deref());
        if supplied.is_none() && expected.is_some() && is_multipart && principal.is_some() {
            // A session's form with files: only its start, up to the token (sent before the files), is
            // read here; the handler reads the rest as it arrives, within its route's limit — a large file
            // is never held in memory by the guard.
            let (parts, body) = request.into_parts();
            let (token, body) =
                crate::multipart::token(content_type.as_deref().unwrap_or_default(), body, CSRF_FIELD).await;
            supplied = token;
            request = Request::from_parts(parts, body);
        } else if supplied.is_none() && expected.is_some() && (is_form || is_multipart) {
            // Before login anyone can get a pre-login token, so the guard reads no more than a plain
            // form's size.
            let (parts, body) = request.into_parts();
            let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
                .await
                .map_err(|_| ApiError::bad_request("表单过大 (form too large)"))?;
            supplied = if is_multipart {
                crate::multipart::parse(
                    content_type.as_deref().unwrap_or_default(),
                    bytes.clone(),
                    0,
                    Some(CSRF_FIELD),
                )
                .await
                .ok()
                .and_then(|mut form| form.fields.remove(CSRF_FIELD))
            } else {
                form_urlencoded::parse(&bytes)
                    .find(|(key, _)| key == CSRF_FIELD)
                    .map(|(_, value)| value.into_owned())
            };
            request = Request::from_parts(parts, Body::from(bytes));
        }
        let ok = matches!((&expected, &supplied), (Some(expected), Some(supplied)) if same(expected, supplied));
        if !ok {
            return Err(ApiError::new(
                Code::CsrfFailed,
                "缺少或错误的 CSRF 令牌；请刷新页面后重试 (missing or wrong CSRF token)",
            ));
        }
    }
    request.extensions_mut().insert(principal);
    Ok(request)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_compare_exactly() {
        assert!(super::same("abc", "abc"));
        assert!(!super::same("abc", "abd"));
        assert!(!super::same("abc", "ab"));
    }
}
