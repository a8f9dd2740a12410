//! The noise and soil page of a zone (声环境与土壤, issue 19): per monitoring point and day its day and night
//! equivalent levels against its functional-area limits (GB 3096-2008), and per soil sample each content
//! against the screening and intervention values (GB 36600-2018 development land, GB 15618-2018
//! agricultural land), with what the standard asks and its clause.
//!
//! This page judges nothing: the judgements come from the noise and soil crates (the readers of
//! `ecociv noise judge` and `ecociv soil …`), materialized by the server with the editions that made them.
//! Numbers are shown as those commands write them: levels in dB(A) to 0.1, contents in mg/kg as given.

use maud::{Markup, html};

use crate::i18n::{Lang, fmt_share, t, tf};
use crate::layout::{Nav, PageContext, page, urls};
use crate::pages::air::upload_form;

/// A level judged against its limit, as the page shows it (dB(A) to 0.1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LevelView {
    pub level: String,
    pub limit: String,
    pub meets: bool,
    pub exceedance: Option<String>,
    /// Minutes covered of the period's, e.g. `960/960`.
    pub coverage: Option<String>,
}

/// One point's day (and the night starting that day).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoiseDayView {
    pub point: String,
    /// `4a类`.
    pub class: String,
    pub date: String,
    pub day: Option<LevelView>,
    pub night: Option<LevelView>,
    pub night_max: Option<LevelView>,
}

/// One judged soil content.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SoilRowView {
    pub sample: String,
    pub land: String,
    pub name: String,
    /// mg/kg as given.
    pub value: String,
    pub screening: String,
    pub intervention: Option<String>,
    /// 0 not above screening, 1 above screening (no intervention value), 2 between, 3 above intervention.
    pub level: u8,
    pub level_zh: String,
    pub consequence: String,
    pub clause: String,
    pub note: Option<String>,
}

/// The noise and soil page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoiseSoilView {
    pub zone_code: String,
    pub year: i32,
    /// The years with noise figures.
    pub years: Vec<i32>,
    pub synthetic: bool,
    pub noise: Vec<NoiseDayView>,
    pub noise_files: Vec<String>,
    /// The functional-area limits (class, day, night) in dB(A), from the noise crate's table.
    pub limits: Vec<(String, String, String)>,
    pub development: Vec<SoilRowView>,
    pub farmland: Vec<SoilRowView>,
    pub soil_files: Vec<String>,
    pub notes: Vec<String>,
    /// The viewer may upload monitoring data (reviewers, admins).
    pub manage: bool,
    /// The contaminated-land register (members), where the development-land samples' plots are listed.
    pub ledger: Option<String>,
    /// Corrections of the page's monitoring data (reviewers, admins).
    pub corrections: Option<crate::pages::correction::CorrectionsView>,
}

/// The kinds of the page's upload form.
pub const NOISE_SOIL_KINDS: [&str; 3] = ["noise", "soil_development", "soil_farmland"];

fn level_cell(lang: Lang, level: Option<&LevelView>) -> Markup {
    html! {
        @match level {
            Some(level) => {
                td class="num" { (level.level) }
                td class="num" { (level.limit) }
                td {
                    @if level.meets {
                        span class="status status-met" { (t(lang, "noise.meets")) }
                    } @else {
                        span class="status status-not_met" {
                            (t(lang, "noise.exceeds"))
                            @if let Some(over) = &level.exceedance { " " (tf(lang, "noise.over", &[("db", over)])) }
                        }
                    }
                    @if let Some(coverage) = &level.coverage { div class="meta" { (tf(lang, "noise.coverage", &[("minutes", coverage)])) } }
                }
            }
            None => { td class="num" { "—" } td class="num" { "—" } td { "—" } }
        }
    }
}

fn level_status(row: &SoilRowView) -> Markup {
    let class = if row.level == 0 {
        "status status-met"
    } else {
        "status status-not_met"
    };
    html! { span class=(class) { (row.level_zh) } }
}

