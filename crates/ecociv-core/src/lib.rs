//! The pure domain core of ecociv.
//!
//! This crate knows the *shape* of the demonstration-zone regime and how a value is judged against a
//! criterion. It performs no IO, reads no clock or environment, knows no file format, SQL or HTTP.
//! Everything it needs (the framework, a zone's plan, the observed values) is handed to it as data.
//!
//! Brief overview:
//! - [`framework`]: an indicator framework edition (domains → tasks → indicators → rows), each row's
//!   criterion, its state vocabulary and its regional variants, and the designation rule.
//! - [`value`]: a value on record ([`Value`]), an [`Observation`] of a row in a year with its provenance.
//! - [`division`]: the administrative hierarchy (行政区划) by GB/T 2260 code: is X under Y, parents, children.
//! - [`reading_time`]: a monitoring reading's time and the integer it is stored and compared as.
//! - [`zone`]: a zone's profile and plan (targets, lead departments, projects).
//! - [`format`]: the one formatter for figures, units, changes and states (every output uses it).
//! - [`judge`]: judging one row in one year — the criterion kinds and their explanations.
//! - [`assess`]: the assessment of a zone for a year, and readiness for designation.
//! - [`score`]: a scored edition's points per row, partial credit and pass score (评分细则).
//! - [`targets`]: judging the plan's own 2025/2030 targets against the standard.

pub mod assess;
pub mod division;
pub mod format;
pub mod framework;
pub mod judge;
pub mod num;
pub mod reading_time;
pub mod score;
pub mod targets;
pub mod value;
pub mod zone;

pub use assess::{Assessment, Readiness, RowAssessment, assess, assess_years};
pub use framework::{Attribute, Criterion, Direction, Framework, Indicator, Row, StateVerdict};
pub use judge::{Basis, Judgement, Status};
pub use value::{Assigned, Observation, Recorded, Source, Value};
pub use zone::{Plan, Project, Zone, ZoneProfile};
