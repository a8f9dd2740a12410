-- The roll-up's input (issue 15): with each materialized assessment, its compact summary
-- (`ecociv_progress::rollup::ZoneSummary` encoded: readiness and each row's status and figure), so a city,
-- province or national roll-up reads one short text per zone in one query instead of decompressing and
-- parsing every assessment. Written together with json_gzip, by the same engine at the same data version;
-- NULL for rows written before this migration (the roll-up then counts the zone as not computed).
ALTER TABLE materialized_assessment ADD COLUMN summary TEXT NULL;
