//! Ambient air quality from raw monitoring data (环境空气质量), per edition of the Chinese standards.
//!
//! * [`hj633`] — the air quality index (AQI, 空气质量指数) of HJ 633-2012 and HJ 633-2026: IAQI by
//!   interpolation, AQI, level, category, primary pollutant, special cases; daily and real-time reports.
//! * [`hj663`] — HJ 663-2013 / HJ 663-2026 data processing: daily means and validity, O3 8-hour maxima,
//!   percentiles, annual statistics, good-day share (优良天数比例).
//! * [`gb3095`] — GB 3095-2012 / GB 3095-2026 concentration limits.
//! * [`edition`] — which edition applies to a date, and the calendar date type.
//! * [`realtime`] — the real-time (hourly) report: per station-hour AQI with the O3 8-h and PM moving means.
//! * [`rounding`] — GB/T 8170 rounding and exact decimal parsing.
//! * [`station`] / [`zone`] — pure streaming aggregation of hourly rows per station and per zone (点位平均法).
//! * [`ingest`] — the only module doing IO: streaming CSV readers and writers for the `ecociv air` commands.
//!
//! Reference tables are data files in `data/` (embedded with `include_str!`), with their provenance in
//! `data/README.md`. Every computed figure carries the [`edition::Edition`] that produced it.

pub mod edition;
pub mod gb3095;
pub mod hj633;
pub mod hj663;
pub mod ingest;
pub mod realtime;
pub mod rounding;
pub mod station;
pub mod tables;
pub mod zone;

pub use edition::{Date, Edition, EditionChoice};
