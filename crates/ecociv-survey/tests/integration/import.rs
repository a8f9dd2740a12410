//! A platform's export imported all or nothing, each problem with its line and column.

use ecociv_survey::import::parse_export;
use ecociv_survey::{Questionnaire, SamplingPlan};

fn plan() -> SamplingPlan {
    SamplingPlan::parse(
        r#"population_basis = "测试"
[[strata]]
id = "cz"
name = "城中街道"
kind = "street"
population = 21000
[[strata]]
id = "ym"
name = "窑埠村"
kind = "village"
population = 620
"#,
    )
    .unwrap()
}

/// As 问卷星 writes it: numbered question texts, extra columns, multiple choices joined with ┋.
const EXPORT: &str = "\u{feff}序号,提交答卷时间,来自IP,所在街道社区村,1、您是否知道本区正在创建国家生态文明建设示范区？,2、总体来看，您对本区生态文明建设的成效是否满意？,3、您不满意的主要方面是？（可多选）,4、过去一年，您参加过下列哪些生态文明建设活动？（可多选）
101,2025/6/1 10:00:00,10.0.0.1,城中街道,知道,满意,,垃圾分类┋节约用水用电
102,2025/6/1 10:05:00,10.0.0.2,ym,不知道,不满意,空气质量┋噪声和油烟,都没有参加
103,2025/6/1 10:09:00,10.0.0.3,窑埠村,听说过，不太了解,2,,travel
";

#[test]
fn a_platform_export_is_read_with_codes_or_labels_and_extra_columns_listed() {
    let q = Questionnaire::default_zone();
    let file = parse_export(&q, &plan(), EXPORT.as_bytes()).unwrap();
    assert_eq!(file.ignored_columns, ["提交答卷时间", "来自IP"]);
    let lines: Vec<(u64, &str, &str)> = file
        .responses
        .iter()
        .map(|r| (r.line, r.external_id.as_str(), r.stratum.as_str()))
        .collect();
    assert_eq!(lines, [(2, "101", "cz"), (3, "102", "ym"), (4, "103", "ym")]);
    let codes = |i: usize, q: &str| file.responses[i].answers[q].iter().cloned().collect::<Vec<_>>();
    assert_eq!(codes(0, "participate"), ["save", "sort"]);
    assert_eq!(codes(1, "dissat_reason"), ["air", "noise"]);
    assert_eq!(codes(2, "sat_overall"), ["2"]);
    assert!(
        !file.responses[0].answers.contains_key("dissat_reason"),
        "an empty cell is no answer"
    );
}

#[test]
fn a_bad_export_is_refused_whole_with_line_and_column() {
    let q = Questionnaire::default_zone();
    let bad = EXPORT
        .replace(
            "101,2025/6/1 10:00:00,10.0.0.1,城中街道,知道,满意",
            "101,2025/6/1 10:00:00,10.0.0.1,城东街道,知道,很满意",
        )
        .replace("102,", "101,")
        .replace("2,,travel", "2,空气质量,travel");
    let problems = parse_export(&q, &plan(), bad.as_bytes()).unwrap_err();
    let at: Vec<(u64, &str)> = problems
        .iter()
        .map(|p| (p.line.unwrap_or(0), p.field.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        at,
        [
            (2, "所在街道社区村"),
            (2, "2、总体来看，您对本区生态文明建设的成效是否满意？"),
            (3, "序号"),
            (4, "3、您不满意的主要方面是？（可多选）"),
        ],
        "{problems:#?}"
    );
    assert!(problems[0].zh().contains("“城东街道”不是抽样方案中的层"));
    assert!(problems[2].zh().contains("与第2行重复"));
    assert!(problems[3].zh().contains("不应作答"), "{}", problems[3].zh());
    assert!(
        problems[0]
            .to_string()
            .starts_with("第 2 行，字段 所在街道社区村 / line 2, field 所在街道社区村: “城东街道”不是抽样方案中的层 ("),
        "{}",
        problems[0]
    );
    // A missing question column is named at the heading.
    let cut: String = EXPORT
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    let problems = parse_export(&q, &plan(), cut.as_bytes()).unwrap_err();
    // The heading line, no column of it.
    assert_eq!((problems[0].line, problems[0].field.as_deref()), (Some(1), None));
    assert!(problems[0].zh().contains("participate"), "{}", problems[0].zh());
    // Not a CSV or xlsx at all.
    assert!(parse_export(&q, &plan(), &[0xff, 0xfe, 0x00]).is_err());
    assert!(
        parse_export(&q, &plan(), b"PK\x03\x04garbage").unwrap_err()[0]
            .zh()
            .contains("xlsx")
    );
}

#[test]
fn an_excel_export_is_read_by_row_number() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, line) in EXPORT.trim_start_matches('\u{feff}').lines().enumerate() {
        for (col, cell) in line.split(',').enumerate() {
            // Numbers as numbers, as a platform's workbook holds the response number.
            match cell.parse::<f64>() {
                Ok(n) if col == 0 && row > 0 => sheet.write_number(row as u32, col as u16, n).map(|_| ()),
                _ => sheet.write_string(row as u32, col as u16, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let file = parse_export(&Questionnaire::default_zone(), &plan(), &bytes).unwrap();
    let ids: Vec<(u64, &str)> = file
        .responses
        .iter()
        .map(|r| (r.line, r.external_id.as_str()))
        .collect();
    assert_eq!(ids, [(2, "101"), (3, "102"), (4, "103")]);
}
