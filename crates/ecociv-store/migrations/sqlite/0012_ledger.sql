-- SQLite edition of ../postgres/0012_ledger.sql (same design; see ../README.md).
-- Registers (台账, issue 13): the records of every ledger kind of a zone, append-only, and the imports
-- that brought them. Zone-scoped, keyed by zone first (Citus rules, see 0001 and migrations/README.md:
-- distributed by zone_code, co-located with zone).
--
-- ledger_import: one import (a CSV or Excel file, an API upload, a page's entry) — who, when, which kind
-- and version, the file and its SHA-256, how many revisions it added. Written in the transaction that
-- stores its revisions; an import that adds nothing writes nothing.
CREATE TABLE ledger_import (
    zone_code      TEXT NOT NULL REFERENCES zone (zone_code),
    batch_id       TEXT NOT NULL,
    kind_id        TEXT NOT NULL,
    kind_version   INTEGER NOT NULL,
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    revision_count INTEGER NOT NULL,
    author         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (zone_code, batch_id)
);

-- ledger_record_revision: every revision of every record, never updated or deleted. A correction or a
-- lifecycle step (登记 → 整改中 → 销号) is a later revision carrying the full record; the record in force
-- is the highest revision_no (for a lifecycle, the last with state_date on or before the day asked).
-- revision_no in the key turns two writers of one record into a Conflict instead of a lost revision.
-- cells_json: field id → typed cell ({"s": text} | {"n": number} | {"d": "YYYY-MM-DD"} | {"y": year} |
-- {"b": bool}), the kind's fields of kind_version.
CREATE TABLE ledger_record_revision (
    zone_code    TEXT NOT NULL REFERENCES zone (zone_code),
    kind_id      TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    revision_no  INTEGER NOT NULL,
    kind_version INTEGER NOT NULL,
    cells_json   TEXT NOT NULL,
    state        TEXT NULL,
    state_date   TEXT NULL,
    synthetic    INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
    origin_file  TEXT NOT NULL,
    origin_line  INTEGER NULL,
    batch_id     TEXT NOT NULL,
    author       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (zone_code, kind_id, record_id, revision_no),
    FOREIGN KEY (zone_code, batch_id) REFERENCES ledger_import (zone_code, batch_id)
);
CREATE INDEX ledger_record_revision_batch ON ledger_record_revision (zone_code, batch_id);
