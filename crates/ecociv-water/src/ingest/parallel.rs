//! `ecociv water classify` on every core: the input is cut into blocks at line ends, each block is read and
//! classified on a worker thread into its own output bytes, and the blocks' output is written **in input
//! order** by one thread — the output, the first error and its line are exactly those of the sequential
//! [`classify_stream`](super::classify_stream).
//!
//! Each worker runs the sequential reader over the header line followed by its block (samples are
//! classified independently: no state crosses a line), and block-local line numbers are shifted by the line
//! ends before the block. A block is cut after its last line end (LF, or a CR whose next byte is read and is
//! not LF — the project's line-end rule, see `ecociv-csvline`) only while the input holds no quote character;
//! at the first block with `"` (quoted fields may hold line ends), or a header the fast path does not
//! recognise, the rest of the input goes through the sequential reader, in order, after the blocks before it.
//! Memory is bounded: at most `4 × workers` blocks are read but not yet written.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use super::{CLASSIFY_HEADER, IngestError, SampleReader, StreamError, write_classified};
use crate::evaluation2011::Thresholds;
use crate::gb3838::Table;

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
    let mut tmp = vec![0u8; 1 << 16];
    while buf.len() < target {
        let n = match r.read(&mut tmp) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(true);
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    Ok(false)
}

/// A block to classify: (sequence number, its first line, bytes).
type Job = (u64, u64, Vec<u8>);

/// One block's result: its output bytes and samples, or the first error (line already shifted).
type Done = Result<(Vec<u8>, u64), StreamError>;

/// Classifies `block` (whole lines; its first line is line `first_line` of the input) after `header`.
fn classify_block(header: &[u8], block: &[u8], first_line: u64, table: &Table, thresholds: &Thresholds) -> Done {
    let shift = |mut e: IngestError| {
        e.line = e.line.map(|line| if line >= 2 { line - 2 + first_line } else { line });
        e
    };
    let mut reader = SampleReader::new(io::Cursor::new(header).chain(block), thresholds).map_err(shift)?;
    let mut out = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(Vec::with_capacity(block.len() / 4));
    let n = match write_classified(&mut reader, &mut out, table) {
        Ok(n) => n,
        Err(StreamError::Input(e)) => return Err(StreamError::Input(shift(e))),
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
    let workers = workers.max(1);
    let block = block.max(64);
    // The header line, read on this thread and checked by the sequential reader (same errors).
    let mut buf = Vec::new();
    let mut ended = fill(&mut input, &mut buf, block)?;
    let header_end = loop {
        match first_line_end(&buf) {
            Some(i) if !buf[..i].contains(&b'"') && !matches!(buf.first(), Some(b'\n' | b'\r')) => break Some(i),
            Some(_) => break None,
            None if ended || buf.len() > 16 * block => break None,
            None => {
                let target = buf.len() + block;
                ended = fill(&mut input, &mut buf, target)?;
            }
        }
    };
    let Some(header_end) = header_end else {
        // Quotes or blank lines before the header, or no line end: the sequential reader, as it is.
        return super::classify_stream(io::Cursor::new(buf).chain(input), output, table, thresholds);
    };
    let header = buf[..=header_end].to_vec();
    SampleReader::new(&header[..], thresholds)?;
    let carry = buf.split_off(header_end + 1);

    let mut out = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(output);
    out.write_record(CLASSIFY_HEADER)?;
    out.flush()?;
    let mut sink = out.into_inner().map_err(|e| StreamError::Output(e.into_error()))?;

    let stop = AtomicBool::new(false);
    let (work_tx, work_rx) = sync_channel::<Job>(workers);
    let work_rx: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<(u64, Done)>(workers * 2);
    // One ticket per block read and not yet written: bounds memory whatever the workers' order.
    let (ticket_tx, ticket_rx) = sync_channel::<()>(workers * 4);
    let header_ref = &header[..];
    let stop_ref = &stop;
    let sink_ref = &mut sink;

    let (written, tail, first_error) = std::thread::scope(|s| {
        for _ in 0..workers {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            s.spawn(move || {
                loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, first_line, bytes)) = job else { return };
                    let done = if stop_ref.load(Ordering::Relaxed) {
                        Ok((Vec::new(), 0))
                    } else {
                        classify_block(header_ref, &bytes, first_line, table, thresholds)
                    };
                    if tx.send((seq, done)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        drop(work_rx);
        // Writer: the blocks' output in input order; the first error (in input order) stops everything.
        let writer = s.spawn(move || -> (u64, Result<(), StreamError>) {
            let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
            let mut next = 0u64;
            let mut samples = 0u64;
            for (seq, done) in done_rx {
                pending.insert(seq, done);
                while let Some(done) = pending.remove(&next) {
                    next += 1;
                    let _ = ticket_rx.recv();
                    match done.and_then(|(bytes, n)| sink_ref.write_all(&bytes).map(|()| n).map_err(Into::into)) {
                        Ok(n) => samples += n,
                        Err(e) => {
                            stop_ref.store(true, Ordering::Relaxed);
                            // Release the reader if it waits for a ticket.
                            while ticket_rx.try_recv().is_ok() {}
                            drop(ticket_rx);
                            return (samples, Err(e));
                        }
                    }
                }
            }
            (samples, Ok(()))
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
            let mut buf = std::mem::take(&mut carry);
            if !ended {
                match fill(&mut input, &mut buf, target) {
                    Ok(e) => ended = e,
                    Err(e) => {
                        read_error = Some(StreamError::Output(e));
                        break;
                    }
                }
            }
            if buf.contains(&b'"') {
                tail = Some((buf, line));
                break;
            }
            let cut = if ended {
                Some(buf.len())
            } else {
                last_line_end(&buf).map(|i| i + 1)
            };
            match cut {
                Some(0) => break,
                Some(i) => {
                    carry = buf.split_off(i);
                    let lines = line_ends(&buf);
                    if ticket_tx.send(()).is_err() || work_tx.send((seq, line, buf)).is_err() {
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
        let (written, result) = match writer.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (written, tail, result.err().or(read_error))
    });
    if let Some(e) = first_error {
        return Err(e);
    }
    let mut n = written;
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
            Err(StreamError::Input(mut e)) => {
                e.line = e.line.map(|line| if line >= 2 { line - 2 + first_line } else { line });
                return Err(StreamError::Input(e));
            }
            Err(e) => return Err(e),
        };
        out.flush()?;
    }
    sink.flush()?;
    Ok(n)
}
