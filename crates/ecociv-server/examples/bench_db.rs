//! Generates the load benchmark's database: N synthetic zones (codes 9xxxxx, names marked SYNTHETIC) with
//! the example zone's profile attributes and plan, and a value for every row of the framework in each of Y
//! years, stored as approved revisions; then materializes every (zone, year) assessment
//! (`ecociv_server::assessments::refresh_zone`, two zones at a time), as a server's background fill would.
//! Usage: `bench_db <DB URL> [zones=3000] [years=10]`. On a database that already holds the zones, only the
//! materialization runs (it fills what is missing or stale).

use ecociv_core::value::SpatialRecord;
use ecociv_core::{Observation, Source, Value};
use ecociv_store::{Action, NewRevision, Status, Store};

fn jitter(seed: u64) -> f64 {
    // A small deterministic hash → [0, 1).
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    (x % 10_000) as f64 / 10_000.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).ok_or("usage: bench_db <DB URL> [zones] [years]")?;
    let zones: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(3000);
    let years: i32 = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(10);
    let store = Store::open(url).await?;
    let example = ecociv_data::load_zone("450202")?;
    let (_, toml_text) = ecociv_data::bundled::FRAMEWORKS
        .iter()
        .find(|(id, _)| *id == example.framework.id)
        .ok_or("framework")?;
    store.put_framework(toml_text).await?;
    let system = ecociv_server::demo::system_user(&store).await.map_err(|e| e.message)?;
    let started = std::time::Instant::now();
    let existing = store.zone_versions().await?.len();
    let first_new = if existing >= zones { zones } else { 0 };
    if first_new == zones {
        eprintln!("{existing} zones already stored: materializing only");
    }
    for index in first_new..zones {
        let code = format!("9{index:05}");
        let mut profile = example.zone.profile.clone();
        profile.code = code.clone();
        profile.name = format!("合成区县{index}（SYNTHETIC）");
        profile.name_en = format!("Synthetic county {index}");
        profile.parents.clear();
        store.create_zone(&profile, &example.zone.plan, true).await?;
        let mut revisions = Vec::new();
        for (_, row) in example.framework.rows() {
            let base = example.zone.observation(&row.id, 2021).map(|obs| obs.value.clone());
            for year in (2025 - years)..2025 {
                let seed = (index as u64) << 20
                    ^ (year as u64) << 8
                    ^ row.id.len() as u64
                    ^ row.id.bytes().map(u64::from).sum::<u64>() << 12;
                let value = match (&base, row.takes_numbers(), row.range) {
                    (Some(Value::Number(number)), _, range) => {
                        let mut v = number * (0.9 + 0.2 * jitter(seed));
                        if let Some((low, high)) = range {
                            v = v.clamp(low, high);
                        }
                        Value::Number((v * 100.0).round() / 100.0)
                    }
                    (Some(other), _, _) => other.clone(),
                    (None, true, Some((low, high))) => Value::Number(low + (high - low) * jitter(seed)),
                    (None, true, None) => Value::Number(1.0 + jitter(seed)),
                    (None, false, _) if row.spatial => Value::Spatial(SpatialRecord {
                        area_km2: Some(10.0),
                        nature_unchanged: Some(true),
                        function_kept: Some(true),
                    }),
                    (None, false, _) => match row.states.first() {
                        Some(state) => Value::State(state.text.clone()),
                        None => continue,
                    },
                };
                revisions.push(NewRevision {
                    after: 0,
                    action: Action::Import,
                    status: Status::Approved,
                    unit: row.unit.clone(),
                    evidence: String::new(),
                    reason: "benchmark".into(),
                    observation: Observation {
                        row: row.id.clone(),
                        year,
                        value,
                        assigned: None,
                        recorded: None,
                        source: Source::Synthetic {
                            note: "负载测试合成数据 (load-test data)".into(),
                            files: Vec::new(),
                        },
                    },
                });
            }
        }
        store.append_revisions(&code, &system.id, None, revisions).await?;
        if (index + 1) % 500 == 0 {
            eprintln!("{} zones in {:.1} s", index + 1, started.elapsed().as_secs_f64());
        }
    }
    eprintln!(
        "{zones} zones × {years} years stored in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = std::time::Instant::now();
    let codes: Vec<String> = store.zone_versions().await?.into_iter().map(|(code, _)| code).collect();
    let mut workers = tokio::task::JoinSet::new();
    for part in 0..2 {
        let store = store.clone();
        let codes: Vec<String> = codes.iter().skip(part).step_by(2).cloned().collect();
        workers.spawn(async move {
            let mut computed = 0;
            for code in codes {
                computed += ecociv_server::assessments::refresh_zone(&store, &code, i32::MIN)
                    .await
                    .map_err(|e| e.message)?;
            }
            Ok::<usize, String>(computed)
        });
    }
    let mut computed = 0;
    while let Some(done) = workers.join_next().await {
        computed += done??;
    }
    eprintln!(
        "{computed} assessments materialized in {:.1} s ({} rows in materialized_assessment)",
        started.elapsed().as_secs_f64(),
        store.materialized_count().await?
    );
    store.close().await;
    Ok(())
}
