//! Administration (系统管理): users (name, role, department, active) with a form to add one; one
//! user's page (role and department in the zone, name, disable / enable, password reset, and the record
//! of every change made to the account); departments with a form to add one and one to rename each, and
//! the record of their changes. All are POST forms with the CSRF field, working without JavaScript.

use maud::{Markup, html};

use crate::i18n::{fmt_timestamp, t, tf};
use crate::layout::{Nav, PageContext, Role, csrf_field, page, urls};

/// The shortest password an administrator may set (the server's rule, `MIN_PASSWORD_CHARS`).
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A user as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// The link to the user's page.
    pub href: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub active: bool,
}

/// A department as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentRow {
    /// Where the rename form posts.
    pub action: String,
    pub name: String,
    pub users: usize,
    pub rows: usize,
}

/// The users page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsersView {
    pub users: Vec<UserRow>,
    pub departments: Vec<String>,
    /// A message key after a refused form.
    pub error: Option<String>,
}

/// The departments page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DepartmentsView {
    pub departments: Vec<DepartmentRow>,
    pub error: Option<String>,
    /// The record of the departments' changes, newest first.
    pub history: Vec<AuditRow>,
}

/// A recorded change as the pages show it: when, who, what (a message key), before and after as text.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub at: String,
    pub who: String,
    /// A key of the message tables (`admin.audit.user.disable`, …).
    pub action: String,
    pub before: String,
    pub after: String,
}

/// One account's administration page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserView {
    /// Where the forms post.
    pub action: String,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    pub active: bool,
    /// The visitor's own account (it cannot be disabled here).
    pub is_self: bool,
    /// The zone the role form is about.
    pub zone_name: String,
    /// The role in that zone (`None`: no role there).
    pub role: Option<Role>,
    pub department: Option<String>,
    pub departments: Vec<String>,
    /// A message key after a refused form, and the form it concerns (`role`, `profile`, `password`, `status`).
    pub error: Option<(String, String)>,
    pub history: Vec<AuditRow>,
}

/// The administration's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Users,
    Departments,
    Zone,
    Import,
}

fn admin_tabs(ctx: &PageContext, active: Tab) -> Markup {
    let lang = ctx.lang;
    let zone = ctx.zone.as_ref().map(|z| z.code.as_str()).unwrap_or_default();
    let tabs = [
        (Tab::Users, urls::ADMIN_USERS.to_string(), t(lang, "admin.users")),
        (
            Tab::Departments,
            urls::ADMIN_DEPARTMENTS.to_string(),
            t(lang, "admin.departments"),
        ),
        (
            Tab::Zone,
            format!("{}?zone={}", urls::ADMIN_ZONE, urls::encode(zone)),
            t(lang, "admin.zone_settings"),
        ),
        (Tab::Import, urls::ADMIN_IMPORT.to_string(), t(lang, "admin.import")),
    ];
    html! {
        nav class="tabs" aria-label=(t(lang, "nav.admin")) {
            @for (tab, href, label) in &tabs {
                @if *tab == active {
                    a href=(href) aria-current="page" { (label) }
                } @else {
                    a href=(href) { (label) }
                }
            }
        }
    }
}

/// The zone settings page (区域设置): the public switch (whether the zone's approved standing, survey
/// results, disclosure list and open data are shown without an account), the open data's licence and the
/// framework editions, with the record of their changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZonePublicView {
    /// Where the form posts.
    pub action: String,
    pub zone_name: String,
    pub public: bool,
    /// The public portal's pages, to link to (the catalogue).
    pub portal: String,
    /// The open data's licences to choose from: (id, name, the zone's current one).
    pub licences: Vec<(String, String, bool)>,
    /// The administrator chose the licence (else the default, to be confirmed).
    pub licence_confirmed: bool,
    /// The open-data catalogue.
    pub open_data: String,
    /// The editions the zone is judged under, by year (issue 15).
    pub editions: Vec<EditionPeriod>,
    /// The editions it may adopt: (id, name and edition).
    pub edition_choices: Vec<(String, String)>,
    /// The first year a new edition may apply from (after the current one's).
    pub adopt_min_year: i32,
    /// The adoption form as submitted, when refused: (framework, from_year, reason, the refusal).
    pub adopt_error: Option<(String, String, String, String)>,
    pub history: Vec<AuditRow>,
}

