//! Distribution over PostgreSQL + Citus (分布式部署), as part of the schema's life: when the database has
//! the `citus` extension, [`crate::Store::open`] runs the migrations one at a time and, after each, brings
//! every table to its place and verifies the result; a database that cannot be placed is refused, loudly.
//! Without the extension nothing here runs.
//!
//! Placement (the one list is [`REFERENCE_TABLES`]; everything else is zone-scoped):
//! - **Reference tables** are copied to every node: the framework, the administrative hierarchy, accounts,
//!   sessions, roles in zones, the administration's audit trail and the leases of background jobs. Each is small and global, and all of
//!   them are read by key on hot paths (a signed-in request reads its session, its account and its roles),
//!   so a read is answered by the node that receives it — with the coordinator registered as a node, by
//!   the coordinator itself — never by a fan-out to the shards.
//! - **Zone-scoped tables** (every other table; each has `zone_code`) are hash-distributed by `zone_code`
//!   and co-located with `zone`: everything about one zone lives on one shard, so every workflow
//!   transaction of a zone stays on one node.
//!
//! `membership` is a reference table although it has `zone_code`: it is read by user (every signed-in
//! request asks for the caller's roles in every zone), which on a table sharded by zone fans out to every
//! shard (measured in issue 16: `/api/v1/me` 81 requests/s on Citus against 3,258 on plain PostgreSQL).
//! It is small (users × zones) and written only by administrators. `unit_role` (roles granted at a city or
//! province, issue 15) is a reference table for the same reason, and points only at reference tables.
//!
//! Foreign keys. Citus cannot create a reference table that a local table references, nor distribute a
//! table that local tables reference: with the coordinator registered as a node, `create_reference_table`
//! turns every table that points at it into a "Citus-local" table, and `create_distributed_table` on
//! `zone` then fails (issue 16). So the placement runs in one transaction that (1) drops the foreign keys
//! touching a table not yet in its place, (2) places the tables — reference tables first, then `zone`,
//! then the other zone-scoped tables co-located with it — and (3) adds the foreign keys back from their
//! saved definitions. Every key comes back except the ones Citus cannot enforce, from a reference table to
//! a zone-scoped one: only `membership → zone` and `membership → department`. The store checks those
//! in the transaction that writes a role (zones and departments are never deleted, so the check cannot be
//! overtaken). On SQLite and plain PostgreSQL the keys stay as the migrations made them.
//!
//! Migrations on a distributed database run one at a time, each followed by the placement: DDL on
//! distributed tables (new columns, indexes) propagates to the shards by itself, and a table a migration
//! creates stays a plain local table (`citus.enable_local_reference_table_foreign_keys` off while migrating)
//! until the placement moves it — its keys dropped, the table placed, its keys added back. The store tests
//! apply every migration to a database distributed at the version before it (CI runs them on Citus).

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{AnyConnection, Connection, Row};

use crate::{Result, StoreError};

/// The reference tables, exactly. Every other table of the schema is zone-scoped and distributed by
/// `zone_code`. Changing this list is a schema decision: write the reason in the module documentation.
pub const REFERENCE_TABLES: &[&str] = &[
    "framework",
    "framework_row",
    "admin_unit",
    "app_user",
    "session",
    "membership",
    "unit_role",
    "admin_audit",
    "job_lease",
    "boundary",
];

/// The foreign keys from a reference table to a zone-scoped one, as (table, referenced table): Citus cannot
/// enforce them, so placement drops them and the store checks them itself (for `membership`:
/// `accounts::check_role_target`). Placement refuses any other such key: the code would not check it.
pub const UNENFORCED_UNDER_CITUS: &[(&str, &str)] = &[("membership", "zone"), ("membership", "department")];

/// The table every zone-scoped table is co-located with.
pub const COLOCATION_ANCHOR: &str = "zone";

/// The distribution column of zone-scoped tables.
pub const DISTRIBUTION_COLUMN: &str = "zone_code";

/// sqlx's own bookkeeping, left local on the coordinator (only the migration runner touches it).
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Serialises placement between processes that open the same database at once (advisory lock key).
const PLACEMENT_LOCK: i64 = 0x6563_6f63_6976_0016;

/// Where a table is, as Citus's metadata says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Not in Citus's metadata: a plain table on the coordinator.
    Local,
    /// A Citus-local table (in the metadata, on the coordinator only).
    CitusLocal,
    /// Copied to every node.
    Reference,
    /// Hash-distributed by `column`, in co-location group `colocation`.
    Distributed { column: String, colocation: i64 },
    /// Anything else (e.g. append- or range-distributed).
    Other(String),
}

