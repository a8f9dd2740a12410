//! `ecociv water classify` and `ecociv water annual` on every core: the input is cut into blocks at line
//! ends, each block is read (and classified) on a worker thread, and the blocks' results are taken **in input
//! order** by one thread — classify writes each block's output bytes, annual feeds each block's samples to
//! the one annual accumulator — so the output, the first error and its line are exactly those of the
//! sequential [`classify_stream`](super::classify_stream) and [`annual`](super::annual).
//!
//! A block of plain lines (no quote, no lone CR) is read by a fast path: lines split at LF, fields at commas,
//! each record interpreted by the one sample reading [`SampleColumns::sample`]. A block where any line is not
//! plain or is refused is read again by the sequential reader over the header line followed by the block
//! (samples are independent: no state crosses a line), with block-local line numbers shifted by the line ends
//! before the block — that gives the same result or the exact error. A block is cut after its last line end
//! (LF, or a CR whose next byte is read and is not LF — the project's line-end rule, see `ecociv-csvline`)
//! only while the input holds no quote character; at the first block with `"` (quoted fields may hold line
//! ends), or a header the fast path does not recognise, the rest of the input goes through the sequential
//! reader, in order, after the blocks before it. Memory is bounded: at most `4 × workers` blocks are read but
//! not yet taken.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use super::{
    AnnualAcc, AnnualRow, CLASSIFY_HEADER, IngestError, SampleColumns, SampleReader, SampleRef, StreamError,
    class_fields, class_item_list, classified_row, write_classified,
};
use crate::evaluation2011::Thresholds;
use crate::gb3838::{ITEM_COUNT, Item, Table, Values, WaterClass, Waterbody};

/// Block size of the parallel classifier.
pub const BLOCK: usize = 1 << 20;

/// Classifying threads: the machine's parallelism (at least 1, at most 16).
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 16))
}

/// Where a block may be cut: just after its last complete line end (a LF, or a CR whose next byte is in the
/// buffer and is not a LF — a CR at the very end may be the first half of a CRLF).
fn last_line_end(buf: &[u8]) -> Option<usize> {
    let lf = memchr::memrchr(b'\n', buf);
    let cr = memchr::memrchr_iter(b'\r', buf).find(|&i| i + 1 < buf.len() && buf[i + 1] != b'\n');
    lf.max(cr)
}

/// The first line end: the index of its last byte (LF, the LF of a CRLF, or a lone CR) — `None` when the
/// buffer ends before it is known.
fn first_line_end(buf: &[u8]) -> Option<usize> {
    let i = memchr::memchr2(b'\n', b'\r', buf)?;
    match (buf[i], buf.get(i + 1)) {
        (b'\n', _) => Some(i),
        (b'\r', Some(b'\n')) => Some(i + 1),
        (b'\r', Some(_)) => Some(i),
        _ => None,
    }
}

