-- Searching the Clients tab by any part of a client's CRM or official name
-- through an index: FTS5 with the trigram tokenizer (substring matching,
-- case-insensitive), one row per name, kept up to date by triggers.
CREATE VIRTUAL TABLE client_search USING fts5(
    partner_account_id UNINDEXED,
    customer_account_id UNINDEXED,
    name,
    tokenize = 'trigram'
);

INSERT INTO client_search (partner_account_id, customer_account_id, name)
    SELECT partner_account_id, customer_account_id, crm_name FROM clients
    UNION ALL
    SELECT c.partner_account_id, c.customer_account_id, a.name FROM clients c JOIN accounts a ON a.id = c.customer_account_id;

CREATE TRIGGER client_search_insert AFTER INSERT ON clients
BEGIN
    INSERT INTO client_search (partner_account_id, customer_account_id, name)
        VALUES (NEW.partner_account_id, NEW.customer_account_id, NEW.crm_name);
    INSERT INTO client_search (partner_account_id, customer_account_id, name)
        SELECT NEW.partner_account_id, NEW.customer_account_id, name FROM accounts WHERE id = NEW.customer_account_id;
END;

CREATE TRIGGER client_search_delete AFTER DELETE ON clients
BEGIN
    DELETE FROM client_search
    WHERE partner_account_id = OLD.partner_account_id AND customer_account_id = OLD.customer_account_id;
END;

CREATE TRIGGER client_search_rename AFTER UPDATE OF crm_name ON clients
BEGIN
    DELETE FROM client_search
    WHERE partner_account_id = OLD.partner_account_id AND customer_account_id = OLD.customer_account_id;
    INSERT INTO client_search (partner_account_id, customer_account_id, name)
        VALUES (NEW.partner_account_id, NEW.customer_account_id, NEW.crm_name);
    INSERT INTO client_search (partner_account_id, customer_account_id, name)
        SELECT NEW.partner_account_id, NEW.customer_account_id, name FROM accounts WHERE id = NEW.customer_account_id;
END;

CREATE TRIGGER client_search_account_rename AFTER UPDATE OF name ON accounts
BEGIN
    DELETE FROM client_search WHERE customer_account_id = NEW.id;
    INSERT INTO client_search (partner_account_id, customer_account_id, name)
        SELECT partner_account_id, customer_account_id, crm_name FROM clients WHERE customer_account_id = NEW.id
        UNION ALL
        SELECT partner_account_id, customer_account_id, NEW.name FROM clients WHERE customer_account_id = NEW.id;
END;
