//! **The one located error** of every reader of the project: a problem in an input, with the file, line,
//! column and field it is about — or, in a workbook, the sheet and cell — and a message (Chinese first,
//! English second). The values, zone, framework and divisions files (`ecociv-data`), the plan's files
//! (`ecociv-plan`), the registers (`ecociv-ledger`, and their workbooks in `ecociv-report`), the Excel
//! templates (`ecociv-report`: values, plan ledger, zone plan), the monitoring readers (`ecociv-air`,
//! `ecociv-water`, `ecociv-noise`, `ecociv-soil`), the uploads of `ecociv-monitoring`, a survey platform's
//! export (`ecociv-survey`) and GeoJSON boundaries (`ecociv-map`) all report with it, so a problem reads the
//! same whichever reader found it:
//!
//! ```text
//! values.csv: 第 3 行，字段 value / line 3, field value: 不是数字 (not a number)
//! t.csv: 第 26 行第 5 列（no2）/ line 26, column 5 (no2): 不是数字 / not a number
//! zone.toml: 字段 plan.base_year / field plan.base_year: 缺少 (missing)
//! plan.xlsx: 工作表“表2-1”单元格 G7 / sheet 表2-1, cell G7: 不是数字 (not a number)
//! ```
//!
//! [`Refused`] is every problem found in one input (or set of inputs): nothing was applied.

use std::fmt;

/// Where in a workbook: the sheet and, when one is at fault, the cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetCell {
    /// The sheet's name.
    pub sheet: String,
    /// The cell (`G7`); when named, it stands for the line and column.
    pub cell: Option<String>,
}

