//! Values on record: what was observed for a row in a year, with what the higher level assigned, what a
//! document recorded, and where it all came from.

use std::fmt;

use crate::framework::{Row, StateVerdict};
use crate::num::show;

/// A row's value (现状值): a number in the row's unit, or a state text from the row's vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    State(String),
    /// A record for the spatial rule (面积不减少，性质不改变，功能不降低).
    Spatial(SpatialRecord),
}

/// The state of a protected space (生态保护红线, 自然保护地) in a year: its area, whether its nature
/// (性质) is unchanged and whether its function (功能) has not been lowered. Any part may be unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialRecord {
    /// Area in km².
    pub area_km2: Option<f64>,
    pub nature_unchanged: Option<bool>,
    pub function_kept: Option<bool>,
}

impl Value {
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(number) => Some(*number),
            Value::State(_) | Value::Spatial(_) => None,
        }
    }

    /// The value as the table would print it.
    pub fn display(&self) -> String {
        match self {
            Value::Number(number) => show(*number),
            Value::State(text) => text.clone(),
            Value::Spatial(record) => {
                let mut parts = Vec::new();
                if let Some(area) = record.area_km2 {
                    parts.push(format!("面积={}", show(area)));
                }
                if let Some(nature) = record.nature_unchanged {
                    parts.push(format!("性质={}", if nature { "不变" } else { "改变" }));
                }
                if let Some(function) = record.function_kept {
                    parts.push(format!("功能={}", if function { "不降低" } else { "降低" }));
                }
                parts.join(";")
            }
        }
    }
}

/// What the higher level (上级) set for a row in a year.
#[derive(Debug, Clone, PartialEq)]
pub enum Assigned {
    /// An assigned value in the row's unit (e.g. a PM2.5 concentration target of 30 μg/m³).
    Value(f64),
    /// The higher level's recorded verdict on the task: 完成 (`true`) or 未完成 (`false`).
    Verdict(bool),
}

impl Assigned {
    /// The word of a completed task in every input and output: 完成.
    pub const DONE: &'static str = "完成";
    /// The word of a task not completed: 未完成.
    pub const NOT_DONE: &'static str = "未完成";

    /// The verdict's word, 完成 or 未完成: the one home of these words (the parsers read them, the
    /// forms, files, store and explanations write them).
    pub fn verdict_zh(done: bool) -> &'static str {
        if done { Self::DONE } else { Self::NOT_DONE }
    }

    /// The verdict in English: `completed` / `not completed`.
    pub fn verdict_en(done: bool) -> &'static str {
        if done { "completed" } else { "not completed" }
    }
}

/// The text of an assigned value as a values file, a template cell, a form field and the store hold
/// it: the number in its shortest exact decimal (it reads back to the same `f64`), or 完成 / 未完成 —
/// exactly what [`parse_assigned`] reads.
impl fmt::Display for Assigned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Assigned::Value(number) => write!(f, "{number}"),
            Assigned::Verdict(done) => f.write_str(Assigned::verdict_zh(*done)),
        }
    }
}

/// A verdict recorded in a document (e.g. the 达标情况 column of the plan's Table 2-1). It is used only
/// where the standard's rule cannot judge the value itself, and the explanation then says so; where the
/// rule can judge, a disagreement with the recorded verdict is reported as a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub met: bool,
    /// The document and place that records it.
    pub source: String,
}

/// Where a value comes from (出处).
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A document, e.g. the plan's Table 2-1 or chapter 1.
    Document { citation: String },
    /// A line of a data file.
    File { path: String, line: u64 },
    /// Computed from monitoring data.
    Computed {
        /// What was computed and by which standard, e.g. "HJ 663-2013 优良天数比例".
        method: String,
        /// The edition(s) of the standards that produced it.
        edition: String,
        /// Stations / sections, days, samples used (Chinese, for people; no file names).
        provenance: String,
        /// The input files' names, for programs and audits (the API's JSON); never in the text people read.
        files: Vec<String>,
    },
    /// Derived from the records of a register (台账) by one of its kind's feeds (`ecociv-ledger`).
    Ledger {
        /// The register's Chinese name, e.g. 危险废物利用处置台账.
        kind: String,
        /// The kind's code (technical, for programs).
        kind_id: String,
        /// The kind's version that derived the figure.
        version: u32,
        /// The arithmetic, in Chinese, e.g. 利用处置量之和÷产生量之和×100＝95.5÷100×100＝95.5%.
        method: String,
        /// The records counted and the formula's basis (Chinese, for people).
        provenance: String,
        /// The ids of the records counted (technical; the API's JSON).
        records: Vec<String>,
        /// Derived from records labelled SYNTHETIC: demo data, always shown as such.
        synthetic: bool,
    },
    /// Estimated from a survey of the public (问卷调查): the share of a stratified sample with its 95 %
    /// confidence interval (`ecociv-survey`), for rows 34 and 35.
    Survey {
        /// The survey's title, e.g. 2024 年度公众生态文明建设满意度与参与度调查.
        survey: String,
        /// The survey's code (technical: the API's JSON and links).
        survey_id: String,
        /// The estimator, in Chinese.
        method: String,
        /// The estimation method's and the questionnaire's editions.
        edition: String,
        /// Valid answers to the row's question (n) and responses in all.
        valid: u64,
        responses: u64,
        /// The 95 % confidence interval, in percent.
        low: f64,
        high: f64,
        /// Strata, response rate and named doubts (Chinese, for people).
        provenance: String,
        /// Estimated from responses labelled SYNTHETIC: demo data, always shown as such.
        synthetic: bool,
    },
    /// Synthetic data for demos and tests — always shown as such.
    Synthetic {
        note: String,
        /// The input files' names, when computed from files (technical, as for `Computed`).
        files: Vec<String>,
    },
}

