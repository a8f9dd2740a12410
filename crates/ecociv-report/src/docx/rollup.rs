//! The Word summary of a city's or a province's roll-up for a year (示范区创建情况汇总), laid out like the
//! yearly report and the bulletin (GB/T 9704-2012: A4, the standard's margins, 方正小标宋 title, 黑体
//! headings, 仿宋 三号 body, `— 2 —` page numbers, the issuing unit and date at the end): 总体情况 (zones,
//! compared, ready and their share, not reported, another edition), for a province 各市创建情况 (each city's
//! zones, compared, ready, not reported and the binding indicators its zones fail, from
//! `ecociv_progress::rollup::by_parent`), 各区域达标情况 (the standings), 约束性指标未达标情况 (binding
//! indicators by how many zones fail them), 各指标分布情况 (each row's met / not met / no data and its
//! minimum, median and maximum with its unit, in the row's precision), 未报送区域. Every table's header row is
//! repeated at the top of each page it runs onto (`w:tblHeader`, [`super::pack_repeating_headers`]).
//!
//! Takes the computed roll-up (`ecociv_progress::rollup::Rollup`, through `crate::rollup::RollupInput`),
//! never computes a verdict; its texts are the tables' (`crate::rollup`), so it cannot disagree with the
//! page, the CSV or the workbook.

use docx_rs::{LineSpacing, TableRow};

use super::{
    ERHAO, FANG, SANHAO, TITLE, WUHAO, XIAOWU, body, caption, cell_sized, centred, chinese_number, header_cell,
    heading1, item, table, widths,
};
use crate::common::ReportError;
use crate::rollup::RollupInput;

/// A city's line of a province's summary: its name and its zones' roll-up (`ecociv_progress::rollup::by_parent`).
pub type CityLine = (String, ecociv_progress::rollup::Rollup);

/// The issuing unit and the date of the summary.
pub struct Signature<'a> {
    pub issuer: &'a str,
    /// As GB/T 9704 writes it (`2026年12月4日`).
    pub date: String,
}

/// A Word table: a header row in 黑体 and the rows in 宋体 of `size`; every column centred but the `left` one
/// (the names). No row is split across two pages (`w:cantSplit`); the header row repeats on each page
/// ([`super::pack_repeating_headers`]).
fn grid(headers: &[&str], rows: &[Vec<String>], weights: &[usize], size: usize, left: usize) -> docx_rs::Table {
    let w = widths(weights);
    let mut out = vec![
        TableRow::new(
            headers
                .iter()
                .enumerate()
                .map(|(i, h)| header_cell(h, w[i], size))
                .collect(),
        )
        .cant_split(),
    ];
    for cells in rows {
        out.push(
            TableRow::new(
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| cell_sized(c, w[i], size, i != left))
                    .collect(),
            )
            .cant_split(),
        );
    }
    table(w, out)
}

/// The binding indicators a roll-up's zones fail, as the per-city table writes them: `1 生态文明建设规划（2）、…`
/// (the indicator, and how many zones fail it), `—` when none.
fn failures_text(rollup: &ecociv_progress::rollup::Rollup) -> String {
    if rollup.binding_failures.is_empty() {
        return "—".into();
    }
    rollup
        .binding_failures
        .iter()
        .map(|(id, name, count)| format!("{id} {name}（{count}）"))
        .collect::<Vec<_>>()
        .join("、")
}