/// One period of a zone's editions: the edition's name and edition, the years it applies to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EditionPeriod {
    pub name: String,
    pub edition: String,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
}

/// The years of an edition period in words (各年份 / 2024 年及以前 / 2025 年起 / 2025–2026 年).
pub fn period_text(lang: crate::i18n::Lang, from: Option<i32>, to: Option<i32>) -> String {
    match (from, to) {
        (None, None) => t(lang, "admin.edition_all_years").into_owned(),
        (None, Some(to)) => tf(lang, "admin.edition_until", &[("year", &to)]),
        (Some(from), None) => tf(lang, "admin.edition_from", &[("year", &from)]),
        (Some(from), Some(to)) => tf(lang, "admin.edition_between", &[("from", &from), ("to", &to)]),
    }
}

/// Renders the zone's public switch.
pub fn render_zone_public(ctx: &PageContext, view: &ZonePublicView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "admin.zone_settings");
    let body = html! {
        h1 { (t(lang, "nav.admin")) }
        (admin_tabs(ctx, Tab::Zone))
        section class="card" aria-labelledby="public-h" {
            h2 id="public-h" { (tf(lang, "admin.public_of", &[("zone", &view.zone_name)])) }
            p {
                (t(lang, "admin.public_state")) "："
                @if view.public {
                    span class="tag active" { (t(lang, "admin.public_on")) }
                } @else {
                    span class="tag disabled" { (t(lang, "admin.public_off")) }
                }
            }
            p class="hint" { (t(lang, "admin.public_hint")) }
            form method="post" action=(view.action) class="inline" {
                (csrf_field(ctx))
                @if view.public {
                    input type="hidden" name="public" value="0";
                    button type="submit" class="secondary" { (t(lang, "admin.public_stop")) }
                } @else {
                    input type="hidden" name="public" value="1";
                    button type="submit" { (t(lang, "admin.public_start")) }
                }
            }
            @if view.public {
                p { a href=(view.portal) { (t(lang, "admin.public_view")) } }
            }
        }
        section class="card" aria-labelledby="licence-h" {
            h2 id="licence-h" { (t(lang, "admin.licence")) }
            p class="hint" { (t(lang, "admin.licence_hint")) }
            @if !view.licence_confirmed {
                p { span class="tag warn" { (t(lang, "open.licence_unconfirmed")) } }
            }
            form method="post" action=(view.action) class="stack" {
                (csrf_field(ctx))
                fieldset {
                    legend { (t(lang, "open.licence")) }
                    @for (id, name, current) in &view.licences {
                        div class="field" {
                            label {
                                input type="radio" name="licence" value=(id) checked[*current] required;
                                " " (name)
                            }
                        }
                    }
                }
                button type="submit" { (t(lang, "admin.licence_save")) }
            }
            p { a href=(view.open_data) { (t(lang, "nav.open")) } }
        }
        section class="card" aria-labelledby="edition-h" {
            h2 id="edition-h" { (t(lang, "admin.edition")) }
            p class="hint" { (t(lang, "admin.edition_hint")) }
            table class="data" {
                thead { tr {
                    th scope="col" { (t(lang, "admin.edition_years")) }
                    th scope="col" { (t(lang, "admin.edition_name")) }
                } }
                tbody {
                    @for period in &view.editions {
                        tr {
                            td { (period_text(lang, period.from_year, period.to_year)) }
                            td { (period.name) "（" (period.edition) "）" }
                        }
                    }
                }
            }
            @if let Some((_, _, _, error)) = &view.adopt_error {
                p class="error" role="alert" { (error) }
            }
            @if view.edition_choices.is_empty() {
                p class="meta" { (t(lang, "admin.edition_none")) }
            } @else {
                form method="post" action=(view.action) class="stack" {
                    (csrf_field(ctx))
                    input type="hidden" name="adopt" value="1";
                    div class="field" {
                        label for="adopt-framework" { (t(lang, "admin.edition_new")) }
                        select id="adopt-framework" name="framework" required {
                            @for (id, name) in &view.edition_choices {
                                option value=(id) selected[view.adopt_error.as_ref().is_some_and(|e| &e.0 == id)] { (name) }
                            }
                        }
                    }
                    div class="field" {
                        label for="adopt-year" { (t(lang, "admin.edition_from_year")) }
                        input id="adopt-year" name="from_year" type="number" min=(view.adopt_min_year) max="2100" required
                            value=(view.adopt_error.as_ref().map_or(String::new(), |e| e.1.clone()));
                    }
                    div class="field" {
                        label for="adopt-reason" { (t(lang, "admin.edition_reason")) }
                        input id="adopt-reason" name="reason" type="text" maxlength="500" required
                            value=(view.adopt_error.as_ref().map_or(String::new(), |e| e.2.clone()));
                    }
                    button type="submit" { (t(lang, "admin.edition_adopt")) }
                }
            }
        }
        h2 { (t(lang, "admin.history")) }
        (history_table(ctx, &view.history))
    };
    page(ctx, &title, Nav::Admin, body)
}

