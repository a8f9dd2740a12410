//! The real-time report (实时报) of HJ 633-2012 / HJ 633-2026 §1.6 of standards.md: for each station and
//! each hour, the AQI from the hour's 1-h means of SO2, NO2, CO and O3, the O3 8-h moving mean and PM10 /
//! PM2.5 (the 1-h value or the 24-h moving mean — a [C] doubt kept as data, `realtime_pm_window_hours` in
//! `data/hj633-params.csv`). Pure: no IO.
//!
//! Moving means follow GB 3095-2012 Table 4 through the HJ 663 parameters (`data/hj663.csv`): the 8-h mean
//! stamped at hour h covers hours h−7 … h and needs ≥ 6 valid hourly values; a 24-h moving mean covers
//! h−23 … h and needs ≥ 20 (the 24-h rule applied to a moving window — [M]). Windows run across midnight.
//! A mean is computed from the exact hourly values and rounded once (GB/T 8170) to the report unit
//! (µg/m³ integers; CO 0.1 mg/m³), as the daily means are in [`crate::hj663::daily_values`].
//!
//! Rows of a station must come in time order (each station's hours strictly increasing); stations may be
//! interleaved. Memory is one 24-hour ring per station.

use std::collections::HashMap;

use crate::edition::{Date, Edition, EditionChoice};
use crate::hj633::{self, AqiResult, HourlyInput};
use crate::hj663;
use crate::rounding::{MILLI, div_round_half_even};
use crate::station::{HourlyRow, OrderError};

/// Column order of [`HourlyRow::values`]: `so2, no2, pm10, co, o3, pm25`.
const SO2: usize = 0;
const NO2: usize = 1;
const PM10: usize = 2;
const CO: usize = 3;
const O3: usize = 4;
const PM25: usize = 5;

/// How PM10 / PM2.5 enter the real-time AQI: the hour's value or the 24-h moving mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PmWindow {
    OneHour,
    MovingDay,
}

impl PmWindow {
    /// The window the edition's data file names (`realtime_pm_window_hours`, a [C] doubt).
    pub fn for_edition(edition: Edition) -> PmWindow {
        match hj633::table(edition).realtime_pm_window_hours {
            24 => PmWindow::MovingDay,
            _ => PmWindow::OneHour,
        }
    }

    /// Hours in the window (1 or 24).
    pub fn hours(self) -> u8 {
        match self {
            PmWindow::OneHour => 1,
            PmWindow::MovingDay => 24,
        }
    }
}

/// The report of one station-hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HourReport {
    pub station: String,
    pub date: Date,
    /// The hour starting then (0–23); the report is published after it ends.
    pub hour: u8,
    /// O3 8-h moving mean (µg/m³), when the window has enough hours.
    pub o3_8h: Option<i64>,
    /// PM10 and PM2.5 as used for the AQI (µg/m³): the 1-h value or the 24-h moving mean.
    pub pm10: Option<i64>,
    pub pm25: Option<i64>,
    /// Which PM window was used.
    pub pm_window: PmWindow,
    /// The AQI, sub-indices, primary pollutant and the edition that produced them.
    pub result: AqiResult,
}

/// Days since 1970-01-01 (proleptic Gregorian, by `jiff`); 0 for fields that name no day (a `Date`
/// from the readers always names one).
fn day_number(d: Date) -> i64 {
    d.civil().map_or(0, |date| {
        date.duration_since(jiff::civil::date(1970, 1, 1)).as_secs() / 86_400
    })
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// Absolute hour (days × 24 + hour) the slot holds; `i64::MIN` when empty.
    at: i64,
    vals: [Option<i64>; 6],
}

struct Ring {
    slots: [Slot; 24],
    last: i64,
    last_label: (Date, u8),
}

impl Ring {
    fn new() -> Ring {
        Ring {
            slots: [Slot {
                at: i64::MIN,
                vals: [None; 6],
            }; 24],
            last: i64::MIN,
            last_label: (
                Date {
                    year: 1970,
                    month: 1,
                    day: 1,
                },
                0,
            ),
        }
    }

    /// Sum and count of pollutant `p` over the `hours` hours ending at `now`.
    fn window(&self, now: i64, hours: i64, p: usize) -> (i64, i64) {
        let (mut sum, mut n) = (0, 0);
        for s in &self.slots {
            if s.at > now - hours
                && s.at <= now
                && let Some(v) = s.vals[p]
            {
                sum += v;
                n += 1;
            }
        }
        (sum, n)
    }
}

/// The mean of `n` exact values summing to `sum` (milli-units), rounded once to the report unit and given
/// back in milli-units; `None` below `min` values.
fn mean(sum: i64, n: i64, min: u32, co: bool) -> Option<i64> {
    if n == 0 || n < i64::from(min) {
        return None;
    }
    let unit = if co { 100 } else { MILLI };
    Some(div_round_half_even(sum, n * unit) * unit)
}

/// Streaming real-time reports per station-hour.
pub struct RealtimeEngine {
    choice: EditionChoice,
    /// `None`: the window each edition's data names.
    pm_window: Option<PmWindow>,
    stations: HashMap<Box<str>, Ring>,
}

impl RealtimeEngine {
    /// An engine for an edition choice; `pm_window` overrides the data file's PM window.
    pub fn new(choice: EditionChoice, pm_window: Option<PmWindow>) -> RealtimeEngine {
        RealtimeEngine {
            choice,
            pm_window,
            stations: HashMap::new(),
        }
    }

