//! Streaming CSV ingestion (the IO edge of this crate): water-quality samples, black-odorous surveys and
//! EI inputs, read over any `impl Read` one record at a time (memory flat in file size).
//!
//! Every error names the 1-based line and column (with the header name) and the offending text; the
//! readers never panic on any input. Formats are documented in `crates/ecociv-water/README.md`.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};

use csv::{ByteRecord, ReaderBuilder};
use ecociv_csvline::{LineCounter, excerpt, neutralise_formula};

use crate::black_odorous;
use crate::evaluation2011::{PeriodAccumulator, Thresholds};
use crate::gb3838::{self, ITEM_COUNT, Item, Table, Values, WaterClass, Waterbody};
use crate::hj192::{Restriction, SubIndices};

mod parallel;
pub use parallel::{BLOCK, annual_parallel, classify_parallel, default_workers};

/// An input error, located by line and column: the project's one located error (`ecociv_csvline::Located`,
/// built with `Located::in_stream`; the file is named by the caller, `Located::in_file`).
pub use ecociv_csvline::Located as IngestError;

/// The line a person sees for the csv crate's position `byte` (its own line is wrong after blank lines).
fn line_of<R: Read>(rdr: &csv::Reader<LineCounter<R>>, position: Option<&csv::Position>) -> u64 {
    position.map_or(0, |p| rdr.get_ref().line_at(p.byte()))
}

fn csv_error<R: Read>(e: &csv::Error, rdr: &csv::Reader<LineCounter<R>>) -> IngestError {
    let line = line_of(rdr, e.position());
    IngestError::in_stream(line, None, format!("CSV 格式错误 / malformed CSV: {e}"))
}

/// `Ok(true)` for a blank record (every field empty: skipped); an error when the record's field count differs
/// from the header's (a truncated line, or an unquoted comma inside a field).
fn blank_or_checked(rec: &ByteRecord, header_len: usize, line: u64) -> Result<bool, IngestError> {
    if rec.iter().all(|f| f.trim_ascii().is_empty()) {
        return Ok(true);
    }
    if rec.len() != header_len {
        return Err(IngestError::in_stream(
            line,
            None,
            format!(
                "本行有 {} 个字段，表头有 {} 个 / the line has {} fields, the header {}",
                rec.len(),
                header_len,
                rec.len(),
                header_len
            ),
        ));
    }
    Ok(false)
}

/// Column positions resolved from a header line.
struct Header {
    names: Vec<String>,
}

impl Header {
    fn read<R: Read>(rdr: &mut csv::Reader<LineCounter<R>>) -> Result<Self, IngestError> {
        let h = rdr.byte_headers().cloned();
        let h = h.map_err(|e| csv_error(&e, rdr))?;
        let names = ecociv_csvline::header_names(&h);
        if names.iter().all(String::is_empty) {
            return Err(IngestError::in_stream(1, None, "缺少表头 / missing header line"));
        }
        Ok(Self { names })
    }

    fn require(&self, name: &str) -> Result<usize, IngestError> {
        self.names.iter().position(|n| n == name).ok_or_else(|| {
            IngestError::in_stream(
                1,
                None,
                format!(
                    "表头缺少列 “{name}” / header lacks column \"{name}\" (header: {})",
                    self.names.join(",")
                ),
            )
        })
    }

    fn optional(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// The fields of one record: the csv crate's `ByteRecord`, or the fields of a plain line split at commas by
/// the parallel reader's fast path (`[&[u8]]`) — read by the same [`Fields`] code either way.
pub(crate) trait Record {
    fn field(&self, col: usize) -> Option<&[u8]>;
}

impl Record for ByteRecord {
    #[inline]
    fn field(&self, col: usize) -> Option<&[u8]> {
        self.get(col)
    }
}

impl Record for [&[u8]] {
    #[inline]
    fn field(&self, col: usize) -> Option<&[u8]> {
        self.get(col).copied()
    }
}

/// Access to the fields of one record with located errors.
pub(crate) struct Fields<'a, T: Record + ?Sized = ByteRecord> {
    rec: &'a T,
    line: u64,
    names: &'a [String],
}

impl<'a, T: Record + ?Sized> Fields<'a, T> {
    fn err(&self, col: usize, message: String) -> IngestError {
        let name = self.names.get(col).cloned().unwrap_or_default();
        IngestError::in_stream(self.line, Some((col + 1, name)), message)
    }

    fn raw(&self, col: usize) -> &'a [u8] {
        self.rec.field(col).unwrap_or(b"").trim_ascii()
    }

    fn text(&self, col: usize) -> Result<&'a str, IngestError> {
        std::str::from_utf8(self.raw(col)).map_err(|_| self.err(col, "不是 UTF-8 文本 / not UTF-8 text".into()))
    }

    fn required_text(&self, col: usize) -> Result<&'a str, IngestError> {
        let t = self.text(col)?;
        if t.is_empty() {
            return Err(self.err(col, "不能为空 / must not be empty".into()));
        }
        if let Some(problem) = ecociv_csvline::name_problem(t) {
            return Err(self.err(col, format!("{problem}: \"{}\"", excerpt(t))));
        }
        Ok(t)
    }

    /// A number; `xL` (below detection limit x) is `x × below_detection` when that is given.
    #[inline]
    fn number(&self, col: usize, below_detection: Option<f64>) -> Result<Option<f64>, IngestError> {
        let raw = self.raw(col);
        if raw.is_empty() {
            return Ok(None);
        }
        if let Some(v) = fast_decimal(raw)
            && v.abs() <= ecociv_csvline::MAX_READING
        {
            return Ok(Some(v));
        }
        let t = self.text(col)?;
        let (num, factor) = match (below_detection, raw.last()) {
            (Some(f), Some(b'L' | b'l')) => (t[..t.len() - 1].trim(), f),
            _ => (t, 1.0),
        };
        let v: f64 = num.parse().map_err(|_| {
            let t = excerpt(t);
            self.err(col, format!("无法解析数值 “{t}” / cannot parse number \"{t}\""))
        })?;
        if !v.is_finite() {
            return Err(self.err(col, format!("数值必须有限 / number must be finite: \"{}\"", excerpt(t))));
        }
        if v.abs() > ecociv_csvline::MAX_READING {
            return Err(self.err(col, ecociv_csvline::text::reading_too_large(t)));
        }
        Ok(Some(v * factor))
    }

    fn concentration(&self, col: usize, below_detection: Option<f64>) -> Result<Option<f64>, IngestError> {
        let v = self.number(col, below_detection)?;
        if let Some(x) = v
            && x < 0.0
        {
            return Err(self.err(col, format!("浓度不能为负 / concentration must not be negative: {x}")));
        }
        Ok(v)
    }

    /// A date `YYYY-MM-DD` (or with `/`; a time after a space or `T` is ignored); returns the year.
    fn date_year(&self, col: usize) -> Result<i32, IngestError> {
        self.year_of_date(col, self.required_text(col)?)
    }

    /// The year of `t`, the checked text of date column `col` (see [`Self::date_year`]).
    fn year_of_date(&self, col: usize, t: &str) -> Result<i32, IngestError> {
        parse_date_year(t).ok_or_else(|| {
            self.err(
                col,
                format!("日期应为 YYYY-MM-DD / date must be YYYY-MM-DD, got \"{}\"", excerpt(t)),
            )
        })
    }

    fn year(&self, col: usize) -> Result<i32, IngestError> {
        let t = self.required_text(col)?;
        t.parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| {
                self.err(
                    col,
                    format!(
                        "年份应为 4 位数字 / year must be a 4-digit number, got \"{}\"",
                        excerpt(t)
                    ),
                )
            })
    }
}

