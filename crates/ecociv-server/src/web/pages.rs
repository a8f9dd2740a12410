//! The reading pages: dashboard, Table 2-1, indicator, air, water. Public for disclosed zones; they show
//! approved values only. Members also see the departments' workflow progress on the dashboard and the
//! history of a value on its indicator page.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_core::targets::{TargetCheck, check_targets};
use ecociv_core::{Framework, Zone, assess};
use ecociv_store::Status as Workflow;
use ecociv_web::pages::air::AirView;
use ecociv_web::pages::dashboard::{DashboardView, DepartmentProgress};
use ecociv_web::pages::indicator::{HistoryEntry, IndicatorView};
use ecociv_web::pages::table::{Table21View, TableFilter};
use ecociv_web::pages::water::WaterView;
use ecociv_web::pages::{air, dashboard as dashboard_page, indicator as indicator_page, table as table_page, water};

use super::{Web, WebError, WebResult, context, department_name, html, visible_zone, year_or_default, years};
use crate::AppState;
use crate::policy;

type Q = Query<BTreeMap<String, String>>;

/// `GET /`: the first zone the visitor may see, or the login page.
pub async fn home(State(state): State<AppState>, web: Web) -> WebResult<Response> {
    let zones = state.store.zone_summaries().await?;
    let visible = zones
        .into_iter()
        .find(|(code, _, _, disclosed)| policy::can_see_zone(policy::role(web.principal.as_deref(), code).as_ref(), *disclosed));
    Ok(match visible {
        Some((code, ..)) => Redirect::to(&ecociv_web::layout::urls::dashboard(&code)).into_response(),
        None => Redirect::to(ecociv_web::layout::urls::LOGIN).into_response(),
    })
}

fn target_checks(framework: &Framework, zone: &Zone) -> Vec<TargetCheck> {
    let mut checks = check_targets(framework, zone, 2025);
    checks.extend(check_targets(framework, zone, 2030));
    checks
}

/// The departments' progress for a year from the workflow store: one query for the current revisions.
async fn department_progress(state: &AppState, framework: &Framework, zone: &Zone, year: i32) -> WebResult<Vec<DepartmentProgress>> {
    let revisions = state.store.current_revisions(&zone.profile.code, Some(year)).await?;
    let status: BTreeMap<&str, Workflow> = revisions.iter().map(|revision| (revision.observation.row.as_str(), revision.status)).collect();
    let mut by_department: BTreeMap<String, DepartmentProgress> = BTreeMap::new();
    for (_, row) in framework.rows() {
        for department in zone.plan.lead_departments.get(&row.id).into_iter().flatten() {
            let entry = by_department
                .entry(department.clone())
                .or_insert_with(|| DepartmentProgress { department: department.clone(), ..DepartmentProgress::default() });
            entry.rows += 1;
            match status.get(row.id.as_str()) {
                None => entry.missing += 1,
                Some(Workflow::Draft) => entry.draft += 1,
                Some(Workflow::Submitted) => entry.submitted += 1,
                Some(Workflow::Returned) => entry.returned += 1,
                Some(Workflow::Approved) => entry.approved += 1,
            }
        }
    }
    Ok(by_department.into_values().collect())
}

/// `GET /z/{code}?year=`.
pub async fn dashboard(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let assessment = assess(&framework, &zone, year);
    let member = policy::can_read_internal(policy::role(web.principal.as_deref(), &code).as_ref());
    let departments = if member {
        department_progress(&state, &framework, &zone, year).await?
    } else {
        DepartmentProgress::from_assessment(&assessment)
    };
    let view = DashboardView::build(&framework, &zone, &assessment, years(&zone, record.base_year), departments);
    let department = match &web.principal {
        Some(principal) => department_name(&state, principal, &code).await?,
        None => None,
    };
    let ctx = context(&web, Some(&record), department, None);
    Ok(html(StatusCode::OK, dashboard_page::render_dashboard(&ctx, &view)))
}

