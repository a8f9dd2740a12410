//! Registers (台账, issue 13) in Excel: a kind's template (one sheet 记录 with the kind's columns in CSV
//! order, text-formatted cells, drop-down lists for choices, 是/否 and lifecycle states, each column's type,
//! unit and range as its input message; a hidden `_ecociv` sheet naming the kind and version), and a filled
//! workbook read back into records — every cell checked by `ecociv_ledger`'s own field rules, all or
//! nothing, each problem naming the sheet and cell (`C5`).

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use ecociv_ledger::kind::{FieldType, Kind, RECORD_ID, STATE, STATE_DATE};
use ecociv_ledger::record::{Origin, RecordRevision, columns, revision_from_cells};
use ecociv_ledger::{DataError, Problem};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, FormatBorder, Workbook};

use crate::common::ReportError;
use crate::template::column_letters;

/// The records' sheet.
pub const SHEET: &str = "记录";
/// The hidden sheet naming the format, kind and version.
pub const META_SHEET: &str = "_ecociv";
pub const FORMAT: &str = "ecociv-ledger-template-1";
/// Rows of the template given the input format and lists (the sheet itself takes any number).
const TEMPLATE_ROWS: u32 = 2000;

fn prompt(kind: &Kind, id: &str) -> String {
    let mut text = match id {
        RECORD_ID => "编号：本台账内唯一，同一编号的后续行为该记录的新版本（更正或状态变化）".to_string(),
        STATE => "状态：按本台账的流转规则填写".to_string(),
        STATE_DATE => "状态日期：年-月-日，不早于上一状态日期".to_string(),
        _ => match kind.field(id) {
            None => String::new(),
            Some(field) => {
                let ty = match &field.ty {
                    FieldType::Text => "文本",
                    FieldType::Number => "数值",
                    FieldType::Integer => "整数",
                    FieldType::Date => "日期（年-月-日）",
                    FieldType::Year => "年份",
                    FieldType::Bool => "是/否",
                    FieldType::Choice(_) => "从列表选择",
                };
                let mut text = format!("{}：{ty}", field.name);
                if let Some(unit) = &field.unit {
                    text.push_str(&format!("，单位 {unit}"));
                }
                if let Some((lo, hi)) = field.range {
                    text.push_str(&format!(
                        "，范围 {}–{}",
                        ecociv_core::num::show(lo),
                        ecociv_core::num::show(hi)
                    ));
                }
                if field.required {
                    text.push_str("，必填");
                }
                if let Some(note) = &field.note {
                    text.push_str(&format!("。{note}"));
                }
                text
            }
        },
    };
    // Excel's limit for an input message.
    text = text.chars().take(250).collect();
    text
}

/// A kind's Excel template.
pub fn template(kind: &Kind) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(rust_xlsxwriter::Color::RGB(0xD9E1F2));
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    let columns = columns(kind);
    for (c, (id, name)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, name, &header)?;
        sheet.set_column_width(c, (name.chars().count() as f64 * 2.2).max(12.0))?;
        sheet.set_column_format(c, &text)?;
        let list: Option<Vec<String>> = match id.as_str() {
            STATE => kind.lifecycle.as_ref().map(|l| l.states.clone()),
            _ => kind.field(id).and_then(|f| match &f.ty {
                FieldType::Choice(values) => Some(values.clone()),
                FieldType::Bool => Some(vec!["是".into(), "否".into()]),
                _ => None,
            }),
        };
        let message = prompt(kind, id);
        let validation = match list {
            // Excel keeps a literal list under 255 characters; a longer one stays a prompt.
            Some(values) if values.iter().map(|v| v.chars().count() + 1).sum::<usize>() < 250 => DataValidation::new()
                .allow_list_strings(&values)?
                .set_error_style(DataValidationErrorStyle::Stop)
                .set_error_message("请从下拉列表中选择 (choose from the list)")?,
            _ => DataValidation::new().allow_any_value(),
        };
        let validation = if message.is_empty() {
            validation
        } else {
            validation.set_input_message(&message)?
        };
        sheet.add_data_validation(1, c, TEMPLATE_ROWS, c, &validation)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    let meta = book.add_worksheet();
    meta.set_name(META_SHEET)?;
    for (r, (key, value)) in [
        ("format", FORMAT.to_string()),
        ("kind", kind.id.clone()),
        ("version", kind.version.to_string()),
        ("name", kind.name.clone()),
    ]
    .iter()
    .enumerate()
    {
        meta.write_string(r as u32, 0, *key)?;
        meta.write_string(r as u32, 1, value)?;
    }
    meta.set_hidden(true);
    Ok(book.save_to_buffer()?)
}

