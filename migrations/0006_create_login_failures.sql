-- Failed sign-ins per account and per client address, counted in a window, so that
-- guessing passwords is slowed down. Keys are "user:NAME" or "addr:IP"; unknown user
-- names are counted like known ones, so the answer does not reveal which exist.
CREATE TABLE login_failures (
    key          TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
