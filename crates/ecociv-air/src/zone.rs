//! Zone figures for indicator 7 by the point-average method (点位平均法): the zone's daily concentration of
//! each pollutant is the arithmetic mean of its stations' valid daily values (rounded per GB/T 8170), the
//! zone's daily AQI is computed from those means (HJ 633), and the zone's year is evaluated like a station's
//! (HJ 663): 7.1 优良天数比例 (good-day share, %) and 7.2 PM2.5 annual mean (µg/m³). Pure: no IO.
//!
//! Source of the method: standards.md §2.5 ([V1]: city AQI by 点位平均法 per HJ 663-2013). DOUBT [M]: the
//! zone's O3 8-h and 1-h daily values are taken as the mean of the stations' daily maxima, and a zone day
//! needs only one valid station per pollutant.
//!
//! Daily values (the `ecociv air daily` format, a station's published daily values) feed a zone's year
//! only when the year has no hourly data (issue 19): a station's daily value is rounded to the report unit
//! (GB/T 8170, as a daily value computed from hours is) and enters the same point average. DOUBT [M]: a
//! daily value given is taken as valid (its hours' coverage is not known).

use std::collections::{BTreeMap, BTreeSet};

use crate::edition::{Date, Edition, EditionChoice};
use crate::hj633::{DailyInput, ITEMS, Item};
use crate::hj663::{self, Annual, DailyValues, DayRecord};
use crate::rounding::{MILLI, div_round_half_even};
use crate::station::{DaySplitter, HourlyRow, OrderError};

/// A zone's year for indicator 7, with provenance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneYear {
    pub zone: String,
    pub year: i32,
    /// Stations whose data entered the figures.
    pub stations: Vec<String>,
    /// The zone's annual evaluation (its `edition`, valid days, good days, PM2.5 mean and coverage).
    pub annual: Annual,
    /// The year was computed from stations' daily values (no hourly data in the year).
    pub from_daily: bool,
}

impl ZoneYear {
    /// 7.1 优良天数比例 in % (one decimal, as tenths: 853 = 85.3 %).
    pub fn good_rate_tenths(&self) -> Option<i64> {
        self.annual.good_rate_tenths
    }
    /// 7.2 PM2.5 annual mean in µg/m³ (integer), and whether the annual coverage rule holds.
    pub fn pm25(&self) -> Option<(i64, bool)> {
        self.annual.pm25.value.map(|v| (v, self.annual.pm25.valid))
    }
    /// The edition of the annual evaluation.
    pub fn edition(&self) -> Edition {
        self.annual.edition
    }
    /// One-line provenance in Chinese (the pages and reports show it).
    pub fn provenance(&self) -> String {
        let a = &self.annual;
        format!(
            "点位平均法{dl}，{n} 个站点（{st}），{y} 年有效天数 {v}/{d}，PM2.5 有效日 {p}{pv}；{e}",
            dl = if self.from_daily { "（由日均值）" } else { "" },
            n = self.stations.len(),
            st = self.stations.join("、"),
            y = self.year,
            v = a.valid_days,
            d = a.days,
            p = a.pm25.days,
            pv = if a.pm25.valid {
                ""
            } else {
                "（不满足年均值有效性要求）"
            },
            e = self.annual.edition,
        )
    }

    /// The same in English.
    pub fn provenance_en(&self) -> String {
        let a = &self.annual;
        format!(
            "point-average{dl} of {n} stations ({st}), {v} valid days of {d} in {y}, PM2.5 on {p} days{pv}; {e}",
            dl = if self.from_daily { " (from daily values)" } else { "" },
            n = self.stations.len(),
            st = self.stations.join(", "),
            y = self.year,
            v = a.valid_days,
            d = a.days,
            p = a.pm25.days,
            pv = if a.pm25.valid {
                ""
            } else {
                " (annual validity rule NOT met)"
            },
            e = self.annual.edition,
        )
    }
}

#[derive(Default, Clone, Copy)]
struct ZoneDay {
    sum: [i64; 7],
    n: [u32; 7],
}

/// Streams the hourly rows of a zone's stations into the zone's figures, for one year or for every year
/// present (memory: one open day per station plus one small record per zone-day).
pub struct ZoneEngine {
    zone: String,
    year: Option<i32>,
    choice: EditionChoice,
    split: DaySplitter,
    days: BTreeMap<Date, ZoneDay>,
    stations: BTreeMap<i32, BTreeSet<String>>,
    /// Zone-days and stations from daily values, used for the years without hourly data.
    daily: BTreeMap<Date, ZoneDay>,
    daily_stations: BTreeMap<i32, BTreeSet<String>>,
}

impl ZoneEngine {
    /// `year`: only that year, or `None` for every year in the data.
    pub fn new(zone: &str, year: Option<i32>, choice: EditionChoice) -> Self {
        ZoneEngine {
            zone: zone.to_owned(),
            year,
            choice,
            split: DaySplitter::default(),
            days: BTreeMap::new(),
            stations: BTreeMap::new(),
            daily: BTreeMap::new(),
            daily_stations: BTreeMap::new(),
        }
    }

