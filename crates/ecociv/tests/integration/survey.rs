//! `ecociv survey` (issue 14): the default questionnaire written and checked, a bad questionnaire refused by
//! question, rows 34/35 estimated offline from a platform's export and recomputed by hand, and on a database
//! an export imported all or nothing (a bad line, numbers already stored), estimated, saved (a locked value
//! refuses) and written as a workbook that reads back.

use crate::support::{ecociv, json, repo, scratch, stderr, stdout};

const HEADER: &str = "序号,所在街道社区村,1、您是否知道本区正在创建国家生态文明建设示范区？,2、总体来看，您对本区生态文明建设的成效是否满意？,3、您不满意的主要方面是？（可多选）,4、过去一年，您参加过下列哪些生态文明建设活动？（可多选）";

#[test]
fn the_default_questionnaire_is_written_and_checked_and_a_bad_one_is_refused_by_question() {
    let dir = scratch("survey-template");
    let file = dir.join("问卷.toml");
    let output = ecociv(&["survey", "template", "--output", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let plan = repo().join("data/synthetic/survey/plan-450202.SYNTHETIC.toml");
    let output = ecociv(&[
        "survey",
        "validate",
        "--questionnaire",
        file.to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("34（满意）") && text.contains("35（参与）"), "{text}");
    assert!(text.contains("抽样方案 7 层"), "{text}");

    // A measure counting a code its question does not have: refused, the measure named; exit 1.
    let text = std::fs::read_to_string(&file).unwrap();
    let bad = text.replacen("counts = [\"1\", \"2\"]", "counts = [\"1\", \"9\"]", 1);
    assert_ne!(bad, text);
    std::fs::write(&file, bad).unwrap();
    let output = ecociv(&["survey", "validate", "--questionnaire", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stderr(&output).contains("问卷.toml"), "{}", stderr(&output));
    assert!(stderr(&output).contains('9'), "{}", stderr(&output));
}

#[test]
fn rows_34_and_35_are_estimated_offline_as_worked_by_hand_and_an_empty_stratum_is_named() {
    let dir = scratch("survey-offline");
    let plan = dir.join("方案.csv");
    std::fs::write(
        &plan,
        "代码,名称,类型,总体规模,配额\ncz,城中街道,街道,3000,4\nym,窑埠村,村,1000,\n",
    )
    .unwrap();
    let export = dir.join("回答.csv");
    // 城中街道: 满意, 比较满意, 一般, 不太满意 → 2 of 4 satisfied; 窑埠村: 满意, 满意 → 2 of 2.
    std::fs::write(
        &export,
        format!(
            "{HEADER}\n1,城中街道,知道,满意,,垃圾分类\n2,城中街道,知道,比较满意,,都没有参加\n3,cz,不知道,一般,,节约用水用电\n4,cz,知道,不太满意,空气质量,都没有参加\n5,窑埠村,知道,满意,,垃圾分类\n6,ym,知道,满意,,绿色出行（公交、骑行、步行）\n"
        ),
    )
    .unwrap();
    let output = ecociv(&[
        "survey",
        "estimate",
        "--plan",
        plan.to_str().unwrap(),
        "--responses",
        export.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let value = json(&output);
    let rows = value["estimates"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["row"] == id).unwrap().clone();
    // By hand: W = 3000/4000 and 1000/4000; p̂ = 0.75 × 2/4 + 0.25 × 2/2 = 0.625.
    let r34 = row("34");
    assert!((r34["share_percent"].as_f64().unwrap() - 62.5).abs() < 1e-9, "{r34}");
    assert!(r34["low_percent"].as_f64().unwrap() < 62.5 && 62.5 < r34["high_percent"].as_f64().unwrap());
    assert_eq!(r34["valid"], 6);
    // Participation: 城中 2 of 4 (垃圾分类, 节约用水用电), 窑埠 2 of 2 → the same 0.625.
    assert!((row("35")["share_percent"].as_f64().unwrap() - 62.5).abs() < 1e-9);
    // The table for people: the interval and each stratum's counts with its response rate.
    let output = ecociv(&[
        "survey",
        "estimate",
        "--plan",
        plan.to_str().unwrap(),
        "--responses",
        export.to_str().unwrap(),
    ]);
    let text = stdout(&output);
    assert!(text.contains("指标 34（满意）：62.5%，95% 置信区间"), "{text}");
    assert!(
        text.contains("城中街道：总体 3000，回答 4，有效 4，计入 2，回收率 100.0%"),
        "{text}"
    );

    // A stratum without a response: refused by its name, exit 1.
    std::fs::write(
        &plan,
        "代码,名称,类型,总体规模,配额\ncz,城中街道,街道,3000,4\nym,窑埠村,村,1000,\nhd,河东街道,街道,2000,\n",
    )
    .unwrap();
    let output = ecociv(&[
        "survey",
        "estimate",
        "--plan",
        plan.to_str().unwrap(),
        "--responses",
        export.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("河东街道"), "{}", stdout(&output));

    // A bad export: refused whole, the line and the column named.
    std::fs::write(
        &export,
        format!("{HEADER}\n1,城中街道,知道,满意,,垃圾分类\n2,城东街道,知道,满意,,垃圾分类\n"),
    )
    .unwrap();
    let output = ecociv(&[
        "survey",
        "estimate",
        "--plan",
        plan.to_str().unwrap(),
        "--responses",
        export.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("第 3 行，字段 所在街道社区村 / line 3, field 所在街道社区村: "),
        "{text}"
    );
}

/// A database with the example zone, its demo accounts and its SYNTHETIC 2024 survey (as `serve --demo`).
fn database(name: &str) -> (std::path::PathBuf, String, String) {
    let dir = scratch(name);
    let path = dir.join("eco.sqlite3");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let survey = runtime.block_on(async {
        let store = ecociv_store::Store::open(&url).await.unwrap();
        ecociv_server::demo::load(&store).await.unwrap().unwrap();
        let survey = store.surveys("450202").await.unwrap()[0].survey_id.clone();
        store.close().await;
        survey
    });
    (dir, url, survey)
}

#[test]
fn an_export_is_imported_all_or_nothing_estimated_and_written_as_a_workbook() {
    use calamine::Reader;
    let (dir, url, survey) = database("survey-db");
    let stored = |extra: &[&str]| {
        let mut args = vec!["survey"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--db", &url, "--zone", "450202", "--survey", &survey]);
        ecociv(&args)
    };
    let before = json(&stored(&["estimate", "--format", "json"]));
    let valid_before = before["estimates"][0]["valid"].as_u64().unwrap();

    // A duplicate number inside the file: nothing imported, the line named; exit 1.
    let file = dir.join("platform.csv");
    std::fs::write(
        &file,
        format!("{HEADER}\nP-1,城中街道,知道,满意,,垃圾分类\nP-1,公园街道,知道,一般,,都没有参加\n"),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let output = stored(&["import", "--by", "reviewer", path]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stderr(&output).contains("第 3 行，字段 序号"), "{}", stderr(&output));
    let after = json(&stored(&["estimate", "--format", "json"]));
    assert_eq!(
        after["estimates"][0]["valid"].as_u64().unwrap(),
        valid_before,
        "nothing stored"
    );

    // A good file: stored; the same file again is refused whole (numbers already stored).
    std::fs::write(
        &file,
        format!("{HEADER}\nP-1,城中街道,知道,满意,,垃圾分类\nP-2,公园街道,知道,一般,,都没有参加\n"),
    )
    .unwrap();
    let output = stored(&["import", "--by", "reviewer", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("已导入 2 份回答"), "{}", stdout(&output));
    let output = stored(&["import", "--by", "reviewer", path]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("P-1") && stderr(&output).contains("已经导入过"),
        "{}",
        stderr(&output)
    );
    let after = json(&stored(&["estimate", "--format", "json"]));
    assert_eq!(after["estimates"][0]["valid"].as_u64().unwrap(), valid_before + 2);
    let share = after["estimates"][0]["share_percent"].as_f64().unwrap();

    // The demo's rows 34/35 of 2024 are approved and locked: saving new estimates is refused, exit 1.
    let output = stored(&["save", "--by", "reviewer"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));

    // The workbook: a line per response, and row 34's estimate as printed.
    let workbook = dir.join("survey.xlsx");
    let output = stored(&["export", "--output", workbook.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut book = calamine::open_workbook_auto(&workbook).unwrap();
    let responses = book.worksheet_range("回答").unwrap();
    assert_eq!(
        responses.height() as u64,
        after["estimates"][0]["responses"].as_u64().unwrap() + 1
    );
    let estimates = book.worksheet_range("估计").unwrap();
    let line = estimates.rows().find(|r| format!("{}", r[0]) == "34").unwrap();
    let written: f64 = line[2].to_string().parse().unwrap();
    assert!((written - share).abs() < 0.006, "{written} vs {share}");
}
