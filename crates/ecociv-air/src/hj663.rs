//! HJ 663-2013 环境空气质量评价技术规范(试行) (and HJ 663-2026, assumed unchanged where not verified):
//! data processing from hourly concentrations to daily and annual evaluation.
//!
//! Implements (rules as data in `data/hj663.csv`, standards.md §2):
//! * daily (24-h) means with the validity rule of GB 3095-2012 Table 4 (≥ 20 hourly values) (§2.3);
//! * O3 8-h moving means within the day (windows starting 00:00 … 16:00, i.e. ending 08:00 … 24:00), each
//!   valid with ≥ 6 hourly values; the daily maximum (MDA8) valid with ≥ 14 valid windows, or with fewer when
//!   it exceeds the class-2 8-h limit (§2.3);
//! * rounding of every reported statistic per GB/T 8170: µg/m³ to integers, CO mg/m³ to one decimal (§2.4);
//! * the percentile formula of 附录A: k = 1 + (n−1)·p%, m = X(s) + (X(s+1) − X(s))·(k − s) (§2.2);
//! * annual statistics (§2.1): annual means of SO2, NO2, PM10, PM2.5; 24-h 98th (SO2, NO2) and 95th (PM10,
//!   PM2.5) percentiles; CO 24-h 95th percentile; O3 MDA8 90th percentile; each valid with ≥ 324 daily values
//!   and ≥ 27 per month (February ≥ 25), and compared with the GB 3095 class-2 limit;
//! * the good-day share (优良天数比例) = days with AQI ≤ 100 ÷ valid days × 100 %, and days per level (§2.5).
//!
//! Daily values are carried in *report units*: µg/m³ as integers, CO as tenths of mg/m³.

use std::sync::OnceLock;

use crate::edition::{Date, Edition};
use crate::gb3095::{self, Class, Period, Pollutant};
use crate::hj633::{self, AqiResult, DailyInput, ITEMS, Item};
use crate::rounding::{MILLI, div_round_half_even};
use crate::tables;

/// Validity rules of one HJ 663 edition (see `data/hj663.csv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    pub edition: Edition,
    pub hours_per_valid_day: u32,
    pub hours_per_valid_8h: u32,
    pub o3_8h_windows_per_day: u32,
    pub o3_1h_hours_per_day: u32,
    pub days_per_valid_year: u32,
    pub days_per_valid_month: u32,
    pub days_per_valid_february: u32,
    /// DOUBT [M]: a day counts for the good-day share only when all six pollutants are valid.
    pub day_needs_all_six: bool,
    /// O3 8-h class-2 limit (milli), for the MDA8 rule with fewer than 14 windows.
    pub o3_8h_limit_milli: i64,
}

/// The rules of `edition`.
pub fn params(edition: Edition) -> &'static Params {
    static P12: OnceLock<Params> = OnceLock::new();
    static P26: OnceLock<Params> = OnceLock::new();
    let load = || {
        let t = tables::hj663();
        let m = t.params(tables::hj663_label(edition));
        let g = |k| tables::param(t.name, &m, k) as u32;
        Params {
            edition,
            hours_per_valid_day: g("hours_per_valid_day"),
            hours_per_valid_8h: g("hours_per_valid_8h"),
            o3_8h_windows_per_day: g("o3_8h_windows_per_day"),
            o3_1h_hours_per_day: g("o3_1h_hours_per_day"),
            days_per_valid_year: g("days_per_valid_year"),
            days_per_valid_month: g("days_per_valid_month"),
            days_per_valid_february: g("days_per_valid_february"),
            day_needs_all_six: g("day_needs_all_six") != 0,
            // The O3 8-h limit is the same in every phase of both editions (standards.md §2.7–2.8).
            o3_8h_limit_milli: gb3095::limit(edition, 2026, Pollutant::O3, Period::Max8h, Class::Two)
                .map_or(160 * MILLI, |l| l.value_milli),
        }
    };
    match edition {
        Edition::E2012 => P12.get_or_init(load),
        Edition::E2026 => P26.get_or_init(load),
    }
}

