//! The indicator page (指标详情): definition, the standard and its regional variants (the one that applies
//! to the zone marked), the judgement for the year with its full explanation and warnings, the values over
//! the years (a chart slot for the SVG of the chart crate, and always a table of the same figures), the
//! 2025/2030 targets with their check against the standard, the history of the value (who changed what),
//! evidence files, and for computed values the provenance (method, edition, stations/sections, days).

use ecociv_chart::LineChart;
use ecociv_core::targets::TargetCheck;
use ecociv_core::zone::TargetKind;
use ecociv_core::{Assessment, Attribute, Basis, Criterion, Direction, Framework, Source, StateVerdict, Status, Zone};
use maud::html;

use super::{Named, fmt_bytes, place_of, unit_text};
use crate::i18n::{Lang, fmt_number, fmt_timestamp, t, tf};
use crate::layout::{Nav, PageContext, csrf_field, page, status_badge, trusted, urls, year_form};
use ecociv_core::format::RowFormat;

/// One regional / level variant of the standard.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantView {
    /// Conditions as `key=value` (empty: any zone).
    pub conditions: Vec<(String, String)>,
    pub standard: String,
    pub note: String,
    pub applies: bool,
    pub unknown: bool,
}

/// A value of the row in one year, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    pub year: i32,
    pub value: String,
    pub number: Option<f64>,
    pub status: Status,
    pub synthetic: bool,
    /// Where the year stands to the plan's base year (规划基准年): a figure before it is a reference, not
    /// judged, and is never labelled 无数据.
    pub base: BaseMark,
}

/// A year against the plan's base year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseMark {
    /// Before the base year: a reference figure (e.g. the plan's chapter-1 figures for 2017).
    Before,
    /// The plan's base year itself.
    Base,
    /// After the base year.
    After,
}

impl BaseMark {
    /// `year` against `base_year`.
    pub fn of(year: i32, base_year: i32) -> BaseMark {
        match year.cmp(&base_year) {
            std::cmp::Ordering::Less => BaseMark::Before,
            std::cmp::Ordering::Equal => BaseMark::Base,
            std::cmp::Ordering::Greater => BaseMark::After,
        }
    }
}

/// A target of the plan with its check.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetView {
    pub year: i32,
    pub text: String,
    pub check: Status,
    pub explanation: Named,
}

/// What happened to a value (from the workflow store's audit log).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// RFC 3339, UTC.
    pub at: String,
    pub who: String,
    /// `created`, `saved`, `submitted`, `approved`, `returned`, `imported`, `computed`.
    pub action: String,
    pub value: Option<String>,
    pub comment: Option<String>,
}

/// An evidence file attached to the value (or to a register's record, [`crate::pages::ledger::RecordFile`]):
/// name, link, size, who and when.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceFile {
    pub name: String,
    pub href: String,
    pub bytes: u64,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

/// The reviewer's form to reopen the year's approved value (重新打开), with the required reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ReopenForm {
    /// Where the form posts.
    pub action: String,
    pub year: i32,
    /// The approved revision the form reopens (optimistic concurrency).
    pub revision: i64,
    /// A message key after a refused form.
    pub error: Option<String>,
}

/// The source of the year's value.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceView {
    /// `document`, `file`, `computed`, `ledger`, `survey`, `synthetic` (`Source::kind`); a ledger figure's
    /// arithmetic, register and version are in `description`.
    pub kind: String,
    pub description: String,
    /// For values computed from monitoring data or estimated from a survey: method, edition, provenance
    /// (a survey's provenance names the survey, n and the 95 % interval).
    pub computed: Option<(String, String, String)>,
    /// Demo data (`Source::is_synthetic`): said once, beside the source's tag.
    pub synthetic: bool,
}

