//! Issue 15: imports for a unit through the JSON API and the page — a zone from the Excel plan template
//! (a real .xlsx written by `ecociv_report::zone_plan`) and boundaries from a GeoJSON file — on every engine:
//! a good file lands, a dry run stores nothing, a bad file is refused whole with each problem's place (sheet
//! and cell; feature and field; line), and a city's reviewer imports for its own city only.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use ecociv_store::Role;
use serde_json::Value;

use crate::support::{Client, Response, TestServer, servers, unit_account};

/// The example zone's plan in the Excel template for 柳北区 (450205), row 10's 2021 figure as given.
fn plan_template(forest: ecociv_core::Value, title: &str) -> Vec<u8> {
    let mut example = ecociv_data::load_zone("450202").expect("example").zone;
    let framework = ecociv_data::bundled::framework("national-2021").expect("edition");
    let earlier = example.observation("10", 2021).unwrap().clone();
    example.override_with([ecociv_core::Observation {
        value: forest,
        recorded: None,
        ..earlier
    }]);
    example.plan.title = title.into();
    ecociv_report::zone_plan::template(&framework, "450205", "柳州市柳北区", Some(&example)).expect("xlsx")
}

/// Two squares: 城中区 (柳州, 450202) and 秀峰区 (桂林, 450302); `third` adds a feature with that code.
fn geojson(third: Option<&str>) -> String {
    let square = |code: &str, name: &str, x: f64| {
        format!(
            r#"{{"type": "Feature", "properties": {{"adcode": "{code}", "name": "{name}"}}, "geometry": {{"type": "Polygon", "coordinates": [[[{x}, 24.0], [{x1}, 24.0], [{x1}, 24.5], [{x}, 24.5], [{x}, 24.0]]]}}}}"#,
            x1 = x + 0.5
        )
    };
    let mut features = vec![square("450202", "城中区", 109.0), square("450302", "秀峰区", 110.0)];
    if let Some(code) = third {
        features.push(square(code, "无此区", 111.0));
    }
    format!(
        "{{\"type\": \"FeatureCollection\",\n\"features\": [\n{}\n]}}\n",
        features.join(",\n")
    )
}