/// The six pollutants of an hourly record, in input column order (`so2,no2,pm10,co,o3,pm25`).
pub const HOURLY: [&str; 6] = ["so2", "no2", "pm10", "co", "o3", "pm25"];
const CO: usize = 3;
const O3: usize = 4;

/// One station-day of hourly values (milli-units), with a bit per present hour.
#[derive(Clone, Debug, Default)]
pub struct DayHours {
    pub vals: [[i64; 24]; 6],
    pub present: [u32; 6],
    /// Hours that had a row (even with all cells empty), to detect duplicates.
    pub seen: u32,
}

impl DayHours {
    pub fn clear(&mut self) {
        self.present = [0; 6];
        self.seen = 0;
    }
    /// Records hour `hour` (0–23). Returns `false` if that hour was already recorded.
    pub fn set(&mut self, hour: u8, values: &[Option<i64>; 6]) -> bool {
        let bit = 1u32 << (hour % 24);
        if self.seen & bit != 0 {
            return false;
        }
        self.seen |= bit;
        let h = usize::from(hour % 24);
        for (p, v) in values.iter().enumerate() {
            if let Some(v) = *v {
                self.vals[p][h] = v;
                self.present[p] |= bit;
            }
        }
        true
    }
}

/// A day's evaluated values in report units (µg/m³ integers; CO tenths of mg/m³), in [`ITEMS`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DailyValues {
    pub v: [Option<i64>; 7],
    /// Number of valid O3 8-h windows in the day (0–17).
    pub o3_windows: u8,
}

impl DailyValues {
    /// The value of an item in report units.
    pub fn get(&self, it: Item) -> Option<i64> {
        self.v[it.index()]
    }
    /// The input of the daily AQI (milli-units).
    pub fn to_input(&self) -> DailyInput {
        let m = |it: Item| self.get(it).map(|x| if it == Item::Co { x * 100 } else { x * MILLI });
        DailyInput {
            so2: m(Item::So2),
            no2: m(Item::No2),
            pm10: m(Item::Pm10),
            co: m(Item::Co),
            o3_1h: m(Item::O3_1h),
            o3_8h: m(Item::O3_8h),
            pm25: m(Item::Pm25),
        }
    }
    /// Whether the day is a valid monitoring day for the good-day share (see [`Params::day_needs_all_six`]).
    pub fn is_valid_day(&self, p: &Params, aqi: &AqiResult) -> bool {
        if p.day_needs_all_six {
            [Item::So2, Item::No2, Item::Pm10, Item::Co, Item::O3_8h, Item::Pm25]
                .iter()
                .all(|&i| self.get(i).is_some())
                && aqi.aqi.is_some()
        } else {
            aqi.aqi.is_some()
        }
    }
}

/// The sum of the hours' values whose bit is set in `mask` (every hour looked at, without a branch: the
/// compiler makes it a few vector additions).
fn sum_bits(vals: &[i64; 24], mask: u32) -> i64 {
    (0..24).map(|h| if (mask >> h) & 1 == 1 { vals[h] } else { 0 }).sum()
}

