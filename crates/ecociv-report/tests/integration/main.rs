//! Integration tests of the report formats, reading every produced file back with a reader crate.

mod xlsx;

/// The bundled example zone (柳州市城中区) with its framework.
pub fn example() -> ecociv_data::LoadedZone {
    ecociv_data::load_zone("450202").expect("bundled zone 450202")
}
mod bulletin;
mod docx;
pub mod fill;
mod hostile;
mod ledger;
mod office;
mod open_data;
mod plan;
mod rollup;
mod scored;
mod template;
