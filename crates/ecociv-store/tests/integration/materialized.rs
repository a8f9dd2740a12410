//! Materialized assessments: served only at the zone's current data version and the same engine key; a
//! value write makes the affected years stale in its own transaction (years before the earliest year
//! written stay valid); older computations never overwrite newer ones; writes are announced; zone heads
//! kept in memory see this handle's writes at once and another process's within their maximum age.

use ecociv_core::{Observation, Source, Value};
use ecociv_store::{Action, MaterializedAssessment, NewRevision, Selection, Status, Store};

use crate::support::{author, stores, stores_with_urls, with_example_zone};

const ENGINE: &str = "test-engine 1";

fn entry(year: i32, selection: Selection, data_version: i64, engine: &str, bytes: &[u8]) -> MaterializedAssessment {
    MaterializedAssessment {
        zone_code: "450202".into(),
        year,
        selection,
        data_version,
        engine: engine.into(),
        json_gzip: bytes.to_vec(),
        json_bytes: bytes.len() as i64 * 10,
        summary: None,
    }
}

fn approved(row: &str, year: i32, number: f64) -> NewRevision {
    NewRevision {
        after: 0,
        action: Action::Import,
        status: Status::Approved,
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
                citation: "测试".into(),
            },
        },
    }
}

async fn read(store: &Store, year: i32, version: i64) -> Option<Vec<u8>> {
    store
        .materialized_assessment("450202", year, Selection::Approved, version, ENGINE)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_materialized_assessment_is_served_only_at_its_version_and_engine() {
    for store in stores("materialized_keys").await {
        with_example_zone(&store).await;
        let version = store.data_version("450202").await.unwrap().unwrap();
        store
            .put_materialized_assessments(&[entry(2021, Selection::Approved, version, ENGINE, b"gz-2021")])
            .await
            .unwrap();
        assert_eq!(
            read(&store, 2021, version).await.as_deref(),
            Some(&b"gz-2021"[..]),
            "{:?}",
            store.backend()
        );
        assert_eq!(read(&store, 2021, version + 1).await, None);
        assert_eq!(read(&store, 2022, version).await, None);
        // Another engine (a software upgrade, another framework edition) never reads it.
        assert_eq!(
            store
                .materialized_assessment("450202", 2021, Selection::Approved, version, "test-engine 2")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .materialized_assessment("450202", 2021, Selection::SubmittedOrApproved, version, ENGINE)
                .await
                .unwrap(),
            None
        );
        // A newer computation replaces it; an older one does not.
        store
            .put_materialized_assessments(&[entry(2021, Selection::Approved, version, "test-engine 2", b"new")])
            .await
            .unwrap();
        assert_eq!(read(&store, 2021, version).await, None);
        store
            .put_materialized_assessments(&[entry(2021, Selection::Approved, version - 1, ENGINE, b"old")])
            .await
            .unwrap();
        assert_eq!(read(&store, 2021, version - 1).await, None);
        let states = store.materialized_states("450202").await.unwrap();
        assert_eq!(states.len(), 1);
        assert_eq!(
            (states[0].year, states[0].data_version, states[0].engine.as_str()),
            (2021, version, "test-engine 2")
        );
        assert_eq!(store.materialized_count().await.unwrap(), 1);
    }
}

#[tokio::test]
async fn a_value_write_makes_its_year_and_later_years_stale_and_keeps_earlier_years() {
    for store in stores("materialized_stale").await {
        with_example_zone(&store).await;
        let user = author(&store).await;
        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![approved("3", 2020, 20.0), approved("3", 2023, 23.0)],
            )
            .await
            .unwrap();
        assert_eq!(store.value_years("450202").await.unwrap(), vec![2020, 2023]);
        let v1 = store.data_version("450202").await.unwrap().unwrap();
        let years = 2019..=2024;
        let entries: Vec<_> = years
            .clone()
            .map(|year| entry(year, Selection::Approved, v1, ENGINE, format!("gz-{year}").as_bytes()))
            .collect();
        store.put_materialized_assessments(&entries).await.unwrap();
        // A submitted-selection entry of an earlier year computed at an older version stays stale.
        store
            .put_materialized_assessments(&[entry(2019, Selection::SubmittedOrApproved, v1 - 1, ENGINE, b"old")])
            .await
            .unwrap();
        let mut changes = store.value_changes();

        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![approved("3", 2022, 22.0), approved("3", 2024, 24.0)],
            )
            .await
            .unwrap();
        let v2 = store.data_version("450202").await.unwrap().unwrap();
        assert_eq!(v2, v1 + 1);
        for year in years.clone() {
            let now = read(&store, year, v2).await;
            if year < 2022 {
                // Moved on with the zone: served at the new version, no longer at the old one.
                assert_eq!(
                    now.as_deref(),
                    Some(format!("gz-{year}").as_bytes()),
                    "{year} {:?}",
                    store.backend()
                );
                assert_eq!(read(&store, year, v1).await, None, "{year} {:?}", store.backend());
            } else {
                assert_eq!(now, None, "{year} {:?}", store.backend());
            }
        }
        assert_eq!(
            store
                .materialized_assessment("450202", 2019, Selection::SubmittedOrApproved, v2, ENGINE)
                .await
                .unwrap(),
            None
        );
        let change = changes.try_recv().expect("the write is announced after commit");
        assert_eq!((change.zone_code.as_str(), change.first_year), ("450202", 2022));

        // A failed write (conflict: revision 1 of 2022 exists) changes nothing and announces nothing.
        assert!(
            store
                .append_revisions(
                    "450202",
                    &user.id,
                    None,
                    vec![approved("3", 2021, 1.0), approved("3", 2022, 1.0)]
                )
                .await
                .is_err()
        );
        assert_eq!(store.data_version("450202").await.unwrap(), Some(v2));
        assert_eq!(read(&store, 2021, v2).await.as_deref(), Some(&b"gz-2021"[..]));
        assert!(changes.try_recv().is_err());

        // Another write to an earlier year: every materialized year from it on is stale.
        store
            .append_revisions("450202", &user.id, None, vec![approved("3", 2019, 19.0)])
            .await
            .unwrap();
        let v3 = store.data_version("450202").await.unwrap().unwrap();
        for year in years.clone() {
            assert_eq!(read(&store, year, v3).await, None, "{year}");
        }
        assert_eq!(store.zone_versions().await.unwrap(), vec![("450202".to_string(), v3)]);
    }
}

