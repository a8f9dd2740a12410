//! The assessment endpoint's layers (memory, materialized in the store, computed): gzip on the wire is the
//! same bytes, a restarted server reads the store, an engine change invalidates, a write is seen by the
//! next read on every instance, and the background refresh fills and follows writes.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use ecociv_core::{Observation, Source, Value};
use ecociv_server::assessments::{engine_key, gunzip, gzip, refresh_all, refresh_zone, spawn_background};
use ecociv_server::{AppState, Config, app};
use ecociv_store::{Action, MaterializedAssessment, NewRevision, Selection, Status, Store};
use tower::ServiceExt;

use crate::support::server;

async fn raw_get(app: &Router, path: &str, accept_encoding: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::builder().uri(path);
    if let Some(accept) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (status, headers, body)
}

/// Another server instance on the same database (or the same one restarted): nothing in memory.
fn instance(store: &Store) -> Router {
    app(AppState::new(store.clone(), Config::default()))
}

/// The JSON text a fresh computation from the stored approved values gives, as `ecociv assess` prints it.
async fn fresh_json(store: &Store, year: i32) -> String {
    let (record, zone) = store.load_zone("450202", Selection::Approved).await.unwrap();
    let framework = store.framework(&record.framework_id).await.unwrap();
    ecociv_report::json::assessment(&ecociv_core::assess(&framework, &zone, year)).to_string()
}

const PATH_2021: &str = "/api/v1/zones/450202/assessment?year=2021";

