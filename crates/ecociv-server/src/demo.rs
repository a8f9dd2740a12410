//! The demo: the bundled example zone (柳州市城中区, 450202) with its framework, plan and values (stored as
//! approved revisions by a `system` account), departments from the plan's lead lists, and demo accounts
//! with random passwords (returned once, to be printed once); and, by [`load_monitoring`] (which
//! `ecociv serve --demo` calls after [`load`]; tests call it only where they need it, as it takes a few
//! seconds in a debug build), the SYNTHETIC monitoring data of
//! `data/synthetic/monitoring-450202-SYNTHETIC/` (air hourly 2023, water sections, drinking-water sources,
//! black-odorous register and survey, EI) and the noise and soil files of
//! `data/synthetic/monitoring-formats-SYNTHETIC/`, imported as a reviewer would import them, so the air, water and
//! noise-and-soil pages are filled. Its file names carry SYNTHETIC, which the pages and computed values show. The plan's
//! work gets the SYNTHETIC project ledger and progress reports of `data/synthetic/plan/` ([`load_plan`]).

use ecociv_store::{Role, Status, Store};

use crate::auth::{hash_password, random_password};
use crate::error::{ApiError, ApiResult};

/// The example zone's code.
pub const DEMO_ZONE: &str = "450202";

/// A demo account and its password (shown once).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

/// The demo's SYNTHETIC monitoring files: (kind, file name, bytes), embedded at build time. The noise and
/// soil files live with the format examples (`data/synthetic/monitoring-formats-SYNTHETIC/`) and are
/// imported too, so the 声环境与土壤 page and the contaminated-land register's soil figures are filled.
pub const DEMO_MONITORING: &[(&str, &str, &[u8])] = &[
    (
        "air",
        "SYNTHETIC-air-2023-A.csv",
        include_bytes!("../../../data/synthetic/monitoring-450202-SYNTHETIC/air/SYNTHETIC-air-2023-A.csv"),
    ),
    (
        "air",
        "SYNTHETIC-air-2023-B.csv",
        include_bytes!("../../../data/synthetic/monitoring-450202-SYNTHETIC/air/SYNTHETIC-air-2023-B.csv"),
    ),
    (
        "sections",
        "sections.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-450202-SYNTHETIC/water/sections.SYNTHETIC.csv"),
    ),
    (
        "drinking_sources",
        "drinking_sources.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-450202-SYNTHETIC/water/drinking_sources.SYNTHETIC.csv"),
    ),
    (
        "black_odorous_bodies",
        "black_odorous_bodies.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-450202-SYNTHETIC/water/black_odorous_bodies.SYNTHETIC.csv"),
    ),
    (
        "black_odorous",
        "black_odorous.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-450202-SYNTHETIC/water/black_odorous.SYNTHETIC.csv"),
    ),
    (
        "ei",
        "ei.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-450202-SYNTHETIC/water/ei.SYNTHETIC.csv"),
    ),
    (
        "noise",
        "noise-2023-2024.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-formats-SYNTHETIC/noise-2023-2024.SYNTHETIC.csv"),
    ),
    (
        "soil_development",
        "soil_development.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-formats-SYNTHETIC/soil_development.SYNTHETIC.csv"),
    ),
    (
        "soil_farmland",
        "soil_farmland.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-formats-SYNTHETIC/soil_farmland.SYNTHETIC.csv"),
    ),
];

/// SYNTHETIC files of the monitoring kinds the demo does not import (`data/synthetic/monitoring-formats-SYNTHETIC/`):
/// (kind, file name, bytes) — the pages' example files of those kinds, and the tests' inputs.
pub const FORMAT_EXAMPLES: &[(&str, &str, &[u8])] = &[
    (
        "air_daily",
        "air_daily-2022.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-formats-SYNTHETIC/air_daily-2022.SYNTHETIC.csv"),
    ),
    (
        "ei_land_use",
        "ei_land_use.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/monitoring-formats-SYNTHETIC/ei_land_use.SYNTHETIC.csv"),
    ),
];

/// The demo's SYNTHETIC project ledger and progress reports (`data/synthetic/plan/`): the seed plan gives
/// no per-project figures, so these are made up and say so.
pub const DEMO_LEDGER: &str = include_str!("../../../data/synthetic/plan/project_ledger.SYNTHETIC.toml");
pub const DEMO_REPORTS: &str = include_str!("../../../data/synthetic/plan/progress_reports.SYNTHETIC.toml");

/// Stores the demo's SYNTHETIC ledger (one revision by `author`) and progress reports (each through the
/// store's workflow check) for the example zone.
pub async fn load_plan(store: &Store, author: &str) -> ApiResult<()> {
    let Some(works) = crate::plan::works(DEMO_ZONE)? else {
        return Ok(());
    };
    ecociv_plan::format::parse_ledger("project_ledger.SYNTHETIC.toml", DEMO_LEDGER, &works.1)
        .map_err(ApiError::internal)?;
    store.append_ledger(DEMO_ZONE, DEMO_LEDGER, author).await?;
    let book = ecociv_plan::format::parse_reports("progress_reports.SYNTHETIC.toml", DEMO_REPORTS, &works.0, &works.1)
        .map_err(ApiError::internal)?;
    for revision in book.revisions() {
        store.append_report_revision(DEMO_ZONE, revision).await?;
    }
    Ok(())
}

