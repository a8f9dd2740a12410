//! The indicator table laid out like the plan's Table 2-1 (规划指标表): domain, task, row, unit,
//! standard, attribute, value, status, 2025 and 2030 targets, lead department — for any year, filtered by
//! domain, status and department with a plain GET form. Domain and task cells are merged over their rows
//! (`rowspan`) as in the printed table, after filtering.

use ecociv_core::targets::TargetCheck;
use ecociv_core::{Assessment, Attribute, Basis, Framework, Status, Zone};
use maud::html;

use super::{Named, place_of, unit_text};
use crate::i18n::{Lang, t, tf};
use crate::layout::{Nav, PageContext, page, status_badge, status_from_code, status_label, urls};

/// The filter of the table (all optional).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableFilter {
    /// A domain id (`institution`, `security`, …).
    pub domain: Option<String>,
    pub status: Option<Status>,
    pub department: Option<String>,
}

impl TableFilter {
    /// Reads the filter from query parameters (`domain`, `status`, `dept`); empty or unknown values mean
    /// "any".
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> TableFilter {
        let mut filter = TableFilter::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "domain" => filter.domain = Some(value.to_string()),
                "status" => filter.status = status_from_code(value),
                "dept" => filter.department = Some(value.to_string()),
                _ => {}
            }
        }
        filter
    }
}

/// A plan target in a cell, with whether it would meet the standard.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetCell {
    pub text: String,
    /// From the target check: `NotMet` means the target itself falls short of the standard.
    pub check: Status,
    pub check_explanation: Named,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub domain_id: String,
    pub domain: Named,
    pub task: Named,
    pub id: String,
    pub indicator: String,
    /// A sub-indicator (N.k), indented under its indicator.
    pub is_sub: bool,
    /// An indicator whose value lives in its sub-indicators.
    pub has_subs: bool,
    pub name: Named,
    pub unit: String,
    pub standard: String,
    pub attribute: Attribute,
    pub value: Option<String>,
    pub status: Status,
    /// Met on only some parts of a several-part criterion: the parts judged.
    pub partial: Option<Named>,
    pub basis: Basis,
    pub synthetic: bool,
    /// Where the year's figure comes from (`Source::kind`: `document`, `file`, `computed`, `ledger`,
    /// `survey`), shown as a short tag so the table says which rows are typed in, computed from monitoring
    /// data, derived from registers or estimated from a survey; `None` without a figure or for synthetic
    /// demo figures (tagged as such).
    pub origin: Option<&'static str>,
    pub warnings: usize,
    /// Computed from monitoring data whose readings now give another figure (a correction, a later
    /// import): to recompute and review (issue 19; the server decides).
    pub stale: bool,
    pub target_2025: Option<TargetCell>,
    pub target_2030: Option<TargetCell>,
    pub lead: Vec<String>,
    /// Cells to merge: the number of lines the domain (task) cell spans from this line; 0 when this
    /// line is covered by a cell above.
    pub domain_span: usize,
    pub task_span: usize,
}

/// The table page.
#[derive(Debug, Clone, PartialEq)]
pub struct Table21View {
    pub zone_code: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub filter: TableFilter,
    pub domains: Vec<(String, Named)>,
    pub departments: Vec<String>,
    pub rows: Vec<TableRow>,
    /// Lines before filtering.
    pub total_rows: usize,
    /// The edition the year is judged under (issue 15: a zone that adopted a newer one keeps its earlier
    /// years under the old): its name and edition.
    pub framework: Named,
    pub edition: String,
}

fn target_cell(zone: &Zone, checks: &[TargetCheck], row: &str, year: i32) -> Option<TargetCell> {
    let target = zone.plan.targets.get(row)?.get(&year)?;
    let check = checks
        .iter()
        .find(|check| check.row == row && check.target_year == year);
    Some(TargetCell {
        text: target.text.clone(),
        check: check.map_or(Status::NoData, |check| check.status),
        check_explanation: check.map(|check| Named::from(&check.explanation)).unwrap_or_default(),
    })
}

