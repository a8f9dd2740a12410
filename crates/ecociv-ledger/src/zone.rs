//! A zone's ledgers → the observations the assessment takes, and the data-quality notes where the plan
//! states a figure that its own ledger recomputes differently.

use std::collections::BTreeSet;

use ecociv_core::{Framework, Observation, Source};

use crate::derive::{Derivation, NoFigure, derive};
use crate::kind::{Kind, Period, Role, STATE_DATE};
use crate::record::{Cell, Ledger};

/// Everything derived from a zone's ledgers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// Every figure derived, values and inputs, by kind, row and year.
    pub derivations: Vec<Derivation>,
    /// Feeds and years with records but no figure, with the reason.
    pub refused: Vec<NoFigure>,
    /// The observations for `value` feeds the zone takes (not those a document already states).
    pub observations: Vec<Observation>,
    /// Data-quality notes (数据质量说明), Chinese: a stated figure that its ledger recomputes differently.
    pub notes: Vec<String>,
}

/// The years a kind's records speak of: the years of their period fields (and state dates); for a stock
/// (`as_of`) feed every year from the first to the last such year.
fn years(kind: &Kind, ledger: &Ledger) -> BTreeSet<i32> {
    let mut years = BTreeSet::new();
    for feed in &kind.feeds {
        let (Period::YearOf(field) | Period::AsOf(field)) = &feed.period;
        let mut found = BTreeSet::new();
        for revision in ledger.records.values().flatten() {
            let year = if field == STATE_DATE {
                revision.state_date.map(|d| i32::from(d.year()))
            } else {
                revision.cells.get(field).and_then(Cell::year)
            };
            found.extend(year);
            found.extend(revision.state_date.map(|d| i32::from(d.year())));
        }
        if let (Period::AsOf(_), Some(first), Some(last)) = (&feed.period, found.first(), found.last()) {
            found = (*first..=*last).collect();
        }
        years.extend(found);
    }
    years
}

/// Derives every feed of every kind for every year its records speak of. A `value` figure becomes an
/// observation unless `existing` already has one for the row and year from a document (the plan's
/// Table 2-1): the document stays in force and, where the recomputed figure differs at the row's
/// precision, a data-quality note says so.
pub fn derive_zone(framework: &Framework, ledgers: &[(Kind, Ledger)], existing: &[Observation]) -> Derived {
    let mut out = Derived::default();
    for (kind, ledger) in ledgers {
        for year in years(kind, ledger) {
            for feed in &kind.feeds {
                match derive(framework, kind, feed, ledger, year) {
                    Ok(d) => out.derivations.push(d),
                    // A base year before the records begin is not a problem worth listing.
                    Err(n) if feed.change.is_some() && n.reason_zh.starts_with("基准年") => {}
                    Err(n) => out.refused.push(n),
                }
            }
        }
    }
    for d in &out.derivations {
        if d.role != Role::Value {
            continue;
        }
        let stated = existing
            .iter()
            .rev()
            .find(|o| o.row == d.row && o.year == d.year && matches!(o.source, Source::Document { .. }));
        match stated {
            None => out.observations.push(d.observation()),
            Some(stated) => {
                let Some((_, row)) = framework.row(&d.row) else {
                    continue;
                };
                let format = row.format();
                let written = format.value(&stated.value);
                let recomputed = format.with_unit(d.value);
                // Only a stated figure is compared (a state text describes, it does not compute).
                if stated
                    .value
                    .as_number()
                    .is_some_and(|n| format.with_unit(n) != recomputed)
                {
                    out.notes.push(format!(
                        "第{}行{}年：{}记载为{written}，由{}（第{}版）重新计算为{recomputed}（{}）；以文件记载为准，请核对",
                        d.row,
                        d.year,
                        stated.source.describe(),
                        d.kind_name,
                        d.kind_version,
                        d.method
                    ));
                }
            }
        }
    }
    out
}
