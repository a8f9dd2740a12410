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
    cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
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
        &["assess", "--zone", "450202", "--year", "2023", "--monitoring", mon.to_str().unwrap(), "--format", "json"],
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
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("row {id}"));
    let r71 = row("7.1");
    assert_eq!(r71["value"].as_f64(), Some(z.good_rate_tenths().unwrap() as f64 / 10.0));
    // Computed from files named SYNTHETIC: shown as synthetic, with method, edition and provenance.
    assert_eq!(r71["source"]["kind"], "synthetic");
    let prov = r71["source"]["description"].as_str().unwrap();
    assert!(prov.contains("SYN-A0000") && prov.contains("SYN-B0000") && prov.contains("SYNTHETIC"), "{prov}");
    assert!(prov.contains("HJ 663-2013") && prov.contains("HJ 633-2012") && prov.contains("有效天数"), "{prov}");
    let r72 = row("7.2");
    assert_eq!(r72["value"].as_f64(), Some(z.pm25().unwrap().0 as f64));
    assert!(z.pm25().unwrap().1, "coverage rule holds for the synthetic year");
    assert_eq!(r72["source"]["kind"], "synthetic");
    assert!(r72["source"]["description"].as_str().unwrap().contains("PM2.5 年平均浓度"));
    // Plausibility: a share in %, a concentration in µg/m³.
    let v71 = r71["value"].as_f64().unwrap();
    assert!((50.0..=100.0).contains(&v71), "{v71}");
}

#[test]
fn air_daily_from_stdin_and_edition_flag() {
    let input = "station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25\nA,2026-05-01,5,10,20,0.4,50,40,60.5\n";
    let out = ecociv(&["air", "daily", "--input", "-"], Some(input));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().nth(1), Some("A,2026-05-01,100,2,良,pm25,5,13,20,10,16,20,100"));
    let out = ecociv(&["air", "daily", "--input", "-", "--edition", "2012"], Some(input));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().nth(1), Some("A,2026-05-01,82,2,良,pm25,5,13,20,10,16,20,82"));
    let out = ecociv(&["air", "daily", "--input", "-", "--edition", "2020"], Some(input));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn air_annual_bad_row_fails_and_writes_nothing() {
    let input = "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2023-01-01,0,1,2,3,0.4,5,6\nA,2023-01-01,1,1,2,3,0.4,5,x\n";
    let out = ecociv(&["air", "annual", "--input", "-"], Some(input));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("column 9") && err.contains("pm25"), "{err}");
    let out = ecociv(&["air", "annual", "--input", "-", "--skip-bad"], Some(input));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("station,year,valid_days,good_days,good_rate,so2,no2,pm10,pm25,co_p95,o3_8h_p90\nA,2023,0,0,"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 行"));
}
