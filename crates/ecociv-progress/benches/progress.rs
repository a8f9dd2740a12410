//! Speed of the progress measure at national scale: ~2,800 county units × 45 rows.
//!
//! Run: `cargo bench -p ecociv-progress --bench progress` (release build). Prints the time per series
//! for the measure alone (comparable with the Python peer `benches/peer_python.py`, which implements the
//! same measure) and for the full evaluation (measure + forecasts + warning), and the time of
//! `zone_progress` for the example zone with its synthetic series, repeated for 2,800 zones.
//! Plain `std::time::Instant` timing, best of 5 runs; no extra dependency.

use std::hint::black_box;
use std::time::Instant;

use ecociv_progress::{Direction, Observation, SeriesInput, evaluate, measure};

const ZONES: usize = 2_800;
const ROWS: usize = 45;

/// Deterministic series: the same generator as `peer_python.py` (64-bit LCG).
fn series(count: usize) -> Vec<SeriesInput> {
    let mut state: u64 = 42;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|i| {
            let years = 2 + (i % 7);
            let base = 10.0 + 90.0 * next();
            let trend = (next() - 0.4) * 0.05;
            let points = (0..years)
                .map(|k| {
                    Observation::new(
                        2021 + k as i32,
                        base * (1.0 + trend).powi(k as i32) * (1.0 + 0.01 * (next() - 0.5)),
                    )
                })
                .collect();
            let target = if i % 3 == 0 {
                None
            } else {
                Some(base * (1.0 + 0.2 * (next() - 0.3)))
            };
            SeriesInput {
                points,
                direction: if i % 2 == 0 {
                    Direction::HigherIsBetter
                } else {
                    Direction::LowerIsBetter
                },
                base_year: 2021,
                target_year: 2030,
                target,
                natural_limit: if i % 3 == 0 { Some(100.0) } else { None },
            }
        })
        .collect()
}

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> f64 {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let inputs = series(ZONES * ROWS);
    let n = inputs.len() as f64;
    let t_measure = best_of(5, || {
        for input in &inputs {
            let _ = black_box(measure(black_box(input)));
        }
    });
    let t_eval = best_of(5, || {
        for input in &inputs {
            let _ = black_box(evaluate(black_box(input)));
        }
    });
    // Agreement with the Python peer on the same series: counts per status and the sum of scores.
    let mut counts = std::collections::BTreeMap::new();
    let mut score_sum = 0.0;
    for input in &inputs {
        match measure(input) {
            Ok(r) => {
                *counts.entry(r.status.as_str()).or_insert(0usize) += 1;
                score_sum += r.score.unwrap_or(0.0);
            }
            Err(_) => *counts.entry("error").or_insert(0usize) += 1,
        }
    }
    println!("series: {}", inputs.len());
    println!("statuses: {counts:?}");
    println!("score sum: {score_sum:.6}");
    println!(
        "measure only:        {:.3} s total, {:.0} ns/series",
        t_measure,
        t_measure / n * 1e9
    );
    println!(
        "measure+forecast+warning: {:.3} s total, {:.0} ns/series",
        t_eval,
        t_eval / n * 1e9
    );

    let mut loaded = ecociv_data::load_zone("450202").expect("example zone");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/progress/450202-2022-2024.csv");
    let obs = ecociv_data::load::load_values_file(&path, &loaded.framework).expect("synthetic values");
    loaded.zone.override_with(obs);
    let t_zone = best_of(3, || {
        for _ in 0..ZONES {
            let _ = black_box(ecociv_progress::zone::zone_progress(
                &loaded.framework,
                black_box(&loaded.zone),
                2025,
            ));
        }
    });
    println!(
        "zone_progress x {ZONES} zones: {:.3} s total, {:.1} µs/zone",
        t_zone,
        t_zone / ZONES as f64 * 1e6
    );
}
