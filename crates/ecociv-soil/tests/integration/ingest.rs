//! The CSV readers: judgements per line, located errors, all or nothing.

use ecociv_soil::ingest::{read_development, read_farmland};
use ecociv_soil::{gb15618, gb36600};

#[test]
fn a_development_file_is_judged_line_by_line() {
    let csv = "\u{feff}sample,class,item,value\nS1,1,as,25\nS1,1,铅,900\nS2,,苯,0.5\nS3,第二类用地,18540-29-9,6\n";
    let rows = read_development(csv.as_bytes(), gb36600::Table::embedded()).unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.line, r.sample.as_str(), r.judgement.level))
        .collect();
    assert_eq!(
        got,
        [
            (2, "S1", gb36600::Level::AboveScreening),
            (3, "S1", gb36600::Level::AboveIntervention),
            (4, "S2", gb36600::Level::AtOrBelowScreening),
            (5, "S3", gb36600::Level::AboveScreening),
        ]
    );
    assert_eq!(
        rows[2].judgement.class,
        gb36600::LandClass::First,
        "empty class: planned use unclear → first"
    );
    assert_eq!(rows[3].judgement.intervention, 78.0);
}

#[test]
fn a_farmland_file_is_judged_line_by_line() {
    let csv =
        "sample,land,ph,item,value\nF1,水田,6.0,cd,0.5\nF1,水田,6.0,汞,3.0\nF2,果园,8,cu,199\nF3,旱地,5.0,zn,201\n";
    let rows = read_farmland(csv.as_bytes(), gb15618::Table::embedded()).unwrap();
    let got: Vec<_> = rows.iter().map(|r| r.judgement.level).collect();
    use gb15618::Level::*;
    assert_eq!(got, [SafeUse, AboveIntervention, AtOrBelowScreening, AboveScreening]);
    assert_eq!(rows[2].judgement.screening, 200.0);
}

#[test]
fn every_error_is_named_and_nothing_is_returned() {
    let csv = "sample,land,ph,item,value\n\
               F1,水田,6.0,cd,0.5\n\
               F1,旱地,6.0,hg,0.5\n\
               F2,茶园,6.0,cd,0.5\n\
               F3,水田,15,cd,0.5\n\
               F4,水田,6,石油烃,1\n\
               F5,水田,6,cd,-1\n\
               F1,水田,6.0,cd,0.7\n\
               F6,水田,6,cd\n";
    let errors = read_farmland(csv.as_bytes(), gb15618::Table::embedded()).unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors.iter().map(|e| e.line.unwrap_or(0)).collect::<Vec<_>>(),
        [3, 4, 5, 6, 7, 8, 9],
        "{shown:#?}"
    );
    assert!(
        shown[0].contains("column 2 (land)") && shown[0].contains("line 2"),
        "{}",
        shown[0]
    );
    assert!(shown[1].contains("茶园"));
    assert!(shown[2].contains("column 3 (ph)"));
    assert!(shown[3].contains("column 4 (item)"));
    assert!(shown[4].contains("column 5 (value)"));
    assert!(shown[5].contains("已在第 2 行"), "{}", shown[5]);
    assert!(shown[6].contains("表头有 5 个"));

    let dev = "sample,class,item,value\nS1,3,as,1\nS2,1,as,abc\nS3,1,gold,1\n";
    let errors = read_development(dev.as_bytes(), gb36600::Table::embedded()).unwrap_err();
    assert_eq!(
        errors.iter().map(|e| e.line.unwrap_or(0)).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    let missing = read_development("sample,item,value\n".as_bytes(), gb36600::Table::embedded()).unwrap_err();
    assert!(missing[0].message.contains("class"));
}

#[test]
fn hostile_bytes_do_not_panic() {
    for input in [
        &b"sample,land,ph,item,value\n\xff,\xfe,1,cd,1\n"[..],
        b"sample,land,ph,item,value\n\"open,1,2,3\n",
        b"sample,land,ph,item,value\nA,paddy,NaN,cd,1e400\n",
        b"",
    ] {
        let _ = read_farmland(input, gb15618::Table::embedded());
        let _ = read_development(input, gb36600::Table::embedded());
    }
}
