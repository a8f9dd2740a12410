//! Registers' Excel templates (issue 13): a kind's template has its columns in the CSV's order with the
//! lists of its choices and states; a filled workbook reads back into the records the CSV gives; a bad
//! cell refuses the whole workbook, naming the sheet and the cell.

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use ecociv_report::ledger::{SHEET, read, template};
use rust_xlsxwriter::Workbook;

fn hazard_kind() -> ecociv_ledger::Kind {
    let framework = ecociv_data::bundled::framework("national-2021").unwrap();
    ecociv_ledger::bundled::kinds(&framework)
        .unwrap()
        .into_iter()
        .find(|k| k.id == "risk_hazard")
        .unwrap()
}

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if let Ok(n) = text.parse::<f64>() {
                sheet.write_number(r as u32, c as u16, n).unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn the_template_has_the_kinds_columns_in_csv_order() {
    let kind = hazard_kind();
    let bytes = template(&kind).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let range = book.worksheet_range(SHEET).unwrap();
    let header: Vec<String> = (0..range.width() as u32)
        .map(|c| range.get_value((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let names: Vec<String> = ecociv_ledger::record::columns(&kind)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(header, names);
    // The states' drop-down list is in the sheet's validations.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("登记,整改中,销号"), "{xml}");
    // The empty template reads as no records (header only).
    assert_eq!(read("t.xlsx", &template(&kind).unwrap(), &kind).unwrap().len(), 0);
}

#[test]
fn a_filled_workbook_reads_as_the_csv_does_and_a_bad_cell_is_named() {
    let kind = hazard_kind();
    let header = [
        "编号",
        "单位或地点",
        "隐患描述",
        "隐患等级",
        "发现日期",
        "整改期限",
        "状态",
        "状态日期",
    ];
    let rows: Vec<&[&str]> = vec![
        &header,
        &[
            "YH1",
            "仓库",
            "围堰破损",
            "一般",
            "2024-04-01",
            "",
            "登记",
            "2024-04-01",
        ],
        &[
            "YH1",
            "仓库",
            "围堰破损",
            "一般",
            "2024-04-01",
            "",
            "销号",
            "2024-06-01",
        ],
    ];
    let from_xlsx = read("h.xlsx", &workbook(&rows), &kind).unwrap();
    let csv = format!(
        "{}\nYH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-04-01\nYH1,仓库,围堰破损,一般,2024-04-01,,销号,2024-06-01\n",
        header.join(",")
    );
    let from_csv = ecociv_ledger::read_csv("h.xlsx", csv.as_bytes(), &kind).unwrap();
    assert_eq!(from_xlsx, from_csv);

    let bad: Vec<&[&str]> = vec![
        &header,
        &[
            "YH1",
            "仓库",
            "围堰破损",
            "一般",
            "2024-04-01",
            "",
            "登记",
            "2024-04-01",
        ],
        &[
            "YH2",
            "加油站",
            "油气回收异常",
            "特大",
            "2024-13-01",
            "",
            "登记",
            "2024-10-12",
        ],
    ];
    let error = read("h.xlsx", &workbook(&bad), &kind).unwrap_err();
    let places: Vec<(Option<&str>, Option<&str>, Option<&str>)> = error
        .problems
        .iter()
        .map(|p| (p.sheet(), p.cell(), p.field.as_deref()))
        .collect();
    assert_eq!(
        places,
        vec![
            (Some("记录"), Some("D3"), Some("隐患等级(grade)")),
            (Some("记录"), Some("E3"), Some("发现日期(found_date)"))
        ],
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("h.xlsx: 工作表“记录”单元格 D3（隐患等级(grade)）/ sheet 记录, cell D3 (隐患等级(grade)): "),
        "{error}"
    );
    assert!(error.problems.iter().all(|p| p.line == Some(3) && p.file == "h.xlsx"));
    // Not a workbook at all.
    assert!(read("h.xlsx", b"not a zip", &kind).is_err());
}
