//! Integration tests of the SVG chart: well-formed XML, points where the scales put them, no NaN,
//! empty input handled, accessibility, and (with `png`) rasterisation.

#[cfg(feature = "png")]
mod png;
mod svg;
