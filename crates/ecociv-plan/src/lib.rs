//! Running the plan (规划实施调度): the plan's measures (chapter 3) and key projects (Table 4-1) as data,
//! progress reports on them, supervision (督查督办) and department scorecards (部门考核).
//!
//! Pure: text in, values out; no IO, no clock ("today" is a parameter), no SQL. The zone's files
//! (`measures.toml`, `key_projects.toml`) and the rule files are read from text by [`format`],
//! [`supervision::SupervisionRules::parse`] and [`score::ScoreRules::parse`]; the example zone's files
//! and the default rules are compiled in ([`bundled`]).
//!
//! - [`model`]: `Measure`, `Project`, `ProjectCategory`, `QualityNote`, `LedgerEntry` (what users enter
//!   per project: responsible unit, period, investment plan by year and funding source, milestones).
//! - [`report`]: `ReportRevision`, `ReportBook` (submit → approve/return → resubmit, append-only).
//! - [`supervision`]: rules → `Finding`s → `Board` of `FollowUp`s with responses and 销号.
//! - [`score`]: rules → `Scorecard` whose explanation recomputes to the score.
//! - [`signals`]: the early warning of `ecociv-progress` as supervision and scoring read it (row alerts,
//!   row states, row leads), and the units that are scored — one mapping for the CLI, the server and
//!   the Word 通报.

pub mod bundled;
pub mod date;
pub mod format;
pub mod model;
pub mod money;
pub mod report;
pub mod score;
pub mod signals;
pub mod supervision;

pub use date::{Date, Period, Periodicity};
pub use money::WanYuan;
