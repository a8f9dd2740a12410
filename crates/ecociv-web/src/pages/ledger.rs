//! The registers' pages (台账, issue 13): the zone's kinds with their records and the "compute from
//! registers" form, a kind's records with filters, and one record's history (who, when, which file).
//! View-models in, HTML out; the server fills them from the store.

use maud::html;

use crate::i18n::{t, tf};
use crate::layout::{Nav, PageContext, csrf_field, page};

/// A kind in the zone's list.
#[derive(Debug, Clone, PartialEq)]
pub struct KindItem {
    pub name: String,
    pub version: u32,
    pub department: String,
    /// The rows it feeds, as the page writes them (e.g. 第14行（佐证）).
    pub rows: String,
    pub records: i64,
    pub revisions: i64,
    pub href: String,
    pub template_href: String,
}

/// The zone's registers.
#[derive(Debug, Clone, PartialEq)]
pub struct KindListView {
    pub kinds: Vec<KindItem>,
    /// Reviewers and admins: the form that saves the year's fed rows.
    pub can_compute: bool,
    pub compute_action: String,
    pub year: i32,
}

/// Renders the zone's registers.
pub fn render_kind_list(ctx: &PageContext, view: &KindListView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "ledger.title");
    let body = html! {
        h1 { (title) }
        p class="meta" { (t(lang, "ledger.help")) }
        div class="scroll" {
            table class="data compact" {
                thead { tr {
                    th scope="col" { (t(lang, "ledger.kind")) }
                    th scope="col" { (t(lang, "ledger.department")) }
                    th scope="col" { (t(lang, "ledger.rows")) }
                    th scope="col" class="num" { (t(lang, "ledger.records")) }
                    th scope="col" class="num" { (t(lang, "ledger.revisions")) }
                    th scope="col" { (t(lang, "ledger.template")) }
                } }
                tbody {
                    @for kind in &view.kinds {
                        tr {
                            th scope="row" { a href=(kind.href) { (kind.name) } " " span class="meta" { (tf(lang, "ledger.version", &[("v", &kind.version)])) } }
                            td { (kind.department) }
                            td { (kind.rows) }
                            td class="num" { (kind.records) }
                            td class="num" { (kind.revisions) }
                            td { a href=(kind.template_href) { (t(lang, "ledger.download")) } }
                        }
                    }
                }
            }
        }
        @if view.can_compute {
            section class="card" aria-labelledby="ledger-compute-h" {
                h2 id="ledger-compute-h" { (t(lang, "ledger.compute")) }
                p class="meta" { (t(lang, "ledger.compute_help")) }
                form method="post" action=(view.compute_action) {
                    (csrf_field(ctx))
                    div class="field" {
                        label for="ledger-year" { (t(lang, "ledger.year")) }
                        input type="number" id="ledger-year" name="year" value=(view.year) min="1949" max="2100" required;
                    }
                    div class="field" {
                        label for="ledger-status" { (t(lang, "ledger.status")) }
                        select id="ledger-status" name="status" {
                            option value="submitted" selected { (t(lang, "ledger.status_submitted")) }
                            option value="draft" { (t(lang, "ledger.status_draft")) }
                        }
                    }
                    div class="actions" { button type="submit" { (t(lang, "ledger.compute_button")) } }
                }
            }
        }
    };
    page(ctx, &title, Nav::Ledger, body)
}

/// A record in a kind's list: its latest revision.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordItem {
    pub id: String,
    pub href: String,
    /// One text per column of [`RecordListView::columns`].
    pub cells: Vec<String>,
    pub revisions: usize,
    pub synthetic: bool,
}

/// A kind's records, filtered.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordListView {
    pub name: String,
    pub version: u32,
    pub department: String,
    pub source: String,
    /// The columns' Chinese names (编号 first, then the fields, then 状态 and 状态日期).
    pub columns: Vec<String>,
    pub records: Vec<RecordItem>,
    /// The lifecycle's states, for the filter (empty: no lifecycle).
    pub states: Vec<String>,
    pub state: String,
    pub q: String,
    pub action: String,
    pub back: String,
    pub template_href: String,
}

