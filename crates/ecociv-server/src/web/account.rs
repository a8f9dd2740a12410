//! Login, logout, the language switch, the stylesheet, and the administration of users and departments:
//! adding, a user's role and department in a zone, name, disabling / enabling, password reset, renaming
//! departments — each through the service the API calls ([`crate::service::users`]), so every change is checked
//! and recorded (who, when, before, after) the same way, and shown on the pages.
//! Login uses the service's [`crate::service::sessions::authenticate`] and [`start_session`], as the API does
//! (throttling, locking, Argon2id); before login the form's CSRF token is the `ecociv_csrf` cookie's value
//! (double submit), which the login page sets.

use std::collections::BTreeMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_web::Lang;
use ecociv_web::assets::CSS;
use ecociv_web::layout::{Flash, FlashKind};
use ecociv_web::layout::{Role, urls};
use ecociv_web::pages::admin::{
    AuditRow, DepartmentRow, DepartmentsView, UserRow, UserView, UsersView, ZonePublicView,
};
use ecociv_web::pages::login::LoginView;
use ecociv_web::pages::{admin, login as login_page_render};

use super::{LANG_COOKIE, Web, WebError, WebResult, context, html, safe_next};
use crate::AppState;
use crate::auth::{
    AuthUser, CSRF_COOKIE, ClientAddr, Principal, SESSION_COOKIE, SESSION_SECONDS, random_token, set_cookie,
};
use crate::error::Code;
use crate::policy;
use crate::service::sessions::{authenticate, start_session};
use crate::service::users::{self, DepartmentName, Member, NewPassword, NewUser, PublicSwitch, UserChange};

type Q = Query<BTreeMap<String, String>>;