impl SourceView {
    pub fn from_source(source: &Source) -> SourceView {
        let kind = source.kind();
        SourceView {
            kind: kind.to_string(),
            description: source.describe(),
            computed: match source {
                Source::Computed {
                    method,
                    edition,
                    provenance,
                    ..
                }
                | Source::Survey {
                    method,
                    edition,
                    provenance,
                    ..
                } => Some((method.clone(), edition.clone(), provenance.clone())),
                _ => None,
            },
            synthetic: source.is_synthetic(),
        }
    }
}

/// One part of a figure derived from a register: its name, its figure (with unit) and the records it took.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerTerm {
    pub label: String,
    pub value: String,
    pub records: usize,
}

/// A figure the zone's registers give for the row and year (台账计算), with its arithmetic: the register
/// and its version, the formula with numerator and denominator, the base of a change, the records counted
/// (linked), what part of the standard it covers and the doubt. Built by the server from the stored
/// records; members only.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerFigure {
    /// The register's name with its version, e.g. 危险废物产生及利用处置台账（第1版）.
    pub register: String,
    pub register_href: String,
    pub label: String,
    /// The figure with its unit.
    pub value: String,
    /// An input (a figure that supports the row, not its value).
    pub input: bool,
    /// The arithmetic written out (e.g. 利用处置量之和÷产生量之和×100＝95.5÷100×100＝95.5%).
    pub method: String,
    pub numerator: Option<LedgerTerm>,
    pub denominator: Option<LedgerTerm>,
    /// A change's base: year and figure with unit.
    pub base: Option<(i32, String)>,
    /// The records counted (id, link), the first few; `more` the rest's number.
    pub records: Vec<(String, String)>,
    pub more: usize,
    pub covers: Option<String>,
    pub doubt: Option<String>,
    pub synthetic: bool,
}

/// Everything the indicator page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorView {
    pub zone_code: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub id: String,
    pub indicator: String,
    pub name: Named,
    pub domain: Named,
    pub task: Named,
    pub attribute: Attribute,
    pub unit: String,
    /// `higher`, `lower`, `none`.
    pub direction: String,
    pub range: Option<(f64, f64)>,
    /// State texts with `meets` / `fails` / `describes`.
    pub states: Vec<(String, String)>,
    pub variants: Vec<VariantView>,
    pub standard: String,
    pub value: Option<String>,
    pub status: Status,
    /// The year against the plan's base year.
    pub base: BaseMark,
    /// Met on only some parts of a several-part criterion: the parts judged.
    pub partial: Option<Named>,
    pub basis: Basis,
    pub explanation: Named,
    pub warnings: Vec<Named>,
    pub source: Option<SourceView>,
    pub series: Vec<SeriesPoint>,
    pub targets: Vec<TargetView>,
    /// The standard's figure for the chart's threshold line (`≥ x`, `≤ x`, a bare `x`), when it has one.
    pub threshold: Option<f64>,
    /// The plan's targets that are figures, for the chart: (year, figure, text).
    pub target_figures: Vec<(i32, f64, String)>,
    /// The trajectory toward the plan's next target year (dashed on the chart): from the last figure on
    /// record to the value `ecociv-progress` forecasts for the target year; empty without a forecast.
    pub forecast: Vec<(i32, f64)>,
    /// A chart to show instead of the one drawn from the series (SVG markup); normally `None`.
    pub chart_svg: Option<String>,
    pub history: Vec<HistoryEntry>,
    pub evidence: Vec<EvidenceFile>,
    /// The figures the zone's registers give for the row and year, with their arithmetic (members).
    pub ledger: Vec<LedgerFigure>,
    /// Shown to reviewers when the year's value is approved.
    pub reopen: Option<ReopenForm>,
    pub lead: Vec<String>,
    /// For an indicator with sub-indicators: its rows with their status.
    pub sub_rows: Vec<(String, Named, Status)>,
}

fn verdict_code(verdict: StateVerdict) -> &'static str {
    match verdict {
        StateVerdict::Meets => "meets",
        StateVerdict::Fails => "fails",
        StateVerdict::Describes => "describes",
    }
}