/// One table's placement, for reports (`ecociv db status`) and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePlacement {
    pub table: String,
    pub placement: Placement,
    /// The shards of a distributed table (1 for a reference table, 0 for a local one).
    pub shards: i64,
}

/// Whether the database has the Citus extension (only PostgreSQL databases can).
pub(crate) async fn citus_present(conn: &mut AnyConnection) -> Result<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM pg_extension WHERE extname = 'citus'")
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// The schema's tables (public schema, without sqlx's bookkeeping) and whether each has `zone_code`.
async fn tables(conn: &mut AnyConnection) -> Result<BTreeMap<String, bool>> {
    let rows = sqlx::query(
        "SELECT CAST(c.relname AS TEXT) AS t,
                CAST(EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'zone_code'
                                 AND NOT a.attisdropped) AS INT) AS z
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get::<String, _>("t")?, row.try_get::<i32, _>("z")? != 0)))
        .collect()
}

/// Citus's view of every table of the schema.
pub(crate) async fn placements(conn: &mut AnyConnection) -> Result<Vec<TablePlacement>> {
    let all = tables(conn).await?;
    let rows = sqlx::query(
        "SELECT CAST(c.relname AS TEXT) AS t, CAST(p.partmethod AS TEXT) AS m, CAST(p.repmodel AS TEXT) AS r,
                CAST(p.colocationid AS BIGINT) AS g,
                CASE WHEN p.partmethod = 'h' THEN CAST(column_to_column_name(p.logicalrelid, p.partkey) AS TEXT) END AS col,
                (SELECT COUNT(*) FROM pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid) AS shards
         FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut known = BTreeMap::new();
    for row in &rows {
        let table: String = row.try_get("t")?;
        let method: String = row.try_get("m")?;
        let model: String = row.try_get("r")?;
        let placement = match (method.as_str(), model.as_str()) {
            ("h", _) => Placement::Distributed {
                column: row.try_get::<Option<String>, _>("col")?.unwrap_or_default(),
                colocation: row.try_get("g")?,
            },
            ("n", "t") => Placement::Reference,
            ("n", "s") => Placement::CitusLocal,
            _ => Placement::Other(format!("partmethod {method}, repmodel {model}")),
        };
        known.insert(table, (placement, row.try_get::<i64, _>("shards")?));
    }
    Ok(all
        .into_keys()
        .map(|table| {
            let (placement, shards) = known.remove(&table).unwrap_or((Placement::Local, 0));
            TablePlacement {
                table,
                placement,
                shards,
            }
        })
        .collect())
}

/// What is wrong with the placement, one line per problem (empty: every table is where it belongs).
/// `zone_columns` says which tables have `zone_code`.
/// With `complete`, every listed reference table must exist (after the last migration; an earlier one may
/// not have created it yet).
fn problems(placements: &[TablePlacement], zone_columns: &BTreeMap<String, bool>, complete: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let anchor = placements
        .iter()
        .find(|p| p.table == COLOCATION_ANCHOR)
        .and_then(|p| match &p.placement {
            Placement::Distributed { colocation, .. } => Some(*colocation),
            _ => None,
        });
    let present: BTreeSet<&str> = placements.iter().map(|p| p.table.as_str()).collect();
    for table in REFERENCE_TABLES {
        if complete && !present.contains(table) {
            problems.push(format!("{table}: listed as a reference table but not in the schema"));
        }
    }
    for p in placements {
        let table = &p.table;
        if REFERENCE_TABLES.contains(&table.as_str()) {
            if p.placement != Placement::Reference {
                problems.push(format!("{table}: should be a reference table, is {:?}", p.placement));
            }
            continue;
        }
        if !zone_columns.get(table).copied().unwrap_or(false) {
            problems.push(format!(
                "{table}: neither a reference table nor zone-scoped (no zone_code column): \
                 add zone_code, or list it in distribute::REFERENCE_TABLES with the reason"
            ));
            continue;
        }
        match &p.placement {
            Placement::Distributed { column, colocation } => {
                if column != DISTRIBUTION_COLUMN {
                    problems.push(format!(
                        "{table}: distributed by {column}, not by {DISTRIBUTION_COLUMN}"
                    ));
                } else if Some(*colocation) != anchor {
                    problems.push(format!("{table}: not co-located with {COLOCATION_ANCHOR}"));
                }
            }
            other => problems.push(format!(
                "{table}: zone-scoped but not distributed by {DISTRIBUTION_COLUMN} ({other:?})"
            )),
        }
    }
    problems
}

/// Checks that every table is where it belongs: reference tables exactly [`REFERENCE_TABLES`], every other
/// table distributed by `zone_code` and co-located with `zone`, and no foreign key from a reference table
/// to a zone-scoped one. Returns the placements, or an error listing every problem.
pub(crate) async fn verify(conn: &mut AnyConnection, complete: bool) -> Result<Vec<TablePlacement>> {
    let zone_columns = tables(conn).await?;
    let placements = placements(conn).await?;
    let mut found = problems(&placements, &zone_columns, complete);
    for fk in foreign_keys(conn).await? {
        if is_reference(&fk.table) && !is_reference(&fk.referenced) {
            found.push(format!(
                "{}.{}: a reference table points to zone-scoped {}",
                fk.table, fk.name, fk.referenced
            ));
        }
    }
    if found.is_empty() {
        Ok(placements)
    } else {
        Err(StoreError::Invalid(format!(
            "Citus 分布检查未通过 (Citus placement check failed):\n{}",
            found.join("\n")
        )))
    }
}

fn is_reference(table: &str) -> bool {
    REFERENCE_TABLES.contains(&table)
}

struct ForeignKey {
    name: String,
    table: String,
    referenced: String,
    definition: String,
}

async fn foreign_keys(conn: &mut AnyConnection) -> Result<Vec<ForeignKey>> {
    let rows = sqlx::query(
        "SELECT CAST(k.conname AS TEXT) AS name, CAST(c.relname AS TEXT) AS t, CAST(r.relname AS TEXT) AS rt,
                CAST(pg_get_constraintdef(k.oid) AS TEXT) AS def
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE k.contype = 'f' AND n.nspname = 'public' ORDER BY c.relname, k.conname",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ForeignKey {
                name: row.try_get("name")?,
                table: row.try_get("t")?,
                referenced: row.try_get("rt")?,
                definition: row.try_get("def")?,
            })
        })
        .collect()
}

