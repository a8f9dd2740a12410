//! The Statistics Canada progress measure as adopted by Open SDG (进展测算方法):
//! method 1 (no quantitative target) and method 2 (quantitative target), status bands, the
//! natural-limit coefficient and the piecewise-linear scores.
//!
//! Implements, clause by clause, `docs/reference/anchors.md` §2.3 "How progress status is
//! calculated, with exact formulas", which summarises `open-sdg/open-sdg:docs/progress-methodology.md`
//! and its implementation `open-sdg/sdg-build:sdg/ProgressMeasure.py` (`SeriesProgress`). Where the
//! prose and the code differ, the code is followed and the difference is named in
//! `data/README.md`. Edition recorded in every result: [`EDITION`].
//!
//! Preconditions and edge cases, in the method's order (each a bilingual note in the result):
//! - a base or target value of 0 is replaced by 0.001 (`zero_base_replaced`, the method's rule);
//! - base and current values of different signs, or fewer than two years from the base year: the
//!   status is `not_available` with a refusal (`sign_mismatch`, `too_few_years`), unless the target
//!   is already met — the method tests the target first;
//! - **a target equal to the base value** (required growth 0, `zero_required_growth`): met or passed
//!   by the current value → `target_achieved` (the method's first row, "Target is achieved"); not met →
//!   the value moved away from the target in the undesired direction, so R = sign·d·CAGR_o / |CAGR_r|
//!   is negative without bound → `deterioration` with the score −5 (the table's "R < 0% →
//!   Deterioration" and the method-2 score's floor). R is not reported (it is −∞). The Python code
//!   divides by zero here (`ZeroDivisionError`); the published text decides the case.
//!
//! Deliberate departures (all documented in `data/README.md`):
//! - the direction is a required input, never defaulted;
//! - conditions on which the Python code crashes or yields NaN/complex numbers and the published
//!   text gives no reading (target and base of different signs, no data at or after the base year)
//!   give the status `not_available` with a bilingual refusal instead.

use serde::Serialize;

use crate::error::InputError;
use crate::types::{Direction, Method, Note, Observation, SeriesInput, Status};

/// Which method edition produced a figure; recorded in every [`SeriesProgress`].
pub const EDITION: &str =
    "Statistics Canada / Open SDG progress measure (sdg-build ProgressMeasure.py; anchors.md §2.3)";

/// Replacement for a base or target value of exactly zero (the method's own constant).
pub const ZERO_REPLACEMENT: f64 = 0.001;
/// Exponent `a` of the natural-limit coefficient.
pub const LIMIT_EXPONENT: f64 = 4.44;

/// Progress thresholds (进展阈值) on P (method 1) or R (method 2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    pub high: f64,
    pub med: f64,
    pub low: f64,
}

/// Method 1 defaults: CAGR 1.5 % / 0.5 % / 0.
pub const METHOD1_THRESHOLDS: Thresholds = Thresholds {
    high: 0.015,
    med: 0.005,
    low: 0.0,
};
/// Method 2 defaults: R 0.95 / 0.60 / 0.
pub const METHOD2_THRESHOLDS: Thresholds = Thresholds {
    high: 0.95,
    med: 0.6,
    low: 0.0,
};

/// The result of the measure for one series, with every intermediate quantity (as the method's
/// `get_progress_calculation_components` exposes them, plus the growth rates and the coefficient).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesProgress {
    pub edition: &'static str,
    pub method: Method,
    pub direction: Direction,
    /// `sign` = −1 if the base value is negative, else +1. `None` when there is no base value.
    pub sign: Option<f64>,
    /// The base year asked for (e.g. the plan's 2021).
    pub base_year_requested: i32,
    /// The base year used: the requested year, or the next year with data.
    pub base_year: Option<i32>,
    /// The observed base value.
    pub base_value: Option<f64>,
    /// The base value used in the growth rates (0 replaced by 0.001).
    pub base_value_used: Option<f64>,
    pub current_year: Option<i32>,
    pub current_value: Option<f64>,
    pub target_year: i32,
    /// The target as given.
    pub target: Option<f64>,
    /// The target used (0 replaced by 0.001).
    pub target_used: Option<f64>,
    pub natural_limit: Option<f64>,
    /// The natural-limit coefficient C (method 1 with a limit only).
    pub limit_coefficient: Option<f64>,
    /// The thresholds applied (method 1: already multiplied by C).
    pub thresholds: Thresholds,
    /// Observed compound annual growth CAGR_o from base to current.
    pub cagr_observed: Option<f64>,
    /// Required compound annual growth CAGR_r from base to target (method 2).
    pub cagr_required: Option<f64>,
    /// P (method 1) or R (method 2).
    pub progress_value: Option<f64>,
    pub target_achieved: bool,
    pub status: Status,
    /// Score in [−5, 5]; 5 when the target is achieved.
    pub score: Option<f64>,
    pub warnings: Vec<Note>,
    /// Why no progress value could be computed, when it could not.
    pub refusal: Option<Note>,
}

