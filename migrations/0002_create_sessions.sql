-- Server-side sessions. The cookie holds a random token; only its SHA-256 is stored,
-- so a copy of the database cannot be used to sign in. `flash` carries a failed form
-- submission back to the page a browser without JavaScript is redirected to.
CREATE TABLE sessions (
    token_hash   BLOB    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    client_addr  TEXT    NOT NULL,
    user_agent   TEXT    NOT NULL,
    flash        TEXT
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
