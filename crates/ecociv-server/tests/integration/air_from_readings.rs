//! The air page's figures from the stored readings handed to the air engine directly (issue 19: no CSV
//! rebuilt per station) are those of the CSV route — each station's stored readings rebuilt as the file's
//! CSV and read by the air reader — and of the CLI's folder reader (`ecociv_air::ingest::read_zone_dir`,
//! the engine of `ecociv air annual` and `ecociv assess`) over the same files edited as corrected: hourly
//! and daily air, superseded and withdrawn readings, values whose text is not the number's shortest form
//! (`12.0`) or needs rounding (`61.4996`), on SQLite and PostgreSQL (and Citus when configured).

use std::path::{Path, PathBuf};

use axum::http::{Method, StatusCode};
use ecociv_air::EditionChoice;
use ecociv_air::hj663::DayRecord;
use ecociv_air::zone::ZoneYear;
use ecociv_monitoring::kind::{self, AirFigures, Kind};
use ecociv_server::monitoring_results;
use ecociv_store::Store;

use crate::support::{Client, TestServer, servers};

const HOURLY: [&str; 2] = ["SYNTHETIC-air-2023-A.csv", "SYNTHETIC-air-2023-B.csv"];
const DAILY: &str = "air_daily-2022.SYNTHETIC.csv";

fn synthetic() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic")
}

fn original(name: &str) -> String {
    let path = if name == DAILY {
        synthetic().join("monitoring-formats-SYNTHETIC").join(name)
    } else {
        synthetic().join("monitoring-450202-SYNTHETIC/air").join(name)
    };
    std::fs::read_to_string(path).unwrap()
}

/// The corrections of a file (a batch's CSV) and the file as they edit it. Hourly file A: PM2.5 of lines
/// 1–60 superseded by `61.4996`, SO2 of lines 61–70 by `12.0`, CO of lines 71–80 by `1.10`, SO2 of lines
/// 81–95 withdrawn. Daily file: PM2.5 of lines 1–20 superseded by `75.5`, NO2 of line 21 withdrawn.
fn corrections(name: &str, csv: &str) -> (String, String) {
    let lines: Vec<&str> = csv.lines().collect();
    let daily = name == DAILY;
    let (so2, no2, co, pm25, key) = if daily { (2, 3, 5, 8, 2) } else { (3, 4, 6, 8, 3) };
    let mut batch = if daily {
        String::from("station,date,so2,no2,co,pm25,action,reason\n")
    } else {
        String::from("station,date,hour,so2,no2,co,pm25,action,reason\n")
    };
    let mut edited = vec![lines[0].to_string()];
    for (i, line) in lines.iter().enumerate().skip(1) {
        let mut f: Vec<String> = line.split(',').map(str::to_owned).collect();
        let edit = match (daily, i) {
            (false, 1..=60) | (true, 1..=20) => Some((pm25, if daily { "75.5" } else { "61.4996" }, "supersede")),
            (false, 61..=70) => Some((so2, "12.0", "supersede")),
            (false, 71..=80) => Some((co, "1.10", "supersede")),
            (false, 81..=95) => Some((so2, "", "retract")),
            (true, 21) => Some((no2, "", "retract")),
            _ => None,
        };
        if let Some((column, text, action)) = edit.filter(|(column, _, _)| !f[*column].is_empty()) {
            let mut given = [""; 4];
            let slot = [so2, no2, co, pm25].iter().position(|c| *c == column).unwrap();
            given[slot] = if action == "retract" { f[column].as_str() } else { text };
            batch.push_str(&format!("{},{},{action},复核\n", f[..key].join(","), given.join(",")));
            f[column] = text.to_owned();
        }
        edited.push(f.join(","));
    }
    assert!(batch.lines().count() > 10, "{name}: corrections made");
    (batch, edited.join("\n") + "\n")
}

