//! `ecociv air daily|annual` and the air feed of `ecociv assess` (rows 7.1 and 7.2 from monitoring data).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ecociv(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecociv"));
    cmd.args(args).current_dir(repo());
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn ecociv");
    if let Some(s) = stdin {
        // the command may exit before reading (bad arguments): ignore a broken pipe
        let _ = child.stdin.take().expect("stdin").write_all(s.as_bytes());
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("run ecociv")
}

#[test]
fn assess_uses_computed_air_figures_with_provenance() {
    let mon = repo().join("data/synthetic/monitoring-450202-SYNTHETIC");
    let out = ecociv(
        &[
            "assess",
            "--zone",
            "450202",
            "--year",
            "2023",
            "--monitoring",
            mon.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The same figures straight from the library (point-average over both synthetic stations).
    let (years, _, _) = ecociv_air::ingest::read_zone_dir(
        &mon.join("air"),
        "450202",
        Some(2023),
        ecociv_air::EditionChoice::ByDate,
        false,
    )
    .unwrap();
    let z = &years[0];
    assert_eq!(z.stations.len(), 2);
    let rows = json["rows"].as_array().expect("rows");
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("row {id}"))
    };
    let r71 = row("7.1");
    assert_eq!(r71["value"].as_f64(), Some(z.good_rate_tenths().unwrap() as f64 / 10.0));
    // Computed from files named SYNTHETIC: shown as synthetic, with method, edition and provenance.
    assert_eq!(r71["source"]["kind"], "synthetic");
    let prov = r71["source"]["description"].as_str().unwrap();
    assert!(
        prov.contains("SYN-A0000") && prov.contains("SYN-B0000") && prov.contains("合成"),
        "{prov}"
    );
    assert!(
        prov.contains("HJ 663-2013") && prov.contains("HJ 633-2012") && prov.contains("有效天数"),
        "{prov}"
    );
    let r72 = row("7.2");
    assert_eq!(r72["value"].as_f64(), Some(z.pm25().unwrap().0 as f64));
    assert!(z.pm25().unwrap().1, "coverage rule holds for the synthetic year");
    assert_eq!(r72["source"]["kind"], "synthetic");
    assert!(
        r72["source"]["description"]
            .as_str()
            .unwrap()
            .contains("PM2.5 年平均浓度")
    );
    // Plausibility: a share in %, a concentration in µg/m³.
    let v71 = r71["value"].as_f64().unwrap();
    assert!((50.0..=100.0).contains(&v71), "{v71}");
}

/// The Latin words of a Chinese text outside an allow-list: standard codes and symbols (GB, HJ, PM2.5,
/// AQI, III), units; a token with a digit (a station or section code such as SYN-A0000, a zone code) is
/// a code, not a word.
fn latin_words(text: &str) -> Vec<String> {
    const ALLOWED: [&str; 12] = ["GB", "HJ", "PM", "AQI", "III", "II", "IV", "EI", "km", "m³", "μg", "SO"];
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "._/-".contains(c)))
        .filter(|token| !token.chars().any(|c| c.is_ascii_digit()))
        .flat_map(|token| token.split(['.', '_', '/', '-']))
        .filter(|word| word.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .filter(|word| !ALLOWED.contains(word))
        .map(str::to_string)
        .collect()
}

#[test]
fn chinese_explanations_over_the_example_zone_and_synthetic_monitoring_have_no_english() {
    let mon = repo().join("data/synthetic/monitoring-450202-SYNTHETIC");
    for year in 2021..=2024 {
        let out = ecociv(
            &[
                "assess",
                "--zone",
                "450202",
                "--year",
                &year.to_string(),
                "--monitoring",
                mon.to_str().unwrap(),
                "--format",
                "json",
            ],
            None,
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let mut texts: Vec<String> = vec![
            json["readiness"]["explanation"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ];
        for row in json["rows"].as_array().expect("rows") {
            texts.push(row["explanation"].as_str().unwrap_or_default().to_string());
            texts.push(row["source"]["description"].as_str().unwrap_or_default().to_string());
            for warning in row["warnings"].as_array().into_iter().flatten() {
                texts.push(warning.as_str().unwrap_or_default().to_string());
            }
        }
        for text in &texts {
            let words = latin_words(text);
            assert!(words.is_empty(), "{year}: Latin words {words:?} in: {text}");
            for internal in [".csv", "data/", "SYNTHETIC", "climate=", "ecociv"] {
                assert!(!text.contains(internal), "{year}: {internal:?} in: {text}");
            }
        }
    }
    // The check itself catches the strings users reported.
    assert_eq!(latin_words("（daily AQI: HJ 633-2012）"), ["daily"]);
    assert!(!latin_words("point-average of 2 stations, 358 valid days").is_empty());
    assert!(latin_words("HJ 633-2012，SYN-A0000，PM2.5 29 μg/m³").is_empty());
}

#[test]
fn air_daily_from_stdin_and_edition_flag() {
    let input = "station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25\nA,2026-05-01,5,10,20,0.4,50,40,60.5\n";
    let out = ecociv(&["air", "daily", "--input", "-"], Some(input));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().nth(1),
        Some("A,2026-05-01,100,2,良,pm25,5,13,20,10,16,20,100")
    );
    let out = ecociv(&["air", "daily", "--input", "-", "--edition", "2012"], Some(input));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().nth(1),
        Some("A,2026-05-01,82,2,良,pm25,5,13,20,10,16,20,82")
    );
    let out = ecociv(&["air", "daily", "--input", "-", "--edition", "2020"], Some(input));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn air_annual_bad_row_fails_and_writes_nothing() {
    let input =
        "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2023-01-01,0,1,2,3,0.4,5,6\nA,2023-01-01,1,1,2,3,0.4,5,x\n";
    let out = ecociv(&["air", "annual", "--input", "-"], Some(input));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3") && err.contains("column 9") && err.contains("pm25"),
        "{err}"
    );
    let out = ecociv(&["air", "annual", "--input", "-", "--skip-bad"], Some(input));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("station,year,valid_days,good_days,good_rate,so2,no2,pm10,pm25,co_p95,o3_8h_p90\nA,2023,0,0,")
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 行"));
}