/// Imports the demo's SYNTHETIC monitoring files into the example zone (each file one all-or-nothing
/// batch, as the import route stores it).
pub async fn load_monitoring(store: &Store) -> ApiResult<()> {
    for (kind, file, bytes) in DEMO_MONITORING {
        let kind = ecociv_monitoring::kind::Kind::parse(kind)
            .ok_or_else(|| ApiError::internal(format!("demo monitoring kind {kind}")))?;
        crate::service::monitoring::store_file(store, DEMO_ZONE, kind, file, bytes, false).await?;
    }
    Ok(())
}

/// The demo's SYNTHETIC register records (`data/synthetic/ledgers-450202-SYNTHETIC/`, and the disclosure
/// register's in `data/synthetic/disclosure-450202-SYNTHETIC/`): (file name, bytes); the kind is the file name
/// up to its first dot.
pub const DEMO_LEDGERS: &[(&str, &[u8])] = &[
    (
        "agri_waste.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/agri_waste.SYNTHETIC.csv"),
    ),
    (
        "cadre_training.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/cadre_training.SYNTHETIC.csv"),
    ),
    (
        "contaminated_land.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/contaminated_land.SYNTHETIC.csv"),
    ),
    (
        "disclosure_register.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/disclosure-450202-SYNTHETIC/disclosure_register.SYNTHETIC.csv"),
    ),
    (
        "eia.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/eia.SYNTHETIC.csv"),
    ),
    (
        "emergency_drill.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/emergency_drill.SYNTHETIC.csv"),
    ),
    (
        "enterprise.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/enterprise.SYNTHETIC.csv"),
    ),
    (
        "fertiliser_pesticide_trial.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/fertiliser_pesticide_trial.SYNTHETIC.csv"),
    ),
    (
        "green_building.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/green_building.SYNTHETIC.csv"),
    ),
    (
        "green_procurement.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/green_procurement.SYNTHETIC.csv"),
    ),
    (
        "hazardous_waste.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/hazardous_waste.SYNTHETIC.csv"),
    ),
    (
        "industrial_solid_waste.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/industrial_solid_waste.SYNTHETIC.csv"),
    ),
    (
        "red_line.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/red_line.SYNTHETIC.csv"),
    ),
    (
        "refuse_sorting.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/refuse_sorting.SYNTHETIC.csv"),
    ),
    (
        "resource_statistics.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/resource_statistics.SYNTHETIC.csv"),
    ),
    (
        "risk_hazard.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/risk_hazard.SYNTHETIC.csv"),
    ),
    (
        "river_patrol.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/river_patrol.SYNTHETIC.csv"),
    ),
    (
        "rural_refuse.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/rural_refuse.SYNTHETIC.csv"),
    ),
    (
        "rural_sewage.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/rural_sewage.SYNTHETIC.csv"),
    ),
    (
        "rural_toilet.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/rural_toilet.SYNTHETIC.csv"),
    ),
    (
        "sewage.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/sewage.SYNTHETIC.csv"),
    ),
    (
        "shoreline.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/shoreline.SYNTHETIC.csv"),
    ),
    (
        "urban_refuse.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/urban_refuse.SYNTHETIC.csv"),
    ),
    (
        "village_water.SYNTHETIC.csv",
        include_bytes!("../../../data/synthetic/ledgers-450202-SYNTHETIC/village_water.SYNTHETIC.csv"),
    ),
];

/// The year the demo's registers are computed for (every SYNTHETIC register has records of it).
pub const DEMO_LEDGER_YEAR: i32 = 2024;

/// Imports the demo's SYNTHETIC register records into the example zone (each file one all-or-nothing
/// import, as the import route stores it), then saves the rows they feed for [`DEMO_LEDGER_YEAR`] as
/// approved values through the workflow (batch `ledger`), so that Table 2-1 of that year shows rows derived
/// from registers. Returns the number of values saved. Importing again changes nothing.
pub async fn load_ledgers(store: &Store) -> ApiResult<usize> {
    let record = store
        .zone(DEMO_ZONE)
        .await?
        .ok_or_else(|| ApiError::internal("demo zone missing"))?;
    let framework = store.framework(&record.framework_id).await?;
    let kinds = crate::service::ledger::kinds(&[], &framework).map_err(ApiError::internal)?;
    let system = system_user(store).await?;
    for (file, bytes) in DEMO_LEDGERS {
        let id = file.split('.').next().unwrap_or_default();
        let kind = crate::service::ledger::find_kind(&kinds, id)?;
        crate::service::ledger::import(
            store,
            DEMO_ZONE,
            kind,
            file,
            crate::service::ledger::Upload::from_bytes(file, bytes.to_vec()),
            &system.username,
            false,
        )
        .await?
        .map_err(|error| ApiError::internal(format!("demo ledger {file}: {error}")))?;
    }
    let saved = crate::service::ledger::save_derived(
        store,
        &framework,
        &kinds,
        crate::service::computed::Save {
            code: DEMO_ZONE,
            year: DEMO_LEDGER_YEAR,
            status: Status::Approved,
            author_id: &system.id,
            batch: "ledger",
            dry_run: false,
        },
    )
    .await?;
    Ok(saved["saved"].as_u64().unwrap_or(0) as usize)
}

