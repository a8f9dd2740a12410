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
    assert_eq!(text(range.get_value((1, column_of(2017)))), "2017年（基准年前）");
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

/// A part of the workbook's zip, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).expect("part"), &mut text).expect("read");
    text
}

/// The attribute `name` of an XML start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// What a reader sees in each number cell of a sheet, as Excel or LibreOffice show it: the stored number
/// under the number format of the cell's style, read from the file's own XML (`xl/styles.xml`: the
/// `numFmt` codes and the `cellXfs` styles; the sheet: each `<c r= s=>` with its `<v>`). Only the formats
/// the writer uses are understood — `General`, `0`, `0.0…`, `#,##0.00` — any other fails the test.
fn shown_numbers(bytes: &[u8], sheet: usize) -> std::collections::HashMap<String, String> {
    let styles = part(bytes, "xl/styles.xml");
    let mut codes: std::collections::HashMap<String, String> = [("0", "General"), ("1", "0"), ("2", "0.00")]
        .into_iter()
        .map(|(id, code)| (id.to_string(), code.to_string()))
        .collect();
    for tag in styles.split("<numFmt ").skip(1) {
        let tag = format!(" {}", &tag[..tag.find('>').unwrap()]);
        let code = attribute(&tag, "formatCode").unwrap().replace("&quot;", "\"");
        codes.insert(attribute(&tag, "numFmtId").unwrap().to_string(), code);
    }
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let style_codes: Vec<String> = xfs
        .split("<xf ")
        .skip(1)
        .map(|tag| {
            let tag = format!(" {tag}");
            let id = attribute(&tag, "numFmtId").unwrap_or("0");
            codes.get(id).cloned().unwrap_or_else(|| panic!("number format {id}"))
        })
        .collect();
    let xml = part(bytes, &format!("xl/worksheets/sheet{sheet}.xml"));
    let mut shown = std::collections::HashMap::new();
    for cell in xml.split("<c ").skip(1) {
        let tag = format!(" {}", &cell[..cell.find('>').unwrap()]);
        if attribute(&tag, "t").is_some() {
            continue; // text, not a number
        }
        let Some(start) = cell.find("<v>") else { continue };
        let value: f64 = cell[start + 3..start + cell[start..].find("</v>").unwrap()]
            .parse()
            .unwrap();
        let style: usize = attribute(&tag, "s").map_or(0, |s| s.parse().unwrap());
        let code = &style_codes[style];
        let text = match code.as_str() {
            "General" => value.to_string(),
            // Excel rounds the decimal figure half away from zero, as the core's `fixed` does.
            "0" => ecociv_core::format::fixed(value, 0),
            "#,##0.00" => ecociv_core::format::fixed(value, 2),
            code if code.starts_with("0.") && code[2..].chars().all(|c| c == '0') => {
                ecociv_core::format::fixed(value, (code.len() - 2) as u8)
            }
            other => panic!("unexpected number format {other}"),
        };
        shown.insert(attribute(&tag, "r").unwrap().to_string(), text);
    }
    shown
}

