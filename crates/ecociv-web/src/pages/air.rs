//! The air page of a zone (环境空气质量): a calendar of the daily AQI for a year (one small month grid
//! each, every cell carrying the AQI as text and its category by colour and in its title), and the count
//! of good days (优良天数, categories 1–2) over valid days by month.
//!
//! This page computes no AQI: the daily AQI, its category (1–6 of HJ 633) and the primary pollutant come
//! from the air crate, with the edition that produced them. The monthly shares are counts of those days.
//! It also shows the primary pollutants' day counts, the year's statistics against the GB 3095 class-2
//! limits (value, limit, days and the air crate's judgement, in text as well as colour), the provenance
//! (stations, days counted, files), the figures the rows 7.1/7.2 would take when computed, and — for
//! reviewers and admins — the monitoring upload form and the "compute from monitoring" action
//! ([`monitoring_forms`], shared with the water page).

use maud::html;

use maud::Markup;

use crate::i18n::{Date, Lang, days_in_month, fmt_date, fmt_month, fmt_share, t, tf};
use crate::layout::{Nav, PageContext, page, trusted, urls};
use ecociv_chart::bars::{Bar, BarChart};

/// One day's AQI as computed by the air crate.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyAqi {
    pub date: Date,
    /// `None`: not a valid day (too few hours of data).
    pub aqi: Option<u32>,
    /// AQI category 1 (优) … 6 (严重污染).
    pub category: Option<u8>,
    pub primary: Option<String>,
}

/// Good days over valid days in one month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthShare {
    pub month: u8,
    pub valid: usize,
    pub good: usize,
}

impl MonthShare {
    pub fn share(&self) -> Option<f64> {
        (self.valid > 0).then(|| self.good as f64 / self.valid as f64)
    }
}

/// One annual statistic against its GB 3095 class-2 limit, as the air crate evaluated it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnnualStatView {
    /// `so2`, `no2`, `pm10`, `pm25`, `co_p95`, `o3_8h_p90` (label key `air.stat.<key>`).
    pub key: String,
    /// Value with its unit, e.g. `32 μg/m³`.
    pub value: Option<String>,
    /// The class-2 limit with its unit.
    pub limit: Option<String>,
    /// Daily values used.
    pub days: u32,
    /// Whether the coverage rule holds.
    pub valid: bool,
    /// Meets the limit (only when valid).
    pub complies: Option<bool>,
}

/// A figure computed from monitoring data for an indicator row, with its provenance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComputedView {
    pub row: String,
    pub name: String,
    /// Value with unit.
    pub value: String,
    /// The provenance text (method, edition, stations/sections, days, files).
    pub source: String,
    /// The row's value in the workflow now (value and status), if any.
    pub current: Option<String>,
}

/// The air page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AirView {
    pub zone_code: String,
    pub year: i32,
    pub years: Vec<i32>,
    /// Which stations the figures cover, as text.
    pub stations: String,
    /// The standards and editions that produced the AQI, e.g. `HJ 633-2012`.
    pub edition: String,
    pub synthetic: bool,
    pub days: Vec<DailyAqi>,
    /// The year's statistics against GB 3095 (empty without data).
    pub annual: Vec<AnnualStatView>,
    /// The air crate's provenance line (stations, valid days of days on record, edition).
    pub provenance: String,
    /// Files imported.
    pub files: Vec<String>,
    /// What "compute from monitoring" would save (7.1, 7.2), and notes on what it cannot compute.
    pub computed: Vec<ComputedView>,
    pub notes: Vec<String>,
    /// The viewer may upload monitoring data and compute (reviewers, admins).
    pub manage: bool,
    /// Corrections of the page's monitoring data (reviewers, admins; issue 19).
    pub corrections: Option<crate::pages::correction::CorrectionsView>,
}

