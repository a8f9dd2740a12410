//! Running the plan through the API: a department reports progress on a project with a file, the bureau
//! returns it, the department resubmits, the bureau approves — and the supervision board and the
//! department's score change accordingly; refusals change nothing.

use axum::http::{Method, StatusCode};
use ecociv_server::Config;
use serde_json::{Value, json};

use crate::support::{Client, TestServer, server_with};

const BASE: &str = "/api/v1/zones/450202/plan";
const UNIT: &str = "城中区农业农村局";

fn day() -> Config {
    Config {
        plan_today: Some(ecociv_plan::Date::parse("2026-10-20").unwrap()),
        ..Config::default()
    }
}

async fn board(client: &mut Client, server: &TestServer) -> Value {
    let response = client.get(server, &format!("{BASE}/supervision")).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.body
}

fn item<'a>(board: &'a Value, id: &str) -> Option<&'a Value> {
    board["items"].as_array().unwrap().iter().find(|i| i["id"] == id)
}

async fn score(client: &mut Client, server: &TestServer) -> Value {
    let response = client.get(server, &format!("{BASE}/scores?year=2026")).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.body["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["department"] == UNIT)
        .cloned()
        .expect("the unit is scored")
}

fn line<'a>(card: &'a Value, id: &str) -> &'a Value {
    card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .unwrap()
}

/// The score recomputed from the explanation's lines alone (the rule of `Scorecard::recompute`).
fn recomputed(card: &Value) -> i64 {
    let round = |num: i64, den: i64| (2 * num + den) / (2 * den);
    let lines: Vec<&Value> = card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["applicable"] == true)
        .collect();
    let weights: i64 = lines.iter().map(|l| l["weight"].as_i64().unwrap()).sum();
    let earned: i64 = lines
        .iter()
        .map(|l| {
            round(
                l["weight"].as_i64().unwrap() * 100 * l["numerator"].as_i64().unwrap(),
                l["denominator"].as_i64().unwrap(),
            )
        })
        .sum();
    let base = if weights == 0 { 0 } else { round(earned * 100, weights) };
    let minus: i64 = card["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["points_x100"].as_i64().unwrap())
        .sum();
    (base - minus).max(0)
}

