//! The import page (issue 15): `/admin/import` — a zone from the Excel plan template and boundaries from a
//! GeoJSON file, for a unit, through the services the API calls (`service::zones::import_plan`,
//! `service::maps::import_bytes`): the file spooled to disk as it arrives (`multipart::parse_spooled`), a dry
//! run (仅检查), all or nothing, each problem named by its file and its place (line and field, or sheet and
//! cell), in the page's language. Administrators import for any unit; reviewers granted at a city or a
//! province for the units within it (`service::zones::import_scope`).

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_core::division::Level;
use ecociv_data::Problem as Located;
use ecociv_web::Lang;
use ecociv_web::i18n::{t, tf};
use ecociv_web::layout::urls;
use ecociv_web::pages::admin::{ImportOutcome, ImportView, render_import};
use serde_json::Value;

use super::{Web, WebError, WebResult, context, html};
use crate::AppState;
use crate::auth::{AuthUser, Principal};
use crate::error::{ApiError, Code};
use crate::service::{maps, monitoring, rollup, zones};

/// The units a principal may import for, as the form lists them: the nation first for administrators,
/// then the provinces and cities it may import for, by code.
fn units(principal: &Principal, lang: Lang) -> Vec<(String, String)> {
    let hierarchy = zones::hierarchy();
    let mut out = Vec::new();
    if principal.can_import_for(None, hierarchy) {
        out.push((rollup::NATION.to_string(), t(lang, "admin.import_nation").into_owned()));
    }
    let mut found: Vec<&ecociv_core::division::Unit> = hierarchy
        .units()
        .filter(|unit| matches!(unit.level, Level::Province | Level::Prefecture))
        .filter(|unit| principal.can_import_for(Some(&unit.code), hierarchy))
        .collect();
    found.sort_by(|a, b| a.code.cmp(&b.code));
    out.extend(
        found
            .into_iter()
            .map(|unit| (unit.code.clone(), format!("{}（{}）", unit.name, unit.code))),
    );
    out
}

fn limit_text(lang: Lang, bytes: u64) -> String {
    tf(lang, "admin.import_limit", &[("n", &(bytes >> 20))])
}

fn view(principal: &Principal, lang: Lang, unit: Option<&str>, outcome: Option<ImportOutcome>) -> ImportView {
    let units = units(principal, lang);
    // By default the first unit below the nation (importing for the whole nation is chosen, not defaulted).
    let unit = unit
        .filter(|unit| units.iter().any(|(code, _)| code == unit))
        .map(str::to_string)
        .or_else(|| {
            units
                .iter()
                .find(|(code, _)| code != rollup::NATION)
                .map(|(code, _)| code.clone())
        })
        .unwrap_or_default();
    // The template's counties: those of the unit chosen (every one for the nation), in force today.
    let hierarchy = zones::hierarchy();
    let today = zones::today();
    let counties: Vec<(String, String)> = if unit == rollup::NATION {
        let mut all: Vec<&ecociv_core::division::Unit> = hierarchy
            .units()
            .filter(|u| u.level == Level::County && u.in_force_on(today))
            .collect();
        all.sort_by(|a, b| a.code.cmp(&b.code));
        all
    } else {
        hierarchy.counties_within(&unit, today)
    }
    .into_iter()
    .map(|u| (u.code.clone(), format!("{}（{}）", zones::plan_zone_name(u), u.code)))
    .collect();
    let template = (!unit.is_empty() && !counties.is_empty()).then(|| {
        (
            format!("/api/v1/units/{}/zones/template.xlsx", urls::encode(&unit)),
            counties,
        )
    });
    ImportView {
        template,
        action: urls::ADMIN_IMPORT.to_string(),
        units,
        unit,
        is_admin: principal.user.is_admin,
        limits: (
            limit_text(lang, crate::api::MAX_IMPORT_BYTES as u64),
            limit_text(lang, maps::MAX_BOUNDARY_BYTES),
        ),
        outcome,
    }
}

