//! Issue 15 over HTTP: two zones created from files (one in 柳州市, one in 桂林市) and one from the Excel plan
//! template (柳北区, a real .xlsx written by `ecociv_report::zone_plan` and read back with calamine), assessed,
//! rolled up to their city and province and compared; a city reviewer reads and writes the zones of its city
//! and nothing of another city's.

use axum::http::{Method, StatusCode};
use ecociv_store::Role;
use serde_json::{Value, json};

use crate::support::{Client, server, unit_account};

/// The example zone's files, exported through the API, turned into another zone.
fn derived(files: &Value, code: &str, name: &str, city: Option<(&str, &str)>, forest: &str) -> Value {
    let mut zone = files["zone.toml"]
        .as_str()
        .unwrap()
        .replace("code = \"450202\"", &format!("code = \"{code}\""));
    zone = zone.replace("name = \"柳州市城中区\"", &format!("name = \"{name}\""));
    if let Some((city_code, city_name)) = city {
        zone = zone
            .replace("code = \"450200\"", &format!("code = \"{city_code}\""))
            .replace("name = \"柳州市\"", &format!("name = \"{city_name}\""));
    }
    let values: Vec<String> = files["values.csv"]
        .as_str()
        .unwrap()
        .lines()
        .map(|line| {
            if line.starts_with("10,2021,") {
                format!("10,2021,{forest},,,测试")
            } else {
                line.to_string()
            }
        })
        .collect();
    json!({"zone_toml": zone, "values_csv": values.join("\n") + "\n", "projects_csv": files["projects.csv"]})
}

