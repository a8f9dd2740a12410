//! Surveys written (issue 14): a survey created with its questionnaire and sampling plan, responses from
//! the public form, staff keying of paper forms and a platform's export, issued codes, and rows 34/35
//! saved as values through the workflow from the estimate. The pages' forms ([`crate::web::survey`]) call
//! these; the questionnaire, checks and estimate are `ecociv-survey`'s, the storage `ecociv-store`'s.

use std::collections::BTreeMap;

use ecociv_store::survey::{Channel, NewResponse, NewSurvey, StoredResponse, SurveyRecord, SurveyState};
use ecociv_store::values::Batch;
use ecociv_store::{Action, NewRevision, Status, StoreError};
use ecociv_survey::{Answers, Estimate, EstimateError, Problem, Questionnaire, Response, SamplingPlan};

use crate::AppState;
use crate::auth::{Principal, ZoneRole};
use crate::error::{ApiError, ApiResult, Code};
use crate::policy;
use crate::workflow::{self, Step};

/// A survey with its questionnaire and plan parsed.
#[derive(Debug, Clone)]
pub struct LoadedSurvey {
    pub record: SurveyRecord,
    pub questionnaire: Questionnaire,
    pub plan: SamplingPlan,
}

/// Loads a survey of a zone: 404 when unknown.
pub async fn load(state: &AppState, code: &str, survey_id: &str) -> ApiResult<LoadedSurvey> {
    load_from(&state.store, code, survey_id).await
}

/// Loads a survey of a zone from a store (the command line's entry): 404 when unknown.
pub async fn load_from(store: &ecociv_store::Store, code: &str, survey_id: &str) -> ApiResult<LoadedSurvey> {
    let record = store
        .survey(code, survey_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("调查 (survey) {survey_id}")))?;
    let questionnaire = Questionnaire::parse(&record.questionnaire_toml)
        .map_err(|problems| ApiError::internal(format!("stored questionnaire: {problems:?}")))?;
    let plan = SamplingPlan::parse(&record.plan_toml)
        .map_err(|problems| ApiError::internal(format!("stored plan: {problems:?}")))?;
    Ok(LoadedSurvey {
        record,
        questionnaire,
        plan,
    })
}

/// The stored responses as the estimate reads them.
pub fn responses(stored: &[StoredResponse]) -> Vec<Response> {
    stored
        .iter()
        .map(|r| Response {
            stratum: r.stratum.clone(),
            answers: r.answers.clone(),
        })
        .collect()
}

/// The estimate of every row the questionnaire measures (or why not).
pub fn estimates(survey: &LoadedSurvey, stored: &[StoredResponse]) -> Vec<(String, Result<Estimate, EstimateError>)> {
    ecociv_survey::estimate_all(&survey.questionnaire, &survey.plan, &responses(stored))
}

/// A problem with a submitted form, for the field it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub enum FormProblem {
    Stratum,
    CodeUnknown,
    CodeUsed,
    PaperNumberMissing,
    PaperDuplicate,
    Question(Problem),
}

/// A form's answers: `q_<question id>` fields, several for a multiple choice. For the web and paper
/// forms, answers to a question whose display condition does not hold are dropped (a form without
/// script shows every question; the condition says when to answer).
pub fn answers_from_form(questionnaire: &Questionnaire, fields: &[(String, String)]) -> Answers {
    let mut answers = Answers::new();
    for (key, value) in fields {
        if let Some(id) = key.strip_prefix("q_")
            && !value.trim().is_empty()
        {
            answers
                .entry(id.to_string())
                .or_default()
                .insert(value.trim().to_string());
        }
    }
    // Drop answers hidden by their conditions, in question order (a condition names an earlier question).
    for question in &questionnaire.questions {
        if !questionnaire.shown(question, &answers) {
            answers.remove(&question.id);
        }
    }
    answers
}

/// What a form submits.
#[derive(Debug, Clone, PartialEq)]
pub struct Intake {
    pub stratum: String,
    pub code: Option<String>,
    pub answers: Answers,
    pub channel: Channel,
    /// A paper form's number (paper keying only).
    pub paper_number: Option<String>,
    pub entered_by: Option<String>,
}

