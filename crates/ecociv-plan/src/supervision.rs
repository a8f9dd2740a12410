//! Supervision (督查督办): rules kept as data turn the state of the work into follow-up items, each with
//! an owner department, a due date, responses and a closure (销号), with its full history.
//!
//! Two steps, both pure: [`evaluate`] lists the conditions that hold today ([`Finding`]s);
//! [`Board::reconcile`] opens a follow-up for each new finding and records, on items already open, that
//! their condition cleared or came back. Closing (销号) is the office's act ([`Board::close`]): an item
//! whose condition still holds cannot be closed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::date::{Date, Period, Periodicity};
use crate::format::{Collector, FileError, from_toml};
use crate::model::{KeyProjects, LedgerEntry, Measures};
use crate::report::{ReportBook, ReviewState, Subject, WorkStatus};

/// What a rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    ReportOverdue,
    MeasurePastDeadline,
    ProjectSpendBehind,
    ProjectMilestoneLate,
    ReturnedNotResubmitted,
    RowAtRisk,
    DisclosureOverdue,
}

impl RuleKind {
    fn parse(text: &str) -> Option<RuleKind> {
        Some(match text {
            "report_overdue" => RuleKind::ReportOverdue,
            "measure_past_deadline" => RuleKind::MeasurePastDeadline,
            "project_spend_behind" => RuleKind::ProjectSpendBehind,
            "project_milestone_late" => RuleKind::ProjectMilestoneLate,
            "returned_not_resubmitted" => RuleKind::ReturnedNotResubmitted,
            "row_at_risk" => RuleKind::RowAtRisk,
            "disclosure_overdue" => RuleKind::DisclosureOverdue,
            _ => return None,
        })
    }
}

/// One supervision rule (督办规则).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub name: String,
    pub response_days: u32,
    pub grace_days: u32,
    pub threshold_percent: u32,
}

/// The rule set with the reporting calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisionRules {
    pub periodicity: Periodicity,
    pub first_year: i32,
    pub report_due_days: u32,
    pub rules: Vec<Rule>,
}

/// The default rules (`crates/ecociv-plan/data/supervision.toml`).
pub const DEFAULT_RULES: &str = include_str!("../data/supervision.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    periodicity: String,
    first_year: i32,
    report_due_days: u32,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    kind: String,
    name: String,
    response_days: u32,
    #[serde(default)]
    grace_days: u32,
    #[serde(default)]
    threshold_percent: u32,
}

impl SupervisionRules {
    pub fn parse(file: &str, text: &str) -> Result<SupervisionRules, FileError> {
        let raw: RawRules = from_toml(file, text)?;
        let mut c = Collector::new(file, text);
        let periodicity = Periodicity::parse(&raw.periodicity).unwrap_or_else(|e| {
            c.push(c.line_of("periodicity", &raw.periodicity), "periodicity", e);
            Periodicity::Quarterly
        });
        let mut ids = BTreeSet::new();
        let mut rules = Vec::new();
        for r in raw.rule {
            let line = c.line_of("id", &r.id);
            if !ids.insert(r.id.clone()) {
                c.push(line, "id", format!("规则编号“{}”重复 (duplicate id)", r.id));
            }
            let Some(kind) = RuleKind::parse(&r.kind) else {
                c.push(line, "kind", format!("未知规则类型“{}” (unknown kind)", r.kind));
                continue;
            };
            if kind == RuleKind::ProjectSpendBehind && !(1..=100).contains(&r.threshold_percent) {
                c.push(line, "threshold_percent", "应为 1–100 (must be 1–100)");
            }
            rules.push(Rule {
                id: r.id,
                kind,
                name: r.name,
                response_days: r.response_days,
                grace_days: r.grace_days,
                threshold_percent: r.threshold_percent,
            });
        }
        c.finish(SupervisionRules {
            periodicity,
            first_year: raw.first_year,
            report_due_days: raw.report_due_days,
            rules,
        })
    }

