//! The IO edge of `ecociv-air`: streaming CSV readers (hourly and daily), the `ecociv air` runners and
//! the reader of a zone's `monitoring/air/` folder.
//!
//! Reading is a single pass with one reused `csv::ByteRecord` (no allocation per row); memory does not
//! grow with the file. A malformed row is an error naming the source, line, column and field; with
//! `skip_bad` it is counted instead (the first ten are kept for the report). Output is written only after
//! the whole input was read without error, so a failing command writes nothing.

use std::io::{self, Read, Write};
use std::path::Path;

use ecociv_csvline::text::excerpt_bytes;
use ecociv_csvline::{excerpt, neutralise_formula};

use crate::edition::{Date, EditionChoice};
use crate::hj633::{self, DailyInput, ITEMS};
use crate::hj663::{AnnualStat, fmt_tenths};
use crate::realtime::{PmWindow, RealtimeEngine};
use crate::rounding::parse_milli;
use crate::station::{AnnualEngine, HourlyRow, OrderError, StationAnnual};
use crate::zone::{ZoneEngine, ZoneYear};

mod parallel;
mod values;

pub use values::StationValues;

/// Header of the hourly input of `ecociv air annual`.
pub const HOURLY_HEADER: [&str; 9] = ["station", "date", "hour", "so2", "no2", "pm10", "co", "o3", "pm25"];
/// Header of the daily input of `ecociv air daily`.
pub const DAILY_HEADER: [&str; 9] = ["station", "date", "so2", "no2", "pm10", "co", "o3_1h", "o3_8h", "pm25"];
/// Header of the output of `ecociv air daily`.
pub const DAILY_OUT_HEADER: [&str; 13] = [
    "station",
    "date",
    "aqi",
    "level",
    "category",
    "primary",
    "iaqi_so2",
    "iaqi_no2",
    "iaqi_pm10",
    "iaqi_co",
    "iaqi_o3_1h",
    "iaqi_o3_8h",
    "iaqi_pm25",
];
/// Header of the output of `ecociv air hourly` (the real-time report).
pub const HOURLY_OUT_HEADER: [&str; 19] = [
    "station",
    "date",
    "hour",
    "aqi",
    "level",
    "category",
    "primary",
    "o3_8h",
    "pm10",
    "pm25",
    "pm_window_hours",
    "iaqi_so2",
    "iaqi_no2",
    "iaqi_pm10",
    "iaqi_co",
    "iaqi_o3_1h",
    "iaqi_o3_8h",
    "iaqi_pm25",
    "edition",
];
/// Header of the output of `ecociv air annual`.
pub const ANNUAL_OUT_HEADER: [&str; 11] = [
    "station",
    "year",
    "valid_days",
    "good_days",
    "good_rate",
    "so2",
    "no2",
    "pm10",
    "pm25",
    "co_p95",
    "o3_8h_p90",
];

/// A bad input row or header: where and why — the project's one located error
/// (`ecociv_csvline::Located`: file — `-` for standard input —, line, column, the column's header name,
/// and a bilingual message).
pub use ecociv_csvline::Located as InputError;

/// Why reading failed.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Input(InputError),
    #[error("读取 {source_name} 失败 / cannot read {source_name}: {error}")]
    Io { source_name: String, error: io::Error },
    #[error("写出结果失败 / cannot write output: {0}")]
    Write(io::Error),
}

/// Options of a read.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Name shown in messages (file path or `-`).
    pub source: String,
    /// Count and skip malformed rows instead of failing.
    pub skip_bad: bool,
}

/// What a read saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestSummary {
    /// Data rows read (header excluded), bad ones included.
    pub rows: u64,
    /// Rows skipped as malformed (only with `skip_bad`).
    pub bad_rows: u64,
    /// The first ten skipped rows' errors.
    pub first_bad: Vec<InputError>,
}

impl IngestSummary {
    fn bad(&mut self, e: InputError) {
        self.bad_rows += 1;
        if self.first_bad.len() < 10 {
            self.first_bad.push(e);
        }
    }
}

