//! Forecast of the value in the target year (目标年预测值), the gap to the target and the yearly
//! change still needed from now on (每年需变化量).
//!
//! Two forecasts, as `anchors.md` §2.3 and §9.3 ask:
//! - the UNSD "Progress Chart" extrapolation (2023 technical note, as applied by EUSTAT):
//!   `CAGR_a = (v_t / v_b)^(1/(t − b)) − 1`, `v_T^e = v_t · (1 + CAGR_a)^(T − t)`, and with a target the
//!   expected share of the required change `(v_T^e − v_b) / (v_T − v_b)` with its bands
//!   ≥ 0.95 / 0.10; without a target the CAGR bands 2 % / 0.5 % (mirrored for decrease);
//! - a time-weighted linear least-squares fit in the spirit of UN ESCAP's Anticipated Progress
//!   Index. ESCAP's exact weights were not retrieved (anchors.md names none): we weight each year
//!   by `w = t − t_first + 1` (the earliest year 1, each later year one more), which is our own
//!   choice, stated in [`LINEAR_WEIGHTING`] and in `data/README.md`; with it, the anticipated gap as a
//!   share of the progress required since the base year ([`Forecast::anticipated_gap_share`]).

use serde::Serialize;

use crate::statcan::SeriesProgress;
use crate::types::{Direction, Note, Observation};

/// The edition of the UNSD extrapolation, recorded in every [`UnsdExtrapolation`].
pub const UNSD_EDITION: &str = "UNSD SDG Progress Chart 2023 technical note (as summarised in anchors.md §2.3)";

/// Description of the weights of the linear fit, recorded in every [`WeightedLinearFit`].
pub const LINEAR_WEIGHTING: &str =
    "weighted least squares, w = year - first_year + 1 (ecociv choice; ESCAP's exact weights unverified)";

/// UNSD band of the expected share of the required change (or of the CAGR without a target).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnsdBand {
    /// The latest value already meets the target.
    TargetMet,
    /// Share ≥ 0.95 (or CAGR ≥ 2 % in the desired direction).
    OnTrack,
    /// Share in [0.10, 0.95) (or CAGR in [0.5 %, 2 %)).
    FairProgressAccelerationNeeded,
    /// Share < 0.10 (or CAGR < 0.5 %).
    StagnationOrRegression,
}

/// The UNSD extrapolation from the base year to the latest year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnsdExtrapolation {
    pub edition: &'static str,
    pub base_year: i32,
    pub base_value: f64,
    pub current_year: i32,
    pub current_value: f64,
    /// CAGR_a between base and current.
    pub cagr: f64,
    /// v_T^e, the value expected in the target year.
    pub expected_value: f64,
    /// `expected_value − target` (signed; `None` without a target).
    pub gap_to_target: Option<f64>,
    pub meets_target: Option<bool>,
    /// `(v_T^e − v_b) / (v_T − v_b)`; `None` without a target or when the target equals the base.
    pub expected_share_of_required_change: Option<f64>,
    pub band: Option<UnsdBand>,
}

/// The time-weighted linear fit over every observation up to the latest year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedLinearFit {
    pub weighting: &'static str,
    /// `(year, value, weight)` of each point used.
    pub points: Vec<(i32, f64, f64)>,
    /// Fitted change per year.
    pub slope: f64,
    /// Fitted value at `reference_year`.
    pub fitted_at_reference: f64,
    /// The weighted mean year, where the fit is anchored.
    pub reference_year: f64,
    pub expected_value: f64,
    pub gap_to_target: Option<f64>,
    pub meets_target: Option<bool>,
}

