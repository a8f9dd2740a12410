//! `ecociv progress`: progress of a zone toward its plan's 2025 or 2030 targets — the Statistics Canada /
//! Open SDG progress measure per row, the forecasts, the yearly change still needed, and the rows at
//! risk with their lead departments. Glue and presentation only: the computation is
//! `ecociv_progress::zone::zone_progress`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use ecociv_core::num::show;
use ecociv_progress::Status;
use ecociv_progress::zone::{RowMethod, RowReport, ZoneProgress, zone_progress};
use unicode_width::UnicodeWidthStr;

use crate::cmd::{Format, load_zone_with};

#[derive(clap::Args)]
pub struct Args {
    /// 区域目录或内置区域代码，如 450202 (a zone directory, or a bundled zone code)
    #[arg(long)]
    pub zone: String,
    /// 目标年份：2025 或 2030 (the plan's target year)
    #[arg(long, default_value_t = 2025, value_parser = crate::cmd::year_arg)]
    pub target_year: i32,
    /// 数值文件 CSV：indicator,year,value,assigned — 补充或覆盖区域已有数值 (values adding to or overriding the zone's own)
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// 输出格式 (output format)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 表格后逐行给出测算说明 (print each row's calculation after the table)
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = load_zone_with(&args.zone, args.values.as_deref(), None)?;
    let years = loaded.zone.plan.target_years();
    if !years.contains(&args.target_year) {
        anyhow::bail!(
            "规划中没有 {} 年的目标值；有：{} (the plan has no targets for {})",
            args.target_year,
            years.iter().map(i32::to_string).collect::<Vec<_>>().join("、"),
            args.target_year
        );
    }
    if loaded.zone.plan.base_year >= args.target_year {
        anyhow::bail!(
            "目标年 {} 不晚于规划基准年 {} (target year not after the base year)",
            args.target_year,
            loaded.zone.plan.base_year
        );
    }
    let progress = zone_progress(&loaded.framework, &loaded.zone, args.target_year);
    let text = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&progress)?),
        Format::Table => table(&progress, args.explain),
    };
    // A closed pipe (`| head`) ends the output quietly instead of panicking in `print!`.
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn pad(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

pub(crate) fn clip(text: &str, max: usize) -> String {
    if UnicodeWidthStr::width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthStr::width(c.to_string().as_str());
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

pub(crate) fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| UnicodeWidthStr::width(*h)).collect();
    for cells in rows {
        for (i, cell) in cells.iter().enumerate().take(widths.len()) {
            widths[i] = widths[i].max(UnicodeWidthStr::width(cell.as_str()));
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let parts: Vec<String> = cells.iter().enumerate().map(|(i, c)| pad(c, widths[i])).collect();
        parts.join("  ").trim_end().to_string()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(headers.to_vec()));
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    let _ = writeln!(out, "{}", "─".repeat(total));
    for cells in rows {
        let _ = writeln!(out, "{}", line(cells.iter().map(String::as_str).collect()));
    }
    out
}

fn with_unit(value: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{}%", show(value)),
        "" | "-" => show(value),
        other => format!("{} {other}", show(value)),
    }
}

/// Decimals written in a figure as the tables print it (`0.1422` → 4).
fn decimals(value: f64) -> usize {
    show(value).split('.').nth(1).map_or(0, str::len)
}

/// A forecast shown with one decimal more than the latest value (at least 1, at most 6), so that
/// 22.608334 prints as 22.61 next to 22.3.
fn forecast_text(value: f64, latest: Option<f64>, unit: &str) -> String {
    let places = latest.map_or(2, |v| decimals(v) + 1).clamp(1, 6);
    let rounded: f64 = format!("{value:.places$}").parse().unwrap_or(value);
    with_unit(rounded, unit)
}

fn trajectory(row: &RowReport) -> String {
    match row.progress.as_ref() {
        Some(p) => match (p.base_year, p.base_value, p.current_year, p.current_value) {
            (Some(by), Some(bv), Some(cy), Some(cv)) if by != cy => {
                format!("{by}:{} → {cy}:{}", show(bv), show(cv))
            }
            (_, _, Some(cy), Some(cv)) => format!("{cy}:{}", show(cv)),
            _ => String::new(),
        },
        None => match (row.latest_year, &row.latest_value) {
            (Some(y), Some(v)) => format!("{y}:{v}"),
            _ => String::new(),
        },
    }
}

fn status_word(row: &RowReport) -> String {
    match row.qualitative_status {
        Some(q) => q.label_zh().to_string(),
        None => row.status.label_zh().to_string(),
    }
}

/// The progress as a table, Chinese first: every row, then the rows at risk with what each needs and
/// who leads it, then the aggregates, then each row's calculation (with `explain`) and the count of rows
/// that cannot be assessed. Each step below writes one part from the computed `ZoneProgress`.
pub fn table(p: &ZoneProgress, explain: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}（{}）规划{}年目标进展评估 (progress toward the {} targets) — 基准年 {}",
        p.zone_name, p.zone, p.target_year, p.target_year, p.base_year
    );
    let _ = writeln!(
        out,
        "方法：加拿大统计局／Open SDG 进展测算法；预测：UNSD外推与加权线性趋势 (method: {})",
        p.method_edition
    );
    let _ = writeln!(out);
    rows_table(&mut out, p);
    let _ = writeln!(out);
    at_risk_list(&mut out, p);
    let _ = writeln!(out);
    aggregates_table(&mut out, p);
    if explain {
        let _ = writeln!(out, "\n测算说明 (calculation):");
        for row in &p.rows {
            let _ = writeln!(
                out,
                "  {} {}：{}。{}",
                row.id, row.name, row.treatment.zh, row.explanation.zh
            );
        }
    }
    let not_assessable = p
        .rows
        .iter()
        .filter(|r| r.status == Status::NotAvailable && !r.warning.assessable)
        .count();
    if not_assessable > 0 {
        let _ = writeln!(
            out,
            "\n{not_assessable} 项数据不足无法评估（需基准年起至少两个年份的数值）；用 --explain 查看原因。"
        );
    }
    out
}

