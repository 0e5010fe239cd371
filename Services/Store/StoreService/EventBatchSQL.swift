/// The statement that stores one batch of session events.
enum EventBatchSQL {
    /// Stores a batch in one statement. `$1`: a JSON array of envelopes.
    ///
    /// 1. `inserted`: the events, ordered by `(session_id, seq)` so concurrent batches take locks in the
    ///    same order; `ON CONFLICT DO NOTHING` drops an event whose id or `(session_id, seq)` is taken. The
    ///    unique `event_id` of `store.events` is the store's inbox: every event the store handles is a row
    ///    there, kept for good, so a redelivered event is recognised without a `processed_events` row.
    /// 2. `upserted`: one row per session from the rows actually inserted, merged with the stored row by
    ///    order-independent rules (earliest start, latest end, OR of human, maximum seq, sum of message
    ///    counts, agents merged by the key at which they joined), so batches may commit in any order.
    ///    A session whose inserted rows name no channel (only staff-only events, such as internal notes)
    ///    creates no row: `touched` only raises the stored row's `last_seq`.
    ///
    /// Returns one row: inserted events, upserted sessions.
    static let record = """
        WITH input AS (
            SELECT e, e->'data' AS d, (e->>'id')::uuid AS event_id
            FROM jsonb_array_elements($1::jsonb) AS e
        ), inserted AS (
            INSERT INTO store.events (session_id, seq, type, time, sender, agent_id, text, image, data, event_id)
            SELECT (d->>'session_id')::uuid, (d->>'seq')::bigint, e->>'type', (e->>'time')::timestamptz,
                   d->>'sender', COALESCE(d->>'to_agent_id', d->>'agent_id')::uuid, d->>'text', d->'image', d,
                   input.event_id
            FROM input
            ORDER BY 1, 2
            ON CONFLICT DO NOTHING
            RETURNING session_id, seq, type, time, data
        ), joined AS (
            SELECT session_id, (data->>'agent_id')::uuid AS agent, seq * 2 AS key
            FROM inserted WHERE type = 'session.assigned'
            UNION ALL
            SELECT session_id, (data->>'to_agent_id')::uuid, seq * 2
            FROM inserted WHERE type = 'session.transferred'
            UNION ALL
            SELECT session_id, (data->>'from_agent_id')::uuid, seq * 2 - 1
            FROM inserted WHERE type = 'session.transferred'
        ), staff AS (
            SELECT session_id, array_agg(agent ORDER BY key) AS agent_ids, array_agg(key ORDER BY key) AS agent_keys
            FROM (SELECT session_id, agent, min(key) AS key FROM joined GROUP BY session_id, agent) AS first_join
            GROUP BY session_id
        ), summary AS (
            SELECT session_id,
                   min(data->>'channel') AS channel,
                   min(data->>'visitor_id') AS visitor_id,
                   min(time) AS started_at,
                   max(time) FILTER (WHERE type = 'session.ended') AS ended_at,
                   COALESCE(bool_or(
                       type IN ('session.assigned', 'session.transferred')
                       OR (type = 'session.ended' AND (data->>'human')::boolean)), false) AS human,
                   max(seq) AS last_seq,
                   count(*) FILTER (WHERE type = 'message.accepted') AS message_count
            FROM inserted GROUP BY session_id
        ), upserted AS (
            INSERT INTO store.sessions AS s
                (session_id, channel, visitor_id, started_at, ended_at, human, agent_ids, agent_keys, last_seq, message_count)
            SELECT m.session_id, m.channel, m.visitor_id, m.started_at, m.ended_at, m.human,
                   COALESCE(f.agent_ids, '{}'), COALESCE(f.agent_keys, '{}'), m.last_seq, m.message_count
            FROM summary AS m LEFT JOIN staff AS f ON f.session_id = m.session_id
            WHERE m.channel IS NOT NULL
            ORDER BY m.session_id
            ON CONFLICT (session_id) DO UPDATE SET
                started_at = LEAST(s.started_at, EXCLUDED.started_at),
                ended_at = GREATEST(s.ended_at, EXCLUDED.ended_at),
                human = s.human OR EXCLUDED.human,
                agent_ids = CASE WHEN cardinality(EXCLUDED.agent_ids) = 0 THEN s.agent_ids ELSE (
                    SELECT array_agg(agent ORDER BY key) FROM (
                        SELECT agent, min(key) AS key
                        FROM unnest(s.agent_ids || EXCLUDED.agent_ids, s.agent_keys || EXCLUDED.agent_keys) AS u(agent, key)
                        GROUP BY agent) AS merged) END,
                agent_keys = CASE WHEN cardinality(EXCLUDED.agent_ids) = 0 THEN s.agent_keys ELSE (
                    SELECT array_agg(key ORDER BY key) FROM (
                        SELECT agent, min(key) AS key
                        FROM unnest(s.agent_ids || EXCLUDED.agent_ids, s.agent_keys || EXCLUDED.agent_keys) AS u(agent, key)
                        GROUP BY agent) AS merged) END,
                last_seq = GREATEST(s.last_seq, EXCLUDED.last_seq),
                message_count = s.message_count + EXCLUDED.message_count
            RETURNING 1
        ), touched AS (
            UPDATE store.sessions AS s SET last_seq = GREATEST(s.last_seq, m.last_seq)
            FROM summary AS m WHERE m.channel IS NULL AND s.session_id = m.session_id
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM inserted),
               (SELECT count(*) FROM upserted) + (SELECT count(*) FROM touched)
        """
}
