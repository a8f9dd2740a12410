//! The sampling plan (抽样方案): the zone's streets, communities and villages as strata (层) with their
//! population sizes, and optionally a quota (planned sample) per stratum.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use ecociv_csvline::Located;

use crate::import::{problem, read_grid};
use crate::questionnaire::Problem;

/// What a stratum is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StratumKind {
    /// 街道.
    Street,
    /// 社区.
    Community,
    /// 村.
    Village,
    /// Anything else the zone stratifies by (e.g. 乡镇).
    Other,
}

/// One problem of the plan's own checks: the stratum (index) and the column of [`TABLE_HEADER`] it is about.
struct Finding {
    stratum: Option<usize>,
    column: usize,
    zh: String,
    en: String,
}

impl StratumKind {
    pub fn zh(self) -> &'static str {
        match self {
            StratumKind::Street => "街道",
            StratumKind::Community => "社区",
            StratumKind::Village => "村",
            StratumKind::Other => "其他",
        }
    }
}

/// A stratum (抽样层): a street, community or village with its population size.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stratum {
    /// A stable code, as responses carry it (e.g. the community's code or a short name).
    pub id: String,
    pub name: String,
    pub kind: StratumKind,
    /// The population the stratum's respondents are drawn from (N_h), e.g. resident adults.
    pub population: u64,
    /// The planned number of responses (配额), if the plan sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<u64>,
}

/// A sampling plan: the strata, which partition the surveyed population.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingPlan {
    /// What the population sizes count (e.g. 常住人口（18岁及以上）) and where they come from.
    pub population_basis: String,
    #[serde(rename = "strata")]
    pub strata: Vec<Stratum>,
}

/// The column headings of a plan as a table (CSV; e.g. pasted from Excel), in order; 配额 may be empty.
pub const TABLE_HEADER: [&str; 5] = ["代码", "名称", "类型", "总体规模", "配额"];

impl StratumKind {
    fn parse_zh(text: &str) -> Option<StratumKind> {
        match text {
            "街道" => Some(StratumKind::Street),
            "社区" => Some(StratumKind::Community),
            "村" => Some(StratumKind::Village),
            "其他" => Some(StratumKind::Other),
            _ => None,
        }
    }
}

