//! Department templates (部门数据填报模板): an xlsx with exactly one department's rows for a year, and the
//! import of the filled file.
//!
//! **Export.** Sheet [`INPUT_SHEET`]: title, instructions, then one line per row the department leads
//! (牵头部门 in the zone's plan): number, name, unit, standard, allowed states, the value already on
//! record, and three input cells — 现状值 (value), 上级下达值/完成情况 (assigned) and 说明 (note). Input
//! cells are unlocked and yellow; everything else is locked (the sheet is protected without a password:
//! protection guards against slips, not against intent). States are offered as drop-down lists (the lists
//! sit in the hidden sheet [`META_SHEET`], which also records zone, year, department and format version).
//! Input cells are formatted as text so that what a person types (`94.5`, `94.5%`) arrives as typed.
//!
//! **Import.** Every cell is validated through the same parser as every other input path
//! ([`ecociv_core::value::parse_value`], [`ecociv_core::value::parse_assigned`]); the template's identity
//! (format, zone, year, department, the row numbers in column A) is checked too. Any problem refuses the
//! whole file: the result is either every accepted value or the full list of problems, each naming the
//! sheet, the cell (e.g. `G7`) and the reason. The observations' source records the file as evidence.
//!
//! Pure: bytes in, bytes or observations out.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use ecociv_core::framework::Row;
use ecociv_core::value::{Assigned, parse_assigned, parse_value};
use ecociv_core::{Framework, Observation, Source, Value, Zone};
use ecociv_csvline::Located;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, Worksheet};

use crate::common::{ReportError, TextCells};
use crate::xlsx::{Formats, height_for, lines_needed, merge_or_write, print_setup};

/// The input sheet's name.
pub const INPUT_SHEET: &str = "填报表";
/// The hidden sheet with the template's identity and the drop-down lists.
pub const META_SHEET: &str = "_ecociv";
/// The template format written in the meta sheet; import refuses other versions.
pub const FORMAT: &str = "ecociv-department-template-1";

/// Column indexes (0-based) of the input sheet.
pub mod col {
    pub const ID: u16 = 0;
    pub const NAME: u16 = 1;
    pub const UNIT: u16 = 2;
    pub const STANDARD: u16 = 3;
    pub const STATES: u16 = 4;
    pub const ON_RECORD: u16 = 5;
    /// Input: the value (现状值).
    pub const VALUE: u16 = 6;
    /// Input: what the higher level assigned (上级下达值) or its verdict (完成 / 未完成).
    pub const ASSIGNED: u16 = 7;
    /// Input: a free note (data source, remarks).
    pub const NOTE: u16 = 8;
}

/// The header line (0-based row); data lines follow it.
pub const HEADER_ROW: u32 = 3;

/// Every department named in the zone's plan, in table order.
pub fn departments(framework: &Framework, zone: &Zone) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for (_, row) in framework.rows() {
        for department in zone.plan.lead_departments.get(&row.id).into_iter().flatten() {
            if !list.contains(department) {
                list.push(department.clone());
            }
        }
    }
    list
}

/// The rows a department leads, in table order, with their indicator's name when they are sub-rows.
fn department_rows<'a>(framework: &'a Framework, zone: &Zone, department: &str) -> Vec<(String, &'a Row)> {
    framework
        .indicators
        .iter()
        .flat_map(|indicator| indicator.rows.iter().map(move |row| (indicator, row)))
        .filter(|(_, row)| {
            zone.plan
                .lead_departments
                .get(&row.id)
                .is_some_and(|list| list.iter().any(|d| d == department))
        })
        .map(|(indicator, row)| {
            let name = if indicator.has_sub_rows() {
                format!("{}—{}", indicator.name, row.name)
            } else {
                row.name.clone()
            };
            (name, row)
        })
        .collect()
}

