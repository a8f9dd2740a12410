//! The yearly self-assessment report (年度自评估报告) as a Word document (docx), in Chinese.
//!
//! Structure, following the plain form of Chinese government reports (标题; 一、二、…; （一）（二）…; 1. 2. …):
//! cover; 一、总体情况 (readiness for designation, counts); 二、指标达标情况 with a （一）… section per domain and
//! each indicator's value, standard, judgement and explanation; 三、未达标指标及牵头部门; 四、目标进展预警 (when
//! progress results are given: [`report`] takes them as an optional typed input, [`zone_report`] computes them
//! with `ecociv-progress`); 五、重点工程投资 (Table 4-1); 六、主要指标变化趋势 (charts as PNG); 附：数据说明.
//!
//! Fonts are named for East Asian text: 黑体 for headings, 宋体 for tables and the cover, 仿宋 for body
//! text, with Times New Roman for Latin text, so the document opens correctly in WPS and Word (LibreOffice
//! substitutes installed CJK fonts). Page: A4 portrait with the usual government-document margins.
//!
//! Pure: the charts are rasterised with the fonts the caller hands in; bytes out.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Shading,
    SpecialIndentType, Table, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};
use ecociv_chart::LineChart;
use ecociv_chart::png::Fonts;
use ecociv_core::zone::TargetKind;
use ecociv_core::{Assessment, Attribute, Framework, RowAssessment, Status, Value, Zone, assess};

use crate::common::{ReportError, departments, target_text, target_years};
use crate::xlsx::project_totals;

/// A row at risk of missing a plan target (目标预警), from a progress evaluation. Optional input: the
/// report says so when none is given.
#[derive(Debug, Clone, PartialEq)]
pub struct AtRisk {
    /// Row id, e.g. `7.1`.
    pub row: String,
    pub name: String,
    pub target_year: i32,
    /// The target as the plan prints it.
    pub target: String,
    /// What the evaluation says, e.g. `按当前趋势预计2025年为93.1，低于目标95`.
    pub outlook: String,
    pub lead_departments: Vec<String>,
}

/// What the report is made from.
#[derive(Debug, Clone)]
pub struct DocxInput<'a> {
    pub framework: &'a Framework,
    pub zone: &'a Zone,
    pub year: i32,
    /// Progress results: `None` when no progress evaluation was run (the section says so), `Some(empty)`
    /// when it found no row at risk.
    pub at_risk: Option<Vec<AtRisk>>,
    /// Forecast values by row id (e.g. a progress evaluation's forecast of the target-year value), drawn
    /// dashed on the row's chart. Empty when none.
    pub forecasts: std::collections::BTreeMap<String, Vec<(i32, f64)>>,
    /// Notes for the appendix (how the data were produced, caveats).
    pub notes: Vec<String>,
}

/// The document, and what the caller should tell the user about it.
#[derive(Debug, Clone)]
pub struct DocxOutput {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
    /// Rows charted, in order.
    pub charted: Vec<String>,
}

const HEI: &str = "黑体";
const SONG: &str = "宋体";
const FANG: &str = "仿宋";
const LATIN: &str = "Times New Roman";

/// A4 portrait in twips, and margins 3.7 / 3.5 / 2.8 / 2.6 cm (the GB/T 9704 layout).
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

/// A run of text in a font family and size (half-points: 32 = 三号 16 pt, 28 = 四号 14 pt, 21 = 五号 10.5 pt).
fn run(text: &str, family: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(family)).size(size)
}

fn heading1(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEI, 32))
        .outline_lvl(0)
        .line_spacing(LineSpacing::new().before(240).after(120))
}

fn heading2(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEI, 28).bold())
        .outline_lvl(1)
        .line_spacing(LineSpacing::new().before(160).after(80))
}

fn heading3(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANG, 28).bold())
        .outline_lvl(2)
        .line_spacing(LineSpacing::new().before(80))
}

/// A body paragraph: 仿宋 四号, first line indented two characters.
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANG, 28))
        .indent(None, Some(SpecialIndentType::FirstLine(560)), None, None)
        .line_spacing(LineSpacing::new().after(60))
}

fn centred(text: &str, family: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, family, size))
        .align(AlignmentType::Center)
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

