//! Filling cells of an existing xlsx the way a spreadsheet program saves them, by rewriting the sheet XML
//! inside the zip: rust_xlsxwriter only writes new files, and the round-trip must start from the exported
//! bytes themselves.

use std::io::{Cursor, Read, Write};

/// A cell's new content: text (as typed into a text-formatted cell) or a number.
pub enum Fill<'a> {
    Text(&'a str),
    Number(f64),
    /// A number cell's `<v>` text as a program wrote it (e.g. `INF`, `1e999`).
    RawNumber(&'a str),
    /// A formula with its cached result, or none (as scripts that do not calculate write them).
    Formula(&'a str, Option<&'a str>),
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Returns the workbook with the given cells of `sheet_xml` (e.g. `xl/worksheets/sheet1.xml`) filled.
/// Each cell must exist in the sheet (the template writes every input cell as a formatted blank).
pub fn fill(bytes: &[u8], sheet_xml: &str, cells: &[(&str, Fill<'_>)]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read entry");
        if name == sheet_xml {
            let mut xml = String::from_utf8(data).expect("utf-8 sheet");
            for (cell, content) in cells {
                let start = xml
                    .find(&format!("<c r=\"{cell}\""))
                    .unwrap_or_else(|| panic!("cell {cell} not in sheet"));
                let end = start + xml[start..].find("/>").expect("empty cell element") + 2;
                let element = &xml[start..end];
                let style = element
                    .split("s=\"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .unwrap_or("0");
                let replacement = match content {
                    Fill::Text(text) => format!(
                        r#"<c r="{cell}" s="{style}" t="inlineStr"><is><t>{}</t></is></c>"#,
                        escape(text)
                    ),
                    Fill::Number(number) => format!(r#"<c r="{cell}" s="{style}"><v>{number}</v></c>"#),
                    Fill::RawNumber(text) => format!(r#"<c r="{cell}" s="{style}"><v>{text}</v></c>"#),
                    Fill::Formula(formula, None) => {
                        format!(r#"<c r="{cell}" s="{style}"><f>{}</f></c>"#, escape(formula))
                    }
                    Fill::Formula(formula, Some(value)) => {
                        format!(
                            r#"<c r="{cell}" s="{style}"><f>{}</f><v>{value}</v></c>"#,
                            escape(formula)
                        )
                    }
                };
                xml.replace_range(start..end, &replacement);
            }
            data = xml.into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).expect("start file");
        out.write_all(&data).expect("write entry");
    }
    out.finish().expect("finish zip").into_inner()
}
