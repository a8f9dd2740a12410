//! The registers' pages (台账, issue 13): `/z/{code}/ledgers` (the kinds, their records, the Excel templates,
//! and for reviewers the "compute from registers" form), `/z/{code}/ledgers/{ledger}` (a kind's records with
//! state and text filters), `/z/{code}/ledgers/{ledger}/records/{record}` (a record's every revision with who
//! and when). Members only. Reads through the store, writes through [`crate::service::ledger`].

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_ledger::{Kind, Role};
use ecociv_web::i18n::{fmt_timestamp, t, tf};
use ecociv_web::layout::urls::encode;
use ecociv_web::layout::{Flash, FlashKind};
use ecociv_web::pages::ledger::{
    KindItem, KindListView, RecordItem, RecordListView, RecordView, RevisionItem, render_kind_list, render_record,
    render_record_list,
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
    format!("/z/{}/ledgers", encode(code))
}

fn kind_path(code: &str, kind: &str) -> String {
    format!("/z/{}/ledgers/{}", encode(code), encode(kind))
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
    let Some(year) = fields
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| ecociv_core::value::YEARS.contains(y))
    else {
        return Err(WebError::BadRequest(lang));
    };
    let status = crate::service::monitoring::compute_status(fields.get("status").map(String::as_str))
        .map_err(|_| WebError::BadRequest(lang))?;
    match service::compute_and_save(&state, &user, &role, &code, year, status, false).await {
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
    member(&web, &code)?;
    let record = state.store.zone(&code).await?.ok_or(WebError::NotFound(web.lang))?;
    let (_, kinds) = service::zone_kinds(&state, &code)
        .await
        .map_err(|e| WebError::from_api(&web, e))?;
    let kind = kinds
        .iter()
        .find(|k| k.id == ledger)
        .ok_or(WebError::NotFound(web.lang))?;
    let filter = Filter {
        state: query.get("state").cloned(),
        text: query.get("q").cloned(),
    };
    let listed = service::records(&state.store, &code, kind, &filter).await?;
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
                href: format!(
                    "{}/records/{}",
                    kind_path(&code, &kind.id),
                    encode(&l.latest.revision.record_id)
                ),
                cells: cells(kind, &l.latest.revision),
                revisions: l.revisions,
                synthetic: l.latest.revision.synthetic,
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
    };
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(StatusCode::OK, render_record_list(&ctx, &view)))
}

/// `GET /z/{code}/ledgers/{ledger}/records/{record}`.
pub async fn record(
    State(state): State<AppState>,
    web: Web,
    Path((code, ledger, id)): Path<(String, String, String)>,
) -> WebResult<Response> {
    member(&web, &code)?;
    let zone = state.store.zone(&code).await?.ok_or(WebError::NotFound(web.lang))?;
    let (_, kinds) = service::zone_kinds(&state, &code)
        .await
        .map_err(|e| WebError::from_api(&web, e))?;
    let kind = kinds
        .iter()
        .find(|k| k.id == ledger)
        .ok_or(WebError::NotFound(web.lang))?;
    let history = state.store.ledger_record(&code, &kind.id, &id).await?;
    if history.is_empty() {
        return Err(WebError::NotFound(web.lang));
    }
    let lang = web.lang;
    let view = RecordView {
        kind_name: kind.name.clone(),
        record_id: id.clone(),
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
        back: kind_path(&code, &kind.id),
    };
    let _ = t(lang, "ledger.title");
    let ctx = context(&web, Some(&zone), None, None);
    Ok(html(StatusCode::OK, render_record(&ctx, &view)))
}
