//! Large uploads on disk, not in memory, and the progress of long imports: the one place for both, and
//! the one streaming-upload mechanism of the server (issue 19): the monitoring import and the register
//! (ledger) import both take their body through [`spool_body`].
//!
//! - [`spool_body`] writes a request body to an anonymous temporary file as it arrives (a megabyte in
//!   memory at a time), refusing it past a size limit; the file is unlinked as soon as it is created, so
//!   nothing is left on disk when the upload ends — even when the server is killed.
//! - [`Spooled::reader`] reads it back from the start as often as needed (a validation pass, then a
//!   storing pass), each reader with its own position; [`Spooled::from_bytes`] spools a body already in
//!   memory (a form's file), so callers have one path; [`Spooled::head`] tells a format by its first
//!   bytes and [`Spooled::bytes`] reads a format that needs the whole file (a workbook, a zip).
//! - [`Imports`] lists the imports running, per zone, with their progress ([`Import`]: the phase, the
//!   bytes of the file read in it, the records stored), for the pages and the API; an import is listed
//!   from [`Imports::start`] until its [`ImportGuard`] is dropped.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use futures_util::StreamExt;

use crate::error::ApiError;

/// Bytes gathered in memory before each write to the spool file.
const WRITE_BUFFER: usize = 1 << 20;

/// An upload on disk (see the module documentation).
#[derive(Clone, Debug)]
pub struct Spooled {
    file: Arc<File>,
    len: u64,
}

/// Why an upload could not be spooled.
#[derive(Debug)]
pub enum SpoolError {
    /// Larger than the limit (the limit, in bytes).
    TooLarge(u64),
    /// The body stopped (the client went away) or the disk failed.
    Io(String),
}

impl From<SpoolError> for ApiError {
    fn from(error: SpoolError) -> ApiError {
        match error {
            SpoolError::TooLarge(limit) => {
                let size = if limit >= 1 << 20 {
                    format!("{} MiB", limit >> 20)
                } else {
                    format!("{limit} B")
                };
                ApiError::bad_request(format!("文件超过 {size} (the file is larger than {size})"))
            }
            SpoolError::Io(message) => {
                ApiError::bad_request(format!("上传未完成 (the upload did not complete): {message}"))
            }
        }
    }
}

/// A new anonymous file in the system's temporary folder: created, then unlinked at once.
fn anonymous_file() -> io::Result<File> {
    let dir = std::env::temp_dir();
    for _ in 0..16 {
        let mut random = [0u8; 12];
        getrandom::fill(&mut random).map_err(|error| io::Error::other(error.to_string()))?;
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let path = dir.join(format!("ecociv-upload-{name}"));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                std::fs::remove_file(&path)?;
                return Ok(file);
            }
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other("no temporary file name left"))
}

/// Writes `body` to a spool file as it arrives, at most `limit` bytes (one more refuses the upload);
/// `progress` counts the bytes received.
pub async fn spool_body(body: Body, limit: u64, progress: Option<&Import>) -> Result<Spooled, SpoolError> {
    spool_stream(body.into_data_stream(), limit, progress, |error| {
        SpoolError::Io(error.to_string())
    })
    .await
}

/// [`spool_body`] over any stream of chunks — a request's body, or one file of a form read as it arrives
/// (`crate::multipart::parse_spooled`); `error` says what a failing chunk means.
pub async fn spool_stream<S, E>(
    stream: S,
    limit: u64,
    progress: Option<&Import>,
    error: impl Fn(E) -> SpoolError,
) -> Result<Spooled, SpoolError>
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    let io = |error: io::Error| SpoolError::Io(error.to_string());
    let mut file = tokio::task::spawn_blocking(anonymous_file)
        .await
        .map_err(|error| SpoolError::Io(error.to_string()))?
        .map_err(io)?;
    let mut stream = std::pin::pin!(stream);
    let mut buffer: Vec<u8> = Vec::with_capacity(WRITE_BUFFER);
    let mut len = 0u64;
    loop {
        let chunk = stream.next().await;
        let last = chunk.is_none();
        if let Some(chunk) = chunk {
            let chunk = chunk.map_err(&error)?;
            len += chunk.len() as u64;
            if len > limit {
                return Err(SpoolError::TooLarge(limit));
            }
            if let Some(progress) = progress {
                progress.read.store(len, Ordering::Relaxed);
            }
            buffer.extend_from_slice(&chunk);
        }
        if buffer.len() >= WRITE_BUFFER || (last && !buffer.is_empty()) {
            let (f, mut b) = tokio::task::spawn_blocking(move || file.write_all(&buffer).map(|()| (file, buffer)))
                .await
                .map_err(|error| SpoolError::Io(error.to_string()))?
                .map_err(io)?;
            b.clear();
            (file, buffer) = (f, b);
        }
        if last {
            break;
        }
    }
    Ok(Spooled {
        file: Arc::new(file),
        len,
    })
}

