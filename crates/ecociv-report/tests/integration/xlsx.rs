//! Table 2-1, Table 4-1 and the by-year sheet, read back with calamine.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use ecociv_core::{Status, Value, assess};
use ecociv_report::xlsx::{self, BY_YEAR, FIRST_DATA_ROW, TABLE_2_1, TABLE_4_1, col};

use crate::example;

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx opens")
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(text)) => text.clone(),
        Some(Data::Float(number)) => number.to_string(),
        Some(Data::Int(number)) => number.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

/// The seed's 达标情况 column (typed independently of the values file).
fn seed_statuses() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/reference/table-2-1-compliance-2021.csv"
    ))
    .expect("reference file");
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_once(','))
        .map(|(id, status)| (id.to_string(), status.to_string()))
        .collect()
}

#[test]
fn table_2_1_reproduces_every_value_and_status_of_the_seed() {
    let loaded = example();
    let bytes = xlsx::workbook(
        &loaded.framework,
        &loaded.zone,
        &assess(&loaded.framework, &loaded.zone, 2021),
        &ecociv_core::assess_years(&loaded.framework, &loaded.zone, &loaded.zone.years()),
    )
    .expect("workbook");
    let mut book = open(bytes);
    assert_eq!(
        book.sheet_names(),
        vec![TABLE_2_1.to_string(), TABLE_4_1.to_string(), BY_YEAR.to_string()]
    );
    let range = book.worksheet_range(TABLE_2_1).expect("sheet");
    let assessment = assess(&loaded.framework, &loaded.zone, 2021);
    let seed = seed_statuses();
    // Header.
    assert_eq!(text(range.get_value((1, u32::from(col::VALUE)))), "现状值（2021年）");
    assert_eq!(text(range.get_value((1, u32::from(col::STATUS)))), "达标情况");
    assert_eq!(
        text(range.get_value((1, u32::from(col::FIRST_TARGET)))),
        "目标值（2025年）"
    );
    assert_eq!(
        text(range.get_value((1, u32::from(col::FIRST_TARGET) + 1))),
        "目标值（2030年）"
    );
    // One line per row of the framework, in table order: 44 rows in the 2021 set.
    let leaf_ids: Vec<String> = loaded.framework.rows().map(|(_, row)| row.id.clone()).collect();
    assert_eq!(leaf_ids.len(), 44);
    let mut not_met = Vec::new();
    let mut numbers = 0;
    for (index, id) in leaf_ids.iter().enumerate() {
        let r = FIRST_DATA_ROW + index as u32;
        let entry = assessment.rows.iter().find(|entry| &entry.id == id).expect("assessed");
        // The value: numbers as numbers, states as their text.
        let cell = range.get_value((r, u32::from(col::VALUE)));
        match &entry.value {
            Some(Value::Number(number)) => {
                assert_eq!(cell, Some(&Data::Float(*number)), "row {id} value");
                numbers += 1;
            }
            Some(other) => assert_eq!(cell, Some(&Data::String(other.display())), "row {id} value"),
            None => panic!("row {id} has no value in the seed"),
        }
        let status = text(range.get_value((r, u32::from(col::STATUS))));
        assert_eq!(status, entry.status.zh(), "row {id} status");
        let expected = seed
            .iter()
            .find(|(seed_id, _)| seed_id == id)
            .map(|(_, s)| s.as_str())
            .expect("seed row");
        assert_eq!(entry.status.code(), expected, "row {id} against the seed");
        if entry.status == Status::NotMet {
            not_met.push(id.clone());
        }
        assert_eq!(
            text(range.get_value((r, u32::from(col::STANDARD)))),
            entry.standard,
            "row {id} standard"
        );
        assert_eq!(
            text(range.get_value((r, u32::from(col::UNIT)))),
            entry.unit,
            "row {id} unit"
        );
    }
    assert_eq!(not_met, ["1", "20.1", "20.2", "24"]);
    assert_eq!(numbers, 29, "numeric values of the 2021 column, stored as numbers");
    // Spot checks against the plan's printed table.
    let row_of = |id: &str| FIRST_DATA_ROW + leaf_ids.iter().position(|leaf| leaf == id).expect("id") as u32;
    assert_eq!(
        range.get_value((row_of("3"), u32::from(col::VALUE))),
        Some(&Data::Float(21.4))
    );
    assert_eq!(
        range.get_value((row_of("9"), u32::from(col::VALUE))),
        Some(&Data::Float(61.87))
    );
    assert_eq!(
        range.get_value((row_of("24"), u32::from(col::VALUE))),
        Some(&Data::Float(50.0))
    );
    assert_eq!(
        range.get_value((row_of("1"), u32::from(col::VALUE))),
        Some(&Data::String("正在制定".into()))
    );
    // Targets: plain figures are numbers, other texts stay text.
    assert_eq!(
        range.get_value((row_of("9"), u32::from(col::FIRST_TARGET))),
        Some(&Data::Float(62.0))
    );
    assert_eq!(
        range.get_value((row_of("9"), u32::from(col::FIRST_TARGET) + 1)),
        Some(&Data::Float(62.5))
    );
    assert_eq!(
        text(range.get_value((row_of("3"), u32::from(col::FIRST_TARGET)))),
        "≥22"
    );
    assert_eq!(
        text(range.get_value((row_of("1"), u32::from(col::FIRST_TARGET) + 1))),
        "持续实施"
    );
    // Lead departments.
    assert_eq!(
        text(range.get_value((row_of("24"), u32::from(col::FIRST_TARGET) + 2))),
        "城中区卫生健康局"
    );
    // The indicator number is a number.
    assert_eq!(
        range.get_value((row_of("24"), u32::from(col::NUMBER))),
        Some(&Data::Float(24.0))
    );
}

