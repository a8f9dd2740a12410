//! Every monitoring format the CLI reads is importable by the server (issue 19): daily air values and EI
//! from land use, through the one import mechanism (API, dry run, all or nothing, file/line/field), and
//! their figures — 7.1/7.2 of a year without hourly data, row 9 — equal to what the CLI computes from the
//! same files (`ecociv assess` reads `monitoring/air/` with `ecociv_air::ingest::read_zone_dir` and
//! `monitoring/water/` with `ecociv_water::ingest::read_zone_dir`), saved through the workflow. On SQLite
//! and on PostgreSQL when configured.

use std::path::{Path, PathBuf};

use axum::http::{Method, StatusCode};
use ecociv_air::EditionChoice;
use serde_json::Value;

use crate::monitoring::import;
use crate::support::{Client, Response, TestServer, servers};

fn formats_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-formats-SYNTHETIC")
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-450202-SYNTHETIC")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(formats_dir().join(name)).expect("synthetic file")
}

/// A fresh folder (removed when dropped).
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!("ecociv-formats-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) async fn cells(server: &TestServer, domain: &str) -> usize {
    server
        .store
        .monitoring_cells("450202", domain, "", "~")
        .await
        .unwrap()
        .len()
}

async fn compute(client: &mut Client, server: &TestServer, year: i32) -> Value {
    let done = client
        .json(
            server,
            Method::POST,
            &format!("/api/v1/zones/450202/monitoring/compute?year={year}&status=draft"),
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}: {}", server.engine, done.body);
    done.body
}

async fn current(server: &TestServer, row: &str, year: i32) -> Option<f64> {
    server
        .store
        .current("450202", row, year)
        .await
        .unwrap()
        .and_then(|revision| match revision.observation.value {
            ecociv_core::Value::Number(n) => Some(n),
            _ => None,
        })
}

