//! The Word report: built, opened by LibreOffice (converted to PDF), its text checked, its first pages
//! rendered to PNG in `test-artifacts/` for a person to look at.
//!
//! Needs `libreoffice` (Debian `libreoffice-writer-nogui`) and `pdftotext`/`pdftoppm` (`poppler-utils`);
//! skips loudly without them unless `REQUIRE_LIBREOFFICE=1` (set by `.ci/setup.d/30-libreoffice.sh`).

use std::path::Path;
use std::process::Command;

use ecociv_chart::png::Fonts;
use ecociv_report::docx::{self, AtRisk, DocxInput};

use crate::example;

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The system fonts, loaded once for all tests.
fn fonts() -> &'static Fonts {
    static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
    FONTS.get_or_init(Fonts::system)
}

fn build(at_risk: Option<Vec<AtRisk>>) -> docx::DocxOutput {
    let loaded = example();
    let assessment = ecociv_core::assess(&loaded.framework, &loaded.zone, 2021);
    let input = DocxInput {
        framework: &loaded.framework,
        zone: &loaded.zone,
        assessment: &assessment,
        at_risk,
        forecasts: Default::default(),
        notes: vec!["测试生成".into()],
        issuer: docx::default_issuer(&loaded.zone),
        date: docx::chinese_date(2026, 12, 3),
    };
    docx::report(&input, fonts()).expect("docx")
}

/// The report as the CLI and the pages make it: with the early warning of `ecociv-progress`.
fn build_with_warnings() -> docx::DocxOutput {
    let loaded = example();
    let assessment = ecociv_core::assess(&loaded.framework, &loaded.zone, 2021);
    let early = ecociv_progress::zone::early_warnings(&loaded.framework, &loaded.zone, 2021);
    docx::zone_report(
        &loaded.framework,
        &loaded.zone,
        &assessment,
        Some(&early),
        docx::chinese_date(2026, 12, 3),
        fonts(),
    )
    .expect("docx")
}

fn document_xml(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    xml
}

