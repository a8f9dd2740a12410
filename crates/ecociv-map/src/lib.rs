//! Maps of administrative units, drawn server-side as SVG (issue 15): no tiles, no script, no internet.
//!
//! - [`geojson`]: boundaries in — a GeoJSON `FeatureCollection` of `Polygon`/`MultiPolygon` features, each
//!   keyed by a unit's six-digit GB/T 2260 code (in `adcode`, `code` or `gb`; 天地图's nine-digit form with
//!   the country prefix 156 and the statistical twelve-digit form are read too), checked all together with
//!   every problem naming the feature and the field; and the compact text a store keeps per unit.
//! - [`project`]: the Albers equal-area conic projection with the standard parallels of maps of China
//!   (25° N, 47° N), fitted to a width.
//! - [`simplify`]: Douglas–Peucker on the projected rings, at a tolerance in pixels.
//! - [`svg`]: a prepared [`svg::Layer`] (each unit's path data) and the choropleth of the classes and colours
//!   the caller gives.
//!
//! - [`sites`]: points in — a `FeatureCollection` of `Point` features naming a station, a water section or a
//!   key project (`kind`, `id`), each inside China's extent; drawn over a layer by
//!   [`svg::choropleth_with`] as [`svg::Marker`]s.
//!
//! It knows nothing of indicators, zones or readiness: the caller decides each unit's class and title.

pub mod geojson;
pub mod project;
pub mod simplify;
pub mod sites;
pub mod svg;

/// A point: longitude and latitude in degrees, or projected x and y.
pub type Point = [f64; 2];

/// A polygon: its outer ring, then its holes; each ring closed (its last point equals its first).
pub type Polygon = Vec<Vec<Point>>;
