//! Charts of an indicator's values over the years (指标历年变化图), drawn as SVG by our own code.
//!
//! Bar charts of categories are in [`bars`] (the air page's daily AQI and monthly good-day share).
//!
//! The main chart kind, [`LineChart`]: the observed series as a line with points, an optional forecast
//! (dashed), the standard's threshold (标准值) as a horizontal line, and the plan's targets (目标值, e.g.
//! 2025 and 2030) as marked points. Every fixed text (legend, axis, description) comes from [`Labels`]:
//! Chinese by default (the Word report), or the caller's translation (the web pages in English); the text names CJK font families
//! ("Noto Sans CJK SC", "Microsoft YaHei", "SimHei", sans-serif) and embeds no font. The SVG is
//! accessible: `role="img"`, a `<title>` and a `<desc>` that lists every value in words.
//!
//! The crate is pure: a chart description in, an SVG string out. With the `png` feature, [`png`]
//! rasterises the same SVG with resvg for the Word report (the only IO there is loading system fonts,
//! at the caller's request).
//!
//! Non-finite numbers (NaN, ±∞) in the input are dropped, never drawn; a chart with nothing to draw
//! renders a framed "暂无数据 (no data)" panel.

pub mod bars;
#[cfg(feature = "png")]
pub mod png;

use std::fmt::Write as _;

/// The font families named in the SVG, CJK first.
pub const FONT_FAMILY: &str = "'Noto Sans CJK SC', 'Microsoft YaHei', 'SimHei', 'WenQuanYi Micro Hei', sans-serif";

/// Colours (also used by the web pages for consistency).
pub mod colour {
    pub const SERIES: &str = "#1f5fa8";
    pub const FORECAST: &str = "#7a9cc6";
    pub const THRESHOLD: &str = "#c0392b";
    pub const TARGET: &str = "#1e8449";
    pub const GRID: &str = "#e3e6ea";
    pub const AXIS: &str = "#555555";
    pub const TEXT: &str = "#222222";
}

/// The fixed texts of a chart, in the reader's language. [`Labels::default`] is Chinese. Templates take
/// `{year}`, `{value}`, `{unit}` where shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// Legend of the observed series when [`LineChart::series_label`] is empty: `实测值`.
    pub observed: String,
    /// Legend of the forecast: `预测值`.
    pub forecast: String,
    /// Legend of the standard's threshold line: `标准值`.
    pub threshold: String,
    /// Legend of the plan's targets: `规划目标值`.
    pub targets: String,
    /// The x axis: `年份`.
    pub year_axis: String,
    /// The unit note above the y axis, with `{unit}`: `单位：{unit}`.
    pub unit: String,
    /// The panel of a chart with nothing to draw.
    pub no_data: String,
    /// The description when there is no observed value.
    pub no_observed: String,
    /// A value in the description and a point's tooltip, with `{year}`, `{value}`, `{unit}`: `{year}年 {value}{unit}`.
    pub year_value: String,
    /// A forecast point's tooltip: `{year}年预测：{value}{unit}`.
    pub forecast_point: String,
    /// Between a label and its values (`：`), between values (`，`), between parts (`；`), and around a
    /// figure after a label (`（`, `）`).
    pub colon: String,
    pub comma: String,
    pub semicolon: String,
    pub open: String,
    pub close: String,
}

impl Default for Labels {
    fn default() -> Labels {
        Labels {
            observed: "实测值".into(),
            forecast: "预测值".into(),
            threshold: "标准值".into(),
            targets: "规划目标值".into(),
            year_axis: "年份".into(),
            unit: "单位：{unit}".into(),
            no_data: "暂无数据 (no data)".into(),
            no_observed: "暂无实测数据 (no observed data)".into(),
            year_value: "{year}年 {value}{unit}".into(),
            forecast_point: "{year}年预测：{value}{unit}".into(),
            colon: "：".into(),
            comma: "，".into(),
            semicolon: "；".into(),
            open: "（".into(),
            close: "）".into(),
        }
    }
}

