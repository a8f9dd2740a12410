//! Points on a zone's map (issue 15): its air monitoring stations, water sections and key projects with
//! their longitude/latitude, imported from a GeoJSON file — by `ecociv map sites`, `POST
//! /api/v1/zones/{code}/sites` and the map page's form for administrators — all through [`import`].
//!
//! All or nothing: the file is read by `ecociv_map::sites::read` (every problem with the feature and the
//! JSON path; a position outside China refused), then every point is checked against the zone's data — a
//! station must be one of the zone's air monitoring series, a section one of its water sections, a project
//! one of its plan's key projects — and the zone's whole set is replaced in one transaction
//! (`Store::replace_sites_by`, audited as `zone.sites`). [`states`] gives each point's state for a year as
//! the data has it: a section's annual class, a project's latest approved progress report, whether a
//! station's readings enter the zone's air figures (the zone's figures are a mean over stations; no
//! station is judged on its own).

use std::collections::{BTreeMap, BTreeSet};

use ecociv_data::Problem as Located;
use ecociv_map::geojson::{MAX_PROBLEMS, feature_problem};
use ecociv_map::sites::{Site, SiteKind};
use ecociv_monitoring::kind::Kind;
use ecociv_plan::report::Subject;
use ecociv_store::{NewSite, Store, StoredSite};
use serde_json::json;

use crate::error::{ApiError, ApiResult, Code, located_json};
use crate::monitoring_results::{self, AIR, WATER};

/// The largest points file read (a zone has tens of points; a few hundred bytes each).
pub const MAX_SITES_BYTES: usize = 4 * 1024 * 1024;

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub stored: usize,
    /// Per kind (stations, sections, projects).
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Points marked as illustrative (示意).
    pub illustrative: usize,
}

