-- SQLite edition of ../postgres/0022_boundary.sql (same design; see ../README.md).
-- Maps (issue 15): each administrative unit's boundary as the deployment imported it from a GeoJSON file
-- (`ecociv map import`), drawn server-side as SVG by ecociv-map — no tiles, nothing fetched at run time.
-- One row per unit, replaced whole by a later import of the unit (a boundary is reference data, not a
-- history: the file it came from and when are kept with it). `geometry` is the polygons' coordinates as
-- `ecociv_map::geojson::encode` writes them (a GeoJSON MultiPolygon's coordinates, longitude/latitude).
-- Read by scope on the roll-up pages, small and global: a reference table (distribute::REFERENCE_TABLES),
-- pointing only at another (admin_unit).
CREATE TABLE boundary (
    unit_code   TEXT NOT NULL PRIMARY KEY REFERENCES admin_unit (code),
    name        TEXT NOT NULL,
    geometry    TEXT NOT NULL,
    points      INTEGER NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
