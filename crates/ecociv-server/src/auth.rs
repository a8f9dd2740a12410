//! Authentication: Argon2id password hashes, session cookies (a random 256-bit token in an HttpOnly,
//! SameSite=Strict, Secure cookie; only its SHA-256 is stored), the request's [`Principal`], and the
//! extractors [`AuthUser`] (login required) and [`MaybeAuthUser`] (anyone).
//!
//! The session is resolved once per request by [`crate::csrf::guard`] (which also checks CSRF) and put in
//! the request's extensions; the extractors read it from there.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ecociv_store::{Membership, Role, Session, User};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ecociv_session";
/// The pre-login CSRF cookie (double-submit), used before a session exists.
pub const CSRF_COOKIE: &str = "ecociv_csrf";
/// How long a session lives, in seconds (8 hours: a working day).
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// A logged-in user with their roles.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub session: Session,
    pub memberships: Vec<Membership>,
    /// Roles granted at a city or province (issue 15).
    pub unit_roles: Vec<ecociv_store::UnitRole>,
    /// The zones those roles reach, with the strongest role granted over each (resolved per request from
    /// `Store::zones_within`).
    pub unit_zones: std::collections::BTreeMap<String, Role>,
}

/// What a principal is in one zone. Admins are admins everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneRole {
    Admin,
    Reviewer,
    /// A department editor, with the department's id.
    Editor {
        department: String,
    },
    Viewer,
}

impl Principal {
    /// The principal's role in a zone, if any.
    pub fn zone_role(&self, zone: &str) -> Option<ZoneRole> {
        if self.user.is_admin {
            return Some(ZoneRole::Admin);
        }
        let Some(membership) = self.memberships.iter().find(|m| m.zone_code == zone) else {
            // A role granted at the zone's city or province: reviewers review, viewers read.
            return match self.unit_zones.get(zone)? {
                Role::Reviewer => Some(ZoneRole::Reviewer),
                Role::Viewer => Some(ZoneRole::Viewer),
                Role::Editor => None,
            };
        };
        Some(match membership.role {
            Role::Reviewer => ZoneRole::Reviewer,
            Role::Viewer => ZoneRole::Viewer,
            Role::Editor => ZoneRole::Editor {
                department: membership.department_id.clone()?,
            },
        })
    }
}

impl Principal {
    /// May see the roll-up of a unit (a city, a province; `None`: the nation): administrators, and roles
    /// granted at that unit or at a unit above it.
    pub fn can_roll_up(&self, unit: Option<&str>, hierarchy: &ecociv_core::division::Hierarchy) -> bool {
        self.granted_over(unit, hierarchy, |_| true)
    }

    /// May import for a unit (`None`: the nation) — boundaries within it, zones below it from the plan
    /// template (issue 15): administrators, and reviewers granted at that unit or at a unit above it.
    pub fn can_import_for(&self, unit: Option<&str>, hierarchy: &ecociv_core::division::Hierarchy) -> bool {
        self.granted_over(unit, hierarchy, |role| role == Role::Reviewer)
    }

    /// Administrators, and grants of a `role` accepted at `unit` or above it (never the nation's).
    fn granted_over(
        &self,
        unit: Option<&str>,
        hierarchy: &ecociv_core::division::Hierarchy,
        role: impl Fn(Role) -> bool,
    ) -> bool {
        if self.user.is_admin {
            return true;
        }
        let Some(unit) = unit else { return false };
        self.unit_roles
            .iter()
            .any(|grant| role(grant.role) && (grant.unit_code == unit || hierarchy.is_under(unit, &grant.unit_code)))
    }
}

/// Resolves the zones a user's unit roles reach: for each grant the zones within its unit, the reviewer
/// role winning over the viewer role where two grants overlap.
pub async fn unit_zones(
    store: &ecociv_store::Store,
    grants: &[ecociv_store::UnitRole],
) -> ecociv_store::Result<std::collections::BTreeMap<String, Role>> {
    let mut zones = std::collections::BTreeMap::new();
    for grant in grants {
        for zone in store.zones_within(&grant.unit_code).await? {
            let entry = zones.entry(zone).or_insert(grant.role);
            if grant.role == Role::Reviewer {
                *entry = Role::Reviewer;
            }
        }
    }
    Ok(zones)
}