/// The visible text of a document.xml: the `w:t` runs, one line per paragraph.
fn visible_text(xml: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    while let Some(pos) = xml[i..].find('<') {
        let start = i + pos;
        let Some(len) = xml[start..].find('>') else { break };
        let end = start + len;
        let tag = &xml[start + 1..end];
        i = end + 1;
        if tag == "/w:p" {
            out.push('\n');
        } else if (tag == "w:t" || tag.starts_with("w:t ")) && !tag.ends_with('/') {
            let Some(close) = xml[i..].find("</w:t>") else { break };
            out.push_str(&xml[i..i + close]);
            i += close;
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn docx_is_a_word_package_with_the_content() {
    let out = build(None);
    assert_eq!(&out.bytes[..2], b"PK");
    let xml = document_xml(&out.bytes);
    // East Asian font families are named.
    for family in [
        "w:eastAsia=\"黑体\"",
        "w:eastAsia=\"宋体\"",
        "w:eastAsia=\"仿宋_GB2312\"",
    ] {
        assert!(xml.contains(family), "missing {family}");
    }
    for text in [
        "柳州市城中区",
        "2021年度自评估报告",
        "柳州市城中区生态环境局",
        "2026年12月3日",
        "目　　录",
        "一、总体情况",
        "二、指标达标情况",
        "三、未达标和存在风险的指标",
        "附：评估方法与数据说明",
        "原因分析：",
        "整改措施：",
        "396,229.77",
    ] {
        assert!(xml.contains(text), "document lacks {text}");
    }
    // The contents point at bookmarks on the headings; the footer has the — PAGE — number.
    assert!(xml.contains("PAGEREF ecociv_s1") && xml.contains("w:name=\"ecociv_s1\""));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(out.bytes.clone())).expect("zip");
    let footers: Vec<String> = (0..archive.len())
        .filter_map(|i| {
            let mut file = archive.by_index(i).ok()?;
            let name = file.name().ok()?.to_string();
            if !name.starts_with("word/footer") {
                return None;
            }
            let mut text = String::new();
            std::io::Read::read_to_string(&mut file, &mut text).ok()?;
            Some(text)
        })
        .collect();
    assert!(
        footers
            .iter()
            .any(|footer| footer.contains("— ") && footer.contains("PAGE") && footer.contains(" —")),
        "no — PAGE — footer"
    );
    // Full text only for the rows not met (no progress given): 1, 20.1, 20.2, 24.
    assert_eq!(out.detailed, ["1", "20.1", "20.2", "24"]);
    // Without progress results the report says so; with them, the rows at risk get full text too.
    assert!(xml.contains("本报告未包含规划目标进展预警"));
    let with = build(Some(vec![AtRisk {
        row: "7.1".into(),
        name: "优良天数比例".into(),
        target_year: 2025,
        target: "95".into(),
        outlook: "按当前趋势预计2025年为93.1%，低于目标".into(),
        lead_departments: vec!["城中生态环境局".into()],
    }]));
    let xml = document_xml(&with.bytes);
    assert!(xml.contains("预警：按当前趋势预计2025年为93.1%"));
    assert_eq!(with.detailed, ["1", "7.1", "20.1", "20.2", "24"]);
    // A row met on one part of two says so, in Table 2-1.
    assert!(xml.contains("达标（仅判定：保持稳定或持续改善）"));
}

#[test]
fn every_row_not_met_or_at_risk_gets_full_text_and_no_met_row_does() {
    let loaded = example();
    let out = build_with_warnings();
    let assessment = ecociv_core::assess(&loaded.framework, &loaded.zone, 2021);
    let early = ecociv_progress::zone::early_warnings(&loaded.framework, &loaded.zone, 2021);
    let mut expected: Vec<String> = assessment
        .leaves()
        .filter(|entry| entry.status == ecociv_core::Status::NotMet || early.rows.iter().any(|row| row.id == entry.id))
        .map(|entry| entry.id.clone())
        .collect();
    expected.dedup();
    assert!(!early.rows.is_empty(), "the example zone has rows at risk");
    assert_eq!(out.detailed, expected);
    let xml = document_xml(&out.bytes);
    let text = visible_text(&xml);
    for id in &expected {
        let (_, row) = loaded.framework.row(id).unwrap();
        assert!(text.contains(&format!("{id} {}", row.name)), "row {id} has no section");
    }
    // One warning count: the summary names the early warning's own count.
    assert!(
        text.contains(&format!("{} 行指标存在不能按期实现", early.count())),
        "summary count differs from the early warning's"
    );
    // Met rows are in Table 2-1 only: no judgement text for them.
    assert!(!text.contains("判定说明：2021年值 21.4%"), "a met row has full text");
}

#[test]
fn the_report_text_has_no_english_internal_names_or_bad_figures() {
    let out = build_with_warnings();
    let text = visible_text(&document_xml(&out.bytes));
    for bad in [
        "ecociv",
        "SYNTHETIC",
        ".csv",
        ".toml",
        "data/",
        "climate=",
        "level=",
        "terrain=",
        "%%",
        "个百分点（",
        " -；",
        "由 ecociv",
    ] {
        assert!(!text.contains(bad), "report text contains {bad:?}");
    }
    // Latin words outside an allow-list of standard codes and units.
    let allowed = [
        "GB", "HJ", "PM", "III", "IV", "II", "μg", "m³", "km²", "Times", "New", "Roman",
    ];
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphabetic() {
            word.push(c);
        } else {
            if word.len() >= 2 && !allowed.iter().any(|a| *a == word) {
                panic!("Latin word {word:?} in the report text");
            }
            word.clear();
        }
    }
}

#[test]
fn the_report_text_snapshot() {
    // The summary and the first detailed section as text: a formatting regression fails here.
    let out = build_with_warnings();
    let text = visible_text(&document_xml(&out.bytes));
    // After the contents: the body's own headings.
    let start = text.rfind("一、总体情况").expect("summary");
    let end = start + text[start..].find("二、指标达标情况").expect("table");
    let summary = &text[start..end];
    let snapshot_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/docx-summary.txt");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(snapshot_path.parent().unwrap()).unwrap();
        std::fs::write(&snapshot_path, summary).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot_path)
        .expect("snapshot file (run with UPDATE_SNAPSHOTS=1 to create it, then read it)");
    assert_eq!(
        summary, expected,
        "the report's summary text changed; review and UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn docx_opens_in_libreoffice_and_names_every_indicator() {
    let out = build_with_warnings();
    if std::env::var("REQUIRE_LIBREOFFICE").is_ok_and(|v| v == "1") {
        assert!(
            fonts().has_cjk(),
            "REQUIRE_LIBREOFFICE=1 but no CJK font is installed (fonts-noto-cjk)"
        );
    }
    let Some((dir, pdf)) = crate::office::convert(&out.bytes, "450202-2021-自评估报告") else {
        return;
    };
    let text = squash(&crate::office::text(&pdf));
    let loaded = example();
    assert!(text.contains("柳州市城中区"), "zone name missing from the PDF text");
    let mut missing = Vec::new();
    for indicator in &loaded.framework.indicators {
        if !text.contains(&squash(&indicator.name)) {
            missing.push(indicator.name.clone());
        }
        for row in indicator.rows.iter().filter(|_| indicator.has_sub_rows()) {
            if !text.contains(&squash(&row.name)) {
                missing.push(row.name.clone());
            }
        }
    }
    assert!(missing.is_empty(), "indicator names missing from the PDF: {missing:?}");
    assert!(text.contains("396,229.77"));
    // The contents, with the page numbers LibreOffice computed for the PAGEREF fields, and the official
    // page numbers: `— 2 —` on the contents page.
    let raw = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-f", "2", "-l", "2"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let contents = squash(&String::from_utf8_lossy(&raw.stdout));
    assert!(contents.contains("目录"), "no contents on page 2: {contents}");
    assert!(contents.contains("—2—"), "no — 2 — page number on page 2: {contents}");
    let entry = contents
        .split("一、总体情况")
        .nth(1)
        .expect("contents lists 一、总体情况");
    let page: String = entry
        .trim_start_matches('.')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(page, "3", "the summary starts on page 3: {contents}");
    // At most half as long as the report before issue 17 (20 pages for this zone), and every row not met
    // is in the text.
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
    let pages: u32 = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap_or(0)))
        .expect("page count");
    assert!(pages <= 10, "the report has {pages} pages (at most 10)");
    for id in &out.detailed {
        let (_, row) = loaded.framework.row(id).unwrap();
        assert!(text.contains(&squash(&format!("{id}{}", row.name))), "row {id} lost");
    }
    // The first pages as PNG for a person to look at.
    let prefix = dir.join("page");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "4"])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    let pages = std::fs::read_dir(&dir)
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("page"))
        })
        .count();
    assert!(pages >= 4, "expected at least 4 page images, found {pages}");
    eprintln!("docx test artefacts: {}", dir.display());
}

