//! The HTML pages (issue 6): routes that read the store, build the views of `ecociv-web` and send them.
//! Forms call the service layer the JSON API calls ([`crate::service`]), so the workflow, its checks and
//! its audit trail are one; a handler that needs a login takes [`crate::auth::AuthUser`] (without a
//! session, a redirect to the login page). The CSRF guard in front of every route reads the token from the
//! form's `csrf_token` field.
//!
//! - [`pages`]: dashboard, Table 2-1, indicator, air, water (public for disclosed zones).
//! - [`forms`]: data entry (department editors) and review (reviewers, admins).
//! - [`portal`]: the public portal — open-data catalogue, DCAT JSON-LD, dataset files, survey results,
//!   the disclosure list.
//! - [`account`]: login, logout, language switch, stylesheet, users and departments (admins).
//!
//! Errors are pages, not JSON: a visitor without a session is sent to the login page; a refusal shows a
//! page in the visitor's language.

pub mod account;
pub mod corrections;
pub mod forms;
pub mod hierarchy;
pub mod ledger;
pub mod pages;
pub mod plan;
pub mod portal;
pub mod survey;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use ecociv_core::{Framework, Zone};
use ecociv_store::{Selection, ZoneRecord};
use ecociv_web::Lang;
use ecociv_web::layout::{Flash, PageContext, Role, UserBadge, ZoneBadge, render_error};

use crate::AppState;
use crate::auth::{Principal, ZoneRole, cookie};
use crate::error::{ApiError, Code};
use crate::policy;

/// The cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "ecociv_lang";
/// How long the language choice and a survey's device mark are kept.
pub const ONE_YEAR_SECONDS: i64 = 365 * 24 * 3600;

/// Every page route: (method, path). The router is built from this list ([`router`]), and the page
/// route × role test walks it — so no page can exist without its access being tested.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/assets/ecociv.css"),
    ("GET", "/lang/{lang}"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("GET", "/admin/users/{id}"),
    ("POST", "/admin/users/{id}"),
    ("GET", "/admin/departments"),
    ("POST", "/admin/departments"),
    ("POST", "/admin/departments/{id}"),
    ("GET", "/z/{code}"),
    ("GET", "/z/{code}/table"),
    ("GET", "/z/{code}/table.csv"),
    ("GET", "/z/{code}/table.xlsx"),
    ("GET", "/z/{code}/data.json"),
    ("GET", "/z/{code}/report.docx"),
    ("GET", "/z/{code}/indicators/{row}"),
    ("POST", "/z/{code}/indicators/{row}/reopen"),
    ("GET", "/z/{code}/air"),
    ("GET", "/z/{code}/water"),
    ("POST", "/z/{code}/monitoring/upload"),
    ("POST", "/z/{code}/monitoring/compute"),
    ("POST", "/z/{code}/monitoring/correct"),
    ("GET", "/monitoring/example/{file}"),
    ("GET", "/z/{code}/plan"),
    ("GET", "/z/{code}/plan/tasks.xlsx"),
    ("GET", "/z/{code}/plan/projects"),
    ("GET", "/z/{code}/plan/projects.xlsx"),
    ("GET", "/z/{code}/plan/supervision"),
    ("POST", "/z/{code}/plan/supervision"),
    ("POST", "/z/{code}/plan/supervision/{item}"),
    ("GET", "/z/{code}/plan/bulletin.docx"),
    ("GET", "/z/{code}/plan/units"),
    ("GET", "/z/{code}/plan/units/{unit}"),
    ("GET", "/z/{code}/plan/reports/{subject}/{period}"),
    ("POST", "/z/{code}/plan/reports/{subject}/{period}"),
    ("POST", "/z/{code}/plan/reports/{subject}/{period}/review"),
    ("GET", "/z/{code}/entry"),
    ("POST", "/z/{code}/entry"),
    ("GET", "/z/{code}/review"),
    ("POST", "/z/{code}/review"),
    ("POST", "/z/{code}/review/{submission}"),
    ("GET", "/s/{code}/{survey}"),
    ("POST", "/s/{code}/{survey}"),
    ("GET", "/s/{code}/{survey}/thanks"),
    ("GET", "/z/{code}/surveys"),
    ("POST", "/z/{code}/surveys"),
    ("GET", "/z/{code}/surveys/{survey}"),
    ("POST", "/z/{code}/surveys/{survey}/paper"),
    ("POST", "/z/{code}/surveys/{survey}/import"),
    ("POST", "/z/{code}/surveys/{survey}/codes"),
    ("POST", "/z/{code}/surveys/{survey}/compute"),
    // Issue 14 (h14): the public switch and the public portal.
    ("GET", "/admin/zone"),
    ("POST", "/admin/zone"),
    ("GET", "/z/{code}/open"),
    ("GET", "/z/{code}/open/catalog.jsonld"),
    ("GET", "/z/{code}/open/{file}"),
    ("GET", "/z/{code}/results"),
    ("GET", "/z/{code}/disclosure"),
    ("GET", "/z/{code}/surveys/{survey}/export.xlsx"),
    // Issue 15 (h15): the roll-up of a city, a province or the nation.
    ("GET", "/rollup/{code}"),
    ("GET", "/z/{code}/peers"),
    // Registers (台账), issue 13.
    ("GET", "/z/{code}/ledgers"),
    ("POST", "/z/{code}/ledgers/compute"),
    ("GET", "/z/{code}/ledgers/{ledger}"),
    ("GET", "/z/{code}/ledgers/{ledger}/new"),
    ("POST", "/z/{code}/ledgers/{ledger}/new"),
    ("GET", "/z/{code}/ledgers/{ledger}/records/{record}"),
    ("POST", "/z/{code}/ledgers/{ledger}/records/{record}/evidence"),
];

