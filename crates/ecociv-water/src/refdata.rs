//! Parsing of the embedded reference-data files (`key,value,confidence,note` CSV).
//!
//! Pure: works on `&str`. The files are embedded with `include_str!`, so a parse failure is a defect in the
//! shipped data, caught by the conformance tests; corrected tables can also be parsed from user-supplied text.

use std::collections::BTreeMap;

/// The reference tables' confidence tag and error, shared with the other standards crates.
pub use ecociv_csvline::refdata::{Confidence, RefDataError};

/// One entry of a key/value reference table.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The value.
    pub value: f64,
    /// How well the value is established.
    pub confidence: Confidence,
    /// Source note, including the named doubt for `M`/`C` entries.
    pub note: String,
}

/// A parsed key/value reference table.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyValues {
    entries: BTreeMap<String, Entry>,
}

impl KeyValues {
    /// Parses a `key,value,confidence,note` CSV text (header required).
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let mut entries = BTreeMap::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| RefDataError {
                line: 0,
                message: e.to_string(),
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let err = |message: String| RefDataError { line, message };
            let key = rec.get(0).ok_or_else(|| err("missing key".into()))?.trim().to_string();
            let value: f64 = rec
                .get(1)
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| err(format!("{key}: value is not a number")))?;
            let confidence = rec
                .get(2)
                .and_then(Confidence::parse)
                .ok_or_else(|| err(format!("{key}: confidence must be V2, V1, M or C")))?;
            let note = rec.get(3).unwrap_or("").to_string();
            if confidence.is_doubtful() && note.trim().is_empty() {
                return Err(err(format!(
                    "{key}: a doubtful ({confidence:?}) value must name its doubt"
                )));
            }
            if entries
                .insert(
                    key.clone(),
                    Entry {
                        value,
                        confidence,
                        note,
                    },
                )
                .is_some()
            {
                return Err(err(format!("duplicate key {key}")));
            }
        }
        Ok(Self { entries })
    }

    /// The entry for `key`.
    pub fn entry(&self, key: &str) -> Result<&Entry, RefDataError> {
        self.entries.get(key).ok_or_else(|| RefDataError {
            line: 0,
            message: format!("missing key {key}"),
        })
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Result<f64, RefDataError> {
        self.entry(key).map(|e| e.value)
    }

    /// All entries whose confidence is `M` or `C`, with their notes.
    pub fn doubtful(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries
            .iter()
            .filter(|(_, e)| e.confidence.is_doubtful())
            .map(|(k, e)| (k.as_str(), e))
    }
}