/// Both forecasts and what is still needed to reach the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub target_year: i32,
    pub target: Option<f64>,
    /// The base value the progress is measured from (the effective base year's value).
    pub base_value: Option<f64>,
    pub unsd: Option<UnsdExtrapolation>,
    pub weighted_linear: Option<WeightedLinearFit>,
    /// The anticipated gap in the spirit of ESCAP's Anticipated Progress Index: for a target the linear
    /// forecast misses, `(target − forecast) / (target − base value)` — the share of the progress required
    /// since the base year that is anticipated to be missing (0 when the forecast meets the target; `None`
    /// when the base value already met the target, as no progress was required).
    /// UNECE's technical notes describe the index as "the anticipated gap between the target value and the
    /// projected value … relative to the progress required"; ESCAP's exact normalisation was not retrieved.
    pub anticipated_gap_share: Option<f64>,
    /// Years from the latest data to the target year.
    pub years_remaining: Option<i32>,
    /// `(target − current) / years_remaining`, signed (+ = must rise, − = must fall); 0 when the
    /// latest value already meets the target; `None` without a target or without years left.
    pub required_yearly_change: Option<f64>,
    /// The compound yearly growth rate needed from the latest value to the target (same conventions).
    pub required_yearly_growth_rate: Option<f64>,
    /// Average yearly change observed from the base year to the latest year, for comparison.
    pub observed_yearly_change: Option<f64>,
    /// Why a forecast is missing, when one is.
    pub notes: Vec<Note>,
    /// The forecast reaches further ahead than the data reach back ([`mark_beyond_data`]).
    pub beyond_data: bool,
}

impl UnsdBand {
    /// The machine name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            UnsdBand::TargetMet => "target_met",
            UnsdBand::OnTrack => "on_track",
            UnsdBand::FairProgressAccelerationNeeded => "fair_progress_acceleration_needed",
            UnsdBand::StagnationOrRegression => "stagnation_or_regression",
        }
    }
}

fn unsd_band_with_target(share: f64) -> UnsdBand {
    if share >= 0.95 {
        UnsdBand::OnTrack
    } else if share >= 0.10 {
        UnsdBand::FairProgressAccelerationNeeded
    } else {
        UnsdBand::StagnationOrRegression
    }
}

fn unsd_band_without_target(cagr: f64, direction: Direction) -> UnsdBand {
    let g = cagr * direction.d();
    if g >= 0.02 {
        UnsdBand::OnTrack
    } else if g >= 0.005 {
        UnsdBand::FairProgressAccelerationNeeded
    } else {
        UnsdBand::StagnationOrRegression
    }
}

/// Marks a forecast that reaches further ahead than the data reach back: the years from the latest figure
/// to the target year exceed the years the series covers (e.g. PM2.5 of 38 μg/m³ in 2017 and 29 in 2021
/// extrapolated in a straight line to 8.7 in 2030: nine years ahead from four years of data). Such a
/// figure stays in the output — the method gives it — but with `beyond_data` set and a note, so it is
/// read as indicative only, never as a prediction. `points` are the series' observations.
pub fn mark_beyond_data(forecast: &mut Forecast, points: &[Observation]) {
    if forecast.unsd.is_none() && forecast.weighted_linear.is_none() {
        return;
    }
    let (Some(first), Some(last)) = (points.iter().map(|p| p.year).min(), points.iter().map(|p| p.year).max()) else {
        return;
    };
    let (covered, ahead) = (last - first, forecast.target_year - last);
    if ahead > covered {
        forecast.beyond_data = true;
        forecast.notes.push(Note::new(
            "forecast_beyond_data",
            format!("外推 {ahead} 年，长于数据覆盖的 {covered} 年（{first}—{last}年）：预测值可信度低，仅供参考"),
            format!("extrapolated {ahead} years ahead from {covered} years of data ({first}–{last}): indicative only"),
        ));
    }
}

