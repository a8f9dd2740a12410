//! Monitoring data on the server: import (all or nothing, errors naming file/line/field, dry run,
//! repeats refused), the air and water pages of the demo computed from the stored data, and "compute
//! from monitoring" saving the CLI's figures as values through the workflow. Expected figures are
//! computed here independently, by the standards crates reading the synthetic CSV files directly.

use std::path::{Path, PathBuf};

use axum::http::{Method, StatusCode};
use ecociv_air::EditionChoice;
use ecociv_air::ingest::ReadOptions;
use ecociv_air::zone::ZoneEngine;
use ecociv_server::demo;
use serde_json::Value;

use crate::support::{Client, Response, TestServer, server};

fn synthetic() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-450202-SYNTHETIC")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(synthetic().join(relative)).expect("synthetic file")
}

pub(crate) async fn import(
    client: &mut Client,
    server: &TestServer,
    kind: &str,
    file: &str,
    csv: &str,
    dry_run: bool,
) -> Response {
    let dry = if dry_run { "&dry_run=true" } else { "" };
    let path = format!("/api/v1/zones/450202/monitoring/import/{kind}?file={file}{dry}");
    client
        .send(server, Method::POST, &path, Some(csv.to_string().into()), "text/csv")
        .await
}

async fn stored(server: &TestServer, domain: &str) -> (usize, usize) {
    let cells = server
        .store
        .monitoring_cells("450202", domain, "", "~")
        .await
        .unwrap()
        .len();
    let files = server.store.monitoring_files("450202", domain).await.unwrap().len();
    (cells, files)
}

