-- Evidence files (佐证材料) of register records (台账记录, issue 13): a scan of a rectification notice, a
-- 销号 approval, a sample's test report. Kept in the database like the values' evidence (0002), append-only:
-- never replaced or deleted in place. Attached to a record (kind and record id), not to one revision: the
-- record's history says what changed, its files say what proves it. Keyed by zone first (Citus rules, 0001).
CREATE TABLE ledger_record_evidence (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    id          TEXT NOT NULL,
    kind_id     TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    content     BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES app_user (id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (zone_code, id)
);
CREATE INDEX ledger_record_evidence_by_record ON ledger_record_evidence (zone_code, kind_id, record_id);
