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
