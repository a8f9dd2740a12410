//! Signing in: the login's checks with their throttling ([`authenticate`]) and a new session
//! ([`start_session`]). The API's login route and the login page call these.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Instant;

use ecociv_store::{LoginAttempt, User, clock};

use crate::AppState;
use crate::auth::{SESSION_COOKIE, SESSION_SECONDS, random_token, set_cookie, token_hash, verify_password};
use crate::error::{ApiError, ApiResult, Code};

/// A hash to verify against when the username is unknown, so that unknown and known users take as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password("ecociv-timing-equaliser").unwrap_or_default())
}

/// Checks a username and password with the throttling rules: an address with too many recent failures
/// is refused; an account is locked for a while after `max_failed_logins` failures in a row, and a locked
/// account refuses even the right password. Returns the user on success.
///
/// Both counts hold under concurrency: the address's attempt is claimed in memory under one lock
/// ([`crate::ratelimit::LoginLimiter::claim`]) and the account's in the database by one atomic
/// `UPDATE … RETURNING` ([`ecociv_store::Store::claim_login_attempt`], which also holds across server
/// instances) — both *before* the password is checked, so forty concurrent guesses are counted one by one
/// and only the first `max_failed_logins` get their password checked. A success gives back only its own
/// claims; it never resets another account's or the address's other failures.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    address: Option<IpAddr>,
) -> ApiResult<User> {
    let now = Instant::now();
    if !state.limiter.claim(address, now) {
        return Err(ApiError::new(
            Code::TooManyRequests,
            "登录失败次数过多，请稍后再试 (too many failed logins from this address)",
        ));
    }
    // Names are stored in NFKC form (`validate::username`): a full-width or compatibility spelling of one
    // finds it.
    let username: String = unicode_normalization::UnicodeNormalization::nfkc(username.trim()).collect();
    let user = state.store.user_by_username(&username).await?;
    let mut locked_by_this_attempt = None;
    if let Some(user) = &user {
        let lock_until = clock::now_plus(state.config.lock_seconds);
        match state
            .store
            .claim_login_attempt(&user.id, state.config.max_failed_logins, &lock_until, &clock::now())
            .await?
        {
            LoginAttempt::Locked { until } => {
                // Not a password guess: the address's slot goes back.
                state.limiter.refund(address);
                return Err(ApiError::new(
                    Code::LoginLocked,
                    format!("账号因多次登录失败已锁定至 {until} (account locked after repeated failures)"),
                ));
            }
            LoginAttempt::Claimed { failures, locked_until } => {
                locked_by_this_attempt = locked_until.map(|until| (failures, until));
            }
        }
    }
    let hash = user
        .as_ref()
        .map(|user| user.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let password = password.to_string();
    let verified = crate::work::password(move || verify_password(&password, &hash)).await?;
    match (user, locked_by_this_attempt) {
        (Some(user), _) if verified && !user.disabled => {
            state.store.login_succeeded(&user.id).await?;
            state.limiter.refund(address);
            Ok(user)
        }
        (Some(_), Some((failures, until))) => Err(ApiError::new(
            Code::LoginLocked,
            format!("连续 {failures} 次登录失败，账号已锁定至 {until} (account locked)"),
        )),
        _ => Err(ApiError::new(
            Code::LoginFailed,
            "用户名或密码错误 (wrong username or password)",
        )),
    }
}

/// Starts a session for a user: returns the `Set-Cookie` value and the session's CSRF token.
pub async fn start_session(state: &AppState, user: &User) -> ApiResult<(String, String)> {
    let token = random_token()?;
    let csrf = random_token()?;
    state
        .store
        .create_session(&token_hash(&token), &user.id, &csrf, &clock::now_plus(SESSION_SECONDS))
        .await?;
    Ok((
        set_cookie(SESSION_COOKIE, &token, SESSION_SECONDS, state.config.secure_cookies),
        csrf,
    ))
}
