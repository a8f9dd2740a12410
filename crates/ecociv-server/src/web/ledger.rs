//! The registers' pages (台账, issue 13): `/z/{code}/ledgers` (the kinds, their records, the Excel templates,
//! and for reviewers the "compute from registers" form), `/z/{code}/ledgers/{ledger}` (a kind's records with
//! state and text filters), `/z/{code}/ledgers/{ledger}/records/{record}` (a record's every revision with who
//! and when). Members only. Reads through the store, writes through [`crate::service::ledger`].

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_ledger::{Kind, Role};
use ecociv_web::i18n::{fmt_timestamp, tf};
use ecociv_web::layout::urls::{self, encode};
use ecociv_web::layout::{Flash, FlashKind};
use ecociv_web::pages::ledger::{
    KindItem, KindListView, RecordItem, RecordListView, RecordView, RevisionItem, SamplesView, render_kind_list,
    render_record, render_record_list,
};

use super::{Web, WebError, WebResult, context, html};
use crate::AppState;
use crate::policy;
use crate::service::ledger::{self as service, Filter};

fn member(web: &Web, code: &str) -> WebResult<Option<crate::auth::ZoneRole>> {
    let Some(principal) = web.principal.as_deref() else {
        return Err(WebError::Login { next: web.path.clone() });
    };
    let role = policy::role(Some(principal), code);
    if !policy::can_read_internal(role.as_ref()) {
        return Err(WebError::Forbidden(web.lang));
    }
    Ok(role)
}

fn kinds_path(code: &str) -> String {
    urls::ledgers(code)
}

fn kind_path(code: &str, kind: &str) -> String {
    urls::ledger(code, kind)
}

/// The columns' Chinese names and a revision's texts in that order.
fn cells(kind: &Kind, revision: &ecociv_ledger::RecordRevision) -> Vec<String> {
    ecociv_ledger::record::columns(kind)
        .into_iter()
        .skip(1)
        .map(|(id, _)| match id.as_str() {
            ecociv_ledger::kind::STATE => revision.state.clone().unwrap_or_default(),
            ecociv_ledger::kind::STATE_DATE => revision.state_date.map(|d| d.to_string()).unwrap_or_default(),
            _ => revision.cells.get(&id).map(|c| c.to_string()).unwrap_or_default(),
        })
        .collect()
}

fn column_names(kind: &Kind) -> Vec<String> {
    ecociv_ledger::record::columns(kind)
        .into_iter()
        .map(|(_, name)| name)
        .collect()
}

async fn list_page(state: &AppState, web: &Web, code: &str, flash: Option<Flash>) -> WebResult<Response> {
    let role = member(web, code)?;
    let record = state.store.zone(code).await?.ok_or(WebError::NotFound(web.lang))?;
    let (_, kinds) = service::zone_kinds(state, code)
        .await
        .map_err(|e| WebError::from_api(web, e))?;
    let counts = state.store.ledger_counts(code).await?;
    let lang = web.lang;
    let items = kinds
        .iter()
        .map(|k| {
            let count = counts.iter().find(|c| c.kind_id == k.id);
            let mut rows: Vec<String> = k
                .feeds
                .iter()
                .map(|f| match f.role {
                    Role::Value => tf(lang, "ledger.row", &[("row", &f.row)]),
                    Role::Input => format!(
                        "{}（{}）",
                        tf(lang, "ledger.row", &[("row", &f.row)]),
                        f.label.clone().unwrap_or_default()
                    ),
                })
                .collect();
            rows.dedup();
            KindItem {
                name: k.name.clone(),
                version: k.version,
                department: k.department.clone(),
                rows: rows.join("、"),
                records: count.map_or(0, |c| c.records),
                revisions: count.map_or(0, |c| c.revisions),
                href: kind_path(code, &k.id),
                template_href: format!("/api/v1/zones/{}/ledgers/{}/template.xlsx", encode(code), encode(&k.id)),
            }
        })
        .collect();
    let view = KindListView {
        kinds: items,
        can_compute: policy::can_review(role.as_ref()),
        compute_action: format!("{}/compute", kinds_path(code)),
        year: crate::demo::DEMO_LEDGER_YEAR,
    };
    let ctx = context(web, Some(&record), None, flash);
    Ok(html(StatusCode::OK, render_kind_list(&ctx, &view)))
}

