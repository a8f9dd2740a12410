//! Every reader fuzzed with hostile files: arbitrary cells (huge, NUL, quotes, CR-only line ends, non-UTF-8,
//! infinities, formula text, re-spelled dates) under each format's real header, and arbitrary bytes. A reader
//! must answer `Ok` or a located error — no panic — and every case must finish quickly (no hang); records over
//! the 1 MiB limit are refused before they are buffered (bounded allocation).
//!
//! Cases per target: `ECOCIV_FUZZ_CASES` (default 48, a few seconds each in a debug build on a quiet machine).

use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ecociv_monitoring::kind::{self, Kind};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases() -> u32 {
    std::env::var("ECOCIV_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

/// The longest one case may take (a debug build on a shared machine); a reader that loops fails here.
const CASE_LIMIT: Duration = Duration::from_secs(10);

/// Runs `check` over `strategy` on its own thread, failing if the whole run does not end in time (a hang) or
/// one case is slow.
fn fuzz<S, F>(name: &'static str, strategy: F, check: fn(&S::Value))
where
    F: FnOnce() -> S + Send + 'static,
    S: Strategy + 'static,
    S::Value: 'static,
    S::Value: std::fmt::Debug,
{
    let n = cases();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut runner = TestRunner::new(Config {
            cases: n,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&strategy(), |input| {
            let start = Instant::now();
            check(&input);
            let took = start.elapsed();
            prop_assert!(took < CASE_LIMIT, "{name}: one case took {took:?}");
            Ok(())
        });
        let _ = tx.send(result.map_err(|e| e.to_string()));
    });
    // Generous per case (a debug build on a loaded machine takes ~0.3 s for the largest); a hang never ends.
    let limit = CASE_LIMIT * 6 + Duration::from_secs(1) * n;
    match rx.recv_timeout(limit) {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("{name}: {error}"),
        Err(_) => panic!("{name}: {n} cases did not finish within {limit:?} (a reader hangs)"),
    }
}

/// A hostile cell, as bytes.
fn cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop_oneof![
            Just(""), Just("0"), Just("12.5"), Just("-1"), Just("1e308"), Just("-0"), Just("inf"), Just("NaN"),
            Just("0.004L"), Just("2023-01-01"), Just("2023/01/01"), Just("2023-02-30"), Just("2024-01-15 08:00"),
            Just("23"), Just("24"), Just("river"), Just("lake"), Just("S1"), Just("A"), Just("=1+2"), Just("@x"),
            Just("\""), Just("\"a,b\""), Just("\"a\"\"b\""), Just("\"x\ny\""), Just("\0"), Just("站点\u{202e}"),
            Just("7.1"), Just("3"), Just("2021"), Just("完成"), Just("达标"), Just(" 5 "), Just("1,2"),
        ]
        .prop_map(|s: &str| s.as_bytes().to_vec()),
        2 => "[0-9.eE+-]{0,12}".prop_map(String::into_bytes),
        1 => "\\PC{0,12}".prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
        1 => (1usize..100_000).prop_map(|n| vec![b'9'; n]),
    ]
}

/// A file under `header`: rows of hostile cells, a line-end style (LF, CRLF, CR-only), maybe a BOM.
fn file(header: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(proptest::collection::vec(cell(), 0..30), 0..12),
        0usize..3,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(rows, end, bom, keep_header)| {
            let end: &[u8] = [&b"\n"[..], b"\r\n", b"\r"][end];
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice("\u{feff}".as_bytes());
            }
            if keep_header {
                out.extend_from_slice(header.as_bytes());
                out.extend_from_slice(end);
            }
            for row in rows {
                out.extend_from_slice(&row.join(&b","[..]));
                out.extend_from_slice(end);
            }
            out
        })
}

fn framework() -> &'static ecociv_core::Framework {
    static FRAMEWORK: OnceLock<ecociv_core::Framework> = OnceLock::new();
    FRAMEWORK.get_or_init(|| ecociv_data::bundled::framework("national-2021").unwrap())
}

#[test]
fn values_reader() {
    fuzz(
        "values",
        || file("indicator,year,value,assigned,recorded,source"),
        |bytes| {
            let text = String::from_utf8_lossy(bytes);
            let _ = ecociv_data::values::parse_values("f.csv", &text, framework());
            let _ = ecociv_data::values::parse_ledger("f.csv", &text, framework());
        },
    );
}

