-- Reporting: one record per session built from the events stream, statistics per day × channel and per
-- day × agent kept current incrementally, and the functions that apply events, rebuild statistics and
-- compute them for any timezone. Event ids already applied are in the runtime's processed_events (0001).
--
-- Every apply function is order-tolerant: times merge with least(), seqs are recorded in a per-session
-- bitmap so an event seen twice (even under a new envelope id) is applied once, agent segments are keyed by
-- seq, and a session's contribution to the statistics is subtracted before and added after each change, so
-- the statistics always equal an aggregation of the records (see rebuild_stats).

CREATE TABLE sessions (
    session_id uuid PRIMARY KEY,
    channel text NOT NULL,
    visitor_id text NOT NULL,
    -- The session.created time once it arrived; until then the earliest event time seen.
    started_at timestamptz NOT NULL,
    created_seen boolean NOT NULL DEFAULT false,
    queued_at timestamptz,
    assigned_at timestamptz,
    first_response_at timestamptz,
    ended_at timestamptz,
    end_reason text,
    end_agent_id uuid,
    ended_human boolean NOT NULL DEFAULT false,
    human boolean GENERATED ALWAYS AS (assigned_at IS NOT NULL OR ended_human) STORED,
    left_queue boolean GENERATED ALWAYS AS (coalesce(end_reason IN ('queue_exit', 'queue_timeout'), false)) STORED,
    first_agent_id uuid,
    agent_ids uuid[] NOT NULL DEFAULT '{}',
    agent_names text[] NOT NULL DEFAULT '{}',
    transfers int NOT NULL DEFAULT 0,
    visitor_messages int NOT NULL DEFAULT 0,
    bot_messages int NOT NULL DEFAULT 0,
    agent_messages int NOT NULL DEFAULT 0,
    system_messages int NOT NULL DEFAULT 0,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    rating_comment text,
    rated_at timestamptz,
    rating_agent_id uuid,
    leave_message boolean NOT NULL DEFAULT false,
    last_seq bigint NOT NULL DEFAULT 0,
    -- Bit n set: the session event with seq n was applied.
    seen_seqs bytea NOT NULL DEFAULT ''::bytea,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sessions_started ON sessions (started_at, session_id);
CREATE INDEX sessions_channel_started ON sessions (channel, started_at);
CREATE INDEX sessions_first_agent_started ON sessions (first_agent_id, started_at) WHERE first_agent_id IS NOT NULL;

-- Who served a session, in order: one row per session.assigned or session.transferred, keyed by its seq.
CREATE TABLE session_agents (
    session_id uuid NOT NULL,
    seq bigint NOT NULL,
    agent_id uuid NOT NULL,
    agent_name text NOT NULL,
    via text NOT NULL CHECK (via IN ('assigned', 'transferred')),
    from_agent_id uuid,
    at timestamptz NOT NULL,
    -- When the next segment began (null for the last one, which ends with the session).
    until timestamptz,
    PRIMARY KEY (session_id, seq)
);

-- Messages each agent wrote in a session, and when the first one was accepted.
CREATE TABLE session_agent_messages (
    session_id uuid NOT NULL,
    agent_id uuid NOT NULL,
    messages int NOT NULL DEFAULT 0,
    first_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, agent_id)
);

-- Agents seen in events, with their latest display name.
CREATE TABLE agents (
    agent_id uuid PRIMARY KEY,
    name text NOT NULL,
    name_at timestamptz NOT NULL
);

-- Left messages (留言): created at the earliest event seen; state is the furthest one reached.
CREATE TABLE leave_messages (
    leave_message_id uuid PRIMARY KEY,
    channel text NOT NULL,
    visitor_id text NOT NULL,
    session_id uuid,
    created_at timestamptz NOT NULL,
    state text NOT NULL CHECK (state IN ('unclaimed', 'claimed', 'closed')),
    agent_id uuid,
    closed_at timestamptz,
    closed_by uuid
);

CREATE INDEX leave_messages_created ON leave_messages (created_at);
CREATE INDEX leave_messages_closed ON leave_messages (closed_at) WHERE closed_at IS NOT NULL;