/// `raw` as text when it is not empty and every byte is printable ASCII (no control character, valid UTF-8):
/// exactly the texts [`Fields::required_text`] accepts without looking further (it trims ASCII space first,
/// and the raw field is trimmed already).
#[inline]
fn printable(raw: &[u8]) -> Option<&str> {
    if raw.is_empty() || !raw.iter().all(|b| (0x20..0x7f).contains(b)) {
        return None;
    }
    std::str::from_utf8(raw).ok()
}

/// A text field as [`Fields::required_text`] takes it as it is: not empty, no ASCII white space at either end
/// (which it would trim), no control character.
#[inline]
fn plain_text(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let untrimmed = b.first().is_some_and(u8::is_ascii_whitespace) || b.last().is_some_and(u8::is_ascii_whitespace);
    (!b.is_empty() && !untrimmed && ecociv_csvline::name_problem(t).is_none()).then_some(t)
}

/// The value of a field of `len` bytes that are digits and at most one point (`mantissa` the digits read as
/// one number, `decimals` how many follow the point): [`fast_decimal`]'s value of that field, when the
/// sample reading takes it as it is (at most [`ecociv_csvline::MAX_READING`]). `None` when there is no
/// digit, the field is longer than 19 bytes (its digits might not fit the unchecked `u64`), the mantissa
/// is past 2⁵³, or the value is too large — fields the general reading then decides.
#[inline]
fn plain_value(mantissa: u64, len: usize, decimals: Option<usize>) -> Option<f64> {
    let digits = len - usize::from(decimals.is_some());
    if digits == 0 || len > 19 || mantissa > (1u64 << 53) {
        return None;
    }
    let v = mantissa as f64 / *POW10.get(decimals.unwrap_or(0))?;
    (v <= ecociv_csvline::MAX_READING).then_some(v)
}

/// The digits and at most one point of `b` from `start`, up to the first other byte: (the digits read as one
/// number, where the point is, where they end). Up to 19 digits the number is exact; past that it wraps
/// (the callers check the length).
#[inline]
fn leading_decimal(b: &[u8], start: usize) -> (u64, Option<usize>, usize) {
    let mut mantissa: u64 = 0;
    let mut point = None;
    let mut i = start;
    while let Some(&c) = b.get(i) {
        let v = c.wrapping_sub(b'0');
        if v < 10 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(v));
        } else if c == b'.' && point.is_none() {
            point = Some(i);
        } else {
            break;
        }
        i += 1;
    }
    (mantissa, point, i)
}

/// Exact powers of ten representable in an `f64` (10⁰ … 10²²).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Fast path for plain decimals (`[+-]digits[.digits]`): with a mantissa m ≤ 2⁵³ and d ≤ 22 decimals, m / 10^d
/// is one correctly rounded IEEE division of two exact numbers, so the result equals `str::parse::<f64>`
/// (Clinger's fast path). `None` for anything else (exponents, long mantissas, `L` suffix, text), which then
/// takes the general path.
#[inline]
pub fn fast_decimal(b: &[u8]) -> Option<f64> {
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    // One pass: digits, a point and digits. Up to 19 digits cannot overflow a u64, so they are read without
    // checks.
    let (mantissa, point, i) = leading_decimal(digits, 0);
    if i != digits.len() {
        return None;
    }
    let d = point.map_or(0, |p| i - p - 1);
    let n = i - usize::from(point.is_some());
    if n == 0 {
        return None;
    }
    // More than 19 digits (leading zeros, or too long): read again with checks, `None` past a u64.
    let mantissa = if n <= 19 {
        mantissa
    } else {
        digits
            .iter()
            .filter(|c| c.is_ascii_digit())
            .try_fold(0u64, |m, &c| m.checked_mul(10)?.checked_add(u64::from(c - b'0')))?
    };
    if mantissa > (1u64 << 53) || d >= POW10.len() {
        return None;
    }
    let v = mantissa as f64 / POW10[d];
    Some(if neg { -v } else { v })
}

/// The year of a `YYYY-MM-DD` or `YYYY/MM/DD` date (optionally followed by a time), with month and day checked.
pub fn parse_date_year(t: &str) -> Option<i32> {
    let b = t.as_bytes();
    // Fast path for the common `YYYY-MM-DD`.
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return iso_date_year(b);
    }
    let date = t.split([' ', 'T']).next()?;
    let mut parts = date.split(['-', '/']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    (is_date(y, m, d) && (1900..=2200).contains(&y)).then_some(y)
}

/// [`parse_date_year`] of ten bytes written `YYYY-MM-DD` (the caller has seen the hyphens).
#[inline]
fn iso_date_year(b: &[u8]) -> Option<i32> {
    let num = |r: std::ops::Range<usize>| {
        b.get(r)?.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let y = i32::try_from(y).ok()?;
    // Days 1–28 of months 1–12 exist in every year: the calendar is asked only about the others.
    let day = (1..=12).contains(&m) && (1..=28).contains(&d) || is_date(y, m, d);
    (day && (1900..=2200).contains(&y)).then_some(y)
}

/// One spelling of a sample time, so that a sample cannot be given (or stored) twice under two spellings and
/// times sort by date: a date `YYYY-MM-DD` or `YYYY/M/D` (`-` or `/`, one- or two-digit month and day) as
/// `YYYY-MM-DD`, then, when a time follows after a space or `T`, `T` and the time with each one-digit part
/// (`9:00`) written with two digits. Text of any other form is kept as it is (a year, for EI). The one rule
/// for the water readers' given-twice check and for every monitoring kind's stored times.
pub fn canonical_time(text: &str) -> String {
    let (date, time) = match text.find([' ', 'T']) {
        Some(i) => (&text[..i], text[i + 1..].trim()),
        None => (text, ""),
    };
    let parts: Vec<&str> = date.split(['-', '/']).collect();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3
        || parts[0].len() != 4
        || !parts.iter().all(|p| digits(p))
        || parts[1].len() > 2
        || parts[2].len() > 2
    {
        return text.to_owned();
    }
    let date = format!("{}-{:0>2}-{:0>2}", parts[0], parts[1], parts[2]);
    if time.is_empty() {
        return date;
    }
    let time: Vec<String> = time
        .split(':')
        .map(|p| {
            if p.len() == 1 && p.bytes().all(|b| b.is_ascii_digit()) {
                format!("0{p}")
            } else {
                p.to_owned()
            }
        })
        .collect();
    format!("{date}T{}", time.join(":"))
}

/// The sample times of one section (or station) seen so far, each with the line where it was first seen, for
/// finding a sample given twice: two spellings of one time are one sample ([`canonical_time`]). Its memory
/// does not grow with the samples: a date without a time — nearly every sample — is kept in its year's
/// [`Days`] (at most a table of the year's days); a date with a time as its [`canonical_time`] text, one entry
/// per such sample (files of several samples a day).
#[derive(Debug, Default)]
pub struct SampleTimes {
    years: HashMap<i32, Days>,
    timed: HashMap<String, u64>,
}

impl SampleTimes {
    /// Records the sample time `t` at `line` (lines given in increasing order, as a file is read); the line
    /// where the same time was seen first, if it was. A date without a time whose spelling
    /// [`canonical_time`] does not know is kept as its text, like a date with a time.
    pub fn insert(&mut self, t: &str, line: u64) -> Option<u64> {
        match day_slot(t) {
            Some((year, slot)) => self.years.entry(year).or_default().insert(slot, line),
            None => match self.timed.entry(canonical_time(t)) {
                std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(line);
                    None
                }
            },
        }
    }
}

