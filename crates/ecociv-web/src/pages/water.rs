//! The water page of a zone (地表水环境质量): per monitoring section its target class, its class by month
//! and for the year, and whether it meets its target — class by text (Ⅲ类) and by colour.
//!
//! This page classifies nothing: classes come from the water crate (GB 3838-2002 with the 2011 evaluation
//! method), with the edition that produced them. Class 6 stands for 劣Ⅴ类.

use maud::html;

use crate::i18n::{Lang, fmt_month, t, tf};
use crate::layout::{Nav, PageContext, page};

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

/// The water page.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterView {
    pub zone_code: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub edition: String,
    pub synthetic: bool,
    pub sections: Vec<SectionView>,
}

/// A water class as text: `Ⅲ类` / `Class III`, `劣Ⅴ类` / `Worse than V`.
pub fn class_label(lang: Lang, class: u8) -> String {
    t(lang, &format!("water.class.{}", class.clamp(1, 6))).into_owned()
}

/// Renders the water page.
pub fn render_water(ctx: &PageContext, view: &WaterView) -> String {
    let lang = ctx.lang;
    let title = tf(lang, "water.title", &[("year", &view.year)]);
    let meeting = view.sections.iter().filter(|section| section.meets() == Some(true)).count();
    let body = html! {
        div class="page-head" {
            h1 { (title) }
            (crate::layout::year_form(lang, &crate::layout::urls::water(&view.zone_code), &view.years, view.year, &[]))
        }
        p class="meta" {
            (t(lang, "indicator.edition")) "：" (view.edition)
            @if view.synthetic { " " span class="tag synthetic" { (t(lang, "common.synthetic")) } }
        }
        @if view.sections.is_empty() {
            p class="empty" { (t(lang, "water.no_data")) }
        } @else {
            p class="big" { (tf(lang, "water.meeting", &[("n", &meeting), ("total", &view.sections.len())])) }
            div class="scroll" {
                table class="data water" {
                    thead { tr {
                        th scope="col" { (t(lang, "water.section")) }
                        th scope="col" { (t(lang, "water.body")) }
                        th scope="col" { (t(lang, "water.target")) }
                        @for month in 1..=12u8 { th scope="col" class="m" { (fmt_month(lang, month)) } }
                        th scope="col" { (t(lang, "water.annual")) }
                        th scope="col" { (t(lang, "table.status")) }
                    } }
                    tbody {
                        @for section in &view.sections {
                            tr {
                                th scope="row" { (section.name) }
                                td { (section.water_body) }
                                td { @if let Some(class) = section.target_class { (class_label(lang, class)) } @else { "—" } }
                                @for class in &section.monthly {
                                    @if let Some(class) = class {
                                        td class={ "m wq-" (class) } { (class_label(lang, *class)) }
                                    } @else { td class="m" { "—" } }
                                }
                                td class={ @if let Some(class) = section.annual { "wq-" (class) } } {
                                    @if let Some(class) = section.annual { (class_label(lang, class)) } @else { "—" }
                                }
                                td {
                                    @match section.meets() {
                                        Some(true) => span class="status status-met" { (t(lang, "water.meets")) },
                                        Some(false) => span class="status status-not_met" { (t(lang, "water.misses")) },
                                        None => span class="status status-no_data" { (t(lang, "status.no_data")) },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::Water, body)
}
