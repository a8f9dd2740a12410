//! Environmental noise (声环境质量), computed from measurements.
//!
//! One pure module per standard (no IO, no clock, no environment):
//! - [`gb3096`]: GB 3096-2008 声环境质量标准 — functional-area classes (0, 1, 2, 3, 4a, 4b), their day/night
//!   limits (Table 1), the day and night periods, the equivalent continuous level Leq as an energy average,
//!   the night maximum-level rule, and the judgement of one measurement point and period.
//!
//! IO lives at the edge in [`ingest`]: a streaming CSV reader whose errors name line, column and field.
//!
//! The limits are a data file (`data/gb3096-2008.csv`, embedded with `include_str!`) with clause, source and
//! confidence per row; see `data/README.md`.

pub mod gb3096;
pub mod ingest;

/// Edition labels recorded with every computed figure.
pub mod edition {
    /// GB 3096-2008 声环境质量标准.
    pub const GB3096: &str = "GB 3096-2008";
}
