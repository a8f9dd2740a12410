//! Parallel reading of the hourly CSV: the stream is cut into blocks at record boundaries, blocks are parsed
//! (csv crate + number parsing) on worker threads, and the parsed rows are applied to the sink **in input
//! order** on one thread, so results, errors and line numbers are exactly those of the sequential reader.
//!
//! Cutting needs to know where records end. A block is cut after its last line end (LF, or a lone CR — the
//! project's one rule for line ends, see `ecociv-csvline`) only while the input has no quote character at all;
//! at the first block containing `"` the pipeline drains and the rest of the input is read sequentially (quoted
//! fields may contain line ends). A line longer than a block makes the block grow (read more) up to 16 blocks,
//! then the sequential reader takes over (and refuses a record over its limit). Memory is bounded: at most a
//! few blocks are in flight.
//!
//! When the sink is the annual engine, the workers also compute the daily values of whole station-days: a run
//! of consecutive rows of one station and date (distinct hours) followed, in the same block, by a row of the
//! same station and a later date holds every row of that station-day, whatever came before (rows of a
//! station never go back in date, or the input is refused). The run travels as one day record instead of
//! its rows; the consumer takes it whole when the station's open day is older (exactly what its rows would
//! have done), and otherwise — a day split at a block edge, disorder, a repeated hour — reads the run's lines
//! again from the block and applies them one by one, so every outcome, error and line stays the sequential
//! reader's. For the annual engine a block of plain lines is read in one pass over its bytes, the values
//! going straight into the open station-day's hours ([`days_block`]); any other block is read line by line
//! ([`parse_block`]).

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use super::{
    DateCache, HOURLY_HEADER, IngestError, IngestSummary, InputError, ReadOptions, Rec, Split, apply_hourly,
    csv_reader, next_record,
};
use crate::edition::{Date, EditionChoice};
use crate::hj663::{DayHours, DayRecord};
use crate::station::{AnnualEngine, HourlyRow, OrderError, day_record};

/// What the parsed rows are applied to, in input order.
pub(crate) trait HourlySink: Send {
    /// One row.
    fn row(&mut self, row: &HourlyRow<'_>) -> Result<(), OrderError>;
    /// The edition choice under which whole station-days may be computed on the workers (`None`: rows only).
    fn days(&self) -> Option<EditionChoice> {
        None
    }
    /// A whole station-day computed from exactly its rows; `false` when it is not taken so (its rows are then
    /// given one by one).
    fn whole_day(&mut self, _station: &str, _rec: DayRecord) -> bool {
        false
    }
}

/// A row sink closure.
pub(crate) struct Rows<F>(pub F);

impl<F: FnMut(&HourlyRow<'_>) -> Result<(), OrderError> + Send> HourlySink for Rows<F> {
    fn row(&mut self, row: &HourlyRow<'_>) -> Result<(), OrderError> {
        (self.0)(row)
    }
}

impl HourlySink for AnnualEngine {
    fn row(&mut self, row: &HourlyRow<'_>) -> Result<(), OrderError> {
        self.push(row)
    }
    fn days(&self) -> Option<EditionChoice> {
        Some(self.choice())
    }
    fn whole_day(&mut self, station: &str, rec: DayRecord) -> bool {
        self.push_whole_day(station, rec)
    }
}

/// A block of input to parse: (sequence number, bytes).
type Job = (u64, Vec<u8>);

/// A parsed row whose station lives in the block's arena.
struct Row {
    station: (u32, u32),
    date: Date,
    hour: u8,
    values: [Option<i64>; 6],
    line: u64,
}

/// A whole station-day read on a worker: the record of its rows, and where those rows are in the block (to
/// read them again when the day cannot be taken whole).
struct Day {
    station: (u32, u32),
    rec: DayRecord,
    rows: u32,
    lines: Lines,
}

/// Whole lines of a block: from the start of the first to the end of the last (line end excluded), and the
/// block's line number of the first.
#[derive(Clone, Copy)]
struct Lines {
    bytes: (usize, usize),
    first: u64,
}

enum Item {
    Row(Row),
    Bad(InputError),
    /// Index in [`Parsed::days`].
    Day(u32),
    /// Whole lines of the block, to be read and applied one by one by the consumer (a station-day the
    /// block does not close, found by [`days_block`]).
    Lines(Lines),
}

struct Parsed {
    /// The block itself (its days' rows are read from it again when needed).
    bytes: Vec<u8>,
    arena: String,
    items: Vec<Item>,
    days: Vec<Day>,
    /// Line ends in the block (to number the lines of the next one).
    newlines: u64,
    /// A fatal error of this block (header, CSV structure).
    fatal: Option<IngestError>,
}

impl Parsed {
    fn empty() -> Parsed {
        Parsed {
            bytes: Vec::new(),
            arena: String::new(),
            items: Vec::new(),
            days: Vec::new(),
            newlines: 0,
            fatal: None,
        }
    }

