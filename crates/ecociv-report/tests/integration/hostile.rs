//! Issue 20 regressions for templates: a cell the reader cannot see a value in is refused with the cell
//! named, never treated as empty (which used to drop the row silently: "已导入 1 个数值").

use std::io::Cursor;

use calamine::{DataType, Reader, Xlsx, open_workbook_from_rs};
use ecociv_report::template::{self, HEADER_ROW, INPUT_SHEET, col};

use crate::example;
use crate::fill::{Fill, fill};

const SHEET_XML: &str = "xl/worksheets/sheet1.xml";
const DEPARTMENT: &str = "城中区农业农村局";

/// The exported template and the value cells of rows 20.1 and 21.2.
fn template_cells() -> (Vec<u8>, String, String) {
    let loaded = example();
    let bytes = template::export(&loaded.framework, &loaded.zone, DEPARTMENT, 2022).expect("template");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("xlsx");
    let range = book.worksheet_range(INPUT_SHEET).expect("input sheet");
    let row_of = |id: &str| {
        (HEADER_ROW + 1..range.end().map(|(r, _)| r + 1).unwrap_or(0))
            .find(|r| range.get_value((*r, u32::from(col::ID))).and_then(|c| c.get_string()) == Some(id))
            .expect("row")
    };
    let v20 = template::cell_name(row_of("20.1"), col::VALUE);
    let v21 = template::cell_name(row_of("21.2"), col::VALUE);
    (bytes, v20, v21)
}

fn import(bytes: &[u8]) -> Result<template::Imported, template::ImportError> {
    let loaded = example();
    template::import(&loaded.framework, &loaded.zone, bytes, "t.xlsx")
}

#[test]
fn a_formula_without_a_cached_value_is_refused_with_its_cell() {
    let (bytes, v20, v21) = template_cells();
    let filled = fill(
        &bytes,
        SHEET_XML,
        &[
            (v20.as_str(), Fill::Formula("40+2", None)),
            (v21.as_str(), Fill::Number(91.0)),
        ],
    );
    let error = import(&filled).expect_err("refused");
    assert_eq!(error.problems.len(), 1, "{error}");
    assert_eq!(error.problems[0].cell(), Some(v20.as_ref()), "{error}");
    assert!(error.problems[0].message.contains("公式"), "{error}");
    // With its cached result (as Excel and LibreOffice save), the formula's value is read.
    let cached = fill(
        &bytes,
        SHEET_XML,
        &[
            (v20.as_str(), Fill::Formula("40+2", Some("42"))),
            (v21.as_str(), Fill::Number(91.0)),
        ],
    );
    let imported = import(&cached).expect("accepted");
    assert_eq!(imported.values.len(), 2, "{imported:?}");
}

#[test]
fn a_numeric_infinity_or_unreadable_number_is_refused_with_its_cell() {
    let (bytes, v20, v21) = template_cells();
    for raw in ["INF", "1e999", "-inf", "NaN", "abc"] {
        let filled = fill(
            &bytes,
            SHEET_XML,
            &[(v20.as_str(), Fill::RawNumber(raw)), (v21.as_str(), Fill::Number(91.0))],
        );
        let error = import(&filled).expect_err(raw);
        assert_eq!(error.problems.len(), 1, "{raw}: {error}");
        assert_eq!(error.problems[0].cell(), Some(v20.as_ref()), "{raw}: {error}");
    }
}

/// CSV injection (OWASP): a text starting with `=`, `+`, `-` or `@` reached the open-data CSV (`/z/{code}/table.csv`,
/// `ecociv report --format csv`) and the workbook's string cells as is; a spreadsheet would run it as a formula.
/// Such text now gets a leading `'`; numbers (a value of -3.5) stay numbers.
#[test]
fn formula_leading_text_is_neutralised_in_csv_and_excel() {
    use ecociv_core::{Observation, Source, Value, assess};
    let mut loaded = example();
    let hostile = "=HYPERLINK(\"http://evil.example/\",\"点击\")";
    for observation in loaded.zone.observations.iter_mut().filter(|o| o.row == "3") {
        observation.source = Source::Document {
            citation: hostile.to_string(),
        };
    }
    loaded.zone.observations.push(Observation {
        row: "3".into(),
        year: 2030,
        value: Value::Number(-3.5),
        assigned: None,
        recorded: None,
        source: Source::Document {
            citation: "@SUM(1)".into(),
        },
    });
    for departments in loaded.zone.plan.lead_departments.values_mut() {
        departments.insert(0, "-2+3".into());
    }
    let assessments: Vec<_> = [2021, 2030]
        .iter()
        .map(|year| assess(&loaded.framework, &loaded.zone, *year))
        .collect();
    let bytes = ecociv_report::csv::open_data(&assessments).expect("csv");
    let mut reader = csv::Reader::from_reader(&bytes[ecociv_report::csv::BOM.len()..]);
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("records");
    let row = |year: &str| records.iter().find(|r| &r[2] == year && &r[3] == "3").expect("row 3");
    assert_eq!(&row("2021")[18], format!("'{hostile}"));
    assert_eq!(&row("2030")[18], "'@SUM(1)");
    assert_eq!(&row("2030")[12], "-3.5", "a number stays a number");
    assert!(row("2021")[17].starts_with("'-2+3"), "{}", &row("2021")[17]);
    for record in &records {
        for field in record {
            assert!(!field.starts_with(['=', '+', '@']), "{field}");
        }
    }

    // In the workbook the text stays as written and its cell gets the quote prefix (Excel's own `'`).
    let year = assess(&loaded.framework, &loaded.zone, 2021);
    let book = ecociv_report::xlsx::workbook(&loaded.framework, &loaded.zone, &year, std::slice::from_ref(&year))
        .expect("xlsx");
    let styles = zip_entry(&book, "xl/styles.xml");
    assert!(styles.contains("quotePrefix=\"1\""), "no quote prefix in the styles");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(book)).expect("xlsx");
    let mut found = false;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        found |= range
            .used_cells()
            .any(|cell| cell.2.get_string().is_some_and(|t| t.starts_with("-2+3")));
    }
    assert!(found, "the department text is kept as written");
    let plain_zone = example();
    let plain_year = assess(&plain_zone.framework, &plain_zone.zone, 2021);
    let plain = ecociv_report::xlsx::workbook(
        &plain_zone.framework,
        &plain_zone.zone,
        &plain_year,
        std::slice::from_ref(&plain_year),
    )
    .expect("xlsx");
    assert!(
        !zip_entry(&plain, "xl/styles.xml").contains("quotePrefix"),
        "only where needed"
    );
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .expect("entry")
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}
