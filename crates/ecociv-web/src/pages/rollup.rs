//! The roll-up page (汇总与比较, issue 15) of a city, a province or the nation for a year: zones ready,
//! binding indicators failed most often, each row's distribution across zones, each zone's standing, and who
//! has not reported. It renders a computed `ecociv_progress::rollup::Rollup`; figures through each row's
//! `RowFormat`. With a map (issue 15): a choropleth of readiness or of one row by county-level unit, drawn
//! by `ecociv_map` from the boundaries the deployment imported, the same figures as a table beside it, and
//! without boundaries the how-to of importing them.

use ecociv_core::format::{RowFormat, part_of};
use ecociv_core::{Framework, Status};
use ecociv_map::svg::{Area, Labels, Layer, choropleth};
use ecociv_progress::rollup::{Rollup, Standing, ZoneEntry};
use maud::{Markup, PreEscaped, html};

use crate::i18n::{t, tf};
use crate::layout::{Nav, PageContext, page};

/// What the page shows.
pub struct RollupPage<'a> {
    pub scope_name: &'a str,
    pub rollup: &'a Rollup,
    pub zones: &'a [ZoneEntry],
    /// The edition compared under (for each row's format).
    pub framework: &'a Framework,
    /// Zones whose figures are being recomputed.
    pub stale: usize,
    /// The comparison's CSV (`…?format=csv`; `&table=rows` gives the distribution's).
    pub csv_href: String,
    /// Every table as an Excel workbook.
    pub xlsx_href: String,
    /// The Word summary (a city or a province only).
    pub docx_href: Option<String>,
    /// The page of imports for the scope (zones from the plan template, boundaries), when the visitor may
    /// import for it.
    pub import_href: Option<String>,
    /// (year, href) of the neighbouring years.
    pub years: Vec<(i32, String)>,
    /// A zone's page.
    pub zone_href: fn(&str) -> String,
    /// The map section.
    pub map: RollupMap<'a>,
}

/// A county-level unit of the scope, for the map and its table.
pub struct MapUnit {
    pub code: String,
    pub name: String,
    pub city: String,
    /// Whether its boundary was imported.
    pub drawn: bool,
}

/// The map section: what is shown and from what.
pub struct RollupMap<'a> {
    /// The projected boundaries; `None` when none were imported for the scope.
    pub layer: Option<&'a Layer>,
    pub units: &'a [MapUnit],
    /// The row coloured; `None`: readiness.
    pub row: Option<&'a str>,
    /// The page's own path (the selector's form submits to it).
    pub action: String,
    /// The files the boundaries came from and the latest import (RFC 3339).
    pub sources: &'a [String],
    pub imported_at: Option<&'a str>,
    /// The scope's code, for the how-to's command.
    pub scope_code: &'a str,
}

/// The map's classes, in legend order, and their colours (ColorBrewer-like, distinguishable in grey).
const COLOURS: [&str; 4] = ["#1a7f37", "#d9822b", "#aab3bf", "#e4e8ee"];
const GOOD: usize = 0;
const BAD: usize = 1;
const NONE: usize = 2;
const NO_ZONE: usize = 3;

/// The class, state text and figure of one unit under what the map shows.
fn unit_state(
    lang: crate::i18n::Lang,
    view: &RollupPage<'_>,
    code: &str,
    figure: &dyn Fn(&str, Option<f64>) -> String,
) -> (usize, String, String) {
    let Some(zone) = view.zones.iter().find(|z| z.code == code) else {
        return (NO_ZONE, t(lang, "rollup.c_no_zone").into_owned(), String::new());
    };
    let Some(summary) = &zone.summary else {
        return (NONE, t(lang, "rollup.c_no_data").into_owned(), String::new());
    };
    match view.map.row {
        None => {
            if summary.ready {
                (GOOD, t(lang, "rollup.c_ready").into_owned(), String::new())
            } else {
                (BAD, t(lang, "rollup.c_not_ready").into_owned(), String::new())
            }
        }
        Some(row) => {
            if summary.framework_id != view.rollup.framework_id {
                return (NONE, t(lang, "rollup.c_other").into_owned(), String::new());
            }
            match summary.rows.iter().find(|r| r.id == row) {
                Some(r) => {
                    let shown = if r.figure.is_some() {
                        figure(row, r.figure)
                    } else {
                        String::new()
                    };
                    match r.status {
                        Status::Met => (GOOD, t(lang, "rollup.c_met").into_owned(), shown),
                        Status::NotMet => (BAD, t(lang, "rollup.c_not_met").into_owned(), shown),
                        Status::NoData => (NONE, t(lang, "rollup.c_row_no_data").into_owned(), shown),
                    }
                }
                None => (NONE, t(lang, "rollup.c_row_no_data").into_owned(), String::new()),
            }
        }
    }
}

