//! Calendar dates and reporting periods. No clock: "today" is always a parameter.

use std::fmt;

use serde::Serialize;

/// A civil date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && (1900..=9999).contains(&year))
            .then_some(Date { year, month, day })
    }

    /// `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let t = text.trim();
        let bad = || format!("“{text}”不是日期 YYYY-MM-DD (not a date)");
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad());
        }
        let (y, m, d) = (
            parts[0].parse().map_err(|_| bad())?,
            parts[1].parse().map_err(|_| bad())?,
            parts[2].parse().map_err(|_| bad())?,
        );
        Date::new(y, m, d).ok_or_else(bad)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            year: y as i32,
            month: m,
            day: d,
        }
    }

    pub fn plus_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    pub fn end_of_year(year: i32) -> Date {
        Date {
            year,
            month: 12,
            day: 31,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<Date> for String {
    fn from(value: Date) -> String {
        value.to_string()
    }
}

/// How often departments report (报送周期); quarterly by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    Monthly,
    #[default]
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Periodicity {
    pub fn per_year(self) -> u8 {
        match self {
            Periodicity::Monthly => 12,
            Periodicity::Quarterly => 4,
            Periodicity::HalfYearly => 2,
            Periodicity::Yearly => 1,
        }
    }

    pub fn parse(text: &str) -> Result<Periodicity, String> {
        match text.trim() {
            "monthly" | "月" | "每月" => Ok(Periodicity::Monthly),
            "quarterly" | "季" | "每季度" => Ok(Periodicity::Quarterly),
            "half_yearly" | "半年" => Ok(Periodicity::HalfYearly),
            "yearly" | "年" | "每年" => Ok(Periodicity::Yearly),
            other => Err(format!(
                "未知报送周期“{other}” (unknown periodicity: monthly, quarterly, half_yearly, yearly)"
            )),
        }
    }
}

/// One reporting period: the `index`-th (1-based) of a year under a periodicity, e.g. 2025 Q3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub year: i32,
    pub index: u8,
    pub periodicity: Periodicity,
}

impl Period {
    pub fn new(year: i32, index: u8, periodicity: Periodicity) -> Option<Period> {
        (index >= 1 && index <= periodicity.per_year()).then_some(Period {
            year,
            index,
            periodicity,
        })
    }

    /// The last day of the period.
    pub fn end(self) -> Date {
        let months = 12 / self.periodicity.per_year();
        let month = self.index * months;
        Date {
            year: self.year,
            month,
            day: days_in_month(self.year, month),
        }
    }

    /// Periods that ended on or before `until`, from the first period of `from_year`.
    pub fn ended(periodicity: Periodicity, from_year: i32, until: Date) -> Vec<Period> {
        let mut out = Vec::new();
        for year in from_year..=until.year {
            for index in 1..=periodicity.per_year() {
                let p = Period {
                    year,
                    index,
                    periodicity,
                };
                if p.end() <= until {
                    out.push(p);
                }
            }
        }
        out
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.periodicity {
            Periodicity::Monthly => write!(f, "{}年{}月", self.year, self.index),
            Periodicity::Quarterly => write!(f, "{}年第{}季度", self.year, self.index),
            Periodicity::HalfYearly => write!(f, "{}年{}半年", self.year, if self.index == 1 { "上" } else { "下" }),
            Periodicity::Yearly => write!(f, "{}年", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_arithmetic_round_trips_and_knows_leap_years() {
        let d = Date::parse("2024-02-28").unwrap();
        assert_eq!(d.plus_days(1).to_string(), "2024-02-29");
        assert_eq!(d.plus_days(2).to_string(), "2024-03-01");
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        for n in [-1000_i64, 0, 1, 19_000, 20_000, 40_000] {
            assert_eq!(Date::from_days(n).days(), n);
        }
        assert!(Date::parse("2025-02-29").is_err());
        assert!(Date::parse("2025-2-1").is_err());
        assert_eq!(
            Period::new(2025, 1, Periodicity::Quarterly).unwrap().end().to_string(),
            "2025-03-31"
        );
        assert_eq!(
            Period::new(2024, 1, Periodicity::Monthly).unwrap().end(),
            Date::new(2024, 1, 31).unwrap()
        );
        assert_eq!(Period::new(2024, 2, Periodicity::Monthly).unwrap().end().day, 29);
        assert_eq!(
            Period::ended(Periodicity::Quarterly, 2025, Date::parse("2025-07-01").unwrap()).len(),
            2
        );
    }
}
