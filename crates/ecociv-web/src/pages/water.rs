//! The water page of a zone (地表水环境质量): per monitoring section its target class, its class by month
//! and for the year, and whether it meets its target — class by text (Ⅲ类) and by colour.
//!
//! This page classifies nothing: classes come from the water crate (GB 3838-2002 with the 2011 evaluation
//! method), with the edition that produced them. Class 6 stands for 劣Ⅴ类. Above the table: the share of
//! sections at Ⅰ–Ⅲ类 and at 劣Ⅴ类 (counts from the water crate); below it the provenance, the figures the
//! water rows (8.x, 9, 23 — black-odorous water and drinking-water sources among them) would take when
//! computed, and for reviewers and admins the upload and compute forms of the air page.

use maud::html;

use crate::i18n::{Lang, fmt_month, fmt_share, t, tf};
use crate::layout::trusted;
use crate::layout::{Nav, PageContext, page};
use crate::pages::air::{ComputedView, monitoring_forms, provenance_section};
use ecociv_chart::bars::{Bar, BarChart};

/// One monitoring section's classes for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionView {
    pub name: String,
    pub water_body: String,
    /// 1–5 = Ⅰ–Ⅴ类, 6 = 劣Ⅴ类.
    pub target_class: Option<u8>,
    /// By month, January first; `None` for a month without a valid sample.
    pub monthly: [Option<u8>; 12],
    pub annual: Option<u8>,
}

impl SectionView {
    /// Meets the target: the annual class is at or better than the target class.
    pub fn meets(&self) -> Option<bool> {
        Some(self.annual? <= self.target_class?)
    }
}

/// Sections evaluated in the year, at Ⅰ–Ⅲ类 and at 劣Ⅴ类 (from the water crate's class counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WaterSummary {
    pub total: usize,
    pub i_iii: usize,
    pub worse_v: usize,
}

/// The water page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WaterView {
    pub zone_code: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub edition: String,
    pub synthetic: bool,
    pub sections: Vec<SectionView>,
    pub summary: Option<WaterSummary>,
    /// Provenance line (sections, samples, editions).
    pub provenance: String,
    pub files: Vec<String>,
    /// What "compute from monitoring" would save for the water rows, with provenance.
    pub computed: Vec<ComputedView>,
    pub notes: Vec<String>,
    /// The viewer may upload monitoring data and compute (reviewers, admins).
    pub manage: bool,
    /// Corrections of the page's monitoring data (reviewers, admins; issue 19).
    pub corrections: Option<crate::pages::correction::CorrectionsView>,
}

/// The water kinds of the upload form.
pub const WATER_KINDS: [&str; 6] = [
    "sections",
    "drinking_sources",
    "black_odorous_bodies",
    "black_odorous",
    "ei",
    "ei_land_use",
];

/// A water class as text: `Ⅲ类` / `Class III`, `劣Ⅴ类` / `Worse than V`.
pub fn class_label(lang: Lang, class: u8) -> String {
    t(lang, &format!("water.class.{}", class.clamp(1, 6))).into_owned()
}

/// Fills of the classes Ⅰ–Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ in the distribution chart (this page's palette: blue, green,
/// yellow, orange, red — darker tones of the table's cell colours).
const CLASS_FILL: [&str; 6] = ["#4a86d9", "#4a86d9", "#43a047", "#d4b106", "#ef8a00", "#d32f2f"];

/// The sections by annual class as SVG bars.
fn distribution_chart(lang: Lang, view: &WaterView) -> String {
    let mut chart = BarChart::new(
        "wq-distribution",
        tf(lang, "water.distribution", &[("year", &view.year)]),
        560,
        200,
    );
    chart.lead = format!(
        "{}{}",
        tf(lang, "water.distribution", &[("year", &view.year)]),
        t(lang, "chart.colon")
    );
    chart.separator = t(lang, "chart.semicolon").into_owned();
    chart.no_data = t(lang, "water.no_data").into_owned();
    for class in 1..=6u8 {
        let n = view
            .sections
            .iter()
            .filter(|section| section.annual == Some(class))
            .count();
        chart.bars.push(Bar {
            label: class_label(lang, class),
            value: Some(n as f64),
            fill: CLASS_FILL[usize::from(class - 1)].to_string(),
            text: tf(
                lang,
                "water.class_count",
                &[("class", &class_label(lang, class)), ("n", &n)],
            ),
            tick: true,
        });
    }
    chart.max = 4.0;
    chart.to_svg()
}