#[test]
fn air_readers() {
    fuzz(
        "air hourly",
        || file("station,date,hour,so2,no2,pm10,co,o3,pm25"),
        |bytes| {
            let opts = ecociv_air::ingest::ReadOptions {
                source: "f.csv".into(),
                skip_bad: false,
            };
            let mut engine = ecociv_air::station::AnnualEngine::new(ecociv_air::EditionChoice::ByDate);
            let _ = ecociv_air::ingest::read_hourly(&bytes[..], &opts, |row| engine.push(row));
            let mut engine = ecociv_air::station::AnnualEngine::new(ecociv_air::EditionChoice::ByDate);
            let _ = ecociv_air::ingest::read_hourly_parallel(&bytes[..], &opts, 2, 64, |row| engine.push(row));
            let skip = ecociv_air::ingest::ReadOptions { skip_bad: true, ..opts };
            let _ =
                ecociv_air::ingest::run_hourly(&bytes[..], Vec::new(), &skip, ecociv_air::EditionChoice::ByDate, None);
        },
    );
    fuzz(
        "air daily",
        || file("station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25"),
        |bytes| {
            let opts = ecociv_air::ingest::ReadOptions {
                source: "f.csv".into(),
                skip_bad: false,
            };
            let _ = ecociv_air::ingest::run_daily(&bytes[..], Vec::new(), &opts, ecociv_air::EditionChoice::ByDate);
        },
    );
}

#[test]
fn water_and_every_monitoring_kind() {
    let headers: Vec<&'static str> = Kind::ALL
        .iter()
        .map(|kind| &*Box::leak(kind.columns().join(",").into_boxed_str()))
        .collect();
    fuzz(
        "monitoring kinds",
        move || proptest::sample::select(headers).prop_flat_map(file),
        |bytes| {
            // Every kind's reader gets every file (the header drawn is one kind's).
            for kind in Kind::ALL {
                if let Ok(parsed) = kind::parse(kind, "f.csv", bytes) {
                    let _ = kind::rebuild(kind, &parsed.cells);
                }
            }
            let table = ecociv_water::gb3838::Table::embedded();
            let thresholds = ecociv_water::evaluation2011::Thresholds::embedded();
            let _ = ecociv_water::ingest::annual(&bytes[..], table, thresholds);
            let _ = ecociv_water::ingest::classify_stream(&bytes[..], Vec::new(), table, thresholds);
        },
    );
}

#[test]
fn arbitrary_bytes_to_every_csv_reader() {
    fuzz(
        "bytes",
        || proptest::collection::vec(any::<u8>(), 0..4096),
        |bytes| {
            for kind in Kind::ALL {
                let _ = kind::parse(kind, "f.csv", bytes);
            }
            let _ = ecociv_data::values::parse_values("f.csv", &String::from_utf8_lossy(bytes), framework());
        },
    );
}

/// Department templates from bytes: arbitrary bytes, and an exported template damaged (cut, bytes changed).
#[test]
fn template_import_from_bytes() {
    static TEMPLATE: OnceLock<(ecociv_data::LoadedZone, Vec<u8>)> = OnceLock::new();
    let (loaded, template) = TEMPLATE.get_or_init(|| {
        let loaded = ecociv_data::load_zone("450202").unwrap();
        let bytes = ecociv_report::template::export(&loaded.framework, &loaded.zone, "城中区农业农村局", 2022).unwrap();
        (loaded, bytes)
    });
    let len = template.len();
    fuzz(
        "template",
        move || {
            (
                0..len,
                proptest::collection::vec((0..len, any::<u8>()), 0..8),
                any::<bool>(),
            )
        },
        |(cut, changes, whole)| {
            let (loaded, template) = TEMPLATE.get().unwrap();
            let mut bytes = if *whole {
                template.clone()
            } else {
                template[..*cut].to_vec()
            };
            for (at, byte) in changes {
                if let Some(b) = bytes.get_mut(*at) {
                    *b = *byte;
                }
            }
            let _ = ecociv_report::template::import(&loaded.framework, &loaded.zone, &bytes, "f.xlsx");
        },
    );
    let _ = loaded;
}

/// The noise (GB 3096) and soil (GB 36600, GB 15618) readers, each given every drawn file (issue 19).
#[test]
fn noise_and_soil_readers() {
    let headers = vec![
        "point,class,date,start,minutes,leq,lmax",
        "sample,class,item,value",
        "sample,land,ph,item,value",
    ];
    fuzz(
        "noise and soil",
        move || proptest::sample::select(headers).prop_flat_map(file),
        |bytes| {
            let _ = ecociv_noise::ingest::read_and_judge(&bytes[..], ecociv_noise::gb3096::Table::embedded());
            let _ = ecociv_soil::ingest::read_development(&bytes[..], ecociv_soil::gb36600::Table::embedded());
            let _ = ecociv_soil::ingest::read_farmland(&bytes[..], ecociv_soil::gb15618::Table::embedded());
        },
    );
}
