-- Optional TOTP second factor per user: the shared secret, encrypted under the master
-- key like every other secret (NULL: no second factor), and the recovery codes'
-- SHA-256 hashes as a JSON array (each code works once).
ALTER TABLE users ADD COLUMN totp_secret BLOB;
ALTER TABLE users ADD COLUMN totp_nonce BLOB;
ALTER TABLE users ADD COLUMN recovery_codes TEXT NOT NULL DEFAULT '[]';
