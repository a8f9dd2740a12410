//! The SVG output.

use ecociv_chart::{Labels, LineChart};

fn sample() -> LineChart {
    let mut chart = LineChart::new("空气质量优良天数比例", "%");
    chart.series = vec![(2019, 88.5), (2020, 93.2), (2021, 95.1)];
    chart.forecast = vec![(2022, 95.8), (2023, 96.4)];
    chart.threshold = Some((80.0, "标准 ≥80".to_string()));
    chart.targets = vec![
        (2025, 96.0, "2025年目标 96".to_string()),
        (2030, 97.0, "2030年目标 97".to_string()),
    ];
    chart
}

fn attr(node: &roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .parse()
        .expect("number")
}

#[test]
fn svg_is_well_formed_and_accessible() {
    let svg = sample().to_svg();
    let doc = roxmltree::Document::parse(&svg).expect("valid XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root.children().find(|n| n.has_tag_name("title")).expect("title");
    assert_eq!(title.text(), Some("空气质量优良天数比例"));
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .expect("desc")
        .text()
        .unwrap_or_default()
        .to_string();
    for needle in [
        "2019年 88.5%",
        "2021年 95.1%",
        "预测值",
        "2023年 96.4%",
        "标准 ≥80",
        "2030年目标 97",
    ] {
        assert!(desc.contains(needle), "desc lacks {needle}: {desc}");
    }
    assert!(svg.contains("Noto Sans CJK SC") && svg.contains("sans-serif"));
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

#[test]
fn points_sit_at_their_scaled_coordinates() {
    let chart = sample();
    let layout = chart.layout().expect("layout");
    // The domain covers every year and value, including targets and the threshold.
    assert_eq!((layout.x_min, layout.x_max), (2019, 2030));
    assert!(layout.y_min <= 80.0 && layout.y_max >= 97.0);
    let svg = chart.to_svg();
    let doc = roxmltree::Document::parse(&svg).expect("valid XML");
    let points: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("point"))
        .collect();
    assert_eq!(points.len(), 3);
    for (node, (year, value)) in points.iter().zip(&chart.series) {
        assert_eq!(node.attribute("data-year"), Some(year.to_string().as_str()));
        assert!((attr(node, "cx") - layout.x(*year)).abs() < 0.01);
        assert!((attr(node, "cy") - layout.y(*value)).abs() < 0.01);
    }
    // Years increase to the right, higher values sit higher (smaller y).
    assert!(attr(&points[0], "cx") < attr(&points[2], "cx"));
    assert!(attr(&points[0], "cy") > attr(&points[2], "cy"));
    // The first and last years sit inside the plot.
    assert!(layout.x(2019) > layout.plot.left && layout.x(2030) < layout.plot.right);
    assert!(layout.y(layout.y_min) <= layout.plot.bottom + 1e-9 && layout.y(layout.y_max) >= layout.plot.top - 1e-9);
    // The threshold line is horizontal at y(80) across the plot.
    let threshold = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("threshold"))
        .expect("threshold");
    let line = threshold.children().find(|n| n.has_tag_name("line")).expect("line");
    assert!((attr(&line, "y1") - layout.y(80.0)).abs() < 0.01);
    assert_eq!(attr(&line, "y1"), attr(&line, "y2"));
    assert!(
        (attr(&line, "x1") - layout.plot.left).abs() < 0.01 && (attr(&line, "x2") - layout.plot.right).abs() < 0.01
    );
    // Targets and forecast points are marked at their years.
    let targets: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("target"))
        .collect();
    assert_eq!(
        targets
            .iter()
            .map(|n| n.attribute("data-year").unwrap_or_default())
            .collect::<Vec<_>>(),
        ["2025", "2030"]
    );
    let forecast: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("forecast-point"))
        .collect();
    assert_eq!(forecast.len(), 2);
    assert!((attr(&forecast[1], "cx") - layout.x(2023)).abs() < 0.01);
    // The forecast line starts at the last observed point.
    let line = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("forecast-line"))
        .expect("forecast line");
    let first = line
        .attribute("points")
        .unwrap_or_default()
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(first, format!("{:.2},{:.2}", layout.x(2021), layout.y(95.1)));
}

#[test]
fn value_axis_ticks_are_round_and_cover_the_domain() {
    let layout = sample().layout().expect("layout");
    let ticks = layout.y_ticks();
    assert!(ticks.len() >= 3 && ticks.len() <= 12, "{ticks:?}");
    assert!((ticks[0] - layout.y_min).abs() < 1e-9);
    assert!((ticks[ticks.len() - 1] - layout.y_max).abs() < 1e-9);
}

