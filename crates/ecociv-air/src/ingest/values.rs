//! One station's values given one at a time instead of as CSV rows — a store's readings, one series
//! (pollutant) after another — read by the CSV readers' own rules ([`super::read_hourly`],
//! [`super::read_daily`]: the station's name, each date and hour, each value's text) and handed to a
//! [`ZoneEngine`] as the rows those readers give for the station's rows of a file, so the figures are the
//! file's. Pure: no IO.

use super::{DAILY_HEADER, HOURLY_HEADER, InputError, station_field, value_field};
use crate::edition::Date;
use crate::hj633::DailyInput;
use crate::station::{HourlyRow, OrderError};
use crate::zone::ZoneEngine;

/// One station's hourly (or daily) values, gathered in any order, handed over in time order.
pub struct StationValues {
    source: String,
    station: String,
    daily: bool,
    /// (date, hour — 0 for daily values —, column in the header, value).
    values: Vec<(Date, u8, u8, Option<i64>)>,
}

impl StationValues {
    /// The hourly values of `station` (the columns of [`HOURLY_HEADER`] after `station,date,hour`);
    /// `source` names them in messages. A name the hourly reader refuses is refused.
    pub fn hourly(source: &str, station: &str) -> Result<StationValues, InputError> {
        StationValues::new(source, station, false)
    }

    /// The daily values of `station` (the columns of [`DAILY_HEADER`] after `station,date`).
    pub fn daily(source: &str, station: &str) -> Result<StationValues, InputError> {
        StationValues::new(source, station, true)
    }

    fn new(source: &str, station: &str, daily: bool) -> Result<StationValues, InputError> {
        let mut values = StationValues {
            source: source.to_owned(),
            station: station.to_owned(),
            daily,
            values: Vec::new(),
        };
        match station_field(station.as_bytes()) {
            Ok(name) => {
                values.station = name.to_owned();
                Ok(values)
            }
            Err(message) => Err(values.error(Some(0), message)),
        }
    }

    fn header(&self) -> &'static [&'static str] {
        if self.daily { &DAILY_HEADER } else { &HOURLY_HEADER }
    }

    fn first_value(&self) -> usize {
        if self.daily { 2 } else { 3 }
    }

    /// The column of a value's name in the file's header (`pm25`, …); `None` for a name that is not one of
    /// the file's values.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header()
            .iter()
            .position(|c| *c == name)
            .filter(|&c| c >= self.first_value())
    }

    /// A value of `column` ([`StationValues::column`]) on `(year, month, day)` at `hour` (0–23; not
    /// read for daily values), given as its text in the file (empty: missing).
    pub fn push(
        &mut self,
        column: usize,
        (year, month, day): (i32, u8, u8),
        hour: u8,
        text: &[u8],
    ) -> Result<(), InputError> {
        let Some(date) = Date::in_range(year, month, day) else {
            return Err(self.error(
                Some(1),
                format!("日期无效（应为 YYYY-MM-DD）/ invalid date (YYYY-MM-DD): `{year:04}-{month:02}-{day:02}`"),
            ));
        };
        let hour = if self.daily { 0 } else { hour };
        if hour > 23 {
            return Err(self.error(Some(2), format!("小时应为 0–23 / hour must be 0–23: `{hour}`")));
        }
        let value =
            value_field(text).map_err(|message| self.error(Some(column), format!("{date} {hour} 时: {message}")))?;
        let column = u8::try_from(column)
            .ok()
            .filter(|c| usize::from(*c) < self.header().len());
        let Some(column) = column.filter(|c| usize::from(*c) >= self.first_value()) else {
            return Err(self.error(None, "不是数值列 / not a value column".into()));
        };
        self.values.push((date, hour, column, value));
        Ok(())
    }

    /// Hands the station's rows to `engine`, in time order: one row per date and hour (daily: per date)
    /// with a value given, the values not given missing — what the readers read from the station's rows.
    /// A value given twice is refused, as the readers refuse an hour (a day) given twice.
    pub fn into_engine(mut self, engine: &mut ZoneEngine) -> Result<(), InputError> {
        self.values
            .sort_unstable_by_key(|&(date, hour, column, _)| (date, hour, column));
        let first = self.first_value();
        let mut i = 0;
        while i < self.values.len() {
            let (date, hour, _, _) = self.values[i];
            let mut row = [None; 7];
            let mut j = i;
            while let Some(&(d, h, column, value)) = self.values.get(j)
                && (d, h) == (date, hour)
            {
                if j > i && self.values[j - 1].2 == column {
                    let message = if self.daily {
                        format!(
                            "站点 {} 的 {date} 重复 / station {} on {date} given twice",
                            self.station, self.station
                        )
                    } else {
                        OrderError::DuplicateHour {
                            station: self.station.clone(),
                            date,
                            hour,
                        }
                        .to_string()
                    };
                    return Err(self.error(Some(usize::from(column)), message));
                }
                row[usize::from(column) - first] = value;
                j += 1;
            }
            if self.daily {
                let [so2, no2, pm10, co, o3_1h, o3_8h, pm25] = row;
                let input = DailyInput {
                    so2,
                    no2,
                    pm10,
                    co,
                    o3_1h,
                    o3_8h,
                    pm25,
                };
                engine.push_daily(&self.station, date, &input);
            } else {
                let [so2, no2, pm10, co, o3, pm25, _] = row;
                let row = HourlyRow {
                    station: &self.station,
                    date,
                    hour,
                    values: [so2, no2, pm10, co, o3, pm25],
                };
                engine.push(&row).map_err(|e| self.error(None, e.to_string()))?;
            }
            i = j;
        }
        Ok(())
    }

    fn error(&self, column: Option<usize>, message: String) -> InputError {
        InputError {
            file: self.source.clone(),
            line: None,
            column: column.map(|c| c + 1),
            field: column.and_then(|c| self.header().get(c)).map(|s| (*s).to_owned()),
            message: format!("站点 {} / station {}: {message}", self.station, self.station),
            ..Default::default()
        }
    }
}
