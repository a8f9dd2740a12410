//! Benchmark of the document writers on the example zone (柳州市城中区, 2021): how long one zone's
//! Table 2-1 workbook, open-data CSV, department template and Word report take, and what that means for
//! ~2,800 county units. Plain `std::time::Instant`, best of N (no timing assertions anywhere).
//!
//! Run with `bench/report/run.sh` (release build, then the Python/openpyxl peer on the same rows).
//! Writes the open-data CSV the peer reads to `target/bench-report/open-data.csv`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use ecociv_chart::png::Fonts;
use ecociv_core::assess;
use ecociv_report::docx::{DocxInput, report};
use ecociv_report::{csv, template, xlsx};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn line(what: &str, time: Duration) {
    let national = time.as_secs_f64() * 2800.0;
    println!(
        "{what:<58} {:>10.2} ms   × 2,800 zones ≈ {national:>7.1} s (one core)",
        time.as_secs_f64() * 1e3
    );
}

fn main() {
    let loaded = ecociv_data::load_zone("450202").expect("bundled zone");
    let (framework, zone) = (&loaded.framework, &loaded.zone);
    println!("ecociv-report benchmark, zone 450202, year 2021 (best of N)");
    line(
        "assess (the input of every document)",
        best(50, || assess(framework, zone, 2021)),
    );
    line(
        "xlsx: Table 2-1 + Table 4-1 + values by year",
        best(20, || {
            xlsx::workbook(
                framework,
                zone,
                &assess(framework, zone, 2021),
                &ecociv_core::assess_years(framework, zone, &[2017, 2021]),
            )
            .expect("xlsx")
        }),
    );
    let assessments: Vec<_> = [2017, 2021].iter().map(|y| assess(framework, zone, *y)).collect();
    line(
        "csv: open data, 2 years",
        best(50, || csv::open_data(&assessments).expect("csv")),
    );
    line(
        "template: export (城中区农业农村局)",
        best(20, || {
            template::export(framework, zone, "城中区农业农村局", 2022).expect("template")
        }),
    );
    let exported = template::export(framework, zone, "城中区农业农村局", 2022).expect("template");
    line(
        "template: import (read + validate; empty → refused)",
        best(20, || template::import(framework, zone, &exported, "x.xlsx").is_err()),
    );
    let assessment = assess(framework, zone, 2021);
    let input = DocxInput {
        framework,
        zone,
        assessment: &assessment,
        at_risk: None,
        forecasts: Default::default(),
        notes: Vec::new(),
        issuer: ecociv_report::docx::default_issuer(zone),
        date: "2026年1月1日".into(),
    };
    line(
        "docx: report, charts without fonts (shapes only)",
        best(5, || report(&input, &Fonts::none()).expect("docx")),
    );
    let start = Instant::now();
    let fonts = Fonts::system();
    line(
        &format!(
            "fonts: load system fonts ({} faces, CJK: {})",
            fonts.len(),
            fonts.cjk_family().unwrap_or("none")
        ),
        start.elapsed(),
    );
    line(
        "docx: report, charts with system fonts (6 charts)",
        best(5, || report(&input, &fonts).expect("docx")),
    );

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-report");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let single = vec![assess(framework, zone, 2021)];
    std::fs::write(dir.join("open-data.csv"), csv::open_data(&single).expect("csv")).expect("write csv");
    std::fs::write(
        dir.join("table-2-1.xlsx"),
        xlsx::workbook(
            framework,
            zone,
            &assess(framework, zone, 2021),
            &ecociv_core::assess_years(framework, zone, &zone.years()),
        )
        .expect("xlsx"),
    )
    .expect("write xlsx");
}
