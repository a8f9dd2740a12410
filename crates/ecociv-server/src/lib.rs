//! ecociv's multi-user server: the JSON API under `/api/v1` over [`ecociv_store::Store`].
//!
//! Layout:
//! - [`app`] builds the router: the API ([`api::router`]), then the request guard ([`csrf::guard`]) that
//!   resolves the session and refuses state-changing requests without a valid CSRF token. The HTML pages
//!   ([`web::router`], issue 6) sit behind the same guard and use the same session, policy and handlers.
//! - [`service`] holds every write and the checks before it, called by the API's handlers and the pages'
//!   forms alike; [`auth::AuthUser`] is the one signed-in extractor of both.
//! - [`policy`] decides every authorisation (who may read or write what); [`workflow`] the value
//!   workflow's transitions; [`validate`] checks values on entry. All three are pure.
//! - [`error::ApiError`] is the one error type (JSON with a stable code).
//! - [`reqlog`] is the outermost layer: every request's id (`X-Request-Id`) and its one log line.
//! - [`openapi`] describes every route of [`routes::ROUTES`] — the table the route × role tests walk.
//!
//! Invariant: every authorisation decision is made here, on the server, from the session; nothing the
//! client says about itself is trusted.

pub mod api;
pub mod assessments;
pub mod auth;
pub mod cache;
pub mod csrf;
pub mod demo;
pub mod error;
pub mod monitoring_results;
pub mod multipart;
pub mod noise_soil;
pub mod openapi;
pub mod plan;
pub mod policy;
pub mod ratelimit;
pub mod reqlog;
pub mod routes;
pub mod service;
pub mod spool;
pub mod validate;
pub mod web;
pub mod work;
pub mod workflow;

use std::sync::Arc;

use axum::Router;
use ecociv_store::Store;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (default). Off only for plain-HTTP intranets.
    pub secure_cookies: bool,
    /// Failed logins in a row before an account is locked.
    pub max_failed_logins: i64,
    /// How long a locked account stays locked, in seconds.
    pub lock_seconds: i64,
    /// Failed logins allowed per client address per window before it is throttled.
    pub max_failures_per_address: u32,
    /// The throttling window, in seconds.
    pub address_window_seconds: u64,
    /// The byte budget of the in-memory assessment cache ([`cache::AssessmentCache`]).
    pub assessment_cache_bytes: usize,
    /// How long the assessment endpoint may use a zone's data version from memory
    /// ([`ecociv_store::Store::set_zone_head_max_age`]): writes through this server are seen at once,
    /// writes by another process (another instance, the command line) within this time. Zero: the version
    /// is read from the database on every request.
    pub zone_head_max_age: std::time::Duration,
    /// The day supervision and scores are computed for (`ecociv_plan`'s "today"); `None`: today in
    /// Beijing time. Tests and demos of a past quarter set it.
    pub plan_today: Option<ecociv_plan::Date>,
    /// Public survey submissions allowed per client address per window ([`web::survey`]).
    pub max_survey_submissions_per_address: u32,
    /// That window, in seconds.
    pub survey_window_seconds: u64,
    /// Ledger kinds beyond the bundled ones, as (file name, TOML text): a new register is a data file
    /// (`ecociv serve --ledger-kinds DIR`; [`service::ledger::kinds`]).
    pub ledger_kinds: Vec<(String, String)>,
    /// The largest monitoring file the import route takes, in bytes (issue 19: spooled to a temporary
    /// file and stored as a stream, so the server's memory does not grow with it; `ecociv serve
    /// --max-monitoring-upload-mb`).
    pub max_monitoring_upload_bytes: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: true,
            max_failed_logins: 5,
            lock_seconds: 15 * 60,
            max_failures_per_address: 20,
            address_window_seconds: 15 * 60,
            assessment_cache_bytes: cache::DEFAULT_ASSESSMENT_CACHE_BYTES,
            zone_head_max_age: std::time::Duration::from_secs(1),
            plan_today: None,
            // A household or an office behind one address answers a few times; a script does not get far.
            max_survey_submissions_per_address: 30,
            survey_window_seconds: 10 * 60,
            ledger_kinds: Vec::new(),
            max_monitoring_upload_bytes: DEFAULT_MAX_MONITORING_UPLOAD_BYTES,
        }
    }
}

