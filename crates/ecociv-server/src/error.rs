//! The one error type of the server: every failure leaves as JSON `{"error": {"code", "message", …}}` with
//! a stable code (listed in [`Code`]) and an HTTP status that follows from it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ecociv_store::StoreError;
use serde_json::{Value as Json_, json};

/// The stable error codes of the API. Clients may match on them; they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    BadRequest,
    /// Values refused by validation; `details` lists every problem.
    InvalidValue,
    Unauthenticated,
    Forbidden,
    CsrfFailed,
    NotFound,
    Conflict,
    /// The value is approved (locked) or submitted and cannot be changed in this step.
    ValueLocked,
    /// The workflow step is not possible from the value's status.
    InvalidTransition,
    /// Four eyes: the approver entered or computed the value; a second person must approve it.
    OwnValue,
    LoginFailed,
    /// Too many failed logins for the account: locked for a while.
    LoginLocked,
    TooManyRequests,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// The request body is larger than the route accepts.
    PayloadTooLarge,
    /// The request body's Content-Type is not one the route reads.
    UnsupportedMediaType,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadRequest => "bad_request",
            Code::InvalidValue => "invalid_value",
            Code::Unauthenticated => "unauthenticated",
            Code::Forbidden => "forbidden",
            Code::CsrfFailed => "csrf_failed",
            Code::NotFound => "not_found",
            Code::Conflict => "conflict",
            Code::ValueLocked => "value_locked",
            Code::InvalidTransition => "invalid_transition",
            Code::OwnValue => "own_value",
            Code::LoginFailed => "login_failed",
            Code::LoginLocked => "login_locked",
            Code::TooManyRequests => "too_many_requests",
            Code::MethodNotAllowed => "method_not_allowed",
            Code::PayloadTooLarge => "payload_too_large",
            Code::UnsupportedMediaType => "unsupported_media_type",
            Code::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Code::BadRequest | Code::InvalidValue => StatusCode::BAD_REQUEST,
            Code::Unauthenticated | Code::LoginFailed => StatusCode::UNAUTHORIZED,
            Code::Forbidden | Code::CsrfFailed | Code::OwnValue => StatusCode::FORBIDDEN,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::Conflict | Code::ValueLocked | Code::InvalidTransition => StatusCode::CONFLICT,
            Code::LoginLocked | Code::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Code::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Code::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Code::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Every code, for the OpenAPI document.
    pub const ALL: [Code; 17] = [
        Code::BadRequest,
        Code::InvalidValue,
        Code::Unauthenticated,
        Code::Forbidden,
        Code::CsrfFailed,
        Code::NotFound,
        Code::Conflict,
        Code::ValueLocked,
        Code::InvalidTransition,
        Code::OwnValue,
        Code::LoginFailed,
        Code::LoginLocked,
        Code::TooManyRequests,
        Code::MethodNotAllowed,
        Code::PayloadTooLarge,
        Code::UnsupportedMediaType,
        Code::Internal,
    ];
}

/// An API error: a code, a message (Chinese first, English in parentheses) and optional details.
#[derive(Debug)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    pub details: Option<Json_>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            details: None,
        }
    }
    pub fn with_details(mut self, details: Json_) -> ApiError {
        self.details = Some(details);
        self
    }
    pub fn unauthenticated() -> ApiError {
        ApiError::new(Code::Unauthenticated, "请先登录 (login required)")
    }
    pub fn forbidden() -> ApiError {
        ApiError::new(Code::Forbidden, "无权进行此操作 (not allowed)")
    }
    pub fn not_found(what: impl std::fmt::Display) -> ApiError {
        ApiError::new(Code::NotFound, format!("未找到：{what} (not found)"))
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(Code::BadRequest, message)
    }
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::new(Code::Internal, format!("服务器内部错误 (internal error): {error}"))
    }
}

/// The JSON of one located input problem ([`ecociv_data::Problem`], i.e. `ecociv_csvline::Located`), the same
/// in every refusal of a file that uses it (zone files, the Excel templates, register imports, GeoJSON
/// boundaries, survey exports): `file`, `line`, `column`, `field`, `sheet` and `cell` (`""` outside a
/// workbook), `message`, and `text` — the whole problem as the command line prints it.
pub fn located_json(problem: &ecociv_data::Problem) -> Json_ {
    json!({
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "field": problem.field,
        "sheet": problem.sheet().unwrap_or(""),
        "cell": problem.cell().unwrap_or(""),
        "message": problem.message,
        "text": problem.to_string(),
    })
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => ApiError::not_found(what),
            StoreError::Conflict(message) => ApiError::new(Code::Conflict, message),
            StoreError::Invalid(message) => ApiError::bad_request(message),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.code == Code::Internal {
            tracing::error!("{}", self.message);
        }
        let mut body = json!({ "code": self.code.as_str(), "message": self.message });
        if let Some(details) = self.details {
            body["details"] = details;
        }
        (self.code.status(), Json(json!({ "error": body }))).into_response()
    }
}

/// The longest piece of a framework rejection's text kept in an error (a rejection can quote the input).
const MAX_REASON_CHARS: usize = 300;

/// Cuts a text to at most `max` characters, marking the cut.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Turns every error response of the API that is not already the JSON error — the framework's own
/// rejections (a body that is not valid JSON or lacks a field, a path or query parameter that does not
/// parse or is missing, a body over the limit, a wrong Content-Type), a wrong method — into the
/// documented shape `{"error": {"code", "message", "details"}}`, keeping the status. The framework's
/// text (English, possibly quoting the input) is kept, cut to a readable prefix, in `details.reason`.
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let reason = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => truncate(String::from_utf8_lossy(&bytes).trim(), MAX_REASON_CHARS),
        Err(_) => String::new(),
    };
    let (code, message) = match parts.status {
        StatusCode::METHOD_NOT_ALLOWED => (Code::MethodNotAllowed, "此路径不支持该请求方法 (method not allowed)"),
        StatusCode::PAYLOAD_TOO_LARGE => (Code::PayloadTooLarge, "请求内容过大 (request body too large)"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            Code::UnsupportedMediaType,
            "请求内容类型不正确 (unsupported Content-Type)",
        ),
        StatusCode::NOT_FOUND => (Code::NotFound, "未找到 (not found)"),
        StatusCode::UNAUTHORIZED => (Code::Unauthenticated, "请先登录 (login required)"),
        StatusCode::FORBIDDEN => (Code::Forbidden, "无权进行此操作 (not allowed)"),
        StatusCode::TOO_MANY_REQUESTS => (Code::TooManyRequests, "请求过多，请稍后再试 (too many requests)"),
        status if status.is_client_error() => (
            Code::BadRequest,
            "请求格式错误：参数或请求体不符合要求 (malformed request: a parameter or the body is missing or invalid)",
        ),
        _ => (Code::Internal, "服务器内部错误 (internal error)"),
    };
    let mut error = ApiError::new(code, message);
    if !reason.is_empty() {
        error = error.with_details(json!({ "reason": reason }));
    }
    let mut response = error.into_response();
    *response.status_mut() = parts.status;
    response
}
