-- The skill group (技能组) a session was last queued in or assigned from (NULL: the default queue), and the seq
-- of the event that set it, so a late or repeated event never overwrites a newer one.
ALTER TABLE sessions ADD COLUMN group_id text;
ALTER TABLE sessions ADD COLUMN group_seq bigint;
