//! Points on a map (issue 15): a zone's air monitoring stations, water sections and key projects, each with
//! a WGS-84 longitude/latitude, read from a GeoJSON `FeatureCollection` of `Point` features. All or
//! nothing: [`read`] returns every site or every problem, each an `ecociv_csvline::Located` whose field is
//! the JSON path from the file's root (`features[2].geometry.coordinates`), like [`crate::geojson::read`].
//!
//! A feature's `properties`: `kind` — `station` (空气监测站点), `section` (水质断面) or `project` (重点项目),
//! the Chinese words accepted too —; `id` — the station's or section's name as the monitoring data name it,
//! or the project's number in the plan (`2.03`) —; `name` (optional, shown where the data has none); and
//! `illustrative` (optional, `true`: a position drawn for illustration, 示意, never a surveyed one — every
//! page showing it says so). A position outside China's extent ([`CHINA`]) is refused: a swapped pair or
//! a projected coordinate is the usual cause. Which ids a zone knows is the caller's check.

use ecociv_csvline::Located;
use serde_json::Value;

use crate::Point;
use crate::geojson::feature_problem;

/// China's extent in degrees, longitude then latitude, min then max: from 漠河 (53.56° N) and 乌苏里江
/// (135.08° E) to 帕米尔 (73.5° E) and 曾母暗沙 (3.8° N), with a small margin. A box, not the border: it
/// catches swapped or projected coordinates, not a point a few kilometres across a frontier.
pub const CHINA: ([f64; 2], [f64; 2]) = ([73.0, 3.5], [135.5, 54.0]);

/// What a point stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SiteKind {
    /// An air monitoring station (空气监测站点).
    Station,
    /// A surface-water monitoring section (水质断面).
    Section,
    /// A key project of the plan (重点项目).
    Project,
}

impl SiteKind {
    pub const ALL: [SiteKind; 3] = [SiteKind::Station, SiteKind::Section, SiteKind::Project];

    /// The word a file and the store use.
    pub fn key(self) -> &'static str {
        match self {
            SiteKind::Station => "station",
            SiteKind::Section => "section",
            SiteKind::Project => "project",
        }
    }

    /// The Chinese name (the legend's).
    pub fn zh(self) -> &'static str {
        match self {
            SiteKind::Station => "空气监测站点",
            SiteKind::Section => "水质断面",
            SiteKind::Project => "重点项目",
        }
    }

    /// Reads a file's `kind`: the key or the Chinese word (站点, 断面, 项目 and the full names).
    pub fn parse(text: &str) -> Option<SiteKind> {
        match text.trim() {
            "station" | "站点" | "空气监测站点" | "监测站点" => Some(SiteKind::Station),
            "section" | "断面" | "水质断面" | "监测断面" => Some(SiteKind::Section),
            "project" | "项目" | "重点项目" => Some(SiteKind::Project),
            _ => None,
        }
    }
}

/// One point of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The feature's place in the file, 1-based.
    pub feature: usize,
    pub kind: SiteKind,
    pub id: String,
    pub name: Option<String>,
    /// Longitude, latitude (degrees, WGS-84).
    pub position: Point,
    /// Drawn for illustration (示意), not a surveyed position.
    pub illustrative: bool,
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn excerpt(text: &str) -> String {
    let out: String = text.chars().take(40).filter(|c| !c.is_control()).collect();
    if text.chars().count() > 40 { out + "…" } else { out }
}

/// Whether a position is inside [`CHINA`].
pub fn in_china([lon, lat]: Point) -> bool {
    let (min, max) = CHINA;
    (min[0]..=max[0]).contains(&lon) && (min[1]..=max[1]).contains(&lat)
}

fn position(geometry: &Value, feature: usize, problems: &mut Vec<Located>) -> Option<Point> {
    if geometry.is_null() {
        problems.push(feature_problem(feature, "geometry", "要素没有几何（geometry 为空）"));
        return None;
    }
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != "Point" {
        problems.push(feature_problem(
            feature,
            "geometry.type",
            format!("几何类型“{}”不是点（应为 Point）", excerpt(kind)),
        ));
        return None;
    }
    let numbers = geometry
        .get("coordinates")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(Value::as_f64).collect::<Vec<_>>());
    let (Some(Some(lon)), Some(Some(lat))) = numbers
        .as_ref()
        .map_or((None, None), |n| (n.first().copied(), n.get(1).copied()))
    else {
        problems.push(feature_problem(
            feature,
            "geometry.coordinates",
            "坐标应是 [经度, 纬度] 两个数",
        ));
        return None;
    };
    if !in_china([lon, lat]) {
        let hint = if in_china([lat, lon]) {
            "（像是经纬度颠倒了：GeoJSON 先写经度、后写纬度）"
        } else {
            "（应为 WGS-84 经纬度，度）"
        };
        problems.push(feature_problem(
            feature,
            "geometry.coordinates",
            format!("经度 {lon}、纬度 {lat} 不在中国境内（经度 73–135.5、纬度 3.5–54）{hint}"),
        ));
        return None;
    }
    Some([lon, lat])
}

