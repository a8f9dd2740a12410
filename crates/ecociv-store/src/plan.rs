//! The plan's work (`ecociv-plan`): progress report revisions and the key-project ledger, append-only.
//!
//! A report revision is appended only if `ecociv_plan::report::ReportBook::append` accepts it after the
//! report's stored history (submit → approve/return → resubmit, no self-review, dates not backwards); the
//! primary key's `revision_no` turns two concurrent writers into a `Conflict` instead of a lost update.

use ecociv_plan::model::FundingSource;
use ecociv_plan::report::{ReportBook, ReportRevision, ReviewState, Subject, WorkStatus};
use ecociv_plan::{Date, Period, Periodicity, WanYuan};
use sqlx::Row as _;

use crate::{Result, Store, StoreError, clock};

const COLUMNS: &str = "subject_kind, subject_id, periodicity, period_year, period_index, revision_no, department, \
                       state, status, percent, spend_json, narrative, evidence_json, reason, on_date, author";

fn subject_key(subject: &Subject) -> (&'static str, &str) {
    match subject {
        Subject::Measure(id) => ("measure", id),
        Subject::Project(id) => ("project", id),
    }
}

fn state_key(state: ReviewState) -> &'static str {
    match state {
        ReviewState::Submitted => "submitted",
        ReviewState::Approved => "approved",
        ReviewState::Returned => "returned",
    }
}

fn invalid(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{what}: {e}"))
}

fn revision_from(row: &sqlx::any::AnyRow) -> Result<ReportRevision> {
    let kind: String = row.try_get("subject_kind")?;
    let id: String = row.try_get("subject_id")?;
    let subject = match kind.as_str() {
        "measure" => Subject::Measure(id),
        _ => Subject::Project(id),
    };
    let periodicity =
        Periodicity::parse(&row.try_get::<String, _>("periodicity")?).map_err(|e| invalid("periodicity", e))?;
    let year = row.try_get::<i64, _>("period_year")? as i32;
    let index = row.try_get::<i64, _>("period_index")? as u8;
    let period = Period::new(year, index, periodicity).ok_or_else(|| invalid("period", index))?;
    let state = match row.try_get::<String, _>("state")?.as_str() {
        "submitted" => ReviewState::Submitted,
        "approved" => ReviewState::Approved,
        _ => ReviewState::Returned,
    };
    let spend: Vec<(String, String)> =
        serde_json::from_str(&row.try_get::<String, _>("spend_json")?).map_err(|e| invalid("spend_json", e))?;
    let spend = spend
        .into_iter()
        .map(|(source, amount)| {
            Ok((
                FundingSource(source),
                WanYuan::parse(&amount).map_err(|e| invalid("spend_json", e))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ReportRevision {
        subject,
        period,
        department: row.try_get("department")?,
        status: WorkStatus::parse(&row.try_get::<String, _>("status")?).map_err(|e| invalid("status", e))?,
        percent: row.try_get::<i64, _>("percent")? as u8,
        spend,
        narrative: row.try_get("narrative")?,
        evidence: serde_json::from_str(&row.try_get::<String, _>("evidence_json")?)
            .map_err(|e| invalid("evidence_json", e))?,
        state,
        on: Date::parse(&row.try_get::<String, _>("on_date")?).map_err(|e| invalid("on_date", e))?,
        by: row.try_get("author")?,
        reason: row.try_get("reason")?,
    })
}

impl Store {
    /// Appends one revision of a progress report after checking it against the report's history; returns
    /// its revision number. A refused revision changes nothing (`StoreError::Invalid` with the reason).
    pub async fn append_report_revision(&self, zone_code: &str, revision: &ReportRevision) -> Result<i64> {
        let (kind, id) = subject_key(&revision.subject);
        let p = revision.period;
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_report_revision WHERE zone_code = $1 AND subject_kind = $2 AND subject_id = $3 \
             AND periodicity = $4 AND period_year = $5 AND period_index = $6 ORDER BY revision_no"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(kind)
            .bind(id)
            .bind(p.periodicity.as_str())
            .bind(i64::from(p.year))
            .bind(i64::from(p.index))
            .fetch_all(&mut *tx)
            .await?;
        let history = rows.iter().map(revision_from).collect::<Result<Vec<_>>>()?;
        let next = history.len() as i64 + 1;
        let mut book = ReportBook::from_stored(history);
        book.append(revision.clone()).map_err(StoreError::Invalid)?;
        let spend: Vec<(String, String)> = revision
            .spend
            .iter()
            .map(|(s, a)| (s.0.clone(), a.to_string()))
            .collect();
        let spend = serde_json::to_string(&spend).map_err(|e| invalid("spend", e))?;
        let evidence = serde_json::to_string(&revision.evidence).map_err(|e| invalid("evidence", e))?;
        sqlx::query(
            "INSERT INTO plan_report_revision (zone_code, subject_kind, subject_id, periodicity, period_year, \
             period_index, revision_no, department, state, status, percent, spend_json, narrative, evidence_json, \
             reason, on_date, author, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             $15, $16, $17, $18)",
        )
        .bind(zone_code)
        .bind(kind)
        .bind(id)
        .bind(p.periodicity.as_str())
        .bind(i64::from(p.year))
        .bind(i64::from(p.index))
        .bind(next)
        .bind(&revision.department)
        .bind(state_key(revision.state))
        .bind(revision.status.as_str())
        .bind(i64::from(revision.percent))
        .bind(spend)
        .bind(&revision.narrative)
        .bind(evidence)
        .bind(revision.reason.clone())
        .bind(revision.on.to_string())
        .bind(&revision.by)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Every report revision of a zone, each report's history in revision order.
    pub async fn report_book(&self, zone_code: &str) -> Result<ReportBook> {
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_report_revision WHERE zone_code = $1 ORDER BY subject_kind, subject_id, \
             periodicity, period_year, period_index, revision_no"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .fetch_all(&self.pool)
            .await?;
        Ok(ReportBook::from_stored(
            rows.iter().map(revision_from).collect::<Result<Vec<_>>>()?,
        ))
    }

    /// Stores a new revision of the zone's project ledger (its `project_ledger.toml` text); returns its
    /// number.
    pub async fn append_ledger(&self, zone_code: &str, ledger_toml: &str, author: &str) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM plan_ledger_revision WHERE zone_code = $1")
            .bind(zone_code)
            .fetch_one(&mut *tx)
            .await?;
        let next = row.try_get::<i64, _>("n")? + 1;
        sqlx::query(
            "INSERT INTO plan_ledger_revision (zone_code, revision_no, ledger_toml, author, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(zone_code)
        .bind(next)
        .bind(ledger_toml)
        .bind(author)
        .bind(clock::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The latest ledger revision: (revision number, text), if any.
    pub async fn ledger(&self, zone_code: &str) -> Result<Option<(i64, String)>> {
        let row = sqlx::query(
            "SELECT revision_no, ledger_toml FROM plan_ledger_revision WHERE zone_code = $1 \
             ORDER BY revision_no DESC LIMIT 1",
        )
        .bind(zone_code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get("revision_no")?, r.try_get("ledger_toml")?)))
            .transpose()
    }
}