/// Caps both forecasts to the admissible range of the indicator (e.g. 0–100 for a share): an
/// extrapolated 204.8 % is shown as 100 %, with a note. Gaps and "meets target" are recomputed on the
/// capped values; the uncapped values are kept in the note.
pub fn cap_to_range(forecast: &mut Forecast, low: f64, high: f64, direction: Direction) {
    let target = forecast.target;
    let mut capped = Vec::new();
    if let Some(u) = forecast.unsd.as_mut()
        && (u.expected_value < low || u.expected_value > high)
    {
        capped.push(("UNSD外推", "UNSD extrapolation", u.expected_value));
        u.expected_value = u.expected_value.clamp(low, high);
        u.gap_to_target = target.map(|t| u.expected_value - t);
        u.meets_target = target.map(|t| direction.meets(u.expected_value, t));
    }
    if let Some(l) = forecast.weighted_linear.as_mut()
        && (l.expected_value < low || l.expected_value > high)
    {
        capped.push(("加权线性趋势", "weighted linear trend", l.expected_value));
        l.expected_value = l.expected_value.clamp(low, high);
        l.gap_to_target = target.map(|t| l.expected_value - t);
        l.meets_target = target.map(|t| direction.meets(l.expected_value, t));
    }
    forecast.anticipated_gap_share = anticipated_gap_share(forecast, direction);
    for (zh, en, raw) in capped {
        forecast.notes.push(Note::new(
            "forecast_capped_to_range",
            format!("{zh}值 {} 超出指标取值范围 {low}–{high}，按范围截取", shown(raw)),
            format!(
                "{en} value {} lies outside the admissible range {low}–{high}: capped",
                shown(raw)
            ),
        ));
    }
}

