//! The plan's work in Excel (pure: values in, bytes out; bytes in, values out).
//!
//! - [`task_breakdown`]: the 工作任务分解表 in the usual official layout — 序号, 任务, 具体措施, 牵头单位,
//!   配合单位, 完成时限 — plus a 备注 column (the measure's place in the plan, the Table 2-1 rows it serves,
//!   sub-targets, recurrence). One line per measure of `ecociv_plan`, grouped under the chapter-3 sections,
//!   任务 merged over the measures of one item. A lead department the plan does not name for the measure is
//!   marked as inferred from Table 2-1; one with neither is 待定.
//! - [`project_ledger`]: the key-project ledger (重点工程项目台账) — which is also the template departments
//!   fill: sheet 项目台账 (one line per project named in Table 4-1; yellow cells for 责任单位, 开始年份,
//!   完成年份, 估算投资), 年度投资计划 (project, year, funding source, amount), 项目节点 (project,
//!   milestone, due date, date done), 分类汇总 (the seed's category counts and totals beside the names
//!   listed and the estimates entered, with the difference), 数据质量说明 (the seed's inconsistencies), and
//!   the hidden `_ecociv` sheet with format and zone.
//! - [`import_ledger`]: reads a filled ledger back, every cell checked; any problem refuses the whole file,
//!   each problem naming the sheet and the cell.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use ecociv_csvline::Located;
use ecociv_plan::model::{FundingSource, KeyProjects, LeadBasis, LedgerEntry, Measures, Milestone};
use ecociv_plan::{Date, WanYuan};
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::common::{ReportError, TextCells};
use crate::template::{ImportError, at, cell_name};
use crate::xlsx::{Formats, height_for, lines_needed, merge_or_write, print_setup};

pub const TASKS_SHEET: &str = "任务分解表";
pub const LEDGER_SHEET: &str = "项目台账";
pub const PLAN_SHEET: &str = "年度投资计划";
pub const MILESTONE_SHEET: &str = "项目节点";
pub const CATEGORY_SHEET: &str = "分类汇总";
pub const QUALITY_SHEET: &str = "数据质量说明";
pub const META_SHEET: &str = "_ecociv";
pub const LEDGER_FORMAT: &str = "ecociv-project-ledger-1";
/// The header line (0-based) of every ledger sheet; data from the next line.
pub const HEADER_ROW: u32 = 2;
/// Blank input lines offered in the plan and milestone sheets beyond those already filled.
pub const SPARE_LINES: u32 = 200;

/// The official columns of the 任务分解表, then 备注.
pub const TASK_HEADERS: [&str; 7] = ["序号", "任务", "具体措施", "牵头单位", "配合单位", "完成时限", "备注"];

const SECTIONS: [&str; 6] = [
    "一、生态制度体系建设",
    "二、生态安全体系建设",
    "三、生态空间体系建设",
    "四、生态经济体系建设",
    "五、生态生活体系建设",
    "六、生态文化体系建设",
];

/// The 牵头单位 cell of a measure.
pub fn lead_cell(lead: &[String], basis: LeadBasis) -> String {
    match basis {
        LeadBasis::Unassigned => "待定".into(),
        LeadBasis::Seed => lead.join("、"),
        LeadBasis::Derived => format!("{}（据对应指标推定）", lead.join("、")),
    }
}