/// The spreadsheet name of a cell: column letters and 1-based row, e.g. `G7`.
pub fn cell_name(row: u32, column: u16) -> String {
    format!("{}{}", column_letters(column), row + 1)
}

/// The letters of a column, e.g. `A`, `Z`, `AA`.
pub fn column_letters(column: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(column) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters
}

/// The template of `department` for `year`: the input sheet (heading, a line per row the department
/// leads, then widths and protection) and the hidden meta sheet with the template's identity and the
/// drop-down lists the lines gathered.
pub fn export(framework: &Framework, zone: &Zone, department: &str, year: i32) -> Result<Vec<u8>, ReportError> {
    let rows = department_rows(framework, zone, department);
    if rows.is_empty() {
        return Err(ReportError::Input(format!(
            "“{department}”不是本区域规划中的牵头部门；可选：{} (not a lead department of this zone)",
            departments(framework, zone).join("、")
        )));
    }
    let formats = Formats::new();
    let mut lines = InputLines {
        input: formats.input.clone().set_unlocked(),
        formats,
        zone,
        year,
        lists: Vec::new(),
    };
    let mut book = Workbook::new();

    // The meta sheet first in memory, added second so the input sheet opens first.
    let input_sheet = book.add_worksheet();
    input_sheet.set_name(INPUT_SHEET)?;
    write_input_heading(input_sheet, &lines.formats, framework, zone, department, year)?;
    for (index, (name, row)) in rows.iter().enumerate() {
        lines.write(input_sheet, HEADER_ROW + 1 + index as u32, name, row)?;
    }
    finish_input_sheet(input_sheet)?;

    let meta = book.add_worksheet();
    let identity = [
        ("format", FORMAT.to_string()),
        ("zone", zone.profile.code.clone()),
        ("year", year.to_string()),
        ("department", department.to_string()),
        ("framework", framework.id.clone()),
        ("rows", rows.len().to_string()),
    ];
    write_meta_sheet(meta, &identity, &lines.lists)?;
    Ok(book.save_to_buffer()?)
}

/// The input sheet's title, the line naming zone, year, department and framework, the instructions and
/// the column headers.
fn write_input_heading(
    sheet: &mut Worksheet,
    formats: &Formats,
    framework: &Framework,
    zone: &Zone,
    department: &str,
    year: i32,
) -> Result<(), ReportError> {
    merge_or_write(
        sheet,
        (0, 0),
        (0, col::NOTE),
        &format!(
            "{}{}年生态文明建设示范区指标数据填报表（{}）",
            zone.profile.name, year, department
        ),
        &formats.title,
    )?;
    sheet.set_row_height(0, 28)?;
    merge_or_write(
        sheet,
        (1, 0),
        (1, col::NOTE),
        &format!(
            "区域：{}（{}）；年份：{}；填报部门：{}；指标体系：{}",
            zone.profile.name, zone.profile.code, year, department, framework.name
        ),
        &formats.note,
    )?;
    merge_or_write(
        sheet,
        (2, 0),
        (2, col::NOTE),
        "填报说明：只在黄色单元格填写。现状值填数字（百分比填数字本身，如 94.5）或从下拉列表选择状态；上级下达值填数字或“完成/未完成”，没有可不填；说明栏填数据来源。未填写现状值的行不导入。导入时逐格校验，任何一格有误则整份文件不导入。",
        &formats.note,
    )?;
    sheet.set_row_height(2, 42)?;
    let headers = [
        (col::ID, "序号".to_string()),
        (col::NAME, "指标名称".to_string()),
        (col::UNIT, "单位".to_string()),
        (col::STANDARD, "指标值（标准）".to_string()),
        (col::STATES, "可选状态".to_string()),
        (col::ON_RECORD, "已有记录".to_string()),
        (col::VALUE, format!("现状值（{year}年）")),
        (col::ASSIGNED, "上级下达值/完成情况".to_string()),
        (col::NOTE, "说明（数据来源）".to_string()),
    ];
    for (column, text) in &headers {
        sheet.write_text(HEADER_ROW, *column, text, &formats.header)?;
    }
    sheet.set_row_height(HEADER_ROW, 30)?;
    Ok(())
}

