//! The administrative hierarchy in the database (issue 15): the units (`admin_unit`, loaded from
//! `ecociv_data::bundled::divisions` and from zones' parents), roles granted at a unit (`unit_role`), the zones
//! below a unit, and the roll-up's read of the materialized summaries. The meaning of a role (who may do
//! what) is `ecociv-server`'s policy; this module stores what it is given.

use sqlx::Row;

use crate::values::Selection;
use crate::{Result, Role, Store, StoreError, clock};

/// A role granted at an administrative unit (a city's or province's reviewer or viewer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRole {
    pub unit_code: String,
    pub user_id: String,
    pub role: Role,
}

/// A unit as stored: code, name, level text, parent code.
pub type AdminUnit = (String, String, String, Option<String>);

/// One zone of a roll-up's scope with its materialized summary for the year, if current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneSummaryRow {
    pub zone_code: String,
    pub name: String,
    pub parent_code: Option<String>,
    /// The edition the year is judged under.
    pub framework_id: String,
    /// The zone's attributes (level, climate, terrain …), for comparisons of zones of the same kind.
    pub attributes: std::collections::BTreeMap<String, String>,
    /// Whether the zone is disclosed (its approved assessment public).
    pub disclosed: bool,
    /// The summary text, only when it was materialized at the zone's current data version by `engine`.
    pub summary: Option<String>,
    /// Whether a summary exists but is stale (older data version or another engine): the zone is being
    /// recomputed.
    pub stale: bool,
}

/// The insert of an administrative unit that keeps a unit already known (two writers recording the same
/// unit: the second is a no-op, not a conflict).
pub(crate) const INSERT_ADMIN_UNIT: &str =
    "INSERT INTO admin_unit (code, name, level, parent_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING";

impl Store {
    /// Records administrative units (parents listed before their children), keeping units already known.
    /// One transaction.
    pub async fn ensure_admin_units(&self, units: &[AdminUnit]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (code, name, level, parent) in units {
            sqlx::query(INSERT_ADMIN_UNIT)
                .bind(code)
                .bind(name)
                .bind(level)
                .bind(parent)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A unit by code.
    pub async fn admin_unit(&self, code: &str) -> Result<Option<AdminUnit>> {
        let row = sqlx::query("SELECT code, name, level, parent_code FROM admin_unit WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok((
                row.try_get("code")?,
                row.try_get("name")?,
                row.try_get("level")?,
                row.try_get("parent_code")?,
            ))
        })
        .transpose()
    }

    /// Grants a role at a unit (replacing an earlier one there). Only reviewers and viewers are granted at
    /// a level: an editor belongs to one zone's department.
    pub async fn set_unit_role(&self, unit_code: &str, user_id: &str, role: Role) -> Result<()> {
        if role == Role::Editor {
            return Err(StoreError::Invalid(
                "填报员属于某一区域的部门，不能在市级或省级授予 (editors are not granted at a level)".into(),
            ));
        }
        if self.admin_unit(unit_code).await?.is_none() {
            return Err(StoreError::NotFound(format!(
                "行政区划 (administrative unit) {unit_code}"
            )));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM unit_role WHERE unit_code = $1 AND user_id = $2")
            .bind(unit_code)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO unit_role (unit_code, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
            .bind(unit_code)
            .bind(user_id)
            .bind(role.code())
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a user's role at a unit.
    pub async fn remove_unit_role(&self, unit_code: &str, user_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM unit_role WHERE unit_code = $1 AND user_id = $2")
            .bind(unit_code)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A user's roles at units.
    pub async fn unit_roles(&self, user_id: &str) -> Result<Vec<UnitRole>> {
        let rows = sqlx::query("SELECT unit_code, user_id, role FROM unit_role WHERE user_id = $1 ORDER BY unit_code")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("role")?;
                Ok(UnitRole {
                    unit_code: row.try_get("unit_code")?,
                    user_id: row.try_get("user_id")?,
                    role: Role::parse(&code).ok_or_else(|| StoreError::Invalid(format!("unknown role {code}")))?,
                })
            })
            .collect()
    }

    /// The zones at or below a unit: the zone itself, zones whose parent is the unit, and zones whose
    /// parent's parent is (a province's counties under its cities). By code.
    pub async fn zones_within(&self, unit_code: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT zone_code FROM zone
             WHERE zone_code = $1 OR parent_code = $1
                OR parent_code IN (SELECT code FROM admin_unit WHERE parent_code = $1)
             ORDER BY zone_code",
        )
        .bind(unit_code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| row.try_get::<String, _>("zone_code").map_err(StoreError::from))
            .collect()
    }

    /// For a roll-up: every zone at or below `scope` (every zone when `scope` is `None`: the nation), with
    /// its summary of `year` materialized at the zone's current data version by `engine_of(framework)`.
    /// One query.
    pub async fn rollup_summaries(
        &self,
        scope: Option<&str>,
        year: i32,
        selection: Selection,
        engine_of: impl Fn(&str) -> Option<String>,
    ) -> Result<Vec<ZoneSummaryRow>> {
        let rows = sqlx::query(
            "SELECT z.zone_code, z.name, z.parent_code, z.framework_id, z.earlier_editions, z.attributes_json, z.disclosed,
                    z.data_version AS zone_version,
                    m.data_version AS summary_version, m.engine, m.summary
             FROM zone z
             LEFT JOIN materialized_assessment m
               ON m.zone_code = z.zone_code AND m.year = $1 AND m.selection = $2
             WHERE $3 = '' OR z.zone_code = $3 OR z.parent_code = $3
                OR z.parent_code IN (SELECT code FROM admin_unit WHERE parent_code = $3)
             ORDER BY z.zone_code",
        )
        .bind(i64::from(year))
        .bind(selection.code())
        .bind(scope.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            // The edition the year is judged under (issue 15), not necessarily the zone's current one.
            let framework_id = crate::zones::editions_from(&row)?.for_year(year).to_string();
            let zone_version: i64 = row.try_get("zone_version")?;
            let summary_version: Option<i64> = row.try_get("summary_version")?;
            let engine: Option<String> = row.try_get("engine")?;
            let summary: Option<String> = row.try_get("summary")?;
            let current = summary_version == Some(zone_version)
                && engine.is_some()
                && engine == engine_of(&framework_id)
                && summary.is_some();
            let zone_code: String = row.try_get("zone_code")?;
            let attributes: String = row.try_get("attributes_json")?;
            let attributes = serde_json::from_str(&attributes)
                .map_err(|e| StoreError::Invalid(format!("zone {zone_code} attributes: {e}")))?;
            out.push(ZoneSummaryRow {
                zone_code,
                attributes,
                disclosed: row.try_get::<i64, _>("disclosed")? != 0,
                name: row.try_get("name")?,
                parent_code: row.try_get("parent_code")?,
                framework_id,
                stale: summary_version.is_some() && !current,
                summary: if current { summary } else { None },
            });
        }
        Ok(out)
    }
}
