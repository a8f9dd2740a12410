//! The JSON API under `/api/v1`. The router is built from [`crate::routes::ROUTES`], which names each
//! route's handler; each handler lives in the module of its resource.

pub mod auth;
pub mod corrections;
pub mod evidence;
pub mod hierarchy;
pub mod import;
pub mod ledger;
pub mod meta;
pub mod monitoring;
pub mod plan;
pub mod sites;
pub mod survey;
pub mod users;
pub mod values;
pub mod zones;

use axum::Router;

use crate::AppState;
use crate::error::ApiError;
use crate::routes::ROUTES;

/// The largest import body (CSV or JSON).
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;

/// The API router: every route of [`ROUTES`], a JSON 404 for the rest of `/api/`, and every error —
/// the framework's rejections and wrong methods included — in the JSON shape ([`crate::error::json_errors`]).
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for spec in ROUTES {
        router = router.route(spec.path, spec.method_router());
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