impl SamplingPlan {
    /// Reads a plan as a table: [`TABLE_HEADER`], then one stratum a line (类型 街道/社区/村/其他). All or
    /// nothing; every problem is located (line and column heading; the caller names the file with
    /// [`Located::in_file`]), then the plan's own checks run, each named at its stratum's line.
    pub fn parse_table(population_basis: &str, text: &str) -> Result<Self, Vec<Located>> {
        // Read as a platform's export is (`import::read_grid`: each record's own line, cells trimmed).
        let grid = read_grid(text.as_bytes()).map_err(|problem| vec![problem])?;
        let mut problems = Vec::new();
        let mut strata = Vec::new();
        // The line each stratum was read from.
        let mut lines = Vec::new();
        for (index, (line, cells)) in grid.iter().enumerate() {
            let line = *line;
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            if index == 0 {
                if cells.iter().take(5).copied().collect::<Vec<_>>() != TABLE_HEADER[..cells.len().min(5)]
                    || cells.len() < 4
                {
                    problems.push(problem(
                        line,
                        "表头",
                        format!("表头应为：{}", TABLE_HEADER.join(",")),
                        "the header must be the plan's columns",
                    ));
                    return Err(problems);
                }
                continue;
            }
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            let cell = |i: usize| cells.get(i).copied().unwrap_or_default();
            let kind = StratumKind::parse_zh(cell(2));
            if kind.is_none() {
                problems.push(problem(
                    line,
                    TABLE_HEADER[2],
                    format!("“{}”应为 街道、社区、村 或 其他", cell(2)),
                    "must be 街道, 社区, 村 or 其他",
                ));
            }
            let population = cell(3).parse::<u64>().ok();
            if population.is_none() {
                problems.push(problem(
                    line,
                    TABLE_HEADER[3],
                    format!("“{}”不是正整数", cell(3)),
                    "not a whole number",
                ));
            }
            let quota = match cell(4) {
                "" => Some(None),
                text => text.parse::<u64>().ok().map(Some),
            };
            if quota.is_none() {
                problems.push(problem(
                    line,
                    TABLE_HEADER[4],
                    format!("“{}”不是正整数", cell(4)),
                    "not a whole number",
                ));
            }
            if let (Some(kind), Some(population), Some(quota)) = (kind, population, quota) {
                strata.push(Stratum {
                    id: cell(0).to_string(),
                    name: cell(1).to_string(),
                    kind,
                    population,
                    quota,
                });
                lines.push(line);
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let plan = SamplingPlan {
            population_basis: population_basis.trim().to_string(),
            strata,
        };
        let findings = plan.findings();
        if findings.is_empty() {
            return Ok(plan);
        }
        Err(findings
            .into_iter()
            .map(|finding| match finding.stratum {
                Some(index) => problem(lines[index], TABLE_HEADER[finding.column], finding.zh, finding.en),
                None => problem(0, "整个文件", finding.zh, finding.en),
            })
            .collect())
    }

    /// The plan as a table ([`TABLE_HEADER`]), the inverse of [`SamplingPlan::parse_table`].
    pub fn to_table(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(TABLE_HEADER);
        for s in &self.strata {
            let quota = s.quota.map(|q| q.to_string()).unwrap_or_default();
            let population = s.population.to_string();
            let _ = writer.write_record([s.id.as_str(), &s.name, s.kind.zh(), &population, &quota]);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The plan as TOML, as it is stored.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Parses a plan from TOML (`population_basis`, `[[strata]]` id, name, kind, population, quota).
    pub fn parse(text: &str) -> Result<Self, Vec<Problem>> {
        let plan: SamplingPlan = toml::from_str(text).map_err(|error| {
            vec![Problem {
                field: "抽样方案".into(),
                zh: format!("无法读取：{}", error.message()),
                en: format!("cannot be read: {}", error.message()),
            }]
        })?;
        plan.check().map(|()| plan)
    }

    /// Checks the plan: at least one stratum, ids unique and not empty, every population positive, every
    /// quota within its population. All problems are returned, each naming its stratum (`名称（代码）`).
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let problems: Vec<Problem> = self
            .findings()
            .into_iter()
            .map(|finding| Problem {
                field: finding.stratum.map_or_else(
                    || "strata".to_string(),
                    |index| format!("{}（{}）", self.strata[index].name, self.strata[index].id),
                ),
                zh: finding.zh,
                en: finding.en,
            })
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// The plan's own checks ([`SamplingPlan::check`]), each with the stratum and the column it is about, so
    /// that the TOML's problems name the stratum and the table's its line and column.
    fn findings(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        if self.strata.is_empty() {
            findings.push(Finding {
                stratum: None,
                column: 0,
                zh: "抽样方案没有任何层".into(),
                en: "the plan has no strata".into(),
            });
        }
        let mut ids = BTreeSet::new();
        for (index, stratum) in self.strata.iter().enumerate() {
            let mut found = |column: usize, zh: String, en: String| {
                findings.push(Finding {
                    stratum: Some(index),
                    column,
                    zh,
                    en,
                });
            };
            if stratum.id.trim().is_empty() || !ids.insert(stratum.id.as_str()) {
                found(0, "层代码为空或重复".into(), "stratum id empty or repeated".into());
            }
            if stratum.population == 0 {
                found(3, "层的总体规模为 0".into(), "the stratum's population is 0".into());
            }
            if let Some(quota) = stratum.quota
                && (quota == 0 || quota > stratum.population)
            {
                found(
                    4,
                    format!("配额 {quota} 应在 1 到总体规模 {} 之间", stratum.population),
                    format!(
                        "quota {quota} must be between 1 and the population {}",
                        stratum.population
                    ),
                );
            }
        }
        findings
    }

    pub fn stratum(&self, id: &str) -> Option<&Stratum> {
        self.strata.iter().find(|stratum| stratum.id == id)
    }

    /// N = Σ N_h.
    pub fn population(&self) -> u64 {
        self.strata.iter().map(|stratum| stratum.population).sum()
    }

    /// The planned sample (Σ quotas) when every stratum has a quota.
    pub fn planned(&self) -> Option<u64> {
        self.strata.iter().map(|stratum| stratum.quota).sum()
    }
}