/// `GET /admin/import[?unit=CODE][&done=plan|boundaries…]`: the forms; after an import (POST-redirect-GET)
/// what it did.
pub async fn page(web: Web, user: AuthUser, Query(query): Query<BTreeMap<String, String>>) -> WebResult<Response> {
    let lang = web.lang;
    let outcome = query.get("done").and_then(|done| {
        let get = |key: &str| query.get(key).cloned().unwrap_or_default();
        let message = match done.as_str() {
            "plan" => {
                let code = get("code");
                let name = zones::hierarchy()
                    .unit(&code)
                    .map_or_else(String::new, |u| u.name.clone());
                tf(
                    lang,
                    "admin.import_done_plan",
                    &[("zone", &name), ("code", &code), ("n", &get("n"))],
                )
            }
            "boundaries" => tf(
                lang,
                "admin.import_done_boundaries",
                &[("n", &get("n")), ("outside", &get("outside"))],
            ),
            _ => return None,
        };
        Some(ImportOutcome {
            form: done.clone(),
            ok: true,
            message,
            problems: Vec::new(),
        })
    });
    let view = view(&user, lang, query.get("unit").map(String::as_str), outcome);
    if view.units.is_empty() {
        return Err(WebError::Forbidden(lang));
    }
    let ctx = context(&web, None, None, None);
    Ok(html(StatusCode::OK, render_import(&ctx, &view)))
}

/// A problem of a refusal's details as the page shows it: the file, then the place (line and field, or
/// sheet and cell) and the message in the page's language.
fn problem_text(lang: Lang, detail: &Value) -> String {
    let text = |key: &str| detail[key].as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let file = text("file").unwrap_or_default();
    let message = text("message").unwrap_or_default();
    let problem = match text("sheet") {
        Some(sheet) => Located::in_sheet("", sheet, text("cell"), message),
        None => {
            let mut problem = Located::new("", message);
            if let Some(line) = detail["line"].as_u64() {
                problem = problem.at_line(line);
            }
            if let Some(column) = detail["column"].as_u64() {
                problem = problem.at_column(column as usize);
            }
            if let Some(field) = text("field") {
                problem = problem.in_field(field);
            }
            problem
        }
    };
    let place = lang.pick(&problem.zh(), &problem.en()).to_string();
    if file.is_empty() {
        place
    } else {
        match lang {
            Lang::Zh => format!("{file}：{place}"),
            Lang::En => format!("{file}: {place}"),
        }
    }
}

