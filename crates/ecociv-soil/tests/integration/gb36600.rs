//! Conformance tests for GB 36600-2018 Table 1 and clause 7.
//!
//! The expected values are typed here a second time (double entry): a typo in `data/gb36600-2018.csv` fails
//! `embedded_table_matches_the_standard`. Every value is tested at, just inside and just outside.

use ecociv_soil::Confidence;
use ecociv_soil::gb36600::{LandClass, Level, Table};

/// (name, screening first/second, intervention first/second), mg/kg, Table 1 rows 1–45 in order.
const TABLE_1: &[(&str, [f64; 4])] = &[
    ("砷", [20.0, 60.0, 120.0, 140.0]),
    ("镉", [20.0, 65.0, 47.0, 172.0]),
    ("铬（六价）", [3.0, 5.7, 30.0, 78.0]),
    ("铜", [2000.0, 18000.0, 8000.0, 36000.0]),
    ("铅", [400.0, 800.0, 800.0, 2500.0]),
    ("汞", [8.0, 38.0, 33.0, 82.0]),
    ("镍", [150.0, 900.0, 600.0, 2000.0]),
    ("四氯化碳", [0.9, 2.8, 9.0, 36.0]),
    ("氯仿", [0.3, 0.9, 5.0, 10.0]),
    ("氯甲烷", [12.0, 37.0, 21.0, 120.0]),
    ("1,1-二氯乙烷", [3.0, 9.0, 20.0, 100.0]),
    ("1,2-二氯乙烷", [0.52, 5.0, 6.0, 21.0]),
    ("1,1-二氯乙烯", [12.0, 66.0, 40.0, 200.0]),
    ("顺-1,2-二氯乙烯", [66.0, 596.0, 200.0, 2000.0]),
    ("反-1,2-二氯乙烯", [10.0, 54.0, 31.0, 163.0]),
    ("二氯甲烷", [94.0, 616.0, 300.0, 2000.0]),
    ("1,2-二氯丙烷", [1.0, 5.0, 5.0, 47.0]),
    ("1,1,1,2-四氯乙烷", [2.6, 10.0, 26.0, 100.0]),
    ("1,1,2,2-四氯乙烷", [1.6, 6.8, 14.0, 50.0]),
    ("四氯乙烯", [11.0, 53.0, 34.0, 183.0]),
    ("1,1,1-三氯乙烷", [701.0, 840.0, 840.0, 840.0]),
    ("1,1,2-三氯乙烷", [0.6, 2.8, 5.0, 15.0]),
    ("三氯乙烯", [0.7, 2.8, 7.0, 20.0]),
    ("1,2,3-三氯丙烷", [0.05, 0.5, 0.5, 5.0]),
    ("氯乙烯", [0.12, 0.43, 1.2, 4.3]),
    ("苯", [1.0, 4.0, 10.0, 40.0]),
    ("氯苯", [68.0, 270.0, 200.0, 1000.0]),
    ("1,2-二氯苯", [560.0, 560.0, 560.0, 560.0]),
    ("1,4-二氯苯", [5.6, 20.0, 56.0, 200.0]),
    ("乙苯", [7.2, 28.0, 72.0, 280.0]),
    ("苯乙烯", [1290.0, 1290.0, 1290.0, 1290.0]),
    ("甲苯", [1200.0, 1200.0, 1200.0, 1200.0]),
    ("间二甲苯+对二甲苯", [163.0, 570.0, 500.0, 570.0]),
    ("邻二甲苯", [222.0, 640.0, 640.0, 640.0]),
    ("硝基苯", [34.0, 76.0, 190.0, 760.0]),
    ("苯胺", [92.0, 260.0, 211.0, 663.0]),
    ("2-氯酚", [250.0, 2256.0, 500.0, 4500.0]),
    ("苯并[a]蒽", [5.5, 15.0, 55.0, 151.0]),
    ("苯并[a]芘", [0.55, 1.5, 5.5, 15.0]),
    ("苯并[b]荧蒽", [5.5, 15.0, 55.0, 151.0]),
    ("苯并[k]荧蒽", [55.0, 151.0, 550.0, 1500.0]),
    ("䓛", [490.0, 1293.0, 4900.0, 12900.0]),
    ("二苯并[a,h]蒽", [0.55, 1.5, 5.5, 15.0]),
    ("茚并[1,2,3-cd]芘", [5.5, 15.0, 55.0, 151.0]),
    ("萘", [25.0, 70.0, 255.0, 700.0]),
];

