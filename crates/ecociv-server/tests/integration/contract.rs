//! The API's error contract and its OpenAPI document, checked against the handlers themselves: malformed
//! requests generated from the route table (bad path and query values, missing required parameters, broken
//! and wrongly typed bodies, wrong Content-Types, wrong methods, unknown routes) all answer in the documented
//! JSON error shape; every required query parameter and body field the document lists is refused by the
//! handler when left out, and nothing the document calls optional is refused as missing.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use ecociv_server::error::Code;
use ecociv_server::openapi;
use ecociv_server::routes::{ROUTES, RouteSpec};
use serde_json::{Map, Value, json};

use crate::support::{Client, Response, TestServer, server};

/// A request body: Content-Type and text.
type Sent = (&'static str, &'static str);

fn path_of(template: &str, year: &str) -> String {
    template
        .replace("{code}", "450202")
        .replace("{row}", "7.1")
        .replace("{year}", year)
        .replace("{kind}", "air")
        .replace("{id}", "nope")
        .replace("{user_id}", "nope")
        .replace("{department_id}", "nope")
        .replace("{evidence_id}", "nope")
        .replace("{subject}", "measure:nope")
        .replace("{period}", "2025Q3")
        .replace("{item}", "nope")
        .replace("{survey}", "nope")
}

fn sample(kind: &str, name: &str) -> String {
    match (kind, name) {
        ("integer", "year" | "target_year") => "2025".into(),
        ("integer", _) => "1".into(),
        ("boolean", _) => "true".into(),
        _ => "x".into(),
    }
}

/// The route's required query parameters with valid values, leaving out `except`.
fn required_query(route: &RouteSpec, except: Option<&str>) -> Vec<(String, String)> {
    route
        .query
        .iter()
        .filter(|param| param.required && Some(param.name) != except)
        .map(|param| (param.name.to_string(), sample(param.kind, param.name)))
        .collect()
}

fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{path}?{query}")
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("method")
}

/// Asserts the documented error shape; returns a description of the problem, if any.
fn shape_problem(request: &str, response: &Response) -> Option<String> {
    let codes: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
    let error = &response.body["error"];
    let ok = response.status.as_u16() >= 400
        && error["code"].as_str().is_some_and(|code| codes.contains(&code))
        && error["message"].as_str().is_some_and(|message| !message.is_empty())
        && response.body.as_object().is_some_and(|body| body.len() == 1)
        && error.as_object().is_some_and(|error| {
            error
                .keys()
                .all(|key| ["code", "message", "details"].contains(&key.as_str()))
        })
        && Code::ALL.iter().any(|code| {
            code.as_str() == error["code"] && (code.status() == response.status || code.as_str() == "bad_request")
        });
    (!ok).then(|| format!("{request} → {} {}", response.status, response.body))
}

async fn send(
    client: &mut Client,
    server: &TestServer,
    method_name: &str,
    path: &str,
    body: Option<(&str, &str)>,
) -> Response {
    let (content_type, body) = body.unwrap_or(("application/json", ""));
    let body = (!body.is_empty()).then(|| Body::from(body.to_string()));
    client.send(server, method(method_name), path, body, content_type).await
}