fn swatch(colour: &str) -> Markup {
    html! {
        svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" {
            rect width="10" height="10" fill=(colour) stroke="#8a94a3" stroke-width="0.6" {}
        }
    }
}

fn map_section(ctx: &PageContext, view: &RollupPage<'_>, figure: &dyn Fn(&str, Option<f64>) -> String) -> Markup {
    let lang = ctx.lang;
    let map = &view.map;
    let leaf_rows: Vec<(String, String)> = view
        .framework
        .indicators
        .iter()
        .flat_map(|i| i.rows.iter())
        .map(|r| {
            let name = if lang == crate::i18n::Lang::En && !r.name_en.is_empty() {
                &r.name_en
            } else {
                &r.name
            };
            (r.id.clone(), name.clone())
        })
        .collect();
    let shown_row = map.row.and_then(|id| leaf_rows.iter().find(|(rid, _)| rid == id));
    let what = match shown_row {
        Some((id, name)) => format!("{id} {name}"),
        None => t(lang, "rollup.map_ready").into_owned(),
    };
    let labels = match shown_row {
        Some(_) => [
            "rollup.c_met",
            "rollup.c_not_met",
            "rollup.c_row_no_data",
            "rollup.c_no_zone",
        ],
        None => [
            "rollup.c_ready",
            "rollup.c_not_ready",
            "rollup.c_no_data",
            "rollup.c_no_zone",
        ],
    };
    let states: Vec<(usize, String, String)> = map
        .units
        .iter()
        .map(|u| unit_state(lang, view, &u.code, figure))
        .collect();
    let mut counts = [0usize; 4];
    for (class, _, _) in &states {
        counts[*class] += 1;
    }
    let drawn = map.units.iter().filter(|u| u.drawn).count();
    let svg = map.layer.map(|layer| {
        let areas: Vec<Area> = map
            .units
            .iter()
            .zip(&states)
            .map(|(unit, (class, state, shown))| Area {
                code: unit.code.clone(),
                class: *class,
                title: if shown.is_empty() {
                    format!("{}：{state}", unit.name)
                } else {
                    format!("{}：{shown}（{state}）", unit.name)
                },
                href: view
                    .zones
                    .iter()
                    .any(|z| z.code == unit.code)
                    .then(|| (view.zone_href)(&unit.code)),
            })
            .collect();
        let title = tf(
            lang,
            "rollup.map_title",
            &[("scope", &view.scope_name), ("what", &what)],
        );
        let desc = tf(
            lang,
            "rollup.map_desc",
            &[
                ("n", &map.units.len()),
                ("drawn", &drawn),
                ("good", &counts[GOOD]),
                ("bad", &counts[BAD]),
                ("none", &counts[NONE]),
                ("nozone", &counts[NO_ZONE]),
            ],
        );
        choropleth(
            layer,
            &areas,
            &COLOURS,
            &Labels {
                id: "rollup-map",
                title: &title,
                desc: &desc,
            },
        )
    });
    let table_open = svg.is_none() || map.units.len() <= 20;
    html! {
        section class="card" aria-labelledby="map-h" {
            h2 id="map-h" { (t(lang, "rollup.map_h")) "：" (what) }
            form method="get" action=(map.action) class="map-choice" {
                input type="hidden" name="year" value=(view.rollup.year);
                label for="map-row" { (t(lang, "rollup.map_what")) }
                " "
                select id="map-row" name="map" {
                    option value="" selected[shown_row.is_none()] { (t(lang, "rollup.map_ready")) }
                    @for (id, name) in &leaf_rows {
                        option value=(id) selected[shown_row.is_some_and(|(r, _)| r == id)] { (id) " " (name) }
                    }
                }
                " "
                button type="submit" { (t(lang, "rollup.map_show")) }
            }
            @if let Some(svg) = &svg {
                figure class="map" {
                    (PreEscaped(svg))
                    figcaption {
                        ul class="legend" {
                            @for (i, key) in labels.iter().enumerate() {
                                li { (swatch(COLOURS[i])) " " (t(lang, key)) "（" (counts[i]) "）" }
                            }
                        }
                        @if drawn < map.units.len() {
                            p class="meta" { (tf(lang, "rollup.map_missing", &[("n", &(map.units.len() - drawn))])) }
                        }
                        @if let Some(at) = map.imported_at {
                            p class="meta" {
                                (tf(lang, "rollup.map_source", &[("sources", &map.sources.join("、")), ("at", &crate::i18n::fmt_timestamp(lang, at))]))
                            }
                        }
                    }
                }
            } @else {
                div class="howto" {
                    p { (t(lang, "rollup.howto1")) }
                    p { (t(lang, "rollup.howto2")) }
                    pre { code { (tf(lang, "rollup.howto_cmd", &[("scope", &map.scope_code)])) } }
                    @if let Some(href) = &view.import_href {
                        p { (t(lang, "rollup.howto_page")) " " a href=(href) { (t(lang, "admin.import")) } }
                    }
                    p { (t(lang, "rollup.howto3")) }
                }
            }
            details class="map-table" open[table_open] {
                summary { (tf(lang, "rollup.map_table", &[("n", &map.units.len())])) }
                div class="scroll" {
                    table class="data rollup" {
                        thead { tr {
                            th scope="col" class="c-name" { (t(lang, "rollup.col_unit")) }
                            th scope="col" { (t(lang, "rollup.col_city")) }
                            th scope="col" { (t(lang, "rollup.col_state")) }
                            @if shown_row.is_some() { th scope="col" { (t(lang, "rollup.col_figure")) } }
                            th scope="col" { (t(lang, "rollup.col_boundary")) }
                        } }
                        tbody {
                            @for (unit, (class, state, shown)) in map.units.iter().zip(&states) {
                                tr data-code=(unit.code) {
                                    td class="c-name" {
                                        @if view.zones.iter().any(|z| z.code == unit.code) {
                                            a href=((view.zone_href)(&unit.code)) { (unit.name) }
                                        } @else { (unit.name) }
                                    }
                                    td { (unit.city) }
                                    td { (swatch(COLOURS[*class])) " " (state) }
                                    @if shown_row.is_some() { td class="num" { (shown) } }
                                    td { @if unit.drawn { (t(lang, "rollup.boundary_yes")) } @else { (t(lang, "rollup.boundary_no")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The standings' card (各区域排名): rank, zone (linked), readiness, binding and reference indicators met;
/// `this` marks the zone a peer comparison is about. Shared by the roll-up and the peers page.
pub fn standings_section(
    lang: crate::i18n::Lang,
    standings: &[Standing],
    href: &dyn Fn(&str) -> String,
    this: Option<&str>,
) -> Markup {
    html! {
        section class="card" aria-labelledby="standing-h" {
            h2 id="standing-h" { (t(lang, "rollup.k13")) }
            @if standings.is_empty() {
                p { (t(lang, "rollup.k14")) }
            } @else {
                div class="scroll" {
                    table class="data rollup" {
                        thead { tr {
                            th scope="col" { (t(lang, "rollup.k15")) }
                            th scope="col" class="c-name" { (t(lang, "rollup.k16")) }
                            th scope="col" { (t(lang, "rollup.k17")) }
                            th scope="col" { (t(lang, "rollup.k18")) }
                            th scope="col" { (t(lang, "rollup.k19")) }
                        } }
                        tbody {
                            @for s in standings {
                                tr {
                                    td class="num" { (s.rank) }
                                    td class="c-name" {
                                        a href=(href(&s.code)) { (s.name) }
                                        @if this == Some(s.code.as_str()) { "（" (t(lang, "peers.this")) "）" }
                                    }
                                    td {
                                        @if s.ready {
                                            span class="tag active" { (t(lang, "rollup.k20")) }
                                        } @else {
                                            span class="tag disabled" { (t(lang, "rollup.k21")) }
                                        }
                                    }
                                    td class="num" { (s.binding_met) "/" (s.binding_total) }
                                    td class="num" { (s.reference_met) "/" (s.reference_total) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The edition line and the years' links of a roll-up-like page.
pub fn edition_and_years(
    lang: crate::i18n::Lang,
    framework_name: &str,
    edition: &str,
    year: i32,
    years: &[(i32, String)],
) -> Markup {
    html! {
        p class="meta" {
            (t(lang, "rollup.k1")) "：" (framework_name) "；" (t(lang, "rollup.k2")) "：" (edition)
        }
        nav class="years" aria-label=(t(lang, "rollup.k3")) {
            @for (y, href) in years {
                @if *y == year { strong { (y) } } @else { a href=(href) { (y) } }
                " "
            }
        }
    }
}

fn name_of<'a>(zones: &'a [ZoneEntry], code: &str) -> &'a str {
    zones.iter().find(|z| z.code == code).map_or("", |z| z.name.as_str())
}

/// Renders the roll-up page.
pub fn render(ctx: &PageContext, view: &RollupPage<'_>) -> String {
    let lang = ctx.lang;
    let r = view.rollup;
    let title = tf(lang, "rollup.title", &[("scope", &view.scope_name), ("year", &r.year)]);
    let format_of = |row: &str| -> Option<RowFormat> { view.framework.row(row).map(|(_, row)| row.format()) };
    let figure = |row: &str, value: Option<f64>| -> String {
        match (value, format_of(row)) {
            (Some(v), Some(f)) => f.with_unit(v),
            (Some(v), None) => ecociv_core::num::show(v),
            (None, _) => "—".into(),
        }
    };
    let body = html! {
        h1 { (title) }
        (edition_and_years(lang, &view.framework.name, &r.framework_edition, r.year, &view.years))
        section class="card" aria-labelledby="summary-h" {
            h2 id="summary-h" { (t(lang, "rollup.k4")) }
            ul {
                li { (t(lang, "rollup.k5")) "：" (r.zones) }
                li { (t(lang, "rollup.k6")) "：" (r.compared) }
                li {
                    (t(lang, "rollup.k7")) "：" (r.ready)
                    @if r.compared > 0 { "，" (t(lang, "rollup.k8")) " " (part_of(r.ready, r.compared)) }
                }
                li { (t(lang, "rollup.k9")) "：" (r.not_reported.len()) }
                @if view.stale > 0 {
                    li { (t(lang, "rollup.k10")) "：" (view.stale) }
                }
                @if !r.other_edition.is_empty() {
                    li { (t(lang, "rollup.k11")) "：" (r.other_edition.len()) }
                }
            }
            p class="downloads" {
                a href=(view.xlsx_href) { (t(lang, "rollup.k37")) }
                " · "
                a href=(view.csv_href) { (t(lang, "rollup.k12")) }
                " · "
                a href=(format!("{}&table=rows", view.csv_href)) { (t(lang, "rollup.k38")) }
                @if let Some(href) = &view.docx_href {
                    " · "
                    a href=(href) { (t(lang, "rollup.k39")) }
                }
                @if let Some(href) = &view.import_href {
                    " · "
                    a href=(href) { (t(lang, "admin.import")) }
                }
            }
        }
        (map_section(ctx, view, &figure))
        (standings_section(lang, &r.standings, &|code| (view.zone_href)(code), None))
        section class="card" aria-labelledby="failing-h" {
            h2 id="failing-h" { (t(lang, "rollup.k22")) }
            @if r.binding_failures.is_empty() {
                p { (t(lang, "rollup.k23")) }
            } @else {
                ol {
                    @for (id, name, count) in &r.binding_failures {
                        li { (id) " " (name) "：" (count) (t(lang, "rollup.k24")) }
                    }
                }
            }
        }
        section class="card" aria-labelledby="rows-h" {
            h2 id="rows-h" { (t(lang, "rollup.k25")) }
            div class="scroll" {
                table class="data rollup" {
                    thead { tr {
                        th scope="col" { (t(lang, "rollup.k26")) }
                        th scope="col" class="c-name" { (t(lang, "rollup.k27")) }
                        th scope="col" { (t(lang, "rollup.k28")) }
                        th scope="col" { (t(lang, "rollup.k29")) }
                        th scope="col" { (t(lang, "rollup.k30")) }
                        th scope="col" { (t(lang, "rollup.k31")) }
                        th scope="col" { (t(lang, "rollup.k32")) }
                        th scope="col" { (t(lang, "rollup.k33")) }
                    } }
                    tbody {
                        @for row in &r.rows {
                            tr {
                                td { (row.row) }
                                td class="c-name" { (row.name) @if row.binding { "（" (t(lang, "rollup.k34")) "）" } }
                                td class="num" { (row.met) }
                                td class="num" { (row.not_met) }
                                td class="num" { (row.no_data) }
                                td class="num" { (figure(&row.row, row.min)) }
                                td class="num" { (figure(&row.row, row.median)) }
                                td class="num" { (figure(&row.row, row.max)) }
                            }
                        }
                    }
                }
            }
        }
        section class="card" aria-labelledby="missing-h" {
            h2 id="missing-h" { (t(lang, "rollup.k35")) }
            @if r.not_reported.is_empty() {
                p { (t(lang, "rollup.k36")) }
            } @else {
                ul {
                    @for code in &r.not_reported {
                        li { a href=((view.zone_href)(code)) { (name_of(view.zones, code)) } }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::None, body)
}