    pub fn default_rules() -> SupervisionRules {
        SupervisionRules::parse("ecociv-plan/data/supervision.toml", DEFAULT_RULES).expect("the bundled rules parse")
    }

    /// The due date of a period's report.
    pub fn report_due(&self, period: Period) -> Date {
        period.end().plus_days(i64::from(self.report_due_days))
    }

    /// Periods that must be reported for a subject active from `from_year` to `to_year`, ended by `today`.
    pub fn due_periods(&self, from_year: i32, to_year: i32, today: Date) -> Vec<Period> {
        Period::ended(self.periodicity, self.first_year.max(from_year), today)
            .into_iter()
            .filter(|p| p.year <= to_year)
            .collect()
    }
}

/// A Table 2-1 row flagged by the early warning (an input: ecociv-progress computes it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowAlert {
    pub row: String,
    pub reason: String,
}

/// An item of the disclosure register (信息公开台账) past its due date and not published (an input: the
/// server classifies the register's records with `ecociv_survey::disclosure`, the same reading of "on
/// time" as row 5's figure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclosureAlert {
    /// The register's item number (编号).
    pub id: String,
    /// 应公开事项.
    pub title: String,
    /// The unit that must disclose it: a department, or the bureau for an enterprise's obligation.
    pub owner: String,
    /// Who is late, when not the owner itself (the obliged enterprise).
    pub obliged: Option<String>,
    pub due: Date,
}

/// Everything supervision looks at.
pub struct SupervisionInput<'a> {
    pub measures: &'a Measures,
    pub projects: &'a KeyProjects,
    pub ledger: &'a [LedgerEntry],
    pub reports: &'a ReportBook,
    pub alerts: &'a [RowAlert],
    /// Disclosures past due and not published.
    pub disclosures: &'a [DisclosureAlert],
    /// Lead departments per Table 2-1 row (zone.toml).
    pub row_leads: &'a [(String, Vec<String>)],
    /// The office that owns items without a department (领导小组办公室).
    pub office: &'a str,
    pub today: Date,
}

/// A condition that holds today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable key: the same condition on the same thing gives the same key on every run.
    pub key: String,
    pub rule: String,
    pub subject: String,
    pub owner: String,
    pub reason: String,
}

