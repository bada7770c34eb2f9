-- R14 (SQLite's 0011): the probe made before each signed-in request reads the soonest end of
-- active access first in this index (no scan of every membership, whatever
-- the planner guesses about how many ends are due).
DROP INDEX memberships_ending;
CREATE INDEX memberships_active_ending ON memberships (ends_at) WHERE ends_at IS NOT NULL AND status = 'active';
