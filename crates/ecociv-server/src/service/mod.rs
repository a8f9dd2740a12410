//! The service layer: every write of the server — and every check made before it — in one place, called
//! alike by the JSON API ([`crate::api`]) and the pages' forms ([`crate::web`]). A handler of either only
//! reads its request (JSON, a form, a path), calls a function here with the signed-in principal
//! ([`crate::auth::AuthUser`]), and shapes the outcome (JSON, a page, a redirect); so a value entered by a
//! form goes through exactly the checks, workflow transitions and audit trail of one sent to the API.
//!
//! - [`values`]: save, the workflow steps (submit, approve, return, reopen); `prepare_*` make the revision
//!   to append without writing, for forms that write many rows in one transaction.
//! - [`users`]: accounts, memberships and departments (admins), through the store's audited operations.
//! - [`sessions`]: signing in (throttled password check, new session).
//! - [`monitoring`]: monitoring uploads stored, and "compute from monitoring" saved as values.
//! - [`computed`]: figures computed from stored data (monitoring, registers) saved as values — the one
//!   write path both "compute" actions share.
//! - [`corrections`]: monitoring readings withdrawn or replaced by a correction batch (history kept), and
//!   the rows computed from them marked stale until recomputed through the workflow (issue 19).
//! - [`ledger`]: registers' records imported (CSV streamed, Excel), and the rows they feed derived and
//!   saved as values (issue 13).
//! - [`plan`]: the plan's progress reports (with files), the supervision board's acts, the ledger import.
//! - [`zones`]: zones created from their files (issue 15): checked all together, stored with their values in one
//!   transaction; exported back as files.
//! - [`sites`]: a zone's stations, water sections and key projects placed on its map from a GeoJSON file
//!   (issue 15), all or nothing, and each point's state for a year.
//! - [`survey`]: survey responses (public form, paper forms, a platform's export), codes, and rows 34/35
//!   saved from the estimate (issue 14).
//! - [`disclosure`]: the disclosure register's records read back as items (public list, open data,
//!   supervision's overdue items; issue 14).
//!
//! A new capability's write path goes here, in a module of its own; authorisation is asked of
//! [`crate::policy`], transitions of [`crate::workflow`], input checks of [`crate::validate`].
//! Functions return [`crate::error::ApiResult`]: the API sends the error as JSON, a page maps it
//! ([`crate::web::WebError::from_api`]) or shows its message beside the field.

pub mod computed;
pub mod corrections;
pub mod disclosure;
pub mod ledger;
pub mod maps;
pub mod monitoring;
pub mod plan;
pub mod rollup;
pub mod sessions;
pub mod sites;
pub mod survey;
pub mod users;
pub mod values;
pub mod zones;

use std::sync::Arc;

use ecociv_core::Framework;
use ecociv_store::{Store, ZoneRecord};

use crate::AppState;
use crate::auth::{Principal, ZoneRole};
use crate::error::{ApiError, ApiResult};

/// The zone for a member-only action: 404 when unknown, 403 for non-members.
pub async fn member_zone(state: &AppState, principal: &Principal, code: &str) -> ApiResult<(ZoneRecord, ZoneRole)> {
    let record = state
        .store
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    match principal.zone_role(code) {
        Some(role) => Ok((record, role)),
        None => Err(ApiError::forbidden()),
    }
}

/// A zone's framework: 404 when the zone is unknown.
pub async fn zone_framework(store: &Store, code: &str) -> ApiResult<Arc<Framework>> {
    let record = store
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    Ok(store.framework(&record.framework_id).await?)
}