#[tokio::test]
async fn import_is_all_or_nothing_names_the_bad_line_and_field_dry_runs_and_refuses_a_repeat() {
    let server = server("monitoring-import").await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let sections = read("water/sections.SYNTHETIC.csv");
    let data_rows = sections.lines().skip(1).filter(|line| !line.trim().is_empty()).count();

    // Dry run: reports what would be stored, stores nothing.
    let dry = import(
        &mut reviewer,
        &server,
        "sections",
        "sections.SYNTHETIC.csv",
        &sections,
        true,
    )
    .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(dry.body["rows"], data_rows);
    assert_eq!(dry.body["stored"], 0);
    assert!(dry.body["readings"].as_u64().unwrap() > data_rows as u64);
    assert_eq!(stored(&server, "water.sections").await, (0, 0));

    // A bad value after a blank line: refused whole, naming file, the line a person sees, and the field.
    let mut lines: Vec<String> = sections.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let nh3n = header.iter().position(|c| *c == "nh3n").unwrap();
    let mut cells: Vec<String> = lines[4].split(',').map(str::to_string).collect();
    cells[nh3n] = "abc".into();
    lines[4] = cells.join(",");
    lines.insert(2, String::new());
    let bad = lines.join("\n") + "\n";
    let refused = import(&mut reviewer, &server, "sections", "bad.csv", &bad, false).await;
    assert_eq!(refused.code(), "invalid_value", "{}", refused.body);
    let problem = &refused.body["error"]["details"][0];
    assert_eq!(problem["file"], "bad.csv");
    assert_eq!(problem["line"], 6, "{problem}");
    assert_eq!(problem["field"], "nh3n");
    assert_eq!(
        stored(&server, "water.sections").await,
        (0, 0),
        "nothing stored from a refused file"
    );

    // A good batch is stored whole.
    let good = import(
        &mut reviewer,
        &server,
        "sections",
        "sections.SYNTHETIC.csv",
        &sections,
        false,
    )
    .await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    let readings = good.body["readings"].as_u64().unwrap() as usize;
    assert_eq!(good.body["stored"], readings);
    assert_eq!(stored(&server, "water.sections").await, (readings, 1));

    // A dry run of the same batch says it would be refused.
    let dry_again = import(
        &mut reviewer,
        &server,
        "sections",
        "sections-again.SYNTHETIC.csv",
        &sections,
        true,
    )
    .await;
    assert_eq!(dry_again.status, StatusCode::CONFLICT, "{}", dry_again.body);
    // The same batch again: refused whole, nothing added.
    let again = import(
        &mut reviewer,
        &server,
        "sections",
        "sections-again.SYNTHETIC.csv",
        &sections,
        false,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.code(), "conflict");
    assert_eq!(stored(&server, "water.sections").await, (readings, 1));

    // A batch that repeats one reading among new ones is refused whole too.
    let mixed = format!(
        "{}\n{}\nGX-SYN-NEW,2021-03-15,river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,,,,,,,,,,\n",
        lines[0],
        sections.lines().nth(1).unwrap()
    );
    let mixed = import(&mut reviewer, &server, "sections", "mixed.csv", &mixed, false).await;
    assert_eq!(mixed.status, StatusCode::CONFLICT, "{}", mixed.body);
    assert_eq!(stored(&server, "water.sections").await, (readings, 1));

    // A department editor may not import (the route table test covers every role).
    let mut editor = Client::login(&server, "editor-env").await;
    let air = "station,date,hour,so2,no2,pm10,co,o3,pm25\nS1,2022-01-01,0,5,20,40,0.5,30,20\n";
    assert_eq!(
        import(&mut editor, &server, "air", "x.csv", air, false).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(stored(&server, "air").await, (0, 0));
}

/// An hourly air file of `stations` stations from `from` (day of 2022, 0-based) for `days` days.
fn air_file(stations: usize, from: u32, days: u32) -> String {
    let mut csv = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\n");
    for s in 0..stations {
        for day in from..from + days {
            let date = jiff::civil::date(2022, 1, 1)
                .checked_add(jiff::Span::new().days(i64::from(day)))
                .unwrap();
            for hour in 0..24 {
                let k = s as u32 * 7 + day * 3 + hour;
                csv.push_str(&format!(
                    "BIG-{s:02},{date},{hour},{},{},{},{:.1},{},{}\n",
                    4 + k % 17,
                    12 + k % 40,
                    30 + k % 70,
                    0.4 + f64::from(k % 12) / 10.0,
                    20 + (k * 3) % 150,
                    15 + k % 60
                ));
            }
        }
    }
    csv
}

/// Issue 19: the import is a stream in one transaction. A file of tens of thousands of readings (many
/// parts of the store's streaming batch) whose last hours repeat readings stored by an earlier file is
/// refused after most of it was written, naming the reading — and nothing of it is stored, on every
/// engine; the same file without the repeat is stored whole; a body past the configured limit is refused
/// before anything is read; the summary lists no import running once they ended.
#[tokio::test]
async fn a_streamed_import_refused_late_leaves_nothing_and_a_body_past_the_limit_is_refused() {
    for server in crate::support::servers("monitoring_stream").await {
        let mut reviewer = Client::login(&server, "reviewer").await;
        let (before, files_before) = stored(&server, "air").await;
        // The last day of station BIG-02 first, as its own file.
        let tail = air_file(3, 59, 1);
        let tail: String = std::iter::once("station,date,hour,so2,no2,pm10,co,o3,pm25")
            .chain(tail.lines().filter(|line| line.starts_with("BIG-02,")))
            .map(|line| format!("{line}\n"))
            .collect();
        let first = import(&mut reviewer, &server, "air", "tail.SYNTHETIC.csv", &tail, false).await;
        assert_eq!(first.status, StatusCode::OK, "{} {}", server.engine, first.body);
        assert_eq!(first.body["stored"], 24 * 6);
        // Three stations × 60 days × 24 hours × 6 pollutants = 25 920 readings, the last 144 repeated.
        let big = air_file(3, 0, 60);
        let refused = import(&mut reviewer, &server, "air", "big.SYNTHETIC.csv", &big, false).await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "{} {}",
            server.engine,
            refused.body
        );
        let message = refused.body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("BIG-02") && message.contains("2022-03-01T00"),
            "{message}"
        );
        assert_eq!(
            stored(&server, "air").await,
            (before + 144, files_before + 1),
            "{}: nothing of the refused file is stored",
            server.engine
        );
        // Without the repeated day it is stored whole, with its file record.
        let body = air_file(3, 0, 59);
        let good = import(&mut reviewer, &server, "air", "big.SYNTHETIC.csv", &body, false).await;
        assert_eq!(good.status, StatusCode::OK, "{} {}", server.engine, good.body);
        assert_eq!(good.body["stored"], 3 * 59 * 24 * 6);
        assert_eq!(good.body["bytes"], body.len());
        assert_eq!(
            stored(&server, "air").await,
            (before + 144 + 3 * 59 * 24 * 6, files_before + 2)
        );
        let summary = reviewer
            .send(&server, Method::GET, "/api/v1/zones/450202/monitoring", None, "")
            .await;
        assert_eq!(summary.body["importing"], serde_json::json!([]), "{}", summary.body);
    }
    // A body past `Config::max_monitoring_upload_bytes` is refused, nothing stored.
    let config = ecociv_server::Config {
        max_monitoring_upload_bytes: 10_000,
        ..ecociv_server::Config::default()
    };
    let server = crate::support::server_with("monitoring_limit", config).await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let small = air_file(1, 0, 2);
    assert!(small.len() < 10_000);
    let ok = import(&mut reviewer, &server, "air", "small.csv", &small, false).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let large = air_file(1, 10, 30);
    assert!(large.len() > 10_000);
    let refused = import(&mut reviewer, &server, "air", "large.csv", &large, false).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(stored(&server, "air").await, (2 * 24 * 6, 1));
}

