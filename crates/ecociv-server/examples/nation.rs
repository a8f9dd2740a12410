//! The SYNTHETIC nation (合成的全国数据) for the three-engine benchmark (`bench/nation/run.sh`): every
//! county-level unit of a code list, by its real code and name, with SYNTHETIC figures — the example zone's
//! profile and plan, a value for every row of the framework in each of Y years (approved revisions),
//! monthly monitoring summaries (one station × 6 air parameters per month), and accounts: per county a
//! reviewer, a department editor and a viewer, per province a provincial viewer with a role in every county
//! of the province; then every (zone, year) assessment materialized, as a server's background fill would.
//!
//! The code list is a CSV `code,name,city_code,city_name,province_code,province_name` (the benchmark script
//! makes it from the National Bureau of Statistics' 2023 division codes as packaged on npm; see
//! `bench/nation/README.md` for the provenance and what is left out). Zone names carry "（合成数据）" and
//! every value's source says SYNTHETIC: nothing here is a real figure of a real county.
//!
//! Usage: `nation <DB URL> <codes.csv> [years=10] [workers=4] [limit]`; `nation --make-citus-database <coordinator
//! URL> <name>` makes an empty database on every node of a Citus cluster (32 shards per table). Every account's password is
//! `bench-password-1` (one Argon2id hash, computed once). On a database that already holds the zones only
//! the materialization runs (it fills what is missing or stale).

use std::sync::Arc;

use ecociv_core::value::SpatialRecord;
use ecociv_core::zone::ParentUnit;
use ecociv_core::{Observation, Source, Value};
use ecociv_store::monitoring::NewReading;
use ecociv_store::{Action, NewRevision, Role, Status, Store};

/// The password of every generated account.
const PASSWORD: &str = "bench-password-1";

fn jitter(seed: u64) -> f64 {
    // A small deterministic hash → [0, 1).
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    (x % 10_000) as f64 / 10_000.0
}

#[derive(Clone)]
struct County {
    code: String,
    name: String,
    city_code: String,
    city_name: String,
    province_code: String,
    province_name: String,
}

fn read_codes(path: &str) -> Result<Vec<County>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    let mut counties = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if number == 0 || line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(|f| f.trim_matches('"')).collect();
        if fields.len() != 6 || fields[0].len() != 6 || !fields[0].bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{path}:{}: expected code,name,city_code,city_name,province_code,province_name",
                number + 1
            )
            .into());
        }
        counties.push(County {
            code: fields[0].into(),
            name: fields[1].into(),
            city_code: format!("{:0<6}", fields[2]),
            city_name: fields[3].into(),
            province_code: format!("{:0<6}", fields[4]),
            province_name: fields[5].into(),
        });
    }
    Ok(counties)
}

/// Every row of the framework in each year, near the example zone's 2021 figure.
fn revisions(example: &ecociv_data::LoadedZone, index: u64, years: i32) -> Vec<NewRevision> {
    let mut revisions = Vec::new();
    for (_, row) in example.framework.rows() {
        let base = example.zone.observation(&row.id, 2021).map(|obs| obs.value.clone());
        for year in (2025 - years)..2025 {
            let seed = index << 20
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
                reason: "合成数据 (SYNTHETIC benchmark data)".into(),
                observation: Observation {
                    row: row.id.clone(),
                    year,
                    value,
                    assigned: None,
                    recorded: None,
                    source: Source::Synthetic {
                        note: "全国合成数据，非真实数值 (SYNTHETIC nation: not a real figure)".into(),
                        files: Vec::new(),
                    },
                },
            });
        }
    }
    revisions
}

/// Monthly means of one station's six air parameters, every month of the years.
fn monitoring(index: u64, years: i32) -> Vec<NewReading> {
    let parameters = [
        ("PM2.5", "μg/m³", 35.0),
        ("PM10", "μg/m³", 60.0),
        ("SO2", "μg/m³", 10.0),
        ("NO2", "μg/m³", 25.0),
        ("CO", "mg/m³", 0.9),
        ("O3", "μg/m³", 90.0),
    ];
    let mut readings = Vec::new();
    for year in (2025 - years)..2025 {
        for month in 1..=12 {
            for (p, (parameter, unit, level)) in parameters.iter().enumerate() {
                let seed = index << 24 ^ (year as u64) << 10 ^ (month as u64) << 4 ^ p as u64;
                readings.push(NewReading {
                    station: "合成站点1 (SYNTHETIC)".into(),
                    parameter: (*parameter).into(),
                    unit: (*unit).into(),
                    observed_at: format!("{year}-{month:02}"),
                    value: Some((level * (0.6 + 0.8 * jitter(seed)) * 10.0).round() / 10.0),
                    flag: String::new(),
                });
            }
        }
    }
    readings
}

