//! The yearly self-assessment report (年度自评估报告) as a Word document (docx), in Chinese, laid out as a
//! Chinese government report (GB/T 9704-2012 《党政机关公文格式》):
//!
//! - A4, margins 37 / 35 / 28 / 26 mm (top / bottom / left / right: the standard's 版心 156 × 225 mm);
//! - body in 仿宋_GB2312 三号 with fixed 28.95 pt lines (22 lines of 28 characters a page), headings in
//!   黑体 (一、), 楷体_GB2312 (（一）) and bold 仿宋 (1.); the title in 方正小标宋简体 二号; tables in 宋体
//!   小五/五号 (the standard lets tables use a smaller size); Times New Roman for Latin text. Where a font is
//!   not installed (LibreOffice on Debian), the office suite substitutes an installed CJK font;
//! - page numbers `— 2 —` in 宋体 四号 half-width Arabic numerals with a dash on each side, none on the cover;
//! - a cover with the issuing unit (发文机关: the zone's bureau) and the date (成文日期, Arabic numerals).
//!
//! Content: cover; 目录 (each entry a `PAGEREF` field to a bookmark on its heading: LibreOffice computes
//! the page at layout, Word on field update, which the document asks for); 一、总体情况 — a narrative
//! summary (readiness, binding indicators met / total, reference share against its threshold, the
//! indicators not met, the rows at risk); 二、指标达标情况 — Table 2-1 for the year; 三、未达标和存在风险的指标
//! — full text only for the rows not met or at risk, each with 原因分析 and 整改措施 for the lead department
//! to complete; 附：评估方法与数据说明 in plain Chinese (the plan's key projects are one sentence of the
//! summary).
//!
//! The report takes computed results — the [`Assessment`] and the progress early warning — and never
//! assesses itself, so it cannot disagree with `ecociv assess` or the dashboard. Pure: the charts are
//! rasterised with the fonts the caller hands in, the date is the caller's; bytes out.

use std::collections::BTreeMap;

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrPAGE, InstrPAGEREF, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Pic, Run, RunFonts, Shading, SpecialIndentType, Tab, TabLeaderType,
    TabValueType, Table, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};
use ecociv_chart::LineChart;
use ecociv_chart::png::Fonts;
use ecociv_core::zone::TargetKind;
use ecociv_core::{Assessment, Framework, RowAssessment, Status, Zone};

use crate::common::{ReportError, departments, target_text, target_years};
use crate::xlsx::project_totals;

/// A row at risk of missing a plan target (目标预警), from the progress early warning. Optional input:
/// the report says so when none is given.
#[derive(Debug, Clone, PartialEq)]
pub struct AtRisk {
    /// Row id, e.g. `7.1`.
    pub row: String,
    pub name: String,
    pub target_year: i32,
    /// The target as the plan prints it.
    pub target: String,
    /// What the evaluation says, e.g. `按当前趋势预计2025年为93.1%，低于目标95`.
    pub outlook: String,
    pub lead_departments: Vec<String>,
}

/// What the report is made from: computed results, never raw data to assess.
#[derive(Debug, Clone)]
pub struct DocxInput<'a> {
    pub framework: &'a Framework,
    /// The zone: its plan's targets, the projects and the series for the charts.
    pub zone: &'a Zone,
    /// The assessment of the year reported (`ecociv_core::assess`).
    pub assessment: &'a Assessment,
    /// Progress early warning: `None` when no progress evaluation was run (the section says so),
    /// `Some(empty)` when it found no row at risk.
    pub at_risk: Option<Vec<AtRisk>>,
    /// Forecast values by row id (the early warning's forecast of the target-year value), drawn dashed
    /// on the row's chart. Empty when none.
    pub forecasts: BTreeMap<String, Vec<(i32, f64)>>,
    /// Notes for the appendix, in Chinese (how the data were produced, caveats).
    pub notes: Vec<String>,
    /// The issuing unit on the cover (发文机关), e.g. 柳州市城中区生态环境局; see [`default_issuer`].
    pub issuer: String,
    /// The date on the cover (成文日期), e.g. `2026年12月3日`; see [`chinese_date`].
    pub date: String,
}

/// The document, and what the caller should tell the user about it.
#[derive(Debug, Clone)]
pub struct DocxOutput {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
    /// Rows charted, in order.
    pub charted: Vec<String>,
    /// Rows given full text in 三、 (not met or at risk), in table order.
    pub detailed: Vec<String>,
}

/// The zone's eco-environment bureau as the issuing unit: the zone's name + 生态环境局.
pub fn default_issuer(zone: &Zone) -> String {
    format!("{}生态环境局", zone.profile.name)
}

/// A date as GB/T 9704 writes it (Arabic numerals, no leading zeros): `2026年12月3日`.
pub fn chinese_date(year: i32, month: u32, day: u32) -> String {
    format!("{year}年{month}月{day}日")
}

pub mod bulletin;
pub mod rollup;

const TITLE: &str = "方正小标宋简体";
const HEI: &str = "黑体";
const KAI: &str = "楷体_GB2312";
const SONG: &str = "宋体";
const FANG: &str = "仿宋_GB2312";
const LATIN: &str = "Times New Roman";

/// Sizes in half-points.
const ERHAO: usize = 44;
const SANHAO: usize = 32;
const SIHAO: usize = 28;
const WUHAO: usize = 21;
const XIAOWU: usize = 18;

/// A4 portrait in twips, and the GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// Fixed line pitch of the body: 28.95 pt (22 lines on the 225 mm type area).
const LINE: i32 = 579;

