//! HTML forms with files (`multipart/form-data`, RFC 7578), read from a body already in memory (the CSRF
//! guard reads the body once, with a size limit, before any handler runs). Text fields are capped at
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
}