/// The 工作任务分解表 of the zone (`department`: only the measures it leads or co-operates in).
pub fn task_breakdown(zone_name: &str, measures: &Measures, department: Option<&str>) -> Result<Vec<u8>, ReportError> {
    let chosen: Vec<_> = measures
        .measures
        .iter()
        .filter(|m| department.is_none_or(|d| m.involves(d)))
        .collect();
    if chosen.is_empty() {
        return Err(ReportError::Input(format!(
            "“{}”不是任何措施的牵头或配合单位 (no measure for this department)",
            department.unwrap_or("")
        )));
    }
    let f = Formats::new();
    let section = f.text.clone().set_bold().set_background_color(Color::RGB(0xF2F2F2));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(TASKS_SHEET)?;
    let last = TASK_HEADERS.len() as u16 - 1;
    let title = match department {
        Some(d) => format!("{zone_name}创建国家生态文明建设示范区工作任务分解表（{d}）"),
        None => format!("{zone_name}创建国家生态文明建设示范区工作任务分解表"),
    };
    merge_or_write(sheet, (0, 0), (0, last), &title, &f.title)?;
    sheet.set_row_height(0, 28)?;
    merge_or_write(
        sheet,
        (1, 0),
        (1, last),
        &format!(
            "依据：{}。牵头单位注“据对应指标推定”者，规划未对该措施指定单位，取其对应指标（表2-1）的牵头部门；“待定”者由领导小组办公室确定。完成时限注“规划期末”者，规划未写明时限。",
            measures.source
        ),
        &f.note,
    )?;
    sheet.set_row_height(1, 30)?;
    for (c, h) in TASK_HEADERS.iter().enumerate() {
        sheet.write_text(HEADER_ROW, c as u16, *h, &f.header)?;
    }
    let mut r = HEADER_ROW + 1;
    let mut current_section = String::new();
    let mut task_start: Option<(u32, String, String)> = None; // (first line, item key, task text)
    let flush = |sheet: &mut Worksheet, start: Option<(u32, String, String)>, end: u32| -> Result<(), XlsxError> {
        if let Some((first, _, task)) = start {
            merge_or_write(sheet, (first, 1), (end, 1), &task, &f.text)?;
        }
        Ok(())
    };
    for (n, m) in chosen.iter().enumerate() {
        let sec = m.id.split('.').next().unwrap_or("");
        if sec != current_section {
            flush(sheet, task_start.take(), r - 1)?;
            current_section = sec.to_string();
            let name = sec
                .parse::<usize>()
                .ok()
                .and_then(|i| SECTIONS.get(i.wrapping_sub(1)))
                .copied()
                .unwrap_or("");
            merge_or_write(sheet, (r, 0), (r, last), name, &section)?;
            r += 1;
        }
        let item = m.id.split('-').next().unwrap_or(&m.id).to_string();
        if task_start.as_ref().is_none_or(|(_, k, _)| *k != item) {
            flush(sheet, task_start.take(), r - 1)?;
            task_start = Some((r, item, m.task.clone()));
        }
        let mut coop = m.cooperating.clone();
        for s in &m.streets {
            if !m.lead.contains(s) && !coop.contains(s) {
                coop.push(s.clone());
            }
        }
        let mut note = vec![format!("规划{}（措施编号 {}）", m.location, m.id)];
        if !m.rows.is_empty() {
            note.push(format!("对应指标：{}", m.rows.join("、")));
        }
        for t in &m.targets {
            let when = t.year.map(|y| format!("{y}年 ")).unwrap_or_default();
            note.push(format!(
                "子目标：{when}{} {}{}",
                t.what,
                t.value,
                t.unit.as_deref().unwrap_or("")
            ));
        }
        if let Some(rec) = &m.recurring {
            note.push(format!("周期：{rec}"));
        }
        if !m.external.is_empty() {
            note.push(format!("配合上级单位：{}", m.external.join("、")));
        }
        let note = note.join("；");
        let lead = lead_cell(&m.lead, m.lead_basis);
        sheet.write_number_with_format(r, 0, (n + 1) as f64, &f.centre)?;
        sheet.write_text(r, 2, &m.text, &f.text)?;
        sheet.write_text(r, 3, &lead, &f.text)?;
        sheet.write_text(r, 4, coop.join("、"), &f.text)?;
        sheet.write_text(r, 5, m.deadline_label(), &f.centre)?;
        sheet.write_text(r, 6, &note, &f.text)?;
        let lines = lines_needed(&m.text, 60.0)
            .max(lines_needed(&note, 30.0))
            .max(lines_needed(&lead, 16.0));
        sheet.set_row_height(r, height_for(lines.min(30)))?;
        r += 1;
    }
    flush(sheet, task_start.take(), r - 1)?;
    for (c, w) in [
        (0, 6.0),
        (1, 16.0),
        (2, 60.0),
        (3, 16.0),
        (4, 14.0),
        (5, 14.0),
        (6, 30.0),
    ] {
        sheet.set_column_width(c, w)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    print_setup(sheet)?;
    Ok(book.save_to_buffer()?)
}

fn money_format(base: &Format) -> Format {
    base.clone().set_num_format("0.00").set_align(FormatAlign::Right)
}

/// The key-project ledger (and template) of a zone: every project named in Table 4-1 with what has been
/// entered for it (`ledger`) and the approved spend so far (`spent`, by project id). A sheet a step: the
/// projects, the yearly investment plan, the milestones, the category totals, the data-quality notes and
/// the hidden identity sheet.
pub fn project_ledger(
    zone_name: &str,
    zone_code: &str,
    projects: &KeyProjects,
    ledger: &[LedgerEntry],
    spent: &BTreeMap<String, WanYuan>,
) -> Result<Vec<u8>, ReportError> {
    let f = LedgerFormats::new();
    let mut book = Workbook::new();
    projects_sheet(book.add_worksheet(), &f, zone_name, projects, ledger, spent)?;
    plan_sheet(book.add_worksheet(), &f, ledger)?;
    milestone_sheet(book.add_worksheet(), &f, ledger)?;
    category_sheet(book.add_worksheet(), &f, projects, ledger)?;
    quality_sheet(book.add_worksheet(), &f.f, projects)?;

    let meta = book.add_worksheet();
    meta.set_name(META_SHEET)?;
    for (r, (k, v)) in [("format", LEDGER_FORMAT), ("zone", zone_code)].iter().enumerate() {
        meta.write_text_plain(r as u32, 0, *k)?;
        meta.write_text_plain(r as u32, 1, *v)?;
    }
    meta.set_hidden(true);
    meta.protect();
    Ok(book.save_to_buffer()?)
}

/// The ledger's formats: the common ones, the input cells (unlocked) for text and money, and money.
struct LedgerFormats {
    f: Formats,
    input: Format,
    input_money: Format,
    money: Format,
}

impl LedgerFormats {
    fn new() -> LedgerFormats {
        let f = Formats::new();
        let input = f.input.clone().set_unlocked();
        let input_money = input.clone().set_num_format("0.00");
        let money = money_format(&f.number);
        LedgerFormats {
            f,
            input,
            input_money,
            money,
        }
    }
}

/// What has been entered for project `id`, if anything.
fn entry_of<'a>(ledger: &'a [LedgerEntry], id: &str) -> Option<&'a LedgerEntry> {
    ledger.iter().find(|l| l.project == id)
}

