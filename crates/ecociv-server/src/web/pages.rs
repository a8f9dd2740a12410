//! The reading pages: dashboard, Table 2-1, indicator, air, water. Public for disclosed zones; they show
//! approved values only. Members also see the departments' workflow progress on the dashboard and the
//! history of a value on its indicator page. The air and water pages are computed from the stored
//! monitoring data by the standards crates (through [`crate::api::monitoring`]); reviewers and admins
//! also upload monitoring files and compute the rows they feed from these pages.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_core::targets::{TargetCheck, check_targets};
use ecociv_core::{Framework, Observation, Zone};
use ecociv_store::Status as Workflow;
use ecociv_store::ZoneRecord;
use ecociv_web::layout::{Flash, FlashKind};
use ecociv_web::pages::air::{AirView, AnnualStatView, ComputedView, DailyAqi};
use ecociv_web::pages::dashboard::{DashboardView, DepartmentProgress, Waiting};
use ecociv_web::pages::indicator::{HistoryEntry, IndicatorView};
use ecociv_web::pages::table::{Table21View, TableFilter};
use ecociv_web::pages::water::{SectionView, WaterSummary, WaterView};
use ecociv_web::pages::{air, dashboard as dashboard_page, indicator as indicator_page, table as table_page, water};

use super::{
    Web, WebError, WebResult, context, department_name, html, visible_zone, year_framework, year_or_default, years,
};
use crate::AppState;
use crate::policy;

type Q = Query<BTreeMap<String, String>>;