/// The page of imports for a unit (issue 15): a zone from the Excel plan template, boundaries from a
/// GeoJSON file; each a file form with a dry run (仅检查), all or nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportView {
    /// Where the forms post.
    pub action: String,
    /// The units the visitor may import for: (code, name), the nation's code first for administrators.
    pub units: Vec<(String, String)>,
    /// The unit chosen.
    pub unit: String,
    /// An administrator (the administration's tabs are shown).
    pub is_admin: bool,
    /// The largest files taken: (plan template, boundaries), as text (`32 MiB`).
    pub limits: (String, String),
    /// The outcome of the last form.
    pub outcome: Option<ImportOutcome>,
    /// The blank plan template's download for the unit chosen: where the form goes and the county-level
    /// units within the unit (code, name).
    pub template: Option<(String, Vec<(String, String)>)>,
}

/// What a form of the import page did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportOutcome {
    /// `plan` or `boundaries`.
    pub form: String,
    pub ok: bool,
    pub message: String,
    /// Each problem, with its file and place (line and field, or sheet and cell).
    pub problems: Vec<String>,
}

fn import_form(ctx: &PageContext, view: &ImportView, form: &str) -> Markup {
    let lang = ctx.lang;
    let id = |name: &str| format!("{form}-{name}");
    html! {
        @if let Some(outcome) = view.outcome.as_ref().filter(|o| o.form == form) {
            @if outcome.ok {
                div class="flash flash-success" role="status" { (outcome.message) }
            } @else {
                div class="error" role="alert" id=(id("error")) {
                    p { (outcome.message) }
                    @if !outcome.problems.is_empty() {
                        ul class="problems" {
                            @for problem in &outcome.problems { li { (problem) } }
                        }
                    }
                }
            }
        }
        form method="post" action=(view.action) enctype="multipart/form-data" class="stack" {
            (csrf_field(ctx))
            input type="hidden" name="form" value=(form);
            div class="field" {
                label for=(id("unit")) { (t(lang, "admin.import_unit")) }
                select id=(id("unit")) name="unit" required {
                    @for (code, name) in &view.units {
                        option value=(code) selected[*code == view.unit] { (name) }
                    }
                }
            }
            div class="field" {
                label for=(id("file")) { (t(lang, "admin.import_file")) }
                @if form == "plan" {
                    input id=(id("file")) name="file" type="file" required
                        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                } @else {
                    input id=(id("file")) name="file" type="file" required accept=".geojson,.json,application/geo+json,application/json";
                }
            }
            @if form == "boundaries" {
                div class="field" {
                    label for=(id("property")) { (t(lang, "admin.import_code_property")) }
                    input id=(id("property")) name="code_property" type="text" maxlength="40";
                }
            }
            div class="field" {
                label {
                    input id=(id("dry")) type="checkbox" name="dry_run" value="true";
                    " " (t(lang, "admin.import_dry_run"))
                }
            }
            button id=(id("submit")) type="submit" { (t(lang, "admin.import_submit")) }
        }
    }
}

