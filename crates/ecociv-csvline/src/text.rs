//! Text from input shown back in messages: a readable prefix, never the whole of a huge field.

use std::borrow::Cow;

/// Characters of an input text shown in a message.
pub const EXCERPT_CHARS: usize = 80;

/// `text` as a message shows it: whole when at most [`EXCERPT_CHARS`] characters, otherwise its first
/// [`EXCERPT_CHARS`] characters followed by `…（共 N 字节）` (N = the text's length in bytes), so an error
/// about a 1 GiB field stays a line long. Control characters (NUL, CR, LF…) are shown escaped (`\u{0}`) so a
/// message stays on one line and shows what is really there.
pub fn excerpt(text: &str) -> Cow<'_, str> {
    let short = text.chars().nth(EXCERPT_CHARS).is_none();
    let clean = !text.chars().any(char::is_control);
    if short && clean {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for c in text.chars().take(EXCERPT_CHARS) {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    if !short {
        out.push_str(&format!("…（共 {} 字节）", text.len()));
    }
    Cow::Owned(out)
}

/// [`excerpt`] of bytes that may not be UTF-8 (invalid sequences shown as `�`); only the prefix is decoded.
pub fn excerpt_bytes(bytes: &[u8]) -> String {
    // At most 4 bytes per character: decoding this prefix is enough for the excerpt.
    let prefix = &bytes[..bytes.len().min(EXCERPT_CHARS * 4 + 4)];
    let decoded = String::from_utf8_lossy(prefix);
    let shown = excerpt(&decoded);
    if prefix.len() == bytes.len() {
        return shown.into_owned();
    }
    let mut out: String = shown.chars().take_while(|c| *c != '…').collect();
    if out.chars().count() > EXCERPT_CHARS {
        out = out.chars().take(EXCERPT_CHARS).collect();
    }
    out.push_str(&format!("…（共 {} 字节）", bytes.len()));
    out
}

/// Why a name read from a file (a station, a section, a survey point) is refused, if it is: one rule for every
/// reader — no control character (NUL, escape, line ends…), which would be stored and shown invisibly.
#[inline]
pub fn name_problem(name: &str) -> Option<&'static str> {
    // Printable ASCII has no control character: decided without decoding (most names).
    if name.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    name.chars()
        .any(char::is_control)
        .then_some("名称含控制字符（如 NUL）/ the name contains a control character (e.g. NUL)")
}

/// The largest monitoring reading a file may hold, in the reading's own unit (µg/m³, mg/L, counts per litre…):
/// 10⁹. Above it a figure is a unit error or damage, never a measurement; the air and water readers both
/// refuse it, with this message.
pub const MAX_READING: f64 = 1e9;

/// The message for a reading above [`MAX_READING`].
pub fn reading_too_large(text: &str) -> String {
    format!(
        "数值超出合理范围（不超过 10⁹）/ reading out of range (at most 10⁹): `{}`",
        excerpt(text)
    )
}

/// Text as a CSV or spreadsheet writer must write it (OWASP "CSV injection"): a text starting with `=`, `+`,
/// `-`, `@`, a tab or a CR would be taken for a formula by Excel, WPS or LibreOffice, so it gets a leading `'`.
/// A plain number (`-3.5`, `+2`, `-1e-3`) is left as it is: it is no formula, and numeric columns must stay
/// numbers. The one function every CSV and Excel writer of the project uses for text cells.
#[inline]
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    if formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a spreadsheet could take `text` for a formula: it starts with `=`, `+`, `-`, `@`, a tab or a CR, is
/// not a plain number, and is not a lone `-` or `+` (a dash for "none", shown as text by every spreadsheet).
/// Excel writers set the cell's quote prefix (the spreadsheet's own `'`) for such text instead of changing it.
#[inline]
pub fn formula_like(text: &str) -> bool {
    // The first byte decides for nearly every text; the number parse only for the risky ones.
    if !matches!(text.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')) {
        return false;
    }
    let number = text.parse::<f64>().is_ok_and(f64::is_finite) && !text.contains(['\t', '\r']);
    !number && text != "-" && text != "+"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_shown_whole_and_long_text_cut_with_its_size() {
        assert_eq!(excerpt("7.1"), "7.1");
        let long = "汉".repeat(1000);
        let shown = excerpt(&long);
        assert!(shown.starts_with(&"汉".repeat(80)));
        assert!(shown.ends_with("…（共 3000 字节）"), "{shown}");
        assert_eq!(shown.chars().count(), 80 + "…（共 3000 字节）".chars().count());
    }

    #[test]
    fn formula_leading_text_is_neutralised_but_numbers_are_not() {
        for text in [
            "=1+2",
            "+A1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"http://x\")",
            "=",
            "@",
            "-inf",
        ] {
            assert_eq!(neutralise_formula(text), format!("'{text}"), "{text:?}");
        }
        for text in ["-3.5", "+2", "-1e-3", "3", "", "达标", "a=b", "'=1", "—", "-", "+"] {
            assert_eq!(neutralise_formula(text), text, "{text:?}");
        }
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(excerpt("a\0b\r"), "a\\u{0}b\\u{d}");
    }

    #[test]
    fn bytes_are_cut_before_decoding() {
        let mut bytes = vec![b'x'; 5000];
        bytes[3] = 0xff;
        let shown = excerpt_bytes(&bytes);
        assert!(shown.starts_with("xxx\u{fffd}x"));
        assert!(shown.ends_with("…（共 5000 字节）"), "{shown}");
        assert_eq!(excerpt_bytes(b"abc"), "abc");
    }
}

/// A header line's column names as every CSV reader compares them: the first without its UTF-8 byte-order
/// marks, each trimmed and lower-cased (bytes that are not UTF-8 replaced). The csv crate's byte or string
/// fields alike (`&[u8]` and `&str` are both `AsRef<[u8]>`).
pub fn header_names<F: AsRef<[u8]>>(fields: impl IntoIterator<Item = F>) -> Vec<String> {
    fields
        .into_iter()
        .enumerate()
        .map(|(index, field)| {
            let mut bytes = field.as_ref();
            while index == 0
                && let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF")
            {
                bytes = rest;
            }
            String::from_utf8_lossy(bytes).trim().to_ascii_lowercase()
        })
        .collect()
}

#[cfg(test)]
mod header_tests {
    use super::header_names;

    #[test]
    fn header_names_drop_the_bom_trim_and_lower_case() {
        assert_eq!(
            header_names(["\u{feff} Station ", "PM25", " bom\u{feff}"]),
            ["station", "pm25", "bom\u{feff}"]
        );
        assert_eq!(
            header_names([b"\xEF\xBB\xBF\xEF\xBB\xBFa\xFF".as_slice()]),
            ["a\u{fffd}"]
        );
        assert!(header_names(Vec::<&str>::new()).is_empty());
    }
}
