//! Accounts (用户), their roles in zones (角色) and login sessions. Password hashing and the rules of who
//! may do what live in `ecociv-server`; this module stores what it is given.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, clock};

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// The Argon2id PHC string.
    pub password_hash: String,
    /// 系统管理员: manages accounts and zones everywhere.
    pub is_admin: bool,
    pub disabled: bool,
    /// Consecutive failed logins since the last success.
    pub failed_logins: i64,
    /// Logins are refused until this time (RFC 3339 UTC), after too many failures.
    pub locked_until: Option<String>,
    pub created_at: String,
}

/// A role within a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 审核员 (生态环境局): reviews, approves, returns and reopens values; edits any row.
    Reviewer,
    /// 部门填报员: drafts and submits the rows its department leads.
    Editor,
    /// 查看者 (领导): reads everything of the zone, writes nothing.
    Viewer,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }
    pub fn parse(code: &str) -> Option<Role> {
        Some(match code {
            "reviewer" => Role::Reviewer,
            "editor" => Role::Editor,
            "viewer" => Role::Viewer,
            _ => return None,
        })
    }
}

/// A user's role in one zone; an editor's department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub zone_code: String,
    pub user_id: String,
    pub role: Role,
    pub department_id: Option<String>,
}

/// A login session. The token itself is never stored: only its SHA-256 hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub user_id: String,
    /// The session's CSRF token, required on every state-changing request.
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
}

/// The outcome of [`Store::claim_login_attempt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAttempt {
    /// The attempt may check its password; it is counted as the `failures`-th failure in a row until it
    /// succeeds, and when that reached the limit the account is locked until `locked_until`.
    Claimed {
        failures: i64,
        locked_until: Option<String>,
    },
    /// The account is locked until this time; the attempt is refused without checking the password.
    Locked { until: String },
}

/// A new account's record, after checking the username.
pub(crate) fn new_user(username: &str, display_name: &str, password_hash: &str, is_admin: bool) -> Result<User> {
    let username = username.trim();
    if username.is_empty() || username.chars().any(char::is_whitespace) {
        return Err(StoreError::Invalid(
            "用户名不能为空或含空格 (username empty or with spaces)".into(),
        ));
    }
    Ok(User {
        id: clock::new_id(),
        username: username.to_string(),
        display_name: display_name.to_string(),
        password_hash: password_hash.to_string(),
        is_admin,
        disabled: false,
        failed_logins: 0,
        locked_until: None,
        created_at: clock::now(),
    })
}

/// Inserts an account (on the pool or within a transaction).
pub(crate) async fn insert_user<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    user: &User,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO app_user (id, username, display_name, password_hash, is_admin, disabled, failed_logins, locked_until, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, 0, NULL, $6)",
    )
    .bind(&user.id)
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(&user.password_hash)
    .bind(i64::from(user.is_admin))
    .bind(&user.created_at)
    .execute(executor)
    .await
    .map_err(|error| match StoreError::from(error) {
        StoreError::Conflict(_) => StoreError::Conflict(format!("用户名 {} 已存在 (username taken)", user.username)),
        other => other,
    })?;
    Ok(())
}

pub(crate) const USER_COLUMNS: &str =
    "id, username, display_name, password_hash, is_admin, disabled, failed_logins, locked_until, created_at";

pub(crate) fn user_from(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: row.try_get("locked_until")?,
        created_at: row.try_get("created_at")?,
    })
}

fn membership_from(row: &AnyRow) -> Result<Membership> {
    let role: String = row.try_get("role")?;
    Ok(Membership {
        zone_code: row.try_get("zone_code")?,
        user_id: row.try_get("user_id")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Invalid(format!("role {role}")))?,
        department_id: row.try_get("department_id")?,
    })
}

/// Editors, and only editors, belong to a department: the one check of a role's department.
pub(crate) fn check_department(role: Role, department_id: Option<&str>) -> Result<()> {
    if (role == Role::Editor) != department_id.is_some() {
        return Err(StoreError::Invalid(
            "填报员必须属于一个部门，其他角色不属于部门 (editors, and only editors, belong to a department)".into(),
        ));
    }
    Ok(())
}

