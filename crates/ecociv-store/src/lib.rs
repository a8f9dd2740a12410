//! ecociv's durable store: the only crate that speaks SQL.
//!
//! One code path serves both backends through `sqlx::Any` with runtime queries (`$1` placeholders work on
//! SQLite and PostgreSQL alike): SQLite is the embedded default (a file created on first run, WAL mode),
//! PostgreSQL is selected by a `postgres://` URL. Each backend has its own migration directory with the
//! same schema design (`migrations/README.md`); migrations run automatically on [`Store::open`].
//!
//! Invariants:
//! - Nothing is updated or deleted in place for values: every change is a new row of `value_revision`
//!   (see [`values`]). Account and session rows (and the
//!   derived materialized assessments) are the only ones updated or deleted.
//! - `materialized_assessment` is derived data (a cache of assessment JSON per zone, year and selection,
//!   see [`materialized`]): rows there are replaced in place and are served only at the zone's current
//!   data version; a value write makes them stale in its own transaction.
//! - Every zone-scoped table is keyed by `zone_code` first; on PostgreSQL + Citus every table is placed
//!   and checked at open ([`distribute`]).
//! - Times are RFC 3339 UTC text made in Rust ([`clock::now`]); ids are text made in Rust ([`clock::new_id`]).
//! - Converting rows to and from `ecociv_core` types happens here and nowhere else.
//!
//! The store knows no HTTP and no roles: who may do what is decided by `ecociv-server`.

pub mod accounts;
pub mod audit;
pub mod boundary;
pub mod clock;
pub mod distribute;
mod error;
pub mod evidence;
pub mod hierarchy;
pub mod ledger;
pub mod materialized;
mod migrate;
pub mod plan;
/// The versions of the embedded migrations, in order.
pub fn migration_versions() -> Vec<i64> {
    migrate::migrator(Backend::Postgres).iter().map(|m| m.version).collect()
}
pub mod monitoring;
pub mod monitoring_correction;
pub mod monitoring_result;
pub mod reference;
pub mod site;
pub mod survey;
pub mod testdb;
pub mod values;
pub mod zones;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use ecociv_core::Framework;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

pub use accounts::{LoginAttempt, Membership, Role, Session, User};
pub use audit::AuditEvent;
pub use boundary::{NewBoundary, StoredBoundary};
pub use error::StoreError;
pub use evidence::{Evidence, NewEvidence, RecordEvidence, StoredFile};
pub use hierarchy::{AdminUnit, UnitRole, ZoneSummaryRow};
pub use materialized::{MaterializedAssessment, MaterializedState, ValueChange};
pub use site::{NewSite, StoredSite};
pub use values::{Action, NewRevision, Revision, Selection, Status};
pub use zones::{Department, EditionAdoption, ZoneHead, ZoneRecord};

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The store: a connection pool and the parsed frameworks (immutable reference data, cached).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    frameworks: Arc<RwLock<HashMap<String, Arc<Framework>>>>,
    /// Committed value changes, for whoever listens ([`Store::value_changes`]).
    changes: tokio::sync::broadcast::Sender<ValueChange>,
    /// Zone heads in memory, for the hot read path ([`Store::zone_head_cached`]).
    heads: Arc<materialized::HeadCache>,
    /// The connection write transactions take ([`Store::begin_write`]): on a SQLite file a pool of one, so
    /// this process's writers queue for it first come, first served; otherwise `pool` itself.
    writer: AnyPool,
    /// On PostgreSQL, native connections for what the `Any` driver cannot do: `COPY` (a monitoring
    /// file's readings, [`monitoring::MonitoringBatch`]). Connected when first used.
    native_pg: Option<sqlx::PgPool>,
}

/// How long a SQLite connection waits for another process's write lock before "database is locked" (the
/// CLI writing to the server's database file, a second instance): SQLite's busy handler. This process's
/// own writers do not poll it: they queue for the one writing connection ([`Store::begin_write`]).
pub const SQLITE_BUSY_TIMEOUT_MS: u32 = 30_000;

/// The size a SQLite WAL file is cut back to after a checkpoint (64 MiB).
const SQLITE_WAL_SIZE_LIMIT: u64 = 64 << 20;

