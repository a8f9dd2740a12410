//! Values as revisions (append-only): every save, submission, approval, return and reopening of a value
//! of (zone, row, year) is a new `value_revision` row carrying the full value, the status it leaves the
//! value in, who did it, when and why. The value in force is the latest revision; the history is all of
//! them. Converting between revision rows and the core's [`Observation`] happens here.

use std::collections::BTreeMap;

use ecociv_core::value::SpatialRecord;
use ecociv_core::{Assigned, Observation, Recorded, Source, Value};
use serde_json::{Value as Json, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::evidence::{Evidence, NewEvidence, insert_evidence};
use crate::{Result, Store, StoreError, clock};

/// The workflow status a revision leaves a value in (数据状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 草稿: saved by its department, not yet submitted.
    Draft,
    /// 已提交: submitted for review.
    Submitted,
    /// 已审核: approved by a reviewer; locked until reopened.
    Approved,
    /// 已退回: returned by a reviewer with a comment.
    Returned,
}

impl Status {
    /// Whether a revision of this status can be what an assessment reads: the statuses some [`Selection`]
    /// takes (submitted, approved). A draft or a return changes no assessment.
    pub fn feeds_assessments(self) -> bool {
        matches!(self, Status::Submitted | Status::Approved)
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::Returned => "returned",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::Submitted => "已提交",
            Status::Approved => "已审核",
            Status::Returned => "已退回",
        }
    }
    pub fn parse(code: &str) -> Option<Status> {
        Some(match code {
            "draft" => Status::Draft,
            "submitted" => Status::Submitted,
            "approved" => Status::Approved,
            "returned" => Status::Returned,
            _ => return None,
        })
    }
}

/// What a revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// 保存: a value entered or corrected.
    Save,
    Submit,
    Approve,
    Return,
    Reopen,
    /// 批量导入: part of a bulk import.
    Import,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Save => "save",
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Reopen => "reopen",
            Action::Import => "import",
        }
    }
    pub fn parse(code: &str) -> Option<Action> {
        Some(match code {
            "save" => Action::Save,
            "submit" => Action::Submit,
            "approve" => Action::Approve,
            "return" => Action::Return,
            "reopen" => Action::Reopen,
            "import" => Action::Import,
            _ => return None,
        })
    }
}

/// Which revisions feed an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selection {
    /// The latest approved revision of each value (the default for assessments).
    Approved,
    /// The latest revision that is submitted or approved.
    SubmittedOrApproved,
}

impl Selection {
    fn statuses(self) -> &'static str {
        match self {
            Selection::Approved => "('approved')",
            Selection::SubmittedOrApproved => "('approved', 'submitted')",
        }
    }
}

/// A stored revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub id: String,
    pub zone_code: String,
    pub revision_no: i64,
    pub action: Action,
    pub status: Status,
    /// The value as of this revision (row, year, value, assigned, recorded, source).
    pub observation: Observation,
    /// The row's unit when the value was entered.
    pub unit: String,
    /// Evidence (佐证材料): document references, file names.
    pub evidence: String,
    pub author_id: String,
    pub author_name: String,
    pub created_at: String,
    /// Why (the editor's note, the reviewer's comment).
    pub reason: String,
    pub batch_id: Option<String>,
}

/// A revision to append. `after` is the revision number it follows (0 for the first revision of a value):
/// if another revision was appended meanwhile, the append is refused with [`StoreError::Conflict`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewRevision {
    pub after: i64,
    pub action: Action,
    pub status: Status,
    pub observation: Observation,
    pub unit: String,
    pub evidence: String,
    pub reason: String,
}

const REVISION_COLUMNS: &str = "r.zone_code, r.id, r.row_id, r.year, r.revision_no, r.action, r.status, r.value_kind, r.value_number, r.value_text, r.assigned_text, r.recorded_met, r.recorded_source, r.source_json, r.unit, r.evidence, r.author_id, r.created_at, r.reason, r.batch_id, u.display_name";

fn value_columns(value: &Value) -> (&'static str, Option<f64>, String) {
    match value {
        Value::Number(number) => ("number", Some(*number), number.to_string()),
        Value::State(text) => ("state", None, text.clone()),
        Value::Spatial(record) => (
            "spatial",
            None,
            json!({ "area_km2": record.area_km2, "nature_unchanged": record.nature_unchanged, "function_kept": record.function_kept }).to_string(),
        ),
    }
}