/// The year and (month, day) slot of a date without a time that [`canonical_time`] writes `YYYY-MM-DD`
/// (the same parts it reads, a month 1–12 and a day 1–31): two such texts have the same slot exactly when
/// they have the same [`canonical_time`]. `None` for any other text.
fn day_slot(t: &str) -> Option<(i32, u16)> {
    let (date, time) = match t.find([' ', 'T']) {
        Some(at) => (&t[..at], t[at + 1..].trim()),
        None => (t, ""),
    };
    if !time.is_empty() {
        return None;
    }
    let mut parts = date.split(['-', '/']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, max: usize| {
        (!p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u16>().ok())
            .flatten()
    };
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    let (y, m, d) = (digits(y, 4)?, digits(m, 2)?, digits(d, 2)?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| (i32::from(y), (m - 1) * 31 + (d - 1)))
}

/// (Month, day) slots of a year: 12 × 31.
const DAY_SLOTS: usize = 12 * 31;

/// Days kept as a short list before the year's table is made.
const FEW_DAYS: usize = 32;

/// The days of one year a section was sampled on, each with the line where it was first seen: a short list
/// while the year has few days, then a table of its (month, day) slots, each line kept as its distance from
/// the first line of the table plus one (0: not seen) — a line further than that fits keeps its own entry.
/// At most ~1.5 KB a year, however many samples.
#[derive(Debug)]
enum Days {
    Few(Vec<(u16, u64)>),
    Table {
        base: u64,
        lines: Box<[u32; DAY_SLOTS]>,
        far: Vec<(u16, u64)>,
    },
}

impl Default for Days {
    fn default() -> Self {
        Days::Few(Vec::new())
    }
}

impl Days {
    /// Records `slot` at `line`; the line where it was seen first, if it was.
    fn insert(&mut self, slot: u16, line: u64) -> Option<u64> {
        if let Some(first) = self.get(slot) {
            return Some(first);
        }
        match self {
            Days::Few(days) if days.len() < FEW_DAYS => days.push((slot, line)),
            Days::Few(days) => {
                let base = days.iter().map(|&(_, l)| l).min().unwrap_or(line).min(line);
                let mut table = Days::Table {
                    base,
                    lines: Box::new([0; DAY_SLOTS]),
                    far: Vec::new(),
                };
                for &(s, l) in days.iter() {
                    table.set(s, l);
                }
                table.set(slot, line);
                *self = table;
            }
            Days::Table { .. } => self.set(slot, line),
        }
        None
    }

    fn get(&self, slot: u16) -> Option<u64> {
        match self {
            Days::Few(days) => days.iter().find(|(s, _)| *s == slot).map(|&(_, l)| l),
            Days::Table { base, lines, far } => match lines.get(usize::from(slot)).copied().unwrap_or(0) {
                0 => far.iter().find(|(s, _)| *s == slot).map(|&(_, l)| l),
                at => Some(base + u64::from(at) - 1),
            },
        }
    }

    /// Sets a slot not yet seen (a table only).
    fn set(&mut self, slot: u16, line: u64) {
        if let Days::Table { base, lines, far } = self {
            let near = line
                .checked_sub(*base)
                .and_then(|d| u32::try_from(d + 1).ok())
                .zip(lines.get_mut(usize::from(slot)));
            match near {
                Some((at, cell)) => *cell = at,
                None => far.push((slot, line)),
            }
        }
    }
}

/// Whether the year, month and day name a day of the Gregorian calendar (`jiff`'s, the workspace's one
/// calendar).
fn is_date(y: i32, m: u32, d: u32) -> bool {
    match (i16::try_from(y), i8::try_from(m), i8::try_from(d)) {
        (Ok(y), Ok(m), Ok(d)) => jiff::civil::Date::new(y, m, d).is_ok(),
        _ => false,
    }
}

/// The one record loop of the table readers (survey, bodies, EI, EI from land use): reads the header, resolves
/// the reader's columns with `columns`, then hands each non-blank record, with its line, to `row`. Errors name
/// the line and column; the first one ends the read.
fn read_table<R: Read, C, T>(
    input: R,
    columns: impl FnOnce(&Header) -> Result<C, IngestError>,
    mut row: impl FnMut(&C, &Fields<'_>) -> Result<T, IngestError>,
) -> Result<Vec<T>, IngestError> {
    let mut rdr = ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(LineCounter::new(input));
    let h = Header::read(&mut rdr)?;
    let c = columns(&h)?;
    let mut rec = ByteRecord::new();
    let mut out = Vec::new();
    while rdr.read_byte_record(&mut rec).map_err(|e| csv_error(&e, &rdr))? {
        let line = line_of(&rdr, rec.position());
        if blank_or_checked(&rec, h.names.len(), line)? {
            continue;
        }
        let f = Fields {
            rec: &rec,
            line,
            names: &h.names,
        };
        out.push(row(&c, &f)?);
    }
    Ok(out)
}

/// One water-quality sample borrowed from the reader's buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleRef<'a> {
    /// 1-based input line.
    pub line: u64,
    /// Section (断面) or source id.
    pub section: &'a str,
    /// Date as written.
    pub date: &'a str,
    /// Year of the date.
    pub year: i32,
    /// River or lake.
    pub waterbody: Waterbody,
    /// Item values (mg/L; fecal coliform per L).
    pub values: Values,
}

impl SampleRef<'_> {
    /// A sample with nothing in it, for a reader to fill in place ([`SampleColumns::plain_sample_into`]).
    pub(crate) fn blank() -> Self {
        SampleRef {
            line: 0,
            section: "",
            date: "",
            year: 0,
            waterbody: Waterbody::River,
            values: [None; ITEM_COUNT],
        }
    }
}

