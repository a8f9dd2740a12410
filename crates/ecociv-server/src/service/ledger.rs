//! Registers (台账, issue 13) written: an import of records (CSV streamed, or an Excel workbook) into the
//! store, all or nothing, and "compute from registers": a year's rows fed by the zone's stored records
//! derived by `ecociv_ledger::derive` and saved as values through the workflow — one batch, exactly as
//! "compute from monitoring" ([`super::monitoring::compute_and_save`]) saves its figures ([`super::computed`]) — each with its
//! provenance (`Source::Ledger`: kind and version, the arithmetic with numerator and denominator, the
//! records counted). The API, the pages and the command line (`ecociv ledger import|compute`) call these.

use std::io::Read;

use ecociv_core::{Framework, Observation};
use ecociv_ledger::{DataError, Derivation, Kind, NoFigure, RecordRevision, Role};
use ecociv_store::ledger::{ImportMeta, ImportOutcome};
use ecociv_store::{Revision, Status, Store, StoreError};
use serde_json::{Value, json};
use sha2::Digest;

use crate::AppState;
use crate::auth::ZoneRole;
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::service::computed;
use crate::workflow::Step;

/// The largest register upload the API takes (a CSV of some 200,000 records, streamed; a workbook is read
/// whole; the command line streams a CSV of any size).
pub const MAX_LEDGER_BYTES: usize = 64 * 1024 * 1024;

/// The ledger kinds a server knows: the bundled ones and the extra kind files of its configuration
/// ([`crate::Config::ledger_kinds`]; a kind of the same id replaces the bundled one), checked against the
/// framework.
pub fn kinds(extra: &[(String, String)], framework: &Framework) -> Result<Vec<Kind>, DataError> {
    ecociv_ledger::bundled::kinds_with(framework, extra.iter().map(|(file, text)| (file, text)))
}

/// The zone's framework and the server's kinds for it.
pub async fn zone_kinds(state: &AppState, code: &str) -> ApiResult<(std::sync::Arc<Framework>, Vec<Kind>)> {
    let framework = super::zone_framework(&state.store, code).await?;
    let kinds = kinds(&state.config.ledger_kinds, &framework)
        .map_err(|error| ApiError::new(Code::InvalidValue, format!("台账类型文件有误 (bad kind file): {error}")))?;
    Ok((framework, kinds))
}

/// One kind by id, 404 when unknown.
pub fn find_kind<'a>(kinds: &'a [Kind], id: &str) -> ApiResult<&'a Kind> {
    kinds
        .iter()
        .find(|k| k.id == id)
        .ok_or_else(|| ApiError::not_found(format!("台账类型 (ledger kind) {id}")))
}

/// May import records of a kind: reviewers and admins, and the editors of the department that keeps it.
pub async fn may_import(store: &Store, code: &str, role: &ZoneRole, kind: &Kind) -> ApiResult<bool> {
    let name = match role {
        ZoneRole::Editor { department } => store
            .departments(code)
            .await?
            .into_iter()
            .find(|d| &d.id == department)
            .map(|d| d.name),
        _ => None,
    };
    Ok(policy::can_act_for_unit(
        Some(role),
        name.as_deref(),
        std::slice::from_ref(&kind.department),
    ))
}

/// A file of records as uploaded.
pub enum Upload {
    /// A CSV, read as a stream.
    Csv(Box<dyn Read + Send>),
    /// An Excel workbook (read whole: the format is a zip).
    Xlsx(Vec<u8>),
}

impl Upload {
    /// An Excel workbook: by the name (`.xlsx`) or the first bytes (a zip's signature).
    pub fn is_xlsx(name: &str, head: &[u8]) -> bool {
        name.to_ascii_lowercase().ends_with(".xlsx") || head.starts_with(b"PK\x03\x04")
    }

    /// An upload spooled to disk ([`crate::spool`]): a CSV read from there as a stream, a workbook read
    /// whole (the format from the name or the first bytes).
    pub fn from_spooled(name: &str, spooled: &crate::spool::Spooled) -> std::io::Result<Upload> {
        if Upload::is_xlsx(name, &spooled.head(4)?) {
            Ok(Upload::Xlsx(spooled.bytes()?))
        } else {
            Ok(Upload::Csv(Box::new(spooled.reader(None))))
        }
    }

