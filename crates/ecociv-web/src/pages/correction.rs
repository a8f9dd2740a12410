//! Corrections of monitoring data on the air and water pages (issue 19), for reviewers and admins: the
//! rows computed from monitoring whose readings now give another figure (stale, to recompute and review),
//! the correction form (a file in the import's format plus `action` and `reason`; check only = dry run),
//! the batches made, and a reading's history (the imported value, then each correction with who, when
//! and why). The server fills [`CorrectionsView`]; nothing here decides what is stale.

use maud::{Markup, html};

use crate::i18n::{Lang, t, tf};
use crate::layout::{PageContext, urls};

/// A correction batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchView {
    pub at: String,
    pub author: String,
    pub file: String,
    /// The kind's code (`air`, `sections`, …).
    pub kind: String,
    pub corrections: i64,
}

/// A row computed from monitoring whose inputs changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StaleView {
    pub row: String,
    pub name: String,
    /// The value in force, with its unit, and its workflow status code.
    pub value: String,
    pub status: String,
    /// The figure the stored readings give now (`None`: none any more).
    pub recomputed: Option<String>,
}

/// One step of a reading's history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepView {
    pub at: String,
    pub author: String,
    /// `retract` or `supersede`.
    pub action: String,
    pub value: Option<String>,
    pub reason: String,
    pub file: String,
    pub line: i64,
}

/// A reading's history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryView {
    pub station: String,
    pub parameter: String,
    pub unit: String,
    pub time: String,
    pub original: String,
    pub steps: Vec<StepView>,
    /// `None`: withdrawn.
    pub current: Option<String>,
}

/// The history lookup asked: kind, station, parameter, time (empty when none).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lookup {
    pub kind: String,
    pub station: String,
    pub parameter: String,
    pub time: String,
}

/// The corrections part of a monitoring page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CorrectionsView {
    pub stale: Vec<StaleView>,
    pub batches: Vec<BatchView>,
    pub lookup: Lookup,
    /// The reading looked up; `None` with a lookup asked: not stored.
    pub history: Option<HistoryView>,
}

/// The notice of stale rows and the corrections section (reviewers, admins). `back` is the page (`air`
/// or `water`), `kinds` the kinds it holds.
pub fn corrections_section(
    ctx: &PageContext,
    zone: &str,
    year: i32,
    back: &str,
    kinds: &[&str],
    view: &CorrectionsView,
) -> Markup {
    let lang = ctx.lang;
    let csrf = ctx.csrf_token.clone().unwrap_or_default();
    let looked_up = !view.lookup.station.is_empty();
    html! {
        section aria-labelledby="corr-h" class="manage corrections" {
            h2 id="corr-h" { (t(lang, "correction.title")) }
            @if !view.stale.is_empty() {
                (stale_notice(lang, year, &view.stale))
            }
            div class="grid-2" {
                (correction_form(lang, &csrf, zone, year, back, kinds))
                (history_form(lang, zone, year, back, kinds, &view.lookup))
            }
            @if looked_up {
                (reading_history(lang, view.history.as_ref()))
            }
            @if !view.batches.is_empty() {
                (batches_table(lang, &view.batches))
            }
        }
    }
}