/// The default of [`Config::max_monitoring_upload_bytes`]: 4 GiB (a province's year of hourly air data
/// is about 1 GB).
pub const DEFAULT_MAX_MONITORING_UPLOAD_BYTES: u64 = 4 << 30;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Compressed assessment JSON in memory, bounded by bytes ([`assessments`] explains the layers).
    pub cache: Arc<cache::AssessmentCache>,
    /// Zone records and plans per data version (the assessment endpoint).
    pub zones: Arc<cache::ZoneCache>,
    pub limiter: Arc<ratelimit::LoginLimiter>,
    /// Public survey submissions per client address (a count per window: nothing is given back).
    pub survey_limiter: Arc<ratelimit::LoginLimiter>,
    /// The zones as the HTML pages read them, per data version.
    pub pages: Arc<web::PageCache>,
    /// The air/water pages' recomputations running in the background ([`monitoring_results`]).
    pub monitoring: Arc<monitoring_results::Refreshing>,
    /// The imports running, with their progress ([`spool::Imports`]).
    pub imports: Arc<spool::Imports>,
    /// The roll-up pages' map layers per scope and boundary version (issue 15).
    pub maps: Arc<service::maps::MapCache>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        let limiter = ratelimit::LoginLimiter::new(config.max_failures_per_address, config.address_window_seconds);
        let cache = Arc::new(cache::AssessmentCache::with_budget(config.assessment_cache_bytes));
        let survey_limiter =
            ratelimit::LoginLimiter::new(config.max_survey_submissions_per_address, config.survey_window_seconds);
        store.set_zone_head_max_age(config.zone_head_max_age);
        AppState {
            store,
            config: Arc::new(config),
            cache,
            zones: Arc::default(),
            limiter: Arc::new(limiter),
            survey_limiter: Arc::new(survey_limiter),
            pages: Arc::default(),
            monitoring: Arc::default(),
            imports: Arc::default(),
            maps: Arc::default(),
        }
    }
}

/// The whole application. Pages from `web::router()` are to be merged here, before the guard layer; the
/// security headers go on every response, the guard's refusals included.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(web::router())
        .fallback(web::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::error_pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::guard))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn(reqlog::request_log))
        .with_state(state)
}

/// The Content-Security-Policy of every response. The pages have no script and no inline style (one
/// stylesheet, `/assets/ecociv.css`; charts are inline SVG elements, not images), so: nothing but the
/// site's own stylesheet and images, forms only to the site, never in a frame, no `<base>`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// OWASP's headers for every response (ASVS V14.4): CSP, no framing (`frame-ancestors` and the older
/// `X-Frame-Options`), no MIME sniffing, and no full URL (with a zone or a query) sent to other sites.
pub async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// Warnings to print when the server starts with `config` on `listen`: `Secure` cookies on an address
/// other machines reach over plain HTTP (browsers do not send them back, so login fails silently), or
/// cookies without `Secure`.
pub fn startup_warnings(config: &Config, listen: std::net::SocketAddr) -> Vec<String> {
    let mut warnings = Vec::new();
    if config.secure_cookies && !listen.ip().is_loopback() {
        warnings.push(format!(
            "警告：Cookie 带 Secure 标记，而监听地址 {listen} 不只在本机：浏览器只经 HTTPS 回传这些 Cookie，\
             从其他机器经纯 HTTP 访问将无法登录。请在前面放置 HTTPS 反向代理（见 README“在 HTTPS 反向代理后运行”），\
             或仅在受信任的内网使用 --insecure-cookies。(warning: Secure cookies on {listen}: over plain HTTP from \
             another machine, login fails; put a TLS reverse proxy in front, or use --insecure-cookies on a trusted \
             intranet)"
        ));
    }
    if !config.secure_cookies {
        warnings.push(
            "警告：Cookie 未设置 Secure，仅可用于受信任的内网 (warning: cookies without Secure: trusted intranets only)"
                .to_string(),
        );
    }
    warnings
}

/// The address to open in a browser: the web interface at `/` (an unspecified listen address is shown as
/// this machine's loopback address).
pub fn web_address(listen: std::net::SocketAddr) -> String {
    let mut shown = listen;
    if listen.ip().is_unspecified() {
        shown.set_ip(match listen {
            std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{shown}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_cookies_on_a_reachable_address_are_warned_about() {
        let secure = Config::default();
        let loopback: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let everywhere: std::net::SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let lan: std::net::SocketAddr = "192.168.1.5:8080".parse().unwrap();
        assert!(startup_warnings(&secure, loopback).is_empty());
        assert_eq!(startup_warnings(&secure, everywhere).len(), 1);
        assert!(startup_warnings(&secure, lan)[0].contains("--insecure-cookies"));
        let insecure = Config {
            secure_cookies: false,
            ..Config::default()
        };
        assert_eq!(startup_warnings(&insecure, loopback).len(), 1);
        assert_eq!(web_address(loopback), "http://127.0.0.1:8080/");
        assert_eq!(web_address(everywhere), "http://127.0.0.1:8080/");
        assert_eq!(web_address("[::]:80".parse().unwrap()), "http://[::1]:80/");
    }
}
