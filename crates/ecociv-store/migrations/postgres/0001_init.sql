-- ecociv schema, PostgreSQL edition. The SQLite edition (../sqlite/0001_init.sql) has the same tables,
-- columns, keys and constraints; only column types differ where the engines differ.
--
-- Citus-ready key rules (checked by ecociv-store's `citus_key_rules` test on this schema):
-- 1. Every zone-scoped table has `zone_code TEXT NOT NULL` (the zone's administrative division code) and it
--    leads its PRIMARY KEY, every UNIQUE constraint, and every FOREIGN KEY to another zone-scoped table.
-- 2. Global tables (framework data, the administrative hierarchy above the zone, accounts, sessions) are
--    reference tables: zone-scoped tables may point to them, never the other way round.
-- 3. No serial keys: ids are TEXT generated in Rust (time-ordered, random). Times are TEXT, RFC 3339 UTC.

-- ---------------------------------------------------------------- reference tables
CREATE TABLE framework (
    id          TEXT PRIMARY KEY,
    edition     TEXT NOT NULL,
    name        TEXT NOT NULL,
    source_toml TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE framework_row (
    framework_id TEXT NOT NULL REFERENCES framework (id),
    row_id       TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    name         TEXT NOT NULL,
    unit         TEXT NOT NULL,
    position     BIGINT NOT NULL,
    PRIMARY KEY (framework_id, row_id)
);

-- Administrative units above and around zones (province, city, county), by division code.
CREATE TABLE admin_unit (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT NULL REFERENCES admin_unit (code)
);

CREATE TABLE app_user (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin      BIGINT NOT NULL DEFAULT 0,
    disabled      BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until  TEXT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE session (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES app_user (id),
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX session_by_user ON session (user_id);

-- ---------------------------------------------------------------- zone-scoped tables
CREATE TABLE zone (
    zone_code        TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    parent_code      TEXT NULL REFERENCES admin_unit (code),
    framework_id     TEXT NOT NULL REFERENCES framework (id),
    attributes_json  TEXT NOT NULL,
    plan_title       TEXT NOT NULL,
    base_year        BIGINT NOT NULL,
    disclosed        BIGINT NOT NULL DEFAULT 0,
    data_version     BIGINT NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (zone_code)
);

-- Units inside a zone (streets 街道, towns 镇).
CREATE TABLE zone_unit (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    unit_code   TEXT NOT NULL,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    PRIMARY KEY (zone_code, unit_code)
);

CREATE TABLE department (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (zone_code, id),
    UNIQUE (zone_code, name)
);

CREATE TABLE plan_lead (
    zone_code     TEXT NOT NULL,
    row_id        TEXT NOT NULL,
    department_id TEXT NOT NULL,
    position      BIGINT NOT NULL,
    PRIMARY KEY (zone_code, row_id, department_id),
    FOREIGN KEY (zone_code, department_id) REFERENCES department (zone_code, id)
);

CREATE TABLE plan_target (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    row_id      TEXT NOT NULL,
    target_year BIGINT NOT NULL,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    figure      DOUBLE PRECISION NULL,
    state       TEXT NULL,
    PRIMARY KEY (zone_code, row_id, target_year)
);

CREATE TABLE plan_project (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    number      BIGINT NOT NULL,
    category    TEXT NOT NULL,
    content     TEXT NOT NULL,
    count       BIGINT NOT NULL,
    investment_wan_yuan DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (zone_code, number)
);

-- A user's role in a zone. Admins are global (app_user.is_admin); reviewers, editors and viewers are per zone.
CREATE TABLE membership (
    zone_code     TEXT NOT NULL REFERENCES zone (zone_code),
    user_id       TEXT NOT NULL REFERENCES app_user (id),
    role          TEXT NOT NULL,
    department_id TEXT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (zone_code, user_id),
    FOREIGN KEY (zone_code, department_id) REFERENCES department (zone_code, id)
);

-- A bulk import: all its revisions commit together or not at all.
CREATE TABLE import_batch (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    id          TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES app_user (id),
    format      TEXT NOT NULL,
    row_count   BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (zone_code, id)
);

-- Every change of a value is a new revision (append-only; nothing is updated or deleted). The value in
-- force for (zone, row, year) is the revision with the highest revision_no; the unique key makes two
-- concurrent writers of the same value collide instead of losing an update.
CREATE TABLE value_revision (
    zone_code       TEXT NOT NULL REFERENCES zone (zone_code),
    id              TEXT NOT NULL,
    row_id          TEXT NOT NULL,
    year            BIGINT NOT NULL,
    revision_no     BIGINT NOT NULL,
    action          TEXT NOT NULL,
    status          TEXT NOT NULL,
    value_kind      TEXT NOT NULL,
    value_number    DOUBLE PRECISION NULL,
    value_text      TEXT NOT NULL,
    assigned_text   TEXT NULL,
    recorded_met    BIGINT NULL,
    recorded_source TEXT NULL,
    source_json     TEXT NOT NULL,
    unit            TEXT NOT NULL,
    evidence        TEXT NOT NULL,
    author_id       TEXT NOT NULL REFERENCES app_user (id),
    created_at      TEXT NOT NULL,
    reason          TEXT NOT NULL,
    batch_id        TEXT NULL,
    PRIMARY KEY (zone_code, id),
    UNIQUE (zone_code, row_id, year, revision_no),
    FOREIGN KEY (zone_code, batch_id) REFERENCES import_batch (zone_code, id)
);
CREATE INDEX value_revision_year ON value_revision (zone_code, year);

-- Monitoring data of the computation issues (air, water, …): a series per station and parameter, and its
-- readings. Keyed by zone first so the hundreds of millions of rows a year shard with their zone.
CREATE TABLE monitoring_series (
    zone_code   TEXT NOT NULL REFERENCES zone (zone_code),
    id          TEXT NOT NULL,
    domain      TEXT NOT NULL,
    station     TEXT NOT NULL,
    parameter   TEXT NOT NULL,
    unit        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (zone_code, id),
    UNIQUE (zone_code, domain, station, parameter)
);

CREATE TABLE monitoring_reading (
    zone_code   TEXT NOT NULL,
    series_id   TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    value       DOUBLE PRECISION NULL,
    flag        TEXT NOT NULL,
    PRIMARY KEY (zone_code, series_id, observed_at),
    FOREIGN KEY (zone_code, series_id) REFERENCES monitoring_series (zone_code, id)
);