#[tokio::test]
async fn gzip_on_the_wire_decompresses_to_exactly_the_plain_response() {
    let server = server("assessments_gzip").await;
    let cli = {
        let loaded = ecociv_data::load_zone("450202").unwrap();
        ecociv_report::json::assessment(&ecociv_core::assess(&loaded.framework, &loaded.zone, 2021)).to_string()
    };
    let (status, headers, plain) = raw_get(&server.app, PATH_2021, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        String::from_utf8(plain.clone()).unwrap(),
        cli,
        "the same text as `ecociv assess --format json`"
    );
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(headers[header::VARY], "accept-encoding");
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    for accept in ["gzip", "br, gzip;q=0.8", "*"] {
        let (status, headers, packed) = raw_get(&server.app, PATH_2021, Some(accept)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip", "{accept}");
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert!(
            packed.len() * 4 < plain.len(),
            "{} compressed vs {} plain",
            packed.len(),
            plain.len()
        );
        assert_eq!(gunzip(&packed).unwrap(), plain, "{accept}");
    }
    let (_, headers, identity) = raw_get(&server.app, PATH_2021, Some("gzip;q=0, identity")).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(identity, plain);
    // A restarted server (nothing in memory) serves the same bytes from the store.
    let (_, _, again) = raw_get(&instance(&server.store), PATH_2021, None).await;
    assert_eq!(again, plain);
}

#[tokio::test]
async fn a_restarted_server_reads_the_store_and_an_engine_change_invalidates() {
    let server = server("assessments_restart").await;
    let (_, _, computed) = raw_get(&server.app, PATH_2021, None).await;
    assert_eq!(server.store.materialized_count().await.unwrap(), 1);
    let head = server.store.zone_head("450202").await.unwrap().unwrap();
    let engine = engine_key(&server.store.framework(&head.framework_id).await.unwrap());
    let marker = br#"{"materialized":"marker"}"#;
    let materialized = |engine: &str| MaterializedAssessment {
        zone_code: "450202".into(),
        year: 2021,
        selection: Selection::Approved,
        data_version: head.data_version,
        engine: engine.into(),
        json_gzip: gzip(marker).unwrap(),
        json_bytes: marker.len() as i64,
        summary: None,
    };
    // Replace the stored assessment by a marker: a restarted server serves what the store holds.
    server
        .store
        .put_materialized_assessments(&[materialized(&engine)])
        .await
        .unwrap();
    let (_, _, served) = raw_get(&instance(&server.store), PATH_2021, None).await;
    assert_eq!(served, marker);
    // The same marker under another engine key (an upgrade, another framework digest) is not served:
    // the assessment is computed again and stored under the current key.
    server
        .store
        .put_materialized_assessments(&[materialized("ecociv 0.0.0-older")])
        .await
        .unwrap();
    let (_, _, served) = raw_get(&instance(&server.store), PATH_2021, None).await;
    assert_eq!(served, computed);
    let states = server.store.materialized_states("450202").await.unwrap();
    assert_eq!(states[0].engine, engine);
}

fn approved(row: &str, year: i32, number: f64, after: i64) -> NewRevision {
    NewRevision {
        after,
        action: Action::Save,
        status: Status::Approved,
        unit: String::new(),
        evidence: String::new(),
        reason: "测试".into(),
        observation: Observation {
            row: row.into(),
            year,
            value: Value::Number(number),
            assigned: None,
            recorded: None,
            source: Source::Document {
                citation: "测试".into(),
            },
        },
    }
}

/// Appends an approved value for (row, year) after whatever revision is current.
async fn write(store: &Store, row: &str, year: i32, number: f64) {
    let user = store.users().await.unwrap().into_iter().next().unwrap();
    let after = store
        .current("450202", row, year)
        .await
        .unwrap()
        .map(|revision| revision.revision_no)
        .unwrap_or(0);
    store
        .append_revisions("450202", &user.id, None, vec![approved(row, year, number, after)])
        .await
        .unwrap();
}

#[tokio::test]
async fn a_write_is_seen_by_the_next_read_on_every_instance() {
    let server = server("assessments_write").await;
    let other = instance(&server.store);
    let path = |year: i32| format!("/api/v1/zones/450202/assessment?year={year}");
    let mut before = Vec::new();
    for year in [2021, 2022] {
        let (_, _, a) = raw_get(&server.app, &path(year), Some("gzip")).await;
        let (_, _, b) = raw_get(&other, &path(year), None).await;
        assert_eq!(gunzip(&a).unwrap(), b);
        before.push(b);
    }
    // A value of 2022 changes (row 3: a share, 0–100).
    write(&server.store, "3", 2022, 12.5).await;
    for app in [&server.app, &other] {
        let (_, _, y2022) = raw_get(app, &path(2022), None).await;
        assert_ne!(y2022, before[1], "no stale assessment is served after a write");
        assert_eq!(String::from_utf8(y2022).unwrap(), fresh_json(&server.store, 2022).await);
        // 2021 reads nothing of 2022: still the same, and exact.
        let (_, _, y2021) = raw_get(app, &path(2021), Some("gzip")).await;
        let y2021 = gunzip(&y2021).unwrap();
        assert_eq!(y2021, before[0]);
        assert_eq!(String::from_utf8(y2021).unwrap(), fresh_json(&server.store, 2021).await);
    }
}

#[tokio::test]
async fn the_background_refresh_fills_every_year_and_follows_writes() {
    let server = server("assessments_refresh").await;
    let store = &server.store;
    // The example has values for 2017 and 2021, and the demo's survey gives 2024 (rows 34/35); two more years.
    write(store, "3", 2019, 19.0).await;
    write(store, "3", 2023, 23.0).await;
    let years = store.value_years("450202").await.unwrap();
    assert_eq!(years, [2017, 2019, 2021, 2023, 2024]);
    assert_eq!(refresh_all(store).await.unwrap(), (1, years.len()));
    assert_eq!(refresh_all(store).await.unwrap(), (1, 0), "nothing left to do");
    let middle = years[years.len() / 2];
    write(store, "3", middle, 33.0).await;
    let later = years.iter().filter(|year| **year >= middle).count();
    assert_eq!(refresh_zone(store, "450202", middle).await.unwrap(), later);
    assert_eq!(refresh_all(store).await.unwrap(), (1, 0), "earlier years stayed valid");
    // Every materialized assessment is exactly a fresh computation at the current version.
    let head = store.zone_head("450202").await.unwrap().unwrap();
    let engine = engine_key(&store.framework(&head.framework_id).await.unwrap());
    for year in &years {
        let stored = store
            .materialized_assessment("450202", *year, Selection::Approved, head.data_version, &engine)
            .await
            .unwrap();
        let stored = gunzip(&stored.expect("materialized")).unwrap();
        assert_eq!(
            String::from_utf8(stored).unwrap(),
            fresh_json(store, *year).await,
            "{year}"
        );
    }

    // The server's background task does the same after a write, without being asked.
    spawn_background(&AppState::new(store.clone(), Config::default()));
    write(store, "3", middle, 44.0).await;
    let version = store.zone_head("450202").await.unwrap().unwrap().data_version;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let states = store.materialized_states("450202").await.unwrap();
        if states.len() == years.len() && states.iter().all(|state| state.data_version == version) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not refreshed in 60 s: {states:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let stored = store
        .materialized_assessment("450202", middle, Selection::Approved, version, &engine)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        String::from_utf8(gunzip(&stored).unwrap()).unwrap(),
        fresh_json(store, middle).await
    );
}
