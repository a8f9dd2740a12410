//! The annual reader that computes whole station-days on its parsing threads (`read_annual_parallel`, the
//! path of `ecociv air annual`) gives exactly the sequential reader's results, summaries and errors (line
//! numbers included) — sorted by station or by time, with disorder, repeated hours, bad rows, names the
//! general path trims or refuses, blank lines, CRLF, lone CR and quotes, across a year's end and the 2026
//! edition's first day, with blocks small enough to cut days anywhere.

use ecociv_air::EditionChoice;
use ecociv_air::ingest::{self, ReadOptions};
use ecociv_air::station::AnnualEngine;
use proptest::prelude::*;

fn outcome(r: Result<ingest::IngestSummary, ingest::IngestError>, eng: AnnualEngine) -> String {
    match r {
        Ok(sum) => format!("{:?}\n{sum:?}", eng.finish()),
        Err(e) => format!("error {e}"),
    }
}

const NAMES: [&str; 7] = ["A", "B", " C", "D\u{1}", "站点E", "F ", "\"G, q\""];
const DATES: [&str; 6] = [
    "2025-12-30",
    "2025-12-31",
    "2026-01-01",
    "2026-02-28",
    "2026-03-01",
    "2026-03-02",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[0-9]{1,3}",
        1 => Just(String::new()),
        1 => "[0-9]{1,2}\\.[0-9]{1,3}",
        1 => "[ .0-9e-]{1,5}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn annual_reader_equals_sequential(
        rows in proptest::collection::vec(
            (0usize..7, 0usize..6, 0u8..25, proptest::collection::vec(value(), 6), 0u8..60),
            0..260,
        ),
        order in 0u8..3,
        block in 64usize..700,
        workers in 1usize..4,
        skip in any::<bool>(),
        choice in prop_oneof![Just(EditionChoice::ByDate), Just(EditionChoice::Fixed(ecociv_air::Edition::E2026))],
    ) {
        let mut rows = rows;
        // Mostly common station names: long runs of whole days.
        for r in &mut rows {
            if r.4 >= 30 {
                r.0 %= 2;
            }
        }
        match order {
            0 => rows.sort_by_key(|r| (r.0, r.1, r.2)),
            1 => rows.sort_by_key(|r| (r.1, r.2, r.0)),
            _ => rows.sort_by_key(|r| (r.0, r.1)),
        }
        let mut text = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\n");
        for (st, d, h, vals, noise) in rows {
            let line = format!("{},{},{h},{}", NAMES[st], DATES[d], vals.join(","));
            match noise {
                0 => text.push_str("A,2026-01-01,xx,1,1,1,1,1,1\n"),
                1 => text.push('\n'),
                2 => {
                    text.push_str(&line);
                    text.push_str("\r\n");
                    continue;
                }
                3 if order != 2 => {
                    text.push_str(&line);
                    text.push('\r');
                    continue;
                }
                4 => {
                    // the same row twice
                    text.push_str(&line);
                    text.push('\n');
                }
                5 => text.push_str("A,2026-01-01,3\n"),
                _ => {}
            }
            text.push_str(&line);
            text.push('\n');
        }
        let opts = ReadOptions { source: "p".into(), skip_bad: skip };
        let mut eng = AnnualEngine::new(choice);
        let seq = ingest::read_hourly(text.as_bytes(), &opts, |r| eng.push(r));
        let seq = outcome(seq, eng);
        let mut eng = AnnualEngine::new(choice);
        let par = ingest::read_annual_parallel(text.as_bytes(), &opts, workers, block, &mut eng);
        prop_assert_eq!(&seq, &outcome(par, eng), "whole days, input {:?}", text);
        // and the rows-only parallel reader
        let mut eng = AnnualEngine::new(choice);
        let rows_par = ingest::read_hourly_parallel(text.as_bytes(), &opts, workers, block, |r| eng.push(r));
        prop_assert_eq!(&seq, &outcome(rows_par, eng), "rows, input {:?}", text);
    }
}

/// A whole year of one station in one block and cut into many blocks gives the same evaluation as the
/// sequential reader (the common shape: sorted by station, date and hour; every station-day whole).
#[test]
fn whole_days_of_a_year_equal_the_sequential_reader() {
    let mut text = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\n");
    let mut x = 7u64;
    for st in ["甲站", "乙站", "S3"] {
        for day in 0..365 {
            let date = ecociv_air::Date::new(2023, 1, 1).unwrap().civil().unwrap() + jiff::Span::new().days(day);
            for h in 0..24 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if (x >> 60) == 0 {
                    continue; // a missing hour now and then
                }
                let v = |k: u32| (x >> (k * 7)) % 300;
                text.push_str(&format!(
                    "{st},{date},{h},{},{},{},{}.{},{},{}\n",
                    v(1),
                    v(2),
                    v(3),
                    v(4) % 5,
                    v(5) % 10,
                    v(6),
                    v(7)
                ));
            }
        }
    }
    let opts = ReadOptions {
        source: "y".into(),
        skip_bad: false,
    };
    let mut eng = AnnualEngine::new(EditionChoice::ByDate);
    let seq = outcome(ingest::read_hourly(text.as_bytes(), &opts, |r| eng.push(r)), eng);
    assert!(!seq.starts_with("error"), "{seq}");
    for block in [100, 997, 4096, 1 << 20] {
        let mut eng = AnnualEngine::new(EditionChoice::ByDate);
        let par = outcome(
            ingest::read_annual_parallel(text.as_bytes(), &opts, 2, block, &mut eng),
            eng,
        );
        assert_eq!(seq, par, "block {block}");
    }
}