impl Labels {
    fn year_value(&self, template: &str, year: i32, value: f64, unit: &str) -> String {
        template
            .replace("{year}", &year.to_string())
            .replace("{value}", &number(value))
            .replace("{unit}", &unit_after_figure(unit))
    }
}

/// A unit as written after a figure: `%` directly, another unit after a space (`29 μg/m³`), none for `-`.
fn unit_after_figure(unit: &str) -> String {
    match unit_text(unit) {
        "" => String::new(),
        "%" => "%".to_string(),
        other => format!(" {other}"),
    }
}

/// A line chart of one indicator over the years.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// The chart's title, e.g. `空气质量优良天数比例`.
    pub title: String,
    /// The unit of the values as the indicator table writes it (`%`, `μg/m³`, `-` for none).
    pub unit: String,
    /// Legend text of the observed series; `实测值` when empty.
    pub series_label: String,
    /// Observed values by year.
    pub series: Vec<(i32, f64)>,
    /// Forecast values by year, drawn dashed (continuing from the last observed point).
    pub forecast: Vec<(i32, f64)>,
    /// The standard's threshold and its label, e.g. `(80.0, "标准 ≥80")`.
    pub threshold: Option<(f64, String)>,
    /// Plan targets: year, value, label (e.g. `(2025, 62.0, "2025年目标 62")`).
    pub targets: Vec<(i32, f64, String)>,
    /// Size in CSS pixels.
    pub width: u32,
    pub height: u32,
    /// The fixed texts (Chinese by default).
    pub labels: Labels,
}

impl LineChart {
    /// An empty chart of the default size (640 × 360).
    pub fn new(title: impl Into<String>, unit: impl Into<String>) -> LineChart {
        LineChart {
            title: title.into(),
            unit: unit.into(),
            series_label: String::new(),
            series: Vec::new(),
            forecast: Vec::new(),
            threshold: None,
            targets: Vec::new(),
            width: 640,
            height: 360,
            labels: Labels::default(),
        }
    }

    fn finite_series(&self) -> Vec<(i32, f64)> {
        finite(&self.series)
    }

    fn finite_forecast(&self) -> Vec<(i32, f64)> {
        finite(&self.forecast)
    }

    fn finite_targets(&self) -> Vec<&(i32, f64, String)> {
        self.targets.iter().filter(|(_, value, _)| value.is_finite()).collect()
    }

    fn finite_threshold(&self) -> Option<&(f64, String)> {
        self.threshold.as_ref().filter(|(value, _)| value.is_finite())
    }

    /// The plot area and the scales, or `None` when there is no point to place (no finite value in
    /// the series, the forecast or the targets).
    pub fn layout(&self) -> Option<Layout> {
        let series = self.finite_series();
        let forecast = self.finite_forecast();
        let targets = self.finite_targets();
        let years: Vec<i32> = series
            .iter()
            .map(|(year, _)| *year)
            .chain(forecast.iter().map(|(year, _)| *year))
            .chain(targets.iter().map(|(year, _, _)| *year))
            .collect();
        let (Some(&first_year), Some(&last_year)) = (years.iter().min(), years.iter().max()) else {
            return None;
        };
        let mut values: Vec<f64> = series
            .iter()
            .map(|(_, value)| *value)
            .chain(forecast.iter().map(|(_, value)| *value))
            .chain(targets.iter().map(|(_, value, _)| *value))
            .collect();
        if let Some((threshold, _)) = self.finite_threshold() {
            values.push(*threshold);
        }
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (x_min, x_max) = if first_year == last_year {
            (first_year - 1, last_year + 1)
        } else {
            (first_year, last_year)
        };
        let (y_min, y_max, y_step) = nice_domain(low, high);
        let width = f64::from(self.width.max(200));
        let height = f64::from(self.height.max(150));
        let plot = Rect {
            left: 64.0,
            top: 52.0,
            right: width - 28.0,
            bottom: height - 64.0,
        };
        Some(Layout {
            plot,
            x_min,
            x_max,
            y_min,
            y_max,
            y_step,
        })
    }

