//! Excel workbooks (xlsx) of a zone's indicators: Table 2-1 (指标体系表) for a year laid out as the plan
//! prints it, Table 4-1 (重点工程项目投资估算表) with its total, and the values by year (历年数值).
//!
//! Layout of Table 2-1, following the plan's table: 领域 | 任务 | 序号 | 指标名称 (indicator, sub-indicator) |
//! 单位 | 指标值 | 指标属性 | 现状值（年） | 达标情况 | 目标值（2025年） | 目标值（2030年） | 牵头部门, plus a last
//! column with the judgement's explanation. Domain, task, number, indicator name and attribute cells are
//! merged over an indicator's sub-rows; numbers are stored as numbers (a `%` value 94.5 is the number
//! 94.5 with the unit `%` in its own column, as the plan prints it). Status cells are coloured. The header
//! is frozen and repeated on every printed page; pages are A4 landscape, one page wide.
//!
//! Pure: the workbook is returned as bytes.

use ecociv_core::format::RowFormat;
use ecociv_core::value::Value;
use ecociv_core::{Assessment, Framework, Status, Zone};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

use crate::common::{ReportError, TextCells, departments, plain_number, status_colours, target_text, target_years};

/// Sheet names.
pub const TABLE_2_1: &str = "表2-1 指标体系";
pub const TABLE_4_1: &str = "表4-1 重点工程";
pub const BY_YEAR: &str = "历年数值";

/// Table 2-1 column indexes (0-based), shared with the tests and the template.
pub mod col {
    pub const DOMAIN: u16 = 0;
    pub const TASK: u16 = 1;
    pub const NUMBER: u16 = 2;
    pub const INDICATOR: u16 = 3;
    pub const SUB: u16 = 4;
    pub const UNIT: u16 = 5;
    pub const STANDARD: u16 = 6;
    pub const ATTRIBUTE: u16 = 7;
    pub const VALUE: u16 = 8;
    pub const STATUS: u16 = 9;
    /// The first target year's column; the others follow.
    pub const FIRST_TARGET: u16 = 10;
}

/// The first data row of Table 2-1 (row 0 is the title, row 1 the header).
pub const FIRST_DATA_ROW: u32 = 2;

pub(crate) const BODY_FONT: &str = "宋体";
pub(crate) const TITLE_FONT: &str = "黑体";

/// The full workbook from computed results: Table 2-1 from `assessment` (its year), Table 4-1, and the
/// values by year with each year's status from `by_years` (one assessment per year, in column order; e.g.
/// `ecociv_core::assess_years(framework, zone, &zone.years())` for every year on record). It assesses
/// nothing itself, so it shows exactly what the caller computed.
pub fn workbook(
    framework: &Framework,
    zone: &Zone,
    assessment: &Assessment,
    by_years: &[Assessment],
) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    table_2_1(book.add_worksheet(), framework, zone, assessment)?;
    table_4_1(book.add_worksheet(), zone)?;
    by_year(book.add_worksheet(), framework, zone, by_years)?;
    Ok(book.save_to_buffer()?)
}

pub(crate) struct Formats {
    pub title: Format,
    pub header: Format,
    pub text: Format,
    pub centre: Format,
    pub number: Format,
    pub note: Format,
    /// A cell for people to fill in: text (`@`, so Excel keeps `0.50` and `完成` as typed) on the templates'
    /// light yellow. Locked, as every cell is; a protected sheet's inputs add `set_unlocked`.
    pub input: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let base = Format::new()
            .set_font_name(BODY_FONT)
            .set_font_size(10)
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_font_name(TITLE_FONT)
                .set_font_size(14)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: base
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9E1F2)),
            text: base.clone(),
            input: base
                .clone()
                .set_background_color(Color::RGB(0xFFF2CC))
                .set_num_format("@"),
            centre: base.clone().set_align(FormatAlign::Center),
            number: base.set_align(FormatAlign::Center).set_num_format("General"),
            note: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(9)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        }
    }

    pub fn status(&self, status: Status) -> Format {
        let (fill, font) = status_colours(status);
        self.centre
            .clone()
            .set_background_color(Color::RGB(fill))
            .set_font_color(Color::RGB(font))
    }

    pub fn status_value(&self, status: Status, number: bool) -> Format {
        let (fill, _) = status_colours(status);
        let base = if number {
            self.number.clone()
        } else {
            self.centre.clone()
        };
        base.set_background_color(Color::RGB(fill))
    }
}