/// The summary as a .docx; `cities`: a province's cities (empty for a city's summary: no per-city part).
pub fn summary(
    input: &RollupInput<'_>,
    cities: &[CityLine],
    signature: &Signature<'_>,
) -> Result<Vec<u8>, ReportError> {
    let r = input.rollup;
    // Sections and tables are numbered as they come (the per-city part is a province's only).
    let mut section = 0;
    let mut heading = |title: &str| {
        section += 1;
        heading1(&format!("{}、{title}", chinese_number(section)), None)
    };
    let mut table_no = 0;
    let mut table_caption = |title: &str| {
        table_no += 1;
        caption(&format!("表{table_no}　{title}")).keep_next(true)
    };
    let mut doc = super::document();
    doc = doc
        .add_paragraph(
            centred(&format!("{}{}年度", input.scope_name, r.year), TITLE, ERHAO)
                .line_spacing(LineSpacing::new().before(600)),
        )
        .add_paragraph(centred("生态文明建设示范区创建情况汇总", TITLE, ERHAO))
        .add_paragraph(
            centred(&format!("（{}）", input.framework.name), FANG, SANHAO).line_spacing(LineSpacing::new().after(480)),
        );

    // 一、总体情况
    doc = doc.add_paragraph(heading("总体情况"));
    let mut overview = format!(
        "{}范围内共有创建区域 {} 个，其中 {} 个已报送{}年度数据并参与比较；参与比较的区域中，达到创建要求的 {} 个，占 {}。",
        input.scope_name,
        r.zones,
        r.compared,
        r.year,
        r.ready,
        input.ready_share(),
    );
    if !r.not_reported.is_empty() {
        // 未报送区域 is the last part: the fifth, the sixth with the per-city part.
        let last = if cities.is_empty() { 5 } else { 6 };
        overview.push_str(&format!(
            "尚未报送的区域 {} 个（见第{}部分）。",
            r.not_reported.len(),
            chinese_number(last)
        ));
    }
    if !r.other_edition.is_empty() {
        overview.push_str(&format!(
            "另有 {} 个区域按其他版本的指标体系评估，未纳入比较：{}。",
            r.other_edition.len(),
            r.other_edition
                .iter()
                .map(|code| input.name_of(code).to_string())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    doc = doc.add_paragraph(body(&overview));
    doc = doc.add_paragraph(body(&format!(
        "各区域的判定均依据{}（版本 {}）和各区域已审核通过的数据；数值按各指标规定的精度和单位列出。",
        input.framework.name, r.framework_edition
    )));

    // 各市创建情况 (a province)
    if !cities.is_empty() {
        doc = doc.add_paragraph(heading("各市创建情况"));
        let rows: Vec<Vec<String>> = cities
            .iter()
            .map(|(name, c)| {
                vec![
                    name.clone(),
                    c.zones.to_string(),
                    c.compared.to_string(),
                    c.ready.to_string(),
                    c.not_reported.len().to_string(),
                    failures_text(c),
                ]
            })
            .collect();
        doc = doc
            .add_paragraph(table_caption(&format!("{}年度各市创建情况", r.year)))
            .add_table(grid(
                &[
                    "市",
                    "区域数",
                    "参与比较",
                    "达到创建要求",
                    "未报送",
                    "约束性指标未达标（区域数）",
                ],
                &rows,
                &[4, 2, 2, 3, 2, 9],
                WUHAO,
                5,
            ));
    }

    // 各区域达标情况
    doc = doc.add_paragraph(heading("各区域达标情况"));
    if r.standings.is_empty() {
        doc = doc.add_paragraph(body("本年度尚无区域参与比较。"));
    } else {
        let rows: Vec<Vec<String>> = r
            .standings
            .iter()
            .map(|s| {
                vec![
                    s.rank.to_string(),
                    s.name.clone(),
                    input.state_of(&s.code).to_string(),
                    format!("{}/{}", s.binding_met, s.binding_total),
                    format!("{}/{}", s.reference_met, s.reference_total),
                ]
            })
            .collect();
        doc = doc
            .add_paragraph(table_caption(&format!("{}年度各区域达标情况", r.year)))
            .add_table(grid(
                &["排名", "区域", "状态", "约束性指标达标", "参考性指标达标"],
                &rows,
                &[2, 5, 5, 4, 4],
                WUHAO,
                1,
            ));
    }

    // 约束性指标未达标情况
    doc = doc.add_paragraph(heading("约束性指标未达标情况"));
    if r.binding_failures.is_empty() {
        doc = doc.add_paragraph(body("参与比较的区域约束性指标均已达标。"));
    } else {
        doc = doc.add_paragraph(body(&format!(
            "按未达标（含无数据）的区域数排列，参与比较的 {} 个区域中：",
            r.compared
        )));
        for (n, (id, name, count)) in r.binding_failures.iter().enumerate() {
            doc = doc.add_paragraph(item(&format!(
                "{}．{name}（指标 {id}）：{count} 个区域未达标或无数据。",
                n + 1
            )));
        }
    }

    // 各指标分布情况
    doc = doc.add_paragraph(heading("各指标分布情况"));
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|row| {
            vec![
                row.row.clone(),
                if row.binding {
                    format!("{}（约束性）", row.name)
                } else {
                    row.name.clone()
                },
                row.met.to_string(),
                row.not_met.to_string(),
                row.no_data.to_string(),
                input.figure_with_unit(&row.row, row.min),
                input.figure_with_unit(&row.row, row.median),
                input.figure_with_unit(&row.row, row.max),
            ]
        })
        .collect();
    doc = doc
        .add_paragraph(table_caption(&format!("{}年度各指标在参与比较区域中的分布", r.year)))
        .add_table(grid(
            &["编号", "指标", "达标", "不达标", "无数据", "最小值", "中位数", "最大值"],
            &rows,
            &[2, 9, 2, 2, 2, 4, 4, 4],
            XIAOWU,
            1,
        ));

    // 未报送区域
    doc = doc.add_paragraph(heading("未报送区域"));
    if r.not_reported.is_empty() {
        doc = doc.add_paragraph(body("范围内各区域均已报送本年度数据。"));
    } else {
        doc = doc.add_paragraph(body(&format!(
            "以下 {} 个区域尚未报送{}年度数据（或报送的各项均无数据），请督促其尽快报送：{}。",
            r.not_reported.len(),
            r.year,
            r.not_reported
                .iter()
                .map(|code| input.name_of(code).to_string())
                .collect::<Vec<_>>()
                .join("、")
        )));
    }

    // 落款
    doc = doc
        .add_paragraph(super::body_right(signature.issuer).line_spacing(LineSpacing::new().before(600)))
        .add_paragraph(super::body_right(&signature.date));

    super::pack_repeating_headers(doc)
}
