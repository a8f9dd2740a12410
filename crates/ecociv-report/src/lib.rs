//! Renders ecociv's results into exchange formats. Pure: results in, bytes or JSON values out; no file
//! or network IO (the callers write the files).
//!
//! - [`json`]: the JSON shapes of the assessment and the target checks. The CLI (`ecociv assess
//!   --format json`) and the HTTP API return exactly these, so they are a compatibility promise: add
//!   fields, never rename or remove them.
//! - [`xlsx`]: Table 2-1, Table 4-1 and the values by year as an Excel workbook.
//! - [`template`]: department templates (export, and import with cell-level validation, all or nothing).
//! - [`docx`]: the yearly self-assessment report in Word, with charts as PNG.
//! - [`csv`]: open data, values and judgements for a range of years, UTF-8 with BOM.
//! - [`plan`]: the plan's work — the 工作任务分解表 and the key-project ledger (export, and import of
//!   the filled ledger, all or nothing).
//! - [`portal`]: the public portal's open data — tables as CSV/JSON and the catalogue as DCAT JSON-LD.
//! - [`common`]: what the document formats share (error type, target texts, status colours).

pub mod common;
pub mod csv;
pub mod docx;
pub mod json;
pub mod ledger;
pub mod plan;
pub mod portal;
pub mod rollup;
pub mod template;
pub mod xlsx;
pub mod zone_plan;

pub use common::ReportError;
