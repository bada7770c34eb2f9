-- R18 (SQLite's 0015): what a customer account sets for one partner — a ceiling on what
-- its people may hold there (the permissions in storage form, with the set
-- it was chosen as, if any: `ceiling_set` is a set key such as `sales` or
-- `custom:7`, kept for display; the permissions are what binds) and an
-- end of the relationship (`ends_at`, set at `ends_set_at`). A row with
-- neither is deleted. The relationship end's reminders (30, 7 and 1
-- day(s) before) are recorded once each in relationship_reminders.
CREATE TABLE partner_terms (
    account_id         BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    partner_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ceiling_set        TEXT,
    ceiling_perms      TEXT,
    ends_at            BIGINT,
    ends_set_at        BIGINT,
    updated_at         BIGINT NOT NULL,
    updated_by         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (account_id, partner_account_id)
);
CREATE INDEX partner_terms_by_partner ON partner_terms (partner_account_id);
CREATE INDEX partner_terms_ending ON partner_terms (ends_at) WHERE ends_at IS NOT NULL;

CREATE TABLE relationship_reminders (
    account_id         BIGINT NOT NULL,
    partner_account_id BIGINT NOT NULL,
    ends_at            BIGINT NOT NULL,
    days               BIGINT NOT NULL,
    sent_at            BIGINT NOT NULL,
    PRIMARY KEY (account_id, partner_account_id, ends_at, days),
    FOREIGN KEY (account_id, partner_account_id) REFERENCES partner_terms (account_id, partner_account_id) ON DELETE CASCADE
);