/// 项目台账: a line per project of Table 4-1, its responsible unit, years and estimate as input cells.
fn projects_sheet(
    sheet: &mut Worksheet,
    lf: &LedgerFormats,
    zone_name: &str,
    projects: &KeyProjects,
    ledger: &[LedgerEntry],
    spent: &BTreeMap<String, WanYuan>,
) -> Result<(), ReportError> {
    let f = &lf.f;
    sheet.set_name(LEDGER_SHEET)?;
    projects_heading(sheet, f, zone_name)?;
    let mut r = HEADER_ROW + 1;
    for cat in &projects.categories {
        for p in &cat.projects {
            let e = entry_of(ledger, &p.id);
            sheet.write_text(r, 0, &p.id, &f.centre)?;
            sheet.write_text(r, 1, &cat.name, &f.centre)?;
            sheet.write_text(r, 2, &p.name, &f.text)?;
            sheet.write_text(r, 3, e.map(|e| e.responsible.as_str()).unwrap_or(""), &lf.input)?;
            match e {
                Some(e) => {
                    sheet.write_text(r, 4, e.start_year.to_string(), &lf.input)?;
                    sheet.write_text(r, 5, e.end_year.to_string(), &lf.input)?;
                    sheet.write_number_with_format(r, 6, e.estimated.as_f64(), &lf.input_money)?;
                }
                None => {
                    sheet.write_blank(r, 4, &lf.input)?;
                    sheet.write_blank(r, 5, &lf.input)?;
                    sheet.write_blank(r, 6, &lf.input_money)?;
                }
            }
            match spent.get(&p.id) {
                Some(s) => sheet.write_number_with_format(r, 7, s.as_f64(), &lf.money)?,
                None => sheet.write_blank(r, 7, &lf.money)?,
            };
            sheet.write_text(r, 8, p.rows.join("、"), &f.centre)?;
            sheet.write_text(r, 9, p.measures.join("、"), &f.centre)?;
            sheet.write_text(r, 10, p.note.as_deref().unwrap_or(""), &f.text)?;
            let lines = lines_needed(&p.name, 36.0).max(lines_needed(p.note.as_deref().unwrap_or(""), 36.0));
            sheet.set_row_height(r, height_for(lines.min(12)))?;
            r += 1;
        }
    }
    for (c, w) in [
        (0, 8.0),
        (1, 10.0),
        (2, 36.0),
        (3, 18.0),
        (4, 9.0),
        (5, 9.0),
        (6, 14.0),
        (7, 14.0),
        (8, 12.0),
        (9, 16.0),
        (10, 36.0),
    ] {
        sheet.set_column_width(c, w)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 3)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    print_setup(sheet)?;
    sheet.protect();
    Ok(())
}