impl IndicatorView {
    /// Builds the page of row (or indicator) `id`; `None` when the framework has no such row. The
    /// `history`, `evidence` and `chart_svg` fields start empty: the server fills them from the workflow
    /// store and the chart crate.
    ///
    /// The series' judgements are those of each year's assessment: this convenience assesses the years
    /// itself (`ecociv_core::assess_years`) for callers without stored results; the server passes the
    /// stored ones to [`IndicatorView::build_from`].
    pub fn build(
        framework: &Framework,
        zone: &Zone,
        assessment: &Assessment,
        checks: &[TargetCheck],
        id: &str,
        years: Vec<i32>,
    ) -> Option<IndicatorView> {
        let by_year = ecociv_core::assess_years(framework, zone, &zone.years());
        IndicatorView::build_from(framework, zone, assessment, &by_year, checks, id, years)
    }

    /// As [`IndicatorView::build`], with the judgement of each year of the series taken from `by_year`
    /// (the assessments of the years with values, as computed or stored by the caller): the page judges
    /// nothing itself. A year missing from `by_year` shows no data.
    pub fn build_from(
        framework: &Framework,
        zone: &Zone,
        assessment: &Assessment,
        by_year: &[Assessment],
        checks: &[TargetCheck],
        id: &str,
        years: Vec<i32>,
    ) -> Option<IndicatorView> {
        let assessed = assessment.rows.iter().find(|row| row.id == id)?;
        let indicator = framework.indicator(&assessed.indicator)?;
        let (_, domain, task) = place_of(framework, indicator);
        let row = if assessed.is_indicator && indicator.has_sub_rows() {
            None
        } else {
            framework.row(id).map(|(_, row)| row)
        };
        let sub_rows = if row.is_none() {
            assessment
                .rows
                .iter()
                .filter(|other| !other.is_indicator && other.indicator == indicator.id)
                .map(|other| (other.id.clone(), Named::new(&other.name, &other.name_en), other.status))
                .collect()
        } else {
            Vec::new()
        };
        let mut series = Vec::new();
        let mut variants = Vec::new();
        let mut targets = Vec::new();
        if let Some(row) = row {
            let applying = row.variant_for(&zone.profile.attributes);
            for variant in &row.variants {
                variants.push(VariantView {
                    conditions: variant
                        .when
                        .iter()
                        .map(|(key, value)| (key.clone(), value.clone()))
                        .collect(),
                    standard: variant.standard.clone(),
                    note: variant.note.clone(),
                    applies: applying.is_some_and(|applying| std::ptr::eq(applying, variant)),
                    unknown: matches!(variant.criterion, Criterion::Unknown { .. }),
                });
            }
            for year in zone.years() {
                let Some(current) = zone.observation(&row.id, year) else {
                    continue;
                };
                let status = by_year
                    .iter()
                    .find(|assessed| assessed.year == year)
                    .and_then(|assessed| assessed.rows.iter().find(|entry| entry.id == row.id))
                    .map_or(Status::NoData, |entry| entry.status);
                series.push(SeriesPoint {
                    year,
                    value: RowFormat::for_row(row).value(&current.value),
                    number: current.value.as_number(),
                    status,
                    synthetic: current.source.is_synthetic(),
                    base: BaseMark::of(year, zone.plan.base_year),
                });
            }
            for check in checks.iter().filter(|check| check.row == row.id) {
                targets.push(TargetView {
                    year: check.target_year,
                    text: check.text.clone(),
                    check: check.status,
                    explanation: Named::from(&check.explanation),
                });
            }
            targets.sort_by_key(|target| target.year);
        }
        let forecast = row
            .map(|row| ecociv_progress::zone::forecast_path(framework, zone, &row.id))
            .unwrap_or_default();
        Some(IndicatorView {
            zone_code: assessment.zone_code.clone(),
            year: assessment.year,
            years,
            id: assessed.id.clone(),
            indicator: assessed.indicator.clone(),
            name: Named::new(&assessed.name, &assessed.name_en),
            domain,
            task,
            attribute: assessed.attribute,
            unit: assessed.unit.clone(),
            direction: row
                .map_or(Direction::NotApplicable, |row| row.direction)
                .code()
                .to_string(),
            range: row.and_then(|row| row.range),
            states: row
                .map(|row| {
                    row.states
                        .iter()
                        .map(|state| (state.text.clone(), verdict_code(state.verdict).to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            variants,
            standard: assessed.standard.clone(),
            value: assessed.value.as_ref().map(|value| assessed.format.value(value)),
            status: assessed.status,
            base: BaseMark::of(assessment.year, zone.plan.base_year),
            partial: assessed.partial.as_ref().map(Named::from),
            basis: assessed.basis,
            explanation: Named::from(&assessed.explanation),
            warnings: assessed.warnings.iter().map(Named::from).collect(),
            source: assessed.source.as_ref().map(SourceView::from_source),
            series,
            targets,
            threshold: row
                .and_then(|row| row.variant_for(&zone.profile.attributes))
                .and_then(|variant| variant.criterion.threshold()),
            target_figures: row
                .and_then(|row| zone.plan.targets.get(&row.id))
                .map(|by_year| {
                    by_year
                        .iter()
                        .filter_map(|(year, target)| match target.kind {
                            TargetKind::Value(figure) => Some((*year, figure, target.text.clone())),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            forecast,
            chart_svg: None,
            history: Vec::new(),
            evidence: Vec::new(),
            ledger: Vec::new(),
            reopen: None,
            lead: assessed.lead_departments.clone(),
            sub_rows,
        })
    }

    /// The figures a chart needs: `(year, value)` of the numeric values on record.
    pub fn chart_points(&self) -> Vec<(i32, f64)> {
        self.series
            .iter()
            .filter_map(|point| point.number.map(|number| (point.year, number)))
            .collect()
    }

    /// The chart of the values over the years with the standard's threshold and the plan's targets, drawn
    /// by `ecociv-chart` with labels in `lang`; `None` when there is no figure to draw.
    pub fn chart(&self, lang: Lang) -> Option<String> {
        if let Some(svg) = &self.chart_svg {
            return Some(svg.clone());
        }
        let points = self.chart_points();
        if points.is_empty() {
            return None;
        }
        let mut chart = LineChart::new(format!("{} {}", self.id, self.name.get(lang)), self.unit.clone());
        chart.series_label = t(lang, "chart.observed").into_owned();
        chart.series = points;
        chart.forecast = self.forecast.clone();
        chart.threshold = self
            .threshold
            .map(|value| (value, tf(lang, "chart.threshold", &[("standard", &self.standard)])));
        chart.targets = self
            .target_figures
            .iter()
            .map(|(year, value, text)| {
                (
                    *year,
                    *value,
                    tf(lang, "chart.target", &[("year", year), ("text", text)]),
                )
            })
            .collect();
        chart.labels = chart_labels(lang);
        chart.height = 320;
        Some(chart.to_svg())
    }
}

/// The chart's fixed texts from the message tables, in `lang`.
pub fn chart_labels(lang: Lang) -> ecociv_chart::Labels {
    let text = |key: &str| t(lang, &format!("chart.{key}")).into_owned();
    ecociv_chart::Labels {
        observed: text("observed"),
        forecast: text("legend_forecast"),
        threshold: text("legend_threshold"),
        targets: text("legend_targets"),
        year_axis: text("year_axis"),
        unit: text("unit"),
        no_data: text("no_data"),
        no_observed: text("no_observed"),
        year_value: text("year_value"),
        forecast_point: text("forecast_point"),
        colon: text("colon"),
        comma: text("comma"),
        semicolon: text("semicolon"),
        open: text("open"),
        close: text("close"),
    }
}

/// The status of a year in the series: a figure on record that the rule cannot judge is never 无数据 —
/// before the plan's base year it is a reference figure (基准年前，仅作对照), otherwise 无法判定.
fn series_status(lang: Lang, point: &SeriesPoint) -> maud::Markup {
    year_status(lang, point.status, true, point.base)
}

/// A year's status as [`series_status`] writes it; `has_value`: a figure is on record for the year.
fn year_status(lang: Lang, status: Status, has_value: bool, base: BaseMark) -> maud::Markup {
    match (status, base) {
        (Status::NoData, _) if !has_value => status_badge(lang, status),
        (Status::NoData, BaseMark::Before) => {
            html! { span class="status status-reference" { (t(lang, "indicator.before_base")) } }
        }
        (Status::NoData, _) => html! { span class="status status-reference" { (t(lang, "indicator.cannot_judge")) } },
        (status, _) => status_badge(lang, status),
    }
}

fn condition_label(lang: Lang, key: &str, value: &str) -> String {
    format!("{}：{}", t(lang, &format!("zone_attr.{key}")), value)
}

/// Renders the indicator page: the heading, the year's judgement beside the row's definition, the
/// sub-rows of an indicator or the series and targets of a row, the history, a reviewer's reopen form
/// and the evidence — each step below takes the view the server built and judges nothing.
pub fn render_indicator(ctx: &PageContext, view: &IndicatorView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let title = format!("{} {}", view.id, view.name.get(lang));
    let body = html! {
        nav class="crumbs" aria-label=(t(lang, "layout.breadcrumb")) {
            a href=(urls::table(zone)) { (t(lang, "nav.table")) } " › " (view.domain.get(lang)) " › " (view.task.get(lang))
        }
        div class="page-head" {
            h1 { (title) }
            (year_form(lang, &urls::indicator_path(zone, &view.id), &view.years, view.year, &[]))
        }
        div class="grid-2" {
            (judgement_card(lang, view))
            (definition_card(lang, view))
        }
        @if !view.sub_rows.is_empty() {
            (sub_rows_section(lang, view))
        }
        @if view.sub_rows.is_empty() {
            (series_section(lang, view))
            (targets_section(lang, &view.targets))
        }
        (history_section(lang, &view.history))
        @if let Some(reopen) = &view.reopen {
            (reopen_section(ctx, reopen))
        }
        (evidence_section(lang, &view.evidence))
    };
    page(ctx, &title, Nav::Indicator, body)
}

/// The card of the year's judgement: status and value, standard and basis, the explanation, warnings,
/// the value's source and the figures the registers give.
fn judgement_card(lang: Lang, view: &IndicatorView) -> maud::Markup {
    html! {
        section class="card" aria-labelledby="judgement-h" {
            h2 id="judgement-h" { (tf(lang, "indicator.judgement_year", &[("year", &view.year)])) }
            p class="big" {
                (year_status(lang, view.status, view.value.is_some(), view.base))
                @if let Some(parts) = &view.partial { " " span class="tag warn" { (tf(lang, "table.partial", &[("parts", &parts.get(lang))])) } }
                " "
                span class="value" { (view.value.as_deref().unwrap_or("—")) }
            }
            dl class="facts" {
                dt { (t(lang, "table.standard")) } dd { (view.standard) }
                dt { (t(lang, "indicator.basis")) } dd { (t(lang, &format!("basis.{}", view.basis.code()))) }
            }
            h3 { (t(lang, "common.explanation")) }
            p class="explanation" { (view.explanation.get(lang)) }
            @if !view.warnings.is_empty() {
                h3 { (t(lang, "indicator.warnings")) }
                ul class="warnings" {
                    @for warning in &view.warnings { li { (warning.get(lang)) } }
                }
            }
            @if let Some(source) = &view.source {
                h3 { (t(lang, "indicator.source")) }
                (source_facts(lang, source))
            }
            @if !view.ledger.is_empty() {
                h3 { (t(lang, "indicator.ledger")) }
                @for figure in &view.ledger {
                    (ledger_facts(lang, figure))
                }
            }
        }
    }
}

/// The value's source: for a computed or estimated value its method, edition and provenance each once,
/// under their own labels (the one-line description repeats all three); otherwise the description.
fn source_facts(lang: Lang, source: &SourceView) -> maud::Markup {
    html! {
        @if let Some((method, edition, provenance)) = &source.computed {
            p {
                span class={ "tag " (source.kind) } { (t(lang, &format!("source.{}", source.kind))) }
                @if source.synthetic { " " span class="tag synthetic" { (t(lang, "source.synthetic_note")) } }
            }
            dl class="facts provenance" {
                dt { (t(lang, "indicator.method")) } dd { (method) }
                dt { (t(lang, "indicator.edition")) } dd { (edition) }
                @if source.kind == "survey" {
                    dt { (t(lang, "indicator.survey_provenance")) } dd { (provenance) }
                } @else {
                    dt { (t(lang, "indicator.provenance_computed")) } dd { (provenance) }
                }
            }
        } @else {
            p { span class={ "tag " (source.kind) } { (t(lang, &format!("source.{}", source.kind))) } " " (source.description) }
        }
    }
}

/// One figure a register gives for the row and year, with its arithmetic and the records it counted.
fn ledger_facts(lang: Lang, figure: &LedgerFigure) -> maud::Markup {
    html! {
        dl class="facts provenance ledger-figure" {
            dt { (t(lang, "indicator.ledger_register")) }
            dd {
                a href=(figure.register_href) { (figure.register) }
                @if figure.synthetic { " " span class="tag synthetic" { (t(lang, "source.synthetic_note")) } }
            }
            dt { (t(lang, "indicator.ledger_figure")) }
            dd {
                (figure.label) "：" strong { (figure.value) }
                @if figure.input { " " span class="muted" { (t(lang, "indicator.ledger_input")) } }
            }
            dt { (t(lang, "indicator.ledger_formula")) } dd { (figure.method) }
            @if let Some(term) = &figure.numerator {
                dt { (t(lang, "indicator.ledger_numerator")) }
                dd { (term.label) "：" (term.value) " " span class="muted" { (tf(lang, "indicator.ledger_records_n", &[("n", &term.records)])) } }
            }
            @if let Some(term) = &figure.denominator {
                dt { (t(lang, "indicator.ledger_denominator")) }
                dd { (term.label) "：" (term.value) " " span class="muted" { (tf(lang, "indicator.ledger_records_n", &[("n", &term.records)])) } }
            }
            @if let Some((year, value)) = &figure.base {
                dt { (t(lang, "indicator.ledger_base")) } dd { (year) " " (value) }
            }
            dt { (tf(lang, "indicator.ledger_records", &[("n", &(figure.records.len() + figure.more))])) }
            dd {
                @for (k, (id, href)) in figure.records.iter().enumerate() {
                    @if k > 0 { "、" }
                    a href=(href) { (id) }
                }
                @if figure.more > 0 { " " (tf(lang, "indicator.ledger_more", &[("n", &figure.more)])) }
                @if figure.records.is_empty() && figure.more == 0 { "—" }
            }
            @if let Some(covers) = &figure.covers {
                dt { (t(lang, "indicator.ledger_covers")) } dd { (covers) }
            }
            @if let Some(doubt) = &figure.doubt {
                dt { (t(lang, "indicator.ledger_doubt")) } dd { (doubt) }
            }
        }
    }
}

/// The card of the row's definition: domain, task, attribute, unit, direction, range, lead departments,
/// the states of a state row and the standard's regional variants.
fn definition_card(lang: Lang, view: &IndicatorView) -> maud::Markup {
    html! {
        section class="card" aria-labelledby="definition-h" {
            h2 id="definition-h" { (t(lang, "indicator.definition")) }
            dl class="facts" {
                dt { (t(lang, "table.domain")) } dd { (view.domain.get(lang)) }
                dt { (t(lang, "table.task")) } dd { (view.task.get(lang)) }
                dt { (t(lang, "table.attribute")) } dd { (t(lang, &format!("attribute.{}", view.attribute.code()))) }
                dt { (t(lang, "table.unit")) } dd { @if unit_text(&view.unit).is_empty() { "—" } @else { (view.unit) } }
                dt { (t(lang, "indicator.direction")) } dd { (t(lang, &format!("direction.{}", view.direction))) }
                @if let Some((low, high)) = view.range {
                    dt { (t(lang, "indicator.range")) } dd { (fmt_number(low)) " – " (fmt_number(high)) }
                }
                dt { (t(lang, "table.lead")) } dd { @if view.lead.is_empty() { "—" } @else { (view.lead.join("、")) } }
            }
            @if !view.states.is_empty() {
                h3 { (t(lang, "indicator.states")) }
                ul class="plain" {
                    @for (text, verdict) in &view.states {
                        li { (text) " — " span class={ "tag verdict-" (verdict) } { (t(lang, &format!("verdict.{verdict}"))) } }
                    }
                }
            }
            @if !view.variants.is_empty() {
                h3 { (t(lang, "indicator.variants")) }
                (variants_table(lang, &view.variants))
            }
        }
    }
}

/// The standard's regional and level variants, the one that applies to the zone marked.
fn variants_table(lang: Lang, variants: &[VariantView]) -> maud::Markup {
    html! {
        table class="data compact" {
            thead { tr {
                th scope="col" { (t(lang, "indicator.applies_to")) }
                th scope="col" { (t(lang, "table.standard")) }
                th scope="col" { (t(lang, "indicator.note")) }
            } }
            tbody {
                @for variant in variants {
                    tr class={ @if variant.applies { "applies" } } {
                        td {
                            @if variant.conditions.is_empty() { (t(lang, "indicator.any_zone")) }
                            @else {
                                @for (index, (key, value)) in variant.conditions.iter().enumerate() {
                                    @if index > 0 { "；" }
                                    (condition_label(lang, key, value))
                                }
                            }
                            @if variant.applies { " " span class="tag applies" { (t(lang, "indicator.applies")) } }
                        }
                        td { @if variant.unknown { (t(lang, "indicator.unknown_standard")) } @else { (variant.standard) } }
                        // The data's doubt tags ([M] from memory, [C] conflicting sources) in words.
                        td class="note" { (variant.note.replace("[M]", &t(lang, "indicator.doubt_memory")).replace("[C]", &t(lang, "indicator.doubt_conflict"))) }
                    }
                }
            }
        }
    }
}

/// An indicator's rows with their status, each linked to its page.
fn sub_rows_section(lang: Lang, view: &IndicatorView) -> maud::Markup {
    html! {
        section aria-labelledby="subs-h" {
            h2 id="subs-h" { (t(lang, "indicator.sub_rows")) }
            ul class="plain" {
                @for (id, name, status) in &view.sub_rows {
                    li { a href=(urls::indicator(&view.zone_code, id, view.year)) { (id) " " (name.get(lang)) } " " (status_badge(lang, *status)) }
                }
            }
        }
    }
}

/// The row's values over the years: the chart, and always a table of the same figures.
fn series_section(lang: Lang, view: &IndicatorView) -> maud::Markup {
    html! {
        section aria-labelledby="series-h" {
            h2 id="series-h" { (t(lang, "indicator.series")) }
            div class="chart" id="chart" {
                @if let Some(svg) = view.chart(lang) { (trusted(&svg)) }
            }
            @if view.series.is_empty() {
                p class="empty" { (t(lang, "indicator.no_values")) }
            } @else {
                table class="data compact" {
                    thead { tr {
                        th scope="col" { (t(lang, "filter.year")) }
                        th scope="col" { (t(lang, "table.value")) }
                        th scope="col" { (t(lang, "table.status")) }
                    } }
                    tbody {
                        @for point in &view.series {
                            tr {
                                th scope="row" {
                                    a href=(urls::indicator(&view.zone_code, &view.id, point.year)) { (point.year) }
                                    @if point.base == BaseMark::Base { " " span class="tag" { (t(lang, "indicator.base_year")) } }
                                }
                                td { (point.value) @if point.synthetic { " " span class="tag synthetic" { (t(lang, "common.synthetic")) } } }
                                td { (series_status(lang, point)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The plan's targets with their check against the standard.
fn targets_section(lang: Lang, targets: &[TargetView]) -> maud::Markup {
    html! {
        section aria-labelledby="targets-h" {
            h2 id="targets-h" { (t(lang, "indicator.targets")) }
            @if targets.is_empty() {
                p class="empty" { (t(lang, "indicator.no_targets")) }
            } @else {
                table class="data compact" {
                    thead { tr {
                        th scope="col" { (t(lang, "indicator.target_year")) }
                        th scope="col" { (t(lang, "dashboard.target")) }
                        th scope="col" { (t(lang, "indicator.target_check")) }
                        th scope="col" { (t(lang, "common.explanation")) }
                    } }
                    tbody {
                        @for target in targets {
                            tr {
                                th scope="row" { (target.year) }
                                td { (target.text) }
                                td { (status_badge(lang, target.check)) }
                                td { (target.explanation.get(lang)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Who changed the value, when, and how.
fn history_section(lang: Lang, history: &[HistoryEntry]) -> maud::Markup {
    html! {
        section aria-labelledby="history-h" {
            h2 id="history-h" { (t(lang, "indicator.history")) }
            @if history.is_empty() {
                p class="empty" { (t(lang, "indicator.no_history")) }
            } @else {
                table class="data compact" {
                    thead { tr {
                        th scope="col" { (t(lang, "indicator.when")) }
                        th scope="col" { (t(lang, "indicator.who")) }
                        th scope="col" { (t(lang, "indicator.action")) }
                        th scope="col" { (t(lang, "table.value")) }
                        th scope="col" { (t(lang, "review.comment")) }
                    } }
                    tbody {
                        @for entry in history {
                            tr {
                                td { time datetime=(entry.at) { (fmt_timestamp(lang, &entry.at)) } }
                                td { (entry.who) }
                                td { (t(lang, &format!("action.{}", entry.action))) }
                                td { (entry.value.as_deref().unwrap_or("—")) }
                                td { (entry.comment.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A reviewer's form to reopen the year's approved value, with the required reason.
fn reopen_section(ctx: &PageContext, reopen: &ReopenForm) -> maud::Markup {
    let lang = ctx.lang;
    html! {
        section aria-labelledby="reopen-h" {
            h2 id="reopen-h" { (t(lang, "indicator.reopen")) }
            form method="post" action=(reopen.action) class="card reopen" {
                (csrf_field(ctx))
                input type="hidden" name="year" value=(reopen.year);
                input type="hidden" name="after" value=(reopen.revision);
                p class="hint" { (t(lang, "indicator.reopen_hint")) }
                div class="field" {
                    label for="reopen-reason" { (t(lang, "indicator.reopen_reason")) }
                    textarea id="reopen-reason" name="reason" required rows="2"
                        aria-describedby="reopen-error" aria-invalid=[reopen.error.as_ref().map(|_| "true")] {}
                    div class="error" id="reopen-error" role=[reopen.error.as_ref().map(|_| "alert")] {
                        @if let Some(error) = &reopen.error { (t(lang, error)) }
                    }
                }
                div class="actions" { button type="submit" { (t(lang, "indicator.reopen_button")) } }
            }
        }
    }
}

/// The evidence files attached to the value.
fn evidence_section(lang: Lang, evidence: &[EvidenceFile]) -> maud::Markup {
    html! {
        section aria-labelledby="evidence-h" {
            h2 id="evidence-h" { (t(lang, "indicator.evidence")) }
            @if evidence.is_empty() {
                p class="empty" { (t(lang, "indicator.no_evidence")) }
            } @else {
                ul class="plain" {
                    @for file in evidence {
                        li {
                            a href=(file.href) { (file.name) } " (" (fmt_bytes(file.bytes)) ") · " (file.uploaded_by) " · "
                            time datetime=(file.uploaded_at) { (fmt_timestamp(lang, &file.uploaded_at)) }
                        }
                    }
                }
            }
        }
    }
}
