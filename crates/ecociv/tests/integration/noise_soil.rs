//! `ecociv noise judge` and `ecociv soil development|farmland`: the real binary on small files.

use crate::support::*;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn noise_judge_contract() {
    let dir = scratch("noise-contract");
    let input = write(
        &dir,
        "noise.csv",
        "point,class,date,start,minutes,leq,lmax\n\
         N1,2,2024-06-01,06:00,480,58.0,\n\
         N1,2,2024-06-01,14:00,480,62.0,\n\
         N1,2,2024-06-01,22:00,480,50.0,65\n\
         =N2,4a,2024-06-01,23:00,60,55.04,70.2\n",
    );
    let out = ecociv(&["noise", "judge", "--input", &input]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Rows by point, date, period. N1 day: 10·lg((10^5.8 + 10^6.2)/2) = 60.44 → 60.4 > 60 (the arithmetic
    // mean, 60.0, would meet it). Night 50.0 meets 50; lmax 65 meets 50 + 15. N2 (a formula-like name,
    // neutralised) 55.04 rounds to 55.0: meets 4a's 55; lmax 70.2 > 70.
    assert_eq!(
        stdout(&out),
        "point,class,date,period,minutes,period_minutes,leq,limit,verdict,exceedance,lmax,lmax_limit,lmax_verdict,edition\n\
         '=N2,4a类,2024-06-01,夜间,60,480,55.0,55.0,达标,,70.2,70.0,超标,GB 3096-2008\n\
         N1,2类,2024-06-01,昼间,960,960,60.4,60.0,超标,0.4,,,,GB 3096-2008\n\
         N1,2类,2024-06-01,夜间,480,480,50.0,50.0,达标,,65.0,65.0,达标,GB 3096-2008\n"
    );
    let out = ecociv(&["noise", "judge", "--input", &input, "--format", "json"]);
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["edition"], "GB 3096-2008");
    assert_eq!(v["periods"][1]["verdict"], "超标");
    assert_eq!(v["periods"][1]["leq"], 60.4);
    assert_eq!(v["doubts"][0]["key"], "rounding.step");
}

#[test]
fn a_refused_noise_file_names_file_line_and_field_and_writes_nothing() {
    let dir = scratch("noise-refused");
    let input = write(
        &dir,
        "bad.csv",
        "point,class,date,start,minutes,leq\nN1,2,2024-06-01,06:00,60,58\nN1,5,2024-06-01,07:00,60,58\nN2,1,2024-06-01,21:30,60,50\n",
    );
    let target = dir.join("out.csv");
    let out = ecociv(&[
        "noise",
        "judge",
        "--input",
        &input,
        "--output",
        &target.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(!target.exists(), "nothing is written when the input is refused");
    let err = stderr(&out);
    assert!(err.contains(&format!("{input}: 第 3 行第 2 列（class）")), "{err}");
    assert!(err.contains(&format!("{input}: 第 4 行第 5 列（minutes）")), "{err}");
}

#[test]
fn soil_development_and_farmland_contract() {
    let dir = scratch("soil-contract");
    let dev = write(
        &dir,
        "dev.csv",
        "sample,class,item,value\nS1,1,砷,25\nS1,1,pb,900\nS2,2,苯,4\n",
    );
    let out = ecociv(&["soil", "development", "--input", &dev]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "line,sample,class,item,name,value,screening,intervention,level,consequence,note,edition"
    );
    assert!(
        lines[1].starts_with("2,S1,第一类用地,as,砷,25,20,120,超过筛选值、不超过管制值,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("表1注①"),
        "arsenic above screening carries the background note"
    );
    assert!(
        lines[2].starts_with("3,S1,第一类用地,pb,铅,900,400,800,超过管制值,"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("4,S2,第二类用地,benzene,苯,4,4,40,不超过筛选值,"),
        "{}",
        lines[3]
    );
    assert!(lines[3].ends_with(",,GB 36600-2018"));

    let farm = write(
        &dir,
        "farm.csv",
        "sample,land,ph,item,value\nF1,水田,7.0,cd,0.61\nF2,果园,5.0,铜,150\n",
    );
    let out = ecociv(&["soil", "farmland", "--input", &farm, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["edition"], "GB 15618-2018");
    assert_eq!(v["rows"][0]["level"], "超过筛选值、不超过管制值");
    assert_eq!(v["rows"][0]["screening"], 0.6);
    assert_eq!(v["rows"][0]["intervention"], 3.0);
    assert_eq!(v["rows"][1]["level"], "不超过筛选值");
    assert_eq!(v["rows"][1]["intervention"], serde_json::Value::Null);
}

#[test]
fn a_refused_soil_file_names_every_problem() {
    let dir = scratch("soil-refused");
    let farm = write(
        &dir,
        "farm.csv",
        "sample,land,ph,item,value\nF1,茶园,6,cd,0.2\nF2,水田,6,cd,很多\n",
    );
    let out = ecociv(&["soil", "farmland", "--input", &farm]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains(&format!("{farm}: 第 2 行第 2 列（land）")), "{err}");
    assert!(err.contains(&format!("{farm}: 第 3 行第 5 列（value）")), "{err}");
    assert!(err.contains("2 处"), "{err}");
}
