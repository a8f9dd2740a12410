//! Values files: `indicator,year,value,assigned` with the optional columns `recorded` (达标 / 不达标 as a
//! document records it) and `source` (a citation; text starting with `synthetic:` marks synthetic data).
//!
//! UTF-8 (a BOM is accepted). Every row is checked against the framework: a known row id, a year, a number
//! in range or a state text of that row's vocabulary, an assigned value or verdict. All problems are
//! reported with file, line and field, and then nothing is returned: all or nothing.

use std::collections::BTreeMap;

use ecociv_core::value::{excerpt, parse_assigned, parse_recorded, parse_value, parse_year};
use ecociv_core::{Framework, Observation, Recorded, Source};

use crate::error::{DataError, Problem, next_record, with_header};

const REQUIRED: [&str; 4] = ["indicator", "year", "value", "assigned"];
const OPTIONAL: [&str; 2] = ["recorded", "source"];

/// What a second line for the same (row, year) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicates {
    /// An error: in a file of values to apply, two values for one row and year are ambiguous.
    Refuse,
    /// A new revision: a zone's own `values.csv` is an append-only ledger, where a correction is a later
    /// line and the latest line for a (row, year) is the value in force.
    LaterRevises,
}

/// Parses a values file to apply (`--values`, an import); two lines for one (row, year) are refused.
/// `file` names it in errors and in the observations' provenance.
pub fn parse_values(file: &str, text: &str, framework: &Framework) -> Result<Vec<Observation>, DataError> {
    parse_values_with(file, text, framework, Duplicates::Refuse)
}

/// Parses a zone's values ledger: a later line for the same (row, year) revises the earlier one.
pub fn parse_ledger(file: &str, text: &str, framework: &Framework) -> Result<Vec<Observation>, DataError> {
    parse_values_with(file, text, framework, Duplicates::LaterRevises)
}