/// The demo's points on the map (issue 15): ILLUSTRATIVE positions (示意, every feature `"illustrative":
/// true`) of its SYNTHETIC stations and sections and some of the plan's key projects
/// (`data/synthetic/sites-450202-SYNTHETIC/`).
pub const DEMO_SITES: &str = include_str!("../../../data/synthetic/sites-450202-SYNTHETIC/sites.SYNTHETIC.geojson");

/// Imports [`DEMO_SITES`] into the example zone (after [`load_monitoring`], whose stations and sections
/// they name). Returns how many points were stored.
pub async fn load_sites(store: &Store) -> ApiResult<usize> {
    let system = system_user(store).await?;
    let report =
        crate::service::sites::import(store, &system.id, DEMO_ZONE, DEMO_SITES, "sites.SYNTHETIC.geojson").await?;
    Ok(report.stored)
}

/// The account that authors system-loaded values. Its password hash is not a valid hash: it cannot log in.
pub async fn system_user(store: &Store) -> ApiResult<ecociv_store::User> {
    if let Some(user) = store.user_by_username("system").await? {
        return Ok(user);
    }
    Ok(store
        .create_user("system", "系统（演示数据导入）", "!locked", false)
        .await?)
}

/// A demo account to create: user name, display name, role in the demo zone (none = administrator),
/// department id, and the label printed beside its password.
type AccountPlan<'a> = (&'a str, &'a str, Option<Role>, Option<String>, &'a str);

/// Loads the demo into a database without the example zone. Returns `None` when the zone is already there
/// (nothing is changed, no password is made).
pub async fn load(store: &Store) -> ApiResult<Option<Vec<DemoAccount>>> {
    // The administrative units (issue 15): roles can be granted at a city or province from the start.
    crate::service::zones::ensure_units(store).await?;
    if store.zone(DEMO_ZONE).await?.is_some() {
        return Ok(None);
    }
    let loaded = ecociv_data::load_zone(DEMO_ZONE).map_err(ApiError::internal)?;
    let (_, toml_text) = ecociv_data::bundled::FRAMEWORKS
        .iter()
        .find(|(id, _)| *id == loaded.framework.id)
        .ok_or_else(|| ApiError::internal("bundled framework missing"))?;
    store.put_framework(toml_text).await?;
    store.create_zone(&loaded.zone.profile, &loaded.zone.plan, true).await?;
    let system = system_user(store).await?;
    let revisions = crate::service::zones::approved_revisions(&loaded, "演示数据：规划文本中的数值");
    store.append_revisions(DEMO_ZONE, &system.id, None, revisions).await?;
    load_plan(store, &system.id).await?;
    // Rows 34/35 of the demo year from a survey of SYNTHETIC answers (issue 14).
    crate::service::survey::load_demo(store, DEMO_ZONE, &system.id).await?;
    let departments = store.departments(DEMO_ZONE).await?;
    let department = |name: &str| departments.iter().find(|d| d.name == name).map(|d| d.id.clone());
    let mut plan: Vec<AccountPlan<'_>> = vec![
        ("admin", "系统管理员", None, None, "admin"),
        (
            "reviewer",
            "城中生态环境局审核员",
            Some(Role::Reviewer),
            None,
            "reviewer",
        ),
        ("viewer", "区领导（只读）", Some(Role::Viewer), None, "viewer"),
    ];
    if let Some(id) = department("城中生态环境局") {
        plan.push((
            "editor-env",
            "城中生态环境局填报员",
            Some(Role::Editor),
            Some(id),
            "editor: 城中生态环境局",
        ));
    }
    if let Some(id) = department("城中区农业农村局") {
        plan.push((
            "editor-agri",
            "城中区农业农村局填报员",
            Some(Role::Editor),
            Some(id),
            "editor: 城中区农业农村局",
        ));
    }
    let mut accounts = Vec::new();
    for (username, display_name, role, department, label) in plan {
        if store.user_by_username(username).await?.is_some() {
            continue;
        }
        let password = random_password()?;
        let hash = {
            let password = password.clone();
            tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(ApiError::internal)??
        };
        let user = store.create_user(username, display_name, &hash, role.is_none()).await?;
        if let Some(role) = role {
            store
                .set_membership(DEMO_ZONE, &user.id, role, department.as_deref())
                .await?;
        }
        accounts.push(DemoAccount {
            username: username.into(),
            display_name: display_name.into(),
            role: label.into(),
            password,
        });
    }
    Ok(Some(accounts))
}