#[test]
fn table_2_1_merges_domains_tasks_and_sub_indicators() {
    let loaded = example();
    let bytes = xlsx::workbook(
        &loaded.framework,
        &loaded.zone,
        &assess(&loaded.framework, &loaded.zone, 2021),
        &ecociv_core::assess_years(&loaded.framework, &loaded.zone, &loaded.zone.years()),
    )
    .expect("workbook");
    let mut book = open(bytes);
    let merges: Vec<(u32, u32, u32, u32)> = book
        .merge_cells_by_sheet_name(TABLE_2_1)
        .expect("merged regions")
        .iter()
        .map(|dims| (dims.start.0, dims.start.1, dims.end.0, dims.end.1))
        .collect();
    let range = book.worksheet_range(TABLE_2_1).expect("sheet");
    let leaf_ids: Vec<String> = loaded.framework.rows().map(|(_, row)| row.id.clone()).collect();
    let row_of = |id: &str| FIRST_DATA_ROW + leaf_ids.iter().position(|leaf| leaf == id).expect("id") as u32;
    let has = |first: u32, column: u16, last: u32, last_col: u16| {
        merges.contains(&(first, u32::from(column), last, u32::from(last_col)))
    };
    // 生态制度: indicators 1–6, one domain cell and one task cell over six lines.
    assert!(has(row_of("1"), col::DOMAIN, row_of("6"), col::DOMAIN), "{merges:?}");
    assert!(has(row_of("1"), col::TASK, row_of("6"), col::TASK));
    assert_eq!(text(range.get_value((row_of("1"), u32::from(col::DOMAIN)))), "生态制度");
    // Indicator 8 with three sub-indicators: number, name and attribute merged; sub names apart.
    assert!(has(row_of("8.1"), col::NUMBER, row_of("8.3"), col::NUMBER));
    assert!(has(row_of("8.1"), col::INDICATOR, row_of("8.3"), col::INDICATOR));
    assert!(has(row_of("8.1"), col::ATTRIBUTE, row_of("8.3"), col::ATTRIBUTE));
    assert_eq!(
        text(range.get_value((row_of("8.1"), u32::from(col::INDICATOR)))),
        "水环境质量"
    );
    assert_eq!(
        range.get_value((row_of("8.1"), u32::from(col::NUMBER))),
        Some(&Data::Float(8.0))
    );
    assert_eq!(
        text(range.get_value((row_of("8.2"), u32::from(col::SUB)))),
        "劣V类水体比例下降幅度"
    );
    // A plain indicator spans both name columns.
    assert!(has(row_of("9"), col::INDICATOR, row_of("9"), col::SUB));
    // The title spans the table.
    assert!(merges.iter().any(|(r, c, r2, _)| *r == 0 && *c == 0 && *r2 == 0));
    // Every domain appears once as a merged or single cell, in order.
    let domains: Vec<String> = (FIRST_DATA_ROW..FIRST_DATA_ROW + 44)
        .map(|r| text(range.get_value((r, u32::from(col::DOMAIN)))))
        .filter(|cell| !cell.is_empty())
        .collect();
    assert_eq!(
        domains,
        ["生态制度", "生态安全", "生态空间", "生态经济", "生态生活", "生态文化"]
    );
}