/// Compound annual growth rate `(a / b)^(1 / (ta − tb)) − 1`.
pub fn cagr(a: f64, b: f64, ta: i32, tb: i32) -> f64 {
    (a / b).powf(1.0 / f64::from(ta - tb)) - 1.0
}

/// The natural-limit coefficient C, on absolute values of the base and the limit, `a` = 4.44.
/// The `y0 ≥ 2·ylim` case is tested first, so a zero base and zero limit give C = 1 (as the code does).
pub fn limit_coefficient(base_value: f64, limit: f64) -> f64 {
    let y0 = base_value.abs();
    let lim = limit.abs();
    if y0 >= 2.0 * lim {
        1.0
    } else if y0 <= lim {
        1.0 - (y0 / lim).powf(LIMIT_EXPONENT)
    } else {
        1.0 - ((2.0 * lim - y0) / lim).powf(LIMIT_EXPONENT)
    }
}

/// Status band of a progress value (P or R) against the thresholds (`≥ high`, `[med, high)`,
/// `[low, med)`, `< low`).
pub fn status_from_value(value: f64, t: Thresholds) -> Status {
    if value >= t.high {
        Status::SubstantialProgress
    } else if value >= t.med {
        Status::ModerateProgress
    } else if value >= t.low {
        Status::LimitedProgress
    } else {
        Status::Deterioration
    }
}

/// Method 1 score. `reduced` are the thresholds already multiplied by `coefficient` (1 without a
/// limit). With C = 0 and P ≥ 0 the score is 5.
pub fn score_method1(p: f64, reduced: Thresholds, coefficient: f64) -> f64 {
    if p < reduced.low {
        return (125.0 * p - 2.5).max(-5.0);
    }
    if coefficient == 0.0 {
        return 5.0;
    }
    if p >= reduced.high {
        (500.0 * p / coefficient - 5.0).min(5.0)
    } else if p >= reduced.med {
        250.0 * p / coefficient - 1.25
    } else {
        500.0 * p / coefficient - 2.5
    }
}

/// Method 2 score, with the method's published constants (7.1429, 4.2857, 4.1667).
pub fn score_method2(r: f64) -> f64 {
    if r >= METHOD2_THRESHOLDS.med {
        (7.1429 * r - 4.2857).min(5.0)
    } else {
        (4.1667 * r - 2.5).max(-5.0)
    }
}

/// Checks a series: finite values, one value a year. Returns the points sorted by year.
pub(crate) fn validated_points(points: &[Observation]) -> Result<Vec<Observation>, InputError> {
    let mut sorted: Vec<Observation> = points.to_vec();
    for p in &sorted {
        if !p.value.is_finite() {
            return Err(InputError::NonFiniteValue { year: p.year });
        }
    }
    sorted.sort_by_key(|p| p.year);
    for w in sorted.windows(2) {
        if w[0].year == w[1].year {
            return Err(InputError::DuplicateYear {
                year: w[0].year,
                first: w[0].value,
                second: w[1].value,
            });
        }
    }
    Ok(sorted)
}

pub(crate) fn validate_parameters(input: &SeriesInput) -> Result<(), InputError> {
    if input.target.is_some_and(|t| !t.is_finite()) {
        return Err(InputError::NonFiniteParameter { field: "target" });
    }
    if input.natural_limit.is_some_and(|l| !l.is_finite()) {
        return Err(InputError::NonFiniteParameter { field: "natural_limit" });
    }
    if input.target_year <= input.base_year {
        return Err(InputError::TargetYearNotAfterBaseYear {
            base_year: input.base_year,
            target_year: input.target_year,
        });
    }
    Ok(())
}