fn soil_table(lang: Lang, id: &str, rows: &[SoilRowView], land_key: &str) -> Markup {
    let over = rows.iter().filter(|r| r.level > 0).count();
    let beyond = rows.iter().filter(|r| r.level == 3).count();
    let samples = rows
        .iter()
        .map(|r| r.sample.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    html! {
        p class="big" {
            (tf(lang, "soil.summary", &[("samples", &samples), ("n", &rows.len()), ("over", &over), ("beyond", &beyond)]))
        }
        div class="scroll" {
            table class="data compact soil" id=(id) {
                thead { tr {
                    th scope="col" { (t(lang, "soil.sample")) }
                    th scope="col" { (t(lang, land_key)) }
                    th scope="col" { (t(lang, "soil.item")) }
                    th scope="col" class="num" { (t(lang, "soil.value")) }
                    th scope="col" class="num" { (t(lang, "soil.screening")) }
                    th scope="col" class="num" { (t(lang, "soil.intervention")) }
                    th scope="col" { (t(lang, "soil.level")) }
                    th scope="col" { (t(lang, "soil.consequence")) }
                } }
                tbody {
                    @for row in rows {
                        tr class=[(row.level > 0).then_some("over")] {
                            th scope="row" { (row.sample) }
                            td { (row.land) }
                            td { (row.name) }
                            td class="num" { (row.value) }
                            td class="num" { (row.screening) }
                            td class="num" { (row.intervention.as_deref().unwrap_or("—")) }
                            td { (level_status(row)) }
                            td class="source" {
                                (row.consequence) " " span class="meta" { (tf(lang, "soil.clause", &[("clause", &row.clause)])) }
                                @if let Some(note) = &row.note { div class="meta" { (note) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Renders the noise and soil page.
pub fn render_noise_soil(ctx: &PageContext, view: &NoiseSoilView) -> String {
    let lang = ctx.lang;
    let title = tf(lang, "noise_soil.title", &[("year", &view.year)]);
    let judged = |night: bool| {
        let of = |d: &NoiseDayView| if night { d.night.clone() } else { d.day.clone() };
        let all: Vec<LevelView> = view.noise.iter().filter_map(of).collect();
        let met = all.iter().filter(|l| l.meets).count();
        (met, all.len())
    };
    let rate = |(met, total): (usize, usize)| {
        let share = if total > 0 {
            fmt_share(met as f64 / total as f64)
        } else {
            "—".to_string()
        };
        (met, total, share)
    };
    let (day_met, day_total, day_share) = rate(judged(false));
    let (night_met, night_total, night_share) = rate(judged(true));
    let body = html! {
        div class="page-head" {
            h1 { (title) }
            (crate::layout::year_form(lang, &urls::noise_soil(&view.zone_code), &view.years, view.year, &[]))
        }
        @if view.synthetic { p class="flash flash-info" { (t(lang, "monitoring.synthetic_note")) } }
        section aria-labelledby="noise-h" {
            h2 id="noise-h" { (tf(lang, "noise.title", &[("year", &view.year)])) }
            p class="meta" { (t(lang, "indicator.edition")) "：GB 3096-2008" }
            @if view.noise.is_empty() {
                p class="empty" { (t(lang, "noise.no_data")) }
            } @else {
                p class="big" {
                    (tf(lang, "noise.rate_day", &[("n", &day_met), ("total", &day_total), ("share", &day_share)]))
                    "；"
                    (tf(lang, "noise.rate_night", &[("n", &night_met), ("total", &night_total), ("share", &night_share)]))
                }
                div class="scroll" {
                    table class="data compact noise" {
                        thead {
                            tr {
                                th scope="col" rowspan="2" { (t(lang, "noise.point")) }
                                th scope="col" rowspan="2" { (t(lang, "noise.class")) }
                                th scope="col" rowspan="2" { (t(lang, "noise.date")) }
                                th scope="colgroup" colspan="3" { (t(lang, "noise.day")) }
                                th scope="colgroup" colspan="3" { (t(lang, "noise.night")) }
                                th scope="colgroup" colspan="3" { (t(lang, "noise.night_max")) }
                            }
                            tr {
                                @for _ in 0..3 {
                                    th scope="col" class="num" { (t(lang, "noise.level")) }
                                    th scope="col" class="num" { (t(lang, "noise.limit")) }
                                    th scope="col" { (t(lang, "table.status")) }
                                }
                            }
                        }
                        tbody {
                            @for day in &view.noise {
                                tr {
                                    th scope="row" { (day.point) }
                                    td { (day.class) }
                                    td { (day.date) }
                                    (level_cell(lang, day.day.as_ref()))
                                    (level_cell(lang, day.night.as_ref()))
                                    (level_cell(lang, day.night_max.as_ref()))
                                }
                            }
                        }
                    }
                }
            }
            details class="explain" {
                summary { (t(lang, "noise.how")) }
                p { (t(lang, "noise.explain")) }
                @if !view.limits.is_empty() {
                    table class="data compact" {
                        thead { tr {
                            th scope="col" { (t(lang, "noise.class")) }
                            th scope="col" class="num" { (t(lang, "noise.limit_day")) }
                            th scope="col" class="num" { (t(lang, "noise.limit_night")) }
                        } }
                        tbody {
                            @for (class, day, night) in &view.limits {
                                tr { th scope="row" { (class) } td class="num" { (day) } td class="num" { (night) } }
                            }
                        }
                    }
                }
                p class="meta" { (t(lang, "noise.doubts")) }
            }
            @if !view.noise_files.is_empty() {
                p class="meta" { (t(lang, "monitoring.files")) "：" (view.noise_files.join("、")) }
            }
        }
        section aria-labelledby="soil-h" {
            h2 id="soil-h" { (t(lang, "soil.title")) }
            p class="meta" { (t(lang, "soil.undated")) }
            @if view.development.is_empty() && view.farmland.is_empty() {
                p class="empty" { (t(lang, "soil.no_data")) }
            }
            @if !view.development.is_empty() {
                h3 { (t(lang, "soil.development")) }
                (soil_table(lang, "soil-development", &view.development, "soil.class"))
            }
            @if let Some(ledger) = &view.ledger {
                p { a href=(ledger) { (t(lang, "soil.ledger")) } }
            }
            @if !view.farmland.is_empty() {
                h3 { (t(lang, "soil.farmland")) }
                (soil_table(lang, "soil-farmland", &view.farmland, "soil.land"))
            }
            details class="explain" {
                summary { (t(lang, "soil.how")) }
                p { (t(lang, "soil.explain_development")) }
                p { (t(lang, "soil.explain_farmland")) }
            }
            @if !view.soil_files.is_empty() {
                p class="meta" { (t(lang, "monitoring.files")) "：" (view.soil_files.join("、")) }
            }
        }
        @for note in &view.notes { p class="meta" { (note) } }
        @if view.manage {
            section aria-labelledby="manage-h" class="manage" {
                h2 id="manage-h" { (t(lang, "monitoring.manage")) }
                (upload_form(ctx, &view.zone_code, view.year, "noise-soil", &NOISE_SOIL_KINDS))
            }
            @if let Some(corrections) = &view.corrections {
                (crate::pages::correction::corrections_section(ctx, &view.zone_code, view.year, "noise-soil", &NOISE_SOIL_KINDS, corrections))
            }
        }
    };
    page(ctx, &title, Nav::NoiseSoil, body)
}
