-- One background-work runner (crates/server/src/work.rs). A bulk job now
-- carries what it works through (`work`, JSON) and the acting session's hash
-- (the actor's own session survives when they act on themself), so that any
-- instance can resume it; `lease_by`/`lease_until` say which instance runs
-- it until when (real seconds). A lease that runs out is taken over, and a
-- chunk commits only while its instance still holds the lease, so every row
-- is decided exactly once. Jobs from before this migration have no `work`:
-- the runner marks them failed when it finds them.
ALTER TABLE bulk_jobs ADD COLUMN work TEXT;
ALTER TABLE bulk_jobs ADD COLUMN session_hash TEXT;
ALTER TABLE bulk_jobs ADD COLUMN lease_by TEXT;
ALTER TABLE bulk_jobs ADD COLUMN lease_until INTEGER;
CREATE INDEX bulk_jobs_running ON bulk_jobs (lease_until) WHERE state = 'running';
