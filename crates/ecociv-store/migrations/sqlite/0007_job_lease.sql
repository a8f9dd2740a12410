-- Leases of background jobs (后台任务租约): at most one server instance runs a job at a time (the fill of
-- materialized assessments at start, the purge of expired sessions). A holder takes a free or expired lease
-- and renews it while it works; another instance that finds it held skips the job. A reference table
-- (global, tiny, no zone_code).
CREATE TABLE job_lease (
    job         TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
