//! Registers (台账, issue 13) through the whole router: an import is all or nothing with file, line and
//! field, and a repeat changes nothing; closing (销号) a hazard changes row 14's input; "compute from
//! registers" saves the fed rows through the workflow with their provenance (kind and version, the
//! arithmetic, the records counted); a kind added as a data file works end to end with no code.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use ecociv_core::Source;
use ecociv_server::Config;

use crate::support::{Client, Response, TestServer, server, servers, servers_with};

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
    for server in servers("ledger_import").await {
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
}

#[tokio::test]
async fn closing_a_hazard_changes_row_14s_input() {
    for server in servers("ledger_close").await {
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
}

#[tokio::test]
async fn computed_rows_are_saved_through_the_workflow_with_provenance() {
    for server in servers("ledger_compute").await {
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
    for server in servers_with("ledger_new_kind", config).await {
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
}

/// The text of each cell of each row of the Word document's table whose caption starts with `caption`.
fn docx_table(xml: &str, caption: &str) -> Vec<Vec<String>> {
    let start = xml.find(caption).expect("the table's caption");
    let table_start = start + xml[start..].find("<w:tbl>").expect("a table after the caption");
    let table_end = table_start + xml[table_start..].find("</w:tbl>").expect("the table's end");
    let table = &xml[table_start..table_end];
    let text_of = |cell: &str| {
        let mut out = String::new();
        let mut rest = cell;
        while let Some(i) = rest.find("<w:t") {
            let after = &rest[i..];
            let Some(open_end) = after.find('>') else { break };
            let tag = &after[..open_end];
            if !(tag.starts_with("<w:t>") || tag.starts_with("<w:t ")) && tag != "<w:t" {
                rest = &after[open_end..];
                continue;
            }
            let body = &after[open_end + 1..];
            let close = body.find("</w:t>").unwrap_or(body.len());
            out.push_str(&body[..close]);
            rest = &body[close..];
        }
        out
    };
    table
        .split("<w:tr>")
        .skip(1)
        .chain(table.split("<w:tr ").skip(1))
        .map(|row| row.split("<w:tc>").skip(1).map(text_of).collect())
        .collect()
}

#[tokio::test]
async fn the_word_report_of_a_synthetic_year_names_each_rows_origin() {
    // The demo's SYNTHETIC registers computed for their year, as `serve --demo` loads them.
    let server = server("ledger_docx").await;
    let saved = ecociv_server::demo::load_ledgers(&server.store)
        .await
        .expect("demo registers");
    assert!(saved >= 15, "the demo's registers feed most rows: {saved}");
    let year = ecociv_server::demo::DEMO_LEDGER_YEAR;
    let mut client = Client::login(&server, "reviewer").await;
    let assessment = client
        .get(&server, &format!("/api/v1/zones/450202/assessment?year={year}"))
        .await;
    assert_eq!(assessment.status, StatusCode::OK, "{}", assessment.body);
    // The bytes of the Word report as the page's link downloads it.
    let request = axum::http::Request::builder()
        .uri(format!("/z/450202/report.docx?year={year}"))
        .header(
            axum::http::header::COOKIE,
            client
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(server.app.clone(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a docx");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let table = docx_table(&xml, "表2-1 ");
    let header = table.first().expect("a header");
    let origin_col = header.iter().position(|h| h == "数据来源").expect("a 数据来源 column");
    let mut ledger_rows = 0;
    let mut checked = 0;
    for row in assessment.body["rows"].as_array().unwrap() {
        let id = row["id"].as_str().unwrap();
        let Some(cells) = table.iter().find(|cells| cells.first().map(String::as_str) == Some(id)) else {
            continue;
        };
        let source = &row["source"];
        let expected = match (source["kind"].as_str(), source["synthetic"].as_bool()) {
            (None, _) => String::new(),
            (Some("ledger"), Some(true)) => "合成台账".to_string(),
            (Some("survey"), Some(true)) => "合成调查".to_string(),
            (Some(kind), _) => match kind {
                "document" => "文件",
                "file" => "填报",
                "computed" => "监测",
                "ledger" => "台账",
                "survey" => "调查",
                "synthetic" => "合成",
                other => panic!("unknown source kind {other}"),
            }
            .to_string(),
        };
        if row["value"].is_null() {
            assert_eq!(cells[origin_col], "", "row {id} has no figure");
            continue;
        }
        assert_eq!(cells[origin_col], expected, "row {id}'s origin in the Word table");
        checked += 1;
        if source["kind"] == "ledger" {
            ledger_rows += 1;
            // The note under the table gives the register and the arithmetic of each derived row.
            let note = format!("指标 {id}（{}）的数值由台账记录计算：", row["name"].as_str().unwrap());
            let at = xml
                .find(&note)
                .unwrap_or_else(|| panic!("row {id}'s derivation is stated"));
            let method = source["method"].as_str().unwrap();
            let sentence = &xml[at..at + xml[at..].find("</w:t>").unwrap()];
            assert!(sentence.contains(method), "row {id}: {sentence} lacks {method}");
            assert!(
                sentence.contains("合成的演示数据"),
                "row {id}: synthetic records said so"
            );
        }
    }
    assert!(ledger_rows >= 15, "{ledger_rows} rows from registers");
    assert!(
        checked > ledger_rows,
        "rows of other origins are checked too: {checked}"
    );
}

#[tokio::test]
async fn a_record_carries_evidence_files_uploaded_and_downloaded_as_a_values_are() {
    for server in servers("ledger_evidence").await {
        let mut client = Client::login(&server, "editor-env").await;
        let text = format!("{HAZARDS}YH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-04-01\n");
        assert_eq!(
            upload(&mut client, &server, "risk_hazard", "a.csv", &text).await.status,
            StatusCode::OK
        );
        let path = "/api/v1/zones/450202/ledgers/risk_hazard/records/YH1/evidence";
        let pdf = b"%PDF-1.4 rectification notice".to_vec();
        let stored = client
            .send(
                &server,
                Method::POST,
                &format!("{path}?name=%E6%95%B4%E6%94%B9%E9%80%9A%E7%9F%A5.pdf"),
                Some(Body::from(pdf.clone())),
                "application/pdf",
            )
            .await;
        assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
        assert_eq!(stored.body["file_name"], "整改通知.pdf");
        assert_eq!(stored.body["size_bytes"], pdf.len());
        // A name with a path, an empty file, a record that does not exist, another department's editor:
        // refused, nothing stored.
        for (name, body, status) in [
            ("..%2F..%2Fetc%2Fpasswd", pdf.clone(), StatusCode::BAD_REQUEST),
            ("a.pdf", Vec::new(), StatusCode::BAD_REQUEST),
        ] {
            let response = client
                .send(
                    &server,
                    Method::POST,
                    &format!("{path}?name={name}"),
                    Some(Body::from(body)),
                    "application/pdf",
                )
                .await;
            assert_eq!(response.status, status, "{name}: {}", response.body);
        }
        let missing = client
            .send(
                &server,
                Method::POST,
                "/api/v1/zones/450202/ledgers/risk_hazard/records/NOPE/evidence?name=a.pdf",
                Some(Body::from(pdf.clone())),
                "application/pdf",
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let mut other = Client::login(&server, "editor-agri").await;
        let refused = other
            .send(
                &server,
                Method::POST,
                &format!("{path}?name=a.pdf"),
                Some(Body::from(pdf.clone())),
                "application/pdf",
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // Over the limit: refused before it is stored.
        let big = vec![b'x'; ecociv_server::api::evidence::MAX_EVIDENCE_BYTES + 1];
        let too_big = client
            .send(
                &server,
                Method::POST,
                &format!("{path}?name=big.pdf"),
                Some(Body::from(big)),
                "application/pdf",
            )
            .await;
        assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
        // The record lists exactly the one file; a viewer downloads it byte for byte, never inline.
        let record = client
            .get(&server, "/api/v1/zones/450202/ledgers/risk_hazard/records/YH1")
            .await;
        let files = record.body["evidence"].as_array().unwrap();
        assert_eq!(files.len(), 1, "{}", record.body);
        let href = files[0]["download"].as_str().unwrap().to_string();
        let viewer = Client::login(&server, "viewer").await;
        let request = axum::http::Request::builder()
            .uri(&href)
            .header(
                axum::http::header::COOKIE,
                viewer
                    .cookies
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .body(Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(server.app.clone(), request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()[axum::http::header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(bytes.to_vec(), pdf);
        // The record's page lists it with its link, and offers the form to its keepers only.
        let page = client.get(&server, "/z/450202/ledgers/risk_hazard/records/YH1").await;
        let html = page.body.as_str().unwrap_or_default().to_string();
        assert!(
            html.contains("整改通知.pdf") && html.contains(&href),
            "the file is listed"
        );
        assert!(html.contains("enctype=\"multipart/form-data\""), "the keeper's form");
        let mut viewer = viewer;
        let page = viewer.get(&server, "/z/450202/ledgers/risk_hazard/records/YH1").await;
        let html = page.body.as_str().unwrap_or_default().to_string();
        assert!(html.contains("整改通知.pdf"));
        assert!(!html.contains("multipart/form-data"), "no form for a viewer");
        // The page's form: a file stored (POST-redirect-GET); a form without a file comes back with the
        // reason in Chinese.
        let multipart = |name: &str, content: &str| {
            format!(
                "--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n{content}\r\n--XB--\r\n"
            )
        };
        let page_path = "/z/450202/ledgers/risk_hazard/records/YH1/evidence";
        let response = client
            .send(
                &server,
                Method::POST,
                page_path,
                Some(Body::from(multipart("销号审批.jpg", "JPEG"))),
                "multipart/form-data; boundary=XB",
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        assert!(
            response
                .location
                .as_deref()
                .unwrap_or_default()
                .ends_with("/records/YH1?done=file")
        );
        let response = client
            .send(
                &server,
                Method::POST,
                page_path,
                Some(Body::from(multipart("", ""))),
                "multipart/form-data; boundary=XB",
            )
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST);
        assert!(response.body.as_str().unwrap_or_default().contains("文件为空"));
        let files = server
            .store
            .record_evidence_list("450202", "risk_hazard", "YH1")
            .await
            .unwrap();
        assert_eq!(
            files.iter().map(|f| f.file_name.as_str()).collect::<Vec<_>>(),
            ["整改通知.pdf", "销号审批.jpg"]
        );
    }
}

async fn post_form(client: &mut Client, server: &TestServer, path: &str, fields: &[(&str, &str)]) -> Response {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    client
        .send(
            server,
            Method::POST,
            path,
            Some(Body::from(body)),
            "application/x-www-form-urlencoded",
        )
        .await
}

#[tokio::test]
async fn a_record_is_entered_by_page_all_or_nothing_with_each_field_named() {
    for server in servers("ledger_entry").await {
        let mut client = Client::login(&server, "editor-env").await;
        // The form is generated from the kind: the grade's vocabulary, the lifecycle's states.
        let form = client.get(&server, "/z/450202/ledgers/risk_hazard/new").await;
        assert_eq!(form.status, StatusCode::OK);
        let html = form.body.as_str().unwrap_or_default().to_string();
        for text in [
            "隐患等级",
            "<option value=\"较大\"",
            "<option value=\"销号\"",
            "状态日期",
            "type=\"date\"",
        ] {
            assert!(html.contains(text), "the form has {text}");
        }
        let path = "/z/450202/ledgers/risk_hazard/new";
        // A grade outside the vocabulary and no found date: refused, both named in Chinese beside their
        // fields, nothing stored.
        let bad = [
            ("record_id", "YH7"),
            ("unit_name", "仓库"),
            ("hazard", "围堰破损"),
            ("grade", "特大"),
            ("found_date", ""),
            ("state", "登记"),
            ("state_date", "2024-04-01"),
        ];
        let response = post_form(&mut client, &server, path, &bad).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST);
        let html = response.body.as_str().unwrap_or_default().to_string();
        assert!(html.contains("有 2 处未通过校验"), "{html}");
        assert!(html.contains("隐患等级：“特大”"), "the grade's reason beside it");
        assert!(html.contains("发现日期：必填"), "the date's reason beside it");
        assert!(!html.contains("(required)"), "Chinese only on the Chinese page");
        assert!(html.contains("value=\"仓库\""), "what was typed is kept");
        assert!(server.store.ledger_counts("450202").await.unwrap().is_empty());
        // Corrected: stored, and the browser goes to the record's page.
        let mut good = bad;
        good[3] = ("grade", "较大");
        good[4] = ("found_date", "2024-04-01");
        let response = post_form(&mut client, &server, path, &good).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        assert_eq!(
            response.location.as_deref(),
            Some("/z/450202/ledgers/risk_hazard/records/YH7?done=saved")
        );
        // The next revision: the form comes filled; closing (销号) is stored as revision 2, and row 14's open
        // hazards of 2024 no longer count it.
        let next = client
            .get(&server, "/z/450202/ledgers/risk_hazard/new?record=YH7")
            .await;
        assert!(next.body.as_str().unwrap_or_default().contains("value=\"围堰破损\""));
        let mut close = good;
        close[5] = ("state", "销号");
        close[6] = ("state_date", "2024-09-30");
        let response = post_form(&mut client, &server, path, &close).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let history = server
            .store
            .ledger_record("450202", "risk_hazard", "YH7")
            .await
            .unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].revision.state.as_deref(), Some("销号"));
        assert_eq!(history[1].author, "editor-env");
        // Reopening a closed hazard is not a step of the kind: refused beside 状态, nothing stored.
        let mut reopen = close;
        reopen[5] = ("state", "整改中");
        reopen[6] = ("state_date", "2024-10-30");
        let response = post_form(&mut client, &server, path, &reopen).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST);
        assert!(
            response.body.as_str().unwrap_or_default().contains("状态："),
            "{}",
            response.body
        );
        assert_eq!(
            server
                .store
                .ledger_record("450202", "risk_hazard", "YH7")
                .await
                .unwrap()
                .len(),
            2
        );
        // Another department's editor gets no form.
        let mut other = Client::login(&server, "editor-agri").await;
        assert_eq!(other.get(&server, path).await.status, StatusCode::FORBIDDEN);
    }
}