/// The fields of a record: a `csv::ByteRecord`, or a quote-free line split at commas.
trait Fields {
    fn n(&self) -> usize;
    fn get(&self, i: usize) -> &[u8];
}

impl Fields for csv::ByteRecord {
    fn n(&self) -> usize {
        self.len()
    }
    fn get(&self, i: usize) -> &[u8] {
        &self[i]
    }
}

/// A quote-free line split at commas (the first `MAX_FIELDS` fields kept, all counted).
struct Split<'a> {
    line: &'a [u8],
    bounds: [(u32, u32); MAX_FIELDS],
    n: usize,
}

const MAX_FIELDS: usize = 16;

impl<'a> Split<'a> {
    fn new(line: &'a [u8]) -> Self {
        let mut bounds = [(0u32, 0u32); MAX_FIELDS];
        let mut n = 0;
        let mut start = 0usize;
        for i in memchr::memchr_iter(b',', line) {
            if n < MAX_FIELDS {
                bounds[n] = (start as u32, i as u32);
            }
            n += 1;
            start = i + 1;
        }
        if n < MAX_FIELDS {
            bounds[n] = (start as u32, line.len() as u32);
        }
        Split { line, bounds, n: n + 1 }
    }
}

impl Fields for Split<'_> {
    fn n(&self) -> usize {
        self.n
    }
    fn get(&self, i: usize) -> &[u8] {
        match self.bounds.get(i) {
            Some(&(a, b)) if i < self.n => &self.line[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// One record being read, with where it is (for messages).
struct Rec<'a, F: Fields = csv::ByteRecord> {
    rec: &'a F,
    line: u64,
    source: &'a str,
    header: &'static [&'static str],
}

impl<F: Fields> Rec<'_, F> {
    fn input_err(&self, column: Option<usize>, message: String) -> InputError {
        InputError {
            file: self.source.to_owned(),
            line: Some(self.line),
            column: column.map(|c| c + 1),
            field: column.and_then(|c| self.header.get(c)).map(|s| (*s).to_owned()),
            message,
            ..Default::default()
        }
    }

    fn check_header(&self) -> Result<(), InputError> {
        let ok = self.rec.n() == self.header.len()
            && self.header.iter().enumerate().all(|(i, want)| {
                let got = self.rec.get(i);
                let got = if i == 0 {
                    got.strip_prefix("\u{feff}".as_bytes()).unwrap_or(got)
                } else {
                    got
                };
                crate::edition::trim(got).eq_ignore_ascii_case(want.as_bytes())
            });
        if ok {
            return Ok(());
        }
        let got: Vec<String> = (0..self.rec.n().min(20))
            .map(|i| excerpt_bytes(self.rec.get(i)))
            .collect();
        Err(self.input_err(
            None,
            format!(
                "表头应为 / header must be `{}`, found `{}`",
                self.header.join(","),
                got.join(",")
            ),
        ))
    }

    fn field_count(&self) -> Result<(), InputError> {
        if self.rec.n() != self.header.len() {
            let (want, got) = (self.header.len(), self.rec.n());
            return Err(self.input_err(
                None,
                format!("应有 {want} 列，实有 {got} 列 / expected {want} fields, found {got}"),
            ));
        }
        Ok(())
    }

    fn station(&self, c: usize) -> Result<&str, InputError> {
        station_field(self.rec.get(c)).map_err(|message| self.input_err(Some(c), message))
    }

    fn date(&self, c: usize) -> Result<Date, InputError> {
        Date::parse(self.rec.get(c)).ok_or_else(|| {
            self.input_err(
                Some(c),
                format!(
                    "日期无效（应为 YYYY-MM-DD）/ invalid date (YYYY-MM-DD): `{}`",
                    excerpt_bytes(self.rec.get(c))
                ),
            )
        })
    }

    fn value(&self, c: usize) -> Result<Option<i64>, InputError> {
        value_field(self.rec.get(c)).map_err(|message| self.input_err(Some(c), message))
    }

    fn hourly(&self) -> Result<HourlyRow<'_>, InputError> {
        self.hourly_cached(&mut DateCache::default())
    }

    /// [`Self::hourly`] with the last date parsed kept (rows of a day repeat their date).
    fn hourly_cached(&self, cache: &mut DateCache) -> Result<HourlyRow<'_>, InputError> {
        self.field_count()?;
        let station = self.station(0)?;
        let raw = self.rec.get(1);
        let date = match cache.0 {
            Some((len, bytes, d)) if usize::from(len) == raw.len() && bytes[..raw.len()] == *raw => d,
            _ => {
                let d = self.date(1)?;
                if raw.len() <= 16 {
                    let mut bytes = [0u8; 16];
                    bytes[..raw.len()].copy_from_slice(raw);
                    cache.0 = Some((raw.len() as u8, bytes, d));
                }
                d
            }
        };
        let hour = parse_hour(self.rec.get(2)).ok_or_else(|| {
            self.input_err(
                Some(2),
                format!(
                    "小时应为 0–23 / hour must be 0–23: `{}`",
                    excerpt_bytes(self.rec.get(2))
                ),
            )
        })?;
        let mut values = [None; 6];
        for (k, v) in values.iter_mut().enumerate() {
            *v = self.value(3 + k)?;
        }
        Ok(HourlyRow {
            station,
            date,
            hour,
            values,
        })
    }
}

