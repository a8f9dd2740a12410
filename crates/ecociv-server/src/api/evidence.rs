//! Evidence attachments (佐证材料) of values: upload, list, download.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ecociv_store::{Evidence, Status};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Code};
use crate::service::member_zone;
use crate::{policy, validate};

/// The largest attachment.
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

pub fn evidence_json(evidence: &Evidence) -> Value {
    json!({
        "id": evidence.id,
        "row": evidence.row_id,
        "year": evidence.year,
        "file_name": evidence.file_name,
        "media_type": evidence.media_type,
        "size_bytes": evidence.size_bytes,
        "sha256": evidence.sha256,
        "uploaded_by": evidence.uploaded_by,
        "at": evidence.created_at,
        "download": format!("/api/v1/zones/{}/evidence/{}", evidence.zone_code, evidence.id),
    })
}

async fn check_row(
    state: &AppState,
    principal: &AuthUser,
    code: &str,
    row_id: &str,
    year: i32,
    edit: bool,
) -> ApiResult<()> {
    let (record, role) = member_zone(state, principal, code).await?;
    let framework = state.store.framework(&record.framework_id).await?;
    validate::row(&framework, row_id).map_err(|problem| ApiError::not_found(problem.message))?;
    validate::check_year(year).map_err(|problem| ApiError::bad_request(problem.message))?;
    let leads = state.store.row_leads(code, row_id).await?;
    let allowed = if edit {
        policy::can_edit_row(Some(&role), &leads)
    } else {
        policy::can_read_row(Some(&role), &leads)
    };
    if allowed { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// `GET …/values/{row}/{year}/evidence`.
pub async fn list(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, row_id, year)): Path<(String, String, i32)>,
) -> ApiResult<Json<Value>> {
    check_row(&state, &principal, &code, &row_id, year, false).await?;
    let list = state.store.evidence_list(&code, &row_id, year).await?;
    Ok(Json(
        json!({ "evidence": list.iter().map(evidence_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file's name (URL-encoded UTF-8).
    pub name: String,
}

/// `POST …/values/{row}/{year}/evidence?name=FILE`: the body is the file; its Content-Type is kept.
/// Refused while the value is approved (locked).
pub async fn upload(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, row_id, year)): Path<(String, String, i32)>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    check_row(&state, &principal, &code, &row_id, year, true).await?;
    let checked = check_upload(&query.name, &headers, &body)?;
    if let Some(current) = state.store.current(&code, &row_id, year).await?
        && current.status == Status::Approved
    {
        return Err(ApiError::new(
            Code::ValueLocked,
            "数值已审核锁定，需重新打开后才能添加佐证材料 (approved: reopen first)",
        ));
    }
    let stored = state
        .store
        .add_evidence(
            &code,
            &row_id,
            year,
            &checked.name,
            &checked.media_type,
            &checked.sha256,
            body.to_vec(),
            &principal.0.user.id,
        )
        .await?;
    Ok(Json(evidence_json(&stored)))
}

/// An evidence file as checked for storing: its name, media type and SHA-256.
pub struct CheckedUpload {
    pub name: String,
    pub media_type: String,
    pub sha256: String,
}

/// The checks of every evidence upload through the API — a value's and a register record's: the name
/// (`validate::file_name`: no path, no control characters, bounded), not empty (the size is bounded by
/// the route's body limit, [`MAX_EVIDENCE_BYTES`]), the media type as sent (at most 100 characters), the
/// SHA-256 of the bytes.
pub fn check_upload(name: &str, headers: &HeaderMap, body: &[u8]) -> ApiResult<CheckedUpload> {
    let name = validate::file_name(name).ok_or_else(|| ApiError::bad_request("文件名无效 (invalid file name)"))?;
    if body.is_empty() {
        return Err(ApiError::bad_request("文件为空 (empty file)"));
    }
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    Ok(CheckedUpload {
        name: name.to_string(),
        media_type: media_type.chars().take(100).collect(),
        sha256: sha256_hex(body),
    })
}

/// The hex SHA-256 of an evidence file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /api/v1/zones/{code}/evidence/{id}`: the file, always as a download (never rendered inline).
pub async fn download(
    State(state): State<AppState>,
    principal: AuthUser,
    Path((code, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (_, role) = member_zone(&state, &principal, &code).await?;
    let (evidence, content) = state.store.evidence(&code, &id).await?;
    let leads = state.store.row_leads(&code, &evidence.row_id).await?;
    if !policy::can_read_row(Some(&role), &leads) {
        return Err(ApiError::forbidden());
    }
    attachment(&evidence.file_name, content)
}

/// An uploaded file sent back as a download, never rendered inline (`nosniff`, `application/octet-stream`),
/// its name in RFC 5987 encoding: the one answer of the evidence and the plan's report files.
pub(crate) fn attachment(file_name: &str, content: Vec<u8>) -> ApiResult<Response> {
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename*=UTF-8''{encoded}")).map_err(ApiError::internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        content,
    )
        .into_response())
}
