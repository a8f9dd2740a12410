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
    LoginFailed,
    /// Too many failed logins for the account: locked for a while.
    LoginLocked,
    TooManyRequests,
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
            Code::LoginFailed => "login_failed",
            Code::LoginLocked => "login_locked",
            Code::TooManyRequests => "too_many_requests",
            Code::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Code::BadRequest | Code::InvalidValue => StatusCode::BAD_REQUEST,
            Code::Unauthenticated | Code::LoginFailed => StatusCode::UNAUTHORIZED,
            Code::Forbidden | Code::CsrfFailed => StatusCode::FORBIDDEN,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::Conflict | Code::ValueLocked | Code::InvalidTransition => StatusCode::CONFLICT,
            Code::LoginLocked | Code::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Every code, for the OpenAPI document.
    pub const ALL: [Code; 13] = [
        Code::BadRequest,
        Code::InvalidValue,
        Code::Unauthenticated,
        Code::Forbidden,
        Code::CsrfFailed,
        Code::NotFound,
        Code::Conflict,
        Code::ValueLocked,
        Code::InvalidTransition,
        Code::LoginFailed,
        Code::LoginLocked,
        Code::TooManyRequests,
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
            eprintln!("ecociv-server: {}", self.message);
        }
        let mut body = json!({ "code": self.code.as_str(), "message": self.message });
        if let Some(details) = self.details {
            body["details"] = details;
        }
        (self.code.status(), Json(json!({ "error": body }))).into_response()
    }
}
