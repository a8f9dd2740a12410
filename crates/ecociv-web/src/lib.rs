//! ecociv's web pages, as a pure library: view-models built from the core's types, rendered to HTML
//! strings. No HTTP, no SQL, no clock, no files: the server (`ecociv-server`) reads the store, builds the
//! views with the functions here and sends the strings.
//!
//! - [`i18n`]: the translation layer (zh-CN first, en second) and the locale's formatting.
//! - [`layout`]: the page frame (header, navigation, language switch, user, footer), the request context
//!   ([`layout::PageContext`]), roles, URLs, and shared pieces (status badges).
//! - [`pages`]: one module per page — its view-model, the builder from core types, and the renderer.
//! - [`assets`]: the stylesheet, written for this project and embedded.
//!
//! Invariants: every label comes from the message tables; every datum is escaped (maud escapes all
//! interpolations; only the chart SVG produced by our own chart crate is inserted as markup); the core
//! flows (login, filters, data entry, review) work as plain HTML forms without JavaScript; pages reference
//! no external host.

pub mod assets;
pub mod i18n;
pub mod layout;
pub mod pages;

pub use i18n::{Lang, t, tf};
pub use layout::{Nav, PageContext, Role, UserBadge};
