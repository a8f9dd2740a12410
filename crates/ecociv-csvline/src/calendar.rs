//! The calendar of the dates the readers and pages handle: **one adapter** from a plain (year, month,
//! day) to `jiff`'s civil date — the workspace's one calendar — used by `ecociv-air` (`edition::Date`),
//! `ecociv-plan` (`date::Date`) and `ecociv-web` (dates shown on pages), so none of them keeps its own
//! month lengths or leap-year rule.

/// The civil date of (year, month, day), `None` for a date the Gregorian calendar does not have (or a
/// year beyond jiff's range, −9999…9999).
pub fn civil(year: i32, month: u8, day: u8) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// Days in a month of the Gregorian calendar; 0 for an invalid month or year.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    civil(year, month, 1).map_or(0, |date| date.days_in_month().unsigned_abs())
}

/// Whether `year` is a leap year (Gregorian).
pub fn is_leap(year: i32) -> bool {
    civil(year, 1, 1).is_some_and(|date| date.in_leap_year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_leap_years_follow_the_gregorian_calendar() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2023, 13), 0);
        assert!(is_leap(2000) && !is_leap(2100));
        assert!(civil(2023, 2, 29).is_none());
        assert!(civil(100_000, 1, 1).is_none());
    }
}