    /// The arena span of `station`, reusing the last one when it is the same name.
    fn station(&mut self, station: &str) -> (u32, u32) {
        if let Some((a, b)) = self.last_station()
            && &self.arena[a as usize..b as usize] == station
        {
            return (a, b);
        }
        let start = self.arena.len() as u32;
        self.arena.push_str(station);
        (start, self.arena.len() as u32)
    }

    fn last_station(&self) -> Option<(u32, u32)> {
        match self.items.last()? {
            Item::Row(r) => Some(r.station),
            Item::Day(d) => Some(self.days[*d as usize].station),
            Item::Bad(_) | Item::Lines(_) => None,
        }
    }

    fn push_row(&mut self, h: &HourlyRow<'_>, line: u64) {
        let station = self.station(h.station);
        self.items.push(Item::Row(Row {
            station,
            date: h.date,
            hour: h.hour,
            values: h.values,
            line,
        }));
    }
}

/// A split line of the hourly file, as line `no` of `source`.
fn hourly_rec<'a>(fields: &'a Split<'a>, no: u64, source: &'a str) -> Rec<'a, Split<'a>> {
    Rec {
        rec: fields,
        line: no,
        source,
        header: &HOURLY_HEADER,
    }
}

/// Parses one line of a quote-free block: the strict fast path, else the general one (same result for what
/// both accept).
fn parse_line<'a>(
    line: &'a [u8],
    no: u64,
    source: &str,
    cache: &mut DateCache,
    prev: &'a str,
) -> Result<HourlyRow<'a>, InputError> {
    if let Some(row) = fast_hourly(line, cache, prev) {
        return Ok(row);
    }
    let fields = Split::new(line);
    let r = hourly_rec(&fields, no, source);
    // The row borrows `fields`; its station is the first field, trimmed, which is valid UTF-8 once the row
    // was read: take it again from `line` itself.
    r.hourly_cached(cache).map(|h| {
        let first = &line[..memchr::memchr(b',', line).unwrap_or(line.len())];
        HourlyRow {
            station: std::str::from_utf8(crate::edition::trim(first)).unwrap_or_default(),
            date: h.date,
            hour: h.hour,
            values: h.values,
        }
    })
}

/// Consecutive rows of one station and date with distinct hours, being read on a worker.
struct Run {
    /// Byte span of the station name in the block.
    station: (usize, usize),
    date: Date,
    seen: u32,
    lines: Lines,
    rows: Vec<(u8, [Option<i64>; 6], u64)>,
}

