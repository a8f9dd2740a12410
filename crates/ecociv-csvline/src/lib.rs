//! The line a person sees for a CSV record, shared by the streaming readers of `ecociv-air` and
//! `ecociv-water`.
//!
//! The csv crate places a record that follows blank lines where the blank lines begin, and its
//! `Position::line` counts neither them nor the record correctly, so an error after a blank line would
//! name the wrong line. [`LineCounter`] wraps the input, notes where each non-blank line starts and its
//! number, and answers [`LineCounter::line_at`] for a record's byte offset. No dependencies; no IO of its
//! own (it reads only what the wrapped reader gives).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};

/// A reader that notes where each non-blank line starts and its number, so that a record's line is known
/// from its byte offset. Lines must be asked in increasing byte order (records are read in order); notes
/// are dropped as they are passed, so memory stays at one buffer's worth.
pub struct LineCounter<R> {
    inner: R,
    offset: u64,
    line: u64,
    at_line_start: bool,
    starts: RefCell<VecDeque<(u64, u64)>>,
}

impl<R> LineCounter<R> {
    /// Wraps `inner`, whose first byte is on line 1.
    pub fn new(inner: R) -> LineCounter<R> {
        LineCounter {
            inner,
            offset: 0,
            line: 1,
            at_line_start: true,
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
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut starts = self.starts.borrow_mut();
        for (index, byte) in buf[..n].iter().enumerate() {
            match byte {
                b'\n' => {
                    self.line += 1;
                    self.at_line_start = true;
                }
                b'\r' => {}
                _ if self.at_line_start => {
                    starts.push_back((self.offset + index as u64, self.line));
                    self.at_line_start = false;
                }
                _ => {}
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
}
