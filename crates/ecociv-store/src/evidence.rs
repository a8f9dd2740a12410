//! Evidence attachments (佐证材料) of a value: files stored in the database with their name, media type,
//! size and SHA-256. Append-only: an attachment is never replaced or deleted in place.
//!
//! Every attachment table (a value's evidence, a register record's, a progress report's —
//! [`crate::plan::PlanEvidence`]) keeps the same record of a file; [`StoredFile`] is that record, with the one
//! reader ([`StoredFile::read`]) and writer ([`bind_file`]) of its columns.

use std::ops::Deref;

use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};

use crate::{Result, Store, StoreError, clock};

/// A stored file's record, without its bytes (they stay in the table's `content` column): the same in
/// every attachment table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content, computed by the caller.
    pub sha256: String,
    /// The uploader's user id.
    pub uploaded_by: String,
    pub created_at: String,
}

/// The columns of [`StoredFile`], as a `SELECT` lists them.
pub(crate) const FILE_COLUMNS: &str = "id, file_name, media_type, size_bytes, sha256, uploaded_by, created_at";

/// The columns [`bind_file`] binds, in its order, as an `INSERT` lists them.
pub(crate) const FILE_INSERT_COLUMNS: &str =
    "id, file_name, media_type, size_bytes, sha256, uploaded_by, created_at, content";

impl StoredFile {
    /// A new file's record: a new id, the time now, its size from its `content`.
    pub(crate) fn new(
        file_name: String,
        media_type: String,
        sha256: String,
        uploaded_by: String,
        content: &[u8],
    ) -> Self {
        StoredFile {
            id: clock::new_id(),
            file_name,
            media_type,
            size_bytes: content.len() as i64,
            sha256,
            uploaded_by,
            created_at: clock::now(),
        }
    }