/// 项目台账's title, instructions and column headers.
fn projects_heading(sheet: &mut Worksheet, f: &Formats, zone_name: &str) -> Result<(), ReportError> {
    let headers = [
        "项目编号",
        "类别",
        "项目名称",
        "责任单位",
        "开始年份",
        "完成年份",
        "估算投资（万元）",
        "已支付（万元）",
        "对应指标",
        "对应措施",
        "说明",
    ];
    let last = headers.len() as u16 - 1;
    merge_or_write(
        sheet,
        (0, 0),
        (0, last),
        &format!("{zone_name}创建国家生态文明建设示范区重点工程项目台账"),
        &f.title,
    )?;
    sheet.set_row_height(0, 28)?;
    merge_or_write(
        sheet,
        (1, 0),
        (1, last),
        "填报说明：只在黄色单元格填写。规划（表4-1）只给出各类项目的投资合计，单个项目的责任单位、起止年份和估算投资由责任单位填报；年度投资计划和项目节点在后两张工作表填写。导入时逐格校验，任何一格有误则整份文件不导入。",
        &f.note,
    )?;
    sheet.set_row_height(1, 30)?;
    for (c, h) in headers.iter().enumerate() {
        sheet.write_text(HEADER_ROW, c as u16, *h, &f.header)?;
    }
    Ok(())
}

