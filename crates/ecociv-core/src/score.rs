//! Scored frameworks (评分细则, issue 15): an edition may carry points per indicator row, partial-credit
//! rules and a pass score, as data (`[scoring]` in the framework file). The score is computed from the
//! assessment's rows — each row's status and value — and every row's points are explained.
//!
//! Partial credit, as the data states it per row:
//! - `AllOrNothing`: the row's points when met, none otherwise;
//! - `Linear { zero_at, full_at }`: when not met, points in proportion to where the row's figure lies between
//!   `zero_at` (no points) and `full_at` (full points), clamped; a met row earns its full points.
//!
//! A row without data earns nothing. Points are rounded to 0.01 for the total.

use crate::assess::RowAssessment;
use crate::judge::{Status, Text};
use crate::num::show;

/// A framework edition's scoring rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// The total needed to pass (合格分).
    pub pass_score: f64,
    pub items: Vec<ScoreItem>,
    /// Where the rules come from and how sure they are.
    pub note: String,
}

/// Points for one row.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreItem {
    pub row: String,
    pub points: f64,
    pub partial: Partial,
}

/// A partial-credit rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Partial {
    AllOrNothing,
    Linear { zero_at: f64, full_at: f64 },
}

/// One row's points, explained.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemScore {
    pub row: String,
    pub points: f64,
    pub earned: f64,
    pub explanation: Text,
}

/// The score of an assessment (得分).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreReport {
    pub total: f64,
    pub max: f64,
    pub pass_score: f64,
    pub passed: bool,
    pub items: Vec<ItemScore>,
    pub note: String,
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Scores the rows of an assessment.
pub fn score(scoring: &Scoring, rows: &[RowAssessment]) -> ScoreReport {
    let mut items = Vec::with_capacity(scoring.items.len());
    for item in &scoring.items {
        let row = rows.iter().find(|row| row.id == item.row);
        let points = show(item.points);
        let (earned, zh, en) = match row.map(|row| (row.status, row.value.as_ref().and_then(|v| v.as_number()))) {
            None | Some((Status::NoData, _)) => (
                0.0,
                format!("无数据，得 0 分（满分 {points} 分）"),
                format!("no data: 0 of {points}"),
            ),
            Some((Status::Met, _)) => (
                item.points,
                format!("达标，得满分 {points} 分"),
                format!("met: {points} of {points}"),
            ),
            Some((Status::NotMet, figure)) => match (&item.partial, figure) {
                (Partial::Linear { zero_at, full_at }, Some(figure)) if full_at != zero_at => {
                    let share = ((figure - zero_at) / (full_at - zero_at)).clamp(0.0, 1.0);
                    let earned = round2(item.points * share);
                    (
                        earned,
                        format!(
                            "未达标；按比例计分：（{} − {}）÷（{} − {}）× {points} = {} 分",
                            show(figure),
                            show(*zero_at),
                            show(*full_at),
                            show(*zero_at),
                            show(earned)
                        ),
                        format!("not met; linear credit: {} of {points}", show(earned)),
                    )
                }
                _ => (
                    0.0,
                    format!("未达标，得 0 分（满分 {points} 分）"),
                    format!("not met: 0 of {points}"),
                ),
            },
        };
        items.push(ItemScore {
            row: item.row.clone(),
            points: item.points,
            earned,
            explanation: Text { zh, en },
        });
    }
    let total = round2(items.iter().map(|item| item.earned).sum());
    let max = round2(items.iter().map(|item| item.points).sum());
    ScoreReport {
        total,
        max,
        pass_score: scoring.pass_score,
        passed: total >= scoring.pass_score,
        items,
        note: scoring.note.clone(),
    }
}
