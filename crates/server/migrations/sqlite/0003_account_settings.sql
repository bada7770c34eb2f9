-- Account settings reserved to super admins (R12): billing contact (also open
-- to holders of Billing), SCIM provisioning token (only a hash is kept) and
-- the chosen data centre.
CREATE TABLE account_settings (
    account_id             INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    billing_contact        TEXT,
    scim_token_hash        TEXT,
    scim_token_created_at  INTEGER,
    data_centre            TEXT NOT NULL DEFAULT 'eu' CHECK (data_centre IN ('eu', 'us', 'ap'))
);
