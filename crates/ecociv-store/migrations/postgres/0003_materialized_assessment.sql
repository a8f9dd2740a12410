-- Materialized assessments (like DHIS2's analytics tables): the assessment JSON of (zone, year, selection),
-- gzip-compressed, as computed at the zone's `data_version` by one engine (ecociv version + framework
-- edition). Derived data, a cache: never the source of truth (the values stay append-only in
-- value_revision), rows are replaced in place and may be deleted at any time. A row serves a read only
-- when both its data_version equals the zone's and its engine equals the server's. Keyed by zone first
-- (Citus rules, see 0001); co-located with zone.
CREATE TABLE materialized_assessment (
    zone_code    TEXT NOT NULL REFERENCES zone (zone_code),
    year         BIGINT NOT NULL,
    selection    TEXT NOT NULL,
    data_version BIGINT NOT NULL,
    engine       TEXT NOT NULL,
    json_gzip    BYTEA NOT NULL,
    json_bytes   BIGINT NOT NULL,
    computed_at  TEXT NOT NULL,
    PRIMARY KEY (zone_code, year, selection)
);