/// The signed-in principal of the request: **the one extractor** of every handler that needs a login, in
/// the JSON API and in the pages alike. Without a session the API answers 401 in its JSON shape, a page
/// redirects to the login page and back ([`SignInRequired`]).
#[derive(Debug, Clone)]
pub struct AuthUser(pub Arc<Principal>);

impl std::ops::Deref for AuthUser {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.0
    }
}

/// The principal of the request, if any (public pages).
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<Arc<Principal>>);

/// Nobody is signed in: under `/api` the API's 401 (`unauthenticated`), elsewhere a redirect to the
/// login page that comes back to `next` (the path and query asked for).
#[derive(Debug)]
pub struct SignInRequired {
    pub next: String,
}

impl axum::response::IntoResponse for SignInRequired {
    fn into_response(self) -> axum::response::Response {
        if self.next == "/api" || self.next.starts_with("/api/") || self.next.starts_with("/api?") {
            ApiError::unauthenticated().into_response()
        } else {
            axum::response::Redirect::to(&format!("/login?next={}", ecociv_web::layout::urls::encode(&self.next)))
                .into_response()
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
    type Rejection = SignInRequired;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Option<Arc<Principal>>>() {
            Some(Some(principal)) => Ok(AuthUser(principal.clone())),
            _ => Err(SignInRequired {
                next: parts
                    .uri
                    .path_and_query()
                    .map_or_else(|| parts.uri.path().to_string(), |pq| pq.as_str().to_string()),
            }),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuthUser {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuthUser(
            parts.extensions.get::<Option<Arc<Principal>>>().cloned().flatten(),
        ))
    }
}

/// The client's address, when the server was started with connection info.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

/// Hashes a password with Argon2id (default parameters, random salt) into a PHC string.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let hash: Result<argon2::password_hash::phc::PasswordHash, _> =
        Argon2::default().hash_password(password.as_bytes());
    hash.map(|hash| hash.to_string()).map_err(ApiError::internal)
}

/// Checks a password against a PHC string. A malformed hash never verifies.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match argon2::password_hash::phc::PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// The minimum password length for new accounts.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Refuses weak passwords ([`password_problem`]).
pub fn check_password_strength(password: &str) -> Result<(), ApiError> {
    match password_problem(password) {
        Some(problem) => Err(ApiError::bad_request(problem).with_details(serde_json::json!({"field": "password"}))),
        None => Ok(()),
    }
}

/// A random token: 32 bytes from the OS, hex.
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(hex(&bytes))
}

/// A random password for demo accounts: 16 characters from an unambiguous alphabet.
pub fn random_password() -> Result<String, ApiError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// SHA-256 of a session token, hex: what the session table stores.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cookie's value from the request headers (the first cookie of that name; malformed pairs skipped),
/// parsed by the `cookie` crate (RFC 6265 pairs, quoted values unquoted).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| cookie::Cookie::split_parse(value).filter_map(Result::ok))
        .find(|pair| pair.name() == name)
        .map(|pair| pair.value_trimmed().to_string())
}

/// The kinds of cookie the server sets, each with its one set of attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieKind {
    /// Session and CSRF cookies: `Path=/`, HttpOnly, SameSite=Strict.
    Session,
    /// A public survey's "this device has answered" mark: `Path=/s/`, HttpOnly, SameSite=Lax (the link to a
    /// survey is followed from other sites).
    SurveyDevice,
    /// The language choice: `Path=/`, SameSite=Lax, readable by nothing but the server all the same
    /// (HttpOnly: no script reads it).
    Language,
}

/// A `Set-Cookie` value of `kind`, built by the `cookie` crate; `Secure` unless the server runs with
/// insecure cookies (plain-HTTP intranets; a warning at start). `max_age` 0 removes the cookie.
pub fn cookie_header(kind: CookieKind, name: &str, value: &str, max_age: i64, secure: bool) -> String {
    use cookie::SameSite;
    let (path, same_site) = match kind {
        CookieKind::Session => ("/", SameSite::Strict),
        CookieKind::SurveyDevice => ("/s/", SameSite::Lax),
        CookieKind::Language => ("/", SameSite::Lax),
    };
    cookie::Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .same_site(same_site)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
        .to_string()
}

