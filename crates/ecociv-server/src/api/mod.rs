//! The JSON API under `/api/v1`. The router is built from [`crate::routes::ROUTES`]; each handler lives
//! in the module of its resource.

pub mod auth;
pub mod corrections;
pub mod evidence;
pub mod hierarchy;
pub mod import;
pub mod ledger;
pub mod meta;
pub mod monitoring;
pub mod plan;
pub mod survey;
pub mod users;
pub mod values;
pub mod zones;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post, put};

use crate::AppState;
use crate::error::ApiError;
use crate::routes::{ROUTES, RouteSpec};

/// The largest import body (CSV or JSON).
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;

fn handler(spec: &RouteSpec) -> MethodRouter<AppState> {
    match (spec.method, spec.path) {
        ("GET", "/api/v1/openapi.json") => get(meta::openapi),
        ("GET", "/api/v1/health") => get(meta::health),
        ("GET", "/api/v1/auth/csrf") => get(auth::csrf),
        ("POST", "/api/v1/auth/login") => post(auth::login),
        ("POST", "/api/v1/auth/logout") => post(auth::logout),
        ("GET", "/api/v1/me") => get(auth::me),
        ("GET", "/api/v1/frameworks/{id}") => get(zones::framework),
        ("GET", "/api/v1/zones") => get(zones::list),
        ("GET", "/api/v1/zones/{code}") => get(zones::profile),
        ("GET", "/api/v1/zones/{code}/plan") => get(zones::plan),
        ("GET", "/api/v1/zones/{code}/assessment") => get(zones::assessment),
        ("GET", "/api/v1/zones/{code}/progress") => get(zones::progress),
        ("GET", "/api/v1/zones/{code}/departments") => get(zones::departments),
        ("GET", "/api/v1/zones/{code}/values") => get(values::list),
        ("GET", "/api/v1/zones/{code}/values/{row}/{year}/history") => get(values::history),
        ("PUT", "/api/v1/zones/{code}/values/{row}/{year}") => put(values::save),
        ("POST", "/api/v1/zones/{code}/values/{row}/{year}/submit") => post(values::submit),
        ("POST", "/api/v1/zones/{code}/values/{row}/{year}/approve") => post(values::approve),
        ("POST", "/api/v1/zones/{code}/values/{row}/{year}/return") => post(values::return_),
        ("POST", "/api/v1/zones/{code}/values/{row}/{year}/reopen") => post(values::reopen),
        ("POST", "/api/v1/zones/{code}/import") => post(import::import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        ("GET", "/api/v1/zones/{code}/values/{row}/{year}/evidence") => get(evidence::list),
        ("POST", "/api/v1/zones/{code}/values/{row}/{year}/evidence") => {
            post(evidence::upload).layer(DefaultBodyLimit::max(evidence::MAX_EVIDENCE_BYTES))
        }
        ("GET", "/api/v1/zones/{code}/evidence/{id}") => get(evidence::download),
        ("GET", "/api/v1/zones/{code}/monitoring") => get(monitoring::summary),
        ("POST", "/api/v1/zones/{code}/monitoring/compute") => post(monitoring::compute),
        ("POST", "/api/v1/zones/{code}/monitoring/import/{kind}") => {
            // Spooled to disk up to `Config::max_monitoring_upload_bytes` (the handler's limit).
            post(monitoring::import).layer(DefaultBodyLimit::disable())
        }
        // Corrections of monitoring data, issue 19.
        ("POST", "/api/v1/zones/{code}/monitoring/corrections/{kind}") => {
            post(corrections::correct).layer(DefaultBodyLimit::max(crate::service::corrections::MAX_CORRECTION_BYTES))
        }
        ("GET", "/api/v1/zones/{code}/monitoring/corrections") => get(corrections::batches),
        ("GET", "/api/v1/zones/{code}/monitoring/history/{kind}") => get(corrections::history),
        ("GET", "/api/v1/zones/{code}/monitoring/stale") => get(corrections::stale),
        ("GET", "/api/v1/zones/{code}/plan/measures") => get(plan::measures),
        ("GET", "/api/v1/zones/{code}/plan/projects") => get(plan::projects),
        ("POST", "/api/v1/zones/{code}/plan/ledger") => {
            post(plan::ledger).layer(DefaultBodyLimit::max(plan::MAX_LEDGER_BYTES))
        }
        ("GET", "/api/v1/zones/{code}/plan/reports") => get(plan::reports),
        ("POST", "/api/v1/zones/{code}/plan/reports/{subject}/{period}/submit") => post(plan::submit),
        ("POST", "/api/v1/zones/{code}/plan/reports/{subject}/{period}/approve") => post(plan::approve),
        ("POST", "/api/v1/zones/{code}/plan/reports/{subject}/{period}/return") => post(plan::return_),
        ("POST", "/api/v1/zones/{code}/plan/reports/{subject}/{period}/evidence") => {
            post(plan::upload).layer(DefaultBodyLimit::max(plan::MAX_PLAN_EVIDENCE_BYTES))
        }
        ("GET", "/api/v1/zones/{code}/plan/evidence/{evidence_id}") => get(plan::download),
        ("GET", "/api/v1/zones/{code}/plan/supervision") => get(plan::supervision),
        ("POST", "/api/v1/zones/{code}/plan/supervision") => post(plan::add_item),
        ("POST", "/api/v1/zones/{code}/plan/supervision/{item}/respond") => post(plan::respond),
        ("POST", "/api/v1/zones/{code}/plan/supervision/{item}/close") => post(plan::close),
        ("GET", "/api/v1/zones/{code}/plan/scores") => get(plan::scores),
        ("GET", "/api/v1/users") => get(users::list),
        ("POST", "/api/v1/users") => post(users::create),
        ("PUT", "/api/v1/zones/{code}/members/{user_id}") => put(users::set_member),
        ("PUT", "/api/v1/users/{user_id}") => put(users::update),
        ("PUT", "/api/v1/users/{user_id}/password") => put(users::set_password),
        ("POST", "/api/v1/zones/{code}/departments") => post(users::create_department),
        ("PUT", "/api/v1/zones/{code}/departments/{department_id}") => put(users::rename_department),
        ("GET", "/api/v1/audit") => get(users::audit),
        ("GET", "/api/v1/zones/{code}/surveys") => get(survey::list),
        ("GET", "/api/v1/zones/{code}/surveys/{survey}") => get(survey::show),
        ("POST", "/api/v1/zones/{code}/surveys/{survey}/compute") => post(survey::compute),
        // Issue 14 (h14).
        ("PUT", "/api/v1/zones/{code}/public") => put(users::set_public),
        ("PUT", "/api/v1/zones/{code}/licence") => put(users::set_licence),
        // Issue 15 (h15).
        ("POST", "/api/v1/zones") => post(hierarchy::create).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        ("GET", "/api/v1/zones/{code}/export") => get(hierarchy::export),
        ("PUT", "/api/v1/units/{code}/roles/{user_id}") => put(hierarchy::grant),
        ("GET", "/api/v1/rollup/{code}") => get(hierarchy::get_rollup),
        ("GET", "/api/v1/rollup/{code}/rollup.xlsx") => get(hierarchy::rollup_xlsx),
        ("GET", "/api/v1/rollup/{code}/summary.docx") => get(hierarchy::rollup_docx),
        ("GET", "/api/v1/zones/{code}/peers") => get(hierarchy::peers),
        // Registers (台账), issue 13.
        ("GET", "/api/v1/zones/{code}/ledgers") => get(ledger::kinds),
        ("GET", "/api/v1/zones/{code}/ledgers/derived") => get(ledger::derived),
        ("POST", "/api/v1/zones/{code}/ledgers/compute") => post(ledger::compute),
        ("GET", "/api/v1/zones/{code}/ledgers/{ledger}") => get(ledger::records),
        ("GET", "/api/v1/zones/{code}/ledgers/{ledger}/records/{record}") => get(ledger::record),
        ("GET", "/api/v1/zones/{code}/ledgers/{ledger}/template.xlsx") => get(ledger::template),
        ("POST", "/api/v1/zones/{code}/ledgers/{ledger}/records/{record}/evidence") => {
            post(ledger::upload_evidence).layer(DefaultBodyLimit::max(evidence::MAX_EVIDENCE_BYTES))
        }
        ("GET", "/api/v1/zones/{code}/ledger-evidence/{id}") => get(ledger::download_evidence),
        ("POST", "/api/v1/zones/{code}/ledgers/{ledger}/import") => {
            post(ledger::import).layer(DefaultBodyLimit::max(crate::service::ledger::MAX_LEDGER_BYTES))
        }
        (method, path) => panic!("route {method} {path} is in ROUTES but has no handler"),
    }
}

/// The API router: every route of [`ROUTES`], a JSON 404 for the rest of `/api/`, and every error —
/// the framework's rejections and wrong methods included — in the JSON shape ([`crate::error::json_errors`]).
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for spec in ROUTES {
        router = router.route(spec.path, handler(spec));
    }
    router
        .route("/api/{*rest}", axum::routing::any(not_found))
        .route("/api", axum::routing::any(not_found))
        .route("/api/", axum::routing::any(not_found))
        .layer(axum::middleware::map_response(crate::error::json_errors))
}

async fn not_found() -> ApiError {
    ApiError::not_found("API 路径 (API route)")
}
