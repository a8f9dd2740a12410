//! Fresh databases for tests and benchmarks (the store's and the server's test suites, the two-instance
//! test, the benchmark's generator): a new database beside the one a URL names, on plain PostgreSQL or on
//! every node of a PostgreSQL + Citus cluster, dropped again (on every node) when its [`TestDatabase`]
//! goes out of scope — so a test suite's disk use is one test's databases, not all of them until the
//! test binary exits (a Citus test database is ~30 MB on each of three nodes). Not used by the
//! application.

use sqlx::{AnyConnection, Connection, Row};

use crate::{Result, StoreError};

fn split(url: &str) -> Result<(&str, &str, &str)> {
    let invalid = || {
        StoreError::Invalid(format!(
            "数据库地址无效 (database URL without user@host/database): {url}"
        ))
    };
    let (base, database) = url.rsplit_once('/').ok_or_else(invalid)?;
    let (credentials, host) = base.rsplit_once('@').ok_or_else(invalid)?;
    Ok((credentials, host, database))
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(StoreError::Invalid(format!(
            "database name {name:?}: lower-case letters, digits, _"
        )));
    }
    Ok(())
}

/// A database made by [`fresh_postgres`] or [`fresh_citus`]: dropped on every node it was made on when
/// this value is dropped (`DROP DATABASE … WITH (FORCE)`, which ends the connections still open on it),
/// unless the thread is panicking — a failed test leaves its database for a look (the CI cluster is
/// thrown away at the end) — or [`TestDatabase::keep`] was called.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    name: String,
    /// A URL per node of a database that stays (the one the caller named), to drop `name` from.
    nodes: Vec<String>,
    keep: bool,
}

impl TestDatabase {
    /// The new database's URL (the coordinator's on Citus).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Keeps the database (a benchmark's): returns its URL and drops nothing.
    pub fn keep(mut self) -> String {
        self.keep = true;
        std::mem::take(&mut self.url)
    }

    async fn drop_everywhere(name: &str, nodes: &[String]) -> Result<()> {
        // Under the lock [`fresh_citus`] takes on the first node: never beside a database being made.
        let mut lock = match nodes.first() {
            Some(first) => AnyConnection::connect(first).await?,
            None => return Ok(()),
        };
        sqlx::query("SELECT pg_advisory_lock(1600016)")
            .execute(&mut lock)
            .await?;
        for node in nodes {
            let mut conn = AnyConnection::connect(node).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await?;
            conn.close().await.ok();
        }
        lock.close().await.ok();
        Ok(())
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if std::thread::panicking() {
            eprintln!("test database {} kept after a panic", self.name);
            return;
        }
        // Drop runs inside the test's runtime, which cannot be blocked on from within: the statements run
        // on a thread of their own, waited for here.
        let (name, nodes) = (self.name.clone(), std::mem::take(&mut self.nodes));
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime
                .block_on(Self::drop_everywhere(&name, &nodes))
                .map_err(std::io::Error::other)
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("test database {}: not dropped: {error}", self.name),
            Err(_) => eprintln!("test database {}: the thread dropping it panicked", self.name),
        }
    }
}