/// Line ends in a block that ends on a line end (LF, CRLF and lone CR each once).
fn line_ends(block: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', block).count();
    let lone_cr = memchr::memchr_iter(b'\r', block)
        .filter(|&i| block.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
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

/// A block to read: (sequence number, its first line, whether it holds a CR, bytes).
type Job = (u64, u64, bool, Vec<u8>);

/// Shifts a block-local error line (the block read after the header line) to the input's line.
fn shift(mut e: IngestError, first_line: u64) -> IngestError {
    e.line = e.line.map(|line| if line >= 2 { line - 2 + first_line } else { line });
    e
}

/// Walks the plain lines of a quote-free block (its first line is line `first_line`): lines split at LF (a CR
/// before it dropped), fields at commas — the csv crate's reading of such lines — blank lines skipped, each
/// other line read by [`SampleColumns::sample`] and handed to `each`. `None` when the block has a lone CR, or
/// a line is refused or has another field count than the header: the caller then reads the block with the
/// csv reader, which gives the same samples or the exact error. `cr`: the block may hold a CR (when false,
/// the reader's search found none, and lone CRs are not looked for).
fn plain_samples<'b>(
    cols: &SampleColumns,
    block: &'b [u8],
    first_line: u64,
    cr: bool,
    mut each: impl FnMut(&SampleRef<'_>),
) -> Option<()> {
    if cr && memchr::memchr_iter(b'\r', block).any(|i| block.get(i + 1) != Some(&b'\n')) {
        return None;
    }
    let width = cols.names.len();
    let mut fields: Vec<&'b [u8]> = Vec::with_capacity(width + 1);
    // Lines found by the vectorised search for LF; inside a line, one pass splits at commas (fields are a
    // few bytes long, too short for a vectorised search per field to pay). A last line without its line end
    // ends at the block's end.
    // A block of UTF-8 text (every block but one with a refused or ignored field in another encoding) is
    // checked once, so that a line's texts need no check of their own.
    let text = std::str::from_utf8(block).ok();
    let mut k = 0u64;
    let mut line_start = 0usize;
    let n = block.len();
    let mut sample = SampleRef::blank();
    while line_start < n {
        // The one-pass reading finds the line's end itself; another line is cut at its LF (a CR before it
        // dropped) and read field by field.
        let one_pass = text
            .and_then(|t| t.get(line_start..))
            .and_then(|rest| cols.plain_sample_into(rest, first_line + k, &mut sample));
        if let Some(len) = one_pass {
            each(&sample);
            let end = line_start + len;
            line_start = end + if block.get(end) == Some(&b'\r') { 2 } else { 1 };
            k += 1;
            continue;
        }
        let lf = memchr::memchr(b'\n', &block[line_start..]).map_or(n, |i| line_start + i);
        let end = if lf > line_start && block[lf - 1] == b'\r' {
            lf - 1
        } else {
            lf
        };
        let line = &block[line_start..end];
        let last = split_commas(line, &mut fields);
        plain_line(
            cols,
            &mut fields,
            last,
            !line.is_empty(),
            width,
            first_line + k,
            &mut each,
        )?;
        k += 1;
        line_start = lf + 1;
    }
    Some(())
}

/// Pushes the fields of `line` before its last comma to `fields` and returns the last field. Eight bytes at a
/// time: the commas of a word are found at once (a byte equal to `,` is a zero byte of `word ^ ",,,,,,,,"`,
/// found exactly — no carry crosses a byte), then taken lowest first; the bytes after the last whole word one
/// by one.
#[inline]
fn split_commas<'b>(line: &'b [u8], fields: &mut Vec<&'b [u8]>) -> &'b [u8] {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COMMAS: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    let mut start = 0usize;
    let mut base = 0usize;
    let mut words = line.chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes) ^ COMMAS;
        // The high bit of each byte that is zero in x (a comma in the line), and of no other byte.
        let mut commas = !(((x & LOW7) + LOW7) | x) & !LOW7;
        while commas != 0 {
            let i = base + (commas.trailing_zeros() / 8) as usize;
            fields.push(&line[start..i]);
            start = i + 1;
            commas &= commas - 1;
        }
        base += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        if b == b',' {
            fields.push(&line[start..base + k]);
            start = base + k + 1;
        }
    }
    &line[start..]
}

/// Ends a line of [`plain_samples`] whose fields before the last are in `fields`: skipped when blank, else
/// handed to `each` as a sample (`None` when refused or not `width` fields wide). `nonempty`: the line (its
/// line end and a CR before it excluded) has any byte.
#[inline]
fn plain_line<'b>(
    cols: &SampleColumns,
    fields: &mut Vec<&'b [u8]>,
    last: &'b [u8],
    nonempty: bool,
    width: usize,
    line: u64,
    each: &mut impl FnMut(&SampleRef<'_>),
) -> Option<()> {
    if !nonempty {
        fields.clear();
        return Some(());
    }
    fields.push(last);
    if fields.iter().all(|f| f.trim_ascii().is_empty()) {
        fields.clear();
        return Some(());
    }
    if fields.len() != width {
        return None;
    }
    match cols.sample(&fields[..], line) {
        Ok(sample) => each(&sample),
        Err(_) => return None,
    }
    fields.clear();
    Some(())
}