/// Daily values of one station-day from its hourly values.
pub fn daily_values(h: &DayHours, p: &Params) -> DailyValues {
    let mut out = DailyValues::default();
    let map = [Item::So2, Item::No2, Item::Pm10, Item::Co, Item::O3_1h, Item::Pm25];
    for (k, &it) in map.iter().enumerate() {
        let mask = h.present[k];
        let n = i64::from(mask.count_ones());
        if k == O3 {
            // O3 daily maximum 1-h value.
            if n >= i64::from(p.o3_1h_hours_per_day) {
                let mx = (0..24)
                    .map(|hr| if (mask >> hr) & 1 == 1 { h.vals[k][hr] } else { 0 })
                    .fold(0, i64::max);
                out.v[Item::O3_1h.index()] = Some(div_round_half_even(mx, MILLI));
            }
            continue;
        }
        if n >= i64::from(p.hours_per_valid_day) {
            let s = sum_bits(&h.vals[k], mask);
            let unit = if k == CO { 100 } else { MILLI };
            out.v[it.index()] = Some(div_round_half_even(s, n * unit));
        }
    }
    // O3 8-h moving means within the day: windows [s, s+8) for s = 0..=16 (prefix sums over the hours).
    let mask = h.present[O3];
    let (mut ps, mut pn) = ([0i64; 25], [0i64; 25]);
    for hr in 0..24 {
        let on = (mask >> hr) & 1 == 1;
        ps[hr + 1] = ps[hr] + if on { h.vals[O3][hr] } else { 0 };
        pn[hr + 1] = pn[hr] + i64::from(on);
    }
    // The highest window mean, rounded once: rounding is monotone, so the maximum of the rounded means is the
    // rounded maximum mean (means compared exactly as fractions; a window without hours has mean 0).
    let mut top: Option<(i64, i64)> = None;
    let mut windows = 0u8;
    for s in 0..=16 {
        let n = pn[s + 8] - pn[s];
        if n >= i64::from(p.hours_per_valid_8h) {
            windows += 1;
            let sum = ps[s + 8] - ps[s];
            let higher = top
                .is_none_or(|(ts, tn)| i128::from(sum) * i128::from(tn.max(1)) > i128::from(ts) * i128::from(n.max(1)));
            if higher {
                top = Some((sum, n));
            }
        }
    }
    let best = top.map(|(sum, n)| div_round_half_even(sum, n * MILLI));
    out.o3_windows = windows;
    out.v[Item::O3_8h.index()] =
        best.filter(|&b| u32::from(windows) >= p.o3_8h_windows_per_day || b * MILLI > p.o3_8h_limit_milli);
    out
}

/// HJ 663 附录A percentile `p` (in %) of ascending `sorted` values, as an exact value ×100.
/// `None` for an empty series.
pub fn percentile_x100(sorted: &[i64], p: u32) -> Option<i64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let t = (n as i64 - 1) * i64::from(p.min(100));
    let s = (1 + t / 100) as usize; // 1-based
    let r = t % 100;
    let xs = sorted[s - 1];
    if r == 0 || s >= n {
        return Some(xs * 100);
    }
    Some(xs * 100 + (sorted[s] - xs) * r)
}

/// A station-day: date, daily values, daily AQI (with its edition) and validity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRecord {
    pub date: Date,
    pub values: DailyValues,
    pub aqi: AqiResult,
    /// Counts as a valid monitoring day.
    pub valid: bool,
}

impl DayRecord {
    /// Evaluates a day's values under `edition`.
    pub fn evaluate(date: Date, values: DailyValues, edition: Edition) -> DayRecord {
        let aqi = hj633::table(edition).daily(&values.to_input());
        let valid = values.is_valid_day(params(edition), &aqi);
        DayRecord {
            date,
            values,
            aqi,
            valid,
        }
    }
}

/// A day as the annual evaluation reads it: its month, its values in report units, its daily AQI (with the
/// edition it was computed under) and whether it is a valid monitoring day.
pub trait AnnualDay {
    fn month(&self) -> u8;
    fn value(&self, it: Item) -> Option<i64>;
    fn valid(&self) -> bool;
    fn aqi(&self) -> Option<u16>;
    fn aqi_edition(&self) -> Edition;
}

impl AnnualDay for DayRecord {
    fn month(&self) -> u8 {
        self.date.month
    }
    fn value(&self, it: Item) -> Option<i64> {
        self.values.get(it)
    }
    fn valid(&self) -> bool {
        self.valid
    }
    fn aqi(&self) -> Option<u16> {
        self.aqi.aqi
    }
    fn aqi_edition(&self) -> Edition {
        self.aqi.edition
    }
}

/// What the annual evaluation keeps of a [`DayRecord`] — the same answers to [`AnnualDay`] in 64 bytes instead
/// of about 170 (a station keeps a year of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DaySummary {
    values: [i64; 7],
    /// Bit `i` set: `values[i]` is present (in [`ITEMS`] order).
    present: u8,
    month: u8,
    valid: bool,
    edition: Edition,
    aqi: Option<u16>,
}

