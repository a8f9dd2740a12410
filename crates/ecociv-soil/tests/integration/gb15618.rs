//! Conformance tests for GB 15618-2018 Tables 1–3 and clause 7.
//!
//! The expected values are typed here a second time (double entry). Every value is tested at, just inside
//! and just outside, in every pH band and land use.

use ecociv_soil::Confidence;
use ecociv_soil::gb15618::{LandUse, Level, PhBand, Table};

const BANDS: [PhBand; 4] = [PhBand::UpTo5_5, PhBand::UpTo6_5, PhBand::UpTo7_5, PhBand::Above7_5];

/// Four values, one per pH band.
type Bands = [f64; 4];

/// (code, 水田, 果园, 其他) screening values by pH band; Table 1 and Table 2.
const SCREENING: &[(&str, Bands, Bands, Bands)] = &[
    ("cd", [0.3, 0.4, 0.6, 0.8], [0.3, 0.3, 0.3, 0.6], [0.3, 0.3, 0.3, 0.6]),
    ("hg", [0.5, 0.5, 0.6, 1.0], [1.3, 1.8, 2.4, 3.4], [1.3, 1.8, 2.4, 3.4]),
    (
        "as",
        [30.0, 30.0, 25.0, 20.0],
        [40.0, 40.0, 30.0, 25.0],
        [40.0, 40.0, 30.0, 25.0],
    ),
    (
        "pb",
        [80.0, 100.0, 140.0, 240.0],
        [70.0, 90.0, 120.0, 170.0],
        [70.0, 90.0, 120.0, 170.0],
    ),
    (
        "cr",
        [250.0, 250.0, 300.0, 350.0],
        [150.0, 150.0, 200.0, 250.0],
        [150.0, 150.0, 200.0, 250.0],
    ),
    (
        "cu",
        [50.0, 50.0, 100.0, 100.0],
        [150.0, 150.0, 200.0, 200.0],
        [50.0, 50.0, 100.0, 100.0],
    ),
    (
        "ni",
        [60.0, 70.0, 100.0, 190.0],
        [60.0, 70.0, 100.0, 190.0],
        [60.0, 70.0, 100.0, 190.0],
    ),
    (
        "zn",
        [200.0, 200.0, 250.0, 300.0],
        [200.0, 200.0, 250.0, 300.0],
        [200.0, 200.0, 250.0, 300.0],
    ),
    ("hch", [0.1; 4], [0.1; 4], [0.1; 4]),
    ("ddt", [0.1; 4], [0.1; 4], [0.1; 4]),
    ("bap", [0.55; 4], [0.55; 4], [0.55; 4]),
];

/// Table 3 by pH band.
const INTERVENTION: &[(&str, [f64; 4])] = &[
    ("cd", [1.5, 2.0, 3.0, 4.0]),
    ("hg", [2.0, 2.5, 4.0, 6.0]),
    ("as", [200.0, 150.0, 120.0, 100.0]),
    ("pb", [400.0, 500.0, 700.0, 1000.0]),
    ("cr", [800.0, 850.0, 1000.0, 1300.0]),
];

fn below(v: f64) -> f64 {
    v * (1.0 - 1e-6)
}

fn above(v: f64) -> f64 {
    v * (1.0 + 1e-6)
}