/// Output buffers written out and free for the next blocks (no fresh pages for every block).
type Spare = Mutex<Vec<Vec<u8>>>;

/// One classified block: its output bytes and samples, or the first error (line already shifted).
type Classified = Result<(Vec<u8>, u64), StreamError>;

/// A short text of at most `N` bytes in a word of `N` bytes (zeros after it): appended to a row by one copy of
/// a fixed size, the length then cut back, instead of byte by byte.
#[derive(Clone, Copy)]
struct Part<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Part<N> {
    /// The texts one after the other as one part; `None` when they do not fit.
    fn new(texts: &[&str]) -> Option<Self> {
        let mut bytes = [0u8; N];
        let mut len = 0;
        for t in texts {
            bytes.get_mut(len..len + t.len())?.copy_from_slice(t.as_bytes());
            len += t.len();
        }
        Some(Self { bytes, len })
    }

    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bytes);
        out.truncate(out.len() - (N - self.len));
    }
}

/// The fixed parts of a classified row, encoded once from [`class_fields`] and the item codes: for each class
/// (and none) `class,status,`, for each item `code;`.
struct RowParts {
    class: [Part<32>; WaterClass::ALL.len() + 1],
    items: [Part<16>; ITEM_COUNT],
}

impl RowParts {
    /// `None` when a part does not fit its word (the rows are then written by the csv writer).
    fn new() -> Option<Self> {
        let class = |k: usize| {
            let (class, status) = class_fields(WaterClass::ALL.get(k).copied());
            Part::new(&[class, ",", status, ","])
        };
        let mut parts = RowParts {
            class: [Part { bytes: [0; 32], len: 0 }; WaterClass::ALL.len() + 1],
            items: [Part { bytes: [0; 16], len: 0 }; ITEM_COUNT],
        };
        for (k, p) in parts.class.iter_mut().enumerate() {
            *p = class(k)?;
        }
        for (item, p) in Item::ALL.iter().zip(parts.items.iter_mut()) {
            *p = Part::new(&[item.code(), ";"])?;
        }
        Some(parts)
    }

    /// Appends the row of `sample`: `section,date,class,status,class_items` and a LF.
    #[inline]
    fn put(&self, out: &mut Vec<u8>, table: &Table, sample: &SampleRef<'_>) {
        let row = classified_row(table, sample);
        out.extend_from_slice(row.section.as_bytes());
        out.push(b',');
        out.extend_from_slice(row.date.as_bytes());
        out.push(b',');
        let class = row.class.map_or(WaterClass::ALL.len(), WaterClass::index);
        self.class[class.min(WaterClass::ALL.len())].put(out);
        for item in class_item_list(row.items) {
            self.items[item.index()].put(out);
        }
        // The last item's `;` becomes the line end.
        match out.last_mut() {
            Some(b) if row.items != 0 => *b = b'\n',
            _ => out.push(b'\n'),
        }
    }
}

/// Classifies `block` (whole lines; its first line is line `first_line` of the input) after `header`: by the
/// fast path when every line is plain (fields written with commas: no field of a quote-free line needs
/// quotes), else by the sequential reader (the exact output or error).
fn classify_block(
    cx: &Context<'_>,
    block: &[u8],
    (first_line, cr): (u64, bool),
    table: &Table,
    spare: &Spare,
) -> Classified {
    let mut out = spare.lock().ok().and_then(|mut b| b.pop()).unwrap_or_default();
    out.clear();
    out.reserve(block.len() / 2);
    let mut n = 0u64;
    let plain = cx.parts.as_ref().and_then(|parts| {
        plain_samples(cx.cols, block, first_line, cr, |sample| {
            parts.put(&mut out, table, sample);
            n += 1;
        })
    });
    if plain.is_some() {
        return Ok((out, n));
    }
    out.clear();
    let mut reader =
        SampleReader::new(io::Cursor::new(cx.header).chain(block), cx.thresholds).map_err(|e| shift(e, first_line))?;
    let mut out = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(out);
    let n = match write_classified(&mut reader, &mut out, table) {
        Ok(n) => n,
        Err(StreamError::Input(e)) => return Err(StreamError::Input(shift(e, first_line))),
        Err(e) => return Err(e),
    };
    let bytes = out.into_inner().map_err(|e| StreamError::Output(e.into_error()))?;
    Ok((bytes, n))
}