/// Where a sample's fields are, resolved from the header: the one interpretation of a sample record, for the
/// csv reader ([`SampleReader`]) and the parallel reader's fast path alike.
#[derive(Debug, Clone)]
pub(crate) struct SampleColumns {
    pub(crate) names: Vec<String>,
    section: usize,
    pub(crate) date: usize,
    pub(crate) waterbody: usize,
    items: [usize; ITEM_COUNT],
    below_detection: f64,
    /// What each column holds, in column order (for [`Self::plain_sample`]).
    roles: Vec<Role>,
}

/// What a column of a sample file holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Section,
    Date,
    Waterbody,
    /// The item of this [`Item::index`].
    Item(usize),
    /// A column the reading ignores.
    Other,
}

impl SampleColumns {
    fn new(h: Header, thresholds: &Thresholds) -> Result<Self, IngestError> {
        let mut items = [0; ITEM_COUNT];
        for item in Item::ALL {
            items[item.index()] = h.require(item.code())?;
        }
        let (section, date, waterbody) = (h.require("section")?, h.require("date")?, h.require("waterbody")?);
        let mut roles = vec![Role::Other; h.names.len()];
        roles[section] = Role::Section;
        roles[date] = Role::Date;
        roles[waterbody] = Role::Waterbody;
        for item in Item::ALL {
            roles[items[item.index()]] = Role::Item(item.index());
        }
        Ok(Self {
            section,
            date,
            waterbody,
            items,
            names: h.names,
            below_detection: thresholds.below_detection_fraction,
            roles,
        })
    }

    /// The sample of the plain line (no quote) that starts `text`, UTF-8 text, and where the line ends (its
    /// LF or CRLF, or the text's end), read in one pass over its bytes — the fields found
    /// and the values converted as they are walked —, for the lines whose reading is certain: `Some` only when
    /// the line has exactly the header's fields, the section and the date are text with no white space at
    /// either end and no control character (the date a day of the calendar), the water body is written `river` or `lake`,
    /// and every item is empty or digits with at most one point giving a value [`fast_decimal`] reads
    /// exactly and [`Self::sample`] takes as it is (at most 10⁹; pH at most 14). Each of these is the first
    /// test [`Self::sample`] makes of that field, so the sample is the one it gives for the line's fields.
    /// `None` for every other line — a blank line, another field count, a sign, an exponent, `L`, a space,
    /// a refusal —, which the caller then reads with [`Self::sample`] (the same sample, or the located
    /// error).
    #[cfg(test)]
    pub(crate) fn plain_sample<'a>(&self, text: &'a str, line_no: u64) -> Option<(SampleRef<'a>, usize)> {
        let mut sample = SampleRef::blank();
        let len = self.plain_sample_into(text, line_no, &mut sample)?;
        Some((sample, len))
    }

    /// [`Self::plain_sample`] into `sample` (every field of it set anew), returning the line's length: the
    /// reader's form, with no sample moved per line.
    #[inline]
    pub(crate) fn plain_sample_into<'a>(
        &self,
        text: &'a str,
        line_no: u64,
        sample: &mut SampleRef<'a>,
    ) -> Option<usize> {
        let line = text.as_bytes();
        let n = line.len();
        let last = self.roles.len().checked_sub(1)?;
        sample.line = line_no;
        sample.values = [None; ITEM_COUNT];
        let mut pos = 0usize;
        for (c, &role) in self.roles.iter().enumerate() {
            let start = pos;
            if let Role::Item(i) = role {
                let (mantissa, point, end) = leading_decimal(line, pos);
                pos = end;
                if end > start {
                    sample.values[i] = Some(plain_value(mantissa, end - start, point.map(|p| end - p - 1))?);
                }
            } else if role == Role::Date
                && line.get(pos + 4) == Some(&b'-')
                && line.get(pos + 7) == Some(&b'-')
                && line.get(pos + 10).is_none_or(|b| matches!(b, b',' | b'\n' | b'\r'))
            {
                // `YYYY-MM-DD`, nearly every date: if the calendar takes its ten bytes, they are digits and
                // hyphens — the whole field, needing no text check. (Anything else there — a comma among
                // them — fails the calendar, and the line goes to the general reading.)
                pos += 10;
                sample.date = text.get(start..pos)?;
                sample.year = iso_date_year(&line[start..pos])?;
            } else if role == Role::Waterbody && line[pos..].starts_with(b"river") {
                // The field's end is checked below, as for every field.
                pos += 5;
                sample.waterbody = Waterbody::River;
            } else if role == Role::Waterbody && line[pos..].starts_with(b"lake") {
                pos += 4;
                sample.waterbody = Waterbody::Lake;
            } else {
                while let Some(&b) = line.get(pos) {
                    if matches!(b, b',' | b'\n' | b'\r') {
                        break;
                    }
                    pos += 1;
                }
                let field = text.get(start..pos)?;
                match role {
                    Role::Section => sample.section = plain_text(field)?,
                    Role::Date => {
                        // `YYYY-MM-DD`, nearly every date: if the calendar takes it, it is digits and hyphens,
                        // so it needs no text check.
                        let b = field.as_bytes();
                        let iso = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
                        sample.date = if iso { field } else { plain_text(field)? };
                        sample.year = parse_date_year(sample.date)?;
                    }
                    Role::Waterbody => {
                        sample.waterbody = match field.as_bytes() {
                            b"river" => Waterbody::River,
                            b"lake" => Waterbody::Lake,
                            _ => return None,
                        }
                    }
                    Role::Item(_) | Role::Other => {}
                }
            }
            // Each field but the last ends at a comma, the last at the line's end: LF, CRLF or the text's end.
            if c == last {
                let crlf = line.get(pos..pos + 2) == Some(b"\r\n");
                if pos != n && line[pos] != b'\n' && !crlf {
                    return None;
                }
            } else {
                if line.get(pos) != Some(&b',') {
                    return None;
                }
                pos += 1;
            }
        }
        if sample.values[Item::Ph.index()].is_some_and(|ph| ph > 14.0) {
            return None;
        }
        Some(pos)
    }

    /// The sample of a non-blank record whose field count is the header's.
    #[inline]
    pub(crate) fn sample<'a, T: Record + ?Sized>(
        &'a self,
        rec: &'a T,
        line: u64,
    ) -> Result<SampleRef<'a>, IngestError> {
        let f = Fields {
            rec,
            line,
            names: &self.names,
        };
        // Printable ASCII (nearly every section and date) is checked in one pass; anything else through
        // `required_text`, which gives the same text or the located error.
        let section = match printable(f.raw(self.section)) {
            Some(t) => t,
            None => f.required_text(self.section)?,
        };
        let date = match printable(f.raw(self.date)) {
            Some(t) => t,
            None => f.required_text(self.date)?,
        };
        let year = f.year_of_date(self.date, date)?;
        let waterbody = match f.raw(self.waterbody) {
            b"river" => Waterbody::River,
            b"lake" => Waterbody::Lake,
            _ => {
                let wb_text = f.text(self.waterbody)?;
                Waterbody::parse(wb_text).ok_or_else(|| {
                    f.err(
                        self.waterbody,
                        format!(
                            "应为 river 或 lake / must be river or lake, got \"{}\"",
                            excerpt(wb_text)
                        ),
                    )
                })?
            }
        };
        let mut sample = SampleRef {
            line,
            section,
            date,
            year,
            waterbody,
            values: [None; ITEM_COUNT],
        };
        let values = &mut sample.values;
        for item in Item::ALL {
            let col = self.items[item.index()];
            // The common case inline — empty, or a plain decimal in range and not negative — with exactly
            // `concentration`'s result; anything else (and every error) through `concentration`.
            let raw = f.raw(col);
            let v = if raw.is_empty() {
                None
            } else if let Some(x) = fast_decimal(raw).filter(|x| *x >= 0.0 && *x <= ecociv_csvline::MAX_READING) {
                Some(x)
            } else {
                f.concentration(col, Some(self.below_detection))?
            };
            if item == Item::Ph
                && let Some(ph) = v
                && ph > 14.0
            {
                return Err(f.err(col, format!("pH 应在 0–14 / pH must be within 0–14, got {ph}")));
            }
            values[item.index()] = v;
        }
        Ok(sample)
    }
}