    /// The format from the name (`.xlsx`) or the bytes (a zip's signature), CSV otherwise.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Upload {
        if Upload::is_xlsx(name, &bytes) {
            Upload::Xlsx(bytes)
        } else {
            Upload::Csv(Box::new(std::io::Cursor::new(bytes)))
        }
    }
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: sha2::Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Imports a file of records of `kind` into a zone, all or nothing, streaming: the file is read on a
/// blocking thread (`ecociv_ledger::record::read_csv_each`, or `ecociv_report::ledger::read` for Excel)
/// while the store inserts the revisions it hands over in one transaction
/// ([`Store::begin_ledger_import`]); a problem found by either — a cell, a line, a lifecycle step —
/// refuses the whole file (the inner `Err`, every problem with file and line and field, or sheet and cell).
/// `dry_run`: every check made, nothing stored.
pub async fn import(
    store: &Store,
    code: &str,
    kind: &Kind,
    file_name: &str,
    upload: Upload,
    author: &str,
    dry_run: bool,
) -> Result<Result<ImportOutcome, DataError>, StoreError> {
    let meta = ImportMeta {
        file_name: file_name.to_string(),
        sha256: String::new(),
        author: author.to_string(),
    };
    let mut import = store.begin_ledger_import(code, kind, meta).await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<RecordRevision>(1024);
    let (name, reader_kind) = (file_name.to_string(), kind.clone());
    let reader = tokio::task::spawn_blocking(move || {
        let send = |revision: RecordRevision| {
            // A closed channel means the store side has stopped (a database error): stop handing over.
            let _ = sender.blocking_send(revision);
        };
        match upload {
            Upload::Csv(input) => {
                let mut hashing = Hashing {
                    inner: input,
                    hash: sha2::Sha256::new(),
                };
                let read = ecociv_ledger::record::read_csv_each(&name, &mut hashing, &reader_kind, send);
                // The rest of the input, if the reader stopped early, still counts for the hash.
                let _ = std::io::copy(&mut hashing, &mut std::io::sink());
                (read, hex(&hashing.hash.finalize()))
            }
            Upload::Xlsx(bytes) => {
                let sha = hex(&sha2::Sha256::digest(&bytes));
                let read = ecociv_report::ledger::read(&name, &bytes, &reader_kind).map(|revisions| {
                    let n = revisions.len();
                    revisions.into_iter().for_each(send);
                    n
                });
                (read, sha)
            }
        }
    });
    while let Some(revision) = receiver.recv().await {
        import.push(revision).await?;
    }
    let (read, sha) = reader
        .await
        .map_err(|e| StoreError::Invalid(format!("读取文件的线程失败 (the reading thread failed): {e}")))?;
    import.set_sha256(sha);
    let problems = read.err().map(|e| e.problems).unwrap_or_default();
    if dry_run {
        import.check_only(problems).await
    } else {
        import.finish_with(problems).await
    }
}

/// An import refused, as the API's error: every problem in `details`.
pub fn refused(error: &DataError) -> ApiError {
    ApiError::new(
        Code::InvalidValue,
        format!(
            "台账记录有误，未导入任何记录 (nothing was imported): {}",
            error.problems.first().map(|p| p.to_string()).unwrap_or_default()
        ),
    )
    .with_details(json!(
        error
            .problems
            .iter()
            .map(|p| json!({"file": p.file, "line": p.line, "field": p.field, "message": p.message, "text": p.to_string()}))
            .collect::<Vec<_>>()
    ))
}

/// The JSON of an import's outcome.
pub fn outcome_json(kind: &Kind, file: &str, outcome: &ImportOutcome) -> Value {
    json!({
        "kind": kind.id,
        "kind_version": kind.version,
        "file": file,
        "batch": outcome.batch_id,
        "added": outcome.added,
        "new_records": outcome.new_records,
        "unchanged": outcome.unchanged,
    })
}

/// Every feed of every kind with stored records, for a year: the figures and the reasons where a feed
/// gives none (kinds without records are left out).
pub async fn derive_year(
    store: &Store,
    framework: &Framework,
    kinds: &[Kind],
    code: &str,
    year: i32,
) -> Result<(Vec<Derivation>, Vec<NoFigure>), StoreError> {
    let stored = store.ledger_counts(code).await?;
    let mut done = Vec::new();
    let mut none = Vec::new();
    for kind in kinds {
        if !stored.iter().any(|c| c.kind_id == kind.id) {
            continue;
        }
        let ledger = store.ledger_of_kind(code, &kind.id).await?;
        let (d, n) = ecociv_ledger::derive_all(framework, kind, &ledger, year);
        done.extend(d);
        none.extend(n);
    }
    Ok((done, none))
}

/// The JSON of a derived figure: the arithmetic with its parts and the records counted.
pub fn derivation_json(d: &Derivation) -> Value {
    json!({
        "row": d.row,
        "year": d.year,
        "role": match d.role { Role::Value => "value", Role::Input => "input" },
        "label": d.label,
        "value": d.value,
        "unit": d.unit,
        "kind": d.kind_id,
        "kind_name": d.kind_name,
        "kind_version": d.kind_version,
        "numerator": d.numerator.as_ref().map(|t| json!({"label": t.label, "value": t.value, "records": t.records.len()})),
        "denominator": d.denominator.as_ref().map(|t| json!({"label": t.label, "value": t.value, "records": t.records.len()})),
        "base": d.base.map(|(year, value)| json!({"year": year, "value": value})),
        "records": d.records,
        "method": d.method,
        "provenance": d.provenance,
        "covers": d.covers,
        "doubt": d.doubt,
        "synthetic": d.synthetic,
    })
}

