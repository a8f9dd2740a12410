//! Review for the bureau (审核): the submitted values, each with last year's value and the jump, the
//! judgement the new value would get, and two POST forms — approve, or return with a comment.

use ecociv_core::judge::{Evidence, judge};
use ecociv_core::{Framework, Observation, Source, Status, Value, Zone};
use maud::html;

use super::entry::EvidenceLink;
use super::{Named, fmt_bytes};
use crate::i18n::{fmt_timestamp, t, tf};
use crate::layout::{Nav, PageContext, csrf_field, page, status_badge, urls};
use ecociv_core::format::RowFormat;

/// A jump between last year's and this year's figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jump {
    pub absolute: f64,
    /// Relative change (0.25 = +25 %); `None` when last year's figure is 0.
    pub relative: Option<f64>,
}

impl Jump {
    pub fn between(previous: f64, current: f64) -> Jump {
        Jump {
            absolute: current - previous,
            relative: (previous != 0.0).then(|| (current - previous) / previous.abs()),
        }
    }
    /// A change of a fifth or more deserves a second look.
    pub fn large(&self) -> bool {
        self.relative.is_some_and(|relative| relative.abs() >= 0.2)
    }
}

/// A submitted value waiting for review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    /// The store's id of the submission (used in the form's URL).
    pub submission: String,
    pub row: String,
    pub name: Named,
    pub department: String,
    pub year: i32,
    pub value: String,
    pub previous: Option<(i32, String)>,
    pub jump: Option<Jump>,
    /// The change against last year in the row's unit (a share's in percentage points).
    pub change: Option<Named>,
    /// The judgement the value would get under the standard.
    pub would_be: Status,
    pub submitted_by: String,
    /// RFC 3339.
    pub submitted_at: String,
    pub evidence: usize,
    /// The evidence files attached to the value, with their download links (filled by the server).
    pub evidence_files: Vec<EvidenceLink>,
    /// The reviewer looking at the page entered or computed this value: a second person approves it
    /// (filled by the server, which also refuses such an approval).
    pub own: bool,
    /// The revision shown (filled by the server; 0 = unknown): a batch approval of a value that changed
    /// since is refused.
    pub revision: i64,
}

/// The batch approval form's field: one `s` per chosen submission, `<submission>:<revision>`.
pub const BATCH_FIELD: &str = "s";

/// What the server knows of a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: String,
    pub row: String,
    pub year: i32,
    pub value: Value,
    pub department: String,
    pub submitted_by: String,
    pub submitted_at: String,
    pub evidence: usize,
}

impl ReviewItem {
    /// Builds a review line: last year's value and the judgement come from the approved values in `zone`.
    pub fn build(framework: &Framework, zone: &Zone, submission: &Submission) -> Option<ReviewItem> {
        let (_, row) = framework.row(&submission.row)?;
        let previous = zone.observation(&row.id, submission.year - 1);
        let jump = match (
            previous.and_then(|obs| obs.value.as_number()),
            submission.value.as_number(),
        ) {
            (Some(previous), Some(current)) => Some(Jump::between(previous, current)),
            _ => None,
        };
        let observation = Observation {
            row: row.id.clone(),
            year: submission.year,
            value: submission.value.clone(),
            assigned: None,
            recorded: None,
            source: Source::Document {
                citation: String::new(),
            },
        };
        let would_be = match row.variant_for(&zone.profile.attributes) {
            Some(variant) => {
                let earlier = ecociv_core::assess::earlier_for(zone, row, submission.year, &submission.value);
                judge(
                    row,
                    &variant.criterion,
                    &variant.standard,
                    &Evidence {
                        year: submission.year,
                        current: Some(&observation),
                        earlier,
                    },
                )
                .status
            }
            None => Status::NoData,
        };
        let format = RowFormat::for_row(row);
        let show = |value: &Value| format.value(value);
        let change = match (
            previous.and_then(|obs| obs.value.as_number()),
            submission.value.as_number(),
        ) {
            (Some(previous), Some(current)) => {
                Some(Named::from(&format.change_with_relative(current - previous, previous)))
            }
            _ => None,
        };
        Some(ReviewItem {
            submission: submission.id.clone(),
            row: row.id.clone(),
            name: Named::new(&row.name, &row.name_en),
            department: submission.department.clone(),
            year: submission.year,
            value: show(&submission.value),
            previous: previous.map(|obs| (obs.year, show(&obs.value))),
            jump,
            change,
            would_be,
            submitted_by: submission.submitted_by.clone(),
            submitted_at: submission.submitted_at.clone(),
            evidence: submission.evidence,
            evidence_files: Vec::new(),
            own: false,
            revision: 0,
        })
    }
}

