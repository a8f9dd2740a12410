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
    /// Its monitoring samples' summary (when the kind keeps samples): "2 个样品，最高：超过管制值"; `None`: none.
    pub samples: Option<String>,
}

/// The monitoring samples kept with a kind's records (its `[samples]`): where they are judged, and the
/// samples that belong to no record.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplesView {
    /// The page with the samples' judgements.
    pub href: String,
    /// A sample code and its record's name, to explain the match ("原某电镀厂地块-S1 → 原某电镀厂地块").
    pub example: String,
    pub unmatched: Vec<String>,
    /// Samples are stored but their judgements are being recomputed.
    pub pending: bool,
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
    /// The entry form of a new record, for the kind's keepers (its department's editors, reviewers).
    pub new_href: Option<String>,
    /// The records' monitoring samples, when the kind keeps them.
    pub samples: Option<SamplesView>,
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
        @if let Some(href) = &view.new_href { p { a class="button" href=(href) { (t(lang, "ledger.entry_new")) } } }
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
                        @if view.samples.is_some() { th scope="col" { (t(lang, "ledger.samples")) } }
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
                                @if let Some(samples) = &view.samples {
                                    td {
                                        @match &r.samples {
                                            Some(text) => a href=(samples.href) { (text) },
                                            None => span class="meta" { (t(lang, "ledger.samples_none")) },
                                        }
                                    }
                                }
                                td class="num" { (r.revisions) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(samples) = &view.samples {
            p class="meta" {
                (tf(lang, "ledger.samples_help", &[("example", &samples.example)])) " "
                a href=(samples.href) { (t(lang, "ledger.samples_page")) }
            }
            @if samples.pending { p class="meta" { (t(lang, "ledger.samples_pending")) } }
            @if !samples.unmatched.is_empty() {
                p class="meta" { (t(lang, "ledger.samples_unmatched")) (samples.unmatched.join("、")) }
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
    /// The record's evidence files, oldest first.
    pub files: Vec<RecordFile>,
    /// Where the upload form posts, for those who may attach files (the kind's keepers, reviewers).
    pub upload_action: Option<String>,
    /// The largest file, in MB (the hint under the form).
    pub max_mb: usize,
    /// A message key after a refused upload (`ledger.error.*`).
    pub error: Option<String>,
    /// A file was just stored.
    pub uploaded: bool,
    /// The entry form of the record's next revision (a correction, a change of state), for its keepers.
    pub revise_href: Option<String>,
    /// A revision was just saved from the entry form.
    pub saved: bool,
}

/// An evidence file of a record: name, link, size, who and when — the same row as a value's evidence file.
pub type RecordFile = crate::pages::indicator::EvidenceFile;

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
        @if view.saved { p class="flash success" role="status" { (t(lang, "ledger.entry_saved")) } }
        p class="meta" { (t(lang, "ledger.history_help")) }
        @if let Some(href) = &view.revise_href { p { a class="button" href=(href) { (t(lang, "ledger.entry_revise")) } } }
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
        section aria-labelledby="files-h" {
            h2 id="files-h" { (t(lang, "ledger.files")) }
            @if view.uploaded { p class="flash success" role="status" { (t(lang, "ledger.file_stored")) } }
            @if view.files.is_empty() {
                p class="empty" { (t(lang, "ledger.no_files")) }
            } @else {
                ul class="plain" {
                    @for file in &view.files {
                        li {
                            a href=(file.href) { (file.name) } " (" (super::fmt_bytes(file.bytes)) ") · " (file.uploaded_by) " · "
                            time datetime=(file.uploaded_at) { (crate::i18n::fmt_timestamp(lang, &file.uploaded_at)) }
                        }
                    }
                }
            }
            @if let Some(action) = &view.upload_action {
                form method="post" action=(action) enctype="multipart/form-data" class="upload card" {
                    (csrf_field(ctx))
                    div class={ "field" @if view.error.is_some() { " has-error" } } {
                        label for="record-file" { (t(lang, "ledger.file_add")) }
                        input type="file" id="record-file" name="file" required aria-describedby="record-file-hint";
                        p class="hint" id="record-file-hint" { (tf(lang, "ledger.file_hint", &[("max", &view.max_mb)])) }
                        @if let Some(error) = &view.error {
                            p class="error" role="alert" { (tf(lang, error, &[("max", &format!("{} MB", view.max_mb))])) }
                        }
                    }
                    button type="submit" { (t(lang, "ledger.file_upload")) }
                }
            }
        }
    };
    page(ctx, &title, Nav::Ledger, body)
}

