//! HJ 633-2012 and HJ 633-2026 环境空气质量指数(AQI)技术规定 — the air quality index.
//!
//! Implements, per edition (tables in `data/hj633-*.csv`):
//! * 表1 IAQI breakpoints and formula (1): linear interpolation between the bracketing breakpoints,
//!   continuous segments, result **rounded up** to an integer (HJ 633-2026 §4.2.6; practice for 2012,
//!   standards.md §1.2–1.3). Concentrations are first rounded (µg/m³ to integers, CO mg/m³ to one decimal,
//!   GB/T 8170). Above the top breakpoint the IAQI is capped at 500 (practice, §1.2).
//! * the special cases under 表1 (2012: SO2 1-h > 800 → 24-h IAQI, O3 8-h > 800 → 1-h IAQI; 2026: fixed
//!   IAQI 200 / 300), read from `data/hj633-special.csv` (§1.1 notes 2–3, §1.7);
//! * AQI = max IAQI; primary pollutant(s) (首要污染物) when AQI > 50, ties listed together (§1.4);
//!   exceeding pollutants (超标污染物, IAQI > 100; 2012 only, §1.4);
//! * 表2 levels, categories and colours (§1.5);
//! * the daily report (日报, 24-h columns plus O3 daily max 1-h and 8-h) and the real-time report
//!   (实时报, 1-h columns, O3 8-h moving mean, PM moving means on the 24-h columns) (§1.6).
//!
//! All arithmetic is exact (integers of thousandths, see [`crate::rounding`]).

use std::fmt;
use std::sync::OnceLock;

use crate::edition::Edition;
use crate::rounding::{MILLI, div_ceil, div_round_half_even};
use crate::tables;

/// A breakpoint column of 表1 (a pollutant and its averaging time).
#[allow(non_camel_case_types)] // names follow the standard's columns
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    So2_24h,
    So2_1h,
    No2_24h,
    No2_1h,
    Pm10_24h,
    Co_24h,
    Co_1h,
    O3_1h,
    O3_8h,
    Pm25_24h,
}

/// All columns of 表1, in file order.
pub const COLUMNS: [Column; 10] = [
    Column::So2_24h,
    Column::So2_1h,
    Column::No2_24h,
    Column::No2_1h,
    Column::Pm10_24h,
    Column::Co_24h,
    Column::Co_1h,
    Column::O3_1h,
    Column::O3_8h,
    Column::Pm25_24h,
];

impl Column {
    /// Column name in the data files, e.g. `so2_24h`.
    pub fn code(self) -> &'static str {
        match self {
            Column::So2_24h => "so2_24h",
            Column::So2_1h => "so2_1h",
            Column::No2_24h => "no2_24h",
            Column::No2_1h => "no2_1h",
            Column::Pm10_24h => "pm10_24h",
            Column::Co_24h => "co_24h",
            Column::Co_1h => "co_1h",
            Column::O3_1h => "o3_1h",
            Column::O3_8h => "o3_8h",
            Column::Pm25_24h => "pm25_24h",
        }
    }
    /// Whether the column is CO (mg/m³, one decimal) rather than µg/m³ (integers).
    pub fn is_co(self) -> bool {
        matches!(self, Column::Co_24h | Column::Co_1h)
    }
    fn index(self) -> usize {
        COLUMNS.iter().position(|&c| c == self).unwrap_or(0)
    }
    fn from_code(s: &str) -> Option<Column> {
        COLUMNS.iter().copied().find(|c| c.code() == s)
    }
}

/// Rounds a concentration (milli-units) as HJ 633 requires before the lookup: µg/m³ to an integer,
/// CO (mg/m³) to one decimal, half to even (GB/T 8170, standards.md §1.3).
pub fn round_concentration(is_co: bool, milli: i64) -> i64 {
    if is_co {
        div_round_half_even(milli, 100) * 100
    } else {
        div_round_half_even(milli, MILLI) * MILLI
    }
}

/// An item of an AQI report (分指数项目): the seven sub-indices of the daily report.
#[allow(non_camel_case_types)] // names follow the output codes
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    So2,
    No2,
    Pm10,
    Co,
    O3_1h,
    O3_8h,
    Pm25,
}

/// Report items in output order.
pub const ITEMS: [Item; 7] = [
    Item::So2,
    Item::No2,
    Item::Pm10,
    Item::Co,
    Item::O3_1h,
    Item::O3_8h,
    Item::Pm25,
];

impl Item {
    /// Code used in CSV output (`so2`, `no2`, `pm10`, `co`, `o3_1h`, `o3_8h`, `pm25`).
    pub fn code(self) -> &'static str {
        match self {
            Item::So2 => "so2",
            Item::No2 => "no2",
            Item::Pm10 => "pm10",
            Item::Co => "co",
            Item::O3_1h => "o3_1h",
            Item::O3_8h => "o3_8h",
            Item::Pm25 => "pm25",
        }
    }
    /// Position in [`ITEMS`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A set of report items (e.g. the primary pollutants), without allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItemSet(u8);