/// Writes a cell, merging the range when it spans more than one cell.
pub(crate) fn merge_or_write(
    sheet: &mut Worksheet,
    (first_row, first_col): (u32, u16),
    (last_row, last_col): (u32, u16),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if first_row == last_row && first_col == last_col {
        sheet.write_text(first_row, first_col, text, format)?;
    } else {
        sheet.merge_text((first_row, first_col), (last_row, last_col), text, format)?;
    }
    Ok(())
}

/// One printed line of Table 2-1: an indicator without sub-indicators, or one sub-indicator.
struct Line<'a> {
    row: &'a ecociv_core::RowAssessment,
    indicator_name: &'a str,
    sub: bool,
}

fn lines<'a>(framework: &'a Framework, assessment: &'a Assessment) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for indicator in &framework.indicators {
        for row in &indicator.rows {
            if let Some(found) = assessment.rows.iter().find(|entry| entry.id == row.id) {
                lines.push(Line {
                    row: found,
                    indicator_name: &indicator.name,
                    sub: indicator.has_sub_rows(),
                });
            }
        }
    }
    lines
}

/// Runs of equal keys: (first index, last index) of each run.
fn runs<T: PartialEq>(keys: &[T]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    for index in 1..=keys.len() {
        if index == keys.len() || keys[index] != keys[start] {
            if start < keys.len() {
                runs.push((start, index - 1));
            }
            start = index;
        }
    }
    runs
}

/// How many lines a text needs in a wrapped cell of `width` (Excel character units, font 10): CJK and
/// full-width characters count two units. rust_xlsxwriter does not fit row heights, and LibreOffice and
/// WPS keep the stored height, so the writer sets heights from this estimate.
pub(crate) fn lines_needed(text: &str, width: f64) -> u32 {
    let usable = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|part| {
            let units: f64 = part.chars().map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 }).sum();
            ((units * 0.95 / usable).ceil() as u32).max(1)
        })
        .sum()
}

/// The row height (points) for a number of lines of 10-point text.
pub(crate) fn height_for(lines: u32) -> f64 {
    f64::from(lines.max(1)) * 13.0 + 4.0
}

/// Writes a value cell through the row's formatter (`ecociv_core::format::RowFormat`): a number is stored
/// as the number, shown with the decimals the formatter writes for it (83.333333 in a row of precision 1
/// shows `83.3`, 99.96 under a bound of 100 shows `99.96`); a state or spatial record as the formatter's
/// text; nothing when absent. The unit stays in its own column, as the plan prints it.
pub(crate) fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    value: Option<&Value>,
    row_format: &RowFormat,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(Value::Number(number)) => sheet.write_number_with_format(
            row,
            column,
            *number,
            &format.clone().set_num_format(number_format(row_format, *number)),
        )?,
        Some(other) => sheet.write_text(row, column, row_format.value(other), format)?,
        None => sheet.write_blank(row, column, format)?,
    };
    Ok(())
}

/// The Excel number format that shows `value` as `ecociv_core::format::RowFormat::number` writes it:
/// `0` or `0.0…` with as many decimals as the formatter's text has.
pub fn number_format(row_format: &RowFormat, value: f64) -> String {
    let text = row_format.number(value);
    match text.split_once('.') {
        Some((_, decimals)) if !decimals.is_empty() => format!("0.{}", "0".repeat(decimals.len())),
        _ => "0".to_string(),
    }
}

const WIDTH_INDICATOR: f64 = 16.0;
const WIDTH_SUB: f64 = 14.0;
const WIDTH_STANDARD: f64 = 18.0;
const WIDTH_VALUE: f64 = 14.0;
const WIDTH_TARGET: f64 = 14.0;
const WIDTH_LEAD: f64 = 16.0;
const WIDTH_EXPLAIN: f64 = 60.0;

/// The columns of Table 2-1 that depend on the zone: a target column per target year of its plan, then
/// the lead departments and the explanation.
struct TableColumns {
    targets: Vec<i32>,
    lead: u16,
    explain: u16,
}

impl TableColumns {
    fn of(zone: &Zone) -> TableColumns {
        let targets = target_years(zone);
        let lead = col::FIRST_TARGET + targets.len() as u16;
        TableColumns {
            targets,
            lead,
            explain: lead + 1,
        }
    }
}

