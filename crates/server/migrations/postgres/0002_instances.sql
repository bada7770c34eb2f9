-- Several server instances on one database: rate-limit hits counted across
-- instances, outbox claims with a lease that runs out if an instance dies,
-- and scheduled work claimed once per period (SQLite's 0007).
CREATE TABLE rate_limit_hits (
    bucket TEXT NOT NULL,
    key    TEXT NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (bucket, key, at);

ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;

CREATE TABLE scheduled_jobs (
    name        TEXT PRIMARY KEY,
    next_run_at BIGINT NOT NULL,
    last_run_by TEXT,
    last_run_at BIGINT
);
