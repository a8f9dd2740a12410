//! The shipped data files read correctly, and bad files are refused with file, line and field named.

mod divisions;
mod export;
mod formatting;
mod no_panic;

use ecociv_core::{Attribute, Status, Value, assess};
use ecociv_data::bundled;
use ecociv_data::values::parse_values;

#[test]
fn bundled_framework_has_the_shape_of_table_2_1() {
    let framework = bundled::framework("national-2021").expect("bundled framework parses");
    assert_eq!(framework.domains.len(), 6);
    assert_eq!(framework.tasks.len(), 10);
    assert_eq!(framework.indicators.len(), 35);
    assert_eq!(framework.rows().count(), 44);
    let binding: Vec<&str> = framework
        .indicators
        .iter()
        .filter(|indicator| indicator.attribute == Attribute::Binding)
        .map(|indicator| indicator.id.as_str())
        .collect();
    assert_eq!(
        binding,
        [
            "1", "2", "3", "4", "5", "7", "8", "9", "12", "14", "15", "17", "18", "23", "24", "25", "27", "29", "32"
        ]
    );
    let sub_rows: Vec<&str> = framework
        .rows()
        .filter(|(indicator, _)| indicator.has_sub_rows())
        .map(|(_, row)| row.id.as_str())
        .collect();
    assert_eq!(
        sub_rows,
        [
            "7.1", "7.2", "8.1", "8.2", "8.3", "11.1", "11.2", "11.3", "15.1", "15.2", "20.1", "20.2", "21.1", "21.2",
            "21.3"
        ]
    );
    assert!(framework.check().is_empty());
    assert!((framework.designation.reference_min_share - 0.8).abs() < 1e-12);
}

#[test]
fn bundled_zone_450202_holds_the_seed_values() {
    let loaded = ecociv_data::load_zone("450202").expect("bundled zone loads");
    let zone = &loaded.zone;
    assert_eq!(zone.profile.code, "450202");
    assert_eq!(zone.profile.attributes["level"], "县级");
    assert_eq!(zone.profile.attributes["climate"], "湿润");
    assert_eq!(zone.profile.attributes["terrain"], "丘陵");
    assert_eq!(zone.plan.base_year, 2021);
    let value = |row: &str, year: i32| zone.observation(row, year).map(|obs| obs.value.clone());
    assert_eq!(value("22", 2021), Some(Value::Number(89.31)));
    assert_eq!(value("1", 2021), Some(Value::State("正在制定".into())));
    assert_eq!(value("8.2", 2021), Some(Value::State("无劣V类水体".into())));
    assert_eq!(value("7.1", 2017), Some(Value::Number(89.5)));
    assert_eq!(value("17", 2017), Some(Value::Number(0.1604)));
    // Every one of the 44 rows has its 2021 value, and targets for 2025 and 2030.
    for (_, row) in loaded.framework.rows() {
        assert!(
            zone.observation(&row.id, 2021).is_some(),
            "row {} has a 2021 value",
            row.id
        );
        let targets = zone
            .plan
            .targets
            .get(&row.id)
            .unwrap_or_else(|| panic!("row {} has targets", row.id));
        assert!(
            targets.contains_key(&2025) && targets.contains_key(&2030),
            "row {}",
            row.id
        );
        assert!(
            !zone.plan.lead_departments[&row.id].is_empty(),
            "row {} has a lead department",
            row.id
        );
    }
    let projects = &zone.plan.projects;
    assert_eq!(projects.len(), 6);
    assert_eq!(projects.iter().map(|p| p.count).sum::<u32>(), 45);
    let total: f64 = projects.iter().map(|p| p.investment_wan_yuan).sum();
    assert!((total - 396_229.77).abs() < 1e-6, "total {total}");
}

/// The rule alone (without the plan's recorded verdicts) reproduces the seed's column for every row it
/// can judge, and the rows it cannot judge are exactly 16, 18 and 22.
#[test]
fn the_rule_alone_agrees_with_the_plan_where_it_can_judge() {
    let mut loaded = ecociv_data::load_zone("450202").unwrap();
    for observation in &mut loaded.zone.observations {
        observation.recorded = None;
    }
    let assessment = assess(&loaded.framework, &loaded.zone, 2021);
    let no_data: Vec<&str> = assessment
        .rows
        .iter()
        .filter(|row| row.status == Status::NoData && !row.id.contains('.'))
        .map(|row| row.id.as_str())
        .collect();
    assert_eq!(no_data, ["16", "18", "22"]);
    let not_met: Vec<&str> = assessment
        .rows
        .iter()
        .filter(|row| row.status == Status::NotMet)
        .map(|row| row.id.as_str())
        .collect();
    assert_eq!(not_met, ["1", "20", "20.1", "20.2", "24"]);
}

