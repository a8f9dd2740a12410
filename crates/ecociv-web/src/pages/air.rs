//! The air page of a zone (环境空气质量): a calendar of the daily AQI for a year (one small month grid
//! each, every cell carrying the AQI as text and its category by colour and in its title), and the count
//! of good days (优良天数, categories 1–2) over valid days by month.
//!
//! This page computes no AQI: the daily AQI, its category (1–6 of HJ 633) and the primary pollutant come
//! from the air crate, with the edition that produced them. The monthly shares are counts of those days.

use maud::html;

use crate::i18n::{Date, days_in_month, fmt_date, fmt_month, fmt_share, t, tf};
use crate::layout::{Nav, PageContext, page};

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

/// The air page.
#[derive(Debug, Clone, PartialEq)]
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
}

impl AirView {
    /// Good days over valid days per month (months without any day on record are left out); days of
    /// other years are ignored.
    pub fn monthly(&self) -> Vec<MonthShare> {
        let mut months: Vec<MonthShare> = (1..=12).map(|month| MonthShare { month, valid: 0, good: 0 }).collect();
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
        months.into_iter().zip(seen).filter(|(_, seen)| *seen).map(|(month, _)| month).collect()
    }

    /// The year's totals.
    pub fn total(&self) -> MonthShare {
        self.monthly().iter().fold(MonthShare { month: 0, valid: 0, good: 0 }, |acc, month| MonthShare {
            month: 0,
            valid: acc.valid + month.valid,
            good: acc.good + month.good,
        })
    }
}

/// Renders the air page.
pub fn render_air(ctx: &PageContext, view: &AirView) -> String {
    let lang = ctx.lang;
    let title = tf(lang, "air.title", &[("year", &view.year)]);
    let monthly = view.monthly();
    let total = view.total();
    let by_date: std::collections::HashMap<Date, &DailyAqi> = view.days.iter().map(|day| (day.date, day)).collect();
    let weekdays: Vec<String> = (0..7).map(|day| t(lang, &format!("air.weekday.{day}")).into_owned()).collect();
    let body = html! {
        div class="page-head" {
            h1 { (title) }
            (crate::layout::year_form(lang, &crate::layout::urls::air(&view.zone_code), &view.years, view.year, &[]))
        }
        p class="meta" {
            (t(lang, "air.stations")) "：" (view.stations) " · " (t(lang, "indicator.edition")) "：" (view.edition)
            @if view.synthetic { " " span class="tag synthetic" { (t(lang, "common.synthetic")) } }
        }
        @if view.days.is_empty() {
            p class="empty" { (t(lang, "air.no_data")) }
        } @else {
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
                            @for month in &monthly {
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
                            table class="month" {
                                caption { (fmt_month(lang, month)) }
                                thead { tr { @for day in &weekdays { th scope="col" abbr=(day) { (day) } } } }
                                tbody {
                                    @let first = Date::new(view.year, month, 1).map_or(0, Date::weekday);
                                    @let days = days_in_month(view.year, month);
                                    @let weeks = (usize::from(first) + usize::from(days)).div_ceil(7);
                                    @for week in 0..weeks {
                                        tr {
                                            @for weekday in 0..7usize {
                                                @let index = week * 7 + weekday;
                                                @let day = index.checked_sub(usize::from(first)).map(|offset| offset + 1).filter(|day| *day <= usize::from(days));
                                                @if let Some(day) = day {
                                                    @let date = Date::new(view.year, month, day as u8);
                                                    @let record = date.and_then(|date| by_date.get(&date).copied());
                                                    @let category = record.and_then(|record| record.category);
                                                    @let class = category.map_or("aqi-none".to_string(), |category| format!("aqi-{category}"));
                                                    @let label = match (date, record.and_then(|record| record.aqi), category) {
                                                        (Some(date), Some(aqi), Some(category)) => format!("{}：AQI {} {}{}", fmt_date(lang, date), aqi, t(lang, &format!("aqi.{category}")), record.and_then(|record| record.primary.as_deref()).map(|primary| format!("，{}：{}", t(lang, "air.primary"), primary)).unwrap_or_default()),
                                                        (Some(date), _, _) => format!("{}：{}", fmt_date(lang, date), t(lang, "air.invalid")),
                                                        _ => String::new(),
                                                    };
                                                    td class=(class) title=(label) {
                                                        span class="d" { (day) }
                                                        span class="v" { @if let Some(aqi) = record.and_then(|record| record.aqi) { (aqi) } @else { "—" } }
                                                    }
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
                }
            }
        }
    };
    page(ctx, &title, Nav::Air, body)
}