impl Spooled {
    /// Spools bytes already in memory (a form's file; the limit was the form's).
    pub fn from_bytes(bytes: &[u8]) -> io::Result<Spooled> {
        let mut file = anonymous_file()?;
        file.write_all(bytes)?;
        Ok(Spooled {
            file: Arc::new(file),
            len: bytes.len() as u64,
        })
    }

    /// A file already on disk (the CLI's import): read in place, never copied or held in memory.
    pub fn open(path: &std::path::Path) -> io::Result<Spooled> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Spooled {
            file: Arc::new(file),
            len,
        })
    }

    /// The upload's size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first `n` bytes (fewer when the upload is shorter): enough to tell a format by its signature.
    pub fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let mut head = Vec::with_capacity(n);
        self.reader(None).take(n as u64).read_to_end(&mut head)?;
        Ok(head)
    }

    /// The whole upload in memory, for formats that need it whole (an Excel workbook is a zip; its size
    /// was bounded by the route's limit).
    pub fn bytes(&self) -> io::Result<Vec<u8>> {
        let mut all = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        self.reader(None).read_to_end(&mut all)?;
        Ok(all)
    }

    /// A reader from the first byte, with its own position (buffered); `progress`, when given, counts
    /// the bytes it has read.
    pub fn reader(&self, progress: Option<Arc<Import>>) -> io::BufReader<SpoolReader> {
        io::BufReader::with_capacity(
            256 * 1024,
            SpoolReader {
                file: self.file.clone(),
                pos: 0,
                len: self.len,
                progress,
            },
        )
    }
}

/// A reader of a [`Spooled`] upload (positional reads: readers do not share a position).
pub struct SpoolReader {
    file: Arc<File>,
    pos: u64,
    len: u64,
    progress: Option<Arc<Import>>,
}

impl Read for SpoolReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.file.read_at(&mut buf[..want], self.pos)?;
        self.pos += n as u64;
        if let Some(progress) = &self.progress {
            progress.read.store(self.pos, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// The phase of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The upload arriving.
    Receiving = 0,
    /// The file read by its checker (nothing stored yet).
    Checking = 1,
    /// The file read again and stored (in one transaction: visible only when done).
    Storing = 2,
    /// The figures computed from the data stored.
    Computing = 3,
}

impl Phase {
    fn of(code: u8) -> Phase {
        match code {
            0 => Phase::Receiving,
            1 => Phase::Checking,
            2 => Phase::Storing,
            _ => Phase::Computing,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Phase::Receiving => "receiving",
            Phase::Checking => "checking",
            Phase::Storing => "storing",
            Phase::Computing => "computing",
        }
    }

    /// Chinese, then English.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Receiving => "正在接收 (receiving)",
            Phase::Checking => "正在检查 (checking)",
            Phase::Storing => "正在存储 (storing)",
            Phase::Computing => "正在计算 (computing)",
        }
    }
}

/// One running import and its progress.
#[derive(Debug)]
pub struct Import {
    pub id: u64,
    pub zone: String,
    /// What is imported (e.g. the monitoring kind).
    pub what: String,
    pub file: String,
    pub dry_run: bool,
    /// The file's size, once received (0 before).
    pub total: AtomicU64,
    /// Bytes of the file read in the current phase.
    pub read: AtomicU64,
    /// Records stored (or checked, in a dry run) so far.
    pub stored: AtomicU64,
    /// While computing: the stations (one kind's readings of one station in one year) done, of all.
    stations_done: AtomicU64,
    stations_total: AtomicU64,
    phase: AtomicU8,
    started: std::time::Instant,
}

impl Import {
    pub fn phase(&self) -> Phase {
        Phase::of(self.phase.load(Ordering::Relaxed))
    }