impl Source {
    /// A one-line description in Chinese, for people: no file path (a file line reads 数值文件第N行; the
    /// path stays in the `File` source for programs).
    pub fn describe(&self) -> String {
        match self {
            Source::Document { citation } => citation.clone(),
            Source::File { line, .. } => format!("数值文件第{line}行"),
            Source::Computed {
                method,
                edition,
                provenance,
                ..
            } => {
                format!("由监测数据计算：{method}（{edition}）；{provenance}")
            }
            Source::Ledger {
                kind,
                version,
                method,
                provenance,
                synthetic,
                ..
            } => {
                let text = format!("由台账记录计算：{kind}（第{version}版）：{method}；{provenance}");
                if *synthetic {
                    format!("合成的演示数据，不得作为正式评估结论：{text}")
                } else {
                    text
                }
            }
            Source::Survey {
                method,
                edition,
                provenance,
                synthetic,
                ..
            } => {
                let text = format!("由问卷调查计算：{method}（{edition}）；{provenance}");
                if *synthetic {
                    format!("合成的演示数据，不得作为正式评估结论：{text}")
                } else {
                    text
                }
            }
            Source::Synthetic { note, .. } => format!("合成的演示数据，不得作为正式评估结论：{note}"),
        }
    }

    /// The input files a computed or synthetic figure came from (technical; empty otherwise).
    pub fn files(&self) -> &[String] {
        match self {
            Source::Computed { files, .. } | Source::Synthetic { files, .. } => files,
            Source::Document { .. } | Source::File { .. } | Source::Ledger { .. } | Source::Survey { .. } => &[],
        }
    }

    pub fn is_synthetic(&self) -> bool {
        matches!(
            self,
            Source::Synthetic { .. } | Source::Ledger { synthetic: true, .. } | Source::Survey { synthetic: true, .. }
        )
    }

    /// Where the figure comes from, in Chinese, for the tables that say per row which figures were typed,
    /// computed from monitoring data, derived from registers or estimated from a survey: 文件记载, 填报数值,
    /// 监测数据计算, 台账计算, 问卷调查计算, 合成数据 (a synthetic ledger or survey figure stays 台账计算 /
    /// 问卷调查计算; `is_synthetic` says it is synthetic).
    pub fn origin_zh(&self) -> &'static str {
        match self {
            Source::Document { .. } => "文件记载",
            Source::File { .. } => "填报数值",
            Source::Computed { .. } => "监测数据计算",
            Source::Ledger { .. } => "台账计算",
            Source::Survey { .. } => "问卷调查计算",
            Source::Synthetic { .. } => "合成数据",
        }
    }

    /// The short tag of [`Source::origin_zh`] a table prints beside a figure: 文件, 填报, 监测, 台账, 调查, 合成
    /// (the pages print the same words through their `origin.*` texts).
    pub fn origin_tag_zh(&self) -> &'static str {
        match self {
            Source::Document { .. } => "文件",
            Source::File { .. } => "填报",
            Source::Computed { .. } => "监测",
            Source::Ledger { .. } => "台账",
            Source::Survey { .. } => "调查",
            Source::Synthetic { .. } => "合成",
        }
    }

    /// Where the figure comes from, for tables that say which rows are derived: `document`, `file`,
    /// `computed` (monitoring data), `ledger` (register records), `survey` (a survey's estimate) or
    /// `synthetic` (synthetic monitoring or typed demo data; synthetic ledger and survey figures stay
    /// `ledger` / `survey` and say so through `is_synthetic`).
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Document { .. } => "document",
            Source::File { .. } => "file",
            Source::Computed { .. } => "computed",
            Source::Ledger { .. } => "ledger",
            Source::Survey { .. } => "survey",
            Source::Synthetic { .. } => "synthetic",
        }
    }
}

