//! The public side's portal (issue 14): the zone's public switch — set by an administrator through the API
//! or the administration page, recorded in the audit trail, and obeyed by every public page and API route.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{Client, Response, TestServer, server};

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

fn page(response: &Response) -> &str {
    response.body.as_str().unwrap_or_default()
}

async fn zone_events(admin: &mut Client, server: &TestServer) -> Vec<serde_json::Value> {
    let response = admin
        .get(server, "/api/v1/audit?target_kind=zone&target_id=450202")
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.body["events"].as_array().cloned().unwrap_or_default()
}

/// What the public sees of the zone: its profile in the API and its dashboard page.
async fn public_sees(server: &TestServer) -> bool {
    let mut public = Client::anonymous();
    let api = public.get(server, "/api/v1/zones/450202").await;
    let dashboard = public.get(server, "/z/450202").await;
    match (api.status, dashboard.status) {
        (StatusCode::OK, StatusCode::OK) => true,
        (StatusCode::NOT_FOUND, status) => {
            assert_ne!(status, StatusCode::OK, "the API hides the zone but its page shows");
            false
        }
        other => panic!("API and page disagree: {other:?}"),
    }
}

#[tokio::test]
async fn the_public_switch_is_set_by_admins_through_the_api_and_the_page_and_audited() {
    let server = server("portal-switch").await;
    assert!(public_sees(&server).await, "the demo zone starts public");
    let mut admin = Client::login(&server, "admin").await;
    let before = zone_events(&mut admin, &server).await.len();

    // A reviewer may not change it.
    let mut reviewer = Client::login(&server, "reviewer").await;
    let refused = reviewer
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": false})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(public_sees(&server).await);
    // A malformed body is refused with the JSON error.
    let bad = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": "yes"})),
        )
        .await;
    assert_eq!(bad.status.as_u16() / 100, 4, "{}", bad.body);
    assert!(public_sees(&server).await);

    // The API turns it off: the public loses the zone; the change is recorded once, with its actor.
    let off = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": false})),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(off.body["changed"], true);
    assert!(!public_sees(&server).await);
    let again = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": false})),
        )
        .await;
    assert_eq!(again.body["changed"], false, "the same state changes nothing");
    let events = zone_events(&mut admin, &server).await;
    assert_eq!(events.len(), before + 1, "{events:?}");
    assert_eq!(events[0]["action"], "zone.public");
    assert_eq!(events[0]["before"], json!({"public": true}));
    assert_eq!(events[0]["after"], json!({"public": false}));
    let admin_id = server.store.user_by_username("admin").await.unwrap().unwrap().id;
    assert_eq!(events[0]["actor"]["id"], admin_id.as_str());

    // The administration page shows it off and turns it on; its record lists the changes.
    let shown = admin.get(&server, "/admin/zone?zone=450202").await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(page(&shown).contains("不公开") && page(&shown).contains("设为对外公开"));
    let token = admin.csrf.clone().unwrap_or_default();
    let posted = post_form(
        &mut admin,
        &server,
        "/admin/zone?zone=450202",
        &[("csrf_token", &token), ("public", "1")],
    )
    .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", page(&posted));
    assert!(public_sees(&server).await);
    let events = zone_events(&mut admin, &server).await;
    assert_eq!(events.len(), before + 2);
    assert_eq!(events[0]["after"], json!({"public": true}));
    let shown = admin.get(&server, "/admin/zone?zone=450202&done=public").await;
    assert!(page(&shown).contains("公开设置已更新") && page(&shown).contains("停止对外公开"));
    assert_eq!(page(&shown).matches("<td>公开设置</td>").count(), 2, "{}", page(&shown));
    // A form without a clear value is refused and changes nothing.
    let bad = post_form(
        &mut admin,
        &server,
        "/admin/zone?zone=450202",
        &[("csrf_token", &token), ("public", "maybe")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(zone_events(&mut admin, &server).await.len(), before + 2);
}

/// A raw GET without cookies: status, content type (`login` for a redirect to the login page) and bytes.
async fn raw(server: &TestServer, path: &str) -> (StatusCode, String, Vec<u8>) {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method(Method::GET)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    let response = server.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    // A redirect to the login page reads as the media type `login`.
    let media = if header(axum::http::header::LOCATION).starts_with("/login") {
        "login".to_string()
    } else {
        header(axum::http::header::CONTENT_TYPE)
    };
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, media, bytes.to_vec())
}

