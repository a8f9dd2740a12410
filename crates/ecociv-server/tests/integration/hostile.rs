//! Issue 20 regressions at the API's edge that no reader test covers: "Errors that echo everything" — the
//! API returned a 30 MiB value inside a 31 MB error body, and a damaged million-line import a
//! million-problem error. A refusal quotes a long field as an 80-character excerpt and lists at most the
//! first 100 problems (and how many more).

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{Client, server};

#[tokio::test]
async fn a_refusal_quotes_long_fields_short_and_lists_at_most_100_problems() {
    let server = server("hostile-echo").await;
    let mut admin = Client::login(&server, "admin").await;
    let import = |csv: String| {
        let mut admin = admin.clone();
        let server = &server;
        async move {
            admin
                .send(
                    server,
                    Method::POST,
                    "/api/v1/zones/450202/import",
                    Some(csv.into()),
                    "text/csv",
                )
                .await
        }
    };
    // A 900 kB value (under the 1 MiB record limit): refused, the value quoted as an excerpt.
    let huge = import(format!(
        "indicator,year,value,assigned\n7.1,2022,{},\n",
        "x".repeat(900_000)
    ))
    .await;
    assert_eq!(huge.status, StatusCode::BAD_REQUEST, "{}", huge.body);
    let text = huge.body.to_string();
    assert!(
        text.len() < 4_000,
        "{} bytes: {}",
        text.len(),
        &text[..text.len().min(400)]
    );
    assert!(text.contains("字节"), "the excerpt says how long the field was: {text}");
    // A record over 1 MiB: refused with its line, nothing of it echoed.
    let record = import(format!(
        "indicator,year,value,assigned\n7.1,2022,{},\n",
        "y".repeat(2 << 20)
    ))
    .await;
    assert_eq!(record.status, StatusCode::BAD_REQUEST, "{}", record.body);
    assert!(record.body.to_string().len() < 4_000);
    // 200 000 damaged lines: the first 100 problems and one line saying how many more.
    let mut csv = String::from("indicator,year,value,assigned\n");
    for _ in 0..200_000 {
        csv.push_str("7.1,2022,not a number,\n");
    }
    let many = import(csv).await;
    assert_eq!(many.status, StatusCode::BAD_REQUEST);
    let problems = many.body["error"]["details"].as_array().map_or(0, Vec::len);
    assert!((100..=101).contains(&problems), "{problems} problems listed");
    let text = many.body.to_string();
    assert!(
        text.contains("199900"),
        "how many more: {}",
        &text[text.len().saturating_sub(600)..]
    );
    assert!(text.len() < 100_000, "{} bytes", text.len());
    // A 5 MB JSON value: refused (the body limit or the value rule), in the JSON error shape, short.
    let value = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/values/7.1/2022",
            Some(json!({"value": "z".repeat(5 << 20)})),
        )
        .await;
    assert!(value.status.is_client_error(), "{}", value.status);
    assert!(value.body["error"]["code"].is_string());
    assert!(
        value.body.to_string().len() < 4_000,
        "{} bytes",
        value.body.to_string().len()
    );
}
