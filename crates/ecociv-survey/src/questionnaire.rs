//! The questionnaire (调查问卷) as data: questions, answer scales, simple display conditions, and the
//! measures — which answers count as satisfied (满意) for row 34 or as participating (参与) for row 35.
//!
//! The format is TOML (`data/questionnaire-default.toml` documents it in its header). Parsing checks
//! the whole file and reports every problem together; a questionnaire that parses is consistent: every
//! code unique within its question, every condition and measure naming a question and codes it has.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The zone's default questionnaire, written from the standard's indicator explanations for rows 34 and
/// 35 as far as they are known; the file names its doubts.
pub const DEFAULT_TOML: &str = include_str!("../data/questionnaire-default.toml");

/// A questionnaire (调查问卷).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// A stable identifier, e.g. `ecociv-default`.
    pub id: String,
    /// The questionnaire's edition; recorded with every estimate made from it.
    pub edition: String,
    pub title: String,
    pub title_en: String,
    /// The text shown above the questions (purpose, anonymity).
    pub intro: String,
    pub intro_en: String,
    /// What the questionnaire was written from.
    pub basis: String,
    /// What is uncertain about the questionnaire as a whole, in Chinese and English (empty when nothing).
    #[serde(default)]
    pub doubt: String,
    #[serde(default)]
    pub doubt_en: String,
    pub questions: Vec<Question>,
    pub measures: Vec<Measure>,
}

/// A question (题目).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub text_en: String,
    pub kind: QuestionKind,
    pub choices: Vec<Choice>,
    /// Whether a respondent shown the question must answer it.
    #[serde(default)]
    pub required: bool,
    /// Shown only when this condition holds (otherwise always shown).
    #[serde(default)]
    pub show_if: Option<Condition>,
    /// Uncertain wording, named (empty when none).
    #[serde(default)]
    pub doubt: String,
}

/// One answer or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// 单选.
    Single,
    /// 多选.
    Multiple,
}

/// An answer option (选项).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// A short code, as stored and as a platform export may write it.
    pub code: String,
    pub label: String,
    pub label_en: String,
    /// In a multiple-choice question, an option that excludes the others (e.g. 都没有参加).
    #[serde(default)]
    pub exclusive: bool,
}

/// A display condition (显示条件): show the question when the answer to `question` includes any of
/// `any_of`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    pub any_of: Vec<String>,
}

/// How one row's share is read from the answers (计分口径): a respondent counts for the row when their
/// answer to `question` includes any of `counts`; respondents who did not answer it (or were not shown
/// it) are left out of that row's share.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// The framework row, e.g. `34`.
    pub row: String,
    /// What a counted respondent is, e.g. 满意.
    pub name: String,
    pub name_en: String,
    pub question: String,
    pub counts: Vec<String>,
    /// Uncertain scoring, named (empty when none).
    #[serde(default)]
    pub doubt: String,
    #[serde(default)]
    pub doubt_en: String,
}

/// An answer to one question: the chosen codes (one for a single-choice question).
pub type Answer = BTreeSet<String>;

/// One respondent's answers, by question id.
pub type Answers = BTreeMap<String, Answer>;

/// A problem with a questionnaire file or with a response, naming the question (or part) it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The question id or part of the file, e.g. `sat_overall` or `measures[0]`.
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl Problem {
    fn new(field: impl Into<String>, zh: String, en: String) -> Self {
        Self {
            field: field.into(),
            zh,
            en,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}（{}）", self.field, self.zh, self.en)
    }
}

impl Questionnaire {
    /// Parses and checks a questionnaire; every problem is reported, none applied.
    pub fn parse(text: &str) -> Result<Self, Vec<Problem>> {
        let questionnaire: Questionnaire = toml::from_str(text).map_err(|error| {
            vec![Problem::new(
                "问卷文件",
                format!("无法读取：{}", error.message()),
                format!("cannot be read: {}", error.message()),
            )]
        })?;
        let problems = questionnaire.check();
        if problems.is_empty() {
            Ok(questionnaire)
        } else {
            Err(problems)
        }
    }

