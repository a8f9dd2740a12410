//! A zone written as a zone directory reads back equal (issue 15: `ecociv zone export` → `import`), an
//! upload's problems are collected from every file, and a zone's code and parents are checked against the
//! hierarchy.

use ecociv_core::division::Day;
use ecociv_data::bundled;
use ecociv_data::export::zone_files;
use ecociv_data::load::{check_hierarchy, from_texts};

fn file<'a>(files: &'a [(&str, String)], name: &str) -> &'a str {
    &files.iter().find(|(n, _)| *n == name).expect(name).1
}

#[test]
fn the_example_zone_exported_reads_back_equal() {
    let loaded = ecociv_data::load_zone("450202").unwrap();
    let files = zone_files(&loaded.zone, "2026-12-04");
    let back = from_texts(
        "export",
        loaded.framework.clone(),
        file(&files, "zone.toml"),
        Some(file(&files, "values.csv")),
        Some(file(&files, "projects.csv")),
    )
    .unwrap_or_else(|e| panic!("{e}\n{}", file(&files, "zone.toml")));
    assert_eq!(back.zone.profile, loaded.zone.profile);
    assert_eq!(back.zone.plan, loaded.zone.plan);
    // Every value in force, with what was assigned and recorded; sources as citations.
    for year in loaded.zone.years() {
        for (_, row) in loaded.framework.rows() {
            let before = loaded.zone.observation(&row.id, year);
            let after = back.zone.observation(&row.id, year);
            assert_eq!(before.map(|o| &o.value), after.map(|o| &o.value), "{} {year}", row.id);
            assert_eq!(
                before.map(|o| &o.assigned),
                after.map(|o| &o.assigned),
                "{} {year}",
                row.id
            );
            assert_eq!(
                before.map(|o| o.recorded.as_ref().map(|r| r.met)),
                after.map(|o| o.recorded.as_ref().map(|r| r.met)),
                "{} {year}",
                row.id
            );
            assert_eq!(before.map(|o| o.source.describe()), after.map(|o| o.source.describe()));
        }
    }
    // And the same assessment.
    for year in [2017, 2021] {
        let a = ecociv_core::assess(&loaded.framework, &loaded.zone, year);
        let b = ecociv_core::assess(&back.framework, &back.zone, year);
        assert_eq!(a.readiness, b.readiness);
        let statuses =
            |x: &ecociv_core::Assessment| x.rows.iter().map(|r| (r.id.clone(), r.status)).collect::<Vec<_>>();
        assert_eq!(statuses(&a), statuses(&b));
    }
}

#[test]
fn an_upload_is_refused_whole_with_every_files_problems() {
    let loaded = ecociv_data::load_zone("450202").unwrap();
    let files = zone_files(&loaded.zone, "x");
    let zone = file(&files, "zone.toml").replace("[rows.\"3\"]", "[rows.\"99\"]");
    let values = format!("{}3,2022,abc,,,\n", file(&files, "values.csv"));
    let lines = values.lines().count() as u64;
    let Err(error) = from_texts(
        "up",
        loaded.framework.clone(),
        &zone,
        Some(&values),
        Some("number,category\n1,x\n"),
    ) else {
        panic!("refused")
    };
    let found: Vec<(String, Option<u64>, Option<String>)> = error
        .problems
        .iter()
        .map(|p| (p.file.clone(), p.line, p.field.clone()))
        .collect();
    assert!(
        found
            .iter()
            .any(|(f, _, field)| f == "up/zone.toml" && field.as_deref() == Some("rows.99")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(f, line, _)| f == "up/values.csv" && *line == Some(lines)),
        "{found:?}"
    );
    assert!(found.iter().any(|(f, _, _)| f == "up/projects.csv"), "{found:?}");
}

#[test]
fn a_zone_is_checked_against_the_hierarchy() {
    let h = bundled::divisions().unwrap();
    let day = Day {
        year: 2024,
        month: 1,
        day: 1,
    };
    let loaded = ecociv_data::load_zone("450202").unwrap();
    assert!(check_hierarchy("z", &loaded.zone.profile, &h, day).is_empty());
    let mut other = loaded.zone.profile;
    other.code = "450302".into();
    let problems = check_hierarchy("z", &other, &h, day);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field.as_deref(), Some("parents"));
    assert!(problems[0].message.contains("450300 桂林市"), "{}", problems[0]);
    other.code = "450299".into();
    assert!(
        check_hierarchy("z", &other, &h, day)[0]
            .message
            .contains("不在已载入的区划中")
    );
    other.code = "450200".into();
    assert!(
        check_hierarchy("z", &other, &h, day)
            .iter()
            .any(|p| p.message.contains("不是县级"))
    );
    other.code = "450127".into();
    assert!(
        check_hierarchy("z", &other, &h, day)
            .iter()
            .any(|p| p.message.contains("不是现行区划"))
    );
    // A province the deployment has not loaded is not checked.
    other.code = "110101".into();
    assert!(check_hierarchy("z", &other, &h, day).is_empty());
}