impl ItemSet {
    pub fn insert(&mut self, i: Item) {
        self.0 |= 1 << i.index();
    }
    pub fn contains(self, i: Item) -> bool {
        self.0 & (1 << i.index()) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn iter(self) -> impl Iterator<Item = Item> {
        ITEMS.into_iter().filter(move |&i| self.contains(i))
    }
}

impl fmt::Display for ItemSet {
    /// Codes joined by `;`, in [`ITEMS`] order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, i) in self.iter().enumerate() {
            if n > 0 {
                f.write_str(";")?;
            }
            f.write_str(i.code())?;
        }
        Ok(())
    }
}

/// What the table says about a concentration above a column's special threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    /// Report the IAQI computed from another column instead (2012 rules).
    UseIaqiOf(Column),
    /// Report this IAQI (2026 rules).
    Fixed(u16),
}

/// Outcome of a lookup in one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Value(u16),
    Special(Special),
}

/// An AQI level of 表2 (空气质量指数级别) with its category (类别) and colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    pub level: u8,
    pub aqi_min: u16,
    pub aqi_max: Option<u16>,
    pub category_zh: String,
    pub category_en: String,
    pub colour_zh: String,
    pub rgb: String,
}

/// The AQI rules of one edition, loaded from the embedded tables.
#[derive(Debug)]
pub struct AqiTable {
    pub edition: Edition,
    points: [Vec<(i64, i64)>; 10],
    special: [Option<(i64, Special)>; 10],
    /// Whether the daily AQI includes the O3 daily max 1-h IAQI (see `data/hj633-params.csv`; 2026 is [C]).
    pub daily_includes_o3_1h: bool,
    /// Hours of the PM10/PM2.5 window of the real-time report: 1 (the hour's value) or 24 (the moving mean);
    /// a [C] doubt kept in `data/hj633-params.csv` (see [`crate::realtime`]).
    pub realtime_pm_window_hours: u8,
    cap: u16,
    levels: Vec<Level>,
}

/// The AQI rules of `edition`.
pub fn table(edition: Edition) -> &'static AqiTable {
    static T12: OnceLock<AqiTable> = OnceLock::new();
    static T26: OnceLock<AqiTable> = OnceLock::new();
    match edition {
        Edition::E2012 => T12.get_or_init(|| AqiTable::load(Edition::E2012)),
        Edition::E2026 => T26.get_or_init(|| AqiTable::load(Edition::E2026)),
    }
}

