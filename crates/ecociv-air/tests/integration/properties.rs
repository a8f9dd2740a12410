//! Property tests: AQI is monotone in each concentration (for physically consistent inputs, O3 1-h max ≥
//! O3 8-h max), AQI = max IAQI with the primary pollutants exactly the maxima, and no panic on any CSV.

use ecociv_air::hj633::{self, DailyInput, ITEMS};
use ecociv_air::ingest::{self, ReadOptions};
use ecociv_air::{Edition, EditionChoice};
use proptest::prelude::*;

fn conc() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![1 => Just(None), 6 => (0i64..1_500_000).prop_map(Some), 1 => (0i64..200).prop_map(|x| Some(x * 1000))]
}

fn input() -> impl Strategy<Value = DailyInput> {
    (
        conc(),
        conc(),
        conc(),
        (0i64..80_000).prop_map(Some),
        conc(),
        conc(),
        conc(),
    )
        .prop_map(|(so2, no2, pm10, co, o3_1h, o3_8h, pm25)| {
            // O3 1-h daily max ≥ O3 8-h daily max (a max of hours ≥ a mean of hours).
            let o3_1h = match (o3_1h, o3_8h) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, _) => a,
            };
            DailyInput {
                so2,
                no2,
                pm10,
                co,
                o3_1h,
                o3_8h,
                pm25,
            }
        })
}

fn edition() -> impl Strategy<Value = Edition> {
    prop_oneof![Just(Edition::E2012), Just(Edition::E2026)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn aqi_is_max_iaqi_and_primary_are_the_maxima(d in input(), ed in edition()) {
        let r = hj633::table(ed).daily(&d);
        prop_assert_eq!(r.aqi, r.iaqi.iter().flatten().copied().max());
        for it in ITEMS {
            let is_max = r.aqi.is_some_and(|a| a > 50 && r.iaqi[it.index()] == Some(a));
            prop_assert_eq!(r.primary.contains(it), is_max);
        }
        if let Some(a) = r.aqi {
            prop_assert!(a <= 500);
            let l = r.level().unwrap();
            prop_assert!(a >= l.aqi_min && l.aqi_max.is_none_or(|m| a <= m));
        }
    }

    #[test]
    fn aqi_never_decreases_when_one_concentration_rises(d in input(), ed in edition(), which in 0usize..7, up in 0i64..300_000) {
        let t = hj633::table(ed);
        let before = t.daily(&d).aqi.unwrap_or(0);
        let mut e = d;
        let bump = |x: Option<i64>| Some(x.unwrap_or(0) + up);
        match which {
            0 => e.so2 = bump(e.so2),
            1 => e.no2 = bump(e.no2),
            2 => e.pm10 = bump(e.pm10),
            3 => e.co = bump(e.co),
            4 => e.o3_1h = bump(e.o3_1h),
            5 => {
                // keep O3 1-h ≥ O3 8-h
                e.o3_8h = bump(e.o3_8h);
                if e.o3_1h.is_some_and(|a| a < e.o3_8h.unwrap_or(0)) || e.o3_1h.is_none() {
                    e.o3_1h = e.o3_8h;
                }
            }
            _ => e.pm25 = bump(e.pm25),
        }
        let after = t.daily(&e).aqi.unwrap_or(0);
        prop_assert!(after >= before, "{:?} → {:?}: {} → {}", d, e, before, after);
    }

    #[test]
    fn no_panic_on_arbitrary_hourly_csv(body in "[A-Za-z0-9,.\\-\" \n\r/]{0,400}", header in any::<bool>()) {
        let text = if header { format!("station,date,hour,so2,no2,pm10,co,o3,pm25\n{body}") } else { body };
        for skip in [false, true] {
            let mut out = Vec::new();
            let opts = ReadOptions { source: "fuzz".into(), skip_bad: skip };
            let r = ingest::run_annual(text.as_bytes(), &mut out, &opts, EditionChoice::ByDate);
            if r.is_err() { prop_assert!(out.is_empty()); }
        }
    }

    #[test]
    fn no_panic_on_plausible_hourly_rows(rows in proptest::collection::vec(
        ("[AB]", 2022i32..2027, 1u8..14, 0u8..33, 0u8..26, proptest::collection::vec(prop_oneof![Just(String::new()), "[0-9]{1,5}(\\.[0-9]{1,4})?", "-?[0-9x.]{1,3}"], 6)), 0..120)) {
        let mut text = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\n");
        for (st, y, mo, d, h, vals) in rows {
            text.push_str(&format!("{st},{y:04}-{mo:02}-{d:02},{h},{}\n", vals.join(",")));
        }
        for skip in [false, true] {
            let mut out = Vec::new();
            let opts = ReadOptions { source: "fuzz".into(), skip_bad: skip };
            let _ = ingest::run_annual(text.as_bytes(), &mut out, &opts, EditionChoice::ByDate);
        }
    }

    #[test]
    fn no_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut data = b"station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25\n".to_vec();
        data.extend_from_slice(&bytes);
        let mut out = Vec::new();
        let opts = ReadOptions { source: "fuzz".into(), skip_bad: true };
        let _ = ingest::run_daily(&data[..], &mut out, &opts, EditionChoice::ByDate);
        let mut out = Vec::new();
        let _ = ingest::run_annual(&bytes[..], &mut out, &opts, EditionChoice::ByDate);
    }
}