/// 年度投资计划: a line per project, year and funding source, then spare input lines.
fn plan_sheet(sheet: &mut Worksheet, lf: &LedgerFormats, ledger: &[LedgerEntry]) -> Result<(), ReportError> {
    let f = &lf.f;
    sheet.set_name(PLAN_SHEET)?;
    merge_or_write(sheet, (0, 0), (0, 3), "重点工程项目年度投资计划", &f.title)?;
    merge_or_write(
        sheet,
        (1, 0),
        (1, 3),
        "每行一个项目一个年份一个资金来源；金额单位万元，最多两位小数。",
        &f.note,
    )?;
    for (c, h) in ["项目编号", "年份", "资金来源", "计划投资（万元）"].iter().enumerate() {
        sheet.write_text(HEADER_ROW, c as u16, *h, &f.header)?;
    }
    let mut r = HEADER_ROW + 1;
    for e in ledger {
        for (year, source, amount) in &e.plan {
            sheet.write_text(r, 0, &e.project, &lf.input)?;
            sheet.write_text(r, 1, year.to_string(), &lf.input)?;
            sheet.write_text(r, 2, &source.0, &lf.input)?;
            sheet.write_number_with_format(r, 3, amount.as_f64(), &lf.input_money)?;
            r += 1;
        }
    }
    for _ in 0..SPARE_LINES {
        for c in 0..3 {
            sheet.write_blank(r, c, &lf.input)?;
        }
        sheet.write_blank(r, 3, &lf.input_money)?;
        r += 1;
    }
    for (c, w) in [(0, 10.0), (1, 8.0), (2, 20.0), (3, 16.0)] {
        sheet.set_column_width(c, w)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.protect();
    Ok(())
}

/// 项目节点: a line per milestone (due date, date done), then spare input lines.
fn milestone_sheet(sheet: &mut Worksheet, lf: &LedgerFormats, ledger: &[LedgerEntry]) -> Result<(), ReportError> {
    let f = &lf.f;
    sheet.set_name(MILESTONE_SHEET)?;
    merge_or_write(sheet, (0, 0), (0, 3), "重点工程项目节点", &f.title)?;
    merge_or_write(
        sheet,
        (1, 0),
        (1, 3),
        "日期按 YYYY-MM-DD 填写；未完成的节点实际完成日期留空。",
        &f.note,
    )?;
    for (c, h) in ["项目编号", "节点名称", "计划完成日期", "实际完成日期"]
        .iter()
        .enumerate()
    {
        sheet.write_text(HEADER_ROW, c as u16, *h, &f.header)?;
    }
    let mut r = HEADER_ROW + 1;
    for e in ledger {
        for m in &e.milestones {
            sheet.write_text(r, 0, &e.project, &lf.input)?;
            sheet.write_text(r, 1, &m.name, &lf.input)?;
            sheet.write_text(r, 2, m.due.to_string(), &lf.input)?;
            sheet.write_text(r, 3, m.done.map(|d| d.to_string()).unwrap_or_default(), &lf.input)?;
            r += 1;
        }
    }
    for _ in 0..SPARE_LINES {
        for c in 0..4 {
            sheet.write_blank(r, c, &lf.input)?;
        }
        r += 1;
    }
    for (c, w) in [(0, 10.0), (1, 30.0), (2, 14.0), (3, 14.0)] {
        sheet.set_column_width(c, w)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.protect();
    Ok(())
}

/// 分类汇总: each category's planned count and investment beside the names listed and the estimates
/// entered, with the difference, and the totals.
fn category_sheet(
    sheet: &mut Worksheet,
    lf: &LedgerFormats,
    projects: &KeyProjects,
    ledger: &[LedgerEntry],
) -> Result<(), ReportError> {
    let (f, money) = (&lf.f, &lf.money);
    sheet.set_name(CATEGORY_SHEET)?;
    let headers = [
        "序号",
        "类别",
        "规划项目数（项）",
        "列出名称数",
        "规划投资（万元）",
        "已填估算投资合计（万元）",
        "差额（万元）",
    ];
    merge_or_write(
        sheet,
        (0, 0),
        (0, 6),
        "分类汇总：规划（表4-1）与已填报项目对照",
        &f.title,
    )?;
    merge_or_write(
        sheet,
        (1, 0),
        (1, 6),
        "差额 = 已填估算投资合计 − 规划投资；项目数与列出名称数不一致的原因见“数据质量说明”。",
        &f.note,
    )?;
    for (c, h) in headers.iter().enumerate() {
        sheet.write_text(HEADER_ROW, c as u16, *h, &f.header)?;
    }
    let mut r = HEADER_ROW + 1;
    let (mut names, mut entered_total) = (0, 0_i64);
    for cat in &projects.categories {
        let entered = WanYuan::sum(
            cat.projects
                .iter()
                .filter_map(|p| entry_of(ledger, &p.id))
                .map(|e| &e.estimated),
        );
        names += cat.projects.len();
        entered_total += entered.0;
        sheet.write_number_with_format(r, 0, f64::from(cat.number), &f.centre)?;
        sheet.write_text(r, 1, &cat.name, &f.centre)?;
        sheet.write_number_with_format(r, 2, f64::from(cat.count), &f.number)?;
        sheet.write_number_with_format(r, 3, cat.projects.len() as f64, &f.number)?;
        sheet.write_number_with_format(r, 4, cat.investment.as_f64(), money)?;
        sheet.write_number_with_format(r, 5, entered.as_f64(), money)?;
        sheet.write_number_with_format(r, 6, WanYuan(entered.0 - cat.investment.0).as_f64(), money)?;
        r += 1;
    }
    sheet.write_text(r, 1, "合计", &f.centre)?;
    sheet.write_number_with_format(r, 2, f64::from(projects.total_count), &f.number)?;
    sheet.write_number_with_format(r, 3, names as f64, &f.number)?;
    sheet.write_number_with_format(r, 4, projects.total_investment.as_f64(), money)?;
    sheet.write_number_with_format(r, 5, WanYuan(entered_total).as_f64(), money)?;
    sheet.write_number_with_format(
        r,
        6,
        WanYuan(entered_total - projects.total_investment.0).as_f64(),
        money,
    )?;
    for (c, w) in [
        (0, 6.0),
        (1, 10.0),
        (2, 12.0),
        (3, 10.0),
        (4, 16.0),
        (5, 18.0),
        (6, 14.0),
    ] {
        sheet.set_column_width(c, w)?;
    }
    print_setup(sheet)?;
    Ok(())
}

/// 数据质量说明: the seed's inconsistencies, kept as written.
fn quality_sheet(sheet: &mut Worksheet, f: &Formats, projects: &KeyProjects) -> Result<(), ReportError> {
    sheet.set_name(QUALITY_SHEET)?;
    merge_or_write(
        sheet,
        (0, 0),
        (0, 2),
        "数据质量说明：规划原文中的不一致（原样保留，未作更正）",
        &f.title,
    )?;
    for (c, h) in ["编号", "类别", "说明"].iter().enumerate() {
        sheet.write_text(1, c as u16, *h, &f.header)?;
    }
    for (i, q) in projects.quality.iter().enumerate() {
        let r = 2 + i as u32;
        let cat = q
            .category
            .and_then(|n| projects.category(n))
            .map(|c| c.name.as_str())
            .unwrap_or("");
        sheet.write_text(r, 0, &q.id, &f.centre)?;
        sheet.write_text(r, 1, cat, &f.centre)?;
        sheet.write_text(r, 2, &q.text, &f.text)?;
        sheet.set_row_height(r, height_for(lines_needed(&q.text, 80.0)))?;
    }
    sheet.set_column_width(0, 6.0)?;
    sheet.set_column_width(1, 10.0)?;
    sheet.set_column_width(2, 80.0)?;
    Ok(())
}

fn text_at(range: &Range<Data>, row: u32, column: u16) -> Result<String, String> {
    match range.get_value((row, u32::from(column))) {
        None | Some(Data::Empty) => Ok(String::new()),
        Some(Data::String(t)) => Ok(t.trim().to_string()),
        Some(Data::Float(n)) if n.is_finite() => Ok(n.to_string()),
        Some(Data::Int(n)) => Ok(n.to_string()),
        Some(Data::Bool(_)) => Err("逻辑值不是有效输入 (a boolean is not valid here)".into()),
        Some(Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_)) => {
            Err("单元格被识别为日期/时间，请按文本 YYYY-MM-DD 填写 (write the date as text)".into())
        }
        Some(Data::Error(e)) => Err(format!("单元格含错误值 {e:?} (cell holds an error)")),
        Some(Data::Float(_)) => Err("不是有限数字 (not a finite number)".into()),
    }
}

fn year_of(text: &str) -> Result<i32, String> {
    let t = text.strip_suffix(".0").unwrap_or(text);
    match t.parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(format!("“{text}”不是年份 (not a year)")),
    }
}

