-- Session summaries (会话小结). Admins keep a two-level tree of categories; deleting one sets `deleted_at`
-- (for a first-level one, its children too), so summaries written before keep their names.
CREATE TABLE summary_categories (
    id uuid PRIMARY KEY,
    parent_id uuid REFERENCES summary_categories (id),
    name text NOT NULL,
    position integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);

-- Names are unique among the living siblings.
CREATE UNIQUE INDEX summary_categories_sibling_name
    ON summary_categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name) WHERE deleted_at IS NULL;

-- One summary per session (a second submission replaces the first); the names are those of the categories
-- when it was written.
CREATE TABLE session_summaries (
    session_id uuid PRIMARY KEY,
    agent_id uuid NOT NULL,
    categories jsonb NOT NULL,
    note text NOT NULL DEFAULT '',
    submitted_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The agent who served a human session when it ended (who writes its summary), and whether the summary is
-- still due under the `summary_required` setting.
ALTER TABLE sessions ADD COLUMN summary_agent_id uuid, ADD COLUMN summary_due boolean NOT NULL DEFAULT false;
CREATE INDEX sessions_summary_due ON sessions (summary_agent_id) WHERE summary_due;

-- How many of the agent's ended sessions still wait for a required summary: the assigner gives no new
-- session to an agent while it is above 0 (a column of the agent row, so the assigner's re-check under the
-- row lock sees it).
ALTER TABLE agents ADD COLUMN summaries_due integer NOT NULL DEFAULT 0;
