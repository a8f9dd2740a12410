//! Terminal tables: Chinese labels, widths measured in terminal columns (a CJK character takes two),
//! status in words and, on a terminal, in colour.
//!
//! Why our own and not `comfy-table` or `tabled` (issue 18): the command line prints two fixed layouts
//! (the assessment and the target check); what they need — widths in terminal columns, a long name clipped
//! with `…`, a status word coloured only on a terminal — is `pad`/`clip`/`paint` over `unicode-width`, which
//! is a dependency anyway, and the exact output is pinned by the CLI's snapshot tests. A table crate would
//! bring its own width and wrapping rules (and their changes) for no behaviour missing here.

use std::fmt::Write as _;
use std::io::IsTerminal;

use ecociv_core::targets::TargetCheck;
use ecociv_core::{Assessment, Basis, Status};
use unicode_width::UnicodeWidthStr;

/// Colour only when printing to a terminal and `NO_COLOR` is not set.
pub fn colour_enabled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn paint(text: &str, status: Status, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let code = match status {
        Status::Met => "32",
        Status::NotMet => "31;1",
        Status::NoData => "33",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Shortens a cell to at most `max` terminal columns, marking the cut with "…".
fn clip(text: &str, max: usize) -> String {
    if UnicodeWidthStr::width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + width + 1 > max {
            break;
        }
        out.push(c);
        used += width;
    }
    out.push('…');
    out
}

/// Pads to a width in terminal columns.
fn pad(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

struct Table {
    headers: Vec<String>,
    rows: Vec<(Vec<String>, Option<Status>)>,
}

impl Table {
    /// Renders with the status column (last column) coloured.
    fn render(&self, colour: bool) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self
            .headers
            .iter()
            .map(|h| UnicodeWidthStr::width(h.as_str()))
            .collect();
        for (cells, _) in &self.rows {
            for (index, cell) in cells.iter().enumerate().take(columns) {
                widths[index] = widths[index].max(UnicodeWidthStr::width(cell.as_str()));
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], status: Option<Status>| -> String {
            let mut text = String::new();
            for (index, cell) in cells.iter().enumerate() {
                let padded = pad(cell, widths[index]);
                let shown = match (status, index) {
                    (Some(status), 5) => paint(&padded, status, colour),
                    _ => padded,
                };
                text.push_str(&shown);
                if index + 1 < cells.len() {
                    text.push_str("  ");
                }
            }
            text.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(&self.headers, None));
        let total: usize = widths.iter().sum::<usize>() + 2 * (columns.saturating_sub(1));
        let _ = writeln!(out, "{}", "─".repeat(total));
        for (cells, status) in &self.rows {
            let _ = writeln!(out, "{}", line(cells, *status));
        }
        out
    }
}

/// The assessment as a table like Table 2-1, then readiness, warnings and (optionally) explanations.
pub fn assessment(assessment: &Assessment, explain: bool, colour: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}（{}）{}年 生态文明建设示范区指标评估 — {}",
        assessment.zone_name, assessment.zone_code, assessment.year, assessment.framework_name
    );
    let _ = writeln!(out);
    let mut table = Table {
        headers: ["编号", "指标名称", "属性", "标准值", "现状值", "判定", "依据", "来源"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    let mut domain = String::new();
    for row in &assessment.rows {
        if row.domain != domain {
            domain = row.domain.clone();
            table.rows.push((vec![String::new(), format!("【{domain}】")], None));
        }
        let name = if row.is_indicator {
            row.name.clone()
        } else {
            format!("  └ {}", row.name)
        };
        // Through the one formatter: the row's precision and unit (a derived 97.983871 reads 98%).
        let value = row.value.as_ref().map(|value| row.format.value(value));
        let basis = match row.basis {
            Basis::Rule => "按标准",
            Basis::Recorded => "据记载",
            Basis::Nothing => "",
        };
        let synthetic = row.source.as_ref().is_some_and(|source| source.is_synthetic());
        let basis = if synthetic {
            format!("{basis}（合成数据）")
        } else {
            basis.to_string()
        };
        table.rows.push((
            vec![
                row.id.clone(),
                name,
                row.attribute.zh().to_string(),
                clip(&row.standard, 30),
                clip(&value.unwrap_or_default(), 24),
                row.status.zh().to_string(),
                basis,
                row.source.as_ref().map_or("", |source| source.origin_zh()).to_string(),
            ],
            Some(row.status),
        ));
    }
    out.push_str(&table.render(colour));
    let readiness = &assessment.readiness;
    let _ = writeln!(out);
    let verdict = if readiness.ready { Status::Met } else { Status::NotMet };
    let _ = writeln!(
        out,
        "创建条件 (readiness)：{}",
        paint(if readiness.ready { "具备" } else { "尚不具备" }, verdict, colour)
    );
    let _ = writeln!(out, "  {}", readiness.explanation.zh);
    let warnings: Vec<String> = assessment
        .rows
        .iter()
        .flat_map(|row| {
            row.warnings
                .iter()
                .map(move |warning| format!("  {} {}：{}", row.id, row.name, warning.zh))
        })
        .collect();
    if !warnings.is_empty() {
        let _ = writeln!(out, "\n提示 (warnings)：");
        for warning in warnings {
            let _ = writeln!(out, "{warning}");
        }
    }
    if explain {
        let _ = writeln!(out, "\n判定说明 (explanations)：");
        for row in &assessment.rows {
            let _ = writeln!(out, "  {} {}：{}", row.id, row.name, row.explanation.zh);
        }
    }
    out
}

/// The target checks as a table.
pub fn targets(zone_name: &str, year: i32, checks: &[TargetCheck], colour: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{zone_name} 规划{year}年目标值与标准对照");
    let _ = writeln!(out);
    let mut table = Table {
        headers: ["编号", "指标名称", "标准值", "目标值", "说明", "是否符合标准"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for check in checks {
        let word = match check.status {
            Status::Met => "符合",
            Status::NotMet => "低于标准（须关注）",
            Status::NoData => "不可比较",
        };
        let note = match check.status {
            Status::NotMet => "目标未达标准",
            _ => "",
        };
        table.rows.push((
            vec![
                check.row.clone(),
                check.name.clone(),
                check.standard.clone(),
                check.text.clone(),
                note.to_string(),
                word.to_string(),
            ],
            Some(check.status),
        ));
    }
    out.push_str(&table.render(colour));
    let flagged: Vec<&str> = checks
        .iter()
        .filter(|check| check.flagged())
        .map(|check| check.row.as_str())
        .collect();
    let _ = writeln!(
        out,
        "\n{}",
        if flagged.is_empty() {
            "全部目标值均符合或重述标准。".to_string()
        } else {
            format!("低于标准的目标：{}", flagged.join("、"))
        }
    );
    out
}
