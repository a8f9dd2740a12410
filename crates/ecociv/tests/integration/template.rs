//! `ecociv template export|import`: the round trip through a zone directory's values.csv.

use std::path::Path;

use crate::support::{ecociv, repo, scratch, stderr, stdout};

#[allow(dead_code)]
#[path = "../../../ecociv-report/tests/integration/fill.rs"]
pub mod fill;
use fill::{Fill, fill};

pub const SHEET_XML: &str = "xl/worksheets/sheet1.xml";

pub fn copy_zone(to: &Path) {
    std::fs::create_dir_all(to).expect("zone dir");
    for file in ["zone.toml", "values.csv", "projects.csv"] {
        std::fs::copy(repo().join("data/zones/450202").join(file), to.join(file)).expect("copy");
    }
}

pub fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn export_fill_refuse_fix_import() {
    let dir = scratch("template");
    let zone = dir.join("zone");
    copy_zone(&zone);
    let original = std::fs::read(zone.join("values.csv")).expect("values");
    let template = dir.join("卫健局-2022.xlsx");
    let output = ecociv(&[
        "template",
        "export",
        "--zone",
        s(&zone),
        "--department",
        "城中区卫生健康局",
        "--year",
        "2022",
        "--out",
        s(&template),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&template).expect("template written");
    // Row 24 is the department's only row: line 5 of the sheet (title, info, notes, header, then rows).
    let bad = dir.join("bad.xlsx");
    std::fs::write(&bad, fill(&bytes, SHEET_XML, &[("G5", Fill::Text("百分之九十"))])).expect("write");
    let output = ecociv(&["template", "import", "--zone", s(&zone), "--file", s(&bad)]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("G5") && message.contains("填报表") && message.contains("百分之九十"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(zone.join("values.csv")).expect("values"),
        original,
        "nothing written on refusal"
    );

    let good = dir.join("卫健局-2022-fixed.xlsx");
    std::fs::write(
        &good,
        fill(
            &bytes,
            SHEET_XML,
            &[("G5", Fill::Text("92.5")), ("I5", Fill::Text("区疾控中心水质监测年报"))],
        ),
    )
    .expect("write");
    let output = ecociv(&["template", "import", "--zone", s(&zone), "--file", s(&good)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("G5 24 = 92.5"), "{}", stdout(&output));
    let after = std::fs::read(zone.join("values.csv")).expect("values");
    assert!(after.starts_with(&original), "earlier lines are kept byte for byte");
    let added = String::from_utf8(after[original.len()..].to_vec()).expect("utf-8");
    assert_eq!(added.lines().count(), 1, "{added}");
    assert!(added.starts_with("24,2022,92.5,,,"), "{added}");
    assert!(
        added.contains("卫健局-2022-fixed.xlsx") && added.contains("区疾控中心水质监测年报"),
        "{added}"
    );

    // The value is now on record, with its history and its evidence.
    let output = ecociv(&["assess", "--zone", s(&zone), "--year", "2022", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let row = json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["id"] == "24")
        .expect("24")
        .clone();
    assert_eq!(row["value"], 92.5);
    assert_eq!(row["status"], "not_met");
    assert!(
        row["source"]["description"]
            .as_str()
            .expect("source")
            .contains("卫健局-2022-fixed.xlsx")
    );
    let output = ecociv(&["assess", "--zone", s(&zone), "--year", "2021", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let row = json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["id"] == "24")
        .expect("24")
        .clone();
    assert_eq!(row["value"], 50.0, "2021 unchanged");

    // A correction for the same year is a new revision: a later line, the earlier one kept as history.
    let corrected = dir.join("卫健局-2022-corrected.xlsx");
    std::fs::write(
        &corrected,
        fill(
            &bytes,
            SHEET_XML,
            &[("G5", Fill::Text("100")), ("I5", Fill::Text("复核更正"))],
        ),
    )
    .expect("write");
    let output = ecociv(&["template", "import", "--zone", s(&zone), "--file", s(&corrected)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let revised = std::fs::read(zone.join("values.csv")).expect("values");
    assert!(
        revised.starts_with(&after),
        "the earlier revision is kept byte for byte"
    );
    let history = String::from_utf8(revised).expect("utf-8");
    assert_eq!(
        history.lines().filter(|line| line.starts_with("24,2022,")).count(),
        2,
        "{history}"
    );
    let output = ecociv(&["assess", "--zone", s(&zone), "--year", "2022", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let row = json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["id"] == "24")
        .expect("24")
        .clone();
    assert_eq!(row["value"], 100.0, "the latest revision is in force");
    assert_eq!(row["status"], "met");
}

#[test]
fn bundled_zones_are_read_only_and_departments_are_checked() {
    let dir = scratch("template-ro");
    let output = ecociv(&[
        "template",
        "import",
        "--zone",
        "450202",
        "--file",
        s(&dir.join("x.xlsx")),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("只读"), "{}", stderr(&output));
    let output = ecociv(&[
        "template",
        "export",
        "--zone",
        "450202",
        "--department",
        "不存在",
        "--year",
        "2022",
        "--out",
        s(&dir.join("x.xlsx")),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("城中区卫生健康局"), "{}", stderr(&output));
    assert!(!dir.join("x.xlsx").exists());
}

/// Imports running at the same time each add their line: the ledger is read, extended and replaced
/// under a lock, so no import starts from a ledger another one is about to replace.
#[test]
fn concurrent_imports_lose_no_line() {
    let dir = scratch("template-concurrent");
    let zone = dir.join("zone");
    copy_zone(&zone);
    let before = std::fs::read_to_string(zone.join("values.csv"))
        .expect("values")
        .lines()
        .count();
    let template = dir.join("t.xlsx");
    let output = ecociv(&[
        "template",
        "export",
        "--zone",
        s(&zone),
        "--department",
        "城中区卫生健康局",
        "--year",
        "2022",
        "--out",
        s(&template),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&template).expect("template");
    let imports = 8;
    let files: Vec<std::path::PathBuf> = (0..imports)
        .map(|n| {
            let path = dir.join(format!("filled-{n}.xlsx"));
            std::fs::write(&path, fill(&bytes, SHEET_XML, &[("G5", Fill::Text(&format!("9{n}")))])).expect("write");
            path
        })
        .collect();
    let children: Vec<std::process::Child> = files
        .iter()
        .map(|file| {
            std::process::Command::new(env!("CARGO_BIN_EXE_ecociv"))
                .args(["template", "import", "--zone", s(&zone), "--file", s(file)])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let after = std::fs::read_to_string(zone.join("values.csv")).expect("values");
    assert_eq!(after.lines().count(), before + imports, "{after}");
    for n in 0..imports {
        assert!(
            after.lines().any(|line| line.starts_with(&format!("24,2022,9{n},"))),
            "import {n} kept"
        );
    }
}