/// The last date field seen and its parsed value.
#[derive(Default)]
struct DateCache(Option<(u8, [u8; 16], Date)>);

fn csv_reader<R: Read>(r: R) -> csv::Reader<LineCounter<R>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(LineCounter::new(r))
}

/// The shared line counter (see `ecociv-csvline`: the csv crate's own line is wrong after blank lines).
pub(crate) use ecociv_csvline::LineCounter;

/// The line where a record starts.
fn record_line<R: Read>(rd: &csv::Reader<LineCounter<R>>, rec: &csv::ByteRecord) -> u64 {
    rec.position()
        .map_or(0, |position| rd.get_ref().line_at(position.byte()))
}

/// Reads the next record; CSV-level errors carry the line (plus `line_base`).
fn next_record<R: Read>(
    rd: &mut csv::Reader<LineCounter<R>>,
    rec: &mut csv::ByteRecord,
    source: &str,
    line_base: u64,
) -> Result<bool, IngestError> {
    match rd.read_byte_record(rec) {
        Ok(b) => Ok(b),
        Err(e) => {
            let line = e.position().map_or(0, |p| rd.get_ref().line_at(p.byte())) + line_base;
            match e.into_kind() {
                csv::ErrorKind::Io(error) => Err(IngestError::Io {
                    source_name: source.to_owned(),
                    error,
                }),
                other => Err(IngestError::Input(InputError {
                    file: source.to_owned(),
                    line: (line > 0).then_some(line),
                    column: None,
                    field: None,
                    message: format!("CSV 格式错误 / malformed CSV: {other:?}"),
                    ..Default::default()
                })),
            }
        }
    }
}

/// A station field as the readers take it (spaces trimmed): a name, or why it is refused.
fn station_field(field: &[u8]) -> Result<&str, String> {
    let s = std::str::from_utf8(crate::edition::trim(field))
        .map_err(|_| "不是有效的 UTF-8 / not valid UTF-8".to_owned())?;
    if s.is_empty() {
        return Err("站点为空 / empty station".into());
    }
    if let Some(problem) = ecociv_csvline::name_problem(s) {
        return Err(format!("{problem}: `{}`", excerpt(s)));
    }
    Ok(s)
}

/// A concentration field as the readers take it (spaces trimmed): empty is missing, otherwise its
/// milli-units ([`parse_milli`]), or why it is refused.
fn value_field(field: &[u8]) -> Result<Option<i64>, String> {
    let f = crate::edition::trim(field);
    if f.is_empty() {
        return Ok(None);
    }
    parse_milli(f)
        .map(Some)
        .map_err(|e| format!("{}: `{}`", e.message(), excerpt_bytes(f)))
}