/// A table cell with text in 宋体 五号.
fn cell(text: &str, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(Paragraph::new().add_run(run(text, SONG, 21)))
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

fn centre_cell(text: &str, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(run(text, SONG, 21))
                .align(AlignmentType::Center),
        )
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

fn header_cell(text: &str, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(run(text, SONG, 21).bold())
                .align(AlignmentType::Center),
        )
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .shading(Shading::new().fill("D9E1F2"))
}

/// Scales column weights to the text width.
fn widths(weights: &[usize]) -> Vec<usize> {
    let total: usize = weights.iter().sum::<usize>().max(1);
    weights.iter().map(|w| w * TEXT_WIDTH / total).collect()
}

fn table(widths: Vec<usize>, rows: Vec<TableRow>) -> Table {
    Table::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// Chinese ordinal numbers for section headings (一 … 二十).
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

fn value_with_unit(entry: &RowAssessment) -> String {
    match &entry.value {
        None => "无数据".to_string(),
        Some(Value::Number(_)) => {
            let unit = match entry.unit.as_str() {
                "-" | "" => String::new(),
                "%" => "%".to_string(),
                other => format!(" {other}"),
            };
            format!(
                "{}{}",
                entry.value.as_ref().map(Value::display).unwrap_or_default(),
                unit
            )
        }
        Some(other) => other.display(),
    }
}

/// The charts the report shows: each numeric row with at least two years on record up to `year`, and
/// each numeric row not met in `year`; with the standard's threshold when the criterion is a single
/// figure, and the plan's numeric targets.
pub fn charts(framework: &Framework, zone: &Zone, year: i32) -> Vec<(String, LineChart)> {
    let assessment = assess(framework, zone, year);
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
        let not_met = assessment
            .rows
            .iter()
            .any(|entry| entry.id == row.id && entry.status == Status::NotMet);
        if series.is_empty() || (series.len() < 2 && !not_met) {
            continue;
        }
        let name = if indicator.has_sub_rows() {
            format!("{}—{}", indicator.name, row.name)
        } else {
            row.name.clone()
        };
        let mut chart = LineChart::new(name, row.unit.clone());
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

/// The report.
pub fn report(input: &DocxInput<'_>, chart_fonts: &Fonts) -> Result<DocxOutput, ReportError> {
    let (framework, zone, year) = (input.framework, input.zone, input.year);
    let assessment = assess(framework, zone, year);
    let mut warnings = Vec::new();
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center),
    );
    let mut doc = Docx::new()
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
        .default_size(28)
        .footer(footer)
        // No page number on the cover.
        .title_pg()
        .first_footer(Footer::new().add_paragraph(Paragraph::new()));

    // Cover.
    doc = doc
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(2400)))
        .add_paragraph(centred(&zone.profile.name, HEI, 44).line_spacing(LineSpacing::new().after(240)))
        .add_paragraph(centred("国家生态文明建设示范区建设", HEI, 44).line_spacing(LineSpacing::new().after(240)))
        .add_paragraph(centred(&format!("{year}年度自评估报告"), HEI, 44).line_spacing(LineSpacing::new().after(1600)));
    // Parents not already part of the zone's name (柳州市城中区 under 柳州市).
    let parents: Vec<&str> = zone
        .profile
        .parents
        .iter()
        .map(|p| p.name.as_str())
        .filter(|name| !zone.profile.name.starts_with(name))
        .collect();
    for line in [
        format!(
            "区域：{}{}（行政区划代码 {}）",
            parents.join(""),
            zone.profile.name,
            zone.profile.code
        ),
        format!("评估依据：《{}》", framework.name),
        format!("规划：《{}》", zone.plan.title),
        format!("评估年份：{year}年"),
    ] {
        doc = doc.add_paragraph(centred(&line, SONG, 28).line_spacing(LineSpacing::new().after(120)));
    }
    doc = doc.add_paragraph(page_break());

    let mut section = 0;
    let mut next = || {
        section += 1;
        chinese_number(section)
    };

    // 一、总体情况
    doc = doc.add_paragraph(heading1(&format!("{}、总体情况", next())));
    doc = summary(doc, &assessment);

    // 二、指标达标情况
    doc = doc.add_paragraph(heading1(&format!("{}、指标达标情况", next())));
    doc = domains(doc, framework, zone, &assessment);

    // 三、未达标指标
    doc = doc.add_paragraph(heading1(&format!("{}、未达标指标及牵头部门", next())));
    doc = not_met(doc, &assessment);

    // 四、目标进展预警
    doc = doc.add_paragraph(heading1(&format!("{}、目标进展预警", next())));
    doc = at_risk(doc, input.at_risk.as_deref());

    // 五、重点工程投资
    doc = doc.add_paragraph(heading1(&format!("{}、重点工程项目投资", next())));
    doc = projects(doc, zone);

    // 六、趋势图
    doc = doc.add_paragraph(heading1(&format!("{}、主要指标变化趋势", next())));
    let mut charts = charts(framework, zone, year);
    for (row, chart) in &mut charts {
        if let Some(forecast) = input.forecasts.get(row.as_str()) {
            chart.forecast = forecast.clone();
        }
    }
    if !chart_fonts.has_cjk() {
        warnings.push("未找到中文字体，图表中的中文标签无法显示；Debian 请安装 fonts-noto-cjk (no CJK font found: chart labels are missing)".to_string());
    }
    let mut charted = Vec::new();
    if charts.is_empty() {
        doc = doc.add_paragraph(body(
            "本年度无可绘制趋势图的数值型指标（需至少两个年份的数值，或当年未达标）。",
        ));
    } else {
        doc = doc.add_paragraph(body(
            "下图为有两个及以上年份数值、或本年度未达标的数值型指标的历年变化；红色虚线为标准值，菱形为规划目标值，浅蓝虚线为预测值（如有）。",
        ));
    }
    for (k, (row, chart)) in charts.iter().enumerate() {
        match chart.to_png(chart_fonts, 2.0) {
            Ok(png) => {
                // 15 cm wide, height in proportion (EMU: 914400 per inch, 360000 per cm).
                let width_emu: u32 = 15 * 360_000;
                let height_emu = (f64::from(width_emu) * f64::from(png.height) / f64::from(png.width.max(1))) as u32;
                let pic = Pic::new_with_dimensions(png.bytes, png.width, png.height).size(width_emu, height_emu);
                doc = doc
                    .add_paragraph(
                        Paragraph::new()
                            .add_run(Run::new().add_image(pic))
                            .align(AlignmentType::Center),
                    )
                    .add_paragraph(
                        centred(&format!("图{} {}（指标 {}）", k + 1, chart.title, row), SONG, 21)
                            .line_spacing(LineSpacing::new().after(200)),
                    );
                charted.push(row.clone());
            }
            Err(error) => warnings.push(format!("指标 {row} 的趋势图无法生成：{error}")),
        }
    }

    // 附：数据说明
    doc = doc.add_paragraph(heading1("附：数据说明"));
    let mut notes = vec![
        format!(
            "判定依据《{}》（版本 {}），由 ecociv 按标准逐项计算；“据记载”表示标准规则无法判定（如缺少上级下达值）时采用文件记载的结论。",
            framework.name, framework.edition
        ),
        format!(
            "区域类型：{}。",
            zone.profile
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("，")
        ),
    ];
    let synthetic: Vec<&str> = assessment
        .rows
        .iter()
        .filter(|entry| entry.source.as_ref().is_some_and(|source| source.is_synthetic()))
        .map(|entry| entry.id.as_str())
        .collect();
    if !synthetic.is_empty() {
        notes.push(format!(
            "以下指标的数值为合成数据（SYNTHETIC），仅供演示：{}。",
            synthetic.join("、")
        ));
    }
    notes.extend(input.notes.iter().cloned());
    notes.extend(warnings.iter().cloned());
    for (k, note) in notes.iter().enumerate() {
        doc = doc.add_paragraph(body(&format!("{}. {note}", k + 1)));
    }

    let mut bytes = Vec::new();
    doc.build()
        .pack(std::io::Cursor::new(&mut bytes))
        .map_err(|error| ReportError::Docx(error.to_string()))?;
    Ok(DocxOutput {
        bytes,
        warnings,
        charted,
    })
}

