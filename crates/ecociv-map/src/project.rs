//! The Albers equal-area conic projection (Snyder, *Map Projections — A Working Manual*, USGS 1395, 1987,
//! §14, spherical formulas 14-1 to 14-4), with the standard parallels used for maps of China (25° N and
//! 47° N) and a central meridian the caller chooses (the middle of what is drawn, so a province stands
//! upright). Equal-area, so a choropleth does not make northern or southern units look larger than they
//! are. On a unit sphere; [`Fit`] scales the result to a drawing's pixels.

use crate::Point;

/// The southern standard parallel of maps of China, degrees.
pub const PARALLEL_1: f64 = 25.0;
/// The northern standard parallel, degrees.
pub const PARALLEL_2: f64 = 47.0;

/// An Albers projection on the unit sphere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Albers {
    n: f64,
    c: f64,
    rho0: f64,
    lon0: f64,
}

impl Albers {
    /// The projection with standard parallels 25° N and 47° N, central meridian `lon0`, origin latitude 0.
    pub fn china(lon0: f64) -> Albers {
        let (p1, p2) = (PARALLEL_1.to_radians(), PARALLEL_2.to_radians());
        let n = (p1.sin() + p2.sin()) / 2.0;
        let c = p1.cos().powi(2) + 2.0 * n * p1.sin();
        let rho0 = c.sqrt() / n;
        Albers {
            n,
            c,
            rho0,
            lon0: lon0.to_radians(),
        }
    }

    /// Projects longitude/latitude (degrees) to x east, y north.
    pub fn project(&self, [lon, lat]: Point) -> Point {
        let rho = (self.c - 2.0 * self.n * lat.to_radians().sin()).sqrt() / self.n;
        let theta = self.n * (lon.to_radians() - self.lon0);
        [rho * theta.sin(), self.rho0 - rho * theta.cos()]
    }
}

/// A bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min: Point,
    pub max: Point,
}

impl BBox {
    /// The box of some points; `None` when there are none.
    pub fn of<'a>(points: impl IntoIterator<Item = &'a Point>) -> Option<BBox> {
        let mut out: Option<BBox> = None;
        for p in points {
            out = Some(match out {
                None => BBox { min: *p, max: *p },
                Some(b) => BBox {
                    min: [b.min[0].min(p[0]), b.min[1].min(p[1])],
                    max: [b.max[0].max(p[0]), b.max[1].max(p[1])],
                },
            });
        }
        out
    }

    pub fn width(&self) -> f64 {
        self.max[0] - self.min[0]
    }

    pub fn height(&self) -> f64 {
        self.max[1] - self.min[1]
    }
}

/// Projected coordinates (y north) to a drawing's pixels (y down), keeping the aspect ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    scale: f64,
    origin: Point,
    padding: f64,
    /// The drawing's width and height in pixels.
    pub width: f64,
    pub height: f64,
}

impl Fit {
    /// Fits a projected box into `width` pixels (less `padding` on each side); the height follows.
    pub fn new(bbox: BBox, width: f64, padding: f64) -> Fit {
        let inner = (width - 2.0 * padding).max(1.0);
        let span = bbox.width().max(bbox.height() * 1e-3).max(f64::MIN_POSITIVE);
        let scale = inner / span;
        Fit {
            scale,
            origin: [bbox.min[0], bbox.max[1]],
            padding,
            width,
            height: bbox.height() * scale + 2.0 * padding,
        }
    }

    /// Pixels per projected unit.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    pub fn apply(&self, [x, y]: Point) -> Point {
        [
            self.padding + (x - self.origin[0]) * self.scale,
            self.padding + (self.origin[1] - y) * self.scale,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal area: two cells of one degree square at the same latitude project to the same area, and a
    /// cell's projected area over its true area on the sphere is the same at 20° N and at 45° N.
    #[test]
    fn equal_area() {
        let albers = Albers::china(105.0);
        let area = |lon: f64, lat: f64| {
            let ring = [[lon, lat], [lon + 1.0, lat], [lon + 1.0, lat + 1.0], [lon, lat + 1.0]];
            // Densify the edges so the projected polygon follows the curved parallels.
            let mut points = Vec::new();
            for k in 0..4 {
                let (a, b) = (ring[k], ring[(k + 1) % 4]);
                for s in 0..100 {
                    let t = f64::from(s) / 100.0;
                    points.push(albers.project([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]));
                }
            }
            let mut sum = 0.0;
            for k in 0..points.len() {
                let (p, q) = (points[k], points[(k + 1) % points.len()]);
                sum += p[0] * q[1] - q[0] * p[1];
            }
            sum.abs() / 2.0
        };
        let sphere = |lat: f64| 1f64.to_radians() * (((lat + 1.0).to_radians()).sin() - lat.to_radians().sin());
        let (a, b) = (area(100.0, 20.0), area(110.0, 20.0));
        assert!((a - b).abs() / a < 1e-9, "{a} {b}");
        let (south, north) = (area(105.0, 20.0) / sphere(20.0), area(105.0, 45.0) / sphere(45.0));
        assert!(
            (south - 1.0).abs() < 1e-3 && (north - 1.0).abs() < 1e-3,
            "{south} {north}"
        );
    }

    #[test]
    fn the_central_meridian_is_vertical_and_north_is_up() {
        let albers = Albers::china(108.0);
        let (s, n) = (albers.project([108.0, 21.0]), albers.project([108.0, 26.0]));
        assert!(s[0].abs() < 1e-12 && n[0].abs() < 1e-12);
        assert!(n[1] > s[1]);
        let fit = Fit::new(BBox::of([&s, &n, &[-0.01, s[1]], &[0.01, n[1]]]).unwrap(), 200.0, 10.0);
        let (ps, pn) = (fit.apply(s), fit.apply(n));
        assert!(pn[1] < ps[1], "north is drawn above");
        assert!((fit.apply([-0.01, n[1]])[0] - 10.0).abs() < 1e-9);
        assert!((fit.apply([0.01, n[1]])[0] - 190.0).abs() < 1e-9);
    }
}