fn handler(method: &str, path: &str) -> MethodRouter<AppState> {
    match (method, path) {
        ("GET", "/") => get(pages::home),
        ("GET", "/assets/ecociv.css") => get(account::stylesheet),
        ("GET", "/lang/{lang}") => get(account::language),
        ("GET", "/login") => get(account::login_page),
        ("POST", "/login") => post(account::login),
        ("POST", "/logout") => post(account::logout),
        ("GET", "/admin/users") => get(account::users),
        ("POST", "/admin/users") => post(account::create_user),
        ("GET", "/admin/users/{id}") => get(account::user_page),
        ("POST", "/admin/users/{id}") => post(account::user_post),
        ("GET", "/admin/departments") => get(account::departments),
        ("POST", "/admin/departments") => post(account::create_department),
        ("POST", "/admin/departments/{id}") => post(account::rename_department),
        ("GET", "/z/{code}") => get(pages::dashboard),
        ("GET", "/z/{code}/table") => get(pages::table),
        ("GET", "/z/{code}/table.csv") => get(pages::table_csv),
        ("GET", "/z/{code}/table.xlsx") => get(pages::table_xlsx),
        ("GET", "/z/{code}/data.json") => get(pages::open_data_json),
        ("GET", "/z/{code}/report.docx") => get(pages::report_docx),
        ("GET", "/z/{code}/indicators/{row}") => get(pages::indicator),
        ("POST", "/z/{code}/indicators/{row}/reopen") => post(forms::reopen_post),
        ("GET", "/z/{code}/air") => get(pages::air),
        ("GET", "/z/{code}/water") => get(pages::water),
        // A monitoring CSV with the bureau's upload form: its file spooled to disk up to
        // `Config::max_monitoring_upload_bytes` (the handler's limit), as the import API's.
        ("POST", "/z/{code}/monitoring/upload") => {
            post(pages::monitoring_upload).layer(axum::extract::DefaultBodyLimit::disable())
        }
        ("POST", "/z/{code}/monitoring/compute") => post(pages::monitoring_compute),
        // A correction file (issue 19).
        ("POST", "/z/{code}/monitoring/correct") => post(pages::monitoring_correct).layer(
            axum::extract::DefaultBodyLimit::max(crate::service::corrections::MAX_CORRECTION_BYTES),
        ),
        ("GET", "/monitoring/example/{file}") => get(pages::monitoring_example),
        ("GET", "/z/{code}/plan") => get(plan::tasks),
        ("GET", "/z/{code}/plan/tasks.xlsx") => get(plan::tasks_xlsx),
        ("GET", "/z/{code}/plan/projects") => get(plan::projects),
        ("GET", "/z/{code}/plan/projects.xlsx") => get(plan::projects_xlsx),
        ("GET", "/z/{code}/plan/supervision") => get(plan::board),
        ("POST", "/z/{code}/plan/supervision") => post(plan::board_post),
        ("POST", "/z/{code}/plan/supervision/{item}") => post(plan::item_post),
        ("GET", "/z/{code}/plan/bulletin.docx") => get(plan::bulletin),
        ("GET", "/z/{code}/plan/units") => get(plan::units),
        ("GET", "/z/{code}/plan/units/{unit}") => get(plan::unit),
        ("GET", "/z/{code}/plan/reports/{subject}/{period}") => get(plan::report),
        // A progress report with its evidence file.
        ("POST", "/z/{code}/plan/reports/{subject}/{period}") => {
            post(plan::report_post).layer(axum::extract::DefaultBodyLimit::max(crate::csrf::MAX_MULTIPART_BYTES))
        }
        ("POST", "/z/{code}/plan/reports/{subject}/{period}/review") => post(plan::review_post),
        ("GET", "/z/{code}/entry") => get(forms::entry_page),
        // A data-entry form with its evidence files.
        ("POST", "/z/{code}/entry") => {
            post(forms::entry_post).layer(axum::extract::DefaultBodyLimit::max(crate::csrf::MAX_MULTIPART_BYTES))
        }
        ("GET", "/z/{code}/review") => get(forms::review_page),
        ("POST", "/z/{code}/review") => post(forms::review_batch_post),
        ("POST", "/z/{code}/review/{submission}") => post(forms::review_post),
        ("GET", "/s/{code}/{survey}") => get(survey::public_form),
        ("POST", "/s/{code}/{survey}") => post(survey::public_submit),
        ("GET", "/s/{code}/{survey}/thanks") => get(survey::public_thanks),
        ("GET", "/z/{code}/surveys") => get(survey::list),
        ("POST", "/z/{code}/surveys") => post(survey::create),
        ("GET", "/z/{code}/surveys/{survey}") => get(survey::admin),
        ("POST", "/z/{code}/surveys/{survey}/paper") => post(survey::paper),
        // A platform's export (CSV or xlsx).
        ("POST", "/z/{code}/surveys/{survey}/import") => {
            post(survey::import).layer(axum::extract::DefaultBodyLimit::max(ecociv_survey::import::MAX_BYTES))
        }
        ("POST", "/z/{code}/surveys/{survey}/codes") => post(survey::codes),
        ("POST", "/z/{code}/surveys/{survey}/compute") => post(survey::compute),
        // Issue 14 (h14).
        ("GET", "/admin/zone") => get(account::zone_public),
        ("POST", "/admin/zone") => post(account::zone_public_post),
        ("GET", "/z/{code}/open") => get(portal::catalogue),
        ("GET", "/z/{code}/open/catalog.jsonld") => get(portal::catalogue_jsonld),
        ("GET", "/z/{code}/open/{file}") => get(portal::file),
        ("GET", "/z/{code}/results") => get(portal::results),
        ("GET", "/z/{code}/disclosure") => get(portal::disclosure),
        // Issue 15 (h15).
        ("GET", "/rollup/{code}") => get(hierarchy::page),
        ("GET", "/z/{code}/peers") => get(hierarchy::peers),
        ("GET", "/z/{code}/surveys/{survey}/export.xlsx") => get(survey::export_xlsx),
        ("GET", "/z/{code}/ledgers") => get(ledger::list),
        ("POST", "/z/{code}/ledgers/compute") => post(ledger::compute),
        ("GET", "/z/{code}/ledgers/{ledger}") => get(ledger::records),
        ("GET", "/z/{code}/ledgers/{ledger}/new") => get(ledger::entry_form),
        ("POST", "/z/{code}/ledgers/{ledger}/new") => post(ledger::entry_post),
        ("GET", "/z/{code}/ledgers/{ledger}/records/{record}") => get(ledger::record),
        ("POST", "/z/{code}/ledgers/{ledger}/records/{record}/evidence") => {
            post(ledger::upload_evidence).layer(axum::extract::DefaultBodyLimit::max(crate::csrf::MAX_MULTIPART_BYTES))
        }
        (method, path) => panic!("page route {method} {path} is in ROUTES but has no handler"),
    }
}

/// The page routes, to be merged into [`crate::app`]: every route of [`ROUTES`].
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for (method, path) in ROUTES {
        router = router.route(path, handler(method, path));
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
