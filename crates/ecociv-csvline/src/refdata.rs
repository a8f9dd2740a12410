//! The reference-data files' common pieces (the standards crates `ecociv-water`, `ecociv-noise` and
//! `ecociv-soil` embed their tables as CSV files with a confidence column): the confidence tag and the
//! error of a defective table (the loop over a table's records is `ecociv_csvrecords::table_records`).

use std::fmt;

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
    /// Parses `V2`, `V1`, `M` or `C`.
    pub fn parse(s: &str) -> Option<Self> {
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

/// A defect in reference data (a shipped table, or a corrected one a user supplies).
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