    /// Adds a station's daily values (milli-units, as `ecociv_air::ingest::read_daily` reads them); used
    /// for a year only when it has no hourly row. Days of other years are ignored; the reader has refused
    /// a station-day given twice.
    pub fn push_daily(&mut self, station: &str, date: Date, input: &DailyInput) {
        if self.year.is_some_and(|y| y != date.year) {
            return;
        }
        let mut dv = DailyValues::default();
        let report = |milli: Option<i64>, unit: i64| milli.map(|m| div_round_half_even(m, unit));
        dv.v[Item::So2.index()] = report(input.so2, MILLI);
        dv.v[Item::No2.index()] = report(input.no2, MILLI);
        dv.v[Item::Pm10.index()] = report(input.pm10, MILLI);
        // CO in tenths of mg/m³.
        dv.v[Item::Co.index()] = report(input.co, 100);
        dv.v[Item::O3_1h.index()] = report(input.o3_1h, MILLI);
        dv.v[Item::O3_8h.index()] = report(input.o3_8h, MILLI);
        dv.v[Item::Pm25.index()] = report(input.pm25, MILLI);
        Self::add(&mut self.daily, &mut self.daily_stations, station, date, &dv);
    }

    fn add(
        days: &mut BTreeMap<Date, ZoneDay>,
        stations: &mut BTreeMap<i32, BTreeSet<String>>,
        name: &str,
        date: Date,
        dv: &DailyValues,
    ) {
        let zd = days.entry(date).or_default();
        let mut any = false;
        for it in ITEMS {
            if let Some(v) = dv.get(it) {
                zd.sum[it.index()] += v;
                zd.n[it.index()] += 1;
                any = true;
            }
        }
        let set = stations.entry(date.year).or_default();
        if any && !set.contains(name) {
            set.insert(name.to_owned());
        }
    }

    fn close(
        days: &mut BTreeMap<Date, ZoneDay>,
        stations: &mut BTreeMap<i32, BTreeSet<String>>,
        choice: EditionChoice,
        name: &str,
        date: Date,
        hours: &hj663::DayHours,
    ) {
        let dv = hj663::daily_values(hours, hj663::params(choice.for_date(date)));
        Self::add(days, stations, name, date, &dv);
    }

    /// Adds an hourly row; rows of other years are ignored.
    pub fn push(&mut self, row: &HourlyRow<'_>) -> Result<(), OrderError> {
        if self.year.is_some_and(|y| y != row.date.year) {
            return Ok(());
        }
        let ZoneEngine {
            split,
            days,
            stations,
            choice,
            ..
        } = self;
        split.push(row, |_, name, date, hours| {
            Self::close(days, stations, *choice, name, date, hours);
        })
    }

    /// The zone's years, in order (empty when no row was given).
    pub fn finish(self) -> Vec<ZoneYear> {
        self.finish_with_days().0
    }

    /// As [`ZoneEngine::finish`], with the zone's daily records (date, point-average daily values, AQI
    /// under the edition in force that day, validity), in date order — what the annual figures count.
    pub fn finish_with_days(mut self) -> (Vec<ZoneYear>, Vec<DayRecord>) {
        let ZoneEngine {
            split,
            days,
            stations,
            choice,
            ..
        } = &mut self;
        split.finish(|_, name, date, hours| Self::close(days, stations, *choice, name, date, hours));
        // The years without hourly data take the daily values.
        let hourly_years: BTreeSet<i32> = days.keys().map(|d| d.year).collect();
        let mut from_daily = BTreeSet::new();
        for (date, zd) in std::mem::take(&mut self.daily) {
            if !hourly_years.contains(&date.year) {
                from_daily.insert(date.year);
                self.days.insert(date, zd);
            }
        }
        for (year, names) in std::mem::take(&mut self.daily_stations) {
            if from_daily.contains(&year) {
                self.stations.insert(year, names);
            }
        }
        let mut out = Vec::new();
        let mut records: Vec<DayRecord> = Vec::new();
        let mut all_days: Vec<DayRecord> = Vec::new();
        let mut current: Option<i32> = None;
        let mut emit = |year: i32, records: &mut Vec<DayRecord>| {
            let annual = hj663::annual(year, records, self.choice.for_year(year));
            let st = self
                .stations
                .get(&year)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            out.push(ZoneYear {
                zone: self.zone.clone(),
                year,
                stations: st,
                annual,
                from_daily: from_daily.contains(&year),
            });
            records.clear();
        };
        for (&date, zd) in &self.days {
            if current.is_some_and(|y| y != date.year) {
                emit(current.unwrap_or(date.year), &mut records);
            }
            current = Some(date.year);
            let mut dv = DailyValues::default();
            for it in ITEMS {
                let k = it.index();
                if zd.n[k] > 0 {
                    dv.v[k] = Some(div_round_half_even(zd.sum[k], i64::from(zd.n[k])));
                }
            }
            let record = DayRecord::evaluate(date, dv, self.choice.for_date(date));
            all_days.push(record);
            records.push(record);
        }
        if let Some(y) = current {
            emit(y, &mut records);
        }
        (out, all_days)
    }
}
