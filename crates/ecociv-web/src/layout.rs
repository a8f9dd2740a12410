//! The page frame and the pieces every page shares: the request context ([`PageContext`]), the roles
//! that decide what the navigation shows, the URLs of the pages ([`urls`]), status badges, and
//! [`page`], which wraps a page body in the document (header, navigation, language switch, footer).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::assets::CSS_PATH;
use crate::i18n::{Lang, t, tf};
use ecociv_core::Status;

/// A user's role (角色). The server decides who has which; the pages only use it to choose links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 系统管理员: users and departments.
    Admin,
    /// 生态环境局审核员: reviews submitted values.
    Reviewer,
    /// 部门填报员: enters its department's rows.
    Editor,
    /// 查看者 (leaders): reads everything, changes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Reviewer, Role::Editor, Role::Viewer];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        t(lang, &format!("role.{}", self.code()))
    }
}

/// The signed-in user as the header shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserBadge {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
}

/// The zone the pages are about.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneBadge {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

/// A one-off message shown at the top of the page (after a save, a refusal, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub kind: FlashKind,
    /// Already translated.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Info,
    Error,
}

/// Everything about the request that the frame needs.
#[derive(Debug, Clone, PartialEq)]
pub struct PageContext {
    pub lang: Lang,
    /// The path and query of this page, for the language switch to come back to.
    pub path: String,
    pub user: Option<UserBadge>,
    pub zone: Option<ZoneBadge>,
    /// The CSRF token every POST form carries (the logout button included).
    pub csrf_token: Option<String>,
    pub flash: Option<Flash>,
}

impl PageContext {
    /// A context for an anonymous visitor.
    pub fn public(lang: Lang, path: impl Into<String>) -> PageContext {
        PageContext {
            lang,
            path: path.into(),
            user: None,
            zone: None,
            csrf_token: None,
            flash: None,
        }
    }

    fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|user| user.role)
    }
}

/// The navigation entries; the current page's is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Dashboard,
    Table,
    Indicator,
    Air,
    Water,
    /// 声环境与土壤 (issue 19).
    NoiseSoil,
    /// The plan's work: tasks, projects, supervision, units.
    Plan,
    Entry,
    Review,
    /// 问卷调查 (members).
    Survey,
    /// 开放数据 and 调查结果: the public portal (issue 14).
    Open,
    Results,
    /// 信息公开: the public disclosure list (issue 14).
    Disclosure,
    /// 台账 (members, issue 13).
    Ledger,
    Admin,
    Login,
    None,
}