/// The zone's daily records of 2023, computed by ecociv-air directly from the demo's CSV files.
fn air_days_2023() -> (Vec<ecociv_air::hj663::DayRecord>, ecociv_air::zone::ZoneYear) {
    let mut engine = ZoneEngine::new("450202", Some(2023), EditionChoice::ByDate);
    for file in ["SYNTHETIC-air-2023-A.csv", "SYNTHETIC-air-2023-B.csv"] {
        let bytes = std::fs::read(synthetic().join("air").join(file)).unwrap();
        ecociv_air::ingest::read_hourly(
            &bytes[..],
            &ReadOptions {
                source: file.into(),
                skip_bad: false,
            },
            |row| engine.push(row),
        )
        .unwrap();
    }
    let (mut years, days) = engine.finish_with_days();
    (days, years.pop().unwrap())
}

fn page_text(response: &Response) -> String {
    assert_eq!(response.status, StatusCode::OK);
    response.body.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_demo_air_page_shows_each_months_good_days_as_ecociv_air_computes_them() {
    let server = server("monitoring-air-page").await;
    demo::load_monitoring(&server.store).await.unwrap();
    let (days, zone_year) = air_days_2023();
    let html = page_text(&Client::anonymous().get(&server, "/z/450202/air?year=2023").await);
    for month in [1u8, 7, 12] {
        let of_month = days
            .iter()
            .filter(|day| day.date.month == month && day.valid && day.aqi.aqi.is_some());
        let valid = of_month.clone().count();
        let good = of_month.filter(|day| day.aqi.aqi.is_some_and(|aqi| aqi <= 100)).count();
        assert!(valid > 0);
        let row =
            format!("<th scope=\"row\">{month}月</th><td class=\"num\">{valid}</td><td class=\"num\">{good}</td>");
        assert!(html.contains(&row), "month {month}: expected {row}");
    }
    let a = &zone_year.annual;
    assert!(html.contains(&format!("优良天数{}天，有效监测天数{}天", a.good_days, a.valid_days)));
    // Edition named, provenance (stations, days), the SYNTHETIC label, the GB 3095 table in text.
    assert!(html.contains("HJ 633-2012") && html.contains("GB 3095-2012"));
    assert!(html.contains("SYN-A0000") && html.contains(&zone_year.provenance()));
    assert!(html.contains("合成数据") && html.contains("SYNTHETIC-air-2023-A.csv"));
    assert!(html.contains("细颗粒物（PM2.5）年平均"));
    // The public sees no upload or compute form.
    assert!(!html.contains("monitoring/upload") && !html.contains("monitoring/compute"));
    // A reviewer does.
    let mut reviewer = Client::login(&server, "reviewer").await;
    let html = page_text(&reviewer.get(&server, "/z/450202/air?year=2023").await);
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("/z/450202/monitoring/compute"));
    // The page's figures are cached per files imported: a new file shows at once.
    assert!(!html.contains("SYN-NEW"));
    let hours: String = (0..24)
        .map(|h| format!("SYN-NEW,2023-01-05,{h},5,20,40,0.5,30,20\n"))
        .collect();
    let csv = format!("station,date,hour,so2,no2,pm10,co,o3,pm25\n{hours}");
    let added = import(&mut reviewer, &server, "air", "SYNTHETIC-new.csv", &csv, false).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let html = page_text(&reviewer.get(&server, "/z/450202/air?year=2023").await);
    assert!(html.contains("SYN-NEW") && html.contains("SYNTHETIC-new.csv"));
}