    /// The bundled default questionnaire.
    pub fn default_zone() -> Self {
        Self::parse(DEFAULT_TOML).expect("the bundled questionnaire is valid (tested)")
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|question| question.id == id)
    }

    pub fn measure(&self, row: &str) -> Option<&Measure> {
        self.measures.iter().find(|measure| measure.row == row)
    }

    fn check(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        for (index, question) in self.questions.iter().enumerate() {
            if question.id.trim().is_empty() || !ids.insert(question.id.as_str()) {
                problems.push(Problem::new(
                    format!("questions[{index}]"),
                    format!("题目编号“{}”为空或重复", question.id),
                    format!("question id '{}' is empty or repeated", question.id),
                ));
            }
            if question.choices.len() < 2 {
                problems.push(Problem::new(
                    &question.id,
                    "至少需要两个选项".into(),
                    "needs at least two choices".into(),
                ));
            }
            let mut codes = BTreeSet::new();
            let mut labels = BTreeSet::new();
            for choice in &question.choices {
                if choice.code.trim().is_empty() || !codes.insert(choice.code.as_str()) {
                    problems.push(Problem::new(
                        &question.id,
                        format!("选项代码“{}”为空或重复", choice.code),
                        format!("choice code '{}' is empty or repeated", choice.code),
                    ));
                }
                if !labels.insert(choice.label.as_str()) || codes_collide(&question.choices, choice) {
                    problems.push(Problem::new(
                        &question.id,
                        format!("选项文字“{}”重复或与另一选项的代码相同", choice.label),
                        format!(
                            "choice label '{}' is repeated or equals another choice's code",
                            choice.label
                        ),
                    ));
                }
                if choice.label.chars().any(|c| SEPARATORS.contains(&c)) {
                    problems.push(Problem::new(
                        &question.id,
                        format!("选项文字“{}”含有多选分隔符", choice.label),
                        format!("choice label '{}' contains a multiple-choice separator", choice.label),
                    ));
                }
                if choice.exclusive && question.kind == QuestionKind::Single {
                    problems.push(Problem::new(
                        &question.id,
                        "单选题的选项不能标为互斥".into(),
                        "a single-choice question's option cannot be exclusive".into(),
                    ));
                }
            }
        }
        for question in &self.questions {
            if let Some(condition) = &question.show_if {
                let position = |id: &str| self.questions.iter().position(|q| q.id == id);
                match (position(&condition.question), position(&question.id)) {
                    (Some(before), Some(this)) if before < this => {
                        self.check_codes(&condition.question, &condition.any_of, &question.id, &mut problems);
                    }
                    _ => problems.push(Problem::new(
                        &question.id,
                        format!("显示条件引用的题目“{}”不存在或不在本题之前", condition.question),
                        format!(
                            "the display condition's question '{}' does not exist or does not come before this one",
                            condition.question
                        ),
                    )),
                }
            }
        }
        let mut rows = BTreeSet::new();
        for (index, measure) in self.measures.iter().enumerate() {
            let field = format!("measures[{index}]");
            if !rows.insert(measure.row.as_str()) {
                problems.push(Problem::new(
                    &field,
                    format!("指标 {} 的计分口径重复", measure.row),
                    format!("row {} is measured twice", measure.row),
                ));
            }
            if measure.counts.is_empty() {
                problems.push(Problem::new(
                    &field,
                    "计分口径未列出计入的选项".into(),
                    "the measure lists no counted answers".into(),
                ));
            }
            if self.question(&measure.question).is_none() {
                problems.push(Problem::new(
                    &field,
                    format!("计分口径引用的题目“{}”不存在", measure.question),
                    format!("the measure's question '{}' does not exist", measure.question),
                ));
            } else {
                self.check_codes(&measure.question, &measure.counts, &field, &mut problems);
            }
        }
        problems
    }

    fn check_codes(&self, question: &str, codes: &[String], field: &str, problems: &mut Vec<Problem>) {
        let Some(question) = self.question(question) else {
            return;
        };
        for code in codes {
            if !question.choices.iter().any(|choice| &choice.code == code) {
                problems.push(Problem::new(
                    field,
                    format!("题目“{}”没有选项代码“{code}”", question.id),
                    format!("question '{}' has no choice code '{code}'", question.id),
                ));
            }
        }
    }

    /// Whether `question` is shown to a respondent with these answers.
    pub fn shown(&self, question: &Question, answers: &Answers) -> bool {
        match &question.show_if {
            None => true,
            Some(condition) => answers
                .get(&condition.question)
                .is_some_and(|answer| condition.any_of.iter().any(|code| answer.contains(code))),
        }
    }

    /// Checks one respondent's answers: every question known, every code a choice of its question, one
    /// answer to a single-choice question, an exclusive option alone, nothing answered that the
    /// conditions hide, every required question shown answered. All problems are returned.
    pub fn check_answers(&self, answers: &Answers) -> Vec<Problem> {
        let mut problems = Vec::new();
        for id in answers.keys() {
            if self.question(id).is_none() {
                problems.push(Problem::new(
                    id,
                    "问卷中没有这道题".into(),
                    "the questionnaire has no such question".into(),
                ));
            }
        }
        for question in &self.questions {
            let answer = answers.get(&question.id).filter(|answer| !answer.is_empty());
            let shown = self.shown(question, answers);
            match answer {
                None if shown && question.required => problems.push(Problem::new(
                    &question.id,
                    "必答题未作答".into(),
                    "a required question is not answered".into(),
                )),
                None => {}
                Some(_) if !shown => problems.push(Problem::new(
                    &question.id,
                    "按显示条件本题不应作答".into(),
                    "answered although its display condition does not hold".into(),
                )),
                Some(answer) => {
                    for code in answer {
                        if !question.choices.iter().any(|choice| &choice.code == code) {
                            problems.push(Problem::new(
                                &question.id,
                                format!("没有选项“{code}”"),
                                format!("no choice '{code}'"),
                            ));
                        }
                    }
                    if question.kind == QuestionKind::Single && answer.len() > 1 {
                        problems.push(Problem::new(
                            &question.id,
                            "单选题选了多个选项".into(),
                            "several choices for a single-choice question".into(),
                        ));
                    }
                    let exclusive = question
                        .choices
                        .iter()
                        .filter(|choice| choice.exclusive && answer.contains(&choice.code))
                        .map(|choice| choice.label.as_str())
                        .next();
                    if let Some(label) = exclusive
                        && answer.len() > 1
                    {
                        problems.push(Problem::new(
                            &question.id,
                            format!("选项“{label}”不能与其他选项同选"),
                            format!("the choice '{label}' excludes the others"),
                        ));
                    }
                }
            }
        }
        problems
    }

    /// Reads one cell of a platform export or a paper form into an answer: each part a choice's code or
    /// its exact label; several parts (multiple choice) separated by any of `┋ | ; ；` (not 、 or ，, which labels use). An empty
    /// cell is no answer.
    pub fn read_cell(&self, question: &Question, cell: &str) -> Result<Answer, Problem> {
        let mut answer = Answer::new();
        for part in cell.split(SEPARATORS).map(str::trim).filter(|part| !part.is_empty()) {
            let choice = question
                .choices
                .iter()
                .find(|choice| choice.code == part || choice.label == part)
                .ok_or_else(|| {
                    let allowed: Vec<&str> = question.choices.iter().map(|c| c.label.as_str()).collect();
                    Problem::new(
                        &question.id,
                        format!("“{part}”不是本题的选项（可选：{}）", allowed.join("、")),
                        format!("'{part}' is not a choice of this question"),
                    )
                })?;
            answer.insert(choice.code.clone());
        }
        Ok(answer)
    }
}

/// The separators between the choices of a multiple-choice cell (问卷星 writes `┋`).
pub const SEPARATORS: &[char] = &['┋', '|', ';', '；'];

fn codes_collide(choices: &[Choice], choice: &Choice) -> bool {
    choices
        .iter()
        .any(|other| !std::ptr::eq(other, choice) && other.code == choice.label)
}

impl Measure {
    /// Whether a respondent counts (`Some(true)`), does not (`Some(false)`), or is left out (`None`:
    /// the question was not answered).
    pub fn classify(&self, answers: &Answers) -> Option<bool> {
        let answer = answers.get(&self.question).filter(|answer| !answer.is_empty())?;
        Some(self.counts.iter().any(|code| answer.contains(code)))
    }
}
