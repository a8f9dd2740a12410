//! Request bodies read as a stream — the one place an import route turns its body into a blocking
//! [`Read`] (issue 13's register import; meant for every import whose reader takes `impl Read`): the body's
//! chunks are handed over a small bounded channel as the reader asks for them, so a file of any size
//! up to the route's limit is never held whole, and never copied into one buffer.
//!
//! - [`Incoming::open`] reads the first bytes (enough to tell a zip — an Excel workbook — from a CSV).
//! - [`Incoming::into_reader`] gives the [`BodyReader`] for a blocking thread (`spawn_blocking`): past the
//!   limit, or when the client's body fails, the read fails with an [`std::io::Error`] whose text says
//!   so, which the readers report as a problem of the file (the import is refused, nothing stored).
//! - [`Incoming::collect`] reads the rest into one buffer, for formats that need the whole file (xlsx is a
//!   zip), with the same limit.

use std::io::Read;

use axum::body::{Body, Bytes};
use futures_util::StreamExt as _;

use crate::error::ApiError;

/// Chunks in flight between the body and the reader (each as the client sent it, typically ≤ 64 KiB).
const CHANNEL_CHUNKS: usize = 16;

/// The refusal of a body over the limit, in both languages.
pub fn too_large(limit: usize) -> String {
    format!(
        "文件超过 {} MiB (the file is larger than {} MiB)",
        limit >> 20,
        limit >> 20
    )
}

/// A request body whose first bytes have been read.
pub struct Incoming {
    head: Vec<u8>,
    rest: axum::body::BodyDataStream,
    limit: usize,
    ended: bool,
}

impl Incoming {
    /// Reads at least `head` bytes of `body` (fewer when the body is shorter). Refused when the body
    /// fails or its first bytes already pass `limit`.
    pub async fn open(body: Body, limit: usize, head: usize) -> Result<Incoming, ApiError> {
        let mut rest = body.into_data_stream();
        let mut first = Vec::new();
        let mut ended = false;
        while first.len() < head {
            match rest.next().await {
                Some(Ok(chunk)) => first.extend_from_slice(&chunk),
                Some(Err(error)) => {
                    return Err(ApiError::bad_request(format!(
                        "无法读取上传的文件 (cannot read the upload): {error}"
                    )));
                }
                None => {
                    ended = true;
                    break;
                }
            }
            if first.len() > limit {
                return Err(ApiError::bad_request(too_large(limit)));
            }
        }
        Ok(Incoming {
            head: first,
            rest,
            limit,
            ended,
        })
    }

    /// The bytes read so far (at least the `head` asked for, unless the body is shorter).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// The whole body in one buffer (refused past the limit).
    pub async fn collect(mut self) -> Result<Vec<u8>, ApiError> {
        let mut all = std::mem::take(&mut self.head);
        if self.ended {
            return Ok(all);
        }
        while let Some(chunk) = self.rest.next().await {
            let chunk = chunk
                .map_err(|e| ApiError::bad_request(format!("无法读取上传的文件 (cannot read the upload): {e}")))?;
            if all.len() + chunk.len() > self.limit {
                return Err(ApiError::bad_request(too_large(self.limit)));
            }
            all.extend_from_slice(&chunk);
        }
        Ok(all)
    }

    /// The body as a blocking reader, fed by a task on the runtime (call from async code; read from a
    /// blocking thread). Dropping the reader stops the feeding task at its next chunk.
    pub fn into_reader(self) -> BodyReader {
        let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(CHANNEL_CHUNKS);
        let Incoming {
            head,
            mut rest,
            limit,
            ended,
        } = self;
        let mut total = head.len();
        if !ended {
            tokio::spawn(async move {
                while let Some(chunk) = rest.next().await {
                    let item = match chunk {
                        Ok(chunk) => {
                            total += chunk.len();
                            if total > limit {
                                Err(std::io::Error::other(too_large(limit)))
                            } else {
                                Ok(chunk)
                            }
                        }
                        Err(error) => Err(std::io::Error::other(format!(
                            "无法读取上传的文件 (cannot read the upload): {error}"
                        ))),
                    };
                    let stop = item.is_err();
                    if sender.send(item).await.is_err() || stop {
                        break;
                    }
                }
            });
        }
        BodyReader {
            current: Bytes::from(head),
            receiver,
        }
    }
}

/// A request body as a blocking [`Read`] (see the module documentation). Read it on a blocking thread:
/// `read` waits for the next chunk.
pub struct BodyReader {
    current: Bytes,
    receiver: tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if !self.current.is_empty() {
                let n = buf.len().min(self.current.len());
                buf[..n].copy_from_slice(&self.current.split_to(n));
                return Ok(n);
            }
            if buf.is_empty() {
                return Ok(0);
            }
            match self.receiver.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(error)) => return Err(error),
                None => return Ok(0),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(parts: &[&'static [u8]]) -> Body {
        let stream = futures_util::stream::iter(
            parts
                .iter()
                .map(|p| Ok::<_, std::io::Error>(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        );
        Body::from_stream(stream)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_reads_back_whole_in_order_through_the_reader() {
        let incoming = Incoming::open(chunked(&[b"ab", b"cdef", b"", b"ghi"]), 100, 4)
            .await
            .unwrap();
        assert_eq!(incoming.head(), b"abcdef");
        let mut reader = incoming.into_reader();
        let text = tokio::task::spawn_blocking(move || {
            let mut out = String::new();
            reader.read_to_string(&mut out).map(|_| out)
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(text, "abcdefghi");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_past_the_limit_fails_the_read_with_the_limit_named() {
        let incoming = Incoming::open(chunked(&[b"abcd", b"efgh", b"ijkl"]), 10, 2)
            .await
            .unwrap();
        let mut reader = incoming.into_reader();
        let error = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            reader.read_to_end(&mut out)
        })
        .await
        .unwrap()
        .unwrap_err();
        assert!(error.to_string().contains("MiB"), "{error}");
        let collected = Incoming::open(chunked(&[b"abcd", b"efgh", b"ijkl"]), 10, 2)
            .await
            .unwrap()
            .collect()
            .await;
        assert!(collected.is_err());
        let small = Incoming::open(chunked(&[b"ab", b"c"]), 10, 8).await.unwrap();
        assert_eq!(small.collect().await.unwrap(), b"abc");
    }
}
