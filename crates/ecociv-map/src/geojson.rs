//! GeoJSON boundaries (RFC 7946) read and checked: a `FeatureCollection` whose features are `Polygon` or
//! `MultiPolygon`, each keyed by an administrative unit's code. All or nothing: [`read`] returns every
//! boundary or every problem, each an `ecociv_csvline::Located` (the project's one located error) whose
//! field is the JSON path from the file's root (`features[1].properties.adcode` — the second feature), or
//! the line and column of a JSON syntax error; the caller names the file ([`Located::in_file`]).
//!
//! The code is taken from the property the caller names, or the first of [`CODE_PROPERTIES`] present. Read
//! as a code: six digits (GB/T 2260); nine digits starting with 156, the country's numeric code, as 天地图
//! writes them (`156450202` → `450202`); twelve digits ending in six zeros, the statistical form
//! (`450202000000` → `450202`). Anything else is refused, never guessed.
//!
//! One kind of feature is passed over rather than refused: a line (`LineString`, `MultiLineString`)
//! without a code — a drawn border such as 天地图's 境界线, not a unit. [`Collection::lines`] lists them.

use ecociv_csvline::Located;
use serde_json::Value;

use crate::{Point, Polygon};

/// The properties a code is looked for in, in order, when the caller names none.
pub const CODE_PROPERTIES: &[&str] = &["adcode", "code", "gb", "GB", "ADCODE", "CODE"];

/// The properties a name is looked for in, in order.
pub const NAME_PROPERTIES: &[&str] = &["name", "NAME", "名称"];

/// The most problems listed; the count says how many there were.
pub const MAX_PROBLEMS: usize = 50;

/// One feature's boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// The feature's place in the file, 1-based.
    pub feature: usize,
    /// The unit's six-digit code.
    pub code: String,
    /// The property it was read from.
    pub code_property: String,
    /// The name the file gives, if any.
    pub name: Option<String>,
    pub polygons: Vec<Polygon>,
}

impl Boundary {
    /// How many positions the boundary has.
    pub fn points(&self) -> usize {
        self.polygons.iter().flatten().map(Vec::len).sum()
    }
}

/// What a file holds: its units' boundaries, and the features passed over.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub boundaries: Vec<Boundary>,
    /// Line features without a code (drawn borders), 1-based.
    pub lines: Vec<usize>,
}

/// A problem of the `feature`-th feature (1-based) at `field`, the JSON path inside the feature
/// (`properties.gb`, `geometry.coordinates[0][0][3]`): a located problem whose field is the path from the
/// file's root (`features[0].properties.gb`). The caller names the file.
pub fn feature_problem(feature: usize, field: impl std::fmt::Display, message: impl Into<String>) -> Located {
    Located::new("", message).in_field(format!("features[{}].{field}", feature.saturating_sub(1)))
}

/// A problem of the file as a whole at `field` (`type`, `features`).
fn file_problem(field: &str, message: impl Into<String>) -> Located {
    Located::new("", message).in_field(field)
}

/// Reads a unit code from a property value (text or a whole number); see the module's rules.
pub fn unit_code(value: &Value) -> Result<String, String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) if n.is_u64() => n.to_string(),
        other => return Err(format!("不是行政区划代码：{}", excerpt(&other.to_string()))),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("“{}”不是六位数字的行政区划代码（GB/T 2260）", excerpt(&text)));
    }
    match text.len() {
        6 => Ok(text),
        9 if text.starts_with("156") => Ok(text[3..].to_string()),
        12 if text.ends_with("000000") => Ok(text[..6].to_string()),
        _ => Err(format!(
            "“{}”不是六位行政区划代码（GB/T 2260），也不是其九位（156 开头）或十二位统计用形式",
            excerpt(&text)
        )),
    }
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out.chars().map(|c| if c.is_control() { '�' } else { c }).collect()
}

