//! The roll-up of a city, province or the nation as tables (issue 15): what the page `/rollup/{code}` shows —
//! the summary, each zone's standing, the binding indicators failed most often, each row's distribution
//! across zones, who has not reported, and the comparison (one line per zone: rank, standing, each row's
//! status). One builder ([`tables`]) for every export: CSV (one table, UTF-8 with a BOM, text through
//! `ecociv_csvline::neutralise_formula` — `portal::Table::csv`), Excel (every table a sheet,
//! `portal::workbook`) and the Word summary (`docx::rollup`). Figures are written through each row's
//! `ecociv_core::format::RowFormat` (its precision), the unit in its own column. The edition compared under
//! is on the summary and on every line of the comparison.

use ecociv_core::format::{RowFormat, percent};
use ecociv_core::{Framework, Status};
use ecociv_progress::rollup::{Rollup, ZoneEntry};

use crate::ReportError;
use crate::portal::Table;

/// The comparison's fixed columns before one column per indicator row (named by the row's id and name).
pub const HEADER: [&str; 10] = [
    "范围",
    "年度",
    "排名",
    "区域代码",
    "区域名称",
    "状态",
    "约束性指标达标",
    "参考性指标达标",
    "指标体系",
    "版本",
];

/// The tables of a roll-up, in the page's order; `id` is the CSV's `table=` and `sheet` the Excel sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Summary,
    Standings,
    Failures,
    Rows,
    Missing,
    Zones,
}

impl Part {
    pub const ALL: [Part; 6] = [
        Part::Summary,
        Part::Standings,
        Part::Failures,
        Part::Rows,
        Part::Missing,
        Part::Zones,
    ];

    /// The name in the API's `table=` parameter.
    pub fn id(self) -> &'static str {
        match self {
            Part::Summary => "summary",
            Part::Standings => "standings",
            Part::Failures => "failures",
            Part::Rows => "rows",
            Part::Missing => "missing",
            Part::Zones => "zones",
        }
    }

    /// The Excel sheet's name (Chinese).
    pub fn sheet(self) -> &'static str {
        match self {
            Part::Summary => "汇总",
            Part::Standings => "排名",
            Part::Failures => "约束性指标未达标",
            Part::Rows => "指标分布",
            Part::Missing => "未报送",
            Part::Zones => "逐区比较",
        }
    }

    /// Whether a cell of the table (row and column, header not counted) is a number in a workbook; codes,
    /// row numbers and editions stay text.
    pub fn numeric(self, row: usize, column: usize) -> bool {
        match self {
            // 年度 and the counts.
            Part::Summary => column == 1 && matches!(row, 2 | 6 | 7 | 8 | 10 | 11),
            Part::Standings => column == 0 || column >= 4,
            Part::Failures => matches!(column, 0 | 3 | 4),
            Part::Rows => column >= 4,
            Part::Missing => false,
            Part::Zones => matches!(column, 1 | 2),
        }
    }

    pub fn parse(id: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|part| part.id() == id)
    }
}

/// What a roll-up's documents are made of: the computed roll-up, the scope's zones and the edition.
pub struct RollupInput<'a> {
    pub rollup: &'a Rollup,
    pub scope_name: &'a str,
    pub zones: &'a [ZoneEntry],
    /// The edition compared under (`rollup.framework_id`), for each row's format and the edition's name.
    pub framework: &'a Framework,
}