/// One row's value in one year, with everything needed to judge and explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub row: String,
    pub year: i32,
    pub value: Value,
    pub assigned: Option<Assigned>,
    pub recorded: Option<Recorded>,
    pub source: Source,
}

/// Why a value text is not acceptable for a row.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueError {
    Empty,
    /// A state text outside the row's vocabulary.
    UnknownState {
        text: String,
        allowed: Vec<String>,
    },
    /// A number for a row that takes only state texts.
    NumberNotAllowed,
    NotANumber {
        text: String,
    },
    OutOfRange {
        value: f64,
        low: f64,
        high: f64,
    },
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::Empty => write!(f, "值为空 (empty value)"),
            ValueError::UnknownState { text, allowed } => {
                if allowed.is_empty() {
                    write!(
                        f,
                        "“{text}”不是数字，本指标不接受状态文字 (not a number, and this row takes no state texts)"
                    )
                } else {
                    write!(
                        f,
                        "“{text}”不是本指标允许的状态；允许：{} (state not allowed for this row)",
                        allowed.join("、")
                    )
                }
            }
            ValueError::NumberNotAllowed => {
                write!(f, "本指标只接受状态文字，不接受数字 (this row takes state texts only)")
            }
            ValueError::NotANumber { text } => write!(f, "“{text}”不是有效数字 (not a valid number)"),
            ValueError::OutOfRange { value, low, high } => write!(
                f,
                "{} 超出允许范围 {}–{} (out of range)",
                show(*value),
                show(*low),
                show(*high)
            ),
        }
    }
}

impl std::error::Error for ValueError {}

/// Input text as an error shows it: the first 80 characters and `…（共 N 字节）` when longer, control characters
/// escaped. The same rule as `ecociv_csvline::excerpt` (the readers' one), kept here because the core depends
/// on nothing; a test in `ecociv-data` pins that the two agree.
pub fn excerpt(text: &str) -> String {
    const CHARS: usize = 80;
    let mut out = String::new();
    for c in text.chars().take(CHARS) {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    if text.chars().nth(CHARS).is_some() {
        out.push_str(&format!("…（共 {} 字节）", text.len()));
    }
    out
}

/// The years a value, an assessment or a template may have: 1949–2100. One rule for every input path (the
/// values files, the CLI's `--year`, the API, the forms), so an impossible year is refused the same way
/// everywhere instead of silently giving an empty assessment.
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2100;

/// A year outside [`YEARS`], or a text that is not a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearError {
    /// The text as given (cut to a readable length).
    pub text: String,
}

impl fmt::Display for YearError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}”不是有效年份，应为 {}–{} 之间的整数 (not a valid year: an integer from {} to {})",
            self.text,
            YEARS.start(),
            YEARS.end(),
            YEARS.start(),
            YEARS.end()
        )
    }
}

impl std::error::Error for YearError {}

/// Checks a year against [`YEARS`].
pub fn check_year(year: i32) -> Result<i32, YearError> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(YearError { text: year.to_string() })
    }
}

/// Parses a year text (surrounding spaces allowed) and checks it against [`YEARS`].
pub fn parse_year(text: &str) -> Result<i32, YearError> {
    let trimmed = text.trim();
    trimmed
        .parse::<i32>()
        .ok()
        .filter(|year| YEARS.contains(year))
        .ok_or_else(|| YearError {
            text: trimmed.chars().take(20).collect(),
        })
}

/// Parses a value text for a row: a number (a trailing `%` is accepted on `%` rows) or a state text
/// from the row's vocabulary. An unknown text is an error, never a silent fail.
pub fn parse_value(row: &Row, text: &str) -> Result<Value, ValueError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValueError::Empty);
    }
    if let Some(state) = row.state(text) {
        return Ok(Value::State(state.text.clone()));
    }
    if row.spatial
        && let Some(record) = parse_spatial(text)
    {
        return record.map(Value::Spatial);
    }
    let numeric = if row.unit == "%" {
        text.strip_suffix('%').unwrap_or(text).trim()
    } else {
        text
    };
    let looks_numeric = numeric
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && numeric.chars().any(|c| c.is_ascii_digit());
    if !looks_numeric {
        return Err(ValueError::UnknownState {
            text: excerpt(text),
            allowed: row.states.iter().map(|state| state.text.clone()).collect(),
        });
    }
    if !row.takes_numbers() {
        return Err(ValueError::NumberNotAllowed);
    }
    let number: f64 = numeric
        .parse()
        .map_err(|_| ValueError::NotANumber { text: excerpt(text) })?;
    if !number.is_finite() {
        return Err(ValueError::NotANumber { text: excerpt(text) });
    }
    if let Some((low, high)) = row.range
        && !(low..=high).contains(&number)
    {
        return Err(ValueError::OutOfRange {
            value: number,
            low,
            high,
        });
    }
    Ok(Value::Number(number))
}

