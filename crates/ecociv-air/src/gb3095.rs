//! GB 3095-2012 and GB 3095-2026 环境空气质量标准 — concentration limits (Table 1, basic items).
//!
//! Values from `data/gb3095.csv` (standards.md §2.7 for 2012, §2.8 for 2026). GB 3095-2026 has a
//! transition phase (to 2030-12-31) and a final phase (from 2031-01-01); the phase is chosen by the year
//! evaluated. Class 2 (二类区, grade II) is the class of residential and mixed areas, the one indicator 7 uses.

use crate::edition::Edition;
use crate::tables;

/// A pollutant of GB 3095 Table 1 (basic items).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pollutant {
    So2,
    No2,
    Co,
    O3,
    Pm10,
    Pm25,
}

impl Pollutant {
    pub fn code(self) -> &'static str {
        match self {
            Pollutant::So2 => "so2",
            Pollutant::No2 => "no2",
            Pollutant::Co => "co",
            Pollutant::O3 => "o3",
            Pollutant::Pm10 => "pm10",
            Pollutant::Pm25 => "pm25",
        }
    }
}

/// An averaging period of Table 1 (平均时间).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Annual,
    Day24h,
    /// O3 daily maximum 8-h mean.
    Max8h,
    Hour1h,
}

impl Period {
    fn code(self) -> &'static str {
        match self {
            Period::Annual => "annual",
            Period::Day24h => "24h",
            Period::Max8h => "8h",
            Period::Hour1h => "1h",
        }
    }
}

/// Functional class of area (环境空气功能区类别): grade I or II limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    One,
    Two,
}

/// A limit with the standard (and phase) it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    /// In milli-units (µg/m³; CO mg/m³).
    pub value_milli: i64,
    pub edition: Edition,
    /// "transition" / "final" for GB 3095-2026, empty for 2012.
    pub phase: &'static str,
    /// Confidence tag of the row (V2, V1, M, C), see `data/README.md`.
    pub confidence: String,
}

/// The GB 3095 phase applying in `year` for `edition`.
pub fn phase(edition: Edition, year: i32) -> &'static str {
    match edition {
        Edition::E2012 => "",
        Edition::E2026 if year <= 2030 => "transition",
        Edition::E2026 => "final",
    }
}

/// The limit of `pollutant` for `period` and `class`, under `edition`, for the year evaluated.
pub fn limit(edition: Edition, year: i32, pollutant: Pollutant, period: Period, class: Class) -> Option<Limit> {
    let t = tables::gb3095();
    let ph = phase(edition, year);
    let (cp, cpo, cpe, c1, c2, cc) = (
        t.col("phase"),
        t.col("pollutant"),
        t.col("period"),
        t.col("grade1"),
        t.col("grade2"),
        t.col("confidence"),
    );
    t.for_edition(edition.label())
        .find(|r| r[cp] == ph && r[cpo] == pollutant.code() && r[cpe] == period.code())
        .map(|r| Limit {
            value_milli: tables::milli(t.name, &r[if class == Class::One { c1 } else { c2 }]),
            edition,
            phase: ph,
            confidence: r[cc].clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class2_limits() {
        let l = |e, y, p, per| limit(e, y, p, per, Class::Two).map(|l| l.value_milli);
        assert_eq!(l(Edition::E2012, 2021, Pollutant::Pm25, Period::Annual), Some(35_000));
        assert_eq!(l(Edition::E2026, 2026, Pollutant::Pm25, Period::Annual), Some(30_000));
        assert_eq!(l(Edition::E2026, 2031, Pollutant::Pm25, Period::Annual), Some(25_000));
        assert_eq!(l(Edition::E2012, 2021, Pollutant::Co, Period::Day24h), Some(4_000));
        assert_eq!(l(Edition::E2012, 2021, Pollutant::O3, Period::Max8h), Some(160_000));
        assert_eq!(l(Edition::E2012, 2021, Pollutant::Co, Period::Annual), None);
    }
}