/// The rows computed from monitoring whose readings now give another figure: the figure in force and the
/// recomputed one.
fn stale_notice(lang: Lang, year: i32, stale: &[StaleView]) -> Markup {
    html! {
        div class="notice warn" role="status" {
            p { (tf(lang, "correction.stale_intro", &[("year", &year)])) }
            table class="data compact" {
                thead { tr {
                    th scope="col" { (t(lang, "monitoring.row")) }
                    th scope="col" class="num" { (t(lang, "correction.in_force")) }
                    th scope="col" class="num" { (t(lang, "correction.recomputed")) }
                } }
                tbody {
                    @for row in stale {
                        tr {
                            th scope="row" { (row.row) " " (row.name) }
                            td class="num" { (row.value) " (" (t(lang, &format!("workflow.{}", row.status))) ")" }
                            td class="num" { (row.recomputed.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
        }
    }
}

/// The correction form: a file of one of `kinds` with its reason, or a dry run.
fn correction_form(lang: Lang, csrf: &str, zone: &str, year: i32, back: &str, kinds: &[&str]) -> Markup {
    html! {
        form method="post" action=(urls::monitoring_correct(zone)) enctype="multipart/form-data" class="upload card" {
            h3 { (t(lang, "correction.form_title")) }
            input type="hidden" name="csrf_token" value=(csrf);
            input type="hidden" name="back" value=(back);
            input type="hidden" name="year" value=(year);
            div class="field" {
                label for="c-kind" { (t(lang, "monitoring.kind_label")) }
                select id="c-kind" name="kind" {
                    @for kind in kinds { option value=(kind) { (t(lang, &format!("monitoring.kind.{kind}"))) } }
                }
            }
            div class="field" {
                label for="c-file" { (t(lang, "monitoring.file")) }
                input id="c-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="c-file-hint";
                div class="hint" id="c-file-hint" {
                    (t(lang, "correction.help")) " " (t(lang, "correction.columns")) " "
                    code { "action" } "、" code { "reason" } "；" (t(lang, "correction.actions")) " "
                    code { "retract" } "、" code { "supersede" } "。"
                }
            }
            div class="field" {
                label for="c-reason" { (t(lang, "correction.reason")) }
                input id="c-reason" type="text" name="reason" maxlength="500";
            }
            div class="field check" {
                input id="c-dry" type="checkbox" name="dry_run" value="true";
                label for="c-dry" { (t(lang, "monitoring.dry_run")) }
            }
            div class="actions" { button type="submit" { (t(lang, "correction.submit")) } }
        }
    }
}

/// The form that looks up a reading's history (kind, station, parameter, time) on the page `back`.
fn history_form(lang: Lang, zone: &str, year: i32, back: &str, kinds: &[&str], lookup: &Lookup) -> Markup {
    html! {
        form method="get" action=(format!("/z/{}/{back}", urls::encode(zone))) class="card" {
            h3 { (t(lang, "correction.history_title")) }
            input type="hidden" name="year" value=(year);
            div class="field" {
                label for="h-kind" { (t(lang, "monitoring.kind_label")) }
                select id="h-kind" name="h_kind" {
                    @for kind in kinds {
                        option value=(kind) selected[lookup.kind == *kind] { (t(lang, &format!("monitoring.kind.{kind}"))) }
                    }
                }
            }
            div class="field" {
                label for="h-station" { (t(lang, "correction.station")) }
                input id="h-station" type="text" name="h_station" value=(lookup.station) required;
            }
            div class="field" {
                label for="h-parameter" { (t(lang, "correction.parameter")) " " code { "pm25" } "、" code { "nh3n" } }
                input id="h-parameter" type="text" name="h_parameter" value=(lookup.parameter) required;
            }
            div class="field" {
                label for="h-time" { (t(lang, "correction.time")) }
                input id="h-time" type="text" name="h_time" value=(lookup.time) required aria-describedby="h-time-hint";
                div class="hint" id="h-time-hint" { (t(lang, "correction.time_help")) }
            }
            div class="actions" { button type="submit" { (t(lang, "correction.show_history")) } }
        }
    }
}

/// The reading looked up: the imported value, each correction with who, when and why, and the value in
/// force (or withdrawn); or that no such reading is stored.
fn reading_history(lang: Lang, history: Option<&HistoryView>) -> Markup {
    html! {
        @match history {
            Some(history) => {
                h3 { (tf(lang, "correction.history_of", &[("station", &history.station), ("parameter", &history.parameter), ("time", &history.time)])) }
                table class="data compact history" {
                    thead { tr {
                        th scope="col" { (t(lang, "correction.when")) }
                        th scope="col" { (t(lang, "correction.who")) }
                        th scope="col" { (t(lang, "correction.what")) }
                        th scope="col" class="num" { (tf(lang, "correction.value", &[("unit", &history.unit)])) }
                        th scope="col" { (t(lang, "correction.reason")) }
                    } }
                    tbody {
                        tr {
                            td { "—" }
                            td { "—" }
                            td { (t(lang, "correction.imported")) }
                            td class="num" { (history.original) }
                            td { "—" }
                        }
                        @for step in &history.steps {
                            tr {
                                td { (step.at) }
                                td { (step.author) }
                                td { (t(lang, &format!("correction.action.{}", step.action))) }
                                td class="num" { (step.value.as_deref().unwrap_or("—")) }
                                td { (step.reason) " " span class="meta" { (tf(lang, "correction.file_line", &[("file", &step.file), ("line", &step.line)])) } }
                            }
                        }
                    }
                }
                p {
                    (t(lang, "correction.current"))
                    @match &history.current { Some(value) => { (value) }, None => { (t(lang, "correction.withdrawn")) } }
                }
            }
            None => { p class="meta" { (t(lang, "correction.not_found")) } }
        }
    }
}

/// The correction batches made: when, who, kind, file and how many corrections.
fn batches_table(lang: Lang, batches: &[BatchView]) -> Markup {
    html! {
        h3 { (t(lang, "correction.batches")) }
        div class="scroll" {
            table class="data compact" {
                thead { tr {
                    th scope="col" { (t(lang, "correction.when")) }
                    th scope="col" { (t(lang, "correction.who")) }
                    th scope="col" { (t(lang, "monitoring.kind_label")) }
                    th scope="col" { (t(lang, "monitoring.file")) }
                    th scope="col" class="num" { (t(lang, "correction.count")) }
                } }
                tbody {
                    @for batch in batches {
                        tr {
                            td { (batch.at) }
                            td { (batch.author) }
                            td { (t(lang, &format!("monitoring.kind.{}", batch.kind))) }
                            td { (batch.file) }
                            td class="num" { (batch.corrections) }
                        }
                    }
                }
            }
        }
    }
}
