//! HTML forms with files (`multipart/form-data`, RFC 7578): [`parse`] reads a body into memory (the forms
//! whose files are small: evidence, reports, corrections — each route's body limit bounds it);
//! [`parse_spooled`] reads a body as it arrives and writes its file to disk through [`crate::spool`] (the
//! monitoring upload: a file of any size up to the limit in bounded memory, as the import API). The CSRF
//! guard reads only the start of a form, up to its token ([`token`]). Text fields are capped at
//! [`MAX_TEXT_FIELD`] bytes, files at the caller's limit; a part over its limit refuses the whole form.

use std::collections::BTreeMap;

use axum::body::Bytes;

/// The largest text field of a form.
pub const MAX_TEXT_FIELD: usize = 64 * 1024;

/// A file sent with a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The form field's name.
    pub field: String,
    /// The file's name as the browser sent it (may be empty when no file was chosen).
    pub file_name: String,
    /// The part's Content-Type (`application/octet-stream` when absent).
    pub media_type: String,
    pub content: Bytes,
}

/// A form's text fields and files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormData {
    /// Text fields (a repeated name keeps its first value).
    pub fields: BTreeMap<String, String>,
    pub files: Vec<Upload>,
}

impl FormData {
    /// The file of the field `file`, when one was chosen.
    pub fn upload(&self) -> Option<&Upload> {
        self.files
            .iter()
            .find(|file| file.field == "file")
            .filter(|file| !file.content.is_empty() || !file.file_name.is_empty())
    }
}

/// Why a multipart body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipartError {
    /// A file over the limit (field name, limit).
    FileTooLarge(String, usize),
    /// Anything else: malformed body, missing boundary, oversize text field.
    Malformed(String),
}

/// Whether a Content-Type is `multipart/form-data`.
pub fn is_multipart(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
    })
}

/// The most text fields of a form read as a stream (its memory is bounded by this × [`MAX_TEXT_FIELD`]).
pub const MAX_FIELDS: usize = 64;

/// A form whose file is on disk ([`parse_spooled`]).
#[derive(Debug, Default)]
pub struct SpooledForm {
    /// Text fields (a repeated name keeps its first value).
    pub fields: BTreeMap<String, String>,
    /// The field `file`, when a file was chosen: the file's name as the browser sent it, and its contents.
    pub file: Option<(String, crate::spool::Spooled)>,
    /// The file was over the limit (bytes): the reading stopped there, the fields before it are read.
    pub too_large: Option<u64>,
}

/// Reads a `multipart/form-data` body as it arrives: text fields into memory (at most [`MAX_FIELDS`] of
/// [`MAX_TEXT_FIELD`] bytes each), the field `file` to a spool file on disk ([`crate::spool::spool_stream`]),
/// refused over `max_file` bytes ([`SpooledForm::too_large`]); other files are read past and dropped. Memory
/// does not grow with the file.
pub async fn parse_spooled(
    content_type: &str,
    body: axum::body::Body,
    max_file: u64,
) -> Result<SpooledForm, MultipartError> {
    let boundary =
        multer::parse_boundary(content_type).map_err(|error| MultipartError::Malformed(error.to_string()))?;
    let limits = multer::SizeLimit::new()
        .per_field(MAX_TEXT_FIELD as u64)
        .for_field("file", max_file)
        .whole_stream(max_file.saturating_add(2 * (MAX_FIELDS * MAX_TEXT_FIELD) as u64));
    let mut multipart = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut form = SpooledForm::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(MultipartError::Malformed(error.to_string())),
        };
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) if name == "file" && form.file.is_none() => {
                let spooled = match crate::spool::spool_stream(&mut field, max_file, None, |error| match error {
                    multer::Error::FieldSizeExceeded { limit, .. } => crate::spool::SpoolError::TooLarge(limit),
                    other => crate::spool::SpoolError::Io(other.to_string()),
                })
                .await
                {
                    Ok(spooled) => spooled,
                    Err(crate::spool::SpoolError::TooLarge(_)) => {
                        form.too_large = Some(max_file);
                        return Ok(form);
                    }
                    Err(crate::spool::SpoolError::Io(message)) => return Err(MultipartError::Malformed(message)),
                };
                if !(spooled.is_empty() && file_name.is_empty()) {
                    form.file = Some((file_name, spooled));
                }
            }
            Some(_) => {
                // Another file: not kept.
                loop {
                    match field.chunk().await {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(error) => return Err(MultipartError::Malformed(error.to_string())),
                    }
                }
            }
            None => {
                if form.fields.len() >= MAX_FIELDS {
                    return Err(MultipartError::Malformed("too many fields".into()));
                }
                let text = field
                    .text()
                    .await
                    .map_err(|error| MultipartError::Malformed(error.to_string()))?;
                form.fields.entry(name).or_insert(text);
            }
        }
    }
    Ok(form)
}

/// The largest start of a form the CSRF guard reads looking for its token (which a form sends before its
/// files).
pub const MAX_TOKEN_PREFIX: usize = 256 * 1024;