impl From<&DayRecord> for DaySummary {
    fn from(d: &DayRecord) -> Self {
        let mut values = [0; 7];
        let mut present = 0u8;
        for (i, v) in d.values.v.iter().enumerate() {
            if let Some(v) = *v {
                values[i] = v;
                present |= 1 << i;
            }
        }
        DaySummary {
            values,
            present,
            month: d.date.month,
            valid: d.valid,
            edition: d.aqi.edition,
            aqi: d.aqi.aqi,
        }
    }
}

impl AnnualDay for DaySummary {
    fn month(&self) -> u8 {
        self.month
    }
    fn value(&self, it: Item) -> Option<i64> {
        let i = it.index();
        (self.present & (1 << i) != 0).then(|| self.values[i])
    }
    fn valid(&self) -> bool {
        self.valid
    }
    fn aqi(&self) -> Option<u16> {
        self.aqi
    }
    fn aqi_edition(&self) -> Edition {
        self.edition
    }
}

/// An annual statistic with its coverage and its class-2 judgement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnualStat {
    /// Rounded value in report units (µg/m³ integers; CO tenths of mg/m³); `None` when no data.
    pub value: Option<i64>,
    /// Number of daily values used.
    pub days: u32,
    /// Whether the coverage rule holds (≥ 324 days, ≥ 27 per month, February ≥ 25).
    pub valid: bool,
    /// Months (1–12) below the monthly minimum.
    pub short_months: Vec<u8>,
    /// Class-2 limit in report units, if GB 3095 has one for this statistic.
    pub limit: Option<i64>,
    /// Whether the value meets the limit (only when valid).
    pub complies: Option<bool>,
}

/// Which statistic of §2.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statistic {
    Mean,
    Percentile(u32),
}

/// The annual evaluation of one station or zone for one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annual {
    pub year: i32,
    /// Edition of the annual evaluation (HJ 663 / GB 3095): the one in force on 31 December.
    pub edition: Edition,
    /// Days with a record.
    pub days: u32,
    pub valid_days: u32,
    pub good_days: u32,
    /// Valid days per AQI level 1–6.
    pub days_by_level: [u32; 6],
    /// Days whose daily AQI was computed under HJ 633-2012 and under HJ 633-2026.
    pub aqi_days_by_edition: [u32; 2],
    /// Good-day share in tenths of a percent (e.g. 853 = 85.3 %), rounded half to even.
    pub good_rate_tenths: Option<i64>,
    pub so2: AnnualStat,
    pub no2: AnnualStat,
    pub pm10: AnnualStat,
    pub pm25: AnnualStat,
    pub so2_p98: AnnualStat,
    pub no2_p98: AnnualStat,
    pub pm10_p95: AnnualStat,
    pub pm25_p95: AnnualStat,
    pub co_p95: AnnualStat,
    pub o3_8h_p90: AnnualStat,
}

impl Annual {
    /// Whether every statistic is valid and meets its class-2 limit (达标); `None` if any is not valid.
    pub fn complies(&self) -> Option<bool> {
        let all = [
            &self.so2,
            &self.no2,
            &self.pm10,
            &self.pm25,
            &self.so2_p98,
            &self.no2_p98,
            &self.pm10_p95,
            &self.pm25_p95,
            &self.co_p95,
            &self.o3_8h_p90,
        ];
        let mut ok = true;
        for s in all {
            ok &= s.complies?;
        }
        Some(ok)
    }
}

/// Coverage check of a series of days (months of the values present).
fn coverage(months: &[u8], p: &Params) -> (bool, Vec<u8>) {
    let mut per = [0u32; 13];
    for &m in months {
        per[usize::from(m.min(12))] += 1;
    }
    let short: Vec<u8> = (1..=12u8)
        .filter(|&m| {
            per[usize::from(m)]
                < if m == 2 {
                    p.days_per_valid_february
                } else {
                    p.days_per_valid_month
                }
        })
        .collect();
    (months.len() as u32 >= p.days_per_valid_year && short.is_empty(), short)
}

