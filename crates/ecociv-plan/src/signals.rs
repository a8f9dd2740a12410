//! The early warning as supervision and scoring read it: `ecociv-progress`'s `ZoneProgress` toward the
//! next target year (2025 or 2030) turned into row alerts ([`RowAlert`]), row states ([`RowState`]) and
//! each row's lead departments. One mapping for the CLI, the server's pages and API, and the Word 通报.

use ecociv_progress::Status;
use ecociv_progress::zone::ZoneProgress;

use crate::model::Measures;
use crate::score::RowState;
use crate::supervision::RowAlert;

/// What supervision and scoring take from the early warning.
#[derive(Debug, Clone, Default)]
pub struct RowSignals {
    pub target_year: i32,
    /// The rows at risk of missing the target year, with the reasons.
    pub alerts: Vec<RowAlert>,
    /// Every row's state as scoring reads it.
    pub states: Vec<(String, RowState)>,
    /// Every row's lead departments (the plan's).
    pub leads: Vec<(String, Vec<String>)>,
}

/// The plan's next target year for a year: 2025 up to 2025, 2030 after.
pub fn target_year(year: i32) -> i32 {
    if year <= 2025 { 2025 } else { 2030 }
}

/// Maps the progress toward `progress.target_year`: a row whose target is achieved is met; a row at risk
/// is at risk (and alerted, with the warning's reasons); a row without a value or that the method cannot
/// assess is without data; every other row is on track.
pub fn from_progress(progress: &ZoneProgress, target_year: i32) -> RowSignals {
    let mut out = RowSignals {
        target_year,
        ..RowSignals::default()
    };
    for r in &progress.rows {
        out.leads.push((r.id.clone(), r.lead_departments.clone()));
        let state = if r.status == Status::TargetAchieved {
            RowState::Met
        } else if r.at_risk {
            RowState::AtRisk
        } else if r.latest_value.is_none() || !r.warning.assessable && r.qualitative_status.is_none() {
            RowState::NoData
        } else {
            RowState::OnTrack
        };
        out.states.push((r.id.clone(), state));
        if r.at_risk {
            let reasons: Vec<&str> = r.warning.reasons.iter().map(|x| x.label_zh()).collect();
            out.alerts.push(RowAlert {
                row: r.id.clone(),
                reason: format!("{target_year}年目标：{}", reasons.join("；")),
            });
        }
    }
    out
}

/// The units scored: every first lead of a measure, then every lead department of a row, in that order,
/// each once.
pub fn scored_units(measures: &Measures, leads: &[(String, Vec<String>)]) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let firsts = measures.measures.iter().filter_map(|m| m.lead.first());
    for unit in firsts.chain(leads.iter().flat_map(|(_, l)| l.iter())) {
        if !units.contains(unit) {
            units.push(unit.clone());
        }
    }
    units
}
