//! The Word report: built, opened by LibreOffice (converted to PDF), its text checked, its first pages
//! rendered to PNG in `test-artifacts/` for a person to look at.
//!
//! Needs `libreoffice` (Debian `libreoffice-writer-nogui`) and `pdftotext`/`pdftoppm` (`poppler-utils`);
//! skips loudly without them unless `REQUIRE_LIBREOFFICE=1` (set by `.ci/setup.d/30-libreoffice.sh`).

use std::path::{Path, PathBuf};
use std::process::Command;

use ecociv_chart::png::Fonts;
use ecociv_report::docx::{self, AtRisk, DocxInput};

use crate::example;

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/docx");
    std::fs::create_dir_all(&dir).expect("artifact dir");
    dir
}

fn has(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|out| out.status.success())
}

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
    let input = DocxInput {
        framework: &loaded.framework,
        zone: &loaded.zone,
        year: 2021,
        at_risk,
        forecasts: Default::default(),
        notes: vec!["测试生成".into()],
    };
    docx::report(&input, fonts()).expect("docx")
}

#[test]
fn docx_is_a_word_package_with_the_content() {
    let out = build(None);
    assert_eq!(&out.bytes[..2], b"PK");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(out.bytes.clone())).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    // East Asian font families are named.
    for family in ["w:eastAsia=\"黑体\"", "w:eastAsia=\"宋体\"", "w:eastAsia=\"仿宋\""] {
        assert!(xml.contains(family), "missing {family}");
    }
    for text in [
        "柳州市城中区",
        "2021年度自评估报告",
        "一、总体情况",
        "（一）生态制度",
        "三、未达标指标及牵头部门",
        "396,229.77",
    ] {
        assert!(xml.contains(text), "document lacks {text}");
    }
    // Charts: the rows with a history (7.1, 7.2, 17) and the numeric rows not met (20.1, 20.2, 24).
    assert_eq!(out.charted, ["7.1", "7.2", "17", "20.1", "20.2", "24"]);
    let images = (0..archive.len())
        .filter(|i| {
            archive.by_index(*i).is_ok_and(|f| {
                f.name()
                    .is_ok_and(|n| n.starts_with("word/media/") && n.ends_with(".png"))
            })
        })
        .count();
    assert_eq!(images, out.charted.len());
    // Without progress results the section says so; with them, the rows are listed.
    assert!(xml.contains("本报告未包含目标进展评估结果"));
    let with = build(Some(vec![AtRisk {
        row: "7.1".into(),
        name: "优良天数比例".into(),
        target_year: 2025,
        target: "95".into(),
        outlook: "按当前趋势预计2025年为93.1，低于目标".into(),
        lead_departments: vec!["城中生态环境局".into()],
    }]));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(with.bytes)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    assert!(xml.contains("表3 目标进展预警") && xml.contains("按当前趋势预计2025年为93.1"));
}

#[test]
fn docx_opens_in_libreoffice_and_names_every_indicator() {
    let required = std::env::var("REQUIRE_LIBREOFFICE").is_ok_and(|v| v == "1");
    let tools = ["libreoffice", "pdftotext", "pdftoppm"];
    if let Some(missing) = tools.iter().find(|tool| !has(tool)) {
        assert!(!required, "REQUIRE_LIBREOFFICE=1 but `{missing}` is not installed");
        eprintln!(
            "\n!!! SKIPPED docx_opens_in_libreoffice: `{missing}` not found (apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk)\n"
        );
        return;
    }
    let out = build(None);
    if required {
        assert!(
            fonts().has_cjk(),
            "REQUIRE_LIBREOFFICE=1 but no CJK font is installed (fonts-noto-cjk)"
        );
    }
    let dir = artifacts();
    let docx_path = dir.join("450202-2021-自评估报告.docx");
    std::fs::write(&docx_path, &out.bytes).expect("write docx");
    let profile = std::env::temp_dir().join(format!("ecociv-lo-profile-{}", std::process::id()));
    let status = Command::new("libreoffice")
        .args(["--headless", "--norestore", "--nolockcheck"])
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx_path)
        .output()
        .expect("libreoffice runs");
    let _ = std::fs::remove_dir_all(&profile);
    let pdf = dir.join("450202-2021-自评估报告.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice did not convert the docx: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(text.status.success());
    let text = squash(&String::from_utf8_lossy(&text.stdout));
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
    let input = DocxInput {
        framework: &loaded.framework,
        zone: &zone,
        year: 2021,
        at_risk: Some(Vec::new()),
        forecasts: Default::default(),
        notes: Vec::new(),
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
    assert!(
        xml.contains("无数据")
            && xml.contains("规划未列出重点工程项目")
            && xml.contains("暂无存在不能按期实现规划目标风险的指标")
    );
    let workbook = ecociv_report::xlsx::workbook(&loaded.framework, &zone, 2021, &[]).expect("xlsx of an empty zone");
    assert_eq!(&workbook[..2], b"PK");
    assert_eq!(ecociv_report::xlsx::project_totals(&zone), (0, 0.0));
}
