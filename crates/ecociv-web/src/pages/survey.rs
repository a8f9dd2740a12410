//! The survey pages (问卷调查, rows 34/35): the public form (no account; a phone's width; plain POST with
//! the CSRF field, no script), its thank-you page, and the bureau's page of a survey — responses by
//! stratum and channel, the estimate of each row with its interval, staff keying of a paper form, import
//! of a platform's export, issued codes, and "save as the rows' values".
//!
//! View-models are plain data: the server fills them from `ecociv-survey`'s questionnaire and estimate;
//! every figure arrives formatted (the core's formatter).

use maud::{Markup, html};

use crate::i18n::{t, tf};
use crate::layout::{Nav, PageContext, csrf_field, page};
use crate::pages::Named;

/// An answer option.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceView {
    pub code: String,
    pub label: Named,
}

/// A question of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionView {
    pub id: String,
    pub text: Named,
    pub multiple: bool,
    pub required: bool,
    /// When the question applies (e.g. 上题选“不太满意”或“不满意”时回答); answers otherwise are ignored.
    pub condition: Option<Named>,
    pub choices: Vec<ChoiceView>,
    /// The codes chosen (kept after a refusal).
    pub chosen: Vec<String>,
    /// The problem with this answer, already translated.
    pub error: Option<String>,
}

/// A survey form: the public one, or the bureau's paper-form keying.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyFormView {
    pub title: Named,
    pub intro: Named,
    pub action: String,
    /// (code, name) of the strata the respondent chooses from; empty when a code decides it.
    pub strata: Vec<(String, String)>,
    pub stratum: String,
    pub stratum_error: Option<String>,
    /// An issued code is asked for.
    pub needs_code: bool,
    pub code: String,
    pub code_error: Option<String>,
    /// Paper keying: the form's number is asked for.
    pub paper: bool,
    pub paper_number: String,
    pub paper_error: Option<String>,
    pub questions: Vec<QuestionView>,
    /// The survey takes no responses.
    pub closed: bool,
}

fn form_body(ctx: &PageContext, view: &SurveyFormView) -> Markup {
    let lang = ctx.lang;
    html! {
        form method="post" action=(view.action) class="survey-form" novalidate {
            (csrf_field(ctx))
            @if view.paper {
                div class="field" {
                    label for="paper_number" { (t(lang, "survey.paper_number")) }
                    input type="text" id="paper_number" name="paper_number" value=(view.paper_number) required
                        aria-invalid=[view.paper_error.as_ref().map(|_| "true")] aria-describedby=[view.paper_error.as_ref().map(|_| "paper_number-error")];
                    @if let Some(error) = &view.paper_error { div class="error" id="paper_number-error" { (error) } }
                }
            }
            @if view.needs_code {
                div class="field" {
                    label for="code" { (t(lang, "survey.code")) }
                    input type="text" id="code" name="code" value=(view.code) autocomplete="off" autocapitalize="characters" required
                        aria-invalid=[view.code_error.as_ref().map(|_| "true")] aria-describedby=[view.code_error.as_ref().map(|_| "code-error")];
                    @if let Some(error) = &view.code_error { div class="error" id="code-error" { (error) } }
                }
            }
            @if !view.strata.is_empty() {
                div class="field" {
                    label for="stratum" { (t(lang, "survey.stratum")) }
                    select id="stratum" name="stratum" required
                        aria-invalid=[view.stratum_error.as_ref().map(|_| "true")] aria-describedby=[view.stratum_error.as_ref().map(|_| "stratum-error")] {
                        option value="" { (t(lang, "survey.choose")) }
                        @for (code, name) in &view.strata {
                            option value=(code) selected[*code == view.stratum] { (name) }
                        }
                    }
                    @if let Some(error) = &view.stratum_error { div class="error" id="stratum-error" { (error) } }
                }
            }
            @for (n, q) in view.questions.iter().enumerate() {
                @let error_id = format!("q-{}-error", q.id);
                fieldset class={ "entry-row question" @if q.error.is_some() { " has-error" } }
                    aria-describedby=[q.error.as_ref().map(|_| error_id.clone())] {
                    legend { (n + 1) ". " (q.text.get(lang))
                        @if q.multiple { " " span class="meta" { (t(lang, "survey.multiple")) } }
                        @if q.required { " " span class="meta" { (t(lang, "survey.required")) } }
                    }
                    @if let Some(condition) = &q.condition { p class="meta" { (condition.get(lang)) } }
                    @for choice in &q.choices {
                        @let id = format!("q-{}-{}", q.id, choice.code);
                        div class="field check" {
                            @if q.multiple {
                                input type="checkbox" id=(id) name=(format!("q_{}", q.id)) value=(choice.code) checked[q.chosen.contains(&choice.code)];
                            } @else {
                                input type="radio" id=(id) name=(format!("q_{}", q.id)) value=(choice.code) checked[q.chosen.contains(&choice.code)];
                            }
                            " "
                            label for=(id) { (choice.label.get(lang)) }
                        }
                    }
                    @if let Some(error) = &q.error { div class="error" id=(error_id) role="alert" { (error) } }
                }
            }
            div class="actions" {
                button type="submit" { (t(lang, if view.paper { "survey.save_paper" } else { "survey.submit" })) }
            }
        }
    }
}

