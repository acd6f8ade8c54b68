-- SSH jobs. A host names the identity (a secret of kind ssh-private-key) it is reached
-- with; its host key is pinned here once an admin accepted it, and a key offered that
-- is not the pinned one is kept for an admin to review. A job runs one command on
-- several hosts; its output is stored in arrival order as it comes (`seq` is the
-- Server-Sent Events id), so a viewer who arrives late, or a server restarted after a
-- crash, still has every line that was received.
ALTER TABLE hosts ADD COLUMN ssh_identity TEXT;

CREATE TABLE host_keys (
    host_id     INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    public_key  TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    pinned_by   TEXT    NOT NULL,
    pinned_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE host_key_offers (
    host_id     INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    public_key  TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    seen_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    title        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    params       TEXT    NOT NULL,
    command      TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    parallelism  INTEGER NOT NULL CHECK (parallelism > 0),
    timeout_secs INTEGER NOT NULL CHECK (timeout_secs > 0)
) STRICT;
CREATE INDEX jobs_by_time ON jobs (created_at DESC, id DESC);

CREATE TABLE job_hosts (
    job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    host         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    exit_code    INTEGER,
    detail       TEXT    NOT NULL DEFAULT '',
    started_at   INTEGER,
    ended_at     INTEGER,
    output_bytes INTEGER NOT NULL DEFAULT 0,
    truncated    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, host)
) STRICT;

CREATE TABLE job_output (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    host   TEXT    NOT NULL,
    stream INTEGER NOT NULL CHECK (stream IN (1, 2)),
    data   BLOB    NOT NULL,
    PRIMARY KEY (job_id, seq)
) STRICT, WITHOUT ROWID;

-- What "gather facts" found on a host, as JSON, and when.
CREATE TABLE host_facts (
    host_id     INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    facts       TEXT    NOT NULL,
    gathered_at INTEGER NOT NULL
) STRICT;
