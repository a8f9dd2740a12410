//! Editions of the air standards and the calendar date that selects one.
//!
//! HJ 633-2026, HJ 663-2026 and GB 3095-2026 apply to data from 2026-03-01; earlier data is judged under
//! HJ 633-2012, HJ 663-2013 and GB 3095-2012 (standards.md, note at the top and §1.7). The choice is by the
//! date of the data, unless the user fixes an edition (`--edition`).

use std::fmt;

/// A set of air standards in force together (标准版本).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edition {
    /// HJ 633-2012 + HJ 663-2013 + GB 3095-2012.
    E2012,
    /// HJ 633-2026 + HJ 663-2026 + GB 3095-2026 (in force from 2026-03-01).
    E2026,
}

/// The first day on which the 2026 editions apply.
pub const EDITION_2026_FROM: Date = Date {
    year: 2026,
    month: 3,
    day: 1,
};

impl Edition {
    /// The edition in force on `date`.
    pub fn for_date(date: Date) -> Edition {
        if date >= EDITION_2026_FROM {
            Edition::E2026
        } else {
            Edition::E2012
        }
    }
    /// The AQI standard's code, e.g. "HJ 633-2012".
    pub fn aqi_standard(self) -> &'static str {
        match self {
            Edition::E2012 => "HJ 633-2012",
            Edition::E2026 => "HJ 633-2026",
        }
    }
    /// The evaluation standard's code, e.g. "HJ 663-2013".
    pub fn evaluation_standard(self) -> &'static str {
        match self {
            Edition::E2012 => "HJ 663-2013",
            Edition::E2026 => "HJ 663-2026",
        }
    }
    /// The limits standard's code, e.g. "GB 3095-2012".
    pub fn limits_standard(self) -> &'static str {
        match self {
            Edition::E2012 => "GB 3095-2012",
            Edition::E2026 => "GB 3095-2026",
        }
    }
    /// Short label used in data files and on the command line: "2012" or "2026".
    pub fn label(self) -> &'static str {
        match self {
            Edition::E2012 => "2012",
            Edition::E2026 => "2026",
        }
    }
    /// Parses "2012" / "2026" (also accepts "2013" for the HJ 663-2013 evaluation edition).
    pub fn parse(s: &str) -> Option<Edition> {
        match s.trim() {
            "2012" | "2013" => Some(Edition::E2012),
            "2026" => Some(Edition::E2026),
            _ => None,
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {} / {}",
            self.aqi_standard(),
            self.evaluation_standard(),
            self.limits_standard()
        )
    }
}

/// How the edition is chosen: by the data's date, or fixed by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EditionChoice {
    /// By date: before 2026-03-01 → 2012, from 2026-03-01 → 2026.
    #[default]
    ByDate,
    /// Always this edition (`--edition`).
    Fixed(Edition),
}

impl EditionChoice {
    /// The edition for data of `date`.
    pub fn for_date(self, date: Date) -> Edition {
        match self {
            EditionChoice::ByDate => Edition::for_date(date),
            EditionChoice::Fixed(e) => e,
        }
    }
    /// The edition for the annual evaluation of `year`: the one in force on the year's last day.
    pub fn for_year(self, year: i32) -> Edition {
        self.for_date(Date {
            year,
            month: 12,
            day: 31,
        })
    }
}

/// A calendar date (Gregorian), local time of the station.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A checked date; `None` when the day does not exist (the check is `jiff`'s Gregorian calendar,
    /// the workspace's one calendar).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        civil(year, month, day)?;
        Some(Date { year, month, day })
    }

    /// The same day as a `jiff` civil date; `None` for fields that name no day (only a `Date` written
    /// as a struct literal can have them).
    pub fn civil(self) -> Option<jiff::civil::Date> {
        civil(self.year, self.month, self.day)
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`) strictly; years 1900–2999.
    pub fn parse(b: &[u8]) -> Option<Date> {
        let b = trim(b);
        if b.len() != 10 || b[4] != b[7] || !(b[4] == b'-' || b[4] == b'/') {
            return None;
        }
        let num = |s: &[u8]| -> Option<u32> {
            let mut v = 0u32;
            for &c in s {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + u32::from(c - b'0');
            }
            Some(v)
        };
        let y = num(&b[0..4])?;
        let m = num(&b[5..7])?;
        let d = num(&b[8..10])?;
        Date::in_range(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
    }

    /// A date the readers accept: a day that exists ([`Date::new`]) in the years 1900–2999.
    pub fn in_range(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1900..=2999).contains(&year) {
            return None;
        }
        Date::new(year, month, day)
    }

    /// Day of the year, 1-based (0 for fields that name no day).
    pub fn ordinal(self) -> u16 {
        self.civil()
            .and_then(|date| u16::try_from(date.day_of_year()).ok())
            .unwrap_or(0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn civil(year: i32, month: u8, day: u8) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// Whether `year` is a leap year (Gregorian, by `jiff`).
pub fn is_leap(year: i32) -> bool {
    civil(year, 1, 1).is_some_and(|date| date.in_leap_year())
}

/// Number of days in `month` (1–12) of `year`, by `jiff`; 0 for an invalid month.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    civil(year, month, 1).map_or(0, |date| date.days_in_month().unsigned_abs())
}

#[inline]
pub(crate) fn trim(b: &[u8]) -> &[u8] {
    let mut s = 0;
    let mut e = b.len();
    while s < e && b[s] == b' ' {
        s += 1;
    }
    while e > s && b[e - 1] == b' ' {
        e -= 1;
    }
    &b[s..e]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edition_switches_on_2026_03_01() {
        assert_eq!(Edition::for_date(Date::new(2026, 2, 28).unwrap()), Edition::E2012);
        assert_eq!(Edition::for_date(Date::new(2026, 3, 1).unwrap()), Edition::E2026);
        assert_eq!(Edition::for_date(Date::new(2021, 7, 1).unwrap()), Edition::E2012);
        let fixed = EditionChoice::Fixed(Edition::E2026);
        assert_eq!(fixed.for_date(Date::new(2021, 7, 1).unwrap()), Edition::E2026);
        assert_eq!(EditionChoice::ByDate.for_year(2026), Edition::E2026);
        assert_eq!(EditionChoice::ByDate.for_year(2025), Edition::E2012);
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(Date::parse(b"2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse(b"2023-02-29"), None);
        assert_eq!(Date::parse(b"2023/12/31"), Date::new(2023, 12, 31));
        assert_eq!(Date::parse(b"2023-12/31"), None);
        assert_eq!(Date::parse(b"2023-13-01"), None);
        assert_eq!(Date::parse(b"23-01-01"), None);
        assert_eq!(Date::parse(b"2023-01-0x"), None);
        assert_eq!(Date::new(2024, 12, 31).unwrap().ordinal(), 366);
        assert_eq!(Date::new(2023, 3, 1).unwrap().ordinal(), 60);
    }
}