fn with_cookie(mut response: Response, value: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `GET /assets/ecociv.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// `GET /lang/{lang}?next=`: keeps the language in a cookie and goes back.
pub async fn language(State(state): State<AppState>, Path(lang): Path<String>, Query(query): Q) -> Response {
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let next = safe_next(query.get("next").map(String::as_str));
    let cookie = crate::auth::cookie_header(
        crate::auth::CookieKind::Language,
        LANG_COOKIE,
        lang.code(),
        super::ONE_YEAR_SECONDS,
        state.config.secure_cookies,
    );
    with_cookie(Redirect::to(&next).into_response(), &cookie)
}

fn login_response(state: &AppState, web: &Web, view: &LoginView, status: StatusCode) -> WebResult<Response> {
    // Always a fresh token: a cookie the client sends is never adopted (see `api::auth::csrf`).
    let token = random_token().map_err(|error| WebError::Internal(web.lang, error.message))?;
    let mut ctx = context(web, None, None, None);
    ctx.csrf_token = Some(token.clone());
    let response = html(status, login_page_render::render_login(&ctx, view));
    Ok(with_cookie(
        response,
        &set_cookie(CSRF_COOKIE, &token, SESSION_SECONDS, state.config.secure_cookies),
    ))
}

/// `GET /login?next=`.
pub async fn login_page(State(state): State<AppState>, web: Web, Query(query): Q) -> WebResult<Response> {
    if web.principal.is_some() {
        return Ok(Redirect::to(&safe_next(query.get("next").map(String::as_str))).into_response());
    }
    let view = LoginView {
        next: query.get("next").cloned(),
        ..LoginView::default()
    };
    login_response(&state, &web, &view, StatusCode::OK)
}

/// `POST /login`: `username`, `password`, `next`.
pub async fn login(
    State(state): State<AppState>,
    web: Web,
    address: ClientAddr,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let username = input.get("username").map(|u| u.trim().to_string()).unwrap_or_default();
    let password = input.get("password").cloned().unwrap_or_default();
    let next = input.get("next").cloned();
    match authenticate(&state, &username, &password, address.0).await {
        Ok(user) => {
            let (session_cookie, _) = start_session(&state, &user)
                .await
                .map_err(|error| WebError::Internal(web.lang, error.message))?;
            Ok(with_cookie(
                Redirect::to(&safe_next(next.as_deref())).into_response(),
                &session_cookie,
            ))
        }
        Err(error) => {
            let key = match error.code {
                Code::LoginFailed => "login.error.bad_credentials",
                Code::LoginLocked => "login.error.locked",
                Code::TooManyRequests => "login.error.throttled",
                _ => return Err(WebError::Internal(web.lang, error.message)),
            };
            let view = LoginView {
                username,
                error: Some(key.to_string()),
                next,
            };
            login_response(&state, &web, &view, error.code.status())
        }
    }
}

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, web: Web) -> WebResult<Response> {
    if let Some(principal) = &web.principal {
        state.store.delete_session(&principal.session.token_hash).await?;
    }
    Ok(with_cookie(
        Redirect::to("/").into_response(),
        &set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    ))
}

/// The zone the administration pages are about: `?zone=` or the first zone.
async fn admin_zone(
    state: &AppState,
    web: &Web,
    principal: &Principal,
    query: &BTreeMap<String, String>,
) -> WebResult<ecociv_store::ZoneRecord> {
    if !policy::can_administer(Some(principal)) {
        return Err(WebError::Forbidden(web.lang));
    }
    let code = match query.get("zone") {
        Some(code) => code.clone(),
        None => state
            .store
            .zone_summaries()
            .await?
            .into_iter()
            .next()
            .map(|(code, ..)| code)
            .ok_or(WebError::NotFound(web.lang))?,
    };
    state.store.zone(&code).await?.ok_or(WebError::NotFound(web.lang))
}

async fn users_view(state: &AppState, code: &str, error: Option<String>) -> WebResult<UsersView> {
    let departments = state.store.departments(code).await?;
    let mut users = Vec::new();
    for user in state.store.users().await? {
        if user.username == "system" {
            continue;
        }
        let membership = state.store.membership(code, &user.id).await?;
        let role = if user.is_admin {
            Role::Admin
        } else {
            match membership.as_ref().map(|m| m.role) {
                Some(ecociv_store::Role::Reviewer) => Role::Reviewer,
                Some(ecociv_store::Role::Editor) => Role::Editor,
                _ => Role::Viewer,
            }
        };
        let department = membership
            .and_then(|m| m.department_id)
            .and_then(|id| departments.iter().find(|d| d.id == id).map(|d| d.name.clone()));
        let href = format!("{}?zone={}", urls::admin_user(&user.id), urls::encode(code));
        users.push(UserRow {
            href,
            username: user.username,
            display_name: user.display_name,
            role,
            department,
            active: !user.disabled,
        });
    }
    Ok(UsersView {
        users,
        departments: departments.into_iter().map(|d| d.name).collect(),
        error,
    })
}

/// `GET /admin/users`.
pub async fn users(State(state): State<AppState>, web: Web, user: AuthUser, Query(query): Q) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let view = users_view(&state, &record.profile.code, None).await?;
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(StatusCode::OK, admin::render_users(&ctx, &view)))
}

/// `POST /admin/users`: `username`, `display_name`, `password`, `role`, `department` (a name).
pub async fn create_user(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Query(query): Q,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let code = record.profile.code.clone();
    let principal_id = user.user.id.clone();
    let field = |name: &str| input.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    let role = Role::from_code(&field("role"));
    let departments = state.store.departments(&code).await?;
    let department = departments
        .iter()
        .find(|d| d.name == field("department"))
        .map(|d| d.id.clone());
    let refuse = |key: &str| key.to_string();
    let error = match role {
        None => Some(refuse("admin.error.invalid")),
        Some(Role::Editor) if department.is_none() => Some(refuse("admin.error.department_needed")),
        Some(_) if field("username").is_empty() || field("display_name").is_empty() => {
            Some(refuse("admin.error.invalid"))
        }
        Some(_) if state.store.user_by_username(&field("username")).await?.is_some() => {
            Some(refuse("admin.error.duplicate"))
        }
        Some(role) => {
            let new = NewUser {
                username: field("username"),
                display_name: field("display_name"),
                password: field("password"),
                is_admin: role == Role::Admin,
            };
            match users::create(&state, &user, new).await {
                Ok(created) => {
                    let id = created.id;
                    let store_role = match role {
                        Role::Reviewer => Some(ecociv_store::Role::Reviewer),
                        Role::Editor => Some(ecociv_store::Role::Editor),
                        Role::Viewer => Some(ecociv_store::Role::Viewer),
                        Role::Admin => None,
                    };
                    if let Some(store_role) = store_role {
                        let department = department.as_deref().filter(|_| role == Role::Editor);
                        state
                            .store
                            .set_membership_by(&principal_id, &code, &id, Some(store_role), department)
                            .await?;
                    }
                    None
                }
                Err(error) if error.code == Code::BadRequest => Some(refuse("admin.error.password")),
                Err(error) => return Err(WebError::from_api(&web, error)),
            }
        }
    };
    match error {
        None => Ok(Redirect::to(urls::ADMIN_USERS).into_response()),
        Some(key) => {
            let view = users_view(&state, &code, Some(key)).await?;
            let ctx = context(&web, Some(&record), None, None);
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, admin::render_users(&ctx, &view)))
        }
    }
}

async fn departments_view(
    state: &AppState,
    web: &Web,
    code: &str,
    error: Option<String>,
) -> WebResult<DepartmentsView> {
    let departments = state.store.departments(code).await?;
    let leads = state.store.leads(code).await?;
    let mut users_by_department: BTreeMap<String, usize> = BTreeMap::new();
    for user in state.store.users().await? {
        if let Some(id) = state
            .store
            .membership(code, &user.id)
            .await?
            .and_then(|m| m.department_id)
        {
            *users_by_department.entry(id).or_default() += 1;
        }
    }
    let events: Vec<ecociv_store::AuditEvent> = state
        .store
        .audit_log(None, 1000)
        .await?
        .into_iter()
        .filter(|event| event.target_kind == "department" && event.zone_code.as_deref() == Some(code))
        .take(50)
        .collect();
    let history = audit_rows(web.lang, &events, &departments);
    Ok(DepartmentsView {
        departments: departments
            .into_iter()
            .map(|d| DepartmentRow {
                action: format!("{}?zone={}", urls::admin_department(&d.id), urls::encode(code)),
                rows: leads.values().filter(|ids| ids.contains(&d.id)).count(),
                users: users_by_department.get(&d.id).copied().unwrap_or(0),
                name: d.name,
            })
            .collect(),
        error,
        history,
    })
}

/// Recorded changes as the pages show them: the states before and after as text in the visitor's language.
fn audit_rows(
    lang: Lang,
    events: &[ecociv_store::AuditEvent],
    departments: &[ecociv_store::Department],
) -> Vec<AuditRow> {
    let department_name = |id: &str| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.name.clone())
    };
    let describe = |action: &str, state: &serde_json::Value| -> String {
        if state.is_null() {
            return if action.starts_with("member.") {
                ecociv_web::t(lang, "admin.no_role").into_owned()
            } else {
                "—".to_string()
            };
        }
        if action == "user.password" {
            return if state.get("password").is_some() {
                ecociv_web::t(lang, "admin.password_reset").into_owned()
            } else {
                "—".to_string()
            };
        }
        if action.starts_with("member.") {
            let role = state["role"]
                .as_str()
                .and_then(Role::from_code)
                .map(|role| role.label(lang).into_owned())
                .unwrap_or_default();
            return match state["department"].as_str() {
                Some(id) => format!("{role}（{}）", department_name(id)),
                None => role,
            };
        }
        if action.starts_with("department.") {
            return state["name"].as_str().unwrap_or_default().to_string();
        }
        if action == "zone.licence" {
            return match state["licence"].as_str().and_then(ecociv_report::portal::licence) {
                Some(licence) => match lang {
                    Lang::Zh => licence.name_zh.to_string(),
                    Lang::En => licence.name_en.to_string(),
                },
                None => ecociv_web::t(lang, "admin.licence_default").into_owned(),
            };
        }
        if action == "zone.edition" {
            // The edition's id; the page puts its name in its place.
            let framework = state["framework"].as_str().unwrap_or_default().to_string();
            let edition = match state["from_year"].as_i64() {
                Some(year) => format!("{framework}（{}）", admin::period_text(lang, Some(year as i32), None)),
                None => framework,
            };
            // The adoption's reason (its document) is part of what changed.
            return match state["reason"].as_str().filter(|reason| !reason.is_empty()) {
                Some(reason) => format!(
                    "{edition}；{}：{reason}",
                    ecociv_web::t(lang, "admin.edition_reason_short")
                ),
                None => edition,
            };
        }
        if action == "zone.public" {
            let key = if state["public"].as_bool() == Some(true) {
                "admin.public_on"
            } else {
                "admin.public_off"
            };
            return ecociv_web::t(lang, key).into_owned();
        }
        let status = if state["disabled"].as_bool() == Some(true) {
            "admin.status_disabled"
        } else {
            "admin.status_active"
        };
        format!(
            "{} · {}",
            state["display_name"].as_str().unwrap_or_default(),
            ecociv_web::t(lang, status)
        )
    };
    events
        .iter()
        .map(|event| AuditRow {
            at: event.at.clone(),
            who: event.actor_name.clone(),
            action: format!("admin.audit.{}", event.action),
            before: describe(&event.action, &event.before),
            after: describe(&event.action, &event.after),
        })
        .collect()
}

/// `GET /admin/departments`.
pub async fn departments(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Query(query): Q,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let view = departments_view(&state, &web, &record.profile.code, None).await?;
    let ctx = context(&web, Some(&record), None, done_flash(&web, &query));
    Ok(html(StatusCode::OK, admin::render_departments(&ctx, &view)))
}

/// `POST /admin/departments`: `name`.
pub async fn create_department(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Query(query): Q,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let code = record.profile.code.clone();
    let name = input.get("name").map(|n| n.trim().to_string()).unwrap_or_default();
    let existing = state.store.departments(&code).await?;
    let error = if name.is_empty() {
        Some("admin.error.invalid")
    } else if existing.iter().any(|d| d.name == name) {
        Some("admin.error.duplicate")
    } else {
        match users::create_department(&state, &user, &code, &DepartmentName { name }).await {
            Ok(_) => None,
            Err(error) if error.code == Code::Conflict => Some("admin.error.duplicate"),
            Err(error) if error.code == Code::BadRequest => Some("admin.error.invalid"),
            Err(error) => return Err(WebError::from_api(&web, error)),
        }
    };
    match error {
        None => Ok(Redirect::to(&format!("{}?zone={}", urls::ADMIN_DEPARTMENTS, urls::encode(&code))).into_response()),
        Some(key) => {
            let view = departments_view(&state, &web, &code, Some(key.to_string())).await?;
            let ctx = context(&web, Some(&record), None, None);
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                admin::render_departments(&ctx, &view),
            ))
        }
    }
}

/// `POST /admin/departments/{id}?zone=`: `name` — renames a department.
pub async fn rename_department(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(id): Path<String>,
    Query(query): Q,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let code = record.profile.code.clone();
    let name = input.get("name").map(|n| n.trim().to_string()).unwrap_or_default();
    let error = if name.is_empty() {
        Some("admin.error.invalid")
    } else {
        match users::rename_department(&state, &user, &code, &id, &DepartmentName { name }).await {
            Ok(_) => None,
            Err(error) if error.code == Code::Conflict => Some("admin.error.duplicate"),
            Err(error) if error.code == Code::BadRequest => Some("admin.error.invalid"),
            Err(error) => return Err(WebError::from_api(&web, error)),
        }
    };
    match error {
        None => Ok(Redirect::to(&format!(
            "{}?zone={}&done=department",
            urls::ADMIN_DEPARTMENTS,
            urls::encode(&code)
        ))
        .into_response()),
        Some(key) => {
            let view = departments_view(&state, &web, &code, Some(key.to_string())).await?;
            let ctx = context(&web, Some(&record), None, None);
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                admin::render_departments(&ctx, &view),
            ))
        }
    }
}

/// `GET /admin/zone?zone=`: the zone's public switch, licence and framework editions, and their record
/// (issues 14, 15).
pub async fn zone_public(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Query(query): Q,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let view = zone_view(&state, &web, &record, None).await?;
    let ctx = context(&web, Some(&record), None, done_flash(&web, &query));
    Ok(html(StatusCode::OK, admin::render_zone_public(&ctx, &view)))
}

/// The message of a refusal in the page's language: a Chinese page shows the Chinese part of the
/// service's bilingual "中文 (English)" text.
pub(crate) fn message_in(lang: Lang, message: &str) -> String {
    match (lang, message.strip_suffix(')').and_then(|m| m.rsplit_once(" ("))) {
        (Lang::Zh, Some((zh, _))) => zh.to_string(),
        _ => message.to_string(),
    }
}

/// The zone administration page's view; `adopt_error`: a refused adoption form as submitted.
async fn zone_view(
    state: &AppState,
    web: &Web,
    record: &ecociv_store::ZoneRecord,
    adopt_error: Option<(String, String, String, String)>,
) -> WebResult<ZonePublicView> {
    let code = record.profile.code.clone();
    let events: Vec<ecociv_store::AuditEvent> = state
        .store
        .audit_log(Some(("zone", &code)), 50)
        .await?
        .into_iter()
        .filter(|event| matches!(event.action.as_str(), "zone.public" | "zone.licence" | "zone.edition"))
        .collect();
    let (licence, confirmed) = crate::web::portal::zone_licence(state, &code).await?;
    // Editions by name (a Chinese page shows no edition ids).
    let mut names: BTreeMap<String, (String, String)> = BTreeMap::new();
    let ids = crate::service::zones::edition_ids(&state.store)
        .await
        .map_err(|error| WebError::from_api(web, error))?;
    for id in ids {
        let Ok(Some(framework)) = crate::service::zones::edition(&state.store, &id).await else {
            continue;
        };
        let name = match web.lang {
            Lang::Zh => framework.name.clone(),
            Lang::En => framework.name_en.clone(),
        };
        names.insert(id, (name, framework.edition.clone()));
    }
    let name_of = |id: &str| {
        names
            .get(id)
            .map_or_else(|| (id.to_string(), String::new()), |n| n.clone())
    };
    let editions = record
        .editions
        .periods()
        .into_iter()
        .map(|(id, from_year, to_year)| {
            let (name, edition) = name_of(id);
            admin::EditionPeriod {
                name,
                edition,
                from_year,
                to_year,
            }
        })
        .collect();
    let edition_choices = names
        .iter()
        .filter(|(id, _)| **id != record.editions.current)
        .map(|(id, (name, edition))| (id.clone(), format!("{name}（{edition}）")))
        .collect();
    let mut history = audit_rows(web.lang, &events, &[]);
    for (row, event) in history.iter_mut().zip(&events) {
        if event.action == "zone.edition" {
            for (id, (name, _)) in &names {
                row.before = row.before.replace(id.as_str(), name);
                row.after = row.after.replace(id.as_str(), name);
            }
        }
    }
    Ok(ZonePublicView {
        action: format!("{}?zone={}", urls::ADMIN_ZONE, urls::encode(&code)),
        zone_name: match web.lang {
            Lang::Zh => record.profile.name.clone(),
            Lang::En => record.profile.name_en.clone(),
        },
        public: record.disclosed,
        portal: urls::dashboard(&code),
        licences: ecociv_report::portal::LICENCES
            .iter()
            .map(|l| {
                (
                    l.id.to_string(),
                    match web.lang {
                        Lang::Zh => l.name_zh.to_string(),
                        Lang::En => l.name_en.to_string(),
                    },
                    l.id == licence.id,
                )
            })
            .collect(),
        licence_confirmed: confirmed,
        open_data: urls::open_data(&code),
        editions,
        edition_choices,
        adopt_min_year: record
            .editions
            .current_since()
            .map_or(record.base_year, |since| since + 1),
        adopt_error,
        history,
    })
}

/// `POST /admin/zone?zone=`: `public` = `1` or `0`, or `licence` = a licence id, through the service the
/// API calls (audited).
pub async fn zone_public_post(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Query(query): Q,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let code = record.profile.code.clone();
    if input.contains_key("adopt") {
        let field = |name: &str| input.get(name).cloned().unwrap_or_default();
        let (framework, from_year, reason) = (field("framework"), field("from_year"), field("reason"));
        let result = match ecociv_core::value::parse_year(&from_year) {
            Ok(year) => {
                let adoption = crate::service::zones::Adoption {
                    framework: framework.clone(),
                    from_year: year,
                    reason: reason.clone(),
                };
                crate::service::zones::adopt(&state.store, &user.user.id, &code, &adoption)
                    .await
                    .map(|_| ())
                    .map_err(|error| match error.code {
                        Code::InvalidValue | Code::Conflict => Ok(message_in(web.lang, &error.message)),
                        _ => Err(error),
                    })
            }
            Err(problem) => Err(Ok(message_in(web.lang, &problem.to_string()))),
        };
        return match result {
            Ok(()) => Ok(Redirect::to(&format!(
                "{}?zone={}&done=edition",
                urls::ADMIN_ZONE,
                urls::encode(&code)
            ))
            .into_response()),
            Err(Ok(message)) => {
                let record = admin_zone(&state, &web, &user, &query).await?;
                let view = zone_view(&state, &web, &record, Some((framework, from_year, reason, message))).await?;
                let ctx = context(&web, Some(&record), None, None);
                Ok(html(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    admin::render_zone_public(&ctx, &view),
                ))
            }
            Err(Err(error)) => Err(WebError::from_api(&web, error)),
        };
    }
    if let Some(licence) = input.get("licence") {
        users::set_licence(
            &state,
            &user,
            &code,
            &users::LicenceChoice {
                licence: licence.clone(),
            },
        )
        .await
        .map_err(|error| match error.code {
            Code::InvalidValue => WebError::BadRequest(web.lang),
            _ => WebError::from_api(&web, error),
        })?;
        return Ok(Redirect::to(&format!(
            "{}?zone={}&done=licence",
            urls::ADMIN_ZONE,
            urls::encode(&code)
        ))
        .into_response());
    }
    let public = match input.get("public").map(String::as_str) {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(WebError::BadRequest(web.lang)),
    };
    users::set_public(&state, &user, &code, &PublicSwitch { public })
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    Ok(Redirect::to(&format!(
        "{}?zone={}&done=public",
        urls::ADMIN_ZONE,
        urls::encode(&code)
    ))
    .into_response())
}

fn done_flash(web: &Web, query: &BTreeMap<String, String>) -> Option<Flash> {
    let done = query.get("done")?;
    matches!(
        done.as_str(),
        "role" | "profile" | "password" | "disable" | "enable" | "department" | "public" | "licence" | "edition"
    )
    .then(|| Flash {
        kind: FlashKind::Success,
        text: ecociv_web::t(web.lang, &format!("admin.done.{done}")).into_owned(),
    })
}

async fn user_view(
    state: &AppState,
    web: &Web,
    record: &ecociv_store::ZoneRecord,
    user_id: &str,
    error: Option<(String, String)>,
) -> WebResult<UserView> {
    let code = &record.profile.code;
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(WebError::NotFound(web.lang))?;
    let departments = state.store.departments(code).await?;
    let membership = state.store.membership(code, user_id).await?;
    let role = membership.as_ref().map(|m| match m.role {
        ecociv_store::Role::Reviewer => Role::Reviewer,
        ecociv_store::Role::Editor => Role::Editor,
        ecociv_store::Role::Viewer => Role::Viewer,
    });
    let department = membership
        .and_then(|m| m.department_id)
        .and_then(|id| departments.iter().find(|d| d.id == id).map(|d| d.name.clone()));
    let events = state.store.audit_log(Some(("user", user_id)), 200).await?;
    Ok(UserView {
        action: format!("{}?zone={}", urls::admin_user(user_id), urls::encode(code)),
        username: user.username,
        display_name: user.display_name,
        is_admin: user.is_admin,
        active: !user.disabled,
        is_self: web
            .principal
            .as_ref()
            .is_some_and(|principal| principal.user.id == user_id),
        zone_name: if web.lang == Lang::En {
            record.profile.name_en.clone()
        } else {
            record.profile.name.clone()
        },
        role,
        department,
        history: audit_rows(web.lang, &events, &departments),
        departments: departments.into_iter().map(|d| d.name).collect(),
        error,
    })
}

/// `GET /admin/users/{id}?zone=`: one account's page.
pub async fn user_page(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(id): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let view = user_view(&state, &web, &record, &id, None).await?;
    let ctx = context(&web, Some(&record), None, done_flash(&web, &query));
    Ok(html(StatusCode::OK, admin::render_user(&ctx, &view)))
}

/// `POST /admin/users/{id}?zone=`: `op` = `role` (`role`, `department` name), `profile` (`display_name`),
/// `password` (`password`), `disable` or `enable`.
pub async fn user_post(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(id): Path<String>,
    Query(query): Q,
    Form(input): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let record = admin_zone(&state, &web, &user, &query).await?;
    let code = record.profile.code.clone();
    let field = |name: &str| input.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    let op = field("op");
    let refused = |key: &str, form: &str| Some((key.to_string(), form.to_string()));
    let error: Option<(String, String)> = match op.as_str() {
        "role" => {
            let role = field("role");
            let departments = state.store.departments(&code).await?;
            let department = departments
                .iter()
                .find(|d| d.name == field("department"))
                .map(|d| d.id.clone());
            if !matches!(role.as_str(), "none" | "reviewer" | "editor" | "viewer") {
                refused("admin.error.invalid", "role")
            } else if role == "editor" && department.is_none() {
                refused("admin.error.department_needed", "role")
            } else {
                let member = Member {
                    role: role.clone(),
                    department: department.filter(|_| role == "editor"),
                };
                match users::set_member(&state, &user, &code, &id, &member).await {
                    Ok(_) => None,
                    Err(error) if error.code == Code::BadRequest => refused("admin.error.invalid", "role"),
                    Err(error) => return Err(WebError::from_api(&web, error)),
                }
            }
        }
        "profile" if field("display_name").is_empty() => refused("admin.error.invalid", "profile"),
        "profile" => {
            let change = UserChange {
                display_name: Some(field("display_name")),
                disabled: None,
            };
            match users::update(&state, &user, &id, change).await {
                Ok(_) => None,
                Err(error) if error.code == Code::BadRequest => refused("admin.error.invalid", "profile"),
                Err(error) => return Err(WebError::from_api(&web, error)),
            }
        }
        "password" => {
            let new = NewPassword {
                password: input.get("password").cloned().unwrap_or_default(),
            };
            match users::set_password(&state, &user, &id, new).await {
                Ok(_) => None,
                Err(error) if error.code == Code::BadRequest => refused("admin.error.password", "password"),
                Err(error) => return Err(WebError::from_api(&web, error)),
            }
        }
        "disable" | "enable" => {
            let change = UserChange {
                display_name: None,
                disabled: Some(op == "disable"),
            };
            match users::update(&state, &user, &id, change).await {
                Ok(_) => None,
                Err(error) if error.code == Code::BadRequest => refused("admin.error.self", "status"),
                Err(error) => return Err(WebError::from_api(&web, error)),
            }
        }
        _ => return Err(WebError::BadRequest(web.lang)),
    };
    match error {
        None => {
            let back = format!("{}?zone={}&done={op}", urls::admin_user(&id), urls::encode(&code));
            Ok(Redirect::to(&back).into_response())
        }
        Some(error) => {
            let view = user_view(&state, &web, &record, &id, Some(error)).await?;
            let ctx = context(&web, Some(&record), None, None);
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, admin::render_user(&ctx, &view)))
        }
    }
}