impl AqiTable {
    fn load(edition: Edition) -> AqiTable {
        let bp = tables::hj633_breakpoints(edition);
        let ic = bp.col("iaqi");
        let mut points: [Vec<(i64, i64)>; 10] = Default::default();
        for (k, col) in COLUMNS.iter().enumerate() {
            let c = bp.col(col.code());
            for row in &bp.rows {
                if !row[c].is_empty() {
                    points[k].push((tables::int(bp.name, &row[ic]), tables::milli(bp.name, &row[c])));
                }
            }
            assert!(points[k].len() >= 2, "{}: column {} too short", bp.name, col.code());
            assert!(
                points[k].windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1),
                "{}: {} not increasing",
                bp.name,
                col.code()
            );
        }
        let sp = tables::hj633_special();
        let mut special = [None; 10];
        let (cc, ca, cx, cv) = (sp.col("column"), sp.col("above"), sp.col("action"), sp.col("value"));
        for row in sp.for_edition(edition.label()) {
            let col = Column::from_code(&row[cc]).unwrap_or_else(|| panic!("{}: column {}", sp.name, row[cc]));
            let action = match row[cx].as_str() {
                "use_iaqi_of" => Special::UseIaqiOf(
                    Column::from_code(&row[cv]).unwrap_or_else(|| panic!("{}: column {}", sp.name, row[cv])),
                ),
                "fixed_iaqi" => Special::Fixed(tables::int(sp.name, &row[cv]) as u16),
                a => panic!("{}: unknown action {a}", sp.name),
            };
            special[col.index()] = Some((tables::milli(sp.name, &row[ca]), action));
        }
        let p = tables::hj633_params().params(edition.label());
        let daily_includes_o3_1h = tables::param("hj633-params.csv", &p, "daily_includes_o3_1h") != 0;
        let realtime_pm_window_hours = match tables::param("hj633-params.csv", &p, "realtime_pm_window_hours") {
            1 => 1,
            24 => 24,
            v => panic!("hj633-params.csv: realtime_pm_window_hours must be 1 or 24, not {v}"),
        };
        let cap = tables::param("hj633-params.csv", &p, "cap_iaqi_above_table") as u16;
        let lv = tables::hj633_levels();
        let (l, lo, hi, zh, en, cz, rgb) = (
            lv.col("level"),
            lv.col("aqi_min"),
            lv.col("aqi_max"),
            lv.col("category_zh"),
            lv.col("category_en"),
            lv.col("colour_zh"),
            lv.col("rgb"),
        );
        let levels = lv
            .rows
            .iter()
            .map(|r| Level {
                level: tables::int(lv.name, &r[l]) as u8,
                aqi_min: tables::int(lv.name, &r[lo]) as u16,
                aqi_max: if r[hi].is_empty() {
                    None
                } else {
                    Some(tables::int(lv.name, &r[hi]) as u16)
                },
                category_zh: r[zh].clone(),
                category_en: r[en].clone(),
                colour_zh: r[cz].clone(),
                rgb: r[rgb].clone(),
            })
            .collect();
        AqiTable {
            edition,
            points,
            special,
            daily_includes_o3_1h,
            realtime_pm_window_hours,
            cap,
            levels,
        }
    }

    /// The breakpoints of a column as `(IAQI, concentration in milli-units)`.
    pub fn breakpoints(&self, col: Column) -> &[(i64, i64)] {
        &self.points[col.index()]
    }

    /// The special threshold of a column (milli-units) and its rule, if the edition has one.
    pub fn special(&self, col: Column) -> Option<(i64, Special)> {
        self.special[col.index()]
    }

    /// IAQI of a concentration (milli-units, already rounded with [`round_concentration`]) in `col`:
    /// formula (1) of HJ 633, rounded up.
    pub fn lookup(&self, col: Column, c: i64) -> Lookup {
        if let Some((above, rule)) = self.special[col.index()]
            && c > above
        {
            return Lookup::Special(rule);
        }
        let pts = &self.points[col.index()];
        for w in pts.windows(2) {
            let ((i_lo, bp_lo), (i_hi, bp_hi)) = (w[0], w[1]);
            if c <= bp_hi {
                let c = c.max(bp_lo);
                let v = i_lo + div_ceil((i_hi - i_lo) * (c - bp_lo), bp_hi - bp_lo);
                return Lookup::Value(v as u16);
            }
        }
        Lookup::Value(self.cap)
    }

    /// IAQI of an unrounded concentration (milli-units) in `col`, resolving a special rule with `other`
    /// (the concentration of the column it refers to). `None` when not evaluated.
    fn resolve(&self, col: Column, c: Option<i64>, other: impl Fn(Column) -> Option<i64>) -> (Option<u16>, bool) {
        let Some(c) = c else { return (None, false) };
        match self.lookup(col, round_concentration(col.is_co(), c)) {
            Lookup::Value(v) => (Some(v), false),
            Lookup::Special(Special::Fixed(v)) => (Some(v), false),
            Lookup::Special(Special::UseIaqiOf(o)) => {
                let v = other(o)
                    .map(|x| self.lookup(o, round_concentration(o.is_co(), x)))
                    .and_then(|l| match l {
                        Lookup::Value(v) | Lookup::Special(Special::Fixed(v)) => Some(v),
                        Lookup::Special(Special::UseIaqiOf(_)) => None,
                    });
                (v, true)
            }
        }
    }

    /// The daily report (日报) from 24-h values and the O3 daily maxima.
    pub fn daily(&self, d: &DailyInput) -> AqiResult {
        let mut iaqi = [None; 7];
        let one = |col, c| self.resolve(col, c, |_| None).0;
        iaqi[Item::So2.index()] = one(Column::So2_24h, d.so2);
        iaqi[Item::No2.index()] = one(Column::No2_24h, d.no2);
        iaqi[Item::Pm10.index()] = one(Column::Pm10_24h, d.pm10);
        iaqi[Item::Co.index()] = one(Column::Co_24h, d.co);
        iaqi[Item::Pm25.index()] = one(Column::Pm25_24h, d.pm25);
        let (o8, replaced) = self.resolve(
            Column::O3_8h,
            d.o3_8h,
            |o| if o == Column::O3_1h { d.o3_1h } else { None },
        );
        if replaced {
            // 2012: the 8-h value is not indexed; O3's IAQI is the 1-h one (reported in the o3_1h item).
            iaqi[Item::O3_8h.index()] = None;
            iaqi[Item::O3_1h.index()] = o8;
        } else {
            iaqi[Item::O3_8h.index()] = o8;
            if self.daily_includes_o3_1h {
                iaqi[Item::O3_1h.index()] = one(Column::O3_1h, d.o3_1h);
            }
        }
        AqiResult::from_iaqi(self.edition, iaqi)
    }

    /// The real-time report (实时报) from 1-h values, the O3 8-h moving mean and the PM moving means.
    pub fn hourly(&self, h: &HourlyInput) -> AqiResult {
        let mut iaqi = [None; 7];
        let one = |col, c| self.resolve(col, c, |_| None).0;
        let (so2, _) = self.resolve(Column::So2_1h, h.so2_1h, |o| {
            if o == Column::So2_24h { h.so2_24h } else { None }
        });
        iaqi[Item::So2.index()] = so2;
        iaqi[Item::No2.index()] = one(Column::No2_1h, h.no2_1h);
        iaqi[Item::Pm10.index()] = one(Column::Pm10_24h, h.pm10);
        iaqi[Item::Co.index()] = one(Column::Co_1h, h.co_1h);
        iaqi[Item::Pm25.index()] = one(Column::Pm25_24h, h.pm25);
        iaqi[Item::O3_1h.index()] = one(Column::O3_1h, h.o3_1h);
        let (o8, replaced) = self.resolve(
            Column::O3_8h,
            h.o3_8h,
            |o| if o == Column::O3_1h { h.o3_1h } else { None },
        );
        // When replaced (2012), O3's IAQI is the 1-h one, already in the o3_1h item.
        iaqi[Item::O3_8h.index()] = if replaced { None } else { o8 };
        AqiResult::from_iaqi(self.edition, iaqi)
    }

    /// The level of an AQI value (表2).
    pub fn level(&self, aqi: u16) -> &Level {
        self.levels
            .iter()
            .find(|l| aqi >= l.aqi_min && l.aqi_max.is_none_or(|m| aqi <= m))
            .unwrap_or_else(|| &self.levels[self.levels.len() - 1])
    }

    /// All levels of 表2.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }
}

