//! Monitoring readings at volume (issue 19, migration 0023): the narrow readings carried over from the old
//! schema, an import stored in short transactions under a pending import that no reader sees, other writers
//! not held by an import, and the leftovers of a killed import removed at the next start.

use ecociv_core::{Observation, Source, Value};
use ecociv_store::monitoring::NewReading;
use ecociv_store::monitoring_correction::{CorrectionAction, NewCorrection};
use ecociv_store::{Action, Backend, NewRevision, Status, Store, StoreError};
use sqlx::Row;

use crate::support::{author, sqlite_with_url, stores, with_example_zone};

fn reading(station: &str, hour: u32, parameter: &str, value: f64) -> NewReading {
    NewReading {
        station: station.into(),
        parameter: parameter.into(),
        unit: "μg/m³".into(),
        observed_at: format!(
            "2023-{:02}-{:02}T{:02}",
            1 + hour / (24 * 28),
            1 + (hour / 24) % 28,
            hour % 24
        ),
        value: Some(value),
        flag: String::new(),
    }
}

/// `hours` hours of `parameters` at `station`.
fn hours(station: &str, parameters: &[&str], hours: u32) -> Vec<NewReading> {
    (0..hours)
        .flat_map(|h| parameters.iter().map(move |p| reading(station, h, p, f64::from(h))))
        .collect()
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

/// Rows physically stored (whatever the readers see).
async fn rows(store: &Store) -> (i64, i64, i64) {
    (
        count(store, "SELECT COUNT(*) FROM monitoring_reading").await,
        count(store, "SELECT COUNT(*) FROM monitoring_series").await,
        count(store, "SELECT COUNT(*) FROM monitoring_import").await,
    )
}

fn draft(number: f64, after: i64) -> NewRevision {
    NewRevision {
        after,
        action: Action::Save,
        status: Status::Draft,
        unit: String::new(),
        evidence: String::new(),
        reason: String::new(),
        observation: Observation {
            row: "7.1".into(),
            year: 2024,
            value: Value::Number(number),
            assigned: None,
            recorded: None,
            source: Source::Document {
                citation: "导入期间保存".into(),
            },
        },
    }
}

#[tokio::test]
async fn an_import_is_invisible_until_committed_and_other_writers_are_not_held_meanwhile() {
    for store in stores("monitoring_pending").await {
        with_example_zone(&store).await;
        let user = author(&store).await.id;
        let first = hours("P1", &["pm25", "so2", "no2", "co", "o3"], 24 * 28 * 3);
        assert!(first.len() > ecociv_store::monitoring::TX_READINGS);
        let mut batch = store
            .begin_monitoring_batch("450202", "air", "p.SYNTHETIC.csv")
            .await
            .unwrap();
        batch.push(&first).await.unwrap();
        // Between two parts of the file (several transactions stored on SQLite): a draft save goes
        // through (before, it waited for the whole import on SQLite and gave up after 60 s), and no reader
        // sees any of the file.
        store
            .append_revisions("450202", &user, None, vec![draft(61.0, 0)])
            .await
            .unwrap_or_else(|e| panic!("{:?}: a save during an import: {e}", store.backend()));
        assert!(
            store
                .monitoring_cells("450202", "air", "", "~")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.monitoring_files("450202", "air").await.unwrap().is_empty());
        assert!(store.monitoring_years("450202", "air").await.unwrap().is_empty());
        assert!(store.monitoring_stations("450202", "air").await.unwrap().is_empty());
        assert_eq!(store.monitoring_file_count("450202", &["air"]).await.unwrap(), 0);
        assert!(
            store
                .reading_history("450202", "air", "P1", "pm25", "2023-01-01T05")
                .await
                .unwrap()
                .is_none()
        );
        let correction = NewCorrection {
            station: "P1".into(),
            parameter: "pm25".into(),
            observed_at: "2023-01-01T05".into(),
            action: CorrectionAction::Retract,
            value: None,
            flag: String::new(),
            reason: "仪器故障".into(),
            line: 2,
        };
        let refused = store
            .correct_monitoring(
                "450202",
                "air",
                "c.csv",
                &user,
                std::slice::from_ref(&correction),
                false,
            )
            .await
            .unwrap();
        assert!(
            refused.is_err(),
            "a reading still being imported cannot be corrected: {refused:?}"
        );
        batch.push(&hours("P2", &["pm25"], 30)).await.unwrap();
        assert_eq!(batch.commit().await.unwrap(), (first.len() + 30) as u64);
        // Committed: all of it at once.
        assert_eq!(
            store.monitoring_cells("450202", "air", "", "~").await.unwrap().len(),
            first.len() + 30
        );
        assert_eq!(
            store.monitoring_files("450202", "air").await.unwrap(),
            vec!["p.SYNTHETIC.csv".to_string()]
        );
        assert_eq!(store.monitoring_years("450202", "air").await.unwrap(), vec![2023]);
        assert_eq!(
            store.monitoring_stations("450202", "air").await.unwrap(),
            vec!["P1", "P2"]
        );
        let history = store
            .reading_history("450202", "air", "P1", "pm25", "2023-01-01T05")
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(history.value, Some(5.0));
        let corrected = store
            .correct_monitoring("450202", "air", "c.csv", &user, &[correction], false)
            .await
            .unwrap();
        assert!(corrected.is_ok(), "{corrected:?}");
        assert_eq!(
            store.monitoring_files("450202", "air").await.unwrap(),
            vec!["p.SYNTHETIC.csv".to_string(), "更正:c.csv".to_string()]
        );
        assert_eq!(
            store.monitoring_cells("450202", "air", "", "~").await.unwrap().len(),
            first.len() + 29
        );
        let saved = store
            .current("450202", "7.1", 2024)
            .await
            .unwrap()
            .expect("the draft saved");
        assert_eq!(saved.observation.value, Value::Number(61.0));
    }
}

/// The page's reader of a year (issue 19): one query handing each station's readings over whole, once,
/// in byte order of the names (the readers' order, whatever the database's collation), exactly what the
/// per-station reader gives — corrected, without the withdrawn, other years, other domains and a pending
/// import — and an error from the callee stops the reading.
#[tokio::test]
async fn a_years_readings_come_station_by_station_from_one_query() {
    for store in stores("monitoring_each_station").await {
        with_example_zone(&store).await;
        let user = author(&store).await.id;
        let mut file = Vec::new();
        // Names whose byte order differs from a dictionary's (a, A, b, Z) and from insertion order.
        for station in ["b", "Z", "a", "城区", "A"] {
            file.extend(hours(station, &["pm25", "co", "o3"], 30));
        }
        for observed_at in ["2022-12-31T23", "2024-01-01T00"] {
            file.push(NewReading {
                observed_at: observed_at.into(),
                ..reading("a", 0, "pm25", 1.0)
            });
        }
        // Only another year's readings: no call for this station.
        file.push(NewReading {
            observed_at: "2024-03-01T00".into(),
            ..reading("Q", 0, "pm25", 1.0)
        });
        store
            .append_monitoring_batch("450202", "air", "each.SYNTHETIC.csv", &file)
            .await
            .unwrap();
        store
            .append_monitoring_batch("450202", "air.daily", "daily.csv", &hours("D", &["pm25"], 3))
            .await
            .unwrap();
        let correction = |station: &str, action, value| NewCorrection {
            station: station.into(),
            parameter: "pm25".into(),
            observed_at: "2023-01-01T05".into(),
            action,
            value,
            flag: String::new(),
            reason: "仪器故障".into(),
            line: 2,
        };
        let corrected = store
            .correct_monitoring(
                "450202",
                "air",
                "c.csv",
                &user,
                &[
                    correction("Z", CorrectionAction::Retract, None),
                    correction("a", CorrectionAction::Supersede, Some(55.0)),
                ],
                false,
            )
            .await
            .unwrap();
        assert!(corrected.is_ok(), "{corrected:?}");
        // A file being imported: never handed over.
        let mut pending = store
            .begin_monitoring_batch("450202", "air", "pending.csv")
            .await
            .unwrap();
        pending.push(&hours("B", &["pm25"], 10)).await.unwrap();
        pending.push(&hours("a", &["so2"], 10)).await.unwrap();

        let mut seen: Vec<ecociv_store::monitoring::StationReadings> = Vec::new();
        store
            .for_each_station_readings("450202", "air", "2023", "2024", |station| {
                seen.push(station);
                std::future::ready(Ok::<(), StoreError>(()))
            })
            .await
            .unwrap();
        let names: Vec<&str> = seen.iter().map(|s| s.station.as_str()).collect();
        assert_eq!(names, ["A", "Z", "a", "b", "城区"], "{:?}", store.backend());
        // The same readings as the station's own query, series in parameter order, times in order.
        for station in &seen {
            let alone = store
                .monitoring_station_cells("450202", "air", &station.station, "2023", "2024")
                .await
                .unwrap();
            let handed: Vec<ecociv_store::monitoring::Cell> = station
                .series
                .iter()
                .flat_map(|(parameter, readings)| {
                    readings.iter().map(|r| ecociv_store::monitoring::Cell {
                        station: station.station.clone(),
                        parameter: parameter.clone(),
                        reading: ecociv_store::monitoring::Reading {
                            observed_at: ecociv_store::monitoring::time_text(r.at),
                            value: r.value,
                            flag: r.flag.clone(),
                        },
                    })
                })
                .collect();
            assert_eq!(handed, alone, "{:?}: {}", store.backend(), station.station);
        }
        let of = |name: &str| -> Vec<(&str, &ecociv_store::monitoring::KeyedReading)> {
            let station = seen.iter().find(|s| s.station == name).unwrap();
            station
                .series
                .iter()
                .flat_map(|(parameter, readings)| readings.iter().map(move |r| (parameter.as_str(), r)))
                .collect()
        };
        assert_eq!(of("b").len(), 90);
        assert_eq!(of("Z").len(), 89, "the withdrawn reading is left out");
        assert_eq!(of("a").len(), 90, "other years and the pending import's so2 left out");
        let superseded = of("a")
            .into_iter()
            .find(|(parameter, r)| {
                *parameter == "pm25" && r.at == ecociv_store::monitoring::time_key("2023-01-01T05").unwrap()
            })
            .unwrap();
        assert_eq!(superseded.1.value, Some(55.0));
        // The stations of the domain, of every year (Q's readings are of 2024); the pending import's new
        // station B not counted.
        assert_eq!(store.monitoring_station_count("450202", "air").await.unwrap(), 6);

        // The callee's error stops the reading and is the answer.
        let mut calls = 0;
        let stopped = store
            .for_each_station_readings("450202", "air", "2023", "2024", |station| {
                calls += 1;
                std::future::ready(if station.station == "Z" {
                    Err(StoreError::Conflict("stop".into()))
                } else {
                    Ok(())
                })
            })
            .await;
        assert!(matches!(stopped, Err(StoreError::Conflict(m)) if m == "stop"));
        assert_eq!(calls, 2);
        pending.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn a_repeat_found_late_refuses_the_whole_file_and_removes_what_it_stored() {
    for store in stores("monitoring_late_repeat").await {
        with_example_zone(&store).await;
        let before = rows(&store).await;
        // More than one transaction's worth, then a reading of the first part again.
        let mut file = hours("L1", &["pm25", "so2", "no2", "co", "o3"], 24 * 28 * 3);
        assert!(file.len() > ecociv_store::monitoring::TX_READINGS);
        file.push(reading("L1", 7, "so2", 99.0));
        let mut batch = store.begin_monitoring_batch("450202", "air", "late.csv").await.unwrap();
        let refused = batch.push(&file).await;
        assert!(
            matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("L1 so2 2023-01-01T07") && m.contains("在文件中重复")),
            "{:?}: {refused:?}",
            store.backend()
        );
        drop(batch);
        assert!(
            store
                .monitoring_cells("450202", "air", "", "~")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.monitoring_files("450202", "air").await.unwrap().is_empty());
        assert_eq!(
            rows(&store).await,
            before,
            "{:?}: nothing of the file is left",
            store.backend()
        );
        // A dry run (stored, then rolled back) leaves nothing either.
        let mut dry = store.begin_monitoring_batch("450202", "air", "dry.csv").await.unwrap();
        dry.push(&file[..file.len() - 1]).await.unwrap();
        dry.rollback().await.unwrap();
        assert_eq!(
            rows(&store).await,
            before,
            "{:?}: a dry run leaves nothing",
            store.backend()
        );
    }
}

#[tokio::test]
async fn an_import_killed_midway_is_never_seen_and_is_removed_at_the_next_start() {
    // SQLite only: PostgreSQL stores a file in one transaction, which a killed server never commits.
    let (store, url) = sqlite_with_url("monitoring_killed").await;
    with_example_zone(&store).await;
    // One file already stored, which the removal must keep.
    let kept = hours("K0", &["pm25"], 48);
    store
        .append_monitoring_batch("450202", "air", "kept.csv", &kept)
        .await
        .unwrap();
    let before = rows(&store).await;
    let mut batch = store
        .begin_monitoring_batch("450202", "air", "killed.csv")
        .await
        .unwrap();
    batch.push(&hours("K1", &["pm25", "so2"], 24 * 28 * 2)).await.unwrap();
    batch.push(&hours("K0", &["so2"], 24)).await.unwrap();
    // The process dies here: nothing of the batch runs again (no commit, no clean-up).
    #[allow(clippy::mem_forget)] // exactly what is tested: a batch whose clean-up never runs
    std::mem::forget(batch);
    assert!(rows(&store).await.0 > before.0, "parts of the file were stored");
    assert_eq!(
        store.monitoring_cells("450202", "air", "", "~").await.unwrap().len(),
        48
    );
    assert_eq!(store.monitoring_stations("450202", "air").await.unwrap(), vec!["K0"]);
    store.close().await;
    // The next start: the leftovers are removed, the stored file kept.
    let restarted = Store::open(&url).await.unwrap();
    assert_eq!(restarted.remove_pending_imports().await.unwrap(), 1);
    assert_eq!(rows(&restarted).await, before);
    assert_eq!(
        restarted.monitoring_files("450202", "air").await.unwrap(),
        vec!["kept.csv".to_string()]
    );
    assert_eq!(restarted.remove_pending_imports().await.unwrap(), 0);
    // The same file can be imported now.
    let mut again = restarted
        .begin_monitoring_batch("450202", "air", "killed.csv")
        .await
        .unwrap();
    again.push(&hours("K1", &["pm25", "so2"], 24 * 28 * 2)).await.unwrap();
    again.commit().await.unwrap();
    assert_eq!(
        restarted
            .monitoring_cells("450202", "air", "", "~")
            .await
            .unwrap()
            .len(),
        48 + 2 * 24 * 28 * 2
    );
}

/// No reading without its series (issue 19, migration 0027): PostgreSQL (and Citus) no longer has the
/// readings' foreign key to their series — the store finds or creates each series in the import's own
/// transaction — so the invariant is checked by `Store::monitoring_orphans` instead. After imports, a
/// correction batch, a retraction and a killed import it is 0 on every backend; a reading written past the
/// store with a series number that does not exist is counted (PostgreSQL) or refused by the key (SQLite).
#[tokio::test]
async fn no_reading_is_left_without_its_series_after_imports_corrections_and_a_killed_import() {
    for (store, url) in crate::support::stores_with_urls("monitoring_orphans").await {
        let backend = store.backend();
        with_example_zone(&store).await;
        let user = author(&store).await.id;
        store
            .append_monitoring_batch("450202", "air", "a.csv", &hours("A1", &["pm25", "so2"], 48))
            .await
            .unwrap();
        let mut batch = store.begin_monitoring_batch("450202", "air", "b.csv").await.unwrap();
        batch.push(&hours("B1", &["pm25"], 24 * 28 * 2)).await.unwrap();
        batch.push(&hours("A1", &["no2"], 24)).await.unwrap();
        batch.commit().await.unwrap();
        let correction = |station: &str, hour: u32, action: CorrectionAction, value: Option<f64>| NewCorrection {
            station: station.into(),
            parameter: "pm25".into(),
            observed_at: reading(station, hour, "pm25", 0.0).observed_at,
            action,
            value,
            flag: String::new(),
            reason: "复核".into(),
            line: 2,
        };
        let corrected = store
            .correct_monitoring(
                "450202",
                "air",
                "c.csv",
                &user,
                &[correction("A1", 3, CorrectionAction::Supersede, Some(99.0))],
                false,
            )
            .await
            .unwrap();
        assert!(corrected.is_ok(), "{backend:?}: {corrected:?}");
        let retracted = store
            .correct_monitoring(
                "450202",
                "air",
                "r.csv",
                &user,
                &[correction("B1", 5, CorrectionAction::Retract, None)],
                false,
            )
            .await
            .unwrap();
        assert!(retracted.is_ok(), "{backend:?}: {retracted:?}");
        let stored = store.monitoring_cells("450202", "air", "", "~").await.unwrap().len();
        assert_eq!(stored, 48 * 2 + 24 * 28 * 2 + 24 - 1, "{backend:?}");
        assert_eq!(store.monitoring_orphans().await.unwrap(), 0, "{backend:?}");

        // A killed import: the process dies between two parts of a file (a new series among them).
        let before = rows(&store).await;
        let mut killed = store
            .begin_monitoring_batch("450202", "air", "killed.csv")
            .await
            .unwrap();
        killed.push(&hours("K1", &["pm25", "so2"], 24 * 28 * 2)).await.unwrap();
        killed.push(&hours("A1", &["co"], 24)).await.unwrap();
        #[allow(clippy::mem_forget)] // exactly what is tested: a batch whose clean-up never runs
        std::mem::forget(killed);
        match backend {
            Backend::Sqlite => {
                // Stored in short transactions under a pending import: still no orphan, and none after the
                // next start removes the leftovers.
                assert!(rows(&store).await.0 > before.0, "parts of the file were stored");
                assert_eq!(store.monitoring_orphans().await.unwrap(), 0);
                store.close().await;
                let restarted = Store::open(&url).await.unwrap();
                assert_eq!(restarted.remove_pending_imports().await.unwrap(), 1);
                assert_eq!(rows(&restarted).await, before);
                assert_eq!(restarted.monitoring_orphans().await.unwrap(), 0);
                // The key is SQLite's: a reading of a series that does not exist is refused.
                let refused = sqlx::query(
                    "INSERT INTO monitoring_reading (zone_code, series_id, at, value, flag, import_no)
                     VALUES ('450202', 987654321, 20230101010000, 1.0, '', 0)",
                )
                .execute(restarted.pool())
                .await;
                assert!(refused.is_err(), "SQLite keeps the readings' foreign key");
                restarted.close().await;
            }
            Backend::Postgres => {
                // The server killed: PostgreSQL ends its connection, which rolls the import's one
                // transaction back (a kill -9 of the server looks like this to the database).
                let ended = count(
                    &store,
                    "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'",
                )
                .await;
                assert!(ended >= 1, "{url}: the import's connection was open");
                let mut gone = false;
                for _ in 0..100 {
                    if count(
                        &store,
                        "SELECT COUNT(*) FROM pg_stat_activity
                         WHERE datname = current_database() AND state = 'idle in transaction'",
                    )
                    .await
                        == 0
                    {
                        gone = true;
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                assert!(gone, "{url}: the import's transaction ended");
                assert_eq!(rows(&store).await, before, "{url}: nothing of the killed import");
                assert_eq!(store.monitoring_orphans().await.unwrap(), 0, "{url}");
                // No foreign key from the readings to their series on PostgreSQL (migration 0027)…
                assert_eq!(
                    count(
                        &store,
                        "SELECT COUNT(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                         JOIN pg_class r ON r.oid = k.confrelid
                         WHERE k.contype = 'f' AND c.relname = 'monitoring_reading' AND r.relname = 'monitoring_series'",
                    )
                    .await,
                    0,
                    "{url}"
                );
                // … so the check is what finds a reading written past the store without its series.
                sqlx::query(
                    "INSERT INTO monitoring_reading (zone_code, series_id, at, value, flag, import_no)
                     VALUES ('450202', 987654321, 20230101010000, 1.0, '', 0),
                            ('450202', 987654321, 20230101020000, 2.0, '', 0)",
                )
                .execute(store.pool())
                .await
                .unwrap();
                assert_eq!(store.monitoring_orphans().await.unwrap(), 2, "{url}");
                sqlx::query("DELETE FROM monitoring_reading WHERE series_id = 987654321")
                    .execute(store.pool())
                    .await
                    .unwrap();
                assert_eq!(store.monitoring_orphans().await.unwrap(), 0, "{url}");
            }
        }
        // The store's own way in checks the series once: a series it does not have is refused.
        let reopened = Store::open(&url).await.unwrap();
        let missing = ecociv_store::monitoring::Series {
            id: 987654321,
            zone_code: "450202".into(),
            domain: "air".into(),
            station: "X".into(),
            parameter: "pm25".into(),
            unit: "μg/m³".into(),
        };
        let one = ecociv_store::monitoring::Reading {
            observed_at: "2023-01-01T00".into(),
            value: Some(1.0),
            flag: String::new(),
        };
        let refused = reopened.append_readings(&missing, std::slice::from_ref(&one)).await;
        assert!(
            matches!(refused, Err(StoreError::NotFound(_))),
            "{backend:?}: {refused:?}"
        );
        assert_eq!(reopened.monitoring_orphans().await.unwrap(), 0, "{backend:?}");
        reopened.close().await;
    }
}

/// The old schema's readings (text series ids and times, the files as readings of a `_file` series) and
/// corrections, carried over by migration 0023 on each backend.
#[tokio::test]
async fn migration_0023_carries_the_readings_corrections_and_files_over() {
    let mut urls = Vec::new();
    let path = crate::support::temp_path("monitoring_migrate", "sqlite3");
    std::fs::File::create(&path).unwrap();
    urls.push((format!("sqlite://{}", path.display()), None));
    if let Some(base) = crate::support::postgres_url() {
        let name = format!("ecociv_t_migrate23_{}", std::process::id());
        let database = ecociv_store::testdb::fresh_postgres(&base, &name).await.unwrap();
        urls.push((database.url().to_string(), Some(database)));
    }
    if let Some(base) = crate::support::citus_url() {
        let name = format!("ecociv_c_migrate23_{}", std::process::id());
        let database = ecociv_store::testdb::fresh_citus(&base, &name, 4).await.unwrap();
        urls.push((database.url().to_string(), Some(database)));
    }
    for (url, _database) in &urls {
        ecociv_store::testdb::migrate_to(url, 22).await.unwrap();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .unwrap();
        for sql in [
            "INSERT INTO framework (id, edition, name, source_toml, created_at) VALUES ('f', '1', 'f', '', 't')",
            "INSERT INTO zone (zone_code, name, name_en, framework_id, attributes_json, plan_title, base_year, created_at)
             VALUES ('450202', 'z', 'z', 'f', '{}', 'p', 2020, 't')",
            "INSERT INTO app_user (id, username, display_name, password_hash, created_at) VALUES ('u', 'u', '审核人', 'x', 't')",
            "INSERT INTO monitoring_series (zone_code, id, domain, station, parameter, unit, created_at) VALUES
             ('450202', 'sa', 'air', 'A', 'pm25', 'μg/m³', '2026-01-01T00:00:00.000Z'),
             ('450202', 'sb', 'water.sections', 'S', 'ph', '无量纲', '2026-01-01T00:00:00.001Z'),
             ('450202', 'sf', 'air', '', '_file', '', '2026-01-01T00:00:00.002Z'),
             ('450202', 'sg', 'water.sections', '', '_file', '', '2026-01-01T00:00:00.003Z')",
            "INSERT INTO monitoring_reading (zone_code, series_id, observed_at, value, flag) VALUES
             ('450202', 'sa', '2022-12-31T23', 35.5, ''),
             ('450202', 'sa', '2023-01-01T00', NULL, '0.5L'),
             ('450202', 'sa', '2023-01-01T01', 40, ''),
             ('450202', 'sb', '2023-03-05', 7.4, ''),
             ('450202', 'sb', '2023-03-05T10:30', 7.6, ''),
             ('450202', 'sf', '2026-01-01T00:00:01.000Z a.csv', NULL, 'a.csv'),
             ('450202', 'sg', '2026-01-01T00:00:02.000Z s.csv', NULL, 's.csv'),
             ('450202', 'sf', '2026-01-01T00:00:03.000Z 更正:c.csv', NULL, '更正:c.csv')",
            "INSERT INTO monitoring_correction_batch (zone_code, id, domain, file, author_id, created_at, corrections)
             VALUES ('450202', 'b1', 'air', 'c.csv', 'u', '2026-01-01T00:00:03.000Z', 1)",
            "INSERT INTO monitoring_correction (zone_code, series_id, observed_at, seq, batch_id, action, value, flag, reason, line)
             VALUES ('450202', 'sa', '2023-01-01T01', 1, 'b1', 'supersede', 41, 'X', '复核', 2)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap_or_else(|e| panic!("{url}: {sql}: {e}"));
        }
        pool.close().await;
        let store = Store::open(url)
            .await
            .unwrap_or_else(|e| panic!("{url}: migration 0023: {e}"));
        let cells = store.monitoring_cells("450202", "air", "", "~").await.unwrap();
        let seen: Vec<(&str, Option<f64>, &str)> = cells
            .iter()
            .map(|c| (c.reading.observed_at.as_str(), c.reading.value, c.reading.flag.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("2022-12-31T23", Some(35.5), ""),
                ("2023-01-01T00", None, "0.5L"),
                ("2023-01-01T01", Some(41.0), "X")
            ],
            "{url}"
        );
        let water = store
            .monitoring_cells("450202", "water.sections", "2023", "2024")
            .await
            .unwrap();
        let times: Vec<&str> = water.iter().map(|c| c.reading.observed_at.as_str()).collect();
        assert_eq!(times, vec!["2023-03-05", "2023-03-05T10:30"], "{url}");
        assert_eq!(
            store.monitoring_files("450202", "air").await.unwrap(),
            vec!["a.csv".to_string(), "更正:c.csv".to_string()],
            "{url}"
        );
        assert_eq!(
            store
                .monitoring_file_count("450202", &["air", "water.sections"])
                .await
                .unwrap(),
            3
        );
        assert_eq!(store.monitoring_years("450202", "air").await.unwrap(), vec![2022, 2023]);
        let history = store
            .reading_history("450202", "air", "A", "pm25", "2023-01-01T01")
            .await
            .unwrap()
            .expect("migrated");
        assert_eq!((history.value, history.corrections.len()), (Some(40.0), 1), "{url}");
        assert_eq!(history.corrections[0].value, Some(41.0));
        // New readings go on after the migrated ones (new series and import numbers).
        let more = vec![NewReading {
            observed_at: "2023-01-01T02".into(),
            ..reading("A", 0, "pm25", 42.0)
        }];
        store
            .append_monitoring_batch("450202", "air", "b.csv", &more)
            .await
            .unwrap();
        assert_eq!(store.monitoring_cells("450202", "air", "", "~").await.unwrap().len(), 4);
        assert_eq!(store.monitoring_files("450202", "air").await.unwrap().len(), 3);
        store.close().await;
    }
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn the_years_with_readings_are_every_year_of_a_reading_gaps_and_timeless_readings_included() {
    // `monitoring_years` (one recursive query seeking each series' first reading of each year) against the
    // years of every reading stored: series with gap years, a year's last hour, a timeless (register)
    // reading before a series' first year, and another domain's years kept apart.
    for store in stores("monitoring_years").await {
        with_example_zone(&store).await;
        let at = |station: &str, time: &str| NewReading {
            observed_at: time.into(),
            ..reading(station, 0, "pm25", 1.0)
        };
        let air = vec![
            at("A", "2019-05-01T00"),
            at("A", "2019-06-01T00"),
            at("A", "2021-01-01T00"),
            at("A", "2024-12-31T23"),
            at("B", "2020-01-01T00"),
            at("R", ""),
            at("R", "2026-03-01T00"),
        ];
        store
            .append_monitoring_batch("450202", "air", "y.csv", &air)
            .await
            .unwrap_or_else(|e| panic!("{:?}: {e}", store.backend()));
        store
            .append_monitoring_batch("450202", "water.sections", "w.csv", &[at("S", "2030-01-01")])
            .await
            .unwrap();
        let years = store.monitoring_years("450202", "air").await.unwrap();
        assert_eq!(years, vec![2019, 2020, 2021, 2024, 2026], "{:?}", store.backend());
        let mut every: Vec<i32> = store
            .monitoring_cells("450202", "air", "", "~")
            .await
            .unwrap()
            .iter()
            .filter_map(|c| c.reading.observed_at.get(..4)?.parse().ok())
            .collect();
        every.sort_unstable();
        every.dedup();
        assert_eq!(years, every, "{:?}", store.backend());
        assert_eq!(
            store.monitoring_years("450202", "water.sections").await.unwrap(),
            vec![2030]
        );
        assert!(store.monitoring_years("450202", "noise").await.unwrap().is_empty());
    }
}