/// Checks and stores one response (the public form or a paper form). `Ok(Err(problems))` when the form
/// is refused, nothing stored.
pub async fn submit(
    state: &AppState,
    code: &str,
    survey: &LoadedSurvey,
    intake: Intake,
) -> ApiResult<Result<String, Vec<FormProblem>>> {
    let mut problems = Vec::new();
    let code_only = survey.record.access == ecociv_store::survey::SurveyAccess::Code;
    let needs_stratum = !(code_only && intake.channel == Channel::Web);
    if needs_stratum && survey.plan.stratum(&intake.stratum).is_none() {
        problems.push(FormProblem::Stratum);
    }
    if code_only && intake.channel == Channel::Web && intake.code.as_deref().is_none_or(|c| c.trim().is_empty()) {
        problems.push(FormProblem::CodeUnknown);
    }
    if intake.channel == Channel::Paper && intake.paper_number.as_deref().is_none_or(|n| n.trim().is_empty()) {
        problems.push(FormProblem::PaperNumberMissing);
    }
    problems.extend(
        survey
            .questionnaire
            .check_answers(&intake.answers)
            .into_iter()
            .map(FormProblem::Question),
    );
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let response = NewResponse {
        stratum: intake.stratum.clone(),
        answers: intake.answers,
        channel: intake.channel,
        external_id: intake.paper_number.map(|n| format!("纸质-{}", n.trim())),
        entered_by: intake.entered_by,
    };
    let code_used = if code_only && intake.channel == Channel::Web {
        intake.code.as_deref()
    } else {
        None
    };
    match state
        .store
        .submit_survey_response(code, &survey.record.survey_id, code_used, &response)
        .await
    {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::NotFound(_)) if code_used.is_some() => Ok(Err(vec![FormProblem::CodeUnknown])),
        Err(StoreError::Conflict(_)) if code_used.is_some() => Ok(Err(vec![FormProblem::CodeUsed])),
        Err(StoreError::Conflict(_)) if intake.channel == Channel::Paper => Ok(Err(vec![FormProblem::PaperDuplicate])),
        Err(StoreError::Invalid(message)) => Err(ApiError::new(Code::Conflict, message)),
        Err(other) => Err(other.into()),
    }
}

