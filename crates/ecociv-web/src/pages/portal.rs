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
    /// The licence's name in the page's language.
    pub licence_name: String,
    /// Chosen by the zone's administrator (else ecociv's default, shown as to be confirmed).
    pub licence_confirmed: bool,
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
            a href=(view.licence_url) rel="license" { (view.licence_name) }
            @if !view.licence_confirmed {
                " " span class="tag warn" { (t(lang, "open.licence_unconfirmed")) }
            }
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

/// One item of the public disclosure list (信息公开清单).
#[derive(Debug, Clone, PartialEq)]
pub struct DisclosureRow {
    pub id: String,
    pub title: String,
    pub category: String,
    pub owner: String,
    pub basis: String,
    pub frequency: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub published: Option<String>,
    pub channel: String,
    /// The document number or link, as registered; `link` when it is a web address.
    pub reference: String,
    pub link: Option<String>,
    /// `on_time`, `late`, `overdue`, `not_due`.
    pub standing: String,
    pub days_late: i64,
}

/// Late or overdue items of one owner.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerShortfall {
    pub owner: String,
    /// (item id, title, standing code, days late).
    pub items: Vec<(String, String, String, i64)>,
}

/// The public disclosure list of a year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DisclosureView {
    pub year: i32,
    /// (year, page address) of every year of the register.
    pub years: Vec<(i32, String)>,
    /// The day the standings are read on (`YYYY-MM-DD`).
    pub as_of: String,
    /// Items due in the year, and by standing: on time, late, overdue, not yet due.
    pub items_due: usize,
    pub counts: [usize; 4],
    /// Row 5 of the year as approved: (value text, status label, indicator page).
    pub row5: Option<(String, String, String)>,
    pub items: Vec<DisclosureRow>,
    pub owners: Vec<OwnerShortfall>,
    pub synthetic: bool,
    /// No disclosure register on this server (its kind was replaced).
    pub no_register: bool,
    pub csv: String,
    pub json: String,
}

/// The standings' codes in the counts' order.
pub const STANDINGS: [&str; 4] = ["on_time", "late", "overdue", "not_due"];

fn standing_class(code: &str) -> &'static str {
    match code {
        "on_time" => "tag verdict-meets",
        "late" | "overdue" => "tag verdict-fails",
        _ => "tag",
    }
}

/// Renders the public disclosure list.
pub fn render_disclosure(ctx: &PageContext, view: &DisclosureView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "disclosure.title");
    let body = html! {
        h1 { (title) }
        p { (t(lang, "disclosure.intro")) }
        @if view.no_register {
            p class="empty" { (t(lang, "disclosure.no_register")) }
        } @else {
            @if view.years.len() > 1 {
                nav class="tabs" aria-label=(t(lang, "disclosure.years")) {
                    @for (year, href) in &view.years {
                        @if *year == view.year { a href=(href) aria-current="page" { (year) } } @else { a href=(href) { (year) } }
                    }
                }
            }
            @if view.synthetic {
                p class="tag synthetic" { (t(lang, "results.synthetic")) }
            }
            section class="card" aria-labelledby="d-summary" {
                h2 id="d-summary" { (tf(lang, "disclosure.summary", &[("year", &view.year)])) }
                dl class="facts" {
                    dt { (t(lang, "disclosure.items_due")) } dd { (view.items_due) }
                    @for (code, count) in STANDINGS.iter().zip(view.counts) {
                        dt { (t(lang, &format!("disclosure.standing.{code}"))) } dd { (count) }
                    }
                    dt { (t(lang, "disclosure.as_of")) } dd { time datetime=(view.as_of) { (view.as_of) } }
                    dt { (t(lang, "disclosure.row5")) }
                    dd {
                        @match &view.row5 {
                            Some((value, status, href)) => { a href=(href) { (value) } " " span class="tag" { (status) } }
                            None => { (t(lang, "disclosure.row5_none")) }
                        }
                    }
                }
                p class="meta" { (t(lang, "disclosure.rule")) }
                p class="actions" {
                    a class="button" href=(view.csv) download { (t(lang, "open.csv")) }
                    " "
                    a class="button secondary" href=(view.json) download { (t(lang, "open.json")) }
                }
            }
            @if !view.owners.is_empty() {
                section class="card" aria-labelledby="d-owners" {
                    h2 id="d-owners" { (t(lang, "disclosure.by_owner")) }
                    ul class="plain" {
                        @for owner in &view.owners {
                            li {
                                strong { (owner.owner) } "："
                                @for (i, (id, title, code, days)) in owner.items.iter().enumerate() {
                                    @if i > 0 { "；" }
                                    (title) "（" (id) "）"
                                    span class=(standing_class(code)) { (t(lang, &format!("disclosure.standing.{code}"))) }
                                    " " (tf(lang, "disclosure.days_late", &[("days", days)]))
                                }
                            }
                        }
                    }
                }
            }
            h2 { (tf(lang, "disclosure.list", &[("year", &view.year)])) }
            @if view.items.is_empty() {
                p class="empty" { (t(lang, "disclosure.none")) }
            } @else {
                div class="scroll" {
                    table class="data cards" {
                        thead { tr {
                            th scope="col" { (t(lang, "disclosure.col.id")) }
                            th scope="col" { (t(lang, "disclosure.col.item")) }
                            th scope="col" { (t(lang, "disclosure.col.category")) }
                            th scope="col" { (t(lang, "disclosure.col.owner")) }
                            th scope="col" { (t(lang, "disclosure.col.basis")) }
                            th scope="col" { (t(lang, "disclosure.col.frequency")) }
                            th scope="col" { (t(lang, "disclosure.col.due")) }
                            th scope="col" { (t(lang, "disclosure.col.published")) }
                            th scope="col" { (t(lang, "disclosure.col.where")) }
                            th scope="col" { (t(lang, "disclosure.col.standing")) }
                        } }
                        tbody {
                            @for item in &view.items {
                                tr id={ "d-" (item.id) } {
                                    td class="c-id" { (item.id) }
                                    td class="c-name" { (item.title) }
                                    td data-label=(t(lang, "disclosure.col.category")) { (item.category) }
                                    td data-label=(t(lang, "disclosure.col.owner")) { (item.owner) }
                                    td data-label=(t(lang, "disclosure.col.basis")) { (item.basis) }
                                    td data-label=(t(lang, "disclosure.col.frequency")) { (item.frequency) }
                                    td data-label=(t(lang, "disclosure.col.due")) { time datetime=(item.due) { (item.due) } }
                                    td data-label=(t(lang, "disclosure.col.published")) {
                                        @match &item.published { Some(day) => { time datetime=(day) { (day) } } None => { "—" } }
                                    }
                                    td data-label=(t(lang, "disclosure.col.where")) {
                                        (item.channel)
                                        @if !item.reference.is_empty() {
                                            @if !item.channel.is_empty() { br; }
                                            @match &item.link {
                                                Some(link) => { a href=(link) rel="nofollow noopener" { (item.reference) } }
                                                None => { (item.reference) }
                                            }
                                        }
                                    }
                                    td data-label=(t(lang, "disclosure.col.standing")) {
                                        span class=(standing_class(&item.standing)) { (t(lang, &format!("disclosure.standing.{}", item.standing))) }
                                        @if item.days_late > 0 { " " (tf(lang, "disclosure.days_late", &[("days", &item.days_late)])) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::Disclosure, body)
}