/// Classifies every sample like [`classify_stream`](super::classify_stream), on `workers` threads with
/// blocks of `block` bytes; the output (same bytes), the count and the first error are the sequential
/// reader's.
pub fn classify_parallel<R: Read, W: Write + Send>(
    mut input: R,
    output: W,
    table: &Table,
    thresholds: &Thresholds,
    workers: usize,
    block: usize,
) -> Result<u64, StreamError> {
    let (header, carry, ended) = match read_header(&mut input, block.max(64))? {
        Start::Sequential(head) => {
            // Quotes or blank lines before the header, or no line end: the sequential reader, as it is.
            return super::classify_stream(io::Cursor::new(head).chain(input), output, table, thresholds);
        }
        Start::Header { header, carry, ended } => (header, carry, ended),
    };
    let cols = SampleReader::new(&header[..], thresholds)?.columns().clone();
    let cx = Context {
        header: &header,
        cols: &cols,
        thresholds,
        parts: RowParts::new(),
    };
    let mut out = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(output);
    out.write_record(CLASSIFY_HEADER)?;
    out.flush()?;
    let mut sink = out.into_inner().map_err(|e| StreamError::Output(e.into_error()))?;
    let mut n = 0u64;
    let spare: Spare = Mutex::new(Vec::new());
    let tail = in_blocks(
        &mut input,
        carry,
        ended,
        workers,
        block,
        |bytes, at| classify_block(&cx, bytes, at, table, &spare),
        |done: Classified| {
            let (bytes, k) = done?;
            sink.write_all(&bytes)?;
            n += k;
            if let Ok(mut spare) = spare.lock()
                && spare.len() < workers.max(1) * 4
            {
                spare.push(bytes);
            }
            Ok(())
        },
    )?;
    if let Some((rest, first_line)) = tail {
        // Quotes seen: the rest, sequentially, with lines numbered from where it starts.
        let mut reader = SampleReader::new(
            io::Cursor::new(&header[..]).chain(io::Cursor::new(rest)).chain(input),
            thresholds,
        )?;
        let mut out = csv::WriterBuilder::new()
            .buffer_capacity(1 << 16)
            .from_writer(&mut sink);
        n += match write_classified(&mut reader, &mut out, table) {
            Ok(k) => k,
            Err(StreamError::Input(e)) => return Err(StreamError::Input(shift(e, first_line))),
            Err(e) => return Err(e),
        };
        out.flush()?;
    }
    sink.flush()?;
    Ok(n)
}

/// One block's samples for the annual evaluation: their texts in one arena, then the first error of the
/// block (line already shifted), after the samples before it.
struct SampleBlock {
    arena: String,
    /// The values given, of every sample in turn (a sample's `present` bits say whose).
    values: Vec<f64>,
    samples: Vec<BlockSample>,
    error: Option<IngestError>,
}

/// A sample whose section and date live in its block's arena, and whose values given (a few of the 23, in
/// item order) are in the block's `values` from `first_value` on — ~60 bytes a sample and 8 a value given,
/// rather than the 368 of all 23 items, for the blocks held between the readers and the accumulator.
struct BlockSample {
    line: u64,
    section: std::ops::Range<u32>,
    date_end: u32,
    first_value: u32,
    present: u32,
    year: i32,
    waterbody: Waterbody,
}

