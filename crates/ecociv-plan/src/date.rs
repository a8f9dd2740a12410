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
    civil(year, month, 1).map_or(0, |d| d.days_in_month() as u8)
}

/// The calendar is jiff's (one calendar for the workspace); `Date` is the plain value the plan's types
/// carry and serialise.
fn civil(year: i32, month: u8, day: u8) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1900..=9999).contains(&year) && civil(year, month, day).is_some()).then_some(Date { year, month, day })
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

    fn to_civil(self) -> jiff::civil::Date {
        civil(self.year, self.month, self.day).unwrap_or(EPOCH)
    }

    fn of_civil(d: jiff::civil::Date) -> Date {
        Date {
            year: i32::from(d.year()),
            month: d.month() as u8,
            day: d.day() as u8,
        }
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        self.to_civil().duration_since(EPOCH).as_secs().div_euclid(86_400)
    }

    /// The date `z` days after 1970-01-01 (clamped to jiff's range, years −9999…9999).
    pub fn from_days(z: i64) -> Date {
        let z = z.clamp(-4_371_587, 2_932_896);
        Date::of_civil(
            EPOCH
                .checked_add(jiff::SignedDuration::from_hours(z * 24))
                .unwrap_or(EPOCH),
        )
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

    /// The machine name, read back by [`Periodicity::parse`].
    pub fn as_str(self) -> &'static str {
        match self {
            Periodicity::Monthly => "monthly",
            Periodicity::Quarterly => "quarterly",
            Periodicity::HalfYearly => "half_yearly",
            Periodicity::Yearly => "yearly",
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
