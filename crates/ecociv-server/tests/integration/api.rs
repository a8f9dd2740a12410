//! The API's behaviour: the assessment contract, the workflow, validation, import, history, OpenAPI — on
//! SQLite, and on PostgreSQL and PostgreSQL + Citus when configured (`support::servers`).

use axum::http::{Method, StatusCode};
use ecociv_server::routes::ROUTES;
use serde_json::{Value, json};

use crate::support::{Client, TestServer, servers};

fn cli_assessment(year: i32) -> Value {
    let loaded = ecociv_data::load_zone("450202").unwrap();
    ecociv_report::json::assessment(&ecociv_core::assess(&loaded.framework, &loaded.zone, year))
}

#[tokio::test]
async fn the_assessment_is_the_same_json_as_ecociv_assess() {
    for server in servers("assessment").await {
        the_assessment_is_the_same_json_as_ecociv_assess_on(server).await;
    }
}

async fn the_assessment_is_the_same_json_as_ecociv_assess_on(server: TestServer) {
    let mut public = Client::anonymous();
    for year in [2017, 2021, 2022] {
        let response = public
            .get(&server, &format!("/api/v1/zones/450202/assessment?year={year}"))
            .await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.body, cli_assessment(year), "year {year}");
    }
    // Served again from the cache: identical.
    let again = public.get(&server, "/api/v1/zones/450202/assessment?year=2021").await;
    assert_eq!(again.body, cli_assessment(2021));
    let bad = public.get(&server, "/api/v1/zones/450202/assessment?year=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        public
            .get(&server, "/api/v1/zones/999999/assessment?year=2021")
            .await
            .code(),
        "not_found"
    );
    assert_eq!(
        public
            .get(&server, "/api/v1/zones/450202/assessment?year=2021&include=submitted")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

/// Issue 8: `GET /api/v1/zones/{code}/progress?target_year=YYYY` is the JSON of `ecociv progress --format json`.
#[tokio::test]
async fn progress_is_the_same_json_as_ecociv_progress() {
    for server in servers("progress").await {
        progress_is_the_same_json_as_ecociv_progress_on(server).await;
    }
}

async fn progress_is_the_same_json_as_ecociv_progress_on(server: TestServer) {
    let mut public = Client::anonymous();
    let mut loaded = ecociv_data::load_zone("450202").unwrap();
    // The demo adds rows 34/35 of 2024 from its SYNTHETIC survey (issue 14): the CLI's zone gets them too.
    for row in ["34", "35"] {
        let current = server.store.current("450202", row, 2024).await.unwrap();
        loaded
            .zone
            .observations
            .extend(current.map(|revision| revision.observation));
    }
    for target_year in [2025, 2030] {
        let response = public
            .get(
                &server,
                &format!("/api/v1/zones/450202/progress?target_year={target_year}"),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK);
        let cli = serde_json::to_value(ecociv_progress::zone::zone_progress(
            &loaded.framework,
            &loaded.zone,
            target_year,
        ))
        .unwrap();
        // Equal up to float rounding: the store hands observations over in another order, so sums in the
        // fits may differ in the last bits.
        if let Some(path) = first_difference(&response.body, &cli, "") {
            panic!("target year {target_year}: API and CLI differ at {path}");
        }
        assert_eq!(response.body["target_year"], target_year);
    }
    assert_eq!(
        public
            .get(&server, "/api/v1/zones/450202/progress?target_year=2027")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        public
            .get(&server, "/api/v1/zones/999999/progress?target_year=2025")
            .await
            .code(),
        "not_found"
    );
}

/// The path of the first difference between two JSON values, numbers compared to 1e-9 relative.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            ((x - y).abs() > 1e-9 * x.abs().max(y.abs()).max(1.0)).then(|| format!("{path}: {x} vs {y}"))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: keys differ"));
            }
            x.iter().find_map(|(key, value)| match y.get(key) {
                Some(other) => first_difference(value, other, &format!("{path}/{key}")),
                None => Some(format!("{path}/{key}: missing")),
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: lengths differ"));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(index, (p, q))| first_difference(p, q, &format!("{path}[{index}]")))
        }
        _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
    }
}

