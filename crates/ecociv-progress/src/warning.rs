//! Early warning (预警): a row is at risk when a forecast misses its target or its progress band is
//! below "moderate" (limited progress or deterioration), as issue 8 and `anchors.md` §9.3 ask.
//! Qualitative rows (定性指标) get their own simple status.
//!
//! A row whose target is already achieved can still be at risk when its trend would carry it back
//! past the target by the target year: the reasons list says which condition fired.

use serde::Serialize;

use crate::forecast::Forecast;
use crate::statcan::SeriesProgress;

/// Why a row is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskReason {
    /// The UNSD extrapolation misses the target in the target year.
    UnsdForecastMissesTarget,
    /// The time-weighted linear fit misses the target in the target year.
    LinearForecastMissesTarget,
    /// The progress band is `limited_progress` or `deterioration`.
    BandBelowModerate,
    /// A qualitative row whose requirement is not met.
    QualitativeNotAchieved,
    /// Too few years to measure or forecast, and the latest value does not yet reach the target: the
    /// method cannot say the row is on track, and leaders must not read silence as safety.
    BelowTargetWithoutTrend,
}

impl RiskReason {
    /// The machine name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskReason::UnsdForecastMissesTarget => "unsd_forecast_misses_target",
            RiskReason::LinearForecastMissesTarget => "linear_forecast_misses_target",
            RiskReason::BandBelowModerate => "band_below_moderate",
            RiskReason::QualitativeNotAchieved => "qualitative_not_achieved",
            RiskReason::BelowTargetWithoutTrend => "below_target_without_trend",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RiskReason::UnsdForecastMissesTarget => "按UNSD外推到目标年达不到目标",
            RiskReason::LinearForecastMissesTarget => "按加权线性趋势到目标年达不到目标",
            RiskReason::BandBelowModerate => "进展等级低于“有进展但需加快”",
            RiskReason::QualitativeNotAchieved => "定性要求尚未达到",
            RiskReason::BelowTargetWithoutTrend => "年份不足无法预测，且最新值尚未达到目标",
        }
    }
}

/// The early-warning verdict for one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlyWarning {
    pub at_risk: bool,
    /// False when neither a band nor a forecast could be computed (the row is "not assessable").
    pub assessable: bool,
    pub reasons: Vec<RiskReason>,
}

/// Early warning for a measured, forecast row.
pub fn early_warning(progress: &SeriesProgress, forecast: &Forecast) -> EarlyWarning {
    let mut reasons = Vec::new();
    if forecast.unsd.as_ref().and_then(|u| u.meets_target) == Some(false) {
        reasons.push(RiskReason::UnsdForecastMissesTarget);
    }
    if forecast.weighted_linear.as_ref().and_then(|l| l.meets_target) == Some(false) {
        reasons.push(RiskReason::LinearForecastMissesTarget);
    }
    if progress.status.is_below_moderate() {
        reasons.push(RiskReason::BandBelowModerate);
    }
    let assessable = progress.score.is_some() || forecast.unsd.is_some() || forecast.weighted_linear.is_some();
    EarlyWarning {
        at_risk: !reasons.is_empty(),
        assessable,
        reasons,
    }
}

/// Adds [`RiskReason::BelowTargetWithoutTrend`] to a warning that could not be assessed, when the latest
/// value does not reach the target in the row's direction.
pub fn flag_below_target_without_trend(
    warning: &mut EarlyWarning,
    latest: Option<f64>,
    target: Option<f64>,
    direction: crate::types::Direction,
) {
    if warning.assessable {
        return;
    }
    if let (Some(latest), Some(target)) = (latest, target) {
        let reached = (latest - target) * direction.d() >= -1e-9;
        if !reached {
            warning.reasons.push(RiskReason::BelowTargetWithoutTrend);
            warning.at_risk = true;
        }
    }
}

/// Status of a qualitative row (定性指标状态), e.g. 建立 / 实施 / 已划定.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QualitativeStatus {
    Achieved,
    NotAchieved,
    NoData,
}

impl QualitativeStatus {
    /// From a judgement "requirement met?" (`None` = no data).
    pub fn from_met(met: Option<bool>) -> Self {
        match met {
            Some(true) => QualitativeStatus::Achieved,
            Some(false) => QualitativeStatus::NotAchieved,
            None => QualitativeStatus::NoData,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            QualitativeStatus::Achieved => "已达到",
            QualitativeStatus::NotAchieved => "未达到",
            QualitativeStatus::NoData => "无数据",
        }
    }

    /// Early warning for a qualitative row: at risk when not achieved; not assessable without data.
    pub fn early_warning(self) -> EarlyWarning {
        match self {
            QualitativeStatus::Achieved => EarlyWarning {
                at_risk: false,
                assessable: true,
                reasons: Vec::new(),
            },
            QualitativeStatus::NotAchieved => EarlyWarning {
                at_risk: true,
                assessable: true,
                reasons: vec![RiskReason::QualitativeNotAchieved],
            },
            QualitativeStatus::NoData => EarlyWarning {
                at_risk: false,
                assessable: false,
                reasons: Vec::new(),
            },
        }
    }
}