/// The public survey page.
pub fn render_public_survey(ctx: &PageContext, view: &SurveyFormView) -> String {
    let lang = ctx.lang;
    let title = view.title.get(lang).to_string();
    let body = html! {
        div class="narrow survey" {
            h1 { (title) }
            @if view.closed {
                p class="card" { (t(lang, "survey.closed")) }
            } @else {
                p { (view.intro.get(lang)) }
                (form_body(ctx, view))
            }
        }
    };
    page(ctx, &title, Nav::None, body)
}

/// The page after a response was stored.
pub fn render_survey_thanks(ctx: &PageContext, title: &Named) -> String {
    let lang = ctx.lang;
    let body = html! {
        div class="narrow survey" {
            h1 { (title.get(lang)) }
            p class="card" role="status" id="survey-thanks" { (t(lang, "survey.thanks")) }
        }
    };
    page(ctx, title.get(lang), Nav::None, body)
}

/// One row's estimate (or why there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateView {
    pub row: String,
    pub row_name: Named,
    /// The share, its interval and standard error, formatted; `None` with `refusal` when refused.
    pub share: Option<String>,
    pub interval: Option<String>,
    pub standard_error: Option<String>,
    pub valid: u64,
    pub refusal: Option<String>,
    /// The sentence that explains it (Chinese or English as the page).
    pub explanation: String,
    /// The scoring's named doubt.
    pub doubt: String,
}

/// One stratum on the bureau's page.
#[derive(Debug, Clone, PartialEq)]
pub struct StratumView {
    pub name: String,
    pub kind: String,
    pub population: u64,
    pub quota: Option<u64>,
    pub responses: u64,
    /// Responses over the quota, formatted.
    pub rate: Option<String>,
}

/// The bureau's page of a survey.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyAdminView {
    pub title: String,
    pub year: i32,
    pub code_only: bool,
    pub collecting: bool,
    pub synthetic: bool,
    /// The public form's path.
    pub public_path: String,
    /// The Excel export of the responses and estimates.
    pub export_path: String,
    pub responses: u64,
    /// (channel label, count).
    pub by_channel: Vec<(String, u64)>,
    /// Issued and used codes.
    pub codes: (u64, u64),
    pub strata: Vec<StratumView>,
    pub overall_rate: Option<String>,
    pub estimates: Vec<EstimateView>,
    pub method: String,
    /// Staff keying of a paper form.
    pub paper: SurveyFormView,
    pub import_action: String,
    pub codes_action: String,
    pub compute_action: String,
    /// Codes just issued, to print.
    pub issued: Vec<String>,
    /// The outcome of an import or a computation, already translated (problems one per line).
    pub notes: Vec<String>,
    /// The current user may key, import, issue and compute (reviewers, admins).
    pub can_manage: bool,
}

