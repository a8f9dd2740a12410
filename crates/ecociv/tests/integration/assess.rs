//! `ecociv assess` and `ecociv targets` on the example zone.

use crate::support::*;

/// Issue 2: `ecociv assess --zone 450202 --year 2021` reproduces the 达标情况 column of Table 2-1 row for row
/// and reports the zone not ready, naming binding indicators 1 and 24.
#[test]
fn assess_450202_2021_reproduces_table_2_1() {
    let result = json(&ecociv(&[
        "assess", "--zone", "450202", "--year", "2021", "--format", "json",
    ]));
    assert_eq!(result["zone"], "450202");
    assert_eq!(result["year"], 2021);
    assert_eq!(result["framework"]["id"], "national-2021");
    assert_eq!(result["framework"]["edition"], "2021");
    let reference = std::fs::read_to_string(repo().join("data/reference/table-2-1-compliance-2021.csv")).unwrap();
    let rows = result["rows"].as_array().unwrap();
    let expected: Vec<(String, String)> = reference
        .lines()
        .skip(1)
        .map(|line| {
            let (id, status) = line.split_once(',').unwrap();
            (id.to_string(), status.to_string())
        })
        .collect();
    let actual: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_string(),
                row["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(actual, expected);
    for row in rows {
        assert!(
            row["explanation"].as_str().is_some_and(|text| !text.is_empty()),
            "row {} explained",
            row["id"]
        );
        assert!(row["attribute"] == "binding" || row["attribute"] == "reference");
        assert!(
            row["warnings"].as_array().unwrap().is_empty(),
            "no disagreement with the plan: {}",
            row["warnings"]
        );
    }
    let readiness = &result["readiness"];
    assert_eq!(readiness["ready"], false);
    assert_eq!(readiness["binding_not_met"], serde_json::json!(["1", "24"]));
    assert_eq!(readiness["reference_met_share"].as_f64().unwrap(), 15.0 / 16.0);
    let row = |id: &str| rows.iter().find(|row| row["id"] == id).unwrap().clone();
    assert_eq!(row("22")["value"], 89.31);
    assert_eq!(row("22")["basis"], "recorded");
    assert_eq!(row("1")["value"], "正在制定");
    assert!(
        row("7.1")["explanation"].as_str().unwrap().contains("2017年为 89.5%"),
        "{}",
        row("7.1")["explanation"]
    );
}

#[test]
fn assess_table_output_is_chinese_and_names_the_blockers() {
    let output = ecociv(&["assess", "--zone", "450202", "--year", "2021", "--explain"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("柳州市城中区"));
    assert!(text.contains("村镇饮用水卫生合格率"));
    assert!(text.contains("尚不具备"));
    assert!(text.contains("约束性指标未达标：1、24"));
    assert!(!text.contains("\u{1b}["), "no colour codes when not on a terminal");
}

#[test]
fn values_file_overrides_and_changes_the_judgement() {
    let dir = scratch("override");
    let values = dir.join("values.csv");
    std::fs::write(
        &values,
        "\u{feff}indicator,year,value,assigned\n1,2021,制定实施,\n24,2021,100,\n20.1,2021,43,\n20.2,2021,42.99,\n",
    )
    .unwrap();
    let result = json(&ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--values",
        values.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let status = |id: &str| {
        result["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("1"), "met");
    assert_eq!(status("24"), "met");
    assert_eq!(status("20.1"), "met", "exactly 43 meets ≥43");
    assert_eq!(status("20.2"), "not_met");
    assert_eq!(
        result["readiness"]["ready"], true,
        "all binding met, 15/16 reference met"
    );
}

#[test]
fn assigned_values_in_the_values_file_are_judged() {
    let dir = scratch("assigned");
    let values = dir.join("values.csv");
    std::fs::write(
        &values,
        "indicator,year,value,assigned\n7.1,2022,94.5,95\n7.2,2022,29,30\n",
    )
    .unwrap();
    let result = json(&ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2022",
        "--values",
        values.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let row = |id: &str| {
        result["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row("7.1")["status"], "not_met", "94.5 is below the assigned 95");
    assert_eq!(
        row("7.2")["status"],
        "met",
        "29 is at or below the assigned 30, and not above 2021's 29"
    );
    assert_eq!(row("7")["status"], "not_met");
    // Rows without 2022 values have no data — never met without a value.
    assert_eq!(row("3")["status"], "no_data");
}

#[test]
fn malformed_values_file_fails_with_file_line_and_field_and_prints_nothing() {
    let dir = scratch("malformed");
    let cases = [
        (
            "unknown.csv",
            "indicator,year,value,assigned\n3,2021,21.4,\n36,2021,1,\n",
            "unknown.csv: 第 3 行，字段 indicator",
        ),
        (
            "number.csv",
            "indicator,year,value,assigned\n3,2021,abc,\n",
            "number.csv: 第 2 行，字段 value",
        ),
        (
            "state.csv",
            "indicator,year,value,assigned\n4,2021,基本实施,\n",
            "state.csv: 第 2 行，字段 value",
        ),
        (
            "column.csv",
            "indicator,year,value\n3,2021,21.4\n",
            "column.csv: 第 1 行，字段 assigned",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let output = ecociv(&[
            "assess",
            "--zone",
            "450202",
            "--year",
            "2021",
            "--values",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(output.status.code(), Some(1), "{name} refused");
        assert!(output.stdout.is_empty(), "{name}: nothing assessed");
        assert!(stderr(&output).contains(expected), "{name}: {}", stderr(&output));
    }
}

#[test]
fn unknown_zone_and_bad_arguments_are_refused() {
    let output = ecociv(&["assess", "--zone", "999999", "--year", "2021"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("450202"),
        "the error lists the bundled zones: {}",
        stderr(&output)
    );
    let output = ecociv(&["assess", "--zone", "450202", "--year", "twenty"]);
    assert_eq!(output.status.code(), Some(2));
}

/// The plan's 2025 and 2030 targets judged against the standard.
#[test]
fn targets_of_the_plan_are_judged() {
    let result = json(&ecociv(&["targets", "--zone", "450202", "--format", "json"]));
    let years: Vec<i64> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|year| year["target_year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2025, 2030]);
    for year in result.as_array().unwrap() {
        let rows = year["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 44);
        assert_eq!(
            year["flagged"],
            serde_json::json!([]),
            "the plan's targets all meet the standard"
        );
        let status = |id: &str| rows.iter().find(|row| row["id"] == id).unwrap()["status"].clone();
        assert_eq!(status("20.1"), "met", "44 / 45 meet ≥43");
        assert_eq!(status("19"), "met", "不低于现状值 = 7.37 ≥ 4.5");
    }
    let rows_2025 = result[0]["rows"].as_array().unwrap();
    assert_eq!(
        rows_2025.iter().find(|row| row["id"] == "16").unwrap()["status"],
        "no_data",
        "a description of work"
    );
    let table = stdout(&ecociv(&["targets", "--zone", "450202", "--year", "2025"]));
    assert!(table.contains("全部目标值均符合或重述标准"), "{table}");
}

#[test]
fn a_target_below_the_standard_is_flagged() {
    let dir = scratch("low-target");
    let zone = std::fs::read_to_string(repo().join("data/zones/450202/zone.toml")).unwrap();
    let zone = zone.replace(
        "targets = { 2025 = \"44\", 2030 = \"45\" }",
        "targets = { 2025 = \"42\", 2030 = \"45\" }",
    );
    std::fs::write(dir.join("zone.toml"), zone).unwrap();
    let result = json(&ecociv(&[
        "targets",
        "--zone",
        dir.to_str().unwrap(),
        "--year",
        "2025",
        "--format",
        "json",
    ]));
    assert_eq!(result[0]["flagged"], serde_json::json!(["20.1", "20.2"]));
}

/// A state that stands for a figure (无劣V类水体 = 0 %, "…比例为100%" = 100 %) is the earlier value a
/// later figure is compared with: falling from "100 %" to 90 % is not "stable or improving".
#[test]
fn later_figures_are_compared_with_the_figure_a_state_stands_for() {
    let dir = scratch("state-figures");
    let values = dir.join("values.csv");
    std::fs::write(
        &values,
        "indicator,year,value,assigned\n8.1,2022,90,\n8.2,2022,5,\n8.3,2022,100,\n",
    )
    .unwrap();
    let result = json(&ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2022",
        "--values",
        values.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let row = |id: &str| {
        result["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row("8.1")["status"], "not_met", "{}", row("8.1")["explanation"]);
    assert!(row("8.1")["explanation"].as_str().unwrap().contains("2021年为 100%"));
    assert_eq!(row("8.2")["status"], "not_met", "{}", row("8.2")["explanation"]);
    assert_eq!(row("8.3")["status"], "met", "{}", row("8.3")["explanation"]);
}

/// Another framework edition is a data file, not code: a zone directory may carry its own
/// `framework.toml` (here a small TEST edition, not any official set) and is assessed under it, with the
/// edition recorded in the result.
#[test]
fn another_framework_edition_needs_no_code() {
    let dir = scratch("edition");
    std::fs::write(
        dir.join("framework.toml"),
        r#"
id = "test-edition"
name = "测试版指标体系（TEST，非官方）"
name_en = "Test edition (not official)"
edition = "TEST-2024"
source = "tests"
[designation]
all_binding_met = true
reference_min_share = 0.5
note = "test"
[[domains]]
id = "d"
name = "生态安全"
name_en = "security"
[[tasks]]
id = "1"
domain = "d"
name = "（一）测试任务"
name_en = "task"
[[indicators]]
id = "1"
task = "1"
name = "生态质量指数"
name_en = "EQI"
attribute = "binding"
unit = "-"
direction = "higher"
range = [0, 100]
  [[indicators.variants]]
  when = { climate = "湿润" }
  standard = "≥55"
  criterion = { at_least = 55 }
[[indicators]]
id = "2"
task = "1"
name = "测试参考指标"
name_en = "reference"
attribute = "reference"
unit = "%"
direction = "lower"
range = [0, 100]
standard = "≤10"
criterion = { at_most = 10 }
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("zone.toml"),
        "code = \"450202\"\nname = \"测试区\"\nframework = \"test-edition\"\n[attributes]\nclimate = \"湿润\"\n[plan]\ntitle = \"t\"\nbase_year = 2023\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("values.csv"),
        "indicator,year,value,assigned\n1,2024,55,\n2,2024,10.5,\n",
    )
    .unwrap();
    let result = json(&ecociv(&[
        "assess",
        "--zone",
        dir.to_str().unwrap(),
        "--year",
        "2024",
        "--format",
        "json",
    ]));
    assert_eq!(result["framework"]["edition"], "TEST-2024");
    let status: Vec<&str> = result["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["met", "not_met"]);
    assert_eq!(result["readiness"]["ready"], false, "0/1 reference met < 0.5");
}