impl RollupInput<'_> {
    fn format(&self, row: &str) -> Option<RowFormat> {
        self.framework.row(row).map(|(_, row)| row.format())
    }

    /// A figure of a row without its unit, in the row's precision; empty when there is none.
    pub fn figure(&self, row: &str, value: Option<f64>) -> String {
        match (value, self.format(row)) {
            (Some(v), Some(format)) => format.number(v),
            (Some(v), None) => ecociv_core::num::show(v),
            (None, _) => String::new(),
        }
    }

    /// A figure with its unit (`94.5%`, `29 μg/m³`), `—` when there is none.
    pub fn figure_with_unit(&self, row: &str, value: Option<f64>) -> String {
        match (value, self.format(row)) {
            (Some(v), Some(format)) => format.with_unit(v),
            (Some(v), None) => ecociv_core::num::show(v),
            (None, _) => "—".into(),
        }
    }

    /// The unit of a row as a table's unit column writes it.
    pub fn unit(&self, row: &str) -> String {
        self.format(row).map(|f| f.unit_label().to_string()).unwrap_or_default()
    }

    /// A zone's name by code.
    pub fn name_of(&self, code: &str) -> &str {
        self.zones
            .iter()
            .find(|z| z.code == code)
            .map_or("", |z| z.name.as_str())
    }

    /// The state of a zone in the roll-up (达到创建要求, 未达到创建要求, 未报送, another edition).
    pub fn state_of(&self, code: &str) -> &'static str {
        match self.rollup.standings.iter().find(|s| s.code == code) {
            Some(s) if s.ready => "达到创建要求",
            Some(_) => "未达到创建要求",
            None if self.rollup.other_edition.iter().any(|c| c == code) => "其他指标体系版本（未比较）",
            None => "未报送",
        }
    }

    /// The ready zones' share of the compared ones (`75.0%`), `—` when none was compared.
    pub fn ready_share(&self) -> String {
        let r = self.rollup;
        if r.compared == 0 {
            "—".into()
        } else {
            percent(r.ready as f64 / r.compared as f64)
        }
    }
}

/// One table of the roll-up (a step each, from the computed roll-up).
pub fn table(input: &RollupInput<'_>, part: Part) -> Table {
    match part {
        Part::Summary => summary_table(input),
        Part::Standings => standings_table(input),
        Part::Failures => failures_table(input),
        Part::Rows => rows_table(input),
        Part::Missing => missing_table(input),
        Part::Zones => zones_table(input),
    }
}

/// Texts of `cells`.
fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// The summary: scope, year, framework and edition, and the counts of zones compared, ready, not reported
/// and of another edition.
fn summary_table(input: &RollupInput<'_>) -> Table {
    let r = input.rollup;
    Table {
        header: strings(&["项目", "内容"]),
        rows: vec![
            strings(&["范围", input.scope_name]),
            strings(&["范围代码", &r.scope]),
            vec!["年度".into(), r.year.to_string()],
            strings(&["指标体系", &input.framework.name]),
            strings(&["指标体系标识", &r.framework_id]),
            strings(&["版本", &r.framework_edition]),
            vec!["区域数".into(), r.zones.to_string()],
            vec!["参与比较的区域数".into(), r.compared.to_string()],
            vec!["达到创建要求的区域数".into(), r.ready.to_string()],
            vec!["达到创建要求的比例".into(), input.ready_share()],
            vec!["未报送的区域数".into(), r.not_reported.len().to_string()],
            vec![
                "其他指标体系版本的区域数（未比较）".into(),
                r.other_edition.len().to_string(),
            ],
        ],
    }
}

/// The standings: each compared zone's rank, state and the binding, reference and all rows it meets.
fn standings_table(input: &RollupInput<'_>) -> Table {
    let r = input.rollup;
    Table {
        header: strings(&[
            "排名",
            "区域代码",
            "区域名称",
            "状态",
            "约束性指标达标数",
            "约束性指标数",
            "参考性指标达标数",
            "参考性指标数",
            "指标项达标数",
            "指标项数",
        ]),
        rows: r
            .standings
            .iter()
            .map(|s| {
                vec![
                    s.rank.to_string(),
                    s.code.clone(),
                    s.name.clone(),
                    input.state_of(&s.code).to_string(),
                    s.binding_met.to_string(),
                    s.binding_total.to_string(),
                    s.reference_met.to_string(),
                    s.reference_total.to_string(),
                    s.rows_met.to_string(),
                    s.rows_total.to_string(),
                ]
            })
            .collect(),
    }
}

/// The binding rows failed most: each with the number of compared zones that fail it or have no data.
fn failures_table(input: &RollupInput<'_>) -> Table {
    let r = input.rollup;
    Table {
        header: strings(&[
            "序号",
            "指标编号",
            "指标名称",
            "未达标或无数据的区域数",
            "参与比较的区域数",
        ]),
        rows: r
            .binding_failures
            .iter()
            .enumerate()
            .map(|(n, (id, name, count))| {
                vec![
                    (n + 1).to_string(),
                    id.clone(),
                    name.clone(),
                    count.to_string(),
                    r.compared.to_string(),
                ]
            })
            .collect(),
    }
}

