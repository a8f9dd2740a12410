//! Corrections of monitoring data (issue 19), on SQLite and PostgreSQL: a correction batch refused whole
//! (a reading not stored, a reason missing, a bad value — each named by file, line and field) changes
//! nothing; a dry run changes nothing; an accepted batch keeps the imported readings (append-only, each
//! reading's history readable) and the rows computed from them become stale until recomputed and approved
//! through the workflow. Expected figures are computed here independently: `ecociv-air`'s zone reader over
//! the synthetic files edited the same way.

use std::path::{Path, PathBuf};

use axum::http::{Method, StatusCode};
use ecociv_air::EditionChoice;
use ecociv_server::demo;
use serde_json::Value;

use crate::support::{Client, Response, TestServer, servers};

fn air_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-450202-SYNTHETIC/air")
}

const FILE_A: &str = "SYNTHETIC-air-2023-A.csv";
const FILE_B: &str = "SYNTHETIC-air-2023-B.csv";
/// 停电 (power cut), URL-encoded: the batch's reason for lines without their own.
const REASON: &str = "%E5%81%9C%E7%94%B5";

async fn correct(client: &mut Client, server: &TestServer, query: &str, csv: &str) -> Response {
    client
        .send(
            server,
            Method::POST,
            &format!("/api/v1/zones/450202/monitoring/corrections/air?{query}"),
            Some(csv.to_string().into()),
            "text/csv",
        )
        .await
}

/// The 7.1 and 7.2 figures of 2023 `ecociv-air` computes from the two files, file A given as `a`.
fn expected(a: &str) -> (f64, f64) {
    let b = std::fs::read_to_string(air_dir().join(FILE_B)).unwrap();
    figures(&[(FILE_A, a), (FILE_B, &b)], 2023).0
}

