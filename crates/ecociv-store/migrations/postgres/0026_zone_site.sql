-- Points on the maps (issue 15): a zone's air monitoring stations, water sections and key projects with a
-- WGS-84 longitude/latitude, as the deployment imported them from a GeoJSON file (`ecociv map sites`, the
-- API, the admin page). `kind` is station / section / project; `site_id` is the station's or section's
-- name as the zone's monitoring series name it, or the project's number in the plan (`2.03`). One import
-- replaces the zone's whole set (reference data, not a history: the file and time are kept with each row).
-- `illustrative` = 1 marks a position drawn for illustration (示意), never a surveyed one; every page that
-- shows it says so. Zone-scoped (Citus: distributed by zone_code, co-located with zone).
CREATE TABLE zone_site (
    zone_code    TEXT NOT NULL REFERENCES zone (zone_code),
    kind         TEXT NOT NULL,
    site_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    lon          DOUBLE PRECISION NOT NULL,
    lat          DOUBLE PRECISION NOT NULL,
    illustrative BIGINT NOT NULL DEFAULT 0,
    source       TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    PRIMARY KEY (zone_code, kind, site_id)
);
