//! The machine's CSV parse floor for a file (issue 19's "within 3× of the CSV parse limit"): the least work any
//! CSV reader of a quote-free file must do, on every core, with nothing else — no number parsing, no checks,
//! no output. Standard library only; built by the benchmark scripts with `rustc -O`.
//!
//! What it does: the main thread reads the file with `read(2)` into 1 MiB blocks cut after their last LF (the
//! rest carried into the next block; buffers reused), exactly as `ecociv`'s readers do; `THREADS` worker
//! threads (default: every core) split each block into lines at LF and each line into fields at commas,
//! handing every field out as a slice (a reused vector of the line's fields), and fold each field's length and
//! first byte into a checksum so that no work can be optimised away. It prints the lines, the fields and the
//! checksum. It does not handle quotes (the benchmark files have none) and assumes LF or CRLF line ends.
//!
//! usage: parse_floor FILE [THREADS]

use std::fs::File;
use std::io::Read;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};

const BLOCK: usize = 1 << 20;

/// (lines, fields, checksum) of whole lines.
fn split(block: &[u8], fields: &mut Vec<(usize, usize)>) -> (u64, u64, u64) {
    let (mut lines, mut n, mut sum) = (0u64, 0u64, 0u64);
    let mut start = 0usize;
    let mut field = 0usize;
    for (i, &b) in block.iter().enumerate() {
        if b == b',' {
            fields.push((field, i));
            field = i + 1;
        } else if b == b'\n' {
            let end = if i > start && block[i - 1] == b'\r' { i - 1 } else { i };
            fields.push((field.min(end), end));
            lines += 1;
            n += fields.len() as u64;
            for &(a, z) in fields.iter() {
                let f = &block[a..z];
                sum = sum
                    .wrapping_mul(31)
                    .wrapping_add(f.len() as u64)
                    .wrapping_add(u64::from(f.first().copied().unwrap_or(0)));
            }
            fields.clear();
            start = i + 1;
            field = i + 1;
        }
    }
    (lines, n, sum)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: parse_floor FILE [THREADS]");
        std::process::exit(2);
    };
    let threads: usize = args
        .get(2)
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut file = File::open(path).expect("open");
    let (tx, rx) = sync_channel::<Vec<u8>>(threads * 2);
    let rx = Arc::new(Mutex::new(rx));
    let (back_tx, back_rx) = sync_channel::<Vec<u8>>(threads * 4);
    let back_rx = Mutex::new(back_rx);
    let total = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let rx = Arc::clone(&rx);
                let back = back_tx.clone();
                s.spawn(move || {
                    let mut fields = Vec::with_capacity(64);
                    let (mut l, mut n, mut c) = (0u64, 0u64, 0u64);
                    loop {
                        let job = rx.lock().unwrap().recv();
                        let Ok(block) = job else { break };
                        let (a, b, d) = split(&block, &mut fields);
                        l += a;
                        n += b;
                        c = c.wrapping_add(d);
                        let _ = back.try_send(block);
                    }
                    (l, n, c)
                })
            })
            .collect();
        drop(back_tx);
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let mut buf = back_rx.lock().unwrap().try_recv().unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(&carry);
            carry.clear();
            let want = BLOCK.saturating_sub(buf.len()).max(1);
            buf.reserve(want);
            let got = (&mut file).take(want as u64).read_to_end(&mut buf).expect("read");
            if got == 0 {
                if !buf.is_empty() {
                    if buf.last() != Some(&b'\n') {
                        buf.push(b'\n');
                    }
                    tx.send(buf).unwrap();
                }
                break;
            }
            match buf.iter().rposition(|&b| b == b'\n') {
                Some(i) => {
                    carry.extend_from_slice(&buf[i + 1..]);
                    buf.truncate(i + 1);
                    tx.send(buf).unwrap();
                }
                None => carry = buf,
            }
        }
        drop(tx);
        workers
            .into_iter()
            .map(|w| w.join().unwrap())
            .fold((0u64, 0u64, 0u64), |t, w| (t.0 + w.0, t.1 + w.1, t.2.wrapping_add(w.2)))
    });
    println!("lines {} fields {} checksum {:x} threads {threads}", total.0, total.1, total.2);
}