#[tokio::test]
async fn zones_from_files_and_the_excel_plan_rolled_up_to_city_and_province_and_city_roles_stay_in_their_city() {
    let mut server = server("hierarchy").await;
    let mut admin = Client::login(&server, "admin").await;
    let exported = admin
        .json(&server, Method::GET, "/api/v1/zones/450202/export", None)
        .await;
    assert_eq!(exported.status, StatusCode::OK, "{:?}", exported.body);
    let files = exported.body["files"].clone();

    // A zone whose file has a bad value and wrong parents: refused whole, each problem located.
    let mut bad = derived(&files, "450204", "柳州市柳南区", Some(("450300", "桂林市")), "很多");
    bad["public"] = json!(false);
    let refused = admin.json(&server, Method::POST, "/api/v1/zones", Some(bad)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{:?}", refused.body);
    let details = refused.body["error"]["details"].as_array().expect("details");
    assert!(
        details
            .iter()
            .any(|d| d["file"] == "upload/values.csv" && d["field"] == "value" && d["line"].as_u64().is_some()),
        "{details:?}"
    );
    let absent = admin.json(&server, Method::GET, "/api/v1/zones/450204", None).await;
    assert_eq!(
        absent.status,
        StatusCode::NOT_FOUND,
        "nothing of the refused zone was stored"
    );

    // Two zones created from files: 鱼峰区 in 柳州 (forest cover 30 %, not met) and 秀峰区 in 桂林.
    for body in [
        derived(&files, "450203", "柳州市鱼峰区", None, "30"),
        derived(&files, "450302", "桂林市秀峰区", Some(("450300", "桂林市")), "42.72"),
    ] {
        let created = admin.json(&server, Method::POST, "/api/v1/zones", Some(body)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        assert_eq!(
            created.body["zone"]["framework"], "national-2021",
            "the edition is recorded"
        );
        assert!(created.body["values"].as_u64().unwrap() > 40);
    }
    // Assessed (materialized with their summaries).
    for code in ["450202", "450203", "450302"] {
        let assessed = admin
            .json(
                &server,
                Method::GET,
                &format!("/api/v1/zones/{code}/assessment?year=2021"),
                None,
            )
            .await;
        assert_eq!(assessed.status, StatusCode::OK, "{code}: {:?}", assessed.body);
    }

    let liuzhou_id = unit_account(&mut server, "liuzhou-reviewer", "450200", Role::Reviewer).await;
    let guilin_id = unit_account(&mut server, "guilin-reviewer", "450300", Role::Reviewer).await;
    assert_ne!(liuzhou_id, guilin_id);
    let mut liuzhou = Client::login(&server, "liuzhou-reviewer").await;
    let mut guilin = Client::login(&server, "guilin-reviewer").await;

    // The city's roll-up: its two zones compared.
    let city = liuzhou
        .json(&server, Method::GET, "/api/v1/rollup/450200?year=2021", None)
        .await;
    assert_eq!(city.status, StatusCode::OK, "{:?}", city.body);
    let r = &city.body["rollup"];
    assert_eq!((r["zones"].as_u64(), r["compared"].as_u64()), (Some(2), Some(2)), "{r}");
    assert_eq!(city.body["scope_name"], "柳州市");
    let standings = r["standings"].as_array().unwrap();
    assert_eq!(standings[0]["code"], "450202");
    assert_eq!(standings[1]["code"], "450203");
    assert_eq!(standings[1]["rank"], 2);
    let forest = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["row"] == "10")
        .unwrap();
    assert_eq!((forest["met"].as_u64(), forest["not_met"].as_u64()), (Some(1), Some(1)));
    assert_eq!(
        (forest["min"].as_f64(), forest["max"].as_f64()),
        (Some(30.0), Some(42.72))
    );

    // The province's: three zones, 秀峰区 equal to 城中区 (a shared first rank).
    let province = admin
        .json(&server, Method::GET, "/api/v1/rollup/450000?year=2021", None)
        .await;
    assert_eq!(province.status, StatusCode::OK, "{:?}", province.body);
    let r = &province.body["rollup"];
    assert_eq!(r["zones"].as_u64(), Some(3));
    let ranks: Vec<(String, u64)> = r["standings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["code"].as_str().unwrap().to_string(), s["rank"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        ranks,
        [
            ("450202".to_string(), 1),
            ("450302".to_string(), 1),
            ("450203".to_string(), 3)
        ]
    );
    // The comparison table as CSV.
    let csv = admin
        .json(&server, Method::GET, "/api/v1/rollup/450000?year=2021&format=csv", None)
        .await;
    let text = csv.body.as_str().expect("csv text");
    assert!(
        text.starts_with('\u{feff}') && text.contains("排名") && text.contains("10 林草覆盖率"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.lines().any(|l| l.contains(",450203,柳州市鱼峰区,未达到创建要求,")),
        "{text}"
    );

    // The exports of what the page shows: the distribution as CSV, every table in a real workbook read back
    // with calamine, the Word summary of a city; refused for another city's reviewer.
    let rows_csv = admin
        .json(
            &server,
            Method::GET,
            "/api/v1/rollup/450000?year=2021&format=csv&table=rows",
            None,
        )
        .await;
    let text = rows_csv.body.as_str().expect("csv text");
    assert!(
        text.lines()
            .any(|l| l.starts_with("10,林草覆盖率,参考性,%,2,1,0,3,30,42.72,42.72")),
        "row 10: 2 met (42.72 twice), 1 not met (30): {text}"
    );
    let (status, media, bytes) = admin
        .download(&server, "/api/v1/rollup/450000/rollup.xlsx?year=2021")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.contains("spreadsheetml"), "{media}");
    {
        use calamine::{Data, DataType as _, Reader};
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("a workbook");
        assert_eq!(
            book.sheet_names(),
            ["汇总", "排名", "约束性指标未达标", "指标分布", "未报送", "逐区比较"]
        );
        let summary = book.worksheet_range("汇总").unwrap();
        let item = |name: &str| {
            summary
                .rows()
                .find(|r| r[0] == Data::String(name.into()))
                .map(|r| r[1].clone())
        };
        assert_eq!(item("范围"), Some(Data::String("广西壮族自治区".into())));
        assert_eq!(item("范围代码"), Some(Data::String("450000".into())), "codes stay text");
        assert_eq!(item("区域数"), Some(Data::Float(3.0)));
        let standings = book.worksheet_range("排名").unwrap();
        let sheet_ranks: Vec<(String, f64)> = standings
            .rows()
            .skip(1)
            .map(|r| {
                (
                    r[1].as_string().expect("code as text"),
                    r[0].as_f64().expect("rank as number"),
                )
            })
            .collect();
        let json_ranks: Vec<(String, f64)> = ranks.iter().map(|(c, n)| (c.clone(), *n as f64)).collect();
        assert_eq!(sheet_ranks, json_ranks, "the workbook's standings are the API's");
        let rows = book.worksheet_range("指标分布").unwrap();
        let forest = rows.rows().find(|r| r[0] == Data::String("10".into())).expect("row 10");
        assert_eq!(forest[3], Data::String("%".into()));
        assert_eq!(
            (forest[8].clone(), forest[10].clone()),
            (Data::Float(30.0), Data::Float(42.72)),
            "figures stored as numbers"
        );
        let zones = book.worksheet_range("逐区比较").unwrap();
        assert_eq!(zones.height(), 4, "a line per zone under the header");
    }
    let (status, media, bytes) = liuzhou
        .download(&server, "/api/v1/rollup/450200/summary.docx?year=2021")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.contains("wordprocessingml"), "{media}");
    let document = {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a docx package");
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .expect("document.xml")
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    for expected in [
        "柳州市2021年度",
        "一、总体情况",
        "柳州市鱼峰区",
        "30%",
        "36.36%",
        "42.72%",
        "柳州市生态环境局",
    ] {
        assert!(document.contains(expected), "{expected} in the Word summary");
    }
    for (city, path) in [
        ("guilin", "/api/v1/rollup/450200/rollup.xlsx?year=2021"),
        ("guilin", "/api/v1/rollup/450200/summary.docx?year=2021"),
        ("guilin", "/api/v1/rollup/450200?year=2021&format=csv&table=rows"),
        ("liuzhou", "/api/v1/rollup/450300/rollup.xlsx?year=2021"),
        ("liuzhou", "/api/v1/rollup/450300/summary.docx?year=2021"),
    ] {
        let who = if city == "guilin" { &mut guilin } else { &mut liuzhou };
        let (status, _, _) = who.download(&server, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: another city's export");
    }
    let county = admin
        .json(
            &server,
            Method::GET,
            "/api/v1/rollup/450202/summary.docx?year=2021",
            None,
        )
        .await;
    assert_eq!(
        county.status,
        StatusCode::BAD_REQUEST,
        "the Word summary is a city's or a province's"
    );

    // The page, in Chinese: the city's zones with their standing and the row distribution.
    let page = liuzhou.get(&server, "/rollup/450200?year=2021").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap_or_default();
    for expected in [
        "柳州市2021年汇总与比较",
        "柳州市鱼峰区",
        "各区域排名",
        "林草覆盖率",
        ">30%<",
        ">36.36%<",
        ">42.72%<",
        "/api/v1/rollup/450200/rollup.xlsx?year=2021",
        "/api/v1/rollup/450200/summary.docx?year=2021",
        "下载全部表格（Excel）",
    ] {
        assert!(html.contains(expected), "{expected} on the page");
    }
    assert_eq!(
        guilin.get(&server, "/rollup/450200?year=2021").await.status,
        StatusCode::FORBIDDEN
    );

    // A city reviewer sees only its city: neither the roll-up nor the zones of another.
    assert_eq!(
        guilin
            .json(&server, Method::GET, "/api/v1/rollup/450200?year=2021", None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        liuzhou
            .json(&server, Method::GET, "/api/v1/rollup/450000?year=2021", None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let read = guilin
        .json(&server, Method::GET, "/api/v1/zones/450203/values", None)
        .await;
    assert!(
        matches!(read.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{:?}",
        read.body
    );
    let write = guilin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450203/values/10/2022",
            Some(json!({"value": "41", "source": "t"})),
        )
        .await;
    assert!(
        matches!(write.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{:?}",
        write.body
    );
    let hidden = liuzhou.json(&server, Method::GET, "/api/v1/zones/450302", None).await;
    assert_eq!(
        hidden.status,
        StatusCode::NOT_FOUND,
        "an undisclosed zone of another city is invisible"
    );
    // … and reads, writes and reviews its own.
    assert_eq!(
        guilin
            .json(&server, Method::GET, "/api/v1/zones/450302/values", None)
            .await
            .status,
        StatusCode::OK
    );
    let saved = liuzhou
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450203/values/10/2022",
            Some(json!({"value": "41", "source": "t"})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let listed = liuzhou.json(&server, Method::GET, "/api/v1/zones", None).await;
    let codes: Vec<&str> = listed.body["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"450203") && !codes.contains(&"450302"), "{codes:?}");

    // Zones of the same kind (县级, 湿润, 丘陵: the three share the example's attributes) side by side: the
    // city's reviewer sees its two zones, not 桂林's undisclosed one; the admin sees all three; 桂林's reviewer
    // cannot see 鱼峰区 at all.
    let peers = liuzhou
        .json(&server, Method::GET, "/api/v1/zones/450203/peers?year=2021", None)
        .await;
    assert_eq!(peers.status, StatusCode::OK, "{:?}", peers.body);
    let order: Vec<&str> = peers.body["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["code"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["450203", "450202"], "the zone first, then its visible peers");
    assert_eq!(
        peers.body["kind"],
        json!([{"attribute": "level", "value": "县级"}, {"attribute": "climate", "value": "湿润"}, {"attribute": "terrain", "value": "丘陵"}])
    );
    let forest = peers.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["row"] == "10")
        .expect("row 10");
    assert_eq!(
        forest["cells"],
        json!([{"status": "not_met", "figure": 30.0, "state": null}, {"status": "met", "figure": 42.72, "state": null}])
    );
    // A row whose value is a state shows the state (河长制: 全面实施), not a dash.
    let river = peers.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["row"] == "4")
        .expect("row 4");
    assert_eq!(river["cells"][0]["state"], "全面实施", "{river}");
    let all = admin
        .json(&server, Method::GET, "/api/v1/zones/450203/peers?year=2021", None)
        .await;
    assert_eq!(all.body["zones"].as_array().map(Vec::len), Some(3), "{:?}", all.body);
    assert_eq!(
        guilin
            .json(&server, Method::GET, "/api/v1/zones/450203/peers?year=2021", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let page = liuzhou.get(&server, "/z/450203/peers?year=2021").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap_or_default();
    for expected in [
        "柳州市鱼峰区2021年同类区域比较",
        "层级：县级",
        "柳州市城中区",
        ">30%",
        ">42.72%",
    ] {
        assert!(html.contains(expected), "{expected} on the peers page");
    }
    assert!(
        !html.contains("桂林市秀峰区"),
        "another city's undisclosed zone is not shown"
    );
    let river_row = html
        .split("data-row=\"4\"")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("row 4 on the peers page");
    assert!(
        river_row.contains("全面实施") && !river_row.contains("—"),
        "{river_row}"
    );
    let dashboard = liuzhou.get(&server, "/z/450203?year=2021").await;
    assert!(
        dashboard
            .body
            .as_str()
            .unwrap_or_default()
            .contains("/z/450203/peers?year=2021"),
        "the dashboard links the comparison"
    );

    // A third zone from the Excel plan template: 柳北区 (450205), its Table 2-1 filled (the example's plan,
    // forest cover 45 %). First a file with bad cells: refused whole, each cell named, nothing created.
    let mut example = ecociv_data::load_zone("450202").expect("example").zone;
    let framework = ecociv_data::bundled::framework("national-2021").expect("edition");
    let with_forest = |zone: &mut ecociv_core::Zone, value: ecociv_core::Value| {
        let earlier = zone.observation("10", 2021).unwrap().clone();
        zone.override_with([ecociv_core::Observation {
            value,
            recorded: None,
            ..earlier
        }]);
    };
    with_forest(&mut example, ecociv_core::Value::State("很多".into()));
    example.plan.title = String::new();
    let bad = ecociv_report::zone_plan::template(&framework, "450205", "柳州市柳北区", Some(&example)).expect("xlsx");
    let system = ecociv_server::demo::system_user(&server.store).await.expect("system");
    let refused = ecociv_server::service::zones::import_plan(
        &server.store,
        &system.id,
        "柳北区规划.xlsx",
        &bad,
        &ecociv_server::service::zones::ImportOptions::default(),
        ecociv_server::service::zones::today(),
    )
    .await
    .expect_err("bad cells");
    let details = refused.details.expect("details");
    let cells: Vec<(String, String)> = details
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["sheet"].as_str().unwrap().to_string(),
                d["cell"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let forest_line = 3 + framework.rows().position(|(_, r)| r.id == "10").unwrap() + 1;
    assert_eq!(
        cells,
        [
            ("区域信息".to_string(), "B7".to_string()),
            ("表2-1".to_string(), format!("E{forest_line}"))
        ],
        "{details}"
    );
    assert!(
        server.store.zone("450205").await.expect("store").is_none(),
        "nothing created"
    );

    with_forest(&mut example, ecociv_core::Value::Number(45.0));
    example.plan.title = "柳州市柳北区国家生态文明建设示范区规划（2022-2030年）".into();
    let good = ecociv_report::zone_plan::template(&framework, "450205", "柳州市柳北区", Some(&example)).expect("xlsx");
    let (code, values) = ecociv_server::service::zones::import_plan(
        &server.store,
        &system.id,
        "柳北区规划.xlsx",
        &good,
        &ecociv_server::service::zones::ImportOptions::default(),
        ecociv_server::service::zones::today(),
    )
    .await
    .unwrap_or_else(|e| panic!("{}: {:?}", e.message, e.details));
    assert_eq!(code, "450205");
    assert!(values > 40, "{values}");
    let assessed = admin
        .json(&server, Method::GET, "/api/v1/zones/450205/assessment?year=2021", None)
        .await;
    assert_eq!(assessed.status, StatusCode::OK, "{:?}", assessed.body);
    // Rolled up with the others: 柳州 now compares three zones, the province four.
    let city = liuzhou
        .json(&server, Method::GET, "/api/v1/rollup/450200?year=2021", None)
        .await;
    let r = &city.body["rollup"];
    assert_eq!((r["zones"].as_u64(), r["compared"].as_u64()), (Some(3), Some(3)), "{r}");
    let forest = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["row"] == "10")
        .unwrap();
    assert_eq!(
        (forest["met"].as_u64(), forest["not_met"].as_u64()),
        (Some(2), Some(1)),
        "{forest}"
    );
    assert_eq!(
        (forest["min"].as_f64(), forest["max"].as_f64()),
        (Some(30.0), Some(45.0))
    );
    let province = admin
        .json(&server, Method::GET, "/api/v1/rollup/450000?year=2021", None)
        .await;
    assert_eq!(province.body["rollup"]["zones"].as_u64(), Some(4));
    assert!(
        province.body["rollup"]["standings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["code"] == "450205"),
        "{}",
        province.body
    );
    // The Excel-made zone is 柳州's: its reviewer reads it, 桂林's does not.
    assert_eq!(
        liuzhou
            .json(&server, Method::GET, "/api/v1/zones/450205/values", None)
            .await
            .status,
        StatusCode::OK
    );
    let read = guilin
        .json(&server, Method::GET, "/api/v1/zones/450205/values", None)
        .await;
    assert!(
        matches!(read.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{:?}",
        read.body
    );
}
