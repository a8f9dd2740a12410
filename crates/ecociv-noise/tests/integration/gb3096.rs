//! Conformance tests for GB 3096-2008 Table 1, the periods, Leq and the night maximum rule.
//!
//! The expected limits are typed here a second time (double entry): a typo in `data/gb3096-2008.csv` fails
//! `embedded_table_matches_the_standard`. Every limit is tested at, just inside and just outside.

use ecociv_noise::gb3096::{Confidence, FunctionalClass, Period, Table, Verdict, leq};

/// (class, day limit, night limit) of Table 1, dB(A).
const TABLE_1: &[(&str, f64, f64)] = &[
    ("0", 50.0, 40.0),
    ("1", 55.0, 45.0),
    ("2", 60.0, 50.0),
    ("3", 65.0, 55.0),
    ("4a", 70.0, 55.0),
    ("4b", 70.0, 60.0),
];

fn class(code: &str) -> FunctionalClass {
    FunctionalClass::parse(code).unwrap()
}

fn each_limit() -> impl Iterator<Item = (FunctionalClass, Period, f64)> {
    TABLE_1
        .iter()
        .flat_map(|&(c, day, night)| [(class(c), Period::Day, day), (class(c), Period::Night, night)])
}

#[test]
fn embedded_table_matches_the_standard() {
    let t = Table::embedded();
    for (c, p, limit) in each_limit() {
        assert_eq!(t.limit(c, p), limit, "{c} {p:?}");
    }
    assert_eq!(FunctionalClass::ALL.len(), TABLE_1.len());
    assert_eq!(t.day_start(), 6 * 60);
    assert_eq!(t.night_start(), 22 * 60);
    assert_eq!(t.period_minutes(Period::Day), 960);
    assert_eq!(t.period_minutes(Period::Night), 480);
    for c in FunctionalClass::ALL {
        assert_eq!(t.night_max_limit(c), t.limit(c, Period::Night) + 15.0);
    }
}

#[test]
fn every_limit_is_met_at_and_just_inside_and_exceeded_just_outside() {
    let t = Table::embedded();
    for (c, p, limit) in each_limit() {
        // A period measured at exactly the limit (energy average of equal readings).
        let at = leq(&[(limit, 60.0), (limit, 60.0), (limit, 120.0)]).unwrap();
        let j = t.judge(c, p, at);
        assert_eq!(
            (j.verdict, j.level, j.exceedance),
            (Verdict::Meets, limit, None),
            "{c} {p:?} at"
        );
        let j = t.judge(c, p, limit - 0.1);
        assert_eq!(j.verdict, Verdict::Meets, "{c} {p:?} inside");
        let j = t.judge(c, p, limit + 0.1);
        assert_eq!(j.verdict, Verdict::Exceeds, "{c} {p:?} outside");
        assert!(
            (j.exceedance.unwrap() - 0.1).abs() < 1e-9,
            "{c} {p:?} exceedance {:?}",
            j.exceedance
        );
        // The rounding step (0.1 dB, [M]): a level that rounds to the limit meets it, one that rounds above does not.
        assert_eq!(t.judge(c, p, limit + 0.04).verdict, Verdict::Meets, "{c} {p:?} +0.04");
        assert_eq!(t.judge(c, p, limit + 0.04).level, limit);
        assert_eq!(t.judge(c, p, limit + 0.06).verdict, Verdict::Exceeds, "{c} {p:?} +0.06");
    }
}

#[test]
fn the_night_maximum_may_exceed_the_night_limit_by_15_db_and_no_more() {
    let t = Table::embedded();
    for &(code, _, night) in TABLE_1 {
        let c = class(code);
        assert_eq!(t.judge_night_max(c, night + 15.0).verdict, Verdict::Meets, "{code} at");
        assert_eq!(
            t.judge_night_max(c, night + 14.9).verdict,
            Verdict::Meets,
            "{code} inside"
        );
        let j = t.judge_night_max(c, night + 15.1);
        assert_eq!(j.verdict, Verdict::Exceeds, "{code} outside");
        assert_eq!(j.limit, night + 15.0);
    }
}

