//! Integration tests of `ecociv-progress`: the conformance data in `data/` (the method's published
//! mapping points and band edges, full series cases, aggregation, forecasts and early warning) and
//! robustness properties.

mod conformance;
mod properties;
mod rollup;
mod zone;
