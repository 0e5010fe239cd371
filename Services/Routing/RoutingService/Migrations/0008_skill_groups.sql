-- Skill groups (技能组). The groups themselves live in the settings document (`groups`); this table is the
-- copy the assigner and the ticker join, rewritten by `admin.update_settings` in the same transaction.
-- A session's `group_id` NULL is the default queue (served by every agent): a deployment without groups
-- has only that queue, as before.
CREATE TABLE groups (
    id text PRIMARY KEY,
    name text NOT NULL,
    -- An agent receives this group's sessions only while their load is below this (and their own capacity).
    agent_capacity int,
    -- After waiting `overflow_after_seconds` in this group's queue, a session moves to `overflow_to`
    -- (another group) or, when `overflow_to` is NULL, ends with the leave-a-message hint.
    overflow_after_seconds int,
    overflow_to text
);

-- The groups an agent serves ('{}': only the default queue).
ALTER TABLE agents ADD COLUMN groups text[] NOT NULL DEFAULT '{}';

-- The group a session is queued in (NULL: the default queue), when it joined that group's queue (the
-- overflow clock; `enqueued_at`, the FIFO key, is kept on overflow), and whether the bot offered the group
-- menu and waits for the visitor's choice.
ALTER TABLE sessions ADD COLUMN group_id text;
ALTER TABLE sessions ADD COLUMN group_entered_at timestamptz;
ALTER TABLE sessions ADD COLUMN awaiting_group boolean NOT NULL DEFAULT false;
CREATE INDEX sessions_group_queue ON sessions ((coalesce(group_id, '')), priority, enqueued_at, id) WHERE state = 'queued';

-- The group a session was assigned from.
ALTER TABLE assignment_audit ADD COLUMN group_id text;
