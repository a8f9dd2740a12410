//! Registers (台账, issue 13) on the API: the zone's kinds with their stored records, a kind's records
//! (filtered), one record's history, a kind's Excel template, the import of a file of records (CSV or
//! xlsx; all or nothing, problems with file, line and field or sheet and cell), the figures derived for a
//! year, and "compute from registers" (the rows fed saved as values through the workflow).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use ecociv_ledger::Role;
use ecociv_store::ledger::StoredRevision;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::service::ledger::{self as service, Filter, Upload};
use crate::service::member_zone;

/// `GET /api/v1/zones/{code}/ledgers`: every kind, its department, rows fed and stored records.
pub async fn kinds(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let (_, kinds) = service::zone_kinds(&state, &code).await?;
    let counts = state.store.ledger_counts(&code).await?;
    let list: Vec<Value> = kinds
        .iter()
        .map(|k| {
            let count = counts.iter().find(|c| c.kind_id == k.id);
            json!({
                "id": k.id,
                "version": k.version,
                "name": k.name,
                "name_en": k.name_en,
                "department": k.department,
                "source": k.source,
                "rows": k.feeds.iter().map(|f| json!({"row": f.row, "role": match f.role { Role::Value => "value", Role::Input => "input" }})).collect::<Vec<_>>(),
                "records": count.map_or(0, |c| c.records),
                "revisions": count.map_or(0, |c| c.revisions),
            })
        })
        .collect();
    Ok(Json(json!({ "zone": code, "kinds": list })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
}

/// `GET /api/v1/zones/{code}/ledgers/{ledger}?state=&q=`: the kind's records, latest revision each.
pub async fn records(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, ledger)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let (_, kinds) = service::zone_kinds(&state, &code).await?;
    let kind = service::find_kind(&kinds, &ledger)?;
    let filter = Filter {
        state: query.state,
        text: query.q,
    };
    let listed = service::records(&state.store, &code, kind, &filter).await?;
    Ok(Json(json!({
        "zone": code,
        "kind": kind.id,
        "kind_version": kind.version,
        "records": listed.iter().map(|l| {
            let mut v = service::revision_json(&l.latest);
            v["revisions"] = json!(l.revisions);
            v
        }).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/zones/{code}/ledgers/{ledger}/records/{record}`: every revision of a record, oldest first.
pub async fn record(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, ledger, record)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    let (_, kinds) = service::zone_kinds(&state, &code).await?;
    let kind = service::find_kind(&kinds, &ledger)?;
    let history: Vec<StoredRevision> = state.store.ledger_record(&code, &kind.id, &record).await?;
    if history.is_empty() {
        return Err(ApiError::not_found(format!("台账记录 (record) {record}")));
    }
    let evidence = state.store.record_evidence_list(&code, &kind.id, &record).await?;
    Ok(Json(json!({
        "zone": code,
        "kind": kind.id,
        "record_id": record,
        "revisions": history.iter().map(service::revision_json).collect::<Vec<_>>(),
        "evidence": evidence.iter().map(record_evidence_json).collect::<Vec<_>>(),
    })))
}

/// The JSON of a record's evidence file (without its bytes), with its download link.
pub fn record_evidence_json(evidence: &ecociv_store::RecordEvidence) -> Value {
    json!({
        "id": evidence.id,
        "kind": evidence.kind_id,
        "record_id": evidence.record_id,
        "file_name": evidence.file_name,
        "media_type": evidence.media_type,
        "size_bytes": evidence.size_bytes,
        "sha256": evidence.sha256,
        "uploaded_by": evidence.uploaded_by,
        "at": evidence.created_at,
        "download": record_evidence_href(&evidence.zone_code, &evidence.id),
    })
}

/// Where a record's evidence file is downloaded.
pub fn record_evidence_href(code: &str, id: &str) -> String {
    format!(
        "/api/v1/zones/{}/ledger-evidence/{}",
        ecociv_web::layout::urls::encode(code),
        ecociv_web::layout::urls::encode(id)
    )
}

/// `POST /api/v1/zones/{code}/ledgers/{ledger}/records/{record}/evidence?name=FILE`: the body is the file
/// (at most [`crate::api::evidence::MAX_EVIDENCE_BYTES`], its name and type checked as a value's evidence
/// is). Who may import the kind's records may attach files to them.
pub async fn upload_evidence(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, ledger, record)): Path<(String, String, String)>,
    Query(query): Query<crate::api::evidence::UploadQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let (_, kinds) = service::zone_kinds(&state, &code).await?;
    let kind = service::find_kind(&kinds, &ledger)?;
    if !service::may_import(&state.store, &code, &role, kind).await? {
        return Err(ApiError::forbidden());
    }
    let checked = crate::api::evidence::check_upload(&query.name, &headers, &body)?;
    let stored = state
        .store
        .add_record_evidence(
            &code,
            &kind.id,
            &record,
            &checked.name,
            &checked.media_type,
            &checked.sha256,
            body.to_vec(),
            &principal.0.user.id,
        )
        .await?;
    Ok(Json(record_evidence_json(&stored)))
}

/// `GET /api/v1/zones/{code}/ledger-evidence/{id}`: a record's evidence file, always as a download.
/// Members.
pub async fn download_evidence(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, id)): Path<(String, String)>,
) -> ApiResult<axum::response::Response> {
    member_zone(&state, &principal, &code).await?;
    let (evidence, content) = state.store.record_evidence(&code, &id).await?;
    crate::api::evidence::attachment(&evidence.file_name, content)
}

/// `GET /api/v1/zones/{code}/ledgers/{ledger}/template.xlsx`: the kind's Excel template.
pub async fn template(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, ledger)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    member_zone(&state, &principal, &code).await?;
    let (_, kinds) = service::zone_kinds(&state, &code).await?;
    let kind = service::find_kind(&kinds, &ledger)?;
    let bytes = ecociv_report::ledger::template(kind).map_err(|e| ApiError::internal(e.to_string()))?;
    let name = format!("{}.xlsx", kind.id);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The file's name (provenance; `.xlsx` for a workbook; `SYNTHETIC` in it marks demo data).
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub dry_run: bool,
}

/// `POST /api/v1/zones/{code}/ledgers/{ledger}/import?file=NAME&dry_run=true`: the body is the file.
pub async fn import(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, ledger)): Path<(String, String)>,
    Query(query): Query<ImportQuery>,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    // Who may import is decided before the body is read.
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let (_, kinds) = service::zone_kinds(&state, &code).await?;
    let kind = service::find_kind(&kinds, &ledger)?.clone();
    if !service::may_import(&state.store, &code, &role, &kind).await? {
        return Err(ApiError::forbidden());
    }
    let file =
        crate::service::monitoring::check_file_name(query.file.as_deref().unwrap_or(&format!("{}.csv", kind.id)))?;
    // The body goes to a temporary file as it arrives ([`crate::spool`], the one mechanism of large
    // uploads): a CSV is then read as a stream while its records are stored, never whole in memory; a
    // workbook (a zip) is read whole, as its format requires.
    let spooled = crate::spool::spool_body(body, service::MAX_LEDGER_BYTES as u64, None).await?;
    let upload = Upload::from_spooled(&file, &spooled).map_err(ApiError::internal)?;
    let outcome = service::import(
        &state.store,
        &code,
        &kind,
        &file,
        upload,
        &principal.user.username,
        query.dry_run,
    )
    .await?
    .map_err(|error| service::refused(&error))?;
    let mut json = service::outcome_json(&kind, &file, &outcome);
    json["dry_run"] = json!(query.dry_run);
    Ok(Json(json))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    pub year: i32,
}

/// `GET /api/v1/zones/{code}/ledgers/derived?year=YYYY`: every figure the stored records give for the year.
pub async fn derived(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<YearQuery>,
) -> ApiResult<Json<Value>> {
    member_zone(&state, &principal, &code).await?;
    crate::validate::check_year(query.year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let (framework, kinds) = service::zone_kinds(&state, &code).await?;
    let (done, none) = service::derive_year(&state.store, &framework, &kinds, &code, query.year).await?;
    Ok(Json(json!({
        "zone": code,
        "year": query.year,
        "figures": done.iter().map(service::derivation_json).collect::<Vec<_>>(),
        "refused": none.iter().map(|n| json!({"row": n.row, "reason": n.reason_zh, "reason_en": n.reason_en})).collect::<Vec<_>>(),
    })))
}

/// `POST /api/v1/zones/{code}/ledgers/compute?year=YYYY[&status=draft|submitted][&dry_run=true]`.
pub async fn compute(
    State(state): State<AppState>,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<crate::service::computed::ComputeQuery>,
) -> ApiResult<Json<Value>> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let request = crate::service::computed::request(&principal, &role, &code, &query)?;
    Ok(Json(service::compute_and_save(&state, request).await?))
}
