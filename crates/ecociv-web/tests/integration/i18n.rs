//! The translation layer in use: no missing label, no English on Chinese pages, no Chinese label written
//! into the code instead of the message tables.

use ecociv_web::Lang;
use ecociv_web::i18n::{CATALOG, EN_TOML, check_catalog};

use crate::fixtures::{Fixture, all_pages};
use crate::html::parse;

#[test]
fn the_two_tables_hold_the_same_keys() {
    assert_eq!(check_catalog(), Vec::<String>::new());
    assert_eq!(CATALOG.keys(Lang::Zh), CATALOG.keys(Lang::En));
}

/// Words that may appear in Latin letters on a Chinese page: codes and names of standards, units and file
/// formats (Excel, CSV, JSON, Word).
/// Then data that is written so: water classes in indicator names (III类), the file name in the framework's
/// note on the designation rule (standards.md), and the fixture's user names.
const LATIN_ALLOWED: [&str; 19] = [
    "AQI",
    "PM",
    "HJ",
    "GB",
    "UNSD",
    "SYNTHETIC",
    "KB",
    "MB",
    "pdf",
    "Excel",
    "CSV",
    "JSON",
    "Word",
    "II",
    "III",
    "IV",
    "standards",
    "md",
    "admin",
];

#[test]
fn chinese_pages_show_no_english() {
    let fixture = Fixture::load();
    let english_labels: Vec<String> = {
        let table: toml::Table = toml::from_str(EN_TOML).unwrap();
        let mut out = Vec::new();
        fn walk(value: &toml::Value, out: &mut Vec<String>) {
            match value {
                toml::Value::String(text) => out.push(text.clone()),
                toml::Value::Table(table) => table.values().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        table.values().for_each(|v| walk(v, &mut out));
        // Labels of at least two words (single words like "Met" could be data).
        out.into_iter()
            .filter(|label| label.split_whitespace().count() >= 2 && !label.contains('{'))
            .collect()
    };
    let mut offenders = Vec::new();
    for (name, html) in all_pages(&fixture, Lang::Zh) {
        let page = parse(&html).unwrap();
        for text in page.visible_texts() {
            // The language switch names English in English, by design.
            if text.trim() == "English" {
                continue;
            }
            for label in &english_labels {
                assert!(
                    !text.contains(label.as_str()),
                    "{name}: English label {label:?} on a Chinese page"
                );
            }
            for word in text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 2) {
                if !(LATIN_ALLOWED.contains(&word) || (name.starts_with("user") && word == "epb")) {
                    offenders.push(format!("{name}: {word:?} in {text:?}"));
                }
            }
        }
    }
    assert_eq!(offenders, Vec::<String>::new());
}

#[test]
fn english_pages_label_in_english() {
    let fixture = Fixture::load();
    let han = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for (name, html) in all_pages(&fixture, Lang::En) {
        let page = parse(&html).unwrap();
        assert!(
            page.tag_all("title")[0].text().contains("Eco-Civilization Zone"),
            "{name}"
        );
        // Pure label elements hold no data: they must be English on an English page.
        let mut labels: Vec<String> = page
            .find_all(|e| matches!(e.tag.as_str(), "label" | "button"))
            .iter()
            .map(|e| e.text())
            .collect();
        for head in page.tag_all("thead") {
            labels.extend(head.tag_all("th").iter().map(|e| e.text()));
        }
        for nav in page.find_all(|e| e.tag == "nav" && e.has_class("main")) {
            labels.extend(nav.tag_all("a").iter().map(|e| e.text()));
        }
        assert!(!labels.is_empty(), "{name}");
        for label in labels {
            assert!(!han(&label), "{name}: Chinese label {label:?} on an English page");
        }
    }
}

/// Chinese text in the code must be data vocabulary of the core, never a label.
#[test]
fn no_chinese_labels_are_written_in_the_code() {
    let allowed = ["完成", "未完成"];
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // The translation layer itself holds the locale's date patterns and the languages' own names.
            if path.file_name().is_some_and(|name| name == "i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (number, line) in code.lines().enumerate() {
                let trimmed = line.trim_start();
                if trimmed.starts_with("//") {
                    continue;
                }
                for literal in line.split('"').skip(1).step_by(2) {
                    let has_han = literal.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                    if has_han && !allowed.contains(&literal) {
                        offenders.push(format!("{}:{}: {literal}", path.display(), number + 1));
                    }
                }
            }
        }
    }
    assert_eq!(offenders, Vec::<String>::new());
}
