//! The HTML pages (issue 6): routes that read the store, build the views of `ecociv-web` and send them.
//! Forms call the service layer the JSON API calls ([`crate::service`]), so the workflow, its checks and
//! its audit trail are one; a handler that needs a login takes [`crate::auth::AuthUser`] (without a
//! session, a redirect to the login page). The CSRF guard in front of every route reads the token from the
//! form's `csrf_token` field.
//!
//! - [`pages`]: dashboard, Table 2-1, indicator, air, water (public for disclosed zones); [`noise_soil`]:
//!   声环境与土壤 (public for disclosed zones).
//! - [`forms`]: data entry (department editors) and review (reviewers, admins).
//! - [`portal`]: the public portal — open-data catalogue, DCAT JSON-LD, dataset files, survey results,
//!   the disclosure list.
//! - [`account`]: login, logout, language switch, stylesheet, users and departments (admins).
//!
//! Errors are pages, not JSON: a visitor without a session is sent to the login page; a refusal shows a
//! page in the visitor's language.

pub mod account;
pub mod corrections;
pub mod files;
pub mod forms;
pub mod hierarchy;
pub mod imports;
pub mod ledger;
pub mod noise_soil;
pub mod pages;
pub mod plan;
pub mod portal;
pub mod sites;
pub mod survey;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use ecociv_core::{Framework, Zone};
use ecociv_store::{Selection, ZoneRecord};
use ecociv_web::Lang;
use ecociv_web::layout::urls::paths;
use ecociv_web::layout::{Flash, PageContext, Role, UserBadge, ZoneBadge, render_error};

use crate::AppState;
use crate::auth::{Principal, ZoneRole, cookie};
use crate::error::{ApiError, Code};
use crate::policy;
use crate::routes::Mount;

/// The cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "ecociv_lang";
/// How long the language choice and a survey's device mark are kept.
pub const ONE_YEAR_SECONDS: i64 = 365 * 24 * 3600;

/// One page route: its method, its path (one of [`ecociv_web::layout::urls::paths`], where each page path
/// is written once and the link builders fill it in) and its handler.
#[derive(Debug, Clone, Copy)]
pub struct PageRoute {
    pub method: &'static str,
    pub path: &'static str,
    /// The handler (with its body limit, if any), mounted for this route's method.
    pub handler: Mount,
}

impl PageRoute {
    /// The route's handler, mounted for its method.
    pub fn method_router(&self) -> MethodRouter<AppState> {
        let filter = match self.method {
            "GET" => MethodFilter::GET,
            "POST" => MethodFilter::POST,
            other => panic!(
                "page route {} has the method {other}, which pages do not use",
                self.path
            ),
        };
        (self.handler)(filter)
    }
}

const fn get(path: &'static str, handler: Mount) -> PageRoute {
    PageRoute {
        method: "GET",
        path,
        handler,
    }
}

const fn post(path: &'static str, handler: Mount) -> PageRoute {
    PageRoute {
        method: "POST",
        path,
        handler,
    }
}