/// `GET /`: the first zone the visitor may see, or the login page.
pub async fn home(State(state): State<AppState>, web: Web) -> WebResult<Response> {
    let zones = state.store.zone_summaries().await?;
    let visible = zones.into_iter().find(|(code, _, _, disclosed)| {
        policy::can_see_zone(policy::role(web.principal.as_deref(), code).as_ref(), *disclosed)
    });
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

/// The departments' progress for a year from the workflow store, and the rows waiting for entry or
/// review: one query for the current revisions.
async fn department_progress(
    state: &AppState,
    framework: &Framework,
    zone: &Zone,
    year: i32,
) -> WebResult<(Vec<DepartmentProgress>, Waiting)> {
    let revisions = state.store.current_revisions(&zone.profile.code, Some(year)).await?;
    let status: BTreeMap<&str, Workflow> = revisions
        .iter()
        .map(|revision| (revision.observation.row.as_str(), revision.status))
        .collect();
    let mut by_department: BTreeMap<String, DepartmentProgress> = BTreeMap::new();
    let mut waiting = Waiting::default();
    for (_, row) in framework.rows() {
        waiting.rows += 1;
        match status.get(row.id.as_str()) {
            None | Some(Workflow::Draft | Workflow::Returned) => waiting.entry += 1,
            Some(Workflow::Submitted) => waiting.review += 1,
            Some(Workflow::Approved) => {}
        }
        for department in zone.plan.lead_departments.get(&row.id).into_iter().flatten() {
            let entry = by_department
                .entry(department.clone())
                .or_insert_with(|| DepartmentProgress {
                    department: department.clone(),
                    ..DepartmentProgress::default()
                });
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
    Ok((by_department.into_values().collect(), waiting))
}

/// The year's assessment on the approved values: the API's materialized one
/// ([`crate::assessments::approved`]), never a second computation of the page's own.
/// What a zone's page shows for its year: the zone as the visitor may see it, the year asked for (or the
/// default), the framework edition that judges that year, and its assessment ([`assessed`]).
struct YearPage {
    record: ZoneRecord,
    zone: Zone,
    framework: Arc<Framework>,
    year: i32,
    assessment: ecociv_core::Assessment,
}

/// The [`YearPage`] of `code` for the `year` of `query`: one answer for every page and download of a year.
async fn year_page(state: &AppState, web: &Web, code: &str, query: &BTreeMap<String, String>) -> WebResult<YearPage> {
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let year = year_or_default(query, &zone, record.base_year);
    let framework = year_framework(state, &record, framework, year).await?;
    let assessment = assessed(state, web, &framework, &record, &zone, year).await?;
    Ok(YearPage {
        record,
        zone,
        framework,
        year,
        assessment,
    })
}

async fn assessed(
    state: &AppState,
    web: &Web,
    framework: &Framework,
    record: &ZoneRecord,
    zone: &Zone,
    year: i32,
) -> WebResult<ecociv_core::Assessment> {
    crate::assessments::approved(state, framework, record, zone, year)
        .await
        .map_err(|error| WebError::from_api(web, error))
}

/// `GET /z/{code}?year=`.
pub async fn dashboard(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let YearPage {
        record,
        zone,
        framework,
        year,
        assessment,
    } = year_page(&state, &web, &code, &query).await?;
    let member = policy::can_read_internal(policy::role(web.principal.as_deref(), &code).as_ref());
    let (departments, waiting) = if member {
        let (departments, waiting) = department_progress(&state, &framework, &zone, year).await?;
        (departments, Some(waiting))
    } else {
        (DepartmentProgress::from_assessment(&assessment), None)
    };
    let mut view = DashboardView::build(
        &framework,
        &zone,
        &assessment,
        years(&zone, record.base_year),
        departments,
    );
    if let Some(waiting) = waiting {
        view.waiting = waiting;
    }
    let department = match &web.principal {
        Some(principal) => department_name(&state, principal, &code).await?,
        None => None,
    };
    let ctx = context(&web, Some(&record), department, None);
    Ok(html(StatusCode::OK, dashboard_page::render_dashboard(&ctx, &view)))
}

/// `GET /z/{code}/table?year=&domain=&status=&dept=`.
pub async fn table(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let YearPage {
        record,
        zone,
        framework,
        year,
        assessment,
    } = year_page(&state, &web, &code, &query).await?;
    let filter = TableFilter::from_query(query.iter().map(|(key, value)| (key.as_str(), value.as_str())));
    let mut view = Table21View::build(
        &framework,
        &zone,
        &assessment,
        &target_checks(&framework, &zone),
        years(&zone, record.base_year),
        filter,
    );
    // Rows computed from monitoring data corrected since (issue 19).
    let stale = crate::service::corrections::stale_row_ids(&state.store, &framework, &code, year)
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    for row in &mut view.rows {
        row.stale = stale.contains(&row.id);
    }
    let department = match &web.principal {
        Some(principal) => department_name(&state, principal, &code).await?,
        None => None,
    };
    let ctx = context(&web, Some(&record), department, None);
    Ok(html(StatusCode::OK, table_page::render_table(&ctx, &view)))
}

pub(crate) fn download(content_type: &'static str, file_name: String, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file_name.replace(['"', '\\'], ""));
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(content_type),
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&disposition) {
        headers.insert(axum::http::header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /z/{code}/table.csv?year=`: the year's assessment as open-data CSV (UTF-8 with a BOM).
pub async fn table_csv(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let YearPage { year, assessment, .. } = year_page(&state, &web, &code, &query).await?;
    rendered(
        &web,
        "text/csv; charset=utf-8",
        format!("ecociv-{code}-{year}.csv"),
        move || ecociv_report::csv::open_data(&[assessment]),
    )
    .await
}

/// `GET /z/{code}/table.xlsx?year=`: Table 2-1 and the values by year as an Excel workbook.
pub async fn table_xlsx(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let YearPage {
        record,
        zone,
        framework,
        year,
        assessment,
    } = year_page(&state, &web, &code, &query).await?;
    let by_years = crate::assessments::approved_years(&state, &framework, &record, &zone, &zone.years())
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    rendered(
        &web,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("ecociv-{code}-{year}.xlsx"),
        move || ecociv_report::xlsx::workbook(&framework, &zone, &assessment, &by_years),
    )
    .await
}

/// `GET /z/{code}/data.json?year=`: the year's values and judgements as open-data JSON.
pub async fn open_data_json(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let YearPage { year, assessment, .. } = year_page(&state, &web, &code, &query).await?;
    rendered(
        &web,
        "application/json",
        format!("ecociv-{code}-{year}.json"),
        move || {
            Ok::<_, std::convert::Infallible>(ecociv_report::json::open_data(&[assessment]).to_string().into_bytes())
        },
    )
    .await
}

/// The system fonts the report's charts are drawn with, loaded once.
static REPORT_FONTS: std::sync::LazyLock<ecociv_chart::png::Fonts> =
    std::sync::LazyLock::new(ecociv_chart::png::Fonts::system);

/// `GET /z/{code}/report.docx?year=`: the yearly self-assessment report (Word), the same document as
/// `ecociv report --format docx`, with the progress early warning.
pub async fn report_docx(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let YearPage {
        zone,
        framework,
        year,
        assessment,
        ..
    } = year_page(&state, &web, &code, &query).await?;
    // Drawing the charts and writing the document take a few hundred milliseconds of CPU: off the async
    // workers.
    rendered(
        &web,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("ecociv-{code}-{year}.docx"),
        move || {
            let early = ecociv_progress::zone::early_warnings(&framework, &zone, year);
            let today = ecociv_store::clock::today();
            ecociv_report::docx::zone_report(
                &framework,
                &zone,
                &assessment,
                Some(&early),
                ecociv_report::docx::chinese_date(today.year, today.month.into(), today.day.into()),
                &REPORT_FONTS,
            )
            .map(|output| output.bytes)
        },
    )
    .await
}

/// A download of a page's year, `render`ed off the async workers ([`crate::work::cpu`]: writing a workbook
/// or a document, drawing charts), as the file `name` of `content_type`; a failure is the page's internal
/// error.
async fn rendered<E: std::fmt::Display + Send + 'static>(
    web: &Web,
    content_type: &'static str,
    name: String,
    render: impl FnOnce() -> Result<Vec<u8>, E> + Send + 'static,
) -> WebResult<Response> {
    let bytes = crate::work::cpu(render)
        .await
        .map_err(|error| WebError::Internal(web.lang, error.message))?
        .map_err(|error| WebError::Internal(web.lang, error.to_string()))?;
    Ok(download(content_type, name, bytes))
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
pub async fn indicator(
    State(state): State<AppState>,
    web: Web,
    Path((code, row)): Path<(String, String)>,
    Query(query): Q,
) -> WebResult<Response> {
    let YearPage {
        record,
        zone,
        framework,
        year,
        assessment,
    } = year_page(&state, &web, &code, &query).await?;
    // The series' judgements: each year's stored assessment, like the year shown.
    let by_year = crate::assessments::approved_years(&state, &framework, &record, &zone, &zone.years())
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    let Some(mut view) = IndicatorView::build_from(
        &framework,
        &zone,
        &assessment,
        &by_year,
        &target_checks(&framework, &zone),
        &row,
        years(&zone, record.base_year),
    ) else {
        return Err(WebError::NotFound(web.lang));
    };
    let role = policy::role(web.principal.as_deref(), &code);
    if let Some((_, framework_row)) = framework.row(&row)
        && role.is_some()
    {
        let format = ecociv_core::format::RowFormat::for_row(framework_row);
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
                    value: Some(format.value(&revision.observation.value)),
                    comment: Some(revision.reason.clone()).filter(|reason| !reason.is_empty()),
                })
                .collect();
            let stored = state.store.evidence_list(&code, &row, year).await?;
            view.evidence = super::files::rows(&state, stored.iter().map(|e| &e.file), |id| {
                ecociv_web::layout::urls::evidence(&code, id)
            })
            .await?;
            // The figures the registers give for the row, with their arithmetic (issue 13).
            if policy::can_read_internal(role.as_ref()) {
                view.ledger = super::ledger::indicator_figures(&state, &code, &row, year)
                    .await
                    .map_err(|error| WebError::from_api(&web, error))?;
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
    let flash = match (
        query.get("done").map(String::as_str),
        query.get("error").map(String::as_str),
    ) {
        (Some("reopened"), _) => Some(Flash {
            kind: FlashKind::Success,
            text: ecociv_web::i18n::t(web.lang, "indicator.reopened").into_owned(),
        }),
        (_, Some(error @ ("reopen_reason_required" | "reopen_failed"))) => {
            let key = format!("indicator.{error}");
            if let Some(reopen) = &mut view.reopen {
                reopen.error = Some(key.clone());
            }
            Some(Flash {
                kind: FlashKind::Error,
                text: ecociv_web::i18n::t(web.lang, &key).into_owned(),
            })
        }
        _ => None,
    };
    let ctx = context(&web, Some(&record), department, flash);
    Ok(html(StatusCode::OK, indicator_page::render_indicator(&ctx, &view)))
}

/// The year of a monitoring page: the query's, else the latest year with stored data of the page's
/// medium, else the zone's default.
pub(super) fn monitoring_year(query: &BTreeMap<String, String>, stored: &[i32], zone: &Zone, base_year: i32) -> i32 {
    if query.contains_key("year") {
        return year_or_default(query, zone, base_year);
    }
    stored
        .last()
        .copied()
        .unwrap_or_else(|| year_or_default(query, zone, base_year))
}

pub(super) fn may_manage(web: &Web, code: &str) -> bool {
    policy::can_review(policy::role(web.principal.as_deref(), code).as_ref())
}

/// The figures "compute from monitoring" would save, with the row's current value and status for members.
async fn computed_views(
    state: &AppState,
    web: &Web,
    framework: &Framework,
    code: &str,
    observations: &[Observation],
) -> WebResult<Vec<ComputedView>> {
    let member = policy::can_read_internal(policy::role(web.principal.as_deref(), code).as_ref());
    let mut out = Vec::new();
    for observation in observations {
        let Some((_, row)) = framework.row(&observation.row) else {
            continue;
        };
        let format = ecociv_core::format::RowFormat::for_row(row);
        let current = if member {
            state
                .store
                .current(code, &observation.row, observation.year)
                .await?
                .map(|revision| {
                    format!(
                        "{}（{}）",
                        format.value(&revision.observation.value),
                        ecociv_web::i18n::t(web.lang, &format!("workflow.{}", revision.status.code()))
                    )
                })
        } else {
            None
        };
        out.push(ComputedView {
            row: observation.row.clone(),
            name: row.name.clone(),
            value: format.value(&observation.value),
            source: observation.source.describe(),
            current,
        });
    }
    Ok(out)
}

/// A GB 3095 statistic as the page shows it (CO in tenths of mg/m³, the rest µg/m³).
fn stat_view(stat: &crate::monitoring_results::AirStat) -> AnnualStatView {
    let show = |v: i64| {
        if stat.tenths {
            format!("{} mg/m³", ecociv_air::hj663::fmt_tenths(v))
        } else {
            format!("{v} μg/m³")
        }
    };
    AnnualStatView {
        key: stat.key.clone(),
        value: stat.value.map(show),
        limit: stat.limit.map(show),
        days: stat.days,
        valid: stat.valid,
        complies: stat.complies,
    }
}

/// The years of a monitoring page and whether its figures are current; a page finding them missing or
/// stale asks for their recomputation in the background and says so (it never reads the readings).
pub(super) async fn page_years(
    state: &AppState,
    web: &Web,
    framework: &Framework,
    code: &str,
    page: &str,
) -> WebResult<crate::monitoring_results::PageYears> {
    let years = crate::monitoring_results::page_years(&state.store, framework, code, page)
        .await
        .map_err(|error| WebError::from_api(web, error))?;
    if years.stale {
        state.monitoring.spawn(&state.store, code, page);
    }
    Ok(years)
}

/// The note of a page whose figures are being computed.
pub(super) const COMPUTING: &str = "监测数据的年度结果正在计算，请稍后刷新本页。";

/// Builds the air page's view from the materialized figures of the year (computed by `ecociv-air` from
/// the stored hourly data as `ecociv assess` computes them: 点位平均法, edition by date).
async fn air_view(
    state: &AppState,
    web: &Web,
    code: &str,
    query: &BTreeMap<String, String>,
) -> WebResult<(ZoneRecord, AirView)> {
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let stored = page_years(state, web, &framework, code, crate::monitoring_results::AIR).await?;
    let year = monitoring_year(query, &stored.years, &zone, record.base_year);
    let data = crate::monitoring_results::air_result(&state.store, code, year, &stored)
        .await
        .map_err(|error| WebError::from_api(web, error))?;
    let mut computed = Vec::new();
    let mut view = AirView {
        zone_code: code.to_string(),
        year,
        years: years(&zone, record.base_year),
        manage: may_manage(web, code),
        ..AirView::default()
    };
    if stored.stale {
        view.notes.push(COMPUTING.into());
    }
    if let Some(data) = data {
        view.synthetic = data.files.iter().any(|f| f.contains("SYNTHETIC"));
        view.files = data.files;
        view.stations = data.stations.join("、");
        view.edition = data.edition;
        view.provenance = data.provenance;
        view.days = data
            .days
            .iter()
            .filter_map(|day| {
                Some(DailyAqi {
                    date: ecociv_web::i18n::Date::new(day.year, day.month, day.day)?,
                    aqi: day.aqi,
                    category: day.category,
                    primary: day.primary.clone(),
                })
            })
            .collect();
        view.annual = data.annual.iter().map(stat_view).collect();
        let observations = data
            .observations
            .iter()
            .map(crate::monitoring_results::StoredObservation::observation)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| WebError::from_api(web, error))?;
        view.computed = computed_views(state, web, &framework, code, &observations).await?;
        view.notes.extend(data.notes);
        computed = observations;
    }
    if view.manage {
        let kinds: Vec<ecociv_monitoring::kind::Kind> = ecociv_monitoring::kind::Kind::ALL
            .into_iter()
            .filter(|kind| kind.medium() == crate::monitoring_results::AIR)
            .collect();
        let page = crate::web::corrections::Page {
            framework: &framework,
            code,
            year,
            kinds: &kinds,
            files: &view.files,
        };
        view.corrections = Some(crate::web::corrections::view(state, web, &page, &computed, query).await?);
    }
    Ok((record, view))
}

/// Builds the water page's view from the materialized figures of the year (classes by `ecociv-water`:
/// GB 3838-2002 and the 2011 method).
async fn water_view(
    state: &AppState,
    web: &Web,
    code: &str,
    query: &BTreeMap<String, String>,
) -> WebResult<(ZoneRecord, WaterView)> {
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let stored = page_years(state, web, &framework, code, crate::monitoring_results::WATER).await?;
    let year = monitoring_year(query, &stored.years, &zone, record.base_year);
    let data = crate::monitoring_results::water_result(&state.store, code, year, &stored)
        .await
        .map_err(|error| WebError::from_api(web, error))?;
    let mut view = WaterView {
        zone_code: code.to_string(),
        year,
        years: years(&zone, record.base_year),
        edition: format!(
            "{}；{}",
            ecociv_water::edition::GB3838,
            ecociv_water::edition::EVALUATION_2011
        ),
        manage: may_manage(web, code),
        ..WaterView::default()
    };
    if stored.stale {
        view.notes.push(COMPUTING.into());
    }
    let Some(data) = data else {
        with_corrections(state, web, &framework, code, &[], query, &mut view).await?;
        return Ok((record, view));
    };
    view.synthetic = data.synthetic;
    view.files = data.files;
    if let Some((total, i_iii, worse_v)) = data.counts {
        view.summary = Some(WaterSummary { total, i_iii, worse_v });
    }
    if !data.sections.is_empty() {
        let (n, samples) = (data.sections.len(), data.samples);
        view.provenance = ecociv_web::i18n::tf(
            web.lang,
            "water.sections_samples",
            &[("sections", &n), ("samples", &samples), ("year", &year)],
        );
    }
    view.sections = data
        .sections
        .iter()
        .map(|section| SectionView {
            name: section.name.clone(),
            water_body: ecociv_web::i18n::t(web.lang, &format!("water.waterbody.{}", section.waterbody)).into_owned(),
            target_class: None,
            monthly: section.monthly,
            annual: section.annual,
        })
        .collect();
    let observations = data
        .observations
        .iter()
        .map(crate::monitoring_results::StoredObservation::observation)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| WebError::from_api(web, error))?;
    view.computed = computed_views(state, web, &framework, code, &observations).await?;
    with_corrections(state, web, &framework, code, &observations, query, &mut view).await?;
    Ok((record, view))
}

/// The water page's corrections part (reviewers, admins).
async fn with_corrections(
    state: &AppState,
    web: &Web,
    framework: &Framework,
    code: &str,
    computed: &[Observation],
    query: &BTreeMap<String, String>,
    view: &mut WaterView,
) -> WebResult<()> {
    if view.manage {
        let kinds: Vec<ecociv_monitoring::kind::Kind> = ecociv_monitoring::kind::Kind::ALL
            .into_iter()
            .filter(|kind| kind.medium() == crate::monitoring_results::WATER)
            .collect();
        let page = crate::web::corrections::Page {
            framework,
            code,
            year: view.year,
            kinds: &kinds,
            files: &view.files,
        };
        view.corrections = Some(crate::web::corrections::view(state, web, &page, computed, query).await?);
    }
    Ok(())
}

/// `GET /z/{code}/air?year=`: daily AQI calendar, good days by month, primary pollutants, the year
/// against GB 3095, provenance; for reviewers and admins the upload and compute forms.
pub async fn air(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let (record, view) = air_view(&state, &web, &code, &query).await?;
    let flash = monitoring_done(&web, &query).or_else(|| importing(&state, &web, &code, view.manage));
    let ctx = context(&web, Some(&record), None, flash);
    Ok(html(StatusCode::OK, air::render_air(&ctx, &view)))
}

/// `GET /z/{code}/water?year=`: the sections' classes by month and year, the shares of Ⅰ–Ⅲ类 and 劣Ⅴ类,
/// the water rows' computed figures; for reviewers and admins the upload and compute forms.
pub async fn water(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let (record, view) = water_view(&state, &web, &code, &query).await?;
    let flash = monitoring_done(&web, &query).or_else(|| importing(&state, &web, &code, view.manage));
    let ctx = context(&web, Some(&record), None, flash);
    Ok(html(StatusCode::OK, water::render_water(&ctx, &view)))
}

/// For the bureau (`manage`): the imports running into the zone with their progress
/// ([`crate::spool::Imports`]), as the page's message.
pub(super) fn importing(state: &AppState, web: &Web, code: &str, manage: bool) -> Option<Flash> {
    if !manage {
        return None;
    }
    let running = state.imports.of_zone(code);
    if running.is_empty() {
        return None;
    }
    let text = running
        .iter()
        .map(|import| {
            let progress = import.json();
            let phase = import.phase().label();
            let phase = match web.lang {
                ecociv_web::i18n::Lang::Zh => phase.split(" (").next().unwrap_or(phase),
                _ => phase.split(" (").nth(1).map_or(phase, |p| p.trim_end_matches(')')),
            };
            if import.phase() == crate::spool::Phase::Computing {
                // The readings are stored: the page's figures are being computed, station by station.
                return ecociv_web::i18n::tf(
                    web.lang,
                    "monitoring.computing",
                    &[
                        ("file", &import.file),
                        ("done", &progress["stations_done"]),
                        ("total", &progress["stations_total"]),
                        ("percent", &progress["percent"]),
                    ],
                );
            }
            ecociv_web::i18n::tf(
                web.lang,
                "monitoring.importing",
                &[
                    ("file", &import.file),
                    ("phase", &phase),
                    ("percent", &progress["percent"]),
                    ("stored", &progress["stored"]),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    Some(Flash {
        kind: FlashKind::Info,
        text,
    })
}

/// The message after a monitoring upload or computation (POST-redirect-GET), from the query.
pub(super) fn monitoring_done(web: &Web, query: &BTreeMap<String, String>) -> Option<Flash> {
    let count = |name: &str| query.get(name).and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    let text = match query.get("done").map(String::as_str) {
        Some("computed") => ecociv_web::i18n::tf(
            web.lang,
            "monitoring.saved",
            &[("n", &count("n")), ("unchanged", &count("unchanged"))],
        ),
        Some("uploaded") => {
            let file: String = query
                .get("file")
                .map(|f| f.chars().take(255).collect())
                .unwrap_or_default();
            ecociv_web::i18n::tf(
                web.lang,
                "monitoring.uploaded",
                &[
                    ("file", &file),
                    ("rows", &count("rows")),
                    ("readings", &count("readings")),
                ],
            )
        }
        _ => return None,
    };
    Some(Flash {
        kind: FlashKind::Success,
        text,
    })
}

/// `GET /monitoring/example/{kind}.csv`: an example file of a monitoring data kind — the columns and the
/// first two lines of the demo's SYNTHETIC file of that kind, or of its format example
/// ([`crate::demo::FORMAT_EXAMPLES`]) — with a UTF-8 BOM so Excel reads it.
pub async fn monitoring_example(web: Web, Path(file): Path<String>) -> WebResult<Response> {
    let kind = file.strip_suffix(".csv").unwrap_or(&file);
    let Some((_, _, bytes)) = crate::demo::DEMO_MONITORING
        .iter()
        .chain(crate::demo::FORMAT_EXAMPLES)
        .find(|(k, ..)| *k == kind)
    else {
        return Err(WebError::NotFound(web.lang));
    };
    let text = String::from_utf8_lossy(bytes);
    let mut body = String::from("\u{feff}");
    for line in text.lines().take(3) {
        body.push_str(line);
        body.push_str("\r\n");
    }
    let disposition = format!("attachment; filename=\"{kind}-example.csv\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// Renders the air or water page (`back`) of `year` with a message.
async fn monitoring_page(
    state: &AppState,
    web: &Web,
    code: &str,
    back: &str,
    year: Option<&str>,
    flash: Flash,
    status: StatusCode,
) -> WebResult<Response> {
    let mut query = BTreeMap::new();
    if let Some(year) = year {
        query.insert("year".to_string(), year.to_string());
    }
    let ctx_flash = Some(flash);
    if back == super::noise_soil::BACK {
        let (record, view) = super::noise_soil::view(state, web, code, &query).await?;
        return Ok(html(
            status,
            ecociv_web::pages::noise_soil::render_noise_soil(&context(web, Some(&record), None, ctx_flash), &view),
        ));
    }
    if back == "water" {
        let (record, view) = water_view(state, web, code, &query).await?;
        Ok(html(
            status,
            water::render_water(&context(web, Some(&record), None, ctx_flash), &view),
        ))
    } else {
        let (record, view) = air_view(state, web, code, &query).await?;
        Ok(html(
            status,
            air::render_air(&context(web, Some(&record), None, ctx_flash), &view),
        ))
    }
}

/// The role of the principal of a bureau form (reviewer or admin), or the refusal page.
fn bureau(web: &Web, principal: &crate::auth::Principal, code: &str) -> WebResult<crate::auth::ZoneRole> {
    match policy::role(Some(principal), code) {
        Some(role) if policy::can_review(Some(&role)) => Ok(role),
        _ => Err(WebError::Forbidden(web.lang)),
    }
}

/// `POST /z/{code}/monitoring/upload` (multipart: `csrf_token`, `kind`, `file`, `dry_run`, `back`, `year`):
/// the import route's checks and storage, answered with the page and a message. The file goes to disk as
/// it arrives ([`crate::multipart::parse_spooled`]), up to [`crate::Config::max_monitoring_upload_bytes`]
/// as the import API's, and is read from there as a stream: memory does not grow with it.
pub async fn monitoring_upload(
    State(state): State<AppState>,
    web: Web,
    user: crate::auth::AuthUser,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> WebResult<Response> {
    bureau(&web, &user, &code)?;
    visible_zone(&state, &web, &code).await?;
    let limit = state.config.max_monitoring_upload_bytes;
    let MonitoringForm { form, back, year, kind } = monitoring_form(&web, &headers, body, limit).await?;
    let lang = web.lang;
    let error = |text: String| Flash {
        kind: FlashKind::Error,
        text,
    };
    let (file_name, spooled) = match (form.too_large, form.file) {
        (None, Some(file)) => file,
        (too_large, _) => {
            let (text, status) = match too_large {
                Some(limit) => {
                    let reason = crate::error::ApiError::from(crate::spool::SpoolError::TooLarge(limit)).message;
                    (
                        ecociv_web::i18n::tf(lang, "monitoring.refused", &[("reason", &reason)]),
                        StatusCode::PAYLOAD_TOO_LARGE,
                    )
                }
                None => (
                    ecociv_web::i18n::t(lang, "monitoring.no_file").into_owned(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
            };
            return monitoring_page(&state, &web, &code, back, year.as_deref(), error(text), status).await;
        }
    };
    let dry_run = form
        .fields
        .get("dry_run")
        .is_some_and(|value| value == "true" || value == "on");
    let file = match crate::service::monitoring::check_file_name(&file_name) {
        Ok(file) => file,
        Err(refusal) => {
            let flash = error(ecociv_web::i18n::tf(
                lang,
                "monitoring.refused",
                &[("reason", &refusal.message)],
            ));
            return monitoring_page(
                &state,
                &web,
                &code,
                back,
                year.as_deref(),
                flash,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match crate::service::monitoring::import_spooled(&state, &code, kind, &file, &spooled, dry_run).await {
        Ok(summary) => {
            let key = if dry_run {
                "monitoring.checked"
            } else {
                "monitoring.uploaded"
            };
            let text = ecociv_web::i18n::tf(
                lang,
                key,
                &[
                    ("file", &file),
                    ("rows", &summary["rows"]),
                    ("readings", &summary["readings"]),
                ],
            );
            // After an import, show the year of the data imported.
            let year = summary["from"]
                .as_str()
                .and_then(|from| from.get(..4))
                .map(str::to_string)
                .or(year);
            if !dry_run {
                // POST-redirect-GET: a refresh does not send the file again.
                let year = year.as_deref().and_then(|y| y.parse::<i32>().ok()).unwrap_or_default();
                return Ok(Redirect::to(&format!(
                    "/z/{}/{back}?year={year}&done=uploaded&file={}&rows={}&readings={}",
                    ecociv_web::layout::urls::encode(&code),
                    ecociv_web::layout::urls::encode(&file),
                    summary["rows"].as_u64().unwrap_or(0),
                    summary["readings"].as_u64().unwrap_or(0),
                ))
                .into_response());
            }
            monitoring_page(
                &state,
                &web,
                &code,
                back,
                year.as_deref(),
                Flash {
                    kind: FlashKind::Success,
                    text,
                },
                StatusCode::OK,
            )
            .await
        }
        Err(refusal) => {
            let flash = error(ecociv_web::i18n::tf(
                lang,
                "monitoring.refused",
                &[("reason", &refusal.message)],
            ));
            monitoring_page(
                &state,
                &web,
                &code,
                back,
                year.as_deref(),
                flash,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// A bureau's monitoring form (multipart: `csrf_token`, `kind`, `file`, `back`, `year`, …) read — its
/// file spooled to disk up to `limit` bytes: the page to return to, the year shown and the kind.
struct MonitoringForm {
    form: crate::multipart::SpooledForm,
    back: &'static str,
    year: Option<String>,
    kind: ecociv_monitoring::kind::Kind,
}

async fn monitoring_form(
    web: &Web,
    headers: &axum::http::HeaderMap,
    body: axum::body::Body,
    limit: u64,
) -> WebResult<MonitoringForm> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !crate::multipart::is_multipart(Some(content_type)) {
        return Err(WebError::BadRequest(web.lang));
    }
    let form = crate::multipart::parse_spooled(content_type, body, limit)
        .await
        .map_err(|_| WebError::BadRequest(web.lang))?;
    let back = match form.fields.get("back").map(String::as_str) {
        Some("water") => "water",
        Some(super::noise_soil::BACK) => super::noise_soil::BACK,
        _ => "air",
    };
    let year = form.fields.get("year").cloned();
    let Some(kind) = form
        .fields
        .get("kind")
        .and_then(|kind| ecociv_monitoring::kind::Kind::parse(kind))
    else {
        return Err(WebError::BadRequest(web.lang));
    };
    Ok(MonitoringForm { form, back, year, kind })
}

/// `POST /z/{code}/monitoring/correct` (multipart: `csrf_token`, `kind`, `file`, `reason`, `dry_run`,
/// `back`, `year`): a correction file applied by [`crate::service::corrections::correct`] (issue 19),
/// answered with the page and a message — every problem named on a refusal.
pub async fn monitoring_correct(
    State(state): State<AppState>,
    web: Web,
    user: crate::auth::AuthUser,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> WebResult<Response> {
    let role = bureau(&web, &user, &code)?;
    visible_zone(&state, &web, &code).await?;
    let limit = crate::service::corrections::MAX_CORRECTION_BYTES as u64;
    let MonitoringForm { form, back, year, kind } = monitoring_form(&web, &headers, body, limit).await?;
    let lang = web.lang;
    let dry_run = form
        .fields
        .get("dry_run")
        .is_some_and(|value| value == "true" || value == "on");
    let reason = form.fields.get("reason").cloned();
    let flash = |kind: FlashKind, text: String| Flash { kind, text };
    let outcome = match (form.too_large, form.file) {
        (Some(limit), _) => Err(crate::error::ApiError::from(crate::spool::SpoolError::TooLarge(limit)).message),
        (None, None) => Err(ecociv_web::i18n::t(lang, "monitoring.no_file").into_owned()),
        (None, Some((file_name, spooled))) => match crate::service::monitoring::check_file_name(&file_name) {
            Err(refusal) => Err(refusal.message),
            Ok(file) => match spooled.bytes() {
                Err(error) => Err(error.to_string()),
                Ok(bytes) => crate::service::corrections::correct(
                    &state,
                    &user,
                    &role,
                    &code,
                    kind,
                    &file,
                    bytes,
                    reason.as_deref(),
                    dry_run,
                )
                .await
                .map(|summary| (file, summary))
                .map_err(|refusal| refusal.message),
            },
        },
    };
    let (message, status) = match outcome {
        Ok((file, summary)) => {
            let key = if dry_run {
                "correction.checked"
            } else {
                "correction.done"
            };
            let text = ecociv_web::i18n::tf(
                lang,
                key,
                &[
                    ("file", &file),
                    ("n", &summary["corrections"]),
                    ("retracted", &summary["retracted"]),
                ],
            );
            (flash(FlashKind::Success, text), StatusCode::OK)
        }
        Err(reason) => (
            flash(
                FlashKind::Error,
                ecociv_web::i18n::tf(lang, "correction.refused", &[("reason", &reason)]),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    monitoring_page(&state, &web, &code, back, year.as_deref(), message, status).await
}

/// `POST /z/{code}/monitoring/compute` (`csrf_token`, `year`, `status`, `back`): the compute route's
/// action, answered with the page and a message.
pub async fn monitoring_compute(
    State(state): State<AppState>,
    web: Web,
    user: crate::auth::AuthUser,
    Path(code): Path<String>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let role = bureau(&web, &user, &code)?;
    visible_zone(&state, &web, &code).await?;
    let fields: BTreeMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let back = if fields.get("back").map(String::as_str) == Some("water") {
        "water"
    } else {
        "air"
    };
    let lang = web.lang;
    let year = fields.get("year").map(String::as_str);
    let status = fields.get("status").map(String::as_str);
    let request =
        crate::service::computed::form_request(&user, &role, &code, year, status).ok_or(WebError::BadRequest(lang))?;
    let year = request.year;
    let year_text = year.to_string();
    match crate::service::monitoring::compute_and_save(&state, request).await {
        // POST-redirect-GET: a refresh of the page that follows does not compute again.
        Ok(result) => Ok(Redirect::to(&format!(
            "/z/{}/{back}?year={year}&done=computed&n={}&unchanged={}",
            ecociv_web::layout::urls::encode(&code),
            result["saved"].as_u64().unwrap_or(0),
            result["unchanged"].as_u64().unwrap_or(0),
        ))
        .into_response()),
        Err(refusal) => {
            let text = ecociv_web::i18n::tf(lang, "monitoring.refused", &[("reason", &refusal.message)]);
            monitoring_page(
                &state,
                &web,
                &code,
                back,
                Some(&year_text),
                Flash {
                    kind: FlashKind::Error,
                    text,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
