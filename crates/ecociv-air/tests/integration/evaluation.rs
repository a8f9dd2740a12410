//! HJ 663 conformance: daily validity, O3 8-h windows, rounding, the percentile formula on worked examples,
//! annual coverage (year and month rules), good-day share, GB 3095 class-2 judgement.

use ecociv_air::hj633::Item;
use ecociv_air::hj663::{self, DailyValues, DayHours, DayRecord};
use ecociv_air::{Date, Edition};

use crate::m;

fn hours(p: usize, vals: &[(u8, f64)]) -> DayHours {
    let mut h = DayHours::default();
    for &(hour, v) in vals {
        let mut row = [None; 6];
        row[p] = Some(m(v));
        h.set(hour, &row);
    }
    h
}

fn p12() -> &'static hj663::Params {
    hj663::params(Edition::E2012)
}

#[test]
fn daily_mean_needs_20_hours_and_rounds_half_even() {
    // PM2.5 (index 5): 19 hours → invalid, 20 → valid.
    let h19 = hours(5, &(0..19).map(|h| (h, 10.0)).collect::<Vec<_>>());
    assert_eq!(hj663::daily_values(&h19, p12()).get(Item::Pm25), None);
    // 20 hours: 10 × 10 + 10 × 11 = 210 / 20 = 10.5 → 10 (half to even)
    let v: Vec<(u8, f64)> = (0..20).map(|h| (h, if h < 10 { 10.0 } else { 11.0 })).collect();
    assert_eq!(hj663::daily_values(&hours(5, &v), p12()).get(Item::Pm25), Some(10));
    // 11.5 → 12
    let v: Vec<(u8, f64)> = (0..20).map(|h| (h, if h < 10 { 11.0 } else { 12.0 })).collect();
    assert_eq!(hj663::daily_values(&hours(5, &v), p12()).get(Item::Pm25), Some(12));
    // CO (index 3) to one decimal, in tenths: 0.85 → 0.8
    let v: Vec<(u8, f64)> = (0..24).map(|h| (h, if h < 12 { 0.8 } else { 0.9 })).collect();
    assert_eq!(hj663::daily_values(&hours(3, &v), p12()).get(Item::Co), Some(8));
}

#[test]
fn o3_mda8_window_rules() {
    // O3 (index 4) present in hours 0..=17 → 13 valid windows (starts 0..=12): not valid at 100.
    let v: Vec<(u8, f64)> = (0..=17).map(|h| (h, 100.0)).collect();
    let d = hj663::daily_values(&hours(4, &v), p12());
    assert_eq!(d.o3_windows, 13);
    assert_eq!(d.get(Item::O3_8h), None);
    // hours 0..=18 → 14 windows: valid.
    let v: Vec<(u8, f64)> = (0..=18).map(|h| (h, 100.0)).collect();
    let d = hj663::daily_values(&hours(4, &v), p12());
    assert_eq!(d.o3_windows, 14);
    assert_eq!(d.get(Item::O3_8h), Some(100));
    // 13 windows but the maximum exceeds the 160 limit: counts.
    let v: Vec<(u8, f64)> = (0..=17).map(|h| (h, if h >= 8 { 200.0 } else { 100.0 })).collect();
    let d = hj663::daily_values(&hours(4, &v), p12());
    assert_eq!(d.get(Item::O3_8h), Some(200));
    // The maximum is over windows within the day; a window needs ≥ 6 of its 8 hours.
    let mut v: Vec<(u8, f64)> = (0..24).map(|h| (h, 50.0)).collect();
    v[10].1 = 130.0; // hours 10 .. 17 mean: (7·50 + 130)/8 = 60
    let d = hj663::daily_values(&hours(4, &v), p12());
    assert_eq!(d.get(Item::O3_8h), Some(60));
    assert_eq!(d.get(Item::O3_1h), Some(130));
    assert_eq!(d.o3_windows, 17);
    // Only 5 hours in a window: that window is invalid (hours 16..=20 present only).
    let v: Vec<(u8, f64)> = (16..=20).map(|h| (h, 300.0)).collect();
    let d = hj663::daily_values(&hours(4, &v), p12());
    assert_eq!(d.o3_windows, 0);
    assert_eq!(d.get(Item::O3_8h), None);
}

#[test]
fn percentile_formula_worked_examples() {
    // HJ 663 附录A: k = 1 + (n−1)·p%; m = X(s) + (X(s+1) − X(s))(k − s) (= numpy 'linear').
    let x: Vec<i64> = (1..=10).collect();
    assert_eq!(hj663::percentile_x100(&x, 90), Some(910)); // k = 9.1 → 9.1
    assert_eq!(hj663::percentile_x100(&x, 95), Some(955)); // k = 9.55 → 9.55
    assert_eq!(hj663::percentile_x100(&x, 50), Some(550));
    let x: Vec<i64> = (1..=11).map(|v| v * 10).collect();
    assert_eq!(hj663::percentile_x100(&x, 90), Some(10_000)); // k = 10 integer → X(10) = 100
    assert_eq!(hj663::percentile_x100(&[7], 95), Some(700));
    assert_eq!(hj663::percentile_x100(&[], 95), None);
    // n = 365, p = 95: k = 1 + 364·0.95 = 346.8 → X(346) + 0.8·(X(347) − X(346)); with X(i) = 2i: 692 + 1.6 = 693.6
    let x: Vec<i64> = (1..=365).map(|i| 2 * i).collect();
    assert_eq!(hj663::percentile_x100(&x, 95), Some(69_360));
    // n = 365, p = 90: k = 328.6 → 656 + 0.6·2 = 657.2; p = 98: k = 357.72 → 714 + 1.44 = 715.44
    assert_eq!(hj663::percentile_x100(&x, 90), Some(65_720));
    assert_eq!(hj663::percentile_x100(&x, 98), Some(71_544));
}

