//! Tests of the streaming CSV edge: contract headers, located errors, nothing written on error.

use ecociv_water::evaluation2011::Thresholds;
use ecociv_water::gb3838::Table;
use ecociv_water::ingest::{
    StreamError, annual, classify_stream, parse_date_year, read_bodies, read_ei, read_survey, write_annual,
};

pub const HEADER: &str =
    "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc";

/// A row with the given section, date, waterbody and `item=value` settings (others empty).
pub fn row(section: &str, date: &str, wb: &str, set: &[(&str, &str)]) -> String {
    let cols: Vec<&str> = HEADER.split(',').collect();
    let mut fields = vec![String::new(); cols.len()];
    fields[0] = section.into();
    fields[1] = date.into();
    fields[2] = wb.into();
    for (k, v) in set {
        let i = cols.iter().position(|c| c == k).unwrap();
        fields[i] = (*v).into();
    }
    fields.join(",")
}

fn classify(input: &str) -> Result<String, StreamError> {
    let mut out = Vec::new();
    classify_stream(input.as_bytes(), &mut out, Table::embedded(), Thresholds::embedded())?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn classify_contract() {
    let input = [
        HEADER.to_string(),
        row(
            "S1",
            "2024-01-15",
            "river",
            &[("ph", "7.2"), ("do", "8.1"), ("nh3n", "0.12"), ("tp", "0.02")],
        ),
        row(
            "S1",
            "2024-02-15",
            "river",
            &[
                ("ph", "7.0"),
                ("do", "4.0"),
                ("nh3n", "1.2"),
                ("tp", "0.25"),
                ("fc", "90000"),
            ],
        ),
        row("L1", "2024-02-15", "lake", &[("tp", "0.25"), ("tn", "3.0")]),
        row("X", "2024-03-01", "river", &[("tn", "3.0")]),
    ]
    .join("\n");
    let out = classify(&input).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "section,date,class,status,class_items");
    assert_eq!(lines[1], "S1,2024-01-15,I,优,");
    assert_eq!(lines[2], "S1,2024-02-15,IV,轻度污染,do;nh3n;tp");
    assert_eq!(lines[3], "L1,2024-02-15,劣V,重度污染,tp");
    assert_eq!(lines[4], "X,2024-03-01,,未评价,");
    assert_eq!(lines.len(), 5);
}

#[test]
fn extra_columns_ignored_and_order_free() {
    let cols: Vec<&str> = HEADER.split(',').rev().collect();
    let mut header = cols.join(",");
    header.push_str(",remark");
    let mut vals = vec![""; cols.len()];
    let pos = |c: &str| cols.iter().position(|x| *x == c).unwrap();
    vals[pos("section")] = "S9";
    vals[pos("date")] = "2023/7/4";
    vals[pos("waterbody")] = "River";
    vals[pos("cod")] = "25";
    let input = format!("\u{feff}{header}\n{},any note\n", vals.join(","));
    let out = classify(&input).unwrap();
    assert_eq!(out.lines().nth(1), Some("S9,2023/7/4,IV,轻度污染,cod"));
}

#[test]
fn below_detection_limit_uses_half() {
    // Hg "0.0001L" → 0.00005 → class I (at the class I limit); without the rule 0.0001 would be III.
    let input = format!("{HEADER}\n{}", row("S", "2024-01-01", "river", &[("hg", "0.0001L")]));
    assert_eq!(classify(&input).unwrap().lines().nth(1), Some("S,2024-01-01,I,优,"));
}

fn input_error(input: &str) -> ecociv_water::ingest::IngestError {
    match classify(input) {
        Err(StreamError::Input(e)) => e,
        other => panic!("expected input error, got {other:?}"),
    }
}

