-- Append-only change log: who changed what, when, from where, field by field.
-- `changes` is a JSON array of [field, before, after]. The actor's name is copied so
-- entries stay readable after a user is removed; `object_id` keeps an object's history
-- together across renames.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT    NOT NULL,
    client_addr TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object_kind TEXT    NOT NULL,
    object_id   INTEGER,
    object_name TEXT    NOT NULL,
    changes     TEXT    NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX audit_by_object ON audit_log (object_kind, object_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
