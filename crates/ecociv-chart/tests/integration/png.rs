//! PNG rasterisation (feature `png`).

use ecociv_chart::LineChart;
use ecociv_chart::png::{Fonts, svg_to_png};
use std::io::Write as _;

#[test]
fn rasterises_to_a_png_of_the_scaled_size() {
    let mut chart = LineChart::new("空气质量优良天数比例", "%");
    chart.series = vec![(2019, 88.5), (2020, 93.2), (2021, 95.1)];
    chart.threshold = Some((80.0, "标准 ≥80".into()));
    let fonts = Fonts::system();
    if !fonts.has_cjk() {
        // Written past the test harness's capture, so the notice shows without `--nocapture`.
        let _ = writeln!(
            std::io::stderr(),
            "!!! no CJK font found: the PNG's Chinese labels will be missing (apt-get install fonts-noto-cjk; \
             REQUIRE_CJK_FONT=1 makes this a failure) !!!"
        );
    }
    let png = chart.to_png(&fonts, 2.0).expect("png");
    assert_eq!((png.width, png.height), (1280, 720));
    assert_eq!(&png.bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Without any font the shapes still render.
    let bare = chart.to_png(&Fonts::none(), 1.0).expect("png without fonts");
    assert_eq!((bare.width, bare.height), (640, 360));
    if std::env::var_os("REQUIRE_CJK_FONT").is_some() {
        assert!(fonts.has_cjk(), "REQUIRE_CJK_FONT is set but no CJK font was found");
    }
}

#[test]
fn invalid_svg_is_an_error_not_a_panic() {
    assert!(svg_to_png("<svg", &Fonts::none(), 1.0).is_err());
    assert!(svg_to_png("not svg at all", &Fonts::none(), 1.0).is_err());
}

/// Writes a sample chart to `test-artifacts/` for a person to look at.
#[test]
fn writes_a_sample_for_people() {
    let mut chart = LineChart::new("空气质量优良天数比例", "%");
    chart.series = vec![(2019, 88.5), (2020, 93.2), (2021, 95.1)];
    chart.forecast = vec![(2022, 95.8), (2023, 96.4)];
    chart.threshold = Some((80.0, "标准 ≥80".into()));
    chart.targets = vec![
        (2025, 96.0, "2025年目标 96".into()),
        (2030, 97.0, "2030年目标 97".into()),
    ];
    let png = chart.to_png(&Fonts::system(), 1.5).expect("png");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts");
    std::fs::create_dir_all(&dir).expect("artifact dir");
    std::fs::write(dir.join("chart-sample.png"), &png.bytes).expect("write");
    std::fs::write(dir.join("chart-sample.svg"), chart.to_svg()).expect("write");
}
