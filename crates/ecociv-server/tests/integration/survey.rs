//! The public side's surveys through the whole router (issue 14): the demo's rows 34/35 come from its
//! survey with provenance; the public form (no account) stores a response, once per device; a code-only
//! survey takes one response per code; a paper form keyed by staff is refused a second time; a platform's
//! export is refused whole with line and column (bad cells, and numbers already imported); saving the
//! rows is refused with an empty stratum's name. And a real browser on a 390 px phone answers the public
//! form while the bureau's page counts it.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use ecociv_core::{Source, Value};
use ecociv_store::survey::{NewSurvey, SurveyAccess};
use fantoccini::Locator;

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

fn multipart(token: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----ecocivSurveyBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn demo_survey(server: &TestServer) -> String {
    server.store.surveys("450202").await.unwrap()[0].survey_id.clone()
}

fn page(response: &Response) -> &str {
    response.body.as_str().unwrap_or_default()
}

/// An anonymous visitor who opened the public form: its CSRF token comes from the page's cookie.
async fn visitor(server: &TestServer, path: &str) -> (Client, String) {
    let mut client = Client::anonymous();
    let response = client.get(server, path).await;
    assert_eq!(response.status, StatusCode::OK, "{}", page(&response));
    let token = client
        .cookies
        .get("ecociv_csrf")
        .cloned()
        .expect("the form sets the pre-login token");
    assert!(page(&response).contains(&token), "the form carries the token");
    (client, token)
}

const ANSWERS: &[(&str, &str)] = &[
    ("q_aware", "1"),
    ("q_sat_overall", "2"),
    ("q_participate", "sort"),
    ("q_participate", "travel"),
];

#[tokio::test]
async fn the_demo_years_rows_34_and_35_come_from_the_survey_with_provenance() {
    let server = server("survey-demo").await;
    let id = demo_survey(&server).await;
    let stored = server.store.survey_responses("450202", &id).await.unwrap();
    assert!(stored.len() > 350, "{}", stored.len());
    for row in ["34", "35"] {
        let current = server
            .store
            .current("450202", row, 2024)
            .await
            .unwrap()
            .expect("a value");
        let Value::Number(v) = current.observation.value else {
            panic!("a number")
        };
        assert!((80.0..100.0).contains(&v), "row {row}: {v}");
        let Source::Survey {
            survey_id,
            method,
            edition,
            valid,
            low,
            high,
            provenance,
            synthetic,
            ..
        } = &current.observation.source
        else {
            panic!("row {row}: {:?}", current.observation.source)
        };
        assert_eq!(survey_id, &id);
        assert!(*synthetic, "the demo's survey is SYNTHETIC");
        assert!(method.contains("问卷调查分层加权估计"), "{method}");
        assert!(provenance.contains("95% 置信区间"), "{provenance}");
        assert!(edition.contains(ecociv_survey::METHOD_EDITION), "{edition}");
        assert!(*low < v && v < *high && *valid > 300, "{low} {v} {high} {valid}");
        let described = current.observation.source.describe();
        assert!(
            described.contains("由问卷调查计算") && !described.contains("监测"),
            "{described}"
        );
    }
    // The JSON API, Table 2-1's open data and the indicator page say survey, never monitoring.
    let mut reviewer = Client::login(&server, "reviewer").await;
    let values = reviewer.get(&server, "/api/v1/zones/450202/values?year=2024").await;
    for row in ["34", "35"] {
        let value = values.body["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["row"] == row)
            .unwrap_or_else(|| panic!("row {row}: {}", values.body));
        assert_eq!(value["source"]["kind"], "survey", "{value}");
    }
    let assessment = reviewer.get(&server, "/api/v1/zones/450202/assessment?year=2024").await;
    let row34 = assessment.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "34")
        .unwrap();
    assert_eq!(row34["source"]["kind"], "survey", "{row34}");
    assert_eq!(row34["source"]["survey"]["id"], id.as_str());
    assert_eq!(row34["source"]["survey"]["interval"]["level"], 0.95);
    assert!(row34["source"]["survey"]["valid"].as_u64().unwrap() > 300);
    let indicator = reviewer.get(&server, "/z/450202/indicators/34?year=2024").await;
    assert_eq!(indicator.status, StatusCode::OK);
    assert!(page(&indicator).contains("由问卷调查计算"), "{}", page(&indicator));
    assert!(!page(&indicator).contains("由监测数据计算"));
    // The bureau's page shows the same estimate.
    let response = reviewer.get(&server, &format!("/z/450202/surveys/{id}")).await;
    assert_eq!(response.status, StatusCode::OK);
    let v34 = server
        .store
        .current("450202", "34", 2024)
        .await
        .unwrap()
        .unwrap()
        .observation
        .value;
    let Value::Number(v34) = v34 else { unreachable!() };
    assert!(page(&response).contains(&format!("{v34:.1}%")), "{v34}");
}

#[tokio::test]
async fn the_public_form_stores_a_response_once_per_device() {
    let server = server("survey-public").await;
    let id = demo_survey(&server).await;
    let path = format!("/s/450202/{id}");
    let before = server.store.survey_response_count("450202", &id).await.unwrap();
    let (mut visitor, token) = visitor(&server, &path).await;
    // Without the token: refused, nothing stored.
    let mut fields = vec![("stratum", "hedong")];
    fields.extend_from_slice(ANSWERS);
    let refused = post_form(&mut visitor, &server, &path, &fields).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A required question left out: the form again, the message next to it, nothing stored.
    let missing: Vec<(&str, &str)> = vec![("csrf_token", token.as_str()), ("stratum", "hedong"), ("q_aware", "1")];
    let response = post_form(&mut visitor, &server, &path, &missing).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page(&response).contains("请回答本题"));
    assert_eq!(server.store.survey_response_count("450202", &id).await.unwrap(), before);
    // Good: stored; a dissatisfaction reason sent by a satisfied respondent is dropped, not refused.
    let token = visitor.cookies["ecociv_csrf"].clone();
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("stratum", "hedong"),
        ("q_dissat_reason", "air"),
    ];
    fields.extend_from_slice(ANSWERS);
    let response = post_form(&mut visitor, &server, &path, &fields).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", page(&response));
    assert_eq!(response.location.as_deref(), Some(format!("{path}/thanks").as_str()));
    let stored = server.store.survey_responses("450202", &id).await.unwrap();
    assert_eq!(stored.len() as i64, before + 1);
    let last = stored.last().unwrap();
    assert_eq!(last.stratum, "hedong");
    assert!(!last.answers.contains_key("dissat_reason"));
    // The same device again: refused.
    let again = post_form(&mut visitor, &server, &path, &fields).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(page(&again).contains("本设备已经提交过"));
    assert_eq!(
        server.store.survey_response_count("450202", &id).await.unwrap(),
        before + 1
    );
    let thanks = visitor.get(&server, &format!("{path}/thanks")).await;
    assert!(page(&thanks).contains("问卷已提交"));
}

