//! The plan's own file formats, from text (no IO): `measures.toml`, `key_projects.toml` (a zone's
//! directory, formats documented in their headers) and the rule files (`supervision.toml`,
//! `scorecard.toml`). Every problem names the file, line and field; a file with any problem gives nothing.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::model::{
    DeadlineBasis, KeyProjects, LeadBasis, Measure, Measures, Project, ProjectCategory, QualityNote, SubTarget,
};
use crate::money::WanYuan;

/// One problem in a file, and every problem of a refused file: the project's one located error,
/// `ecociv_csvline::{Located, Refused}` (file, line, column, field, message; Chinese first).
pub use ecociv_csvline::{Located as Problem, Refused as FileError};

pub(crate) struct Collector<'a> {
    file: &'a str,
    text: &'a str,
    pub(crate) problems: Vec<Problem>,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Collector {
            file,
            text,
            problems: Vec::new(),
        }
    }

    /// The line of the first `key = "value"` in the text (how a problem in an entry is located).
    pub(crate) fn line_of(&self, key: &str, value: &str) -> Option<u64> {
        let needle = format!("{key} = \"{value}\"");
        self.text
            .lines()
            .position(|l| l.trim_start().starts_with(&needle))
            .map(|i| i as u64 + 1)
    }

    /// The line of the first `key = ` in the text.
    pub(crate) fn line_of_key(&self, key: &str) -> Option<u64> {
        let needle = format!("{key} =");
        self.text
            .lines()
            .position(|l| l.trim_start().starts_with(&needle))
            .map(|i| i as u64 + 1)
    }

    pub(crate) fn push(&mut self, line: Option<u64>, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            line,
            column: None,
            field: Some(field.to_string()),
            message: message.into(),
            ..Default::default()
        });
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, FileError> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(FileError {
                problems: self.problems,
            })
        }
    }
}

pub(crate) fn from_toml<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, FileError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1);
        FileError {
            problems: vec![Problem {
                file: file.to_string(),
                line,
                column: None,
                field: None,
                message: format!("TOML 格式错误：{} (invalid TOML)", e.message()),
                ..Default::default()
            }],
        }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasures {
    zone: String,
    source: String,
    #[serde(default)]
    measure: Vec<RawMeasure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: String,
    location: String,
    seed_line: u32,
    task: String,
    title: String,
    text: String,
    rows: Vec<String>,
    rows_named: Vec<String>,
    lead: Vec<String>,
    lead_basis: String,
    #[serde(default)]
    cooperating: Vec<String>,
    #[serde(default)]
    external: Vec<String>,
    #[serde(default)]
    streets: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    deadline: i32,
    deadline_basis: String,
    deadline_text: Option<String>,
    recurring: Option<String>,
    note: Option<String>,
    #[serde(default)]
    targets: Vec<RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    what: String,
    value: String,
    unit: Option<String>,
    year: Option<i32>,
    text: String,
}