/// `GET /z/{code}/ledgers[?done=computed&n=&unchanged=]`.
pub async fn list(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let flash = (query.get("done").map(String::as_str) == Some("computed")).then(|| Flash {
        kind: FlashKind::Success,
        text: tf(
            web.lang,
            "ledger.computed",
            &[
                ("n", &query.get("n").and_then(|n| n.parse::<u64>().ok()).unwrap_or(0)),
                (
                    "unchanged",
                    &query.get("unchanged").and_then(|n| n.parse::<u64>().ok()).unwrap_or(0),
                ),
            ],
        ),
    });
    list_page(&state, &web, &code, flash).await
}

/// `POST /z/{code}/ledgers/compute` (`year`, `status`): the year's fed rows saved; POST-redirect-GET.
pub async fn compute(
    State(state): State<AppState>,
    web: Web,
    user: crate::auth::AuthUser,
    Path(code): Path<String>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let role = member(&web, &code)?.ok_or(WebError::Forbidden(web.lang))?;
    if !policy::can_review(Some(&role)) {
        return Err(WebError::Forbidden(web.lang));
    }
    let fields: BTreeMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let lang = web.lang;
    let year = fields.get("year").map(|y| y.trim());
    let status = fields.get("status").map(String::as_str);
    let request =
        crate::service::computed::form_request(&user, &role, &code, year, status).ok_or(WebError::BadRequest(lang))?;
    match service::compute_and_save(&state, request).await {
        Ok(result) => Ok(Redirect::to(&format!(
            "{}?done=computed&n={}&unchanged={}",
            kinds_path(&code),
            result["saved"].as_u64().unwrap_or(0),
            result["unchanged"].as_u64().unwrap_or(0)
        ))
        .into_response()),
        Err(refusal) => {
            let flash = Flash {
                kind: FlashKind::Error,
                text: tf(lang, "ledger.refused", &[("reason", &refusal.message)]),
            };
            list_page(&state, &web, &code, Some(flash)).await
        }
    }
}

/// `GET /z/{code}/ledgers/{ledger}?state=&q=`.
pub async fn records(
    State(state): State<AppState>,
    web: Web,
    Path((code, ledger)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let role = member(&web, &code)?;
    let record = state.store.zone(&code).await?.ok_or(WebError::NotFound(web.lang))?;
    let (_, kinds) = service::zone_kinds(&state, &code)
        .await
        .map_err(|e| WebError::from_api(&web, e))?;
    let kind = kinds
        .iter()
        .find(|k| k.id == ledger)
        .ok_or(WebError::NotFound(web.lang))?;
    let keeper = match &role {
        Some(role) => service::may_import(&state.store, &code, role, kind)
            .await
            .map_err(|e| WebError::from_api(&web, e))?,
        None => false,
    };
    let filter = Filter {
        state: query.get("state").cloned(),
        text: query.get("q").cloned(),
    };
    let listed = service::records(&state.store, &code, kind, &filter).await?;
    let samples = match &kind.samples {
        Some(samples) => Some(record_samples(&state, &web, &code, samples).await?),
        None => None,
    };
    let owner_of = |revision: &ecociv_ledger::RecordRevision| {
        let samples = kind.samples.as_ref()?;
        revision
            .cells
            .get(&samples.field)
            .map(|c| c.to_string().trim().to_owned())
    };
    let mut matched = std::collections::BTreeSet::new();
    let view = RecordListView {
        name: kind.name.clone(),
        version: kind.version,
        department: kind.department.clone(),
        source: kind.source.clone(),
        columns: column_names(kind),
        records: listed
            .iter()
            .map(|l| RecordItem {
                id: l.latest.revision.record_id.clone(),
                href: urls::ledger_record(&code, &kind.id, &l.latest.revision.record_id),
                cells: cells(kind, &l.latest.revision),
                revisions: l.revisions,
                synthetic: l.latest.revision.synthetic,
                samples: owner_of(&l.latest.revision).and_then(|owner| {
                    let (_, owners) = samples.as_ref()?;
                    let found = owners.get(&owner)?;
                    matched.insert(owner);
                    Some(tf(
                        web.lang,
                        "ledger.samples_cell",
                        &[("n", &found.samples.len()), ("worst", &found.worst.1)],
                    ))
                }),
            })
            .collect(),
        states: kind.lifecycle.as_ref().map(|l| l.states.clone()).unwrap_or_default(),
        state: filter.state.clone().unwrap_or_default(),
        q: filter.text.clone().unwrap_or_default(),
        action: kind_path(&code, &kind.id),
        back: kinds_path(&code),
        template_href: format!(
            "/api/v1/zones/{}/ledgers/{}/template.xlsx",
            encode(&code),
            encode(&kind.id)
        ),
        new_href: keeper.then(|| entry_path(&code, &kind.id)),
        samples: None,
    };
    let view = RecordListView {
        samples: samples.map(|(mut samples, owners)| {
            // Only a filtered list's records are shown: a sample is unmatched when no record of the
            // register (filter or not) is its owner — the list is complete when unfiltered.
            if filter.state.is_none() && filter.text.is_none() {
                samples.unmatched = owners
                    .iter()
                    .filter(|(owner, _)| !matched.contains(*owner))
                    .flat_map(|(_, found)| found.samples.iter().cloned())
                    .collect();
            }
            samples
        }),
        ..view
    };
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(StatusCode::OK, render_record_list(&ctx, &view)))
}

