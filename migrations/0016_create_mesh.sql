-- The WireGuard mesh between hosts. Each tunnel is its own point-to-point interface
-- (wg-<peer>) so that BIRD can run OSPF over it and own the routes (wg-quick Table = off);
-- every host announces its loopback (hosts.mesh_addr) through the tunnels.
CREATE TABLE mesh_nodes (
    host_id       INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    -- base64 of the 32-byte Curve25519 public key; the private key lives in the secret
    -- store under `wg_secret`, never here.
    wg_public_key TEXT    NOT NULL,
    wg_secret     TEXT,
    -- The first port of this host's tunnels: a new tunnel takes the lowest free port
    -- from here on (each tunnel interface needs its own), kept in mesh_links.
    listen_port   INTEGER NOT NULL CHECK (listen_port BETWEEN 1 AND 65535),
    -- The address the other hosts dial: an IPv4 or IPv6 literal (often the provider's
    -- private network address).
    endpoint      TEXT    NOT NULL,
    -- A host without a public IPv4 reaches the IPv4 internet through this host's NAT
    -- (hedwig through hermes in the reference cluster). NULL: it has its own way out.
    egress_via    INTEGER REFERENCES hosts (id) ON DELETE SET NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (egress_via IS NULL OR egress_via <> host_id)
) STRICT;

-- One tunnel between two mesh nodes, stored once (host_a < host_b), with the tunnel
-- address of each end (with its prefix, e.g. fd00:77::1/127 or 10.99.0.0/31) and the UDP
-- port each end listens on for this tunnel.
CREATE TABLE mesh_links (
    host_a     INTEGER NOT NULL REFERENCES mesh_nodes (host_id) ON DELETE CASCADE,
    host_b     INTEGER NOT NULL REFERENCES mesh_nodes (host_id) ON DELETE CASCADE,
    addr_a     TEXT    NOT NULL,
    addr_b     TEXT    NOT NULL,
    port_a     INTEGER NOT NULL CHECK (port_a BETWEEN 1 AND 65535),
    port_b     INTEGER NOT NULL CHECK (port_b BETWEEN 1 AND 65535),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (host_a, host_b),
    CHECK (host_a < host_b)
) STRICT, WITHOUT ROWID;
CREATE INDEX mesh_links_by_b ON mesh_links (host_b);
