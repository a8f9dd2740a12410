//! The disclosure register (信息公开台账, issue 14) read back from the store: the records of the bundled
//! ledger kind `disclosure_register` (`data/ledgers/disclosure_register.toml`) as
//! `ecociv_survey::disclosure::Item`s — for the public disclosure list (`web::portal::disclosure`), the
//! open-data dataset `disclosure` and the supervision rule `disclosure_overdue` ([`alerts`]). Row 5's
//! figure is the ledger mechanism's (`service::ledger`), never computed here.

use ecociv_ledger::{Cell, Kind, Ledger};
use ecociv_plan::supervision::DisclosureAlert;
use ecociv_survey::disclosure::Item;

use crate::AppState;
use crate::error::ApiResult;

/// The kind's id.
pub const KIND: &str = "disclosure_register";

/// The category value of an enterprise's obligation (the kind's vocabulary).
pub const ENTERPRISE: &str = "企业强制性公开";

fn text(cells: &std::collections::BTreeMap<String, Cell>, field: &str) -> String {
    cells.get(field).map(Cell::to_string).unwrap_or_default()
}

fn date(cells: &std::collections::BTreeMap<String, Cell>, field: &str) -> Option<jiff::civil::Date> {
    match cells.get(field) {
        Some(Cell::Date(date)) => Some(*date),
        _ => None,
    }
}

/// The register's items: each record's latest revision (the kind has no lifecycle; a correction is a later
/// revision), by due date then number. A record without a due date cannot be stored (the field is
/// required) and is skipped.
pub fn items_of(kind: &Kind, ledger: &Ledger) -> Vec<Item> {
    let mut items: Vec<Item> = ledger
        .records
        .keys()
        .filter_map(|id| ledger.in_force(kind, id, i32::MAX))
        .filter_map(|revision| {
            let cells = &revision.cells;
            Some(Item {
                id: revision.record_id.clone(),
                title: text(cells, "item"),
                category: text(cells, "category"),
                owner: text(cells, "owner"),
                basis: text(cells, "basis"),
                frequency: text(cells, "frequency"),
                due: date(cells, "due_date")?,
                published: date(cells, "published_date"),
                channel: text(cells, "channel"),
                reference: text(cells, "reference"),
                synthetic: revision.synthetic,
            })
        })
        .collect();
    items.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    items
}

/// The zone's register, or `None` when this server has no `disclosure_register` kind (a configuration
/// that replaced it) — an empty register is `Some(vec![])`.
pub async fn items(state: &AppState, code: &str) -> ApiResult<Option<Vec<Item>>> {
    let (_, kinds) = crate::service::ledger::zone_kinds(state, code).await?;
    let Some(kind) = kinds.iter().find(|k| k.id == KIND) else {
        return Ok(None);
    };
    let ledger = state.store.ledger_of_kind(code, KIND).await?;
    Ok(Some(items_of(kind, &ledger)))
}

/// The civil date of the plan's `Date`.
pub fn civil(day: ecociv_plan::Date) -> jiff::civil::Date {
    jiff::civil::Date::new(
        i16::try_from(day.year).unwrap_or(1970),
        i8::try_from(day.month).unwrap_or(1),
        i8::try_from(day.day).unwrap_or(1),
    )
    .unwrap_or(jiff::civil::date(1970, 1, 1))
}

/// The items past due and not published on `today`, as supervision's input: a department's item is its
/// own to answer; an enterprise's obligation is followed up by the bureau (`office`), the enterprise named.
pub fn alerts(items: &[Item], today: ecociv_plan::Date, office: &str) -> Vec<DisclosureAlert> {
    ecociv_survey::disclosure::overdue(items, civil(today))
        .into_iter()
        .filter_map(|item| {
            let due = ecociv_plan::Date::new(i32::from(item.due.year()), item.due.month() as u8, item.due.day() as u8)?;
            let enterprise = item.category == ENTERPRISE;
            Some(DisclosureAlert {
                id: item.id.clone(),
                title: item.title.clone(),
                owner: if enterprise {
                    office.to_string()
                } else {
                    item.owner.clone()
                },
                obliged: enterprise.then(|| item.owner.clone()),
                due,
            })
        })
        .collect()
}
