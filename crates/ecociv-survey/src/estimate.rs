//! The estimate of a row's share (rows 34, 35) from a stratified sample, with its standard error and 95 %
//! confidence interval (置信区间).
//!
//! **Method** ([`METHOD_EDITION`]):
//! - Point estimate: the stratified estimator of a proportion, p̂ = Σ W_h p̂_h with W_h = N_h / N and
//!   p̂_h = y_h / n_h (Cochran, *Sampling Techniques*, 3rd ed., 1977, ch. 5, "stratified sampling for
//!   proportions").
//! - Variance: v(p̂) = Σ W_h² (1 − n_h/N_h) p̂_h (1 − p̂_h) / (n_h − 1) — simple random sampling without
//!   replacement within each stratum, with the finite-population correction (same chapter). A stratum
//!   with one response and a larger population has no variance estimate and is refused by name.
//! - Interval: the Wilson score interval (Wilson, JASA 22, 1927) at z = 1.959964 evaluated at Kish's
//!   effective sample size n* = p̂(1 − p̂)/v(p̂) (the design-effect adjustment of Kott & Carr, 1997,
//!   compared with other survey intervals by Dean & Pagano, 2015). Where v(p̂) = 0 although some stratum
//!   is sampled (every stratum answered all alike), n* = n, the number of valid answers; a full census of
//!   every stratum has no sampling error and the interval is the point. The Wilson interval stays inside
//!   [0, 1] and keeps its coverage near shares of 90 %+ where the normal interval falls short.
//!
//! Respondents who did not answer the measure's question are left out of that row (item non-response);
//! the counts of responses and of valid answers are both reported, per stratum.

use ecociv_core::format::{fixed, percent};
use ecociv_core::{Observation, Source, Value};

use crate::questionnaire::{Answers, Questionnaire};
use crate::sampling::SamplingPlan;

/// The edition of this estimation method; recorded in every figure it produces. Chinese, as people read it:
/// 科克伦 = W. G. Cochran, *Sampling Techniques* (3rd ed., 1977), ch. 5; 威尔逊得分区间 = the Wilson (1927) score
/// interval; 基什有效样本量 = Kish's effective sample size.
pub const METHOD_EDITION: &str = "分层比例估计 2026-1 版（科克伦《抽样技术》1977 年第三版第五章分层比例估计，方差含有限总体校正；95% 置信区间为按基什有效样本量计算的威尔逊得分区间）";

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// One response as the estimate reads it: its stratum and answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub stratum: String,
    pub answers: Answers,
}

/// One stratum's counts in an estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct StratumResult {
    pub id: String,
    pub name: String,
    /// N_h.
    pub population: u64,
    pub quota: Option<u64>,
    /// Every response from the stratum.
    pub responses: u64,
    /// n_h: responses that answered the measure's question.
    pub valid: u64,
    /// y_h: of those, how many count (满意 / 参与).
    pub counted: u64,
}

impl StratumResult {
    /// p̂_h.
    pub fn share(&self) -> f64 {
        self.counted as f64 / self.valid as f64
    }

    /// Responses over the quota, where there is one.
    pub fn response_rate(&self) -> Option<f64> {
        self.quota.map(|quota| self.responses as f64 / quota as f64)
    }
}

/// A row's estimated share with its sampling error.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub row: String,
    /// What a counted respondent is (满意 / 参与).
    pub measure: String,
    pub measure_en: String,
    /// p̂ (0–1).
    pub share: f64,
    /// √v(p̂).
    pub standard_error: f64,
    /// The 95 % interval (0–1).
    pub low: f64,
    pub high: f64,
    /// Responses in all strata, valid answers to the measure's question.
    pub responses: u64,
    pub valid: u64,
    /// Kish's effective sample size the interval was computed at.
    pub effective_n: f64,
    pub strata: Vec<StratumResult>,
    pub questionnaire_id: String,
    pub questionnaire_title: String,
    pub questionnaire_edition: String,
    /// The measure's named doubt (scoring not verified against the official text), if any.
    pub doubt: String,
}

/// Why an estimate cannot be made.
#[derive(Debug, Clone, PartialEq)]
pub enum EstimateError {
    /// The questionnaire has no measure for the row.
    NoMeasure { row: String },
    /// Responses name strata the plan does not have.
    UnknownStrata { ids: Vec<(String, u64)> },
    /// Strata without a valid answer (空层): named.
    EmptyStrata { names: Vec<String> },
    /// Strata with one valid answer out of a larger population: no variance estimate.
    SingleAnswer { names: Vec<String> },
    /// More valid answers than the stratum's population.
    OverPopulation { names: Vec<String> },
    /// The plan itself is not valid.
    Plan(Vec<crate::Problem>),
}