/// What each line of the input sheet is written with, and the drop-down lists the lines gather for the
/// meta sheet (a column each).
struct InputLines<'a> {
    formats: Formats,
    /// The input cells' format, unlocked.
    input: Format,
    zone: &'a Zone,
    year: i32,
    lists: Vec<Vec<String>>,
}

impl InputLines<'_> {
    /// The line of `row` at sheet row `r`: the row's texts, the value on record, the three input cells
    /// and their validations.
    fn write(&mut self, sheet: &mut Worksheet, r: u32, name: &str, row: &Row) -> Result<(), ReportError> {
        let formats = &self.formats;
        sheet.write_text(r, col::ID, &row.id, &formats.centre)?;
        sheet.write_text(r, col::NAME, name, &formats.text)?;
        sheet.write_text(r, col::UNIT, &row.unit, &formats.centre)?;
        let standard = row
            .variant_for(&self.zone.profile.attributes)
            .map(|variant| variant.standard.clone())
            .unwrap_or_else(|| "未知".into());
        sheet.write_text(r, col::STANDARD, &standard, &formats.centre)?;
        let states: Vec<String> = row.states.iter().map(|state| state.text.clone()).collect();
        let states_text = states_text(row, &states);
        sheet.write_text(r, col::STATES, &states_text, &formats.text)?;
        let on_record = self
            .zone
            .observation(&row.id, self.year)
            .map(|obs| obs.value.display())
            .unwrap_or_default();
        sheet.write_text(r, col::ON_RECORD, &on_record, &formats.centre)?;
        let needed = lines_needed(name, 30.0)
            .max(lines_needed(&standard, 18.0))
            .max(lines_needed(&states_text, 24.0))
            .max(lines_needed(&on_record, 14.0));
        sheet.set_row_height(r, height_for(needed.max(2)))?;
        sheet.write_blank(r, col::VALUE, &self.input)?;
        sheet.write_blank(r, col::ASSIGNED, &self.input)?;
        sheet.write_blank(r, col::NOTE, &self.input)?;

        let validation = self.value_validation(row, states)?;
        sheet.add_data_validation(r, col::VALUE, r, col::VALUE, &validation)?;
        let assigned = DataValidation::new()
            .allow_list_strings(&[Assigned::DONE, Assigned::NOT_DONE])?
            .set_error_style(DataValidationErrorStyle::Information)
            .set_input_message("上级下达的数值，或上级对考核任务的结论：完成 / 未完成")?;
        sheet.add_data_validation(r, col::ASSIGNED, r, col::ASSIGNED, &assigned)?;
        Ok(())
    }

    /// The value cell's validation: a drop-down of the row's `states` (kept in a new column of the meta
    /// sheet; only a suggestion for rows that also take numbers) or any value, with the prompt.
    fn value_validation(&mut self, row: &Row, states: Vec<String>) -> Result<DataValidation, ReportError> {
        let prompt = value_prompt(row);
        if states.is_empty() {
            return Ok(DataValidation::new().allow_any_value().set_input_message(prompt)?);
        }
        let list_column = self.lists.len();
        self.lists.push(states);
        let letter = column_letters(list_column as u16);
        let count = self.lists[list_column].len();
        Ok(DataValidation::new()
            .allow_list_formula(Formula::new(format!(
                "={META_SHEET}!${letter}$10:${letter}${}",
                9 + count
            )))
            .set_input_message(prompt)?
            // Rows that also take numbers keep the list as a suggestion.
            .set_error_style(if row.takes_numbers() || row.spatial {
                DataValidationErrorStyle::Information
            } else {
                DataValidationErrorStyle::Stop
            })
            .set_error_message("请从下拉列表中选择本指标允许的状态 (choose an allowed state)")?)
    }
}