/// Renders the import page.
pub fn render_import(ctx: &PageContext, view: &ImportView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "admin.import");
    let body = html! {
        @if view.is_admin {
            h1 { (t(lang, "nav.admin")) }
            (admin_tabs(ctx, Tab::Import))
        } @else {
            h1 { (title) }
        }
        p class="hint" { (t(lang, "admin.import_hint")) }
        section class="card" aria-labelledby="plan-h" {
            h2 id="plan-h" { (t(lang, "admin.import_plan")) }
            p class="hint" { (tf(lang, "admin.import_plan_hint", &[("limit", &view.limits.0)])) }
            @if let Some((action, counties)) = &view.template {
                form method="get" action=(action) class="stack template" {
                    div class="field" {
                        label for="template-zone" { (t(lang, "admin.import_template")) }
                        select id="template-zone" name="zone" required {
                            @for (code, name) in counties { option value=(code) { (name) } }
                        }
                    }
                    button id="template-submit" type="submit" class="secondary" { (t(lang, "admin.import_template_get")) }
                }
            }
            (import_form(ctx, view, "plan"))
        }
        section class="card" aria-labelledby="boundaries-h" {
            h2 id="boundaries-h" { (t(lang, "admin.import_boundaries")) }
            p class="hint" { (tf(lang, "admin.import_boundaries_hint", &[("limit", &view.limits.1)])) }
            (import_form(ctx, view, "boundaries"))
        }
    };
    page(ctx, &title, Nav::Admin, body)
}

/// Renders the users page.
pub fn render_users(ctx: &PageContext, view: &UsersView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "admin.users");
    let body = html! {
        h1 { (t(lang, "nav.admin")) }
        (admin_tabs(ctx, Tab::Users))
        p class="meta" { (tf(lang, "admin.user_count", &[("n", &view.users.len())])) }
        div class="scroll" {
            table class="data" {
                thead { tr {
                    th scope="col" { (t(lang, "login.username")) }
                    th scope="col" { (t(lang, "admin.display_name")) }
                    th scope="col" { (t(lang, "admin.role")) }
                    th scope="col" { (t(lang, "table.department")) }
                    th scope="col" { (t(lang, "admin.active")) }
                } }
                tbody {
                    @for user in &view.users {
                        tr {
                            td { a href=(user.href) { (user.username) } }
                            td { (user.display_name) }
                            td { (user.role.label(lang)) }
                            td { (user.department.as_deref().unwrap_or("—")) }
                            td { @if user.active { (t(lang, "common.yes")) } @else { (t(lang, "common.no")) } }
                        }
                    }
                }
            }
        }
        h2 { (t(lang, "admin.add_user")) }
        form method="post" action=(urls::ADMIN_USERS) class="card" {
            (csrf_field(ctx))
            @if let Some(error) = &view.error { div class="error" role="alert" { (t(lang, error)) } }
            div class="grid-form" {
                div class="field" {
                    label for="new-username" { (t(lang, "login.username")) }
                    input type="text" id="new-username" name="username" required autocomplete="off";
                }
                div class="field" {
                    label for="new-display" { (t(lang, "admin.display_name")) }
                    input type="text" id="new-display" name="display_name" required;
                }
                div class="field" {
                    label for="new-password" { (t(lang, "login.password")) }
                    input type="password" id="new-password" name="password" required autocomplete="new-password" minlength=(MIN_PASSWORD_CHARS);
                }
                div class="field" {
                    label for="new-role" { (t(lang, "admin.role")) }
                    select id="new-role" name="role" {
                        @for role in Role::ALL { option value=(role.code()) { (role.label(lang)) } }
                    }
                }
                div class="field" {
                    label for="new-dept" { (t(lang, "table.department")) }
                    select id="new-dept" name="department" {
                        option value="" { "—" }
                        @for department in &view.departments { option value=(department) { (department) } }
                    }
                }
            }
            div class="actions" { button type="submit" { (t(lang, "admin.add")) } }
        }
    };
    page(ctx, &title, Nav::Admin, body)
}

