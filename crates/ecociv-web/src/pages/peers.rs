//! Zones of the same kind side by side (同类区域比较, issue 15): a zone and the zones sharing its level,
//! climate and terrain, for a year — their standing, and each indicator row across them with its figure (in
//! the row's precision and unit, through `RowFormat`) and status. Renders a computed
//! `ecociv_progress::rollup::Peers`; computes nothing.

use ecociv_core::{Framework, Status};
use ecociv_progress::rollup::{Peers, ZoneEntry};
use maud::html;

use super::rollup::{edition_and_years, standings_section};
use crate::i18n::{t, tf};
use crate::layout::{Nav, PageContext, page, status_badge, status_from_code, urls};

/// What the page shows.
pub struct PeersPage<'a> {
    pub zone_name: &'a str,
    pub peers: &'a Peers,
    pub zones: &'a [ZoneEntry],
    /// The edition compared under (the zone's).
    pub framework: &'a Framework,
    /// Zones of the group whose figures are being recomputed.
    pub stale: usize,
    /// The neighbouring years.
    pub years: Vec<i32>,
}

/// The Chinese name of a kind attribute (层级, 气候, 地形).
fn attribute_key(key: &str) -> &'static str {
    match key {
        "level" => "peers.k_level",
        "climate" => "peers.k_climate",
        "terrain" => "peers.k_terrain",
        _ => "peers.k_other",
    }
}

/// Renders the page.
pub fn render(ctx: &PageContext, view: &PeersPage<'_>) -> String {
    let lang = ctx.lang;
    let p = view.peers;
    let r = &p.rollup;
    let title = tf(lang, "peers.title", &[("zone", &view.zone_name), ("year", &r.year)]);
    let name_of = |code: &str| -> String {
        view.zones
            .iter()
            .find(|z| z.code == code)
            .map_or_else(|| code.to_string(), |z| z.name.clone())
    };
    let figure = |row: &str, value: Option<f64>| -> String {
        match (value, view.framework.row(row)) {
            (Some(v), Some((_, row))) => row.format().with_unit(v),
            (Some(v), None) => ecociv_core::num::show(v),
            (None, _) => "—".into(),
        }
    };
    let kind: Vec<String> = p
        .kind
        .iter()
        .map(|(key, value)| format!("{}：{value}", t(lang, attribute_key(key))))
        .collect();
    let others = p.order.len().saturating_sub(1);
    let years: Vec<(i32, String)> = view.years.iter().map(|y| (*y, urls::peers(&p.zone, *y))).collect();
    let body = html! {
        h1 { (title) }
        (edition_and_years(lang, &view.framework.name, &r.framework_edition, r.year, &years))
        section class="card" aria-labelledby="kind-h" {
            h2 id="kind-h" { (t(lang, "peers.kind_h")) }
            @if kind.is_empty() {
                p { (t(lang, "peers.no_kind")) }
            } @else {
                p { (kind.join("；")) }
                @if others == 0 {
                    p { (t(lang, "peers.none")) }
                } @else {
                    p { (tf(lang, "peers.count", &[("n", &others)])) }
                }
            }
            @if view.stale > 0 {
                p class="meta" { (t(lang, "rollup.k10")) "：" (view.stale) }
            }
            p class="meta" { (t(lang, "peers.scope_note")) }
        }
        (standings_section(lang, &r.standings, &|code| urls::dashboard_year(code, r.year), Some(&p.zone)))
        section class="card" aria-labelledby="rows-h" {
            h2 id="rows-h" { (t(lang, "peers.rows_h")) }
            div class="scroll sticky-head" {
                table class="data rollup peers" {
                    thead { tr {
                        th scope="col" { (t(lang, "rollup.k26")) }
                        th scope="col" class="c-name" { (t(lang, "rollup.k27")) }
                        @for code in &p.order {
                            th scope="col" data-code=(code) { (name_of(code)) }
                        }
                    } }
                    tbody {
                        @for row in &p.rows {
                            tr data-row=(row.row) {
                                td { (row.row) }
                                td class="c-name" { (row.name) @if row.binding { "（" (t(lang, "rollup.k34")) "）" } }
                                @for cell in &row.cells {
                                    @match cell {
                                        Some(cell) => {
                                            td class="num" {
                                                @match (&cell.figure, &cell.state) {
                                                    (None, Some(state)) => (state),
                                                    _ => (figure(&row.row, cell.figure)),
                                                }
                                                " "
                                                (status_badge(lang, status_from_code(cell.status).unwrap_or(Status::NoData)))
                                            }
                                        }
                                        None => { td class="num" { (t(lang, "peers.not_reported")) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::Dashboard, body)
}