/// Inputs of the daily report, in milli-units (µg/m³; CO mg/m³), unrounded; `None` = missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DailyInput {
    pub so2: Option<i64>,
    pub no2: Option<i64>,
    pub pm10: Option<i64>,
    pub co: Option<i64>,
    /// O3 daily maximum 1-h mean.
    pub o3_1h: Option<i64>,
    /// O3 daily maximum 8-h moving mean.
    pub o3_8h: Option<i64>,
    pub pm25: Option<i64>,
}

/// Inputs of the real-time report, in milli-units; `None` = missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HourlyInput {
    pub so2_1h: Option<i64>,
    /// SO2 24-h (moving) mean, used by the 2012 rule when SO2 1-h > 800.
    pub so2_24h: Option<i64>,
    pub no2_1h: Option<i64>,
    /// PM10 1-h or 24-h moving mean (24-h column applies, standards.md §1.1 note).
    pub pm10: Option<i64>,
    pub co_1h: Option<i64>,
    pub o3_1h: Option<i64>,
    /// O3 8-h moving mean.
    pub o3_8h: Option<i64>,
    pub pm25: Option<i64>,
}

/// An AQI report: sub-indices, AQI, primary pollutants, and the edition that produced it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AqiResult {
    pub edition: Edition,
    /// The AQI; `None` when no sub-index could be computed.
    pub aqi: Option<u16>,
    /// Sub-indices in [`ITEMS`] order; `None` = missing input or not evaluated.
    pub iaqi: [Option<u16>; 7],
    /// Primary pollutant(s) (首要污染物): empty when AQI ≤ 50.
    pub primary: ItemSet,
}

impl AqiResult {
    fn from_iaqi(edition: Edition, iaqi: [Option<u16>; 7]) -> AqiResult {
        let aqi = iaqi.iter().flatten().copied().max();
        let mut primary = ItemSet::default();
        if let Some(a) = aqi
            && a > 50
        {
            for it in ITEMS {
                if iaqi[it.index()] == Some(a) {
                    primary.insert(it);
                }
            }
        }
        AqiResult {
            edition,
            aqi,
            iaqi,
            primary,
        }
    }

    /// The level (表2), if an AQI was formed.
    pub fn level(&self) -> Option<&'static Level> {
        self.aqi.map(|a| table(self.edition).level(a))
    }

    /// Exceeding pollutants (超标污染物, IAQI > 100); always empty under HJ 633-2026, which drops the concept.
    pub fn exceeding(&self) -> ItemSet {
        let mut s = ItemSet::default();
        if self.edition == Edition::E2012 {
            for it in ITEMS {
                if self.iaqi[it.index()].is_some_and(|v| v > 100) {
                    s.insert(it);
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        for ed in [Edition::E2012, Edition::E2026] {
            let t = table(ed);
            assert_eq!(t.levels().len(), 6);
            assert_eq!(t.breakpoints(Column::Pm25_24h).last(), Some(&(500, 500_000)));
        }
        assert_eq!(table(Edition::E2026).breakpoints(Column::Pm25_24h)[2], (100, 60_000));
        assert_eq!(table(Edition::E2012).breakpoints(Column::Pm25_24h)[2], (100, 75_000));
    }
}