/// Streaming reader of water-quality samples. Input header (extra columns ignored, order free):
/// `section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc`.
pub struct SampleReader<R: Read> {
    rdr: csv::Reader<LineCounter<R>>,
    rec: ByteRecord,
    cols: SampleColumns,
}

impl<R: Read> SampleReader<R> {
    /// Reads the header; the `xL` fraction comes from the 2011 method thresholds.
    pub fn new(input: R, thresholds: &Thresholds) -> Result<Self, IngestError> {
        let mut rdr = ReaderBuilder::new()
            .buffer_capacity(1 << 16)
            .has_headers(true)
            .flexible(true)
            .from_reader(LineCounter::new(input));
        let h = Header::read(&mut rdr)?;
        Ok(Self {
            cols: SampleColumns::new(h, thresholds)?,
            rdr,
            rec: ByteRecord::new(),
        })
    }

    /// The columns resolved from the header.
    pub(crate) fn columns(&self) -> &SampleColumns {
        &self.cols
    }

    /// The next sample, `Ok(None)` at the end of input.
    pub fn next_sample(&mut self) -> Result<Option<SampleRef<'_>>, IngestError> {
        let line = loop {
            if !self
                .rdr
                .read_byte_record(&mut self.rec)
                .map_err(|e| csv_error(&e, &self.rdr))?
            {
                return Ok(None);
            }
            // Skip lines that are entirely empty (e.g. trailing ",,,," rows from spreadsheets).
            let line = line_of(&self.rdr, self.rec.position());
            if blank_or_checked(&self.rec, self.cols.names.len(), line)? {
                continue;
            }
            break line;
        };
        self.cols.sample(&self.rec, line).map(Some)
    }
}

/// Either side of a streaming command failing.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Bad input.
    #[error("{0}")]
    Input(#[from] IngestError),
    /// Writing the output failed.
    #[error("写出失败 / write failed: {0}")]
    Output(#[from] std::io::Error),
}

impl From<csv::Error> for StreamError {
    fn from(e: csv::Error) -> Self {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => StreamError::Output(io),
            other => StreamError::Output(std::io::Error::other(format!("{other:?}"))),
        }
    }
}

/// `ecociv water classify`: classifies each sample, writing `section,date,class,status,class_items`.
/// A sample with no section item measured gets an empty class and status `未评价`.
/// Streams: memory does not grow with the input. Returns the number of samples.
pub fn classify_stream<R: Read, W: Write>(
    input: R,
    output: W,
    table: &Table,
    thresholds: &Thresholds,
) -> Result<u64, StreamError> {
    let mut reader = SampleReader::new(input, thresholds)?;
    let mut out = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(output);
    out.write_record(CLASSIFY_HEADER)?;
    let n = write_classified(&mut reader, &mut out, table)?;
    out.flush()?;
    Ok(n)
}

/// The header of `ecociv water classify`'s output.
pub(crate) const CLASSIFY_HEADER: [&str; 5] = ["section", "date", "class", "status", "class_items"];

/// The output row of one sample: `section,date,class,status,class_items` — the one place the row's content is
/// decided, for the sequential and the parallel classifier alike (the csv writer, or the fast path's plain
/// writer for fields known to need no quotes, encodes it).
pub(crate) struct ClassifiedRow<'a> {
    /// The section as a spreadsheet may show it ([`neutralise_formula`]).
    pub(crate) section: std::borrow::Cow<'a, str>,
    pub(crate) date: &'a str,
    /// The sample's class; `None` when no section item was measured.
    pub(crate) class: Option<WaterClass>,
    /// The class items (定类项目) as a bit set over [`Item::index`].
    pub(crate) items: u32,
}

/// The row of sample `s` (see [`ClassifiedRow`]).
#[inline]
pub(crate) fn classified_row<'a>(table: &Table, s: &SampleRef<'a>) -> ClassifiedRow<'a> {
    let (class, items) = table.section_class(s.waterbody, &s.values);
    ClassifiedRow {
        section: neutralise_formula(s.section),
        date: s.date,
        class,
        items,
    }
}

/// The `class` and `status` fields of a row: the class's label and status, or empty and `未评价` when no
/// section item was measured.
pub(crate) fn class_fields(class: Option<WaterClass>) -> (&'static str, &'static str) {
    match class {
        Some(c) => (c.label(), c.status()),
        None => ("", "未评价"),
    }
}

/// The items of a class-item bit set, lowest bit first (Table 1 order): the `class_items` field's codes, joined
/// by `;`.
pub(crate) fn class_item_list(mut mask: u32) -> impl Iterator<Item = Item> {
    std::iter::from_fn(move || {
        let item = Item::ALL.get(mask.trailing_zeros() as usize)?;
        mask &= mask - 1;
        Some(*item)
    })
}

/// Classifies every sample `reader` gives and writes its output row.
pub(crate) fn write_classified<R: Read, W: Write>(
    reader: &mut SampleReader<R>,
    out: &mut csv::Writer<W>,
    table: &Table,
) -> Result<u64, StreamError> {
    let mut n = 0u64;
    let mut items = Vec::new();
    while let Some(s) = reader.next_sample()? {
        let row = classified_row(table, &s);
        let (class, status) = class_fields(row.class);
        items.clear();
        for item in class_item_list(row.items) {
            if !items.is_empty() {
                items.push(b';');
            }
            items.extend_from_slice(item.code().as_bytes());
        }
        out.write_record([
            row.section.as_bytes(),
            row.date.as_bytes(),
            class.as_bytes(),
            status.as_bytes(),
            &items,
        ])?;
        n += 1;
    }
    Ok(n)
}

