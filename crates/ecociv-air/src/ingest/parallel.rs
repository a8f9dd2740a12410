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

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use super::{
    DateCache, HOURLY_HEADER, IngestError, IngestSummary, InputError, ReadOptions, Rec, Split, apply_hourly,
    csv_reader, next_record,
};
use crate::edition::Date;
use crate::station::{HourlyRow, OrderError};

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

enum Item {
    Row(Row),
    Bad(InputError),
}

struct Parsed {
    arena: String,
    items: Vec<Item>,
    /// Line ends in the block (to number the lines of the next one).
    newlines: u64,
    /// A fatal error of this block (header, CSV structure).
    fatal: Option<IngestError>,
}

impl Parsed {
    fn empty() -> Parsed {
        Parsed {
            arena: String::new(),
            items: Vec::new(),
            newlines: 0,
            fatal: None,
        }
    }
}

/// Parses a block (quote-free, so lines are records): splits lines at `\n` and fields at `,`, with the csv
/// crate's conventions (a `\r` before `\n` ends the record too; empty lines are skipped). A block with
/// another `\r` is parsed by the csv crate instead.
fn parse_block(block: &[u8], first: bool, source: &str, mut out: Parsed) -> Parsed {
    let lone_cr = memchr::memchr_iter(b'\r', block)
        .filter(|&i| block.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    let newlines = memchr::memchr_iter(b'\n', block).count() as u64 + lone_cr;
    if lone_cr > 0 {
        return parse_block_csv(block, first, source, newlines);
    }
    out.arena.clear();
    out.items.clear();
    out.items.reserve(block.len() / 32);
    out.newlines = newlines;
    out.fatal = None;
    let mut header_pending = first;
    let mut cache = DateCache::default();
    let mut start = 0usize;
    let ends = memchr::memchr_iter(b'\n', block).chain(std::iter::once(block.len()));
    for (k, end) in ends.enumerate() {
        let raw = &block[start.min(end)..end];
        start = end + 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.is_empty() {
            continue;
        }
        if !header_pending && let Some(row) = fast_hourly(line, &mut cache) {
            push_item(&mut out, Ok(row), k as u64 + 1);
            continue;
        }
        let fields = Split::new(line);
        let r = Rec {
            rec: &fields,
            line: k as u64 + 1,
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
        push_item(&mut out, r.hourly_cached(&mut cache), r.line);
    }
    if header_pending && out.fatal.is_none() {
        out.fatal = Some(super::empty_input(source));
    }
    out
}

/// Strict single-pass parse of a well-formed hourly line: `station,YYYY-MM-DD,H,v,v,v,v,v,v` where each value
/// is empty or digits with at most three decimals, and no spaces. `None` for anything else, which then goes
/// through the general path (same result for what both accept: this is only a faster route).
fn fast_hourly<'a>(line: &'a [u8], cache: &mut DateCache) -> Option<HourlyRow<'a>> {
    let c1 = line.iter().position(|&b| b == b',')?;
    let st = &line[..c1];
    if st.is_empty() || st[0] == b' ' || st[st.len() - 1] == b' ' {
        return None;
    }
    let station = std::str::from_utf8(st).ok()?;
    let rest = &line[c1 + 1..];
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
    let mut hour: u32 = 0;
    let h0 = i;
    while i < rest.len() && rest[i].is_ascii_digit() {
        hour = hour * 10 + u32::from(rest[i] - b'0');
        i += 1;
    }
    if i == h0 || i - h0 > 2 || hour > 23 || rest.get(i) != Some(&b',') {
        return None;
    }
    i += 1;
    let mut values = [None; 6];
    for (k, v) in values.iter_mut().enumerate() {
        let start = i;
        let mut int: i64 = 0;
        while i < rest.len() && rest[i].is_ascii_digit() {
            int = int * 10 + i64::from(rest[i] - b'0');
            i += 1;
        }
        let int_digits = i - start;
        if int_digits > 9 {
            return None;
        }
        let mut milli = int * 1000;
        if i < rest.len() && rest[i] == b'.' {
            i += 1;
            let f0 = i;
            let mut frac: i64 = 0;
            while i < rest.len() && rest[i].is_ascii_digit() {
                frac = frac * 10 + i64::from(rest[i] - b'0');
                i += 1;
            }
            let fd = i - f0;
            if fd > 3 || (fd == 0 && int_digits == 0) {
                return None;
            }
            milli += frac * [1000, 100, 10, 1][fd];
            *v = Some(milli);
        } else if int_digits > 0 {
            *v = Some(milli);
        }
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
        hour: hour as u8,
        values,
    })
}

fn push_item(out: &mut Parsed, parsed: Result<HourlyRow<'_>, InputError>, line: u64) {
    match parsed {
        Ok(h) => {
            let start = out.arena.len() as u32;
            out.arena.push_str(h.station);
            out.items.push(Item::Row(Row {
                station: (start, out.arena.len() as u32),
                date: h.date,
                hour: h.hour,
                values: h.values,
                line,
            }));
        }
        Err(e) => out.items.push(Item::Bad(e)),
    }
}

fn parse_block_csv(block: &[u8], first: bool, source: &str, newlines: u64) -> Parsed {
    let mut rd = csv_reader(block);
    let mut rec = csv::ByteRecord::new();
    let mut out = Parsed {
        arena: String::new(),
        items: Vec::new(),
        newlines,
        fatal: None,
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
    sink: &mut (impl FnMut(&HourlyRow<'_>) -> Result<(), OrderError> + Send),
) -> Result<IngestSummary, IngestError> {
    let src = opts.source.as_str();
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
                    if tx.send((seq, parse_block(&bytes, seq == 0, src, spare))).is_err() {
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
                            Item::Row(row) => {
                                let station = &p.arena[row.station.0 as usize..row.station.1 as usize];
                                let h = HourlyRow {
                                    station,
                                    date: row.date,
                                    hour: row.hour,
                                    values: row.values,
                                };
                                apply_hourly(Ok(h), row.line + line_base, src, opts, sum_ref, sink_inner)
                            }
                            Item::Bad(mut e) => {
                                e.line = e.line.map(|line| line + line_base);
                                apply_hourly(Err(e), 0, src, opts, sum_ref, sink_inner)
                            }
                        };
                        if let Err(e) = res {
                            stop_ref.store(true, Ordering::Relaxed);
                            return (line_base, Err(e));
                        }
                    }
                    line_base += p.newlines;
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
            let mut buf = std::mem::take(&mut carry);
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
            if buf.contains(&b'"') {
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
                    carry = buf.split_off(i + 1);
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
        super::read_hourly_seq(rest, opts, consumed, header_first, &mut sum, sink)?;
    }
    Ok(sum)
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
