-- Exchange rates for the Costs page's converted grand total. A rate is an exact fraction:
-- 1 from_currency = rate_num / rate_den to_currency (0.92 is stored as 92 / 100), never a
-- float. It holds from valid_from (days since 1970-01-01) until a later rate of the same
-- pair. Setting the same pair and day again replaces the rate. The reporting currency
-- itself is a row of settings (key 'cost_reporting_currency').
CREATE TABLE currency_rates (
    id            INTEGER PRIMARY KEY,
    from_currency TEXT    NOT NULL CHECK (length(from_currency) = 3),
    to_currency   TEXT    NOT NULL CHECK (length(to_currency) = 3),
    rate_num      INTEGER NOT NULL CHECK (rate_num > 0),
    rate_den      INTEGER NOT NULL CHECK (rate_den > 0),
    valid_from    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (from_currency <> to_currency),
    UNIQUE (from_currency, to_currency, valid_from)
) STRICT;
