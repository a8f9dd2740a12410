//! Input and output types of the progress measure: a series of yearly observations, its desired
//! direction, base and target, and the statuses the method can give.
//!
//! Nothing here has a default that could silently decide a judgement: the direction in particular
//! must always be given (Open SDG's code defaults to "lower is better"; we never do — see
//! `anchors.md` §2.3 and §9.3).

use serde::Serialize;

/// One yearly observation of an indicator (观测值): `(year, value)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observation {
    pub year: i32,
    pub value: f64,
}

impl Observation {
    pub fn new(year: i32, value: f64) -> Self {
        Self { year, value }
    }
}

/// Desired direction of progress (指标方向): whether a higher value is better (正向指标) or a lower
/// value is better (逆向指标). Always set explicitly per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    /// The method's `d`: +1 for higher-is-better, −1 for lower-is-better.
    pub fn d(self) -> f64 {
        match self {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }

    /// Whether `value` meets `target` in this direction (`≥` or `≤`, boundary included).
    pub fn meets(self, value: f64, target: f64) -> bool {
        match self {
            Direction::HigherIsBetter => value >= target,
            Direction::LowerIsBetter => value <= target,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "正向（越高越好）",
            Direction::LowerIsBetter => "逆向（越低越好）",
        }
    }
}

/// Everything the progress measure needs for one series (one indicator or sub-indicator row).
///
/// `points` may be in any order; duplicate years are an input error. Points before `base_year`
/// are ignored by the Statistics Canada measure but used by the weighted linear forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesInput {
    pub points: Vec<Observation>,
    pub direction: Direction,
    /// Base year t0 (基准年), e.g. the plan's 2021. If there is no observation that year, the
    /// next year with data is used (as in the method).
    pub base_year: i32,
    /// Target year tT (目标年), e.g. 2025 or 2030.
    pub target_year: i32,
    /// Quantitative target yT (目标值); `None` selects method 1.
    pub target: Option<f64>,
    /// Natural limit ylim (自然极限), e.g. 100 for a percentage share. Used by method 1 only.
    pub natural_limit: Option<f64>,
}

/// Which of the two calculations of the method was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Method 1: no quantitative target; observed growth against fixed growth thresholds (无量化目标).
    Method1NoTarget,
    /// Method 2: quantitative target; observed over required growth (有量化目标).
    Method2Target,
}

impl Method {
    pub fn label_zh(self) -> &'static str {
        match self {
            Method::Method1NoTarget => "方法1（无量化目标）",
            Method::Method2Target => "方法2（有量化目标）",
        }
    }
}

/// Progress status (进展状态), exactly the six labels of Open SDG's `ProgressMeasure.py`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    TargetAchieved,
    SubstantialProgress,
    ModerateProgress,
    LimitedProgress,
    Deterioration,
    NotAvailable,
}

impl Status {
    /// The machine name used in JSON (`target_achieved`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::TargetAchieved => "target_achieved",
            Status::SubstantialProgress => "substantial_progress",
            Status::ModerateProgress => "moderate_progress",
            Status::LimitedProgress => "limited_progress",
            Status::Deterioration => "deterioration",
            Status::NotAvailable => "not_available",
        }
    }

    /// Parses the machine name; used by the conformance tests and by callers reading stored results.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "target_achieved" => Status::TargetAchieved,
            "substantial_progress" => Status::SubstantialProgress,
            "moderate_progress" => Status::ModerateProgress,
            "limited_progress" => Status::LimitedProgress,
            "deterioration" => Status::Deterioration,
            "not_available" => Status::NotAvailable,
            _ => return None,
        })
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::TargetAchieved => "已达到目标",
            Status::SubstantialProgress => "进展良好（按期可达）",
            Status::ModerateProgress => "有进展但需加快",
            Status::LimitedProgress => "进展有限",
            Status::Deterioration => "退步",
            Status::NotAvailable => "无法评估",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::TargetAchieved => "Target achieved",
            Status::SubstantialProgress => "On track",
            Status::ModerateProgress => "Progress made but acceleration needed",
            Status::LimitedProgress => "Limited progress",
            Status::Deterioration => "Deterioration",
            Status::NotAvailable => "Not available",
        }
    }

    /// Below "moderate": limited progress or deterioration (the early-warning band condition).
    pub fn is_below_moderate(self) -> bool {
        matches!(self, Status::LimitedProgress | Status::Deterioration)
    }
}

/// A message in both languages with a stable machine code, used for warnings and refusals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub message_zh: String,
    pub message_en: String,
}

impl Note {
    pub(crate) fn new(code: &'static str, zh: String, en: String) -> Self {
        Self {
            code,
            message_zh: zh,
            message_en: en,
        }
    }
}
