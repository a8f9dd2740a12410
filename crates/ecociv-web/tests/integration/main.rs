//! Integration tests of ecociv-web: every page rendered from the example zone and read back with a strict
//! HTML reader; the translation layer; screenshots in a real Chromium when one is installed.

mod fixtures;
mod html;
mod i18n;
mod pages;
mod screenshots;
mod snapshots;