#[tokio::test]
async fn every_malformed_api_request_gets_the_json_error_shape() {
    let server = server("contract").await;
    let mut admin = Client::login(&server, "admin").await;
    let mut anonymous = Client::anonymous();
    let mut requests: Vec<(String, String, Option<Sent>)> = Vec::new();
    for route in ROUTES {
        // Logging out would end the session the other requests use.
        if route.path == "/api/v1/auth/logout" {
            continue;
        }
        let valid_query = required_query(route, None);
        if route.path.contains("{year}") {
            for year in ["abc", "99999999999", "-1", "2022.5"] {
                requests.push((
                    route.method.into(),
                    with_query(&path_of(route.path, year), &valid_query),
                    None,
                ));
            }
        }
        for param in route.query {
            let others = required_query(route, Some(param.name));
            if param.required {
                requests.push((
                    route.method.into(),
                    with_query(&path_of(route.path, "2022"), &others),
                    None,
                ));
            }
            if param.kind != "string" || !param.values.is_empty() {
                let mut bad = others.clone();
                bad.push((param.name.to_string(), "not-a-value".into()));
                requests.push((
                    route.method.into(),
                    with_query(&path_of(route.path, "2022"), &bad),
                    None,
                ));
            }
        }
        let path = with_query(&path_of(route.path, "2022"), &valid_query);
        if route.body.is_some() {
            for body in ["{", "[]", "{\"value\": [1, 2]}", "null", "\"x\"", "{\"zz_unknown\": 1}"] {
                requests.push((route.method.into(), path.clone(), Some(("application/json", body))));
            }
            requests.push((route.method.into(), path.clone(), Some(("text/plain", "x"))));
            requests.push((route.method.into(), path.clone(), Some(("application/json", ""))));
        }
        for wrong in ["DELETE", "PATCH", if route.method == "GET" { "PUT" } else { "GET" }] {
            if !ROUTES
                .iter()
                .any(|other| other.path == route.path && other.method == wrong)
            {
                requests.push((wrong.into(), path.clone(), None));
            }
        }
    }
    for unknown in [
        "/api",
        "/api/",
        "/api/v1",
        "/api/v1/nope",
        "/api/v2/zones",
        "/api/v1/zones/450202/nope/x",
    ] {
        for method_name in ["GET", "POST"] {
            requests.push((method_name.into(), unknown.into(), None));
        }
    }
    let mut problems = Vec::new();
    let mut errors = 0;
    for (method_name, path, body) in &requests {
        for (who, client) in [("admin", &mut admin), ("anonymous", &mut anonymous)] {
            let response = send(client, &server, method_name, path, *body).await;
            if response.status.is_success() {
                continue;
            }
            errors += 1;
            if let Some(problem) = shape_problem(&format!("{who} {method_name} {path} {body:?}"), &response) {
                problems.push(problem);
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {errors} errors not in the shape:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        errors >= 200,
        "only {errors} error responses from {} requests",
        requests.len()
    );
    // The admin session survived: none of the malformed requests did anything to it.
    assert_eq!(admin.get(&server, "/api/v1/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_openapi_document_states_what_the_handlers_require() {
    let server = server("contract-openapi").await;
    let mut admin = Client::login(&server, "admin").await;
    let document = openapi::document();
    let schemas = &document["components"]["schemas"];
    let mut problems = Vec::new();
    for route in ROUTES {
        if route.path == "/api/v1/auth/logout" {
            continue;
        }
        let operation = &document["paths"][route.path][route.method.to_lowercase()];
        // Query parameters: the document lists exactly the route table's.
        let documented: Vec<(String, bool)> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|parameter| parameter["in"] == "query")
            .map(|parameter| {
                (
                    parameter["name"].as_str().unwrap_or("").to_string(),
                    parameter["required"] == true,
                )
            })
            .collect();
        let table: Vec<(String, bool)> = route
            .query
            .iter()
            .map(|param| (param.name.to_string(), param.required))
            .collect();
        assert_eq!(documented, table, "{} {}", route.method, route.path);
        let path = path_of(route.path, "2022");
        let body = route.body.map(|name| body_sample(&schemas[name], None));
        let content = body.as_ref().map(|body| body.to_string());
        let body_arg = content.as_deref().map(|content| ("application/json", content));
        // Each documented required query parameter, left out, is refused naming it.
        for param in route.query.iter().filter(|param| param.required) {
            let url = with_query(&path, &required_query(route, Some(param.name)));
            let response = send(&mut admin, &server, route.method, &url, body_arg).await;
            if response.status.is_success() || !response.body["error"].to_string().contains(param.name) {
                problems.push(format!(
                    "{} {url}: without `{}` → {} {}",
                    route.method, param.name, response.status, response.body
                ));
            }
        }
        // With only the documented required parameters (and body fields), nothing is missing.
        let url = with_query(&path, &required_query(route, None));
        let response = send(&mut admin, &server, route.method, &url, body_arg).await;
        if response.body["error"].to_string().contains("missing field") {
            problems.push(format!(
                "{} {url}: an undocumented requirement: {}",
                route.method, response.body
            ));
        }
        // Each documented required body field, left out, is refused naming it.
        if let Some(name) = route.body {
            for field in schemas[name]["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let body = body_sample(&schemas[name], Some(field)).to_string();
                let url = with_query(&path, &required_query(route, None));
                let response = send(
                    &mut admin,
                    &server,
                    route.method,
                    &url,
                    Some(("application/json", &body)),
                )
                .await;
                if response.status.is_success() || !response.body["error"].to_string().contains(field) {
                    problems.push(format!(
                        "{} {url} {body}: without `{field}` → {} {}",
                        route.method, response.status, response.body
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether a response is the router's own "no such route" answer (not a handler's 404 for a missing zone or
/// record, which names what it did not find).
fn unrouted(response: &Response) -> bool {
    response.status == StatusCode::NOT_FOUND
        && response.body["error"]["message"].as_str() == Some("未找到：API 路径 (API route) (not found)")
}

/// The router and the OpenAPI document are built from one table (`routes::ROUTES`, which names each route's
/// handler, so each path and method is written once): every operation the document lists is routed — it
/// never answers as an unknown route or a wrong method —, on each documented path every method the document
/// does not list answers 405, and the paths between documented ones that the document does not list are not
/// routed. So the router has no operation the document lacks, and the document none the router lacks.
#[tokio::test]
async fn the_router_and_the_openapi_document_list_the_same_operations() {
    let server = server("contract-routes").await;
    let mut admin = Client::login(&server, "admin").await;
    let document = openapi::document();
    let paths = document["paths"].as_object().expect("the document's paths");
    let mut operations: Vec<(String, String)> = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().expect("a path item").keys() {
            operations.push((method.to_uppercase(), path.clone()));
        }
    }
    // One operation per (method, path) of the table, none twice.
    let mut table: Vec<(String, String)> = ROUTES
        .iter()
        .map(|route| (route.method.to_string(), route.path.to_string()))
        .collect();
    table.sort();
    let before = table.len();
    table.dedup();
    assert_eq!(table.len(), before, "a (method, path) twice in the route table");
    operations.sort();
    assert_eq!(operations, table);

    let mut problems = Vec::new();
    for (method_name, template) in &operations {
        let path = path_of(template, "2022");
        // Logging out would end the session the other requests use: a session of its own.
        let response = if template == "/api/v1/auth/logout" {
            let mut other = Client::login(&server, "admin").await;
            send(&mut other, &server, method_name, &path, None).await
        } else {
            send(&mut admin, &server, method_name, &path, None).await
        };
        if unrouted(&response) || response.status == StatusCode::METHOD_NOT_ALLOWED {
            problems.push(format!(
                "documented {method_name} {path} is not routed: {} {}",
                response.status, response.body
            ));
        }
        for other in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            if operations.iter().any(|(method, p)| method == other && p == template) {
                continue;
            }
            let response = send(&mut admin, &server, other, &path, None).await;
            if response.status != StatusCode::METHOD_NOT_ALLOWED {
                problems.push(format!(
                    "undocumented {other} {path} → {} {}",
                    response.status, response.body
                ));
            }
        }
    }
    // Every prefix of a documented path that is not itself documented is no route at all.
    let mut prefixes: Vec<String> = Vec::new();
    for (_, template) in &operations {
        let mut prefix = template.as_str();
        while let Some(cut) = prefix.rfind('/') {
            prefix = &prefix[..cut];
            if !prefix.is_empty() && !paths.contains_key(prefix) && !prefixes.iter().any(|p| p == prefix) {
                prefixes.push(prefix.to_string());
            }
        }
    }
    assert!(prefixes.len() >= 10, "only {} undocumented prefixes", prefixes.len());
    for template in &prefixes {
        let path = path_of(template, "2022");
        for method_name in ["GET", "POST", "PUT"] {
            let response = send(&mut admin, &server, method_name, &path, None).await;
            if !unrouted(&response) {
                problems.push(format!(
                    "undocumented {method_name} {path} → {} {}",
                    response.status, response.body
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A body with every property of a schema (sample values), leaving out `except`.
fn body_sample(schema: &Value, except: Option<&str>) -> Value {
    let mut body = Map::new();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        if Some(name.as_str()) == except {
            continue;
        }
        let value = match property["type"].as_str() {
            Some("integer") => json!(1),
            Some("boolean") => json!(false),
            Some("array") => json!([]),
            _ => match property["enum"].as_array().and_then(|values| values.first()) {
                Some(first) => first.clone(),
                None => json!("x"),
            },
        };
        body.insert(name.clone(), value);
    }
    Value::Object(body)
}

#[tokio::test]
async fn a_missing_target_year_and_a_year_outside_the_plan_are_json_errors() {
    let server = server("contract-years").await;
    let mut anonymous = Client::anonymous();
    let missing = anonymous.get(&server, "/api/v1/zones/450202/progress").await;
    assert_eq!(
        (missing.status, missing.code()),
        (StatusCode::BAD_REQUEST, "bad_request"),
        "{:?}",
        missing.body
    );
    assert!(
        missing.body["error"]["details"]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("target_year")
    );
    for year in [1999, 2031] {
        let outside = anonymous
            .get(&server, &format!("/api/v1/zones/450202/assessment?year={year}"))
            .await;
        assert_eq!(
            (outside.status, outside.code()),
            (StatusCode::BAD_REQUEST, "bad_request"),
            "{year}: {:?}",
            outside.body
        );
        assert_eq!(outside.body["error"]["details"]["field"], "year");
    }
    // The years of the plan and those with values before it are assessed.
    for year in [2017, 2021, 2025, 2030] {
        let response = anonymous
            .get(&server, &format!("/api/v1/zones/450202/assessment?year={year}"))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{year}: {:?}", response.body);
    }
    let mut admin = Client::login(&server, "admin").await;
    let wrong_method = admin.json(&server, Method::DELETE, "/api/v1/zones", None).await;
    assert_eq!(
        (wrong_method.status, wrong_method.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}
