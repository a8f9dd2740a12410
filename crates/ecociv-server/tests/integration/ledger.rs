//! Registers (台账, issue 13) through the whole router: an import is all or nothing with file, line and
//! field, and a repeat changes nothing; closing (销号) a hazard changes row 14's input; "compute from
//! registers" saves the fed rows through the workflow with their provenance (kind and version, the
//! arithmetic, the records counted); a kind added as a data file works end to end with no code.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use ecociv_core::Source;
use ecociv_server::Config;

use crate::support::{Client, Response, TestServer, server, server_with};

async fn upload(client: &mut Client, server: &TestServer, kind: &str, file: &str, text: &str) -> Response {
    client
        .send(
            server,
            Method::POST,
            &format!("/api/v1/zones/450202/ledgers/{kind}/import?file={file}"),
            Some(Body::from(text.to_string())),
            "text/csv",
        )
        .await
}

const HAZARDS: &str = "编号,单位或地点,隐患描述,隐患等级,发现日期,整改期限,状态,状态日期\n";

#[tokio::test]
async fn an_import_is_all_or_nothing_and_a_repeat_changes_nothing() {
    let server = server("ledger_import").await;
    let mut client = Client::login(&server, "editor-env").await;
    // Line 3's grade is not in the vocabulary: nothing of the file is stored.
    let bad = format!(
        "{HAZARDS}YH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-04-01\nYH2,加油站,油气回收异常,特大,2024-10-12,,登记,2024-10-12\n"
    );
    let response = upload(&mut client, &server, "risk_hazard", "hazards.csv", &bad).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    let problem = &response.body["error"]["details"][0];
    assert_eq!(problem["file"], "hazards.csv");
    assert_eq!(problem["line"], 3);
    assert_eq!(problem["field"], "隐患等级(grade)");
    assert!(server.store.ledger_counts("450202").await.unwrap().is_empty());

    let good = bad.replace("特大", "较大");
    let response = upload(&mut client, &server, "risk_hazard", "hazards.csv", &good).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(
        (response.body["added"].as_u64(), response.body["new_records"].as_u64()),
        (Some(2), Some(2))
    );
    let again = upload(&mut client, &server, "risk_hazard", "hazards.csv", &good).await;
    assert_eq!(
        (again.body["added"].as_u64(), again.body["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    assert!(again.body["batch"].is_null());
    assert_eq!(
        server
            .store
            .ledger_imports("450202", "risk_hazard")
            .await
            .unwrap()
            .len(),
        1
    );

    // The agriculture editor does not keep this register.
    let mut other = Client::login(&server, "editor-agri").await;
    let refused = upload(&mut other, &server, "risk_hazard", "hazards.csv", &good).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The record's history names who and when.
    let history = client
        .get(&server, "/api/v1/zones/450202/ledgers/risk_hazard/records/YH2")
        .await;
    assert_eq!(history.body["revisions"][0]["author"], "editor-env");
    assert_eq!(history.body["revisions"][0]["cells"]["grade"], "较大");
}

#[tokio::test]
async fn closing_a_hazard_changes_row_14s_input() {
    let server = server("ledger_close").await;
    let mut client = Client::login(&server, "editor-env").await;
    let open = format!(
        "{HAZARDS}YH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-04-01\nYH2,加油站,油气回收异常,较大,2024-10-12,,整改中,2024-10-20\n"
    );
    // A new record may not start 整改中 (the kind allows only 登记 first): refused whole, line 3.
    let response = upload(&mut client, &server, "risk_hazard", "a.csv", &open).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert_eq!(response.body["error"]["details"][0]["line"], 3);
    let open = open.replace(",整改中,2024-10-20", ",登记,2024-10-12");
    assert_eq!(
        upload(&mut client, &server, "risk_hazard", "a.csv", &open).await.status,
        StatusCode::OK
    );
    let open_hazards = |body: &serde_json::Value| {
        body["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["row"] == "14" && f["label"] == "年底未销号隐患数")
            .map(|f| (f["value"].as_f64().unwrap(), f["records"].clone()))
    };
    let before = client
        .get(&server, "/api/v1/zones/450202/ledgers/derived?year=2024")
        .await;
    assert_eq!(
        open_hazards(&before.body),
        Some((2.0, serde_json::json!(["YH1", "YH2"])))
    );

    let close = format!("{HAZARDS}YH1,仓库,围堰破损,一般,2024-04-01,,销号,2024-06-30\n");
    assert_eq!(
        upload(&mut client, &server, "risk_hazard", "b.csv", &close)
            .await
            .status,
        StatusCode::OK
    );
    let after = client
        .get(&server, "/api/v1/zones/450202/ledgers/derived?year=2024")
        .await;
    assert_eq!(open_hazards(&after.body), Some((1.0, serde_json::json!(["YH2"]))));
    // At the end of 2023 neither was found yet; at the end of 2025 YH1 stays closed.
    let later = client
        .get(&server, "/api/v1/zones/450202/ledgers/derived?year=2025")
        .await;
    assert_eq!(open_hazards(&later.body), Some((1.0, serde_json::json!(["YH2"]))));
    // Reopening a closed hazard is not a transition of the kind.
    let reopen = format!("{HAZARDS}YH1,仓库,围堰破损,一般,2024-04-01,,整改中,2024-07-01\n");
    let refused = upload(&mut client, &server, "risk_hazard", "c.csv", &reopen).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn computed_rows_are_saved_through_the_workflow_with_provenance() {
    let server = server("ledger_compute").await;
    let mut editor = Client::login(&server, "editor-env").await;
    let kinds = ecociv_ledger::bundled::kinds(&ecociv_data::bundled::framework("national-2021").unwrap()).unwrap();
    let water = kinds.iter().find(|k| k.feeds.iter().any(|f| f.row == "24")).unwrap();
    let header: Vec<String> = ecociv_ledger::record::columns(water)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        water.department, "城中区卫生健康局",
        "the test's uploader must fit the kind"
    );
    let _ = &mut editor;
    let mut reviewer = Client::login(&server, "reviewer").await;
    // Four samples of 2024, three qualified: 3 ÷ 4 × 100 = 75 %.
    let mut text = header.join(",") + "\n";
    for (i, ok) in ["是", "是", "否", "是"].iter().enumerate() {
        let cells: Vec<String> = header
            .iter()
            .map(|id| match id.as_str() {
                "record_id" => format!("S{i}"),
                _ => match water.field(id).map(|f| &f.ty) {
                    Some(ecociv_ledger::FieldType::Date) => "2024-06-01".into(),
                    Some(ecociv_ledger::FieldType::Bool) => ok.to_string(),
                    Some(ecociv_ledger::FieldType::Choice(values)) => values[0].clone(),
                    Some(ecociv_ledger::FieldType::Year) => "2024".into(),
                    Some(ecociv_ledger::FieldType::Number | ecociv_ledger::FieldType::Integer) => "1".into(),
                    _ => "某村".into(),
                },
            })
            .collect();
        text.push_str(&(cells.join(",") + "\n"));
    }
    let response = upload(&mut reviewer, &server, &water.id, "water.csv", &text).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let response = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/ledgers/compute?year=2024&status=submitted",
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.body["saved"], 1, "{}", response.body);
    let current = server.store.current("450202", "24", 2024).await.unwrap().unwrap();
    assert_eq!(current.observation.value.as_number(), Some(75.0));
    assert_eq!(current.status, ecociv_store::Status::Submitted);
    let Source::Ledger {
        kind_id,
        version,
        method,
        records,
        ..
    } = &current.observation.source
    else {
        panic!("not from a register: {:?}", current.observation.source);
    };
    assert_eq!((kind_id.as_str(), *version), (water.id.as_str(), water.version));
    assert!(method.contains("3÷4×100"), "{method}");
    assert_eq!(records.len(), 4);
    // Again: the same figure is in force; nothing is saved.
    let again = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/ledgers/compute?year=2024&status=submitted",
            None,
        )
        .await;
    assert_eq!(
        (again.body["saved"].as_u64(), again.body["unchanged"].as_u64()),
        (Some(0), Some(1))
    );
}

#[tokio::test]
async fn a_kind_added_as_a_data_file_works_end_to_end() {
    let config = Config {
        ledger_kinds: vec![(
            "notice_register.toml".into(),
            include_str!("../data/notice_register.toml").into(),
        )],
        ..Config::default()
    };
    let server = server_with("ledger_new_kind", config).await;
    let mut client = Client::login(&server, "editor-env").await;
    let kinds = client.get(&server, "/api/v1/zones/450202/ledgers").await;
    assert!(
        kinds.body["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["id"] == "notice_register" && k["version"] == 3),
        "{}",
        kinds.body
    );
    let text = "编号,应公开事项,应公开日期,已公开\nN1,环评审批结果,2023-02-01,是\nN2,行政处罚决定,2023-05-01,是\nN3,监测信息,2023-09-01,否\nN4,次年事项,2024-01-05,否\n";
    let response = upload(&mut client, &server, "notice_register", "notices.csv", text).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let mut reviewer = Client::login(&server, "reviewer").await;
    let response = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/ledgers/compute?year=2023&status=draft",
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let current = server.store.current("450202", "5", 2023).await.unwrap().unwrap();
    let Source::Ledger {
        kind_id,
        version,
        records,
        ..
    } = &current.observation.source
    else {
        panic!("not from a register: {:?}", current.observation.source);
    };
    assert_eq!((kind_id.as_str(), *version, records.len()), ("notice_register", 3, 3));
    // 2 ÷ 3 × 100, kept to 12 significant digits.
    assert!((current.observation.value.as_number().unwrap() - 200.0 / 3.0).abs() < 1e-9);
}