/// A row that carries a value: a sub-indicator, or an indicator without sub-indicators.
fn is_leaf(entry: &RowAssessment, assessment: &Assessment) -> bool {
    !(entry.is_indicator
        && assessment
            .rows
            .iter()
            .any(|sub| !sub.is_indicator && sub.indicator == entry.id))
}

fn summary(mut doc: Docx, assessment: &Assessment) -> Docx {
    let indicators: Vec<&RowAssessment> = assessment.rows.iter().filter(|entry| entry.is_indicator).collect();
    let count = |attribute: Option<Attribute>, status: Option<Status>| {
        indicators
            .iter()
            .filter(|entry| attribute.is_none_or(|a| entry.attribute == a) && status.is_none_or(|s| entry.status == s))
            .count()
    };
    let readiness = &assessment.readiness;
    doc = doc.add_paragraph(body(&format!(
        "对照《{}》，{}{}年共评估指标 {} 项（含子指标共 {} 行），其中达标 {} 项、不达标 {} 项、无数据 {} 项。",
        assessment.framework_name,
        assessment.zone_name,
        assessment.year,
        indicators.len(),
        assessment
            .rows
            .iter()
            .filter(|entry| is_leaf(entry, assessment))
            .count(),
        count(None, Some(Status::Met)),
        count(None, Some(Status::NotMet)),
        count(None, Some(Status::NoData)),
    )));
    doc = doc.add_paragraph(body(&format!("创建条件：{}。", readiness.explanation.zh)));
    let w = widths(&[3, 2, 2, 2, 2]);
    let mut rows = vec![TableRow::new(vec![
        header_cell("指标类别", w[0]),
        header_cell("指标数", w[1]),
        header_cell("达标", w[2]),
        header_cell("不达标", w[3]),
        header_cell("无数据", w[4]),
    ])];
    for (label, attribute) in [
        ("约束性指标", Some(Attribute::Binding)),
        ("参考性指标", Some(Attribute::Reference)),
        ("合计", None),
    ] {
        rows.push(TableRow::new(vec![
            centre_cell(label, w[0]),
            centre_cell(&count(attribute, None).to_string(), w[1]),
            centre_cell(&count(attribute, Some(Status::Met)).to_string(), w[2]),
            centre_cell(&count(attribute, Some(Status::NotMet)).to_string(), w[3]),
            centre_cell(&count(attribute, Some(Status::NoData)).to_string(), w[4]),
        ]));
    }
    doc.add_paragraph(centred(&format!("表1 {}年指标达标情况汇总", assessment.year), HEI, 21))
        .add_table(table(w, rows))
}