#[tokio::test]
async fn the_demo_water_page_shows_section_classes_and_the_shares() {
    let server = server("monitoring-water-page").await;
    demo::load_monitoring(&server.store).await.unwrap();
    let html = page_text(&Client::anonymous().get(&server, "/z/450202/water?year=2024").await);
    // Independently: ecociv-water's annual evaluation of the sections file.
    let rows = ecociv_water::ingest::annual(
        read("water/sections.SYNTHETIC.csv").as_bytes(),
        ecociv_water::gb3838::Table::embedded(),
        ecociv_water::evaluation2011::Thresholds::embedded(),
    )
    .unwrap();
    let of_2024: Vec<_> = rows.iter().filter(|row| row.year == 2024).collect();
    let counts = ecociv_water::evaluation2011::ClassCounts::of(of_2024.iter().filter_map(|row| row.class));
    assert!(
        html.contains(&format!("{}个断面中{}个达到或优于Ⅲ类", counts.total, counts.i_iii)),
        "{}",
        counts.total
    );
    assert!(html.contains(&format!("劣Ⅴ类{}个", counts.worse_v)));
    for row in &of_2024 {
        assert!(html.contains(&format!("<th scope=\"row\">{}</th>", row.section)));
    }
    assert!(html.contains("合成数据") && html.contains("GB 3838-2002"));
    // The water rows' computed figures with their provenance, black-odorous water (8.3) among them.
    assert!(html.contains("8.3") && html.contains("由合成的演示监测数据计算"));
}

