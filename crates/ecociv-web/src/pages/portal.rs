//! The public portal (公开门户, issue 14), no account needed for a public zone: the open-data catalogue
//! (开放数据目录 — every published dataset with its description, licence, update date and CSV/JSON files, and
//! the catalogue's DCAT JSON-LD) and the public survey results (公众调查结果 — rows 34 and 35 as approved, each
//! with its survey, n and 95 % confidence interval). Only approved data reach these views.

use maud::html;

use crate::i18n::{t, tf};
use crate::layout::{Nav, PageContext, page};

/// A dataset as the catalogue lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRow {
    /// Stable code; the dataset's title and description are the message tables' `open.dataset.{id}`.
    pub id: String,
    /// The last change of the published data (`YYYY-MM-DD`).
    pub modified: Option<String>,
    pub years: Option<(i32, i32)>,
    /// Lines of the table.
    pub rows: usize,
    pub csv: String,
    pub json: String,
}

/// The catalogue page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatalogueView {
    pub datasets: Vec<DatasetRow>,
    pub licence_url: String,
    /// The DCAT JSON-LD's address.
    pub dcat: String,
    /// The survey results page.
    pub results: String,
}

/// One published survey estimate (an approved value of row 34 or 35 from a survey).
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub year: i32,
    pub row: String,
    pub name: String,
    /// The value as the row writes it (e.g. `91.4%`).
    pub value: String,
    /// The 95 % interval's bounds, written like the value.
    pub low: String,
    pub high: String,
    pub valid: u64,
    pub responses: u64,
    pub survey: String,
    pub edition: String,
    /// Strata, response rate, doubts (Chinese, from the estimate).
    pub provenance: String,
    pub synthetic: bool,
    /// The indicator page.
    pub href: String,
}

/// The survey results page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultsView {
    pub rows: Vec<ResultRow>,
}

/// Renders the open-data catalogue.
pub fn render_catalogue(ctx: &PageContext, view: &CatalogueView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "open.title");
    let body = html! {
        h1 { (title) }
        p { (t(lang, "open.intro")) }
        p class="meta" {
            (t(lang, "open.licence")) "："
            a href=(view.licence_url) rel="license" { (t(lang, "open.licence_default")) }
        }
        p class="meta" {
            a href=(view.dcat) type="application/ld+json" { (t(lang, "open.dcat")) }
            " · "
            a href=(view.results) { (t(lang, "nav.results")) }
        }
        @if view.datasets.is_empty() {
            p class="empty" { (t(lang, "open.none")) }
        }
        @for dataset in &view.datasets {
            section class="card dataset" id=(dataset.id) aria-labelledby={ "ds-" (dataset.id) } {
                h2 id={ "ds-" (dataset.id) } { (t(lang, &format!("open.dataset.{}.title", dataset.id))) }
                p { (t(lang, &format!("open.dataset.{}.description", dataset.id))) }
                dl class="facts" {
                    dt { (t(lang, "open.modified")) }
                    dd { @if let Some(modified) = &dataset.modified { time datetime=(modified) { (modified) } } @else { "—" } }
                    dt { (t(lang, "open.years")) }
                    dd { @if let Some((first, last)) = dataset.years { (first) "–" (last) } @else { "—" } }
                    dt { (t(lang, "open.rows")) }
                    dd { (dataset.rows) }
                }
                p class="actions" {
                    a class="button" href=(dataset.csv) download { (t(lang, "open.csv")) }
                    " "
                    a class="button secondary" href=(dataset.json) download { (t(lang, "open.json")) }
                }
            }
        }
    };
    page(ctx, &title, Nav::Open, body)
}

/// Renders the public survey results.
pub fn render_results(ctx: &PageContext, view: &ResultsView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "results.title");
    let body = html! {
        h1 { (title) }
        p { (t(lang, "results.intro")) }
        @if view.rows.is_empty() {
            p class="empty" { (t(lang, "results.none")) }
        }
        @for row in &view.rows {
            section class="card result" aria-label={ (row.year) " " (row.name) } {
                h2 { a href=(row.href) { (row.row) " " (row.name) } " · " (row.year) }
                @if row.synthetic {
                    p class="tag synthetic" { (t(lang, "results.synthetic")) }
                }
                p class="figure" {
                    strong { (row.value) }
                    " "
                    (tf(lang, "results.interval", &[("low", &row.low), ("high", &row.high)]))
                }
                dl class="facts" {
                    dt { (t(lang, "results.survey")) } dd { (row.survey) }
                    dt { (t(lang, "results.n")) } dd { (tf(lang, "results.n_value", &[("valid", &row.valid), ("responses", &row.responses)])) }
                    dt { (t(lang, "results.edition")) } dd { (row.edition) }
                    dt { (t(lang, "indicator.survey_provenance")) } dd { (row.provenance) }
                }
            }
        }
    };
    page(ctx, &title, Nav::Results, body)
}
