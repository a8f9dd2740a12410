//! Streaming aggregation of hourly rows into station-days and station-years (pure: no IO).
//!
//! Rows may come sorted by station then time (typical export) or by time then station (one file per day):
//! the only requirement is that, **for each station, dates never go back**. Hours within a day may come in
//! any order; a repeated hour is an error. Memory is bounded by the number of stations (one open day of
//! hourly values and one open year of daily records per station), not by the number of rows.

use std::collections::HashMap;
use std::fmt;

use crate::edition::{Date, EditionChoice};
use crate::hj663::{self, Annual, DailyValues, DayHours, DayRecord, DaySummary};

/// One hourly row: station, date, hour (0–23, the hour starting then) and the six concentrations in
/// milli-units (`so2, no2, pm10, co, o3, pm25`; CO in mg/m³), `None` = missing.
#[derive(Clone, Copy, Debug)]
pub struct HourlyRow<'a> {
    pub station: &'a str,
    pub date: Date,
    pub hour: u8,
    pub values: [Option<i64>; 6],
}

/// A row that cannot be placed in its station's sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderError {
    /// The station's date went back: the input is not ordered by date within each station.
    OutOfOrder {
        station: String,
        previous: Date,
        date: Date,
    },
    /// The same station, date and hour twice.
    DuplicateHour { station: String, date: Date, hour: u8 },
    /// The station's hour went back (the real-time report needs each station's hours in order).
    HourBack {
        station: String,
        previous: (Date, u8),
        got: (Date, u8),
    },
}

impl OrderError {
    /// A duplicate can be skipped (`--skip-bad`); disorder cannot.
    pub fn is_skippable(&self) -> bool {
        matches!(self, OrderError::DuplicateHour { .. })
    }
}

impl fmt::Display for OrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderError::OutOfOrder {
                station,
                previous,
                date,
            } => write!(
                f,
                "站点 {station} 的日期倒退（{previous} 之后出现 {date}）：同一站点的行须按日期排序，可先执行 \
                 `sort -t, -k1,1 -k2,2` / station {station}: date {date} after {previous}; rows of a station must be \
                 in date order (e.g. sort by station, date)"
            ),
            OrderError::DuplicateHour { station, date, hour } => {
                write!(
                    f,
                    "站点 {station} {date} {hour} 时重复 / duplicate hour {hour} for station {station} on {date}"
                )
            }
            OrderError::HourBack {
                station,
                previous: (pd, ph),
                got: (d, h),
            } => write!(
                f,
                "站点 {station} 的时间倒退（{pd} {ph} 时之后出现 {d} {h} 时）：实时报要求同一站点的行按时间排序 / \
                 station {station}: {d} hour {h} after {pd} hour {ph}; rows of a station must be in time order"
            ),
        }
    }
}

struct OpenDay {
    name: String,
    date: Option<Date>,
    hours: DayHours,
    /// The open day was already closed whole ([`AnnualEngine::push_whole_day`]): the next row, of a later
    /// date, only moves the date on.
    closed: bool,
}

/// Splits a stream of hourly rows into closed station-days.
pub struct DaySplitter {
    index: HashMap<Box<str>, usize>,
    open: Vec<OpenDay>,
    last: usize,
}

impl Default for DaySplitter {
    fn default() -> Self {
        DaySplitter {
            index: HashMap::new(),
            open: Vec::new(),
            last: usize::MAX,
        }
    }
}

impl DaySplitter {
    /// Station index of a name, creating it.
    fn station(&mut self, name: &str) -> usize {
        if self.last < self.open.len() && self.open[self.last].name == name {
            return self.last;
        }
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                let i = self.open.len();
                self.index.insert(name.into(), i);
                self.open.push(OpenDay {
                    name: name.to_owned(),
                    date: None,
                    hours: DayHours::default(),
                    closed: false,
                });
                i
            }
        };
        self.last = i;
        i
    }

    /// Adds a row; calls `on_day(station index, station name, date, hours)` for each station-day it closes.
    pub fn push(
        &mut self,
        row: &HourlyRow<'_>,
        mut on_day: impl FnMut(usize, &str, Date, &DayHours),
    ) -> Result<(), OrderError> {
        let i = self.station(row.station);
        let od = &mut self.open[i];
        match od.date {
            // A day closed whole is never continued (the caller of `push_whole_day` guarantees it); were it,
            // its rows would be lost, so it is refused as loudly as disorder.
            Some(d) if d == row.date && !od.closed => {}
            Some(d) if d >= row.date => {
                return Err(OrderError::OutOfOrder {
                    station: od.name.clone(),
                    previous: d,
                    date: row.date,
                });
            }
            Some(d) => {
                if !od.closed {
                    on_day(i, &od.name, d, &od.hours);
                }
                od.closed = false;
                od.hours.clear();
                od.date = Some(row.date);
            }
            None => od.date = Some(row.date),
        }
        if !od.hours.set(row.hour, &row.values) {
            return Err(OrderError::DuplicateHour {
                station: od.name.clone(),
                date: row.date,
                hour: row.hour,
            });
        }
        Ok(())
    }

    /// Closes every open day.
    pub fn finish(&mut self, mut on_day: impl FnMut(usize, &str, Date, &DayHours)) {
        for (i, od) in self.open.iter_mut().enumerate() {
            if let Some(d) = od.date.take()
                && !std::mem::take(&mut od.closed)
            {
                on_day(i, &od.name, d, &od.hours);
            }
            od.hours.clear();
        }
    }

    /// Number of stations seen.
    pub fn stations(&self) -> usize {
        self.open.len()
    }
}

