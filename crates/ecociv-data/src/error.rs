//! Errors that name the file, line and field of every problem found.

/// One problem in a data file, and every problem of a refused file: the project's one located error,
/// `ecociv_csvline::{Located, Refused}` (file, line, column, field, message; Chinese first).
pub use ecociv_csvline::{Located as Problem, Refused as DataError};

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

/// A CSV reader over a text, counting lines by the project's one rule (`ecociv-csvline`: LF, CRLF and a lone
/// CR each end a line) in one pass, and refusing a record longer than `ecociv_csvline::MAX_RECORD_BYTES`.
pub(crate) type CsvReader<'a> = csv::Reader<ecociv_csvline::LineCounter<&'a [u8]>>;

pub(crate) fn csv_reader<'a>(builder: &mut csv::ReaderBuilder, text: &'a str) -> CsvReader<'a> {
    builder.from_reader(ecociv_csvline::LineCounter::new(text.as_bytes()))
}

/// A CSV file with a header line, opened: the byte-order mark dropped, the records numbered by the lines a
/// person sees ([`csv_reader`]), the header read — or, when it cannot be, the problem that says so. The
/// opening of the values and divisions files.
pub(crate) fn with_header<'a>(file: &str, text: &'a str) -> Result<(CsvReader<'a>, csv::StringRecord), Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv_reader(csv::ReaderBuilder::new().has_headers(true).flexible(true), text);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return Err(csv_problem(file, &reader, &error).0),
    };
    Ok((reader, headers))
}

/// The 1-based line a person sees for the csv crate's record position (the line where its text starts, also
/// after blank lines). Positions must be asked in increasing order.
pub(crate) fn line_of(reader: &CsvReader<'_>, position: Option<&csv::Position>) -> Option<u64> {
    position.map(|p| reader.get_ref().line_at(p.byte()))
}

/// A CSV error as a problem: its line and message; `true` when reading cannot go on (a record over the
/// limit, or the input failed), `false` for a malformed record that can be skipped to find more problems.
pub(crate) fn csv_problem(file: &str, reader: &CsvReader<'_>, error: &csv::Error) -> (Problem, bool) {
    if let csv::ErrorKind::Io(io) = error.kind() {
        let (line, message) = match ecociv_csvline::RecordTooLong::from_io(io) {
            Some(too_long) => (Some(too_long.line), too_long.to_string()),
            None => (None, format!("无法读取 (cannot read): {io}")),
        };
        return (
            Problem {
                file: file.to_string(),
                line,
                column: None,
                field: None,
                message,
                ..Default::default()
            },
            true,
        );
    }
    (
        Problem {
            file: file.to_string(),
            line: line_of(reader, error.position()),
            column: None,
            field: None,
            message: format!("CSV格式错误 (malformed CSV): {error}"),
            ..Default::default()
        },
        false,
    )
}

/// The next record of `reader` into `record`, with its line; `None` at the end of the input. A malformed
/// record is handed to `report` and skipped (to find more problems); a problem reading cannot go past (a
/// record over the limit, the input failing) is handed to `report` and ends the input. The one record loop
/// of the values, projects and divisions files.
pub(crate) fn next_record(
    file: &str,
    reader: &mut CsvReader<'_>,
    record: &mut csv::StringRecord,
    mut report: impl FnMut(Problem),
) -> Option<Option<u64>> {
    loop {
        match reader.read_record(record) {
            Ok(true) => return Some(line_of(reader, record.position())),
            Ok(false) => return None,
            Err(error) => {
                let (found, fatal) = csv_problem(file, reader, &error);
                report(found);
                if fatal {
                    return None;
                }
            }
        }
    }
}
