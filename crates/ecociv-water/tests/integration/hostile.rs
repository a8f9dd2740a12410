//! Issue 20 regressions: unlucky input refused clearly instead of giving a silently wrong figure.

use ecociv_water::evaluation2011::Thresholds;
use ecociv_water::gb3838::Table;
use ecociv_water::ingest::{IngestError, annual, classify_stream};

use crate::ingest::{HEADER, row};

fn annual_error(input: &str) -> IngestError {
    annual(input.as_bytes(), Table::embedded(), Thresholds::embedded()).unwrap_err()
}

fn classify_error(input: &str) -> String {
    let mut out = Vec::new();
    classify_stream(input.as_bytes(), &mut out, Table::embedded(), Thresholds::embedded())
        .unwrap_err()
        .to_string()
}

/// `1e308` mg/L was accepted (air refused its equivalent): one bound for every monitoring reading,
/// `ecociv_csvline::MAX_READING`.
#[test]
fn an_absurd_reading_is_refused_like_air_refuses_it() {
    let input = [HEADER.to_string(), row("S", "2024-01-01", "river", &[("cod", "1e308")])].join("\n");
    let e = annual_error(&input);
    assert_eq!((e.line, e.field.clone()), (Some(2), Some("cod".into())), "{e}");
    assert!(e.message.contains("10⁹"), "{e}");
    assert!(classify_error(&input).contains("10⁹"));
    let fine = [
        HEADER.to_string(),
        row("S", "2024-01-01", "river", &[("fc", "240000000")]),
    ]
    .join("\n");
    assert!(annual(fine.as_bytes(), Table::embedded(), Thresholds::embedded()).is_ok());
}

/// `water annual` counted a duplicated row twice (its mean then weighs that sample double). A second sample
/// of one section at one date (the same date written `2024-01-01` or `2024/01/01`) is refused with both lines.
#[test]
fn a_duplicated_sample_is_refused_naming_both_lines() {
    let a = row("S", "2024-01-01", "river", &[("nh3n", "0.5")]);
    let b = row("S", "2024-06-01", "river", &[("nh3n", "2.5")]);
    let input = [HEADER.to_string(), a.clone(), b.clone(), a.clone()].join("\n");
    let e = annual_error(&input);
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("第 2 行"), "{e}");
    let respelled = row("S", "2024/01/01", "river", &[("nh3n", "0.7")]);
    let input = [HEADER.to_string(), a.clone(), respelled].join("\n");
    assert_eq!(annual_error(&input).line, Some(3));
    // Another section the same day, and the same section another day, are fine.
    let other = row("T", "2024-01-01", "river", &[("nh3n", "0.5")]);
    let input = [HEADER.to_string(), a, b, other].join("\n");
    assert!(annual(input.as_bytes(), Table::embedded(), Thresholds::embedded()).is_ok());
}

/// NUL and other control characters in a section name are refused (one rule for names, shared with air).
#[test]
fn control_characters_in_a_section_name_are_refused() {
    let input = [HEADER.to_string(), row("S\0x", "2024-01-01", "river", &[("cod", "10")])].join("\n");
    let e = annual_error(&input);
    assert_eq!((e.line, e.field.clone()), (Some(2), Some("section".into())), "{e}");
    assert!(e.message.contains("控制字符"), "{e}");
}
