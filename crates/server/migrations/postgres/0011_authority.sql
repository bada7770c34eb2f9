-- SPEC §9 (SQLite's 0013). An end records which side set it (ends_by: 'partner' or
-- 'client'; the partner never moves the client's later), and a
-- deactivation who made it (deactivated_by: 'partner', 'client' — a
-- suspension included — or 'system' at the end; only the client
-- reactivates what the client deactivated). Rows from before this
-- migration: ends count as the partner's, a suspension's deactivation as
-- the client's, an end that has passed as the system's, any other as the
-- partner's.
ALTER TABLE memberships ADD COLUMN ends_by TEXT CHECK (ends_by IN ('partner', 'client'));
ALTER TABLE memberships ADD COLUMN deactivated_by TEXT CHECK (deactivated_by IN ('partner', 'client', 'system'));
UPDATE memberships SET ends_by = 'partner' WHERE ends_at IS NOT NULL;
UPDATE memberships SET deactivated_by = CASE
    WHEN suspended = 1 THEN 'client'
    WHEN ends_at IS NOT NULL THEN 'system'
    ELSE 'partner' END
WHERE status = 'deactivated';
