//! The plan's work (`ecociv-plan`): progress report revisions and the key-project ledger, append-only.
//!
//! A report revision is appended only if `ecociv_plan::report::ReportBook::append` accepts it after the
//! report's stored history (submit → approve/return → resubmit, no self-review, dates not backwards); the
//! primary key's `revision_no` turns two concurrent writers into a `Conflict` instead of a lost update.
//!
//! The supervision board (migration 0009) is kept as its events (`plan_follow_up_event`): [`Store::board`]
//! folds them into an `ecociv_plan::supervision::Board`, [`Store::append_board`] stores the events a new
//! board has beyond the stored one. Files of progress reports are `plan_evidence` rows; a revision lists
//! their ids, and [`Store::append_report_revision_with_files`] writes both in one transaction.

use ecociv_plan::model::FundingSource;
use ecociv_plan::report::{ReportBook, ReportRevision, ReviewState, Subject, WorkStatus};
use ecociv_plan::supervision::{Board, Event, EventKind, FollowUp};
use ecociv_plan::{Date, Period, Periodicity, WanYuan};
use sqlx::Row as _;

use crate::evidence::{FILE_COLUMNS, FILE_INSERT_COLUMNS, StoredFile, bind_file};
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

/// The report a row is of: its subject (`subject_kind`, `subject_id`) and period (`periodicity`,
/// `period_year`, `period_index`), the key of [`subject_key`] and [`Period`] as stored.
fn subject_period(row: &sqlx::any::AnyRow) -> Result<(Subject, Period)> {
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
    Ok((subject, period))
}

fn revision_from(row: &sqlx::any::AnyRow) -> Result<ReportRevision> {
    let (subject, period) = subject_period(row)?;
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
        self.append_report_revision_with_files(zone_code, revision, Vec::new())
            .await
            .map(|(n, _)| n)
    }

    /// Appends a revision and the files it brings, all or nothing: the revision's `evidence` lists the
    /// ids of earlier files of the same report and gets the new files' ids appended. Returns the revision
    /// number and the stored files.
    pub async fn append_report_revision_with_files(
        &self,
        zone_code: &str,
        revision: &ReportRevision,
        files: Vec<NewPlanEvidence>,
    ) -> Result<(i64, Vec<PlanEvidence>)> {
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
        let mut revision = revision.clone();
        let mut stored_files = Vec::new();
        for file in files {
            let (evidence, content) = file.stored(&revision.subject, p);
            revision.evidence.push(evidence.id.clone());
            stored_files.push((evidence, content));
        }
        book.append(revision.clone()).map_err(StoreError::Invalid)?;
        for (e, content) in &stored_files {
            insert_plan_evidence(zone_code, e, content.clone())
                .execute(&mut *tx)
                .await?;
        }
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
        Ok((next, stored_files.into_iter().map(|(e, _)| e).collect()))
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

/// A file to attach to a progress report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlanEvidence {
    pub file_name: String,
    pub media_type: String,
    /// Hex SHA-256 of the content, computed by the caller.
    pub sha256: String,
    pub content: Vec<u8>,
    /// The uploader's user id.
    pub uploaded_by: String,
}

impl NewPlanEvidence {
    /// The file's record as it is stored for the report of `subject` and `period` (a new id, now), and its
    /// bytes.
    fn stored(self, subject: &Subject, period: Period) -> (PlanEvidence, Vec<u8>) {
        let file = StoredFile::new(
            self.file_name,
            self.media_type,
            self.sha256,
            self.uploaded_by,
            &self.content,
        );
        let evidence = PlanEvidence {
            subject: subject.clone(),
            period,
            file,
        };
        (evidence, self.content)
    }
}

/// A stored file of a progress report (without its bytes): the report it belongs to and the file, whose
/// fields read as its own (`evidence.file_name`).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanEvidence {
    pub subject: Subject,
    pub period: Period,
    pub file: StoredFile,
}

const EVIDENCE_COLUMNS: &str = "subject_kind, subject_id, periodicity, period_year, period_index";

/// The insert of a progress report's file (its bytes `content`).
fn insert_plan_evidence<'q>(
    zone_code: &str,
    e: &PlanEvidence,
    content: Vec<u8>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let (kind, id) = subject_key(&e.subject);
    let sql = format!(
        "INSERT INTO plan_evidence (zone_code, subject_kind, subject_id, periodicity, period_year, period_index, \
         {FILE_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(zone_code.to_string())
        .bind(kind)
        .bind(id.to_string())
        .bind(e.period.periodicity.as_str())
        .bind(i64::from(e.period.year))
        .bind(i64::from(e.period.index));
    bind_file(query, &e.file, content)
}

fn plan_evidence_from(row: &sqlx::any::AnyRow) -> Result<PlanEvidence> {
    let (subject, period) = subject_period(row)?;
    Ok(PlanEvidence {
        subject,
        period,
        file: StoredFile::read(row)?,
    })
}

