-- The processes of the cluster, each placed on one host. `name` is unique in the whole
-- cluster (nginx-hermes, sidekiq-default) so that references in files and forms are
-- one word. A host that still has services cannot be deleted (RESTRICT): move them first.
CREATE TABLE services (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    host_id      INTEGER NOT NULL REFERENCES hosts (id) ON DELETE RESTRICT,
    -- puma, sidekiq, streaming, nginx, postgresql, redis, minio, opensmtpd, dkimproxy,
    -- wireguard, bird or custom
    kind         TEXT    NOT NULL,
    -- The systemd unit, templated ones included: mastodon-sidekiq@default.service
    unit         TEXT    NOT NULL,
    -- Where it listens (an address of its host, often the mesh address); NULL: nowhere.
    listen_addr  TEXT,
    port         INTEGER CHECK (port BETWEEN 1 AND 65535),
    -- Sidekiq delivers to remote instances, Puma fetches remote profiles: both need a
    -- way out to the internet, IPv4 included.
    needs_egress INTEGER NOT NULL DEFAULT 0 CHECK (needs_egress IN (0, 1)),
    -- Expected resident memory: splits a host's cost and checks memory budgets.
    memory_mib   INTEGER CHECK (memory_mib > 0),
    notes        TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX services_by_host ON services (host_id);

-- "Puma needs PostgreSQL", "nginx proxies Puma": a service cannot start or work
-- without the ones it depends on.
CREATE TABLE service_deps (
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    depends_on INTEGER NOT NULL REFERENCES services (id) ON DELETE RESTRICT,
    PRIMARY KEY (service_id, depends_on),
    CHECK (service_id <> depends_on)
) STRICT, WITHOUT ROWID;
CREATE INDEX service_deps_by_target ON service_deps (depends_on);
