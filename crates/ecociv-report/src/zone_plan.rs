//! The Excel plan template (issue 15): a new zone's plan as its Table 2-1 — each row's base-year value, 2025
//! and 2030 targets and lead departments — with the zone's particulars on a first sheet. `template` writes it
//! (empty, or filled from a zone's plan), `read` reads a filled one back (calamine): every cell checked, the
//! base-year values through `ecociv_core::value::parse_value`, the rows' numbers against the edition; all or
//! nothing, every problem naming its sheet and cell. The caller turns the cells into a zone directory and
//! stores it through the same checks as files (`ecociv_server::service::zones::import_plan`), mapping a
//! target's problem back to its cell with [`target_cell`].

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use ecociv_core::value::parse_value;
use ecociv_core::{Framework, Value, Zone};
use rust_xlsxwriter::Workbook;

use crate::common::{ReportError, TextCells};
use crate::template::{ImportError, at, cell_input, cell_name, value_text};
use crate::xlsx::Formats;

/// The template's format, in its hidden sheet.
pub const FORMAT: &str = "ecociv-zone-plan/1";
/// The particulars' sheet.
pub const INFO_SHEET: &str = "区域信息";
/// Table 2-1's sheet.
pub const PLAN_SHEET: &str = "表2-1";
/// The hidden sheet holding the format and the edition.
pub const META_SHEET: &str = "_ecociv";
/// The target years, in their columns' order.
pub const TARGET_YEARS: [i32; 2] = [2025, 2030];

/// The mark of a target that describes work rather than a figure or state (`描述：完成…规划的编制`).
pub const DESCRIBES: &str = "描述：";

/// A target cell's text and whether it is marked as a description of work.
pub fn target_text(cell: &str) -> (&str, bool) {
    match cell.strip_prefix(DESCRIBES).or_else(|| cell.strip_prefix("描述:")) {
        Some(rest) => (rest.trim(), true),
        None => (cell, false),
    }
}

/// Columns of Table 2-1's sheet (0-based).
pub mod col {
    pub const ID: u16 = 0;
    pub const NAME: u16 = 1;
    pub const UNIT: u16 = 2;
    pub const ATTRIBUTE: u16 = 3;
    pub const BASE: u16 = 4;
    pub const TARGET_2025: u16 = 5;
    pub const TARGET_2030: u16 = 6;
    pub const LEAD: u16 = 7;
}
/// The header row of Table 2-1's sheet (0-based); rows follow it.
pub const HEADER_ROW: u32 = 2;

/// The particulars, in the rows of the first sheet (label in A, value in B), from row 3 (0-based).
pub const INFO: [(&str, &str); 8] = [
    ("code", "行政区划代码"),
    ("name", "区域名称"),
    ("framework", "指标体系版本"),
    ("title", "规划名称"),
    ("base_year", "规划基准年"),
    ("level", "区域属性：级别"),
    ("climate", "区域属性：气候"),
    ("terrain", "区域属性：地形"),
];
const INFO_FIRST_ROW: u32 = 3;

/// The cell of a particular (`code`, `title`, …).
pub fn info_cell(key: &str) -> Option<String> {
    INFO.iter()
        .position(|(k, _)| *k == key)
        .map(|i| cell_name(INFO_FIRST_ROW + i as u32, 1))
}

/// The cell of a row's target of a year, in a template of `framework`.
pub fn target_cell(framework: &Framework, row: &str, year: i32) -> Option<String> {
    let index = framework.rows().position(|(_, r)| r.id == row)?;
    let column = match year {
        2025 => col::TARGET_2025,
        2030 => col::TARGET_2030,
        _ => return None,
    };
    Some(cell_name(HEADER_ROW + 1 + index as u32, column))
}

/// A filled template, read.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCells {
    pub code: String,
    pub name: String,
    pub framework_id: String,
    pub title: String,
    pub base_year: i32,
    /// `level`, `climate`, `terrain`.
    pub attributes: Vec<(String, String)>,
    pub rows: Vec<RowCells>,
}

