//! Concurrent writers (issue 20: "database is locked" with 4 SQLite writers): every write succeeds and is
//! kept, on every backend, and a SQLite writer waits for another connection's long write instead of
//! failing after SQLite's default 5 s.

use std::time::Duration;

use ecociv_core::{Observation, Source, Value};
use ecociv_store::{Action, MaterializedAssessment, NewRevision, Selection, Status, Store};

use crate::support::{author, sqlite_with_url, stores, with_example_zone};

fn draft(row: &str, year: i32, number: f64, after: i64) -> NewRevision {
    NewRevision {
        after,
        action: Action::Save,
        status: Status::Draft,
        unit: String::new(),
        evidence: String::new(),
        reason: String::new(),
        observation: Observation {
            row: row.into(),
            year,
            value: Value::Number(number),
            assigned: None,
            recorded: None,
            source: Source::Document {
                citation: "并发写入测试".into(),
            },
        },
    }
}

/// One writer: `saves` drafts of its own value, each following the current revision, as the API's save does.
async fn writer(store: Store, user: String, row: &'static str, saves: i64) -> Result<(), String> {
    for n in 0..saves {
        let after = store
            .current("450202", row, 2024)
            .await
            .map_err(|e| e.to_string())?
            .map_or(0, |current| current.revision_no);
        store
            .append_revisions("450202", &user, None, vec![draft(row, 2024, 50.0 + n as f64, after)])
            .await
            .map_err(|e| format!("{row} save {n}: {e}"))?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_writers_all_succeed_and_every_revision_is_kept() {
    const ROWS: [&str; 8] = ["7.1", "7.2", "8.1", "8.2", "9", "10", "11", "12"];
    const SAVES: i64 = 25;
    for store in stores("writers").await {
        with_example_zone(&store).await;
        let user = author(&store).await.id;
        let before = store.revision_count("450202").await.unwrap();
        let mut tasks = Vec::new();
        for row in ROWS {
            tasks.push(tokio::spawn(writer((*store).clone(), user.clone(), row, SAVES)));
        }
        // Readers of the values the writers change, meanwhile.
        for _ in 0..4 {
            let store = (*store).clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..SAVES {
                    store
                        .observations_until("450202", Selection::SubmittedOrApproved, Some(2024))
                        .await
                        .map_err(|e| e.to_string())?;
                    store
                        .current_revisions("450202", Some(2024))
                        .await
                        .map_err(|e| e.to_string())?;
                }
                Ok(())
            }));
        }
        let failures: Vec<String> = futures_failures(tasks).await;
        assert!(failures.is_empty(), "{:?}: {failures:?}", store.backend());
        assert_eq!(
            store.revision_count("450202").await.unwrap(),
            before + ROWS.len() as i64 * SAVES,
            "{:?}",
            store.backend()
        );
        let current = store.current_revisions("450202", Some(2024)).await.unwrap();
        for row in ROWS {
            let history = store.history("450202", row, 2024).await.unwrap();
            let numbers: Vec<i64> = history.iter().map(|r| r.revision_no).collect();
            assert_eq!(numbers, (1..=SAVES).collect::<Vec<_>>(), "{row}");
            let last = store.current("450202", row, 2024).await.unwrap().unwrap();
            assert_eq!(Some(&last), history.last(), "{row}");
            assert_eq!(last.observation.value, Value::Number(50.0 + (SAVES - 1) as f64));
            assert!(
                current.iter().any(|r| r == &last),
                "{row}: the current revisions hold the last one"
            );
        }
    }
}

async fn futures_failures(tasks: Vec<tokio::task::JoinHandle<Result<(), String>>>) -> Vec<String> {
    let mut failures = Vec::new();
    for task in tasks {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => failures.push(error),
            Err(panic) => failures.push(format!("panicked: {panic}")),
        }
    }
    failures
}

/// Another process (here: another store on the same file) holds the write lock for 6 s — longer than
/// SQLite's and sqlx's default busy timeout of 5 s, after which the old store answered "database is
/// locked". The save waits and succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_save_waits_for_another_process_holding_the_write_lock() {
    let (store, url) = sqlite_with_url("held_lock").await;
    with_example_zone(&store).await;
    let user = author(&store).await.id;
    let other = Store::open(&url).await.unwrap();
    let mut conn = other.pool().acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.unwrap();
    let started = std::time::Instant::now();
    let save = tokio::spawn({
        let store = (*store).clone();
        async move {
            store
                .append_revisions("450202", &user, None, vec![draft("3", 2024, 1.5, 0)])
                .await
        }
    });
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert!(!save.is_finished(), "the save waits while the lock is held");
    sqlx::query("COMMIT").execute(&mut *conn).await.unwrap();
    let stored = save.await.unwrap().expect("the save succeeds once the lock is free");
    assert_eq!(stored.len(), 1);
    assert!(started.elapsed() >= Duration::from_secs(6));
    assert_eq!(
        store.current("450202", "3", 2024).await.unwrap().unwrap().revision_no,
        1
    );
}

/// A draft (or a return) changes no assessment — each reads a value's latest submitted or approved
/// revision — so an editor's save keeps every year's materialized assessment, at the zone's new version,
/// and asks for no recomputation; a submission makes its year and later ones stale as before.
#[tokio::test]
async fn a_draft_save_keeps_every_materialized_assessment() {
    for store in stores("draft_keeps").await {
        with_example_zone(&store).await;
        let user = author(&store).await.id;
        let v1 = store.data_version("450202").await.unwrap().unwrap();
        let entries: Vec<_> = (2019..=2024)
            .map(|year| MaterializedAssessment {
                zone_code: "450202".into(),
                year,
                selection: Selection::Approved,
                data_version: v1,
                engine: "test-engine".into(),
                json_gzip: format!("gz-{year}").into_bytes(),
                json_bytes: 60,
                summary: None,
            })
            .collect();
        store.put_materialized_assessments(&entries).await.unwrap();
        let mut changes = store.value_changes();
        store
            .append_revisions("450202", &user, None, vec![draft("3", 2020, 1.0, 0)])
            .await
            .unwrap();
        let v2 = store.data_version("450202").await.unwrap().unwrap();
        assert_eq!(v2, v1 + 1);
        for year in 2019..=2024 {
            let kept = store
                .materialized_assessment("450202", year, Selection::Approved, v2, "test-engine")
                .await
                .unwrap();
            assert_eq!(
                kept,
                Some(format!("gz-{year}").into_bytes()),
                "{year} {:?}",
                store.backend()
            );
        }
        assert!(changes.try_recv().is_err(), "a draft asks for no recomputation");
        let mut submitted = draft("3", 2020, 1.0, 1);
        submitted.status = Status::Submitted;
        submitted.action = Action::Submit;
        store
            .append_revisions("450202", &user, None, vec![submitted])
            .await
            .unwrap();
        let v3 = store.data_version("450202").await.unwrap().unwrap();
        for year in 2019..=2024 {
            let kept = store
                .materialized_assessment("450202", year, Selection::Approved, v3, "test-engine")
                .await
                .unwrap();
            assert_eq!(kept.is_some(), year < 2020, "{year} {:?}", store.backend());
        }
        assert_eq!(changes.try_recv().unwrap().first_year, 2020);
    }
}
