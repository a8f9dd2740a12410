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
