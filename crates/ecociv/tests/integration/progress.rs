//! `ecociv progress`: the example zone with the seed's history plus the SYNTHETIC 2022–2024 series
//! (`data/synthetic/progress/`), in both output formats, and refused input.

use crate::support::{ecociv, json, repo, scratch, stderr, stdout};

fn synthetic() -> String {
    repo()
        .join("data/synthetic/progress/450202-2022-2024.csv")
        .display()
        .to_string()
}

#[test]
fn table_names_the_rows_at_risk_for_2025_with_the_yearly_change_and_lead_department() {
    let values = synthetic();
    let output = ecociv(&[
        "progress",
        "--zone",
        "450202",
        "--target-year",
        "2025",
        "--values",
        &values,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("柳州市城中区（450202）规划2025年目标进展评估"),
        "{text}"
    );
    let warnings = text.split("预警：").nth(1).expect("a warning section");
    let warnings = warnings.split("汇总").next().expect("before the aggregates");
    assert!(warnings.starts_with("2025年目标有风险的指标 9 项"), "{warnings}");
    for line in [
        "24 村镇饮用水卫生合格率：按UNSD外推到目标年达不到目标，按加权线性趋势到目标年达不到目标；每年需提高 20 个百分点；牵头部门：城中区卫生健康局",
        "20.1 化肥利用率：",
        "每年需提高 1.7 个百分点；牵头部门：城中区农业农村局",
        "32 政府绿色采购比例：",
        "每年需提高 2.4 个百分点；牵头部门：城中区财政局",
        "35 公众对生态文明建设的参与度：",
        "19 单位国内生产总值建设用地使用面积下降率：",
        "1 生态文明建设规划：定性要求尚未达到；牵头部门：城中区人民政府、城中生态环境局",
    ] {
        assert!(warnings.contains(line), "missing «{line}» in:\n{warnings}");
    }
    for on_course in ["20.2 ", "30 ", "34 ", "3 生态"] {
        assert!(
            !warnings.lines().any(|l| l.trim_start().starts_with(on_course)),
            "{on_course} listed:\n{warnings}"
        );
    }
    assert!(text.contains("SYNTHETIC"), "synthetic values are marked");
}

#[test]
fn json_object_with_zone_target_year_and_rows() {
    let values = synthetic();
    let output = ecociv(&[
        "progress",
        "--zone",
        "450202",
        "--target-year",
        "2030",
        "--values",
        &values,
        "--format",
        "json",
    ]);
    let v = json(&output);
    assert_eq!(v["zone"], "450202");
    assert_eq!(v["target_year"], 2030);
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 44, "every row of the 2021 framework");
    let statuses = [
        "target_achieved",
        "substantial_progress",
        "moderate_progress",
        "limited_progress",
        "deterioration",
        "not_available",
    ];
    for r in rows {
        for key in [
            "id",
            "method",
            "status",
            "score",
            "forecast",
            "target",
            "target_year",
            "required_yearly_change",
            "gap_to_target",
            "at_risk",
            "lead_departments",
            "progress",
            "forecast_detail",
        ] {
            assert!(r.get(key).is_some(), "row {} lacks {key}", r["id"]);
        }
        assert!(
            statuses.contains(&r["status"].as_str().expect("status")),
            "{}",
            r["status"]
        );
    }
    let r10 = rows.iter().find(|r| r["id"] == "10").expect("row 10");
    assert_eq!(r10["method"], "method2_target");
    assert_eq!(r10["target"], 43.0);
    assert!(r10["progress"]["progress_value"].is_number(), "R is exposed");
    assert!(r10["progress"]["cagr_observed"].is_number());
    assert!(r10["progress"]["cagr_required"].is_number());
    assert_eq!(r10["progress"]["base_year"], 2021);
    assert_eq!(r10["progress"]["current_year"], 2024);
    let r7 = rows.iter().find(|r| r["id"] == "7.1").expect("row 7.1");
    assert_eq!(r7["method"], "method1_no_target");
    assert!(
        r7["progress"]["limit_coefficient"].is_number(),
        "C is exposed for a share near 100 %"
    );
}

#[test]
fn values_file_adds_to_the_zone_series() {
    // Without the synthetic years, 24 has only 2021: the method refuses (too few years) and says so.
    let v = json(&ecociv(&["progress", "--zone", "450202", "--format", "json"]));
    let r24 = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == "24")
        .expect("24")
        .clone();
    assert_eq!(r24["status"], "not_available");
    assert_eq!(r24["progress"]["refusal"]["code"], "too_few_years");
    assert_eq!(r24["required_yearly_change"], 12.5);

    let dir = scratch("progress-values");
    let file = dir.join("values.csv");
    std::fs::write(&file, "indicator,year,value,assigned\n24,2023,60,\n24,2024,65,\n").expect("write");
    let v = json(&ecociv(&[
        "progress",
        "--zone",
        "450202",
        "--values",
        &file.display().to_string(),
        "--format",
        "json",
    ]));
    let r24 = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == "24")
        .expect("24")
        .clone();
    assert_eq!(r24["progress"]["current_year"], 2024);
    assert_eq!(r24["required_yearly_change"], 35.0);
    assert_eq!(r24["at_risk"], true);
}

#[test]
fn refuses_bad_input_and_prints_nothing() {
    let output = ecociv(&["progress", "--zone", "450202", "--target-year", "2027"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).contains("规划中没有 2027 年的目标值"),
        "{}",
        stderr(&output)
    );

    let dir = scratch("progress-bad");
    let file = dir.join("bad.csv");
    std::fs::write(&file, "indicator,year,value,assigned\n24,2023,abc,\n").expect("write");
    let output = ecociv(&["progress", "--zone", "450202", "--values", &file.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let err = stderr(&output);
    assert!(
        err.contains("bad.csv") && err.contains('2') && err.contains("value"),
        "{err}"
    );
}

/// With only the base year on record, the method cannot measure or forecast; a row still below its 2025
/// target is flagged (below_target_without_trend) rather than left silent, and its group cannot read
/// "target achieved".
#[test]
fn rows_below_target_without_a_trend_are_flagged() {
    let output = ecociv(&[
        "progress",
        "--zone",
        "450202",
        "--target-year",
        "2025",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let row = |id: &str| {
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["id"] == id)
            .unwrap()
            .clone()
    };
    for id in ["24", "20.1", "20.2"] {
        assert_eq!(row(id)["at_risk"], true, "{id}: {}", row(id));
        assert!(
            row(id)["warning"]["reasons"]
                .to_string()
                .contains("below_target_without_trend"),
            "{id}: {}",
            row(id)["warning"]
        );
    }
    assert_eq!(row("25")["at_risk"], false, "100 already reaches the 2025 target 100");
}
