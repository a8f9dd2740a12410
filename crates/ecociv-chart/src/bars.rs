//! Bar charts (柱状图) of values over categories — the air page's daily AQI series and its good-day share by
//! month. Every text comes from the caller (title, unit note, the description's lead, the no-data panel, a
//! reference line's label), so a page passes its translation layer's labels. Pure: a description in, an SVG
//! string out; accessible like [`crate::LineChart`] (`role="img"`, `<title>`, `<desc>` listing every bar).
//! Non-finite values are left out; a chart without a bar to draw renders the caller's no-data panel.

use std::fmt::Write as _;

use crate::{FONT_FAMILY, c, colour, escape, number};

/// One bar: its category label (drawn under the axis when `tick` is set), its value (`None`: a gap) and
/// its fill colour; `text` is the bar's tooltip and its entry in the description.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub fill: String,
    pub text: String,
    /// Draw `label` under the bar (e.g. only the first day of each month in a year of days).
    pub tick: bool,
}

/// A bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// The unit note above the y axis (already worded, e.g. `单位：%`); empty for none.
    pub unit_note: String,
    /// The description's lead (before the bars' texts).
    pub lead: String,
    /// The text of the panel drawn when no bar has a value.
    pub no_data: String,
    pub bars: Vec<Bar>,
    /// The top of the y axis at least this value (the axis grows to the largest bar).
    pub max: f64,
    /// A horizontal reference line (value, label), e.g. AQI 100.
    pub reference: Option<(f64, String)>,
    pub width: u32,
    pub height: u32,
    /// The element id prefix of `<title>`/`<desc>` (several charts on one page need distinct ids).
    pub id: String,
    /// Between the bars' texts in the description: `；` by default.
    pub separator: String,
}

impl BarChart {
    /// An empty chart of the given title and size.
    pub fn new(id: &str, title: impl Into<String>, width: u32, height: u32) -> BarChart {
        BarChart {
            title: title.into(),
            unit_note: String::new(),
            lead: String::new(),
            no_data: "暂无数据 (no data)".into(),
            bars: Vec::new(),
            max: 0.0,
            reference: None,
            width,
            height,
            id: id.to_string(),
            separator: "；".into(),
        }
    }

    /// The description: the lead, then every bar's text.
    pub fn description(&self) -> String {
        let texts: Vec<&str> = self
            .bars
            .iter()
            .filter(|bar| bar.value.is_some_and(f64::is_finite))
            .map(|bar| bar.text.as_str())
            .collect();
        if texts.is_empty() {
            format!("{}{}", self.lead, self.no_data)
        } else {
            format!("{}{}", self.lead, texts.join(&self.separator))
        }
    }

    /// The SVG.
    pub fn to_svg(&self) -> String {
        let (width, height) = (self.width.max(200), self.height.max(120));
        let (w, h) = (f64::from(width), f64::from(height));
        let id = escape(&self.id);
        let mut svg = String::with_capacity(16 * 1024);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{}">"#,
            escape(FONT_FAMILY)
        );
        let _ = write!(
            svg,
            r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(&self.title),
            escape(&self.description())
        );
        let _ = write!(
            svg,
            r##"<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>"##
        );
        let _ = write!(
            svg,
            r#"<text x="{}" y="20" text-anchor="middle" font-size="15" font-weight="bold" fill="{}">{}</text>"#,
            c(w / 2.0),
            colour::TEXT,
            escape(&self.title)
        );
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
        let top = self
            .bars
            .iter()
            .filter_map(|bar| finite(bar.value))
            .chain(self.reference.as_ref().map(|(v, _)| *v).filter(|v| v.is_finite()))
            .fold(self.max.max(0.0), f64::max);
        // Quarter ticks at round numbers: the top up to a multiple of 20 (100 stays 100, 150 becomes 160).
        let top = if top > 20.0 { (top / 20.0).ceil() * 20.0 } else { top };
        if self.bars.iter().all(|bar| finite(bar.value).is_none()) || top <= 0.0 {
            let _ = write!(
                svg,
                r##"<rect x="16" y="32" width="{}" height="{}" fill="none" stroke="{}"/><text class="no-data" x="{}" y="{}" text-anchor="middle" font-size="14" fill="#888888">{}</text></svg>"##,
                c(w - 32.0),
                c(h - 44.0),
                colour::GRID,
                c(w / 2.0),
                c(h / 2.0 + 6.0),
                escape(&self.no_data)
            );
            return svg;
        }
        let (left, right, upper, lower) = (44.0, w - 12.0, 44.0, h - 26.0);
        let y = |v: f64| lower - (v.max(0.0) / top) * (lower - upper);
        if !self.unit_note.is_empty() {
            let _ = write!(
                svg,
                r#"<text x="{}" y="36" font-size="11" fill="{}">{}</text>"#,
                c(left - 36.0),
                colour::AXIS,
                escape(&self.unit_note)
            );
        }
        // Grid and y ticks: 0, ¼, ½, ¾ and the top.
        for k in 0..=4 {
            let v = top * f64::from(k) / 4.0;
            let _ = write!(
                svg,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/><text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text>"#,
                c(left),
                c(y(v)),
                c(right),
                c(y(v)),
                colour::GRID,
                c(left - 4.0),
                c(y(v) + 4.0),
                colour::AXIS,
                number((v * 10.0).round() / 10.0)
            );
        }
        let n = self.bars.len().max(1) as f64;
        let step = (right - left) / n;
        let gap = if step > 6.0 { step * 0.2 } else { 0.0 };
        svg.push_str(r#"<g class="bars">"#);
        for (i, bar) in self.bars.iter().enumerate() {
            let x = left + step * i as f64;
            if let Some(v) = finite(bar.value) {
                let _ = write!(
                    svg,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>"#,
                    c(x + gap / 2.0),
                    c(y(v)),
                    c((step - gap).max(0.5)),
                    c(lower - y(v)),
                    escape(&bar.fill),
                    escape(&bar.text)
                );
            }
            if bar.tick {
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>"#,
                    c(x + step / 2.0),
                    c(lower + 16.0),
                    colour::AXIS,
                    escape(&bar.label)
                );
            }
        }
        svg.push_str("</g>");
        let _ = write!(
            svg,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>"#,
            c(left),
            c(lower),
            c(right),
            c(lower),
            colour::AXIS
        );
        if let Some((v, label)) = self.reference.as_ref().filter(|(v, _)| v.is_finite()) {
            let _ = write!(
                svg,
                r#"<g class="reference"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text></g>"#,
                c(left),
                c(y(*v)),
                c(right),
                c(y(*v)),
                colour::THRESHOLD,
                c(right),
                c(y(*v) - 4.0),
                colour::THRESHOLD,
                escape(label)
            );
        }
        svg.push_str("</svg>");
        svg
    }
}