/// The same-site links of a page that a visitor can follow without an account (not login, language,
/// forms' targets).
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let link = part[..end].replace("&amp;", "&");
        if link.starts_with("/z/") || link.starts_with("/assets/") || link == "/" {
            out.push(link);
        }
    }
    out
}

#[tokio::test]
async fn the_portal_is_walked_without_login_every_file_opens_and_nothing_private_leaks() {
    let server = server("portal-walk").await;
    // Private things the public must never see: a draft, a submitted value, the names of the people who
    // wrote and approved values, an evidence file's name, survey codes.
    let mut admin = Client::login(&server, "admin").await;
    let created = admin
        .json(
            &server,
            Method::POST,
            "/api/v1/users",
            Some(json!({"username": "h14-approver", "display_name": "吕青禾", "password": "a long enough password"})),
        )
        .await;
    assert_eq!(created.status.as_u16() / 100, 2, "{}", created.body);
    let approver_id = created.body["id"].as_str().unwrap().to_string();
    let member = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/zones/450202/members/{approver_id}"),
            Some(json!({"role": "reviewer"})),
        )
        .await;
    assert_eq!(member.status, StatusCode::OK, "{}", member.body);
    let mut editor = Client::login(&server, "editor-env").await;
    let put = |value: &str| json!({"value": value, "source": "门户测试"});
    for (path, value) in [
        ("/api/v1/zones/450202/values/7.1/2026", "88.8"),
        ("/api/v1/zones/450202/values/7.1/2027", "61.2345"),
    ] {
        let saved = editor.json(&server, Method::PUT, path, Some(put(value))).await;
        assert_eq!(saved.status, StatusCode::OK, "{path}: {}", saved.body);
    }
    let submitted = editor
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/7.1/2026/submit",
            None,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let mut approver = Client::anonymous();
    assert_eq!(
        approver
            .try_login(&server, "h14-approver", "a long enough password")
            .await
            .status,
        StatusCode::OK
    );
    let approved = approver
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/7.1/2026/approve",
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let mut reviewer = Client::login(&server, "reviewer").await;
    let saved = reviewer
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/values/7.2/2027",
            Some(put("27.7319")),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let submitted = reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/7.2/2027/submit",
            None,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let uploader = server.store.user_by_username("editor-env").await.unwrap().unwrap().id;
    server
        .store
        .add_evidence(
            "450202",
            "7.1",
            2026,
            "门户泄露检查佐证材料.pdf",
            "application/pdf",
            "x",
            b"%PDF".to_vec(),
            &uploader,
        )
        .await
        .unwrap();
    let survey = server.store.surveys("450202").await.unwrap()[0].clone();
    let codes = server
        .store
        .issue_survey_codes("450202", &survey.survey_id, "chengzhong", 5)
        .await
        .unwrap();
    let mut private: Vec<String> = vec![
        "61.2345".into(),
        "27.7319".into(),
        "门户泄露检查佐证材料".into(),
        "editor-env".into(),
        "h14-approver".into(),
    ];
    for user in server.store.users().await.unwrap() {
        if user.display_name.chars().count() >= 3 {
            private.push(user.display_name.clone());
        }
    }
    private.extend(codes.iter().cloned());
    assert!(private.iter().any(|p| p == "吕青禾"));

    // The walk: from the zone's dashboard and the catalogue, every same-site link, and every file the
    // DCAT catalogue names; all without a cookie.
    let mut queue: std::collections::VecDeque<String> = [
        "/z/450202",
        "/z/450202/open",
        "/z/450202/results",
        "/z/450202/disclosure",
        "/z/450202/plan",
        "/z/450202/plan/projects",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut files = 0;
    let mut pages = 0;
    let mut failures = Vec::new();
    let mut dcat_files: Vec<String> = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 600 {
            continue;
        }
        let (status, media, bytes) = raw(&server, &path).await;
        if status == StatusCode::SEE_OTHER && media == "login" {
            // A public page must not send a visitor without an account to the login page.
            failures.push(format!("{path}: a members' page linked from a public one (login)"));
            continue;
        }
        if status != StatusCode::OK {
            failures.push(format!("{path}: {status}"));
            continue;
        }
        let zipped = bytes.starts_with(b"PK\x03\x04");
        let text = String::from_utf8_lossy(&bytes).to_string();
        if !zipped {
            for secret in &private {
                if text.contains(secret.as_str()) {
                    failures.push(format!("{path} shows private “{secret}”"));
                }
            }
        }
        let kind = media.split(';').next().unwrap_or_default().trim().to_string();
        match kind.as_str() {
            "text/html" => {
                pages += 1;
                if !text.contains("</html>") {
                    failures.push(format!("{path}: not a whole page"));
                }
                for link in links(&text) {
                    if !seen.contains(&link) {
                        queue.push_back(link);
                    }
                }
            }
            "text/csv" => {
                files += 1;
                let body = text.strip_prefix('\u{feff}');
                let Some(body) = body else {
                    failures.push(format!("{path}: CSV without its BOM"));
                    continue;
                };
                let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
                let width = reader.headers().map(|h| h.len()).unwrap_or(0);
                let records: Result<Vec<csv::StringRecord>, _> = reader.records().collect();
                match records {
                    Ok(records) if width > 1 && records.iter().all(|r| r.len() == width) => {}
                    other => failures.push(format!("{path}: CSV does not parse: {other:?}")),
                }
            }
            "application/json" | "application/ld+json" => {
                files += 1;
                match serde_json::from_slice::<serde_json::Value>(&bytes) {
                    Ok(json) if path.ends_with("catalog.jsonld") => {
                        for dataset in json["dcat:dataset"].as_array().cloned().unwrap_or_default() {
                            for distribution in dataset["dcat:distribution"].as_array().cloned().unwrap_or_default() {
                                let url = distribution["dcat:downloadURL"]["@id"]
                                    .as_str()
                                    .unwrap_or_default()
                                    .to_string();
                                dcat_files.push(url.clone());
                                queue.push_back(url);
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(error) => failures.push(format!("{path}: JSON does not parse: {error}")),
                }
            }
            "text/css" => {}
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                files += 1;
                if !zipped {
                    failures.push(format!("{path}: an Office file that is not a zip"));
                }
            }
            other => failures.push(format!("{path}: unexpected content type {other}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every dataset has its CSV and JSON in the catalogue, and the walk reached them.
    assert_eq!(
        dcat_files.len(),
        2 * ecociv_server::web::portal::DATASETS.len(),
        "{dcat_files:?}"
    );
    for url in &dcat_files {
        assert!(seen.contains(url), "{url} not walked");
    }
    assert!(pages > 40 && files >= 12, "{pages} pages, {files} files");
    // The approved value is published (the walk is not vacuous), with the survey's rows and intervals.
    let (_, _, values) = raw(&server, "/z/450202/open/values.csv").await;
    let values = String::from_utf8(values).unwrap();
    assert!(values.contains("2026,7.1,") && values.contains(",88.8,"), "{values}");
    let (_, _, results) = raw(&server, "/z/450202/open/survey-results.json").await;
    let results: serde_json::Value = serde_json::from_slice(&results).unwrap();
    let rows = results["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "rows 34 and 35 of 2024: {results}");
    for row in rows {
        let (low, value, high) = (
            row["95%置信下限（%）"].as_str().unwrap().parse::<f64>().unwrap(),
            row["估计值（%）"].as_str().unwrap().parse::<f64>().unwrap(),
            row["95%置信上限（%）"].as_str().unwrap().parse::<f64>().unwrap(),
        );
        assert!(low < value && value < high, "{row}");
    }
    let (_, _, page) = raw(&server, "/z/450202/results").await;
    assert!(String::from_utf8(page).unwrap().contains("95% 置信区间"));

    // Not public: the portal answers 404 to the public, pages and files alike.
    server.store.set_disclosed("450202", false).await.unwrap();
    for path in [
        "/z/450202/open",
        "/z/450202/open/catalog.jsonld",
        "/z/450202/open/values.csv",
        "/z/450202/results",
    ] {
        let (status, ..) = raw(&server, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[test]
fn the_dcat_catalogue_names_every_dataset_with_its_distributions() {
    let catalogue = ecociv_report::portal::Catalogue {
        zone_code: "450202".into(),
        zone_name: "柳州市城中区".into(),
        publisher: "柳州市城中区生态环境局".into(),
        page: "/z/450202/open".into(),
        files_base: "/z/450202/open".into(),
        licence_url: ecociv_report::portal::DEFAULT_LICENCE_URL.into(),
        licence_name: ecociv_report::portal::DEFAULT_LICENCE.name_zh.into(),
        licence_confirmed: false,
        datasets: vec![ecociv_report::portal::Dataset {
            id: "values".into(),
            title: "历年指标数值".into(),
            title_en: "Indicator values by year".into(),
            description: "d".into(),
            modified: Some("2026-12-04".into()),
            years: Some((2017, 2024)),
            keywords: vec!["k".into()],
        }],
    };
    let json = ecociv_report::portal::dcat(&catalogue);
    assert_eq!(json["@type"], "dcat:Catalog");
    assert_eq!(json["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    let dataset = &json["dcat:dataset"][0];
    assert_eq!(dataset["@type"], "dcat:Dataset");
    assert_eq!(dataset["dct:modified"]["@value"], "2026-12-04");
    assert_eq!(dataset["dct:temporal"]["dcat:startDate"]["@value"], "2017-01-01");
    let distributions = dataset["dcat:distribution"].as_array().unwrap();
    assert_eq!(distributions.len(), 2);
    assert_eq!(distributions[0]["@type"], "dcat:Distribution");
    assert_eq!(distributions[0]["dcat:downloadURL"]["@id"], "/z/450202/open/values.csv");
    assert_eq!(
        distributions[1]["dcat:mediaType"]["@id"],
        "https://www.iana.org/assignments/media-types/application/json"
    );
    assert_eq!(json["dct:modified"]["@value"], "2026-12-04");
}

#[tokio::test]
async fn a_phone_walks_the_portal_without_an_account() {
    use fantoccini::Locator;

    use crate::browser::{browser_available, connect, screenshot, start_server, text};
    if !browser_available() {
        return;
    }
    let (base, store, _passwords) = start_server("portal").await;
    // The demo's SYNTHETIC disclosure register, as `serve --demo` imports it.
    let record = store.zone("450202").await.unwrap().unwrap();
    let framework = store.framework(&record.framework_id).await.unwrap();
    let kinds = ecociv_server::service::ledger::kinds(&[], &framework).unwrap();
    let kind = ecociv_server::service::ledger::find_kind(&kinds, "disclosure_register").unwrap();
    let (file, bytes) = ecociv_server::demo::DEMO_LEDGERS
        .iter()
        .find(|(file, _)| file.starts_with("disclosure_register."))
        .unwrap();
    ecociv_server::service::ledger::import(
        &store,
        "450202",
        kind,
        file,
        ecociv_server::service::ledger::Upload::from_bytes(file, bytes.to_vec()),
        "system",
        false,
    )
    .await
    .unwrap()
    .unwrap();
    let (client, _driver) = connect().await;
    client.set_window_size(390, 844).await.expect("phone");
    client.goto(&format!("{base}/z/450202")).await.expect("dashboard");
    // From the public navigation to the catalogue.
    client
        .find(Locator::LinkText("开放数据"))
        .await
        .expect("the navigation names the open data")
        .click()
        .await
        .expect("click");
    let heading = text(&client, "h1").await;
    assert_eq!(heading.trim(), "开放数据目录");
    let datasets = client
        .find_all(Locator::Css("section.dataset"))
        .await
        .expect("datasets");
    assert_eq!(datasets.len(), ecociv_server::web::portal::DATASETS.len());
    let downloads = client
        .find_all(Locator::Css("section.dataset a[download]"))
        .await
        .expect("links");
    assert_eq!(downloads.len(), 2 * datasets.len(), "a CSV and a JSON per dataset");
    let offenders = crate::layout::offenders(&client).await;
    assert!(
        offenders.is_empty(),
        "the catalogue at 390 px:\n{}",
        offenders.join("\n")
    );
    screenshot(&client, "phone-open-data").await;
    // To the survey results: each with its interval.
    client
        .find(Locator::LinkText("调查结果"))
        .await
        .expect("results link")
        .click()
        .await
        .expect("click");
    let results = client.find_all(Locator::Css("section.result")).await.expect("results");
    assert_eq!(results.len(), 2, "rows 34 and 35 of the demo year");
    for result in results {
        let text = result.text().await.expect("text");
        assert!(text.contains("95% 置信区间"), "{text}");
    }
    let offenders = crate::layout::offenders(&client).await;
    assert!(offenders.is_empty(), "the results at 390 px:\n{}", offenders.join("\n"));
    screenshot(&client, "phone-survey-results").await;
    // To the disclosure list: 2025's items as cards, each with its standing; nothing sticks out.
    client
        .find(Locator::LinkText("信息公开"))
        .await
        .expect("disclosure link")
        .click()
        .await
        .expect("click");
    client
        .find(Locator::LinkText("2025"))
        .await
        .expect("the year 2025")
        .click()
        .await
        .expect("click");
    let items = client
        .find_all(Locator::Css("table.cards tbody tr"))
        .await
        .expect("items");
    assert_eq!(items.len(), 10, "the ten items due in 2025");
    let late = client.find(Locator::Id("d-G2025-03")).await.expect("G2025-03");
    let text = late.text().await.expect("text");
    assert!(text.contains("逾期公开") && text.contains("逾期 12 天"), "{text}");
    let offenders = crate::layout::offenders(&client).await;
    assert!(
        offenders.is_empty(),
        "the disclosure list at 390 px:\n{}",
        offenders.join("\n")
    );
    screenshot(&client, "phone-disclosure").await;
    client.close().await.expect("close");
}

#[tokio::test]
async fn the_survey_exports_its_responses_and_estimates_to_excel() {
    use calamine::Reader;
    let server = server("survey-export").await;
    let survey = server.store.surveys("450202").await.unwrap()[0].survey_id.clone();
    let path = format!("/z/450202/surveys/{survey}/export.xlsx");
    let (status, media, _) = raw(&server, &path).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::SEE_OTHER, "login"),
        "members only"
    );
    let mut viewer = Client::login(&server, "viewer").await;
    let page = viewer.get(&server, &format!("/z/450202/surveys/{survey}")).await;
    assert!(
        page.body
            .as_str()
            .unwrap_or_default()
            .contains(&format!("href=\"{path}\"")),
        "the bureau's page links the export"
    );
    let cookie: Vec<String> = viewer.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let request = axum::http::Request::builder()
        .uri(&path)
        .header(axum::http::header::COOKIE, cookie.join("; "))
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(server.app.clone(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let stored = server.store.survey_responses("450202", &survey).await.unwrap();
    let answers = book.worksheet_range("回答").expect("responses sheet");
    assert_eq!(
        answers.height(),
        stored.len() + 1,
        "a line per response under the header"
    );
    let estimates = book.worksheet_range("估计").expect("estimates sheet");
    for row in ["34", "35"] {
        let value = server
            .store
            .current("450202", row, 2024)
            .await
            .unwrap()
            .unwrap()
            .observation
            .value;
        let ecociv_core::Value::Number(value) = value else {
            panic!("a number")
        };
        let line = estimates
            .rows()
            .find(|r| format!("{}", r[0]) == row)
            .unwrap_or_else(|| panic!("row {row} in the estimates"));
        let share: f64 = line[2].to_string().parse().unwrap();
        assert!((share - value).abs() < 0.006, "row {row}: {share} vs the saved {value}");
        let (low, high): (f64, f64) = (
            line[3].to_string().parse().unwrap(),
            line[4].to_string().parse().unwrap(),
        );
        assert!(low < share && share < high);
    }
}

/// The catalogue page and its DCAT JSON-LD, without a cookie.
async fn catalogue(server: &TestServer) -> (String, serde_json::Value) {
    let (_, _, page) = raw(server, "/z/450202/open").await;
    let (_, _, jsonld) = raw(server, "/z/450202/open/catalog.jsonld").await;
    (
        String::from_utf8(page).unwrap(),
        serde_json::from_slice(&jsonld).unwrap(),
    )
}

#[tokio::test]
async fn the_open_data_licence_is_the_default_to_be_confirmed_until_an_administrator_sets_it() {
    let server = server("portal-licence").await;
    // The default: CC BY 4.0, labelled on the page and in the DCAT catalogue as to be confirmed.
    let (html, dcat) = catalogue(&server).await;
    assert!(html.contains("https://creativecommons.org/licenses/by/4.0/"), "{html}");
    assert!(html.contains("知识共享署名 4.0 国际许可协议") && html.contains("待区生态环境局确认"));
    assert_eq!(
        dcat["dct:license"]["@id"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert!(
        dcat["rdfs:comment"]["@value"]
            .as_str()
            .unwrap()
            .contains("待区生态环境局确认")
    );

    // A reviewer may not set it; an unknown licence is refused naming the choices; nothing changes.
    let mut reviewer = Client::login(&server, "reviewer").await;
    let refused = reviewer
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/licence",
            Some(json!({"licence": "CC0-1.0"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut admin = Client::login(&server, "admin").await;
    let bad = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/licence",
            Some(json!({"licence": "GPL"})),
        )
        .await;
    assert_eq!(bad.status.as_u16() / 100, 4, "{}", bad.body);
    assert!(bad.body.to_string().contains("CC-BY-4.0"), "{}", bad.body);
    assert_eq!(server.store.open_licence("450202").await.unwrap(), None);

    // The administrator chooses CC0: every dataset and distribution names it, the label is gone, audited.
    let set = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/licence",
            Some(json!({"licence": "CC0-1.0"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["changed"], true);
    let (html, dcat) = catalogue(&server).await;
    let cc0 = "https://creativecommons.org/publicdomain/zero/1.0/";
    assert!(html.contains(cc0) && !html.contains("待区生态环境局确认"), "{html}");
    assert!(dcat.get("rdfs:comment").is_none());
    for dataset in dcat["dcat:dataset"].as_array().unwrap() {
        assert_eq!(dataset["dct:license"]["@id"], cc0);
        for distribution in dataset["dcat:distribution"].as_array().unwrap() {
            assert_eq!(distribution["dct:license"]["@id"], cc0);
        }
    }
    let (_, _, file) = raw(&server, "/z/450202/open/values.json").await;
    let file: serde_json::Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(file["dataset"]["license"], cc0);
    let events = zone_events(&mut admin, &server).await;
    assert_eq!(events[0]["action"], "zone.licence");
    assert_eq!(events[0]["before"], json!({"licence": null}));
    assert_eq!(events[0]["after"], json!({"licence": "CC0-1.0"}));

    // The administration page: the choice shown checked; its form sets another, recorded in the history.
    let shown = admin.get(&server, "/admin/zone?zone=450202").await;
    assert!(page(&shown).contains("value=\"CC0-1.0\" checked"), "{}", page(&shown));
    let token = admin.csrf.clone().unwrap_or_default();
    let posted = post_form(
        &mut admin,
        &server,
        "/admin/zone?zone=450202",
        &[("csrf_token", &token), ("licence", "CC-BY-SA-4.0")],
    )
    .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        server.store.open_licence("450202").await.unwrap().as_deref(),
        Some("CC-BY-SA-4.0")
    );
    let shown = admin.get(&server, "/admin/zone?zone=450202&done=licence").await;
    assert!(page(&shown).contains("许可协议已更新"));
    assert!(page(&shown).contains("<td>开放数据许可协议</td>"), "{}", page(&shown));
}
