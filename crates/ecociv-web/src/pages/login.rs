//! The login page (登录): user name and password in a POST form with the CSRF field, and the message
//! of a refused attempt next to the form.

use maud::html;

use crate::i18n::t;
use crate::layout::{Nav, PageContext, csrf_field, page, urls};

/// The login page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoginView {
    /// The user name typed (kept after a refusal).
    pub username: String,
    /// A message key (e.g. `login.error.bad_credentials`) after a refusal.
    pub error: Option<String>,
    /// Where to go after signing in.
    pub next: Option<String>,
}

/// Renders the login page.
pub fn render_login(ctx: &PageContext, view: &LoginView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "login.title");
    let body = html! {
        div class="narrow" {
            h1 { (title) }
            form method="post" action=(urls::LOGIN) class="card login" {
                (csrf_field(ctx))
                @if let Some(next) = &view.next { input type="hidden" name="next" value=(next); }
                @if let Some(error) = &view.error {
                    div class="error" role="alert" id="login-error" { (t(lang, error)) }
                }
                div class="field" {
                    label for="username" { (t(lang, "login.username")) }
                    input type="text" id="username" name="username" value=(view.username) autocomplete="username" required autofocus;
                }
                div class="field" {
                    label for="password" { (t(lang, "login.password")) }
                    input type="password" id="password" name="password" autocomplete="current-password" required;
                }
                div class="actions" {
                    button type="submit" { (t(lang, "login.submit")) }
                }
            }
            p class="meta" { (t(lang, "login.public_note")) }
        }
    };
    page(ctx, &title, Nav::Login, body)
}
