//! The migrations, embedded in the binary: one directory per backend (`migrations/sqlite`,
//! `migrations/postgres`), same schema design. Built without sqlx's macros (which would compile the
//! database drivers a second time for the host).

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, SqlSafeStr};

use crate::{Backend, Result, distribute};

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
    (
        6,
        "plan",
        include_str!("../migrations/sqlite/0006_plan.sql"),
        include_str!("../migrations/postgres/0006_plan.sql"),
    ),
    (
        7,
        "job_lease",
        include_str!("../migrations/sqlite/0007_job_lease.sql"),
        include_str!("../migrations/postgres/0007_job_lease.sql"),
    ),
    (
        8,
        "membership_by_user",
        include_str!("../migrations/sqlite/0008_membership_by_user.sql"),
        include_str!("../migrations/postgres/0008_membership_by_user.sql"),
    ),
    (
        9,
        "survey",
        include_str!("../migrations/sqlite/0009_survey.sql"),
        include_str!("../migrations/postgres/0009_survey.sql"),
    ),
    (
        10,
        "plan_board",
        include_str!("../migrations/sqlite/0010_plan_board.sql"),
        include_str!("../migrations/postgres/0010_plan_board.sql"),
    ),
    (
        11,
        "monitoring_result",
        include_str!("../migrations/sqlite/0011_monitoring_result.sql"),
        include_str!("../migrations/postgres/0011_monitoring_result.sql"),
    ),
    (
        12,
        "ledger",
        include_str!("../migrations/sqlite/0012_ledger.sql"),
        include_str!("../migrations/postgres/0012_ledger.sql"),
    ),
    (
        13,
        "unit_role",
        include_str!("../migrations/sqlite/0013_unit_role.sql"),
        include_str!("../migrations/postgres/0013_unit_role.sql"),
    ),
    (
        18,
        "rollup_summary",
        include_str!("../migrations/sqlite/0018_rollup_summary.sql"),
        include_str!("../migrations/postgres/0018_rollup_summary.sql"),
    ),
    (
        19,
        "monitoring_correction",
        include_str!("../migrations/sqlite/0019_monitoring_correction.sql"),
        include_str!("../migrations/postgres/0019_monitoring_correction.sql"),
    ),
    (
        20,
        "ledger_evidence",
        include_str!("../migrations/sqlite/0020_ledger_evidence.sql"),
        include_str!("../migrations/postgres/0020_ledger_evidence.sql"),
    ),
    (
        21,
        "open_licence",
        include_str!("../migrations/sqlite/0021_open_licence.sql"),
        include_str!("../migrations/postgres/0021_open_licence.sql"),
    ),
    (
        22,
        "boundary",
        include_str!("../migrations/sqlite/0022_boundary.sql"),
        include_str!("../migrations/postgres/0022_boundary.sql"),
    ),
    (
        23,
        "narrow_readings",
        include_str!("../migrations/sqlite/0023_narrow_readings.sql"),
        include_str!("../migrations/postgres/0023_narrow_readings.sql"),
    ),
    (
        24,
        "zone_edition",
        include_str!("../migrations/sqlite/0024_zone_edition.sql"),
        include_str!("../migrations/postgres/0024_zone_edition.sql"),
    ),
    (
        26,
        "zone_site",
        include_str!("../migrations/sqlite/0026_zone_site.sql"),
        include_str!("../migrations/postgres/0026_zone_site.sql"),
    ),
    (
        27,
        "reading_series_key",
        include_str!("../migrations/sqlite/0027_reading_series_key.sql"),
        include_str!("../migrations/postgres/0027_reading_series_key.sql"),
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

/// Applies the pending migrations. On PostgreSQL with the Citus extension, every table is then placed and
/// the placement checked ([`crate::distribute`]); a database that cannot be placed is refused. On a database
/// whose tables are already distributed, the migrations run one at a time, each followed by the placement,
/// so that a table one migration creates is distributed before the next one points at it.
pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<()> {
    run_to(pool, backend, None).await
}

pub(crate) async fn run_to(pool: &AnyPool, backend: Backend, target: Option<i64>) -> Result<()> {
    let migrator = migrator(backend);
    let last = target.unwrap_or_else(|| migrator.iter().map(|m| m.version).max().unwrap_or(0));
    if backend != Backend::Postgres || !distribute::citus_present(&mut *pool.acquire().await?).await? {
        migrator.run_to(last, pool).await?;
        return Ok(());
    }
    // A table a migration creates stays a plain local table until it is placed: without this, Citus turns a
    // new table that points at a reference table into a "Citus-local" table at once (which then cannot be
    // distributed while others point at it, and which fails on a migration of several statements).
    let mut conn = pool.acquire().await?;
    sqlx::query("SET citus.enable_local_reference_table_foreign_keys = off")
        .execute(&mut *conn)
        .await?;
    let result = async {
        for version in migrator.iter().map(|m| m.version).filter(|v| *v <= last) {
            migrator.run_to(version, &mut *conn).await?;
            distribute::distribute(&mut conn, false).await?;
        }
        distribute::distribute(&mut conn, target.is_none()).await
    }
    .await;
    sqlx::query("RESET citus.enable_local_reference_table_foreign_keys")
        .execute(&mut *conn)
        .await?;
    result?;
    Ok(())
}