#[test]
fn an_empty_zone_still_gives_every_document() {
    let loaded = example();
    let mut zone = loaded.zone.clone();
    zone.observations.clear();
    zone.plan.projects.clear();
    zone.plan.targets.clear();
    let assessment = ecociv_core::assess(&loaded.framework, &zone, 2021);
    let input = DocxInput {
        framework: &loaded.framework,
        zone: &zone,
        assessment: &assessment,
        at_risk: Some(Vec::new()),
        forecasts: Default::default(),
        notes: Vec::new(),
        issuer: docx::default_issuer(&zone),
        date: docx::chinese_date(2026, 12, 3),
    };
    let out = docx::report(&input, &Fonts::none()).expect("docx of an empty zone");
    assert!(out.charted.is_empty());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(out.bytes)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    // A year without data says so, never that nothing fails.
    assert!(
        xml.contains("尚无数据（尚未填报）") && xml.contains("规划未列出重点工程项目"),
        "{}",
        visible_text(&xml)
    );
    assert!(!xml.contains("无不达标指标"));
    let workbook = ecociv_report::xlsx::workbook(
        &loaded.framework,
        &zone,
        &ecociv_core::assess(&loaded.framework, &zone, 2021),
        &ecociv_core::assess_years(&loaded.framework, &zone, &zone.years()),
    )
    .expect("xlsx of an empty zone");
    assert_eq!(&workbook[..2], b"PK");
    assert_eq!(ecociv_report::xlsx::project_totals(&zone), (0, 0.0));
}
