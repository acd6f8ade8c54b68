-- The plan catalogue: what a provider sells and for how much. Money is an integer count
-- of the currency's minor unit (cents for EUR) with its ISO 4217 code, never a float.
-- `ipv4_saving_minor` is what the provider takes off the monthly price when the host
-- has no public IPv4 (Scaleway: 1 EUR on a Start1-XS).
CREATE TABLE plans (
    id                INTEGER PRIMARY KEY,
    provider          TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    vcpus             INTEGER NOT NULL CHECK (vcpus > 0),
    ram_mib           INTEGER NOT NULL CHECK (ram_mib > 0),
    disk_gb           INTEGER NOT NULL CHECK (disk_gb > 0),
    price_minor       INTEGER NOT NULL CHECK (price_minor >= 0),
    currency          TEXT    NOT NULL CHECK (length(currency) = 3),
    ipv4_included     INTEGER NOT NULL CHECK (ipv4_included IN (0, 1)),
    ipv4_saving_minor INTEGER NOT NULL DEFAULT 0 CHECK (ipv4_saving_minor BETWEEN 0 AND price_minor),
    notes             TEXT    NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (provider, name)
) STRICT;
