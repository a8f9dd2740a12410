//! The zone dashboard (总览): readiness for designation, counts of met / not met / no data by domain and
//! by attribute (约束性 / 参考性), the rows not met, the rows at risk of missing their 2025/2030 target
//! (early warning from `ecociv-progress`), and the departments with rows not yet submitted or returned.
//!
//! Counts are of indicators (an indicator with sub-indicators counts once, with its combined status),
//! as the designation rule counts them.

use std::collections::BTreeMap;

use ecociv_core::{Assessment, Attribute, Framework, Status, Zone};
use maud::{Markup, html};

use super::{Named, place_of};
use crate::i18n::{Lang, t, tf};
use crate::layout::{Nav, PageContext, page, status_badge, urls, year_form};
use ecociv_core::format::percent as fmt_share;

/// Met / not met / no data counts for one group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Counts {
    /// The domain's name (for a group by domain).
    pub label: Named,
    /// The attribute (for a group by attribute); labelled through the message tables.
    pub attribute: Option<Attribute>,
    pub met: usize,
    pub not_met: usize,
    pub no_data: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.met + self.not_met + self.no_data
    }
    fn add(&mut self, status: Status) {
        match status {
            Status::Met => self.met += 1,
            Status::NotMet => self.not_met += 1,
            Status::NoData => self.no_data += 1,
        }
    }
}

/// A row that is not met.
#[derive(Debug, Clone, PartialEq)]
pub struct NotMetRow {
    pub id: String,
    pub name: Named,
    pub attribute: Attribute,
    pub standard: String,
    pub value: Option<String>,
    pub explanation: Named,
    pub departments: Vec<String>,
}

/// A row at risk of missing a target (预警).
#[derive(Debug, Clone, PartialEq)]
pub struct RiskRow {
    pub id: String,
    pub name: Named,
    pub target_year: i32,
    pub target: String,
    /// The progress band's machine name (`limited_progress`, …), labelled through the message tables.
    pub progress: String,
    /// The reasons' machine names (`unsd_forecast_misses_target`, …).
    pub reasons: Vec<String>,
    pub departments: Vec<String>,
}

/// Where a department stands for the year: how many of its rows are in each workflow state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DepartmentProgress {
    pub department: String,
    pub rows: usize,
    /// No value at all for the year.
    pub missing: usize,
    pub draft: usize,
    pub submitted: usize,
    pub returned: usize,
    pub approved: usize,
}

impl DepartmentProgress {
    /// Late: something is still to be entered, submitted or corrected.
    pub fn late(&self) -> bool {
        self.missing + self.draft + self.returned > 0
    }

    /// Without a workflow store: a department's rows with a value count as approved, those without as
    /// missing. Rows are leaf rows (an indicator with sub-indicators is counted through its sub-rows).
    pub fn from_assessment(assessment: &Assessment) -> Vec<DepartmentProgress> {
        let mut by_department: BTreeMap<String, DepartmentProgress> = BTreeMap::new();
        let parents: Vec<&str> = assessment
            .rows
            .iter()
            .filter(|row| !row.is_indicator)
            .map(|row| row.indicator.as_str())
            .collect();
        for row in &assessment.rows {
            if row.is_indicator && parents.contains(&row.id.as_str()) {
                continue;
            }
            for department in &row.lead_departments {
                let entry = by_department
                    .entry(department.clone())
                    .or_insert_with(|| DepartmentProgress {
                        department: department.clone(),
                        ..DepartmentProgress::default()
                    });
                entry.rows += 1;
                if row.value.is_some() {
                    entry.approved += 1;
                } else {
                    entry.missing += 1;
                }
            }
        }
        by_department.into_values().collect()
    }
}

/// Readiness for designation.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessView {
    pub ready: bool,
    pub binding_not_met: Vec<String>,
    pub binding_no_data: Vec<String>,
    pub reference_met: usize,
    pub reference_total: usize,
    pub reference_met_share: f64,
    pub reference_required_share: f64,
    pub explanation: Named,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardView {
    pub zone_code: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub framework: Named,
    pub edition: String,
    pub readiness: ReadinessView,
    pub total: Counts,
    pub by_domain: Vec<Counts>,
    pub by_attribute: Vec<Counts>,
    pub not_met: Vec<NotMetRow>,
    /// Rows at risk of missing their target, for a reason the early warning could judge.
    pub at_risk: Vec<RiskRow>,
    /// Rows whose progress cannot be assessed (too few years on record) and that have no other warning:
    /// shown as one line, so they do not drown the real warnings.
    pub cannot_assess: Vec<RiskRow>,
    /// Only the departments that are late.
    pub late_departments: Vec<DepartmentProgress>,
    /// The rows (of the table's value rows) waiting for entry or for review.
    pub waiting: Waiting,
}

