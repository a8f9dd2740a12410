//! Zone figures (点位平均法): the zone's daily values are the means of its stations' daily values.

use ecociv_air::Date;
use ecociv_air::EditionChoice;
use ecociv_air::station::HourlyRow;
use ecociv_air::zone::ZoneEngine;

#[test]
fn point_average_over_stations() {
    let mut eng = ZoneEngine::new("450202", Some(2023), EditionChoice::ByDate);
    let mut date = Date::new(2023, 1, 1).unwrap();
    let mut n = 0;
    while date.year == 2023 {
        n += 1;
        // Station A PM2.5 60, station B PM2.5 11 → zone 35.5 → 36 (half to even) → AQI 52 (良) on even days;
        // on odd days A 40, B 20 → 30 → AQI 43 (优). PM10 on day 1 is 400 at A only (B missing) → AQI 325.
        for (st, pm25) in [
            ("A", if n % 2 == 0 { 60 } else { 40 }),
            ("B", if n % 2 == 0 { 11 } else { 20 }),
        ] {
            for h in 0..24u8 {
                let pm10 = if n == 1 {
                    if st == "A" { 400_000 } else { -1 }
                } else {
                    30_000
                };
                let mut values = [
                    Some(5_000),
                    Some(20_000),
                    Some(pm10),
                    Some(500),
                    Some(60_000),
                    Some(pm25 * 1000),
                ];
                if pm10 < 0 {
                    values[2] = None;
                }
                eng.push(&HourlyRow {
                    station: st,
                    date,
                    hour: h,
                    values,
                })
                .unwrap();
            }
        }
        // rows of another year are ignored
        eng.push(&HourlyRow {
            station: "C",
            date: Date::new(2022, 1, 1).unwrap(),
            hour: 0,
            values: [None; 6],
        })
        .unwrap();
        date = next(date);
    }
    let zs = eng.finish();
    assert_eq!(zs.len(), 1);
    let z = &zs[0];
    assert_eq!(z.stations, vec!["A".to_string(), "B".to_string()]);
    assert_eq!(z.annual.valid_days, 365);
    // good days: 364 (day 1 is 严重污染 by PM10 400 → IAQI 300 + ceil(100·50/70) = 372? No: 350–420 → 200–300:
    // 200 + ceil(100·50/70) = 272 → 重度污染).
    assert_eq!(z.annual.good_days, 364);
    assert_eq!(z.annual.days_by_level[4], 1);
    assert_eq!(z.good_rate_tenths(), Some(997)); // 364/365 = 99.726 → 99.7
    // PM2.5 annual: 182 even days × 36 (35.5 → 36) + 183 odd days × 30 = 6552 + 5490 = 12042 / 365 = 32.99 → 33
    assert_eq!(z.pm25(), Some((33, true)));
    assert!(z.provenance().contains("2 个站点"));
}

fn next(d: Date) -> Date {
    Date::new(d.year, d.month, d.day + 1)
        .or_else(|| Date::new(d.year, d.month + 1, 1))
        .unwrap_or(Date {
            year: d.year + 1,
            month: 1,
            day: 1,
        })
}

#[test]
fn every_year_when_no_year_is_given_and_missing_folder_is_empty() {
    let mut eng = ZoneEngine::new("z", None, EditionChoice::ByDate);
    for (y, pm25) in [(2025, 40_000), (2026, 20_000)] {
        let mut date = Date::new(y, 12, 1).unwrap();
        while date.month == 12 {
            for h in 0..24u8 {
                let values = [
                    Some(5_000),
                    Some(20_000),
                    Some(30_000),
                    Some(500),
                    Some(60_000),
                    Some(pm25),
                ];
                eng.push(&HourlyRow {
                    station: "A",
                    date,
                    hour: h,
                    values,
                })
                .unwrap();
            }
            date = next(date);
        }
    }
    let zs = eng.finish();
    assert_eq!(
        zs.iter().map(|z| (z.year, z.annual.valid_days)).collect::<Vec<_>>(),
        vec![(2025, 31), (2026, 31)]
    );
    // December 2025 under the 2012 editions, December 2026 under the 2026 editions.
    assert_eq!(zs[0].edition(), ecociv_air::Edition::E2012);
    assert_eq!(zs[1].edition(), ecociv_air::Edition::E2026);
    assert_eq!(zs[1].annual.aqi_days_by_edition, [0, 31]);
    // 31 days: the annual coverage rule fails, so the PM2.5 mean is flagged as not valid.
    assert_eq!(zs[0].pm25(), Some((40, false)));
    let (none, _, files) = ecociv_air::ingest::read_zone_dir(
        std::path::Path::new("/nonexistent/monitoring/air"),
        "z",
        None,
        EditionChoice::ByDate,
        false,
    )
    .unwrap();
    assert!(none.is_empty() && files.is_empty());
}

