//! The CSV reader: grouping into periods, located errors, all or nothing.

use ecociv_noise::gb3096::{Period, Table, Verdict};
use ecociv_noise::ingest::read_and_judge;

fn run(text: &str) -> Result<Vec<ecociv_noise::ingest::PeriodResult>, Vec<ecociv_noise::ingest::IngestError>> {
    read_and_judge(text.as_bytes(), Table::embedded())
}

#[test]
fn readings_group_into_day_and_night_and_after_midnight_belongs_to_the_night_before() {
    let csv = "\u{feff}point,class,date,start,minutes,leq,lmax\n\
               P1,1类,2024-05-01,06:00,960,55.0,\n\
               P1,1,2024-05-01,22:00,120,44.0,58\n\
               P1,1,2024-05-02,00:00,360,46.0,61\n";
    let r = run(csv).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(
        (r[0].period, r[0].date.to_string()),
        (Period::Day, "2024-05-01".to_string())
    );
    assert_eq!(r[0].leq.verdict, Verdict::Meets);
    assert_eq!(r[0].minutes, 960.0);
    let night = &r[1];
    assert_eq!(
        (night.period, night.date.to_string()),
        (Period::Night, "2024-05-01".to_string())
    );
    assert_eq!(night.minutes, 480.0);
    // Ln = 10·lg((120·10^4.4 + 360·10^4.6)/480) = 45.6 dB > 45: exceeds by 0.6.
    assert_eq!(night.leq.level, 45.6);
    assert_eq!(night.leq.verdict, Verdict::Exceeds);
    assert!((night.leq.exceedance.unwrap() - 0.6).abs() < 1e-9);
    // The largest maximum level, 61, against 45 + 15 = 60: exceeds.
    let m = night.night_max.unwrap();
    assert_eq!((m.level, m.limit, m.verdict), (61.0, 60.0, Verdict::Exceeds));
}

#[test]
fn every_error_is_named_by_line_and_column_and_nothing_is_returned() {
    let csv = "point,class,date,start,minutes,leq\n\
               P1,1,2024-05-01,06:00,60,55\n\
               P1,2,2024-05-01,07:00,60,55\n\
               P2,4,2024-05-01,07:00,60,55\n\
               P3,2,2024-13-01,07:00,60,55\n\
               P4,2,2024-05-01,7h,60,55\n\
               P5,2,2024-05-01,21:30,60,55\n\
               P6,2,2024-05-01,08:00,60,loud\n\
               P7,2,2024-05-01,08:00,0,55\n\
               P8,2,2024-05-01,08:00,60\n";
    let errors = run(csv).unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let lines: Vec<u64> = errors.iter().map(|e| e.line.unwrap_or(0)).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9, 10], "{shown:#?}");
    assert!(
        shown[0].contains("column 2 (class)") && shown[0].contains("line 2"),
        "{}",
        shown[0]
    );
    assert!(shown[1].contains("0、1、2、3、4a、4b"));
    assert!(shown[2].contains("column 3 (date)"));
    assert!(shown[3].contains("column 4 (start)"));
    assert!(shown[4].contains("跨越昼夜分界"), "{}", shown[4]);
    assert!(shown[5].contains("column 6 (leq)"));
    assert!(shown[6].contains("大于 0"));
    assert!(shown[7].contains("表头有 6 个"));
}

#[test]
fn more_minutes_than_the_period_has_are_refused() {
    let csv = "point,class,date,start,minutes,leq\nP1,2,2024-05-01,06:00,960,55\nP1,2,2024-05-01,06:00,60,55\n";
    let errors = run(csv).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(3));
    assert!(errors[0].message.contains("960"), "{}", errors[0]);
}

#[test]
fn a_missing_column_and_an_empty_file_are_refused() {
    let e = run("point,class,date,start,minutes\n").unwrap_err();
    assert!(e[0].message.contains("leq"));
    assert!(run("").is_err());
    assert!(run("point,class,date,start,minutes,leq\n").unwrap().is_empty());
}

#[test]
fn hostile_bytes_do_not_panic() {
    for input in [
        &b"point,class,date,start,minutes,leq\n\xff\xfe,1,2024-05-01,06:00,60,55\n"[..],
        b"point,class,date,start,minutes,leq\n\"unterminated,1,2024-05-01,06:00,60,55\n",
        b"point,class,date,start,minutes,leq\nP,1,9999-12-31,23:00,60,1e308\n",
        b"point,class,date,start,minutes,leq\nP,1,-009999-01-01,01:00,60,55\n",
        b"\n\n\n",
    ] {
        let _ = read_and_judge(input, Table::embedded());
    }
}
