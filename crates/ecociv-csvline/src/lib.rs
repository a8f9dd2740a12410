//! The line a person sees for a CSV record, shared by every CSV reader of the project (`ecociv-data`'s
//! values and projects files, the streaming readers of `ecociv-air` and `ecociv-water`, the monitoring
//! kinds of `ecociv-monitoring`), and the one located error every reader reports with ([`Located`], a
//! problem's file, line, column, field and message; [`Refused`], every problem of an input) and the reference
//! tables' confidence tag and error ([`refdata`]).
//!
//! **One rule for line ends** (all readers): a line ends at LF, at CRLF, or at a lone CR — as the csv
//! crate reads records, and as Excel's "CSV (Macintosh)" writes them. CR-only files are therefore
//! accepted everywhere and numbered like any other.
//!
//! **One rule for record size**: a record (a line, or several lines inside a quoted field) longer than
//! [`MAX_RECORD_BYTES`] is refused with an error naming its line, before it is buffered whole, so memory
//! stays bounded whatever a file holds.
//!
//! The csv crate places a record that follows blank lines where the blank lines begin, and its
//! `Position::line` counts neither them nor the record correctly, so an error after a blank line would
//! name the wrong line. [`LineCounter`] wraps the input, notes where each non-blank line starts and its
//! number, and answers [`LineCounter::line_at`] for a record's byte offset: linear in the input, memory
//! one buffer's worth of notes. No dependencies; no IO of its own (it reads only what the wrapped reader
//! gives).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};

pub mod located;
pub mod refdata;
pub mod text;

pub use located::{Located, Refused, SheetCell};
pub use text::{MAX_READING, excerpt, formula_like, header_names, name_problem, neutralise_formula};

/// The longest record a reader accepts: 1 MiB. Monitoring and values lines are a few hundred bytes; a
/// record this long is a damaged or hostile file.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// A record longer than the limit: its 1-based line and the limit. Carried as the `io::Error` a wrapped
/// reader returns (kind `InvalidData`), so it reaches the caller through the csv crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordTooLong {
    pub line: u64,
    pub limit: u64,
}

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "第 {} 行的记录超过 {} 字节，拒绝读取 / the record at line {} is longer than {} bytes; refused",
            self.line, self.limit, self.line, self.limit
        )
    }
}

impl std::error::Error for RecordTooLong {}

impl RecordTooLong {
    /// The limit error inside an `io::Error` (or the csv crate's error wrapping one), if that is what it is.
    pub fn from_io(error: &io::Error) -> Option<RecordTooLong> {
        error.get_ref()?.downcast_ref::<RecordTooLong>().copied()
    }
}

/// A reader that notes where each non-blank line starts and its number, so that a record's line is known
/// from its byte offset. Lines must be asked in increasing byte order (records are read in order); notes
/// are dropped as they are passed, so memory stays at one buffer's worth.
pub struct LineCounter<R> {
    inner: R,
    offset: u64,
    line: u64,
    at_line_start: bool,
    /// The previous byte was a CR (a following LF belongs to the same line end).
    after_cr: bool,
    /// Inside a quoted field (line ends there do not end the record).
    in_quotes: bool,
    /// At the start of a field (a quote here opens a quoted field).
    at_field_start: bool,
    /// The previous byte closed a quoted field (a quote now is an escaped `""`: still inside).
    after_closing_quote: bool,
    /// Bytes of the current record so far, and the line it started on.
    record_bytes: u64,
    record_line: u64,
    limit: u64,
    /// The limit was passed: the error was returned once, every later read is the end of input.
    failed: bool,
    starts: RefCell<VecDeque<(u64, u64)>>,
}

impl<R> LineCounter<R> {
    /// Wraps `inner`, whose first byte is on line 1, with the record limit [`MAX_RECORD_BYTES`].
    pub fn new(inner: R) -> LineCounter<R> {
        LineCounter::with_limit(inner, MAX_RECORD_BYTES)
    }

    /// Wraps `inner` with a record limit of `limit` bytes.
    pub fn with_limit(inner: R, limit: u64) -> LineCounter<R> {
        LineCounter {
            inner,
            offset: 0,
            line: 1,
            at_line_start: true,
            after_cr: false,
            in_quotes: false,
            at_field_start: true,
            after_closing_quote: false,
            record_bytes: 0,
            record_line: 1,
            limit,
            failed: false,
            starts: RefCell::default(),
        }
    }

