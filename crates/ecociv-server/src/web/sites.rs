//! A zone's map page (issue 15): `GET /z/{code}/map?year=` draws the zone's boundary (when imported) with
//! its stations, sections and projects as points, each with its state in the year
//! ([`crate::service::sites::states`]); administrators import a points file with the page's form, `POST
//! /z/{code}/map/sites` (multipart), through the same [`crate::service::sites::import`] as the CLI and
//! the API.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_map::svg::{Layer, TOLERANCE, WIDTH};
use ecociv_web::pages::zone_map::{SiteLine, Upload, ZoneMapPage, href, import_href, render};

use super::{Web, WebError, WebResult, context, html, visible_zone};
use crate::AppState;
use crate::auth::AuthUser;
use crate::policy;
use crate::service::sites;

/// Half the side of the square drawn around points when the zone's boundary is not imported, in degrees
/// (about 2 km), so one point or a row of points still gives a drawing of sensible shape.
const FRAME_DEGREES: f64 = 0.02;

/// The frame of a drawing of points alone: a square around them (in degrees; the projection keeps it
/// nearly square at these sizes).
fn frame(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let Some(first) = points.first() else {
        return Vec::new();
    };
    let (mut min, mut max) = (*first, *first);
    for p in points {
        min = [min[0].min(p[0]), min[1].min(p[1])];
        max = [max[0].max(p[0]), max[1].max(p[1])];
    }
    let centre = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
    let half = ((max[0] - min[0]).max(max[1] - min[1])) / 2.0 + FRAME_DEGREES;
    vec![
        [centre[0] - half, centre[1] - half],
        [centre[0] + half, centre[1] + half],
    ]
}

async fn show(
    state: &AppState,
    web: &Web,
    code: &str,
    query: &BTreeMap<String, String>,
    refused: Option<(String, Vec<String>)>,
) -> WebResult<Response> {
    let (record, _, _) = visible_zone(state, web, code).await?;
    let stored = state.store.sites(code).await?;
    let default = sites::default_year(&state.store, code)
        .await
        .map_err(|e| WebError::from_api(web, e))?;
    let year = match query.get("year") {
        Some(text) => Some(ecociv_core::value::parse_year(text).map_err(|_| WebError::BadRequest(web.lang))?),
        None => default,
    };
    let states = match year {
        Some(year) => sites::states(&state.store, code, year, &stored)
            .await
            .map_err(|e| WebError::from_api(web, e))?,
        None => BTreeMap::new(),
    };
    let lines: Vec<SiteLine> = stored
        .iter()
        .filter_map(|site| {
            let kind = sites::kind_of(site)?;
            Some(SiteLine {
                kind,
                id: site.site_id.clone(),
                name: site.name.clone(),
                position: [site.lon, site.lat],
                state: states.get(&(kind, site.site_id.clone())).cloned(),
                illustrative: site.illustrative,
            })
        })
        .collect();
    // The legend's order: stations, sections, projects.
    let mut lines = lines;
    lines.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    let boundary: Vec<(String, Vec<ecociv_map::Polygon>)> = state
        .store
        .boundaries(&[code.to_string()])
        .await?
        .into_iter()
        .filter_map(|b| {
            ecociv_map::geojson::decode(&b.geometry)
                .ok()
                .map(|polygons| (b.unit_code, polygons))
        })
        .collect();
    let has_boundary = !boundary.is_empty();
    let positions: Vec<[f64; 2]> = lines.iter().map(|s| s.position).collect();
    let extra = if has_boundary { positions } else { frame(&positions) };
    let layer: Option<Layer> = if boundary.is_empty() && extra.is_empty() {
        None
    } else {
        crate::work::cpu(move || Layer::prepare_around(&boundary, &extra, WIDTH, TOLERANCE))
            .await
            .map_err(|e| WebError::from_api(web, e))?
    };
    let mut years: Vec<i32> = {
        let framework = state.store.framework(&record.framework_id).await?;
        let mut all = Vec::new();
        for page in [crate::monitoring_results::AIR, crate::monitoring_results::WATER] {
            all.extend(
                crate::monitoring_results::page_years(&state.store, &framework, code, page)
                    .await
                    .map_err(|e| WebError::from_api(web, e))?
                    .years,
            );
        }
        all
    };
    years.extend(year);
    years.sort_unstable();
    years.dedup();
    let mut sources: Vec<String> = stored.iter().map(|s| s.source.clone()).collect();
    sources.sort();
    sources.dedup();
    let imported_at = stored.iter().map(|s| s.imported_at.as_str()).max();
    let ctx = context(web, Some(&record), None, None);
    let admin = policy::can_administer(web.principal.as_deref());
    let csrf = ctx.csrf_token.clone().unwrap_or_default();
    let refused_view = refused.as_ref().map(|(m, p)| (m.as_str(), p.clone()));
    let view = ZoneMapPage {
        zone: code,
        zone_name: &record.profile.name,
        year,
        years,
        layer: layer.as_ref(),
        boundary: has_boundary,
        sites: &lines,
        sources,
        imported_at,
        upload: admin.then(|| Upload {
            action: import_href(code),
            csrf: &csrf,
        }),
        refused: refused_view,
        done: query.get("done").and_then(|n| n.parse().ok()),
    };
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(status, render(&ctx, &view)))
}

/// `GET /z/{code}/map?year=`.
pub async fn page(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    show(&state, &web, &code, &query, None).await
}

/// `POST /z/{code}/map/sites` (administrators): a GeoJSON file of points, imported all or nothing; the page
/// again with every problem when refused.
pub async fn import(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    if !policy::can_administer(Some(&user.0)) {
        return Err(WebError::Forbidden(web.lang));
    }
    // The route's body limit is the file's ([`sites::MAX_SITES_BYTES`]); a form without a file is answered
    // below.
    let form = super::forms::form_input(&web, &headers, body).await?;
    let none = BTreeMap::new();
    let Some(file) = form.upload() else {
        return show(
            &state,
            &web,
            &code,
            &none,
            Some((
                ecociv_web::i18n::t(web.lang, "zone_map.no_file").into_owned(),
                Vec::new(),
            )),
        )
        .await;
    };
    let source = file
        .file_name
        .trim()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("upload")
        .to_string();
    let source = if source.is_empty() {
        "upload".to_string()
    } else {
        source
    };
    let Ok(text) = std::str::from_utf8(&file.content) else {
        let message = ecociv_web::i18n::tf(web.lang, "zone_map.not_utf8", &[("file", &source)]);
        return show(&state, &web, &code, &none, Some((message, Vec::new()))).await;
    };
    match sites::try_import(&state.store, &user.user.id, &code, text, &source).await {
        Ok(Ok(report)) => Ok(Redirect::to(&format!("{}?done={}", href(&code), report.stored)).into_response()),
        Ok(Err(problems)) => {
            let message = ecociv_web::i18n::tf(
                web.lang,
                "zone_map.refused",
                &[("file", &source), ("n", &problems.len())],
            );
            let listed: Vec<String> = problems
                .iter()
                .take(ecociv_map::geojson::MAX_PROBLEMS)
                .map(|p| match web.lang {
                    ecociv_web::Lang::Zh => p.zh(),
                    _ => p.en(),
                })
                .collect();
            show(&state, &web, &code, &none, Some((message, listed))).await
        }
        Err(error) => Err(WebError::from_api(&web, error)),
    }
}