impl Run {
    fn station<'a>(&self, block: &'a [u8]) -> &'a [u8] {
        &block[self.station.0..self.station.1]
    }

    /// Whether `h` continues the run.
    fn takes(&self, block: &[u8], h: &HourlyRow<'_>) -> bool {
        let st = self.station(block);
        // The fast path hands out the same slice for a station repeated: equal without comparing bytes.
        h.date == self.date
            && self.seen & (1 << h.hour) == 0
            && ((st.as_ptr() == h.station.as_ptr() && st.len() == h.station.len()) || st == h.station.as_bytes())
    }

    /// Ends the run: a whole day when `closed` (the next row is the same station's, of a later date) and days
    /// are computed here, its rows otherwise.
    fn end(&mut self, block: &[u8], closed: bool, days: Option<EditionChoice>, hours: &mut DayHours, out: &mut Parsed) {
        let station = std::str::from_utf8(self.station(block)).unwrap_or("");
        match days {
            Some(choice) if closed => {
                hours.clear();
                for (hour, values, _) in &self.rows {
                    hours.set(*hour, values);
                }
                let span = out.station(station);
                let d = out.days.len() as u32;
                out.days.push(Day {
                    station: span,
                    rec: day_record(choice, self.date, hours),
                    rows: self.rows.len() as u32,
                    lines: self.lines,
                });
                out.items.push(Item::Day(d));
            }
            _ => {
                for &(hour, values, line) in &self.rows {
                    let h = HourlyRow {
                        station,
                        date: self.date,
                        hour,
                        values,
                    };
                    out.push_row(&h, line);
                }
            }
        }
        self.rows.clear();
    }
}

