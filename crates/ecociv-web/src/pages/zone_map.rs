//! A zone's map (区域点位图, issue 15): its boundary, if imported, with its air monitoring stations, water
//! sections and key projects as points — each with its name and its state in the year as a tooltip —, a
//! legend, and the same points as a table. Points drawn for illustration (示意) say so on the map, in the
//! legend and in the table. Without points the page says how to import them; administrators get the
//! import form. Renders what the server computed; computes nothing.

use ecociv_map::Point;
use ecociv_map::sites::SiteKind;
use ecociv_map::svg::{Labels, Layer, MARKER_RADIUS, Marker, choropleth_with, marker_symbol};
use maud::{Markup, PreEscaped, html};

use crate::i18n::{t, tf};
use crate::layout::{Nav, PageContext, page, urls};

/// One point as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteLine {
    pub kind: SiteKind,
    pub id: String,
    pub name: String,
    pub position: Point,
    /// Its state in the year (Chinese, from the stored figures), if the year has one.
    pub state: Option<String>,
    pub illustrative: bool,
}

/// The administrators' import form.
pub struct Upload<'a> {
    pub action: String,
    pub csrf: &'a str,
}

/// What the page shows.
pub struct ZoneMapPage<'a> {
    pub zone: &'a str,
    pub zone_name: &'a str,
    /// The year the states are of, and the years with figures.
    pub year: Option<i32>,
    pub years: Vec<i32>,
    /// The layer to draw on (the zone's boundary and the points' extent), `None` without points nor
    /// boundary.
    pub layer: Option<&'a Layer>,
    /// Whether the zone's boundary is imported.
    pub boundary: bool,
    pub sites: &'a [SiteLine],
    /// The files the points came from and the latest import time.
    pub sources: Vec<String>,
    pub imported_at: Option<&'a str>,
    pub upload: Option<Upload<'a>>,
    /// A refused import: its message and each problem's text.
    pub refused: Option<(&'a str, Vec<String>)>,
    /// Points stored by the import just made.
    pub done: Option<usize>,
}

fn kind_key(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::Station => "zone_map.kind_station",
        SiteKind::Section => "zone_map.kind_section",
        SiteKind::Project => "zone_map.kind_project",
    }
}

/// The legend's symbol of a kind: the map's own shape and colour.
fn symbol(kind: SiteKind) -> Markup {
    let r = MARKER_RADIUS;
    let side = 2.0 * r + 4.0;
    let shape = marker_symbol(kind, side / 2.0, side / 2.0, r, "", "");
    html! {
        svg class="swatch" viewBox=(format!("0 0 {side} {side}")) aria-hidden="true" { (PreEscaped(shape)) }
    }
}

/// One feature of a points file, as the how-to and the form show it (the file's literal syntax).
const EXAMPLE: &str = r#"{"type": "Feature", "properties": {"kind": "section", "id": "GX-01", "illustrative": true}, "geometry": {"type": "Point", "coordinates": [109.41, 24.33]}}"#;

fn example(lang: crate::i18n::Lang) -> Markup {
    html! {
        p class="hint" { (t(lang, "zone_map.example")) }
        pre { code { (EXAMPLE) } }
    }
}

/// The path of a zone's map page.
pub fn href(zone: &str) -> String {
    urls::fill(urls::paths::ZONE_MAP, &[zone])
}

/// Where the administrators' form sends a points file.
pub fn import_href(zone: &str) -> String {
    urls::fill(urls::paths::ZONE_MAP_SITES, &[zone])
}

