//! The Citus key rules, checked on the real schema: on PostgreSQL through `information_schema` (the
//! backend Citus runs on), and the operator's `deploy/citus/distribute.sql` against the tables that exist.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::Row;

use crate::support::{postgres, sqlite};

/// Global tables: replicated to every node by `create_reference_table`.
const REFERENCE_TABLES: &[&str] = &[
    "framework",
    "framework_row",
    "admin_unit",
    "app_user",
    "session",
    "admin_audit",
];
const DISTRIBUTE_SQL: &str = include_str!("../../../../deploy/citus/distribute.sql");

fn distribute_file() -> (BTreeSet<String>, BTreeSet<String>) {
    let mut reference = BTreeSet::new();
    let mut distributed = BTreeSet::new();
    for line in DISTRIBUTE_SQL
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("--"))
    {
        let quoted: Vec<&str> = line.split('\'').collect();
        if line.starts_with("SELECT create_reference_table(") {
            reference.insert(quoted[1].to_string());
        } else if line.starts_with("SELECT create_distributed_table(") {
            assert_eq!(quoted[3], "zone_code", "{line}: distribution column must be zone_code");
            distributed.insert(quoted[1].to_string());
        }
    }
    (reference, distributed)
}

#[tokio::test]
async fn distribute_sql_names_every_table_once_with_the_right_kind() {
    let store = sqlite("citus_file").await;
    let rows = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let tables: BTreeSet<String> = rows.iter().map(|row| row.get::<String, _>("name")).collect();
    let (reference, distributed) = distribute_file();
    assert_eq!(
        reference,
        REFERENCE_TABLES.iter().map(|t| t.to_string()).collect::<BTreeSet<_>>()
    );
    assert!(reference.is_disjoint(&distributed));
    assert_eq!(reference.union(&distributed).cloned().collect::<BTreeSet<_>>(), tables);
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
                    (true, false) => problems.push(format!(
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