fn parse_hour(b: &[u8]) -> Option<u8> {
    let b = crate::edition::trim(b);
    if b.is_empty() || b.len() > 2 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let h = b.iter().fold(0u8, |a, &d| a * 10 + (d - b'0'));
    (h <= 23).then_some(h)
}

/// Applies one parsed hourly row (or its error) to the sink, with the skip-bad policy. `Err` = stop.
fn apply_hourly(
    parsed: Result<HourlyRow<'_>, InputError>,
    line: u64,
    source: &str,
    opts: &ReadOptions,
    sum: &mut IngestSummary,
    sink: &mut impl FnMut(&HourlyRow<'_>) -> Result<(), OrderError>,
) -> Result<(), IngestError> {
    sum.rows += 1;
    match parsed {
        Ok(row) => match sink(&row) {
            Ok(()) => Ok(()),
            Err(order) => {
                let e = InputError {
                    file: source.to_owned(),
                    line: Some(line),
                    column: None,
                    field: None,
                    message: order.to_string(),
                    ..Default::default()
                };
                if order.is_skippable() && opts.skip_bad {
                    sum.bad(e);
                    Ok(())
                } else {
                    Err(IngestError::Input(e))
                }
            }
        },
        Err(e) if opts.skip_bad => {
            sum.bad(e);
            Ok(())
        }
        Err(e) => Err(IngestError::Input(e)),
    }
}

fn empty_input(source: &str) -> IngestError {
    IngestError::Input(InputError {
        file: source.to_owned(),
        line: Some(1),
        column: None,
        field: None,
        message: "输入为空，缺少表头 / empty input: header missing".into(),
        ..Default::default()
    })
}

/// Sequential reading of hourly rows from `r`, whose first line is `line_base + 1` of the source; the
/// header is expected first when `header_first`.
fn read_hourly_seq<R: Read>(
    r: R,
    opts: &ReadOptions,
    line_base: u64,
    header_first: bool,
    sum: &mut IngestSummary,
    sink: &mut impl FnMut(&HourlyRow<'_>) -> Result<(), OrderError>,
) -> Result<(), IngestError> {
    let mut rd = csv_reader(r);
    let mut rec = csv::ByteRecord::new();
    let src = opts.source.as_str();
    let line_of = |rd: &csv::Reader<LineCounter<R>>, rec: &csv::ByteRecord| record_line(rd, rec) + line_base;
    if header_first {
        if !next_record(&mut rd, &mut rec, src, line_base)? {
            return Err(empty_input(src));
        }
        let r = Rec {
            rec: &rec,
            line: line_of(&rd, &rec),
            source: src,
            header: &HOURLY_HEADER,
        };
        r.check_header().map_err(IngestError::Input)?;
    }
    while next_record(&mut rd, &mut rec, src, line_base)? {
        let line = line_of(&rd, &rec);
        let r = Rec {
            rec: &rec,
            line,
            source: src,
            header: &HOURLY_HEADER,
        };
        apply_hourly(r.hourly(), line, src, opts, sum, sink)?;
    }
    Ok(())
}

/// Reads hourly rows like [`read_hourly`], parsing on `workers` threads (blocks of `block` bytes) while the
/// rows are applied to `sink` in input order on one thread: same results, errors and line numbers.
pub fn read_hourly_parallel<R: Read>(
    r: R,
    opts: &ReadOptions,
    workers: usize,
    block: usize,
    sink: impl FnMut(&HourlyRow<'_>) -> Result<(), OrderError> + Send,
) -> Result<IngestSummary, IngestError> {
    parallel::read_hourly_parallel(r, opts, workers, block, &mut parallel::Rows(sink))
}

/// Reads hourly rows into `engine` like [`read_hourly_parallel`] with `|row| engine.push(row)`, the daily
/// values of whole station-days being computed on the parsing threads too: same results, errors and line
/// numbers.
pub fn read_annual_parallel<R: Read>(
    r: R,
    opts: &ReadOptions,
    workers: usize,
    block: usize,
    engine: &mut AnnualEngine,
) -> Result<IngestSummary, IngestError> {
    parallel::read_hourly_parallel(r, opts, workers, block, engine)
}

/// Parsing threads for the hourly reader: the machine's parallelism (at least 1, at most 8).
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8))
}

