//! Aggregation of series scores (得分汇总) into an indicator, task or domain: the mean of the
//! children's scores, and the status read from the score bands.
//!
//! Implements `anchors.md` §2.3 "Scores for aggregating several series" and the "Sub-indicator
//! grouping" paragraph of `open-sdg/open-sdg:docs/progress-methodology.md`: nested groups are
//! averaged first so each child weighs equally; the aggregate is "target achieved" only if every
//! scored child achieved its target (`IndicatorProgress.get_indicator_progress` and
//! `get_progress_status_from_score` in `sdg-build:sdg/ProgressMeasure.py`).

use serde::Serialize;

use crate::statcan::SeriesProgress;
use crate::types::Status;

/// One child of an aggregate: its score (`None` = not assessed) and whether it achieved its target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Aggregand {
    pub score: Option<f64>,
    pub target_achieved: bool,
}

impl From<&SeriesProgress> for Aggregand {
    fn from(s: &SeriesProgress) -> Self {
        Self {
            score: s.score,
            target_achieved: s.target_achieved,
        }
    }
}

/// The aggregate of several children, with the counts that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Aggregate {
    /// Mean of the children's scores; `None` when no child has a score.
    pub score: Option<f64>,
    pub status: Status,
    /// Every scored child achieved its target (and at least one child is scored).
    pub target_achieved: bool,
    pub children_scored: usize,
    pub children_total: usize,
}

impl From<&Aggregate> for Aggregand {
    fn from(a: &Aggregate) -> Self {
        Self {
            score: a.score,
            target_achieved: a.target_achieved,
        }
    }
}

/// Status from a score: [2.5, 5] on track, [0, 2.5) acceleration needed, [−2.5, 0) limited,
/// [−5, −2.5) deterioration; target achieved overrides.
pub fn status_from_score(score: Option<f64>, target_achieved: bool) -> Status {
    if target_achieved {
        return Status::TargetAchieved;
    }
    match score {
        None => Status::NotAvailable,
        Some(s) if s >= 2.5 => Status::SubstantialProgress,
        Some(s) if s >= 0.0 => Status::ModerateProgress,
        Some(s) if s >= -2.5 => Status::LimitedProgress,
        Some(_) => Status::Deterioration,
    }
}

/// Mean of the children's scores. Children without a score are left out of the mean and out of
/// the "all achieved" test, as in the method's code.
pub fn aggregate(children: &[Aggregand]) -> Aggregate {
    let scored: Vec<&Aggregand> = children.iter().filter(|c| c.score.is_some()).collect();
    let n = scored.len();
    let score = if n == 0 {
        None
    } else {
        Some(scored.iter().filter_map(|c| c.score).sum::<f64>() / n as f64)
    };
    let target_achieved = n > 0 && scored.iter().all(|c| c.target_achieved);
    Aggregate {
        score,
        status: status_from_score(score, target_achieved),
        target_achieved,
        children_scored: n,
        children_total: children.len(),
    }
}