/// Runs the measure on one series. Errors only on malformed input (duplicate years, non-finite
/// numbers, target year not after base year); every data condition the method cannot assess gives
/// `Status::NotAvailable` with a [`Note`] in `refusal`.
pub fn measure(input: &SeriesInput) -> Result<SeriesProgress, InputError> {
    validate_parameters(input)?;
    let points = validated_points(&input.points)?;
    let method = if input.target.is_some() {
        Method::Method2Target
    } else {
        Method::Method1NoTarget
    };
    let mut warnings = Vec::new();

    let mut out = blank(input, method);

    // Target of exactly zero → 0.001 (done when the configuration is read, before anything else).
    out.target_used = target_used(input, &mut warnings);

    match observed(input, &points, &mut out, &mut warnings) {
        // Nothing to measure: no status, no score.
        Err(refusal) => out.refusal = Some(refusal),
        Ok((base, current)) => {
            let moved_away_from_target = growth(input, method, base, current, &mut out, &mut warnings);
            refuse_non_finite(&mut out);
            status_and_score(&mut out, moved_away_from_target);
        }
    }
    out.warnings = warnings;
    Ok(out)
}

/// Step 1: the latest point and the base point (the requested base year, or the next year with data),
/// written into `out` with the sign, the thresholds and whether the target is achieved; the refusal when
/// there is no data, or none since the base year.
fn observed(
    input: &SeriesInput,
    points: &[Observation],
    out: &mut SeriesProgress,
    warnings: &mut Vec<Note>,
) -> Result<(Observation, Observation), Note> {
    let Some(current) = points.last().copied() else {
        return Err(Note::new(
            "no_data",
            "没有任何数据，无法评估进展".to_string(),
            "no data: progress cannot be assessed".to_string(),
        ));
    };
    out.current_year = Some(current.year);
    out.current_value = Some(current.value);

    // Base year: the requested year, or the next available year.
    let Some(base) = points.iter().find(|p| p.year >= input.base_year).copied() else {
        return Err(Note::new(
            "no_data_since_base_year",
            format!(
                "基准年 {} 及以后没有数据（最新数据为 {} 年），无法评估进展",
                input.base_year, current.year
            ),
            format!(
                "no data in or after the base year {} (latest data {}): progress cannot be assessed",
                input.base_year, current.year
            ),
        ));
    };
    if base.year != input.base_year {
        warnings.push(Note::new(
            "base_year_moved",
            format!(
                "基准年 {} 无数据，按方法改用其后第一个有数据的年份 {}",
                input.base_year, base.year
            ),
            format!(
                "no value for base year {}; the next year with data, {}, is used",
                input.base_year, base.year
            ),
        ));
    }
    out.base_year = Some(base.year);
    out.base_value = Some(base.value);
    out.sign = Some(if base.value < 0.0 { -1.0 } else { 1.0 });

    // Thresholds (method 1: reduced by C, computed on the observed base value).
    set_thresholds(out, input, base.value, warnings);

    out.target_achieved = out.target_used.is_some_and(|t| input.direction.meets(current.value, t));
    Ok((base, current))
}

/// Step 2: the growth rates and the progress value, the method's preconditions in their order (a zero
/// base replaced, then the refusals before growth, then method 2's against the target). Returns whether
/// the row moved away from a target equal to its base value.
fn growth(
    input: &SeriesInput,
    method: Method,
    base: Observation,
    current: Observation,
    out: &mut SeriesProgress,
    warnings: &mut Vec<Note>,
) -> bool {
    let base_used = if base.value == 0.0 {
        warnings.push(Note::new(
            "zero_base_replaced",
            format!("基准值为 0，按方法以 {ZERO_REPLACEMENT} 代替计算"),
            format!("base value is 0; {ZERO_REPLACEMENT} used instead, as the method prescribes"),
        ));
        ZERO_REPLACEMENT
    } else {
        base.value
    };
    out.base_value_used = Some(base_used);

    if let Some(refusal) = refusal_before_growth(base, base_used, current) {
        out.refusal = Some(refusal);
        return false;
    }
    let cagr_o = cagr(current.value, base_used, current.year, base.year);
    out.cagr_observed = Some(cagr_o);
    let sign_d = out.sign.unwrap_or(1.0) * input.direction.d();
    match (method, out.target_used) {
        (Method::Method2Target, Some(t)) => against_target(input, t, base, base_used, cagr_o, sign_d, out, warnings),
        _ => {
            out.progress_value = Some(sign_d * cagr_o);
            false
        }
    }
}

