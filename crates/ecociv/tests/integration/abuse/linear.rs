//! Every reader is linear in its input: n lines versus 10·n lines, ratio of times below 25.
//!
//! The larger run happens on its own thread with a deadline of 25 × the smaller run's time (plus a second of
//! slack for a shared machine), so a quadratic reader fails in seconds instead of running for hours.

use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Lines of the smaller input for each reader, times `ECOCIV_LINEAR_SCALE` (default 1).
fn scale() -> usize {
    std::env::var("ECOCIV_LINEAR_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// Runs `read` on `make(n)` (best of three) and on `make(10 n)`, and fails when the larger one takes more
/// than 25 times as long.
fn assert_linear(name: &str, n: usize, make: fn(usize) -> Vec<u8>, read: fn(&[u8])) {
    let n = n * scale();
    let small = make(n);
    let big = make(10 * n);
    let mut t_small = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        read(&small);
        t_small = t_small.min(start.elapsed());
    }
    let deadline = t_small * 25 + Duration::from_secs(1);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let start = Instant::now();
        read(&big);
        let _ = tx.send(start.elapsed());
    });
    match rx.recv_timeout(deadline) {
        Ok(t_big) => {
            eprintln!(
                "{name}: {n} lines {t_small:?}, {} lines {t_big:?}, ratio {:.1}",
                10 * n,
                t_big.as_secs_f64() / t_small.as_secs_f64()
            );
            assert!(
                t_big < deadline,
                "{name}: {} lines took {t_big:?}, more than 25 × {t_small:?} for {n} lines: super-linear",
                10 * n
            );
        }
        Err(_) => panic!(
            "{name}: {} lines did not finish within {deadline:?} (25 × {t_small:?} for {n} lines + 1 s): super-linear",
            10 * n
        ),
    }
}

fn framework() -> &'static ecociv_core::Framework {
    static FRAMEWORK: std::sync::OnceLock<ecociv_core::Framework> = std::sync::OnceLock::new();
    FRAMEWORK.get_or_init(|| ecociv_data::bundled::framework("national-2021").unwrap())
}

/// A values ledger of `n` lines (later lines revise earlier ones), with CRLF line ends.
fn values_file(n: usize) -> Vec<u8> {
    let mut text = String::from("indicator,year,value,assigned,recorded,source\r\n");
    for i in 0..n {
        text.push_str(&format!("3,{},{}.5,,,第{i}行\r\n", 1950 + i % 150, i % 90));
    }
    text.into_bytes()
}

#[test]
fn values_reader_is_linear() {
    assert_linear("values", 10_000, values_file, |bytes| {
        let text = std::str::from_utf8(bytes).unwrap();
        let parsed = ecociv_data::values::parse_ledger("v.csv", text, framework()).unwrap();
        assert_eq!(parsed.len(), text.lines().count() - 1);
    });
}

/// An hourly air file: `n` station-hours over a few stations, CR-only line ends (the case that used to hang).
fn air_file(n: usize) -> Vec<u8> {
    let mut text = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\r");
    let stations = n.div_ceil(24 * 365).max(1);
    let mut written = 0;
    'out: for station in 0..stations {
        let mut day = jiff::civil::date(2023, 1, 1);
        for _ in 0..365 {
            for hour in 0..24 {
                if written == n {
                    break 'out;
                }
                text.push_str(&format!("S{station},{day},{hour},10,20,40,0.8,{},35\r", 40 + hour));
                written += 1;
            }
            day = day.tomorrow().unwrap();
        }
    }
    text.into_bytes()
}

#[test]
fn air_hourly_reader_is_linear() {
    assert_linear("air hourly (parallel, CR-only)", 20_000, air_file, |bytes| {
        let mut out = Vec::new();
        let opts = ecociv_air::ingest::ReadOptions {
            source: "a.csv".into(),
            skip_bad: false,
        };
        ecociv_air::ingest::run_annual(bytes, &mut out, &opts, ecociv_air::EditionChoice::ByDate).unwrap();
    });
}

/// A water sections file of `n` samples (monthly samples of many sections).
fn water_file(n: usize) -> Vec<u8> {
    let kind = ecociv_monitoring::kind::Kind::Sections;
    let columns = kind.columns();
    let mut text = columns.join(",") + "\n";
    for i in 0..n {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match *c {
                "section" => format!("S{}", i / 12),
                "date" => format!("2024-{:02}-15", i % 12 + 1),
                "waterbody" => "river".into(),
                "ph" => "7.2".into(),
                "nh3n" | "tp" => "0.1".into(),
                _ => String::new(),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text.into_bytes()
}

#[test]
fn water_and_monitoring_readers_are_linear() {
    assert_linear("water annual", 10_000, water_file, |bytes| {
        let table = ecociv_water::gb3838::Table::embedded();
        let thresholds = ecociv_water::evaluation2011::Thresholds::embedded();
        ecociv_water::ingest::annual(bytes, table, thresholds).unwrap();
    });
    assert_linear("monitoring sections upload", 5_000, water_file, |bytes| {
        ecociv_monitoring::kind::parse(ecociv_monitoring::kind::Kind::Sections, "s.csv", bytes).unwrap();
    });
    assert_linear("monitoring air upload", 10_000, air_file, |bytes| {
        ecociv_monitoring::kind::parse(ecociv_monitoring::kind::Kind::Air, "a.csv", bytes).unwrap();
    });
}

/// The register of black-odorous bodies checked duplicates against every earlier line (quadratic).
#[test]
fn black_odorous_register_reader_is_linear() {
    assert_linear(
        "black-odorous register",
        20_000,
        |n| {
            let mut text = String::from("body,name\n");
            for i in 0..n {
                text.push_str(&format!("B{i},水体{i}\n"));
            }
            text.into_bytes()
        },
        |bytes| {
            ecociv_water::ingest::read_bodies(bytes).unwrap();
        },
    );
}

/// A noise file of `n` hourly readings: many points, one class each, consecutive day hours.
fn noise_file(n: usize) -> Vec<u8> {
    let mut out = String::from("point,class,date,start,minutes,leq,lmax\n");
    for i in 0..n {
        let day = 1 + (i / 16) % 28;
        let hour = 6 + i % 16;
        out.push_str(&format!(
            "P{},2,2024-03-{day:02},{hour:02}:00,60,{}.5,\n",
            i / 448,
            50 + i % 10
        ));
    }
    out.into_bytes()
}

/// A farmland file of `n` contents: samples of eight metals each.
fn farmland_file(n: usize) -> Vec<u8> {
    let metals = ["cd", "hg", "as", "pb", "cr", "cu", "ni", "zn"];
    let mut out = String::from("sample,land,ph,item,value\n");
    for i in 0..n {
        out.push_str(&format!(
            "S{},水田,6.{},{},{}\n",
            i / 8,
            (i / 8) % 10,
            metals[i % 8],
            i % 7
        ));
    }
    out.into_bytes()
}

#[test]
fn noise_and_soil_readers_are_linear() {
    assert_linear("noise judge", 10_000, noise_file, |bytes| {
        ecociv_noise::ingest::read_and_judge(bytes, ecociv_noise::gb3096::Table::embedded()).unwrap();
    });
    assert_linear("soil farmland", 10_000, farmland_file, |bytes| {
        ecociv_soil::ingest::read_farmland(bytes, ecociv_soil::gb15618::Table::embedded()).unwrap();
    });
}