/// A new document as every government-style document here is laid out (GB/T 9704-2012): A4 with the
/// standard's margins, 仿宋 三号 body, `— 2 —` page numbers.
fn document() -> Docx {
    Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(FANG))
        .default_size(SANHAO)
        .footer(page_number_footer())
}

/// The document's bytes.
fn pack(doc: Docx) -> Result<Vec<u8>, ReportError> {
    let mut bytes = Vec::new();
    doc.build()
        .pack(std::io::Cursor::new(&mut bytes))
        .map_err(|error| ReportError::Docx(error.to_string()))?;
    Ok(bytes)
}

/// [`pack`], the first row of every table marked as its header row (`<w:tblHeader/>`): Word and LibreOffice
/// repeat it at the top of each page the table runs onto. For documents whose every table starts with its
/// header row (docx-rs 0.4 has no setting for it, so the mark is put into the built XML).
fn pack_repeating_headers(doc: Docx) -> Result<Vec<u8>, ReportError> {
    let mut xml = doc.build();
    xml.document = repeat_header_rows(&xml.document);
    let mut bytes = Vec::new();
    xml.pack(std::io::Cursor::new(&mut bytes))
        .map_err(|error| ReportError::Docx(error.to_string()))?;
    Ok(bytes)
}

/// The document XML with `<w:tblHeader />` in the properties of each table's first row (docx-rs writes every
/// row's `<w:trPr>`, empty as `<w:trPr />`). Tables are not nested in these documents.
fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest: &str = &text;
    while let Some(start) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(start);
        out.push_str(before);
        let Some(row) = table.find("<w:tr>") else {
            rest = table;
            break;
        };
        let after_row = &table[row + "<w:tr>".len()..];
        out.push_str(&table[..row + "<w:tr>".len()]);
        if let Some(tail) = after_row.strip_prefix("<w:trPr />") {
            out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = tail;
        } else if let Some(tail) = after_row.strip_prefix("<w:trPr>") {
            out.push_str("<w:trPr><w:tblHeader />");
            rest = tail;
        } else {
            rest = after_row;
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

fn run(text: &str, family: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(family)).size(size)
}

fn exact() -> LineSpacing {
    LineSpacing::new().line(LINE).line_rule(LineSpacingType::Exact)
}

/// 一、… in 黑体 三号, with a bookmark for the contents.
fn heading1(text: &str, bookmark: Option<(usize, &str)>) -> Paragraph {
    let mut paragraph = Paragraph::new();
    if let Some((id, name)) = bookmark {
        paragraph = paragraph.add_bookmark_start(id, name);
    }
    paragraph = paragraph.add_run(run(text, HEI, SANHAO));
    if let Some((id, _)) = bookmark {
        paragraph = paragraph.add_bookmark_end(id);
    }
    paragraph
        .outline_lvl(0)
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .line_spacing(exact())
        .keep_next(true)
}

/// A body paragraph: 仿宋 三号, first line indented two characters, fixed line pitch.
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANG, SANHAO))
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .line_spacing(exact())
}

/// Fixed line pitch of the item lists (section 三 and the appendix) in 四号: 25 pt.
const LINE_SMALL: i32 = 500;

/// A paragraph of an item list (section 三, the appendix): 仿宋 四号, so that a list of many rows stays a
/// readable length; the narrative summary keeps the standard's 三号.
fn item(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANG, SIHAO))
        .indent(None, Some(SpecialIndentType::FirstLine(560)), None, None)
        .line_spacing(LineSpacing::new().line(LINE_SMALL).line_rule(LineSpacingType::Exact))
}

/// An item list's heading: 楷体 四号, bold.
fn item_heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, KAI, SIHAO).bold())
        .indent(None, Some(SpecialIndentType::FirstLine(560)), None, None)
        .line_spacing(LineSpacing::new().line(LINE_SMALL).line_rule(LineSpacingType::Exact))
        .keep_next(true)
}

/// An item paragraph with a bold lead-in (原因分析：…).
fn item_lead(lead: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(lead, FANG, SIHAO).bold())
        .add_run(run(text, FANG, SIHAO))
        .indent(None, Some(SpecialIndentType::FirstLine(560)), None, None)
        .line_spacing(LineSpacing::new().line(LINE_SMALL).line_rule(LineSpacingType::Exact))
}

/// A body line without indentation (the addressee: 各有关单位：).
fn body_flush(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, FANG, SANHAO)).line_spacing(exact())
}

/// A right-aligned body line (the issuing unit and date at the end).
fn body_right(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANG, SANHAO))
        .align(AlignmentType::Right)
        .indent(None, None, Some(1280), None)
}

fn centred(text: &str, family: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, family, size))
        .align(AlignmentType::Center)
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

/// A field (`PAGE`, `PAGEREF x`) as runs: begin, instruction, separate, cached result, end.
fn field(paragraph: Paragraph, instr: InstrText, cached: &str, family: &str, size: usize) -> Paragraph {
    paragraph
        .add_run(Run::new().add_field_char(FieldCharType::Begin, true))
        .add_run(Run::new().add_instr_text(instr))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(run(cached, family, size))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
}

/// The page number as GB/T 9704 writes it: `— 2 —`, 宋体 四号, half-width Arabic numerals.
fn page_number_footer() -> Footer {
    let paragraph = Paragraph::new()
        .add_run(run("— ", SONG, SIHAO))
        .align(AlignmentType::Center);
    let paragraph =
        field(paragraph, InstrText::PAGE(InstrPAGE::new()), "2", SONG, SIHAO).add_run(run(" —", SONG, SIHAO));
    Footer::new().add_paragraph(paragraph)
}