    /// Enters `phase` (the bytes read start again from zero).
    pub fn set_phase(&self, phase: Phase) {
        self.read.store(0, Ordering::Relaxed);
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    /// While computing: `done` stations of `total`.
    pub fn stations(&self, done: u64, total: u64) {
        self.stations_total.store(total, Ordering::Relaxed);
        self.stations_done.store(done, Ordering::Relaxed);
    }

    /// While computing: one more station done.
    pub fn station_done(&self) {
        self.stations_done.fetch_add(1, Ordering::Relaxed);
    }

    /// The progress as JSON (the API's and the pages' source). While computing, `percent` is of the
    /// stations (`stations_done` of `stations_total`); before, of the file's bytes read in the phase.
    pub fn json(&self) -> serde_json::Value {
        let (total, read) = (self.total.load(Ordering::Relaxed), self.read.load(Ordering::Relaxed));
        let stations = (
            self.stations_done.load(Ordering::Relaxed),
            self.stations_total.load(Ordering::Relaxed),
        );
        let (part, whole) = if self.phase() == Phase::Computing {
            stations
        } else {
            (read, total)
        };
        serde_json::json!({
            "id": self.id,
            "what": self.what,
            "file": self.file,
            "dry_run": self.dry_run,
            "phase": self.phase().code(),
            "phase_label": self.phase().label(),
            "bytes": total,
            "bytes_read": read,
            "percent": (part.min(whole) * 100).checked_div(whole).unwrap_or(0),
            "stored": self.stored.load(Ordering::Relaxed),
            "stations_done": stations.0,
            "stations_total": stations.1,
            "seconds": self.started.elapsed().as_secs(),
        })
    }
}

/// The imports running in this server process.
#[derive(Debug, Default)]
pub struct Imports {
    next: AtomicU64,
    running: Mutex<BTreeMap<u64, Arc<Import>>>,
}

/// Lists an import while it lives.
pub struct ImportGuard {
    imports: Arc<Imports>,
    pub import: Arc<Import>,
}

impl Drop for ImportGuard {
    fn drop(&mut self) {
        if let Ok(mut running) = self.imports.running.lock() {
            running.remove(&self.import.id);
        }
    }
}

impl Imports {
    /// Lists a new import (phase: receiving).
    pub fn start(self: &Arc<Self>, zone: &str, what: &str, file: &str, dry_run: bool) -> ImportGuard {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let import = Arc::new(Import {
            id,
            zone: zone.to_owned(),
            what: what.to_owned(),
            file: file.to_owned(),
            dry_run,
            total: AtomicU64::new(0),
            read: AtomicU64::new(0),
            stored: AtomicU64::new(0),
            stations_done: AtomicU64::new(0),
            stations_total: AtomicU64::new(0),
            phase: AtomicU8::new(Phase::Receiving as u8),
            started: std::time::Instant::now(),
        });
        if let Ok(mut running) = self.running.lock() {
            running.insert(id, import.clone());
        }
        ImportGuard {
            imports: self.clone(),
            import,
        }
    }

    /// The imports running into `zone`, oldest first.
    pub fn of_zone(&self, zone: &str) -> Vec<Arc<Import>> {
        self.running
            .lock()
            .map(|running| running.values().filter(|i| i.zone == zone).cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_is_spooled_read_back_twice_and_refused_past_the_limit() {
        let parts: Vec<Vec<u8>> = (0..300).map(|i| vec![(i % 251) as u8; 7919]).collect();
        let expected: Vec<u8> = parts.concat();
        let body = || {
            Body::from_stream(futures_util::stream::iter(
                parts.clone().into_iter().map(Ok::<_, io::Error>),
            ))
        };
        let spooled = spool_body(body(), expected.len() as u64, None).await.unwrap();
        assert_eq!(spooled.len(), expected.len() as u64);
        for _ in 0..2 {
            let mut back = Vec::new();
            spooled.reader(None).read_to_end(&mut back).unwrap();
            assert!(back == expected, "read back as sent");
        }
        assert_eq!(spooled.head(5).unwrap(), expected[..5]);
        assert!(spooled.bytes().unwrap() == expected, "read back whole");
        let refused = spool_body(body(), expected.len() as u64 - 1, None).await;
        assert!(matches!(refused, Err(SpoolError::TooLarge(_))));
    }

    #[test]
    fn an_import_is_listed_until_its_guard_is_dropped() {
        let imports = Arc::new(Imports::default());
        let guard = imports.start("450202", "air", "a.csv", false);
        guard.import.total.store(200, Ordering::Relaxed);
        guard.import.set_phase(Phase::Storing);
        guard.import.read.store(50, Ordering::Relaxed);
        let listed = imports.of_zone("450202");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].json()["percent"], 25);
        assert_eq!(listed[0].json()["phase"], "storing");
        // Computing: the percentage is of the stations done, the bytes stay the file's.
        guard.import.set_phase(Phase::Computing);
        guard.import.stations(0, 8);
        guard.import.station_done();
        guard.import.station_done();
        let computing = listed[0].json();
        assert_eq!(
            (
                &computing["phase"],
                &computing["percent"],
                &computing["stations_done"],
                &computing["stations_total"]
            ),
            (&"computing".into(), &25.into(), &2.into(), &8.into()),
            "{computing}"
        );
        assert_eq!(computing["bytes"], 200);
        assert!(imports.of_zone("450203").is_empty());
        drop(guard);
        assert!(imports.of_zone("450202").is_empty());
    }
}