/// The judged monitoring samples a kind keeps with its records (its `[samples]`), grouped by the record
/// they belong to, with the page that shows them; the soil page's stored judgements (recomputed in the
/// background when stale, as that page does).
async fn record_samples(
    state: &AppState,
    web: &Web,
    code: &str,
    samples: &ecociv_ledger::kind::Samples,
) -> WebResult<(SamplesView, BTreeMap<String, crate::noise_soil::OwnerSamples>)> {
    use crate::noise_soil::{SOIL, SOIL_YEAR, SoilResult};
    let api = |error| WebError::from_api(web, error);
    let framework = crate::monitoring_results::zone_framework(&state.store, code)
        .await
        .map_err(api)?;
    let years = super::pages::page_years(state, web, &framework, code, SOIL).await?;
    let result: Option<SoilResult> =
        crate::monitoring_results::stored_result(&state.store, code, SOIL, SOIL_YEAR, &years)
            .await
            .map_err(api)?;
    let rows = match (ecociv_monitoring::kind::Kind::parse(&samples.kind), &result) {
        (Some(kind), Some(result)) => crate::noise_soil::rows_of(result, kind).unwrap_or_default(),
        _ => &[],
    };
    let owners = crate::noise_soil::by_owner(rows);
    let example = owners
        .iter()
        .next()
        .and_then(|(owner, found)| Some(format!("{} → {owner}", found.samples.iter().next()?)))
        .unwrap_or_else(|| "甲地块-S1 → 甲地块".to_owned());
    let view = SamplesView {
        href: format!("{}#soil-h", urls::noise_soil(code)),
        example,
        unmatched: Vec::new(),
        pending: years.version > 0 && result.is_none(),
    };
    Ok((view, owners))
}

