//! The zone dashboard (总览): readiness for designation, counts of met / not met / no data by domain and
//! by attribute (约束性 / 参考性), the rows not met, the rows at risk of missing their 2025/2030 target
//! (early warning from `ecociv-progress`), and the departments with rows not yet submitted or returned.
//!
//! Counts are of indicators (an indicator with sub-indicators counts once, with its combined status),
//! as the designation rule counts them.

use std::collections::BTreeMap;

use ecociv_core::{Assessment, Attribute, Framework, Status, Value, Zone};
use maud::{Markup, html};

use super::{Named, place_of, with_unit};
use crate::i18n::{Lang, fmt_share, t, tf};
use crate::layout::{Nav, PageContext, page, status_badge, urls, year_form};

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
    pub at_risk: Vec<RiskRow>,
    /// Only the departments that are late.
    pub late_departments: Vec<DepartmentProgress>,
}

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
                    value: row
                        .value
                        .as_ref()
                        .map(|value| with_unit(&value.display(), &row.unit, matches!(value, Value::Number(_)))),
                    explanation: Named::from(&row.explanation),
                    departments: row.lead_departments.clone(),
                });
            }
        }
        let readiness = &assessment.readiness;
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
            at_risk: at_risk_rows(framework, zone, assessment.year),
            late_departments: departments.into_iter().filter(DepartmentProgress::late).collect(),
        }
    }
}

/// The numeric rows whose progress toward a 2025 or 2030 target (not earlier than `year`) is flagged by
/// the early warning of `ecociv-progress`, using the values on record up to `year`. Targets that are a
/// figure are measured against it (method 2); targets that restate the standard are measured without a
/// target (method 1).
pub fn at_risk_rows(framework: &Framework, zone: &Zone, year: i32) -> Vec<RiskRow> {
    // The same early warning as `ecociv progress` and the Word report: `ecociv-progress`'s zone
    // evaluation, on the values on record up to the dashboard's year, toward the plan's next target year.
    let Some(target_year) = zone
        .plan
        .targets
        .values()
        .flat_map(|by_year| by_year.keys().copied())
        .filter(|target_year| *target_year >= year)
        .min()
    else {
        return Vec::new();
    };
    let mut upto = zone.clone();
    upto.observations.retain(|observation| observation.year <= year);
    let progress = ecociv_progress::zone::zone_progress(framework, &upto, target_year);
    progress
        .rows
        .into_iter()
        .filter(|row| row.at_risk)
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

/// Renders the dashboard.
pub fn render_dashboard(ctx: &PageContext, view: &DashboardView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let readiness = &view.readiness;
    let body = html! {
        div class="page-head" {
            h1 { (tf(lang, "dashboard.title", &[("year", &view.year)])) }
            (year_form(lang, &urls::dashboard(zone), &view.years, view.year, &[]))
        }
        p class="meta" { (view.framework.get(lang)) " · " (tf(lang, "common.edition", &[("edition", &view.edition)])) }
        section class={ "readiness " @if readiness.ready { "ready" } @else { "not-ready" } } aria-labelledby="readiness-h" {
            h2 id="readiness-h" { (t(lang, "dashboard.readiness")) }
            p class="verdict" {
                @if readiness.ready { (t(lang, "dashboard.ready")) } @else { (t(lang, "dashboard.not_ready")) }
            }
            dl class="facts" {
                dt { (t(lang, "dashboard.binding_not_met")) }
                dd { @if readiness.binding_not_met.is_empty() { (t(lang, "common.none")) } @else { (readiness.binding_not_met.join("、")) } }
                dt { (t(lang, "dashboard.binding_no_data")) }
                dd { @if readiness.binding_no_data.is_empty() { (t(lang, "common.none")) } @else { (readiness.binding_no_data.join("、")) } }
                dt { (t(lang, "dashboard.reference_share")) }
                dd {
                    (tf(lang, "dashboard.reference_share_value", &[
                        ("met", &readiness.reference_met),
                        ("total", &readiness.reference_total),
                        ("share", &fmt_share(readiness.reference_met_share)),
                        ("required", &fmt_share(readiness.reference_required_share)),
                    ]))
                }
            }
            details {
                summary { (t(lang, "common.explanation")) }
                p { (readiness.explanation.get(lang)) }
            }
        }
        div class="grid-2" {
            (counts_table(lang, &t(lang, "dashboard.by_domain"), &view.by_domain, &t(lang, "table.domain")))
            (counts_table(lang, &t(lang, "dashboard.by_attribute"), &view.by_attribute, &t(lang, "table.attribute")))
        }
        p class="meta" {
            (tf(lang, "dashboard.totals", &[("met", &view.total.met), ("not_met", &view.total.not_met), ("no_data", &view.total.no_data), ("total", &view.total.total())]))
        }
        section aria-labelledby="notmet-h" {
            h2 id="notmet-h" { (t(lang, "dashboard.not_met_rows")) " (" (view.not_met.len()) ")" }
            @if view.not_met.is_empty() {
                p class="empty" { (t(lang, "dashboard.no_not_met")) }
            } @else {
                div class="scroll" {
                    table class="data" {
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
                                tr {
                                    td { (row.id) }
                                    td { a href=(urls::indicator(zone, &row.id, view.year)) { (row.name.get(lang)) } }
                                    td { (t(lang, &format!("attribute.{}", row.attribute.code()))) }
                                    td { (row.standard) }
                                    td { (row.value.as_deref().unwrap_or("—")) }
                                    td { (status_badge(lang, Status::NotMet)) }
                                    td { (row.departments.join("、")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="risk-h" {
            h2 id="risk-h" { (t(lang, "dashboard.at_risk_rows")) " (" (view.at_risk.len()) ")" }
            @if view.at_risk.is_empty() {
                p class="empty" { (t(lang, "dashboard.no_at_risk")) }
            } @else {
                div class="scroll" {
                    table class="data" {
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
                                    td { (row.id) }
                                    td { a href=(urls::indicator(zone, &row.id, view.year)) { (row.name.get(lang)) } }
                                    td { (row.target_year) ": " (row.target) }
                                    td { span class="status status-risk" { (t(lang, &format!("progress.{}", row.progress))) } }
                                    td {
                                        ul class="plain" {
                                            @for reason in &row.reasons { li { (t(lang, &format!("risk.{reason}"))) } }
                                        }
                                    }
                                    td { (row.departments.join("、")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="late-h" {
            h2 id="late-h" { (t(lang, "dashboard.late_departments")) " (" (view.late_departments.len()) ")" }
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
    };
    page(
        ctx,
        &tf(lang, "dashboard.title", &[("year", &view.year)]),
        Nav::Dashboard,
        body,
    )
}
