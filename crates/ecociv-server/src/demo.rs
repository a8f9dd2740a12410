//! The demo: the bundled example zone (柳州市城中区, 450202) with its framework, plan and values (stored as
//! approved revisions by a `system` account), departments from the plan's lead lists, and demo accounts
//! with random passwords (returned once, to be printed once); and, by [`load_monitoring`] (which
//! `ecociv serve --demo` calls after [`load`]; tests call it only where they need it, as it takes a few
//! seconds in a debug build), the SYNTHETIC monitoring data of
//! `data/synthetic/monitoring-450202-SYNTHETIC/` (air hourly 2023, water sections, drinking-water sources,
//! black-odorous register and survey, EI), imported as a reviewer would import them, so the air and water
//! pages are filled. Its file names carry SYNTHETIC, which the pages and computed values show. The plan's
//! work gets the SYNTHETIC project ledger and progress reports of `data/synthetic/plan/` ([`load_plan`]).

use ecociv_store::{Action, NewRevision, Role, Status, Store};

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

/// The demo's SYNTHETIC monitoring files: (kind, file name, bytes), embedded at build time.
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
    let revisions = loaded
        .zone
        .observations
        .iter()
        .map(|observation| NewRevision {
            after: 0,
            action: Action::Import,
            status: Status::Approved,
            unit: loaded
                .framework
                .row(&observation.row)
                .map(|(_, row)| row.unit.clone())
                .unwrap_or_default(),
            evidence: String::new(),
            reason: "演示数据：规划文本中的数值".into(),
            observation: observation.clone(),
        })
        .collect();
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