/// One section-year of `ecociv water annual`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualRow {
    /// Section id.
    pub section: String,
    /// Year.
    pub year: i32,
    /// Water-body kind.
    pub waterbody: Waterbody,
    /// The samples' accumulator (annual means).
    pub period: PeriodAccumulator,
    /// Class of the annual means; `None` when no section item was measured.
    pub class: Option<WaterClass>,
    /// Main pollutants (up to three items worse than III).
    pub main_pollutants: Vec<gb3838::MainPollutant>,
}

/// Reads all samples and evaluates each section and year by the 2011 method (annual arithmetic means).
/// Memory grows with the number of section-years (and the samples given with a time of day), not with the
/// samples or the file's bytes.
pub fn annual<R: Read>(input: R, table: &Table, thresholds: &Thresholds) -> Result<Vec<AnnualRow>, IngestError> {
    let mut reader = SampleReader::new(input, thresholds)?;
    let mut acc = AnnualAcc::new(reader.columns());
    while let Some(s) = reader.next_sample()? {
        acc.add(&s)?;
    }
    Ok(acc.finish(table))
}

/// The state of `ecociv water annual`, fed one sample at a time in input order (by [`annual`] and by the
/// parallel reader alike): the one place the annual rules and their errors live.
pub(crate) struct AnnualAcc {
    /// Section → (kind, first line, year → accumulator, sample dates seen); the key is allocated once per
    /// section, not per sample. The dates seen make a sample given twice an error instead of a double weight.
    sections: BTreeMap<String, SectionAcc>,
    wb_col: usize,
    date_col: usize,
}

type SectionAcc = (Waterbody, u64, BTreeMap<i32, PeriodAccumulator>, SampleTimes);

impl AnnualAcc {
    pub(crate) fn new(cols: &SampleColumns) -> Self {
        Self {
            sections: BTreeMap::new(),
            wb_col: cols.waterbody,
            date_col: cols.date,
        }
    }

    pub(crate) fn add(&mut self, s: &SampleRef<'_>) -> Result<(), IngestError> {
        let entry = match self.sections.get_mut(s.section) {
            Some(e) => e,
            None => self
                .sections
                .entry(s.section.to_string())
                .or_insert_with(|| (s.waterbody, s.line, BTreeMap::new(), SampleTimes::default())),
        };
        let (wb, first, years, dates) = entry;
        if let Some(earlier) = dates.insert(s.date, s.line) {
            return Err(IngestError::in_stream(
                s.line,
                Some((self.date_col + 1, "date".into())),
                format!(
                    "断面 “{}” 在 {} 的样品重复（第 {earlier} 行已有）/ section \"{}\" sampled on {} twice (first on line {earlier})",
                    excerpt(s.section),
                    s.date,
                    excerpt(s.section),
                    s.date
                ),
            ));
        }
        if *wb != s.waterbody {
            return Err(IngestError::in_stream(
                s.line,
                Some((self.wb_col + 1, "waterbody".into())),
                format!(
                    "断面 “{}” 在第 {} 行为 {}，此处为 {} / section \"{}\" was {} on line {}, here {}",
                    s.section,
                    first,
                    wb.code(),
                    s.waterbody.code(),
                    s.section,
                    wb.code(),
                    first,
                    s.waterbody.code()
                ),
            ));
        }
        years
            .entry(s.year)
            .or_insert_with(|| PeriodAccumulator::new(s.waterbody))
            .add(&s.values);
        Ok(())
    }

    pub(crate) fn finish(self, table: &Table) -> Vec<AnnualRow> {
        let acc = self.sections.into_iter().flat_map(|(section, (_, _, years, _))| {
            years
                .into_iter()
                .map(move |(year, period)| ((section.clone(), year), period))
        });
        acc.map(|((section, year), period)| {
            let a = period.evaluate(table);
            let main_pollutants = a.main_pollutants(table);
            AnnualRow {
                section,
                year,
                waterbody: period.waterbody,
                class: a.class,
                main_pollutants,
                period,
            }
        })
        .collect()
    }
}

