//! Integration and conformance tests of `ecociv-water` (one test binary, modules per standard).

mod black_odorous;
mod evaluation2011;
mod gb3838;
mod hj192;
mod hostile;
mod ingest;
mod parallel;
mod props;
mod zone;
