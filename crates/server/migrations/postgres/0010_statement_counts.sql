-- The clients' employee counts (0003) are kept by one statement per
-- writing statement instead of two per membership row: statement-level
-- triggers read the statement's old and new rows (transition tables),
-- add them up per client and update each client touched once, and only
-- when its counts change (an activity touch changes none). A bulk change
-- of a thousand memberships across a thousand clients was two thousand
-- row updates of `clients`, each a new row version in every one of its
-- indexes; it is now one update per client whose count moved.
DROP TRIGGER clients_count_insert_delete ON memberships;
DROP TRIGGER clients_count_update ON memberships;
DROP FUNCTION clients_count_membership();

CREATE FUNCTION clients_count_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Each branch names only the transition tables its trigger defines.
    IF TG_OP = 'INSERT' THEN
        UPDATE clients c SET employees = c.employees + d.n, active_employees = c.active_employees + d.a
        FROM (SELECT partner_account_id AS p, account_id AS client, COUNT(*) AS n,
                     COUNT(*) FILTER (WHERE status = 'active') AS a
              FROM new_rows WHERE partner_account_id IS NOT NULL GROUP BY 1, 2) d
        WHERE c.partner_account_id = d.p AND c.customer_account_id = d.client;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE clients c SET employees = c.employees - d.n, active_employees = c.active_employees - d.a
        FROM (SELECT partner_account_id AS p, account_id AS client, COUNT(*) AS n,
                     COUNT(*) FILTER (WHERE status = 'active') AS a
              FROM old_rows WHERE partner_account_id IS NOT NULL GROUP BY 1, 2) d
        WHERE c.partner_account_id = d.p AND c.customer_account_id = d.client;
    ELSE
        UPDATE clients c SET employees = c.employees + d.n, active_employees = c.active_employees + d.a
        FROM (SELECT p, client, SUM(n) AS n, SUM(a) AS a
              FROM (SELECT partner_account_id AS p, account_id AS client, -1 AS n,
                           CASE WHEN status = 'active' THEN -1 ELSE 0 END AS a
                    FROM old_rows WHERE partner_account_id IS NOT NULL
                    UNION ALL
                    SELECT partner_account_id, account_id, 1, CASE WHEN status = 'active' THEN 1 ELSE 0 END
                    FROM new_rows WHERE partner_account_id IS NOT NULL) x
              GROUP BY 1, 2 HAVING SUM(n) <> 0 OR SUM(a) <> 0) d
        WHERE c.partner_account_id = d.p AND c.customer_account_id = d.client;
    END IF;
    RETURN NULL;
END
$$;

-- A trigger with transition tables has one event and no column list.
CREATE TRIGGER clients_count_insert AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION clients_count_memberships();
CREATE TRIGGER clients_count_delete AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION clients_count_memberships();
CREATE TRIGGER clients_count_update AFTER UPDATE ON memberships
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION clients_count_memberships();