/// The conditions that hold on `input.today` under `rules`.
pub fn evaluate(rules: &SupervisionRules, input: &SupervisionInput<'_>) -> Vec<Finding> {
    let today = input.today;
    let mut out = Vec::new();
    let owner_of_measure = |lead: &[String]| lead.first().cloned().unwrap_or_else(|| input.office.to_string());
    for rule in &rules.rules {
        let grace = i64::from(rule.grace_days);
        match rule.kind {
            RuleKind::ReportOverdue => {
                let mut subjects: Vec<(Subject, String, i32, i32)> = input
                    .measures
                    .measures
                    .iter()
                    .filter(|m| !m.lead.is_empty())
                    .map(|m| (Subject::Measure(m.id.clone()), m.lead[0].clone(), 2022, m.deadline))
                    .collect();
                subjects.extend(input.ledger.iter().map(|l| {
                    (
                        Subject::Project(l.project.clone()),
                        l.responsible.clone(),
                        l.start_year,
                        l.end_year,
                    )
                }));
                for (subject, owner, from, to) in subjects {
                    for period in rules.due_periods(from, to, today) {
                        let due = rules.report_due(period);
                        if today > due.plus_days(grace) && input.reports.first_filed(&subject, period).is_none() {
                            out.push(Finding {
                                key: format!("{}:{subject}:{period}", rule.id),
                                rule: rule.id.clone(),
                                subject: subject.to_string(),
                                owner: owner.clone(),
                                reason: format!("{subject} {period}进展报告应于 {due} 前报送，至 {today} 未报送"),
                            });
                        }
                    }
                }
            }
            RuleKind::MeasurePastDeadline => {
                for m in &input.measures.measures {
                    let end = Date::end_of_year(m.deadline);
                    let done = input
                        .reports
                        .latest_approved(&Subject::Measure(m.id.clone()))
                        .is_some_and(|r| r.status == WorkStatus::Done);
                    if today > end.plus_days(grace) && !done {
                        out.push(Finding {
                            key: format!("{}:措施 {}", rule.id, m.id),
                            rule: rule.id.clone(),
                            subject: format!("措施 {}", m.id),
                            owner: owner_of_measure(&m.lead),
                            reason: format!(
                                "措施 {}“{}”完成时限 {}，至 {today} 无审核通过的“已完成”报告",
                                m.id,
                                m.title,
                                m.deadline_label()
                            ),
                        });
                    }
                }
            }
            RuleKind::ProjectSpendBehind => {
                let year = today.year - 1;
                for l in input.ledger {
                    let planned = l.planned_through(year);
                    let actual = input.reports.approved_spend_through(&l.project, year);
                    let threshold = i128::from(planned.0) * i128::from(100 - rule.threshold_percent.min(100));
                    if planned.0 > 0 && i128::from(actual.0) * 100 < threshold {
                        out.push(Finding {
                            key: format!("{}:项目 {}:{year}", rule.id, l.project),
                            rule: rule.id.clone(),
                            subject: format!("项目 {}", l.project),
                            owner: l.responsible.clone(),
                            reason: format!(
                                "项目 {} 截至 {year} 年计划投资 {planned} 万元，审核通过的支出 {actual} 万元，低于计划的 {}%",
                                l.project,
                                100 - rule.threshold_percent.min(100)
                            ),
                        });
                    }
                }
            }
            RuleKind::ProjectMilestoneLate => {
                for l in input.ledger {
                    for ms in &l.milestones {
                        if ms.done.is_none() && today > ms.due.plus_days(grace) {
                            out.push(Finding {
                                key: format!("{}:项目 {}:{}", rule.id, l.project, ms.name),
                                rule: rule.id.clone(),
                                subject: format!("项目 {}", l.project),
                                owner: l.responsible.clone(),
                                reason: format!(
                                    "项目 {} 节点“{}”应于 {} 完成，至 {today} 未完成",
                                    l.project, ms.name, ms.due
                                ),
                            });
                        }
                    }
                }
            }
            RuleKind::ReturnedNotResubmitted => {
                let mut keys = BTreeSet::new();
                for r in input.reports.revisions() {
                    keys.insert((r.subject.clone(), r.period));
                }
                for (subject, period) in keys {
                    let Some(cur) = input.reports.current(&subject, period) else {
                        continue;
                    };
                    if cur.state == ReviewState::Returned && today > cur.on.plus_days(grace) {
                        let owner = input
                            .reports
                            .history(&subject, period)
                            .find(|r| r.state == ReviewState::Submitted)
                            .map(|r| r.department.clone())
                            .unwrap_or_else(|| input.office.to_string());
                        out.push(Finding {
                            key: format!("{}:{subject}:{period}", rule.id),
                            rule: rule.id.clone(),
                            subject: subject.to_string(),
                            owner,
                            reason: format!(
                                "{subject} {period}报告于 {} 被退回（{}），至 {today} 未重新报送",
                                cur.on,
                                cur.reason.as_deref().unwrap_or("")
                            ),
                        });
                    }
                }
            }
            RuleKind::RowAtRisk => {
                for alert in input.alerts {
                    let leads = input
                        .row_leads
                        .iter()
                        .find(|(row, _)| row == &alert.row)
                        .map(|(_, l)| l.clone())
                        .filter(|l| !l.is_empty())
                        .unwrap_or_else(|| vec![input.office.to_string()]);
                    for lead in leads {
                        out.push(Finding {
                            key: format!("{}:指标 {}:{lead}", rule.id, alert.row),
                            rule: rule.id.clone(),
                            subject: format!("指标 {}", alert.row),
                            owner: lead,
                            reason: format!("指标 {} 进展预警：{}", alert.row, alert.reason),
                        });
                    }
                }
            }
            RuleKind::DisclosureOverdue => {
                for d in input.disclosures {
                    if today > d.due.plus_days(grace) {
                        let who = d
                            .obliged
                            .as_deref()
                            .map(|e| format!("（义务主体：{e}）"))
                            .unwrap_or_default();
                        out.push(Finding {
                            key: format!("{}:公开事项 {}", rule.id, d.id),
                            rule: rule.id.clone(),
                            subject: format!("公开事项 {}", d.id),
                            owner: d.owner.clone(),
                            reason: format!("“{}”{who}应于 {} 公开，至 {today} 未公开", d.title, d.due),
                        });
                    }
                }
            }
        }
    }
    out
}

