-- Indexes for the audit page's filters, so a page stays fast however long the log grows.
-- An SQLite index also holds the rowid (the entry id) after its columns, so for an
-- equality filter the matches come out already in id order:
--   WHERE actor_name = ? AND id < ? ORDER BY id DESC LIMIT 51
-- reads one index range, 51 entries, with no sort.
CREATE INDEX audit_by_actor ON audit_log (actor_name);
CREATE INDEX audit_by_action ON audit_log (action);
-- audit_by_object (object_kind, object_id, id) keeps one object's history together but
-- cannot give id order for a kind alone.
CREATE INDEX audit_by_kind ON audit_log (object_kind);
-- Date ranges (from/to) on the time an entry was written.
CREATE INDEX audit_by_time ON audit_log (at);