/// Table 2-1 of a zone for the assessment's year: the title and headers, a line per row judged, the
/// merged domain, task and indicator cells, the note on the framework and readiness, then widths and
/// print setup. Each step writes what the assessment holds; nothing is judged here.
pub fn table_2_1(
    sheet: &mut Worksheet,
    framework: &Framework,
    zone: &Zone,
    assessment: &Assessment,
) -> Result<(), ReportError> {
    let formats = Formats::new();
    let columns = TableColumns::of(zone);
    sheet.set_name(TABLE_2_1)?;
    write_table_heading(sheet, &formats, zone, assessment.year, &columns)?;
    let lines = lines(framework, assessment);
    for (index, line) in lines.iter().enumerate() {
        write_table_line(sheet, &formats, zone, &columns, FIRST_DATA_ROW + index as u32, line)?;
    }
    merge_table_groups(sheet, &formats, &lines)?;

    let last_row = FIRST_DATA_ROW + lines.len() as u32;
    merge_or_write(
        sheet,
        (last_row + 1, 0),
        (last_row + 1, columns.explain),
        &format!(
            "注：依据《{}》判定；{}。达标情况按标准逐项判定，“据记载”表示规则无法判定时采用文件记载的结论。",
            assessment.framework_name, assessment.readiness.explanation.zh
        ),
        &formats.note,
    )?;
    sheet.set_row_height(last_row + 1, 42)?;
    finish_table(sheet, &columns)
}

/// The title line and the header line (the name's header over two columns).
fn write_table_heading(
    sheet: &mut Worksheet,
    formats: &Formats,
    zone: &Zone,
    year: i32,
    columns: &TableColumns,
) -> Result<(), ReportError> {
    merge_or_write(
        sheet,
        (0, 0),
        (0, columns.explain),
        &format!("表2-1 {}生态文明建设示范区指标体系（{}年）", zone.profile.name, year),
        &formats.title,
    )?;
    sheet.set_row_height(0, 28)?;
    let headers: Vec<(u16, String)> = [
        (col::DOMAIN, "领域".to_string()),
        (col::TASK, "任务".to_string()),
        (col::NUMBER, "序号".to_string()),
        (col::UNIT, "单位".to_string()),
        (col::STANDARD, "指标值".to_string()),
        (col::ATTRIBUTE, "指标属性".to_string()),
        (col::VALUE, format!("现状值（{year}年）")),
        (col::STATUS, "达标情况".to_string()),
    ]
    .into_iter()
    .chain(
        columns
            .targets
            .iter()
            .enumerate()
            .map(|(k, target)| (col::FIRST_TARGET + k as u16, format!("目标值（{target}年）"))),
    )
    .chain([
        (columns.lead, "牵头部门".to_string()),
        (columns.explain, "判定说明".to_string()),
    ])
    .collect();
    for (column, text) in &headers {
        sheet.write_text(1, *column, text, &formats.header)?;
    }
    sheet.merge_text((1, col::INDICATOR), (1, col::SUB), "指标名称", &formats.header)?;
    sheet.set_row_height(1, 30)?;
    Ok(())
}

/// The line of one judged row at sheet row `r`: name, unit, standard, value, status, the plan's targets,
/// lead departments and the explanation with its warnings; its height fits the longest text.
fn write_table_line(
    sheet: &mut Worksheet,
    formats: &Formats,
    zone: &Zone,
    columns: &TableColumns,
    r: u32,
    line: &Line<'_>,
) -> Result<(), ReportError> {
    let entry = line.row;
    let mut needed = if line.sub {
        lines_needed(&entry.name, WIDTH_SUB)
    } else {
        lines_needed(&entry.name, WIDTH_INDICATOR + WIDTH_SUB)
    };
    if line.sub {
        sheet.write_text(r, col::SUB, &entry.name, &formats.text)?;
    } else {
        sheet.merge_text((r, col::INDICATOR), (r, col::SUB), &entry.name, &formats.text)?;
    }
    sheet.write_text(r, col::UNIT, &entry.unit, &formats.centre)?;
    sheet.write_text(r, col::STANDARD, &entry.standard, &formats.centre)?;
    needed = needed.max(lines_needed(&entry.standard, WIDTH_STANDARD));
    needed = needed.max(lines_needed(
        &entry
            .value
            .as_ref()
            .map(|value| entry.format.value(value))
            .unwrap_or_default(),
        WIDTH_VALUE,
    ));
    needed = needed.max(lines_needed(&departments(&entry.lead_departments), WIDTH_LEAD));
    let is_number = matches!(entry.value, Some(Value::Number(_)));
    write_value(
        sheet,
        r,
        col::VALUE,
        entry.value.as_ref(),
        &entry.format,
        if is_number { &formats.number } else { &formats.centre },
    )?;
    sheet.write_text(r, col::STATUS, entry.status.zh(), &formats.status(entry.status))?;
    for (k, target_year) in columns.targets.iter().enumerate() {
        let text = target_text(zone, &entry.id, *target_year);
        if let Some(text) = text {
            needed = needed.max(lines_needed(text, WIDTH_TARGET));
        }
        write_target(sheet, formats, r, col::FIRST_TARGET + k as u16, text, &entry.format)?;
    }
    sheet.write_text(r, columns.lead, departments(&entry.lead_departments), &formats.text)?;
    let mut explanation = entry.explanation.zh.clone();
    for warning in &entry.warnings {
        explanation.push_str("；注意：");
        explanation.push_str(&warning.zh);
    }
    needed = needed.max(lines_needed(&explanation, WIDTH_EXPLAIN));
    sheet.write_text(r, columns.explain, &explanation, &formats.text)?;
    sheet.set_row_height(r, height_for(needed))?;
    Ok(())
}

