//! The migrations, embedded in the binary: one directory per backend (`migrations/sqlite`,
//! `migrations/postgres`), same schema design. Built without sqlx's macros (which would compile the
//! database drivers a second time for the host).

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, SqlSafeStr};

use crate::{Backend, Result};

/// (version, description, SQLite text, PostgreSQL text).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "evidence",
        include_str!("../migrations/sqlite/0002_evidence.sql"),
        include_str!("../migrations/postgres/0002_evidence.sql"),
    ),
    (
        3,
        "materialized assessment",
        include_str!("../migrations/sqlite/0003_materialized_assessment.sql"),
        include_str!("../migrations/postgres/0003_materialized_assessment.sql"),
    ),
    (
        5,
        "admin_audit",
        include_str!("../migrations/sqlite/0005_admin_audit.sql"),
        include_str!("../migrations/postgres/0005_admin_audit.sql"),
    ),
];

pub(crate) fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, postgres)| {
            let sql = match backend {
                Backend::Sqlite => *sqlite,
                Backend::Postgres => *postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                AssertSqlSafe(sql).into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<()> {
    migrator(backend).run(pool).await?;
    Ok(())
}