/// The value rows of the year still waiting: for entry (no value, a draft, or returned) and for review
/// (submitted). Counts are of rows (a sub-indicator counts on its own), out of `rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Waiting {
    pub rows: usize,
    pub entry: usize,
    pub review: usize,
}

/// The progress band of a row whose progress cannot be assessed.
pub const NOT_AVAILABLE: &str = "not_available";
/// The reason that only says there are too few years to forecast.
const TOO_FEW_YEARS: &str = "below_target_without_trend";

impl DashboardView {
    /// Builds the dashboard from an assessment of `zone` for its year. `departments` comes from the
    /// workflow store, or from [`DepartmentProgress::from_assessment`] without one.
    pub fn build(
        framework: &Framework,
        zone: &Zone,
        assessment: &Assessment,
        years: Vec<i32>,
        departments: Vec<DepartmentProgress>,
    ) -> DashboardView {
        let mut by_domain: Vec<(String, Counts)> = framework
            .domains
            .iter()
            .map(|domain| {
                (
                    domain.id.clone(),
                    Counts {
                        label: Named::new(&domain.name, &domain.name_en),
                        ..Counts::default()
                    },
                )
            })
            .collect();
        let mut binding = Counts {
            attribute: Some(Attribute::Binding),
            ..Counts::default()
        };
        let mut reference = Counts {
            attribute: Some(Attribute::Reference),
            ..Counts::default()
        };
        let mut total = Counts::default();
        let mut not_met = Vec::new();
        for row in assessment.rows.iter().filter(|row| row.is_indicator) {
            let Some(indicator) = framework.indicator(&row.indicator) else {
                continue;
            };
            let (domain_id, _, _) = place_of(framework, indicator);
            if let Some((_, counts)) = by_domain.iter_mut().find(|(id, _)| *id == domain_id) {
                counts.add(row.status);
            }
            match row.attribute {
                Attribute::Binding => binding.add(row.status),
                Attribute::Reference => reference.add(row.status),
            }
            total.add(row.status);
        }
        for row in &assessment.rows {
            // An indicator with sub-indicators is listed through its sub-rows.
            let has_subs = row.is_indicator
                && assessment
                    .rows
                    .iter()
                    .any(|other| !other.is_indicator && other.indicator == row.id);
            if row.status == Status::NotMet && !has_subs {
                not_met.push(NotMetRow {
                    id: row.id.clone(),
                    name: Named::new(&row.name, &row.name_en),
                    attribute: row.attribute,
                    standard: row.standard.clone(),
                    value: row.value.as_ref().map(|value| row.format.value(value)),
                    explanation: Named::from(&row.explanation),
                    departments: row.lead_departments.clone(),
                });
            }
        }
        let readiness = &assessment.readiness;
        // Without a workflow store: a value row without a value waits for entry (the server replaces
        // this with the workflow's own counts for members).
        let leaves = assessment.rows.iter().filter(|row| {
            !(row.is_indicator
                && assessment
                    .rows
                    .iter()
                    .any(|other| !other.is_indicator && other.indicator == row.id))
        });
        let mut waiting = Waiting::default();
        for row in leaves {
            waiting.rows += 1;
            if row.value.is_none() {
                waiting.entry += 1;
            }
        }
        let (cannot_assess, at_risk): (Vec<RiskRow>, Vec<RiskRow>) = at_risk_rows(framework, zone, assessment.year)
            .into_iter()
            .partition(|row| row.progress == NOT_AVAILABLE && row.reasons.iter().all(|reason| reason == TOO_FEW_YEARS));
        DashboardView {
            zone_code: assessment.zone_code.clone(),
            year: assessment.year,
            years,
            framework: Named::new(&framework.name, &framework.name_en),
            edition: framework.edition.clone(),
            readiness: ReadinessView {
                ready: readiness.ready,
                binding_not_met: readiness.binding_not_met.clone(),
                binding_no_data: readiness.binding_no_data.clone(),
                reference_met: readiness.reference_met,
                reference_total: readiness.reference_total,
                reference_met_share: readiness.reference_met_share,
                reference_required_share: readiness.reference_required_share,
                explanation: Named::from(&readiness.explanation),
            },
            total,
            by_domain: by_domain.into_iter().map(|(_, counts)| counts).collect(),
            by_attribute: vec![binding, reference],
            not_met,
            at_risk,
            cannot_assess,
            late_departments: departments.into_iter().filter(DepartmentProgress::late).collect(),
            waiting,
        }
    }
}