/// The allowed-states cell of a row: its states, the spatial form, and 数字 for rows that take numbers.
fn states_text(row: &Row, states: &[String]) -> String {
    let mut states_text = states.join("、");
    if row.spatial {
        states_text.push_str(if states_text.is_empty() { "" } else { "；" });
        states_text.push_str("或 面积=数字;性质=不变;功能=不降低");
    }
    if row.takes_numbers() {
        states_text = if states_text.is_empty() {
            "数字".into()
        } else {
            format!("数字，或 {states_text}")
        };
    }
    states_text
}

/// The value cell's input message (at most 250 characters, Excel's limit): what to type, and the row's
/// range.
fn value_prompt(row: &Row) -> String {
    let mut prompt = if row.takes_numbers() {
        format!("填写数字（单位：{}）", row.unit)
    } else {
        "从下拉列表选择".to_string()
    };
    if let Some((low, high)) = row.range {
        prompt.push_str(&format!(
            "，范围 {}–{}",
            ecociv_core::num::show(low),
            ecociv_core::num::show(high)
        ));
    }
    prompt.chars().take(250).collect()
}

/// The input sheet's column widths, frozen panes, print setup and protection.
fn finish_input_sheet(sheet: &mut Worksheet) -> Result<(), ReportError> {
    for (column, width) in [
        (col::ID, 6.0),
        (col::NAME, 30.0),
        (col::UNIT, 10.0),
        (col::STANDARD, 18.0),
        (col::STATES, 24.0),
        (col::ON_RECORD, 14.0),
        (col::VALUE, 16.0),
        (col::ASSIGNED, 16.0),
        (col::NOTE, 24.0),
    ] {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 2)?;
    print_setup(sheet)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.protect();
    Ok(())
}

/// The hidden, protected meta sheet: the template's identity (key, value) from its first row, and the
/// drop-down lists a column each from row 10.
fn write_meta_sheet(
    meta: &mut Worksheet,
    identity: &[(&str, String)],
    lists: &[Vec<String>],
) -> Result<(), ReportError> {
    meta.set_name(META_SHEET)?;
    for (r, (key, value)) in identity.iter().enumerate() {
        meta.write_text_plain(r as u32, 0, *key)?;
        meta.write_text_plain(r as u32, 1, value)?;
    }
    for (column, list) in lists.iter().enumerate() {
        for (k, text) in list.iter().enumerate() {
            meta.write_text_plain(9 + k as u32, column as u16, text)?;
        }
    }
    meta.set_hidden(true);
    meta.protect();
    Ok(())
}

/// A refused workbook import (the values template, the plan's project ledger, the zone plan template):
/// every problem found, each an [`ecociv_csvline::Located`] naming the file, sheet and cell; nothing was
/// imported.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub file: String,
    pub problems: Vec<Located>,
}

impl ImportError {
    /// The refusal of `file` for `problems` (each named in `file`).
    pub fn new(file: &str, problems: Vec<Located>) -> ImportError {
        ImportError {
            file: file.to_string(),
            problems: problems.into_iter().map(|p| p.in_file(file)).collect(),
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}：发现 {} 处问题，整份文件未导入 (the file was refused; nothing was imported)",
            self.file,
            self.problems.len()
        )?;
        for problem in &self.problems {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}

/// A problem at a workbook's `sheet` and `cell` (`cell` empty: the sheet as a whole; `sheet` empty too: the
/// file as a whole); [`ImportError::new`] names the file.
pub(crate) fn at(sheet: &str, cell: String, reason: impl Into<String>) -> Located {
    if sheet.is_empty() {
        Located::new("", reason)
    } else {
        Located::in_sheet("", sheet, (!cell.is_empty()).then_some(cell), reason)
    }
}

impl std::error::Error for ImportError {}

/// An accepted value, with the cell it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedValue {
    pub observation: Observation,
    /// The value's cell, e.g. `G7`.
    pub cell: String,
    /// The note typed by the department, if any.
    pub note: String,
}