#[test]
fn errors_name_line_and_column() {
    let good = row("S", "2024-01-01", "river", &[("cod", "10")]);
    let bad_num = row("S", "2024-01-02", "river", &[("nh3n", "abc")]);
    let e = input_error(&format!("{HEADER}\n{good}\n{bad_num}\n"));
    assert_eq!(e.line, Some(3));
    assert_eq!((e.column, e.field.clone()), (Some(9), Some("nh3n".to_string())));
    let msg = e.to_string();
    assert!(
        msg.contains("第 3 行第 9 列") && msg.contains("line 3, column 9 (nh3n)") && msg.contains("abc"),
        "{msg}"
    );

    let e = input_error(&format!("{HEADER}\n{}", row("S", "2024-02-30", "river", &[])));
    assert_eq!((e.line, e.column), (Some(2), Some(2)));
    let e = input_error(&format!("{HEADER}\n{}", row("S", "2024-01-01", "sea", &[])));
    assert_eq!(e.field, Some("waterbody".into()));
    let e = input_error(&format!(
        "{HEADER}\n{}",
        row("S", "2024-01-01", "river", &[("cod", "-1")])
    ));
    assert!(e.message.contains("negative"));
    let e = input_error(&format!(
        "{HEADER}\n{}",
        row("S", "2024-01-01", "river", &[("ph", "15")])
    ));
    assert_eq!(e.field, Some("ph".into()));
    let e = input_error(&format!(
        "{HEADER}\n{}",
        row("S", "2024-01-01", "river", &[("do", "NaN")])
    ));
    assert_eq!(e.field, Some("do".into()));
    let e = input_error(&format!("{HEADER}\n{}", row("", "2024-01-01", "river", &[])));
    assert_eq!(e.field, Some("section".into()));
    // Missing column in the header.
    let e = input_error("section,date,waterbody,ph\nS,2024-01-01,river,7\n");
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("\"do\""));
    // Empty input.
    assert!(matches!(classify(""), Err(StreamError::Input(_))));
}

#[test]
fn blank_lines_are_skipped() {
    let input = format!(
        "{HEADER}\n{}\n{}\n",
        row("S", "2024-01-01", "river", &[("cod", "10")]),
        ",".repeat(25)
    );
    assert_eq!(classify(&input).unwrap().lines().count(), 2);
}

