//! The corrections part of the air and water pages (issue 19; reviewers and admins): the view filled from
//! [`crate::service::corrections`] — stale rows of the page, the batches, a reading's history looked up
//! by the page's query (`h_kind`, `h_station`, `h_parameter`, `h_time`).

use std::collections::BTreeMap;

use ecociv_core::{Framework, Observation, Source};
use ecociv_monitoring::kind::Kind;
use ecociv_web::pages::correction::{BatchView, CorrectionsView, HistoryView, Lookup, StaleView, StepView};

use super::{Web, WebError, WebResult};
use crate::AppState;
use crate::service::corrections;

/// The page the corrections part is for: its zone, year, kinds and the files its figures came from.
pub struct Page<'a> {
    pub framework: &'a Framework,
    pub code: &'a str,
    pub year: i32,
    pub kinds: &'a [Kind],
    pub files: &'a [String],
}

fn files(source: &Source) -> &[String] {
    match source {
        Source::Computed { files, .. } | Source::Synthetic { files, .. } => files,
        _ => &[],
    }
}

/// The corrections view of a page whose figures of the year are `computed`.
pub async fn view(
    state: &AppState,
    web: &Web,
    page: &Page<'_>,
    computed: &[Observation],
    query: &BTreeMap<String, String>,
) -> WebResult<CorrectionsView> {
    let values = state.store.current_revisions(page.code, Some(page.year)).await?;
    // The page's rows: those the page computes now, or whose value came from the page's files.
    let ours = |observation: &Observation| {
        computed.iter().any(|c| c.row == observation.row)
            || files(&observation.source).iter().any(|f| page.files.contains(f))
    };
    let stale = corrections::stale_of(computed, &values, page.year)
        .into_iter()
        .filter(|row| ours(&row.current))
        .map(|row| {
            let (name, format) = match page.framework.row(&row.row) {
                Some((_, r)) => (r.name.clone(), Some(ecociv_core::format::RowFormat::for_row(r))),
                None => (String::new(), None),
            };
            let text = |o: &Observation| match &format {
                Some(format) => format.value(&o.value),
                None => String::new(),
            };
            StaleView {
                row: row.row.clone(),
                name,
                value: text(&row.current),
                status: row.status.code().to_owned(),
                recomputed: row.now.as_ref().map(text),
            }
        })
        .collect();
    let batches = corrections::batches_json(&state.store, page.code, page.kinds)
        .await
        .map_err(|error| WebError::from_api(web, error))?
        .iter()
        .map(|b| BatchView {
            at: b["at"].as_str().unwrap_or_default().to_owned(),
            author: b["author"].as_str().unwrap_or_default().to_owned(),
            file: b["file"].as_str().unwrap_or_default().to_owned(),
            kind: b["kind"].as_str().unwrap_or_default().to_owned(),
            corrections: b["corrections"].as_i64().unwrap_or(0),
        })
        .collect();
    let get = |name: &str| query.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let lookup = Lookup {
        kind: get("h_kind"),
        station: get("h_station"),
        parameter: get("h_parameter"),
        time: get("h_time"),
    };
    let kind = Kind::parse(&lookup.kind).filter(|k| page.kinds.contains(k));
    let history = match kind {
        Some(kind) if !lookup.station.is_empty() => state
            .store
            .reading_history(
                page.code,
                kind.domain(),
                &lookup.station,
                &lookup.parameter,
                &lookup.time,
            )
            .await?
            .map(|history| {
                let json = corrections::history_json(kind, &history);
                let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
                HistoryView {
                    station: history.station.clone(),
                    parameter: history.parameter.clone(),
                    unit: history.unit.clone(),
                    time: history.observed_at,
                    original: text(&json["original"]).unwrap_or_default(),
                    current: text(&json["current"]),
                    steps: json["corrections"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|c| StepView {
                            at: text(&c["at"]).unwrap_or_default(),
                            author: text(&c["author"]).unwrap_or_default(),
                            action: text(&c["action"]).unwrap_or_default(),
                            value: text(&c["value"]),
                            reason: text(&c["reason"]).unwrap_or_default(),
                            file: text(&c["file"]).unwrap_or_default(),
                            line: c["line"].as_i64().unwrap_or(0),
                        })
                        .collect(),
                }
            }),
        _ => None,
    };
    Ok(CorrectionsView {
        stale,
        batches,
        lookup,
        history,
    })
}
