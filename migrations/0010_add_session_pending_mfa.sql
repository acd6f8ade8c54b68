-- A session whose password was right but whose second factor is still to come. It
-- opens nothing but the code page and lives five minutes; the real session is a new
-- one, created when the code is right.
ALTER TABLE sessions ADD COLUMN pending_mfa INTEGER NOT NULL DEFAULT 0 CHECK (pending_mfa IN (0, 1));