/// Regression: the csv crate places a record that follows blank lines where the blank lines begin, and its
/// own line count misses them; every reader must still name the line a person sees in the file.
#[test]
fn errors_after_blank_lines_name_the_right_line() {
    let good = row("S", "2024-01-01", "river", &[("cod", "10")]);
    let bad = row("S", "2024-01-02", "river", &[("nh3n", "abc")]);
    // Header on 1, good on 2, blank lines 3–5 (one CRLF), bad on 6.
    let e = input_error(&format!("{HEADER}\n{good}\n\n\r\n\n{bad}\n"));
    assert_eq!((e.line, e.field.clone()), (Some(6), Some("nh3n".into())), "{e}");
    // A blank line straight after the header.
    let e = input_error(&format!("{HEADER}\n\n{bad}\n"));
    assert_eq!(e.line, Some(3), "{e}");
    // A field-count error after blank lines.
    let e = input_error(&format!("{HEADER}\n{good}\n\n\nS,2024-01-03\n"));
    assert_eq!((e.line, e.column), (Some(5), None), "{e}");
    // The annual reader and the other readers share the reader.
    let e = annual(
        format!("{HEADER}\n\n\n{bad}\n").as_bytes(),
        Table::embedded(),
        Thresholds::embedded(),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    let survey =
        "body,point_seq,date,depth_cm,transparency_cm,clear_to_bottom,do,orp,nh3n\n\n\nB1,x,2024-05-01,,,,,,\n";
    assert_eq!(read_survey(survey.as_bytes()).unwrap_err().line, Some(4));
    assert_eq!(
        read_bodies("body,name\nB1,a\n\n\nB1,b\n".as_bytes()).unwrap_err().line,
        Some(5)
    );
    let ei = "year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load\n\n2023,70,80,40,20,x\n";
    assert_eq!(read_ei(ei.as_bytes()).unwrap_err().line, Some(3));
}

#[test]
fn dates() {
    assert_eq!(parse_date_year("2024-02-29"), Some(2024));
    assert_eq!(parse_date_year("2023-02-29"), None);
    assert_eq!(parse_date_year("2024-12-31 08:30"), Some(2024));
    assert_eq!(parse_date_year("2024-12-31T08:30:00"), Some(2024));
    assert_eq!(parse_date_year("24-12-31"), None);
    assert_eq!(parse_date_year("2024-13-01"), None);
    assert_eq!(parse_date_year("2024-1-1"), Some(2024));
    assert_eq!(parse_date_year("二〇二四"), None);
}

#[test]
fn annual_contract() {
    let input = [
        HEADER.to_string(),
        row("A", "2024-01-10", "river", &[("nh3n", "0.8"), ("tp", "0.1")]),
        row("A", "2024-06-10", "river", &[("nh3n", "1.6"), ("tp", "0.5")]),
        row("A", "2025-01-10", "river", &[("nh3n", "0.3")]),
        row(
            "B",
            "2024-03-10",
            "river",
            &[("nh3n", "3.0"), ("cod", "50"), ("do", "1.5")],
        ),
    ]
    .join("\n");
    let rows = annual(input.as_bytes(), Table::embedded(), Thresholds::embedded()).unwrap();
    let mut out = Vec::new();
    write_annual(&rows, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "section,year,samples,class,status,main_pollutants");
    // A 2024: NH3-N mean 1.2 (IV), TP mean 0.3 (IV) → IV; multiples (1.2−1)/1 = 0.2, (0.3−0.2)/0.2 = 0.5.
    assert_eq!(lines[1], "A,2024,2,IV,轻度污染,tp(0.50);nh3n(0.20)");
    assert_eq!(lines[2], "A,2025,1,II,优,");
    // B: NH3-N 3.0 → 劣V (2.00), COD 50 → 劣V (1.50), DO 1.5 → 劣V (no multiple).
    assert_eq!(lines[3], "B,2024,1,劣V,重度污染,nh3n(2.00);cod(1.50);do");
    assert_eq!(lines.len(), 4);
}

#[test]
fn annual_rejects_section_changing_waterbody() {
    let input = [
        HEADER.to_string(),
        row("A", "2024-01-10", "river", &[("tp", "0.1")]),
        row("A", "2024-02-10", "lake", &[("tp", "0.1")]),
    ]
    .join("\n");
    let e = annual(input.as_bytes(), Table::embedded(), Thresholds::embedded()).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert_eq!((e.column, e.field), (Some(3), Some("waterbody".into())));
}

#[test]
fn survey_bodies_ei_readers() {
    let survey = "body,point_seq,date,depth_cm,transparency_cm,clear_to_bottom,do,orp,nh3n\n\
                  B1,1,2024-05-01,80,8,0,0.1,-250,18\n\
                  B1,2,2024-05-01,20,15,yes,3,100,1\n";
    let rows = read_survey(survey.as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].sample.orp_mv, Some(-250.0));
    assert!(rows[1].sample.clear_to_bottom);
    let bad = "body,point_seq,date,depth_cm,transparency_cm,clear_to_bottom,do,orp,nh3n\nB1,x,2024-05-01,,,,,,\n";
    let e = read_survey(bad.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.field), (Some(2), Some("point_seq".into())));

    let bodies = read_bodies("body,name\nB1,东沟\nB2,西沟\n".as_bytes()).unwrap();
    assert_eq!(bodies.len(), 2);
    assert!(read_bodies("body,name\nB1,a\nB1,b\n".as_bytes()).is_err());

    let ei = "year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load,restriction\n\
              2023,70,80,40,20,5,\n2024,71,80,40,20,5,drop1\n";
    let rows = read_ei(ei.as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    let bad = "year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load,restriction\n2024,70,80,40,20,5,maybe\n";
    let e = read_ei(bad.as_bytes()).unwrap_err();
    assert_eq!((e.column, e.field), (Some(7), Some("restriction".into())));
}