impl SampleBlock {
    fn push(&mut self, s: &SampleRef<'_>) {
        // A block's texts and values are fewer than its bytes (under 4 GiB: see `annual_parallel`).
        let at = self.arena.len() as u32;
        self.arena.push_str(s.section);
        let mid = self.arena.len() as u32;
        self.arena.push_str(s.date);
        let first_value = self.values.len() as u32;
        let mut present = 0u32;
        for (k, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                present |= 1 << k;
                self.values.push(*v);
            }
        }
        self.samples.push(BlockSample {
            line: s.line,
            section: at..mid,
            date_end: self.arena.len() as u32,
            first_value,
            present,
            year: s.year,
            waterbody: s.waterbody,
        });
    }

    fn sample(&self, b: &BlockSample) -> SampleRef<'_> {
        let mut values: Values = [None; ITEM_COUNT];
        let mut next = b.first_value as usize;
        for (k, v) in values.iter_mut().enumerate() {
            if b.present >> k & 1 == 1 {
                *v = self.values.get(next).copied();
                next += 1;
            }
        }
        SampleRef {
            line: b.line,
            section: &self.arena[b.section.start as usize..b.section.end as usize],
            date: &self.arena[b.section.end as usize..b.date_end as usize],
            year: b.year,
            waterbody: b.waterbody,
            values,
        }
    }
}

/// Reads the samples of `block` (the fast path, else the sequential reader: the same samples, and the exact
/// first error after the samples before it).
fn read_block(cx: &Context<'_>, block: &[u8], (first_line, cr): (u64, bool)) -> SampleBlock {
    let mut out = SampleBlock {
        arena: String::with_capacity(block.len() / 4),
        values: Vec::with_capacity(block.len() / 16),
        samples: Vec::with_capacity(block.len() / 64),
        error: None,
    };
    if plain_samples(cx.cols, block, first_line, cr, |s| out.push(s)).is_some() {
        return out;
    }
    out.arena.clear();
    out.values.clear();
    out.samples.clear();
    let mut reader = match SampleReader::new(io::Cursor::new(cx.header).chain(block), cx.thresholds) {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(shift(e, first_line));
            return out;
        }
    };
    loop {
        match reader.next_sample() {
            Ok(Some(s)) => out.push(&SampleRef {
                line: s.line - 2 + first_line,
                ..s
            }),
            Ok(None) => return out,
            Err(e) => {
                out.error = Some(shift(e, first_line));
                return out;
            }
        }
    }
}

/// `ecociv water annual` on `workers` threads with blocks of `block` bytes: the samples are read in parallel
/// and fed to the one annual accumulator in input order, so the rows and the first error are those of
/// [`annual`](super::annual).
pub fn annual_parallel<R: Read>(
    mut input: R,
    table: &Table,
    thresholds: &Thresholds,
    workers: usize,
    block: usize,
) -> Result<Vec<AnnualRow>, StreamError> {
    let (header, carry, ended) = match read_header(&mut input, block.max(64))? {
        Start::Sequential(head) => {
            return Ok(super::annual(io::Cursor::new(head).chain(input), table, thresholds)?);
        }
        Start::Header { header, carry, ended } => (header, carry, ended),
    };
    let cols = SampleReader::new(&header[..], thresholds)?.columns().clone();
    let cx = Context {
        header: &header,
        cols: &cols,
        thresholds,
        parts: None,
    };
    let mut acc = AnnualAcc::new(&cols);
    // A block's buffer is at most 17 blocks long (a line over 16 goes to the sequential reader): with blocks of
    // at most 64 MiB, its samples' offsets fit the u32 of `BlockSample`.
    let block = block.min(1 << 26);
    let tail = in_blocks(
        &mut input,
        carry,
        ended,
        workers,
        block,
        |bytes, at| read_block(&cx, bytes, at),
        |b: SampleBlock| {
            for s in &b.samples {
                acc.add(&b.sample(s))?;
            }
            b.error.map_or(Ok(()), |e| Err(e.into()))
        },
    )?;
    if let Some((rest, first_line)) = tail {
        let mut reader = SampleReader::new(
            io::Cursor::new(&header[..]).chain(io::Cursor::new(rest)).chain(input),
            thresholds,
        )?;
        loop {
            match reader.next_sample() {
                Ok(Some(s)) => acc.add(&SampleRef {
                    line: s.line - 2 + first_line,
                    ..s
                })?,
                Ok(None) => break,
                Err(e) => return Err(shift(e, first_line).into()),
            }
        }
    }
    Ok(acc.finish(table))
}