/// Just inside / outside a value: a relative step small against every value's precision.
fn below(v: f64) -> f64 {
    v * (1.0 - 1e-6)
}

fn above(v: f64) -> f64 {
    v * (1.0 + 1e-6)
}

#[test]
fn embedded_table_matches_the_standard() {
    let t = Table::embedded();
    let names: Vec<&str> = t.pollutants().iter().map(|p| p.name_zh.as_str()).collect();
    let want: Vec<&str> = TABLE_1.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, want);
    for &(name, [s1, s2, i1, i2]) in TABLE_1 {
        let p = t.find(name).unwrap();
        assert_eq!(
            [
                p.screening(LandClass::First),
                p.screening(LandClass::Second),
                p.intervention(LandClass::First),
                p.intervention(LandClass::Second)
            ],
            [s1, s2, i1, i2],
            "{name}"
        );
        assert!(!p.clause.is_empty() && p.confidence != Confidence::M, "{name}");
        if p.confidence != Confidence::V2 {
            assert!(!p.note.is_empty(), "{name}: a V1 row names its single source");
        }
    }
}

#[test]
fn every_value_is_tested_at_just_inside_and_just_outside() {
    let t = Table::embedded();
    for &(name, values) in TABLE_1 {
        let p = t.find(name).unwrap();
        for (class, screening, intervention) in [
            (LandClass::First, values[0], values[2]),
            (LandClass::Second, values[1], values[3]),
        ] {
            let level = |v: f64| t.judge(p, class, v).level;
            assert_eq!(
                level(screening),
                Level::AtOrBelowScreening,
                "{name} {class} at screening"
            );
            assert_eq!(
                level(below(screening)),
                Level::AtOrBelowScreening,
                "{name} {class} inside screening"
            );
            let just_above_screening = above(screening);
            let want = if just_above_screening <= intervention {
                Level::AboveScreening
            } else {
                // Screening equals intervention (e.g. 甲苯): nothing lies between them.
                Level::AboveIntervention
            };
            assert_eq!(level(just_above_screening), want, "{name} {class} outside screening");
            if intervention > screening {
                assert_eq!(
                    level(intervention),
                    Level::AboveScreening,
                    "{name} {class} at intervention"
                );
                assert_eq!(
                    level(below(intervention)),
                    Level::AboveScreening,
                    "{name} {class} inside intervention"
                );
            }
            assert_eq!(
                level(above(intervention)),
                Level::AboveIntervention,
                "{name} {class} outside intervention"
            );
            let j = t.judge(p, class, intervention);
            assert_eq!((j.screening, j.intervention), (screening, intervention));
        }
    }
}

#[test]
fn items_are_found_by_code_name_and_cas_number() {
    let t = Table::embedded();
    assert_eq!(t.find("cr6").unwrap().name_zh, "铬（六价）");
    assert_eq!(t.find("铬(六价)").unwrap().code, "cr6");
    assert_eq!(t.find("18540-29-9").unwrap().code, "cr6");
    assert_eq!(t.find("106-42-3").unwrap().code, "mpxylene");
    assert_eq!(t.find(" BAP ").unwrap().name_zh, "苯并[a]芘");
    assert!(t.find("石油烃").is_none(), "Table 2 is left out (data README)");
    assert!(t.find("as").unwrap().background_note());
    assert!(!t.find("cd").unwrap().background_note());
}

#[test]
fn an_unclear_planned_use_takes_the_first_class_values() {
    assert_eq!(LandClass::parse(""), Some(LandClass::First));
    assert_eq!(LandClass::parse("第二类用地"), Some(LandClass::Second));
    assert_eq!(LandClass::parse("2"), Some(LandClass::Second));
    assert_eq!(LandClass::parse("3"), None);
}

#[test]
fn a_defective_table_is_refused() {
    let text = include_str!("../../data/gb36600-2018.csv");
    let swapped = text.replace(
        "cd,镉,7440-43-9,重金属和无机物,20,65,47,172",
        "cd,镉,7440-43-9,重金属和无机物,50,65,47,172",
    );
    assert!(
        Table::parse(&swapped)
            .unwrap_err()
            .message
            .contains("screening value above intervention")
    );
    let unnamed = text.replace("5 表1 序号2,V2,", "5 表1 序号2,M,");
    assert!(
        Table::parse(&unnamed)
            .unwrap_err()
            .message
            .contains("must name its doubt")
    );
    let negative = text.replace(
        "as,砷,7440-38-2,重金属和无机物,20,",
        "as,砷,7440-38-2,重金属和无机物,-20,",
    );
    assert!(Table::parse(&negative).is_err());
}