/// Parses a block (quote-free, so lines are records): splits lines at `\n` and fields at `,`, with the csv
/// crate's conventions (a `\r` before `\n` ends the record too; empty lines are skipped). A block with
/// another `\r` is parsed by the csv crate instead. With `days`, runs of a station-day that end in the block
/// become whole days (see the module's documentation).
fn parse_block(block: Vec<u8>, first: bool, source: &str, mut out: Parsed, days: Option<EditionChoice>) -> Parsed {
    if let Some(choice) = days
        && !first
        && days_block(&block, choice, &mut out)
    {
        out.bytes = block;
        return out;
    }
    let lone_cr = memchr::memchr_iter(b'\r', &block)
        .filter(|&i| block.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    let newlines = memchr::memchr_iter(b'\n', &block).count() as u64 + lone_cr;
    if lone_cr > 0 {
        let mut out = parse_block_csv(&block, first, source, newlines);
        out.bytes = block;
        return out;
    }
    out.arena.clear();
    out.items.clear();
    out.days.clear();
    out.items.reserve(block.len() / 1024);
    out.newlines = newlines;
    out.fatal = None;
    let mut header_pending = first;
    let mut cache = DateCache::default();
    let mut hours = DayHours::default();
    let mut run: Option<Run> = None;
    let mut rows_buf = Vec::with_capacity(24);
    // The last station name accepted in this block.
    let mut prev: &str = "";
    let mut start = 0usize;
    let ends = memchr::memchr_iter(b'\n', &block).chain(std::iter::once(block.len()));
    for (k, end) in ends.enumerate() {
        let line_start = start.min(end);
        let raw = &block[line_start..end];
        start = end + 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.is_empty() {
            continue;
        }
        let no = k as u64 + 1;
        if header_pending {
            header_pending = false;
            let fields = Split::new(line);
            if let Err(e) = hourly_rec(&fields, no, source).check_header() {
                out.fatal = Some(IngestError::Input(e));
                break;
            }
            continue;
        }
        match parse_line(line, no, source, &mut cache, prev) {
            Ok(h) => {
                prev = h.station;
                if let Some(r) = run.as_mut() {
                    if r.takes(&block, &h) {
                        r.seen |= 1 << h.hour;
                        r.rows.push((h.hour, h.values, no));
                        r.lines.bytes.1 = line_start + line.len();
                        continue;
                    }
                    let closed = h.date > r.date && r.station(&block) == h.station.as_bytes();
                    r.end(&block, closed, days, &mut hours, &mut out);
                    rows_buf = std::mem::take(&mut r.rows);
                }
                let at = h.station.as_ptr() as usize - block.as_ptr() as usize;
                rows_buf.clear();
                rows_buf.push((h.hour, h.values, no));
                run = Some(Run {
                    station: (at, at + h.station.len()),
                    date: h.date,
                    seen: 1 << h.hour,
                    lines: Lines {
                        bytes: (line_start, line_start + line.len()),
                        first: no,
                    },
                    rows: std::mem::take(&mut rows_buf),
                });
            }
            Err(e) => {
                if let Some(mut r) = run.take() {
                    r.end(&block, false, days, &mut hours, &mut out);
                    rows_buf = r.rows;
                }
                out.items.push(Item::Bad(e));
            }
        }
    }
    if let Some(mut r) = run.take() {
        r.end(&block, false, days, &mut hours, &mut out);
    }
    if header_pending && out.fatal.is_none() {
        out.fatal = Some(super::empty_input(source));
    }
    out.bytes = block;
    out
}

/// Strict single-pass parse of a well-formed hourly line: `station,YYYY-MM-DD,H,v,v,v,v,v,v` where each value
/// is empty or digits with at most three decimals, and no spaces. `None` for anything else, which then goes
/// through the general path (same result for what both accept: this is only a faster route).
///
/// `prev` is a station name already accepted (by either path) from the same block: a line starting with it and
/// a comma names the same station, which needs no second check.
fn fast_hourly<'a>(line: &'a [u8], cache: &mut DateCache, prev: &'a str) -> Option<HourlyRow<'a>> {
    let (station, rest) =
        if !prev.is_empty() && line.len() > prev.len() && line[prev.len()] == b',' && line.starts_with(prev.as_bytes())
        {
            (prev, &line[prev.len() + 1..])
        } else {
            let c1 = memchr::memchr(b',', line)?;
            (plain_station(&line[..c1])?, &line[c1 + 1..])
        };
    if rest.len() < 11 || rest[10] != b',' {
        return None;
    }
    let raw = &rest[..10];
    let date = match cache.0 {
        Some((10, bytes, d)) if bytes[..10] == *raw => d,
        _ => {
            let d = Date::parse(raw)?;
            let mut bytes = [0u8; 16];
            bytes[..10].copy_from_slice(raw);
            cache.0 = Some((10, bytes, d));
            d
        }
    };
    let mut i = 11;
    let hour = plain_hour(rest, &mut i)?;
    let mut values = [None; 6];
    for (k, v) in values.iter_mut().enumerate() {
        *v = plain_value(rest, &mut i)?;
        // separator: ',' between values, end of line after the last
        if k < 5 {
            if rest.get(i) != Some(&b',') {
                return None;
            }
            i += 1;
        } else if i != rest.len() {
            return None;
        }
    }
    Some(HourlyRow {
        station,
        date,
        hour,
        values,
    })
}

/// A station name the general path accepts unchanged: not empty, no space to trim at either end, no control
/// character (C0, DEL or, in UTF-8, C1), valid UTF-8. `None` for anything else, which goes the general way
/// (and is refused or trimmed there).
fn plain_station(st: &[u8]) -> Option<&str> {
    if st.is_empty() || st[0] == b' ' || st[st.len() - 1] == b' ' || st.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return None;
    }
    let station = std::str::from_utf8(st).ok()?;
    if !station.is_ascii() && station.chars().any(char::is_control) {
        return None;
    }
    Some(station)
}

/// The hour field at `b[*i..]`, one or two digits up to 23, and the comma after it (`*i` moves past it).
#[inline]
fn plain_hour(b: &[u8], i: &mut usize) -> Option<u8> {
    let h0 = *i;
    let mut hour: u32 = 0;
    while let Some(&c) = b.get(*i)
        && c.is_ascii_digit()
    {
        hour = hour * 10 + u32::from(c - b'0');
        *i += 1;
    }
    if *i == h0 || *i - h0 > 2 || hour > 23 || b.get(*i) != Some(&b',') {
        return None;
    }
    *i += 1;
    Some(hour as u8)
}

/// The number written by the digits at `b[*i..]` (0 for none); `*i` moves past them. The caller bounds their
/// count (wrapping past 18 digits).
#[inline]
fn digits(b: &[u8], i: &mut usize) -> i64 {
    let mut v: i64 = 0;
    while let Some(&c) = b.get(*i)
        && c.is_ascii_digit()
    {
        v = v.wrapping_mul(10).wrapping_add(i64::from(c - b'0'));
        *i += 1;
    }
    v
}