#[tokio::test]
async fn a_report_returned_resubmitted_and_approved_moves_the_board_and_the_score() {
    let server = server_with("plan-flow", day()).await;
    let mut editor = Client::login(&server, "editor-agri").await;
    let mut other = Client::login(&server, "editor-env").await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let report = format!("{BASE}/reports/project:2.01/2026Q3");
    let overdue_key = "report_overdue:项目 2.01:2026年第3季度";

    let before = board(&mut reviewer, &server).await;
    let opened = item(&before, overdue_key).expect("the overdue report is on the board");
    assert_eq!(opened["state"], "open");
    assert_eq!(opened["owner"], UNIT);
    assert_eq!(opened["rule"]["name"], "进展报告逾期未报送");
    let score_before = score(&mut reviewer, &server).await;
    assert_eq!(score_before["score_x100"].as_i64().unwrap(), recomputed(&score_before));

    // Another department may not report on the project; a viewer-less refusal stores nothing.
    let refused = other
        .json(
            &server,
            Method::POST,
            &format!("{report}/submit"),
            Some(json!({"status": "in_progress", "percent": 50, "narrative": "x"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Bad input is refused whole: an amount with three decimals.
    let bad = editor
        .json(
            &server,
            Method::POST,
            &format!("{report}/submit"),
            Some(json!({"status": "in_progress", "percent": 50, "narrative": "x", "spend": [{"source": "区级财政", "wan_yuan": "1.234"}]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);

    // The department uploads a file and submits.
    let file = editor
        .send(
            &server,
            Method::POST,
            &format!("{report}/evidence?name=%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg"),
            Some("JPEG bytes".into()),
            "image/jpeg",
        )
        .await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let file_id = file.body["id"].as_str().unwrap().to_string();
    let body = json!({
        "status": "in_progress", "percent": 60, "narrative": "主体工程完成 60%",
        "spend": [{"source": "上级专项资金", "wan_yuan": "900.00"}], "evidence": [file_id],
    });
    let submitted = editor
        .json(&server, Method::POST, &format!("{report}/submit"), Some(body.clone()))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let again = editor
        .json(&server, Method::POST, &format!("{report}/submit"), Some(body.clone()))
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "a second submission: {}",
        again.body
    );
    let after_submit = board(&mut reviewer, &server).await;
    assert_eq!(
        item(&after_submit, overdue_key).unwrap()["state"],
        "cleared",
        "filing clears the overdue item"
    );

    // The bureau returns it with a reason (a return without one is refused).
    let no_reason = reviewer
        .json(&server, Method::POST, &format!("{report}/return"), None)
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let editor_approves = editor
        .json(&server, Method::POST, &format!("{report}/approve"), None)
        .await;
    assert_eq!(editor_approves.status, StatusCode::FORBIDDEN);
    let returned = reviewer
        .json(
            &server,
            Method::POST,
            &format!("{report}/return"),
            Some(json!({"comment": "缺少资金支付凭证"})),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    let approve_returned = reviewer
        .json(&server, Method::POST, &format!("{report}/approve"), None)
        .await;
    assert_eq!(approve_returned.status, StatusCode::CONFLICT);

    // Resubmitted, approved.
    let resubmitted = editor
        .json(&server, Method::POST, &format!("{report}/submit"), Some(body))
        .await;
    assert_eq!(resubmitted.status, StatusCode::OK, "{}", resubmitted.body);
    let approved = reviewer
        .json(&server, Method::POST, &format!("{report}/approve"), None)
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);

    let history = reviewer.get(&server, &format!("{BASE}/reports")).await.body;
    let ours: Vec<&Value> = history["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["subject"] == "project:2.01" && r["period"] == "2026Q3")
        .collect();
    let states: Vec<&str> = ours.iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["submitted", "returned", "submitted", "approved"]);
    let files = &ours[3]["evidence"];
    assert_eq!(files[0]["file_name"], "现场照片.jpg");
    let download = editor.get(&server, files[0]["download"].as_str().unwrap()).await;
    assert_eq!(download.status, StatusCode::OK);

    // The score: the approved spend counts toward the project's plan, the return costs the quality item.
    let score_after = score(&mut reviewer, &server).await;
    assert_eq!(score_after["score_x100"].as_i64().unwrap(), recomputed(&score_after));
    assert_ne!(score_after["score_x100"], score_before["score_x100"]);
    let spend_before = line(&score_before, "projects");
    let spend_after = line(&score_after, "projects");
    assert_eq!(
        spend_after["numerator"].as_i64().unwrap() - spend_before["numerator"].as_i64().unwrap(),
        90_000,
        "900.00 万元 more approved spend, in hundredths"
    );
    let quality = line(&score_after, "quality");
    assert!(
        quality["detail"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.as_str().unwrap().contains("2026年第3季度：曾被退回"))
    );

    // 销号: the cleared item closes; an item whose condition holds does not.
    let close = |id: &str| format!("{BASE}/supervision/{}/close", urlencode(id));
    let closed = reviewer
        .json(
            &server,
            Method::POST,
            &close(overdue_key),
            Some(json!({"basis": "已报送并审核通过"})),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let holding = after_submit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["state"] == "open" && i["owner"] == UNIT)
        .expect("another open item of the unit");
    let refused = reviewer
        .json(
            &server,
            Method::POST,
            &close(holding["id"].as_str().unwrap()),
            Some(json!({"basis": "x"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let end = board(&mut reviewer, &server).await;
    assert_eq!(item(&end, overdue_key).unwrap()["state"], "closed");
}

#[tokio::test]
async fn manual_follow_ups_take_a_response_before_closure() {
    let server = server_with("plan-manual", day()).await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let mut editor = Client::login(&server, "editor-agri").await;
    let added = reviewer
        .json(
            &server,
            Method::POST,
            &format!("{BASE}/supervision"),
            Some(json!({"subject": "联席会议议定事项", "owner": UNIT, "reason": "11月底前完成清淤方案", "due": "2026-11-30"})),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let id = added.body["item"]["id"].as_str().unwrap().to_string();
    let path = |what: &str| format!("{BASE}/supervision/{}/{what}", urlencode(&id));
    let early = reviewer
        .json(&server, Method::POST, &path("close"), Some(json!({"basis": "x"})))
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    let editor_closes = editor
        .json(&server, Method::POST, &path("close"), Some(json!({"basis": "x"})))
        .await;
    assert_eq!(editor_closes.status, StatusCode::FORBIDDEN);
    let answered = editor
        .json(
            &server,
            Method::POST,
            &path("respond"),
            Some(json!({"text": "方案已报区政府"})),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let closed = reviewer
        .json(
            &server,
            Method::POST,
            &path("close"),
            Some(json!({"basis": "方案已印发"})),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(closed.body["item"]["state"], "closed");
    let events: Vec<&str> = closed.body["item"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["opened", "response", "closed"]);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