/// The 7.1 and 7.2 figures of `year` `ecociv-air`'s folder reader (the CLI's) computes from `files`
/// (name, content), and whether the year came from daily values.
fn figures(files: &[(&str, &str)], year: i32) -> ((f64, f64), bool) {
    let dir = std::env::temp_dir().join(format!(
        "ecociv-corrections-{}-{}",
        std::process::id(),
        files.iter().map(|(_, csv)| csv.len()).sum::<usize>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, csv) in files {
        std::fs::write(dir.join(name), csv).unwrap();
    }
    let (years, _, _) = ecociv_air::ingest::read_zone_dir(&dir, "450202", None, EditionChoice::ByDate, false).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let y = years.iter().find(|y| y.year == year).unwrap();
    (
        (y.good_rate_tenths().unwrap() as f64 / 10.0, y.pm25().unwrap().0 as f64),
        y.from_daily,
    )
}

/// Computes `year`'s rows from monitoring (the reviewer submits 7.2, and 7.1 when it changed): the
/// values of the year.
async fn compute(reviewer: &mut Client, server: &TestServer, year: i32) -> Value {
    let done = post(
        reviewer,
        server,
        &format!("/api/v1/zones/450202/monitoring/compute?year={year}"),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}: {}", server.engine, done.body);
    let values = reviewer
        .get(server, &format!("/api/v1/zones/450202/values?year={year}"))
        .await
        .body;
    assert_eq!(
        value_of(&values, "7.2", year)["status"],
        "submitted",
        "{}",
        server.engine
    );
    values
}

/// [`compute`], then a second person approves.
async fn compute_and_approve(reviewer: &mut Client, admin: &mut Client, server: &TestServer, year: i32) {
    let values = compute(reviewer, server, year).await;
    approve_submitted(admin, server, &values, year).await;
}

/// A second person approves the rows of `values` (the values JSON of `year`) still submitted.
async fn approve_submitted(admin: &mut Client, server: &TestServer, values: &Value, year: i32) {
    for row in ["7.1", "7.2"] {
        if value_of(values, row, year)["status"] == "submitted" {
            let approved = post(
                admin,
                server,
                &format!("/api/v1/zones/450202/values/{row}/{year}/approve"),
            )
            .await;
            assert_eq!(approved.status, StatusCode::OK, "{}: {}", server.engine, approved.body);
        }
    }
}

/// The row `row` of `year` the stale list names (the value in force and the recomputed figure).
async fn stale_row(client: &mut Client, server: &TestServer, year: i32, row: &str) -> Value {
    let stale = client
        .get(server, &format!("/api/v1/zones/450202/monitoring/stale?year={year}"))
        .await
        .body;
    stale["stale"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["row"] == row)
        .cloned()
        .unwrap_or_else(|| panic!("{}: {stale}", server.engine))
}

/// The input files of the row's revisions computed from monitoring whose value was `before` and `after`.
async fn inputs_before_and_after(
    client: &mut Client,
    server: &TestServer,
    row: &str,
    year: i32,
    (before, after): (f64, f64),
) -> (Vec<Value>, Value) {
    let history = client
        .get(server, &format!("/api/v1/zones/450202/values/{row}/{year}/history"))
        .await
        .body;
    let revisions = history["revisions"].as_array().unwrap();
    assert_eq!(revisions.last().unwrap()["status"], "approved", "{history}");
    let import = |value: f64| {
        revisions
            .iter()
            .find(|r| r["value"].as_f64() == Some(value) && r["action"] == "import")
            .cloned()
            .unwrap_or_else(|| panic!("{}: {history}", server.engine))
    };
    let files = |r: &Value| r["source"]["files"].as_array().cloned().unwrap_or_default();
    let new = import(after);
    (files(&import(before)), new)
}

/// The air page's correction form (multipart) of a file of `kind`.
fn correction_form(kind: &str, year: i32, reason: &str, file: &str, csv: &str) -> String {
    format!(
        "--XB\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --XB\r\nContent-Disposition: form-data; name=\"back\"\r\n\r\nair\r\n\
         --XB\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n{year}\r\n\
         --XB\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n{reason}\r\n\
         --XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--XB--\r\n"
    )
}

async fn send_form(client: &mut Client, server: &TestServer, body: String) -> Response {
    client
        .send(
            server,
            Method::POST,
            "/z/450202/monitoring/correct",
            Some(axum::body::Body::from(body)),
            "multipart/form-data; boundary=XB",
        )
        .await
}

fn value_of(values: &Value, row: &str, year: i32) -> Value {
    values["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["row"] == row && v["year"] == year)
        .cloned()
        .unwrap_or(Value::Null)
}

async fn post(client: &mut Client, server: &TestServer, path: &str) -> Response {
    client.json(server, Method::POST, path, None).await
}

async fn cells(server: &TestServer) -> Vec<ecociv_store::monitoring::Cell> {
    server
        .store
        .monitoring_cells("450202", "air", "2023", "2024")
        .await
        .unwrap()
}

/// Done when: "A correction changes a computed row after review, with the old and new inputs in its
/// history" — import → compute → approve → supersede and retract readings → the row is stale → recompute
/// → review → the approved figure changed, its history with the old and new inputs.
#[tokio::test]
async fn a_correction_changes_a_computed_row_after_review_with_old_and_new_inputs_in_its_history() {
    for server in servers("corrections").await {
        let engine = server.engine;
        demo::load_monitoring(&server.store).await.unwrap();
        let original = std::fs::read_to_string(air_dir().join(FILE_A)).unwrap();
        let (before_71, before_72) = expected(&original);
        let mut reviewer = Client::login(&server, "reviewer").await;
        let mut admin = Client::login(&server, "admin").await;

        // Computed and approved (by a second person).
        compute_and_approve(&mut reviewer, &mut admin, &server, 2023).await;
        let values = reviewer
            .get(&server, "/api/v1/zones/450202/values?year=2023")
            .await
            .body;
        assert_eq!(
            value_of(&values, "7.2", 2023)["value"].as_f64(),
            Some(before_72),
            "{engine}"
        );
        let stale = reviewer
            .get(&server, "/api/v1/zones/450202/monitoring/stale?year=2023")
            .await;
        assert_eq!(stale.status, StatusCode::OK, "{}", stale.body);
        assert_eq!(
            stale.body["stale"],
            serde_json::json!([]),
            "{engine}: nothing stale yet"
        );

        // The correction: the first 10 days' PM2.5 of file A replaced by 300 (a re-calibrated analyser),
        // the SO2 of the next 10 hours withdrawn (batch reason). The same edits made to the file give the
        // expected figures.
        let lines: Vec<&str> = original.lines().collect();
        let mut corrections = String::from("station,date,hour,so2,pm25,action,reason\n");
        let mut edited = vec![lines[0].to_string()];
        for (i, line) in lines.iter().enumerate().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if i <= 240 && f[8].is_empty() {
                // No PM2.5 stored for that hour: nothing to replace.
                edited.push(line.to_string());
            } else if i <= 240 {
                corrections.push_str(&format!("{},{},{},,300,supersede,分析仪校准后复核\n", f[0], f[1], f[2]));
                edited.push(format!(
                    "{},{},{},{},{},{},{},{},300",
                    f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]
                ));
            } else if i <= 250 && !f[3].is_empty() {
                corrections.push_str(&format!("{},{},{},{},,retract,\n", f[0], f[1], f[2], f[3]));
                edited.push(format!("{},{},{},,{}", f[0], f[1], f[2], f[4..].join(",")));
            } else {
                edited.push(line.to_string());
            }
        }
        let (after_71, after_72) = expected(&(edited.join("\n") + "\n"));
        let given = corrections.lines().count() as u64 - 1;
        assert_ne!(after_72, before_72, "the correction changes the PM2.5 figure");
        let stored_before = cells(&server).await;

        // Refused whole: a reading never stored (station Z), a line without a reason when the batch has
        // none, a bad value — each named by line and field; nothing changes.
        let bad = format!("{corrections}Z,2023-01-01,0,,12,supersede,x\nSYN-A0000,2023-02-01,0,,abc,supersede,x\n");
        let refused = correct(&mut reviewer, &server, "file=fix.csv", &bad).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{engine}: {}", refused.body);
        let details = refused.body["error"]["details"].as_array().unwrap().clone();
        let places: Vec<(u64, Option<&str>)> = details
            .iter()
            .map(|d| (d["line"].as_u64().unwrap(), d["field"].as_str()))
            .collect();
        let n = corrections.lines().count() as u64;
        // The retract lines without a reason (no batch reason), then the bad value.
        assert!(places.contains(&(n + 2, Some("pm25"))), "{engine}: {places:?}");
        assert!(places.iter().any(|(_, f)| *f == Some("reason")), "{engine}: {places:?}");
        assert!(details.iter().all(|d| d["file"] == "fix.csv"));
        // With the batch's reason and without the bad value: the store refuses the unknown reading.
        let unknown = format!("{corrections}Z,2023-01-01,0,,12,supersede,x\n");
        let refused = correct(
            &mut reviewer,
            &server,
            &format!("file=fix.csv&reason={REASON}"),
            &unknown,
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{engine}: {}", refused.body);
        let detail = &refused.body["error"]["details"][0];
        assert_eq!(
            (detail["line"].as_u64(), detail["field"].as_str()),
            (Some(n + 1), Some("pm25")),
            "{detail}"
        );
        assert!(detail["message"].as_str().unwrap().contains("没有"), "{detail}");
        // A dry run of the good file: accepted, nothing stored.
        let dry = correct(
            &mut reviewer,
            &server,
            &format!("file=fix.csv&reason={REASON}&dry_run=true"),
            &corrections,
        )
        .await;
        assert_eq!(dry.status, StatusCode::OK, "{engine}: {}", dry.body);
        assert_eq!(dry.body["corrections"].as_u64(), Some(given));
        assert_eq!(
            cells(&server).await,
            stored_before,
            "{engine}: refusals and a dry run change nothing"
        );
        // Only reviewers correct.
        let mut editor = Client::login(&server, "editor-env").await;
        let forbidden = correct(
            &mut editor,
            &server,
            &format!("file=fix.csv&reason={REASON}"),
            &corrections,
        )
        .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

        let done = correct(
            &mut reviewer,
            &server,
            &format!("file=fix.csv&reason={REASON}"),
            &corrections,
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{engine}: {}", done.body);
        assert_eq!(
            (done.body["corrections"].as_u64(), done.body["retracted"].as_u64()),
            (Some(given), Some(10))
        );
        let stored_after = cells(&server).await;
        assert_eq!(
            stored_after.len(),
            stored_before.len() - 10,
            "{engine}: 10 readings withdrawn"
        );

        // The reading's history: the imported value kept, then the correction with who, when and why.
        let f: Vec<&str> = lines[1].split(',').collect();
        let history = reviewer
            .get(
                &server,
                &format!(
                    "/api/v1/zones/450202/monitoring/history/air?station={}&parameter=pm25&time={}T{:02}",
                    f[0],
                    f[1],
                    f[2].parse::<u8>().unwrap()
                ),
            )
            .await;
        assert_eq!(history.status, StatusCode::OK, "{engine}: {}", history.body);
        assert_eq!(history.body["original"], f[8]);
        assert_eq!(history.body["current"], "300");
        let step = &history.body["corrections"][0];
        assert_eq!(
            (step["action"].as_str(), step["reason"].as_str()),
            (Some("supersede"), Some("分析仪校准后复核"))
        );
        assert_eq!(
            (step["file"].as_str(), step["line"].as_u64()),
            (Some("fix.csv"), Some(2))
        );
        assert!(!step["author"].as_str().unwrap().is_empty() && !step["at"].as_str().unwrap().is_empty());
        let retracted = lines[241].split(',').collect::<Vec<_>>();
        let history = reviewer
            .get(
                &server,
                &format!(
                    "/api/v1/zones/450202/monitoring/history/air?station={}&parameter=so2&time={}T{:02}",
                    retracted[0],
                    retracted[1],
                    retracted[2].parse::<u8>().unwrap()
                ),
            )
            .await;
        assert_eq!(history.body["current"], Value::Null, "{}", history.body);
        assert_eq!(history.body["corrections"][0]["reason"], "停电");
        // A reading withdrawn cannot be corrected again; the refusal changes nothing.
        let again = format!(
            "station,date,hour,so2,action,reason\n{},{},{},5,supersede,x\n",
            retracted[0], retracted[1], retracted[2]
        );
        let refused = correct(&mut reviewer, &server, "file=again.csv", &again).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert_eq!(cells(&server).await, stored_after);

        // The approved rows are stale: in force the old figure, the readings now give the new one.
        let stale_72 = stale_row(&mut reviewer, &server, 2023, "7.2").await;
        assert_eq!(stale_72["status"], "approved");
        assert_eq!(
            (stale_72["value"].as_f64(), stale_72["recomputed"].as_f64()),
            (Some(before_72), Some(after_72))
        );
        assert_eq!(
            assessed(&server, 2023).await.1,
            Some(before_72),
            "the approved figure stands until review"
        );

        // Recomputed through the workflow: submitted, approved by a second person.
        let values = compute(&mut reviewer, &server, 2023).await;
        let stale = reviewer
            .get(&server, "/api/v1/zones/450202/monitoring/stale?year=2023")
            .await
            .body;
        assert_eq!(
            stale["stale"],
            serde_json::json!([]),
            "{engine}: recomputed, nothing stale"
        );
        let own = post(&mut reviewer, &server, "/api/v1/zones/450202/values/7.2/2023/approve").await;
        assert_eq!(own.code(), "own_value");
        approve_submitted(&mut admin, &server, &values, 2023).await;
        assert_eq!(
            assessed(&server, 2023).await,
            (Some(after_71), Some(after_72)),
            "{engine}: the approved figures changed"
        );
        let _ = before_71;

        // The row's history: the old figure with its inputs (the imported files), the new one with the
        // correction file among its inputs and a reason naming it.
        let (old, new) = inputs_before_and_after(&mut reviewer, &server, "7.2", 2023, (before_72, after_72)).await;
        let files = new["source"]["files"].as_array().cloned().unwrap_or_default();
        assert!(!old.iter().any(|f| f == "更正:fix.csv"), "{old:?}");
        assert!(files.iter().any(|f| f == "更正:fix.csv"), "{new}");
        assert!(files.iter().any(|f| f == FILE_A), "{new}");
        assert!(new["reason"].as_str().unwrap().contains("更正:fix.csv"), "{new}");
    }
}

/// The pages: a reviewer corrects from the air page (multipart form; a refused file comes back naming its
/// line and nothing changes), the air page then lists the row to recompute, the batch and a reading's
/// history, Table 2-1 marks the row 待重新计算; the public sees no corrections part.
#[tokio::test]
async fn the_air_page_corrects_readings_shows_their_history_and_table_2_1_marks_the_row_stale() {
    let server = crate::support::server("corrections-pages").await;
    demo::load_monitoring(&server.store).await.unwrap();
    let mut reviewer = Client::login(&server, "reviewer").await;
    let mut admin = Client::login(&server, "admin").await;
    compute_and_approve(&mut reviewer, &mut admin, &server, 2023).await;
    let original = std::fs::read_to_string(air_dir().join(FILE_A)).unwrap();
    let mut csv = String::from("station,date,hour,pm25,action,reason\n");
    for line in original.lines().skip(1).take(480) {
        let f: Vec<&str> = line.split(',').collect();
        if !f[8].is_empty() {
            csv.push_str(&format!("{},{},{},400,supersede,\n", f[0], f[1], f[2]));
        }
    }
    let form = |csv: &str, reason: &str| correction_form("air", 2023, reason, "fix.csv", csv);
    // No reason anywhere: refused, naming the first line and the field; nothing changes.
    let before = cells(&server).await;
    let refused = send_form(&mut reviewer, &server, form(&csv, "")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.body.as_str().unwrap_or_default().to_string();
    assert!(
        html.contains("未作任何更正") && html.contains("第 2 行") && html.contains("reason"),
        "{html}"
    );
    assert_eq!(cells(&server).await, before);

    let done = send_form(&mut reviewer, &server, form(&csv, "分析仪漂移")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let html = done.body.as_str().unwrap_or_default().to_string();
    assert!(html.contains("已更正 fix.csv"), "{html}");
    // The row to recompute, the batch, and a reading's history looked up on the page.
    assert!(html.contains("待重新计算") || html.contains("需重新计算"), "{html}");
    let first: Vec<&str> = original.lines().nth(1).unwrap().split(',').collect();
    let page = reviewer
        .get(
            &server,
            &format!(
                "/z/450202/air?year=2023&h_kind=air&h_station={}&h_parameter=pm25&h_time={}T00",
                first[0], first[1]
            ),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap_or_default().to_string();
    assert!(html.contains("监测数据更正") && html.contains("7.2"), "{html}");
    assert!(
        html.contains(&format!("<td class=\"num\">{}</td>", first[8])),
        "the imported value: {html}"
    );
    assert!(
        html.contains("替换") && html.contains("分析仪漂移") && html.contains("<td class=\"num\">400</td>"),
        "{html}"
    );
    // Table 2-1 marks the rows whose figure the readings no longer give.
    let table = Client::anonymous().get(&server, "/z/450202/table?year=2023").await;
    let html = table.body.as_str().unwrap_or_default().to_string();
    let row_72 = html
        .split("data-row=\"7.2\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row_72.contains("待重新计算"), "{row_72}");
    let row_5 = html
        .split("data-row=\"5\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(!row_5.contains("待重新计算"));
    // The public air page has no corrections part.
    let public = Client::anonymous().get(&server, "/z/450202/air?year=2023").await;
    assert!(!public.body.as_str().unwrap_or_default().contains("监测数据更正"));
}

/// The same for daily air values (7.1/7.2 of a year without hourly data): corrected from the air page's
/// form (which lists the daily kind), the approved row goes stale, is recomputed and approved, and its
/// history holds the old figure with the imported file only and the new one with the correction file too;
/// the reading's history shows the imported and the corrected value. Expected figures: `ecociv-air`'s
/// zone reader over the daily file edited the same way.
#[tokio::test]
async fn a_daily_air_correction_changes_the_computed_row_after_review_with_old_and_new_inputs_in_its_history() {
    const DAILY: &str = "air_daily-2022.SYNTHETIC.csv";
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/synthetic/monitoring-formats-SYNTHETIC")
            .join(DAILY),
    )
    .unwrap();
    let ((_, before_72), from_daily) = figures(&[(DAILY, &original)], 2022);
    assert!(from_daily);
    // The first 30 days' PM2.5 of the first station replaced by 300, the next day's NO2 withdrawn.
    let lines: Vec<&str> = original.lines().collect();
    assert_eq!(lines[0], "station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25");
    let mut fix = String::from("station,date,no2,pm25,action,reason\n");
    let mut edited = vec![lines[0].to_string()];
    for (i, line) in lines.iter().enumerate().skip(1) {
        let mut f: Vec<&str> = line.split(',').collect();
        if i <= 30 {
            fix.push_str(&format!("{},{},,300,supersede,\n", f[0], f[1]));
            f[8] = "300";
        } else if i == 31 {
            fix.push_str(&format!("{},{},{},,retract,仪器故障\n", f[0], f[1], f[3]));
            f[3] = "";
        }
        edited.push(f.join(","));
    }
    let ((after_71, after_72), _) = figures(&[(DAILY, &(edited.join("\n") + "\n"))], 2022);
    assert_ne!(after_72, before_72, "the correction changes the PM2.5 figure");
    let first: Vec<&str> = lines[1].split(',').collect();

    for server in servers("corrections_daily").await {
        let engine = server.engine;
        let mut reviewer = Client::login(&server, "reviewer").await;
        let mut admin = Client::login(&server, "admin").await;
        let imported = crate::monitoring::import(&mut reviewer, &server, "air_daily", DAILY, &original, false).await;
        assert_eq!(imported.status, StatusCode::OK, "{engine}: {}", imported.body);
        compute_and_approve(&mut reviewer, &mut admin, &server, 2022).await;
        assert_eq!(assessed(&server, 2022).await.1, Some(before_72), "{engine}");

        // The air page's correction form offers daily values.
        let page = reviewer.get(&server, "/z/450202/air?year=2022").await;
        let html = page.body.as_str().unwrap_or_default().to_string();
        let select = html
            .split("id=\"c-kind\"")
            .nth(1)
            .and_then(|rest| rest.split("</select>").next())
            .unwrap_or_default();
        assert!(
            select.contains("value=\"air_daily\"") && select.contains("value=\"air\""),
            "{engine}: {html}"
        );

        // Corrected through that form.
        let daily_cells = || server.store.monitoring_cells("450202", "air.daily", "", "~");
        let stored_before = daily_cells().await.unwrap();
        let form = correction_form("air_daily", 2022, "分析仪校准后复核", "fix-daily.csv", &fix);
        let corrected = send_form(&mut reviewer, &server, form).await;
        let html = corrected.body.as_str().unwrap_or_default().to_string();
        assert_eq!(corrected.status, StatusCode::OK, "{engine}: {html}");
        assert!(html.contains("已更正 fix-daily.csv"), "{engine}: {html}");
        assert_eq!(
            daily_cells().await.unwrap().len(),
            stored_before.len() - 1,
            "{engine}: one reading withdrawn"
        );

        // The reading's history on the page: the imported value, then the correction.
        let page = reviewer
            .get(
                &server,
                &format!(
                    "/z/450202/air?year=2022&h_kind=air_daily&h_station={}&h_parameter=pm25&h_time={}",
                    ecociv_web::layout::urls::encode(first[0]),
                    first[1]
                ),
            )
            .await;
        let html = page.body.as_str().unwrap_or_default().to_string();
        assert!(
            html.contains(&format!("<td class=\"num\">{}</td>", first[8]))
                && html.contains("<td class=\"num\">300</td>")
                && html.contains("分析仪校准后复核"),
            "{engine}: {html}"
        );

        // Stale until reviewed: the approved figure stands, the readings give the new one.
        let stale_72 = stale_row(&mut reviewer, &server, 2022, "7.2").await;
        assert_eq!(stale_72["status"], "approved");
        assert_eq!(
            (stale_72["value"].as_f64(), stale_72["recomputed"].as_f64()),
            (Some(before_72), Some(after_72))
        );
        assert_eq!(assessed(&server, 2022).await.1, Some(before_72), "{engine}");

        // Recomputed, approved by a second person: the figures changed.
        let values = compute(&mut reviewer, &server, 2022).await;
        approve_submitted(&mut admin, &server, &values, 2022).await;
        assert_eq!(
            assessed(&server, 2022).await,
            (Some(after_71), Some(after_72)),
            "{engine}: the approved figures changed"
        );

        // The row's history: the old figure from the imported file, the new one from it and the correction.
        let (old, new) = inputs_before_and_after(&mut reviewer, &server, "7.2", 2022, (before_72, after_72)).await;
        let files = new["source"]["files"].as_array().cloned().unwrap_or_default();
        assert!(old.iter().any(|f| f == DAILY), "{old:?}");
        assert!(!old.iter().any(|f| f == "更正:fix-daily.csv"), "{old:?}");
        assert!(
            files.iter().any(|f| f == DAILY) && files.iter().any(|f| f == "更正:fix-daily.csv"),
            "{new}"
        );
    }
}

/// 7.1 and 7.2 of `year` as the public assessment shows them.
async fn assessed(server: &TestServer, year: i32) -> (Option<f64>, Option<f64>) {
    let public = Client::anonymous()
        .get(server, &format!("/api/v1/zones/450202/assessment?year={year}"))
        .await
        .body;
    let row = |id: &str| {
        public["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["value"]
            .as_f64()
    };
    (row("7.1"), row("7.2"))
}
