-- The Clients tab's other orders walk indexes instead of sorting every
-- client: the relationship order reads each status class in order of last
-- activity (partial indexes: clients with active employees, and without),
-- the employee order reads the counter's index in either direction.
CREATE INDEX clients_active_by_activity ON clients (partner_account_id, last_partner_activity_at, name_key, customer_account_id)
    WHERE active_employees > 0;
CREATE INDEX clients_inactive_by_activity ON clients (partner_account_id, last_partner_activity_at, name_key, customer_account_id)
    WHERE active_employees = 0;
CREATE INDEX clients_by_employees ON clients (partner_account_id, employees, name_key, customer_account_id);
CREATE INDEX clients_by_employees_desc ON clients (partner_account_id, employees DESC, name_key, customer_account_id);
