//! A choropleth as SVG. [`Layer::prepare`] projects and simplifies the units' boundaries once (each unit's
//! path data in the drawing's pixels — what a server caches); [`choropleth`] then draws the layer with each
//! unit's class colour, title and link as the caller decides. Inline SVG with presentation attributes only
//! (no `style`, no script), a `<title>` and `<desc>` for screen readers, a `<title>` per unit for the
//! tooltip, and a stroke that stays thin at any width.

use std::fmt::Write as _;

use crate::Polygon;
use crate::project::{Albers, BBox, Fit};
use crate::simplify;

/// The drawing's width in user units (the SVG scales to its container).
pub const WIDTH: f64 = 800.0;
/// The margin around the units, in user units.
pub const PADDING: f64 = 8.0;
/// The simplification tolerance in user units: at 800 wide, under a pixel on an office screen.
pub const TOLERANCE: f64 = 0.5;

/// One unit, prepared: its code and its path data in the drawing's coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaPath {
    pub code: String,
    /// SVG path data (`M…L…Z`), one subpath per ring kept.
    pub d: String,
    /// Points kept after simplification.
    pub points: usize,
}

/// Units projected and simplified for drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub width: f64,
    pub height: f64,
    pub areas: Vec<AreaPath>,
    /// Points before simplification.
    pub points_in: usize,
}

fn number(out: &mut String, v: f64) {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        let _ = write!(out, "{}", rounded as i64);
    } else {
        let _ = write!(out, "{rounded:.1}");
    }
}

impl Layer {
    /// Projects (Albers, central meridian at the middle of the units' longitudes), fits `width` and
    /// simplifies at `tolerance` (both in user units). A unit whose every ring is below the tolerance
    /// keeps its largest ring unsimplified, so no unit disappears.
    pub fn prepare(units: &[(String, Vec<Polygon>)], width: f64, tolerance: f64) -> Option<Layer> {
        let all = || {
            units
                .iter()
                .flat_map(|(_, polygons)| polygons.iter().flatten().flatten())
        };
        let geographic = BBox::of(all())?;
        let albers = Albers::china((geographic.min[0] + geographic.max[0]) / 2.0);
        let projected: Vec<[f64; 2]> = all().map(|p| albers.project(*p)).collect();
        let fit = Fit::new(BBox::of(projected.iter())?, width, PADDING);
        let mut areas = Vec::with_capacity(units.len());
        for (code, polygons) in units {
            let mut d = String::new();
            let mut points = 0;
            let mut largest: Option<(usize, Vec<[f64; 2]>)> = None;
            for polygon in polygons {
                for ring in polygon {
                    let pixels: Vec<[f64; 2]> = ring.iter().map(|p| fit.apply(albers.project(*p))).collect();
                    match simplify::ring(&pixels, tolerance) {
                        Some(kept) => {
                            points += kept.len() - 1;
                            subpath(&mut d, &kept);
                        }
                        None => {
                            if largest.as_ref().is_none_or(|(n, _)| pixels.len() > *n) {
                                largest = Some((pixels.len(), pixels));
                            }
                        }
                    }
                }
            }
            if d.is_empty()
                && let Some((_, pixels)) = largest
            {
                points += pixels.len() - 1;
                subpath(&mut d, &pixels);
            }
            areas.push(AreaPath {
                code: code.clone(),
                d,
                points,
            });
        }
        Some(Layer {
            width: fit.width,
            height: fit.height,
            areas,
            points_in: projected.len(),
        })
    }

    /// The points drawn, all units together.
    pub fn points(&self) -> usize {
        self.areas.iter().map(|a| a.points).sum()
    }
}

fn subpath(d: &mut String, ring: &[[f64; 2]]) {
    // The ring's last point repeats its first: `Z` closes it.
    for (i, p) in ring[..ring.len() - 1].iter().enumerate() {
        d.push(if i == 0 {
            'M'
        } else if i == 1 {
            'L'
        } else {
            ' '
        });
        number(d, p[0]);
        d.push(' ');
        number(d, p[1]);
    }
    d.push('Z');
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// How one unit is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub code: String,
    /// Index into the colours.
    pub class: usize,
    /// The tooltip (the unit's name and figure).
    pub title: String,
    /// A link the unit leads to, if any.
    pub href: Option<String>,
}

/// What the drawing says to a screen reader, and its element ids' prefix (unique on the page).
#[derive(Debug, Clone)]
pub struct Labels<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// The fill of a unit of the layer that `areas` does not mention.
pub const UNLISTED: &str = "#ffffff";

/// Draws the layer: each unit in its class's colour (`colours[area.class]`, `#rrggbb`), with its title and
/// link.
pub fn choropleth(layer: &Layer, areas: &[Area], colours: &[&str], labels: &Labels<'_>) -> String {
    let by_code: std::collections::HashMap<&str, &Area> = areas.iter().map(|a| (a.code.as_str(), a)).collect();
    let mut out = String::with_capacity(layer.areas.iter().map(|a| a.d.len() + 120).sum::<usize>() + 400);
    let id = escape(labels.id);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="map" role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        w = layer.width.ceil(),
        h = layer.height.ceil(),
        title = escape(labels.title),
        desc = escape(labels.desc),
    );
    for path in &layer.areas {
        if path.d.is_empty() {
            continue;
        }
        let area = by_code.get(path.code.as_str());
        let fill = area.and_then(|a| colours.get(a.class)).copied().unwrap_or(UNLISTED);
        let href = area.and_then(|a| a.href.as_deref());
        if let Some(href) = href {
            let _ = write!(out, r#"<a href="{}">"#, escape(href));
        }
        let _ = write!(
            out,
            r##"<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round" vector-effect="non-scaling-stroke" data-code="{code}">"##,
            d = path.d,
            fill = escape(fill),
            code = escape(&path.code),
        );
        if let Some(area) = area {
            let _ = write!(out, "<title>{}</title>", escape(&area.title));
        }
        out.push_str("</path>");
        if href.is_some() {
            out.push_str("</a>");
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(lon: f64, lat: f64, size: f64) -> Polygon {
        vec![vec![
            [lon, lat],
            [lon + size, lat],
            [lon + size, lat + size],
            [lon, lat + size],
            [lon, lat],
        ]]
    }

    #[test]
    fn two_squares_side_by_side_fill_the_width() {
        let units = vec![
            ("450202".to_string(), vec![square(108.0, 24.0, 0.5)]),
            ("450203".to_string(), vec![square(108.5, 24.0, 0.5)]),
        ];
        let layer = Layer::prepare(&units, 400.0, 0.5).unwrap();
        assert_eq!(layer.areas.len(), 2);
        assert_eq!(layer.points(), 8);
        // Nearly square (one degree wide, half a degree high, at 24° N in an equal-area projection).
        assert!(layer.height > 150.0 && layer.height < 260.0, "{}", layer.height);
        let svg = choropleth(
            &layer,
            &[Area {
                code: "450202".into(),
                class: 1,
                title: "城中区 <达标>".into(),
                href: Some("/z/450202?a=1&b=2".into()),
            }],
            &["#cccccc", "#1a7f37"],
            &Labels {
                id: "m",
                title: "地图",
                desc: "说明",
            },
        );
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let paths: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("path")).collect();
        assert_eq!(paths.len(), 2);
        assert_eq!(paths[0].attribute("fill"), Some("#1a7f37"));
        assert_eq!(paths[1].attribute("fill"), Some(UNLISTED));
        assert!(svg.contains("城中区 &lt;达标&gt;") && svg.contains("?a=1&amp;b=2"));
    }
}
