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
    assert_eq!(error.problems[0].cell, v20, "{error}");
    assert!(error.problems[0].reason.contains("公式"), "{error}");
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
        assert_eq!(error.problems[0].cell, v20, "{raw}: {error}");
    }
}