/// The review page.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewView {
    pub zone_code: String,
    pub items: Vec<ReviewItem>,
}

/// Renders the review page: the submissions in row order, each with approve / return; those the reviewer
/// may approve also with a checkbox of the batch approval form (all or nothing).
pub fn render_review(ctx: &PageContext, view: &ReviewView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let title = t(lang, "review.title");
    let approvable = view.items.iter().filter(|item| !item.own).count();
    let body = html! {
        h1 { (title) }
        p class="meta" role="status" { (tf(lang, "review.count", &[("n", &view.items.len())])) }
        @if view.items.is_empty() {
            p class="empty" { (t(lang, "review.nothing")) }
        } @else {
            @for item in &view.items {
                @let anchor = format!("s-{}", item.submission);
                article class={ "review-item" @if item.own { " own" } } id=(anchor) aria-labelledby={ (anchor) "-h" } {
                    h2 id={ (anchor) "-h" } { span class="row-id" { (item.row) } " " (item.name.get(lang)) " · " (item.year) }
                    dl class="facts inline" {
                        dt { (t(lang, "table.department")) } dd { (item.department) }
                        dt { (t(lang, "review.submitted_by")) } dd { (item.submitted_by) " · " time datetime=(item.submitted_at) { (fmt_timestamp(lang, &item.submitted_at)) } }
                        dt { (t(lang, "review.new_value")) } dd class="value" { (item.value) }
                        dt { (t(lang, "review.previous")) } dd {
                            @if let Some((year, value)) = &item.previous { (value) " (" (year) ")" } @else { "—" }
                        }
                        dt { (t(lang, "review.jump")) } dd {
                            @if let Some(change) = &item.change {
                                (change.get(lang))
                                @if item.jump.is_some_and(|jump| jump.large()) { " " span class="tag warn" { (t(lang, "review.large_jump")) } }
                            } @else { "—" }
                        }
                        dt { (t(lang, "review.would_be")) } dd { (status_badge(lang, item.would_be)) }
                        dt { (t(lang, "indicator.evidence")) } dd {
                            @if item.evidence_files.is_empty() { (item.evidence) }
                            @else {
                                ul class="plain" {
                                    @for file in &item.evidence_files {
                                        li { a href=(file.href) download { (file.name) } " (" (fmt_bytes(file.bytes)) ")" }
                                    }
                                }
                            }
                        }
                    }
                    div class="decide" {
                        @if item.own {
                            p class="own-note" { (t(lang, "review.own_value")) }
                        } @else {
                            @let pick_id = format!("{anchor}-pick");
                            div class="pick" {
                                input type="checkbox" id=(pick_id) name=(BATCH_FIELD) form="batch-approve"
                                    value={ (item.submission) ":" (item.revision) };
                                label for=(pick_id) { (t(lang, "review.pick")) }
                            }
                            form method="post" action=(urls::review_decide(zone, &item.submission)) {
                                (csrf_field(ctx))
                                input type="hidden" name="decision" value="approve";
                                button type="submit" { (t(lang, "review.approve")) }
                            }
                        }
                        form method="post" action=(urls::review_decide(zone, &item.submission)) class="return" {
                            (csrf_field(ctx))
                            input type="hidden" name="decision" value="return";
                            @let comment_id = format!("{anchor}-comment");
                            label for=(comment_id) { (t(lang, "review.comment")) }
                            textarea id=(comment_id) name="comment" rows="2" required {}
                            button type="submit" class="secondary" { (t(lang, "review.return")) }
                        }
                    }
                    p { a href=(urls::indicator(zone, &item.row, item.year)) { (t(lang, "review.open_indicator")) } }
                }
            }
            @if approvable > 0 {
                form id="batch-approve" class="actions sticky" method="post" action=(urls::review(zone)) {
                    (csrf_field(ctx))
                    input type="hidden" name="decision" value="approve";
                    button type="submit" { (t(lang, "review.approve_selected")) }
                    span class="hint" { (tf(lang, "review.batch_hint", &[("n", &approvable)])) }
                }
            }
        }
    };
    page(ctx, &title, Nav::Review, body)
}
