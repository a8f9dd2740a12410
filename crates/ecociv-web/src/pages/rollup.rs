//! The roll-up page (汇总与比较, issue 15) of a city, a province or the nation for a year: zones ready,
//! binding indicators failed most often, each row's distribution across zones, each zone's standing, and who
//! has not reported. It renders a computed `ecociv_progress::rollup::Rollup`; figures through each row's
//! `RowFormat`.

use ecociv_core::Framework;
use ecociv_core::format::{RowFormat, part_of};
use ecociv_progress::rollup::{Rollup, ZoneEntry};
use maud::html;

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
    pub csv_href: String,
    /// (year, href) of the neighbouring years.
    pub years: Vec<(i32, String)>,
    /// A zone's page.
    pub zone_href: fn(&str) -> String,
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
        p class="meta" {
            (t(lang, "rollup.k1")) "：" (view.framework.name) "；" (t(lang, "rollup.k2")) "：" (r.framework_edition)
        }
        nav class="years" aria-label=(t(lang, "rollup.k3")) {
            @for (year, href) in &view.years {
                @if *year == r.year { strong { (year) } } @else { a href=(href) { (year) } }
                " "
            }
        }
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
            p { a href=(view.csv_href) { (t(lang, "rollup.k12")) } }
        }
        section class="card" aria-labelledby="standing-h" {
            h2 id="standing-h" { (t(lang, "rollup.k13")) }
            @if r.standings.is_empty() {
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
                            @for s in &r.standings {
                                tr {
                                    td class="num" { (s.rank) }
                                    td class="c-name" { a href=((view.zone_href)(&s.code)) { (s.name) } }
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
