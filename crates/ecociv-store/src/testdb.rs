//! Fresh databases for tests and benchmarks (the store's and the server's test suites, the two-instance
//! test, the benchmark's generator): a new database beside the one a URL names, on plain PostgreSQL or on
//! every node of a PostgreSQL + Citus cluster. Not used by the application.

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

/// Creates the database `name` on the PostgreSQL server of `url` (whose role may create databases) and
/// returns its URL.
pub async fn fresh_postgres(url: &str, name: &str) -> Result<String> {
    check_name(name)?;
    sqlx::any::install_default_drivers();
    let (credentials, host, _) = split(url)?;
    let mut admin = AnyConnection::connect(url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await.ok();
    Ok(format!("{credentials}@{host}/{name}"))
}

/// Creates the database `name` on every node of the Citus cluster whose coordinator `url` names (a
/// database with the extension and its workers registered; the role a superuser on every node, as
/// the cluster script that `.ci/setup.d/15-citus.sh` runs makes it): the extension in each, the coordinator and the workers
/// registered, `citus.shard_count` set for the database. Returns the coordinator's URL of the new
/// database; its tables are distributed when a [`crate::Store`] opens it.
pub async fn fresh_citus(url: &str, name: &str, shard_count: u32) -> Result<String> {
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
    let new_url = format!("{credentials}@{coordinator}/{name}");
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
    Ok(new_url)
}

/// Applies the migrations up to `version` (inclusive) to the database at `url`, as [`crate::Store::open`]
/// would (placing the tables on Citus), and stops there: the test of a later migration applied to a
/// database that is already distributed.
pub async fn migrate_to(url: &str, version: i64) -> Result<()> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(2).connect(url).await?;
    crate::migrate::run_to(&pool, crate::Backend::Postgres, Some(version)).await?;
    pool.close().await;
    Ok(())
}
