//! `ecociv water classify|annual`, and `ecociv assess` using the figures computed from a zone's
//! `monitoring/water/` folder (the SYNTHETIC dataset in `data/synthetic/monitoring-450202-SYNTHETIC`).

use crate::support::*;

const HEADER: &str =
    "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc";

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn classify_and_annual_contract() {
    let dir = scratch("water-contract");
    let input = write(
        &dir,
        "samples.csv",
        &format!(
            "{HEADER}\nS1,2024-01-15,river,7.2,8.1,,,,0.12,0.02,,,,,,,,,,,,,,,,\n\
             S1,2024-02-15,river,7.0,4.0,,,,1.2,0.25,,,,,,,,,,,,,,,,90000\n\
             L1,2024-02-15,lake,,,,,,,0.25,3.0,,,,,,,,,,,,,,,\n"
        ),
    );
    let out = ecociv(&["water", "classify", "--input", &input]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "section,date,class,status,class_items\nS1,2024-01-15,I,优,\nS1,2024-02-15,IV,轻度污染,do;nh3n;tp\nL1,2024-02-15,劣V,重度污染,tp\n"
    );
    let out = ecociv(&["water", "annual", "--input", &input]);
    assert!(out.status.success(), "{}", stderr(&out));
    // S1 means: DO 6.05 (II), NH3-N 0.66 (III), TP 0.135 (III) → III.
    assert_eq!(
        stdout(&out),
        "section,year,samples,class,status,main_pollutants\nL1,2024,1,劣V,重度污染,tp(4.00)\nS1,2024,2,III,良好,\n"
    );
    // --output writes the file.
    let target = dir.join("out.csv");
    let out = ecociv(&[
        "water",
        "classify",
        "--input",
        &input,
        "--output",
        &target.display().to_string(),
    ]);
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("section,date,class,status,class_items\n")
    );
}

#[test]
fn classify_from_stdin() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ecociv"))
        .args(["water", "classify", "--input", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{HEADER}\nS,2024-01-01,river,,,,25,,,,,,,,,,,,,,,,,,,\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "section,date,class,status,class_items\nS,2024-01-01,IV,轻度污染,cod\n"
    );
}

#[test]
fn malformed_input_names_line_and_column_and_writes_nothing() {
    let dir = scratch("water-bad");
    let mut text = format!("{HEADER}\n");
    for d in 1..=9 {
        text.push_str(&format!("S1,2024-01-0{d},river,7,8,,,,0.1,,,,,,,,,,,,,,,,,\n"));
    }
    text.push_str("S1,2024-01-10,river,7,8,,,,0,1x,,,,,,,,,,,,,,,,\n");
    let input = write(&dir, "bad.csv", &text);
    let target = dir.join("out.csv");
    for args in [
        vec!["water", "classify", "--input", &input],
        vec!["water", "annual", "--input", &input],
    ] {
        let out = ecociv(&args);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(stdout(&out), "", "nothing written to stdout");
        let err = stderr(&out);
        assert!(
            err.contains("line 11, column 10 (tp)") && err.contains("第 11 行第 10 列"),
            "{err}"
        );
    }
    let out = ecociv(&[
        "water",
        "classify",
        "--input",
        &input,
        "--output",
        &target.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!target.exists(), "no output file on error");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

/// Issue 4: `ecociv assess --zone 450202 --year 2024` uses the computed 8.1, 8.2, 8.3, 9 and 23 from the
/// zone's water monitoring data — here the SYNTHETIC dataset, which is shown as synthetic.
#[test]
fn assess_uses_computed_water_figures() {
    let monitoring = repo().join("data/synthetic/monitoring-450202-SYNTHETIC");
    let result = json(&ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2024",
        "--monitoring",
        &monitoring.display().to_string(),
        "--format",
        "json",
    ]));
    let rows = result["rows"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|row| row["id"] == id).unwrap().clone();
    let close = |id: &str, want: f64| {
        let got = row(id)["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("row {id} has a number: {}", row(id)["value"]));
        assert!((got - want).abs() < 1e-9, "row {id}: {got} vs {want}");
    };
    close("8.1", 500.0 / 6.0);
    close("8.2", 0.0);
    close("8.3", 50.0);
    close("9", 73.5);
    close("23", 100.0);
    for id in ["8.1", "8.2", "8.3", "9", "23"] {
        let source = &row(id)["source"];
        assert_eq!(source["kind"], "synthetic", "row {id}");
        let text = source["description"].as_str().unwrap();
        // Labelled as synthetic in Chinese, without file names (people read this text).
        assert!(
            text.contains("合成的演示") && !text.contains(".csv") && !text.contains("SYNTHETIC"),
            "row {id}: {text}"
        );
    }
    let d = |id: &str| row(id)["source"]["description"].as_str().unwrap().to_string();
    assert!(
        d("8.1").contains("GB 3838-2002")
            && d("8.1").contains("6 个断面中 5 个")
            && d("8.1").contains("较 2021 年变化 +16.7 个百分点")
    );
    assert!(d("8.3").contains("BO-SYN-2:轻度黑臭") && d("8.3").contains("城市黑臭水体整治工作指南(2015)"));
    assert!(d("9").contains("HJ 192-2015") && d("9").contains("良"));
    assert!(d("23").contains("2 个集中式饮用水水源地中 2 个"));
    // The stable-or-improving rule compared 2024 against the computed 2021 values.
    assert!(
        row("8.1")["explanation"].as_str().unwrap().contains("2021年为 66.7%"),
        "{}",
        row("8.1")["explanation"]
    );
}

#[test]
fn bad_monitoring_file_fails_the_assessment() {
    let dir = scratch("water-monitoring-bad");
    std::fs::create_dir_all(dir.join("water")).unwrap();
    write(
        &dir.join("water"),
        "ei.csv",
        "year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load,restriction\n2024,70,x,45,15,5,\n",
    );
    let out = ecociv(&[
        "assess",
        "--zone",
        "450202",
        "--year",
        "2024",
        "--monitoring",
        &dir.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("ei.csv") && err.contains("line 2, column 3 (vegetation_cover)"),
        "{err}"
    );
}