/// Every page route with its handler: the router is built from this table ([`router`]), each path is one
/// of [`paths`] (the test `every_page_path_is_routed_and_every_route_is_a_page_path` fails on a path
/// routed but not declared there, or declared but not routed), and the page route × role test walks it —
/// so no page can exist without its access being tested.
pub const ROUTES: &[PageRoute] = &[
    get(paths::HOME, |m| on(m, pages::home)),
    get(paths::STYLESHEET, |m| on(m, account::stylesheet)),
    get(paths::LANG, |m| on(m, account::language)),
    get(paths::LOGIN, |m| on(m, account::login_page)),
    post(paths::LOGIN, |m| on(m, account::login)),
    post(paths::LOGOUT, |m| on(m, account::logout)),
    get(paths::ADMIN_USERS, |m| on(m, account::users)),
    post(paths::ADMIN_USERS, |m| on(m, account::create_user)),
    get(paths::ADMIN_USER, |m| on(m, account::user_page)),
    post(paths::ADMIN_USER, |m| on(m, account::user_post)),
    get(paths::ADMIN_DEPARTMENTS, |m| on(m, account::departments)),
    post(paths::ADMIN_DEPARTMENTS, |m| on(m, account::create_department)),
    post(paths::ADMIN_DEPARTMENT, |m| on(m, account::rename_department)),
    get(paths::DASHBOARD, |m| on(m, pages::dashboard)),
    get(paths::TABLE, |m| on(m, pages::table)),
    get(paths::TABLE_CSV, |m| on(m, pages::table_csv)),
    get(paths::TABLE_XLSX, |m| on(m, pages::table_xlsx)),
    get(paths::OPEN_DATA_JSON, |m| on(m, pages::open_data_json)),
    get(paths::REPORT_DOCX, |m| on(m, pages::report_docx)),
    get(paths::INDICATOR, |m| on(m, pages::indicator)),
    post(paths::REOPEN, |m| on(m, forms::reopen_post)),
    get(paths::AIR, |m| on(m, pages::air)),
    get(paths::WATER, |m| on(m, pages::water)),
    get(paths::NOISE_SOIL, |m| on(m, noise_soil::page)),
    // A monitoring CSV with the bureau's upload form: its file spooled to disk up to
    // `Config::max_monitoring_upload_bytes` (the handler's limit), as the import API's.
    post(paths::MONITORING_UPLOAD, |m| {
        on(m, pages::monitoring_upload).layer(DefaultBodyLimit::disable())
    }),
    post(paths::MONITORING_COMPUTE, |m| on(m, pages::monitoring_compute)),
    // A correction file (issue 19).
    post(paths::MONITORING_CORRECT, |m| {
        on(m, pages::monitoring_correct).layer(DefaultBodyLimit::max(crate::service::corrections::MAX_CORRECTION_BYTES))
    }),
    get(paths::MONITORING_EXAMPLE, |m| on(m, pages::monitoring_example)),
    get(paths::PLAN, |m| on(m, plan::tasks)),
    get(paths::PLAN_TASKS_XLSX, |m| on(m, plan::tasks_xlsx)),
    get(paths::PLAN_PROJECTS, |m| on(m, plan::projects)),
    get(paths::PLAN_PROJECTS_XLSX, |m| on(m, plan::projects_xlsx)),
    get(paths::PLAN_BOARD, |m| on(m, plan::board)),
    post(paths::PLAN_BOARD, |m| on(m, plan::board_post)),
    post(paths::PLAN_ITEM, |m| on(m, plan::item_post)),
    get(paths::PLAN_BULLETIN, |m| on(m, plan::bulletin)),
    get(paths::PLAN_UNITS, |m| on(m, plan::units)),
    get(paths::PLAN_UNIT, |m| on(m, plan::unit)),
    get(paths::PLAN_REPORT, |m| on(m, plan::report)),
    // A progress report with its evidence file.
    post(paths::PLAN_REPORT, |m| {
        on(m, plan::report_post).layer(DefaultBodyLimit::max(crate::csrf::MAX_MULTIPART_BYTES))
    }),
    post(paths::PLAN_REPORT_REVIEW, |m| on(m, plan::review_post)),
    get(paths::ENTRY, |m| on(m, forms::entry_page)),
    // A data-entry form with its evidence files.
    post(paths::ENTRY, |m| {
        on(m, forms::entry_post).layer(DefaultBodyLimit::max(crate::csrf::MAX_MULTIPART_BYTES))
    }),
    get(paths::REVIEW, |m| on(m, forms::review_page)),
    post(paths::REVIEW, |m| on(m, forms::review_batch_post)),
    post(paths::REVIEW_DECIDE, |m| on(m, forms::review_post)),
    get(paths::SURVEY_FORM, |m| on(m, survey::public_form)),
    post(paths::SURVEY_FORM, |m| on(m, survey::public_submit)),
    get(paths::SURVEY_THANKS, |m| on(m, survey::public_thanks)),
    get(paths::SURVEYS, |m| on(m, survey::list)),
    post(paths::SURVEYS, |m| on(m, survey::create)),
    get(paths::SURVEY, |m| on(m, survey::admin)),
    post(paths::SURVEY_PAPER, |m| on(m, survey::paper)),
    // A platform's export (CSV or xlsx).
    post(paths::SURVEY_IMPORT, |m| {
        on(m, survey::import).layer(DefaultBodyLimit::max(ecociv_survey::import::MAX_BYTES))
    }),
    post(paths::SURVEY_CODES, |m| on(m, survey::codes)),
    post(paths::SURVEY_COMPUTE, |m| on(m, survey::compute)),
    // Issue 14 (h14): the public switch and the public portal.
    get(paths::ADMIN_ZONE, |m| on(m, account::zone_public)),
    post(paths::ADMIN_ZONE, |m| on(m, account::zone_public_post)),
    get(paths::OPEN_DATA, |m| on(m, portal::catalogue)),
    get(paths::OPEN_CATALOG, |m| on(m, portal::catalogue_jsonld)),
    get(paths::OPEN_FILE, |m| on(m, portal::file)),
    get(paths::SURVEY_RESULTS, |m| on(m, portal::results)),
    get(paths::DISCLOSURE, |m| on(m, portal::disclosure)),
    get(paths::SURVEY_EXPORT, |m| on(m, survey::export_xlsx)),
    // Issue 15 (h15): the roll-up of a city, a province or the nation.
    get(paths::ROLLUP, |m| on(m, hierarchy::page)),
    get(paths::PEERS, |m| on(m, hierarchy::peers)),
    // Imports for a unit (issue 15): a plan template or a boundary file, spooled to disk up to the handler's
    // limits.
    get(paths::ADMIN_IMPORT, |m| on(m, imports::page)),
    post(paths::ADMIN_IMPORT, |m| {
        on(m, imports::post).layer(DefaultBodyLimit::disable())
    }),
    // Issue 15 (h54): a zone's points on its map; the administrators' import of a points file.
    get(paths::ZONE_MAP, |m| on(m, sites::page)),
    post(paths::ZONE_MAP_SITES, |m| {
        on(m, sites::import).layer(DefaultBodyLimit::max(
            crate::service::sites::MAX_SITES_BYTES + crate::multipart::MAX_TEXT_FIELD,
        ))
    }),
    // Registers (台账), issue 13.
    get(paths::LEDGERS, |m| on(m, ledger::list)),
    post(paths::LEDGERS_COMPUTE, |m| on(m, ledger::compute)),
    get(paths::LEDGER, |m| on(m, ledger::records)),
    get(paths::LEDGER_NEW, |m| on(m, ledger::entry_form)),
    post(paths::LEDGER_NEW, |m| on(m, ledger::entry_post)),
    get(paths::LEDGER_RECORD, |m| on(m, ledger::record)),
    post(paths::LEDGER_EVIDENCE, |m| {
        on(m, ledger::upload_evidence).layer(DefaultBodyLimit::max(crate::csrf::MAX_MULTIPART_BYTES))
    }),
];