/// Writes annual rows as `section,year,samples,class,status,main_pollutants`.
pub fn write_annual<W: Write>(rows: &[AnnualRow], output: W) -> Result<(), StreamError> {
    let mut out = csv::WriterBuilder::new().from_writer(output);
    out.write_record(["section", "year", "samples", "class", "status", "main_pollutants"])?;
    for r in rows {
        let (class, status) = match r.class {
            Some(c) => (c.label(), c.status()),
            None => ("", "未评价"),
        };
        out.write_record([
            neutralise_formula(&r.section).as_ref(),
            &r.year.to_string(),
            &r.period.samples().to_string(),
            class,
            status,
            &gb3838::format_main_pollutants(&r.main_pollutants),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// One black-odorous survey sample, owned.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRow {
    /// 1-based input line.
    pub line: u64,
    /// Water body id.
    pub body: String,
    /// Point position along the body (integer order).
    pub point_seq: u32,
    /// Year of the sample date.
    pub year: i32,
    /// The measured sample.
    pub sample: black_odorous::Sample,
}

/// Reads a black-odorous survey: `body,point_seq,date,depth_cm,transparency_cm,clear_to_bottom,do,orp,nh3n`
/// (`clear_to_bottom` is `1`/`0`/`yes`/`no`/`true`/`false`/empty; `orp` in mV may be negative).
pub fn read_survey<R: Read>(input: R) -> Result<Vec<SurveyRow>, IngestError> {
    let columns = |h: &Header| -> Result<[usize; 9], IngestError> {
        Ok([
            h.require("body")?,
            h.require("point_seq")?,
            h.require("date")?,
            h.require("depth_cm")?,
            h.require("transparency_cm")?,
            h.require("clear_to_bottom")?,
            h.require("do")?,
            h.require("orp")?,
            h.require("nh3n")?,
        ])
    };
    read_table(input, columns, |c, f| {
        let seq_text = f.required_text(c[1])?;
        let point_seq = seq_text.parse::<u32>().map_err(|_| {
            f.err(
                c[1],
                format!("应为非负整数 / must be a whole number, got \"{}\"", excerpt(seq_text)),
            )
        })?;
        let clear_text = f.text(c[5])?;
        let clear_to_bottom = match clear_text.to_ascii_lowercase().as_str() {
            "" | "0" | "no" | "false" | "否" => false,
            "1" | "yes" | "true" | "是" => true,
            _ => {
                return Err(f.err(
                    c[5],
                    format!("应为 1 或 0 / must be 1 or 0, got \"{}\"", excerpt(clear_text)),
                ));
            }
        };
        Ok(SurveyRow {
            line: f.line,
            body: f.required_text(c[0])?.to_string(),
            point_seq,
            year: f.date_year(c[2])?,
            sample: black_odorous::Sample {
                depth_cm: f.concentration(c[3], None)?,
                transparency_cm: f.concentration(c[4], None)?,
                clear_to_bottom,
                do_mg_l: f.concentration(c[6], None)?,
                orp_mv: f.number(c[7], None)?,
                nh3n_mg_l: f.concentration(c[8], None)?,
            },
        })
    })
}

/// A registered black-odorous water body (`body,name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRow {
    /// Water body id.
    pub body: String,
    /// Name.
    pub name: String,
}

/// Reads the register of black-odorous water bodies: `body,name`.
pub fn read_bodies<R: Read>(input: R) -> Result<Vec<BodyRow>, IngestError> {
    let mut seen = std::collections::HashSet::new();
    let columns = |h: &Header| Ok((h.require("body")?, h.require("name")?));
    read_table(input, columns, |&(cb, cn), f| {
        let body = f.required_text(cb)?.to_string();
        if !seen.insert(body.clone()) {
            let shown = excerpt(&body);
            return Err(f.err(cb, format!("重复的水体 “{shown}” / duplicate body \"{shown}\"")));
        }
        Ok(BodyRow {
            body,
            name: f.text(cn)?.to_string(),
        })
    })
}

/// One year of EI sub-indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EiRow {
    /// 1-based input line.
    pub line: u64,
    /// Year.
    pub year: i32,
    /// Sub-indices.
    pub sub: SubIndices,
    /// Environmental restriction.
    pub restriction: Restriction,
    /// True when the sub-indices were computed from land use and emissions (`ei_land_use.csv`).
    pub from_land_use: bool,
}

/// The required columns of an EI inputs file, in their order (an optional `restriction` follows).
pub const EI_COLUMNS: [&str; 6] = [
    "year",
    "biological_abundance",
    "vegetation_cover",
    "water_network_density",
    "land_stress",
    "pollution_load",
];

/// Reads EI inputs: `year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load,restriction`
/// ([`EI_COLUMNS`]; `restriction` empty/`none`, `drop1` or `not_good`; sub-indices 0–100 before capping).
pub fn read_ei<R: Read>(input: R) -> Result<Vec<EiRow>, IngestError> {
    let columns = |h: &Header| -> Result<([usize; 6], Option<usize>), IngestError> {
        let mut c = [0usize; 6];
        for (k, n) in EI_COLUMNS.iter().enumerate() {
            c[k] = h.require(n)?;
        }
        Ok((c, h.optional("restriction")))
    };
    let mut years = std::collections::HashSet::new();
    read_table(input, columns, |(c, cr), f| {
        let year = f.year(c[0])?;
        if !years.insert(year) {
            return Err(f.err(c[0], format!("年份 {year} 重复 / duplicate year {year}")));
        }
        let mut v = [0.0; 5];
        for k in 0..5 {
            v[k] = f
                .concentration(c[k + 1], None)?
                .ok_or_else(|| f.err(c[k + 1], "不能为空 / must not be empty".into()))?;
        }
        Ok(EiRow {
            line: f.line,
            year,
            sub: SubIndices {
                biological_abundance: v[0],
                vegetation_cover: v[1],
                water_network_density: v[2],
                land_stress: v[3],
                pollution_load: v[4],
            },
            restriction: restriction(f, *cr)?,
            from_land_use: false,
        })
    })
}

/// The optional `restriction` column of the EI readers.
fn restriction(f: &Fields<'_>, column: Option<usize>) -> Result<Restriction, IngestError> {
    let Some(col) = column else {
        return Ok(Restriction::None);
    };
    let t = f.text(col)?;
    Restriction::parse(t).ok_or_else(|| {
        f.err(
            col,
            format!(
                "应为 none、drop1 或 not_good / must be none, drop1 or not_good, got \"{}\"",
                excerpt(t)
            ),
        )
    })
}

/// Columns of `ei_land_use.csv`, in [`crate::hj192::RegionInputs`] order (optional ones marked `?`).
pub const EI_LAND_USE_COLUMNS: [&str; 37] = [
    "area_km2",
    "forest_dense",
    "forest_shrub",
    "forest_sparse",
    "grass_high",
    "grass_mid",
    "grass_low",
    "water_river",
    "water_lake",
    "water_beach",
    "crop_paddy",
    "crop_dry",
    "built_urban",
    "built_rural",
    "built_other",
    "unused_sand",
    "unused_saline",
    "unused_bare_soil",
    "unused_bare_rock",
    "unused_other",
    "biodiversity_index?",
    "mean_ndvi",
    "river_length_km",
    "lake_area_km2",
    "water_resources",
    "water_resources_mean?",
    "erosion_heavy",
    "erosion_moderate",
    "other_stress_km2",
    "precipitation_mm",
    "cod_t",
    "nh3n_t",
    "so2_t",
    "dust_t",
    "nox_t",
    "solid_waste_t",
    "restriction?",
];

/// Reads EI inputs as land use, water and emissions (`year` plus [`EI_LAND_USE_COLUMNS`]; areas km², length
/// km, water resources 10⁴ m³, precipitation mm, emissions t) and computes the sub-indices by HJ 192-2015.
pub fn read_ei_land_use<R: Read>(input: R, model: &crate::hj192::Model) -> Result<Vec<EiRow>, IngestError> {
    let columns = |h: &Header| -> Result<(usize, Vec<Option<usize>>), IngestError> {
        let cy = h.require("year")?;
        let mut cols = Vec::with_capacity(EI_LAND_USE_COLUMNS.len());
        for name in EI_LAND_USE_COLUMNS {
            cols.push(match name.strip_suffix('?') {
                Some(opt) => h.optional(opt),
                None => Some(h.require(name)?),
            });
        }
        Ok((cy, cols))
    };
    let mut years = std::collections::HashSet::new();
    read_table(input, columns, |(cy, cols), f| {
        let cy = *cy;
        let line = f.line;
        let year = f.year(cy)?;
        if !years.insert(year) {
            return Err(f.err(cy, format!("年份 {year} 重复 / duplicate year {year}")));
        }
        let mut v = [None; 36];
        for (k, col) in cols.iter().take(36).enumerate() {
            if let Some(col) = *col {
                v[k] = f.concentration(col, None)?;
                let optional = EI_LAND_USE_COLUMNS[k].ends_with('?');
                if v[k].is_none() && !optional {
                    return Err(f.err(col, "不能为空 / must not be empty".into()));
                }
            }
        }
        let x = |k: usize| v[k].unwrap_or(0.0);
        let area_col = cols[0].unwrap_or(0);
        if x(0) <= 0.0 {
            return Err(f.err(area_col, "区域面积必须为正 / region area must be positive".into()));
        }
        let region = crate::hj192::RegionInputs {
            area_km2: x(0),
            forest: [x(1), x(2), x(3)],
            grass: [x(4), x(5), x(6)],
            water: [x(7), x(8), x(9)],
            cropland: [x(10), x(11)],
            built: [x(12), x(13), x(14)],
            unused: [x(15), x(16), x(17), x(18), x(19)],
            biodiversity_index: v[20],
            mean_ndvi: x(21),
            river_length_km: x(22),
            lake_area_km2: x(23),
            water_resources: x(24),
            water_resources_mean: v[25],
            erosion: [x(26), x(27)],
            other_stress_km2: x(28),
            precipitation_mm: x(29),
            emissions: [x(30), x(31), x(32), x(33), x(34), x(35)],
        };
        let sub = model
            .sub_indices_from(&region)
            .map_err(|e| IngestError::in_stream(line, None, e.message))?;
        Ok(EiRow {
            line,
            year,
            sub,
            restriction: restriction(f, cols[36])?,
            from_land_use: true,
        })
    })
}

/// All water and ecology inputs of a zone's `monitoring/water/` folder, each optional.
#[derive(Debug, Clone, Default)]
pub struct ZoneInputs {
    /// Section-years from `sections.csv`.
    pub sections: Option<Vec<AnnualRow>>,
    /// Source-years from `drinking_sources.csv`.
    pub drinking_sources: Option<Vec<AnnualRow>>,
    /// Register from `black_odorous_bodies.csv`.
    pub bodies: Option<Vec<BodyRow>>,
    /// Survey from `black_odorous.csv`.
    pub survey: Option<Vec<SurveyRow>>,
    /// EI rows from `ei.csv`.
    pub ei: Option<Vec<EiRow>>,
    /// True when any file read is labelled SYNTHETIC in its name (`NAME.SYNTHETIC.csv`).
    pub synthetic: bool,
    /// Files read, by kind (a name of [`ZONE_FILES`]), for provenance.
    pub files: BTreeMap<&'static str, std::path::PathBuf>,
}

/// An error reading a zone's water folder: the file, then the located input error or the IO error.
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    /// A file's content was refused.
    #[error("文件 {path} / file {path}: {error}")]
    Input {
        /// The file.
        path: String,
        /// The located error (boxed: it is large, and rare).
        error: Box<IngestError>,
    },
    /// A file could not be opened or read.
    #[error("无法读取 {path} / cannot read {path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The IO error.
        error: std::io::Error,
    },
    /// Both `NAME.csv` and `NAME.SYNTHETIC.csv` exist.
    #[error("{dir} 中 {name}.csv 与 {name}.SYNTHETIC.csv 同时存在 / both {name}.csv and {name}.SYNTHETIC.csv in {dir}")]
    Ambiguous {
        /// The folder.
        dir: String,
        /// The file kind.
        name: &'static str,
    },
}

