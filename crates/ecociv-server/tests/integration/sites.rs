//! A zone's points on its map (issue 15): stations, water sections and key projects with their coordinates,
//! imported from GeoJSON through the service (the CLI's path), the API and the map page's form — every bad
//! file refused with each problem's JSON path and nothing stored, a good one replacing the zone's set —,
//! then shown with each point's state. On SQLite and PostgreSQL (`servers`).

use axum::http::{Method, StatusCode};
use ecociv_server::demo;
use ecociv_server::service::sites;
use serde_json::Value;

use crate::support::{Client, TestServer, servers};

/// The demo's illustrative file with one feature changed: `from` replaced by `to` once.
fn changed(from: &str, to: &str) -> String {
    assert!(demo::DEMO_SITES.contains(from), "{from}");
    demo::DEMO_SITES.replacen(from, to, 1)
}

/// The problems of a refusal: (field, message).
fn problems(error: &ecociv_server::error::ApiError) -> Vec<(String, String)> {
    error
        .details
        .as_ref()
        .and_then(Value::as_array)
        .expect("the problems")
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

const API_SITES: &str = "/api/v1/zones/450202/sites?source=fix.geojson";
const PAGE_SITES: &str = "/z/450202/map/sites";

/// A POST of `body` as `content_type`, with the client's cookies and token.
async fn post(
    server: &TestServer,
    client: &mut Client,
    path: &str,
    content_type: &str,
    body: String,
) -> crate::support::Response {
    client
        .send(
            server,
            Method::POST,
            path,
            Some(axum::body::Body::from(body)),
            content_type,
        )
        .await
}

async fn stored(server: &TestServer) -> usize {
    server.store.sites("450202").await.expect("sites").len()
}

#[tokio::test]
async fn points_files_are_checked_whole_and_stored_all_or_nothing() {
    for server in servers("sites").await {
        let engine = server.engine;
        let store = &server.store;
        let system = demo::system_user(store).await.expect("system");
        let import = |text: String| {
            let id = system.id.clone();
            async move { sites::import(store, &id, "450202", &text, "sites.geojson").await }
        };

        // Before any monitoring data, a station or section cannot be checked: refused, with the reason.
        let refused = import(demo::DEMO_SITES.to_string()).await.expect_err("no stations yet");
        let found = problems(&refused);
        assert!(
            found
                .iter()
                .any(|(f, m)| f == "features[0].properties.id" && m.contains("尚未导入空气监测数据")),
            "{engine}: {found:?}"
        );
        assert_eq!(stored(&server).await, 0);

        demo::load_monitoring(store).await.expect("monitoring");
        // Each bad file: refused naming the feature's path and why; nothing stored.
        let swapped = changed("[109.4617, 24.3268]", "[24.3268, 109.4617]");
        let paris = changed("[109.5051, 24.4305]", "[2.3522, 48.8566]");
        let unknown_station = changed("\"SYN-B0000\"", "\"SYN-Z9999\"");
        let unknown_project = changed("\"id\": \"2.01\"", "\"id\": \"9.99\"");
        let unknown_kind = changed("\"kind\": \"section\"", "\"kind\": \"well\"");
        let twice = changed("\"GX-SYN-02\"", "\"GX-SYN-01\"");
        for (text, field, words) in [
            (&swapped, "features[0].geometry.coordinates", "颠倒"),
            (&paris, "features[1].geometry.coordinates", "不在中国境内"),
            (&unknown_station, "features[1].properties.id", "没有站点“SYN-Z9999”"),
            (&unknown_project, "features[8].properties.id", "没有编号“9.99”"),
            (&unknown_kind, "features[2].properties.kind", "类别“well”未知"),
            (&twice, "features[3].properties.id", "已在 features[2]"),
        ] {
            let refused = import(text.clone()).await.expect_err(field);
            assert!(refused.message.contains("未导入任何点位"), "{}", refused.message);
            let found = problems(&refused);
            assert!(
                found.iter().any(|(f, m)| f == field && m.contains(words)),
                "{engine} {field}: {found:?}"
            );
            assert_eq!(found.len(), 1, "{engine}: only the changed feature: {found:?}");
            assert_eq!(stored(&server).await, 0, "{engine}: nothing stored");
        }
        let syntax = import("{\"type\": \"FeatureCollection\",\n \"features\": [}".into())
            .await
            .expect_err("syntax");
        assert_eq!(syntax.details.as_ref().unwrap()[0]["line"], 2, "{engine}");

        // The good file: every point stored with its flag, source and time.
        let report = import(demo::DEMO_SITES.to_string()).await.expect("good");
        assert_eq!(report.stored, 16);
        assert_eq!(report.counts_zh(), "空气监测站点 2 个、水质断面 6 个、重点项目 8 个");
        assert_eq!(report.illustrative, 16);
        let all = store.sites("450202").await.expect("sites");
        assert!(all.iter().all(|s| s.illustrative && s.source == "sites.geojson"));
        let project = all.iter().find(|s| s.site_id == "2.01").expect("2.01");
        assert_eq!(
            project.name, "城中区小丹冲河道治理工程",
            "a project named as the plan names it"
        );

        // The API: states of the year; an admin's import (a bad one changes nothing); others refused.
        let mut anonymous = Client::anonymous();
        // The demo's air data are of 2023, its sections' of 2021 and 2024.
        let mut states = std::collections::BTreeMap::new();
        for year in [2023, 2024] {
            let listed = anonymous
                .get(&server, &format!("/api/v1/zones/450202/sites?year={year}"))
                .await;
            assert_eq!(listed.status, StatusCode::OK, "{engine}: {}", listed.body);
            assert_eq!(listed.body["sites"].as_array().map(Vec::len), Some(16));
            assert!(
                listed.body["sites"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|s| s["illustrative"] == true)
            );
            for site in listed.body["sites"].as_array().unwrap() {
                states.insert(
                    (year, site["id"].as_str().unwrap().to_string()),
                    site["state"].as_str().unwrap_or_default().to_string(),
                );
            }
        }
        let state = |year: i32, id: &str| states[&(year, id.to_string())].clone();
        assert!(
            state(2023, "SYN-A0000").starts_with("2023 年数据计入全区空气质量评价"),
            "{}",
            state(2023, "SYN-A0000")
        );
        assert_eq!(state(2024, "SYN-A0000"), "2024 年无本站空气监测数据");
        assert_eq!(state(2023, "GX-SYN-01"), "2023 年无本断面水质监测数据");
        assert!(
            state(2024, "GX-SYN-01").starts_with("2024 年年均水质类别：") && state(2024, "GX-SYN-01").ends_with('类'),
            "{}",
            state(2024, "GX-SYN-01")
        );
        assert_eq!(state(2024, "4.03"), "尚无审核通过的进展报告");
        // 2.01's latest approved SYNTHETIC report (data/synthetic/plan/progress_reports.SYNTHETIC.toml).
        assert!(
            state(2024, "2.01").starts_with("进展：") && state(2024, "2.01").contains("%（"),
            "{}",
            state(2024, "2.01")
        );

        let mut admin = Client::login(&server, "admin").await;
        let refused = post(&server, &mut admin, API_SITES, "application/geo+json", paris.clone()).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.to_string().contains("features[1].geometry.coordinates"));
        assert_eq!(stored(&server).await, 16, "{engine}: the earlier set kept");
        let mut reviewer = Client::login(&server, "reviewer").await;
        assert_eq!(
            post(
                &server,
                &mut reviewer,
                API_SITES,
                "application/geo+json",
                demo::DEMO_SITES.into()
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let one = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"section","id":"GX-SYN-03","name":"三号断面"},"geometry":{"type":"Point","coordinates":[109.43,24.35]}}]}"#;
        let done = post(&server, &mut admin, API_SITES, "application/geo+json", one.into()).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.body["stored"], 1);
        let all = store.sites("450202").await.expect("sites");
        assert_eq!(all.len(), 1, "{engine}: the set replaced");
        assert_eq!(
            (all[0].name.as_str(), all[0].source.as_str(), all[0].illustrative),
            ("三号断面", "fix.geojson", false)
        );

        // The page's form (administrators): a refused file comes back listing its problems in Chinese.
        let form = |text: &str| {
            format!(
                "--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"points.geojson\"\r\nContent-Type: application/geo+json\r\n\r\n{text}\r\n--XB--\r\n"
            )
        };
        let page = post(
            &server,
            &mut admin,
            PAGE_SITES,
            "multipart/form-data; boundary=XB",
            form(&unknown_station),
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = page.body.as_str().unwrap_or_default();
        assert!(
            html.contains("点位文件 points.geojson 有 1 处错误") && html.contains("字段 features[1].properties.id"),
            "{html}"
        );
        assert_eq!(stored(&server).await, 1, "{engine}: unchanged");
        let page = post(
            &server,
            &mut admin,
            PAGE_SITES,
            "multipart/form-data; boundary=XB",
            form(demo::DEMO_SITES),
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location.as_deref(), Some("/z/450202/map?done=16"));
        assert_eq!(stored(&server).await, 16);
        assert_eq!(
            post(
                &server,
                &mut reviewer,
                PAGE_SITES,
                "multipart/form-data; boundary=XB",
                form(demo::DEMO_SITES)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );

        // The page: every point in the drawing and the table, each illustrative one said to be so.
        let page = anonymous.get(&server, "/z/450202/map?year=2023").await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.body.as_str().unwrap_or_default();
        assert_eq!(html.matches("class=\"site\" data-kind=").count(), 16, "{engine}");
        assert!(html.contains("16 个点位的位置为示意") && html.matches("示意位置").count() >= 16);
        assert!(!html.contains("导入点位坐标"), "no form for the public");
    }
}

#[tokio::test]
async fn without_points_the_map_page_says_how_to_import_them() {
    let server = crate::support::server("sites-howto").await;
    let mut client = Client::anonymous();
    let page = client.get(&server, "/z/450202/map").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap_or_default();
    assert!(
        html.contains("尚未导入本区域的点位坐标") && html.contains("ecociv map sites 450202"),
        "{html}"
    );
    assert!(!html.contains("<svg xmlns"), "nothing to draw");
    let mut admin = Client::login(&server, "admin").await;
    let html = admin.get(&server, "/z/450202/map").await.body;
    assert!(
        html.as_str().unwrap_or_default().contains("导入点位坐标"),
        "the administrators' form"
    );
}
