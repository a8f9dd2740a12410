//! `ecociv map sites ZONE FILE` (issue 15): a zone's points from a GeoJSON file, all or nothing — a bad
//! file refused with the file, the feature's JSON path and the reason, nothing stored; a good one stored.

use std::path::Path;

use crate::support::{ecociv, scratch, stderr, stdout};

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn points(features: &[(&str, &str, f64, f64)]) -> String {
    let features: Vec<String> = features
        .iter()
        .map(|(kind, id, lon, lat)| {
            format!(
                r#"{{"type":"Feature","properties":{{"kind":"{kind}","id":"{id}"}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
            )
        })
        .collect();
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

#[test]
fn map_sites_imports_a_zones_points_all_or_nothing() {
    let dir = scratch("map-sites-cli");
    let example = dir.join("example");
    let output = ecociv(&["zone", "export", "--zone", "450202", "--out", s(&example)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let db = format!("sqlite://{}", dir.join("sites.sqlite3").display());
    let output = ecociv(&["zone", "import", s(&example), "--db", &db]);
    assert!(output.status.success(), "{}", stderr(&output));

    // Outside China, an unknown project, and a station of a zone without air data: each named, nothing stored.
    let bad = dir.join("bad.geojson");
    std::fs::write(
        &bad,
        points(&[
            ("project", "2.01", 109.45, 24.35),
            ("project", "2.02", -0.1276, 51.5072),
            ("project", "7.01", 109.44, 24.36),
            ("station", "市监测站", 109.41, 24.33),
        ]),
    )
    .unwrap();
    let output = ecociv(&["map", "sites", "450202", s(&bad), "--db", &db]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let err = stderr(&output);
    for expected in [
        "点位文件 bad.geojson 有 3 处错误，未导入任何点位",
        "bad.geojson: 字段 features[1].geometry.coordinates",
        "不在中国境内",
        "features[2].properties.id",
        "没有编号“7.01”",
        "features[3].properties.id",
        "尚未导入空气监测数据",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }

    let good = dir.join("projects.geojson");
    std::fs::write(
        &good,
        points(&[("project", "2.01", 109.45, 24.35), ("project", "5.07", 109.42, 24.37)]),
    )
    .unwrap();
    let output = ecociv(&["map", "sites", "450202", s(&good), "--db", &db]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("已导入区域 450202 的 2 个点位（重点项目 2 个）"),
        "{}",
        stdout(&output)
    );
    // The bad file again: still refused; an unknown zone is named.
    let output = ecociv(&["map", "sites", "450202", s(&bad), "--db", &db]);
    assert_eq!(output.status.code(), Some(1));
    let output = ecociv(&["map", "sites", "459999", s(&good), "--db", &db]);
    assert_eq!(output.status.code(), Some(1), "an unknown zone");
    assert!(stderr(&output).contains("459999"), "{}", stderr(&output));
}
