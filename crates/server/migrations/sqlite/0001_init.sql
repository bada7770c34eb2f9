-- Client Access Manager: initial schema. Times are Unix seconds (UTC).
-- Enumerations are stored as their stable domain names and checked here too,
-- so that nothing outside the domain's vocabulary can be stored.

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind            TEXT NOT NULL CHECK (kind IN ('partner', 'customer')),
    partner_program TEXT CHECK (partner_program IN ('solutions_partner', 'provider', 'app_partner')),
    pricing_model   TEXT CHECK (pricing_model IN ('seat_based', 'classic')),
    created_at      INTEGER NOT NULL,
    CHECK ((kind = 'partner' AND partner_program IS NOT NULL AND pricing_model IS NULL)
        OR (kind = 'customer' AND pricing_model IS NOT NULL AND partner_program IS NULL))
);

-- A partner account's verified email domains.
CREATE TABLE account_domains (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    domain     TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (account_id, domain)
);
CREATE INDEX account_domains_by_domain ON account_domains (domain);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- An account's custom permission sets (the standard ones live in the domain crate).
CREATE TABLE permission_sets (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    permissions TEXT NOT NULL,
    UNIQUE (account_id, name)
);

-- A user in an account. partner_account_id flags a partner employee inside a
-- customer account (the partner gets managed credit for it).
CREATE TABLE memberships (
    account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    super_admin        INTEGER NOT NULL DEFAULT 0 CHECK (super_admin IN (0, 1)),
    permission_set     TEXT,
    perms_added        TEXT NOT NULL DEFAULT '',
    perms_removed      TEXT NOT NULL DEFAULT '',
    seat               TEXT NOT NULL DEFAULT 'none' CHECK (seat IN ('none', 'core', 'sales', 'service', 'partner')),
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    partner_account_id INTEGER REFERENCES accounts (id),
    last_activity_at   INTEGER,
    created_at         INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE INDEX memberships_by_partner ON memberships (partner_account_id, account_id, status);

-- A customer account managed by a partner, under the partner's CRM record name.
CREATE TABLE clients (
    partner_account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    customer_account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    crm_name                 TEXT NOT NULL,
    created_at               INTEGER NOT NULL,
    last_partner_activity_at INTEGER NOT NULL,
    PRIMARY KEY (partner_account_id, customer_account_id)
);
CREATE INDEX clients_by_name ON clients (partner_account_id, crm_name COLLATE NOCASE);
CREATE INDEX clients_by_customer ON clients (customer_account_id);

CREATE TABLE assets (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('contact', 'company', 'deal', 'ticket', 'workflow', 'report', 'dashboard')),
    name          TEXT NOT NULL,
    owner_user_id INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX assets_by_owner ON assets (account_id, owner_user_id);

-- Server-side sessions; only a SHA-256 of the session token is stored.
CREATE TABLE sessions (
    id_hash            TEXT PRIMARY KEY,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token         TEXT NOT NULL,
    current_account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at         INTEGER NOT NULL,
    last_seen_at       INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Personal access links; only a SHA-256 of the token is stored.
CREATE TABLE access_links (
    id                 INTEGER PRIMARY KEY,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partner_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash         TEXT NOT NULL UNIQUE,
    created_at         INTEGER NOT NULL,
    revoked_at         INTEGER
);
CREATE INDEX access_links_by_user ON access_links (user_id, partner_account_id);

-- R13: append-only history of access changes.
CREATE TABLE history (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER,
    account_id     INTEGER NOT NULL,
    target_user_id INTEGER,
    action         TEXT NOT NULL,
    before_perms   TEXT,
    after_perms    TEXT,
    detail         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX history_by_account ON history (account_id, at);

CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;

CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;
