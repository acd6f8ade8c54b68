-- Where the templated Puma and Sidekiq units live on a host, for the Tuning page
-- (docs/UNITS.md). A host without a row uses the defaults of a Mastodon install with
-- systemd: `systemctl`, /etc/systemd/system, the decoder in /usr/local/lib/owlery.
-- `systemctl` is split into words and each word quoted, so `sudo systemctl` or, on the
-- test hosts, `python3 /path/systemctl3.py --root=/tmp/x/hedwig` work as written.
CREATE TABLE host_tuning (
    host_id         INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    systemctl       TEXT    NOT NULL,
    unit_dir        TEXT    NOT NULL,
    decoder         TEXT    NOT NULL,
    run_as          TEXT    NOT NULL,
    working_dir     TEXT    NOT NULL,
    puma_command    TEXT    NOT NULL,
    sidekiq_command TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
) STRICT;
