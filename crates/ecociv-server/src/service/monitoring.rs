//! Monitoring data (监测数据) written: an upload validated by the standards crate's own reader and
//! stored as one batch (every reading or none; `dry_run` checks and stores nothing), and "compute from
//! monitoring": a year's figures saved as values through the workflow, one batch, all or nothing. The
//! API's monitoring routes and the air and water pages' forms call these; the figures read for the
//! pages are materialized by [`crate::monitoring_results`] when a file is stored.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use ecociv_core::Observation;
use ecociv_monitoring::kind::{self, Kind, Problem};
use ecociv_store::monitoring::NewReading;
use ecociv_store::{Revision, Status, Store};
use serde_json::{Value, json};

use crate::AppState;
use crate::api::monitoring::problem_json;
use crate::error::{ApiError, ApiResult, Code};
use crate::service::{computed, corrections};
use crate::spool::{Import, Phase, Spooled};
use crate::workflow::Step;

fn refused(problem: &Problem) -> ApiError {
    ApiError::new(
        Code::InvalidValue,
        format!("监测数据有误，未导入任何数据 (nothing was imported): {problem}"),
    )
    .with_details(json!([problem_json(problem)]))
}

/// Checks a file name given with an upload.
pub fn check_file_name(name: &str) -> ApiResult<String> {
    crate::validate::file_name(name)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::bad_request("文件名无效 (invalid file name)"))
}