/// The page routes, to be merged into [`crate::app`]: every route of [`ROUTES`].
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for route in ROUTES {
        router = router.route(route.path, route.method_router());
    }
    router
}

/// What every page handler needs from the request: the language (the switch's cookie, else zh-CN), the path (for the language switch and
/// the login redirect), and the principal resolved by the guard.
#[derive(Debug, Clone)]
pub struct Web {
    pub lang: Lang,
    pub path: String,
    pub principal: Option<Arc<Principal>>,
}

impl<S: Send + Sync> FromRequestParts<S> for Web {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // Chinese first: zh-CN unless the visitor chose otherwise with the language switch (whatever the
        // browser's Accept-Language says).
        let lang = cookie(&parts.headers, LANG_COOKIE)
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_string(), |pq| pq.as_str().to_string());
        let principal = parts.extensions.get::<Option<Arc<Principal>>>().cloned().flatten();
        Ok(Web { lang, path, principal })
    }
}

/// A page that could not be shown.
#[derive(Debug)]
pub enum WebError {
    /// Not logged in: go to the login page and come back.
    Login {
        next: String,
    },
    Forbidden(Lang),
    NotFound(Lang),
    /// A malformed request (e.g. an unreadable form body).
    BadRequest(Lang),
    Internal(Lang, String),
}