/// The annual evaluation of one station and year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StationAnnual {
    pub station: String,
    pub annual: Annual,
}

/// The record of one station-day from its hourly values, under the edition `choice` gives for its date.
pub fn day_record(choice: EditionChoice, date: Date, hours: &DayHours) -> DayRecord {
    let ed = choice.for_date(date);
    let values: DailyValues = hj663::daily_values(hours, hj663::params(ed));
    DayRecord::evaluate(date, values, ed)
}

/// Streams hourly rows into per-station annual evaluations (`ecociv air annual`).
pub struct AnnualEngine {
    split: DaySplitter,
    /// Per station: the open year and what the annual evaluation needs of its days.
    years: Vec<(i32, Vec<DaySummary>)>,
    done: Vec<StationAnnual>,
    choice: EditionChoice,
}

impl AnnualEngine {
    pub fn new(choice: EditionChoice) -> Self {
        AnnualEngine {
            split: DaySplitter::default(),
            years: Vec::new(),
            done: Vec::new(),
            choice,
        }
    }

    fn add_day(
        years: &mut Vec<(i32, Vec<DaySummary>)>,
        done: &mut Vec<StationAnnual>,
        choice: EditionChoice,
        i: usize,
        name: &str,
        rec: DayRecord,
    ) {
        let date = rec.date;
        while years.len() <= i {
            years.push((0, Vec::new()));
        }
        let slot = &mut years[i];
        if !slot.1.is_empty() && slot.0 != date.year {
            let annual = hj663::annual(slot.0, &slot.1, choice.for_year(slot.0));
            done.push(StationAnnual {
                station: name.to_owned(),
                annual,
            });
            slot.1.clear();
        }
        slot.0 = date.year;
        if slot.1.capacity() == 0 {
            // a year of days at once (no copies as it grows)
            slot.1.reserve_exact(366);
        }
        slot.1.push(DaySummary::from(&rec));
    }

    /// Adds an hourly row.
    pub fn push(&mut self, row: &HourlyRow<'_>) -> Result<(), OrderError> {
        let AnnualEngine {
            split,
            years,
            done,
            choice,
        } = self;
        split.push(row, |i, name, date, hours| {
            Self::add_day(years, done, *choice, i, name, day_record(*choice, date, hours));
        })
    }

    /// Adds a whole station-day computed elsewhere ([`day_record`] of exactly the station's rows of that
    /// date, under this engine's edition choice) — what pushing those rows one by one would do, when it is
    /// sure to be the same: `false` (nothing done) unless the station's open day is older than `rec.date`.
    ///
    /// The caller guarantees that the station's next row, if any, has a later date (the day is whole); a
    /// row of the same date afterwards is refused as out of order.
    pub fn push_whole_day(&mut self, station: &str, rec: DayRecord) -> bool {
        let i = self.split.station(station);
        let (years, done, choice) = (&mut self.years, &mut self.done, &self.choice);
        let od = &mut self.split.open[i];
        if od.date.is_some_and(|d| d >= rec.date) {
            return false;
        }
        if let Some(d) = od.date
            && !od.closed
        {
            Self::add_day(years, done, *choice, i, &od.name, day_record(*choice, d, &od.hours));
        }
        od.hours.clear();
        od.date = Some(rec.date);
        od.closed = true;
        Self::add_day(years, done, *choice, i, &od.name, rec);
        true
    }

    /// The edition choice of this engine.
    pub fn choice(&self) -> EditionChoice {
        self.choice
    }

    /// Closes everything; results sorted by station then year.
    pub fn finish(mut self) -> Vec<StationAnnual> {
        let AnnualEngine {
            split,
            years,
            done,
            choice,
        } = &mut self;
        split.finish(|i, name, date, hours| {
            Self::add_day(years, done, *choice, i, name, day_record(*choice, date, hours));
        });
        for (i, od) in split.open.iter().enumerate() {
            if let Some((y, days)) = years.get(i)
                && !days.is_empty()
            {
                done.push(StationAnnual {
                    station: od.name.clone(),
                    annual: hj663::annual(*y, days, choice.for_year(*y)),
                });
            }
        }
        let mut out = std::mem::take(done);
        out.sort_by(|a, b| a.station.cmp(&b.station).then(a.annual.year.cmp(&b.annual.year)));
        out
    }
}