/// What an import did: the message of a dry run, and the figures the page after the redirect says.
type Done = (String, Vec<(&'static str, String)>);

/// The page after a form: its outcome, the unit kept chosen.
fn answer(web: &Web, user: &Principal, unit: &str, status: StatusCode, outcome: ImportOutcome) -> Response {
    let view = view(user, web.lang, Some(unit), Some(outcome));
    let ctx = context(web, None, None, None);
    html(status, render_import(&ctx, &view))
}

/// `POST /admin/import` (multipart: `csrf_token`, `form` = `plan` | `boundaries`, `unit`, `file`,
/// `dry_run`, `code_property`): the import, answered with the page — what a dry run found, or every problem
/// of a refused file (422; 403 for a zone outside the unit); after an import, a redirect to the page.
pub async fn post(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    headers: HeaderMap,
    body: axum::body::Body,
) -> WebResult<Response> {
    let lang = web.lang;
    // Who may import at all is decided before the body is read; the unit, once its field is read.
    if units(&user, lang).is_empty() {
        return Err(WebError::Forbidden(lang));
    }
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !crate::multipart::is_multipart(Some(content_type)) {
        return Err(WebError::BadRequest(lang));
    }
    let form = crate::multipart::parse_spooled(content_type, body, maps::MAX_BOUNDARY_BYTES)
        .await
        .map_err(|_| WebError::BadRequest(lang))?;
    let which = match form.fields.get("form").map(String::as_str) {
        Some("plan") => "plan",
        Some("boundaries") => "boundaries",
        _ => return Err(WebError::BadRequest(lang)),
    };
    let unit = form.fields.get("unit").cloned().unwrap_or_default();
    let dry_run = form
        .fields
        .get("dry_run")
        .is_some_and(|value| value == "true" || value == "on");
    let scope = zones::import_scope(&user, &unit).map_err(|error| WebError::from_api(&web, error))?;
    let refused = |status: StatusCode, message: String, problems: Vec<String>| {
        answer(
            &web,
            &user,
            &unit,
            status,
            ImportOutcome {
                form: which.to_string(),
                ok: false,
                message,
                problems,
            },
        )
    };
    let limit = if which == "plan" {
        crate::api::MAX_IMPORT_BYTES as u64
    } else {
        maps::MAX_BOUNDARY_BYTES
    };
    let (file_name, spooled) = match (form.too_large, form.file) {
        (None, Some((_, spooled))) if spooled.len() > limit => {
            let message = ApiError::from(crate::spool::SpoolError::TooLarge(limit)).message;
            return Ok(refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                super::account::message_in(lang, &message),
                Vec::new(),
            ));
        }
        (None, Some(file)) => file,
        (Some(limit), _) => {
            let message = ApiError::from(crate::spool::SpoolError::TooLarge(limit)).message;
            return Ok(refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                super::account::message_in(lang, &message),
                Vec::new(),
            ));
        }
        (None, None) => {
            return Ok(refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                t(lang, "admin.import_no_file").into_owned(),
                Vec::new(),
            ));
        }
    };
    let outcome: Result<Done, ApiError> = async {
        let file = monitoring::check_file_name(&file_name)?;
        let bytes = zones::spooled_bytes(&spooled).await?;
        if which == "plan" {
            let options = zones::ImportOptions {
                disclosed: false,
                dry_run,
                within: scope.clone(),
            };
            let (code, n) =
                zones::import_plan(&state.store, &user.user.id, &file, &bytes, &options, zones::today()).await?;
            let name = zones::hierarchy()
                .unit(&code)
                .map_or_else(String::new, |u| u.name.clone());
            let message = tf(
                lang,
                "admin.import_checked_plan",
                &[("zone", &name), ("code", &code), ("n", &n)],
            );
            Ok((message, vec![("code", code), ("n", n.to_string())]))
        } else {
            let property = form
                .fields
                .get("code_property")
                .map(|p| p.trim())
                .filter(|p| !p.is_empty());
            let report = maps::import_bytes(&state.store, bytes, &file, scope.as_deref(), property, dry_run).await?;
            let message = tf(
                lang,
                "admin.import_checked_boundaries",
                &[("n", &report.stored), ("outside", &report.outside)],
            );
            Ok((
                message,
                vec![
                    ("n", report.stored.to_string()),
                    ("outside", report.outside.to_string()),
                ],
            ))
        }
    }
    .await;
    match outcome {
        Ok((message, _)) if dry_run => Ok(answer(
            &web,
            &user,
            &unit,
            StatusCode::OK,
            ImportOutcome {
                form: which.to_string(),
                ok: true,
                message,
                problems: Vec::new(),
            },
        )),
        Ok((_, figures)) => {
            // POST-redirect-GET: a refresh does not send the file again.
            let mut location = format!("{}?unit={}&done={which}", urls::ADMIN_IMPORT, urls::encode(&unit));
            for (key, value) in figures {
                location.push_str(&format!("&{key}={}", urls::encode(&value)));
            }
            Ok(Redirect::to(&location).into_response())
        }
        Err(error) => {
            let status = match error.code {
                Code::InvalidValue | Code::BadRequest | Code::Conflict => StatusCode::UNPROCESSABLE_ENTITY,
                // A zone outside the unit: refused on the page, naming where the file says it.
                Code::Forbidden => StatusCode::FORBIDDEN,
                _ => return Err(WebError::from_api(&web, error)),
            };
            let problems = error
                .details
                .as_ref()
                .and_then(Value::as_array)
                .map(|details| details.iter().map(|detail| problem_text(lang, detail)).collect())
                .unwrap_or_default();
            Ok(refused(
                status,
                super::account::message_in(lang, &error.message),
                problems,
            ))
        }
    }
}
