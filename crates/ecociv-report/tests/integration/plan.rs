//! The 任务分解表 and the project ledger, read back with calamine; the ledger template round-trips and
//! bad input is refused whole with the cell named.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use ecociv_plan::bundled;
use ecociv_plan::model::{FundingSource, LedgerEntry, Milestone};
use ecociv_plan::{Date, WanYuan};
use ecociv_report::plan::{
    CATEGORY_SHEET, LEDGER_SHEET, MILESTONE_SHEET, PLAN_SHEET, TASK_HEADERS, TASKS_SHEET, import_ledger,
    project_ledger, task_breakdown,
};

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

#[test]
fn the_task_breakdown_has_the_official_columns_and_every_measure() {
    let (measures, _) = bundled::zone("450202").unwrap().unwrap();
    let bytes = task_breakdown("柳州市城中区", &measures, None).unwrap();
    let mut book = open(&bytes);
    let sheet = book.worksheet_range(TASKS_SHEET).unwrap();
    assert_eq!(
        text(&sheet, 0, 0),
        "柳州市城中区创建国家生态文明建设示范区工作任务分解表"
    );
    let header: Vec<String> = (0..7).map(|c| text(&sheet, 2, c)).collect();
    assert_eq!(header, TASK_HEADERS);
    let end = sheet.end().unwrap().0;
    let mut numbered = Vec::new();
    let mut sections = Vec::new();
    for r in 3..=end {
        match sheet.get_value((r, 0)) {
            Some(Data::Float(n)) => numbered.push((r, *n as usize)),
            Some(Data::String(s)) => sections.push(s.clone()),
            _ => {}
        }
    }
    assert_eq!(numbered.len(), 154);
    assert!(numbered.iter().enumerate().all(|(i, (_, n))| *n == i + 1));
    assert_eq!(sections.len(), 6);
    assert_eq!(sections[1], "二、生态安全体系建设");
    // 2.3.3-1: 到 2025 年建成美丽幸福河道 20 公里.
    let m = measures.get("2.3.3-1").unwrap();
    let (r, _) = numbered.iter().find(|(r, _)| text(&sheet, *r, 2) == m.text).unwrap();
    assert_eq!(
        text(&sheet, *r, 3),
        "城中生态环境局、城中区农业农村局（据对应指标推定）"
    );
    assert_eq!(text(&sheet, *r, 5), "2025年（规划原文：到2025年）");
    assert!(text(&sheet, *r, 6).contains("子目标：2025年 建成美丽幸福河道 20公里"));
    // 任务 written once per item, over its paragraphs (merged): item 2.1.1 has two measures.
    let first = numbered
        .iter()
        .find(|(r, _)| text(&sheet, *r, 2).starts_with("开展森林城市建设。"))
        .unwrap()
        .0;
    assert_eq!(text(&sheet, first, 1), "加强森林生态系统保护");
    // A measure the plan gives to 属地街道 (lead named by the text itself) and one nobody leads.
    assert!(
        numbered
            .iter()
            .any(|(r, _)| text(&sheet, *r, 3) == "属地街道" && text(&sheet, *r, 4) == "相关职能部门")
    );
    assert!(numbered.iter().any(|(r, _)| text(&sheet, *r, 3) == "待定"));

    let one = task_breakdown("柳州市城中区", &measures, Some("城中区卫生健康局")).unwrap();
    let mut book = open(&one);
    let sheet = book.worksheet_range(TASKS_SHEET).unwrap();
    let rows: Vec<u32> = (3..=sheet.end().unwrap().0)
        .filter(|r| matches!(sheet.get_value((*r, 0)), Some(Data::Float(_))))
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(task_breakdown("柳州市城中区", &measures, Some("不存在的局")).is_err());
}

fn entries() -> Vec<LedgerEntry> {
    vec![
        LedgerEntry {
            project: "2.01".into(),
            responsible: "城中区农业农村局".into(),
            start_year: 2023,
            end_year: 2025,
            estimated: WanYuan::parse("1200.5").unwrap(),
            plan: vec![
                (2023, FundingSource("区级财政".into()), WanYuan::parse("200").unwrap()),
                (
                    2024,
                    FundingSource("上级专项资金".into()),
                    WanYuan::parse("600.25").unwrap(),
                ),
            ],
            milestones: vec![
                Milestone {
                    name: "完成初步设计".into(),
                    due: Date::parse("2023-06-30").unwrap(),
                    done: Some(Date::parse("2023-07-10").unwrap()),
                },
                Milestone {
                    name: "完工验收".into(),
                    due: Date::parse("2025-12-31").unwrap(),
                    done: None,
                },
            ],
        },
        LedgerEntry {
            project: "5.07".into(),
            responsible: "城中区卫生健康局".into(),
            start_year: 2024,
            end_year: 2024,
            estimated: WanYuan::parse("80").unwrap(),
            plan: vec![],
            milestones: vec![],
        },
    ]
}

