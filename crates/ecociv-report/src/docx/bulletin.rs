//! The bureau's progress bulletin for a reporting period (工作进展情况通报), laid out like the yearly
//! report (GB/T 9704-2012: A4, the standard's margins, 方正小标宋 title, 黑体 headings, 仿宋 三号 body,
//! `— 2 —` page numbers, the issuing unit and date at the end): 一、总体情况 (reports due, filed, on
//! time, approved, returned; the projects' investment against plan), 二、各单位报送情况 (a table per
//! unit), 三、督查督办情况 (open and overdue follow-ups per unit, the overdue items with the rule that
//! flagged them), 四、部门考核得分 (the scores with where their explanation is), 五、工作要求 (the next
//! report's due date, from the rules).
//!
//! Takes computed results (the board as reconciled, the scorecards as scored), never computes a verdict.

use docx_rs::{Docx, LineSpacing, Table, TableRow};
use ecociv_plan::model::{LedgerEntry, Measures};
use ecociv_plan::report::{ReportBook, ReviewState, Subject};
use ecociv_plan::score::Scorecard;
use ecociv_plan::supervision::{Board, EventKind, FollowUp, FollowUpState, SupervisionRules};
use ecociv_plan::{Date, Period, WanYuan};

use super::{
    ERHAO, FANG, SANHAO, TITLE, WUHAO, body, caption, cell_sized, centred, chinese_number, header_cell, heading1, item,
    table, widths,
};
use crate::common::ReportError;

/// Everything the bulletin shows, as the callers computed it.
pub struct BulletinInput<'a> {
    pub zone_name: &'a str,
    /// The issuing unit (the zone's eco-environment bureau).
    pub issuer: &'a str,
    /// The date as GB/T 9704 writes it (`2026年10月20日`).
    pub date: String,
    pub period: Period,
    pub today: Date,
    pub measures: &'a Measures,
    pub ledger: &'a [LedgerEntry],
    pub reports: &'a ReportBook,
    pub board: &'a Board,
    pub rules: &'a SupervisionRules,
    /// The units' scorecards for the period's year.
    pub scorecards: &'a [Scorecard],
}

/// One unit's reports of the period.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UnitReports {
    pub unit: String,
    pub due: usize,
    pub filed: usize,
    pub on_time: usize,
    pub approved: usize,
    pub returned: usize,
}

/// The reports each unit owes for `period` and what became of them (measures by their first lead unit,
/// projects by the ledger's responsible unit, each subject only in the years it runs).
pub fn unit_reports(input: &BulletinInput<'_>) -> Vec<UnitReports> {
    let period = input.period;
    let mut subjects: Vec<(Subject, String)> = input
        .measures
        .measures
        .iter()
        .filter(|m| period.year <= m.deadline)
        .filter_map(|m| m.lead.first().map(|l| (Subject::Measure(m.id.clone()), l.clone())))
        .collect();
    subjects.extend(
        input
            .ledger
            .iter()
            .filter(|l| (l.start_year..=l.end_year).contains(&period.year))
            .map(|l| (Subject::Project(l.project.clone()), l.responsible.clone())),
    );
    let due_date = input.rules.report_due(period);
    let mut out: Vec<UnitReports> = Vec::new();
    for (subject, unit) in subjects {
        let i = match out.iter().position(|u| u.unit == unit) {
            Some(i) => i,
            None => {
                out.push(UnitReports {
                    unit: unit.clone(),
                    ..UnitReports::default()
                });
                out.len() - 1
            }
        };
        let u = &mut out[i];
        u.due += 1;
        if let Some(first) = input.reports.first_filed(&subject, period) {
            u.filed += 1;
            if first <= due_date {
                u.on_time += 1;
            }
        }
        match input.reports.current(&subject, period).map(|r| r.state) {
            Some(ReviewState::Approved) => u.approved += 1,
            Some(ReviewState::Returned) => u.returned += 1,
            _ => {}
        }
    }
    out
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    let x10 = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", x10 / 10, x10 % 10)
}

fn score_text(x100: i64) -> String {
    format!("{}.{:02}", x100 / 100, x100 % 100)
}

/// The bulletin as a .docx: the title and opening, then a section a step — 总体情况, 各单位报送情况,
/// 督查督办情况, 部门考核得分, 工作要求 — and the signature; each from what the callers computed.
pub fn bulletin(input: &BulletinInput<'_>) -> Result<Vec<u8>, ReportError> {
    let period = input.period;
    let mut doc = super::document();
    doc = doc
        .add_paragraph(
            centred(
                &format!("{}国家生态文明建设示范区规划实施", input.zone_name),
                TITLE,
                ERHAO,
            )
            .line_spacing(LineSpacing::new().before(600)),
        )
        .add_paragraph(centred("工作进展情况通报", TITLE, ERHAO))
        .add_paragraph(centred(&format!("（{period}）"), FANG, SANHAO).line_spacing(LineSpacing::new().after(480)))
        .add_paragraph(super::body_flush("各有关单位："));

    let units = unit_reports(input);
    doc = doc.add_paragraph(body(&format!(
        "按照规划实施调度和信息报送制度，现将{period}规划任务和重点工程项目进展情况通报如下（统计截至{}）。",
        input.today
    )));
    doc = overview_section(doc, input, &units);
    doc = units_section(doc, period, &units);
    doc = supervision_section(doc, input);
    doc = scores_section(doc, input);
    doc = requirements_section(doc, input);

    // 落款
    doc = doc
        .add_paragraph(super::body_right(input.issuer).line_spacing(LineSpacing::new().before(600)))
        .add_paragraph(super::body_right(&input.date));

    super::pack(doc)
}

