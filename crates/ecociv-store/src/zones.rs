//! Zones (示范区创建地区) with their plan, departments (部门) and internal units; reading a zone back as the
//! core's [`Zone`] with the values a [`Selection`] asks for.

use std::collections::BTreeMap;

use ecociv_core::zone::{Editions, ParentUnit, Target, TargetKind};
use ecociv_core::{Plan, Project, Zone, ZoneProfile};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::values::Selection;
use crate::{Result, Store, StoreError, clock};

/// What a request needs to know of a zone before anything else ([`Store::zone_head`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneHead {
    pub data_version: i64,
    pub disclosed: bool,
    /// The edition in force now (`editions.current`).
    pub framework_id: String,
    /// Every edition the zone is judged under, by year (issue 15).
    pub editions: Editions,
}

/// A zone as stored, without its values.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneRecord {
    pub profile: ZoneProfile,
    /// The edition in force now (`editions.current`): new data, templates and the plan.
    pub framework_id: String,
    /// Every edition the zone is judged under, by year: a year's assessment uses `editions.for_year`.
    pub editions: Editions,
    pub plan_title: String,
    pub base_year: i32,
    /// Whether the public may see the zone's approved assessment (信息公开).
    pub disclosed: bool,
    /// Increases with every change to the zone's values; caches compare it.
    pub data_version: i64,
}

/// A department of a zone (e.g. 城中生态环境局).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: String,
    pub name: String,
}

fn target_kind_code(kind: &TargetKind) -> (&'static str, Option<f64>, Option<&str>) {
    match kind {
        TargetKind::Value(figure) => ("value", Some(*figure), None),
        TargetKind::State(state) => ("state", None, Some(state.as_str())),
        TargetKind::NotBelowBase => ("not_below_base", None, None),
        TargetKind::RestatesStandard => ("restates", None, None),
        TargetKind::Describes => ("describes", None, None),
    }
}

fn target_kind(code: &str, figure: Option<f64>, state: Option<String>) -> Result<TargetKind> {
    Ok(match (code, figure, state) {
        ("value", Some(figure), _) => TargetKind::Value(figure),
        ("state", _, Some(state)) => TargetKind::State(state),
        ("not_below_base", _, _) => TargetKind::NotBelowBase,
        ("restates", _, _) => TargetKind::RestatesStandard,
        ("describes", _, _) => TargetKind::Describes,
        (other, _, _) => return Err(StoreError::Invalid(format!("unknown target kind {other}"))),
    })
}

