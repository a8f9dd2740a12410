//! `ecociv db status`: the database opened (migrated) and described — and the monitoring readings that have lost
//! their series counted, the exit code 1 when there is one (PostgreSQL keeps that tie without a foreign key,
//! migration 0027; SQLite keeps the key, so an orphan can only be made on PostgreSQL).

use std::process::Command;

use crate::support::{ecociv, scratch, stderr, stdout};

/// Runs SQL on a PostgreSQL URL with `psql` (installed with the server by `.ci/setup.d/10-postgres.sh`).
fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-qc", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn db_status_counts_the_readings_without_their_series_and_fails_when_there_is_one() {
    // SQLite: a new database, migrated, with none.
    let dir = scratch("db-status");
    let sqlite = format!("sqlite://{}", dir.join("status.sqlite3").display());
    let out = ecociv(&["db", "status", "--db", &sqlite]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("监测读数：0 条没有所属序列"), "{text}");
    assert!(text.contains("单机数据库"), "{text}");

    // PostgreSQL (the URL .ci/run exports; without it this half is skipped, loudly).
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        assert!(
            std::env::var("REQUIRE_PG").is_err(),
            "REQUIRE_PG=1 but TEST_DATABASE_URL is not set"
        );
        eprintln!("!!! SKIPPED: the PostgreSQL half of `db status` (set TEST_DATABASE_URL) !!!");
        return;
    };
    let name = format!("ecociv_cli_status_{}", std::process::id());
    psql(&base, &format!("DROP DATABASE IF EXISTS {name}"));
    psql(&base, &format!("CREATE DATABASE {name}"));
    let (root, _) = base.rsplit_once('/').expect("a database URL ends with its name");
    let url = format!("{root}/{name}");
    let out = ecociv(&["db", "status", "--db", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("监测读数：0 条没有所属序列"), "{}", stdout(&out));
    // A reading whose series is not there (what a lost write or a hand edit would leave).
    psql(
        &url,
        "INSERT INTO monitoring_reading (zone_code, series_id, at, value, flag, import_no)
         VALUES ('450202', 424242, 20230101000000, 1.5, '', 1)",
    );
    let out = ecociv(&["db", "status", "--db", &url]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("监测读数：1 条没有所属序列"), "{}", stdout(&out));
    psql(&base, &format!("DROP DATABASE {name}"));
}