/// Validates and (unless `dry_run`) stores one file of monitoring data held in memory (the demo, a
/// page's form): see [`store_spooled`].
pub async fn store_file(
    store: &Store,
    code: &str,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> ApiResult<Value> {
    let spooled = Spooled::from_bytes(bytes).map_err(ApiError::internal)?;
    store_spooled(store, None, code, kind, file, &spooled, dry_run).await
}

/// Reads a file of `kind` (spooled) with the stored data of the kinds it is read with
/// ([`Kind::read_with`]) as the pages' computation reads them: the problem when they refuse each other.
/// These kinds' files are small (a year or a body per line), so they are read whole.
async fn joint_check(
    store: &Store,
    code: &str,
    kind: Kind,
    file: &str,
    spooled: &Spooled,
) -> ApiResult<Option<Problem>> {
    let mut sources = Vec::new();
    for other in kind.read_with() {
        let stored = store.monitoring_cells(code, other.domain(), "", "~").await?;
        if stored.is_empty() {
            continue;
        }
        let names = store.monitoring_files(code, other.domain()).await?;
        let other = *other;
        let csv = crate::work::cpu(move || kind::rebuild(other, &crate::monitoring_results::cells(stored))).await?;
        sources.push((other, names.join("+"), csv));
    }
    if sources.is_empty() {
        return Ok(None);
    }
    let (name, spooled) = (file.to_owned(), spooled.clone());
    crate::work::cpu(move || {
        let bytes = spooled.bytes().map_err(ApiError::internal)?;
        // The reader has accepted the file: it is UTF-8.
        sources.push((kind, name, String::from_utf8_lossy(&bytes).into_owned()));
        Ok(kind::water_inputs(&sources).err())
    })
    .await?
}

/// Readings handed from the reading thread to the writer at a time.
const PART: usize = 4096;

/// Validates and (unless `dry_run`) stores one file of monitoring data spooled to disk: the summary as
/// JSON. Two passes over the file, each a stream, so memory does not grow with the file: the standards
/// crate's reader checks it whole first (nothing is written for a refused file), then it is split into
/// readings on a blocking thread and written by the store's streaming batch
/// ([`ecociv_store::monitoring::MonitoringBatch`]) in one transaction — every reading or none, and a
/// server killed meanwhile leaves none. A dry run makes the same checks, the store's included, and rolls
/// back. `progress` follows the phases and the bytes read.
pub async fn store_spooled(
    store: &Store,
    progress: Option<Arc<Import>>,
    code: &str,
    kind: Kind,
    file: &str,
    spooled: &Spooled,
    dry_run: bool,
) -> ApiResult<Value> {
    if spooled.is_empty() {
        return Err(refused(&Problem::new(file, "文件为空 (empty file)").at_line(1)));
    }
    let phase = |phase: Phase| {
        if let Some(progress) = &progress {
            progress.total.store(spooled.len(), Ordering::Relaxed);
            progress.set_phase(phase);
        }
    };
    // 1. The standards crate's reader over the whole file (off the request threads: [`crate::work`]).
    phase(Phase::Checking);
    let (name, input, counter) = (file.to_owned(), spooled.clone(), progress.clone());
    crate::work::cpu(move || kind::validate(kind, &name, input.reader(counter)))
        .await?
        .map_err(|problem| refused(&problem))?;
    // The file with the stored data of the kinds it is read with (both EI files' years, the survey's
    // bodies in the register): refused here when the pages' computation would refuse them together.
    if !kind.read_with().is_empty() {
        joint_check(store, code, kind, file, spooled)
            .await?
            .map_or(Ok(()), |problem| Err(refused(&problem)))?;
    }
    // A noise or soil file with the stored readings of its kind (a point's class, a sample's land use).
    if matches!(kind.medium(), crate::noise_soil::NOISE | crate::noise_soil::SOIL) {
        crate::noise_soil::check_with_stored(store, code, kind, file, spooled)
            .await?
            .map_or(Ok(()), |problem| Err(refused(&problem)))?;
    }
    // 2. Split into readings on a blocking thread, written as they come in one transaction.
    phase(Phase::Storing);
    let mut batch = store.begin_monitoring_batch(code, kind.domain(), file).await?;
    let (sender, receiver) = tokio::sync::mpsc::channel::<Vec<NewReading>>(4);
    let (name, input, counter) = (file.to_owned(), spooled.clone(), progress.clone());
    let splitter = crate::work::cpu(move || {
        let mut part = Vec::with_capacity(PART);
        let summary = kind::split(kind, &name, input.reader(counter), |cell| {
            part.push(NewReading {
                unit: kind.unit(&cell.parameter).to_owned(),
                station: cell.station,
                parameter: cell.parameter,
                observed_at: cell.time,
                value: cell.value,
                flag: cell.flag,
            });
            if part.len() >= PART
                && sender
                    .blocking_send(std::mem::replace(&mut part, Vec::with_capacity(PART)))
                    .is_err()
            {
                // The writer stopped (its error is the answer).
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        if summary.is_some() && !part.is_empty() && sender.blocking_send(part).is_err() {
            return Ok(None);
        }
        Ok::<_, Problem>(summary)
    });
    let writer = async {
        let mut receiver = receiver;
        while let Some(part) = receiver.recv().await {
            batch.push(&part).await?;
            if let Some(progress) = &progress {
                progress.stored.store(batch.stored(), Ordering::Relaxed);
            }
        }
        Ok::<_, ecociv_store::StoreError>(())
    };
    let (split, written) = tokio::join!(splitter, writer);
    let summary = split?.map_err(|problem| refused(&problem))?;
    written?;
    let Some(summary) = summary else {
        return Err(ApiError::internal("监测数据读取中断 (the reading stopped)"));
    };
    let (stored, years) = if dry_run {
        batch.rollback().await?;
        (0, Vec::new())
    } else {
        let stored = batch.commit().await?;
        // The pages' figures of the years the file covers, computed now by the importer (the readings
        // are stored whatever happens here: a page finding them stale recomputes them in the background).
        phase(Phase::Computing);
        let span = summary.span.as_ref().map(|(from, to)| (from.as_str(), to.as_str()));
        let years = match crate::monitoring_results::after_import(store, code, kind, span, progress.as_deref()).await {
            Ok(years) => years,
            Err(error) => {
                tracing::error!("监测数据结果计算失败 (monitoring figures not computed) {code}: {error:?}");
                Vec::new()
            }
        };
        (stored, years)
    };
    Ok(json!({
        "dry_run": dry_run,
        "kind": kind.code(),
        "file": file,
        "bytes": spooled.len(),
        "rows": summary.rows,
        "readings": summary.cells,
        "stations": summary.stations,
        "from": summary.span.as_ref().map(|(from, _)| from),
        "to": summary.span.as_ref().map(|(_, to)| to),
        "stored": stored,
        "years_computed": years,
        "synthetic": file.contains("SYNTHETIC"),
    }))
}

/// Stores one spooled file (see [`store_spooled`]) — a page form's — listed with its progress in
/// [`AppState::imports`] as the import API's; the pages' figures of the years it covers are computed with it.
pub async fn import_spooled(
    state: &AppState,
    code: &str,
    kind: Kind,
    file: &str,
    spooled: &Spooled,
    dry_run: bool,
) -> ApiResult<Value> {
    let guard = state.imports.start(code, kind.code(), file, dry_run);
    store_spooled(
        &state.store,
        Some(guard.import.clone()),
        code,
        kind,
        file,
        spooled,
        dry_run,
    )
    .await
}

/// Computes the year's figures and saves them as values (one batch, all or nothing) with `status`,
/// by `principal` in `role` ([`computed::save`]). Values already equal are left as they are; a value
/// approved (locked) or awaiting review refuses the whole action.
pub async fn compute_and_save(state: &AppState, request: computed::Request<'_>) -> ApiResult<Value> {
    request.authorise()?;
    let code = request.code;
    let framework = super::zone_framework(&state.store, code).await?;
    let figures = crate::monitoring_results::observations(&state.store, &framework, code, request.year).await?;
    let saved = computed::save(
        &state.store,
        &framework,
        request.save("monitoring"),
        figures.observations.into_iter().map(Monitored).collect(),
    )
    .await?;
    Ok(json!({
        "dry_run": request.dry_run,
        "year": request.year,
        "saved": saved.saved,
        "unchanged": saved.unchanged,
        "values": saved.values,
        "notes": figures.notes,
    }))
}

/// A figure computed from monitoring data.
struct Monitored(Observation);

impl computed::Figure for Monitored {
    fn observation(&self) -> Observation {
        self.0.clone()
    }

    /// Its monitoring inputs changed since it was computed (a correction, a later import): computed
    /// again whatever its status, the new figure awaiting review (the history keeps the old one).
    fn step(&self, observation: &Observation, current: Option<&Revision>, status: Status) -> (Step, String) {
        match current.filter(|c| corrections::is_stale(&c.observation, Some(observation))) {
            Some(current) => (
                Step::Recompute(status),
                corrections::recompute_reason(&current.observation, observation),
            ),
            None => (Step::Import(status), "由监测数据计算".into()),
        }
    }

    fn json(&self, observation: &Observation, next: Status, current: Option<&Revision>) -> Value {
        json!({
            "row": observation.row,
            "year": observation.year,
            "value": ecociv_report::json::value(Some(&observation.value)),
            "before": current.map(|r| ecociv_report::json::value(Some(&r.observation.value))),
            "status": next.code(),
            "source": ecociv_report::json::source(Some(&observation.source)),
        })
    }
}