-- Per day (in the reporting timezone, see meta.stats_tz) × channel. Averages are sum / count; p90 is
-- refreshed from the records by refresh_p90 whenever p90_stale is set (before every read by the service).
CREATE TABLE daily_channel_stats (
    day date NOT NULL,
    channel text NOT NULL,
    sessions int NOT NULL DEFAULT 0,
    bot_sessions int NOT NULL DEFAULT 0,
    human_sessions int NOT NULL DEFAULT 0,
    transferred int NOT NULL DEFAULT 0,
    abandoned int NOT NULL DEFAULT 0,
    wait_count int NOT NULL DEFAULT 0,
    wait_ms bigint NOT NULL DEFAULT 0,
    wait_p90_ms double precision,
    p90_stale boolean NOT NULL DEFAULT false,
    first_response_count int NOT NULL DEFAULT 0,
    first_response_ms bigint NOT NULL DEFAULT 0,
    handle_count int NOT NULL DEFAULT 0,
    handle_ms bigint NOT NULL DEFAULT 0,
    visitor_messages int NOT NULL DEFAULT 0,
    bot_messages int NOT NULL DEFAULT 0,
    agent_messages int NOT NULL DEFAULT 0,
    system_messages int NOT NULL DEFAULT 0,
    ratings int NOT NULL DEFAULT 0,
    rating_sum int NOT NULL DEFAULT 0,
    leave_messages int NOT NULL DEFAULT 0,
    PRIMARY KEY (day, channel)
);

-- Per day (of the session's start; of closing for leave_messages_closed) × agent.
CREATE TABLE daily_agent_stats (
    day date NOT NULL,
    agent_id uuid NOT NULL,
    sessions int NOT NULL DEFAULT 0,
    first_assigned int NOT NULL DEFAULT 0,
    transferred_in int NOT NULL DEFAULT 0,
    transferred_out int NOT NULL DEFAULT 0,
    ended int NOT NULL DEFAULT 0,
    wait_count int NOT NULL DEFAULT 0,
    wait_ms bigint NOT NULL DEFAULT 0,
    wait_p90_ms double precision,
    p90_stale boolean NOT NULL DEFAULT false,
    first_response_count int NOT NULL DEFAULT 0,
    first_response_ms bigint NOT NULL DEFAULT 0,
    handle_count int NOT NULL DEFAULT 0,
    handle_ms bigint NOT NULL DEFAULT 0,
    agent_messages int NOT NULL DEFAULT 0,
    ratings int NOT NULL DEFAULT 0,
    rating_sum int NOT NULL DEFAULT 0,
    leave_messages_closed int NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agent_id)
);

-- Settings of the statistics tables: stats_tz is the timezone their days are in.
CREATE TABLE meta (
    key text PRIMARY KEY,
    value text NOT NULL
);

-- Helpers ---------------------------------------------------------------------------------------------