impl Table21View {
    /// Builds the table. `checks` are the target checks of 2025 and 2030 (`ecociv_core::targets`).
    pub fn build(
        framework: &Framework,
        zone: &Zone,
        assessment: &Assessment,
        checks: &[TargetCheck],
        years: Vec<i32>,
        filter: TableFilter,
    ) -> Table21View {
        let mut all = Vec::new();
        for row in &assessment.rows {
            let Some(indicator) = framework.indicator(&row.indicator) else {
                continue;
            };
            let (domain_id, domain, task) = place_of(framework, indicator);
            let has_subs = row.is_indicator && indicator.has_sub_rows();
            all.push(TableRow {
                domain_id,
                domain,
                task,
                id: row.id.clone(),
                indicator: row.indicator.clone(),
                is_sub: !row.is_indicator,
                has_subs,
                name: Named::new(&row.name, &row.name_en),
                unit: row.unit.clone(),
                standard: row.standard.clone(),
                attribute: row.attribute,
                value: row.value.as_ref().map(|value| row.format.value(value)),
                status: row.status,
                partial: row.partial.as_ref().map(Named::from),
                basis: row.basis,
                synthetic: row.source.as_ref().is_some_and(|source| source.is_synthetic()),
                origin: row
                    .source
                    .as_ref()
                    .map(|source| source.kind())
                    .filter(|kind| *kind != "synthetic"),
                warnings: row.warnings.len(),
                stale: false,
                target_2025: if has_subs {
                    None
                } else {
                    target_cell(zone, checks, &row.id, 2025)
                },
                target_2030: if has_subs {
                    None
                } else {
                    target_cell(zone, checks, &row.id, 2030)
                },
                lead: row.lead_departments.clone(),
                domain_span: 0,
                task_span: 0,
            });
        }
        let total_rows = all.len();
        let mut departments: Vec<String> = all.iter().flat_map(|row| row.lead.iter().cloned()).collect();
        departments.sort();
        departments.dedup();
        let passes = |row: &TableRow| {
            filter.domain.as_ref().is_none_or(|domain| *domain == row.domain_id)
                && filter.status.is_none_or(|status| status == row.status)
                && filter
                    .department
                    .as_ref()
                    .is_none_or(|department| row.lead.contains(department))
        };
        // A sub-row that passes brings its indicator's line along, for context.
        let keep: Vec<bool> = all
            .iter()
            .map(|row| {
                passes(row)
                    || (row.has_subs
                        && all
                            .iter()
                            .any(|other| other.is_sub && other.indicator == row.id && passes(other)))
            })
            .collect();
        let mut rows: Vec<TableRow> = all
            .into_iter()
            .zip(keep)
            .filter(|(_, keep)| *keep)
            .map(|(row, _)| row)
            .collect();
        merge_spans(&mut rows);
        Table21View {
            zone_code: assessment.zone_code.clone(),
            year: assessment.year,
            years,
            filter,
            domains: framework
                .domains
                .iter()
                .map(|domain| (domain.id.clone(), Named::new(&domain.name, &domain.name_en)))
                .collect(),
            departments,
            rows,
            total_rows,
            framework: Named::new(&framework.name, &framework.name_en),
            edition: framework.edition.clone(),
        }
    }
}

/// Sets the rowspans of the domain and task cells over runs of equal values.
fn merge_spans(rows: &mut [TableRow]) {
    let mut start = 0;
    while start < rows.len() {
        let mut end = start + 1;
        while end < rows.len() && rows[end].domain_id == rows[start].domain_id {
            end += 1;
        }
        rows[start].domain_span = end - start;
        let mut task_start = start;
        while task_start < end {
            let mut task_end = task_start + 1;
            while task_end < end && rows[task_end].task == rows[task_start].task {
                task_end += 1;
            }
            rows[task_start].task_span = task_end - task_start;
            task_start = task_end;
        }
        start = end;
    }
}

fn target_markup(lang: Lang, cell: &Option<TargetCell>) -> maud::Markup {
    html! {
        @if let Some(cell) = cell {
            (cell.text)
            @if cell.check == Status::NotMet {
                " " span class="flag" title=(cell.check_explanation.get(lang)) { (t(lang, "table.target_below_standard")) }
            }
        } @else { "—" }
    }
}