/// Step 2, method 2: the growth the target requires and the progress value R = sign·d·CAGR_o / |CAGR_r|,
/// or the refusal when the base year is not before the target year or the target's sign differs from the
/// base value's. Returns whether the row moved away from a target equal to its base value.
#[allow(clippy::too_many_arguments)]
fn against_target(
    input: &SeriesInput,
    t: f64,
    base: Observation,
    base_used: f64,
    cagr_o: f64,
    sign_d: f64,
    out: &mut SeriesProgress,
    warnings: &mut Vec<Note>,
) -> bool {
    if base.year >= input.target_year {
        out.refusal = Some(Note::new(
            "base_year_not_before_target_year",
            format!(
                "实际基准年 {} 不早于目标年 {}，无法计算所需增长率",
                base.year, input.target_year
            ),
            format!(
                "effective base year {} is not before target year {}",
                base.year, input.target_year
            ),
        ));
        return false;
    }
    if (t > 0.0) != (base_used > 0.0) {
        out.refusal = Some(Note::new(
            "target_sign_mismatch",
            format!("目标值（{t}）与基准值（{}）符号不同，无法计算所需增长率", base.value),
            format!("target ({t}) and base value ({}) have different signs", base.value),
        ));
        return false;
    }
    let cagr_r = cagr(t, base_used, input.target_year, base.year);
    out.cagr_required = Some(cagr_r);
    if cagr_r != 0.0 {
        out.progress_value = Some(sign_d * cagr_o / cagr_r.abs());
        return false;
    }
    // The target equals the base value. Met: `target_achieved` above. Not met: the row moved away from it
    // in the undesired direction, so sign·d·CAGR_o < 0 while |CAGR_r| = 0: R is negative without bound. The
    // published table reads "R < 0% → Deterioration" and the method-2 score max(4.1667·R − 2.5, −5) is −5.
    // R itself (−∞) is not reported. See the module's preconditions.
    if out.target_achieved {
        return false;
    }
    warnings.push(Note::new(
        "zero_required_growth",
        format!(
            "目标值等于基准值（{t}），所需增长率为 0：现状值已向不利方向偏离目标，按方法（R < 0）判为退步，得分 −5"
        ),
        format!(
            "target equals the base value ({t}): required growth is 0 and the value has moved away from the target in the undesired direction, so R < 0 without bound: deterioration, score −5, as the method's table reads"
        ),
    ));
    true
}

/// Step 3: a progress value that is not a finite number (overflow) is refused.
fn refuse_non_finite(out: &mut SeriesProgress) {
    if let Some(p) = out.progress_value
        && !p.is_finite()
    {
        out.progress_value = None;
        out.refusal = Some(Note::new(
            "non_finite_progress_value",
            "进展值不是有限数（数值溢出），无法评估".to_string(),
            "the progress value is not finite (overflow); progress cannot be assessed".to_string(),
        ));
    }
}

/// The result before anything is measured: the input's parameters, the method's thresholds, not available.
pub(crate) fn blank(input: &SeriesInput, method: Method) -> SeriesProgress {
    SeriesProgress {
        edition: EDITION,
        method,
        direction: input.direction,
        sign: None,
        base_year_requested: input.base_year,
        base_year: None,
        base_value: None,
        base_value_used: None,
        current_year: None,
        current_value: None,
        target_year: input.target_year,
        target: input.target,
        target_used: None,
        natural_limit: input.natural_limit,
        limit_coefficient: None,
        thresholds: match method {
            Method::Method1NoTarget => METHOD1_THRESHOLDS,
            Method::Method2Target => METHOD2_THRESHOLDS,
        },
        cagr_observed: None,
        cagr_required: None,
        progress_value: None,
        target_achieved: false,
        status: Status::NotAvailable,
        score: None,
        warnings: Vec::new(),
        refusal: None,
    }
}