#[test]
fn ei_from_land_use_file() {
    use ecociv_water::hj192::{Model, RegionInputs};
    use ecociv_water::ingest::{EI_LAND_USE_COLUMNS, read_ei_land_use};
    let header: Vec<&str> = EI_LAND_USE_COLUMNS.iter().map(|c| c.trim_end_matches('?')).collect();
    let mut values = vec!["0"; header.len()];
    let set = |values: &mut Vec<&str>, name: &str, v: &'static str| {
        let i = header.iter().position(|h| *h == name).unwrap();
        values[i] = v;
    };
    set(&mut values, "area_km2", "100");
    set(&mut values, "forest_dense", "50");
    set(&mut values, "crop_paddy", "20");
    set(&mut values, "water_river", "10");
    set(&mut values, "built_urban", "20");
    set(&mut values, "river_length_km", "30");
    set(&mut values, "precipitation_mm", "1500");
    set(&mut values, "cod_t", "3000");
    set(&mut values, "biodiversity_index", "");
    set(&mut values, "water_resources_mean", "");
    set(&mut values, "restriction", "drop1");
    let text = format!("year,{}\n2024,{}\n", header.join(","), values.join(","));
    let rows = read_ei_land_use(text.as_bytes(), Model::embedded()).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].from_land_use);
    let region = RegionInputs {
        area_km2: 100.0,
        forest: [50.0, 0.0, 0.0],
        cropland: [20.0, 0.0],
        water: [10.0, 0.0, 0.0],
        built: [20.0, 0.0, 0.0],
        river_length_km: 30.0,
        precipitation_mm: 1500.0,
        emissions: [3000.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        ..Default::default()
    };
    assert_eq!(rows[0].sub, Model::embedded().sub_indices_from(&region).unwrap());
    assert_eq!(rows[0].restriction, ecociv_water::hj192::Restriction::DropOneGrade);
    // A required column missing from the header, and a required value missing.
    let e = read_ei_land_use(text.replace("mean_ndvi", "ndvi").as_bytes(), Model::embedded()).unwrap_err();
    assert!(e.message.contains("\"mean_ndvi\""), "{e}");
    let mut blank = values.clone();
    blank[0] = "";
    let e = read_ei_land_use(
        format!("year,{}\n2024,{}\n", header.join(","), blank.join(",")).as_bytes(),
        Model::embedded(),
    )
    .unwrap_err();
    assert_eq!((e.line, e.field), (Some(2), Some("area_km2".into())));
}

#[test]
fn field_count_must_match_header() {
    let short = format!(
        "{HEADER}\n{}\nS,2024-01-02,river,7,8\n",
        row("S", "2024-01-01", "river", &[("cod", "10")])
    );
    let e = input_error(&short);
    assert_eq!((e.line, e.column), (Some(3), None));
    assert!(e.message.contains("5 fields, the header 26"), "{e}");
    // An unquoted comma inside a section name shifts every field: refused, not misread.
    let shifted = format!("{HEADER}\n{}\n", row("A,B", "2024-01-01", "river", &[("cod", "10")]));
    assert_eq!(input_error(&shifted).line, Some(2));
    // Quoted, it is fine.
    let quoted = format!(
        "{HEADER}\n{}\n",
        row("\"A,B\"", "2024-01-01", "river", &[("cod", "10")])
    );
    assert_eq!(
        classify(&quoted).unwrap().lines().nth(1),
        Some("\"A,B\",2024-01-01,I,优,")
    );
}