/// The numeric rows whose progress toward a 2025 or 2030 target (not earlier than `year`) is flagged by
/// the early warning of `ecociv-progress`, using the values on record up to `year`. Targets that are a
/// figure are measured against it (method 2); targets that restate the standard are measured without a
/// target (method 1).
pub fn at_risk_rows(framework: &Framework, zone: &Zone, year: i32) -> Vec<RiskRow> {
    // The one early warning (and count) of `ecociv-progress`, as `ecociv progress` and the Word report
    // show it: the rows at risk of missing the plan's next target year, on the values up to `year`.
    let early = ecociv_progress::zone::early_warnings(framework, zone, year);
    let Some(target_year) = early.target_year else {
        return Vec::new();
    };
    early
        .rows
        .into_iter()
        .map(|row| RiskRow {
            id: row.id.clone(),
            name: Named::new(&row.name, &row.name_en),
            target_year,
            target: row.target_text.clone().unwrap_or_default(),
            progress: row.status.as_str().to_string(),
            reasons: row
                .warning
                .reasons
                .iter()
                .map(|reason| reason.as_str().to_string())
                .collect(),
            departments: row.lead_departments.clone(),
        })
        .collect()
}

fn counts_table(lang: Lang, caption: &str, groups: &[Counts], first_header: &str) -> Markup {
    html! {
        table class="data counts" {
            caption { (caption) }
            thead {
                tr {
                    th scope="col" { (first_header) }
                    th scope="col" class="num" { (t(lang, "status.met")) }
                    th scope="col" class="num" { (t(lang, "status.not_met")) }
                    th scope="col" class="num" { (t(lang, "status.no_data")) }
                    th scope="col" class="num" { (t(lang, "dashboard.total")) }
                }
            }
            tbody {
                @for group in groups {
                    tr {
                        th scope="row" {
                            @match group.attribute {
                                Some(attribute) => (t(lang, &format!("attribute.{}", attribute.code()))),
                                None => (group.label.get(lang)),
                            }
                        }
                        td class="num cell-met" { (group.met) }
                        td class={ "num" @if group.not_met > 0 { " cell-not_met" } } { (group.not_met) }
                        td class={ "num" @if group.no_data > 0 { " cell-no_data" } } { (group.no_data) }
                        td class="num" { (group.total()) }
                    }
                }
            }
        }
    }
}

/// One figure of the top band: a label, the figure, a line under it; `bad` paints it as failing.
fn kpi(label: &str, value: &str, sub: Markup, bad: Option<bool>) -> Markup {
    let class = match bad {
        Some(true) => "kpi bad",
        Some(false) => "kpi good",
        None => "kpi",
    };
    html! {
        div class=(class) {
            div class="kpi-label" { (label) }
            div class="kpi-value" { (value) }
            div class="kpi-sub" { (sub) }
        }
    }
}

/// A list of row ids, or "none".
fn ids(lang: Lang, ids: &[String]) -> String {
    if ids.is_empty() {
        t(lang, "common.none").into_owned()
    } else {
        ids.join("、")
    }
}