/// How long a write waits for the writing connection before it is refused (a queue of writers on SQLite).
const WRITE_QUEUE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl Store {
    /// Opens (and creates, for a SQLite file) the database at `url`, then applies the migrations.
    ///
    /// URLs: `sqlite://PATH` (the file is created when missing), `sqlite::memory:`, `postgres://…` or
    /// `postgresql://…`.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with(url, None).await
    }

    /// As [`Store::open`], with an explicit pool size.
    pub async fn open_with(url: &str, max_connections: Option<u32>) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalize_url(url)?;
        let memory = backend == Backend::Sqlite && url.contains(":memory:");
        let size = if memory {
            1
        } else {
            max_connections.unwrap_or(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
        };
        let pool = pool_options(backend).max_connections(size).connect(&url).await?;
        if backend == Backend::Sqlite && !memory {
            // WAL is a property of the database file: set once, it stays.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        migrate::run(&pool, backend).await?;
        let writer = if backend == Backend::Sqlite && !memory {
            pool_options(backend)
                .max_connections(1)
                .acquire_timeout(WRITE_QUEUE_TIMEOUT)
                .connect(&url)
                .await?
        } else {
            pool.clone()
        };
        let native_pg = match backend {
            Backend::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .connect_lazy(&url)?,
            ),
            Backend::Sqlite => None,
        };
        Ok(Store {
            pool,
            native_pg,
            backend,
            frameworks: Arc::default(),
            changes: tokio::sync::broadcast::channel(4096).0,
            heads: Arc::default(),
            writer,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for tests that inspect the schema. Application code goes through the store's methods.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a write transaction. On SQLite, where one connection writes at a time, it runs on the one
    /// writing connection, for which this process's writers queue first come, first served (sqlx's fair
    /// pool; no reading connection is held meanwhile), and takes the write lock at once (`BEGIN IMMEDIATE`,
    /// so a read lock is never upgraded). Before, writers on any of the pool's connections polled SQLite's
    /// busy handler, which sleeps up to 100 ms between tries and lets a late writer overtake: waits of
    /// seconds under load and "database is locked" after its 5 s timeout (issue 20). Another process's
    /// writer is still waited for on the busy timeout ([`SQLITE_BUSY_TIMEOUT_MS`]).
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Refuses ([`StoreError::NotFound`]) a zone that is not stored: the first check of a write, made on
    /// its transaction.
    pub(crate) async fn require_zone(conn: &mut sqlx::AnyConnection, zone_code: &str) -> Result<()> {
        let zone = sqlx::query("SELECT zone_code FROM zone WHERE zone_code = $1")
            .bind(zone_code)
            .fetch_optional(&mut *conn)
            .await?;
        match zone {
            Some(_) => Ok(()),
            None => Err(StoreError::NotFound(format!("区域 (zone) {zone_code}"))),
        }
    }

    /// Where each table is on a PostgreSQL + Citus database, checked ([`distribute`]): `None` without Citus
    /// (SQLite, plain PostgreSQL), an error naming every misplaced table.
    pub async fn citus_placement(&self) -> Result<Option<Vec<distribute::TablePlacement>>> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let mut conn = self.pool.acquire().await?;
        if !distribute::citus_present(&mut conn).await? {
            return Ok(None);
        }
        Ok(Some(distribute::verify(&mut conn, true).await?))
    }

    pub async fn close(&self) {
        if let Some(pg) = &self.native_pg {
            pg.close().await;
        }
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// The placeholders of a multi-row statement: `rows` groups of `columns`, `(…), (…)` — **the one place**
/// they are written. On PostgreSQL numbered (`$1`, `$2`, …); on SQLite anonymous (`?`), bound in order:
/// SQLite treats `$N` as a *named* parameter, and both its parser and sqlx's binding look each name up in
/// a list of all of them, so a statement of a few thousand `$N` cost quadratic time (three quarters of a
/// monitoring import's time went to it, issue 19).
pub(crate) fn row_placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    use std::fmt::Write as _;
                    let _ = write!(sql, "${}", row * columns + column + 1);
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// Pool options for `backend`: on SQLite every connection waits [`SQLITE_BUSY_TIMEOUT_MS`] for a lock.
fn pool_options(backend: Backend) -> AnyPoolOptions {
    let options = AnyPoolOptions::new();
    if backend != Backend::Sqlite {
        return options;
    }
    options.after_connect(|conn, _| {
        Box::pin(async move {
            let pragma = format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}");
            sqlx::query(sqlx::AssertSqlSafe(pragma)).execute(&mut *conn).await?;
            // A large transaction (a monitoring file of many millions of readings, issue 19) grows the
            // WAL to the size of what it wrote; once checkpointed, the file goes back to this size instead
            // of staying that large on disk.
            let pragma = format!("PRAGMA journal_size_limit = {SQLITE_WAL_SIZE_LIMIT}");
            sqlx::query(sqlx::AssertSqlSafe(pragma)).execute(&mut *conn).await?;
            Ok(())
        })
    })
}

/// Checks the scheme and, for a SQLite file, asks for it to be created when missing.
fn normalize_url(url: &str) -> Result<(Backend, String)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        if rest.contains(":memory:") || rest.contains("mode=") {
            return Ok((Backend::Sqlite, url.to_string()));
        }
        let separator = if rest.contains('?') { '&' } else { '?' };
        return Ok((Backend::Sqlite, format!("{url}{separator}mode=rwc")));
    }
    Err(StoreError::Invalid(format!(
        "不支持的数据库地址“{url}”：应以 sqlite:// 或 postgres:// 开头 (unsupported database URL)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend_and_create_sqlite_files() {
        assert_eq!(
            normalize_url("sqlite://eco.db").unwrap(),
            (Backend::Sqlite, "sqlite://eco.db?mode=rwc".into())
        );
        assert_eq!(normalize_url("sqlite::memory:").unwrap().0, Backend::Sqlite);
        assert_eq!(normalize_url("postgres://a@b/c").unwrap().0, Backend::Postgres);
        assert!(normalize_url("mysql://x").is_err());
    }

    #[test]
    fn multi_row_placeholders_are_numbered_on_postgres_and_anonymous_on_sqlite() {
        assert_eq!(row_placeholders(Backend::Postgres, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(row_placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(row_placeholders(Backend::Postgres, 1, 1), "($1)");
    }
}
