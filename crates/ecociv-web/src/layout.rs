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

/// The URLs of the pages, so that links and routes agree.
pub mod urls {
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

    pub fn dashboard(zone: &str) -> String {
        format!("/z/{}", encode(zone))
    }
    pub fn dashboard_year(zone: &str, year: i32) -> String {
        format!("/z/{}?year={year}", encode(zone))
    }
    /// Zones of the same kind side by side (issue 15).
    pub fn peers(zone: &str, year: i32) -> String {
        format!("/z/{}/peers?year={year}", encode(zone))
    }
    pub fn table(zone: &str) -> String {
        format!("/z/{}/table", encode(zone))
    }
    /// Table 2-1 as open-data CSV (UTF-8 with a BOM, for Excel).
    pub fn table_csv(zone: &str, year: i32) -> String {
        format!("/z/{}/table.csv?year={year}", encode(zone))
    }
    /// Table 2-1 as an Excel workbook.
    pub fn report_docx(zone: &str, year: i32) -> String {
        format!("/z/{}/report.docx?year={year}", encode(zone))
    }

    pub fn open_data_json(zone: &str, year: i32) -> String {
        format!("/z/{}/data.json?year={year}", encode(zone))
    }

    pub fn table_xlsx(zone: &str, year: i32) -> String {
        format!("/z/{}/table.xlsx?year={year}", encode(zone))
    }
    pub fn indicator(zone: &str, row: &str, year: i32) -> String {
        format!("/z/{}/indicators/{}?year={year}", encode(zone), encode(row))
    }
    pub fn indicator_path(zone: &str, row: &str) -> String {
        format!("/z/{}/indicators/{}", encode(zone), encode(row))
    }
    /// The public portal (issue 14): the open-data catalogue, its DCAT JSON-LD, a dataset's file, the
    /// survey results, the disclosure list.
    pub fn open_data(zone: &str) -> String {
        format!("/z/{}/open", encode(zone))
    }
    pub fn open_catalog(zone: &str) -> String {
        format!("/z/{}/open/catalog.jsonld", encode(zone))
    }
    pub fn open_file(zone: &str, file: &str) -> String {
        format!("/z/{}/open/{}", encode(zone), encode(file))
    }
    pub fn survey_results(zone: &str) -> String {
        format!("/z/{}/results", encode(zone))
    }
    pub fn disclosure(zone: &str) -> String {
        format!("/z/{}/disclosure", encode(zone))
    }
    pub fn disclosure_year(zone: &str, year: i32) -> String {
        format!("/z/{}/disclosure?year={year}", encode(zone))
    }
    pub fn air(zone: &str) -> String {
        format!("/z/{}/air", encode(zone))
    }
    pub fn water(zone: &str) -> String {
        format!("/z/{}/water", encode(zone))
    }
    /// The monitoring upload form's target (reviewers, admins).
    pub fn monitoring_upload(zone: &str) -> String {
        format!("/z/{}/monitoring/upload", encode(zone))
    }
    /// The monitoring correction form's target (reviewers, admins; issue 19).
    pub fn monitoring_correct(zone: &str) -> String {
        format!("/z/{}/monitoring/correct", encode(zone))
    }
    /// The "compute from monitoring" form's target (reviewers, admins).
    pub fn monitoring_compute(zone: &str) -> String {
        format!("/z/{}/monitoring/compute", encode(zone))
    }
    /// The task breakdown (任务分解).
    pub fn plan(zone: &str) -> String {
        format!("/z/{}/plan", encode(zone))
    }
    pub fn plan_tasks_xlsx(zone: &str) -> String {
        format!("/z/{}/plan/tasks.xlsx", encode(zone))
    }
    /// The key-project ledger.
    pub fn plan_projects(zone: &str) -> String {
        format!("/z/{}/plan/projects", encode(zone))
    }
    pub fn plan_projects_xlsx(zone: &str) -> String {
        format!("/z/{}/plan/projects.xlsx", encode(zone))
    }
    /// The supervision board (督查督办).
    pub fn plan_board(zone: &str) -> String {
        format!("/z/{}/plan/supervision", encode(zone))
    }
    /// A follow-up item's forms (respond, close).
    pub fn plan_item(zone: &str, item: &str) -> String {
        format!("/z/{}/plan/supervision/{}", encode(zone), encode(item))
    }
    pub fn plan_units(zone: &str) -> String {
        format!("/z/{}/plan/units", encode(zone))
    }
    /// A unit's page (its tasks, projects, reports, follow-ups and score).
    pub fn plan_unit(zone: &str, unit: &str) -> String {
        format!("/z/{}/plan/units/{}", encode(zone), encode(unit))
    }
    /// A progress report (`subject`: `project:2.01`, `measure:1.1.2`; `period`: `2025Q3`).
    pub fn plan_report(zone: &str, subject: &str, period: &str) -> String {
        format!(
            "/z/{}/plan/reports/{}/{}",
            encode(zone),
            encode(subject),
            encode(period)
        )
    }
    pub fn plan_report_review(zone: &str, subject: &str, period: &str) -> String {
        format!(
            "/z/{}/plan/reports/{}/{}/review",
            encode(zone),
            encode(subject),
            encode(period)
        )
    }
    /// The Word 工作进展情况通报 of a period.
    pub fn plan_bulletin(zone: &str, period: &str) -> String {
        format!("/z/{}/plan/bulletin.docx?period={}", encode(zone), encode(period))
    }
    pub fn entry(zone: &str) -> String {
        format!("/z/{}/entry", encode(zone))
    }
    /// An example file of a monitoring data kind (its columns and two lines), for the upload form.
    pub fn monitoring_example(kind: &str) -> String {
        format!("/monitoring/example/{}.csv", encode(kind))
    }
    pub fn surveys(zone: &str) -> String {
        format!("/z/{}/surveys", encode(zone))
    }
    pub fn ledgers(zone: &str) -> String {
        format!("/z/{}/ledgers", encode(zone))
    }
    pub fn review(zone: &str) -> String {
        format!("/z/{}/review", encode(zone))
    }
    pub fn review_decide(zone: &str, submission: &str) -> String {
        format!("/z/{}/review/{}", encode(zone), encode(submission))
    }
    /// The download of an evidence file (the API's route; the session cookie authorises it).
    pub fn evidence(zone: &str, id: &str) -> String {
        format!("/api/v1/zones/{}/evidence/{}", encode(zone), encode(id))
    }
    /// Where a reviewer reopens an approved value of a row.
    pub fn reopen(zone: &str, row: &str) -> String {
        format!("/z/{}/indicators/{}/reopen", encode(zone), encode(row))
    }
    /// An account's administration page.
    pub fn admin_user(id: &str) -> String {
        format!("/admin/users/{}", encode(id))
    }
    /// A department's rename form.
    pub fn admin_department(id: &str) -> String {
        format!("/admin/departments/{}", encode(id))
    }
    pub const LOGIN: &str = "/login";
    pub const LOGOUT: &str = "/logout";
    pub const ADMIN_USERS: &str = "/admin/users";
    pub const ADMIN_DEPARTMENTS: &str = "/admin/departments";
    /// The zone's public switch (issue 14).
    pub const ADMIN_ZONE: &str = "/admin/zone";
    /// The language switch: sets the language and comes back to `next`.
    pub fn lang(lang: crate::i18n::Lang, next: &str) -> String {
        format!("/lang/{}?next={}", lang.code(), encode(next))
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