fn value_of<'a>(values: &'a Value, row: &str, year: i32) -> &'a Value {
    values["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["row"] == row && v["year"] == year)
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn compute_from_monitoring_saves_the_clis_figures_with_provenance_and_the_assessment_uses_them_once_approved() {
    let server = server("monitoring-compute").await;
    demo::load_monitoring(&server.store).await.unwrap();
    // Expected: what `ecociv assess` computes from the same folder — ecociv-air's zone reader over the
    // air files (the figure of `ecociv air annual`'s engine by the point-average method).
    let (years, _, _) =
        ecociv_air::ingest::read_zone_dir(&synthetic().join("air"), "450202", None, EditionChoice::ByDate, false)
            .unwrap();
    let y2023 = years.iter().find(|y| y.year == 2023).unwrap();
    let expected_71 = y2023.good_rate_tenths().unwrap() as f64 / 10.0;
    let expected_72 = y2023.pm25().unwrap().0 as f64;

    let mut editor = Client::login(&server, "editor-env").await;
    let refused = editor
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/monitoring/compute?year=2023",
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut reviewer = Client::login(&server, "reviewer").await;
    let dry = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/monitoring/compute?year=2023&dry_run=true",
            None,
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(dry.body["saved"], 0);
    assert!(
        server.store.current("450202", "7.1", 2023).await.unwrap().is_none(),
        "a dry run saves nothing"
    );

    let done = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/monitoring/compute?year=2023",
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let values = reviewer
        .get(&server, "/api/v1/zones/450202/values?year=2023")
        .await
        .body;
    let v71 = value_of(&values, "7.1", 2023);
    assert_eq!(v71["value"].as_f64(), Some(expected_71), "{v71}");
    assert_eq!(value_of(&values, "7.2", 2023)["value"].as_f64(), Some(expected_72));
    assert_eq!(v71["status"], "submitted");
    assert_eq!(v71["source"]["kind"], "synthetic");
    let note = v71["source"]["description"].as_str().unwrap_or_default().to_string() + &v71["source"].to_string();
    assert!(
        note.contains("HJ 663-2013")
            && note.contains("SYNTHETIC-air-2023-A.csv")
            && note.contains(&y2023.annual.valid_days.to_string()),
        "{note}"
    );

    // The water rows of 2024, as ecociv-water computes them from the folder.
    let inputs = ecociv_water::ingest::read_zone_dir(
        &synthetic().join("water"),
        ecociv_water::gb3838::Table::embedded(),
        ecociv_water::evaluation2011::Thresholds::embedded(),
    )
    .unwrap();
    let figures = ecociv_water::zone::all_figures(
        &inputs,
        ecociv_water::black_odorous::Thresholds::embedded(),
        ecociv_water::hj192::Model::embedded(),
    );
    let expected_81 = figures.iter().find(|f| f.row == "8.1" && f.year == 2024).unwrap().value;
    let done = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/monitoring/compute?year=2024&status=draft",
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let values = reviewer
        .get(&server, "/api/v1/zones/450202/values?year=2024")
        .await
        .body;
    assert_eq!(value_of(&values, "8.1", 2024)["value"].as_f64(), Some(expected_81));
    assert_eq!(value_of(&values, "8.1", 2024)["status"], "draft");

    // History: the computed revision, by the reviewer, with its reason.
    let history = reviewer
        .get(&server, "/api/v1/zones/450202/values/7.1/2023/history")
        .await
        .body;
    let last = history["revisions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "import");
    assert!(last["reason"].as_str().unwrap().contains("监测数据"));

    // Not in the public assessment until approved; then it is.
    let public = Client::anonymous()
        .get(&server, "/api/v1/zones/450202/assessment?year=2023")
        .await
        .body;
    let row = |a: &Value| a["rows"].as_array().unwrap().iter().find(|r| r["id"] == "7.1").unwrap()["value"].clone();
    assert_ne!(row(&public).as_f64(), Some(expected_71));
    // The reviewer who computed it may not approve it (four eyes); a second person does.
    let own = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/7.1/2023/approve",
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.body);
    assert_eq!(own.code(), "own_value");
    let approved = Client::login(&server, "admin")
        .await
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/7.1/2023/approve",
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let public = Client::anonymous()
        .get(&server, "/api/v1/zones/450202/assessment?year=2023")
        .await
        .body;
    assert_eq!(row(&public).as_f64(), Some(expected_71));

    // Computing again changes nothing (the approved figure is the same).
    let again = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/monitoring/compute?year=2023",
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["saved"], 0);

    // The indicator page shows the provenance in Chinese, without file names (the API keeps them in
    // `source.files`).
    let html = page_text(&reviewer.get(&server, "/z/450202/indicators/7.1?year=2023").await);
    assert!(
        html.contains("由合成的演示监测数据计算") && html.contains("点位平均法"),
        "{html}"
    );
    assert!(!html.contains("SYNTHETIC-air-2023-A.csv"));
}

/// The same server's store under a fresh application state: nothing of the first one's memory.
fn restarted(server: &TestServer) -> TestServer {
    TestServer {
        app: ecociv_server::app(ecociv_server::AppState::new(
            server.store.clone(),
            ecociv_server::Config::default(),
        )),
        store: server.store.clone(),
        passwords: server.passwords.clone(),
        engine: server.engine,
        // The database stays the first server's (dropped with it).
        _database: None,
    }
}