/// The top band: readiness, binding met/total, the reference share against its threshold, rows not
/// met, rows waiting for entry or review, the departments that are late — what a reader must be able
/// to state from the first screen.
fn band(lang: Lang, view: &DashboardView) -> Markup {
    let readiness = &view.readiness;
    let binding = view
        .by_attribute
        .iter()
        .find(|c| c.attribute == Some(Attribute::Binding));
    let (binding_met, binding_total) = binding.map_or((0, 0), |c| (c.met, c.total()));
    let reference_bad =
        readiness.reference_total == 0 || readiness.reference_met_share < readiness.reference_required_share;
    // The reference indicators without data: a share over indicators not yet judged is not a failure
    // rate ("0.0%" for a year half reported reads as bad news that nobody measured).
    let reference_no_data = view
        .by_attribute
        .iter()
        .find(|c| c.attribute == Some(Attribute::Reference))
        .map_or(0, |c| c.no_data);
    let reference_judged = readiness.reference_total.saturating_sub(reference_no_data);
    let not_met_ids: Vec<String> = view.not_met.iter().map(|row| row.id.clone()).collect();
    let late: Vec<String> = view.late_departments.iter().map(|d| d.department.clone()).collect();
    html! {
        section class={ "band " @if readiness.ready { "ready" } @else { "not-ready" } } aria-labelledby="readiness-h" {
            div class="band-verdict" {
                h2 id="readiness-h" { (t(lang, "dashboard.readiness")) }
                p class="verdict" {
                    @if readiness.ready { (t(lang, "dashboard.ready")) } @else { (t(lang, "dashboard.not_ready")) }
                }
                details {
                    summary { (t(lang, "common.explanation")) }
                    p { (readiness.explanation.get(lang)) }
                }
            }
            div class="kpis" {
                (kpi(
                    &t(lang, "dashboard.band_binding"),
                    &tf(lang, "dashboard.band_of", &[("n", &binding_met), ("total", &binding_total)]),
                    html! {
                        (tf(lang, "dashboard.band_binding_failing", &[("rows", &ids(lang, &readiness.binding_not_met))]))
                        @if !readiness.binding_no_data.is_empty() {
                            br; (tf(lang, "dashboard.band_binding_no_data", &[("rows", &readiness.binding_no_data.join("、"))]))
                        }
                    },
                    Some(!readiness.binding_not_met.is_empty() || !readiness.binding_no_data.is_empty()),
                ))
                @if reference_judged == 0 {
                    (kpi(
                        &t(lang, "dashboard.reference_share"),
                        &t(lang, "dashboard.band_reference_none"),
                        html! { (tf(lang, "dashboard.band_reference_sub_none", &[
                            ("total", &readiness.reference_total),
                            ("required", &fmt_share(readiness.reference_required_share)),
                        ])) },
                        None,
                    ))
                } @else if reference_no_data > 0 {
                    (kpi(
                        &t(lang, "dashboard.reference_share"),
                        &fmt_share(readiness.reference_met_share),
                        html! { (tf(lang, "dashboard.band_reference_sub_some", &[
                            ("met", &readiness.reference_met),
                            ("total", &readiness.reference_total),
                            ("no_data", &reference_no_data),
                            ("required", &fmt_share(readiness.reference_required_share)),
                        ])) },
                        Some(reference_bad),
                    ))
                } @else {
                    (kpi(
                        &t(lang, "dashboard.reference_share"),
                        &fmt_share(readiness.reference_met_share),
                        html! { (tf(lang, "dashboard.band_reference_sub", &[
                            ("met", &readiness.reference_met),
                            ("total", &readiness.reference_total),
                            ("required", &fmt_share(readiness.reference_required_share)),
                        ])) },
                        Some(reference_bad),
                    ))
                }
                (kpi(
                    &t(lang, "dashboard.band_not_met"),
                    &tf(lang, "dashboard.band_rows", &[("n", &view.not_met.len())]),
                    html! {
                        @if view.not_met.is_empty() && view.total.no_data > 0 {
                            (tf(lang, "dashboard.band_no_data_indicators", &[("n", &view.total.no_data)]))
                        } @else if view.not_met.is_empty() {
                            (t(lang, "common.none"))
                        } @else {
                            a href="#notmet-h" { (not_met_ids.join("、")) }
                        }
                    },
                    Some(!view.not_met.is_empty() || view.total.no_data > 0),
                ))
                (kpi(
                    &t(lang, "dashboard.band_waiting"),
                    &tf(lang, "dashboard.band_waiting_value", &[("entry", &view.waiting.entry), ("review", &view.waiting.review)]),
                    html! { (tf(lang, "dashboard.band_waiting_sub", &[("rows", &view.waiting.rows)])) },
                    None,
                ))
                (kpi(
                    &t(lang, "dashboard.late_departments"),
                    &tf(lang, "dashboard.band_departments", &[("n", &late.len())]),
                    html! {
                        @if late.is_empty() { (t(lang, "dashboard.no_late")) }
                        @else { a href="#late-h" { (late.join("、")) } }
                    },
                    Some(!late.is_empty()),
                ))
            }
        }
    }
}