/// The URLs of the pages, so that links and routes agree: each page path is written once, in [`paths`];
/// the server's page router (`ecociv_server::web::ROUTES`) mounts each of them, and the link builders
/// below fill them in ([`fill`]).
pub mod urls {
    /// Declares the page paths: a constant each, and [`paths::ALL`] listing them.
    macro_rules! page_paths {
        ($($(#[$doc:meta])* $name:ident = $path:literal;)*) => {
            $($(#[$doc])* pub const $name: &str = $path;)*
            /// Every page path, in the order written: the server routes each of them (its test fails on a
            /// path here that is not routed and on a routed path that is not here).
            pub const ALL: &[&str] = &[$($name),*];
        };
    }

    /// Every page path (axum's `{name}` for a path parameter): the one home of each.
    pub mod paths {
        page_paths! {
            HOME = "/";
            /// The stylesheet ([`crate::assets::CSS`]).
            STYLESHEET = "/assets/ecociv.css";
            /// The language switch.
            LANG = "/lang/{lang}";
            LOGIN = "/login";
            LOGOUT = "/logout";
            ADMIN_USERS = "/admin/users";
            /// An account's administration page.
            ADMIN_USER = "/admin/users/{id}";
            ADMIN_DEPARTMENTS = "/admin/departments";
            /// A department's rename form.
            ADMIN_DEPARTMENT = "/admin/departments/{id}";
            /// The zone's settings: public switch, licence, editions (issues 14, 15).
            ADMIN_ZONE = "/admin/zone";
            /// Zones from the Excel plan template and boundaries from GeoJSON, for a unit (issue 15).
            ADMIN_IMPORT = "/admin/import";
            DASHBOARD = "/z/{code}";
            TABLE = "/z/{code}/table";
            TABLE_CSV = "/z/{code}/table.csv";
            TABLE_XLSX = "/z/{code}/table.xlsx";
            OPEN_DATA_JSON = "/z/{code}/data.json";
            REPORT_DOCX = "/z/{code}/report.docx";
            INDICATOR = "/z/{code}/indicators/{row}";
            /// Where a reviewer reopens an approved value of a row.
            REOPEN = "/z/{code}/indicators/{row}/reopen";
            AIR = "/z/{code}/air";
            WATER = "/z/{code}/water";
            /// 声环境与土壤 (issue 19).
            NOISE_SOIL = "/z/{code}/noise-soil";
            MONITORING_UPLOAD = "/z/{code}/monitoring/upload";
            MONITORING_COMPUTE = "/z/{code}/monitoring/compute";
            MONITORING_CORRECT = "/z/{code}/monitoring/correct";
            MONITORING_EXAMPLE = "/monitoring/example/{file}";
            PLAN = "/z/{code}/plan";
            PLAN_TASKS_XLSX = "/z/{code}/plan/tasks.xlsx";
            PLAN_PROJECTS = "/z/{code}/plan/projects";
            PLAN_PROJECTS_XLSX = "/z/{code}/plan/projects.xlsx";
            PLAN_BOARD = "/z/{code}/plan/supervision";
            PLAN_ITEM = "/z/{code}/plan/supervision/{item}";
            PLAN_BULLETIN = "/z/{code}/plan/bulletin.docx";
            PLAN_UNITS = "/z/{code}/plan/units";
            PLAN_UNIT = "/z/{code}/plan/units/{unit}";
            PLAN_REPORT = "/z/{code}/plan/reports/{subject}/{period}";
            PLAN_REPORT_REVIEW = "/z/{code}/plan/reports/{subject}/{period}/review";
            ENTRY = "/z/{code}/entry";
            REVIEW = "/z/{code}/review";
            REVIEW_DECIDE = "/z/{code}/review/{submission}";
            /// A survey's public form (no login).
            SURVEY_FORM = "/s/{code}/{survey}";
            SURVEY_THANKS = "/s/{code}/{survey}/thanks";
            SURVEYS = "/z/{code}/surveys";
            SURVEY = "/z/{code}/surveys/{survey}";
            SURVEY_PAPER = "/z/{code}/surveys/{survey}/paper";
            SURVEY_IMPORT = "/z/{code}/surveys/{survey}/import";
            SURVEY_CODES = "/z/{code}/surveys/{survey}/codes";
            SURVEY_COMPUTE = "/z/{code}/surveys/{survey}/compute";
            SURVEY_EXPORT = "/z/{code}/surveys/{survey}/export.xlsx";
            OPEN_DATA = "/z/{code}/open";
            OPEN_CATALOG = "/z/{code}/open/catalog.jsonld";
            OPEN_FILE = "/z/{code}/open/{file}";
            SURVEY_RESULTS = "/z/{code}/results";
            DISCLOSURE = "/z/{code}/disclosure";
            /// The roll-up of a city, a province or the nation (issue 15).
            ROLLUP = "/rollup/{code}";
            PEERS = "/z/{code}/peers";
            /// A zone's stations, sections and projects on its map (issue 15); the administrators' import.
            ZONE_MAP = "/z/{code}/map";
            ZONE_MAP_SITES = "/z/{code}/map/sites";
            LEDGERS = "/z/{code}/ledgers";
            LEDGERS_COMPUTE = "/z/{code}/ledgers/compute";
            LEDGER = "/z/{code}/ledgers/{ledger}";
            LEDGER_NEW = "/z/{code}/ledgers/{ledger}/new";
            LEDGER_RECORD = "/z/{code}/ledgers/{ledger}/records/{record}";
            LEDGER_EVIDENCE = "/z/{code}/ledgers/{ledger}/records/{record}/evidence";
        }
    }

    pub use paths::{ADMIN_DEPARTMENTS, ADMIN_IMPORT, ADMIN_USERS, ADMIN_ZONE, LOGIN, LOGOUT};

    /// Percent-encodes a query or path component (UTF-8 bytes outside the unreserved set).
    pub fn encode(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
                other => out.push_str(&format!("%{other:02X}")),
            }
        }
        out
    }

    /// `path` (one of [`paths`]) with its parameters, in order, each percent-encoded ([`encode`]).
    ///
    /// # Panics
    /// When the number of `values` is not the number of the path's parameters (a programming error,
    /// caught by the tests of every link).
    pub fn fill(path: &str, values: &[&str]) -> String {
        let mut out = String::with_capacity(path.len() + 16);
        let mut values = values.iter();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}').expect("a path parameter is closed");
            out.push_str(&rest[..open]);
            out.push_str(&encode(values.next().expect("a value for each path parameter")));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        assert!(values.next().is_none(), "more values than parameters of {path}");
        out
    }

    pub fn dashboard(zone: &str) -> String {
        fill(paths::DASHBOARD, &[zone])
    }
    pub fn dashboard_year(zone: &str, year: i32) -> String {
        format!("{}?year={year}", dashboard(zone))
    }
    /// Zones of the same kind side by side (issue 15).
    pub fn peers(zone: &str, year: i32) -> String {
        format!("{}?year={year}", fill(paths::PEERS, &[zone]))
    }
    pub fn table(zone: &str) -> String {
        fill(paths::TABLE, &[zone])
    }
    /// Table 2-1 as open-data CSV (UTF-8 with a BOM, for Excel).
    pub fn table_csv(zone: &str, year: i32) -> String {
        format!("{}?year={year}", fill(paths::TABLE_CSV, &[zone]))
    }
    /// The Word report of the year.
    pub fn report_docx(zone: &str, year: i32) -> String {
        format!("{}?year={year}", fill(paths::REPORT_DOCX, &[zone]))
    }

    pub fn open_data_json(zone: &str, year: i32) -> String {
        format!("{}?year={year}", fill(paths::OPEN_DATA_JSON, &[zone]))
    }

    /// Table 2-1 as an Excel workbook.
    pub fn table_xlsx(zone: &str, year: i32) -> String {
        format!("{}?year={year}", fill(paths::TABLE_XLSX, &[zone]))
    }
    pub fn indicator(zone: &str, row: &str, year: i32) -> String {
        format!("{}?year={year}", indicator_path(zone, row))
    }
    pub fn indicator_path(zone: &str, row: &str) -> String {
        fill(paths::INDICATOR, &[zone, row])
    }
    /// The public portal (issue 14): the open-data catalogue, its DCAT JSON-LD, a dataset's file, the
    /// survey results, the disclosure list.
    pub fn open_data(zone: &str) -> String {
        fill(paths::OPEN_DATA, &[zone])
    }
    pub fn open_catalog(zone: &str) -> String {
        fill(paths::OPEN_CATALOG, &[zone])
    }
    pub fn open_file(zone: &str, file: &str) -> String {
        fill(paths::OPEN_FILE, &[zone, file])
    }
    pub fn survey_results(zone: &str) -> String {
        fill(paths::SURVEY_RESULTS, &[zone])
    }
    pub fn disclosure(zone: &str) -> String {
        fill(paths::DISCLOSURE, &[zone])
    }
    pub fn disclosure_year(zone: &str, year: i32) -> String {
        format!("{}?year={year}", disclosure(zone))
    }
    pub fn air(zone: &str) -> String {
        fill(paths::AIR, &[zone])
    }
    pub fn water(zone: &str) -> String {
        fill(paths::WATER, &[zone])
    }
    pub fn noise_soil(zone: &str) -> String {
        fill(paths::NOISE_SOIL, &[zone])
    }
    /// The monitoring upload form's target (reviewers, admins).
    pub fn monitoring_upload(zone: &str) -> String {
        fill(paths::MONITORING_UPLOAD, &[zone])
    }
    /// The monitoring correction form's target (reviewers, admins; issue 19).
    pub fn monitoring_correct(zone: &str) -> String {
        fill(paths::MONITORING_CORRECT, &[zone])
    }
    /// The "compute from monitoring" form's target (reviewers, admins).
    pub fn monitoring_compute(zone: &str) -> String {
        fill(paths::MONITORING_COMPUTE, &[zone])
    }
    /// The task breakdown (任务分解).
    pub fn plan(zone: &str) -> String {
        fill(paths::PLAN, &[zone])
    }
    pub fn plan_tasks_xlsx(zone: &str) -> String {
        fill(paths::PLAN_TASKS_XLSX, &[zone])
    }
    /// The key-project ledger.
    pub fn plan_projects(zone: &str) -> String {
        fill(paths::PLAN_PROJECTS, &[zone])
    }
    pub fn plan_projects_xlsx(zone: &str) -> String {
        fill(paths::PLAN_PROJECTS_XLSX, &[zone])
    }
    /// The supervision board (督查督办).
    pub fn plan_board(zone: &str) -> String {
        fill(paths::PLAN_BOARD, &[zone])
    }
    /// A follow-up item's forms (respond, close).
    pub fn plan_item(zone: &str, item: &str) -> String {
        fill(paths::PLAN_ITEM, &[zone, item])
    }
    pub fn plan_units(zone: &str) -> String {
        fill(paths::PLAN_UNITS, &[zone])
    }
    /// A unit's page (its tasks, projects, reports, follow-ups and score).
    pub fn plan_unit(zone: &str, unit: &str) -> String {
        fill(paths::PLAN_UNIT, &[zone, unit])
    }
    /// A progress report (`subject`: `project:2.01`, `measure:1.1.2`; `period`: `2025Q3`).
    pub fn plan_report(zone: &str, subject: &str, period: &str) -> String {
        fill(paths::PLAN_REPORT, &[zone, subject, period])
    }
    pub fn plan_report_review(zone: &str, subject: &str, period: &str) -> String {
        fill(paths::PLAN_REPORT_REVIEW, &[zone, subject, period])
    }
    /// The Word 工作进展情况通报 of a period.
    pub fn plan_bulletin(zone: &str, period: &str) -> String {
        format!("{}?period={}", fill(paths::PLAN_BULLETIN, &[zone]), encode(period))
    }
    pub fn entry(zone: &str) -> String {
        fill(paths::ENTRY, &[zone])
    }
    /// An example file of a monitoring data kind (its columns and two lines), for the upload form.
    pub fn monitoring_example(kind: &str) -> String {
        fill(paths::MONITORING_EXAMPLE, &[&format!("{kind}.csv")])
    }
    pub fn surveys(zone: &str) -> String {
        fill(paths::SURVEYS, &[zone])
    }
    /// A survey's administration page.
    pub fn survey(zone: &str, survey: &str) -> String {
        fill(paths::SURVEY, &[zone, survey])
    }
    /// A survey's public form.
    pub fn survey_form(zone: &str, survey: &str) -> String {
        fill(paths::SURVEY_FORM, &[zone, survey])
    }
    /// A survey's responses as a workbook.
    pub fn survey_export(zone: &str, survey: &str) -> String {
        fill(paths::SURVEY_EXPORT, &[zone, survey])
    }
    pub fn ledgers(zone: &str) -> String {
        fill(paths::LEDGERS, &[zone])
    }
    /// A register's records.
    pub fn ledger(zone: &str, ledger: &str) -> String {
        fill(paths::LEDGER, &[zone, ledger])
    }
    /// A register's entry form.
    pub fn ledger_new(zone: &str, ledger: &str) -> String {
        fill(paths::LEDGER_NEW, &[zone, ledger])
    }
    /// A record's every revision.
    pub fn ledger_record(zone: &str, ledger: &str, record: &str) -> String {
        fill(paths::LEDGER_RECORD, &[zone, ledger, record])
    }
    /// A record's evidence upload.
    pub fn ledger_evidence(zone: &str, ledger: &str, record: &str) -> String {
        fill(paths::LEDGER_EVIDENCE, &[zone, ledger, record])
    }
    /// The roll-up page of a unit (issue 15).
    pub fn rollup(unit: &str) -> String {
        fill(paths::ROLLUP, &[unit])
    }
    pub fn review(zone: &str) -> String {
        fill(paths::REVIEW, &[zone])
    }
    pub fn review_decide(zone: &str, submission: &str) -> String {
        fill(paths::REVIEW_DECIDE, &[zone, submission])
    }
    /// The download of an evidence file (the API's route; the session cookie authorises it).
    pub fn evidence(zone: &str, id: &str) -> String {
        format!("/api/v1/zones/{}/evidence/{}", encode(zone), encode(id))
    }
    /// Where a reviewer reopens an approved value of a row.
    pub fn reopen(zone: &str, row: &str) -> String {
        fill(paths::REOPEN, &[zone, row])
    }
    /// An account's administration page.
    pub fn admin_user(id: &str) -> String {
        fill(paths::ADMIN_USER, &[id])
    }
    /// A department's rename form.
    pub fn admin_department(id: &str) -> String {
        fill(paths::ADMIN_DEPARTMENT, &[id])
    }
    /// The language switch: sets the language and comes back to `next`.
    pub fn lang(lang: crate::i18n::Lang, next: &str) -> String {
        format!("{}?next={}", fill(paths::LANG, &[lang.code()]), encode(next))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_path_is_filled_with_its_encoded_parameters_in_order() {
            assert_eq!(fill(paths::HOME, &[]), "/");
            assert_eq!(dashboard("450202"), "/z/450202");
            assert_eq!(
                plan_report("450202", "project:2.01", "2025Q3"),
                "/z/450202/plan/reports/project%3A2.01/2025Q3"
            );
            assert_eq!(plan_unit("450202", "城中"), "/z/450202/plan/units/%E5%9F%8E%E4%B8%AD");
            assert_eq!(monitoring_example("air hourly"), "/monitoring/example/air%20hourly.csv");
            assert_eq!(
                lang(crate::i18n::Lang::En, "/z/1?year=2"),
                "/lang/en?next=%2Fz%2F1%3Fyear%3D2"
            );
        }

        #[test]
        #[should_panic(expected = "a value for each path parameter")]
        fn a_path_without_all_its_values_is_refused() {
            fill(paths::INDICATOR, &["450202"]);
        }

        #[test]
        fn every_page_path_is_written_once() {
            let mut all = paths::ALL.to_vec();
            all.sort_unstable();
            all.dedup();
            assert_eq!(all.len(), paths::ALL.len(), "a page path twice in `paths`");
        }
    }
}

/// The name of the CSRF form field.
pub const CSRF_FIELD: &str = "csrf_token";

/// The hidden CSRF field of a POST form (empty when the context has no token).
pub fn csrf_field(ctx: &PageContext) -> Markup {
    html! {
        @if let Some(token) = &ctx.csrf_token {
            input type="hidden" name=(CSRF_FIELD) value=(token);
        }
    }
}

/// A status shown by text and by colour: 达标 / 不达标 / 无数据.
pub fn status_badge(lang: Lang, status: Status) -> Markup {
    html! {
        span class={ "status status-" (status.code()) } { (status_label(lang, status)) }
    }
}

/// The label of a status.
pub fn status_label(lang: Lang, status: Status) -> std::borrow::Cow<'static, str> {
    t(lang, &format!("status.{}", status.code()))
}

