//! Open data CSV and JSON.

use ecociv_core::assess;
use ecociv_report::csv::{BOM, HEADER, open_data};

use crate::example;

#[test]
fn csv_has_a_bom_and_one_line_per_year_and_row() {
    let loaded = example();
    let years = [2017, 2021];
    let assessments: Vec<_> = years
        .iter()
        .map(|year| assess(&loaded.framework, &loaded.zone, *year))
        .collect();
    let bytes = open_data(&assessments).expect("csv");
    assert!(bytes.starts_with(BOM));
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    assert_eq!(reader.headers().expect("header").iter().collect::<Vec<_>>(), HEADER);
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("records");
    let per_year = assessments[0].rows.len();
    assert_eq!(records.len(), per_year * 2);
    let find = |year: &str, id: &str| {
        records
            .iter()
            .find(|r| &r[2] == year && &r[3] == id)
            .unwrap_or_else(|| panic!("{year} {id}"))
    };
    let row = find("2021", "24");
    assert_eq!(&row[12], "50");
    assert_eq!(&row[13], "number");
    assert_eq!(&row[14], "not_met");
    assert_eq!(&row[15], "不达标");
    assert_eq!(&row[0], "450202");
    assert_eq!(&find("2017", "17")[12], "0.1604");
    assert_eq!(&find("2021", "1")[13], "state");
    // An indicator with sub-indicators has its own line, without a value.
    assert_eq!(&find("2021", "8")[5], "true");
    assert_eq!(&find("2021", "8")[12], "");
}

#[test]
fn json_open_data_lists_each_year() {
    let loaded = example();
    let assessments: Vec<_> = [2017, 2021]
        .iter()
        .map(|year| assess(&loaded.framework, &loaded.zone, *year))
        .collect();
    let json = ecociv_report::json::open_data(&assessments);
    assert_eq!(json["zone"], "450202");
    assert_eq!(json["years"], serde_json::json!([2017, 2021]));
    let rows = json["assessments"][1]["rows"].as_array().expect("rows");
    let row = rows.iter().find(|row| row["id"] == "24").expect("24");
    assert_eq!(row["value"], 50.0);
    assert_eq!(row["status"], "not_met");
}

/// The materialized assessment read back: for every year of the example zone with the SYNTHETIC
/// 2022–2024 series and the monitoring-free seed values, the assessment rebuilt from its JSON equals the
/// fresh one — every judgement, explanation, warning (both languages), partial verdict, value, source and
/// the readiness — and a JSON made from other values than the zone's is refused.
#[test]
fn the_assessment_read_back_from_its_json_equals_the_fresh_one() {
    let mut loaded = example();
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/progress/450202-2022-2024.csv");
    let observations = ecociv_data::load::load_values_file(&path, &loaded.framework).expect("synthetic series");
    loaded.zone.override_with(observations);
    // A document recording the opposite of the rule's verdict on every 2023 value: warnings in both
    // languages.
    let before = assess(&loaded.framework, &loaded.zone, 2023);
    for observation in loaded
        .zone
        .observations
        .iter_mut()
        .filter(|observation| observation.year == 2023)
    {
        let met = before
            .rows
            .iter()
            .any(|row| row.id == observation.row && row.status == ecociv_core::judge::Status::Met);
        observation.recorded = Some(ecociv_core::value::Recorded {
            met: !met,
            source: "《2023年度自评报告》".into(),
        });
    }
    let (framework, zone) = (&loaded.framework, &loaded.zone);
    let mut warned = 0;
    let mut partial = 0;
    for year in 2015..=2030 {
        let fresh = assess(framework, zone, year);
        warned += fresh.rows.iter().filter(|row| !row.warnings.is_empty()).count();
        partial += fresh.rows.iter().filter(|row| row.partial.is_some()).count();
        let text = ecociv_report::json::assessment(&fresh).to_string();
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        let read = ecociv_report::json::parse_assessment(framework, zone, &json).expect("read back");
        assert_eq!(read, fresh, "{year}");
    }
    assert!(
        warned > 0 && partial > 0,
        "the years cover warnings ({warned}) and partial verdicts ({partial})"
    );
    // Another zone's values: refused, never taken.
    let json = ecociv_report::json::assessment(&assess(framework, zone, 2023));
    let mut other = zone.clone();
    other.observations.retain(|observation| observation.year != 2023);
    assert!(ecociv_report::json::parse_assessment(framework, &other, &json).is_err());
}
