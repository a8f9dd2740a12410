-- Roles granted at an administrative level (issue 15): a reviewer or viewer of a city (地级) or province
-- (省级) unit sees — and a reviewer reviews — every zone below that unit, and nothing else. Read by user on
-- every signed-in request, like `membership`, so a reference table (distribute::REFERENCE_TABLES); it points
-- only at reference tables (admin_unit, app_user). Editors belong to a zone's department and are never
-- granted at a level.
CREATE TABLE unit_role (
    unit_code  TEXT NOT NULL REFERENCES admin_unit (code),
    user_id    TEXT NOT NULL REFERENCES app_user (id),
    role       TEXT NOT NULL CHECK (role IN ('reviewer', 'viewer')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (unit_code, user_id)
);
CREATE INDEX unit_role_by_user ON unit_role (user_id);