/// An accepted template.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub zone: String,
    pub year: i32,
    pub department: String,
    pub values: Vec<ImportedValue>,
}

/// The evidence text recorded as the source of imported values.
pub fn evidence(file: &str, department: &str, row: u32) -> String {
    format!(
        "部门填报：{department}，文件 {file}，工作表“{INPUT_SHEET}”第{}行",
        row + 1
    )
}

/// Reads a filled template for `zone` and validates every cell. `file` names the file in messages and in
/// the evidence recorded with each value. The steps: open the workbook and its two sheets, check the
/// template's identity ([`read_identity`]), the value column's header, each row's line
/// ([`LineReader::read`]) and the lines below them; every problem is kept and any one refuses the file.
pub fn import(framework: &Framework, zone: &Zone, bytes: &[u8], file: &str) -> Result<Imported, ImportError> {
    let refuse = |sheet: &str, cell: String, reason: String| ImportError::new(file, vec![at(sheet, cell, reason)]);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|error| {
        refuse(
            "",
            String::new(),
            format!("不是有效的 xlsx 文件 (not a valid xlsx file): {error}"),
        )
    })?;
    let meta = book.worksheet_range(META_SHEET).map_err(|_| {
        refuse(
            META_SHEET,
            String::new(),
            "缺少模板标识工作表，不是 ecociv 导出的填报模板 (not an ecociv template)".into(),
        )
    })?;
    let sheet = book.worksheet_range(INPUT_SHEET).map_err(|_| {
        refuse(
            INPUT_SHEET,
            String::new(),
            "缺少填报工作表 (the input sheet is missing)".into(),
        )
    })?;

    // Formulas of the input sheet: a formula cell saved without its result (as scripts that do not calculate
    // write them) reads as empty and would silently drop its row; it is refused with the cell named.
    let formulas = book.worksheet_formula(INPUT_SHEET).unwrap_or_default();
    let Identity {
        year,
        department,
        expected,
    } = read_identity(&meta, framework, zone, file)?;

    let mut problems: Vec<Located> = Vec::new();
    let header = cell_text(&sheet, HEADER_ROW, col::VALUE).unwrap_or_default();
    if !header.contains(&format!("{year}")) {
        problems.push(at(
            INPUT_SHEET,
            cell_name(HEADER_ROW, col::VALUE),
            format!("表头应为“现状值（{year}年）”，实为“{header}” (header changed)"),
        ));
    }
    let reader = LineReader {
        sheet: &sheet,
        formulas: &formulas,
        year,
        department: &department,
        file,
    };
    let values: Vec<ImportedValue> = expected
        .iter()
        .enumerate()
        .filter_map(|(index, (_, row))| reader.read(HEADER_ROW + 1 + index as u32, row, &mut problems))
        .collect();
    check_below_rows(&sheet, HEADER_ROW + 1 + expected.len() as u32, &mut problems);
    if problems.is_empty() && values.is_empty() {
        problems.push(at(
            INPUT_SHEET,
            String::new(),
            "没有填写任何现状值 (no value was filled in)",
        ));
    }
    if !problems.is_empty() {
        return Err(ImportError::new(file, problems));
    }
    Ok(Imported {
        zone: zone.profile.code.clone(),
        year,
        department,
        values,
    })
}

/// A template's identity from its meta sheet: the year and department it was made for, and the rows that
/// department leads (in the input sheet's order).
struct Identity<'a> {
    year: i32,
    department: String,
    expected: Vec<(String, &'a Row)>,
}