/// `GET /z/{code}/table?year=&domain=&status=&dept=`.
pub async fn table(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let assessment = assess(&framework, &zone, year);
    let filter = TableFilter::from_query(query.iter().map(|(key, value)| (key.as_str(), value.as_str())));
    let view = Table21View::build(&framework, &zone, &assessment, &target_checks(&framework, &zone), years(&zone, record.base_year), filter);
    let department = match &web.principal {
        Some(principal) => department_name(&state, principal, &code).await?,
        None => None,
    };
    let ctx = context(&web, Some(&record), department, None);
    Ok(html(StatusCode::OK, table_page::render_table(&ctx, &view)))
}

fn download(content_type: &'static str, file_name: String, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file_name.replace(['"', '\\'], ""));
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static(content_type));
    if let Ok(value) = axum::http::HeaderValue::from_str(&disposition) {
        headers.insert(axum::http::header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /z/{code}/table.csv?year=`: the year's assessment as open-data CSV (UTF-8 with a BOM).
pub async fn table_csv(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let bytes = ecociv_report::csv::open_data(&[assess(&framework, &zone, year)]).map_err(|error| WebError::Internal(web.lang, error.to_string()))?;
    Ok(download("text/csv; charset=utf-8", format!("ecociv-{code}-{year}.csv"), bytes))
}

/// `GET /z/{code}/table.xlsx?year=`: Table 2-1 and the values by year as an Excel workbook.
pub async fn table_xlsx(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let bytes = ecociv_report::xlsx::workbook(&framework, &zone, year, &zone.years()).map_err(|error| WebError::Internal(web.lang, error.to_string()))?;
    Ok(download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", format!("ecociv-{code}-{year}.xlsx"), bytes))
}

/// `GET /z/{code}/data.json?year=`: the year's values and judgements as open-data JSON.
pub async fn open_data_json(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let json = ecociv_report::json::open_data(&[assess(&framework, &zone, year)]);
    Ok(download("application/json", format!("ecociv-{code}-{year}.json"), json.to_string().into_bytes()))
}

/// The system fonts the report's charts are drawn with, loaded once.
static REPORT_FONTS: std::sync::LazyLock<ecociv_chart::png::Fonts> = std::sync::LazyLock::new(ecociv_chart::png::Fonts::system);

/// `GET /z/{code}/report.docx?year=`: the yearly self-assessment report (Word), the same document as
/// `ecociv report --format docx`, with the progress early warning.
pub async fn report_docx(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let lang = web.lang;
    // Drawing the charts and writing the document take a few hundred milliseconds of CPU: off the async
    // workers.
    let output = tokio::task::spawn_blocking(move || ecociv_report::docx::zone_report(&framework, &zone, year, true, &REPORT_FONTS))
        .await
        .map_err(|error| WebError::Internal(lang, error.to_string()))?
        .map_err(|error| WebError::Internal(lang, error.to_string()))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("ecociv-{code}-{year}.docx"),
        output.bytes,
    ))
}

/// The history action labels of the store's actions.
fn action_key(action: ecociv_store::Action) -> &'static str {
    match action {
        ecociv_store::Action::Save => "saved",
        ecociv_store::Action::Submit => "submitted",
        ecociv_store::Action::Approve => "approved",
        ecociv_store::Action::Return => "returned",
        ecociv_store::Action::Reopen => "reopened",
        ecociv_store::Action::Import => "imported",
    }
}

/// `GET /z/{code}/indicators/{row}?year=`.
pub async fn indicator(State(state): State<AppState>, web: Web, Path((code, row)): Path<(String, String)>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let assessment = assess(&framework, &zone, year);
    let Some(mut view) = IndicatorView::build(&framework, &zone, &assessment, &target_checks(&framework, &zone), &row, years(&zone, record.base_year))
    else {
        return Err(WebError::NotFound(web.lang));
    };
    let role = policy::role(web.principal.as_deref(), &code);
    if framework.row(&row).is_some() && role.is_some() {
        let leads = state.store.row_leads(&code, &row).await?;
        if policy::can_read_row(role.as_ref(), &leads) {
            view.history = state
                .store
                .history(&code, &row, year)
                .await?
                .iter()
                .rev()
                .map(|revision| HistoryEntry {
                    at: revision.created_at.clone(),
                    who: revision.author_name.clone(),
                    action: action_key(revision.action).to_string(),
                    value: Some(revision.observation.value.display()),
                    comment: Some(revision.reason.clone()).filter(|reason| !reason.is_empty()),
                })
                .collect();
            let mut names: BTreeMap<String, String> = BTreeMap::new();
            for file in state.store.evidence_list(&code, &row, year).await? {
                if !names.contains_key(&file.uploaded_by) {
                    let name = state.store.user_by_id(&file.uploaded_by).await?.map(|user| user.display_name).unwrap_or_default();
                    names.insert(file.uploaded_by.clone(), name);
                }
                view.evidence.push(ecociv_web::pages::indicator::EvidenceFile {
                    href: ecociv_web::layout::urls::evidence(&code, &file.id),
                    bytes: u64::try_from(file.size_bytes).unwrap_or(0),
                    uploaded_by: names.get(&file.uploaded_by).cloned().unwrap_or_default(),
                    uploaded_at: file.created_at,
                    name: file.file_name,
                });
            }
            // A reviewer reopens an approved value here, with a reason (it goes into the history).
            if policy::can_review(role.as_ref())
                && let Some(current) = state.store.current(&code, &row, year).await?
                && current.status == ecociv_store::Status::Approved
            {
                view.reopen = Some(ecociv_web::pages::indicator::ReopenForm {
                    action: ecociv_web::layout::urls::reopen(&code, &row),
                    year,
                    revision: current.revision_no,
                    error: None,
                });
            }
        }
    }
    let department = match &web.principal {
        Some(principal) => department_name(&state, principal, &code).await?,
        None => None,
    };
    // After the reopen form (post, redirect, get): its outcome.
    let flash = match (query.get("done").map(String::as_str), query.get("error").map(String::as_str)) {
        (Some("reopened"), _) => Some(ecociv_web::layout::Flash {
            kind: ecociv_web::layout::FlashKind::Success,
            text: ecociv_web::i18n::t(web.lang, "indicator.reopened").into_owned(),
        }),
        (_, Some(error @ ("reopen_reason_required" | "reopen_failed"))) => {
            let key = format!("indicator.{error}");
            if let Some(reopen) = &mut view.reopen {
                reopen.error = Some(key.clone());
            }
            Some(ecociv_web::layout::Flash { kind: ecociv_web::layout::FlashKind::Error, text: ecociv_web::i18n::t(web.lang, &key).into_owned() })
        }
        _ => None,
    };
    let ctx = context(&web, Some(&record), department, flash);
    Ok(html(StatusCode::OK, indicator_page::render_indicator(&ctx, &view)))
}

/// `GET /z/{code}/air?year=`: the page frame; daily AQI is not stored by the server yet, so the page says
/// there is no data for the year.
pub async fn air(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, _) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let view = AirView {
        zone_code: code.clone(),
        year,
        years: years(&zone, record.base_year),
        stations: String::new(),
        edition: String::new(),
        synthetic: false,
        days: Vec::new(),
    };
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(StatusCode::OK, air::render_air(&ctx, &view)))
}

/// `GET /z/{code}/water?year=`: as [`air`], for the monitoring sections.
pub async fn water(State(state): State<AppState>, web: Web, Path(code): Path<String>, Query(query): Q) -> WebResult<Response> {
    let (record, zone, _) = visible_zone(&state, &web, &code).await?;
    let year = year_or_default(&query, &zone, record.base_year);
    let view = WaterView { zone_code: code.clone(), year, years: years(&zone, record.base_year), edition: String::new(), synthetic: false, sections: Vec::new() };
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(StatusCode::OK, water::render_water(&ctx, &view)))
}