fn domains(mut doc: Docx, framework: &Framework, zone: &Zone, assessment: &Assessment) -> Docx {
    for (d, domain) in framework.domains.iter().enumerate() {
        let entries: Vec<&RowAssessment> = assessment
            .rows
            .iter()
            .filter(|entry| entry.domain == domain.name)
            .collect();
        let indicators: Vec<&&RowAssessment> = entries.iter().filter(|entry| entry.is_indicator).collect();
        let met = indicators.iter().filter(|entry| entry.status == Status::Met).count();
        doc = doc.add_paragraph(heading2(&format!("（{}）{}", chinese_number(d + 1), domain.name)));
        doc = doc.add_paragraph(body(&format!(
            "{}领域共 {} 项指标，达标 {} 项。",
            domain.name,
            indicators.len(),
            met
        )));
        for (k, indicator) in indicators.iter().enumerate() {
            doc = doc.add_paragraph(heading3(&format!(
                "{}. {}（指标 {}，{}）",
                k + 1,
                indicator.name,
                indicator.id,
                indicator.attribute.zh()
            )));
            let subs: Vec<&&RowAssessment> = entries
                .iter()
                .filter(|entry| !entry.is_indicator && entry.indicator == indicator.id)
                .collect();
            if subs.is_empty() {
                doc = describe(doc, indicator, zone, None);
            } else {
                doc = doc.add_paragraph(body(&format!(
                    "判定：{}。{}",
                    indicator.status.zh(),
                    indicator.explanation.zh
                )));
                for (j, sub) in subs.iter().enumerate() {
                    doc = describe(doc, sub, zone, Some(j + 1));
                }
            }
        }
    }
    doc
}

