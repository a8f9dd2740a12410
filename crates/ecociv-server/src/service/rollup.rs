//! The roll-up of a city, a province or the nation for a year (issue 15), for the API, the CSV export and
//! the page alike: one query for the scope's zones with their materialized summaries
//! (`Store::rollup_summaries`), then the pure `ecociv_progress::rollup` — no assessment is computed here.
//! Zones whose summary is missing or stale are counted apart and their recomputation is left to the
//! background refresh.

use ecociv_progress::rollup::{Rollup, ZoneEntry, ZoneSummary, rollup};
use ecociv_store::Selection;

use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// The nation's scope in paths (`/rollup/all`).
pub const NATION: &str = "all";

/// A roll-up with what the page needs besides.
pub struct RollupView {
    pub rollup: Rollup,
    /// The scope's name (广西壮族自治区, 柳州市, 全国).
    pub scope_name: String,
    /// Zones whose summary is being recomputed (values changed since), not compared yet.
    pub stale: Vec<String>,
    /// The zones of the scope, with names, for the tables.
    pub zones: Vec<ZoneEntry>,
}

/// The scope as a unit code, or `None` for the nation; 404 for an unknown unit.
pub async fn scope(state: &AppState, code: &str) -> ApiResult<Option<(String, String)>> {
    if code == NATION {
        return Ok(None);
    }
    if !ecociv_core::division::is_code(code) {
        return Err(ApiError::not_found(format!("行政区划 (unit) {code}")));
    }
    if let Some(unit) = crate::service::zones::hierarchy().unit(code) {
        return Ok(Some((unit.code.clone(), unit.name.clone())));
    }
    match state.store.admin_unit(code).await? {
        Some((code, name, _, _)) => Ok(Some((code, name))),
        None => match state.store.zone(code).await? {
            Some(record) => Ok(Some((code.to_string(), record.profile.name))),
            None => Err(ApiError::not_found(format!("行政区划 (unit) {code}"))),
        },
    }
}

/// Every zone at or below `scope` (the nation for `None`) with its approved summary of `year` when current.
async fn summaries(state: &AppState, scope: Option<&str>, year: i32) -> ApiResult<Vec<ecociv_store::ZoneSummaryRow>> {
    // The engine key of each stored edition, to know which summaries are current.
    let mut engines = std::collections::BTreeMap::new();
    for id in state.store.framework_ids().await? {
        let stored = state.store.framework(&id).await?;
        engines.insert(id, crate::assessments::engine_key(&stored));
    }
    Ok(state
        .store
        .rollup_summaries(scope, year, Selection::Approved, |id| engines.get(id).cloned())
        .await?)
}

fn entry(row: ecociv_store::ZoneSummaryRow) -> ZoneEntry {
    ZoneEntry {
        code: row.zone_code,
        name: row.name,
        parent: row.parent_code,
        summary: row.summary.as_deref().and_then(ZoneSummary::decode),
    }
}

/// A zone and its peers side by side, with what the page needs besides.
pub struct PeersView {
    pub peers: ecociv_progress::rollup::Peers,
    pub record: ecociv_store::ZoneRecord,
    /// The group's zones (the zone and its peers), with names.
    pub zones: Vec<ZoneEntry>,
    /// The edition compared under: the zone's.
    pub framework: std::sync::Arc<ecociv_core::Framework>,
    /// Zones of the group whose summary is being recomputed.
    pub stale: usize,
}

/// The zone `code` and the zones of the same kind (`ecociv_core::zone::same_kind`: level, climate, terrain)
/// the principal may see (members' zones and disclosed ones, `policy::can_see_zone`), compared row by row
/// for `year` from their approved summaries under the zone's edition. 404 when the zone is not visible.
pub async fn peers(state: &AppState, principal: Option<&Principal>, code: &str, year: i32) -> ApiResult<PeersView> {
    let visible = |code: &str, disclosed: bool| {
        crate::policy::can_see_zone(crate::policy::role(principal, code).as_ref(), disclosed)
    };
    let record = match state.store.zone(code).await? {
        Some(record) if visible(code, record.disclosed) => record,
        _ => return Err(ApiError::not_found(format!("区域 (zone) {code}"))),
    };
    let attributes = record.profile.attributes.clone();
    let rows: Vec<ecociv_store::ZoneSummaryRow> = summaries(state, None, year)
        .await?
        .into_iter()
        .filter(|row| {
            row.zone_code == code
                || (ecociv_core::zone::same_kind(&attributes, &row.attributes)
                    && visible(&row.zone_code, row.disclosed))
        })
        .collect();
    let stale = rows.iter().filter(|row| row.stale).count();
    let zones: Vec<ZoneEntry> = rows.into_iter().map(entry).collect();
    // The edition the zone's year is judged under (issue 15).
    let framework = framework(state, record.editions.for_year(year)).await?;
    let kind: Vec<(String, String)> = ecociv_core::zone::kind(&attributes)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let computed = crate::work::cpu({
        let framework = framework.clone();
        let zones = zones.clone();
        let code = code.to_string();
        move || ecociv_progress::rollup::peers(&code, year, &framework, kind, &zones)
    })
    .await?;
    Ok(PeersView {
        peers: computed,
        record,
        zones,
        framework,
        stale,
    })
}

