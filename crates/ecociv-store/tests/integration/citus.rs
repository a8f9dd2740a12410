//! The Citus key rules, checked on the real schema: on PostgreSQL through `information_schema` (the
//! backend Citus runs on); and the placement itself on a real PostgreSQL + Citus cluster (coordinator and
//! two workers, `TEST_CITUS_URL`): every zone-scoped table distributed by `zone_code` and co-located,
//! reference tables exactly the intended ones, checked from Citus's own metadata.

use std::collections::{BTreeMap, BTreeSet};

use ecociv_store::Store;
use ecociv_store::distribute::{REFERENCE_TABLES, UNENFORCED_UNDER_CITUS};
use sqlx::Row;

use crate::support::{citus, citus_with_url, postgres, sqlite, with_example_zone};

/// Every table of a store (SQLite catalogue).
async fn sqlite_tables(store: &Store) -> BTreeSet<String> {
    let rows = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.iter().map(|row| row.get::<String, _>("name")).collect()
}

#[tokio::test]
async fn every_reference_table_exists_and_every_other_table_is_zone_scoped() {
    let store = sqlite("citus_list").await;
    let tables = sqlite_tables(&store).await;
    for table in REFERENCE_TABLES {
        assert!(
            tables.contains(*table),
            "{table} is listed as a reference table but does not exist"
        );
    }
    for table in tables.iter().filter(|t| !REFERENCE_TABLES.contains(&t.as_str())) {
        let columns = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{table}')"
        )))
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert!(
            columns.iter().any(|c| c.get::<String, _>("name") == "zone_code"),
            "{table}: neither a reference table nor zone-scoped"
        );
    }
}

/// Citus's own metadata, read directly (not through the store's check): (table, method, column, group).
async fn dist_partition(store: &Store) -> BTreeMap<String, (String, Option<String>, i64)> {
    let rows = sqlx::query(
        "SELECT CAST(logicalrelid AS TEXT) AS t, CAST(partmethod AS TEXT) AS m, CAST(repmodel AS TEXT) AS r,
                CAST(colocationid AS BIGINT) AS g,
                CASE WHEN partmethod = 'h' THEN CAST(column_to_column_name(logicalrelid, partkey) AS TEXT) END AS col
         FROM pg_dist_partition",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|row| {
            let kind = format!("{}{}", row.get::<String, _>("m"), row.get::<String, _>("r"));
            (row.get("t"), (kind, row.get("col"), row.get("g")))
        })
        .collect()
}

/// The public tables with a `zone_code` column, and all public tables (PostgreSQL catalogue).
async fn pg_tables(store: &Store) -> (BTreeSet<String>, BTreeSet<String>) {
    let rows = sqlx::query(
        "SELECT CAST(table_name AS TEXT) AS t,
                CAST(EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public'
                             AND c.table_name = t.table_name AND c.column_name = 'zone_code') AS INT) AS z
         FROM information_schema.tables t WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
           AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let all = rows.iter().map(|row| row.get::<String, _>("t")).collect();
    let zoned = rows
        .iter()
        .filter(|row| row.get::<i32, _>("z") != 0)
        .map(|row| row.get::<String, _>("t"))
        .collect();
    (zoned, all)
}

