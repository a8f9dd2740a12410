//! `ecociv ledger` and `--ledgers`: records checked with located errors, figures derived with their
//! arithmetic, Table 2-1 saying which rows come from registers, and a new register added as files only.

use crate::support::{ecociv, json, repo, scratch, stderr, stdout};

fn synthetic() -> String {
    repo()
        .join("data/synthetic/ledgers-450202-SYNTHETIC")
        .display()
        .to_string()
}

#[test]
fn check_names_file_line_and_field_and_exits_1() {
    let dir = scratch("ledger-check");
    let file = dir.join("samples.csv");
    std::fs::write(
        &file,
        "编号,供水工程或村,采样日期,检测合格\nW1,甲村,2023-03-01,是\nW2,乙村,2023-13-01,是\n",
    )
    .unwrap();
    let output = ecociv(&["ledger", "check", "--kind", "village_water", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("samples.csv: 第 3 行，字段 采样日期(sample_date)"),
        "{text}"
    );
    std::fs::write(&file, "编号,供水工程或村,采样日期,检测合格\nW1,甲村,2023-03-01,是\n").unwrap();
    let output = ecociv(&["ledger", "check", "--kind", "village_water", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("1 条记录"));
}

#[test]
fn derive_prints_the_arithmetic_of_the_synthetic_demo() {
    let output = ecociv(&[
        "ledger",
        "derive",
        "--ledgers",
        &synthetic(),
        "--year",
        "2023",
        "--format",
        "json",
    ]);
    let value = json(&output);
    let figures = value["figures"].as_array().unwrap();
    let row24 = figures.iter().find(|f| f["row"] == "24").expect("row 24 derived");
    // 12 samples in 2023, one failed (示例村五, 丰水期): 11 / 12.
    assert!((row24["value"].as_f64().unwrap() - 1100.0 / 12.0).abs() < 1e-9);
    assert_eq!(row24["records"].as_array().unwrap().len(), 12);
    assert_eq!(row24["synthetic"], true);
    assert!(row24["method"].as_str().unwrap().contains("11÷12×100"));
    // Row 14's open hazards at the end of 2023: YH3 only (YH2 closed 2023-03-01).
    let open = figures
        .iter()
        .find(|f| f["row"] == "14" && f["label"] == "年底未销号隐患数")
        .expect("row 14 input");
    assert_eq!(open["value"], 1.0);
    assert_eq!(open["role"], "input");
}

#[test]
fn table_2_1_says_which_rows_come_from_registers() {
    let output = ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2023",
        "--ledgers",
        &synthetic(),
        "--format",
        "json",
    ]);
    let value = json(&output);
    let rows = value["rows"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(row("12")["source"]["kind"], "ledger");
    assert_eq!(row("12")["source"]["synthetic"], true);
    assert_eq!(row("33")["status"], "not_met", "90 % of cadres trained in 2023");
    assert!(row("1")["source"].is_null());
    let table = stdout(&ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2023",
        "--ledgers",
        &synthetic(),
    ]));
    let line = table.lines().find(|l| l.starts_with("24 ")).unwrap();
    assert!(line.contains("91.7%") && line.contains("台账计算"), "{line}");
}

