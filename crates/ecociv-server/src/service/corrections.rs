//! Corrections of monitoring data (监测数据更正, issue 19): a reviewer's batch that withdraws readings
//! (撤回) or replaces their values (替换), each with a reason, the batch with its author and time — from
//! a correction file (the import's format plus `action` and `reason`, read by
//! [`ecociv_monitoring::correction::parse`]); stored all or nothing by
//! [`ecociv_store::Store::correct_monitoring`] (append-only: the imported readings are never overwritten,
//! each reading's history stays readable: [`history`]). After a batch the pages' figures of the years it
//! touches are recomputed; the rows computed from monitoring whose figure no longer equals the value in
//! force are **stale** ([`stale_rows`]) until "compute from monitoring" saves the new figure as a
//! submission a second reviewer approves ([`crate::service::monitoring::compute_and_save`]).

use std::collections::BTreeSet;

use ecociv_core::{Framework, Observation, Source};
use ecociv_monitoring::correction::{self, Action, Refused};
use ecociv_monitoring::kind::{Kind, Problem};
use ecociv_store::monitoring_correction::{CorrectionAction, NewCorrection, ReadingHistory};
use ecociv_store::{Revision, Status, Store};
use serde_json::{Value, json};

use crate::AppState;
use crate::api::monitoring::problem_json;
use crate::auth::{Principal, ZoneRole};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;

/// The largest correction file (corrections are a few lines; a whole file to replace is an import).
pub const MAX_CORRECTION_BYTES: usize = 16 * 1024 * 1024;

fn refused(refused: &Refused) -> ApiError {
    ApiError::new(
        Code::InvalidValue,
        format!("更正有误，未作任何更正 (nothing was corrected): {refused}"),
    )
    .with_details(json!(refused.problems.iter().map(problem_json).collect::<Vec<_>>()))
}

/// Checks and (unless `dry_run`) applies a correction file of `kind` to zone `code`'s readings, by
/// `principal` (a reviewer of the zone). `reason`: the batch's reason, for lines without their own.
/// Every correction or none; a refusal names file, line and field of each problem.
#[allow(clippy::too_many_arguments)]
pub async fn correct(
    state: &AppState,
    principal: &Principal,
    role: &ZoneRole,
    code: &str,
    kind: Kind,
    file: &str,
    bytes: Vec<u8>,
    reason: Option<&str>,
    dry_run: bool,
) -> ApiResult<Value> {
    if !policy::can_review(Some(role)) {
        return Err(ApiError::forbidden());
    }
    apply(
        &state.store,
        &principal.user.id,
        code,
        kind,
        file,
        bytes,
        reason,
        dry_run,
    )
    .await
}

/// [`correct`] on a store by the account `author_id`, its right to correct decided by the caller (the
/// CLI, which holds the database itself).
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    store: &Store,
    author_id: &str,
    code: &str,
    kind: Kind,
    file: &str,
    bytes: Vec<u8>,
    reason: Option<&str>,
    dry_run: bool,
) -> ApiResult<Value> {
    if bytes.len() > MAX_CORRECTION_BYTES {
        return Err(ApiError::new(
            Code::InvalidValue,
            format!(
                "更正文件超过 {} MiB (the correction file is too large)",
                MAX_CORRECTION_BYTES / 1024 / 1024
            ),
        ));
    }
    let (name, reason_owned) = (file.to_owned(), reason.map(str::to_owned));
    let lines = crate::work::cpu(move || correction::parse(kind, &name, &bytes, reason_owned.as_deref()))
        .await?
        .map_err(|r| refused(&r))?;
    // Noise and soil readings are judged row by row (a night's maximum not below its level, a sample's
    // land use): the corrected data must read as the page reads it.
    if matches!(kind.medium(), crate::noise_soil::NOISE | crate::noise_soil::SOIL)
        && let Some(problem) = crate::noise_soil::check_corrections(store, code, kind, file, &lines).await?
    {
        return Err(refused(&Refused {
            problems: vec![problem],
        }));
    }
    let mut corrections = Vec::new();
    for line in &lines {
        for cell in &line.cells {
            corrections.push(NewCorrection {
                station: cell.station.clone(),
                parameter: cell.parameter.clone(),
                observed_at: cell.time.clone(),
                action: match line.action {
                    Action::Retract => CorrectionAction::Retract,
                    Action::Supersede => CorrectionAction::Supersede,
                },
                value: cell.value,
                flag: cell.flag.clone(),
                reason: line.reason.clone(),
                line: line.line,
            });
        }
    }
    let outcome = store
        .correct_monitoring(code, kind.domain(), file, author_id, &corrections, dry_run)
        .await?;
    let outcome = outcome.map_err(|refusals| {
        refused(&Refused {
            problems: refusals
                .into_iter()
                .map(|r| {
                    let c = corrections.get(r.index);
                    Problem::at(file, c.map(|c| c.line), c.map(|c| c.parameter.as_str()), r.message)
                })
                .collect(),
        })
    })?;
    let times: BTreeSet<&str> = corrections.iter().map(|c| c.observed_at.as_str()).collect();
    let span = times.first().zip(times.last()).map(|(a, b)| (*a, *b));
    let years = if dry_run {
        Vec::new()
    } else {
        match crate::monitoring_results::after_import(store, code, kind, span, None).await {
            Ok(years) => years,
            Err(error) => {
                tracing::error!("监测数据结果计算失败 (monitoring figures not computed) {code}: {error:?}");
                Vec::new()
            }
        }
    };
    Ok(json!({
        "dry_run": dry_run,
        "kind": kind.code(),
        "file": file,
        "batch": (!outcome.id.is_empty()).then_some(outcome.id),
        "lines": lines.len(),
        "corrections": outcome.stored,
        "unchanged": outcome.unchanged,
        "retracted": lines.iter().filter(|l| l.action == Action::Retract).map(|l| l.cells.len()).sum::<usize>(),
        "years_computed": years,
    }))
}

