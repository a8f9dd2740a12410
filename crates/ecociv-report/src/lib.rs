//! Renders ecociv's results into exchange formats. Pure: results in, bytes or JSON values out; no file
//! or network IO (the callers write the files).
//!
//! - [`json`]: the JSON shapes of the assessment and the target checks. The CLI (`ecociv assess
//!   --format json`) and the HTTP API return exactly these, so they are a compatibility promise: add
//!   fields, never rename or remove them.

pub mod json;
