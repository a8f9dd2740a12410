//! Every JSON request body of the API fuzzed (issue 20): for each route of the route table that takes a body
//! (`RouteSpec::body`: Login, Entry, Step, Import, NewUser, Member, UserChange, NewPassword, DepartmentName),
//! proptest sends arbitrary bytes, arbitrary JSON, and objects of the body's own fields (from the OpenAPI
//! document) with hostile values — wrong types, huge and non-finite-looking numbers, control and bidi
//! characters, 100 000-character strings, nesting — as a signed-in administrator with a valid CSRF token.
//! Every answer must be a success or the documented JSON error (`{"error": {"code", "message"}}`), never a
//! 500, a panic, a non-JSON body or a hang: each case has a deadline.
//!
//! Cases per route: `ECOCIV_FUZZ_CASES` (default 24, so CI stays short; `docs/benchmarks.md` has a longer
//! run's figures).

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use ecociv_server::routes::ROUTES;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

use crate::support::{Client, server};

fn cases() -> u32 {
    std::env::var("ECOCIV_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24)
}

/// The longest one request may take before it counts as a hang. Generous: the request may wait for the
/// server's bounded CPU pool (`work::cpu`, one permit on two cores), which the other tests of this binary
/// share — in `cargo test` the load test's two large imports hold it for tens of seconds in a debug build.
const CASE_LIMIT: Duration = Duration::from_secs(120);

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        ".{0,24}",
        Just(String::new()),
        Just("a".repeat(100_000)),
        Just("7.1".into()),
        Just("2025".into()),
        Just("完成".into()),
        Just("=HYPERLINK(\"x\")".into()),
        Just("\u{0}\u{202e}\u{200b}".into()),
        Just("reviewer".into()),
        Just("NaN".into()),
        Just("1e309".into()),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        Just(json!(1e308)),
        Just(json!(-0.0)),
        Just(json!(2025)),
        Just(json!(i64::MIN)),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        hostile_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((hostile_text(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// An object of the body's own fields (each present or not) with arbitrary values, sometimes with one
/// unknown field; `values` of an import is an array of such rows.
fn shaped(fields: Vec<String>, row_fields: Vec<String>) -> impl Strategy<Value = Value> {
    let n = fields.len();
    let rows = prop::collection::vec(
        prop::collection::vec((any::<bool>(), json_value()), row_fields.len()).prop_map(move |values| {
            let mut row = Map::new();
            for (name, (present, value)) in row_fields.iter().zip(values) {
                if present {
                    row.insert(name.clone(), value);
                }
            }
            Value::Object(row)
        }),
        0..4,
    );
    (
        prop::collection::vec((any::<bool>(), json_value()), n),
        rows,
        any::<bool>(),
        prop::option::of((hostile_text(), json_value())),
    )
        .prop_map(move |(values, rows, rows_as_values, extra)| {
            let mut object = Map::new();
            for (name, (present, value)) in fields.iter().zip(values) {
                if present {
                    object.insert(name.clone(), value);
                }
            }
            if rows_as_values && object.contains_key("values") {
                object.insert("values".into(), Value::Array(rows));
            }
            if let Some((name, value)) = extra {
                object.insert(name, value);
            }
            Value::Object(object)
        })
}

/// A body: raw bytes, or JSON text.
#[derive(Debug, Clone)]
enum Body {
    Bytes(Vec<u8>),
    Json(Value),
}

fn body(fields: Vec<String>, row_fields: Vec<String>) -> impl Strategy<Value = Body> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..512).prop_map(Body::Bytes),
        1 => "[\\[\\]{}\":,0-9a-z\\\\ ]{0,64}".prop_map(|text| Body::Bytes(text.into_bytes())),
        2 => json_value().prop_map(Body::Json),
        4 => shaped(fields, row_fields).prop_map(Body::Json),
    ]
}

/// The property names of a schema of the OpenAPI document.
fn properties(schema: &Value) -> Vec<String> {
    schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn every_json_body_answers_in_the_documented_shape_whatever_it_holds() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (server, admin, victim, department) = runtime.block_on(async {
        let server = server("fuzz-bodies").await;
        let mut admin = Client::login(&server, "admin").await;
        // The user and department the user/department routes act on (never the administrator fuzzing).
        let created = admin
            .json(
                &server,
                Method::POST,
                "/api/v1/users",
                Some(json!({"username": "fuzz-target", "display_name": "模糊测试", "password": "生态文明建设示范区2030"})),
            )
            .await;
        assert!(created.status.is_success(), "{} {}", created.status, created.body);
        let victim = server
            .store
            .user_by_username("fuzz-target")
            .await
            .unwrap()
            .expect("user")
            .id;
        let department = server.store.departments("450202").await.unwrap()[0].id.clone();
        (server, admin, victim, department)
    });
    let document = ecociv_server::openapi::document();
    let schemas = &document["components"]["schemas"];
    let n = cases();
    let started = Instant::now();
    let sent = std::cell::Cell::new(0u32);
    let statuses = std::cell::RefCell::new(std::collections::BTreeMap::<u16, u32>::new());
    for route in ROUTES.iter().filter(|route| route.body.is_some()) {
        let schema = &schemas[route.body.unwrap_or_default()];
        let row_fields = properties(&schema["properties"]["values"]["items"]);
        let path = route
            .path
            .replace("{code}", "450202")
            .replace("{row}", "7.1")
            .replace("{year}", "2025")
            .replace("{user_id}", &victim)
            .replace("{department_id}", &department);
        let method = Method::from_bytes(route.method.as_bytes()).expect("method");
        let mut runner = TestRunner::new(Config {
            cases: n,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&body(properties(schema), row_fields), |body| {
            let (bytes, content_type) = match &body {
                Body::Bytes(bytes) => (bytes.clone(), "application/json"),
                Body::Json(value) => (value.to_string().into_bytes(), "application/json"),
            };
            let mut client = admin.clone();
            let start = Instant::now();
            let response = runtime.block_on(async {
                tokio::time::timeout(
                    CASE_LIMIT,
                    client.send(&server, method.clone(), &path, Some(bytes.into()), content_type),
                )
                .await
            });
            let took = start.elapsed();
            let Ok(response) = response else {
                return Err(TestCaseError::fail(format!(
                    "{} {path}: no answer within {CASE_LIMIT:?}",
                    route.method
                )));
            };
            sent.set(sent.get() + 1);
            *statuses.borrow_mut().entry(response.status.as_u16()).or_default() += 1;
            prop_assert!(
                response.status != StatusCode::INTERNAL_SERVER_ERROR && response.status.as_u16() < 500,
                "{} {path}: {} {}",
                route.method,
                response.status,
                response.body
            );
            if response.status.is_client_error() {
                let error = &response.body["error"];
                prop_assert!(
                    error["code"].is_string() && error["message"].is_string(),
                    "{} {path}: {} not in the JSON error shape: {}",
                    route.method,
                    response.status,
                    response.body
                );
            } else {
                prop_assert!(
                    response.status.is_success(),
                    "{} {path}: {}",
                    route.method,
                    response.status
                );
                prop_assert!(
                    !response.body.is_string(),
                    "{} {path}: a success that is not JSON: {}",
                    route.method,
                    response.body
                );
            }
            prop_assert!(took < CASE_LIMIT, "{} {path}: one case took {took:?}", route.method);
            Ok(())
        });
        if let Err(error) = result {
            panic!("{} {}: {error}", route.method, route.path);
        }
    }
    eprintln!(
        "fuzzed JSON bodies: {} requests ({n} per route) in {:?}; statuses {:?}",
        sent.get(),
        started.elapsed(),
        statuses.borrow()
    );
}