impl ImportReport {
    /// How many of each kind, in Chinese (`空气监测站点 2 个、水质断面 6 个`).
    pub fn counts_zh(&self) -> String {
        SiteKind::ALL
            .into_iter()
            .filter_map(|kind| self.by_kind.get(kind.key()).map(|n| format!("{} {n} 个", kind.zh())))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The refusal of a points file: every problem (at most [`MAX_PROBLEMS`], then how many more), nothing
/// imported.
fn refused(source: &str, problems: Vec<Located>) -> ApiError {
    let total = problems.len();
    let mut listed: Vec<Located> = problems
        .into_iter()
        .take(MAX_PROBLEMS)
        .map(|problem| problem.in_file(source))
        .collect();
    if total > MAX_PROBLEMS {
        listed.push(Located::new(
            source,
            format!("另有 {} 处错误未列出", total - MAX_PROBLEMS),
        ));
    }
    ApiError::new(
        Code::InvalidValue,
        format!("点位文件 {source} 有 {total} 处错误，未导入任何点位 (nothing was imported)"),
    )
    .with_details(json!(listed.iter().map(located_json).collect::<Vec<_>>()))
}

/// The ids a zone's data knows for each kind, with the names to show: its air stations (hourly and daily
/// series), its water sections, its plan's key projects (number → name).
pub async fn known(store: &Store, code: &str) -> ApiResult<BTreeMap<SiteKind, BTreeMap<String, String>>> {
    let mut out = BTreeMap::new();
    let mut stations = BTreeMap::new();
    for kind in [Kind::Air, Kind::AirDaily] {
        for station in store.monitoring_stations(code, kind.domain()).await? {
            stations.insert(station.clone(), station);
        }
    }
    out.insert(SiteKind::Station, stations);
    let sections = store
        .monitoring_stations(code, Kind::Sections.domain())
        .await?
        .into_iter()
        .map(|s| (s.clone(), s))
        .collect();
    out.insert(SiteKind::Section, sections);
    let projects = crate::plan::works(code)?
        .map(|works| works.1.projects().map(|p| (p.id.clone(), p.name.clone())).collect())
        .unwrap_or_default();
    out.insert(SiteKind::Project, projects);
    Ok(out)
}

fn listing(ids: &BTreeMap<String, String>) -> String {
    let mut names: Vec<&str> = ids.keys().map(String::as_str).take(8).collect();
    if ids.len() > 8 {
        names.push("…");
    }
    names.join("、")
}

/// Why an id is not one of the zone's: the problem's text.
fn unknown(kind: SiteKind, id: &str, ids: &BTreeMap<String, String>) -> String {
    match (kind, ids.is_empty()) {
        (SiteKind::Station, true) => format!("站点“{id}”无从核对：本区域尚未导入空气监测数据，没有可定位的站点"),
        (SiteKind::Section, true) => format!("断面“{id}”无从核对：本区域尚未导入地表水断面监测数据，没有可定位的断面"),
        (SiteKind::Project, true) => format!("项目“{id}”无从核对：本区域没有规划重点项目清单"),
        (SiteKind::Station, false) => format!(
            "本区域的空气监测数据中没有站点“{id}”（站点名称应与监测数据一致，已有：{}）",
            listing(ids)
        ),
        (SiteKind::Section, false) => format!(
            "本区域的地表水监测数据中没有断面“{id}”（断面名称应与监测数据一致，已有：{}）",
            listing(ids)
        ),
        (SiteKind::Project, false) => format!(
            "本区域规划的重点项目中没有编号“{id}”（编号如 2.03，为规划表 4-1 的类别与序号，已有：{}）",
            listing(ids)
        ),
    }
}

/// The feature a problem's JSON path names (`features[3].…` → 3); problems of the file as a whole first.
fn feature_index(field: Option<&str>) -> Option<usize> {
    field?.strip_prefix("features[")?.split(']').next()?.parse().ok()
}

/// Imports a points file into the zone, all or nothing, replacing the zone's earlier points; a file with
/// problems is refused with every problem (as `error::located_json` in the error's details).
pub async fn import(store: &Store, actor_id: &str, code: &str, text: &str, source: &str) -> ApiResult<ImportReport> {
    try_import(store, actor_id, code, text, source)
        .await?
        .map_err(|problems| refused(source, problems))
}

/// As [`import`], with the file's problems (each naming the file) apart from the other errors (an unknown
/// zone, the store's), for a page that lists them in its language.
pub async fn try_import(
    store: &Store,
    actor_id: &str,
    code: &str,
    text: &str,
    source: &str,
) -> ApiResult<Result<ImportReport, Vec<Located>>> {
    if store.zone(code).await?.is_none() {
        return Err(ApiError::not_found(format!("区域 (zone) {code}")));
    }
    let in_file = |problems: Vec<Located>| -> Vec<Located> {
        problems.into_iter().map(|problem| problem.in_file(source)).collect()
    };
    let (sites, mut problems): (Vec<Site>, Vec<Located>) = match ecociv_map::sites::read_features(text) {
        Ok(read) => read,
        Err(problems) => return Ok(Err(in_file(problems))),
    };
    let known = known(store, code).await?;
    let mut rows = Vec::with_capacity(sites.len());
    for site in &sites {
        let ids = &known[&site.kind];
        let Some(data_name) = ids.get(&site.id) else {
            problems.push(feature_problem(
                site.feature,
                "properties.id",
                unknown(site.kind, &site.id, ids),
            ));
            continue;
        };
        rows.push(NewSite {
            kind: site.kind.key().into(),
            site_id: site.id.clone(),
            // A project's name is the plan's; a station's or section's, the file's if it gives one.
            name: match (site.kind, &site.name) {
                (SiteKind::Project, _) | (_, None) => data_name.clone(),
                (_, Some(name)) => name.clone(),
            },
            lon: site.position[0],
            lat: site.position[1],
            illustrative: site.illustrative,
        });
    }
    if !problems.is_empty() {
        // The file's order: each feature's problems together, by their place.
        problems.sort_by_key(|p| feature_index(p.field.as_deref()));
        return Ok(Err(in_file(problems)));
    }
    let stored = store.replace_sites_by(actor_id, code, &rows, source).await?;
    let mut by_kind = BTreeMap::new();
    for site in &sites {
        *by_kind.entry(site.kind.key()).or_insert(0) += 1;
    }
    Ok(Ok(ImportReport {
        stored,
        by_kind,
        illustrative: sites.iter().filter(|s| s.illustrative).count(),
    }))
}

/// A stored point's kind (rows of other kinds, which the import never writes, are left out).
pub fn kind_of(site: &StoredSite) -> Option<SiteKind> {
    SiteKind::parse(&site.kind)
}

/// The year a zone's map shows by default: the latest year of its air or water figures, if any.
pub async fn default_year(store: &Store, code: &str) -> ApiResult<Option<i32>> {
    let Some(record) = store.zone(code).await? else {
        return Err(ApiError::not_found(format!("区域 (zone) {code}")));
    };
    let framework = store.framework(&record.framework_id).await?;
    let mut latest = None;
    for page in [AIR, WATER] {
        let years = monitoring_results::page_years(store, &framework, code, page).await?;
        latest = latest.max(years.years.iter().copied().max());
    }
    Ok(latest)
}

/// Each point's state in `year`, by (kind, id), in Chinese: what the stored figures say of it, or that
/// there is none.
pub async fn states(
    store: &Store,
    code: &str,
    year: i32,
    sites: &[StoredSite],
) -> ApiResult<BTreeMap<(SiteKind, String), String>> {
    let Some(record) = store.zone(code).await? else {
        return Err(ApiError::not_found(format!("区域 (zone) {code}")));
    };
    let framework = store.framework(&record.framework_id).await?;
    let wanted: BTreeSet<SiteKind> = sites.iter().filter_map(kind_of).collect();
    let air = if wanted.contains(&SiteKind::Station) {
        let years = monitoring_results::page_years(store, &framework, code, AIR).await?;
        monitoring_results::air_result(store, code, year, &years).await?
    } else {
        None
    };
    let water = if wanted.contains(&SiteKind::Section) {
        let years = monitoring_results::page_years(store, &framework, code, WATER).await?;
        monitoring_results::water_result(store, code, year, &years).await?
    } else {
        None
    };
    let reports = if wanted.contains(&SiteKind::Project) {
        Some(store.report_book(code).await?)
    } else {
        None
    };
    let mut out = BTreeMap::new();
    for site in sites {
        let Some(kind) = kind_of(site) else { continue };
        let text = match kind {
            SiteKind::Station => match &air {
                Some(result) if result.stations.contains(&site.site_id) => {
                    let judged: Vec<_> = result.annual.iter().filter(|s| s.complies.is_some()).collect();
                    let met = judged.iter().filter(|s| s.complies == Some(true)).count();
                    format!(
                        "{year} 年数据计入全区空气质量评价（点位平均，不单独评价站点）；全区年评价 {} 项中 {met} 项达标",
                        judged.len()
                    )
                }
                _ => format!("{year} 年无本站空气监测数据"),
            },
            SiteKind::Section => match water
                .as_ref()
                .and_then(|w| w.sections.iter().find(|s| s.name == site.site_id))
            {
                Some(section) => match section.annual {
                    Some(class) => format!(
                        "{year} 年年均水质类别：{}",
                        ecociv_water::gb3838::WaterClass::ALL
                            .get(usize::from(class).saturating_sub(1))
                            .map_or("—", |c| c.zh())
                    ),
                    None => format!("{year} 年监测次数不足，无年均水质类别"),
                },
                None => format!("{year} 年无本断面水质监测数据"),
            },
            SiteKind::Project => match reports
                .as_ref()
                .and_then(|book| book.latest_approved(&Subject::Project(site.site_id.clone())))
            {
                Some(report) => format!(
                    "进展：{}，完成 {}%（{}报告，已审核）",
                    report.status.label(),
                    report.percent,
                    report.period
                ),
                None => "尚无审核通过的进展报告".to_string(),
            },
        };
        out.insert((kind, site.site_id.clone()), text);
    }
    Ok(out)
}

/// The points as JSON (the API's shape): kind, id, name, lon, lat, illustrative, source, imported_at.
pub fn sites_json(sites: &[StoredSite]) -> serde_json::Value {
    json!(
        sites
            .iter()
            .map(|s| json!({
                "kind": s.kind,
                "id": s.site_id,
                "name": s.name,
                "lon": s.lon,
                "lat": s.lat,
                "illustrative": s.illustrative,
                "source": s.source,
                "imported_at": s.imported_at,
            }))
            .collect::<Vec<_>>()
    )
}
