//! Registers (台账, issue 13; the kinds, records and derivations are `ecociv-ledger`'s): every record of every
//! ledger kind of a zone as append-only revisions (`ledger_record_revision`), and the imports that brought
//! them (`ledger_import`).
//!
//! - An import is one transaction ([`LedgerImport`]): revisions are streamed in ([`LedgerImport::push`],
//!   inserted in multi-row chunks), each checked against the record's previous revision — the stored
//!   history, then earlier lines — by `ecociv_ledger::record::check_step`, the kind's lifecycle rules; any
//!   problem refuses the whole import with the file, line and field ([`LedgerImport::finish`] rolls back).
//! - A line that repeats the record's stored history in order, or equals the record's last revision (cells,
//!   state and state date), is not stored: importing the same file again — even one holding records' whole
//!   lifecycles — or a re-export with a few changed lines adds only what changed. An import that adds nothing
//!   writes nothing, not even its `ledger_import` row.
//! - `revision_no` in the key turns two concurrent importers of one record into a [`StoreError::Conflict`].
//!
//! Cells are kept as typed JSON (`{"s": text}`, `{"n": number}`, `{"d": "YYYY-MM-DD"}`, `{"y": year}`,
//! `{"b": bool}`), so a record reads back exactly as it was checked, whatever later versions of its kind
//! change.

use std::collections::{BTreeMap, HashMap};

use ecociv_data::{DataError, Problem};
use ecociv_ledger::{Cell, Kind, Ledger, Origin, RecordRevision};
use sqlx::Row as _;

use crate::{Result, Store, StoreError, clock};

/// The key of a register record's rows in every table that keeps them (its revisions, its files), as
/// [`Store::record_rows`] binds it.
pub(crate) const RECORD_KEY: &str = "zone_code = $1 AND kind_id = $2 AND record_id = $3";

/// Rows per multi-row INSERT (14 binds each: far below SQLite's and PostgreSQL's bind limits).
const CHUNK: usize = 200;

/// At most this many problems are listed; the rest are counted.
const MAX_PROBLEMS: usize = 100;

/// What an import says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMeta {
    /// The file's name as the user gave it (or `页面录入` / `API` for an entry).
    pub file_name: String,
    /// The SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Who: the account's username, or the name given to the CLI.
    pub author: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The batch written, `None` when nothing changed.
    pub batch_id: Option<String>,
    /// Revisions stored.
    pub added: usize,
    /// Lines repeating their record's stored history or equal to its last revision, not stored again.
    pub unchanged: usize,
    /// Records the import created.
    pub new_records: usize,
}

/// A stored revision with who and when.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRevision {
    pub kind_id: String,
    pub revision_no: i64,
    pub kind_version: u32,
    pub revision: RecordRevision,
    pub batch_id: String,
    pub author: String,
    pub created_at: String,
}

/// A stored import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImport {
    pub batch_id: String,
    pub kind_id: String,
    pub kind_version: u32,
    pub file_name: String,
    pub sha256: String,
    pub revision_count: i64,
    pub author: String,
    pub created_at: String,
}

/// Per kind of a zone: records and revisions stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCount {
    pub kind_id: String,
    pub records: i64,
    pub revisions: i64,
}

/// A cell as stored JSON.
pub fn cell_json(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Text(t) => serde_json::json!({ "s": t }),
        Cell::Number(n) => serde_json::json!({ "n": n }),
        Cell::Date(d) => serde_json::json!({ "d": d.to_string() }),
        Cell::Year(y) => serde_json::json!({ "y": y }),
        Cell::Bool(b) => serde_json::json!({ "b": b }),
    }
}

fn cell_from_json(value: &serde_json::Value) -> Option<Cell> {
    let object = value.as_object()?;
    let (tag, inner) = object.iter().next()?;
    Some(match tag.as_str() {
        "s" => Cell::Text(inner.as_str()?.to_string()),
        "n" => Cell::Number(inner.as_f64()?),
        "d" => Cell::Date(inner.as_str()?.parse().ok()?),
        "y" => Cell::Year(i32::try_from(inner.as_i64()?).ok()?),
        "b" => Cell::Bool(inner.as_bool()?),
        _ => return None,
    })
}