#[test]
fn leq_is_the_energy_average_weighted_by_duration() {
    // 60 and 70 dB for equal times: 10·lg((10^6 + 10^7)/2) = 67.40 dB (not the arithmetic 65).
    let l = leq(&[(60.0, 30.0), (70.0, 30.0)]).unwrap();
    assert!((l - 67.403_626_894_942_4).abs() < 1e-9, "{l}");
    // Durations weigh: 70 dB for 1 minute and 40 dB for 59 minutes.
    let l = leq(&[(70.0, 1.0), (40.0, 59.0)]).unwrap();
    let want = 10.0 * ((1e7 + 59.0 * 1e4) / 60.0f64).log10();
    assert!((l - want).abs() < 1e-9);
    // 16 hourly values of a day: Ld = 10·lg(1/16 Σ 10^(0.1 Li)).
    let hours: Vec<(f64, f64)> = (0..16).map(|i| (50.0 + f64::from(i), 60.0)).collect();
    let want = 10.0 * ((0..16).map(|i| 10f64.powf(0.1 * (50.0 + f64::from(i)))).sum::<f64>() / 16.0).log10();
    assert!((leq(&hours).unwrap() - want).abs() < 1e-9);
    assert_eq!(leq(&[]), None);
}

#[test]
fn the_periods_turn_at_six_and_at_twenty_two() {
    let t = Table::embedded();
    assert_eq!(t.period_at(5 * 60 + 59), Period::Night);
    assert_eq!(t.period_at(6 * 60), Period::Day);
    assert_eq!(t.period_at(21 * 60 + 59), Period::Day);
    assert_eq!(t.period_at(22 * 60), Period::Night);
    assert_eq!(t.period_at(0), Period::Night);
    assert_eq!(t.minutes_to_period_end(21 * 60), 60);
    assert_eq!(t.minutes_to_period_end(23 * 60), 60 + 6 * 60);
    assert_eq!(t.minutes_to_period_end(5 * 60), 60);
}

#[test]
fn classes_parse_as_written_and_plain_4_is_refused() {
    for (text, code) in [("0", "0"), ("1类", "1"), ("4a", "4a"), ("4A类", "4a"), (" 4b ", "4b")] {
        assert_eq!(FunctionalClass::parse(text).map(|c| c.code()), Some(code), "{text}");
    }
    for text in ["4", "5", "", "4c", "a"] {
        assert_eq!(FunctionalClass::parse(text), None, "{text}");
    }
}

#[test]
fn doubtful_rows_name_their_doubt_and_a_row_without_one_is_refused() {
    let t = Table::embedded();
    let doubtful: Vec<_> = t.doubtful().map(|f| f.key.as_str()).collect();
    assert_eq!(doubtful, ["rounding.step"]);
    assert!(t.facts().iter().all(|f| !f.clause.is_empty()));
    assert!(
        t.facts()
            .iter()
            .filter(|f| f.key.starts_with("limit."))
            .all(|f| f.confidence == Confidence::V2)
    );
    let text = include_str!("../../data/gb3096-2008.csv");
    let broken = text.replace(
        "rounding.step,0.1,dB(A),—,M,\"Leq is reported",
        "rounding.step,0.1,dB(A),—,M,\"\"\n#,0,,,V2,\"Leq is reported",
    );
    assert_ne!(broken, text);
    let e = Table::parse(&broken).unwrap_err();
    assert!(e.message.contains("must name its doubt"), "{e}");
    let missing = text.replace("limit.3.night,55", "limit.3.nite,55");
    assert!(Table::parse(&missing).unwrap_err().message.contains("limit.3.night"));
}

#[test]
fn a_corrected_table_changes_the_judgement() {
    let text = include_str!("../../data/gb3096-2008.csv").replace("limit.2.day,60", "limit.2.day,58");
    let t = Table::parse(&text).unwrap();
    assert_eq!(t.judge(class("2"), Period::Day, 59.0).verdict, Verdict::Exceeds);
    assert_eq!(
        Table::embedded().judge(class("2"), Period::Day, 59.0).verdict,
        Verdict::Meets
    );
}