/// The A1 reference of a 0-based (row, column).
fn a1(row: u32, column: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(column) + 1;
    while n > 0 {
        letters.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Issue 17: the workbook writes every figure through the one formatter — a number cell shows what the
/// pages and the Word report write (the row's precision: 83.333333 → `83.3`, 0.14215 → `0.1422`, a figure
/// never seeming to reach a bound it misses), a state as the row's state text — read back from the file's
/// own XML, for Table 2-1 and the values by year; the base year is named and a figure before it is not
/// painted as "no data"; no internal name in the notes.
#[test]
fn the_workbook_shows_each_rows_precision_states_and_base_year() {
    let mut loaded = example();
    // Figures with more decimals than the rows print, as a computation or an import gives them.
    for (id, figure) in [("7.1", 83.333333), ("17", 0.14215), ("5", 99.96), ("9", 61.8749)] {
        let observation = loaded
            .zone
            .observations
            .iter_mut()
            .find(|o| o.row == id && o.year == 2021)
            .unwrap_or_else(|| panic!("row {id} in 2021"));
        observation.value = Value::Number(figure);
    }
    let assessment = assess(&loaded.framework, &loaded.zone, 2021);
    let years = loaded.zone.years();
    assert!(years.contains(&2017), "{years:?}");
    let bytes = xlsx::workbook(
        &loaded.framework,
        &loaded.zone,
        &assessment,
        &ecociv_core::assess_years(&loaded.framework, &loaded.zone, &years),
    )
    .expect("workbook");
    let table = shown_numbers(&bytes, 1);
    let leaf_ids: Vec<String> = loaded.framework.rows().map(|(_, row)| row.id.clone()).collect();
    let mut book = open(bytes.clone());
    let range = book.worksheet_range(TABLE_2_1).expect("sheet");
    for (index, id) in leaf_ids.iter().enumerate() {
        let r = FIRST_DATA_ROW + index as u32;
        let entry = assessment.rows.iter().find(|entry| &entry.id == id).unwrap();
        match &entry.value {
            Some(Value::Number(number)) => assert_eq!(
                table.get(&a1(r, col::VALUE)).map(String::as_str),
                Some(entry.format.number(*number).as_str()),
                "row {id}: the cell shows what the formatter writes"
            ),
            Some(other) => assert_eq!(
                text(range.get_value((r, u32::from(col::VALUE)))),
                entry.format.value(other),
                "row {id}: the state text"
            ),
            None => {}
        }
    }
    let row_of = |id: &str| FIRST_DATA_ROW + leaf_ids.iter().position(|x| x == id).unwrap() as u32;
    assert_eq!(table[&a1(row_of("7.1"), col::VALUE)], "83.3");
    assert_eq!(table[&a1(row_of("17"), col::VALUE)], "0.1422");
    assert_eq!(
        table[&a1(row_of("5"), col::VALUE)],
        "99.96",
        "not 100 under the bound 100"
    );
    assert_eq!(table[&a1(row_of("9"), col::VALUE)], "61.87");
    let notes: String = range.rows().flatten().map(|cell| text(Some(cell))).collect();
    assert!(!notes.contains("ecociv"), "an internal name in the sheet");

    // The values by year: the same formatter, the base year named, 2017 a reference without a status fill.
    let by_year_shown = shown_numbers(&bytes, 3);
    let range = book.worksheet_range(BY_YEAR).expect("sheet");
    let header: Vec<String> = (0..range.width() as u32)
        .map(|c| text(range.get_value((1, c))))
        .collect();
    let column = |year: &str| header.iter().position(|h| h.starts_with(year)).unwrap() as u16;
    assert_eq!(header[usize::from(column("2017"))], "2017年（基准年前）");
    assert_eq!(header[usize::from(column("2021"))], "2021年（基准年）");
    let sheet_row = |id: &str| {
        (2..range.height() as u32)
            .find(|r| text(range.get_value((*r, 0))) == id)
            .unwrap()
    };
    assert_eq!(by_year_shown[&a1(sheet_row("7.1"), column("2021"))], "83.3");
    assert_eq!(by_year_shown[&a1(sheet_row("7.2"), column("2017"))], "38");
    assert_eq!(by_year_shown[&a1(sheet_row("17"), column("2017"))], "0.1604");
    // No fill on 2017's cells (the yellow of "cannot judge" is for judged years only).
    let xml = part(&bytes, "xl/worksheets/sheet3.xml");
    let styles = part(&bytes, "xl/styles.xml");
    let fill_of = |reference: &str| {
        let cell = &xml[xml.find(&format!("<c r=\"{reference}\"")).unwrap()..];
        let tag = format!(" {}", &cell[3..cell.find('>').unwrap()]);
        let style: usize = attribute(&tag, "s").unwrap().parse().unwrap();
        let xfs = &styles[styles.find("<cellXfs").unwrap()..];
        let xf = format!(" {}", xfs.split("<xf ").nth(style + 1).unwrap());
        attribute(&xf, "fillId").unwrap_or("0").to_string()
    };
    let plain = fill_of(&a1(sheet_row("7.1"), 0));
    assert_eq!(
        fill_of(&a1(sheet_row("7.2"), column("2017"))),
        plain,
        "2017 painted as a status"
    );
    assert_ne!(
        fill_of(&a1(sheet_row("7.2"), column("2021"))),
        plain,
        "2021 keeps its status colour"
    );
    let note: String = range.rows().flatten().map(|cell| text(Some(cell))).collect();
    assert!(note.contains("2021年为规划基准年"), "{note}");
}