#[test]
fn a_new_register_is_files_only_and_a_stated_figure_is_checked() {
    let dir = scratch("ledger-new-kind");
    std::fs::copy(
        repo().join("crates/ecociv-ledger/tests/data/disclosure.toml"),
        dir.join("disclosure.toml"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("crates/ecociv-ledger/tests/data/disclosure.csv"),
        dir.join("information_disclosure.csv"),
    )
    .unwrap();
    // The plan states 0.1422 for row 17 in 2021; these components give 0.15.
    std::fs::write(
        dir.join("resource_statistics.csv"),
        "编号,年度,地区生产总值,能源消费总量\nTJ2021,2021,1000000,150000\n",
    )
    .unwrap();
    let ledgers = dir.display().to_string();
    let output = ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2023",
        "--ledgers",
        &ledgers,
        "--format",
        "json",
    ]);
    let value = json(&output);
    let row5 = value["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "5")
        .unwrap()
        .clone();
    assert_eq!(row5["value"], 75.0);
    assert_eq!(row5["source"]["ledger"]["kind_id"], "information_disclosure");
    let output = ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--ledgers",
        &ledgers,
        "--format",
        "json",
    ]);
    let note = stderr(&output);
    assert!(
        note.contains("数据质量说明：第17行2021年") && note.contains("0.15 吨标准煤/万元"),
        "{note}"
    );
    let value = json(&output);
    let row17 = value["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "17")
        .unwrap()
        .clone();
    assert_eq!(row17["value"], 0.1422, "the plan's figure stays in force");
    // A bad line in any ledger file: the whole command refuses, naming it.
    std::fs::write(
        dir.join("information_disclosure.csv"),
        "编号,应公开信息,应公开日期,已公开\nD1,x,2023-02-01,也许\n",
    )
    .unwrap();
    let output = ecociv(&["assess", "--zone", "450202", "--year", "2023", "--ledgers", &ledgers]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("information_disclosure.csv: 第 2 行，字段 已公开(disclosed)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_word_report_says_per_row_which_figures_come_from_registers() {
    let dir = scratch("ledger-docx");
    let docx = dir.join("r.docx");
    let output = ecociv(&[
        "report",
        "--zone",
        "450202",
        "--year",
        "2023",
        "--format",
        "docx",
        "--no-progress",
        "--ledgers",
        &synthetic(),
        "--out",
        docx.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&docx).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(
        xml.contains("指标 24（村镇饮用水卫生合格率）的数值由台账记录计算：村镇饮用水水样检测台账（第1版）"),
        "row 24's origin is stated"
    );
    assert!(xml.contains("11÷12×100"), "with its arithmetic");
    // Ledger rows are not described as computed from monitoring data.
    assert!(!xml.contains("指标 12、"), "row 12 is not in the monitoring list");
}

/// A database with the example zone and its demo accounts (as `serve --demo` makes it, without registers).
fn database(name: &str) -> (std::path::PathBuf, String) {
    let dir = scratch(name);
    let path = dir.join("eco.sqlite3");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = ecociv_store::Store::open(&url).await.unwrap();
        ecociv_server::demo::load(&store).await.unwrap().unwrap();
        store.close().await;
    });
    (dir, url)
}

#[test]
fn import_stores_all_or_nothing_and_compute_saves_the_rows() {
    let (dir, url) = database("ledger-import");
    let file = dir.join("samples.csv");
    // Line 3's date is not a day: nothing is stored, the error names file, line and field; exit 1.
    std::fs::write(
        &file,
        "编号,供水工程或村,采样日期,检测合格\nW1,甲村,2024-03-01,是\nW2,乙村,2024-13-01,是\n",
    )
    .unwrap();
    let args = |file: &std::path::Path| {
        vec![
            "ledger".to_string(),
            "import".into(),
            "--db".into(),
            url.clone(),
            "--zone".into(),
            "450202".into(),
            "--kind".into(),
            "village_water".into(),
            "--by".into(),
            "卫健局张三".into(),
            file.display().to_string(),
        ]
    };
    let run = |args: &[String]| ecociv(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let output = run(&args(&file));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("samples.csv: 第 3 行，字段 采样日期(sample_date)"),
        "{}",
        stderr(&output)
    );
    std::fs::write(
        &file,
        "编号,供水工程或村,采样日期,检测合格\nW1,甲村,2024-03-01,是\nW2,乙村,2024-06-01,否\n",
    )
    .unwrap();
    let output = run(&args(&file));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("已导入 2 个记录版本"), "{}", stdout(&output));
    // The same file again changes nothing.
    let output = run(&args(&file));
    assert!(stdout(&output).contains("已导入 0 个记录版本"), "{}", stdout(&output));
    assert!(stdout(&output).contains("2 行与记录现状相同"), "{}", stdout(&output));

    let output = ecociv(&[
        "ledger", "compute", "--db", &url, "--zone", "450202", "--year", "2024", "--by", "reviewer",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("第24行 2024年：村镇饮用水卫生合格率＝"), "{text}");
    assert!(text.contains("1÷2×100＝50%"), "{text}");
    assert!(text.contains("保存 1 个数值"), "{text}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let current = runtime.block_on(async {
        let store = ecociv_store::Store::open(&url).await.unwrap();
        store.current("450202", "24", 2024).await.unwrap().unwrap()
    });
    assert_eq!(current.observation.value.as_number(), Some(50.0));
    assert!(matches!(current.observation.source, ecociv_core::Source::Ledger { .. }));
}

#[test]
fn the_excel_template_is_written_by_its_name() {
    let dir = scratch("ledger-template-xlsx");
    let out = dir.join("隐患.xlsx");
    let output = ecociv(&[
        "ledger",
        "template",
        "--kind",
        "risk_hazard",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
}
