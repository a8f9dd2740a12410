//! A CSV file with a header read one record at a time, columns found by name: the record loop the
//! stream readers of `ecociv-noise` and `ecociv-soil` share. The header's names are trimmed and lower-cased
//! (a BOM before the first is dropped), so column order and case are free; blank lines are skipped; a line
//! is numbered as a person sees it ([`LineCounter`]); a record over [`MAX_RECORD_BYTES`] ends reading with
//! an error naming its line. Every problem is a [`Located`] without a file (the caller names it).
//! [`table_records`] is the loop over an embedded reference table's records.
//!
//! A crate of its own because `ecociv-csvline` depends on nothing (not even the csv crate).

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder};

use ecociv_csvline::refdata::RefDataError;
use ecociv_csvline::{LineCounter, Located, MAX_RECORD_BYTES, excerpt};

/// A header-named CSV reader over `R`.
pub struct Records<R: Read> {
    rdr: csv::Reader<LineCounter<R>>,
    names: Vec<String>,
    rec: ByteRecord,
}

impl<R: Read> Records<R> {
    /// Reads the header.
    pub fn open(input: R) -> Result<Self, Located> {
        let mut rdr = ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(LineCounter::new(input));
        let names = match rdr.byte_headers() {
            Ok(h) => ecociv_csvline::header_names(h),
            Err(e) => {
                return Err(Located::in_stream(
                    1,
                    None,
                    format!("CSV 格式错误 / malformed CSV: {e}"),
                ));
            }
        };
        Ok(Self {
            rdr,
            names,
            rec: ByteRecord::new(),
        })
    }

    /// The header's names, trimmed and lower-cased.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The index of column `name`, if the header has it.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The index of column `name`; an error on line 1 when the header lacks it.
    pub fn column(&self, name: &str) -> Result<usize, Located> {
        self.find(name).ok_or_else(|| {
            Located::in_stream(
                1,
                None,
                format!(
                    "表头缺少列 “{name}” / header lacks column \"{name}\" (header: {})",
                    excerpt(&self.names.join(","))
                ),
            )
        })
    }

    /// The next non-blank record's line, `Ok(None)` at the end; a malformed record, or one over the size
    /// limit, is an error that ends reading.
    pub fn next_line(&mut self) -> Result<Option<u64>, Located> {
        loop {
            match self.rdr.read_byte_record(&mut self.rec) {
                Ok(false) => {
                    if self.rdr.get_ref().too_long() {
                        return Err(Located::in_stream(
                            self.rdr.get_ref().lines_ended() + 1,
                            None,
                            format!(
                                "记录过长（超过 {MAX_RECORD_BYTES} 字节）/ record longer than {MAX_RECORD_BYTES} bytes"
                            ),
                        ));
                    }
                    return Ok(None);
                }
                Ok(true) => {}
                Err(e) => {
                    return Err(Located::in_stream(
                        e.position().map_or(0, |p| self.rdr.get_ref().line_at(p.byte())),
                        None,
                        format!("CSV 格式错误 / malformed CSV: {e}"),
                    ));
                }
            }
            let line = self.rec.position().map_or(0, |p| self.rdr.get_ref().line_at(p.byte()));
            if self.rec.iter().all(|f| f.trim_ascii().is_empty()) {
                continue;
            }
            return Ok(Some(line));
        }
    }

    /// The fields of the record read last (at `line`); an error when it has not as many as the header.
    pub fn fields(&self, line: u64) -> Result<Fields<'_>, Located> {
        if self.rec.len() != self.names.len() {
            return Err(Located::in_stream(
                line,
                None,
                format!(
                    "本行有 {} 个字段，表头有 {} 个 / the line has {} fields, the header {}",
                    self.rec.len(),
                    self.names.len(),
                    self.rec.len(),
                    self.names.len()
                ),
            ));
        }
        Ok(Fields {
            rec: &self.rec,
            line,
            names: &self.names,
        })
    }
}

/// The fields of one record, by column index.
pub struct Fields<'a> {
    rec: &'a ByteRecord,
    /// The record's line.
    pub line: u64,
    names: &'a [String],
}

impl<'a> Fields<'a> {
    /// A problem with column `col` (0-based) of this record, named by its header.
    pub fn err(&self, col: usize, message: String) -> Located {
        Located::in_stream(
            self.line,
            Some((col + 1, self.names.get(col).cloned().unwrap_or_default())),
            message,
        )
    }

    /// The trimmed text of column `col` (empty when absent); an error when it is not UTF-8.
    pub fn text(&self, col: usize) -> Result<&'a str, Located> {
        let raw = self.rec.get(col).unwrap_or(b"").trim_ascii();
        std::str::from_utf8(raw).map_err(|_| self.err(col, "不是 UTF-8 文本 / not UTF-8 text".into()))
    }

    /// The text of column `col`, which must not be empty.
    pub fn required(&self, col: usize) -> Result<&'a str, Located> {
        let t = self.text(col)?;
        if t.is_empty() {
            return Err(self.err(col, "不能为空 / must not be empty".into()));
        }
        Ok(t)
    }
}

/// Reads the records of an embedded reference table (a CSV text with a header), handing each with its line
/// to `row`; the first problem ends reading.
pub fn table_records(
    text: &str,
    mut row: impl FnMut(&csv::StringRecord, u64) -> Result<(), RefDataError>,
) -> Result<(), RefDataError> {
    let mut rdr = ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    for rec in rdr.records() {
        let rec = rec.map_err(|e| RefDataError {
            line: e.position().map_or(0, csv::Position::line),
            message: e.to_string(),
        })?;
        let line = rec.position().map_or(0, csv::Position::line);
        row(&rec, line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_name_blank_lines_skipped_and_problems_located() {
        let text = "\u{feff}B , A\n1,2\n\n3\n";
        let mut r = Records::open(text.as_bytes()).unwrap();
        assert_eq!((r.column("a").unwrap(), r.find("b")), (1, Some(0)));
        assert_eq!(r.column("c").unwrap_err().line, Some(1));
        let line = r.next_line().unwrap().unwrap();
        let f = r.fields(line).unwrap();
        assert_eq!((f.text(1).unwrap(), f.line), ("2", 2));
        assert_eq!(
            f.err(1, "m".into()).to_string(),
            "第 2 行第 2 列（a）/ line 2, column 2 (a): m"
        );
        let line = r.next_line().unwrap().unwrap();
        assert_eq!(line, 4, "the blank line 3 is skipped");
        assert_eq!(r.fields(line).err().unwrap().line, Some(4));
        assert_eq!(r.next_line().unwrap(), None);
    }
}
