//! The plan's work as data: measures (chapter 3) and key projects (Table 4-1), as the seed states them.

use serde::Serialize;

use crate::money::WanYuan;

/// Where a lead department comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadBasis {
    /// The measure's own text assigns it.
    Seed,
    /// The lead departments of the Table 2-1 rows the measure serves.
    Derived,
    /// Neither: the bureau assigns (待定).
    Unassigned,
}

/// Where a deadline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineBasis {
    /// The seed's own date (`deadline_text`).
    Seed,
    /// The end of the plan period.
    PlanEnd,
}

/// A quantitative sub-target a measure's text states (子目标), e.g. 建成美丽幸福河道 20 公里 by 2025.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubTarget {
    pub what: String,
    /// As printed: "20", "≥42.8", "全覆盖", "III类".
    pub value: String,
    pub unit: Option<String>,
    pub year: Option<i32>,
    /// The seed's phrase.
    pub text: String,
}

/// A measure of the plan (规划措施): one paragraph of chapter 3, one row of the 任务分解表.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub id: String,
    pub location: String,
    pub seed_line: u32,
    /// The item's title (任务).
    pub task: String,
    pub title: String,
    /// 具体措施, as printed.
    pub text: String,
    pub rows: Vec<String>,
    /// The rows whose indicator or target the text names (the rest is a reading of the text).
    pub rows_named: Vec<String>,
    /// 牵头单位.
    pub lead: Vec<String>,
    pub lead_basis: LeadBasis,
    /// 配合单位, as the text names them.
    pub cooperating: Vec<String>,
    pub external: Vec<String>,
    pub streets: Vec<String>,
    pub places: Vec<String>,
    /// 完成时限 (year).
    pub deadline: i32,
    pub deadline_basis: DeadlineBasis,
    pub deadline_text: Option<String>,
    pub recurring: Option<String>,
    pub note: Option<String>,
    pub targets: Vec<SubTarget>,
}

impl Measure {
    /// 完成时限 as the 任务分解表 prints it: the seed's phrase where it has one.
    pub fn deadline_label(&self) -> String {
        match (&self.deadline_basis, &self.deadline_text) {
            (DeadlineBasis::Seed, Some(text)) => format!("{}年（规划原文：{}）", self.deadline, text.replace(' ', "")),
            _ => format!("{}年（规划期末）", self.deadline),
        }
    }

    pub fn involves(&self, department: &str) -> bool {
        self.lead.iter().chain(&self.cooperating).any(|d| d == department)
    }
}

/// A key project named in Table 4-1 (重点工程项目).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    /// "category.nn", e.g. "2.05".
    pub id: String,
    pub category: u32,
    pub name: String,
    pub rows: Vec<String>,
    pub rows_named: Vec<String>,
    pub measures: Vec<String>,
    pub note: Option<String>,
}

/// A category row of Table 4-1 with the projects it names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectCategory {
    pub number: u32,
    pub name: String,
    pub seed_line: u32,
    pub content: String,
    /// 项目数 as printed (may differ from the names listed: see the quality notes).
    pub count: u32,
    pub investment: WanYuan,
    pub projects: Vec<Project>,
}

/// An inconsistency of the seed itself (数据质量说明), shown to users, never resolved silently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityNote {
    pub id: String,
    pub category: Option<u32>,
    pub text: String,
}

/// Table 4-1 as a ledger of projects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyProjects {
    pub zone: String,
    pub source: String,
    pub total_count: u32,
    pub total_investment: WanYuan,
    pub categories: Vec<ProjectCategory>,
    pub quality: Vec<QualityNote>,
}

impl KeyProjects {
    pub fn projects(&self) -> impl Iterator<Item = &Project> {
        self.categories.iter().flat_map(|c| c.projects.iter())
    }

    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects().find(|p| p.id == id)
    }

    pub fn category(&self, number: u32) -> Option<&ProjectCategory> {
        self.categories.iter().find(|c| c.number == number)
    }
}

/// The plan's measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measures {
    pub zone: String,
    pub source: String,
    pub measures: Vec<Measure>,
}

impl Measures {
    pub fn get(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }
}

/// A funding source (资金来源) of a project's plan and spend.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FundingSource(pub String);

/// A project's milestone (节点).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub name: String,
    pub due: crate::date::Date,
    pub done: Option<crate::date::Date>,
}

/// What users enter for a project (项目台账): the seed gives none of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerEntry {
    pub project: String,
    /// 责任单位.
    pub responsible: String,
    pub start_year: i32,
    pub end_year: i32,
    /// 估算投资.
    pub estimated: WanYuan,
    /// Planned investment per (year, funding source).
    pub plan: Vec<(i32, FundingSource, WanYuan)>,
    pub milestones: Vec<Milestone>,
}

impl LedgerEntry {
    /// Planned investment up to and including `year`.
    pub fn planned_through(&self, year: i32) -> WanYuan {
        WanYuan::sum(self.plan.iter().filter(|(y, _, _)| *y <= year).map(|(_, _, a)| a))
    }
}
