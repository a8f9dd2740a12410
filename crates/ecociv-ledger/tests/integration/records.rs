//! Records against their kind: located problems, all or nothing, the lifecycle and its effect on row 14.

use ecociv_ledger::{Ledger, read_csv};

use crate::common::{derived, framework, kind};

#[test]
fn every_problem_names_file_line_and_field_and_nothing_is_read() {
    let framework = framework();
    let kind = kind(&framework, "village_water");
    let csv = "编号,供水工程或村,采样日期,水期,检测合格\n\
               W1,甲村,2023-03-01,枯水期,是\n\
               W2,甲村,2023-02-30,枯水期,是\n\
               W3,,2023-03-01,雨季,也许\n\
               ,乙村,2023-03-01,,是\n";
    let error = read_csv("水样.csv", csv.as_bytes(), &kind).unwrap_err();
    let found: Vec<(Option<u64>, Option<&str>)> = error.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(
        found,
        [
            (Some(3), Some("采样日期(sample_date)")),
            (Some(4), Some("供水工程或村(supply)")),
            (Some(4), Some("水期(period)")),
            (Some(4), Some("检测合格(qualified)")),
            (Some(5), Some("编号(record_id)")),
        ]
    );
    assert!(error.problems.iter().all(|p| p.file == "水样.csv"));
    let text = error.to_string();
    assert!(
        text.contains(
            "水样.csv: 第 4 行，字段 水期(period) / line 4, field 水期(period): “雨季”不在可选值中：枯水期、丰水期"
        ),
        "{text}"
    );
}

#[test]
fn header_problems_unknown_duplicate_and_missing_columns() {
    let framework = framework();
    let kind = kind(&framework, "hazardous_waste");
    let error = read_csv("h.csv", "编号,产废单位,年度,年度,颜色\n".as_bytes(), &kind).unwrap_err();
    let messages: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("字段 颜色") && m.contains("unknown column")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("duplicate column")), "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("产生量(generated_t)") && m.contains("required column missing"))
    );
    assert!(read_csv("empty.csv", "".as_bytes(), &kind).is_err());
}

#[test]
fn columns_by_id_or_name_in_any_order_crlf_and_bom() {
    let framework = framework();
    let kind = kind(&framework, "hazardous_waste");
    let csv = "\u{feff}generated_t,record_id,producer,year,利用处置量\r\n100,H1,甲厂,2023,95\r\n\r\n50,H2,乙厂,2023,\"1,0\"\r\n";
    // "1,0" is read as 10 (a thousands separator is dropped), and the blank line is skipped.
    let revisions = read_csv("h.csv", csv.as_bytes(), &kind).unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[1].origin.line, Some(4));
    assert_eq!(revisions[1].cells["used_disposed_t"], ecociv_ledger::Cell::Number(10.0));
}

#[test]
fn values_out_of_range_and_not_numbers_are_refused() {
    let framework = framework();
    let kind = kind(&framework, "hazardous_waste");
    let csv = "编号,产废单位,年度,产生量,利用处置量\nH1,甲厂,2023,-1,NaN\nH2,乙厂,1800,1e400,5\n";
    let error = read_csv("h.csv", csv.as_bytes(), &kind).unwrap_err();
    let fields: Vec<&str> = error.problems.iter().filter_map(|p| p.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            "产生量(generated_t)",
            "利用处置量(used_disposed_t)",
            "年度(year)",
            "产生量(generated_t)"
        ]
    );
}

const HAZARDS: &str = "编号,单位或地点,隐患描述,隐患等级,发现日期,状态,状态日期\n\
                       K1,甲厂,围堰破损,一般,2023-03-01,登记,2023-03-01\n\
                       K2,乙厂,应急池不足,较大,2023-05-01,登记,2023-05-01\n";

