-- Each client row keeps how many of its partner's employees are in the
-- client account and how many are active, kept exact by triggers in the
-- writing transaction (SQLite's 0008).
ALTER TABLE clients ADD COLUMN employees BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN active_employees BIGINT NOT NULL DEFAULT 0;

UPDATE clients SET
    employees = (SELECT COUNT(*) FROM memberships m
                 WHERE m.account_id = clients.customer_account_id AND m.partner_account_id = clients.partner_account_id),
    active_employees = (SELECT COUNT(*) FROM memberships m
                        WHERE m.account_id = clients.customer_account_id AND m.partner_account_id = clients.partner_account_id
                          AND m.status = 'active');

CREATE FUNCTION clients_count_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.partner_account_id IS NOT NULL THEN
        UPDATE clients SET employees = employees - 1,
                           active_employees = active_employees - CASE WHEN OLD.status = 'active' THEN 1 ELSE 0 END
        WHERE partner_account_id = OLD.partner_account_id AND customer_account_id = OLD.account_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partner_account_id IS NOT NULL THEN
        UPDATE clients SET employees = employees + 1,
                           active_employees = active_employees + CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END
        WHERE partner_account_id = NEW.partner_account_id AND customer_account_id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER clients_count_insert_delete AFTER INSERT OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION clients_count_membership();
CREATE TRIGGER clients_count_update AFTER UPDATE OF status, partner_account_id, account_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION clients_count_membership();

-- A client recorded after its partner's people joined starts from their
-- count (set before the row is written: no second row version).
CREATE FUNCTION clients_count_new_client() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.employees := (SELECT COUNT(*) FROM memberships m
                      WHERE m.account_id = NEW.customer_account_id AND m.partner_account_id = NEW.partner_account_id);
    NEW.active_employees := (SELECT COUNT(*) FROM memberships m
                             WHERE m.account_id = NEW.customer_account_id AND m.partner_account_id = NEW.partner_account_id
                               AND m.status = 'active');
    RETURN NEW;
END
$$;
CREATE TRIGGER clients_count_new_client BEFORE INSERT ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_count_new_client();

CREATE INDEX memberships_by_user_partner ON memberships (user_id, partner_account_id);
