//! `ecociv plan …`: the breakdown, supervision, scores, the Excel exports and the ledger import.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::support::{ecociv, json, repo, scratch, stderr};

fn copy_zone(to: &Path) {
    for entry in std::fs::read_dir(repo().join("data/zones/450202")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn measures_projects_supervision_and_scores_from_the_bundled_zone() {
    let all = json(&ecociv(&["plan", "measures", "--zone", "450202", "--format", "json"]));
    assert_eq!(all.as_array().unwrap().len(), 154);
    let one = json(&ecociv(&[
        "plan",
        "measures",
        "--zone",
        "450202",
        "--department",
        "城中区卫生健康局",
        "--format",
        "json",
    ]));
    let ids: Vec<&str> = one
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2.3.2-2", "5.1.3-2"]);

    let p = json(&ecociv(&["plan", "projects", "--zone", "450202", "--format", "json"]));
    assert_eq!(p["projects"]["total_investment"], "396229.77");
    assert_eq!(p["projects"]["categories"].as_array().unwrap().len(), 6);

    let s = json(&ecociv(&[
        "plan",
        "supervision",
        "--zone",
        "450202",
        "--today",
        "2026-01-02",
        "--format",
        "json",
    ]));
    let items = s["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["id"] == "measure_overdue:措施 2.3.3-1" && i["owner"] == "城中生态环境局")
    );
    assert!(items.iter().all(|i| !i["owner"].as_str().unwrap().is_empty()));
    let table = ecociv(&["plan", "supervision", "--zone", "450202", "--today", "2026-01-02"]);
    assert!(table.status.success());
    assert!(
        String::from_utf8(table.stdout)
            .unwrap()
            .contains("措施超过完成时限未完成")
    );

    let cards = json(&ecociv(&[
        "plan",
        "scores",
        "--zone",
        "450202",
        "--today",
        "2025-07-20",
        "--department",
        "城中区卫生健康局",
        "--format",
        "json",
    ]));
    let card = &cards[0];
    // Recompute from the explanation's lines: Σ round(weight × 100 × n / d) over applicable lines, scaled.
    let mut earned = 0_i64;
    let mut weights = 0_i64;
    for l in card["lines"].as_array().unwrap() {
        if l["applicable"].as_bool().unwrap() {
            let (w, n, d) = (
                l["weight"].as_i64().unwrap(),
                l["numerator"].as_i64().unwrap(),
                l["denominator"].as_i64().unwrap(),
            );
            earned += (2 * w * 100 * n + d) / (2 * d);
            weights += w;
        }
    }
    let minus: i64 = card["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["points_x100"].as_i64().unwrap())
        .sum();
    let expected = ((2 * earned * 100 + weights) / (2 * weights) - minus).max(0);
    assert_eq!(card["score_x100"].as_i64().unwrap(), expected);
    // Nothing has been reported: two measures × Q1 and Q2 2025 (Q2 due 15 July), none filed.
    let timeliness = card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "timeliness")
        .unwrap();
    assert_eq!(
        (timeliness["numerator"].as_i64(), timeliness["denominator"].as_i64()),
        (Some(0), Some(4))
    );
    let bad = ecociv(&["plan", "scores", "--zone", "450202", "--department", "不存在的局"]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn the_task_breakdown_and_the_ledger_go_to_excel_and_the_ledger_comes_back() {
    let dir = scratch("plan-ledger");
    let zone = dir.join("zone");
    std::fs::create_dir_all(&zone).unwrap();
    copy_zone(&zone);
    let tasks = dir.join("任务分解表.xlsx");
    let out = ecociv(&[
        "plan",
        "export-tasks",
        "--zone",
        zone.to_str().unwrap(),
        "--out",
        tasks.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(std::fs::read(&tasks).unwrap())).unwrap();
    let sheet = book.worksheet_range("任务分解表").unwrap();
    let numbered = (3..=sheet.end().unwrap().0)
        .filter(|r| matches!(sheet.get_value((*r, 0)), Some(Data::Float(_))))
        .count();
    assert_eq!(numbered, 154);

    // A ledger as the zone keeps it → Excel → imported back → the same file.
    let ledger = "# 重点工程项目台账 — entered by users (imported from the ledger template); the seed gives none of this.\n\
# Written by `ecociv plan import-projects`; edit through the template, not by hand.\n\n\
[[project]]\nid = \"2.01\"\nresponsible = \"城中区农业农村局\"\nstart_year = 2023\nend_year = 2025\nestimated_wan_yuan = \"1200.50\"\n\
[[project.plan]]\nyear = 2024\nsource = \"区级财政\"\nwan_yuan = \"300.00\"\n\
[[project.milestones]]\nname = \"完工验收\"\ndue = \"2025-12-31\"\n";
    std::fs::write(zone.join("project_ledger.toml"), ledger).unwrap();
    let xlsx = dir.join("项目台账.xlsx");
    let out = ecociv(&[
        "plan",
        "export-projects",
        "--zone",
        zone.to_str().unwrap(),
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(zone.join("project_ledger.toml")).unwrap();
    let out = ecociv(&[
        "plan",
        "import-projects",
        "--zone",
        zone.to_str().unwrap(),
        xlsx.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(zone.join("project_ledger.toml")).unwrap(),
        ledger
    );

    // A file that is not a ledger changes nothing; a bundled zone cannot be written.
    std::fs::write(dir.join("bad.xlsx"), b"not a workbook").unwrap();
    let out = ecociv(&[
        "plan",
        "import-projects",
        "--zone",
        zone.to_str().unwrap(),
        dir.join("bad.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("整份文件未导入"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(zone.join("project_ledger.toml")).unwrap(),
        ledger
    );
    let out = ecociv(&["plan", "import-projects", "--zone", "450202", xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_synthetic_demo_shows_follow_ups_closing_and_scores_moving() {
    let ledger = repo().join("data/synthetic/plan/project_ledger.SYNTHETIC.toml");
    let reports = repo().join("data/synthetic/plan/progress_reports.SYNTHETIC.toml");
    let (ledger, reports) = (ledger.to_str().unwrap(), reports.to_str().unwrap());
    let run = |cmd: &str, today: &str, with_reports: bool| {
        let mut args = vec![
            "plan", cmd, "--zone", "450202", "--today", today, "--ledger", ledger, "--format", "json",
        ];
        if with_reports {
            args.extend(["--reports", reports]);
        }
        json(&ecociv(&args))
    };
    let items = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    let without = items(&run("supervision", "2026-01-20", false));
    let with = items(&run("supervision", "2026-01-20", true));
    // Filed reports close their report_overdue items; the done measure leaves measure_overdue.
    assert!(without.contains(&"report_overdue:措施 5.1.3-2:2025年第1季度".to_string()));
    assert!(!with.contains(&"report_overdue:措施 5.1.3-2:2025年第1季度".to_string()));
    assert!(without.contains(&"measure_overdue:措施 5.1.3-2".to_string()));
    assert!(!with.contains(&"measure_overdue:措施 5.1.3-2".to_string()));
    // What the SYNTHETIC story leaves open: 2.01 behind its 2025 plan (300 of 800), its late milestone,
    // and 5.07's Q4 report returned on 6 January and not resubmitted.
    for id in [
        "spend_behind:项目 2.01:2025",
        "milestone_late:项目 2.01:主体工程开工",
        "returned_not_resubmitted:项目 5.07:2025年第4季度",
    ] {
        assert!(with.contains(&id.to_string()), "{id} missing from {with:?}");
    }
    let score = |with_reports: bool| {
        let mut args = vec![
            "plan",
            "scores",
            "--zone",
            "450202",
            "--today",
            "2026-01-20",
            "--year",
            "2025",
            "--department",
            "城中区卫生健康局",
            "--ledger",
            ledger,
            "--format",
            "json",
        ];
        if with_reports {
            args.extend(["--reports", reports]);
        }
        json(&ecociv(&args))[0]["score_x100"].as_i64().unwrap()
    };
    assert!(score(true) > score(false), "reporting raises the score");
}