#[tokio::test]
async fn the_public_form_is_rate_limited_per_address() {
    let server = crate::support::server_with(
        "survey-limit",
        ecociv_server::Config {
            max_survey_submissions_per_address: 2,
            ..ecociv_server::Config::default()
        },
    )
    .await;
    let id = demo_survey(&server).await;
    let path = format!("/s/450202/{id}");
    let address: std::net::SocketAddr = "10.1.2.3:4000".parse().unwrap();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        // A new device each time (no cookie kept), the same address.
        let (mut client, token) = visitor(&server, &path).await;
        client.address = Some(address);
        let mut fields = vec![("csrf_token", token.as_str()), ("stratum", "jinglan")];
        fields.extend_from_slice(ANSWERS);
        statuses.push(post_form(&mut client, &server, &path, &fields).await.status);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::SEE_OTHER,
            StatusCode::SEE_OTHER,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn one_code_one_response_on_the_public_form() {
    let server = server("survey-code").await;
    let id = server
        .store
        .create_survey(
            "450202",
            &NewSurvey {
                year: 2025,
                title: "凭码调查".into(),
                questionnaire_toml: ecociv_survey::questionnaire::DEFAULT_TOML.into(),
                plan_toml: ecociv_server::service::survey::DEMO_PLAN.into(),
                access: SurveyAccess::Code,
                synthetic: true,
                created_by: "test".into(),
            },
        )
        .await
        .unwrap();
    // The reviewer issues two codes for 沿江街道 on the bureau's page.
    let mut reviewer = Client::login(&server, "reviewer").await;
    let token = reviewer.csrf.take().unwrap();
    let issued = post_form(
        &mut reviewer,
        &server,
        &format!("/z/450202/surveys/{id}/codes"),
        &[("csrf_token", &token), ("stratum", "yanjiang"), ("count", "2")],
    )
    .await;
    assert_eq!(issued.status, StatusCode::OK);
    let codes = {
        let html = page(&issued);
        html.split("<code>")
            .skip(1)
            .map(|s| s.split('<').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes.len(), 2, "{codes:?}");
    let path = format!("/s/450202/{id}");
    let answer = |code: String| {
        let path = path.clone();
        let server = &server;
        async move {
            let (mut client, token) = visitor(server, &path).await;
            let mut fields = vec![("csrf_token", token.as_str()), ("code", code.as_str())];
            fields.extend_from_slice(ANSWERS);
            post_form(&mut client, server, &path, &fields).await
        }
    };
    assert_eq!(
        answer("NOSUCHCODE".into()).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(answer(codes[0].to_lowercase()).await.status, StatusCode::SEE_OTHER);
    let used = answer(codes[0].clone()).await;
    assert_eq!(used.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page(&used).contains("该调查码已经使用过"));
    let stored = server.store.survey_responses("450202", &id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].stratum, "yanjiang", "the code's stratum");
    assert_eq!(server.store.survey_code_counts("450202", &id).await.unwrap(), (2, 1));
}

#[tokio::test]
async fn paper_forms_and_imports_are_refused_whole_with_line_and_field() {
    let server = server("survey-import").await;
    let id = demo_survey(&server).await;
    let base = format!("/z/450202/surveys/{id}");
    let mut reviewer = Client::login(&server, "reviewer").await;
    let token = reviewer.csrf.take().unwrap();
    let before = server.store.survey_response_count("450202", &id).await.unwrap();
    // A paper form, then the same number again.
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("paper_number", "A-0012"),
        ("stratum", "zhongnan"),
    ];
    fields.extend_from_slice(ANSWERS);
    let saved = post_form(&mut reviewer, &server, &format!("{base}/paper"), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", page(&saved));
    let again = post_form(&mut reviewer, &server, &format!("{base}/paper"), &fields).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page(&again).contains("该编号的纸质问卷已经录入过"));
    // A viewer may not key forms.
    let mut viewer = Client::login(&server, "viewer").await;
    let viewer_token = viewer.csrf.take().unwrap();
    let mut viewer_fields = fields.clone();
    viewer_fields[0] = ("csrf_token", viewer_token.as_str());
    assert_eq!(
        post_form(&mut viewer, &server, &format!("{base}/paper"), &viewer_fields)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server.store.survey_response_count("450202", &id).await.unwrap(),
        before + 1
    );

    let export = "序号,所在街道社区村,您是否知道本区正在创建国家生态文明建设示范区？,总体来看，您对本区生态文明建设的成效是否满意？,您不满意的主要方面是？,过去一年，您参加过下列哪些生态文明建设活动？\n\
                  9001,城中街道,知道,满意,,垃圾分类\n\
                  9002,公园街道,不知道,很满意,,垃圾分类\n\
                  9003,火星街道,知道,一般,,都没有参加\n";
    let send = |body: &str| {
        let (content_type, bytes) = multipart(&token, body.as_bytes());
        let mut reviewer = reviewer.clone();
        let server = &server;
        let base = base.clone();
        async move {
            reviewer
                .send(
                    server,
                    Method::POST,
                    &format!("{base}/import"),
                    Some(Body::from(bytes)),
                    &content_type,
                )
                .await
        }
    };
    // Bad cells: refused whole, each with its line and column.
    let bad = send(export).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = page(&bad);
    assert!(
        html.contains("第 3 行，字段 总体来看，您对本区生态文明建设的成效是否满意？：“很满意”不是本题的选项"),
        "{html}"
    );
    assert!(
        html.contains("第 4 行，字段 所在街道社区村：“火星街道”不是抽样方案中的层"),
        "{html}"
    );
    assert_eq!(
        server.store.survey_response_count("450202", &id).await.unwrap(),
        before + 1
    );
    // Good: stored; the same file again: refused whole, lines named.
    let good = export.replace("很满意", "满意").replace("火星街道", "河东街道");
    let imported = send(&good).await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", page(&imported));
    assert_eq!(
        server.store.survey_response_count("450202", &id).await.unwrap(),
        before + 4
    );
    let twice = send(&good.replace("9003,", "9004,")).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = page(&twice);
    assert!(
        html.contains("第 2 行，字段 答卷编号：答卷编号“9001”已经导入过") && html.contains("第 3 行，字段 答卷编号："),
        "{html}"
    );
    assert_eq!(
        server.store.survey_response_count("450202", &id).await.unwrap(),
        before + 4
    );
}

#[tokio::test]
async fn saving_the_rows_is_refused_with_an_empty_strata_name() {
    let server = server("survey-empty").await;
    let plan = format!(
        "{}\n[[strata]]\nid = \"new\"\nname = \"新设社区\"\nkind = \"community\"\npopulation = 900\n",
        ecociv_server::service::survey::DEMO_PLAN
    );
    let id = server
        .store
        .create_survey(
            "450202",
            &NewSurvey {
                year: 2025,
                title: "空层调查".into(),
                questionnaire_toml: ecociv_survey::questionnaire::DEFAULT_TOML.into(),
                plan_toml: plan,
                access: SurveyAccess::Open,
                synthetic: true,
                created_by: "test".into(),
            },
        )
        .await
        .unwrap();
    let mut reviewer = Client::login(&server, "reviewer").await;
    let token = reviewer.csrf.take().unwrap();
    let response = post_form(
        &mut reviewer,
        &server,
        &format!("/z/450202/surveys/{id}/compute"),
        &[("csrf_token", &token)],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page(&response).contains("新设社区（new）"), "{}", page(&response));
    assert!(
        server.store.current("450202", "34", 2025).await.unwrap().is_none(),
        "nothing saved"
    );
}

/// The public survey answered in Chromium at 390 px (nothing sticks out of the viewport), and the bureau's
/// page counting it. Screenshots `phone-survey`, `phone-survey-thanks`, `survey-bureau`.
#[tokio::test]
async fn a_phone_answers_the_public_survey_and_the_bureau_sees_the_count_change() {
    use crate::browser::{browser_available, connect, login, logout, screenshot, start_server, text};
    if !browser_available() {
        return;
    }
    let (base, store, passwords) = start_server("survey").await;
    let id = store.surveys("450202").await.unwrap()[0].survey_id.clone();
    let (client, _driver) = connect().await;
    client.set_window_size(390, 844).await.expect("phone");
    login(&client, &base, "reviewer", &passwords["reviewer"]).await;
    let bureau = format!("{base}/z/450202/surveys/{id}");
    client.goto(&bureau).await.expect("bureau page");
    let before: u64 = text(&client, "#survey-count").await.trim().parse().expect("a count");
    logout(&client).await;

    client
        .goto(&format!("{base}/s/450202/{id}"))
        .await
        .expect("public form");
    let offenders = crate::layout::offenders(&client).await;
    assert!(offenders.is_empty(), "the form at 390 px:\n{}", offenders.join("\n"));
    screenshot(&client, "phone-survey").await;
    client
        .find(Locator::Css("#stratum option[value='tanzhong']"))
        .await
        .expect("stratum option")
        .click()
        .await
        .expect("choose");
    for id in [
        "q-aware-2",
        "q-sat_overall-1",
        "q-participate-sort",
        "q-participate-volunteer",
    ] {
        let input = client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        input.click().await.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    client
        .find(Locator::Css("form.survey-form button[type='submit']"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Id("survey-thanks"))
        .await
        .expect("thanks");
    screenshot(&client, "phone-survey-thanks").await;

    login(&client, &base, "reviewer", &passwords["reviewer"]).await;
    client.goto(&bureau).await.expect("bureau page");
    let after: u64 = text(&client, "#survey-count").await.trim().parse().expect("a count");
    assert_eq!(after, before + 1);
    let offenders = crate::layout::offenders(&client).await;
    assert!(
        offenders.is_empty(),
        "the bureau's page at 390 px:\n{}",
        offenders.join("\n")
    );
    client.set_window_size(1366, 768).await.expect("window");
    screenshot(&client, "survey-bureau").await;
    let stored = store.survey_responses("450202", &id).await.unwrap();
    let last = stored.last().unwrap();
    assert_eq!(
        (last.stratum.as_str(), last.channel),
        ("tanzhong", ecociv_store::survey::Channel::Web)
    );
    client.close().await.expect("close");
}

#[tokio::test]
async fn the_bureau_starts_a_survey_with_its_plan_as_a_table() {
    let server = server("survey-create").await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let token = reviewer.csrf.take().unwrap();
    let list = reviewer.get(&server, "/z/450202/surveys").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(page(&list).contains("2024年度公众生态文明建设满意度和参与度调查（演示）"));
    let bad = post_form(
        &mut reviewer,
        &server,
        "/z/450202/surveys",
        &[
            ("csrf_token", &token),
            ("title", "2025年度调查"),
            ("year", "2025"),
            ("basis", "常住成年人口"),
            ("plan", "代码,名称,类型,总体规模,配额\ncz,城中街道,街道,两万,60\n"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page(&bad).contains("第 2 行，字段 总体规模"), "{}", page(&bad));
    assert_eq!(
        server.store.surveys("450202").await.unwrap().len(),
        1,
        "nothing created"
    );
    let good = post_form(
        &mut reviewer,
        &server,
        "/z/450202/surveys",
        &[
            ("csrf_token", &token),
            ("title", "2025年度调查"),
            ("year", "2025"),
            ("basis", "常住成年人口"),
            ("code_only", "1"),
            (
                "plan",
                "代码,名称,类型,总体规模,配额\ncz,城中街道,街道,21000,60\nym,窑埠村,村,620,\n",
            ),
        ],
    )
    .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", page(&good));
    let surveys = server.store.surveys("450202").await.unwrap();
    let created = surveys.iter().find(|s| s.title == "2025年度调查").expect("created");
    assert_eq!((created.year, created.access), (2025, SurveyAccess::Code));
    assert_eq!(
        good.location.as_deref(),
        Some(format!("/z/450202/surveys/{}", created.survey_id).as_str())
    );
    let plan = ecociv_survey::SamplingPlan::parse(&created.plan_toml).unwrap();
    assert_eq!(plan.population(), 21_620);
}