/// Days from Excel's day 0 (1899-12-30, the 1900 system) to a serial date's day.
fn excel_date(serial: f64, is_1904: bool) -> Option<jiff::civil::Date> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let base = if is_1904 {
        jiff::civil::date(1904, 1, 1)
    } else {
        jiff::civil::date(1899, 12, 30)
    };
    base.checked_add(jiff::Span::new().days(serial.floor() as i64)).ok()
}

/// A cell's text as a person typed it; `Err` with the reason for a cell that cannot be a record's cell.
fn cell_text(range: &Range<Data>, row: u32, column: u32) -> Result<String, String> {
    Ok(match range.get_value((row, column)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(text)) => text.trim().to_string(),
        Some(Data::Float(n)) if n.is_finite() => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                n.to_string()
            }
        }
        Some(Data::Float(_)) => return Err("不是有限数字 (not a finite number)".into()),
        Some(Data::Int(n)) => n.to_string(),
        Some(Data::Bool(true)) => "是".into(),
        Some(Data::Bool(false)) => "否".into(),
        Some(Data::DateTime(dt)) if dt.is_datetime() => match excel_date(dt.as_f64(), false) {
            Some(date) => date.to_string(),
            None => return Err("日期超出范围 (date out of range)".into()),
        },
        Some(Data::DateTimeIso(text)) => text.chars().take(10).collect(),
        Some(Data::DateTime(_) | Data::DurationIso(_)) => {
            return Err("单元格是时长，不是日期或数值 (a duration is not a value)".into());
        }
        Some(Data::Error(error)) => return Err(format!("单元格含错误值 {error:?} (cell holds an error)")),
    })
}

/// Reads a filled workbook of records of `kind`: the sheet 记录 (or the first sheet), its first non-empty row
/// the header (columns by Chinese name or id, in any order, as in the CSV), every later row a revision.
/// All or nothing: any problem refuses the file, each naming the sheet and cell. A file name containing
/// `SYNTHETIC` gives synthetic records. The steps: open the sheet, then row by row its cells
/// ([`SheetReader::row_texts`]), the header ([`SheetReader::header`]) and each record
/// ([`SheetReader::record`]).
pub fn read(file: &str, bytes: &[u8], kind: &Kind) -> Result<Vec<RecordRevision>, DataError> {
    let whole = |message: String| DataError::from(Problem::new(file, message));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|error| whole(format!("不是有效的 xlsx 文件 (not a valid xlsx file): {error}")))?;
    let names = book.sheet_names();
    let sheet_name = if names.iter().any(|n| n == SHEET) {
        SHEET.to_string()
    } else {
        names
            .first()
            .cloned()
            .ok_or_else(|| whole("工作簿没有工作表 (no sheet)".into()))?
    };
    let range = book
        .worksheet_range(&sheet_name)
        .map_err(|error| whole(format!("无法读取工作表“{sheet_name}” (cannot read the sheet): {error}")))?;
    let formulas = book.worksheet_formula(&sheet_name).unwrap_or_default();
    let sheet = SheetReader {
        file,
        sheet: &sheet_name,
        range: &range,
        formulas: &formulas,
        kind,
        columns: columns(kind),
    };
    let synthetic = file.contains("SYNTHETIC");
    let (top, left) = range.start().unwrap_or((0, 0));
    let (bottom, right) = range.end().unwrap_or((0, 0));
    let mut problems: Vec<Problem> = Vec::new();
    let mut out = Vec::new();
    // (column in the sheet, kind column id)
    let mut header: Option<Vec<(u32, String)>> = None;
    for row in top..=bottom {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let texts = sheet.row_texts(row, left..=right, &mut problems);
        if texts.iter().all(|(_, t)| t.is_empty()) {
            continue;
        }
        let Some(map) = &header else {
            let map = sheet.header(row, &texts, &mut problems);
            if !problems.is_empty() {
                break;
            }
            header = Some(map);
            continue;
        };
        match sheet.record(row, &texts, map, synthetic) {
            Ok(revision) => out.push(revision),
            Err(found) => problems.extend(found),
        }
    }
    if header.is_none() && problems.is_empty() {
        problems.push(Problem::in_sheet(
            file,
            sheet_name.as_str(),
            None,
            "工作表为空，缺少表头 (empty sheet: no header)",
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(DataError { problems })
    }
}

/// The sheet of records being read, and the kind it holds.
struct SheetReader<'a> {
    file: &'a str,
    sheet: &'a str,
    range: &'a Range<Data>,
    formulas: &'a Range<String>,
    kind: &'a Kind,
    /// The kind's columns: (id, Chinese name).
    columns: Vec<(String, String)>,
}