/// 一、总体情况: the reports due, filed, on time, approved and returned, and the projects' investment.
fn overview_section(mut doc: Docx, input: &BulletinInput<'_>, units: &[UnitReports]) -> Docx {
    let period = input.period;
    let due: usize = units.iter().map(|u| u.due).sum();
    let filed: usize = units.iter().map(|u| u.filed).sum();
    let on_time: usize = units.iter().map(|u| u.on_time).sum();
    let approved: usize = units.iter().map(|u| u.approved).sum();
    let returned: usize = units.iter().map(|u| u.returned).sum();
    let due_date = input.rules.report_due(period);
    doc = doc.add_paragraph(heading1(&format!("{}、总体情况", chinese_number(1)), None));
    doc = doc.add_paragraph(body(&format!(
        "本期应报送进展报告 {due} 份（报送期限 {due_date}），已报送 {filed} 份（报送率 {}），按时报送 {on_time} 份（按时率 {}）；\
         审核通过 {approved} 份，退回修改尚未重新审核通过 {returned} 份。",
        pct(filed, due),
        pct(on_time, due),
    )));
    let planned: i64 = input.ledger.iter().map(|l| l.planned_through(period.year).0).sum();
    let spent: i64 = input
        .ledger
        .iter()
        .map(|l| input.reports.approved_spend_through(&l.project, period.year).0)
        .sum();
    if input.ledger.is_empty() {
        return doc.add_paragraph(body("项目台账尚未填报，重点工程项目投资进度暂无法统计。"));
    }
    let share = if planned > 0 {
        format!("，占计划的 {}", pct(spent as usize, planned as usize))
    } else {
        String::new()
    };
    doc.add_paragraph(body(&format!(
        "项目台账已填报重点工程项目 {} 个，截至{}年计划投资 {} 万元，审核通过的支出 {} 万元{share}。",
        input.ledger.len(),
        period.year,
        WanYuan(planned),
        WanYuan(spent),
    )))
}

/// A table of `lines` under `headers`, in columns of widths `w`; every column but the first centred.
fn count_table(w: Vec<usize>, headers: &[&str], lines: Vec<Vec<String>>) -> Table {
    let mut rows = vec![TableRow::new(
        headers
            .iter()
            .enumerate()
            .map(|(i, h)| header_cell(h, w[i], WUHAO))
            .collect(),
    )];
    for cells in lines {
        rows.push(TableRow::new(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| cell_sized(c, w[i], WUHAO, i > 0))
                .collect(),
        ));
    }
    table(w, rows)
}

/// 二、各单位报送情况: each unit's reports (table 1) and the units with reports not yet filed.
fn units_section(mut doc: Docx, period: Period, units: &[UnitReports]) -> Docx {
    doc = doc.add_paragraph(heading1(&format!("{}、各单位报送情况", chinese_number(2)), None));
    let lines = units
        .iter()
        .map(|u| {
            vec![
                u.unit.clone(),
                u.due.to_string(),
                u.filed.to_string(),
                u.on_time.to_string(),
                u.approved.to_string(),
                u.returned.to_string(),
            ]
        })
        .collect();
    // The table before its caption: docx-rs numbers paragraphs as they are made.
    let counts = count_table(
        widths(&[5, 2, 2, 2, 2, 2]),
        &["单位", "应报", "已报", "按时", "审核通过", "退回"],
        lines,
    );
    doc = doc
        .add_paragraph(caption(&format!("表1　{period}各单位进展报告报送情况")))
        .add_table(counts);
    let late: Vec<&UnitReports> = units.iter().filter(|u| u.filed < u.due).collect();
    if late.is_empty() {
        return doc;
    }
    doc.add_paragraph(body(&format!(
        "截至统计日，{} 个单位尚有进展报告未报送：{}。",
        late.len(),
        late.iter()
            .map(|u| format!("{}（{} 份）", u.unit, u.due - u.filed))
            .collect::<Vec<_>>()
            .join("、")
    )))
}

