//! Monitoring data (监测数据) between the standards crates and the indicator workflow, shared by the CLI
//! (`ecociv assess` over a `monitoring/` folder) and the server (imported monitoring data):
//!
//! - [`kind`]: the monitoring file kinds (air hourly; water sections, drinking-water sources, black-odorous
//!   register and survey, EI), each validated by its standards crate's own reader (errors name file,
//!   line and field), split into cells for storage and rebuilt into the same CSV for computation.
//! - [`feed`]: the computed figures as core observations with their provenance (air → 7.1/7.2 by
//!   `ecociv-air`'s point-average zone engine; water → 8.1/8.2/8.3/9/23 by `ecociv-water`).
//!
//! Pure: no file or network IO, no clock; CSV arrives and leaves as bytes/strings.

pub mod correction;
pub mod feed;
pub mod kind;
