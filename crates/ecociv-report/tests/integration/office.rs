//! A Word document opened by LibreOffice, as a person would open it: converted to PDF, its text read back
//! with `pdftotext` and its pages rendered to PNG in `test-artifacts/docx/` for a person to look at. Skips
//! loudly without the tools unless `REQUIRE_LIBREOFFICE=1` (set by `.ci/setup.d/30-libreoffice.sh`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn has(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|out| out.status.success())
}

pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/docx");
    std::fs::create_dir_all(&dir).expect("artifact dir");
    dir
}

/// Writes `bytes` as `test-artifacts/docx/{stem}.docx` and converts it to PDF with LibreOffice; the
/// folder and the PDF's path, or `None` (said on stderr) when a tool is missing and `REQUIRE_LIBREOFFICE` is
/// not `1`.
pub fn convert(bytes: &[u8], stem: &str) -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var("REQUIRE_LIBREOFFICE").is_ok_and(|v| v == "1");
    if let Some(missing) = ["libreoffice", "pdftotext", "pdftoppm"].iter().find(|t| !has(t)) {
        assert!(!required, "REQUIRE_LIBREOFFICE=1 but `{missing}` is not installed");
        // Written past the test harness's capture, so the skip shows without `--nocapture`.
        let _ = writeln!(
            std::io::stderr(),
            "\n!!! SKIPPED the LibreOffice check of {stem}: `{missing}` not found \
             (apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk; REQUIRE_LIBREOFFICE=1 makes this a failure) !!!"
        );
        return None;
    }
    let dir = artifacts();
    let docx_path = dir.join(format!("{stem}.docx"));
    std::fs::write(&docx_path, bytes).expect("write");
    let profile = std::env::temp_dir().join(format!("ecociv-lo-{}-{}", stem.len(), std::process::id()));
    let out = Command::new("libreoffice")
        .args(["--headless", "--norestore", "--nolockcheck"])
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx_path)
        .output()
        .expect("libreoffice runs");
    let _ = std::fs::remove_dir_all(&profile);
    let pdf = dir.join(format!("{stem}.pdf"));
    assert!(
        pdf.exists(),
        "LibreOffice did not convert {stem}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some((dir, pdf))
}

/// The PDF's text in content-stream order (`-raw`: a table cell's wrapped lines stay together).
pub fn text(pdf: &Path) -> String {
    let text = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(text.status.success());
    String::from_utf8_lossy(&text.stdout).into_owned()
}

/// [`convert`], every page rendered to `{stem}-N.png`, and the PDF's text without whitespace.
pub fn pdf_text(bytes: &[u8], stem: &str) -> Option<String> {
    let (dir, pdf) = convert(bytes, stem)?;
    let png = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&pdf)
        .arg(dir.join(stem))
        .output()
        .expect("pdftoppm");
    assert!(png.status.success());
    Some(text(&pdf).chars().filter(|c| !c.is_whitespace()).collect())
}