/// The assertion of the issue: every table with `zone_code` (but the listed reference tables) is
/// hash-distributed by `zone_code` in `zone`'s co-location group, and the reference tables are exactly the
/// listed ones — no table left local or Citus-local.
async fn assert_placed(store: &Store) {
    let meta = dist_partition(store).await;
    let (zoned, all) = pg_tables(store).await;
    let zone_group = match meta.get("zone") {
        Some((kind, Some(column), group)) if kind.starts_with('h') && column == "zone_code" => *group,
        other => panic!("zone is not distributed by zone_code: {other:?}"),
    };
    let mut problems = Vec::new();
    for table in &all {
        let reference = REFERENCE_TABLES.contains(&table.as_str());
        match meta.get(table) {
            None => problems.push(format!("{table}: left local on the coordinator")),
            Some((kind, _, _)) if reference && kind != "nt" => {
                problems.push(format!("{table}: should be a reference table, is {kind}"));
            }
            Some(_) if reference => {}
            Some((kind, column, group)) => {
                if !zoned.contains(table) {
                    problems.push(format!("{table}: not a reference table and has no zone_code"));
                } else if !kind.starts_with('h') || column.as_deref() != Some("zone_code") || *group != zone_group {
                    problems.push(format!("{table}: {kind} by {column:?} in group {group}, not with zone"));
                }
            }
        }
    }
    let reference: BTreeSet<&str> = meta
        .iter()
        .filter(|(_, (kind, _, _))| kind == "nt")
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(reference, REFERENCE_TABLES.iter().copied().collect::<BTreeSet<_>>());
    assert!(problems.is_empty(), "misplaced on Citus:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn citus_every_zone_scoped_table_is_distributed_and_co_located() {
    let Some(store) = citus("citus_placed").await else {
        return;
    };
    assert_placed(&store).await;
    // The store's own check agrees, and counts shards on both workers.
    let placement = store.citus_placement().await.unwrap().expect("citus present");
    let zone = placement.iter().find(|p| p.table == "zone").unwrap();
    assert_eq!(zone.shards, 4);
    let workers = sqlx::query(
        "SELECT COUNT(DISTINCT nodeport) AS n FROM pg_dist_shard_placement p JOIN pg_dist_shard s USING (shardid)
         WHERE s.logicalrelid = CAST('value_revision' AS regclass)",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(
        workers.get::<i64, _>("n"),
        2,
        "value_revision's shards are on both workers"
    );
    // The keys Citus can enforce are kept: zone-scoped → zone, zone-scoped → reference, reference → reference.
    let keys: BTreeSet<(String, String)> = sqlx::query(
        "SELECT CAST(conrelid AS regclass)::text AS t, CAST(confrelid AS regclass)::text AS r FROM pg_constraint
         WHERE contype = 'f' AND connamespace = CAST('public' AS regnamespace)",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|row| (row.get("t"), row.get("r")))
    .collect();
    for (table, referenced) in [
        ("zone_unit", "zone"),
        ("value_revision", "import_batch"),
        ("value_revision", "app_user"),
        ("zone", "framework"),
        ("session", "app_user"),
        ("membership", "app_user"),
    ] {
        assert!(
            keys.contains(&(table.into(), referenced.into())),
            "{table} → {referenced} lost: {keys:?}"
        );
    }
    for (table, referenced) in UNENFORCED_UNDER_CITUS {
        assert!(!keys.contains(&(table.to_string(), referenced.to_string())));
    }
}

#[tokio::test]
async fn citus_placement_repairs_a_misplaced_table_and_refuses_an_unplaceable_one() {
    let Some((store, url)) = citus_with_url("citus_repair").await else {
        return;
    };
    with_example_zone(&store).await;
    // A table made local again (as a forgotten distribution leaves it): the check names it ...
    sqlx::query("SELECT undistribute_table('plan_project', cascade_via_foreign_keys => true)")
        .execute(store.pool())
        .await
        .unwrap();
    let error = store.citus_placement().await.unwrap_err().to_string();
    assert!(error.contains("plan_project"), "{error}");
    // ... and the next open puts every table back, data kept.
    let reopened = Store::open(&url).await.unwrap();
    assert_placed(&reopened).await;
    let (record, _) = reopened
        .load_zone("450202", ecociv_store::Selection::Approved)
        .await
        .unwrap();
    assert_eq!(record.profile.code, "450202");
    // A new zone-scoped table (as a later migration would add) is distributed with its zone at the next
    // open; a table that is neither listed nor zone-scoped is refused, loudly.
    sqlx::query(
        "CREATE TABLE later_zone_table (zone_code TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (zone_code, n))",
    )
    .execute(store.pool())
    .await
    .unwrap();
    assert!(
        store
            .citus_placement()
            .await
            .unwrap_err()
            .to_string()
            .contains("later_zone_table")
    );
    let reopened = Store::open(&url).await.unwrap();
    assert_placed(&reopened).await;
    sqlx::query("CREATE TABLE loose_global (id TEXT PRIMARY KEY)")
        .execute(store.pool())
        .await
        .unwrap();
    let error = Store::open(&url)
        .await
        .err()
        .expect("an unplaceable table refuses the open")
        .to_string();
    assert!(error.contains("loose_global"), "{error}");
}

#[tokio::test]
async fn citus_key_rules_hold_on_the_postgres_schema() {
    let Some(store) = postgres("citus_rules").await else {
        return;
    };
    let pool = store.pool();
    let tables: Vec<String> = sqlx::query(
        "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .iter()
    .map(|row| row.get("t"))
    .collect();
    assert!(tables.len() >= 10, "{tables:?}");
    let is_reference = |table: &str| REFERENCE_TABLES.contains(&table);
    // Constraint columns in order: (table, constraint, type) -> columns.
    let rows = sqlx::query(
        "SELECT CAST(tc.table_name AS TEXT) AS t, CAST(tc.constraint_name AS TEXT) AS c, CAST(tc.constraint_type AS TEXT) AS k,
                CAST(kcu.column_name AS TEXT) AS col, CAST(kcu.ordinal_position AS BIGINT) AS pos
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_name = tc.constraint_name AND kcu.constraint_schema = tc.constraint_schema AND kcu.table_name = tc.table_name
         WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
         ORDER BY t, c, pos",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut constraints: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for row in &rows {
        constraints
            .entry((row.get("t"), row.get("c"), row.get("k")))
            .or_default()
            .push(row.get("col"));
    }
    // Referenced table and columns of each foreign key.
    let rows = sqlx::query(
        "SELECT CAST(rc.constraint_name AS TEXT) AS c, CAST(ccu.table_name AS TEXT) AS rt
         FROM information_schema.referential_constraints rc
         JOIN information_schema.table_constraints ccu
           ON ccu.constraint_name = rc.unique_constraint_name AND ccu.constraint_schema = rc.unique_constraint_schema
         WHERE rc.constraint_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let referenced: BTreeMap<String, String> = rows.iter().map(|row| (row.get("c"), row.get("rt"))).collect();
    let mut problems = Vec::new();
    for table in &tables {
        if is_reference(table) {
            continue;
        }
        let nullable: Option<String> = sqlx::query(
            "SELECT CAST(is_nullable AS TEXT) AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'zone_code'",
        )
        .bind(table)
        .fetch_optional(pool)
        .await
        .unwrap()
        .map(|row| row.get("n"));
        match nullable.as_deref() {
            Some("NO") => {}
            Some(_) => problems.push(format!("{table}: zone_code is nullable")),
            None => problems.push(format!("{table}: no zone_code column")),
        }
        if !constraints.keys().any(|(t, _, k)| t == table && k == "PRIMARY KEY") {
            problems.push(format!("{table}: no primary key"));
        }
    }
    for ((table, name, kind), columns) in &constraints {
        if !tables.contains(table) {
            continue;
        }
        match kind.as_str() {
            "PRIMARY KEY" | "UNIQUE"
                if !is_reference(table) && columns.first().map(String::as_str) != Some("zone_code") =>
            {
                problems.push(format!(
                    "{table}.{name}: {kind} ({}) does not start with zone_code",
                    columns.join(", ")
                ));
            }
            "FOREIGN KEY" => {
                let Some(target) = referenced.get(name) else {
                    problems.push(format!("{table}.{name}: referenced table not found"));
                    continue;
                };
                match (is_reference(table), is_reference(target)) {
                    (true, false) if !UNENFORCED_UNDER_CITUS.contains(&(table.as_str(), target.as_str())) => problems
                        .push(format!(
                            "{table}.{name}: a reference table points to zone-scoped {target}"
                        )),
                    (false, false) if columns.first().map(String::as_str) != Some("zone_code") => problems.push(
                        format!("{table}.{name}: foreign key to {target} does not start with zone_code"),
                    ),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // No serial or identity columns anywhere.
    let rows = sqlx::query(
        "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx%' AND (is_identity = 'YES' OR column_default LIKE 'nextval%')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for row in rows {
        problems.push(format!(
            "{}.{}: serial/identity column",
            row.get::<String, _>("t"),
            row.get::<String, _>("c")
        ));
    }
    assert!(problems.is_empty(), "Citus key rules broken:\n{}", problems.join("\n"));
}

/// Every migration applied to a database already distributed at the version before it: the new tables are
/// placed and nothing is left local, so a later migration cannot leave a zone-scoped table undistributed.
#[tokio::test]
async fn citus_each_later_migration_applies_to_a_distributed_database() {
    let versions = ecociv_store::migration_versions();
    for pair in versions.windows(2) {
        let (before, version) = (pair[0], pair[1]);
        let Some(base) = crate::support::citus_url() else {
            return;
        };
        let name = format!("ecociv_c_upgrade_{}_{before}", std::process::id());
        let database = ecociv_store::testdb::fresh_citus(&base, &name, 4).await.unwrap();
        ecociv_store::testdb::migrate_to(database.url(), before).await.unwrap();
        let store = Store::open(database.url())
            .await
            .unwrap_or_else(|error| panic!("migration {version} on a database distributed at {before}: {error}"));
        assert_placed(&store).await;
    }
}

/// Both migration directories must give the same tables with the same columns (names, nullability).
#[tokio::test]
async fn sqlite_and_postgres_schemas_have_the_same_tables_and_columns() {
    let Some(postgres) = postgres("schema_parity").await else {
        return;
    };
    let sqlite = sqlite("schema_parity").await;
    let tables = sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name")
        .fetch_all(sqlite.pool())
        .await
        .unwrap();
    let mut lite = BTreeSet::new();
    for table in &tables {
        let name: String = table.get("name");
        let columns = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT name, \"notnull\" AS nn, pk FROM pragma_table_info('{name}')"
        )))
        .fetch_all(sqlite.pool())
        .await
        .unwrap();
        for column in columns {
            let not_null = column.get::<i64, _>("nn") != 0 || column.get::<i64, _>("pk") != 0;
            lite.insert((name.clone(), column.get::<String, _>("name"), not_null));
        }
    }
    let rows = sqlx::query(
        "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c, CAST(is_nullable AS TEXT) AS n
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(postgres.pool())
    .await
    .unwrap();
    let pg: BTreeSet<(String, String, bool)> = rows
        .iter()
        .map(|row| (row.get("t"), row.get("c"), row.get::<String, _>("n") == "NO"))
        .collect();
    let only_sqlite: Vec<_> = lite.difference(&pg).collect();
    let only_pg: Vec<_> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "schemas differ:\nonly SQLite: {only_sqlite:?}\nonly PostgreSQL: {only_pg:?}"
    );
}