/// A fresh folder under the system's temporary directory (removed at the end of the test).
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("ecociv-air-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Two stations' year as daily rows and as hourly rows whose every hour is the day's value: (daily CSV,
/// hourly CSV). PM2.5 varies by day and station, so the point average and the good-day share are exercised.
fn constant_days(year: i32) -> (String, String) {
    let mut daily = String::from("station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25\n");
    let mut hourly = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\n");
    for (station, base) in [("A", 20), ("B", 51)] {
        let mut date = Date::new(year, 1, 1).unwrap();
        let mut n = 0;
        while date.year == year {
            n += 1;
            let pm25 = base + (n * 7) % 60;
            let so2 = 5 + n % 9;
            daily.push_str(&format!("{station},{date},{so2},20,40,0.7,90,90,{pm25}\n"));
            for h in 0..24 {
                hourly.push_str(&format!("{station},{date},{h},{so2},20,40,0.7,90,{pm25}\n"));
            }
            date = next(date);
        }
    }
    (daily, hourly)
}

#[test]
fn daily_values_give_the_year_hourly_values_would_and_only_for_years_without_hours() {
    let (daily, hourly) = constant_days(2023);
    let read = |files: &[(&str, &str)]| {
        let dir = TempDir::new(&format!("daily-{}", files.len()));
        for (name, text) in files {
            std::fs::write(dir.0.join(name), text).unwrap();
        }
        let (years, _, names) =
            ecociv_air::ingest::read_zone_dir(&dir.0, "z", None, EditionChoice::ByDate, false).unwrap();
        assert_eq!(names.len(), files.len());
        years
    };
    let from_daily = read(&[("d.csv", &daily)]);
    let from_hours = read(&[("h.csv", &hourly)]);
    assert_eq!(from_daily.len(), 1);
    assert!(from_daily[0].from_daily && !from_hours[0].from_daily);
    assert_eq!(from_daily[0].annual, from_hours[0].annual, "the same evaluation");
    assert_eq!(from_daily[0].stations, vec!["A".to_string(), "B".to_string()]);
    assert_eq!(from_daily[0].annual.valid_days, 365);
    assert!(from_daily[0].provenance().contains("由日均值"));
    // A year with hourly data ignores the daily values of that year; 2024 has daily values only.
    let other = daily.replace(",20,40,", ",80,40,");
    assert_ne!(other, daily);
    let (daily_2024, _) = constant_days(2024);
    let mixed = read(&[("a.csv", &hourly), ("b.csv", &other), ("c.csv", &daily_2024)]);
    assert_eq!(mixed.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2023, 2024]);
    assert_eq!(mixed[0].annual, from_hours[0].annual);
    assert!(!mixed[0].from_daily && mixed[1].from_daily);
    // A daily value is rounded to the report unit (GB/T 8170) before the point average: 35.5 → 36.
    let mut eng = ZoneEngine::new("z", None, EditionChoice::ByDate);
    let day = Date::new(2023, 3, 1).unwrap();
    let input = ecociv_air::hj633::DailyInput {
        pm25: Some(35_500),
        ..Default::default()
    };
    eng.push_daily("A", day, &input);
    let (_, days) = eng.finish_with_days();
    assert_eq!(days[0].values.get(ecociv_air::hj633::Item::Pm25), Some(36));
}
