-- Searching the Clients tab by any part of a client's CRM or official name
-- through an index: pg_trgm trigram GIN indexes, which ILIKE '%…%' uses
-- (SQLite's 0009 uses FTS5's trigram tokenizer).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX clients_crm_name_trgm ON clients USING gin (crm_name gin_trgm_ops);
CREATE INDEX accounts_name_trgm ON accounts USING gin (name gin_trgm_ops);