#[tokio::test]
async fn cached_zone_heads_see_local_writes_at_once_and_other_writers_within_their_age() {
    for (store, url) in stores_with_urls("zone_heads").await {
        with_example_zone(&store).await;
        let user = author(&store).await;
        let backend = store.backend();
        // Another process on the same database.
        let other = Store::open(&url).await.unwrap();
        let version =
            |store: Store| async move { store.zone_head_cached("450202").await.unwrap().unwrap().data_version };
        let v0 = version(store.clone()).await;

        // Max age 0 (the default): every read goes to the database.
        other
            .append_revisions("450202", &user.id, None, vec![approved("3", 2021, 1.0)])
            .await
            .unwrap();
        assert_eq!(version(store.clone()).await, v0 + 1, "{backend:?}");

        store.set_zone_head_max_age(std::time::Duration::from_secs(3600));
        assert_eq!(version(store.clone()).await, v0 + 1);
        // A write through this handle (or a clone of it) is seen at once.
        store
            .clone()
            .append_revisions("450202", &user.id, None, vec![approved("3", 2022, 1.0)])
            .await
            .unwrap();
        assert_eq!(version(store.clone()).await, v0 + 2, "{backend:?}");
        // So is a change of disclosure.
        store.set_disclosed("450202", false).await.unwrap();
        assert!(!store.zone_head_cached("450202").await.unwrap().unwrap().disclosed);
        // Another process's write is not seen while the cached head is younger than the maximum age...
        other
            .append_revisions("450202", &user.id, None, vec![approved("3", 2023, 1.0)])
            .await
            .unwrap();
        assert_eq!(version(store.clone()).await, v0 + 2, "{backend:?}");
        // ...and is once it is older.
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        store.set_zone_head_max_age(std::time::Duration::from_millis(10));
        assert_eq!(version(store.clone()).await, v0 + 3, "{backend:?}");
        assert_eq!(store.zone_head_cached("999999").await.unwrap(), None);
        other.close().await;
    }
}

#[tokio::test]
async fn attaching_files_only_keeps_every_year_and_an_empty_write_changes_nothing() {
    for store in stores("materialized_files_only").await {
        with_example_zone(&store).await;
        let user = author(&store).await;
        let v1 = store.data_version("450202").await.unwrap().unwrap();
        let entries: Vec<_> = (2019..=2024)
            .map(|y| entry(y, Selection::Approved, v1, ENGINE, format!("gz-{y}").as_bytes()))
            .collect();
        store.put_materialized_assessments(&entries).await.unwrap();

        // A form saved without changes: no version move, nothing stale.
        let (revisions, files) = store
            .append_with_evidence("450202", &user.id, None, Vec::new(), Vec::new())
            .await
            .unwrap();
        assert!(revisions.is_empty() && files.is_empty());
        assert_eq!(
            store.data_version("450202").await.unwrap(),
            Some(v1),
            "{:?}",
            store.backend()
        );

        // Only a file: the version moves (the pages list the file), every materialized year moves with it.
        let content = b"scan".to_vec();
        let file = ecociv_store::NewEvidence {
            row_id: "3".into(),
            year: 2021,
            file_name: "监测报告.pdf".into(),
            media_type: "application/pdf".into(),
            // SHA-256 of "scan" (`printf scan | sha256sum`); the store records the caller's digest.
            sha256: "59ad1b2fc74287ded1bba7af67765d23ad4a49f1ae51902cc2ed3f8ebee96cfa".into(),
            content,
        };
        store
            .append_with_evidence("450202", &user.id, None, Vec::new(), vec![file])
            .await
            .unwrap();
        let v2 = store.data_version("450202").await.unwrap().unwrap();
        assert_eq!(v2, v1 + 1);
        for y in 2019..=2024 {
            assert_eq!(
                read(&store, y, v2).await.as_deref(),
                Some(format!("gz-{y}").as_bytes()),
                "{y} {:?}",
                store.backend()
            );
        }
    }
}
