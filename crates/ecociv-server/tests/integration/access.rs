//! The route × role table: every route of the API, called by every kind of caller, allowed or refused
//! as the table below says. The table is written out here independently of the server's own route
//! table, and the test fails if the two list different routes.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use ecociv_server::routes::ROUTES;
use serde_json::{Value, json};

use crate::support::{Client, server};

/// The kinds of caller. `EditorOwn` acts on a row its department leads (7.1, 城中生态环境局);
/// `EditorOther` is the agriculture editor acting on that same row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    Viewer,
    EditorOwn,
    EditorOther,
    Reviewer,
    Admin,
    /// Issue 15: a reviewer granted at 柳州市 (450200), the zone's city: a reviewer of every zone below it.
    CityReviewer,
}

const EVERYONE: &[Who] = &[
    Who::Public,
    Who::Viewer,
    Who::EditorOwn,
    Who::EditorOther,
    Who::Reviewer,
    Who::Admin,
    Who::CityReviewer,
];
const LOGGED_IN: &[Who] = &[
    Who::Viewer,
    Who::EditorOwn,
    Who::EditorOther,
    Who::Reviewer,
    Who::Admin,
    Who::CityReviewer,
];
const ROW_READERS: &[Who] = &[
    Who::Viewer,
    Who::EditorOwn,
    Who::Reviewer,
    Who::Admin,
    Who::CityReviewer,
];
const ROW_EDITORS: &[Who] = &[Who::EditorOwn, Who::Reviewer, Who::Admin, Who::CityReviewer];
const REVIEWERS: &[Who] = &[Who::Reviewer, Who::Admin, Who::CityReviewer];
const ADMINS: &[Who] = &[Who::Admin];
/// The roll-up of the zone's unit: admins and roles granted at the unit or above.
const UNIT_ROLES: &[Who] = &[Who::Admin, Who::CityReviewer];
/// Imports for a unit: admins and reviewers granted at the unit or above (the zone's own reviewer is not).
const UNIT_REVIEWERS: &[Who] = &[Who::Admin, Who::CityReviewer];

