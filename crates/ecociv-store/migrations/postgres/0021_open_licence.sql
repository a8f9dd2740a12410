-- The licence of a zone's open data (issue 14): the id of one of ecociv_report::portal::LICENCES, chosen by
-- an administrator (audited as `zone.licence` in admin_audit); NULL = ecociv's default, CC BY 4.0, which the
-- portal and the DCAT catalogue show as to be confirmed by the bureau.
ALTER TABLE zone ADD COLUMN open_licence TEXT NULL;