    /// The accessible description: every value in words.
    pub fn description(&self) -> String {
        let labels = &self.labels;
        let unit = unit_text(&self.unit);
        let mut parts = Vec::new();
        let series = self.finite_series();
        if series.is_empty() {
            parts.push(labels.no_observed.clone());
        } else {
            let values: Vec<String> = series
                .iter()
                .map(|(year, value)| labels.year_value(&labels.year_value, *year, *value, unit))
                .collect();
            parts.push(format!(
                "{}{}{}",
                self.legend_series(),
                labels.colon,
                values.join(&labels.comma)
            ));
        }
        let forecast = self.finite_forecast();
        if !forecast.is_empty() {
            let values: Vec<String> = forecast
                .iter()
                .map(|(year, value)| labels.year_value(&labels.year_value, *year, *value, unit))
                .collect();
            parts.push(format!(
                "{}{}{}",
                labels.forecast,
                labels.colon,
                values.join(&labels.comma)
            ));
        }
        if let Some((value, label)) = self.finite_threshold() {
            parts.push(format!(
                "{label}{}{}{}{}",
                labels.open,
                number(*value),
                unit_after_figure(unit),
                labels.close
            ));
        }
        for (year, value, label) in self.finite_targets() {
            parts.push(format!(
                "{label}{}{}{}",
                labels.open,
                labels.year_value(&labels.year_value, *year, *value, unit),
                labels.close
            ));
        }
        parts.join(&labels.semicolon)
    }

