//! Data entry for a department (部门填报): its rows for a year in one form — each with its unit, the
//! standard, last year's value, an input fitted to the row (a number field offering the row's states, a
//! `<select>` for rows that take only states, a text field for the spatial record), an optional assigned
//! value (上级下达值), an evidence file, and a message slot next to the field. Buttons: save draft /
//! submit. Rows already submitted or approved are shown read-only.
//!
//! Validation is the core's: [`validate_field`] parses a field with `ecociv_core::value::parse_value` and
//! turns a refusal into a message of the message tables, so the same rule guards the CSV import, the JSON
//! API and this form.

use std::collections::BTreeMap;

use ecociv_core::value::{ValueError, parse_assigned, parse_value};
use ecociv_core::{Assigned, Direction, Framework, Row, Value, Zone};
use maud::{Markup, html};

use super::{Named, fmt_bytes, unit_text};
use crate::i18n::{Lang, fmt_number, t, tf};
use crate::layout::{Nav, PageContext, csrf_field, page, urls};
use ecociv_core::format::RowFormat;

/// Form field names: `v:<row>` (value), `a:<row>` (assigned), `e:<row>` (evidence file), `r:<row>` (the
/// revision number the form showed, for optimistic concurrency), `action` = `save` | `submit`.
pub fn value_field(row: &str) -> String {
    format!("v:{row}")
}
pub fn assigned_field(row: &str) -> String {
    format!("a:{row}")
}
pub fn evidence_field(row: &str) -> String {
    format!("e:{row}")
}
pub fn revision_field(row: &str) -> String {
    format!("r:{row}")
}

/// A refusal of a field, as a message key with parameters (translated when shown).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub key: String,
    pub args: Vec<(String, String)>,
}

impl FieldError {
    /// A refusal with message `key` of the tables and its parameters.
    pub fn new(key: &str, args: &[(&str, String)]) -> FieldError {
        FieldError {
            key: key.to_string(),
            args: args
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let args: Vec<(&str, &dyn std::fmt::Display)> = self
            .args
            .iter()
            .map(|(name, value)| (name.as_str(), value as &dyn std::fmt::Display))
            .collect();
        tf(lang, &self.key, &args)
    }

    fn from_value_error(error: &ValueError) -> FieldError {
        match error {
            ValueError::Empty => FieldError::new("entry.error.empty", &[]),
            ValueError::UnknownState { text, allowed } if allowed.is_empty() => {
                FieldError::new("entry.error.not_a_number", &[("text", text.clone())])
            }
            ValueError::UnknownState { text, allowed } => FieldError::new(
                "entry.error.unknown_state",
                &[("text", text.clone()), ("allowed", allowed.join("、"))],
            ),
            ValueError::NumberNotAllowed => FieldError::new("entry.error.number_not_allowed", &[]),
            ValueError::NotANumber { text } => FieldError::new("entry.error.not_a_number", &[("text", text.clone())]),
            ValueError::OutOfRange { value, low, high } => FieldError::new(
                "entry.error.out_of_range",
                &[
                    ("value", fmt_number(*value)),
                    ("low", fmt_number(*low)),
                    ("high", fmt_number(*high)),
                ],
            ),
        }
    }
}

/// Validates a value field of row `row_id`: `Ok(None)` when left empty (nothing to save), `Ok(Some)` with
/// the parsed value, or the refusal.
pub fn validate_field(framework: &Framework, row_id: &str, text: &str) -> Result<Option<Value>, FieldError> {
    let Some((_, row)) = framework.row(row_id) else {
        return Err(FieldError::new(
            "entry.error.unknown_row",
            &[("row", row_id.to_string())],
        ));
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_value(row, text)
        .map(Some)
        .map_err(|error| FieldError::from_value_error(&error))
}

/// Validates an assigned-value field (a number in the row's unit, or 完成 / 未完成).
pub fn validate_assigned(framework: &Framework, row_id: &str, text: &str) -> Result<Option<Assigned>, FieldError> {
    let Some((_, row)) = framework.row(row_id) else {
        return Err(FieldError::new(
            "entry.error.unknown_row",
            &[("row", row_id.to_string())],
        ));
    };
    parse_assigned(row, text).map_err(|error| match error {
        ValueError::UnknownState { text, .. } => FieldError::new("entry.error.bad_assigned", &[("text", text)]),
        other => FieldError::from_value_error(&other),
    })
}

/// The workflow state of a row's value for the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    Empty,
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl EntryState {
    pub fn code(self) -> &'static str {
        match self {
            EntryState::Empty => "missing",
            EntryState::Draft => "draft",
            EntryState::Submitted => "submitted",
            EntryState::Approved => "approved",
            EntryState::Returned => "returned",
        }
    }
    /// The department may still change the value.
    pub fn editable(self) -> bool {
        matches!(self, EntryState::Empty | EntryState::Draft | EntryState::Returned)
    }
}

/// How a row's value is entered.
#[derive(Debug, Clone, PartialEq)]
pub enum InputKind {
    /// A number (with the row's states offered as suggestions, if it has any).
    Number {
        range: Option<(f64, f64)>,
        states: Vec<String>,
    },
    /// One of the row's states.
    Select { options: Vec<String> },
    /// A spatial record `面积=…;性质=…;功能=…`.
    Spatial,
}

/// One row of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    pub id: String,
    pub name: Named,
    pub unit: String,
    pub standard: String,
    pub input: InputKind,
    /// The text in the field (what was typed, or what is on record).
    pub value: String,
    pub assigned: String,
    pub state: EntryState,
    pub return_comment: Option<String>,
    pub last_year: Option<String>,
    pub error: Option<FieldError>,
    pub assigned_error: Option<FieldError>,
    /// The revision number of the value on record (0: none), sent back with the form.
    pub revision: i64,
    /// The evidence files attached to the value.
    pub evidence: Vec<EvidenceLink>,
    /// A refused evidence file.
    pub evidence_error: Option<FieldError>,
}

