-- Access links are derived from a per-link random nonce and the server's
-- secret; only the nonce and a SHA-256 of the token are stored. At most one
-- live link per employee and partner, also under concurrent requests.
ALTER TABLE access_links ADD COLUMN nonce TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX access_links_one_live ON access_links (user_id, partner_account_id) WHERE revoked_at IS NULL;

-- In-app notifications.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);

-- Every email, with its delivery state. Sent by a background worker with
-- back-off; a delivery failure never undoes what caused the email.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    notification_id INTEGER REFERENCES notifications (id) ON DELETE SET NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
