//! The disclosure register (信息公开台账, issue 14) as shipped: the bundled ledger kind's records imported like
//! any register's, the public disclosure list of a year (no account), the list as an open-data file, the
//! same reading of "on time" as row 5's figure, and overdue items on the supervision board by owner.

use axum::http::StatusCode;
use ecociv_server::Config;
use ecociv_server::demo::DEMO_LEDGERS;
use ecociv_server::service::disclosure::{KIND, items_of};
use ecociv_server::service::ledger::{Upload, find_kind, import, kinds};

use crate::support::{Client, TestServer, server_with};

/// The demo's SYNTHETIC register (2024–2026), imported as `serve --demo` imports it.
async fn import_register(server: &TestServer) -> ecociv_ledger::Kind {
    let record = server.store.zone("450202").await.unwrap().unwrap();
    let framework = server.store.framework(&record.framework_id).await.unwrap();
    let kinds = kinds(&[], &framework).unwrap();
    let kind = find_kind(&kinds, KIND)
        .expect("the disclosure register is bundled")
        .clone();
    let (file, bytes) = DEMO_LEDGERS
        .iter()
        .find(|(file, _)| file.starts_with("disclosure_register."))
        .expect("the demo imports the register");
    import(
        &server.store,
        "450202",
        &kind,
        file,
        Upload::from_bytes(file, bytes.to_vec()),
        "system",
        false,
    )
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("{e}"));
    kind
}

fn on(day: &str) -> Config {
    Config {
        plan_today: Some(ecociv_plan::Date::parse(day).unwrap()),
        ..Config::default()
    }
}

