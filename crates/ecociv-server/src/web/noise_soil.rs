//! `GET /z/{code}/noise-soil?year=`: the noise and soil page (声环境与土壤, issue 19) — the materialized
//! judgements of [`crate::noise_soil`] (never the readings), the upload form of the noise and soil kinds
//! and their corrections for reviewers and admins, the contaminated-land register linked for members.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ecociv_monitoring::kind::Kind;
use ecociv_store::ZoneRecord;
use ecociv_web::pages::noise_soil::{LevelView, NoiseDayView, NoiseSoilView, SoilRowView, render_noise_soil};

use super::pages::{COMPUTING, importing, may_manage, monitoring_done, monitoring_year, page_years};
use super::{Web, WebError, WebResult, context, html, visible_zone, years};
use crate::AppState;
use crate::noise_soil::{Judged, NOISE, NoiseResult, SOIL, SOIL_YEAR, SoilResult, SoilRow};
use crate::policy;

/// The page's path segment, and the `back` of its forms.
pub const BACK: &str = "noise-soil";

/// The register the development-land samples' plots belong to (the seed's chapter 3 ledger).
const CONTAMINATED_LAND: &str = "contaminated_land";

fn level(j: &Judged) -> LevelView {
    let text = ecociv_noise::ingest::level_text;
    LevelView {
        level: text(j.level),
        limit: text(j.limit),
        meets: j.exceedance.is_none(),
        exceedance: j.exceedance.map(text),
        coverage: j
            .minutes
            .zip(j.period_minutes)
            .filter(|(minutes, period)| *minutes < f64::from(*period))
            .map(|(minutes, period)| format!("{minutes}/{period}")),
    }
}

fn class_name(code: &str) -> String {
    ecociv_noise::gb3096::FunctionalClass::parse(code).map_or_else(|| code.to_owned(), |c| c.name_zh().to_owned())
}

fn soil_row(row: &SoilRow) -> SoilRowView {
    SoilRowView {
        sample: row.sample.clone(),
        land: row.land.clone(),
        name: row.name.clone(),
        value: row.value.to_string(),
        screening: row.screening.to_string(),
        intervention: row.intervention.map(|v| v.to_string()),
        level: row.level,
        level_zh: row.level_zh.clone(),
        consequence: row.consequence.clone(),
        clause: row.clause.clone(),
        note: row.note.clone(),
    }
}

/// Builds the page's view of `year` (noise) and the soil judgements.
pub async fn view(
    state: &AppState,
    web: &Web,
    code: &str,
    query: &BTreeMap<String, String>,
) -> WebResult<(ZoneRecord, NoiseSoilView)> {
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let noise = page_years(state, web, &framework, code, NOISE).await?;
    let soil = page_years(state, web, &framework, code, SOIL).await?;
    let year = monitoring_year(query, &noise.years, &zone, record.base_year);
    let api = |error| WebError::from_api(web, error);
    let noise_result: Option<NoiseResult> =
        crate::monitoring_results::stored_result(&state.store, code, NOISE, year, &noise)
            .await
            .map_err(api)?;
    let soil_result: Option<SoilResult> =
        crate::monitoring_results::stored_result(&state.store, code, SOIL, SOIL_YEAR, &soil)
            .await
            .map_err(api)?;
    let mut all_years = years(&zone, record.base_year);
    all_years.extend(noise.years.iter().copied());
    all_years.sort_unstable();
    all_years.dedup();
    let table = ecociv_noise::gb3096::Table::embedded();
    let mut view = NoiseSoilView {
        zone_code: code.to_owned(),
        year,
        years: all_years,
        manage: may_manage(web, code),
        limits: ecociv_noise::gb3096::FunctionalClass::ALL
            .iter()
            .map(|class| {
                let limit = |p| ecociv_noise::ingest::level_text(table.limit(*class, p));
                (
                    class.name_zh().to_owned(),
                    limit(ecociv_noise::gb3096::Period::Day),
                    limit(ecociv_noise::gb3096::Period::Night),
                )
            })
            .collect(),
        ..NoiseSoilView::default()
    };
    if noise.stale || soil.stale {
        view.notes.push(COMPUTING.into());
    }
    if let Some(result) = noise_result {
        view.noise = result
            .days
            .iter()
            .map(|day| NoiseDayView {
                point: day.point.clone(),
                class: class_name(&day.class),
                date: day.date.clone(),
                day: day.day.as_ref().map(level),
                night: day.night.as_ref().map(level),
                night_max: day.night_max.as_ref().map(level),
            })
            .collect();
        view.noise_files = result.files;
    }
    if let Some(result) = soil_result {
        view.development = result.development.iter().map(soil_row).collect();
        view.farmland = result.farmland.iter().map(soil_row).collect();
        view.soil_files = result.files;
    }
    view.synthetic = view
        .noise_files
        .iter()
        .chain(&view.soil_files)
        .any(|f| f.contains("SYNTHETIC"));
    let role = policy::role(web.principal.as_deref(), code);
    if policy::can_read_internal(role.as_ref()) {
        let (_, kinds) = crate::service::ledger::zone_kinds(state, code).await.map_err(api)?;
        if kinds.iter().any(|k| k.id == CONTAMINATED_LAND) {
            view.ledger = Some(format!(
                "{}/{CONTAMINATED_LAND}",
                ecociv_web::layout::urls::ledgers(code)
            ));
        }
    }
    if view.manage {
        let kinds: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|kind| matches!(kind.medium(), NOISE | SOIL))
            .collect();
        let files: Vec<String> = view.noise_files.iter().chain(&view.soil_files).cloned().collect();
        let page = crate::web::corrections::Page {
            framework: &framework,
            code,
            year,
            kinds: &kinds,
            files: &files,
        };
        view.corrections = Some(crate::web::corrections::view(state, web, &page, &[], query).await?);
    }
    Ok((record, view))
}

/// `GET /z/{code}/noise-soil?year=`: each point's day and night levels of the year against its limits
/// (GB 3096-2008), each soil sample's contents against the screening and intervention values
/// (GB 36600-2018, GB 15618-2018); for reviewers and admins the upload form.
pub async fn page(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let (record, view) = view(&state, &web, &code, &query).await?;
    let flash = monitoring_done(&web, &query).or_else(|| importing(&state, &web, &code, view.manage));
    let ctx = context(&web, Some(&record), None, flash);
    Ok(html(StatusCode::OK, render_noise_soil(&ctx, &view)))
}