fn row_of(assessment: &Value, id: &str) -> Value {
    assessment["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == id)
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn the_workflow_runs_from_draft_to_approved_and_locks() {
    for server in servers("workflow").await {
        the_workflow_runs_from_draft_to_approved_and_locks_on(server).await;
    }
}

async fn the_workflow_runs_from_draft_to_approved_and_locks_on(server: TestServer) {
    let mut editor = Client::login(&server, "editor-env").await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let mut viewer = Client::login(&server, "viewer").await;
    let value = "/api/v1/zones/450202/values/7.1/2022";
    // Validation: out of range, wrong unit.
    let refused = editor
        .json(&server, Method::PUT, value, Some(json!({"value": "120"})))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::BAD_REQUEST, "invalid_value")
    );
    assert_eq!(refused.body["error"]["details"][0]["field"], "value");
    let refused = editor
        .json(&server, Method::PUT, value, Some(json!({"value": "95", "unit": "天"})))
        .await;
    assert_eq!(refused.body["error"]["details"][0]["field"], "unit");
    // A jump against 2021 (94.5) warns but saves.
    let saved = editor
        .json(
            &server,
            Method::PUT,
            value,
            Some(json!({"value": "60", "source": "月报"})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body["revision"]["status"], "draft");
    assert_eq!(saved.body["warnings"].as_array().map(Vec::len), Some(1));
    let saved = editor
        .json(
            &server,
            Method::PUT,
            value,
            Some(json!({"value": "95.1", "source": "月报", "reason": "更正"})),
        )
        .await;
    assert!(saved.body["warnings"].as_array().unwrap().is_empty());
    assert_eq!(saved.body["before"], json!(60.0));
    // Viewer cannot write; the editor cannot approve.
    assert_eq!(
        viewer
            .json(&server, Method::PUT, value, Some(json!({"value": "90"})))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        editor
            .json(&server, Method::POST, &format!("{value}/approve"), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Approve before submission: refused as a transition.
    assert_eq!(
        reviewer
            .json(&server, Method::POST, &format!("{value}/approve"), None)
            .await
            .code(),
        "invalid_transition"
    );
    assert_eq!(
        editor
            .json(&server, Method::POST, &format!("{value}/submit"), None)
            .await
            .status,
        StatusCode::OK
    );
    // Submitted: the editor can no longer change it; the assessment uses it only when asked.
    assert_eq!(
        editor
            .json(&server, Method::PUT, value, Some(json!({"value": "96"})))
            .await
            .code(),
        "value_locked"
    );
    let approved_only = viewer.get(&server, "/api/v1/zones/450202/assessment?year=2022").await;
    assert_eq!(row_of(&approved_only.body, "7.1")["value"], Value::Null);
    let with_submitted = viewer
        .get(&server, "/api/v1/zones/450202/assessment?year=2022&include=submitted")
        .await;
    assert_eq!(row_of(&with_submitted.body, "7.1")["value"], json!(95.1));
    // Return needs a comment.
    assert_eq!(
        reviewer
            .json(&server, Method::POST, &format!("{value}/return"), None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        reviewer
            .json(
                &server,
                Method::POST,
                &format!("{value}/return"),
                Some(json!({"comment": "请附监测报告"}))
            )
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        editor
            .json(&server, Method::POST, &format!("{value}/submit"), None)
            .await
            .status,
        StatusCode::OK
    );
    let approved = reviewer
        .json(
            &server,
            Method::POST,
            &format!("{value}/approve"),
            Some(json!({"comment": "同意"})),
        )
        .await;
    assert_eq!(approved.body["revision"]["status"], "approved");
    // Approved: locked for everybody until reopened.
    assert_eq!(
        reviewer
            .json(&server, Method::PUT, value, Some(json!({"value": "97"})))
            .await
            .code(),
        "value_locked"
    );
    assert_eq!(
        row_of(
            &viewer
                .get(&server, "/api/v1/zones/450202/assessment?year=2022")
                .await
                .body,
            "7.1"
        )["value"],
        json!(95.1)
    );
    assert_eq!(
        reviewer
            .json(
                &server,
                Method::POST,
                &format!("{value}/reopen"),
                Some(json!({"comment": "核查"}))
            )
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        editor
            .json(&server, Method::PUT, value, Some(json!({"value": "96"})))
            .await
            .status,
        StatusCode::OK
    );
    // The approved figure stays in the assessment while the correction is a draft.
    assert_eq!(
        row_of(
            &viewer
                .get(&server, "/api/v1/zones/450202/assessment?year=2022")
                .await
                .body,
            "7.1"
        )["value"],
        json!(95.1)
    );
    // History: every step, who, before and after.
    let history = viewer.get(&server, &format!("{value}/history")).await;
    let steps: Vec<(String, String)> = history.body["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("save", "draft"),
        ("save", "draft"),
        ("submit", "submitted"),
        ("return", "returned"),
        ("submit", "submitted"),
        ("approve", "approved"),
        ("reopen", "draft"),
        ("save", "draft"),
    ];
    assert_eq!(
        steps,
        expected
            .iter()
            .map(|(a, s)| (a.to_string(), s.to_string()))
            .collect::<Vec<_>>()
    );
    let revisions = history.body["revisions"].as_array().unwrap();
    assert_eq!(
        (revisions[1]["before"].clone(), revisions[1]["value"].clone()),
        (json!(60.0), json!(95.1))
    );
    assert_eq!(revisions[3]["reason"], "请附监测报告");
    assert_eq!(revisions[3]["author"]["name"], "城中生态环境局审核员");
    // An editor sees only its department's rows; another department's history is refused.
    let mut other = Client::login(&server, "editor-agri").await;
    assert_eq!(
        other.get(&server, &format!("{value}/history")).await.status,
        StatusCode::FORBIDDEN
    );
    let listed = other.get(&server, "/api/v1/zones/450202/values").await;
    assert!(
        listed.body["values"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["row"] != "7.1")
    );
    assert!(
        !editor.get(&server, "/api/v1/zones/450202/values?year=2022").await.body["values"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_stale_write_is_refused() {
    for server in servers("stale").await {
        a_stale_write_is_refused_on(server).await;
    }
}

async fn a_stale_write_is_refused_on(server: TestServer) {
    let mut editor = Client::login(&server, "editor-env").await;
    let value = "/api/v1/zones/450202/values/7.2/2022";
    assert_eq!(
        editor
            .json(&server, Method::PUT, value, Some(json!({"value": "28", "after": 0})))
            .await
            .status,
        StatusCode::OK
    );
    let stale = editor
        .json(&server, Method::PUT, value, Some(json!({"value": "27", "after": 0})))
        .await;
    assert_eq!(stale.code(), "conflict");
}

#[tokio::test]
async fn imports_are_validated_in_full_and_applied_all_or_nothing() {
    for server in servers("import").await {
        imports_are_validated_in_full_and_applied_all_or_nothing_on(server).await;
    }
}

async fn imports_are_validated_in_full_and_applied_all_or_nothing_on(server: TestServer) {
    let mut reviewer = Client::login(&server, "reviewer").await;
    let before = server.store.revision_count("450202").await.unwrap();
    let good = "indicator,year,value,assigned,source\n7.1,2023,93.2,,月报\n7.2,2023,28,,月报\n3,2023,22.5,,统计\n";
    // Dry run: reports, writes nothing.
    let dry = reviewer
        .send(
            &server,
            Method::POST,
            "/api/v1/zones/450202/import?dry_run=true",
            Some(good.into()),
            "text/csv",
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(
        (dry.body["changed"].clone(), dry.body["batch"].clone()),
        (json!(3), Value::Null)
    );
    assert_eq!(server.store.revision_count("450202").await.unwrap(), before);
    // One bad line: nothing is imported, and the problem names line and field.
    let bad = "indicator,year,value,assigned\n7.1,2023,93.2,\n7.2,2023,abc,\n";
    let refused = reviewer
        .send(
            &server,
            Method::POST,
            "/api/v1/zones/450202/import",
            Some(bad.into()),
            "text/csv",
        )
        .await;
    assert_eq!(refused.code(), "invalid_value");
    assert_eq!(
        (
            refused.body["error"]["details"][0]["line"].clone(),
            refused.body["error"]["details"][0]["field"].clone()
        ),
        (json!(3), json!("value"))
    );
    assert_eq!(server.store.revision_count("450202").await.unwrap(), before);
    // The real import.
    let done = reviewer
        .send(
            &server,
            Method::POST,
            "/api/v1/zones/450202/import?status=submitted",
            Some(good.into()),
            "text/csv",
        )
        .await;
    assert_eq!(done.body["changed"], json!(3));
    assert!(done.body["batch"].is_string());
    assert_eq!(server.store.revision_count("450202").await.unwrap(), before + 3);
    // Importing the same again changes nothing.
    let again = reviewer
        .send(
            &server,
            Method::POST,
            "/api/v1/zones/450202/import?status=submitted",
            Some(good.into()),
            "text/csv",
        )
        .await;
    assert_eq!(
        (again.body["changed"].clone(), again.body["unchanged"].clone()),
        (json!(0), json!(3))
    );
    // A file touching an approved (locked) value: refused as a whole.
    let locked = "indicator,year,value,assigned\n7.1,2024,90,\n7.1,2021,90,\n";
    let refused = reviewer
        .send(
            &server,
            Method::POST,
            "/api/v1/zones/450202/import",
            Some(locked.into()),
            "text/csv",
        )
        .await;
    assert_eq!(refused.code(), "value_locked");
    assert_eq!(server.store.revision_count("450202").await.unwrap(), before + 3);
    // JSON import, with an item-numbered error.
    let json_body = json!({"values": [{"indicator": "9", "year": 2023, "value": "62"}, {"indicator": "7", "year": 2023, "value": "1"}]});
    let refused = reviewer
        .json(&server, Method::POST, "/api/v1/zones/450202/import", Some(json_body))
        .await;
    assert_eq!(
        (refused.code(), refused.body["error"]["details"][0]["item"].clone()),
        ("invalid_value", json!(1))
    );
    let ok = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/import",
            Some(json!({"values": [{"indicator": "9", "year": 2023, "value": "62"}]})),
        )
        .await;
    assert_eq!(ok.body["changed"], json!(1));
    // An editor may import only its department's rows, and not as approved.
    let mut editor = Client::login(&server, "editor-env").await;
    let other_rows = "indicator,year,value,assigned\n4,2023,全面实施,\n";
    assert_eq!(
        editor
            .send(
                &server,
                Method::POST,
                "/api/v1/zones/450202/import",
                Some(other_rows.into()),
                "text/csv"
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let own = "indicator,year,value,assigned\n7.1,2025,93,\n";
    assert_eq!(
        editor
            .send(
                &server,
                Method::POST,
                "/api/v1/zones/450202/import?status=approved",
                Some(own.into()),
                "text/csv"
            )
            .await
            .code(),
        "forbidden"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_errors_are_json_with_codes() {
    for server in servers("openapi").await {
        the_openapi_document_lists_every_route_and_errors_are_json_with_codes_on(server).await;
    }
}

async fn the_openapi_document_lists_every_route_and_errors_are_json_with_codes_on(server: TestServer) {
    let mut public = Client::anonymous();
    let document = public.get(&server, "/api/v1/openapi.json").await.body;
    assert_eq!(document["openapi"], "3.1.0");
    for route in ROUTES {
        assert!(
            document["paths"][route.path][route.method.to_lowercase()].is_object(),
            "{} {}",
            route.method,
            route.path
        );
    }
    let missing = public.get(&server, "/api/v1/no-such-thing").await;
    assert_eq!((missing.status, missing.code()), (StatusCode::NOT_FOUND, "not_found"));
    assert!(missing.body["error"]["message"].is_string());
    let plan = public.get(&server, "/api/v1/zones/450202/plan").await;
    assert_eq!(
        plan.body["title"],
        "柳州市城中区国家生态文明建设示范区规划（2022-2030年）"
    );
    let framework = public.get(&server, "/api/v1/frameworks/national-2021").await;
    assert!(framework.body["indicators"].as_array().unwrap().len() >= 30);
}

#[tokio::test]
async fn evidence_is_uploaded_listed_and_downloaded_as_an_attachment() {
    for server in servers("evidence").await {
        evidence_is_uploaded_listed_and_downloaded_as_an_attachment_on(server).await;
    }
}

async fn evidence_is_uploaded_listed_and_downloaded_as_an_attachment_on(server: TestServer) {
    let mut editor = Client::login(&server, "editor-env").await;
    let base = "/api/v1/zones/450202/values/7.1/2022/evidence";
    let uploaded = editor
        .send(
            &server,
            Method::POST,
            &format!("{base}?name=%E7%9B%91%E6%B5%8B%E6%9C%88%E6%8A%A5.pdf"),
            Some("%PDF-1.4 test".into()),
            "application/pdf",
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    assert_eq!(uploaded.body["file_name"], "监测月报.pdf");
    assert_eq!(uploaded.body["size_bytes"], json!(13));
    let listed = editor.get(&server, base).await;
    assert_eq!(listed.body["evidence"].as_array().map(Vec::len), Some(1));
    let download = uploaded.body["download"].as_str().unwrap().to_string();
    let mut viewer = Client::login(&server, "viewer").await;
    let file = viewer
        .send(&server, Method::GET, &download, None, "application/json")
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, Value::String("%PDF-1.4 test".into()));
    // Another department may not see it; an approved value takes no new evidence.
    let mut other = Client::login(&server, "editor-agri").await;
    assert_eq!(other.get(&server, &download).await.status, StatusCode::FORBIDDEN);
    let locked = editor
        .send(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/7.1/2021/evidence?name=a.pdf",
            Some("x".into()),
            "application/pdf",
        )
        .await;
    assert_eq!(locked.code(), "value_locked");
}

/// Issue 7: the documents of `ecociv report` are also downloads of the web pages — the Word report and the
/// open-data JSON beside Table 2-1's Excel and CSV — for anyone who may see the zone.
#[tokio::test]
async fn the_report_and_open_data_are_downloadable_from_the_pages() {
    for server in servers("downloads").await {
        the_report_and_open_data_are_downloadable_from_the_pages_on(server).await;
    }
}

async fn the_report_and_open_data_are_downloadable_from_the_pages_on(server: TestServer) {
    let mut public = Client::anonymous();
    let json = public.get(&server, "/z/450202/data.json?year=2021").await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(
        json.body,
        ecociv_report::json::open_data(&[ecociv_core::assess(
            &ecociv_data::load_zone("450202").unwrap().framework,
            &ecociv_data::load_zone("450202").unwrap().zone,
            2021
        )])
    );
    let docx = public.get(&server, "/z/450202/report.docx?year=2021").await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(
        docx.body.as_str().is_some_and(|text| text.starts_with("PK\u{3}\u{4}")),
        "a zip (docx) file"
    );
    assert_eq!(
        public.get(&server, "/z/999999/report.docx?year=2021").await.status,
        StatusCode::NOT_FOUND
    );
}