/// A contents line: the heading, a dotted leader, and its page as a `PAGEREF` field.
fn contents_line(text: &str, bookmark: &str) -> Paragraph {
    let paragraph = Paragraph::new()
        .add_run(run(text, FANG, SANHAO))
        .add_run(Run::new().add_tab())
        .add_tab(
            Tab::new()
                .val(TabValueType::Right)
                .leader(TabLeaderType::Dot)
                .pos(TEXT_WIDTH),
        )
        .line_spacing(exact());
    field(
        paragraph,
        InstrText::PAGEREF(InstrPAGEREF::new(bookmark).hyperlink()),
        "1",
        FANG,
        SANHAO,
    )
}

/// A table cell: 宋体 in `size`, centred or not.
fn cell_sized(text: &str, width: usize, size: usize, centre: bool) -> TableCell {
    let mut paragraph = Paragraph::new()
        .add_run(run(text, SONG, size))
        .line_spacing(table_line(size));
    if centre {
        paragraph = paragraph.align(AlignmentType::Center);
    }
    TableCell::new()
        .add_paragraph(paragraph)
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

fn header_cell(text: &str, width: usize, size: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(run(text, HEI, size))
                .line_spacing(table_line(size))
                .align(AlignmentType::Center),
        )
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .shading(Shading::new().fill("E7E6E6"))
}

/// Table lines at a fixed pitch of 1.3 times the font size, no space around paragraphs.
fn table_line(size: usize) -> LineSpacing {
    LineSpacing::new()
        .line((size * 13) as i32)
        .line_rule(LineSpacingType::Exact)
        .before(0)
        .after(0)
}

/// Scales column weights to the text width.
fn widths(weights: &[usize]) -> Vec<usize> {
    let total: usize = weights.iter().sum::<usize>().max(1);
    weights.iter().map(|w| w * TEXT_WIDTH / total).collect()
}

fn table(widths: Vec<usize>, rows: Vec<TableRow>) -> Table {
    Table::new(rows)
        .margins(TableCellMargins::new().margin(20, 60, 20, 60))
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

fn caption(text: &str) -> Paragraph {
    centred(text, HEI, WUHAO).line_spacing(LineSpacing::new().before(120).after(60))
}

/// Chinese ordinal numbers for section headings (一 … 九十九).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The value as the row's formatter writes it, or 无数据.
fn value_text(entry: &RowAssessment) -> String {
    entry.value_text().unwrap_or_else(|| "无数据".to_string())
}

/// Where a row's figure comes from, as Table 2-1's 数据来源 column prints it: 文件, 填报, 监测, 台账, 调查,
/// 合成 (`Source::origin_tag_zh`), a register's or survey's synthetic demo records as 合成台账 / 合成调查; empty
/// without a figure.
fn origin_text(entry: &RowAssessment) -> String {
    match (&entry.value, &entry.source) {
        (Some(_), Some(source @ ecociv_core::Source::Synthetic { .. })) => source.origin_tag_zh().to_string(),
        (Some(_), Some(source)) if source.is_synthetic() => format!("合成{}", source.origin_tag_zh()),
        (Some(_), Some(source)) => source.origin_tag_zh().to_string(),
        _ => String::new(),
    }
}

/// The status for a table: 达标, 不达标, 无数据, or 达标（仅判定：…）.
fn status_text(entry: &RowAssessment) -> String {
    entry.label().zh
}

/// The charts the report can show: each numeric row with at least two years on record up to the
/// assessment's year; with the standard's threshold when the criterion is a single figure, and the
/// plan's numeric targets.
pub fn charts(framework: &Framework, zone: &Zone, assessment: &Assessment) -> Vec<(String, LineChart)> {
    let year = assessment.year;
    let mut charts = Vec::new();
    for (indicator, row) in framework.rows() {
        if !row.takes_numbers() {
            continue;
        }
        let mut series: Vec<(i32, f64)> = zone
            .years()
            .into_iter()
            .filter(|y| *y <= year)
            .filter_map(|y| {
                zone.observation(&row.id, y)
                    .and_then(|obs| obs.value.as_number())
                    .map(|v| (y, v))
            })
            .collect();
        series.sort_by_key(|(y, _)| *y);
        if series.len() < 2 {
            continue;
        }
        let name = if indicator.has_sub_rows() {
            format!("{}—{}", indicator.name, row.name)
        } else {
            row.name.clone()
        };
        let mut chart = LineChart::new(name, row.format().unit_label().to_string());
        chart.series = series;
        if let Some(variant) = row.variant_for(&zone.profile.attributes) {
            chart.threshold = variant
                .criterion
                .threshold()
                .map(|x| (x, format!("标准 {}", variant.standard)));
        }
        for target_year in target_years(zone) {
            if let Some(target) = zone
                .plan
                .targets
                .get(&row.id)
                .and_then(|by_year| by_year.get(&target_year))
                && let TargetKind::Value(value) = target.kind
            {
                chart
                    .targets
                    .push((target_year, value, format!("{target_year}年目标 {}", target.text)));
            }
        }
        charts.push((row.id.clone(), chart));
    }
    charts
}

/// The sections of the report, in order: (heading, bookmark).
const SECTIONS: [(&str, &str); 4] = [
    ("一、总体情况", "ecociv_s1"),
    ("二、指标达标情况", "ecociv_s2"),
    ("三、未达标和存在风险的指标", "ecociv_s3"),
    ("附：评估方法与数据说明", "ecociv_s4"),
];

/// The report.
pub fn report(input: &DocxInput<'_>, chart_fonts: &Fonts) -> Result<DocxOutput, ReportError> {
    let (framework, zone, assessment) = (input.framework, input.zone, input.assessment);
    let year = assessment.year;
    let mut warnings = Vec::new();
    let mut doc = document()
        // No page number on the cover.
        .title_pg()
        .first_footer(Footer::new().add_paragraph(Paragraph::new()));

    // Cover: title, issuing unit, date.
    doc = doc.add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(2600)));
    for line in [
        zone.profile.name.clone(),
        "国家生态文明建设示范区建设".to_string(),
        format!("{year}年度自评估报告"),
    ] {
        doc = doc.add_paragraph(centred(&line, TITLE, ERHAO).line_spacing(LineSpacing::new().after(200)));
    }
    doc = doc
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(5200)))
        .add_paragraph(centred(&input.issuer, FANG, SANHAO).line_spacing(LineSpacing::new().after(120)))
        .add_paragraph(centred(&input.date, FANG, SANHAO))
        .add_paragraph(page_break());

    // Contents.
    doc = doc.add_paragraph(centred("目　　录", HEI, SANHAO).line_spacing(LineSpacing::new().after(360)));
    for (text, bookmark) in SECTIONS {
        doc = doc.add_paragraph(contents_line(text, bookmark));
    }
    doc = doc.add_paragraph(page_break());

    // The title of the body.
    doc = doc.add_paragraph(
        centred(
            &format!("{}{year}年度国家生态文明建设示范区建设自评估报告", zone.profile.name),
            TITLE,
            ERHAO,
        )
        .line_spacing(LineSpacing::new().after(360)),
    );

    let detailed = detailed_rows(assessment, input.at_risk.as_deref());

    // 一、总体情况
    doc = doc.add_paragraph(heading1(SECTIONS[0].0, Some((1, SECTIONS[0].1))));
    doc = summary(doc, input, &detailed);

    // 二、指标达标情况
    doc = doc.add_paragraph(heading1(SECTIONS[1].0, Some((2, SECTIONS[1].1))));
    doc = table_2_1(doc, zone, assessment);

    // 三、未达标和存在风险的指标
    doc = doc.add_paragraph(heading1(SECTIONS[2].0, Some((3, SECTIONS[2].1))));
    let mut charts: BTreeMap<String, LineChart> = charts(framework, zone, assessment).into_iter().collect();
    for (row, chart) in &mut charts {
        if let Some(forecast) = input.forecasts.get(row.as_str()) {
            chart.forecast = forecast.clone();
        }
    }
    if !chart_fonts.has_cjk() && !charts.is_empty() {
        warnings.push("未找到中文字体，图表中的中文标签无法显示；Debian 请安装 fonts-noto-cjk。".to_string());
    }
    let mut charted = Vec::new();
    doc = details(doc, input, &detailed, &charts, chart_fonts, &mut charted, &mut warnings);

    // 附: the methods, after the body (not a separate 附件, so no page of its own).
    doc = doc.add_paragraph(heading1(SECTIONS[3].0, Some((4, SECTIONS[3].1))));
    doc = appendix(doc, input, &warnings);

    let bytes = pack(doc)?;
    Ok(DocxOutput {
        bytes,
        warnings,
        charted,
        detailed: detailed.iter().map(|row| row.entry.id.clone()).collect(),
    })
}

