-- S3 buckets (Mastodon's media). A bucket lives either on a MinIO service of the
-- inventory (service_id) or at an external provider's endpoint URL: exactly one of the
-- two. Its name is unique in the inventory so that pages and files can name it alone.
-- `addressing` decides the Mastodon settings (S3_HOSTNAME for 'path', S3_ALIAS_HOST for
-- 'virtual-host'); `alias_host` is the public host nginx serves the media on.
CREATE TABLE buckets (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 3 AND 63),
    service_id   INTEGER REFERENCES services (id) ON DELETE RESTRICT,
    endpoint_url TEXT,
    region       TEXT    NOT NULL,
    addressing   TEXT    NOT NULL CHECK (addressing IN ('path', 'virtual-host')),
    alias_host   TEXT,
    anonymous    TEXT    NOT NULL CHECK (anonymous IN ('none', 'download', 'upload', 'public')),
    notes        TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK ((service_id IS NULL) <> (endpoint_url IS NULL))
) STRICT;
CREATE INDEX buckets_by_service ON buckets (service_id);

-- The S3 users allowed into a bucket. `actions` is a space-separated subset of
-- "get put delete list"; the secret key lives in the secret store under `secret_name`,
-- never here.
CREATE TABLE bucket_users (
    bucket_id   INTEGER NOT NULL REFERENCES buckets (id) ON DELETE CASCADE,
    access_key  TEXT    NOT NULL CHECK (length(access_key) BETWEEN 3 AND 128),
    actions     TEXT    NOT NULL,
    secret_name TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (bucket_id, access_key)
) STRICT, WITHOUT ROWID;