fn stat<D: AnnualDay>(
    days: &[D],
    it: Item,
    s: Statistic,
    lim: Option<(Pollutant, Period)>,
    year: i32,
    ed: Edition,
    buf: &mut Vec<i64>,
) -> AnnualStat {
    let p = params(ed);
    buf.clear();
    let mut months = Vec::with_capacity(days.len());
    for d in days {
        if let Some(v) = d.value(it) {
            buf.push(v);
            months.push(d.month());
        }
    }
    let (valid, short_months) = coverage(&months, p);
    let value = match s {
        Statistic::Mean if !buf.is_empty() => Some(div_round_half_even(buf.iter().sum(), buf.len() as i64)),
        Statistic::Mean => None,
        Statistic::Percentile(q) => {
            buf.sort_unstable();
            percentile_x100(buf, q).map(|x| div_round_half_even(x, 100))
        }
    };
    let unit = if it == Item::Co { 100 } else { MILLI };
    let limit = lim
        .and_then(|(po, pe)| gb3095::limit(ed, year, po, pe, Class::Two))
        .map(|l| l.value_milli / unit);
    let complies = match (valid, value, limit) {
        (true, Some(v), Some(l)) => Some(v <= l),
        _ => None,
    };
    AnnualStat {
        value,
        days: buf.len() as u32,
        valid,
        short_months,
        limit,
        complies,
    }
}

/// The annual evaluation of a year of day records (in any order; one record per date).
pub fn annual<D: AnnualDay>(year: i32, days: &[D], edition: Edition) -> Annual {
    let mut valid_days = 0;
    let mut good_days = 0;
    let mut days_by_level = [0u32; 6];
    let mut by_ed = [0u32; 2];
    let aqi_table = hj633::table(edition);
    for d in days {
        by_ed[usize::from(d.aqi_edition() == Edition::E2026)] += 1;
        if d.valid()
            && let Some(a) = d.aqi()
        {
            valid_days += 1;
            if a <= 100 {
                good_days += 1;
            }
            let lv = usize::from(aqi_table.level(a).level.clamp(1, 6)) - 1;
            days_by_level[lv] += 1;
        }
    }
    let good_rate_tenths =
        (valid_days > 0).then(|| div_round_half_even(i64::from(good_days) * 1000, i64::from(valid_days)));
    let mut buf = Vec::with_capacity(days.len());
    let mut st = |it, s, lim| stat(days, it, s, lim, year, edition, &mut buf);
    use Statistic::{Mean, Percentile};
    Annual {
        year,
        edition,
        days: days.len() as u32,
        valid_days,
        good_days,
        days_by_level,
        aqi_days_by_edition: by_ed,
        good_rate_tenths,
        so2: st(Item::So2, Mean, Some((Pollutant::So2, Period::Annual))),
        no2: st(Item::No2, Mean, Some((Pollutant::No2, Period::Annual))),
        pm10: st(Item::Pm10, Mean, Some((Pollutant::Pm10, Period::Annual))),
        pm25: st(Item::Pm25, Mean, Some((Pollutant::Pm25, Period::Annual))),
        so2_p98: st(Item::So2, Percentile(98), Some((Pollutant::So2, Period::Day24h))),
        no2_p98: st(Item::No2, Percentile(98), Some((Pollutant::No2, Period::Day24h))),
        pm10_p95: st(Item::Pm10, Percentile(95), Some((Pollutant::Pm10, Period::Day24h))),
        pm25_p95: st(Item::Pm25, Percentile(95), Some((Pollutant::Pm25, Period::Day24h))),
        co_p95: st(Item::Co, Percentile(95), Some((Pollutant::Co, Period::Day24h))),
        o3_8h_p90: st(Item::O3_8h, Percentile(90), Some((Pollutant::O3, Period::Max8h))),
    }
}

/// Formats a value in tenths with one decimal ("85.3", "1.0").
pub fn fmt_tenths(v: i64) -> String {
    format!("{}.{}", v / 10, v % 10)
}

/// The items in report order, for callers that iterate.
pub fn items() -> [Item; 7] {
    ITEMS
}
