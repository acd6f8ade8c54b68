-- What each host costs over time. A period runs from `start_day` (days since 1970-01-01,
-- UTC) until the next period of the same host starts; changing a plan adds a period and
-- never rewrites the past. A period without a plan (plan_id NULL) means the host is no
-- longer billed from that day (iris after the move). Extras (volumes, backups,
-- snapshots) are a monthly amount in the plan's currency, prorated like the plan.
CREATE TABLE cost_periods (
    id           INTEGER PRIMARY KEY,
    host_id      INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    start_day    INTEGER NOT NULL,
    plan_id      INTEGER REFERENCES plans (id) ON DELETE RESTRICT,
    ipv4         INTEGER NOT NULL CHECK (ipv4 IN (0, 1)),
    extras_minor INTEGER NOT NULL DEFAULT 0 CHECK (extras_minor >= 0),
    extras_note  TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (host_id, start_day)
) STRICT;

-- One-off charges (a snapshot restore, a setup fee), counted in the month of their day;
-- a negative amount is a credit.
CREATE TABLE cost_charges (
    id           INTEGER PRIMARY KEY,
    host_id      INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    day          INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL CHECK (length(currency) = 3),
    note         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX cost_charges_by_host ON cost_charges (host_id, day);
