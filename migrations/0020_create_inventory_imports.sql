-- Inventory files read but not applied yet. Applying recomputes the changes against
-- the inventory as it is then and goes ahead only if they are exactly the ones the
-- preview showed (`changes_digest`, a SHA-256 of them): a confirmed diff is the
-- applied diff, whatever else co-admins changed meanwhile.
CREATE TABLE inventory_imports (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document        TEXT    NOT NULL,
    -- 1: objects the file does not list are removed; 0: they are kept.
    remove_unlisted INTEGER NOT NULL CHECK (remove_unlisted IN (0, 1)),
    changes_digest  TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
