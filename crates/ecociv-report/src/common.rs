//! What the document formats share: the error type, the plan's target years and texts, status colours.

use ecociv_core::{Status, Zone};

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("Excel 文件生成失败 (xlsx writing failed): {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("Word 文件生成失败 (docx writing failed): {0}")]
    Docx(String),
    #[error("CSV 生成失败 (CSV writing failed): {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Input(String),
}

/// The target years of the zone's plan (e.g. 2025, 2030), ascending.
pub fn target_years(zone: &Zone) -> Vec<i32> {
    let mut years: Vec<i32> = zone
        .plan
        .targets
        .values()
        .flat_map(|by_year| by_year.keys().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The plan's target text for a row and year, as the table prints it.
pub fn target_text<'a>(zone: &'a Zone, row: &str, year: i32) -> Option<&'a str> {
    zone.plan
        .targets
        .get(row)
        .and_then(|by_year| by_year.get(&year))
        .map(|target| target.text.as_str())
}

/// A plain decimal number in a text (`62`, `42.8`), never `≥ 22` or a state.
pub fn plain_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let ok = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    if !ok {
        return None;
    }
    text.parse::<f64>().ok().filter(|number| number.is_finite())
}

/// Fill and font colours of a status (RGB hex), the conventional spreadsheet traffic lights.
pub fn status_colours(status: Status) -> (u32, u32) {
    match status {
        Status::Met => (0xC6EFCE, 0x006100),
        Status::NotMet => (0xFFC7CE, 0x9C0006),
        Status::NoData => (0xFFEB9C, 0x9C5700),
    }
}

/// Departments joined the way Chinese documents list them.
pub fn departments(list: &[String]) -> String {
    list.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_only() {
        assert_eq!(plain_number("62"), Some(62.0));
        assert_eq!(plain_number(" 42.8 "), Some(42.8));
        assert_eq!(plain_number("≥ 22"), None);
        assert_eq!(plain_number("持续实施"), None);
        assert_eq!(plain_number(""), None);
    }
}