/// Reads a filled ledger. `projects` is the zone's Table 4-1: a line for an unknown project, or a name that
/// does not match, is refused. Returns every project with an entry, in ledger order. The steps: the
/// identity sheet (format, zone — else refused at once), then the lines of 项目台账
/// ([`read_project_line`]), 年度投资计划 ([`read_plan_lines`]) and 项目节点 ([`read_milestone_lines`]),
/// every problem kept; any one refuses the file.
pub fn import_ledger(
    bytes: &[u8],
    file: &str,
    zone_code: &str,
    projects: &KeyProjects,
) -> Result<Vec<LedgerEntry>, ImportError> {
    let refuse = |sheet: &str, cell: &str, reason: String| ImportError::new(file, vec![at(sheet, cell.into(), reason)]);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| refuse("", "", format!("不是有效的 xlsx 文件 (not a valid xlsx file): {e}")))?;
    let meta = book.worksheet_range(META_SHEET).map_err(|_| {
        refuse(
            META_SHEET,
            "",
            "缺少模板标识工作表，不是 ecociv 导出的项目台账 (not an ecociv ledger)".into(),
        )
    })?;
    if text_at(&meta, 0, 1).ok().as_deref() != Some(LEDGER_FORMAT) {
        return Err(refuse(
            META_SHEET,
            "B1",
            format!("模板版本不符，应为 {LEDGER_FORMAT} (unknown format)"),
        ));
    }
    if text_at(&meta, 1, 1).ok().as_deref() != Some(zone_code) {
        return Err(refuse(
            META_SHEET,
            "B2",
            format!("台账不属于区域 {zone_code} (another zone's ledger)"),
        ));
    }
    let mut sheets = Vec::new();
    for name in [LEDGER_SHEET, PLAN_SHEET, MILESTONE_SHEET] {
        sheets.push(
            book.worksheet_range(name)
                .map_err(|_| refuse(name, "", "缺少工作表 (sheet missing)".into()))?,
        );
    }
    let (main, plan, milestones) = (&sheets[0], &sheets[1], &sheets[2]);
    let mut problems = Vec::new();
    let mut entries: Vec<LedgerEntry> = Vec::new();
    let mut seen = Vec::new();
    for row in HEADER_ROW + 1..=main.end().map_or(0, |(r, _)| r) {
        entries.extend(read_project_line(main, row, projects, &mut seen, &mut problems));
    }
    read_plan_lines(plan, &mut entries, &mut problems);
    read_milestone_lines(milestones, &mut entries, &mut problems);
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(ImportError::new(file, problems))
    }
}