/// One row of Table 2-1 as filled.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCells {
    pub row: String,
    /// The sheet's line (1-based, as Excel shows it).
    pub line: u32,
    pub base_value: Option<Value>,
    /// (year, text) of the targets filled.
    pub targets: Vec<(i32, String)>,
    pub lead: Vec<String>,
}

/// Writes the template of a zone (`code`, `name`) under `framework`; filled from `plan_of` when given (its
/// plan's targets and leads and its base-year values).
pub fn template(framework: &Framework, code: &str, name: &str, plan_of: Option<&Zone>) -> Result<Vec<u8>, ReportError> {
    let formats = Formats::new();
    let input = formats.input.clone();
    let mut book = Workbook::new();
    let info = book.add_worksheet();
    info.set_name(INFO_SHEET)?;
    info.set_column_width(0, 18)?;
    info.set_column_width(1, 48)?;
    info.write_text(0, 0, "生态文明建设示范区规划填报模板：区域信息", &formats.title)?;
    info.write_text(
        1,
        0,
        "只在黄色单元格填写；表2-1 在下一工作表。导入时逐格校验，任何一格有误则整份文件不导入。",
        &formats.note,
    )?;
    let attributes = plan_of.map(|z| &z.profile.attributes);
    for (i, (key, label)) in INFO.iter().enumerate() {
        let r = INFO_FIRST_ROW + i as u32;
        info.write_text(r, 0, *label, &formats.header)?;
        let value = match *key {
            "code" => code.to_string(),
            "name" => name.to_string(),
            "framework" => framework.id.clone(),
            "title" => plan_of.map_or_else(String::new, |z| z.plan.title.replace(&z.profile.name, name)),
            "base_year" => plan_of.map_or_else(String::new, |z| z.plan.base_year.to_string()),
            "level" => attributes
                .and_then(|a| a.get("level").cloned())
                .unwrap_or_else(|| "县级".into()),
            other => attributes.and_then(|a| a.get(other).cloned()).unwrap_or_default(),
        };
        let format = if matches!(*key, "code" | "name" | "framework") {
            &formats.text
        } else {
            &input
        };
        info.write_text(r, 1, &value, format)?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name(PLAN_SHEET)?;
    sheet.write_text(
        0,
        0,
        format!("{name}生态文明建设示范区规划指标（表2-1）"),
        &formats.title,
    )?;
    sheet.write_text(
        1,
        0,
        format!(
            "指标体系：{}。基准年现状值填数字（百分比填数字本身）或状态；目标值照规划文本填写（如 ≥22、持续实施、不低于现状值）；工作描述性目标前加“描述：”；牵头部门多个时用顿号分隔。",
            framework.name
        ),
        &formats.note,
    )?;
    let headers = [
        (col::ID, "序号"),
        (col::NAME, "指标名称"),
        (col::UNIT, "单位"),
        (col::ATTRIBUTE, "指标属性"),
        (col::BASE, "基准年现状值"),
        (col::TARGET_2025, "2025年目标值"),
        (col::TARGET_2030, "2030年目标值"),
        (col::LEAD, "牵头部门"),
    ];
    for (column, text) in headers {
        sheet.write_text(HEADER_ROW, column, text, &formats.header)?;
    }
    for (column, width) in [(0, 7), (1, 34), (2, 8), (3, 9), (4, 14), (5, 20), (6, 20), (7, 30)] {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 2)?;
    for (index, (indicator, row)) in framework.rows().enumerate() {
        let r = HEADER_ROW + 1 + index as u32;
        let name = if indicator.rows.len() > 1 {
            format!("{}：{}", indicator.name, row.name)
        } else {
            row.name.clone()
        };
        sheet.write_text(r, col::ID, &row.id, &formats.centre)?;
        sheet.write_text(r, col::NAME, &name, &formats.text)?;
        sheet.write_text(r, col::UNIT, &row.unit, &formats.centre)?;
        sheet.write_text(r, col::ATTRIBUTE, indicator.attribute.zh(), &formats.centre)?;
        let (base, targets, lead) = match plan_of {
            Some(zone) => (
                zone.observation(&row.id, zone.plan.base_year)
                    .map(|o| value_text(&o.value))
                    .unwrap_or_default(),
                zone.plan.targets.get(&row.id),
                zone.plan
                    .lead_departments
                    .get(&row.id)
                    .map(|l| l.join("、"))
                    .unwrap_or_default(),
            ),
            None => (String::new(), None, String::new()),
        };
        sheet.write_text(r, col::BASE, &base, &input)?;
        for (year, column) in [(2025, col::TARGET_2025), (2030, col::TARGET_2030)] {
            let text = targets
                .and_then(|t| t.get(&year))
                .map(|t| match t.kind {
                    ecociv_core::zone::TargetKind::Describes => format!("{DESCRIBES}{}", t.text),
                    _ => t.text.clone(),
                })
                .unwrap_or_default();
            sheet.write_text(r, column, &text, &input)?;
        }
        sheet.write_text(r, col::LEAD, &lead, &input)?;
    }
    let meta = book.add_worksheet();
    meta.set_name(META_SHEET)?;
    meta.write_text_plain(0, 0, "format")?;
    meta.write_text_plain(0, 1, FORMAT)?;
    meta.write_text_plain(1, 0, "framework")?;
    meta.write_text_plain(1, 1, &framework.id)?;
    meta.set_hidden(true);
    Ok(book.save_to_buffer()?)
}

fn open(bytes: &[u8], file: &str) -> Result<Xlsx<Cursor<Vec<u8>>>, ImportError> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|error| {
        ImportError::new(
            file,
            vec![at(
                "",
                String::new(),
                format!("不是有效的 xlsx 文件 (not a valid xlsx file): {error}"),
            )],
        )
    })
}