/// Renders a kind's records.
pub fn render_record_list(ctx: &PageContext, view: &RecordListView) -> String {
    let lang = ctx.lang;
    let body = html! {
        p { a href=(view.back) { (t(lang, "ledger.back")) } }
        h1 { (view.name) }
        p class="meta" {
            (tf(lang, "ledger.version", &[("v", &view.version)])) " · " (view.department) " · "
            a href=(view.template_href) { (t(lang, "ledger.download")) }
        }
        p class="meta" { (t(lang, "ledger.source")) "：" (view.source) }
        form method="get" action=(view.action) class="filters" {
            @if !view.states.is_empty() {
                div class="field" {
                    label for="ledger-state" { (t(lang, "ledger.state")) }
                    select id="ledger-state" name="state" {
                        option value="" selected[view.state.is_empty()] { (t(lang, "ledger.all_states")) }
                        @for s in &view.states {
                            option value=(s) selected[*s == view.state] { (s) }
                        }
                    }
                }
            }
            div class="field" {
                label for="ledger-q" { (t(lang, "ledger.search")) }
                input type="search" id="ledger-q" name="q" value=(view.q);
            }
            div class="actions" { button type="submit" { (t(lang, "ledger.filter")) } }
        }
        p { (tf(lang, "ledger.count", &[("n", &view.records.len())])) }
        @if view.records.is_empty() {
            p class="card" { (t(lang, "ledger.none")) }
        } @else {
            div class="scroll" {
                table class="data compact records" {
                    thead { tr {
                        @for c in &view.columns { th scope="col" { (c) } }
                        th scope="col" class="num" { (t(lang, "ledger.revisions")) }
                    } }
                    tbody {
                        @for r in &view.records {
                            tr {
                                th scope="row" {
                                    a href=(r.href) { (r.id) }
                                    @if r.synthetic { " " span class="meta" { (t(lang, "ledger.synthetic")) } }
                                }
                                @for c in &r.cells { td { (c) } }
                                td class="num" { (r.revisions) }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, &view.name, Nav::Ledger, body)
}

/// One revision of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionItem {
    pub no: i64,
    pub cells: Vec<String>,
    pub author: String,
    /// When, as the page writes times.
    pub when: String,
    /// The file and line it came from.
    pub origin: String,
    pub kind_version: u32,
}

/// A record's history.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordView {
    pub kind_name: String,
    pub record_id: String,
    pub columns: Vec<String>,
    pub revisions: Vec<RevisionItem>,
    pub back: String,
    pub synthetic: bool,
}

/// Renders a record's history, oldest first.
pub fn render_record(ctx: &PageContext, view: &RecordView) -> String {
    let lang = ctx.lang;
    let title = tf(
        lang,
        "ledger.record_title",
        &[("kind", &view.kind_name), ("id", &view.record_id)],
    );
    let body = html! {
        p { a href=(view.back) { (view.kind_name) } }
        h1 { (title) }
        @if view.synthetic { p class="meta" { strong { (t(lang, "ledger.synthetic")) } } }
        p class="meta" { (t(lang, "ledger.history_help")) }
        div class="scroll" {
            table class="data compact" {
                thead { tr {
                    th scope="col" class="num" { (t(lang, "ledger.revision_no")) }
                    @for c in &view.columns { th scope="col" { (c) } }
                    th scope="col" { (t(lang, "ledger.who")) }
                    th scope="col" { (t(lang, "ledger.when")) }
                    th scope="col" { (t(lang, "ledger.origin")) }
                } }
                tbody {
                    @for r in &view.revisions {
                        tr {
                            th scope="row" class="num" { (r.no) }
                            @for c in &r.cells { td { (c) } }
                            td { (r.author) }
                            td { (r.when) }
                            td { (r.origin) " · " (tf(lang, "ledger.version", &[("v", &r.kind_version)])) }
                        }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::Ledger, body)
}
