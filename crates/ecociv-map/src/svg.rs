//! A choropleth as SVG. [`Layer::prepare`] projects and simplifies the units' boundaries once (each unit's
//! path data in the drawing's pixels — what a server caches); [`choropleth`] then draws the layer with each
//! unit's class colour, title and link as the caller decides. Inline SVG with presentation attributes only
//! (no `style`, no script), a `<title>` and `<desc>` for screen readers, a `<title>` per unit for the
//! tooltip, and a stroke that stays thin at any width.

use std::fmt::Write as _;

use crate::project::{Albers, BBox, Fit};
use crate::simplify;
use crate::sites::SiteKind;
use crate::{Point, Polygon};

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
    /// The projection and fit the paths were drawn with ([`Layer::place`]).
    albers: Albers,
    fit: Fit,
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
        Layer::prepare_around(units, &[], width, tolerance)
    }

    /// As [`Layer::prepare`], with the drawing's extent widened to take in `extra` positions too (points
    /// drawn on the layer, [`Marker`]s, that may lie outside the units).
    pub fn prepare_around(
        units: &[(String, Vec<Polygon>)],
        extra: &[Point],
        width: f64,
        tolerance: f64,
    ) -> Option<Layer> {
        let all = || {
            units
                .iter()
                .flat_map(|(_, polygons)| polygons.iter().flatten().flatten())
                .chain(extra.iter())
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
            points_in: projected.len() - extra.len(),
            albers,
            fit,
        })
    }

    /// The radius markers are drawn with on this layer, in user units.
    pub fn marker_radius(&self) -> f64 {
        (self.width.max(self.height) * MARKER_SHARE).max(MARKER_RADIUS)
    }

    /// A longitude/latitude in the drawing's coordinates.
    pub fn place(&self, position: Point) -> Point {
        self.fit.apply(self.albers.project(position))
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

/// A point drawn on the layer: a station, a section or a project, at its longitude/latitude.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub kind: SiteKind,
    pub id: String,
    pub position: Point,
    /// The tooltip (its name and state).
    pub title: String,
    pub href: Option<String>,
}

/// Each kind's colour: distinct from the choropleth's greens, oranges and greys, and from each other.
pub fn marker_colour(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::Station => "#0969da",
        SiteKind::Section => "#8250df",
        SiteKind::Project => "#a40e26",
    }
}

/// The smallest radius of a marker in user units; [`Layer::marker_radius`] grows it with a tall drawing,
/// which the page shows scaled down to fit the screen's height.
pub const MARKER_RADIUS: f64 = 8.0;

/// A marker's radius as a share of the drawing's larger side: about 8 px on a phone and on an office screen.
const MARKER_SHARE: f64 = 1.0 / 60.0;

/// A kind's symbol centred at (x, y) with radius `r`: a circle (station), a square (section), a
/// triangle (project) — told apart by shape as well as colour. `inner` goes inside the element (its
/// `<title>`). The legend draws the same symbol.
pub fn marker_symbol(kind: SiteKind, x: f64, y: f64, r: f64, attributes: &str, inner: &str) -> String {
    let mut out = String::new();
    let fill = marker_colour(kind);
    let common = format!(
        r##"fill="{fill}" stroke="#ffffff" stroke-width="1.2" vector-effect="non-scaling-stroke"{attributes}"##
    );
    let n = |v: f64| {
        let mut s = String::new();
        number(&mut s, v);
        s
    };
    match kind {
        SiteKind::Station => {
            let _ = write!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}" {common}>{inner}</circle>"#,
                n(x),
                n(y),
                n(r)
            );
        }
        SiteKind::Section => {
            let side = r * 1.7;
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" {common}>{inner}</rect>"#,
                n(x - side / 2.0),
                n(y - side / 2.0),
                n(side),
                n(side)
            );
        }
        SiteKind::Project => {
            let h = r * 1.9;
            let _ = write!(
                out,
                r#"<path d="M{} {}L{} {} {} {}Z" {common}>{inner}</path>"#,
                n(x),
                n(y - h * 0.6),
                n(x + h * 0.58),
                n(y + h * 0.4),
                n(x - h * 0.58),
                n(y + h * 0.4)
            );
        }
    }
    out
}