/// A figure in a note: at most two decimals, trailing zeros dropped (105.7500000000001 → 105.75).
fn shown(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `(target − linear forecast) / (target − base)`, 0 when the forecast meets the target.
fn anticipated_gap_share(f: &Forecast, direction: Direction) -> Option<f64> {
    let (l, t, b) = (f.weighted_linear.as_ref()?, f.target?, f.base_value?);
    if direction.meets(b, t) {
        // No progress was required from the base year: the share is undefined.
        return None;
    }
    Some(if direction.meets(l.expected_value, t) {
        0.0
    } else {
        (t - l.expected_value) / (t - b)
    })
}

/// The time-weighted linear fit of `points` (sorted, distinct years), evaluated at `target_year`.
/// `None` with fewer than two points.
pub fn weighted_linear_fit(
    points: &[Observation],
    target_year: i32,
    target: Option<f64>,
    direction: Direction,
) -> Option<WeightedLinearFit> {
    let first = points.first()?.year;
    if points.len() < 2 {
        return None;
    }
    let weighted: Vec<(i32, f64, f64)> = points
        .iter()
        .map(|p| (p.year, p.value, f64::from(p.year - first + 1)))
        .collect();
    let sw: f64 = weighted.iter().map(|w| w.2).sum();
    let xm = weighted.iter().map(|(x, _, w)| w * f64::from(*x)).sum::<f64>() / sw;
    let ym = weighted.iter().map(|(_, y, w)| w * y).sum::<f64>() / sw;
    let sxx: f64 = weighted.iter().map(|(x, _, w)| w * (f64::from(*x) - xm).powi(2)).sum();
    let sxy: f64 = weighted
        .iter()
        .map(|(x, y, w)| w * (f64::from(*x) - xm) * (y - ym))
        .sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let expected = ym + slope * (f64::from(target_year) - xm);
    if !expected.is_finite() {
        return None;
    }
    Some(WeightedLinearFit {
        weighting: LINEAR_WEIGHTING,
        points: weighted,
        slope,
        fitted_at_reference: ym,
        reference_year: xm,
        expected_value: expected,
        gap_to_target: target.map(|t| expected - t),
        meets_target: target.map(|t| direction.meets(expected, t)),
    })
}

/// Builds both forecasts for a series already measured by [`crate::statcan::measure`].
/// `points` are the validated, sorted observations; `target` is the target as given (not the
/// 0.001 replacement).
pub fn forecast(progress: &SeriesProgress, points: &[Observation], target: Option<f64>) -> Forecast {
    let direction = progress.direction;
    let target_year = progress.target_year;
    let mut out = Forecast {
        target_year,
        target,
        base_value: progress.base_value,
        unsd: None,
        weighted_linear: None,
        anticipated_gap_share: None,
        years_remaining: None,
        required_yearly_change: None,
        required_yearly_growth_rate: None,
        observed_yearly_change: None,
        notes: Vec::new(),
        beyond_data: false,
    };
    let (Some(cy), Some(cv)) = (progress.current_year, progress.current_value) else {
        out.notes.push(Note::new(
            "no_data",
            "没有数据，无法预测".to_string(),
            "no data: no forecast".to_string(),
        ));
        return out;
    };
    if cy >= target_year {
        out.notes.push(Note::new(
            "target_year_reached",
            format!("最新数据年份 {cy} 已到目标年 {target_year}，不再预测，以实际值评估"),
            format!(
                "latest data ({cy}) already reach the target year {target_year}: judged on actual values, no forecast"
            ),
        ));
        return out;
    }
    let remaining = target_year - cy;
    out.years_remaining = Some(remaining);

    if let Some(t) = target {
        if direction.meets(cv, t) {
            out.required_yearly_change = Some(0.0);
            out.required_yearly_growth_rate = Some(0.0);
        } else {
            out.required_yearly_change = Some((t - cv) / f64::from(remaining));
            if cv != 0.0 && (t > 0.0) == (cv > 0.0) && t != 0.0 {
                out.required_yearly_growth_rate = Some(crate::statcan::cagr(t, cv, target_year, cy));
            }
        }
    }

    // UNSD extrapolation from the (effective) base year.
    match (progress.base_year, progress.base_value) {
        (Some(by), Some(bv)) if cy > by => {
            out.observed_yearly_change = Some((cv - bv) / f64::from(cy - by));
            if bv == 0.0 || ((bv > 0.0) != (cv > 0.0) && cv != 0.0) {
                out.notes.push(Note::new(
                    "unsd_not_applicable",
                    format!("基准值 {bv} 为 0 或与现状值 {cv} 符号不同，UNSD 外推不适用"),
                    format!(
                        "base value {bv} is zero or of another sign than the current value {cv}: no UNSD extrapolation"
                    ),
                ));
            } else {
                let a = crate::statcan::cagr(cv, bv, cy, by);
                let expected = cv * (1.0 + a).powf(f64::from(remaining));
                if expected.is_finite() {
                    let share = target.and_then(|t| {
                        if t == bv {
                            None
                        } else {
                            Some((expected - bv) / (t - bv))
                        }
                    });
                    let band = match target {
                        Some(t) if direction.meets(cv, t) => Some(UnsdBand::TargetMet),
                        Some(_) => share.map(unsd_band_with_target),
                        None => Some(unsd_band_without_target(a, direction)),
                    };
                    out.unsd = Some(UnsdExtrapolation {
                        edition: UNSD_EDITION,
                        base_year: by,
                        base_value: bv,
                        current_year: cy,
                        current_value: cv,
                        cagr: a,
                        expected_value: expected,
                        gap_to_target: target.map(|t| expected - t),
                        meets_target: target.map(|t| direction.meets(expected, t)),
                        expected_share_of_required_change: share,
                        band,
                    });
                }
            }
        }
        _ => out.notes.push(Note::new(
            "unsd_too_few_years",
            "基准年以来不足 2 个年份，无法做 UNSD 外推".to_string(),
            "fewer than two years since the base year: no UNSD extrapolation".to_string(),
        )),
    }

    out.weighted_linear = weighted_linear_fit(points, target_year, target, direction);
    out.anticipated_gap_share = anticipated_gap_share(&out, direction);
    if out.weighted_linear.is_none() {
        out.notes.push(Note::new(
            "linear_too_few_years",
            "不足 2 个年份，无法做加权线性拟合".to_string(),
            "fewer than two years: no weighted linear fit".to_string(),
        ));
    }
    out
}
