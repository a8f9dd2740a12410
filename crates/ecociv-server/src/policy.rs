//! Who may do what: every authorisation decision of the server, as pure functions of the principal's role
//! in the zone (and, for editors, the row's lead departments). Handlers ask these; nothing else decides.
//!
//! | action | public | viewer (领导) | editor (部门填报员) | reviewer (审核员) | admin |
//! |---|---|---|---|---|---|
//! | zone list, profile, plan, approved assessment | disclosed zones | ✓ | ✓ | ✓ | ✓ |
//! | assessment including submitted values | – | ✓ | ✓ | ✓ | ✓ |
//! | values, history | – | ✓ | own department's rows | ✓ | ✓ |
//! | save, submit | – | – | own department's rows | ✓ | ✓ |
//! | approve, return, reopen | – | – | – | ✓ | ✓ |
//! | bulk import | – | – | own department's rows, as draft/submitted | ✓ | ✓ |
//! | accounts, memberships | – | – | – | – | ✓ |
//! | plan: measures, projects and ledger | disclosed zones | ✓ | ✓ | ✓ | ✓ |
//! | plan: reports, supervision board, scores | – | ✓ | ✓ | ✓ | ✓ |
//! | plan: report progress (with files), respond to a follow-up | – | – | own department's measures, projects, items | ✓ | ✓ |
//! | plan: approve/return reports, add and close (销号) follow-ups, import the ledger | – | – | – | ✓ | ✓ |

//!
//! Roles granted at a city or province (issue 15) are a zone role in every zone below that unit
//! ([`Principal::zone_role`]): a city's reviewer is a reviewer of each of its zones, and has no role in a
//! zone of another city.

use crate::auth::{Principal, ZoneRole};

/// The principal's role in a zone.
pub fn role(principal: Option<&Principal>, zone: &str) -> Option<ZoneRole> {
    principal.and_then(|principal| principal.zone_role(zone))
}

/// May see a zone's public face (profile, plan, approved assessment).
pub fn can_see_zone(role: Option<&ZoneRole>, disclosed: bool) -> bool {
    disclosed || role.is_some()
}

/// May read the zone's internal data (the workflow's values, departments, submitted figures).
pub fn can_read_internal(role: Option<&ZoneRole>) -> bool {
    role.is_some()
}

/// May read one row's values and history.
pub fn can_read_row(role: Option<&ZoneRole>, leads: &[String]) -> bool {
    match role {
        Some(ZoneRole::Admin | ZoneRole::Reviewer | ZoneRole::Viewer) => true,
        Some(ZoneRole::Editor { department }) => leads.contains(department),
        None => false,
    }
}

/// May enter, correct and submit one row's values.
pub fn can_edit_row(role: Option<&ZoneRole>, leads: &[String]) -> bool {
    match role {
        Some(ZoneRole::Admin | ZoneRole::Reviewer) => true,
        Some(ZoneRole::Editor { department }) => leads.contains(department),
        Some(ZoneRole::Viewer) | None => false,
    }
}

/// May approve, return and reopen values, and import values as approved.
pub fn can_review(role: Option<&ZoneRole>) -> bool {
    matches!(role, Some(ZoneRole::Admin | ZoneRole::Reviewer))
}

/// May act for a unit of the plan's work (report on its measures and projects, respond to its
/// follow-ups): the unit's editors (`department_name`: the editor's department's name), reviewers and
/// admins.
pub fn can_act_for_unit(role: Option<&ZoneRole>, department_name: Option<&str>, units: &[String]) -> bool {
    match role {
        Some(ZoneRole::Admin | ZoneRole::Reviewer) => true,
        Some(ZoneRole::Editor { .. }) => department_name.is_some_and(|name| units.iter().any(|u| u == name)),
        Some(ZoneRole::Viewer) | None => false,
    }
}

/// May manage accounts and memberships.
pub fn can_administer(principal: Option<&Principal>) -> bool {
    principal.is_some_and(|principal| principal.user.is_admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_reach_only_their_departments_rows_and_never_review() {
        let editor = ZoneRole::Editor {
            department: "env".into(),
        };
        let own = vec!["env".to_string()];
        let other = vec!["agri".to_string()];
        assert!(can_edit_row(Some(&editor), &own) && can_read_row(Some(&editor), &own));
        assert!(!can_edit_row(Some(&editor), &other) && !can_read_row(Some(&editor), &other));
        assert!(!can_review(Some(&editor)));
        assert!(!can_edit_row(Some(&ZoneRole::Viewer), &own));
        assert!(can_read_row(Some(&ZoneRole::Viewer), &other));
        assert!(can_review(Some(&ZoneRole::Reviewer)) && can_edit_row(Some(&ZoneRole::Reviewer), &other));
        assert!(!can_read_row(None, &own) && !can_read_internal(None));
        assert!(can_see_zone(None, true) && !can_see_zone(None, false));
    }
}
