-- Running the plan, continued: the supervision board (督查督办台账) and the evidence files of progress reports.
-- Both append-only and keyed by zone first (Citus rules, see 0001; distributed by zone_code like every
-- zone-scoped table).
--
-- plan_follow_up_event: every event of every follow-up item, in order (event_no 1 opens the item and
-- carries its rule, subject, owner and due date; later events are responses, the condition clearing or
-- returning, and the closure 销号). The board is the fold of these rows (ecociv_plan::supervision::Board);
-- event_no in the key turns two writers of one item into a Conflict instead of a lost event.
CREATE TABLE plan_follow_up_event (
    zone_code  TEXT NOT NULL REFERENCES zone (zone_code),
    item_id    TEXT NOT NULL,
    event_no   INTEGER NOT NULL,
    rule_id    TEXT NULL,
    subject    TEXT NOT NULL,
    owner      TEXT NOT NULL,
    opened     TEXT NOT NULL,
    due        TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('opened', 'response', 'cleared', 'returned', 'closed')),
    text       TEXT NULL,
    on_date    TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (zone_code, item_id, event_no)
);

-- Files attached to a progress report (佐证材料), bytes in the database like value_evidence; a report
-- revision lists the ids of its files.
CREATE TABLE plan_evidence (
    zone_code    TEXT NOT NULL REFERENCES zone (zone_code),
    id           TEXT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('measure', 'project')),
    subject_id   TEXT NOT NULL,
    periodicity  TEXT NOT NULL,
    period_year  INTEGER NOT NULL,
    period_index INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (zone_code, id)
);