/// Derives the year's rows from the zone's stored records and saves the `value` figures as values (one
/// batch `ledger`, all or nothing) with `status`, by `principal` in `role` — the path of "compute from
/// monitoring": equal figures already in force are left alone, a locked value refuses the whole action.
/// Reviewers and admins.
pub async fn compute_and_save(state: &AppState, request: computed::Request<'_>) -> ApiResult<Value> {
    request.authorise()?;
    let (framework, kinds) = zone_kinds(state, request.code).await?;
    save_derived(&state.store, &framework, &kinds, request.save("ledger")).await
}

/// The write of [`compute_and_save`] without its authorisation (the command line's `ecociv ledger compute`
/// names an existing account): derive, check each transition, save the `value` figures in one batch.
pub async fn save_derived(
    store: &Store,
    framework: &Framework,
    kinds: &[Kind],
    save: computed::Save<'_>,
) -> ApiResult<Value> {
    let (derived, refused) = derive_year(store, framework, kinds, save.code, save.year).await?;
    let values: Vec<Derived<'_>> = derived.iter().filter(|d| d.role == Role::Value).map(Derived).collect();
    let saved = computed::save(store, framework, save, values).await?;
    Ok(json!({
        "dry_run": save.dry_run,
        "year": save.year,
        "saved": saved.saved,
        "unchanged": saved.unchanged,
        "values": saved.values,
        "figures": derived.iter().map(derivation_json).collect::<Vec<_>>(),
        "refused": refused.iter().map(|n| json!({"row": n.row, "year": n.year, "reason": n.reason_zh, "reason_en": n.reason_en})).collect::<Vec<_>>(),
    }))
}

/// A `value` figure derived from registers.
struct Derived<'a>(&'a Derivation);

impl computed::Figure for Derived<'_> {
    fn observation(&self) -> Observation {
        self.0.observation()
    }

    fn step(&self, _: &Observation, _: Option<&Revision>, status: Status) -> (Step, String) {
        let d = self.0;
        (
            Step::Import(status),
            format!("由台账“{}”（第{}版）计算", d.kind_name, d.kind_version),
        )
    }

    fn json(&self, _: &Observation, next: Status, current: Option<&Revision>) -> Value {
        let d = self.0;
        json!({
            "row": d.row,
            "year": d.year,
            "value": d.value,
            "before": current.map(|r| ecociv_report::json::value(Some(&r.observation.value))),
            "status": next.code(),
            "method": d.method,
            "kind": d.kind_id,
            "kind_version": d.kind_version,
            "records": d.records.len(),
        })
    }
}

/// A record as a list shows it: its latest revision and how many revisions it has.
#[derive(Debug, Clone)]
pub struct Listed {
    pub latest: ecociv_store::ledger::StoredRevision,
    pub revisions: usize,
}

/// Filters of a kind's list: the lifecycle state in force, and a text to find in the record's id or cells.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: Option<String>,
    pub text: Option<String>,
}

/// A kind's records in a zone, latest revision each, filtered, in id order.
pub async fn records(store: &Store, code: &str, kind: &Kind, filter: &Filter) -> Result<Vec<Listed>, StoreError> {
    let mut out: Vec<Listed> = Vec::new();
    for stored in store.ledger_revisions(code, &kind.id).await? {
        match out.last_mut() {
            Some(last) if last.latest.revision.record_id == stored.revision.record_id => {
                last.revisions += 1;
                last.latest = stored;
            }
            _ => out.push(Listed {
                latest: stored,
                revisions: 1,
            }),
        }
    }
    let text = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let state = filter.state.as_deref().map(str::trim).filter(|t| !t.is_empty());
    out.retain(|l| {
        let r = &l.latest.revision;
        state.is_none_or(|s| r.state.as_deref() == Some(s))
            && text.is_none_or(|t| r.record_id.contains(t) || r.cells.values().any(|c| c.to_string().contains(t)))
    });
    Ok(out)
}

/// The JSON of a stored revision: cells as text by field id, state, who, when, origin.
pub fn revision_json(stored: &ecociv_store::ledger::StoredRevision) -> Value {
    let r = &stored.revision;
    json!({
        "record_id": r.record_id,
        "revision_no": stored.revision_no,
        "kind_version": stored.kind_version,
        "cells": r.cells.iter().map(|(k, v)| (k.clone(), Value::String(v.to_string()))).collect::<serde_json::Map<_, _>>(),
        "state": r.state,
        "state_date": r.state_date.map(|d| d.to_string()),
        "synthetic": r.synthetic,
        "file": r.origin.file,
        "line": r.origin.line,
        "batch": stored.batch_id,
        "author": stored.author,
        "created_at": stored.created_at,
    })
}
