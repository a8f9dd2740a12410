//! `ecociv report`: the files it writes, read back.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::support::{ecociv, scratch, stderr};

#[test]
fn writes_xlsx_csv_and_json() {
    let dir = scratch("report");
    let xlsx = dir.join("450202-2021.xlsx");
    let output = ecociv(&[
        "report",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(&xlsx).expect("xlsx written"))).expect("xlsx");
    let range = book.worksheet_range(ecociv_report_sheet()).expect("Table 2-1");
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String(
            "表2-1 柳州市城中区生态文明建设示范区指标体系（2021年）".into()
        ))
    );

    let csv = dir.join("open.csv");
    let output = ecociv(&[
        "report",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--from",
        "2017",
        "--format",
        "csv",
        "--out",
        csv.to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&csv).expect("csv written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(
        text.lines()
            .any(|line| line.starts_with("450202,柳州市城中区,2017,17,")),
        "2017 in range"
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with("450202,柳州市城中区,2021,24,") && line.contains(",not_met,"))
    );

    let json = dir.join("open.json");
    let output = ecociv(&[
        "report",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--format",
        "json",
        "--out",
        json.to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).expect("json")).expect("JSON");
    assert_eq!(value["zone"], "450202");
    assert!(
        value["years"]
            .as_array()
            .expect("years")
            .contains(&serde_json::json!(2021))
    );
}

#[test]
fn refuses_an_empty_range_and_a_missing_directory() {
    let output = ecociv(&[
        "report", "--zone", "450202", "--year", "2021", "--from", "2022", "--format", "csv", "--out", "x.csv",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--from"), "{}", stderr(&output));
    let output = ecociv(&[
        "report",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--format",
        "csv",
        "--out",
        "/nonexistent-dir/x.csv",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("目录不存在"), "{}", stderr(&output));
}

fn ecociv_report_sheet() -> &'static str {
    "表2-1 指标体系"
}

#[test]
fn writes_the_word_report() {
    let dir = scratch("report-docx");
    let docx = dir.join("report.docx");
    let output = ecociv(&[
        "report",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--format",
        "docx",
        "--out",
        docx.to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&docx).expect("docx written");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("docx is a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").expect("document"), &mut xml)
        .expect("read");
    assert!(xml.contains("2021年度自评估报告"));
    // The progress evaluation ran: the summary states its result rather than its absence.
    assert!(xml.contains("按规划目标进展评估") && !xml.contains("本报告未包含规划目标进展预警"));
    let output = ecociv(&[
        "report",
        "--zone",
        "450202",
        "--year",
        "2021",
        "--format",
        "docx",
        "--no-progress",
        "--out",
        docx.to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut archive = zip::ZipArchive::new(Cursor::new(std::fs::read(&docx).expect("docx"))).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").expect("document"), &mut xml)
        .expect("read");
    assert!(xml.contains("本报告未包含规划目标进展预警"));
}
