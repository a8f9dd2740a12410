//! Fresh stores for each backend.

use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use ecociv_store::testdb::TestDatabase;
use ecociv_store::{Backend, Store};

/// A store for one test; its PostgreSQL or Citus database is dropped with it (on every node).
pub struct TestStore {
    store: Store,
    _database: Option<TestDatabase>,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh SQLite store in a temporary file, and a fresh PostgreSQL store and a fresh PostgreSQL + Citus
/// store (its tables distributed) when they are configured.
pub async fn stores(test: &str) -> Vec<TestStore> {
    stores_with_urls(test)
        .await
        .into_iter()
        .map(|(store, _)| store)
        .collect()
}

pub fn temp_path(test: &str, ext: &str) -> std::path::PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("ecociv-store-{test}-{}-{n}.{ext}", std::process::id()))
}

pub async fn sqlite(test: &str) -> Store {
    sqlite_with_url(test).await.0.store
}

pub async fn sqlite_with_url(test: &str) -> (TestStore, String) {
    let path = temp_path(test, "sqlite3");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url).await.expect("open sqlite");
    (TestStore { store, _database: None }, url)
}

/// As [`stores`], with each database's URL (to open a second, independent handle on it).
pub async fn stores_with_urls(test: &str) -> Vec<(TestStore, String)> {
    let mut stores = vec![sqlite_with_url(test).await];
    if let Some(pair) = postgres_with_url(test).await {
        stores.push(pair);
    }
    if let Some(pair) = citus_with_url(test).await {
        stores.push(pair);
    }
    stores
}

/// The Citus coordinator's URL (`TEST_CITUS_URL`, a database with the extension and the workers
/// registered, as the cluster script that `.ci/setup.d/15-citus.sh` runs makes it), or `None` (with a loud message) when the Citus
/// half is to be skipped — a failure when `REQUIRE_CITUS=1`.
pub fn citus_url() -> Option<String> {
    match std::env::var("TEST_CITUS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("REQUIRE_CITUS").as_deref() == Ok("1") {
                panic!("REQUIRE_CITUS=1 but TEST_CITUS_URL is not set");
            }
            // Written past the test harness's capture, so the skip shows without `--nocapture`.
            let _ = writeln!(
                std::io::stderr(),
                "!!! SKIPPED: PostgreSQL + Citus half of the store tests (set TEST_CITUS_URL to run it; .ci/run \
                 does; REQUIRE_CITUS=1 makes this a failure) !!!"
            );
            None
        }
    }
}

/// A fresh database on the Citus cluster for one test: created on the coordinator and on every worker,
/// with the extension, the coordinator and the workers registered (4 shards per table instead of 32, to
/// keep the tests quick: still spread over both workers), then opened — which distributes the tables.
pub async fn citus(test: &str) -> Option<TestStore> {
    Some(citus_with_url(test).await?.0)
}

pub async fn citus_with_url(test: &str) -> Option<(TestStore, String)> {
    let url = citus_url()?;
    let name = format!(
        "ecociv_c_{}_{}_{}",
        test.to_lowercase(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let database = ecociv_store::testdb::fresh_citus(&url, &name, 4)
        .await
        .expect("create a database on the Citus cluster");
    let url = database.url().to_string();
    let store = Store::open(&url)
        .await
        .expect("open citus (migrations and distribution)");
    assert_eq!(store.backend(), Backend::Postgres);
    let store = TestStore {
        store,
        _database: Some(database),
    };
    Some((store, url))
}

/// The PostgreSQL URL, or `None` (with a loud message) when the tests are to be skipped.
pub fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("REQUIRE_PG").as_deref() == Ok("1") {
                panic!("REQUIRE_PG=1 but TEST_DATABASE_URL is not set");
            }
            // Written past the test harness's capture, so the skip shows without `--nocapture`.
            let _ = writeln!(
                std::io::stderr(),
                "!!! SKIPPED: PostgreSQL half of the store tests (set TEST_DATABASE_URL to run it; .ci/run does; \
                 REQUIRE_PG=1 makes this a failure) !!!"
            );
            None
        }
    }
}

/// A fresh PostgreSQL database for one test.
pub async fn postgres(test: &str) -> Option<TestStore> {
    Some(postgres_with_url(test).await?.0)
}

async fn postgres_with_url(test: &str) -> Option<(TestStore, String)> {
    let url = postgres_url()?;
    let name = format!(
        "ecociv_t_{}_{}_{}",
        test.to_lowercase(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let database = ecociv_store::testdb::fresh_postgres(&url, &name)
        .await
        .expect("create test database");
    let url = database.url().to_string();
    let store = Store::open(&url).await.expect("open postgres");
    assert_eq!(store.backend(), Backend::Postgres);
    let store = TestStore {
        store,
        _database: Some(database),
    };
    Some((store, url))
}

/// The bundled example zone stored: framework, zone and plan (no values).
pub async fn with_example_zone(store: &Store) -> ecociv_data::LoadedZone {
    let loaded = ecociv_data::load_zone("450202").expect("bundled zone");
    let (_, toml_text) = ecociv_data::bundled::FRAMEWORKS
        .iter()
        .find(|(id, _)| *id == loaded.framework.id)
        .expect("framework");
    store.put_framework(toml_text).await.expect("put framework");
    store
        .create_zone(&loaded.zone.profile, &loaded.zone.plan, true)
        .await
        .expect("create zone");
    loaded
}

/// A plain account for authoring revisions.
pub async fn author(store: &Store) -> ecociv_store::User {
    store
        .create_user("author", "填报人", "$argon2id$not-a-real-hash", false)
        .await
        .expect("create user")
}