/// A row given full text: not met, at risk, or both.
struct Detailed<'a> {
    entry: &'a RowAssessment,
    risks: Vec<&'a AtRisk>,
}

/// The rows not met or at risk, in table order (a row at risk for several target years once).
fn detailed_rows<'a>(assessment: &'a Assessment, at_risk: Option<&'a [AtRisk]>) -> Vec<Detailed<'a>> {
    assessment
        .leaves()
        .filter_map(|entry| {
            let risks: Vec<&AtRisk> = at_risk
                .unwrap_or_default()
                .iter()
                .filter(|risk| risk.row == entry.id)
                .collect();
            (entry.status == Status::NotMet || !risks.is_empty()).then_some(Detailed { entry, risks })
        })
        .collect()
}

/// The ids of some rows: `7.1、7.2`.
fn ids(rows: &[&RowAssessment]) -> String {
    rows.iter()
        .map(|entry| entry.id.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// The names of some rows: `1 生态文明建设规划、24 村镇饮用水卫生合格率`.
fn names(rows: &[&RowAssessment]) -> String {
    rows.iter()
        .map(|entry| format!("{} {}", entry.id, entry.name))
        .collect::<Vec<_>>()
        .join("、")
}

fn summary(mut doc: Docx, input: &DocxInput<'_>, detailed: &[Detailed<'_>]) -> Docx {
    let assessment = input.assessment;
    let counts = assessment.counts();
    let readiness = &assessment.readiness;
    let year = assessment.year;
    if counts.no_data() {
        return doc
            .add_paragraph(body(&format!(
                "{}{year}年度尚无数据（尚未填报），无法评估达标情况和申报条件。",
                assessment.zone_name
            )))
            .add_paragraph(body(&projects_sentence(input.zone)));
    }
    // Readiness.
    doc = doc.add_paragraph(body(&format!(
        "对照《{}》，{}{year}年度{}。共评估指标 {} 项（含子指标共 {} 行）。",
        assessment.framework_name,
        assessment.zone_name,
        if readiness.ready {
            "已具备申报国家生态文明建设示范区的条件"
        } else {
            "尚不具备申报国家生态文明建设示范区的条件"
        },
        counts.indicators.total,
        counts.rows.total,
    )));
    // Binding.
    let binding_not_met: Vec<&RowAssessment> = assessment
        .indicators()
        .filter(|entry| entry.attribute == ecociv_core::Attribute::Binding && entry.status == Status::NotMet)
        .collect();
    let binding_no_data: Vec<&RowAssessment> = assessment
        .indicators()
        .filter(|entry| entry.attribute == ecociv_core::Attribute::Binding && entry.status == Status::NoData)
        .collect();
    let mut binding = format!("约束性指标 {} 项，达标 {} 项", counts.binding.total, counts.binding.met);
    if !binding_not_met.is_empty() {
        binding.push_str(&format!(
            "，不达标 {} 项（{}）",
            binding_not_met.len(),
            names(&binding_not_met)
        ));
    }
    if !binding_no_data.is_empty() {
        binding.push_str(&format!(
            "，无数据 {} 项（{}）",
            binding_no_data.len(),
            names(&binding_no_data)
        ));
    }
    binding.push_str("；约束性指标须全部达标。");
    doc = doc.add_paragraph(body(&binding));
    // Reference share against its threshold.
    let reference_not_met: Vec<&RowAssessment> = assessment
        .indicators()
        .filter(|entry| entry.attribute == ecociv_core::Attribute::Reference && entry.status != Status::Met)
        .collect();
    let mut reference = format!(
        "参考性指标 {} 项，达标 {} 项，达标比例 {}，要求不低于 {}，{}",
        counts.reference.total,
        counts.reference.met,
        ecociv_core::format::percent(readiness.reference_met_share),
        ecociv_core::format::percent(readiness.reference_required_share),
        if readiness.reference_met_share + 1e-12 >= readiness.reference_required_share {
            "满足要求"
        } else {
            "未满足要求"
        }
    );
    if !reference_not_met.is_empty() {
        reference.push_str(&format!("；未达标或无数据：{}", names(&reference_not_met)));
    }
    reference.push('。');
    doc = doc.add_paragraph(body(&reference));
    // Partly judged rows: which part was judged.
    let partial: Vec<String> = assessment
        .leaves()
        .filter_map(|entry| {
            entry
                .partial
                .as_ref()
                .map(|parts| format!("{}仅判定“{}”", entry.id, parts.zh))
        })
        .collect();
    if !partial.is_empty() {
        doc = doc.add_paragraph(body(&format!(
            "两部分标准中，{}（缺少上级考核结论），其达标判定待上级结论明确后复核。",
            partial.join("、")
        )));
    }
    // At risk.
    match input.at_risk.as_deref() {
        None => {
            doc = doc.add_paragraph(body("本报告未包含规划目标进展预警。"));
        }
        Some([]) => {
            doc = doc.add_paragraph(body("按规划目标进展评估，暂无存在不能按期实现规划目标风险的指标。"));
        }
        Some(list) => {
            let target_years: std::collections::BTreeSet<i32> = list.iter().map(|risk| risk.target_year).collect();
            let rows: std::collections::BTreeSet<&str> = list.iter().map(|risk| risk.row.as_str()).collect();
            doc = doc.add_paragraph(body(&format!(
                "按规划目标进展评估，{} 行指标存在不能按期实现{}年规划目标的风险。",
                rows.len(),
                target_years
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("、")
            )));
        }
    }
    doc.add_paragraph(body(&format!(
        "以上不达标或存在风险的指标共 {} 行，逐项列于第三部分，请牵头部门补充原因分析和整改措施。",
        detailed.len()
    )))
    .add_paragraph(body(&projects_sentence(input.zone)))
}

/// Table 2-1 of the year: every row with its standard, attribute, value, status and targets.
fn table_2_1(doc: Docx, zone: &Zone, assessment: &Assessment) -> Docx {
    let years = target_years(zone);
    // 数据来源: where the year's figure comes from (文件, 填报, 监测, 台账, 调查, 合成), so the table says per
    // row which figures are typed and which are computed; the notes give each derived row's arithmetic.
    let mut weights = vec![7, 23, 14, 8, 11, 6, 9];
    weights.extend(years.iter().map(|_| 11));
    let w = widths(&weights);
    const T: usize = 7;
    let mut header = vec![
        header_cell("序号", w[0], XIAOWU),
        header_cell("指标名称", w[1], XIAOWU),
        header_cell("指标值", w[2], XIAOWU),
        header_cell("属性", w[3], XIAOWU),
        header_cell(&format!("{}年现状值", assessment.year), w[4], XIAOWU),
        header_cell("数据来源", w[5], XIAOWU),
        header_cell("达标情况", w[6], XIAOWU),
    ];
    for (k, target_year) in years.iter().enumerate() {
        header.push(header_cell(&format!("{target_year}年目标"), w[T + k], XIAOWU));
    }
    let mut rows = vec![TableRow::new(header).cant_split()];
    for entry in &assessment.rows {
        if entry.is_indicator && !entry.is_leaf(assessment) {
            // An indicator with sub-indicators: its name and overall status on a row of its own.
            let mut cells = vec![
                cell_sized(&entry.id, w[0], XIAOWU, true),
                cell_sized(&entry.name, w[1], XIAOWU, false),
                cell_sized("", w[2], XIAOWU, false),
                cell_sized(entry.attribute.zh(), w[3], XIAOWU, true),
                cell_sized("", w[4], XIAOWU, true),
                cell_sized("", w[5], XIAOWU, true),
                cell_sized(entry.status.zh(), w[6], XIAOWU, true),
            ];
            for (k, _) in years.iter().enumerate() {
                cells.push(cell_sized("", w[T + k], XIAOWU, true));
            }
            rows.push(TableRow::new(cells).cant_split());
            continue;
        }
        let name = if entry.is_indicator {
            entry.name.clone()
        } else {
            format!("其中：{}", entry.name)
        };
        // The table's cell is short; the note under the table names the part judged.
        let status = if entry.partial.is_some() && entry.status == Status::Met {
            "达标（部分判定）".to_string()
        } else {
            status_text(entry)
        };
        let mut status_cell = cell_sized(&status, w[6], XIAOWU, true);
        if entry.status == Status::NotMet {
            status_cell = status_cell.shading(Shading::new().fill("F8CBAD"));
        }
        let mut cells = vec![
            cell_sized(&entry.id, w[0], XIAOWU, true),
            cell_sized(&name, w[1], XIAOWU, false),
            cell_sized(&entry.standard, w[2], XIAOWU, true),
            cell_sized(
                if entry.is_indicator { entry.attribute.zh() } else { "" },
                w[3],
                XIAOWU,
                true,
            ),
            cell_sized(&value_text(entry), w[4], XIAOWU, true),
            cell_sized(&origin_text(entry), w[5], XIAOWU, true),
            status_cell,
        ];
        for (k, target_year) in years.iter().enumerate() {
            cells.push(cell_sized(
                target_text(zone, &entry.id, *target_year).unwrap_or(""),
                w[T + k],
                XIAOWU,
                true,
            ));
        }
        rows.push(TableRow::new(cells).cant_split());
    }
    let mut doc = doc
        .add_paragraph(
            caption(&format!(
                "表2-1 {}{}年指标达标情况",
                assessment.zone_name, assessment.year
            ))
            .keep_next(true),
        )
        .add_table(table(w, rows))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(
                    "注：“数据来源”中监测、台账、调查为计算所得（算式见附），合成为演示数据。",
                    SONG,
                    WUHAO,
                ))
                .line_spacing(LineSpacing::new().before(60)),
        );
    let partial: Vec<String> = assessment
        .leaves()
        .filter_map(|entry| {
            entry
                .partial
                .as_ref()
                .map(|parts| format!("{} 仅判定“{}”", entry.id, parts.zh))
        })
        .collect();
    if !partial.is_empty() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(
                    &format!(
                        "注：“部分判定”指标准含两部分、本年度仅能判定其中一部分：{}。",
                        partial.join("；")
                    ),
                    SONG,
                    WUHAO,
                ))
                .line_spacing(LineSpacing::new().before(60)),
        );
    }
    doc
}