/// The text field `name` (the CSRF token) of a multipart body, read from the body's start — at most
/// [`MAX_TOKEN_PREFIX`] bytes, never past the first file — and the body as it was, to be read again by the
/// handler: the start from memory, the rest as it arrives. `None` when the field is not there before a
/// file, or the body is malformed.
pub async fn token(content_type: &str, body: axum::body::Body, name: &str) -> (Option<String>, axum::body::Body) {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut start: Vec<u8> = Vec::new();
    let mut found = None;
    let mut ended = false;
    while !ended && start.len() <= MAX_TOKEN_PREFIX {
        match stream.next().await {
            Some(Ok(chunk)) => start.extend_from_slice(&chunk),
            Some(Err(_)) => return (None, axum::body::Body::empty()),
            None => ended = true,
        }
        // The start read so far: complete up to the token, or a file before it, or not yet enough.
        match parse(content_type, Bytes::copy_from_slice(&start), 0, Some(name)).await {
            Ok(mut form) => {
                found = form.fields.remove(name);
                break;
            }
            Err(_) if ended => break,
            Err(_) => {}
        }
    }
    let start = Bytes::from(start);
    let body = axum::body::Body::from_stream(
        futures_util::stream::once(async move { Ok::<Bytes, axum::Error>(start) }).chain(stream),
    );
    (found, body)
}

