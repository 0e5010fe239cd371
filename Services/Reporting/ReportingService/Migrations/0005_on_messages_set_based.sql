-- Applies a batch's message.accepted events set-based: the common case (a visitor, bot or system message
-- of a session already recorded, not seen before) is applied with one UPDATE of the sessions it names and
-- one UPDATE per day × channel row, instead of two row updates per message. Everything else (agent
-- messages, sessions not recorded yet, events older than the recorded start, repeats) goes through
-- reporting.on_message one by one, exactly as before. Both paths are order-tolerant (seq bitmap, counters,
-- a session's contribution re-added after any change of its start), so the split keeps the result equal to
-- applying the events one by one in stream order.

-- Sets bit n for each n in p_seqs, growing the bitmap as needed.
CREATE FUNCTION reporting.set_seq_bits(p_bits bytea, p_seqs bigint[]) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_bits bytea := p_bits;
    v_top bigint;
    v_seq bigint;
BEGIN
    SELECT max(s) INTO v_top FROM unnest(p_seqs) AS s;
    IF v_top IS NULL THEN
        RETURN v_bits;
    END IF;
    IF length(v_bits) * 8 <= v_top THEN
        v_bits := v_bits || decode(repeat('00', (v_top / 8)::int + 1 - length(v_bits)), 'hex');
    END IF;
    FOREACH v_seq IN ARRAY p_seqs LOOP
        v_bits := set_bit(v_bits, v_seq::int, 1);
    END LOOP;
    RETURN v_bits;
END
$$;

CREATE OR REPLACE FUNCTION reporting.on_messages(
    p_sessions uuid[], p_seqs bigint[], p_channels text[], p_visitors text[], p_times timestamptz[], p_tz text,
    p_senders text[], p_agents uuid[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer := coalesce(array_length(p_sessions, 1), 0);
    v_done bigint[];
    v_applied integer;
BEGIN
    IF v_count = 0 THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(hashtext('kefu.reporting.stats'));
    -- Lock the recorded sessions in one order, so that two instances never wait on each other in a cycle,
    -- and read their bitmaps only after holding the locks (the next statement takes a new snapshot).
    PERFORM 1 FROM reporting.sessions WHERE session_id = ANY(p_sessions) ORDER BY session_id FOR UPDATE;
    WITH input AS (
        SELECT t.session_id, t.seq, t.sender, t.at, t.ord
        FROM unnest(p_sessions, p_seqs, p_senders, p_times) WITH ORDINALITY AS t(session_id, seq, sender, at, ord)
    ), eligible AS (
        SELECT DISTINCT ON (i.session_id, i.seq) i.ord, i.session_id, i.seq, i.sender, s.channel,
            (s.started_at AT TIME ZONE p_tz)::date AS day
        FROM input i JOIN reporting.sessions s ON s.session_id = i.session_id
        WHERE i.seq < 8388608 AND i.sender IN ('visitor', 'bot', 'system') AND s.started_at <= i.at
            AND NOT (length(s.seen_seqs) * 8 > i.seq AND get_bit(s.seen_seqs, i.seq::int) = 1)
        ORDER BY i.session_id, i.seq, i.ord
    ), by_session AS (
        SELECT session_id, array_agg(seq) AS seqs, max(seq) AS top,
            count(*) FILTER (WHERE sender = 'visitor') AS visitor,
            count(*) FILTER (WHERE sender = 'bot') AS bot,
            count(*) FILTER (WHERE sender = 'system') AS system
        FROM eligible GROUP BY session_id
    ), by_day AS (
        SELECT day, channel,
            count(*) FILTER (WHERE sender = 'visitor') AS visitor,
            count(*) FILTER (WHERE sender = 'bot') AS bot,
            count(*) FILTER (WHERE sender = 'system') AS system
        FROM eligible GROUP BY day, channel
    ), sessions_applied AS (
        UPDATE reporting.sessions s SET
            seen_seqs = reporting.set_seq_bits(s.seen_seqs, b.seqs),
            last_seq = greatest(s.last_seq, b.top),
            visitor_messages = s.visitor_messages + b.visitor,
            bot_messages = s.bot_messages + b.bot,
            system_messages = s.system_messages + b.system,
            updated_at = now()
        FROM by_session b WHERE s.session_id = b.session_id
    ), days_applied AS (
        UPDATE reporting.daily_channel_stats d SET
            visitor_messages = d.visitor_messages + a.visitor,
            bot_messages = d.bot_messages + a.bot,
            system_messages = d.system_messages + a.system
        FROM by_day a WHERE d.day = a.day AND d.channel = a.channel
    )
    SELECT coalesce(array_agg(ord), '{}') INTO v_done FROM eligible;
    v_applied := coalesce(array_length(v_done, 1), 0);
    FOR i IN 1 .. v_count LOOP
        CONTINUE WHEN i = ANY(v_done);
        IF reporting.on_message(
            p_sessions[i], p_seqs[i], p_channels[i], p_visitors[i], p_times[i], p_tz, p_senders[i], p_agents[i]) THEN
            v_applied := v_applied + 1;
        END IF;
    END LOOP;
    RETURN v_applied;
END
$$;