#[test]
fn date_fast_path_agrees_with_general_rules() {
    // Every day of two years through the fast path (YYYY-MM-DD) and the general path (YYYY/M/D).
    for y in [2023, 2024, 1900, 2000] {
        for m in 0..=13u32 {
            for d in 0..=32u32 {
                let fast = parse_date_year(&format!("{y:04}-{m:02}-{d:02}"));
                let general = parse_date_year(&format!("{y}/{m}/{d}"));
                assert_eq!(fast, general, "{y}-{m}-{d}");
            }
        }
    }
    assert_eq!(parse_date_year("2024-02-29"), Some(2024));
    assert_eq!(parse_date_year("1900-02-29"), None);
    assert_eq!(parse_date_year("2000-02-29"), Some(2000));
    assert_eq!(parse_date_year("2024-0a-01"), None);
    assert_eq!(parse_date_year("1899-12-31"), None);
}

/// The given-twice check keeps at most a table of days per section-year; it must answer exactly as a map from
/// each time's one spelling (`canonical_time`) to the line where it was first seen.
#[test]
fn sample_times_answer_as_a_map_of_canonical_times() {
    use ecociv_water::ingest::{SampleTimes, canonical_time};
    let years = ["2023", "2024", "0024", "24", "20240"];
    let months = ["1", "01", "2", "12", "00", "13", "001"];
    let days = ["5", "05", "1", "31", "29", "0", "32", ""];
    let times = ["", " 9:00", "T09:00", " 09:00", " 9:5", "T", " 23:59:59", " 早上"];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for round in 0..40 {
        let mut seen = SampleTimes::default();
        let mut model: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
        let mut line = 2u64;
        for _ in 0..3000 {
            // Mostly plain dates of two years (so that a year fills its table of days), sometimes any spelling.
            let t = if next(4) > 0 {
                format!("202{}-{:02}-{:02}", 3 + next(2), 1 + next(12), 1 + next(28))
            } else {
                let sep = if next(2) == 0 { '-' } else { '/' };
                format!(
                    "{}{sep}{}{sep}{}{}",
                    years[next(years.len())],
                    months[next(months.len())],
                    days[next(days.len())],
                    times[next(times.len())]
                )
            };
            // Lines grow, now and then by more than a u32 (a table keeps lines as offsets).
            line += if round % 4 == 3 && next(500) == 0 {
                5_000_000_000
            } else {
                1 + next(3) as u64
            };
            let expected = match model.entry(canonical_time(&t)) {
                std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(line);
                    None
                }
            };
            assert_eq!(seen.insert(&t, line), expected, "round {round}, {t} at line {line}");
        }
    }
    assert_eq!(canonical_time("2023/1/5 9:00"), "2023-01-05T09:00");
    assert_eq!(canonical_time("2023"), "2023");
}

/// `water annual` refuses one sample time given twice in two spellings, naming both lines.
#[test]
fn a_sample_time_given_twice_in_two_spellings_is_refused() {
    let header =
        "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc\n";
    let row = |date: &str| format!("S1,{date},river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,,,,,,,,,,\n");
    for (a, b) in [
        ("2024-01-05", "2024/1/5"),
        ("2024-01-05 08:00", "2024-01-05T08:00"),
        ("2024-01-05 9:00", "2024/01/05 09:00"),
    ] {
        let file = format!("{header}{}{}{}", row(a), row("2024-01-06"), row(b));
        let e = annual(file.as_bytes(), Table::embedded(), Thresholds::embedded()).unwrap_err();
        assert_eq!(e.line, Some(4), "{a} / {b}: {e}");
        assert!(e.to_string().contains("first on line 2"), "{a} / {b}: {e}");
    }
    let distinct = format!("{header}{}{}", row("2024-01-05 08:00"), row("2024-01-05 08:30"));
    assert_eq!(
        annual(distinct.as_bytes(), Table::embedded(), Thresholds::embedded()).unwrap()[0]
            .period
            .samples(),
        2
    );
}
