//! ecociv's multi-user server: the JSON API under `/api/v1` over [`ecociv_store::Store`].
//!
//! Layout:
//! - [`app`] builds the router: the API ([`api::router`]), then the request guard ([`csrf::guard`]) that
//!   resolves the session and refuses state-changing requests without a valid CSRF token. The HTML pages
//!   ([`web::router`], issue 6) sit behind the same guard and use the same session, policy and handlers.
//! - [`policy`] decides every authorisation (who may read or write what); [`workflow`] the value
//!   workflow's transitions; [`validate`] checks values on entry. All three are pure.
//! - [`error::ApiError`] is the one error type (JSON with a stable code).
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
pub mod multipart;
pub mod openapi;
pub mod policy;
pub mod ratelimit;
pub mod routes;
pub mod validate;
pub mod web;
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
        }
    }
}

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
    /// The zones as the HTML pages read them, per data version.
    pub pages: Arc<web::PageCache>,
    /// Figures computed from monitoring data, per zone and files imported ([`api::monitoring`]).
    pub monitoring: Arc<api::monitoring::MonitoringCache>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        let limiter = ratelimit::LoginLimiter::new(config.max_failures_per_address, config.address_window_seconds);
        let cache = Arc::new(cache::AssessmentCache::with_budget(config.assessment_cache_bytes));
        store.set_zone_head_max_age(config.zone_head_max_age);
        AppState {
            store,
            config: Arc::new(config),
            cache,
            zones: Arc::default(),
            limiter: Arc::new(limiter),
            pages: Arc::default(),
            monitoring: Arc::default(),
        }
    }
}

/// The whole application. Pages from `web::router()` are to be merged here, before the guard layer.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(web::router())
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::guard))
        .with_state(state)
}
