-- R13 with two partners in one client: each event records the partner it
-- belongs to (the partner whose employee it concerns, or on whose behalf
-- the actor acted); a client's own changes to its own users belong to none.
-- A partner's history is its own account's events plus the events that
-- carry its id, and nothing else.
ALTER TABLE history ADD COLUMN partner_account_id INTEGER REFERENCES accounts (id);

-- Earlier events: the partner of the person concerned in that account, or
-- else the partner of the actor there. The append-only guard is lifted for
-- this one statement and put back unchanged.
DROP TRIGGER history_is_append_only_update;
UPDATE history SET partner_account_id = COALESCE(
    (SELECT m.partner_account_id FROM memberships m WHERE m.account_id = history.account_id AND m.user_id = history.target_user_id),
    (SELECT m.partner_account_id FROM memberships m WHERE m.account_id = history.account_id AND m.user_id = history.actor_user_id)
);
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;

CREATE INDEX history_by_partner ON history (partner_account_id, at);