/// Reads a GeoJSON `FeatureCollection` of points, all or nothing; a (kind, id) given twice is refused
/// with both features named.
pub fn read(text: &str) -> Result<Vec<Site>, Vec<Located>> {
    let (sites, problems) = read_features(text)?;
    if problems.is_empty() { Ok(sites) } else { Err(problems) }
}

/// As [`read`], for a caller that checks the sites further and reports every problem together: the
/// file's own problems (not JSON, not a collection) as the error; otherwise the features read well and
/// the problems of the others, in the file's order.
pub fn read_features(text: &str) -> Result<(Vec<Site>, Vec<Located>), Vec<Located>> {
    let root = crate::geojson::collection(text)?;
    let features = crate::geojson::features(&root);
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(features.len());
    let mut seen = std::collections::HashMap::<(SiteKind, String), usize>::new();
    for (i, feature) in features.iter().enumerate() {
        let n = i + 1;
        let properties = feature.get("properties").unwrap_or(&Value::Null);
        let kind = match properties.get("kind") {
            None | Some(Value::Null) => {
                problems.push(feature_problem(
                    n,
                    "properties.kind",
                    "没有点的类别 kind（station 空气监测站点、section 水质断面、project 重点项目）",
                ));
                None
            }
            Some(value) => {
                let parsed = value.as_str().and_then(SiteKind::parse);
                if parsed.is_none() {
                    problems.push(feature_problem(
                        n,
                        "properties.kind",
                        format!(
                            "类别“{}”未知：应为 station（空气监测站点）、section（水质断面）或 project（重点项目）",
                            excerpt(&value.as_str().map_or_else(|| value.to_string(), str::to_string))
                        ),
                    ));
                }
                parsed
            }
        };
        let id = properties.get("id").and_then(text_of);
        if id.is_none() {
            problems.push(feature_problem(
                n,
                "properties.id",
                "没有编号 id（站点、断面名称如监测数据所写，或项目在规划中的编号如 2.03）",
            ));
        }
        let name = properties.get("name").and_then(text_of).map(|s| excerpt(&s));
        let illustrative = match properties.get("illustrative") {
            None | Some(Value::Null) => Some(false),
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                problems.push(feature_problem(
                    n,
                    "properties.illustrative",
                    "illustrative 应为 true（示意位置）或 false",
                ));
                None
            }
        };
        let at = position(feature.get("geometry").unwrap_or(&Value::Null), n, &mut problems);
        if let (Some(kind), Some(id)) = (kind, &id)
            && let Some(first) = seen.insert((kind, id.clone()), n)
        {
            problems.push(feature_problem(
                n,
                "properties.id",
                format!(
                    "{}“{}”已在 features[{}]（第 {first} 个要素）出现：每个点只能有一个位置",
                    kind.zh(),
                    excerpt(id),
                    first - 1
                ),
            ));
        }
        if let (Some(kind), Some(id), Some(position), Some(illustrative)) = (kind, id, at, illustrative) {
            out.push(Site {
                feature: n,
                kind,
                id,
                name,
                position,
                illustrative,
            });
        }
        if problems.len() > crate::geojson::MAX_PROBLEMS {
            break;
        }
    }
    Ok((out, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(problem: &Located) -> String {
        problem.field.clone().unwrap_or_default()
    }

    #[test]
    fn good_points_are_read_and_bad_ones_named_by_their_path() {
        let good = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"kind":"station","id":"市监测站"},"geometry":{"type":"Point","coordinates":[109.41,24.33]}},
            {"type":"Feature","properties":{"kind":"项目","id":2.03,"name":"小丹冲河道治理","illustrative":true},"geometry":{"type":"Point","coordinates":[109.42,24.31]}}]}"#;
        let sites = read(good).expect("good");
        assert_eq!(sites.len(), 2);
        assert_eq!(
            (sites[1].kind, sites[1].id.as_str(), sites[1].illustrative),
            (SiteKind::Project, "2.03", true)
        );
        let bad = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"kind":"station","id":"A"},"geometry":{"type":"Point","coordinates":[24.33,109.41]}},
            {"type":"Feature","properties":{"kind":"well","id":"B"},"geometry":{"type":"Point","coordinates":[2.35,48.85]}},
            {"type":"Feature","properties":{"kind":"station","id":"A"},"geometry":{"type":"Polygon","coordinates":[]}}]}"#;
        let problems = read(bad).expect_err("bad");
        let fields: Vec<String> = problems.iter().map(field).collect();
        assert_eq!(
            fields,
            [
                "features[0].geometry.coordinates",
                "features[1].properties.kind",
                "features[1].geometry.coordinates",
                "features[2].geometry.type",
                "features[2].properties.id",
            ]
        );
        assert!(problems[0].message.contains("颠倒"), "{}", problems[0].message);
        assert!(problems[2].message.contains("不在中国境内"), "{}", problems[2].message);
        assert!(read("{\"type\":\"FeatureCollection\",\n\"features\":[}").expect_err("syntax")[0].line == Some(2));
    }
}