/// The edition a filled template names (its hidden sheet), to pick the framework [`read`] checks against.
pub fn framework_id(bytes: &[u8], file: &str) -> Result<String, ImportError> {
    let refuse = |cell: &str, reason: &str| ImportError::new(file, vec![at(META_SHEET, cell.into(), reason)]);
    let mut book = open(bytes, file)?;
    let meta = book.worksheet_range(META_SHEET).map_err(|_| {
        refuse(
            "",
            "缺少模板标识工作表，不是 ecociv 的规划模板 (not an ecociv plan template)",
        )
    })?;
    let text = |r: u32| match meta.get_value((r, 1)) {
        Some(Data::String(s)) => s.trim().to_string(),
        _ => String::new(),
    };
    if text(0) != FORMAT {
        return Err(refuse(
            "B1",
            "模板版本不符，应为规划模板 ecociv-zone-plan/1 (unknown template format)",
        ));
    }
    let id = text(1);
    if id.is_empty() {
        return Err(refuse("B2", "未写明指标体系版本 (no framework edition)"));
    }
    Ok(id)
}

/// Reads a filled template against its edition, all or nothing.
pub fn read(framework: &Framework, bytes: &[u8], file: &str) -> Result<PlanCells, ImportError> {
    let mut book = open(bytes, file)?;
    let missing = |sheet: &str| ImportError::new(file, vec![at(sheet, String::new(), "缺少此工作表 (sheet missing)")]);
    let info = book.worksheet_range(INFO_SHEET).map_err(|_| missing(INFO_SHEET))?;
    let sheet = book.worksheet_range(PLAN_SHEET).map_err(|_| missing(PLAN_SHEET))?;
    let mut problems = Vec::new();
    let mut particulars = std::collections::BTreeMap::new();
    for (i, (key, label)) in INFO.iter().enumerate() {
        let r = INFO_FIRST_ROW + i as u32;
        let cell = cell_name(r, 1);
        match cell_input(&info, r, 1) {
            Ok(text) if text.is_empty() => problems.push(at(INFO_SHEET, cell, format!("请填写{label} (required)"))),
            Ok(text) => {
                particulars.insert(*key, text);
            }
            Err(reason) => problems.push(at(INFO_SHEET, cell, reason)),
        }
    }
    let code = particulars.get("code").cloned().unwrap_or_default();
    if !code.is_empty() && !ecociv_core::division::is_code(&code) {
        problems.push(at(
            INFO_SHEET,
            cell_name(INFO_FIRST_ROW, 1),
            format!("“{code}”不是六位行政区划代码 (not a division code)"),
        ));
    }
    if let Some(id) = particulars.get("framework")
        && *id != framework.id
    {
        problems.push(at(
            INFO_SHEET,
            cell_name(INFO_FIRST_ROW + 2, 1),
            format!("指标体系版本应为 {}，与模板标识不符 (edition differs)", framework.id),
        ));
    }
    let base_year = match particulars.get("base_year") {
        Some(text) => match ecociv_core::value::parse_year(text.trim_end_matches('年')) {
            Ok(year) => year,
            Err(reason) => {
                problems.push(at(
                    INFO_SHEET,
                    info_cell("base_year").unwrap_or_default(),
                    reason.to_string(),
                ));
                0
            }
        },
        None => 0,
    };
    let mut rows = Vec::new();
    for (index, (_, row)) in framework.rows().enumerate() {
        let r = HEADER_ROW + 1 + index as u32;
        let text = |column: u16, problems: &mut Vec<ecociv_csvline::Located>| match cell_input(&sheet, r, column) {
            Ok(text) => text,
            Err(reason) => {
                problems.push(at(PLAN_SHEET, cell_name(r, column), reason));
                String::new()
            }
        };
        let id = text(col::ID, &mut problems);
        if id != row.id {
            problems.push(at(
                PLAN_SHEET,
                cell_name(r, col::ID),
                format!(
                    "此行应为指标 {}，不要增删或调换行 (rows must stay as the template has them)",
                    row.id
                ),
            ));
            continue;
        }
        let base = text(col::BASE, &mut problems);
        let base_value = if base.is_empty() {
            None
        } else {
            match parse_value(row, &base) {
                Ok(value) => Some(value),
                Err(error) => {
                    problems.push(at(PLAN_SHEET, cell_name(r, col::BASE), format!("{error}")));
                    None
                }
            }
        };
        let mut targets = Vec::new();
        for (year, column) in [(2025, col::TARGET_2025), (2030, col::TARGET_2030)] {
            let target = text(column, &mut problems);
            if !target.is_empty() {
                targets.push((year, target));
            }
        }
        let lead: Vec<String> = text(col::LEAD, &mut problems)
            .split(['、', ',', '，', ';', '；', '/'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        rows.push(RowCells {
            row: row.id.clone(),
            line: r + 1,
            base_value,
            targets,
            lead,
        });
    }
    let extra = HEADER_ROW + 1 + framework.rows().count() as u32;
    if let Ok(text) = cell_input(&sheet, extra, col::ID)
        && !text.is_empty()
    {
        problems.push(at(
            PLAN_SHEET,
            cell_name(extra, col::ID),
            "表2-1 只含本指标体系的各行，不要在末尾添加行 (no extra rows)",
        ));
    }
    if !problems.is_empty() {
        return Err(ImportError::new(file, problems));
    }
    let attributes = ["level", "climate", "terrain"]
        .iter()
        .filter_map(|k| particulars.get(k).map(|v| (k.to_string(), v.clone())))
        .collect();
    Ok(PlanCells {
        code,
        name: particulars.get("name").cloned().unwrap_or_default(),
        framework_id: framework.id.clone(),
        title: particulars.get("title").cloned().unwrap_or_default(),
        base_year,
        attributes,
        rows,
    })
}