#[test]
fn table_4_1_sums_to_the_plans_total() {
    let loaded = example();
    let bytes = xlsx::workbook(
        &loaded.framework,
        &loaded.zone,
        &assess(&loaded.framework, &loaded.zone, 2021),
        &ecociv_core::assess_years(&loaded.framework, &loaded.zone, &loaded.zone.years()),
    )
    .expect("workbook");
    let mut book = open(bytes);
    let range = book.worksheet_range(TABLE_4_1).expect("sheet");
    let mut categories = Vec::new();
    let mut count = 0.0;
    let mut cents = 0i64;
    let mut r = 2;
    while let Some(Data::Float(number)) = range.get_value((r, 0)) {
        assert_eq!(*number, f64::from(r - 1));
        categories.push(text(range.get_value((r, 1))));
        let Some(Data::Float(projects)) = range.get_value((r, 3)) else {
            panic!("count at row {r} is not a number")
        };
        let Some(Data::Float(money)) = range.get_value((r, 4)) else {
            panic!("investment at row {r} is not a number")
        };
        count += projects;
        cents += (money * 100.0).round() as i64;
        r += 1;
    }
    assert_eq!(
        categories,
        ["生态制度", "生态安全", "生态空间", "生态经济", "生态生活", "生态文化"]
    );
    assert_eq!(count, 45.0);
    assert_eq!(cents, 39_622_977);
    // The total line: a formula whose cached result is the number.
    assert_eq!(text(range.get_value((r, 0))), "合计");
    assert_eq!(range.get_value((r, 3)), Some(&Data::Float(45.0)));
    assert_eq!(range.get_value((r, 4)), Some(&Data::Float(396229.77)));
    let formulas = book.worksheet_formula(TABLE_4_1).expect("formulas");
    assert_eq!(
        formulas.get_value((r, 4)).map(String::as_str),
        Some(&*format!("SUM(E3:E{r})"))
    );
    assert_eq!(xlsx::project_totals(&loaded.zone), (45, 396229.77));
}

#[test]
fn by_year_sheet_has_values_per_year() {
    let loaded = example();
    let years = loaded.zone.years();
    assert!(years.contains(&2017) && years.contains(&2021), "{years:?}");
    let bytes = xlsx::workbook(
        &loaded.framework,
        &loaded.zone,
        &assess(&loaded.framework, &loaded.zone, 2021),
        &ecociv_core::assess_years(&loaded.framework, &loaded.zone, &years),
    )
    .expect("workbook");
    let mut book = open(bytes);
    let range = book.worksheet_range(BY_YEAR).expect("sheet");
    let column_of = |year: i32| 4 + years.iter().position(|y| *y == year).expect("year") as u32;
    assert_eq!(text(range.get_value((1, column_of(2017)))), "2017年");
    let row_of = |id: &str| {
        (2..60)
            .find(|r| text(range.get_value((*r, 0))) == id)
            .unwrap_or_else(|| panic!("row {id} not found"))
    };
    // Chapter 1's 2017 energy intensity, and 2021's.
    assert_eq!(
        range.get_value((row_of("17"), column_of(2017))),
        Some(&Data::Float(0.1604))
    );
    assert_eq!(
        range.get_value((row_of("17"), column_of(2021))),
        Some(&Data::Float(0.1422))
    );
    assert_eq!(text(range.get_value((row_of("7.1"), 1))), "环境空气质量—优良天数比例");
}
