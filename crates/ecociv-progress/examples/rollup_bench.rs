//! Benchmark (issue 15; run by hand, results in docs/benchmarks.md): the roll-up of a province-sized and a
//! nation-sized set of zones from their stored summary texts — decode every summary and roll up — as the
//! server does after its one query. Zones are the example zone's 2021 assessment with row 10's figure varied
//! per zone (SYNTHETIC). `cargo run --release -p ecociv-progress --example rollup_bench`.

use std::time::Instant;

use ecociv_core::{Observation, Value, assess};
use ecociv_progress::rollup::{ZoneEntry, ZoneSummary, rollup};

fn main() {
    let loaded = ecociv_data::load_zone("450202").expect("example zone");
    let framework = loaded.framework.clone();
    let base: Observation = loaded.zone.observation("10", 2021).expect("row 10").clone();
    // 100 distinct assessments (row 10 from 30 to 49.8), reused round-robin.
    let texts: Vec<String> = (0..100)
        .map(|i| {
            let mut zone = loaded.zone.clone();
            zone.override_with([Observation {
                value: Value::Number(30.0 + f64::from(i) * 0.2),
                ..base.clone()
            }]);
            ZoneSummary::from_assessment(&assess(&framework, &zone, 2021)).encode()
        })
        .collect();
    for zones in [112usize, 2_845] {
        let stored: Vec<(String, String)> = (0..zones)
            .map(|i| (format!("{:06}", 100_000 + i), texts[i % 100].clone()))
            .collect();
        let mut times = Vec::new();
        for _ in 0..20 {
            let start = Instant::now();
            let entries: Vec<ZoneEntry> = stored
                .iter()
                .map(|(code, text)| ZoneEntry {
                    code: code.clone(),
                    name: code.clone(),
                    parent: None,
                    summary: ZoneSummary::decode(text),
                })
                .collect();
            let r = rollup("all", 2021, &framework, &entries);
            assert_eq!(r.compared, zones);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let bytes: usize = stored.iter().map(|(_, t)| t.len()).sum();
        println!(
            "{zones} zones ({} KiB of summaries): decode + roll-up median {:.2} ms, max {:.2} ms (20 runs)",
            bytes / 1024,
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
}
