-- Runs of runbooks. A run keeps its runbook's TOML as it was when started, so editing
-- or deleting the runbook later changes no run; `params` holds the values (JSON object).
-- `version` bumps on every change, so a page that polls sees at a glance if anything
-- moved. Each step's state, who acted and when, and the SSH job of its last attempt
-- (no foreign key: log retention may remove the job, the step keeps its outcome).
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    runbook_slug  TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    params        TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('active', 'done')),
    started_by    TEXT    NOT NULL,
    started_by_id INTEGER,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    version       INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE run_steps (
    run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    step_id  TEXT    NOT NULL,
    state    TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'passed', 'failed', 'skipped', 'approved')),
    reason   TEXT    NOT NULL DEFAULT '',
    actor    TEXT,
    acted_at INTEGER,
    job_id   INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, position)
) STRICT;
CREATE INDEX run_steps_running ON run_steps (job_id) WHERE state = 'running';