async fn county(
    store: &Store,
    example: &ecociv_data::LoadedZone,
    system_id: &str,
    hash: &str,
    index: u64,
    county: &County,
    years: i32,
) -> Result<(), String> {
    let mut profile = example.zone.profile.clone();
    profile.code = county.code.clone();
    profile.name = format!("{}（合成数据）", county.name);
    profile.name_en = format!("{} (SYNTHETIC)", county.code);
    profile.parents = vec![
        ParentUnit {
            code: county.province_code.clone(),
            name: county.province_name.clone(),
            level: "省级".into(),
        },
        ParentUnit {
            code: county.city_code.clone(),
            name: county.city_name.clone(),
            level: "地级".into(),
        },
    ];
    let e = |error: ecociv_store::StoreError| format!("{}: {error}", county.code);
    store.create_zone(&profile, &example.zone.plan, true).await.map_err(e)?;
    store
        .append_revisions(&county.code, system_id, None, revisions(example, index, years))
        .await
        .map_err(e)?;
    store
        .append_monitoring_batch(
            &county.code,
            "summary",
            "合成月均值-SYNTHETIC.csv",
            &monitoring(index, years),
        )
        .await
        .map_err(e)?;
    let department = store.departments(&county.code).await.map_err(e)?;
    let department = department.first().ok_or("no department")?;
    for (suffix, role, department_id) in [
        ("r", Role::Reviewer, None),
        ("e", Role::Editor, Some(department.id.as_str())),
        ("v", Role::Viewer, None),
    ] {
        let user = store
            .create_user(
                &format!("u{}{suffix}", county.code),
                &format!("{} {suffix}", county.name),
                hash,
                false,
            )
            .await
            .map_err(e)?;
        store
            .set_membership(&county.code, &user.id, role, department_id)
            .await
            .map_err(e)?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--make-citus-database") {
        // `nation --make-citus-database <coordinator URL> <name>`: the database on every node, 32 shards.
        let (base, name) = (
            args.get(2).ok_or("coordinator URL")?,
            args.get(3).ok_or("database name")?,
        );
        println!("{}", ecociv_store::testdb::fresh_citus(base, name, 32).await?.keep());
        return Ok(());
    }
    let usage = "usage: nation <DB URL> <codes.csv> [years=10] [workers=4] [limit]";
    let url = args.get(1).ok_or(usage)?;
    let mut counties = read_codes(args.get(2).ok_or(usage)?)?;
    let years: i32 = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(10);
    let workers: usize = args.get(4).map(|s| s.parse()).transpose()?.unwrap_or(4);
    if let Some(limit) = args.get(5) {
        counties.truncate(limit.parse()?);
    }
    let store = Store::open_with(url, Some(workers as u32 + 4)).await?;
    let example = Arc::new(ecociv_data::load_zone("450202")?);
    let (_, toml_text) = ecociv_data::bundled::FRAMEWORKS
        .iter()
        .find(|(id, _)| *id == example.framework.id)
        .ok_or("framework")?;
    store.put_framework(toml_text).await?;
    let system = ecociv_server::demo::system_user(&store).await.map_err(|e| e.message)?;
    let started = std::time::Instant::now();
    let existing: std::collections::BTreeSet<String> =
        store.zone_versions().await?.into_iter().map(|(code, _)| code).collect();
    let todo: Vec<(u64, County)> = counties
        .iter()
        .enumerate()
        .filter(|(_, c)| !existing.contains(&c.code))
        .map(|(i, c)| (i as u64, c.clone()))
        .collect();
    eprintln!(
        "{} counties in the list, {} already stored, {} to generate",
        counties.len(),
        existing.len(),
        todo.len()
    );
    let hash = ecociv_server::auth::hash_password(PASSWORD).map_err(|e| e.message)?;
    let todo = Arc::new(std::sync::Mutex::new(todo.into_iter()));
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let (store, example, todo, done, system_id, hash) = (
            store.clone(),
            example.clone(),
            todo.clone(),
            done.clone(),
            system.id.clone(),
            hash.clone(),
        );
        tasks.spawn(async move {
            loop {
                let next = todo.lock().expect("queue").next();
                let Some((index, c)) = next else {
                    return Ok::<(), String>(());
                };
                county(&store, &example, &system_id, &hash, index, &c, years).await?;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if n % 250 == 0 {
                    eprintln!("{n} counties in {:.1} s", started.elapsed().as_secs_f64());
                }
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result??;
    }
    // Provincial viewers: a role in every county of their province (the signed-in request with the most
    // roles to read).
    let mut provinces: std::collections::BTreeMap<&str, Vec<&County>> = std::collections::BTreeMap::new();
    for c in &counties {
        provinces.entry(c.province_code.as_str()).or_default().push(c);
    }
    for (code, members) in &provinces {
        let username = format!("p{code}");
        if store.user_by_username(&username).await?.is_some() {
            continue;
        }
        let user = store
            .create_user(
                &username,
                &format!("{} 省级查看", members[0].province_name),
                &hash,
                false,
            )
            .await?;
        for c in members {
            store.set_membership(&c.code, &user.id, Role::Viewer, None).await?;
        }
    }
    eprintln!(
        "{} counties × {years} years, monitoring summaries, {} accounts stored in {:.1} s",
        counties.len(),
        store.users().await?.len(),
        started.elapsed().as_secs_f64()
    );
    let started = std::time::Instant::now();
    let codes: Vec<String> = store.zone_versions().await?.into_iter().map(|(code, _)| code).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for part in 0..workers.max(1) {
        let store = store.clone();
        let codes: Vec<String> = codes.iter().skip(part).step_by(workers.max(1)).cloned().collect();
        tasks.spawn(async move {
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
    while let Some(result) = tasks.join_next().await {
        computed += result??;
    }
    eprintln!(
        "{computed} assessments materialized in {:.1} s ({} rows in materialized_assessment)",
        started.elapsed().as_secs_f64(),
        store.materialized_count().await?
    );
    store.close().await;
    Ok(())
}
