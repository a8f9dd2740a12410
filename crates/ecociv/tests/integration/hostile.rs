//! Issue 20 regressions at the command line: hostile and unlucky arguments and files give a clear refusal or
//! a documented rule, never a silent wrong result.

use crate::support::*;

/// One year rule for every input path (`ecociv_core::value::YEARS`, 1949–2100): the CLI used to accept
/// `--year 0` and `--year 2147483647` while the API refused them.
#[test]
fn years_outside_the_one_rule_are_refused_by_every_subcommand() {
    for year in ["0", "1948", "2101", "2147483647"] {
        for args in [
            vec!["assess", "--zone", "450202", "--year", year],
            vec!["targets", "--zone", "450202", "--year", year],
            vec!["progress", "--zone", "450202", "--target-year", year],
            vec![
                "report",
                "--zone",
                "450202",
                "--year",
                year,
                "--out",
                "/nonexistent/x.xlsx",
            ],
            vec![
                "report",
                "--zone",
                "450202",
                "--year",
                "2021",
                "--from",
                year,
                "--out",
                "/nonexistent/x.xlsx",
            ],
            vec![
                "template",
                "export",
                "--zone",
                "450202",
                "--department",
                "市生态环境局",
                "--year",
                year,
            ],
        ] {
            let output = ecociv(&args);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
            assert!(stderr(&output).contains("1949"), "{args:?}: {}", stderr(&output));
        }
    }
    let output = ecociv(&["assess", "--zone", "450202", "--year", "2100"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Re-importing the same filled template used to append its lines again (the ledger grew with copies of the
/// values in force). An import whose values all equal the values in force writes nothing and says so; one
/// with some changed values appends only those.
#[test]
fn re_importing_the_same_template_changes_nothing() {
    use crate::template::{SHEET_XML, copy_zone, fill, s};
    let dir = scratch("reimport");
    let zone = dir.join("zone");
    copy_zone(&zone);
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
    let filled = dir.join("filled.xlsx");
    std::fs::write(
        &filled,
        fill::fill(&bytes, SHEET_XML, &[("G5", fill::Fill::Text("92.5"))]),
    )
    .expect("write");
    let output = ecociv(&["template", "import", "--zone", s(&zone), "--file", s(&filled)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let once = std::fs::read(zone.join("values.csv")).expect("values");
    let output = ecociv(&["template", "import", "--zone", s(&zone), "--file", s(&filled)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("未写入"), "{}", stdout(&output));
    assert_eq!(
        std::fs::read(zone.join("values.csv")).expect("values"),
        once,
        "nothing appended"
    );
    // A changed value is a new revision, as before.
    std::fs::write(
        &filled,
        fill::fill(&bytes, SHEET_XML, &[("G5", fill::Fill::Text("93"))]),
    )
    .expect("write");
    let output = ecociv(&["template", "import", "--zone", s(&zone), "--file", s(&filled)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let twice = std::fs::read(zone.join("values.csv")).expect("values");
    assert_eq!(String::from_utf8_lossy(&twice[once.len()..]).lines().count(), 1);
}