/// Block size of the parallel reader.
pub const BLOCK: usize = 1 << 20;

/// Reads hourly rows (`station,date,hour,so2,no2,pm10,co,o3,pm25`) into `sink`, in one thread. Disorder
/// reported by the sink is fatal; a duplicate hour is a bad row.
pub fn read_hourly<R: Read>(
    r: R,
    opts: &ReadOptions,
    mut sink: impl FnMut(&HourlyRow<'_>) -> Result<(), OrderError>,
) -> Result<IngestSummary, IngestError> {
    let mut sum = IngestSummary::default();
    read_hourly_seq(r, opts, 0, true, &mut sum, &mut sink)?;
    Ok(sum)
}

/// One row of the daily input.
#[derive(Clone, Copy, Debug)]
pub struct DailyRow<'a> {
    pub station: &'a str,
    pub date: Date,
    pub input: DailyInput,
}

/// Reads daily rows (`station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25`) into `sink`.
pub fn read_daily<R: Read>(
    r: R,
    opts: &ReadOptions,
    mut sink: impl FnMut(&DailyRow<'_>) -> Result<(), IngestError>,
) -> Result<IngestSummary, IngestError> {
    let mut rd = csv_reader(r);
    let mut rec = csv::ByteRecord::new();
    let src = opts.source.as_str();
    if !next_record(&mut rd, &mut rec, src, 0)? {
        return Err(empty_input(src));
    }
    Rec {
        rec: &rec,
        line: record_line(&rd, &rec),
        source: src,
        header: &DAILY_HEADER,
    }
    .check_header()
    .map_err(IngestError::Input)?;
    let mut sum = IngestSummary::default();
    let mut seen = DaysSeen::default();
    while next_record(&mut rd, &mut rec, src, 0)? {
        sum.rows += 1;
        let r = Rec {
            rec: &rec,
            line: record_line(&rd, &rec),
            source: src,
            header: &DAILY_HEADER,
        };
        let parsed = (|| {
            r.field_count()?;
            let station = r.station(0)?;
            let date = r.date(1)?;
            let input = DailyInput {
                so2: r.value(2)?,
                no2: r.value(3)?,
                pm10: r.value(4)?,
                co: r.value(5)?,
                o3_1h: r.value(6)?,
                o3_8h: r.value(7)?,
                pm25: r.value(8)?,
            };
            if let Some(first) = seen.insert(station, date, r.line) {
                return Err(r.input_err(
                    None,
                    format!(
                        "站点 {} 的 {date} 重复（第 {first} 行已有）/ station {} on {date} given twice (first on line {first})",
                        excerpt(station),
                        excerpt(station)
                    ),
                ));
            }
            Ok(DailyRow { station, date, input })
        })();
        match parsed {
            Ok(row) => sink(&row)?,
            Err(e) if opts.skip_bad => sum.bad(e),
            Err(e) => return Err(IngestError::Input(e)),
        }
    }
    Ok(sum)
}

/// The station-days read so far, for refusing a day given twice: per station and year, one line number per
/// day (memory grows with station-years, not rows).
#[derive(Default)]
struct DaysSeen(std::collections::HashMap<String, std::collections::HashMap<i32, Box<[u64; 366]>>>);

impl DaysSeen {
    /// Notes `station` on `date` at `line`; the earlier line when the day was already given.
    fn insert(&mut self, station: &str, date: Date, line: u64) -> Option<u64> {
        if !self.0.contains_key(station) {
            self.0.insert(station.to_owned(), Default::default());
        }
        let years = self.0.get_mut(station)?;
        let days = years.entry(date.year).or_insert_with(|| Box::new([0; 366]));
        let slot = &mut days[usize::from(date.ordinal()) - 1];
        if *slot != 0 {
            return Some(*slot);
        }
        *slot = line.max(1);
        None
    }
}

fn opt_num(v: Option<u16>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// `ecociv air daily`: daily AQI per row, streamed to `out` (the caller buffers or uses a temporary file
/// so that nothing is published on error).
pub fn run_daily<R: Read, W: Write>(
    input: R,
    out: W,
    opts: &ReadOptions,
    choice: EditionChoice,
) -> Result<IngestSummary, IngestError> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let werr = |e: csv::Error| IngestError::Write(io::Error::other(e.to_string()));
    w.write_record(DAILY_OUT_HEADER).map_err(werr)?;
    let mut cells: [String; 13] = Default::default();
    let sum = read_daily(input, opts, |row| {
        let res = hj633::table(choice.for_date(row.date)).daily(&row.input);
        cells[0].clear();
        cells[0].push_str(&neutralise_formula(row.station));
        cells[1] = row.date.to_string();
        cells[2] = opt_num(res.aqi);
        let lv = res.level();
        cells[3] = lv.map(|l| l.level.to_string()).unwrap_or_default();
        cells[4] = lv.map(|l| l.category_zh.clone()).unwrap_or_default();
        cells[5] = res.primary.to_string();
        for it in ITEMS {
            cells[6 + it.index()] = opt_num(res.iaqi[it.index()]);
        }
        w.write_record(&cells).map_err(werr)
    })?;
    w.flush().map_err(IngestError::Write)?;
    Ok(sum)
}

/// `ecociv air hourly`: the real-time report (实时报) of every station-hour of an hourly file (see
/// [`crate::realtime`]), written to `out` only after the whole input was read without error.
/// `pm_window` overrides the edition's PM window (a [C] doubt in `data/hj633-params.csv`).
pub fn run_hourly<R: Read, W: Write>(
    input: R,
    out: W,
    opts: &ReadOptions,
    choice: EditionChoice,
    pm_window: Option<PmWindow>,
) -> Result<IngestSummary, IngestError> {
    let werr = |e: csv::Error| IngestError::Write(io::Error::other(e.to_string()));
    let mut buf = csv::WriterBuilder::new().from_writer(Vec::new());
    buf.write_record(HOURLY_OUT_HEADER).map_err(werr)?;
    let mut engine = RealtimeEngine::new(choice, pm_window);
    let mut write_error = None;
    let mut cells: [String; 19] = Default::default();
    let sum = read_hourly(input, opts, |row| {
        let r = engine.push(row)?;
        let res = &r.result;
        cells[0] = neutralise_formula(&r.station).into_owned();
        cells[1] = r.date.to_string();
        cells[2] = r.hour.to_string();
        cells[3] = opt_num(res.aqi);
        let lv = res.level();
        cells[4] = lv.map(|l| l.level.to_string()).unwrap_or_default();
        cells[5] = lv.map(|l| l.category_zh.clone()).unwrap_or_default();
        cells[6] = res.primary.to_string();
        let int = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        cells[7] = int(r.o3_8h);
        cells[8] = int(r.pm10);
        cells[9] = int(r.pm25);
        cells[10] = r.pm_window.hours().to_string();
        for it in ITEMS {
            cells[11 + it.index()] = opt_num(res.iaqi[it.index()]);
        }
        cells[18] = res.edition.aqi_standard().to_owned();
        if write_error.is_none()
            && let Err(e) = buf.write_record(&cells)
        {
            write_error = Some(e);
        }
        Ok(())
    })?;
    if let Some(e) = write_error {
        return Err(werr(e));
    }
    let bytes = buf
        .into_inner()
        .map_err(|e| IngestError::Write(io::Error::other(e.to_string())))?;
    let mut out = out;
    out.write_all(&bytes).map_err(IngestError::Write)?;
    out.flush().map_err(IngestError::Write)?;
    Ok(sum)
}

fn stat_cell(s: &AnnualStat, tenths: bool) -> String {
    match s.value {
        Some(v) if s.valid => {
            if tenths {
                fmt_tenths(v)
            } else {
                v.to_string()
            }
        }
        _ => String::new(),
    }
}

/// Writes annual results as the `ecociv air annual` CSV. A statistic whose coverage rule fails
/// (< 324 days or a short month) is left empty.
pub fn write_annual<W: Write>(rows: &[StationAnnual], out: W) -> Result<(), IngestError> {
    let werr = |e: csv::Error| IngestError::Write(io::Error::other(e.to_string()));
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(ANNUAL_OUT_HEADER).map_err(werr)?;
    for r in rows {
        let a = &r.annual;
        w.write_record([
            neutralise_formula(&r.station).into_owned(),
            a.year.to_string(),
            a.valid_days.to_string(),
            a.good_days.to_string(),
            a.good_rate_tenths.map(fmt_tenths).unwrap_or_default(),
            stat_cell(&a.so2, false),
            stat_cell(&a.no2, false),
            stat_cell(&a.pm10, false),
            stat_cell(&a.pm25, false),
            stat_cell(&a.co_p95, true),
            stat_cell(&a.o3_8h_p90, false),
        ])
        .map_err(werr)?;
    }
    w.flush().map_err(IngestError::Write)
}

/// `ecociv air annual`: reads all hourly rows, then (only if all went well) writes the CSV.
pub fn run_annual<R: Read, W: Write>(
    input: R,
    out: W,
    opts: &ReadOptions,
    choice: EditionChoice,
) -> Result<(Vec<StationAnnual>, IngestSummary), IngestError> {
    let mut eng = AnnualEngine::new(choice);
    let sum = read_annual_parallel(input, opts, default_workers(), BLOCK, &mut eng)?;
    let rows = eng.finish();
    write_annual(&rows, out)?;
    Ok((rows, sum))
}

/// Whether a file's first line is the daily header ([`DAILY_HEADER`]); any other file is read as hourly
/// (and refused by the hourly reader when it is not).
fn is_daily(path: &Path) -> bool {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut line = Vec::new();
    if io::BufReader::new(file.take(4096))
        .read_until(b'\n', &mut line)
        .is_err()
    {
        return false;
    }
    let text = String::from_utf8_lossy(&line);
    let names: Vec<String> = text
        .trim_start_matches('\u{feff}')
        .trim_end_matches(['\r', '\n'])
        .split(',')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    names.iter().map(String::as_str).eq(DAILY_HEADER)
}

/// Reads every `*.csv` file (name order) of a zone's `monitoring/air/` folder — hourly files, and daily
/// files ([`DAILY_HEADER`], told by their header) for the years without hourly data — and computes the
/// zone's figures for `year` (or every year when `None`). Empty when the folder is missing or has no rows.
/// Also returns the files read, for provenance.
pub fn read_zone_dir(
    dir: &Path,
    zone: &str,
    year: Option<i32>,
    choice: EditionChoice,
    skip_bad: bool,
) -> Result<(Vec<ZoneYear>, IngestSummary, Vec<String>), IngestError> {
    let ioerr = |error| IngestError::Io {
        source_name: dir.display().to_string(),
        error,
    };
    if !dir.is_dir() {
        return Ok((Vec::new(), IngestSummary::default(), Vec::new()));
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(ioerr)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    let mut eng = ZoneEngine::new(zone, year, choice);
    let mut total = IngestSummary::default();
    let mut names = Vec::new();
    for f in files {
        names.push(
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let source = f.display().to_string();
        let file = std::fs::File::open(&f).map_err(|error| IngestError::Io {
            source_name: source.clone(),
            error,
        })?;
        let opts = ReadOptions { source, skip_bad };
        let s = if is_daily(&f) {
            read_daily(file, &opts, |row| {
                eng.push_daily(row.station, row.date, &row.input);
                Ok(())
            })?
        } else {
            read_hourly_parallel(file, &opts, default_workers(), BLOCK, |row| eng.push(row))?
        };
        total.rows += s.rows;
        total.bad_rows += s.bad_rows;
        total.first_bad.extend(
            s.first_bad
                .into_iter()
                .take(10usize.saturating_sub(total.first_bad.len())),
        );
    }
    Ok((eng.finish(), total, names))
}
