-- Role tags of hosts (web, db, mail, ...): jobs and runbooks select hosts by them.
CREATE TABLE host_tags (
    host_id INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    tag     TEXT    NOT NULL,
    PRIMARY KEY (host_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX host_tags_by_tag ON host_tags (tag);