/// Computes the roll-up of `code` (a unit or [`NATION`]) for `year` under `framework` (default: the
/// edition most of the scope's zones use). Refused (403) unless the principal may see it.
pub async fn compute(
    state: &AppState,
    principal: &Principal,
    code: &str,
    year: i32,
    framework: Option<&str>,
) -> ApiResult<RollupView> {
    let scope = scope(state, code).await?;
    if !principal.can_roll_up(
        scope.as_ref().map(|(c, _)| c.as_str()),
        crate::service::zones::hierarchy(),
    ) {
        return Err(ApiError::forbidden());
    }
    let rows = summaries(state, scope.as_ref().map(|(c, _)| c.as_str()), year).await?;
    let framework_id = match framework {
        Some(id) => id.to_string(),
        None => {
            let mut counts = std::collections::BTreeMap::<&str, usize>::new();
            for row in &rows {
                *counts.entry(row.framework_id.as_str()).or_default() += 1;
            }
            counts
                .into_iter()
                .max_by_key(|(id, n)| (*n, std::cmp::Reverse(*id)))
                .map(|(id, _)| id.to_string())
                .unwrap_or_else(|| "national-2021".into())
        }
    };
    let framework = self::framework(state, &framework_id).await?;
    let stale = rows
        .iter()
        .filter(|row| row.stale)
        .map(|row| row.zone_code.clone())
        .collect();
    let zones: Vec<ZoneEntry> = rows.into_iter().map(entry).collect();
    let scope_code = scope.as_ref().map_or(NATION.to_string(), |(c, _)| c.clone());
    let scope_name = scope.map_or_else(|| "全国".to_string(), |(_, name)| name);
    let computed = crate::work::cpu({
        let framework = framework.clone();
        let zones = zones.clone();
        move || rollup(&scope_code, year, &framework, &zones)
    })
    .await?;
    Ok(RollupView {
        rollup: computed,
        scope_name,
        stale,
        zones,
    })
}

/// The edition a roll-up compares under: stored, else bundled; 404 when neither.
pub async fn framework(state: &AppState, id: &str) -> ApiResult<std::sync::Arc<ecociv_core::Framework>> {
    match state.store.framework(id).await {
        Ok(framework) => Ok(framework),
        Err(ecociv_store::StoreError::NotFound(_)) => ecociv_data::bundled::framework(id)
            .map(std::sync::Arc::new)
            .map_err(|_| ApiError::not_found(format!("指标体系 (framework) {id}"))),
        Err(other) => Err(other.into()),
    }
}

/// Whether a scope has a Word summary (a province or a city) and who issues it: a province's 生态环境厅, a
/// city's 生态环境局.
pub fn summary_bureau(code: &str) -> Option<&'static str> {
    use ecociv_core::division::Level;
    match crate::service::zones::hierarchy().unit(code).map(|unit| unit.level) {
        Some(Level::Province) => Some("生态环境厅"),
        Some(Level::Prefecture) => Some("生态环境局"),
        _ => None,
    }
}

/// A roll-up's file exports (issue 15): what `/rollup/{code}` shows, as CSV (one table), Excel (every table)
/// or a Word summary (a city or province only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Csv(ecociv_report::rollup::Part),
    Xlsx,
    Docx,
}

/// A file to send: content type, file name, bytes.
pub struct ExportFile {
    pub content_type: &'static str,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The export of a computed roll-up view: the edition it compares under is loaded as `compute` did.
pub async fn export(state: &AppState, view: &RollupView, code: &str, what: Export) -> ApiResult<ExportFile> {
    let framework = framework(state, &view.rollup.framework_id).await?;
    let input = ecociv_report::rollup::RollupInput {
        rollup: &view.rollup,
        scope_name: &view.scope_name,
        zones: &view.zones,
        framework: &framework,
    };
    let year = view.rollup.year;
    Ok(match what {
        Export::Csv(part) => {
            let suffix = match part {
                ecociv_report::rollup::Part::Zones => String::new(),
                other => format!("-{}", other.id()),
            };
            ExportFile {
                content_type: "text/csv; charset=utf-8",
                file_name: format!("rollup-{code}-{year}{suffix}.csv"),
                bytes: ecociv_report::rollup::csv(&input, part).map_err(ApiError::internal)?,
            }
        }
        Export::Xlsx => ExportFile {
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("rollup-{code}-{year}.xlsx"),
            bytes: ecociv_report::rollup::workbook(&input).map_err(ApiError::internal)?,
        },
        Export::Docx => {
            let bureau = summary_bureau(code).ok_or_else(|| {
                ApiError::bad_request(
                    "汇总的 Word 文件只为市级或省级出具 (the Word summary is for a city or a province)",
                )
            })?;
            let today = crate::service::zones::today();
            let signature = ecociv_report::docx::rollup::Signature {
                issuer: &format!("{}{bureau}", view.scope_name),
                date: ecociv_report::docx::chinese_date(today.year, today.month.into(), today.day.into()),
            };
            // A province's summary has a line per city (its zones' own roll-up under the same edition).
            let hierarchy = crate::service::zones::hierarchy();
            let province = hierarchy
                .unit(code)
                .is_some_and(|unit| unit.level == ecociv_core::division::Level::Province);
            let cities: Vec<ecociv_report::docx::rollup::CityLine> = if province {
                ecociv_progress::rollup::by_parent(year, &framework, &view.zones)
                    .into_iter()
                    .map(|(parent, rolled)| {
                        let name = hierarchy
                            .unit(&parent)
                            .map_or_else(|| format!("{parent}（未知）"), |unit| unit.name.clone());
                        (name, rolled)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            ExportFile {
                content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                file_name: format!("rollup-{code}-{year}.docx"),
                bytes: ecociv_report::docx::rollup::summary(&input, &cities, &signature).map_err(ApiError::internal)?,
            }
        }
    })
}