/// Each row across the compared zones: met, not met, no data, and the least, median and greatest figure in
/// the row's precision.
fn rows_table(input: &RollupInput<'_>) -> Table {
    let r = input.rollup;
    Table {
        header: strings(&[
            "编号",
            "指标名称",
            "属性",
            "单位",
            "达标",
            "不达标",
            "无数据",
            "有数值的区域数",
            "最小值",
            "中位数",
            "最大值",
        ]),
        rows: r
            .rows
            .iter()
            .map(|row| {
                vec![
                    row.row.clone(),
                    row.name.clone(),
                    if row.binding { "约束性" } else { "参考性" }.to_string(),
                    input.unit(&row.row),
                    row.met.to_string(),
                    row.not_met.to_string(),
                    row.no_data.to_string(),
                    row.figures.to_string(),
                    input.figure(&row.row, row.min),
                    input.figure(&row.row, row.median),
                    input.figure(&row.row, row.max),
                ]
            })
            .collect(),
    }
}

/// The zones that have not reported, with the division above each.
fn missing_table(input: &RollupInput<'_>) -> Table {
    let r = input.rollup;
    Table {
        header: strings(&["区域代码", "区域名称", "上级行政区划代码"]),
        rows: r
            .not_reported
            .iter()
            .map(|code| {
                let parent = input
                    .zones
                    .iter()
                    .find(|z| &z.code == code)
                    .and_then(|z| z.parent.clone())
                    .unwrap_or_default();
                vec![code.clone(), input.name_of(code).to_string(), parent]
            })
            .collect(),
    }
}

/// Every zone a line: rank, state, the binding and reference counts, edition, and each row's status.
fn zones_table(input: &RollupInput<'_>) -> Table {
    let r = input.rollup;
    let mut header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    header.extend(r.rows.iter().map(|row| format!("{} {}", row.row, row.name)));
    let rows = input
        .zones
        .iter()
        .map(|zone| {
            let standing = r.standings.iter().find(|s| s.code == zone.code);
            let mut record: Vec<String> = vec![
                r.scope.clone(),
                r.year.to_string(),
                standing.map(|s| s.rank.to_string()).unwrap_or_default(),
                zone.code.clone(),
                zone.name.clone(),
                input.state_of(&zone.code).to_string(),
                standing
                    .map(|s| format!("{}/{}", s.binding_met, s.binding_total))
                    .unwrap_or_default(),
                standing
                    .map(|s| format!("{}/{}", s.reference_met, s.reference_total))
                    .unwrap_or_default(),
                r.framework_id.clone(),
                r.framework_edition.clone(),
            ];
            for row in &r.rows {
                let status = standing
                    .and(zone.summary.as_ref())
                    .and_then(|summary| summary.rows.iter().find(|x| x.id == row.row))
                    .map(|x| x.status);
                record.push(match status {
                    Some(Status::Met) => "达标".into(),
                    Some(Status::NotMet) => "不达标".into(),
                    Some(Status::NoData) => "无数据".into(),
                    None => String::new(),
                });
            }
            record
        })
        .collect();
    Table { header, rows }
}

/// One table of the roll-up as CSV bytes with a BOM.
pub fn csv(input: &RollupInput<'_>, part: Part) -> Result<Vec<u8>, ReportError> {
    table(input, part).csv()
}

/// Every table of the roll-up as an Excel workbook, one sheet each in the page's order (numbers stored as
/// numbers, in each row's precision).
pub fn workbook(input: &RollupInput<'_>) -> Result<Vec<u8>, ReportError> {
    let tables: Vec<(Part, Table)> = Part::ALL.into_iter().map(|part| (part, table(input, part))).collect();
    let sheets: Vec<(&str, &Table)> = tables.iter().map(|(part, table)| (part.sheet(), table)).collect();
    crate::portal::workbook_with(&sheets, |sheet, row, column| {
        Part::ALL.get(sheet).is_some_and(|part| part.numeric(row, column))
    })
}
