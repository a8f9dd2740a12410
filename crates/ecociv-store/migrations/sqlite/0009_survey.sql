-- The public side (issue 14): surveys behind rows 34/35 (ecociv-survey), their issued codes and responses.
-- Zone-scoped, keyed by zone first (Citus rules, see 0001 and migrations/README.md).
-- `survey` keeps the questionnaire and the sampling plan as their TOML text (ecociv_survey parses them),
-- so an estimate is always made with the questionnaire edition the answers were given to.
CREATE TABLE survey (
    zone_code          TEXT NOT NULL REFERENCES zone (zone_code),
    survey_id          TEXT NOT NULL,
    year               INTEGER NOT NULL,
    title              TEXT NOT NULL,
    questionnaire_toml TEXT NOT NULL,
    plan_toml          TEXT NOT NULL,
    -- 'open': anyone may answer the public form (one response per device and the rate limit);
    -- 'code': only with an issued code (one code, one response).
    access             TEXT NOT NULL CHECK (access IN ('open', 'code')),
    state              TEXT NOT NULL CHECK (state IN ('collecting', 'closed')),
    synthetic          INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (zone_code, survey_id)
);

-- Issued codes (调查码): one code, one response. `used_at` is set in the transaction that stores the
-- response; the response does not keep the code, so answers stay anonymous to whoever handed codes out.
CREATE TABLE survey_code (
    zone_code TEXT NOT NULL,
    survey_id TEXT NOT NULL,
    code      TEXT NOT NULL,
    stratum   TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    used_at   TEXT NULL,
    PRIMARY KEY (zone_code, survey_id, code),
    FOREIGN KEY (zone_code, survey_id) REFERENCES survey (zone_code, survey_id)
);

-- Responses, append-only. `channel`: web (the public form), paper (keyed by staff, `entered_by`),
-- import (a platform's export, `external_id` = the platform's response number, `batch` = the import).
-- UNIQUE external_id refuses a paper form or a platform response stored twice (NULLs are distinct).
CREATE TABLE survey_response (
    zone_code    TEXT NOT NULL,
    survey_id    TEXT NOT NULL,
    response_id  TEXT NOT NULL,
    stratum      TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('web', 'paper', 'import')),
    answers_json TEXT NOT NULL,
    external_id  TEXT NULL,
    entered_by   TEXT NULL,
    batch        TEXT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (zone_code, survey_id, response_id),
    UNIQUE (zone_code, survey_id, external_id),
    FOREIGN KEY (zone_code, survey_id) REFERENCES survey (zone_code, survey_id)
);