fn value_from(kind: &str, number: Option<f64>, text: String) -> Result<Value> {
    match (kind, number) {
        ("number", Some(number)) => Ok(Value::Number(number)),
        ("state", _) => Ok(Value::State(text)),
        ("spatial", _) => {
            let json: Json =
                serde_json::from_str(&text).map_err(|e| StoreError::Invalid(format!("spatial value: {e}")))?;
            Ok(Value::Spatial(SpatialRecord {
                area_km2: json["area_km2"].as_f64(),
                nature_unchanged: json["nature_unchanged"].as_bool(),
                function_kept: json["function_kept"].as_bool(),
            }))
        }
        (other, _) => Err(StoreError::Invalid(format!("value kind {other}"))),
    }
}

fn assigned_text(assigned: &Option<Assigned>) -> Option<String> {
    assigned.as_ref().map(Assigned::to_string)
}

fn assigned_from(text: Option<String>) -> Result<Option<Assigned>> {
    Ok(match text.as_deref() {
        None => None,
        Some(Assigned::DONE) => Some(Assigned::Verdict(true)),
        Some(Assigned::NOT_DONE) => Some(Assigned::Verdict(false)),
        Some(number) => Some(Assigned::Value(
            number
                .parse()
                .map_err(|_| StoreError::Invalid(format!("assigned value {number}")))?,
        )),
    })
}

/// A source as stored JSON.
pub fn source_json(source: &Source) -> String {
    match source {
        Source::Document { citation } => json!({ "kind": "document", "citation": citation }),
        Source::File { path, line } => json!({ "kind": "file", "path": path, "line": line }),
        Source::Computed {
            method,
            edition,
            provenance,
            files,
        } => {
            json!({ "kind": "computed", "method": method, "edition": edition, "provenance": provenance, "files": files })
        }
        Source::Ledger {
            kind,
            kind_id,
            version,
            method,
            provenance,
            records,
            synthetic,
        } => json!({
            "kind": "ledger", "ledger": kind, "kind_id": kind_id, "version": version, "method": method,
            "provenance": provenance, "records": records, "synthetic": synthetic
        }),
        Source::Survey {
            survey,
            survey_id,
            method,
            edition,
            valid,
            responses,
            low,
            high,
            provenance,
            synthetic,
        } => json!({
            "kind": "survey", "survey": survey, "survey_id": survey_id, "method": method, "edition": edition,
            "valid": valid, "responses": responses, "low": low, "high": high, "provenance": provenance,
            "synthetic": synthetic
        }),
        Source::Synthetic { note, files } => json!({ "kind": "synthetic", "note": note, "files": files }),
    }
    .to_string()
}

