//! Benchmark harness (not a product path): `Store::monitoring_years` — the years with readings of a zone's
//! domain, asked by the monitoring summary route — on a zone with a province's number of air series, side by
//! side with the way it was found before session 11 (one query per series and year, each a round trip); and
//! `Store::monitoring_orphans` (`ecociv db status`) beside its former query per series.
//!
//! Usage: `cargo run --release -p ecociv-store --example monitoring_years -- DB_URL [STATIONS] [ROUNDS]`
//! (defaults 2,851 stations — the SYNTHETIC nation's — and 5 rounds). The first run fills the database: zone
//! 450202 with STATIONS stations × 6 air parameters (one series each) × 3 hours in each of 2022–2024; later
//! runs on the same URL reuse it. Prints each round's time of both ways and checks that they agree.

use std::time::Instant;

use ecociv_store::Store;
use ecociv_store::monitoring::NewReading;
use sqlx::Row;

const ZONE: &str = "450202";
const PARAMETERS: [&str; 6] = ["so2", "no2", "pm10", "pm25", "co", "o3"];

/// The years as found before: for each visible series, its first reading from the start and then from each
/// next year on — a query (a round trip) per series and year.
async fn years_per_series(store: &Store, zone: &str, domain: &str) -> Vec<i32> {
    const YEAR: i64 = ecociv_core::reading_time::YEAR;
    let pending = "(SELECT p.no FROM monitoring_import p WHERE p.zone_code = $1 AND p.state = 'pending')";
    let series = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT s.id FROM monitoring_series s WHERE s.zone_code = $1 AND s.domain = $2 AND s.import_no NOT IN {pending}"
    )))
    .bind(zone)
    .bind(domain)
    .fetch_all(store.pool())
    .await
    .expect("series");
    let mut years = std::collections::BTreeSet::new();
    let mut conn = store.pool().acquire().await.expect("connection");
    for row in &series {
        let id: i64 = row.try_get("id").expect("id");
        let mut from = 0i64;
        loop {
            let first = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT r.at FROM monitoring_reading r WHERE r.zone_code = $1 AND r.series_id = $2 AND r.at >= $3
                   AND r.import_no NOT IN {pending} ORDER BY r.at LIMIT 1"
            )))
            .bind(zone)
            .bind(id)
            .bind(from)
            .fetch_optional(&mut *conn)
            .await
            .expect("first reading");
            let Some(first) = first else { break };
            let year = first.try_get::<i64, _>("at").expect("at") / YEAR;
            if year <= 0 {
                from = YEAR;
                continue;
            }
            years.insert(year as i32);
            from = (year + 1) * YEAR;
        }
    }
    years.into_iter().collect()
}

/// The readings without their series as counted before: per zone, a query per series number (the next one on
/// the readings' key) and one for its series, and the readings of a series not found counted.
async fn orphans_per_series(store: &Store) -> u64 {
    let mut orphans = 0u64;
    let mut zone = String::new();
    while let Some(next) = sqlx::query("SELECT MIN(zone_code) AS z FROM monitoring_reading WHERE zone_code > $1")
        .bind(&zone)
        .fetch_one(store.pool())
        .await
        .expect("zone")
        .try_get::<Option<String>, _>("z")
        .expect("z")
    {
        zone = next;
        let mut after = i64::MIN;
        while let Some(id) =
            sqlx::query("SELECT MIN(series_id) AS id FROM monitoring_reading WHERE zone_code = $1 AND series_id > $2")
                .bind(&zone)
                .bind(after)
                .fetch_one(store.pool())
                .await
                .expect("series number")
                .try_get::<Option<i64>, _>("id")
                .expect("id")
        {
            after = id;
            let found = sqlx::query("SELECT id FROM monitoring_series WHERE zone_code = $1 AND id = $2")
                .bind(&zone)
                .bind(id)
                .fetch_optional(store.pool())
                .await
                .expect("series");
            if found.is_none() {
                let n =
                    sqlx::query("SELECT COUNT(*) AS n FROM monitoring_reading WHERE zone_code = $1 AND series_id = $2")
                        .bind(&zone)
                        .bind(id)
                        .fetch_one(store.pool())
                        .await
                        .expect("count");
                orphans += n.try_get::<i64, _>("n").expect("n") as u64;
            }
        }
    }
    orphans
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(url) = args.get(1) else {
        eprintln!("usage: monitoring_years DB_URL [STATIONS] [ROUNDS]");
        std::process::exit(2);
    };
    let stations: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2851);
    let rounds: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(5);
    let store = Store::open(url).await.expect("open the database");
    if store.zone(ZONE).await.expect("zone").is_none() {
        let loaded = ecociv_data::load_zone(ZONE).expect("bundled zone");
        let (_, toml_text) = ecociv_data::bundled::FRAMEWORKS
            .iter()
            .find(|(id, _)| *id == loaded.framework.id)
            .expect("framework");
        store.put_framework(toml_text).await.expect("framework");
        store
            .create_zone(&loaded.zone.profile, &loaded.zone.plan, true)
            .await
            .expect("zone");
    }
    if store.monitoring_files(ZONE, "air").await.expect("files").is_empty() {
        let started = Instant::now();
        let mut readings = Vec::new();
        for s in 0..stations {
            for p in PARAMETERS {
                for year in 2022..=2024 {
                    for hour in 0..3 {
                        readings.push(NewReading {
                            station: format!("站点{s:05}"),
                            parameter: p.into(),
                            unit: "μg/m³".into(),
                            observed_at: format!("{year}-06-01T{hour:02}"),
                            value: Some(10.0 + hour as f64),
                            flag: String::new(),
                        });
                    }
                }
            }
        }
        store
            .append_monitoring_batch(ZONE, "air", "years.SYNTHETIC.csv", &readings)
            .await
            .expect("store the readings");
        eprintln!(
            "filled: {} readings, {} series in {:.1} s",
            readings.len(),
            stations * PARAMETERS.len(),
            started.elapsed().as_secs_f64()
        );
    }
    println!("| round | one recursive query (s) | a query per series and year (s) |");
    println!("|---:|---:|---:|");
    for round in 1..=rounds {
        let t = Instant::now();
        let now = store.monitoring_years(ZONE, "air").await.expect("years");
        let one = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let before = years_per_series(&store, ZONE, "air").await;
        let many = t.elapsed().as_secs_f64();
        assert_eq!(now, before, "the two ways disagree");
        println!("| {round} | {one:.3} | {many:.3} |");
        if round == rounds {
            println!("years: {now:?}");
        }
    }
    println!();
    println!("| round | orphans: one recursive query per zone (s) | a query per series (s) |");
    println!("|---:|---:|---:|");
    for round in 1..=rounds {
        let t = Instant::now();
        let now = store.monitoring_orphans().await.expect("orphans");
        let one = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let before = orphans_per_series(&store).await;
        let many = t.elapsed().as_secs_f64();
        assert_eq!(now, before, "the two ways disagree");
        println!("| {round} | {one:.3} | {many:.3} |");
    }
}
