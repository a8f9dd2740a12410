-- Narrow monitoring readings (issue 19): a national year is hundreds of millions of readings, and each row of
-- 0001's `monitoring_reading` took ~119 bytes on SQLite (a 26-character series id and a 13-character time as
-- text, in the table and again in its primary key's index). The readings are rebuilt here as
--   monitoring_series  (zone_code, id INTEGER per zone, domain, station, parameter, unit, created_at, import_no)
--   monitoring_reading (zone_code, series_id INTEGER, at INTEGER, value, flag, import_no)
-- (on SQLite WITHOUT ROWID: the rows live in the primary key's b-tree, stored once), and the files imported
-- move from the readings (0001's `_file` series) to their own table, `monitoring_import`, which also holds an
-- import while it is being stored:
-- - `monitoring_import`: one row per file imported into a zone's domain (and per correction batch, file
--   `更正:NAME`), numbered per zone (`no`, from 1, made in Rust as the zone's highest + 1). `state` is
--   `pending` while a file is being stored and `committed` once it is whole: every reader leaves out the
--   readings (and the series) of a pending import, so a file is seen whole or not at all. On SQLite an
--   import is stored in short transactions under a pending row and committed by one last short transaction
--   (the one writing connection is never held for a whole file); the pending rows of a server killed
--   meanwhile are removed when the server starts again. On PostgreSQL the whole file is one transaction and
--   the row is written `committed` in it. `id` is the import's own token (its chunks check that their row
--   is still theirs), `readings` the number stored, `touched_at` the last chunk's time.
-- - `at` is the reading's time as an integer that sorts as the text did: the text
--   YYYY[-MM[-DD[THH[:MM[:SS]]]]] (empty for a register) is
--   Y·10^10 + M·10^8 + D·10^6 + (H+1)·10^4 + (MM+1)·10^2 + (SS+1), an absent part counting 0
--   (`ecociv_store::monitoring::time_key`; e.g. 2023-01-05T07 → 20230105080000).
-- - `import_no` is the import that stored the reading (0: stored before this migration).
-- The corrections of 0019 follow their readings (series id and time as integers), unchanged otherwise.
-- The file records of 0001 become imports 1, 2, … per zone in the order they were stored. Ids are still made
-- in Rust (no serial columns); keys lead with zone_code (Citus rules, see 0001).
CREATE TABLE monitoring_import (
    zone_code  TEXT NOT NULL REFERENCES zone (zone_code),
    no         BIGINT NOT NULL,
    id         TEXT NOT NULL,
    domain     TEXT NOT NULL,
    file       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'committed')),
    readings   BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    touched_at TEXT NOT NULL,
    PRIMARY KEY (zone_code, no)
);

CREATE TABLE monitoring_series_new (
    zone_code  TEXT NOT NULL REFERENCES zone (zone_code),
    id         BIGINT NOT NULL,
    domain     TEXT NOT NULL,
    station    TEXT NOT NULL,
    parameter  TEXT NOT NULL,
    unit       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    import_no  BIGINT NOT NULL,
    PRIMARY KEY (zone_code, id),
    UNIQUE (zone_code, domain, station, parameter)
);

CREATE TABLE monitoring_reading_new (
    zone_code TEXT NOT NULL,
    series_id BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    value     DOUBLE PRECISION NULL,
    flag      TEXT NOT NULL,
    import_no BIGINT NOT NULL,
    PRIMARY KEY (zone_code, series_id, at),
    FOREIGN KEY (zone_code, series_id) REFERENCES monitoring_series_new (zone_code, id)
);

CREATE TABLE monitoring_correction_new (
    zone_code TEXT NOT NULL,
    series_id BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    seq       BIGINT NOT NULL,
    batch_id  TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('retract', 'supersede')),
    value     DOUBLE PRECISION NULL,
    flag      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    line      BIGINT NOT NULL,
    PRIMARY KEY (zone_code, series_id, at, seq),
    FOREIGN KEY (zone_code, batch_id) REFERENCES monitoring_correction_batch (zone_code, id),
    FOREIGN KEY (zone_code, series_id, at) REFERENCES monitoring_reading_new (zone_code, series_id, at)
);