    /// Reads the record from a row selected with [`FILE_COLUMNS`].
    pub(crate) fn read(row: &AnyRow) -> Result<Self> {
        Ok(StoredFile {
            id: row.try_get("id")?,
            file_name: row.try_get("file_name")?,
            media_type: row.try_get("media_type")?,
            size_bytes: row.try_get("size_bytes")?,
            sha256: row.try_get("sha256")?,
            uploaded_by: row.try_get("uploaded_by")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// Binds a file's record and its bytes, in the order of [`FILE_INSERT_COLUMNS`], after the table's own keys.
pub(crate) fn bind_file<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, AnyArguments>,
    file: &StoredFile,
    content: Vec<u8>,
) -> sqlx::query::Query<'q, sqlx::Any, AnyArguments> {
    query
        .bind(file.id.clone())
        .bind(file.file_name.clone())
        .bind(file.media_type.clone())
        .bind(file.size_bytes)
        .bind(file.sha256.clone())
        .bind(file.uploaded_by.clone())
        .bind(file.created_at.clone())
        .bind(content)
}

/// An attachment's record (without its bytes): the value it belongs to and the file. Its file's fields read
/// as its own (`evidence.file_name`), as they did before the file's record was shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub zone_code: String,
    pub row_id: String,
    pub year: i32,
    pub file: StoredFile,
}

/// An attachment's file fields read as its own (`evidence.file_name`): every attachment type derefs to its
/// [`StoredFile`].
macro_rules! file_fields_read_as_own {
    ($($attachment:ty),*) => {
        $(impl Deref for $attachment {
            type Target = StoredFile;

            fn deref(&self) -> &StoredFile {
                &self.file
            }
        })*
    };
}

file_fields_read_as_own!(Evidence, RecordEvidence, crate::plan::PlanEvidence);

impl Store {
    /// One stored file of attachment table `table` with its bytes, its other columns `columns` read by
    /// `read`: `NotFound` when the zone has no file of that id there.
    pub(crate) async fn file_with_content<T>(
        &self,
        table: &str,
        columns: &str,
        zone_code: &str,
        id: &str,
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<(T, Vec<u8>)> {
        let sql = format!("SELECT {columns}, {FILE_COLUMNS}, content FROM {table} WHERE zone_code = $1 AND id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("佐证材料 (evidence) {id}")))?;
        Ok((read(&row)?, row.try_get("content")?))
    }
}

/// An attachment to store (see [`Store::append_with_evidence`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvidence {
    pub row_id: String,
    pub year: i32,
    pub file_name: String,
    pub media_type: String,
    /// Hex SHA-256 of the content, computed by the caller.
    pub sha256: String,
    pub content: Vec<u8>,
}

/// Inserts an attachment within a transaction.
pub(crate) async fn insert_evidence(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    zone_code: &str,
    uploaded_by: &str,
    new: NewEvidence,
) -> Result<Evidence> {
    let file = StoredFile::new(
        new.file_name,
        new.media_type,
        new.sha256,
        uploaded_by.to_string(),
        &new.content,
    );
    let sql = format!(
        "INSERT INTO value_evidence (zone_code, row_id, year, {FILE_INSERT_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(zone_code)
        .bind(&new.row_id)
        .bind(i64::from(new.year));
    bind_file(query, &file, new.content).execute(&mut **tx).await?;
    Ok(Evidence {
        zone_code: zone_code.to_string(),
        row_id: new.row_id,
        year: new.year,
        file,
    })
}

const COLUMNS: &str = "zone_code, row_id, year";

fn evidence_from(row: &AnyRow) -> Result<Evidence> {
    Ok(Evidence {
        zone_code: row.try_get("zone_code")?,
        row_id: row.try_get("row_id")?,
        year: row.try_get::<i64, _>("year")? as i32,
        file: StoredFile::read(row)?,
    })
}

impl Store {
    /// Stores an attachment of the value (zone, row, year).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_evidence(
        &self,
        zone_code: &str,
        row_id: &str,
        year: i32,
        file_name: &str,
        media_type: &str,
        sha256: &str,
        content: Vec<u8>,
        uploaded_by: &str,
    ) -> Result<Evidence> {
        let new = NewEvidence {
            row_id: row_id.to_string(),
            year,
            file_name: file_name.to_string(),
            media_type: media_type.to_string(),
            sha256: sha256.to_string(),
            content,
        };
        let mut tx = self.begin_write().await?;
        let evidence = insert_evidence(&mut tx, zone_code, uploaded_by, new).await?;
        tx.commit().await?;
        Ok(evidence)
    }

    /// The attachments of a value, oldest first.
    pub async fn evidence_list(&self, zone_code: &str, row_id: &str, year: i32) -> Result<Vec<Evidence>> {
        let sql = format!(
            "SELECT {COLUMNS}, {FILE_COLUMNS} FROM value_evidence WHERE zone_code = $1 AND row_id = $2 AND year = $3 ORDER BY created_at, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(row_id)
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(evidence_from).collect()
    }

    /// The attachments of every value of a zone (of one year, when given), oldest first: one query for a
    /// page that lists many values.
    pub async fn zone_evidence(&self, zone_code: &str, year: Option<i32>) -> Result<Vec<Evidence>> {
        let rows = match year {
            Some(year) => {
                let sql = format!(
                    "SELECT {COLUMNS}, {FILE_COLUMNS} FROM value_evidence WHERE zone_code = $1 AND year = $2 ORDER BY created_at, id"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(zone_code)
                    .bind(i64::from(year))
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {COLUMNS}, {FILE_COLUMNS} FROM value_evidence WHERE zone_code = $1 ORDER BY created_at, id"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(zone_code)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(evidence_from).collect()
    }

    /// One attachment with its bytes.
    pub async fn evidence(&self, zone_code: &str, id: &str) -> Result<(Evidence, Vec<u8>)> {
        self.file_with_content("value_evidence", COLUMNS, zone_code, id, evidence_from)
            .await
    }
}

/// An evidence file of a register record (台账记录的佐证材料, migration 0020): as [`Evidence`], attached to a
/// record (kind and record id) instead of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEvidence {
    pub zone_code: String,
    pub kind_id: String,
    pub record_id: String,
    pub file: StoredFile,
}

const RECORD_COLUMNS: &str = "zone_code, kind_id, record_id";

fn record_evidence_from(row: &AnyRow) -> Result<RecordEvidence> {
    Ok(RecordEvidence {
        zone_code: row.try_get("zone_code")?,
        kind_id: row.try_get("kind_id")?,
        record_id: row.try_get("record_id")?,
        file: StoredFile::read(row)?,
    })
}

impl Store {
    /// Stores an evidence file of a register record; refused (`NotFound`) when the zone has no such record.
    /// The file's name, media type and SHA-256 are the caller's (checked as a value's evidence is).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_record_evidence(
        &self,
        zone_code: &str,
        kind_id: &str,
        record_id: &str,
        file_name: &str,
        media_type: &str,
        sha256: &str,
        content: Vec<u8>,
        uploaded_by: &str,
    ) -> Result<RecordEvidence> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query(
            "SELECT 1 AS one FROM ledger_record_revision WHERE zone_code = $1 AND kind_id = $2 AND record_id = $3 LIMIT 1",
        )
        .bind(zone_code)
        .bind(kind_id)
        .bind(record_id)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!(
                "台账记录 (register record) {kind_id}/{record_id}"
            )));
        }
        let file = StoredFile::new(
            file_name.to_string(),
            media_type.to_string(),
            sha256.to_string(),
            uploaded_by.to_string(),
            &content,
        );
        let sql = format!(
            "INSERT INTO ledger_record_evidence (zone_code, kind_id, record_id, {FILE_INSERT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        );
        let query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(kind_id)
            .bind(record_id);
        bind_file(query, &file, content).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(RecordEvidence {
            zone_code: zone_code.to_string(),
            kind_id: kind_id.to_string(),
            record_id: record_id.to_string(),
            file,
        })
    }

    /// The evidence files of a register record, oldest first.
    pub async fn record_evidence_list(
        &self,
        zone_code: &str,
        kind_id: &str,
        record_id: &str,
    ) -> Result<Vec<RecordEvidence>> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, {FILE_COLUMNS} FROM ledger_record_evidence WHERE {} ORDER BY created_at, id",
            crate::ledger::RECORD_KEY
        );
        let rows = self.record_rows(sql, zone_code, kind_id, record_id).await?;
        rows.iter().map(record_evidence_from).collect()
    }

    /// One evidence file of a register record, with its bytes.
    pub async fn record_evidence(&self, zone_code: &str, id: &str) -> Result<(RecordEvidence, Vec<u8>)> {
        self.file_with_content(
            "ledger_record_evidence",
            RECORD_COLUMNS,
            zone_code,
            id,
            record_evidence_from,
        )
        .await
    }
}