/// Writes a user's role in a zone inside `tx`, replacing an earlier one; `None` removes it. The caller
/// has checked the role ([`check_department`], [`check_role_target`]).
pub(crate) async fn write_membership(
    tx: &mut sqlx::AnyConnection,
    zone_code: &str,
    user_id: &str,
    role: Option<Role>,
    department_id: Option<&str>,
) -> Result<()> {
    sqlx::query("DELETE FROM membership WHERE zone_code = $1 AND user_id = $2")
        .bind(zone_code)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if let Some(role) = role {
        sqlx::query(
            "INSERT INTO membership (zone_code, user_id, role, department_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(zone_code)
        .bind(user_id)
        .bind(role.code())
        .bind(department_id)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Checks, inside the transaction that writes a role, that the zone exists and that the department (if
/// any) is one of that zone's. The schema's foreign keys say the same on SQLite and plain PostgreSQL; on
/// Citus `membership` is a reference table and cannot point at the zone-scoped `zone` and `department`
/// ([`crate::distribute`]), so this check is what holds there. Zones and departments are never deleted, so
/// nothing can remove them between this check and the commit.
pub(crate) async fn check_role_target(
    tx: &mut sqlx::AnyConnection,
    zone_code: &str,
    department_id: Option<&str>,
) -> Result<()> {
    let zone = sqlx::query("SELECT zone_code FROM zone WHERE zone_code = $1")
        .bind(zone_code)
        .fetch_optional(&mut *tx)
        .await?;
    if zone.is_none() {
        return Err(StoreError::NotFound(format!("区域 {zone_code} (zone)")));
    }
    if let Some(department_id) = department_id {
        let department = sqlx::query("SELECT id FROM department WHERE zone_code = $1 AND id = $2")
            .bind(zone_code)
            .bind(department_id)
            .fetch_optional(&mut *tx)
            .await?;
        if department.is_none() {
            return Err(StoreError::Invalid(format!(
                "部门 {department_id} 不属于区域 {zone_code} (no such department in the zone)"
            )));
        }
    }
    Ok(())
}

impl Store {
    /// Creates an account with an already hashed password. A taken username is a [`StoreError::Conflict`].
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        is_admin: bool,
    ) -> Result<User> {
        let user = new_user(username, display_name, password_hash, is_admin)?;
        insert_user(&self.pool, &user).await?;
        Ok(user)
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE username = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(username.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user ORDER BY username");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(user_from).collect()
    }

    /// The number of administrators (the first one is made by the CLI).
    pub async fn admin_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM app_user WHERE is_admin = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Records the outcome of a login attempt: the failure count and the lock time.
    pub async fn set_login_state(&self, user_id: &str, failed_logins: i64, locked_until: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE app_user SET failed_logins = $1, locked_until = $2 WHERE id = $3")
            .bind(failed_logins)
            .bind(locked_until)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Claims one login attempt for an account, atomically, before its password is checked: one
    /// `UPDATE … RETURNING` counts the attempt as a failure and, when it is the `max_failures`-th in a row,
    /// locks the account until `lock_until`. Concurrent attempts are therefore counted one by one by the
    /// database (no read-then-write race, across server instances too), and an attempt on a locked account
    /// is refused without touching the count. A lock that has expired starts a new count. The caller calls
    /// [`Store::login_succeeded`] when the password was right.
    pub async fn claim_login_attempt(
        &self,
        user_id: &str,
        max_failures: i64,
        lock_until: &str,
        now: &str,
    ) -> Result<LoginAttempt> {
        let row = sqlx::query(
            "UPDATE app_user SET
                 failed_logins = CASE WHEN locked_until IS NULL THEN failed_logins + 1 ELSE 1 END,
                 locked_until = CASE WHEN (CASE WHEN locked_until IS NULL THEN failed_logins + 1 ELSE 1 END) >= $1
                                     THEN $2 ELSE NULL END
             WHERE id = $3 AND (locked_until IS NULL OR locked_until <= $4)
             RETURNING failed_logins, locked_until",
        )
        .bind(max_failures)
        .bind(lock_until)
        .bind(user_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(LoginAttempt::Claimed {
                failures: row.try_get("failed_logins")?,
                locked_until: row.try_get("locked_until")?,
            }),
            None => {
                let row = sqlx::query("SELECT locked_until FROM app_user WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?;
                let until: Option<String> = match row {
                    Some(row) => row.try_get("locked_until")?,
                    None => return Err(StoreError::NotFound(format!("user {user_id}"))),
                };
                Ok(LoginAttempt::Locked {
                    until: until.unwrap_or_default(),
                })
            }
        }
    }

    /// A login succeeded: the account's failure count starts again and its lock (set by the attempt
    /// itself, if it was the last allowed one) is lifted.
    pub async fn login_succeeded(&self, user_id: &str) -> Result<()> {
        self.set_login_state(user_id, 0, None).await
    }

    /// Gives a user a role in a zone (replacing an earlier one). Editors need a department of that zone.
    pub async fn set_membership(
        &self,
        zone_code: &str,
        user_id: &str,
        role: Role,
        department_id: Option<&str>,
    ) -> Result<()> {
        check_department(role, department_id)?;
        let mut tx = self.begin_write().await?;
        check_role_target(&mut tx, zone_code, department_id).await?;
        write_membership(&mut tx, zone_code, user_id, Some(role), department_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's role in a zone, if any.
    pub async fn membership(&self, zone_code: &str, user_id: &str) -> Result<Option<Membership>> {
        let row = sqlx::query(
            "SELECT zone_code, user_id, role, department_id FROM membership WHERE zone_code = $1 AND user_id = $2",
        )
        .bind(zone_code)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(membership_from).transpose()
    }

    /// All roles of a user.
    pub async fn memberships(&self, user_id: &str) -> Result<Vec<Membership>> {
        let rows = sqlx::query(
            "SELECT zone_code, user_id, role, department_id FROM membership WHERE user_id = $1 ORDER BY zone_code",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(membership_from).collect()
    }

    /// Stores a new session.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        expires_at: &str,
    ) -> Result<Session> {
        let session = Session {
            token_hash: token_hash.to_string(),
            user_id: user_id.to_string(),
            csrf_token: csrf_token.to_string(),
            created_at: clock::now(),
            expires_at: expires_at.to_string(),
        };
        sqlx::query(
            "INSERT INTO session (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.token_hash)
        .bind(&session.user_id)
        .bind(&session.csrf_token)
        .bind(&session.created_at)
        .bind(&session.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(session)
    }

    /// A live session and its user: unexpired, and the user not disabled.
    pub async fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>> {
        let row = sqlx::query(
            "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM session WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let session = Session {
            token_hash: row.try_get("token_hash")?,
            user_id: row.try_get("user_id")?,
            csrf_token: row.try_get("csrf_token")?,
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
        };
        if session.expires_at <= clock::now() {
            return Ok(None);
        }
        match self.user_by_id(&session.user_id).await? {
            Some(user) if !user.disabled => Ok(Some((session, user))),
            _ => Ok(None),
        }
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn purge_sessions(&self) -> Result<u64> {
        let result = sqlx::query("DELETE FROM session WHERE expires_at <= $1")
            .bind(clock::now())
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }
}

impl Store {
    /// Takes the lease of a background job for `holder` until `ttl` from now, or renews it (后台任务租约):
    /// true when `holder` now holds it — the lease was free, expired, or already its own — false when
    /// another holder's lease is still running. One statement, so two instances asking at once cannot both
    /// get it. Leases make a job run on one server instance at a time ([`crate::distribute`]: a reference
    /// table on Citus).
    pub async fn try_lease(&self, job: &str, holder: &str, ttl: std::time::Duration) -> Result<bool> {
        let now = clock::now();
        let until = clock::now_plus(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX).max(1));
        let result = sqlx::query(
            "INSERT INTO job_lease (job, holder, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE job_lease.holder = excluded.holder OR job_lease.expires_at <= $4",
        )
        .bind(job)
        .bind(holder)
        .bind(&until)
        .bind(&now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Gives a lease back (only `holder`'s own), so another instance may run the job at once.
    pub async fn release_lease(&self, job: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM job_lease WHERE job = $1 AND holder = $2")
            .bind(job)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