/// The bureau's actions (keying, import, codes, computing) are for reviewers and admins.
pub fn check_manager(role: Option<&ZoneRole>) -> ApiResult<()> {
    if policy::can_review(role) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Imports a platform's export: all or nothing; `Ok(Err(problems))` names lines and columns.
pub async fn import(
    state: &AppState,
    principal: &Principal,
    role: Option<&ZoneRole>,
    code: &str,
    survey: &LoadedSurvey,
    bytes: Vec<u8>,
) -> ApiResult<Result<usize, Vec<ecociv_data::Problem>>> {
    check_manager(role)?;
    import_export(&state.store, code, survey, bytes, &principal.user.id).await
}

/// Imports a platform's export (CSV or xlsx) as `entered_by` (a user id), all or nothing — the check of
/// [`import`] without the role (the command line's entry: whoever holds the database file).
/// `Ok(Err(problems))` names lines and columns: a bad cell, or numbers already stored.
pub async fn import_export(
    store: &ecociv_store::Store,
    code: &str,
    survey: &LoadedSurvey,
    bytes: Vec<u8>,
    entered_by: &str,
) -> ApiResult<Result<usize, Vec<ecociv_data::Problem>>> {
    let (questionnaire, plan) = (survey.questionnaire.clone(), survey.plan.clone());
    let parsed = crate::work::cpu(move || ecociv_survey::import::parse_export(&questionnaire, &plan, &bytes)).await?;
    let file = match parsed {
        Ok(file) => file,
        Err(problems) => return Ok(Err(problems)),
    };
    let rows: Vec<(u64, NewResponse)> = file
        .responses
        .into_iter()
        .map(|r| {
            (
                r.line,
                NewResponse {
                    stratum: r.stratum,
                    answers: r.answers,
                    channel: Channel::Import,
                    external_id: Some(r.external_id),
                    entered_by: Some(entered_by.to_string()),
                },
            )
        })
        .collect();
    match store
        .import_survey_responses(code, &survey.record.survey_id, &rows)
        .await?
    {
        Ok(n) => Ok(Ok(n)),
        Err(duplicates) => Ok(Err(duplicates
            .into_iter()
            .map(|(line, id)| {
                ecociv_data::Problem::at(
                    "",
                    Some(line),
                    Some("答卷编号"),
                    format!(
                        "答卷编号“{id}”已经导入过，整份文件未导入 (response number '{id}' is already stored; nothing was imported)"
                    ),
                )
            })
            .collect())),
    }
}

/// The survey's responses and estimates as a workbook (sheets 回答 and 估计): one line per response with
/// each question's answers by label, and each row's estimate per stratum or the reason it is refused. The
/// page's `…/export.xlsx` and `ecociv survey export` write it.
pub fn export_workbook(
    loaded: &LoadedSurvey,
    stored: &[StoredResponse],
) -> Result<Vec<u8>, ecociv_report::common::ReportError> {
    use ecociv_report::portal::Table;
    let questions = &loaded.questionnaire.questions;
    let mut header: Vec<String> = ["序号", "纸质问卷或平台编号", "层", "渠道", "提交时间"]
        .map(String::from)
        .to_vec();
    header.extend(questions.iter().map(|q| q.text.clone()));
    let channel = |c: Channel| match c {
        Channel::Web => "网上填写",
        Channel::Paper => "纸质问卷录入",
        Channel::Import => "平台导入",
    };
    let responses = Table {
        header,
        rows: stored
            .iter()
            .enumerate()
            .map(|(n, r)| {
                let stratum = loaded
                    .plan
                    .strata
                    .iter()
                    .find(|s| s.id == r.stratum)
                    .map_or_else(|| r.stratum.clone(), |s| s.name.clone());
                let mut row = vec![
                    (n + 1).to_string(),
                    r.external_id.clone().unwrap_or_default(),
                    stratum,
                    channel(r.channel).to_string(),
                    r.created_at.clone(),
                ];
                for q in questions {
                    let answers: Vec<String> = r
                        .answers
                        .get(&q.id)
                        .map(|codes| {
                            codes
                                .iter()
                                .map(|code| {
                                    q.choices
                                        .iter()
                                        .find(|c| &c.code == code)
                                        .map_or_else(|| code.clone(), |c| c.label.clone())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    row.push(answers.join("、"));
                }
                row
            })
            .collect(),
    };
    let mut estimate_table = Table {
        header: [
            "指标",
            "口径",
            "估计值（%）",
            "95%置信下限（%）",
            "95%置信上限（%）",
            "标准误（百分点）",
            "回答数",
            "有效回答数",
            "层",
            "层总体规模",
            "层回答数",
            "层有效回答数",
            "层计入数",
            "说明",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    let pct = |share: f64| ecociv_core::format::fixed(share * 100.0, 2);
    for (row, estimate) in estimates(loaded, stored) {
        match estimate {
            Ok(e) => {
                for s in &e.strata {
                    estimate_table.rows.push(vec![
                        row.clone(),
                        e.measure.clone(),
                        pct(e.share),
                        pct(e.low),
                        pct(e.high),
                        ecociv_core::format::fixed(e.standard_error * 100.0, 2),
                        e.responses.to_string(),
                        e.valid.to_string(),
                        s.name.clone(),
                        s.population.to_string(),
                        s.responses.to_string(),
                        s.valid.to_string(),
                        s.counted.to_string(),
                        ecociv_survey::METHOD_EDITION.to_string(),
                    ]);
                }
            }
            Err(error) => {
                let mut line = vec![row.clone()];
                line.extend(std::iter::repeat_n(String::new(), 12));
                line.push(error.zh());
                estimate_table.rows.push(line);
            }
        }
    }
    ecociv_report::portal::workbook(&[("回答", &responses), ("估计", &estimate_table)])
}

/// Issues codes for a stratum.
pub async fn issue_codes(
    state: &AppState,
    role: Option<&ZoneRole>,
    code: &str,
    survey: &LoadedSurvey,
    stratum: &str,
    count: usize,
) -> ApiResult<Vec<String>> {
    check_manager(role)?;
    if survey.plan.stratum(stratum).is_none() {
        return Err(ApiError::bad_request(format!(
            "抽样方案中没有层“{stratum}” (no such stratum)"
        )));
    }
    Ok(state
        .store
        .issue_survey_codes(code, &survey.record.survey_id, stratum, count)
        .await?)
}

/// Saves the estimates as the survey year's values of the rows measured (draft, for review), through the
/// workflow, one batch, all or nothing: refused when any row cannot be estimated (an empty stratum, named)
/// or a value is locked. Returns the rows saved (a row whose value in force is the same is left alone).
pub async fn compute(
    state: &AppState,
    principal: &Principal,
    role: Option<&ZoneRole>,
    code: &str,
    survey: &LoadedSurvey,
) -> ApiResult<Vec<String>> {
    check_manager(role)?;
    save_estimates(&state.store, code, survey, &principal.user.id).await
}

/// Saves the estimates as rows 34/35 of the survey's year (draft) as `author` (a user id) — [`compute`]
/// without the role (the command line's entry).
pub async fn save_estimates(
    store: &ecociv_store::Store,
    code: &str,
    survey: &LoadedSurvey,
    author: &str,
) -> ApiResult<Vec<String>> {
    let framework = super::zone_framework(store, code).await?;
    let stored = store.survey_responses(code, &survey.record.survey_id).await?;
    let year = survey.record.year;
    let mut changes = Vec::new();
    let mut saved = Vec::new();
    for (row, estimate) in estimates(survey, &stored) {
        let estimate = estimate.map_err(|e| ApiError::new(Code::InvalidValue, e.to_string()))?;
        let Some((_, framework_row)) = framework.row(&row) else {
            return Err(ApiError::new(
                Code::InvalidValue,
                format!("指标体系中没有第 {row} 行 (the framework has no row {row})"),
            ));
        };
        let observation = estimate.observation(
            year,
            &survey.record.title,
            &survey.record.survey_id,
            survey.record.synthetic,
        );
        let current = store.current(code, &row, year).await?;
        if current.as_ref().is_some_and(|c| c.observation == observation) {
            continue;
        }
        let next = workflow::next(current.as_ref().map(|r| r.status), Step::Import(Status::Draft), true)?;
        changes.push(NewRevision {
            after: current.as_ref().map_or(0, |r| r.revision_no),
            action: Action::Import,
            status: next,
            unit: framework_row.unit.clone(),
            evidence: String::new(),
            reason: "由问卷调查计算".into(),
            observation,
        });
        saved.push(row);
    }
    if !changes.is_empty() {
        store
            .append_revisions(
                code,
                author,
                Some(Batch {
                    format: "survey".into(),
                }),
                changes,
            )
            .await?;
    }
    Ok(saved)
}

/// Creates a survey with the default questionnaire and the given sampling plan (TOML, checked).
pub async fn create(
    state: &AppState,
    principal: &Principal,
    role: Option<&ZoneRole>,
    code: &str,
    survey: NewSurveyInput,
) -> ApiResult<Result<String, Vec<Problem>>> {
    check_manager(role)?;
    if let Err(problems) = SamplingPlan::parse(&survey.plan_toml) {
        return Ok(Err(problems));
    }
    if !ecociv_core::value::YEARS.contains(&survey.year) || survey.title.trim().is_empty() {
        return Err(ApiError::bad_request("年度或标题无效 (invalid year or title)"));
    }
    let id = state
        .store
        .create_survey(
            code,
            &NewSurvey {
                year: survey.year,
                title: survey.title.trim().to_string(),
                questionnaire_toml: ecociv_survey::questionnaire::DEFAULT_TOML.to_string(),
                plan_toml: survey.plan_toml,
                access: survey.access,
                synthetic: survey.synthetic,
                created_by: principal.user.id.clone(),
            },
        )
        .await?;
    Ok(Ok(id))
}

/// A survey to create.
#[derive(Debug, Clone)]
pub struct NewSurveyInput {
    pub year: i32,
    pub title: String,
    pub plan_toml: String,
    pub access: ecociv_store::survey::SurveyAccess,
    pub synthetic: bool,
}

/// Opens or closes a survey.
pub async fn set_state(
    state: &AppState,
    role: Option<&ZoneRole>,
    code: &str,
    survey_id: &str,
    open: bool,
) -> ApiResult<()> {
    check_manager(role)?;
    let to = if open {
        SurveyState::Collecting
    } else {
        SurveyState::Closed
    };
    Ok(state.store.set_survey_state(code, survey_id, to).await?)
}

/// Responses per channel.
pub fn by_channel(stored: &[StoredResponse]) -> BTreeMap<&'static str, u64> {
    let mut counts = BTreeMap::new();
    for r in stored {
        *counts.entry(r.channel.as_str()).or_insert(0) += 1;
    }
    counts
}

/// The demo survey's sampling plan (SYNTHETIC: the seed's streets, invented sizes).
pub const DEMO_PLAN: &str = include_str!("../../../../data/synthetic/survey/plan-450202.SYNTHETIC.toml");
/// The demo survey's year: rows 34/35 of this year come from it.
pub const DEMO_YEAR: i32 = 2024;

/// SplitMix64, for the demo's generated answers (fixed seed: the same demo every time).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, n) (n small: the modulo bias is negligible for a demo).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Loads the demo survey into the example zone: an open survey of [`DEMO_YEAR`] with the default
/// questionnaire and the SYNTHETIC plan, about 94 % of each quota answered by generated respondents
/// (satisfied about 91 %, participating about 93 %, varying by street), imported as one batch, and rows
/// 34/35 of the year saved (approved, as the demo's other values) from the estimate — their source says
/// synthetic. The survey stays open, so the demo's public form can be answered.
pub async fn load_demo(store: &ecociv_store::Store, zone: &str, author: &str) -> ApiResult<String> {
    let questionnaire = Questionnaire::default_zone();
    let plan = SamplingPlan::parse(DEMO_PLAN).map_err(|p| ApiError::internal(format!("demo plan: {p:?}")))?;
    let id = store
        .create_survey(
            zone,
            &NewSurvey {
                year: DEMO_YEAR,
                title: format!("{DEMO_YEAR}年度公众生态文明建设满意度和参与度调查（演示）"),
                questionnaire_toml: ecociv_survey::questionnaire::DEFAULT_TOML.to_string(),
                plan_toml: DEMO_PLAN.to_string(),
                access: ecociv_store::survey::SurveyAccess::Open,
                synthetic: true,
                created_by: author.to_string(),
            },
        )
        .await?;
    let mut rng = SplitMix(20_240_601);
    let mut rows = Vec::new();
    let one = |code: &str| std::iter::once(code.to_string()).collect();
    for (h, stratum) in plan.strata.iter().enumerate() {
        let n = stratum.quota.unwrap_or(40) * 94 / 100;
        // Per street: satisfied 86–96 %, participating 89–97 % (in thousandths).
        let satisfied = 860 + (h as u64 * 37) % 100;
        let participating = 890 + (h as u64 * 53) % 80;
        for _ in 0..n {
            let mut answers = Answers::new();
            answers.insert("aware".into(), one(["1", "1", "2", "3"][rng.below(4) as usize]));
            let sat = if rng.below(1000) < satisfied {
                ["1", "2"][rng.below(2) as usize]
            } else {
                ["3", "4", "5"][rng.below(3) as usize]
            };
            answers.insert("sat_overall".into(), one(sat));
            if sat == "4" || sat == "5" {
                answers.insert(
                    "dissat_reason".into(),
                    one(["air", "noise", "waste", "enforce"][rng.below(4) as usize]),
                );
            }
            let activities = ["sort", "travel", "save", "plant", "volunteer", "report", "hearing"];
            let part = if rng.below(1000) < participating {
                (0..1 + rng.below(3))
                    .map(|_| activities[rng.below(7) as usize].to_string())
                    .collect()
            } else {
                one("none")
            };
            answers.insert("participate".into(), part);
            rows.push((
                rows.len() as u64 + 2,
                NewResponse {
                    stratum: stratum.id.clone(),
                    answers,
                    channel: Channel::Import,
                    external_id: Some(format!("SYNTHETIC-{:04}", rows.len() + 1)),
                    entered_by: Some(author.to_string()),
                },
            ));
        }
    }
    if let Err(duplicates) = store.import_survey_responses(zone, &id, &rows).await? {
        return Err(ApiError::internal(format!("demo survey: {duplicates:?}")));
    }
    let stored = store.survey_responses(zone, &id).await?;
    let survey = LoadedSurvey {
        record: store
            .survey(zone, &id)
            .await?
            .ok_or_else(|| ApiError::internal("demo survey"))?,
        questionnaire,
        plan,
    };
    let mut revisions = Vec::new();
    for (row, estimate) in estimates(&survey, &stored) {
        let estimate = estimate.map_err(ApiError::internal)?;
        revisions.push(NewRevision {
            after: store.current(zone, &row, DEMO_YEAR).await?.map_or(0, |r| r.revision_no),
            action: Action::Import,
            status: Status::Approved,
            unit: "%".into(),
            evidence: String::new(),
            reason: "演示数据：由合成的演示问卷回答计算".into(),
            observation: estimate.observation(DEMO_YEAR, &survey.record.title, &survey.record.survey_id, true),
        });
    }
    store
        .append_revisions(
            zone,
            author,
            Some(Batch {
                format: "survey".into(),
            }),
            revisions,
        )
        .await?;
    Ok(id)
}