/// Renders the water page.
pub fn render_water(ctx: &PageContext, view: &WaterView) -> String {
    let lang = ctx.lang;
    let title = tf(lang, "water.title", &[("year", &view.year)]);
    let meeting = view
        .sections
        .iter()
        .filter(|section| section.meets() == Some(true))
        .count();
    let targets = view.sections.iter().any(|section| section.target_class.is_some());
    let body = html! {
        div class="page-head" {
            h1 { (title) }
            (crate::layout::year_form(lang, &crate::layout::urls::water(&view.zone_code), &view.years, view.year, &[]))
        }
        p class="meta" {
            (t(lang, "indicator.edition")) "：" (view.edition)
            @if view.synthetic { " " span class="tag synthetic" { (t(lang, "common.synthetic")) } }
        }
        @if view.synthetic { p class="flash flash-info" { (t(lang, "monitoring.synthetic_note")) } }
        @if view.sections.is_empty() {
            p class="empty" { (t(lang, "water.no_data")) }
        } @else {
            @if let Some(summary) = view.summary {
                @let share = |n: usize| if summary.total > 0 { fmt_share(n as f64 / summary.total as f64) } else { "—".to_string() };
                p class="big" {
                    (tf(lang, "water.share_i_iii", &[("n", &summary.i_iii), ("total", &summary.total), ("share", &share(summary.i_iii))]))
                    "；"
                    (tf(lang, "water.share_worse_v", &[("n", &summary.worse_v), ("share", &share(summary.worse_v))]))
                }
            }
            @if targets {
                p class="big" { (tf(lang, "water.meeting", &[("n", &meeting), ("total", &view.sections.len())])) }
            }
            div class="chart" { (trusted(&distribution_chart(lang, view))) }
            div class="scroll" {
                table class="data water" {
                    thead { tr {
                        th scope="col" { (t(lang, "water.section")) }
                        th scope="col" { (t(lang, "water.body")) }
                        @if targets { th scope="col" { (t(lang, "water.target")) } }
                        @for month in 1..=12u8 { th scope="col" class="m" { (fmt_month(lang, month)) } }
                        th scope="col" { (t(lang, "water.annual")) }
                        th scope="col" { @if targets { (t(lang, "table.status")) } @else { (t(lang, "water.at_most_iii")) } }
                    } }
                    tbody {
                        @for section in &view.sections {
                            tr {
                                th scope="row" { (section.name) }
                                td { (section.water_body) }
                                @if targets { td { @if let Some(class) = section.target_class { (class_label(lang, class)) } @else { "—" } } }
                                @for class in &section.monthly {
                                    @if let Some(class) = class {
                                        td class={ "m wq-" (class) } { (class_label(lang, *class)) }
                                    } @else { td class="m" { "—" } }
                                }
                                td class={ @if let Some(class) = section.annual { "wq-" (class) } } {
                                    @if let Some(class) = section.annual { (class_label(lang, class)) } @else { "—" }
                                }
                                td {
                                    @match if targets { section.meets() } else { section.annual.map(|class| class <= 3) } {
                                        Some(true) => span class="status status-met" { @if targets { (t(lang, "water.meets")) } @else { (t(lang, "common.yes")) } },
                                        Some(false) => span class="status status-not_met" { @if targets { (t(lang, "water.misses")) } @else { (t(lang, "common.no")) } },
                                        None => span class="status status-no_data" { (t(lang, "status.no_data")) },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        (provenance_section(lang, &view.provenance, &view.files, &view.computed, &view.notes))
        @if view.manage {
            (monitoring_forms(ctx, &view.zone_code, view.year, "water", &WATER_KINDS))
            @if let Some(corrections) = &view.corrections {
                (crate::pages::correction::corrections_section(ctx, &view.zone_code, view.year, "water", &WATER_KINDS, corrections))
            }
        }
    };
    page(ctx, &title, Nav::Water, body)
}
