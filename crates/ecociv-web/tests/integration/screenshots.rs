//! Screenshots of the rendered pages in a real headless Chromium (Debian's `chromium`), at 1366×768 and at
//! phone width, written to `test-artifacts/web/` (gitignored) for a person to look at. The pages are
//! written as files next to a copy of the stylesheet; no server is involved (the server's browser tests
//! drive the live application).
//!
//! Skips with a loud message when Chromium is absent, unless `REQUIRE_BROWSER=1`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use ecociv_web::Lang;
use ecociv_web::assets::{CSS, CSS_PATH};

use crate::fixtures::{Fixture, all_pages};

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|path| path.exists())
}

fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/web")
}

#[test]
fn pages_render_in_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var("REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("REQUIRE_BROWSER=1 but no chromium is installed");
        }
        // Written past the test harness's capture, so the skip shows without `--nocapture`.
        let _ = writeln!(
            std::io::stderr(),
            "\n!!! SKIPPED pages_render_in_chromium: chromium is not installed (apt-get install chromium \
             fonts-noto-cjk; REQUIRE_BROWSER=1 makes this a failure) !!!"
        );
        return;
    };
    let dir = artifacts();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ecociv.css"), CSS).unwrap();
    let fixture = Fixture::load();
    // (page, languages, phone width too)
    let wanted: [(&str, &[Lang], bool); 7] = [
        ("dashboard", &[Lang::Zh, Lang::En], true),
        ("table", &[Lang::Zh, Lang::En], true),
        ("indicator-3", &[Lang::Zh, Lang::En], false),
        ("entry", &[Lang::Zh], true),
        ("review", &[Lang::Zh], false),
        ("air", &[Lang::Zh], false),
        ("water", &[Lang::Zh], false),
    ];
    let mut shots = Vec::new();
    for lang in Lang::ALL {
        for (name, html) in all_pages(&fixture, lang) {
            let Some((_, langs, phone)) = wanted.iter().find(|(wanted, _, _)| *wanted == name) else {
                continue;
            };
            if !langs.contains(&lang) {
                continue;
            }
            let file = dir.join(format!("{name}-{}.html", lang.code()));
            std::fs::write(&file, html.replace(CSS_PATH, "ecociv.css")).unwrap();
            // The indicator page is shot tall, so that its chart is in the picture.
            let sizes: &[(&str, u32, u32)] = if name.starts_with("indicator") {
                &[("1366", 1366, 1700)]
            } else if lang == Lang::Zh && *phone {
                &[("1366", 1366, 768), ("phone", 390, 844)]
            } else {
                &[("1366", 1366, 768)]
            };
            for (label, width, height) in sizes {
                let png = dir.join(format!("{name}-{}-{label}.png", lang.code()));
                let _ = std::fs::remove_file(&png);
                let profile =
                    std::env::temp_dir().join(format!("ecociv-web-shot-{}-{name}-{label}", std::process::id()));
                let output = Command::new(&browser)
                    .args([
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--hide-scrollbars",
                    ])
                    .arg(format!("--user-data-dir={}", profile.display()))
                    .arg(format!("--window-size={width},{height}"))
                    .arg(format!("--screenshot={}", png.display()))
                    .arg(format!("file://{}", file.canonicalize().unwrap().display()))
                    .output()
                    .expect("chromium runs");
                let _ = std::fs::remove_dir_all(&profile);
                assert!(
                    png.exists(),
                    "no screenshot of {name}: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                let size = std::fs::metadata(&png).unwrap().len();
                // A blank page compresses to a few KB; a rendered one with text is far larger.
                assert!(size > 20_000, "{name} {label}: screenshot of {size} bytes looks blank");
                shots.push(png);
            }
        }
    }
    eprintln!(
        "screenshots: {}",
        shots
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}