-- Milliseconds from a to b, never negative; null when either is null.
CREATE FUNCTION reporting.ms_between(a timestamptz, b timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NOT NULL AND b IS NOT NULL THEN greatest(0, round(extract(epoch FROM (b - a)) * 1000))::bigint END
$$;

-- Milliseconds as seconds with three decimals, for exports.
CREATE FUNCTION reporting.seconds(ms double precision) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT round((ms / 1000.0)::numeric, 3)
$$;

-- The average of sum / count in seconds (three decimals), null when count is 0.
CREATE FUNCTION reporting.avg_seconds(total bigint, count bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN count > 0 THEN round(total::numeric / count / 1000, 3) END
$$;

-- Formula-injection guard for free-text CSV cells: a cell starting with = + - @ tab or CR gets a leading '.
CREATE FUNCTION reporting.csv_guard(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || value ELSE value END
$$;

-- The first instant of a local date in a timezone.
CREATE FUNCTION reporting.day_start(day date, tz text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT day::timestamp AT TIME ZONE tz
$$;

-- Contributions ---------------------------------------------------------------------------------------

-- What one session adds to its day × channel row (the day is started_at in the statistics timezone).
CREATE VIEW channel_contrib AS
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
    coalesce(s.rating, 0) AS rating_sum
FROM reporting.sessions s;

-- What one session adds to the day × agent row of each agent involved in it.
CREATE VIEW agent_contrib AS
SELECT
    s.session_id,
    s.started_at,
    k.agent_id,
    1 AS sessions,
    CASE WHEN s.first_agent_id = k.agent_id THEN 1 ELSE 0 END AS first_assigned,
    coalesce(g.transferred_in, 0)::int AS transferred_in,
    coalesce(o.transferred_out, 0)::int AS transferred_out,
    CASE WHEN s.end_agent_id = k.agent_id THEN 1 ELSE 0 END AS ended,
    CASE WHEN s.first_agent_id = k.agent_id THEN reporting.ms_between(s.queued_at, s.assigned_at) END AS wait_ms,
    reporting.ms_between(g.first_at, m.first_at) AS first_response_ms,
    CASE WHEN s.ended_at IS NOT NULL THEN g.handle_ms END AS handle_ms,
    coalesce(m.messages, 0) AS agent_messages,
    CASE WHEN s.rating IS NOT NULL AND coalesce(s.rating_agent_id, s.end_agent_id) = k.agent_id THEN 1 ELSE 0 END AS ratings,
    CASE WHEN coalesce(s.rating_agent_id, s.end_agent_id) = k.agent_id THEN coalesce(s.rating, 0) ELSE 0 END AS rating_sum
FROM reporting.sessions s
JOIN LATERAL (
    SELECT a.agent_id FROM reporting.session_agents a WHERE a.session_id = s.session_id
    UNION
    SELECT a.from_agent_id FROM reporting.session_agents a WHERE a.session_id = s.session_id AND a.from_agent_id IS NOT NULL
    UNION
    SELECT m.agent_id FROM reporting.session_agent_messages m WHERE m.session_id = s.session_id
) k ON true
LEFT JOIN LATERAL (
    SELECT
        count(*) FILTER (WHERE a.via = 'transferred') AS transferred_in,
        min(a.at) AS first_at,
        sum(reporting.ms_between(a.at, coalesce(a.until, s.ended_at))) AS handle_ms
    FROM reporting.session_agents a
    WHERE a.session_id = s.session_id AND a.agent_id = k.agent_id
) g ON true
LEFT JOIN LATERAL (
    SELECT count(*) AS transferred_out
    FROM reporting.session_agents a
    WHERE a.session_id = s.session_id AND a.from_agent_id = k.agent_id
) o ON true
LEFT JOIN reporting.session_agent_messages m ON m.session_id = s.session_id AND m.agent_id = k.agent_id;

-- Statistics computed from the records for local dates [p_from, p_to] in p_tz: the rows rebuild_stats
-- stores, and what the service answers directly for any other timezone.
CREATE FUNCTION reporting.channel_stats_for(p_from date, p_to date, p_tz text)
RETURNS TABLE (
    day date, channel text, sessions int, bot_sessions int, human_sessions int, transferred int, abandoned int,
    wait_count int, wait_ms bigint, wait_p90_ms double precision, first_response_count int, first_response_ms bigint,
    handle_count int, handle_ms bigint, visitor_messages int, bot_messages int, agent_messages int,
    system_messages int, ratings int, rating_sum int, leave_messages int)
LANGUAGE sql STABLE AS $$
    SELECT
        u.day, u.channel, sum(u.sessions)::int, sum(u.bot_sessions)::int, sum(u.human_sessions)::int,
        sum(u.transferred)::int, sum(u.abandoned)::int,
        count(u.wait_ms)::int, coalesce(sum(u.wait_ms), 0)::bigint,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY u.wait_ms),
        count(u.first_response_ms)::int, coalesce(sum(u.first_response_ms), 0)::bigint,
        count(u.handle_ms)::int, coalesce(sum(u.handle_ms), 0)::bigint,
        sum(u.visitor_messages)::int, sum(u.bot_messages)::int, sum(u.agent_messages)::int,
        sum(u.system_messages)::int, sum(u.ratings)::int, sum(u.rating_sum)::int, sum(u.leave_messages)::int
    FROM (
        SELECT (c.started_at AT TIME ZONE p_tz)::date AS day, c.channel, c.sessions, c.bot_sessions,
               c.human_sessions, c.transferred, c.abandoned, c.wait_ms, c.first_response_ms, c.handle_ms,
               c.visitor_messages, c.bot_messages, c.agent_messages, c.system_messages, c.ratings, c.rating_sum,
               0 AS leave_messages
        FROM reporting.channel_contrib c
        WHERE c.started_at >= reporting.day_start(p_from, p_tz) AND c.started_at < reporting.day_start(p_to + 1, p_tz)
        UNION ALL
        SELECT (l.created_at AT TIME ZONE p_tz)::date, l.channel, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 1
        FROM reporting.leave_messages l
        WHERE l.created_at >= reporting.day_start(p_from, p_tz) AND l.created_at < reporting.day_start(p_to + 1, p_tz)
    ) u
    GROUP BY u.day, u.channel
$$;

CREATE FUNCTION reporting.agent_stats_for(p_from date, p_to date, p_tz text)
RETURNS TABLE (
    day date, agent_id uuid, sessions int, first_assigned int, transferred_in int, transferred_out int, ended int,
    wait_count int, wait_ms bigint, wait_p90_ms double precision, first_response_count int, first_response_ms bigint,
    handle_count int, handle_ms bigint, agent_messages int, ratings int, rating_sum int, leave_messages_closed int)
LANGUAGE sql STABLE AS $$
    SELECT
        u.day, u.agent_id, sum(u.sessions)::int, sum(u.first_assigned)::int, sum(u.transferred_in)::int,
        sum(u.transferred_out)::int, sum(u.ended)::int,
        count(u.wait_ms)::int, coalesce(sum(u.wait_ms), 0)::bigint,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY u.wait_ms),
        count(u.first_response_ms)::int, coalesce(sum(u.first_response_ms), 0)::bigint,
        count(u.handle_ms)::int, coalesce(sum(u.handle_ms), 0)::bigint,
        sum(u.agent_messages)::int, sum(u.ratings)::int, sum(u.rating_sum)::int, sum(u.leave_messages_closed)::int
    FROM (
        SELECT (c.started_at AT TIME ZONE p_tz)::date AS day, c.agent_id, c.sessions, c.first_assigned,
               c.transferred_in, c.transferred_out, c.ended, c.wait_ms, c.first_response_ms, c.handle_ms,
               c.agent_messages, c.ratings, c.rating_sum, 0 AS leave_messages_closed
        FROM reporting.agent_contrib c
        WHERE c.started_at >= reporting.day_start(p_from, p_tz) AND c.started_at < reporting.day_start(p_to + 1, p_tz)
        UNION ALL
        SELECT (l.closed_at AT TIME ZONE p_tz)::date, l.closed_by, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 1
        FROM reporting.leave_messages l
        WHERE l.closed_by IS NOT NULL
          AND l.closed_at >= reporting.day_start(p_from, p_tz) AND l.closed_at < reporting.day_start(p_to + 1, p_tz)
    ) u
    GROUP BY u.day, u.agent_id
$$;

-- Incremental statistics ------------------------------------------------------------------------------

-- Adds (p_sign 1) or removes (p_sign -1) one session's contribution to the statistics in p_tz.
CREATE FUNCTION reporting.stats_session(p_session uuid, p_tz text, p_sign int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reporting.daily_channel_stats AS t (
        day, channel, sessions, bot_sessions, human_sessions, transferred, abandoned, wait_count, wait_ms, p90_stale,
        first_response_count, first_response_ms, handle_count, handle_ms, visitor_messages, bot_messages,
        agent_messages, system_messages, ratings, rating_sum)
    SELECT (c.started_at AT TIME ZONE p_tz)::date, c.channel, p_sign, p_sign * c.bot_sessions,
           p_sign * c.human_sessions, p_sign * c.transferred, p_sign * c.abandoned,
           CASE WHEN c.wait_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.wait_ms, 0), c.wait_ms IS NOT NULL,
           CASE WHEN c.first_response_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.first_response_ms, 0),
           CASE WHEN c.handle_ms IS NULL THEN 0 ELSE p_sign END, p_sign * coalesce(c.handle_ms, 0),
           p_sign * c.visitor_messages, p_sign * c.bot_messages, p_sign * c.agent_messages,
           p_sign * c.system_messages, p_sign * c.ratings, p_sign * c.rating_sum
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
        rating_sum = t.rating_sum + excluded.rating_sum;

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

-- Adds or removes one left message's contribution (created day × channel; closed day × closing agent).
CREATE FUNCTION reporting.stats_leave_message(p_id uuid, p_tz text, p_sign int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reporting.daily_channel_stats AS t (day, channel, leave_messages)
    SELECT (l.created_at AT TIME ZONE p_tz)::date, l.channel, p_sign
    FROM reporting.leave_messages l WHERE l.leave_message_id = p_id
    ON CONFLICT (day, channel) DO UPDATE SET leave_messages = t.leave_messages + excluded.leave_messages;

    INSERT INTO reporting.daily_agent_stats AS t (day, agent_id, leave_messages_closed)
    SELECT (l.closed_at AT TIME ZONE p_tz)::date, l.closed_by, p_sign
    FROM reporting.leave_messages l WHERE l.leave_message_id = p_id AND l.closed_by IS NOT NULL
    ON CONFLICT (day, agent_id) DO UPDATE SET leave_messages_closed = t.leave_messages_closed + excluded.leave_messages_closed;
END
$$;

-- Deletes the statistics rows of p_day that no longer count anything (a session or left message whose
-- day moved when an earlier event arrived late).
CREATE FUNCTION reporting.drop_empty_stats(p_day date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM reporting.daily_channel_stats WHERE day = p_day AND sessions = 0 AND leave_messages = 0;
    DELETE FROM reporting.daily_agent_stats WHERE day = p_day AND sessions = 0 AND leave_messages_closed = 0;
$$;

-- Recomputes the stale p90 queue waits of [p_from, p_to] from the records.
CREATE FUNCTION reporting.refresh_p90(p_from date, p_to date, p_tz text) RETURNS void
LANGUAGE sql AS $$
    UPDATE reporting.daily_channel_stats d SET p90_stale = false, wait_p90_ms = (
        SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY c.wait_ms)
        FROM reporting.channel_contrib c
        WHERE c.channel = d.channel AND c.wait_ms IS NOT NULL
          AND c.started_at >= reporting.day_start(d.day, p_tz) AND c.started_at < reporting.day_start(d.day + 1, p_tz))
    WHERE d.p90_stale AND d.day BETWEEN p_from AND p_to;
    UPDATE reporting.daily_agent_stats d SET p90_stale = false, wait_p90_ms = (
        SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY reporting.ms_between(s.queued_at, s.assigned_at))
        FROM reporting.sessions s
        WHERE s.first_agent_id = d.agent_id AND s.queued_at IS NOT NULL AND s.assigned_at IS NOT NULL
          AND s.started_at >= reporting.day_start(d.day, p_tz) AND s.started_at < reporting.day_start(d.day + 1, p_tz))
    WHERE d.p90_stale AND d.day BETWEEN p_from AND p_to;
$$;

-- Replaces the statistics of local dates [p_from, p_to] with an aggregation of the records. Takes the
-- exclusive statistics lock, so event handlers (which take it shared) wait until it commits.
CREATE FUNCTION reporting.rebuild_stats(p_from date, p_to date, p_tz text) RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kefu.reporting.stats'));
    DELETE FROM reporting.daily_channel_stats WHERE day BETWEEN p_from AND p_to;
    DELETE FROM reporting.daily_agent_stats WHERE day BETWEEN p_from AND p_to;
    INSERT INTO reporting.daily_channel_stats (
        day, channel, sessions, bot_sessions, human_sessions, transferred, abandoned, wait_count, wait_ms,
        wait_p90_ms, first_response_count, first_response_ms, handle_count, handle_ms, visitor_messages,
        bot_messages, agent_messages, system_messages, ratings, rating_sum, leave_messages)
    SELECT * FROM reporting.channel_stats_for(p_from, p_to, p_tz);
    INSERT INTO reporting.daily_agent_stats (
        day, agent_id, sessions, first_assigned, transferred_in, transferred_out, ended, wait_count, wait_ms,
        wait_p90_ms, first_response_count, first_response_ms, handle_count, handle_ms, agent_messages, ratings,
        rating_sum, leave_messages_closed)
    SELECT * FROM reporting.agent_stats_for(p_from, p_to, p_tz);
    RETURN p_to - p_from + 1;
END
$$;

-- Applying session events ----------------------------------------------------------------------------

-- Opens the change of one session by the event (p_seq, p_time): creates the record if new, locks it,
-- skips a seq already applied (fresh = false), removes the session's current contribution from the
-- statistics and merges the event time into started_at. old_day is the statistics day before the change.
CREATE FUNCTION reporting.session_begin(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text,
    OUT fresh boolean, OUT old_day date)
LANGUAGE plpgsql AS $$
DECLARE
    v_bits bytea;
    v_started timestamptz;
    v_inserted int;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('kefu.reporting.stats'));
    INSERT INTO reporting.sessions (session_id, channel, visitor_id, started_at)
    VALUES (p_session, p_channel, p_visitor, p_time)
    ON CONFLICT (session_id) DO NOTHING;
    GET DIAGNOSTICS v_inserted = ROW_COUNT;
    SELECT s.seen_seqs, s.started_at INTO v_bits, v_started
    FROM reporting.sessions s WHERE s.session_id = p_session FOR UPDATE;
    IF p_seq IS NOT NULL AND p_seq < 8388608 THEN
        IF length(v_bits) * 8 > p_seq AND get_bit(v_bits, p_seq::int) = 1 THEN
            fresh := false;
            RETURN;
        END IF;
        IF length(v_bits) * 8 <= p_seq THEN
            v_bits := v_bits || decode(repeat('00', (p_seq / 8)::int + 1 - length(v_bits)), 'hex');
        END IF;
        v_bits := set_bit(v_bits, p_seq::int, 1);
    END IF;
    fresh := true;
    IF v_inserted = 0 THEN
        old_day := (v_started AT TIME ZONE p_tz)::date;
        PERFORM reporting.stats_session(p_session, p_tz, -1);
    END IF;
    UPDATE reporting.sessions SET
        seen_seqs = v_bits,
        last_seq = greatest(last_seq, coalesce(p_seq, 0)),
        started_at = least(started_at, p_time),
        updated_at = now()
    WHERE session_id = p_session;