impl EstimateError {
    /// The refusal in Chinese.
    pub fn zh(&self) -> String {
        match self {
            EstimateError::NoMeasure { row } => format!("问卷没有指标 {row} 的计分口径"),
            EstimateError::UnknownStrata { ids } => format!(
                "有回答属于抽样方案中没有的层：{}",
                ids.iter()
                    .map(|(id, n)| format!("“{id}”（{n} 份）"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            EstimateError::EmptyStrata { names } => format!(
                "以下层没有有效回答，无法按分层设计估计，请补充调查或调整抽样方案：{}",
                names.join("、")
            ),
            EstimateError::SingleAnswer { names } => format!(
                "以下层只有 1 份有效回答，无法估计抽样误差（每层至少 2 份）：{}",
                names.join("、")
            ),
            EstimateError::OverPopulation { names } => {
                format!("以下层的有效回答多于其总体规模，请核对抽样方案：{}", names.join("、"))
            }
            EstimateError::Plan(problems) => format!(
                "抽样方案有误：{}",
                problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("；")
            ),
        }
    }

    /// The refusal in English.
    pub fn en(&self) -> String {
        match self {
            EstimateError::NoMeasure { row } => format!("the questionnaire does not measure row {row}"),
            EstimateError::UnknownStrata { ids } => format!(
                "responses from strata not in the plan: {}",
                ids.iter()
                    .map(|(id, n)| format!("'{id}' ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            EstimateError::EmptyStrata { names } => {
                format!("no valid answer in these strata (empty strata): {}", names.join(", "))
            }
            EstimateError::SingleAnswer { names } => format!(
                "only one valid answer in these strata, so no variance estimate (at least 2 needed): {}",
                names.join(", ")
            ),
            EstimateError::OverPopulation { names } => {
                format!("more valid answers than the population in: {}", names.join(", "))
            }
            EstimateError::Plan(problems) => format!(
                "the sampling plan is invalid: {}",
                problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.en))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

impl std::fmt::Display for EstimateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}（{}）", self.zh(), self.en())
    }
}

impl std::error::Error for EstimateError {}

/// The estimate of every row the questionnaire measures (rows 34 and 35 for the default), in the
/// questionnaire's order, each with its estimate or the reason it cannot be made.
pub fn estimate_all(
    questionnaire: &Questionnaire,
    plan: &SamplingPlan,
    responses: &[Response],
) -> Vec<(String, Result<Estimate, EstimateError>)> {
    questionnaire
        .measures
        .iter()
        .map(|m| (m.row.clone(), estimate(questionnaire, plan, responses, &m.row)))
        .collect()
}

/// Estimates `row`'s share from the responses under the plan (see the module's method).
pub fn estimate(
    questionnaire: &Questionnaire,
    plan: &SamplingPlan,
    responses: &[Response],
    row: &str,
) -> Result<Estimate, EstimateError> {
    plan.check().map_err(EstimateError::Plan)?;
    let measure = questionnaire
        .measure(row)
        .ok_or_else(|| EstimateError::NoMeasure { row: row.into() })?;
    let mut strata: Vec<StratumResult> = plan
        .strata
        .iter()
        .map(|stratum| StratumResult {
            id: stratum.id.clone(),
            name: stratum.name.clone(),
            population: stratum.population,
            quota: stratum.quota,
            responses: 0,
            valid: 0,
            counted: 0,
        })
        .collect();
    let mut unknown: Vec<(String, u64)> = Vec::new();
    for response in responses {
        let Some(result) = strata.iter_mut().find(|s| s.id == response.stratum) else {
            match unknown.iter_mut().find(|(id, _)| id == &response.stratum) {
                Some((_, n)) => *n += 1,
                None => unknown.push((response.stratum.clone(), 1)),
            }
            continue;
        };
        result.responses += 1;
        if let Some(counts) = measure.classify(&response.answers) {
            result.valid += 1;
            result.counted += u64::from(counts);
        }
    }
    if !unknown.is_empty() {
        return Err(EstimateError::UnknownStrata { ids: unknown });
    }
    let named = |pick: &dyn Fn(&StratumResult) -> bool| -> Vec<String> {
        strata
            .iter()
            .filter(|s| pick(s))
            .map(|s| format!("{}（{}）", s.name, s.id))
            .collect()
    };
    let empty = named(&|s| s.valid == 0);
    if !empty.is_empty() {
        return Err(EstimateError::EmptyStrata { names: empty });
    }
    let over = named(&|s| s.valid > s.population);
    if !over.is_empty() {
        return Err(EstimateError::OverPopulation { names: over });
    }
    let single = named(&|s| s.valid == 1 && s.population > 1);
    if !single.is_empty() {
        return Err(EstimateError::SingleAnswer { names: single });
    }

    let population = plan.population() as f64;
    let mut share = 0.0;
    let mut variance = 0.0;
    for s in &strata {
        let weight = s.population as f64 / population;
        let p = s.share();
        share += weight * p;
        if s.valid < s.population {
            let fpc = 1.0 - s.valid as f64 / s.population as f64;
            variance += weight * weight * fpc * p * (1.0 - p) / (s.valid as f64 - 1.0);
        }
    }
    let share = share.clamp(0.0, 1.0);
    let valid: u64 = strata.iter().map(|s| s.valid).sum();
    let census = strata.iter().all(|s| s.valid == s.population);
    let (effective_n, low, high) = if census {
        (valid as f64, share, share)
    } else {
        let n = if variance > 0.0 {
            share * (1.0 - share) / variance
        } else {
            valid as f64
        };
        let (low, high) = wilson(share, n, Z95);
        (n, low, high)
    };
    Ok(Estimate {
        row: row.into(),
        measure: measure.name.clone(),
        measure_en: measure.name_en.clone(),
        share,
        standard_error: variance.sqrt(),
        low,
        high,
        responses: strata.iter().map(|s| s.responses).sum(),
        valid,
        effective_n,
        strata,
        questionnaire_id: questionnaire.id.clone(),
        questionnaire_title: questionnaire.title.clone(),
        questionnaire_edition: questionnaire.edition.clone(),
        doubt: measure.doubt.clone(),
    })
}

/// The Wilson score interval for a share `p` at sample size `n` (> 0): (p + z²/2n ± z √(p(1−p)/n +
/// z²/4n²)) / (1 + z²/n), clamped to [0, 1].
pub fn wilson(p: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 or 1 the bound on that side is exactly 0 or 1 (the formula gives it up to rounding).
    let low = if p <= 0.0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if p >= 1.0 { 1.0 } else { (centre + half).min(1.0) };
    (low, high)
}

impl Estimate {
    /// Whether `share` (0–1) lies in the interval.
    pub fn covers(&self, share: f64) -> bool {
        self.low <= share && share <= self.high
    }

    /// Responses over the planned sample (Σ quotas), when every stratum has a quota.
    pub fn response_rate(&self) -> Option<f64> {
        let planned: Option<u64> = self.strata.iter().map(|s| s.quota).sum();
        planned.filter(|&p| p > 0).map(|p| self.responses as f64 / p as f64)
    }

    /// The value in percent, as the row stores it (two decimals, the row's formatter shows one).
    pub fn percent_value(&self) -> f64 {
        (self.share * 10_000.0).round() / 100.0
    }

    /// What was computed, in Chinese (the `Source`'s method).
    pub fn method_zh(&self) -> String {
        format!(
            "问卷调查分层加权估计：“{}”的比例 = Σ 各层权重 ×（计为{}的有效回答数 ÷ 有效回答数），权重为各层总体规模占比",
            self.measure, self.measure
        )
    }

    /// The figures behind the estimate, in Chinese: interval, standard error, responses per stratum,
    /// response rate, and the named doubt.
    pub fn provenance_zh(&self, survey: &str) -> String {
        let strata = self
            .strata
            .iter()
            .map(|s| format!("{} {}/{}", s.name, s.counted, s.valid))
            .collect::<Vec<_>>()
            .join("，");
        let rate = self
            .response_rate()
            .map(|r| format!("；回收率（回答数 ÷ 计划样本）{}", percent(r)))
            .unwrap_or_default();
        let doubt = if self.doubt.is_empty() {
            String::new()
        } else {
            format!("；口径说明：{}", self.doubt)
        };
        format!(
            "{survey}（问卷“{}”第 {} 版）：95% 置信区间 {}–{}，标准误 {} 个百分点；回答 {} 份，有效回答 {} 份，{} 层（各层 计为{}/有效：{strata}）{rate}{doubt}",
            self.questionnaire_title,
            self.questionnaire_edition,
            percent(self.low),
            percent(self.high),
            fixed(self.standard_error * 100.0, 1),
            self.responses,
            self.valid,
            self.strata.len(),
            self.measure,
        )
    }

    /// The estimate in one sentence, Chinese first.
    pub fn explain(&self) -> (String, String) {
        (
            format!(
                "{}比例估计为 {}（95% 置信区间 {}–{}，有效回答 {} 份，{} 层）",
                self.measure,
                percent(self.share),
                percent(self.low),
                percent(self.high),
                self.valid,
                self.strata.len()
            ),
            format!(
                "share {} estimated at {} (95% CI {}–{}; {} valid answers in {} strata)",
                self.measure_en,
                percent(self.share),
                percent(self.low),
                percent(self.high),
                self.valid,
                self.strata.len()
            ),
        )
    }

    /// The row's observation for `year`, with the survey (title and code), the method, its edition, n and
    /// the interval as its source (`Source::Survey`). A survey of demo data (`synthetic`) is shown as such
    /// everywhere.
    pub fn observation(&self, year: i32, survey: &str, survey_id: &str, synthetic: bool) -> Observation {
        let edition = format!(
            "{METHOD_EDITION}；问卷“{}”第 {} 版",
            self.questionnaire_title, self.questionnaire_edition
        );
        let in_percent = |share: f64| (share * 10_000.0).round() / 100.0;
        Observation {
            row: self.row.clone(),
            year,
            value: Value::Number(self.percent_value()),
            assigned: None,
            recorded: None,
            source: Source::Survey {
                survey: survey.to_string(),
                survey_id: survey_id.to_string(),
                method: self.method_zh(),
                edition,
                valid: self.valid,
                responses: self.responses,
                low: in_percent(self.low),
                high: in_percent(self.high),
                provenance: self.provenance_zh(survey),
                synthetic,
            },
        }
    }
}