/// A value field at `b[*i..]` in milli-units: empty (`Some(None)`), or up to nine digits with at most three
/// decimals (not a lone `.`); `*i` moves to the byte after it. `None` for anything else (the general path's
/// reading, which gives the same value for what this accepts).
#[inline]
fn plain_value(b: &[u8], i: &mut usize) -> Option<Option<i64>> {
    let start = *i;
    let int = digits(b, i);
    let int_digits = *i - start;
    if int_digits > 9 {
        return None;
    }
    let milli = int * 1000;
    if b.get(*i) == Some(&b'.') {
        *i += 1;
        let f0 = *i;
        let frac = digits(b, i);
        let fd = *i - f0;
        if fd > 3 || (fd == 0 && int_digits == 0) {
            return None;
        }
        Some(Some(milli + frac * [1000, 100, 10, 1][fd]))
    } else {
        Some((int_digits > 0).then_some(milli))
    }
}

/// Whether the `len` bytes at `b[a..]` and at `b[c..]` are the same.
#[inline]
fn same_at(b: &[u8], a: usize, c: usize, len: usize) -> bool {
    if len <= 8
        && let (Some(x), Some(y)) = (b.get(a..a + 8), b.get(c..c + 8))
    {
        let x = u64::from_le_bytes(x.try_into().unwrap_or_default());
        let y = u64::from_le_bytes(y.try_into().unwrap_or_default());
        let mask = if len == 8 { u64::MAX } else { (1u64 << (8 * len)) - 1 };
        return (x ^ y) & mask == 0;
    }
    b.get(a..a + len) == b.get(c..c + len)
}

/// A station-day being read by [`days_block`]: its station's bytes in the block, its date, its rows and
/// their lines (its hours are in `days_block`'s [`DayHours`]).
struct DayRun {
    station: (usize, usize),
    date: Date,
    rows: u32,
    lines: Lines,
}

impl DayRun {
    /// Ends the run: a whole day when `closed` (the next row is the same station's, of a later date), else
    /// its lines, which the consumer reads and applies one by one.
    fn end(self, block: &[u8], closed: bool, choice: EditionChoice, hours: &DayHours, out: &mut Parsed) {
        if closed {
            let station = std::str::from_utf8(&block[self.station.0..self.station.1]).unwrap_or_default();
            let span = out.station(station);
            let d = out.days.len() as u32;
            out.days.push(Day {
                station: span,
                rec: day_record(choice, self.date, hours),
                rows: self.rows,
                lines: self.lines,
            });
            out.items.push(Item::Day(d));
        } else {
            out.items.push(Item::Lines(self.lines));
        }
    }
}