#[test]
fn closing_a_hazard_changes_row_14s_input() {
    let framework = framework();
    let kind = kind(&framework, "risk_hazard");
    let mut ledger = Ledger::build(&kind, read_csv("隐患.csv", HAZARDS.as_bytes(), &kind).unwrap()).unwrap();
    let open = |ledger: &Ledger, year| derived(&framework, &kind, ledger, "14", year);
    let before = open(&ledger, 2023);
    assert_eq!(before.label, "年底未销号隐患数");
    assert_eq!(before.value, 2.0);

    // K1 goes 登记 → 整改中 → 销号 in 2023; K2 is closed in February 2024.
    let later = "编号,单位或地点,隐患描述,隐患等级,发现日期,状态,状态日期\n\
                 K1,甲厂,围堰破损,一般,2023-03-01,整改中,2023-06-01\n\
                 K1,甲厂,围堰破损,一般,2023-03-01,销号,2023-09-01\n\
                 K2,乙厂,应急池不足,较大,2023-05-01,销号,2024-02-01\n";
    ledger
        .append(&kind, read_csv("销号.csv", later.as_bytes(), &kind).unwrap())
        .unwrap();
    assert_eq!(open(&ledger, 2023).value, 1.0, "K1 closed in 2023");
    assert_eq!(open(&ledger, 2023).records, ["K2"]);
    assert_eq!(open(&ledger, 2024).value, 0.0, "K2 closed in 2024");
    // History is kept: K1 has three revisions.
    assert_eq!(ledger.records["K1"].len(), 3);
    // The share closed of the hazards found in 2023: 1 of 2 at the end of 2023.
    let share = kind
        .feeds
        .iter()
        .find(|f| f.label.as_deref() == Some("当年发现隐患销号率"))
        .unwrap();
    let d = ecociv_ledger::derive(&framework, &kind, share, &ledger, 2023).unwrap();
    assert_eq!(d.value, 50.0);
}

#[test]
fn lifecycle_transitions_are_checked_and_a_refused_batch_changes_nothing() {
    let framework = framework();
    let kind = kind(&framework, "risk_hazard");
    let mut ledger = Ledger::build(&kind, read_csv("隐患.csv", HAZARDS.as_bytes(), &kind).unwrap()).unwrap();
    let before = ledger.clone();
    let bad = "编号,单位或地点,隐患描述,隐患等级,发现日期,状态,状态日期\n\
               K1,甲厂,围堰破损,一般,2023-03-01,销号,2023-09-01\n\
               K1,甲厂,围堰破损,一般,2023-03-01,整改中,2023-10-01\n\
               K2,乙厂,应急池不足,较大,2023-05-01,整改中,2023-04-01\n\
               K3,丙厂,新隐患,一般,2023-05-01,整改中,2023-05-01\n";
    let error = ledger
        .append(&kind, read_csv("bad.csv", bad.as_bytes(), &kind).unwrap())
        .unwrap_err();
    let found: Vec<(Option<u64>, String)> = error
        .problems
        .iter()
        .map(|p| (p.line, p.message.chars().take(12).collect()))
        .collect();
    assert_eq!(found.len(), 3, "{error}");
    assert_eq!(error.problems[0].line, Some(3), "销号 → 整改中 refused: {error}");
    assert!(error.problems[0].message.contains("不能从“销号”转为“整改中”"));
    assert_eq!(error.problems[1].line, Some(4));
    assert!(error.problems[1].message.contains("早于上一状态日期"));
    assert_eq!(error.problems[2].line, Some(5));
    assert!(error.problems[2].message.contains("首次登记须为“登记”"));
    assert_eq!(ledger, before, "nothing applied");
}

#[test]
fn a_correction_in_the_same_state_is_a_new_revision() {
    let framework = framework();
    let kind = kind(&framework, "risk_hazard");
    let mut ledger = Ledger::build(&kind, read_csv("隐患.csv", HAZARDS.as_bytes(), &kind).unwrap()).unwrap();
    let fix = "编号,单位或地点,隐患描述,隐患等级,发现日期,状态,状态日期\nK1,甲厂,围堰破损（已核实）,较大,2023-03-01,登记,2023-03-01\n";
    ledger
        .append(&kind, read_csv("fix.csv", fix.as_bytes(), &kind).unwrap())
        .unwrap();
    assert_eq!(ledger.records["K1"].len(), 2);
    assert_eq!(
        ledger.in_force(&kind, "K1", 2023).unwrap().cells["grade"],
        ecociv_ledger::Cell::Text("较大".into())
    );
}
