-- The figures the public air and water pages show, per (zone, page, year), computed from the stored
-- monitoring readings when a file is imported (and again when found stale), so that a page reads one row
-- and never the readings: its cost does not grow with the readings stored. `page` is `air` or `water`;
-- `version` is the number of files imported into the page's monitoring domains when the figures were
-- computed (imports only ever add files, so a different count means the figures are stale); `engine` is
-- the software that computed them. `body` is JSON made by the server (figures with their editions and
-- provenance). Derived data, a cache: never the source of truth (the readings are), rows are replaced in
-- place and may be deleted at any time. Keyed by zone first (Citus rules, see 0001); co-located with zone.
CREATE TABLE monitoring_result (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    page        TEXT NOT NULL,
    year        BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    engine      TEXT NOT NULL,
    body        TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (zone_code, page, year)
);