/// The JSON of a reading's history.
pub fn history_json(kind: Kind, history: &ReadingHistory) -> Value {
    let value = |value: Option<f64>, flag: &str| {
        if flag.is_empty() {
            value.map(|v| v.to_string()).unwrap_or_default()
        } else {
            flag.to_owned()
        }
    };
    json!({
        "kind": kind.code(),
        "station": history.station,
        "parameter": history.parameter,
        "unit": history.unit,
        "time": history.observed_at,
        "original": value(history.value, &history.flag),
        "corrections": history.corrections.iter().map(|c| json!({
            "seq": c.seq,
            "action": c.action.code(),
            "action_zh": c.action.zh(),
            "value": (c.action == CorrectionAction::Supersede).then(|| value(c.value, &c.flag)),
            "reason": c.reason,
            "file": c.batch.file,
            "line": c.line,
            "batch": c.batch.id,
            "author": c.batch.author_name,
            "author_id": c.batch.author_id,
            "at": c.batch.created_at,
        })).collect::<Vec<_>>(),
        "current": match history.corrections.last() {
            Some(c) if c.action == CorrectionAction::Retract => None,
            Some(c) => Some(value(c.value, &c.flag)),
            None => Some(value(history.value, &history.flag)),
        },
    })
}

/// A reading's history (the import's value, then each correction with who, when and why), or 404.
pub async fn history(
    store: &Store,
    code: &str,
    kind: Kind,
    station: &str,
    parameter: &str,
    time: &str,
) -> ApiResult<ReadingHistory> {
    store
        .reading_history(code, kind.domain(), station, parameter, time)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("监测数据 (reading) {station} {parameter} {time}")))
}

/// The correction batches of a zone (newest first), as JSON.
pub async fn batches_json(store: &Store, code: &str, kinds: &[Kind]) -> ApiResult<Vec<Value>> {
    let domains: Vec<&str> = kinds.iter().map(|k| k.domain()).collect();
    let batches = store.correction_batches(code, &domains).await?;
    Ok(batches
        .iter()
        .map(|b| {
            json!({
                "id": b.id,
                "kind": Kind::ALL.into_iter().find(|k| k.domain() == b.domain).map(Kind::code),
                "file": b.file,
                "corrections": b.corrections,
                "author": b.author_name,
                "at": b.created_at,
            })
        })
        .collect())
}

/// Whether a value was computed from monitoring files (its source names them).
pub fn computed_from_monitoring(observation: &Observation) -> bool {
    match &observation.source {
        Source::Computed { files, .. } | Source::Synthetic { files, .. } => !files.is_empty(),
        _ => false,
    }
}

/// A row whose monitoring inputs changed since its value was computed.
#[derive(Debug, Clone)]
pub struct StaleRow {
    pub row: String,
    pub year: i32,
    pub status: Status,
    /// The value in force and the figure the stored readings give now (`None`: no figure any more).
    pub current: Observation,
    pub now: Option<Observation>,
}