fn cells_json(cells: &BTreeMap<String, Cell>) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        cells.iter().map(|(k, v)| (k.clone(), cell_json(v))).collect();
    serde_json::Value::Object(map).to_string()
}

fn cells_from_json(text: &str) -> Result<BTreeMap<String, Cell>> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| StoreError::Invalid(format!("cells_json: {e}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| StoreError::Invalid("cells_json: not an object".into()))?;
    object
        .iter()
        .map(|(k, v)| {
            cell_from_json(v)
                .map(|c| (k.clone(), c))
                .ok_or_else(|| StoreError::Invalid(format!("cells_json: bad cell {k}")))
        })
        .collect()
}

const REVISION_COLUMNS: &str = "kind_id, record_id, revision_no, kind_version, cells_json, state, state_date, synthetic, \
     origin_file, origin_line, batch_id, author, created_at";

fn revision_from(row: &sqlx::any::AnyRow) -> Result<StoredRevision> {
    let state_date: Option<String> = row.try_get("state_date")?;
    let state_date = state_date
        .map(|d| {
            d.parse()
                .map_err(|e| StoreError::Invalid(format!("state_date {d}: {e}")))
        })
        .transpose()?;
    let line: Option<i64> = row.try_get("origin_line")?;
    Ok(StoredRevision {
        kind_id: row.try_get("kind_id")?,
        revision_no: row.try_get("revision_no")?,
        kind_version: row.try_get::<i64, _>("kind_version")? as u32,
        revision: RecordRevision {
            record_id: row.try_get("record_id")?,
            cells: cells_from_json(&row.try_get::<String, _>("cells_json")?)?,
            state: row.try_get("state")?,
            state_date,
            origin: Origin {
                file: row.try_get("origin_file")?,
                line: line.map(|l| l as u64),
            },
            synthetic: row.try_get::<i64, _>("synthetic")? != 0,
        },
        batch_id: row.try_get("batch_id")?,
        author: row.try_get("author")?,
        created_at: row.try_get("created_at")?,
    })
}

/// A revision's content — cells, state, state date — as a 128-bit digest: what the import keeps of each
/// record to tell a repeated line from a change, so that its memory grows by a few dozen bytes a record,
/// never by the records' cells. Two SipHash-1-3 passes with distinct prefixes (not a defence against a
/// crafted collision, which could only make an importer's own changed line count as unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Digest(u64, u64);

impl Digest {
    fn of(cells_json: &str, state: Option<&str>, state_date: Option<jiff::civil::Date>) -> Digest {
        use std::hash::{Hash, Hasher};
        let pass = |prefix: u8| {
            let mut hasher = std::hash::DefaultHasher::new();
            prefix.hash(&mut hasher);
            cells_json.hash(&mut hasher);
            state.hash(&mut hasher);
            state_date.map(|d| d.to_string()).hash(&mut hasher);
            hasher.finish()
        };
        Digest(pass(1), pass(2))
    }
}

/// The last stored (or earlier-line) revision of a record, as much of it as the checks need.
struct Last {
    revision_no: i64,
    state: Option<String>,
    state_date: Option<jiff::civil::Date>,
    digest: Digest,
    /// The record's revisions stored before this import (their digests), oldest first, and how many of
    /// them this import's lines have repeated in order so far (`None` once a line departed from them): a
    /// file that replays a record's stored history adds nothing.
    stored: Vec<Digest>,
    replayed: Option<usize>,
}

/// A row waiting for its chunk's INSERT.
struct Pending {
    record_id: String,
    revision_no: i64,
    cells_json: String,
    state: Option<String>,
    state_date: Option<String>,
    synthetic: bool,
    origin_file: String,
    origin_line: Option<i64>,
}

/// One import in progress: a write transaction, the kind, and the last revision of every record of the
/// kind. Push revisions, then [`LedgerImport::finish`]; dropping it unfinished rolls everything back.
pub struct LedgerImport {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    backend: crate::Backend,
    zone_code: String,
    kind: Kind,
    meta: ImportMeta,
    batch_id: String,
    created_at: String,
    last: HashMap<String, Last>,
    pending: Vec<Pending>,
    problems: Vec<Problem>,
    more_problems: usize,
    added: usize,
    unchanged: usize,
    new_records: usize,
}

impl Store {
    /// Begins an import of records of `kind` into a zone: one write transaction (on SQLite it takes the
    /// write lock at once), the kind's stored records' last revisions read inside it.
    pub async fn begin_ledger_import(&self, zone_code: &str, kind: &Kind, meta: ImportMeta) -> Result<LedgerImport> {
        let mut tx = self.begin_write().await?;
        Store::require_zone(&mut tx, zone_code).await?;
        let mut rows = sqlx::query(
            "SELECT record_id, revision_no, state, state_date, cells_json FROM ledger_record_revision \
             WHERE zone_code = $1 AND kind_id = $2 ORDER BY record_id, revision_no",
        )
        .bind(zone_code)
        .bind(&kind.id)
        .fetch(&mut *tx);
        // Streamed: each stored revision is reduced to its digest as it arrives, never all held at once.
        let mut last: HashMap<String, Last> = HashMap::new();
        while let Some(row) = futures_util::TryStreamExt::try_next(&mut rows).await? {
            let row = &row;
            let state_date: Option<String> = row.try_get("state_date")?;
            let state_date: Option<jiff::civil::Date> = state_date.and_then(|d| d.parse().ok());
            let state: Option<String> = row.try_get("state")?;
            let cells_json: String = row.try_get("cells_json")?;
            let digest = Digest::of(&cells_json, state.as_deref(), state_date);
            let entry = last
                .entry(row.try_get::<String, _>("record_id")?)
                .or_insert_with(|| Last {
                    revision_no: 0,
                    state: None,
                    state_date: None,
                    digest: Digest::default(),
                    stored: Vec::new(),
                    replayed: Some(0),
                });
            entry.revision_no = row.try_get("revision_no")?;
            entry.stored.push(digest);
            entry.state = state;
            entry.state_date = state_date;
            entry.digest = digest;
        }
        drop(rows);
        let batch_id = clock::new_id();
        let created_at = clock::now();
        // The batch row first: the revisions point at it. Its count is set by `finish`.
        sqlx::query(
            "INSERT INTO ledger_import (zone_code, batch_id, kind_id, kind_version, file_name, sha256, revision_count, \
             author, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
        )
        .bind(zone_code)
        .bind(&batch_id)
        .bind(&kind.id)
        .bind(i64::from(kind.version))
        .bind(&meta.file_name)
        .bind(&meta.sha256)
        .bind(&meta.author)
        .bind(&created_at)
        .execute(&mut *tx)
        .await?;
        Ok(LedgerImport {
            backend: self.backend,
            tx,
            zone_code: zone_code.to_string(),
            kind: kind.clone(),
            meta,
            batch_id,
            created_at,
            last,
            pending: Vec::with_capacity(CHUNK),
            problems: Vec::new(),
            more_problems: 0,
            added: 0,
            unchanged: 0,
            new_records: 0,
        })
    }

    /// Imports revisions in one call (an API entry, a test): [`Store::begin_ledger_import`], every
    /// revision pushed, finished. The inner `Err` lists the problems (nothing stored).
    pub async fn import_ledger_records(
        &self,
        zone_code: &str,
        kind: &Kind,
        meta: ImportMeta,
        revisions: Vec<RecordRevision>,
    ) -> Result<std::result::Result<ImportOutcome, DataError>> {
        let mut import = self.begin_ledger_import(zone_code, kind, meta).await?;
        for revision in revisions {
            import.push(revision).await?;
        }
        import.finish().await
    }

    /// Every revision of a kind's records in a zone, by record then revision.
    pub async fn ledger_revisions(&self, zone_code: &str, kind_id: &str) -> Result<Vec<StoredRevision>> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM ledger_record_revision WHERE zone_code = $1 AND kind_id = $2 \
             ORDER BY record_id, revision_no"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(kind_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(revision_from).collect()
    }

    /// One record's history, oldest first (empty when unknown).
    pub async fn ledger_record(&self, zone_code: &str, kind_id: &str, record_id: &str) -> Result<Vec<StoredRevision>> {
        let sql =
            format!("SELECT {REVISION_COLUMNS} FROM ledger_record_revision WHERE {RECORD_KEY} ORDER BY revision_no");
        let rows = self.record_rows(sql, zone_code, kind_id, record_id).await?;
        rows.iter().map(revision_from).collect()
    }

    /// The rows `sql` selects of one register record, its key ([`RECORD_KEY`]) bound: the zone, the kind and
    /// the record's id.
    pub(crate) async fn record_rows(
        &self,
        sql: String,
        zone_code: &str,
        kind_id: &str,
        record_id: &str,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(kind_id)
            .bind(record_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// A kind's stored records as the ledger `ecociv_ledger::derive` reads (every revision, in order; they
    /// were checked when stored).
    pub async fn ledger_of_kind(&self, zone_code: &str, kind_id: &str) -> Result<Ledger> {
        let mut ledger = Ledger::default();
        for stored in self.ledger_revisions(zone_code, kind_id).await? {
            ledger
                .records
                .entry(stored.revision.record_id.clone())
                .or_default()
                .push(stored.revision);
        }
        Ok(ledger)
    }

    /// Records and revisions per kind of a zone (kinds without records are absent).
    pub async fn ledger_counts(&self, zone_code: &str) -> Result<Vec<KindCount>> {
        let rows = sqlx::query(
            "SELECT kind_id, COUNT(DISTINCT record_id) AS records, COUNT(*) AS revisions FROM ledger_record_revision \
             WHERE zone_code = $1 GROUP BY kind_id ORDER BY kind_id",
        )
        .bind(zone_code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(KindCount {
                    kind_id: row.try_get("kind_id")?,
                    records: row.try_get("records")?,
                    revisions: row.try_get("revisions")?,
                })
            })
            .collect()
    }

    /// The imports of a kind in a zone, newest first.
    pub async fn ledger_imports(&self, zone_code: &str, kind_id: &str) -> Result<Vec<StoredImport>> {
        let rows = sqlx::query(
            "SELECT batch_id, kind_id, kind_version, file_name, sha256, revision_count, author, created_at \
             FROM ledger_import WHERE zone_code = $1 AND kind_id = $2 ORDER BY created_at DESC, batch_id DESC",
        )
        .bind(zone_code)
        .bind(kind_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredImport {
                    batch_id: row.try_get("batch_id")?,
                    kind_id: row.try_get("kind_id")?,
                    kind_version: row.try_get::<i64, _>("kind_version")? as u32,
                    file_name: row.try_get("file_name")?,
                    sha256: row.try_get("sha256")?,
                    revision_count: row.try_get("revision_count")?,
                    author: row.try_get("author")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}

impl LedgerImport {
    fn problem(&mut self, problem: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.more_problems += 1;
        }
    }

    /// Takes the next revision: skipped when it repeats the record's stored history in order (a file
    /// imported again) or equals the record's last revision; otherwise checked against that last revision
    /// (lifecycle) and queued for insert. Problems are collected (see [`LedgerImport::finish`]); an `Err`
    /// is a database failure.
    pub async fn push(&mut self, revision: RecordRevision) -> Result<()> {
        let cells = cells_json(&revision.cells);
        let digest = Digest::of(&cells, revision.state.as_deref(), revision.state_date);
        if let Some(p) = self.last.get_mut(&revision.record_id) {
            if let Some(k) = p.replayed {
                if p.stored.get(k) == Some(&digest) {
                    p.replayed = Some(k + 1);
                    self.unchanged += 1;
                    return Ok(());
                }
                p.replayed = None;
            }
            if p.digest == digest {
                self.unchanged += 1;
                return Ok(());
            }
        }
        let previous = self.last.get(&revision.record_id);
        let found = ecociv_ledger::record::check_step(
            &self.kind,
            previous.map(|p| (p.state.as_deref(), p.state_date)),
            &revision,
        );
        let revision_no = previous.map_or(1, |p| p.revision_no + 1);
        if revision_no == 1 {
            self.new_records += 1;
        }
        for p in found {
            self.problem(p);
        }
        let stored = self
            .last
            .remove(&revision.record_id)
            .map(|p| p.stored)
            .unwrap_or_default();
        self.last.insert(
            revision.record_id.clone(),
            Last {
                revision_no,
                state: revision.state.clone(),
                state_date: revision.state_date,
                digest,
                stored,
                replayed: None,
            },
        );
        if !self.problems.is_empty() {
            // The import will be refused: keep checking, stop writing.
            self.pending.clear();
            return Ok(());
        }
        self.pending.push(Pending {
            record_id: revision.record_id,
            revision_no,
            cells_json: cells,
            state: revision.state,
            state_date: revision.state_date.map(|d| d.to_string()),
            synthetic: revision.synthetic,
            origin_file: revision.origin.file,
            origin_line: revision.origin.line.map(|l| l as i64),
        });
        self.added += 1;
        if self.pending.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        const COLUMNS: usize = 14;
        let mut sql = String::from(
            "INSERT INTO ledger_record_revision (zone_code, kind_id, record_id, revision_no, kind_version, cells_json, \
             state, state_date, synthetic, origin_file, origin_line, batch_id, author, created_at) VALUES ",
        );
        sql.push_str(&crate::row_placeholders(self.backend, self.pending.len(), COLUMNS));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in self.pending.drain(..) {
            query = query
                .bind(self.zone_code.clone())
                .bind(self.kind.id.clone())
                .bind(p.record_id)
                .bind(p.revision_no)
                .bind(i64::from(self.kind.version))
                .bind(p.cells_json)
                .bind(p.state)
                .bind(p.state_date)
                .bind(i64::from(p.synthetic))
                .bind(p.origin_file)
                .bind(p.origin_line)
                .bind(self.batch_id.clone())
                .bind(self.meta.author.clone())
                .bind(self.created_at.clone());
        }
        query.execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Sets the file's SHA-256 (known only once a streamed file has been read to its end).
    pub fn set_sha256(&mut self, sha256: String) {
        self.meta.sha256 = sha256;
    }

    /// Problems found so far (the import will be refused when any).
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Ends the import: refused (rolled back, the problems returned) when any revision broke its lifecycle,
    /// or when `more` — problems the caller found reading the file — is not empty; rolled back with an
    /// outcome of nothing added when every line equalled its record's last revision; otherwise committed.
    pub async fn finish_with(self, more: Vec<Problem>) -> Result<std::result::Result<ImportOutcome, DataError>> {
        self.end(more, true).await
    }

    /// As [`LedgerImport::finish_with`], but rolled back in every case: what the import would do (a dry run).
    pub async fn check_only(self, more: Vec<Problem>) -> Result<std::result::Result<ImportOutcome, DataError>> {
        self.end(more, false).await
    }

    async fn end(mut self, more: Vec<Problem>, commit: bool) -> Result<std::result::Result<ImportOutcome, DataError>> {
        if !more.is_empty() || !self.problems.is_empty() {
            let mut problems = more;
            problems.append(&mut self.problems);
            if self.more_problems > 0 {
                let n = self.more_problems;
                problems.push(Problem {
                    file: self.meta.file_name.clone(),
                    line: None,
                    column: None,
                    field: None,
                    message: format!("另有 {n} 个问题未列出 ({n} more problems)"),
                    ..Default::default()
                });
            }
            self.tx.rollback().await?;
            return Ok(Err(DataError { problems }));
        }
        if self.added == 0 || !commit {
            self.tx.rollback().await?;
            return Ok(Ok(ImportOutcome {
                batch_id: None,
                added: self.added,
                unchanged: self.unchanged,
                new_records: self.new_records,
            }));
        }
        self.flush().await?;
        sqlx::query("UPDATE ledger_import SET revision_count = $3, sha256 = $4 WHERE zone_code = $1 AND batch_id = $2")
            .bind(&self.zone_code)
            .bind(&self.batch_id)
            .bind(self.added as i64)
            .bind(&self.meta.sha256)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(Ok(ImportOutcome {
            batch_id: Some(self.batch_id),
            added: self.added,
            unchanged: self.unchanged,
            new_records: self.new_records,
        }))
    }

    /// [`LedgerImport::finish_with`] without problems of the caller's.
    pub async fn finish(self) -> Result<std::result::Result<ImportOutcome, DataError>> {
        self.finish_with(Vec::new()).await
    }

    /// Abandons the import (nothing stored).
    pub async fn abandon(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}
