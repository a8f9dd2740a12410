-- Running the plan (ecociv-plan): progress reports on measures and projects, and the key-project ledger.
-- Both append-only: a report's submission, approval and return are revisions (revision_no 1, 2, …, the
-- workflow checked by ecociv_plan::report::ReportBook before the insert); the ledger is kept as whole
-- revisions of its text (ecociv_plan::format::ledger_to_toml). Keyed by zone first (Citus rules, see 0001).
CREATE TABLE plan_report_revision (
    zone_code     TEXT NOT NULL REFERENCES zone (zone_code),
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('measure', 'project')),
    subject_id    TEXT NOT NULL,
    periodicity   TEXT NOT NULL,
    period_year   INTEGER NOT NULL,
    period_index  INTEGER NOT NULL,
    revision_no   INTEGER NOT NULL,
    department    TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('submitted', 'approved', 'returned')),
    status        TEXT NOT NULL,
    percent       INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    spend_json    TEXT NOT NULL,
    narrative     TEXT NOT NULL,
    evidence_json TEXT NOT NULL,
    reason        TEXT NULL,
    on_date       TEXT NOT NULL,
    author        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (zone_code, subject_kind, subject_id, periodicity, period_year, period_index, revision_no)
);

CREATE TABLE plan_ledger_revision (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    revision_no INTEGER NOT NULL,
    ledger_toml TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (zone_code, revision_no)
);