/// Renders the page.
pub fn render(ctx: &PageContext, view: &ZoneMapPage<'_>) -> String {
    let lang = ctx.lang;
    let title = tf(lang, "zone_map.title", &[("zone", &view.zone_name)]);
    let illustrative = view.sites.iter().filter(|s| s.illustrative).count();
    let shown = |site: &SiteLine| -> String {
        let mut text = format!("{}：{}", t(lang, kind_key(site.kind)), site.name);
        if site.name != site.id {
            text.push_str(&format!("（{}）", site.id));
        }
        if let Some(state) = &site.state {
            text.push('；');
            text.push_str(state);
        }
        if site.illustrative {
            text.push_str(&format!("；{}", t(lang, "zone_map.illustrative_mark")));
        }
        text
    };
    let svg = view
        .layer
        .filter(|_| !view.sites.is_empty() || view.boundary)
        .map(|layer| {
            let markers: Vec<Marker> = view
                .sites
                .iter()
                .map(|site| Marker {
                    kind: site.kind,
                    id: site.id.clone(),
                    position: site.position,
                    title: shown(site),
                    href: None,
                })
                .collect();
            let desc = tf(
                lang,
                "zone_map.desc",
                &[("n", &view.sites.len()), ("illustrative", &illustrative)],
            );
            let areas: Vec<ecociv_map::svg::Area> = layer
                .areas
                .iter()
                .map(|a| ecociv_map::svg::Area {
                    code: a.code.clone(),
                    class: 0,
                    title: view.zone_name.to_string(),
                    href: None,
                })
                .collect();
            choropleth_with(
                layer,
                &areas,
                &["#eef1f5"],
                &markers,
                &Labels {
                    id: "zone-map",
                    title: &title,
                    desc: &desc,
                },
            )
        });
    let kinds: Vec<(SiteKind, usize)> = SiteKind::ALL
        .into_iter()
        .map(|kind| (kind, view.sites.iter().filter(|s| s.kind == kind).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let body = html! {
        h1 { (title) }
        @if let Some(n) = view.done {
            p class="flash flash-success" role="status" { (tf(lang, "zone_map.done", &[("n", &n)])) }
        }
        @if let Some((message, problems)) = &view.refused {
            div class="flash flash-error" role="alert" {
                p { (message) }
                ul { @for problem in problems { li { (problem) } } }
            }
        }
        @if let Some(year) = view.year {
            form method="get" action=(href(view.zone)) class="map-choice" {
                label for="map-year" { (t(lang, "zone_map.year")) }
                " "
                select id="map-year" name="year" {
                    @for y in &view.years {
                        option value=(y) selected[*y == year] { (y) }
                    }
                }
                " "
                button type="submit" { (t(lang, "rollup.map_show")) }
            }
        }
        section class="card" aria-labelledby="sites-h" {
            h2 id="sites-h" { (t(lang, "zone_map.h")) }
            @if illustrative > 0 {
                p class="flash flash-info" { strong { (tf(lang, "zone_map.illustrative_note", &[("n", &illustrative)])) } }
            }
            @if let Some(svg) = &svg {
                figure class="map" {
                    (PreEscaped(svg))
                    figcaption {
                        @if !kinds.is_empty() {
                            ul class="legend" {
                                @for (kind, n) in &kinds {
                                    li { (symbol(*kind)) " " (t(lang, kind_key(*kind))) "（" (n) "）" }
                                }
                                @if illustrative > 0 {
                                    li { (t(lang, "zone_map.illustrative_legend")) }
                                }
                            }
                        }
                        @if !view.boundary {
                            p class="meta" { (t(lang, "zone_map.no_boundary")) }
                        }
                        @if let Some(at) = view.imported_at {
                            p class="meta" {
                                (tf(lang, "zone_map.source", &[("sources", &view.sources.join("、")), ("at", &crate::i18n::fmt_timestamp(lang, at))]))
                            }
                        }
                    }
                }
            }
            @if view.sites.is_empty() {
                div class="howto" {
                    p { (t(lang, "zone_map.howto1")) }
                    p { (t(lang, "zone_map.howto2")) }
                    (example(lang))
                    pre { code { (tf(lang, "zone_map.howto_cmd", &[("zone", &view.zone)])) } }
                    p { (t(lang, "zone_map.howto3")) }
                }
            } @else {
                details class="sites-table" open[view.sites.len() <= 20] {
                    summary { (tf(lang, "zone_map.table", &[("n", &view.sites.len())])) }
                    div class="scroll" {
                        table class="data" {
                            thead { tr {
                                th scope="col" class="c-kind" { (t(lang, "zone_map.col_kind")) }
                                th scope="col" class="c-name" { (t(lang, "zone_map.col_name")) }
                                th scope="col" { (t(lang, "zone_map.col_state")) }
                                th scope="col" { (t(lang, "zone_map.col_position")) }
                            } }
                            tbody {
                                @for site in view.sites {
                                    tr data-kind=(site.kind.key()) data-id=(site.id) {
                                        td class="c-kind" { (symbol(site.kind)) " " (t(lang, kind_key(site.kind))) }
                                        td class="c-name" {
                                            (site.name)
                                            @if site.name != site.id { "（" (site.id) "）" }
                                        }
                                        td { (site.state.as_deref().unwrap_or("—")) }
                                        td class="num" {
                                            (format!("{:.4}, {:.4}", site.position[0], site.position[1]))
                                            @if site.illustrative { " " span class="tag" { (t(lang, "zone_map.illustrative_mark")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(upload) = &view.upload {
            form method="post" action=(upload.action) enctype="multipart/form-data" class="upload card" {
                h3 { (t(lang, "zone_map.upload_h")) }
                input type="hidden" name="csrf_token" value=(upload.csrf);
                div class="field" {
                    label for="sites-file" { (t(lang, "zone_map.upload_file")) }
                    input id="sites-file" type="file" name="file" accept=".geojson,.json,application/geo+json,application/json" required aria-describedby="sites-file-hint";
                    div class="hint" id="sites-file-hint" { (t(lang, "zone_map.upload_hint")) }
                    (example(lang))
                }
                div class="actions" { button type="submit" { (t(lang, "zone_map.upload_submit")) } }
            }
        }
    };
    page(ctx, &title, Nav::Dashboard, body)
}