/// Met / not met / no data per domain as bars (SVG with the counts in text beside it).
fn domain_bars(lang: Lang, groups: &[Counts]) -> Markup {
    html! {
        section class="bars" aria-labelledby="bars-h" {
            h3 id="bars-h" { (t(lang, "dashboard.bars")) }
            ul class="plain bars" {
                @for group in groups {
                    @let total = group.total().max(1) as f64;
                    @let met = group.met as f64 * 100.0 / total;
                    @let not_met = group.not_met as f64 * 100.0 / total;
                    @let no_data = group.no_data as f64 * 100.0 / total;
                    li {
                        span class="bar-label" { (group.label.get(lang)) }
                        svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" {
                            rect class="seg-met" x="0" y="0" width=(format!("{met:.2}")) height="10" {}
                            rect class="seg-not_met" x=(format!("{met:.2}")) y="0" width=(format!("{not_met:.2}")) height="10" {}
                            rect class="seg-no_data" x=(format!("{:.2}", met + not_met)) y="0" width=(format!("{no_data:.2}")) height="10" {}
                        }
                        span class="bar-text" {
                            (tf(lang, "dashboard.bar_met", &[("n", &group.met), ("total", &group.total())]))
                            @if group.not_met > 0 { "，" span class="cell-not_met" { (tf(lang, "dashboard.bar_not_met", &[("n", &group.not_met)])) } }
                            @if group.no_data > 0 { "，" span class="cell-no_data" { (tf(lang, "dashboard.bar_no_data", &[("n", &group.no_data)])) } }
                        }
                    }
                }
            }
        }
    }
}