async fn upload(client: &mut Client, server: &TestServer, path: &str, bytes: Vec<u8>, media: &str) -> Response {
    client
        .send(server, Method::POST, path, Some(Body::from(bytes)), media)
        .await
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn details(response: &Response) -> Vec<Value> {
    response.body["error"]["details"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn zones_and_boundaries_imported_for_a_unit_by_its_reviewers_all_or_nothing() {
    for mut server in servers("unit_imports").await {
        let engine = server.engine;
        unit_account(&mut server, "liuzhou", "450200", Role::Reviewer).await;
        unit_account(&mut server, "guilin", "450300", Role::Reviewer).await;
        unit_account(&mut server, "liuzhou-viewer", "450200", Role::Viewer).await;
        let mut liuzhou = Client::login(&server, "liuzhou").await;
        let mut guilin = Client::login(&server, "guilin").await;
        let mut viewer = Client::login(&server, "liuzhou-viewer").await;
        let mut admin = Client::login(&server, "admin").await;

        // --- The blank template of 柳北区, for 柳州's reviewer (not of a 桂林 county, not for 桂林's).
        let (status, media, blank) = liuzhou
            .download(&server, "/api/v1/units/450200/zones/template.xlsx?zone=450205")
            .await;
        assert_eq!(status, StatusCode::OK, "{engine}");
        assert!(media.contains("spreadsheetml"), "{media}");
        {
            use calamine::{Data, Reader};
            let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(blank)).expect("a workbook");
            let info = book.worksheet_range("区域信息").expect("the info sheet");
            let item = |name: &str| {
                info.rows()
                    .find(|r| r[0] == Data::String(name.into()))
                    .map(|r| r[1].clone())
            };
            assert_eq!(item("行政区划代码"), Some(Data::String("450205".into())), "{engine}");
            assert_eq!(item("区域名称"), Some(Data::String("柳州市柳北区".into())), "{engine}");
        }
        for (who, path) in [
            ("guilin", "/api/v1/units/450200/zones/template.xlsx?zone=450205"),
            ("liuzhou", "/api/v1/units/450200/zones/template.xlsx?zone=450302"),
        ] {
            let client = if who == "guilin" { &mut guilin } else { &mut liuzhou };
            let (status, _, _) = client.download(&server, path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{engine}: {who} {path}");
        }

        // --- A zone from the plan template: 柳北区, in 柳州.
        let good = plan_template(
            ecociv_core::Value::Number(45.0),
            "柳州市柳北区国家生态文明建设示范区规划（2022-2030年）",
        );
        let bad = plan_template(ecociv_core::Value::State("很多".into()), "");

        // --- The page: a city's reviewer finds it from the city's roll-up, lists its own city only, and gets a
        // bad template refused whole, each cell named in Chinese; 柳州's viewer has no import page.
        let rollup = liuzhou.get(&server, "/rollup/450200?year=2021").await;
        assert!(
            rollup
                .body
                .as_str()
                .unwrap_or_default()
                .contains("/admin/import?unit=450200"),
            "{engine}: the roll-up links the import page"
        );
        let shown = liuzhou.get(&server, "/admin/import?unit=450200").await;
        assert_eq!(shown.status, StatusCode::OK, "{engine}");
        let html = shown.body.as_str().unwrap_or_default().to_string();
        assert!(
            html.contains(">柳州市（450200）<") && !html.contains("桂林市（450300）"),
            "{engine}"
        );
        assert!(
            html.contains("action=\"/api/v1/units/450200/zones/template.xlsx\"")
                && html.contains("<option value=\"450205\">柳州市柳北区（450205）</option>")
                && !html.contains("value=\"450302\""),
            "{engine}: the template of 柳州's counties"
        );
        assert_eq!(viewer.get(&server, "/admin/import").await.status, StatusCode::FORBIDDEN);
        let token = liuzhou.csrf.clone().expect("a session token");
        let (media, body) = crate::web::multipart(
            &[("csrf_token", &token), ("form", "plan"), ("unit", "450200")],
            &[("file", "柳北区.xlsx", &bad)],
        );
        let refused = liuzhou
            .send(&server, Method::POST, "/admin/import", Some(Body::from(body)), &media)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
        let html = refused.body.as_str().unwrap_or_default();
        assert!(
            html.contains("规划模板 柳北区.xlsx 有 2 处错误，未创建区域")
                && html.contains("柳北区.xlsx：工作表“区域信息”")
                && html.contains("柳北区.xlsx：工作表“表2-1”"),
            "{engine}: {html}"
        );
        assert!(!html.contains("nothing was created"), "{engine}: Chinese only");
        // For 桂林 (not granted): refused before anything is read.
        let (media, body) = crate::web::multipart(
            &[("csrf_token", &token), ("form", "plan"), ("unit", "450300")],
            &[("file", "柳北区.xlsx", &bad)],
        );
        let other = liuzhou
            .send(&server, Method::POST, "/admin/import", Some(Body::from(body)), &media)
            .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN, "{engine}");
        assert!(
            server.store.zone("450205").await.unwrap().is_none(),
            "{engine}: nothing created"
        );
        let path = "/api/v1/units/450200/zones?file=%E6%9F%B3%E5%8C%97%E5%8C%BA.xlsx";
        // 桂林's reviewer may not import for 柳州 (refused before the file is read), nor put 柳州's zone
        // under 桂林; 柳州's viewer imports nothing.
        let other_city = upload(&mut guilin, &server, path, good.clone(), XLSX).await;
        assert_eq!(
            other_city.status,
            StatusCode::FORBIDDEN,
            "{engine}: {:?}",
            other_city.body
        );
        let outside = upload(
            &mut guilin,
            &server,
            "/api/v1/units/450300/zones?file=%E6%9F%B3%E5%8C%97%E5%8C%BA.xlsx",
            good.clone(),
            XLSX,
        )
        .await;
        assert_eq!(outside.status, StatusCode::FORBIDDEN, "{engine}: {:?}", outside.body);
        let message = outside.body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("柳北区.xlsx（区域信息!B")
                && message.contains("450205（柳北区）不在桂林市（450300）范围内"),
            "{engine}: {message}"
        );
        let viewed = upload(&mut viewer, &server, path, good.clone(), XLSX).await;
        assert_eq!(
            viewed.status,
            StatusCode::FORBIDDEN,
            "{engine}: a viewer imports nothing"
        );
        // A bad file: refused whole, each problem by sheet and cell.
        let refused = upload(&mut liuzhou, &server, path, bad, XLSX).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{engine}: {:?}", refused.body);
        let cells: Vec<(String, String, String)> = details(&refused)
            .iter()
            .map(|d| {
                (
                    d["file"].as_str().unwrap_or_default().to_string(),
                    d["sheet"].as_str().unwrap_or_default().to_string(),
                    d["cell"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let framework = ecociv_data::bundled::framework("national-2021").unwrap();
        let forest_line = 3 + framework.rows().position(|(_, r)| r.id == "10").unwrap() + 1;
        assert_eq!(
            cells,
            [
                ("柳北区.xlsx".to_string(), "区域信息".to_string(), "B7".to_string()),
                (
                    "柳北区.xlsx".to_string(),
                    "表2-1".to_string(),
                    format!("E{forest_line}")
                ),
            ],
            "{engine}: {:?}",
            refused.body
        );
        // A dry run checks all and creates nothing.
        let checked = upload(
            &mut liuzhou,
            &server,
            &format!("{path}&dry_run=true"),
            good.clone(),
            XLSX,
        )
        .await;
        assert_eq!(checked.status, StatusCode::OK, "{engine}: {:?}", checked.body);
        assert_eq!(checked.body["zone"]["code"], "450205");
        assert!(checked.body["values"].as_u64().unwrap() > 40, "{:?}", checked.body);
        assert!(
            server.store.zone("450205").await.unwrap().is_none(),
            "{engine}: a dry run creates nothing"
        );
        // The file lands.
        let created = upload(&mut liuzhou, &server, path, good.clone(), XLSX).await;
        assert_eq!(created.status, StatusCode::CREATED, "{engine}: {:?}", created.body);
        assert_eq!(created.body["zone"]["code"], "450205");
        assert_eq!(created.body["zone"]["disclosed"], false);
        assert_eq!(created.body["values"], checked.body["values"]);
        assert_eq!(
            liuzhou
                .json(&server, Method::GET, "/api/v1/zones/450205/values", None)
                .await
                .status,
            StatusCode::OK,
            "{engine}: 柳州's reviewer reviews the zone it created"
        );
        let seen = guilin
            .json(&server, Method::GET, "/api/v1/zones/450205/values", None)
            .await;
        assert!(
            matches!(seen.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{engine}: 桂林 does not see 柳州's zone ({})",
            seen.status
        );
        let again = upload(&mut liuzhou, &server, path, good, XLSX).await;
        assert_eq!(
            again.status,
            StatusCode::CONFLICT,
            "{engine}: the zone exists: {:?}",
            again.body
        );

        // --- Boundaries: 柳州's reviewer imports 柳州's, the file's others are left out.
        let json_type = "application/geo+json";
        let path = "/api/v1/units/450200/boundaries?file=guangxi.geojson";
        let forbidden = upload(&mut guilin, &server, path, geojson(None).into_bytes(), json_type).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "{engine}");
        let nation = upload(
            &mut liuzhou,
            &server,
            "/api/v1/units/all/boundaries?dry_run=true",
            geojson(None).into_bytes(),
            json_type,
        )
        .await;
        assert_eq!(
            nation.status,
            StatusCode::FORBIDDEN,
            "{engine}: the nation's are the administrators'"
        );
        // An unknown code inside 柳州 (4502…): refused whole, by feature and field.
        let unknown = upload(
            &mut liuzhou,
            &server,
            path,
            geojson(Some("450299")).into_bytes(),
            json_type,
        )
        .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{engine}: {:?}", unknown.body);
        let found = details(&unknown);
        assert_eq!(found.len(), 1, "{engine}: {found:?}");
        assert_eq!(
            (found[0]["file"].as_str(), found[0]["field"].as_str()),
            (Some("guangxi.geojson"), Some("features[2].properties.adcode")),
            "{found:?}"
        );
        // A file that is not JSON: refused with its line.
        let broken = geojson(None).replacen("\"features\": [", "\"features\": [,", 1);
        let broken = upload(&mut liuzhou, &server, path, broken.into_bytes(), json_type).await;
        assert_eq!(broken.status, StatusCode::BAD_REQUEST, "{engine}");
        assert_eq!(details(&broken)[0]["line"], 2, "{engine}: {:?}", broken.body);
        // Not UTF-8: refused with its line.
        let mut latin = geojson(None).into_bytes();
        let at = latin.iter().position(|b| *b == b'\n').unwrap() + 1;
        latin.insert(at, 0xff);
        let latin = upload(&mut liuzhou, &server, path, latin, json_type).await;
        assert_eq!(latin.status, StatusCode::BAD_REQUEST, "{engine}");
        assert_eq!(details(&latin)[0]["line"], 2, "{engine}: {:?}", latin.body);
        assert_eq!(
            server.store.boundary_version().await.unwrap().0,
            0,
            "{engine}: nothing imported"
        );
        // A dry run, then the import: 城中区 stored, 秀峰区 (桂林) left out.
        let checked = upload(
            &mut liuzhou,
            &server,
            &format!("{path}&dry_run=true"),
            geojson(None).into_bytes(),
            json_type,
        )
        .await;
        assert_eq!(checked.status, StatusCode::OK, "{engine}: {:?}", checked.body);
        assert_eq!(
            (checked.body["stored"].as_u64(), checked.body["outside"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(
            server.store.boundary_version().await.unwrap().0,
            0,
            "{engine}: a dry run stores nothing"
        );
        let imported = upload(&mut liuzhou, &server, path, geojson(None).into_bytes(), json_type).await;
        assert_eq!(imported.status, StatusCode::OK, "{engine}: {:?}", imported.body);
        assert_eq!(imported.body["dry_run"], false);
        assert_eq!(imported.body["stored"], 1);
        let stored = server
            .store
            .boundaries(&["450202".to_string(), "450302".to_string()])
            .await
            .unwrap();
        assert_eq!(
            stored
                .iter()
                .map(|b| (b.unit_code.as_str(), b.source.as_str()))
                .collect::<Vec<_>>(),
            [("450202", "guangxi.geojson")],
            "{engine}"
        );
        // The administrator imports the nation's file whole.
        let whole = upload(
            &mut admin,
            &server,
            "/api/v1/units/all/boundaries",
            geojson(None).into_bytes(),
            json_type,
        )
        .await;
        assert_eq!(whole.status, StatusCode::OK, "{engine}: {:?}", whole.body);
        assert_eq!(
            (whole.body["stored"].as_u64(), whole.body["scope"].as_str()),
            (Some(2), Some("all"))
        );
    }
}