/// Issue 20: "An anonymous page costs gigabytes" — with 8.2 M readings stored, `GET /z/{code}/air?year=Y`
/// took 17–47 s, as every cache miss loaded and recomputed a year of readings. The pages now read the
/// figures materialized when the files were imported: here the readings are deleted after the import and
/// a restarted server (no memory of the first) still shows exactly the same air and water pages — so a
/// page's cost cannot depend on the readings stored. Then the materialized rows are deleted: the page
/// does not compute them itself (it says they are being computed) and a background recomputation from
/// the readings brings them back. On every engine configured (SQLite, PostgreSQL, Citus).
#[tokio::test]
async fn the_air_and_water_pages_read_the_materialized_figures_never_the_readings() {
    for server in crate::support::servers("monitoring_materialized").await {
        demo::load_monitoring(&server.store).await.unwrap();
        let pages = ["/z/450202/air?year=2023", "/z/450202/water?year=2024"];
        let mut before = Vec::new();
        for page in pages {
            let html = page_text(&Client::anonymous().get(&server, page).await);
            assert!(
                !html.contains("正在计算"),
                "{}: {page} not computed at import",
                server.engine
            );
            before.push(html);
        }
        assert!(before[0].contains("细颗粒物（PM2.5）年平均") && before[0].contains("SYN-A0000"));
        assert!(before[1].contains("个达到或优于Ⅲ类"));

        // The readings gone (the file records kept): a restarted server shows the same pages.
        let readings = sqlx::query("DELETE FROM monitoring_reading WHERE zone_code = '450202'")
            .execute(server.store.pool())
            .await
            .unwrap()
            .rows_affected();
        assert!(readings > 50_000, "{readings} readings deleted");
        let fresh = restarted(&server);
        for (page, html) in pages.iter().zip(&before) {
            let again = page_text(&Client::anonymous().get(&fresh, page).await);
            assert_eq!(&again, html, "{}: {page} changed without its readings", server.engine);
        }

        // The materialized rows gone: the page says the figures are being computed, shows none, and
        // does not block on the computation; the background recomputation (from what is stored now:
        // nothing) leaves the page without figures and without the note.
        sqlx::query("DELETE FROM monitoring_result WHERE zone_code = '450202'")
            .execute(server.store.pool())
            .await
            .unwrap();
        let fresh = restarted(&server);
        let html = page_text(&Client::anonymous().get(&fresh, pages[0]).await);
        assert!(html.contains("正在计算"), "{}", server.engine);
        assert!(!html.contains("SYN-A0000"), "{}", server.engine);
        let mut settled = false;
        for _ in 0..200 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let html = page_text(&Client::anonymous().get(&fresh, pages[0]).await);
            if !html.contains("正在计算") {
                settled = true;
                break;
            }
        }
        assert!(
            settled,
            "{}: the background recomputation did not finish",
            server.engine
        );
    }
}

/// The background recomputation of a page from the readings gives the figures the import gave.
#[tokio::test]
async fn a_recomputed_page_equals_the_page_computed_at_import() {
    let server = server("monitoring-recomputed").await;
    demo::load_monitoring(&server.store).await.unwrap();
    let pages = ["/z/450202/air?year=2023", "/z/450202/water?year=2024"];
    let mut before = Vec::new();
    for page in pages {
        before.push(page_text(&Client::anonymous().get(&server, page).await));
    }
    sqlx::query("DELETE FROM monitoring_result")
        .execute(server.store.pool())
        .await
        .unwrap();
    let fresh = restarted(&server);
    for (page, html) in pages.iter().zip(&before) {
        let mut now = String::new();
        for _ in 0..400 {
            now = page_text(&Client::anonymous().get(&fresh, page).await);
            if !now.contains("正在计算") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(&now, html, "{page}");
    }
}
