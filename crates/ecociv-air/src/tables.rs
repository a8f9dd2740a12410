//! The embedded reference tables (`data/*.csv`, provenance in `data/README.md`), parsed once.
//!
//! The files are compiled into the binary; a parse failure is a defect of the shipped data, caught by the
//! tests (`tables_load` below and the conformance tests), so loading panics with the file's name.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::edition::Edition;
use crate::rounding::parse_milli;

/// A table as rows of named cells.
pub(crate) struct Table {
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(name: &'static str, text: &'static str) -> Table {
        let mut rd = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let header = rd
            .headers()
            .unwrap_or_else(|e| panic!("embedded table {name}: {e}"))
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = rd
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("embedded table {name}: {e}"))
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        Table { name, header, rows }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("embedded table {}: no column {name}", self.name))
    }

    /// Rows whose `edition` column equals `ed`.
    pub fn for_edition<'a>(&'a self, ed: &'a str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        let c = self.col("edition");
        self.rows.iter().filter(move |r| r[c] == ed)
    }

    /// `key,value` parameters of one edition.
    pub fn params(&self, ed: &str) -> HashMap<String, String> {
        let (k, v) = (self.col("key"), self.col("value"));
        self.for_edition(ed).map(|r| (r[k].clone(), r[v].clone())).collect()
    }
}

pub(crate) fn milli(table: &str, cell: &str) -> i64 {
    parse_milli(cell.as_bytes()).unwrap_or_else(|e| panic!("embedded table {table}: bad number {cell:?}: {e:?}"))
}

pub(crate) fn int(table: &str, cell: &str) -> i64 {
    milli(table, cell) / 1000
}

pub(crate) fn param(table: &str, map: &HashMap<String, String>, key: &str) -> i64 {
    let v = map
        .get(key)
        .unwrap_or_else(|| panic!("embedded table {table}: missing key {key}"));
    int(table, v)
}

macro_rules! embedded {
    ($fn:ident, $file:literal) => {
        pub(crate) fn $fn() -> &'static Table {
            static T: OnceLock<Table> = OnceLock::new();
            T.get_or_init(|| Table::parse($file, include_str!(concat!("../data/", $file))))
        }
    };
}

embedded!(hj633_2012, "hj633-2012.csv");
embedded!(hj633_2026, "hj633-2026.csv");
embedded!(hj633_special, "hj633-special.csv");
embedded!(hj633_params, "hj633-params.csv");
embedded!(hj633_levels, "hj633-levels.csv");
embedded!(hj663, "hj663.csv");
embedded!(gb3095, "gb3095.csv");

/// The raw text of every embedded table, by file name (for display and for `ecociv` to show provenance).
pub fn sources() -> [(&'static str, &'static str); 8] {
    [
        ("hj633-2012.csv", include_str!("../data/hj633-2012.csv")),
        ("hj633-2026.csv", include_str!("../data/hj633-2026.csv")),
        ("hj633-special.csv", include_str!("../data/hj633-special.csv")),
        ("hj633-params.csv", include_str!("../data/hj633-params.csv")),
        ("hj633-levels.csv", include_str!("../data/hj633-levels.csv")),
        ("hj663.csv", include_str!("../data/hj663.csv")),
        ("gb3095.csv", include_str!("../data/gb3095.csv")),
        ("README.md", include_str!("../data/README.md")),
    ]
}

pub(crate) fn hj633_breakpoints(ed: Edition) -> &'static Table {
    match ed {
        Edition::E2012 => hj633_2012(),
        Edition::E2026 => hj633_2026(),
    }
}

/// HJ 663 edition label for an [`Edition`] ("2013" or "2026").
pub(crate) fn hj663_label(ed: Edition) -> &'static str {
    match ed {
        Edition::E2012 => "2013",
        Edition::E2026 => "2026",
    }
}