    fn legend_series(&self) -> &str {
        if self.series_label.is_empty() {
            &self.labels.observed
        } else {
            &self.series_label
        }
    }

    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let width = self.width.max(200);
        let height = self.height.max(150);
        let mut svg = String::with_capacity(8 * 1024);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" font-family="{}">"#,
            escape(FONT_FAMILY)
        );
        let _ = write!(svg, r#"<title id="chart-title">{}</title>"#, escape(&self.title));
        let _ = write!(svg, r#"<desc id="chart-desc">{}</desc>"#, escape(&self.description()));
        let _ = write!(
            svg,
            r##"<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>"##
        );
        let _ = write!(
            svg,
            r#"<text x="{}" y="24" text-anchor="middle" font-size="16" font-weight="bold" fill="{}">{}</text>"#,
            f64::from(width) / 2.0,
            colour::TEXT,
            escape(&self.title)
        );
        let Some(layout) = self.layout() else {
            let _ = write!(
                svg,
                r##"<rect x="16" y="40" width="{}" height="{}" fill="none" stroke="{}"/><text class="no-data" x="{}" y="{}" text-anchor="middle" font-size="14" fill="#888888">{}</text></svg>"##,
                width - 32,
                height - 56,
                colour::GRID,
                f64::from(width) / 2.0,
                f64::from(height) / 2.0 + 8.0,
                escape(&self.labels.no_data)
            );
            return svg;
        };
        let plot = layout.plot;
        self.draw_axes(&mut svg, &layout);
        let labels = self.label_places(&layout);
        if let Some((value, label)) = self.finite_threshold() {
            let y = layout.y(*value);
            let place = &labels[0];
            let _ = write!(
                svg,
                r#"<g class="threshold"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}">{}</text></g>"#,
                c(plot.left),
                c(y),
                c(plot.right),
                c(y),
                colour::THRESHOLD,
                c(place.x),
                c(place.y),
                place.anchor,
                THRESHOLD_FONT,
                colour::THRESHOLD,
                escape(label)
            );
        }
        let unit = unit_text(&self.unit);
        let series = self.finite_series();
        let forecast = self.finite_forecast();
        if !forecast.is_empty() {
            let mut points: Vec<(i32, f64)> = series.last().copied().into_iter().collect();
            points.extend(forecast.iter().copied());
            let _ = write!(
                svg,
                r#"<polyline class="forecast-line" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="5 4" points="{}"/>"#,
                colour::FORECAST,
                polyline(&layout, &points)
            );
            for (year, value) in &forecast {
                let _ = write!(
                    svg,
                    r##"<circle class="forecast-point" data-year="{year}" data-value="{}" cx="{}" cy="{}" r="3.5" fill="#ffffff" stroke="{}" stroke-width="1.5"><title>{}</title></circle>"##,
                    number(*value),
                    c(layout.x(*year)),
                    c(layout.y(*value)),
                    colour::FORECAST,
                    escape(&self.labels.year_value(&self.labels.forecast_point, *year, *value, unit))
                );
            }
        }
        if !series.is_empty() {
            let _ = write!(
                svg,
                r#"<polyline class="series-line" fill="none" stroke="{}" stroke-width="2" points="{}"/>"#,
                colour::SERIES,
                polyline(&layout, &series)
            );
            for (year, value) in &series {
                let _ = write!(
                    svg,
                    r#"<circle class="point" data-year="{year}" data-value="{}" cx="{}" cy="{}" r="4" fill="{}"><title>{}</title></circle>"#,
                    number(*value),
                    c(layout.x(*year)),
                    c(layout.y(*value)),
                    colour::SERIES,
                    escape(&self.labels.year_value(&self.labels.year_value, *year, *value, unit))
                );
            }
        }
        let first_target = usize::from(self.finite_threshold().is_some());
        for (k, (year, value, label)) in self.finite_targets().into_iter().enumerate() {
            let (x, y) = (layout.x(*year), layout.y(*value));
            let place = &labels[first_target + k];
            let _ = write!(
                svg,
                r#"<g class="target" data-year="{year}" data-value="{}"><path d="M{} {} L{} {} L{} {} L{} {} Z" fill="{}"/><text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}">{}</text></g>"#,
                number(*value),
                c(x),
                c(y - 6.0),
                c(x + 6.0),
                c(y),
                c(x),
                c(y + 6.0),
                c(x - 6.0),
                c(y),
                colour::TARGET,
                c(place.x),
                c(place.y),
                place.anchor,
                TARGET_FONT,
                colour::TARGET,
                escape(label)
            );
        }
        self.draw_legend(&mut svg, height, !series.is_empty(), !forecast.is_empty());
        svg.push_str("</svg>");
        svg
    }

    fn draw_axes(&self, svg: &mut String, layout: &Layout) {
        let plot = layout.plot;
        let decimals = decimals_for(layout.y_step);
        svg.push_str(r#"<g class="y-axis" font-size="11">"#);
        for tick in layout.y_ticks() {
            let y = layout.y(tick);
            let _ = write!(
                svg,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/><text x="{}" y="{}" text-anchor="end" fill="{}">{tick:.decimals$}</text>"#,
                c(plot.left),
                c(y),
                c(plot.right),
                c(y),
                colour::GRID,
                c(plot.left - 6.0),
                c(y + 4.0),
                colour::AXIS,
            );
        }
        svg.push_str("</g>");
        let _ = write!(
            svg,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>"#,
            c(plot.left),
            c(plot.top),
            c(plot.left),
            c(plot.bottom),
            colour::AXIS,
            c(plot.left),
            c(plot.bottom),
            c(plot.right),
            c(plot.bottom),
            colour::AXIS
        );
        let unit = unit_text(&self.unit);
        if !unit.is_empty() {
            let _ = write!(
                svg,
                r#"<text class="unit" x="{}" y="{}" text-anchor="start" font-size="12" fill="{}">{}</text>"#,
                c(plot.left - 40.0),
                c(plot.top - 14.0),
                colour::AXIS,
                escape(&self.labels.unit.replace("{unit}", unit))
            );
        }
        svg.push_str(r#"<g class="x-axis" font-size="11">"#);
        for year in layout.x_ticks() {
            let x = layout.x(year);
            let _ = write!(
                svg,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/><text x="{}" y="{}" text-anchor="middle" fill="{}">{year}</text>"#,
                c(x),
                c(plot.bottom),
                c(x),
                c(plot.bottom + 5.0),
                colour::AXIS,
                c(x),
                c(plot.bottom + 18.0),
                colour::AXIS
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text></g>"#,
            c(plot.right),
            c(plot.bottom + 34.0),
            colour::AXIS,
            escape(&self.labels.year_axis)
        );
    }

    fn draw_legend(&self, svg: &mut String, height: u32, has_series: bool, has_forecast: bool) {
        let y = f64::from(height) - 14.0;
        let mut items: Vec<(Sample, &str)> = Vec::new();
        if has_series {
            items.push((
                Sample::Line {
                    colour: colour::SERIES,
                    dash: None,
                    dot: true,
                },
                self.legend_series(),
            ));
        }
        if has_forecast {
            items.push((
                Sample::Line {
                    colour: colour::FORECAST,
                    dash: Some("5 4"),
                    dot: false,
                },
                &self.labels.forecast,
            ));
        }
        if self.finite_threshold().is_some() {
            items.push((
                Sample::Line {
                    colour: colour::THRESHOLD,
                    dash: Some("6 4"),
                    dot: false,
                },
                &self.labels.threshold,
            ));
        }
        if !self.finite_targets().is_empty() {
            items.push((Sample::Diamond, &self.labels.targets));
        }
        svg.push_str(r#"<g class="legend" font-size="12">"#);
        let mut x = 64.0;
        for (sample, label) in items {
            match sample {
                Sample::Line { colour, dash, dot } => {
                    let dash = dash.map(|d| format!(r#" stroke-dasharray="{d}""#)).unwrap_or_default();
                    let _ = write!(
                        svg,
                        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2"{dash}/>"#,
                        c(x),
                        c(y),
                        c(x + 22.0),
                        c(y)
                    );
                    if dot {
                        let _ = write!(
                            svg,
                            r#"<circle cx="{}" cy="{}" r="3.5" fill="{colour}"/>"#,
                            c(x + 11.0),
                            c(y)
                        );
                    }
                }
                Sample::Diamond => {
                    let m = x + 11.0;
                    let _ = write!(
                        svg,
                        r#"<path d="M{} {} L{} {} L{} {} L{} {} Z" fill="{}"/>"#,
                        c(m),
                        c(y - 6.0),
                        c(m + 6.0),
                        c(y),
                        c(m),
                        c(y + 6.0),
                        c(m - 6.0),
                        c(y),
                        colour::TARGET
                    );
                }
            }
            let _ = write!(
                svg,
                r#"<text x="{}" y="{}" fill="{}">{}</text>"#,
                c(x + 28.0),
                c(y + 4.0),
                colour::TEXT,
                escape(label)
            );
            // Full-width (CJK) characters take the font size; Latin ones about 0.6 of it.
            let text_width: f64 = label.chars().map(|ch| if ch.is_ascii() { 7.0 } else { 12.0 }).sum();
            x += 28.0 + text_width + 20.0;
        }
        svg.push_str("</g>");
    }
}

const THRESHOLD_FONT: f64 = 12.0;
const TARGET_FONT: f64 = 11.0;

/// Where a label of the threshold or of a target is written: its anchor point, `text-anchor`, and the box
/// its text takes (estimated: a full-width character as wide as the font size, another 0.6 of it).
#[derive(Debug, Clone, PartialEq)]
pub struct LabelPlace {
    pub x: f64,
    /// The text's baseline.
    pub y: f64,
    pub anchor: &'static str,
    pub bounds: Rect,
}

impl Rect {
    /// True when the two rectangles share more than a touching edge.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }
}

/// The width of a text in a font size, estimated as [`LabelPlace`] says.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|ch| if (ch as u32) < 0x1100 { size * 0.6 } else { size })
        .sum()
}

fn label_at(x: f64, y: f64, anchor: &'static str, text: &str, size: f64) -> LabelPlace {
    let width = text_width(text, size);
    let left = match anchor {
        "start" => x,
        "end" => x - width,
        _ => x - width / 2.0,
    };
    LabelPlace {
        x,
        y,
        anchor,
        bounds: Rect {
            left,
            top: y - size * 0.9,
            right: left + width,
            bottom: y + size * 0.25,
        },
    }
}

impl LineChart {
    /// The places of the threshold's label (first, when there is a threshold) and of each target's label
    /// (in the order of the targets): each label takes the first of its candidate places that overlaps no
    /// label placed before it and stays inside the drawing — the threshold's above its line at the right,
    /// then below it, then at the left; a target's above its mark, below it, then further up or down —
    /// so a target equal or close to the standard does not write over the standard's label.
    pub fn label_places(&self, layout: &Layout) -> Vec<LabelPlace> {
        let plot = layout.plot;
        let width = f64::from(self.width.max(200));
        let inside = |place: &LabelPlace| {
            place.bounds.left >= 0.0
                && place.bounds.right <= width
                && place.bounds.top >= plot.top - 14.0
                && place.bounds.bottom <= plot.bottom + 2.0
        };
        let mut placed: Vec<LabelPlace> = Vec::new();
        let choose = |candidates: Vec<LabelPlace>, placed: &mut Vec<LabelPlace>| {
            let free = candidates
                .iter()
                .find(|place| inside(place) && placed.iter().all(|other| !place.bounds.overlaps(&other.bounds)))
                .or_else(|| {
                    candidates
                        .iter()
                        .find(|place| placed.iter().all(|other| !place.bounds.overlaps(&other.bounds)))
                })
                .unwrap_or(&candidates[0])
                .clone();
            placed.push(free);
        };
        if let Some((value, label)) = self.finite_threshold() {
            let y = layout.y(*value);
            let (right, left) = (plot.right - 4.0, plot.left + 4.0);
            let candidates = vec![
                label_at(right, y - 5.0, "end", label, THRESHOLD_FONT),
                label_at(right, y + 15.0, "end", label, THRESHOLD_FONT),
                label_at(left, y - 5.0, "start", label, THRESHOLD_FONT),
                label_at(left, y + 15.0, "start", label, THRESHOLD_FONT),
            ];
            choose(candidates, &mut placed);
        }
        for (year, value, label) in self.finite_targets() {
            let (x, y) = (layout.x(*year), layout.y(*value));
            let anchor = if x > plot.right - 60.0 {
                "end"
            } else if x < plot.left + 60.0 {
                "start"
            } else {
                "middle"
            };
            let candidates = [-10.0, 20.0, -24.0, 34.0, -38.0, 48.0]
                .into_iter()
                .map(|dy| label_at(x, y + dy, anchor, label, TARGET_FONT))
                .collect();
            choose(candidates, &mut placed);
        }
        placed
    }
}

enum Sample {
    Line {
        colour: &'static str,
        dash: Option<&'static str>,
        dot: bool,
    },
    Diamond,
}

/// A rectangle in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// Where the plot sits and how years and values map onto it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub plot: Rect,
    pub x_min: i32,
    pub x_max: i32,
    pub y_min: f64,
    pub y_max: f64,
    pub y_step: f64,
}

/// Inner horizontal padding of the plot, so the first and last points sit off the axes.
const X_PAD: f64 = 24.0;

impl Layout {
    /// The x coordinate of a year.
    pub fn x(&self, year: i32) -> f64 {
        let span = f64::from(self.x_max - self.x_min).max(1.0);
        let inner = (self.plot.right - self.plot.left - 2.0 * X_PAD).max(1.0);
        self.plot.left + X_PAD + f64::from(year - self.x_min) / span * inner
    }

    /// The y coordinate of a value.
    pub fn y(&self, value: f64) -> f64 {
        let span = (self.y_max - self.y_min).max(f64::MIN_POSITIVE);
        self.plot.bottom - (value - self.y_min) / span * (self.plot.bottom - self.plot.top)
    }

    /// The value axis' ticks, from `y_min` to `y_max`.
    pub fn y_ticks(&self) -> Vec<f64> {
        let count = ((self.y_max - self.y_min) / self.y_step).round() as i64;
        (0..=count.clamp(0, 50))
            .map(|k| self.y_min + k as f64 * self.y_step)
            .collect()
    }

    /// The year axis' ticks: every year, or every n-th year when there are many.
    pub fn x_ticks(&self) -> Vec<i32> {
        let span = self.x_max - self.x_min;
        let stride = (span / 13 + 1).max(1) as usize;
        let mut ticks: Vec<i32> = (self.x_min..=self.x_max).step_by(stride).collect();
        // The last year (often a target year) is always labelled.
        if ticks.last() != Some(&self.x_max) {
            if ticks.len() > 1 && self.x_max - ticks[ticks.len() - 1] < stride as i32 {
                ticks.pop();
            }
            ticks.push(self.x_max);
        }
        ticks
    }
}

fn finite(points: &[(i32, f64)]) -> Vec<(i32, f64)> {
    let mut points: Vec<(i32, f64)> = points.iter().copied().filter(|(_, value)| value.is_finite()).collect();
    points.sort_by_key(|(year, _)| *year);
    points
}

/// A padded value domain on "nice" tick steps (1, 2, 2.5, 5 × 10ⁿ). A domain of non-negative values
/// does not dip below zero.
fn nice_domain(low: f64, high: f64) -> (f64, f64, f64) {
    let (mut lo, mut hi) = (low, high);
    if hi - lo < 1e-9 {
        let pad = (hi.abs() * 0.1).max(1.0);
        lo -= pad;
        hi += pad;
    } else {
        let pad = (hi - lo) * 0.08;
        lo -= pad;
        hi += pad;
    }
    if low >= 0.0 && lo < 0.0 {
        lo = 0.0;
    }
    let step = nice_step((hi - lo) / 6.0);
    let y_min = (lo / step).floor() * step;
    let y_max = (hi / step).ceil() * step;
    (y_min, y_max, step)
}

fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

fn decimals_for(step: f64) -> usize {
    let mut decimals = 0;
    while decimals < 6
        && ((step * 10f64.powi(decimals as i32)).round() - step * 10f64.powi(decimals as i32)).abs() > 1e-6
    {
        decimals += 1;
    }
    decimals
}

fn polyline(layout: &Layout, points: &[(i32, f64)]) -> String {
    points
        .iter()
        .map(|(year, value)| format!("{},{}", c(layout.x(*year)), c(layout.y(*value))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A coordinate with two decimals.
fn c(value: f64) -> String {
    let text = format!("{value:.2}");
    if text == "-0.00" { "0.00".to_string() } else { text }
}

/// A value as people read it: up to four decimals, trailing zeros dropped.
pub fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

fn unit_text(unit: &str) -> &str {
    match unit.trim() {
        "-" | "—" | "无" => "",
        other => other,
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_domain_covers_values_on_round_steps() {
        let (lo, hi, step) = nice_domain(58.2, 80.0);
        assert!(lo <= 58.2 && hi >= 80.0);
        assert_eq!(step, 5.0);
        assert_eq!(lo % step, 0.0);
        let (lo, hi, _) = nice_domain(0.0, 0.0);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0);
        let (lo, _, _) = nice_domain(-3.0, 2.0);
        assert!(lo <= -3.0);
    }

    #[test]
    fn numbers_are_trimmed() {
        assert_eq!(number(62.0), "62");
        assert_eq!(number(58.25), "58.25");
        assert_eq!(number(-0.0), "0");
        assert_eq!(decimals_for(2.5), 1);
        assert_eq!(decimals_for(0.05), 2);
        assert_eq!(decimals_for(10.0), 0);
    }
}
