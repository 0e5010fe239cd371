-- Session summaries (会话小结, `summary.recorded`): the categories and note the agent wrote, shown with the
-- session record in the records page, its filter, the sessions CSV and the per-category export. A later
-- summary of the same session replaces an earlier one (by event time, so a redelivered old one changes
-- nothing). Category names are those of the latest summary naming them.

-- Kept apart from `reporting.sessions` and joined on read, so a summary arriving before its session's other
-- events (after a redelivery) is not lost.
CREATE TABLE reporting.session_summaries (
    session_id uuid PRIMARY KEY,
    agent_id uuid NOT NULL,
    category_ids uuid[] NOT NULL,
    categories text[] NOT NULL,
    note text NOT NULL DEFAULT '',
    recorded_at timestamptz NOT NULL
);

CREATE INDEX session_summaries_categories ON reporting.session_summaries USING gin (category_ids);

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
    INSERT INTO reporting.session_summaries AS m (session_id, agent_id, category_ids, categories, note, recorded_at)
    VALUES (p_session, p_agent,
            ARRAY(SELECT (e->>'category_id')::uuid FROM jsonb_array_elements(p_categories) AS e),
            ARRAY(SELECT coalesce(e->>'parent_name' || '/', '') || (e->>'name') FROM jsonb_array_elements(p_categories) AS e),
            p_note, p_time)
    ON CONFLICT (session_id) DO UPDATE SET agent_id = excluded.agent_id, category_ids = excluded.category_ids,
        categories = excluded.categories, note = excluded.note, recorded_at = excluded.recorded_at
    WHERE m.recorded_at <= excluded.recorded_at;
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
    SELECT c.category_id, c.parent_name, c.name, count(*), count(DISTINCT m.agent_id),
           sum(reporting.ms_between(s.assigned_at, s.ended_at)) FILTER (WHERE s.human AND s.ended_at IS NOT NULL AND s.assigned_at IS NOT NULL)::bigint,
           count(*) FILTER (WHERE s.human AND s.ended_at IS NOT NULL AND s.assigned_at IS NOT NULL),
           count(s.rating), coalesce(sum(s.rating), 0)
    FROM reporting.session_summaries m
    JOIN reporting.sessions s ON s.session_id = m.session_id
    CROSS JOIN LATERAL unnest(m.category_ids) AS k(id)
    JOIN reporting.summary_categories c ON c.category_id = k.id
    WHERE s.started_at >= reporting.day_start(p_from, p_tz) AND s.started_at < reporting.day_start(p_to + 1, p_tz)
      AND (p_channel IS NULL OR s.channel = p_channel)
      AND (p_agent IS NULL OR m.agent_id = p_agent)
    GROUP BY c.category_id, c.parent_name, c.name
$$;
