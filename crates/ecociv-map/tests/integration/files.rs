//! Bad files: every problem located (the JSON path of the feature's field, or a syntax error's line and
//! column) as the project's one located error; nothing read.

use ecociv_csvline::Located;
use ecociv_map::geojson::read;

fn feature(properties: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{properties},"geometry":{geometry}}}"#)
}

const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[108,24],[108.5,24],[108.5,24.5],[108,24.5],[108,24]]]}"#;

fn collection(features: &[String]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

#[test]
fn a_good_file_in_the_three_code_forms() {
    let text = collection(&[
        feature(r#"{"adcode":450202,"name":"城中区"}"#, SQUARE),
        feature(
            r#"{"gb":"156450203","name":"鱼峰区"}"#,
            SQUARE
                .replace("Polygon", "MultiPolygon")
                .replace("[[[", "[[[[")
                .replace("]]]", "]]]]")
                .as_str(),
        ),
        feature(r#"{"code":"450204000000"}"#, SQUARE),
    ]);
    let read = read(&text, None).expect("read").boundaries;
    let codes: Vec<&str> = read.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(codes, ["450202", "450203", "450204"]);
    assert_eq!(read[1].name.as_deref(), Some("鱼峰区"));
    assert_eq!(read[1].points(), 5);
}

#[test]
fn every_problem_is_located_and_nothing_is_read() {
    let open_ring = r#"{"type":"Polygon","coordinates":[[[108,24],[108.5,24],[108.5,24.5],[108,24.5]]]}"#;
    let projected =
        r#"{"type":"Polygon","coordinates":[[[500000,2600000],[500100,2600000],[500100,2600100],[500000,2600000]]]}"#;
    let text = collection(&[
        feature(r#"{"adcode":"450202"}"#, SQUARE),
        feature(r#"{"adcode":"4502"}"#, SQUARE),
        feature(r#"{"name":"无代码"}"#, SQUARE),
        feature(r#"{"adcode":"450203"}"#, open_ring),
        feature(r#"{"adcode":"450204"}"#, projected),
        feature(r#"{"adcode":"450205"}"#, r#"{"type":"Point","coordinates":[108,24]}"#),
        feature(r#"{"adcode":"450202"}"#, SQUARE),
        feature(r#"{"adcode":"450206"}"#, "null"),
    ]);
    let problems = read(&text, None).expect_err("refused");
    let located: Vec<&str> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
    assert_eq!(
        located,
        [
            "features[1].properties.adcode",
            "features[2].properties",
            "features[3].geometry.coordinates[0]",
            "features[4].geometry.coordinates[0][0]",
            "features[5].geometry.type",
            "features[6].properties.adcode",
            "features[7].geometry",
        ],
        "{problems:#?}"
    );
    assert!(
        problems.iter().all(|p| p.line.is_none() && p.file.is_empty()),
        "{problems:#?}"
    );
    // The n-th feature is features[n-1].
    let text_of = |n: usize| {
        let path = format!("features[{}].", n - 1);
        problems
            .iter()
            .find(|p| p.field.as_deref().is_some_and(|f| f.starts_with(&path)))
            .unwrap()
            .clone()
            .in_file("b.geojson")
            .to_string()
    };
    assert!(
        text_of(2).starts_with("b.geojson: 字段 features[1].properties.adcode / field features[1].properties.adcode: ")
            && text_of(2).contains("六位"),
        "{}",
        text_of(2)
    );
    assert!(text_of(4).contains("未闭合"));
    assert!(text_of(5).contains("经纬度"));
    assert!(text_of(6).contains("Point"));
    assert!(
        text_of(7).contains("features[0]（第 1 个要素）"),
        "the duplicate names the first: {}",
        text_of(7)
    );
    // The code property the caller names, and nothing else.
    let named = read(&collection(&[feature(r#"{"adcode":"450202"}"#, SQUARE)]), Some("gb")).expect_err("no gb");
    assert!(named[0].message.contains("gb"), "{:?}", named[0]);
}

#[test]
fn drawn_borders_without_a_code_are_passed_over() {
    let line = r#"{"type":"MultiLineString","coordinates":[[[108,24],[109,25]]]}"#;
    let text = collection(&[
        feature(r#"{"gb":"156450202"}"#, SQUARE),
        feature(r#"{"name":"境界线","gb":""}"#, line),
    ]);
    let read = read(&text, None).expect("read");
    assert_eq!((read.boundaries.len(), read.lines), (1, vec![2]));
    // A line with a code is a unit drawn wrong: refused.
    let coded = collection(&[feature(r#"{"gb":"156450202"}"#, line)]);
    let problems = ecociv_map::geojson::read(&coded, None).expect_err("a coded line");
    assert_eq!(problems[0].field.as_deref(), Some("features[0].geometry.type"));
}

#[test]
fn not_a_feature_collection() {
    let cases: [(&str, Option<&str>); 3] = [
        (r#"{"type":"Feature"}"#, Some("type")),
        (r#"{"type":"FeatureCollection"}"#, Some("features")),
        (r#"{"type":"FeatureCollection","features":[]}"#, Some("features")),
    ];
    for (text, field) in cases {
        let problems: Vec<Located> = read(text, None).expect_err(text);
        assert_eq!(problems.len(), 1, "{text}");
        assert_eq!(problems[0].field.as_deref(), field, "{text}: {:?}", problems[0]);
        assert_eq!(problems[0].line, None);
    }
    // A syntax error: the line and column of the text.
    let problems = read("{\n  \"type\": ", None).expect_err("broken");
    assert_eq!(
        (problems.len(), problems[0].line, problems[0].field.as_deref()),
        (1, Some(2), None)
    );
    assert!(
        problems[0].column.is_some() && problems[0].zh().starts_with("第 2 行第"),
        "{:?}",
        problems[0]
    );
}