/// Every row under its domain's heading line, and the note on synthetic series when a row has one.
fn rows_table(out: &mut String, p: &ZoneProgress) {
    let headers = [
        "编号",
        "指标名称",
        "方法",
        "基准→最新",
        "目标值",
        "预测值",
        "每年需变化",
        "进展状态",
        "预警",
    ];
    let mut rows = Vec::new();
    let mut domain = String::new();
    for row in &p.rows {
        if row.domain != domain {
            domain = row.domain.clone();
            rows.push(vec![String::new(), format!("【{domain}】")]);
        }
        rows.push(row_cells(row));
    }
    out.push_str(&render(&headers, &rows));
    if p.rows.iter().any(|row| !row.synthetic_years.is_empty()) {
        let _ = writeln!(
            out,
            "* 含合成数据（SYNTHETIC，非实测）的序列 (series containing synthetic values)"
        );
    }
}

/// A row's cells: number, name, method, trajectory (starred when synthetic), target, forecast, the
/// yearly change needed, status and warning.
fn row_cells(row: &RowReport) -> Vec<String> {
    let target = match (row.method, row.target, &row.target_text) {
        (RowMethod::Method2Target, Some(t), _) => with_unit(t, &row.unit),
        (_, _, Some(text)) => clip(text, 16),
        _ => "—".to_string(),
    };
    let latest = row.progress.as_ref().and_then(|p| p.current_value);
    let forecast = row
        .forecast
        .map(|f| forecast_text(f, latest, &row.unit))
        .unwrap_or_default();
    let change = row
        .required_change_text
        .as_ref()
        .map(|t| t.zh.clone())
        .unwrap_or_default();
    let mut traj = clip(&trajectory(row), 28);
    if !row.synthetic_years.is_empty() {
        traj.push('*');
    }
    vec![
        row.id.clone(),
        clip(&row.name, 24),
        row.method.label_zh().to_string(),
        traj,
        target,
        forecast,
        change,
        status_word(row),
        if row.at_risk {
            "⚠ 有风险".to_string()
        } else if !row.warning.assessable {
            "无法评估".to_string()
        } else {
            String::new()
        },
    ]
}

/// The rows at risk with their reasons, the change each needs and its lead departments (or: none).
fn at_risk_list(out: &mut String, p: &ZoneProgress) {
    let at_risk: Vec<&RowReport> = p.rows.iter().filter(|r| r.at_risk).collect();
    if at_risk.is_empty() {
        let _ = writeln!(
            out,
            "预警 (at risk)：无。按现有趋势，{}年目标均可达到或已达到。",
            p.target_year
        );
        return;
    }
    let _ = writeln!(
        out,
        "预警：{}年目标有风险的指标 {} 项 (rows at risk)：",
        p.target_year,
        at_risk.len()
    );
    for row in at_risk {
        let reasons: Vec<&str> = row.warning.reasons.iter().map(|r| r.label_zh()).collect();
        let need = row
            .required_change_text
            .as_ref()
            .map(|t| format!("；{}", t.zh))
            .unwrap_or_default();
        let lead = if row.lead_departments.is_empty() {
            "未列明".to_string()
        } else {
            row.lead_departments.join("、")
        };
        let _ = writeln!(
            out,
            "  {} {}：{}{need}；牵头部门：{lead}",
            row.id,
            row.name,
            reasons.join("，")
        );
    }
}

/// The aggregates: each domain, each task and the whole zone with its mean score and status.
fn aggregates_table(out: &mut String, p: &ZoneProgress) {
    let _ = writeln!(out, "汇总（得分为各项平均，−5～5） (aggregates: mean score):");
    let score = |s: Option<f64>| s.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".to_string());
    let mut agg_rows = Vec::new();
    for d in &p.domains {
        agg_rows.push(vec![
            format!("领域 {}", d.name),
            score(d.aggregate.score),
            format!("{}/{}", d.aggregate.children_scored, d.aggregate.children_total),
            d.status.label_zh().to_string(),
        ]);
    }
    for t in &p.tasks {
        agg_rows.push(vec![
            format!("任务 {}", t.name),
            score(t.aggregate.score),
            format!("{}/{}", t.aggregate.children_scored, t.aggregate.children_total),
            t.status.label_zh().to_string(),
        ]);
    }
    agg_rows.push(vec![
        format!("全区 {}", p.zone_name),
        score(p.overall.aggregate.score),
        format!(
            "{}/{}",
            p.overall.aggregate.children_scored, p.overall.aggregate.children_total
        ),
        p.overall.status.label_zh().to_string(),
    ]);
    out.push_str(&render(&["层级", "得分", "已评估/总数", "进展状态"], &agg_rows));
    let _ = writeln!(out, "（汇总只计已评估的子项，按方法原文；未评估的子项见上表与预警。）");
}

#[cfg(test)]
mod tests {
    use super::forecast_text;

    #[test]
    fn forecasts_print_with_one_more_decimal_than_the_data() {
        assert_eq!(forecast_text(22.608334, Some(22.3), "%"), "22.61%");
        assert_eq!(
            forecast_text(0.136364, Some(0.1378), "吨标准煤/万元"),
            "0.13636 吨标准煤/万元"
        );
        assert_eq!(forecast_text(100.0, Some(100.0), "%"), "100%");
        assert_eq!(forecast_text(61.990029, None, ""), "61.99");
    }
}
