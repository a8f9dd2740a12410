//! Integration tests of `ecociv-air`: conformance with the standards' tables (HJ 633, HJ 663, GB 3095),
//! properties (proptest), ingestion errors and a no-panic run over arbitrary CSV input.

mod aqi_conformance;
mod evaluation;
mod hostile;
mod ingestion;
mod parallel_days;
mod properties;
mod zone;

/// µg/m³ (or mg/m³ for CO) to milli-units.
pub fn m(x: f64) -> i64 {
    (x * 1000.0).round() as i64
}