fn outcome(
    r: Result<(Vec<ecociv_air::station::StationAnnual>, ingest::IngestSummary), ingest::IngestError>,
    out: Vec<u8>,
) -> String {
    match r {
        Ok((rows, sum)) => format!("{rows:?}\n{sum:?}\n{}", String::from_utf8_lossy(&out)),
        Err(e) => format!("error {e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The parallel reader (small blocks, 1–3 workers) gives exactly the sequential reader's results,
    /// summaries and errors (line numbers included), with quotes, bad rows, blank lines and CRLF.
    #[test]
    fn parallel_reader_equals_sequential(
        rows in proptest::collection::vec((0usize..3, 1u8..4, 0u8..24, proptest::collection::vec(prop_oneof![
            4 => "[0-9]{1,3}", 1 => Just(String::new()), 1 => "[0-9]\\.[0-9]{1,2}", 1 => "[ .0-9e-]{1,6}"], 6), 0u8..40), 0..150),
        block in 64usize..400, workers in 1usize..4, skip in any::<bool>(),
    ) {
        let mut text = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\n");
        let names = ["A", "B", "\"C, q\""];
        let mut sorted = rows;
        sorted.sort_by_key(|r| (r.0, r.1, r.2));
        for (st, d, h, vals, noise) in sorted {
            let line = format!("{},2023-01-{d:02},{h},{}", names[st], vals.join(","));
            match noise {
                0 => text.push_str("A,2023-01-01,xx,1,1,1,1,1,1\n"),
                1 => text.push('\n'),
                2 => { text.push_str(&line); text.push_str("\r\n"); continue; }
                3 => { text.push_str(&line); text.push('\r'); continue; }
                _ => {}
            }
            text.push_str(&line);
            text.push('\n');
        }
        let opts = ReadOptions { source: "p".into(), skip_bad: skip };
        let mut eng = ecociv_air::station::AnnualEngine::new(EditionChoice::ByDate);
        let seq = ingest::read_hourly(text.as_bytes(), &opts, |r| eng.push(r)).map(|s| (eng.finish(), s));
        let mut eng = ecociv_air::station::AnnualEngine::new(EditionChoice::ByDate);
        let par = ingest::read_hourly_parallel(text.as_bytes(), &opts, workers, block, |r| eng.push(r)).map(|s| (eng.finish(), s));
        prop_assert_eq!(outcome(seq, Vec::new()), outcome(par, Vec::new()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The real-time report's moving means agree with the daily processing of HJ 663 where their windows
    /// coincide: at hour 23 the 24-h moving means of PM10 / PM2.5 are the day's 24-h means, and the O3 8-h
    /// moving mean at hour h ≥ 7 is the day's window h−7 … h (the day's maximum over those windows is MDA8).
    #[test]
    fn realtime_moving_means_match_the_daily_means(
        hours in proptest::collection::vec(
            (proptest::option::weighted(0.9, 0i64..400_000), proptest::option::weighted(0.9, 0i64..400_000), proptest::option::weighted(0.9, 0i64..300_000)),
            24,
        ),
    ) {
        use ecociv_air::hj663::{self, DayHours};
        use ecociv_air::realtime::{PmWindow, RealtimeEngine};
        use ecociv_air::station::HourlyRow;
        use ecociv_air::Date;

        let date = Date::new(2024, 5, 17).unwrap();
        let mut engine = RealtimeEngine::new(EditionChoice::Fixed(Edition::E2012), Some(PmWindow::MovingDay));
        let mut day = DayHours::default();
        let mut o3_8h_at = Vec::new();
        let mut last = None;
        for (h, (pm10, pm25, o3)) in hours.iter().enumerate() {
            let values = [None, None, *pm10, None, *o3, *pm25];
            day.set(h as u8, &values);
            let r = engine.push(&HourlyRow { station: "S", date, hour: h as u8, values }).unwrap();
            o3_8h_at.push(r.o3_8h);
            last = Some(r);
        }
        let last = last.unwrap();
        let daily = hj663::daily_values(&day, hj663::params(Edition::E2012));
        prop_assert_eq!(last.pm10, daily.get(hj633::Item::Pm10));
        prop_assert_eq!(last.pm25, daily.get(hj633::Item::Pm25));
        // MDA8 from the real-time windows ending 07:00 … 23:00 (windows with ≥ 6 hours), when the day has one.
        let best = o3_8h_at[7..].iter().flatten().copied().max();
        if let Some(mda8) = daily.get(hj633::Item::O3_8h) {
            prop_assert_eq!(Some(mda8), best);
        }
    }
}