-- The file records, numbered per zone in the order they were stored (their time is the text before the
-- space of 0001's `observed_at`, "TIME FILE").
INSERT INTO monitoring_import (zone_code, no, id, domain, file, state, readings, created_at, touched_at)
SELECT r.zone_code, ROW_NUMBER() OVER (PARTITION BY r.zone_code ORDER BY r.observed_at, s.domain),
       'migrated-' || r.series_id || '-' || r.observed_at, s.domain, r.flag, 'committed', 0,
       split_part(r.observed_at, ' ', 1), split_part(r.observed_at, ' ', 1)
FROM monitoring_reading r JOIN monitoring_series s ON s.zone_code = r.zone_code AND s.id = r.series_id
WHERE s.parameter = '_file';

INSERT INTO monitoring_series_new (zone_code, id, domain, station, parameter, unit, created_at, import_no)
SELECT zone_code, ROW_NUMBER() OVER (PARTITION BY zone_code ORDER BY created_at, id), domain, station, parameter,
       unit, created_at, 0
FROM monitoring_series WHERE parameter <> '_file';

INSERT INTO monitoring_reading_new (zone_code, series_id, at, value, flag, import_no)
SELECT r.zone_code, m.n,
       CASE WHEN length(r.observed_at) >= 4 THEN CAST(substr(r.observed_at, 1, 4) AS BIGINT) * 10000000000 ELSE 0 END
     + CASE WHEN length(r.observed_at) >= 7 THEN CAST(substr(r.observed_at, 6, 2) AS BIGINT) * 100000000 ELSE 0 END
     + CASE WHEN length(r.observed_at) >= 10 THEN CAST(substr(r.observed_at, 9, 2) AS BIGINT) * 1000000 ELSE 0 END
     + CASE WHEN length(r.observed_at) >= 13 THEN (CAST(substr(r.observed_at, 12, 2) AS BIGINT) + 1) * 10000 ELSE 0 END
     + CASE WHEN length(r.observed_at) >= 16 THEN (CAST(substr(r.observed_at, 15, 2) AS BIGINT) + 1) * 100 ELSE 0 END
     + CASE WHEN length(r.observed_at) >= 19 THEN CAST(substr(r.observed_at, 18, 2) AS BIGINT) + 1 ELSE 0 END,
       r.value, r.flag, 0
FROM monitoring_reading r
JOIN (SELECT zone_code, id, ROW_NUMBER() OVER (PARTITION BY zone_code ORDER BY created_at, id) AS n
      FROM monitoring_series WHERE parameter <> '_file') m ON m.zone_code = r.zone_code AND m.id = r.series_id;

INSERT INTO monitoring_correction_new (zone_code, series_id, at, seq, batch_id, action, value, flag, reason, line)
SELECT c.zone_code, m.n,
       CASE WHEN length(c.observed_at) >= 4 THEN CAST(substr(c.observed_at, 1, 4) AS BIGINT) * 10000000000 ELSE 0 END
     + CASE WHEN length(c.observed_at) >= 7 THEN CAST(substr(c.observed_at, 6, 2) AS BIGINT) * 100000000 ELSE 0 END
     + CASE WHEN length(c.observed_at) >= 10 THEN CAST(substr(c.observed_at, 9, 2) AS BIGINT) * 1000000 ELSE 0 END
     + CASE WHEN length(c.observed_at) >= 13 THEN (CAST(substr(c.observed_at, 12, 2) AS BIGINT) + 1) * 10000 ELSE 0 END
     + CASE WHEN length(c.observed_at) >= 16 THEN (CAST(substr(c.observed_at, 15, 2) AS BIGINT) + 1) * 100 ELSE 0 END
     + CASE WHEN length(c.observed_at) >= 19 THEN CAST(substr(c.observed_at, 18, 2) AS BIGINT) + 1 ELSE 0 END,
       c.seq, c.batch_id, c.action, c.value, c.flag, c.reason, c.line
FROM monitoring_correction c
JOIN (SELECT zone_code, id, ROW_NUMBER() OVER (PARTITION BY zone_code ORDER BY created_at, id) AS n
      FROM monitoring_series WHERE parameter <> '_file') m ON m.zone_code = c.zone_code AND m.id = c.series_id;

DROP TABLE monitoring_correction;
DROP TABLE monitoring_reading;
DROP TABLE monitoring_series;
ALTER TABLE monitoring_series_new RENAME TO monitoring_series;
ALTER TABLE monitoring_reading_new RENAME TO monitoring_reading;
ALTER TABLE monitoring_correction_new RENAME TO monitoring_correction;
CREATE INDEX monitoring_correction_batch_of ON monitoring_correction (zone_code, batch_id);
