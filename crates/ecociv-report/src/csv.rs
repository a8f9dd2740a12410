//! Open data (公开数据): the values and judgements of a zone for a range of years as CSV, UTF-8 with a
//! byte-order mark so that Excel on Chinese Windows opens it as UTF-8.
//!
//! One line per (year, row), indicators with sub-indicators included as their own lines
//! (`is_indicator = true`, no value). Numbers are written in full precision with a `.` decimal point;
//! states and spatial records as their text. Text that a spreadsheet would take for a formula (leading `=`,
//! `+`, `-`, `@`, tab, CR; not a plain number) gets a leading `'` (`ecociv_csvline::neutralise_formula`). Columns are listed in [`HEADER`]; they are a compatibility
//! promise like the JSON shapes: add columns at the end, never rename or remove.

use ecociv_core::{Assessment, Value};
use ecociv_csvline::neutralise_formula;

use crate::common::ReportError;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The columns.
pub const HEADER: &[&str] = &[
    "zone",
    "zone_name",
    "year",
    "id",
    "indicator",
    "is_indicator",
    "name",
    "name_en",
    "domain",
    "attribute",
    "unit",
    "standard",
    "value",
    "value_kind",
    "status",
    "status_zh",
    "basis",
    "lead_departments",
    "source",
    "explanation",
    "explanation_en",
    "framework",
    "framework_edition",
];

/// The assessments (one per year) as CSV bytes with a BOM.
pub fn open_data(assessments: &[Assessment]) -> Result<Vec<u8>, ReportError> {
    let mut out = BOM.to_vec();
    {
        let mut writer = ::csv::Writer::from_writer(&mut out);
        writer.write_record(HEADER)?;
        for assessment in assessments {
            for row in &assessment.rows {
                let (value, kind) = match &row.value {
                    None => (String::new(), ""),
                    Some(Value::Number(number)) => (number.to_string(), "number"),
                    Some(Value::State(text)) => (text.clone(), "state"),
                    Some(other @ Value::Spatial(_)) => (other.display(), "spatial"),
                };
                let year = assessment.year.to_string();
                let record: [&str; 23] = [
                    &assessment.zone_code,
                    &assessment.zone_name,
                    &year,
                    &row.id,
                    &row.indicator,
                    if row.is_indicator { "true" } else { "false" },
                    &row.name,
                    &row.name_en,
                    &row.domain,
                    row.attribute.code(),
                    &row.unit,
                    &row.standard,
                    &value,
                    kind,
                    row.status.code(),
                    row.status.zh(),
                    row.basis.code(),
                    &row.lead_departments.join("、"),
                    &row.source.as_ref().map(|source| source.describe()).unwrap_or_default(),
                    &row.explanation.zh,
                    &row.explanation.en,
                    &assessment.framework_id,
                    &assessment.framework_edition,
                ];
                writer.write_record(record.map(|field| neutralise_formula(field).into_owned()))?;
            }
        }
        writer.flush().map_err(|error| ReportError::Csv(error.into()))?;
    }
    Ok(out)
}
