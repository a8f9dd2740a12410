//! Soil pollution risk (土壤污染风险), judged from sample contents.
//!
//! One pure module per standard (no IO, no clock, no environment):
//! - [`gb36600`]: GB 36600-2018 建设用地 — screening and intervention values of Table 1's 45 basic items for
//!   first- and second-class land, and the judgement of clause 7.
//! - [`gb15618`]: GB 15618-2018 农用地 — screening values by pH band and land use (Tables 1–2), intervention
//!   values (Table 3), and the judgement of clause 7.
//!
//! IO lives at the edge in [`ingest`]: CSV readers whose errors name line, column and field.
//!
//! Every value is a row of a data file under `data/` (embedded with `include_str!`) with its clause, source
//! and confidence; see `data/README.md`.

pub mod gb15618;
pub mod gb36600;
pub mod ingest;

/// Edition labels recorded with every computed figure.
pub mod edition {
    /// GB 36600-2018 土壤环境质量 建设用地土壤污染风险管控标准（试行）.
    pub const GB36600: &str = "GB 36600-2018";
    /// GB 15618-2018 土壤环境质量 农用地土壤污染风险管控标准（试行）.
    pub const GB15618: &str = "GB 15618-2018";
}

/// The reference tables' confidence tag and error, shared with the other standards crates.
pub use ecociv_csvline::refdata::{Confidence, RefDataError};
use ecociv_csvrecords::table_records as records;

fn field(rec: &csv::StringRecord, i: usize) -> &str {
    rec.get(i).unwrap_or("").trim()
}

fn number(rec: &csv::StringRecord, i: usize, line: u64, what: &str) -> Result<f64, RefDataError> {
    field(rec, i)
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| RefDataError {
            line,
            message: format!("{what}: column {} is not a positive number", i + 1),
        })
}

fn confidence(
    rec: &csv::StringRecord,
    i: usize,
    note: &str,
    line: u64,
    what: &str,
) -> Result<Confidence, RefDataError> {
    let c = Confidence::parse(field(rec, i)).ok_or_else(|| RefDataError {
        line,
        message: format!("{what}: confidence must be V2, V1, M or C"),
    })?;
    if c.is_doubtful() && note.is_empty() {
        return Err(RefDataError {
            line,
            message: format!("{what}: a doubtful ({}) value must name its doubt", c.code()),
        });
    }
    Ok(c)
}