/// Reads the positions of one ring; problems go to `problems`.
fn ring(value: &Value, path: &str, feature: usize, problems: &mut Vec<Located>) -> Option<Vec<Point>> {
    let Some(positions) = value.as_array() else {
        problems.push(feature_problem(feature, path, "环应是坐标数组"));
        return None;
    };
    let mut out = Vec::with_capacity(positions.len());
    for (i, position) in positions.iter().enumerate() {
        let here = || format!("{path}[{i}]");
        let numbers = position
            .as_array()
            .map(|a| a.iter().map(Value::as_f64).collect::<Vec<_>>());
        let Some(numbers) = numbers else {
            problems.push(feature_problem(feature, here(), "坐标应是 [经度, 纬度] 数组"));
            return None;
        };
        let (Some(Some(lon)), Some(Some(lat))) = (numbers.first().copied(), numbers.get(1).copied()) else {
            problems.push(feature_problem(feature, here(), "坐标应至少有经度、纬度两个数"));
            return None;
        };
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            problems.push(feature_problem(
                feature,
                here(),
                format!("经度 {lon}、纬度 {lat} 不在 −180…180、−90…90 之内（应为经纬度坐标）"),
            ));
            return None;
        }
        out.push([lon, lat]);
    }
    if out.len() < 4 {
        problems.push(feature_problem(
            feature,
            path,
            format!("环只有 {} 个坐标，至少需要 4 个（首尾相同）", out.len()),
        ));
        return None;
    }
    if out.first() != out.last() {
        problems.push(feature_problem(feature, path, "环未闭合：最后一个坐标应与第一个相同"));
        return None;
    }
    Some(out)
}

fn polygon(value: &Value, path: &str, feature: usize, problems: &mut Vec<Located>) -> Option<Polygon> {
    let Some(rings) = value.as_array() else {
        problems.push(feature_problem(feature, path, "面应是环的数组"));
        return None;
    };
    if rings.is_empty() {
        problems.push(feature_problem(feature, path, "面没有环"));
        return None;
    }
    let before = problems.len();
    let out: Vec<Vec<Point>> = rings
        .iter()
        .enumerate()
        .filter_map(|(i, r)| ring(r, &format!("{path}[{i}]"), feature, problems))
        .collect();
    (problems.len() == before).then_some(out)
}

/// Reads a geometry (`Polygon` or `MultiPolygon`) into polygons.
fn geometry(value: &Value, feature: usize, problems: &mut Vec<Located>) -> Option<Vec<Polygon>> {
    if value.is_null() {
        problems.push(feature_problem(feature, "geometry", "要素没有几何（geometry 为空）"));
        return None;
    }
    let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
    let coordinates = value.get("coordinates").unwrap_or(&Value::Null);
    match kind {
        "Polygon" => polygon(coordinates, "geometry.coordinates", feature, problems).map(|p| vec![p]),
        "MultiPolygon" => {
            let Some(parts) = coordinates.as_array() else {
                problems.push(feature_problem(feature, "geometry.coordinates", "应是面的数组"));
                return None;
            };
            if parts.is_empty() {
                problems.push(feature_problem(feature, "geometry.coordinates", "多面几何没有面"));
                return None;
            }
            let before = problems.len();
            let out: Vec<Polygon> = parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| polygon(p, &format!("geometry.coordinates[{i}]"), feature, problems))
                .collect();
            (problems.len() == before).then_some(out)
        }
        other => {
            problems.push(feature_problem(
                feature,
                "geometry.type",
                format!("几何类型“{}”不是面（应为 Polygon 或 MultiPolygon）", excerpt(other)),
            ));
            None
        }
    }
}

/// A GeoJSON text read as a `FeatureCollection` with at least one feature (a leading BOM ignored), or the
/// problem of the file as a whole (not JSON — with its line and column —, not a collection, no features).
pub(crate) fn collection(text: &str) -> Result<Value, Vec<Located>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = serde_json::from_str(text).map_err(|e| {
        vec![
            Located::new("", format!("不是有效的 JSON：{e}"))
                .at_line(e.line() as u64)
                .at_column(e.column()),
        ]
    })?;
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(vec![file_problem(
            "type",
            "文件应是 GeoJSON 要素集合（\"type\": \"FeatureCollection\"）",
        )]);
    }
    match root.get("features").and_then(Value::as_array) {
        None => Err(vec![file_problem("features", "要素集合没有 features 数组")]),
        Some(features) if features.is_empty() => Err(vec![file_problem("features", "要素集合是空的")]),
        Some(_) => Ok(root),
    }
}