/// `GET /z/{code}/ledgers/{ledger}/records/{record}[?done=file|saved]`.
pub async fn record(
    State(state): State<AppState>,
    web: Web,
    Path((code, ledger, id)): Path<(String, String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let done = query.get("done").map(String::as_str);
    record_page(&state, &web, &code, &ledger, &id, None, done).await
}

fn record_path(code: &str, kind: &str, record: &str) -> String {
    urls::ledger_record(code, kind, record)
}

async fn record_page(
    state: &AppState,
    web: &Web,
    code: &str,
    ledger: &str,
    id: &str,
    error: Option<&'static str>,
    done: Option<&str>,
) -> WebResult<Response> {
    let role = member(web, code)?;
    let zone = state.store.zone(code).await?.ok_or(WebError::NotFound(web.lang))?;
    let (_, kinds) = service::zone_kinds(state, code)
        .await
        .map_err(|e| WebError::from_api(web, e))?;
    let kind = kinds
        .iter()
        .find(|k| k.id == ledger)
        .ok_or(WebError::NotFound(web.lang))?;
    let history = state.store.ledger_record(code, &kind.id, id).await?;
    if history.is_empty() {
        return Err(WebError::NotFound(web.lang));
    }
    let lang = web.lang;
    let closed = match (
        &kind.lifecycle,
        history.last().and_then(|r| r.revision.state.as_deref()),
    ) {
        (Some(lifecycle), Some(state)) => lifecycle.closed.iter().any(|c| c == state),
        _ => false,
    };
    let may_attach = match &role {
        Some(role) => service::may_import(&state.store, code, role, kind)
            .await
            .map_err(|e| WebError::from_api(web, e))?,
        None => false,
    };
    let stored = state.store.record_evidence_list(code, &kind.id, id).await?;
    let files = super::files::rows(state, stored.iter().map(|e| &e.file), |file_id| {
        crate::api::ledger::record_evidence_href(code, file_id)
    })
    .await?;
    let view = RecordView {
        kind_name: kind.name.clone(),
        record_id: id.to_string(),
        columns: column_names(kind).into_iter().skip(1).collect(),
        synthetic: history.iter().any(|r| r.revision.synthetic),
        revisions: history
            .iter()
            .map(|r| RevisionItem {
                no: r.revision_no,
                cells: cells(kind, &r.revision),
                author: r.author.clone(),
                when: fmt_timestamp(lang, &r.created_at),
                origin: match r.revision.origin.line {
                    Some(line) => format!("{}:{line}", r.revision.origin.file),
                    None => r.revision.origin.file.clone(),
                },
                kind_version: r.kind_version,
            })
            .collect(),
        back: kind_path(code, &kind.id),
        files,
        upload_action: may_attach.then(|| urls::ledger_evidence(code, &kind.id, id)),
        max_mb: crate::api::evidence::MAX_EVIDENCE_BYTES >> 20,
        error: error.map(str::to_string),
        uploaded: done == Some("file"),
        saved: done == Some("saved"),
        // A record in a closed state (销号) takes no further revision.
        revise_href: (may_attach && !closed).then(|| format!("{}?record={}", entry_path(code, &kind.id), encode(id))),
    };
    let ctx = context(web, Some(&zone), None, None);
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(html(status, render_record(&ctx, &view)))
}

/// `POST /z/{code}/ledgers/{ledger}/records/{record}/evidence` (multipart: `file`): the file stored with
/// the record — checked as the API checks it (name, not empty, at most
/// [`crate::api::evidence::MAX_EVIDENCE_BYTES`]); POST-redirect-GET; a refused file comes back on the page
/// with the reason next to the field.
pub async fn upload_evidence(
    State(state): State<AppState>,
    web: Web,
    user: crate::auth::AuthUser,
    Path((code, ledger, id)): Path<(String, String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let role = member(&web, &code)?.ok_or(WebError::Forbidden(web.lang))?;
    let (_, kinds) = service::zone_kinds(&state, &code)
        .await
        .map_err(|e| WebError::from_api(&web, e))?;
    let kind = kinds
        .iter()
        .find(|k| k.id == ledger)
        .ok_or(WebError::NotFound(web.lang))?;
    if !service::may_import(&state.store, &code, &role, kind)
        .await
        .map_err(|e| WebError::from_api(&web, e))?
    {
        return Err(WebError::Forbidden(web.lang));
    }
    if state.store.ledger_record(&code, &kind.id, &id).await?.is_empty() {
        return Err(WebError::NotFound(web.lang));
    }
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !crate::multipart::is_multipart(Some(content_type)) {
        return Err(WebError::BadRequest(web.lang));
    }
    let max = crate::api::evidence::MAX_EVIDENCE_BYTES;
    let form = match crate::multipart::parse(content_type, body, max, None).await {
        Ok(form) => form,
        Err(crate::multipart::MultipartError::FileTooLarge(..)) => {
            return record_page(
                &state,
                &web,
                &code,
                &ledger,
                &id,
                Some("entry.error.file_too_large"),
                None,
            )
            .await;
        }
        Err(_) => return Err(WebError::BadRequest(web.lang)),
    };
    let Some(file) = form
        .files
        .iter()
        .find(|f| f.field == "file")
        .filter(|f| !f.file_name.trim().is_empty() || !f.content.is_empty())
    else {
        return record_page(&state, &web, &code, &ledger, &id, Some("entry.error.file_empty"), None).await;
    };
    let mut file_headers = axum::http::HeaderMap::new();
    if let Ok(value) = axum::http::HeaderValue::from_str(&file.media_type) {
        file_headers.insert(axum::http::header::CONTENT_TYPE, value);
    }
    let Ok(checked) = crate::api::evidence::check_upload(file.file_name.trim(), &file_headers, &file.content) else {
        let key = if file.content.is_empty() {
            "entry.error.file_empty"
        } else {
            "entry.error.file_name"
        };
        return record_page(&state, &web, &code, &ledger, &id, Some(key), None).await;
    };
    state
        .store
        .add_record_evidence(
            &code,
            &kind.id,
            &id,
            &checked.name,
            &checked.media_type,
            &checked.sha256,
            file.content.to_vec(),
            &user.0.user.id,
        )
        .await?;
    Ok(Redirect::to(&format!("{}?done=file", record_path(&code, &kind.id, &id))).into_response())
}

/// How many of a figure's records the indicator page links by name.
const LINKED_RECORDS: usize = 20;

/// The figures the zone's stored registers give for `row` in `year`, with their arithmetic, for the
/// indicator page (members): every feed of the row of every kind with records (a feed giving no figure —
/// no records of the year, a zero denominator — is left out).
pub async fn indicator_figures(
    state: &AppState,
    code: &str,
    row: &str,
    year: i32,
) -> Result<Vec<ecociv_web::pages::indicator::LedgerFigure>, crate::error::ApiError> {
    use ecociv_web::pages::indicator::{LedgerFigure, LedgerTerm};
    let (framework, kinds) = service::zone_kinds(state, code).await?;
    let counts = state.store.ledger_counts(code).await?;
    let row_format = framework
        .row(row)
        .map(|(_, r)| ecociv_core::format::RowFormat::for_row(r));
    let mut out = Vec::new();
    for kind in &kinds {
        if !kind.feeds.iter().any(|f| f.row == row) || !counts.iter().any(|c| c.kind_id == kind.id) {
            continue;
        }
        let ledger = state.store.ledger_of_kind(code, &kind.id).await?;
        for feed in kind.feeds.iter().filter(|f| f.row == row) {
            let Ok(d) = ecociv_ledger::derive(&framework, kind, feed, &ledger, year) else {
                continue;
            };
            let with_unit = |value: f64| match (&row_format, &d.role) {
                (Some(format), Role::Value) => format.with_unit(value),
                _ => format!(
                    "{}{}",
                    ecociv_core::num::show(value),
                    ecociv_core::format::unit_suffix(&d.unit)
                ),
            };
            let term = |t: &ecociv_ledger::derive::Term| LedgerTerm {
                label: t.label.clone(),
                value: ecociv_core::num::show(t.value),
                records: t.records.len(),
            };
            out.push(LedgerFigure {
                register: format!("{}（第{}版）", d.kind_name, d.kind_version),
                register_href: kind_path(code, &kind.id),
                label: d.label.clone(),
                value: with_unit(d.value),
                input: d.role == Role::Input,
                method: d.method.clone(),
                numerator: d.numerator.as_ref().map(term),
                denominator: d.denominator.as_ref().map(term),
                base: d.base.map(|(y, v)| (y, with_unit(v))),
                records: d
                    .records
                    .iter()
                    .take(LINKED_RECORDS)
                    .map(|id| (id.clone(), urls::ledger_record(code, &kind.id, id)))
                    .collect(),
                more: d.records.len().saturating_sub(LINKED_RECORDS),
                covers: d.covers.clone(),
                doubt: d.doubt.clone(),
                synthetic: d.synthetic,
            });
        }
    }
    Ok(out)
}

fn entry_path(code: &str, kind: &str) -> String {
    urls::ledger_new(code, kind)
}

/// A problem's message in the page's language: on a Chinese page the Chinese part only (the readers write
/// `中文 (English)`).
fn message_for(lang: ecociv_web::Lang, message: &str) -> String {
    if lang == ecociv_web::Lang::En {
        return message.to_string();
    }
    match message.rfind(" (") {
        Some(i) if message.ends_with(')') && message[i + 2..].is_ascii() => message[..i].to_string(),
        _ => message.to_string(),
    }
}

/// The form's fields, generated from the kind: 编号, each declared field, then 状态 and 状态日期 for a
/// lifecycle; `values` by column id; `errors` by column id.
fn entry_fields(
    kind: &Kind,
    values: &BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
    existing: bool,
) -> Vec<ecociv_web::pages::ledger::EntryField> {
    use ecociv_ledger::FieldType;
    use ecociv_ledger::kind::{RECORD_ID, STATE, STATE_DATE};
    use ecociv_web::pages::ledger::{EntryField, EntryInput};
    let value = |id: &str| values.get(id).cloned().unwrap_or_default();
    let error = |id: &str| errors.get(id).cloned();
    let mut out = vec![EntryField {
        name: RECORD_ID.to_string(),
        label: "编号".to_string(),
        input: EntryInput::Text,
        required: true,
        unit: None,
        hint: None,
        value: value(RECORD_ID),
        error: error(RECORD_ID),
        readonly: existing,
    }];
    for field in &kind.fields {
        let input = match &field.ty {
            FieldType::Text => EntryInput::Text,
            FieldType::Number | FieldType::Integer | FieldType::Year => EntryInput::Number,
            FieldType::Date => EntryInput::Date,
            FieldType::Bool => EntryInput::Choice(vec!["是".to_string(), "否".to_string()]),
            FieldType::Choice(options) => EntryInput::Choice(options.clone()),
        };
        let range = field
            .range
            .map(|(low, high)| format!("{}–{}", ecociv_core::num::show(low), ecociv_core::num::show(high)));
        let hint = match (&field.note, range) {
            (Some(note), Some(range)) => Some(format!("{note}；{range}")),
            (Some(note), None) => Some(note.clone()),
            (None, range) => range,
        };
        out.push(EntryField {
            name: field.id.clone(),
            label: field.name.clone(),
            input,
            required: field.required,
            unit: field.unit.clone(),
            hint,
            value: value(&field.id),
            error: error(&field.id),
            readonly: false,
        });
    }
    if let Some(lifecycle) = &kind.lifecycle {
        out.push(EntryField {
            name: STATE.to_string(),
            label: "状态".to_string(),
            input: EntryInput::Choice(lifecycle.states.clone()),
            required: true,
            unit: None,
            hint: Some(format!(
                "{}可变更：{}",
                if lifecycle.import_any_state {
                    String::new()
                } else {
                    format!("首次登记为“{}”；", lifecycle.initial)
                },
                lifecycle
                    .transitions
                    .iter()
                    .map(|(a, b)| format!("{a}→{b}"))
                    .collect::<Vec<_>>()
                    .join("，")
            )),
            value: value(STATE),
            error: error(STATE),
            readonly: false,
        });
        out.push(EntryField {
            name: STATE_DATE.to_string(),
            label: "状态日期".to_string(),
            input: EntryInput::Date,
            required: true,
            unit: None,
            hint: None,
            value: value(STATE_DATE),
            error: error(STATE_DATE),
            readonly: false,
        });
    }
    out
}

/// The keeper's kind, or the refusal.
async fn keeper_kind(state: &AppState, web: &Web, code: &str, ledger: &str) -> WebResult<(Kind, ZoneRecordRef)> {
    let role = member(web, code)?.ok_or(WebError::Forbidden(web.lang))?;
    let zone = state.store.zone(code).await?.ok_or(WebError::NotFound(web.lang))?;
    let (_, kinds) = service::zone_kinds(state, code)
        .await
        .map_err(|e| WebError::from_api(web, e))?;
    let kind = kinds
        .into_iter()
        .find(|k| k.id == ledger)
        .ok_or(WebError::NotFound(web.lang))?;
    if !service::may_import(&state.store, code, &role, &kind)
        .await
        .map_err(|e| WebError::from_api(web, e))?
    {
        return Err(WebError::Forbidden(web.lang));
    }
    Ok((kind, zone))
}

type ZoneRecordRef = ecociv_store::ZoneRecord;

#[allow(clippy::too_many_arguments)]
fn entry_page(
    web: &Web,
    zone: &ZoneRecordRef,
    code: &str,
    kind: &Kind,
    record_id: Option<&str>,
    values: &BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
    general: Vec<String>,
) -> Response {
    let view = ecociv_web::pages::ledger::EntryFormView {
        kind_name: kind.name.clone(),
        record_id: record_id.map(str::to_string),
        action: entry_path(code, &kind.id),
        back: match record_id {
            Some(id) => record_path(code, &kind.id, id),
            None => kind_path(code, &kind.id),
        },
        fields: entry_fields(kind, values, errors, record_id.is_some()),
        errors: general,
    };
    let ctx = context(web, Some(zone), None, None);
    let status = if errors.is_empty() && view.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    html(status, ecociv_web::pages::ledger::render_entry_form(&ctx, &view))
}

/// `GET /z/{code}/ledgers/{ledger}/new[?record=ID]`: the kind's entry form, empty, or filled with the
/// record's latest revision for its next one. The kind's keepers.
pub async fn entry_form(
    State(state): State<AppState>,
    web: Web,
    Path((code, ledger)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    let (kind, zone) = keeper_kind(&state, &web, &code, &ledger).await?;
    let mut values = BTreeMap::new();
    let record_id = query
        .get("record")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if let Some(id) = &record_id {
        let history = state.store.ledger_record(&code, &kind.id, id).await?;
        let latest = history.last().ok_or(WebError::NotFound(web.lang))?;
        for ((column, _), text) in ecociv_ledger::record::columns(&kind)
            .into_iter()
            .skip(1)
            .zip(cells(&kind, &latest.revision))
        {
            values.insert(column, text);
        }
        values.insert(ecociv_ledger::kind::RECORD_ID.to_string(), id.clone());
    }
    Ok(entry_page(
        &web,
        &zone,
        &code,
        &kind,
        record_id.as_deref(),
        &values,
        &BTreeMap::new(),
        Vec::new(),
    ))
}

/// `POST /z/{code}/ledgers/{ledger}/new`: one revision from the form, checked as an imported line is —
/// every field against the kind, then the lifecycle step against the record's history — and stored as a
/// one-line import (`页面录入`), all or nothing; a refused form comes back with each reason next to its
/// field. POST-redirect-GET to the record's page.
pub async fn entry_post(
    State(state): State<AppState>,
    web: Web,
    user: crate::auth::AuthUser,
    Path((code, ledger)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (kind, zone) = keeper_kind(&state, &web, &code, &ledger).await?;
    let values: BTreeMap<String, String> = form_urlencoded::parse(&body)
        .into_owned()
        .filter(|(k, _)| k != crate::csrf::CSRF_FIELD)
        .collect();
    let record_id = values
        .get(ecociv_ledger::kind::RECORD_ID)
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    let existing = !record_id.is_empty() && !state.store.ledger_record(&code, &kind.id, &record_id).await?.is_empty();
    let origin = ecociv_ledger::Origin {
        file: "页面录入".to_string(),
        line: None,
    };
    let cells: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let problems = match ecociv_ledger::record::revision_from_cells(&kind, &cells, &origin, false) {
        Ok(revision) => {
            let meta = ecociv_store::ledger::ImportMeta {
                file_name: "页面录入".to_string(),
                sha256: String::new(),
                author: user.0.user.username.clone(),
            };
            match state
                .store
                .import_ledger_records(&code, &kind, meta, vec![revision])
                .await?
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("{}?done=saved", record_path(&code, &kind.id, &record_id)))
                            .into_response(),
                    );
                }
                Err(error) => error.problems,
            }
        }
        Err(problems) => problems,
    };
    // Each problem beside its field (the field is named `名称(id)`); the rest above the form.
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut general = Vec::new();
    for p in &problems {
        let id = p
            .field
            .as_deref()
            .and_then(|f| {
                f.rsplit_once('(')
                    .map(|(_, rest)| rest.trim_end_matches(')').to_string())
            })
            .filter(|id| values.contains_key(id) || ecociv_ledger::record::columns(&kind).iter().any(|(c, _)| c == id));
        let message = message_for(web.lang, &p.message);
        match id {
            Some(id) => {
                errors.entry(id).or_insert(message);
            }
            None => general.push(message),
        }
    }
    Ok(entry_page(
        &web,
        &zone,
        &code,
        &kind,
        existing.then_some(record_id.as_str()),
        &values,
        &errors,
        general,
    ))
}
