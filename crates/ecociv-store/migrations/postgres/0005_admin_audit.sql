-- The administration's audit trail (管理操作记录): every change an administrator makes to an account, a
-- role in a zone or a department — who, when, what before, what after. Append-only. A reference table
-- (accounts are global); `zone_code` names the zone of a role or department change but is no key.
CREATE TABLE admin_audit (
    id           TEXT PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     TEXT NOT NULL REFERENCES app_user (id),
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    zone_code    TEXT NULL,
    before_json  TEXT NOT NULL,
    after_json   TEXT NOT NULL
);
CREATE INDEX admin_audit_by_target ON admin_audit (target_kind, target_id);
