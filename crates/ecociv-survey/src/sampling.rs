//! The sampling plan (抽样方案): the zone's streets, communities and villages as strata (层) with their
//! population sizes, and optionally a quota (planned sample) per stratum.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::questionnaire::Problem;

/// What a stratum is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stratum {
    /// A stable code, as responses carry it (e.g. the community's code or a short name).
    pub id: String,
    pub name: String,
    pub kind: StratumKind,
    /// The population the stratum's respondents are drawn from (N_h), e.g. resident adults.
    pub population: u64,
    /// The planned number of responses (配额), if the plan sets one.
    #[serde(default)]
    pub quota: Option<u64>,
}

/// A sampling plan: the strata, which partition the surveyed population.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingPlan {
    /// What the population sizes count (e.g. 常住人口（18岁及以上）) and where they come from.
    pub population_basis: String,
    #[serde(rename = "strata")]
    pub strata: Vec<Stratum>,
}

impl SamplingPlan {
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
    /// quota within its population. All problems are returned.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        if self.strata.is_empty() {
            problems.push(Problem {
                field: "strata".into(),
                zh: "抽样方案没有任何层".into(),
                en: "the plan has no strata".into(),
            });
        }
        let mut ids = BTreeSet::new();
        for stratum in &self.strata {
            let field = format!("{}（{}）", stratum.name, stratum.id);
            if stratum.id.trim().is_empty() || !ids.insert(stratum.id.as_str()) {
                problems.push(Problem {
                    field: field.clone(),
                    zh: "层代码为空或重复".into(),
                    en: "stratum id empty or repeated".into(),
                });
            }
            if stratum.population == 0 {
                problems.push(Problem {
                    field: field.clone(),
                    zh: "层的总体规模为 0".into(),
                    en: "the stratum's population is 0".into(),
                });
            }
            if let Some(quota) = stratum.quota
                && (quota == 0 || quota > stratum.population)
            {
                problems.push(Problem {
                    field,
                    zh: format!("配额 {quota} 应在 1 到总体规模 {} 之间", stratum.population),
                    en: format!(
                        "quota {quota} must be between 1 and the population {}",
                        stratum.population
                    ),
                });
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
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