/// Renders the dashboard.
pub fn render_dashboard(ctx: &PageContext, view: &DashboardView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let body = html! {
        div class="page-head" {
            h1 { (tf(lang, "dashboard.title", &[("year", &view.year)])) }
            (year_form(lang, &urls::dashboard(zone), &view.years, view.year, &[]))
        }
        p class="meta" {
            (view.framework.get(lang)) " · " (tf(lang, "common.edition", &[("edition", &view.edition)]))
            " · " a href=(urls::peers(zone, view.year)) { (t(lang, "peers.link")) }
            " · " a href=(super::zone_map::href(zone)) { (t(lang, "zone_map.link")) }
        }
        (band(lang, view))
        div class="grid-2" {
            (domain_bars(lang, &view.by_domain))
            (counts_table(lang, &t(lang, "dashboard.by_attribute"), &view.by_attribute, &t(lang, "table.attribute")))
        }
        section aria-labelledby="notmet-h" {
            h2 id="notmet-h" { (t(lang, "dashboard.not_met_rows")) " " span class="count" { (tf(lang, "dashboard.band_rows", &[("n", &view.not_met.len())])) } }
            @if view.not_met.is_empty() && view.total.no_data > 0 {
                p class="empty" { (tf(lang, "dashboard.no_not_met_but_no_data", &[("n", &view.total.no_data)])) }
            } @else if view.not_met.is_empty() {
                p class="empty" { (t(lang, "dashboard.no_not_met")) }
            } @else {
                div class="scroll sticky-head" {
                    table class="data cards" {
                        thead { tr {
                            th scope="col" { (t(lang, "table.row")) }
                            th scope="col" { (t(lang, "table.name")) }
                            th scope="col" { (t(lang, "table.attribute")) }
                            th scope="col" { (t(lang, "table.standard")) }
                            th scope="col" { (t(lang, "table.value")) }
                            th scope="col" { (t(lang, "table.status")) }
                            th scope="col" { (t(lang, "table.lead")) }
                        } }
                        tbody {
                            @for row in &view.not_met {
                                tr class="st-not_met" {
                                    td class="c-id" data-label=(t(lang, "table.row")) { (row.id) }
                                    td class="c-name" data-label=(t(lang, "table.name")) { a href=(urls::indicator(zone, &row.id, view.year)) { (row.name.get(lang)) } }
                                    td data-label=(t(lang, "table.attribute")) { (t(lang, &format!("attribute.{}", row.attribute.code()))) }
                                    td data-label=(t(lang, "table.standard")) { (row.standard) }
                                    td data-label=(t(lang, "table.value")) { (row.value.as_deref().unwrap_or("—")) }
                                    td class="c-status" data-label=(t(lang, "table.status")) { (status_badge(lang, Status::NotMet)) }
                                    td data-label=(t(lang, "table.lead")) { (row.departments.join("、")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="late-h" {
            h2 id="late-h" { (t(lang, "dashboard.late_departments")) " " span class="count" { (tf(lang, "dashboard.band_departments", &[("n", &view.late_departments.len())])) } }
            @if view.late_departments.is_empty() {
                p class="empty" { (t(lang, "dashboard.no_late")) }
            } @else {
                div class="scroll" {
                    table class="data" {
                        thead { tr {
                            th scope="col" { (t(lang, "table.department")) }
                            th scope="col" class="num" { (t(lang, "workflow.rows")) }
                            th scope="col" class="num" { (t(lang, "workflow.missing")) }
                            th scope="col" class="num" { (t(lang, "workflow.draft")) }
                            th scope="col" class="num" { (t(lang, "workflow.returned")) }
                            th scope="col" class="num" { (t(lang, "workflow.submitted")) }
                            th scope="col" class="num" { (t(lang, "workflow.approved")) }
                        } }
                        tbody {
                            @for department in &view.late_departments {
                                tr {
                                    th scope="row" { (department.department) }
                                    td class="num" { (department.rows) }
                                    td class={ "num" @if department.missing > 0 { " cell-no_data" } } { (department.missing) }
                                    td class="num" { (department.draft) }
                                    td class={ "num" @if department.returned > 0 { " cell-not_met" } } { (department.returned) }
                                    td class="num" { (department.submitted) }
                                    td class="num" { (department.approved) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="risk-h" {
            h2 id="risk-h" { (t(lang, "dashboard.at_risk_rows")) " " span class="count" { (tf(lang, "dashboard.band_rows", &[("n", &view.at_risk.len())])) } }
            @if view.at_risk.is_empty() {
                p class="empty" { (t(lang, "dashboard.no_at_risk")) }
            } @else {
                div class="scroll sticky-head" {
                    table class="data cards" {
                        thead { tr {
                            th scope="col" { (t(lang, "table.row")) }
                            th scope="col" { (t(lang, "table.name")) }
                            th scope="col" { (t(lang, "dashboard.target")) }
                            th scope="col" { (t(lang, "dashboard.progress")) }
                            th scope="col" { (t(lang, "dashboard.reasons")) }
                            th scope="col" { (t(lang, "table.lead")) }
                        } }
                        tbody {
                            @for row in &view.at_risk {
                                tr {
                                    td class="c-id" { (row.id) }
                                    td class="c-name" { a href=(urls::indicator(zone, &row.id, view.year)) { (row.name.get(lang)) } }
                                    td data-label=(t(lang, "dashboard.target")) { (tf(lang, "dashboard.target_in", &[("year", &row.target_year), ("target", &row.target)])) }
                                    td data-label=(t(lang, "dashboard.progress")) { span class="status status-risk" { (t(lang, &format!("progress.{}", row.progress))) } }
                                    td data-label=(t(lang, "dashboard.reasons")) {
                                        ul class="plain" {
                                            @for reason in &row.reasons { li { (t(lang, &format!("risk.{reason}"))) } }
                                        }
                                    }
                                    td data-label=(t(lang, "table.lead")) { (row.departments.join("、")) }
                                }
                            }
                        }
                    }
                }
            }
            @if !view.cannot_assess.is_empty() {
                p class="folded" {
                    (tf(lang, "dashboard.cannot_assess", &[("n", &view.cannot_assess.len())]))
                    @for (n, row) in view.cannot_assess.iter().enumerate() {
                        @if n > 0 { "、" }
                        a href=(urls::indicator(zone, &row.id, view.year)) title=(row.name.get(lang)) { (row.id) }
                    }
                }
            }
        }
        (counts_table(lang, &t(lang, "dashboard.by_domain"), &view.by_domain, &t(lang, "table.domain")))
        p class="meta" {
            (tf(lang, "dashboard.totals", &[("met", &view.total.met), ("not_met", &view.total.not_met), ("no_data", &view.total.no_data), ("total", &view.total.total())]))
        }
    };
    page(
        ctx,
        &tf(lang, "dashboard.title", &[("year", &view.year)]),
        Nav::Dashboard,
        body,
    )
}
