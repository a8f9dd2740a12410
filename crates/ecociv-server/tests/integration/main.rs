//! The server's tests, through the whole router (guard, extractors, handlers, store on a SQLite file).

mod access;
mod admin;
mod api;
mod assessments;
mod browser;
mod contract;
mod corrections;
mod disclosure;
mod fuzz;
mod hierarchy;
mod hostile;
mod instances;
mod latin;
mod layout;
mod ledger;
mod load;
mod maps;
mod monitoring;
mod plan;
mod plan_browser;
mod portal;
mod reqlog;
mod security;
mod support;
mod survey;
mod web;
