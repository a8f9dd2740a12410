//! Errors that name the file, line and field of every problem found.

use std::fmt;

/// One problem in a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// The column or key, when known.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": 字段 {field} (field)")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a file or a set of files. Nothing was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub problems: Vec<Problem>,
}

impl DataError {
    pub fn one(
        file: impl Into<String>,
        line: Option<u64>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> DataError {
        DataError {
            problems: vec![Problem {
                file: file.into(),
                line,
                field: field.map(str::to_string),
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DataError {}

/// Turns a TOML parse error into a problem with its line.
pub(crate) fn toml_problem(file: &str, text: &str, error: &toml::de::Error) -> DataError {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() as u64 + 1);
    DataError::one(file, line, None, error.message().to_string())
}

/// Decodes a file's bytes as UTF-8 (a BOM is accepted), with a hint for the GBK files Excel writes.
pub(crate) fn utf8(file: &str, bytes: Vec<u8>) -> Result<String, DataError> {
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|byte| **byte == b'\n').count() as u64 + 1;
        DataError::one(
            file,
            Some(line),
            None,
            "文件不是UTF-8编码（Excel请另存为“CSV UTF-8”） (the file is not UTF-8)",
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// The 1-based line where a CSV record that the csv crate places at `byte` starts. The crate's position
/// of a record that follows blank lines is where the blank lines begin (and its `Position::line` counts
/// neither them nor the record correctly), so the blank lines are stepped over here.
pub(crate) fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    bytes[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}