/// The target the computation uses: exactly zero becomes [`ZERO_REPLACEMENT`] (done when the configuration
/// is read, before anything else), with a warning.
fn target_used(input: &SeriesInput, warnings: &mut Vec<Note>) -> Option<f64> {
    input.target.map(|t| {
        if t == 0.0 {
            warnings.push(Note::new(
                "zero_target_replaced",
                format!("目标值为 0，按方法以 {ZERO_REPLACEMENT} 代替计算"),
                format!("target is 0; {ZERO_REPLACEMENT} used instead, as the method prescribes"),
            ));
            ZERO_REPLACEMENT
        } else {
            t
        }
    })
}

/// The status thresholds (method 1: reduced by the limit coefficient C, computed on the observed base value),
/// with the warnings about the natural limit.
fn set_thresholds(out: &mut SeriesProgress, input: &SeriesInput, base_value: f64, warnings: &mut Vec<Note>) {
    match out.method {
        Method::Method1NoTarget => {
            if let Some(limit) = input.natural_limit {
                if base_value < limit && input.direction == Direction::LowerIsBetter {
                    warnings.push(Note::new(
                        "base_below_minimum_limit",
                        format!("基准值 {} 低于下限 {limit}，结果可能不合常理", base_value),
                        format!(
                            "base value {} is below the minimum limit {limit}; results may be unexpected",
                            base_value
                        ),
                    ));
                }
                if base_value > limit && input.direction == Direction::HigherIsBetter {
                    warnings.push(Note::new(
                        "base_above_maximum_limit",
                        format!("基准值 {} 高于上限 {limit}，结果可能不合常理", base_value),
                        format!(
                            "base value {} is above the maximum limit {limit}; results may be unexpected",
                            base_value
                        ),
                    ));
                }
                let c = limit_coefficient(base_value, limit);
                out.limit_coefficient = Some(c);
                out.thresholds = Thresholds {
                    high: METHOD1_THRESHOLDS.high * c,
                    med: METHOD1_THRESHOLDS.med * c,
                    low: METHOD1_THRESHOLDS.low * c,
                };
            }
        }
        Method::Method2Target => {
            if let Some(limit) = input.natural_limit {
                warnings.push(Note::new(
                    "limit_ignored_with_target",
                    format!("已有量化目标，按方法忽略自然极限 {limit}"),
                    format!("limit {limit} ignored because a quantitative target is given"),
                ));
            }
        }
    }
}

/// The method's preconditions on the base and current values, in its order: both of one sign, two years.
fn refusal_before_growth(base: Observation, base_used: f64, current: Observation) -> Option<Note> {
    if (base_used > 0.0 && current.value < 0.0) || (base_used < 0.0 && current.value > 0.0) {
        Some(Note::new(
            "sign_mismatch",
            format!(
                "基准值（{}）与现状值（{}）符号不同，增长率模型不适用，无法评估",
                base.value, current.value
            ),
            format!(
                "base value ({}) and current value ({}) must both be positive or both negative",
                base.value, current.value
            ),
        ))
    } else if current.year - base.year < 1 {
        Some(Note::new(
            "too_few_years",
            format!("基准年 {} 起只有 1 年数据，至少需要 2 个年份", base.year),
            format!(
                "only one year of data from base year {}; at least two years are needed",
                base.year
            ),
        ))
    } else {
        None
    }
}

/// The status and score from the progress value (or the target achieved, or a row moved away from a target
/// equal to its base value).
fn status_and_score(out: &mut SeriesProgress, moved_away_from_target: bool) {
    if out.target_achieved {
        out.status = Status::TargetAchieved;
        out.score = Some(5.0);
    } else if let Some(p) = out.progress_value {
        out.status = status_from_value(p, out.thresholds);
        out.score = Some(match out.method {
            Method::Method1NoTarget => score_method1(p, out.thresholds, out.limit_coefficient.unwrap_or(1.0)),
            Method::Method2Target => score_method2(p),
        });
    } else if moved_away_from_target {
        out.status = Status::Deterioration;
        out.score = Some(-5.0);
    }
}