/// Creates the database `name` on the PostgreSQL server of `url` (whose role may create databases); it is
/// dropped with the returned value.
pub async fn fresh_postgres(url: &str, name: &str) -> Result<TestDatabase> {
    check_name(name)?;
    sqlx::any::install_default_drivers();
    let (credentials, host, _) = split(url)?;
    let mut admin = AnyConnection::connect(url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await.ok();
    Ok(TestDatabase {
        url: format!("{credentials}@{host}/{name}"),
        name: name.to_string(),
        nodes: vec![url.to_string()],
        keep: false,
    })
}

/// Creates the database `name` on every node of the Citus cluster whose coordinator `url` names (a
/// database with the extension and its workers registered; the role a superuser on every node, as
/// the cluster script that `.ci/setup.d/15-citus.sh` runs makes it): the extension in each, the coordinator and the workers
/// registered, `citus.shard_count` set for the database. Returns the new database (the coordinator's
/// URL; dropped on every node with the value); its tables are distributed when a [`crate::Store`] opens
/// it.
pub async fn fresh_citus(url: &str, name: &str, shard_count: u32) -> Result<TestDatabase> {
    check_name(name)?;
    sqlx::any::install_default_drivers();
    let (credentials, coordinator, database) = split(url)?;
    let mut admin = AnyConnection::connect(url).await?;
    // One database at a time per cluster: registering the nodes of two new databases at once makes Citus
    // update the same shared catalogue rows on a worker ("tuple concurrently updated"). Held by this
    // connection until it closes.
    sqlx::query("SELECT pg_advisory_lock(1600016)")
        .execute(&mut admin)
        .await?;
    let workers: Vec<String> = sqlx::query(
        "SELECT CAST(nodename AS TEXT) || ':' || CAST(nodeport AS TEXT) AS node FROM pg_dist_node
         WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport",
    )
    .fetch_all(&mut admin)
    .await?
    .iter()
    .map(|row| row.try_get("node"))
    .collect::<std::result::Result<_, _>>()?;
    if workers.is_empty() {
        return Err(StoreError::Invalid(format!("{url}: no Citus worker registered")));
    }
    let new_url = format!("{credentials}@{coordinator}/{name}");
    // From here on a failure drops what was made (on the nodes where it was).
    let made = TestDatabase {
        url: new_url.clone(),
        name: name.to_string(),
        nodes: std::iter::once(coordinator.to_string())
            .chain(workers.iter().cloned())
            .map(|node| format!("{credentials}@{node}/{database}"))
            .collect(),
        keep: false,
    };
    for node in std::iter::once(coordinator.to_string()).chain(workers.iter().cloned()) {
        let mut conn = AnyConnection::connect(&format!("{credentials}@{node}/{database}")).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await?;
        conn.close().await.ok();
        let mut conn = AnyConnection::connect(&format!("{credentials}@{node}/{name}")).await?;
        sqlx::query("CREATE EXTENSION citus").execute(&mut conn).await?;
        conn.close().await.ok();
    }
    let mut conn = AnyConnection::connect(&new_url).await?;
    let node = |text: &str| -> Result<(String, u16)> {
        let (host, port) = text
            .rsplit_once(':')
            .ok_or_else(|| StoreError::Invalid(format!("node {text}")))?;
        let port = port.parse().map_err(|_| StoreError::Invalid(format!("node {text}")))?;
        Ok((host.to_string(), port))
    };
    let (host, port) = node(coordinator)?;
    sqlx::query("SELECT citus_set_coordinator_host($1, $2)")
        .bind(host)
        .bind(i32::from(port))
        .execute(&mut conn)
        .await?;
    for worker in &workers {
        let (host, port) = node(worker)?;
        sqlx::query("SELECT citus_add_node($1, $2)")
            .bind(host)
            .bind(i32::from(port))
            .execute(&mut conn)
            .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {name} SET citus.shard_count = {shard_count}"
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await.ok();
    admin.close().await.ok();
    Ok(made)
}

/// Applies the migrations up to `version` (inclusive) to the database at `url`, as [`crate::Store::open`]
/// would (placing the tables on Citus), and stops there: the test of a later migration applied to a
/// database that is already distributed, or to one holding data in an earlier schema (a SQLite URL: an
/// existing file).
pub async fn migrate_to(url: &str, version: i64) -> Result<()> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(2).connect(url).await?;
    let backend = if url.starts_with("sqlite:") {
        crate::Backend::Sqlite
    } else {
        crate::Backend::Postgres
    };
    crate::migrate::run_to(&pool, backend, Some(version)).await?;
    pool.close().await;
    Ok(())
}