#[tokio::test]
async fn daily_air_values_give_7_1_and_7_2_of_a_year_without_hours_as_the_cli_computes_them() {
    let daily = read("air_daily-2022.SYNTHETIC.csv");
    // Expected: the CLI's air folder reader over the same file (what `ecociv assess` feeds 7.1/7.2 from).
    let folder = Folder::new("air");
    std::fs::write(folder.0.join("air_daily-2022.SYNTHETIC.csv"), &daily).unwrap();
    let (years, _, _) = ecociv_air::ingest::read_zone_dir(&folder.0, "450202", None, EditionChoice::ByDate, false)
        .expect("the CLI reads the file");
    let y2022 = years.iter().find(|y| y.year == 2022).expect("2022");
    assert!(y2022.from_daily);
    let expected_71 = y2022.good_rate_tenths().unwrap() as f64 / 10.0;
    let (pm25, valid) = y2022.pm25().unwrap();
    assert!(valid, "the file covers the year");
    let expected_72 = pm25 as f64;

    for server in servers("formats_air_daily").await {
        ecociv_server::demo::load_monitoring(&server.store).await.unwrap();
        let mut reviewer = Client::login(&server, "reviewer").await;
        let before_2023 = compute(&mut reviewer, &server, 2023).await;
        let hourly_71 = current(&server, "7.1", 2023).await;
        assert!(hourly_71.is_some(), "{}", before_2023);

        // Dry run: the counts, nothing stored.
        let dry = import(
            &mut reviewer,
            &server,
            "air_daily",
            "air_daily-2022.SYNTHETIC.csv",
            &daily,
            true,
        )
        .await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
        assert_eq!(
            (dry.body["rows"].as_u64(), dry.body["stored"].as_u64()),
            (Some(730), Some(0))
        );
        assert_eq!(cells(&server, "air.daily").await, 0);

        // A bad value: refused whole, naming file, line and field.
        let mut lines: Vec<String> = daily.lines().map(str::to_string).collect();
        let mut fields: Vec<&str> = lines[300].split(',').collect();
        assert_eq!(daily.lines().next().unwrap().split(',').nth(5), Some("co"));
        fields[5] = "零点七";
        lines[300] = fields.join(",");
        let bad = lines.join("\n") + "\n";
        let refused = import(&mut reviewer, &server, "air_daily", "bad.csv", &bad, false).await;
        assert_eq!(refused.code(), "invalid_value", "{}", refused.body);
        let problem = &refused.body["error"]["details"][0];
        assert_eq!(
            (&problem["file"], &problem["line"], &problem["field"]),
            (&Value::from("bad.csv"), &Value::from(301), &Value::from("co")),
            "{problem}"
        );
        assert_eq!(
            cells(&server, "air.daily").await,
            0,
            "nothing stored from a refused file"
        );

        let done = import(
            &mut reviewer,
            &server,
            "air_daily",
            "air_daily-2022.SYNTHETIC.csv",
            &daily,
            false,
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.body["years_computed"], serde_json::json!([2022]), "{}", done.body);
        let readings = done.body["readings"].as_u64().unwrap() as usize;
        assert_eq!(cells(&server, "air.daily").await, readings);
        // Imported again: a repeat, refused whole.
        let again = import(&mut reviewer, &server, "air_daily", "again.csv", &daily, false).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

        // Computed through the workflow: the CLI's figures.
        compute(&mut reviewer, &server, 2022).await;
        assert_eq!(
            current(&server, "7.1", 2022).await,
            Some(expected_71),
            "{}",
            server.engine
        );
        assert_eq!(
            current(&server, "7.2", 2022).await,
            Some(expected_72),
            "{}",
            server.engine
        );
        let revision = server.store.current("450202", "7.1", 2022).await.unwrap().unwrap();
        assert_eq!(revision.status, ecociv_store::Status::Draft);
        let source = ecociv_store::values::source_json(&revision.observation.source);
        assert!(
            source.contains("由日均值") && source.contains("air_daily-2022.SYNTHETIC.csv"),
            "{source}"
        );

        // The air page of 2022 shows the year from daily values.
        let page = reviewer.get(&server, "/z/450202/air?year=2022").await;
        let html = page.body.as_str().unwrap_or_default().to_string();
        assert_eq!(page.status, StatusCode::OK);
        assert!(html.contains("由日均值") && html.contains("SYN-甲站"), "{html}");

        // Daily values of a year with hourly data do not change it: 2023 stays the hours' figure.
        let other_2023 = daily.replace("2022-", "2023-").replace(",0.", ",1.");
        let stored = import(
            &mut reviewer,
            &server,
            "air_daily",
            "air_daily-2023.csv",
            &other_2023,
            false,
        )
        .await;
        assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
        compute(&mut reviewer, &server, 2023).await;
        assert_eq!(current(&server, "7.1", 2023).await, hourly_71);
    }
}

