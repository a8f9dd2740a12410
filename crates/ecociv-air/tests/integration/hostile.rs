//! Issue 20 regressions: unlucky daily input refused clearly instead of silently giving a wrong output.

use ecociv_air::EditionChoice;
use ecociv_air::ingest::{self, IngestError, ReadOptions};

const D: &str = "station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25\n";

fn daily(input: &str) -> Result<String, IngestError> {
    let mut out = Vec::new();
    let opts = ReadOptions {
        source: "d.csv".into(),
        skip_bad: false,
    };
    ingest::run_daily(input.as_bytes(), &mut out, &opts, EditionChoice::ByDate)?;
    Ok(String::from_utf8(out).unwrap())
}

fn input_err(r: Result<String, IngestError>) -> ingest::InputError {
    match r {
        Err(IngestError::Input(e)) => e,
        other => panic!("expected an input error, got {other:?}"),
    }
}

/// A station-day given twice was written twice. Dates are normalised (`2023/01/01` is `2023-01-01`, the
/// documented rule shared with water), so the re-spelled day is the same day and refused too.
#[test]
fn a_station_day_given_twice_is_refused() {
    let row = "A,2023-01-01,10,20,40,0.8,90,80,35\n";
    let e = input_err(daily(&format!("{D}{row}B,2023-01-01,1,1,1,1,1,1,1\n{row}")));
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("第 2 行"), "{e}");
    let e = input_err(daily(&format!("{D}{row}A,2023/01/01,10,20,40,0.8,90,80,35\n")));
    assert_eq!(e.line, Some(3), "{e}");
    // `2023/01/02` alone is read as 2023-01-02 and written in the one spelling.
    let out = daily(&format!("{D}{row}A,2023/01/02,10,20,40,0.8,90,80,35\n")).unwrap();
    assert!(out.contains("A,2023-01-02,"), "{out}");
}

/// NUL (and any control character) in a station name was accepted and written out.
#[test]
fn control_characters_in_a_station_name_are_refused() {
    let e = input_err(daily(&format!("{D}A\0B,2023-01-01,10,20,40,0.8,90,80,35\n")));
    assert_eq!((e.line, e.field.as_deref()), (Some(2), Some("station")), "{e}");
    assert!(e.message.contains("控制字符"), "{e}");
    let opts = ReadOptions {
        source: "h.csv".into(),
        skip_bad: false,
    };
    let hourly = "station,date,hour,so2,no2,pm10,co,o3,pm25\nA\u{1b}[31m,2023-01-01,0,1,1,1,1,1,1\n";
    let r = ingest::read_hourly(hourly.as_bytes(), &opts, |_| Ok(()));
    assert!(
        matches!(r, Err(IngestError::Input(ref e)) if e.field.as_deref() == Some("station")),
        "{r:?}"
    );
}

/// A station name that a spreadsheet would take for a formula is written with a leading `'` in the output CSV.
#[test]
fn formula_leading_station_names_are_neutralised_in_the_output() {
    let out = daily(&format!("{D}=1+2,2023-01-01,10,20,40,0.8,90,80,35\n")).unwrap();
    assert!(out.contains("\n'=1+2,2023-01-01,"), "{out}");
}