impl StaleRow {
    pub fn json(&self) -> Value {
        json!({
            "row": self.row,
            "year": self.year,
            "status": self.status.code(),
            "value": ecociv_report::json::value(Some(&self.current.value)),
            "recomputed": self.now.as_ref().map(|o| ecociv_report::json::value(Some(&o.value))),
            "inputs": ecociv_report::json::source(Some(&self.current.source)),
            "new_inputs": self.now.as_ref().map(|o| ecociv_report::json::source(Some(&o.source))),
        })
    }
}

/// Whether `current` (the value in force, computed from monitoring) differs from the figure the stored
/// readings give now: its value or its inputs.
pub fn is_stale(current: &Observation, now: Option<&Observation>) -> bool {
    computed_from_monitoring(current)
        && now.is_none_or(|now| now.value != current.value || now.source != current.source)
}

/// The rows of `year` computed from monitoring whose stored readings now give another figure (a
/// correction, a later import): marked stale until recomputed through the workflow. Reads the pages'
/// materialized figures (recomputed first when missing) and the values in force.
pub async fn stale_rows(
    store: &Store,
    framework: &Framework,
    code: &str,
    year: i32,
    values: &[Revision],
) -> ApiResult<Vec<StaleRow>> {
    let computed = crate::monitoring_results::observations(store, framework, code, year).await?;
    Ok(stale_of(&computed.observations, values, year))
}

/// The rows of `year` marked stale on the Table 2-1 page: [`stale_of`] the pages' materialized figures
/// as they are (never recomputed here: a page whose figures are being recomputed marks nothing yet), only
/// rows the figures still compute.
pub async fn stale_row_ids(store: &Store, framework: &Framework, code: &str, year: i32) -> ApiResult<Vec<String>> {
    use crate::monitoring_results::{AIR, WATER, air_result, page_years, water_result};
    let mut computed = Vec::new();
    for page in [AIR, WATER] {
        let state = page_years(store, framework, code, page).await?;
        if state.version == 0 || state.stale {
            continue;
        }
        let stored = if page == AIR {
            air_result(store, code, year, &state).await?.map(|r| r.observations)
        } else {
            water_result(store, code, year, &state).await?.map(|r| r.observations)
        };
        for observation in stored.unwrap_or_default() {
            if observation.year == year {
                computed.push(observation.observation()?);
            }
        }
    }
    if computed.is_empty() {
        return Ok(Vec::new());
    }
    let values = store.current_revisions(code, Some(year)).await?;
    Ok(stale_of(&computed, &values, year)
        .into_iter()
        .filter(|row| row.now.is_some())
        .map(|row| row.row)
        .collect())
}

/// [`stale_rows`] from the figures computed now and the values in force.
pub fn stale_of(computed: &[Observation], values: &[Revision], year: i32) -> Vec<StaleRow> {
    values
        .iter()
        .filter(|r| r.observation.year == year && computed_from_monitoring(&r.observation))
        .filter_map(|r| {
            let now = computed.iter().find(|o| o.row == r.observation.row && o.year == year);
            is_stale(&r.observation, now).then(|| StaleRow {
                row: r.observation.row.clone(),
                year,
                status: r.status,
                current: r.observation.clone(),
                now: now.cloned(),
            })
        })
        .collect()
}

/// The reason a recomputed value's revision records: its inputs before and after (the files added or
/// gone — a correction file among them), so the row's history shows what changed.
pub fn recompute_reason(before: &Observation, after: &Observation) -> String {
    let files = |o: &Observation| match &o.source {
        Source::Computed { files, .. } | Source::Synthetic { files, .. } => files.clone(),
        _ => Vec::new(),
    };
    let (old, new) = (files(before), files(after));
    let added: Vec<&str> = new.iter().filter(|f| !old.contains(f)).map(String::as_str).collect();
    let gone: Vec<&str> = old.iter().filter(|f| !new.contains(f)).map(String::as_str).collect();
    let mut reason = String::from("由监测数据重新计算：监测数据已更正或新增");
    if !added.is_empty() {
        reason.push_str(&format!("；新增输入 {}", added.join("、")));
    }
    if !gone.is_empty() {
        reason.push_str(&format!("；不再使用 {}", gone.join("、")));
    }
    reason
}
