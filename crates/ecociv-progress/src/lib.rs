//! `ecociv-progress`: progress toward a plan's 2025 and 2030 targets (目标进展评估) — the Statistics
//! Canada / Open SDG progress measure, two forecasts of the target-year value, the yearly change
//! still needed, and early warning.
//!
//! Pure computation: no IO, no clock, no environment. Callers build a [`SeriesInput`] per row
//! (direction always explicit) and call [`evaluate`], or the parts: [`statcan::measure`],
//! [`forecast::forecast`], [`warning::early_warning`], [`aggregate::aggregate`]. For a whole zone,
//! [`zone::zone_progress`] maps the core's framework, plan and observations onto these inputs.
//!
//! The method and its sources: `docs/reference/anchors.md` §2.3; conformance cases and their
//! provenance: `crates/ecociv-progress/data/`.

pub mod aggregate;
pub mod error;
pub mod forecast;
pub mod rollup;
pub mod statcan;
pub mod types;
pub mod warning;
pub mod zone;

use serde::Serialize;

pub use aggregate::{Aggregand, Aggregate, aggregate, status_from_score};
pub use error::InputError;
pub use forecast::{Forecast, UnsdBand, UnsdExtrapolation, WeightedLinearFit};
pub use statcan::{EDITION, SeriesProgress, Thresholds, measure};
pub use types::{Direction, Method, Note, Observation, SeriesInput, Status};
pub use warning::{EarlyWarning, QualitativeStatus, RiskReason};

/// Everything computed for one quantitative row: the measure, the forecasts and the warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProgress {
    pub progress: SeriesProgress,
    pub forecast: Forecast,
    pub warning: EarlyWarning,
}

/// Measures, forecasts and flags one row.
pub fn evaluate(input: &SeriesInput) -> Result<RowProgress, InputError> {
    let progress = measure(input)?;
    let points = statcan::validated_points(&input.points)?;
    let forecast = forecast::forecast(&progress, &points, input.target);
    let warning = warning::early_warning(&progress, &forecast);
    Ok(RowProgress {
        progress,
        forecast,
        warning,
    })
}
