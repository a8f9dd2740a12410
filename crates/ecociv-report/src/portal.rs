//! The public portal's open data (开放数据): a zone's published datasets as a catalogue, each dataset a
//! table written as CSV (UTF-8 with a BOM, formula-leading text neutralised by
//! `ecociv_csvline::neutralise_formula`) or JSON, and the catalogue in the W3C Data Catalog Vocabulary
//! (DCAT, <https://www.w3.org/TR/vocab-dcat-3/>) as JSON-LD, so that a national portal can harvest it:
//! one `dcat:Catalog` with a `dcat:Dataset` per dataset and a `dcat:Distribution` per file.
//!
//! Pure: the caller decides what is published (approved data only) and gives the tables, dates and
//! addresses; this module writes bytes and JSON values.

use ecociv_csvline::neutralise_formula;
use serde_json::{Value as Json, json};

use crate::common::ReportError;
use crate::csv::BOM;

/// A licence a zone may publish its open data under (开放数据许可协议).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Licence {
    /// SPDX identifier, the value stored and sent to the API.
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub url: &'static str,
}

/// The licences an administrator chooses from (the Creative Commons ones that open-data portals use;
/// their legal texts are at the addresses given).
pub const LICENCES: [Licence; 3] = [
    Licence {
        id: "CC-BY-4.0",
        name_zh: "知识共享署名 4.0 国际许可协议（使用时须注明来源）",
        name_en: "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        url: "https://creativecommons.org/licenses/by/4.0/",
    },
    Licence {
        id: "CC0-1.0",
        name_zh: "知识共享公共领域贡献 1.0 通用协议（放弃著作权，可自由使用）",
        name_en: "Creative Commons CC0 1.0 Universal (public domain dedication)",
        url: "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    Licence {
        id: "CC-BY-SA-4.0",
        name_zh: "知识共享署名—相同方式共享 4.0 国际许可协议（使用时须注明来源，改编作品以相同协议共享）",
        name_en: "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
        url: "https://creativecommons.org/licenses/by-sa/4.0/",
    },
];

/// The licence of a zone that has not chosen one: CC BY 4.0 — a default of ecociv, not a decision of any
/// zone; the catalogue page and the DCAT catalogue say it is to be confirmed by the bureau.
pub const DEFAULT_LICENCE: Licence = LICENCES[0];

/// The licence's address for a zone that has not chosen one.
pub const DEFAULT_LICENCE_URL: &str = DEFAULT_LICENCE.url;

/// A licence by its id.
pub fn licence(id: &str) -> Option<Licence> {
    LICENCES.iter().copied().find(|l| l.id == id)
}

/// The note the catalogue carries while the licence is the default (Chinese).
pub const LICENCE_UNCONFIRMED_ZH: &str = "许可协议为本系统的默认设置，尚待区生态环境局确认；以本区正式公布的许可为准。";

/// A published table: column headings and rows of text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column headings (Chinese), also the JSON objects' keys.
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table as CSV bytes: BOM, header, rows; every cell through `neutralise_formula`.
    pub fn csv(&self) -> Result<Vec<u8>, ReportError> {
        let mut out = BOM.to_vec();
        {
            let mut writer = ::csv::Writer::from_writer(&mut out);
            writer.write_record(self.header.iter().map(|h| neutralise_formula(h).into_owned()))?;
            for row in &self.rows {
                writer.write_record(row.iter().map(|cell| neutralise_formula(cell).into_owned()))?;
            }
            writer.flush().map_err(::csv::Error::from)?;
        }
        Ok(out)
    }

    /// The table as JSON: `{"columns": [...], "rows": [{column: cell, ...}, ...]}` (cells as text, as the
    /// CSV has them; JSON needs no formula neutralising).
    pub fn json(&self) -> Json {
        let rows: Vec<Json> = self
            .rows
            .iter()
            .map(|row| {
                let object: serde_json::Map<String, Json> = self
                    .header
                    .iter()
                    .zip(row)
                    .map(|(key, cell)| (key.clone(), Json::String(cell.clone())))
                    .collect();
                Json::Object(object)
            })
            .collect();
        json!({ "columns": self.header, "rows": rows })
    }
}

/// One published dataset (数据集) of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Stable code, the file name's stem (`values`, `table-2-1`, …).
    pub id: String,
    pub title: String,
    pub title_en: String,
    pub description: String,
    /// The last change of the published data (`YYYY-MM-DD`), if any.
    pub modified: Option<String>,
    /// Years covered (first, last), if any.
    pub years: Option<(i32, i32)>,
    /// Keywords (Chinese).
    pub keywords: Vec<String>,
}

/// The catalogue of a zone (数据目录).
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    pub zone_code: String,
    pub zone_name: String,
    /// The publisher (the zone's ecology and environment bureau, as the reports name it).
    pub publisher: String,
    /// The absolute or site-relative address of the catalogue page; dataset files are
    /// `{files_base}/{id}.csv|json`.
    pub page: String,
    pub files_base: String,
    pub licence_url: String,
    /// The licence's name (Chinese).
    pub licence_name: String,
    /// Chosen by the zone's administrator; `false` for ecociv's default (to be confirmed by the bureau).
    pub licence_confirmed: bool,
    pub datasets: Vec<Dataset>,
}

/// The media types of the distributions.
pub const FORMATS: [(&str, &str); 2] = [("csv", "text/csv"), ("json", "application/json")];