/// A target cell: a plain figure as a number shown with the row's decimals, other text as written,
/// nothing when the plan has no target for the year.
fn write_target(
    sheet: &mut Worksheet,
    formats: &Formats,
    r: u32,
    column: u16,
    text: Option<&str>,
    row_format: &RowFormat,
) -> Result<(), XlsxError> {
    match text {
        Some(text) => match plain_number(text) {
            Some(number) => sheet.write_number_with_format(
                r,
                column,
                number,
                &formats.number.clone().set_num_format(number_format(row_format, number)),
            )?,
            None => sheet.write_text(r, column, text, &formats.centre)?,
        },
        None => sheet.write_blank(r, column, &formats.centre)?,
    };
    Ok(())
}

/// Merged cells: domain, task, and per indicator the number, name (for sub-rows) and attribute.
fn merge_table_groups(sheet: &mut Worksheet, formats: &Formats, lines: &[Line<'_>]) -> Result<(), ReportError> {
    let at = |index: usize| FIRST_DATA_ROW + index as u32;
    let domains: Vec<&str> = lines.iter().map(|line| line.row.domain.as_str()).collect();
    for (first, last) in runs(&domains) {
        merge_or_write(
            sheet,
            (at(first), col::DOMAIN),
            (at(last), col::DOMAIN),
            domains[first],
            &formats.centre,
        )?;
    }
    let tasks: Vec<(&str, &str)> = lines
        .iter()
        .map(|line| (line.row.domain.as_str(), line.row.task.as_str()))
        .collect();
    for (first, last) in runs(&tasks) {
        merge_or_write(
            sheet,
            (at(first), col::TASK),
            (at(last), col::TASK),
            tasks[first].1,
            &formats.centre,
        )?;
    }
    let indicators: Vec<&str> = lines.iter().map(|line| line.row.indicator.as_str()).collect();
    for (first, last) in runs(&indicators) {
        merge_indicator(sheet, formats, &lines[first], at(first), at(last))?;
    }
    Ok(())
}

/// An indicator's merged cells over its sheet rows `first..=last`: its number (a number when it reads as
/// one), its name above its sub-rows, its attribute.
fn merge_indicator(
    sheet: &mut Worksheet,
    formats: &Formats,
    line: &Line<'_>,
    first: u32,
    last: u32,
) -> Result<(), ReportError> {
    let number = line.row.indicator.as_str();
    match number.parse::<f64>() {
        Ok(value) => {
            if first != last {
                sheet.merge_text((first, col::NUMBER), (last, col::NUMBER), "", &formats.number)?;
            }
            sheet.write_number_with_format(first, col::NUMBER, value, &formats.number)?;
        }
        Err(_) => merge_or_write(
            sheet,
            (first, col::NUMBER),
            (last, col::NUMBER),
            number,
            &formats.centre,
        )?,
    }
    if line.sub {
        merge_or_write(
            sheet,
            (first, col::INDICATOR),
            (last, col::INDICATOR),
            line.indicator_name,
            &formats.text,
        )?;
    }
    merge_or_write(
        sheet,
        (first, col::ATTRIBUTE),
        (last, col::ATTRIBUTE),
        line.row.attribute.zh(),
        &formats.centre,
    )?;
    Ok(())
}

/// Column widths, frozen header, print setup.
fn finish_table(sheet: &mut Worksheet, columns: &TableColumns) -> Result<(), ReportError> {
    let widths: Vec<(u16, f64)> = [
        (col::DOMAIN, 6.0),
        (col::TASK, 11.0),
        (col::NUMBER, 5.0),
        (col::INDICATOR, WIDTH_INDICATOR),
        (col::SUB, WIDTH_SUB),
        (col::UNIT, 8.0),
        (col::STANDARD, WIDTH_STANDARD),
        (col::ATTRIBUTE, 7.0),
        (col::VALUE, WIDTH_VALUE),
        (col::STATUS, 8.0),
    ]
    .into_iter()
    .chain((0..columns.targets.len() as u16).map(|k| (col::FIRST_TARGET + k, WIDTH_TARGET)))
    .chain([(columns.lead, WIDTH_LEAD), (columns.explain, WIDTH_EXPLAIN)])
    .collect();
    for (column, width) in widths {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    print_setup(sheet)?;
    sheet.set_repeat_rows(1, 1)?;
    Ok(())
}

/// A4 landscape, one page wide, page numbers in the footer.
pub(crate) fn print_setup(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Table 4-1: key project categories, project counts and investment in 万元, with the total.
pub fn table_4_1(sheet: &mut Worksheet, zone: &Zone) -> Result<(), ReportError> {
    let formats = Formats::new();
    let money = formats.number.clone().set_num_format("#,##0.00");
    sheet.set_name(TABLE_4_1)?;
    merge_or_write(
        sheet,
        (0, 0),
        (0, 4),
        &format!("表4-1 《{}》重点工程项目投资估算表", zone.plan.title),
        &formats.title,
    )?;
    sheet.set_row_height(0, 28)?;
    for (column, text) in ["序号", "项目名称", "项目主要内容", "项目数（项）", "投资金额（万元）"]
        .iter()
        .enumerate()
    {
        sheet.write_text(1, column as u16, *text, &formats.header)?;
    }
    let projects = &zone.plan.projects;
    for (index, project) in projects.iter().enumerate() {
        let r = 2 + index as u32;
        sheet.write_number_with_format(r, 0, f64::from(project.number), &formats.number)?;
        sheet.write_text(r, 1, &project.category, &formats.centre)?;
        sheet.write_text(r, 2, &project.content, &formats.text)?;
        sheet.set_row_height(r, height_for(lines_needed(&project.content, 80.0)))?;
        sheet.write_number_with_format(r, 3, f64::from(project.count), &formats.number)?;
        sheet.write_number_with_format(r, 4, project.investment_wan_yuan, &money)?;
    }
    let total_row = 2 + projects.len() as u32;
    let (count, investment) = project_totals(zone);
    sheet.merge_text((total_row, 0), (total_row, 2), "合计", &formats.header)?;
    if projects.is_empty() {
        sheet.write_number_with_format(total_row, 3, 0.0, &formats.number)?;
        sheet.write_number_with_format(total_row, 4, 0.0, &money)?;
    } else {
        // A live formula, with its result cached so readers that do not calculate see the total.
        let range = |column: &str| format!("{column}3:{column}{}", total_row);
        sheet.write_formula_with_format(
            total_row,
            3,
            Formula::new(format!("=SUM({})", range("D"))).set_result(count.to_string()),
            &formats.number,
        )?;
        sheet.write_formula_with_format(
            total_row,
            4,
            Formula::new(format!("=SUM({})", range("E"))).set_result(format!("{investment:.2}")),
            &money,
        )?;
    }
    for (column, width) in [(0u16, 6.0), (1, 12.0), (2, 80.0), (3, 12.0), (4, 18.0)] {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    print_setup(sheet)?;
    sheet.set_repeat_rows(1, 1)?;
    Ok(())
}

/// The number of projects and the investment in 万元 (summed in cents, so 396,229.77 stays exact).
pub fn project_totals(zone: &Zone) -> (u32, f64) {
    let count = zone.plan.projects.iter().map(|project| project.count).sum();
    let cents: i64 = zone
        .plan
        .projects
        .iter()
        .map(|project| (project.investment_wan_yuan * 100.0).round() as i64)
        .sum();
    (count, cents as f64 / 100.0)
}

/// The values of every row by year (one column per assessment), each cell coloured by that year's status,
/// with the plan's targets.
pub fn by_year(
    sheet: &mut Worksheet,
    framework: &Framework,
    zone: &Zone,
    assessments: &[Assessment],
) -> Result<(), ReportError> {
    let formats = Formats::new();
    sheet.set_name(BY_YEAR)?;
    let targets = target_years(zone);
    let years: Vec<i32> = assessments.iter().map(|assessment| assessment.year).collect();
    let last_col = 3 + years.len() as u16 + targets.len() as u16;
    merge_or_write(
        sheet,
        (0, 0),
        (0, last_col),
        &format!("{}指标历年数值", zone.profile.name),
        &formats.title,
    )?;
    let mut headers: Vec<String> = vec!["序号".into(), "指标名称".into(), "单位".into(), "指标值".into()];
    let base_year = zone.plan.base_year;
    headers.extend(years.iter().map(|year| match year.cmp(&base_year) {
        std::cmp::Ordering::Less => format!("{year}年（基准年前）"),
        std::cmp::Ordering::Equal => format!("{year}年（基准年）"),
        std::cmp::Ordering::Greater => format!("{year}年"),
    }));
    headers.extend(targets.iter().map(|year| format!("{year}年目标")));
    for (column, text) in headers.iter().enumerate() {
        sheet.write_text(1, column as u16, text, &formats.header)?;
    }
    let mut r = 2;
    for indicator in &framework.indicators {
        for row in &indicator.rows {
            let name = if indicator.has_sub_rows() {
                format!("{}—{}", indicator.name, row.name)
            } else {
                row.name.clone()
            };
            sheet.write_text(r, 0, &row.id, &formats.centre)?;
            sheet.write_text(r, 1, &name, &formats.text)?;
            let row_format = row.format();
            let mut needed = lines_needed(&name, 36.0).max(lines_needed(&standard_text(assessments, &row.id), 18.0));
            for assessment in assessments {
                if let Some(value) = assessment
                    .rows
                    .iter()
                    .find(|entry| entry.id == row.id)
                    .and_then(|entry| entry.value.as_ref())
                {
                    needed = needed.max(lines_needed(&row_format.value(value), 12.0));
                }
            }
            sheet.set_row_height(r, height_for(needed))?;
            sheet.write_text(r, 2, &row.unit, &formats.centre)?;
            let standard = standard_text(assessments, &row.id);
            sheet.write_text(r, 3, &standard, &formats.centre)?;
            for (k, assessment) in assessments.iter().enumerate() {
                let column = 4 + k as u16;
                match assessment.rows.iter().find(|entry| entry.id == row.id) {
                    Some(entry) if entry.value.is_some() => {
                        let is_number = matches!(entry.value, Some(Value::Number(_)));
                        // A figure before the plan's base year that the rule cannot judge is a reference
                        // (the plan's chapter-1 figures), not "no data": no status colour.
                        let format = if entry.status == Status::NoData && assessment.year < base_year {
                            if is_number {
                                formats.number.clone()
                            } else {
                                formats.centre.clone()
                            }
                        } else {
                            formats.status_value(entry.status, is_number)
                        };
                        write_value(sheet, r, column, entry.value.as_ref(), &entry.format, &format)?;
                    }
                    _ => {
                        sheet.write_blank(r, column, &formats.centre)?;
                    }
                }
            }
            for (k, target_year) in targets.iter().enumerate() {
                let column = 4 + years.len() as u16 + k as u16;
                match target_text(zone, &row.id, *target_year) {
                    Some(text) => match plain_number(text) {
                        Some(number) => sheet.write_number_with_format(
                            r,
                            column,
                            number,
                            &formats
                                .number
                                .clone()
                                .set_num_format(number_format(&row_format, number)),
                        )?,
                        None => sheet.write_text(r, column, text, &formats.centre)?,
                    },
                    None => sheet.write_blank(r, column, &formats.centre)?,
                };
            }
            r += 1;
        }
    }
    merge_or_write(
        sheet,
        (r + 1, 0),
        (r + 1, last_col),
        &format!(
            "注：单元格底色为当年判定：绿色达标，红色不达标，黄色无法判定；{base_year}年为规划基准年，\
             基准年前的数值仅作对照，不作判定（无底色）。"
        ),
        &formats.note,
    )?;
    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 36)?;
    sheet.set_column_width(2, 10)?;
    sheet.set_column_width(3, 18)?;
    for column in 4..=last_col {
        sheet.set_column_width(column, 12)?;
    }
    sheet.set_freeze_panes(2, 2)?;
    print_setup(sheet)?;
    sheet.set_repeat_rows(1, 1)?;
    Ok(())
}

fn standard_text(assessments: &[Assessment], id: &str) -> String {
    assessments
        .first()
        .and_then(|a| a.rows.iter().find(|entry| entry.id == id))
        .map(|entry| entry.standard.clone())
        .unwrap_or_default()
}