/// Parses the `assigned` cell: a number in the row's unit, or the verdict 完成 / 未完成.
pub fn parse_assigned(row: &Row, text: &str) -> Result<Option<Assigned>, ValueError> {
    let text = text.trim();
    match text {
        "" => Ok(None),
        Assigned::DONE | "已完成" => Ok(Some(Assigned::Verdict(true))),
        Assigned::NOT_DONE => Ok(Some(Assigned::Verdict(false))),
        _ => {
            let numeric = if row.unit == "%" {
                text.strip_suffix('%').unwrap_or(text).trim()
            } else {
                text
            };
            match numeric.parse::<f64>() {
                Ok(number) if number.is_finite() && row.takes_numbers() => Ok(Some(Assigned::Value(number))),
                Ok(_) if !row.takes_numbers() => Err(ValueError::NumberNotAllowed),
                _ => Err(ValueError::UnknownState {
                    text: excerpt(text),
                    allowed: vec![
                        Assigned::DONE.to_string(),
                        Assigned::NOT_DONE.to_string(),
                        "数字 (a number)".to_string(),
                    ],
                }),
            }
        }
    }
}

/// Parses a recorded verdict: 达标 / 不达标.
pub fn parse_recorded(text: &str) -> Result<Option<bool>, ValueError> {
    match text.trim() {
        "" => Ok(None),
        "达标" => Ok(Some(true)),
        "不达标" => Ok(Some(false)),
        other => Err(ValueError::UnknownState {
            text: excerpt(other),
            allowed: vec!["达标".to_string(), "不达标".to_string()],
        }),
    }
}

/// What the vocabulary says about a state value, if it is one.
pub fn state_verdict(row: &Row, value: &Value) -> Option<StateVerdict> {
    match value {
        Value::State(text) => row.state(text).map(|state| state.verdict),
        Value::Number(_) | Value::Spatial(_) => None,
    }
}

/// Parses a spatial record: `面积=12.5;性质=不变;功能=不降低` (or `area=12.5;nature=unchanged;function=kept`).
/// Returns `None` when the text is not of that form.
pub fn parse_spatial(text: &str) -> Option<Result<SpatialRecord, ValueError>> {
    if !text.contains('=') {
        return None;
    }
    let mut record = SpatialRecord {
        area_km2: None,
        nature_unchanged: None,
        function_kept: None,
    };
    for part in text.split([';', '；']).map(str::trim).filter(|part| !part.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Some(Err(ValueError::NotANumber { text: part.to_string() }));
        };
        let (key, value) = (key.trim(), value.trim());
        let bad = || ValueError::UnknownState {
            text: excerpt(part),
            allowed: vec!["面积=数字".into(), "性质=不变|改变".into(), "功能=不降低|降低".into()],
        };
        match key {
            "面积" | "area" => match value.parse::<f64>() {
                Ok(area) if area.is_finite() && area >= 0.0 => record.area_km2 = Some(area),
                _ => {
                    return Some(Err(ValueError::NotANumber {
                        text: value.to_string(),
                    }));
                }
            },
            "性质" | "nature" => match value {
                "不变" | "未改变" | "unchanged" => record.nature_unchanged = Some(true),
                "改变" | "changed" => record.nature_unchanged = Some(false),
                _ => return Some(Err(bad())),
            },
            "功能" | "function" => match value {
                "不降低" | "未降低" | "kept" => record.function_kept = Some(true),
                "降低" | "lowered" => record.function_kept = Some(false),
                _ => return Some(Err(bad())),
            },
            _ => return Some(Err(bad())),
        }
    }
    Some(Ok(record))
}

#[cfg(test)]
mod year_tests {
    use super::*;

    #[test]
    fn one_year_rule() {
        assert_eq!(parse_year(" 2021 "), Ok(2021));
        assert_eq!(parse_year("1949"), Ok(1949));
        assert_eq!(parse_year("2100"), Ok(2100));
        for bad in ["0", "1948", "2101", "2147483647", "99999999999", "二〇二一", ""] {
            assert!(parse_year(bad).is_err(), "{bad}");
        }
        assert!(check_year(0).unwrap_err().to_string().contains("1949–2100"));
    }
}