/// A target as the table prints it, with the row's unit when it is a plain figure (`44%`, `62`).
fn target_with_unit(entry: &RowAssessment, text: &str) -> String {
    match crate::common::plain_number(text) {
        Some(number) => entry.format.with_unit(number),
        None => text.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn details(
    mut doc: Docx,
    input: &DocxInput<'_>,
    detailed: &[Detailed<'_>],
    charts: &BTreeMap<String, LineChart>,
    chart_fonts: &Fonts,
    charted: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Docx {
    let zone = input.zone;
    if detailed.is_empty() {
        let text = if input.assessment.counts().no_data() {
            "本年度尚无数据（尚未填报），无法列出不达标指标。"
        } else if input.at_risk.is_none() {
            "本年度无不达标指标（未进行目标进展预警）。"
        } else {
            "本年度无不达标指标，也无存在不能按期实现规划目标风险的指标。"
        };
        return doc.add_paragraph(body(text));
    }
    for (k, detail) in detailed.iter().enumerate() {
        let entry = detail.entry;
        let not_met = entry.status == Status::NotMet;
        let kind = match (not_met, detail.risks.is_empty()) {
            (true, true) => "不达标",
            (true, false) => "不达标，且存在目标风险",
            _ => "存在目标风险",
        };
        doc = doc.add_paragraph(item_heading(&format!(
            "（{}）{} {}（{}）",
            chinese_number(k + 1),
            entry.id,
            entry.name,
            kind
        )));
        // Facts in one paragraph: value, standard, status, the target at stake, the warning, departments.
        let mut facts = format!(
            "现状值{}，标准值{}，{}",
            quoted(
                &value_text(entry),
                entry.value.as_ref().is_some_and(|v| v.as_number().is_none())
            ),
            quoted(&entry.standard, !looks_numeric(&entry.standard)),
            status_text(entry)
        );
        let mut years: Vec<i32> = detail.risks.iter().map(|risk| risk.target_year).collect();
        if years.is_empty() {
            years.extend(target_years(zone).into_iter().find(|y| *y >= input.assessment.year));
        }
        let targets: Vec<String> = years
            .iter()
            .filter_map(|y| {
                target_text(zone, &entry.id, *y).map(|text| {
                    let text = target_with_unit(entry, text);
                    let quote = !looks_numeric(&text);
                    format!("{y}年目标{}", quoted(&text, quote))
                })
            })
            .collect();
        if !targets.is_empty() {
            facts.push_str(&format!("，{}", targets.join("、")));
        }
        // The judgement's reasoning where the table does not show it: a recorded verdict, a partial one.
        if not_met && entry.basis != ecociv_core::Basis::Rule {
            facts.push_str(&format!("（{}）", plain_explanation(entry)));
        }
        for risk in &detail.risks {
            facts.push_str(&format!("；预警：{}", risk.outlook));
        }
        if !entry.lead_departments.is_empty() {
            facts.push_str(&format!("；牵头部门：{}", departments(&entry.lead_departments)));
        }
        facts.push('。');
        doc = doc.add_paragraph(item(&facts));
        if let Some(chart) = charts.get(&entry.id) {
            match chart.to_png(chart_fonts, 2.0) {
                Ok(png) => {
                    // 12 cm wide, height in proportion (EMU: 360000 per cm).
                    let width_emu: u32 = 12 * 360_000;
                    let height_emu =
                        (f64::from(width_emu) * f64::from(png.height) / f64::from(png.width.max(1))) as u32;
                    let pic = Pic::new_with_dimensions(png.bytes, png.width, png.height).size(width_emu, height_emu);
                    charted.push(entry.id.clone());
                    doc = doc
                        .add_paragraph(
                            Paragraph::new()
                                .add_run(Run::new().add_image(pic))
                                .align(AlignmentType::Center)
                                .keep_next(true),
                        )
                        .add_paragraph(caption(&format!("图{} {}历年变化", charted.len(), chart.title)));
                }
                Err(error) => warnings.push(format!("指标 {} 的趋势图无法生成：{error}", entry.id)),
            }
        }
        doc = doc
            .add_paragraph(item_lead("原因分析：", "（待牵头部门填写）"))
            .add_paragraph(item_lead("整改措施：", "（待填写措施、责任单位和时限）"));
    }
    doc
}

/// The judgement's explanation without its source clause (the appendix names the sources).
fn plain_explanation(entry: &RowAssessment) -> String {
    let text = entry.explanation.zh.as_str();
    let text = text.split("；来源：").next().unwrap_or(text);
    text.trim_end_matches(['。', '；']).to_string()
}

/// A text in Chinese quotation marks when asked (states and worded standards), as is otherwise.
fn quoted(text: &str, quote: bool) -> String {
    if quote {
        format!("“{text}”")
    } else {
        text.to_string()
    }
}

/// A figure or a comparison with a figure (`100`, `≥ 20`, `≤0.5`), which reads without quotes.
fn looks_numeric(text: &str) -> bool {
    let rest = text.trim().trim_start_matches(['≥', '≤', '>', '<', ' ']);
    rest.chars().next().is_some_and(|c| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '%')
}

/// The plan's key projects in one sentence (Table 4-1's totals).
fn projects_sentence(zone: &Zone) -> String {
    if zone.plan.projects.is_empty() {
        return "规划未列出重点工程项目。".to_string();
    }
    let (count, investment) = project_totals(zone);
    let categories: Vec<String> = zone
        .plan
        .projects
        .iter()
        .map(|project| format!("{}{}项", project.category, project.count))
        .collect();
    format!(
        "规划共安排重点工程项目 {count} 项（{}），估算总投资 {} 万元。",
        categories.join("、"),
        money(investment)
    )
}

/// 附件: the methods in plain Chinese — no file names, no internal names.
fn appendix(mut doc: Docx, input: &DocxInput<'_>, warnings: &[String]) -> Docx {
    let (framework, zone, assessment) = (input.framework, input.zone, input.assessment);
    let kind = ecociv_core::assess::zone_kind(&zone.profile.attributes);
    let mut notes = vec![
        format!(
            "判定依据为《{}》，本区适用{}的标准值；“≥”“≤”类标准按数值比较，“100”类标准须达到该值。",
            framework.name, kind.zh
        ),
        "“完成上级规定的考核任务”类标准按上级下达值或考核结论判定，“保持稳定或持续改善”与上一有数据年份比较；两部分标准仅能判定一部分时注明“部分判定”；无法判定时采用规划表2-1记载的达标情况并注明。".to_string(),
        format!(
            "创建条件：约束性指标须全部达标，参考性指标达标比例不低于{}。{}。",
            ecociv_core::format::percent(framework.designation.reference_min_share),
            framework.designation.note
        ),
        "数值的小数位数按规划表2-1所列精度书写；比例类指标的变化以“个百分点”表示。".to_string(),
    ];
    let computed: Vec<&RowAssessment> = assessment
        .leaves()
        .filter(|entry| {
            entry.source.as_ref().is_some_and(|source| {
                matches!(
                    source,
                    ecociv_core::Source::Computed { .. } | ecociv_core::Source::Synthetic { .. }
                )
            })
        })
        .collect();
    if !computed.is_empty() {
        notes.push(format!(
            "指标 {} 的数值由监测数据按国家标准计算（空气质量：GB 3095、HJ 633、HJ 663；地表水：GB 3838-2002 与《地表水环境质量评价办法（试行）》；生态环境状况指数：HJ 192-2015）。",
            ids(&computed)
        ));
    }
    // Rows derived from registers (台账), one sentence per row with the register, its version and the
    // arithmetic.
    for entry in assessment.leaves() {
        if let Some(ecociv_core::Source::Ledger {
            kind,
            version,
            method,
            provenance,
            synthetic,
            ..
        }) = &entry.source
        {
            notes.push(format!(
                "指标 {}（{}）的数值由台账记录计算：{kind}（第{version}版），{method}；{provenance}{}。",
                entry.id,
                entry.name,
                if *synthetic {
                    "；台账记录为合成的演示数据，不得作为正式评估结论"
                } else {
                    ""
                }
            ));
        }
    }
    // Rows estimated from a survey of the public, one sentence per row with the survey, n and the interval.
    for entry in assessment.leaves() {
        if let Some(ecociv_core::Source::Survey {
            survey,
            edition,
            valid,
            low,
            high,
            synthetic,
            ..
        }) = &entry.source
        {
            notes.push(format!(
                "指标 {}（{}）的数值由问卷调查“{survey}”按分层抽样加权估计：有效回答 {valid} 份，95% 置信区间 {}%–{}%（{edition}）{}。",
                entry.id,
                entry.name,
                ecociv_core::format::fixed(*low, 1),
                ecociv_core::format::fixed(*high, 1),
                if *synthetic {
                    "；问卷回答为合成的演示数据，不得作为正式评估结论"
                } else {
                    ""
                }
            ));
        }
    }
    let synthetic: Vec<&RowAssessment> = assessment
        .leaves()
        .filter(|entry| {
            entry
                .source
                .as_ref()
                .is_some_and(|source| matches!(source, ecociv_core::Source::Synthetic { .. }))
        })
        .collect();
    if !synthetic.is_empty() {
        notes.push(format!(
            "指标 {} 的数值来自合成的演示监测数据，仅用于演示，不得作为正式评估结论。",
            ids(&synthetic)
        ));
    }
    if input.at_risk.is_some() {
        notes.push(
            "目标进展预警：比较基准年以来的实际年均变化与实现目标所需的年均变化，并外推到目标年（直线或等速外推，仅供参考，不作为达标判定）；年份不足无法外推且最新值未达目标的指标也列入预警。"
                .to_string(),
        );
    }
    notes.extend(input.notes.iter().cloned());
    notes.extend(warnings.iter().cloned());
    for (k, note) in notes.iter().enumerate() {
        doc = doc.add_paragraph(item(&format!("{}. {note}", k + 1)));
    }
    doc
}

/// An amount with thousands separators and two decimals: 396,229.77.
pub fn money(amount: f64) -> String {
    let cents = (amount * 100.0).round() as i64;
    let (sign, cents) = if cents < 0 { ("-", -cents) } else { ("", cents) };
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (k, ch) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{:02}", cents % 100)
}

/// The Word report of a zone and year as the CLI and the web pages offer it, from computed results: the
/// assessment of the year and, when given, the progress early warning
/// (`ecociv_progress::zone::early_warnings`, the same list and count as the dashboard).
pub fn zone_report(
    framework: &Framework,
    zone: &Zone,
    assessment: &Assessment,
    early: Option<&ecociv_progress::zone::EarlyWarnings>,
    date: String,
    fonts: &Fonts,
) -> Result<DocxOutput, ReportError> {
    let mut forecasts: BTreeMap<String, Vec<(i32, f64)>> = BTreeMap::new();
    let at_risk = early.map(|early| at_risk_of(framework, early, &mut forecasts));
    report(
        &DocxInput {
            framework,
            zone,
            assessment,
            at_risk,
            forecasts,
            notes: Vec::new(),
            issuer: default_issuer(zone),
            date,
        },
        fonts,
    )
}

/// The early warning's rows as the report's [`AtRisk`] rows (reasons, capped forecast, required yearly
/// change, in the row's precision and unit), and their forecasts for the charts.
pub fn at_risk_of(
    framework: &Framework,
    early: &ecociv_progress::zone::EarlyWarnings,
    forecasts: &mut BTreeMap<String, Vec<(i32, f64)>>,
) -> Vec<AtRisk> {
    let Some(target_year) = early.target_year else {
        return Vec::new();
    };
    early
        .rows
        .iter()
        .map(|row| {
            let format = framework
                .row(&row.id)
                .map(|(_, framework_row)| framework_row.format())
                .unwrap_or_default();
            let mut outlook: Vec<String> = row
                .warning
                .reasons
                .iter()
                .map(|reason| reason.label_zh().to_string())
                .collect();
            if let Some(forecast) = row.forecast.filter(|value| value.is_finite()) {
                outlook.push(format!(
                    "按趋势外推{target_year}年约为{}（{}）",
                    format.with_unit(forecast),
                    if row.forecast_beyond_data {
                        "外推年限长于数据覆盖年限，可信度低，仅供参考"
                    } else {
                        "外推仅供参考"
                    }
                ));
                forecasts
                    .entry(row.id.clone())
                    .or_default()
                    .push((target_year, forecast));
            }
            if let Some(need) = &row.required_change_text {
                outlook.push(need.zh.clone());
            }
            AtRisk {
                row: row.id.clone(),
                name: row.name.clone(),
                target_year,
                target: row.target_text.clone().unwrap_or_default(),
                outlook: outlook.join("；"),
                lead_departments: row.lead_departments.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tables_first_row_and_only_it_is_marked_as_the_header() {
        let w = widths(&[1, 1]);
        let rows = |n: usize| -> Vec<TableRow> {
            (0..n)
                .map(|i| {
                    TableRow::new(vec![
                        header_cell(&format!("r{i}"), w[0], WUHAO),
                        header_cell("x", w[1], WUHAO),
                    ])
                })
                .collect()
        };
        let doc = document()
            .add_table(table(w.clone(), rows(3)))
            .add_paragraph(body("间隔"))
            .add_table(table(
                w.clone(),
                vec![TableRow::new(vec![header_cell("c", w[0], WUHAO), header_cell("d", w[1], WUHAO)]).cant_split()],
            ));
        let xml = String::from_utf8(repeat_header_rows(&doc.build().document)).unwrap();
        assert_eq!(xml.matches("<w:tblHeader />").count(), 2, "{xml}");
        for table in xml.split("<w:tbl>").skip(1) {
            let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
            assert!(rows[0].starts_with("<w:trPr><w:tblHeader />"), "{}", rows[0]);
            assert!(rows[1..].iter().all(|row| !row.contains("tblHeader")));
        }
        assert!(xml.contains("<w:trPr><w:tblHeader /><w:cantSplit /></w:trPr>"), "{xml}");
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(6), "六");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(35), "三十五");
    }

    #[test]
    fn dates_as_gb_t_9704_writes_them() {
        assert_eq!(chinese_date(2025, 12, 3), "2025年12月3日");
        assert_eq!(chinese_date(2000, 2, 29), "2000年2月29日");
    }

    #[test]
    fn money_is_grouped() {
        assert_eq!(money(396229.77), "396,229.77");
        assert_eq!(money(249.0), "249.00");
        assert_eq!(money(1211.0), "1,211.00");
        assert_eq!(money(0.0), "0.00");
    }
}