/// `ecociv air hourly`: a worked example of the real-time report, computed by hand from HJ 633-2012 表1
/// (real-time 1-h columns for SO2, NO2, CO, O3; the 24-h columns for PM; standards.md §1.1, §1.6).
#[test]
fn air_hourly_worked_example() {
    // O3 over hours 0–7: 100, 110, …, 160, 180; the other pollutants only at hour 7.
    let mut input = String::from("station,date,hour,so2,no2,pm10,co,o3,pm25\n");
    for (h, o3) in [100, 110, 120, 130, 140, 150, 160].iter().enumerate() {
        input.push_str(&format!("A,2024-07-01,{h},,,,,{o3},\n"));
    }
    input.push_str("A,2024-07-01,7,300,150,100,7.5,180,90\n");
    let out = ecociv(&["air", "hourly", "--input", "-"], Some(&input));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "station,date,hour,aqi,level,category,primary,o3_8h,pm10,pm25,pm_window_hours,iaqi_so2,iaqi_no2,iaqi_pm10,iaqi_co,iaqi_o3_1h,iaqi_o3_8h,iaqi_pm25,edition"
    );
    // Hours 0–4: fewer than 6 hours in the O3 8-h window; the AQI is the 1-h O3 one: 100 → 50·100/160 = 31.25 → 32.
    assert_eq!(lines[1], "A,2024-07-01,0,32,1,优,,,,,1,,,,,32,,,HJ 633-2012");
    assert!(
        lines[5].starts_with("A,2024-07-01,4,") && lines[5].split(',').nth(7) == Some(""),
        "{}",
        lines[5]
    );
    // Hour 5: six hours, (100+…+150)/6 = 125 → O3 8-h IAQI 50 + 50·25/60 = 70.83 → 71.
    assert_eq!(lines[6].split(',').nth(7), Some("125"), "{}", lines[6]);
    assert_eq!(lines[6].split(',').nth(16), Some("71"), "{}", lines[6]);
    // Hour 7: SO2 1-h 300 → 50 + 50·150/350 = 71.4 → 72; NO2 150 → 75; CO 7.5 → 75; O3 1-h 180 → 75;
    // PM10 (1-h value, the data file's default) 100 → 75; PM2.5 90 → 100 + 50·15/40 = 118.75 → 119;
    // O3 8-h (100+…+160+180)/8 = 136.25 → 136 → 50 + 50·36/60 = 80. AQI 119, 轻度污染, primary PM2.5.
    assert_eq!(
        lines[8],
        "A,2024-07-01,7,119,3,轻度污染,pm25,136,100,90,1,72,75,75,75,75,80,119,HJ 633-2012"
    );

    // HJ 633-2026: PM2.5 90 → 100 + 50·30/55 = 127.3 → 128; PM10 100 → 50 + 50·50/70 = 85.7 → 86.
    let out = ecociv(&["air", "hourly", "--input", "-", "--edition", "2026"], Some(&input));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().nth(8),
        Some("A,2024-07-01,7,128,3,轻度污染,pm25,136,100,90,1,72,75,86,75,75,80,128,HJ 633-2026")
    );

    // The 24-h moving mean for PM needs 20 hours: with 8 hours there is none, and O3 8-h (80) leads.
    let out = ecociv(&["air", "hourly", "--input", "-", "--pm-window", "24"], Some(&input));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().nth(8),
        Some("A,2024-07-01,7,80,2,良,o3_8h,136,,,24,72,75,,75,75,80,,HJ 633-2012")
    );
}

#[test]
fn air_hourly_refuses_a_station_going_back_and_writes_nothing() {
    let input = "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2024-07-01,5,1,2,3,0.4,5,6\nB,2024-07-01,1,1,2,3,0.4,5,6\n\nA,2024-07-01,4,1,2,3,0.4,5,6\n";
    let out = ecociv(&["air", "hourly", "--input", "-"], Some(input));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "nothing written");
    let err = String::from_utf8_lossy(&out.stderr);
    // Line 5: the blank line 4 counts.
    assert!(err.contains("line 5") && err.contains("station A"), "{err}");
    // A repeated hour is a bad row that --skip-bad may skip; going back is not skippable.
    let repeat =
        "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2024-07-01,5,1,2,3,0.4,5,6\nA,2024-07-01,5,1,2,3,0.4,5,6\n";
    let out = ecociv(&["air", "hourly", "--input", "-", "--skip-bad"], Some(repeat));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().count(),
        2,
        "header and the first row"
    );
    let out = ecociv(&["air", "hourly", "--input", "-", "--skip-bad"], Some(input));
    assert_eq!(out.status.code(), Some(1));
}
