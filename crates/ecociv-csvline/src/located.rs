//! **The one located error** of every reader of the project: a problem in an input, with the file, line,
//! column and field it is about, and a message (Chinese first, English second). The values, zone,
//! framework and divisions files (`ecociv-data`), the plan's files (`ecociv-plan`), the registers
//! (`ecociv-ledger`, and their workbooks in `ecociv-report`), the monitoring readers (`ecociv-air`,
//! `ecociv-water`, `ecociv-noise`, `ecociv-soil`) and the uploads of `ecociv-monitoring` all report with it,
//! so a problem reads the same whichever reader found it:
//!
//! ```text
//! values.csv: 第 3 行，字段 value / line 3, field value: 不是数字 (not a number)
//! t.csv: 第 26 行第 5 列（no2）/ line 26, column 5 (no2): 不是数字 / not a number
//! zone.toml: 字段 plan.base_year / field plan.base_year: 缺少 (missing)
//! ```
//!
//! [`Refused`] is every problem found in one input (or set of inputs): nothing was applied.

use std::fmt;

/// One problem in an input: where (each part when known) and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// The file's name as the person gave it (`-` for standard input); empty when the reader was given none
    /// (a stream: the caller names the file when it prints).
    pub file: String,
    /// 1-based line (for a workbook, the sheet's row).
    pub line: Option<u64>,
    /// 1-based column, when one field of a record is at fault.
    pub column: Option<usize>,
    /// The column's header, the key, or the part of the file the problem is about.
    pub field: Option<String>,
    /// Chinese first, English second.
    pub message: String,
}

impl Located {
    /// A problem in `file` as a whole; add its place with [`Located::at_line`], [`Located::at_column`],
    /// [`Located::in_field`].
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Located {
        Located {
            file: file.into(),
            message: message.into(),
            ..Located::default()
        }
    }

    /// A problem at an optional line and field of `file` (the shape of the TOML and CSV files' problems).
    pub fn at(file: impl Into<String>, line: Option<u64>, field: Option<&str>, message: impl Into<String>) -> Located {
        Located {
            file: file.into(),
            line,
            column: None,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    /// A problem a stream reader found (no file name yet: the caller adds it with [`Located::in_file`]) at
    /// `line` (0: unknown) and, when one field is at fault, its 1-based column and header name.
    pub fn in_stream(line: u64, column: Option<(usize, String)>, message: impl Into<String>) -> Located {
        let (column, field) = column.unzip();
        Located {
            file: String::new(),
            line: (line > 0).then_some(line),
            column,
            field,
            message: message.into(),
        }
    }

    /// The same problem at `line` (0 means unknown: no line is named).
    pub fn at_line(mut self, line: u64) -> Located {
        self.line = (line > 0).then_some(line);
        self
    }

    /// The same problem at the 1-based `column`.
    pub fn at_column(mut self, column: usize) -> Located {
        self.column = Some(column);
        self
    }

    /// The same problem about `field`.
    pub fn in_field(mut self, field: impl Into<String>) -> Located {
        self.field = Some(field.into());
        self
    }

    /// The same problem in `file` (a stream reader's problem, once the caller knows the file's name).
    pub fn in_file(mut self, file: impl Into<String>) -> Located {
        self.file = file.into();
        self
    }

    /// The place alone, Chinese then English (`第 3 行第 5 列（no2）/ line 3, column 5 (no2)`); empty when
    /// nothing but the file is known.
    pub fn place(&self) -> String {
        let mut zh = String::new();
        let mut en: Vec<String> = Vec::new();
        if let Some(line) = self.line {
            zh.push_str(&format!("第 {line} 行"));
            en.push(format!("line {line}"));
        }
        match (self.column, &self.field) {
            (Some(column), Some(field)) => {
                zh.push_str(&format!("第 {column} 列（{field}）"));
                en.push(format!("column {column} ({field})"));
            }
            (Some(column), None) => {
                zh.push_str(&format!("第 {column} 列"));
                en.push(format!("column {column}"));
            }
            (None, Some(field)) => {
                if !zh.is_empty() {
                    zh.push('，');
                }
                zh.push_str(&format!("字段 {field}"));
                en.push(format!("field {field}"));
            }
            (None, None) => {}
        }
        if zh.is_empty() {
            String::new()
        } else if zh.ends_with('）') {
            // A full-width bracket carries its own space.
            format!("{zh}/ {}", en.join(", "))
        } else {
            format!("{zh} / {}", en.join(", "))
        }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{}: ", self.file)?;
        }
        let place = self.place();
        if !place.is_empty() {
            write!(f, "{place}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Located {}

/// Every problem found in an input or a set of inputs; nothing was applied. Displayed one problem a line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refused {
    pub problems: Vec<Located>,
}

impl Refused {
    /// One problem (see [`Located::at`]).
    pub fn one(file: impl Into<String>, line: Option<u64>, field: Option<&str>, message: impl Into<String>) -> Refused {
        Refused {
            problems: vec![Located::at(file, line, field, message)],
        }
    }
}

impl From<Located> for Refused {
    fn from(problem: Located) -> Refused {
        Refused {
            problems: vec![problem],
        }
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_is_named_when_known_chinese_first() {
        let p = Located::new("t.csv", "不是数字 / not a number")
            .at_line(26)
            .at_column(5)
            .in_field("no2");
        assert_eq!(
            p.to_string(),
            "t.csv: 第 26 行第 5 列（no2）/ line 26, column 5 (no2): 不是数字 / not a number"
        );
        assert_eq!(
            Located::at("v.csv", Some(3), Some("value"), "m").to_string(),
            "v.csv: 第 3 行，字段 value / line 3, field value: m"
        );
        assert_eq!(
            Located::at("zone.toml", None, Some("plan.base_year"), "m").to_string(),
            "zone.toml: 字段 plan.base_year / field plan.base_year: m"
        );
        assert_eq!(
            Located::at("v.csv", Some(2), None, "m").to_string(),
            "v.csv: 第 2 行 / line 2: m"
        );
        assert_eq!(Located::new("v.csv", "m").to_string(), "v.csv: m");
        // A stream's problem has no file until the caller names it; line 0 is no line.
        let stream = Located::new("", "m").at_line(0).at_column(2);
        assert_eq!(stream.to_string(), "第 2 列 / column 2: m");
        assert_eq!(stream.in_file("a.csv").to_string(), "a.csv: 第 2 列 / column 2: m");
    }

    #[test]
    fn a_refusal_shows_one_problem_a_line() {
        let refused = Refused {
            problems: vec![Located::at("a", Some(1), None, "x"), Located::at("b", None, None, "y")],
        };
        assert_eq!(refused.to_string(), "a: 第 1 行 / line 1: x\nb: y");
    }
}
