-- SPEC §8 R17. The Access review sorts and filters a partner's rows by idle
-- time (the last activity in the client, or when the access was given if
-- never active) on these indexes, which hold the whole sort key (ties by
-- client and person) so that a page is read in order and stops early;
-- bulk work runs as jobs whose progress and per-row report (decided and
-- written in the same transaction as the change itself) any instance can read.
CREATE INDEX memberships_idle ON memberships (partner_account_id, COALESCE(last_activity_at, created_at), account_id, user_id);
CREATE INDEX memberships_idle_by_status ON memberships (partner_account_id, status, COALESCE(last_activity_at, created_at), account_id, user_id);

CREATE TABLE bulk_jobs (
    id                 INTEGER PRIMARY KEY,
    partner_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    actor_user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    target_user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('deactivate', 'remove', 'add_to_clients', 'change_set_in_clients')),
    permission_set     TEXT,
    state              TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    total              INTEGER NOT NULL,
    processed          INTEGER NOT NULL DEFAULT 0,
    done               INTEGER NOT NULL DEFAULT 0,
    refused            INTEGER NOT NULL DEFAULT 0,
    started_at         INTEGER NOT NULL,
    -- When a chunk last committed: a running job silent for long was interrupted.
    progress_at        INTEGER NOT NULL,
    finished_at        INTEGER,
    elapsed_ms         INTEGER,
    error              TEXT
);
CREATE INDEX bulk_jobs_by_partner ON bulk_jobs (partner_account_id, id);

CREATE TABLE bulk_job_results (
    job_id    INTEGER NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    client_id INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    refusal   TEXT,
    PRIMARY KEY (job_id, seq)
);