/// A source from stored JSON.
pub fn source_from(text: &str) -> Result<Source> {
    let json: Json = serde_json::from_str(text).map_err(|e| StoreError::Invalid(format!("source: {e}")))?;
    let field = |name: &str| json[name].as_str().unwrap_or_default().to_string();
    // Absent in sources stored before the field existed: no files.
    let files: Vec<String> = json["files"]
        .as_array()
        .map(|list| list.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok(match json["kind"].as_str() {
        Some("document") => Source::Document {
            citation: field("citation"),
        },
        Some("file") => Source::File {
            path: field("path"),
            line: json["line"].as_u64().unwrap_or(0),
        },
        Some("computed") => Source::Computed {
            method: field("method"),
            edition: field("edition"),
            provenance: field("provenance"),
            files,
        },
        Some("ledger") => Source::Ledger {
            kind: field("ledger"),
            kind_id: field("kind_id"),
            version: json["version"]
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| StoreError::Invalid("ledger source without version".to_string()))?,
            method: field("method"),
            provenance: field("provenance"),
            records: json["records"]
                .as_array()
                .map(|list| list.iter().filter_map(|r| r.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
            synthetic: json["synthetic"].as_bool().unwrap_or(false),
        },
        Some("survey") => {
            let count = |name: &str| {
                json[name]
                    .as_u64()
                    .ok_or_else(|| StoreError::Invalid(format!("survey source without {name}")))
            };
            let bound = |name: &str| {
                json[name]
                    .as_f64()
                    .ok_or_else(|| StoreError::Invalid(format!("survey source without {name}")))
            };
            Source::Survey {
                survey: field("survey"),
                survey_id: field("survey_id"),
                method: field("method"),
                edition: field("edition"),
                valid: count("valid")?,
                responses: count("responses")?,
                low: bound("low")?,
                high: bound("high")?,
                provenance: field("provenance"),
                synthetic: json["synthetic"].as_bool().unwrap_or(false),
            }
        }
        Some("synthetic") => Source::Synthetic {
            note: field("note"),
            files,
        },
        other => return Err(StoreError::Invalid(format!("source kind {other:?}"))),
    })
}

fn revision_from(row: &AnyRow) -> Result<Revision> {
    let row_id: String = row.try_get("row_id")?;
    let year: i64 = row.try_get("year")?;
    let action: String = row.try_get("action")?;
    let status: String = row.try_get("status")?;
    let recorded_met: Option<i64> = row.try_get("recorded_met")?;
    let recorded_source: Option<String> = row.try_get("recorded_source")?;
    let value = value_from(
        &row.try_get::<String, _>("value_kind")?,
        row.try_get("value_number")?,
        row.try_get("value_text")?,
    )?;
    Ok(Revision {
        id: row.try_get("id")?,
        zone_code: row.try_get("zone_code")?,
        revision_no: row.try_get("revision_no")?,
        action: Action::parse(&action).ok_or_else(|| StoreError::Invalid(format!("action {action}")))?,
        status: Status::parse(&status).ok_or_else(|| StoreError::Invalid(format!("status {status}")))?,
        observation: Observation {
            row: row_id,
            year: year as i32,
            value,
            assigned: assigned_from(row.try_get("assigned_text")?)?,
            recorded: recorded_met.map(|met| Recorded {
                met: met != 0,
                source: recorded_source.unwrap_or_default(),
            }),
            source: source_from(&row.try_get::<String, _>("source_json")?)?,
        },
        unit: row.try_get("unit")?,
        evidence: row.try_get("evidence")?,
        author_id: row.try_get("author_id")?,
        author_name: row.try_get::<Option<String>, _>("display_name")?.unwrap_or_default(),
        created_at: row.try_get("created_at")?,
        reason: row.try_get("reason")?,
        batch_id: row.try_get("batch_id")?,
    })
}

/// A bulk import's record: its format and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub format: String,
}

impl Store {
    /// The observations the selection asks for: per (row, year), the latest revision whose status
    /// qualifies.
    pub async fn observations(&self, code: &str, selection: Selection) -> Result<Vec<Observation>> {
        self.observations_until(code, selection, None).await
    }

    /// As [`Store::observations`], only for the years up to `last_year` when given (an assessment of a
    /// year reads nothing later). Reads only the columns an observation needs.
    pub async fn observations_until(
        &self,
        code: &str,
        selection: Selection,
        last_year: Option<i32>,
    ) -> Result<Vec<Observation>> {
        // Only the latest qualifying revision of each (row, year) leaves the database: a value's history
        // grows with every save, and reading all of it (and parsing each source) on every assessment
        // made an invalidated year's reads slower with each write (issue 20).
        let statuses = selection.statuses();
        let sql = format!(
            "SELECT r.row_id, r.year, r.value_kind, r.value_number, r.value_text, r.assigned_text, r.recorded_met, r.recorded_source, r.source_json
             FROM value_revision r JOIN (
               SELECT zone_code, row_id, year, MAX(revision_no) AS latest FROM value_revision
               WHERE zone_code = $1 AND year <= $2 AND status IN {statuses} GROUP BY zone_code, row_id, year
             ) m ON r.zone_code = m.zone_code AND r.row_id = m.row_id AND r.year = m.year AND r.revision_no = m.latest
             WHERE r.zone_code = $1 ORDER BY r.row_id, r.year"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .bind(i64::from(last_year.unwrap_or(i32::MAX)))
            .fetch_all(&self.pool)
            .await?;
        let mut latest: BTreeMap<(String, i32), Observation> = BTreeMap::new();
        for row in &rows {
            let row_id: String = row.try_get("row_id")?;
            let year = row.try_get::<i64, _>("year")? as i32;
            let recorded_met: Option<i64> = row.try_get("recorded_met")?;
            let recorded_source: Option<String> = row.try_get("recorded_source")?;
            let observation = Observation {
                row: row_id.clone(),
                year,
                value: value_from(
                    &row.try_get::<String, _>("value_kind")?,
                    row.try_get("value_number")?,
                    row.try_get("value_text")?,
                )?,
                assigned: assigned_from(row.try_get("assigned_text")?)?,
                recorded: recorded_met.map(|met| Recorded {
                    met: met != 0,
                    source: recorded_source.unwrap_or_default(),
                }),
                source: source_from(&row.try_get::<String, _>("source_json")?)?,
            };
            latest.insert((row_id, year), observation);
        }
        Ok(latest.into_values().collect())
    }

    /// The current revision (whatever its status) of every value of a zone, optionally for one year: only
    /// the latest revision of each (row, year) is read, not the histories.
    pub async fn current_revisions(&self, code: &str, year: Option<i32>) -> Result<Vec<Revision>> {
        let year_filter = if year.is_some() { "AND year = $2" } else { "" };
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM value_revision r JOIN (
               SELECT zone_code, row_id, year, MAX(revision_no) AS latest FROM value_revision
               WHERE zone_code = $1 {year_filter} GROUP BY zone_code, row_id, year
             ) m ON r.zone_code = m.zone_code AND r.row_id = m.row_id AND r.year = m.year AND r.revision_no = m.latest
             LEFT JOIN app_user u ON u.id = r.author_id
             WHERE r.zone_code = $1 ORDER BY r.row_id, r.year"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code);
        if let Some(year) = year {
            query = query.bind(i64::from(year));
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut latest: BTreeMap<(String, i32), Revision> = BTreeMap::new();
        for row in &rows {
            let revision = revision_from(row)?;
            latest.insert((revision.observation.row.clone(), revision.observation.year), revision);
        }
        Ok(latest.into_values().collect())
    }

    /// Every revision of one value, oldest first.
    pub async fn history(&self, code: &str, row_id: &str, year: i32) -> Result<Vec<Revision>> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM value_revision r LEFT JOIN app_user u ON u.id = r.author_id
             WHERE r.zone_code = $1 AND r.row_id = $2 AND r.year = $3 ORDER BY r.revision_no"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .bind(row_id)
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(revision_from).collect()
    }

    /// The current revision of one value, if any: one row by the (zone, row, year, revision) index, however
    /// long the value's history (every save reads it).
    pub async fn current(&self, code: &str, row_id: &str, year: i32) -> Result<Option<Revision>> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM value_revision r LEFT JOIN app_user u ON u.id = r.author_id
             WHERE r.zone_code = $1 AND r.row_id = $2 AND r.year = $3 ORDER BY r.revision_no DESC LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .bind(row_id)
            .bind(i64::from(year))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(revision_from).transpose()
    }

    /// Appends revisions in one transaction: all of them or none. With `batch`, they are recorded as one
    /// bulk import. The zone's data version moves on. Returns the stored revisions.
    pub async fn append_revisions(
        &self,
        code: &str,
        author_id: &str,
        batch: Option<Batch>,
        revisions: Vec<NewRevision>,
    ) -> Result<Vec<Revision>> {
        Ok(self
            .append_with_evidence(code, author_id, batch, revisions, Vec::new())
            .await?
            .0)
    }

    /// As [`Store::append_revisions`], and stores evidence attachments in the same transaction: a data-entry
    /// form's values and files are written together or not at all.
    pub async fn append_with_evidence(
        &self,
        code: &str,
        author_id: &str,
        batch: Option<Batch>,
        revisions: Vec<NewRevision>,
        attachments: Vec<NewEvidence>,
    ) -> Result<(Vec<Revision>, Vec<Evidence>)> {
        if revisions.is_empty() && attachments.is_empty() {
            // Nothing to write (a form saved without changes): the data version, and every assessment
            // materialized at it, stay as they are.
            return Ok((Vec::new(), Vec::new()));
        }
        let mut tx = self.begin_write().await?;
        let bumped = sqlx::query("UPDATE zone SET data_version = data_version + 1 WHERE zone_code = $1")
            .bind(code)
            .execute(&mut *tx)
            .await?;
        if bumped.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("区域 (zone) {code}")));
        }
        // The assessment of a year reads only the values up to that year (and no attachment), and of each
        // value only its latest submitted or approved revision (`Selection`): materialized assessments of
        // years before the earliest one written with such a status — every year when only drafts, returns
        // or files are written — are still exact, so they move on to the new version with the zone (only
        // those that were current at the version before this write). An editor's draft saves therefore
        // leave every assessment in place (issue 20: each one made the year's readers compute it again).
        let first_year = revisions
            .iter()
            .filter(|new| Status::feeds_assessments(new.status))
            .map(|new| new.observation.year)
            .min();
        {
            let first_year = first_year.unwrap_or(i32::MAX);
            sqlx::query(
                "UPDATE materialized_assessment SET data_version = data_version + 1
                 WHERE zone_code = $1 AND year < $2 AND data_version = (SELECT data_version FROM zone WHERE zone_code = $1) - 1",
            )
            .bind(code)
            .bind(i64::from(first_year))
            .execute(&mut *tx)
            .await?;
        }
        let stored = write_revisions(&mut tx, code, author_id, batch, revisions).await?;
        let mut files = Vec::with_capacity(attachments.len());
        for attachment in attachments {
            files.push(insert_evidence(&mut tx, code, author_id, attachment).await?);
        }
        tx.commit().await?;
        self.zone_changed(code, first_year);
        Ok((stored, files))
    }

    /// The number of revisions of a zone (for tests and statistics).
    pub async fn revision_count(&self, code: &str) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM value_revision WHERE zone_code = $1")
            .bind(code)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}

