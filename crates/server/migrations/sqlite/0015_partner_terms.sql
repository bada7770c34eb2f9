-- R18: what a customer account sets for one partner — a ceiling on what
-- its people may hold there (the permissions in storage form, with the set
-- it was chosen as, if any: `ceiling_set` is a set key such as `sales` or
-- `custom:7`, kept for display; the permissions are what binds) and an
-- end of the relationship (`ends_at`, set at `ends_set_at`). A row with
-- neither is deleted. The relationship end's reminders (30, 7 and 1
-- day(s) before) are recorded once each in relationship_reminders.
CREATE TABLE partner_terms (
    account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    partner_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ceiling_set        TEXT,
    ceiling_perms      TEXT,
    ends_at            INTEGER,
    ends_set_at        INTEGER,
    updated_at         INTEGER NOT NULL,
    updated_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (account_id, partner_account_id)
);
CREATE INDEX partner_terms_by_partner ON partner_terms (partner_account_id);
CREATE INDEX partner_terms_ending ON partner_terms (ends_at) WHERE ends_at IS NOT NULL;

CREATE TABLE relationship_reminders (
    account_id         INTEGER NOT NULL,
    partner_account_id INTEGER NOT NULL,
    ends_at            INTEGER NOT NULL,
    days               INTEGER NOT NULL,
    sent_at            INTEGER NOT NULL,
    PRIMARY KEY (account_id, partner_account_id, ends_at, days),
    FOREIGN KEY (account_id, partner_account_id) REFERENCES partner_terms (account_id, partner_account_id) ON DELETE CASCADE
);