fn event_key(kind: &EventKind) -> (&'static str, Option<&str>) {
    match kind {
        EventKind::Opened { reason } => ("opened", Some(reason)),
        EventKind::Response { text } => ("response", Some(text)),
        EventKind::ConditionCleared => ("cleared", None),
        EventKind::ConditionReturned { reason } => ("returned", Some(reason)),
        EventKind::Closed { basis } => ("closed", Some(basis)),
    }
}

impl Store {
    /// Stores a file of a report before its submission (the API's upload; the submission lists its id).
    pub async fn add_plan_evidence(
        &self,
        zone_code: &str,
        subject: &Subject,
        period: Period,
        file: NewPlanEvidence,
    ) -> Result<PlanEvidence> {
        let (e, content) = file.stored(subject, period);
        insert_plan_evidence(zone_code, &e, content).execute(&self.pool).await?;
        Ok(e)
    }

    /// The files of a zone's progress reports (records only), oldest first.
    pub async fn plan_evidence_list(&self, zone_code: &str) -> Result<Vec<PlanEvidence>> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS}, {FILE_COLUMNS} FROM plan_evidence WHERE zone_code = $1 ORDER BY created_at, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(plan_evidence_from).collect()
    }

    /// One file of a progress report with its bytes.
    pub async fn plan_evidence(&self, zone_code: &str, id: &str) -> Result<(PlanEvidence, Vec<u8>)> {
        self.file_with_content("plan_evidence", EVIDENCE_COLUMNS, zone_code, id, plan_evidence_from)
            .await
    }

    /// The zone's supervision board, folded from its stored events.
    pub async fn board(&self, zone_code: &str) -> Result<Board> {
        let rows = sqlx::query(
            "SELECT item_id, event_no, rule_id, subject, owner, opened, due, kind, text, on_date, author \
             FROM plan_follow_up_event WHERE zone_code = $1 ORDER BY item_id, event_no",
        )
        .bind(zone_code)
        .fetch_all(&self.pool)
        .await?;
        let mut items: Vec<FollowUp> = Vec::new();
        for row in &rows {
            let item_id: String = row.try_get("item_id")?;
            let text: Option<String> = row.try_get("text")?;
            let text = text.unwrap_or_default();
            let date = |column: &str| -> Result<Date> {
                Date::parse(&row.try_get::<String, _>(column)?).map_err(|e| invalid(column, e))
            };
            let kind = match row.try_get::<String, _>("kind")?.as_str() {
                "opened" => EventKind::Opened { reason: text },
                "response" => EventKind::Response { text },
                "cleared" => EventKind::ConditionCleared,
                "returned" => EventKind::ConditionReturned { reason: text },
                _ => EventKind::Closed { basis: text },
            };
            let event = Event {
                on: date("on_date")?,
                by: row.try_get("author")?,
                kind,
            };
            match items.last_mut() {
                Some(item) if item.id == item_id => item.events.push(event),
                _ => items.push(FollowUp {
                    id: item_id,
                    rule: row.try_get("rule_id")?,
                    subject: row.try_get("subject")?,
                    owner: row.try_get("owner")?,
                    opened: date("opened")?,
                    due: date("due")?,
                    events: vec![event],
                }),
            }
        }
        // Items in the order they were opened (then by id), as the board made them.
        items.sort_by(|a, b| (a.opened, &a.id).cmp(&(b.opened, &b.id)));
        Ok(Board { items })
    }

    /// Stores the events `board` has beyond `before` (the board as read, then changed by
    /// `ecociv_plan::supervision::Board`'s methods), in one transaction. Events are only ever added: an
    /// item of `before` missing from `board`, or with fewer events, is refused. Another writer that
    /// stored an event of the same item meanwhile makes this a `Conflict`. Returns the number of events
    /// written.
    pub async fn append_board(&self, zone_code: &str, before: &Board, board: &Board) -> Result<usize> {
        let mut rows = Vec::new();
        for item in &board.items {
            let known = before.get(&item.id).map_or(0, |b| b.events.len());
            if item.events.len() < known {
                return Err(StoreError::Invalid(format!(
                    "督办事项 {} 的记录不能删除 (events are append-only)",
                    item.id
                )));
            }
            for (n, event) in item.events.iter().enumerate().skip(known) {
                rows.push((item, n as i64 + 1, event));
            }
        }
        if let Some(missing) = before.items.iter().find(|b| board.get(&b.id).is_none()) {
            return Err(StoreError::Invalid(format!(
                "督办事项 {} 不能删除 (items are append-only)",
                missing.id
            )));
        }
        if rows.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let now = clock::now();
        for (item, event_no, event) in &rows {
            let (kind, text) = event_key(&event.kind);
            sqlx::query(
                "INSERT INTO plan_follow_up_event (zone_code, item_id, event_no, rule_id, subject, owner, opened, due, \
                 kind, text, on_date, author, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(zone_code)
            .bind(&item.id)
            .bind(*event_no)
            .bind(item.rule.clone())
            .bind(&item.subject)
            .bind(&item.owner)
            .bind(item.opened.to_string())
            .bind(item.due.to_string())
            .bind(kind)
            .bind(text.map(str::to_string))
            .bind(event.on.to_string())
            .bind(&event.by)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }
}