/// The catalogue as DCAT JSON-LD (`dcat:Catalog` → `dcat:dataset` → `dcat:distribution`).
pub fn dcat(catalogue: &Catalogue) -> Json {
    let licence = json!({
        "@id": catalogue.licence_url,
        "@type": "dct:LicenseDocument",
        "dct:title": { "@value": catalogue.licence_name, "@language": "zh-CN" },
    });
    let datasets: Vec<Json> = catalogue
        .datasets
        .iter()
        .map(|dataset| {
            let distributions: Vec<Json> = FORMATS
                .iter()
                .map(|(extension, media)| {
                    let url = format!("{}/{}.{extension}", catalogue.files_base, dataset.id);
                    json!({
                        "@type": "dcat:Distribution",
                        "@id": url,
                        "dct:title": format!("{}（{}）", dataset.title, extension.to_uppercase()),
                        "dcat:downloadURL": { "@id": url },
                        "dcat:accessURL": { "@id": url },
                        "dcat:mediaType": { "@id": format!("https://www.iana.org/assignments/media-types/{media}") },
                        "dct:format": extension.to_uppercase(),
                        "dct:license": licence.clone(),
                    })
                })
                .collect();
            let mut object = json!({
                "@type": "dcat:Dataset",
                "@id": format!("{}#{}", catalogue.page, dataset.id),
                "dct:identifier": format!("{}-{}", catalogue.zone_code, dataset.id),
                "dct:title": [
                    { "@value": dataset.title, "@language": "zh-CN" },
                    { "@value": dataset.title_en, "@language": "en" }
                ],
                "dct:description": { "@value": dataset.description, "@language": "zh-CN" },
                "dcat:keyword": dataset.keywords,
                "dct:publisher": { "@type": "foaf:Organization", "foaf:name": catalogue.publisher },
                "dct:spatial": { "@type": "dct:Location", "locn:geographicName": catalogue.zone_name, "dct:identifier": catalogue.zone_code },
                "dct:license": licence.clone(),
                "dcat:landingPage": { "@id": catalogue.page },
                "dcat:distribution": distributions,
            });
            if let Some(modified) = &dataset.modified {
                object["dct:modified"] = json!({ "@value": modified, "@type": "xsd:date" });
            }
            if let Some((first, last)) = dataset.years {
                object["dct:temporal"] = json!({
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": { "@value": format!("{first}-01-01"), "@type": "xsd:date" },
                    "dcat:endDate": { "@value": format!("{last}-12-31"), "@type": "xsd:date" },
                });
            }
            object
        })
        .collect();
    let modified = catalogue.datasets.iter().filter_map(|d| d.modified.clone()).max();
    let mut root = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "locn": "http://www.w3.org/ns/locn#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@type": "dcat:Catalog",
        "@id": catalogue.page,
        "dct:title": { "@value": format!("{}生态文明建设示范区开放数据目录", catalogue.zone_name), "@language": "zh-CN" },
        "dct:description": { "@value": format!("{}公开的生态文明建设指标、监测结果、重点工程和公众调查数据（仅含审核通过的数据）", catalogue.zone_name), "@language": "zh-CN" },
        "dct:publisher": { "@type": "foaf:Organization", "foaf:name": catalogue.publisher },
        "dct:language": "zh-CN",
        "dct:license": licence,
        "dcat:dataset": datasets,
    });
    if !catalogue.licence_confirmed {
        root["rdfs:comment"] = json!({ "@value": LICENCE_UNCONFIRMED_ZH, "@language": "zh-CN" });
    }
    if let Some(modified) = modified {
        root["dct:modified"] = json!({ "@value": modified, "@type": "xsd:date" });
    }
    root
}

/// Tables as an Excel workbook, one sheet each (sheet name, table): a bold header row frozen, text through
/// the quote prefix when it looks like a formula (`TextCells`), cells that are plain numbers written as
/// numbers. Used for the survey's export of responses and estimates.
pub fn workbook(sheets: &[(&str, &Table)]) -> Result<Vec<u8>, ReportError> {
    workbook_with(sheets, |_, _, _| true)
}

/// [`workbook`], with the cells that may be numbers chosen by `numeric(sheet, row, column)` (rows of the
/// table, header not counted): codes and row numbers (`450202`, `7.1`) stay text.
pub fn workbook_with(
    sheets: &[(&str, &Table)],
    numeric: impl Fn(usize, usize, usize) -> bool,
) -> Result<Vec<u8>, ReportError> {
    use crate::common::TextCells;
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (index, (name, table)) in sheets.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(*name)?;
        for (column, heading) in table.header.iter().enumerate() {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            sheet.write_text(0, column, heading, &bold)?;
            sheet.set_column_width(column, 14)?;
        }
        for (line, cells) in table.rows.iter().enumerate() {
            let row = u32::try_from(line + 1).unwrap_or(u32::MAX);
            for (n, cell) in cells.iter().enumerate() {
                let column = u16::try_from(n).unwrap_or(u16::MAX);
                match cell.parse::<f64>() {
                    Ok(number) if number.is_finite() && !cell.starts_with(['+', '.']) && numeric(index, line, n) => {
                        sheet.write_number(row, column, number)?;
                    }
                    _ => {
                        sheet.write_text_plain(row, column, cell)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised_in_csv_and_kept_in_json() {
        let table = Table {
            header: vec!["名称".into(), "数值".into()],
            rows: vec![vec!["=HYPERLINK(\"x\")".into(), "-3.5".into()]],
        };
        let csv = String::from_utf8(table.csv().unwrap()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(csv.contains(",-3.5"), "a negative number stays a number: {csv}");
        assert_eq!(table.json()["rows"][0]["名称"], "=HYPERLINK(\"x\")");
    }
}
