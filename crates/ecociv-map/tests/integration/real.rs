//! The real boundaries of 广西's county-level units, from the file `.ci/setup.d/41-boundaries.sh` fetches
//! (`ECOCIV_BOUNDARIES_GEOJSON`). Skips with a loud message when it is absent, unless
//! `REQUIRE_BOUNDARIES=1`.

use std::io::Write as _;

use ecociv_map::geojson::{Boundary, read};
use ecociv_map::svg::{Area, Labels, Layer, TOLERANCE, WIDTH, choropleth};

pub fn national() -> Option<Vec<Boundary>> {
    let Some(path) = std::env::var_os("ECOCIV_BOUNDARIES_GEOJSON") else {
        if std::env::var("REQUIRE_BOUNDARIES").is_ok_and(|v| v == "1") {
            panic!("REQUIRE_BOUNDARIES=1 but ECOCIV_BOUNDARIES_GEOJSON is not set");
        }
        let _ = writeln!(
            std::io::stderr(),
            "\n!!! SKIPPED a map test of ecociv-map: no boundaries (source .ci/setup.d/41-boundaries.sh; \
             REQUIRE_BOUNDARIES=1 makes this a failure) !!!"
        );
        return None;
    };
    let text = std::fs::read_to_string(&path).expect("the boundaries file");
    let collection = read(&text, None).expect("the package's file reads without a problem");
    assert_eq!(
        collection.lines.len(),
        7,
        "the file's seven drawn borders (境界线) are passed over"
    );
    Some(collection.boundaries)
}

fn centre(layer: &Layer, code: &str) -> [f64; 2] {
    let d = &layer.areas.iter().find(|a| a.code == code).expect(code).d;
    let numbers: Vec<f64> = d
        .split(['M', 'L', 'Z', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let n = (numbers.len() / 2) as f64;
    let (mut x, mut y) = (0.0, 0.0);
    for pair in numbers.chunks(2) {
        x += pair[0];
        y += pair[1];
    }
    [x / n, y / n]
}

#[test]
fn guangxi_counties_drawn_from_the_real_boundaries() {
    let Some(all) = national() else { return };
    assert!(all.len() > 2800, "the national county-level file: {}", all.len());
    let guangxi: Vec<(String, Vec<ecociv_map::Polygon>)> = all
        .into_iter()
        .filter(|b| b.code.starts_with("45"))
        .map(|b| (b.code, b.polygons))
        .collect();
    assert_eq!(guangxi.len(), 111, "广西's 111 county-level units in force");
    let layer = Layer::prepare(&guangxi, WIDTH, TOLERANCE).expect("a layer");
    assert!(layer.areas.iter().all(|a| !a.d.is_empty()), "every county is drawn");
    assert!(
        layer.points() * 5 < layer.points_in * 4,
        "simplified: {} of {} points",
        layer.points(),
        layer.points_in
    );
    // Where the cities are: 北海 (450502 海城区) south of 桂林 (450302 秀峰区); 百色 (451002 右江区) west of
    // 梧州 (450403 万秀区); 柳州's 城中区 (450202) between 南宁's 青秀区 (450103) and 桂林.
    let (beihai, guilin) = (centre(&layer, "450502"), centre(&layer, "450302"));
    assert!(beihai[1] > guilin[1], "north is up: {beihai:?} {guilin:?}");
    assert!(
        centre(&layer, "451002")[0] < centre(&layer, "450403")[0],
        "west is left"
    );
    let (nanning, liuzhou) = (centre(&layer, "450103"), centre(&layer, "450202"));
    assert!(nanning[1] > liuzhou[1] && liuzhou[1] > guilin[1]);
    // The region is wider than high (about 8.5° of longitude by 5.5° of latitude).
    assert!(
        layer.width > layer.height && layer.height > layer.width * 0.5,
        "{} × {}",
        layer.width,
        layer.height
    );
    let areas: Vec<Area> = guangxi
        .iter()
        .enumerate()
        .map(|(i, (code, _))| Area {
            code: code.clone(),
            class: i % 2,
            title: code.clone(),
            href: None,
        })
        .collect();
    let svg = choropleth(
        &layer,
        &areas,
        &["#dddddd", "#1a7f37"],
        &Labels {
            id: "gx",
            title: "广西",
            desc: "县级",
        },
    );
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("path")).count(), 111);
    assert!(svg.len() < 400_000, "the drawing stays small: {} bytes", svg.len());
}