/// A problem at a cell of a ledger sheet.
fn bad(problems: &mut Vec<Located>, sheet: &str, row: u32, col: u16, reason: String) {
    problems.push(at(sheet, cell_name(row, col), reason));
}

/// A line of 项目台账: its project must be in Table 4-1 under its name and listed once; a project with
/// anything entered needs every column, years in order and an amount. `None` for an empty line, a
/// project without entries or a line with a problem (pushed onto `problems`).
fn read_project_line(
    main: &Range<Data>,
    row: u32,
    projects: &KeyProjects,
    seen: &mut Vec<String>,
    problems: &mut Vec<Located>,
) -> Option<LedgerEntry> {
    let mut bad = |col: u16, reason: String| problems.push(at(LEDGER_SHEET, cell_name(row, col), reason));
    let cells: Vec<Result<String, String>> = (0..7).map(|c| text_at(main, row, c)).collect();
    for (c, cell) in cells.iter().enumerate() {
        if let Err(e) = cell {
            bad(c as u16, e.clone());
        }
    }
    let get = |c: usize| cells[c].clone().unwrap_or_default();
    let id = get(0);
    if id.is_empty() && (3..7).all(|c| get(c).is_empty()) {
        return None;
    }
    let Some(project) = projects.project(&id) else {
        bad(0, format!("表4-1 中没有编号为“{id}”的项目 (unknown project)"));
        return None;
    };
    if get(2) != project.name {
        bad(2, format!("项目名称应为“{}” (name does not match)", project.name));
    }
    if seen.contains(&id) {
        bad(0, format!("项目“{id}”重复 (duplicate project)"));
    }
    seen.push(id.clone());
    if (3..7).all(|c| get(c).is_empty()) {
        return None;
    }
    for c in 3..7 {
        if get(c).is_empty() {
            bad(
                c as u16,
                "已填写本项目其他栏目，此栏不能为空 (required once the project is entered)".into(),
            );
        }
    }
    let start = year_of(&get(4)).map_err(|e| bad(4, e)).ok();
    let end_year = year_of(&get(5)).map_err(|e| bad(5, e)).ok();
    if let (Some(s), Some(e)) = (start, end_year)
        && s > e
    {
        bad(5, format!("完成年份 {e} 早于开始年份 {s} (ends before it starts)"));
    }
    let estimated = WanYuan::parse(&get(6)).map_err(|e| bad(6, e)).ok();
    Some(LedgerEntry {
        project: id,
        responsible: get(3),
        start_year: start?,
        end_year: end_year?,
        estimated: estimated?,
        plan: Vec::new(),
        milestones: Vec::new(),
    })
}