/// One row: value, standard, judgement, explanation, targets, lead departments.
fn describe(mut doc: Docx, entry: &RowAssessment, zone: &Zone, sub: Option<usize>) -> Docx {
    let prefix = sub.map(|j| format!("（{j}）{}：", entry.name)).unwrap_or_default();
    let targets: Vec<String> = target_years(zone)
        .into_iter()
        .filter_map(|y| {
            target_text(zone, &entry.id, y).map(|text| format!("{y}年 {}", quoted(text, !looks_numeric(text))))
        })
        .collect();
    let mut line = format!(
        "{prefix}现状值 {}；标准值 {}；判定：{}。",
        quoted(
            &value_with_unit(entry),
            entry.value.as_ref().is_some_and(|v| !matches!(v, Value::Number(_)))
        ),
        quoted(&entry.standard, !looks_numeric(&entry.standard)),
        entry.status.zh()
    );
    if !targets.is_empty() {
        line.push_str(&format!("规划目标：{}。", targets.join("，")));
    }
    if !entry.lead_departments.is_empty() {
        line.push_str(&format!("牵头部门：{}。", departments(&entry.lead_departments)));
    }
    doc = doc.add_paragraph(body(&line));
    let mut explanation = format!("判定说明：{}", entry.explanation.zh);
    for warning in &entry.warnings {
        explanation.push_str(&format!("。注意：{}", warning.zh));
    }
    doc.add_paragraph(body(&explanation))
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

fn not_met(doc: Docx, assessment: &Assessment) -> Docx {
    // Leaf rows not met (a sub-indicator, or an indicator without sub-indicators).
    let leaves: Vec<&RowAssessment> = assessment
        .rows
        .iter()
        .filter(|entry| entry.status == Status::NotMet && is_leaf(entry, assessment))
        .collect();
    if leaves.is_empty() {
        return doc.add_paragraph(body(&format!(
            "{}年全部指标均达标或无数据，无未达标指标。",
            assessment.year
        )));
    }
    let doc = doc.add_paragraph(body(&format!(
        "{}年未达标指标 {} 项，由牵头部门负责推进整改，列表如下。",
        assessment.year,
        leaves.len()
    )));
    let w = widths(&[2, 7, 3, 3, 4, 5]);
    let mut rows = vec![TableRow::new(vec![
        header_cell("编号", w[0]),
        header_cell("指标名称", w[1]),
        header_cell("属性", w[2]),
        header_cell("现状值", w[3]),
        header_cell("标准值", w[4]),
        header_cell("牵头部门", w[5]),
    ])];
    for entry in leaves {
        rows.push(TableRow::new(vec![
            centre_cell(&entry.id, w[0]),
            cell(&entry.name, w[1]),
            centre_cell(entry.attribute.zh(), w[2]),
            centre_cell(&value_with_unit(entry), w[3]),
            centre_cell(&entry.standard, w[4]),
            cell(&departments(&entry.lead_departments), w[5]),
        ]));
    }
    doc.add_paragraph(centred(&format!("表2 {}年未达标指标", assessment.year), HEI, 21))
        .add_table(table(w, rows))
}

fn at_risk(doc: Docx, at_risk: Option<&[AtRisk]>) -> Docx {
    let Some(list) = at_risk else {
        return doc.add_paragraph(body(
            "本报告未包含目标进展评估结果；如需预警，请先运行目标进展评估（ecociv progress）后生成报告。",
        ));
    };
    if list.is_empty() {
        return doc.add_paragraph(body("按目标进展评估，暂无存在不能按期实现规划目标风险的指标。"));
    }
    let doc = doc.add_paragraph(body(&format!(
        "按目标进展评估，以下 {} 项指标存在不能按期实现规划目标的风险。",
        list.len()
    )));
    let w = widths(&[2, 6, 3, 4, 8, 5]);
    let mut rows = vec![TableRow::new(vec![
        header_cell("编号", w[0]),
        header_cell("指标名称", w[1]),
        header_cell("目标年", w[2]),
        header_cell("目标值", w[3]),
        header_cell("进展判断", w[4]),
        header_cell("牵头部门", w[5]),
    ])];
    for item in list {
        rows.push(TableRow::new(vec![
            centre_cell(&item.row, w[0]),
            cell(&item.name, w[1]),
            centre_cell(&item.target_year.to_string(), w[2]),
            centre_cell(&item.target, w[3]),
            cell(&item.outlook, w[4]),
            cell(&departments(&item.lead_departments), w[5]),
        ]));
    }
    doc.add_paragraph(centred("表3 目标进展预警", HEI, 21))
        .add_table(table(w, rows))
}

fn projects(doc: Docx, zone: &Zone) -> Docx {
    if zone.plan.projects.is_empty() {
        return doc.add_paragraph(body("规划未列出重点工程项目。"));
    }
    let (count, investment) = project_totals(zone);
    let doc = doc.add_paragraph(body(&format!(
        "规划共安排重点工程项目 {count} 项，分 {} 类，估算总投资 {} 万元（表4-1）。",
        zone.plan.projects.len(),
        money(investment)
    )));
    let w = widths(&[2, 3, 11, 3, 4]);
    let mut rows = vec![TableRow::new(vec![
        header_cell("序号", w[0]),
        header_cell("项目名称", w[1]),
        header_cell("项目主要内容", w[2]),
        header_cell("项目数（项）", w[3]),
        header_cell("投资金额（万元）", w[4]),
    ])];
    for project in &zone.plan.projects {
        rows.push(TableRow::new(vec![
            centre_cell(&project.number.to_string(), w[0]),
            centre_cell(&project.category, w[1]),
            cell(&project.content, w[2]),
            centre_cell(&project.count.to_string(), w[3]),
            centre_cell(&money(project.investment_wan_yuan), w[4]),
        ]));
    }
    rows.push(TableRow::new(vec![
        centre_cell("合计", w[0] + w[1] + w[2]).grid_span(3),
        centre_cell(&count.to_string(), w[3]),
        centre_cell(&money(investment), w[4]),
    ]));
    doc.add_paragraph(centred(
        &format!("表4-1 《{}》重点工程项目投资估算表", zone.plan.title),
        HEI,
        21,
    ))
    .add_table(table(w, rows))
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

/// The report of a zone and year as the CLI and the web pages offer it: with the rows at risk of
/// missing each of the plan's later target years and their forecasts from `ecociv-progress` when
/// `with_progress` is set (the method is named in the data note).
pub fn zone_report(
    framework: &Framework,
    zone: &Zone,
    year: i32,
    with_progress: bool,
    fonts: &Fonts,
) -> Result<DocxOutput, ReportError> {
    let mut notes = Vec::new();
    let mut forecasts: std::collections::BTreeMap<String, Vec<(i32, f64)>> = std::collections::BTreeMap::new();
    let at_risk = if with_progress {
        let mut list = Vec::new();
        for target_year in target_years(zone)
            .iter()
            .copied()
            .filter(|t| *t > zone.plan.base_year && *t >= year)
        {
            let progress = ecociv_progress::zone::zone_progress(framework, zone, target_year);
            for row in &progress.rows {
                if let Some(forecast) = row.forecast.filter(|value| value.is_finite()) {
                    forecasts
                        .entry(row.id.clone())
                        .or_default()
                        .push((target_year, forecast));
                }
            }
            for row in progress.rows.iter().filter(|row| row.at_risk) {
                let mut outlook: Vec<String> = row
                    .warning
                    .reasons
                    .iter()
                    .map(|reason| reason.label_zh().to_string())
                    .collect();
                if let Some(forecast) = row.forecast {
                    outlook.push(format!("预测{target_year}年 {}", ecociv_core::num::show(forecast)));
                }
                if let Some(need) = &row.required_change_text {
                    outlook.push(need.zh.clone());
                }
                list.push(AtRisk {
                    row: row.id.clone(),
                    name: row.name.clone(),
                    target_year,
                    target: row.target_text.clone().unwrap_or_default(),
                    outlook: outlook.join("；"),
                    lead_departments: row.lead_departments.clone(),
                });
            }
        }
        notes.push(format!("目标进展预警的测算方法：{}。", ecociv_progress::EDITION));
        Some(list)
    } else {
        None
    };
    report(
        &DocxInput {
            framework,
            zone,
            year,
            at_risk,
            forecasts,
            notes,
        },
        fonts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(6), "六");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(35), "三十五");
    }

    #[test]
    fn money_is_grouped() {
        assert_eq!(money(396229.77), "396,229.77");
        assert_eq!(money(249.0), "249.00");
        assert_eq!(money(1211.0), "1,211.00");
        assert_eq!(money(0.0), "0.00");
    }
}