/// The file names read from a zone's `monitoring/water/` folder (each as `NAME.csv` or `NAME.SYNTHETIC.csv`).
pub const ZONE_FILES: [&str; 6] = [
    "sections",
    "drinking_sources",
    "black_odorous_bodies",
    "black_odorous",
    "ei",
    "ei_land_use",
];

/// One input of a zone's water data: its kind (a name of [`ZONE_FILES`]), the path or name shown in
/// errors and provenance, whether it is labelled SYNTHETIC, and its bytes.
pub struct ZoneSource<R> {
    /// A name of [`ZONE_FILES`].
    pub kind: &'static str,
    /// The file (or upload) name, for errors and provenance.
    pub path: std::path::PathBuf,
    /// Labelled SYNTHETIC.
    pub synthetic: bool,
    /// The CSV bytes.
    pub input: R,
}

/// Reads every known file present in `dir` (see [`ZONE_FILES`] and the crate README for the formats).
/// Every file is validated completely; the first refused file fails the whole read.
pub fn read_zone_dir(dir: &std::path::Path, table: &Table, thresholds: &Thresholds) -> Result<ZoneInputs, DirError> {
    let mut sources = Vec::new();
    for name in ZONE_FILES {
        let plain = dir.join(format!("{name}.csv"));
        let synthetic = dir.join(format!("{name}.SYNTHETIC.csv"));
        let (path, synthetic) = match (plain.is_file(), synthetic.is_file()) {
            (true, true) => {
                return Err(DirError::Ambiguous {
                    dir: dir.display().to_string(),
                    name,
                });
            }
            (true, false) => (plain, false),
            (false, true) => (synthetic, true),
            (false, false) => continue,
        };
        let file = std::fs::File::open(&path).map_err(|error| DirError::Io {
            path: path.display().to_string(),
            error,
        })?;
        sources.push(ZoneSource {
            kind: name,
            path,
            synthetic,
            input: std::io::BufReader::new(file),
        });
    }
    read_zone_sources(sources, table, thresholds)
}

/// Reads a zone's water inputs from sources of the kinds of [`ZONE_FILES`] (at most one per kind, in
/// that order), as [`read_zone_dir`] does for a folder: each validated completely, the first refused
/// source failing the whole read, and the survey's bodies checked against the register.
pub fn read_zone_sources<R: Read>(
    sources: impl IntoIterator<Item = ZoneSource<R>>,
    table: &Table,
    thresholds: &Thresholds,
) -> Result<ZoneInputs, DirError> {
    let mut z = ZoneInputs::default();
    let mut survey_path = String::new();
    for ZoneSource {
        kind: name,
        path,
        synthetic,
        input,
    } in sources
    {
        z.synthetic |= synthetic;
        let shown = path.display().to_string();
        let wrap = |error: IngestError| DirError::Input {
            path: shown.clone(),
            error: Box::new(error),
        };
        match name {
            "sections" => z.sections = Some(annual(input, table, thresholds).map_err(wrap)?),
            "drinking_sources" => z.drinking_sources = Some(annual(input, table, thresholds).map_err(wrap)?),
            "black_odorous_bodies" => z.bodies = Some(read_bodies(input).map_err(wrap)?),
            "black_odorous" => {
                z.survey = Some(read_survey(input).map_err(wrap)?);
                survey_path.clone_from(&shown);
            }
            "ei" => z.ei = Some(read_ei(input).map_err(wrap)?),
            "ei_land_use" => {
                let computed = read_ei_land_use(input, crate::hj192::Model::embedded()).map_err(wrap)?;
                let rows = z.ei.get_or_insert_with(Vec::new);
                if let Some(dup) = computed.iter().find(|c| rows.iter().any(|r| r.year == c.year)) {
                    return Err(wrap(IngestError::at(
                        "",
                        Some(dup.line),
                        Some("year"),
                        format!(
                            "{} 年的 EI 已由 ei.csv 给出 / year {} is also in ei.csv",
                            dup.year, dup.year
                        ),
                    )));
                }
                rows.extend(computed);
            }
            _ => continue,
        }
        z.files.insert(name, path);
    }
    if let (Some(bodies), Some(survey)) = (&z.bodies, &z.survey)
        && let Some(s) = survey.iter().find(|s| !bodies.iter().any(|b| b.body == s.body))
    {
        {
            return Err(DirError::Input {
                path: survey_path,
                error: Box::new(IngestError::in_stream(
                    s.line,
                    Some((1, "body".into())),
                    format!(
                        "水体 “{}” 不在黑臭水体清单中 / body \"{}\" is not on the register",
                        s.body, s.body
                    ),
                )),
            });
        }
    }
    Ok(z)
}
