-- Bot-answer feedback (有用 / 没用, `feedback.recorded`): counted per session and, like every session
-- figure, in the day × channel statistics of the session's start day. The view and the functions that list
-- the statistics columns are replaced with the two new counters appended.

ALTER TABLE reporting.sessions
    ADD COLUMN bot_useful int NOT NULL DEFAULT 0,
    ADD COLUMN bot_not_useful int NOT NULL DEFAULT 0;

ALTER TABLE reporting.daily_channel_stats
    ADD COLUMN bot_useful int NOT NULL DEFAULT 0,
    ADD COLUMN bot_not_useful int NOT NULL DEFAULT 0;

CREATE OR REPLACE VIEW reporting.channel_contrib AS
SELECT
    s.session_id,
    s.started_at,
    s.channel,
    1 AS sessions,
    CASE WHEN s.human THEN 0 ELSE 1 END AS bot_sessions,
    CASE WHEN s.human THEN 1 ELSE 0 END AS human_sessions,
    CASE WHEN s.queued_at IS NOT NULL THEN 1 ELSE 0 END AS transferred,
    CASE WHEN s.left_queue THEN 1 ELSE 0 END AS abandoned,
    reporting.ms_between(s.queued_at, s.assigned_at) AS wait_ms,
    reporting.ms_between(s.assigned_at, s.first_response_at) AS first_response_ms,
    CASE WHEN s.human AND s.ended_at IS NOT NULL THEN reporting.ms_between(s.assigned_at, s.ended_at) END AS handle_ms,
    s.visitor_messages,
    s.bot_messages,
    s.agent_messages,
    s.system_messages,
    CASE WHEN s.rating IS NOT NULL THEN 1 ELSE 0 END AS ratings,
    coalesce(s.rating, 0) AS rating_sum,
    s.bot_useful,
    s.bot_not_useful
FROM reporting.sessions s;

DROP FUNCTION reporting.channel_stats_for(date, date, text);

CREATE FUNCTION reporting.channel_stats_for(p_from date, p_to date, p_tz text)
RETURNS TABLE (
    day date, channel text, sessions int, bot_sessions int, human_sessions int, transferred int, abandoned int,
    wait_count int, wait_ms bigint, wait_p90_ms double precision, first_response_count int, first_response_ms bigint,
    handle_count int, handle_ms bigint, visitor_messages int, bot_messages int, agent_messages int,
    system_messages int, ratings int, rating_sum int, leave_messages int, bot_useful int, bot_not_useful int)
LANGUAGE sql STABLE AS $$
    SELECT
        u.day, u.channel, sum(u.sessions)::int, sum(u.bot_sessions)::int, sum(u.human_sessions)::int,
        sum(u.transferred)::int, sum(u.abandoned)::int,
        count(u.wait_ms)::int, coalesce(sum(u.wait_ms), 0)::bigint,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY u.wait_ms),
        count(u.first_response_ms)::int, coalesce(sum(u.first_response_ms), 0)::bigint,
        count(u.handle_ms)::int, coalesce(sum(u.handle_ms), 0)::bigint,
        sum(u.visitor_messages)::int, sum(u.bot_messages)::int, sum(u.agent_messages)::int,
        sum(u.system_messages)::int, sum(u.ratings)::int, sum(u.rating_sum)::int, sum(u.leave_messages)::int,
        sum(u.bot_useful)::int, sum(u.bot_not_useful)::int
    FROM (
        SELECT (c.started_at AT TIME ZONE p_tz)::date AS day, c.channel, c.sessions, c.bot_sessions,
               c.human_sessions, c.transferred, c.abandoned, c.wait_ms, c.first_response_ms, c.handle_ms,
               c.visitor_messages, c.bot_messages, c.agent_messages, c.system_messages, c.ratings, c.rating_sum,
               0 AS leave_messages, c.bot_useful, c.bot_not_useful
        FROM reporting.channel_contrib c
        WHERE c.started_at >= reporting.day_start(p_from, p_tz) AND c.started_at < reporting.day_start(p_to + 1, p_tz)
        UNION ALL
        SELECT (l.created_at AT TIME ZONE p_tz)::date, l.channel, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 1, 0, 0
        FROM reporting.leave_messages l
        WHERE l.created_at >= reporting.day_start(p_from, p_tz) AND l.created_at < reporting.day_start(p_to + 1, p_tz)
    ) u
    GROUP BY u.day, u.channel
$$;

