-- Edition adoption (issue 15): a zone's framework edition is chosen at creation (zone.framework_id); it may
-- later adopt a newer edition from a year on, the years before staying judged under the edition then in
-- force. `zone.framework_id` becomes the edition in force now; `zone.earlier_editions` the earlier ones,
-- oldest first, as `id@year;id@year` (each with the first year it no longer applies to — what a request
-- needs in the one key lookup of the zone's head; read by ecociv_store::zones into
-- ecociv_core::zone::Editions). `zone_edition_adoption` is the record of each adoption (who, when, why),
-- append-only: the application never updates or deletes its rows.
ALTER TABLE zone ADD COLUMN earlier_editions TEXT NOT NULL DEFAULT '';

CREATE TABLE zone_edition_adoption (
    zone_code             TEXT NOT NULL REFERENCES zone (zone_code),
    from_year             BIGINT NOT NULL,
    framework_id          TEXT NOT NULL REFERENCES framework (id),
    previous_framework_id TEXT NOT NULL REFERENCES framework (id),
    reason                TEXT NOT NULL,
    adopted_by            TEXT NOT NULL REFERENCES app_user (id),
    adopted_at            TEXT NOT NULL,
    PRIMARY KEY (zone_code, from_year)
);