/// Writes revisions (and their import batch) inside a transaction; the caller moves the zone's data version.
pub(crate) async fn write_revisions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    code: &str,
    author_id: &str,
    batch: Option<Batch>,
    revisions: Vec<NewRevision>,
) -> Result<Vec<Revision>> {
    let now = clock::now();
    let batch_id = match &batch {
        Some(batch) => {
            let id = clock::new_id();
            sqlx::query("INSERT INTO import_batch (zone_code, id, user_id, format, row_count, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(code)
                    .bind(&id)
                    .bind(author_id)
                    .bind(&batch.format)
                    .bind(revisions.len() as i64)
                    .bind(&now)
                    .execute(&mut **tx)
                    .await?;
            Some(id)
        }
        None => None,
    };
    let mut stored = Vec::with_capacity(revisions.len());
    for new in revisions {
        let id = clock::new_id();
        let (kind, number, text) = value_columns(&new.observation.value);
        let observation = &new.observation;
        let result = sqlx::query(
                "INSERT INTO value_revision (zone_code, id, row_id, year, revision_no, action, status, value_kind, value_number, value_text,
                   assigned_text, recorded_met, recorded_source, source_json, unit, evidence, author_id, created_at, reason, batch_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
            )
            .bind(code)
            .bind(&id)
            .bind(&observation.row)
            .bind(i64::from(observation.year))
            .bind(new.after + 1)
            .bind(new.action.code())
            .bind(new.status.code())
            .bind(kind)
            .bind(number)
            .bind(text)
            .bind(assigned_text(&observation.assigned))
            .bind(observation.recorded.as_ref().map(|recorded| i64::from(recorded.met)))
            .bind(observation.recorded.as_ref().map(|recorded| recorded.source.clone()))
            .bind(source_json(&observation.source))
            .bind(&new.unit)
            .bind(&new.evidence)
            .bind(author_id)
            .bind(&now)
            .bind(&new.reason)
            .bind(&batch_id)
            // sqlx 0.9's Any driver sends a NULL f64 as float4: an unnamed statement keeps a cached
            // float4 parameter type from breaking the next non-NULL bind on PostgreSQL.
            .persistent(false)
            .execute(&mut **tx)
            .await;
        if let Err(error) = result {
            return Err(match StoreError::from(error) {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "指标 {} {} 年的数值已被他人修改，请刷新后重试 (the value was changed meanwhile)",
                    observation.row, observation.year
                )),
                other => other,
            });
        }
        stored.push(Revision {
            id,
            zone_code: code.to_string(),
            revision_no: new.after + 1,
            action: new.action,
            status: new.status,
            observation: new.observation,
            unit: new.unit,
            evidence: new.evidence,
            author_id: author_id.to_string(),
            author_name: String::new(),
            created_at: now.clone(),
            reason: new.reason,
            batch_id: batch_id.clone(),
        });
    }
    Ok(stored)
}
