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
