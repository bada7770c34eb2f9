-- SPEC §8. R14: a membership may end at a second (ends_at), set at
-- ends_set_at; its reminders are recorded once each (end_reminders).
-- R16: a client suspends one partner's people (partner_suspensions);
-- `suspended` marks the memberships the suspension deactivated, which a
-- resumption reactivates.
ALTER TABLE memberships ADD COLUMN ends_at INTEGER;
ALTER TABLE memberships ADD COLUMN ends_set_at INTEGER;
ALTER TABLE memberships ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1));
CREATE INDEX memberships_ending ON memberships (ends_at) WHERE ends_at IS NOT NULL;
CREATE INDEX memberships_ending_by_partner ON memberships (partner_account_id, ends_at) WHERE ends_at IS NOT NULL;

CREATE TABLE end_reminders (
    account_id INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    days       INTEGER NOT NULL,
    sent_at    INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_id, ends_at, days),
    FOREIGN KEY (account_id, user_id) REFERENCES memberships (account_id, user_id) ON DELETE CASCADE
);

CREATE TABLE partner_suspensions (
    account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    partner_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    suspended_at       INTEGER NOT NULL,
    suspended_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (account_id, partner_account_id)
);
