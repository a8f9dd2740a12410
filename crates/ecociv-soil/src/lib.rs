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

use std::fmt;

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

/// A defect in reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefDataError {
    /// 1-based line in the data text (0 when unknown).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RefDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reference data, line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for RefDataError {}

/// Confidence tag of a reference fact (see `docs/reference/standards.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// Verified in two or more independent sources.
    V2,
    /// One source only.
    V1,
    /// From memory; a hypothesis to check.
    M,
    /// Sources conflict.
    C,
}

impl Confidence {
    fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "V2" => Some(Self::V2),
            "V1" => Some(Self::V1),
            "M" => Some(Self::M),
            "C" => Some(Self::C),
            _ => None,
        }
    }

    /// True when the fact is doubtful (memory or conflicting sources).
    pub fn is_doubtful(self) -> bool {
        matches!(self, Self::M | Self::C)
    }

    /// `V2`, `V1`, `M` or `C`.
    pub fn code(self) -> &'static str {
        match self {
            Self::V2 => "V2",
            Self::V1 => "V1",
            Self::M => "M",
            Self::C => "C",
        }
    }
}

/// Reads the records of an embedded CSV text, handing each with its line to `row`.
fn records(
    text: &str,
    mut row: impl FnMut(&csv::StringRecord, u64) -> Result<(), RefDataError>,
) -> Result<(), RefDataError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    for rec in rdr.records() {
        let rec = rec.map_err(|e| RefDataError {
            line: e.position().map_or(0, csv::Position::line),
            message: e.to_string(),
        })?;
        let line = rec.position().map_or(0, csv::Position::line);
        row(&rec, line)?;
    }
    Ok(())
}

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