/// Whether a table is already where it belongs.
fn in_place(p: &TablePlacement, anchor: Option<i64>) -> bool {
    if is_reference(&p.table) {
        return p.placement == Placement::Reference;
    }
    match &p.placement {
        Placement::Distributed { column, colocation } => {
            column == DISTRIBUTION_COLUMN && (p.table == COLOCATION_ANCHOR || Some(*colocation) == anchor)
        }
        _ => false,
    }
}

fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Places every table that is not yet where it belongs (see the module documentation), in one transaction,
/// then verifies (`complete`: see [`verify`]). Idempotent: on a placed database it only reads the metadata.
pub(crate) async fn distribute(conn: &mut AnyConnection, complete: bool) -> Result<Vec<TablePlacement>> {
    if let Ok(placed) = verify(conn, complete).await {
        return Ok(placed);
    }
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(PLACEMENT_LOCK)
        .execute(&mut *tx)
        .await?;
    // Everything below in one sequential transaction: Citus refuses parallel shard work after a reference
    // table was written in the same transaction.
    sqlx::query("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")
        .execute(&mut *tx)
        .await?;
    let zone_columns = tables(&mut tx).await?;
    let current = placements(&mut tx).await?;
    let anchor = current
        .iter()
        .find(|p| p.table == COLOCATION_ANCHOR && in_place(p, None))
        .and_then(|p| match &p.placement {
            Placement::Distributed { colocation, .. } => Some(*colocation),
            _ => None,
        });
    let to_place: Vec<&TablePlacement> = current.iter().filter(|p| !in_place(p, anchor)).collect();
    let moving: BTreeSet<&str> = to_place.iter().map(|p| p.table.as_str()).collect();
    // Tables that are neither listed nor zone-scoped cannot be placed: refuse before touching anything.
    for p in &to_place {
        if !is_reference(&p.table) && !zone_columns.get(&p.table).copied().unwrap_or(false) {
            return Err(StoreError::Invalid(format!(
                "Citus 分布失败 (cannot place table) {}: neither a reference table nor zone-scoped (no zone_code column)",
                p.table
            )));
        }
    }
    // (1) Drop the foreign keys touching a table that moves, and those Citus cannot enforce.
    let keys = foreign_keys(&mut tx).await?;
    for fk in &keys {
        let pair = (fk.table.as_str(), fk.referenced.as_str());
        if is_reference(&fk.table) && !is_reference(&fk.referenced) && !UNENFORCED_UNDER_CITUS.contains(&pair) {
            return Err(StoreError::Invalid(format!(
                "Citus 分布失败 (cannot place tables): {}.{} points from a reference table to zone-scoped {}, \
                 which Citus cannot enforce and the store does not check (see distribute::UNENFORCED_UNDER_CITUS)",
                fk.table, fk.name, fk.referenced
            )));
        }
    }
    let mut restore = Vec::new();
    for fk in keys {
        let unsupported = is_reference(&fk.table) && !is_reference(&fk.referenced);
        if unsupported || moving.contains(fk.table.as_str()) || moving.contains(fk.referenced.as_str()) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                quote(&fk.table),
                quote(&fk.name)
            )))
            .execute(&mut *tx)
            .await?;
            if !unsupported {
                restore.push(fk);
            }
        }
    }
    // (2) Place: tables in the wrong place are first made local again, then reference tables, the anchor,
    // and the zone-scoped tables co-located with it.
    for p in &to_place {
        if p.placement != Placement::Local {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT undistribute_table({})",
                literal(&p.table)
            )))
            .execute(&mut *tx)
            .await?;
        }
    }
    for p in to_place.iter().filter(|p| is_reference(&p.table)) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT create_reference_table({})",
            literal(&p.table)
        )))
        .execute(&mut *tx)
        .await?;
    }
    if to_place.iter().any(|p| p.table == COLOCATION_ANCHOR) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT create_distributed_table({}, {})",
            literal(COLOCATION_ANCHOR),
            literal(DISTRIBUTION_COLUMN)
        )))
        .execute(&mut *tx)
        .await?;
    }
    for p in to_place
        .iter()
        .filter(|p| !is_reference(&p.table) && p.table != COLOCATION_ANCHOR)
    {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT create_distributed_table({}, {}, colocate_with => {})",
            literal(&p.table),
            literal(DISTRIBUTION_COLUMN),
            literal(COLOCATION_ANCHOR)
        )))
        .execute(&mut *tx)
        .await?;
    }
    // (3) The foreign keys back, as they were.
    for fk in &restore {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}",
            quote(&fk.table),
            quote(&fk.name),
            fk.definition
        )))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    verify(conn, complete).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(table: &str, placement: Placement) -> TablePlacement {
        TablePlacement {
            table: table.into(),
            placement,
            shards: 0,
        }
    }

    fn distributed(column: &str, colocation: i64) -> Placement {
        Placement::Distributed {
            column: column.into(),
            colocation,
        }
    }

    #[test]
    fn the_check_names_every_misplaced_table() {
        let mut zone_columns = BTreeMap::new();
        let mut all = Vec::new();
        for table in REFERENCE_TABLES {
            zone_columns.insert(table.to_string(), *table == "membership" || *table == "admin_audit");
            all.push(placed(table, Placement::Reference));
        }
        for table in ["zone", "department", "value_revision", "extra"] {
            zone_columns.insert(table.to_string(), true);
        }
        zone_columns.insert("loose".into(), false);
        all.push(placed("zone", distributed("zone_code", 7)));
        all.push(placed("department", distributed("zone_code", 7)));
        assert!(problems(&all, &zone_columns, true).is_empty());

        all.push(placed("value_revision", distributed("zone_code", 8)));
        all.push(placed("extra", Placement::Local));
        all.push(placed("loose", Placement::Reference));
        all[0] = placed("framework", Placement::CitusLocal);
        let found = problems(&all, &zone_columns, true).join("\n");
        assert!(found.contains("framework: should be a reference table"), "{found}");
        assert!(found.contains("value_revision: not co-located with zone"), "{found}");
        assert!(found.contains("extra: zone-scoped but not distributed"), "{found}");
        assert!(
            found.contains("loose: neither a reference table nor zone-scoped"),
            "{found}"
        );
        assert_eq!(found.lines().count(), 4, "{found}");

        let without_audit: Vec<TablePlacement> = all.into_iter().filter(|p| p.table != "admin_audit").collect();
        assert!(
            problems(&without_audit, &zone_columns, true)
                .iter()
                .any(|p| p == "admin_audit: listed as a reference table but not in the schema")
        );
        assert!(
            problems(&without_audit, &zone_columns, false)
                .iter()
                .all(|p| !p.starts_with("admin_audit"))
        );
    }

    #[test]
    fn tables_move_until_placed() {
        let zone = placed("zone", distributed("zone_code", 3));
        assert!(in_place(&zone, None));
        assert!(in_place(&placed("department", distributed("zone_code", 3)), Some(3)));
        assert!(!in_place(&placed("department", distributed("zone_code", 4)), Some(3)));
        assert!(!in_place(&placed("department", distributed("id", 3)), Some(3)));
        assert!(!in_place(&placed("department", Placement::CitusLocal), Some(3)));
        assert!(in_place(&placed("session", Placement::Reference), Some(3)));
        assert!(!in_place(&placed("membership", distributed("zone_code", 3)), Some(3)));
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(literal("o'k"), "'o''k'");
    }
}
