//! Administration (系统管理): users (name, role, department, active) with a form to add one, and
//! departments with a form to add one. Both are POST forms with the CSRF field.

use maud::html;

use crate::i18n::{t, tf};
use crate::layout::{Nav, PageContext, Role, csrf_field, page, urls};

/// A user as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub active: bool,
}

/// A department as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentRow {
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
}

fn admin_tabs(ctx: &PageContext, users_active: bool) -> maud::Markup {
    let lang = ctx.lang;
    html! {
        nav class="tabs" aria-label=(t(lang, "nav.admin")) {
            @if users_active {
                a href=(urls::ADMIN_USERS) aria-current="page" { (t(lang, "admin.users")) }
                a href=(urls::ADMIN_DEPARTMENTS) { (t(lang, "admin.departments")) }
            } @else {
                a href=(urls::ADMIN_USERS) { (t(lang, "admin.users")) }
                a href=(urls::ADMIN_DEPARTMENTS) aria-current="page" { (t(lang, "admin.departments")) }
            }
        }
    }
}

/// Renders the users page.
pub fn render_users(ctx: &PageContext, view: &UsersView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "admin.users");
    let body = html! {
        h1 { (t(lang, "nav.admin")) }
        (admin_tabs(ctx, true))
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
                            td { (user.username) }
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
                    input type="password" id="new-password" name="password" required autocomplete="new-password" minlength="8";
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
        (admin_tabs(ctx, false))
        div class="scroll" {
            table class="data" {
                thead { tr {
                    th scope="col" { (t(lang, "table.department")) }
                    th scope="col" class="num" { (t(lang, "admin.users")) }
                    th scope="col" class="num" { (t(lang, "workflow.rows")) }
                } }
                tbody {
                    @for department in &view.departments {
                        tr {
                            th scope="row" { (department.name) }
                            td class="num" { (department.users) }
                            td class="num" { (department.rows) }
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
    };
    page(ctx, &title, Nav::Admin, body)
}