impl WebError {
    /// Maps an API error of a handler the page called.
    pub fn from_api(web: &Web, error: ApiError) -> WebError {
        match error.code {
            Code::Unauthenticated => WebError::Login { next: web.path.clone() },
            Code::Forbidden | Code::CsrfFailed => WebError::Forbidden(web.lang),
            Code::NotFound => WebError::NotFound(web.lang),
            _ => WebError::Internal(web.lang, error.message),
        }
    }
}

impl From<ecociv_store::StoreError> for WebError {
    fn from(error: ecociv_store::StoreError) -> WebError {
        WebError::Internal(Lang::Zh, error.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Login { next } => {
                Redirect::to(&format!("/login?next={}", ecociv_web::layout::urls::encode(&next))).into_response()
            }
            WebError::Forbidden(lang) => {
                message(lang, StatusCode::FORBIDDEN, "error.forbidden_title", "error.forbidden")
            }
            WebError::NotFound(lang) => {
                message(lang, StatusCode::NOT_FOUND, "error.not_found_title", "error.not_found")
            }
            WebError::BadRequest(lang) => message(
                lang,
                StatusCode::BAD_REQUEST,
                "error.bad_request_title",
                "error.bad_request",
            ),
            WebError::Internal(lang, detail) => {
                tracing::error!("页面处理出错 (internal error on a page): {detail}");
                message(
                    lang,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "error.internal_title",
                    "error.internal",
                )
            }
        }
    }
}

/// An error page to be shown inside the visitor's normal layout: [`error_pages`] renders it with the
/// signed-in header, the zone's navigation and a way back.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub title: &'static str,
    pub body: &'static str,
}

fn message(lang: Lang, status: StatusCode, title: &'static str, body: &'static str) -> Response {
    // The plain page (for a caller outside the router), replaced by the full one in `error_pages`.
    let mut response = (
        status,
        Html(render_error(&PageContext::public(lang, "/"), title, body, None)),
    )
        .into_response();
    response.extensions_mut().insert(ErrorPage { title, body });
    response
}

/// Middleware of the whole application: an error page of a page handler ([`ErrorPage`]) is rendered
/// again with the visitor's page context — signed-in header, language, the zone's navigation when the
/// path is a zone's page the visitor may see — and links back.
pub async fn error_pages(
    axum::extract::State(state): axum::extract::State<AppState>,
    web: Web,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let request_id = request.extensions().get::<crate::reqlog::RequestId>().cloned();
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    let zone = match web
        .path
        .strip_prefix("/z/")
        .and_then(|rest| rest.split(['/', '?']).next())
    {
        Some(code) if !code.is_empty() => match state.store.zone(code).await {
            Ok(Some(record))
                if policy::can_see_zone(policy::role(web.principal.as_deref(), code).as_ref(), record.disclosed) =>
            {
                Some(record)
            }
            _ => None,
        },
        _ => None,
    };
    let ctx = context(&web, zone.as_ref(), None, None);
    // A server error names the request, so that the user's report finds the log line.
    let reference = request_id.filter(|_| response.status().is_server_error());
    html(
        response.status(),
        render_error(
            &ctx,
            error.title,
            error.body,
            reference.as_ref().map(|id| id.0.as_str()),
        ),
    )
}

