-- Refused requests (403) of signed-in users: who tried what, where, and the
-- rule that refused it. A security log, append-only like the history.
CREATE TABLE denials (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    user_id    INTEGER,
    account_id INTEGER,
    method     TEXT NOT NULL,
    route      TEXT NOT NULL,
    code       TEXT NOT NULL,
    message    TEXT NOT NULL
);
CREATE INDEX denials_by_account ON denials (account_id, at);
CREATE INDEX denials_by_user ON denials (user_id, at);

CREATE TRIGGER denials_are_append_only_update BEFORE UPDATE ON denials
BEGIN
    SELECT RAISE(ABORT, 'denials are append-only');
END;

CREATE TRIGGER denials_are_append_only_delete BEFORE DELETE ON denials
BEGIN
    SELECT RAISE(ABORT, 'denials are append-only');
END;
