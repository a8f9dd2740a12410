//! The one formatter (`ecociv_core::format`) over every row of the bundled framework and many sample
//! figures: none of the badly formatted strings users reported can be produced, by the formatter itself
//! or by the judgements' explanations that use it.

use ecociv_core::judge::{Evidence, judge};
use ecociv_core::value::{Assigned, Observation, Source};
use ecociv_core::{Direction, Value};
use ecociv_data::bundled;

const SAMPLES: &[f64] = &[
    0.0, 0.0325, 0.288889, 2.0, 29.4, 41.0, 59.999, 60.0, 61.87, 73.5, 83.333333, 89.31, 94.5, 99.96, 100.0, -40.0,
    -0.0001, 1234.56789,
];

/// Strings that must never appear in any formatted figure or explanation.
fn bad(text: &str) -> Option<&'static str> {
    if text.contains("%%") {
        return Some("%%");
    }
    if text.contains(" -；") || text.ends_with(" -") || text.contains(" -;") || text.contains(" - ") {
        return Some("the unit '-' printed");
    }
    // Six decimals are the mark of an unformatted float (83.333333, 0.288889).
    let mut run = 0;
    let mut after_point = false;
    for c in text.chars() {
        if c == '.' {
            after_point = true;
            run = 0;
        } else if c.is_ascii_digit() && after_point {
            run += 1;
            if run >= 5 {
                return Some("5 or more decimals");
            }
        } else {
            after_point = false;
            run = 0;
        }
    }
    if text.contains("个百分点（") || text.contains("percentage points (") {
        return Some("percentage points mixed with percent");
    }
    None
}

#[test]
fn every_numeric_row_has_a_precision_from_table_2_1() {
    let framework = bundled::framework("national-2021").unwrap();
    for (_, row) in framework.rows() {
        if row.direction != Direction::NotApplicable {
            assert!(row.precision.is_some(), "row {} has no precision", row.id);
        }
    }
    let precision = |id: &str| framework.row(id).unwrap().1.precision;
    // As the table prints them: 61.87, 0.1422, 29 μg/m³, 94.5 %.
    assert_eq!(precision("9"), Some(2));
    assert_eq!(precision("17"), Some(4));
    assert_eq!(precision("7.2"), Some(0));
    assert_eq!(precision("7.1"), Some(1));
}

#[test]
fn no_row_and_no_sample_gives_a_badly_formatted_figure() {
    let framework = bundled::framework("national-2021").unwrap();
    for (_, row) in framework.rows() {
        let format = row.format();
        for &x in SAMPLES {
            let texts = [
                format.with_unit(x),
                format.change(x).zh,
                format.change(x).en,
                format.change_with_relative(x, 60.0).zh,
                format.per_year(x).zh,
                format.amount(x).zh,
            ];
            for text in texts {
                assert_eq!(bad(&text), None, "row {} figure {x}: {text}", row.id);
            }
            if format.is_share() {
                assert!(
                    !format.change(x).zh.contains('%'),
                    "row {}: a share's change in percent",
                    row.id
                );
                assert!(!format.change_with_relative(x, 50.0).zh.contains('%'), "row {}", row.id);
            }
            if format.unit != "-" && !format.unit.is_empty() {
                assert!(
                    format.with_unit(x).ends_with(format.unit.as_str()),
                    "row {}: {x} without its unit",
                    row.id
                );
            }
        }
        for state in &row.states {
            let text = format.value(&Value::State(state.text.clone()));
            assert_eq!(text, state.text, "row {}: a state text is written as it is", row.id);
        }
    }
    // The reported strings themselves.
    let share = framework.row("7.1").unwrap().1.format();
    assert_eq!(share.with_unit(83.333333), "83.3%");
    assert_eq!(share.per_year(0.288889).zh, "每年需提高 0.3 个百分点");
    assert_eq!(share.change_with_relative(-40.0, 100.0).zh, "-40 个百分点");
    assert_eq!(framework.row("9").unwrap().1.format().with_unit(73.5), "73.5");
}

#[test]
fn no_explanation_prints_a_unit_after_a_state_or_an_unformatted_figure() {
    let framework = bundled::framework("national-2021").unwrap();
    let source = Source::Document {
        citation: "测试".into(),
    };
    for (_, row) in framework.rows() {
        let mut values: Vec<Value> = row
            .states
            .iter()
            .map(|state| Value::State(state.text.clone()))
            .collect();
        if row.direction != Direction::NotApplicable {
            values.extend(SAMPLES.iter().map(|&x| Value::Number(x)));
        }
        let earlier = Observation {
            row: row.id.clone(),
            year: 2020,
            value: Value::Number(61.0 / 3.0),
            assigned: None,
            recorded: None,
            source: source.clone(),
        };
        for value in values {
            for assigned in [None, Some(Assigned::Value(200.0 / 3.0))] {
                let current = Observation {
                    row: row.id.clone(),
                    year: 2021,
                    value: value.clone(),
                    assigned,
                    recorded: None,
                    source: source.clone(),
                };
                let evidence = Evidence {
                    year: 2021,
                    current: Some(&current),
                    earlier: Some(&earlier),
                };
                for variant in &row.variants {
                    let judgement = judge(row, &variant.criterion, &variant.standard, &evidence);
                    for text in [&judgement.explanation.zh, &judgement.explanation.en] {
                        assert_eq!(bad(text), None, "row {} value {value:?}: {text}", row.id);
                        if let Value::State(state) = &value {
                            assert!(
                                !text.contains(&format!("{state}%")),
                                "row {}: unit after the state: {text}",
                                row.id
                            );
                        }
                    }
                }
            }
        }
    }
}