/// What a block's worker needs besides the block: the header line (for the sequential reader) and the
/// columns it names.
struct Context<'a> {
    header: &'a [u8],
    cols: &'a SampleColumns,
    thresholds: &'a Thresholds,
    /// The classifier's row parts (`None` for the annual reading, or when a part does not fit).
    parts: Option<RowParts>,
}

/// How the input starts: a header line the blocks can follow, or anything else (read sequentially).
enum Start {
    /// The bytes read so far, to be read again before the rest by the sequential reader.
    Sequential(Vec<u8>),
    /// The header line, the bytes read after it, and whether the input ended.
    Header {
        header: Vec<u8>,
        carry: Vec<u8>,
        ended: bool,
    },
}

fn read_header<R: Read>(input: &mut R, block: usize) -> Result<Start, StreamError> {
    let mut buf = Vec::new();
    let mut ended = fill(input, &mut buf, block)?;
    loop {
        match first_line_end(&buf) {
            Some(i) if !buf[..i].contains(&b'"') && !matches!(buf.first(), Some(b'\n' | b'\r')) => {
                let carry = buf.split_off(i + 1);
                return Ok(Start::Header {
                    header: buf,
                    carry,
                    ended,
                });
            }
            Some(_) => return Ok(Start::Sequential(buf)),
            None if ended || buf.len() > 16 * block => return Ok(Start::Sequential(buf)),
            None => {
                let target = buf.len() + block;
                ended = fill(input, &mut buf, target)?;
            }
        }
    }
}