/// The features of what [`collection`] returned.
pub(crate) fn features(root: &Value) -> &[Value] {
    root.get("features")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Reads a GeoJSON `FeatureCollection` of unit boundaries, all or nothing. `code_property` names the
/// property holding the code (else the first of [`CODE_PROPERTIES`] present in each feature). A code
/// given twice is refused with both features named.
pub fn read(text: &str, code_property: Option<&str>) -> Result<Collection, Vec<Located>> {
    let root = collection(text)?;
    let features = features(&root);
    let mut problems = Vec::new();
    let mut out: Vec<Boundary> = Vec::with_capacity(features.len());
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut lines = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let n = i + 1;
        let properties = feature.get("properties").unwrap_or(&Value::Null);
        let kind = feature.pointer("/geometry/type").and_then(Value::as_str);
        let blank = |v: &Value| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty());
        let coded = match code_property {
            Some(key) => properties.get(key).is_some_and(|v| !blank(v)),
            None => CODE_PROPERTIES
                .iter()
                .any(|k| properties.get(*k).is_some_and(|v| !blank(v))),
        };
        if matches!(kind, Some("LineString" | "MultiLineString")) && !coded {
            lines.push(n);
            continue;
        }
        let (key, value) = match code_property {
            Some(key) => (key, properties.get(key)),
            None => CODE_PROPERTIES
                .iter()
                .find_map(|k| properties.get(*k).map(|v| (*k, Some(v))))
                .unwrap_or((CODE_PROPERTIES[0], None)),
        };
        let code = match value {
            None => {
                let wanted = code_property.map_or_else(|| CODE_PROPERTIES.join("、"), str::to_string);
                problems.push(feature_problem(
                    n,
                    "properties",
                    format!("没有行政区划代码属性（找的是 {wanted}）"),
                ));
                None
            }
            Some(value) => match unit_code(value) {
                Ok(code) => Some(code),
                Err(message) => {
                    problems.push(feature_problem(n, format!("properties.{key}"), message));
                    None
                }
            },
        };
        let name = NAME_PROPERTIES
            .iter()
            .find_map(|k| properties.get(*k).and_then(Value::as_str))
            .map(|s| excerpt(s.trim()));
        let polygons = geometry(feature.get("geometry").unwrap_or(&Value::Null), n, &mut problems);
        if let Some(code) = &code
            && let Some(first) = seen.insert(code.clone(), n)
        {
            problems.push(feature_problem(
                n,
                format!("properties.{key}"),
                format!(
                    "代码 {code} 已在 features[{}]（第 {first} 个要素）出现：每个单位只能有一个要素",
                    first - 1
                ),
            ));
        }
        if let (Some(code), Some(polygons)) = (code, polygons) {
            out.push(Boundary {
                feature: n,
                code,
                code_property: key.to_string(),
                name,
                polygons,
            });
        }
        if problems.len() > MAX_PROBLEMS {
            break;
        }
    }
    if problems.is_empty() {
        Ok(Collection { boundaries: out, lines })
    } else {
        Err(problems)
    }
}

/// The compact text a store keeps for one unit: the polygons as a GeoJSON `MultiPolygon`'s coordinates.
pub fn encode(polygons: &[Polygon]) -> String {
    let value = Value::Array(
        polygons
            .iter()
            .map(|polygon| {
                Value::Array(
                    polygon
                        .iter()
                        .map(|ring| Value::Array(ring.iter().map(|p| serde_json::json!([p[0], p[1]])).collect()))
                        .collect(),
                )
            })
            .collect(),
    );
    value.to_string()
}

/// Reads back what [`encode`] wrote, with the same checks as a file's geometry.
pub fn decode(text: &str) -> Result<Vec<Polygon>, String> {
    let coordinates: Value = serde_json::from_str(text).map_err(|e| format!("边界数据不是有效的 JSON：{e}"))?;
    let mut problems = Vec::new();
    let geometry = serde_json::json!({"type": "MultiPolygon", "coordinates": coordinates});
    match self::geometry(&geometry, 1, &mut problems) {
        Some(polygons) if problems.is_empty() => Ok(polygons),
        _ => Err(problems.first().map_or_else(|| "边界数据无效".to_string(), Located::zh)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_their_three_forms_and_nothing_else() {
        assert_eq!(unit_code(&Value::from("450202")), Ok("450202".into()));
        assert_eq!(unit_code(&Value::from(450202)), Ok("450202".into()));
        assert_eq!(unit_code(&Value::from("156450202")), Ok("450202".into()));
        assert_eq!(unit_code(&Value::from("450202000000")), Ok("450202".into()));
        for bad in ["45020", "4502021", "157450202", "450202000001", "", "柳州", "45 0202"] {
            assert!(unit_code(&Value::from(bad)).is_err(), "{bad}");
        }
        assert!(unit_code(&Value::from(4.5)).is_err());
    }

    #[test]
    fn encode_and_decode_are_inverse() {
        let polygons = vec![vec![vec![
            [108.1, 22.5],
            [108.25, 22.5],
            [108.25, 22.75],
            [108.1, 22.5],
        ]]];
        assert_eq!(decode(&encode(&polygons)), Ok(polygons));
        assert!(decode("[[[[1,2],[3,4]]]]").is_err(), "a ring of two points");
    }
}