/// An evidence file already attached to a value, with its download link.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceLink {
    pub name: String,
    pub href: String,
    pub bytes: u64,
}

/// The data-entry page.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryView {
    pub zone_code: String,
    pub department: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub rows: Vec<EntryRow>,
    /// Where the form posts.
    pub action: String,
    /// Accept evidence files (the form is then `multipart/form-data`).
    pub evidence_upload: bool,
}

impl EntryView {
    /// The rows of `department` for `year`, with what is on record in `zone` (last year's value
    /// alongside) and each row's workflow state (rows not in `states` are [`EntryState::Empty`] when
    /// there is no value, else [`EntryState::Approved`]).
    pub fn build(
        framework: &Framework,
        zone: &Zone,
        department: &str,
        year: i32,
        years: Vec<i32>,
        states: &BTreeMap<String, (EntryState, Option<String>)>,
    ) -> EntryView {
        let mut rows = Vec::new();
        for (_, row) in framework.rows() {
            let leads = zone.plan.lead_departments.get(&row.id);
            if !leads.is_some_and(|leads| leads.iter().any(|lead| lead == department)) {
                continue;
            }
            let current = zone.observation(&row.id, year);
            let previous = zone.observation(&row.id, year - 1);
            let (state, return_comment) = match states.get(&row.id) {
                Some((state, comment)) => (*state, comment.clone()),
                None if current.is_some() => (EntryState::Approved, None),
                None => (EntryState::Empty, None),
            };
            let standard = row
                .variant_for(&zone.profile.attributes)
                .map(|variant| variant.standard.clone())
                .unwrap_or_default();
            rows.push(EntryRow {
                id: row.id.clone(),
                name: Named::new(&row.name, &row.name_en),
                unit: row.unit.clone(),
                standard,
                input: input_kind(row),
                value: current.map(|obs| obs.value.display()).unwrap_or_default(),
                assigned: current
                    .and_then(|obs| obs.assigned.as_ref())
                    .map(Assigned::to_string)
                    .unwrap_or_default(),
                state,
                return_comment,
                last_year: previous.map(|obs| RowFormat::for_row(row).value(&obs.value)),
                error: None,
                assigned_error: None,
                revision: 0,
                evidence: Vec::new(),
                evidence_error: None,
            });
        }
        EntryView {
            zone_code: zone.profile.code.clone(),
            department: department.to_string(),
            year,
            years,
            rows,
            action: urls::entry(&zone.profile.code),
            evidence_upload: false,
        }
    }

    /// Puts the submitted texts back into the form and validates them; returns the number of refused
    /// fields. Read-only rows are left as they are.
    pub fn apply_input(&mut self, framework: &Framework, input: &BTreeMap<String, String>) -> usize {
        let mut refused = 0;
        for row in self.rows.iter_mut().filter(|row| row.state.editable()) {
            if let Some(text) = input.get(&value_field(&row.id)) {
                row.value = text.clone();
                row.error = validate_field(framework, &row.id, text).err();
                refused += usize::from(row.error.is_some());
            }
            if let Some(text) = input.get(&assigned_field(&row.id)) {
                row.assigned = text.clone();
                row.assigned_error = validate_assigned(framework, &row.id, text).err();
                refused += usize::from(row.assigned_error.is_some());
            }
        }
        refused
    }