impl Store {
    /// Creates a zone with its profile and plan (targets, lead departments, projects). The departments
    /// named as leads are created. The framework must be stored first. A zone code already stored is a
    /// [`StoreError::Conflict`].
    pub async fn create_zone(&self, profile: &ZoneProfile, plan: &Plan, disclosed: bool) -> Result<()> {
        self.prepare_zone(profile, plan).await?;
        let mut tx = self.begin_write().await?;
        insert_zone(&mut tx, profile, plan, disclosed).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a zone and stores its values in one transaction: the zone with all its values, or nothing
    /// (a zone imported from files, issue 15). The revisions are recorded as one import batch.
    pub async fn create_zone_with_values(
        &self,
        profile: &ZoneProfile,
        plan: &Plan,
        disclosed: bool,
        author_id: &str,
        batch: Option<crate::values::Batch>,
        revisions: Vec<crate::NewRevision>,
    ) -> Result<Vec<crate::Revision>> {
        self.prepare_zone(profile, plan).await?;
        let mut tx = self.begin_write().await?;
        insert_zone(&mut tx, profile, plan, disclosed).await?;
        if !revisions.is_empty() {
            sqlx::query("UPDATE zone SET data_version = data_version + 1 WHERE zone_code = $1")
                .bind(&profile.code)
                .execute(&mut *tx)
                .await?;
        }
        let first_year = revisions.iter().map(|new| new.observation.year).min();
        let stored = if revisions.is_empty() {
            Vec::new()
        } else {
            crate::values::write_revisions(&mut tx, &profile.code, author_id, batch, revisions).await?
        };
        tx.commit().await?;
        if first_year.is_some() {
            self.zone_changed(&profile.code, first_year);
        }
        Ok(stored)
    }

    /// Checks the plan's rows against its stored framework and records the parent units.
    async fn prepare_zone(&self, profile: &ZoneProfile, plan: &Plan) -> Result<()> {
        let framework = self.framework(&plan.framework).await?;
        for row_id in plan.targets.keys().chain(plan.lead_departments.keys()) {
            if framework.row(row_id).is_none() {
                return Err(StoreError::Invalid(format!(
                    "row {row_id} is not in framework {}",
                    framework.id
                )));
            }
        }
        let mut parent: Option<&ParentUnit> = None;
        for unit in &profile.parents {
            self.ensure_admin_unit(&unit.code, &unit.name, &unit.level, parent.map(|p| p.code.as_str()))
                .await?;
            parent = Some(unit);
        }
        Ok(())
    }

    /// All zones, by code.
    pub async fn zones(&self) -> Result<Vec<ZoneRecord>> {
        let rows = sqlx::query(ZONE_SELECT_ALL).fetch_all(&self.pool).await?;
        let mut zones = Vec::with_capacity(rows.len());
        for row in &rows {
            zones.push(self.zone_from_row(row).await?);
        }
        Ok(zones)
    }

    /// Every zone's code, name, English name and disclosure, by code (a light list).
    pub async fn zone_summaries(&self) -> Result<Vec<(String, String, String, bool)>> {
        let rows = sqlx::query("SELECT zone_code, name, name_en, disclosed FROM zone ORDER BY zone_code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("zone_code")?,
                    row.try_get("name")?,
                    row.try_get("name_en")?,
                    row.try_get::<i64, _>("disclosed")? != 0,
                ))
            })
            .collect()
    }

    /// One zone, or `None`.
    pub async fn zone(&self, code: &str) -> Result<Option<ZoneRecord>> {
        let row = sqlx::query(ZONE_SELECT_ONE)
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(self.zone_from_row(&row).await?)),
            None => Ok(None),
        }
    }

    /// The zone's data version alone (a cheap key lookup): it changes whenever any value of the zone does.
    pub async fn data_version(&self, code: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT data_version FROM zone WHERE zone_code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("data_version")?),
            None => None,
        })
    }

    /// The zone's data version and whether it is disclosed, in one key lookup; `None` for an unknown zone.
    pub async fn zone_state(&self, code: &str) -> Result<Option<(i64, bool)>> {
        let row = sqlx::query("SELECT data_version, disclosed FROM zone WHERE zone_code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => Some((row.try_get("data_version")?, row.try_get::<i64, _>("disclosed")? != 0)),
            None => None,
        })
    }

    /// The zone's data version, whether it is disclosed, and its framework edition, in one key lookup;
    /// `None` for an unknown zone (what the assessment endpoint needs before any cache lookup).
    pub async fn zone_head(&self, code: &str) -> Result<Option<ZoneHead>> {
        let row = sqlx::query(
            "SELECT data_version, disclosed, framework_id, earlier_editions FROM zone WHERE zone_code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(ZoneHead {
                data_version: row.try_get("data_version")?,
                disclosed: row.try_get::<i64, _>("disclosed")? != 0,
                framework_id: row.try_get("framework_id")?,
                editions: editions_from(&row)?,
            }),
            None => None,
        })
    }

    /// Sets whether the public may see the zone's approved assessment.
    pub async fn set_disclosed(&self, code: &str, disclosed: bool) -> Result<()> {
        let result = sqlx::query("UPDATE zone SET disclosed = $1 WHERE zone_code = $2")
            .bind(i64::from(disclosed))
            .bind(code)
            .execute(&self.pool)
            .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("区域 (zone) {code}")));
        }
        self.zone_changed(code, None);
        Ok(())
    }

    async fn zone_from_row(&self, row: &AnyRow) -> Result<ZoneRecord> {
        let code: String = row.try_get("zone_code")?;
        let attributes: String = row.try_get("attributes_json")?;
        let attributes: BTreeMap<String, String> = serde_json::from_str(&attributes)
            .map_err(|e| StoreError::Invalid(format!("zone {code} attributes: {e}")))?;
        let mut parents = Vec::new();
        let mut next: Option<String> = row.try_get("parent_code")?;
        while let Some(parent_code) = next.take() {
            let Some(unit) = sqlx::query("SELECT code, name, level, parent_code FROM admin_unit WHERE code = $1")
                .bind(&parent_code)
                .fetch_optional(&self.pool)
                .await?
            else {
                break;
            };
            parents.push(ParentUnit {
                code: unit.try_get("code")?,
                name: unit.try_get("name")?,
                level: unit.try_get("level")?,
            });
            if parents.len() > 8 {
                break;
            }
            next = unit.try_get("parent_code")?;
        }
        parents.reverse();
        let base_year: i64 = row.try_get("base_year")?;
        Ok(ZoneRecord {
            profile: ZoneProfile {
                code,
                name: row.try_get("name")?,
                name_en: row.try_get("name_en")?,
                parents,
                attributes,
            },
            framework_id: row.try_get("framework_id")?,
            editions: editions_from(row)?,
            plan_title: row.try_get("plan_title")?,
            base_year: base_year as i32,
            disclosed: row.try_get::<i64, _>("disclosed")? != 0,
            data_version: row.try_get("data_version")?,
        })
    }

    /// The zone's plan: targets, lead departments (in the plan's order) and projects.
    pub async fn plan(&self, record: &ZoneRecord) -> Result<Plan> {
        let code = &record.profile.code;
        let mut targets: BTreeMap<String, BTreeMap<i32, Target>> = BTreeMap::new();
        let rows =
            sqlx::query("SELECT row_id, target_year, text, kind, figure, state FROM plan_target WHERE zone_code = $1")
                .bind(code)
                .fetch_all(&self.pool)
                .await?;
        for row in rows {
            let year: i64 = row.try_get("target_year")?;
            let kind = target_kind(
                &row.try_get::<String, _>("kind")?,
                row.try_get("figure")?,
                row.try_get("state")?,
            )?;
            targets.entry(row.try_get("row_id")?).or_default().insert(
                year as i32,
                Target {
                    text: row.try_get("text")?,
                    kind,
                },
            );
        }
        let mut lead_departments: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let rows = sqlx::query(
            "SELECT l.row_id, d.name FROM plan_lead l JOIN department d ON d.zone_code = l.zone_code AND d.id = l.department_id
             WHERE l.zone_code = $1 ORDER BY l.row_id, l.position",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            lead_departments
                .entry(row.try_get("row_id")?)
                .or_default()
                .push(row.try_get("name")?);
        }
        let rows = sqlx::query(
            "SELECT number, category, content, count, investment_wan_yuan FROM plan_project WHERE zone_code = $1 ORDER BY number",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        let mut projects = Vec::new();
        for row in rows {
            projects.push(Project {
                number: row.try_get::<i64, _>("number")? as u32,
                category: row.try_get("category")?,
                content: row.try_get("content")?,
                count: row.try_get::<i64, _>("count")? as u32,
                investment_wan_yuan: row.try_get("investment_wan_yuan")?,
            });
        }
        Ok(Plan {
            title: record.plan_title.clone(),
            framework: record.framework_id.clone(),
            base_year: record.base_year,
            targets,
            lead_departments,
            projects,
        })
    }

    /// A zone as the core's [`Zone`], with the values the selection asks for (the latest qualifying
    /// revision of each row and year). Returns the record too (its data version tells what was read).
    pub async fn load_zone(&self, code: &str, selection: Selection) -> Result<(ZoneRecord, Zone)> {
        let record = self
            .zone(code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("区域 (zone) {code}")))?;
        let plan = self.plan(&record).await?;
        let observations = self.observations(code, selection).await?;
        let zone = Zone {
            profile: record.profile.clone(),
            plan,
            observations,
        };
        Ok((record, zone))
    }

    /// The zone's departments, by name.
    pub async fn departments(&self, code: &str) -> Result<Vec<Department>> {
        let rows = sqlx::query("SELECT id, name FROM department WHERE zone_code = $1 ORDER BY name")
            .bind(code)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Department {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                })
            })
            .collect()
    }

    /// Creates a department unless one of that name exists; returns it.
    pub async fn ensure_department(&self, code: &str, name: &str) -> Result<Department> {
        if let Some(department) = self.departments(code).await?.into_iter().find(|d| d.name == name) {
            return Ok(department);
        }
        let id = clock::new_id();
        sqlx::query("INSERT INTO department (zone_code, id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(code)
            .bind(&id)
            .bind(name)
            .bind(clock::now())
            .execute(&self.pool)
            .await?;
        Ok(Department {
            id,
            name: name.to_string(),
        })
    }

    /// The ids of the departments that lead a row in a zone.
    pub async fn row_leads(&self, code: &str, row_id: &str) -> Result<Vec<String>> {
        let rows =
            sqlx::query("SELECT department_id FROM plan_lead WHERE zone_code = $1 AND row_id = $2 ORDER BY position")
                .bind(code)
                .bind(row_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| row.try_get::<String, _>("department_id").map_err(StoreError::from))
            .collect()
    }

    /// Every (row, lead department id) of a zone.
    pub async fn leads(&self, code: &str) -> Result<BTreeMap<String, Vec<String>>> {
        let rows =
            sqlx::query("SELECT row_id, department_id FROM plan_lead WHERE zone_code = $1 ORDER BY row_id, position")
                .bind(code)
                .fetch_all(&self.pool)
                .await?;
        let mut leads: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for row in rows {
            leads
                .entry(row.try_get("row_id")?)
                .or_default()
                .push(row.try_get("department_id")?);
        }
        Ok(leads)
    }
}