/// Reads a status code (`met`, `not_met`, `no_data`).
pub fn status_from_code(code: &str) -> Option<Status> {
    [Status::Met, Status::NotMet, Status::NoData]
        .into_iter()
        .find(|status| status.code() == code)
}

/// Wraps a page body in the document: head, skip link, header with the navigation, the language switch
/// and the user, the flash message, the body, and the footer.
pub fn page(ctx: &PageContext, title: &str, active: Nav, body: Markup) -> String {
    let lang = ctx.lang;
    let zone_name = ctx
        .zone
        .as_ref()
        .map(|zone| lang.pick(&zone.name, &zone.name_en).to_string());
    let full_title = match &zone_name {
        Some(zone) => format!("{title} · {zone} · {}", t(lang, "app.short")),
        None => format!("{title} · {}", t(lang, "app.short")),
    };
    let doc = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                link rel="stylesheet" href=(CSS_PATH);
            }
            body {
                a class="skip" href="#main" { (t(lang, "layout.skip")) }
                header class="site" {
                    div class="brand" {
                        span class="emblem" aria-hidden="true" {}
                        div {
                            div class="app-name" { (t(lang, "app.name")) }
                            @if let Some(zone) = &zone_name {
                                div class="zone-name" { (zone) }
                            }
                        }
                    }
                    div class="tools" {
                        a class="lang" href=(urls::lang(lang.other(), &ctx.path)) lang=(lang.other().code()) hreflang=(lang.other().code()) {
                            (lang.other().native_name())
                        }
                        @if let Some(user) = &ctx.user {
                            span class="user" {
                                (user.display_name) " · " (user.role.label(lang))
                                @if let Some(department) = &user.department { " · " (department) }
                            }
                            form class="inline" method="post" action=(urls::LOGOUT) {
                                (csrf_field(ctx))
                                button type="submit" class="link" { (t(lang, "nav.logout")) }
                            }
                        } @else {
                            a href=(urls::LOGIN) { (t(lang, "nav.login")) }
                        }
                    }
                }
                (navigation(ctx, active))
                main id="main" tabindex="-1" {
                    @if let Some(flash) = &ctx.flash {
                        @let class = match flash.kind { FlashKind::Success => "flash flash-success", FlashKind::Info => "flash flash-info", FlashKind::Error => "flash flash-error" };
                        div class=(class) role="status" { (flash.text) }
                    }
                    (body)
                }
                footer class="site" {
                    p { (t(lang, "layout.footer")) }
                }
            }
        }
    };
    doc.into_string()
}

