-- Runbooks: ordered steps with typed parameters. `source` is the TOML file as written
-- (what export returns and edit shows); title and summary are copied out of it for
-- lists. Built-ins ship with Owlery, are upserted by slug at startup and are read-only.
CREATE TABLE runbooks (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 63),
    title      TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    builtin    INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
