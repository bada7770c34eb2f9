-- Reads that stay fast as data grows: each client row keeps how many of its
-- partner's employees are in the client account, and how many of them are
-- active, kept exact by triggers in the writing transaction, whatever code
-- path writes the membership. The Clients tab sorts and pages on them
-- without counting memberships.
ALTER TABLE clients ADD COLUMN employees INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN active_employees INTEGER NOT NULL DEFAULT 0;

UPDATE clients SET
    employees = (SELECT COUNT(*) FROM memberships m
                 WHERE m.account_id = clients.customer_account_id AND m.partner_account_id = clients.partner_account_id),
    active_employees = (SELECT COUNT(*) FROM memberships m
                        WHERE m.account_id = clients.customer_account_id AND m.partner_account_id = clients.partner_account_id
                          AND m.status = 'active');

CREATE TRIGGER clients_count_insert AFTER INSERT ON memberships WHEN NEW.partner_account_id IS NOT NULL
BEGIN
    UPDATE clients SET employees = employees + 1, active_employees = active_employees + (NEW.status = 'active')
    WHERE partner_account_id = NEW.partner_account_id AND customer_account_id = NEW.account_id;
END;

CREATE TRIGGER clients_count_delete AFTER DELETE ON memberships WHEN OLD.partner_account_id IS NOT NULL
BEGIN
    UPDATE clients SET employees = employees - 1, active_employees = active_employees - (OLD.status = 'active')
    WHERE partner_account_id = OLD.partner_account_id AND customer_account_id = OLD.account_id;
END;

CREATE TRIGGER clients_count_update AFTER UPDATE OF status, partner_account_id, account_id ON memberships
BEGIN
    UPDATE clients SET employees = employees - 1, active_employees = active_employees - (OLD.status = 'active')
    WHERE OLD.partner_account_id IS NOT NULL
      AND partner_account_id = OLD.partner_account_id AND customer_account_id = OLD.account_id;
    UPDATE clients SET employees = employees + 1, active_employees = active_employees + (NEW.status = 'active')
    WHERE NEW.partner_account_id IS NOT NULL
      AND partner_account_id = NEW.partner_account_id AND customer_account_id = NEW.account_id;
END;

-- A client recorded after its partner's people joined starts from their count.
CREATE TRIGGER clients_count_new_client AFTER INSERT ON clients
BEGIN
    UPDATE clients SET
        employees = (SELECT COUNT(*) FROM memberships m
                     WHERE m.account_id = NEW.customer_account_id AND m.partner_account_id = NEW.partner_account_id),
        active_employees = (SELECT COUNT(*) FROM memberships m
                            WHERE m.account_id = NEW.customer_account_id AND m.partner_account_id = NEW.partner_account_id
                              AND m.status = 'active')
    WHERE partner_account_id = NEW.partner_account_id AND customer_account_id = NEW.customer_account_id;
END;

-- The Employees tab counts each employee's clients on this index alone.
CREATE INDEX memberships_by_user_partner ON memberships (user_id, partner_account_id);