/// One problem in an input: where (each part when known) and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// The file's name as the person gave it (`-` for standard input); empty when the reader was given none
    /// (a stream: the caller names the file when it prints).
    pub file: String,
    /// In a workbook: the sheet and cell (boxed, so that the readers' `Result`s stay small; see
    /// [`Located::sheet`], [`Located::cell`]).
    pub workbook: Option<Box<SheetCell>>,
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
            field: field.map(str::to_string),
            message: message.into(),
            ..Located::default()
        }
    }

    /// A problem in a workbook's `sheet`, at `cell` when one is at fault (`None`: the sheet as a whole).
    pub fn in_sheet(
        file: impl Into<String>,
        sheet: impl Into<String>,
        cell: Option<String>,
        message: impl Into<String>,
    ) -> Located {
        Located {
            file: file.into(),
            workbook: Some(Box::new(SheetCell {
                sheet: sheet.into(),
                cell,
            })),
            message: message.into(),
            ..Located::default()
        }
    }

    /// The workbook's sheet, if the problem is in one.
    pub fn sheet(&self) -> Option<&str> {
        self.workbook
            .as_ref()
            .map(|w| w.sheet.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The workbook's cell, if one is at fault.
    pub fn cell(&self) -> Option<&str> {
        self.workbook.as_ref().and_then(|w| w.cell.as_deref())
    }

    /// A problem a stream reader found (no file name yet: the caller adds it with [`Located::in_file`]) at
    /// `line` (0: unknown) and, when one field is at fault, its 1-based column and header name.
    pub fn in_stream(line: u64, column: Option<(usize, String)>, message: impl Into<String>) -> Located {
        let (column, field) = column.unzip();
        Located {
            line: (line > 0).then_some(line),
            column,
            field,
            message: message.into(),
            ..Located::default()
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

    /// The same problem at a workbook's `cell` (`G7`).
    pub fn at_cell(mut self, cell: impl Into<String>) -> Located {
        self.workbook.get_or_insert_with(Box::default).cell = Some(cell.into());
        self
    }

    /// The same problem in `file` (a stream reader's problem, once the caller knows the file's name).
    pub fn in_file(mut self, file: impl Into<String>) -> Located {
        self.file = file.into();
        self
    }

    /// The place alone, Chinese then English (`第 3 行第 5 列（no2）/ line 3, column 5 (no2)`,
    /// `工作表“表2-1”单元格 G7 / sheet 表2-1, cell G7`); empty when nothing but the file is known.
    pub fn place(&self) -> String {
        let (zh, en) = self.places();
        if zh.is_empty() {
            String::new()
        } else if zh.ends_with('）') {
            // A full-width bracket carries its own space.
            format!("{zh}/ {en}")
        } else {
            format!("{zh} / {en}")
        }
    }

    /// The problem in Chinese alone, for a page in Chinese: the place and the message's Chinese part
    /// (`第 3 行，字段 层：“火星街道”不是抽样方案中的层`); no file name.
    pub fn zh(&self) -> String {
        join_place(self.places().0, self.message_parts().0, "：")
    }

    /// The problem in English, for a page in English: the place and the message's English part when it
    /// has one (the whole message otherwise); no file name.
    pub fn en(&self) -> String {
        join_place(self.places().1, self.message_parts().1, ": ")
    }

    /// The message's Chinese and English parts: a message is written `中文 (English)`; one without an
    /// English part in brackets at its end is both.
    pub fn message_parts(&self) -> (&str, &str) {
        let message = self.message.as_str();
        match message.strip_suffix(')').and_then(|m| m.find(" (").map(|at| (at, m))) {
            Some((at, m)) if at > 0 => (&message[..at], &m[at + 2..]),
            _ => (message, message),
        }
    }

    /// The place in Chinese and in English (empty when nothing but the file is known).
    fn places(&self) -> (String, String) {
        let mut zh = String::new();
        let mut en: Vec<String> = Vec::new();
        if let Some(sheet) = self.sheet() {
            zh.push_str(&format!("工作表“{sheet}”"));
            en.push(format!("sheet {sheet}"));
        }
        // A cell stands for the line and the column.
        let (line, column) = match self.cell() {
            Some(cell) => {
                zh.push_str(&format!("单元格 {cell}"));
                en.push(format!("cell {cell}"));
                (None, None)
            }
            None => (self.line, self.column),
        };
        if let Some(line) = line {
            zh.push_str(&format!("第 {line} 行"));
            // A sheet has rows; a text file has lines.
            en.push(if self.workbook.is_some() {
                format!("row {line}")
            } else {
                format!("line {line}")
            });
        }
        let located_in_part = self.cell().is_some() || column.is_some();
        if let Some(column) = column {
            zh.push_str(&format!("第 {column} 列"));
            en.push(format!("column {column}"));
        }
        match &self.field {
            Some(field) if located_in_part => {
                zh.push_str(&format!("（{field}）"));
                if let Some(last) = en.last_mut() {
                    last.push_str(&format!(" ({field})"));
                }
            }
            Some(field) => {
                if !zh.is_empty() {
                    zh.push('，');
                }
                zh.push_str(&format!("字段 {field}"));
                en.push(format!("field {field}"));
            }
            None => {}
        }
        (zh, en.join(", "))
    }
}

/// A place and a message in one language (the message alone when there is no place).
fn join_place(place: String, message: &str, separator: &str) -> String {
    if place.is_empty() {
        message.to_string()
    } else {
        format!("{place}{separator}{message}")
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
    fn a_workbook_problem_names_its_sheet_and_cell() {
        let cell = Located::in_sheet("plan.xlsx", "表2-1", Some("G7".into()), "不是数字 (not a number)");
        assert_eq!(
            cell.to_string(),
            "plan.xlsx: 工作表“表2-1”单元格 G7 / sheet 表2-1, cell G7: 不是数字 (not a number)"
        );
        // The cell stands for the line and column; a field named beside it is bracketed.
        let with_field = cell.at_line(7).at_column(7).in_field("value");
        assert_eq!(
            with_field.to_string(),
            "plan.xlsx: 工作表“表2-1”单元格 G7（value）/ sheet 表2-1, cell G7 (value): 不是数字 (not a number)"
        );
        assert_eq!(
            Located::in_sheet("a.xlsx", "记录", None, "m").to_string(),
            "a.xlsx: 工作表“记录” / sheet 记录: m"
        );
        // A sheet's row without a cell is a row, not a line.
        assert_eq!(
            Located::in_sheet("a.xlsx", "记录", None, "m").at_line(3).to_string(),
            "a.xlsx: 工作表“记录”第 3 行 / sheet 记录, row 3: m"
        );
        assert_eq!(
            Located::in_sheet("a.xlsx", "记录", None, "m")
                .at_line(3)
                .in_field("grade")
                .to_string(),
            "a.xlsx: 工作表“记录”第 3 行，字段 grade / sheet 记录, row 3, field grade: m"
        );
        // A cell added to a problem found before its sheet was known.
        assert_eq!(
            Located::new("a.xlsx", "m").at_cell("B2").to_string(),
            "a.xlsx: 单元格 B2 / cell B2: m"
        );
        // The readers' results stay small (clippy's large-error threshold is 128 bytes).
        assert!(size_of::<Located>() <= 128);
    }

    #[test]
    fn a_page_shows_the_problem_in_its_own_language() {
        let p = Located::at(
            "",
            Some(3),
            Some("层"),
            "“火星街道”不是抽样方案中的层 ('火星街道' is not a stratum)",
        );
        assert_eq!(p.zh(), "第 3 行，字段 层：“火星街道”不是抽样方案中的层");
        assert_eq!(p.en(), "line 3, field 层: '火星街道' is not a stratum");
        // A message without an English part is shown whole on either page.
        let whole = Located::new("", "不是数字");
        assert_eq!(
            (whole.zh(), whole.en()),
            ("不是数字".to_string(), "不是数字".to_string())
        );
    }

    #[test]
    fn a_refusal_shows_one_problem_a_line() {
        let refused = Refused {
            problems: vec![Located::at("a", Some(1), None, "x"), Located::at("b", None, None, "y")],
        };
        assert_eq!(refused.to_string(), "a: 第 1 行 / line 1: x\nb: y");
    }
}