impl SheetReader<'_> {
    /// The sheet and cell (or row) at fault, and the kind's field when one is.
    fn located(&self, row: u32, column: Option<u32>, what: Option<&str>, message: String) -> Problem {
        let cell_name = |column: u32| format!("{}{}", column_letters(column as u16), row + 1);
        Problem {
            line: Some(u64::from(row) + 1),
            column: column.map(|c| c as usize + 1),
            field: what.map(str::to_string),
            ..Problem::in_sheet(self.file, self.sheet, column.map(cell_name), message)
        }
    }

    /// The texts of `row`'s cells in `columns`; a formula saved without its result or an unreadable cell is
    /// a problem and left out.
    fn row_texts(
        &self,
        row: u32,
        columns: std::ops::RangeInclusive<u32>,
        problems: &mut Vec<Problem>,
    ) -> Vec<(u32, String)> {
        let mut texts: Vec<(u32, String)> = Vec::new();
        for column in columns {
            let has_formula = self
                .formulas
                .get_value((row, column))
                .is_some_and(|f| !f.trim().is_empty());
            if has_formula && matches!(self.range.get_value((row, column)), None | Some(Data::Empty)) {
                problems.push(self.located(
                    row,
                    Some(column),
                    None,
                    "公式没有计算结果，请在 Excel 中重新计算后保存 (a formula without its result)".into(),
                ));
                continue;
            }
            match cell_text(self.range, row, column) {
                Ok(text) => texts.push((column, text)),
                Err(message) => problems.push(self.located(row, Some(column), None, message)),
            }
        }
        texts
    }

    /// The header row: each non-empty cell a column of the kind (by id, name or `name(id)`), none twice,
    /// every required column present. Returns (column in the sheet, column id).
    fn header(&self, row: u32, texts: &[(u32, String)], problems: &mut Vec<Problem>) -> Vec<(u32, String)> {
        let mut map: Vec<(u32, String)> = Vec::new();
        for (column, text) in texts {
            if text.is_empty() {
                continue;
            }
            match self
                .columns
                .iter()
                .find(|(id, name)| id == text || name == text || format!("{name}({id})") == *text)
            {
                Some((id, _)) if map.iter().any(|(_, m)| m == id) => {
                    problems.push(self.located(row, Some(*column), None, format!("列重复：{text} (duplicate column)")));
                }
                Some((id, _)) => map.push((*column, id.clone())),
                None => problems.push(self.located(
                    row,
                    Some(*column),
                    None,
                    format!(
                        "“{}”不是台账“{}”的列 (unknown column)",
                        ecociv_csvline::text::excerpt(text),
                        self.kind.name
                    ),
                )),
            }
        }
        let kind = self.kind;
        for (id, name) in &self.columns {
            let required = id == RECORD_ID
                || (kind.lifecycle.is_some() && (id == STATE || id == STATE_DATE))
                || kind.field(id).is_some_and(|f| f.required);
            if required && !map.iter().any(|(_, m)| m == id) {
                problems.push(self.located(
                    row,
                    None,
                    Some(&format!("{name}({id})")),
                    "缺少必填列 (required column missing)".into(),
                ));
            }
        }
        map
    }

    /// A record's revision from `row`'s cells under the header `map`; its problems each at the cell of its
    /// field.
    fn record(
        &self,
        row: u32,
        texts: &[(u32, String)],
        map: &[(u32, String)],
        synthetic: bool,
    ) -> Result<RecordRevision, Vec<Problem>> {
        let cells: Vec<(&str, &str)> = map
            .iter()
            .filter_map(|(column, id)| {
                texts
                    .iter()
                    .find(|(c, _)| c == column)
                    .map(|(_, t)| (id.as_str(), t.as_str()))
            })
            .collect();
        let origin = Origin {
            file: self.file.to_string(),
            line: Some(u64::from(row) + 1),
        };
        revision_from_cells(self.kind, &cells, &origin, synthetic).map_err(|found| {
            found
                .into_iter()
                .map(|p| {
                    // The field's label is "名称(id)": the cell is that column's on this row.
                    let column = p.field.as_deref().and_then(|label| {
                        let id = label.rsplit_once('(').map(|(_, id)| id.trim_end_matches(')'))?;
                        map.iter().find(|(_, m)| m == id).map(|(c, _)| *c)
                    });
                    self.located(row, column, p.field.as_deref(), p.message)
                })
                .collect()
        })
    }
}

/// At most this many problems are listed.
pub const MAX_PROBLEMS: usize = 100;