/// The lines of 年度投资计划, each added to its project's entry: every column required, the year within
/// the project's years, the project entered in 项目台账.
fn read_plan_lines(plan: &Range<Data>, entries: &mut [LedgerEntry], problems: &mut Vec<Located>) {
    for row in HEADER_ROW + 1..=plan.end().map_or(0, |(r, _)| r) {
        let cells: Vec<Result<String, String>> = (0..4).map(|c| text_at(plan, row, c)).collect();
        let mut ok = true;
        for (c, cell) in cells.iter().enumerate() {
            if let Err(e) = cell {
                bad(problems, PLAN_SHEET, row, c as u16, e.clone());
                ok = false;
            }
        }
        let get = |c: usize| cells[c].clone().unwrap_or_default();
        if ok && (0..4).all(|c| get(c).is_empty()) {
            continue;
        }
        for (c, cell) in cells.iter().enumerate() {
            if cell.as_ref().is_ok_and(String::is_empty) {
                bad(problems, PLAN_SHEET, row, c as u16, "不能为空 (required)".into());
            }
        }
        let year = year_of(&get(1)).map_err(|e| bad(problems, PLAN_SHEET, row, 1, e)).ok();
        let amount = WanYuan::parse(&get(3))
            .map_err(|e| bad(problems, PLAN_SHEET, row, 3, e))
            .ok();
        let id = get(0);
        let Some(entry) = entry_or_problem(entries, &id, PLAN_SHEET, row, problems) else {
            continue;
        };
        if let Some(y) = year
            && !(entry.start_year..=entry.end_year).contains(&y)
        {
            bad(
                problems,
                PLAN_SHEET,
                row,
                1,
                format!(
                    "{y} 年不在项目起止年份 {}–{} 内 (outside the project's years)",
                    entry.start_year, entry.end_year
                ),
            );
        }
        if let (Some(y), Some(a)) = (year, amount)
            && !get(2).is_empty()
        {
            entry.plan.push((y, FundingSource(get(2)), a));
        }
    }
}

/// The lines of 项目节点, each added to its project's entry: project, name and due date required, dates
/// as `YYYY-MM-DD`, the project entered in 项目台账.
fn read_milestone_lines(milestones: &Range<Data>, entries: &mut [LedgerEntry], problems: &mut Vec<Located>) {
    for row in HEADER_ROW + 1..=milestones.end().map_or(0, |(r, _)| r) {
        let cells: Vec<Result<String, String>> = (0..4).map(|c| text_at(milestones, row, c)).collect();
        let mut ok = true;
        for (c, cell) in cells.iter().enumerate() {
            if let Err(e) = cell {
                bad(problems, MILESTONE_SHEET, row, c as u16, e.clone());
                ok = false;
            }
        }
        let get = |c: usize| cells[c].clone().unwrap_or_default();
        if ok && (0..4).all(|c| get(c).is_empty()) {
            continue;
        }
        for (c, cell) in cells.iter().enumerate().take(3) {
            if cell.as_ref().is_ok_and(String::is_empty) {
                bad(problems, MILESTONE_SHEET, row, c as u16, "不能为空 (required)".into());
            }
        }
        let due = Date::parse(&get(2))
            .map_err(|e| bad(problems, MILESTONE_SHEET, row, 2, e))
            .ok();
        let done = if get(3).is_empty() {
            Some(None)
        } else {
            Date::parse(&get(3))
                .map_err(|e| bad(problems, MILESTONE_SHEET, row, 3, e))
                .ok()
                .map(Some)
        };
        let id = get(0);
        let Some(entry) = entry_or_problem(entries, &id, MILESTONE_SHEET, row, problems) else {
            continue;
        };
        if let (Some(due), Some(done)) = (due, done)
            && !get(1).is_empty()
        {
            entry.milestones.push(Milestone {
                name: get(1),
                due,
                done,
            });
        }
    }
}

/// The entry of project `id` for a line of `sheet`; none for an id not entered in 项目台账 (a problem
/// unless the id is empty, which is reported as a required cell already).
fn entry_or_problem<'a>(
    entries: &'a mut [LedgerEntry],
    id: &str,
    sheet: &str,
    row: u32,
    problems: &mut Vec<Located>,
) -> Option<&'a mut LedgerEntry> {
    let entry = entries.iter_mut().find(|e| e.project == id);
    if entry.is_none() && !id.is_empty() {
        bad(
            problems,
            sheet,
            row,
            0,
            format!("项目“{id}”未在“{LEDGER_SHEET}”中填报 (project not entered in the ledger)"),
        );
    }
    entry
}