/// Parses values with the given meaning of duplicates.
pub fn parse_values_with(
    file: &str,
    text: &str,
    framework: &Framework,
    duplicates: Duplicates,
) -> Result<Vec<Observation>, DataError> {
    let problem = |line: Option<u64>, field: Option<&str>, message: String| Problem::at(file, line, field, message);
    let (mut reader, headers) = with_header(file, text).map_err(|problem| DataError {
        problems: vec![problem],
    })?;
    let mut columns: BTreeMap<&str, usize> = BTreeMap::new();
    let mut problems = Problems::new(file);
    for (index, name) in headers.iter().enumerate() {
        let name = name.trim();
        if REQUIRED.contains(&name) || OPTIONAL.contains(&name) {
            if columns
                .insert(
                    REQUIRED
                        .iter()
                        .chain(OPTIONAL.iter())
                        .find(|known| **known == name)
                        .copied()
                        .unwrap_or(""),
                    index,
                )
                .is_some()
            {
                problems.push(problem(Some(1), Some(name), "列重复 (duplicate column)".into()));
            }
        } else {
            problems.push(problem(
                Some(1),
                Some(&excerpt(name)),
                format!(
                    "未知列；应为 {} (unknown column)",
                    REQUIRED
                        .iter()
                        .chain(OPTIONAL.iter())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            ));
        }
    }
    for required in REQUIRED {
        if !columns.contains_key(required) {
            problems.push(problem(Some(1), Some(required), "缺少必需的列 (missing column)".into()));
        }
    }
    if !problems.is_empty() {
        return Err(DataError {
            problems: problems.into_vec(),
        });
    }
    let column = |name: &str| columns.get(name).copied();
    let mut observations = Vec::new();
    let mut seen: BTreeMap<(String, i32), u64> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_record(file, &mut reader, &mut record, |found| problems.push(found)) {
        let line = line.unwrap_or(0);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if let Some((index, _)) = record
            .iter()
            .enumerate()
            .skip(headers.len())
            .find(|(_, cell)| !cell.trim().is_empty())
        {
            problems.push(problem(
                Some(line),
                None,
                format!(
                    "第 {} 列超出表头（表头只有 {} 列）：“{}” (a cell beyond the header's {} columns)",
                    index + 1,
                    headers.len(),
                    excerpt(&record[index]),
                    headers.len()
                ),
            ));
            continue;
        }
        let cell = |name: &str| column(name).and_then(|index| record.get(index)).unwrap_or("").trim();
        let id = cell("indicator");
        let Some((_, row)) = framework.row(id) else {
            let hint = if framework
                .indicator(id)
                .is_some_and(|indicator| indicator.has_sub_rows())
            {
                "；该指标有子指标，请填写子指标编号（如 7.1）"
            } else {
                ""
            };
            problems.push(problem(
                Some(line),
                Some("indicator"),
                format!("未知指标编号“{}”{hint} (unknown indicator id)", excerpt(id)),
            ));
            continue;
        };
        let year = match parse_year(cell("year")) {
            Ok(year) => year,
            Err(error) => {
                problems.push(problem(Some(line), Some("year"), error.to_string()));
                continue;
            }
        };
        let value = match parse_value(row, cell("value")) {
            Ok(value) => value,
            Err(error) => {
                problems.push(problem(Some(line), Some("value"), format!("指标 {id}：{error}")));
                continue;
            }
        };
        let assigned = match parse_assigned(row, cell("assigned")) {
            Ok(assigned) => assigned,
            Err(error) => {
                problems.push(problem(Some(line), Some("assigned"), format!("指标 {id}：{error}")));
                continue;
            }
        };
        let source_text = cell("source");
        let recorded = match parse_recorded(cell("recorded")) {
            Ok(recorded) => recorded.map(|met| Recorded {
                met,
                source: if source_text.is_empty() {
                    format!("{file} 第{line}行")
                } else {
                    source_text.to_string()
                },
            }),
            Err(error) => {
                problems.push(problem(Some(line), Some("recorded"), format!("指标 {id}：{error}")));
                continue;
            }
        };
        if let Some(first) = seen.insert((id.to_string(), year), line)
            && duplicates == Duplicates::Refuse
        {
            problems.push(problem(
                Some(line),
                Some("indicator"),
                format!("指标 {id} 的 {year} 年数值重复（第{first}行已有） (duplicate)"),
            ));
            continue;
        }
        let source = if let Some(note) = source_text.strip_prefix("synthetic:") {
            Source::Synthetic {
                note: note.trim().to_string(),
                files: Vec::new(),
            }
        } else if source_text.is_empty() {
            Source::File {
                path: file.to_string(),
                line,
            }
        } else {
            Source::Document {
                citation: source_text.to_string(),
            }
        };
        observations.push(Observation {
            row: row.id.clone(),
            year,
            value,
            assigned,
            recorded,
            source,
        });
    }
    if problems.is_empty() {
        Ok(observations)
    } else {
        Err(DataError {
            problems: problems.into_vec(),
        })
    }
}

/// Problems listed in one refusal: the first [`MAX_PROBLEMS`], then one line saying how many more were found (a
/// damaged file of a million lines must not give a million-line error).
pub const MAX_PROBLEMS: usize = 100;

/// The problems of one refusal as they are found: the first [`MAX_PROBLEMS`] kept, the others only
/// counted — so a damaged file of a million lines neither gives a million-line error nor holds a million
/// problems in memory before the cut.
struct Problems {
    file: String,
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn new(file: &str) -> Problems {
        Problems {
            file: file.to_string(),
            list: Vec::new(),
            more: 0,
        }
    }

    fn push(&mut self, problem: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The problems kept, and one line saying how many more were found.
    fn into_vec(mut self) -> Vec<Problem> {
        if self.more > 0 {
            let more = self.more;
            self.list.push(Problem {
                file: self.file,
                line: None,
                column: None,
                field: None,
                message: format!("另有 {more} 处问题未列出 ({more} more problems not listed)"),
                ..Default::default()
            });
        }
        self.list
    }

    /// How many problems were found, listed or not.
    #[cfg(test)]
    fn found(&self) -> usize {
        self.list.len() + self.more
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 20: a refusal of a damaged million-line file held every problem before the cut (645k
    /// problems, ~1.9 GiB of server memory for two imports). The collector keeps only the first
    /// [`MAX_PROBLEMS`] and counts the rest.
    #[test]
    fn a_refusal_keeps_the_first_problems_and_counts_the_rest() {
        let mut problems = Problems::new("values.csv");
        for line in 0..1_000_000u64 {
            problems.push(Problem {
                file: "values.csv".into(),
                line: Some(line + 2),
                column: None,
                field: Some("value".into()),
                message: "重复 (duplicate)".into(),
                ..Default::default()
            });
            assert!(problems.list.len() <= MAX_PROBLEMS);
        }
        assert_eq!(problems.found(), 1_000_000);
        assert!(problems.list.capacity() <= 2 * MAX_PROBLEMS);
        let listed = problems.into_vec();
        assert_eq!(listed.len(), MAX_PROBLEMS + 1);
        assert_eq!(listed[0].line, Some(2));
        assert!(listed[MAX_PROBLEMS].message.contains("另有 999900 处问题未列出"));
    }
}