    /// The report of a row's hour.
    /// A repeated hour is [`OrderError::DuplicateHour`] (skippable); an earlier one [`OrderError::HourBack`].
    pub fn push(&mut self, row: &HourlyRow<'_>) -> Result<HourReport, OrderError> {
        // The readers give hours 0–23 and real dates; anything else would misplace the hour.
        let hour = row.hour.min(23);
        let now = day_number(row.date) * 24 + i64::from(hour);
        let ring = self.stations.entry(row.station.into()).or_insert_with(Ring::new);
        if now == ring.last {
            return Err(OrderError::DuplicateHour {
                station: row.station.to_owned(),
                date: row.date,
                hour,
            });
        }
        if now < ring.last {
            return Err(OrderError::HourBack {
                station: row.station.to_owned(),
                previous: ring.last_label,
                got: (row.date, hour),
            });
        }
        ring.last = now;
        ring.last_label = (row.date, row.hour);
        ring.slots[now.rem_euclid(24) as usize] = Slot {
            at: now,
            vals: row.values,
        };

        let edition = self.choice.for_date(row.date);
        let params = hj663::params(edition);
        let pm_window = self.pm_window.unwrap_or_else(|| PmWindow::for_edition(edition));
        let moving = |p: usize, hours: i64, min: u32| {
            let (sum, n) = ring.window(now, hours, p);
            mean(sum, n, min, p == CO)
        };
        let o3_8h = moving(O3, 8, params.hours_per_valid_8h);
        let so2_24h = moving(SO2, 24, params.hours_per_valid_day);
        let (pm10, pm25) = match pm_window {
            PmWindow::OneHour => (row.values[PM10], row.values[PM25]),
            PmWindow::MovingDay => (
                moving(PM10, 24, params.hours_per_valid_day),
                moving(PM25, 24, params.hours_per_valid_day),
            ),
        };
        let input = HourlyInput {
            so2_1h: row.values[SO2],
            so2_24h,
            no2_1h: row.values[NO2],
            pm10,
            co_1h: row.values[CO],
            o3_1h: row.values[O3],
            o3_8h,
            pm25,
        };
        let result = hj633::table(edition).hourly(&input);
        let report_unit = |v: Option<i64>| v.map(|x| div_round_half_even(x, MILLI));
        Ok(HourReport {
            station: row.station.to_owned(),
            date: row.date,
            hour: row.hour,
            o3_8h: report_unit(o3_8h),
            pm10: report_unit(pm10),
            pm25: report_unit(pm25),
            pm_window,
            result,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::days_in_month;

    fn row(station: &str, date: Date, hour: u8, v: [Option<i64>; 6]) -> HourlyRow<'_> {
        HourlyRow {
            station,
            date,
            hour,
            values: v,
        }
    }

    #[test]
    fn day_numbers_are_consecutive_across_months_and_leap_days() {
        assert_eq!(
            day_number(Date {
                year: 1970,
                month: 1,
                day: 1
            }),
            0
        );
        let mut d = Date {
            year: 2023,
            month: 12,
            day: 31,
        };
        let first = day_number(d);
        for n in first..first + 800 {
            let next = if d.day < days_in_month(d.year, d.month) {
                Date { day: d.day + 1, ..d }
            } else if d.month < 12 {
                Date {
                    year: d.year,
                    month: d.month + 1,
                    day: 1,
                }
            } else {
                Date {
                    year: d.year + 1,
                    month: 1,
                    day: 1,
                }
            };
            assert_eq!(day_number(next), n + 1, "{next}");
            d = next;
        }
    }

    #[test]
    fn the_o3_window_crosses_midnight_and_needs_six_hours() {
        let mut e = RealtimeEngine::new(EditionChoice::Fixed(Edition::E2012), Some(PmWindow::OneHour));
        let d1 = Date {
            year: 2024,
            month: 6,
            day: 1,
        };
        let d2 = Date {
            year: 2024,
            month: 6,
            day: 2,
        };
        let o3 = |v: i64| [None, None, None, None, Some(v * MILLI), None];
        // 21:00–23:00 on day 1 and 00:00–02:00 on day 2: six hours ending at 02:00 → a mean.
        for (d, h, v) in [(d1, 21, 100), (d1, 22, 110), (d1, 23, 120), (d2, 0, 130), (d2, 1, 140)] {
            let r = e.push(&row("A", d, h, o3(v))).expect("forward");
            assert_eq!(r.o3_8h, None, "five hours are not enough");
        }
        let r = e.push(&row("A", d2, 2, o3(151))).expect("forward");
        // (100+110+120+130+140+151)/6 = 125.166… → 125
        assert_eq!(r.o3_8h, Some(125));
        // Eight hours later the window holds only hours after 02:00: none.
        let r = e.push(&row("A", d2, 10, o3(90))).expect("forward");
        assert_eq!(r.o3_8h, None);
    }

    #[test]
    fn a_station_going_back_is_refused_and_others_are_independent() {
        let mut e = RealtimeEngine::new(EditionChoice::ByDate, None);
        let d = Date {
            year: 2024,
            month: 1,
            day: 1,
        };
        e.push(&row("A", d, 5, [None; 6])).expect("first");
        e.push(&row("B", d, 1, [None; 6]))
            .expect("another station may be earlier");
        assert!(
            matches!(
                e.push(&row("A", d, 5, [None; 6])),
                Err(OrderError::DuplicateHour { .. })
            ),
            "repeat"
        );
        assert!(
            matches!(e.push(&row("A", d, 4, [None; 6])), Err(OrderError::HourBack { .. })),
            "back"
        );
    }
}
