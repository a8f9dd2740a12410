//! Request ids and the request log (`ecociv_server::reqlog`): every answer names its request, the log line
//! carries the same id without the query string, and a server error page shows the id to quote.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use crate::support::server;

/// A log sink the test can read back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

async fn get(app: &axum::Router, path: &str, request_id: Option<&str>) -> (StatusCode, Option<String>, String) {
    let mut request = Request::builder().uri(path);
    if let Some(id) = request_id {
        request = request.header("x-request-id", id);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, id, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test(flavor = "current_thread")]
async fn every_answer_names_its_request_and_the_log_line_carries_the_id_without_the_query() {
    let server = server("reqlog_ids").await;
    let log = Captured::default();
    let sink = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Our own ids: present, distinct, plain tokens.
    let (status, first, _) = get(&server.app, "/api/v1/health", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, second, _) = get(&server.app, "/api/v1/health", None).await;
    let (first, second) = (first.expect("an id"), second.expect("an id"));
    assert_ne!(first, second);
    assert!(ecociv_server::reqlog::acceptable(&first), "{first}");

    // A proxy's plain id is kept (the two logs join); a garbled one is replaced by ours.
    let (_, kept, _) = get(&server.app, "/api/v1/health", Some("proxy-7f3a.1")).await;
    assert_eq!(kept.as_deref(), Some("proxy-7f3a.1"));
    let (_, replaced, _) = get(&server.app, "/api/v1/health", Some("a b=\"forged\"")).await;
    let replaced = replaced.expect("an id");
    assert!(ecociv_server::reqlog::acceptable(&replaced) && !replaced.contains("forged"));

    // The log: one line per answer with the id, method, path and status; never the query string.
    let (status, missing, _) = get(&server.app, "/z/450202/no-such-page?next=/secret-token", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let missing = missing.expect("an id");
    let text = log.text();
    let line = text
        .lines()
        .find(|line| line.contains(&missing))
        .unwrap_or_else(|| panic!("no log line for {missing}:\n{text}"));
    assert!(
        line.contains("GET") && line.contains("/z/450202/no-such-page"),
        "{line}"
    );
    assert!(line.contains("status=404") && line.contains("answered"), "{line}");
    assert!(
        !text.contains("secret-token"),
        "the query string reached the log:\n{text}"
    );
    assert!(text.contains("proxy-7f3a.1") && text.contains(&first));
}

#[tokio::test(flavor = "current_thread")]
async fn a_server_error_page_shows_the_request_id_that_the_log_records() {
    let server = server("reqlog_error").await;
    let log = Captured::default();
    let sink = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A public page that answers before the store breaks, and shows no id when all is well.
    let (status, _, page) = get(&server.app, "/z/450202", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("请求编号"));

    // The store broken under the server: the page fails with 500 and names the request.
    for statement in ["DROP TABLE materialized_assessment", "DROP TABLE value_revision"] {
        sqlx::query(statement).execute(server.store.pool()).await.unwrap();
    }
    let (status, id, page) = get(&server.app, "/z/450202/table?year=2023", None).await;
    assert_eq!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        &page[..page.len().min(400)]
    );
    let id = id.expect("an id");
    assert!(page.contains(&format!("请求编号：{id}")), "{page}");
    // The log has the error itself under the same id, and the 500 line.
    let text = log.text();
    assert!(
        text.lines()
            .any(|line| line.contains("ERROR") && line.contains(&id) && line.contains("status=500")),
        "{text}"
    );
    assert!(
        text.lines().filter(|line| line.contains(&id)).count() >= 2,
        "the cause is not logged under the request's id:\n{text}"
    );
}
