-- SQLite edition of ../postgres/0019_monitoring_correction.sql (same design; see ../README.md).
-- Corrections of monitoring data (监测数据更正, issue 19): a reviewer's batch that withdraws readings
-- (retract, 撤回) or replaces their values (supersede, 替换), each with its reason, the batch with its author,
-- time and file. History is append-only: a reading stored by an import is never updated or deleted; a
-- correction is a new row, the latest of a reading's corrections (highest `seq`) is what the readers see
-- (a retracted reading is left out, a superseded one read with the new value and flag), and the reading's
-- whole history — the original, then each correction with who, when and why — stays readable. The
-- application never updates or deletes rows of either table. A batch also adds a file record to its
-- domain's file series (`更正:NAME`), so the pages' figures count it as an input and are recomputed.
-- Keyed by zone first (Citus rules, see 0001); co-located with monitoring_reading.
CREATE TABLE monitoring_correction_batch (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    id          TEXT NOT NULL,
    domain      TEXT NOT NULL,
    file        TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES app_user (id),
    created_at  TEXT NOT NULL,
    corrections INTEGER NOT NULL,
    PRIMARY KEY (zone_code, id)
);

CREATE TABLE monitoring_correction (
    zone_code   TEXT NOT NULL,
    series_id   TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    batch_id    TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('retract', 'supersede')),
    value       REAL NULL,
    flag        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    line        INTEGER NOT NULL,
    PRIMARY KEY (zone_code, series_id, observed_at, seq),
    FOREIGN KEY (zone_code, batch_id) REFERENCES monitoring_correction_batch (zone_code, id),
    FOREIGN KEY (zone_code, series_id, observed_at) REFERENCES monitoring_reading (zone_code, series_id, observed_at)
);
CREATE INDEX monitoring_correction_batch_of ON monitoring_correction (zone_code, batch_id);
