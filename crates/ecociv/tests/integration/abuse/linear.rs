//! Every reader is linear in its input: n lines versus 10·n lines, ratio of times below 25.
//!
//! The times compared are the reading thread's CPU time (Linux's `/proc/thread-self/schedstat`; wall time
//! elsewhere), so a loaded machine — CI under other jobs, or several builds at once — does not make a linear
//! reader look quadratic: a quadratic one costs 100 × the CPU for 10 × the lines, whatever the load.
//! The larger run happens on its own thread with a wall-clock deadline (100 × the smaller run's wall time plus
//! ten seconds), so a reader that hangs fails in minutes instead of running for hours. A reader that parses on
//! worker threads ([`Clock::Wall`]) is compared by wall time instead, with the old deadline of 25 × + 1 s.

use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Lines of the smaller input for each reader, times `ECOCIV_LINEAR_SCALE` (default 1).
fn scale() -> usize {
    std::env::var("ECOCIV_LINEAR_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// The calling thread's CPU time so far (its first `schedstat` field, in nanoseconds); `None` where the
/// kernel does not say.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// What a reader's cost is measured by.
#[derive(Clone, Copy, PartialEq)]
enum Clock {
    /// The CPU time of the thread that reads (the reader does all its work on it).
    ThisThread,
    /// Wall time (the reader works on threads of its own, which the calling thread's CPU time misses).
    Wall,
}

/// Runs `read` once and returns (wall, cost by `clock` — wall where the CPU time is unknown).
fn timed(clock: Clock, read: fn(&[u8]), bytes: &[u8]) -> (Duration, Duration) {
    let cpu = if clock == Clock::ThisThread { thread_cpu() } else { None };
    let start = Instant::now();
    read(bytes);
    let wall = start.elapsed();
    let cpu = match (cpu, thread_cpu()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => wall,
    };
    (wall, cpu)
}

/// Runs `read` on `make(n)` (best of three) and on `make(10 n)`, and fails when the larger one costs more
/// than 25 times the CPU time.
fn assert_linear(name: &str, n: usize, make: fn(usize) -> Vec<u8>, read: fn(&[u8])) {
    assert_linear_by(Clock::ThisThread, name, n, make, read);
}

/// [`assert_linear`] with the cost measured by `clock`.
fn assert_linear_by(clock: Clock, name: &str, n: usize, make: fn(usize) -> Vec<u8>, read: fn(&[u8])) {
    let n = n * scale();
    let small = make(n);
    let big = make(10 * n);
    let (mut wall_small, mut cpu_small) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        let (wall, cpu) = timed(clock, read, &small);
        wall_small = wall_small.min(wall);
        cpu_small = cpu_small.min(cpu);
    }
    let deadline = match clock {
        Clock::ThisThread => wall_small * 100 + Duration::from_secs(10),
        Clock::Wall => wall_small * 25 + Duration::from_secs(1),
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(timed(clock, read, &big));
    });
    match rx.recv_timeout(deadline) {
        Ok((wall_big, cpu_big)) => {
            eprintln!(
                "{name}: {n} lines {cpu_small:?} ({wall_small:?} wall), {} lines {cpu_big:?} ({wall_big:?} wall), ratio {:.1}",
                10 * n,
                cpu_big.as_secs_f64() / cpu_small.as_secs_f64()
            );
            let bound = match clock {
                Clock::ThisThread => cpu_small * 25 + Duration::from_millis(200),
                Clock::Wall => deadline,
            };
            assert!(
                cpu_big < bound,
                "{name}: {} lines took {cpu_big:?} of CPU, more than 25 × {cpu_small:?} for {n} lines: super-linear",
                10 * n
            );
        }
        Err(_) => panic!(
            "{name}: {} lines did not finish within {deadline:?} of {wall_small:?} for {n} lines: super-linear or hung",
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
    assert_linear_by(
        Clock::Wall,
        "air hourly (parallel, CR-only)",
        20_000,
        air_file,
        |bytes| {
            let mut out = Vec::new();
            let opts = ecociv_air::ingest::ReadOptions {
                source: "a.csv".into(),
                skip_bad: false,
            };
            ecociv_air::ingest::run_annual(bytes, &mut out, &opts, ecociv_air::EditionChoice::ByDate).unwrap();
        },
    );
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