const ZONE_SELECT_ALL: &str = "SELECT zone_code, name, name_en, parent_code, framework_id, earlier_editions, attributes_json, plan_title, base_year, disclosed, data_version FROM zone ORDER BY zone_code";
const ZONE_SELECT_ONE: &str = "SELECT zone_code, name, name_en, parent_code, framework_id, earlier_editions, attributes_json, plan_title, base_year, disclosed, data_version FROM zone WHERE zone_code = $1";

/// A zone row's editions: `framework_id` in force now, `earlier_editions` (`id@year;id@year`, migration
/// 0024) before.
pub(crate) fn editions_from(row: &AnyRow) -> Result<Editions> {
    let current: String = row.try_get("framework_id")?;
    let earlier: String = row.try_get("earlier_editions")?;
    Ok(Editions {
        current,
        earlier: parse_earlier_editions(&earlier)?,
    })
}

/// Reads `zone.earlier_editions`.
pub(crate) fn parse_earlier_editions(text: &str) -> Result<Vec<(String, i32)>> {
    text.split(';')
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.rsplit_once('@')
                .and_then(|(id, year)| Some((id.to_string(), year.parse::<i32>().ok()?)))
                .ok_or_else(|| StoreError::Invalid(format!("zone.earlier_editions: “{part}”")))
        })
        .collect()
}