/// The annual path's reading of a block after the first (no header), in one pass over its bytes: every
/// line must be a plain hourly line (`station,YYYY-MM-DD,H,v,v,v,v,v,v` as [`fast_hourly`] accepts it, each
/// ended by LF but the block's last), its values going straight into the open station-day's hours. A run of
/// one station-day that the block closes (the station's next row has a later date) becomes a whole day,
/// any other run its lines (read again by the consumer) — what [`parse_block`] does with these lines.
/// `false` at the first byte that is not so (a CR, a blank line, a quote, a value it does not read, …):
/// the block is then read by [`parse_block`]'s general way.
fn days_block(block: &[u8], choice: EditionChoice, out: &mut Parsed) -> bool {
    out.arena.clear();
    out.items.clear();
    out.days.clear();
    out.fatal = None;
    let n = block.len();
    let mut pos = 0usize;
    let mut no = 0u64;
    let mut newlines = 0u64;
    let mut hours = DayHours::default();
    let mut run: Option<DayRun> = None;
    let mut last_date: Option<([u8; 10], Date)> = None;
    while pos < n {
        no += 1;
        let line_start = pos;
        let same = run.as_ref().is_some_and(|r| {
            let len = r.station.1 - r.station.0;
            block.get(pos + len) == Some(&b',') && same_at(block, pos, r.station.0, len)
        });
        let station = match &run {
            Some(r) if same => r.station,
            _ => {
                let Some(c) = memchr::memchr(b',', &block[pos..]) else {
                    return false;
                };
                if plain_station(&block[pos..pos + c]).is_none() {
                    return false;
                }
                (pos, pos + c)
            }
        };
        pos = station.1 - station.0 + pos + 1;
        let Some(raw) = block.get(pos..pos + 11) else {
            return false;
        };
        if raw[10] != b',' {
            return false;
        }
        let raw: [u8; 10] = raw[..10].try_into().unwrap_or_default();
        let date = match last_date {
            Some((b, d)) if b == raw => d,
            _ => {
                let Some(d) = Date::parse(&raw) else {
                    return false;
                };
                last_date = Some((raw, d));
                d
            }
        };
        pos += 11;
        let Some(hour) = plain_hour(block, &mut pos) else {
            return false;
        };
        let bit = 1u32 << hour;
        match run.as_mut() {
            Some(r) if same && r.date == date && hours.seen & bit == 0 => r.rows += 1,
            _ => {
                if let Some(r) = run.take() {
                    let closed = same && date > r.date;
                    r.end(block, closed, choice, &hours, out);
                }
                hours.clear();
                run = Some(DayRun {
                    station,
                    date,
                    rows: 1,
                    lines: Lines {
                        bytes: (line_start, line_start),
                        first: no,
                    },
                });
            }
        }
        hours.seen |= bit;
        let h = usize::from(hour);
        for k in 0..6 {
            let Some(v) = plain_value(block, &mut pos) else {
                return false;
            };
            if let Some(v) = v {
                hours.vals[k][h] = v;
                hours.present[k] |= bit;
            }
            if k < 5 {
                if block.get(pos) != Some(&b',') {
                    return false;
                }
                pos += 1;
            }
        }
        if let Some(r) = run.as_mut() {
            r.lines.bytes.1 = pos;
        }
        if pos < n {
            if block[pos] != b'\n' {
                return false;
            }
            pos += 1;
            newlines += 1;
        }
    }
    if let Some(r) = run.take() {
        r.end(block, false, choice, &hours, out);
    }
    out.newlines = newlines;
    true
}

fn push_item(out: &mut Parsed, parsed: Result<HourlyRow<'_>, InputError>, line: u64) {
    match parsed {
        Ok(h) => out.push_row(&h, line),
        Err(e) => out.items.push(Item::Bad(e)),
    }
}

fn parse_block_csv(block: &[u8], first: bool, source: &str, newlines: u64) -> Parsed {
    let mut rd = csv_reader(block);
    let mut rec = csv::ByteRecord::new();
    let mut out = Parsed {
        newlines,
        ..Parsed::empty()
    };
    let mut header_pending = first;
    loop {
        match next_record(&mut rd, &mut rec, source, 0) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                out.fatal = Some(e);
                break;
            }
        }
        let r = Rec {
            rec: &rec,
            line: super::record_line(&rd, &rec),
            source,
            header: &HOURLY_HEADER,
        };
        if header_pending {
            header_pending = false;
            if let Err(e) = r.check_header() {
                out.fatal = Some(IngestError::Input(e));
                break;
            }
            continue;
        }
        push_item(&mut out, r.hourly(), r.line);
    }
    if header_pending && out.fatal.is_none() {
        out.fatal = Some(super::empty_input(source));
    }
    out
}

/// Where a block may be cut: just after its last complete line end (a LF, or a CR whose next byte is in the
/// buffer and is not a LF — a CR at the very end may be the first half of a CRLF).
fn last_line_end(buf: &[u8]) -> Option<usize> {
    let lf = memchr::memrchr(b'\n', buf);
    let cr = memchr::memrchr_iter(b'\r', buf).find(|&i| i + 1 < buf.len() && buf[i + 1] != b'\n');
    lf.max(cr)
}