impl AirView {
    /// Good days over valid days per month (months without any day on record are left out); days of
    /// other years are ignored.
    pub fn monthly(&self) -> Vec<MonthShare> {
        let mut months: Vec<MonthShare> = (1..=12)
            .map(|month| MonthShare {
                month,
                valid: 0,
                good: 0,
            })
            .collect();
        let mut seen = [false; 12];
        for day in self.days.iter().filter(|day| day.date.year == self.year) {
            let index = usize::from(day.date.month.clamp(1, 12) - 1);
            seen[index] = true;
            if let (Some(_), Some(category)) = (day.aqi, day.category) {
                months[index].valid += 1;
                if category <= 2 {
                    months[index].good += 1;
                }
            }
        }
        months
            .into_iter()
            .zip(seen)
            .filter(|(_, seen)| *seen)
            .map(|(month, _)| month)
            .collect()
    }

    /// Days on which each pollutant was primary (a tie counts for each), most frequent first.
    pub fn primary_counts(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for day in self
            .days
            .iter()
            .filter(|day| day.date.year == self.year && day.aqi.is_some())
        {
            for code in day
                .primary
                .iter()
                .flat_map(|p| p.split(';'))
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                *counts.entry(code.to_string()).or_default() += 1;
            }
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    /// The year's totals.
    pub fn total(&self) -> MonthShare {
        self.monthly().iter().fold(
            MonthShare {
                month: 0,
                valid: 0,
                good: 0,
            },
            |acc, month| MonthShare {
                month: 0,
                valid: acc.valid + month.valid,
                good: acc.good + month.good,
            },
        )
    }
}

/// Fills of the AQI categories 1–6: the colours of HJ 633 表2 (绿、黄、橙、红、紫、褐红; the `rgb` column
/// of `crates/ecociv-air/data/hj633-levels.csv`), as the calendar's stylesheet classes `aqi-1`…`aqi-6`.
const AQI_FILL: [&str; 6] = ["#00e400", "#ffff00", "#ff7e00", "#ff0000", "#99004c", "#7e0023"];

/// The daily AQI of the year as an SVG bar series (a bar per day in its category's colour, a gap for a
/// day without a valid AQI, the good-day limit AQI 100 as a dashed line).
fn daily_chart(lang: Lang, view: &AirView) -> String {
    let by_date: std::collections::HashMap<Date, &DailyAqi> = view.days.iter().map(|day| (day.date, day)).collect();
    let mut chart = BarChart::new(
        "aqi-series",
        tf(lang, "air.series_title", &[("year", &view.year)]),
        960,
        220,
    );
    chart.lead = t(lang, "air.series_lead").into_owned();
    chart.separator = t(lang, "chart.semicolon").into_owned();
    chart.no_data = t(lang, "air.no_data").into_owned();
    chart.reference = Some((100.0, t(lang, "air.good_limit").into_owned()));
    chart.max = 150.0;
    for month in 1..=12u8 {
        for day in 1..=days_in_month(view.year, month) {
            let Some(date) = Date::new(view.year, month, day) else {
                continue;
            };
            let record = by_date.get(&date).copied();
            let aqi = record.and_then(|r| r.aqi);
            let category = record.and_then(|r| r.category).unwrap_or(1).clamp(1, 6);
            chart.bars.push(Bar {
                label: fmt_month(lang, month),
                value: aqi.map(f64::from),
                fill: AQI_FILL[usize::from(category - 1)].to_string(),
                text: match aqi {
                    Some(aqi) => format!("{} AQI {aqi}", fmt_date(lang, date)),
                    None => format!("{} {}", fmt_date(lang, date), t(lang, "air.invalid")),
                },
                tick: day == 1,
            });
        }
    }
    chart.to_svg()
}

/// The good-day share by month as SVG bars (0–100 %).
fn monthly_chart(lang: Lang, monthly: &[MonthShare]) -> String {
    let mut chart = BarChart::new("good-share", t(lang, "air.good_share"), 640, 200);
    chart.lead = format!("{}{}", t(lang, "air.good_share"), t(lang, "chart.colon"));
    chart.separator = t(lang, "chart.semicolon").into_owned();
    chart.unit_note = "%".to_string();
    chart.no_data = t(lang, "air.no_data").into_owned();
    chart.max = 100.0;
    for month in 1..=12u8 {
        let share = monthly.iter().find(|m| m.month == month);
        let value = share.and_then(MonthShare::share).map(|s| s * 100.0);
        chart.bars.push(Bar {
            label: fmt_month(lang, month),
            value,
            fill: ecociv_chart::colour::SERIES.to_string(),
            text: match share.and_then(|m| m.share().map(|s| (m, s))) {
                Some((m, s)) => format!(
                    "{} {}{}{}/{}{}",
                    fmt_month(lang, month),
                    fmt_share(s),
                    t(lang, "chart.open"),
                    m.good,
                    m.valid,
                    t(lang, "chart.close")
                ),
                None => format!("{} —", fmt_month(lang, month)),
            },
            tick: true,
        });
    }
    chart.to_svg()
}

/// Renders the air page: the heading and stations, then — when the year has days — the good-day share,
/// the charts, the primary pollutants, the annual statistics and the calendar; the provenance; and for
/// reviewers the monitoring forms. Each step below takes the figures of the air crate.
pub fn render_air(ctx: &PageContext, view: &AirView) -> String {
    let lang = ctx.lang;
    let title = tf(lang, "air.title", &[("year", &view.year)]);
    let monthly = view.monthly();
    let body = html! {
        div class="page-head" {
            h1 { (title) }
            (crate::layout::year_form(lang, &urls::air(&view.zone_code), &view.years, view.year, &[]))
        }
        p class="meta" {
            (t(lang, "air.stations")) "：" (view.stations) " · " (t(lang, "indicator.edition")) "：" (view.edition)
            @if view.synthetic { " " span class="tag synthetic" { (t(lang, "common.synthetic")) } }
        }
        @if view.synthetic { p class="flash flash-info" { (t(lang, "monitoring.synthetic_note")) } }
        @if view.days.is_empty() {
            p class="empty" { (t(lang, "air.no_data")) }
        } @else {
            (share_section(lang, &monthly, view.total()))
            div class="chart" { (trusted(&monthly_chart(lang, &monthly))) }
            div class="chart" { (trusted(&daily_chart(lang, view))) }
            (primary_section(lang, &view.primary_counts()))
            @if !view.annual.is_empty() {
                (annual_section(lang, &view.annual))
            }
            (calendar_section(lang, view, &monthly))
        }
        (provenance_section(lang, &view.provenance, &view.files, &view.computed, &view.notes))
        @if view.manage {
            (monitoring_forms(ctx, &view.zone_code, view.year, "air", &AIR_KINDS))
            @if let Some(corrections) = &view.corrections {
                (crate::pages::correction::corrections_section(ctx, &view.zone_code, view.year, "air", &AIR_KINDS, corrections))
            }
        }
    };
    page(ctx, &title, Nav::Air, body)
}

/// Good days over valid days: the year's total and a table by month.
fn share_section(lang: Lang, monthly: &[MonthShare], total: MonthShare) -> Markup {
    html! {
        section aria-labelledby="share-h" {
            h2 id="share-h" { (t(lang, "air.good_share")) }
            p class="big" {
                (tf(lang, "air.good_total", &[("good", &total.good), ("valid", &total.valid), ("share", &total.share().map_or("—".to_string(), fmt_share))]))
            }
            div class="scroll" {
                table class="data compact" {
                    thead { tr {
                        th scope="col" { (t(lang, "air.month")) }
                        th scope="col" class="num" { (t(lang, "air.valid_days")) }
                        th scope="col" class="num" { (t(lang, "air.good_days")) }
                        th scope="col" class="num" { (t(lang, "air.share")) }
                    } }
                    tbody {
                        @for month in monthly {
                            tr {
                                th scope="row" { (fmt_month(lang, month.month)) }
                                td class="num" { (month.valid) }
                                td class="num" { (month.good) }
                                td class="num" { (month.share().map_or("—".to_string(), fmt_share)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The days each pollutant was the primary one ([`AirView::primary_counts`]).
fn primary_section(lang: Lang, primary: &[(String, usize)]) -> Markup {
    html! {
        section aria-labelledby="primary-h" {
            h2 id="primary-h" { (t(lang, "air.primary_counts")) }
            @if primary.is_empty() {
                p { (t(lang, "air.no_primary")) }
            } @else {
                ul class="counts" {
                    @for (code, days) in primary {
                        li { (pollutant(lang, code)) "：" (tf(lang, "air.days", &[("n", days)])) }
                    }
                }
            }
        }
    }
}

/// The year's statistics against the GB 3095 class-2 limits, with the air crate's judgement in words.
fn annual_section(lang: Lang, annual: &[AnnualStatView]) -> Markup {
    html! {
        section aria-labelledby="annual-h" {
            h2 id="annual-h" { (t(lang, "air.annual_title")) }
            div class="scroll" {
                table class="data compact" {
                    thead { tr {
                        th scope="col" { (t(lang, "air.statistic")) }
                        th scope="col" class="num" { (t(lang, "air.value")) }
                        th scope="col" class="num" { (t(lang, "air.limit")) }
                        th scope="col" class="num" { (t(lang, "air.days_used")) }
                        th scope="col" { (t(lang, "table.status")) }
                    } }
                    tbody {
                        @for stat in annual {
                            tr {
                                th scope="row" { (t(lang, &format!("air.stat.{}", stat.key))) }
                                td class="num" { (stat.value.as_deref().unwrap_or("—")) }
                                td class="num" { (stat.limit.as_deref().unwrap_or("—")) }
                                td class="num" { (stat.days) }
                                td {
                                    @match (stat.valid, stat.complies) {
                                        (true, Some(true)) => span class="status status-met" { (t(lang, "air.complies")) },
                                        (true, Some(false)) => span class="status status-not_met" { (t(lang, "air.exceeds")) },
                                        (false, _) => span class="status status-no_data" { (t(lang, "air.coverage_short")) },
                                        (true, None) => span class="status status-no_data" { (t(lang, "air.no_limit")) },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The calendar: the categories' legend and a month grid for each month with days.
fn calendar_section(lang: Lang, view: &AirView, monthly: &[MonthShare]) -> Markup {
    let by_date: std::collections::HashMap<Date, &DailyAqi> = view.days.iter().map(|day| (day.date, day)).collect();
    let weekdays: Vec<String> = (0..7)
        .map(|day| t(lang, &format!("air.weekday.{day}")).into_owned())
        .collect();
    html! {
        section aria-labelledby="cal-h" {
            h2 id="cal-h" { (t(lang, "air.calendar")) }
            ul class="legend" {
                @for category in 1..=6u8 {
                    li { span class={ "swatch aqi-" (category) } {} (t(lang, &format!("aqi.{category}"))) }
                }
                li { span class="swatch aqi-none" {} (t(lang, "air.invalid")) }
            }
            div class="calendar" {
                @for month in 1..=12u8 {
                    @if monthly.iter().any(|share| share.month == month) {
                        (month_grid(lang, view.year, month, &weekdays, &by_date))
                    }
                }
            }
        }
    }
}

/// One month of the calendar: a week a line, each day's cell in its category's class with its AQI.
fn month_grid(
    lang: Lang,
    year: i32,
    month: u8,
    weekdays: &[String],
    by_date: &std::collections::HashMap<Date, &DailyAqi>,
) -> Markup {
    html! {
        table class="month" {
            caption { (fmt_month(lang, month)) }
            thead { tr { @for day in weekdays { th scope="col" abbr=(day) { (day) } } } }
            tbody {
                @let first = Date::new(year, month, 1).map_or(0, Date::weekday);
                @let days = days_in_month(year, month);
                @let weeks = (usize::from(first) + usize::from(days)).div_ceil(7);
                @for week in 0..weeks {
                    tr {
                        @for weekday in 0..7usize {
                            @let index = week * 7 + weekday;
                            @let day = index.checked_sub(usize::from(first)).map(|offset| offset + 1).filter(|day| *day <= usize::from(days));
                            @if let Some(day) = day {
                                @let date = Date::new(year, month, day as u8);
                                (day_cell(lang, date, day, date.and_then(|date| by_date.get(&date).copied())))
                            } @else {
                                td class="pad" {}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A day's cell: its category as the class, the AQI as text, and date, AQI, category and primary
/// pollutants in its title.
fn day_cell(lang: Lang, date: Option<Date>, day: usize, record: Option<&DailyAqi>) -> Markup {
    let category = record.and_then(|record| record.category);
    let class = category.map_or("aqi-none".to_string(), |category| format!("aqi-{category}"));
    let label = match (date, record.and_then(|record| record.aqi), category) {
        (Some(date), Some(aqi), Some(category)) => format!(
            "{}：AQI {} {}{}",
            fmt_date(lang, date),
            aqi,
            t(lang, &format!("aqi.{category}")),
            record
                .and_then(|record| record.primary.as_deref())
                .map(|primary| format!(
                    "，{}：{}",
                    t(lang, "air.primary"),
                    primary
                        .split([',', ';'])
                        .map(|code| pollutant(lang, code.trim()))
                        .collect::<Vec<_>>()
                        .join("、")
                ))
                .unwrap_or_default()
        ),
        (Some(date), _, _) => format!("{}：{}", fmt_date(lang, date), t(lang, "air.invalid")),
        _ => String::new(),
    };
    html! {
        td class=(class) title=(label) {
            span class="d" { (day) }
            span class="v" { @if let Some(aqi) = record.and_then(|record| record.aqi) { (aqi) } @else { "—" } }
        }
    }
}

/// A pollutant code of the air crate (`pm25`, `o3_8h`, …) as a label.
fn pollutant(lang: Lang, code: &str) -> String {
    let key = format!("air.pollutant.{code}");
    let label = t(lang, &key);
    // An unknown code shows as itself rather than as a missing-key marker.
    if label.starts_with('⟦') {
        code.to_string()
    } else {
        label.into_owned()
    }
}

/// Provenance and the figures "compute from monitoring" would save (both pages).
pub fn provenance_section(
    lang: Lang,
    provenance: &str,
    files: &[String],
    computed: &[ComputedView],
    notes: &[String],
) -> Markup {
    html! {
        @if !provenance.is_empty() || !files.is_empty() || !computed.is_empty() || !notes.is_empty() {
            section aria-labelledby="prov-h" {
                h2 id="prov-h" { (t(lang, "monitoring.provenance")) }
                dl class="facts provenance" {
                    @if !provenance.is_empty() { dt { (t(lang, "monitoring.counted")) } dd { (provenance) } }
                    @if !files.is_empty() { dt { (t(lang, "monitoring.files")) } dd { (files.join("、")) } }
                }
                @if !computed.is_empty() {
                    h3 { (t(lang, "monitoring.computed")) }
                    div class="scroll" {
                        table class="data compact" {
                            thead { tr {
                                th scope="col" { (t(lang, "monitoring.row")) }
                                th scope="col" class="num" { (t(lang, "monitoring.figure")) }
                                th scope="col" { (t(lang, "monitoring.current")) }
                                th scope="col" { (t(lang, "monitoring.source")) }
                            } }
                            tbody {
                                @for figure in computed {
                                    tr {
                                        th scope="row" { (figure.row) " " (figure.name) }
                                        td class="num" { (figure.value) }
                                        td { (figure.current.as_deref().unwrap_or("—")) }
                                        td class="source" { (figure.source) }
                                    }
                                }
                            }
                        }
                    }
                }
                @for note in notes { p class="meta" { (note) } }
            }
        }
    }
}

/// The air kinds of the upload form: hourly data, and daily values for the years without hours.
pub const AIR_KINDS: [&str; 2] = ["air", "air_daily"];

/// The bureau's forms (reviewers, admins): upload a monitoring CSV of one of `kinds` (multipart, with
/// the CSRF token as a form field; "check only" = dry run), with each kind's columns explained and an
/// example file to download, and compute the year's rows from the stored data. `back` is the page to
/// return to (`air` or `water`).
pub fn monitoring_forms(ctx: &PageContext, zone: &str, year: i32, back: &str, kinds: &[&str]) -> Markup {
    let lang = ctx.lang;
    let csrf = ctx.csrf_token.clone().unwrap_or_default();
    html! {
        section aria-labelledby="manage-h" class="manage" {
            h2 id="manage-h" { (t(lang, "monitoring.manage")) }
            div class="grid-2" {
                (upload_form(ctx, zone, year, back, kinds))
                form method="post" action=(urls::monitoring_compute(zone)) class="compute card" {
                    h3 { (tf(lang, "monitoring.compute_title", &[("year", &year)])) }
                    input type="hidden" name="csrf_token" value=(csrf);
                    input type="hidden" name="back" value=(back);
                    input type="hidden" name="year" value=(year);
                    div class="field" {
                        label for="m-status" { (t(lang, "monitoring.status")) }
                        select id="m-status" name="status" aria-describedby="m-status-hint" {
                            option value="submitted" { (t(lang, "workflow.submitted")) }
                            option value="draft" { (t(lang, "workflow.draft")) }
                        }
                        div class="hint" id="m-status-hint" { (tf(lang, "monitoring.compute_help", &[("year", &year)])) }
                    }
                    div class="actions" { button type="submit" { (tf(lang, "monitoring.compute", &[("year", &year)])) } }
                }
            }
        }
    }
}

/// The upload card of the bureau's forms: a monitoring CSV of one of `kinds` (multipart, with the CSRF
/// token as a form field; "check only" = dry run), with each kind's columns explained and an example file
/// to download. `back` is the page to return to.
pub fn upload_form(ctx: &PageContext, zone: &str, year: i32, back: &str, kinds: &[&str]) -> Markup {
    let lang = ctx.lang;
    let csrf = ctx.csrf_token.clone().unwrap_or_default();
    html! {
        form method="post" action=(urls::monitoring_upload(zone)) enctype="multipart/form-data" class="upload card" {
            h3 { (t(lang, "monitoring.upload_title")) }
            input type="hidden" name="csrf_token" value=(csrf);
            input type="hidden" name="back" value=(back);
            input type="hidden" name="year" value=(year);
            div class="field" {
                label for="m-kind" { (t(lang, "monitoring.kind_label")) }
                select id="m-kind" name="kind" {
                    @for kind in kinds { option value=(kind) { (t(lang, &format!("monitoring.kind.{kind}"))) } }
                }
            }
            div class="field" {
                label for="m-file" { (t(lang, "monitoring.file")) }
                input id="m-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="m-file-hint";
                div class="hint" id="m-file-hint" { (t(lang, "monitoring.upload_help")) }
            }
            div class="field check" {
                input id="m-dry" type="checkbox" name="dry_run" value="true";
                label for="m-dry" { (t(lang, "monitoring.dry_run")) }
            }
            div class="actions" { button type="submit" { (t(lang, "monitoring.upload")) } }
            details class="formats" {
                summary { (t(lang, "monitoring.formats")) }
                dl {
                    @for kind in kinds {
                        dt { (t(lang, &format!("monitoring.kind.{kind}"))) }
                        dd {
                            (t(lang, &format!("monitoring.format.{kind}")))
                            " "
                            a href=(urls::monitoring_example(kind)) download { (t(lang, "monitoring.example")) }
                        }
                    }
                }
            }
        }
    }
}
