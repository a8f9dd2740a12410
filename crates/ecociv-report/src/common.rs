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

/// The target years of the zone's plan (e.g. 2025, 2030), ascending ([`ecociv_core::Plan::target_years`]).
pub fn target_years(zone: &Zone) -> Vec<i32> {
    zone.plan.target_years()
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

/// Text cells of every workbook this crate writes go through here: text a spreadsheet could take for a formula
/// (`ecociv_csvline::formula_like`: leading `=`, `+`, `-`, `@`, tab, CR — the one rule for CSV and Excel
/// writers) is written with the cell's quote prefix (Excel's own `'`, not shown), so a cell a user edits or
/// saves as CSV cannot turn into a formula; the text itself is unchanged. Numbers are written as numbers.
pub(crate) trait TextCells {
    fn write_text(
        &mut self,
        row: u32,
        column: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>;
    fn write_text_plain(
        &mut self,
        row: u32,
        column: u16,
        text: impl AsRef<str>,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>;
    fn merge_text(
        &mut self,
        first: (u32, u16),
        last: (u32, u16),
        text: &str,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>;
}

/// `format`, with the quote prefix when `text` looks like a formula.
fn guarded<'a>(text: &str, format: &'a rust_xlsxwriter::Format) -> std::borrow::Cow<'a, rust_xlsxwriter::Format> {
    if ecociv_csvline::formula_like(text) {
        std::borrow::Cow::Owned(format.clone().set_quote_prefix())
    } else {
        std::borrow::Cow::Borrowed(format)
    }
}

impl TextCells for rust_xlsxwriter::Worksheet {
    fn write_text(
        &mut self,
        row: u32,
        column: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
        let text = text.as_ref();
        self.write_string_with_format(row, column, text, &guarded(text, format))
    }

    fn write_text_plain(
        &mut self,
        row: u32,
        column: u16,
        text: impl AsRef<str>,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
        let text = text.as_ref();
        if ecociv_csvline::formula_like(text) {
            self.write_string_with_format(row, column, text, &rust_xlsxwriter::Format::new().set_quote_prefix())
        } else {
            self.write_string(row, column, text)
        }
    }

    fn merge_text(
        &mut self,
        first: (u32, u16),
        last: (u32, u16),
        text: &str,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
        self.merge_range(first.0, first.1, last.0, last.1, text, &guarded(text, format))
    }
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