/// Reads `r` until `buf` holds at least `target` bytes or the input ends. Returns whether the input ended.
fn fill<R: Read>(r: &mut R, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    let want = target.saturating_sub(buf.len());
    if want == 0 {
        return Ok(false);
    }
    buf.reserve(want);
    // Straight into the buffer's spare room (no copy through a bounce buffer).
    let n = r.by_ref().take(want as u64).read_to_end(buf)?;
    Ok(n < want)
}

/// Parallel version of [`super::read_hourly`] with `workers` parsing threads and blocks of `block` bytes.
pub(crate) fn read_hourly_parallel<R: Read>(
    mut r: R,
    opts: &ReadOptions,
    workers: usize,
    block: usize,
    sink: &mut impl HourlySink,
) -> Result<IngestSummary, IngestError> {
    let src = opts.source.as_str();
    let days = sink.days();
    let workers = workers.max(1);
    let block = block.max(64);
    let stop = AtomicBool::new(false);
    let (work_tx, work_rx): (SyncSender<Job>, Receiver<Job>) = sync_channel(workers);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<(u64, Parsed)>(workers * 2);
    // Parsed blocks given back by the consumer, reused by the workers: their row vectors (a few MB per block)
    // stay mapped instead of being faulted in afresh for every block.
    let pool: Mutex<Vec<Parsed>> = Mutex::new(Vec::new());
    let pool_ref = &pool;
    // Block buffers given back by the consumer, reused by the reader (no fresh pages per block either).
    let buffers: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let buffers_ref = &buffers;
    let mut sum = IngestSummary::default();
    let sink_inner = &mut *sink;

    let (consumed, tail, read_err) = std::thread::scope(|s| {
        for _ in 0..workers {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            s.spawn(move || {
                loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, bytes)) = job else { return };
                    let spare = pool_ref
                        .lock()
                        .ok()
                        .and_then(|mut p| p.pop())
                        .unwrap_or_else(Parsed::empty);
                    if tx.send((seq, parse_block(bytes, seq == 0, src, spare, days))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        drop(work_rx); // only the workers hold the receiver: if they stop, sending fails instead of blocking
        let stop_ref = &stop;
        let sum_ref = &mut sum;
        // Consumer: applies blocks in order. Returns (lines consumed, first error).
        let consumer = s.spawn(move || -> (u64, Result<(), IngestError>) {
            let mut pending: BTreeMap<u64, Parsed> = BTreeMap::new();
            let mut next = 0u64;
            let mut line_base = 0u64;
            for (seq, parsed) in done_rx {
                pending.insert(seq, parsed);
                while let Some(mut p) = pending.remove(&next) {
                    next += 1;
                    if let Some(e) = p.fatal.take() {
                        stop_ref.store(true, Ordering::Relaxed);
                        return (line_base, Err(shift(e, line_base)));
                    }
                    for item in p.items.drain(..) {
                        let res = match item {
                            Item::Day(d) => {
                                let d = &p.days[d as usize];
                                let station = &p.arena[d.station.0 as usize..d.station.1 as usize];
                                if sink_inner.whole_day(station, d.rec) {
                                    sum_ref.rows += u64::from(d.rows);
                                    Ok(())
                                } else {
                                    let lines = &p.bytes[d.lines.bytes.0..d.lines.bytes.1];
                                    apply_lines(lines, d.lines.first + line_base, opts, sum_ref, sink_inner)
                                }
                            }
                            Item::Row(row) => {
                                let station = &p.arena[row.station.0 as usize..row.station.1 as usize];
                                let h = HourlyRow {
                                    station,
                                    date: row.date,
                                    hour: row.hour,
                                    values: row.values,
                                };
                                apply_hourly(Ok(h), row.line + line_base, src, opts, sum_ref, &mut |r| {
                                    sink_inner.row(r)
                                })
                            }
                            Item::Lines(l) => {
                                let lines = &p.bytes[l.bytes.0..l.bytes.1];
                                apply_lines(lines, l.first + line_base, opts, sum_ref, sink_inner)
                            }
                            Item::Bad(mut e) => {
                                e.line = e.line.map(|line| line + line_base);
                                apply_hourly(Err(e), 0, src, opts, sum_ref, &mut |r| sink_inner.row(r))
                            }
                        };
                        if let Err(e) = res {
                            stop_ref.store(true, Ordering::Relaxed);
                            return (line_base, Err(e));
                        }
                    }
                    line_base += p.newlines;
                    let bytes = std::mem::take(&mut p.bytes);
                    if let Ok(mut spare) = buffers_ref.lock()
                        && spare.len() < workers * 4
                    {
                        spare.push(bytes);
                    }
                    if let Ok(mut spare) = pool_ref.lock()
                        && spare.len() < workers * 4
                    {
                        spare.push(p);
                    }
                }
            }
            (line_base, Ok(()))
        });
        // Reader (this thread): cut blocks at the last newline while no quote was seen.
        let mut seq = 0u64;
        let mut carry: Vec<u8> = Vec::new();
        let mut tail: Option<Vec<u8>> = None;
        let mut read_err = None;
        // Bytes the next fill must reach: one block, or more when the carried bytes hold no line end.
        let mut target = block;
        while !stop.load(Ordering::Relaxed) {
            let mut buf = buffers_ref.lock().ok().and_then(|mut b| b.pop()).unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(&carry);
            carry.clear();
            let ended = match fill(&mut r, &mut buf, target) {
                Ok(e) => e,
                Err(error) => {
                    read_err = Some(IngestError::Io {
                        source_name: src.to_owned(),
                        error,
                    });
                    break;
                }
            };
            if memchr::memchr(b'"', &buf).is_some() {
                tail = Some(buf);
                break;
            }
            if ended {
                if !buf.is_empty() || seq == 0 {
                    let _ = work_tx.send((seq, buf));
                    seq += 1;
                }
                break;
            }
            match last_line_end(&buf) {
                Some(i) => {
                    carry.extend_from_slice(&buf[i + 1..]);
                    buf.truncate(i + 1);
                    target = block;
                    if work_tx.send((seq, buf)).is_err() {
                        break;
                    }
                    seq += 1;
                }
                // no line end in 16 blocks: the sequential reader takes over (and refuses a record over its
                // limit)
                None if buf.len() > 16 * block => {
                    tail = Some(buf);
                    break;
                }
                // a line longer than the block: read a block more
                None => {
                    target = buf.len() + block;
                    carry = buf;
                }
            }
        }
        drop(work_tx);
        let (lines, res) = match consumer.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let tail = tail.map(|t| (t, seq == 0));
        (lines, tail.map(|t| (t, res.is_ok())), read_err.map_or(res, Err))
    });
    read_err?;
    if let Some(((prefix, header_first), true)) = tail {
        // Quotes seen: the rest, from the first unprocessed byte, sequentially.
        let rest = io::Cursor::new(prefix).chain(r);
        super::read_hourly_seq(rest, opts, consumed, header_first, &mut sum, &mut |r| sink.row(r))?;
    }
    Ok(sum)
}

/// Applies the rows of `lines` (whole lines of a quote-free block, the first being line `first`) one by one.
fn apply_lines(
    lines: &[u8],
    first: u64,
    opts: &ReadOptions,
    sum: &mut IngestSummary,
    sink: &mut impl HourlySink,
) -> Result<(), IngestError> {
    let src = opts.source.as_str();
    let mut cache = DateCache::default();
    let mut prev: &str = "";
    for (k, raw) in lines.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.is_empty() {
            continue;
        }
        let no = first + k as u64;
        let parsed = parse_line(line, no, src, &mut cache, prev);
        if let Ok(h) = &parsed {
            prev = h.station;
        }
        apply_hourly(parsed, no, src, opts, sum, &mut |r| sink.row(r))?;
    }
    Ok(())
}

fn shift(e: IngestError, base: u64) -> IngestError {
    match e {
        IngestError::Input(mut i) => {
            i.line = i.line.map(|line| line + base);
            IngestError::Input(i)
        }
        other => other,
    }
}