/// (method, path, who is allowed). Everyone else must be refused (401 for the public, 403 otherwise).
const TABLE: &[(&str, &str, &[Who])] = &[
    ("GET", "/api/v1/openapi.json", EVERYONE),
    ("GET", "/api/v1/health", EVERYONE),
    ("GET", "/api/v1/auth/csrf", EVERYONE),
    ("POST", "/api/v1/auth/login", EVERYONE),
    ("POST", "/api/v1/auth/logout", LOGGED_IN),
    ("GET", "/api/v1/me", LOGGED_IN),
    ("GET", "/api/v1/frameworks/{id}", EVERYONE),
    ("GET", "/api/v1/zones", EVERYONE),
    ("GET", "/api/v1/zones/{code}", EVERYONE),
    ("GET", "/api/v1/zones/{code}/plan", EVERYONE),
    ("GET", "/api/v1/zones/{code}/assessment", EVERYONE),
    ("GET", "/api/v1/zones/{code}/progress", EVERYONE),
    ("GET", "/api/v1/zones/{code}/departments", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/values", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/values/{row}/{year}/history", ROW_READERS),
    ("PUT", "/api/v1/zones/{code}/values/{row}/{year}", ROW_EDITORS),
    ("POST", "/api/v1/zones/{code}/values/{row}/{year}/submit", ROW_EDITORS),
    ("POST", "/api/v1/zones/{code}/values/{row}/{year}/approve", REVIEWERS),
    ("POST", "/api/v1/zones/{code}/values/{row}/{year}/return", REVIEWERS),
    ("POST", "/api/v1/zones/{code}/values/{row}/{year}/reopen", REVIEWERS),
    ("POST", "/api/v1/zones/{code}/import", ROW_EDITORS),
    ("GET", "/api/v1/zones/{code}/values/{row}/{year}/evidence", ROW_READERS),
    ("POST", "/api/v1/zones/{code}/values/{row}/{year}/evidence", ROW_EDITORS),
    ("GET", "/api/v1/zones/{code}/evidence/{id}", ROW_READERS),
    ("GET", "/api/v1/zones/{code}/monitoring", LOGGED_IN),
    ("POST", "/api/v1/zones/{code}/monitoring/compute", REVIEWERS),
    ("POST", "/api/v1/zones/{code}/monitoring/import/{kind}", REVIEWERS),
    ("POST", "/api/v1/zones/{code}/monitoring/corrections/{kind}", REVIEWERS),
    ("GET", "/api/v1/zones/{code}/monitoring/corrections", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/monitoring/history/{kind}", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/monitoring/stale", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/plan/measures", EVERYONE),
    ("GET", "/api/v1/zones/{code}/plan/projects", EVERYONE),
    ("POST", "/api/v1/zones/{code}/plan/ledger", REVIEWERS),
    ("GET", "/api/v1/zones/{code}/plan/reports", LOGGED_IN),
    (
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/evidence",
        ROW_EDITORS,
    ),
    (
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/submit",
        ROW_EDITORS,
    ),
    (
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/approve",
        REVIEWERS,
    ),
    (
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/return",
        REVIEWERS,
    ),
    ("GET", "/api/v1/zones/{code}/plan/evidence/{evidence_id}", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/plan/supervision", LOGGED_IN),
    ("POST", "/api/v1/zones/{code}/plan/supervision", REVIEWERS),
    (
        "POST",
        "/api/v1/zones/{code}/plan/supervision/{item}/respond",
        ROW_EDITORS,
    ),
    ("POST", "/api/v1/zones/{code}/plan/supervision/{item}/close", REVIEWERS),
    ("GET", "/api/v1/zones/{code}/plan/scores", LOGGED_IN),
    ("GET", "/api/v1/users", ADMINS),
    ("POST", "/api/v1/users", ADMINS),
    ("PUT", "/api/v1/zones/{code}/members/{user_id}", ADMINS),
    ("PUT", "/api/v1/users/{user_id}", ADMINS),
    ("PUT", "/api/v1/users/{user_id}/password", ADMINS),
    ("POST", "/api/v1/zones/{code}/departments", ADMINS),
    ("PUT", "/api/v1/zones/{code}/departments/{department_id}", ADMINS),
    ("GET", "/api/v1/audit", ADMINS),
    ("GET", "/api/v1/zones/{code}/surveys", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/surveys/{survey}", LOGGED_IN),
    ("POST", "/api/v1/zones/{code}/surveys/{survey}/compute", REVIEWERS),
    // Issue 14 (h14): the public switch, the catalogue, the disclosure register.
    ("PUT", "/api/v1/zones/{code}/public", ADMINS),
    ("PUT", "/api/v1/zones/{code}/licence", ADMINS),
    // Issue 15 (h15): zones from files, roles at a level, the roll-up.
    ("POST", "/api/v1/zones", ADMINS),
    ("GET", "/api/v1/zones/{code}/export", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/editions", LOGGED_IN),
    ("POST", "/api/v1/zones/{code}/editions", ADMINS),
    ("PUT", "/api/v1/units/{code}/roles/{user_id}", ADMINS),
    ("POST", "/api/v1/units/{code}/zones", UNIT_REVIEWERS),
    ("GET", "/api/v1/units/{code}/zones/template.xlsx", UNIT_REVIEWERS),
    ("POST", "/api/v1/units/{code}/boundaries", UNIT_REVIEWERS),
    ("GET", "/api/v1/rollup/{code}", UNIT_ROLES),
    ("GET", "/api/v1/rollup/{code}/rollup.xlsx", UNIT_ROLES),
    ("GET", "/api/v1/rollup/{code}/summary.docx", UNIT_ROLES),
    ("GET", "/api/v1/zones/{code}/peers", EVERYONE),
    // Issue 15 (h54): a zone's points on its map.
    ("GET", "/api/v1/zones/{code}/sites", EVERYONE),
    ("POST", "/api/v1/zones/{code}/sites", ADMINS),
    // Registers (台账), issue 13: the hazard register is kept by 城中生态环境局 (EditorOwn's department).
    ("GET", "/api/v1/zones/{code}/ledgers", LOGGED_IN),
    ("GET", "/api/v1/zones/{code}/ledgers/derived", LOGGED_IN),
    ("POST", "/api/v1/zones/{code}/ledgers/compute", REVIEWERS),
    ("GET", "/api/v1/zones/{code}/ledgers/{ledger}", LOGGED_IN),
    (
        "GET",
        "/api/v1/zones/{code}/ledgers/{ledger}/records/{record}",
        LOGGED_IN,
    ),
    ("GET", "/api/v1/zones/{code}/ledgers/{ledger}/template.xlsx", LOGGED_IN),
    ("POST", "/api/v1/zones/{code}/ledgers/{ledger}/import", ROW_EDITORS),
    (
        "POST",
        "/api/v1/zones/{code}/ledgers/{ledger}/records/{record}/evidence",
        ROW_EDITORS,
    ),
    ("GET", "/api/v1/zones/{code}/ledger-evidence/{id}", LOGGED_IN),
];

fn body_for(method: &str, path: &str, who: Who, n: usize) -> Option<Value> {
    match (method, path) {
        ("POST", "/api/v1/auth/login") => Some(json!({"username": "nobody", "password": "wrong password"})),
        ("PUT", "/api/v1/zones/{code}/values/{row}/{year}") => Some(json!({"value": "95", "source": "route test"})),
        ("POST", p) if p.ends_with("/return") || p.ends_with("/reopen") => Some(json!({"comment": "route test"})),
        ("POST", "/api/v1/zones/{code}/import") => None,
        ("POST", "/api/v1/users") => Some(
            json!({"username": format!("u{n}-{who:?}").to_lowercase(), "display_name": "x", "password": "a long enough password"}),
        ),
        ("PUT", "/api/v1/zones/{code}/members/{user_id}") => Some(json!({"role": "viewer"})),
        ("POST", p) if p.ends_with("/plan/reports/{subject}/{period}/submit") => {
            Some(json!({"status": "in_progress", "percent": 10, "narrative": "路由测试"}))
        }
        ("POST", "/api/v1/zones/{code}/plan/supervision") => Some(
            json!({"subject": "联席会议议定事项", "owner": "城中生态环境局", "reason": "路由测试", "due": "2099-01-01"}),
        ),
        ("POST", p) if p.ends_with("/respond") => Some(json!({"text": "路由测试"})),
        ("POST", p) if p.ends_with("/close") => Some(json!({"basis": "路由测试"})),
        ("PUT", "/api/v1/users/{user_id}") => Some(json!({"display_name": "路由测试用户"})),
        ("PUT", "/api/v1/users/{user_id}/password") => Some(json!({"password": "another long password"})),
        ("POST", "/api/v1/zones/{code}/departments") => Some(json!({"name": format!("路由测试部门{n}{who:?}")})),
        ("PUT", "/api/v1/zones/{code}/departments/{department_id}") => Some(json!({"name": "路由测试部门"})),
        // The zone stays public: the table's other routes are walked on it.
        ("PUT", "/api/v1/zones/{code}/public") => Some(json!({"public": true})),
        ("PUT", "/api/v1/zones/{code}/licence") => Some(json!({"licence": "CC-BY-4.0"})),
        // A zone file that names an unknown edition: refused as invalid (400), after the role check.
        ("POST", "/api/v1/zones") => Some(json!({"zone_toml": "framework = \"none\""})),
        ("PUT", "/api/v1/units/{code}/roles/{user_id}") => Some(json!({"role": "viewer"})),
        // An unknown edition: refused as invalid (400) after the role check; the zone keeps its edition.
        ("POST", "/api/v1/zones/{code}/editions") => {
            Some(json!({"framework": "none", "from_year": 2025, "reason": "路由测试"}))
        }
        // An empty collection: refused as invalid (400) after the role check; the zone's points unchanged.
        ("POST", "/api/v1/zones/{code}/sites") => Some(json!({"type": "FeatureCollection", "features": []})),
        _ => None,
    }
}

#[tokio::test]
async fn every_route_allows_exactly_the_roles_of_the_table() {
    let mut server = server("access").await;
    crate::support::unit_account(&mut server, "city-reviewer", "450200", ecociv_store::Role::Reviewer).await;
    let table_routes: BTreeSet<(&str, &str)> = TABLE.iter().map(|(m, p, _)| (*m, *p)).collect();
    let server_routes: BTreeSet<(&str, &str)> = ROUTES.iter().map(|r| (r.method, r.path)).collect();
    assert_eq!(
        table_routes, server_routes,
        "the route × role table must list exactly the server's routes"
    );
    let viewer_id = server.store.user_by_username("viewer").await.unwrap().unwrap().id;
    let survey = server.store.surveys("450202").await.unwrap()[0].survey_id.clone();
    let uploader = server.store.user_by_username("editor-env").await.unwrap().unwrap().id;
    // The account and department the administration routes change (not one the test logs in with).
    let target = server
        .store
        .create_user("route-target", "路由测试用户", "x", false)
        .await
        .unwrap()
        .id;
    let department = server
        .store
        .ensure_department("450202", "路由测试部门")
        .await
        .unwrap()
        .id;
    let evidence = server
        .store
        .add_evidence(
            "450202",
            "7.1",
            2022,
            "a.pdf",
            "application/pdf",
            "x",
            b"%PDF".to_vec(),
            &uploader,
        )
        .await
        .unwrap();
    // The plan's work: a measure led by 城中生态环境局 (EditorOwn's unit), a file of its report, and a
    // manual follow-up owned by that unit.
    let plan_file = server
        .store
        .add_plan_evidence(
            "450202",
            &ecociv_plan::report::Subject::Measure("1.1.2".into()),
            ecociv_plan::Period::new(2025, 3, ecociv_plan::Periodicity::Quarterly).unwrap(),
            ecociv_store::plan::NewPlanEvidence {
                file_name: "a.pdf".into(),
                media_type: "application/pdf".into(),
                sha256: "x".into(),
                content: b"%PDF".to_vec(),
                uploaded_by: uploader.clone(),
            },
        )
        .await
        .unwrap();
    let before = server.store.board("450202").await.unwrap();
    let mut board = before.clone();
    let day = ecociv_plan::Date::parse("2026-01-05").unwrap();
    let item = board.add_manual(
        "联席会议",
        "城中生态环境局",
        "议定事项",
        day,
        day.plus_days(30),
        "reviewer",
    );
    server.store.append_board("450202", &before, &board).await.unwrap();
    let mut failures = Vec::new();
    for (n, (method, template, allowed)) in TABLE.iter().enumerate() {
        for &who in EVERYONE {
            let mut client = match who {
                Who::Public => Client::anonymous(),
                Who::Viewer => Client::login(&server, "viewer").await,
                Who::EditorOwn => Client::login(&server, "editor-env").await,
                Who::EditorOther => Client::login(&server, "editor-agri").await,
                Who::Reviewer => Client::login(&server, "reviewer").await,
                Who::Admin => Client::login(&server, "admin").await,
                Who::CityReviewer => Client::login(&server, "city-reviewer").await,
            };
            if who == Who::Public && *method != "GET" {
                // The public gets a valid pre-login CSRF token, so a refusal is about rights, not CSRF.
                client.prepare_login(&server).await;
            }
            let path = template
                .replace("/evidence/{id}", &format!("/evidence/{}", evidence.id))
                .replace("{evidence_id}", &plan_file.id)
                .replace("{subject}", "measure:1.1.2")
                .replace("{period}", "2025Q3")
                .replace("{item}", &item)
                .replace("{id}", "national-2021")
                .replace("{code}", "450202")
                .replace("{row}", "7.1")
                .replace("{year}", "2022")
                .replace("/users/{user_id}", &format!("/users/{target}"))
                .replace("/roles/{user_id}", &format!("/roles/{target}"))
                .replace("{user_id}", &viewer_id)
                .replace("{department_id}", &department)
                .replace("{kind}", "air")
                .replace("{survey}", &survey)
                .replace("{ledger}", "risk_hazard")
                .replace("{record}", "YH1");
            let path =
                if path.ends_with("/assessment") || path.ends_with("/peers") || path.starts_with("/api/v1/rollup/") {
                    format!("{path}?year=2021")
                } else {
                    path
                };
            // Imports for a unit: a dry run of a file that is not one (refused as invalid after the role).
            let path = if path.ends_with("/template.xlsx") {
                format!("{path}?zone=450202")
            } else if path.starts_with("/api/v1/units/") && !path.contains("/roles/") {
                format!("{path}?dry_run=true")
            } else {
                path
            };
            let path = if path.ends_with("/progress") {
                format!("{path}?target_year=2025")
            } else {
                path
            };
            let path = if path.ends_with("/monitoring/compute") || path.ends_with("/ledgers/compute") {
                format!("{path}?year=2022&dry_run=true")
            } else if path.ends_with("/ledgers/derived") || path.ends_with("/monitoring/stale") {
                format!("{path}?year=2022")
            } else {
                path
            };
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let response = if template.ends_with("/plan/ledger") {
                client
                    .send(
                        &server,
                        method.clone(),
                        &path,
                        Some("not a workbook".into()),
                        "application/octet-stream",
                    )
                    .await
            } else if method == Method::POST && template.ends_with("/evidence") {
                client
                    .send(
                        &server,
                        method.clone(),
                        &format!("{path}?name=%E6%8A%A5%E5%91%8A.pdf"),
                        Some("%PDF-1.4".into()),
                        "application/pdf",
                    )
                    .await
            } else if template.ends_with("/import/{kind}") {
                let csv = "station,date,hour,so2,no2,pm10,co,o3,pm25\nS1,2022-01-01,0,5,20,40,0.5,30,20\n";
                client
                    .send(
                        &server,
                        method.clone(),
                        &format!("{path}?dry_run=true&file=route.csv"),
                        Some(csv.into()),
                        "text/csv",
                    )
                    .await
            } else if template.ends_with("/ledgers/{ledger}/import") {
                let csv = "编号,单位或地点,隐患描述,隐患等级,发现日期,整改期限,状态,状态日期\nYH9,仓库,围堰破损,一般,2022-04-01,,登记,2022-04-01\n";
                client
                    .send(
                        &server,
                        method.clone(),
                        &format!("{path}?dry_run=true&file=route.csv"),
                        Some(csv.into()),
                        "text/csv",
                    )
                    .await
            } else if template.ends_with("/import") {
                let csv = "indicator,year,value,assigned\n7.1,2023,93.2,\n";
                client
                    .send(
                        &server,
                        method.clone(),
                        &format!("{path}?dry_run=true"),
                        Some(csv.into()),
                        "text/csv",
                    )
                    .await
            } else {
                client
                    .json(
                        &server,
                        method.clone(),
                        &path,
                        body_for(method.as_str(), template, who, n),
                    )
                    .await
            };
            // Four eyes (`own_value`: the caller wrote the value) is the workflow's rule, not the role's.
            let refused = matches!(response.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                && response.code() != "own_value";
            let expected_refusal = if who == Who::Public {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::FORBIDDEN
            };
            let is_login = template.ends_with("/auth/login");
            let ok = if allowed.contains(&who) {
                // Login with a wrong password answers 401 login_failed: that is the route working, not a refusal.
                if is_login {
                    response.code() == "login_failed"
                } else {
                    !refused
                }
            } else {
                response.status == expected_refusal
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {who:?}: {} {}",
                    response.status, response.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "route × role table violated:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn undisclosed_zones_are_invisible_to_the_public_and_to_non_members() {
    let server = server("undisclosed").await;
    server.store.set_disclosed("450202", false).await.unwrap();
    let mut public = Client::anonymous();
    for path in [
        "/api/v1/zones/450202",
        "/api/v1/zones/450202/plan",
        "/api/v1/zones/450202/assessment?year=2021",
    ] {
        let response = public.get(&server, path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.code(), "not_found");
    }
    assert_eq!(public.get(&server, "/api/v1/zones").await.body["zones"], json!([]));
    let mut viewer = Client::login(&server, "viewer").await;
    assert_eq!(
        viewer
            .get(&server, "/api/v1/zones/450202/assessment?year=2021")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        viewer.get(&server, "/api/v1/zones").await.body["zones"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}