/// The ordered block pipeline: cuts the input after the header (`carry` read already) into blocks of about
/// `block` bytes at line ends, runs `work` on each (block, (its first line, whether it holds a CR)) on
/// `workers` threads, and hands the results to `take` **in input order** on one thread; the first error `take`
/// returns stops everything and is returned. At the first block with a quote character (or a line longer than 16 blocks) it stops cutting and
/// returns that rest with its first line, for the caller's sequential reader.
fn in_blocks<R: Read, T: Send>(
    input: &mut R,
    carry: Vec<u8>,
    ended: bool,
    workers: usize,
    block: usize,
    work: impl Fn(&[u8], (u64, bool)) -> T + Sync,
    mut take: impl FnMut(T) -> Result<(), StreamError> + Send,
) -> Result<Option<(Vec<u8>, u64)>, StreamError> {
    let workers = workers.max(1);
    let block = block.max(64);
    let stop = AtomicBool::new(false);
    let (work_tx, work_rx) = sync_channel::<Job>(workers);
    let work_rx: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<(u64, Option<T>)>(workers * 2);
    // One ticket per block read and not yet taken: bounds memory whatever the workers' order.
    let (ticket_tx, ticket_rx) = sync_channel::<()>(workers * 4);
    // Block buffers the workers are done with, reused by the reader: no fresh pages for every block (an
    // allocator that hands freed memory back to the system would fault and clear them again).
    let spare: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let (stop_ref, work_ref, spare_ref) = (&stop, &work, &spare);
    std::thread::scope(|s| {
        for _ in 0..workers {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            s.spawn(move || {
                loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, first_line, cr, bytes)) = job else { return };
                    let done = (!stop_ref.load(Ordering::Relaxed)).then(|| work_ref(&bytes, (first_line, cr)));
                    if let Ok(mut spare) = spare_ref.lock()
                        && spare.len() < workers * 4
                    {
                        spare.push(bytes);
                    }
                    if tx.send((seq, done)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        drop(work_rx);
        // Taker: the blocks' results in input order; the first error (in input order) stops everything.
        let taker = s.spawn(move || -> Result<(), StreamError> {
            let mut pending: BTreeMap<u64, Option<T>> = BTreeMap::new();
            let mut next = 0u64;
            for (seq, done) in done_rx {
                pending.insert(seq, done);
                while let Some(done) = pending.remove(&next) {
                    next += 1;
                    let _ = ticket_rx.recv();
                    if let Err(e) = done.map_or(Ok(()), &mut take) {
                        stop_ref.store(true, Ordering::Relaxed);
                        // Release the reader if it waits for a ticket.
                        while ticket_rx.try_recv().is_ok() {}
                        drop(ticket_rx);
                        return Err(e);
                    }
                }
            }
            Ok(())
        });
        // Reader (this thread): cut blocks at the last line end while no quote was seen.
        let mut seq = 0u64;
        let mut line = 2u64;
        let mut carry = carry;
        let mut tail: Option<(Vec<u8>, u64)> = None;
        let mut read_error = None;
        let mut target = block;
        let mut ended = ended;
        while !stop.load(Ordering::Relaxed) {
            let mut buf = spare.lock().ok().and_then(|mut b| b.pop()).unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(&carry);
            carry.clear();
            if !ended {
                match fill(input, &mut buf, target) {
                    Ok(e) => ended = e,
                    Err(e) => {
                        read_error = Some(StreamError::Output(e));
                        break;
                    }
                }
            }
            // One search for the two rare bytes: a quote sends the rest to the sequential reader; a block with
            // no CR (nearly every block) is cut at its last LF, its lines are its LFs, and its worker looks
            // for no lone CR.
            let cr = match memchr::memchr2(b'"', b'\r', &buf) {
                None => false,
                Some(i) if buf[i] == b'"' || memchr::memchr(b'"', &buf[i..]).is_some() => {
                    tail = Some((buf, line));
                    break;
                }
                Some(_) => true,
            };
            let cut = if ended {
                Some(buf.len())
            } else if cr {
                last_line_end(&buf).map(|i| i + 1)
            } else {
                memchr::memrchr(b'\n', &buf).map(|i| i + 1)
            };
            match cut {
                Some(0) => break,
                Some(i) => {
                    carry.clear();
                    carry.extend_from_slice(&buf[i..]);
                    buf.truncate(i);
                    let lines = if cr {
                        line_ends(&buf)
                    } else {
                        memchr::memchr_iter(b'\n', &buf).count() as u64
                    };
                    if ticket_tx.send(()).is_err() || work_tx.send((seq, line, cr, buf)).is_err() {
                        break;
                    }
                    seq += 1;
                    line += lines;
                    target = block;
                    if ended && carry.is_empty() {
                        break;
                    }
                }
                // No line end in 16 blocks: the sequential reader takes over (and refuses a record over its limit).
                None if buf.len() > 16 * block => {
                    tail = Some((buf, line));
                    break;
                }
                // A line longer than the block: read a block more.
                None => {
                    target = buf.len() + block;
                    carry = buf;
                }
            }
        }
        drop(work_tx);
        drop(ticket_tx);
        let taken = match taker.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match (taken, read_error) {
            (Err(e), _) | (Ok(()), Some(e)) => Err(e),
            (Ok(()), None) => Ok(tail),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{RowParts, split_commas};
    use crate::evaluation2011::Thresholds;
    use crate::gb3838::{ITEM_COUNT, Table, Waterbody};
    use crate::ingest::{SampleReader, SampleRef};

    #[test]
    fn the_fast_writer_has_every_part_and_writes_the_row() {
        // Every class's `class,status,` and every item's `code;` fit their words (else every block would go
        // through the csv writer: right, but slow), and a row comes out whole.
        let parts = RowParts::new().expect("every row part fits");
        let mut values = [None; ITEM_COUNT];
        values[3] = Some(60.0); // COD: worse than V in a river
        values[6] = Some(0.5); // TP: worse than V in a river
        values[0] = Some(7.0);
        let sample = SampleRef {
            line: 2,
            section: "=S1",
            date: "2024-01-05",
            year: 2024,
            waterbody: Waterbody::River,
            values,
        };
        let mut out = Vec::new();
        parts.put(&mut out, Table::embedded(), &sample);
        let none = SampleRef {
            values: [None; ITEM_COUNT],
            ..sample.clone()
        };
        parts.put(&mut out, Table::embedded(), &none);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "'=S1,2024-01-05,劣V,重度污染,cod;tp\n'=S1,2024-01-05,,未评价,\n"
        );
    }

    #[test]
    fn the_one_pass_reading_of_a_line_is_the_sample_reading_or_declines() {
        // Each field of a sample line written in every tricky way; every line of each field's variants (the
        // others plain) read both ways: the one-pass reading either gives exactly the sample the field
        // reading gives, or declines — never a different sample, never a sample where the other refuses.
        let header = "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc,note\n";
        let reader = SampleReader::new(header.as_bytes(), Thresholds::embedded()).unwrap();
        let cols = reader.columns();
        let plain: Vec<String> = "S1,2024-01-05,river,7.5,8,2.1,10,2,0.1,0.02,1.1,,,,,,,,,,,,,,,,x"
            .split(',')
            .map(String::from)
            .collect();
        let variants: [(usize, &[&str]); 7] = [
            (
                0,
                &[
                    " S1",
                    "S1 ",
                    "S\t1",
                    "\tS1",
                    "S1\u{0B}",
                    "",
                    " ",
                    "=S1",
                    "断面1",
                    " 断面1",
                    "断面\u{85}1",
                    "S 1",
                    "-",
                ],
            ),
            (
                1,
                &[
                    "2024-02-30",
                    "2024-02-29",
                    "2023-02-29",
                    "2024/01/05",
                    "2024-1-5",
                    " 2024-01-05",
                    "2024-01-05 08:00",
                    "2024-13-01",
                    "1899-12-31",
                    "2024-0a-01",
                    "2024-01-0\u{1}",
                    "2024-01-05\t",
                    "2024-01-28",
                ],
            ),
            (2, &["River", " river", "lake", "lake ", "sea", ""]),
            (
                3,
                &[
                    "14",
                    "14.0",
                    "14.000001",
                    "15",
                    "0",
                    "-1",
                    "+7",
                    "7.",
                    ".5",
                    ".",
                    "1e1",
                    "7..1",
                    "7.5L",
                    " 7.5",
                    "nan",
                ],
            ),
            (
                4,
                &[
                    "1000000000",
                    "1000000000.0",
                    "1000000000.1",
                    "9007199254740992",
                    "9007199254740993",
                    "0000000000000000001.5",
                    "000000000000000001.5",
                    "12345678901234567890",
                    "0.00004L",
                    "-0",
                    "0.1e-2",
                ],
            ),
            (25, &["123456789", "0", "", "1,2"]),
            (26, &["", "a,b", "\"q\""]),
        ];
        let mut tried = 0;
        for (col, texts) in variants {
            for text in texts {
                let mut fields = plain.clone();
                fields[col] = (*text).to_owned();
                let line = fields.join(",");
                let bytes = line.as_bytes();
                let mut split = Vec::new();
                let last = split_commas(bytes, &mut split);
                split.push(last);
                let by_fields = cols.sample(&split[..], 9);
                match cols.plain_sample(&line, 9) {
                    Some((one_pass, len)) => {
                        assert_eq!(by_fields.as_ref().ok(), Some(&one_pass), "{line}");
                        assert_eq!(len, line.len(), "{line}");
                        // The same line followed by its line end, and by another line.
                        for end in ["\n", "\r\n", "\nS2,x"] {
                            let more = format!("{line}{end}");
                            let (again, at) = cols.plain_sample(&more, 9).unwrap();
                            assert_eq!((&again, at), (&one_pass, len), "{more:?}");
                        }
                    }
                    None => tried += 1,
                }
            }
        }
        assert!(tried > 20, "the tricky fields must be declined, not all taken");
        // The plain line itself is taken.
        assert!(cols.plain_sample(&plain.join(","), 9).is_some());
    }

    #[test]
    fn split_commas_equals_the_plain_split_at_every_position() {
        // Lines of 0–40 bytes over an alphabet with commas, bytes with the high bit set and bytes next to `,`
        // in value (`+`, `-`), so that a comma falls at every position of a word and beyond the last one.
        let alphabet = [b',', b'+', b'-', b'1', b'.', 0xac, 0x2c ^ 0x80, b' '];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..=40usize {
            for _ in 0..200 {
                let line: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                let mut fields = Vec::new();
                let last = split_commas(&line, &mut fields);
                fields.push(last);
                let expected: Vec<&[u8]> = line.split(|&b| b == b',').collect();
                assert_eq!(fields, expected, "{line:?}");
            }
        }
    }
}