END
$$;

-- Closes the change: adds the session's new contribution and drops rows emptied by a change of day.
CREATE FUNCTION reporting.session_end(p_session uuid, p_tz text, p_old_day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_day date;
BEGIN
    PERFORM reporting.stats_session(p_session, p_tz, 1);
    SELECT (s.started_at AT TIME ZONE p_tz)::date INTO v_day FROM reporting.sessions s WHERE s.session_id = p_session;
    IF p_old_day IS NOT NULL AND p_old_day <> v_day THEN
        PERFORM reporting.drop_empty_stats(p_old_day);
    END IF;
END
$$;

-- Keeps the agents table's name from the latest event.
CREATE FUNCTION reporting.note_agent(p_agent uuid, p_name text, p_time timestamptz) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reporting.agents AS a (agent_id, name, name_at) VALUES (p_agent, p_name, p_time)
    ON CONFLICT (agent_id) DO UPDATE SET name = excluded.name, name_at = excluded.name_at
    WHERE excluded.name_at >= a.name_at;
$$;

-- session.created
CREATE FUNCTION reporting.on_session_created(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    SELECT * INTO b FROM reporting.session_begin(p_session, p_seq, p_channel, p_visitor, p_time, p_tz);
    IF NOT b.fresh THEN RETURN false; END IF;
    UPDATE reporting.sessions SET created_seen = true WHERE session_id = p_session;
    PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    RETURN true;
END
$$;

-- session.queued (the first queueing counts for the queue wait)
CREATE FUNCTION reporting.on_session_queued(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    SELECT * INTO b FROM reporting.session_begin(p_session, p_seq, p_channel, p_visitor, p_time, p_tz);
    IF NOT b.fresh THEN RETURN false; END IF;
    UPDATE reporting.sessions SET queued_at = least(queued_at, p_time) WHERE session_id = p_session;
    PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    RETURN true;
END
$$;

-- session.assigned (p_from null) and session.transferred (p_from the agent giving it away)
CREATE FUNCTION reporting.on_session_agent(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text,
    p_agent uuid, p_name text, p_from uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    SELECT * INTO b FROM reporting.session_begin(p_session, p_seq, p_channel, p_visitor, p_time, p_tz);
    IF NOT b.fresh THEN RETURN false; END IF;
    INSERT INTO reporting.session_agents (session_id, seq, agent_id, agent_name, via, from_agent_id, at)
    VALUES (p_session, p_seq, p_agent, p_name, CASE WHEN p_from IS NULL THEN 'assigned' ELSE 'transferred' END, p_from, p_time)
    ON CONFLICT (session_id, seq) DO NOTHING;
    UPDATE reporting.session_agents a SET until = (
        SELECT min(n.at) FROM reporting.session_agents n WHERE n.session_id = a.session_id AND n.seq > a.seq)
    WHERE a.session_id = p_session;
    UPDATE reporting.sessions s SET
        assigned_at = CASE WHEN p_from IS NULL THEN least(s.assigned_at, p_time) ELSE s.assigned_at END,
        agent_ids = x.ids, agent_names = x.names, first_agent_id = x.ids[1], transfers = x.transfers
    FROM (
        SELECT array_agg(a.agent_id ORDER BY a.seq) AS ids, array_agg(a.agent_name ORDER BY a.seq) AS names,
               count(*) FILTER (WHERE a.via = 'transferred')::int AS transfers
        FROM reporting.session_agents a WHERE a.session_id = p_session
    ) x
    WHERE s.session_id = p_session;
    PERFORM reporting.note_agent(p_agent, p_name, p_time);
    PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    RETURN true;
END
$$;

-- session.ended
CREATE FUNCTION reporting.on_session_ended(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text,
    p_reason text, p_agent uuid, p_human boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    SELECT * INTO b FROM reporting.session_begin(p_session, p_seq, p_channel, p_visitor, p_time, p_tz);
    IF NOT b.fresh THEN RETURN false; END IF;
    UPDATE reporting.sessions SET ended_at = p_time, end_reason = p_reason, end_agent_id = p_agent,
        ended_human = p_human
    WHERE session_id = p_session;
    PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    RETURN true;
END
$$;

-- message.accepted: counts by sender; an agent message may be the first response.
-- Fast path for the commonest events: a message of a known session that started no later than it, and for
-- an agent message one that comes after both the session's first response and this agent's first message.
-- Then only message counters change (of the session, the agent's row, and their day rows), so they are
-- incremented directly: the same result as removing and re-adding the session's contribution.
CREATE FUNCTION reporting.on_message(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text,
    p_sender text, p_agent uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    b record;
    v_bits bytea;
    v_started timestamptz;
    v_channel text;
    v_first timestamptz;
    v_day date;
BEGIN
    IF p_seq < 8388608 THEN
        PERFORM pg_advisory_xact_lock_shared(hashtext('kefu.reporting.stats'));
        SELECT s.seen_seqs, s.started_at, s.channel, s.first_response_at INTO v_bits, v_started, v_channel, v_first
        FROM reporting.sessions s WHERE s.session_id = p_session FOR UPDATE;
        IF FOUND AND v_started <= p_time AND (p_sender <> 'agent' OR (
            v_first <= p_time AND EXISTS (
                SELECT 1 FROM reporting.session_agent_messages m
                WHERE m.session_id = p_session AND m.agent_id = p_agent AND m.first_at <= p_time)))
        THEN
            IF length(v_bits) * 8 > p_seq AND get_bit(v_bits, p_seq::int) = 1 THEN
                RETURN false;
            END IF;
            IF length(v_bits) * 8 <= p_seq THEN
                v_bits := v_bits || decode(repeat('00', (p_seq / 8)::int + 1 - length(v_bits)), 'hex');
            END IF;
            v_day := (v_started AT TIME ZONE p_tz)::date;
            UPDATE reporting.sessions SET
                seen_seqs = set_bit(v_bits, p_seq::int, 1),
                last_seq = greatest(last_seq, p_seq),
                visitor_messages = visitor_messages + CASE WHEN p_sender = 'visitor' THEN 1 ELSE 0 END,
                bot_messages = bot_messages + CASE WHEN p_sender = 'bot' THEN 1 ELSE 0 END,
                agent_messages = agent_messages + CASE WHEN p_sender = 'agent' THEN 1 ELSE 0 END,
                system_messages = system_messages + CASE WHEN p_sender = 'system' THEN 1 ELSE 0 END,
                updated_at = now()
            WHERE session_id = p_session;
            UPDATE reporting.daily_channel_stats SET
                visitor_messages = visitor_messages + CASE WHEN p_sender = 'visitor' THEN 1 ELSE 0 END,
                bot_messages = bot_messages + CASE WHEN p_sender = 'bot' THEN 1 ELSE 0 END,
                agent_messages = agent_messages + CASE WHEN p_sender = 'agent' THEN 1 ELSE 0 END,
                system_messages = system_messages + CASE WHEN p_sender = 'system' THEN 1 ELSE 0 END
            WHERE day = v_day AND channel = v_channel;
            IF p_sender = 'agent' THEN
                UPDATE reporting.session_agent_messages SET messages = messages + 1
                WHERE session_id = p_session AND agent_id = p_agent;
                UPDATE reporting.daily_agent_stats SET agent_messages = agent_messages + 1
                WHERE day = v_day AND agent_id = p_agent;
            END IF;
            RETURN true;
        END IF;
    END IF;
    SELECT * INTO b FROM reporting.session_begin(p_session, p_seq, p_channel, p_visitor, p_time, p_tz);
    IF NOT b.fresh THEN RETURN false; END IF;
    UPDATE reporting.sessions SET
        visitor_messages = visitor_messages + CASE WHEN p_sender = 'visitor' THEN 1 ELSE 0 END,
        bot_messages = bot_messages + CASE WHEN p_sender = 'bot' THEN 1 ELSE 0 END,
        agent_messages = agent_messages + CASE WHEN p_sender = 'agent' THEN 1 ELSE 0 END,
        system_messages = system_messages + CASE WHEN p_sender = 'system' THEN 1 ELSE 0 END,
        first_response_at = CASE WHEN p_sender = 'agent' THEN least(first_response_at, p_time) ELSE first_response_at END
    WHERE session_id = p_session;
    IF p_sender = 'agent' AND p_agent IS NOT NULL THEN
        INSERT INTO reporting.session_agent_messages AS m (session_id, agent_id, messages, first_at)
        VALUES (p_session, p_agent, 1, p_time)
        ON CONFLICT (session_id, agent_id) DO UPDATE SET messages = m.messages + 1, first_at = least(m.first_at, excluded.first_at);
    END IF;
    PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    RETURN true;
END
$$;

-- rating.recorded
CREATE FUNCTION reporting.on_rating(
    p_session uuid, p_seq bigint, p_channel text, p_visitor text, p_time timestamptz, p_tz text,
    p_stars int, p_comment text, p_agent uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    SELECT * INTO b FROM reporting.session_begin(p_session, p_seq, p_channel, p_visitor, p_time, p_tz);
    IF NOT b.fresh THEN RETURN false; END IF;
    UPDATE reporting.sessions SET rating = p_stars, rating_comment = p_comment, rated_at = p_time,
        rating_agent_id = p_agent
    WHERE session_id = p_session;
    PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    RETURN true;
END
$$;

-- leave_message.updated: the left message, its statistics, and the flag on its session.
CREATE FUNCTION reporting.on_leave_message(
    p_id uuid, p_channel text, p_visitor text, p_session uuid, p_state text, p_agent uuid, p_time timestamptz,
    p_tz text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_old_day date;
    v_old_closed date;
    v_day date;
    v_closed date;
    b record;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('kefu.reporting.stats'));
    SELECT (l.created_at AT TIME ZONE p_tz)::date, (l.closed_at AT TIME ZONE p_tz)::date INTO v_old_day, v_old_closed
    FROM reporting.leave_messages l WHERE l.leave_message_id = p_id FOR UPDATE;
    IF FOUND THEN
        PERFORM reporting.stats_leave_message(p_id, p_tz, -1);
    END IF;
    INSERT INTO reporting.leave_messages AS l (
        leave_message_id, channel, visitor_id, session_id, created_at, state, agent_id, closed_at, closed_by)
    VALUES (p_id, p_channel, p_visitor, p_session, p_time, p_state, p_agent,
            CASE WHEN p_state = 'closed' THEN p_time END, CASE WHEN p_state = 'closed' THEN p_agent END)
    ON CONFLICT (leave_message_id) DO UPDATE SET
        session_id = coalesce(l.session_id, excluded.session_id),
        created_at = least(l.created_at, excluded.created_at),
        agent_id = CASE WHEN array_position(ARRAY['unclaimed', 'claimed', 'closed'], excluded.state)
                            >= array_position(ARRAY['unclaimed', 'claimed', 'closed'], l.state)
                        THEN coalesce(excluded.agent_id, l.agent_id) ELSE l.agent_id END,
        state = CASE WHEN array_position(ARRAY['unclaimed', 'claimed', 'closed'], excluded.state)
                          > array_position(ARRAY['unclaimed', 'claimed', 'closed'], l.state)
                     THEN excluded.state ELSE l.state END,
        closed_at = coalesce(l.closed_at, excluded.closed_at),
        closed_by = coalesce(l.closed_by, excluded.closed_by);
    PERFORM reporting.stats_leave_message(p_id, p_tz, 1);
    SELECT (l.created_at AT TIME ZONE p_tz)::date, (l.closed_at AT TIME ZONE p_tz)::date INTO v_day, v_closed
    FROM reporting.leave_messages l WHERE l.leave_message_id = p_id;
    IF v_old_day IS NOT NULL AND v_old_day <> v_day THEN
        PERFORM reporting.drop_empty_stats(v_old_day);
    END IF;
    IF p_session IS NOT NULL THEN
        SELECT * INTO b FROM reporting.session_begin(p_session, NULL, p_channel, p_visitor, p_time, p_tz);
        UPDATE reporting.sessions SET leave_message = true WHERE session_id = p_session;
        PERFORM reporting.session_end(p_session, p_tz, b.old_day);
    END IF;
END
$$;
