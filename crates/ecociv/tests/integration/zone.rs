//! `ecociv zone create|import|export` (issue 15): a zone directory made from the hierarchy, two zones of
//! 柳州市 created from files and stored with their values, a bad file refused whole with file, line and
//! field, and the export read back by the import.

use std::path::Path;

use crate::support::{ecociv, scratch, stderr, stdout};

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A second zone from the example zone's exported files: another code and name, row 10 worse.
fn derived_zone(from: &Path, to: &Path, code: &str, name: &str) {
    std::fs::create_dir_all(to).unwrap();
    let zone = std::fs::read_to_string(from.join("zone.toml")).unwrap();
    let zone = zone
        .replace("code = \"450202\"", &format!("code = \"{code}\""))
        .replace("name = \"柳州市城中区\"", &format!("name = \"{name}\""));
    std::fs::write(to.join("zone.toml"), zone).unwrap();
    let values = std::fs::read_to_string(from.join("values.csv")).unwrap();
    let values: String = values
        .lines()
        .map(|line| {
            if line.starts_with("10,2021,") {
                "10,2021,30,,,测试数据".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(to.join("values.csv"), values + "\n").unwrap();
    std::fs::copy(from.join("projects.csv"), to.join("projects.csv")).unwrap();
}

#[test]
fn create_import_refuse_export_and_import_again() {
    let dir = scratch("zone-cli");
    // create: the name and parents come from the hierarchy, the edition is recorded.
    let created = dir.join("created");
    let output = ecociv(&[
        "zone",
        "create",
        "--code",
        "450203",
        "--base-year",
        "2021",
        "--climate",
        "湿润",
        "--terrain",
        "丘陵",
        "--out",
        s(&created),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let toml = std::fs::read_to_string(created.join("zone.toml")).unwrap();
    for expected in [
        "code = \"450203\"",
        "name = \"柳州市鱼峰区\"",
        "framework = \"national-2021\"",
        "code = \"450200\"",
        "name = \"广西壮族自治区\"",
    ] {
        assert!(toml.contains(expected), "{expected} in\n{toml}");
    }
    let output = ecociv(&[
        "zone",
        "create",
        "--code",
        "450299",
        "--base-year",
        "2021",
        "--climate",
        "湿润",
        "--terrain",
        "丘陵",
        "--out",
        s(&dir.join("x")),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("450299"), "{}", stderr(&output));
    let output = ecociv(&[
        "zone",
        "create",
        "--code",
        "450203",
        "--base-year",
        "2021",
        "--climate",
        "湿润",
        "--terrain",
        "丘陵",
        "--out",
        s(&created),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a non-empty directory is not overwritten"
    );

    // The example zone exported, and two zones of 柳州市 made from its files.
    let example = dir.join("example");
    let output = ecociv(&["zone", "export", "--zone", "450202", "--out", s(&example)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let yufeng = dir.join("yufeng");
    let liunan = dir.join("liunan");
    derived_zone(&example, &yufeng, "450203", "柳州市鱼峰区");
    derived_zone(&example, &liunan, "450204", "柳州市柳南区");
    let db = format!("sqlite://{}", dir.join("zones.sqlite3").display());

    // A bad value and bad parents: refused whole, every problem named, nothing stored.
    let broken = dir.join("broken");
    derived_zone(&example, &broken, "450302", "桂林市秀峰区");
    let values = std::fs::read_to_string(broken.join("values.csv")).unwrap() + "9,2022,很多,,,\n";
    std::fs::write(broken.join("values.csv"), &values).unwrap();
    let line = values.lines().count();
    let output = ecociv(&["zone", "import", s(&broken), "--db", &db]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains(&format!("values.csv: 第 {line} 行，字段 value")), "{err}");
    // Fix the value: now only the parents (桂林 is not 柳州) are wrong.
    std::fs::write(broken.join("values.csv"), values.replace("9,2022,很多,,,\n", "")).unwrap();
    let output = ecociv(&["zone", "import", s(&broken), "--db", &db]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("字段 parents") && stderr(&output).contains("450300 桂林市"),
        "{}",
        stderr(&output)
    );

    let output = ecociv(&[
        "zone",
        "export",
        "--zone",
        "450302",
        "--db",
        &db,
        "--out",
        s(&dir.join("none")),
    ]);
    assert_eq!(output.status.code(), Some(1), "nothing of the refused zone was stored");
    for zone in [&yufeng, &liunan] {
        let output = ecociv(&["zone", "import", s(zone), "--db", &db]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout(&output).contains("个数值"), "{}", stdout(&output));
    }
    let output = ecociv(&["zone", "import", s(&yufeng), "--db", &db]);
    assert_eq!(output.status.code(), Some(1), "a zone is created once");
    assert!(stderr(&output).contains("已存在"), "{}", stderr(&output));

    // Export from the database and import into another: the same assessment.
    let back = dir.join("back");
    let output = ecociv(&["zone", "export", "--zone", "450203", "--db", &db, "--out", s(&back)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let other = format!("sqlite://{}", dir.join("other.sqlite3").display());
    let output = ecociv(&["zone", "import", s(&back), "--db", &other]);
    assert!(output.status.success(), "{}", stderr(&output));
    let judged = |zone: &Path| {
        let output = ecociv(&["assess", "--zone", s(zone), "--year", "2021", "--format", "json"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row["id"].as_str().unwrap().to_string(),
                    row["status"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let a = judged(&yufeng);
    assert_eq!(a, judged(&back));
    assert!(
        a.contains(&("10".to_string(), "not_met".to_string())),
        "row 10 at 30 % is not met"
    );
}

/// `ecociv zone adopt` (issue 15): a zone imported under national-2021 adopts the example scored edition
/// from 2023; the periods are listed; a second adoption reaching back is refused with its reason and
/// changes nothing.
#[test]
fn a_zone_adopts_a_newer_edition_from_the_command_line() {
    let dir = scratch("zone-adopt");
    let example = dir.join("example");
    let output = ecociv(&["zone", "export", "--zone", "450202", "--out", s(&example)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let db = format!("sqlite://{}", dir.join("adopt.sqlite3").display());
    let output = ecociv(&["zone", "import", s(&example), "--db", &db]);
    assert!(output.status.success(), "{}", stderr(&output));
    let listed = ecociv(&["zone", "adopt", "--zone", "450202", "--db", &db]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert_eq!(stdout(&listed).lines().count(), 1, "{}", stdout(&listed));
    assert!(
        stdout(&listed).starts_with("各年份\tnational-2021\t"),
        "{}",
        stdout(&listed)
    );

    let adopt = |year: &str| {
        ecociv(&[
            "zone",
            "adopt",
            "--zone",
            "450202",
            "--framework",
            "example-scored-2021",
            "--from-year",
            year,
            "--reason",
            "测试文件",
            "--db",
            &db,
        ])
    };
    let output = adopt("2023");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("2022 年及以前\tnational-2021\t"), "{out}");
    assert!(out.contains("2023 年起\texample-scored-2021\t"), "{out}");
    // The same edition again: refused, nothing changed.
    let output = adopt("2024");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stderr(&output).contains("已采用指标体系版本"), "{}", stderr(&output));
    let output = adopt("年份");
    assert_eq!(output.status.code(), Some(2), "a bad year is bad usage");
    let listed = ecociv(&["zone", "adopt", "--zone", "450202", "--db", &db]);
    assert_eq!(stdout(&listed).lines().count(), 2, "{}", stdout(&listed));
}
