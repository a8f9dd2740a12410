//! Running the plan in a real headless Chromium: a department (城中区农业农村局) reports progress on its
//! project 2.01 with a file, the bureau returns it, the department resubmits, the bureau approves — and the
//! supervision board (the overdue report's item clears) and the department's score change. Screenshots of
//! the board, the department page and the report page at 1366 px and 390 px go to `test-artifacts/browser/`.

use std::time::Duration;

use ecociv_server::Config;
use fantoccini::{Client, Locator};

use crate::browser::{browser_available, connect, login, logout, screenshot, start_server_with, text};

const UNIT: &str = "城中区农业农村局";

fn encode(text: &str) -> String {
    ecociv_web::layout::urls::encode(text)
}

async fn fill(client: &Client, id: &str, value: &str) {
    let field = client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

async fn click(client: &Client, id: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .expect("click");
}

async fn wait_state(client: &Client, expected: &str) {
    for _ in 0..100 {
        if let Ok(found) = client.find(Locator::Id("report-state")).await
            && found.text().await.unwrap_or_default().contains(expected)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the report never showed {expected}: {}",
        client
            .source()
            .await
            .unwrap_or_default()
            .chars()
            .take(3000)
            .collect::<String>()
    );
}

async fn score(client: &Client, base: &str) -> String {
    client
        .goto(&format!("{base}/z/450202/plan/units/{}?year=2026", encode(UNIT)))
        .await
        .expect("unit page");
    text(client, "#score-total").await
}

async fn board_has(client: &Client, base: &str, state: &str, needle: &str) -> bool {
    client
        .goto(&format!(
            "{base}/z/450202/plan/supervision?unit={}&state={state}",
            encode(UNIT)
        ))
        .await
        .expect("board");
    client.source().await.expect("source").contains(needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_reports_the_bureau_returns_and_approves_and_the_board_and_score_change() {
    if !browser_available() {
        return;
    }
    let config = Config {
        plan_today: Some(ecociv_plan::Date::parse("2026-10-20").unwrap()),
        ..Config::default()
    };
    let (base, store, passwords) = start_server_with("plan-flow", config).await;
    let (client, _driver) = connect().await;
    let report = format!("{base}/z/450202/plan/reports/project:2.01/2026Q3");
    let overdue = "项目 2.01 2026年第3季度进展报告应于 2026-10-15 前报送";

    login(&client, &base, "editor-agri", &passwords["editor-agri"]).await;
    let score_before = score(&client, &base).await;
    assert!(
        board_has(&client, &base, "active", overdue).await,
        "the overdue report is on the board before"
    );
    assert!(
        client
            .source()
            .await
            .unwrap()
            .contains("报告期结束后 15 天内应报送进展报告"),
        "the rule is explained"
    );
    screenshot(&client, "plan-board-1366").await;

    // The department reports with a file.
    let dir = std::env::temp_dir().join(format!("ecociv-plan-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("支付凭证2026Q3.pdf");
    std::fs::write(&file, b"%PDF-1.4 SYNTHETIC payment voucher\n%%EOF\n").expect("write");
    client.goto(&report).await.expect("report page");
    fill(&client, "percent", "60").await;
    fill(&client, "source", "上级专项资金").await;
    fill(&client, "amount", "900.00").await;
    fill(&client, "narrative", "主体工程完成六成").await;
    client
        .find(Locator::Id("file"))
        .await
        .expect("file field")
        .send_keys(&file.display().to_string())
        .await
        .expect("choose file");
    click(&client, "report-submit").await;
    wait_state(&client, "待审核").await;
    assert!(client.source().await.unwrap().contains("支付凭证2026Q3.pdf"));
    logout(&client).await;

    // The bureau returns it.
    login(&client, &base, "reviewer", &passwords["reviewer"]).await;
    client.goto(&report).await.expect("report page");
    fill(&client, "comment", "请补充资金支付凭证的盖章页").await;
    click(&client, "report-return").await;
    wait_state(&client, "已退回").await;
    logout(&client).await;

    // The department resubmits.
    login(&client, &base, "editor-agri", &passwords["editor-agri"]).await;
    client.goto(&report).await.expect("report page");
    assert!(
        client.source().await.unwrap().contains("请补充资金支付凭证的盖章页"),
        "the return's reason shows"
    );
    fill(&client, "source", "上级专项资金").await;
    fill(&client, "amount", "900.00").await;
    fill(&client, "narrative", "主体工程完成六成，已补充盖章页").await;
    click(&client, "report-submit").await;
    wait_state(&client, "待审核").await;
    logout(&client).await;

    // The bureau approves.
    login(&client, &base, "reviewer", &passwords["reviewer"]).await;
    client.goto(&report).await.expect("report page");
    click(&client, "report-approve").await;
    wait_state(&client, "审核通过").await;
    screenshot(&client, "plan-report-1366").await;

    // The board: the overdue item's condition cleared (awaiting 销号); the score changed.
    assert!(
        board_has(&client, &base, "cleared", overdue).await,
        "the item waits for closure once the report is filed"
    );
    let score_after = score(&client, &base).await;
    assert_ne!(score_before, score_after, "the department's score changes");
    let arithmetic = text(&client, "#score-arithmetic").await;
    assert!(arithmetic.contains(&format!("总分 {score_after} 分")), "{arithmetic}");
    let lines = text(&client, "#score-lines").await;
    assert!(lines.contains("曾被退回"), "the return costs the quality item: {lines}");
    screenshot(&client, "plan-unit-1366").await;
    client.set_window_size(390, 844).await.expect("phone width");
    screenshot(&client, "plan-unit-390").await;
    board_has(&client, &base, "active", "").await;
    screenshot(&client, "plan-board-390").await;
    let width: f64 = client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .expect("width")
        .as_f64()
        .unwrap_or(0.0);
    assert!(width <= 400.0, "the board fits a phone: {width}px wide");

    // Stored as the workflow says.
    let book = store.report_book("450202").await.expect("book");
    let states: Vec<_> = book
        .history(
            &ecociv_plan::report::Subject::Project("2.01".into()),
            ecociv_plan::Period::new(2026, 3, ecociv_plan::Periodicity::Quarterly).unwrap(),
        )
        .map(|r| r.state)
        .collect();
    use ecociv_plan::report::ReviewState::*;
    assert_eq!(states, [Submitted, Returned, Submitted, Approved]);
    let _ = std::fs::remove_dir_all(&dir);
    client.close().await.expect("close");
}
