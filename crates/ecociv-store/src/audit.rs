//! The administration's changes with their audit trail (管理操作记录): accounts (create, rename, disable,
//! enable, password reset), roles in zones, departments (create, rename) and a zone's public switch. Each change and its
//! [`AuditEvent`] — who, when, what before, what after — are written in one transaction, so there is no
//! change without its record. The records are append-only. Values have their own history
//! ([`crate::values`]); this is for everything an administrator does.

use serde_json::{Value as Json, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::{Role, USER_COLUMNS, User, insert_user, new_user, user_from};
use crate::zones::Department;
use crate::{Result, Store, StoreError, clock};

/// One recorded change.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: String,
    pub at: String,
    pub actor_id: String,
    /// The actor's display name (empty if unknown).
    pub actor_name: String,
    /// `user.create`, `user.update`, `user.disable`, `user.enable`, `user.password`, `member.set`,
    /// `member.remove`, `department.create`, `department.rename`, `zone.public` (the public switch), `zone.edition` (an
    /// adoption of a newer framework edition, issue 15), `zone.sites` (the zone's points on its map
    /// replaced by an import, issue 15).
    pub action: String,
    /// `user`, `department` or `zone`.
    pub target_kind: String,
    pub target_id: String,
    pub zone_code: Option<String>,
    /// The state before (JSON object; `null` for a creation).
    pub before: Json,
    /// The state after.
    pub after: Json,
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// [`record`] for the store's other modules (an audited change made outside this module, in the same
/// transaction).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_in(
    tx: &mut Tx,
    actor_id: &str,
    action: &str,
    target_kind: &str,
    target_id: &str,
    zone_code: Option<&str>,
    before: &Json,
    after: &Json,
) -> Result<()> {
    record(tx, actor_id, action, target_kind, target_id, zone_code, before, after).await
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut Tx,
    actor_id: &str,
    action: &str,
    target_kind: &str,
    target_id: &str,
    zone_code: Option<&str>,
    before: &Json,
    after: &Json,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO admin_audit (id, at, actor_id, action, target_kind, target_id, zone_code, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(clock::new_id())
    .bind(clock::now())
    .bind(actor_id)
    .bind(action)
    .bind(target_kind)
    .bind(target_id)
    .bind(zone_code)
    .bind(before.to_string())
    .bind(after.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn event_from(row: &AnyRow) -> Result<AuditEvent> {
    let parse = |column: &str| -> Result<Json> {
        let text: String = row.try_get(column)?;
        serde_json::from_str(&text).map_err(|e| StoreError::Invalid(format!("audit {column}: {e}")))
    };
    Ok(AuditEvent {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor_id: row.try_get("actor_id")?,
        actor_name: row.try_get::<Option<String>, _>("display_name")?.unwrap_or_default(),
        action: row.try_get("action")?,
        target_kind: row.try_get("target_kind")?,
        target_id: row.try_get("target_id")?,
        zone_code: row.try_get("zone_code")?,
        before: parse("before_json")?,
        after: parse("after_json")?,
    })
}

fn account(user: &User) -> Json {
    json!({ "username": user.username, "display_name": user.display_name, "is_admin": user.is_admin, "disabled": user.disabled })
}

fn member(role: Option<Role>, department: Option<&str>) -> Json {
    match role {
        Some(role) => json!({ "role": role.code(), "department": department }),
        None => Json::Null,
    }
}

impl Store {
    /// An account, read within the transaction.
    async fn user_in(&self, tx: &mut Tx, user_id: &str) -> Result<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
        row.as_ref()
            .map(user_from)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("用户 (user) {user_id}")))
    }

    /// Creates an account (see [`Store::create_user`]) and records it, in one transaction.
    pub async fn create_user_by(
        &self,
        actor_id: &str,
        username: &str,
        display_name: &str,
        password_hash: &str,
        is_admin: bool,
    ) -> Result<User> {
        let user = new_user(username, display_name, password_hash, is_admin)?;
        let mut tx = self.begin_write().await?;
        insert_user(&mut *tx, &user).await?;
        record(
            &mut tx,
            actor_id,
            "user.create",
            "user",
            &user.id,
            None,
            &Json::Null,
            &account(&user),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Changes an account's display name and/or whether it is disabled, and records it. Disabling ends
    /// the account's sessions (they also stop working at once: a session of a disabled account is not
    /// live, see [`Store::session`]).
    pub async fn update_user_by(
        &self,
        actor_id: &str,
        user_id: &str,
        display_name: Option<&str>,
        disabled: Option<bool>,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let before = self.user_in(&mut tx, user_id).await?;
        let mut after = before.clone();
        if let Some(name) = display_name.map(str::trim) {
            if name.is_empty() {
                return Err(StoreError::Invalid("显示名称不能为空 (display name empty)".into()));
            }
            after.display_name = name.to_string();
        }
        if let Some(disabled) = disabled {
            after.disabled = disabled;
        }
        sqlx::query("UPDATE app_user SET display_name = $1, disabled = $2 WHERE id = $3")
            .bind(&after.display_name)
            .bind(i64::from(after.disabled))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if after.disabled {
            sqlx::query("DELETE FROM session WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let action = match (before.disabled, after.disabled) {
            (false, true) => "user.disable",
            (true, false) => "user.enable",
            _ => "user.update",
        };
        record(
            &mut tx,
            actor_id,
            action,
            "user",
            user_id,
            None,
            &account(&before),
            &account(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a new password hash (an administrator's reset), clears the login failures and lock, ends the
    /// account's sessions, and records it (never the hash).
    pub async fn set_password_by(&self, actor_id: &str, user_id: &str, password_hash: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let user = self.user_in(&mut tx, user_id).await?;
        sqlx::query("UPDATE app_user SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM session WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let state = json!({ "username": user.username, "password": "reset" });
        record(
            &mut tx,
            actor_id,
            "user.password",
            "user",
            user_id,
            None,
            &json!({ "username": user.username }),
            &state,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a user a role in a zone (editors: with a department of the zone), or removes their role with
    /// `None`, and records it.
    pub async fn set_membership_by(
        &self,
        actor_id: &str,
        zone_code: &str,
        user_id: &str,
        role: Option<Role>,
        department_id: Option<&str>,
    ) -> Result<()> {
        if let Some(role) = role {
            crate::accounts::check_department(role, department_id)?;
        }
        let mut tx = self.begin_write().await?;
        self.user_in(&mut tx, user_id).await?;
        if role.is_some() {
            crate::accounts::check_role_target(&mut tx, zone_code, department_id).await?;
        }
        let before = sqlx::query("SELECT role, department_id FROM membership WHERE zone_code = $1 AND user_id = $2")
            .bind(zone_code)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let before = match before {
            Some(row) => Some((
                Role::parse(&row.try_get::<String, _>("role")?),
                row.try_get::<Option<String>, _>("department_id")?,
            )),
            None => None,
        };
        crate::accounts::write_membership(&mut tx, zone_code, user_id, role, department_id).await?;
        let before = match &before {
            Some((role, department)) => member(*role, department.as_deref()),
            None => Json::Null,
        };
        let after = member(role, department_id.filter(|_| role.is_some()));
        let action = if role.is_some() { "member.set" } else { "member.remove" };
        record(
            &mut tx,
            actor_id,
            action,
            "user",
            user_id,
            Some(zone_code),
            &before,
            &after,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a department of a zone (a taken name is a [`StoreError::Conflict`]) and records it.
    pub async fn create_department_by(&self, actor_id: &str, zone_code: &str, name: &str) -> Result<Department> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("部门名称不能为空 (department name empty)".into()));
        }
        let id = clock::new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO department (zone_code, id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(zone_code)
            .bind(&id)
            .bind(name)
            .bind(clock::now())
            .execute(&mut *tx)
            .await
            .map_err(|error| match StoreError::from(error) {
                StoreError::Conflict(_) => StoreError::Conflict(format!("部门“{name}”已存在 (department exists)")),
                other => other,
            })?;
        record(
            &mut tx,
            actor_id,
            "department.create",
            "department",
            &id,
            Some(zone_code),
            &Json::Null,
            &json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(Department {
            id,
            name: name.to_string(),
        })
    }

    /// Renames a department (its rows, users and history stay with it: they point to its id), moves the
    /// zone's data version on (pages and caches show lead departments by name), and records it.
    pub async fn rename_department_by(
        &self,
        actor_id: &str,
        zone_code: &str,
        department_id: &str,
        name: &str,
    ) -> Result<Department> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("部门名称不能为空 (department name empty)".into()));
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT name FROM department WHERE zone_code = $1 AND id = $2")
            .bind(zone_code)
            .bind(department_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("部门 (department) {department_id}")))?;
        let before: String = row.try_get("name")?;
        sqlx::query("UPDATE department SET name = $1 WHERE zone_code = $2 AND id = $3")
            .bind(name)
            .bind(zone_code)
            .bind(department_id)
            .execute(&mut *tx)
            .await
            .map_err(|error| match StoreError::from(error) {
                StoreError::Conflict(_) => StoreError::Conflict(format!("部门“{name}”已存在 (department exists)")),
                other => other,
            })?;
        sqlx::query("UPDATE zone SET data_version = data_version + 1 WHERE zone_code = $1")
            .bind(zone_code)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor_id,
            "department.rename",
            "department",
            department_id,
            Some(zone_code),
            &json!({ "name": before }),
            &json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        // The zone's head (its data version) changed: no reader may keep the old one. Every assessment
        // names its rows' lead departments: all years are to be refreshed.
        self.zone_changed(zone_code, Some(i32::MIN));
        Ok(Department {
            id: department_id.to_string(),
            name: name.to_string(),
        })
    }

    /// Sets whether the zone is public (对外公开: its approved standing, survey results, disclosure list and
    /// open data are shown without an account) and records the change, in one transaction. Setting the
    /// state the zone already has changes and records nothing; returns whether it changed.
    pub async fn set_disclosed_by(&self, actor_id: &str, zone_code: &str, disclosed: bool) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT disclosed FROM zone WHERE zone_code = $1")
            .bind(zone_code)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("区域 (zone) {zone_code}")))?;
        let before = row.try_get::<i64, _>("disclosed")? != 0;
        if before == disclosed {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("UPDATE zone SET disclosed = $1 WHERE zone_code = $2")
            .bind(i64::from(disclosed))
            .bind(zone_code)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor_id,
            "zone.public",
            "zone",
            zone_code,
            Some(zone_code),
            &json!({ "public": before }),
            &json!({ "public": disclosed }),
        )
        .await?;
        tx.commit().await?;
        self.zone_changed(zone_code, None);
        Ok(true)
    }

    /// The licence id of the zone's open data as an administrator set it, `None` for the default (issue 14).
    pub async fn open_licence(&self, zone_code: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT open_licence FROM zone WHERE zone_code = $1")
            .bind(zone_code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("区域 (zone) {zone_code}")))?;
        Ok(row.try_get::<Option<String>, _>("open_licence")?)
    }

    /// Sets the licence of the zone's open data (a licence id; the caller checks it) with its `admin_audit`
    /// record `zone.licence` (before/after; `null` before for the default) in one transaction. Returns whether
    /// it changed (the same licence again records nothing).
    pub async fn set_open_licence_by(&self, actor_id: &str, zone_code: &str, licence: &str) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT open_licence FROM zone WHERE zone_code = $1")
            .bind(zone_code)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("区域 (zone) {zone_code}")))?;
        let before: Option<String> = row.try_get("open_licence")?;
        if before.as_deref() == Some(licence) {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("UPDATE zone SET open_licence = $1 WHERE zone_code = $2")
            .bind(licence)
            .bind(zone_code)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor_id,
            "zone.licence",
            "zone",
            zone_code,
            Some(zone_code),
            &json!({ "licence": before }),
            &json!({ "licence": licence }),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Recorded changes, newest first: of one target (`kind`, `id`) when given, at most `limit`.
    pub async fn audit_log(&self, target: Option<(&str, &str)>, limit: i64) -> Result<Vec<AuditEvent>> {
        let columns = "a.id, a.at, a.actor_id, a.action, a.target_kind, a.target_id, a.zone_code, a.before_json, a.after_json, u.display_name";
        let rows = match target {
            Some((kind, id)) => {
                let sql = format!(
                    "SELECT {columns} FROM admin_audit a LEFT JOIN app_user u ON u.id = a.actor_id
                     WHERE a.target_kind = $1 AND a.target_id = $2 ORDER BY a.at DESC, a.id DESC LIMIT $3"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(kind)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {columns} FROM admin_audit a LEFT JOIN app_user u ON u.id = a.actor_id ORDER BY a.at DESC, a.id DESC LIMIT $1"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(event_from).collect()
    }
}