fn page(response: &crate::support::Response) -> String {
    response.body.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_public_sees_the_disclosure_list_of_a_year_with_who_is_late() {
    let server = server_with("disclosure-page", on("2026-12-04")).await;
    import_register(&server).await;
    let mut public = Client::anonymous();

    let response = public.get(&server, "/z/450202/disclosure?year=2025").await;
    assert_eq!(response.status, StatusCode::OK);
    let html = page(&response);
    // The ten items of 2025, each with its standing; worked in the register's README.
    assert_eq!(html.matches("<tr id=\"d-").count(), 10, "{html}");
    for (id, standing) in [
        ("G2025-01", "按期公开"),
        ("G2025-03", "逾期公开"),
        ("G2025-05", "逾期未公开"),
        ("E2025-02", "逾期未公开"),
        ("E2025-03", "逾期公开"),
    ] {
        let row = html
            .split(&format!("<tr id=\"d-{id}\""))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_else(|| panic!("{id} listed"));
        assert!(row.contains(standing), "{id}: {row}");
    }
    assert!(html.contains("逾期 12 天"), "G2025-03 published 12 days late: {html}");
    // Who is late, by owner.
    let owners = html.split("未按期公开的事项（按责任单位）").nth(1).unwrap_or_default();
    for owner in ["城中生态环境局", "合成企业乙有限公司", "合成企业丙有限公司"] {
        assert!(owners.contains(owner), "{owner}");
    }
    assert!(
        !owners
            .split("</section>")
            .next()
            .unwrap()
            .contains("合成企业甲有限公司")
    );
    assert!(html.contains("合成的演示数据"), "SYNTHETIC records are labelled");

    // The current year by default: items not yet due are not late.
    let current = page(&public.get(&server, "/z/450202/disclosure").await);
    assert!(current.contains("2026年应公开事项"));
    let row = |id: &str| {
        current
            .split(&format!("<tr id=\"d-{id}\""))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("G2026-05").contains("未到期"));
    assert!(row("G2026-04").contains("逾期未公开") && row("G2026-04").contains("逾期 34 天"));

    // The list as open data: every item, with its standing on the day.
    let csv = public.get(&server, "/z/450202/open/disclosure.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap_or_default().to_string();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 18);
    let standing_of = |id: &str| {
        rows.iter()
            .find(|r| &r[column("编号")] == id)
            .map(|r| r[column("公开情况")].to_string())
    };
    assert_eq!(standing_of("E2026-02").as_deref(), Some("逾期未公开"));
    assert_eq!(standing_of("G2025-06").as_deref(), Some("按期公开"));
    let catalogue = public.get(&server, "/z/450202/open/catalog.jsonld").await;
    let catalogue = match catalogue.body.as_str() {
        Some(text) => serde_json::from_str(text).unwrap(),
        None => catalogue.body,
    };
    let dataset = catalogue["dcat:dataset"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dct:identifier"] == "450202-disclosure")
        .expect("the disclosure list is a dataset of the catalogue")
        .clone();
    assert_eq!(dataset["dct:temporal"]["dcat:startDate"]["@value"], "2024-01-01");
    assert!(dataset["dct:modified"]["@value"].is_string(), "{dataset}");

    // A zone that is not public shows nothing.
    server.store.set_disclosed("450202", false).await.unwrap();
    let hidden = Client::anonymous().get(&server, "/z/450202/disclosure").await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_lists_on_time_count_is_row_5s_numerator_every_year() {
    let server = server_with("disclosure-row5", on("2026-12-04")).await;
    let kind = import_register(&server).await;
    let record = server.store.zone("450202").await.unwrap().unwrap();
    let framework = server.store.framework(&record.framework_id).await.unwrap();
    let ledger = server.store.ledger_of_kind("450202", KIND).await.unwrap();
    let items = items_of(&kind, &ledger);
    assert_eq!(items.len(), 18);
    for year in ecociv_survey::disclosure::years(&items) {
        // After the year's end nothing of it is "not yet due": the list's counts are the figure's terms.
        let after = jiff::civil::date(i16::try_from(year).unwrap() + 1, 1, 1);
        let counts = ecociv_survey::disclosure::counts(&items, year, after);
        let d = ecociv_ledger::derive(&framework, &kind, &kind.feeds[0], &ledger, year).unwrap();
        assert_eq!(
            d.numerator.as_ref().map(|t| t.value),
            Some(counts.on_time as f64),
            "{year}"
        );
        assert_eq!(
            d.denominator.as_ref().map(|t| t.value),
            Some(counts.items as f64),
            "{year}"
        );
        // Everything not on time is in the figure's shortfalls, by owner.
        let short: usize = d.shortfalls.iter().map(|(_, ids)| ids.len()).sum();
        assert_eq!(short, counts.late + counts.overdue, "{year}");
    }
}

#[tokio::test]
async fn overdue_disclosures_are_supervision_items_of_their_owners() {
    let server = server_with("disclosure-board", on("2026-12-04")).await;
    import_register(&server).await;
    let mut reviewer = Client::login(&server, "reviewer").await;
    let board = reviewer.get(&server, "/api/v1/zones/450202/plan/supervision").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let mut overdue: Vec<(String, String)> = board.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["rule"]["id"] == "disclosure_overdue")
        .map(|i| {
            (
                i["subject"].as_str().unwrap().to_string(),
                i["owner"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    overdue.sort();
    // Past due and not published on 2026-12-04 (late publications are not overdue; G2026-05 is not due).
    let office = "城中生态环境局";
    assert_eq!(
        overdue,
        [
            ("公开事项 E2025-02".to_string(), office.to_string()),
            ("公开事项 E2026-02".to_string(), office.to_string()),
            ("公开事项 G2025-05".to_string(), office.to_string()),
            ("公开事项 G2026-04".to_string(), office.to_string()),
        ]
    );
    // The enterprise behind an enterprise's item is named in the reason.
    let reason = board.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["subject"] == "公开事项 E2025-02")
        .map(|i| i.to_string())
        .unwrap_or_default();
    assert!(
        reason.contains("合成企业乙有限公司") && reason.contains("2025-03-15"),
        "{reason}"
    );
    // The bureau's board page, filtered to the rule, shows the items with the rule explained.
    let html = page(
        &reviewer
            .get(&server, "/z/450202/plan/supervision?rule=disclosure_overdue")
            .await,
    );
    assert_eq!(
        html.matches("<article class=\"card follow-up").count(),
        4,
        "the four items only"
    );
    assert!(html.contains("公开事项 G2026-04"), "the item is listed");
    assert!(
        html.contains("href=\"/z/450202/disclosure?year=2026#d-G2026-04\""),
        "linked to the public list at the item"
    );
    assert!(html.contains("应公开信息逾期未公开"), "the rule's name");
    assert!(html.contains("超过应公开日期"), "the rule explained");
}
