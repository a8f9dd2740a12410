//! The public side's pure core (公众参与): what turns the public's answers into rows 34 (公众对生态文明建设的
//! 满意度) and 35 (参与度), and the disclosure register's items as the public list shows them (row 5,
//! 生态环境信息公开率, is derived from the register by the ledger mechanism).
//!
//! - [`questionnaire`]: the questionnaire as data — questions, answer scales, display conditions, and
//!   which answers count for which row; the zone's default in `data/questionnaire-default.toml` (its
//!   doubts named).
//! - [`sampling`]: the sampling plan — streets, communities and villages as strata with sizes and quotas.
//! - [`estimate`]: the stratified share with its standard error and 95 % Wilson interval, per-stratum
//!   counts and the response rate; an empty stratum is refused by name; the result as a core
//!   [`ecociv_core::Observation`] with the method's edition and the survey as its source.
//! - [`import`]: a survey platform's CSV/xlsx export read against the questionnaire and the plan, all or
//!   nothing, every problem with its line and column.
//! - [`disclosure`]: where each item of the disclosure register stands on a day (on time, late, overdue,
//!   not yet due), a year's counts and the overdue items by owner — for the public list, the open data and
//!   supervision. Row 5's figure itself is the ledger mechanism's (`data/ledgers/disclosure_register.toml`).
//!
//! Pure: no IO, no clock, no SQL; texts arrive as strings, dates and years as parameters.

pub mod disclosure;
pub mod estimate;
pub mod import;
pub mod questionnaire;
pub mod sampling;

pub use estimate::{Estimate, EstimateError, METHOD_EDITION, Response, estimate, estimate_all};
pub use questionnaire::{Answer, Answers, Problem, Questionnaire};
pub use sampling::{SamplingPlan, Stratum, StratumKind};
