//! HJ 633 conformance: every breakpoint of 表1 (at, just below, just above) for every column and both
//! editions, checked against an independent transcription of standards.md §1.1 / §1.7 (not the data files),
//! the special cases of both editions, levels, primary-pollutant ties and missing inputs.

use ecociv_air::Edition;
use ecociv_air::hj633::{self, Column, DailyInput, HourlyInput, Item, Lookup, Special};

use crate::m;

const IAQI: [i64; 8] = [0, 50, 100, 150, 200, 300, 400, 500];

/// standards.md §1.1 Table 1 (HJ 633-2012), transcribed by hand; `None` = no breakpoint.
fn table_2012(col: Column) -> Vec<Option<f64>> {
    let v: &[f64] = match col {
        Column::So2_24h => &[0., 50., 150., 475., 800., 1600., 2100., 2620.],
        Column::So2_1h => &[0., 150., 500., 650., 800.],
        Column::No2_24h => &[0., 40., 80., 180., 280., 565., 750., 940.],
        Column::No2_1h => &[0., 100., 200., 700., 1200., 2340., 3090., 3840.],
        Column::Pm10_24h => &[0., 50., 150., 250., 350., 420., 500., 600.],
        Column::Co_24h => &[0., 2., 4., 14., 24., 36., 48., 60.],
        Column::Co_1h => &[0., 5., 10., 35., 60., 90., 120., 150.],
        Column::O3_1h => &[0., 160., 200., 300., 400., 800., 1000., 1200.],
        Column::O3_8h => &[0., 100., 160., 215., 265., 800.],
        Column::Pm25_24h => &[0., 35., 75., 115., 150., 250., 350., 500.],
    };
    (0..8).map(|i| v.get(i).copied()).collect()
}

/// standards.md §1.7: 2026 = 2012 with PM2.5 at 100 → 60 and PM10 at 100 → 120.
fn table_2026(col: Column) -> Vec<Option<f64>> {
    let mut t = table_2012(col);
    match col {
        Column::Pm25_24h => t[2] = Some(60.),
        Column::Pm10_24h => t[2] = Some(120.),
        _ => {}
    }
    t
}

/// Independent IAQI: float formula with the ceil(v − 1e-9) guard (standards.md §1.3 tip).
fn expected(bp: &[Option<f64>], c: f64) -> Option<i64> {
    let pts: Vec<(i64, f64)> = bp
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.map(|b| (IAQI[i], b)))
        .collect();
    for w in pts.windows(2) {
        let ((il, bl), (ih, bh)) = (w[0], w[1]);
        if c <= bh + 1e-12 {
            let v = (ih - il) as f64 / (bh - bl) * (c - bl) + il as f64;
            return Some((v - 1e-9).ceil() as i64);
        }
    }
    None
}

fn value(ed: Edition, col: Column, c: f64) -> i64 {
    match hj633::table(ed).lookup(col, m(c)) {
        Lookup::Value(v) => i64::from(v),
        other => panic!("{col:?} {c}: {other:?}"),
    }
}

#[test]
fn data_files_match_the_transcribed_tables() {
    for (ed, f) in [
        (Edition::E2012, table_2012 as fn(Column) -> Vec<Option<f64>>),
        (Edition::E2026, table_2026),
    ] {
        for col in hj633::COLUMNS {
            let want: Vec<(i64, i64)> = f(col)
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.map(|b| (IAQI[i], m(b))))
                .collect();
            assert_eq!(hj633::table(ed).breakpoints(col), &want[..], "{ed:?} {col:?}");
        }
    }
}