/// A session or CSRF `Set-Cookie` value ([`CookieKind::Session`]).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    cookie_header(CookieKind::Session, name, value, max_age, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(hash, hash_password("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn cookies_are_read_and_written_safely() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            "a=1; ecociv_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
        // A name is matched whole (not as a suffix or prefix); the first of two wins; a pair without `=`
        // is skipped, not read as a name; a quoted value is unquoted.
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            "x_ecociv_session=evil; junk; ecociv_session=\"first\"; ecociv_session=second"
                .parse()
                .unwrap(),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("first"));
        assert_eq!(cookie(&headers, "junk"), None);

        let attributes = |set: &str| {
            let mut parts: Vec<String> = set.split("; ").skip(1).map(str::to_string).collect();
            parts.sort();
            parts
        };
        let set = set_cookie(SESSION_COOKIE, "t", 60, true);
        assert!(set.starts_with("ecociv_session=t;"), "{set}");
        assert_eq!(
            attributes(&set),
            ["HttpOnly", "Max-Age=60", "Path=/", "SameSite=Strict", "Secure"]
        );
        let gone = set_cookie(SESSION_COOKIE, "", 0, false);
        assert_eq!(
            attributes(&gone),
            ["HttpOnly", "Max-Age=0", "Path=/", "SameSite=Strict"]
        );
        let device = cookie_header(CookieKind::SurveyDevice, "ecociv_s_x", "1", 31_536_000, true);
        assert_eq!(
            attributes(&device),
            ["HttpOnly", "Max-Age=31536000", "Path=/s/", "SameSite=Lax", "Secure"]
        );
        let lang = cookie_header(CookieKind::Language, "ecociv_lang", "en", 31_536_000, false);
        assert_eq!(
            attributes(&lang),
            ["HttpOnly", "Max-Age=31536000", "Path=/", "SameSite=Lax"]
        );
        assert_eq!(token_hash("x").len(), 64);
        assert_eq!(random_token().unwrap().len(), 64);
        assert_eq!(random_password().unwrap().chars().count(), 16);
    }
}

/// The common passwords refused for new accounts (`data/common-passwords.txt`, with its provenance).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Why a password is refused, if it is: too short (fewer than [`MIN_PASSWORD_CHARS`] characters),
/// whitespace only, a common password ([`COMMON_PASSWORDS`], case-insensitive), one character or a short
/// block repeated (`aaaaaaaaaa`, `abcabcabcabc`), or a run of consecutive characters (`abcdefghij`,
/// `9876543210`).
pub fn password_problem(password: &str) -> Option<&'static str> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_PASSWORD_CHARS {
        return Some("密码至少 10 个字符 (password too short)");
    }
    if chars.iter().all(|c| c.is_whitespace()) {
        return Some("密码不能全为空白字符 (password is whitespace only)");
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .any(|common| common == lower)
    {
        return Some("密码过于常见，请换一个 (a common password)");
    }
    let repeated = (1..=chars.len() / 2)
        .filter(|unit| chars.len().is_multiple_of(*unit))
        .any(|unit| chars.chunks(unit).all(|chunk| chunk == &chars[..unit]));
    if repeated {
        return Some("密码不能是重复的字符或片段 (a repeated character or block)");
    }
    let steps: Vec<i64> = chars.windows(2).map(|pair| pair[1] as i64 - pair[0] as i64).collect();
    if steps.iter().all(|step| *step == 1) || steps.iter().all(|step| *step == -1) {
        return Some("密码不能是连续的字符 (a run of consecutive characters)");
    }
    None
}

#[cfg(test)]
mod password_rule_tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_and_ordinary_ones_pass() {
        for weak in [
            "short",
            "          ",
            "\t\t\t\t\t\t\t\t\t\t",
            "1234567890",
            "QwertyUiop",
            "woaini1314",
            "aaaaaaaaaaaa",
            "abcabcabcabc",
            "zzzzzzzzzzzzzzzzzzzzzzzz",
            "abcdefghijklm",
            "9876543210",
            "密码密码密码密码密码",
        ] {
            assert!(password_problem(weak).is_some(), "{weak:?}");
        }
        for fine in [
            "correct horse battery",
            "生态文明建设示范区2030",
            "a long enough password",
            "Tr0ub4dor&3x",
        ] {
            assert_eq!(password_problem(fine), None, "{fine:?}");
        }
        assert!(
            COMMON_PASSWORDS
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .all(|l| l.chars().count() >= 10)
        );
    }
}
