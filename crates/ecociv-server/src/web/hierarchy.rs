//! The roll-up page (issue 15): `/rollup/{code}?year=` for a city, a province (a unit's code) or the
//! nation (`all`), through `service::rollup` as the API; the comparison's CSV is the API's
//! (`/api/v1/rollup/{code}?year=&format=csv`).

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ecociv_web::layout::urls;
use ecociv_web::pages::rollup::{MapUnit, RollupMap, RollupPage, render};

use super::{Web, WebError, WebResult, context, html};
use crate::AppState;
use crate::auth::AuthUser;
use crate::service::{maps, rollup};

fn zone_href(code: &str) -> String {
    urls::dashboard(code)
}

/// The page's `?year=` (2021, the plan's base year, when absent); 400 when not a year.
fn year_of(web: &Web, query: &BTreeMap<String, String>) -> WebResult<i32> {
    match query.get("year") {
        Some(text) => ecociv_core::value::parse_year(text).map_err(|_| WebError::BadRequest(web.lang)),
        None => Ok(2021),
    }
}

/// The years linked around `year`.
fn years_around(year: i32) -> impl Iterator<Item = i32> {
    ((year - 2)..=(year + 2)).filter(|y| ecociv_core::value::YEARS.contains(y))
}

/// `GET /rollup/{code}?year=YYYY`.
pub async fn page(
    State(state): State<AppState>,
    web: Web,
    user: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let year = year_of(&web, &query)?;
    let view = rollup::compute(&state, &user, &code, year, query.get("framework").map(String::as_str))
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    let framework = rollup::framework(&state, &view.rollup.framework_id)
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    let encoded = urls::encode(&code);
    let scope = (code != rollup::NATION).then_some(view.rollup.scope.as_str());
    let map = maps::scope_map(&state.store, &state.maps, scope, crate::service::zones::today())
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    let units: Vec<MapUnit> = map
        .units
        .iter()
        .map(|u| MapUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            city: u.city.clone(),
            drawn: u.drawn,
        })
        .collect();
    // The row the map colours: a row of the edition compared, else readiness.
    let row = query
        .get("map")
        .filter(|id| !id.is_empty() && framework.row(id).is_some())
        .map(String::as_str);
    let years = years_around(year)
        .map(|y| (y, format!("{}?year={y}", urls::rollup(&code))))
        .collect();
    let page_view = RollupPage {
        scope_name: &view.scope_name,
        rollup: &view.rollup,
        zones: &view.zones,
        framework: &framework,
        stale: view.stale.len(),
        csv_href: format!("/api/v1/rollup/{encoded}?year={year}&format=csv"),
        xlsx_href: format!("/api/v1/rollup/{encoded}/rollup.xlsx?year={year}"),
        docx_href: rollup::summary_bureau(&code).map(|_| format!("/api/v1/rollup/{encoded}/summary.docx?year={year}")),
        import_href: user
            .can_import_for(scope, crate::service::zones::hierarchy())
            .then(|| format!("{}?unit={encoded}", urls::ADMIN_IMPORT)),
        years,
        zone_href,
        map: RollupMap {
            layer: map.layer.as_ref(),
            units: &units,
            row,
            action: urls::rollup(&code),
            sources: &map.sources,
            imported_at: map.imported_at.as_deref(),
            scope_code: scope.unwrap_or(""),
        },
    };
    let ctx = context(&web, None, None, None);
    Ok(html(StatusCode::OK, render(&ctx, &page_view)))
}

/// `GET /z/{code}/peers?year=YYYY`: the zone and the zones of the same kind side by side (visible like the
/// zone's dashboard; the peers listed are those the visitor may see).
pub async fn peers(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let year = year_of(&web, &query)?;
    let view = rollup::peers(&state, web.principal.as_deref(), &code, year)
        .await
        .map_err(|error| WebError::from_api(&web, error))?;
    let page_view = ecociv_web::pages::peers::PeersPage {
        zone_name: &view.record.profile.name,
        peers: &view.peers,
        zones: &view.zones,
        framework: &view.framework,
        stale: view.stale,
        years: years_around(year).collect(),
    };
    let ctx = context(&web, Some(&view.record), None, None);
    Ok(html(StatusCode::OK, ecociv_web::pages::peers::render(&ctx, &page_view)))
}