/// What the CLI's folder reader computes from `files` (name, content), every year.
fn cli(files: &[(String, String)]) -> Vec<ZoneYear> {
    let dir = std::env::temp_dir().join(format!("ecociv-air-from-readings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, csv) in files {
        std::fs::write(dir.join(name), csv).unwrap();
    }
    let (years, _, _) = ecociv_air::ingest::read_zone_dir(&dir, "450202", None, EditionChoice::ByDate, false).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    years
}

/// The year's figures from the stored readings handed over station by station, as the server computes
/// them ([`AirFigures::push_readings`]).
async fn direct(store: &Store, year: i32) -> (Vec<ZoneYear>, Vec<DayRecord>) {
    let mut figures = AirFigures::new("450202", Some(year), "air");
    for air_kind in [Kind::Air, Kind::AirDaily] {
        let mut stations = Vec::new();
        store
            .for_each_station_readings(
                "450202",
                air_kind.domain(),
                &year.to_string(),
                &(year + 1).to_string(),
                |s| {
                    stations.push(s);
                    std::future::ready(Ok::<(), ecociv_store::StoreError>(()))
                },
            )
            .await
            .unwrap();
        for station in stations {
            let readings = station.series.iter().flat_map(|(parameter, readings)| {
                readings.iter().map(move |r| kind::StoredReading {
                    parameter,
                    at: r.at,
                    value: r.value,
                    flag: &r.flag,
                })
            });
            figures.push_readings(air_kind, &station.station, readings).unwrap();
        }
    }
    figures.finish()
}

/// The year's figures by the CSV route: each station's stored readings (read by the store's other
/// query) rebuilt as the file's CSV and read by the air reader.
async fn rebuilt(store: &Store, year: i32) -> (Vec<ZoneYear>, Vec<DayRecord>) {
    let mut figures = AirFigures::new("450202", Some(year), "air");
    for air_kind in [Kind::Air, Kind::AirDaily] {
        let cells = store
            .monitoring_cells("450202", air_kind.domain(), &year.to_string(), &(year + 1).to_string())
            .await
            .unwrap();
        let mut stations: Vec<&str> = cells.iter().map(|c| c.station.as_str()).collect();
        stations.dedup();
        for station in stations {
            let of_station: Vec<kind::Cell> = cells
                .iter()
                .filter(|c| c.station == station)
                .map(|c| kind::Cell {
                    station: c.station.clone(),
                    time: c.reading.observed_at.clone(),
                    parameter: c.parameter.clone(),
                    value: c.reading.value,
                    flag: c.reading.flag.clone(),
                })
                .collect();
            let csv = kind::rebuild(air_kind, &of_station);
            if air_kind == Kind::AirDaily {
                figures.push_daily_csv(&csv).unwrap();
            } else {
                figures.push_csv(&csv).unwrap();
            }
        }
    }
    figures.finish()
}

async fn send(client: &mut Client, server: &TestServer, path: &str, csv: &str) {
    let response = client
        .send(server, Method::POST, path, Some(csv.to_string().into()), "text/csv")
        .await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{}: {path}: {}",
        server.engine,
        response.body
    );
}