/// What happened to a follow-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    Opened {
        reason: String,
    },
    Response {
        text: String,
    },
    /// The rule's condition no longer holds (the item may now be closed).
    ConditionCleared,
    /// The condition holds again after it had cleared.
    ConditionReturned {
        reason: String,
    },
    /// 销号.
    Closed {
        basis: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub on: Date,
    pub by: String,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    /// 办理中: the condition holds.
    Open,
    /// The condition cleared; awaiting 销号.
    Cleared,
    /// 已销号.
    Closed,
}

/// A follow-up item (督办事项).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    /// The finding's key, or `manual:n` for items the office adds.
    pub id: String,
    /// The rule that opened it; `None` for manual items (e.g. a joint meeting's decision).
    pub rule: Option<String>,
    pub subject: String,
    pub owner: String,
    pub opened: Date,
    pub due: Date,
    pub events: Vec<Event>,
}

impl FollowUp {
    pub fn state(&self) -> FollowUpState {
        let mut state = FollowUpState::Open;
        for e in &self.events {
            state = match e.kind {
                EventKind::Opened { .. } | EventKind::ConditionReturned { .. } => FollowUpState::Open,
                EventKind::ConditionCleared => FollowUpState::Cleared,
                EventKind::Closed { .. } => FollowUpState::Closed,
                EventKind::Response { .. } => state,
            };
        }
        state
    }

    /// Not closed and past its due date.
    pub fn overdue(&self, today: Date) -> bool {
        self.state() != FollowUpState::Closed && today > self.due
    }
}

/// The supervision board: every follow-up ever opened. Append-only: items are never removed, events never
/// rewritten.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Board {
    pub items: Vec<FollowUp>,
}

/// What a reconciliation changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    pub opened: Vec<String>,
    pub cleared: Vec<String>,
    pub returned: Vec<String>,
}