#[test]
fn every_breakpoint_at_below_above() {
    let mut checked = 0;
    for (ed, f) in [
        (Edition::E2012, table_2012 as fn(Column) -> Vec<Option<f64>>),
        (Edition::E2026, table_2026),
    ] {
        for col in hj633::COLUMNS {
            let bp = f(col);
            // the smallest step of a rounded concentration: 1 µg/m³, or 0.1 mg/m³ for CO
            let step = if col.is_co() { 0.1 } else { 1.0 };
            for (i, b) in bp.iter().enumerate() {
                let Some(b) = *b else { continue };
                // at: exactly the row's IAQI
                assert_eq!(value(ed, col, b), IAQI[i], "{ed:?} {col:?} at {b}");
                if i > 0 {
                    let below = b - step;
                    let got = value(ed, col, below);
                    assert_eq!(Some(got), expected(&bp, below), "{ed:?} {col:?} below {b}");
                    assert!(got <= IAQI[i] && got > IAQI[i - 1], "{ed:?} {col:?} below {b}: {got}");
                }
                let above = b + step;
                let last = bp.iter().rposition(Option::is_some) == Some(i);
                if !last {
                    let got = value(ed, col, above);
                    assert_eq!(Some(got), expected(&bp, above), "{ed:?} {col:?} above {b}");
                    assert!(got > IAQI[i], "{ed:?} {col:?} above {b}: {got}");
                } else {
                    // above the top of a column: a special rule (SO2 1-h, O3 8-h) or the 500 cap
                    let l = hj633::table(ed).lookup(col, m(above));
                    match (ed, col) {
                        (Edition::E2012, Column::So2_1h) => {
                            assert_eq!(l, Lookup::Special(Special::UseIaqiOf(Column::So2_24h)));
                        }
                        (Edition::E2012, Column::O3_8h) => {
                            assert_eq!(l, Lookup::Special(Special::UseIaqiOf(Column::O3_1h)));
                        }
                        (Edition::E2026, Column::So2_1h) => assert_eq!(l, Lookup::Special(Special::Fixed(200))),
                        (Edition::E2026, Column::O3_8h) => assert_eq!(l, Lookup::Special(Special::Fixed(300))),
                        _ => assert_eq!(l, Lookup::Value(500), "{ed:?} {col:?} above top"),
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * (8 * 8 + 5 + 6));
}

#[test]
fn worked_examples() {
    // 2026: PM2.5 60.5 rounds (half to even) to 60 → 100; 60.6 → 61 → 101 (standards.md §1.3).
    let d = |ed, pm25: f64| {
        hj633::table(ed)
            .daily(&DailyInput {
                pm25: Some(m(pm25)),
                ..Default::default()
            })
            .aqi
    };
    assert_eq!(d(Edition::E2026, 60.5), Some(100));
    assert_eq!(d(Edition::E2026, 60.6), Some(101));
    // 2012: PM2.5 75 → 100, 76 → 100 + ceil(50/40) = 102; 35.5 → 36 → 50 + ceil(1.25) = 52; 34.5 → 34 → ceil(48.57) = 49.
    assert_eq!(d(Edition::E2012, 75.0), Some(100));
    assert_eq!(d(Edition::E2012, 76.0), Some(102));
    assert_eq!(d(Edition::E2012, 35.5), Some(52));
    assert_eq!(d(Edition::E2012, 34.5), Some(49));
    // CO rounds to one decimal: 4.05 → 4.0 (even) → 100; 4.15 → 4.2 → 100 + ceil(50·0.2/10) = 101.
    let co = |c: f64| {
        hj633::table(Edition::E2012)
            .daily(&DailyInput {
                co: Some(m(c)),
                ..Default::default()
            })
            .aqi
    };
    assert_eq!(co(4.05), Some(100));
    assert_eq!(co(4.15), Some(101));
    // Above the table: capped at 500.
    assert_eq!(d(Edition::E2012, 700.0), Some(500));
}

#[test]
fn special_cases_2012() {
    let t = hj633::table(Edition::E2012);
    // O3 8-h above 800 in the daily report: not indexed, O3's IAQI from the 1-h max.
    let r = t.daily(&DailyInput {
        o3_8h: Some(m(801.)),
        o3_1h: Some(m(300.)),
        ..Default::default()
    });
    assert_eq!(r.iaqi[Item::O3_8h.index()], None);
    assert_eq!(r.iaqi[Item::O3_1h.index()], Some(150));
    assert_eq!(r.aqi, Some(150));
    assert_eq!(r.primary.to_string(), "o3_1h");
    // At 800 the 8-h value is still indexed (300).
    let r = t.daily(&DailyInput {
        o3_8h: Some(m(800.)),
        o3_1h: Some(m(900.)),
        ..Default::default()
    });
    assert_eq!(r.iaqi[Item::O3_8h.index()], Some(300));
    assert_eq!(r.iaqi[Item::O3_1h.index()], Some(350));
    // SO2 1-h above 800 in the real-time report: the 24-h IAQI is reported (200 → 100 + ceil(50·50/325) = 108).
    let h = t.hourly(&HourlyInput {
        so2_1h: Some(m(801.)),
        so2_24h: Some(m(200.)),
        ..Default::default()
    });
    assert_eq!(h.iaqi[Item::So2.index()], Some(108));
    // ... and with no 24-h value there is no SO2 IAQI.
    let h = t.hourly(&HourlyInput {
        so2_1h: Some(m(801.)),
        ..Default::default()
    });
    assert_eq!(h.iaqi[Item::So2.index()], None);
    assert_eq!(h.aqi, None);
    // 800 itself is on the table (200).
    let h = t.hourly(&HourlyInput {
        so2_1h: Some(m(800.)),
        so2_24h: Some(m(10.)),
        ..Default::default()
    });
    assert_eq!(h.iaqi[Item::So2.index()], Some(200));
    // Exceeding pollutants exist in 2012 only.
    let r = t.daily(&DailyInput {
        pm25: Some(m(76.)),
        pm10: Some(m(150.)),
        ..Default::default()
    });
    assert_eq!(r.exceeding().to_string(), "pm25");
    let r26 = hj633::table(Edition::E2026).daily(&DailyInput {
        pm25: Some(m(76.)),
        ..Default::default()
    });
    assert!(r26.exceeding().is_empty());
}

#[test]
fn special_cases_2026() {
    let t = hj633::table(Edition::E2026);
    let r = t.daily(&DailyInput {
        o3_8h: Some(m(801.)),
        o3_1h: Some(m(300.)),
        ..Default::default()
    });
    assert_eq!(r.iaqi[Item::O3_8h.index()], Some(300));
    assert_eq!(r.aqi, Some(300));
    assert_eq!(r.primary.to_string(), "o3_8h");
    let h = t.hourly(&HourlyInput {
        so2_1h: Some(m(900.)),
        so2_24h: Some(m(20.)),
        ..Default::default()
    });
    assert_eq!(h.iaqi[Item::So2.index()], Some(200));
    assert_eq!(r.edition, Edition::E2026);
}

#[test]
fn levels_at_boundaries() {
    for ed in [Edition::E2012, Edition::E2026] {
        let t = hj633::table(ed);
        for (aqi, level, cat) in [
            (0, 1, "优"),
            (50, 1, "优"),
            (51, 2, "良"),
            (100, 2, "良"),
            (101, 3, "轻度污染"),
            (150, 3, "轻度污染"),
            (151, 4, "中度污染"),
            (200, 4, "中度污染"),
            (201, 5, "重度污染"),
            (300, 5, "重度污染"),
            (301, 6, "严重污染"),
            (500, 6, "严重污染"),
        ] {
            let l = t.level(aqi);
            assert_eq!((l.level, l.category_zh.as_str()), (level, cat), "{ed:?} {aqi}");
        }
        assert_eq!(t.level(10).rgb, "#00E400");
        assert_eq!(t.level(400).rgb, "#7E0023");
    }
}

#[test]
fn primary_pollutant_ties_and_threshold() {
    let t = hj633::table(Edition::E2012);
    // PM10 150 and PM2.5 75 both give 100: listed together.
    let r = t.daily(&DailyInput {
        pm10: Some(m(150.)),
        pm25: Some(m(75.)),
        no2: Some(m(40.)),
        ..Default::default()
    });
    assert_eq!(r.aqi, Some(100));
    assert_eq!(r.primary.to_string(), "pm10;pm25");
    // AQI ≤ 50: no primary pollutant even though PM2.5 is the largest.
    let r = t.daily(&DailyInput {
        pm25: Some(m(35.)),
        so2: Some(m(10.)),
        ..Default::default()
    });
    assert_eq!(r.aqi, Some(50));
    assert!(r.primary.is_empty());
    // 51: primary appears.
    let r = t.daily(&DailyInput {
        pm25: Some(m(35.4)),
        pm10: Some(m(51.)),
        ..Default::default()
    });
    assert_eq!(r.aqi, Some(51));
    assert_eq!(r.primary.to_string(), "pm10");
    // three-way tie at 150
    let r = t.daily(&DailyInput {
        so2: Some(m(475.)),
        no2: Some(m(180.)),
        co: Some(m(14.)),
        ..Default::default()
    });
    assert_eq!(r.primary.to_string(), "so2;no2;co");
}

#[test]
fn missing_inputs() {
    let t = hj633::table(Edition::E2012);
    let r = t.daily(&DailyInput::default());
    assert_eq!(r.aqi, None);
    assert_eq!(r.level(), None);
    assert!(r.primary.is_empty());
    let r = t.daily(&DailyInput {
        no2: Some(m(90.)),
        ..Default::default()
    });
    assert_eq!(r.aqi, Some(105)); // 100 + ceil((150−100)/(180−80)·(90−80)) = 105
    assert_eq!(r.iaqi[Item::So2.index()], None);
}
