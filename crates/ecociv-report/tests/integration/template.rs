//! Department templates: export, fill, import refused with the cell named, fix, import accepted.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};
use ecociv_core::{Assigned, Source, Value, assess};
use ecociv_report::template::{self, HEADER_ROW, INPUT_SHEET, META_SHEET, col};

use crate::example;
use crate::fill::{Fill, fill};

const SHEET_XML: &str = "xl/worksheets/sheet1.xml";

fn rows_of(bytes: &[u8]) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = book.worksheet_range(INPUT_SHEET).expect("input sheet");
    (HEADER_ROW + 1..range.end().map(|(r, _)| r + 1).unwrap_or(0))
        .filter_map(|r| {
            range
                .get_value((r, u32::from(col::ID)))
                .and_then(|cell| cell.get_string())
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn export_has_exactly_the_departments_rows() {
    let loaded = example();
    let bytes = template::export(&loaded.framework, &loaded.zone, "城中区卫生健康局", 2022).expect("template");
    assert_eq!(rows_of(&bytes), ["24"]);
    let bytes = template::export(&loaded.framework, &loaded.zone, "城中区农业农村局", 2022).expect("template");
    let expected: Vec<String> = loaded
        .framework
        .rows()
        .filter(|(_, row)| {
            loaded
                .zone
                .plan
                .lead_departments
                .get(&row.id)
                .is_some_and(|l| l.iter().any(|d| d == "城中区农业农村局"))
        })
        .map(|(_, row)| row.id.clone())
        .collect();
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(rows_of(&bytes), expected);
    // The meta sheet records the identity; the input sheet is protected with unlocked input cells.
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("xlsx");
    let meta = book.worksheet_range(META_SHEET).expect("meta");
    assert_eq!(meta.get_value((1, 1)), Some(&Data::String("450202".into())));
    assert_eq!(meta.get_value((3, 1)), Some(&Data::String("城中区农业农村局".into())));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(SHEET_XML).expect("sheet1"), &mut sheet).expect("read");
    assert!(sheet.contains("<sheetProtection"), "input sheet is protected");
    assert!(
        sheet.contains("<dataValidation") && sheet.contains("type=\"list\""),
        "drop-down lists present"
    );
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/styles.xml").expect("styles"), &mut styles).expect("read");
    assert!(styles.contains("locked=\"0\""), "input cells are unlocked");
    // An unknown department is refused with the list of known ones.
    let error = template::export(&loaded.framework, &loaded.zone, "不存在的局", 2022).expect_err("unknown department");
    assert!(error.to_string().contains("城中区卫生健康局"), "{error}");
}

#[test]
fn round_trip_refuses_a_bad_cell_then_accepts_the_fixed_file() {
    let loaded = example();
    let department = "城中区农业农村局";
    let bytes = template::export(&loaded.framework, &loaded.zone, department, 2022).expect("template");
    let ids = rows_of(&bytes);
    let cell = |id: &str, column: u16| {
        template::cell_name(
            HEADER_ROW + 1 + ids.iter().position(|x| x == id).expect("row") as u32,
            column,
        )
    };
    // 4 河长制 takes states; 20.1 化肥利用率 a number in %; 21.2 畜禽粪污 a number.
    let v4 = cell("4", col::VALUE);
    let v20 = cell("20.1", col::VALUE);
    let a20 = cell("20.1", col::ASSIGNED);
    let v21 = cell("21.2", col::VALUE);
    let bad = fill(
        &bytes,
        SHEET_XML,
        &[
            (v4.as_str(), Fill::Text("全面实施")),
            (v20.as_str(), Fill::Text("四十二")),
            (a20.as_str(), Fill::Text("完成")),
            (v21.as_str(), Fill::Number(91.0)),
        ],
    );
    let error = template::import(&loaded.framework, &loaded.zone, &bad, "农业农村局-2022.xlsx").expect_err("refused");
    assert_eq!(error.problems.len(), 1, "{error}");
    assert_eq!(error.problems[0].cell(), Some(v20.as_ref()));
    assert_eq!(error.problems[0].sheet(), Some(INPUT_SHEET));
    assert!(
        error.to_string().contains(&v20) && error.to_string().contains("四十二"),
        "{error}"
    );

    // Out of range is refused too.
    let out_of_range = fill(&bytes, SHEET_XML, &[(v20.as_str(), Fill::Text("142"))]);
    let error = template::import(&loaded.framework, &loaded.zone, &out_of_range, "x.xlsx").expect_err("refused");
    assert_eq!(error.problems[0].cell(), Some(v20.as_ref()), "{error}");

    let fixed = fill(
        &bytes,
        SHEET_XML,
        &[
            (v4.as_str(), Fill::Text("全面实施")),
            (v20.as_str(), Fill::Text("42.5%")),
            (a20.as_str(), Fill::Text("完成")),
            (v21.as_str(), Fill::Number(91.0)),
        ],
    );
    let imported = template::import(&loaded.framework, &loaded.zone, &fixed, "农业农村局-2022.xlsx").expect("accepted");
    assert_eq!(imported.year, 2022);
    assert_eq!(imported.department, department);
    let values: Vec<(String, Value)> = imported
        .values
        .iter()
        .map(|v| (v.observation.row.clone(), v.observation.value.clone()))
        .collect();
    assert_eq!(
        values,
        [
            ("4".to_string(), Value::State("全面实施".into())),
            ("20.1".into(), Value::Number(42.5)),
            ("21.2".into(), Value::Number(91.0))
        ]
    );
    let row20 = &imported.values[1];
    assert_eq!(row20.observation.assigned, Some(Assigned::Verdict(true)));
    assert_eq!(row20.cell, v20);
    match &row20.observation.source {
        Source::Document { citation } => assert!(
            citation.contains("农业农村局-2022.xlsx") && citation.contains(department),
            "{citation}"
        ),
        other => panic!("source should name the file: {other:?}"),
    }
    // The accepted values judge like any other: 20.1 at 42.5 % is below ≥43.
    let mut zone = loaded.zone.clone();
    zone.override_with(imported.values.iter().map(|v| v.observation.clone()));
    let assessment = assess(&loaded.framework, &zone, 2022);
    let row = assessment.rows.iter().find(|r| r.id == "20.1").expect("20.1");
    assert_eq!(row.value, Some(Value::Number(42.5)));
    assert_eq!(row.status, ecociv_core::Status::NotMet);
}

#[test]
fn import_refuses_foreign_or_tampered_files() {
    let loaded = example();
    // Not an xlsx at all.
    let error = template::import(&loaded.framework, &loaded.zone, b"not a zip", "x.xlsx").expect_err("refused");
    assert!(error.to_string().contains("xlsx"), "{error}");
    // An xlsx that is not a template (Table 2-1 workbook).
    let other = ecociv_report::xlsx::workbook(
        &loaded.framework,
        &loaded.zone,
        &assess(&loaded.framework, &loaded.zone, 2021),
        &ecociv_core::assess_years(&loaded.framework, &loaded.zone, &loaded.zone.years()),
    )
    .expect("workbook");
    let error = template::import(&loaded.framework, &loaded.zone, &other, "x.xlsx").expect_err("refused");
    assert_eq!(error.problems[0].sheet(), Some(META_SHEET));
    // A template with nothing filled in.
    let empty = template::export(&loaded.framework, &loaded.zone, "城中区卫生健康局", 2022).expect("template");
    let error = template::import(&loaded.framework, &loaded.zone, &empty, "x.xlsx").expect_err("refused");
    assert!(error.to_string().contains("没有填写"), "{error}");
    // An assigned value without a value is refused at the value's cell; with a value it is accepted.
    let first = template::cell_name(HEADER_ROW + 1, col::VALUE);
    let assigned = template::cell_name(HEADER_ROW + 1, col::ASSIGNED);
    let only_assigned = fill(&empty, SHEET_XML, &[(assigned.as_str(), Fill::Text("完成"))]);
    let error = template::import(&loaded.framework, &loaded.zone, &only_assigned, "x.xlsx").expect_err("refused");
    assert_eq!(error.problems[0].cell(), Some(first.as_ref()), "{error}");
    let both = fill(&only_assigned, SHEET_XML, &[(first.as_str(), Fill::Number(100.0))]);
    assert!(template::import(&loaded.framework, &loaded.zone, &both, "x.xlsx").is_ok());
    // A template of another zone year is fine, but another zone's is refused (zone code in the meta sheet).
    let mut other_zone = loaded.zone.clone();
    other_zone.profile.code = "450203".into();
    let error = template::import(&loaded.framework, &other_zone, &both, "x.xlsx").expect_err("refused");
    assert_eq!(error.problems[0].cell(), Some("B2"), "{error}");
}
