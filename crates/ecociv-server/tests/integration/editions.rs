//! Edition adoption (issue 15): a zone created under one framework edition adopts a newer one from a year
//! on, through the API and the administration page; the years before stay judged — byte for byte — under
//! the edition then in force, the later years under the new one; the assessment, Table 2-1, the roll-up
//! and the record say which edition a year was judged under; refusals change nothing. On every engine
//! configured (SQLite always, PostgreSQL with `TEST_DATABASE_URL`).

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Client, Response, TestServer, servers};

const SCORED: &str = "example-scored-2021";

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

async fn assessment(client: &mut Client, server: &TestServer, year: i32) -> Value {
    let response = client
        .json(
            server,
            Method::GET,
            &format!("/api/v1/zones/450202/assessment?year={year}"),
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{year}: {:?}", response.body);
    response.body
}

#[tokio::test]
async fn a_zone_adopts_a_newer_edition_and_keeps_its_earlier_years_under_the_old_one() {
    for server in servers("editions").await {
        let engine = server.engine;
        let mut admin = Client::login(&server, "admin").await;
        let before_2021 = assessment(&mut admin, &server, 2021).await;
        let before_2022 = assessment(&mut admin, &server, 2022).await;
        assert_eq!(before_2021["framework"]["id"], "national-2021");
        assert_eq!(before_2022["framework"]["id"], "national-2021");
        assert!(
            before_2022.get("score").is_none(),
            "{engine}: national-2021 is not scored"
        );
        let version = server.store.data_version("450202").await.unwrap();

        // Refusals change nothing: a reviewer, the edition already in force, an unknown one, a plan row
        // check passes but a missing reason, a year out of range.
        let mut reviewer = Client::login(&server, "reviewer").await;
        let forbidden = reviewer
            .json(
                &server,
                Method::POST,
                "/api/v1/zones/450202/editions",
                Some(json!({"framework": SCORED, "from_year": 2022, "reason": "x"})),
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "{engine}");
        for (body, field) in [
            (
                json!({"framework": "national-2021", "from_year": 2022, "reason": "文件"}),
                "from_year",
            ),
            (
                json!({"framework": "national-2099", "from_year": 2022, "reason": "文件"}),
                "framework",
            ),
            (
                json!({"framework": SCORED, "from_year": 2022, "reason": "  "}),
                "reason",
            ),
            (
                json!({"framework": SCORED, "from_year": 1800, "reason": "文件"}),
                "from_year",
            ),
        ] {
            let refused = admin
                .json(
                    &server,
                    Method::POST,
                    "/api/v1/zones/450202/editions",
                    Some(body.clone()),
                )
                .await;
            assert_eq!(
                refused.status,
                StatusCode::BAD_REQUEST,
                "{engine} {body}: {:?}",
                refused.body
            );
            assert_eq!(refused.body["error"]["details"]["field"], field, "{engine} {body}");
        }
        assert_eq!(server.store.data_version("450202").await.unwrap(), version, "{engine}");
        assert!(server.store.edition_adoptions("450202").await.unwrap().is_empty());

        // Adopted from 2022 through the API.
        let adopted = admin
            .json(
                &server,
                Method::POST,
                "/api/v1/zones/450202/editions",
                Some(json!({"framework": SCORED, "from_year": 2022, "reason": "桂环发〔2024〕1号（测试）"})),
            )
            .await;
        assert_eq!(adopted.status, StatusCode::OK, "{engine}: {:?}", adopted.body);
        assert_eq!(adopted.body["current"], SCORED);
        let periods = adopted.body["periods"].as_array().unwrap();
        assert_eq!(periods.len(), 2, "{periods:?}");
        assert_eq!(
            (
                &periods[0]["framework"],
                &periods[0]["from_year"],
                &periods[0]["to_year"]
            ),
            (&json!("national-2021"), &Value::Null, &json!(2021))
        );
        assert_eq!(
            (
                &periods[1]["framework"],
                &periods[1]["from_year"],
                &periods[1]["to_year"]
            ),
            (&json!(SCORED), &json!(2022), &Value::Null)
        );
        assert_eq!(adopted.body["adoptions"][0]["reason"], "桂环发〔2024〕1号（测试）");
        assert_eq!(adopted.body["adoptions"][0]["previous_framework"], "national-2021");

        // 2021 is judged as it was, byte for byte; 2022 under the scored edition, with its score.
        assert_eq!(assessment(&mut admin, &server, 2021).await, before_2021, "{engine}");
        let after_2022 = assessment(&mut admin, &server, 2022).await;
        assert_eq!(after_2022["framework"]["id"], SCORED, "{engine}");
        assert!(after_2022["score"]["total"].is_number(), "{engine}: {after_2022}");
        // The member view of the history, and a second adoption may not reach back.
        let listed = reviewer
            .json(&server, Method::GET, "/api/v1/zones/450202/editions", None)
            .await;
        assert_eq!(listed.status, StatusCode::OK);
        assert_eq!(listed.body["periods"], adopted.body["periods"]);
        let back = admin
            .json(
                &server,
                Method::POST,
                "/api/v1/zones/450202/editions",
                Some(json!({"framework": "national-2021", "from_year": 2022, "reason": "文件"})),
            )
            .await;
        assert_eq!(back.status, StatusCode::BAD_REQUEST, "{engine}: {:?}", back.body);
        assert!(
            back.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("须晚于现行版本的启用年份 2022 年")
        );

        // Table 2-1 says which edition each year is judged under.
        let table_2021 = admin.get(&server, "/z/450202/table?year=2021").await;
        assert!(
            page(&table_2021).contains("本年度按《国家生态文明建设示范区建设指标（2021年修订版）》（版本：2021）评估"),
            "{engine}"
        );
        let table_2022 = admin.get(&server, "/z/450202/table?year=2022").await;
        assert!(
            page(&table_2022)
                .contains("本年度按《示例评分版本（非官方，基于2021年修订版指标）》（版本：2021-示例评分）评估"),
            "{engine}"
        );

        // The roll-up of the city compares each year under the edition it was judged by: the zone is never
        // set apart as of another edition (2022 has no values of its own: not reported).
        for (year, edition, compared) in [(2021, "national-2021", 1), (2022, SCORED, 0)] {
            let rollup = admin
                .json(
                    &server,
                    Method::GET,
                    &format!("/api/v1/rollup/450200?year={year}"),
                    None,
                )
                .await;
            assert_eq!(rollup.status, StatusCode::OK, "{engine}: {:?}", rollup.body);
            assert_eq!(rollup.body["rollup"]["framework_id"], edition, "{engine} {year}");
            assert_eq!(
                rollup.body["rollup"]["compared"], compared,
                "{engine} {year}: {}",
                rollup.body
            );
            assert_eq!(rollup.body["rollup"]["other_edition"], json!([]), "{engine} {year}");
        }

        // The administration page: the periods, and a refused adoption shown in Chinese, nothing changed.
        let shown = admin.get(&server, "/admin/zone?zone=450202").await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(
            page(&shown).contains("2021 年及以前") && page(&shown).contains("2022 年起"),
            "{engine}"
        );
        let token = admin.csrf.clone().unwrap_or_default();
        let refused = post_form(
            &mut admin,
            &server,
            "/admin/zone?zone=450202",
            &[
                ("csrf_token", &token),
                ("adopt", "1"),
                ("framework", "national-2021"),
                ("from_year", "2022"),
                ("reason", "文件"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
        assert!(
            page(&refused).contains("启用年份 2022 年须晚于现行版本的启用年份 2022 年"),
            "{}",
            page(&refused)
        );
        assert!(
            !page(&refused).contains("the year adopted from"),
            "no English on the Chinese page"
        );
        assert_eq!(server.store.edition_adoptions("450202").await.unwrap().len(), 1);
        // Adopted again through the page, from 2026: three periods, audited.
        let posted = post_form(
            &mut admin,
            &server,
            "/admin/zone?zone=450202",
            &[
                ("csrf_token", &token),
                ("adopt", "1"),
                ("framework", "national-2021"),
                ("from_year", "2026"),
                ("reason", "回到国家版本（测试）"),
            ],
        )
        .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{engine}: {}", page(&posted));
        let record = server.store.zone("450202").await.unwrap().unwrap();
        assert_eq!(record.editions.for_year(2021), "national-2021");
        assert_eq!(record.editions.for_year(2025), SCORED);
        assert_eq!(record.editions.for_year(2026), "national-2021");
        assert_eq!(assessment(&mut admin, &server, 2022).await, after_2022, "{engine}");
        let shown = admin.get(&server, "/admin/zone?zone=450202&done=edition").await;
        assert!(page(&shown).contains("已采用新版指标体系"), "{engine}");
        assert_eq!(
            page(&shown).matches("<td>采用新版指标体系</td>").count(),
            2,
            "{}",
            page(&shown)
        );
        // The change history says why (the adoption's reason), and the tab is named for what it holds.
        assert!(
            page(&shown).contains("依据：回到国家版本（测试）")
                && page(&shown).contains("依据：桂环发〔2024〕1号（测试）"),
            "{}",
            page(&shown)
        );
        assert!(page(&shown).contains(">区域设置</a>") && !page(&shown).contains(">对外公开</a>"));

        // "Newer" is judged by edition order: a 2024 edition may be adopted, and then the 2021 one no more.
        let text = ecociv_data::bundled::FRAMEWORKS[0]
            .1
            .replacen("id = \"national-2021\"", "id = \"national-2024-test\"", 1)
            .replacen("edition = \"2021\"", "edition = \"2024\"", 1);
        server.store.put_framework(&text).await.unwrap();
        let newer = admin
            .json(
                &server,
                Method::POST,
                "/api/v1/zones/450202/editions",
                Some(json!({"framework": "national-2024-test", "from_year": 2027, "reason": "新版（测试）"})),
            )
            .await;
        assert_eq!(newer.status, StatusCode::OK, "{engine}: {:?}", newer.body);
        let older = admin
            .json(
                &server,
                Method::POST,
                "/api/v1/zones/450202/editions",
                Some(json!({"framework": "national-2021", "from_year": 2028, "reason": "文件"})),
            )
            .await;
        assert_eq!(older.status, StatusCode::BAD_REQUEST, "{engine}: {:?}", older.body);
        assert!(
            older.body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("所选版本（2021）早于现行版本（2024）"),
            "{:?}",
            older.body
        );
        assert_eq!(server.store.edition_adoptions("450202").await.unwrap().len(), 3);
    }
}