/// Any other path: the JSON error for the API's paths, the page otherwise.
pub async fn not_found(web: Web) -> Response {
    if web.path.starts_with("/api/") {
        ApiError::not_found(&web.path).into_response()
    } else {
        WebError::NotFound(web.lang).into_response()
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// An HTML response that is never cached by intermediaries (pages carry per-user content and tokens).
pub fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A local path to go back to after login or a language switch, else `/`: only a same-site relative
/// path — `/` followed by a character other than `/` or `\` (`//host` and `/\host` are off-site in a
/// browser), printable ASCII only (no control character, whitespace or backslash anywhere: browsers drop
/// tabs and newlines from URLs, so `/\t/host` would become `//host`), at most 2 000 bytes. `next` arrives
/// already percent-decoded; the result is always a valid `Location` header value.
pub fn safe_next(next: Option<&str>) -> String {
    fn safe(next: &str) -> bool {
        let bytes = next.as_bytes();
        bytes.first() == Some(&b'/')
            && !matches!(bytes.get(1), Some(b'/' | b'\\'))
            && bytes.len() <= 2000
            && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\')
    }
    match next {
        Some(next) if safe(next) => next.to_string(),
        _ => "/".to_string(),
    }
}

/// The web role of a principal in a zone (or, without a zone, their strongest role anywhere).
pub fn web_role(principal: &Principal, zone: Option<&str>) -> Option<Role> {
    if principal.user.is_admin {
        return Some(Role::Admin);
    }
    let role = match zone {
        Some(zone) => principal.zone_role(zone),
        None => principal
            .memberships
            .first()
            .and_then(|membership| principal.zone_role(&membership.zone_code)),
    };
    role.map(|role| match role {
        ZoneRole::Admin => Role::Admin,
        ZoneRole::Reviewer => Role::Reviewer,
        ZoneRole::Editor { .. } => Role::Editor,
        ZoneRole::Viewer => Role::Viewer,
    })
}

/// The page context for a request, about `zone` if given. `department` is the editor's department name.
pub fn context(web: &Web, zone: Option<&ZoneRecord>, department: Option<String>, flash: Option<Flash>) -> PageContext {
    let user = web.principal.as_ref().map(|principal| {
        let role = web_role(principal, zone.map(|zone| zone.profile.code.as_str())).unwrap_or(Role::Viewer);
        UserBadge {
            username: principal.user.username.clone(),
            display_name: principal.user.display_name.clone(),
            role,
            department: if role == Role::Editor { department } else { None },
        }
    });
    PageContext {
        lang: web.lang,
        path: web.path.clone(),
        user,
        zone: zone.map(|zone| ZoneBadge {
            code: zone.profile.code.clone(),
            name: zone.profile.name.clone(),
            name_en: zone.profile.name_en.clone(),
        }),
        csrf_token: web
            .principal
            .as_ref()
            .map(|principal| principal.session.csrf_token.clone()),
        flash,
    }
}

/// The zones as the pages read them (profile, plan, approved values), per zone and data version: a page
/// asks the store only for the version (one key lookup) while nothing changed, like the API's assessment
/// cache, so it stays correct across server instances sharing a database. At most 10,000 zones (then
/// cleared).
pub type PageCache = crate::cache::Versioned<String, (ZoneRecord, Zone), 10_000>;

/// A zone the visitor may see, with its approved values and its framework; 404 otherwise (an
/// undisclosed zone and an unknown one answer alike).
pub async fn visible_zone(state: &AppState, web: &Web, code: &str) -> WebResult<(ZoneRecord, Zone, Arc<Framework>)> {
    let role = policy::role(web.principal.as_deref(), code);
    let Some((version, disclosed)) = state.store.zone_state(code).await? else {
        return Err(WebError::NotFound(web.lang));
    };
    if !policy::can_see_zone(role.as_ref(), disclosed) {
        return Err(WebError::NotFound(web.lang));
    }
    let loaded = match state.pages.get(code, version) {
        Some(loaded) => loaded,
        None => {
            let (record, zone) = state.store.load_zone(code, Selection::Approved).await?;
            let loaded = Arc::new((record, zone));
            // Cached under the version read with the data, not the one looked up before.
            state.pages.put(code.to_string(), loaded.0.data_version, loaded.clone());
            loaded
        }
    };
    let framework = state.store.framework(&loaded.0.framework_id).await?;
    Ok((loaded.0.clone(), loaded.1.clone(), framework))
}

/// The framework edition a year of the zone is judged under (issue 15): `current` (the zone's edition now,
/// as [`visible_zone`] gives it) unless the zone adopted a newer edition after that year.
pub async fn year_framework(
    state: &AppState,
    record: &ZoneRecord,
    current: Arc<Framework>,
    year: i32,
) -> WebResult<Arc<Framework>> {
    let id = record.editions.for_year(year);
    if id == current.id {
        return Ok(current);
    }
    Ok(state.store.framework(id).await?)
}

/// The name of an editor's department in a zone.
pub async fn department_name(state: &AppState, principal: &Principal, code: &str) -> WebResult<Option<String>> {
    match principal.zone_role(code) {
        Some(ZoneRole::Editor { department }) => Ok(state
            .store
            .departments(code)
            .await?
            .into_iter()
            .find(|d| d.id == department)
            .map(|d| d.name)),
        _ => Ok(None),
    }
}

/// The years a zone's pages offer: from the first year on record (or the base year) to 2030.
pub fn years(zone: &Zone, base_year: i32) -> Vec<i32> {
    let first = zone.years().first().copied().unwrap_or(base_year).min(base_year);
    (first..=2030.max(base_year)).collect()
}

/// The year asked for in the query, or the latest year with a value (or the base year).
pub fn year_or_default(query: &BTreeMap<String, String>, zone: &Zone, base_year: i32) -> i32 {
    query
        .get("year")
        .and_then(|year| year.parse::<i32>().ok())
        .filter(|year| ecociv_core::value::YEARS.contains(year))
        .unwrap_or_else(|| zone.years().last().copied().unwrap_or(base_year))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{ROUTES, paths, router};

    /// Each page path has one home, `ecociv_web::layout::urls::paths` (the link builders fill it in): the
    /// route table mounts every declared path and routes no other, names each path by its constant (no
    /// path written out in the table), and has no (method, path) twice. So a page added in one place only
    /// — a path declared but not routed, or routed without being declared — fails here.
    #[test]
    fn every_page_path_is_routed_and_every_route_is_a_page_path() {
        let declared: BTreeSet<&str> = paths::ALL.iter().copied().collect();
        let routed: BTreeSet<&str> = ROUTES.iter().map(|route| route.path).collect();
        let unrouted: Vec<&str> = declared.difference(&routed).copied().collect();
        let undeclared: Vec<&str> = routed.difference(&declared).copied().collect();
        assert!(unrouted.is_empty(), "page paths declared but not routed: {unrouted:?}");
        assert!(
            undeclared.is_empty(),
            "page routes whose path is not declared in ecociv_web::layout::urls::paths: {undeclared:?}"
        );
        let mut operations: Vec<(&str, &str)> = ROUTES.iter().map(|route| (route.method, route.path)).collect();
        operations.sort_unstable();
        let before = operations.len();
        operations.dedup();
        assert_eq!(
            operations.len(),
            before,
            "a (method, path) twice in the page route table"
        );
        // The table names each path by its constant: no path literal between its first and last line.
        let source = include_str!("mod.rs");
        let start = source
            .find("pub const ROUTES: &[PageRoute] = &[")
            .expect("the route table");
        let table = &source[start..start + source[start..].find("\n];").expect("the table's end")];
        let literals: Vec<&str> = table.lines().filter(|line| line.contains("\"/")).collect();
        assert!(
            literals.is_empty(),
            "page paths written out in the route table: {literals:?}"
        );
        // Mounting every route succeeds (axum refuses a method mounted twice on one path).
        let _ = router();
    }
}