    pub fn error_count(&self) -> usize {
        self.rows
            .iter()
            .map(|row| {
                usize::from(row.error.is_some())
                    + usize::from(row.assigned_error.is_some())
                    + usize::from(row.evidence_error.is_some())
            })
            .sum()
    }
}

fn input_kind(row: &Row) -> InputKind {
    if row.spatial {
        InputKind::Spatial
    } else if row.direction == Direction::NotApplicable {
        InputKind::Select {
            options: row.states.iter().map(|state| state.text.clone()).collect(),
        }
    } else {
        InputKind::Number {
            range: row.range,
            states: row.states.iter().map(|state| state.text.clone()).collect(),
        }
    }
}

fn field_id(row: &str) -> String {
    format!("v-{}", row.replace('.', "-"))
}

fn value_input(lang: Lang, row: &EntryRow) -> Markup {
    let id = field_id(&row.id);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if row.error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    let name = value_field(&row.id);
    let disabled = !row.state.editable();
    html! {
        @match &row.input {
            InputKind::Select { options } => {
                select id=(id) name=(name) aria-describedby=(described) aria-invalid=[row.error.as_ref().map(|_| "true")] disabled[disabled] {
                    option value="" { (t(lang, "entry.choose")) }
                    @let known = options.contains(&row.value);
                    @if !known && !row.value.is_empty() {
                        option value=(row.value) selected { (row.value) }
                    }
                    @for option in options {
                        option value=(option) selected[*option == row.value] { (option) }
                    }
                }
                div class="hint" id=(hint_id) { (t(lang, "entry.hint_state")) }
            }
            InputKind::Number { range, states } => {
                @let list_id = format!("{id}-states");
                input type="text" inputmode="decimal" id=(id) name=(name) value=(row.value) autocomplete="off"
                    list=[(!states.is_empty()).then_some(list_id.as_str())]
                    aria-describedby=(described) aria-invalid=[row.error.as_ref().map(|_| "true")] disabled[disabled];
                @if !unit_text(&row.unit).is_empty() { span class="unit" { (row.unit) } }
                @if !states.is_empty() {
                    datalist id=(list_id) { @for state in states { option value=(state) {} } }
                }
                div class="hint" id=(hint_id) {
                    @if let Some((low, high)) = range { (tf(lang, "entry.hint_range", &[("low", &fmt_number(*low)), ("high", &fmt_number(*high))])) }
                    @else { (t(lang, "entry.hint_number")) }
                }
            }
            InputKind::Spatial => {
                input type="text" id=(id) name=(name) value=(row.value) autocomplete="off"
                    aria-describedby=(described) aria-invalid=[row.error.as_ref().map(|_| "true")] disabled[disabled];
                div class="hint" id=(hint_id) { (t(lang, "entry.hint_spatial")) }
            }
        }
        div class="error" id=(error_id) role=[row.error.as_ref().map(|_| "alert")] {
            @if let Some(error) = &row.error { (error.message(lang)) }
        }
    }
}

