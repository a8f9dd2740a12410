//! Water quality, black-odorous water and the ecological index, computed from raw monitoring data.
//!
//! One pure module per standard (no IO, no clock, no environment):
//! - [`gb3838`]: GB 3838-2002 single-factor classification of a sample (Table 1 basic items).
//! - [`evaluation2011`]: 《地表水环境质量评价办法（试行）》(环办〔2011〕22号): period means, section class and
//!   status word, river/basin rating (proportion method or mean concentrations), and TLI for lakes.
//! - [`black_odorous`]: 《城市黑臭水体整治工作指南》(2015): sample level, point verdict, water-body verdict.
//! - [`hj192`]: HJ 192-2015 ecological environment status index (EI), grades, restriction rule, ΔEI bands.
//! - [`zone`]: a zone's yearly figures for indicators 8.1, 8.2, 8.3, 9 and 23, with provenance.
//!
//! IO lives at the edge in [`ingest`]: streaming CSV readers over `impl Read` whose errors name line and column.
//!
//! Reference tables are data files under `data/` (embedded with `include_str!`), each row tagged with the
//! confidence of its source; see `data/README.md`.

pub mod black_odorous;
pub mod evaluation2011;
pub mod gb3838;
pub mod hj192;
pub mod ingest;
pub mod refdata;
pub mod zone;

/// Edition labels recorded with every computed figure.
pub mod edition {
    /// GB 3838-2002 地表水环境质量标准.
    pub const GB3838: &str = "GB 3838-2002";
    /// 地表水环境质量评价办法（试行）.
    pub const EVALUATION_2011: &str = "环办〔2011〕22号 地表水环境质量评价办法（试行）";
    /// 城市黑臭水体整治工作指南.
    pub const BLACK_ODOROUS_2015: &str = "城市黑臭水体整治工作指南(2015)";
    /// HJ 192-2015 生态环境状况评价技术规范.
    pub const HJ192: &str = "HJ 192-2015";
}