#[test]
fn the_project_ledger_round_trips_and_shows_the_seed_s_totals() {
    let (_, projects) = bundled::zone("450202").unwrap().unwrap();
    let spent = BTreeMap::from([("2.01".to_string(), WanYuan::parse("150").unwrap())]);
    let bytes = project_ledger("柳州市城中区", "450202", &projects, &entries(), &spent).unwrap();
    let back = import_ledger(&bytes, "台账.xlsx", "450202", &projects).unwrap();
    assert_eq!(back, entries());

    let mut book = open(&bytes);
    let ledger = book.worksheet_range(LEDGER_SHEET).unwrap();
    let lines: Vec<u32> = (3..=ledger.end().unwrap().0)
        .filter(|r| !text(&ledger, *r, 0).is_empty())
        .collect();
    assert_eq!(lines.len(), 46, "every name Table 4-1 lists");
    assert_eq!(text(&ledger, 3, 0), "1.01");
    assert_eq!(text(&ledger, 7, 2), "城中区小丹冲河道治理工程");
    assert_eq!(ledger.get_value((7, 6)), Some(&Data::Float(1200.5)));
    assert_eq!(ledger.get_value((7, 7)), Some(&Data::Float(150.0)));
    let cats = book.worksheet_range(CATEGORY_SHEET).unwrap();
    let total_row = (3..=cats.end().unwrap().0)
        .find(|r| text(&cats, *r, 1) == "合计")
        .unwrap();
    assert_eq!(cats.get_value((total_row, 2)), Some(&Data::Float(45.0)));
    assert_eq!(cats.get_value((total_row, 3)), Some(&Data::Float(46.0)));
    assert_eq!(cats.get_value((total_row, 4)), Some(&Data::Float(396229.77)));
    assert_eq!(cats.get_value((total_row, 5)), Some(&Data::Float(1280.5)));
    // 生态安全: 49665.32 planned, 1200.50 entered.
    assert_eq!(cats.get_value((4, 6)), Some(&Data::Float(-48464.82)));
    // An empty ledger imports as nothing entered.
    let empty = project_ledger("柳州市城中区", "450202", &projects, &[], &BTreeMap::new()).unwrap();
    assert_eq!(import_ledger(&empty, "空.xlsx", "450202", &projects).unwrap(), vec![]);
    assert!(import_ledger(&empty, "空.xlsx", "450203", &projects).is_err());
}

#[test]
fn a_bad_ledger_is_refused_whole_with_each_cell_named() {
    use rust_xlsxwriter::Workbook;
    let (_, projects) = bundled::zone("450202").unwrap().unwrap();
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name(LEDGER_SHEET).unwrap();
    // Row 4 (0-based 3): a good project; row 5: bad year; row 6: unknown project.
    for (r, cells) in [
        (
            3,
            [
                "1.01",
                "生态制度",
                "编制《柳州市城中区国家生态文明建设示范区规划（2022-2030年）》",
                "城中生态环境局",
                "2022",
                "2023",
                "249",
            ],
        ),
        (
            4,
            [
                "2.01",
                "生态安全",
                "城中区小丹冲河道治理工程",
                "城中区农业农村局",
                "二〇二五",
                "2026",
                "1.234",
            ],
        ),
        (5, ["9.99", "生态安全", "不存在", "某局", "2025", "2026", "10"]),
        (
            6,
            [
                "2.02",
                "生态安全",
                "柳江流域重点支流水环境综合整治项目",
                "",
                "2027",
                "2026",
                "10",
            ],
        ),
    ] {
        for (c, v) in cells.iter().enumerate() {
            s.write_string(r, c as u16, *v).unwrap();
        }
    }
    let p = book.add_worksheet();
    p.set_name(PLAN_SHEET).unwrap();
    for (c, v) in ["1.01", "2030", "区级财政", "100"].iter().enumerate() {
        p.write_string(3, c as u16, *v).unwrap();
    }
    let m = book.add_worksheet();
    m.set_name(MILESTONE_SHEET).unwrap();
    for (c, v) in ["1.01", "印发", "2022/12/31", ""].iter().enumerate() {
        m.write_string(3, c as u16, *v).unwrap();
    }
    let meta = book.add_worksheet();
    meta.set_name("_ecociv").unwrap();
    meta.write_string(0, 0, "format").unwrap();
    meta.write_string(0, 1, ecociv_report::plan::LEDGER_FORMAT).unwrap();
    meta.write_string(1, 0, "zone").unwrap();
    meta.write_string(1, 1, "450202").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = import_ledger(&bytes, "填报.xlsx", "450202", &projects).unwrap_err();
    let cells: Vec<(String, String)> = err
        .problems
        .iter()
        .map(|p| {
            (
                p.sheet().unwrap_or_default().to_string(),
                p.cell().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        (LEDGER_SHEET, "E5"),
        (LEDGER_SHEET, "G5"),
        (LEDGER_SHEET, "A6"),
        (LEDGER_SHEET, "D7"),
        (LEDGER_SHEET, "F7"),
        (PLAN_SHEET, "B4"),
        (MILESTONE_SHEET, "C4"),
    ]
    .iter()
    .map(|(s, c)| (s.to_string(), c.to_string()))
    .collect();
    assert_eq!(cells, expected, "{err}");
    assert!(err.to_string().contains("整份文件未导入"));
}