/// 三、督查督办情况: the board's items by state, each owner's open and overdue items (table 2) and the
/// overdue items themselves.
fn supervision_section(mut doc: Docx, input: &BulletinInput<'_>) -> Docx {
    doc = doc.add_paragraph(heading1(&format!("{}、督查督办情况", chinese_number(3)), None));
    let items = &input.board.items;
    let open = items.iter().filter(|i| i.state() == FollowUpState::Open).count();
    let cleared = items.iter().filter(|i| i.state() == FollowUpState::Cleared).count();
    let closed = items.iter().filter(|i| i.state() == FollowUpState::Closed).count();
    let overdue: Vec<&FollowUp> = items.iter().filter(|i| i.overdue(input.today)).collect();
    doc = doc.add_paragraph(body(&format!(
        "督查督办台账共有事项 {} 项：办理中 {open} 项，触发条件已消除待销号 {cleared} 项，已销号 {closed} 项；超过办结期限未销号 {} 项。",
        items.len(),
        overdue.len()
    )));
    let mut owners: Vec<(String, usize, usize)> = Vec::new();
    for i in items.iter().filter(|i| i.state() != FollowUpState::Closed) {
        match owners.iter_mut().find(|(o, _, _)| *o == i.owner) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 += usize::from(i.overdue(input.today));
            }
            None => owners.push((i.owner.clone(), 1, usize::from(i.overdue(input.today)))),
        }
    }
    owners.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)));
    if !owners.is_empty() {
        let lines = owners
            .iter()
            .map(|(owner, n, late)| vec![owner.clone(), n.to_string(), late.to_string()])
            .collect();
        let counts = count_table(widths(&[6, 3, 3]), &["责任单位", "未销号", "其中逾期"], lines);
        doc = doc.add_paragraph(caption("表2　各单位督办事项")).add_table(counts);
    }
    if overdue.is_empty() {
        return doc;
    }
    overdue_list(doc, input, overdue)
}

/// The overdue items by due date, at most 20: subject, owner, the rule that opened it (or by hand), due
/// date and reason.
fn overdue_list(mut doc: Docx, input: &BulletinInput<'_>, mut listed: Vec<&FollowUp>) -> Docx {
    doc = doc.add_paragraph(body("逾期事项如下（按办结期限排列，至多列出 20 项）："));
    listed.sort_by_key(|i| (i.due, i.id.clone()));
    for (n, i) in listed.iter().take(20).enumerate() {
        let rule = i
            .rule
            .as_ref()
            .and_then(|id| input.rules.rules.iter().find(|r| &r.id == id))
            .map_or_else(|| "手工立项".to_string(), |r| format!("督办规则“{}”", r.name));
        let reason = i
            .events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::Opened { reason } => Some(reason.as_str()),
                _ => None,
            })
            .unwrap_or("");
        doc = doc.add_paragraph(item(&format!(
            "{}．{}，责任单位{}，{}立项，应于 {} 办结。事由：{reason}",
            n + 1,
            i.subject,
            i.owner,
            rule,
            i.due
        )));
    }
    doc
}

/// 四、部门考核得分: each unit's score of the year, highest first (table 3), or none this period.
fn scores_section(mut doc: Docx, input: &BulletinInput<'_>) -> Docx {
    let period = input.period;
    doc = doc.add_paragraph(heading1(&format!("{}、部门考核得分", chinese_number(4)), None));
    if input.scorecards.is_empty() {
        return doc.add_paragraph(body("本期无考核得分。"));
    }
    doc = doc.add_paragraph(body(&format!(
        "按部门考核评分规则，截至{}各单位{}年度得分如下；每一得分的逐项计算说明见系统“部门考核”页面。",
        input.today, period.year
    )));
    let mut cards: Vec<&Scorecard> = input.scorecards.iter().collect();
    cards.sort_by(|a, b| b.score_x100.cmp(&a.score_x100).then(a.department.cmp(&b.department)));
    let lines = cards
        .iter()
        .map(|c| vec![c.department.clone(), score_text(c.score_x100)])
        .collect();
    let scores = count_table(widths(&[6, 3]), &["单位", "得分"], lines);
    doc.add_paragraph(caption(&format!("表3　{}年度部门考核得分", period.year)))
        .add_table(scores)
}

/// 五、工作要求: when the next period's reports are due, and what to do with follow-ups.
fn requirements_section(mut doc: Docx, input: &BulletinInput<'_>) -> Docx {
    let period = input.period;
    doc = doc.add_paragraph(heading1(&format!("{}、工作要求", chinese_number(5)), None));
    let next = Period::ended(period.periodicity, period.year, Date::end_of_year(period.year + 1))
        .into_iter()
        .find(|p| *p > period);
    if let Some(next) = next {
        doc = doc.add_paragraph(body(&format!(
            "请各责任单位于 {} 前报送{next}进展报告，并附佐证材料；尚未报送本期报告的单位请尽快补报。",
            input.rules.report_due(next)
        )));
    }
    doc.add_paragraph(body(
        "对督办事项，请责任单位在办结期限前办理并在系统中回复办理情况；触发条件消除后由领导小组办公室销号。",
    ))
}
