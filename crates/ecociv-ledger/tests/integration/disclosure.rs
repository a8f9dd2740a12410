//! Row 5 (生态环境信息公开率) from a disclosure register (issue 14), through the general mechanism: the kind
//! `data/ledgers/disclosure_register.toml` (bundled) counts the items published on or
//! before their due date with a field-to-field condition (`published_date le due_date`), recomputed here by
//! hand from the SYNTHETIC register.

use ecociv_core::{Status, Value};
use ecociv_ledger::parse_kind;

use crate::common::{assess_with, framework};

const KIND: &str = include_str!("../../../../data/ledgers/disclosure_register.toml");
const RECORDS: &str =
    include_str!("../../../../data/synthetic/disclosure-450202-SYNTHETIC/disclosure_register.SYNTHETIC.csv");

#[test]
fn row_5_is_the_share_of_items_published_on_or_before_their_due_date() {
    let framework = framework();
    let kind = parse_kind("disclosure_register.toml", KIND, &framework).unwrap_or_else(|e| panic!("{e}"));
    let records = ecociv_ledger::read_csv("disclosure_register.SYNTHETIC.csv", RECORDS.as_bytes(), &kind)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let ledger = ecociv_ledger::Ledger::build(&kind, records).unwrap();
    let feed = &kind.feeds[0];

    // By hand, from the CSV: the items due in 2025, and which were published on or before the due date.
    let mut due = 0;
    let mut on_time = Vec::new();
    for line in RECORDS.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (id, due_date, published) = (cells[0], cells[6], cells[7]);
        if !due_date.starts_with("2025-") {
            continue;
        }
        due += 1;
        // ISO dates compare as text.
        if !published.is_empty() && published <= due_date {
            on_time.push(id);
        }
    }
    assert_eq!((due, on_time.len()), (10, 6), "{on_time:?}");
    let by_hand = on_time.len() as f64 / f64::from(due) * 100.0;

    let d = ecociv_ledger::derive(&framework, &kind, feed, &ledger, 2025).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.value, by_hand);
    assert_eq!(d.value, 60.0);
    assert!(d.synthetic, "the records are SYNTHETIC");
    assert!(d.method.contains("公开日期≤应公开日期"), "{}", d.method);
    // The late (G2025-03, E2025-03) and missing (G2025-05, E2025-02) items are not in the numerator.
    let numerator = d.numerator.as_ref().map(|t| t.value);
    assert_eq!(numerator, Some(6.0));
    // Listed by owner: the department's late and missing items, and each obliged enterprise's.
    let by_owner: Vec<(&str, Vec<&str>)> = d
        .shortfalls
        .iter()
        .map(|(owner, ids)| (owner.as_str(), ids.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        by_owner,
        [
            ("合成企业丙有限公司", vec!["E2025-03"]),
            ("合成企业乙有限公司", vec!["E2025-02"]),
            ("城中生态环境局", vec!["G2025-03", "G2025-05"]),
        ]
    );
    assert!(
        d.provenance
            .contains("未计入分子的记录（按责任单位）：合成企业丙有限公司：E2025-03；合成企业乙有限公司：E2025-02；城中生态环境局：G2025-03、G2025-05"),
        "{}",
        d.provenance
    );
    let assessment = assess_with(&framework, vec![d.observation()], 2025);
    let row = assessment.rows.iter().find(|r| r.id == "5").unwrap();
    assert_eq!(row.value, Some(Value::Number(60.0)));
    assert_eq!(row.status, Status::NotMet, "{}", row.explanation.zh);
    assert_eq!(row.source.as_ref().map(|s| s.kind()), Some("ledger"));

    // 2024: its one item on time.
    let d = ecociv_ledger::derive(&framework, &kind, feed, &ledger, 2024).unwrap();
    assert_eq!(d.value, 100.0);
}

#[test]
fn a_field_to_field_condition_is_checked_against_the_kind() {
    let framework = framework();
    for (bad, expected) in [
        (
            r#"{ field = "published_date", op = "le", other = "owner" }"#,
            "类型不同",
        ),
        (
            r#"{ field = "published_date", op = "le", other = "nothing" }"#,
            "没有字段“nothing”",
        ),
        (
            r#"{ field = "published_date", op = "le", other = "due_date", value = "2025-01-01" }"#,
            "只能取其一",
        ),
        (r#"{ field = "owner", op = "lt", other = "basis" }"#, "不能比较大小"),
        (r#"{ field = "published_date", op = "le" }"#, "须给出比较值"),
    ] {
        let text = KIND.replace(r#"{ field = "published_date", op = "le", other = "due_date" }"#, bad);
        let error = parse_kind("k.toml", &text, &framework).expect_err(bad);
        assert!(error.to_string().contains(expected), "{bad}: {error}");
    }
    let text = KIND.replace(r#"shortfall_by = "owner""#, r#"shortfall_by = "nobody""#);
    let error = parse_kind("k.toml", &text, &framework).expect_err("shortfall_by names a field");
    assert!(error.to_string().contains("没有字段“nobody”"), "{error}");
}