/// Renders the bureau's page of a survey.
pub fn render_survey_admin(ctx: &PageContext, view: &SurveyAdminView) -> String {
    let lang = ctx.lang;
    let title = view.title.clone();
    let body = html! {
        h1 { (title) }
        p class="meta" {
            (tf(lang, "survey.year", &[("year", &view.year)])) " · "
            (t(lang, if view.code_only { "survey.access_code" } else { "survey.access_open" })) " · "
            (t(lang, if view.collecting { "survey.collecting" } else { "survey.closed_state" }))
            @if view.synthetic { " · " strong { (t(lang, "survey.synthetic")) } }
        }
        p class="public-link" {
            label for="public-link" { (t(lang, "survey.public_link")) }
            " "
            input type="text" id="public-link" readonly value=(view.public_path);
            " "
            a href=(view.public_path) { (t(lang, "survey.open_public")) }
        }
        @for note in &view.notes { p class="card" role="status" { (note) } }
        section class="card" aria-labelledby="survey-count-h" {
            h2 id="survey-count-h" { (t(lang, "survey.responses")) }
            p class="big" { span id="survey-count" { (view.responses) } " " (t(lang, "survey.unit")) }
            p class="meta" {
                @for (i, (label, n)) in view.by_channel.iter().enumerate() {
                    @if i > 0 { "，" }
                    (label) " " (n)
                }
                @if view.code_only { " · " (tf(lang, "survey.codes_used", &[("used", &view.codes.1), ("issued", &view.codes.0)])) }
                @if let Some(rate) = &view.overall_rate { " · " (t(lang, "survey.rate")) " " (rate) }
            }
            p { a href=(view.export_path) download { (t(lang, "survey.export")) } }
        }
        section aria-labelledby="survey-estimates-h" {
            h2 id="survey-estimates-h" { (t(lang, "survey.estimates")) }
            @for e in &view.estimates {
                div class="card estimate" id={ "estimate-" (e.row) } {
                    h3 { (e.row) " " (e.row_name.get(lang)) }
                    @if let Some(share) = &e.share {
                        p class="big" { (share) }
                        p { (t(lang, "survey.interval")) " " (e.interval.clone().unwrap_or_default()) " · "
                            (t(lang, "survey.se")) " " (e.standard_error.clone().unwrap_or_default()) " · "
                            (tf(lang, "survey.valid", &[("n", &e.valid)])) }
                    } @else {
                        p class="error" { (e.refusal.clone().unwrap_or_default()) }
                    }
                    p class="meta" { (e.explanation) }
                    @if !e.doubt.is_empty() { p class="meta" { (e.doubt) } }
                }
            }
            p class="meta" { (view.method) }
            @if view.can_manage && view.estimates.iter().any(|e| e.share.is_some()) {
                form method="post" action=(view.compute_action) class="actions" {
                    (csrf_field(ctx))
                    button type="submit" { (tf(lang, "survey.compute", &[("year", &view.year)])) }
                }
            }
        }
        section aria-labelledby="survey-strata-h" {
            h2 id="survey-strata-h" { (t(lang, "survey.strata")) }
            div class="scroll" {
                table {
                    thead { tr {
                        th scope="col" { (t(lang, "survey.stratum")) }
                        th scope="col" { (t(lang, "survey.kind")) }
                        th scope="col" class="num" { (t(lang, "survey.population")) }
                        th scope="col" class="num" { (t(lang, "survey.quota")) }
                        th scope="col" class="num" { (t(lang, "survey.responses")) }
                        th scope="col" class="num" { (t(lang, "survey.rate")) }
                    } }
                    tbody {
                        @for s in &view.strata {
                            tr {
                                th scope="row" { (s.name) }
                                td { (s.kind) }
                                td class="num" { (s.population) }
                                td class="num" { @if let Some(q) = s.quota { (q) } @else { "—" } }
                                td class="num" { (s.responses) }
                                td class="num" { (s.rate.clone().unwrap_or_else(|| "—".into())) }
                            }
                        }
                    }
                }
            }
        }
        @if view.can_manage && view.collecting {
            section class="card" aria-labelledby="survey-paper-h" {
                h2 id="survey-paper-h" { (t(lang, "survey.paper")) }
                (form_body(ctx, &view.paper))
            }
            section class="card" aria-labelledby="survey-import-h" {
                h2 id="survey-import-h" { (t(lang, "survey.import")) }
                p class="meta" { (t(lang, "survey.import_help")) }
                form method="post" action=(view.import_action) enctype="multipart/form-data" class="actions" {
                    (csrf_field(ctx))
                    label for="survey-file" { (t(lang, "survey.file")) }
                    input type="file" id="survey-file" name="file" accept=".csv,.xlsx" required;
                    button type="submit" { (t(lang, "survey.import_submit")) }
                }
            }
            @if view.code_only {
                section class="card" aria-labelledby="survey-codes-h" {
                    h2 id="survey-codes-h" { (t(lang, "survey.issue")) }
                    form method="post" action=(view.codes_action) class="actions" {
                        (csrf_field(ctx))
                        label for="codes-stratum" { (t(lang, "survey.stratum")) }
                        select id="codes-stratum" name="stratum" required {
                            @for (code, name) in &view.paper.strata { option value=(code) { (name) } }
                        }
                        label for="codes-count" { (t(lang, "survey.count")) }
                        input type="number" id="codes-count" name="count" min="1" max="10000" value="50" required;
                        button type="submit" { (t(lang, "survey.issue_submit")) }
                    }
                    @if !view.issued.is_empty() {
                        ul class="codes" { @for code in &view.issued { li { code { (code) } } } }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::Survey, body)
}

/// A survey in the zone's list.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyListItem {
    pub title: String,
    pub year: i32,
    pub responses: u64,
    pub code_only: bool,
    pub collecting: bool,
    pub synthetic: bool,
    pub href: String,
}

/// The zone's surveys, and (reviewers, admins) the form that starts one.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyListView {
    pub items: Vec<SurveyListItem>,
    pub can_manage: bool,
    pub create_action: String,
    pub title: String,
    pub year: String,
    pub code_only: bool,
    /// What the population sizes count and where they come from.
    pub basis: String,
    /// The sampling plan as a table (CSV: 代码,名称,类型,总体规模,配额), prefilled with an example.
    pub plan: String,
    /// Problems with the plan or the fields, already translated, one per line.
    pub errors: Vec<String>,
}

/// Renders the zone's survey list.
pub fn render_survey_list(ctx: &PageContext, view: &SurveyListView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "survey.list_title");
    let body = html! {
        h1 { (title) }
        p class="meta" { (t(lang, "survey.list_help")) }
        @if view.items.is_empty() {
            p class="card" { (t(lang, "survey.none")) }
        } @else {
            ul class="survey-list" {
                @for item in &view.items {
                    li class="card" {
                        a href=(item.href) { (item.title) }
                        p class="meta" {
                            (tf(lang, "survey.year", &[("year", &item.year)])) " · "
                            (t(lang, if item.code_only { "survey.access_code" } else { "survey.access_open" })) " · "
                            (t(lang, if item.collecting { "survey.collecting" } else { "survey.closed_state" })) " · "
                            (t(lang, "survey.responses")) " " (item.responses)
                            @if item.synthetic { " · " strong { (t(lang, "survey.synthetic")) } }
                        }
                    }
                }
            }
        }
        @if view.can_manage {
            section class="card" aria-labelledby="survey-new-h" {
                h2 id="survey-new-h" { (t(lang, "survey.new")) }
                @for error in &view.errors { p class="error" role="alert" { (error) } }
                form method="post" action=(view.create_action) {
                    (csrf_field(ctx))
                    div class="field" {
                        label for="survey-title" { (t(lang, "survey.title_field")) }
                        input type="text" id="survey-title" name="title" value=(view.title) required;
                    }
                    div class="field" {
                        label for="survey-year" { (t(lang, "survey.year_field")) }
                        input type="number" id="survey-year" name="year" value=(view.year) min="1949" max="2100" required;
                    }
                    div class="field check" {
                        input type="checkbox" id="survey-code-only" name="code_only" value="1" checked[view.code_only];
                        " "
                        label for="survey-code-only" { (t(lang, "survey.code_only_field")) }
                    }
                    div class="field" {
                        label for="survey-basis" { (t(lang, "survey.basis_field")) }
                        input type="text" id="survey-basis" name="basis" value=(view.basis) required;
                    }
                    div class="field" {
                        label for="survey-plan" { (t(lang, "survey.plan_field")) }
                        textarea id="survey-plan" name="plan" rows="14" class="code" { (view.plan) }
                    }
                    p class="meta" { (t(lang, "survey.questionnaire_note")) }
                    div class="actions" { button type="submit" { (t(lang, "survey.create")) } }
                }
            }
        }
    };
    page(ctx, &title, Nav::Survey, body)
}
