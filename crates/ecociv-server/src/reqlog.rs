//! Structured logging of every request, each under its own request id (请求编号).
//!
//! [`request_log`] is the outermost layer of [`crate::app`]: it gives the request an id — the caller's
//! `X-Request-Id` when it is a plain token (a reverse proxy's id joins the two logs), a new time-ordered id
//! otherwise — runs the request inside a `tracing` span carrying that id, the method and the path, logs one
//! line when the answer is ready (status and milliseconds), and returns the id in the `X-Request-Id` header.
//! Everything logged while the request runs (an internal error, a store failure) carries the same id, and the
//! error page shows it, so a user who reports "出现错误" can quote the line the administrator looks for.
//!
//! What is logged: method, path (never the query string: a `next` or a token may sit there; a long path is
//! cut), status and time. Never bodies, cookies or headers. The binary chooses where logs go and at which
//! level (`ECOCIV_LOG`, the `tracing-subscriber` filter syntax); without a subscriber nothing is written.

use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries a request's id, in and out.
pub const HEADER: &str = "x-request-id";

/// The longest id taken from a caller; longer ones are replaced by our own.
const MAX_ID_LEN: usize = 64;

/// The longest path written to the log (in bytes, cut at a character boundary).
const MAX_LOGGED_PATH: usize = 200;

/// The request's id, in the request's extensions for the handlers and the error pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// An id from the caller is kept when it is a plain token: 1–64 characters of `A-Z a-z 0-9 - _ . :`.
/// Anything else (spaces, control characters, quotes, non-ASCII) could forge or garble a log line, so it is
/// replaced.
pub fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Middleware: see the module's documentation.
pub async fn request_log(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| acceptable(id))
        .map_or_else(ecociv_store::clock::new_id, str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().clone();
    let path = cut(request.uri().path(), MAX_LOGGED_PATH).into_owned();
    let span = tracing::info_span!("request", id = %id, method = %method, path = %path);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let ms = (started.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, ms, "answered");
        } else {
            tracing::info!(status, ms, "answered");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// `text` cut to at most `max` bytes at a character boundary, marked with `…` when cut.
fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_tokens_are_taken_from_the_caller() {
        for good in ["abc", "0190a1b2-c3d4", "proxy.1:7", "A_b"] {
            assert!(acceptable(good), "{good}");
        }
        let long = "a".repeat(MAX_ID_LEN + 1);
        for bad in ["", "a b", "a\nb", "x\"y", "编号", long.as_str(), "a=b"] {
            assert!(!acceptable(bad), "{bad:?}");
        }
    }

    #[test]
    fn long_paths_are_cut_at_a_character_boundary() {
        assert_eq!(cut("/z/450202", 200), "/z/450202");
        let path = format!("/{}", "城".repeat(100));
        let shown = cut(&path, 200);
        assert!(shown.len() <= 200 + '…'.len_utf8());
        assert!(shown.ends_with('…'));
        assert!(shown.starts_with("/城城"));
    }
}
