//! Frameworks, zones and plans round-trip through the store.

use ecociv_store::{Store, StoreError};

use crate::support::{stores, with_example_zone};

#[tokio::test]
async fn the_example_zone_and_its_plan_round_trip() {
    for store in stores("zone_round_trip").await {
        let loaded = with_example_zone(&store).await;
        let record = store.zone("450202").await.unwrap().expect("zone stored");
        assert_eq!(record.profile, loaded.zone.profile, "{:?}", store.backend());
        assert!(record.disclosed);
        let plan = store.plan(&record).await.unwrap();
        assert_eq!(plan, loaded.zone.plan, "{:?}", store.backend());
        assert!(!plan.projects.is_empty() && !plan.targets.is_empty());
        let framework = store.framework("national-2021").await.unwrap();
        assert_eq!(*framework, loaded.framework);
        // Departments were made from the lead lists, once each.
        let departments = store.departments("450202").await.unwrap();
        let mut names: Vec<String> = loaded.zone.plan.lead_departments.values().flatten().cloned().collect();
        names.sort();
        names.dedup();
        let mut stored: Vec<String> = departments.iter().map(|d| d.name.clone()).collect();
        stored.sort();
        assert_eq!(stored, names);
        assert!(store.zone("999999").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_zone_code_is_stored_once_and_a_framework_edition_never_changes() {
    for store in stores("zone_once").await {
        let loaded = with_example_zone(&store).await;
        let again = store.create_zone(&loaded.zone.profile, &loaded.zone.plan, false).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let (_, text) = ecociv_data::bundled::FRAMEWORKS[0];
        store.put_framework(text).await.expect("same text again is fine");
        let changed = text
            .replacen("name = ", "name = \"x\"\nold_name = ", 0)
            .replace("(2021年修订版)", "(改)");
        if changed != text {
            assert!(matches!(
                store.put_framework(&changed).await,
                Err(StoreError::Conflict(_)) | Err(StoreError::Invalid(_))
            ));
        }
    }
}

#[tokio::test]
async fn migrations_apply_once_and_a_reopened_file_keeps_its_data() {
    let path = crate::support::temp_path("reopen", "sqlite3");
    let url = format!("sqlite://{}", path.display());
    {
        let store = Store::open(&url).await.unwrap();
        with_example_zone(&store).await;
        store.close().await;
    }
    let store = Store::open(&url).await.unwrap();
    assert!(store.zone("450202").await.unwrap().is_some());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
}
