-- Applies a batch's message.accepted events with one call: each element exactly as reporting.on_message
-- applies it, in the order given (the consumer passes them in stream order). Returns how many were new.
CREATE FUNCTION reporting.on_messages(
    p_sessions uuid[], p_seqs bigint[], p_channels text[], p_visitors text[], p_times timestamptz[], p_tz text,
    p_senders text[], p_agents uuid[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_applied integer := 0;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_sessions, 1), 0) LOOP
        IF reporting.on_message(
            p_sessions[i], p_seqs[i], p_channels[i], p_visitors[i], p_times[i], p_tz, p_senders[i], p_agents[i]) THEN
            v_applied := v_applied + 1;
        END IF;
    END LOOP;
    RETURN v_applied;
END
$$;