fn navigation(ctx: &PageContext, active: Nav) -> Markup {
    let lang = ctx.lang;
    let role = ctx.role();
    let mut items: Vec<(Nav, String, std::borrow::Cow<'static, str>)> = Vec::new();
    if let Some(zone) = &ctx.zone {
        items.push((Nav::Dashboard, urls::dashboard(&zone.code), t(lang, "nav.dashboard")));
        items.push((Nav::Table, urls::table(&zone.code), t(lang, "nav.table")));
        items.push((Nav::Air, urls::air(&zone.code), t(lang, "nav.air")));
        items.push((Nav::Water, urls::water(&zone.code), t(lang, "nav.water")));
        items.push((Nav::NoiseSoil, urls::noise_soil(&zone.code), t(lang, "nav.noise_soil")));
        items.push((Nav::Plan, urls::plan(&zone.code), t(lang, "nav.plan")));
        items.push((Nav::Results, urls::survey_results(&zone.code), t(lang, "nav.results")));
        items.push((Nav::Disclosure, urls::disclosure(&zone.code), t(lang, "nav.disclosure")));
        items.push((Nav::Open, urls::open_data(&zone.code), t(lang, "nav.open")));
        if matches!(role, Some(Role::Editor)) {
            items.push((Nav::Entry, urls::entry(&zone.code), t(lang, "nav.entry")));
        }
        if matches!(role, Some(Role::Reviewer | Role::Admin)) {
            items.push((Nav::Review, urls::review(&zone.code), t(lang, "nav.review")));
        }
        if role.is_some() {
            items.push((Nav::Survey, urls::surveys(&zone.code), t(lang, "nav.survey")));
            items.push((Nav::Ledger, urls::ledgers(&zone.code), t(lang, "nav.ledger")));
        }
    }
    if matches!(role, Some(Role::Admin)) {
        items.push((Nav::Admin, urls::ADMIN_USERS.to_string(), t(lang, "nav.admin")));
    }
    html! {
        @if !items.is_empty() {
            nav class="main" aria-label=(t(lang, "layout.nav")) {
                ul {
                    @for (nav, href, label) in &items {
                        li {
                            @if *nav == active {
                                a href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A year chooser: a GET form with a `<select>` and a button (works without JavaScript).
pub fn year_form(lang: Lang, action: &str, years: &[i32], year: i32, hidden: &[(&str, &str)]) -> Markup {
    html! {
        form class="filters" method="get" action=(action) {
            @for (name, value) in hidden {
                input type="hidden" name=(name) value=(value);
            }
            label for="year" { (t(lang, "filter.year")) }
            select id="year" name="year" {
                @for y in years {
                    option value=(y) selected[*y == year] { (y) }
                }
            }
            button type="submit" { (t(lang, "filter.apply")) }
        }
    }
}

/// Inserts markup we produced ourselves (the chart SVG) without escaping.
pub fn trusted(markup: &str) -> Markup {
    PreEscaped(markup.to_string())
}

/// A simple page with a heading and a message (403, 404, …).
pub fn render_message(ctx: &PageContext, title_key: &str, body_key: &str) -> String {
    let lang = ctx.lang;
    let body = html! {
        h1 { (t(lang, title_key)) }
        p { (t(lang, body_key)) }
    };
    page(ctx, &t(lang, title_key), Nav::None, body)
}

/// An error page (403, 404, 500, …) inside the normal layout: the heading, the message, and links back —
/// to the zone's overview when the page was a zone's, to the start page, and to the login page for a
/// visitor not signed in.
///
/// `reference` is the request's id (请求编号), shown on a server error so that a report of it can be found in
/// the server's log.
pub fn render_error(ctx: &PageContext, title_key: &str, body_key: &str, reference: Option<&str>) -> String {
    let lang = ctx.lang;
    let body = html! {
        h1 { (t(lang, title_key)) }
        p { (t(lang, body_key)) }
        @if let Some(reference) = reference {
            p class="meta" { (tf(lang, "error.reference", &[("id", &reference)])) }
        }
        ul class="plain back-links" {
            @if let Some(zone) = &ctx.zone {
                li { a href=(urls::dashboard(&zone.code)) { (tf(lang, "error.back_zone", &[("zone", &lang.pick(&zone.name, &zone.name_en))])) } }
            }
            li { a href="/" { (t(lang, "error.back_home")) } }
            @if ctx.user.is_none() {
                li { a href=(format!("{}?next={}", urls::LOGIN, urls::encode(&ctx.path))) { (t(lang, "error.login")) } }
            }
        }
    };
    page(ctx, &t(lang, title_key), Nav::None, body)
}