/// Reads `measures.toml`. `known_rows`, when given, are the framework's row ids: a measure serving an
/// unknown row is refused.
pub fn parse_measures(file: &str, text: &str, known_rows: Option<&[&str]>) -> Result<Measures, FileError> {
    let raw: RawMeasures = from_toml(file, text)?;
    let mut c = Collector::new(file, text);
    let mut seen = BTreeSet::new();
    let mut measures = Vec::new();
    for m in raw.measure {
        let line = c.line_of("id", &m.id);
        if m.id.trim().is_empty() || !seen.insert(m.id.clone()) {
            c.push(
                line,
                "id",
                format!("措施编号“{}”为空或重复 (empty or duplicate id)", m.id),
            );
        }
        for (field, v) in [
            ("task", &m.task),
            ("title", &m.title),
            ("text", &m.text),
            ("location", &m.location),
        ] {
            if v.trim().is_empty() {
                c.push(line, field, "不能为空 (must not be empty)");
            }
        }
        for r in &m.rows_named {
            if !m.rows.contains(r) {
                c.push(line, "rows_named", format!("指标行“{r}”不在 rows 中 (not among rows)"));
            }
        }
        if let Some(known) = known_rows {
            for r in &m.rows {
                if !known.contains(&r.as_str()) {
                    c.push(line, "rows", format!("指标体系中没有指标行“{r}” (unknown row)"));
                }
            }
        }
        let lead_basis = match m.lead_basis.as_str() {
            "seed" => LeadBasis::Seed,
            "derived" => LeadBasis::Derived,
            "unassigned" => LeadBasis::Unassigned,
            other => {
                c.push(line, "lead_basis", format!("“{other}”应为 seed、derived 或 unassigned"));
                LeadBasis::Unassigned
            }
        };
        if (lead_basis == LeadBasis::Unassigned) != m.lead.is_empty() {
            c.push(
                line,
                "lead",
                "unassigned 时牵头单位须为空，否则须有牵头单位 (lead and lead_basis disagree)",
            );
        }
        if lead_basis == LeadBasis::Derived && m.rows.is_empty() {
            c.push(line, "lead_basis", "derived 须有 rows (derived lead without rows)");
        }
        let deadline_basis = match m.deadline_basis.as_str() {
            "seed" => DeadlineBasis::Seed,
            "plan_end" => DeadlineBasis::PlanEnd,
            other => {
                c.push(line, "deadline_basis", format!("“{other}”应为 seed 或 plan_end"));
                DeadlineBasis::PlanEnd
            }
        };
        if deadline_basis == DeadlineBasis::Seed && m.deadline_text.is_none() {
            c.push(
                line,
                "deadline_text",
                "deadline_basis = seed 时须写出原文时限 (seed deadline without its text)",
            );
        }
        if !(2000..=2100).contains(&m.deadline) {
            c.push(
                line,
                "deadline",
                format!("{} 不是合理的年份 (not a plausible year)", m.deadline),
            );
        }
        for t in &m.targets {
            if !m.text.replace(' ', "").contains(&t.text.replace(' ', "")) {
                c.push(
                    line,
                    "targets.text",
                    format!("子目标原文“{}”不在措施原文中 (not in the measure's text)", t.text),
                );
            }
        }
        measures.push(Measure {
            id: m.id,
            location: m.location,
            seed_line: m.seed_line,
            task: m.task,
            title: m.title,
            text: m.text,
            rows: m.rows,
            rows_named: m.rows_named,
            lead: m.lead,
            lead_basis,
            cooperating: m.cooperating,
            external: m.external,
            streets: m.streets,
            places: m.places,
            deadline: m.deadline,
            deadline_basis,
            deadline_text: m.deadline_text,
            recurring: m.recurring,
            note: m.note,
            targets: m
                .targets
                .into_iter()
                .map(|t| SubTarget {
                    what: t.what,
                    value: t.value,
                    unit: t.unit,
                    year: t.year,
                    text: t.text,
                })
                .collect(),
        });
    }
    c.finish(Measures {
        zone: raw.zone,
        source: raw.source,
        measures,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyProjects {
    zone: String,
    source: String,
    total_count: u32,
    total_investment_wan_yuan: String,
    #[serde(default)]
    quality: Vec<RawQuality>,
    #[serde(default)]
    category: Vec<RawCategory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuality {
    id: String,
    category: Option<u32>,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    number: u32,
    name: String,
    seed_line: u32,
    content: String,
    count: u32,
    investment_wan_yuan: String,
    #[serde(default)]
    project: Vec<RawProject>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    id: String,
    name: String,
    rows: Vec<String>,
    rows_named: Vec<String>,
    measures: Vec<String>,
    note: Option<String>,
}

/// Reads `key_projects.toml`; checks the totals row against the categories (the seed's own arithmetic)
/// and, when `measures` is given, that every measure a project names exists.
pub fn parse_key_projects(file: &str, text: &str, measures: Option<&Measures>) -> Result<KeyProjects, FileError> {
    let raw: RawKeyProjects = from_toml(file, text)?;
    let mut c = Collector::new(file, text);
    let total = WanYuan::parse(&raw.total_investment_wan_yuan).unwrap_or_else(|e| {
        c.push(
            c.line_of("total_investment_wan_yuan", &raw.total_investment_wan_yuan),
            "total_investment_wan_yuan",
            e,
        );
        WanYuan(0)
    });
    let mut categories = Vec::new();
    let mut ids = BTreeSet::new();
    for cat in raw.category {
        let cline = c.line_of("name", &cat.name);
        let investment = WanYuan::parse(&cat.investment_wan_yuan).unwrap_or_else(|e| {
            c.push(cline, "investment_wan_yuan", e);
            WanYuan(0)
        });
        let mut projects = Vec::new();
        for p in cat.project {
            let line = c.line_of("id", &p.id);
            if !ids.insert(p.id.clone()) || !p.id.starts_with(&format!("{}.", cat.number)) {
                c.push(
                    line,
                    "id",
                    format!(
                        "项目编号“{}”重复或不属于第 {} 类 (duplicate or wrong category)",
                        p.id, cat.number
                    ),
                );
            }
            if p.name.trim().is_empty() {
                c.push(line, "name", "不能为空 (must not be empty)");
            }
            for r in &p.rows_named {
                if !p.rows.contains(r) {
                    c.push(line, "rows_named", format!("指标行“{r}”不在 rows 中 (not among rows)"));
                }
            }
            if let Some(ms) = measures {
                for m in &p.measures {
                    if ms.get(m).is_none() {
                        c.push(line, "measures", format!("没有编号为“{m}”的措施 (unknown measure)"));
                    }
                }
            }
            projects.push(Project {
                id: p.id,
                category: cat.number,
                name: p.name,
                rows: p.rows,
                rows_named: p.rows_named,
                measures: p.measures,
                note: p.note,
            });
        }
        categories.push(ProjectCategory {
            number: cat.number,
            name: cat.name,
            seed_line: cat.seed_line,
            content: cat.content,
            count: cat.count,
            investment,
            projects,
        });
    }
    let counted: u32 = categories.iter().map(|c| c.count).sum();
    if counted != raw.total_count {
        c.push(
            c.line_of_key("total_count"),
            "total_count",
            format!(
                "各类项目数之和为 {counted}，合计行为 {} (categories do not add up)",
                raw.total_count
            ),
        );
    }
    let summed = WanYuan::sum(categories.iter().map(|c| &c.investment));
    if summed != total {
        c.push(
            c.line_of_key("total_investment_wan_yuan"),
            "total_investment_wan_yuan",
            format!("各类投资之和为 {summed}，合计行为 {total} (categories do not add up)"),
        );
    }
    let quality = raw
        .quality
        .into_iter()
        .map(|q| QualityNote {
            id: q.id,
            category: q.category,
            text: q.text,
        })
        .collect();
    c.finish(KeyProjects {
        zone: raw.zone,
        source: raw.source,
        total_count: raw.total_count,
        total_investment: total,
        categories,
        quality,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    #[serde(default)]
    project: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    responsible: String,
    start_year: i32,
    end_year: i32,
    estimated_wan_yuan: String,
    #[serde(default)]
    plan: Vec<RawPlan>,
    #[serde(default)]
    milestones: Vec<RawMilestone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    year: i32,
    source: String,
    wan_yuan: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    name: String,
    due: String,
    done: Option<String>,
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The project ledger as a zone keeps it (`project_ledger.toml`, written by the ledger import; read back
/// by [`parse_ledger`]).
pub fn ledger_to_toml(entries: &[crate::model::LedgerEntry]) -> String {
    let mut out = String::from(
        "# 重点工程项目台账 — entered by users (imported from the ledger template); the seed gives none of this.\n\
         # Written by `ecociv plan import-projects`; edit through the template, not by hand.\n",
    );
    for e in entries {
        out.push_str(&format!(
            "\n[[project]]\nid = {}\nresponsible = {}\nstart_year = {}\nend_year = {}\nestimated_wan_yuan = {}\n",
            toml_str(&e.project),
            toml_str(&e.responsible),
            e.start_year,
            e.end_year,
            toml_str(&e.estimated.to_string())
        ));
        for (year, source, amount) in &e.plan {
            out.push_str(&format!(
                "[[project.plan]]\nyear = {year}\nsource = {}\nwan_yuan = {}\n",
                toml_str(&source.0),
                toml_str(&amount.to_string())
            ));
        }
        for m in &e.milestones {
            out.push_str(&format!(
                "[[project.milestones]]\nname = {}\ndue = {}\n",
                toml_str(&m.name),
                toml_str(&m.due.to_string())
            ));
            if let Some(done) = m.done {
                out.push_str(&format!("done = {}\n", toml_str(&done.to_string())));
            }
        }
    }
    out
}

/// Reads `project_ledger.toml`; every project must be one of `projects`.
pub fn parse_ledger(
    file: &str,
    text: &str,
    projects: &KeyProjects,
) -> Result<Vec<crate::model::LedgerEntry>, FileError> {
    use crate::date::Date;
    use crate::model::{FundingSource, LedgerEntry, Milestone};
    let raw: RawLedger = from_toml(file, text)?;
    let mut c = Collector::new(file, text);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for e in raw.project {
        let line = c.line_of("id", &e.id);
        if projects.project(&e.id).is_none() {
            c.push(
                line,
                "id",
                format!("表4-1 中没有编号为“{}”的项目 (unknown project)", e.id),
            );
        }
        if !seen.insert(e.id.clone()) {
            c.push(line, "id", format!("项目“{}”重复 (duplicate)", e.id));
        }
        if e.start_year > e.end_year {
            c.push(line, "end_year", "完成年份早于开始年份 (ends before it starts)");
        }
        let estimated = WanYuan::parse(&e.estimated_wan_yuan).unwrap_or_else(|m| {
            c.push(line, "estimated_wan_yuan", m);
            WanYuan(0)
        });
        let mut plan = Vec::new();
        for p in e.plan {
            match WanYuan::parse(&p.wan_yuan) {
                Ok(a) => plan.push((p.year, FundingSource(p.source), a)),
                Err(m) => c.push(line, "plan.wan_yuan", m),
            }
        }
        let mut milestones = Vec::new();
        for m in e.milestones {
            let due = Date::parse(&m.due)
                .map_err(|msg| c.push(line, "milestones.due", msg))
                .ok();
            let done = match m.done.as_deref().map(Date::parse) {
                None => Some(None),
                Some(Ok(d)) => Some(Some(d)),
                Some(Err(msg)) => {
                    c.push(line, "milestones.done", msg);
                    None
                }
            };
            if let (Some(due), Some(done)) = (due, done) {
                milestones.push(Milestone {
                    name: m.name,
                    due,
                    done,
                });
            }
        }
        out.push(LedgerEntry {
            project: e.id,
            responsible: e.responsible,
            start_year: e.start_year,
            end_year: e.end_year,
            estimated,
            plan,
            milestones,
        });
    }
    c.finish(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReports {
    #[serde(default)]
    report: Vec<RawReport>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    measure: Option<String>,
    project: Option<String>,
    /// "2025Q3", "2025M07", "2025H1", "2025".
    period: String,
    department: String,
    state: String,
    status: String,
    percent: u8,
    #[serde(default)]
    spend: Vec<RawSpend>,
    #[serde(default)]
    narrative: String,
    #[serde(default)]
    evidence: Vec<String>,
    on: String,
    by: String,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpend {
    source: String,
    wan_yuan: String,
}

/// A period as `2025Q3`, `2025M07`, `2025H1` or `2025`.
pub fn parse_period(text: &str) -> Result<crate::date::Period, String> {
    use crate::date::{Period, Periodicity};
    let bad = || format!("“{text}”不是报告期：如 2025Q3、2025M07、2025H1、2025 (not a period)");
    let t = text.trim();
    if t.len() < 4 || !t.is_char_boundary(4) {
        return Err(bad());
    }
    let year: i32 = t[..4].parse().map_err(|_| bad())?;
    let rest = &t[4..];
    let (periodicity, index) = match rest.chars().next() {
        None => (Periodicity::Yearly, 1),
        Some('Q') => (Periodicity::Quarterly, rest[1..].parse().map_err(|_| bad())?),
        Some('M') => (Periodicity::Monthly, rest[1..].parse().map_err(|_| bad())?),
        Some('H') => (Periodicity::HalfYearly, rest[1..].parse().map_err(|_| bad())?),
        _ => return Err(bad()),
    };
    Period::new(year, index, periodicity).ok_or_else(bad)
}

/// Reads progress reports kept as a file (`progress_reports.toml`: `[[report]]` entries in the order
/// they happened), each appended through [`crate::report::ReportBook::append`], so a file that breaks
/// the workflow (self-review, a second submission, a return without reason) is refused with the entry's
/// line. `measures` and `projects` check the subjects.
pub fn parse_reports(
    file: &str,
    text: &str,
    measures: &Measures,
    projects: &KeyProjects,
) -> Result<crate::report::ReportBook, FileError> {
    use crate::date::Date;
    use crate::model::FundingSource;
    use crate::report::{ReportBook, ReportRevision, ReviewState, Subject, WorkStatus};
    let raw: RawReports = from_toml(file, text)?;
    let mut c = Collector::new(file, text);
    let starts: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[report]]")
        .map(|(i, _)| i as u64 + 1)
        .collect();
    let mut book = ReportBook::new();
    for (n, r) in raw.report.into_iter().enumerate() {
        let line = starts.get(n).copied();
        let before = c.problems.len();
        let subject = match (r.measure, r.project) {
            (Some(m), None) if measures.get(&m).is_some() => Some(Subject::Measure(m)),
            (None, Some(p)) if projects.project(&p).is_some() => Some(Subject::Project(p)),
            (Some(m), None) => {
                c.push(line, "measure", format!("没有编号为“{m}”的措施 (unknown measure)"));
                None
            }
            (None, Some(p)) => {
                c.push(
                    line,
                    "project",
                    format!("表4-1 中没有编号为“{p}”的项目 (unknown project)"),
                );
                None
            }
            _ => {
                c.push(
                    line,
                    "measure",
                    "须写 measure 或 project 之一 (one of measure, project)",
                );
                None
            }
        };
        let period = parse_period(&r.period).map_err(|e| c.push(line, "period", e)).ok();
        let state = match r.state.as_str() {
            "submitted" | "报送" => Some(ReviewState::Submitted),
            "approved" | "通过" => Some(ReviewState::Approved),
            "returned" | "退回" => Some(ReviewState::Returned),
            other => {
                c.push(line, "state", format!("“{other}”应为 submitted、approved 或 returned"));
                None
            }
        };
        let status = WorkStatus::parse(&r.status).map_err(|e| c.push(line, "status", e)).ok();
        let on = Date::parse(&r.on).map_err(|e| c.push(line, "on", e)).ok();
        let mut spend = Vec::new();
        for s in r.spend {
            match WanYuan::parse(&s.wan_yuan) {
                Ok(a) => spend.push((FundingSource(s.source), a)),
                Err(e) => c.push(line, "spend.wan_yuan", e),
            }
        }
        if c.problems.len() > before {
            continue;
        }
        let (Some(subject), Some(period), Some(state), Some(status), Some(on)) = (subject, period, state, status, on)
        else {
            continue;
        };
        let revision = ReportRevision {
            subject,
            period,
            department: r.department,
            status,
            percent: r.percent,
            spend,
            narrative: r.narrative,
            evidence: r.evidence,
            state,
            on,
            by: r.by,
            reason: r.reason,
        };
        if let Err(e) = book.append(revision) {
            c.push(line, "state", e);
        }
    }
    c.finish(book)
}
