-- Evidence attachments (佐证材料) of values: files kept in the database, append-only like the values, so a
-- backup of the database is a backup of everything. Keyed by zone first (Citus rules, see 0001).
CREATE TABLE value_evidence (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    id          TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES app_user (id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (zone_code, id)
);
CREATE INDEX value_evidence_by_value ON value_evidence (zone_code, row_id, year);