fn intervention_of(code: &str) -> Option<[f64; 4]> {
    INTERVENTION.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

#[test]
fn embedded_tables_match_the_standard() {
    let t = Table::embedded();
    assert_eq!(t.items().len(), SCREENING.len());
    for &(code, paddy, orchard, other) in SCREENING {
        let item = t.find(code).unwrap();
        for (k, band) in BANDS.into_iter().enumerate() {
            assert_eq!(
                item.screening(LandUse::Paddy, band),
                Some(paddy[k]),
                "{code} paddy {band:?}"
            );
            assert_eq!(
                item.screening(LandUse::Orchard, band),
                Some(orchard[k]),
                "{code} orchard {band:?}"
            );
            assert_eq!(
                item.screening(LandUse::Other, band),
                Some(other[k]),
                "{code} other {band:?}"
            );
            // 水旱轮作: the stricter of 水田 and 其他 ([M]).
            assert_eq!(
                item.screening(LandUse::Rotation, band),
                Some(paddy[k].min(other[k])),
                "{code} rotation"
            );
            assert_eq!(
                item.intervention(band),
                intervention_of(code).map(|v| v[k]),
                "{code} intervention"
            );
        }
    }
    // Table 2 is memory only and says so.
    for code in ["hch", "ddt", "bap"] {
        let item = t.find(code).unwrap();
        assert_eq!(item.confidence, Confidence::M, "{code}");
        assert!(!item.notes.is_empty());
    }
    assert_eq!(
        t.find("cd").unwrap().confidence,
        Confidence::V1,
        "the paddy row has one source"
    );
    assert_eq!(t.find("ni").unwrap().confidence, Confidence::V2);
}

#[test]
fn every_value_is_tested_at_just_inside_and_just_outside() {
    let t = Table::embedded();
    for &(code, paddy, orchard, other) in SCREENING {
        let item = t.find(code).unwrap();
        for (land, row) in [
            (LandUse::Paddy, paddy),
            (LandUse::Orchard, orchard),
            (LandUse::Other, other),
        ] {
            for (k, band) in BANDS.into_iter().enumerate() {
                let level = |v: f64| t.judge(item, land, band, v).unwrap().level;
                let s = row[k];
                assert_eq!(
                    level(s),
                    Level::AtOrBelowScreening,
                    "{code} {land} {band:?} at screening"
                );
                assert_eq!(
                    level(below(s)),
                    Level::AtOrBelowScreening,
                    "{code} {land} {band:?} inside"
                );
                match intervention_of(code) {
                    None => assert_eq!(level(above(s)), Level::AboveScreening, "{code} {land} {band:?} outside"),
                    Some(limits) => {
                        let i = limits[k];
                        assert_eq!(
                            level(above(s)),
                            Level::SafeUse,
                            "{code} {land} {band:?} outside screening"
                        );
                        assert_eq!(level(i), Level::SafeUse, "{code} {band:?} at intervention");
                        assert_eq!(level(below(i)), Level::SafeUse, "{code} {band:?} inside intervention");
                        assert_eq!(
                            level(above(i)),
                            Level::AboveIntervention,
                            "{code} {band:?} outside intervention"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_ph_bands_close_on_the_upper_edge() {
    assert_eq!(PhBand::of(5.5), Some(PhBand::UpTo5_5));
    assert_eq!(PhBand::of(5.500_001), Some(PhBand::UpTo6_5));
    assert_eq!(PhBand::of(6.5), Some(PhBand::UpTo6_5));
    assert_eq!(PhBand::of(7.5), Some(PhBand::UpTo7_5));
    assert_eq!(PhBand::of(7.500_001), Some(PhBand::Above7_5));
    assert_eq!(PhBand::of(0.0), Some(PhBand::UpTo5_5));
    assert_eq!(PhBand::of(14.0), Some(PhBand::Above7_5));
    for bad in [-0.1, 14.1, f64::NAN, f64::INFINITY] {
        assert_eq!(PhBand::of(bad), None, "{bad}");
    }
    // The same content changes level with the band: cadmium 0.5 in paddy soil.
    let t = Table::embedded();
    let cd = t.find("镉").unwrap();
    assert_eq!(
        t.judge(cd, LandUse::Paddy, PhBand::of(6.0).unwrap(), 0.5)
            .unwrap()
            .level,
        Level::SafeUse
    );
    assert_eq!(
        t.judge(cd, LandUse::Paddy, PhBand::of(7.0).unwrap(), 0.5)
            .unwrap()
            .level,
        Level::AtOrBelowScreening
    );
}

#[test]
fn land_uses_parse_and_an_unnamed_one_is_refused() {
    assert_eq!(LandUse::parse("水田"), Some(LandUse::Paddy));
    assert_eq!(LandUse::parse("旱地"), Some(LandUse::Other));
    assert_eq!(LandUse::parse("水浇地"), Some(LandUse::Other));
    assert_eq!(LandUse::parse("果园"), Some(LandUse::Orchard));
    assert_eq!(LandUse::parse("水旱轮作"), Some(LandUse::Rotation));
    assert_eq!(LandUse::parse("茶园"), None);
    assert_eq!(Table::embedded().find("苯并(a)芘").unwrap().code, "bap");
}

#[test]
fn a_defective_table_is_refused() {
    let text = include_str!("../../data/gb15618-2018.csv");
    let above = text.replace("intervention,cd,镉,all,1.5,", "intervention,cd,镉,all,0.2,");
    assert!(Table::parse(&above).unwrap_err().message.contains("above intervention"));
    let no_other = text.replace("screening,cu,铜,other,", "screening,cu,铜,paddy,");
    assert!(Table::parse(&no_other).is_err());
    let silent = text.replace(",M,\"see hch\"", ",M,");
    assert!(
        Table::parse(&silent)
            .unwrap_err()
            .message
            .contains("must name its doubt")
    );
}
