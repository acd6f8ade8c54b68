-- The machines of the cluster. `version` grows with every edit so that a save based
-- on an older version is refused instead of overwriting someone else's change.
CREATE TABLE hosts (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    provider   TEXT    NOT NULL,
    plan       TEXT    NOT NULL,
    arch       TEXT    NOT NULL,
    vcpus      INTEGER NOT NULL CHECK (vcpus > 0),
    ram_mib    INTEGER NOT NULL CHECK (ram_mib > 0),
    disk_gb    INTEGER NOT NULL CHECK (disk_gb > 0),
    ipv4       TEXT,
    ipv6       TEXT,
    mesh_addr  TEXT,
    ssh_host   TEXT    NOT NULL,
    ssh_port   INTEGER NOT NULL CHECK (ssh_port BETWEEN 1 AND 65535),
    ssh_user   TEXT    NOT NULL,
    notes      TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