/// Checks the meta sheet: the template format (else refused at once), the zone, the year (else refused at
/// once), the department and the framework — the last three's problems reported together.
fn read_identity<'a>(
    meta: &Range<Data>,
    framework: &'a Framework,
    zone: &Zone,
    file: &str,
) -> Result<Identity<'a>, ImportError> {
    let refuse = |cell: &str, reason: String| ImportError::new(file, vec![at(META_SHEET, cell.into(), reason)]);
    let meta_value = |key: &str| -> Option<String> {
        (0..10u32)
            .find(|r| cell_text(meta, *r, 0).as_deref() == Some(key))
            .and_then(|r| cell_text(meta, r, 1))
    };
    let mut problems: Vec<Located> = Vec::new();
    if meta_value("format").as_deref() != Some(FORMAT) {
        return Err(refuse(
            "B1",
            format!("模板版本不符，应为 {FORMAT} (unknown template format)"),
        ));
    }
    let zone_code = meta_value("zone").unwrap_or_default();
    if zone_code != zone.profile.code {
        problems.push(at(
            META_SHEET,
            "B2".into(),
            format!(
                "模板属于区域 {zone_code}，不是 {} (template of another zone)",
                zone.profile.code
            ),
        ));
    }
    let Some(year) = meta_value("year").and_then(|text| text.parse::<i32>().ok()) else {
        return Err(refuse("B3", "年份无效 (invalid year)".into()));
    };
    let department = meta_value("department").unwrap_or_default();
    let expected = department_rows(framework, zone, &department);
    if expected.is_empty() {
        problems.push(at(
            META_SHEET,
            "B4".into(),
            format!("“{department}”不是本区域的牵头部门 (not a lead department)"),
        ));
    }
    if meta_value("framework").as_deref() != Some(framework.id.as_str()) {
        problems.push(at(
            META_SHEET,
            "B5".into(),
            format!("模板的指标体系不是 {} (another framework)", framework.id),
        ));
    }
    if !problems.is_empty() {
        return Err(ImportError::new(file, problems));
    }
    Ok(Identity {
        year,
        department,
        expected,
    })
}

/// What each line of the input sheet is read against.
struct LineReader<'a> {
    sheet: &'a Range<Data>,
    formulas: &'a Range<String>,
    year: i32,
    department: &'a str,
    file: &'a str,
}

impl LineReader<'_> {
    /// The line of `row` at sheet row `r`: its number must be the row's; a formula without its result, an
    /// unreadable cell, an assigned value without a value, or a value or assigned value the row's parser
    /// refuses is pushed onto `problems`. `None` for a line with a problem or without a value.
    fn read(&self, r: u32, row: &Row, problems: &mut Vec<Located>) -> Option<ImportedValue> {
        let sheet = self.sheet;
        let id = cell_text(sheet, r, col::ID).unwrap_or_default();
        if id != row.id {
            problems.push(at(
                INPUT_SHEET,
                cell_name(r, col::ID),
                format!("应为指标 {}，实为“{id}”：模板的行被改动 (rows were changed)", row.id),
            ));
            return None;
        }
        let uncalculated = [col::VALUE, col::ASSIGNED, col::NOTE]
            .into_iter()
            .filter_map(|column| uncalculated_formula(sheet, self.formulas, r, column).map(|reason| (column, reason)))
            .collect::<Vec<_>>();
        if !uncalculated.is_empty() {
            for (column, reason) in uncalculated {
                problems.push(at(INPUT_SHEET, cell_name(r, column), reason));
            }
            return None;
        }
        let mut input = |column: u16| {
            cell_input(sheet, r, column)
                .map_err(|reason| problems.push(at(INPUT_SHEET, cell_name(r, column), reason)))
                .ok()
        };
        let value_text = input(col::VALUE)?;
        let assigned_text = input(col::ASSIGNED)?;
        let note = input(col::NOTE)?;
        let value_cell = cell_name(r, col::VALUE);
        if value_text.is_empty() {
            if !assigned_text.is_empty() {
                problems.push(at(
                    INPUT_SHEET,
                    value_cell,
                    format!("指标 {}：填写了上级下达值，但现状值为空 (value missing)", row.id),
                ));
            }
            return None;
        }
        let value = parse_value(row, &value_text)
            .map_err(|error| problems.push(at(INPUT_SHEET, value_cell.clone(), format!("指标 {}：{error}", row.id))))
            .ok();
        let assigned = parse_assigned(row, &assigned_text)
            .map_err(|error| {
                problems.push(at(
                    INPUT_SHEET,
                    cell_name(r, col::ASSIGNED),
                    format!("指标 {}：{error}", row.id),
                ));
            })
            .ok();
        let (value, assigned) = (value?, assigned?);
        Some(ImportedValue {
            observation: Observation {
                row: row.id.clone(),
                year: self.year,
                value,
                assigned,
                recorded: None,
                source: Source::Document {
                    citation: evidence(self.file, self.department, r),
                },
            },
            cell: value_cell,
            note,
        })
    }
}