#[test]
fn empty_chart_renders_a_no_data_panel() {
    let chart = LineChart::new("单位GDP能耗", "吨标准煤/万元");
    assert!(chart.layout().is_none());
    let svg = chart.to_svg();
    let doc = roxmltree::Document::parse(&svg).expect("valid XML");
    assert!(doc.descendants().any(|n| n.attribute("class") == Some("no-data")));
    assert!(!doc.descendants().any(|n| n.attribute("class") == Some("point")));
    // A threshold alone gives nothing to place on the year axis: still the no-data panel.
    let mut only_threshold = chart;
    only_threshold.threshold = Some((0.5, "标准".into()));
    assert!(only_threshold.layout().is_none());
}

#[test]
fn non_finite_values_are_dropped_never_drawn() {
    let mut chart = LineChart::new("测试", "-");
    chart.series = vec![(2019, f64::NAN), (2020, 3.0), (2021, f64::INFINITY), (2022, 5.0)];
    chart.threshold = Some((f64::NAN, "坏".into()));
    chart.targets = vec![(2025, f64::NEG_INFINITY, "坏".into())];
    let svg = chart.to_svg();
    roxmltree::Document::parse(&svg).expect("valid XML");
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert_eq!(svg.matches(r#"class="point""#).count(), 2);
    assert!(!svg.contains(r#"class="threshold""#) && !svg.contains(r#"class="target""#));
    // A unit of "-" prints no unit label.
    assert!(!svg.contains("单位："));
}

#[test]
fn single_point_and_flat_series_get_a_usable_domain() {
    let mut chart = LineChart::new("一点", "%");
    chart.series = vec![(2021, 100.0)];
    let layout = chart.layout().expect("layout");
    assert!(layout.x_min < 2021 && layout.x_max > 2021);
    assert!(layout.y_min < 100.0 && layout.y_max > 100.0);
    let y = layout.y(100.0);
    assert!(y > layout.plot.top && y < layout.plot.bottom);
    chart.series = vec![(2019, 0.0), (2020, 0.0)];
    let layout = chart.layout().expect("layout");
    assert_eq!(layout.y_min, 0.0, "non-negative data never gets a negative axis");
    assert!(layout.y_max > 0.0);
}

#[test]
fn text_is_escaped() {
    let mut chart = LineChart::new("A<B & \"C\"", "%");
    chart.series = vec![(2020, 1.0)];
    let svg = chart.to_svg();
    let doc = roxmltree::Document::parse(&svg).expect("valid XML");
    let title = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("title");
    assert_eq!(title.text(), Some("A<B & \"C\""));
}

/// Han characters in a text.
fn han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn the_caller_gives_the_labels_and_the_default_is_chinese() {
    let mut chart = LineChart::new("7.1 Share of good air days", "%");
    chart.series = vec![(2020, 90.0), (2021, 95.1)];
    chart.forecast = vec![(2025, 96.0)];
    chart.threshold = Some((80.0, "Standard ≥80".into()));
    chart.targets = vec![(2030, 97.0, "Target 2030: 97".into())];
    // Chinese by default (what the Word report gets).
    let chinese = chart.to_svg();
    for word in [
        "实测值",
        "预测值",
        "标准值",
        "规划目标值",
        "年份",
        "单位：%",
        "2021年 95.1%",
        "2025年预测：96%",
    ] {
        assert!(chinese.contains(word), "{word} in the default chart");
    }
    chart.labels = Labels {
        observed: "Observed".into(),
        forecast: "Forecast".into(),
        threshold: "Standard".into(),
        targets: "Plan targets".into(),
        year_axis: "Year".into(),
        unit: "Unit: {unit}".into(),
        no_data: "No data".into(),
        no_observed: "No observed value".into(),
        year_value: "{year}: {value}{unit}".into(),
        forecast_point: "{year} forecast: {value}{unit}".into(),
        colon: ": ".into(),
        comma: ", ".into(),
        semicolon: "; ".into(),
        open: " (".into(),
        close: ")".into(),
    };
    let english = chart.to_svg();
    let doc = roxmltree::Document::parse(&english).expect("valid XML");
    let legend: Vec<&str> = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("legend"))
        .expect("legend")
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(legend, ["Observed", "Forecast", "Standard", "Plan targets"]);
    assert!(!han(&english), "no Chinese left in an English chart: {english}");
    for text in [
        "Unit: %",
        ">Year<",
        "2021: 95.1%",
        "2025 forecast: 96%",
        "Observed: 2020: 90%, 2021: 95.1%",
    ] {
        assert!(english.contains(text), "{text}");
    }
    let mut empty = LineChart::new("x", "%");
    empty.labels = chart.labels;
    assert!(empty.to_svg().contains(">No data<"));
}

#[test]
fn bar_chart_places_bars_on_the_scale_lists_them_and_drops_non_finite_values() {
    use ecociv_chart::bars::{Bar, BarChart};
    let bar = |label: &str, value: Option<f64>, tick: bool| Bar {
        label: label.into(),
        value,
        fill: "#00e400".into(),
        text: format!("{label}：{}", value.map_or("—".into(), |v| v.to_string())),
        tick,
    };
    let mut chart = BarChart::new("aqi", "每日AQI", 600, 200);
    chart.bars = vec![
        bar("1月", Some(50.0), true),
        bar("b", Some(150.0), false),
        bar("c", None, false),
        bar("d", Some(f64::NAN), false),
    ];
    chart.reference = Some((100.0, "AQI 100".into()));
    chart.lead = "每日AQI：".into();
    let svg = chart.to_svg();
    assert!(!svg.contains("NaN"));
    let doc = roxmltree::Document::parse(&svg).expect("valid XML");
    let rects: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.parent().is_some_and(|p| p.attribute("class") == Some("bars")))
        .collect();
    assert_eq!(rects.len(), 2, "a bar per finite value");
    // The second bar is three times as tall as the first, and both stand on the same axis.
    let height = |n: &roxmltree::Node<'_, '_>| attr(n, "height");
    assert!((height(&rects[1]) - 3.0 * height(&rects[0])).abs() < 0.05);
    assert!((attr(&rects[0], "y") + height(&rects[0]) - attr(&rects[1], "y") - height(&rects[1])).abs() < 0.05);
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap()
        .to_string();
    assert_eq!(desc, "每日AQI：1月：50；b：150");
    assert!(
        svg.contains(">1月</text>") && !svg.contains(">b</text>"),
        "only ticked labels are drawn"
    );
    assert!(svg.contains("AQI 100"));
    // Nothing to draw: the caller's no-data panel.
    let mut empty = BarChart::new("e", "空", 300, 120);
    empty.no_data = "没有数据".into();
    empty.bars = vec![bar("x", None, true)];
    let svg = empty.to_svg();
    roxmltree::Document::parse(&svg).expect("valid XML");
    assert!(svg.contains("没有数据") && svg.contains("class=\"no-data\""));
}

/// Issue 17: the standard's label and the targets' labels never overlap — not when a target equals the
/// standard (both at the right end, where the old placement wrote one over the other), not when targets
/// are close to it or to each other — and the drawing writes each label where `label_places` put it.
#[test]
fn threshold_and_target_labels_do_not_overlap() {
    let cases: Vec<(f64, Vec<(i32, f64)>)> = vec![
        (100.0, vec![(2025, 100.0), (2030, 100.0)]),
        (20.0, vec![(2025, 22.0), (2030, 24.0)]),
        (20.0, vec![(2025, 20.0), (2030, 20.5)]),
        (60.0, vec![(2025, 60.0), (2030, 61.0)]),
        (95.0, vec![(2024, 95.0), (2025, 95.5), (2030, 96.0)]),
        (0.5, vec![(2030, 0.5)]),
    ];
    for (threshold, targets) in cases {
        let mut chart = LineChart::new("3 考核比例", "%");
        chart.series = vec![(2017, threshold * 0.8), (2021, threshold * 0.9)];
        chart.threshold = Some((threshold, format!("标准值 ≥{threshold}")));
        chart.targets = targets
            .iter()
            .map(|(year, value)| (*year, *value, format!("{year}年目标 ≥{value}")))
            .collect();
        let layout = chart.layout().expect("layout");
        let places = chart.label_places(&layout);
        assert_eq!(places.len(), 1 + targets.len());
        for (i, a) in places.iter().enumerate() {
            for b in &places[i + 1..] {
                assert!(
                    !a.bounds.overlaps(&b.bounds),
                    "threshold {threshold}, targets {targets:?}: {a:?} overlaps {b:?}"
                );
            }
            assert!(
                a.bounds.left >= 0.0 && a.bounds.right <= f64::from(chart.width),
                "{a:?}"
            );
        }
        // The SVG's texts sit where the places say.
        let svg = chart.to_svg();
        let doc = roxmltree::Document::parse(&svg).expect("svg");
        let texts: Vec<(f64, f64)> = doc
            .descendants()
            .filter(|n| matches!(n.attribute("class"), Some("threshold" | "target")))
            .map(|g| {
                let text = g.children().find(|n| n.has_tag_name("text")).expect("label");
                (attr(&text, "x"), attr(&text, "y"))
            })
            .collect();
        let expected: Vec<(f64, f64)> = places
            .iter()
            .map(|p| ((p.x * 100.0).round() / 100.0, (p.y * 100.0).round() / 100.0))
            .collect();
        let texts: Vec<(f64, f64)> = texts
            .iter()
            .map(|(x, y)| ((x * 100.0).round() / 100.0, (y * 100.0).round() / 100.0))
            .collect();
        assert_eq!(texts, expected);
    }
}