fn all_days(year: i32) -> Vec<Date> {
    (1..=12u8)
        .flat_map(|mo| (1..=ecociv_air::edition::days_in_month(year, mo)).map(move |d| Date::new(year, mo, d).unwrap()))
        .collect()
}

fn day(date: Date, pm25: i64, ed: Edition) -> DayRecord {
    let mut v = DailyValues::default();
    for (it, x) in [
        (Item::So2, 10),
        (Item::No2, 20),
        (Item::Pm10, 40),
        (Item::Co, 8),
        (Item::O3_1h, 120),
        (Item::O3_8h, 90),
    ] {
        v.v[it.index()] = Some(x);
    }
    v.v[Item::Pm25.index()] = Some(pm25);
    DayRecord::evaluate(date, v, ed)
}

#[test]
fn annual_coverage_rules_invalid_days_and_months() {
    let ed = Edition::E2012;
    let full: Vec<DayRecord> = all_days(2023).into_iter().map(|d| day(d, 30, ed)).collect();
    let a = hj663::annual(2023, &full, ed);
    assert!(a.pm25.valid);
    assert_eq!(a.pm25.value, Some(30));
    assert_eq!(a.pm25.days, 365);
    // February with 25 days: still valid; with 24: invalid (short month 2).
    let feb25: Vec<DayRecord> = full
        .iter()
        .filter(|d| !(d.date.month == 2 && d.date.day > 25))
        .copied()
        .collect();
    assert!(hj663::annual(2023, &feb25, ed).pm25.valid);
    let feb24: Vec<DayRecord> = full
        .iter()
        .filter(|d| !(d.date.month == 2 && d.date.day > 24))
        .copied()
        .collect();
    let a = hj663::annual(2023, &feb24, ed);
    assert!(!a.pm25.valid);
    assert_eq!(a.pm25.short_months, vec![2]);
    assert_eq!(a.pm25.complies, None);
    // March with 27: valid; 26: invalid.
    let mar27: Vec<DayRecord> = full
        .iter()
        .filter(|d| !(d.date.month == 3 && d.date.day > 27))
        .copied()
        .collect();
    assert!(hj663::annual(2023, &mar27, ed).pm25.valid);
    let mar26: Vec<DayRecord> = full
        .iter()
        .filter(|d| !(d.date.month == 3 && d.date.day > 26))
        .copied()
        .collect();
    assert_eq!(hj663::annual(2023, &mar26, ed).pm25.short_months, vec![3]);
    // Every month at 27 (Feb 25) = 322 days < 324: invalid for the year though no month is short.
    let min: Vec<DayRecord> = full
        .iter()
        .filter(|d| d.date.day <= if d.date.month == 2 { 25 } else { 27 })
        .copied()
        .collect();
    assert_eq!(min.len(), 322);
    let a = hj663::annual(2023, &min, ed);
    assert!(!a.pm25.valid);
    assert!(a.pm25.short_months.is_empty());
}

#[test]
fn good_day_share_and_levels() {
    let ed = Edition::E2012;
    // 2023: 300 days PM2.5 30 (AQI 43, 优), 50 days PM2.5 75 (AQI 100, 良), 15 days PM2.5 76 (AQI 102, 轻度).
    let days: Vec<DayRecord> = all_days(2023)
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            day(
                d,
                if i < 300 {
                    30
                } else if i < 350 {
                    75
                } else {
                    76
                },
                ed,
            )
        })
        .collect();
    let a = hj663::annual(2023, &days, ed);
    assert_eq!(a.valid_days, 365);
    assert_eq!(a.good_days, 350);
    assert_eq!(a.days_by_level, [300, 50, 15, 0, 0, 0]);
    assert_eq!(a.good_rate_tenths, Some(959)); // 350/365 = 95.890… → 95.9
    assert_eq!(hj663::fmt_tenths(959), "95.9");
    // annual PM2.5: (300·30 + 50·75 + 15·76) / 365 = 13890/365 = 38.05… → 38; class 2 limit 35 → not compliant.
    assert_eq!(a.pm25.value, Some(38));
    assert_eq!(a.pm25.limit, Some(35));
    assert_eq!(a.pm25.complies, Some(false));
    assert_eq!(a.complies(), Some(false));
    // A day missing CO is not a valid monitoring day (DOUBT [M] rule, data/hj663.csv).
    let mut v = days[0].values;
    v.v[Item::Co.index()] = None;
    let rec = DayRecord::evaluate(days[0].date, v, ed);
    assert!(rec.aqi.aqi.is_some());
    assert!(!rec.valid);
}

#[test]
fn annual_records_edition_and_2026_limits() {
    // 2026: January–February under HJ 633-2012, from March under HJ 633-2026; annual under GB 3095-2026.
    let choice = ecociv_air::EditionChoice::ByDate;
    let days: Vec<DayRecord> = all_days(2026)
        .into_iter()
        .map(|d| day(d, 32, choice.for_date(d)))
        .collect();
    let a = hj663::annual(2026, &days, choice.for_year(2026));
    assert_eq!(a.edition, Edition::E2026);
    assert_eq!(a.aqi_days_by_edition, [59, 306]);
    assert_eq!(a.pm25.limit, Some(30)); // GB 3095-2026 transition class 2
    assert_eq!(a.pm25.complies, Some(false));
    let a12 = hj663::annual(2026, &days, Edition::E2012);
    assert_eq!(a12.pm25.complies, Some(true)); // 32 ≤ 35 under GB 3095-2012
}