#[tokio::test]
async fn the_air_engine_fed_from_stored_readings_gives_the_figures_of_the_csv_route_and_of_the_cli() {
    let files: Vec<(&str, &str, String)> = HOURLY
        .iter()
        .map(|name| (*name, "air", original(name)))
        .chain([(DAILY, "air_daily", original(DAILY))])
        .collect();
    let batches: Vec<(String, String)> = files
        .iter()
        .filter(|(name, _, _)| *name == HOURLY[0] || *name == DAILY)
        .map(|(name, _, csv)| corrections(name, csv))
        .collect();
    // The CLI over the files as corrected, and over the files as imported: the corrections change the
    // figures of both years, so a route that left them out could not pass.
    let as_corrected: Vec<(String, String)> = files
        .iter()
        .map(|(name, _, csv)| {
            let edited = match *name {
                n if n == HOURLY[0] => batches[0].1.clone(),
                DAILY => batches[1].1.clone(),
                _ => csv.clone(),
            };
            ((*name).to_owned(), edited)
        })
        .collect();
    let expected = cli(&as_corrected);
    let uncorrected = cli(&files
        .iter()
        .map(|(name, _, csv)| ((*name).to_owned(), csv.clone()))
        .collect::<Vec<_>>());
    assert_eq!(expected.iter().map(|y| y.year).collect::<Vec<_>>(), [2022, 2023]);
    for (a, b) in expected.iter().zip(&uncorrected) {
        assert_ne!(
            a.annual, b.annual,
            "{}: the corrections change the year's figures",
            a.year
        );
    }
    assert!(expected[0].from_daily && !expected[1].from_daily);

    for server in servers("air_from_readings").await {
        let engine = server.engine;
        let mut reviewer = Client::login(&server, "reviewer").await;
        for (name, kind, csv) in &files {
            send(
                &mut reviewer,
                &server,
                &format!("/api/v1/zones/450202/monitoring/import/{kind}?file={name}"),
                csv,
            )
            .await;
        }
        for ((batch, _), kind) in batches.iter().zip(["air", "air_daily"]) {
            send(
                &mut reviewer,
                &server,
                &format!("/api/v1/zones/450202/monitoring/corrections/{kind}?file=fix-{kind}.csv"),
                batch,
            )
            .await;
        }
        for (year, expected) in [2022, 2023].into_iter().zip(&expected) {
            let (years, days) = direct(&server.store, year).await;
            let (csv_years, csv_days) = rebuilt(&server.store, year).await;
            assert_eq!(years, csv_years, "{engine} {year}: the CSV route's years");
            assert_eq!(days, csv_days, "{engine} {year}: the CSV route's days");
            assert_eq!(
                years,
                std::slice::from_ref(expected),
                "{engine} {year}: the CLI's figures"
            );
            assert!(days.len() > 300, "{engine} {year}: {} day records", days.len());

            // The page's stored figures are these (computed by the server after each import).
            let record = server.store.zone("450202").await.unwrap().unwrap();
            let framework = server.store.framework(&record.framework_id).await.unwrap();
            let state = monitoring_results::page_years(&server.store, &framework, "450202", monitoring_results::AIR)
                .await
                .unwrap();
            let page = monitoring_results::air_result(&server.store, "450202", year, &state)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{engine} {year}: the page's figures are current"));
            let pm25 = page.annual.iter().find(|s| s.key == "pm25").unwrap();
            assert_eq!(pm25.value, expected.annual.pm25.value, "{engine} {year}");
            let aqi: Vec<Option<u32>> = page.days.iter().map(|d| d.aqi).collect();
            let want: Vec<Option<u32>> = days
                .iter()
                .map(|d| if d.valid { d.aqi.aqi.map(u32::from) } else { None })
                .collect();
            assert_eq!(aqi, want, "{engine} {year}: the page's AQI calendar");
        }
    }
}

#[tokio::test]
async fn while_the_figures_are_computed_the_pages_and_the_summary_say_how_many_stations_are_done() {
    let demo = crate::support::server("air_computing_progress").await;
    // The demo's server again, with an import listed in its state as the import API lists one.
    let state = ecociv_server::AppState::new(demo.store.clone(), ecociv_server::Config::default());
    let guard = state.imports.start("450202", "air", "big.SYNTHETIC.csv", false);
    guard.import.total.store(1 << 30, std::sync::atomic::Ordering::Relaxed);
    guard.import.set_phase(ecociv_server::spool::Phase::Computing);
    guard.import.stations(0, 12);
    for _ in 0..3 {
        guard.import.station_done();
    }
    let server = TestServer {
        app: ecociv_server::app(state),
        store: demo.store.clone(),
        passwords: demo.passwords.clone(),
        engine: demo.engine,
        _database: None,
    };
    let mut reviewer = Client::login(&server, "reviewer").await;
    let summary = reviewer.get(&server, "/api/v1/zones/450202/monitoring").await.body;
    let importing = &summary["importing"][0];
    assert_eq!(
        (
            &importing["phase"],
            &importing["stations_done"],
            &importing["stations_total"],
            &importing["percent"]
        ),
        (&"computing".into(), &3.into(), &12.into(), &25.into()),
        "{summary}"
    );
    for (path, said) in [
        (
            "/z/450202/air",
            "big.SYNTHETIC.csv 的数据已全部保存，正在计算页面数据：已算 3/12 个站点（25%）",
        ),
        ("/z/450202/water", "已算 3/12 个站点"),
        // The English page (the language is the session's choice), English second.
        ("/lang/en?next=/z/450202/water", ""),
        ("/z/450202/air", "big.SYNTHETIC.csv is stored whole; computing the page"),
        ("/z/450202/air", "figures: 3 of 12 stations done (25%)"),
    ] {
        let page = reviewer.get(&server, path).await;
        let html = page.body.as_str().unwrap_or_default();
        assert!(html.contains(said), "{path}: {html}");
        assert!(
            !html.contains("全部完成前不保存任何数据"),
            "{path}: the readings are stored by now"
        );
    }
    drop(guard);
    let html = reviewer
        .get(&server, "/z/450202/air")
        .await
        .body
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!html.contains("已算 3/12 个站点"), "gone with the import");
}