/// Reads the parts of a `multipart/form-data` body. With `stop_at`, stops after the text field of that
/// name (what the CSRF guard needs) and returns the fields read so far, no files. Files are refused over
/// `max_file` bytes.
pub async fn parse(
    content_type: &str,
    body: Bytes,
    max_file: usize,
    stop_at: Option<&str>,
) -> Result<FormData, MultipartError> {
    let boundary =
        multer::parse_boundary(content_type).map_err(|error| MultipartError::Malformed(error.to_string()))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().per_field(max_file.max(MAX_TEXT_FIELD) as u64));
    let mut multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    let mut form = FormData::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(MultipartError::Malformed(error.to_string())),
        };
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                if stop_at.is_some() {
                    // The guard wants the token, which a form sends before its files.
                    return Ok(form);
                }
                let media_type = field
                    .content_type()
                    .map(|mime| mime.essence_str().to_string())
                    .unwrap_or_else(|| "application/octet-stream".to_string());
                let content = match field.bytes().await {
                    Ok(content) => content,
                    Err(multer::Error::FieldSizeExceeded { .. }) => {
                        return Err(MultipartError::FileTooLarge(name, max_file));
                    }
                    Err(error) => return Err(MultipartError::Malformed(error.to_string())),
                };
                if content.len() > max_file {
                    return Err(MultipartError::FileTooLarge(name, max_file));
                }
                form.files.push(Upload {
                    field: name,
                    file_name,
                    media_type,
                    content,
                });
            }
            None => {
                let text = field
                    .text()
                    .await
                    .map_err(|error| MultipartError::Malformed(error.to_string()))?;
                if text.len() > MAX_TEXT_FIELD {
                    return Err(MultipartError::Malformed(format!("field {name} too long")));
                }
                let stop = stop_at == Some(name.as_str());
                form.fields.entry(name).or_insert(text);
                if stop {
                    return Ok(form);
                }
            }
        }
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=XyZ";

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Bytes {
        let mut out = Vec::new();
        for (name, file, content) in parts {
            out.extend_from_slice(b"--XyZ\r\n");
            match file {
                Some(file) => out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: text/plain\r\n\r\n").as_bytes(),
                ),
                None => out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--XyZ--\r\n");
        Bytes::from(out)
    }

    #[tokio::test]
    async fn reads_fields_and_files() {
        let form = parse(
            TYPE,
            body(&[
                ("csrf_token", None, b"t0k"),
                ("v:5", None, "九十".as_bytes()),
                ("e:5", Some("报告.txt"), b"\x00\x01abc"),
            ]),
            10,
            None,
        )
        .await
        .unwrap();
        assert_eq!(form.fields["csrf_token"], "t0k");
        assert_eq!(form.fields["v:5"], "九十");
        assert_eq!(form.files.len(), 1);
        assert_eq!(form.files[0].field, "e:5");
        assert_eq!(form.files[0].file_name, "报告.txt");
        assert_eq!(form.files[0].media_type, "text/plain");
        assert_eq!(&form.files[0].content[..], b"\x00\x01abc");
    }

    #[tokio::test]
    async fn stops_at_the_token_and_refuses_large_files_and_garbage() {
        let form = parse(
            TYPE,
            body(&[("a", None, b"1"), ("csrf_token", None, b"t"), ("b", None, b"2")]),
            10,
            Some("csrf_token"),
        )
        .await
        .unwrap();
        assert_eq!(form.fields.keys().collect::<Vec<_>>(), ["a", "csrf_token"]);
        let big = vec![b'x'; MAX_TEXT_FIELD + 10];
        assert_eq!(
            parse(TYPE, body(&[("e:5", Some("a.bin"), &big)]), 5, None).await,
            Err(MultipartError::FileTooLarge("e:5".into(), 5))
        );
        assert!(matches!(
            parse(TYPE, Bytes::from_static(b"not multipart"), 5, None).await,
            Err(MultipartError::Malformed(_))
        ));
        assert!(matches!(
            parse("multipart/form-data", Bytes::new(), 5, None).await,
            Err(MultipartError::Malformed(_))
        ));
    }

    fn chunked(bytes: &Bytes, at: &[usize]) -> axum::body::Body {
        let mut parts = Vec::new();
        let mut from = 0;
        for &to in at.iter().chain(std::iter::once(&bytes.len())) {
            parts.push(Ok::<Bytes, std::convert::Infallible>(bytes.slice(from..to)));
            from = to;
        }
        axum::body::Body::from_stream(futures_util::stream::iter(parts))
    }

    async fn all(body: axum::body::Body) -> Bytes {
        axum::body::to_bytes(body, usize::MAX).await.unwrap()
    }

    /// The guard's token: found however the body arrives in pieces, and the body handed on unchanged.
    #[tokio::test]
    async fn the_token_is_read_from_the_start_and_the_body_passes_on_whole() {
        let form = body(&[
            ("back", None, b"air"),
            ("csrf_token", None, b"t0k3n"),
            ("file", Some("a.csv"), &[b'x'; 5000]),
        ]);
        for cut in (0..form.len()).step_by(7) {
            let (found, rest) = token(TYPE, chunked(&form, &[cut]), "csrf_token").await;
            assert_eq!(found.as_deref(), Some("t0k3n"), "cut at {cut}");
            assert_eq!(all(rest).await, form, "cut at {cut}");
        }
        // One byte at a time.
        let every: Vec<usize> = (1..form.len()).collect();
        let (found, rest) = token(TYPE, chunked(&form, &every), "csrf_token").await;
        assert_eq!((found.as_deref(), all(rest).await), (Some("t0k3n"), form.clone()));
        // Once the token is read, nothing more is: a body failing after its start still gives it.
        let start = form.slice(..form.len() - 4000);
        let failing = axum::body::Body::from_stream(futures_util::stream::iter(vec![
            Ok(start),
            Err(std::io::Error::other("not to be read by the guard")),
        ]));
        assert_eq!(token(TYPE, failing, "csrf_token").await.0.as_deref(), Some("t0k3n"));
        // A token after the file is not read (the guard refuses the form).
        let late = body(&[("file", Some("a.csv"), b"1,2"), ("csrf_token", None, b"t0k3n")]);
        assert_eq!(token(TYPE, chunked(&late, &[3]), "csrf_token").await.0, None);
        // A start past the limit without the token: none (and no more is read).
        let big = body(&[
            ("a", None, &vec![b'y'; MAX_TOKEN_PREFIX + 10]),
            ("csrf_token", None, b"t"),
        ]);
        assert_eq!(token(TYPE, chunked(&big, &[1000]), "csrf_token").await.0, None);
    }

    /// A form's file on disk: fields read, the file spooled whole, a file over the limit flagged with the
    /// fields before it, too many fields refused.
    #[tokio::test]
    async fn a_spooled_form_keeps_its_fields_and_its_file_on_disk() {
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let form = body(&[
            ("csrf_token", None, b"t"),
            ("kind", None, b"air"),
            ("file", Some("a.csv"), &content),
            ("dry_run", None, b"true"),
        ]);
        let read = parse_spooled(TYPE, chunked(&form, &[100, 4096, 70_000]), 200_000)
            .await
            .unwrap();
        assert_eq!(read.fields["kind"], "air");
        assert_eq!(read.fields["dry_run"], "true");
        let (name, spooled) = read.file.expect("the file");
        assert_eq!((name.as_str(), spooled.bytes().unwrap()), ("a.csv", content.clone()));
        assert_eq!(read.too_large, None);
        let over = parse_spooled(TYPE, chunked(&form, &[100]), 199_999).await.unwrap();
        assert_eq!((over.too_large, over.file.is_none()), (Some(199_999), true));
        assert_eq!(over.fields["kind"], "air", "the fields before the file are read");
        let many: Vec<(String, Option<&str>, &[u8])> =
            (0..=MAX_FIELDS).map(|i| (format!("f{i}"), None, &b"1"[..])).collect();
        let many: Vec<(&str, Option<&str>, &[u8])> = many.iter().map(|(n, f, c)| (n.as_str(), *f, *c)).collect();
        assert!(matches!(
            parse_spooled(TYPE, chunked(&body(&many), &[]), 10).await,
            Err(MultipartError::Malformed(_))
        ));
        // No file chosen: the browser sends the part empty, without a name.
        let none = body(&[("csrf_token", None, b"t"), ("file", Some(""), b"")]);
        assert!(
            parse_spooled(TYPE, chunked(&none, &[]), 10)
                .await
                .unwrap()
                .file
                .is_none()
        );
    }
}