/// Renders the departments page.
pub fn render_departments(ctx: &PageContext, view: &DepartmentsView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "admin.departments");
    let body = html! {
        h1 { (t(lang, "nav.admin")) }
        (admin_tabs(ctx, Tab::Departments))
        div class="scroll" {
            table class="data" {
                thead { tr {
                    th scope="col" { (t(lang, "table.department")) }
                    th scope="col" class="num" { (t(lang, "admin.users")) }
                    th scope="col" class="num" { (t(lang, "workflow.rows")) }
                    th scope="col" { (t(lang, "admin.rename")) }
                } }
                tbody {
                    @for (n, department) in view.departments.iter().enumerate() {
                        tr {
                            th scope="row" { (department.name) }
                            td class="num" { (department.users) }
                            td class="num" { (department.rows) }
                            td {
                                form method="post" action=(department.action) class="inline rename" {
                                    (csrf_field(ctx))
                                    @let id = format!("rename-{n}");
                                    label for=(id) class="visually-hidden" { (t(lang, "admin.rename_label")) }
                                    input type="text" id=(id) name="name" value=(department.name) required;
                                    button type="submit" class="secondary" { (t(lang, "admin.rename")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { (t(lang, "admin.add_department")) }
        form method="post" action=(urls::ADMIN_DEPARTMENTS) class="card" {
            (csrf_field(ctx))
            @if let Some(error) = &view.error { div class="error" role="alert" { (t(lang, error)) } }
            div class="field" {
                label for="new-dept-name" { (t(lang, "admin.department_name")) }
                input type="text" id="new-dept-name" name="name" required;
            }
            div class="actions" { button type="submit" { (t(lang, "admin.add")) } }
        }
        h2 { (t(lang, "admin.history")) }
        (history_table(ctx, &view.history))
    };
    page(ctx, &title, Nav::Admin, body)
}

fn history_table(ctx: &PageContext, history: &[AuditRow]) -> Markup {
    let lang = ctx.lang;
    html! {
        @if history.is_empty() {
            p class="empty" { (t(lang, "admin.no_history")) }
        } @else {
            div class="scroll" {
                table class="data compact audit" {
                    thead { tr {
                        th scope="col" { (t(lang, "indicator.when")) }
                        th scope="col" { (t(lang, "indicator.who")) }
                        th scope="col" { (t(lang, "indicator.action")) }
                        th scope="col" { (t(lang, "admin.before")) }
                        th scope="col" { (t(lang, "admin.after")) }
                    } }
                    tbody {
                        @for row in history {
                            tr {
                                td { time datetime=(row.at) { (fmt_timestamp(lang, &row.at)) } }
                                td { (row.who) }
                                td { (t(lang, &row.action)) }
                                td { (row.before) }
                                td { (row.after) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn form_error(ctx: &PageContext, view: &UserView, form: &str) -> Markup {
    html! {
        @if let Some((key, which)) = &view.error && which == form {
            div class="error" role="alert" id={ "error-" (form) } { (t(ctx.lang, key)) }
        }
    }
}

/// Renders one account's administration page.
pub fn render_user(ctx: &PageContext, view: &UserView) -> String {
    let lang = ctx.lang;
    let title = tf(
        lang,
        "admin.user_title",
        &[("name", &view.display_name), ("username", &view.username)],
    );
    let body = html! {
        h1 { (t(lang, "nav.admin")) }
        (admin_tabs(ctx, Tab::Users))
        h2 { (title) }
        p class="meta" {
            (t(lang, "admin.status")) "：" span class={ "tag " @if view.active { "active" } @else { "disabled" } } {
                @if view.active { (t(lang, "admin.status_active")) } @else { (t(lang, "admin.status_disabled")) }
            }
            @if view.is_admin { " · " (Role::Admin.label(lang)) }
        }
        div class="grid-2" {
            form method="post" action=(view.action) class="card" {
                (csrf_field(ctx))
                input type="hidden" name="op" value="role";
                h3 { (tf(lang, "admin.role_in_zone", &[("zone", &view.zone_name)])) }
                (form_error(ctx, view, "role"))
                div class="field" {
                    label for="user-role" { (t(lang, "admin.role")) }
                    select id="user-role" name="role" {
                        option value="none" selected[view.role.is_none()] { (t(lang, "admin.no_role")) }
                        @for role in [Role::Reviewer, Role::Editor, Role::Viewer] {
                            option value=(role.code()) selected[view.role == Some(role)] { (role.label(lang)) }
                        }
                    }
                }
                div class="field" {
                    label for="user-dept" { (t(lang, "table.department")) }
                    select id="user-dept" name="department" aria-describedby="user-dept-hint" {
                        option value="" { "—" }
                        @for department in &view.departments {
                            option value=(department) selected[view.department.as_deref() == Some(department.as_str())] { (department) }
                        }
                    }
                    div class="hint" id="user-dept-hint" { (t(lang, "admin.department_hint")) }
                }
                div class="actions" { button type="submit" { (t(lang, "admin.save")) } }
            }
            form method="post" action=(view.action) class="card" {
                (csrf_field(ctx))
                input type="hidden" name="op" value="profile";
                h3 { (t(lang, "admin.display_name")) }
                (form_error(ctx, view, "profile"))
                div class="field" {
                    label for="user-display" { (t(lang, "admin.display_name")) }
                    input type="text" id="user-display" name="display_name" value=(view.display_name) required;
                }
                div class="actions" { button type="submit" { (t(lang, "admin.save")) } }
            }
            form method="post" action=(view.action) class="card" {
                (csrf_field(ctx))
                input type="hidden" name="op" value="password";
                h3 { (t(lang, "admin.reset_password")) }
                (form_error(ctx, view, "password"))
                div class="field" {
                    label for="user-password" { (t(lang, "admin.new_password")) }
                    input type="password" id="user-password" name="password" required autocomplete="new-password"
                        minlength=(MIN_PASSWORD_CHARS) aria-describedby="user-password-hint";
                    div class="hint" id="user-password-hint" { (tf(lang, "admin.password_hint", &[("n", &MIN_PASSWORD_CHARS)])) }
                }
                div class="actions" { button type="submit" { (t(lang, "admin.reset_password")) } }
            }
            form method="post" action=(view.action) class="card" {
                (csrf_field(ctx))
                h3 { (t(lang, "admin.status")) }
                (form_error(ctx, view, "status"))
                @if view.is_self {
                    p class="hint" { (t(lang, "admin.cannot_disable_self")) }
                } @else if view.active {
                    input type="hidden" name="op" value="disable";
                    p class="hint" { (t(lang, "admin.disable_hint")) }
                    div class="actions" { button type="submit" class="danger" { (t(lang, "admin.disable")) } }
                } @else {
                    input type="hidden" name="op" value="enable";
                    div class="actions" { button type="submit" { (t(lang, "admin.enable")) } }
                }
            }
        }
        h2 { (t(lang, "admin.history")) }
        (history_table(ctx, &view.history))
    };
    page(ctx, &title, Nav::Admin, body)
}
