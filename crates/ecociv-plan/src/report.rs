//! Progress reports (进展报送) on measures and projects, per period, through the same path as values:
//! submit → approve / return → resubmit, append-only, no self-approval.

use std::fmt;

use serde::Serialize;

use crate::date::{Date, Period};
use crate::model::FundingSource;
use crate::money::WanYuan;

/// What a report is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Measure(String),
    Project(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Measure(id) => write!(f, "措施 {id}"),
            Subject::Project(id) => write!(f, "项目 {id}"),
        }
    }
}

/// The state of the work reported (实施状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    NotStarted,
    InProgress,
    Done,
    Stalled,
}

impl WorkStatus {
    pub fn parse(text: &str) -> Result<WorkStatus, String> {
        match text.trim() {
            "未启动" | "not_started" => Ok(WorkStatus::NotStarted),
            "推进中" | "in_progress" => Ok(WorkStatus::InProgress),
            "已完成" | "done" => Ok(WorkStatus::Done),
            "滞后" | "stalled" => Ok(WorkStatus::Stalled),
            other => Err(format!(
                "未知实施状态“{other}”：应为 未启动、推进中、已完成、滞后 (unknown status)"
            )),
        }
    }

    /// The machine name (`not_started`, …), read back by [`WorkStatus::parse`].
    pub fn as_str(self) -> &'static str {
        match self {
            WorkStatus::NotStarted => "not_started",
            WorkStatus::InProgress => "in_progress",
            WorkStatus::Done => "done",
            WorkStatus::Stalled => "stalled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkStatus::NotStarted => "未启动",
            WorkStatus::InProgress => "推进中",
            WorkStatus::Done => "已完成",
            WorkStatus::Stalled => "滞后",
        }
    }
}

/// Where a report stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Submitted,
    Approved,
    Returned,
}

/// One revision of a report: a submission, an approval or a return, each with the full content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRevision {
    pub subject: Subject,
    pub period: Period,
    pub department: String,
    pub status: WorkStatus,
    /// 0–100.
    pub percent: u8,
    /// Spend this period by funding source (projects).
    pub spend: Vec<(FundingSource, WanYuan)>,
    pub narrative: String,
    /// Evidence file names.
    pub evidence: Vec<String>,
    pub state: ReviewState,
    pub on: Date,
    pub by: String,
    /// Why it was returned (required for a return).
    pub reason: Option<String>,
}

/// All report revisions of a zone, in the order they happened. Append-only.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportBook {
    revisions: Vec<ReportRevision>,
}

impl ReportBook {
    pub fn new() -> ReportBook {
        ReportBook::default()
    }

    /// A book of revisions already checked when they were appended (as a store reads them back, in
    /// revision order per report).
    pub fn from_stored(revisions: Vec<ReportRevision>) -> ReportBook {
        ReportBook { revisions }
    }

    pub fn revisions(&self) -> &[ReportRevision] {
        &self.revisions
    }

    /// The history of one report.
    pub fn history<'a>(&'a self, subject: &'a Subject, period: Period) -> impl Iterator<Item = &'a ReportRevision> {
        self.revisions
            .iter()
            .filter(move |r| &r.subject == subject && r.period == period)
    }

    pub fn current<'a>(&'a self, subject: &'a Subject, period: Period) -> Option<&'a ReportRevision> {
        self.history(subject, period).last()
    }

    /// The date of the first submission.
    pub fn first_filed(&self, subject: &Subject, period: Period) -> Option<Date> {
        self.history(subject, period)
            .find(|r| r.state == ReviewState::Submitted)
            .map(|r| r.on)
    }

    pub fn was_returned(&self, subject: &Subject, period: Period) -> bool {
        self.history(subject, period).any(|r| r.state == ReviewState::Returned)
    }

    /// Appends a revision after checking the workflow: a submission only as the first revision or after a
    /// return; an approval or return only of a submitted report, by someone other than the submitter; a
    /// return names its reason; dates never go backwards. A refused revision changes nothing.
    pub fn append(&mut self, revision: ReportRevision) -> Result<(), String> {
        if revision.percent > 100 {
            return Err(format!("完成比例 {} 超过 100 (percent above 100)", revision.percent));
        }
        let current = self.current(&revision.subject, revision.period);
        if let Some(cur) = current
            && revision.on < cur.on
        {
            return Err(format!(
                "日期 {} 早于上一次操作 {} (date before the previous revision)",
                revision.on, cur.on
            ));
        }
        match (revision.state, current.map(|c| c.state)) {
            (ReviewState::Submitted, None | Some(ReviewState::Returned)) => {}
            (ReviewState::Submitted, Some(_)) => {
                return Err("该期报告已报送或已审核，不能重复报送 (already submitted or approved)".into());
            }
            (ReviewState::Approved | ReviewState::Returned, Some(ReviewState::Submitted)) => {
                let submitter = &current.map(|c| c.by.clone()).unwrap_or_default();
                if &revision.by == submitter {
                    return Err("不能审核自己报送的报告 (no self-review)".into());
                }
                if revision.state == ReviewState::Returned && revision.reason.as_deref().unwrap_or("").trim().is_empty()
                {
                    return Err("退回须写明原因 (a return needs a reason)".into());
                }
            }
            (ReviewState::Approved | ReviewState::Returned, _) => {
                return Err("只能审核已报送待审的报告 (only a submitted report can be reviewed)".into());
            }
        }
        self.revisions.push(revision);
        Ok(())
    }

    /// The latest approved revision of a subject (any period), the one status figures are read from.
    pub fn latest_approved(&self, subject: &Subject) -> Option<&ReportRevision> {
        self.revisions
            .iter()
            .filter(|r| &r.subject == subject && r.state == ReviewState::Approved)
            .max_by_key(|r| (r.period, r.on))
    }

    /// Approved spend of a project in periods of years up to and including `year`.
    pub fn approved_spend_through(&self, project: &str, year: i32) -> WanYuan {
        let subject = Subject::Project(project.to_string());
        let mut total = 0;
        let mut periods: Vec<Period> = self
            .revisions
            .iter()
            .filter(|r| r.subject == subject && r.state == ReviewState::Approved && r.period.year <= year)
            .map(|r| r.period)
            .collect();
        periods.sort();
        periods.dedup();
        for p in periods {
            if let Some(r) = self
                .history(&subject, p)
                .filter(|r| r.state == ReviewState::Approved)
                .last()
            {
                total += r.spend.iter().map(|(_, a)| a.0).sum::<i64>();
            }
        }
        WanYuan(total)
    }
}
