-- The domains the cluster sends mail for. Mail goes from Mastodon to the relay service
-- (OpenSMTPD), which has it signed by the signing service (dkimproxy) before it leaves;
-- neither service can be deleted while a domain uses it (RESTRICT). The DKIM private
-- key lives in the secret store under `dkim_secret`; only the public key is kept here,
-- as the base64 `p=` value of the DKIM record.
CREATE TABLE mail_domains (
    id                 INTEGER PRIMARY KEY,
    domain             TEXT    NOT NULL UNIQUE,
    relay_service_id   INTEGER NOT NULL REFERENCES services (id) ON DELETE RESTRICT,
    signing_service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE RESTRICT,
    dkim_selector      TEXT    NOT NULL,
    dkim_public_key    TEXT    NOT NULL,
    dkim_secret        TEXT    NOT NULL,
    dmarc_policy       TEXT    NOT NULL CHECK (dmarc_policy IN ('none', 'quarantine', 'reject')),
    -- Where DMARC aggregate reports go (rua=mailto:...); NULL: nowhere.
    dmarc_report       TEXT,
    from_address       TEXT    NOT NULL,
    mx_host            TEXT    NOT NULL,
    ttl                INTEGER NOT NULL DEFAULT 3600 CHECK (ttl BETWEEN 60 AND 604800),
    notes              TEXT    NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX mail_domains_by_relay ON mail_domains (relay_service_id);
CREATE INDEX mail_domains_by_signing ON mail_domains (signing_service_id);