/// Draws the layer: each unit in its class's colour (`colours[area.class]`, `#rrggbb`), with its title and
/// link.
pub fn choropleth(layer: &Layer, areas: &[Area], colours: &[&str], labels: &Labels<'_>) -> String {
    choropleth_with(layer, areas, colours, &[], labels)
}

/// As [`choropleth`], with `markers` drawn over the units (in their order; each a symbol of
/// [`marker_symbol`] with `data-kind`, `data-id`, its title and link, grouped in `<g class="sites">`).
pub fn choropleth_with(
    layer: &Layer,
    areas: &[Area],
    colours: &[&str],
    markers: &[Marker],
    labels: &Labels<'_>,
) -> String {
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
    if !markers.is_empty() {
        out.push_str(r#"<g class="sites">"#);
        for marker in markers {
            let [x, y] = layer.place(marker.position);
            if let Some(href) = &marker.href {
                let _ = write!(out, r#"<a href="{}">"#, escape(href));
            }
            let attributes = format!(
                r#" class="site" data-kind="{}" data-id="{}""#,
                marker.kind.key(),
                escape(&marker.id)
            );
            let inner = format!("<title>{}</title>", escape(&marker.title));
            out.push_str(&marker_symbol(
                marker.kind,
                x,
                y,
                layer.marker_radius(),
                &attributes,
                &inner,
            ));
            if marker.href.is_some() {
                out.push_str("</a>");
            }
        }
        out.push_str("</g>");
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

    #[test]
    fn markers_are_placed_where_their_positions_project_even_outside_the_units() {
        let units = vec![("450202".to_string(), vec![square(108.0, 24.0, 0.5)])];
        let outside = [108.75, 24.25];
        let layer = Layer::prepare_around(&units, &[outside], 400.0, 0.5).unwrap();
        let markers: Vec<Marker> = [
            (SiteKind::Station, [108.25, 24.25]),
            (SiteKind::Section, [108.0, 24.0]),
            (SiteKind::Project, outside),
        ]
        .into_iter()
        .map(|(kind, position)| Marker {
            kind,
            id: format!("{kind:?}"),
            position,
            title: format!("{} <1>", kind.zh()),
            href: None,
        })
        .collect();
        let svg = choropleth_with(
            &layer,
            &[],
            &["#cccccc"],
            &markers,
            &Labels {
                id: "m",
                title: "t",
                desc: "d",
            },
        );
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let sites: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("site"))
            .collect();
        let kinds: Vec<_> = sites
            .iter()
            .map(|n| (n.tag_name().name(), n.attribute("data-kind").unwrap()))
            .collect();
        assert_eq!(kinds, [("circle", "station"), ("rect", "section"), ("path", "project")]);
        // The station at the square's centre; the section at its south-west corner (bottom left).
        let (cx, cy): (f64, f64) = (
            sites[0].attribute("cx").unwrap().parse().unwrap(),
            sites[0].attribute("cy").unwrap().parse().unwrap(),
        );
        let [x, y] = layer.place([108.25, 24.25]);
        assert!((cx - x).abs() < 0.1 && (cy - y).abs() < 0.1);
        assert!(
            x < layer.width / 2.0,
            "the outside point widened the drawing to the east: {x} of {}",
            layer.width
        );
        let corner = layer.place([108.0, 24.0]);
        assert!(
            (corner[0] - PADDING).abs() < 0.5 && (corner[1] - (layer.height - PADDING)).abs() < 3.0,
            "{corner:?}"
        );
        let east = layer.place(outside);
        assert!((east[0] - (layer.width - PADDING)).abs() < 0.5, "{east:?}");
        assert!(svg.contains("空气监测站点 &lt;1&gt;"));
    }
}