/// How a field of the entry form is typed in.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryInput {
    Text,
    /// A figure (the server checks it; the browser's keyboard is numeric).
    Number,
    /// A calendar day (`YYYY-MM-DD`).
    Date,
    /// One of the listed texts (是 / 否 for a yes-or-no field, a vocabulary, a lifecycle's states).
    Choice(Vec<String>),
}

/// One field of a kind's entry form, generated from the kind's declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryField {
    /// The form field's name (the column's id).
    pub name: String,
    /// The Chinese name.
    pub label: String,
    pub input: EntryInput,
    pub required: bool,
    pub unit: Option<String>,
    /// The field's note or range, as the kind states it.
    pub hint: Option<String>,
    pub value: String,
    /// Why the value was refused (the page's language).
    pub error: Option<String>,
    /// Shown but not editable (the id of an existing record).
    pub readonly: bool,
}

/// A kind's entry form: a new record, or the next revision of one.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFormView {
    pub kind_name: String,
    /// The record's id when the form makes its next revision.
    pub record_id: Option<String>,
    pub action: String,
    pub back: String,
    pub fields: Vec<EntryField>,
    /// Problems not tied to one field.
    pub errors: Vec<String>,
}

/// Renders a kind's entry form; every refused field carries its reason, and nothing was saved.
pub fn render_entry_form(ctx: &PageContext, view: &EntryFormView) -> String {
    let lang = ctx.lang;
    let title = match &view.record_id {
        Some(id) => tf(
            lang,
            "ledger.entry_revise_title",
            &[("kind", &view.kind_name), ("id", id)],
        ),
        None => tf(lang, "ledger.entry_new_title", &[("kind", &view.kind_name)]),
    };
    let refused = view.fields.iter().filter(|f| f.error.is_some()).count() + view.errors.len();
    let body = html! {
        p { a href=(view.back) { (view.kind_name) } }
        h1 { (title) }
        p class="meta" { (t(lang, "ledger.entry_help")) }
        @if refused > 0 {
            div class="flash error" role="alert" {
                p { (tf(lang, "ledger.entry_refused", &[("n", &refused)])) }
                @if !view.errors.is_empty() {
                    ul { @for e in &view.errors { li { (e) } } }
                }
            }
        }
        form method="post" action=(view.action) class="card ledger-entry" novalidate {
            (csrf_field(ctx))
            @for f in &view.fields {
                @let id = format!("f-{}", f.name);
                @let hint_id = format!("f-{}-hint", f.name);
                div class={ "field" @if f.error.is_some() { " has-error" } } {
                    label for=(id) {
                        (f.label)
                        @if let Some(unit) = &f.unit { "（" (unit) "）" }
                        @if f.required { span class="required" { (t(lang, "ledger.entry_required")) } }
                    }
                    @match &f.input {
                        EntryInput::Choice(options) => {
                            select id=(id) name=(f.name) disabled[f.readonly] aria-invalid=[f.error.as_ref().map(|_| "true")] aria-describedby=(hint_id) {
                                option value="" selected[f.value.is_empty()] { "—" }
                                @for o in options { option value=(o) selected[*o == f.value] { (o) } }
                            }
                        }
                        EntryInput::Date => {
                            input type="date" id=(id) name=(f.name) value=(f.value) readonly[f.readonly] aria-invalid=[f.error.as_ref().map(|_| "true")] aria-describedby=(hint_id);
                        }
                        EntryInput::Number => {
                            input type="text" inputmode="decimal" id=(id) name=(f.name) value=(f.value) readonly[f.readonly] aria-invalid=[f.error.as_ref().map(|_| "true")] aria-describedby=(hint_id);
                        }
                        EntryInput::Text => {
                            input type="text" id=(id) name=(f.name) value=(f.value) readonly[f.readonly] aria-invalid=[f.error.as_ref().map(|_| "true")] aria-describedby=(hint_id);
                        }
                    }
                    @if f.readonly { input type="hidden" name=(f.name) value=(f.value); }
                    p class="hint" id=(hint_id) { @if let Some(hint) = &f.hint { (hint) } }
                    @if let Some(error) = &f.error { p class="error" role="alert" { (f.label) "：" (error) } }
                }
            }
            div class="actions" { button type="submit" { (t(lang, "ledger.entry_save")) } }
        }
    };
    page(ctx, &title, Nav::Ledger, body)
}
