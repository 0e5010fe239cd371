-- Session summaries (会话小结, `summary.recorded`): the categories and note the agent wrote, kept with the
-- session record for the records page, its filter, the sessions CSV and the per-category export. A later
-- summary of the same session replaces an earlier one (by event time, so a redelivered old one changes
-- nothing). Category names are those of the latest summary naming them.

ALTER TABLE reporting.sessions
    ADD COLUMN summary_category_ids uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN summary_categories text[] NOT NULL DEFAULT '{}',
    ADD COLUMN summary_note text,
    ADD COLUMN summary_agent_id uuid,
    ADD COLUMN summary_at timestamptz;

CREATE INDEX sessions_summary_categories ON reporting.sessions USING gin (summary_category_ids);

CREATE TABLE reporting.summary_categories (
    category_id uuid PRIMARY KEY,
    name text NOT NULL,
    parent_id uuid,
    parent_name text,
    seen_at timestamptz NOT NULL
);

-- summary.recorded: `p_categories` is the event's `categories` array.
CREATE FUNCTION reporting.on_summary(
    p_session uuid, p_agent uuid, p_categories jsonb, p_note text, p_time timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    changed int;
BEGIN
    INSERT INTO reporting.summary_categories AS c (category_id, name, parent_id, parent_name, seen_at)
    SELECT (e->>'category_id')::uuid, e->>'name', (e->>'parent_id')::uuid, e->>'parent_name', p_time
    FROM jsonb_array_elements(p_categories) AS e
    ON CONFLICT (category_id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id,
        parent_name = excluded.parent_name, seen_at = excluded.seen_at
    WHERE c.seen_at <= excluded.seen_at;
    UPDATE reporting.sessions SET
        summary_category_ids = ARRAY(SELECT (e->>'category_id')::uuid FROM jsonb_array_elements(p_categories) AS e),
        summary_categories = ARRAY(
            SELECT coalesce(e->>'parent_name' || '/', '') || (e->>'name') FROM jsonb_array_elements(p_categories) AS e),
        summary_note = p_note, summary_agent_id = p_agent, summary_at = p_time, updated_at = now()
    WHERE session_id = p_session AND (summary_at IS NULL OR summary_at <= p_time);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed > 0;
END
$$;

-- The per-category statistics of the sessions started in [p_from, p_to] (local dates in p_tz): one row per
-- category named by a summary, with its sessions, their agents, the average handle time and rating.
CREATE FUNCTION reporting.category_stats_for(p_from date, p_to date, p_tz text, p_channel text, p_agent uuid)
    RETURNS TABLE (category_id uuid, parent_name text, category_name text, sessions bigint, agents bigint,
                   handle_ms bigint, handle_count bigint, ratings bigint, rating_sum bigint)
LANGUAGE sql STABLE AS $$
    SELECT c.category_id, c.parent_name, c.name, count(*), count(DISTINCT s.summary_agent_id),
           sum(reporting.ms_between(s.assigned_at, s.ended_at)) FILTER (WHERE s.human AND s.ended_at IS NOT NULL)::bigint,
           count(*) FILTER (WHERE s.human AND s.ended_at IS NOT NULL AND s.assigned_at IS NOT NULL),
           count(s.rating), coalesce(sum(s.rating), 0)
    FROM reporting.sessions s
    CROSS JOIN LATERAL unnest(s.summary_category_ids) AS k(id)
    JOIN reporting.summary_categories c ON c.category_id = k.id
    WHERE s.started_at >= reporting.day_start(p_from, p_tz) AND s.started_at < reporting.day_start(p_to + 1, p_tz)
      AND (p_channel IS NULL OR s.channel = p_channel)
      AND (p_agent IS NULL OR s.summary_agent_id = p_agent)
    GROUP BY c.category_id, c.parent_name, c.name
$$;