/// Writes `zone.earlier_editions`.
pub(crate) fn encode_earlier_editions(earlier: &[(String, i32)]) -> String {
    earlier
        .iter()
        .map(|(id, until)| format!("{id}@{until}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// One adoption of a newer edition (采用新版指标体系), as recorded (append-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionAdoption {
    pub zone_code: String,
    pub from_year: i32,
    pub framework_id: String,
    pub previous_framework_id: String,
    pub reason: String,
    pub adopted_by: String,
    /// The adopter's display name (empty if unknown).
    pub adopted_by_name: String,
    pub adopted_at: String,
}

impl Store {
    /// A zone's adoptions, oldest first.
    pub async fn edition_adoptions(&self, code: &str) -> Result<Vec<EditionAdoption>> {
        let rows = sqlx::query(
            "SELECT a.zone_code, a.from_year, a.framework_id, a.previous_framework_id, a.reason, a.adopted_by,
                    a.adopted_at, COALESCE(u.display_name, '') AS adopted_by_name
             FROM zone_edition_adoption a LEFT JOIN app_user u ON u.id = a.adopted_by
             WHERE a.zone_code = $1 ORDER BY a.from_year",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(EditionAdoption {
                    zone_code: row.try_get("zone_code")?,
                    from_year: row.try_get::<i64, _>("from_year")? as i32,
                    framework_id: row.try_get("framework_id")?,
                    previous_framework_id: row.try_get("previous_framework_id")?,
                    reason: row.try_get("reason")?,
                    adopted_by: row.try_get("adopted_by")?,
                    adopted_by_name: row.try_get("adopted_by_name")?,
                    adopted_at: row.try_get("adopted_at")?,
                })
            })
            .collect()
    }

    /// Adopts `framework_id` (stored first) for the zone from `from_year` on, in one transaction: the
    /// adoption's record, the zone's editions, its data version (every cache of the zone is stale; the
    /// years from `from_year` are recomputed) and the audit record `zone.edition`. The rule is
    /// [`Editions::adopt`], checked here against the zone as it is in the transaction; a refusal is
    /// [`StoreError::Invalid`] with its message and changes nothing.
    pub async fn adopt_edition_by(
        &self,
        actor_id: &str,
        code: &str,
        framework_id: &str,
        from_year: i32,
        reason: &str,
    ) -> Result<Editions> {
        if framework_id.contains(['@', ';']) {
            return Err(StoreError::Invalid(format!(
                "指标体系版本标识“{framework_id}”含 @ 或 ;"
            )));
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT framework_id, earlier_editions FROM zone WHERE zone_code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("区域 (zone) {code}")))?;
        let before = editions_from(&row)?;
        let after = before
            .adopt(framework_id, from_year)
            .map_err(|problem| StoreError::Invalid(problem.message()))?;
        let at = clock::now();
        sqlx::query(
            "INSERT INTO zone_edition_adoption (zone_code, from_year, framework_id, previous_framework_id, reason, adopted_by, adopted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(code)
        .bind(i64::from(from_year))
        .bind(framework_id)
        .bind(&before.current)
        .bind(reason)
        .bind(actor_id)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        let changed = sqlx::query(
            "UPDATE zone SET framework_id = $1, earlier_editions = $2, data_version = data_version + 1
             WHERE zone_code = $3 AND framework_id = $4 AND earlier_editions = $5",
        )
        .bind(framework_id)
        .bind(encode_earlier_editions(&after.earlier))
        .bind(code)
        .bind(&before.current)
        .bind(encode_earlier_editions(&before.earlier))
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!("区域 {code} 的指标体系版本已被同时修改")));
        }
        // The years before `from_year` keep their edition and values: their materialized assessments stay
        // exact and move on with the zone (as a value write moves those before its first year).
        sqlx::query(
            "UPDATE materialized_assessment SET data_version = data_version + 1
             WHERE zone_code = $1 AND year < $2 AND data_version = (SELECT data_version FROM zone WHERE zone_code = $1) - 1",
        )
        .bind(code)
        .bind(i64::from(from_year))
        .execute(&mut *tx)
        .await?;
        crate::audit::record_in(
            &mut tx,
            actor_id,
            "zone.edition",
            "zone",
            code,
            Some(code),
            &serde_json::json!({ "framework": before.current, "earlier": before.earlier }),
            &serde_json::json!({ "framework": framework_id, "from_year": from_year, "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        self.zone_changed(code, Some(from_year));
        Ok(after)
    }
}

/// Inserts a zone's row, departments, leads, targets and projects in a transaction.
async fn insert_zone(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    profile: &ZoneProfile,
    plan: &Plan,
    disclosed: bool,
) -> Result<()> {
    let parent = profile.parents.last();
    let attributes = serde_json::to_string(&profile.attributes).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let now = clock::now();
    sqlx::query(
            "INSERT INTO zone (zone_code, name, name_en, parent_code, framework_id, attributes_json, plan_title, base_year, disclosed, data_version, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10)",
        )
        .bind(&profile.code)
        .bind(&profile.name)
        .bind(&profile.name_en)
        .bind(parent.map(|p| p.code.clone()))
        .bind(&plan.framework)
        .bind(attributes)
        .bind(&plan.title)
        .bind(i64::from(plan.base_year))
        .bind(i64::from(disclosed))
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    let mut departments: BTreeMap<String, String> = BTreeMap::new();
    for leads in plan.lead_departments.values() {
        for name in leads {
            if !departments.contains_key(name) {
                let id = clock::new_id();
                sqlx::query("INSERT INTO department (zone_code, id, name, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(&profile.code)
                    .bind(&id)
                    .bind(name)
                    .bind(&now)
                    .execute(&mut **tx)
                    .await?;
                departments.insert(name.clone(), id);
            }
        }
    }
    for (row_id, leads) in &plan.lead_departments {
        for (position, name) in leads.iter().enumerate() {
            sqlx::query("INSERT INTO plan_lead (zone_code, row_id, department_id, position) VALUES ($1, $2, $3, $4)")
                .bind(&profile.code)
                .bind(row_id)
                .bind(&departments[name])
                .bind(position as i64)
                .execute(&mut **tx)
                .await?;
        }
    }
    for (row_id, by_year) in &plan.targets {
        for (year, target) in by_year {
            let (kind, figure, state) = target_kind_code(&target.kind);
            sqlx::query(
                    "INSERT INTO plan_target (zone_code, row_id, target_year, text, kind, figure, state) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&profile.code)
                .bind(row_id)
                .bind(i64::from(*year))
                .bind(&target.text)
                .bind(kind)
                .bind(figure)
                .bind(state)
                // sqlx 0.9's Any driver sends a NULL f64 as float4: an unnamed statement keeps a cached
                // float4 parameter type from breaking the next non-NULL bind on PostgreSQL.
                .persistent(false)
                .execute(&mut **tx)
                .await?;
        }
    }
    for project in &plan.projects {
        sqlx::query(
                "INSERT INTO plan_project (zone_code, number, category, content, count, investment_wan_yuan) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&profile.code)
            .bind(i64::from(project.number))
            .bind(&project.category)
            .bind(&project.content)
            .bind(i64::from(project.count))
            .bind(project.investment_wan_yuan)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