CREATE OR REPLACE FUNCTION reporting.stats_session(p_session uuid, p_tz text, p_sign int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reporting.daily_channel_stats AS t (
        day, channel, sessions, bot_sessions, human_sessions, transferred, abandoned, wait_count, wait_ms, p90_stale,
        first_response_count, first_response_ms, handle_count, handle_ms, visitor_messages, bot_messages,
        agent_messages, system_messages, ratings, rating_sum, bot_useful, bot_not_useful)
    SELECT (c.started_at AT TIME ZONE p_tz)::date, c.channel, p_sign, p_sign * c.bot_sessions,
           p_sign * c.human_sessions, p_sign * c.transferred, p_sign * c.abandoned,
           CASE WHEN c.wait_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.wait_ms, 0), c.wait_ms IS NOT NULL,
           CASE WHEN c.first_response_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.first_response_ms, 0),
           CASE WHEN c.handle_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.handle_ms, 0),
           p_sign * c.visitor_messages, p_sign * c.bot_messages, p_sign * c.agent_messages,
           p_sign * c.system_messages, p_sign * c.ratings, p_sign * c.rating_sum,
           p_sign * c.bot_useful, p_sign * c.bot_not_useful
    FROM reporting.channel_contrib c
    WHERE c.session_id = p_session
    ON CONFLICT (day, channel) DO UPDATE SET
        sessions = t.sessions + excluded.sessions,
        bot_sessions = t.bot_sessions + excluded.bot_sessions,
        human_sessions = t.human_sessions + excluded.human_sessions,
        transferred = t.transferred + excluded.transferred,
        abandoned = t.abandoned + excluded.abandoned,
        wait_count = t.wait_count + excluded.wait_count,
        wait_ms = t.wait_ms + excluded.wait_ms,
        p90_stale = t.p90_stale OR excluded.p90_stale,
        first_response_count = t.first_response_count + excluded.first_response_count,
        first_response_ms = t.first_response_ms + excluded.first_response_ms,
        handle_count = t.handle_count + excluded.handle_count,
        handle_ms = t.handle_ms + excluded.handle_ms,
        visitor_messages = t.visitor_messages + excluded.visitor_messages,
        bot_messages = t.bot_messages + excluded.bot_messages,
        agent_messages = t.agent_messages + excluded.agent_messages,
        system_messages = t.system_messages + excluded.system_messages,
        ratings = t.ratings + excluded.ratings,
        rating_sum = t.rating_sum + excluded.rating_sum,
        bot_useful = t.bot_useful + excluded.bot_useful,
        bot_not_useful = t.bot_not_useful + excluded.bot_not_useful;

    INSERT INTO reporting.daily_agent_stats AS t (
        day, agent_id, sessions, first_assigned, transferred_in, transferred_out, ended, wait_count, wait_ms,
        p90_stale, first_response_count, first_response_ms, handle_count, handle_ms, agent_messages, ratings,
        rating_sum)
    SELECT (c.started_at AT TIME ZONE p_tz)::date, c.agent_id, p_sign, p_sign * c.first_assigned,
           p_sign * c.transferred_in, p_sign * c.transferred_out, p_sign * c.ended,
           CASE WHEN c.wait_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.wait_ms, 0), c.wait_ms IS NOT NULL,
           CASE WHEN c.first_response_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.first_response_ms, 0),
           CASE WHEN c.handle_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.handle_ms, 0),
           p_sign * c.agent_messages, p_sign * c.ratings, p_sign * c.rating_sum
    FROM reporting.agent_contrib c
    WHERE c.session_id = p_session
    ON CONFLICT (day, agent_id) DO UPDATE SET
        sessions = t.sessions + excluded.sessions,
        first_assigned = t.first_assigned + excluded.first_assigned,
        transferred_in = t.transferred_in + excluded.transferred_in,
        transferred_out = t.transferred_out + excluded.transferred_out,
        ended = t.ended + excluded.ended,
        wait_count = t.wait_count + excluded.wait_count,
        wait_ms = t.wait_ms + excluded.wait_ms,
        p90_stale = t.p90_stale OR excluded.p90_stale,
        first_response_count = t.first_response_count + excluded.first_response_count,
        first_response_ms = t.first_response_ms + excluded.first_response_ms,
        handle_count = t.handle_count + excluded.handle_count,
        handle_ms = t.handle_ms + excluded.handle_ms,
        agent_messages = t.agent_messages + excluded.agent_messages,
        ratings = t.ratings + excluded.ratings,
        rating_sum = t.rating_sum + excluded.rating_sum;
END
$$;

CREATE OR REPLACE FUNCTION reporting.rebuild_stats(p_from date, p_to date, p_tz text) RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kefu.reporting.stats'));
    DELETE FROM reporting.daily_channel_stats WHERE day BETWEEN p_from AND p_to;
    DELETE FROM reporting.daily_agent_stats WHERE day BETWEEN p_from AND p_to;
    INSERT INTO reporting.daily_channel_stats (
        day, channel, sessions, bot_sessions, human_sessions, transferred, abandoned, wait_count, wait_ms,
        wait_p90_ms, first_response_count, first_response_ms, handle_count, handle_ms, visitor_messages,
        bot_messages, agent_messages, system_messages, ratings, rating_sum, leave_messages, bot_useful, bot_not_useful)
    SELECT * FROM reporting.channel_stats_for(p_from, p_to, p_tz);
    INSERT INTO reporting.daily_agent_stats (
        day, agent_id, sessions, first_assigned, transferred_in, transferred_out, ended, wait_count, wait_ms,
        wait_p90_ms, first_response_count, first_response_ms, handle_count, handle_ms, agent_messages, ratings,
        rating_sum, leave_messages_closed)
    SELECT * FROM reporting.agent_stats_for(p_from, p_to, p_tz);
    RETURN p_to - p_from + 1;
END
$$;

-- feedback.recorded
CREATE FUNCTION reporting.on_feedback(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text, p_useful boolean)
    RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    SELECT * INTO b FROM reporting.session_begin(p_session, p_seq, p_channel, p_visitor, p_time, p_tz);
    IF NOT b.fresh THEN RETURN false; END IF;
    UPDATE reporting.sessions SET
        bot_useful = bot_useful + CASE WHEN p_useful THEN 1 ELSE 0 END,
        bot_not_useful = bot_not_useful + CASE WHEN p_useful THEN 0 ELSE 1 END
    WHERE session_id = p_session;
    PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    RETURN true;
END
$$;