/// Lines below the department's rows (from sheet row `first`) must stay empty: a value there belongs to
/// no row.
fn check_below_rows(sheet: &Range<Data>, first: u32, problems: &mut Vec<Located>) {
    for r in first..sheet.end().map(|(row, _)| row + 1).unwrap_or(0) {
        for column in [col::VALUE, col::ASSIGNED] {
            if cell_text(sheet, r, column).is_some_and(|text| !text.trim().is_empty()) {
                problems.push(at(
                    INPUT_SHEET,
                    cell_name(r, column),
                    "此行不属于任何指标，不能填写 (outside the template's rows)",
                ));
            }
        }
    }
}

fn cell_text(range: &Range<Data>, row: u32, column: u16) -> Option<String> {
    match range.get_value((row, u32::from(column)))? {
        Data::String(text) => Some(text.trim().to_string()),
        Data::Float(number) => Some(number.to_string()),
        Data::Int(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Why a cell holding a formula but no calculated result is refused, if it is one.
fn uncalculated_formula(values: &Range<Data>, formulas: &Range<String>, row: u32, column: u16) -> Option<String> {
    let formula = formulas.get_value((row, u32::from(column)))?.trim();
    if formula.is_empty() || !matches!(values.get_value((row, u32::from(column))), None | Some(Data::Empty)) {
        return None;
    }
    Some(format!(
        "单元格含公式“={}”但没有计算结果：请在 Excel 中重新计算并保存，或直接填写数值 (a formula without a calculated value)",
        ecociv_core::value::excerpt(formula)
    ))
}

/// An input cell as text: strings as typed, numbers in their shortest exact form. Dates, booleans and
/// error values are refused.
pub(crate) fn cell_input(range: &Range<Data>, row: u32, column: u16) -> Result<String, String> {
    match range.get_value((row, u32::from(column))) {
        None | Some(Data::Empty) => Ok(String::new()),
        Some(Data::String(text)) => Ok(text.trim().to_string()),
        Some(Data::Float(number)) if number.is_finite() => Ok(number.to_string()),
        Some(Data::Int(number)) => Ok(number.to_string()),
        Some(Data::Bool(flag)) => Err(format!("逻辑值 {flag} 不是有效输入 (a boolean is not a value)")),
        Some(Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_)) => {
            Err("单元格被识别为日期/时间，请按文本填写 (a date is not a value)".into())
        }
        Some(Data::Error(error)) => Err(format!("单元格含错误值 {error:?} (cell holds an error)")),
        Some(Data::Float(_)) => Err("不是有限数字 (not a finite number)".into()),
    }
}

/// The text of a value as a values file writes it (read back by the same parser).
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Number(number) => number.to_string(),
        Value::State(text) => text.clone(),
        Value::Spatial(_) => value.display(),
    }
}

/// The text of an assigned value as a values file writes it.
pub fn assigned_text(assigned: Option<&Assigned>) -> String {
    assigned.map(Assigned::to_string).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::cell_name;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 3), "D7");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
    }
}