fn framework() -> ecociv_core::Framework {
    bundled::framework("national-2021").unwrap()
}

fn problems(text: &str) -> Vec<String> {
    parse_values("v.csv", text, &framework())
        .unwrap_err()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn values_file_errors_name_file_line_and_field() {
    let header = "indicator,year,value,assigned\n";
    let unknown = problems(&format!("{header}3,2021,21.4,\n99,2021,1,\n"));
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0].starts_with("v.csv: 第 3 行，字段 indicator"), "{unknown:?}");
    let parent = problems(&format!("{header}7,2021,94.5,\n"));
    assert!(
        parent[0].contains("7.1"),
        "a parent id hints at its sub-rows: {parent:?}"
    );
    let bad_number = problems(&format!("{header}3,2021,2l.4,\n"));
    assert!(
        bad_number[0].starts_with("v.csv: 第 2 行，字段 value"),
        "{bad_number:?}"
    );
    let bad_state = problems(&format!("{header}1,2021,差不多,\n"));
    assert!(bad_state[0].contains("制定实施"), "{bad_state:?}");
    let bad_year = problems(&format!("{header}3,twenty,21.4,\n"));
    assert!(bad_year[0].contains("字段 year"), "{bad_year:?}");
    let bad_assigned = problems(&format!("{header}7.1,2021,94.5,差不多\n"));
    assert!(bad_assigned[0].contains("字段 assigned"), "{bad_assigned:?}");
    let out_of_range = problems(&format!("{header}3,2021,120,\n"));
    assert!(out_of_range[0].contains("超出允许范围"), "{out_of_range:?}");
    let missing = problems("indicator,year,value\n3,2021,21.4\n");
    assert_eq!(
        missing,
        ["v.csv: 第 1 行，字段 assigned / line 1, field assigned: 缺少必需的列 (missing column)"]
    );
    let duplicate = problems(&format!("{header}3,2021,21.4,\n3,2021,22,\n"));
    assert!(duplicate[0].contains("重复"), "{duplicate:?}");
    // Every problem is reported, not only the first.
    assert_eq!(
        problems(&format!("{header}99,2021,1,\n3,2021,x,\n1,2021,差,\n")).len(),
        3
    );
}

#[test]
fn values_file_accepts_bom_and_optional_columns() {
    let text = "\u{feff}indicator,year,value,assigned,recorded,source\n7.1,2022,95.1,95,达标,synthetic:测试\n";
    let observations = parse_values("v.csv", text, &framework()).unwrap();
    assert_eq!(observations.len(), 1);
    assert_eq!(observations[0].value, Value::Number(95.1));
    assert!(observations[0].source.is_synthetic());
    assert_eq!(observations[0].assigned, Some(ecociv_core::Assigned::Value(95.0)));
}

#[test]
fn framework_errors_are_reported() {
    let broken = bundled::FRAMEWORKS[0]
        .1
        .replacen("direction = \"higher\"", "direction = \"up\"", 1);
    let error = ecociv_data::framework::parse_framework("f.toml", &broken).unwrap_err();
    assert!(error.to_string().contains("direction \"up\""), "{error}");
    let syntax = ecociv_data::framework::parse_framework("f.toml", "id = \n").unwrap_err();
    assert!(syntax.to_string().starts_with("f.toml: 第 1 行"), "{syntax}");
}

