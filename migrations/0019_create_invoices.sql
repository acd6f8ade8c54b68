-- What the providers actually billed, per month ("YYYY-MM"). An invoice is known by its
-- provider and the number the provider printed on it: importing the same CSV twice
-- updates the row instead of counting the invoice again.
CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    month        TEXT    NOT NULL CHECK (length(month) = 7),
    provider     TEXT    NOT NULL,
    number       TEXT    NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL CHECK (length(currency) = 3),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (provider, number)
) STRICT;
CREATE INDEX invoices_by_month ON invoices (month);

-- Per month: the budget (it holds for the following months until another is set) and
-- the instance's active users, both entered by hand.
CREATE TABLE cost_months (
    month           TEXT    PRIMARY KEY CHECK (length(month) = 7),
    budget_minor    INTEGER CHECK (budget_minor >= 0),
    budget_currency TEXT    CHECK (length(budget_currency) = 3),
    active_users    INTEGER CHECK (active_users >= 0),
    CHECK ((budget_minor IS NULL) = (budget_currency IS NULL))
) STRICT;

-- What-if scenarios: a named list of hosts, each on a plan with or without IPv4.
CREATE TABLE cost_scenarios (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE cost_scenario_hosts (
    id          INTEGER PRIMARY KEY,
    scenario_id INTEGER NOT NULL REFERENCES cost_scenarios (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE RESTRICT,
    ipv4        INTEGER NOT NULL CHECK (ipv4 IN (0, 1))
) STRICT;
CREATE INDEX cost_scenario_hosts_by_scenario ON cost_scenario_hosts (scenario_id);
