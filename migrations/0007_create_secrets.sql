-- Secrets Owlery keeps for its jobs: SSH private keys, S3 secret keys, WireGuard
-- private keys, SMTP passwords. Only ciphertext is stored: XChaCha20-Poly1305 under the
-- master key kept outside the database (master.key), a fresh random 24-byte nonce for
-- every value, and the name and kind as associated data, so a ciphertext copied into
-- another row does not decrypt. Names cannot change for the same reason. `version`
-- grows with every edit so a save based on an older version is refused; `updated_by`
-- copies the name of who changed it last so it stays readable after they are removed.
CREATE TABLE secrets (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 63),
    kind        TEXT    NOT NULL CHECK (kind IN ('ssh-private-key', 's3-secret-key',
                                               'wireguard-private-key', 'smtp-password', 'other')),
    ciphertext  BLOB    NOT NULL,
    nonce       BLOB    NOT NULL CHECK (length(nonce) = 24),
    description TEXT    NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL
) STRICT;