/// Renders the data-entry page.
pub fn render_entry(ctx: &PageContext, view: &EntryView) -> String {
    let lang = ctx.lang;
    let title = tf(
        lang,
        "entry.title",
        &[("department", &view.department), ("year", &view.year)],
    );
    let errors = view.error_count();
    let editable = view.rows.iter().any(|row| row.state.editable());
    // Returned rows first: what the reviewer sent back is the first thing the department sees.
    let returned: Vec<_> = view
        .rows
        .iter()
        .filter(|row| row.state == EntryState::Returned)
        .collect();
    let rows = returned
        .iter()
        .copied()
        .chain(view.rows.iter().filter(|row| row.state != EntryState::Returned));
    let body = html! {
        div class="page-head" {
            h1 { (title) }
            form class="filters" method="get" action=(view.action) {
                label for="year" { (t(lang, "filter.year")) }
                select id="year" name="year" {
                    @for year in &view.years { option value=(year) selected[*year == view.year] { (year) } }
                }
                button type="submit" { (t(lang, "filter.apply")) }
            }
        }
        @if errors > 0 {
            div class="flash flash-error" role="alert" id="form-errors" {
                (tf(lang, "entry.errors_summary", &[("n", &errors)]))
            }
        }
        @if !returned.is_empty() {
            div class="flash flash-error returned-summary" role="alert" {
                (tf(lang, "entry.returned_summary", &[("n", &returned.len())]))
                ul class="plain" {
                    @for row in &returned {
                        li {
                            a href={ "#row-" (row.id.replace('.', "-")) } { (row.id) " " (row.name.get(lang)) }
                            @if let Some(comment) = &row.return_comment { "：" (comment) }
                        }
                    }
                }
            }
        }
        @if view.rows.is_empty() {
            p class="empty" { (t(lang, "entry.no_rows")) }
        } @else {
            form method="post" action=(view.action) class="entry" enctype=[view.evidence_upload.then_some("multipart/form-data")] novalidate {
                (csrf_field(ctx))
                input type="hidden" name="year" value=(view.year);
                @for row in rows {
                    input type="hidden" name=(revision_field(&row.id)) value=(row.revision);
                    fieldset class={ "entry-row state-" (row.state.code()) @if row.error.is_some() || row.assigned_error.is_some() { " has-error" } } id={ "row-" (row.id.replace('.', "-")) } {
                        legend { span class="row-id" { (row.id) } " " (row.name.get(lang)) }
                        div class="entry-meta" {
                            span { (t(lang, "table.standard")) "：" (row.standard) }
                            span { (t(lang, "entry.last_year")) "：" (row.last_year.as_deref().unwrap_or("—")) }
                            span class={ "wf wf-" (row.state.code()) } { (t(lang, &format!("workflow.{}", row.state.code()))) }
                        }
                        @if let Some(comment) = &row.return_comment {
                            p class="returned" { (t(lang, "entry.returned_comment")) "：" (comment) }
                        }
                        div class="entry-fields" {
                            div class="field" {
                                label for=(field_id(&row.id)) { (t(lang, "entry.value")) }
                                (value_input(lang, row))
                            }
                            div class="field" {
                                @let assigned_id = format!("{}-assigned", field_id(&row.id));
                                label for=(assigned_id) { (t(lang, "entry.assigned")) }
                                input type="text" id=(assigned_id) name=(assigned_field(&row.id)) value=(row.assigned) autocomplete="off"
                                    aria-describedby={ (assigned_id) "-hint " (assigned_id) "-error" } aria-invalid=[row.assigned_error.as_ref().map(|_| "true")] disabled[!row.state.editable()];
                                div class="hint" id={ (assigned_id) "-hint" } { (t(lang, "entry.hint_assigned")) }
                                div class="error" id={ (assigned_id) "-error" } role=[row.assigned_error.as_ref().map(|_| "alert")] {
                                    @if let Some(error) = &row.assigned_error { (error.message(lang)) }
                                }
                            }
                            @if view.evidence_upload && row.state.editable() {
                                div class="field" {
                                    @let evidence_id = format!("{}-evidence", field_id(&row.id));
                                    label for=(evidence_id) { (t(lang, "entry.evidence_add")) }
                                    input type="file" id=(evidence_id) name=(evidence_field(&row.id))
                                        aria-describedby={ (evidence_id) "-hint " (evidence_id) "-error" } aria-invalid=[row.evidence_error.as_ref().map(|_| "true")];
                                    div class="hint" id={ (evidence_id) "-hint" } { (t(lang, "entry.hint_evidence")) }
                                    div class="error" id={ (evidence_id) "-error" } role=[row.evidence_error.as_ref().map(|_| "alert")] {
                                        @if let Some(error) = &row.evidence_error { (error.message(lang)) }
                                    }
                                }
                            }
                        }
                        @if !row.evidence.is_empty() {
                            div class="evidence-list" {
                                span { (t(lang, "entry.evidence")) "：" }
                                ul class="plain" {
                                    @for file in &row.evidence {
                                        li { a href=(file.href) download { (file.name) } " (" (fmt_bytes(file.bytes)) ")" }
                                    }
                                }
                            }
                        }
                    }
                }
                @if editable {
                    div class="actions sticky" {
                        button type="submit" name="action" value="save" class="secondary" { (t(lang, "entry.save")) }
                        button type="submit" name="action" value="submit" { (t(lang, "entry.submit")) }
                    }
                } @else {
                    p class="empty" { (t(lang, "entry.nothing_editable")) }
                }
            }
        }
    };
    page(ctx, &title, Nav::Entry, body)
}