/// Renders the table page.
pub fn render_table(ctx: &PageContext, view: &Table21View) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let title = tf(lang, "table.title", &[("year", &view.year)]);
    let body = html! {
        div class="page-head" {
            h1 { (title) }
        }
        p class="meta" { (tf(lang, "table.judged_under", &[("name", &view.framework.get(lang)), ("edition", &view.edition)])) }
        form class="filters" method="get" action=(urls::table(zone)) {
            div class="field" {
                label for="f-year" { (t(lang, "filter.year")) }
                select id="f-year" name="year" {
                    @for year in &view.years { option value=(year) selected[*year == view.year] { (year) } }
                }
            }
            div class="field" {
                label for="f-domain" { (t(lang, "table.domain")) }
                select id="f-domain" name="domain" {
                    option value="" { (t(lang, "filter.any")) }
                    @for (id, name) in &view.domains {
                        option value=(id) selected[view.filter.domain.as_deref() == Some(id.as_str())] { (name.get(lang)) }
                    }
                }
            }
            div class="field" {
                label for="f-status" { (t(lang, "table.status")) }
                select id="f-status" name="status" {
                    option value="" { (t(lang, "filter.any")) }
                    @for status in [Status::Met, Status::NotMet, Status::NoData] {
                        option value=(status.code()) selected[view.filter.status == Some(status)] { (status_label(lang, status)) }
                    }
                }
            }
            div class="field" {
                label for="f-dept" { (t(lang, "table.department")) }
                select id="f-dept" name="dept" {
                    option value="" { (t(lang, "filter.any")) }
                    @for department in &view.departments {
                        option value=(department) selected[view.filter.department.as_deref() == Some(department.as_str())] { (department) }
                    }
                }
            }
            div class="field actions" {
                button type="submit" { (t(lang, "filter.apply")) }
                a href=(urls::table(zone)) { (t(lang, "filter.reset")) }
            }
        }
        p class="meta" role="status" { (tf(lang, "table.shown", &[("shown", &view.rows.len()), ("total", &view.total_rows)])) }
        p class="downloads" {
            a href=(urls::table_xlsx(zone, view.year)) download { (t(lang, "table.download_xlsx")) }
            " · "
            a href=(urls::table_csv(zone, view.year)) download { (t(lang, "table.download_csv")) }
            " · "
            a href=(urls::open_data_json(zone, view.year)) download { (t(lang, "table.download_json")) }
            " · "
            a href=(urls::report_docx(zone, view.year)) download { (t(lang, "table.download_docx")) }
        }
        @if view.rows.is_empty() {
            p class="empty" { (t(lang, "table.no_rows")) }
        } @else {
            div class="scroll sticky-head" {
                table class="data t21 cards" id="table-2-1" {
                    caption { (title) }
                    thead {
                        tr {
                            th scope="col" class="c-domain" { (t(lang, "table.domain")) }
                            th scope="col" class="c-task" { (t(lang, "table.task")) }
                            th scope="col" class="c-id" { (t(lang, "table.row")) }
                            th scope="col" class="c-name" { (t(lang, "table.name")) }
                            th scope="col" class="c-unit" { (t(lang, "table.unit")) }
                            th scope="col" class="c-std" { (t(lang, "table.standard")) }
                            th scope="col" class="c-attr" { (t(lang, "table.attribute")) }
                            th scope="col" class="c-value" { (tf(lang, "table.value_year", &[("year", &view.year)])) }
                            th scope="col" class="c-status" { (t(lang, "table.status")) }
                            th scope="col" class="c-target" { (t(lang, "table.target_2025")) }
                            th scope="col" class="c-target" { (t(lang, "table.target_2030")) }
                            th scope="col" class="c-lead" { (t(lang, "table.lead")) }
                        }
                    }
                    tbody {
                        @for row in &view.rows {
                            tr class={ "st-" (row.status.code()) @if row.is_sub { " sub" } } data-row=(row.id) {
                                @if row.domain_span > 0 {
                                    th scope="rowgroup" class="c-domain" rowspan=(row.domain_span) data-label=(t(lang, "table.domain")) { (row.domain.get(lang)) }
                                }
                                @if row.task_span > 0 {
                                    td class="c-task" rowspan=(row.task_span) data-label=(t(lang, "table.task")) { (row.task.get(lang)) }
                                }
                                td class="c-id" { (row.id) }
                                td class="c-name" {
                                    a href=(urls::indicator(zone, &row.id, view.year)) { (row.name.get(lang)) }
                                }
                                td class="c-unit" data-label=(t(lang, "table.unit")) { (unit_text(&row.unit)) }
                                td class="c-std" data-label=(t(lang, "table.standard")) { (row.standard) }
                                td class="c-attr" data-label=(t(lang, "table.attribute")) { (t(lang, &format!("attribute.{}", row.attribute.code()))) }
                                td class="c-value" data-label=(tf(lang, "table.value_year", &[("year", &view.year)])) {
                                    @if row.has_subs { span class="muted" { (t(lang, "table.see_sub_rows")) } }
                                    @else if let Some(value) = &row.value { (value) }
                                    @else { "—" }
                                    @if let Some(origin) = row.origin {
                                        " " span class={ "tag origin " (origin) } title=(t(lang, &format!("source.{origin}"))) { (t(lang, &format!("origin.{origin}"))) }
                                    }
                                    @if row.synthetic { " " span class="tag synthetic" { (t(lang, "common.synthetic")) } }
                                }
                                td class="c-status" data-label=(t(lang, "table.status")) {
                                    (status_badge(lang, row.status))
                                    @if let Some(parts) = &row.partial { " " span class="tag warn" { (tf(lang, "table.partial", &[("parts", &parts.get(lang))])) } }
                                    @if row.basis == Basis::Recorded { " " span class="tag" title=(t(lang, "table.basis_recorded_hint")) { (t(lang, "table.basis_recorded")) } }
                                    @if row.warnings > 0 { " " span class="tag warn" { (tf(lang, "table.warnings", &[("n", &row.warnings)])) } }
                                    @if row.stale { " " span class="tag warn stale" title=(t(lang, "table.stale_hint")) { (t(lang, "table.stale")) } }
                                }
                                td class="c-target" data-label=(t(lang, "table.target_2025")) { (target_markup(lang, &row.target_2025)) }
                                td class="c-target" data-label=(t(lang, "table.target_2030")) { (target_markup(lang, &row.target_2030)) }
                                td class="c-lead" data-label=(t(lang, "table.lead")) { (row.lead.join("、")) }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::Table, body)
}