impl Board {
    pub fn get(&self, id: &str) -> Option<&FollowUp> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Brings the board in line with today's findings. A finding whose key has no item, or whose item is
    /// closed, opens a new item (a closed key opens `key#2`, `#3`…); open items whose finding is gone are
    /// marked cleared; cleared items whose finding is back are marked open again.
    pub fn reconcile(&mut self, rules: &SupervisionRules, findings: &[Finding], today: Date, by: &str) -> Changes {
        let mut changes = Changes::default();
        for f in findings {
            let live = self
                .items
                .iter_mut()
                .filter(|i| i.id == f.key || i.id.starts_with(&format!("{}#", f.key)))
                .find(|i| i.state() != FollowUpState::Closed);
            match live {
                Some(item) => {
                    if item.state() == FollowUpState::Cleared {
                        item.events.push(Event {
                            on: today,
                            by: by.into(),
                            kind: EventKind::ConditionReturned {
                                reason: f.reason.clone(),
                            },
                        });
                        changes.returned.push(item.id.clone());
                    }
                }
                None => {
                    let earlier = self
                        .items
                        .iter()
                        .filter(|i| i.id == f.key || i.id.starts_with(&format!("{}#", f.key)))
                        .count();
                    let id = if earlier == 0 {
                        f.key.clone()
                    } else {
                        format!("{}#{}", f.key, earlier + 1)
                    };
                    let days = rules
                        .rules
                        .iter()
                        .find(|r| r.id == f.rule)
                        .map_or(0, |r| r.response_days);
                    self.items.push(FollowUp {
                        id: id.clone(),
                        rule: Some(f.rule.clone()),
                        subject: f.subject.clone(),
                        owner: f.owner.clone(),
                        opened: today,
                        due: today.plus_days(i64::from(days)),
                        events: vec![Event {
                            on: today,
                            by: by.into(),
                            kind: EventKind::Opened {
                                reason: f.reason.clone(),
                            },
                        }],
                    });
                    changes.opened.push(id);
                }
            }
        }
        let keys: BTreeSet<&str> = findings.iter().map(|f| f.key.as_str()).collect();
        for item in &mut self.items {
            if item.rule.is_none() || item.state() != FollowUpState::Open {
                continue;
            }
            let key = item.id.split('#').next().unwrap_or(&item.id);
            if !keys.contains(key) {
                item.events.push(Event {
                    on: today,
                    by: by.into(),
                    kind: EventKind::ConditionCleared,
                });
                changes.cleared.push(item.id.clone());
            }
        }
        changes
    }

    /// Adds an item by hand (e.g. a decision of the joint meeting, 部门联席会议).
    pub fn add_manual(
        &mut self,
        subject: &str,
        owner: &str,
        reason: &str,
        opened: Date,
        due: Date,
        by: &str,
    ) -> String {
        let id = format!("manual:{}", self.items.iter().filter(|i| i.rule.is_none()).count() + 1);
        self.items.push(FollowUp {
            id: id.clone(),
            rule: None,
            subject: subject.into(),
            owner: owner.into(),
            opened,
            due,
            events: vec![Event {
                on: opened,
                by: by.into(),
                kind: EventKind::Opened { reason: reason.into() },
            }],
        });
        id
    }

    /// The owner's response (办理情况).
    pub fn respond(&mut self, id: &str, on: Date, by: &str, text: &str) -> Result<(), String> {
        let item = self
            .items
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or_else(|| format!("没有督办事项“{id}” (no such item)"))?;
        if item.state() == FollowUpState::Closed {
            return Err("已销号的事项不能再回复 (item closed)".into());
        }
        if text.trim().is_empty() {
            return Err("回复不能为空 (empty response)".into());
        }
        item.events.push(Event {
            on,
            by: by.into(),
            kind: EventKind::Response { text: text.into() },
        });
        Ok(())
    }

    /// 销号: a rule's item only once its condition cleared; a manual item once it has a response.
    pub fn close(&mut self, id: &str, on: Date, by: &str, basis: &str) -> Result<(), String> {
        let item = self
            .items
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or_else(|| format!("没有督办事项“{id}” (no such item)"))?;
        match (item.state(), item.rule.is_some()) {
            (FollowUpState::Closed, _) => return Err("该事项已销号 (already closed)".into()),
            (FollowUpState::Open, true) => {
                return Err("触发条件仍然存在，不能销号 (the condition still holds)".into());
            }
            (_, false) if !item.events.iter().any(|e| matches!(e.kind, EventKind::Response { .. })) => {
                return Err("手工事项须先有办理回复才能销号 (a manual item needs a response first)".into());
            }
            _ => {}
        }
        if basis.trim().is_empty() {
            return Err("销号须写明依据 (closure needs a basis)".into());
        }
        item.events.push(Event {
            on,
            by: by.into(),
            kind: EventKind::Closed { basis: basis.into() },
        });
        Ok(())
    }
}