    /// The 1-based line of the first non-blank line starting at or after `byte` (the csv crate's
    /// `Position::byte` of a record).
    pub fn line_at(&self, byte: u64) -> u64 {
        let mut starts = self.starts.borrow_mut();
        while starts.front().is_some_and(|(start, _)| *start < byte) {
            starts.pop_front();
        }
        starts.front().map_or(self.line, |(_, line)| *line)
    }

    /// Whether the record limit stopped the input.
    pub fn too_long(&self) -> bool {
        self.failed
    }

    /// Lines ended so far (LF, CRLF and lone CR each count once).
    pub fn lines_ended(&self) -> u64 {
        self.line - 1
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let mut starts = self.starts.borrow_mut();
        for (index, &byte) in buf[..n].iter().enumerate() {
            let after_cr = std::mem::replace(&mut self.after_cr, false);
            let after_closing_quote = std::mem::replace(&mut self.after_closing_quote, false);
            match byte {
                b'\n' | b'\r' => {
                    // A LF right after a CR closes the same line end.
                    if !(byte == b'\n' && after_cr) {
                        self.line += 1;
                    }
                    self.after_cr = byte == b'\r';
                    self.at_line_start = true;
                    if !self.in_quotes {
                        self.record_bytes = 0;
                        self.at_field_start = true;
                        continue;
                    }
                }
                _ => {
                    if self.at_line_start {
                        starts.push_back((self.offset + index as u64, self.line));
                        self.at_line_start = false;
                    }
                    if byte == b'"' {
                        if self.in_quotes {
                            self.in_quotes = false;
                            self.after_closing_quote = true;
                        } else if self.at_field_start || after_closing_quote {
                            self.in_quotes = true;
                        }
                    }
                    self.at_field_start = byte == b',' && !self.in_quotes;
                }
            }
            if self.record_bytes == 0 {
                self.record_line = self.line;
            }
            self.record_bytes += 1;
            if self.record_bytes > self.limit {
                self.failed = true;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    RecordTooLong {
                        line: self.record_line,
                        limit: self.limit,
                    },
                ));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads all of `text` through the counter in small pieces, then asks the line of each byte offset.
    fn lines(text: &str, offsets: &[u64]) -> Vec<u64> {
        let mut counter = LineCounter::new(text.as_bytes());
        let mut buf = [0u8; 3];
        while counter.read(&mut buf).unwrap() > 0 {}
        offsets.iter().map(|&o| counter.line_at(o)).collect()
    }

    #[test]
    fn a_record_after_blank_lines_is_on_the_line_where_its_text_starts() {
        // "a\n" (0..2), "\n" (2), "\r\n" (3..5), "b\n" starts at byte 5 on line 4.
        let text = "a\n\n\r\nb\n";
        // The csv crate would place "b" at byte 2 (where the blanks begin).
        assert_eq!(lines(text, &[0, 2]), vec![1, 4]);
    }

    #[test]
    fn past_the_last_line_is_the_line_after_it() {
        assert_eq!(lines("a\nb\n", &[0, 2, 4]), vec![1, 2, 3]);
    }

    #[test]
    fn lone_cr_crlf_and_lf_each_end_one_line() {
        // a\r (0..2) b\r\n (2..5) c\n (5..7) \r (7) d (8)
        let text = "a\rb\r\nc\n\rd";
        assert_eq!(lines(text, &[0, 2, 5, 7]), vec![1, 2, 3, 5]);
        // A CRLF split across two reads is still one line end (reads of 3 bytes: "ab\r" | "\nc").
        assert_eq!(lines("ab\r\nc", &[4]), vec![2]);
    }

    #[test]
    fn a_record_over_the_limit_is_refused_with_its_line_and_input_then_ends() {
        let text = format!("a,b\n\"{}\"\nz\n", "x\n".repeat(40));
        let mut counter = LineCounter::with_limit(text.as_bytes(), 50);
        let mut out = Vec::new();
        let error = counter.read_to_end(&mut out).unwrap_err();
        assert_eq!(
            RecordTooLong::from_io(&error),
            Some(RecordTooLong { line: 2, limit: 50 })
        );
        assert!(counter.too_long());
        assert_eq!(counter.read(&mut [0u8; 8]).unwrap(), 0);
        // Short lines of the same total length are fine: the limit is per record.
        let text = "\"a\"\"b\",y\n".repeat(100);
        let mut counter = LineCounter::with_limit(text.as_bytes(), 50);
        assert_eq!(counter.read_to_end(&mut Vec::new()).unwrap(), 900);
    }
}