#[test]
fn zone_from_a_directory_and_a_non_utf8_file() {
    let dir = std::env::temp_dir().join(format!("ecociv-zone-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zone_toml = bundled::ZONES[0].zone_toml;
    std::fs::write(dir.join("zone.toml"), zone_toml).unwrap();
    std::fs::write(dir.join("values.csv"), "indicator,year,value,assigned\n3,2022,23,\n").unwrap();
    let loaded = ecociv_data::load_zone(dir.to_str().unwrap()).unwrap();
    assert_eq!(
        loaded.zone.observation("3", 2022).map(|obs| obs.value.clone()),
        Some(Value::Number(23.0))
    );
    // GBK bytes for "指标" as Excel writes them on a Chinese Windows.
    std::fs::write(
        dir.join("values.csv"),
        [
            b"indicator,year,value,assigned\n1,2021,".as_slice(),
            &[0xd6, 0xb8, 0xb1, 0xea],
            b",\n",
        ]
        .concat(),
    )
    .unwrap();
    let error = ecociv_data::load_zone(dir.to_str().unwrap()).err().expect("refused");
    assert!(error.to_string().contains("UTF-8"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(ecociv_data::load_zone("no-such-zone").is_err());
}

#[test]
fn a_zones_ledger_takes_later_lines_as_revisions_but_a_values_file_refuses_duplicates() {
    let text = "indicator,year,value,assigned\n3,2022,21,\n3,2022,23,\n";
    let ledger = ecociv_data::values::parse_ledger("values.csv", text, &framework()).unwrap();
    assert_eq!(ledger.len(), 2, "both revisions are kept");
    let mut zone = ecociv_data::load_zone("450202").unwrap().zone;
    zone.observations.extend(ledger);
    assert_eq!(
        zone.observation("3", 2022).map(|obs| obs.value.clone()),
        Some(Value::Number(23.0)),
        "the later line is in force"
    );
    assert!(parse_values("v.csv", text, &framework()).is_err());
}

/// Blank lines count: an error after blank lines names the line a person sees in the file.
#[test]
fn lines_are_counted_with_blank_lines() {
    let blank = problems("indicator,year,value,assigned\n3,2021,21,\n\n\n3,2020,abc,\n");
    assert!(blank[0].starts_with("v.csv: 第 5 行，字段 value"), "{blank:?}");
}

/// One rule for line ends in every reader: LF, CRLF and a lone CR (Excel's "CSV (Macintosh)") each end a line,
/// and errors name the line a person sees.
#[test]
fn cr_only_and_crlf_files_are_read_and_numbered_like_lf_files() {
    let lines = ["indicator,year,value,assigned", "3,2021,21,", "", "3,2020,abc,"];
    for end in ["\n", "\r\n", "\r"] {
        let text = lines.join(end) + end;
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{end:?}: {found:?}");
        assert!(found[0].starts_with("v.csv: 第 4 行，字段 value"), "{end:?}: {found:?}");
    }
}

/// A line with more fields than the header used to be read with its extra cells silently ignored; a
/// non-empty extra cell is now refused (empty trailing cells, as spreadsheets write them, are fine).
#[test]
fn extra_cells_beyond_the_header_are_refused() {
    let found = problems("indicator,year,value,assigned\n3,2021,21,,8\n3,2020,22,,,,\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("v.csv: 第 2 行"), "{found:?}");
    assert!(found[0].contains("5"), "{found:?}");
}

/// A huge field is refused before it is buffered, and an echoed field is cut to a readable prefix.
#[test]
fn huge_fields_are_refused_and_echoes_are_cut() {
    let huge = "9".repeat(3 << 20);
    let found = problems(&format!("indicator,year,value,assigned\n3,2021,{huge},\n"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].len() < 300, "{}", &found[0][..300]);
    assert!(found[0].contains("v.csv: 第 2 行"), "{found:?}");
    let long = "x".repeat(5000);
    let found = problems(&format!(
        "indicator,year,value,assigned\n{long},2021,1,\n3,2021,{long},\n"
    ));
    assert_eq!(found.len(), 2, "{found:?}");
    for problem in &found {
        assert!(problem.len() < 400, "{problem}");
        assert!(problem.contains("…（共 5000 字节）"), "{problem}");
    }
}

/// The core cuts echoed text by the same rule as the readers (`ecociv_csvline::excerpt`); it keeps its own copy
/// because it depends on nothing, so this pins that the two agree.
#[test]
fn the_core_and_the_readers_cut_echoed_text_alike() {
    for text in [
        "",
        "7.1",
        "a\0b\r\n",
        &"汉".repeat(80),
        &"汉".repeat(81),
        &"x\u{1b}".repeat(300),
    ] {
        assert_eq!(
            ecociv_core::value::excerpt(text),
            ecociv_csvline::excerpt(text),
            "{text:?}"
        );
    }
}

/// A file with thousands of bad lines lists the first 100 problems and says how many more there are.
#[test]
fn a_refusal_lists_at_most_100_problems() {
    let text = "indicator,year,value,assigned\n".to_string() + &"3,2021,abc,\n".repeat(5000);
    let found = problems(&text);
    assert_eq!(found.len(), 101, "{}", found.len());
    assert!(found[100].contains("4900"), "{}", found[100]);
}