#[tokio::test]
async fn ei_from_land_use_gives_row_9_as_the_cli_computes_it_and_a_year_given_twice_is_refused() {
    let land_use = read("ei_land_use.SYNTHETIC.csv");
    // Expected: the CLI's water folder reader over the demo's water files and the land-use file.
    let folder = Folder::new("water");
    for entry in std::fs::read_dir(demo_dir().join("water")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, folder.0.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(folder.0.join("ei_land_use.SYNTHETIC.csv"), &land_use).unwrap();
    let inputs = ecociv_water::ingest::read_zone_dir(
        &folder.0,
        ecociv_water::gb3838::Table::embedded(),
        ecociv_water::evaluation2011::Thresholds::embedded(),
    )
    .expect("the CLI reads the folder");
    let figures = ecociv_water::zone::all_figures(
        &inputs,
        ecociv_water::black_odorous::Thresholds::embedded(),
        ecociv_water::hj192::Model::embedded(),
    );
    let expected = |year: i32| {
        figures
            .iter()
            .find(|f| f.row == "9" && f.year == year)
            .map(|f| f.value)
            .unwrap()
    };

    for server in servers("formats_ei_land_use").await {
        ecociv_server::demo::load_monitoring(&server.store).await.unwrap();
        let mut reviewer = Client::login(&server, "reviewer").await;

        // A year the demo's sub-indices file gives (2021): refused whole, naming the file and line.
        let twice = land_use.replacen("\n2019,", "\n2021,", 1);
        let refused = import(&mut reviewer, &server, "ei_land_use", "twice.csv", &twice, false).await;
        assert_eq!(refused.code(), "invalid_value", "{}", refused.body);
        let problem = &refused.body["error"]["details"][0];
        assert_eq!(
            (&problem["file"], &problem["line"], &problem["field"]),
            (&Value::from("twice.csv"), &Value::from(2), &Value::from("year")),
            "{problem}"
        );
        // A required value missing: line and field.
        let blank = land_use.replacen(",0.54,", ",,", 1);
        let refused = import(&mut reviewer, &server, "ei_land_use", "blank.csv", &blank, true).await;
        let problem = &refused.body["error"]["details"][0];
        assert_eq!(
            (&problem["line"], &problem["field"]),
            (&Value::from(3), &Value::from("mean_ndvi")),
            "{problem}"
        );
        assert_eq!(cells(&server, "water.ei_land_use").await, 0);
        let ei_cells = cells(&server, "water.ei").await;

        let dry = import(
            &mut reviewer,
            &server,
            "ei_land_use",
            "ei_land_use.SYNTHETIC.csv",
            &land_use,
            true,
        )
        .await;
        assert_eq!(
            (dry.status, dry.body["stored"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{}",
            dry.body
        );
        assert_eq!(cells(&server, "water.ei_land_use").await, 0);
        let done = import(
            &mut reviewer,
            &server,
            "ei_land_use",
            "ei_land_use.SYNTHETIC.csv",
            &land_use,
            false,
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(cells(&server, "water.ei_land_use").await > 60);

        // The sub-indices file cannot then give 2020 either.
        let ei_2020 = "year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load,restriction\n2020,66,78,44,16,6,\n";
        let refused = import(&mut reviewer, &server, "ei", "ei-2020.csv", ei_2020, false).await;
        assert_eq!(refused.code(), "invalid_value", "{}", refused.body);
        assert_eq!(cells(&server, "water.ei").await, ei_cells, "nothing stored");

        for year in [2019, 2020] {
            compute(&mut reviewer, &server, year).await;
            assert_eq!(
                current(&server, "9", year).await,
                Some(expected(year)),
                "{} {year}",
                server.engine
            );
        }
        let page = reviewer.get(&server, "/z/450202/water?year=2020").await;
        let html = page.body.as_str().unwrap_or_default().to_string();
        assert!(html.contains("分指数由土地利用和排放数据计算"), "{html}");
    }
}

/// Every kind the server imports has its example file (the pages link one per kind), its columns first,
/// and the air and water pages offer every kind of their medium in the upload form.
#[tokio::test]
async fn every_kind_has_its_example_file_and_its_page_form() {
    let server = crate::support::server("formats-examples").await;
    for kind in ecociv_monitoring::kind::Kind::ALL {
        let example = Client::anonymous()
            .get(&server, &format!("/monitoring/example/{}.csv", kind.code()))
            .await;
        assert_eq!(example.status, StatusCode::OK, "{}", kind.code());
        let text = example.body.as_str().unwrap_or_default().to_string();
        let header = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        assert_eq!(header, kind.columns().join(","), "{}", kind.code());
        // The example reads as its kind.
        let body = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        assert!(
            ecociv_monitoring::kind::parse(kind, "example.csv", body.as_bytes()).is_ok(),
            "{}",
            kind.code()
        );
    }
    let mut reviewer = Client::login(&server, "reviewer").await;
    for (page, media) in [
        ("air", &["air"][..]),
        ("water", &["water"]),
        ("noise-soil", &["noise", "soil"]),
    ] {
        let html = reviewer.get(&server, &format!("/z/450202/{page}")).await.body;
        let html = html.as_str().unwrap_or_default();
        for kind in ecociv_monitoring::kind::Kind::ALL
            .into_iter()
            .filter(|k| media.contains(&k.medium()))
        {
            assert!(
                html.contains(&format!("<option value=\"{}\"", kind.code())),
                "{page}: {}",
                kind.code()
            );
        }
    }
}

/// A `multipart/form-data` body as the air page's upload form sends it: text fields, the file, then
/// `dry_run` (after the file, as the form places it).
fn upload_form(token: &str, kind: &str, file: &str, content: &[u8], dry_run: bool) -> (String, Vec<u8>) {
    page_upload_form("air", token, kind, file, content, dry_run)
}

/// [`upload_form`] of the page `back`.
pub(crate) fn page_upload_form(
    back: &str,
    token: &str,
    kind: &str,
    file: &str,
    content: &[u8],
    dry_run: bool,
) -> (String, Vec<u8>) {
    let boundary = "----ecocivFormatsBoundary";
    let mut body = Vec::new();
    let mut field = |name: &str, value: &str| {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    };
    field("csrf_token", token);
    field("back", back);
    field("year", "2022");
    field("kind", kind);
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\nContent-Type: text/csv\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(b"\r\n");
    if dry_run {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\ntrue\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn post_upload(
    client: &mut Client,
    server: &TestServer,
    (content_type, body): (String, Vec<u8>),
) -> Response {
    client
        .send(
            server,
            Method::POST,
            "/z/450202/monitoring/upload",
            Some(body.into()),
            &content_type,
        )
        .await
}

/// The air page's upload form takes its file through the spool as the import API does, with the API's
/// limit (`Config::max_monitoring_upload_bytes`, configured low here): a file one line over it is refused
/// on the page and by the API alike, nothing stored; a file of exactly the limit is imported whole.
#[tokio::test]
async fn the_page_form_spools_its_file_with_the_import_apis_limit() {
    let daily = read("air_daily-2022.SYNTHETIC.csv");
    let config = ecociv_server::Config {
        max_monitoring_upload_bytes: daily.len() as u64,
        ..ecociv_server::Config::default()
    };
    let server = crate::support::server_with("formats-form", config).await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let token = reviewer.csrf.take().expect("a session token");
    let over = format!("{daily}SYN-丙站,2022-01-01,5,20,40,0.7,90,90,30\n");

    let page = post_upload(
        &mut reviewer,
        &server,
        upload_form(&token, "air_daily", "over.csv", over.as_bytes(), false),
    )
    .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    let html = page.body.as_str().unwrap_or_default();
    assert!(html.contains(&format!("文件超过 {} B", daily.len())), "{html}");
    assert_eq!(cells(&server, "air.daily").await, 0);
    // The API with the same limit refuses the same file.
    let mut api = Client::login(&server, "reviewer").await;
    let refused = import(&mut api, &server, "air_daily", "over.csv", &over, false).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("文件超过")
    );

    // A dry run through the form: checked, nothing stored, the page says so.
    let page = post_upload(
        &mut reviewer,
        &server,
        upload_form(
            &token,
            "air_daily",
            "air_daily-2022.SYNTHETIC.csv",
            daily.as_bytes(),
            true,
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.as_str().unwrap_or_default().contains("flash-success"));
    assert_eq!(cells(&server, "air.daily").await, 0);

    // Exactly the limit: imported whole, then the page of its year.
    let done = post_upload(
        &mut reviewer,
        &server,
        upload_form(
            &token,
            "air_daily",
            "air_daily-2022.SYNTHETIC.csv",
            daily.as_bytes(),
            false,
        ),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let location = done.location.expect("redirect");
    assert!(
        location.starts_with("/z/450202/air?year=2022&done=uploaded"),
        "{location}"
    );
    let expected = daily
        .lines()
        .skip(1)
        .map(|line| line.split(',').skip(2).filter(|cell| !cell.is_empty()).count())
        .sum::<usize>();
    assert_eq!(cells(&server, "air.daily").await, expected);
    // A form without the session's token stores nothing (the guard reads only the form's start).
    let forged = post_upload(
        &mut reviewer,
        &server,
        upload_form("wrong", "air_daily", "again.csv", daily.as_bytes(), false),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
